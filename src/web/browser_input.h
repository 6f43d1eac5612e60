// Browser input -> Dear ImGui 1.86, without GLFW (whose 3.1.6 port loses touch
// positions and text). Implements: mouse, wheel, touch (first finger acts as the mouse),
// keys with modifiers, typed text, and an event queue that hands ImGui at most one
// button/key change per frame: 1.86 predates ImGui's own input queue, so a press and
// release in one frame, or a move and a press in one frame, would be missed or land at
// the old position.
// Browser shortcuts stay the browser's: Alt+Left/Right (and Cmd+Left/Right outside a
// text field) go back and forward in the history, not to the app.
// Known limitations: one finger only (no pinch zoom: the text-size setting replaces it);
// keys are identified by DOM keyCode, so only the keys ImGui 1.86 maps are delivered.
#pragma once
#include <string>

struct ImGuiIO;

namespace handbook::web {

struct InputHooks {
    void (*wake)() = nullptr;      // schedule frames (a move, wheel)
    void (*pump)() = nullptr;      // run frames now, inside the event (a press, a key, text)
    void (*touch_mode)(bool) = nullptr;  // the last pointer was a finger (true) or a mouse
};

void install_input(const InputHooks& hooks);
// Feeds the next frame's share of queued events into io. Returns true if events remain.
bool apply_queued_input(ImGuiIO& io);
bool has_queued_input();
// Text from the hidden input (typed, composed, pasted).
void queue_text(const std::string& utf8);
// A key pressed and released (DOM key code) that came as an edit, not a key event.
void queue_key_press(int dom_key_code);

}  // namespace handbook::web
