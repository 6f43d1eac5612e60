// See audit_log.h.
#include "audit_log.h"

#include <algorithm>

namespace handbook {

Status audit(Database& db, const AuditEntry& e) {
    auto stmt = db.prepare("INSERT INTO audit_log(at, user, action, target, outcome, client, detail) "
                           "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2, ?3, ?4, ?5, ?6)");
    if (!stmt) return stmt.status();
    // Bounded, whatever a request carried.
    stmt->bind(1, std::string_view(e.user).substr(0, 100)).bind(2, std::string_view(e.action).substr(0, 40));
    stmt->bind(3, std::string_view(e.target).substr(0, 200)).bind(4, std::string_view(e.outcome).substr(0, 20));
    stmt->bind(5, std::string_view(e.client).substr(0, 100)).bind(6, std::string_view(e.detail).substr(0, 2000));
    return stmt->run();
}

Result<std::vector<AuditEntry>> read_audit(Database& db, const AuditFilter& f) {
    auto stmt = db.prepare("SELECT id, at, user, action, target, outcome, client, detail FROM audit_log "
                           "WHERE (?1 = '' OR at >= ?1) AND (?2 = '' OR user = ?2 COLLATE NOCASE) ORDER BY id DESC LIMIT ?3");
    if (!stmt) return stmt.status();
    stmt->bind(1, f.since).bind(2, f.user).bind(3, std::clamp(f.limit, 1, 100000));
    std::vector<AuditEntry> out;
    while (stmt->step()) {
        out.push_back({stmt->column_int(0), stmt->column_text(1), stmt->column_text(2), stmt->column_text(3),
                       stmt->column_text(4), stmt->column_text(5), stmt->column_text(6), stmt->column_text(7)});
    }
    if (!stmt->status()) return stmt->status();
    return out;
}

}  // namespace handbook
