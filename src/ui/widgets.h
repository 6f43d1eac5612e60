// Small drawing pieces shared by the screens: buttons sized for fingers, chips, cards'
// meta lines, dates, and the record of clickable rectangles the browser test hook reads.
#pragma once
#include <imgui.h>

#include <string>
#include <string_view>

#include "app_state.h"
#include "theme.h"

namespace handbook::ui {

// Describes the last ImGui item in the semantics tree as a control (a button unless said
// otherwise) named `label`: the twin mirrors it, the test hook lists it when on screen.
SemanticNode* note_widget(AppState& state, std::string_view label, SemanticRole role = SemanticRole::button);

// A button at least a finger tall; `icon` may be null. Records itself under `label`.
bool action_button(AppState& state, const char* icon, const char* label, bool enabled = true, bool primary = false);
// A square icon-only button; `name` labels it for the test hook and tooltip.
bool icon_button(AppState& state, const char* icon, const char* name);
// A rounded tag/category chip, "name  12".
// `target`: the route the chip goes to, for the accessible twin's link.
bool chip(AppState& state, const std::string& name, int count, bool selected, const std::string& target);

// "2025-10-01" or "2025-10-01T09:30:00Z" -> "1 Oct 2025"; anything else is returned as is.
std::string format_date(std::string_view iso);
// A UTC time "2026-12-04T16:50:00Z" in the device's local time: "4 Dec 2026, 17:50"
// (the C library's time zone: the browser's under Emscripten, TZ natively). Anything
// else is returned as format_date returns it.
std::string format_local_date_time(std::string_view iso_utc);

const Palette& colors(const AppState& state);
float control_height(const AppState& state);

// Text in a given font and colour, wrapped at the content width (or at `wrap_x`, in
// window coordinates, when it is not 0), described in the semantics tree as a paragraph
// (or a heading of `level`, or any other role).
SemanticNode* wrapped_text(ImFont* font, ImU32 color, std::string_view text, float wrap_x = 0,
                           SemanticRole role = SemanticRole::paragraph, int level = 0);

// The "back" row of a screen: an arrow button that goes to `screen` (with `slug`, for an
// article or a report) the way a tap on a link does. True when pressed: the caller's
// frame ends there.
bool back_button(AppState& state, Library& library, const UiPlatform& platform, const char* label, Screen screen,
                 const std::string& slug = {});

// wrap_x for wrapped_text that ends at the right edge of a column `width` wide, starting
// at the cursor (wrap_x 0 is the window's edge, past a centred column's).
inline float column_wrap(float width) { return ImGui::GetCursorPosX() + width; }

// A row of a list screen (My drafts, What's new): the title as a link, a muted line under
// it, and a warning line if any; true when the title was chosen. `key`: unique in the list.
bool list_row(AppState& state, const std::string& title, const std::string& line, const std::string& warning, const std::string& key);

}  // namespace handbook::ui
