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
    EXPECT_NE(text.find("sale 14 days"), std::string::npos);
}

TEST(PlainText, FindsLinksToOtherArticles) {
    auto links = article_links("See [windows](refund-windows.md), [ladder](#/a/escalation-ladder) and "
                               "[site](https://example.com/page.md) and [anchor](faulty-goods.md#repairs).");
    ASSERT_EQ(links.size(), 3u);
    EXPECT_EQ(links[0], "refund-windows");
    EXPECT_EQ(links[1], "escalation-ladder");
    EXPECT_EQ(links[2], "faulty-goods");
}
