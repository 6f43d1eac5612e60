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

int enter_block(MD_BLOCKTYPE type, void*, void* user) {
    auto* b = static_cast<PlainTextBuilder*>(user);
    if (type == MD_BLOCK_TD || type == MD_BLOCK_TH) b->separate(" ");
    return 0;
}

int leave_block(MD_BLOCKTYPE type, void*, void* user) {
    auto* b = static_cast<PlainTextBuilder*>(user);
    switch (type) {
        case MD_BLOCK_P: case MD_BLOCK_H: case MD_BLOCK_LI: case MD_BLOCK_TR: case MD_BLOCK_CODE:
        case MD_BLOCK_QUOTE:
            if (!b->out.empty() && b->out.back() != '\n') {
                // A sentence break keeps snippets readable when a heading has no full stop.
                if (type == MD_BLOCK_H || type == MD_BLOCK_LI || type == MD_BLOCK_TR) {
                    char last = b->out.back();
                    if (last != '.' && last != ':' && last != '?' && last != '!') b->out += '.';
                }
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
