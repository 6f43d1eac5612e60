// See content_trust.h.
#include "content_trust.h"

#include <cstdio>

namespace handbook {

namespace {

Status set_value(Database& device, const char* key, const std::string& value) {
    auto stmt = device.prepare("INSERT INTO trust(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!stmt) return stmt.status();
    return stmt->bind(1, std::string_view(key)).bind(2, value).run();
}

// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool digits(std::string_view s, size_t at, size_t n, unsigned* out) {
    unsigned v = 0;
    for (size_t i = at; i < at + n; ++i) {
        if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + static_cast<unsigned>(s[i] - '0');
    }
    *out = v;
    return true;
}

}  // namespace

Result<DeviceTrust> load_device_trust(Database& device) {
    auto stmt = device.prepare("SELECT key, value FROM trust WHERE key IN ('key', 'newest_made_at')");
    if (!stmt) return stmt.status();
    DeviceTrust trust;
    while (stmt->step()) (stmt->column_text(0) == "key" ? trust.key : trust.newest_made_at) = stmt->column_text(1);
    if (!stmt->status()) return stmt->status();
    return trust;
}

Status save_device_trust(Database& device, const DeviceTrust& trust) {
    auto held = load_device_trust(device);
    if (!held) return held.status();
    Transaction tx(device);
    if (!tx.status()) return tx.status();
    if (!trust.key.empty() && trust.key != held->key)
        if (Status st = set_value(device, "key", trust.key); !st) return st;
    if (trust.newest_made_at > held->newest_made_at)
        if (Status st = set_value(device, "newest_made_at", trust.newest_made_at); !st) return st;
    return tx.commit();
}

Status pin_key_on_first_use(Database& device, std::string_view app_key) {
    auto held = load_device_trust(device);
    if (!held) return held.status();
    if (!held->key.empty()) return Status::ok();
    if (auto raw = parse_key_text(app_key); !raw)
        return Status::fail(StatusCode::untrusted, "this copy of the app names no valid signing key for its server (" + raw.error() +
                                                       "), so it cannot check what it downloads");
    return set_value(device, "key", std::string(app_key));
}

Status check_claim_time(const DeviceTrust& trust, const std::string& made_at) {
    if (!parse_utc(made_at)) return Status::fail(StatusCode::untrusted, "the signed time '" + made_at.substr(0, 40) + "' is not a time");
    if (!trust.newest_made_at.empty() && made_at < trust.newest_made_at)
        return Status::fail(StatusCode::replayed, "the server's answer was signed at " + made_at + ", before the newest this device has (" +
                                                      trust.newest_made_at + "): an old answer replayed, or a rollback; nothing was changed");
    return Status::ok();
}

void accept_claim(DeviceTrust& trust, const OpenedFile& opened) {
    trust.key = opened.signer;
    if (opened.statement.made_at > trust.newest_made_at) trust.newest_made_at = opened.statement.made_at;
}

std::optional<int64_t> parse_utc(std::string_view s) {
    unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z') return std::nullopt;
    if (!digits(s, 0, 4, &y) || !digits(s, 5, 2, &mo) || !digits(s, 8, 2, &d) || !digits(s, 11, 2, &h) || !digits(s, 14, 2, &mi) ||
        !digits(s, 17, 2, &se))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
    return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

std::string format_utc(int64_t seconds) {
    // civil_from_days, the inverse of days_from_civil.
    int64_t z = (seconds >= 0 ? seconds : seconds - 86399) / 86400;
    const int64_t secs = seconds - z * 86400;
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
    char out[96];  // room for any int64 fields (the format's warning), 20 used
    std::snprintf(out, sizeof out, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(y), m, d,
                  static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
    return out;
}

bool content_is_stale(std::string_view confirmed_at, std::string_view now, int64_t window) {
    auto confirmed = parse_utc(confirmed_at);
    auto current = parse_utc(now);
    if (!confirmed || !current) return true;
    return *current - *confirmed > window;
}

std::string short_date(std::string_view utc) {
    static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (!parse_utc(utc)) return "";
    unsigned d = 0, m = 0;
    if (!digits(utc, 8, 2, &d) || !digits(utc, 5, 2, &m)) return "";
    return std::to_string(d) + " " + kMonths[m - 1] + " " + std::string(utc.substr(0, 4));
}

}  // namespace handbook
