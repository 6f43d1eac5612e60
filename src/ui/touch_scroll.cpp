#include "touch_scroll.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>

namespace handbook::ui {

bool drag_scroll(DragScroll& s, bool touch, bool flick) {
    ImGuiIO& io = ImGui::GetIO();
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float dt = std::clamp(io.DeltaTime, 1.0f / 240, 1.0f / 20);
    const double now = ImGui::GetTime();

    if (ImGui::IsMouseClicked(0)) {
        s.velocity = 0;  // a touch stops a flick
        s.pressed = touch && window->Rect().Contains(io.MousePos) && ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows);
        s.dragging = false;
        s.start_y = s.last_y = io.MousePos.y;
        s.last_move = now;
    }
    if (s.pressed && io.MouseDown[0]) {
        float y = io.MousePos.y;
        float dy = y - s.last_y;
        if (!s.dragging && std::fabs(y - s.start_y) > kDragThreshold) {
            s.dragging = true;
            ImGui::ClearActiveID();  // the press becomes a scroll: no click on release
            dy = y - s.start_y;
        }
        if (s.dragging && dy != 0) {
            ImGui::SetScrollY(window, window->Scroll.y - dy);
            float moment = -dy / dt;
            s.velocity = s.velocity * 0.3f + moment * 0.7f;
            s.last_move = now;
        }
        s.last_y = y;
        return false;
    }
    if (s.pressed && !io.MouseDown[0]) {
        if (!flick || !s.dragging || now - s.last_move > 0.1) s.velocity = 0;  // a pause before lifting: no flick
        s.pressed = s.dragging = false;
    }
    if (std::fabs(s.velocity) > 15) {
        float max_scroll = window->ScrollMax.y;
        float next = window->Scroll.y + s.velocity * dt;
        if (next < 0 || next > max_scroll) s.velocity = 0;
        ImGui::SetScrollY(window, std::clamp(next, 0.0f, max_scroll));
        s.velocity *= std::exp(-3.5f * dt);
        return true;
    }
    s.velocity = 0;
    return false;
}

void cancel_touch_press(DragScroll& s) {
    s = DragScroll{};
    if (ImGui::GetCurrentContext()) ImGui::ClearActiveID();
}

}  // namespace handbook::ui
