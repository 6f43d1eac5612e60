# Third-party libraries compiled from the Debian source packages that
# scripts/setup.sh fetches into ${HANDBOOK_SOURCES}. Each is its own static
# library target, so project edits never recompile them.

foreach(dir sqlite-amalgamation imgui md4c libsodium)
  if(NOT EXISTS "${HANDBOOK_SOURCES}/${dir}")
    message(FATAL_ERROR "${HANDBOOK_SOURCES}/${dir} is missing: run scripts/setup.sh first")
  endif()
endforeach()

# SQLite with FTS5: one amalgamation for both builds, so search behaves the same.
add_library(sqlite3 STATIC "${HANDBOOK_SOURCES}/sqlite-amalgamation/sqlite3.c")
target_include_directories(sqlite3 SYSTEM PUBLIC "${HANDBOOK_SOURCES}/sqlite-amalgamation")
target_compile_definitions(sqlite3 PRIVATE
  SQLITE_ENABLE_FTS5 SQLITE_OMIT_LOAD_EXTENSION SQLITE_DQS=0
  SQLITE_DEFAULT_MEMSTATUS=0 SQLITE_OMIT_DEPRECATED SQLITE_LIKE_DOESNT_MATCH_BLOBS)
if(EMSCRIPTEN)
  target_compile_definitions(sqlite3 PRIVATE SQLITE_THREADSAFE=0)
else()
  # HAVE_USLEEP: without it SQLite's busy handler sleeps whole seconds, so a busy timeout
  # under a second gives up at once and a longer one waits a second at a time while
  # another process (an import) holds the write lock.
  target_compile_definitions(sqlite3 PRIVATE SQLITE_THREADSAFE=1 HAVE_USLEEP=1)
  find_package(Threads REQUIRED)
  target_link_libraries(sqlite3 PUBLIC Threads::Threads ${CMAKE_DL_LIBS})
endif()
# Position-independent natively, as it always was (Debian's g++ builds PIE executables
# anyway); not in wasm, where it only adds an indirection to every access of a global
# in a statically linked module.
if(NOT EMSCRIPTEN)
  set_target_properties(sqlite3 PROPERTIES POSITION_INDEPENDENT_CODE ON)
endif()
target_compile_options(sqlite3 PRIVATE -O2 -w)
# Under the fuzz preset's UBSan: SQLite 3.40.1's porter stemmer (fts5Porter_Ostar) shifts a
# signed int mask left once per letter of a stem, past bit 31 for a stem of 32 letters or
# more ("bcbc...bcove", any such word typed or indexed), and reads only its low three bits.
# That one check is left out for SQLite's own code; ours keeps every check.
if(HANDBOOK_FUZZ)
  # -O1 (the level ASan is meant for): the sanitized amalgamation took 2.5 minutes of CI at -O2.
  target_compile_options(sqlite3 PRIVATE -fno-sanitize=shift-base -O1)
endif()

# md4c: CommonMark parser (SAX-style callbacks).
add_library(md4c STATIC "${HANDBOOK_SOURCES}/md4c/src/md4c.c")
target_include_directories(md4c SYSTEM PUBLIC "${HANDBOOK_SOURCES}/md4c/src")
target_compile_options(md4c PRIVATE -O2 -w)

# Dear ImGui core (backends are picked by the platform layer).
add_library(imgui STATIC
  "${HANDBOOK_SOURCES}/imgui/imgui.cpp"
  "${HANDBOOK_SOURCES}/imgui/imgui_draw.cpp"
  "${HANDBOOK_SOURCES}/imgui/imgui_tables.cpp"
  "${HANDBOOK_SOURCES}/imgui/imgui_widgets.cpp")
target_include_directories(imgui SYSTEM PUBLIC "${HANDBOOK_SOURCES}/imgui")
target_compile_options(imgui PRIVATE -O2 -w)
# Characters beyond the Basic Multilingual Plane (emoji) typed or pasted into a field arrive
# whole (16-bit ImWchar turns them into U+FFFD).
target_compile_definitions(imgui PUBLIC IMGUI_USE_WCHAR32)
if(HANDBOOK_FUZZ)
  set_target_properties(imgui PROPERTIES EXCLUDE_FROM_ALL TRUE)  # the fuzz targets have no UI
