#include <gtest/gtest.h>

#include "core/spelling.h"

using namespace handbook;

TEST(Spelling, EditDistance) {
    EXPECT_EQ(bounded_edit_distance("refund", "refund", 2), 0);
    EXPECT_EQ(bounded_edit_distance("refnd", "refund", 2), 1);       // deletion
    EXPECT_EQ(bounded_edit_distance("recieve", "receive", 2), 1);    // transposition
    EXPECT_EQ(bounded_edit_distance("parsel", "parcel", 2), 1);      // substitution
    EXPECT_EQ(bounded_edit_distance("escalaton", "escalation", 2), 1);
    EXPECT_EQ(bounded_edit_distance("abc", "xyz", 1), 2);            // capped at max + 1
    EXPECT_EQ(bounded_edit_distance("a", "abcdef", 2), 3);
}

TEST(Spelling, CorrectsToTheCommonestNearestWord) {
    Vocabulary v;
    v.assign({{"refund", 40}, {"refunds", 3}, {"rotund", 1}, {"parcel", 10}, {"parcels", 2}, {"pardon", 1}});
    EXPECT_EQ(v.correct_word("refnd").value_or(""), "refund");
    EXPECT_EQ(v.correct_word("parsel").value_or(""), "parcel");
    EXPECT_FALSE(v.correct_word("xyzzy").has_value());
    EXPECT_FALSE(v.correct_word("ab").has_value());  // too short to guess
    EXPECT_TRUE(v.has_prefix("parc"));
    EXPECT_FALSE(v.has_prefix("parx"));
    EXPECT_EQ(v.correct_prefix("refn").value_or(""), "ref");  // refund's "ref" is one deletion away
    EXPECT_EQ(v.correct_prefix("pacel").value_or(""), "parcel");
}
