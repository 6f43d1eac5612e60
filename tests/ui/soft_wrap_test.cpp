// Soft wrapping of the editor's body (src/ui/soft_wrap.h): where lines break, how
// positions map, and that an edit of the wrapped display comes back as the same edit of
// the text, soft breaks never leaking into it. A fixed-width measure: 10 px a character.
#include "soft_wrap.h"

#include <gtest/gtest.h>

#include <random>

using namespace handbook::ui;

namespace {

float ten_per_char(const char* b, const char* e) {
    int chars = 0;
    for (const char* p = b; p < e; ++p)
        if ((static_cast<unsigned char>(*p) & 0xC0) != 0x80) ++chars;
    return 10.0f * static_cast<float>(chars);
}

SoftWrap wrap(const std::string& text, float width = 100) { return soft_wrap(text, width, ten_per_char); }

// What ImGui's field would hold after replacing display[begin, end) with `typed`.
std::string edited(const SoftWrap& w, int begin, int end, const std::string& typed) {
    return w.display.substr(0, static_cast<size_t>(begin)) + typed + w.display.substr(static_cast<size_t>(end));
}

}  // namespace

TEST(SoftWrap, BreaksAfterTheSpacesThatEndAWord) {
    const SoftWrap w = wrap("the quick brown fox jumps");
    EXPECT_EQ(w.display, "the quick \nbrown fox \njumps");
    EXPECT_EQ(w.breaks, (std::vector<int>{10, 20}));
}

TEST(SoftWrap, KeepsHardBreaksAndShortLinesAsTheyAre) {
    EXPECT_EQ(wrap("one\ntwo\n\nthree").display, "one\ntwo\n\nthree");
    EXPECT_TRUE(wrap("one\ntwo").breaks.empty());
    EXPECT_EQ(wrap("").display, "");
    EXPECT_EQ(wrap("a line of twelve\nshort").display, "a line of \ntwelve\nshort");
}

TEST(SoftWrap, BreaksAWordLongerThanTheLineWithoutSplittingACharacter) {
    EXPECT_EQ(wrap("abcdefghijklmnopqrstuvwxyz").display, "abcdefghij\nklmnopqrst\nuvwxyz");
    // Two bytes a character: breaks every 20 bytes, never inside one.
    const std::string e12 = "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9";
    const SoftWrap w = wrap(e12);
    EXPECT_EQ(w.breaks, (std::vector<int>{20}));
    // A short word after a long one starts on the long one's last line when it fits.
    EXPECT_EQ(wrap("abcdefghijklm no").display, "abcdefghij\nklm no");
}

TEST(SoftWrap, PositionsMapBothWays) {
    const std::string text = "the quick brown fox jumps over the lazy dog";
    const SoftWrap w = wrap(text);
    for (int t = 0; t <= static_cast<int>(text.size()); ++t) EXPECT_EQ(text_offset(w, display_offset(w, t)), t) << t;
    // At a soft break the caret shows at the start of the next line ...
    EXPECT_EQ(display_offset(w, 10), 11);
    // ... and the end of the line above is the same text position.
    EXPECT_EQ(text_offset(w, 10), 10);
    EXPECT_EQ(text_offset(w, 11), 10);
}

// "the quick \nbrown fox \njumps" on show: `typed` replaces display[begin, end), the caret
// having been at `old_caret`; the caret ends after what was typed.
const std::string kFox = "the quick brown fox jumps";
UnwrappedEdit fox_edit(int begin, int end, const std::string& typed, int old_caret) {
    const SoftWrap w = wrap(kFox);
    const int caret = begin + static_cast<int>(typed.size());
    return unwrap_edit(kFox, w, edited(w, begin, end, typed), caret, caret, caret, old_caret);
}

TEST(SoftWrap, TypingKeepsTheTextFreeOfSoftBreaks) {
    // "X" typed at the start of the second display line ("brown").
    const UnwrappedEdit e = fox_edit(11, 11, "X", 11);
    EXPECT_EQ(e.text, "the quick Xbrown fox jumps");
    EXPECT_EQ(e.caret, 11);
    // Enter typed at the end of the first display line: one line break, the person's.
    const UnwrappedEdit enter = fox_edit(10, 10, "\n", 10);
    EXPECT_EQ(enter.text, "the quick \nbrown fox jumps");
    EXPECT_EQ(enter.caret, 11);
}

TEST(SoftWrap, BackspaceAndDeleteAtASoftBreakActOnTheText) {
    // Backspace at the start of "brown" (the caret was after the break): the space before
    // goes, the words join.
    const UnwrappedEdit back = fox_edit(10, 11, "", 11);
    EXPECT_EQ(back.text, "the quickbrown fox jumps");
    EXPECT_EQ(back.caret, 9);
    // Delete at the end of "the quick " (the caret was before it): the "b" goes.
    const UnwrappedEdit del = fox_edit(10, 11, "", 10);
    EXPECT_EQ(del.text, "the quick rown fox jumps");
    EXPECT_EQ(del.caret, 10);
}

TEST(SoftWrap, ASelectionAcrossSoftBreaksIsReplacedInTheText) {
    // "quick \nbrown fox \nju" selected and replaced by a pasted two-line text.
    const UnwrappedEdit e = fox_edit(4, 24, "A\nB", 24);
    EXPECT_EQ(e.text, "the A\nBmps");
    EXPECT_EQ(e.caret, 7);
}

