// The bar above every screen: the brand (home), the search box (with its clear button),
// the sync status and display settings. The search box is where typing goes from
// anywhere ('/' focuses it). Every control here works by tap as well as by mouse: the
// status and the display settings open popups (a tooltip never shows on touch), and the
// display button says what it is in words where there is room.
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cstdio>

#include "account.h"
#include "app_actions.h"
#include "fonts.h"
#include "icons.h"
#include "screens.h"
#include "sync_status.h"
#include "widgets.h"

namespace handbook::ui {

namespace {

// ImGui 1.86 closes popups on Escape only with keyboard navigation on, which this app
// does not use (it would move focus between every item): close the open one here.
void close_popup_on_escape() {
    if (ImGui::IsKeyPressedMap(ImGuiKey_Escape, false)) ImGui::CloseCurrentPopup();
}

void draw_display_popup(AppState& state, const UiPlatform& platform) {
    if (!ImGui::BeginPopup("display")) return;
    close_popup_on_escape();
    semantics::open(SemanticRole::dialog, "Display settings", "display");
    Settings before = state.settings;
    ImGui::Dummy(ImVec2(260, 4));
    ImGui::Indent(12);
    wrapped_text(state.fonts.bold, colors(state).text, "Display settings", 0, SemanticRole::heading, 2);
    ImGui::Dummy(ImVec2(1, 2));
    wrapped_text(state.fonts.small_bold, colors(state).muted, "THEME", 0, SemanticRole::heading, 3);
    // The theme is a choice of two: toggles, the one in use pressed.
    auto as_toggle = [](bool on) {
        if (SemanticNode* n = semantics::last()) {
            n->role = SemanticRole::toggle;
            n->checked = on;
        }
    };
    if (action_button(state, icon::kSun, "Light", true, !state.settings.dark)) state.settings.dark = false;
    as_toggle(!state.settings.dark);
    ImGui::SameLine();
    if (action_button(state, icon::kMoon, "Dark", true, state.settings.dark)) state.settings.dark = true;
    as_toggle(state.settings.dark);
    ImGui::Dummy(ImVec2(1, 4));
    wrapped_text(state.fonts.small_bold, colors(state).muted, "TEXT SIZE", 0, SemanticRole::heading, 3);
    // "A-" and "A+" on screen; to a screen reader, what they do and the size now.
    char percent[16];
    std::snprintf(percent, sizeof percent, "%d%%", static_cast<int>(kTextScales[state.settings.text_size] * 100 + 0.5f));
    auto say_size = [&](const char* name) {
        if (SemanticNode* n = semantics::last()) {
            n->name = name;
            n->description = std::string("Text size ") + percent;
        }
    };
    if (action_button(state, nullptr, "A-", state.settings.text_size > 0)) state.settings.text_size--;
    say_size("Smaller text");
    ImGui::SameLine();
    ImVec2 at = ImGui::GetCursorScreenPos();
    float px = ImGui::GetFontSize();
    ImGui::GetWindowDrawList()->AddText(ImVec2(at.x + 4, at.y + (control_height(state) - px) * 0.5f), colors(state).text, percent);
    ImGui::Dummy(ImVec2(ImGui::CalcTextSize("150%").x + 8, control_height(state)));
    ImGui::SameLine();
    semantics::area(SemanticRole::status, percent, at.x, at.y, ImGui::GetItemRectSize().x, control_height(state));
    ImGui::SameLine();
    if (action_button(state, nullptr, "A+", state.settings.text_size + 1 < kTextSizeCount)) state.settings.text_size++;
    say_size("Larger text");
    ImGui::Unindent(12);
    ImGui::Dummy(ImVec2(1, 8));
    if (state.settings.dark != before.dark || state.settings.text_size != before.text_size) {
        state.settings_changed = true;
        if (platform.save_settings) platform.save_settings(state.settings);
    }
    semantics::close();
    ImGui::EndPopup();
}

// The status: "Offline" or "Updating" in words (an icon alone where the bar is narrow),
// a small check once the server has confirmed the copy. A tap opens the details.
// Returns its width; draws it ending at `right`.
float draw_status(AppState& state, float right, float y, float h, bool narrow) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    const SyncBadge badge = sync_badge(state.sync);
    // Content not confirmed fresh for hours says so in words, at every width: the date
    // matters more at the counter than whether the network is there right now.
    const bool stale = badge == SyncBadge::stale;
    const bool words = stale || (!narrow && (badge == SyncBadge::offline || badge == SyncBadge::updating));
    const char* glyph = badge == SyncBadge::offline    ? icon::kWifi
                        : badge == SyncBadge::updating ? icon::kRefresh
                        : stale                        ? icon::kClock
                        : badge == SyncBadge::up_to_date ? icon::kCheck
                                                         : icon::kInfo;
    const std::string stale_label = (narrow ? "As of " : "Policies as of ") + state.sync.as_of;
    const char* label = stale ? stale_label.c_str() : sync_badge_label(badge);
    const float px = font_size(f.small);
    const float w = words ? ImGui::CalcTextSize(label).x + px * 2.8f : h;
    ImVec2 a(right - w, y + 6), z(right, y + h - 6);
    ImGui::SetCursorScreenPos(ImVec2(a.x, y));
    const bool pressed = ImGui::InvisibleButton("status-button", ImVec2(w, h));
    if (SemanticNode* n = note_widget(state, label)) n->expanded = ImGui::IsPopupOpen("status");
    // Said when it changes (going offline, back, updated), with what went wrong if anything.
    {
        std::string say = badge == SyncBadge::offline    ? "Offline: showing the policies on this device"
                          : badge == SyncBadge::updating ? "Updating the policies"
                          : badge == SyncBadge::up_to_date ? "Policies up to date"
                          : stale                          ? "Policies as of " + state.sync.as_of
                                                           : std::string{};
        if (!state.sync.message.empty()) say += (say.empty() ? "" : ". ") + state.sync.message;
        semantics::announce_status(say);
    }
    const ImU32 c = badge == SyncBadge::offline || stale ? p.warning : p.muted;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    if (ImGui::IsItemHovered()) draw->AddRectFilled(a, z, p.surface_hover, (z.y - a.y) * 0.5f);
    if (words) draw->AddRect(a, z, c, (z.y - a.y) * 0.5f);
    const float iw = f.small->CalcTextSizeA(px, FLT_MAX, 0, glyph).x;
    const float ix = words ? a.x + px * 0.8f : a.x + (w - iw) * 0.5f;
    draw->AddText(f.small, px, ImVec2(ix, a.y + (z.y - a.y - px) * 0.5f), c, glyph);
    if (words) draw->AddText(f.small, px, ImVec2(a.x + px * 2.2f, a.y + (z.y - a.y - px) * 0.5f), c, label);
    if (pressed) ImGui::OpenPopup("status");
    if (ImGui::IsItemHovered() && !state.touch && !ImGui::IsPopupOpen("status")) {
        ImGui::BeginTooltip();
        for (const std::string& line : sync_details(state.sync)) ImGui::TextUnformatted(line.c_str());
        ImGui::EndTooltip();
    }
    draw_sync_details_popup(state, "status", ImVec2(right, y + h + 8), ImVec2(1, 0));
    return w;
}

// One of the bar's buttons, ending at `right`: a rounded box with an icon and its word,
// or the icon alone in a square where the bar is narrow. `extra` is room after them for
// the caller's own drawing (a badge, from `after`); `current` marks the screen it leads
// to. The button is ImGui's last item when this returns (for note_widget, hover).
struct BarButton {
    bool pressed = false;
    float width = 0;
    float after = 0;  // x where the caller's extra drawing starts
};

BarButton bar_button(const AppState& state, const char* id, const char* glyph, ImU32 glyph_color, const std::string& word,
                     float right, float y, float h, bool narrow, float extra = 0, bool current = false) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    const float px = font_size(f.body);
    const float iw = f.body->CalcTextSizeA(px, FLT_MAX, 0, glyph).x;
    const float ww = ImGui::CalcTextSize(word.c_str()).x;
    BarButton b;
    b.width = (narrow ? h : 14 + iw + 8 + ww + 16) + extra;
    ImGui::SetCursorScreenPos(ImVec2(right - b.width, y));
    b.pressed = ImGui::InvisibleButton(id, ImVec2(b.width, h));
    const ImVec2 a = ImGui::GetItemRectMin(), z = ImGui::GetItemRectMax();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(a, z, ImGui::IsItemHovered() || current ? p.surface_hover : p.surface, 8);
    draw->AddRect(a, z, current ? p.accent : p.border, 8);
    const float ty = a.y + (h - px) * 0.5f;
    if (narrow) {
        draw->AddText(f.body, px, ImVec2(a.x + (h - iw) * 0.5f, ty), glyph_color, glyph);
        b.after = a.x + h - 6;
    } else {
        draw->AddText(f.body, px, ImVec2(a.x + 14, ty), glyph_color, glyph);
        draw->AddText(f.body, px, ImVec2(a.x + 14 + iw + 8, ty), p.text, word.c_str());
        b.after = a.x + 14 + iw + 8 + ww + 8;
    }
    return b;
}

