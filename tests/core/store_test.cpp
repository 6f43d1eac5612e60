#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "core/article_store.h"
#include "core/change_feed.h"
#include "core/schema.h"
#include "core/search.h"
#include "test_corpus.h"

using namespace handbook;

namespace {
Article sample() {
    return test::make_article("refund-windows", "Refund windows", "Refunds and returns", {"refund"}, "Thirty days.");
}
}  // namespace

TEST(Store, SavingCreatesVersionOne) {
    auto db = test::empty_store();
    auto saved = save_article(*db, sample(), {"ana", "First version"});
    ASSERT_TRUE(saved.is_ok()) << saved.error();
    EXPECT_EQ(saved->outcome, SaveOutcome::created);
    EXPECT_EQ(saved->version, 1);
    auto got = get_article(*db, "refund-windows");
    ASSERT_TRUE(got.is_ok());
    ASSERT_TRUE(got->has_value());
    EXPECT_EQ((*got)->article.title, "Refund windows");
    EXPECT_EQ((*got)->article.tags, std::vector<std::string>{"refund"});
    EXPECT_EQ((*got)->version, 1);
}

TEST(Store, UnchangedContentMakesNoVersion) {
    auto db = test::empty_store();
    ASSERT_TRUE(save_article(*db, sample()).is_ok());
    int64_t seq = test::head_seq(*db);
    auto again = save_article(*db, sample());
    ASSERT_TRUE(again.is_ok());
    EXPECT_EQ(again->outcome, SaveOutcome::unchanged);
    EXPECT_EQ(test::head_seq(*db), seq);
    EXPECT_EQ(article_history(*db, "refund-windows")->size(), 1u);
}

TEST(Store, EachChangeIsOneNewVersionAndOldOnesStayReadable) {
    auto db = test::empty_store();
    ASSERT_TRUE(save_article(*db, sample()).is_ok());
    Article edited = sample();
    edited.body = "Thirty days, or fourteen for sale items.";
    auto saved = save_article(*db, edited, {"ben", "Added the sale window"});
    ASSERT_TRUE(saved.is_ok());
    EXPECT_EQ(saved->outcome, SaveOutcome::updated);
    EXPECT_EQ(saved->version, 2);

    auto history = article_history(*db, "refund-windows");
    ASSERT_TRUE(history.is_ok());
    ASSERT_EQ(history->size(), 2u);
    EXPECT_EQ((*history)[0].article.body, "Thirty days.");
    EXPECT_EQ((*history)[1].article.body, edited.body);
    EXPECT_EQ((*history)[1].change_note, "Added the sale window");
    EXPECT_EQ((*history)[1].author, "ben");
    auto v1 = article_version(*db, "refund-windows", 1);
    ASSERT_TRUE(v1.is_ok() && v1->has_value());
    EXPECT_EQ((*v1)->article.body, "Thirty days.");
    EXPECT_FALSE(article_version(*db, "refund-windows", 3)->has_value());
    EXPECT_EQ((*get_article(*db, "refund-windows"))->article.body, edited.body);
}

TEST(Store, VersionsAreImmutable) {
    auto db = test::empty_store();
    ASSERT_TRUE(save_article(*db, sample()).is_ok());
    Status st = db->exec("UPDATE article_versions SET body = 'rewritten'");
    EXPECT_FALSE(st.is_ok());
    EXPECT_NE(st.error.find("immutable"), std::string::npos);
    EXPECT_FALSE(db->exec("DELETE FROM article_versions").is_ok());
    EXPECT_EQ((*article_version(*db, "refund-windows", 1))->article.body, "Thirty days.");
}

TEST(Store, ChangeSequenceListsEverythingAfterN) {
    auto db = test::empty_store();
    ASSERT_TRUE(save_article(*db, sample()).is_ok());
    Article other = test::make_article("late-deliveries", "Late deliveries", "Delivery and escalation", {}, "Late.");
    ASSERT_TRUE(save_article(*db, other).is_ok());
    Article edited = sample();
    edited.title = "Refund windows by product";
    ASSERT_TRUE(save_article(*db, edited).is_ok());

    auto all = changes_since(*db, 0);
    ASSERT_TRUE(all.is_ok());
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0].slug, "refund-windows");
    EXPECT_EQ((*all)[0].version, 1);
    EXPECT_EQ((*all)[2].slug, "refund-windows");
    EXPECT_EQ((*all)[2].version, 2);
    auto after = changes_since(*db, (*all)[1].seq);
    ASSERT_EQ(after->size(), 1u);
    EXPECT_EQ((*after)[0].seq, (*all)[2].seq);
    EXPECT_TRUE(changes_since(*db, (*all)[2].seq)->empty());
    EXPECT_EQ(changes_since(*db, 0, 2)->size(), 2u);
}

