// The editor's toolbar actions (markdown_edit.h) on text and selection.
#include <gtest/gtest.h>

#include "core/markdown_edit.h"

namespace handbook {
namespace {

TEST(MarkdownEdit, BoldAndItalicWrapAndUnwrapTheSelection) {
    TextEdit e = apply_markdown_action("Refund within 30 days.", 14, 21, MarkdownAction::bold);
    EXPECT_EQ(e.text, "Refund within **30 days**.");
    EXPECT_EQ(e.text.substr(e.select_begin, e.select_end - e.select_begin), "30 days");
    TextEdit back = apply_markdown_action(e.text, e.select_begin, e.select_end, MarkdownAction::bold);
    EXPECT_EQ(back.text, "Refund within 30 days.");
    TextEdit caret = apply_markdown_action("Hi ", 3, 3, MarkdownAction::italic);
    EXPECT_EQ(caret.text, "Hi *italic text*");
    EXPECT_EQ(caret.text.substr(caret.select_begin, caret.select_end - caret.select_begin), "italic text");
    // Italic inside bold is not mistaken for an italic to remove.
    TextEdit inner = apply_markdown_action("**word**", 2, 6, MarkdownAction::italic);
    EXPECT_EQ(inner.text, "***word***");
}

TEST(MarkdownEdit, ListsAndHeadingsActOnTheSelectedLines) {
    const std::string text = "Intro\nOne\nTwo\nEnd";
    TextEdit bullets = apply_markdown_action(text, 7, 12, MarkdownAction::bullet_list);
    EXPECT_EQ(bullets.text, "Intro\n- One\n- Two\nEnd");
    EXPECT_EQ(apply_markdown_action(bullets.text, 8, 14, MarkdownAction::bullet_list).text, text);
    TextEdit numbered = apply_markdown_action(bullets.text, 8, 14, MarkdownAction::numbered_list);
    EXPECT_EQ(numbered.text, "Intro\n1. One\n2. Two\nEnd");
    TextEdit h = apply_markdown_action(text, 1, 1, MarkdownAction::heading);
    EXPECT_EQ(h.text, "## Intro\nOne\nTwo\nEnd");
    h = apply_markdown_action(h.text, 1, 1, MarkdownAction::heading);
    EXPECT_EQ(h.text, "### Intro\nOne\nTwo\nEnd");
    EXPECT_EQ(apply_markdown_action(h.text, 1, 1, MarkdownAction::heading).text, text);
}

TEST(MarkdownEdit, BlocksGoOnLinesOfTheirOwnAndLinksTakeTheSelection) {
    TextEdit t = apply_markdown_action("Above", 5, 5, MarkdownAction::table);
    EXPECT_EQ(t.text, "Above\n\n| Column | Column |\n| --- | --- |\n| Text | Text |\n");
    EXPECT_EQ(t.text.substr(t.select_begin, t.select_end - t.select_begin), "Column");
    TextEdit r = apply_markdown_action("A\n\nB", 1, 1, MarkdownAction::rule);
    EXPECT_EQ(r.text, "A\n\n---\n\nB");
    TextEdit l = apply_markdown_action("See the refund rules.", 8, 20, MarkdownAction::link, "#/a/refunds", "Refunds");
    EXPECT_EQ(l.text, "See the [refund rules](#/a/refunds).");
    TextEdit l2 = apply_markdown_action("See ", 4, 4, MarkdownAction::link, "#/a/refunds", "Refunds");
    EXPECT_EQ(l2.text, "See [Refunds](#/a/refunds)");
    // Out-of-range offsets are clamped, never a crash.
    EXPECT_EQ(apply_markdown_action("x", 9, -3, MarkdownAction::bold).text, "**x**");
}

TEST(MarkdownEdit, SlugsFromTitles) {
    EXPECT_EQ(slug_from_title("Café crème refunds"), "cafe-creme-refunds");
    EXPECT_EQ(slug_from_title("  Jürgen's   Straße: 2 for 1!  "), "jurgens-strasse-2-for-1");
    EXPECT_EQ(slug_from_title("😀 Gift cards"), "gift-cards");
    EXPECT_EQ(slug_from_title(std::string(200, 'a')).size(), 80u);
    EXPECT_EQ(slug_from_title("¿?"), "");
}

}  // namespace
}  // namespace handbook
