// A device's clock against its server's: a tablet's clock can be wrong (a flat battery, a
// user's fiddling), and effective dates must switch on the right day, offline too. The
// device notes the difference at each sync (the feed carries the server's time) and keeps
// dates by the server's reckoning; when the two clocks disagree by more than a few
// minutes it says so.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace handbook {

inline constexpr int64_t kClockToleranceSeconds = 5 * 60;

// "2026-12-04T16:50:00Z" -> seconds since 1970 (UTC); nothing for anything else.
std::optional<int64_t> parse_utc_time(std::string_view iso);
// Seconds since 1970 -> "2026-12-04" (UTC).
std::string utc_date(int64_t seconds);
// Seconds since 1970 -> "2026-12-04T16:50:00Z".
std::string utc_time(int64_t seconds);

// How far the server's clock is ahead of the device's (negative: behind), from the server's
// time in an answer and the device's clock when it arrived.
std::optional<int64_t> clock_offset(std::string_view server_time, int64_t device_now);

// Today by the server's reckoning: the device's clock corrected by the last offset seen.
std::string server_today(int64_t device_now, int64_t offset);

// A sentence for a person when the clocks disagree by more than the tolerance ("" if not).
std::string clock_disagreement(int64_t offset);

}  // namespace handbook
