// The static tree: see publish_static.h.
#include "publish_static.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "core/article_store.h"
#include "core/change_feed.h"
#include "core/schema.h"
#include "core/device_snapshot.h"
#include "core/signed_file.h"
#include "core/static_tree.h"

namespace handbook {

namespace fs = std::filesystem;

namespace {

Result<std::string> read_whole(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::fail(StatusCode::not_found, "cannot read " + path.string());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// `bytes` at `path`, whole or not at all: written beside it, then renamed over it.
Status write_atomically(const fs::path& path, std::string_view bytes) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) return Status::fail(StatusCode::io, "cannot create " + path.parent_path().string() + ": " + ec.message());
    const fs::path part = path.string() + ".part" + std::to_string(::getpid());
    {
        std::ofstream out(part, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) {
            fs::remove(part, ec);
            return Status::fail(StatusCode::io, "cannot write " + part.string() + " (disk full?)");
        }
    }
    fs::rename(part, path, ec);
    if (ec) {
        fs::remove(part, ec);
        return Status::fail(StatusCode::io, "cannot move " + part.string() + " into place: " + ec.message());
    }
    return Status::ok();
}

// A content-addressed file: written once; an existing file of that name is that content.
Status write_once(const fs::path& path, std::string_view bytes, size_t* written) {
    std::error_code ec;
    if (fs::exists(path, ec)) return Status::ok();
    if (Status st = write_atomically(path, bytes); !st) return st;
    ++*written;
    return Status::ok();
}

// The previous pointer's body (our own file; its pages are reused only after their bytes
// are checked against their names).
std::optional<StaticPointer> previous_pointer(const fs::path& dir) {
    auto file = read_whole(dir / kStaticPointerPath);
    if (!file) return std::nullopt;
    auto newline = file->find('\n');
    if (newline == std::string::npos) return std::nullopt;
    auto pointer = parse_static_pointer(std::string_view(*file).substr(newline + 1));
    if (!pointer) return std::nullopt;
    return *pointer;
}

// The file at `dir/file` is there and is the content its name says.
bool holds(const fs::path& dir, const std::string& file, const std::string& sha256) {
    auto bytes = read_whole(dir / file);
    return bytes && sha256_hex(*bytes) == sha256;
}

}  // namespace

std::string static_pointer_made_at(const std::string& dir) {
    auto file = read_whole(fs::path(dir) / kStaticPointerPath);
    if (!file) return "";
    auto statement = peek_statement(*file);
    return statement ? statement->made_at : "";
}

Result<StaticPublishReport> publish_static(StorePool& store, const StaticSite* site, const ServerKeys& keys, const std::string& dir,
                                           const std::string& now) {
    const fs::path root(dir);
    std::error_code ec;
    fs::create_directories(root / "content/feed", ec);
    fs::create_directories(root / "content/snapshot", ec);
    if (ec) return Status::fail(StatusCode::io, "cannot create the static tree in " + dir + ": " + ec.message());
    StaticPublishReport report;
    const std::optional<StaticPointer> previous = previous_pointer(root);

    StaticPointer pointer;
    {
        auto lease = store.read();
        Database& db = lease.db();
        ReadTransaction view(db);  // the pages, the snapshot and the pointer: one state of the store
        if (!view.status()) return view.status();
        auto head = latest_change_seq(db);
        if (!head) return head.status();
        auto server = store_identity(db);
        if (!server) return server.status();
        pointer.server = *server;
        pointer.head = *head;
        const bool same_server = previous && previous->server == pointer.server;

        for (int64_t after = 0; after < pointer.head;) {
            auto page = change_feed_page(db, after, kStaticPageChanges, true);
            if (!page) return page.status().with_context("static tree: ");
            if (page->latest <= after) break;  // nothing after `after` (cannot happen below the head)
            StaticPage entry;
            entry.after = page->after;
            entry.latest = page->latest;
            // The same window with the same bytes as last time: the same file, kept.
            const std::string body_sha = sha256_hex(page->json);
            if (same_server)
                for (const StaticPage& old : previous->pages)
                    if (old.after == entry.after && old.latest == entry.latest && holds(root, old.file, old.sha256)) {
                        auto bytes = read_whole(root / old.file);
                        auto st = bytes ? peek_statement(*bytes) : Result<SignedStatement>(Status::fail("unread"));
                        if (st && st->sha256 == body_sha) entry = old;
                    }
            if (entry.file.empty()) {
                const std::string sealed = seal_feed_page(keys.key, keys.chain, *page, now);
                entry.sha256 = sha256_hex(sealed);
                entry.file = "content/feed/" + entry.sha256;
                if (Status st = write_once(root / entry.file, sealed, &report.files_written); !st) return st;
            }
            pointer.pages.push_back(std::move(entry));
            after = page->latest;
        }

        if (same_server && previous->snapshot_position == pointer.head && holds(root, previous->snapshot_file, previous->snapshot_sha256)) {
            pointer.snapshot_file = previous->snapshot_file;
            pointer.snapshot_sha256 = previous->snapshot_sha256;
            pointer.snapshot_position = previous->snapshot_position;
        } else {
            auto snapshot = build_device_snapshot(db);
            if (!snapshot) return snapshot.status().with_context("static tree: ");
            const std::string sealed = seal_snapshot(keys.key, keys.chain, *snapshot, now);
            pointer.snapshot_sha256 = sha256_hex(sealed);
            pointer.snapshot_file = "content/snapshot/" + pointer.snapshot_sha256;
            pointer.snapshot_position = snapshot->position;
            if (Status st = write_once(root / pointer.snapshot_file, sealed, &report.files_written); !st) return st;
        }
    }

    if (site) {
        for (const auto& [name, asset] : site->files) {
            const bool way_in = name == "index.html" || name == "sw.js";
            const fs::path path = way_in ? root / name : root / "v" / site->version / name;
            if (way_in) {
                if (Status st = write_atomically(path, asset.body); !st) return st;
                ++report.files_written;
                if (!asset.gzip_body.empty())
                    if (Status st = write_atomically(path.string() + ".gz", asset.gzip_body); !st) return st;
                continue;
            }
            if (Status st = write_once(path, asset.body, &report.files_written); !st) return st;
            if (!asset.gzip_body.empty())
                if (Status st = write_once(path.string() + ".gz", asset.gzip_body, &report.files_written); !st) return st;
        }
    }

    if (Status st = write_atomically(root / kStaticPointerPath, seal_static_pointer(keys.key, keys.chain, pointer, now)); !st)
        return st;
    ++report.files_written;

    // Content files named by neither pointer, an hour old: no device is still on its way to them.
    std::set<std::string> named;
    const StaticPointer* pointers[] = {&pointer, previous ? &*previous : nullptr};
    for (const StaticPointer* p : pointers) {
        if (!p) continue;
        named.insert(p->snapshot_file);
        for (const StaticPage& page : p->pages) named.insert(page.file);
    }
    const auto an_hour_ago = fs::file_time_type::clock::now() - std::chrono::hours(1);
    for (const char* folder : {"content/feed", "content/snapshot"})
        for (const auto& entry : fs::directory_iterator(root / folder, ec)) {
            const std::string rel = std::string(folder) + "/" + entry.path().filename().string();
            if (named.count(rel) || entry.last_write_time(ec) > an_hour_ago) continue;
            if (fs::remove(entry.path(), ec)) ++report.files_removed;
        }
    report.head = pointer.head;
    report.pages = pointer.pages.size();
    report.made_at = now;
    return report;
}

}  // namespace handbook
