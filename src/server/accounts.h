// Accounts: who may sign in, with which role, in which categories.
//
// Passwords are hashed with argon2id (libsodium's crypto_pwhash_str, its "interactive"
// limits: 64 MiB and about 0.1 s per hash here). At most kHashesAtOnce hashes run at a
// time and at most kHashesWaiting wait, so a flood of sign-ins cannot take the server's
// memory: beyond that a sign-in is told to try again (too_many). An unknown name is
// checked against a hash too, so it answers like a wrong password, in about the same time.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/database.h"
#include "core/workflow.h"

namespace handbook {

inline constexpr size_t kMaxUserNameBytes = 64;
inline constexpr size_t kMinPasswordChars = 10;
inline constexpr size_t kMaxPasswordBytes = 1024;
inline constexpr int kHashesAtOnce = 2;
inline constexpr int kHashesWaiting = 16;

struct User {
    int64_t id = 0;
    std::string name;
    Role role = Role::staff;
    std::vector<std::string> categories;  // empty: all
    bool disabled = false;
    std::string created_at;
    std::string store;  // where they work ("" = not said), for the owners' reports

    Actor actor() const { return Actor{role, categories}; }
};

// A-Z, a-z, 0-9, '.', '_', '-' and '@', 1 to 64 bytes (names show up in logs and URLs).
Status check_user_name(std::string_view name);
// At least kMinPasswordChars characters, not the user's name, not one character
// repeated, not a well-known password: `invalid` with a message saying which.
Status check_password_strength(std::string_view password, std::string_view user_name);

Result<User> add_user(Database& db, std::string_view name, Role role, const std::vector<std::string>& categories,
                      std::string_view password);
Result<std::vector<User>> list_users(Database& db);
Result<std::optional<User>> find_user(Database& db, std::string_view name);
Result<std::optional<User>> find_user_by_id(Database& db, int64_t id);
Status set_user_role(Database& db, std::string_view name, Role role, const std::vector<std::string>& categories);
Status set_user_disabled(Database& db, std::string_view name, bool disabled);
Status set_user_password(Database& db, std::string_view name, std::string_view password);
Status set_user_store(Database& db, std::string_view name, std::string_view store);

// Signing in takes two steps, so no store connection is held while a hash is checked:
// the account and its hash (both empty for an unknown name) ...
struct SignInRecord {
    std::optional<User> user;
    std::string password_hash;
};
Result<SignInRecord> sign_in_record(Database& db, std::string_view name);
// ... then whether `password` matches it. An empty hash (an unknown name, the import
// account) is checked against a stand-in hash and never matches. Fails with `too_many`
// when too many hashes are waiting already.
Result<bool> password_matches(const std::string& password_hash, std::string_view password);

// How many passwords have been checked against a hash since the program started (the
// tests use it to see that an unknown name is checked like a known one).
int64_t password_checks_done();

// Makes the stand-in hash for unknown names now (at server start), so the first
// sign-in with an unknown name takes no longer than any other.
void prepare_sign_in_checks();

// How many accounts may administer (enabled admins): 0 means nobody can manage users yet.
Result<int> count_admins(Database& db);

}  // namespace handbook
