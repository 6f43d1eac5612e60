// The bar above every screen: the brand (home), the search box, display settings and
// the sync status. The search box is where typing goes from anywhere ('/' focuses it).
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cstdio>

#include "app_actions.h"
#include "fonts.h"
#include "icons.h"
#include "screens.h"
#include "widgets.h"

namespace handbook::ui {

namespace {

void draw_display_popup(AppState& state, const UiPlatform& platform) {
    if (!ImGui::BeginPopup("display")) return;
    Settings before = state.settings;
    ImGui::Dummy(ImVec2(260, 4));
    ImGui::Indent(12);
    wrapped_text(state.fonts.small_bold, colors(state).muted, "THEME");
    if (action_button(state, icon::kSun, "Light", true, !state.settings.dark)) state.settings.dark = false;
    ImGui::SameLine();
    if (action_button(state, icon::kMoon, "Dark", true, state.settings.dark)) state.settings.dark = true;
    ImGui::Dummy(ImVec2(1, 4));
    wrapped_text(state.fonts.small_bold, colors(state).muted, "TEXT SIZE");
    if (action_button(state, nullptr, "A-", state.settings.text_size > 0)) state.settings.text_size--;
    ImGui::SameLine();
    char percent[16];
    std::snprintf(percent, sizeof percent, "%d%%", static_cast<int>(kTextScales[state.settings.text_size] * 100 + 0.5f));
    ImVec2 at = ImGui::GetCursorScreenPos();
    float px = ImGui::GetFontSize();
    ImGui::GetWindowDrawList()->AddText(ImVec2(at.x + 4, at.y + (control_height(state) - px) * 0.5f), colors(state).text, percent);
    ImGui::Dummy(ImVec2(ImGui::CalcTextSize("150%").x + 8, control_height(state)));
    ImGui::SameLine();
    if (action_button(state, nullptr, "A+", state.settings.text_size + 1 < kTextSizeCount)) state.settings.text_size++;
    ImGui::Unindent(12);
    ImGui::Dummy(ImVec2(1, 8));
    if (state.settings.dark != before.dark || state.settings.text_size != before.text_size) {
        state.settings_changed = true;
        if (platform.save_settings) platform.save_settings(state.settings);
    }
    ImGui::EndPopup();
}

}  // namespace

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
    note_widget(state, "Handbook");
    ImVec2 b = ImGui::GetItemRectMin();
    float icon_px = font_size(f.h3);
    draw->AddText(f.h3, icon_px, ImVec2(b.x, b.y + (h - icon_px) * 0.5f), p.accent, icon::kBook);
    if (!narrow) draw->AddText(f.h3, icon_px, ImVec2(b.x + icon_px * 1.3f, b.y + (h - icon_px) * 0.5f), p.text, brand);

    // Right side: status and display settings.
    float right = width - pad;
    float status_w = 0;
    // Content not confirmed fresh for a while says so first: the date matters more at the
    // counter than whether the network is there right now.
    const std::string as_of = state.sync.as_of.empty() ? "" : (narrow ? "As of " : "Policies as of ") + state.sync.as_of;
    const bool stale = !as_of.empty();
    const char* status = stale ? as_of.c_str() : state.sync.offline ? "Offline" : state.sync.syncing ? "Updating" : nullptr;
    if (status) status_w = ImGui::CalcTextSize(status).x + font_size(f.small) * 2.6f;
    float settings_x = right - h;
    float box_x = b.x + brand_w + (narrow ? 10 : 24);
    float box_right = settings_x - 10 - (status ? status_w + 10 : 0);
    float box_w = std::min(box_right - box_x, 680.0f);

    // Search box: an icon drawn inside, room for it in the padding.
    SearchState& s = state.search;
    // '/' anywhere focuses search (and is not typed into it).
    if (!s.box_active && !ImGui::IsAnyItemActive()) {
        auto& q = ImGui::GetCurrentContext()->IO.InputQueueCharacters;
        for (int i = 0; i < q.Size; ++i) {
            if (q[i] == '/') {
                q.erase(q.Data + i);
                s.focus_box = true;
                break;
            }
        }
    }
    ImGui::SetCursorPos(ImVec2(box_x, y));
    ImGui::SetNextItemWidth(box_w);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(40, (h - ImGui::GetFontSize()) * 0.5f));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, h * 0.5f);
    if (s.focus_box) {
        ImGui::SetKeyboardFocusHere();
        s.focus_box = false;
    }
    const bool escape = s.box_active && ImGui::IsKeyPressedMap(ImGuiKey_Escape);
    ImGui::InputTextWithHint("##search", narrow ? "Search policies" : "Search policies   ( / )", s.box.data(), s.box.size(),
                             ImGuiInputTextFlags_AutoSelectAll);
    ImGui::PopStyleVar(2);
    s.box_active = ImGui::IsItemActive();
    note_widget(state, "Search");
    ImVec2 box_min = ImGui::GetItemRectMin(), box_max = ImGui::GetItemRectMax();
    float sp = font_size(f.body);
    draw->AddText(f.body, sp, ImVec2(box_min.x + 15, box_min.y + (h - sp) * 0.5f), p.muted, icon::kSearch);
    if (s.box_active) draw->AddRect(box_min, box_max, p.accent, h * 0.5f, 0, 2.0f);
    if (escape) {
        // Esc clears the query (ImGui's own Esc would restore the text from before the edit).
        s.box[0] = '\0';
        set_query(state, library, "");
        s.focus_box = true;
    } else if (std::string(s.box.data()) != s.query) {
        set_query(state, library, s.box.data());
    }
    // Clear button inside the box, at its right end.
    if (s.box[0] != '\0') {
        ImGui::SetCursorScreenPos(ImVec2(box_max.x - h, box_min.y));
        if (ImGui::InvisibleButton("clear", ImVec2(h, h))) {
            s.box[0] = '\0';
            set_query(state, library, "");
            s.focus_box = true;
        }
        note_widget(state, "Clear search");
        draw->AddText(f.body, sp, ImVec2(box_max.x - h * 0.5f - sp * 0.35f, box_min.y + (h - sp) * 0.5f), p.muted, icon::kClose);
    }

    if (status) {
        ImVec2 a(settings_x - 10 - status_w, y + 6);
        ImVec2 z(settings_x - 10, y + h - 6);
        ImU32 c = state.sync.offline || stale ? p.warning : p.muted;
        draw->AddRect(a, z, c, (z.y - a.y) * 0.5f);
        float px = font_size(f.small);
        draw->AddText(f.small, px, ImVec2(a.x + px * 0.8f, a.y + (z.y - a.y - px) * 0.5f), c,
                      state.sync.offline ? icon::kWifi : icon::kRefresh);
        draw->AddText(f.small, px, ImVec2(a.x + px * 2.2f, a.y + (z.y - a.y - px) * 0.5f), c, status);
        ImGui::SetCursorScreenPos(a);
        ImGui::InvisibleButton("status", ImVec2(z.x - a.x, z.y - a.y));
        if (stale) note_widget(state, as_of);
        if (ImGui::IsItemHovered() && !state.sync.message.empty()) ImGui::SetTooltip("%s", state.sync.message.c_str());
    }

    ImGui::SetCursorPos(ImVec2(settings_x, y));
    if (icon_button(state, icon::kFont, "Display settings")) ImGui::OpenPopup("display");
    draw_display_popup(state, platform);
}

}  // namespace handbook::ui
