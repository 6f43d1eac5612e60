// See server_import.h.
#include "server_import.h"

#include "audit_log.h"
#include "authority_schema.h"
#include "core/article_store.h"

namespace handbook {

namespace {

Status keep_as_draft(Database& db, const Article& content, const std::string& file) {
    auto live = get_article(db, content.slug);
    if (!live) return live.status();
    const int base = live->has_value() ? (*live)->version : 0;
    auto same = db.prepare(
        "SELECT 1 FROM drafts d JOIN users u ON u.id = d.author_id WHERE u.name = 'import' AND d.slug = ?1 "
        "AND d.state IN ('draft', 'in_review', 'returned') AND d.title = ?2 AND d.body = ?3 AND d.base_version = ?4");
    if (!same) return same.status();
    same->bind(1, content.slug).bind(2, content.title).bind(3, content.body).bind(4, base);
    if (same->step()) return Status::ok();
    if (!same->status()) return same->status();
    auto ins = db.prepare(
        "INSERT INTO drafts(slug, kind, base_version, title, category, tags_json, owner, effective, review_by, body, author_id, "
        "state, summary, created_at, updated_at) "
        "VALUES (?1, 'edit', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, (SELECT id FROM users WHERE name = 'import'), 'in_review', ?10, "
        "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    if (!ins) return ins.status();
    ins->bind(1, content.slug).bind(2, base).bind(3, content.title).bind(4, content.category).bind(5, tags_to_json(content.tags));
    ins->bind(6, content.owner).bind(7, content.effective).bind(8, content.review_by).bind(9, content.body);
    ins->bind(10, "Imported from " + file + " as a draft");
    return ins->run();
}

}  // namespace

ImportReport import_into_server(Database& db, const std::string& folder, const std::string& who, const std::string& client) {
    ImportOptions options;
    options.author = who.empty() ? kImportAccount : who;
    options.keep_draft = keep_as_draft;
    options.before_commit = [&](Database& d, const ImportReport& r) {
        const std::string detail = std::to_string(r.created) + " new, " + std::to_string(r.updated) + " updated, " +
                                   std::to_string(r.unchanged) + " unchanged, " + std::to_string(r.drafts) + " drafts, " +
                                   std::to_string(r.skipped) + " skipped";
        return audit(d, AuditEntry{0, "", options.author, "import", folder, "ok", client, detail});
    };
    return import_folder(db, folder, options);
}

}  // namespace handbook
