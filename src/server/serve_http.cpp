// Routes, headers and limits of `handbook serve`: see serve_http.h.
#include "serve_http.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <iostream>
#include <memory>
#include <optional>

#include "core/article_store.h"
#include "core/change_feed.h"
#include "core/device_snapshot.h"

namespace handbook {

// The last snapshot built: a new feed position builds a new one. Its mutex is held while
// one is built, so devices that arrive meanwhile wait for that one instead of each building.
struct SnapshotCache {
    std::mutex mutex;
    struct Built {
        int64_t position = -1;
        std::shared_ptr<const std::string> bytes;
        std::shared_ptr<const std::string> gzip_bytes;  // compressed once, not per device
    } built;
};

std::shared_ptr<SnapshotCache> make_snapshot_cache() { return std::make_shared<SnapshotCache>(); }

namespace {

using httplib::Request;
using httplib::Response;
using HandlerResponse = httplib::Server::HandlerResponse;

void send_text(Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(message + "\n", "text/plain; charset=utf-8");
}

void send_json_error(Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(nlohmann::json{{"error", message}}.dump(), "application/json");
}

// Sends `gzip_body` when there is one and the client takes gzip, else `body`, from
// memory as they are (httplib never compresses a content provider's output).
void send_shared(const Request& req, Response& res, std::shared_ptr<const std::string> body,
                 const std::shared_ptr<const std::string>& gzip_body, const char* mime) {
    res.set_header("Vary", "Accept-Encoding");
    if (gzip_body && accepts_gzip(req.get_header_value("Accept-Encoding"))) {
        res.set_header("Content-Encoding", "gzip");
        res.set_header("X-Uncompressed-Length", std::to_string(body->size()));
        body = gzip_body;
    }
    res.set_content_provider(body->size(), mime, [body](size_t offset, size_t length, httplib::DataSink& sink) {
        return sink.write(body->data() + offset, length);
    });
}

// An answer made per request: gzip at a quick level (a request must not wait for the
// best ratio), by us: httplib's own brotli runs at the slowest quality, a quarter of a
// second for the policy library's feed.
void send_compressed(const Request& req, Response& res, std::shared_ptr<const std::string> body, const char* mime) {
    std::shared_ptr<const std::string> gzip_body;
    if (body->size() >= 1024 && accepts_gzip(req.get_header_value("Accept-Encoding")))
        if (auto gz = gzip_compress(*body, 6)) gzip_body = std::make_shared<const std::string>(std::move(*gz));
    send_shared(req, res, std::move(body), gzip_body, mime);
}

// A store that could not answer: 503 with Retry-After when waiting helps (another writer
// held the store longer than the busy timeout), else 500; the details go to the log.
void send_store_failure(Response& res, const Status& st, const std::string& what) {
    if (st.code == StatusCode::busy) {
        res.set_header("Retry-After", "5");
        send_json_error(res, 503, "The server is busy and could not " + what + " just now; try again in a few seconds.");
        return;
    }
    send_json_error(res, 500, "The server could not " + what + " from its database; try again later.");
}

bool is_api(const Request& req) { return req.path.rfind("/api/", 0) == 0 || req.path == "/api"; }

// Refuses what no route may see, before httplib reads a body: oversized URLs, bodies
// larger than the route takes (api.h for the API's routes), and methods no route takes. The connection is closed after such an
// answer, because a body that was not read would otherwise be parsed as the next request.
HandlerResponse check_request(const Request& req, Response& res) {
    if (req.target.size() > kMaxRequestUrlBytes) {
        res.set_header("Connection", "close");
        send_text(res, 414, "URL too long: at most " + std::to_string(kMaxRequestUrlBytes) + " bytes.");
        return HandlerResponse::Handled;
    }
    uint64_t length = 0;
    if (req.has_header("Content-Length")) {
        const std::string value = req.get_header_value("Content-Length");
        auto [end, err] = std::from_chars(value.data(), value.data() + value.size(), length);
        if (err != std::errc{} || end != value.data() + value.size()) {
            res.set_header("Connection", "close");
            send_text(res, 400, "Bad Content-Length header.");
            return HandlerResponse::Handled;
        }
    }
    // The route decides the method and the body size; a request no route takes is
    // refused for its size first (with the site's limit), then for its method.
    const bool api_route_path = is_api(req) && req.path != "/api/feed" && req.path != "/api/snapshot";
    std::string allowed;
    const ApiRoute* route = api_route_path ? find_api_route(req.method, req.path, &allowed) : nullptr;
    const size_t limit = route ? route->max_body : kMaxRequestBodyBytes;
    if (length > limit) {
        res.set_header("Connection", "close");
        const std::string message = "Request body too large: at most " + std::to_string(limit) + " bytes here.";
        if (is_api(req)) send_json_error(res, 413, message);
        else send_text(res, 413, message);
        return HandlerResponse::Handled;
    }
    if (api_route_path && !route) {
        if (!allowed.empty()) {
            res.set_header("Connection", "close");
            res.set_header("Allow", allowed);
            send_json_error(res, 405, "Method " + req.method + " is not allowed here: " + allowed + ".");
            return HandlerResponse::Handled;
        }
        if (req.method != "GET" && req.method != "HEAD") {
            res.set_header("Connection", "close");
            send_json_error(res, 404, "No API endpoint " + req.method + " " + req.path.substr(0, 200) + ".");
            return HandlerResponse::Handled;
        }
    } else if (!route && req.method != "GET" && req.method != "HEAD") {
        res.set_header("Connection", "close");
        res.set_header("Allow", "GET, HEAD");
        if (is_api(req)) send_json_error(res, 405, "Method " + req.method + " is not allowed here: the feed and the snapshot are read-only (GET).");
        else send_text(res, 405, "Method " + req.method + " is not allowed: only GET and HEAD.");
        return HandlerResponse::Handled;
    }
    if (!is_safe_path(req.path)) {
        if (is_api(req)) send_json_error(res, 400, "Bad path.");
        else send_text(res, 400, "Bad path: '.' and '..' segments, backslashes and NUL bytes are refused.");
        return HandlerResponse::Handled;
    }
    return HandlerResponse::Unhandled;
}

void serve_feed(const ServedContent& content, const Request& req, Response& res) {
    int64_t after = 0;
    if (req.has_param("after")) {
        const std::string value = req.get_param_value("after");
        auto [end, err] = std::from_chars(value.data(), value.data() + value.size(), after);
        if (value.empty() || err != std::errc{} || end != value.data() + value.size() || after < 0) {
            send_json_error(res, 400, "'after' must be a whole number from 0 up (the feed position the device has), not '" +
                                          value.substr(0, 40) + "'.");
            return;
        }
    }
    Result<std::string> body = Status::fail("not read");
    {
        auto store = content.store->read();
        body = change_feed_json(store.db(), after, kFeedPageSize);
    }
    if (!body) {
        // Never a partial answer: the device asks again later and gets every change.
        std::cerr << "handbook serve: feed after " << after << " failed (" << status_code_name(body.code()) << "): " << body.error() << "\n";
        send_store_failure(res, body.status(), "read the policies");
        return;
    }
    res.set_header("Cache-Control", "no-cache");
    send_compressed(req, res, std::make_shared<const std::string>(std::move(*body)), "application/json");
}

using BuiltSnapshot = SnapshotCache::Built;

// The snapshot of the library as it is now, or why it could not be made.
Result<BuiltSnapshot> current_snapshot(const ServedContent& content, SnapshotCache& cache) {
    std::lock_guard cache_lock(cache.mutex);
    auto store = content.store->read();
    auto head = latest_change_seq(store.db());
    if (!head) return head.status();
    if (cache.built.bytes && cache.built.position == *head) return cache.built;
    auto snapshot = build_device_snapshot(store.db());
    if (!snapshot) return snapshot.status();
    auto gz = gzip_compress(snapshot->bytes, 6);
    cache.built.gzip_bytes = gz ? std::make_shared<const std::string>(std::move(*gz)) : nullptr;
    cache.built.bytes = std::make_shared<const std::string>(std::move(snapshot->bytes));
    cache.built.position = snapshot->position;  // the file's own position, whatever head says by now
    return cache.built;
}

void serve_snapshot(const ServedContent& content, const Request& req, Response& res) {
    auto snapshot = current_snapshot(content, *content.snapshots);
    if (!snapshot) {
        std::cerr << "handbook serve: snapshot failed (" << status_code_name(snapshot.code()) << "): " << snapshot.error() << "\n";
        send_store_failure(res, snapshot.status(), "prepare the library for a new device");
        return;
    }
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Handbook-Feed-Position", std::to_string(snapshot->position));
    send_shared(req, res, snapshot->bytes, snapshot->gzip_bytes, "application/vnd.sqlite3");
}

bool etag_matches(const std::string& if_none_match, const std::string& etag) {
    if (if_none_match == "*") return true;
    // A list of (possibly weak) validators: "a", W/"b". Ours are quoted hashes, so a
    // substring match cannot confuse two of them.
    return if_none_match.find(etag) != std::string::npos;
}

void serve_static(const ServedContent& content, const Request& req, Response& res) {
    const StaticSite& site = *content.site;
    std::string name = req.path == "/" ? "index.html" : req.path.substr(1);
    auto it = site.files.find(name);
    if (it == site.files.end()) {
        std::string hint;
        bool is_app_file = false;
        for (const char* app : kAppFiles) is_app_file = is_app_file || name == app;
        if (is_app_file) hint = " The web app is not built: run 'scripts/build.sh web' and restart the server.";
        send_text(res, 404, "Not found: " + req.path.substr(0, 200) + "." + (hint.empty() ? " Handbook is at /." : hint));
        return;
    }
    const StaticAsset& asset = it->second;
    const bool gzip = !asset.gzip_body.empty() && accepts_gzip(req.get_header_value("Accept-Encoding"));
    const std::string& body = gzip ? asset.gzip_body : asset.body;
    const std::string etag = gzip ? asset.etag.substr(0, asset.etag.size() - 1) + "-gz\"" : asset.etag;

    res.set_header("Cache-Control", cache_control_for(site, req.get_param_value("v"), req.has_param("v")));
    res.set_header("ETag", etag);
    if (!asset.gzip_body.empty()) res.set_header("Vary", "Accept-Encoding");
    if (req.has_header("If-None-Match") && etag_matches(req.get_header_value("If-None-Match"), etag)) {
        res.status = 304;
        return;
    }
    if (gzip) {
        res.set_header("Content-Encoding", "gzip");
        // Browsers count a gzip download's progress in decoded bytes but cannot know
        // their total; the loader's progress bar reads it from here.
        res.set_header("X-Uncompressed-Length", std::to_string(asset.body.size()));
    }
    if (body.empty()) {
        res.set_content("", asset.mime_type);
        return;
    }
    // A content provider sends the bytes straight from memory (no copy per request),
    // and httplib never re-compresses a provider's output.
    const std::string* bytes = &body;
    res.set_content_provider(bytes->size(), asset.mime_type, [bytes](size_t offset, size_t length, httplib::DataSink& sink) {
        return sink.write(bytes->data() + offset, length);
    });
}

const char* status_message(int status) {
    switch (status) {
    case 400: return "Bad request.";
    case 404: return "Not found.";
    case 405: return "Method not allowed.";
    case 413: return "Request too large.";
    case 414: return "URL too long.";
    case 431: return "Request headers too large.";
    case 500: return "Internal server error.";
    default: return "Request failed.";
    }
}

}  // namespace

Status prepare_snapshot(const ServedContent& content) { return current_snapshot(content, *content.snapshots).status(); }

bool is_safe_path(const std::string& path) {
    if (path.empty() || path[0] != '/') return false;
    if (path.find('\\') != std::string::npos || path.find('\0') != std::string::npos) return false;
    size_t start = 1;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        std::string_view segment(path.data() + start, end - start);
        if (segment == ".." || segment == ".") return false;
        start = end + 1;
    }
    return true;
}

