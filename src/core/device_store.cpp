// See device_store.h.
#include "device_store.h"

#include "schema.h"

#include <string>
#include <vector>

namespace handbook {

namespace {

const char* kDeviceV1 = R"sql(
CREATE TABLE outbox (
    id          TEXT PRIMARY KEY,        -- made on the device: the server takes it once
    kind        TEXT NOT NULL,           -- draft | acknowledgement | search_miss
    person      TEXT NOT NULL,           -- who did it ('' for what is sent without a name)
    payload     TEXT NOT NULL,           -- JSON, as the server's endpoint takes it
    created_at  TEXT NOT NULL,           -- the device's clock, UTC
    attempts    INTEGER NOT NULL DEFAULT 0,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'refused')),
    answer      TEXT NOT NULL DEFAULT '' -- the server's last word on it (why it was refused)
);
CREATE INDEX outbox_by_state ON outbox(state, created_at);
)sql";

// Version 2: what the device trusts (content_trust.h): the signing key it pinned and the
// newest signed time it accepted. Here, not in the replica, so a re-download of the
// library can neither forget the pin nor move the time back.
const char* kDeviceV2 = R"sql(
CREATE TABLE trust (
    key    TEXT PRIMARY KEY,             -- 'key' | 'newest_made_at'
    value  TEXT NOT NULL
);
)sql";

// Version 3: drafts typed on this device (local_drafts.h), each its own outbox entry.
const char* kDeviceV3 = R"sql(
CREATE TABLE drafts (
    client_id        TEXT PRIMARY KEY,          -- made on the device; the server's client_id
    person           TEXT NOT NULL,             -- whose draft
    slug             TEXT NOT NULL,             -- the article it writes (as typed; may change)
    base_version     INTEGER NOT NULL,          -- the live version it started from (0: new)
    content          TEXT NOT NULL,             -- the fields and body, JSON
    edits            INTEGER NOT NULL,          -- local saves
    sent_edits       INTEGER NOT NULL DEFAULT 0,-- the save the server has
    server_id        INTEGER NOT NULL DEFAULT 0,
    server_revision  INTEGER NOT NULL DEFAULT 0,
    state            TEXT NOT NULL DEFAULT 'draft',
    note             TEXT NOT NULL DEFAULT '',  -- a reviewer's comment, or why the server refused it
    summary          TEXT NOT NULL DEFAULT '',
    updated_at       TEXT NOT NULL
);
CREATE INDEX drafts_by_person ON drafts(person, updated_at);
CREATE TABLE device_values (
    key    TEXT PRIMARY KEY,             -- 'last_account': who was last signed in here (JSON)
    value  TEXT NOT NULL
);
)sql";

const Migration kDeviceMigrations[] = {{1, kDeviceV1, nullptr}, {2, kDeviceV2, nullptr}, {3, kDeviceV3, nullptr}};

}  // namespace

Result<std::unique_ptr<Database>> open_device_store(const std::string& path) {
    auto db = Database::open(path);
    if (!db) return db.status();
    if (Status st = migrate_part(**db, "device", kDeviceMigrations, std::size(kDeviceMigrations)); !st) return st.with_context(path + ": ");
    return db;
}

Status save_device_value(Database& device, const std::string& key, const std::string& value) {
    auto stmt = device.prepare("INSERT INTO device_values(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!stmt) return stmt.status();
    return stmt->bind(1, key).bind(2, value).run();
}

Result<std::string> device_value(Database& device, const std::string& key) {
    auto stmt = device.prepare("SELECT value FROM device_values WHERE key = ?1");
    if (!stmt) return stmt.status();
    stmt->bind(1, key);
    std::string value;
    if (stmt->step()) value = stmt->column_text(0);
    if (!stmt->status()) return stmt->status();
    return value;
}

Status add_to_outbox(Database& device, const OutboxEntry& e) {
    if (e.id.empty() || e.id.size() > 64) return Status::fail(StatusCode::invalid, "an outbox entry needs an id of 1-64 characters");
    if (e.kind != "draft" && e.kind != "acknowledgement" && e.kind != "search_miss")
        return Status::fail(StatusCode::invalid, "an outbox entry is a draft, an acknowledgement or a search_miss");
    if (e.payload.size() > kMaxOutboxPayloadBytes) return Status::fail(StatusCode::invalid, "the outbox entry is too large");
    auto stmt = device.prepare("INSERT INTO outbox(id, kind, person, payload, created_at) VALUES (?1, ?2, ?3, ?4, ?5) "
                               "ON CONFLICT(id) DO UPDATE SET payload = excluded.payload, state = 'pending', answer = ''");
    if (!stmt) return stmt.status();
    return stmt->bind(1, e.id).bind(2, e.kind).bind(3, e.person).bind(4, e.payload).bind(5, e.created_at).run();
}

Result<std::vector<OutboxEntry>> outbox_entries(Database& device, const std::string& state, int limit, const std::string& kind) {
    auto stmt = device.prepare("SELECT id, kind, person, payload, created_at, attempts, state, answer FROM outbox "
                               "WHERE state = ?1 AND (?3 = '' OR kind = ?3) ORDER BY created_at, rowid LIMIT ?2");
    if (!stmt) return stmt.status();
    stmt->bind(1, state).bind(2, limit).bind(3, kind);
    std::vector<OutboxEntry> out;
    while (stmt->step())
        out.push_back({stmt->column_text(0), stmt->column_text(1), stmt->column_text(2), stmt->column_text(3), stmt->column_text(4),
                       static_cast<int>(stmt->column_int(5)), stmt->column_text(6), stmt->column_text(7)});
    if (!stmt->status()) return stmt->status();
    return out;
}

OutboxOutcome outbox_outcome(int http_status) {
    if (http_status >= 200 && http_status < 300) return OutboxOutcome::done;
    if (http_status == 401) return OutboxOutcome::sign_in;
    if (http_status == 0 || http_status == 408 || http_status == 429 || http_status >= 500) return OutboxOutcome::retry;
    return OutboxOutcome::refused;  // 400, 403, 404, 409, 413: as it is, it will never be taken
}

Status record_outbox_answer(Database& device, const std::string& id, OutboxOutcome outcome, const std::string& answer) {
    const std::string why = answer.substr(0, 2000);
    Result<Statement> stmt = Status::fail("unused");
    switch (outcome) {
    case OutboxOutcome::done: stmt = device.prepare("DELETE FROM outbox WHERE id = ?1"); break;
    case OutboxOutcome::refused: stmt = device.prepare("UPDATE outbox SET state = 'refused', answer = ?2, attempts = attempts + 1 WHERE id = ?1"); break;
    case OutboxOutcome::sign_in:
    case OutboxOutcome::retry: stmt = device.prepare("UPDATE outbox SET answer = ?2, attempts = attempts + 1 WHERE id = ?1"); break;
    }
    if (!stmt) return stmt.status();
    stmt->bind(1, id);
    if (outcome != OutboxOutcome::done) stmt->bind(2, why);
    return stmt->run();
}

}  // namespace handbook
