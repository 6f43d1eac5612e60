// Wrapped text with mixed fonts, highlights and links, laid out by hand: ImGui's own
// text widgets wrap one font at a time. Layout is separate from drawing so screens can
// size a card before they draw it, and tests can check where words went.
#pragma once
#include <imgui.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/search.h"
#include "theme.h"

namespace handbook::ui {

struct RichRun {
    std::string text;
    ImFont* font = nullptr;
    ImU32 color = 0;
    bool highlight = false;  // a search term: marked background
    bool code = false;       // inline code: tinted background
    int link = -1;           // index into the caller's list of link targets
};

struct PlacedText {
    ImVec2 pos;        // relative to the layout's origin
    ImVec2 size;       // text only (trailing spaces excluded)
    int run = 0;
    std::string text;  // without trailing spaces
};

struct RichLayout {
    std::vector<PlacedText> pieces;
    ImVec2 size{0, 0};
    int lines = 0;
};

RichLayout layout_rich_text(const std::vector<RichRun>& runs, float wrap_width, float line_spacing = 1.5f);
void draw_rich_text(ImDrawList* draw, const RichLayout& layout, const std::vector<RichRun>& runs, ImVec2 origin,
                    const Palette& colors);
// The link under `point`, or -1.
int link_at(const RichLayout& layout, const std::vector<RichRun>& runs, ImVec2 origin, ImVec2 point);

// Appends `text` as runs like `base`, marking the words that match a search term.
void append_highlighted(std::vector<RichRun>& runs, std::string_view text, const RichRun& base,
                        const std::vector<std::string>& terms);
// Appends `text`, marking the given byte ranges (search snippets and titles).
void append_ranges(std::vector<RichRun>& runs, std::string_view text, const RichRun& base,
                   const std::vector<TextRange>& ranges);

// A word matches a term when, folded to lower case, it equals it or (terms of 3+
// letters) starts with it: "refunds" and "refunded" match the term "refund".
bool word_matches_term(std::string_view word, const std::vector<std::string>& terms);

}  // namespace handbook::ui
