// See acknowledgements.h.
#include "acknowledgements.h"

#include <algorithm>
#include <map>

namespace handbook {

Result<std::vector<MustRead>> must_read_versions(Database& db) {
    auto stmt = db.prepare(
        "SELECT a.slug, v.title, v.version, v.effective, v.acknowledge_by, v.created_at, v.change_note "
        "FROM article_versions v JOIN articles a ON a.id = v.article_id WHERE v.must_ack = 1 AND v.version = "
        "(SELECT max(version) FROM article_versions w WHERE w.article_id = v.article_id AND w.must_ack = 1) "
        "ORDER BY a.slug");
    if (!stmt) return stmt.status();
    std::vector<MustRead> out;
    while (stmt->step())
        out.push_back({stmt->column_text(0), stmt->column_text(1), static_cast<int>(stmt->column_int(2)), stmt->column_text(3),
                       stmt->column_text(4), stmt->column_text(5), stmt->column_text(6)});
    if (!stmt->status()) return stmt->status();
    return out;
}

std::vector<ToRead> still_to_read(const std::vector<MustRead>& must_read, const std::vector<Acknowledgement>& acknowledged,
                                  const std::string& today) {
    std::map<std::string, int> newest_ack;
    for (const Acknowledgement& a : acknowledged) newest_ack[a.slug] = std::max(newest_ack[a.slug], a.version);
    std::vector<ToRead> out;
    for (const MustRead& m : must_read) {
        const int last = newest_ack.count(m.slug) ? newest_ack[m.slug] : 0;
        if (last >= m.version) continue;
        out.push_back({m, last, !m.acknowledge_by.empty() && m.acknowledge_by < today});
    }
    std::sort(out.begin(), out.end(), [](const ToRead& a, const ToRead& b) {
        const std::string& da = a.item.acknowledge_by.empty() ? std::string("9999") : a.item.acknowledge_by;
        const std::string& db = b.item.acknowledge_by.empty() ? std::string("9999") : b.item.acknowledge_by;
        return da != db ? da < db : a.item.title < b.item.title;
    });
    return out;
}

}  // namespace handbook
