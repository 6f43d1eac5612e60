#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/article_store.h"
#include "core/change_feed.h"
#include "core/schema.h"
#include "core/search.h"
#include "test_corpus.h"

using namespace handbook;

namespace {

size_t article_count(Database& db) {
    auto all = list_articles(db);
    return all ? all->size() : 0;
}

std::string top_hit(Database& db, const std::string& text) {
    auto engine = SearchEngine::create(db);
    if (!engine) return "(error)";
    SearchQuery q;
    q.text = text;
    auto r = (*engine)->search(q);
    return r && !r->hits.empty() ? r->hits[0].slug : "(none)";
}

}  // namespace

TEST(ChangeFeed, ADeviceGetsEverythingAndSearchesLikeTheServer) {
    auto server = test::fixture_store();
    auto device = test::empty_store();
    auto applied = apply_change_feed(*device, test::feed(*server, 0));
    ASSERT_TRUE(applied.is_ok()) << applied.error();
    EXPECT_EQ(applied->articles_changed, 9);
    EXPECT_TRUE(applied->synonyms_changed);
    EXPECT_FALSE(applied->more);
    EXPECT_EQ(applied->latest, test::head_seq(*server));
    EXPECT_EQ(test::held_seq(*device), test::head_seq(*server));
    EXPECT_EQ(article_count(*device), article_count(*server));
    for (const char* q : {"refnd", "package damaged", "supervisor", "cafe"})
        EXPECT_EQ(top_hit(*device, q), top_hit(*server, q)) << q;
}

TEST(ChangeFeed, OnlyWhatChangedAfterNArrives) {
    auto server = test::fixture_store();
    auto device = test::empty_store();
    ASSERT_TRUE(apply_change_feed(*device, test::feed(*server, 0)).is_ok());
    int64_t held = test::held_seq(*device);

    Article edited = (*get_article(*server, "late-deliveries"))->article;
    edited.body += "\n\nExpress parcels are late after one working day.";
    ASSERT_TRUE(save_article(*server, edited, {"ana", "Express rule added"}).is_ok());

    std::string feed = test::feed(*server, held);
    auto doc = nlohmann::json::parse(feed);
    ASSERT_EQ(doc["changes"].size(), 1u);
    EXPECT_EQ(doc["changes"][0]["article"]["version"], 2);
    auto applied = apply_change_feed(*device, feed);
    ASSERT_TRUE(applied.is_ok());
    EXPECT_EQ(applied->articles_changed, 1);
    auto history = article_history(*device, "late-deliveries");
    ASSERT_EQ(history->size(), 2u);
    EXPECT_EQ((*history)[1].change_note, "Express rule added");
    EXPECT_EQ((*history)[1].author, "ana");

    // Nothing new: an empty answer, nothing changes.
    auto again = apply_change_feed(*device, test::feed(*server, applied->latest));
    ASSERT_TRUE(again.is_ok());
    EXPECT_EQ(again->articles_changed, 0);
}

TEST(ChangeFeed, LongFeedsComeInPages) {
    auto server = test::fixture_store();
    auto device = test::empty_store();
    int pages = 0;
    bool more = true;
    while (more && pages < 20) {
        auto applied = apply_change_feed(*device, test::feed(*server, test::held_seq(*device), 3));
        ASSERT_TRUE(applied.is_ok()) << applied.error();
        more = applied->more;
        ++pages;
    }
    EXPECT_EQ(pages, 4);  // 10 changes (9 articles + synonyms), 3 a page
    EXPECT_EQ(article_count(*device), article_count(*server));
}

TEST(ChangeFeed, ATruncatedDownloadChangesNothing) {
    auto server = test::fixture_store();
    auto device = test::empty_store();
    std::string feed = test::feed(*server, 0);
    for (size_t cut : {feed.size() / 2, feed.size() - 1, size_t(1), size_t(0)}) {
        auto applied = apply_change_feed(*device, feed.substr(0, cut));
        ASSERT_FALSE(applied.is_ok());
        EXPECT_NE(applied.error().find("nothing was changed"), std::string::npos) << applied.error();
        EXPECT_EQ(article_count(*device), 0u);
        EXPECT_EQ(test::held_seq(*device), 0);
    }
}

TEST(ChangeFeed, OneBadArticleRejectsTheWholeUpdate) {
    auto server = test::fixture_store();
    auto device = test::empty_store();
    auto doc = nlohmann::json::parse(test::feed(*server, 0));
    doc["changes"][3]["article"]["effective"] = "2026-02-30";
    auto applied = apply_change_feed(*device, doc.dump());
    ASSERT_FALSE(applied.is_ok());
    EXPECT_NE(applied.error().find("effective"), std::string::npos) << applied.error();
    EXPECT_EQ(article_count(*device), 0u);

    doc = nlohmann::json::parse(test::feed(*server, 0));
    doc["changes"][1]["article"]["tags"] = "not a list";
    EXPECT_FALSE(apply_change_feed(*device, doc.dump()).is_ok());
    doc = nlohmann::json::parse(test::feed(*server, 0));
    std::swap(doc["changes"][0], doc["changes"][1]);
    EXPECT_FALSE(apply_change_feed(*device, doc.dump()).is_ok());
    EXPECT_EQ(article_count(*device), 0u);
}

