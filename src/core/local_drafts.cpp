// See local_drafts.h.
#include "local_drafts.h"

#include <nlohmann/json.hpp>

namespace handbook {

namespace {

constexpr const char* kColumns =
    "client_id, person, base_version, content, edits, sent_edits, server_id, server_revision, state, note, summary, updated_at";

Result<LocalDraft> read_row(const Statement& stmt) {
    LocalDraft d;
    d.client_id = stmt.column_text(0);
    d.person = stmt.column_text(1);
    d.base_version = static_cast<int>(stmt.column_int(2));
    auto content = article_from_fields_json(stmt.column_text(3));
    if (!content) return content.status().with_context("draft " + d.client_id + ": ");
    d.content = std::move(*content);
    d.edits = stmt.column_int(4);
    d.sent_edits = stmt.column_int(5);
    d.server_id = stmt.column_int(6);
    d.server_revision = static_cast<int>(stmt.column_int(7));
    d.state = stmt.column_text(8);
    d.note = stmt.column_text(9);
    d.summary = stmt.column_text(10);
    d.updated_at = stmt.column_text(11);
    return d;
}

// Every row; with `unreadable`, one that cannot be read is noted there and skipped,
// otherwise it fails the whole read.
Result<std::vector<LocalDraft>> read_all(Statement& stmt, std::vector<std::string>* unreadable = nullptr) {
    std::vector<LocalDraft> out;
    while (stmt.step()) {
        auto d = read_row(stmt);
        if (!d && unreadable) {
            unreadable->push_back(d.error());
            continue;
        }
        if (!d) return d.status();
        out.push_back(std::move(*d));
    }
    if (!stmt.status()) return stmt.status();
    return out;
}

}  // namespace

std::string article_fields_json(const Article& a) {
    const nlohmann::json j = {{"slug", a.slug},         {"title", a.title},         {"category", a.category},
                              {"tags", a.tags},         {"owner", a.owner},         {"effective", a.effective},
                              {"review_by", a.review_by}, {"body", a.body}};
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<Article> article_from_fields_json(const std::string& text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object()) return Status::fail(StatusCode::invalid, "the draft's content is not a JSON object");
    Article a;
    auto text_of = [&](const char* name) {
        auto it = j.find(name);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
    };
    a.slug = text_of("slug");
    a.title = text_of("title");
    a.category = text_of("category");
    a.owner = text_of("owner");
    a.effective = text_of("effective");
    a.review_by = text_of("review_by");
    a.body = text_of("body");
    a.status = "published";
    if (auto it = j.find("tags"); it != j.end() && it->is_array())
        for (const auto& t : *it)
            if (t.is_string()) a.tags.push_back(t.get<std::string>());
    return a;
}

Status save_local_draft(Database& device, LocalDraft& d, const std::string& now_utc) {
    if (d.client_id.empty() || d.client_id.size() > 64) return Status::fail(StatusCode::invalid, "a draft needs an id of 1-64 characters");
    if (d.content.body.size() > kMaxBodyBytes) return Status::fail(StatusCode::invalid, "the text is larger than 512 KB");
    const std::string content = article_fields_json(d.content);
    // One statement: the row is there whole with its new count, or as it was.
    auto stmt = device.prepare(
        "INSERT INTO drafts(client_id, person, slug, base_version, content, edits, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6) "
        "ON CONFLICT(client_id) DO UPDATE SET slug = excluded.slug, content = excluded.content, edits = edits + 1, "
        "base_version = MAX(base_version, excluded.base_version), "
        "updated_at = excluded.updated_at, state = CASE WHEN state IN ('in_review', 'published') THEN state ELSE 'draft' END "
        "RETURNING edits");
    if (!stmt) return stmt.status();
    stmt->bind(1, d.client_id).bind(2, d.person).bind(3, d.content.slug).bind(4, d.base_version).bind(5, content).bind(6, now_utc);
    if (!stmt->step()) return stmt->status().is_ok() ? Status::fail("the draft was not saved") : stmt->status();
    d.edits = stmt->column_int(0);
    d.updated_at = now_utc;
    while (stmt->step()) {
    }
    return stmt->status();
}

Result<std::vector<LocalDraft>> local_drafts(Database& device, const std::string& person, std::vector<std::string>* unreadable) {
    auto stmt = device.prepare(std::string("SELECT ") + kColumns +
                               " FROM drafts WHERE ?1 = '' OR person = ?1 ORDER BY updated_at DESC, rowid DESC");
    if (!stmt) return stmt.status();
    stmt->bind(1, person);
    std::vector<std::string> skipped;
    auto all = read_all(*stmt, &skipped);
    if (unreadable) *unreadable = std::move(skipped);
    return all;
}

Result<std::optional<LocalDraft>> local_draft(Database& device, const std::string& client_id) {
    auto stmt = device.prepare(std::string("SELECT ") + kColumns + " FROM drafts WHERE client_id = ?1");
    if (!stmt) return stmt.status();
    stmt->bind(1, client_id);
    auto all = read_all(*stmt);
    if (!all) return all.status();
    if (all->empty()) return std::optional<LocalDraft>{};
    return std::optional<LocalDraft>{std::move(all->front())};
}

Result<std::optional<LocalDraft>> local_draft_of(Database& device, const std::string& person, const std::string& slug) {
    auto stmt = device.prepare(std::string("SELECT ") + kColumns +
                               " FROM drafts WHERE person = ?1 AND slug = ?2 AND state NOT IN ('published', 'discarded') "
                               "ORDER BY updated_at DESC LIMIT 1");
    if (!stmt) return stmt.status();
    stmt->bind(1, person).bind(2, slug);
    auto all = read_all(*stmt);
    if (!all) return all.status();
    if (all->empty()) return std::optional<LocalDraft>{};
    return std::optional<LocalDraft>{std::move(all->front())};
}

Status record_draft_sent(Database& device, const std::string& client_id, int64_t sent_edits, int64_t server_id, int revision,
                         const std::string& state) {
    // MAX: an older save's answer arriving after a newer one's never marks the newer unsent.
    auto stmt = device.prepare(
        "UPDATE drafts SET sent_edits = MAX(sent_edits, ?2), server_id = ?3, server_revision = MAX(server_revision, ?4), "
        "state = ?5, note = CASE WHEN ?5 = 'returned' THEN note ELSE '' END WHERE client_id = ?1");
    if (!stmt) return stmt.status();
    return stmt->bind(1, client_id).bind(2, sent_edits).bind(3, server_id).bind(4, revision).bind(5, state).run();
}

Status record_draft_state(Database& device, const std::string& client_id, const std::string& state, const std::string& note,
                          const std::string& summary) {
    auto stmt = device.prepare(
        "UPDATE drafts SET state = ?2, note = ?3, summary = CASE WHEN ?4 = '' THEN summary ELSE ?4 END WHERE client_id = ?1");
    if (!stmt) return stmt.status();
    return stmt->bind(1, client_id).bind(2, state).bind(3, note.substr(0, 4000)).bind(4, summary).run();
}

Status remove_local_draft(Database& device, const std::string& client_id) {
    auto stmt = device.prepare("DELETE FROM drafts WHERE client_id = ?1");
    if (!stmt) return stmt.status();
    return stmt->bind(1, client_id).run();
}

}  // namespace handbook
