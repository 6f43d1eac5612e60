// The store's schema and its migrations. The database records its schema version
// (PRAGMA user_version) and open_store() upgrades an older file in place, inside one
// transaction per step, so an interrupted upgrade leaves the previous version intact.
#pragma once
#include <memory>
#include <string>

#include "database.h"

namespace handbook {

inline constexpr int kSchemaVersion = 8;

// One step of a schema: its SQL, then work SQL alone cannot do (may be null). Each
// step runs in its own transaction, so an interrupted upgrade leaves the previous one.
struct Migration {
    int version;
    const char* sql;
    Status (*after)(Database&);
};

// The replica's schema version (PRAGMA user_version); fails when it cannot be read.
Result<int> schema_version(Database& db);

// Applies the replica's migrations from the database's version up to `target`.
Status migrate(Database& db, int target = kSchemaVersion);

// Brings a part of the schema that lives beside the replica up to date: the server's
// own tables (accounts, drafts, audit), or a device's own store. Its version is kept in
// the table schema_parts; a version newer than `migrations` know is refused.
Status migrate_part(Database& db, const std::string& part, const Migration* migrations, size_t count);

struct StoreOptions {
    // Write-ahead log: readers keep answering from a consistent view while one writer
    // (an import, a publish) works. For stores on a real disk (the server, the command
    // line); not in the browser, whose file system has no shared memory for it.
    bool wal = false;
    // PRAGMA quick_check before anything is read or written (reads every page: a few
    // hundred milliseconds for a very large library). A store that fails it is refused.
    bool check = true;
    bool create = true;        // make a new, empty store when there is no file
    const char* vfs = nullptr; // see OpenOptions::vfs
};

// Opens a store and brings its schema up to date. A damaged store (a failed quick
// check, a file that is not a database, an empty file) is refused with `corrupt` and a
// message that says how to restore it; nothing is written to it.
Result<std::unique_ptr<Database>> open_store(const std::string& path, const StoreOptions& options = {});

// SQLite's quick_check of the whole file: ok, or `corrupt` with what it found.
Status check_store(Database& db);

// What a person can do about a damaged store at `path` (the sentence after the error).
std::string damaged_store_advice(const std::string& path);

// The store's identity: made at random when the store was created, never changed. A
// server's feed and snapshots carry it, so a device can tell a re-created or replaced
// server database from the one it followed (change_feed.h).
Result<std::string> store_identity(Database& db);

}  // namespace handbook
