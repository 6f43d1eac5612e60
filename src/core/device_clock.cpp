// See device_clock.h.
#include "device_clock.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "article.h"

namespace handbook {

std::optional<int64_t> parse_utc_time(std::string_view iso) {
    // YYYY-MM-DDTHH:MM:SS[.fff]Z
    if (iso.size() < 20 || iso[10] != 'T' || iso.back() != 'Z' || !is_valid_date(iso.substr(0, 10))) return std::nullopt;
    auto number = [&](size_t at) {
        if (iso[at] < '0' || iso[at] > '9' || iso[at + 1] < '0' || iso[at + 1] > '9') return -1;
        return (iso[at] - '0') * 10 + (iso[at + 1] - '0');
    };
    const int h = number(11), m = number(14), s = number(17);
    if (iso[13] != ':' || iso[16] != ':' || h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 60) return std::nullopt;
    const int y = std::atoi(std::string(iso.substr(0, 4)).c_str()), mo = number(5), d = number(8);
    using namespace std::chrono;
    const sys_days day = year_month_day{year{y}, month{static_cast<unsigned>(mo)}, std::chrono::day{static_cast<unsigned>(d)}};
    return day.time_since_epoch().count() * int64_t{86400} + h * 3600 + m * 60 + s;
}

std::string utc_date(int64_t seconds) {
    using namespace std::chrono;
    const year_month_day ymd{sys_days{days{seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400}}};
    char out[16];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return out;
}

std::string utc_time(int64_t seconds) {
    const int64_t in_day = ((seconds % 86400) + 86400) % 86400;
    char out[32];
    std::snprintf(out, sizeof out, "%sT%02d:%02d:%02dZ", utc_date(seconds).c_str(), static_cast<int>(in_day / 3600),
                  static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60));
    return out;
}

std::optional<int64_t> clock_offset(std::string_view server_time, int64_t device_now) {
    auto server = parse_utc_time(server_time);
    if (!server) return std::nullopt;
    return *server - device_now;
}

std::string server_today(int64_t device_now, int64_t offset) { return utc_date(device_now + offset); }

std::string clock_disagreement(int64_t offset) {
    const int64_t off = offset < 0 ? -offset : offset;
    if (off <= kClockToleranceSeconds) return {};
    const int64_t minutes = off / 60;
    std::string amount = minutes >= 2 * 24 * 60 ? std::to_string(minutes / (24 * 60)) + " days"
                         : minutes >= 120       ? std::to_string(minutes / 60) + " hours"
                                                : std::to_string(minutes) + " minutes";
    return "This device's clock is " + amount + (offset > 0 ? " behind" : " ahead of") +
           " the server's; Handbook goes by the server's date for when policies come into force.";
}

}  // namespace handbook
