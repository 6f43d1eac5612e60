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

// Issue 15: "café crème" was "corrected" to "case reme". A correction must be a typo
// someone could make: first letter kept; a short word only loses, gains or swaps letters.
TEST(Spelling, CorrectsOnlyPlausibleTypos) {
    Vocabulary v;
    v.assign({{"case", 21}, {"care", 1}, {"cage", 1}, {"came", 8}, {"safe", 5}, {"stock", 9}, {"remedy", 3},
              {"remember", 2}, {"widgets", 15}, {"parcel", 10}});
    EXPECT_FALSE(v.correct_word("cafe").has_value()) << "one letter replaced in a short word: anything could be meant";
    EXPECT_FALSE(v.correct_word("creme").has_value());
    EXPECT_FALSE(v.correct_prefix("creme").has_value()) << "not 'reme' (remedy) with its first letter gone";
    EXPECT_FALSE(v.correct_prefix("kwid").has_value()) << "not 'wid' (widgets)";
    EXPECT_EQ(v.correct_word("stok").value_or(""), "stock") << "a short word with a letter left out";
    EXPECT_EQ(v.correct_word("cmae").value_or(""), "came") << "two letters swapped";
    EXPECT_EQ(v.correct_word("parsel").value_or(""), "parcel") << "five letters and more: a letter replaced";
    EXPECT_FALSE(v.correct_word("barcel").has_value()) << "the first letter is kept";

    EXPECT_TRUE(Vocabulary::is_plausible_typo("stok", "stock"));
    EXPECT_TRUE(Vocabulary::is_plausible_typo("stoock", "stock"));
    EXPECT_TRUE(Vocabulary::is_plausible_typo("csae", "case"));
    EXPECT_FALSE(Vocabulary::is_plausible_typo("cafe", "case"));
    EXPECT_FALSE(Vocabulary::is_plausible_typo("afe", "safe"));
}
