// The screens, one free function each, drawn inside the main scrolling area (the top
// bar is above it). Each reads AppState, draws, and calls app_actions on taps.
#pragma once
#include "app_state.h"

namespace handbook::ui {

void draw_top_bar(AppState& state, Library& library, const UiPlatform& platform, float height);
void draw_home_screen(AppState& state, Library& library, float width);
void draw_search_screen(AppState& state, Library& library, float width);
void draw_reader_screen(AppState& state, Library& library, const UiPlatform& platform, float width);

}  // namespace handbook::ui
