// The policy editor, headless: typing where the caret is, toolbar actions on the
// selection and their undo, the checks shown at the fields, the draft kept on the device a
// second after typing, and the question before leaving with changes.
#include <gtest/gtest.h>
#include <algorithm>
#include <imgui.h>
#include <imgui_internal.h>

#include "app_actions.h"
#include "core/article_store.h"
#include "core/device_store.h"
#include "core/local_drafts.h"
#include "core/text_diff.h"
#include <nlohmann/json.hpp>
#include "editor.h"
#include "semantics.h"
#include "ui_harness.h"

namespace handbook::test {
namespace {

using ui::Screen;
using ui::SemanticRole;

struct EditorFixture {
    UiHarness ui;
    std::unique_ptr<Database> device;
    EditorFixture() {
        auto opened = open_device_store(":memory:");
        if (!opened) throw std::runtime_error(opened.error());
        device = std::move(*opened);
        ui.library->device = device.get();
        ui.state.account = {true, "amira", "editor", false, {}};
        ui.platform.now_utc = [] { return std::string("2026-12-06T10:00:00Z"); };
        ui.platform.new_id = [] { return std::string("d-test"); };
        ui::Route r;
        r.screen = Screen::edit;
        ui::apply_route(ui.state, *ui.library, r, ui.platform);
        ui.frame(3);
    }
    void ctrl(int key) {
        ImGui::GetIO().KeyCtrl = true;
        ui.press(key);
        ImGui::GetIO().KeyCtrl = false;
        ui.frame();
    }
    void click_body() { ASSERT_TRUE(ui.click_widget("Policy text (Markdown)")); }
    // A draft of "Late deliveries" kept on the device; its edits so far.
    int64_t keep_draft(const std::string& client_id) {
        LocalDraft d;
        d.client_id = client_id;
        d.person = "amira";
        d.content = make_article("late-deliveries", "Late deliveries", "Delivery and escalation", {"late"}, "Logistics",
                                 "A parcel that is late by two days gets a delivery refund.");
        d.base_version = 1;
        EXPECT_TRUE(save_local_draft(*device, d, "2026-12-06T09:00:00Z").is_ok());
        return d.edits;
    }
    // The same, known to the server as draft 7 (revision 2), where it stands in `server_state`.
    void keep_sent_draft(const std::string& client_id, const std::string& server_state) {
        const int64_t edits = keep_draft(client_id);
        ASSERT_TRUE(record_draft_sent(*device, client_id, edits, 7, 2, server_state).is_ok());
    }
};

TEST(Editor, TypingGoesWhereTheCaretIsAndTheFieldStaysTheActiveOne) {
    EditorFixture f;
    f.click_body();
    f.ui.type("Hello world");
    EXPECT_EQ(f.ui.state.editor.body, "Hello world");
    // The field the twin is on is the active one (else the browser layer taps it again
    // before every character, and the caret jumps).
    const ui::SemanticNode* body = f.ui.state.semantics.find("Policy text (Markdown)", SemanticRole::text_field);
    ASSERT_NE(body, nullptr);
    EXPECT_TRUE(body->multiline);
    EXPECT_EQ(ui::semantics_active_text_field(f.ui.state.semantics), body->id);
    f.ui.press(36);  // Home
    f.ui.type("X");
    EXPECT_EQ(f.ui.state.editor.body, "XHello world");
    f.ui.press(13);  // Enter: a new line, in a multi-line field
    EXPECT_EQ(f.ui.state.editor.body, "X\nHello world");
}

TEST(Editor, ToolbarActsOnTheSelectionAndUndoTakesItBack) {
    EditorFixture f;
    f.click_body();
    f.ui.type("Refund within 30 days");
    ASSERT_EQ(f.ui.state.editor.body, "Refund within 30 days");
    f.ctrl(65);  // Ctrl+A
    ASSERT_EQ(f.ui.state.editor.select_begin, 0);
    ASSERT_EQ(f.ui.state.editor.select_end, 21);
    ASSERT_EQ(f.ui.state.editor.body, "Refund within 30 days");
    ASSERT_TRUE(f.ui.click_widget("Bold"));
    f.ui.frame(3);
    EXPECT_EQ(f.ui.state.editor.body, "**Refund within 30 days**");
    // The field has the keyboard again, the text still selected: typing replaces it.
    const ui::SemanticNode* body = f.ui.state.semantics.find("Policy text (Markdown)", SemanticRole::text_field);
    ASSERT_NE(body, nullptr);
    EXPECT_EQ(ui::semantics_active_text_field(f.ui.state.semantics), body->id);
    EXPECT_EQ(f.ui.state.editor.select_begin, 2);
    EXPECT_EQ(f.ui.state.editor.select_end, 23);
    f.ctrl(90);  // Ctrl+Z
    EXPECT_EQ(f.ui.state.editor.body, "Refund within 30 days");
    f.ctrl(89);  // Ctrl+Y
    EXPECT_EQ(f.ui.state.editor.body, "**Refund within 30 days**");
    // A shortcut does the same as the button.
    f.ctrl(65);
    f.ctrl(73);  // Ctrl+I
    EXPECT_EQ(f.ui.state.editor.body, "***Refund within 30 days***");
}

TEST(Editor, ChecksShowAtTheirFieldsAndSubmitWaitsForThem) {
    EditorFixture f;
    ASSERT_TRUE(f.ui.click_widget("Title"));
    f.ui.type("Caf\xC3\xA9 cr\xC3\xA8me");
    EXPECT_EQ(std::string(f.ui.state.editor.slug.data()), "cafe-creme") << "the slug follows the title";
    const ui::SemanticNode* owner = f.ui.state.semantics.find("Owner", SemanticRole::text_field);
    ASSERT_NE(owner, nullptr);
    EXPECT_FALSE(owner->invalid) << "an empty field is not marked before Submit";
    ASSERT_TRUE(f.ui.click_widget("Submit for review"));
    f.ui.frame(2);
    EXPECT_FALSE(f.ui.state.editor.submit_dialog) << "the checks stopped it";
    owner = f.ui.state.semantics.find("Owner", SemanticRole::text_field);
    ASSERT_NE(owner, nullptr);
    EXPECT_TRUE(owner->invalid);
    EXPECT_FALSE(owner->description.empty());
    const ui::SemanticNode* title = f.ui.state.semantics.find("Title", SemanticRole::text_field);
    ASSERT_NE(title, nullptr);
    EXPECT_FALSE(title->invalid);
    ASSERT_TRUE(f.ui.click_widget("Review by"));
    f.ui.type("2020-01-01");
    f.ui.frame();
    EXPECT_TRUE(f.ui.state.editor.problems.count("owner"));
}

TEST(Editor, KeepsTheDraftOnTheDeviceASecondAfterTypingAndAsksBeforeLeaving) {
    EditorFixture f;
    f.click_body();
    f.ui.type("J\xC3\xBCrgen's caf\xC3\xA9 \xF0\x9F\x98\x80");
    EXPECT_TRUE(local_drafts(*f.device, "amira")->empty()) << "not at every keystroke";
    f.ui.frame(70);  // a little over a second at 60 frames a second
    auto kept = local_drafts(*f.device, "amira");
    ASSERT_TRUE(kept.is_ok());
    ASSERT_EQ(kept->size(), 1u);
    EXPECT_EQ(kept->front().content.body, "J\xC3\xBCrgen's caf\xC3\xA9 \xF0\x9F\x98\x80");

    // Leaving asks; Stay stays.
    ui::Route home;
    ui::apply_route(f.ui.state, *f.ui.library, home, f.ui.platform);
    f.ui.frame(2);
    EXPECT_EQ(f.ui.state.screen, Screen::edit);
    ASSERT_TRUE(f.ui.state.editor.leave_dialog);
    ASSERT_TRUE(f.ui.click_widget("Stay"));
    f.ui.frame(2);
    EXPECT_EQ(f.ui.state.screen, Screen::edit);
    EXPECT_FALSE(f.ui.state.editor.leave_dialog);
    // More typing, then leave keeping the draft: the newest text is on the device at once.
    f.click_body();
    f.ui.type("!");
    ui::apply_route(f.ui.state, *f.ui.library, home, f.ui.platform);
    f.ui.frame(2);
    ASSERT_TRUE(f.ui.click_widget("Keep draft and leave"));
    f.ui.frame(2);
    EXPECT_EQ(f.ui.state.screen, Screen::home);
    EXPECT_EQ((*local_drafts(*f.device, "amira")).front().content.body, "J\xC3\xBCrgen's caf\xC3\xA9 \xF0\x9F\x98\x80!");

    // Open it again from its address: the draft, not a blank page.
    ui::apply_route(f.ui.state, *f.ui.library, ui::parse_route("#/draft/d-test"), f.ui.platform);
    f.ui.frame(2);
    EXPECT_EQ(f.ui.state.editor.body, "J\xC3\xBCrgen's caf\xC3\xA9 \xF0\x9F\x98\x80!");
    f.click_body();
    f.ui.type("?");
    ui::apply_route(f.ui.state, *f.ui.library, home, f.ui.platform);
    f.ui.frame(2);
    ASSERT_TRUE(f.ui.click_widget("Discard draft"));
    f.ui.frame(2);
    EXPECT_EQ(f.ui.state.screen, Screen::home);
    EXPECT_TRUE(local_drafts(*f.device, "amira")->empty());
}

TEST(Editor, DatesCanBePickedFromACalendarByTap) {
    EditorFixture f;
    f.ui.state.today = "2026-12-06";
    ASSERT_TRUE(f.ui.click_widget("Choose a date: Review by"));
    f.ui.frame(2);
    ASSERT_TRUE(f.ui.widget("December 6")) << "it opens on this month";
    ASSERT_TRUE(f.ui.click_widget("Next month"));
    f.ui.frame(2);
    // 1 January 2027 is a Friday: four columns right of Monday the 4th.
    const ui::WidgetRect* first = f.ui.widget("January 1");
    ASSERT_NE(first, nullptr);
    const float first_x = first->x;
    const ui::WidgetRect* monday = f.ui.widget("January 4");
    ASSERT_NE(monday, nullptr);
    EXPECT_NEAR(first_x - monday->x, 4 * 48.0f, 1.0f);
    ASSERT_TRUE(f.ui.click_widget("January 15"));
    f.ui.frame(2);
    EXPECT_EQ(std::string(f.ui.state.editor.review_by.data()), "2027-01-15");
    EXPECT_TRUE(f.ui.state.editor.touched) << "a picked date is a change like a typed one";
}

// ImGui's field cannot wrap: the editor shows the body with soft breaks (soft_wrap.h).
// The person sees a long paragraph on several lines; the policy's text keeps it as one.
TEST(Editor, LongLinesWrapInTheFieldAndStayOneLineInTheText) {
    EditorFixture f;
    f.click_body();
    const std::string sentence = "Refunds are given within thirty days of purchase when the receipt comes with the item. ";
    const std::string paragraph = sentence + sentence + sentence;
    f.ui.type(paragraph);
    const ui::EditorState& e = f.ui.state.editor;
    ASSERT_EQ(e.body, paragraph) << "no soft break in the text";
    const long shown_lines = std::count(e.field.begin(), e.field.end(), '\n') + 1;
    EXPECT_GE(shown_lines, 3) << "the field shows the paragraph on several lines: " << e.field;
    // Up, then typing: the letter lands a line above the end, and the text stays one line.
    f.ui.press(38);
    f.ui.type("X");
    const size_t x = e.body.find('X');
    ASSERT_NE(x, std::string::npos);
    EXPECT_LT(x, paragraph.size() - 20);
    EXPECT_EQ(e.body.find('\n'), std::string::npos);
    // Home goes to the start of that shown line; Backspace there takes the space that ended
    // the line above (as in a browser's text area), not the invisible break.
    f.ui.press(36);
    const std::string before = e.body;
    const int caret = e.select_end;
    ASSERT_GT(caret, 0);
    ASSERT_EQ(before[static_cast<size_t>(caret) - 1], ' ');
    f.ui.press(8);
    EXPECT_EQ(e.body, before.substr(0, static_cast<size_t>(caret) - 1) + before.substr(static_cast<size_t>(caret)));
    // Copying all of it gives the text, without the breaks the field shows.
    f.ctrl(65);
    f.ctrl(67);
    EXPECT_EQ(std::string(ImGui::GetClipboardText()), e.body);
    // A tablet's window (Write / Preview tabs: the field as wide as the screen, wider than
    // beside the preview) wraps it again; the text does not change.
    const std::string text = e.body;
    const std::string wide = e.field;
    ImGui::GetIO().DisplaySize = ImVec2(820, 1180);
    f.ui.frame(3);
    EXPECT_EQ(e.body, text);
    EXPECT_NE(e.field, wide);
    EXPECT_LT(std::count(e.field.begin(), e.field.end(), '\n'), std::count(wide.begin(), wide.end(), '\n'));
}

// The live policy moves on while someone edits it (another version reaches the device):
// the editor says so, shows the other change beside the text with its words marked, keeps
// what was typed, will not submit until the person has merged, and then starts the draft
// from the live version.
TEST(Editor, ANewerVersionWhileEditingIsShownBesideTheTextAndMergedByHand) {
    EditorFixture f;
    ui::Route r;
    r.screen = Screen::edit;
    r.slug = "late-deliveries";
    ui::apply_route(f.ui.state, *f.ui.library, r, f.ui.platform);
    f.ui.frame(3);
    ui::EditorState& e = f.ui.state.editor;
    ASSERT_EQ(e.base_version, 1);
    f.click_body();
    f.ctrl(35);  // Ctrl+End
    f.ui.type(" Ask for the order number.");
    const std::string mine = e.body;
    Article theirs = make_article("late-deliveries", "Late deliveries", "Delivery and escalation", {"late", "parcel"}, "Logistics",
                                  "A parcel that is late by three working days gets a delivery refund.");
    ASSERT_TRUE(save_article(*f.ui.db, theirs, VersionNote("ben", "Working days, as the carrier counts them", "bo")).is_ok());
    ui::refresh_content(f.ui.state, *f.ui.library);  // as the host does after a download
    f.ui.frame(2);
    EXPECT_EQ(e.live_version, 2);
    EXPECT_TRUE(ui::editor_has_conflict(e));
    EXPECT_EQ(e.body, mine) << "nothing typed is touched";
    EXPECT_NE(f.ui.state.semantics.find("I have merged their change", SemanticRole::button), nullptr);
    // Submit shows their change instead of the dialog.
    ASSERT_TRUE(f.ui.click_widget("Submit for review"));
    f.ui.frame(2);
    EXPECT_FALSE(e.submit_dialog);
    ASSERT_TRUE(e.their_change_tab);
    ASSERT_NE(f.ui.state.semantics.find("Their change", SemanticRole::region), nullptr);
    EXPECT_NE(e.their_change_note.find("ben: Working days"), std::string::npos) << e.their_change_note;
    ASSERT_EQ(e.their_change.lines.size(), 1u);
    const ui::DiffLineView& line = e.their_change.lines[0];
    EXPECT_EQ(line.kind, '~');
    std::string inserted, deleted;
    for (const ui::DiffSpanView& span : line.spans) {
        if (span.kind == '+') inserted += span.text;
        if (span.kind == '-') deleted += span.text;
    }
    EXPECT_NE(inserted.find("three"), std::string::npos) << inserted;
    EXPECT_NE(inserted.find("working"), std::string::npos) << inserted;
    EXPECT_NE(deleted.find("two"), std::string::npos) << deleted;
    // Merged by hand: the person types their change in, then says so.
    f.click_body();
    f.ctrl(65);
    f.ui.type("A parcel that is late by three working days gets a delivery refund. Ask for the order number.");
    ASSERT_TRUE(f.ui.click_widget("I have merged their change"));
    f.ui.frame(70);
    EXPECT_EQ(e.base_version, 2);
    EXPECT_FALSE(ui::editor_has_conflict(e));
    auto kept = local_draft_of(*f.device, "amira", "late-deliveries");
    ASSERT_TRUE(kept.is_ok() && kept->has_value());
    EXPECT_EQ((*kept)->base_version, 2) << "the draft kept on the device starts from the live version now";
}

// The server writes a diff's word marks with the core's names; the app reads them back.
TEST(Editor, ADiffFromTheServerKeepsItsWordMarks) {
    const VersionDiff diff = diff_articles(make_article("a", "A", "C", {}, "O", "Late by two days."),
                                           make_article("a", "A", "C", {}, "O", "Late by three days."));
    nlohmann::json spans = nlohmann::json::array();
    for (const DiffSpan& s : diff.body.lines.at(0).spans) spans.push_back({{"kind", diff_span_kind_name(s.kind)}, {"text", s.text}});
    const nlohmann::json j = {{"fields", nlohmann::json::array()},
                              {"lines", {{{"kind", "changed"}, {"old", 1}, {"new", 1}, {"spans", spans}}}},
                              {"added", 0}, {"removed", 0}, {"changed", 1}};
    ui::DiffView view;
    ASSERT_TRUE(ui::read_diff(j.dump(), &view));
    ASSERT_EQ(view.lines.size(), 1u);
    int marked = 0;
    for (const ui::DiffSpanView& s : view.lines[0].spans) marked += s.kind != ' ';
    EXPECT_EQ(marked, 2) << "'two' deleted, 'three' inserted";
    EXPECT_EQ(ui::diff_view_of(diff).lines[0].spans.size(), view.lines[0].spans.size());
}

// A finger in the body, as in a tablet's text area: a long press selects the word under
// it; a drag scrolls the text (the body's own scroll, not the page's) and selects nothing.
TEST(Editor, OnATabletALongPressSelectsAWordAndADragScrollsTheText) {
    EditorFixture f;
    f.ui.state.touch = true;
    ImGui::GetIO().DisplaySize = ImVec2(820, 1180);
    ui::EditorState& e = f.ui.state.editor;
    for (int i = 1; i <= 80; ++i) e.body += "Line " + std::to_string(i) + ": refunds within thirty days.\n";
    f.ui.frame(3);
    const ui::WidgetRect* w = f.ui.widget("Policy text (Markdown)");
    ASSERT_NE(w, nullptr);
    const float x = w->x, y = w->y, h = w->h;
    ImGuiIO& io = ImGui::GetIO();
    auto body_scroll = [] {
        for (ImGuiWindow* win : ImGui::GetCurrentContext()->Windows)
            if (std::string(win->Name).find("/##body_") != std::string::npos) return win->Scroll.y;
        return -1.0f;
    };
    // Long press on the first line's second word ("refunds" starts after "Line 1: ").
    io.MousePos = ImVec2(x + 12 + ImGui::CalcTextSize("Line 1: re").x, y + 20);
    f.ui.frame();
    io.MouseDown[0] = true;
    f.ui.frame(40);  // two thirds of a second
    io.MouseDown[0] = false;
    f.ui.frame(2);
    ASSERT_LT(e.select_begin, e.select_end) << "a word is selected";
    const std::string word = e.body.substr(static_cast<size_t>(e.select_begin), static_cast<size_t>(e.select_end - e.select_begin));
    EXPECT_EQ(word.find(' '), std::string::npos) << "[" << word << "]";
    EXPECT_NE(std::string("refunds").find(word.substr(0, 3)), std::string::npos) << "[" << word << "]";
    // A drag upwards from low in the field: the text scrolls, nothing is selected.
    const std::string before = e.body;
    ASSERT_EQ(body_scroll(), 0.0f);
    io.MousePos = ImVec2(x + 200, y + h - 60);
    f.ui.frame();
    io.MouseDown[0] = true;
    f.ui.frame();
    for (int i = 0; i < 10; ++i) {
        io.MousePos.y -= 30;
        f.ui.frame();
    }
    io.MouseDown[0] = false;
    f.ui.frame(2);
    EXPECT_GT(body_scroll(), 200.0f);
    EXPECT_EQ(e.select_begin, e.select_end) << "a scroll selects nothing";
    EXPECT_EQ(e.body, before);
    EXPECT_FALSE(f.ui.state.scroll.dragging) << "the page did not take the drag";
}


// The preview keeps its wrapped lines while the text is unchanged (the longest policy's
// every paragraph is not measured again at each frame), wraps again at another width,
// takes the other theme's colours, and shows the new text once typing pauses.
TEST(Editor, ThePreviewIsLaidOutOnceAndFollowsWidthThemeAndText) {
    EditorFixture f;
    ui::EditorState& e = f.ui.state.editor;
    const std::string sentence = "Refunds are given within thirty days of purchase when the receipt comes with the item. ";
    e.body = "# Refunds\n\n" + sentence + sentence + sentence + "\n\n- One\n- Two\n";
    f.ui.frame(20);  // a pause: the preview is made
    ASSERT_EQ(e.preview_of, e.body);
    ASSERT_EQ(e.preview_layout.texts.size(), 4u) << "heading, paragraph, two items";
    ui::LaidOutText& paragraph = e.preview_layout.texts[1];
    const int wide_lines = paragraph.layout.lines;
    const float wide = paragraph.width;
    ASSERT_GE(wide_lines, 2);
    // Unchanged: the next frames draw from what is kept (a mark left in it stays).
    paragraph.layout.lines = 999;
    f.ui.frame(3);
    EXPECT_EQ(e.preview_layout.texts[1].layout.lines, 999);
    // A narrower window (a phone-sized Preview tab): wrapped again, on more lines.
    ImGui::GetIO().DisplaySize = ImVec2(420, 900);
    e.preview_tab = true;
    f.ui.frame(3);
    EXPECT_NE(e.preview_layout.texts[1].width, wide);
    EXPECT_GT(e.preview_layout.texts[1].layout.lines, wide_lines);
    EXPECT_LT(e.preview_layout.texts[1].layout.lines, 999);
    // The other theme: the words take its colour.
    const ImU32 light = e.preview_layout.texts[1].runs.at(0).color;
    f.ui.state.settings.dark = true;
    ui::apply_theme(true, false);
    f.ui.frame(2);
    EXPECT_NE(e.preview_layout.texts[1].runs.at(0).color, light);
    // New text, then a pause: the preview shows it.
    e.body += "\nGift cards are never refunded.\n";
    f.ui.frame(20);
    ASSERT_EQ(e.preview_of, e.body);
    ASSERT_EQ(e.preview_layout.texts.size(), 5u);
    std::string words;
    for (const ui::RichRun& run : e.preview_layout.texts[4].runs) words += run.text;
    EXPECT_EQ(words, "Gift cards are never refunded.");
    EXPECT_NE(f.ui.state.semantics.find("Gift cards are never refunded.", SemanticRole::paragraph), nullptr);
    ui::apply_theme(false, false);
}

// Text put in a fixed field is cut whole characters at a time: a half "é" at the end
// would be shown as a replacement character and sent as invalid UTF-8.
TEST(Editor, TextPutInAFieldIsCutAtACharacterBoundary) {
    std::array<char, 4> field{};
    ui::copy_to_field(field, "a\xc3\xa9");  // "aé": three bytes, fits
    EXPECT_STREQ(field.data(), "a\xc3\xa9");
    ui::copy_to_field(field, "ab\xc3\xa9");  // "abé": the é would be cut in half
    EXPECT_STREQ(field.data(), "ab");
    ui::copy_to_field(field, "abcdef");
    EXPECT_STREQ(field.data(), "abc");
    ui::copy_to_field(field, "");
    EXPECT_STREQ(field.data(), "");
}

// A damaged draft record on the device costs only itself: My drafts lists the others and
// says one could not be read, and the others are still sent. (The list failed whole:
// none was listed, none was sent.)
TEST(Editor, ADamagedDraftOnTheDeviceIsSaidAndTheOthersAreListedAndSent) {
    EditorFixture f;
    for (const char* id : {"d-good", "d-bad"}) f.keep_draft(id);
    ASSERT_TRUE(f.device->exec("UPDATE drafts SET content = 'not json' WHERE client_id = 'd-bad'").is_ok());
    std::vector<std::string> asked;
    f.ui.platform.api = [&](const std::string& method, const std::string& path, const std::string& body,
                            std::function<void(int, const std::string&)> answer) {
        asked.push_back(method + " " + path + (body.find("d-good") != std::string::npos ? " d-good" : ""));
        if (path == "api/drafts" && method == "GET") answer(200, R"({"drafts":[],"waiting":[]})");
    };
    ui::apply_route(f.ui.state, *f.ui.library, ui::parse_route("#/drafts"), f.ui.platform);
    f.ui.state.draft_sending.look = true;
    f.ui.frame(60);
    const ui::SemanticNode* said = nullptr;
    const ui::SemanticsTree& tree = f.ui.state.semantics;
    for (int i = 0; i < tree.size; ++i)
        if (tree.nodes[static_cast<size_t>(i)].role == SemanticRole::status &&
            tree.nodes[static_cast<size_t>(i)].name.find("1 draft on this device could not be read") != std::string::npos)
            said = &tree.nodes[static_cast<size_t>(i)];
    ASSERT_NE(said, nullptr) << "My drafts says a draft could not be read";
    EXPECT_NE(said->name.find("Your other drafts are listed here and sent as usual"), std::string::npos) << said->name;
    EXPECT_EQ(f.ui.state.drafts.local.size(), 1u);
    EXPECT_NE(f.ui.widget("Late deliveries"), nullptr) << "the readable draft is listed";
    EXPECT_NE(std::find(asked.begin(), asked.end(), "POST api/drafts d-good"), asked.end()) << "and sent";
}

// A draft the device sent for review and an approver returned: opening it asks the server
// where it stands once, shows the approver's comment, keeps it on the device (offline it
// still says so), and the text typed since goes up again (an "in review" draft is not sent).
TEST(Editor, AReturnedDraftShowsTheApproversCommentAndIsSentAgain) {
    EditorFixture f;
    f.keep_sent_draft("d-returned", "in_review");
    std::vector<std::string> asked;
    f.ui.platform.api = [&](const std::string& method, const std::string& path, const std::string&,
                            std::function<void(int, const std::string&)> answer) {
        asked.push_back(method + " " + path);
        if (path == "api/drafts/7")
            answer(200, R"({"id":7,"client_id":"d-returned","state":"returned","slug":"late-deliveries",)"
                        R"("review_comment":"Say which carrier's days count.","base_version":1})");
        else
            answer(0, "");
    };
    ui::apply_route(f.ui.state, *f.ui.library, ui::parse_route("#/draft/d-returned"), f.ui.platform);
    f.ui.frame(3);
    const ui::EditorState& e = f.ui.state.editor;
    EXPECT_EQ(std::count(asked.begin(), asked.end(), "GET api/drafts/7"), 1) << "asked once, not at every frame";
    EXPECT_EQ(e.server_state, "returned");
    EXPECT_EQ(e.note, "Say which carrier's days count.");
    EXPECT_NE(f.ui.state.semantics.find("Returned by the approver: Say which carrier's days count.", SemanticRole::status), nullptr);
    auto kept = local_draft(*f.device, "d-returned");
    ASSERT_TRUE(kept.is_ok() && kept->has_value());
    EXPECT_EQ((*kept)->state, "returned");
    EXPECT_EQ((*kept)->note, "Say which carrier's days count.");
    // Offline, opened again: the device says so by itself.
    f.ui.platform.api = [&](const std::string&, const std::string&, const std::string&,
                            std::function<void(int, const std::string&)> answer) { answer(0, ""); };
    ui::apply_route(f.ui.state, *f.ui.library, ui::Route{}, f.ui.platform);
    f.ui.frame(2);
    ui::apply_route(f.ui.state, *f.ui.library, ui::parse_route("#/draft/d-returned"), f.ui.platform);
    f.ui.frame(3);
    EXPECT_EQ(e.note, "Say which carrier's days count.");
    EXPECT_NE(f.ui.state.semantics.find("Returned by the approver: Say which carrier's days count.", SemanticRole::status), nullptr);
    // Back online, the text typed now is sent (a PUT of the server's draft 7).
    asked.clear();
    f.ui.platform.api = [&](const std::string& method, const std::string& path, const std::string&,
                            std::function<void(int, const std::string&)> answer) {
        asked.push_back(method + " " + path);
        if (method == "PUT") answer(200, R"({"id":7,"state":"returned","revision":3})");  // a returned draft stays returned
    };
    f.click_body();
    f.ctrl(35);
    f.ui.type(" Carrier days.");
    f.ui.frame(200);
    EXPECT_NE(std::find(asked.begin(), asked.end(), "PUT api/drafts/7"), asked.end());
    EXPECT_EQ(e.note, "Say which carrier's days count.") << "the comment stays until the draft is submitted again";
    EXPECT_NE(f.ui.state.semantics.find("Returned by the approver: Say which carrier's days count.", SemanticRole::status), nullptr);
}

TEST(Editor, SubmitWhileASaveIsOnItsWayWaitsForItsAnswerAndThenSubmits) {
    // Found by CI (write.test.js): typing, then Submit within the second's save, met the
    // save still on its way and said "try again in a moment"; the dialog stayed open.
    EditorFixture f;
    f.keep_sent_draft("d-busy", "draft");
    // The server holds its answers until the test gives them, and refuses a stale revision
    // as the real one does.
    std::vector<std::string> asked;
    std::vector<std::function<void()>> held;
    int revision = 2;
    std::string last_body;
    f.ui.platform.api = [&](const std::string& method, const std::string& path, const std::string& body,
                            std::function<void(int, const std::string&)> answer) {
        asked.push_back(method + " " + path);
        if (method == "PUT" && path == "api/drafts/7") {
            const auto j = nlohmann::json::parse(body);
            held.push_back([&, answer, j] {
                if (j.value("revision", 0) != revision) return answer(409, R"({"error":"this draft was saved elsewhere meanwhile"})");
                ++revision;
                last_body = j.value("body", "");
                answer(200, nlohmann::json{{"id", 7}, {"state", "draft"}, {"revision", revision}}.dump());
            });
        } else if (method == "POST" && path == "api/drafts/7/submit") {
            held.push_back([answer] { answer(200, R"({"id":7,"state":"in_review"})"); });
        } else if (method == "GET" && path == "api/drafts/7") {
            answer(200, R"({"id":7,"client_id":"d-busy","state":"draft","slug":"late-deliveries","base_version":1})");
        } else if (method == "GET" && path == "api/drafts") {
            answer(200, R"({"drafts":[],"waiting":[]})");
        } else {
            answer(0, "");
        }
    };
    auto give_answers = [&] {
        auto now = std::move(held);
        held.clear();
        for (auto& a : now) a();
        f.ui.frame(3);
    };
    const auto puts = [&] { return std::count(asked.begin(), asked.end(), "PUT api/drafts/7"); };
    ui::apply_route(f.ui.state, *f.ui.library, ui::parse_route("#/draft/d-busy"), f.ui.platform);
    f.ui.frame(3);
    f.click_body();
    f.ctrl(35);  // End
    f.ui.type(" Carrier days.");
    f.ui.frame(70);  // kept on the device, and on its way to the server
    ASSERT_EQ(puts(), 1);
    ASSERT_EQ(held.size(), 1u);

    f.click_body();
    f.ui.type("!");
    ASSERT_TRUE(f.ui.click_widget("Submit for review"));
    f.ui.frame(2);
    ASSERT_TRUE(f.ui.state.editor.submit_dialog);
    ASSERT_TRUE(f.ui.click_widget("What changed and why"));
    f.ui.type("Carrier days count.");
    ASSERT_TRUE(f.ui.click_widget("Submit"));
    f.ui.frame(2);
    const ui::EditorState& e = f.ui.state.editor;
    EXPECT_EQ(e.submit_message, "") << "not refused for a save the person cannot see";
    EXPECT_TRUE(e.submitting);
    EXPECT_EQ(puts(), 1) << "not sent alongside the save on its way (its revision would be stale)";

    give_answers();  // the save: then the newest text goes, from the revision it gave
    EXPECT_EQ(puts(), 2);
    give_answers();  // the newest text: then the submit
    EXPECT_EQ(last_body, "A parcel that is late by two days gets a delivery refund. Carrier days.!");
    EXPECT_NE(std::find(asked.begin(), asked.end(), "POST api/drafts/7/submit"), asked.end());
    give_answers();
    EXPECT_EQ(f.ui.state.screen, Screen::drafts);
    EXPECT_FALSE(e.submit_dialog);
    auto kept = local_draft(*f.device, "d-busy");
    ASSERT_TRUE(kept.is_ok() && kept->has_value());
    EXPECT_EQ((*kept)->state, "in_review");
    EXPECT_EQ((*kept)->summary, "Carrier days count.");
}

}  // namespace
}  // namespace handbook::test