TEST(Store, InvalidArticleIsRejectedAndNothingIsWritten) {
    auto db = test::empty_store();
    Article bad = sample();
    bad.effective = "2026-02-31";
    auto saved = save_article(*db, bad);
    ASSERT_FALSE(saved.is_ok());
    EXPECT_NE(saved.error().find("effective"), std::string::npos);
    EXPECT_FALSE(get_article(*db, "refund-windows")->has_value());
    EXPECT_EQ(test::head_seq(*db), 0);
}

TEST(Store, SynonymsRoundTripAndAreAChange) {
    auto db = test::empty_store();
    SynonymGroups groups = {{"parcel", "package"}, {"refund", "money back"}};
    ASSERT_TRUE(set_synonyms(*db, groups).is_ok());
    EXPECT_EQ(*load_synonyms(*db), groups);
    int64_t seq = test::head_seq(*db);
    EXPECT_GT(seq, 0);
    ASSERT_TRUE(set_synonyms(*db, groups).is_ok());  // unchanged: no new change
    EXPECT_EQ(test::head_seq(*db), seq);
}

TEST(Migrations, FreshStoreIsAtTheCurrentSchema) {
    auto db = test::empty_store();
    EXPECT_EQ(*schema_version(*db), kSchemaVersion);
}

TEST(Migrations, OldDatabaseIsUpgradedWithItsArticlesSearchable) {
    auto opened = Database::open(":memory:");
    ASSERT_TRUE(opened.is_ok());
    Database& db = **opened;
    ASSERT_TRUE(migrate(db, 1).is_ok());
    EXPECT_EQ(*schema_version(db), 1);
    // A version-1 database has articles but no search index yet.
    ASSERT_TRUE(db.exec("INSERT INTO articles(slug, title, category, tags_json, owner, effective, review_by, status, body, "
                        "version, updated_at) VALUES ('old-one', 'Gift card balance', 'Refunds and returns', '[\"gift card\"]', "
                        "'Finance', '2025-01-01', '2026-01-01', 'published', 'Check the **balance** online.', 1, 'x')")
                    .is_ok());
    ASSERT_TRUE(migrate(db).is_ok());
    EXPECT_EQ(*schema_version(db), kSchemaVersion);
    auto engine = SearchEngine::create(db);
    ASSERT_TRUE(engine.is_ok()) << engine.error();
    SearchQuery q;
    q.text = "balance";
    auto r = (*engine)->search(q);
    ASSERT_TRUE(r.is_ok());
    ASSERT_EQ(r->hits.size(), 1u);
    EXPECT_EQ(r->hits[0].slug, "old-one");
    EXPECT_TRUE(migrate(db).is_ok());  // idempotent
}

