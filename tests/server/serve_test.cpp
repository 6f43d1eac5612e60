// `handbook serve` without a browser: the server runs in-process on 127.0.0.1 with an
// ephemeral port and is asked over a real socket, by httplib's client and, where the
// client would tidy a request up, by hand.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <sstream>
#include <thread>

#include "../files/temp_folder.h"
#include "core/article_store.h"
#include "core/change_feed.h"
#include "core/device_snapshot.h"
#include "core/schema.h"
#include "server/authority_schema.h"
#include "server/serve.h"
#include "server/serve_http.h"
#include "server/serve_site.h"
#include "core/content_trust.h"
#include "core/signed_file.h"
#include "server/http_server.h"
#include "server/signing_keys.h"

namespace {

using handbook::StaticSite;
using handbook::test::TempFolder;

std::string gunzip(const std::string& data) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK) return "<inflateInit2 failed>";
    std::string out;
    char buf[65536];
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef*>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf, sizeof buf - zs.avail_out);
    }
    inflateEnd(&zs);
    return rc == Z_STREAM_END ? out : "<not valid gzip>";
}

// Something the size and texture of an emscripten build: compresses, but not to nothing.
std::string fake_wasm() {
    std::string s = std::string("\0asm\x01\0\0\0", 8);
    uint32_t x = 12345;
    for (int i = 0; i < 200000; ++i) {
        x = x * 1103515245u + 12345u;
        s += static_cast<char>((x >> 16) % 4);  // a small alphabet: compresses about as well as real wasm
    }
    return s;
}

const char* kIndexHtml =
    "<!doctype html><html><head><meta name=\"handbook-version\" content=\"__HANDBOOK_VERSION__\"></head>"
    "<body><canvas id=\"canvas\"></canvas><script src=\"shell.js?v=__HANDBOOK_VERSION__\"></script></body></html>\n";

// The site as the real server would see it: a shell folder and the web build's folder,
// with a file beside them that must never be reachable.
struct SiteFolders {
    TempFolder tmp;
    std::string shell, app;
    SiteFolders() {
        shell = tmp.str() + "/web";
        app = tmp.str() + "/build";
        tmp.write("web/index.html", kIndexHtml);
        tmp.write("web/sw.js", "const VERSION = '__HANDBOOK_VERSION__';\n" + std::string(4000, ' ') + "// padding\n");
        tmp.write("web/manifest.webmanifest", "{\"name\": \"Handbook\"}\n");
        tmp.write("web/icons/icon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
        tmp.write("web/.hidden", "not served\n");
        tmp.write("build/handbook.wasm", fake_wasm());
        std::string js = "// emscripten glue\n";
        for (int i = 0; i < 2000; ++i) js += "function f" + std::to_string(i) + "(a){return a+" + std::to_string(i) + ";}\n";
        tmp.write("build/handbook.js", js);
        tmp.write("build/handbook.data", std::string(50000, 'x'));
        tmp.write("build/handbook.o", "object file: never served\n");
        tmp.write("secret.txt", "TOP SECRET\n");
    }
};

// The server on an ephemeral port with the real articles imported into an in-memory store.
class ServeTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        folders_ = new SiteFolders();
        auto site = handbook::load_static_site(folders_->shell, folders_->app);
        ASSERT_TRUE(site) << site.error();
        site_ = new StaticSite(std::move(*site));
        // A store on disk, as the server keeps it (WAL, a pool of readers).
        auto store = handbook::StorePool::open(folders_->tmp.str() + "/handbook.db");
        ASSERT_TRUE(store) << store.error();
        store_ = store->release();
        std::ostringstream log;
        auto st = handbook::import_on_first_start(store_->write().db(), std::string(HANDBOOK_SOURCE_DIR) + "/articles", log);
        ASSERT_TRUE(st) << st.error;
        ASSERT_NE(log.str().find("first start: imported"), std::string::npos) << log.str();

