// Routes, headers and limits of `handbook serve`: see serve_http.h.
#include "serve_http.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <ctime>
#include <map>
#include <iostream>
#include <memory>
#include <optional>

#include "core/article_store.h"
#include "core/change_feed.h"
#include "core/content_trust.h"
#include "core/device_snapshot.h"
#include "core/signed_file.h"

namespace handbook {

// The last snapshot built and signed: a new feed position builds a new one. Its mutex is
// held while one is built, so devices that arrive meanwhile wait for that one instead of
// each building. A snapshot is not a claim of currency (content_trust.h), so it is signed
// once, when built.
struct SnapshotCache {
    std::mutex mutex;
    struct Built {
        int64_t position = -1;
        std::shared_ptr<const std::string> bytes;       // the signed file
        std::shared_ptr<const std::string> gzip_bytes;  // compressed once, not per device
    } built;
};

std::shared_ptr<SnapshotCache> make_snapshot_cache() { return std::make_shared<SnapshotCache>(); }

// Signed feed answers by the position they start after, each for the head it was built
// at: a publish (a new head) makes them all stale. Looked up under the mutex, built
// outside it (two devices missing at once may both build; neither waits on the other).
struct FeedCache {
    std::mutex mutex;
    struct Entry {
        int64_t head = -1;
        int64_t signed_at = 0;  // seconds since 1970
        std::shared_ptr<const std::string> bytes, gzip_bytes;
        size_t size() const { return (bytes ? bytes->size() : 0) + (gzip_bytes ? gzip_bytes->size() : 0); }
    };
    std::map<int64_t, Entry> by_after;
    size_t bytes = 0;
};

std::shared_ptr<FeedCache> make_feed_cache() { return std::make_shared<FeedCache>(); }

std::string printable(std::string_view text, size_t max) {
    std::string out;
    const auto hex = [&out](unsigned char c) {
        static const char* digits = "0123456789abcdef";
        out += "\\x";
        out += digits[c >> 4];
        out += digits[c & 15];
    };
    for (size_t i = 0; i < text.size() && out.size() < max; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
            hex(c);
            continue;
        }
        if (c < 0x80) {
            out += static_cast<char>(c);
            continue;
        }
        // A whole, well-formed UTF-8 sequence passes; anything else byte by byte as \xNN.
        const size_t len = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
        bool ok = len > 0 && c >= 0xc2 && c <= 0xf4 && i + len <= text.size();
        for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
        if (ok && len == 3) ok = !(c == 0xe0 && static_cast<unsigned char>(text[i + 1]) < 0xa0) && !(c == 0xed && static_cast<unsigned char>(text[i + 1]) >= 0xa0);
        if (ok && len == 4) ok = !(c == 0xf0 && static_cast<unsigned char>(text[i + 1]) < 0x90) && !(c == 0xf4 && static_cast<unsigned char>(text[i + 1]) >= 0x90);
        if (!ok) {
            hex(c);
            continue;
        }
        out.append(text.data() + i, len);
        i += len - 1;
    }
    if (out.size() >= max && text.size() > 0) out += "...";
    return out;
}

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

