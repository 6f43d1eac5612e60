// Markdown -> blocks: what the reader draws comes from this, so each construct the
// policies use is checked.
#include <gtest/gtest.h>

#include "markdown_document.h"

namespace handbook::ui {
namespace {

const char* kSample =
    "# Title\n\n"
    "Plain **bold** and *italic* and `code`, with a [link](other-policy.md).\n\n"
    "## Steps\n\n"
    "1. First\n"
    "2. Second\n"
    "   - nested a\n"
    "   - nested b\n\n"
    "   More about the second.\n"
    "3. Third\n\n"
    "> Quoted **words**\n\n"
    "---\n\n"
    "| Item | Days |\n|---|---|\n| Sofa | 30 |\n| Lamp | 14 |\n\n"
    "```\nline one\nline two\n```\n";

TEST(Markdown, ProducesTheExpectedBlocks) {
    MarkdownDocument doc = parse_markdown(kSample);
    std::vector<BlockKind> kinds;
    for (const Block& b : doc.blocks) kinds.push_back(b.kind);
    std::vector<BlockKind> expected = {BlockKind::heading,   BlockKind::paragraph, BlockKind::heading,
                                       BlockKind::list_item, BlockKind::list_item, BlockKind::list_item,
                                       BlockKind::list_item, BlockKind::paragraph, BlockKind::list_item,
                                       BlockKind::paragraph, BlockKind::rule,      BlockKind::table,
                                       BlockKind::code};
    ASSERT_EQ(kinds, expected);
    EXPECT_EQ(doc.blocks[0].level, 1);
    EXPECT_EQ(doc.blocks[2].level, 2);
}

TEST(Markdown, InlineStylesAndLinks) {
    MarkdownDocument doc = parse_markdown(kSample);
    const Block& p = doc.blocks[1];
    ASSERT_GE(p.spans.size(), 7u);
    EXPECT_EQ(p.spans[0].text, "Plain ");
    EXPECT_EQ(p.spans[1].text, "bold");
    EXPECT_EQ(p.spans[1].style, kBold);
    EXPECT_EQ(p.spans[3].text, "italic");
    EXPECT_EQ(p.spans[3].style, kItalic);
    EXPECT_EQ(p.spans[5].text, "code");
    EXPECT_EQ(p.spans[5].style, kCode);
    EXPECT_EQ(p.spans[7].text, "link");
    EXPECT_EQ(p.spans[7].link, "other-policy.md");
    EXPECT_EQ(block_text(p), "Plain bold and italic and code, with a link.");
}

TEST(Markdown, NestedListsKeepNumbersAndDepth) {
    MarkdownDocument doc = parse_markdown(kSample);
    const Block& first = doc.blocks[3];
    EXPECT_EQ(first.number, 1);
    EXPECT_EQ(first.indent, 1);
    EXPECT_EQ(block_text(first), "First");
    EXPECT_EQ(doc.blocks[4].number, 2);
    const Block& nested = doc.blocks[5];
    EXPECT_EQ(nested.number, 0) << "a bullet";
    EXPECT_EQ(nested.indent, 2);
    EXPECT_EQ(block_text(nested), "nested a");
    const Block& more = doc.blocks[7];
    EXPECT_EQ(block_text(more), "More about the second.");
    EXPECT_EQ(more.indent, 1) << "continues item 2, not a new item";
    EXPECT_EQ(doc.blocks[8].number, 3);
}

TEST(Markdown, QuotesTablesAndCode) {
    MarkdownDocument doc = parse_markdown(kSample);
    const Block& quote = doc.blocks[9];
    EXPECT_EQ(quote.quote_depth, 1);
    EXPECT_EQ(block_text(quote), "Quoted words");
    const Block& table = doc.blocks[11];
    ASSERT_EQ(table.rows.size(), 3u);
    EXPECT_EQ(table.header_rows, 1);
    ASSERT_EQ(table.rows[2].size(), 2u);
    EXPECT_EQ(table.rows[2][0].spans.at(0).text, "Lamp");
    EXPECT_EQ(table.rows[2][1].spans.at(0).text, "14");
    EXPECT_EQ(doc.blocks[12].code, "line one\nline two");
    EXPECT_EQ(doc.blocks[10].quote_depth, 0) << "the quote ended";
}

TEST(Markdown, RawHtmlIsShownAsTextNeverInterpretedAndEmptyInputIsEmpty) {
    EXPECT_TRUE(parse_markdown("").blocks.empty());
    MarkdownDocument doc = parse_markdown("Orders <b>under</b> $50 & <script>x</script>");
    ASSERT_EQ(doc.blocks.size(), 1u);
    EXPECT_EQ(block_text(doc.blocks[0]), "Orders <b>under</b> $50 & <script>x</script>");
    for (const Span& s : doc.blocks[0].spans) EXPECT_EQ(s.style, kPlain);
}

TEST(Markdown, MalformedInputNeverCrashes) {
    // Shapes that have tripped md4c 0.4.8 (unterminated constructs at the very end).
    for (const char* text : {"[", "*", "`", "| a |\n|", "> - 1.", "<", "[x](", "***a", "1. [", "\\"}) {
        MarkdownDocument doc = parse_markdown(text);
        for (const Block& b : doc.blocks) (void)block_text(b);
    }
    SUCCEED();
}

TEST(Markdown, LinkTargets) {
    EXPECT_EQ(article_slug_of_link("faulty-goods.md"), "faulty-goods");
    EXPECT_EQ(article_slug_of_link("./faulty-goods.md"), "faulty-goods");
    EXPECT_EQ(article_slug_of_link("#/a/faulty-goods"), "faulty-goods");
    EXPECT_EQ(article_slug_of_link("../etc/passwd.md"), "");
    EXPECT_EQ(article_slug_of_link("Faulty Goods.md"), "");
    EXPECT_EQ(article_slug_of_link("https://example.com/x.md"), "");
    EXPECT_TRUE(is_external_link("https://example.com"));
    EXPECT_FALSE(is_external_link("javascript:alert(1)"));
}

}  // namespace
}  // namespace handbook::ui
