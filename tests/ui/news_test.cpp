// What's new and read-and-acknowledge, headless: the count on the top bar, the screen's
// To-read list and what came since the last look, the reader's must-read banner and
// "I have read and understood" (kept on the device, sent once when the server answers),
// and a new must-read version showing what changed since the one acknowledged.
#include <gtest/gtest.h>
#include <imgui.h>

#include "app_actions.h"
#include "core/article_store.h"
#include "core/device_acknowledgements.h"
#include "core/device_store.h"
#include "core/search_misses.h"
#include "news.h"
#include "ui_harness.h"

namespace handbook::test {
namespace {

using ui::SemanticRole;

TEST(News, ToReadIsCountedAcknowledgedOfflineSentOnceAndAskedAgain) {
    UiHarness ui;
    Database* device = &ui.open_device();
    ui.state.today = "2026-12-10";
    ASSERT_TRUE(refresh_in_force(*ui.db, "2026-12-10").is_ok());
    ui.state.account = {true, "sam", "staff", false, {}};
    ui.platform.now_utc = [] { return std::string("2026-12-10T09:30:00Z"); };
    ui.platform.new_id = [] { return std::string("one"); };
    std::vector<std::string> sent;
    bool online = false;
    ui.platform.api = [&](const std::string& method, const std::string& path, const std::string& body,
                          std::function<void(int, const std::string&)> answer) {
        if (!online) return answer(0, "");
        sent.push_back(method + " " + path + " " + body);
        if (method == "POST") return answer(200, R"({"recorded":true})");
        answer(200, R"({"acknowledgements":[{"slug":"late-deliveries","version":2,"acknowledged_at":"2026-12-10T09:30:00Z"}]})");
    };
    Article v2 = make_article("late-deliveries", "Late deliveries", "Delivery and escalation", {"late", "parcel"}, "Logistics",
                              "A parcel that is late by three days gets a delivery refund.");
    v2.effective = "2026-12-08";
    ASSERT_TRUE(save_article(*ui.db, v2, VersionNote("ben", "Three days, not two", "bo", true, "2026-12-20")).is_ok());
    ui::refresh_content(ui.state, *ui.library);
    ui.frame(2);
    // Sam is new to this device: what it holds is not news, but what he must read is.
    EXPECT_EQ(ui::news_count(ui.state), 1);
    // Another change arrives: counted as new.
    Article other = make_article("complaint-handling", "Complaint handling", "Complaints", {"complaint"}, "Customer Service",
                                 "Listen first, then apologise. Confirm the customer is satisfied, and note it.");
    ASSERT_TRUE(save_article(*ui.db, other, VersionNote("ben", "Note it", "bo")).is_ok());
    ui::refresh_content(ui.state, *ui.library);
    ui.frame(2);
    EXPECT_EQ(ui::news_count(ui.state), 2);
    const ui::SemanticNode* bell = ui.state.semantics.find("What's new", SemanticRole::link);
    ASSERT_NE(bell, nullptr);
    EXPECT_EQ(bell->description, "2 changes for you");
    ASSERT_TRUE(ui.click_widget("What's new"));
    ui.frame(2);
    ASSERT_EQ(ui.state.screen, ui::Screen::news);
    EXPECT_NE(ui.state.semantics.find("To read and acknowledge", SemanticRole::heading), nullptr);
    EXPECT_EQ(ui.state.news.to_read.size(), 1u);
    EXPECT_EQ(changes_after(ui.state.news.recent, ui.state.news.seen_seq), 1) << "marked as new during this visit";
    EXPECT_EQ(ui::news_count(ui.state), 1) << "seen: only what is to read counts now";

    // Into the policy from the list: the banner, then the button at its end.
    ASSERT_TRUE(ui.click_widget("Late deliveries"));
    ui.frame(2);
    ASSERT_EQ(ui.state.screen, ui::Screen::article);
    EXPECT_NE(ui.state.semantics.find("You must read and acknowledge version 2 of this policy by 20 Dec 2026.", SemanticRole::status),
              nullptr);
    ASSERT_TRUE(ui.click_widget("I have read and understood"));
    ui.frame(2);
    EXPECT_TRUE(ui.state.news.to_read.empty());
    EXPECT_EQ(ui.state.semantics.find("I have read and understood", SemanticRole::button), nullptr);
    EXPECT_NE(ui.state.semantics.find("Acknowledged: version 2 of Late deliveries. It is kept on this device and sent to the server "
                                      "when it can be reached.", SemanticRole::status), nullptr);
    auto waiting = outbox_entries(*device, "pending");
    ASSERT_EQ(waiting->size(), 1u) << "kept on the device while the server cannot be reached";
    EXPECT_TRUE(sent.empty());

    // The network is back: sent once, taken out of the outbox, the server's list kept.
    online = true;
    ui.state.outbox.look = true;
    ui.state.outbox.retry_at = 0;
    ui.frame(100);  // two looks, half a second apart: the acknowledgement, then the server's list
    int posts = 0;
    for (const std::string& s : sent) posts += s.rfind("POST api/acknowledgements", 0) == 0;
    EXPECT_EQ(posts, 1);
    EXPECT_TRUE(outbox_entries(*device, "pending")->empty());
    EXPECT_EQ(known_acknowledgements(*device, "sam")->size(), 1u);
    EXPECT_TRUE(ui.state.news.to_read.empty());
    EXPECT_NE(ui.state.semantics.find("Your acknowledgement reached the server.", SemanticRole::status), nullptr);

    // A new must-read version asks again, and shows what changed since version 2.
    Article v3 = v2;
    v3.body = "A parcel that is late by three working days gets a delivery refund.";
    ASSERT_TRUE(save_article(*ui.db, v3, VersionNote("ben", "Working days", "bo", true, "2026-12-24")).is_ok());
    ui::refresh_content(ui.state, *ui.library);
    ui.frame(2);
    ASSERT_EQ(ui.state.news.to_read.size(), 1u);
    EXPECT_EQ(ui.state.news.to_read[0].last_acknowledged, 2);
    ASSERT_TRUE(ui.click_widget("Show what changed since version 2"));
    ui.frame(2);
    EXPECT_TRUE(ui.state.reader.show_changes);
    bool marked = false;
    for (const auto& line : ui.state.reader.changes.lines)
        for (const auto& span : line.spans) marked = marked || span.text.find("working") != std::string::npos;
    EXPECT_TRUE(marked) << "the inserted word is marked";
    ASSERT_TRUE(ui.click_widget("Show the whole policy"));
    ui.frame(2);
    EXPECT_FALSE(ui.state.reader.show_changes);
}

// Nobody signed in: no To-read list, and no way to acknowledge for someone.
TEST(News, AcknowledgingIsPersonal) {
    UiHarness ui;
    Database* device = &ui.open_device();
    Article v2 = make_article("late-deliveries", "Late deliveries", "Delivery and escalation", {"late"}, "Logistics", "Three days.");
    ASSERT_TRUE(save_article(*ui.db, v2, VersionNote("ben", "Three days", "bo", true, "2026-12-20")).is_ok());
    ui::refresh_content(ui.state, *ui.library);
    ui::open_article(ui.state, *ui.library, "late-deliveries");
    ui.frame(2);
    EXPECT_TRUE(ui.state.news.to_read.empty());
    EXPECT_EQ(ui.state.semantics.find("I have read and understood", SemanticRole::button), nullptr);
    EXPECT_FALSE(acknowledge_on_device(*device, "", {"late-deliveries", 2, "2026-12-10T09:00:00Z"}, "x").is_ok());
}

// Item 8: what the person acknowledged on another device reaches this one with the next
// sync, not only at the next sign-in.
TEST(News, AcknowledgementsMadeElsewhereArriveWithTheNextSync) {
    UiHarness ui;
    ui.open_device();
    ui.state.today = "2026-12-10";
    Article v2 = make_article("late-deliveries", "Late deliveries", "Delivery and escalation", {"late"}, "Logistics", "Three days.");
    ASSERT_TRUE(save_article(*ui.db, v2, VersionNote("ben", "Three days", "bo", true, "2026-12-20")).is_ok());
    ui.state.account = {true, "sam", "staff", false, {}};
    std::string server_list = R"({"acknowledgements":[]})";
    int asked = 0;
    ui.platform.api = [&](const std::string& method, const std::string& path, const std::string&,
                          std::function<void(int, const std::string&)> answer) {
        if (method == "GET" && path == "api/acknowledgements") ++asked;
        answer(200, method == "GET" ? server_list : R"({"recorded":true})");
    };
    ui::refresh_content(ui.state, *ui.library);
    ui.frame(3);
    ASSERT_EQ(asked, 1);
    ASSERT_EQ(ui.state.news.to_read.size(), 1u);
    // Sam acknowledges on the back-office PC; this tablet's next sync learns it.
    server_list = R"({"acknowledgements":[{"slug":"late-deliveries","version":2,"acknowledged_at":"2026-12-10T10:00:00Z"}]})";
    ui.frame(3);
    EXPECT_EQ(asked, 1) << "not asked every frame";
    ui::sync_reached_server(ui.state);
    ImGui::GetIO().DeltaTime = 0.6f;  // the sender looks at most twice a second
    ui.frame(2);
    ImGui::GetIO().DeltaTime = 1.0f / 60;
    ui.frame(2);
    EXPECT_EQ(asked, 2);
    EXPECT_TRUE(ui.state.news.to_read.empty());
}

}  // namespace
}  // namespace handbook::test

