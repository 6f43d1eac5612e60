#include "theme.h"

namespace handbook::ui {

namespace {

constexpr ImU32 rgb(unsigned hex, unsigned alpha = 255) {
    return IM_COL32((hex >> 16) & 255, (hex >> 8) & 255, hex & 255, alpha);
}

const Palette kLight{
    rgb(0xF5F7FA), rgb(0xFFFFFF), rgb(0xEEF3FC), rgb(0xDDE3EA), rgb(0x1B2330), rgb(0x5B6575), rgb(0x1F5FD1),
    rgb(0xFFFFFF), rgb(0xE3ECFD), rgb(0xFFE27A), rgb(0x1B2330), rgb(0xB7D2FB), rgb(0xEEF1F5), rgb(0xA9C2EE),
    rgb(0xB45309),
};

const Palette kDark{
    rgb(0x10151C), rgb(0x1A212B), rgb(0x222C3A), rgb(0x2E3846), rgb(0xE5EAF1), rgb(0x9AA5B5), rgb(0x79A8FF),
    rgb(0x0E1520), rgb(0x1E2C44), rgb(0x8A6D12), rgb(0xFFF6D6), rgb(0x2F4D80), rgb(0x242D3A), rgb(0x3D5A8C),
    rgb(0xF0B45A),
};

ImVec4 vec(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

}  // namespace

const Palette& palette(bool dark) { return dark ? kDark : kLight; }

void apply_theme(bool dark, bool touch) {
    const Palette& p = palette(dark);
    ImGuiStyle style;  // fresh defaults, then ours
    style.WindowPadding = ImVec2(0, 0);
    style.WindowBorderSize = 0;
    style.WindowRounding = 0;
    style.ChildBorderSize = 0;
    style.FrameRounding = 8;
    style.FrameBorderSize = 1;
    style.PopupRounding = 8;
    style.PopupBorderSize = 1;
    style.FramePadding = ImVec2(12, touch ? 12 : 9);
    style.ItemSpacing = ImVec2(8, 8);
    style.ItemInnerSpacing = ImVec2(8, 6);
    style.ScrollbarSize = touch ? 6 : 12;
    style.ScrollbarRounding = 6;
    style.GrabRounding = 6;
    style.TouchExtraPadding = touch ? ImVec2(4, 4) : ImVec2(0, 0);
    style.CellPadding = ImVec2(10, 8);
    style.SelectableTextAlign = ImVec2(0, 0.5f);

    ImVec4* c = style.Colors;
    c[ImGuiCol_Text] = vec(p.text);
    c[ImGuiCol_TextDisabled] = vec(p.muted);
    c[ImGuiCol_WindowBg] = vec(p.background);
    c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_PopupBg] = vec(p.surface);
    c[ImGuiCol_Border] = vec(p.border);
    c[ImGuiCol_BorderShadow] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_FrameBg] = vec(p.surface);
    c[ImGuiCol_FrameBgHovered] = vec(p.surface);
    c[ImGuiCol_FrameBgActive] = vec(p.surface);
    c[ImGuiCol_Button] = vec(p.surface);
    c[ImGuiCol_ButtonHovered] = vec(p.surface_hover);
    c[ImGuiCol_ButtonActive] = vec(p.accent_soft);
    c[ImGuiCol_Header] = vec(p.accent_soft);
    c[ImGuiCol_HeaderHovered] = vec(p.surface_hover);
    c[ImGuiCol_HeaderActive] = vec(p.accent_soft);
    c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_ScrollbarGrab] = vec(p.border);
    c[ImGuiCol_ScrollbarGrabHovered] = vec(p.muted);
    c[ImGuiCol_ScrollbarGrabActive] = vec(p.muted);
    c[ImGuiCol_Separator] = vec(p.border);
    c[ImGuiCol_TableHeaderBg] = vec(p.code_background);
    c[ImGuiCol_TableBorderStrong] = vec(p.border);
    c[ImGuiCol_TableBorderLight] = vec(p.border);
    c[ImGuiCol_TableRowBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_TableRowBgAlt] = vec(p.code_background);
    c[ImGuiCol_TextSelectedBg] = vec(p.selection);
    c[ImGuiCol_NavHighlight] = vec(p.accent);
    c[ImGuiCol_CheckMark] = vec(p.accent);
    ImGui::GetStyle() = style;
}

}  // namespace handbook::ui
