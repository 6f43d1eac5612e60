// Draws a MarkdownDocument with ImGui: headings, wrapped paragraphs with bold/italic
// and inline code, nested lists, block quotes, code blocks, rules and tables, with
// search terms highlighted. Tapping a link reports it; tapping a block selects it (the
// passage "copy passage" copies).
#pragma once
#include <string>
#include <vector>

#include "app_state.h"
#include "markdown_document.h"

namespace handbook::ui {

struct MarkdownEvents {
    std::string link;          // a link was tapped (href as written)
    int tapped_block = -1;     // a block (not a link) was tapped
};

MarkdownEvents draw_markdown(AppState& state, const MarkdownDocument& doc, const std::vector<std::string>& terms,
                             int selected_block, float width);

}  // namespace handbook::ui
