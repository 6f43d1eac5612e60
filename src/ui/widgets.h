// Small drawing pieces shared by the screens: buttons sized for fingers, chips, cards'
// meta lines, dates, and the record of clickable rectangles the browser test hook reads.
#pragma once
#include <imgui.h>

#include <string>
#include <string_view>

#include "app_state.h"
#include "theme.h"

namespace handbook::ui {

// Records the last ImGui item as clickable under `label` (if it is on screen).
void note_widget(AppState& state, std::string_view label);

// A button at least a finger tall; `icon` may be null. Records itself under `label`.
bool action_button(AppState& state, const char* icon, const char* label, bool enabled = true, bool primary = false);
// A square icon-only button; `name` labels it for the test hook and tooltip.
bool icon_button(AppState& state, const char* icon, const char* name);
// A rounded tag/category chip, "name  12".
bool chip(AppState& state, const std::string& name, int count, bool selected);

// "2025-10-01" or "2025-10-01T09:30:00Z" -> "1 Oct 2025"; anything else is returned as is.
std::string format_date(std::string_view iso);
// A UTC time "2026-12-04T16:50:00Z" in the device's local time: "4 Dec 2026, 17:50"
// (the C library's time zone: the browser's under Emscripten, TZ natively). Anything
// else is returned as format_date returns it.
std::string format_local_date_time(std::string_view iso_utc);

const Palette& colors(const AppState& state);
float control_height(const AppState& state);

// Text in a given font and colour, wrapped at the content width (or at `wrap_x`, in
// window coordinates, when it is not 0).
void wrapped_text(ImFont* font, ImU32 color, std::string_view text, float wrap_x = 0);

}  // namespace handbook::ui
