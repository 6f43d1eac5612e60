// Markdown -> plain text, for the search index and its snippets: the words a reader
// sees, without Markdown syntax (link targets, table pipes, emphasis marks).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace handbook {

std::string markdown_to_plain_text(std::string_view markdown);

// Slugs of other articles linked from the body as `[text](slug.md)` or `[text](#/a/slug)`.
std::vector<std::string> article_links(std::string_view markdown);

}  // namespace handbook