// The display settings button: "Aa Display" where there is room, the icon alone where
// the bar is narrow (the popup it opens is titled). Returns its width; ends at `right`.
float draw_display_button(AppState& state, const UiPlatform& platform, float right, float y, float h, bool narrow) {
    const BarButton b = bar_button(state, "display-button", icon::kFont, colors(state).text, "Display", right, y, h, narrow);
    if (SemanticNode* n = note_widget(state, "Display settings")) n->expanded = ImGui::IsPopupOpen("display");
    if (ImGui::IsItemHovered() && !state.touch) ImGui::SetTooltip("Display settings: theme and text size");
    if (b.pressed) ImGui::OpenPopup("display");
    ImGui::SetNextWindowPos(ImVec2(right, y + h + 8), ImGuiCond_Always, ImVec2(1, 0));  // under the button, not at the pointer
    draw_display_popup(state, platform);
    return b.width;
}

// What's new: a bell, the words where there is room, and how many changes came since the
// person last looked plus what they must still acknowledge, as a badge. Returns its
// width; ends at `right`.
float draw_news_button(AppState& state, Library& library, const UiPlatform& platform, float right, float y, float h, bool narrow) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    const int count = news_count(state);
    const std::string badge = count > 99 ? "99+" : std::to_string(count);
    const char* word = "What's new";
    const float bw = count > 0 ? ImGui::CalcTextSize(badge.c_str()).x + 12 : 0;
    const BarButton b = bar_button(state, "news-button", icon::kBell, count > 0 ? p.accent : p.text, word, right, y, h, narrow,
                                   count > 0 ? bw + (narrow ? 0 : 2) : 0, state.screen == Screen::news);
    if (SemanticNode* n = note_widget(state, word, SemanticRole::link)) {
        n->target = "#/whats-new";
        if (count > 0) n->description = badge + (count == 1 ? " change for you" : " changes for you");
    }
    if (count > 0) {
        const ImVec2 a = ImGui::GetItemRectMin();
        const float px = font_size(f.body);
        const float bh = px + 4, x = b.after;
        ImDrawList* draw = ImGui::GetWindowDrawList();
        draw->AddRectFilled(ImVec2(x, a.y + (h - bh) * 0.5f), ImVec2(x + bw, a.y + (h + bh) * 0.5f), p.accent, bh * 0.5f);
        draw->AddText(f.body, px, ImVec2(x + 6, a.y + (h - px) * 0.5f), p.accent_text, badge.c_str());
    }
    if (b.pressed) {
        Route r;
        r.screen = Screen::news;
        navigate(state, library, r, platform);
    }
    return b.width;
}

