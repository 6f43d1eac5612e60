// A device's whole store in one file, for a first visit.
//
// A new device used to download the change feed and index every article itself, which
// on a store tablet's CPU is most of the wait before the first search result. Instead
// the server builds, once per feed position, exactly the store a device would have
// after applying the whole feed (same code: apply_change_feed on an empty store), and
// sends it as a SQLite database file. The device checks it and writes it as its store;
// from then on it follows the change feed as before (after the snapshot's position).
//
// A snapshot holds only what the feed carries (articles as the feed sends them, their
// change notes, synonyms, the feed position): no table of the server's own.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "database.h"

namespace handbook {

// A device refuses a larger download (the feed's own limit is 64 MiB of JSON).
inline constexpr size_t kMaxSnapshotBytes = 256 * 1024 * 1024;

struct DeviceSnapshot {
    std::string bytes;    // a SQLite database file
    int64_t position = 0; // the feed position it holds (the source's newest change when built)
    std::string server;   // the source store's identity
};

// The store a device would build from the whole change feed of `source`, as the bytes
// of a SQLite database file (indexes merged and the file compacted). Every page of the
// feed is read from one consistent view of `source`, so a writer committing meanwhile
// is either wholly in the snapshot or wholly after its position. Fails (never an empty
// or partial library) when `source` cannot be read.
Result<DeviceSnapshot> build_device_snapshot(Database& source);

// True when the store at `path` has nothing from the server yet (no file, not a
// readable store, or feed position 0): the case a snapshot is for. Only reads.
bool device_store_is_empty(const std::string& path);

// The snapshot as a store in memory, brought up to this build's schema: what a first
// visit searches while the device's own storage is still opening (IndexedDB can take
// half a second on a tablet). Checked as install_device_snapshot checks it except for
// reading every page (that waits for the install): a damaged page shows up as a failed
// search, and the install then refuses the download.
Result<std::unique_ptr<Database>> open_device_snapshot(std::string_view bytes);

struct DeviceTrust;
struct SigningKey;
struct Endorsement;

// `snapshot` as a signed file (signed_file.h, kind "snapshot", its server and position)
// signed at `made_at` with `key`, carrying `chain`.
std::string seal_snapshot(const SigningKey& key, const std::vector<Endorsement>& chain, const DeviceSnapshot& snapshot,
                          const std::string& made_at);

// A signed snapshot (signed_file.h, kind "snapshot") checked against `trust`: signed by the
// trusted key (or one it endorsed), the body the one signed, and the store inside the one
// the statement names (its server identity and feed position). `expected_sha256`, when
// given, is the whole file's hash as a static tree's signed pointer names it. A snapshot
// is not a claim of currency (content_trust.h): the feed answer or pointer that follows
// it says how fresh the device is. Returns the database bytes (pointing into `file`);
// `trust.key` follows a rotation. Fails with `untrusted` and changes nothing.
Result<std::string_view> open_signed_snapshot(std::string_view file, DeviceTrust& trust, const std::string& expected_sha256 = "");

// Checks that `bytes` is a sound SQLite store of a schema this build can open (not
// newer than it knows, with a feed position) and writes it to `path`, replacing what
// is there only once the whole file is written. Nothing is written on any failure.
Status install_device_snapshot(const std::string& path, std::string_view bytes);

}  // namespace handbook
