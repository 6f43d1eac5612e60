// See review.h.
#include "review.h"

#include <imgui.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "app_actions.h"
#include "app_state.h"
#include "server_answer.h"
#include "core/article_store.h"
#include "editor.h"

namespace handbook::ui {

namespace {

using json = nlohmann::json;

std::string text_of(const json& j, const char* name) {
    auto it = j.find(name);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}
int64_t number_of(const json& j, const char* name) {
    auto it = j.find(name);
    return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

ServerDraft read_server_draft(const json& j) {
    ServerDraft d;
    d.id = number_of(j, "id");
    d.client_id = text_of(j, "client_id");
    d.kind = text_of(j, "kind");
    d.slug = text_of(j, "slug");
    d.title = text_of(j, "title");
    d.category = text_of(j, "category");
    d.author = text_of(j, "author");
    d.state = text_of(j, "state");
    d.summary = text_of(j, "summary");
    d.review_comment = text_of(j, "review_comment");
    d.reviewer = text_of(j, "reviewer");
    d.updated_at = text_of(j, "updated_at");
    d.base_version = static_cast<int>(number_of(j, "base_version"));
    d.revert_of = static_cast<int>(number_of(j, "revert_of"));
    d.must_acknowledge = j.value("must_acknowledge", false);
    return d;
}

bool read_diff_json(const json& j, DiffView* out) {
    if (!j.is_object() || !j.contains("lines") || !j["lines"].is_array()) return false;
    DiffView d;
    if (j.contains("fields") && j["fields"].is_array())
        for (const json& f : j["fields"]) d.fields.push_back({text_of(f, "field"), text_of(f, "before"), text_of(f, "after")});
    for (const json& l : j["lines"]) {
        DiffLineView line;
        const std::string kind = text_of(l, "kind");
        line.kind = kind == "added" ? '+' : kind == "removed" ? '-' : kind == "changed" ? '~' : ' ';
        line.old_number = static_cast<int>(number_of(l, "old"));
        line.new_number = static_cast<int>(number_of(l, "new"));
        line.text = text_of(l, "text");
        if (l.contains("spans") && l["spans"].is_array())
            for (const json& s : l["spans"]) {
                // (the core's names for them, as the server writes them)
                const std::string sk = text_of(s, "kind");
                const char mark = sk == diff_span_kind_name(DiffSpan::Kind::added) ? '+' : sk == diff_span_kind_name(DiffSpan::Kind::removed) ? '-' : ' ';
                line.spans.push_back({mark, text_of(s, "text")});
            }
        d.lines.push_back(std::move(line));
    }
    d.added = static_cast<int>(number_of(j, "added"));
    d.removed = static_cast<int>(number_of(j, "removed"));
    d.changed = static_cast<int>(number_of(j, "changed"));
    *out = std::move(d);
    return true;
}

// (`device`, not the Library: the library is replaced when a new download is installed,
// and answers arrive later; the device's store stays for the page's life.)
void load_drafts(AppState& state, Database* device, const UiPlatform& platform) {
    DraftsScreen& s = state.drafts;
    if (device) {
        std::vector<std::string> unreadable;
        auto mine = local_drafts(*device, state.account.name, &unreadable);
        if (mine) s.local = std::move(*mine);
        // What the person can know and do (which row, and why, local_drafts names).
        s.damaged = unreadable.empty() ? std::string{}
                                       : std::to_string(unreadable.size()) + (unreadable.size() == 1 ? " draft" : " drafts") +
                                             " on this device could not be read: the copy saved here is damaged. Your other "
                                             "drafts are listed here and sent as usual.";
    }
    if (!platform.api || !state.account.signed_in) return;
    s.loading = true;
    platform.api("GET", "api/drafts", "", [&state, device](int status, const std::string& body) {
        DraftsScreen& d = state.drafts;
        d.loading = false;
        const auto j = json::parse(body, nullptr, false);
        if (status != 200 || !j.is_object() || !j.contains("drafts") || !j["drafts"].is_array()) {
            d.error = "The server's list is not here: " + server_said(status, body) + ".";
            return;
        }
        d.error.clear();
        d.server.clear();
        d.waiting.clear();
        for (const json& x : j["drafts"]) {
            ServerDraft sd = read_server_draft(x);
            if (sd.author == state.account.name) d.server.push_back(sd);
            if (sd.state == "in_review" && (sd.author != state.account.name || state.account.role == "admin")) d.waiting.push_back(sd);
        }
        // The server's word on drafts this device keeps: returned with a comment, published.
        // Kept on the device too: the editor opened from it says so, offline as well.
        for (LocalDraft& l : d.local)
            for (const ServerDraft& sd : d.server)
                if (sd.client_id == l.client_id && !sd.client_id.empty() && (sd.state != l.state || sd.state == "returned")) {
                    l.state = sd.state;
                    if (sd.state == "returned") l.note = sd.review_comment;
                    take_server_word(state, device, l.client_id, sd.state, sd.review_comment);
                }
    });
}

void open_lists(AppState& state, Database* device, const UiPlatform& platform, bool reviews_only) {
    state.drafts = DraftsScreen{};
    state.drafts.reviews_only = reviews_only;
    state.screen = reviews_only ? Screen::review : Screen::drafts;
    if (reviews_only) state.review = ReviewState{};
    state.scroll = {};
    load_drafts(state, device, platform);
}

}  // namespace

void open_drafts_list(AppState& state, Database* device, const UiPlatform& platform) { open_lists(state, device, platform, false); }

std::optional<ServerDraft> read_server_draft(const std::string& json_text) {
    const json j = json::parse(json_text, nullptr, false);
    if (!j.is_object() || !j.contains("id") || !j.contains("state")) return std::nullopt;
    return read_server_draft(j);
}

bool read_diff(const std::string& json_text, DiffView* out) { return read_diff_json(json::parse(json_text, nullptr, false), out); }

DiffView diff_view_of(const VersionDiff& diff) {
    DiffView d;
    for (const FieldChange& f : diff.fields) d.fields.push_back({f.field, f.before, f.after});
    for (const DiffLine& l : diff.body.lines) {
        DiffLineView line;
        line.kind = l.kind == DiffLine::Kind::added ? '+' : l.kind == DiffLine::Kind::removed ? '-' : l.kind == DiffLine::Kind::changed ? '~' : ' ';
        line.old_number = l.old_number;
        line.new_number = l.new_number;
        line.text = l.kind == DiffLine::Kind::removed ? l.old_text : l.new_text;
        for (const DiffSpan& s : l.spans)
            line.spans.push_back({s.kind == DiffSpan::Kind::added ? '+' : s.kind == DiffSpan::Kind::removed ? '-' : ' ', s.text});
        d.lines.push_back(std::move(line));
    }
    d.added = diff.body.added;
    d.removed = diff.body.removed;
    d.changed = diff.body.changed;
    return d;
}

void open_my_drafts(AppState& state, Library& library, const UiPlatform& platform) { open_lists(state, library.device, platform, false); }

void open_review_list(AppState& state, Library& library, const UiPlatform& platform) { open_lists(state, library.device, platform, true); }

void open_review(AppState& state, Library& library, const UiPlatform& platform, int64_t id) {
    state.review = ReviewState{};
    ReviewState& r = state.review;
    r.id = id;
    state.screen = Screen::review;
    state.scroll = {};
    (void)library;
    if (!platform.api) {
        r.error = "Reviewing needs the server.";
        return;
    }
    r.loading = true;
    // A change comes into force today at the earliest (the server refuses an earlier date):
    // the draft's own date if it is still ahead, else today.
    const std::string today = platform.now_utc ? platform.now_utc().substr(0, 10) : std::string{};
    platform.api("GET", "api/drafts/" + std::to_string(id), "", [&state, id, today](int status, const std::string& body) {
        ReviewState& rv = state.review;
        if (rv.id != id) return;  // another draft was opened meanwhile
        rv.loading = false;
        const auto j = json::parse(body, nullptr, false);
        if (status != 200 || !j.is_object()) {
            rv.error = "This draft cannot be shown: " + server_said(status, body) + ".";
            return;
        }
        rv.draft = read_server_draft(j);
        auto content = article_from_fields_json(j.dump());
        if (content) rv.content = *content;
        rv.preview = parse_markdown(rv.content.body);
        if (j.contains("live") && j["live"].is_object()) rv.live_version = static_cast<int>(number_of(j["live"], "version"));
        if (j.contains("diff")) read_diff_json(j["diff"], &rv.diff);
        copy_to_field(rv.effective, !today.empty() && rv.content.effective < today ? today : rv.content.effective);
        rv.must_acknowledge = rv.draft.must_acknowledge;
    });
}

void publish_reviewed(AppState& state, Library& library, const UiPlatform& platform) {
    ReviewState& r = state.review;
    if (r.busy || !platform.api) return;
    const std::string effective = r.effective.data(), due = r.acknowledge_by.data();
    if (!effective.empty() && !is_valid_date(effective)) {
        r.message = "The date it comes into force is not a date (YYYY-MM-DD).";
        return;
    }
    if (!due.empty() && !is_valid_date(due)) {
        r.message = "The date to acknowledge by is not a date (YYYY-MM-DD).";
        return;
    }
    r.busy = true;
    r.message.clear();
    json body = {{"effective", effective}, {"must_acknowledge", r.must_acknowledge}};
    if (!due.empty()) body["acknowledge_by"] = due;
    const int64_t id = r.id;
    Database* device = library.device;
    platform.api("POST", "api/drafts/" + std::to_string(id) + "/publish", body.dump(),
                 [&state, device, &platform, id](int status, const std::string& answer) {
                     ReviewState& rv = state.review;
                     if (rv.id != id) return;
                     rv.busy = false;
                     const auto j = json::parse(answer, nullptr, false);
                     if (status == 200) {
                         state.toast = "Published as version " + std::to_string(j.is_object() ? number_of(j, "version") : 0);
                         state.toast_until = ImGui::GetTime() + 2.5;
                         if (platform.content_changed) platform.content_changed();  // the device fetches it now
                         open_lists(state, device, platform, true);
                         return;
                     }
                     if (status == 409 && j.is_object() && j.contains("diff")) {
                         rv.conflict = read_diff_json(j["diff"], &rv.conflict_diff);
                         rv.message = "The live version changed since this draft was written. Return it to its author to merge "
                                      "the other change (shown below).";
                         return;
                     }
                     rv.message = "Not published: " + server_said(status, answer) + ".";
                 });
}

void return_reviewed(AppState& state, Library& library, const UiPlatform& platform) {
    ReviewState& r = state.review;
    if (r.busy || !platform.api) return;
    r.busy = true;
    const int64_t id = r.id;
    const json body = {{"comment", std::string(r.comment.data())}};
    Database* device = library.device;
    platform.api("POST", "api/drafts/" + std::to_string(id) + "/return", body.dump(),
                 [&state, device, &platform, id](int status, const std::string& answer) {
                     ReviewState& rv = state.review;
                     if (rv.id != id) return;
                     rv.busy = false;
                     if (status != 200) {
                         rv.message = "Not returned: " + server_said(status, answer) + ".";
                         return;
                     }
                     state.toast = "Returned to its author";
                     state.toast_until = ImGui::GetTime() + 2.5;
                     open_lists(state, device, platform, true);
                 });
}

void open_history(AppState& state, Library& library, const UiPlatform& platform, const std::string& slug) {
    state.history = HistoryState{};
    HistoryState& h = state.history;
    h.slug = slug;
    state.screen = Screen::history;
    state.scroll = {};
    (void)library;
    if (!platform.api) {
        h.error = "The history is kept on the server.";
        return;
    }
    h.loading = true;
    platform.api("GET", "api/articles/" + slug + "/versions", "", [&state, slug](int status, const std::string& body) {
        HistoryState& hs = state.history;
        if (hs.slug != slug) return;
        hs.loading = false;
        const auto j = json::parse(body, nullptr, false);
        if (status != 200 || !j.is_object() || !j.contains("versions") || !j["versions"].is_array()) {
            hs.error = "The history cannot be shown: " + server_said(status, body) + ".";
            return;
        }
        for (const json& v : j["versions"]) {
            HistoryVersion hv;
            hv.version = static_cast<int>(number_of(v, "version"));
            hv.title = text_of(v, "title");
            hv.status = text_of(v, "status");
            hv.summary = text_of(v, "summary");
            hv.author = text_of(v, "author");
            hv.approver = text_of(v, "approver");
            hv.published_at = text_of(v, "published_at");
            hv.effective = text_of(v, "effective");
            hv.must_acknowledge = v.value("must_acknowledge", false);
            hs.versions.push_back(std::move(hv));
        }
    });
}

void compare_versions(AppState& state, const UiPlatform& platform, int from, int to) {
    HistoryState& h = state.history;
    if (from > to) std::swap(from, to);
    h.from = from;
    h.to = to;
    h.diff = {};
    h.diff_error.clear();
    if (!platform.api || from == 0 || to == 0 || from == to) return;
    h.diff_loading = true;
    const std::string slug = h.slug;
    platform.api("GET", "api/articles/" + slug + "/diff?from=" + std::to_string(from) + "&to=" + std::to_string(to), "",
                 [&state, slug, from, to](int status, const std::string& body) {
                     HistoryState& hs = state.history;
                     if (hs.slug != slug || hs.from != from || hs.to != to) return;
                     hs.diff_loading = false;
                     if (status != 200 || !read_diff(body, &hs.diff)) hs.diff_error = "The diff cannot be shown: " + server_said(status, body) + ".";
                 });
}

void show_version(AppState& state, const UiPlatform& platform, int version) {
    HistoryState& h = state.history;
    h.shown_version = version;
    h.shown.reset();
    if (!platform.api || version == 0) return;
    const std::string slug = h.slug;
    platform.api("GET", "api/articles/" + slug + "/versions/" + std::to_string(version), "",
                 [&state, slug, version](int status, const std::string& body) {
                     HistoryState& hs = state.history;
                     if (hs.slug != slug || hs.shown_version != version) return;
                     auto a = status == 200 ? article_from_fields_json(body) : Result<Article>(Status::fail(server_said(status, body)));
                     if (!a) {
                         hs.message = "Version " + std::to_string(version) + " cannot be shown: " + a.error() + ".";
                         hs.shown_version = 0;
                         return;
                     }
                     hs.shown = *a;
                     hs.shown_document = parse_markdown(a->body);
                 });
}

void request_revert(AppState& state, const UiPlatform& platform, int version) {
    HistoryState& h = state.history;
    if (!platform.api) return;
    const std::string summary = h.revert_summary.data();
    if (summary.find_first_not_of(" \t\n") == std::string::npos) {
        h.message = "Say why this version comes back: staff read it in \"What's new\".";
        return;
    }
    const json body = {{"version", version}, {"summary", summary}};
    const std::string slug = h.slug;
    platform.api("POST", "api/articles/" + slug + "/revert", body.dump(), [&state, slug, version](int status, const std::string& answer) {
        HistoryState& hs = state.history;
        if (hs.slug != slug) return;
        if (status != 201) {
            hs.message = "Not sent: " + server_said(status, answer) + ".";
            return;
        }
        hs.revert_dialog = false;
        hs.message = "Version " + std::to_string(version) + " goes back through review: an approver publishes it.";
    });
}

}  // namespace handbook::ui
