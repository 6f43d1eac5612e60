// What devices send back about reading: acknowledgements of must-read versions (by a
// signed-in person, made offline as often as not) and searches that found nothing (with
// no one's name). Each arrives with an id the device made: the same one sent three times
// is kept once, and the device is told it was already there. Kept as it arrived: the
// time on the device when the person acknowledged, and the server's time when it came.
//
// From them, the owners' reports: for each must-read version, who has acknowledged, who
// has not, who is overdue (by store and role); and the searches that most often find
// nothing, so an owner can add a synonym or an article.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "accounts.h"
#include "core/acknowledgements.h"

namespace handbook {

inline constexpr size_t kMaxClientIdBytes = 64;
inline constexpr size_t kMaxSearchMissBytes = 200;
inline constexpr int64_t kSearchMissesKept = 100000;  // the oldest go beyond this

enum class Recorded { recorded, already };

// An acknowledgement by `user` of `slug` version `version` at the device's time
// `acknowledged_at` (ISO 8601); `received_at` is the server's time now.
Result<Recorded> record_acknowledgement(Database& db, const User& user, const std::string& id, const std::string& slug, int version,
                                        const std::string& acknowledged_at, const std::string& client);
// Everything `user_id` acknowledged (oldest first).
Result<std::vector<Acknowledgement>> acknowledgements_of(Database& db, int64_t user_id);

struct ReceiptRow {
    User user;
    std::string acknowledged_at;  // "" = not yet
    std::string received_at;
    int acknowledged_version = 0;
    bool overdue = false;
};

struct AcknowledgementReport {
    MustRead item;
    std::vector<ReceiptRow> rows;  // every enabled account, by store, then role, then name
    int acknowledged = 0, pending = 0, overdue = 0;
};

// Who has read `slug`'s must-read version (`version` 0: the current one) on `today`.
Result<AcknowledgementReport> acknowledgement_report(Database& db, const std::string& slug, int version, const std::string& today);
// As CSV (RFC 4180), for a spreadsheet.
std::string acknowledgement_report_csv(const AcknowledgementReport& report);

Result<Recorded> record_search_miss(Database& db, const std::string& id, const std::string& query, const std::string& kind,
                                    const std::string& searched_at);
struct FrequentMiss {
    std::string query;  // as typed, folded to lower case
    int count = 0;
    int no_results = 0;  // of `count`, those that found nothing at all (the rest: nothing opened)
    std::string last_seen;
};
Result<std::vector<FrequentMiss>> frequent_search_misses(Database& db, const std::string& since, int limit);

}  // namespace handbook
