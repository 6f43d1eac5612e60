// Downloads the signed answers a device follows: the change feed (GET api/feed?after=N
// from `handbook serve`) or a static tree's files (content/latest, content/feed/<sha256>),
// the bytes handed to C++ as they are (the signature covers bytes, not text).
// Implements: a timeout (20 s), a size limit, failures reported as a reason a person can
// read ("offline", HTTP status), and whether the answer came from the network or from the
// service worker's copy (sw.js marks those with X-Handbook-Offline: 1): only the network's
// word can confirm the device current.
// Known limitations: one request at a time (the caller keeps it so); the caller
// schedules the retries (seconds_until_next_feed_check).
#pragma once
#include <cstddef>
#include <string>

namespace handbook::web {

struct FeedCallbacks {
    void (*arrived)(const std::string& bytes, bool from_network) = nullptr;
    void (*failed)(const std::string& reason) = nullptr;
};

// `revalidate`: ask the server (no-cache) rather than any cache; immutable files (a
// static tree's pages) may come from the browser's cache.
void fetch_signed(const std::string& url, size_t max_bytes, bool revalidate, const FeedCallbacks& callbacks);

}  // namespace handbook::web
