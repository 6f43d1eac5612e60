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

// Writes an article back as a file that parse_article_file reads the same.
std::string format_article_file(const Article& article);

}  // namespace handbook
