// The server's JSON API from the browser: fetch() with the app's own header
// (X-Handbook-Request: 1, which the server requires of every write), the session cookie
// (same-origin credentials), no HTTP cache, a timeout, and the answer handed back to C++
// by request id, so any number of requests can be in flight (unlike the feed and the
// snapshot, one each).
// Known limitations: answers larger than 8 MiB are refused (the API's are small); a
// request cannot be cancelled once sent (its answer is dropped if nobody waits for it).
#pragma once
#include <functional>
#include <string>

namespace handbook::web {

// `status` is the HTTP status, or 0 when the server could not be reached (then `body`
// says why, for a person).
using ApiAnswer = std::function<void(int status, const std::string& body)>;

void api_request(const std::string& method, const std::string& path, const std::string& json_body, ApiAnswer answer);

}  // namespace handbook::web
