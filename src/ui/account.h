// Signing in and out of the server from the app: POST /api/session with the name and
// password, DELETE /api/session, and GET /api/session at start to learn whether this browser's
// session cookie is still good (src/server/api.h). The answers come later through
// UiPlatform::api; the cookie itself is the browser's (HttpOnly), never seen here.
#pragma once
#include <string>

#include "app_state.h"

namespace handbook::ui {

// What a failed sign-in answer means, in words a person can act on (status 0: the server
// could not be reached; the body is the server's {"error": ...} or the reason).
std::string sign_in_failure(int status, const std::string& body);

// Reads an account as the server gives it ({"name", "role", "categories"}: GET/POST
// api/session), and as the device keeps the last one; false when it is not one.
bool read_account(const std::string& body, Account* account);

// Asks the server who is signed in here (at start, and when the network is back).
void check_account(AppState& state, const UiPlatform& platform);

// Sends the form; on success the account is known, the password is wiped and the app
// returns to where the person was (state.before_sign_in) at the next frame. The answer
// keeps nothing of `library` but its device store (a Library may be replaced meanwhile).
void submit_sign_in(AppState& state, Library& library, const UiPlatform& platform);

// A person signed in offline gets their server session once the network is back
// (state.resume): called every frame, it signs in with the password held since then,
// and wipes it whatever the answer (but "no network": it tries again at the next sync).
void resume_session(AppState& state, Library& library, const UiPlatform& platform);

// Leaves the sign-in screen for where the person was (signed in, or Cancel); the address
// bar's sign-in entry is replaced by that place.
void leave_sign_in(AppState& state, Library& library, const UiPlatform& platform);

// Ends the session on the server and forgets the account here (at once: the device is
// someone else's from now on, whether or not the server could be told).
void sign_out(AppState& state, const UiPlatform& platform);

}  // namespace handbook::ui
