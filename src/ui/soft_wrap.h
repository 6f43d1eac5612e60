// Soft line wrapping for a multi-line text field that cannot wrap by itself.
//
// ImGui 1.86's InputTextMultiline breaks lines only at '\n'. The editor's body therefore
// gives ImGui a *display* copy of the text with a '\n' inserted wherever a line is too
// long for the field ("soft breaks"), and takes each edit back out of it: after every
// frame's edit, the new display text is compared with the one ImGui was given, the
// soft breaks around the edit are dropped and what was typed (a hard '\n' included) is
// kept. Positions (caret, selection) are mapped both ways.
//
// Plain data and free functions, no ImGui: the width of a piece of text comes from the
// caller, so the rules are tested with a fixed-width measure (tests/ui/soft_wrap_test.cpp).
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace handbook::ui {

// Width of text[begin, end) in pixels.
using MeasureText = std::function<float(const char* begin, const char* end)>;

struct SoftWrap {
    std::string display;      // the text with a '\n' at each soft break
    std::vector<int> breaks;  // text offsets where a soft break comes just before (ascending)
};

// Breaks each line of `text` so no display line is wider than `width`: after the spaces
// that end a word, or inside a word that is wider than the whole line. Hard '\n' stay.
SoftWrap soft_wrap(const std::string& text, float width, const MeasureText& measure);

// The same for `text`, an edit of `old_text` whose wrap was `old_wrap` (same width and
// measure): only the lines the edit touched are measured again (a key in a long policy
// costs its paragraph, not the whole text).
SoftWrap soft_rewrap(const SoftWrap& old_wrap, const std::string& old_text, const std::string& text, float width,
                     const MeasureText& measure);

// Text offset -> display offset. A position at a soft break is shown at the start of the
// next display line (where a browser puts the caret after a wrapped word).
int display_offset(const SoftWrap& wrap, int text_offset);
// Display offset -> text offset (a position just before a soft break is the same text
// position as just after it).
int text_offset(const SoftWrap& wrap, int display_offset);

// One edit of the display text, taken back into the text.
struct UnwrappedEdit {
    std::string text;
    int select_begin = 0, select_end = 0, caret = 0;  // text offsets
};
// `old_wrap` is what ImGui was given (for `old_wrap`'s text, `old_text`), `new_display`
// what it holds after the frame's edit, with its selection and caret (display offsets);
// `old_caret` is the caret before the edit (display offset), which tells Backspace from
// Delete when only a soft break was removed: then the character before (Backspace) or
// after (Delete) the break goes, as in a browser's text area.
UnwrappedEdit unwrap_edit(const std::string& old_text, const SoftWrap& old_wrap, const std::string& new_display,
                          int select_begin, int select_end, int caret, int old_caret);

// Text copied out of the display (`copied`, the display's [begin, end) when that matches,
// else found in it) without its soft breaks.
std::string unwrap_copied(const std::string& text, const SoftWrap& wrap, const std::string& copied, int begin, int end);

}  // namespace handbook::ui
