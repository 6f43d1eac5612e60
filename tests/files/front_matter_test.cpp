#include <gtest/gtest.h>

#include "core/front_matter.h"

using namespace handbook;

namespace {
const char* kGood =
    "---\n"
    "title: Refund windows\n"
    "slug: refund-windows\n"
    "category: Refunds and returns\n"
    "tags: [refund, receipt]\n"
    "owner: Customer Service\n"
    "effective: 2026-01-15\n"
    "review_by: 2027-01-15\n"
    "status: published\n"
    "---\n"
    "\n"
    "Most goods: **30 days**.\n";

std::string replace(std::string text, const std::string& from, const std::string& to) {
    auto pos = text.find(from);
    EXPECT_NE(pos, std::string::npos);
    return text.replace(pos, from.size(), to);
}
}  // namespace

TEST(FrontMatter, ReadsAllFields) {
    ParsedArticle p = parse_article_file(kGood, "refund-windows.md");
    ASSERT_TRUE(p.errors.empty()) << p.errors[0].message;
    EXPECT_TRUE(p.warnings.empty());
    EXPECT_EQ(p.article.title, "Refund windows");
    EXPECT_EQ(p.article.slug, "refund-windows");
    EXPECT_EQ(p.article.tags, (std::vector<std::string>{"refund", "receipt"}));
    EXPECT_EQ(p.article.effective, "2026-01-15");
    EXPECT_EQ(p.article.body, "Most goods: **30 days**.\n");
}

TEST(FrontMatter, FormatThenParseGivesTheSameArticle) {
    ParsedArticle p = parse_article_file(kGood, "refund-windows.md");
    ParsedArticle again = parse_article_file(format_article_file(p.article), "refund-windows.md");
    ASSERT_TRUE(again.errors.empty());
    EXPECT_TRUE(same_content(p.article, again.article));
}

TEST(FrontMatter, MissingTitleIsAnErrorNamingTheField) {
    ParsedArticle p = parse_article_file(replace(kGood, "title: Refund windows\n", ""), "refund-windows.md");
    ASSERT_EQ(p.errors.size(), 1u);
    EXPECT_NE(p.errors[0].message.find("title"), std::string::npos);
}

TEST(FrontMatter, InvalidDateIsReportedOnItsLine) {
    ParsedArticle p = parse_article_file(replace(kGood, "2026-01-15", "2026-02-30"), "refund-windows.md");
    ASSERT_EQ(p.errors.size(), 1u);
    EXPECT_EQ(p.errors[0].line, 7);
    EXPECT_NE(p.errors[0].message.find("effective"), std::string::npos);
}

TEST(FrontMatter, BadYamlIsReportedWithALine) {
    ParsedArticle p = parse_article_file(replace(kGood, "tags: [refund, receipt]", "tags: [refund, receipt"), "refund-windows.md");
    ASSERT_EQ(p.errors.size(), 1u);
    EXPECT_GE(p.errors[0].line, 5);
    EXPECT_NE(p.errors[0].message.find("YAML"), std::string::npos);
}

TEST(FrontMatter, UnclosedFrontMatter) {
    ParsedArticle p = parse_article_file("---\ntitle: x\n\nno closing line\n", "x.md");
    ASSERT_EQ(p.errors.size(), 1u);
    EXPECT_NE(p.errors[0].message.find("never closed"), std::string::npos);
}

TEST(FrontMatter, NoFrontMatterAtAll) {
    ParsedArticle p = parse_article_file("# Just markdown\n", "x.md");
    ASSERT_EQ(p.errors.size(), 1u);
    EXPECT_EQ(p.errors[0].line, 1);
}

TEST(FrontMatter, NonUtf8BytesAreReportedWithTheirLine) {
    std::string text = std::string(kGood) + "Second line\nbad \xff byte\n";
    ParsedArticle p = parse_article_file(text, "refund-windows.md");
    ASSERT_EQ(p.errors.size(), 1u);
    EXPECT_EQ(p.errors[0].line, 14);
    EXPECT_NE(p.errors[0].message.find("UTF-8"), std::string::npos);
}

TEST(FrontMatter, OversizedFileIsRefused) {
    std::string text = std::string(kGood) + std::string(kMaxArticleFileBytes, 'a');
    ParsedArticle p = parse_article_file(text, "refund-windows.md");
    ASSERT_EQ(p.errors.size(), 1u);
    EXPECT_NE(p.errors[0].message.find("limit"), std::string::npos);
}

TEST(FrontMatter, UnknownFieldsAndSlugMismatchAreWarnings) {
    ParsedArticle p = parse_article_file(replace(kGood, "status: published\n", "status: published\ncolour: blue\n"), "other-name.md");
    EXPECT_TRUE(p.errors.empty());
    ASSERT_EQ(p.warnings.size(), 2u);
    EXPECT_NE(p.warnings[0].message.find("colour"), std::string::npos);
    EXPECT_NE(p.warnings[1].message.find("other-name"), std::string::npos);
}

TEST(FrontMatter, FieldsThatAreNotSingleValues) {
    ParsedArticle p = parse_article_file(replace(kGood, "title: Refund windows", "title: [a, b]"), "refund-windows.md");
    ASSERT_FALSE(p.errors.empty());
    EXPECT_EQ(p.errors[0].line, 2);
}
