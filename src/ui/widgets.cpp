#include "widgets.h"

#include <imgui_internal.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "app_actions.h"
#include "fonts.h"
#include "icons.h"

namespace handbook::ui {

namespace {
const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
}  // namespace

const Palette& colors(const AppState& state) { return palette(state.settings.dark); }

float control_height(const AppState& state) { return state.touch ? kTouchTarget : 40.0f; }

SemanticNode* note_widget(AppState&, std::string_view label, SemanticRole role) { return semantics::item(role, label); }

std::vector<WidgetRect> visible_widgets(const SemanticsTree& tree) {
    std::vector<WidgetRect> out;
    for (int i = 0; i < tree.size; ++i) {
        const SemanticNode& n = tree.nodes[static_cast<size_t>(i)];
        if (n.focusable && n.visible && !n.disabled) out.push_back({n.name, n.vx, n.vy, n.vw, n.vh});
    }
    return out;
}

bool action_button(AppState& state, const char* icon, const char* label, bool enabled, bool primary) {
    const Palette& p = colors(state);
    std::string text = icon ? std::string(icon) + "  " + label : std::string(label);
    ImVec2 size = ImGui::CalcTextSize(text.c_str());
    float h = control_height(state);
    ImGui::PushID(label);
    if (!enabled) ImGui::BeginDisabled();
    if (primary) {
        ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(p.accent));
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImGui::ColorConvertU32ToFloat4(p.accent));
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(p.accent_text));
    }
    bool pressed = ImGui::Button(text.c_str(), ImVec2(size.x + 28, h));
    if (primary) ImGui::PopStyleColor(3);
    if (!enabled) ImGui::EndDisabled();
    ImGui::PopID();
    // A disabled button is still there for a screen reader, said as unavailable.
    if (SemanticNode* n = note_widget(state, label)) n->disabled = !enabled;
    return pressed && enabled;
}

bool icon_button(AppState& state, const char* icon, const char* name) {
    float h = control_height(state);
    ImGui::PushID(name);
    bool pressed = ImGui::Button(icon, ImVec2(h, h));
    ImGui::PopID();
    if (ImGui::IsItemHovered() && !state.touch) ImGui::SetTooltip("%s", name);
    note_widget(state, name);
    return pressed;
}

bool chip(AppState& state, const std::string& name, int count, bool selected, const std::string& target) {
    const Palette& p = colors(state);
    ImFont* font = state.fonts.small ? state.fonts.small : ImGui::GetFont();
    std::string count_text = count > 0 ? std::to_string(count) : std::string{};
    float px = font_size(font);
    float name_w = font->CalcTextSizeA(px, FLT_MAX, 0, name.c_str()).x;
    float count_w = count_text.empty() ? 0 : font->CalcTextSizeA(px, FLT_MAX, 0, count_text.c_str()).x + 8;
    float h = state.touch ? kTouchTarget : 34.0f;
    ImVec2 size(name_w + count_w + 28, h);
    ImGui::PushID(name.c_str());
    bool pressed = ImGui::InvisibleButton("chip", size);
    ImGui::PopID();
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    float inset = state.touch ? 4.0f : 0.0f;  // the tap area is taller than the pill
    ImVec2 pa(a.x, a.y + inset), pb(b.x, b.y - inset);
    bool hovered = ImGui::IsItemHovered();
    draw->AddRectFilled(pa, pb, selected ? p.accent : hovered ? p.surface_hover : p.surface, (pb.y - pa.y) * 0.5f);
    if (!selected) draw->AddRect(pa, pb, p.border, (pb.y - pa.y) * 0.5f);
    float ty = a.y + (h - px) * 0.5f - 1;
    draw->AddText(font, px, ImVec2(a.x + 14, ty), selected ? p.accent_text : p.text, name.c_str());
    if (!count_text.empty())
        draw->AddText(font, px, ImVec2(a.x + 14 + name_w + 8, ty), selected ? p.accent_text : p.muted, count_text.c_str());
    if (SemanticNode* n = note_widget(state, name, SemanticRole::link)) {
        n->checked = selected;
        n->target = target;
        if (count > 0) n->description = std::to_string(count) + (count == 1 ? " policy" : " policies");
    }
    return pressed;
}

std::string format_date(std::string_view iso) {
    if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return std::string(iso);
    int y = 0, m = 0, d = 0;
    if (std::sscanf(std::string(iso.substr(0, 10)).c_str(), "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12)
        return std::string(iso);
    char out[32];
    std::snprintf(out, sizeof out, "%d %s %d", d, kMonths[m - 1], y);
    return out;
}

std::string format_local_date_time(std::string_view iso_utc) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    char zone = 0;
    if (iso_utc.size() < 20 ||
        std::sscanf(std::string(iso_utc).c_str(), "%d-%d-%dT%d:%d:%d%c", &y, &mo, &d, &h, &mi, &sec, &zone) != 7 || zone != 'Z' ||
        mo < 1 || mo > 12)
        return format_date(iso_utc);
    std::tm utc{};
    utc.tm_year = y - 1900;
    utc.tm_mon = mo - 1;
    utc.tm_mday = d;
    utc.tm_hour = h;
    utc.tm_min = mi;
    utc.tm_sec = sec;
    const std::time_t t = timegm(&utc);
    std::tm local{};
    if (t == static_cast<std::time_t>(-1) || !localtime_r(&t, &local)) return format_date(iso_utc);
    char out[48];
    std::snprintf(out, sizeof out, "%d %s %d, %02d:%02d", local.tm_mday, kMonths[local.tm_mon % 12], local.tm_year + 1900,
                  local.tm_hour, local.tm_min);
    return out;
}

SemanticNode* wrapped_text(ImFont* font, ImU32 color, std::string_view text, float wrap_x, SemanticRole role, int level) {
    if (font) ImGui::PushFont(font);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(color));
    ImGui::PushTextWrapPos(wrap_x);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    if (font) ImGui::PopFont();
    SemanticNode* n = semantics::item(role, text);
    if (n) {
        n->focusable = false;
        n->level = static_cast<uint8_t>(level);
    }
    return n;
}

// A card-like row: title as a link-button, a line under it.
bool list_row(AppState& state, const std::string& title, const std::string& line, const std::string& warning, const std::string& key) {
    const Palette& p = colors(state);
    ImGui::PushID(key.c_str());
    ImGui::PushFont(state.fonts.bold);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(p.accent));
    const bool open = ImGui::Selectable(title.empty() ? "(untitled)" : title.c_str(), false, 0, ImVec2(0, 0));
    ImGui::PopStyleColor();
    ImGui::PopFont();
    note_widget(state, title.empty() ? "(untitled)" : title, SemanticRole::link);
    wrapped_text(state.fonts.small, p.muted, line);
    if (!warning.empty()) wrapped_text(state.fonts.small, p.warning, warning);
    ImGui::Dummy(ImVec2(1, 10));
    ImGui::PopID();
    return open;
}

bool back_button(AppState& state, Library& library, const UiPlatform& platform, const char* label, Screen screen,
                 const std::string& slug) {
    if (!action_button(state, icon::kArrowLeft, label)) return false;
    Route to;
    to.screen = screen;
    to.slug = slug;
    navigate(state, library, to, platform);
    return true;
}

}  // namespace handbook::ui
