// Searches that found nothing (issue 19, item 7): which searches count as a miss, and
// keeping them on the device until the server has them, without the person's name.
//
// Staff type as they search: "ret", "retu", "return" are one search, not three. A search
// counts once it has stood in the box for kSearchSettleSeconds (the person stopped typing
// and looked at the answer), or once it was opened from:
//   - no_results: it stood with no hits;
//   - nothing_opened: it stood with hits, and the person left it (went elsewhere, or typed
//     an unrelated search) without opening any of them.
// Typing on from a search ("return" -> "return parcel") or back ("return" -> "retur") is
// the same search refined, not a miss. The watch is plain data, driven by the screen each
// frame, so the rules are tested with a given clock.
//
// On the device a miss is an outbox entry (device_store.h) of kind "search_miss", person
// "", sent to POST api/search-misses (which needs no session) when the network is there.
// Known limit: the text of a search is sent as typed (folded); a search that names a
// customer carries that name.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "database.h"

namespace handbook {

inline constexpr double kSearchSettleSeconds = 2.5;
inline constexpr size_t kMaxSearchMissQueryBytes = 120;  // kept and sent (the server takes up to 200)
inline constexpr int kMaxSearchMissesWaiting = 300;      // on a device long offline, the oldest are kept, newer dropped

struct SearchMiss {
    std::string query;  // folded (search_miss_text)
    std::string kind;   // no_results | nothing_opened
};

struct SearchWatch {
    std::string query;       // in the box now (folded)
    double typed_at = 0;     // when it was typed
    int hits = 0;
    bool counted = false;    // it has stood long enough (or was opened): looked at
    std::string looked_at;   // the last search that was looked at and had hits
    bool opened = false;     // ... and a hit of it was opened
};

// What a search's text is kept as: spaces trimmed and collapsed, ASCII folded to lower
// case, cut at kMaxSearchMissQueryBytes (on a character's boundary). "" for fewer than two
// characters or text that is not UTF-8.
std::string search_miss_text(std::string_view query);

// The search screen shows `query` with `hits` at `now`: the misses this makes (the last
// search left for an unrelated one; this one stood with nothing found).
std::vector<SearchMiss> watch_search(SearchWatch& watch, std::string_view query, int hits, double now);
// A hit of the search was opened.
void watch_opened(SearchWatch& watch);
// The person left searching (cleared the box, went to another screen): a search they
// looked at and opened nothing of is a miss. The watch starts again.
std::optional<SearchMiss> watch_left(SearchWatch& watch);

// Keeps `miss` in the device's outbox as `id`, made at `at` (UTC), without a name. A
// device that holds kMaxSearchMissesWaiting already keeps those and drops this one.
Status keep_search_miss(Database& device, const SearchMiss& miss, const std::string& id, const std::string& at);

}  // namespace handbook
