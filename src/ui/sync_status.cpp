#include "sync_status.h"

#include <imgui.h>
#include <imgui_internal.h>

#include "widgets.h"

namespace handbook::ui {

SyncBadge sync_badge(const SyncStatus& sync) {
    if (!sync.as_of.empty()) return SyncBadge::stale;
    if (sync.offline) return SyncBadge::offline;
    if (sync.syncing) return SyncBadge::updating;
    if (!sync.confirmed_at.empty()) return SyncBadge::up_to_date;
    return SyncBadge::unknown;
}

const char* sync_badge_label(SyncBadge badge) {
    switch (badge) {
    case SyncBadge::stale: return "Policies not confirmed lately";
    case SyncBadge::offline: return "Offline";
    case SyncBadge::updating: return "Updating";
    case SyncBadge::up_to_date: return "Up to date";
    case SyncBadge::unknown: break;
    }
    return "Sync status";
}

std::string policies_as_of(const SyncStatus& sync) {
    if (sync.confirmed_at.empty()) return "The server has not confirmed the policies on this device yet.";
    return "Policies as of " + format_local_date_time(sync.confirmed_at);
}

std::vector<std::string> sync_details(const SyncStatus& sync) {
    std::vector<std::string> lines;
    switch (sync_badge(sync)) {
    case SyncBadge::stale:
        lines.push_back("The server has not confirmed these policies for some hours: they may have changed since. " +
                        std::string(sync.offline ? "The server cannot be reached." : ""));
        break;
    case SyncBadge::offline: lines.push_back("Offline: the server cannot be reached. Search and reading work from this device's copy."); break;
    case SyncBadge::updating: lines.push_back("Checking for new and changed policies..."); break;
    case SyncBadge::up_to_date: lines.push_back("Up to date with the server."); break;
    case SyncBadge::unknown: break;
    }
    if (!sync.message.empty() && sync.message != "Up to date") lines.push_back(sync.message);
    lines.push_back(policies_as_of(sync));
    return lines;
}

void draw_sync_details_popup(AppState& state, const char* popup_id, ImVec2 at, ImVec2 pivot) {
    // Under what opened it (ImGui would put it at the pointer, over the bar's buttons).
    ImGui::SetNextWindowPos(at, ImGuiCond_Always, pivot);
    if (!ImGui::BeginPopup(popup_id)) return;
    semantics::open(SemanticRole::dialog, "Sync status", popup_id);
    // ImGui 1.86 closes popups on Escape only with keyboard navigation, which is off.
    if (ImGui::IsKeyPressedMap(ImGuiKey_Escape, false)) ImGui::CloseCurrentPopup();
    const Palette& p = colors(state);
    ImGui::Dummy(ImVec2(12 + 300 + 12, 4));  // the text's width and a margin each side
    ImGui::Indent(12);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 300);
    const std::vector<std::string> lines = sync_details(state.sync);
    for (size_t i = 0; i < lines.size(); ++i) {
        wrapped_text(i == 0 ? state.fonts.bold : state.fonts.body, i == 0 ? p.text : p.muted, lines[i]);
    }
    ImGui::PopTextWrapPos();
    ImGui::Unindent(12);
    ImGui::Dummy(ImVec2(1, 8));
    semantics::close();
    ImGui::EndPopup();
}

}  // namespace handbook::ui
