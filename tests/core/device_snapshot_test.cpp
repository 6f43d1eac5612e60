#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/article_store.h"
#include "core/change_feed.h"
#include "core/device_snapshot.h"
#include "core/device_store.h"
#include "core/schema.h"
#include "core/search.h"
#include "test_corpus.h"

using namespace handbook;

namespace {

std::vector<std::string> hits(Database& db, const std::string& text) {
    auto engine = SearchEngine::create(db);
    if (!engine) return {"(error) " + engine.error()};
    SearchQuery q;
    q.text = text;
    auto r = (*engine)->search(q);
    if (!r) return {"(error) " + r.error()};
    std::vector<std::string> slugs;
    for (const SearchHit& h : r->hits) slugs.push_back(h.slug);
    return slugs;
}

size_t article_count(Database& db) {
    auto all = list_articles(db);
    return all ? all->size() : 0;
}

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << bytes;
}

// A folder of its own per test, removed afterwards.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() /
               ("handbook-snapshot-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST(DeviceSnapshot, IsTheStoreTheWholeFeedWouldBuild) {
    auto server = test::fixture_store();
    auto snapshot = build_device_snapshot(*server);
    ASSERT_TRUE(snapshot.is_ok()) << snapshot.error();

    TempDir dir;
    const std::string path = (dir.path / "handbook.db").string();
    EXPECT_TRUE(device_store_is_empty(path));
    EXPECT_FALSE(std::filesystem::exists(path)) << "asking must not create the file";
    {
        auto fresh = open_store(path);  // a store made, but nothing from the server in it
        ASSERT_TRUE(fresh.is_ok());
    }
    EXPECT_TRUE(device_store_is_empty(path));
    ASSERT_TRUE(install_device_snapshot(path, snapshot->bytes).is_ok());
    EXPECT_FALSE(std::filesystem::exists(path + ".part"));
    EXPECT_FALSE(device_store_is_empty(path));
    auto device = open_store(path);
    ASSERT_TRUE(device.is_ok()) << device.error();

    auto fed = test::empty_store();
    ASSERT_TRUE(apply_change_feed(*fed, test::feed(*server, 0)).is_ok());
    EXPECT_EQ(test::held_seq(**device), test::head_seq(*server));
    EXPECT_EQ(article_count(**device), article_count(*fed));
    // Searched in memory while the device's storage opens: the same answers.
    auto in_memory = open_device_snapshot(snapshot->bytes);
    ASSERT_TRUE(in_memory.is_ok()) << in_memory.error();
    EXPECT_EQ(test::held_seq(**in_memory), test::head_seq(*server));
    for (const char* q : {"refnd", "package damaged", "supervisor", "cafe", "gift card balance"}) {
        EXPECT_EQ(hits(**device, q), hits(*fed, q)) << q;
        EXPECT_EQ(hits(**in_memory, q), hits(*fed, q)) << q;
    }

    // From there it follows the feed like any device.
    Article edited = (*get_article(*server, "late-deliveries"))->article;
    edited.body += "\n\nExpress parcels are late after one working day.";
    ASSERT_TRUE(save_article(*server, edited, {"ana", "Express rule added"}).is_ok());
    auto applied = apply_change_feed(**device, test::feed(*server, test::held_seq(**device)));
    ASSERT_TRUE(applied.is_ok()) << applied.error();
    EXPECT_EQ(applied->articles_changed, 1);
    EXPECT_EQ(hits(**device, "express parcels").at(0), "late-deliveries");
}