// Before schema 6 a draft was a version: saved over a published article it unpublished
// it, and the feed sent it to every device. The upgrade puts the published version back
// and keeps the draft aside for the server (legacy_drafts).
TEST(Migrations, DraftsStoredAsVersionsLeaveTheReplica) {
    auto opened = Database::open(":memory:");
    ASSERT_TRUE(opened.is_ok());
    Database& db = **opened;
    ASSERT_TRUE(migrate(db, 5).is_ok());
    const char* old_rows = R"sql(
INSERT INTO articles(id, slug, title, category, tags_json, owner, effective, review_by, status, body, version, updated_at)
VALUES (1, 'gift-cards', 'Gift cards (draft title)', 'Refunds', '["gift"]', 'Finance', '2025-01-01', '2026-01-01', 'draft', 'Draft text.', 2, 't2'),
       (2, 'pilot', 'Zeppelin pilot', 'Delivery', '[]', 'Ops', '2025-01-01', '2026-01-01', 'draft', 'Never published.', 1, 't3');
INSERT INTO changes(seq, kind, article_id, version, created_at) VALUES (1, 'article', 1, 1, 't1'), (2, 'article', 1, 2, 't2'), (3, 'article', 2, 1, 't3');
INSERT INTO article_versions(article_id, version, title, category, tags_json, owner, effective, review_by, status, body, change_note, author, created_at, seq)
VALUES (1, 1, 'Gift cards', 'Refunds', '["gift"]', 'Finance', '2025-01-01', '2026-01-01', 'published', 'Gift card balances are checked online.', '', 'ana', 't1', 1),
       (1, 2, 'Gift cards (draft title)', 'Refunds', '["gift"]', 'Finance', '2025-01-01', '2026-01-01', 'draft', 'Draft text.', '', 'ben', 't2', 2),
       (2, 1, 'Zeppelin pilot', 'Delivery', '[]', 'Ops', '2025-01-01', '2026-01-01', 'draft', 'Never published.', '', 'cy', 't3', 3);
)sql";
    ASSERT_TRUE(db.exec(old_rows).is_ok());
    Status upgraded = migrate(db);
    ASSERT_TRUE(upgraded.is_ok()) << upgraded.error;
    auto gift = get_article(db, "gift-cards");
    ASSERT_TRUE(gift.is_ok() && gift->has_value());
    EXPECT_EQ((*gift)->article.status, "published");
    EXPECT_EQ((*gift)->version, 1);
    EXPECT_EQ((*gift)->article.title, "Gift cards");
    EXPECT_FALSE(get_article(db, "pilot")->has_value()) << "never published: not in the replica";
    EXPECT_EQ(test::head_seq(db), 1);
    auto kept = db.prepare("SELECT slug, author, base_version FROM legacy_drafts ORDER BY slug");
    ASSERT_TRUE(kept.is_ok());
    ASSERT_TRUE(kept->step());
    EXPECT_EQ(kept->column_text(0), "gift-cards");
    EXPECT_EQ(kept->column_text(1), "ben");
    EXPECT_EQ(kept->column_int(2), 1);
    ASSERT_TRUE(kept->step());
    EXPECT_EQ(kept->column_text(0), "pilot");
    EXPECT_EQ(kept->column_int(2), 0);
    auto engine = SearchEngine::create(db);
    ASSERT_TRUE(engine.is_ok());
    SearchQuery q;
    q.text = "gift card balances";
    auto r = (*engine)->search(q);
    ASSERT_TRUE(r.is_ok());
    ASSERT_FALSE(r->hits.empty());
    EXPECT_EQ(r->hits[0].slug, "gift-cards");
    q.text = "zeppelin";
    EXPECT_TRUE((*engine)->search(q)->hits.empty());
}

TEST(Migrations, NewerDatabaseIsRefusedWithAClearMessage) {
    auto opened = Database::open(":memory:");
    ASSERT_TRUE(opened.is_ok());
    ASSERT_TRUE((*opened)->exec("PRAGMA user_version = 999").is_ok());
    Status st = migrate(**opened);
    ASSERT_FALSE(st.is_ok());
    EXPECT_NE(st.error.find("newer Handbook"), std::string::npos);
}

TEST(Migrations, FileThatIsNotADatabaseIsReported) {
    const char* path = "not-a-database.db";
    {
        std::ofstream out(path, std::ios::binary);
        out << "This is a text file, not SQLite. It is long enough to have a header........................";
    }
    auto db = open_store(path);
    ASSERT_FALSE(db.is_ok());
    EXPECT_NE(db.error().find("not a database"), std::string::npos) << db.error();
    std::remove(path);
}

