// Light and dark themes: the palette the screens draw with, and ImGui's style set from
// it. Sizes are CSS pixels; touch mode makes every control at least 44 px tall.
#pragma once
#include <imgui.h>

namespace handbook::ui {

struct Palette {
    ImU32 background, surface, surface_hover, border, text, muted, accent, accent_text, accent_soft, highlight,
        highlight_text, selection, code_background, quote_bar, warning;
};

const Palette& palette(bool dark);

// Applies colours and sizes to ImGui's current style.
void apply_theme(bool dark, bool touch);

inline constexpr float kTouchTarget = 44.0f;

}  // namespace handbook::ui