namespace handbook::test {
namespace {

// Review dates: a policy past its review-by date is marked to readers; an editor confirms
// it still correct from the reader (no new version) and finds it under "Due for review".
TEST(News, APolicyPastItsReviewDateIsMarkedAndConfirmedByItsOwner) {
    UiHarness ui;
    ui.state.today = "2027-02-01";  // the harness's policies are due for review on 15 Jan 2027
    std::vector<std::string> sent;
    int content_changed = 0;
    ui.platform.content_changed = [&] { ++content_changed; };
    ui.platform.api = [&](const std::string& method, const std::string& path, const std::string& body,
                          std::function<void(int, const std::string&)> answer) {
        sent.push_back(method + " " + path + " " + body);
        if (path.find("confirm-review") != std::string::npos) return answer(200, R"({"slug":"late-deliveries","review_by":"2028-02-01"})");
        answer(0, "");
    };
    ui::open_article(ui.state, *ui.library, "late-deliveries");
    ui.frame(2);
    const std::string due = "Due for review since 15 Jan 2027: its owner has not confirmed it is still correct.";
    EXPECT_NE(ui.state.semantics.find(due, SemanticRole::status), nullptr);
    EXPECT_EQ(ui.state.semantics.find("Confirm still correct", SemanticRole::button), nullptr) << "not for staff";

    ui.state.account = {true, "lena", "editor", false, {}};
    ui::refresh_content(ui.state, *ui.library);
    ui.frame(2);
    ASSERT_TRUE(ui.click_widget("Confirm still correct"));
    ui.frame(2);
    const ui::SemanticNode* next = ui.state.semantics.find("Next review", SemanticRole::text_field);
    ASSERT_NE(next, nullptr);
    EXPECT_EQ(next->value, "2028-02-01") << "a year on, by default";
    ASSERT_TRUE(ui.click_widget("Confirm"));
    ui.frame(2);
    ASSERT_FALSE(sent.empty());
    EXPECT_EQ(sent.back(), R"(POST api/articles/late-deliveries/confirm-review {"review_by":"2028-02-01"})");
    EXPECT_NE(ui.state.semantics.find("Confirmed still correct; the next review is on 1 Feb 2028.", SemanticRole::status), nullptr);
    EXPECT_EQ(content_changed, 1) << "the device asks for the change at once";

    ui::Route news;
    news.screen = ui::Screen::news;
    ui::navigate(ui.state, *ui.library, news, ui.platform);
    ui.frame(2);
    EXPECT_NE(ui.state.semantics.find("Due for review", SemanticRole::heading), nullptr);
    EXPECT_EQ(ui.state.news.due_for_review.size(), 4u);

    // Someone who looks after one category sees its policies only (the server's rule).
    ui.state.account.categories = {"Delivery and escalation"};
    ui::load_news(ui.state, *ui.library);
    ASSERT_EQ(ui.state.news.due_for_review.size(), 2u);
    for (const StoredArticle& a : ui.state.news.due_for_review) EXPECT_EQ(a.article.category, "Delivery and escalation");
}

// A library long unreviewed does not push the rest of What's new off the screen: the five
// longest overdue first, the others on request.
TEST(News, DueForReviewShowsTheLongestOverdueFirstAndTheRestOnRequest) {
    UiHarness ui;
    ui.state.today = "2027-02-01";
    ui.state.account = {true, "lena", "editor", false, {}};
    for (int i = 1; i <= 3; ++i) {
        Article a = make_article("extra-" + std::to_string(i), "Extra policy " + std::to_string(i), "Complaints", {"extra"},
                                 "Customer Service", "Some text.");
        if (i == 3) a.review_by = "2026-06-01";  // the longest overdue
        ASSERT_TRUE(save_article(*ui.db, a).is_ok());
    }
    ui::navigate(ui.state, *ui.library, ui::parse_route("#/whats-new"), ui.platform);
    ui.frame(2);
    ASSERT_EQ(ui.state.news.due_for_review.size(), 7u);
    EXPECT_EQ(ui.state.news.due_for_review.front().article.slug, "extra-3");
    auto rows_shown = [&] {  // each due row's line says when its review was due
        int n = 0;
        for (int i = 0; i < ui.state.semantics.size; ++i)
            n += ui.state.semantics.nodes[static_cast<size_t>(i)].name.rfind("Review was due on ", 0) == 0;
        return n;
    };
    EXPECT_EQ(rows_shown(), 5);
    ASSERT_TRUE(ui.click_widget("Show all 7 due for review"));
    ui.frame(2);
    EXPECT_EQ(rows_shown(), 7);
    ASSERT_TRUE(ui.click_widget("Show fewer"));
    ui.frame(2);
    EXPECT_EQ(rows_shown(), 5);
}

}  // namespace
}  // namespace handbook::test