TEST(DeviceSnapshot, HoldsTheArticlesTheFeedCarries) {
    auto server = test::fixture_store();
    auto snapshot = build_device_snapshot(*server);
    ASSERT_TRUE(snapshot.is_ok());
    TempDir dir;
    const std::string path = (dir.path / "handbook.db").string();
    ASSERT_TRUE(install_device_snapshot(path, snapshot->bytes).is_ok());
    auto device = open_store(path);
    ASSERT_TRUE(device.is_ok());
    auto articles = list_articles(**device);
    ASSERT_TRUE(articles.is_ok());
    auto fed = test::empty_store();
    ASSERT_TRUE(apply_change_feed(*fed, test::feed(*server, 0)).is_ok());
    auto fed_articles = list_articles(*fed);
    ASSERT_TRUE(fed_articles.is_ok());
    ASSERT_EQ(articles->size(), fed_articles->size());
    for (size_t i = 0; i < articles->size(); ++i) {
        EXPECT_EQ((*articles)[i].article.slug, (*fed_articles)[i].article.slug);
        EXPECT_EQ((*articles)[i].article.status, (*fed_articles)[i].article.status);
    }
}

TEST(DeviceSnapshot, ADamagedDownloadIsRefusedAndTheStoreKept) {
    auto server = test::fixture_store();
    auto snapshot = build_device_snapshot(*server);
    ASSERT_TRUE(snapshot.is_ok());
    TempDir dir;
    const auto path = dir.path / "handbook.db";
    const std::string kept = "the store that was here";
    write_file(path, kept);

    std::string newer = snapshot->bytes;  // PRAGMA user_version lives at byte 60, big-endian
    newer[60] = newer[61] = newer[62] = 0;
    newer[63] = static_cast<char>(kSchemaVersion + 1);
    std::string zeroed = snapshot->bytes;  // every page after the first wiped
    std::fill(zeroed.begin() + 4096, zeroed.end(), '\0');
    auto plain = Database::open(":memory:");
    ASSERT_TRUE(plain.is_ok());
    ASSERT_TRUE((*plain)->exec("CREATE TABLE notes(x); INSERT INTO notes VALUES (1)").is_ok());
    sqlite3_int64 size = 0;
    unsigned char* plain_bytes = sqlite3_serialize((*plain)->handle(), "main", &size, 0);
    ASSERT_NE(plain_bytes, nullptr);
    std::string other(reinterpret_cast<char*>(plain_bytes), static_cast<size_t>(size));
    sqlite3_free(plain_bytes);

    struct Case {
        const char* what;
        std::string bytes;
        const char* says;
    };
    const Case cases[] = {
        {"empty", "", "not a database file"},
        {"cut off in the header", snapshot->bytes.substr(0, 100), "not a database file"},
        {"cut off halfway", snapshot->bytes.substr(0, snapshot->bytes.size() / 2), "damaged"},
        {"an error page", std::string(600, 'x'), "not a database file"},
        {"pages wiped", zeroed, "damaged"},
        {"from a newer app", newer, "store version"},
        {"another database", other, "not a Handbook store"},
    };
    for (const Case& c : cases) {
        // Opening in memory skips reading every page; everything else it refuses too.
        if (c.bytes != zeroed) {
            EXPECT_FALSE(open_device_snapshot(c.bytes).is_ok()) << c.what;
        }
        Status st = install_device_snapshot(path.string(), c.bytes);
        EXPECT_FALSE(st.is_ok()) << c.what;
        EXPECT_NE(st.error.find(c.says), std::string::npos) << c.what << ": " << st.error;
        EXPECT_EQ(read_file(path), kept) << c.what;
        EXPECT_FALSE(std::filesystem::exists(path.string() + ".part")) << c.what;
    }
}

