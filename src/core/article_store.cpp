#include "article_store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
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
    if (!note.acknowledge_by.empty() && !is_valid_date(note.acknowledge_by))
        return Status::fail(StatusCode::invalid, "acknowledge_by: not a date in the form YYYY-MM-DD");
    return Status::ok();
}

Result<std::string> sql_now(Database& db, const char* expression) {
    auto now = db.prepare(std::string("SELECT ") + expression);
    if (!now) return now.status();
    if (!now->step()) return now->status();
    return now->column_text(0);
}

// The date the store's rows are projected for: the one the host set, or today by the
// clock SQLite sees.
Result<std::string> projection_date(Database& db) {
    auto set = in_force_date(db);
    if (!set) return set.status();
    if (!set->empty()) return *set;
    return sql_now(db, "date('now')");
}

const char* kVersionColumns = "version, title, category, tags_json, owner, effective, review_by, status, body, created_at";

// Rewrites the article's row (what search, home and the reader see) from its versions:
// the newest version in force on `date`; when none is in force yet, the soonest to
// come, marked "upcoming" (searched, with its date). A confirmed review moves that version's
// review_by date.
Status project_article(Database& db, int64_t id, const std::string& date) {
    auto in_force = db.prepare(std::string("SELECT ") + kVersionColumns +
                               " FROM article_versions WHERE article_id = ?1 AND effective <= ?2 ORDER BY version DESC LIMIT 1");
    if (!in_force) return in_force.status();
    in_force->bind(1, id).bind(2, date);
    Statement* row = &*in_force;
    bool upcoming = false;
    Result<Statement> soonest = Status::fail("unused");
    if (!in_force->step()) {
        if (!in_force->status()) return in_force->status();
        soonest = db.prepare(std::string("SELECT ") + kVersionColumns +
                             " FROM article_versions WHERE article_id = ?1 ORDER BY effective, version LIMIT 1");
        if (!soonest) return soonest.status();
        soonest->bind(1, id);
        if (!soonest->step()) return soonest->status().is_ok() ? Status::ok() : soonest->status();  // no version at all
        row = &*soonest;
        upcoming = true;
    }
    const int version = static_cast<int>(row->column_int(0));
    Article a;
    a.title = row->column_text(1);
    a.category = row->column_text(2);
    const std::string tags_json = row->column_text(3);
    auto tags = tags_from_json(tags_json);
    if (!tags) return tags.status();
    a.tags = std::move(*tags);
    a.owner = row->column_text(4);
    a.effective = row->column_text(5);
    a.review_by = row->column_text(6);
    a.status = upcoming ? "upcoming" : row->column_text(7);
    a.body = row->column_text(8);
    const std::string published_at = row->column_text(9);

    std::string reviewed_at, reviewed_by;
    auto review = db.prepare("SELECT review_by, confirmed_at, confirmed_by FROM review_confirmations "
                             "WHERE article_id = ?1 AND version = ?2 ORDER BY seq DESC LIMIT 1");
    if (!review) return review.status();
    review->bind(1, id).bind(2, version);
    if (review->step()) {
        a.review_by = review->column_text(0);
        reviewed_at = review->column_text(1);
        reviewed_by = review->column_text(2);
    }
    if (!review->status()) return review->status();

    auto upd = db.prepare(
        "UPDATE articles SET title = ?2, category = ?3, tags_json = ?4, owner = ?5, effective = ?6, review_by = ?7, "
        "status = ?8, body = ?9, version = ?10, updated_at = ?11, reviewed_at = ?12, reviewed_by = ?13 WHERE id = ?1");
    if (!upd) return upd.status();
    upd->bind(1, id).bind(2, a.title).bind(3, a.category).bind(4, tags_json).bind(5, a.owner);
    upd->bind(6, a.effective).bind(7, a.review_by).bind(8, a.status).bind(9, a.body).bind(10, version);
    upd->bind(11, published_at).bind(12, reviewed_at).bind(13, reviewed_by);
    if (Status st = upd->run(); !st) return st;

    auto del_tags = db.prepare("DELETE FROM article_tags WHERE article_id = ?1");
    if (!del_tags) return del_tags.status();
    if (Status st = del_tags->bind(1, id).run(); !st) return st;
    auto ins_tag = db.prepare("INSERT OR IGNORE INTO article_tags(article_id, tag) VALUES (?1, ?2)");
    if (!ins_tag) return ins_tag.status();
    for (const auto& tag : a.tags) {
        ins_tag->reset();
        if (Status st = ins_tag->bind(1, id).bind(2, tag).run(); !st) return st;
    }
    return index_article(db, id, a, version);
}

