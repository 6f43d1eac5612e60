// The UI's fonts: Noto Sans regular, bold and italic at the sizes the screens use, with
// Font Awesome icons merged into the regular and bold faces. Baked at CSS size x device
// pixel ratio and scaled back by ImFont::Scale, so text is crisp on HiDPI screens.
// Missing font files fall back to ImGui's built-in font (tests, broken installs).
#pragma once
#include <imgui.h>

#include <string>

namespace handbook::ui {

struct FontFiles {
    std::string regular;
    std::string bold;
    std::string italic;
    std::string icons;
};

struct Fonts {
    ImFont* body = nullptr;
    ImFont* bold = nullptr;
    ImFont* italic = nullptr;
    ImFont* small = nullptr;
    ImFont* small_bold = nullptr;
    ImFont* h1 = nullptr;
    ImFont* h2 = nullptr;
    ImFont* h3 = nullptr;
    ImFont* icon_large = nullptr;
    float body_size = 16;    // CSS pixels
    bool real_fonts = false;  // false: ImGui's built-in font stands in
};

// Faces that can wait: the rest are on every screen. Start-up bakes only what the first
// screen draws, so the library shows sooner (baking is per glyph, about 3,300 of them
// in all; on a slow tablet it is a tenth to a quarter of a second of the first visit),
// and the faces that can wait into a second atlas right after (bake_later_faces).
enum LaterFace : unsigned {
    kLaterItalic = 1,     // articles only
    kLaterH1 = 2,         // home and article titles
    kLaterH2 = 4,         // article headings, a search without matches, browsing a category
    kLaterIconLarge = 8,  // a search without matches
    kLaterSmallBold = 16, // small labels: an article's details, a search without matches, settings
};

// Of the faces that can wait, those the first screen of `route` does not draw (a
// search with no matches draws h2 and the large icon: for its first frame, stand-ins).
struct Route;
unsigned faces_to_bake_later(const Route& route);

// Clears `atlas` and bakes every face but those in `later` (LaterFace bits), which stand
// in with a baked face of about their size (italic: body; small bold: small; h1, h2,
// large icons: h3) until bake_later_faces. Call with a new ratio or text size (with
// later = 0), then re-upload the texture (the renderer's job).
Fonts build_fonts(ImFontAtlas& atlas, const FontFiles& files, float body_px, float pixel_ratio, unsigned later = 0);

// Bakes the faces build_fonts left out into `atlas` (a second one, with a texture of its
// own: draw them with ImGui::PushFont or draw_text, which switch textures) and points
// `fonts` at them.
void bake_later_faces(Fonts& fonts, ImFontAtlas& atlas, const FontFiles& files, unsigned later, float pixel_ratio);

// ImDrawList::AddText with the texture of the font's atlas (it may not be the one the
// draw list is drawing with: see bake_later_faces).
void draw_text(ImDrawList* draw, const ImFont* font, float size, ImVec2 pos, ImU32 color, const char* begin,
               const char* end = nullptr);

// The code points baked into the atlas, as ImGui glyph ranges (first, last pairs ending
// in 0): text for the Noto faces, icons for Font Awesome. The shipped font files are
// subset to exactly these (cmake/Fonts.cmake).
const ImWchar* text_glyph_ranges();
const ImWchar* icon_glyph_ranges();

// The size in CSS pixels a font draws at.
float font_size(const ImFont* font);

// The files as copied next to the app ("fonts/NotoSans-Regular.ttf" ...).
FontFiles font_files_in(const std::string& folder);

}  // namespace handbook::ui
