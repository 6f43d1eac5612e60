// Markdown -> plain text, for the search index and its snippets: the words a reader
// sees, without Markdown syntax (link targets, table pipes, emphasis marks).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace handbook {

// One line per block (paragraph, heading, list item, table row); a heading ends with a
// full stop, table cells are separated by " – ".
std::string markdown_to_plain_text(std::string_view markdown);

// Lines of plain text (a snippet of it, possibly with highlight marks below 0x20) as one
// readable line: after a line that ends a sentence (or with ';' or ','), a space; after
// a list item or table row, " · ". A leading ellipsis is not followed by punctuation.
std::string one_line_passage(std::string_view text);

// Slugs of other articles linked from the body as `[text](slug.md)` or `[text](#/a/slug)`.
std::vector<std::string> article_links(std::string_view markdown);

}  // namespace handbook
