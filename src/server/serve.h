// `handbook serve`: the web app and its content API over HTTP until Ctrl-C.
//
// On start it opens (or creates) the database, reads (or creates) the signing key
// (signing_keys.h), imports the articles folder when the database holds no article yet
// (first start), loads the static site into memory (serve_site.h) and listens
// (serve_http.h for the routes, http_server.h for the connections). With a static
// directory it also keeps a static tree of the app and the content there
// (publish_static.h): after each change, and re-signed every few minutes. SIGINT/SIGTERM
// stop it: idle and slow connections are closed at once, answers being written get a
// second, then the database is closed.
#pragma once
#include <cstddef>
#include <iosfwd>
#include <string>

#include "core/database.h"

namespace handbook {

struct ServeOptions {
    std::string db_path = "handbook.db";
    std::string articles_dir = "articles";
    std::string shell_dir = "web";                  // index.html, sw.js, manifest, icons
    std::string app_dir = "build/web/src/web";      // handbook.js, .wasm, .data from the web build
    std::string bind = "127.0.0.1";
    int port = 8080;                                // 0: any free port (the URL printed says which)
    bool secure_cookies = false;                    // session cookies only over HTTPS (behind a TLS proxy)
    std::string key_path;                           // the signing key file ("": <db>.signing-key)
    std::string static_dir;                         // also keep a static tree here (publish_static.h), "" = none
    size_t max_per_client = 256;                    // connections from one address (http_server.h)
};

// Imports `articles_dir` into `db` when `db` has no article; says what it did on `out`.
// A missing folder is an error only for an empty database.
Status import_on_first_start(Database& db, const std::string& articles_dir, std::ostream& out);

// Runs the server until a signal stops it. Returns the process exit code (0 after a
// clean stop, 1 when it could not start) and prints what went wrong.
int run_serve(const ServeOptions& options);

}  // namespace handbook
