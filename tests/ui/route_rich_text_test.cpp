// URL hash routes (they come from pasted links: anything must parse safely) and the
// hand-made text layout (wrapping, highlights).
#include <gtest/gtest.h>
#include <imgui.h>

#include "fonts.h"
#include "rich_text.h"
#include "route.h"
#include "ui_platform.h"

namespace handbook::ui {
namespace {

TEST(Route, RoundTrips) {
    Route search{Screen::search, "refund damaged parcel & more/less", "Refunds and returns", "refund", "", "", 0};
    EXPECT_EQ(format_route(search), "#/search/refund%20damaged%20parcel%20%26%20more%2Fless?category=Refunds%20and%20returns&tag=refund");
    EXPECT_EQ(parse_route(format_route(search)), search);
    Route article{Screen::article, "", "", "", "damaged-deliveries", "", 0};
    EXPECT_EQ(format_route(article), "#/a/damaged-deliveries");
    EXPECT_EQ(parse_route("#/a/damaged-deliveries"), article);
    EXPECT_EQ(format_route(Route{}), "#/");
    Route accented{Screen::search, "caf\xC3\xA9", "", "", "", "", 0};
    EXPECT_EQ(parse_route(format_route(accented)), accented);
}

TEST(Route, TheWriteSidesScreensRoundTrip) {
    for (const char* hash : {"#/new", "#/edit/refunds", "#/draft/d-3f9a", "#/drafts", "#/review", "#/review/42", "#/history/refunds"})
        EXPECT_EQ(format_route(parse_route(hash)), hash) << hash;
    EXPECT_EQ(parse_route("#/review/42").review, 42);
    EXPECT_EQ(parse_route("#/edit/refunds").screen, Screen::edit);
    // Hostile ids and slugs fall back to home or the list.
    EXPECT_EQ(parse_route("#/edit/..%2Fx").screen, Screen::home);
    EXPECT_EQ(parse_route("#/draft/<script>").screen, Screen::home);
    EXPECT_EQ(parse_route("#/review/99999999999999999999").review, 0);
    EXPECT_EQ(parse_route("#/review/-1").review, 0);
}

TEST(Route, HostileOrOddHashesFallBackToHome) {
    EXPECT_EQ(parse_route("").screen, Screen::home);
    EXPECT_EQ(parse_route("#").screen, Screen::home);
    EXPECT_EQ(parse_route("#/search/").screen, Screen::home);
    EXPECT_EQ(parse_route("#/a/..%2Fsecret").screen, Screen::home);
    EXPECT_EQ(parse_route("#/a/Not_A_Slug").screen, Screen::home);
    EXPECT_EQ(parse_route("#/search/%FF%FE").screen, Screen::home) << "invalid UTF-8 is dropped";
    EXPECT_EQ(parse_route("#/search/%").query, "%");
    EXPECT_EQ(parse_route("#/search/" + std::string(5000, 'a')).screen, Screen::home);
    EXPECT_EQ(parse_route("#/nowhere").screen, Screen::home);
}

class RichText : public ::testing::Test {
protected:
    void SetUp() override {
        ctx_ = ImGui::CreateContext();
        fonts_ = build_fonts(*ImGui::GetIO().Fonts, FontFiles{}, 16, 1);
        unsigned char* px = nullptr;
        int w = 0, h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&px, &w, &h);
    }
    void TearDown() override { ImGui::DestroyContext(ctx_); }
    ImGuiContext* ctx_ = nullptr;
    Fonts fonts_;
};

TEST_F(RichText, WrapsWithinTheWidthAndKeepsEveryWord) {
    std::vector<RichRun> runs{{"one two three four five six seven eight nine ten", fonts_.body, 0}};
    RichLayout wide = layout_rich_text(runs, 2000);
    EXPECT_EQ(wide.lines, 1);
    RichLayout narrow = layout_rich_text(runs, 100);
    EXPECT_GT(narrow.lines, 3);
    std::string words;
    for (const PlacedText& p : narrow.pieces) {
        EXPECT_LE(p.pos.x + p.size.x, 100.5f) << p.text;
        words += p.text + " ";
    }
    EXPECT_EQ(words, "one two three four five six seven eight nine ten ");
    EXPECT_GT(narrow.size.y, wide.size.y * 3);
}

TEST_F(RichText, BreaksAWordLongerThanTheLine) {
    std::vector<RichRun> runs{{std::string(80, 'w'), fonts_.body, 0}};
    RichLayout l = layout_rich_text(runs, 60);
    EXPECT_GT(l.lines, 2);
    for (const PlacedText& p : l.pieces) EXPECT_LE(p.size.x, 60.5f);
}

TEST_F(RichText, HighlightsSearchTermsAndRanges) {
    std::vector<RichRun> runs;
    append_highlighted(runs, "Refunds for a damaged parcel, refunded.", RichRun{{}, fonts_.body, 0}, {"refund", "parcel"});
    std::string marked;
    for (const RichRun& r : runs)
        if (r.highlight) marked += "[" + r.text + "]";
    EXPECT_EQ(marked, "[Refunds][parcel][refunded]");
    std::string all;
    for (const RichRun& r : runs) all += r.text;
    EXPECT_EQ(all, "Refunds for a damaged parcel, refunded.");

    std::vector<RichRun> ranged;
    append_ranges(ranged, "late parcel", RichRun{{}, fonts_.body, 0}, {{5, 6}, {3, 100}});
    ASSERT_EQ(ranged.size(), 2u);
    EXPECT_EQ(ranged[1].text, "parcel");
    EXPECT_TRUE(ranged[1].highlight);
    EXPECT_FALSE(word_matches_term("at", {"a"})) << "short terms match whole words only";
    EXPECT_TRUE(word_matches_term("a", {"a"}));
}

TEST_F(RichText, ExplicitLineBreaks) {
    std::vector<RichRun> runs{{"first\nsecond", fonts_.body, 0}};
    RichLayout l = layout_rich_text(runs, 1000);
    EXPECT_EQ(l.lines, 2);
    ASSERT_EQ(l.pieces.size(), 2u);
    EXPECT_GT(l.pieces[1].pos.y, l.pieces[0].pos.y);
}

// The atlas is baked at CSS size x devicePixelRatio: it must stay within what a
// tablet's GPU takes (4096 px is safe everywhere WebGL 2 runs) even at the largest
// text size on a 3x phone screen.
TEST(Fonts, AtlasFitsAGpuTextureAtTheLargestSizes) {
    const std::string noto = "/usr/share/fonts/truetype/noto/";
    FontFiles files{noto + "NotoSans-Regular.ttf", noto + "NotoSans-Bold.ttf", noto + "NotoSans-Italic.ttf",
                    "/usr/share/fonts/truetype/font-awesome/fontawesome-webfont.ttf"};
    ImGuiContext* ctx = ImGui::CreateContext();
    ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
    Fonts fonts = build_fonts(atlas, files, 16 * kTextScales[kTextSizeCount - 1], 3.0f);
    if (!fonts.real_fonts) {
        ImGui::DestroyContext(ctx);
        GTEST_SKIP() << "Debian's Noto Sans is not installed here";
    }
    EXPECT_LE(atlas.TexWidth, 4096);
    EXPECT_LE(atlas.TexHeight, 4096);
    EXPECT_NEAR(font_size(fonts.body), 24.0f, 0.01f) << "sizes stay in CSS pixels";
    ImGui::DestroyContext(ctx);
}

}  // namespace
}  // namespace handbook::ui
