// The screens, one free function each, drawn inside the main scrolling area (the top
// bar is above it). Each reads AppState, draws, and calls app_actions on taps.
#pragma once
#include "app_state.h"

namespace handbook::ui {

void draw_top_bar(AppState& state, Library& library, const UiPlatform& platform, float height);
// The search box's inside, left to right: the icon (at icon_x, icon_w wide) and the
// query (from text_x), sized to the body font so the icon never runs into the text.
struct SearchBoxMetrics {
    float icon_x = 0, icon_w = 0, text_x = 0;
};
SearchBoxMetrics search_box_metrics(const Fonts& fonts);
// The box's hint: the "( / )" shortcut only where there is a keyboard and room for it.
const char* search_hint(bool touch, bool narrow);
void draw_home_screen(AppState& state, Library& library, float width);
void draw_search_screen(AppState& state, Library& library, float width);
void draw_reader_screen(AppState& state, Library& library, const UiPlatform& platform, float width);
void draw_sign_in_screen(AppState& state, Library& library, const UiPlatform& platform, float width);
void draw_editor_screen(AppState& state, Library& library, const UiPlatform& platform, float width);
void draw_drafts_screen(AppState& state, Library& library, const UiPlatform& platform, float width);
void draw_review_screen(AppState& state, Library& library, const UiPlatform& platform, float width);
void draw_history_screen(AppState& state, Library& library, const UiPlatform& platform, float width);
void draw_news_screen(AppState& state, Library& library, const UiPlatform& platform, float width);
void draw_report_screen(AppState& state, Library& library, const UiPlatform& platform, float width);
// A diff (review, history, the editor's "their change"): changed lines on a tinted
// background, the words inserted and deleted within them marked [+ +] and [- -].
struct DiffView;
void draw_diff(AppState& state, const DiffView& diff, float width);
// The reader's row that stays put above the scrolling article (Back, Contents, Copy).
float reader_header_height(const AppState& state);
void draw_reader_header(AppState& state, Library& library, const UiPlatform& platform, float width);

}  // namespace handbook::ui
