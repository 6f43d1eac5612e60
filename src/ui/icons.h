// Font Awesome 4 code points (fonts-font-awesome's fontawesome-webfont.ttf), as UTF-8.
// Only the icons the UI shows; fonts.cpp bakes exactly these into the atlas.
#pragma once

namespace handbook::ui::icon {

inline constexpr const char* kSearch = "\xEF\x80\x82";       // f002
inline constexpr const char* kClose = "\xEF\x80\x8D";        // f00d
inline constexpr const char* kCheck = "\xEF\x80\x8C";        // f00c
inline constexpr const char* kUser = "\xEF\x80\x87";         // f007
inline constexpr const char* kClock = "\xEF\x80\x97";        // f017
inline constexpr const char* kTag = "\xEF\x80\xAB";          // f02b
inline constexpr const char* kBook = "\xEF\x80\xAD";         // f02d
inline constexpr const char* kFont = "\xEF\x80\xB1";         // f031
inline constexpr const char* kList = "\xEF\x80\xBA";         // f03a
inline constexpr const char* kChevronRight = "\xEF\x81\x94"; // f054
inline constexpr const char* kArrowLeft = "\xEF\x81\xA0";    // f060
inline constexpr const char* kCalendar = "\xEF\x81\xB3";     // f073
inline constexpr const char* kChevronDown = "\xEF\x81\xB8";  // f078
inline constexpr const char* kFolder = "\xEF\x81\xBB";       // f07b
inline constexpr const char* kExternal = "\xEF\x82\x8E";     // f08e
inline constexpr const char* kFilter = "\xEF\x82\xB0";       // f0b0
inline constexpr const char* kLink = "\xEF\x83\x81";         // f0c1
inline constexpr const char* kCopy = "\xEF\x83\x85";         // f0c5
inline constexpr const char* kHistory = "\xEF\x87\x9A";      // f1da
inline constexpr const char* kSun = "\xEF\x86\x85";          // f185
inline constexpr const char* kMoon = "\xEF\x86\x86";         // f186
inline constexpr const char* kWifi = "\xEF\x87\xAB";         // f1eb
inline constexpr const char* kRefresh = "\xEF\x80\xA1";      // f021
inline constexpr const char* kInfo = "\xEF\x81\x9A";         // f05a
inline constexpr const char* kHome = "\xEF\x80\x95";         // f015
inline constexpr const char* kBell = "\xEF\x83\xB3";         // f0f3

}  // namespace handbook::ui::icon
