// `handbook publish-static <dir>` and `handbook serve --static-dir <dir>`: the web app and
// the published content as a static tree that any static host or CDN serves to every
// store with ordinary caching (layout: src/core/static_tree.h).
//
//   index.html, sw.js                 the way in: revalidated (no-cache)
//   v/<version>/<file>                the app (shell.js, handbook.wasm, ...): immutable
//   content/feed/<sha256>             signed feed pages: immutable
//   content/snapshot/<sha256>         signed snapshots: immutable
//   content/latest                    the signed pointer: short-lived (max-age 30 s)
// Files a CDN may compress are also written as <file>.gz (nginx's gzip_static).
//
// Implements: every file written beside its place and renamed into it, the pointer last,
// so a reader never sees a pointer to a file that is not there yet, nor half a file;
// full pages and an unchanged snapshot kept from the previous publish (same bytes, same
// name, still in every cache); content files named by neither the new nor the previous
// pointer removed once they are an hour old (a device that read the previous pointer is
// still fetching what it names).
// Known limitations: old app versions (v/<version>/) are not removed; one publisher per
// tree (two writing the same tree at once may remove each other's new files).
#pragma once
#include <cstdint>
#include <string>

#include "serve_site.h"
#include "signing_keys.h"
#include "store_pool.h"

namespace handbook {

struct StaticPublishReport {
    int64_t head = 0;
    size_t pages = 0;
    size_t files_written = 0;
    size_t files_removed = 0;
    std::string made_at;  // the pointer's signed time
};

// Writes the content (and, with `site`, the app: `site` personalized for "static") into
// `dir`, signed with `keys`. `now` is the signed time (utc_now_text()).
Result<StaticPublishReport> publish_static(StorePool& store, const StaticSite* site, const ServerKeys& keys, const std::string& dir,
                                           const std::string& now);

// The signed time of the pointer in `dir` ("" when there is none or it cannot be read).
std::string static_pointer_made_at(const std::string& dir);

}  // namespace handbook