std::string cache_control_for(const StaticSite& site, const std::string& version_param, bool has_version_param) {
    if (!has_version_param) return "no-cache";
    if (version_param == site.version) return "public, max-age=31536000, immutable";
    return "no-store";
}

void install_routes(httplib::Server& server, ServedContent content) {
    server.set_payload_max_length(std::max(kMaxRequestBodyBytes, largest_api_body()));  // a backstop behind check_request
    server.set_read_timeout(10);
    server.set_write_timeout(30);
    server.set_keep_alive_timeout(5);
    server.set_default_headers({
        {"Content-Security-Policy", kContentSecurityPolicy},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"Cross-Origin-Opener-Policy", "same-origin"},
        {"Cross-Origin-Resource-Policy", "same-origin"},
        {"Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"},
    });
    // httplib's default also sets SO_REUSEPORT, which lets a second `handbook serve`
    // on the same port start without an error and take half the connections.
    // SO_REUSEADDR alone still allows a restart right after Ctrl-C.
    server.set_socket_options([](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const void*>(&yes), sizeof yes);
    });
    server.set_pre_routing_handler(check_request);

    server.Get("/api/feed", [content](const Request& req, Response& res) { serve_feed(content, req, res); });
    server.Get("/api/snapshot", [content](const Request& req, Response& res) { serve_snapshot(content, req, res); });
    if (content.api) install_api(server, *content.api);
    server.Get("/api/.*", [](const Request& req, Response& res) {
        send_json_error(res, 404, "No API endpoint " + req.path.substr(0, 200) + " (there are /api/feed?after=N and /api/snapshot).");
    });
    server.Get(".*", [content](const Request& req, Response& res) { serve_static(content, req, res); });

    // Answers httplib produces itself (a malformed request line, 414 from its own
    // limit, 404 for an unmatched method) get a message instead of an empty body.
    server.set_error_handler([](const Request& req, Response& res) {
        if (!res.body.empty() || res.content_length_ > 0) return;
        if (is_api(req)) res.set_content(nlohmann::json{{"error", status_message(res.status)}}.dump(), "application/json");
        else res.set_content(std::string(status_message(res.status)) + "\n", "text/plain; charset=utf-8");
    });
    server.set_exception_handler([](const Request& req, Response& res, std::exception_ptr ep) {
        std::string what = "unknown error";
        try {
            if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        std::cerr << "handbook serve: " << req.method << " " << req.path.substr(0, 200) << " failed: " << what << "\n";
        send_text(res, 500, "Internal server error.");
    });
    server.set_logger([](const Request& req, const Response& res) {
        if (res.status >= 400) std::cerr << "handbook serve: " << res.status << " " << req.method << " " << req.path.substr(0, 200) << "\n";
    });
}

}  // namespace handbook