TEST(SoftWrap, CopyLeavesSoftBreaksOut) {
    const std::string text = "the quick brown fox jumps";
    const SoftWrap w = wrap(text);
    EXPECT_EQ(unwrap_copied(text, w, "quick \nbrown fox \nju", 4, 24), "quick brown fox ju");
    // The selection moved in the same frame (Ctrl+A, Ctrl+C): found in the display.
    EXPECT_EQ(unwrap_copied(text, w, w.display, 4, 4), text);
    EXPECT_EQ(unwrap_copied(text, w, "not there", 0, 3), "not there");
}

// Any edit of the display, anywhere, with any text typed: the text that comes back is
// the text with that edit made, and a rewrap of it has no soft break in the text.
TEST(SoftWrap, RandomEditsComeBackAsTheSameEditOfTheText) {
    std::mt19937 rng(20261206);
    const std::string alphabet = "ab \n\xC3\xA9";
    auto random_text = [&](int max_len) {
        std::string s;
        const int n = static_cast<int>(rng() % static_cast<unsigned>(max_len));
        for (int i = 0; i < n; ++i) {
            const size_t k = rng() % 4;
            s += k == 3 ? std::string("\xC3\xA9") : std::string(1, alphabet[k]);
        }
        return s;
    };
    for (int round = 0; round < 20000; ++round) {
        const std::string text = random_text(80);
        const SoftWrap w = soft_wrap(text, 40 + static_cast<float>(rng() % 60), ten_per_char);
        ASSERT_EQ(text_offset(w, static_cast<int>(w.display.size())), static_cast<int>(text.size()));
        // An edit on character boundaries of the text: replace text[a, b) by `typed`,
        // made where ImGui would make it, in the display.
        std::vector<int> bounds;
        for (int i = 0; i <= static_cast<int>(text.size()); ++i)
            if (i == static_cast<int>(text.size()) || (static_cast<unsigned char>(text[static_cast<size_t>(i)]) & 0xC0) != 0x80) bounds.push_back(i);
        int a = bounds[rng() % bounds.size()], b = bounds[rng() % bounds.size()];
        if (a > b) std::swap(a, b);
        std::string typed = random_text(6);
        if (a == b && typed.empty()) typed = "b";
        const int da = display_offset(w, a);
        // The end of a selection that stops at a soft break is the end of the line above.
        const int db = b > a ? text_offset(w, display_offset(w, b) - 1) == b ? display_offset(w, b) - 1 : display_offset(w, b)
                             : da;
        const std::string after = edited(w, da, db, typed);
        const int caret = da + static_cast<int>(typed.size());
        const UnwrappedEdit e = unwrap_edit(text, w, after, caret, caret, caret, db);
        const std::string expected = text.substr(0, static_cast<size_t>(a)) + typed + text.substr(static_cast<size_t>(b));
        ASSERT_EQ(e.text, expected) << "text=[" << text << "] display=[" << w.display << "] a=" << a << " b=" << b
                                    << " typed=[" << typed << "]";
        ASSERT_EQ(e.caret, a + static_cast<int>(typed.size()));
    }
}

// Rewrapping after an edit measures only the touched lines, and gives exactly what
// wrapping the whole new text gives.
TEST(SoftWrap, RewrapAfterAnEditEqualsAWholeWrap) {
    std::mt19937 rng(7);
    const std::string alphabet = "ab \n";
    auto random_text = [&](int max_len) {
        std::string s;
        const int n = static_cast<int>(rng() % static_cast<unsigned>(max_len));
        for (int i = 0; i < n; ++i) s += rng() % 9 == 0 ? std::string("\xC3\xA9") : std::string(1, alphabet[rng() % 4]);
        return s;
    };
    for (int round = 0; round < 20000; ++round) {
        const std::string text = random_text(120);
        const float width = 30 + static_cast<float>(rng() % 80);
        const SoftWrap old_wrap = soft_wrap(text, width, ten_per_char);
        const size_t a = text.empty() ? 0 : rng() % (text.size() + 1);
        const size_t b = std::min(text.size(), a + rng() % 8);
        std::string edited_text = text.substr(0, a) + random_text(8) + text.substr(b);
        const SoftWrap whole = soft_wrap(edited_text, width, ten_per_char);
        const SoftWrap part = soft_rewrap(old_wrap, text, edited_text, width, ten_per_char);
        ASSERT_EQ(part.breaks, whole.breaks) << "[" << text << "] -> [" << edited_text << "] width " << width;
        ASSERT_EQ(part.display, whole.display);
    }
    // Only the edited paragraph is measured again.
    std::string long_text;
    for (int i = 0; i < 200; ++i) long_text += "a paragraph of several words that wraps over lines\n";
    int measured = 0;
    const MeasureText counting = [&](const char* b, const char* e) {
        ++measured;
        return ten_per_char(b, e);
    };
    const SoftWrap w = soft_wrap(long_text, 100, counting);
    const int whole_cost = measured;
    std::string typed = long_text;
    typed.insert(100 * 52 + 3, "x");
    measured = 0;
    EXPECT_EQ(soft_rewrap(w, long_text, typed, 100, counting).display, soft_wrap(typed, 100, ten_per_char).display);
    EXPECT_LT(measured * 50, whole_cost) << measured << " of " << whole_cost;
}
