// A thin RAII layer over the SQLite C API: open, prepare, bind, step, transactions.
// Every statement is prepared with bound parameters; nothing is spliced into SQL text.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "result.h"

struct sqlite3;
struct sqlite3_stmt;
struct fts5_api;

namespace handbook {

class Statement {
public:
    Statement() = default;
    Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Parameters are 1-based, as in SQLite.
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind_null(int index);

    // Returns true while a row is available; false when done. Errors end up in status().
    bool step();
    // Runs to completion; returns the error, if any.
    Status run();
    void reset();

    int64_t column_int(int col) const;
    double column_double(int col) const;
    std::string column_text(int col) const;
    bool column_is_null(int col) const;

    Status status() const { return status_; }
    bool valid() const { return stmt_ != nullptr; }

private:
    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
    Status status_;
};

class Database {
public:
    // Opens (creating if needed) a database file; ":memory:" for a private in-memory one.
    static Result<std::unique_ptr<Database>> open(const std::string& path);
    // An existing file, for reading only: fails (and creates nothing) when there is none.
    static Result<std::unique_ptr<Database>> open_read_only(const std::string& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    Result<Statement> prepare(std::string_view sql);
    // Runs one or more statements without parameters (schema text, pragmas).
    Status exec(const std::string& sql);
    int64_t last_insert_rowid() const;
    int changes() const;
    sqlite3* handle() { return db_; }
    // FTS5's extension interface (tokenizers, ranking functions); null without FTS5.
    fts5_api* fts5();

private:
    friend class Transaction;
    explicit Database(sqlite3* db) : db_(db) {}
    static Result<std::unique_ptr<Database>> open_with_flags(const std::string& path, int flags);
    sqlite3* db_;
    int savepoint_depth_ = 0;
};

// All or nothing: rolls back unless commit() was called, so a failure anywhere leaves
// the database as it was. Built on SAVEPOINT, so transactions nest (an import wraps
// many article saves, each of which is atomic on its own too).
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    Status status() const { return status_; }
    Status commit();

private:
    Database& db_;
    std::string name_;
    Status status_;
    bool done_ = false;
};

}  // namespace handbook
