#include "app.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "account.h"
#include "app_actions.h"
#include "editor.h"
#include "fonts.h"
#include "icons.h"
#include "screens.h"
#include "widgets.h"

namespace handbook::ui {

namespace {

constexpr float kMaxColumn = 860.0f;

void draw_toast(AppState& state) {
    if (state.toast.empty()) return;
    if (ImGui::GetTime() > state.toast_until) {
        state.toast.clear();
        return;
    }
    state.animating = true;  // one more frame to take it away
    const Palette& p = colors(state);
    const ImGuiIO& io = ImGui::GetIO();
    std::string text = std::string(icon::kCheck) + "  " + state.toast;
    ImVec2 size = ImGui::CalcTextSize(text.c_str());
    ImVec2 a((io.DisplaySize.x - size.x) * 0.5f - 20, io.DisplaySize.y - size.y - 56);
    ImVec2 b(a.x + size.x + 40, a.y + size.y + 24);
    ImDrawList* draw = ImGui::GetForegroundDrawList();
    draw->AddRectFilled(a, b, p.text, 12);
    draw->AddText(ImVec2(a.x + 20, a.y + 12), p.background, text.c_str());
}

// Page Up/Down, Home/End (and the arrows while reading) scroll the main area when no
// text field is taking the keys.
void scroll_by_keys(const AppState& state) {
    if (state.search.box_active || ImGui::IsAnyItemActive() || ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) return;
    const float page = ImGui::GetWindowHeight() * 0.85f;
    const float line = ImGui::GetFontSize() * 3;
    float y = ImGui::GetScrollY();
    if (ImGui::IsKeyPressedMap(ImGuiKey_PageDown) || ImGui::IsKeyPressedMap(ImGuiKey_Space)) y += page;
    if (ImGui::IsKeyPressedMap(ImGuiKey_PageUp)) y -= page;
    if (ImGui::IsKeyPressedMap(ImGuiKey_Home)) y = 0;
    if (ImGui::IsKeyPressedMap(ImGuiKey_End)) y = ImGui::GetScrollMaxY();
    if (state.screen == Screen::article) {
        if (ImGui::IsKeyPressedMap(ImGuiKey_DownArrow)) y += line;
        if (ImGui::IsKeyPressedMap(ImGuiKey_UpArrow)) y -= line;
    }
    if (y != ImGui::GetScrollY()) ImGui::SetScrollY(std::clamp(y, 0.0f, ImGui::GetScrollMaxY()));
}

// Where the page's keyboard is (the twin's focused element): a ring around it, drawn
// over everything, as a browser draws one around a focused control.
void draw_focus_ring(const AppState& state) {
    if (!state.twin_focus) return;
    const SemanticNode* n = state.semantics.by_id(state.twin_focus);
    if (!n || !n->visible) return;
    const Palette& p = colors(state);
    ImDrawList* draw = ImGui::GetForegroundDrawList();
    draw->AddRect(ImVec2(n->vx - 3, n->vy - 3), ImVec2(n->vx + n->vw + 3, n->vy + n->vh + 3), p.accent, 8.0f, 0, 3.0f);
}

// The main landmark's name: what the screen is.
std::string screen_title(const AppState& state) {
    switch (state.screen) {
    case Screen::home: return "Find a policy";
    case Screen::search: return state.search.query.empty() ? "Browse policies" : "Search results";
    case Screen::article: return state.reader.article ? state.reader.article->article.title : "Policy";
    case Screen::sign_in: return "Sign in";
    case Screen::edit: return state.editor.start_slug.empty() ? "New policy" : "Edit policy";
    case Screen::drafts: return "My drafts";
    case Screen::review: return state.review.id ? "Review" : "Waiting for review";
    case Screen::history: return "History";
    case Screen::news: return "What's new";
    case Screen::report: return "Acknowledgements";
    }
    return "Handbook";
}

}  // namespace

void draw_app(AppState& state, Library& library, const UiPlatform& platform) {
    if (state.sign_in.leave) {  // signed in since the last frame (SignInForm::leave)
        state.sign_in.leave = false;
        if (state.screen == Screen::sign_in) leave_sign_in(state, library, platform);
    }
    semantics::begin_frame(&state.semantics);
    state.animating = false;
    state.frames++;
    const ImGuiIO& io = ImGui::GetIO();
    const Palette& p = colors(state);

    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(p.background));
    ImGui::Begin("Handbook", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleColor();
    if (state.fonts.body) ImGui::PushFont(state.fonts.body);

    const float bar_h = state.touch ? 68.0f : 64.0f;
    state.popup_was_open = ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId);
    // The screen area first in ID order does not matter; the bar is drawn first so the
    // search box gets keys before the screens look at arrows and Enter.
    semantics::open(SemanticRole::banner, "Handbook", "bar");
    draw_top_bar(state, library, platform, bar_h);
    semantics::close();
    semantics::open(SemanticRole::main, screen_title(state), "main");

