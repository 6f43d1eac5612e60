// The store's schema and its migrations. The database records its schema version
// (PRAGMA user_version) and open_store() upgrades an older file in place, inside one
// transaction per step, so an interrupted upgrade leaves the previous version intact.
#pragma once
#include <memory>
#include <string>

#include "database.h"

namespace handbook {

inline constexpr int kSchemaVersion = 4;

int schema_version(Database& db);

// Applies the migrations from the database's version up to `target`.
Status migrate(Database& db, int target = kSchemaVersion);

// Opens a database file and brings its schema up to date.
Result<std::unique_ptr<Database>> open_store(const std::string& path);

}  // namespace handbook
