// See whats_new.h.
#include "whats_new.h"

namespace handbook {

Result<std::vector<PublishedChange>> recent_changes(Database& db, int limit) {
    auto stmt = db.prepare(
        "SELECT a.slug, v.title, v.version, v.effective, v.change_note, v.created_at, v.must_ack, v.seq "
        "FROM article_versions v JOIN articles a ON a.id = v.article_id WHERE v.status = 'published' "
        "ORDER BY v.seq DESC LIMIT ?1");
    if (!stmt) return stmt.status();
    stmt->bind(1, static_cast<int64_t>(limit));
    std::vector<PublishedChange> out;
    while (stmt->step())
        out.push_back({stmt->column_text(0), stmt->column_text(1), static_cast<int>(stmt->column_int(2)), stmt->column_text(3),
                       stmt->column_text(4), stmt->column_text(5), stmt->column_int(6) != 0, stmt->column_int(7)});
    if (!stmt->status()) return stmt->status();
    return out;
}

int changes_after(const std::vector<PublishedChange>& changes, int64_t seen_seq) {
    int n = 0;
    for (const PublishedChange& c : changes)
        if (c.seq > seen_seq) ++n;
    return n;
}

}  // namespace handbook