    // The column the screens draw in: centred, at most kMaxColumn wide.
    const float width = io.DisplaySize.x;
    const float side = width < 640 ? 16.0f : 32.0f;
    // The editor and the review are wider: the text and its preview side by side.
    const float max_column = state.screen == Screen::edit ? 1400.0f : state.screen == Screen::review ? 1000.0f : kMaxColumn;
    const float column = std::min(max_column, width - 2 * side - ImGui::GetStyle().ScrollbarSize);
    const float left = std::max(side, (width - column) * 0.5f);

    // An article keeps its header row (Back, Contents, Copy) in view above the scrolling text.
    float header_h = 0;
    if (state.screen == Screen::article) {
        header_h = reader_header_height(state);
        ImGui::SetCursorPos(ImVec2(0, bar_h));
        ImGui::Indent(left);
        draw_reader_header(state, library, platform, column);
        ImGui::Unindent(left);
        if (state.screen == Screen::article)
            ImGui::GetWindowDrawList()->AddLine(ImVec2(0, bar_h + header_h - 0.5f), ImVec2(width, bar_h + header_h - 0.5f), p.border);
        else
            header_h = 0;  // left the article: the screen below draws from the bar
    }

    ImGui::SetCursorPos(ImVec2(0, bar_h + header_h));
    ImGui::BeginChild("main", ImVec2(io.DisplaySize.x, io.DisplaySize.y - bar_h - header_h), false,
                      ImGuiWindowFlags_NoSavedSettings);
    if (drag_scroll(state.scroll, state.touch, !state.reduced_motion)) state.animating = true;
    scroll_by_keys(state);
    float scroll_y = ImGui::GetScrollY();
    if (state.twin_scroll >= 0) {
        // The page moved the twin's scroll (find-in-page found a word below, Tab reached a
        // link further down): the canvas shows the same place. ImGui scrolls there next
        // frame; the twin is told the new place now, so it does not scroll itself back.
        scroll_y = std::clamp(state.twin_scroll, 0.0f, ImGui::GetScrollMaxY());
        ImGui::SetScrollY(scroll_y);
        state.twin_scroll = -1;
        state.animating = true;
    }
    semantics_begin_main(bar_h + header_h, scroll_y, ImGui::GetScrollMaxY() + ImGui::GetWindowHeight());

    // Scrolling follows the screen: a new article starts at the top; going back to
    // the results returns to where the list was.
    if (state.drawn_screen != state.screen || (state.screen == Screen::article && state.reader.scroll_to_top)) {
        if (state.drawn_screen == Screen::search) state.search_scroll = ImGui::GetScrollY();
        ImGui::SetScrollY(state.screen == Screen::search && state.drawn_screen == Screen::article ? state.search_scroll : 0.0f);
        state.reader.scroll_to_top = false;
        state.drawn_screen = state.screen;
    }

    ImGui::Indent(left);
    const Screen screen = state.screen;
    switch (screen) {
    case Screen::home: draw_home_screen(state, library, column); break;
    case Screen::search: draw_search_screen(state, library, column); break;
    case Screen::article: draw_reader_screen(state, library, platform, column); break;
    case Screen::sign_in: draw_sign_in_screen(state, library, platform, column); break;
    case Screen::edit: draw_editor_screen(state, library, platform, column); break;
    case Screen::drafts: draw_drafts_screen(state, library, platform, column); break;
    case Screen::review: draw_review_screen(state, library, platform, column); break;
    case Screen::history: draw_history_screen(state, library, platform, column); break;
    case Screen::news: draw_news_screen(state, library, platform, column); break;
    case Screen::report: draw_report_screen(state, library, platform, column); break;
    }
    ImGui::Unindent(left);
    semantics_end_main();
    ImGui::EndChild();
    semantics::close();

