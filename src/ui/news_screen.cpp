// What's new: the signed-in person's must-read versions not yet acknowledged (due first,
// overdue marked), then the versions published lately (newest first; those since the
// last look marked "New"), each with its summary and the date it comes into force, and a
// link into the policy. Drawn from what the device holds, offline too.
#include <algorithm>

#include <imgui.h>

#include "app_actions.h"
#include "app_state.h"
#include "icons.h"
#include "news.h"
#include "screens.h"
#include "theme.h"
#include "widgets.h"

namespace handbook::ui {

namespace {

void open_policy(AppState& state, Library& library, const UiPlatform& platform, const std::string& slug) {
    Route r;
    r.screen = Screen::article;
    r.slug = slug;
    navigate(state, library, r, platform);
}

// For owners: what staff searched for and did not find (from every device, without
// names), most frequent first. A row runs that search here, to see what staff saw.
// True when one was chosen (the screen has changed).
bool draw_missed_searches(AppState& state, Library& library, float width) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    const MissedSearchesState& m = state.missed;
    ImGui::Dummy(ImVec2(1, 8));
    wrapped_text(f.h3 ? f.h3 : f.bold, p.text, "Searches that found nothing", column_wrap(width), SemanticRole::heading, 2);
    if (m.loading) wrapped_text(f.body, p.muted, "Asking the server...", column_wrap(width), SemanticRole::status);
    if (!m.error.empty()) wrapped_text(f.body, p.warning, m.error, column_wrap(width), SemanticRole::status);
    if (!m.loading && m.error.empty() && m.frequent.empty())
        wrapped_text(f.body, p.muted, "No search has come back empty lately.", column_wrap(width));
    for (const FrequentMiss& miss : m.frequent) {
        const int opened_nothing = miss.count - miss.no_results;
        std::string line = std::to_string(miss.count) + (miss.count == 1 ? " time" : " times");
        if (miss.no_results > 0) line += "  ·  " + std::to_string(miss.no_results) + " found nothing";
        if (opened_nothing > 0) line += "  ·  " + std::to_string(opened_nothing) + " found policies, none opened";
        line += "  ·  last on " + format_date(miss.last_seen.substr(0, 10));
        if (list_row(state, "\"" + miss.query + "\"", line, "", "m" + miss.query)) {
            const std::string query = miss.query;
            set_query(state, library, query);
            // Looking at it is not another miss.
            (void)watch_search(state.missed.watch, query, static_cast<int>(state.search.results.hits.size()), ImGui::GetTime());
            watch_opened(state.missed.watch);
            return true;
        }
    }
    return false;
}

}  // namespace

