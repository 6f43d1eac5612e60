// Sessions: what a sign-in gives the browser, in an HttpOnly cookie.
//
// A session token is 32 random bytes (libsodium), sent once as the cookie's value; the
// store keeps only its BLAKE2b hash, so a copy of the database holds no usable session.
// A session ends after kIdleSeconds without use, after kLifetimeSeconds in any case, on
// sign-out, and when its account is disabled or gets a new password (accounts.cpp).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "accounts.h"

namespace handbook {

inline constexpr int64_t kIdleSeconds = 12 * 3600;          // a working day without use
inline constexpr int64_t kLifetimeSeconds = 7 * 24 * 3600;  // then sign in again, whatever the use
inline constexpr const char* kSessionCookie = "hb_session";

// A new session for `user_id`: the token to give the browser.
Result<std::string> create_session(Database& db, int64_t user_id, std::string_view client, int64_t now);

struct SessionLookup {
    std::optional<User> user;  // nobody: no such session, ended, or its account disabled
    bool touch = false;        // last use is old enough to record this one (touch_session)
};
// Reads only (any connection): who the token belongs to, if the session is still valid.
Result<SessionLookup> find_session(Database& db, std::string_view token, int64_t now);
// Records a use (a write: at most once a minute per session, see SessionLookup::touch).
Status touch_session(Database& db, std::string_view token, int64_t now);
Status end_session(Database& db, std::string_view token);

// The token from a Cookie header ("" when there is none).
std::string session_token_from_cookies(std::string_view cookie_header);

}  // namespace handbook
