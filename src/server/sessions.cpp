// See sessions.h.
#include "sessions.h"

#include <sodium.h>

namespace handbook {

namespace {

std::string token_hash(std::string_view token) {
    unsigned char out[32];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
    char hex[sizeof out * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

// A token as we make them: 43 characters of base64url.
bool is_token(std::string_view token) {
    if (token.size() != 43) return false;
    for (char c : token)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
    return true;
}

}  // namespace

Result<std::string> create_session(Database& db, int64_t user_id, std::string_view client, int64_t now) {
    if (sodium_init() < 0) return Status::fail("the crypto library (libsodium) could not start");
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    char token[sodium_base64_ENCODED_LEN(sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(token, sizeof token, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    // Old sessions go as new ones come: the table stays the size of the active ones.
    auto expired = db.prepare("DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen <= ?2");
    if (!expired) return expired.status();
    if (Status st = expired->bind(1, now).bind(2, now - kIdleSeconds).run(); !st) return st;
    auto ins = db.prepare("INSERT INTO sessions(token_hash, user_id, created_at, last_seen, expires_at, client) "
                          "VALUES (?1, ?2, ?3, ?3, ?4, ?5)");
    if (!ins) return ins.status();
    ins->bind(1, token_hash(token)).bind(2, user_id).bind(3, now).bind(4, now + kLifetimeSeconds).bind(5, client.substr(0, 100));
    if (Status st = ins->run(); !st) return st;
    if (Status st = tx.commit(); !st) return st;
    return std::string(token);
}

Result<SessionLookup> find_session(Database& db, std::string_view token, int64_t now) {
    SessionLookup found;
    if (!is_token(token)) return found;
    auto stmt = db.prepare("SELECT s.user_id, s.last_seen, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id "
                           "WHERE s.token_hash = ?1 AND u.disabled = 0");
    if (!stmt) return stmt.status();
    stmt->bind(1, token_hash(token));
    if (!stmt->step()) return stmt->status().is_ok() ? Result<SessionLookup>(found) : Result<SessionLookup>(stmt->status());
    const int64_t user_id = stmt->column_int(0), last_seen = stmt->column_int(1), expires_at = stmt->column_int(2);
    if (now >= expires_at || now - last_seen >= kIdleSeconds) return found;
    auto user = find_user_by_id(db, user_id);
    if (!user) return user.status();
    found.user = std::move(*user);
    found.touch = now - last_seen >= 60;
    return found;
}

Status touch_session(Database& db, std::string_view token, int64_t now) {
    auto stmt = db.prepare("UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1");
    if (!stmt) return stmt.status();
    return stmt->bind(1, token_hash(token)).bind(2, now).run();
}

Status end_session(Database& db, std::string_view token) {
    auto stmt = db.prepare("DELETE FROM sessions WHERE token_hash = ?1");
    if (!stmt) return stmt.status();
    return stmt->bind(1, token_hash(token)).run();
}

std::string session_token_from_cookies(std::string_view header) {
    const std::string_view name = kSessionCookie;
    size_t pos = 0;
    while (pos < header.size()) {
        size_t end = header.find(';', pos);
        if (end == std::string_view::npos) end = header.size();
        std::string_view pair = header.substr(pos, end - pos);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=')
            return std::string(pair.substr(name.size() + 1));
        pos = end + 1;
    }
    return {};
}

}  // namespace handbook
