#include "fonts.h"

#include <imgui.h>

#include <cstdio>

namespace handbook::ui {

namespace {

bool file_exists(const std::string& path) {
    if (path.empty()) return false;
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return false;
    std::fclose(f);
    return true;
}

// Latin text and the punctuation and symbols staff write (quotes, dashes, bullets,
// arrows, currency): the articles are English; a full Unicode range would blow up the
// atlas. cmake/Fonts.cmake reads this array and kIconRanges to subset the font files the
// app ships, so keep both as "0x first, 0x last," pairs; tests/ui checks that every
// character of articles/ and of the UI's strings is in them.
const ImWchar kTextRanges[] = {
    0x0020, 0x00FF,  // Basic Latin, Latin-1 Supplement (£ ¥ ° × ...)
    0x0100, 0x017F,  // Latin Extended-A (names)
    0x2010, 0x2027,  // General Punctuation: dashes, curly quotes, daggers, bullet, ellipsis
    0x2030, 0x203A,  // per mille, primes, single guillemets
    0x20A0, 0x20BF,  // currency symbols (euro, rupee, ...)
    0x2122, 0x2122,  // trade mark
    0x2190, 0x2193,  // arrows
    0x2212, 0x2212,  // minus
    0,
};

// Exactly the icons in icons.h.
const ImWchar kIconRanges[] = {
    0xF002, 0xF002, 0xF007, 0xF007, 0xF00C, 0xF00D, 0xF015, 0xF015, 0xF017, 0xF017, 0xF021, 0xF021,
    0xF02B, 0xF02B, 0xF02D, 0xF02D, 0xF031, 0xF031, 0xF054, 0xF054, 0xF05A, 0xF05A, 0xF060, 0xF060,
    0xF073, 0xF073, 0xF07B, 0xF07B, 0xF08E, 0xF08E, 0xF0B0, 0xF0B0, 0xF0C1, 0xF0C1, 0xF0C5, 0xF0C5,
    0xF185, 0xF186, 0xF1DA, 0xF1DA, 0xF1EB, 0xF1EB, 0,
};

}  // namespace

float font_size(const ImFont* font) { return font->FontSize * font->Scale; }

const ImWchar* text_glyph_ranges() { return kTextRanges; }
const ImWchar* icon_glyph_ranges() { return kIconRanges; }

FontFiles font_files_in(const std::string& folder) {
    return FontFiles{folder + "/NotoSans-Regular.ttf", folder + "/NotoSans-Bold.ttf", folder + "/NotoSans-Italic.ttf",
                     folder + "/fontawesome-webfont.ttf"};
}

Fonts build_fonts(ImFontAtlas& atlas, const FontFiles& files, float body_px, float pixel_ratio) {
    atlas.Clear();
    Fonts fonts;
    fonts.body_size = body_px;
    const float r = pixel_ratio > 0 ? pixel_ratio : 1.0f;
    const bool have_text = file_exists(files.regular) && file_exists(files.bold) && file_exists(files.italic);
    const bool have_icons = file_exists(files.icons);
    fonts.real_fonts = have_text;

    auto add = [&](const std::string& path, float css_px, bool with_icons) -> ImFont* {
        ImFont* font = nullptr;
        ImFontConfig config;
        config.OversampleH = 1;  // baked at device pixels already: no need to oversample
        config.OversampleV = 1;
        config.PixelSnapH = true;
        if (have_text) {
            font = atlas.AddFontFromFileTTF(path.c_str(), css_px * r, &config, kTextRanges);
        } else {
            config.SizePixels = css_px * r;
            font = atlas.AddFontDefault(&config);
        }
        if (font && with_icons && have_icons) {
            ImFontConfig merge;
            merge.MergeMode = true;
            merge.OversampleH = 1;
            merge.OversampleV = 1;
            merge.PixelSnapH = true;
            merge.GlyphMinAdvanceX = css_px * r * 1.1f;  // icons line up in columns
            merge.GlyphOffset = ImVec2(0, css_px * r * 0.05f);
            atlas.AddFontFromFileTTF(files.icons.c_str(), css_px * r * 0.9f, &merge, kIconRanges);
        }
        if (font) font->Scale = 1.0f / r;
        return font;
    };

    fonts.body = add(files.regular, body_px, true);
    fonts.bold = add(files.bold, body_px, true);
    fonts.italic = add(files.italic, body_px, false);
    fonts.small = add(files.regular, body_px * 0.875f, true);
    fonts.small_bold = add(files.bold, body_px * 0.875f, true);
    fonts.h3 = add(files.bold, body_px * 1.15f, true);
    fonts.h2 = add(files.bold, body_px * 1.4f, true);
    fonts.h1 = add(files.bold, body_px * 1.9f, true);
    if (have_icons) {
        ImFontConfig config;
        config.OversampleH = config.OversampleV = 1;
        fonts.icon_large = atlas.AddFontFromFileTTF(files.icons.c_str(), body_px * 2.5f * r, &config, kIconRanges);
    } else {
        fonts.icon_large = fonts.h1;
    }
    atlas.Build();
    for (int i = 0; i < atlas.Fonts.Size; ++i) atlas.Fonts[i]->Scale = 1.0f / r;
    return fonts;
}

}  // namespace handbook::ui
