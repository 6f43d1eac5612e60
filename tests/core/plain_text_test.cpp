#include <gtest/gtest.h>

#include "core/plain_text.h"

using namespace handbook;

TEST(PlainText, DropsMarkdownSyntaxButKeepsWords) {
    std::string text = markdown_to_plain_text(
        "## Refund windows\n\nMost goods: **30 days** with [proof](proof-of-purchase.md).\n\n"
        "| product | window |\n|---|---|\n| sale | 14 days |\n\n- first\n- second\n");
    EXPECT_NE(text.find("Refund windows"), std::string::npos);
    EXPECT_NE(text.find("30 days"), std::string::npos);
    EXPECT_NE(text.find("proof"), std::string::npos);
    EXPECT_EQ(text.find("**"), std::string::npos);
    EXPECT_EQ(text.find("proof-of-purchase.md"), std::string::npos);
    EXPECT_EQ(text.find('|'), std::string::npos);
    EXPECT_EQ(text.find("##"), std::string::npos);
    EXPECT_NE(text.find("sale \xE2\x80\x93 14 days"), std::string::npos) << "cells kept apart: " << text;
}

// Issue 15: snippet artefacts came from the plain text: a full stop after every list item
// and table row ("returns;." "(advisors: $25 goodwill);." "purchase. an e-receipt") and
// table cells run together ("a team leader team leader responds").
TEST(PlainText, ListItemsAndRowsAreLinesNotSentences) {
    std::string text = markdown_to_plain_text(
        "## Escalate when\n\n- it costs more than you can approve (advisors: $25 goodwill);\n- the customer disputes it\n\n"
        "| when | who |\n|---|---|\n| case escalated to a team leader | team leader responds |\n");
    EXPECT_EQ(text,
              "Escalate when.\n"
              "it costs more than you can approve (advisors: $25 goodwill);\n"
              "the customer disputes it\n"
              "when \xE2\x80\x93 who\n"
              "case escalated to a team leader \xE2\x80\x93 team leader responds");
}

TEST(PlainText, OneLinePassageSeparatesLinesThatAreNotSentences) {
    EXPECT_EQ(one_line_passage("Escalate when.\nit costs more;\nthe customer disputes it\nthe same customer again"),
              "Escalate when. it costs more; the customer disputes it \xC2\xB7 the same customer again");
    // Highlight marks (\x01 \x02) are not text: the line before ends with "it".
    EXPECT_EQ(one_line_passage("disputes \x01it\x02\nagain"), "disputes \x01it\x02 \xC2\xB7 again");
    EXPECT_EQ(one_line_passage("\xE2\x80\xA6. Next step"), "\xE2\x80\xA6Next step") << "no punctuation after a leading ellipsis";
    EXPECT_EQ(one_line_passage("\xE2\x80\xA6 word"), "\xE2\x80\xA6word");
}

TEST(PlainText, FindsLinksToOtherArticles) {
    auto links = article_links("See [windows](refund-windows.md), [ladder](#/a/escalation-ladder) and "
                               "[site](https://example.com/page.md) and [anchor](faulty-goods.md#repairs).");
    ASSERT_EQ(links.size(), 3u);
    EXPECT_EQ(links[0], "refund-windows");
    EXPECT_EQ(links[1], "escalation-ladder");
    EXPECT_EQ(links[2], "faulty-goods");
}