namespace handbook::test {
namespace {

// The owners' report: their must-read versions with counts under What's new, one version's
// people (both times for each acknowledgement, overdue marked), and the server's CSV.
TEST(News, OwnersSeeWhoHasAcknowledgedAndDownloadTheCsv) {
    UiHarness ui;
    ui.state.account = {true, "lena", "editor", false, {}};
    ui.platform.api = [&](const std::string& method, const std::string& path, const std::string&,
                          std::function<void(int, const std::string&)> answer) {
        if (method != "GET") return answer(0, "");
        if (path == "api/reports/acknowledgements")
            return answer(200, R"({"versions":[{"slug":"late-deliveries","title":"Late deliveries","version":2,)"
                               R"("acknowledge_by":"2026-12-20","acknowledged":1,"pending":1,"overdue":1}]})");
        if (path == "api/reports/acknowledgements?slug=late-deliveries")
            return answer(200, R"({"slug":"late-deliveries","title":"Late deliveries","version":2,"acknowledge_by":"2026-12-20",)"
                               R"("acknowledged":1,"pending":1,"overdue":1,"rows":[)"
                               R"({"user":"sam","role":"staff","store":"Leeds","acknowledged_at":"2026-12-10T09:30:00Z","received_at":"2026-12-10T11:02:00Z","overdue":false},)"
                               R"({"user":"kim","role":"staff","store":"York","acknowledged_at":"","received_at":"","overdue":true}]})");
        answer(404, R"({"error":"no such thing"})");
    };
    ui::Route news;
    news.screen = ui::Screen::news;
    ui::navigate(ui.state, *ui.library, news, ui.platform);
    ui.frame(2);
    EXPECT_NE(ui.state.semantics.find("Acknowledgements", SemanticRole::heading), nullptr);
    ASSERT_NE(ui.state.semantics.find("1 overdue", SemanticRole::paragraph), nullptr);
    ASSERT_TRUE(ui.click_widget("Late deliveries"));
    ui.frame(2);
    ASSERT_EQ(ui.state.screen, ui::Screen::report);
    EXPECT_EQ(ui.routes.back().first, "#/report/late-deliveries");
    EXPECT_NE(ui.state.semantics.find("1 acknowledged, 1 not yet, 1 overdue", SemanticRole::status), nullptr);
    bool both_times = false, overdue = false;
    for (int i = 0; i < ui.state.semantics.size; ++i) {
        const ui::SemanticNode& n = ui.state.semantics.nodes[static_cast<size_t>(i)];
        both_times = both_times || (n.name.find("on their device, received") != std::string::npos);
        overdue = overdue || n.name == "Overdue: not acknowledged";
    }
    EXPECT_TRUE(both_times);
    EXPECT_TRUE(overdue);
    ASSERT_TRUE(ui.click_widget("Download CSV"));
    ASSERT_FALSE(ui.opened.empty());
    EXPECT_EQ(ui.opened.back(), "https://handbook.example/api/reports/acknowledgements?slug=late-deliveries&format=csv");
    // A staff member has no reports; a report asked without the network says so.
    ui.platform.api = [&](const std::string&, const std::string&, const std::string&, std::function<void(int, const std::string&)> answer) {
        answer(0, "");
    };
    ui::apply_route(ui.state, *ui.library, ui::parse_route("#/report/late-deliveries"), ui.platform);
    ui.frame(2);
    EXPECT_NE(ui.state.semantics.find("The report cannot be shown: the server cannot be reached (this needs the network).", SemanticRole::status),
              nullptr);
}

// Searches that found nothing (issue 19, item 7): counted on the device without a name,
// offline too; sent when the network is back, with nobody signed in; listed for owners,
// and looking at one from that list is not another miss.
TEST(News, SearchesThatFoundNothingAreCountedOfflineSentWithoutANameAndListedForOwners) {
    UiHarness ui;
    Database* device = &ui.open_device();
    int ids = 0;
    ui.platform.new_id = [&] { return std::to_string(++ids); };
    ui.platform.now_utc = [] { return std::string("2026-12-10T09:30:00Z"); };
    std::vector<std::string> posted;
    bool online = false;
    ui.platform.api = [&](const std::string& method, const std::string& path, const std::string& body,
                          std::function<void(int, const std::string&)> answer) {
        if (!online) return answer(0, "");
        if (method == "POST" && path == "api/search-misses") {
            posted.push_back(body);
            return answer(200, R"({"recorded":true})");
        }
        if (path.rfind("api/reports/search-misses", 0) == 0)
            return answer(200, R"({"searches":[{"query":"quokka","count":7,"no_results":5,"last_seen":"2026-12-09T16:00:00Z"}]})");
        answer(404, R"({"error":"not here"})");
    };
    auto waiting = [&] { return outbox_entries(*device, "pending", 100, "search_miss").value(); };
    auto stand = [&] {  // the person stops typing and looks
        ImGui::GetIO().DeltaTime = kSearchSettleSeconds + 0.5f;
        ui.frame();
        ImGui::GetIO().DeltaTime = 1.0f / 60;
        ui.frame();
    };

    // Found nothing, and stood: one miss, on the device, with no name.
    ui.type("quokka");
    ASSERT_EQ(ui.state.screen, ui::Screen::search);
    ASSERT_TRUE(ui.state.search.results.hits.empty());
    EXPECT_TRUE(waiting().empty()) << "still typing";
    stand();
    ASSERT_EQ(waiting().size(), 1u);
    EXPECT_EQ(waiting()[0].person, "");
    EXPECT_NE(waiting()[0].payload.find(R"("kind":"no_results")"), std::string::npos);
    stand();
    EXPECT_EQ(waiting().size(), 1u) << "counted once";

    // Found policies, looked, opened none, cleared the box: a miss of the other kind.
    ui.press(27);
    ui.type("parcel");
    ASSERT_FALSE(ui.state.search.results.hits.empty());
    stand();
    EXPECT_EQ(waiting().size(), 1u) << "on screen with hits: not yet a miss";
    ui.press(27);
    ui.frame(2);
    ASSERT_EQ(waiting().size(), 2u);
    EXPECT_NE(waiting()[1].payload.find(R"("kind":"nothing_opened")"), std::string::npos) << waiting()[1].payload;
    EXPECT_NE(waiting()[1].payload.find(R"("query":"parcel")"), std::string::npos) << waiting()[1].payload;

    // Found and opened: no miss, also after going home from the policy.
    ui.type("refund");
    stand();
    ui.press(13);
    ASSERT_EQ(ui.state.screen, ui::Screen::article);
    ui::navigate(ui.state, *ui.library, ui::parse_route("#/"), ui.platform);
    ui.frame(2);
    EXPECT_EQ(waiting().size(), 2u);

    // The network is back: sent with nobody signed in, each once, and gone from the device.
    ASSERT_FALSE(ui.state.account.signed_in);
    online = true;
    ui::sync_reached_server(ui.state);  // as the host does when the network is back
    ui.frame(3);
    ASSERT_EQ(posted.size(), 2u);
    EXPECT_NE(posted[0].find(R"("query":"quokka")"), std::string::npos);
    EXPECT_EQ(posted[0].find("sam"), std::string::npos);
    EXPECT_TRUE(waiting().empty());
    ui.state.outbox.look = true;
    ui.frame(3);
    EXPECT_EQ(posted.size(), 2u) << "nothing sent twice";

    // An editor sees the most frequent ones under What's new; a row runs that search.
    ui.state.account = {true, "edi", "editor", false, {}};
    ui::navigate(ui.state, *ui.library, ui::parse_route("#/whats-new"), ui.platform);
    ui.frame(2);
    ASSERT_NE(ui.state.semantics.find("Searches that found nothing", SemanticRole::heading), nullptr);
    ASSERT_NE(ui.state.semantics.find("7 times  ·  5 found nothing  ·  2 found policies, none opened  ·  last on 9 Dec 2026",
                                      SemanticRole::paragraph), nullptr);
    ASSERT_TRUE(ui.click_widget("\"quokka\""));
    ui.frame(2);
    EXPECT_EQ(ui.state.screen, ui::Screen::search);
    EXPECT_EQ(ui.state.search.query, "quokka");
    stand();
    ui.press(27);
    ui.frame(2);
    EXPECT_TRUE(waiting().empty()) << "the owner looking at it is not another miss";

    // Staff have no such list.
    ui.state.account = {true, "sam", "staff", false, {}};
    ui::navigate(ui.state, *ui.library, ui::parse_route("#/whats-new"), ui.platform);
    ui.frame(2);
    EXPECT_EQ(ui.state.semantics.find("Searches that found nothing", SemanticRole::heading), nullptr);
}

}  // namespace
}  // namespace handbook::test
