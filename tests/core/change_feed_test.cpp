#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/article_store.h"
#include "core/change_feed.h"
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
    auto applied = apply_change_feed(*device, change_feed_json(*server, 0));
    ASSERT_TRUE(applied.is_ok()) << applied.error();
    EXPECT_EQ(applied->articles_changed, 9);
    EXPECT_TRUE(applied->synonyms_changed);
    EXPECT_FALSE(applied->more);
    EXPECT_EQ(applied->latest, latest_change_seq(*server));
    EXPECT_EQ(applied_feed_seq(*device), latest_change_seq(*server));
    EXPECT_EQ(article_count(*device), article_count(*server));
    for (const char* q : {"refnd", "package damaged", "supervisor", "cafe"})
        EXPECT_EQ(top_hit(*device, q), top_hit(*server, q)) << q;
}

TEST(ChangeFeed, OnlyWhatChangedAfterNArrives) {
    auto server = test::fixture_store();
    auto device = test::empty_store();
    ASSERT_TRUE(apply_change_feed(*device, change_feed_json(*server, 0)).is_ok());
    int64_t held = applied_feed_seq(*device);

    Article edited = (*get_article(*server, "late-deliveries"))->article;
    edited.body += "\n\nExpress parcels are late after one working day.";
    ASSERT_TRUE(save_article(*server, edited, {"ana", "Express rule added"}).is_ok());

    std::string feed = change_feed_json(*server, held);
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
    auto again = apply_change_feed(*device, change_feed_json(*server, applied->latest));
    ASSERT_TRUE(again.is_ok());
    EXPECT_EQ(again->articles_changed, 0);
}

TEST(ChangeFeed, LongFeedsComeInPages) {
    auto server = test::fixture_store();
    auto device = test::empty_store();
    int pages = 0;
    bool more = true;
    while (more && pages < 20) {
        auto applied = apply_change_feed(*device, change_feed_json(*server, applied_feed_seq(*device), 3));
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
    std::string feed = change_feed_json(*server, 0);
    for (size_t cut : {feed.size() / 2, feed.size() - 1, size_t(1), size_t(0)}) {
        auto applied = apply_change_feed(*device, feed.substr(0, cut));
        ASSERT_FALSE(applied.is_ok());
        EXPECT_NE(applied.error().find("nothing was changed"), std::string::npos) << applied.error();
        EXPECT_EQ(article_count(*device), 0u);
        EXPECT_EQ(applied_feed_seq(*device), 0);
    }
}

TEST(ChangeFeed, OneBadArticleRejectsTheWholeUpdate) {
    auto server = test::fixture_store();
    auto device = test::empty_store();
    auto doc = nlohmann::json::parse(change_feed_json(*server, 0));
    doc["changes"][3]["article"]["effective"] = "2026-02-30";
    auto applied = apply_change_feed(*device, doc.dump());
    ASSERT_FALSE(applied.is_ok());
    EXPECT_NE(applied.error().find("effective"), std::string::npos) << applied.error();
    EXPECT_EQ(article_count(*device), 0u);

    doc = nlohmann::json::parse(change_feed_json(*server, 0));
    doc["changes"][1]["article"]["tags"] = "not a list";
    EXPECT_FALSE(apply_change_feed(*device, doc.dump()).is_ok());
    doc = nlohmann::json::parse(change_feed_json(*server, 0));
    std::swap(doc["changes"][0], doc["changes"][1]);
    EXPECT_FALSE(apply_change_feed(*device, doc.dump()).is_ok());
    EXPECT_EQ(article_count(*device), 0u);
}

TEST(ChangeFeed, UnknownFormatsAreRefused) {
    auto device = test::empty_store();
    EXPECT_FALSE(apply_change_feed(*device, R"({"format": 2, "latest": 0, "changes": []})").is_ok());
    EXPECT_FALSE(apply_change_feed(*device, R"([1, 2, 3])").is_ok());
    EXPECT_FALSE(apply_change_feed(*device, "\xff\xfe garbage").is_ok());
    EXPECT_TRUE(apply_change_feed(*device, R"({"format": 1, "latest": 0, "changes": []})").is_ok());
}
