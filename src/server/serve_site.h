// The static files `handbook serve` sends to browsers, held in memory.
//
// Two folders make up the site: the shell (web/ in the source tree: index.html, the
// service worker, the manifest, icons, loader script and styles) and the built app
// (<web build>/src/web: handbook.js, handbook.wasm, handbook.data). Everything is read
// once at start, so a request never touches the disk and a path can only ever name a
// file that was loaded (no path from a URL is opened).
//
// The site has one version: a hash of every file's bytes. It is written into the shell
// files where they say __HANDBOOK_VERSION__ (the service worker's cache name, the
// ?v= of the app files), so any change to any file gives browsers a new, separate
// cache and nothing stale is mixed with anything new.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace handbook {

// The files of the built app that the server takes from the web build folder (nothing
// else in that folder is served: it also holds object files and CMake's state).
inline constexpr const char* kAppFiles[] = {"handbook.js", "handbook.wasm", "handbook.data"};

inline constexpr std::string_view kVersionPlaceholder = "__HANDBOOK_VERSION__";

// Limits on what the shell folder may hold: it is a handful of small files, and a
// mistaken --shell pointing at a huge tree should fail clearly, not eat the memory.
inline constexpr size_t kMaxSiteFiles = 200;
inline constexpr uintmax_t kMaxSiteFileBytes = 256ull * 1024 * 1024;

struct StaticAsset {
    std::string mime_type;
    std::string body;         // as sent without Content-Encoding
    std::string gzip_body;    // empty when compressing does not pay (images, tiny files)
    std::string etag;         // strong validator of `body` (quoted), "-gz" variant for gzip
    bool is_app_file = false; // one of kAppFiles
};

struct StaticSite {
    std::string version;                       // 16 hex digits
    std::map<std::string, StaticAsset> files;  // URL path without the leading '/', e.g. "handbook.wasm"
    std::string missing_app_files;             // e.g. "handbook.wasm, handbook.data" (app not built)
};

// Reads the shell folder (recursively, hidden files skipped) and the app files from
// `app_dir`; shell files win on a name clash. The app files may be missing (the server
// still starts and the shell explains that loading failed; see missing_app_files).
Result<StaticSite> load_static_site(const std::string& shell_dir, const std::string& app_dir);

// Where the app reads its content from, and which key it checks it with: written into
// the start page (index.html) where it says __HANDBOOK_CONTENT__ ("server": this server's
// /api/feed and /api/snapshot; "static": a static tree's content/latest, see
// src/core/static_tree.h) and __HANDBOOK_KEY__ (the server's public key text, which a
// device pins on first use: src/core/content_trust.h). Neither is part of the version.
Status personalize_start_page(StaticSite& site, const std::string& content_source, const std::string& key_text);

// Content-Type for a file name, by extension; text types carry charset=utf-8.
std::string mime_type_for(std::string_view file_name);

// True if a Content-Type is worth gzip (text, JavaScript, JSON, wasm, SVG, the data package).
bool worth_compressing(std::string_view mime_type);

// True if an Accept-Encoding header value admits gzip ("gzip" or "*" with q > 0).
bool accepts_gzip(std::string_view accept_encoding);

// gzip (RFC 1952) of `data`; level 9 (best) for files compressed once at start, a
// lower one for answers compressed per request.
Result<std::string> gzip_compress(std::string_view data, int level = 9);

// BLAKE2b (libsodium) of `data`, 8 bytes as 16 hex digits: stable across runs and
// machines (cache names, ETags).
std::string content_hash(std::string_view data);

}  // namespace handbook
