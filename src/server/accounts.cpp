// See accounts.h.
#include "accounts.h"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/article_store.h"

namespace handbook {

namespace {

// At most kHashesAtOnce argon2id hashes at once (64 MiB each), kHashesWaiting in line.
class HashSlots {
public:
    bool acquire() {
        std::unique_lock lock(mutex_);
        if (running_ >= kHashesAtOnce && waiting_ >= kHashesWaiting) return false;
        ++waiting_;
        free_.wait(lock, [this] { return running_ < kHashesAtOnce; });
        --waiting_;
        ++running_;
        return true;
    }
    void release() {
        {
            std::lock_guard lock(mutex_);
            --running_;
        }
        free_.notify_one();
    }

private:
    std::mutex mutex_;
    std::condition_variable free_;
    int running_ = 0, waiting_ = 0;
};

std::atomic<int64_t> g_password_checks{0};

HashSlots& hash_slots() {
    static HashSlots slots;
    return slots;
}

struct HashSlot {
    bool held = hash_slots().acquire();
    ~HashSlot() {
        if (held) hash_slots().release();
    }
};

Status too_busy() {
    return Status::fail(StatusCode::too_many, "the server is checking many sign-ins at once; try again in a few seconds");
}

Result<std::string> hash_password(std::string_view password) {
    if (sodium_init() < 0) return Status::fail("the password library (libsodium) could not start");
    HashSlot slot;
    if (!slot.held) return too_busy();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return Status::fail("not enough memory to hash the password; try again");
    return std::string(out);
}

// A hash of a password nobody has, for names that have no account: checking against it
// takes as long as checking a real one.
const std::string& stand_in_hash() {
    static const std::string hash = [] {
        auto h = hash_password("no account has this password: " + std::to_string(randombytes_random()));
        return h ? *h : std::string();
    }();
    return hash;
}

const char* kUserColumns = "id, name, role, categories_json, disabled, created_at, store";

Result<User> read_user(const Statement& row) {
    User u;
    u.id = row.column_int(0);
    u.name = row.column_text(1);
    auto role = parse_role(row.column_text(2));
    if (!role) return Status::fail(StatusCode::corrupt, "account '" + u.name + "' has an unknown role");
    u.role = *role;
    auto categories = tags_from_json(row.column_text(3));
    if (!categories) return categories.status().with_context("account '" + u.name + "': ");
    u.categories = std::move(*categories);
    u.disabled = row.column_int(4) != 0;
    u.created_at = row.column_text(5);
    u.store = row.column_text(6);
    return u;
}

Status check_categories(const std::vector<std::string>& categories) {
    if (categories.size() > 50) return Status::fail(StatusCode::invalid, "at most 50 categories per account");
    for (const auto& c : categories)
        if (c.empty() || c.size() > kMaxFieldBytes || !is_valid_utf8(c))
            return Status::fail(StatusCode::invalid, "a category must be 1-120 bytes of text");
    return Status::ok();
}

Status changed_one(Database& db, std::string_view name) {
    if (db.changes() == 0) return Status::fail(StatusCode::not_found, "there is no account '" + std::string(name) + "'");
    return Status::ok();
}

}  // namespace

Status check_user_name(std::string_view name) {
    if (name.empty() || name.size() > kMaxUserNameBytes)
        return Status::fail(StatusCode::invalid, "a user name is 1 to " + std::to_string(kMaxUserNameBytes) + " characters");
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '-' || c == '@';
        if (!ok) return Status::fail(StatusCode::invalid, "a user name may hold letters, digits and . _ - @ only");
    }
    return Status::ok();
}

Status check_password_strength(std::string_view password, std::string_view user_name) {
    if (password.size() > kMaxPasswordBytes)
        return Status::fail(StatusCode::invalid, "the password is longer than " + std::to_string(kMaxPasswordBytes) + " bytes");
    if (!is_valid_utf8(password)) return Status::fail(StatusCode::invalid, "the password is not valid UTF-8 text");
    size_t chars = 0;
    for (unsigned char c : password) chars += (c & 0xC0) != 0x80;
    if (chars < kMinPasswordChars)
        return Status::fail(StatusCode::invalid, "the password is too short: use at least " + std::to_string(kMinPasswordChars) +
                                                     " characters (a few words make a good one)");
    std::string lower(password), name(user_name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    // (A short name such as "ed" may well appear in a good passphrase; a longer one may not.)
    if (!name.empty() && (lower == name || (name.size() >= 4 && lower.find(name) != std::string::npos)))
        return Status::fail(StatusCode::invalid, "the password must not contain the user name");
    if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password[0]; }))
        return Status::fail(StatusCode::invalid, "the password is one character repeated: choose another");
    static const char* kWellKnown[] = {"1234567890", "12345678910", "0123456789", "password123", "password1234", "qwertyuiop",
                                       "1q2w3e4r5t", "iloveyou123", "administrator", "letmein123", "handbook123", "welcome123"};
    for (const char* w : kWellKnown)
        if (lower == w) return Status::fail(StatusCode::invalid, "that password is on every attacker's list: choose another");
    return Status::ok();
}

