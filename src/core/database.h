// A thin RAII layer over the SQLite C API: open, prepare, bind, step, transactions.
// Every statement is prepared with bound parameters; nothing is spliced into SQL text.
// Every failure is a Status whose code comes from SQLite's result code (busy, full,
// read_only, corrupt, io: see status_from_sqlite), so callers can tell a full disk from
// a bad article.
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

// The Status for SQLite result code `rc` on connection `db` (may be null): its code by
// kind (SQLITE_FULL -> full, SQLITE_CORRUPT/NOTADB -> corrupt, SQLITE_BUSY -> busy, ...)
// and SQLite's own message, after `context` when one is given.
Status status_from_sqlite(sqlite3* db, int rc, std::string_view context = {});

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

struct OpenOptions {
    bool create = true;        // make the file when there is none
    bool read_only = false;    // never write (and fail on a missing file)
    // How long a statement waits for another connection's write lock before failing
    // with `busy` (a second process importing while the server answers, say).
    int busy_timeout_ms = 5000;
    const char* vfs = nullptr; // a registered SQLite VFS by name (tests inject faults)
};

class Database {
public:
    // Opens (creating if allowed) a database file; ":memory:" for a private in-memory
    // one. Fails with `corrupt` for a file that is not a database, including an empty
    // file (a copy cut short is not an empty library), and writes nothing then.
    static Result<std::unique_ptr<Database>> open(const std::string& path, const OpenOptions& options = {});
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
    // True while a transaction is open on this connection (SQLite may end one by itself
    // after a failure such as SQLITE_FULL: see Transaction).
    bool in_transaction() const;
    bool is_read_only() const;
    const std::string& path() const { return path_; }
    sqlite3* handle() { return db_; }
    // FTS5's extension interface (tokenizers, ranking functions); null without FTS5.
    fts5_api* fts5();

private:
    friend class Transaction;
    Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
    sqlite3* db_;
    std::string path_;
    int savepoint_depth_ = 0;
};

// All or nothing: rolls back unless commit() was called, so a failure anywhere leaves
// the database as it was. The outermost transaction is BEGIN IMMEDIATE (the write lock
// is taken at once, waiting up to the busy timeout, so it cannot fail half way for a
// lock); inner ones are SAVEPOINTs, so transactions nest (an import wraps many article
// saves, each of which is atomic on its own too).
//
// After some failures (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM, SQLITE_BUSY) SQLite rolls
// the whole transaction back by itself and the savepoints are gone: from then on every
// inner Transaction fails at its start and commit() fails, so nothing written afterwards
// can commit on its own.
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
    std::string name_;   // the savepoint; empty for the outermost transaction
    Status status_;
    bool done_ = false;
};

// One consistent view of the store for a reader that asks several questions (the change
// feed: its list of changes, then each version): BEGIN ... COMMIT, unless a transaction is
// open already (then it reads inside that one). In WAL mode a writer in another process
// goes on meanwhile; the reader does not see its work until the next ReadTransaction.
class ReadTransaction {
public:
    explicit ReadTransaction(Database& db);
    ~ReadTransaction();
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;
    Status status() const { return status_; }

private:
    Database& db_;
    bool began_ = false;
    Status status_;
};

}  // namespace handbook
