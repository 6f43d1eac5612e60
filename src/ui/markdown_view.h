// Draws a MarkdownDocument with ImGui: headings, wrapped paragraphs with bold/italic
// and inline code, nested lists, block quotes, code blocks, rules and tables, with
// search terms highlighted. Tapping a link reports it; tapping a block selects it (the
// passage "Copy" copies); dragging selects part of the text (text_selection.h).
#pragma once
#include <string>
#include <vector>

#include "app_state.h"
#include "markdown_document.h"
#include "markdown_layout_cache.h"
#include "text_selection.h"

namespace handbook::ui {

struct MarkdownEvents {
    std::string link;          // a link was tapped (href as written)
    int tapped_block = -1;     // a block (not a link) was tapped
};

// `selection` (optional): the body's texts register there and show its selection.
// `block_top` (optional): filled with each block's top, in the window's content
// coordinates (ImGui::SetScrollY takes them), for jumping to a section.
// `cache` (optional): the texts' layouts kept from the frame before (see above).
MarkdownEvents draw_markdown(AppState& state, const MarkdownDocument& doc, const std::vector<std::string>& terms,
                             int selected_block, float width, TextSelection* selection = nullptr,
                             std::vector<float>* block_top = nullptr, MarkdownLayoutCache* cache = nullptr);

}  // namespace handbook::ui
