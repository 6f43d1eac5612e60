// See read_receipts.h.
#include "read_receipts.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/article_store.h"

namespace handbook {

namespace {

bool is_client_id(const std::string& id) {
    if (id.empty() || id.size() > kMaxClientIdBytes) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

// A plausible ISO 8601 UTC time as a device writes it ("2026-12-04T16:50:00Z").
bool is_time(const std::string& t) {
    return t.size() >= 20 && t.size() <= 30 && is_valid_date(t.substr(0, 10)) && t[10] == 'T' && t.back() == 'Z';
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

Result<Recorded> record_acknowledgement(Database& db, const User& user, const std::string& id, const std::string& slug, int version,
                                        const std::string& acknowledged_at, const std::string& client) {
    if (!is_client_id(id)) return Status::fail(StatusCode::invalid, "id: 1-64 letters, digits, '-' or '_' made on the device");
    if (!is_time(acknowledged_at)) return Status::fail(StatusCode::invalid, "acknowledged_at: a UTC time like 2026-12-04T16:50:00Z");
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto same_id = db.prepare("SELECT user_id FROM acknowledgements WHERE id = ?1");
    if (!same_id) return same_id.status();
    same_id->bind(1, id);
    if (same_id->step()) {
        if (same_id->column_int(0) != user.id)
            return Status::fail(StatusCode::conflict, "id: this id was used by another person's acknowledgement");
        if (Status st = tx.commit(); !st) return st;
        return Recorded::already;
    }
    if (!same_id->status()) return same_id->status();
    auto v = article_version(db, slug, version);
    if (!v) return v.status();
    if (!v->has_value()) return Status::fail(StatusCode::not_found, "'" + slug + "' has no version " + std::to_string(version));
    auto ins = db.prepare("INSERT OR IGNORE INTO acknowledgements(id, user_id, slug, version, acknowledged_at, received_at, client) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?6)");
    if (!ins) return ins.status();
    if (Status st = ins->bind(1, id).bind(2, user.id).bind(3, slug).bind(4, version).bind(5, acknowledged_at).bind(6, client.substr(0, 100)).run();
        !st)
        return st;
    const bool added = db.changes() > 0;  // 0: this person had acknowledged this version already (another id)
    if (Status st = tx.commit(); !st) return st;
    return added ? Recorded::recorded : Recorded::already;
}

Result<std::vector<Acknowledgement>> acknowledgements_of(Database& db, int64_t user_id) {
    auto stmt = db.prepare("SELECT slug, version, acknowledged_at FROM acknowledgements WHERE user_id = ?1 ORDER BY received_at, slug");
    if (!stmt) return stmt.status();
    stmt->bind(1, user_id);
    std::vector<Acknowledgement> out;
    while (stmt->step()) out.push_back({stmt->column_text(0), static_cast<int>(stmt->column_int(1)), stmt->column_text(2)});
    if (!stmt->status()) return stmt->status();
    return out;
}

Result<AcknowledgementReport> acknowledgement_report(Database& db, const std::string& slug, int version, const std::string& today) {
    AcknowledgementReport report;
    if (version == 0) {
        auto all = must_read_versions(db);
        if (!all) return all.status();
        auto it = std::find_if(all->begin(), all->end(), [&](const MustRead& m) { return m.slug == slug; });
        if (it == all->end()) return Status::fail(StatusCode::not_found, "'" + slug + "' has no version staff must acknowledge");
        report.item = *it;
    } else {
        auto v = article_version(db, slug, version);
        if (!v) return v.status();
        if (!v->has_value()) return Status::fail(StatusCode::not_found, "'" + slug + "' has no version " + std::to_string(version));
        const ArticleVersion& av = **v;
        report.item = MustRead{slug, av.article.title, av.version, av.article.effective, av.acknowledge_by, av.created_at, av.change_note};
    }
    auto users = list_users(db);
    if (!users) return users.status();
    // Each person's newest acknowledgement of this article at or after the version.
    auto acks = db.prepare("SELECT user_id, max(version), acknowledged_at, received_at FROM acknowledgements "
                           "WHERE slug = ?1 AND version >= ?2 GROUP BY user_id");
    if (!acks) return acks.status();
    acks->bind(1, slug).bind(2, report.item.version);
    std::map<int64_t, ReceiptRow> by_user;
    while (acks->step()) {
        ReceiptRow r;
        r.acknowledged_version = static_cast<int>(acks->column_int(1));
        r.acknowledged_at = acks->column_text(2);
        r.received_at = acks->column_text(3);
        by_user[acks->column_int(0)] = r;
    }
    if (!acks->status()) return acks->status();
    for (const User& u : *users) {
        if (u.disabled) continue;
        ReceiptRow row = by_user.count(u.id) ? by_user[u.id] : ReceiptRow{};
        row.user = u;
        if (row.acknowledged_at.empty()) {
            row.overdue = !report.item.acknowledge_by.empty() && report.item.acknowledge_by < today;
            ++report.pending;
            if (row.overdue) ++report.overdue;
        } else {
            ++report.acknowledged;
        }
        report.rows.push_back(std::move(row));
    }
    std::sort(report.rows.begin(), report.rows.end(), [](const ReceiptRow& a, const ReceiptRow& b) {
        if (a.user.store != b.user.store) return a.user.store < b.user.store;
        if (a.user.role != b.user.role) return a.user.role < b.user.role;
        return a.user.name < b.user.name;
    });
    return report;
}

std::string acknowledgement_report_csv(const AcknowledgementReport& r) {
    std::string out = "article,version,due,person,store,role,state,acknowledged_at,received_at\r\n";
    for (const ReceiptRow& row : r.rows) {
        const std::string state = !row.acknowledged_at.empty() ? "acknowledged" : row.overdue ? "overdue" : "not yet";
        out += csv_field(r.item.slug) + "," + std::to_string(r.item.version) + "," + r.item.acknowledge_by + "," +
               csv_field(row.user.name) + "," + csv_field(row.user.store) + "," + role_name(row.user.role) + "," + state + "," +
               row.acknowledged_at + "," + row.received_at + "\r\n";
    }
    return out;
}

Result<Recorded> record_search_miss(Database& db, const std::string& id, const std::string& query, const std::string& kind,
                                    const std::string& searched_at) {
    if (!is_client_id(id)) return Status::fail(StatusCode::invalid, "id: 1-64 letters, digits, '-' or '_' made on the device");
    if (query.empty() || query.size() > kMaxSearchMissBytes || !is_valid_utf8(query))
        return Status::fail(StatusCode::invalid, "query: 1-200 bytes of text");
    if (kind != "no_results" && kind != "nothing_opened") return Status::fail(StatusCode::invalid, "kind: no_results or nothing_opened");
    if (!is_time(searched_at)) return Status::fail(StatusCode::invalid, "searched_at: a UTC time like 2026-12-04T16:50:00Z");
    std::string folded = query;
    std::transform(folded.begin(), folded.end(), folded.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto ins = db.prepare("INSERT OR IGNORE INTO search_misses(id, query, kind, searched_at, received_at) "
                          "VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    if (!ins) return ins.status();
    if (Status st = ins->bind(1, id).bind(2, folded).bind(3, kind).bind(4, searched_at).run(); !st) return st;
    const bool added = db.changes() > 0;
    // Bounded: a flood of made-up searches pushes out the oldest, not the disk.
    auto trim = db.prepare("DELETE FROM search_misses WHERE rowid <= (SELECT max(rowid) FROM search_misses) - ?1");
    if (!trim) return trim.status();
    if (Status st = trim->bind(1, kSearchMissesKept).run(); !st) return st;
    if (Status st = tx.commit(); !st) return st;
    return added ? Recorded::recorded : Recorded::already;
}

Result<std::vector<FrequentMiss>> frequent_search_misses(Database& db, const std::string& since, int limit) {
    auto stmt = db.prepare("SELECT query, count(*), max(searched_at), sum(kind = 'no_results') FROM search_misses WHERE received_at >= ?1 "
                           "GROUP BY query ORDER BY count(*) DESC, max(searched_at) DESC LIMIT ?2");
    if (!stmt) return stmt.status();
    stmt->bind(1, since).bind(2, std::clamp(limit, 1, 1000));
    std::vector<FrequentMiss> out;
    while (stmt->step()) out.push_back({stmt->column_text(0), static_cast<int>(stmt->column_int(1)), static_cast<int>(stmt->column_int(3)),
                                          stmt->column_text(2)});
    if (!stmt->status()) return stmt->status();
    return out;
}

}  // namespace handbook
