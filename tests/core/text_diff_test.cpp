// Diffs between versions: lines added, removed and changed (with the words marked).
#include <gtest/gtest.h>

#include "core/text_diff.h"

using namespace handbook;

TEST(TextDiff, MarksTheWordsChangedWithinALine) {
    TextDiff d = diff_text("# Refunds\n\nRefunds within 30 days with a receipt.\nKeep the box.\n",
                           "# Refunds\n\nRefunds within 14 days with a receipt.\nKeep the box.\nAsk for ID.\n");
    EXPECT_EQ(d.changed, 1);
    EXPECT_EQ(d.added, 1);
    EXPECT_EQ(d.removed, 0);
    const DiffLine* changed = nullptr;
    for (const DiffLine& l : d.lines)
        if (l.kind == DiffLine::Kind::changed) changed = &l;
    ASSERT_NE(changed, nullptr);
    EXPECT_EQ(changed->old_number, 3);
    EXPECT_EQ(changed->new_number, 3);
    std::string removed, added, same;
    for (const DiffSpan& s : changed->spans) {
        if (s.kind == DiffSpan::Kind::removed) removed += s.text;
        else if (s.kind == DiffSpan::Kind::added) added += s.text;
        else same += s.text;
    }
    EXPECT_EQ(removed, "30");
    EXPECT_EQ(added, "14");
    EXPECT_NE(same.find("Refunds within"), std::string::npos);
    EXPECT_EQ(d.lines.back().kind, DiffLine::Kind::added);
    EXPECT_EQ(d.lines.back().new_text, "Ask for ID.");
}

TEST(TextDiff, UnrelatedLinesAreARemovalAndAnAddition) {
    TextDiff d = diff_text("Gift cards are not refundable.\n", "Call the store manager at once.\n");
    EXPECT_EQ(d.changed, 0);
    EXPECT_EQ(d.added, 1);
    EXPECT_EQ(d.removed, 1);
}

TEST(TextDiff, AccentedTextStaysWholeAndNothingChangedIsEmpty) {
    TextDiff d = diff_text("Café crème for Jürgen.\n", "Café noir for Jürgen.\n");
    ASSERT_EQ(d.changed, 1);
    std::string all;
    for (const DiffLine& l : d.lines)
        for (const DiffSpan& s : l.spans) all += s.text + "|";
    EXPECT_NE(all.find("crème"), std::string::npos) << all;
    EXPECT_NE(all.find("Jürgen"), std::string::npos) << all;
    EXPECT_TRUE(diff_text("same\ntext\n", "same\ntext\n").empty());
    EXPECT_TRUE(diff_text("", "").empty());
}

TEST(TextDiff, FieldsAndTextOfTwoVersions) {
    Article a{"refunds", "Refunds", "Refunds and returns", {"refund"}, "CS", "2026-01-01", "2027-01-01", "published", "One.\nTwo.\n"};
    Article b = a;
    b.title = "Refunds and exchanges";
    b.tags = {"refund", "exchange"};
    b.body = "One.\nThree.\n";
    VersionDiff d = diff_articles(a, b);
    ASSERT_EQ(d.fields.size(), 2u);
    EXPECT_EQ(d.fields[0].field, "title");
    EXPECT_EQ(d.fields[1].after, "refund, exchange");
    const std::string text = format_diff(d, false);
    EXPECT_NE(text.find("title: Refunds -> Refunds and exchanges"), std::string::npos) << text;
    EXPECT_NE(text.find("- Two."), std::string::npos) << text;
    EXPECT_NE(text.find("+ Three."), std::string::npos) << text;
    EXPECT_EQ(format_diff(diff_articles(a, a), false), "(no differences)\n");
}

TEST(TextDiff, ALongArticleDiffsWhole) {
    std::string before, after;
    for (int i = 0; i < 5000; ++i) {
        before += "Line " + std::to_string(i) + " of the policy.\n";
        after += (i % 100 == 7 ? "Changed line " : "Line ") + std::to_string(i) + " of the policy.\n";
    }
    TextDiff d = diff_text(before, after);
    EXPECT_EQ(d.changed, 50);
    EXPECT_EQ(d.added + d.removed, 0);
}
