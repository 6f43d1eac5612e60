// Finger scrolling for ImGui windows: dragging moves the content with the finger and a
// flick keeps it moving, slowing down (ImGui 1.86 scrolls only by wheel or scrollbar).
// A drag that turns into a scroll cancels the press, so it never opens what was under
// the finger. Only used for touch input: a mouse drag on a desktop does nothing.
#pragma once

namespace handbook::ui {

struct DragScroll {
    bool pressed = false;    // the finger went down inside the window
    bool dragging = false;   // it moved far enough to be a scroll
    float start_y = 0;
    float last_y = 0;
    float velocity = 0;      // px per second (content movement), for the flick
    double last_move = 0;
};

inline constexpr float kDragThreshold = 8.0f;

// Call right after Begin/BeginChild of the scrolling window. Returns true while the
// flick is still moving (the host should keep drawing frames). With `flick` false
// (prefers-reduced-motion) the content stops where the finger leaves it.
bool drag_scroll(DragScroll& scroll, bool touch, bool flick = true);

// A second finger came down (a pinch): the first one's press is no tap and no scroll.
void cancel_touch_press(DragScroll& scroll);

}  // namespace handbook::ui