        auto keys = handbook::load_or_create_signing_key(folders_->tmp.str() + "/handbook.db.signing-key");
        ASSERT_TRUE(keys) << keys.error();
        keys_ = new handbook::ServerKeys(std::move(*keys));
        server_ = new handbook::HttpServer();
        handbook::install_routes(*server_, handbook::ServedContent{site_, store_, nullptr, keys_});
        port_ = server_->bind_to_any_port("127.0.0.1");
        ASSERT_GT(port_, 0);
        thread_ = new std::thread([] { server_->listen_after_bind(); });
        for (int i = 0; i < 200 && !server_->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ASSERT_TRUE(server_->is_running());
    }
    static void TearDownTestSuite() {
        if (server_) server_->stop();
        if (thread_) thread_->join();
        delete thread_;
        delete server_;
        delete store_;
        delete keys_;
        delete site_;
        delete folders_;
    }

    static httplib::Client client() {
        httplib::Client c("127.0.0.1", port_);
        c.set_decompress(false);  // the tests look at the bytes on the wire
        return c;
    }

    // Sends `request` as is and returns the whole answer (status line, headers, body).
    static std::string raw(const std::string& request) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port_));
        inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
        if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            close(fd);
            return "<connect failed>";
        }
        (void)!write(fd, request.data(), request.size());
        std::string out;
        char buf[4096];
        ssize_t n;
        // Read one answer: headers, then Content-Length bytes (the server may keep the
        // connection open after an answer to a request it could not parse).
        while ((n = read(fd, buf, sizeof buf)) > 0) {
            out.append(buf, static_cast<size_t>(n));
            auto end = out.find("\r\n\r\n");
            if (end == std::string::npos) continue;
            auto cl = out.find("Content-Length: ");
            size_t length = cl != std::string::npos && cl < end ? std::stoul(out.substr(cl + 16)) : 0;
            if (out.size() >= end + 4 + length) break;
        }
        close(fd);
        return out;
    }

    static inline SiteFolders* folders_ = nullptr;
    static inline StaticSite* site_ = nullptr;
    static inline handbook::StorePool* store_ = nullptr;
    static inline handbook::HttpServer* server_ = nullptr;
    static inline handbook::ServerKeys* keys_ = nullptr;
    static inline std::thread* thread_ = nullptr;

    // The body of a signed answer, checked with the server's key (fails the test if it does not hold).
    static std::string signed_body(const std::string& file) {
        auto opened = handbook::open_signed(file, handbook::key_text(keys_->key.public_key));
        EXPECT_TRUE(opened) << opened.error();
        return opened ? std::string(opened->body) : std::string();
    }
    static inline int port_ = 0;
};

}  // namespace

TEST(ServeSite, MimeTypesByExtension) {
    using handbook::mime_type_for;
    EXPECT_EQ(mime_type_for("handbook.wasm"), "application/wasm");
    EXPECT_EQ(mime_type_for("HANDBOOK.WASM"), "application/wasm");
    EXPECT_EQ(mime_type_for("handbook.js"), "text/javascript; charset=utf-8");
    EXPECT_EQ(mime_type_for("index.html"), "text/html; charset=utf-8");
    EXPECT_EQ(mime_type_for("manifest.webmanifest"), "application/manifest+json");
    EXPECT_EQ(mime_type_for("icons/icon.svg"), "image/svg+xml");
    EXPECT_EQ(mime_type_for("shell.css"), "text/css; charset=utf-8");
    EXPECT_EQ(mime_type_for("handbook.data"), "application/octet-stream");
    EXPECT_EQ(mime_type_for("README"), "application/octet-stream");
    EXPECT_EQ(mime_type_for("x.exe"), "application/octet-stream");
}

