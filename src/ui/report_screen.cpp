// The owners' report of one must-read version (#/report/<slug>): the counts, then every
// person with whether and when they acknowledged (the time on their device, and when it
// reached the server), overdue marked, and the CSV the server makes of it. Asked of the
// server when opened (reports need the network).
#include <imgui.h>

#include "app_actions.h"
#include "app_state.h"
#include "icons.h"
#include "news.h"
#include "screens.h"
#include "theme.h"
#include "widgets.h"

namespace handbook::ui {

void draw_report_screen(AppState& state, Library& library, const UiPlatform& platform, float width) {
    const ReportState& rs = state.report;
    const AcknowledgementReport& r = rs.shown;
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    ImGui::Dummy(ImVec2(1, 16));
    if (back_button(state, library, platform, "What's new", Screen::news)) return;
    ImGui::Dummy(ImVec2(1, 8));
    wrapped_text(f.h1 ? f.h1 : f.bold, p.text, "Acknowledgements: " + (r.title.empty() ? r.slug : r.title), column_wrap(width), SemanticRole::heading, 1);
    if (rs.loading) wrapped_text(f.body, p.muted, "Asking the server...", column_wrap(width), SemanticRole::status);
    if (!rs.error.empty()) wrapped_text(f.body, p.warning, rs.error, column_wrap(width), SemanticRole::status);
    if (r.version == 0) return;
    std::string line = "Version " + std::to_string(r.version);
    if (!r.acknowledge_by.empty()) line += "  ·  acknowledge by " + format_date(r.acknowledge_by);
    if (!r.summary.empty()) line += "  ·  " + r.summary;
    wrapped_text(f.body, p.muted, line, column_wrap(width));
    wrapped_text(f.bold, p.text,
                 std::to_string(r.acknowledged) + " acknowledged, " + std::to_string(r.pending) + " not yet, " + std::to_string(r.overdue) +
                     " overdue", column_wrap(width), SemanticRole::status);
    if (action_button(state, icon::kExternal, "Download CSV") && platform.open_external)
        platform.open_external(platform.app_url + "api/reports/acknowledgements?slug=" + r.slug + "&format=csv");
    ImGui::Dummy(ImVec2(1, 8));

    // One row a person: name, role and store; then where they stand.
    for (const AcknowledgementRow& row : r.rows) {
        std::string who = row.user + "  ·  " + row.role;
        if (!row.store.empty()) who += "  ·  " + row.store;
        std::string where;
        if (!row.acknowledged_at.empty())
            where = "Acknowledged " + format_local_date_time(row.acknowledged_at) + " on their device, received " +
                    format_local_date_time(row.received_at);
        else
            where = row.overdue ? "Overdue: not acknowledged" : "Not yet acknowledged";
        wrapped_text(f.bold, p.text, who, column_wrap(width));
        wrapped_text(f.small, row.overdue && row.acknowledged_at.empty() ? p.warning : p.muted, where, column_wrap(width));
        ImGui::Dummy(ImVec2(1, 6));
    }
    ImGui::Dummy(ImVec2(1, 24));
}

}  // namespace handbook::ui
