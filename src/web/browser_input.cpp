// Browser input for ImGui 1.86 through emscripten/html5.h callbacks; see the header for
// what it implements and its limitations. The canvas fills the window, so client
// coordinates are canvas coordinates in CSS pixels (ImGui's units here).
#include "browser_input.h"

#include <emscripten/html5.h>
#include <imgui.h>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <deque>

namespace handbook::web {

namespace {

struct InputEvent {
    enum Kind { position, button, wheel, key, text, modifiers } kind = position;
    float x = 0, y = 0;
    int button_index = 0;
    bool down = false;
    int key_code = 0;
    std::string chars;
    bool ctrl = false, shift = false, alt = false, super = false;
};

std::deque<InputEvent> g_queue;
InputHooks g_hooks;
long g_touch_id = -1;
// A pinch: a second finger while the first is down. Its spread steps the text size.
long g_pinch_id = -1;
bool g_pinching = false;      // until every finger is up
float g_first_x = 0, g_first_y = 0, g_second_x = 0, g_second_y = 0;
float g_pinch_base = 0;       // the fingers' distance at the last step
constexpr float kPinchStep = 1.2f;  // spread (or closed) by a fifth: one text size
const char* kCanvas = "#canvas";

void push(InputEvent e) { g_queue.push_back(std::move(e)); }

void wake() {
    if (g_hooks.wake) g_hooks.wake();
}
void pump() {
    if (g_hooks.pump) g_hooks.pump();
}

InputEvent position_event(float x, float y) {
    InputEvent e;
    e.kind = InputEvent::position;
    e.x = x;
    e.y = y;
    return e;
}

InputEvent button_event(int button, bool down) {
    InputEvent e;
    e.kind = InputEvent::button;
    e.button_index = button;
    e.down = down;
    return e;
}

int imgui_button(unsigned short dom_button) {
    switch (dom_button) {
    case 0: return 0;
    case 1: return 2;  // middle
    case 2: return 1;  // right
    default: return -1;
    }
}

EM_BOOL on_mouse(int type, const EmscriptenMouseEvent* e, void*) {
    float x = static_cast<float>(e->clientX), y = static_cast<float>(e->clientY);
    switch (type) {
    case EMSCRIPTEN_EVENT_MOUSEMOVE:
        push(position_event(x, y));
        wake();
        return EM_FALSE;
    case EMSCRIPTEN_EVENT_MOUSEDOWN: {
        int b = imgui_button(e->button);
        if (b < 0) return EM_FALSE;
        if (g_hooks.touch_mode) g_hooks.touch_mode(false);
        push(position_event(x, y));
        push(button_event(b, true));
        pump();
        return EM_TRUE;  // keeps the hidden text input focused
    }
    case EMSCRIPTEN_EVENT_MOUSEUP: {
        int b = imgui_button(e->button);
        if (b < 0) return EM_FALSE;
        push(position_event(x, y));
        push(button_event(b, false));
        pump();
        return EM_FALSE;
    }
    case EMSCRIPTEN_EVENT_MOUSELEAVE:
        push(position_event(-FLT_MAX, -FLT_MAX));
        wake();
        return EM_FALSE;
    default:
        return EM_FALSE;
    }
}

EM_BOOL on_wheel(int, const EmscriptenWheelEvent* e, void*) {
    InputEvent w;
    w.kind = InputEvent::wheel;
    // ImGui scrolls about 5 lines per unit; pixel deltas (most devices) ~100 per notch.
    double scale = e->deltaMode == DOM_DELTA_PIXEL ? 1.0 / 100.0 : e->deltaMode == DOM_DELTA_LINE ? 1.0 / 3.0 : 1.0;
    w.x = static_cast<float>(-e->deltaX * scale);
    w.y = static_cast<float>(-e->deltaY * scale);
    push(position_event(static_cast<float>(e->mouse.clientX), static_cast<float>(e->mouse.clientY)));
    push(std::move(w));
    wake();
    return EM_TRUE;
}

float finger_distance() { return std::hypot(g_second_x - g_first_x, g_second_y - g_first_y); }

// Two fingers spreading or closing: a text size step each time the distance changes by
// kPinchStep, measured from the last step.
void follow_pinch() {
    const float d = finger_distance();
    if (g_pinch_base < 1 || !g_hooks.pinch) return;
    if (d > g_pinch_base * kPinchStep) {
        g_hooks.pinch(1);
        g_pinch_base = d;
    } else if (d < g_pinch_base / kPinchStep) {
        g_hooks.pinch(-1);
        g_pinch_base = d;
    }
}

EM_BOOL on_touch(int type, const EmscriptenTouchEvent* e, void*) {
    for (int i = 0; i < e->numTouches; ++i) {
        const EmscriptenTouchPoint& t = e->touches[i];
        if (!t.isChanged) continue;
        float x = static_cast<float>(t.clientX), y = static_cast<float>(t.clientY);
        if (type == EMSCRIPTEN_EVENT_TOUCHSTART) {
            if (g_touch_id != -1 || g_pinching) {
                // A second finger: a pinch begins; the first finger's press is cancelled.
                if (g_pinch_id != -1 || g_touch_id == -1) continue;  // a third: ignored
                g_pinch_id = t.identifier;
                g_second_x = x;
                g_second_y = y;
                g_pinch_base = finger_distance();
                if (!g_pinching) {
                    // The first finger lets go, away from everything, once the app has
                    // forgotten its press (no tap, no long-press selection while pinching).
                    if (g_hooks.cancel_press) g_hooks.cancel_press();
                    push(position_event(-FLT_MAX, -FLT_MAX));
                    push(button_event(0, false));
                    pump();
                }
                g_pinching = true;
                continue;
            }
            g_touch_id = t.identifier;
            g_first_x = x;
            g_first_y = y;
            if (g_hooks.touch_mode) g_hooks.touch_mode(true);
            push(position_event(x, y));  // position first, press in the next frame
            push(button_event(0, true));
            pump();
        } else if (t.identifier == g_pinch_id) {
            if (type == EMSCRIPTEN_EVENT_TOUCHMOVE) {
                g_second_x = x;
                g_second_y = y;
                follow_pinch();
            } else {
                g_pinch_id = -1;
                g_pinching = g_touch_id != -1;
            }
        } else if (t.identifier == g_touch_id) {
            if (type == EMSCRIPTEN_EVENT_TOUCHMOVE) {
                g_first_x = x;
                g_first_y = y;
                if (g_pinching) {
                    follow_pinch();
                } else {
                    push(position_event(x, y));
                    wake();
                }
            } else {  // end or cancel
                g_touch_id = -1;
                if (g_pinching) {  // released when the pinch began
                    g_pinching = g_pinch_id != -1;
                    continue;
                }
                push(position_event(x, y));
                push(button_event(0, false));
                push(position_event(-FLT_MAX, -FLT_MAX));  // no hover left behind by a finger
                pump();
            }
        }
    }
    return EM_TRUE;  // no emulated mouse events, no browser scrolling or zoom of the canvas
}

bool is_printable(const EmscriptenKeyboardEvent* e) {
    // DOM "key" is the character for printable keys ("a", "/", "é"), a name otherwise ("Enter").
    size_t n = std::strlen(e->key);
    if (n == 0 || n > 4) return false;
    unsigned char c = static_cast<unsigned char>(e->key[0]);
    size_t expect = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    return expect == n && c >= 0x20;
}

EM_BOOL on_key(int type, const EmscriptenKeyboardEvent* e, void*) {
    bool down = type == EMSCRIPTEN_EVENT_KEYDOWN;
    InputEvent k;
    k.kind = InputEvent::key;
    k.key_code = static_cast<int>(e->keyCode);
    k.down = down;
    k.ctrl = e->ctrlKey;
    k.shift = e->shiftKey;
    k.alt = e->altKey;
    k.super = e->metaKey;
    const bool shortcut = e->ctrlKey || e->metaKey;
    // 0: the page's own controls have focus (the shell's Reload button): their keys are theirs.
    // 1: the app (canvas or body). 2: a text agent (the hidden input, a twin text field).
    // 3: another element of the accessible twin (a link, a button).
    // +4: the twin is on (then Tab is the browser's: it moves along the twin's elements).
    int focus = EM_ASM_INT({
        const e = document.activeElement;
        const twin = Module.hbTwin ? 4 : 0;
        if (!e || e === document.body || e === Module.canvas) return 1 + twin;
        if (e.dataset && e.dataset.agent) {
            // A twin field the keyboard is on takes the key even when the app let go of the
            // field meanwhile (Enter in a form ends the edit; the page's focus stays).
            if (e.dataset.twin) _handbook_twin_focused(Number(e.dataset.twin));
            return 2 + twin;
        }
        return (e.dataset && e.dataset.twin ? 3 : 0) + twin;
    });
    if ((focus & 3) == 0) return EM_FALSE;
    if ((focus & 4) && k.key_code == 9) return EM_FALSE;
    // On a twin link or button, activation and movement are the browser's (Enter and
    // Space click it, arrows and paging scroll the twin's main area, which the canvas
    // follows); other keys (Escape, typing to search) are the app's as anywhere else.
    if ((focus & 3) == 3) {
        switch (k.key_code) {
        case 13: case 32: case 33: case 34: case 35: case 36: case 37: case 38: case 39: case 40: return EM_FALSE;
        default: break;
        }
    }
    focus &= 3;
    const bool text_focused = focus == 2;
    // History navigation is the browser's: Alt+Left/Right, Cmd+Left/Right (Mac) where no
    // text field would take them as "start/end of line". Neither reaches the app.
    const bool arrow = k.key_code == 37 || k.key_code == 39;
    if (arrow && !e->ctrlKey && (e->altKey || (e->metaKey && !text_focused))) return EM_FALSE;
    if (shortcut && (k.key_code == 86)) return EM_FALSE;  // Ctrl/Cmd+V: the browser's paste event delivers the text
    if (k.key_code > 0 && k.key_code < 512) push(k);
    if (down && !shortcut && is_printable(e)) {
        // Printable keys: the hidden input's `input` event brings the text when it has
        // focus (that path handles accents and IMEs); otherwise take it from the key.
        if (text_focused) {
            if (down) pump();
            return EM_FALSE;
        }
        InputEvent t;
        t.kind = InputEvent::text;
        t.chars = e->key;
        push(std::move(t));
        pump();
        return EM_TRUE;
    }
    pump();
    // The editor's shortcuts (bold, italic, heading, link) in a text field are the app's,
    // not the browser's (Ctrl+H would open the browser's history, Ctrl+K its search).
    if (text_focused && shortcut && (k.key_code == 66 || k.key_code == 73 || k.key_code == 72 || k.key_code == 75)) return EM_TRUE;
    switch (k.key_code) {
    case 8: case 9: case 13: case 27: case 33: case 34: case 35: case 36: case 37: case 38: case 39: case 40:
        return EM_TRUE;  // Backspace, Tab, Enter, Esc, paging and arrows belong to the app
    default:
        return EM_FALSE;
    }
}

}  // namespace

void install_input(const InputHooks& hooks) {
    g_hooks = hooks;
    emscripten_set_mousedown_callback(kCanvas, nullptr, EM_FALSE, on_mouse);
    emscripten_set_mousemove_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_mouse);
    emscripten_set_mouseup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_mouse);
    emscripten_set_mouseleave_callback(kCanvas, nullptr, EM_FALSE, on_mouse);
    emscripten_set_wheel_callback(kCanvas, nullptr, EM_FALSE, on_wheel);
    emscripten_set_touchstart_callback(kCanvas, nullptr, EM_FALSE, on_touch);
    emscripten_set_touchmove_callback(kCanvas, nullptr, EM_FALSE, on_touch);
    emscripten_set_touchend_callback(kCanvas, nullptr, EM_FALSE, on_touch);
    emscripten_set_touchcancel_callback(kCanvas, nullptr, EM_FALSE, on_touch);
    emscripten_set_keydown_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_key);
    emscripten_set_keyup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_key);

    ImGuiIO& io = ImGui::GetIO();
    // DOM keyCodes index io.KeysDown.
    io.KeyMap[ImGuiKey_Tab] = 9;
    io.KeyMap[ImGuiKey_LeftArrow] = 37;
    io.KeyMap[ImGuiKey_RightArrow] = 39;
    io.KeyMap[ImGuiKey_UpArrow] = 38;
    io.KeyMap[ImGuiKey_DownArrow] = 40;
    io.KeyMap[ImGuiKey_PageUp] = 33;
    io.KeyMap[ImGuiKey_PageDown] = 34;
    io.KeyMap[ImGuiKey_Home] = 36;
    io.KeyMap[ImGuiKey_End] = 35;
    io.KeyMap[ImGuiKey_Insert] = 45;
    io.KeyMap[ImGuiKey_Delete] = 46;
    io.KeyMap[ImGuiKey_Backspace] = 8;
    io.KeyMap[ImGuiKey_Space] = 32;
    io.KeyMap[ImGuiKey_Enter] = 13;
    io.KeyMap[ImGuiKey_Escape] = 27;
    io.KeyMap[ImGuiKey_KeyPadEnter] = 13;
    io.KeyMap[ImGuiKey_A] = 65;
    io.KeyMap[ImGuiKey_C] = 67;
    io.KeyMap[ImGuiKey_V] = 86;
    io.KeyMap[ImGuiKey_X] = 88;
    io.KeyMap[ImGuiKey_Y] = 89;
    io.KeyMap[ImGuiKey_Z] = 90;
}

