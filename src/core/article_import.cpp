#include "article_import.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "article_store.h"
#include "search_index.h"

namespace fs = std::filesystem;

namespace handbook {

static Result<std::string> read_file_limited(const fs::path& path, size_t limit) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (ec) return Status::fail("cannot read: " + ec.message());
    if (size > limit)
        return Status::fail("file is " + std::to_string(size / (1024 * 1024)) + "." + std::to_string((size % (1024 * 1024)) * 10 / (1024 * 1024)) +
                            " MiB; the limit is " + std::to_string(limit / 1024) + " KiB");
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::fail("cannot open the file for reading");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The file's last-modified day (UTC), the effective date of a file without front matter.
static std::string modified_date(const fs::path& path) {
    std::error_code ec;
    auto written = fs::last_write_time(path, ec);
    if (ec) return "";
    auto day = std::chrono::floor<std::chrono::days>(std::chrono::file_clock::to_sys(written));
    std::chrono::year_month_day ymd{day};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
}

Result<std::vector<std::vector<std::string>>> parse_synonyms_yaml(const std::string& text) {
    std::vector<std::vector<std::string>> groups;
    try {
        YAML::Node root = YAML::Load(text);
        if (root.IsMap() && root["synonyms"]) root = root["synonyms"];
        if (!root.IsSequence()) return Status::fail("expected a list of synonym groups, like: - [parcel, package]");
        for (const auto& group : root) {
            if (!group.IsSequence()) return Status::fail("line " + std::to_string(group.Mark().line + 1) + ": each synonym group must be a list");
            std::vector<std::string> phrases;
            for (const auto& p : group) {
                if (!p.IsScalar()) return Status::fail("line " + std::to_string(p.Mark().line + 1) + ": a synonym must be a word or phrase");
                phrases.push_back(p.as<std::string>());
            }
            if (phrases.size() >= 2) groups.push_back(std::move(phrases));
        }
    } catch (const YAML::Exception& e) {
        return Status::fail("line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    return groups;
}

ImportReport import_folder(Database& db, const std::string& folder, const ImportOptions& options) {
    ImportReport report;
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        report.status = Status::fail(StatusCode::not_found, "'" + folder + "' is not a folder");
        return report;
    }

    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(folder, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file() && it->path().extension() == ".md" && it->path().filename() != "README.md")
            files.push_back(it->path());
    }
    if (ec) {
        report.status = Status::fail(StatusCode::io, "cannot list '" + folder + "': " + ec.message());
        return report;
    }
    std::sort(files.begin(), files.end());

    if (db.is_read_only()) {
        report.status = Status::fail(StatusCode::read_only, "the database '" + db.path() +
                                                                "' is read-only (check the file's and its folder's permissions)");
        return report;
    }
    // Everything below either commits together or not at all: a failure of the store is
    // never one file's error (the next file would then be written on its own).
    auto abandon = [&report](const Status& st, const std::string& while_doing) {
        report.status = st.with_context(while_doing);
        report.created = report.updated = report.unchanged = report.drafts = 0;
        return report;
    };
    Transaction tx(db);
    if (!tx.status()) return abandon(tx.status(), "the import could not start: ");

    fs::path synonyms_path = fs::path(folder) / "synonyms.yaml";
    if (fs::exists(synonyms_path)) {
        auto text = read_file_limited(synonyms_path, 256 * 1024);
        auto groups = text ? parse_synonyms_yaml(*text) : Result<std::vector<std::vector<std::string>>>(text.status());
        if (!groups) report.messages.push_back({"synonyms.yaml", 0, groups.error(), true});
        else if (Status st = set_synonyms(db, *groups); !st) return abandon(st, "saving synonyms.yaml: ");
    }

    std::map<std::string, std::string> slug_owner;  // slug -> file that used it first
    for (const auto& path : files) {
        std::string rel = fs::relative(path, folder, ec).generic_string();
        if (ec) rel = path.generic_string();
        auto text = read_file_limited(path, kMaxArticleFileBytes);
        if (!text) {
            report.messages.push_back({rel, 0, text.error(), true});
            ++report.skipped;
            continue;
        }
        ParsedArticle parsed = has_front_matter(*text) ? parse_article_file(*text, rel)
                                                       : parse_plain_markdown_file(*text, rel, modified_date(path));
        for (const auto& w : parsed.warnings) report.messages.push_back({rel, w.line, w.message, false});
        if (!parsed.errors.empty()) {
            for (const auto& e : parsed.errors) report.messages.push_back({rel, e.line, e.message, true});
            ++report.skipped;
            continue;
        }
        auto [it, inserted] = slug_owner.emplace(parsed.article.slug, rel);
        if (!inserted) {
            report.messages.push_back({rel, 0, "duplicate slug '" + parsed.article.slug + "': already used by " + it->second, true});
            ++report.skipped;
            continue;
        }
        if (parsed.article.status == "draft") {
            if (!options.keep_draft) {
                report.messages.push_back({rel, 0, "a draft (status: draft) cannot be imported into this store", true});
                ++report.skipped;
                continue;
            }
            Status kept = options.keep_draft(db, parsed.article, rel);
            if (!kept && kept.code == StatusCode::invalid) {
                report.messages.push_back({rel, 0, kept.error, true});
                ++report.skipped;
                continue;
            }
            if (!kept) return abandon(kept, "keeping " + rel + " as a draft: ");
            ++report.drafts;
            continue;
        }
        auto saved = save_article(db, parsed.article, VersionNote(options.author, "Imported from " + rel));
        if (!saved && saved.code() == StatusCode::invalid) {
            report.messages.push_back({rel, 0, saved.error(), true});
            ++report.skipped;
            continue;
        }
        if (!saved) return abandon(saved.status(), "saving " + rel + ": ");
        switch (saved->outcome) {
            case SaveOutcome::created: ++report.created; break;
            case SaveOutcome::updated: ++report.updated; break;
            case SaveOutcome::unchanged: ++report.unchanged; break;
        }
    }
    // A bulk import leaves the index in many pieces (optimize_search_index says why).
    if (report.created + report.updated > 0)
        if (Status st = optimize_search_index(db); !st) return abandon(st, "merging the search index: ");
    if (options.before_commit)
        if (Status st = options.before_commit(db, report); !st) return abandon(st, "recording the import: ");
    if (Status st = tx.commit(); !st) return abandon(st, "committing: ");
    return report;
}

Result<int> export_folder(Database& db, const std::string& folder) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) return Status::fail("cannot create '" + folder + "': " + ec.message());
    auto articles = list_articles(db, true);
    if (!articles) return articles.status();
    int written = 0;
    auto failed = [&](const fs::path& tmp, const std::string& why) {
        fs::remove(tmp, ec);
        return Status::fail(StatusCode::io, why + " (" + std::to_string(written) + " of " + std::to_string(articles->size()) +
                                                " articles were written before it)");
    };
    for (const auto& s : *articles) {
        fs::path path = fs::path(folder) / (s.article.slug + ".md");
        fs::path tmp = path;
        tmp += ".tmp";
        {
            std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
            out << format_article_file(s.article);
            out.close();
            if (!out) return failed(tmp, "cannot write '" + path.string() + "' (disk full?)");
        }
        fs::rename(tmp, path, ec);  // whole files only: never a half-written article
        if (ec) return failed(tmp, "cannot write '" + path.string() + "': " + ec.message());
        ++written;
    }
    return written;
}

}  // namespace handbook
