// What the user can do, as functions over AppState: the screens call them on taps and
// keys, the host calls them on hash changes and after new content arrives. None draws.
#pragma once
#include <string>

#include "app_state.h"

namespace handbook::ui {

// Runs the search for `text` with the current filters; switches to the search screen
// (or home when text and filters are empty).
void set_query(AppState& state, Library& library, std::string text);
void set_filters(AppState& state, Library& library, std::string category, std::string tag);
void open_article(AppState& state, Library& library, const std::string& slug);
// Shows the open article's version to come `version` (one of ReaderState::upcoming), or
// the version in force again (0).
void read_upcoming_version(AppState& state, int version);
// Shows the open article as it was in force on `date` (YYYY-MM-DD), from the versions the
// device holds; "" shows today's version again. Says why when it cannot.
void read_as_in_force(AppState& state, Library& library, const std::string& date);
void go_home(AppState& state, Library& library);
// The sign-in screen (a fresh form; back goes where the person was).
void open_sign_in(AppState& state);

// Follows a route from the address bar (load, back/forward, pasted link) or a tap. Leaving
// the editor with changes typed asks first (and does not go yet).
void apply_route(AppState& state, Library& library, const Route& route, const UiPlatform& platform);
Route current_route(const AppState& state);
// A tap that goes somewhere: as apply_route, and the address bar follows (a history entry).
void navigate(AppState& state, Library& library, const Route& route, const UiPlatform& platform);

// Re-reads everything shown after the store changed (the change feed was applied).
void refresh_content(AppState& state, Library& library);
void load_home(AppState& state, Library& library);

// The finger that is down is no longer a press (a second finger made it a pinch): no
// tap, no scroll, no selection comes of it.
void cancel_pointer_press(AppState& state);

// A step bigger (+1) or smaller (-1) text, as the display settings' A+/A- do (a pinch on
// a tablet): saved, and the screen re-laid at the new size. False at either end.
bool step_text_size(AppState& state, const UiPlatform& platform, int step);

// Copies to the clipboard through the platform and shows a short confirmation.
void copy_with_toast(AppState& state, const UiPlatform& platform, const std::string& text, const std::string& toast);

}  // namespace handbook::ui