// A long history: the versions to come are the ones dated after the store's day and newer
// than the one shown, soonest first (not in version order), and the version in force on a
// day is the newest whose date had come, even when an older version carries a later date.
TEST(InForce, VersionsToComeAndInForceAmongManyVersions) {
    auto db = test::empty_store();
    ASSERT_TRUE(refresh_in_force(*db, "2026-12-04").is_ok());
    Article a = test::make_article("returns", "Returns", "Refunds and returns", {"refund"}, "Version 1.");
    a.review_by = "2029-01-01";
    const char* dates[] = {"2025-01-01", "2025-06-01", "2026-01-01", "2027-06-01", "2027-01-01", "2028-01-01"};
    for (int v = 1; v <= 6; ++v) {
        a.body = "Version " + std::to_string(v) + ".";
        a.effective = dates[v - 1];
        auto saved = save_article(*db, a, VersionNote("ana", "v" + std::to_string(v)));
        ASSERT_TRUE(saved.is_ok()) << saved.error();
    }
    EXPECT_EQ((*get_article(*db, "returns"))->version, 3) << "the newest version whose day has come";
    auto upcoming = upcoming_versions(*db, "returns");
    ASSERT_TRUE(upcoming.is_ok());
    std::vector<int> order;
    for (const ArticleVersion& v : *upcoming) order.push_back(v.version);
    EXPECT_EQ(order, (std::vector<int>{5, 4, 6})) << "soonest first";
    EXPECT_EQ((*upcoming)[0].article.body, "Version 5.");
    EXPECT_EQ((*version_in_force(*db, "returns", "2025-07-01"))->version, 2);
    EXPECT_EQ((*version_in_force(*db, "returns", "2027-03-01"))->version, 5);
    EXPECT_EQ((*version_in_force(*db, "returns", "2027-07-01"))->version, 5) << "version 5 is newer than version 4";
    EXPECT_EQ((*version_in_force(*db, "returns", "2027-07-01"))->article.body, "Version 5.");
    EXPECT_EQ((*version_in_force(*db, "returns", "2030-01-01"))->version, 6);
    EXPECT_FALSE(version_in_force(*db, "returns", "2024-12-31")->has_value());

    // A policy whose first version is still to come: that version is shown (as upcoming),
    // and what follows it is to come too.
    Article fresh = test::make_article("gift-cards", "Gift cards", "Payments", {}, "First.");
    fresh.effective = "2027-02-01";
    fresh.review_by = "2029-01-01";
    ASSERT_TRUE(save_article(*db, fresh, VersionNote("ana", "new")).is_ok());
    fresh.body = "Second.";
    fresh.effective = "2027-03-01";
    ASSERT_TRUE(save_article(*db, fresh, VersionNote("ana", "later")).is_ok());
    auto shown = *get_article(*db, "gift-cards");
    ASSERT_TRUE(shown.has_value());
    EXPECT_EQ(shown->article.status, "upcoming");
    order.clear();
    auto to_come = upcoming_versions(*db, "gift-cards");
    ASSERT_TRUE(to_come.is_ok());
    for (const ArticleVersion& v : *to_come) order.push_back(v.version);
    EXPECT_EQ(order, (std::vector<int>{1, 2}));
    EXPECT_TRUE(upcoming_versions(*db, "no-such-policy")->empty());
}

// Effective dates: a version published for a later date travels ahead and waits; on its
// date the store switches by itself (refresh_in_force, with the date the host gives).
TEST(InForce, AVersionComesIntoForceOnItsDate) {
    auto db = test::empty_store();
    ASSERT_TRUE(refresh_in_force(*db, "2026-12-04").is_ok());
    Article a = test::make_article("returns", "Returns", "Refunds and returns", {"refund"}, "Thirty days for returns.");
    a.effective = "2026-01-01";
    ASSERT_TRUE(save_article(*db, a).is_ok());
    Article later = a;
    later.body = "Fourteen days for returns.";
    later.effective = "2027-01-01";
    later.review_by = "2028-01-01";
    ASSERT_TRUE(save_article(*db, later, VersionNote("ana", "Shorter window", "ben", true, "2027-01-15")).is_ok());

    auto shown = *get_article(*db, "returns");
    EXPECT_EQ(shown->version, 1) << "version 2 is not in force yet";
    EXPECT_EQ(shown->article.body, "Thirty days for returns.");
    auto upcoming = upcoming_versions(*db, "returns");
    ASSERT_TRUE(upcoming.is_ok());
    ASSERT_EQ(upcoming->size(), 1u);
    EXPECT_EQ((*upcoming)[0].version, 2);
    EXPECT_EQ((*upcoming)[0].acknowledge_by, "2027-01-15");
    EXPECT_EQ(*newest_version(*db, "returns"), 2);
    EXPECT_EQ((*version_in_force(*db, "returns", "2026-06-01"))->version, 1);
    EXPECT_EQ((*version_in_force(*db, "returns", "2027-03-01"))->version, 2);
    EXPECT_FALSE(version_in_force(*db, "returns", "2025-01-01")->has_value());

    // Staff find the change before its day, by a word only it has; the hit says when it
    // comes into force (the reader shows the version in force, with a notice).
    auto engine = SearchEngine::create(*db);
    ASSERT_TRUE(engine.is_ok());
    SearchQuery q;
    q.text = "fourteen";
    auto early = (*engine)->search(q);
    ASSERT_TRUE(early.is_ok());
    ASSERT_EQ(early->hits.size(), 1u);
    EXPECT_EQ(early->hits[0].slug, "returns");
    EXPECT_EQ(early->hits[0].version, 1) << "the version in force is what the reader opens";
    EXPECT_EQ(early->hits[0].coming_on, "2027-01-01");
    EXPECT_TRUE(early->hits[0].in_force);
    q.text = "thirty";
    EXPECT_EQ((*engine)->search(q)->hits.at(0).coming_on, "2027-01-01") << "the text in force is searched too";
    auto moved = refresh_in_force(*db, "2027-01-01");
    ASSERT_TRUE(moved.is_ok());
    EXPECT_EQ(*moved, 1);
    EXPECT_EQ((*get_article(*db, "returns"))->version, 2);
    EXPECT_TRUE((*engine)->search(q)->hits.empty()) << "the search engine sees the switch: 'thirty' is gone";
    q.text = "fourteen";
    auto after = (*engine)->search(q);
    ASSERT_EQ(after->hits.size(), 1u);
    EXPECT_EQ(after->hits[0].coming_on, "") << "nothing more to come";
    EXPECT_TRUE(upcoming_versions(*db, "returns")->empty());
    EXPECT_EQ(*refresh_in_force(*db, "2027-01-01"), 0) << "nothing more to do the same day";
    // A clock set back shows the older version again.
    EXPECT_EQ(*refresh_in_force(*db, "2026-12-31"), 1);
    EXPECT_EQ((*get_article(*db, "returns"))->version, 1);
}

