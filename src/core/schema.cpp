#include "schema.h"

#include "search_index.h"

namespace handbook {
namespace {

struct Migration {
    int version;
    const char* sql;
    Status (*after)(Database&);  // work SQL alone cannot do (may be null)
};

// Version 1: articles, their immutable numbered versions, and the change sequence.
const char* kSchemaV1 = R"sql(
CREATE TABLE articles (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    category    TEXT NOT NULL,
    tags_json   TEXT NOT NULL DEFAULT '[]',
    owner       TEXT NOT NULL,
    effective   TEXT NOT NULL,
    review_by   TEXT NOT NULL,
    status      TEXT NOT NULL,
    body        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE article_tags (
    article_id  INTEGER NOT NULL REFERENCES articles(id),
    tag         TEXT NOT NULL,
    PRIMARY KEY (article_id, tag)
) WITHOUT ROWID;
CREATE INDEX article_tags_by_tag ON article_tags(tag);

-- Every change to an article appends one row here; sync asks for "everything after N".
CREATE TABLE changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,          -- 'article' | 'synonyms'
    article_id  INTEGER REFERENCES articles(id),
    version     INTEGER,
    created_at  TEXT NOT NULL
);

-- Published versions are immutable: a change is a new row, never an edit.
CREATE TABLE article_versions (
    article_id  INTEGER NOT NULL REFERENCES articles(id),
    version     INTEGER NOT NULL,
    title       TEXT NOT NULL,
    category    TEXT NOT NULL,
    tags_json   TEXT NOT NULL,
    owner       TEXT NOT NULL,
    effective   TEXT NOT NULL,
    review_by   TEXT NOT NULL,
    status      TEXT NOT NULL,
    body        TEXT NOT NULL,
    change_note TEXT NOT NULL DEFAULT '',
    author      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    seq         INTEGER NOT NULL REFERENCES changes(seq),
    PRIMARY KEY (article_id, version)
);
CREATE TRIGGER article_versions_no_update BEFORE UPDATE ON article_versions
BEGIN SELECT RAISE(ABORT, 'article versions are immutable'); END;
CREATE TRIGGER article_versions_no_delete BEFORE DELETE ON article_versions
BEGIN SELECT RAISE(ABORT, 'article versions are immutable'); END;

-- Synonym groups staff use ("parcel", "package", "delivery"); data, not code.
CREATE TABLE synonyms (
    group_id    INTEGER NOT NULL,
    phrase      TEXT NOT NULL,
    PRIMARY KEY (group_id, phrase)
);
)sql";

// Version 2: the full-text index over published articles (see search_index.h).
const char* kSchemaV2 = R"sql(
CREATE VIRTUAL TABLE search_index USING fts5(
    title, tags, category, body,
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '2 3'
);
CREATE VIRTUAL TABLE search_index_vocab USING fts5vocab(search_index, row);
-- Unstemmed words of the same text: the vocabulary typo correction draws from.
CREATE VIRTUAL TABLE search_words USING fts5(
    text, tokenize = 'unicode61 remove_diacritics 2', detail = none
);
CREATE VIRTUAL TABLE search_words_vocab USING fts5vocab(search_words, row);
)sql";

// Version 3: what a device has taken from a server's change feed.
const char* kSchemaV3 = R"sql(
CREATE TABLE sync_state (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL
);
)sql";

// Version 4: published titles in alphabetical order, for the one- and two-letter
// searches staff start typing with (see search.cpp: they list titles by first letters).
const char* kSchemaV4 = R"sql(
CREATE INDEX articles_by_title ON articles(title COLLATE NOCASE) WHERE status = 'published';
)sql";