endif()

# libsodium: Ed25519 signatures and SHA-256 for signed content (src/core/signed_file.h).
# Natively Debian's libsodium-dev (the server also hashes passwords with it); in the web
# build compiled from Debian's libsodium 1.0.18 source, as its own static target: it is
# not packaged for Emscripten, and WebCrypto is not there on plain http (store networks).
# Every file of the library is compiled (the parts a platform lacks compile to nothing,
# and the linker keeps only what the app calls); the defines are what its configure
# script finds for a 32-bit little-endian target without assembly or threads.
if(EMSCRIPTEN)
  set(sodium_dir "${HANDBOOK_SOURCES}/libsodium/src/libsodium")
  file(GLOB_RECURSE sodium_sources "${sodium_dir}/*.c")
  # Its headers with the configured version.h beside them (version.h includes "export.h").
  set(sodium_include "${CMAKE_BINARY_DIR}/sodium-include")
  file(COPY "${sodium_dir}/include/" DESTINATION "${sodium_include}")
  file(READ "${sodium_dir}/include/sodium/version.h.in" sodium_version_h)
  string(REPLACE "@VERSION@" "1.0.18" sodium_version_h "${sodium_version_h}")
  string(REPLACE "@SODIUM_LIBRARY_VERSION_MAJOR@" "10" sodium_version_h "${sodium_version_h}")
  string(REPLACE "@SODIUM_LIBRARY_VERSION_MINOR@" "3" sodium_version_h "${sodium_version_h}")
  string(REPLACE "@SODIUM_LIBRARY_MINIMAL_DEF@" "" sodium_version_h "${sodium_version_h}")
  file(WRITE "${sodium_include}/sodium/version.h" "${sodium_version_h}")
  add_library(sodium STATIC ${sodium_sources})
  target_include_directories(sodium SYSTEM PUBLIC "${sodium_include}")
  target_include_directories(sodium PRIVATE "${sodium_include}/sodium")
  target_compile_definitions(sodium PRIVATE CONFIGURED=1 NATIVE_LITTLE_ENDIAN=1 HAVE_WEAK_SYMBOLS=1
    HAVE_ATOMIC_OPS=1 HAVE_C_VARARRAYS=1 HAVE_MMAP=0 _GNU_SOURCE=1)
  target_compile_options(sodium PRIVATE -O2 -w)
else()
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
  add_library(sodium INTERFACE)
  target_link_libraries(sodium INTERFACE PkgConfig::SODIUM)
endif()

# nlohmann/json: header-only, from Debian's nlohmann-json3-dev (works with em++ too).
# Only its own folder is put on the include path: all of /usr/include would pull the
# host's C headers into the Emscripten build.
if(NOT EXISTS /usr/include/nlohmann/json.hpp)
  message(FATAL_ERROR "nlohmann/json.hpp is missing: run scripts/setup.sh first")
endif()
file(MAKE_DIRECTORY "${CMAKE_BINARY_DIR}/include")
file(CREATE_LINK /usr/include/nlohmann "${CMAKE_BINARY_DIR}/include/nlohmann" SYMBOLIC)
add_library(nlohmann_json INTERFACE)
target_include_directories(nlohmann_json SYSTEM INTERFACE "${CMAKE_BINARY_DIR}/include")

# dtl: the Myers diff between versions, header-only, from Debian's libdtl-dev; put on the
# include path the same way (its own folder only).
if(NOT EXISTS /usr/include/dtl/dtl.hpp)
  message(FATAL_ERROR "dtl/dtl.hpp is missing: run scripts/setup.sh first")
endif()
file(CREATE_LINK /usr/include/dtl "${CMAKE_BINARY_DIR}/include/dtl" SYMBOLIC)
add_library(dtl INTERFACE)
target_include_directories(dtl SYSTEM INTERFACE "${CMAKE_BINARY_DIR}/include")

# GoogleTest: built from Debian's sources so the same suite compiles with em++.
set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
if(EMSCRIPTEN)
  set(gtest_disable_pthreads ON CACHE BOOL "" FORCE)
endif()
add_subdirectory(/usr/src/googletest/googletest "${CMAKE_BINARY_DIR}/googletest" EXCLUDE_FROM_ALL)