TEST(ChangeFeed, UnknownFormatsAreRefused) {
    auto device = test::empty_store();
    const std::string server = "0123456789abcdef0123456789abcdef";
    auto empty = [&](int format) {
        return "{\"format\": " + std::to_string(format) + ", \"server\": \"" + server +
               "\", \"after\": 0, \"latest\": 0, \"head\": 0, \"more\": false, \"changes\": []}";
    };
    EXPECT_FALSE(apply_change_feed(*device, empty(1)).is_ok());
    EXPECT_FALSE(apply_change_feed(*device, empty(3)).is_ok());
    EXPECT_FALSE(apply_change_feed(*device, R"([1, 2, 3])").is_ok());
    EXPECT_FALSE(apply_change_feed(*device, "\xff\xfe garbage").is_ok());
    EXPECT_TRUE(apply_change_feed(*device, empty(2)).is_ok());
}

// The finding: a version that could not be read was skipped and "latest" moved past it.
// Now a change the store cannot produce fails the whole answer.
TEST(ChangeFeed, AChangeThatCannotBeReadFailsTheAnswerInsteadOfBeingSkipped) {
    auto server = test::fixture_store();
    ASSERT_TRUE(server->exec("DROP TRIGGER article_versions_no_delete; "
                             "DELETE FROM article_versions WHERE version = 1 AND article_id = "
                             "(SELECT id FROM articles WHERE slug = 'late-deliveries')").is_ok());
    auto feed = change_feed_json(*server, 0);
    ASSERT_FALSE(feed.is_ok()) << "a feed without late-deliveries must not be sent as if complete";
    EXPECT_EQ(feed.code(), StatusCode::corrupt);
    EXPECT_NE(feed.error().find("late-deliveries"), std::string::npos) << feed.error();
    // A store that cannot list its changes fails too (it used to read as "nothing new").
    ASSERT_TRUE(server->exec("ALTER TABLE changes RENAME TO changes_gone").is_ok());
    EXPECT_FALSE(change_feed_json(*server, 0).is_ok());
    EXPECT_FALSE(latest_change_seq(*server).is_ok());
}

// Answers a server cannot produce are refused whole: a forged or mangled answer cannot
// move the device to a position it would never leave (the finding: latest = 2^63-1).
TEST(ChangeFeed, PositionsThatDoNotFitTogetherAreRefused) {
    auto server = test::fixture_store();
    const auto good = nlohmann::json::parse(test::feed(*server, 0));
    const int64_t latest = good["latest"];
    struct Case {
        const char* what;
        void (*edit)(nlohmann::json&);
    };
    const Case cases[] = {
        {"latest far past the last change", [](nlohmann::json& d) { d["latest"] = INT64_MAX; d["head"] = INT64_MAX; d["more"] = true; }},
        {"head behind latest", [](nlohmann::json& d) { d["head"] = d["latest"].get<int64_t>() - 1; }},
        {"more while at head", [](nlohmann::json& d) { d["more"] = true; }},
        {"a change beyond latest", [](nlohmann::json& d) { d["changes"].back()["seq"] = d["latest"].get<int64_t>() + 1; }},
        {"a change at or before after", [](nlohmann::json& d) { d["changes"][0]["seq"] = 0; }},
        {"negative positions", [](nlohmann::json& d) { d["after"] = -5; }},
        {"no server identity", [](nlohmann::json& d) { d.erase("server"); }},
        {"a malformed identity", [](nlohmann::json& d) { d["server"] = "'; DROP TABLE articles; --"; }},
        {"answers another request (after 3)", [](nlohmann::json& d) { d["after"] = 3; }},
    };
    for (const Case& c : cases) {
        auto device = test::empty_store();
        nlohmann::json doc = good;
        c.edit(doc);
        auto applied = apply_change_feed(*device, doc.dump());
        EXPECT_FALSE(applied.is_ok()) << c.what;
        EXPECT_EQ(test::held_seq(*device), 0) << c.what;
        EXPECT_TRUE(list_articles(*device)->empty()) << c.what;
    }
    auto device = test::empty_store();
    ASSERT_TRUE(apply_change_feed(*device, good.dump()).is_ok());
    EXPECT_EQ(test::held_seq(*device), latest);
}