// What only the device holds lives in a file of its own: installing a snapshot (or
// deleting and downloading the replica again) leaves it as it was.
TEST(DeviceSnapshot, TheDevicesOwnStoreIsNeverTouchedByAnInstall) {
    TempDir dir;
    const std::string replica = (dir.path / "handbook.db").string(), own = (dir.path / "device.db").string();
    {
        auto device = open_device_store(own);
        ASSERT_TRUE(device.is_ok()) << device.error();
        ASSERT_TRUE((*device)->exec("INSERT INTO outbox(id, kind, person, payload, created_at) "
                                    "VALUES ('d1-1', 'acknowledgement', 'ana', '{}', '2026-12-04T10:00:00Z')").is_ok());
    }
    const std::string before = read_file(own);
    auto server = test::fixture_store();
    auto snapshot = build_device_snapshot(*server);
    ASSERT_TRUE(snapshot.is_ok());
    ASSERT_TRUE(install_device_snapshot(replica, snapshot->bytes).is_ok());
    std::filesystem::remove(replica);  // a damaged replica is deleted and downloaded again
    ASSERT_TRUE(install_device_snapshot(replica, snapshot->bytes).is_ok());
    EXPECT_EQ(read_file(own), before);
    auto device = open_device_store(own);
    ASSERT_TRUE(device.is_ok());
    auto stmt = (*device)->prepare("SELECT count(*) FROM outbox");
    ASSERT_TRUE(stmt.is_ok() && stmt->step());
    EXPECT_EQ(stmt->column_int(0), 1);
}

// The outbox keeps what people did on the device until the server has said what became
// of it: accepted (gone), refused (kept, with why), or not yet (kept, tried again).
static OutboxEntry entry(const std::string& id, const std::string& kind, const std::string& payload, const std::string& at) {
    OutboxEntry e;
    e.id = id;
    e.kind = kind;
    e.person = "ana";
    e.payload = payload;
    e.created_at = at;
    return e;
}

TEST(Outbox, NothingLeavesUntilTheServerHasAnswered) {
    TempDir dir;
    auto device = open_device_store((dir.path / "device.db").string());
    ASSERT_TRUE(device.is_ok());
    Database& db = **device;
    for (const char* id : {"t1-a", "t1-b", "t1-c", "t1-d"})
        ASSERT_TRUE(add_to_outbox(db, entry(id, "acknowledgement", "{}", std::string("2026-12-04T10:00:0") + id[3] + "Z")).is_ok());
    EXPECT_FALSE(add_to_outbox(db, entry("x", "launch_missiles", "{}", "t")).is_ok());
    EXPECT_EQ(outbox_entries(db, "pending")->size(), 4u);

    EXPECT_EQ(outbox_outcome(200), OutboxOutcome::done);
    EXPECT_EQ(outbox_outcome(409), OutboxOutcome::refused);
    EXPECT_EQ(outbox_outcome(403), OutboxOutcome::refused);
    EXPECT_EQ(outbox_outcome(401), OutboxOutcome::sign_in);
    EXPECT_EQ(outbox_outcome(0), OutboxOutcome::retry);
    EXPECT_EQ(outbox_outcome(503), OutboxOutcome::retry);
    EXPECT_EQ(outbox_outcome(429), OutboxOutcome::retry);

    ASSERT_TRUE(record_outbox_answer(db, "t1-a", outbox_outcome(200), "").is_ok());
    ASSERT_TRUE(record_outbox_answer(db, "t1-b", outbox_outcome(409), "the live version moved on").is_ok());
    ASSERT_TRUE(record_outbox_answer(db, "t1-c", outbox_outcome(0), "offline").is_ok());
    ASSERT_TRUE(record_outbox_answer(db, "t1-d", outbox_outcome(401), "sign in first").is_ok());
    auto pending = *outbox_entries(db, "pending");
    ASSERT_EQ(pending.size(), 2u);
    EXPECT_EQ(pending[0].id, "t1-c");
    EXPECT_EQ(pending[0].attempts, 1);
    EXPECT_EQ(pending[0].answer, "offline");
    auto refused = *outbox_entries(db, "refused");
    ASSERT_EQ(refused.size(), 1u);
    EXPECT_EQ(refused[0].answer, "the live version moved on");
    // Sent again by the same id (a retry after a crash): one entry, pending again.
    ASSERT_TRUE(add_to_outbox(db, entry("t1-b", "acknowledgement", "{\"v\":2}", "t")).is_ok());
    EXPECT_EQ(outbox_entries(db, "pending")->size(), 3u);
    EXPECT_TRUE(outbox_entries(db, "refused")->empty());
}
