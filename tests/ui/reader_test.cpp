// Reading, as issue 15 found it: only whole blocks could be copied, a long policy had no
// contents and its Back and Copy scrolled away, Escape did not leave it, and the facts
// row could put an icon on one line and its label on the next.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <string>
#include <utility>

#include "app_actions.h"
#include "core/article_store.h"
#include "rich_text.h"
#include "ui_harness.h"

namespace handbook::test {
namespace {

using ui::Screen;

// A press at `from`, the pointer moved to `to` in steps, and a release.
void drag(UiHarness& ui, ImVec2 from, ImVec2 to, int steps = 6, int hold_frames = 0) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = from;
    ui.frame();
    io.MouseDown[0] = true;
    ui.frame();
    for (int i = 0; i < hold_frames; ++i) ui.frame();
    for (int i = 1; i <= steps; ++i) {
        float t = static_cast<float>(i) / static_cast<float>(steps);
        io.MousePos = ImVec2(from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t);
        ui.frame();
    }
    io.MouseDown[0] = false;
    ui.frame(2);
}

void press_ctrl_c(UiHarness& ui) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeyCtrl = true;
    ui.press(67);
    io.KeyCtrl = false;
}

// Where word `n` (0-based) of the first registered body text starts and ends on screen.
struct WordBox {
    ImVec2 left, right;
};
WordBox word_box(const UiHarness& ui, size_t text, size_t n) {
    const ui::SelectableText& t = ui.state.reader.selection.drawn.at(text);
    const ui::PlacedText& p = t.layout.pieces.at(n);
    float y = t.origin.y + p.pos.y + p.size.y * 0.5f;
    return {ImVec2(t.origin.x + p.pos.x + 1, y), ImVec2(t.origin.x + p.pos.x + p.size.x - 1, y)};
}

TEST(Reader, DraggingOverPartOfASentenceCopiesJustThoseWords) {
    UiHarness ui;
    ui::open_article(ui.state, *ui.library, "late-deliveries");  // "A parcel that is late by two days gets a delivery refund."
    ui.frame(2);
    ASSERT_EQ(ui.state.reader.selection.drawn.size(), 1u);
    // From the start of "that" (word 2) to the end of "two" (word 6).
    drag(ui, word_box(ui, 0, 2).left, word_box(ui, 0, 6).right);
    EXPECT_EQ(ui::selected_text(ui.state.reader.selection), "that is late by two");
    EXPECT_EQ(ui.state.reader.selected_block, -1) << "a drag is not a tap on the paragraph";
    press_ctrl_c(ui);
    ASSERT_FALSE(ui.copied.empty());
    EXPECT_EQ(ui.copied.back(), "that is late by two");
    // The header's Copy copies the same.
    ui.frame();
    ASSERT_TRUE(ui.click_widget("Copy"));
    EXPECT_EQ(ui.copied.back(), "that is late by two");
}

TEST(Reader, ASelectionRunsAcrossParagraphsAndPartWords) {
    UiHarness ui;
    ui::open_article(ui.state, *ui.library, "damaged-deliveries");
    ui.frame(2);
    const auto& texts = ui.state.reader.selection.drawn;
    ASSERT_GE(texts.size(), 3u);  // paragraph, heading, list items...
    // From inside "broken," (the paragraph's 5th word) to the end of the heading "Step by step".
    WordBox start = word_box(ui, 0, 4);
    WordBox end = word_box(ui, 1, 2);
    drag(ui, ImVec2(start.left.x + (start.right.x - start.left.x) * 0.5f, start.left.y), end.right);
    const std::string copied = ui::selected_text(ui.state.reader.selection);
    EXPECT_EQ(copied.find("When a parcel"), std::string::npos) << copied;
    EXPECT_NE(copied.find("replacement or refund."), std::string::npos) << copied;
    EXPECT_NE(copied.find("\nStep by step"), std::string::npos) << "paragraphs are lines: " << copied;
    EXPECT_NE(copied.rfind("ken,", 0), std::string::npos) << "from inside the word: " << copied;
}

TEST(Reader, AClickClearsTheSelectionAndStillSelectsAParagraph) {
    UiHarness ui;
    ui::open_article(ui.state, *ui.library, "late-deliveries");
    ui.frame(2);
    drag(ui, word_box(ui, 0, 2).left, word_box(ui, 0, 6).right);
    ASSERT_FALSE(ui.state.reader.selection.empty());
    WordBox w = word_box(ui, 0, 1);
    ui.click(w.left.x + 2, w.left.y);
    EXPECT_TRUE(ui.state.reader.selection.empty());
    EXPECT_EQ(ui.state.reader.selected_block, 0);
}

