// See news.h.
#include "news.h"

#include <algorithm>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include "app_state.h"
#include "server_answer.h"
#include "core/article_store.h"
#include "core/device_acknowledgements.h"
#include "core/device_store.h"

namespace handbook::ui {

namespace {

constexpr int kRecentShown = 60;

std::string seen_key(const AppState& state) { return "news_seen:" + (state.account.signed_in ? state.account.name : std::string{}); }

// The newest change the person has seen. Someone new to this device starts from what it
// holds now: "new" is what is published after that (the whole library is not news).
int64_t read_seen(const AppState& state, Library& library, int64_t newest) {
    if (!library.device) return 0;
    auto kept = device_value(*library.device, seen_key(state));
    if (kept && kept->empty()) {
        (void)save_device_value(*library.device, seen_key(state), std::to_string(newest));
        return newest;
    }
    if (!kept) return 0;
    try {
        return std::stoll(*kept);
    } catch (...) {
        return 0;  // a damaged value: everything counts as new, nothing is lost
    }
}

// The server's list of the person's acknowledgements (made on other devices too).
// (Answers come later: they mark the lists stale, and the next frame reads them with the
// Library of that moment, which a new download may have replaced meanwhile.)
void ask_server_for_acknowledgements(AppState& state, Library& library, const UiPlatform& platform) {
    const std::string person = state.account.name;
    state.outbox.asked_for = person;
    Database* device = library.device;
    platform.api("GET", "api/acknowledgements", "", [&state, device, person](int status, const std::string& body) {
        if (status != 200 || !device) return;
        const nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
        if (!j.is_object() || !j.contains("acknowledgements")) return;
        auto list = acknowledgements_from_json(j["acknowledgements"].dump());
        if (!list) return;
        if (remember_acknowledgements(*device, person, *list)) state.news.stale = true;
    });
}

// An editor or approver with categories looks after those only (the server's rule for
// its reports); none listed means all.
bool looks_after(const Account& account, const std::string& category) {
    return account.categories.empty() ||
           std::find(account.categories.begin(), account.categories.end(), category) != account.categories.end();
}

}  // namespace

namespace {

AcknowledgementReport report_of(const nlohmann::json& j) {
    AcknowledgementReport r;
    r.slug = j.value("slug", std::string{});
    r.title = j.value("title", std::string{});
    r.acknowledge_by = j.value("acknowledge_by", std::string{});
    r.summary = j.value("summary", std::string{});
    r.version = j.value("version", 0);
    r.acknowledged = j.value("acknowledged", 0);
    r.pending = j.value("pending", 0);
    r.overdue = j.value("overdue", 0);
    if (j.contains("rows") && j["rows"].is_array())
        for (const nlohmann::json& row : j["rows"]) {
            if (!row.is_object()) continue;
            r.rows.push_back({row.value("user", std::string{}), row.value("role", std::string{}), row.value("store", std::string{}),
                              row.value("acknowledged_at", std::string{}), row.value("received_at", std::string{}),
                              row.value("overdue", false)});
        }
    return r;
}

}  // namespace

bool read_acknowledgement_report(const std::string& json_text, AcknowledgementReport* one, std::vector<AcknowledgementReport>* all) {
    const nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
    if (!j.is_object()) return false;
    try {
        if (all) {
            if (!j.contains("versions") || !j["versions"].is_array()) return false;
            all->clear();
            for (const nlohmann::json& v : j["versions"])
                if (v.is_object()) all->push_back(report_of(v));
            return true;
        }
        if (!j.contains("slug")) return false;
        *one = report_of(j);
        return true;
    } catch (const nlohmann::json::exception&) {
        return false;  // a field of the wrong type: not an answer this app can read
    }
}

void load_acknowledgement_reports(AppState& state, const UiPlatform& platform, const std::string& slug) {
    ReportState& rs = state.report;
    if (!platform.api || !state.account.signed_in || state.account.role == "staff") return;
    rs.loading = true;
    rs.error.clear();
    std::string path = "api/reports/acknowledgements";
    if (!slug.empty()) path += "?slug=" + slug;
    platform.api("GET", path, "", [&state, slug](int status, const std::string& body) {
        ReportState& r = state.report;
        r.loading = false;
        const bool read = status == 200 && (slug.empty() ? read_acknowledgement_report(body, nullptr, &r.versions)
                                                         : read_acknowledgement_report(body, &r.shown, nullptr));
        if (read) return;
        r.error = "The report cannot be shown: " + server_said(status, body) + ".";
    });
}

void load_news(AppState& state, Library& library) {
    NewsState& n = state.news;
    n.stale = false;
    n.load_error.clear();
    n.loaded_for = state.account.signed_in ? state.account.name : std::string{};
    auto recent = recent_changes(library.db, kRecentShown);
    if (recent) n.recent = std::move(*recent);
    else n.load_error = "What's new cannot be read from this device: " + recent.error();
    n.seen_seq = read_seen(state, library, n.recent.empty() ? 0 : n.recent.front().seq);
    n.unseen = changes_after(n.recent, n.seen_seq);
    n.to_read.clear();
    n.due_for_review.clear();
    if (state.account.signed_in && state.account.role != "staff" && !state.today.empty()) {
        auto all = list_articles(library.db);
        if (all)
            for (StoredArticle& a : *all)
                if (a.article.status == "published" && !a.article.review_by.empty() && a.article.review_by < state.today &&
                    looks_after(state.account, a.article.category))
                    n.due_for_review.push_back(std::move(a));
        std::stable_sort(n.due_for_review.begin(), n.due_for_review.end(),
                         [](const StoredArticle& x, const StoredArticle& y) { return x.article.review_by < y.article.review_by; });
    }
    if (!state.account.signed_in || !library.device) return;
    auto must = must_read_versions(library.db);
    auto known = known_acknowledgements(*library.device, state.account.name);
    if (!must || !known) {
        n.load_error = "Your list to read cannot be read from this device: " + (must ? known.error() : must.error());
        return;
    }
    n.to_read = still_to_read(*must, *known, state.today.empty() ? std::string("9999-12-31") : state.today);
}

void open_news(AppState& state, Library& library) {
    load_news(state, library);
    state.screen = Screen::news;
    state.scroll = {};
    // Seen from now on; this visit still marks what was new when it began.
    if (library.device && !state.news.recent.empty())
        (void)save_device_value(*library.device, seen_key(state), std::to_string(state.news.recent.front().seq));
    state.news.unseen = 0;
}

int news_count(const AppState& state) { return state.news.unseen + static_cast<int>(state.news.to_read.size()); }

const ToRead* to_read_for_reader(const AppState& state) {
    if (!state.reader.article) return nullptr;
    for (const ToRead& t : state.news.to_read)
        if (t.item.slug == state.reader.slug) return &t;
    return nullptr;
}

void acknowledge_reading(AppState& state, Library& library, const UiPlatform& platform, const ToRead& item) {
    if (!library.device || !state.account.signed_in) {
        state.news.message = "Sign in to acknowledge: an acknowledgement is yours, not the device's.";
        return;
    }
    const std::string at = platform.now_utc ? platform.now_utc() : std::string("1970-01-01T00:00:00Z");
    const std::string id = "ack-" + (platform.new_id ? platform.new_id() : at);
    const Acknowledgement ack{item.item.slug, item.item.version, at};
    if (Status st = acknowledge_on_device(*library.device, state.account.name, ack, id); !st) {
        state.news.message = "Your acknowledgement could not be kept on this device: " + st.error + ". Try again.";
        return;
    }
    if (platform.persist) platform.persist();
    state.news.message = "Acknowledged: version " + std::to_string(item.item.version) + " of " + item.item.title +
                         ". It is kept on this device and sent to the server when it can be reached.";
    state.news.message_slug = item.item.slug;
    state.outbox.look = true;
    load_news(state, library);
}

void send_outbox(AppState& state, Library& library, const UiPlatform& platform, double now) {
    OutboxSending& s = state.outbox;
    if (!library.device || !platform.api || !s.look || s.in_flight > 0) return;
    // Not yet: a frame when it is time (the app sleeps while nothing moves).
    const double not_before = std::max(s.retry_at, s.next_look);
    if (now < not_before) {
        if (state.wake_at <= now || not_before + 0.05 < state.wake_at) state.wake_at = not_before + 0.05;
        return;
    }
    s.next_look = now + 0.5;
    s.look = false;
    send_search_misses(state, library, platform);  // nobody's: sent whoever is signed in, or nobody
    // Acknowledgements go from the person's own session: one signed in offline waits for
    // theirs (resume_session), which looks here again once it has begun.
    if (!state.account.signed_in || !state.resume.password.empty()) return;
    if (s.asked_for != state.account.name) ask_server_for_acknowledgements(state, library, platform);
    auto waiting = outbox_entries(*library.device, "pending", 100, "acknowledgement");
    if (!waiting) return;
    Database* device = library.device;
    for (const OutboxEntry& e : *waiting) {
        if (e.person != state.account.name) continue;  // only the signed-in person's own
        ++s.in_flight;
        const std::string id = e.id;
        platform.api("POST", "api/acknowledgements", e.payload, [&state, &platform, device, id](int status, const std::string& body) {
            OutboxSending& o = state.outbox;
            --o.in_flight;
            const OutboxOutcome outcome = outbox_outcome(status);
            (void)record_outbox_answer(*device, id, outcome, status == 200 ? std::string{} : body.substr(0, 500));
            if (platform.persist) platform.persist();
            if (outcome == OutboxOutcome::done) {
                o.asked_for.clear();  // the server's list now has it
                state.news.message = "Your acknowledgement reached the server.";
            }
            if (outcome == OutboxOutcome::refused)
                state.news.message = "The server did not take an acknowledgement: " + body.substr(0, 200);
            if (outcome == OutboxOutcome::retry || outcome == OutboxOutcome::sign_in) o.retry_at = ImGui::GetTime() + 10;
            if (outcome == OutboxOutcome::sign_in)
                state.news.message = "Your acknowledgement is kept on this device. Sign in again while the network is there to send it.";
            o.look = true;
            state.news.stale = true;
        });
    }
}

void sync_reached_server(AppState& state) {
    state.resume.due = true;  // someone signed in offline gets their session now (account.h)
    state.outbox.asked_for.clear();
    state.outbox.look = true;
    state.outbox.retry_at = 0;
}

}  // namespace handbook::ui
