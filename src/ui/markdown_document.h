// An article body as a flat list of blocks with styled spans, read from Markdown by
// md4c. Drawing (markdown_view) and tests work on this plain data, not on md4c.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace handbook::ui {

enum SpanStyle : int { kPlain = 0, kBold = 1, kItalic = 2, kCode = 4 };

struct Span {
    std::string text;
    int style = kPlain;  // SpanStyle flags
    std::string link;    // target when the span is (inside) a link
};

enum class BlockKind { heading, paragraph, list_item, code, rule, table };

struct TableCell {
    std::vector<Span> spans;
};

struct Block {
    BlockKind kind = BlockKind::paragraph;
    int level = 0;        // heading: 1..6
    int indent = 0;       // list depth (list_item and paragraphs continuing an item)
    int number = 0;       // list_item: ordered number, 0 = bullet
    int quote_depth = 0;  // inside how many block quotes
    std::vector<Span> spans;
    std::string code;                           // code blocks
    std::vector<std::vector<TableCell>> rows;   // tables
    int header_rows = 0;
};

struct MarkdownDocument {
    std::vector<Block> blocks;
};

MarkdownDocument parse_markdown(std::string_view markdown);

// The words of a block as a reader sees them (for "copy passage").
std::string block_text(const Block& block);

// Where an article link points: "x.md" or "#/a/x" give the slug "x"; else "".
std::string article_slug_of_link(std::string_view href);
bool is_external_link(std::string_view href);

}  // namespace handbook::ui