TEST(Reader, OnTouchAHeldFingerSelectsAndAQuickDragScrolls) {
    UiHarness ui(820, 1180);
    ui.state.touch = true;
    ui::open_article(ui.state, *ui.library, "late-deliveries");
    ui.frame(2);
    // Held still for longer than a long press (60 frames of 1/60 s), then dragged.
    drag(ui, word_box(ui, 0, 2).left, word_box(ui, 0, 6).right, 6, 40);
    EXPECT_EQ(ui::selected_text(ui.state.reader.selection), "that is late by two");
    // A quick drag selects nothing.
    ui.state.reader.selection.clear();
    drag(ui, word_box(ui, 0, 2).left, word_box(ui, 0, 6).right, 6, 0);
    EXPECT_TRUE(ui.state.reader.selection.empty());
}

Article long_article() {
    Article a;
    a.slug = "long-policy";
    a.title = "A long policy";
    a.category = "Complaints";
    a.owner = "Customer Service";
    a.effective = "2026-01-15";
    a.review_by = "2027-01-15";
    a.status = "published";
    std::string para;
    for (int i = 0; i < 12; ++i) para += "Staff follow the usual steps and write down what was agreed with the customer. ";
    for (const char* h : {"Who this is for", "Before you start", "Step by step", "When to escalate", "Records to keep", "Related"})
        a.body += std::string("## ") + h + "\n\n" + para + "\n\n" + para + "\n\n";
    return a;
}

TEST(Reader, ALongPolicyHasContentsThatJumpToASection) {
    UiHarness ui(1280, 800);
    ASSERT_TRUE(save_article(*ui.db, long_article()).is_ok());
    ui::open_article(ui.state, *ui.library, "long-policy");
    ui.frame(2);
    EXPECT_EQ(ui.state.reader.section, "") << "the top of the policy, above its first heading";
    ASSERT_TRUE(ui.click_widget("Contents"));
    ui.frame();
    ASSERT_NE(ui.widget("When to escalate"), nullptr) << "the contents list the headings";
    ASSERT_TRUE(ui.click_widget("When to escalate"));
    ui.frame(3);
    EXPECT_EQ(ui.state.reader.section, "When to escalate") << "the view is at that section";
    // Back and Copy are still in view, where they were.
    ASSERT_NE(ui.widget("Home"), nullptr);
    EXPECT_LT(ui.widget("Home")->y, 150);
    ASSERT_NE(ui.widget("Copy link"), nullptr);
}

TEST(Reader, ShortPoliciesHaveNoContentsButton) {
    UiHarness ui;
    ui::open_article(ui.state, *ui.library, "late-deliveries");
    ui.frame(2);
    EXPECT_EQ(ui.widget("Contents"), nullptr);
}

TEST(Reader, EscapeGoesBackToTheResultsOrHome) {
    UiHarness ui;
    ui.type("parcel");
    ui.press(13);
    ASSERT_EQ(ui.state.screen, Screen::article);
    ui.press(27);
    EXPECT_EQ(ui.state.screen, Screen::search) << "from a search: back to its results";
    EXPECT_EQ(ui.state.search.query, "parcel");

    ui::go_home(ui.state, *ui.library);
    ui::open_article(ui.state, *ui.library, "late-deliveries");
    ui.frame(2);
    ui.press(27);
    EXPECT_EQ(ui.state.screen, Screen::home);
}

TEST(Reader, EscapeWithTheContentsOpenOnlyClosesThem) {
    UiHarness ui;
    ASSERT_TRUE(save_article(*ui.db, long_article()).is_ok());
    ui::open_article(ui.state, *ui.library, "long-policy");
    ui.frame(2);
    ASSERT_TRUE(ui.click_widget("Contents"));
    ui.frame();
    ASSERT_NE(ui.widget("Related"), nullptr);
    ui.press(27);
    ui.frame();
    EXPECT_EQ(ui.widget("Related"), nullptr) << "closed";
    EXPECT_EQ(ui.state.screen, Screen::article) << "and still reading";
}

