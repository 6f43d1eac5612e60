// Browser input -> Dear ImGui 1.86, without GLFW (whose 3.1.6 port loses touch
// positions and text). Implements: mouse, wheel, touch (first finger acts as the mouse),
// keys with modifiers, typed text, and an event queue that hands ImGui at most one
// button/key change per frame: 1.86 predates ImGui's own input queue, so a press and
// release in one frame, or a move and a press in one frame, would be missed or land at
// the old position.
// Browser shortcuts stay the browser's: Alt+Left/Right (and Cmd+Left/Right outside a
// text field) go back and forward in the history, not to the app.
// Touch: the first finger acts as the mouse; a second one makes it a pinch, which steps the
// text size (the app's setting, re-laid sharp, not the browser's blurry zoom of a canvas).
// Known limitations: no third finger;
// keys are identified by DOM keyCode, so only the keys ImGui 1.86 maps are delivered.
#pragma once
#include <string>

struct ImGuiIO;

namespace handbook::web {

struct InputHooks {
    void (*wake)() = nullptr;      // schedule frames (a move, wheel)
    void (*pump)() = nullptr;      // run frames now, inside the event (a press, a key, text)
    void (*touch_mode)(bool) = nullptr;  // the last pointer was a finger (true) or a mouse
    void (*cancel_press)() = nullptr;    // a pinch began: the first finger's press is no tap
    void (*pinch)(int step) = nullptr;   // the pinch spread (+1) or closed (-1) by a step
};

void install_input(const InputHooks& hooks);
// Feeds the next frame's share of queued events into io. Returns true if events remain.
bool apply_queued_input(ImGuiIO& io);
bool has_queued_input();
// Text from the hidden input (typed, composed, pasted).
void queue_text(const std::string& utf8);
// A key pressed and released (DOM key code) that came as an edit, not a key event.
void queue_key_press(int dom_key_code);
// A click at (x, y) (CSS pixels): what the accessible twin's actions become, so a control
// activated from the page does exactly what a tap on it does.
void queue_tap(float x, float y);

}  // namespace handbook::web