Result<User> add_user(Database& db, std::string_view name, Role role, const std::vector<std::string>& categories,
                      std::string_view password) {
    if (Status st = check_user_name(name); !st) return st;
    if (Status st = check_categories(categories); !st) return st;
    if (Status st = check_password_strength(password, name); !st) return st;
    auto hash = hash_password(password);
    if (!hash) return hash.status();
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto existing = find_user(db, name);
    if (!existing) return existing.status();
    if (existing->has_value()) return Status::fail(StatusCode::conflict, "there is already an account '" + (*existing)->name + "'");
    auto ins = db.prepare(
        "INSERT INTO users(name, role, categories_json, password_hash, created_at, password_changed_at) "
        "VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    if (!ins) return ins.status();
    ins->bind(1, name).bind(2, std::string_view(role_name(role))).bind(3, tags_to_json(categories)).bind(4, *hash);
    if (Status st = ins->run(); !st) return st;
    auto added = find_user(db, name);
    if (!added) return added.status();
    if (Status st = tx.commit(); !st) return st;
    return **added;
}

Result<std::vector<User>> list_users(Database& db) {
    auto stmt = db.prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE name <> 'import' ORDER BY name");
    if (!stmt) return stmt.status();
    std::vector<User> out;
    while (stmt->step()) {
        auto u = read_user(*stmt);
        if (!u) return u.status();
        out.push_back(std::move(*u));
    }
    if (!stmt->status()) return stmt->status();
    return out;
}

Result<std::optional<User>> find_user(Database& db, std::string_view name) {
    auto stmt = db.prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE name = ?1");
    if (!stmt) return stmt.status();
    stmt->bind(1, name);
    if (stmt->step()) {
        auto u = read_user(*stmt);
        if (!u) return u.status();
        return std::optional<User>(std::move(*u));
    }
    if (!stmt->status()) return stmt->status();
    return std::optional<User>();
}

Result<std::optional<User>> find_user_by_id(Database& db, int64_t id) {
    auto stmt = db.prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?1");
    if (!stmt) return stmt.status();
    stmt->bind(1, id);
    if (stmt->step()) {
        auto u = read_user(*stmt);
        if (!u) return u.status();
        return std::optional<User>(std::move(*u));
    }
    if (!stmt->status()) return stmt->status();
    return std::optional<User>();
}

Status set_user_role(Database& db, std::string_view name, Role role, const std::vector<std::string>& categories) {
    if (Status st = check_categories(categories); !st) return st;
    auto stmt = db.prepare("UPDATE users SET role = ?2, categories_json = ?3 WHERE name = ?1 AND name <> 'import'");
    if (!stmt) return stmt.status();
    if (Status st = stmt->bind(1, name).bind(2, std::string_view(role_name(role))).bind(3, tags_to_json(categories)).run(); !st)
        return st;
    return changed_one(db, name);
}

Status set_user_disabled(Database& db, std::string_view name, bool disabled) {
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto stmt = db.prepare("UPDATE users SET disabled = ?2 WHERE name = ?1 AND name <> 'import'");
    if (!stmt) return stmt.status();
    if (Status st = stmt->bind(1, name).bind(2, disabled ? 1 : 0).run(); !st) return st;
    if (Status st = changed_one(db, name); !st) return st;
    if (disabled) {
        // A disabled account is signed out everywhere at once.
        auto end = db.prepare("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?1)");
        if (!end) return end.status();
        if (Status st = end->bind(1, name).run(); !st) return st;
    }
    return tx.commit();
}

Status set_user_password(Database& db, std::string_view name, std::string_view password) {
    if (Status st = check_password_strength(password, name); !st) return st;
    auto hash = hash_password(password);
    if (!hash) return hash.status();
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto stmt = db.prepare("UPDATE users SET password_hash = ?2, password_changed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
                           "WHERE name = ?1 AND name <> 'import'");
    if (!stmt) return stmt.status();
    if (Status st = stmt->bind(1, name).bind(2, *hash).run(); !st) return st;
    if (Status st = changed_one(db, name); !st) return st;
    // A new password ends the sessions made with the old one.
    auto end = db.prepare("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?1)");
    if (!end) return end.status();
    if (Status st = end->bind(1, name).run(); !st) return st;
    return tx.commit();
}

Status set_user_store(Database& db, std::string_view name, std::string_view store) {
    if (store.size() > kMaxFieldBytes || !is_valid_utf8(store)) return Status::fail(StatusCode::invalid, "store: at most 120 bytes of text");
    auto stmt = db.prepare("UPDATE users SET store = ?2 WHERE name = ?1 AND name <> 'import'");
    if (!stmt) return stmt.status();
    if (Status st = stmt->bind(1, name).bind(2, store).run(); !st) return st;
    return changed_one(db, name);
}

Result<SignInRecord> sign_in_record(Database& db, std::string_view name) {
    SignInRecord record;
    if (name.empty() || name.size() > kMaxUserNameBytes) return record;
    auto stmt = db.prepare(std::string("SELECT ") + kUserColumns + ", password_hash FROM users WHERE name = ?1");
    if (!stmt) return stmt.status();
    stmt->bind(1, name);
    if (stmt->step()) {
        auto u = read_user(*stmt);
        if (!u) return u.status();
        if (!u->disabled) {
            record.password_hash = stmt->column_text(7);
            record.user = std::move(*u);
        }
    }
    if (!stmt->status()) return stmt->status();
    return record;
}

Result<bool> password_matches(const std::string& password_hash, std::string_view password) {
    if (sodium_init() < 0) return Status::fail("the password library (libsodium) could not start");
    const std::string& hash = password_hash.empty() ? stand_in_hash() : password_hash;
    if (password.size() > kMaxPasswordBytes) password = password.substr(0, kMaxPasswordBytes);
    HashSlot slot;
    if (!slot.held) return too_busy();
    g_password_checks.fetch_add(1);
    bool ok = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
    return ok && !password_hash.empty();
}

void prepare_sign_in_checks() { (void)stand_in_hash(); }

int64_t password_checks_done() { return g_password_checks.load(); }

Result<int> count_admins(Database& db) {
    auto stmt = db.prepare("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0");
    if (!stmt) return stmt.status();
    if (!stmt->step()) return stmt->status();
    return static_cast<int>(stmt->column_int(0));
}

}  // namespace handbook
