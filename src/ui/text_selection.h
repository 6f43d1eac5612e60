// Selecting part of the text an article shows, as in any document: press and drag with a
// mouse, or hold a finger still for a moment and then drag (a quick finger drag scrolls).
// The body's wrapped texts register here as they are drawn, in reading order; a position
// is a character within one of them. Ctrl+C and the reader's "Copy" button copy the
// selected words. Plain data and free functions; the reader owns one TextSelection.
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

#include "rich_text.h"
#include "theme.h"

namespace handbook::ui {

// A character boundary: before byte `byte` of piece `piece` of registered text `text`.
struct TextPoint {
    int text = -1;
    int piece = 0;
    int byte = 0;
    bool valid() const { return text >= 0; }
};
bool operator<(const TextPoint& a, const TextPoint& b);
bool operator==(const TextPoint& a, const TextPoint& b);

// One wrapped text as drawn this frame (a paragraph, a list item, a heading, a table cell).
struct SelectableText {
    ImVec2 origin;      // screen position of the layout
    RichLayout layout;
    std::vector<ImFont*> fonts;  // the font of each piece (to measure within a word)
    bool new_block = true;  // false: another cell of the same table row as the text before
};

inline constexpr float kLongPressSeconds = 0.45f;

struct TextSelection {
    TextPoint anchor, focus;           // where the drag started and where it is now
    bool dragging = false;             // a press is extending the selection
    bool pending = false;              // a press on text that may become a drag
    ImVec2 press{0, 0};
    std::vector<SelectableText> texts;  // this frame's, in reading order (rebuilt every frame)
    std::vector<SelectableText> drawn;  // the last finished frame's: what input is tested against

    bool empty() const { return !anchor.valid() || !focus.valid() || anchor == focus; }
    void clear() { anchor = focus = TextPoint{}; dragging = pending = false; }
};

// Registers a text as drawn at `origin` (its pieces' fonts taken from `runs`).
void add_selectable_text(TextSelection& selection, ImVec2 origin, RichLayout layout, const std::vector<RichRun>& runs,
                         bool new_block);

// The point of `texts` nearest to `p` (a point above all of them: the first; below: the last).
TextPoint text_point_at(const std::vector<SelectableText>& texts, ImVec2 p);
// The word around a point (for a long press): [start, end) as points.
void word_at(const std::vector<SelectableText>& texts, const TextPoint& at, TextPoint* start, TextPoint* end);

// The selected words, as a reader would copy them: words of a line joined by spaces,
// texts by new lines (cells of one table row by tabs).
std::string selected_text(const TextSelection& selection);

// Draws the selection's background behind the text that will be registered next, laid
// out as `layout` at `origin` (call before drawing its words).
void draw_selection(ImDrawList* draw, const TextSelection& selection, ImVec2 origin, const RichLayout& layout,
                    const std::vector<RichRun>& runs, ImU32 color);

// Handles the mouse or finger for one frame, after the body has registered its texts.
// `touch`: a finger, which selects only after a long press (`*take_press` is set then:
// the press must stop scrolling). Returns true while a drag is selecting (the host
// keeps drawing frames; the caller may scroll at the edges).
bool update_selection(TextSelection& selection, bool touch, bool body_hovered, bool* take_press);

}  // namespace handbook::ui
