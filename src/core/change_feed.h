// The change feed: how published content travels from the server's store to a
// device's store. A device asks for "everything after N" and applies the answer. It
// carries published versions only (drafts never leave the server), each as the server
// numbered, dated and attributed it; the device stores them as given.
//
// Format 2 (JSON):
//   {"format": 2, "server": "<the server store's identity>", "after": N, "latest": M,
//    "head": H, "more": false, "server_time": "2026-12-04T17:00:00Z",
//    "changes": [{"seq": 5, "kind": "article", "article": {slug, title, category, tags,
//                  owner, effective, review_by, status, body, version, change_note,
//                  author, created_at, approver, must_acknowledge, acknowledge_by}},
//                {"seq": 7, "kind": "review", "review": {slug, version, review_by, confirmed_at, confirmed_by}},
//                {"seq": 9, "kind": "synonyms", "synonyms": [["parcel", "package"], ...]}]}
// "latest" is the last change in this answer (N when there is none), "head" the server's
// newest change; "more": true means the answer was cut at the limit: ask again with
// after = latest. The whole answer is read from one consistent view of the server's
// store, and a change that cannot be read fails the answer: a change is never skipped.
//
// Applying is all or nothing: the whole payload is parsed and checked before anything
// is written, and written in one transaction, so a truncated or corrupt download
// leaves the device's store exactly as it was. An answer must follow on from what the
// device holds (its "after" is the device's position) and be coherent (sequence numbers
// rising within (after, latest], latest <= head). An answer from another server store
// (another identity: the server's database was re-created or replaced) or one whose head
// is behind the device (restored from an older backup) fails with `diverged`: the device
// must start its copy again from the server's snapshot instead of trusting its position.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "database.h"

namespace handbook {

inline constexpr int kFeedFormat = 2;
inline constexpr size_t kMaxFeedBytes = 64 * 1024 * 1024;
inline constexpr int kMaxFeedChanges = 5000;

struct FeedApplied {
    int articles_changed = 0;  // new or updated articles on this device
    bool synonyms_changed = false;
    int64_t latest = 0;        // the feed position now held (ask for after = this next)
    int64_t head = 0;          // the server's newest change when it answered
    bool more = false;         // the server has more after `latest`
    std::string server_time;   // the server's clock when it answered (UTC, ISO 8601; "" if not said)
    std::string made_at;       // a signed answer: when it was signed (UTC)
};

// The feed after position `after`, at most `limit` changes, as JSON. Fails (never a
// partial answer) when the store cannot be read.
Result<std::string> change_feed_json(Database& db, int64_t after, int limit = 500);

// The same answer with its positions beside it (for signing). `as_window`: a static
// tree's page (static_tree.h), whose "head" is its own "latest" and "more" false, so the
// page stays true, byte for byte, whatever is published after it.
struct FeedPage {
    std::string json;
    std::string server;
    int64_t after = 0, latest = 0, head = 0;
    bool more = false;
};
Result<FeedPage> change_feed_page(Database& db, int64_t after, int limit = 500, bool as_window = false);

struct SigningKey;
struct Endorsement;
// `page` as a signed file (signed_file.h, kind "feed", its server and positions) signed at
// `made_at` with `key`, carrying `chain` (the endorsements that lead to `key`).
std::string seal_feed_page(const SigningKey& key, const std::vector<Endorsement>& chain, const FeedPage& page, const std::string& made_at);

Result<FeedApplied> apply_change_feed(Database& db, std::string_view json);

struct DeviceTrust;

struct SignedFeedOptions {
    // A direct answer from `handbook serve`: a claim of currency (content_trust.h), refused
    // when signed before the newest claim the device accepted, and noted when applied.
    // False for a page of a static tree, which the tree's signed pointer names by hash
    // (expected_sha256, expected_server): such a page covers a fixed window of the
    // sequence and may start before the device's position (what it holds is skipped).
    bool claim = true;
    std::string expected_sha256;  // of the whole signed file ("" = not checked)
    std::string expected_server;  // "" = not checked
};

// A signed answer (signed_file.h): checked against `trust` (the key, a rotation along the
// endorsements, the statement's server and positions against the page's own, the time
// for a claim) and only then applied as apply_change_feed does. Fails with `untrusted`
// (unsigned, forged, another key, altered, not the page named) or `replayed` (signed before
// what the device holds) and changes nothing; `trust` is updated on success only, for the
// caller to keep (save_device_trust).
Result<FeedApplied> apply_signed_feed(Database& db, DeviceTrust& trust, std::string_view file, const SignedFeedOptions& options = {});

// What a device holds from its server: the position in the server's change sequence
// (0 = nothing yet), the identity of the server's store ("" = none yet), and when the
// server last said there was nothing newer ("" = never).
struct FeedPosition {
    int64_t seq = 0;
    std::string server;
    std::string confirmed_at;  // UTC, ISO 8601
    int64_t clock_offset = 0;  // the server's clock minus the device's, at the last sync (device_clock.h)
};
Result<FeedPosition> applied_feed_position(Database& db);

// Notes that the server has just confirmed this device current (an answer with nothing
// more to come, from the network rather than a cache), at `utc_now` (ISO 8601).
Status record_feed_confirmed(Database& db, const std::string& utc_now);
// Notes the server's clock against the device's (seconds the server is ahead).
Status record_clock_offset(Database& db, int64_t offset);

// When a device next asks its server for news, in seconds from now. While the server
// answers: every 5 minutes (a till left open all day sees a change within minutes, and a
// few thousand tablets make a handful of requests a second). After `failures` failed
// checks in a row: 30 s, then twice as long each time, up to 15 minutes, so a device
// offline for long neither drains its battery nor floods the server when the network
// returns. `jitter` (0..1, random per device) spreads devices over +-10% of that.
double seconds_until_next_feed_check(int failures, double jitter);

}  // namespace handbook
