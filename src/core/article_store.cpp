#include "article_store.h"

#include <nlohmann/json.hpp>

#include <optional>

#include "search_index.h"

namespace handbook {

std::string tags_to_json(const std::vector<std::string>& tags) { return nlohmann::json(tags).dump(); }

Result<std::vector<std::string>> tags_from_json(const std::string& text) {
    std::vector<std::string> tags;
    auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!json.is_array()) return Status::fail(StatusCode::corrupt, "a stored list of tags is damaged: " + text.substr(0, 80));
    for (const auto& item : json) {
        if (!item.is_string()) return Status::fail(StatusCode::corrupt, "a stored list of tags is damaged: " + text.substr(0, 80));
        tags.push_back(item.get<std::string>());
    }
    return tags;
}

static Status join_problems(const std::vector<FieldProblem>& problems) {
    std::string text;
    for (const auto& p : problems) {
        if (!text.empty()) text += "; ";
        text += p.message;
    }
    return Status::fail(StatusCode::invalid, text);
}

static Result<int64_t> append_change(Database& db, const char* kind, int64_t article_id, int version) {
    auto stmt = db.prepare(
        "INSERT INTO changes(kind, article_id, version, created_at) "
        "VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    if (!stmt) return stmt.status();
    stmt->bind(1, kind);
    if (article_id) stmt->bind(2, article_id).bind(3, version);
    if (Status st = stmt->run(); !st) return st;
    return db.last_insert_rowid();
}

namespace {

// A version to store: its content and what is said about it. `version` and
// `published_at` are given when a device stores a version as its server published it,
// and left empty (0, "") for the next version published here and now.
struct NewVersion {
    const Article& article;
    const VersionNote& note;
    int version = 0;
    std::string published_at;
};

Status check_version(const Article& a, const VersionNote& note) {
    if (auto problems = validate_article(a); !problems.empty()) return join_problems(problems);
    if (a.status == "draft")
        return Status::fail(StatusCode::invalid, "'" + a.slug + "' is a draft: drafts are not published versions");
    if (note.change_note.size() > kMaxChangeNoteBytes || note.author.size() > kMaxFieldBytes || note.approver.size() > kMaxFieldBytes)
        return Status::fail(StatusCode::invalid, "the change summary is limited to " + std::to_string(kMaxChangeNoteBytes) +
                                                     " bytes and names to " + std::to_string(kMaxFieldBytes));
    if (!is_valid_utf8(note.change_note) || !is_valid_utf8(note.author) || !is_valid_utf8(note.approver))
        return Status::fail(StatusCode::invalid, "the change summary and names must be UTF-8 text");
    return Status::ok();
}

// Writes one version: the immutable row, its change entry, the article's current row
// (the projection searches and the reader use), its tags and its index entries. Inside
// the caller's transaction.
Result<SaveResult> write_version(Database& db, const std::optional<StoredArticle>& existing, const NewVersion& v) {
    const Article& a = v.article;
    SaveResult result;
    std::string tags = tags_to_json(a.tags);
    if (existing) {
        result.outcome = SaveOutcome::updated;
        result.id = existing->id;
        result.version = v.version ? v.version : existing->version + 1;
        if (result.version <= existing->version)
            return Status::fail(StatusCode::conflict, "'" + a.slug + "' already has version " + std::to_string(existing->version) +
                                                          "; version " + std::to_string(result.version) + " is not newer");
    } else {
        result.outcome = SaveOutcome::created;
        auto ins = db.prepare(
            "INSERT INTO articles(slug, title, category, tags_json, owner, effective, review_by, status, body, version, updated_at) "
            "VALUES (?1, '', '', '[]', '', '', '', '', '', 0, '')");
        if (!ins) return ins.status();
        if (Status st = ins->bind(1, a.slug).run(); !st) return st;
        result.id = db.last_insert_rowid();
        result.version = v.version ? v.version : 1;
    }
    auto seq = append_change(db, "article", result.id, result.version);
    if (!seq) return seq.status();
    result.seq = *seq;

    auto now = db.prepare("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')");
    if (!now) return now.status();
    if (!now->step()) return now->status();
    const std::string published_at = v.published_at.empty() ? now->column_text(0) : v.published_at;

    auto upd = db.prepare(
        "UPDATE articles SET title = ?2, category = ?3, tags_json = ?4, owner = ?5, effective = ?6, review_by = ?7, "
        "status = ?8, body = ?9, version = ?10, updated_at = ?11 WHERE id = ?1");
    if (!upd) return upd.status();
    upd->bind(1, result.id).bind(2, a.title).bind(3, a.category).bind(4, tags).bind(5, a.owner);
    upd->bind(6, a.effective).bind(7, a.review_by).bind(8, a.status).bind(9, a.body).bind(10, result.version);
    upd->bind(11, published_at);
    if (Status st = upd->run(); !st) return st;

    auto ver = db.prepare(
        "INSERT INTO article_versions(article_id, version, title, category, tags_json, owner, effective, review_by, "
        "status, body, change_note, author, created_at, seq, approver, must_ack) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
    if (!ver) return ver.status();
    ver->bind(1, result.id).bind(2, result.version).bind(3, a.title).bind(4, a.category).bind(5, tags);
    ver->bind(6, a.owner).bind(7, a.effective).bind(8, a.review_by).bind(9, a.status).bind(10, a.body);
    ver->bind(11, v.note.change_note).bind(12, v.note.author).bind(13, published_at).bind(14, result.seq);
    ver->bind(15, v.note.approver).bind(16, v.note.must_acknowledge ? 1 : 0);
    if (Status st = ver->run(); !st) return st;

    auto del_tags = db.prepare("DELETE FROM article_tags WHERE article_id = ?1");
    if (!del_tags) return del_tags.status();
    if (Status st = del_tags->bind(1, result.id).run(); !st) return st;
    auto ins_tag = db.prepare("INSERT OR IGNORE INTO article_tags(article_id, tag) VALUES (?1, ?2)");
    if (!ins_tag) return ins_tag.status();
    for (const auto& tag : a.tags) {
        ins_tag->reset();
        if (Status st = ins_tag->bind(1, result.id).bind(2, tag).run(); !st) return st;
    }
    if (Status st = index_article(db, result.id, a); !st) return st;
    return result;
}

}  // namespace

Result<SaveResult> save_article(Database& db, const Article& a, const VersionNote& note) {
    if (Status st = check_version(a, note); !st) return st;
    // Read inside the transaction: another writer cannot change the article between
    // the comparison and the new version.
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto existing = get_article(db, a.slug);
    if (!existing) return existing.status();
    if (existing->has_value() && same_content((*existing)->article, a)) {
        const StoredArticle& s = **existing;
        if (Status st = tx.commit(); !st) return st;
        return SaveResult{SaveOutcome::unchanged, s.id, s.version, 0};
    }
    auto result = write_version(db, *existing, NewVersion{a, note, 0, ""});
    if (!result) return result.status();
    if (Status st = tx.commit(); !st) return st;
    return result;
}

Result<SaveResult> apply_published_version(Database& db, const ArticleVersion& v) {
    if (Status st = check_version(v.article, VersionNote(v.author, v.change_note, v.approver, v.must_acknowledge)); !st) return st;
    if (v.version < 1) return Status::fail(StatusCode::invalid, "'" + v.article.slug + "': a version number starts at 1");
    if (v.created_at.empty() || v.created_at.size() > 40)
        return Status::fail(StatusCode::invalid, "'" + v.article.slug + "': the publication time is missing");
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto existing = get_article(db, v.article.slug);
    if (!existing) return existing.status();
    if (existing->has_value() && (*existing)->version >= v.version) {
        // Already here (a page applied twice): the same version must be the same content.
        auto held = article_version(db, v.article.slug, v.version);
        if (!held) return held.status();
        if (held->has_value() && !same_content((*held)->article, v.article))
            return Status::fail(StatusCode::conflict, "'" + v.article.slug + "' version " + std::to_string(v.version) +
                                                          " differs from the copy this device holds");
        if (Status st = tx.commit(); !st) return st;
        return SaveResult{SaveOutcome::unchanged, (*existing)->id, (*existing)->version, 0};
    }
    const VersionNote note(v.author, v.change_note, v.approver, v.must_acknowledge);
    auto result = write_version(db, *existing, NewVersion{v.article, note, v.version, v.created_at});
    if (!result) return result.status();
    if (Status st = tx.commit(); !st) return st;
    return result;
}

static const char* kArticleColumns =
    "id, version, updated_at, slug, title, category, tags_json, owner, effective, review_by, status";

static Result<StoredArticle> read_article_row(const Statement& row, bool with_body) {
    StoredArticle s;
    s.id = row.column_int(0);
    s.version = static_cast<int>(row.column_int(1));
    s.updated_at = row.column_text(2);
    Article& a = s.article;
    a.slug = row.column_text(3);
    a.title = row.column_text(4);
    a.category = row.column_text(5);
    auto tags = tags_from_json(row.column_text(6));
    if (!tags) return tags.status().with_context("article '" + a.slug + "': ");
    a.tags = std::move(*tags);
    a.owner = row.column_text(7);
    a.effective = row.column_text(8);
    a.review_by = row.column_text(9);
    a.status = row.column_text(10);
    if (with_body) a.body = row.column_text(11);
    return s;
}

Result<std::optional<StoredArticle>> get_article(Database& db, std::string_view slug) {
    auto stmt = db.prepare(std::string("SELECT ") + kArticleColumns + ", body FROM articles WHERE slug = ?1");
    if (!stmt) return stmt.status();
    stmt->bind(1, slug);
    if (stmt->step()) {
        auto row = read_article_row(*stmt, true);
        if (!row) return row.status();
        return std::optional<StoredArticle>(std::move(*row));
    }
    if (!stmt->status()) return stmt->status();
    return std::optional<StoredArticle>();
}

Result<std::vector<StoredArticle>> list_articles(Database& db, bool with_body) {
    auto stmt = db.prepare(std::string("SELECT ") + kArticleColumns + (with_body ? ", body" : "") +
                           " FROM articles ORDER BY title COLLATE NOCASE");
    if (!stmt) return stmt.status();
    std::vector<StoredArticle> out;
    while (stmt->step()) {
        auto row = read_article_row(*stmt, with_body);
        if (!row) return row.status();
        out.push_back(std::move(*row));
    }
    if (!stmt->status()) return stmt->status();
    return out;
}

static const char* kVersionSelect =
    "SELECT v.version, v.title, v.category, v.tags_json, v.owner, v.effective, v.review_by, v.status, v.body, "
    "v.change_note, v.author, v.created_at, v.seq, a.slug, v.approver, v.must_ack "
    "FROM article_versions v JOIN articles a ON a.id = v.article_id WHERE a.slug = ?1 ";

static Result<ArticleVersion> read_version_row(const Statement& row) {
    ArticleVersion v;
    v.version = static_cast<int>(row.column_int(0));
    v.article.title = row.column_text(1);
    v.article.category = row.column_text(2);
    auto tags = tags_from_json(row.column_text(3));
    if (!tags) return tags.status();
    v.article.tags = std::move(*tags);
    v.article.owner = row.column_text(4);
    v.article.effective = row.column_text(5);
    v.article.review_by = row.column_text(6);
    v.article.status = row.column_text(7);
    v.article.body = row.column_text(8);
    v.change_note = row.column_text(9);
    v.author = row.column_text(10);
    v.created_at = row.column_text(11);
    v.seq = row.column_int(12);
    v.article.slug = row.column_text(13);
    v.approver = row.column_text(14);
    v.must_acknowledge = row.column_int(15) != 0;
    return v;
}

Result<std::vector<ArticleVersion>> article_history(Database& db, std::string_view slug, bool with_bodies) {
    std::string sql = kVersionSelect;
    if (!with_bodies) sql.replace(sql.find("v.body,"), 7, "'',");
    auto stmt = db.prepare(sql + "ORDER BY v.version");
    if (!stmt) return stmt.status();
    stmt->bind(1, slug);
    std::vector<ArticleVersion> out;
    while (stmt->step()) {
        auto row = read_version_row(*stmt);
        if (!row) return row.status();
        out.push_back(std::move(*row));
    }
    if (!stmt->status()) return stmt->status();
    return out;
}

Result<std::optional<ArticleVersion>> article_version(Database& db, std::string_view slug, int version) {
    auto stmt = db.prepare(std::string(kVersionSelect) + "AND v.version = ?2");
    if (!stmt) return stmt.status();
    stmt->bind(1, slug).bind(2, version);
    if (stmt->step()) {
        auto row = read_version_row(*stmt);
        if (!row) return row.status();
        return std::optional<ArticleVersion>(std::move(*row));
    }
    if (!stmt->status()) return stmt->status();
    return std::optional<ArticleVersion>();
}

Result<std::vector<ChangeEntry>> changes_since(Database& db, int64_t after, int limit) {
    auto stmt = db.prepare(
        "SELECT c.seq, c.kind, coalesce(a.slug, ''), coalesce(c.version, 0), c.created_at "
        "FROM changes c LEFT JOIN articles a ON a.id = c.article_id WHERE c.seq > ?1 ORDER BY c.seq LIMIT ?2");
    if (!stmt) return stmt.status();
    stmt->bind(1, after).bind(2, limit);
    std::vector<ChangeEntry> out;
    while (stmt->step()) {
        out.push_back({stmt->column_int(0), stmt->column_text(1), stmt->column_text(2),
                       static_cast<int>(stmt->column_int(3)), stmt->column_text(4)});
    }
    if (!stmt->status()) return stmt->status();
    return out;
}

Result<Statement> prepare_latest_change_seq(Database& db) { return db.prepare("SELECT coalesce(max(seq), 0) FROM changes"); }

Result<int64_t> latest_change_seq(Database& db) {
    auto stmt = prepare_latest_change_seq(db);
    if (!stmt) return stmt.status();
    if (!stmt->step()) return stmt->status().is_ok() ? Status::fail(StatusCode::corrupt, "the list of changes gave no answer") : stmt->status();
    return stmt->column_int(0);
}

Status set_synonyms(Database& db, const SynonymGroups& groups) {
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto current = load_synonyms(db);
    if (!current) return current.status();
    if (*current == groups) return tx.commit();
    if (Status st = db.exec("DELETE FROM synonyms"); !st) return st;
    auto ins = db.prepare("INSERT OR IGNORE INTO synonyms(group_id, phrase) VALUES (?1, ?2)");
    if (!ins) return ins.status();
    for (size_t g = 0; g < groups.size(); ++g) {
        for (const auto& phrase : groups[g]) {
            ins->reset();
            if (Status st = ins->bind(1, static_cast<int64_t>(g + 1)).bind(2, phrase).run(); !st) return st;
        }
    }
    if (auto seq = append_change(db, "synonyms", 0, 0); !seq) return seq.status();
    return tx.commit();
}

Result<SynonymGroups> load_synonyms(Database& db) {
    auto stmt = db.prepare("SELECT group_id, phrase FROM synonyms ORDER BY group_id, rowid");
    if (!stmt) return stmt.status();
    SynonymGroups groups;
    int64_t last = -1;
    while (stmt->step()) {
        int64_t g = stmt->column_int(0);
        if (g != last) groups.emplace_back();
        last = g;
        groups.back().push_back(stmt->column_text(1));
    }
    if (!stmt->status()) return stmt->status();
    return groups;
}

}  // namespace handbook
