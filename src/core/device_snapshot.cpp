#include "device_snapshot.h"

#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "change_feed.h"
#include "content_trust.h"
#include "schema.h"
#include "signed_file.h"

namespace handbook {
namespace {

constexpr char kSqliteHeader[] = "SQLite format 3";  // and its NUL: the first 16 bytes of every database file

bool has_table(Database& db, const char* name) {
    auto stmt = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
    return stmt && stmt->bind(1, std::string_view(name)).step();
}

// The image opened in memory and checked; `every_page` adds SQLite's quick_check,
// which reads the whole file (seconds for a very large library on a tablet).
Result<std::unique_ptr<Database>> open_image(std::string_view bytes, bool every_page) {
    if (bytes.size() > kMaxSnapshotBytes)
        return Status::fail("the library download is larger than this device accepts (" + std::to_string(bytes.size()) + " bytes)");
    if (bytes.size() < 512 || std::memcmp(bytes.data(), kSqliteHeader, sizeof kSqliteHeader) != 0)
        return Status::fail("the library download is not a database file (cut off, or not what the server sends)");

    // The header names the file's length in pages (offset 28) and the page size (16; 1
    // means 65536): a download cut short is caught here without reading any page.
    auto byte_at = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])); };
    const uint32_t page_size = byte_at(16) << 8 | byte_at(17);
    const uint64_t pages = byte_at(28) << 24 | byte_at(29) << 16 | byte_at(30) << 8 | byte_at(31);
    if (static_cast<uint64_t>(page_size == 1 ? 65536 : page_size) * pages != bytes.size())
        return Status::fail("the library download is damaged (cut off, or not the size its header says)");

    auto db = Database::open(":memory:");
    if (!db) return db.status();
    // SQLite reads the image in place and may grow it: it must own a buffer of its own.
    auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(bytes.size()));
    if (!copy) return Status::fail("not enough memory to open the library download");
    std::memcpy(copy, bytes.data(), bytes.size());
    int rc = sqlite3_deserialize((*db)->handle(), "main", copy, static_cast<sqlite3_int64>(bytes.size()),
                                 static_cast<sqlite3_int64>(bytes.size()),
                                 SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
    if (rc != SQLITE_OK) return Status::fail("the library download could not be read as a database");
    if (every_page) {
        auto quick = (*db)->prepare("PRAGMA quick_check");
        if (!quick || !quick->step() || quick->column_text(0) != "ok")
            return Status::fail("the library download is damaged (its database check failed)");
    }
    if (!has_table(**db, "articles") || !has_table(**db, "sync_state"))
        return Status::fail("the library download is a database, but not a Handbook store");
    auto schema = schema_version(**db);
    int version = schema ? *schema : -1;
    if (version < 1 || version > kSchemaVersion)
        return Status::fail("the library download is of store version " + std::to_string(version) + ", this app reads up to " +
                            std::to_string(kSchemaVersion) + " (reload the page for the current app)");
    if (Status st = migrate(**db); !st) return st.with_context("the library download could not be upgraded: ");
    return db;
}

}  // namespace

Result<DeviceSnapshot> build_device_snapshot(Database& source) {
    auto device = open_store(":memory:");
    if (!device) return device.status().with_context("snapshot: an empty store could not be made: ");
    ReadTransaction view(source);  // every feed page below reads inside it
    if (!view.status()) return view.status().with_context("snapshot: ");
    DeviceSnapshot snapshot;
    int64_t after = 0;
    for (;;) {
        auto feed = change_feed_json(source, after);
        if (!feed) return feed.status().with_context("snapshot: the change feed could not be read: ");
        auto applied = apply_change_feed(**device, *feed);
        if (!applied) return applied.status().with_context("snapshot: the change feed could not be applied: ");
        snapshot.position = applied->latest;
        if (!applied->more) break;
        after = applied->latest;
    }
    auto held = applied_feed_position(**device);
    if (!held) return held.status().with_context("snapshot: ");
    snapshot.server = held->server;
    // One segment per full-text index (fewer pages to read per search) and no free pages.
    if (Status st = (*device)->exec("INSERT INTO search_index(search_index) VALUES('optimize');"
                                    "INSERT INTO search_words(search_words) VALUES('optimize');"
                                    "VACUUM;");
        !st)
        return Status::fail("snapshot: compacting failed: " + st.error);
    sqlite3_int64 size = 0;
    unsigned char* bytes = sqlite3_serialize((*device)->handle(), "main", &size, 0);
    if (!bytes) return Status::fail("snapshot: SQLite could not serialize the store (out of memory?)");
    snapshot.bytes.assign(reinterpret_cast<const char*>(bytes), static_cast<size_t>(size));
    sqlite3_free(bytes);
    return snapshot;
}

bool device_store_is_empty(const std::string& path) {
    auto db = Database::open_read_only(path);
    if (!db) return true;
    auto held = applied_feed_position(**db);
    return !held || held->seq <= 0;
}

Result<std::unique_ptr<Database>> open_device_snapshot(std::string_view bytes) { return open_image(bytes, false); }

std::string seal_snapshot(const SigningKey& key, const std::vector<Endorsement>& chain, const DeviceSnapshot& snapshot,
                          const std::string& made_at) {
    return seal(key, statement_of("snapshot", snapshot.server, 0, snapshot.position, snapshot.position, made_at), snapshot.bytes, chain);
}

Result<std::string_view> open_signed_snapshot(std::string_view file, DeviceTrust& trust, const std::string& expected_sha256) {
    if (trust.key.empty()) return Status::fail(StatusCode::untrusted, "this device trusts no signing key yet, so it cannot check the library download");
    if (!expected_sha256.empty() && sha256_hex(file) != expected_sha256)
        return Status::fail(StatusCode::untrusted, "the library download is not the one the signed list names (altered on the way?)");
    auto opened = open_signed(file, trust.key);
    if (!opened) return opened.status().with_context("the library download was refused: ");
    if (opened->statement.kind != "snapshot")
        return Status::fail(StatusCode::untrusted, "the library download was refused: it is signed as a " + opened->statement.kind + ", not a library");
    auto db = open_image(opened->body, false);
    if (!db) return db.status();
    auto held = applied_feed_position(**db);
    if (!held) return held.status();
    if (held->server != opened->statement.server || held->seq != opened->statement.latest)
        return Status::fail(StatusCode::untrusted, "the library download was refused: the library inside is not the one signed (server or position)");
    trust.key = opened->signer;
    return opened->body;
}

Status install_device_snapshot(const std::string& path, std::string_view bytes) {
    if (auto checked = open_image(bytes, true); !checked) return checked.status();

    // Written beside the store and renamed over it, so a cut-off write leaves no half file.
    // A journal left by an earlier store would be replayed into the new file: remove it.
    const std::string part = path + ".part";
    {
        std::ofstream out(part, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) {
            std::remove(part.c_str());
            return Status::fail("the library could not be written to " + part + " (storage full?)");
        }
    }
    std::remove((path + "-journal").c_str());
    std::remove((path + "-wal").c_str());
    if (std::rename(part.c_str(), path.c_str()) != 0) {
        std::remove(part.c_str());
        return Status::fail("the library could not be moved into place at " + path);
    }
    return Status::ok();
}

}  // namespace handbook
