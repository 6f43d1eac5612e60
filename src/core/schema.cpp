#include "schema.h"

#include "search_index.h"

namespace handbook {
namespace {

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

// Version 6: published versions only, with who approved them and whether staff must
// acknowledge them. Earlier builds kept drafts as versions: saving a draft over a
// published article unpublished it, and the feed sent drafts to every device. Such
// drafts (the newest version of their article) move to legacy_drafts, where the
// server takes them as drafts; the articles' rows go back to their newest published or
// archived version, and an article that was only ever a draft leaves the replica.
const char* kSchemaV6 = R"sql(
ALTER TABLE article_versions ADD COLUMN approver TEXT NOT NULL DEFAULT '';
ALTER TABLE article_versions ADD COLUMN must_ack INTEGER NOT NULL DEFAULT 0;
CREATE TABLE legacy_drafts (
    slug TEXT PRIMARY KEY, title TEXT NOT NULL, category TEXT NOT NULL, tags_json TEXT NOT NULL,
    owner TEXT NOT NULL, effective TEXT NOT NULL, review_by TEXT NOT NULL, body TEXT NOT NULL,
    author TEXT NOT NULL, saved_at TEXT NOT NULL, base_version INTEGER NOT NULL
);
INSERT INTO legacy_drafts
SELECT a.slug, v.title, v.category, v.tags_json, v.owner, v.effective, v.review_by, v.body, v.author, v.created_at,
       coalesce((SELECT max(version) FROM article_versions p WHERE p.article_id = v.article_id AND p.status <> 'draft'), 0)
FROM article_versions v JOIN articles a ON a.id = v.article_id
WHERE v.status = 'draft' AND v.version = (SELECT max(version) FROM article_versions WHERE article_id = v.article_id);
DROP TRIGGER article_versions_no_delete;
DELETE FROM article_versions WHERE status = 'draft';
DELETE FROM changes WHERE kind = 'article' AND NOT EXISTS (
    SELECT 1 FROM article_versions v WHERE v.article_id = changes.article_id AND v.version = changes.version);
CREATE TRIGGER article_versions_no_delete BEFORE DELETE ON article_versions
BEGIN SELECT RAISE(ABORT, 'article versions are immutable'); END;
UPDATE articles SET (title, category, tags_json, owner, effective, review_by, status, body, version, updated_at) = (
    SELECT title, category, tags_json, owner, effective, review_by, status, body, version, created_at
    FROM article_versions v WHERE v.article_id = articles.id ORDER BY version DESC LIMIT 1)
WHERE status = 'draft' AND EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = articles.id);
DELETE FROM article_tags;
DELETE FROM articles WHERE status = 'draft' AND NOT EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = articles.id);
INSERT OR IGNORE INTO article_tags(article_id, tag) SELECT a.id, j.value FROM articles a, json_each(a.tags_json) j;
)sql";

// Version 7: effective dates and reviews. A version may come into force later: articles
// then holds the one in force on the store's date (sync_state in_force_date), and an
// article none of whose versions is in force yet is "upcoming". Must-read versions get a
// due date; a review can be confirmed without a new version (review_confirmations, a
// change of kind "review" that devices receive).
const char* kSchemaV7 = R"sql(
ALTER TABLE article_versions ADD COLUMN acknowledge_by TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN reviewed_at TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT '';
CREATE TABLE review_confirmations (
    article_id    INTEGER NOT NULL REFERENCES articles(id),
    version       INTEGER NOT NULL,
    review_by     TEXT NOT NULL,
    confirmed_at  TEXT NOT NULL,
    confirmed_by  TEXT NOT NULL,
    seq           INTEGER NOT NULL REFERENCES changes(seq),
    PRIMARY KEY (article_id, seq)
);
DROP INDEX articles_by_title;
CREATE INDEX articles_by_title ON articles(title COLLATE NOCASE) WHERE status = 'published';
)sql";

// Version 8: the search index keeps each inflected word's own form beside its stem
// (word_forms_tokenizer.h), so a search can score "debugging" by the pages that say
// "debugging" and not only by those that say "debug". Built anew from the articles.
const char* kSchemaV8 = R"sql(
DROP TABLE search_index_vocab;
DROP TABLE search_index;
CREATE VIRTUAL TABLE search_index USING fts5(
    title, tags, category, body,
    tokenize = 'word_forms',
    prefix = '2 3'
);
CREATE VIRTUAL TABLE search_index_vocab USING fts5vocab(search_index, row);
)sql";

const Migration kMigrations[] = {
    {1, kSchemaV1, nullptr},
    {2, kSchemaV2, rebuild_search_index},
    {3, kSchemaV3, nullptr},
    {4, kSchemaV4, nullptr},
    {5, kSchemaV5, nullptr},
    {6, kSchemaV6, rebuild_search_index},
    {7, kSchemaV7, nullptr},
    {8, kSchemaV8, rebuild_search_index},
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

Status migrate_part(Database& db, const std::string& part, const Migration* migrations, size_t count) {
    if (Status st = db.exec("CREATE TABLE IF NOT EXISTS schema_parts (part TEXT PRIMARY KEY, version INTEGER NOT NULL)"); !st)
        return st;
    auto read = db.prepare("SELECT version FROM schema_parts WHERE part = ?1");
    if (!read) return read.status();
    read->bind(1, part);
    int current = read->step() ? static_cast<int>(read->column_int(0)) : 0;
    if (!read->status()) return read->status();
    const int newest = count ? migrations[count - 1].version : 0;
    if (current > newest)
        return Status::fail(StatusCode::conflict, "this database's " + part + " tables were written by a newer Handbook (version " +
                                                      std::to_string(current) + "): update Handbook");
    for (size_t i = 0; i < count; ++i) {
        const Migration& m = migrations[i];
        if (m.version <= current) continue;
        Transaction tx(db);
        if (!tx.status()) return tx.status();
        Status st = db.exec(m.sql);
        if (st && m.after) st = m.after(db);
        if (st) {
            auto write = db.prepare("INSERT INTO schema_parts(part, version) VALUES (?1, ?2) "
                                    "ON CONFLICT(part) DO UPDATE SET version = excluded.version");
            st = write ? write->bind(1, part).bind(2, m.version).run() : write.status();
        }
        if (!st) return st.with_context("upgrading the " + part + " tables to version " + std::to_string(m.version) + " failed: ");
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
