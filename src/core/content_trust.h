// What a device trusts, and how fresh its content is.
//
// The device keeps, in its own store (device_store.h: no re-download or cache reset
// touches it), the signing key it trusts and the newest signing time it has accepted
// from a *claim of currency*: an answer that says "this is the newest there is" (a feed
// answer from `handbook serve`, a static tree's "latest" pointer). A claim signed before
// that time is a replay or a rollback and is refused, whatever its positions say. Files a
// claim names by hash (a static tree's feed pages and snapshot) and snapshots are not
// claims: they are checked for signature, server and positions, and their freshness is
// the claim's that follows or named them.
//
// Where the trusted key comes from: the page that starts the app names its server's key
// (`<meta name="handbook-key">`, written by `handbook serve` and `handbook publish-static`),
// and the device pins it on first use; afterwards the pin rules, and a page naming
// another key changes nothing (only an endorsement chain from the pinned key moves it).
// Trust on first use, as SSH does: the first visit trusts what it is given.
//
// Freshness: the device shows "policies as of <date>" when its newest accepted claim is
// older than kFreshnessWindowSeconds by its own clock (a frozen CDN, a server that cannot
// be reached, a replayed "nothing new"). Known limitation: a device clock that is days
// wrong shows that too early or too late.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "database.h"
#include "signed_file.h"

namespace handbook {

// A publisher re-signs its claims well within this (serve: every minute; a static tree's
// pointer: every 15 minutes, kStaticPointerRefreshSeconds).
inline constexpr int64_t kFreshnessWindowSeconds = 6 * 3600;

struct DeviceTrust {
    std::string key;             // the key text the device trusts ("" = none pinned yet)
    std::string newest_made_at;  // the newest claim of currency accepted (UTC; "" = none)
};

Result<DeviceTrust> load_device_trust(Database& device);
// Writes what changed (the key after a rotation, a newer time); never moves the time back.
Status save_device_trust(Database& device, const DeviceTrust& trust);

// Pins `app_key` (key text) when the device trusts no key yet; otherwise changes nothing.
// Fails when `app_key` is not a key and nothing is pinned.
Status pin_key_on_first_use(Database& device, std::string_view app_key);

// A claim of currency signed at `made_at`: refused (`replayed`) when older than the
// newest the device accepted. Equal times pass (the same answer asked for twice).
Status check_claim_time(const DeviceTrust& trust, const std::string& made_at);
// Notes an accepted claim (and the signer, which moves the pin along a rotation).
void accept_claim(DeviceTrust& trust, const OpenedFile& opened);

// "2026-12-05T10:00:00Z" <-> seconds since 1970 (UTC). nullopt for anything else.
std::optional<int64_t> parse_utc(std::string_view text);
std::string format_utc(int64_t seconds);

// True when `confirmed_at` (the newest claim's time) is older than the window at `now`,
// or unknown. A time ahead of `now` is not stale.
bool content_is_stale(std::string_view confirmed_at, std::string_view now, int64_t window = kFreshnessWindowSeconds);
// "4 Dec 2026" for the screens ("" when not a time).
std::string short_date(std::string_view utc);

}  // namespace handbook
