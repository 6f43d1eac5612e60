# The UI's fonts, cut down at build time to the characters the UI can draw.
#
# ImGui bakes only the code points listed in src/ui/fonts.cpp (kTextRanges, kIconRanges)
# into its atlas; every other glyph of Debian's Noto Sans (about 3,000 per face) and Font
# Awesome (about 700 icons) is dead weight in the browser's download (1.7 MB of the app's
# 3.5 MB). pyftsubset (Debian's fonttools) keeps exactly those code points, read from
# fonts.cpp itself so there is one list, and drops what stb_truetype never reads: hinting
# (ImGui rasterizes unhinted) and OpenType layout features (ImGui 1.86 neither shapes nor
# kerns). The name table is kept whole: it carries the fonts' copyright and licence (OFL).
# tests/ui checks that the subset fonts still have every glyph the full ones give ImGui.

set(HANDBOOK_FONT_RANGES_SOURCE "${CMAKE_SOURCE_DIR}/src/ui/fonts.cpp")
# A change to the ranges re-runs CMake, which changes the subset commands below.
set_property(DIRECTORY "${CMAKE_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${HANDBOOK_FONT_RANGES_SOURCE}")

set(HANDBOOK_TEXT_FONTS
  /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf
  /usr/share/fonts/truetype/noto/NotoSans-Bold.ttf
  /usr/share/fonts/truetype/noto/NotoSans-Italic.ttf)
set(HANDBOOK_ICON_FONT /usr/share/fonts/truetype/font-awesome/fontawesome-webfont.ttf)

# The ImGui glyph ranges of one array in fonts.cpp ("kTextRanges[] = { 0x0020, 0x00FF, ...
# 0 }") as pyftsubset's --unicodes list ("U+0020-00FF,...").
function(handbook_glyph_ranges array out_var)
  file(READ "${HANDBOOK_FONT_RANGES_SOURCE}" source)
  string(REGEX MATCH "${array}\\[\\] = {[^}]*}" block "${source}")
  if(NOT block)
    message(FATAL_ERROR "cmake/Fonts.cmake: no '${array}[] = { ... }' in ${HANDBOOK_FONT_RANGES_SOURCE}")
  endif()
  string(REGEX REPLACE "//[^\n]*" "" block "${block}")  # comments name the ranges, in words
  string(REGEX MATCHALL "0x[0-9A-Fa-f]+" values "${block}")
  list(LENGTH values count)
  math(EXPR odd "${count} % 2")
  if(count EQUAL 0 OR odd)
    message(FATAL_ERROR "cmake/Fonts.cmake: ${array} in ${HANDBOOK_FONT_RANGES_SOURCE} is not a list of 0x first, 0x last pairs")
  endif()
  set(ranges)
  math(EXPR last_index "${count} - 1")
  foreach(i RANGE 0 ${last_index} 2)
    math(EXPR j "${i} + 1")
    list(GET values ${i} first)
    list(GET values ${j} last)
    string(REGEX REPLACE "^0x" "" first "${first}")
    string(REGEX REPLACE "^0x" "" last "${last}")
    list(APPEND ranges "U+${first}-${last}")
  endforeach()
  list(JOIN ranges "," joined)
  set(${out_var} "${joined}" PARENT_SCOPE)
endfunction()

# Adds target `target`, which writes the subset fonts, under the names the UI opens
# (ui::font_files_in), into `out_dir`; `out_files_var` receives their paths.
function(handbook_subset_fonts target out_dir out_files_var)
  find_program(HANDBOOK_PYFTSUBSET pyftsubset)
  if(NOT HANDBOOK_PYFTSUBSET)
    message(FATAL_ERROR "pyftsubset is missing: the fonts are subset at build time with Debian's fonttools package. Run scripts/setup.sh (or apt-get install fonttools).")
  endif()
  handbook_glyph_ranges(kTextRanges text_ranges)
  handbook_glyph_ranges(kIconRanges icon_ranges)
  set(outputs)
  foreach(font ${HANDBOOK_TEXT_FONTS} ${HANDBOOK_ICON_FONT})
    if(NOT EXISTS "${font}")
      message(FATAL_ERROR "${font} is missing: run scripts/setup.sh (fonts-noto-core, fonts-font-awesome)")
    endif()
    get_filename_component(name "${font}" NAME)
    if(font STREQUAL HANDBOOK_ICON_FONT)
      set(unicodes "${icon_ranges}")
    else()
      set(unicodes "${text_ranges}")
    endif()
    add_custom_command(OUTPUT "${out_dir}/${name}"
      COMMAND "${CMAKE_COMMAND}" -E make_directory "${out_dir}"
      # FFTM (FontForge's timestamps) is dropped by name: pyftsubset warns about it otherwise.
      COMMAND "${HANDBOOK_PYFTSUBSET}" "${font}" "--unicodes=${unicodes}" --layout-features= --no-hinting
              "--name-IDs=*" --drop-tables+=FFTM "--output-file=${out_dir}/${name}"
      DEPENDS "${font}"
      COMMENT "Subsetting ${name} to the glyphs the UI draws"
      VERBATIM)
    list(APPEND outputs "${out_dir}/${name}")
  endforeach()
  add_custom_target(${target} DEPENDS ${outputs})
  set(${out_files_var} ${outputs} PARENT_SCOPE)
endfunction()
