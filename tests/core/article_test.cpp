#include <gtest/gtest.h>

#include "core/article.h"
#include "test_corpus.h"

using namespace handbook;

TEST(Article, SlugRules) {
    EXPECT_TRUE(is_valid_slug("refund-windows"));
    EXPECT_TRUE(is_valid_slug("a1"));
    EXPECT_FALSE(is_valid_slug(""));
    EXPECT_FALSE(is_valid_slug("Refund"));
    EXPECT_FALSE(is_valid_slug("refund windows"));
    EXPECT_FALSE(is_valid_slug("-refund"));
    EXPECT_FALSE(is_valid_slug("refund-"));
    EXPECT_FALSE(is_valid_slug("../etc/passwd"));
    EXPECT_FALSE(is_valid_slug(std::string(81, 'a')));
}

TEST(Article, DatesMustBeRealCalendarDates) {
    EXPECT_TRUE(is_valid_date("2026-01-31"));
    EXPECT_TRUE(is_valid_date("2024-02-29"));
    EXPECT_FALSE(is_valid_date("2023-02-29"));
    EXPECT_FALSE(is_valid_date("1900-02-29"));
    EXPECT_TRUE(is_valid_date("2000-02-29"));
    EXPECT_FALSE(is_valid_date("2026-13-01"));
    EXPECT_FALSE(is_valid_date("2026-04-31"));
    EXPECT_FALSE(is_valid_date("2026-4-30"));
    EXPECT_FALSE(is_valid_date("30/04/2026"));
    EXPECT_FALSE(is_valid_date("2026-00-10"));
}

TEST(Article, Utf8Validation) {
    size_t bad = 0;
    EXPECT_TRUE(is_valid_utf8("plain ascii"));
    EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xF0\x9F\x98\x80"));
    EXPECT_FALSE(is_valid_utf8("abc\xFF", &bad));
    EXPECT_EQ(bad, 3u);
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
    EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
}

TEST(Article, ValidationNamesEveryProblem) {
    Article a = test::make_article("ok-slug", "", "Refunds and returns", {}, "text");
    a.effective = "2026-02-30";
    a.status = "live";
    auto problems = validate_article(a);
    std::vector<std::string> fields;
    for (const auto& p : problems) fields.push_back(p.field);
    EXPECT_NE(std::find(fields.begin(), fields.end(), "title"), fields.end());
    EXPECT_NE(std::find(fields.begin(), fields.end(), "effective"), fields.end());
    EXPECT_NE(std::find(fields.begin(), fields.end(), "status"), fields.end());
    EXPECT_EQ(std::find(fields.begin(), fields.end(), "slug"), fields.end());
}

TEST(Article, ReviewDateBeforeEffectiveIsRejected) {
    Article a = test::make_article("x", "X", "C", {}, "text");
    a.review_by = "2025-01-01";
    auto problems = validate_article(a);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].field, "review_by");
}

TEST(Article, OversizedBodyIsRejected) {
    Article a = test::make_article("x", "X", "C", {}, std::string(kMaxBodyBytes + 1, 'a'));
    auto problems = validate_article(a);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].field, "body");
}

TEST(Article, ControlCharactersAreRejected) {
    Article a = test::make_article("x", "X", "C", {}, std::string("line one\nline\0two", 17));
    auto problems = validate_article(a);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].field, "body");
    a.body = "tabs\tand\r\nline breaks are fine";
    EXPECT_TRUE(validate_article(a).empty());
    a.title = "Bell\x07";
    EXPECT_FALSE(validate_article(a).empty());
}
