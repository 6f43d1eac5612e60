// The fonts the app ships are subsets of Debian's Noto Sans and Font Awesome, cut at build
// time to the code points fonts.cpp gives ImGui (cmake/Fonts.cmake; this build tree makes
// its own copy with the same function the web build uses). A glyph missing from them
// draws as '?' in the browser and nowhere else, so these tests bake the atlas from the
// subset files, as the app does, and look every needed glyph up in it.
#include <gtest/gtest.h>
#include <imgui.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "fonts.h"
#include "route.h"

namespace handbook::ui {
namespace {

namespace fs = std::filesystem;

const FontFiles kDebianFonts{"/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
                             "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
                             "/usr/share/fonts/truetype/noto/NotoSans-Italic.ttf",
                             "/usr/share/fonts/truetype/font-awesome/fontawesome-webfont.ttf"};

std::vector<unsigned> code_points(const ImWchar* ranges) {
    std::vector<unsigned> out;
    for (const ImWchar* r = ranges; r[0]; r += 2)
        for (unsigned c = r[0]; c <= r[1]; ++c) out.push_back(c);
    return out;
}

bool is_icon(unsigned c) { return c >= 0xE000 && c <= 0xF8FF; }  // Font Awesome uses the Private Use Area

// Every face build_fonts makes, named for failure messages.
std::vector<std::pair<const char*, ImFont*>> faces(const Fonts& f) {
    return {{"body", f.body}, {"bold", f.bold}, {"italic", f.italic}, {"small", f.small}, {"small_bold", f.small_bold},
            {"h1", f.h1}, {"h2", f.h2}, {"h3", f.h3}, {"icon_large", f.icon_large}};
}

std::string hex(unsigned c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", c);
    return buf;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// UTF-8 to code points; a malformed byte is skipped (the article validator reports those).
void decode_utf8(const std::string& bytes, const std::string& where, std::map<unsigned, std::string>& out) {
    for (size_t i = 0; i < bytes.size();) {
        unsigned char b = static_cast<unsigned char>(bytes[i]);
        int extra = b < 0x80 ? 0 : (b >> 5) == 6 ? 1 : (b >> 4) == 14 ? 2 : (b >> 3) == 30 ? 3 : -1;
        if (extra < 0 || i + static_cast<size_t>(extra) >= bytes.size()) {
            ++i;
            continue;
        }
        unsigned c = extra == 0 ? b : b & (0x3Fu >> extra);
        for (int k = 1; k <= extra; ++k) c = (c << 6) | (static_cast<unsigned char>(bytes[i + k]) & 0x3Fu);
        i += static_cast<size_t>(extra) + 1;
        if (c >= 0x20 && c != 0x7F) out.emplace(c, where);
    }
}

// A source file's text plus the bytes its string literals spell as "\xE2\x80\xA6" runs.
void decode_source(const std::string& text, const std::string& where, std::map<unsigned, std::string>& out) {
    decode_utf8(text, where, out);
    std::string bytes;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 2, "\\x") == 0 && i + 3 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 2])) &&
            std::isxdigit(static_cast<unsigned char>(text[i + 3]))) {
            bytes += static_cast<char>(std::stoi(text.substr(i + 2, 2), nullptr, 16));
            i += 3;
        } else if (!bytes.empty()) {
            decode_utf8(bytes, where, out);
            bytes.clear();
        }
    }
    decode_utf8(bytes, where, out);
}

struct Atlases {
    ImFontAtlas full_atlas, subset_atlas;
    Fonts full, subset;
    Atlases() {
        full = build_fonts(full_atlas, kDebianFonts, 16, 1);
        subset = build_fonts(subset_atlas, font_files_in(HANDBOOK_SUBSET_FONTS), 16, 1);
    }
};

