// Reading one article file: YAML front matter between '---' lines, then the Markdown
// body. Problems are reported with the line they are on, for a person to fix.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "article.h"

namespace handbook {

struct FileProblem {
    int line = 0;  // 1-based; 0 = the whole file
    std::string message;
};

struct ParsedArticle {
    Article article;
    std::vector<FileProblem> errors;    // any error: the article is not imported
    std::vector<FileProblem> warnings;  // imported, but something deserves a look
};

inline constexpr size_t kMaxArticleFileBytes = 1024 * 1024;

// `file_name` is used for messages and to check the slug against the file name.
ParsedArticle parse_article_file(std::string_view text, std::string_view file_name);

// True when the text opens with a front matter block ('---' on its first line).
bool has_front_matter(std::string_view text);

// A Markdown file without front matter (an outside corpus, a folder of notes): the
// title is its first '# ' heading (or the file name), the slug comes from its path,
// the category from its folder, and it is effective from `date` (YYYY-MM-DD) for a
// year. Always carries a warning saying so.
ParsedArticle parse_plain_markdown_file(std::string_view text, std::string_view relative_path, std::string_view date);

// Writes an article back as a file that parse_article_file reads the same.
std::string format_article_file(const Article& article);

}  // namespace handbook
