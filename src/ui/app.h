// One frame of the whole app: the top bar, the current screen in a scrolling area, and
// the route kept in step with the address bar. The host calls it between
// ImGui::NewFrame() and ImGui::Render().
#pragma once
#include "app_state.h"

namespace handbook::ui {

void draw_app(AppState& state, Library& library, const UiPlatform& platform);

// The UI state the browser's test hook exposes, as JSON: screen, query, article, hits
// (slugs of the hits on screen), widgets (label and rectangle of each clickable item).
std::string describe_for_tests(const AppState& state);

}  // namespace handbook::ui