// A Range the body cannot satisfy (a start past its end, or an empty suffix): answered
// 416 with the length, as RFC 9110 says, not with an empty 206. Ranges are taken on the
// bytes sent (the gzip form when the answer is gzipped).
bool refuse_unsatisfiable_range(const Request& req, Response& res, size_t length) {
    for (const auto& [first, last] : req.ranges) {
        const bool suffix = first < 0;
        const bool bad = suffix ? last <= 0 || length == 0 : static_cast<uint64_t>(first) >= length || (last >= 0 && last < first);
        if (!bad) continue;
        res.status = 416;
        res.set_header("Content-Range", "bytes */" + std::to_string(length));
        res.set_header("Cache-Control", "no-store");
        return true;  // no body: httplib would cut a body to the (unsatisfiable) range
    }
    return false;
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
    if (refuse_unsatisfiable_range(req, res, body->size())) return;
    res.set_content_provider(body->size(), mime, [body](size_t offset, size_t length, httplib::DataSink& sink) {
        return sink.write(body->data() + offset, length);
    });
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
    if (req.get_header_value_count("Content-Length") > 1 || (req.has_header("Content-Length") && req.has_header("Transfer-Encoding"))) {
        // Two lengths (or a length and chunks): which one a proxy in front believed is
        // unknowable, and guessing is how requests are smuggled past it.
        res.set_header("Connection", "close");
        send_text(res, 400, "Bad request: more than one Content-Length header, or Content-Length with Transfer-Encoding.");
        return HandlerResponse::Handled;
    }
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
            send_json_error(res, 405, "Method " + printable(req.method, 20) + " is not allowed here: " + allowed + ".");
            return HandlerResponse::Handled;
        }
        if (req.method != "GET" && req.method != "HEAD") {
            res.set_header("Connection", "close");
            send_json_error(res, 404, "No API endpoint " + printable(req.method, 20) + " " + printable(req.path) + ".");
            return HandlerResponse::Handled;
        }
    } else if (!route && req.method != "GET" && req.method != "HEAD") {
        res.set_header("Connection", "close");
        res.set_header("Allow", "GET, HEAD");
        if (is_api(req)) send_json_error(res, 405, "Method " + printable(req.method, 20) + " is not allowed here: the feed and the snapshot are read-only (GET).");
        else send_text(res, 405, "Method " + printable(req.method, 20) + " is not allowed: only GET and HEAD.");
        return HandlerResponse::Handled;
    }
    if (!is_safe_path(req.path)) {
        if (is_api(req)) send_json_error(res, 400, "Bad path.");
        else send_text(res, 400, "Bad path: '.' and '..' segments, backslashes and NUL bytes are refused.");
        return HandlerResponse::Handled;
    }
    return HandlerResponse::Unhandled;
}

int64_t seconds_now() { return static_cast<int64_t>(std::time(nullptr)); }

// The signed answer after `after` at the store's head: from the cache when it was built
// for this head and signed within the last minute, else built, signed and kept.
Result<FeedCache::Entry> signed_feed(const ServedContent& content, int64_t after) {
    FeedCache& cache = *content.feed;
    int64_t head = 0;
    {
        auto store = content.store->read();
        auto h = latest_change_seq(store.db());
        if (!h) return h.status();
        head = *h;
    }
    // Answers are signed with the start of the current minute: every answer of a minute
    // carries the same time, whichever position it starts at, so a device moving through
    // the pages never sees the time go back (it would refuse that as a replay).
    const int64_t now = seconds_now() - seconds_now() % kFeedResignSeconds;
    {
        std::lock_guard lock(cache.mutex);
        auto it = cache.by_after.find(after);
        if (it != cache.by_after.end() && it->second.head == head && it->second.signed_at == now) return it->second;
    }
    Result<FeedPage> page = Status::fail("not read");
    {
        auto store = content.store->read();
        page = change_feed_page(store.db(), after, kFeedPageSize);
    }
    if (!page) return page.status();
    FeedCache::Entry entry;
    entry.head = page->head;
    entry.signed_at = now;
    entry.bytes = std::make_shared<const std::string>(seal_feed_page(content.keys->key, content.keys->chain, *page, format_utc(now)));
    if (entry.bytes->size() >= 1024)
        if (auto gz = gzip_compress(*entry.bytes, 6)) entry.gzip_bytes = std::make_shared<const std::string>(std::move(*gz));
    std::lock_guard lock(cache.mutex);
    auto& slot = cache.by_after[after];
    cache.bytes -= slot.size();
    slot = entry;
    cache.bytes += slot.size();
    // Over the budget: the entries of other positions go (a device asks again, and the
    // position every device polls is the one just kept).
    for (auto it = cache.by_after.begin(); cache.bytes > kFeedCacheBytes && it != cache.by_after.end();) {
        if (it->first == after) {
            ++it;
            continue;
        }
        cache.bytes -= it->second.size();
        it = cache.by_after.erase(it);
    }
    return entry;
}