// Two runs that meet without a space stay on one line: the facts row glues each icon to
// its label and value with no-break spaces, and a line broke between runs anyway.
TEST(Reader, ALineNeverBreaksWhereThereIsNoSpace) {
    UiHarness ui;
    ImFont* font = ImGui::GetFont();
    const std::string nbsp = "\xC2\xA0";
    std::vector<ui::RichRun> runs{{"Review" + nbsp + "by" + nbsp, font, 0}, {"1" + nbsp + "Sep" + nbsp + "2026", font, 0}};
    const float label_w = ImGui::CalcTextSize(runs[0].text.c_str()).x;
    ui::RichLayout l = ui::layout_rich_text(runs, label_w + 10);  // room for the label, not the value
    ASSERT_EQ(l.pieces.size(), 2u);
    EXPECT_EQ(l.pieces[0].pos.y, l.pieces[1].pos.y) << "the value stays beside its label (the line overflows instead)";
    std::vector<ui::RichRun> spaced{{"Review by ", font, 0}, {"1 Sep 2026", font, 0}};
    ui::RichLayout s = ui::layout_rich_text(spaced, label_w + 10);
    EXPECT_GT(s.lines, 1) << "with spaces it wraps as before";
}

}  // namespace
}  // namespace handbook::test

namespace handbook::test {
namespace {

// The main area's scroll (its child window is "Handbook/main_<id>").
float main_scroll() {
    for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
        if (std::string(w->Name).find("/main_") != std::string::npos) return w->Scroll.y;
    return -1;
}

// A quick upward flick of a finger on the reader; returns the scroll when the finger
// left and 30 frames (half a second) later.
std::pair<float, float> flick(bool reduced_motion) {
    UiHarness ui(820, 1180);
    ui.state.touch = true;
    ui.state.reduced_motion = reduced_motion;
    EXPECT_TRUE(save_article(*ui.db, long_article()));
    ui::open_article(ui.state, *ui.library, "long-policy");
    ui.frame(2);
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(400, 1000);
    ui.frame();
    io.MouseDown[0] = true;
    ui.frame();
    for (int i = 1; i <= 4; ++i) {
        io.MousePos = ImVec2(400, 1000 - 80.0f * static_cast<float>(i));
        ui.frame();
    }
    io.MouseDown[0] = false;
    ui.frame();
    const float at_release = main_scroll();
    ui.frame(30);
    return {at_release, main_scroll()};
}

TEST(Reader, AFlickGlidesOnUnlessTheSystemAsksForLessMotion) {
    const auto [released, later] = flick(false);
    EXPECT_GT(released, 200) << "the drag scrolled with the finger";
    EXPECT_GT(later, released + 50) << "a flick keeps the text moving after the finger lifts";
    const auto [still_released, still_later] = flick(true);
    EXPECT_GT(still_released, 200);
    EXPECT_EQ(still_later, still_released) << "with prefers-reduced-motion it stops where the finger left it";
}

}  // namespace
}  // namespace handbook::test

namespace handbook::test {
namespace {

// A version published for a later date is on the device ahead of time: staff find it by a
// word only it has (the hit says when it comes), the reader shows the version in force with
// a notice and reads the new one on request; a policy none of which is in force yet says so.
TEST(Reader, AVersionToComeIsFoundAndReadBesideTheOneInForce) {
    UiHarness ui;
    ASSERT_TRUE(refresh_in_force(*ui.db, "2026-12-07").is_ok());
    Article later = make_article("late-deliveries", "Late deliveries", "Delivery and escalation", {"late", "parcel"}, "Logistics",
                                 "A parcel that is late by three working days gets a zeppelin refund.");
    later.effective = "2027-01-15";
    later.review_by = "2028-01-15";
    ASSERT_TRUE(save_article(*ui.db, later, VersionNote("ben", "Working days, as the carrier counts them", "bo")).is_ok());
    Article fresh = make_article("night-returns", "Night returns", "Refunds and returns", {}, "Customer Service",
                                 "Returns after closing go through the night hatch.");
    fresh.effective = "2027-02-01";
    fresh.review_by = "2028-02-01";
    ASSERT_TRUE(save_article(*ui.db, fresh).is_ok());

    ui::set_query(ui.state, *ui.library, "zeppelin");
    ui.frame(2);
    ASSERT_EQ(ui.hit_slugs(), std::vector<std::string>{"late-deliveries"});
    const ui::SemanticNode* hit = ui.state.semantics.find("Late deliveries", ui::SemanticRole::link);
    ASSERT_NE(hit, nullptr);
    EXPECT_NE(hit->description.find("New version from 15 Jan 2027"), std::string::npos) << hit->description;

    ui::open_article(ui.state, *ui.library, "late-deliveries");
    ui.frame(2);
    EXPECT_NE(ui.state.semantics.find("A new version comes into force on 15 Jan 2027. What changes: Working days, as the carrier counts them",
                                      ui::SemanticRole::status), nullptr);
    EXPECT_NE(ui.state.semantics.find("A parcel that is late by two days gets a delivery refund.", ui::SemanticRole::paragraph), nullptr)
        << "the version in force is what is read";
    ASSERT_TRUE(ui.click_widget("Read the new version"));
    ui.frame(2);
    EXPECT_NE(ui.state.semantics.find("A parcel that is late by three working days gets a zeppelin refund.", ui::SemanticRole::paragraph),
              nullptr);
    EXPECT_NE(ui.state.semantics.find("You are reading the version that comes into force on 15 Jan 2027. Until then, the version in force applies.",
                                      ui::SemanticRole::status), nullptr);
    ASSERT_TRUE(ui.click_widget("Back to the version in force"));
    ui.frame(2);
    EXPECT_NE(ui.state.semantics.find("A parcel that is late by two days gets a delivery refund.", ui::SemanticRole::paragraph), nullptr);

    // On its day the device switches; the notice goes.
    ASSERT_TRUE(refresh_in_force(*ui.db, "2027-01-15").is_ok());
    ui::refresh_content(ui.state, *ui.library);
    ui.frame(2);
    EXPECT_NE(ui.state.semantics.find("A parcel that is late by three working days gets a zeppelin refund.", ui::SemanticRole::paragraph),
              nullptr);
    EXPECT_EQ(ui.state.semantics.find("Read the new version", ui::SemanticRole::button), nullptr);

    ui::set_query(ui.state, *ui.library, "hatch");
    ui.frame(2);
    ASSERT_EQ(ui.hit_slugs(), std::vector<std::string>{"night-returns"});
    hit = ui.state.semantics.find("Night returns", ui::SemanticRole::link);
    ASSERT_NE(hit, nullptr);
    EXPECT_NE(hit->description.find("Comes into force on 1 Feb 2027"), std::string::npos) << hit->description;
    ui::open_article(ui.state, *ui.library, "night-returns");
    ui.frame(2);
    EXPECT_NE(ui.state.semantics.find("This policy comes into force on 1 Feb 2027. Until then it does not apply.", ui::SemanticRole::status),
              nullptr);
}

}  // namespace
}  // namespace handbook::test

