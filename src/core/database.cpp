#include "database.h"

#include <sqlite3.h>

#include <filesystem>
#include <system_error>

#include "word_forms_tokenizer.h"

namespace handbook {

namespace {

StatusCode code_of(int rc) {
    switch (rc & 0xFF) {  // the primary code of an extended one
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE: return StatusCode::ok;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return StatusCode::busy;
    case SQLITE_FULL: return StatusCode::full;
    case SQLITE_READONLY:
    case SQLITE_PERM: return StatusCode::read_only;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return StatusCode::corrupt;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN: return StatusCode::io;
    case SQLITE_CONSTRAINT: return StatusCode::conflict;
    default: return StatusCode::failed;
    }
}

}  // namespace

Status status_from_sqlite(sqlite3* db, int rc, std::string_view context) {
    StatusCode code = code_of(rc);
    if (code == StatusCode::ok) return Status::ok();
    // The connection's message describes its last failure; without a connection (or
    // when it has moved on) SQLite's text for the code is all there is.
    const char* message = db && (sqlite3_extended_errcode(db) & 0xFF) == (rc & 0xFF) ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    std::string text(context);
    text += message;
    return Status::fail(code, std::move(text));
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), status_(std::move(other.status_)) {
    other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        db_ = other.db_;
        stmt_ = other.stmt_;
        status_ = std::move(other.status_);
        other.stmt_ = nullptr;
    }
    return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::string_view text) {
    int rc = sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK && status_.is_ok()) status_ = status_from_sqlite(db_, rc);
    return *this;
}

Statement& Statement::bind(int index, int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
}

Statement& Statement::bind(int index, double value) {
    sqlite3_bind_double(stmt_, index, value);
    return *this;
}

Statement& Statement::bind_null(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
}

bool Statement::step() {
    if (!status_.is_ok()) return false;
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) status_ = status_from_sqlite(db_, rc);
    return false;
}

Status Statement::run() {
    while (step()) {
    }
    return status_;
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    status_ = Status::ok();
}

int64_t Statement::column_int(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::column_double(int col) const { return sqlite3_column_double(stmt_, col); }
bool Statement::column_is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

std::string Statement::column_text(int col) const {
    const unsigned char* text = sqlite3_column_text(stmt_, col);
    if (!text) return {};
    return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

Result<std::unique_ptr<Database>> Database::open(const std::string& path, const OpenOptions& options) {
    const bool is_file = !path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0;
    if (is_file) {
        // SQLite takes an empty file for an empty database and would write a new one into
        // it: an empty file where a library was expected is a copy cut short, not a start.
        std::error_code ec;
        if (std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) == 0 && !ec)
            return Status::fail(StatusCode::corrupt, "'" + path + "' is an empty file, not a Handbook database (a copy cut short?)");
    }
    int flags = options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);
    if (path.rfind("file:", 0) == 0) flags |= SQLITE_OPEN_URI;
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, options.vfs);
    if (rc != SQLITE_OK) {
        Status st = db ? status_from_sqlite(db, rc, "cannot open database '" + path + "': ")
                       : Status::fail("cannot open database '" + path + "': out of memory");
        sqlite3_close(db);
        return st;
    }
    sqlite3_busy_timeout(db, options.busy_timeout_ms);
    auto database = std::unique_ptr<Database>(new Database(db, path));
    // A file that is not a database only shows itself on first read.
    Status status = database->exec("PRAGMA foreign_keys = ON; SELECT count(*) FROM sqlite_schema;");
    // The search index's tokenizer: without it on the connection, FTS5 cannot read or
    // write search_index at all.
    if (status) status = register_word_forms_tokenizer(*database);
    if (!status) return status.with_context("cannot open database '" + path + "': ");
    return database;
}

Result<std::unique_ptr<Database>> Database::open_read_only(const std::string& path) {
    OpenOptions options;
    options.read_only = true;
    return open(path, options);
}

Database::~Database() { sqlite3_close(db_); }

Result<Statement> Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        // A damaged schema or a locked file shows up here too: keep SQLite's code.
        Status st = status_from_sqlite(db_, rc, "SQL error: ");
        return st;
    }
    return Statement(db_, stmt);
}

Status Database::exec(const std::string& sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK) return Status::ok();
    std::string text = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return Status::fail(code_of(rc) == StatusCode::ok ? StatusCode::failed : code_of(rc), text);
}

int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }
bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }
bool Database::is_read_only() const { return sqlite3_db_readonly(db_, "main") == 1; }

Transaction::Transaction(Database& db) : db_(db) {
    if (db_.savepoint_depth_ > 0 && !db_.in_transaction()) {
        // An enclosing Transaction is still open, but SQLite ended it after a failure
        // (see the class comment): a savepoint now would start a new transaction and
        // commit on its own.
        ++db_.savepoint_depth_;
        status_ = Status::fail(StatusCode::failed,
                               "an earlier failure rolled the whole change back; nothing more is written");
        return;
    }
    if (db_.savepoint_depth_++ == 0 && !db_.in_transaction()) {
        status_ = db_.exec("BEGIN IMMEDIATE");
    } else {
        name_ = "sp" + std::to_string(db_.savepoint_depth_);
        status_ = db_.exec("SAVEPOINT " + name_);
    }
}

Transaction::~Transaction() {
    if (status_.is_ok() && !done_ && db_.in_transaction()) {
        if (name_.empty()) {
            (void)db_.exec("ROLLBACK");
        } else {
            (void)db_.exec("ROLLBACK TO " + name_);
            (void)db_.exec("RELEASE " + name_);
        }
    }
    --db_.savepoint_depth_;
}

Status Transaction::commit() {
    if (!status_.is_ok()) return status_;
    done_ = true;
    if (!db_.in_transaction())
        return Status::fail(StatusCode::failed, "the change was rolled back by an earlier failure; nothing was written");
    Status st = db_.exec(name_.empty() ? "COMMIT" : "RELEASE " + name_);
    if (!st && name_.empty() && db_.in_transaction()) (void)db_.exec("ROLLBACK");  // a COMMIT that failed leaves it open
    return st;
}

ReadTransaction::ReadTransaction(Database& db) : db_(db) {
    if (db_.in_transaction()) return;  // inside a writer's transaction: read what it sees
    status_ = db_.exec("BEGIN");
    if (!status_) return;
    began_ = true;
    // BEGIN is deferred: the view is fixed by the first read, taken here so the
    // caller's first question and its last see the same store.
    status_ = db_.exec("SELECT count(*) FROM sqlite_schema");
}

ReadTransaction::~ReadTransaction() {
    if (began_ && db_.in_transaction()) (void)db_.exec("COMMIT");
}

fts5_api* Database::fts5() {
    fts5_api* api = nullptr;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
        sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    return api;
}

}  // namespace handbook