void queue_text(const std::string& utf8) {
    InputEvent t;
    t.kind = InputEvent::text;
    t.chars = utf8;
    push(std::move(t));
}

void queue_key_press(int dom_key_code) {
    if (dom_key_code <= 0 || dom_key_code >= 512) return;
    InputEvent k;
    k.kind = InputEvent::key;
    k.key_code = dom_key_code;
    k.down = true;
    push(k);
    k.down = false;
    push(std::move(k));  // a frame later (one change per key per frame)
}

void queue_tap(float x, float y) {
    InputEvent e;
    e.kind = InputEvent::position;
    e.x = x;
    e.y = y;
    push(e);
    e.kind = InputEvent::button;
    e.down = true;
    push(e);
    e.down = false;
    push(std::move(e));
}

bool has_queued_input() { return !g_queue.empty(); }

bool apply_queued_input(ImGuiIO& io) {
    bool moved = false, button_changed = false;
    bool key_changed[512] = {};
    while (!g_queue.empty()) {
        InputEvent& e = g_queue.front();
        switch (e.kind) {
        case InputEvent::position:
            if (button_changed) return true;  // the move after a press/release: next frame
            io.MousePos = ImVec2(e.x, e.y);
            moved = true;
            break;
        case InputEvent::button:
            if (button_changed || (moved && e.down)) return true;  // press lands where the pointer already is
            io.MouseDown[e.button_index] = e.down;
            button_changed = true;
            break;
        case InputEvent::wheel:
            io.MouseWheelH += e.x;
            io.MouseWheel += e.y;
            break;
        case InputEvent::key:
            if (key_changed[e.key_code]) return true;
            key_changed[e.key_code] = true;
            io.KeysDown[e.key_code] = e.down;
            io.KeyCtrl = e.ctrl;
            io.KeyShift = e.shift;
            io.KeyAlt = e.alt;
            io.KeySuper = e.super;
            break;
        case InputEvent::text:
            io.AddInputCharactersUTF8(e.chars.c_str());
            break;
        case InputEvent::modifiers:
            break;
        }
        g_queue.pop_front();
    }
    return false;
}

}  // namespace handbook::web