TEST(ServeSite, AcceptEncodingNegotiation) {
    using handbook::accepts_gzip;
    EXPECT_TRUE(accepts_gzip("gzip"));
    EXPECT_TRUE(accepts_gzip("gzip, deflate, br, zstd"));  // what Chromium sends
    EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;Q=0.5"));
    EXPECT_TRUE(accepts_gzip("*"));
    EXPECT_TRUE(accepts_gzip("x-gzip"));
    EXPECT_FALSE(accepts_gzip(""));
    EXPECT_FALSE(accepts_gzip("br"));
    EXPECT_FALSE(accepts_gzip("identity"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0.000"));
    EXPECT_FALSE(accepts_gzip("*;q=0"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0, *"));  // an explicit entry beats the wildcard
    EXPECT_FALSE(accepts_gzip("gzip;q=nonsense"));
}

TEST(ServeSite, GzipRoundTrips) {
    std::string text = fake_wasm();
    auto gz = handbook::gzip_compress(text);
    ASSERT_TRUE(gz) << gz.error();
    EXPECT_LT(gz->size(), text.size() / 2);
    EXPECT_EQ(gunzip(*gz), text);
}

TEST(ServeSite, PathsWithDotSegmentsAreUnsafe) {
    using handbook::is_safe_path;
    EXPECT_TRUE(is_safe_path("/"));
    EXPECT_TRUE(is_safe_path("/index.html"));
    EXPECT_TRUE(is_safe_path("/icons/icon.svg"));
    EXPECT_TRUE(is_safe_path("/a..b"));
    EXPECT_FALSE(is_safe_path("/../secret.txt"));
    EXPECT_FALSE(is_safe_path("/icons/../../secret.txt"));
    EXPECT_FALSE(is_safe_path("/.."));
    EXPECT_FALSE(is_safe_path("/./index.html"));
    EXPECT_FALSE(is_safe_path("/..\\secret.txt"));
    EXPECT_FALSE(is_safe_path(std::string("/index.html\0x", 13)));
    EXPECT_FALSE(is_safe_path("index.html"));
    EXPECT_FALSE(is_safe_path(""));
}

TEST(ServeSite, LoadsShellAndOnlyTheAppFiles) {
    SiteFolders f;
    auto site = handbook::load_static_site(f.shell, f.app);
    ASSERT_TRUE(site) << site.error();
    EXPECT_EQ(site->version.size(), 16u);
    EXPECT_TRUE(site->missing_app_files.empty());
    for (const char* name : {"index.html", "sw.js", "manifest.webmanifest", "icons/icon.svg", "handbook.js", "handbook.wasm", "handbook.data"})
        EXPECT_TRUE(site->files.count(name)) << name;
    EXPECT_FALSE(site->files.count(".hidden"));
    EXPECT_FALSE(site->files.count("handbook.o"));
    EXPECT_FALSE(site->files.count("secret.txt"));
    // The version goes into the shell files, and only there.
    EXPECT_NE(site->files["index.html"].body.find("content=\"" + site->version + "\""), std::string::npos);
    EXPECT_EQ(site->files["index.html"].body.find("__HANDBOOK_VERSION__"), std::string::npos);
    EXPECT_NE(site->files["sw.js"].body.find("'" + site->version + "'"), std::string::npos);
    // Big compressible files have a gzip form; tiny ones do not.
    EXPECT_FALSE(site->files["handbook.wasm"].gzip_body.empty());
    EXPECT_TRUE(site->files["manifest.webmanifest"].gzip_body.empty());
}

TEST(ServeSite, VersionChangesWithAnyFile) {
    SiteFolders f;
    auto before = handbook::load_static_site(f.shell, f.app);
    ASSERT_TRUE(before) << before.error();
    auto again = handbook::load_static_site(f.shell, f.app);
    ASSERT_TRUE(again) << again.error();
    EXPECT_EQ(before->version, again->version);  // stable: no clock, no readdir order
    f.tmp.write("build/handbook.data", std::string(50000, 'y'));
    auto after_data = handbook::load_static_site(f.shell, f.app);
    ASSERT_TRUE(after_data) << after_data.error();
    EXPECT_NE(before->version, after_data->version);
    f.tmp.write("web/icons/icon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><g/></svg>\n");
    auto after_icon = handbook::load_static_site(f.shell, f.app);
    ASSERT_TRUE(after_icon) << after_icon.error();
    EXPECT_NE(after_data->version, after_icon->version);
}

TEST(ServeSite, MissingAppFilesAreNamedAndAMissingShellIsAnError) {
    SiteFolders f;
    auto site = handbook::load_static_site(f.shell, f.tmp.str() + "/not-built");
    ASSERT_TRUE(site) << site.error();
    EXPECT_EQ(site->missing_app_files, "handbook.js, handbook.wasm, handbook.data");
    auto none = handbook::load_static_site(f.tmp.str() + "/nowhere", f.app);
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().find("--shell"), std::string::npos) << none.error();
}

TEST_F(ServeTest, IndexIsServedAtRootWithSecurityHeaders) {
    auto res = client().Get("/");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-cache");
    EXPECT_EQ(res->get_header_value("Content-Security-Policy"), handbook::kContentSecurityPolicy);
    EXPECT_NE(res->get_header_value("Content-Security-Policy").find("script-src 'self' 'wasm-unsafe-eval'"), std::string::npos);
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_NE(res->body.find(site_->version), std::string::npos);
}

TEST_F(ServeTest, WasmHasItsMimeTypeAndIsGzippedOnlyWhenAccepted) {
    const std::string& original = site_->files.at("handbook.wasm").body;
    auto gz = client().Get("/handbook.wasm", {{"Accept-Encoding", "gzip, deflate, br"}});
    ASSERT_TRUE(gz);
    EXPECT_EQ(gz->status, 200);
    EXPECT_EQ(gz->get_header_value("Content-Type"), "application/wasm");
    EXPECT_EQ(gz->get_header_value("Content-Encoding"), "gzip");
    EXPECT_EQ(gz->get_header_value("Vary"), "Accept-Encoding");
    EXPECT_LT(gz->body.size(), original.size() / 2);
    EXPECT_EQ(gunzip(gz->body), original);

    auto plain = client().Get("/handbook.wasm");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->status, 200);
    EXPECT_FALSE(plain->has_header("Content-Encoding"));
    EXPECT_EQ(plain->body, original);

    auto refused = client().Get("/handbook.wasm", {{"Accept-Encoding", "gzip;q=0, br"}});
    ASSERT_TRUE(refused);
    EXPECT_FALSE(refused->has_header("Content-Encoding"));
    EXPECT_EQ(refused->body, original);
}

TEST_F(ServeTest, HeadAnswersWithHeadersOnly) {
    auto res = client().Head("/handbook.wasm");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/wasm");
    EXPECT_EQ(res->get_header_value("Content-Length"), std::to_string(site_->files.at("handbook.wasm").body.size()));
    EXPECT_TRUE(res->body.empty());
}

TEST_F(ServeTest, JavaScriptIsCompressedOnceNotTwice) {
    // httplib compresses text/* on its own; a precompressed body must not be compressed again.
    auto res = client().Get("/handbook.js", {{"Accept-Encoding", "gzip"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip");
    EXPECT_EQ(res->get_header_value_count("Content-Encoding"), 1u);
    EXPECT_EQ(gunzip(res->body), site_->files.at("handbook.js").body);
}

TEST_F(ServeTest, VersionedUrlsAreImmutableOthersRevalidate) {
    auto versioned = client().Get("/v/" + site_->version + "/handbook.wasm");
    ASSERT_TRUE(versioned);
    EXPECT_EQ(versioned->status, 200);
    EXPECT_EQ(versioned->body, site_->files.at("handbook.wasm").body);
    EXPECT_EQ(versioned->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
    auto icon = client().Get("/v/" + site_->version + "/icons/icon.svg");
    ASSERT_TRUE(icon);
    EXPECT_EQ(icon->status, 200);
    auto stale = client().Get("/v/0000000000000000/handbook.wasm");
    ASSERT_TRUE(stale);
    EXPECT_EQ(stale->status, 404);  // another version's files are gone: never today's bytes under its name
    auto plain = client().Get("/handbook.wasm");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->get_header_value("Cache-Control"), "no-cache");
    auto sw = client().Get("/sw.js");
    ASSERT_TRUE(sw);
    EXPECT_EQ(sw->get_header_value("Cache-Control"), "no-cache");
    EXPECT_EQ(sw->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_NE(sw->body.find(site_->version), std::string::npos);
    auto manifest = client().Get("/manifest.webmanifest");
    ASSERT_TRUE(manifest);
    EXPECT_EQ(manifest->get_header_value("Content-Type"), "application/manifest+json");
}

TEST_F(ServeTest, EtagAnswers304) {
    auto first = client().Get("/sw.js");
    ASSERT_TRUE(first);
    std::string etag = first->get_header_value("ETag");
    ASSERT_FALSE(etag.empty());
    auto again = client().Get("/sw.js", {{"If-None-Match", etag}});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304);
    EXPECT_TRUE(again->body.empty());
    auto changed = client().Get("/sw.js", {{"If-None-Match", "\"0000000000000000\""}});
    ASSERT_TRUE(changed);
    EXPECT_EQ(changed->status, 200);
    // The gzip form has its own validator.
    auto gz = client().Get("/sw.js", {{"Accept-Encoding", "gzip"}});
    ASSERT_TRUE(gz);
    EXPECT_NE(gz->get_header_value("ETag"), etag);
}

TEST_F(ServeTest, FeedReturnsTheArticlesAsJson) {
    auto res = client().Get("/api/feed?after=0");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/vnd.handbook.signed+json");
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-cache");
    auto feed = nlohmann::json::parse(signed_body(res->body), nullptr, false);
    ASSERT_FALSE(feed.is_discarded()) << res->body.substr(0, 200);
    EXPECT_EQ(feed["format"], 2);
    EXPECT_EQ(feed["server"].get<std::string>().size(), 32u);
    EXPECT_EQ(feed["after"], 0);
    ASSERT_TRUE(feed["changes"].is_array());
    int articles = 0;
    for (const auto& c : feed["changes"]) {
        if (c["kind"] == "article") {
            ++articles;
            EXPECT_FALSE(c["article"]["slug"].get<std::string>().empty());
            EXPECT_FALSE(c["article"]["body"].get<std::string>().empty());
        }
    }
    EXPECT_GE(articles, 40);  // the policy library has 40-odd articles
    int64_t latest = feed["latest"];
    EXPECT_GT(latest, 0);

    auto rest = client().Get("/api/feed?after=" + std::to_string(latest));
    ASSERT_TRUE(rest);
    auto empty = nlohmann::json::parse(signed_body(rest->body), nullptr, false);
    ASSERT_FALSE(empty.is_discarded());
    EXPECT_TRUE(empty["changes"].empty());
    EXPECT_EQ(empty["more"], false);
}

// Chromium offers "gzip, deflate, br, zstd": the feed comes back as our gzip, quickly,
// not as httplib's brotli (which took a quarter of a second for this library).
TEST_F(ServeTest, FeedIsGzippedWhenABrowserOffersBrotliToo) {
    auto plain = client().Get("/api/feed?after=0");
    ASSERT_TRUE(plain);
    auto gz = client().Get("/api/feed?after=0", {{"Accept-Encoding", "gzip, deflate, br, zstd"}});
    ASSERT_TRUE(gz);
    ASSERT_EQ(gz->status, 200);
    EXPECT_EQ(gz->get_header_value("Content-Encoding"), "gzip");
    EXPECT_EQ(gz->get_header_value("Content-Type"), "application/vnd.handbook.signed+json");
    EXPECT_EQ(gz->get_header_value("Vary"), "Accept-Encoding");
    EXPECT_EQ(gunzip(gz->body), plain->body);
    EXPECT_LT(gz->body.size() * 2, plain->body.size());
    auto br_only = client().Get("/api/feed?after=0", {{"Accept-Encoding", "br"}});
    ASSERT_TRUE(br_only);
    EXPECT_EQ(br_only->get_header_value("Content-Encoding"), "");
    EXPECT_EQ(br_only->body, plain->body);
}

TEST_F(ServeTest, SnapshotIsTheWholeLibraryForANewDevice) {
    auto feed = nlohmann::json::parse(signed_body(client().Get("/api/feed?after=0")->body));
    auto res = client().Get("/api/snapshot", {{"Accept-Encoding", "gzip"}});
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body.substr(0, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/vnd.handbook.signed");
    EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip");
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-cache");
    EXPECT_EQ(res->get_header_value("X-Handbook-Feed-Position"), std::to_string(feed["latest"].get<int64_t>()));
    const std::string bytes = gunzip(res->body);
    handbook::DeviceTrust trust{handbook::key_text(keys_->key.public_key), ""};
    auto library = handbook::open_signed_snapshot(bytes, trust);
    ASSERT_TRUE(library) << library.error();

    TempFolder tmp;
    const std::string path = tmp.str() + "/device.db";
    auto st = handbook::install_device_snapshot(path, *library);
    ASSERT_TRUE(st) << st.error;
    auto device = handbook::open_store(path);
    ASSERT_TRUE(device) << device.error();
    auto held = handbook::applied_feed_position(**device);
    ASSERT_TRUE(held) << held.error();
    EXPECT_EQ(held->seq, feed["latest"].get<int64_t>());
    EXPECT_EQ(held->server, feed["server"].get<std::string>());
    auto articles = handbook::list_articles(**device);
    ASSERT_TRUE(articles);
    EXPECT_GE(articles->size(), 40u);

    // Built once: the next device gets the same bytes.
    auto again = client().Get("/api/snapshot");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->body, bytes);
}

TEST_F(ServeTest, FeedRejectsABadPosition) {
    for (const char* bad : {"abc", "-1", "", "1e3", "99999999999999999999999"}) {
        auto res = client().Get(std::string("/api/feed?after=") + bad);
        ASSERT_TRUE(res) << bad;
        EXPECT_EQ(res->status, 400) << bad;
        auto body = nlohmann::json::parse(res->body, nullptr, false);
        ASSERT_FALSE(body.is_discarded()) << res->body;
        EXPECT_NE(body["error"].get<std::string>().find("after"), std::string::npos) << res->body;
    }
    auto unknown = client().Get("/api/nothing");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 404);
    EXPECT_NE(unknown->body.find("/api/feed"), std::string::npos) << unknown->body;
}

TEST_F(ServeTest, OversizedRequestsAreRejected) {
    auto big_body = client().Post("/api/feed", std::string(handbook::kMaxRequestBodyBytes + 1, 'x'), "application/octet-stream");
    ASSERT_TRUE(big_body);
    EXPECT_EQ(big_body->status, 413);
    auto long_url = client().Get("/index.html?pad=" + std::string(handbook::kMaxRequestUrlBytes, 'a'));
    ASSERT_TRUE(long_url);
    EXPECT_EQ(long_url->status, 414);
    // Beyond httplib's own limit on the request line, too.
    auto huge_url = client().Get("/index.html?pad=" + std::string(20000, 'a'));
    ASSERT_TRUE(huge_url);
    EXPECT_EQ(huge_url->status, 414);
    auto put = client().Put("/index.html", "x", "text/plain");
    ASSERT_TRUE(put);
    EXPECT_EQ(put->status, 405);
    EXPECT_EQ(put->get_header_value("Allow"), "GET, HEAD");
    // The server still answers afterwards.
    auto ok = client().Get("/");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200);
}

TEST_F(ServeTest, PathTraversalIsRefused) {
    for (const char* path : {"/../secret.txt", "/icons/../../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
                             "/icons/%2E%2E/%2E%2E/secret.txt"}) {
        std::string answer = raw(std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << path << "\n" << answer.substr(0, 200);
        EXPECT_EQ(answer.find("TOP SECRET"), std::string::npos) << path;
    }
    // Names that exist next to the app files, but are not app files, are not served.
    auto object = client().Get("/handbook.o");
    ASSERT_TRUE(object);
    EXPECT_EQ(object->status, 404);
    auto hidden = client().Get("/.hidden");
    ASSERT_TRUE(hidden);
    EXPECT_EQ(hidden->status, 404);
}

TEST_F(ServeTest, UnknownFilesGetAHelpful404) {
    auto res = client().Get("/no-such-file.js");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
    EXPECT_NE(res->body.find("Not found: /no-such-file.js"), std::string::npos) << res->body;
    std::string bad = raw("NONSENSE\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(bad.rfind("HTTP/1.1 400", 0), 0u) << bad.substr(0, 200);
}

TEST_F(ServeTest, ASecondServerCannotTakeTheSamePort) {
    handbook::HttpServer second;
    handbook::install_routes(second, handbook::ServedContent{site_, store_, nullptr, keys_});
    EXPECT_FALSE(second.bind_to_port("127.0.0.1", port_));
}

TEST(ServeFirstStart, ImportsOnlyIntoAnEmptyDatabase) {
    auto db = handbook::open_server_store(":memory:");
    ASSERT_TRUE(db) << db.error();
    std::ostringstream missing;
    auto no_folder = handbook::import_on_first_start(**db, "/nonexistent/articles", missing);
    ASSERT_FALSE(no_folder.is_ok());
    EXPECT_NE(no_folder.error.find("--articles"), std::string::npos) << no_folder.error;

    std::ostringstream first, second;
    ASSERT_TRUE(handbook::import_on_first_start(**db, std::string(HANDBOOK_SOURCE_DIR) + "/articles", first));
    EXPECT_NE(first.str().find("first start: imported"), std::string::npos) << first.str();
    ASSERT_TRUE(handbook::import_on_first_start(**db, "/nonexistent/articles", second));  // not empty: no import
    EXPECT_TRUE(second.str().empty()) << second.str();
}
