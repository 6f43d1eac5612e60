// Downloads the change feed: GET /api/feed?after=N with fetch(), the body handed to C++
// as text. Implements: a timeout (20 s), a size limit (kMaxFeedBytes), failures reported
// as a reason a person can read ("offline", HTTP status), and whether the answer came
// from the server or from the service worker's copy (sw.js marks those with
// X-Handbook-Offline: 1): only the server's word confirms the device current.
// Known limitations: one request at a time (the caller keeps it so); the caller
// schedules the retries (seconds_until_next_feed_check).
#pragma once
#include <cstdint>
#include <string>

namespace handbook::web {

struct FeedCallbacks {
    void (*arrived)(const std::string& body, bool from_network) = nullptr;
    void (*failed)(const std::string& reason) = nullptr;
};

void fetch_feed(int64_t after, const FeedCallbacks& callbacks);

}  // namespace handbook::web