    // Drafts typed here go to the server when it can be reached (editor.h).
    send_unsent_drafts(state, library, platform, ImGui::GetTime());
    // Someone else signed in (or out): their lists, and their acknowledgements waiting here.
    if (state.news.loaded_for != (state.account.signed_in ? state.account.name : std::string{})) {
        load_news(state, library);
        state.outbox.look = true;
    } else if (state.news.stale) {
        load_news(state, library);
    }
    watch_searches(state, library, platform, ImGui::GetTime());  // searches that found nothing (missed_searches.h)
    resume_session(state, library, platform);                    // someone signed in offline, now the network is back
    send_outbox(state, library, platform, ImGui::GetTime());     // acknowledgements and those misses (news.h)
    draw_toast(state);
    draw_focus_ring(state);
    if (state.fonts.body) ImGui::PopFont();
    ImGui::End();

    // Keep the address bar in step: a new screen or article is a history entry (Back
    // returns to it); typing only replaces the current entry.
    Route now = current_route(state);
    if (!(now == state.shown_route)) {
        bool push = now.screen != state.shown_route.screen || now.slug != state.shown_route.slug;
        if (platform.set_route) platform.set_route(format_route(now), push);
        state.shown_route = now;
    }
    if (state.drawn_screen != state.screen) state.animating = true;  // draw the new screen at once
    semantics::end_frame();
}

std::string describe_for_tests(const AppState& state) {
    nlohmann::json j;
    j["screen"] = screen_name(state.screen);
    j["query"] = state.search.query;
    j["article"] = state.screen == Screen::article ? state.reader.slug : std::string{};
    nlohmann::json hits = nlohmann::json::array();
    if (state.screen == Screen::search) {
        const auto& all = state.search.results.hits;
        for (int i = std::max(0, state.search.visible_from); i <= state.search.visible_to && i < static_cast<int>(all.size()); ++i)
            hits.push_back(all[i].slug);
    }
    j["hits"] = hits;
    nlohmann::json widgets = nlohmann::json::array();
    for (const WidgetRect& w : visible_widgets(state.semantics))
        widgets.push_back({{"label", w.label}, {"x", w.x}, {"y", w.y}, {"w", w.w}, {"h", w.h}});
    j["widgets"] = widgets;
    // The focus ring drawn on the canvas (draw_focus_ring), for tests to hold it against
    // the twin element the keyboard is on.
    const SemanticNode* ring = state.twin_focus ? state.semantics.by_id(state.twin_focus) : nullptr;
    if (ring && ring->visible) j["focusRing"] = {{"x", ring->vx}, {"y", ring->vy}, {"w", ring->vw}, {"h", ring->vh}};
    j["offline"] = state.sync.offline;
    j["confirmedAt"] = state.sync.confirmed_at;
    j["asOf"] = state.sync.as_of;
    j["syncMessage"] = state.sync.message;
    j["dark"] = state.settings.dark;
    j["textSize"] = state.settings.text_size;
    j["frames"] = state.frames;  // lets a test see that nothing is drawn while idle
    j["section"] = state.screen == Screen::article ? state.reader.section : std::string{};  // the heading at the top
    j["selection"] = selected_text(state.reader.selection);
    // The article's body texts on screen (CSS px), so a test can drag over words.
    nlohmann::json texts = nlohmann::json::array();
    if (state.screen == Screen::article) {
        for (const SelectableText& t : state.reader.selection.drawn) {
            if (t.origin.y + t.layout.size.y < 0 || t.origin.y > ImGui::GetIO().DisplaySize.y) continue;
            texts.push_back({{"x", t.origin.x}, {"y", t.origin.y}, {"w", t.layout.size.x}, {"h", t.layout.size.y}, {"lines", t.layout.lines}});
        }
    }
    j["texts"] = texts;
    nlohmann::json unknown = nlohmann::json::array();
    for (const std::string& w : state.search.results.unknown_words) unknown.push_back(w);
    j["unknownWords"] = unknown;
    j["showingResultsFor"] = state.search.results.showing_results_for;
    if (state.screen == Screen::edit) {
        const EditorState& e = state.editor;
        nlohmann::json problems = nlohmann::json::object();
        for (const auto& [field, message] : e.problems) problems[field] = message;
        j["editor"] = {{"title", e.title.data()}, {"slug", e.slug.data()}, {"category", e.category.data()},
                       {"tags", e.tags},          {"body", e.body},       {"problems", problems},
                       {"savedOnDevice", e.edits_saved > 0 && !e.changed},  {"serverId", e.server_id},
                       {"serverState", e.server_state}, {"leaveDialog", e.leave_dialog},
                       {"baseVersion", e.base_version}, {"liveVersion", e.live_version}, {"note", e.note},
                       {"submitting", e.submitting}, {"submitMessage", e.submit_message},
                       {"selection", {e.select_begin, e.select_end}}};
    }
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace handbook::ui
