// Downloads the change feed: GET /api/feed?after=N with fetch(), the body handed to C++
// as text. Implements: a timeout (20 s), a size limit (kMaxFeedBytes), and failures
// reported as a reason a person can read ("offline", HTTP status).
// Known limitations: one request at a time (the caller keeps it so); no retry timer:
// the app asks again when the browser reports it is back online or the page is shown.
#pragma once
#include <cstdint>
#include <string>

namespace handbook::web {

struct FeedCallbacks {
    void (*arrived)(const std::string& body) = nullptr;
    void (*failed)(const std::string& reason) = nullptr;
};

void fetch_feed(int64_t after, const FeedCallbacks& callbacks);

}  // namespace handbook::web
