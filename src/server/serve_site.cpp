// Loading the static site into memory: see serve_site.h.
#include "serve_site.h"

#include <sodium.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <optional>
#include <vector>

namespace handbook {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

Result<std::string> read_file(const fs::path& path) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (ec) return Status::fail("cannot read " + path.string() + ": " + ec.message());
    if (size > kMaxSiteFileBytes) return Status::fail(path.string() + " is larger than the 256 MiB a site file may be");
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::fail("cannot open " + path.string());
    std::string data(static_cast<size_t>(size), '\0');
    in.read(data.data(), static_cast<std::streamsize>(size));
    if (!in) return Status::fail("cannot read " + path.string());
    return data;
}

bool is_text_type(const std::string& mime) {
    return mime.rfind("text/", 0) == 0 || mime.rfind("application/manifest+json", 0) == 0 ||
           mime.rfind("application/json", 0) == 0 || mime.rfind("image/svg+xml", 0) == 0;
}

void replace_all(std::string& text, std::string_view from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

Status finish_asset(StaticAsset& asset) {
    asset.etag = "\"" + content_hash(asset.body) + "\"";
    if (asset.body.size() >= 1024 && worth_compressing(asset.mime_type)) {
        auto gz = gzip_compress(asset.body);
        if (!gz) return gz.status();
        // Keep the gzip form only when it saves at least a tenth.
        if (gz->size() * 10 < asset.body.size() * 9) asset.gzip_body = std::move(*gz);
    }
    return Status::ok();
}

}  // namespace

std::string mime_type_for(std::string_view file_name) {
    auto dot = file_name.rfind('.');
    std::string ext = dot == std::string_view::npos ? "" : lower(file_name.substr(dot + 1));
    static const std::map<std::string, std::string> kTypes = {
        {"html", "text/html; charset=utf-8"},
        {"js", "text/javascript; charset=utf-8"},
        {"mjs", "text/javascript; charset=utf-8"},
        {"css", "text/css; charset=utf-8"},
        {"txt", "text/plain; charset=utf-8"},
        {"json", "application/json"},
        {"webmanifest", "application/manifest+json"},
        {"wasm", "application/wasm"},
        {"data", "application/octet-stream"},
        {"svg", "image/svg+xml"},
        {"png", "image/png"},
        {"ico", "image/x-icon"},
        {"webp", "image/webp"},
        {"ttf", "font/ttf"},
        {"otf", "font/otf"},
        {"woff2", "font/woff2"},
    };
    auto it = kTypes.find(ext);
    return it == kTypes.end() ? "application/octet-stream" : it->second;
}

bool worth_compressing(std::string_view mime_type) {
    // Already-compressed formats (png, webp, woff2) gain nothing.
    return mime_type.rfind("text/", 0) == 0 || mime_type.rfind("application/", 0) == 0 ||
           mime_type.rfind("image/svg+xml", 0) == 0 || mime_type.rfind("font/ttf", 0) == 0 ||
           mime_type.rfind("font/otf", 0) == 0;
}

bool accepts_gzip(std::string_view accept_encoding) {
    // Accept-Encoding: gzip;q=0.8, br, *;q=0  (RFC 9110 12.5.3). An explicit "gzip"
    // entry decides; otherwise "*" does; q=0 means "not acceptable".
    std::optional<bool> gzip, any;
    while (!accept_encoding.empty()) {
        auto comma = accept_encoding.find(',');
        std::string_view item = accept_encoding.substr(0, comma);
        accept_encoding = comma == std::string_view::npos ? std::string_view{} : accept_encoding.substr(comma + 1);
        auto semi = item.find(';');
        std::string coding = lower(trim(item.substr(0, semi)));
        bool allowed = true;
        while (semi != std::string_view::npos) {
            item = item.substr(semi + 1);
            semi = item.find(';');
            std::string param = lower(trim(item.substr(0, semi)));
            if (param.rfind("q=", 0) != 0) continue;
            double q = 0;
            auto [end, err] = std::from_chars(param.data() + 2, param.data() + param.size(), q);
            allowed = err == std::errc{} && end == param.data() + param.size() && q > 0;
        }
        if (coding == "gzip" || coding == "x-gzip") gzip = allowed;
        else if (coding == "*") any = allowed;
    }
    if (gzip) return *gzip;
    return any.value_or(false);
}

