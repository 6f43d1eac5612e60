// The HTTP side of `handbook serve` (cpp-httplib): the routes, the headers every
// response carries, and the limits on what a request may be.
//
//   GET /api/feed?after=N   the change feed (src/core/change_feed.h) after position N
//   GET /api/snapshot       a new device's whole store (src/core/device_snapshot.h)
//   /api/...                the write side's JSON API (api.h): its own routes and limits
//   GET /                   index.html
//   GET /v/<version>/<file> a file of the static site (serve_site.h), from memory, immutable
//   GET /<file>             the same file, revalidated (no-cache)
//
// The static site takes GET and HEAD only (bodies up to 64 KiB); an API route takes its
// own method and body size, and any other method on an API path gets 405 with Allow.
// Known limitations: no TLS (put a reverse proxy in front for anything beyond a
// trusted network); Range requests on a gzip answer apply to the gzip bytes. The
// connections themselves (time limits, header limits, idle keep-alive, per-client
// limits) are http_server.h's.
#pragma once
#include <cstddef>
#include <memory>
#include <string>

#include <httplib.h>

#include "core/database.h"
#include "api.h"
#include "http_server.h"
#include "serve_site.h"
#include "signing_keys.h"
#include "store_pool.h"

namespace handbook {

inline constexpr size_t kMaxRequestUrlBytes = 2048;        // the app's longest URL is /api/feed?after=<int64>
inline constexpr size_t kMaxRequestBodyBytes = 64 * 1024;  // outside the API (whose routes say their own)
inline constexpr int kFeedPageSize = 500;

// Lets the wasm run (and nothing else): scripts only from this origin plus
// WebAssembly compilation; fetches only to this origin; no inline script or style,
// no frames, no plugins, no form posts elsewhere.
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; img-src 'self'; "
    "style-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

// The last device snapshot built, and the feed pages signed, shared by the requests
// (serve_http.cpp).
struct SnapshotCache;
std::shared_ptr<SnapshotCache> make_snapshot_cache();
struct FeedCache;
std::shared_ptr<FeedCache> make_feed_cache();

// Signed feed answers carry the start of the current period of this many seconds: the
// time is the device's proof that the server was there (content_trust.h), and signing
// (and compressing) each position at most once a period keeps a poll as cheap as a file.
inline constexpr int64_t kFeedResignSeconds = 60;
// What the signed pages kept for reuse may take; past it the oldest positions go.
inline constexpr size_t kFeedCacheBytes = 64 * 1024 * 1024;

// What the handlers read. The site is immutable once loaded; the store lends each
// request a connection of its own (store_pool.h).
struct ServedContent {
    const StaticSite* site = nullptr;
    StorePool* store = nullptr;
    ApiServices* api = nullptr;  // the write side (api.h); none: only the feed and snapshot
    const ServerKeys* keys = nullptr;  // signs the feed and the snapshots (signing_keys.h)
    std::shared_ptr<SnapshotCache> snapshots = make_snapshot_cache();
    std::shared_ptr<FeedCache> feed = make_feed_cache();
};

// Installs the routes, limits, default headers and error pages on `server` (before it
// binds: the socket options are among them). `content` must outlive the server.
void install_routes(HttpServer& server, ServedContent content);

// Builds the snapshot of the store as it is now, so the first new device does not wait
// for it (the server does this once the first-start import is done).
Status prepare_snapshot(const ServedContent& content);

// `text` made safe for a log line or a message: control characters, bytes that are not
// UTF-8 and quotes as \xNN, cut to `max` bytes ("..." after).
std::string printable(std::string_view text, size_t max = 200);

// Cache-Control for a static file: `/v/<version>/<file>` URLs never change, so they are
// kept a year (another version's are 404); the same file at its plain path (index.html,
// sw.js: the way in) must be revalidated (no-cache).
std::string cache_control_for(bool versioned_path);

// False for a URL path the site must refuse: '..' or '.' segments, backslashes,
// NUL bytes, or not starting with '/'.
bool is_safe_path(const std::string& path);

}  // namespace handbook
