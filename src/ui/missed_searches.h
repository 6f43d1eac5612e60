// Searches that found nothing, in the app (issue 19, item 7). Each frame the search
// screen is watched (core/search_misses.h decides what counts as a miss); a miss is kept
// in the device's outbox without the person's name, offline too, and sent when the server
// can be reached (with the acknowledgements, news.h send_outbox). Editors and approvers
// see the most frequent ones under What's new, so they can add a synonym or a policy.
#pragma once
#include <string>
#include <vector>

#include "core/search_misses.h"

namespace handbook::ui {

struct AppState;
struct Library;
struct UiPlatform;

// One line of GET api/reports/search-misses.
struct FrequentMiss {
    std::string query;
    int count = 0;       // how often, on every device
    int no_results = 0;  // ... of which found nothing at all (the rest: nothing opened)
    std::string last_seen;
};

struct MissedSearchesState {
    SearchWatch watch;  // the search on screen now
    bool loading = false;
    std::string error;
    std::vector<FrequentMiss> frequent;  // owners' list, most frequent first
};

// Called every frame after the screens: a miss the search on screen (or the one just
// left) makes is kept on the device.
void watch_searches(AppState& state, Library& library, const UiPlatform& platform, double now);
// Sends the misses waiting on the device (no session needed: they carry no name).
void send_search_misses(AppState& state, Library& library, const UiPlatform& platform);
// Owners: asks the server for the most frequent misses.
void load_frequent_misses(AppState& state, const UiPlatform& platform);
// Reads one answer of GET api/reports/search-misses (false: not one).
bool read_frequent_misses(const std::string& json_text, std::vector<FrequentMiss>* out);

}  // namespace handbook::ui
