#include "fonts.h"

#include <imgui.h>

#include <cstdio>

#include "route.h"

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
    0xF02B, 0xF02B, 0xF02D, 0xF02D, 0xF031, 0xF031, 0xF03A, 0xF03A, 0xF054, 0xF054, 0xF05A, 0xF05A,
    0xF060, 0xF060, 0xF073, 0xF073, 0xF078, 0xF078, 0xF07B, 0xF07B, 0xF08E, 0xF08E, 0xF0B0, 0xF0B0, 0xF0C1, 0xF0C1, 0xF0C5, 0xF0C5,
    0xF0F3, 0xF0F3, 0xF185, 0xF186, 0xF1DA, 0xF1DA, 0xF1EB, 0xF1EB, 0,
};

}  // namespace

float font_size(const ImFont* font) { return font->FontSize * font->Scale; }

const ImWchar* text_glyph_ranges() { return kTextRanges; }
const ImWchar* icon_glyph_ranges() { return kIconRanges; }

FontFiles font_files_in(const std::string& folder) {
    return FontFiles{folder + "/NotoSans-Regular.ttf", folder + "/NotoSans-Bold.ttf", folder + "/NotoSans-Italic.ttf",
                     folder + "/fontawesome-webfont.ttf"};
}

namespace {

ImFontConfig baked_config() {
    ImFontConfig config;
    config.OversampleH = 1;  // baked at device pixels already: no need to oversample
    config.OversampleV = 1;
    config.PixelSnapH = true;
    return config;
}

// One text face at `css_px` (with the icons merged in), or ImGui's own font when the
// files are missing.
ImFont* add_text_face(ImFontAtlas& atlas, const FontFiles& files, const std::string& path, float css_px, float r,
                      bool with_icons) {
    const bool have_text = file_exists(files.regular) && file_exists(files.bold) && file_exists(files.italic);
    ImFont* font = nullptr;
    ImFontConfig config = baked_config();
    if (have_text) {
        font = atlas.AddFontFromFileTTF(path.c_str(), css_px * r, &config, kTextRanges);
    } else {
        config.SizePixels = css_px * r;
        font = atlas.AddFontDefault(&config);
    }
    if (font && with_icons && file_exists(files.icons)) {
        ImFontConfig merge = baked_config();
        merge.MergeMode = true;
        merge.GlyphMinAdvanceX = css_px * r * 1.1f;  // icons line up in columns
        merge.GlyphOffset = ImVec2(0, css_px * r * 0.05f);
        atlas.AddFontFromFileTTF(files.icons.c_str(), css_px * r * 0.9f, &merge, kIconRanges);
    }
    return font;
}

// The faces named in `faces` (LaterFace bits) into `atlas`, at their sizes for
// fonts.body_size.
void add_faces(Fonts& fonts, ImFontAtlas& atlas, const FontFiles& files, float r, unsigned faces) {
    const float body_px = fonts.body_size;
    if (faces & kLaterItalic) fonts.italic = add_text_face(atlas, files, files.italic, body_px, r, false);
    if (faces & kLaterSmallBold) fonts.small_bold = add_text_face(atlas, files, files.bold, body_px * 0.875f, r, true);
    if (faces & kLaterH2) fonts.h2 = add_text_face(atlas, files, files.bold, body_px * 1.4f, r, true);
    if (faces & kLaterH1) fonts.h1 = add_text_face(atlas, files, files.bold, body_px * 1.9f, r, true);
    if (faces & kLaterIconLarge) {
        if (file_exists(files.icons)) {
            ImFontConfig config;
            config.OversampleH = config.OversampleV = 1;
            fonts.icon_large = atlas.AddFontFromFileTTF(files.icons.c_str(), body_px * 2.5f * r, &config, kIconRanges);
        } else {
            fonts.icon_large = nullptr;  // set to h1 once that is baked
        }
    }
}

// Baked at device pixels, drawn at CSS pixels.
void bake(ImFontAtlas& atlas, float r) {
    atlas.Build();
    for (int i = 0; i < atlas.Fonts.Size; ++i) atlas.Fonts[i]->Scale = 1.0f / r;
}

}  // namespace

unsigned faces_to_bake_later(const Route& route) {
    switch (route.screen) {
    case Screen::article: return 0;
    case Screen::search: {
        // Matches are listed in regular, bold and h3. The panel shown when nothing matches
        // has small bold labels ("try", "browse by category"), h2 and the large icon: for
        // its first frame or two, stand-ins.
        unsigned later = kLaterItalic | kLaterH1 | kLaterIconLarge | kLaterSmallBold;
        if (!route.query.empty()) later |= kLaterH2;  // browsing draws the category's heading in h2 at once
        return later;
    }
    case Screen::home: return kLaterItalic | kLaterH2 | kLaterIconLarge | kLaterSmallBold;
    case Screen::sign_in: return kLaterItalic | kLaterH2 | kLaterIconLarge;  // its heading is h1, its labels small bold
    case Screen::edit:
    case Screen::drafts:
    case Screen::review:
    case Screen::history: return 0;  // the write side: the preview draws every face
    case Screen::news:
    case Screen::report: return 0;   // h1, h3, bold and small: bake everything at once
    }
    return 0;
}

Fonts build_fonts(ImFontAtlas& atlas, const FontFiles& files, float body_px, float pixel_ratio, unsigned later) {
    atlas.Clear();
    Fonts fonts;
    fonts.body_size = body_px;
    const float r = pixel_ratio > 0 ? pixel_ratio : 1.0f;
    fonts.real_fonts = file_exists(files.regular) && file_exists(files.bold) && file_exists(files.italic);

    fonts.body = add_text_face(atlas, files, files.regular, body_px, r, true);
    fonts.bold = add_text_face(atlas, files, files.bold, body_px, r, true);
    fonts.small = add_text_face(atlas, files, files.regular, body_px * 0.875f, r, true);
    fonts.h3 = add_text_face(atlas, files, files.bold, body_px * 1.15f, r, true);
    add_faces(fonts, atlas, files, r, ~later & (kLaterItalic | kLaterH1 | kLaterH2 | kLaterIconLarge | kLaterSmallBold));
    bake(atlas, r);
    // Stand-ins for the faces still to come.
    if (later & kLaterItalic) fonts.italic = fonts.body;
    if (later & kLaterSmallBold) fonts.small_bold = fonts.small;
    if (later & kLaterH2) fonts.h2 = fonts.h3;
    if (later & kLaterH1) fonts.h1 = fonts.h3;
    if (later & kLaterIconLarge) fonts.icon_large = fonts.h3;
    if (!fonts.icon_large) fonts.icon_large = fonts.h1;
    return fonts;
}

void bake_later_faces(Fonts& fonts, ImFontAtlas& atlas, const FontFiles& files, unsigned later, float pixel_ratio) {
    atlas.Clear();
    const float r = pixel_ratio > 0 ? pixel_ratio : 1.0f;
    add_faces(fonts, atlas, files, r, later);
    bake(atlas, r);
    if (!fonts.icon_large) fonts.icon_large = fonts.h1;
}

void draw_text(ImDrawList* draw, const ImFont* font, float size, ImVec2 pos, ImU32 color, const char* begin,
               const char* end) {
    const ImTextureID texture = font->ContainerAtlas->TexID;
    const bool other = texture != draw->_CmdHeader.TextureId;
    if (other) draw->PushTextureID(texture);
    draw->AddText(font, size, pos, color, begin, end);
    if (other) draw->PopTextureID();
}

}  // namespace handbook::ui
