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

// Clears `atlas` and bakes every face. Call with a new ratio or text size, then
// re-upload the texture (the renderer's job).
Fonts build_fonts(ImFontAtlas& atlas, const FontFiles& files, float body_px, float pixel_ratio);

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
