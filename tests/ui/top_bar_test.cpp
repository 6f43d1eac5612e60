// The top bar as issue 15 found it: a clear button that did nothing, a keyboard hint on
// tablets, an icon into the query at 150% text, an "A" that said nothing, no offline
// sign where the bar is narrow, drop-downs that Escape did not close; and when the
// policies were last confirmed current, which nothing showed.
#include <gtest/gtest.h>
#include <imgui.h>

#include <cstdlib>
#include <ctime>

#include "app_actions.h"
#include "fonts.h"
#include "screens.h"
#include "sync_status.h"
#include "ui_harness.h"
#include "widgets.h"

namespace handbook::test {
namespace {

using ui::Screen;

void clear_with(UiHarness& ui, bool touch) {
    ui.state.touch = touch;
    ui.type("refund");
    ASSERT_EQ(ui.state.search.query, "refund");
    ASSERT_TRUE(ui.click_widget("Clear search"));
    EXPECT_EQ(ui.state.search.query, "");
    EXPECT_EQ(std::string(ui.state.search.box.data()), "");
    ui.frame(3);  // focus asked, taken, reported
    EXPECT_TRUE(ImGui::GetIO().WantTextInput) << "the box keeps the focus (a tablet keeps its keyboard)";
    EXPECT_EQ(ui.widget("Clear search"), nullptr) << "nothing left to clear";
    ui.type("late");
    EXPECT_EQ(ui.state.search.query, "late") << "new typing starts a new query, not 'refundlate'";
}

TEST(TopBar, ClearButtonEmptiesTheQueryByMouse) {
    UiHarness ui;
    clear_with(ui, false);
}

TEST(TopBar, ClearButtonEmptiesTheQueryByTouch) {
    UiHarness ui(820, 1180);
    clear_with(ui, true);
}

// "/late" typed fast from an article: the box takes the focus a frame or two after the
// '/', and the letters typed meanwhile were dropped (nothing took text then).
TEST(TopBar, KeysTypedRightAfterTheSlashGoIntoTheBox) {
    UiHarness ui;
    ui::open_article(ui.state, *ui.library, "complaint-handling");
    ui.frame(2);
    ASSERT_FALSE(ImGui::GetIO().WantTextInput);
    for (char c : std::string("/la")) ImGui::GetIO().AddInputCharacter(static_cast<unsigned char>(c));
    ui.frame();
    for (char c : std::string("te")) ImGui::GetIO().AddInputCharacter(static_cast<unsigned char>(c));
    ui.frame();
    ImGui::GetIO().AddInputCharacter('r');  // in the frame the held letters go in: after them
    ui.frame(4);
    EXPECT_EQ(ui.state.search.query, "later");
    EXPECT_EQ(ui.state.screen, Screen::search);

    // A focus on its way that a click on the page cancelled (in the browser: home asked
    // for it on a hash change, the click came before it was taken): a '/' then is still
    // the shortcut, not a letter held for a focus that is not coming (all was lost).
    ui::go_home(ui.state, *ui.library);
    ui.frame(3);
    ui.click(10, 700);  // off the box: it lets go of the focus
    ui.frame(3);
    ASSERT_FALSE(ImGui::GetIO().WantTextInput);
    ui.state.search.focus_frames = 3;  // as the cancelled focus left it
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(10, 700);
    io.MouseDown[0] = true;  // the click (a frame for the press, one for the release) ...
    ui.frame();
    io.MouseDown[0] = false;
    ui.frame();
    for (char c : std::string("/late")) io.AddInputCharacter(static_cast<unsigned char>(c));  // ... the keys right behind it
    ui.frame(4);
    EXPECT_EQ(ui.state.search.query, "late");
}

// Esc emptied the box by giving up the focus and taking it back frames later: a key typed
// right after it, on a busy machine, was lost ("arcel" for "parcel").
TEST(TopBar, EscapeEmptiesTheBoxWithoutLettingGoOfIt) {
    UiHarness ui;
    ui.type("refund");
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[27] = true;
    ui.frame();
    EXPECT_EQ(ui.state.search.query, "");
    EXPECT_TRUE(ui.state.search.box_active) << "the box kept the focus through the Esc";
    io.KeysDown[27] = false;
    io.AddInputCharacter('p');  // the very next frame
    ui.frame();
    EXPECT_EQ(ui.state.search.query, "p");
    ui.frame(3);
    EXPECT_EQ(ui.state.search.query, "p") << "the held Esc is not taken again";
}

TEST(TopBar, TheSlashHintIsOnlyForKeyboards) {
    EXPECT_NE(std::string(ui::search_hint(false, false)).find("/"), std::string::npos);
    EXPECT_EQ(std::string(ui::search_hint(true, false)).find("/"), std::string::npos) << "a tablet has no '/' key to press";
    EXPECT_EQ(std::string(ui::search_hint(false, true)).find("/"), std::string::npos);
}

TEST(TopBar, TheSearchIconStaysClearOfTheQueryAtEveryTextSize) {
    const ui::FontFiles files{"/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
                              "/usr/share/fonts/truetype/noto/NotoSans-Italic.ttf",
                              "/usr/share/fonts/truetype/font-awesome/fontawesome-webfont.ttf"};
    UiHarness ui;
    for (int size = 0; size < ui::kTextSizeCount; ++size) {
        ImFontAtlas atlas;
        ui::Fonts fonts = ui::build_fonts(atlas, files, 16.0f * ui::kTextScales[size], 1);
        if (!fonts.real_fonts) GTEST_SKIP() << "Debian's fonts are not installed here";
        const ui::SearchBoxMetrics m = ui::search_box_metrics(fonts);
        EXPECT_GE(m.icon_w, ui::font_size(fonts.body) * 0.8f) << "the icon is measured in the font it is drawn with";
        // (A fixed 40 px, as before, put the text against the icon at 150%: 15 + 22 px.)
        EXPECT_GE(m.text_x, m.icon_x + m.icon_w + 8) << "text size " << ui::kTextScales[size];
    }
}

TEST(TopBar, DisplaySettingsSayWhatTheyAre) {
    UiHarness ui;
    const ui::WidgetRect* button = ui.widget("Display settings");
    ASSERT_NE(button, nullptr);
    EXPECT_GT(button->w, 80) << "a word beside the icon where there is room, not a bare 'A'";
    UiHarness phone(400, 800);
    const ui::WidgetRect* small = phone.widget("Display settings");
    ASSERT_NE(small, nullptr);
    EXPECT_LT(small->w, 50) << "narrow: the icon alone (the popup it opens is titled)";
    ASSERT_TRUE(phone.click_widget("Display settings"));
    phone.frame();
    EXPECT_NE(phone.widget("Dark"), nullptr);
}

// Offline is shown at every width, with or without a mouse: the tablet did not show it.
TEST(TopBar, OfflineIsShownOnDesktopTabletAndPhone) {
    struct Size {
        float w, h;
        bool touch;
    };
    for (Size s : {Size{1280, 800, false}, Size{820, 1180, true}, Size{400, 800, true}}) {
        UiHarness ui(s.w, s.h);
        ui.state.touch = s.touch;
        ui.state.sync.offline = true;
        ui.state.sync.message = "Working offline from the copy on this device (the server cannot be reached).";
        ui.frame(2);
        const ui::WidgetRect* offline = ui.widget("Offline");
        ASSERT_NE(offline, nullptr) << s.w;
        EXPECT_LE(offline->x + offline->w, s.w) << "inside the bar";
        const ui::WidgetRect* box = ui.widget("Search");
        ASSERT_NE(box, nullptr);
        EXPECT_LE(box->x + box->w, offline->x) << "the search box does not run under it";
        // A tap shows what it means (a tooltip never shows on touch).
        ASSERT_TRUE(ui.click_widget("Offline"));
        ui.frame();
        EXPECT_TRUE(ImGui::IsPopupOpen("status", ImGuiPopupFlags_AnyPopupId)) << s.w;
    }
}

TEST(TopBar, WhenThePoliciesWereConfirmedIsShown) {
    setenv("TZ", "UTC", 1);
    tzset();
    ui::SyncStatus sync;
    EXPECT_EQ(ui::policies_as_of(sync), "The server has not confirmed the policies on this device yet.");
    sync.confirmed_at = "2026-12-04T16:50:00Z";
    EXPECT_EQ(ui::policies_as_of(sync), "Policies as of 4 Dec 2026, 16:50");
    EXPECT_EQ(ui::sync_badge(sync), ui::SyncBadge::up_to_date);
    setenv("TZ", "CET-1", 1);  // the device's own time zone
    tzset();
    EXPECT_EQ(ui::policies_as_of(sync), "Policies as of 4 Dec 2026, 17:50");
    setenv("TZ", "UTC", 1);
    tzset();
    sync.offline = true;
    auto lines = ui::sync_details(sync);
    ASSERT_FALSE(lines.empty());
    EXPECT_NE(lines.front().find("Offline"), std::string::npos);
    EXPECT_EQ(lines.back(), "Policies as of 4 Dec 2026, 16:50") << "offline, the date says how current the copy is";

    // On home, and in the status popup of the bar.
    UiHarness ui;
    ui.state.sync.confirmed_at = "2026-12-04T16:50:00Z";
    ui.frame(2);
    EXPECT_NE(ui.widget("Policies as of 4 Dec 2026, 16:50"), nullptr) << "home says it";
    ASSERT_NE(ui.widget("Up to date"), nullptr) << "the bar shows the copy is confirmed";
    ASSERT_TRUE(ui.click_widget("Policies as of 4 Dec 2026, 16:50"));
    ui.frame();
    EXPECT_TRUE(ImGui::IsPopupOpen("as-of-details", ImGuiPopupFlags_AnyPopupId)) << "a tap gives the details";
}

bool filter_list_open(const UiHarness& ui, const char* first_row) { return ui.widget(first_row) != nullptr; }

// Escape closed no drop-down (ImGui 1.86 closes popups on Escape only with keyboard
// navigation), so the next click only closed it, and did not open the other.
TEST(TopBar, EscapeClosesADropDownAndTheOtherOpensAtTheFirstClick) {
    UiHarness ui;
    ui.type("refund");
    ASSERT_TRUE(ui.click_widget("category"));
    ui.frame();
    ASSERT_TRUE(filter_list_open(ui, "All categories"));
    ui.press(27);
    ui.frame();
    EXPECT_FALSE(filter_list_open(ui, "All categories")) << "Escape closes it";
    EXPECT_EQ(ui.state.search.query, "refund") << "and only it";
    ASSERT_TRUE(ui.click_widget("tag"));
    ui.frame();
    EXPECT_TRUE(filter_list_open(ui, "All tags")) << "one click opens the other";
    ASSERT_TRUE(ui.click_widget("parcel"));
    EXPECT_EQ(ui.state.search.tag, "parcel");
}

}  // namespace
}  // namespace handbook::test