void draw_news_screen(AppState& state, Library& library, const UiPlatform& platform, float width) {
    NewsState& n = state.news;
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    ImGui::Dummy(ImVec2(1, 16));
    wrapped_text(f.h1 ? f.h1 : f.bold, p.text, "What's new", column_wrap(width), SemanticRole::heading, 1);
    if (!n.load_error.empty()) wrapped_text(f.body, p.warning, n.load_error, column_wrap(width), SemanticRole::status);
    if (!n.message.empty()) wrapped_text(f.body, p.muted, n.message, column_wrap(width), SemanticRole::status);
    ImGui::Dummy(ImVec2(1, 8));

    wrapped_text(f.h3 ? f.h3 : f.bold, p.text, "To read and acknowledge", column_wrap(width), SemanticRole::heading, 2);
    if (!state.account.signed_in) {
        wrapped_text(f.body, p.muted, "Sign in to see the changes you must read and acknowledge.", column_wrap(width));
    } else if (n.to_read.empty()) {
        wrapped_text(f.body, p.muted, "Nothing to acknowledge: you have read every change that asks for it.", column_wrap(width));
    }
    for (const ToRead& t : n.to_read) {
        std::string line = "Version " + std::to_string(t.item.version);
        if (!t.item.acknowledge_by.empty()) line += "  ·  acknowledge by " + format_date(t.item.acknowledge_by);
        line += "  ·  in force from " + format_date(t.item.effective);
        if (!t.item.summary.empty()) line += "\n" + t.item.summary;
        const std::string warning = t.overdue ? "Overdue" : "";
        if (list_row(state, t.item.title, line, warning, "r" + t.item.slug)) {
            open_policy(state, library, platform, t.item.slug);
            return;
        }
    }

    // For the people who keep policies correct: those past their review-by date.
    if (!n.due_for_review.empty()) {
        ImGui::Dummy(ImVec2(1, 8));
        wrapped_text(f.h3 ? f.h3 : f.bold, p.text, "Due for review", column_wrap(width), SemanticRole::heading, 2);
        // A library long unreviewed would push everything else off the screen: the few
        // longest overdue, and the rest on request.
        constexpr size_t kDueShown = 5;
        const size_t shown = n.all_due_shown ? n.due_for_review.size() : std::min(kDueShown, n.due_for_review.size());
        for (size_t i = 0; i < shown; ++i) {
            const StoredArticle& a = n.due_for_review[i];
            std::string line = "Review was due on " + format_date(a.article.review_by) + "  ·  owner " + a.article.owner;
            if (!a.reviewed_at.empty()) line += "  ·  last confirmed " + format_date(a.reviewed_at);
            if (list_row(state, a.article.title, line, "", "d" + a.article.slug)) {
                open_policy(state, library, platform, a.article.slug);
                return;
            }
        }
        if (n.due_for_review.size() > kDueShown) {
            const std::string more = n.all_due_shown ? std::string("Show fewer")
                                                     : "Show all " + std::to_string(n.due_for_review.size()) + " due for review";
            if (action_button(state, nullptr, more.c_str())) n.all_due_shown = !n.all_due_shown;
        }
    }

    // For owners: how their must-read versions are being acknowledged (from the server).
    if (state.account.signed_in && state.account.role != "staff") {
        ImGui::Dummy(ImVec2(1, 8));
        wrapped_text(f.h3 ? f.h3 : f.bold, p.text, "Acknowledgements", column_wrap(width), SemanticRole::heading, 2);
        const ReportState& rs = state.report;
        if (rs.loading) wrapped_text(f.body, p.muted, "Asking the server...", column_wrap(width), SemanticRole::status);
        if (!rs.error.empty()) wrapped_text(f.body, p.warning, rs.error, column_wrap(width), SemanticRole::status);
        if (!rs.loading && rs.error.empty() && rs.versions.empty())
            wrapped_text(f.body, p.muted, "No must-read versions in your categories.", column_wrap(width));
        for (const AcknowledgementReport& v : rs.versions) {
            std::string line = "Version " + std::to_string(v.version) + "  ·  " + std::to_string(v.acknowledged) + " acknowledged, " +
                               std::to_string(v.pending) + " not yet";
            if (!v.acknowledge_by.empty()) line += "  ·  due " + format_date(v.acknowledge_by);
            const std::string warning = v.overdue > 0 ? std::to_string(v.overdue) + " overdue" : "";
            if (list_row(state, v.title, line, warning, "a" + v.slug)) {
                Route r;
                r.screen = Screen::report;
                r.slug = v.slug;
                navigate(state, library, r, platform);
                return;
            }
        }
    }

    if (state.account.signed_in && state.account.role != "staff" && draw_missed_searches(state, library, width)) return;

    ImGui::Dummy(ImVec2(1, 8));
    wrapped_text(f.h3 ? f.h3 : f.bold, p.text, "Published lately", column_wrap(width), SemanticRole::heading, 2);
    if (n.recent.empty()) wrapped_text(f.body, p.muted, "Nothing has been published on this device yet.", column_wrap(width));
    for (const PublishedChange& c : n.recent) {
        std::string line = "Version " + std::to_string(c.version) + "  ·  published " + format_date(c.published_at) +
                           "  ·  in force from " + format_date(c.effective);
        if (c.must_acknowledge) line += "  ·  must be acknowledged";
        if (!c.summary.empty()) line += "\n" + c.summary;
        const std::string mark = c.seq > n.seen_seq ? "New" : "";
        if (list_row(state, c.title, line, mark, "c" + std::to_string(c.seq))) {
            open_policy(state, library, platform, c.slug);
            return;
        }
    }
    ImGui::Dummy(ImVec2(1, 24));
}

}  // namespace handbook::ui
