// libFuzzer target: any bytes as an article file, with or without front matter, and
// as Markdown for the index text. Errors are reported, never a crash; what parses
// is a valid article.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/front_matter.h"
#include "core/plain_text.h"

using namespace handbook;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    ParsedArticle p = has_front_matter(text) ? parse_article_file(text, "fuzz.md")
                                             : parse_plain_markdown_file(text, "dir/fuzz.md", "2026-01-01");
    if (p.errors.empty() && !validate_article(p.article).empty()) std::abort();
    for (const auto& e : p.errors)
        if (e.message.empty()) std::abort();
    (void)markdown_to_plain_text(text);
    (void)article_links(text);
    return 0;
}
