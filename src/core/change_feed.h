// The change feed: how published content travels from the server's store to a
// device's store. A device asks for "everything after N" and applies the answer.
//
// Format (JSON):
//   {"format": 1, "after": N, "latest": M, "more": false,
//    "changes": [{"seq": 5, "kind": "article", "article": {slug, title, category, tags,
//                  owner, effective, review_by, status, body, version, change_note,
//                  author, created_at}},
//                {"seq": 9, "kind": "synonyms", "synonyms": [["parcel", "package"], ...]}]}
// "more": true means the answer was cut at the limit: ask again with after = latest.
//
// Applying is all or nothing: the whole payload is parsed and checked before anything
// is written, and written in one transaction, so a truncated or corrupt download
// leaves the device's store exactly as it was.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "database.h"

namespace handbook {

inline constexpr size_t kMaxFeedBytes = 64 * 1024 * 1024;
inline constexpr int kMaxFeedChanges = 5000;

struct FeedApplied {
    int articles_changed = 0;  // new or updated articles on this device
    bool synonyms_changed = false;
    int64_t latest = 0;        // the feed position now held (ask for after = this next)
    bool more = false;         // the server has more after `latest`
};

std::string change_feed_json(Database& db, int64_t after, int limit = 500);

Result<FeedApplied> apply_change_feed(Database& db, std::string_view json);

// The server-side sequence number this device's content is current to (0 = nothing yet).
int64_t applied_feed_seq(Database& db);

}  // namespace handbook
