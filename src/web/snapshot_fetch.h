// Downloads a library as one signed file (src/core/device_snapshot.h): GET api/snapshot
// from `handbook serve`, or the file a static tree's pointer names; the bytes handed to
// C++ as they are, with the signed pointer that named them (static trees) for the checks. Implements: taking the download shell.js started
// (and read) with the app's own (Module.snapshotDownload) or making it, a size limit
// (kMaxSnapshotBytes, checked against the announced size before reading), a timeout for
// its own request (60 s), and failures reported as a reason a person can read.
// Known limitations: the whole file is held in memory several times over on a first
// visit (the download, its copy in the wasm heap during the call, the copy main.cpp keeps
// until IndexedDB has answered, SQLite's in-memory image); no progress is shown while it
// arrives.
#pragma once
#include <string>
#include <string_view>

namespace handbook::web {

struct SnapshotCallbacks {
    // `pointer`: the static tree's signed pointer shell.js fetched with it ("" otherwise).
    void (*arrived)(std::string_view bytes, std::string_view pointer) = nullptr;  // valid during the call only
    void (*failed)(const std::string& reason) = nullptr;
};

// True when the page (shell.js) requested the library with the app's own download:
// it does so on what it takes for a first visit on this device.
bool snapshot_requested_by_page();

// `url`: api/snapshot, or a static tree's content/snapshot/<sha256>. The page's own
// download (a first visit) is taken instead when there is one.
void fetch_snapshot(const std::string& url, const SnapshotCallbacks& callbacks);

}  // namespace handbook::web