void serve_feed(const ServedContent& content, const Request& req, Response& res) {
    int64_t after = 0;
    if (req.has_param("after")) {
        const std::string value = req.get_param_value("after");
        auto [end, err] = std::from_chars(value.data(), value.data() + value.size(), after);
        if (value.empty() || err != std::errc{} || end != value.data() + value.size() || after < 0) {
            send_json_error(res, 400, "'after' must be a whole number from 0 up (the feed position the device has), not '" +
                                          printable(value, 40) + "'.");
            return;
        }
    }
    auto entry = signed_feed(content, after);
    if (!entry) {
        // Never a partial answer: the device asks again later and gets every change.
        std::cerr << "handbook serve: feed after " << after << " failed (" << status_code_name(entry.code()) << "): " << entry.error() << "\n";
        send_store_failure(res, entry.status(), "read the policies");
        return;
    }
    res.set_header("Cache-Control", "no-cache");
    send_shared(req, res, entry->bytes, entry->gzip_bytes, "application/vnd.handbook.signed+json");
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
    auto sealed = std::make_shared<const std::string>(seal_snapshot(content.keys->key, content.keys->chain, *snapshot, format_utc(seconds_now())));
    auto gz = gzip_compress(*sealed, 6);
    cache.built.gzip_bytes = gz ? std::make_shared<const std::string>(std::move(*gz)) : nullptr;
    cache.built.bytes = std::move(sealed);
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
    send_shared(req, res, snapshot->bytes, snapshot->gzip_bytes, "application/vnd.handbook.signed");
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
    // /v/<version>/<file>: the app's own URLs (content-addressed by the site's version,
    // so every cache may keep them forever); another version's are gone.
    bool versioned = false;
    if (name.rfind("v/", 0) == 0) {
        const size_t slash = name.find('/', 2);
        if (slash == std::string::npos || name.compare(2, slash - 2, site.version) != 0) {
            send_text(res, 404, "Not found: " + printable(req.path) + ". That version of Handbook is no longer served; reload the page.");
            return;
        }
        name = name.substr(slash + 1);
        versioned = true;
    }
    auto it = site.files.find(name);
    if (it == site.files.end()) {
        std::string hint;
        bool is_app_file = false;
        for (const char* app : kAppFiles) is_app_file = is_app_file || name == app;
        if (is_app_file) hint = " The web app is not built: run 'scripts/build.sh web' and restart the server.";
        send_text(res, 404, "Not found: " + printable(req.path) + "." + (hint.empty() ? " Handbook is at /." : hint));
        return;
    }
    const StaticAsset& asset = it->second;
    const bool gzip = !asset.gzip_body.empty() && accepts_gzip(req.get_header_value("Accept-Encoding"));
    const std::string& body = gzip ? asset.gzip_body : asset.body;
    const std::string etag = gzip ? asset.etag.substr(0, asset.etag.size() - 1) + "-gz\"" : asset.etag;

    res.set_header("Cache-Control", cache_control_for(versioned));
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
    if (refuse_unsatisfiable_range(req, res, body.size())) return;
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
    case 408: return "Request timeout: the request did not arrive in time.";
    case 411: return "Length required: send the body with a Content-Length.";
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

std::string cache_control_for(bool versioned_path) {
    return versioned_path ? "public, max-age=31536000, immutable" : "no-cache";
}

void install_routes(HttpServer& server, ServedContent content) {
    server.set_max_body_bytes(std::max(kMaxRequestBodyBytes, largest_api_body()));
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
        send_json_error(res, 404, "No API endpoint " + printable(req.path) + " (there are /api/feed?after=N and /api/snapshot).");
    });
    server.Get(".*", [content](const Request& req, Response& res) { serve_static(content, req, res); });

    // Answers httplib produces itself (a malformed request line, 414 from its own
    // limit, 404 for an unmatched method) get a message instead of an empty body.
    server.set_error_handler([](const Request& req, Response& res) {
        // An error is sent whole, whatever Range the request asked for: httplib cuts every
        // answer to the request's ranges after this handler, error pages too (a 404 for a
        // Range past the end became an empty 416). The Request is process_request's own
        // non-const object, lent to handlers as const, so clearing its ranges is sound.
        const_cast<Request&>(req).ranges.clear();
        if (!res.body.empty() || res.content_length_ > 0 || res.status == 416) return;
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
        std::cerr << "handbook serve: " << printable(req.method, 20) << " " << printable(req.path) << " failed: " << printable(what) << "\n";
        send_text(res, 500, "Internal server error.");
    });
    server.set_logger([](const Request& req, const Response& res) {
        // URLs are the client's bytes: written escaped, so a request cannot forge log lines
        // or send control sequences to whoever reads the log in a terminal.
        if (res.status >= 400) std::cerr << "handbook serve: " << res.status << " " << printable(req.method, 20) << " " << printable(req.path) << "\n";
    });
}

}  // namespace handbook