// Who is signed in: "Sign in" (a way to the sign-in screen) or the person's name, which
// opens a menu with their role and Sign out. The icon alone where the bar is narrow.
// Returns its width; ends at `right`.
float draw_account_button(AppState& state, Library& library, const UiPlatform& platform, float right, float y, float h, bool narrow) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    const Account& account = state.account;
    const std::string word = account.signed_in ? account.name : std::string("Sign in");
    const BarButton b = bar_button(state, "account-button", icon::kUser, account.signed_in ? p.accent : p.text, word, right, y, h, narrow);
    if (account.signed_in) {
        if (SemanticNode* n = note_widget(state, "Account: " + account.name)) n->expanded = ImGui::IsPopupOpen("account");
    } else if (SemanticNode* n = note_widget(state, "Sign in", SemanticRole::link)) {
        n->target = "#/sign-in";
    }
    if (b.pressed) {
        if (account.signed_in) ImGui::OpenPopup("account");
        else open_sign_in(state);
    }
    ImGui::SetNextWindowPos(ImVec2(right, y + h + 8), ImGuiCond_Always, ImVec2(1, 0));
    if (ImGui::BeginPopup("account")) {
        close_popup_on_escape();
        semantics::open(SemanticRole::dialog, "Account", "account");
        ImGui::Dummy(ImVec2(220, 4));
        ImGui::Indent(12);
        wrapped_text(f.bold, p.text, account.name, 0, SemanticRole::heading, 2);
        wrapped_text(f.small, p.muted, "Signed in as " + account.role);
        ImGui::Dummy(ImVec2(1, 4));
        // The write side, for those who may write (the server checks every request anyway).
        auto go_to = [&](Screen screen) {
            Route to;
            to.screen = screen;
            ImGui::CloseCurrentPopup();
            navigate(state, library, to, platform);
        };
        if (account.role != "staff") {
            if (action_button(state, nullptr, "New policy")) go_to(Screen::edit);
            if (action_button(state, nullptr, "My drafts")) go_to(Screen::drafts);
            if ((account.role == "approver" || account.role == "admin") && action_button(state, nullptr, "Waiting for review"))
                go_to(Screen::review);
        }
        if (action_button(state, nullptr, "Sign out")) {
            sign_out(state, platform);
            ImGui::CloseCurrentPopup();
        }
        ImGui::Unindent(12);
        ImGui::Dummy(ImVec2(1, 8));
        semantics::close();
        ImGui::EndPopup();
    }
    return b.width;
}

}  // namespace

