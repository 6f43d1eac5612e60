#include "authority_schema.h"

namespace handbook {

namespace {

const char* kAuthorityV1 = R"sql(
CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role                 TEXT NOT NULL CHECK (role IN ('staff', 'editor', 'approver', 'admin')),
    categories_json      TEXT NOT NULL DEFAULT '[]',
    password_hash        TEXT NOT NULL,
    disabled             INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,
    password_changed_at  TEXT NOT NULL
);
INSERT INTO users(name, role, password_hash, disabled, created_at, password_changed_at)
VALUES ('import', 'editor', '', 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,           -- BLAKE2b of the token: a stolen database holds no usable session
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,           -- seconds since 1970
    last_seen   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,           -- absolute end, whatever the activity
    client      TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE drafts (
    id               INTEGER PRIMARY KEY,
    slug             TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('edit', 'archive', 'revert')),
    base_version     INTEGER NOT NULL,      -- the live version it started from; 0 = a new article
    revert_of        INTEGER,               -- kind revert: the version whose content it brings back
    title            TEXT NOT NULL,
    category         TEXT NOT NULL,
    tags_json        TEXT NOT NULL,
    owner            TEXT NOT NULL,
    effective        TEXT NOT NULL,
    review_by        TEXT NOT NULL,
    body             TEXT NOT NULL,
    author_id        INTEGER NOT NULL REFERENCES users(id),
    state            TEXT NOT NULL CHECK (state IN ('draft', 'in_review', 'returned', 'published', 'discarded')),
    summary          TEXT NOT NULL DEFAULT '',
    must_ack         INTEGER NOT NULL DEFAULT 0,
    review_comment   TEXT NOT NULL DEFAULT '',
    reviewer_id      INTEGER REFERENCES users(id),
    published_version INTEGER,
    revision         INTEGER NOT NULL DEFAULT 1,  -- every save adds one: a save based on an older revision is a conflict
    client_id        TEXT,                  -- the device's own id for it: sending the same draft twice makes one
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX drafts_by_state ON drafts(state, category);
CREATE INDEX drafts_by_author ON drafts(author_id, state);
CREATE UNIQUE INDEX drafts_by_client_id ON drafts(author_id, client_id) WHERE client_id IS NOT NULL;

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    user     TEXT NOT NULL,                 -- the account name as given (also for a failed sign-in)
    action   TEXT NOT NULL,
    target   TEXT NOT NULL,
    outcome  TEXT NOT NULL,                 -- ok | refused | failed
    client   TEXT NOT NULL,                 -- where from (address, or "command line")
    detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_time ON audit_log(at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
INSERT INTO settings(key, value) VALUES ('self_approval', '0');
)sql";

// Drafts that earlier builds stored as versions (schema.cpp, version 6) become drafts
// waiting for review, by the import account, so an approver decides what becomes of them.
const char* kAuthorityV2 = R"sql(
INSERT INTO drafts(slug, kind, base_version, title, category, tags_json, owner, effective, review_by, body,
                   author_id, state, summary, created_at, updated_at)
SELECT slug, 'edit', base_version, title, category, tags_json, owner, effective, review_by, body,
       (SELECT id FROM users WHERE name = 'import'), 'in_review',
       'Kept from before drafts were separate (saved by ' || author || ' on ' || saved_at || ')',
       saved_at, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM legacy_drafts;
DELETE FROM legacy_drafts;
)sql";

// Read-and-acknowledge and searches that found nothing, as devices send them (each with
// an id the device made, so a resend is harmless); the store a person works in, for the
// owners' report.
const char* kAuthorityV3 = R"sql(
ALTER TABLE users ADD COLUMN store TEXT NOT NULL DEFAULT '';
CREATE TABLE acknowledgements (
    id               TEXT PRIMARY KEY,      -- made on the device
    user_id          INTEGER NOT NULL REFERENCES users(id),
    slug             TEXT NOT NULL,
    version          INTEGER NOT NULL,
    acknowledged_at  TEXT NOT NULL,         -- the device's clock when the person acknowledged
    received_at      TEXT NOT NULL,         -- the server's clock when it arrived
    client           TEXT NOT NULL
);
CREATE UNIQUE INDEX acknowledgements_once ON acknowledgements(user_id, slug, version);
CREATE TRIGGER acknowledgements_no_update BEFORE UPDATE ON acknowledgements
BEGIN SELECT RAISE(ABORT, 'an acknowledgement is kept as it arrived'); END;
CREATE TABLE search_misses (
    id           TEXT PRIMARY KEY,          -- made on the device
    query        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('no_results', 'nothing_opened')),
    searched_at  TEXT NOT NULL,
    received_at  TEXT NOT NULL
);
CREATE INDEX search_misses_by_time ON search_misses(received_at);
)sql";

const Migration kAuthorityMigrations[] = {
    {1, kAuthorityV1, nullptr},
    {2, kAuthorityV2, nullptr},
    {3, kAuthorityV3, nullptr},
};

}  // namespace

Status migrate_authority(Database& db) {
    return migrate_part(db, "authority", kAuthorityMigrations, std::size(kAuthorityMigrations));
}

Result<std::unique_ptr<Database>> open_server_store(const std::string& path, StoreOptions options) {
    options.wal = true;
    auto db = open_store(path, options);
    if (!db) return db.status();
    if (Status st = migrate_authority(**db); !st) return st.with_context(path + ": ");
    return db;
}

}  // namespace handbook
