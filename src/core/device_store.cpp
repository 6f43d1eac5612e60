// See device_store.h.
#include "device_store.h"

#include "schema.h"

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

const Migration kDeviceMigrations[] = {{1, kDeviceV1, nullptr}};

}  // namespace

Result<std::unique_ptr<Database>> open_device_store(const std::string& path) {
    auto db = Database::open(path);
    if (!db) return db.status();
    if (Status st = migrate_part(**db, "device", kDeviceMigrations, std::size(kDeviceMigrations)); !st) return st.with_context(path + ": ");
    return db;
}

}  // namespace handbook
