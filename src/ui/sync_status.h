// What the screens say about the device's copy of the policies (AppState::sync): a short
// status for the top bar, and the lines of its details ("Policies as of ..."), shown in a
// popup a tap opens (tooltips do not exist on touch) and on home.
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

#include "app_state.h"

namespace handbook::ui {

// stale: nothing confirmed fresh for longer than the freshness window (SyncStatus::as_of).
enum class SyncBadge { stale, offline, updating, up_to_date, unknown };

SyncBadge sync_badge(const SyncStatus& sync);
const char* sync_badge_label(SyncBadge badge);  // "Policies not confirmed lately", "Offline", "Updating", "Up to date", "Sync status"

// "Policies as of 4 Dec 2026, 17:50" (local time of SyncStatus::confirmed_at), or, when
// the server has never confirmed this device's copy, a sentence that says so.
std::string policies_as_of(const SyncStatus& sync);

// The status popup's lines: the badge's meaning, the host's message, policies_as_of.
std::vector<std::string> sync_details(const SyncStatus& sync);

// The popup `popup_id` (opened by the caller with ImGui::OpenPopup) with sync_details,
// placed at `at` (`pivot` (1, 0): its top right corner there); Escape closes it.
void draw_sync_details_popup(AppState& state, const char* popup_id, ImVec2 at, ImVec2 pivot);

}  // namespace handbook::ui
