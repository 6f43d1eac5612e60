#include "database.h"

#include <sqlite3.h>

namespace handbook {

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
    if (rc != SQLITE_OK && status_.is_ok()) status_ = Status::fail(sqlite3_errmsg(db_));
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
    if (rc != SQLITE_DONE) status_ = Status::fail(sqlite3_errmsg(db_));
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

Result<std::unique_ptr<Database>> Database::open(const std::string& path) {
    return open_with_flags(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
}

Result<std::unique_ptr<Database>> Database::open_read_only(const std::string& path) {
    return open_with_flags(path, SQLITE_OPEN_READONLY);
}

Result<std::unique_ptr<Database>> Database::open_with_flags(const std::string& path, int flags) {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = "cannot open database '" + path + "': " + (db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return Status::fail(message);
    }
    auto database = std::unique_ptr<Database>(new Database(db));
    // A file that is not a database only shows itself on first read.
    Status status = database->exec("PRAGMA foreign_keys = ON; SELECT count(*) FROM sqlite_schema;");
    if (!status) return Status::fail("cannot open database '" + path + "': " + status.error);
    return database;
}

Database::~Database() { sqlite3_close(db_); }

Result<Statement> Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) return Status::fail(std::string("SQL error: ") + sqlite3_errmsg(db_));
    return Statement(db_, stmt);
}

Status Database::exec(const std::string& sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK) return Status::ok();
    std::string text = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return Status::fail(text);
}

int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }
Transaction::Transaction(Database& db) : db_(db) {
    name_ = "sp" + std::to_string(++db_.savepoint_depth_);
    status_ = db_.exec("SAVEPOINT " + name_);
}

Transaction::~Transaction() {
    if (status_.is_ok() && !done_) {
        (void)db_.exec("ROLLBACK TO " + name_);
        (void)db_.exec("RELEASE " + name_);
    }
    --db_.savepoint_depth_;
}

Status Transaction::commit() {
    if (!status_.is_ok()) return status_;
    done_ = true;
    return db_.exec("RELEASE " + name_);
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
