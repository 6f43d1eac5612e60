#include "plain_text.h"

#include "markdown.h"

namespace handbook {
namespace {

struct PlainTextBuilder {
    std::string out;
    void separate(const char* sep) {
        if (!out.empty() && out.back() != '\n' && out.back() != ' ') out += sep;
    }
};

// Cells of a table row are kept apart by a dash, so a snippet does not run them together
// ("case escalated to a team leader team leader responds ..."). The tokenizer takes it
// for a separator like any punctuation.
constexpr const char* kCellSeparator = " \xE2\x80\x93 ";  // en dash
// Between lines that are not sentences (list items, table rows) in a one-line passage.
constexpr const char* kLineSeparator = " \xC2\xB7 ";  // middle dot

bool ends_sentence(char c) { return c == '.' || c == ':' || c == '?' || c == '!'; }

int enter_block(MD_BLOCKTYPE type, void*, void* user) {
    auto* b = static_cast<PlainTextBuilder*>(user);
    if ((type == MD_BLOCK_TD || type == MD_BLOCK_TH) && !b->out.empty() && b->out.back() != '\n') b->out += kCellSeparator;
    return 0;
}

int leave_block(MD_BLOCKTYPE type, void*, void* user) {
    auto* b = static_cast<PlainTextBuilder*>(user);
    switch (type) {
        case MD_BLOCK_P: case MD_BLOCK_H: case MD_BLOCK_LI: case MD_BLOCK_TR: case MD_BLOCK_CODE:
        case MD_BLOCK_QUOTE:
            if (!b->out.empty() && b->out.back() != '\n') {
                // A heading ends a sentence (FTS5 starts a snippet at a sentence when it can).
                // List items and table rows are not sentences: a full stop after them gave
                // "returns;." and "purchase. an e-receipt"; one_line_passage separates them.
                if (type == MD_BLOCK_H && !ends_sentence(b->out.back())) b->out += '.';
                b->out += '\n';
            }
            break;
        default: break;
    }
    return 0;
}

int enter_span(MD_SPANTYPE, void*, void*) { return 0; }
int leave_span(MD_SPANTYPE, void*, void*) { return 0; }

int text(MD_TEXTTYPE type, const MD_CHAR* data, MD_SIZE size, void* user) {
    auto* b = static_cast<PlainTextBuilder*>(user);
    switch (type) {
        case MD_TEXT_BR: case MD_TEXT_SOFTBR: b->separate(" "); break;
        case MD_TEXT_NULLCHAR: break;
        default: b->out.append(data, size);
    }
    return 0;
}

struct LinkCollector {
    std::vector<std::string> slugs;
};

int link_enter_span(MD_SPANTYPE type, void* detail, void* user) {
    if (type != MD_SPAN_A) return 0;
    auto* a = static_cast<MD_SPAN_A_DETAIL*>(detail);
    std::string href(a->href.text, a->href.size);
    if (auto hash = href.find('#'); hash != std::string::npos && hash > 0) href.resize(hash);
    std::string slug;
    if (href.rfind("#/a/", 0) == 0) slug = href.substr(4);
    else if (href.find(':') == std::string::npos && href.size() > 3 && href.compare(href.size() - 3, 3, ".md") == 0) {
        slug = href.substr(0, href.size() - 3);
        if (slug.rfind("./", 0) == 0) slug = slug.substr(2);
    }
    if (!slug.empty()) static_cast<LinkCollector*>(user)->slugs.push_back(slug);
    return 0;
}
int noop_block(MD_BLOCKTYPE, void*, void*) { return 0; }
int noop_text(MD_TEXTTYPE, const MD_CHAR*, MD_SIZE, void*) { return 0; }


}  // namespace

std::string markdown_to_plain_text(std::string_view markdown) {
    PlainTextBuilder builder;
    MD_PARSER parser{};
    parser.flags = kMarkdownFlags;
    parser.enter_block = enter_block;
    parser.leave_block = leave_block;
    parser.enter_span = enter_span;
    parser.leave_span = leave_span;
    parser.text = text;
    parse_markdown(markdown, parser, &builder);
    while (!builder.out.empty() && builder.out.back() == '\n') builder.out.pop_back();
    return builder.out;
}

std::string one_line_passage(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    for (char c : text) {
        if (c != '\n') {
            out += c;
            continue;
        }
        // The last character of text before the break (marks below 0x20 are not text).
        char last = 0;
        for (size_t i = out.size(); i-- > 0;) {
            if (static_cast<unsigned char>(out[i]) >= 0x20) {
                last = out[i];
                break;
            }
        }
        if (last == 0 || last == ' ') continue;
        out += ends_sentence(last) || last == ';' || last == ',' ? " " : kLineSeparator;
    }
    // A passage that begins after an ellipsis with punctuation or a space (a fragment cut
    // just after a sentence) starts at its first word.
    const std::string_view ellipsis = "\xE2\x80\xA6";
    if (out.compare(0, ellipsis.size(), ellipsis) == 0) {
        size_t i = ellipsis.size();
        while (i < out.size() && (out[i] == ' ' || out[i] == '.' || out[i] == ',' || out[i] == ';' || out[i] == ':' || out[i] == ')'))
            ++i;
        out.erase(ellipsis.size(), i - ellipsis.size());
    }
    return out;
}

std::vector<std::string> article_links(std::string_view markdown) {
    LinkCollector links;
    MD_PARSER parser{};
    parser.flags = kMarkdownFlags;
    parser.enter_block = noop_block;
    parser.leave_block = noop_block;
    parser.enter_span = link_enter_span;
    parser.leave_span = leave_span;
    parser.text = noop_text;
    parse_markdown(markdown, parser, &links);
    return links.slugs;
}

}  // namespace handbook