// Same glyphs, same metrics: subsetting must not lose a glyph ImGui would have baked
// from the full fonts, nor change one.
TEST(ShippedFonts, HaveEveryGlyphTheFullFontsGiveTheAtlas) {
    Atlases a;
    ASSERT_TRUE(a.full.real_fonts) << "Debian's fonts are a build requirement (fonts-noto-core, fonts-font-awesome)";
    ASSERT_TRUE(a.subset.real_fonts) << "no subset fonts in " << HANDBOOK_SUBSET_FONTS;
    std::vector<unsigned> all = code_points(text_glyph_ranges());
    for (unsigned c : code_points(icon_glyph_ranges())) all.push_back(c);
    auto full_faces = faces(a.full), subset_faces = faces(a.subset);
    int compared = 0;
    for (size_t f = 0; f < full_faces.size(); ++f) {
        std::string missing, changed;
        for (unsigned c : all) {
            const ImFontGlyph* want = full_faces[f].second->FindGlyphNoFallback(static_cast<ImWchar>(c));
            const ImFontGlyph* got = subset_faces[f].second->FindGlyphNoFallback(static_cast<ImWchar>(c));
            if (want && !got) missing += " " + hex(c);
            if (!want && got) changed += " " + hex(c) + " (not in the full font)";
            if (want && got && (want->AdvanceX != got->AdvanceX || want->X1 - want->X0 != got->X1 - got->X0 ||
                                want->Y1 - want->Y0 != got->Y1 - got->Y0))
                changed += " " + hex(c);
            if (want) ++compared;
        }
        EXPECT_EQ(missing, "") << full_faces[f].first << ": glyphs lost by subsetting";
        EXPECT_EQ(changed, "") << full_faces[f].first << ": glyphs that differ from the full font";
    }
    EXPECT_GT(compared, 3000) << "the faces hold the Latin ranges and the icons";
}

// Every character the library's articles and synonyms use, and every character the UI's
// and the core's strings put on screen (snippet ellipsis, list bullets, icons), has a
// glyph in the shipped fonts. A new article with, say, "≥" fails here until its range
// is added to kTextRanges in src/ui/fonts.cpp.
TEST(ShippedFonts, DrawEveryCharacterOfTheArticlesAndTheUi) {
    Atlases a;
    ASSERT_TRUE(a.subset.real_fonts) << "no subset fonts in " << HANDBOOK_SUBSET_FONTS;
    std::map<unsigned, std::string> used;  // code point -> first file that uses it
    const fs::path root = HANDBOOK_SOURCE_DIR;
    int files = 0;
    for (const auto& entry : fs::directory_iterator(root / "articles")) {
        if (!entry.is_regular_file()) continue;
        decode_utf8(read_file(entry.path()), "articles/" + entry.path().filename().string(), used);
        ++files;
    }
    EXPECT_GT(files, 10) << "the articles folder was read";
    for (const char* dir : {"src/ui", "src/core"}) {
        for (const auto& entry : fs::directory_iterator(root / dir)) {
            if (entry.path().extension() != ".cpp" && entry.path().extension() != ".h") continue;
            decode_source(read_file(entry.path()), std::string(dir) + "/" + entry.path().filename().string(), used);
        }
    }
    used.erase(0xFEFF);  // the byte order mark: front_matter.cpp strips it, it is never drawn
    EXPECT_TRUE(used.count(0x2026)) << "the snippet ellipsis is found in the sources";
    EXPECT_TRUE(used.count(0xF002)) << "the search icon is found in icons.h";
    std::string missing;
    for (const auto& [c, where] : used) {
        std::vector<std::pair<const char*, ImFont*>> need;
        if (is_icon(c)) need = {{"body", a.subset.body}, {"bold", a.subset.bold}, {"icon_large", a.subset.icon_large}};
        else need = {{"body", a.subset.body}, {"bold", a.subset.bold}, {"italic", a.subset.italic}};
        for (const auto& [name, font] : need)
            if (!font->FindGlyphNoFallback(static_cast<ImWchar>(c))) missing += "\n  " + hex(c) + " (" + where + ") in " + name;
    }
    EXPECT_EQ(missing, "") << "characters with no glyph in the shipped fonts: add their range to kTextRanges "
                              "(or the icon to kIconRanges) in src/ui/fonts.cpp";
}

