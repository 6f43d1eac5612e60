// A static tree of the published content, for any static host or CDN.
//
// `handbook publish-static` (src/server/publish_static.h) writes the content as immutable
// files named by the SHA-256 of their bytes, plus one small signed pointer:
//
//   content/latest                 the pointer: a signed file (signed_file.h, kind
//                                  "latest"), short-lived in caches; its body is
//     {"format": 1, "server": "<identity>", "head": H,
//      "snapshot": {"file": "content/snapshot/<sha256>", "sha256": "...", "position": P},
//      "pages": [{"after": 0, "latest": L1, "file": "content/feed/<sha256>", "sha256": "..."},
//                {"after": L1, "latest": L2, ...}, ..., {"after": Ln, "latest": H, ...}]}
//   content/feed/<sha256>          a signed feed page (change_feed.h format 2, kind "feed")
//   content/snapshot/<sha256>      a signed snapshot (device_snapshot.h, kind "snapshot")
//
// The pages cut the change sequence into windows of kStaticPageChanges changes from the
// start: a full window never changes, so its file (and every cache's copy) is kept from
// one publish to the next; only the last, partial page is new. A page's own "head" is its
// "latest" (what it says stays true), the pointer says where the server is. The pointer
// is the claim of currency (content_trust.h): signed at each publish and again at least
// every kStaticPointerRefreshSeconds, so a device can tell a frozen copy from a quiet week.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "result.h"

namespace handbook {

struct DeviceTrust;
struct OpenedFile;
struct SigningKey;
struct Endorsement;

inline constexpr int kStaticPageChanges = 500;
inline constexpr int64_t kStaticPointerRefreshSeconds = 15 * 60;
inline constexpr size_t kMaxStaticPointerBytes = 4 * 1024 * 1024;
inline constexpr const char* kStaticPointerPath = "content/latest";

struct StaticPage {
    int64_t after = 0;
    int64_t latest = 0;
    std::string file;    // path from the tree's root
    std::string sha256;  // of the whole signed file
};

struct StaticPointer {
    std::string server;
    int64_t head = 0;
    std::string snapshot_file;
    std::string snapshot_sha256;
    int64_t snapshot_position = 0;
    std::vector<StaticPage> pages;
    std::string made_at;  // from the signed statement
};

std::string static_pointer_json(const StaticPointer& pointer);
// The pointer as a signed file (kind "latest", its server and head) signed at `made_at`.
std::string seal_static_pointer(const SigningKey& key, const std::vector<Endorsement>& chain, const StaticPointer& pointer,
                                const std::string& made_at);
Result<StaticPointer> parse_static_pointer(std::string_view json);

// The signed pointer checked against `trust`: signature (and rotation), kind "latest", the
// statement's server and head those of the body, and not signed before the newest claim
// the device accepted (`replayed`). `opened` receives the checked file, for accept_claim
// once the pages it names are applied. Changes nothing.
Result<StaticPointer> open_static_pointer(std::string_view file, const DeviceTrust& trust, OpenedFile* opened);

// The pages a device at `held` fetches, in order: from the one holding `held` (pages may
// start before it; what it holds is skipped) to the head. Empty when it is up to date.
std::vector<StaticPage> pages_after(const StaticPointer& pointer, int64_t held);

}  // namespace handbook