SearchBoxMetrics search_box_metrics(const Fonts& fonts) {
    SearchBoxMetrics m;
    m.icon_x = 15;
    m.icon_w = fonts.body ? fonts.body->CalcTextSizeA(font_size(fonts.body), FLT_MAX, 0, icon::kSearch).x : 16;
    m.text_x = m.icon_x + m.icon_w + 10;
    return m;
}

const char* search_hint(bool touch, bool narrow) { return touch || narrow ? "Search policies" : "Search policies   ( / )"; }

void draw_top_bar(AppState& state, Library& library, const UiPlatform& platform, float height) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float width = ImGui::GetWindowWidth();
    draw->AddRectFilled(ImVec2(0, 0), ImVec2(width, height), p.surface);
    draw->AddLine(ImVec2(0, height - 0.5f), ImVec2(width, height - 0.5f), p.border);

    const bool narrow = width < 640;
    const float pad = narrow ? 12.0f : 24.0f;
    const float h = control_height(state);
    const float y = (height - h) * 0.5f;

    // Brand: goes home.
    ImGui::SetCursorPos(ImVec2(pad, y));
    const char* brand = narrow ? "" : "Handbook";
    float brand_w = (narrow ? 0 : ImGui::CalcTextSize(brand).x + 10) + font_size(f.h3) * 1.3f;
    if (ImGui::InvisibleButton("brand", ImVec2(brand_w, h))) {
        go_home(state, library);
    }
    if (SemanticNode* n = note_widget(state, "Handbook", SemanticRole::link)) n->target = "#/";
    ImVec2 b = ImGui::GetItemRectMin();
    float icon_px = font_size(f.h3);
    draw->AddText(f.h3, icon_px, ImVec2(b.x, b.y + (h - icon_px) * 0.5f), p.accent, icon::kBook);
    if (!narrow) draw->AddText(f.h3, icon_px, ImVec2(b.x + icon_px * 1.3f, b.y + (h - icon_px) * 0.5f), p.text, brand);

    // Right side, right to left: display settings, then the sync status (always shown:
    // offline matters most on the tablets, which are the narrow ones).
    float right = width - pad;
    right -= draw_display_button(state, platform, right, y, h, narrow) + (narrow ? 6 : 10);
    right -= draw_status(state, right, y, h, narrow) + (narrow ? 6 : 10);
    // (Not on the sign-in screen itself: its form is the way in.)
    if (platform.api && state.screen != Screen::sign_in) right -= draw_account_button(state, library, platform, right, y, h, narrow) + (narrow ? 6 : 10);
    right -= draw_news_button(state, library, platform, right, y, h, narrow || width < 1100) + (narrow ? 6 : 10);
    const float box_x = b.x + brand_w + (narrow ? 10 : 24);
    const float box_w = std::max(std::min(right - box_x, 680.0f), 80.0f);

    // Search box: the icon drawn inside, the padding sized to it (it grows with the text
    // size), and the clear button at its right end.
    SearchState& s = state.search;
    // '/' anywhere focuses search (and is not typed into it). The box takes the focus a
    // frame or two later, and keys typed meanwhile ("/late" typed fast) would be dropped
    // (nothing takes text then): they are held, and typed into the box once it has it.
    ImGuiIO& io = ImGui::GetIO();
    auto& q = io.InputQueueCharacters;
    if (ImGui::IsMouseClicked(0)) {
        s.focus_frames = 0;  // a click decides where the focus goes
        s.held.clear();
    }
    if (!s.box_active && !ImGui::IsAnyItemActive()) {
        bool for_box = s.focus_box || s.focus_frames > 0;  // a focus on its way
        for (int i = 0; i < q.Size; ++i) {
            if (q[i] == '/' && s.held.empty()) {
                for_box = s.focus_box = true;
                continue;
            }
            if (for_box) s.held.push_back(q[i]);
        }
        if (for_box) q.resize(0);
    } else if (s.box_active && !s.held.empty()) {
        // Before what was typed in this frame: they were typed first.
        for (size_t i = 0; i < s.held.size(); ++i) q.insert(q.Data + i, static_cast<ImWchar>(s.held[i]));
        s.held.clear();
    }
    const float sp = font_size(f.body);
    const SearchBoxMetrics m = search_box_metrics(f);
    // The clear button is submitted before the box: where they overlap, the first item
    // submitted takes the hover, so a click on the x is the button's, not the box's.
    const ImVec2 box_min(ImGui::GetWindowPos().x + box_x, ImGui::GetWindowPos().y + y);
    const ImVec2 box_max(box_min.x + box_w, box_min.y + h);
    bool cleared = false;
    semantics::open(SemanticRole::search, "Search policies", "search");
    if (s.box[0] != '\0') {
        ImGui::SetCursorScreenPos(ImVec2(box_max.x - h, box_min.y));
        cleared = ImGui::InvisibleButton("clear", ImVec2(h, h));
        note_widget(state, "Clear search");
    }
    ImGui::SetCursorPos(ImVec2(box_x, y));
    ImGui::SetNextItemWidth(box_w);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(m.text_x, (h - ImGui::GetFontSize()) * 0.5f));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, h * 0.5f);
    if (s.focus_box) {
        ImGui::SetKeyboardFocusHere();
        s.focus_box = false;
        s.focus_frames = 3;  // ImGui gives the focus in the next frame or the one after
    } else if (s.focus_frames > 0 && --s.focus_frames == 0 && !s.box_active) {
        s.held.clear();  // the focus did not come (a popup took it): those keys were for nothing
    }
    // Esc empties the box and leaves it focused. ImGui's own Esc would give up the focus
    // (and restore the text from before the edit): the box would have to take it back a
    // frame or two later, and a key typed at once, on a busy tablet, fell in between. So
    // the box does not see this Esc, and empties itself through its callback.
    const bool escape = s.box_active && ImGui::IsKeyPressedMap(ImGuiKey_Escape);
    if (escape) io.KeysDownDuration[io.KeyMap[ImGuiKey_Escape]] = 1e-4f;  // held, not pressed: not again next frame either
    auto empty_box = [](ImGuiInputTextCallbackData* data) {
        if (*static_cast<bool*>(data->UserData) && data->BufTextLen > 0) data->DeleteChars(0, data->BufTextLen);
        return 0;
    };
    bool empty_now = escape;
    ImGui::InputTextWithHint("##search", search_hint(state.touch, narrow), s.box.data(), s.box.size(),
                             ImGuiInputTextFlags_AutoSelectAll | ImGuiInputTextFlags_CallbackAlways, empty_box, &empty_now);
    ImGui::PopStyleVar(2);
    s.box_active = ImGui::IsItemActive();
    if (s.box_active) s.focus_frames = 0;
    if (SemanticNode* n = note_widget(state, "Search", SemanticRole::text_field)) {
        n->value = s.box.data();
        n->description = "Type a few words; spelling mistakes are fine";
    }
    semantics::close();
    draw->AddText(f.body, sp, ImVec2(box_min.x + m.icon_x, box_min.y + (h - sp) * 0.5f), p.muted, icon::kSearch);
    if (s.box_active) draw->AddRect(box_min, box_max, p.accent, h * 0.5f, 0, 2.0f);
    if (s.box[0] != '\0' || cleared) {
        const float cw = f.body->CalcTextSizeA(sp, FLT_MAX, 0, icon::kClose).x;
        draw->AddText(f.body, sp, ImVec2(box_max.x - (h + cw) * 0.5f, box_min.y + (h - sp) * 0.5f), p.muted, icon::kClose);
    }
    if (escape) {
        set_query(state, library, "");  // the box emptied itself and kept the focus
    } else if (cleared) {
        // The x clears the query, and the box takes the focus back (the tap took it), so the
        // next word typed starts a new query.
        s.box[0] = '\0';
        set_query(state, library, "");
        s.focus_box = true;
    } else if (std::string(s.box.data()) != s.query) {
        set_query(state, library, s.box.data());
    }
}

}  // namespace handbook::ui