// Version 5: the store's identity (see store_identity()), 128 random bits from SQLite's
// generator (seeded by the operating system's, or the browser's, randomness).
const char* kSchemaV5 = R"sql(
CREATE TABLE store_identity (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    identity    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
INSERT INTO store_identity(id, identity, created_at)
VALUES (1, lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
CREATE TRIGGER store_identity_no_update BEFORE UPDATE ON store_identity
BEGIN SELECT RAISE(ABORT, 'a store keeps its identity'); END;
)sql";

const Migration kMigrations[] = {
    {1, kSchemaV1, nullptr},
    {2, kSchemaV2, rebuild_search_index},
    {3, kSchemaV3, nullptr},
    {4, kSchemaV4, nullptr},
    {5, kSchemaV5, nullptr},
};

}  // namespace

Result<int> schema_version(Database& db) {
    auto stmt = db.prepare("PRAGMA user_version");
    if (!stmt) return stmt.status();
    if (!stmt->step()) return stmt->status().is_ok() ? Status::fail(StatusCode::corrupt, "the schema version is missing") : stmt->status();
    return static_cast<int>(stmt->column_int(0));
}

Status migrate(Database& db, int target) {
    auto version = schema_version(db);
    if (!version) return version.status().with_context("cannot read the database's schema version: ");
    const int current = *version;
    if (current > kSchemaVersion)
        return Status::fail("this database was written by a newer Handbook (schema " + std::to_string(current) +
                            "); this program knows schema " + std::to_string(kSchemaVersion) +
                            " at most: update Handbook");
    for (const Migration& m : kMigrations) {
        if (m.version <= current || m.version > target) continue;
        Transaction tx(db);
        if (!tx.status()) return tx.status();
        Status st = db.exec(m.sql);
        if (st && m.after) st = m.after(db);
        if (st) st = db.exec("PRAGMA user_version = " + std::to_string(m.version));
        if (!st) return st.with_context("upgrading the database to schema " + std::to_string(m.version) + " failed: ");
        if (Status c = tx.commit(); !c) return c;
    }
    return Status::ok();
}

Status check_store(Database& db) {
    auto check = db.prepare("PRAGMA quick_check(20)");
    if (!check) return check.status();
    std::string found;
    while (check->step()) {
        std::string line = check->column_text(0);
        if (line == "ok") return Status::ok();
        if (!found.empty()) found += "; ";
        found += line;
    }
    if (!check->status()) return check->status();
    return Status::fail(StatusCode::corrupt, "the database check failed: " + found.substr(0, 600));
}

std::string damaged_store_advice(const std::string& path) {
    return "Nothing was read from it or written to it. Restore '" + path +
           "' from a backup, or move it aside and build a new one from the article files: "
           "handbook import articles --db " + path;
}

Result<std::unique_ptr<Database>> open_store(const std::string& path, const StoreOptions& options) {
    OpenOptions open_options;
    open_options.create = options.create;
    open_options.vfs = options.vfs;
    auto db = Database::open(path, open_options);
    if (!db) return db.status();
    auto refuse = [&](const Status& st) -> Status {
        if (st.code == StatusCode::corrupt) return st.with_context(path + " is damaged: ");
        return st.with_context(path + ": ");
    };
    if (options.check) {
        if (Status st = check_store(**db); !st) return refuse(st);
    }
    if (options.wal) {
        // Persistent in the file; synchronous=FULL keeps every commit on a power cut too.
        if (Status st = (*db)->exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"); !st) return refuse(st);
    }
    if (Status st = migrate(**db); !st) return refuse(st);
    // Searches read the same index pages keystroke after keystroke: keep up to 32 MiB
    // of them in SQLite's cache (the default 2 MiB makes a large library re-read its
    // index from the file, or in the browser copy it from the in-memory file, each time).
    if (Status st = (*db)->exec("PRAGMA cache_size = -32768"); !st) return refuse(st);
    return db;
}

Result<std::string> store_identity(Database& db) {
    auto stmt = db.prepare("SELECT identity FROM store_identity WHERE id = 1");
    if (!stmt) return stmt.status();
    if (stmt->step()) return stmt->column_text(0);
    if (!stmt->status()) return stmt->status();
    return Status::fail(StatusCode::corrupt, "the store has no identity (its store_identity row is missing)");
}

}  // namespace handbook