// Start-up bakes the first screen's faces only; the others stand in with a baked face of
// about their size until bake_later_faces puts them in a second atlas.
TEST(LaterFaces, StandInsUntilBakedThenTheirOwnFacesInTheSecondAtlas) {
    const unsigned all_later = kLaterItalic | kLaterH1 | kLaterH2 | kLaterIconLarge | kLaterSmallBold;
    const FontFiles files = font_files_in(HANDBOOK_SUBSET_FONTS);
    ImFontAtlas whole_atlas, first_atlas, later_atlas;
    Fonts whole = build_fonts(whole_atlas, files, 16, 2);
    Fonts f = build_fonts(first_atlas, files, 16, 2, all_later);
    ASSERT_TRUE(f.real_fonts) << "no subset fonts in " << HANDBOOK_SUBSET_FONTS;
    EXPECT_EQ(first_atlas.Fonts.Size, 4) << "body, bold, small, h3";
    EXPECT_EQ(f.italic, f.body);
    EXPECT_EQ(f.small_bold, f.small);
    EXPECT_EQ(f.h1, f.h3);
    EXPECT_EQ(f.h2, f.h3);
    EXPECT_EQ(f.icon_large, f.h3);
    EXPECT_LT(first_atlas.TexHeight * first_atlas.TexWidth, whole_atlas.TexHeight * whole_atlas.TexWidth)
        << "the first atlas is the smaller bake";

    bake_later_faces(f, later_atlas, files, all_later, 2);
    for (auto [name, font, want] : {std::tuple{"italic", f.italic, whole.italic}, std::tuple{"h1", f.h1, whole.h1},
                                    std::tuple{"h2", f.h2, whole.h2}, std::tuple{"icon_large", f.icon_large, whole.icon_large},
                                    std::tuple{"small_bold", f.small_bold, whole.small_bold}}) {
        SCOPED_TRACE(name);
        EXPECT_EQ(font->ContainerAtlas, &later_atlas);
        EXPECT_FLOAT_EQ(font_size(font), font_size(want)) << "the same size as in a whole bake";
        EXPECT_EQ(font->Glyphs.Size, want->Glyphs.Size) << "the same glyphs as in a whole bake";
    }
    EXPECT_EQ(f.body->ContainerAtlas, &first_atlas) << "the first screen's faces stay where they are";
    EXPECT_FLOAT_EQ(font_size(f.h1), 16 * 1.9f);
}

TEST(LaterFaces, TheFirstScreenOfEachRouteHasWhatItDraws) {
    Route article;
    article.screen = Screen::article;
    article.slug = "refunds";
    EXPECT_EQ(faces_to_bake_later(article), 0u) << "an article draws every face (titles, headings, emphasis)";
    Route home;
    home.screen = Screen::home;
    EXPECT_EQ(faces_to_bake_later(home) & kLaterH1, 0u) << "home's heading is h1";
    EXPECT_NE(faces_to_bake_later(home) & kLaterItalic, 0u);
    Route search;
    search.screen = Screen::search;
    search.query = "refund";
    EXPECT_EQ(faces_to_bake_later(search), unsigned(kLaterItalic | kLaterH1 | kLaterH2 | kLaterIconLarge | kLaterSmallBold))
        << "a search's matches are regular, bold and h3";
    Route browse;
    browse.screen = Screen::search;
    browse.category = "Refunds and returns";
    EXPECT_EQ(faces_to_bake_later(browse) & kLaterH2, 0u) << "browsing a category has an h2 heading";
}

}  // namespace
}  // namespace handbook::ui
