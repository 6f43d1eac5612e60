// What the server said, in words for a person: the API's {"error": "..."} when it gave
// one, else what went wrong on the way (no network, no session, a bare status). Every
// screen that shows a failed request says it this way.
#pragma once
#include <string>

namespace handbook::ui {

// `status` is the HTTP status (0: the server could not be reached); `body` its answer.
// Lower case, no full stop: callers put it in their own sentence ("Not sent: ...").
std::string server_said(int status, const std::string& body);
// Only the API's own {"error": "..."}; "" when the answer has none.
std::string server_error_field(const std::string& body);

}  // namespace handbook::ui