TEST(InForce, ALaterPublicationWithAnEarlierDateSupersedesAndNewArticlesWait) {
    auto db = test::empty_store();
    ASSERT_TRUE(refresh_in_force(*db, "2026-12-04").is_ok());
    Article a = test::make_article("returns", "Returns", "Refunds and returns", {}, "One.");
    a.effective = "2026-01-01";
    ASSERT_TRUE(save_article(*db, a).is_ok());
    a.body = "Two.";
    a.effective = "2027-06-01";
    a.review_by = "2028-01-01";
    ASSERT_TRUE(save_article(*db, a).is_ok());
    a.body = "Three.";
    a.effective = "2027-02-01";
    ASSERT_TRUE(save_article(*db, a).is_ok());
    ASSERT_TRUE(refresh_in_force(*db, "2027-07-01").is_ok());
    EXPECT_EQ((*get_article(*db, "returns"))->article.body, "Three.") << "version 3 was published after 2, and is in force";

    Article fresh = test::make_article("pilot", "Zeppelin pilot", "Delivery", {}, "Zeppelins deliver.");
    fresh.effective = "2028-01-01";
    fresh.review_by = "2029-01-01";
    ASSERT_TRUE(save_article(*db, fresh).is_ok());
    EXPECT_EQ((*get_article(*db, "pilot"))->article.status, "upcoming");
    auto engine = SearchEngine::create(*db);
    SearchQuery q;
    q.text = "zeppelins";
    auto early = (*engine)->search(q);
    ASSERT_EQ(early->hits.size(), 1u) << "a new policy is found before its day, marked as not in force";
    EXPECT_FALSE(early->hits[0].in_force);
    EXPECT_EQ(early->hits[0].coming_on, "2028-01-01");
    ASSERT_TRUE(refresh_in_force(*db, "2028-01-01").is_ok());
    EXPECT_EQ((*get_article(*db, "pilot"))->article.status, "published");
    auto later = (*engine)->search(q);
    ASSERT_EQ(later->hits.size(), 1u);
    EXPECT_TRUE(later->hits[0].in_force);
    EXPECT_EQ(later->hits[0].coming_on, "");
}

// "Confirm still correct": the review date moves on, with no new version, and the device
// gets it through the feed.
TEST(InForce, AConfirmedReviewReachesDevicesWithoutANewVersion) {
    auto server = test::fixture_store();
    auto device = test::empty_store();
    ASSERT_TRUE(apply_change_feed(*device, test::feed(*server, 0)).is_ok());
    const int version = (*get_article(*server, "late-deliveries"))->version;
    auto seq = confirm_review(*server, "late-deliveries", "2028-03-01", "ana", "2026-12-04T10:00:00Z");
    ASSERT_TRUE(seq.is_ok()) << seq.error();
    EXPECT_EQ((*get_article(*server, "late-deliveries"))->version, version) << "no new version";
    EXPECT_EQ((*get_article(*server, "late-deliveries"))->article.review_by, "2028-03-01");
    EXPECT_EQ(confirm_review(*server, "late-deliveries", "2020-01-01", "ana", "x").code(), StatusCode::invalid);
    auto applied = apply_change_feed(*device, test::feed(*server, test::held_seq(*device)));
    ASSERT_TRUE(applied.is_ok()) << applied.error();
    auto seen = *get_article(*device, "late-deliveries");
    EXPECT_EQ(seen->article.review_by, "2028-03-01");
    EXPECT_EQ(seen->reviewed_by, "ana");
    EXPECT_EQ(seen->reviewed_at, "2026-12-04T10:00:00Z");
    EXPECT_EQ(seen->version, version);
}