// The article's identity (0 = none) and its newest version's number (0 = none).
struct ArticleKey {
    int64_t id = 0;
    int newest = 0;
};

Result<ArticleKey> article_key(Database& db, std::string_view slug) {
    auto stmt = db.prepare("SELECT a.id, coalesce((SELECT max(version) FROM article_versions v WHERE v.article_id = a.id), 0) "
                           "FROM articles a WHERE a.slug = ?1");
    if (!stmt) return stmt.status();
    stmt->bind(1, slug);
    ArticleKey key;
    if (stmt->step()) key = {stmt->column_int(0), static_cast<int>(stmt->column_int(1))};
    if (!stmt->status()) return stmt->status();
    return key;
}

// Writes one version: the immutable row and its change entry, then the article's row
// (the projection) for the store's date. Inside the caller's transaction.
Result<SaveResult> write_version(Database& db, const ArticleKey& key, const NewVersion& v) {
    const Article& a = v.article;
    SaveResult result;
    if (key.id) {
        result.outcome = SaveOutcome::updated;
        result.id = key.id;
        result.version = v.version ? v.version : key.newest + 1;
        if (result.version <= key.newest)
            return Status::fail(StatusCode::conflict, "'" + a.slug + "' already has version " + std::to_string(key.newest) +
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

    std::string published_at = v.published_at;
    if (published_at.empty()) {
        auto now = sql_now(db, "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')");
        if (!now) return now.status();
        published_at = *now;
    }
    auto ver = db.prepare(
        "INSERT INTO article_versions(article_id, version, title, category, tags_json, owner, effective, review_by, "
        "status, body, change_note, author, created_at, seq, approver, must_ack, acknowledge_by) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
    if (!ver) return ver.status();
    ver->bind(1, result.id).bind(2, result.version).bind(3, a.title).bind(4, a.category).bind(5, tags_to_json(a.tags));
    ver->bind(6, a.owner).bind(7, a.effective).bind(8, a.review_by).bind(9, a.status).bind(10, a.body);
    ver->bind(11, v.note.change_note).bind(12, v.note.author).bind(13, published_at).bind(14, result.seq);
    ver->bind(15, v.note.approver).bind(16, v.note.must_acknowledge ? 1 : 0).bind(17, v.note.acknowledge_by);
    if (Status st = ver->run(); !st) return st;

    auto date = projection_date(db);
    if (!date) return date.status();
    if (Status st = project_article(db, result.id, *date); !st) return st;
    return result;
}

}  // namespace

Result<SaveResult> save_article(Database& db, const Article& a, const VersionNote& note) {
    if (Status st = check_version(a, note); !st) return st;
    // Read inside the transaction: another writer cannot change the article between
    // the comparison and the new version.
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto key = article_key(db, a.slug);
    if (!key) return key.status();
    if (key->newest > 0) {
        // Unchanged against the newest version (not the one in force: a later one may be
        // waiting for its date), and the same note: nothing to do.
        auto newest = article_version(db, a.slug, key->newest);
        if (!newest) return newest.status();
        if (newest->has_value() && same_content((*newest)->article, a)) {
            if (Status st = tx.commit(); !st) return st;
            return SaveResult{SaveOutcome::unchanged, key->id, key->newest, 0};
        }
    }
    auto result = write_version(db, *key, NewVersion{a, note, 0, ""});
    if (!result) return result.status();
    if (Status st = tx.commit(); !st) return st;
    return result;
}

Result<SaveResult> apply_published_version(Database& db, const ArticleVersion& v) {
    VersionNote note(v.author, v.change_note, v.approver, v.must_acknowledge);
    note.acknowledge_by = v.acknowledge_by;
    if (Status st = check_version(v.article, note); !st) return st;
    if (v.version < 1) return Status::fail(StatusCode::invalid, "'" + v.article.slug + "': a version number starts at 1");
    if (v.created_at.empty() || v.created_at.size() > 40)
        return Status::fail(StatusCode::invalid, "'" + v.article.slug + "': the publication time is missing");
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto key = article_key(db, v.article.slug);
    if (!key) return key.status();
    if (key->newest >= v.version) {
        // Already here (a page applied twice): the same version must be the same content.
        auto held = article_version(db, v.article.slug, v.version);
        if (!held) return held.status();
        if (held->has_value() && !same_content((*held)->article, v.article))
            return Status::fail(StatusCode::conflict, "'" + v.article.slug + "' version " + std::to_string(v.version) +
                                                          " differs from the copy this device holds");
        if (Status st = tx.commit(); !st) return st;
        return SaveResult{SaveOutcome::unchanged, key->id, key->newest, 0};
    }
    auto result = write_version(db, *key, NewVersion{v.article, note, v.version, v.created_at});
    if (!result) return result.status();
    if (Status st = tx.commit(); !st) return st;
    return result;
}

Result<int> newest_version(Database& db, std::string_view slug) {
    auto key = article_key(db, slug);
    if (!key) return key.status();
    return key->newest;
}

Result<std::string> in_force_date(Database& db) {
    auto stmt = db.prepare("SELECT value FROM sync_state WHERE key = 'in_force_date'");
    if (!stmt) return stmt.status();
    std::string date;
    if (stmt->step()) date = stmt->column_text(0);
    if (!stmt->status()) return stmt->status();
    return date;
}

Result<int> refresh_in_force(Database& db, const std::string& today) {
    if (!is_valid_date(today)) return Status::fail(StatusCode::invalid, "not a date: " + today.substr(0, 20));
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto held = in_force_date(db);
    if (!held) return held.status();
    int changed = 0;
    if (*held != today) {
        // Articles whose row is not the version in force today (or is upcoming while one is).
        auto stale = db.prepare(
            "SELECT a.id FROM articles a WHERE "
            "coalesce((SELECT max(version) FROM article_versions v WHERE v.article_id = a.id AND v.effective <= ?1), -1) "
            "<> CASE WHEN a.status = 'upcoming' THEN -1 ELSE a.version END");
        if (!stale) return stale.status();
        stale->bind(1, today);
        std::vector<int64_t> ids;
        while (stale->step()) ids.push_back(stale->column_int(0));
        if (!stale->status()) return stale->status();
        for (int64_t id : ids)
            if (Status st = project_article(db, id, today); !st) return st;
        changed = static_cast<int>(ids.size());
        auto keep = db.prepare("INSERT INTO sync_state(key, value) VALUES ('in_force_date', ?1) "
                               "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        if (!keep) return keep.status();
        if (Status st = keep->bind(1, today).run(); !st) return st;
    }
    if (Status st = tx.commit(); !st) return st;
    return changed;
}

static const char* kVersionSelect =
    "SELECT v.version, v.title, v.category, v.tags_json, v.owner, v.effective, v.review_by, v.status, v.body, "
    "v.change_note, v.author, v.created_at, v.seq, a.slug, v.approver, v.must_ack, v.acknowledge_by "
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
    v.acknowledge_by = row.column_text(16);
    return v;
}

// Every row of a kVersionSelect statement, bound and ready to step.
static Result<std::vector<ArticleVersion>> read_versions(Statement& stmt) {
    std::vector<ArticleVersion> out;
    while (stmt.step()) {
        auto row = read_version_row(stmt);
        if (!row) return row.status();
        out.push_back(std::move(*row));
    }
    if (!stmt.status()) return stmt.status();
    return out;
}

// The first row of a kVersionSelect statement, if there is one.
static Result<std::optional<ArticleVersion>> read_first_version(Statement& stmt) {
    if (stmt.step()) {
        auto row = read_version_row(stmt);
        if (!row) return row.status();
        return std::optional<ArticleVersion>(std::move(*row));
    }
    if (!stmt.status()) return stmt.status();
    return std::optional<ArticleVersion>();
}

// Only the versions asked for are read, bodies and all: an article's history grows with
// every change, and the reader asks for these each time an article is opened.
Result<std::vector<ArticleVersion>> upcoming_versions(Database& db, std::string_view slug) {
    auto date = projection_date(db);
    if (!date) return date.status();
    // Later than the store's date, and newer than the version shown (the articles row; any,
    // while what is shown is itself still to come). No such article: no rows.
    auto stmt = db.prepare(std::string(kVersionSelect) +
                           "AND v.effective > ?2 AND (v.version > a.version OR a.status = 'upcoming') ORDER BY v.effective, v.version");
    if (!stmt) return stmt.status();
    stmt->bind(1, slug).bind(2, *date);
    return read_versions(*stmt);
}

Result<std::optional<ArticleVersion>> version_in_force(Database& db, std::string_view slug, const std::string& date) {
    if (!is_valid_date(date)) return Status::fail(StatusCode::invalid, "not a date: " + date.substr(0, 20));
    // The newest version whose date had come.
    auto stmt = db.prepare(std::string(kVersionSelect) + "AND v.effective <= ?2 ORDER BY v.version DESC LIMIT 1");
    if (!stmt) return stmt.status();
    stmt->bind(1, slug).bind(2, date);
    return read_first_version(*stmt);
}

Result<int64_t> confirm_review(Database& db, std::string_view slug, const std::string& review_by, const std::string& by,
                               const std::string& at) {
    if (!is_valid_date(review_by)) return Status::fail(StatusCode::invalid, "review_by: not a date in the form YYYY-MM-DD");
    if (by.size() > kMaxFieldBytes || at.size() > 40) return Status::fail(StatusCode::invalid, "the name or time is too long");
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto current = get_article(db, slug);
    if (!current) return current.status();
    if (!current->has_value()) return Status::fail(StatusCode::not_found, "there is no policy '" + std::string(slug) + "'");
    const StoredArticle& a = **current;
    if (review_by < a.article.effective)
        return Status::fail(StatusCode::invalid, "review_by: the next review (" + review_by + ") cannot be before the policy came into force (" +
                                                     a.article.effective + ")");
    auto seq = append_change(db, "review", a.id, a.version);
    if (!seq) return seq.status();
    auto ins = db.prepare("INSERT INTO review_confirmations(article_id, version, review_by, confirmed_at, confirmed_by, seq) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!ins) return ins.status();
    if (Status st = ins->bind(1, a.id).bind(2, a.version).bind(3, review_by).bind(4, at).bind(5, by).bind(6, *seq).run(); !st) return st;
    auto date = projection_date(db);
    if (!date) return date.status();
    if (Status st = project_article(db, a.id, *date); !st) return st;
    if (Status st = tx.commit(); !st) return st;
    return *seq;
}

Status apply_review_confirmation(Database& db, const ReviewConfirmation& r) {
    if (!is_valid_date(r.review_by) || r.confirmed_by.size() > kMaxFieldBytes || r.confirmed_at.size() > 40)
        return Status::fail(StatusCode::invalid, "a review confirmation of '" + r.slug + "' is malformed");
    auto key = article_key(db, r.slug);
    if (!key) return key.status();
    if (!key->id || r.version < 1 || r.version > key->newest)
        return Status::fail(StatusCode::invalid, "a review confirmation names '" + r.slug + "' version " + std::to_string(r.version) +
                                                     ", which this device does not hold");
    // The store's own change entry (a device's sequence is its own), like a version's.
    auto seq = append_change(db, "review", key->id, r.version);
    if (!seq) return seq.status();
    auto ins = db.prepare("INSERT INTO review_confirmations(article_id, version, review_by, confirmed_at, confirmed_by, seq) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!ins) return ins.status();
    if (Status st = ins->bind(1, key->id).bind(2, r.version).bind(3, r.review_by).bind(4, r.confirmed_at).bind(5, r.confirmed_by).bind(6, *seq).run();
        !st)
        return st;
    auto date = projection_date(db);
    if (!date) return date.status();
    return project_article(db, key->id, *date);
}

Result<std::optional<ReviewConfirmation>> review_confirmation_at(Database& db, int64_t seq) {
    auto stmt = db.prepare("SELECT a.slug, r.version, r.review_by, r.confirmed_at, r.confirmed_by FROM review_confirmations r "
                           "JOIN articles a ON a.id = r.article_id WHERE r.seq = ?1");
    if (!stmt) return stmt.status();
    stmt->bind(1, seq);
    if (stmt->step())
        return std::optional<ReviewConfirmation>(ReviewConfirmation{stmt->column_text(0), static_cast<int>(stmt->column_int(1)),
                                                                    stmt->column_text(2), stmt->column_text(3), stmt->column_text(4)});
    if (!stmt->status()) return stmt->status();
    return std::optional<ReviewConfirmation>();
}

static const char* kArticleColumns =
    "id, version, updated_at, slug, title, category, tags_json, owner, effective, review_by, status, reviewed_at, reviewed_by";

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
    s.reviewed_at = row.column_text(11);
    s.reviewed_by = row.column_text(12);
    if (with_body) a.body = row.column_text(13);
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

Result<std::vector<ArticleVersion>> article_history(Database& db, std::string_view slug, bool with_bodies) {
    std::string sql = kVersionSelect;
    if (!with_bodies) sql.replace(sql.find("v.body,"), 7, "'',");
    auto stmt = db.prepare(sql + "ORDER BY v.version");
    if (!stmt) return stmt.status();
    stmt->bind(1, slug);
    return read_versions(*stmt);
}

Result<std::optional<ArticleVersion>> article_version(Database& db, std::string_view slug, int version) {
    auto stmt = db.prepare(std::string(kVersionSelect) + "AND v.version = ?2");
    if (!stmt) return stmt.status();
    stmt->bind(1, slug).bind(2, version);
    return read_first_version(*stmt);
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

Result<Statement> prepare_store_generation(Database& db) {
    return db.prepare("SELECT (SELECT coalesce(max(seq), 0) FROM changes), "
                      "coalesce((SELECT value FROM sync_state WHERE key = 'in_force_date'), '')");
}

Result<int64_t> latest_change_seq(Database& db) {
    auto stmt = db.prepare("SELECT coalesce(max(seq), 0) FROM changes");
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
