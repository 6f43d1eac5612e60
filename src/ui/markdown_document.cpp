#include "markdown_document.h"

#include <md4c.h>

#include "core/article.h"
#include "core/markdown.h"

namespace handbook::ui {

namespace {

struct ListLevel {
    bool ordered = false;
    int next = 1;
};

// md4c is SAX-style: this keeps where the text of the callbacks goes.
struct Builder {
    MarkdownDocument doc;
    std::vector<ListLevel> lists;
    int quote_depth = 0;
    int open_block = -1;       // block receiving text, -1 = none
    bool item_is_fresh = false;  // a list item not yet given its first paragraph
    bool in_table = false;
    bool in_cell = false;
    bool in_header = false;
    int style = kPlain;
    std::vector<std::string> links;

    Block& push(BlockKind kind) {
        Block b;
        b.kind = kind;
        b.quote_depth = quote_depth;
        b.indent = static_cast<int>(lists.size());
        doc.blocks.push_back(std::move(b));
        open_block = static_cast<int>(doc.blocks.size()) - 1;
        return doc.blocks.back();
    }

    std::vector<Span>* target() {
        if (in_table && !doc.blocks.empty()) {
            Block& t = doc.blocks.back();
            if (in_cell && !t.rows.empty() && !t.rows.back().empty()) return &t.rows.back().back().spans;
            return nullptr;
        }
        if (open_block < 0) push(BlockKind::paragraph);  // text after a nested list in an item
        return &doc.blocks[open_block].spans;
    }

    void add_text(std::string_view text, int extra_style = 0) {
        if (open_block >= 0 && doc.blocks[open_block].kind == BlockKind::code) {
            doc.blocks[open_block].code.append(text);
            return;
        }
        std::vector<Span>* spans = target();
        if (!spans) return;
        int s = style | extra_style;
        std::string link = links.empty() ? std::string{} : links.back();
        if (!spans->empty() && spans->back().style == s && spans->back().link == link) {
            spans->back().text.append(text);
        } else {
            spans->push_back(Span{std::string(text), s, link});
        }
    }
};

std::string attribute_text(const MD_ATTRIBUTE& a) { return std::string(a.text, a.size); }

int enter_block(MD_BLOCKTYPE type, void* detail, void* user) {
    auto& b = *static_cast<Builder*>(user);
    switch (type) {
    case MD_BLOCK_UL:
        b.lists.push_back({false, 1});
        b.open_block = -1;
        b.item_is_fresh = false;
        break;
    case MD_BLOCK_OL:
        b.lists.push_back({true, static_cast<int>(static_cast<MD_BLOCK_OL_DETAIL*>(detail)->start)});
        b.open_block = -1;
        b.item_is_fresh = false;
        break;
    case MD_BLOCK_LI: {
        Block& item = b.push(BlockKind::list_item);
        if (!b.lists.empty() && b.lists.back().ordered) item.number = b.lists.back().next++;
        b.item_is_fresh = true;
        break;
    }
    case MD_BLOCK_QUOTE:
        b.quote_depth++;
        b.open_block = -1;
        break;
    case MD_BLOCK_H:
        b.push(BlockKind::heading).level = static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level);
        b.item_is_fresh = false;
        break;
    case MD_BLOCK_P:
        if (b.item_is_fresh) {
            b.item_is_fresh = false;  // the item's own first paragraph: its text goes into the item
        } else if (!b.in_table) {
            b.push(BlockKind::paragraph);
        }
        break;
    case MD_BLOCK_CODE:
        b.push(BlockKind::code);
        b.item_is_fresh = false;
        break;
    case MD_BLOCK_HR:
        b.push(BlockKind::rule);
        b.open_block = -1;
        break;
    case MD_BLOCK_TABLE:
        b.push(BlockKind::table);
        b.in_table = true;
        break;
    case MD_BLOCK_THEAD:
        b.in_header = true;
        break;
    case MD_BLOCK_TR:
        if (b.in_table) {
            b.doc.blocks.back().rows.emplace_back();
            if (b.in_header) b.doc.blocks.back().header_rows++;
        }
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        if (b.in_table && !b.doc.blocks.back().rows.empty()) {
            b.doc.blocks.back().rows.back().emplace_back();
            b.in_cell = true;
        }
        break;
    default:
        break;
    }
    return 0;
}

int leave_block(MD_BLOCKTYPE type, void*, void* user) {
    auto& b = *static_cast<Builder*>(user);
    switch (type) {
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
        if (!b.lists.empty()) b.lists.pop_back();
        b.open_block = -1;
        break;
    case MD_BLOCK_LI:
        b.open_block = -1;
        b.item_is_fresh = false;
        break;
    case MD_BLOCK_QUOTE:
        b.quote_depth--;
        b.open_block = -1;
        break;
    case MD_BLOCK_H:
    case MD_BLOCK_P:
        if (!b.in_table) b.open_block = -1;
        break;
    case MD_BLOCK_CODE:
        if (b.open_block >= 0) {
            std::string& code = b.doc.blocks[b.open_block].code;
            while (!code.empty() && code.back() == '\n') code.pop_back();
        }
        b.open_block = -1;
        break;
    case MD_BLOCK_TABLE:
        b.in_table = false;
        b.open_block = -1;
        break;
    case MD_BLOCK_THEAD:
        b.in_header = false;
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        b.in_cell = false;
        break;
    default:
        break;
    }
    return 0;
}

int enter_span(MD_SPANTYPE type, void* detail, void* user) {
    auto& b = *static_cast<Builder*>(user);
    switch (type) {
    case MD_SPAN_STRONG: b.style |= kBold; break;
    case MD_SPAN_EM: b.style |= kItalic; break;
    case MD_SPAN_CODE: b.style |= kCode; break;
    case MD_SPAN_A: b.links.push_back(attribute_text(static_cast<MD_SPAN_A_DETAIL*>(detail)->href)); break;
    default: break;
    }
    return 0;
}

int leave_span(MD_SPANTYPE type, void*, void* user) {
    auto& b = *static_cast<Builder*>(user);
    switch (type) {
    case MD_SPAN_STRONG: b.style &= ~kBold; break;
    case MD_SPAN_EM: b.style &= ~kItalic; break;
    case MD_SPAN_CODE: b.style &= ~kCode; break;
    case MD_SPAN_A: if (!b.links.empty()) b.links.pop_back(); break;
    default: break;
    }
    return 0;
}

std::string_view decode_entity(std::string_view entity) {
    if (entity == "&amp;") return "&";
    if (entity == "&lt;") return "<";
    if (entity == "&gt;") return ">";
    if (entity == "&quot;") return "\"";
    if (entity == "&nbsp;") return " ";
    if (entity == "&mdash;") return "\xE2\x80\x94";
    if (entity == "&ndash;") return "\xE2\x80\x93";
    return entity;
}

int on_text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* user) {
    auto& b = *static_cast<Builder*>(user);
    std::string_view t(text, size);
    switch (type) {
    case MD_TEXT_NULLCHAR: break;
    case MD_TEXT_BR: b.add_text("\n"); break;
    case MD_TEXT_SOFTBR: b.add_text(" "); break;
    case MD_TEXT_ENTITY: b.add_text(decode_entity(t)); break;
    case MD_TEXT_HTML: break;  // not produced with MD_FLAG_NOHTML
    default: b.add_text(t); break;
    }
    return 0;
}

}  // namespace

