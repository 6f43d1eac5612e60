// See missed_searches.h.
#include "missed_searches.h"

#include <imgui.h>
#include <nlohmann/json.hpp>

#include "app_state.h"
#include "core/device_store.h"
#include "server_answer.h"

namespace handbook::ui {

namespace {

constexpr int kFrequentShown = 10;
constexpr int kSentAtOnce = 50;

void keep(AppState& state, Library& library, const UiPlatform& platform, const SearchMiss& miss) {
    if (!library.device) return;
    const std::string at = platform.now_utc ? platform.now_utc() : std::string("1970-01-01T00:00:00Z");
    const std::string id = "miss-" + (platform.new_id ? platform.new_id() : at);
    if (!keep_search_miss(*library.device, miss, id, at)) return;  // counting is no reason to bother the person
    if (platform.persist) platform.persist();
    state.outbox.look = true;
}

}  // namespace

void watch_searches(AppState& state, Library& library, const UiPlatform& platform, double now) {
    SearchWatch& w = state.missed.watch;
    std::vector<SearchMiss> misses;
    if (state.screen == Screen::search && !state.search.query.empty() && state.search.error.empty()) {
        misses = watch_search(w, state.search.query, static_cast<int>(state.search.results.hits.size()), now);
        if (!w.counted && !w.query.empty()) {  // a frame when it has stood long enough, even if nothing moves
            const double due = w.typed_at + kSearchSettleSeconds + 0.05;
            if (state.wake_at <= now || due < state.wake_at) state.wake_at = due;
        }
    } else if (state.screen == Screen::article) {
        watch_opened(w);  // a hit of it was opened (nothing, when no search was on screen)
    } else if (!w.query.empty() || !w.looked_at.empty()) {
        if (auto miss = watch_left(w)) misses.push_back(*miss);
    }
    for (const SearchMiss& m : misses) keep(state, library, platform, m);
}

void send_search_misses(AppState& state, Library& library, const UiPlatform& platform) {
    auto waiting = outbox_entries(*library.device, "pending", kSentAtOnce, "search_miss");
    if (!waiting) return;
    Database* device = library.device;
    for (const OutboxEntry& e : *waiting) {
        ++state.outbox.in_flight;
        const std::string id = e.id;
        platform.api("POST", "api/search-misses", e.payload, [&state, &platform, device, id](int status, const std::string& body) {
            OutboxSending& o = state.outbox;
            --o.in_flight;
            OutboxOutcome outcome = outbox_outcome(status);
            // A miss the server will not take has nobody to be shown to: it goes.
            if (outcome == OutboxOutcome::refused || outcome == OutboxOutcome::sign_in) outcome = OutboxOutcome::done;
            (void)record_outbox_answer(*device, id, outcome, outcome == OutboxOutcome::done ? std::string{} : body.substr(0, 200));
            if (platform.persist) platform.persist();
            if (outcome == OutboxOutcome::retry) o.retry_at = ImGui::GetTime() + 10;
            o.look = true;
        });
    }
}

bool read_frequent_misses(const std::string& json_text, std::vector<FrequentMiss>* out) {
    const nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
    if (!j.is_object() || !j.contains("searches") || !j["searches"].is_array()) return false;
    std::vector<FrequentMiss> list;
    try {
        for (const nlohmann::json& row : j["searches"]) {
            if (!row.is_object()) return false;
            list.push_back({row.value("query", std::string{}), row.value("count", 0), row.value("no_results", 0),
                            row.value("last_seen", std::string{})});
        }
    } catch (const nlohmann::json::exception&) {
        return false;  // a field of the wrong type
    }
    *out = std::move(list);
    return true;
}

void load_frequent_misses(AppState& state, const UiPlatform& platform) {
    MissedSearchesState& m = state.missed;
    if (!platform.api || !state.account.signed_in || state.account.role == "staff") return;
    m.loading = true;
    m.error.clear();
    platform.api("GET", "api/reports/search-misses?limit=" + std::to_string(kFrequentShown), "",
                 [&state](int status, const std::string& body) {
                     MissedSearchesState& ms = state.missed;
                     ms.loading = false;
                     if (status == 200 && read_frequent_misses(body, &ms.frequent)) return;
                     ms.error = "Searches that found nothing cannot be shown: " + server_said(status, body) + ".";
                 });
}

}  // namespace handbook::ui
