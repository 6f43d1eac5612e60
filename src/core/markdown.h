// The one way this project calls md4c (the CommonMark parser): with the input copied
// into a NUL-padded buffer. md4c 0.4.8 (Debian's) can read a byte or two past the
// end of its input on some malformed documents (found here by fuzz_article_file;
// upstream md4c issues #37-#39 and PR #185 are of the same kind); the padding keeps
// such reads inside our own allocation, so hostile Markdown cannot crash Handbook.
#pragma once
#include <md4c.h>

#include <string>
#include <string_view>

namespace handbook {

// Markdown dialect used everywhere: CommonMark + tables + strikethrough, raw HTML off.
inline constexpr unsigned kMarkdownFlags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_NOHTML;

inline int parse_markdown(std::string_view text, const MD_PARSER& parser, void* user_data) {
    std::string padded;
    padded.reserve(text.size() + 16);
    padded.append(text);
    padded.append(16, '\0');
    return md_parse(padded.data(), static_cast<MD_SIZE>(text.size()), &parser, user_data);
}

}  // namespace handbook
