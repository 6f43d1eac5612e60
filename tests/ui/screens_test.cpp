// The screens driven headless through ImGui's input, the way the browser layer feeds it.
#include <gtest/gtest.h>
#include <imgui.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "app_actions.h"
#include "core/article_store.h"
#include "core/schema.h"
#include "ui_harness.h"

namespace handbook::test {
namespace {

using ui::Screen;

TEST(Screens, SearchBoxHasFocusAtStartAndTypingSearchesOnEveryKey) {
    UiHarness ui;
    EXPECT_EQ(ui.state.screen, Screen::home);
    ui.frame(2);
    EXPECT_TRUE(ImGui::GetIO().WantTextInput) << "the search box should have keyboard focus at start";
    ui.type("par");
    EXPECT_EQ(ui.state.search.query, "par");
    EXPECT_EQ(ui.state.screen, Screen::search);
    EXPECT_FALSE(ui.state.search.results.hits.empty()) << "a prefix finds articles while typing";
    ui.type("cel");
    EXPECT_EQ(ui.state.search.query, "parcel");
    auto slugs = ui.hit_slugs();
    EXPECT_NE(std::find(slugs.begin(), slugs.end(), "damaged-deliveries"), slugs.end());
    EXPECT_EQ(std::find(slugs.begin(), slugs.end(), "complaint-handling"), slugs.end());
}

TEST(Screens, TypoIsCorrectedAndShown) {
    UiHarness ui;
    ui.type("damagd");
    ASSERT_FALSE(ui.state.search.results.hits.empty());
    EXPECT_EQ(ui.state.search.results.hits[0].slug, "damaged-deliveries");
    EXPECT_FALSE(ui.state.search.results.showing_results_for.empty());
}

TEST(Screens, EnterOpensTheFirstHitAndArrowsMoveTheSelection) {
    UiHarness ui;
    ui.type("parcel");
    auto slugs = ui.hit_slugs();
    ASSERT_GE(slugs.size(), 2u);
    ui.press(13);
    EXPECT_EQ(ui.state.screen, Screen::article);
    EXPECT_EQ(ui.state.reader.slug, slugs[0]);
    ASSERT_TRUE(ui.state.reader.article.has_value());

    // Back to the results, then Down + Enter opens the second hit.
    ASSERT_TRUE(ui.click_widget("Back to results"));
    EXPECT_EQ(ui.state.screen, Screen::search);
    ui.press(40);
    ui.press(13);
    EXPECT_EQ(ui.state.reader.slug, slugs[1]);
}

TEST(Screens, EscapeClearsTheQuery) {
    UiHarness ui;
    ui.type("refund");
    ASSERT_EQ(ui.state.screen, Screen::search);
    ui.press(27);
    EXPECT_EQ(ui.state.search.query, "");
    EXPECT_EQ(std::string(ui.state.search.box.data()), "");
    EXPECT_EQ(ui.state.screen, Screen::home);
    ui.frame(2);
    EXPECT_TRUE(ImGui::GetIO().WantTextInput) << "the box keeps focus for the next query";
}

TEST(Screens, SlashFocusesSearchWithoutTypingIt) {
    UiHarness ui;
    ui::open_article(ui.state, *ui.library, "complaint-handling");
    ui.frame(2);
    ASSERT_FALSE(ImGui::GetIO().WantTextInput);
    ui.type("/");
    ui.frame(2);
    EXPECT_TRUE(ImGui::GetIO().WantTextInput);
    EXPECT_EQ(std::string(ui.state.search.box.data()), "");
    ui.type("late");
    EXPECT_EQ(ui.state.search.query, "late");
}

TEST(Screens, TappingAHitCardByItsRectangleOpensIt) {
    UiHarness ui;
    ui.type("refund");
    ASSERT_NE(ui.widget("Refunds without a receipt"), nullptr) << "each visible hit is reported with its rectangle";
    ASSERT_TRUE(ui.click_widget("Refunds without a receipt"));
    EXPECT_EQ(ui.state.screen, Screen::article);
    EXPECT_EQ(ui.state.reader.slug, "refunds-without-receipt");
}

TEST(Screens, ArticleLinksOpenInTheAppAndRoutesFollow) {
    UiHarness ui;
    ui::open_article(ui.state, *ui.library, "damaged-deliveries");
    ui.frame(2);
    ASSERT_FALSE(ui.routes.empty());
    EXPECT_EQ(ui.routes.back(), std::make_pair(std::string("#/a/damaged-deliveries"), true));
    ASSERT_TRUE(ui.click_widget("Refunds without a receipt")) << "the link in the body is a widget";
    EXPECT_EQ(ui.state.reader.slug, "refunds-without-receipt");
    EXPECT_EQ(ui.routes.back().first, "#/a/refunds-without-receipt");
    EXPECT_TRUE(ui.routes.back().second) << "following a link is a new history entry";
}

TEST(Screens, TypingReplacesTheHistoryEntryInsteadOfPushingOnePerKey) {
    UiHarness ui;
    ui.type("late");
    ASSERT_GE(ui.routes.size(), 4u);
    EXPECT_TRUE(ui.routes.front().second) << "home -> search is a new entry";
    for (size_t i = 1; i < ui.routes.size(); ++i) EXPECT_FALSE(ui.routes[i].second) << ui.routes[i].first;
    EXPECT_EQ(ui.routes.back().first, "#/search/late");
}

TEST(Screens, ApplyingARouteShowsThatScreenWithoutEchoingIt) {
    UiHarness ui;
    size_t before = ui.routes.size();
    ui::apply_route(ui.state, *ui.library, ui::parse_route("#/search/refund?category=Refunds%20and%20returns"), ui.platform);
    ui.frame(2);
    EXPECT_EQ(ui.state.screen, Screen::search);
    EXPECT_EQ(ui.state.search.query, "refund");
    EXPECT_EQ(ui.state.search.category, "Refunds and returns");
    EXPECT_EQ(std::string(ui.state.search.box.data()), "refund");
    for (const auto& hit : ui.state.search.results.hits) EXPECT_EQ(hit.category, "Refunds and returns");
    EXPECT_EQ(ui.routes.size(), before) << "the address bar already shows this route";
}

TEST(Screens, MissingArticleSaysSo) {
    UiHarness ui;
    ui::apply_route(ui.state, *ui.library, ui::parse_route("#/a/no-such-policy"), ui.platform);
    ui.frame();
    EXPECT_EQ(ui.state.screen, Screen::article);
    EXPECT_FALSE(ui.state.reader.article.has_value());
    EXPECT_NE(ui.state.reader.error.find("no-such-policy"), std::string::npos);
}

TEST(Screens, TappingAParagraphSelectsItAndCopyPassageCopiesIt) {
    UiHarness ui;
    ui::open_article(ui.state, *ui.library, "late-deliveries");
    ui.frame(2);
    EXPECT_EQ(ui.widget("Copy"), nullptr) << "disabled until a passage or words are selected";
    // The body's only paragraph, where the reader drew it.
    ASSERT_EQ(ui.state.reader.document.blocks.size(), 1u);
    ASSERT_EQ(ui.state.reader.selection.drawn.size(), 1u);
    const ui::SelectableText& text = ui.state.reader.selection.drawn[0];
    ui.click(text.origin.x + 20, text.origin.y + 8);
    EXPECT_EQ(ui.state.reader.selected_block, 0);
    EXPECT_EQ(ui.state.screen, Screen::article);
    ui.frame();  // the buttons above the body are drawn enabled from the next frame
    ASSERT_TRUE(ui.click_widget("Copy"));
    ASSERT_EQ(ui.copied.size(), 1u);
    EXPECT_NE(ui.copied[0].find("late by two days"), std::string::npos);
    ASSERT_TRUE(ui.click_widget("Copy link"));
    EXPECT_EQ(ui.copied.back(), "https://handbook.example/#/a/late-deliveries");
}

TEST(Screens, HomeListsCategoriesAndTagsWithCounts) {
    UiHarness ui;
    const auto& cats = ui.state.home.categories;
    auto delivery = std::find_if(cats.begin(), cats.end(), [](auto& c) { return c.name == "Delivery and escalation"; });
    ASSERT_NE(delivery, cats.end());
    EXPECT_EQ(delivery->count, 2);
    ASSERT_FALSE(ui.state.home.tags.empty());
    EXPECT_EQ(ui.state.home.tags.front().name, "parcel") << "most used tag first";
    EXPECT_EQ(ui.state.home.tags.front().count, 2);
    ASSERT_TRUE(ui.click_widget("Complaints"));
    EXPECT_EQ(ui.state.screen, Screen::search);
    EXPECT_EQ(ui.state.search.category, "Complaints");
    EXPECT_EQ(ui.hit_slugs(), std::vector<std::string>{"complaint-handling"});
    EXPECT_EQ(ui.state.search.results.hits[0].snippet, "Listen first, then apologise. Confirm the customer is satisfied.")
        << "browsing shows how each article begins";
}

TEST(Screens, NoResultsShowsAHelpfulEmptyState) {
    UiHarness ui;
    ui.type("xylophone");
    EXPECT_TRUE(ui.state.search.results.hits.empty());
    EXPECT_NE(ui.widget("Complaints"), nullptr) << "browse by category is offered";
}

TEST(Screens, AFingerDragScrollsInsteadOfOpeningWhatIsUnderIt) {
    UiHarness ui(820, 400);
    ui.state.touch = true;
    ui.type("parcel");
    const ui::WidgetRect* first = ui.widget(ui.state.search.results.hits[0].title);
    ASSERT_NE(first, nullptr);
    ImGuiIO& io = ImGui::GetIO();
    float x = first->x + 20, y = first->y + first->h / 2;
    io.MousePos = ImVec2(x, y);
    ui.frame();
    io.MouseDown[0] = true;
    ui.frame();
    for (int i = 1; i <= 10; ++i) {
        io.MousePos = ImVec2(x, y - 10.0f * static_cast<float>(i));
        ui.frame();
    }
    io.MouseDown[0] = false;
    ui.frame(3);
    EXPECT_EQ(ui.state.screen, Screen::search) << "a drag must not open the card it started on";
    const ui::WidgetRect* moved = ui.widget(ui.state.search.results.hits[0].title);
    float now_y = moved ? moved->y : -1000.0f;
    EXPECT_LT(now_y, first->y - 50) << "the list moved with the finger";
}

TEST(Screens, PageDownScrollsTheArticleWhenNoFieldHasTheKeys) {
    UiHarness ui(1280, 300);  // shorter than the article
    ui::open_article(ui.state, *ui.library, "damaged-deliveries");
    ui.frame(2);
    // The category chip above the title scrolls with the article (the header row does not).
    const ui::WidgetRect* before = ui.widget("Delivery and escalation");
    ASSERT_NE(before, nullptr);
    float y0 = before->y;
    ui.press(34);
    ui.frame();
    const ui::WidgetRect* after = ui.widget("Delivery and escalation");
    EXPECT_TRUE(after == nullptr || after->y < y0 - 50) << "Page Down moved the article up";
    ASSERT_NE(ui.widget("Home"), nullptr) << "the header row stays in view";
    ui.press(36);
    ui.frame();
    ASSERT_NE(ui.widget("Delivery and escalation"), nullptr);
    EXPECT_FLOAT_EQ(ui.widget("Delivery and escalation")->y, y0) << "Home goes back to the top";
}

TEST(Screens, TestHookDescribesScreenQueryAndVisibleHits) {
    UiHarness ui;
    ui.type("parcel");
    auto j = nlohmann::json::parse(ui::describe_for_tests(ui.state));
    EXPECT_EQ(j["screen"], "search");
    EXPECT_EQ(j["query"], "parcel");
    ASSERT_FALSE(j["hits"].empty());
    EXPECT_EQ(j["hits"][0], ui.state.search.results.hits[0].slug);
    bool has_search = false;
    for (const auto& w : j["widgets"]) has_search |= w["label"] == "Search" && w["w"].get<double>() > 100;
    EXPECT_TRUE(has_search);
}

// Long policies, more hits than fit on the screen: the search reads the passages of the
// first screenful, the list reads the others' as their cards come near the view.
TEST(Screens, PassagesOfHitsFarBelowTheViewAreReadWhenTheyComeNear) {
    UiHarness ui(1280, 800);
    auto store = open_store(":memory:");
    ASSERT_TRUE(store.is_ok()) << store.error();
    ui.library.reset();  // what reads the store goes before it
    ui.engine.reset();
    ui.db = std::move(*store);
    std::string filler;
    for (int i = 0; i < 60; ++i) filler += "Staff follow the usual steps and write down what was agreed with the customer. ";
    for (int i = 0; i < 25; ++i) {
        Article a;
        a.slug = "coat-" + std::to_string(i);
        a.title = "Returns note " + std::to_string(i);
        a.category = "Returns";
        a.owner = "Customer Service";
        a.effective = "2026-01-15";
        a.review_by = "2027-01-15";
        a.status = "published";
        a.body = filler + "A winter coat returned in week " + std::to_string(i) + " is checked for wear. " + filler;
        ASSERT_TRUE(save_article(*ui.db, a).is_ok());
    }
    auto engine = SearchEngine::create(*ui.db);
    ASSERT_TRUE(engine.is_ok()) << engine.error();
    ui.engine = std::move(*engine);
    ui.library = std::make_unique<ui::Library>(ui::Library{*ui.db, *ui.engine});

    ui::set_query(ui.state, *ui.library, "winter coat");
    auto& hits = ui.state.search.results.hits;
    ASSERT_EQ(hits.size(), 25u);
    for (int i = 0; i < ui::kPassagesAtOnce; ++i) EXPECT_FALSE(hits[static_cast<size_t>(i)].passage_pending) << i;
    EXPECT_TRUE(hits.back().passage_pending) << "the search reads a screenful";
    ui.frame(2);
    const int last_seen = ui.state.search.visible_to;
    ASSERT_GT(last_seen, 0);
    ASSERT_LT(last_seen, 24) << "the list is longer than the screen";
    for (int i = 0; i <= last_seen; ++i) {
        EXPECT_FALSE(hits[static_cast<size_t>(i)].passage_pending) << i;
        EXPECT_NE(hits[static_cast<size_t>(i)].snippet.find("winter coat"), std::string::npos) << i;
    }
    EXPECT_TRUE(hits.back().passage_pending) << "a card a long way below waits";

    // Down to the last hit: the list scrolls to it, and its passage is there.
    for (int i = 0; i < 24; ++i) ui.press(40);
    ui.frame(2);
    EXPECT_EQ(ui.state.search.visible_to, 24);
    EXPECT_FALSE(hits.back().passage_pending);
    EXPECT_NE(hits.back().snippet.find("winter coat"), std::string::npos);
    EXPECT_TRUE(ui.state.search.error.empty()) << ui.state.search.error;
}

TEST(Screens, DisplaySettingsChangeThemeAndTextSizeAndAreSaved) {
    UiHarness ui;
    ASSERT_TRUE(ui.click_widget("Display settings"));
    ui.frame();
    ASSERT_TRUE(ui.click_widget("Dark"));
    EXPECT_TRUE(ui.state.settings.dark);
    ASSERT_FALSE(ui.saved_settings.empty());
    EXPECT_TRUE(ui.saved_settings.back().dark);
    int size = ui.state.settings.text_size;
    ui.frame();
    ASSERT_TRUE(ui.click_widget("Larger text"));
    EXPECT_EQ(ui.state.settings.text_size, size + 1);
    EXPECT_TRUE(ui.state.settings_changed) << "the host rebuilds the fonts";
    EXPECT_EQ(ui.saved_settings.back().text_size, size + 1);
}

TEST(Screens, RealFontsCarryTheIcons) {
    UiHarness ui(1280, 800, true);
    if (!ui.state.fonts.real_fonts) GTEST_SKIP() << "Debian's Noto Sans is not installed here";
    EXPECT_NE(ui.state.fonts.body->FindGlyphNoFallback(0xF002), nullptr) << "Font Awesome merged into the body face";
    EXPECT_NE(ui.state.fonts.body->FindGlyphNoFallback(0x2019), nullptr) << "curly apostrophe";
    ui.type("refund");
    EXPECT_FALSE(ui.state.search.results.hits.empty());
}

// A store that cannot be listed says so on home instead of showing an empty library.
TEST(Screens, HomeSaysWhenThePoliciesCannotBeRead) {
    UiHarness ui;
    ui.frame(2);
    EXPECT_TRUE(ui.state.home.error.empty());
    ASSERT_TRUE(ui.db->exec("UPDATE articles SET tags_json = '{not a list' WHERE id = 1").is_ok());
    ui::load_home(ui.state, *ui.library);
    EXPECT_NE(ui.state.home.error.find("tags"), std::string::npos) << ui.state.home.error;
    EXPECT_EQ(ui.state.home.article_count, 0);
    ui.frame(2);  // drawn without a crash
}

// The web host draws the first screen with content in one synchronous frame as soon as the
// library is open (src/web/main.cpp show_store): that frame must already lay out the result
// rows, or the first result waits for another frame and the canvas's commit in between.
TEST(Screens, TheFirstFrameOfADeepLinkedSearchShowsItsResults) {
    UiHarness ui;
    ui::apply_route(ui.state, *ui.library, ui::parse_route("#/search/parcel"), ui.platform);
    ui.frame();
    EXPECT_GE(ui.state.search.visible_to, 0) << "no result row laid out in the first frame";
    EXPECT_FALSE(ui.hit_slugs().empty());
}

}  // namespace
}  // namespace handbook::test