Result<std::string> gzip_compress(std::string_view data, int level) {
    z_stream zs{};
    // windowBits 15 + 16 asks zlib for a gzip header and trailer instead of zlib's own.
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return Status::fail("gzip: zlib would not start (out of memory?)");
    std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&zs, Z_FINISH);
    size_t written = zs.total_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) return Status::fail("gzip: compression did not finish (zlib error " + std::to_string(rc) + ")");
    out.resize(written);
    return out;
}

std::string content_hash(std::string_view data) {
    unsigned char digest[8];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(data.data()), data.size(), nullptr, 0);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

Status personalize_start_page(StaticSite& site, const std::string& content_source, const std::string& key_text) {
    auto it = site.files.find("index.html");
    if (it == site.files.end()) return Status::fail("the site has no index.html");
    replace_all(it->second.body, "__HANDBOOK_CONTENT__", content_source);
    replace_all(it->second.body, "__HANDBOOK_KEY__", key_text);
    it->second.gzip_body.clear();
    return finish_asset(it->second);
}

Result<StaticSite> load_static_site(const std::string& shell_dir, const std::string& app_dir) {
    if (sodium_init() < 0) return Status::fail("libsodium could not start");
    StaticSite site;
    std::error_code ec;
    if (!fs::is_directory(shell_dir, ec))
        return Status::fail("no web shell folder at '" + shell_dir + "' (it holds index.html and sw.js; pass --shell DIR)");

    // Shell files, in a stable order so the version hash does not depend on readdir.
    std::vector<std::pair<std::string, fs::path>> shell_files;
    for (auto it = fs::recursive_directory_iterator(shell_dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (!name.empty() && name[0] == '.') {
            if (it->is_directory()) it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file()) continue;
        if (shell_files.size() >= kMaxSiteFiles)
            return Status::fail("the web shell folder '" + shell_dir + "' has more than " + std::to_string(kMaxSiteFiles) + " files: is --shell right?");
        shell_files.emplace_back(fs::relative(it->path(), shell_dir).generic_string(), it->path());
    }
    if (ec) return Status::fail("cannot list '" + shell_dir + "': " + ec.message());
    std::sort(shell_files.begin(), shell_files.end());
    if (std::none_of(shell_files.begin(), shell_files.end(), [](const auto& f) { return f.first == "index.html"; }))
        return Status::fail("the web shell folder '" + shell_dir + "' has no index.html");

    // The version covers every byte served, the shell files as written (before the
    // version goes into them) included.
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, 8);
    auto hash_in = [&state](std::string_view name, std::string_view bytes) {
        std::string header = std::string(name) + '\0' + std::to_string(bytes.size()) + '\0';
        crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(header.data()), header.size());
        crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    };

    auto add_file = [&](const std::string& name, const fs::path& path, bool is_app_file) -> Status {
        auto body = read_file(path);
        if (!body) return body.status();
        hash_in(name, *body);
        StaticAsset asset;
        asset.mime_type = mime_type_for(name);
        asset.body = std::move(*body);
        asset.is_app_file = is_app_file;
        site.files[name] = std::move(asset);
        return Status::ok();
    };
    for (const auto& [name, path] : shell_files)
        if (Status st = add_file(name, path, false); !st) return st;
    for (const char* name : kAppFiles) {
        if (site.files.count(name)) continue;
        fs::path path = fs::path(app_dir) / name;
        if (!fs::is_regular_file(path, ec)) {
            if (!site.missing_app_files.empty()) site.missing_app_files += ", ";
            site.missing_app_files += name;
            continue;
        }
        if (Status st = add_file(name, path, true); !st) return st;
    }

    unsigned char digest[8];
    crypto_generichash_final(&state, digest, sizeof digest);
    char hex[sizeof digest * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    site.version = hex;

    for (auto& [name, asset] : site.files) {
        if (!asset.is_app_file && is_text_type(asset.mime_type)) replace_all(asset.body, kVersionPlaceholder, site.version);
        if (auto st = finish_asset(asset); !st) return st;
    }
    return site;
}

}  // namespace handbook
