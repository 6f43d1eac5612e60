// The wrapped lines of a Markdown document kept between frames (markdown_view.h draws
// with it). Apart from markdown_view.h so screen states (editor.h) can hold one without
// the drawing code.
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

#include "rich_text.h"

namespace handbook::ui {

// One block's text (or table cell's) as runs, with its links, and those runs wrapped at
// `width`.
struct LaidOutText {
    std::vector<RichRun> runs;
    std::vector<std::string> links;        // targets, indexed by RichRun::link
    std::vector<std::string> link_labels;  // each link's words, for the accessible twin
    RichLayout layout;
    float width = -1;                      // what `layout` was wrapped at
};

// The laid-out texts of one document from the frame before, in drawing order, so a
// document drawn again unchanged (the editor's preview while its author types in a long
// policy) is not measured again word by word. The owner calls clear() when it gives
// draw_markdown another document; a change of width, text size, theme or search terms is
// noticed here.
struct MarkdownLayoutCache {
    std::vector<LaidOutText> texts;
    const ImFont* font = nullptr;
    float font_px = 0;
    bool dark = false;
    std::vector<std::string> terms;
    void clear() { texts.clear(); }
};

}  // namespace handbook::ui