// The finding: a server whose database was re-created restarts its sequence, and a device
// that was ahead kept its old policies for good while saying "Up to date".
TEST(ChangeFeed, AServerWithAnotherDatabaseOrAnOlderOneMakesTheDeviceStartAgain) {
    auto server = test::fixture_store();
    auto device = test::empty_store();
    ASSERT_TRUE(apply_change_feed(*device, test::feed(*server, 0)).is_ok());
    const int64_t held = test::held_seq(*device);

    // Re-created: a new store with the same articles (its sequence starts again).
    auto recreated = test::fixture_store();
    Article changed = (*get_article(*recreated, "late-deliveries"))->article;
    changed.body += "\n\nA rule only the new database has.";
    ASSERT_TRUE(save_article(*recreated, changed).is_ok());
    auto applied = apply_change_feed(*device, test::feed(*recreated, held));
    ASSERT_FALSE(applied.is_ok());
    EXPECT_EQ(applied.code(), StatusCode::diverged) << applied.error();
    EXPECT_NE(applied.error().find("download the library again"), std::string::npos) << applied.error();
    EXPECT_EQ(test::held_seq(*device), held) << "nothing changes until the device starts again";

    // Restored from an older backup: the same identity, but behind the device.
    auto backup = test::empty_store();
    ASSERT_TRUE(backup->exec("DELETE FROM store_identity").is_ok());
    ASSERT_TRUE(backup->exec("DROP TRIGGER store_identity_no_update").is_ok());
    auto id = store_identity(*server);
    ASSERT_TRUE(id.is_ok());
    auto insert = backup->prepare("INSERT INTO store_identity(id, identity, created_at) VALUES (1, ?1, 'x')");
    ASSERT_TRUE(insert.is_ok());
    ASSERT_TRUE(insert->bind(1, *id).run().is_ok());
    auto behind = apply_change_feed(*device, test::feed(*backup, held));
    ASSERT_FALSE(behind.is_ok());
    EXPECT_EQ(behind.code(), StatusCode::diverged) << behind.error();

    // A fresh device takes the re-created server as its own.
    auto fresh = test::empty_store();
    ASSERT_TRUE(apply_change_feed(*fresh, test::feed(*recreated, 0)).is_ok());
    EXPECT_EQ(applied_feed_position(*fresh)->server, *store_identity(*recreated));
}

TEST(ChangeFeed, ChecksBackOffWhileTheServerCannotBeReached) {
    EXPECT_NEAR(seconds_until_next_feed_check(0, 0.5), 300, 1e-9);
    EXPECT_NEAR(seconds_until_next_feed_check(1, 0.5), 30, 1e-9);
    EXPECT_NEAR(seconds_until_next_feed_check(2, 0.5), 60, 1e-9);
    EXPECT_NEAR(seconds_until_next_feed_check(4, 0.5), 240, 1e-9);
    EXPECT_NEAR(seconds_until_next_feed_check(20, 0.5), 900, 1e-9);   // capped
    EXPECT_NEAR(seconds_until_next_feed_check(1000, 0.5), 900, 1e-9); // no overflow
    EXPECT_NEAR(seconds_until_next_feed_check(0, 0.0), 270, 1e-9);    // jitter: +-10%
    EXPECT_NEAR(seconds_until_next_feed_check(0, 1.0), 330, 1e-9);
}

TEST(ChangeFeed, AConfirmationIsKeptWithThePosition) {
    auto device = test::empty_store();
    EXPECT_TRUE(applied_feed_position(*device)->confirmed_at.empty());
    ASSERT_TRUE(record_feed_confirmed(*device, "2026-12-04T17:00:00Z").is_ok());
    EXPECT_EQ(applied_feed_position(*device)->confirmed_at, "2026-12-04T17:00:00Z");
}

#include "core/device_clock.h"

TEST(DeviceClock, DatesFollowTheServersClockAndADisagreementIsSaid) {
    EXPECT_EQ(*parse_utc_time("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(*parse_utc_time("2026-12-04T16:50:30Z"), 1796403030);
    EXPECT_EQ(*parse_utc_time("2026-12-04T16:50:30.123Z"), 1796403030);
    EXPECT_FALSE(parse_utc_time("2026-12-04 16:50:30").has_value());
    EXPECT_FALSE(parse_utc_time("2026-02-30T00:00:00Z").has_value());
    EXPECT_EQ(utc_date(1796403030), "2026-12-04");
    EXPECT_EQ(utc_time(1796403030), "2026-12-04T16:50:30Z");
    // A tablet two days slow: the server says 4 December, the tablet thinks 2 December.
    const int64_t device = *parse_utc_time("2026-12-02T23:30:00Z");
    auto offset = clock_offset("2026-12-04T23:30:00Z", device);
    ASSERT_TRUE(offset.has_value());
    EXPECT_EQ(*offset, 2 * 86400);
    EXPECT_EQ(server_today(device, *offset), "2026-12-04");
    EXPECT_EQ(server_today(device + 3600, *offset), "2026-12-05") << "the day still changes at the server's midnight";
    EXPECT_NE(clock_disagreement(*offset).find("2 days behind"), std::string::npos) << clock_disagreement(*offset);
    EXPECT_EQ(clock_disagreement(120), "") << "a couple of minutes is no matter";
    EXPECT_NE(clock_disagreement(-3 * 3600).find("3 hours ahead"), std::string::npos);
}