MarkdownDocument parse_markdown(std::string_view markdown) {
    Builder builder;
    MD_PARSER parser{};
    parser.abi_version = 0;
    parser.flags = kMarkdownFlags;  // the project's dialect: raw HTML is shown as the text it is
    parser.enter_block = enter_block;
    parser.leave_block = leave_block;
    parser.enter_span = enter_span;
    parser.leave_span = leave_span;
    parser.text = on_text;
    ::handbook::parse_markdown(markdown, parser, &builder);  // padded: md4c may read past the end
    // An empty list item (e.g. "-" alone) still keeps its marker; drop empty paragraphs.
    std::erase_if(builder.doc.blocks, [](const Block& blk) {
        return blk.kind == BlockKind::paragraph && blk.spans.empty();
    });
    return std::move(builder.doc);
}

std::string block_text(const Block& block) {
    std::string out;
    auto add_spans = [&](const std::vector<Span>& spans) {
        for (const Span& s : spans) out += s.text;
    };
    if (block.kind == BlockKind::code) return block.code;
    if (block.kind == BlockKind::table) {
        for (const auto& row : block.rows) {
            for (size_t i = 0; i < row.size(); ++i) {
                if (i) out += '\t';
                add_spans(row[i].spans);
            }
            out += '\n';
        }
        return out;
    }
    add_spans(block.spans);
    return out;
}

std::string article_slug_of_link(std::string_view href) {
    std::string_view slug;
    if (href.starts_with("#/a/")) {
        slug = href.substr(4);
    } else if (href.ends_with(".md") && href.find('/') == std::string_view::npos) {
        slug = href.substr(0, href.size() - 3);
    } else if (href.starts_with("./") && href.ends_with(".md")) {
        slug = href.substr(2, href.size() - 5);
    }
    return is_valid_slug(slug) ? std::string(slug) : std::string{};
}

bool is_external_link(std::string_view href) {
    return href.starts_with("https://") || href.starts_with("http://") || href.starts_with("mailto:");
}

}  // namespace handbook::ui