namespace handbook::test {
namespace {

// "As in force on <date>": the version the device holds for that day, by a typed date;
// a day before the policy existed, and a date that is not one, are said in words.
using ui::SemanticRole;

TEST(Reader, APolicyIsReadAsInForceOnAnyDate) {
    UiHarness ui;
    ui.state.today = "2026-12-07";
    ASSERT_TRUE(refresh_in_force(*ui.db, "2026-12-07").is_ok());
    Article v2 = make_article("late-deliveries", "Late deliveries", "Delivery and escalation", {"late", "parcel"}, "Logistics",
                              "A parcel that is late by three days gets a delivery refund.");
    v2.effective = "2026-12-01";
    ASSERT_TRUE(save_article(*ui.db, v2, VersionNote("ben", "Three days", "bo")).is_ok());
    ui::open_article(ui.state, *ui.library, "late-deliveries");
    ui.frame(2);
    const std::string today_text = "A parcel that is late by three days gets a delivery refund.";
    const std::string old_text = "A parcel that is late by two days gets a delivery refund.";
    ASSERT_NE(ui.state.semantics.find(today_text, SemanticRole::paragraph), nullptr);
    auto show = [&](const std::string& date) {
        ui::ReaderState& r = ui.state.reader;
        std::snprintf(r.as_of_input.data(), r.as_of_input.size(), "%s", date.c_str());
        ui.frame();
        ASSERT_TRUE(ui.click_widget("Show"));
        ui.frame(2);
    };
    ASSERT_TRUE(ui.click_widget("As in force on a date"));
    ui.frame(2);
    show("2026-11-30");
    EXPECT_NE(ui.state.semantics.find(old_text, SemanticRole::paragraph), nullptr);
    EXPECT_NE(ui.state.semantics.find("As in force on 30 Nov 2026: version 1, in force from 15 Jan 2026.", SemanticRole::status), nullptr);
    ASSERT_TRUE(ui.click_widget("Back to today's version"));
    ui.frame(2);
    EXPECT_NE(ui.state.semantics.find(today_text, SemanticRole::paragraph), nullptr);
    ASSERT_TRUE(ui.click_widget("As in force on a date"));
    ui.frame(2);
    show("2025-06-01");
    EXPECT_NE(ui.state.semantics.find("This policy was not in force on 1 Jun 2025 (no version of it on this device was).", SemanticRole::status),
              nullptr);
    EXPECT_NE(ui.state.semantics.find(today_text, SemanticRole::paragraph), nullptr) << "today's version stays";
    show("last year");
    EXPECT_NE(ui.state.semantics.find("Enter the date as YYYY-MM-DD, for example 2026-06-01.", SemanticRole::status), nullptr);
}

}  // namespace
}  // namespace handbook::test
