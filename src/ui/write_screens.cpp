// The write side's screens besides the editor: My drafts (#/drafts), Waiting for review
// (#/review), one draft's review (#/review/<id>) and an article's history
// (#/history/<slug>). State and requests are review.cpp's.
#include <imgui.h>

#include <algorithm>

#include "app_actions.h"
#include "editor.h"
#include "fonts.h"
#include "icons.h"
#include "markdown_view.h"
#include "review.h"
#include "screens.h"
#include "widgets.h"

namespace handbook::ui {

namespace {

std::string state_words(const std::string& state) {
    if (state == "draft") return "Draft";
    if (state == "in_review") return "In review";
    if (state == "returned") return "Returned with a comment";
    if (state == "published") return "Published";
    if (state == "discarded") return "Discarded";
    return state;
}

void go(AppState& state, Library& library, const UiPlatform& platform, Route route) { navigate(state, library, route, platform); }

void loading_or_error(AppState& state, bool loading, const std::string& error) {
    const Palette& p = colors(state);
    if (loading) wrapped_text(state.fonts.body, p.muted, "Asking the server...", 0, SemanticRole::status);
    if (!error.empty()) wrapped_text(state.fonts.body, p.warning, error, 0, SemanticRole::status);
}

}  // namespace

// A diff: the fields that changed, then the body's lines (added green-ish, removed
// struck in the warning colour, changed lines with their insertions and deletions marked).
void draw_diff(AppState& state, const DiffView& diff, float width) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    const ImU32 added_bg = state.settings.dark ? IM_COL32(30, 90, 50, 255) : IM_COL32(214, 240, 220, 255);
    const ImU32 removed_bg = state.settings.dark ? IM_COL32(110, 40, 40, 255) : IM_COL32(250, 222, 222, 255);
    for (const FieldChangeView& fc : diff.fields)
        wrapped_text(f.body, p.text, fc.field + ": \"" + fc.before + "\" -> \"" + fc.after + "\"");
    if (diff.lines.empty() && diff.fields.empty()) wrapped_text(f.body, p.muted, "No change.");
    auto lines = [](int n) { return std::to_string(n) + (n == 1 ? " line " : " lines "); };
    wrapped_text(f.small, p.muted, lines(diff.added) + "added, " + lines(diff.removed) + "removed, " + lines(diff.changed) + "changed");
    ImDrawList* draw = ImGui::GetWindowDrawList();
    int same_run = 0;
    for (size_t i = 0; i < diff.lines.size(); ++i) {
        const DiffLineView& l = diff.lines[i];
        // Long unchanged stretches fold to their first and last line.
        if (l.kind == ' ') {
            const bool near_change = (i > 0 && diff.lines[i - 1].kind != ' ') || (i + 1 < diff.lines.size() && diff.lines[i + 1].kind != ' ');
            if (!near_change) {
                if (same_run++ == 0) wrapped_text(f.small, p.muted, "...");
                continue;
            }
        }
        same_run = 0;
        const char* mark = l.kind == '+' ? "+ " : l.kind == '-' ? "- " : l.kind == '~' ? "~ " : "  ";
        std::string text;
        if (l.kind == '~') {
            for (const DiffSpanView& s : l.spans) text += s.kind == '+' ? "[+" + s.text + "+]" : s.kind == '-' ? "[-" + s.text + "-]" : s.text;
        } else {
            text = l.text;
        }
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float wrap = width - 24;
        const ImVec2 size = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap);
        const ImU32 bg = l.kind == '+' ? added_bg : l.kind == '-' ? removed_bg : l.kind == '~' ? (state.settings.dark ? IM_COL32(80, 70, 30, 255) : IM_COL32(250, 242, 205, 255)) : 0;
        if (bg) draw->AddRectFilled(at, ImVec2(at.x + width, at.y + size.y + 4), bg, 4);
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(p.text));
        ImGui::TextUnformatted(mark);
        ImGui::SameLine(0, 0);
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
        ImGui::TextUnformatted(text.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
        // What a screen reader says: the kind of change, then the line.
        const char* said = l.kind == '+' ? "Added: " : l.kind == '-' ? "Removed: " : l.kind == '~' ? "Changed: " : "";
        semantics::item(SemanticRole::paragraph, std::string(said) + text);
    }
}

namespace {


void draw_drafts_list(AppState& state, Library& library, const UiPlatform& platform, float width) {
    DraftsScreen& s = state.drafts;
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    ImGui::Dummy(ImVec2(1, 16));
    if (!s.reviews_only) {
        wrapped_text(f.h1 ? f.h1 : f.bold, p.text, "My drafts", 0, SemanticRole::heading, 1);
        if (state.account.role != "staff" && state.account.signed_in && action_button(state, nullptr, "New policy", true, true)) {
            Route r;
            r.screen = Screen::edit;
            go(state, library, platform, r);
            return;
        }
        ImGui::Dummy(ImVec2(1, 8));
        if (!s.damaged.empty()) wrapped_text(f.body, p.warning, s.damaged, width, SemanticRole::status);
        if (s.local.empty()) wrapped_text(f.body, p.muted, "No drafts on this device.");
        for (const LocalDraft& d : s.local) {
            std::string where = d.unsent() ? (d.server_id ? "Changes only on this device (not sent yet)" : "Only on this device (not sent yet)")
                                           : "Saved on the server";
            std::string line = state_words(d.state) + "  ·  " + where + "  ·  " + format_local_date_time(d.updated_at);
            if (list_row(state, d.content.title, line, d.note.empty() ? "" : (d.state == "returned" ? "Comment: " : "Not taken: ") + d.note,
                         d.client_id)) {
                Route r;
                r.screen = Screen::edit;
                r.draft = d.client_id;
                go(state, library, platform, r);
                return;
            }
        }
        // The person's drafts made elsewhere (another device).
        bool heading = false;
        for (const ServerDraft& d : s.server) {
            const bool here = std::any_of(s.local.begin(), s.local.end(), [&](const LocalDraft& l) { return l.client_id == d.client_id; });
            if (here) continue;
            if (!heading) {
                wrapped_text(f.h3 ? f.h3 : f.bold, p.text, "On the server", 0, SemanticRole::heading, 2);
                heading = true;
            }
            list_row(state, d.title, state_words(d.state) + "  ·  " + d.kind + "  ·  " + format_local_date_time(d.updated_at),
                     d.review_comment.empty() ? "" : "Comment: " + d.review_comment, "s" + std::to_string(d.id));
        }
    }
    if (state.account.role == "approver" || state.account.role == "admin" || s.reviews_only) {
        ImGui::Dummy(ImVec2(1, 8));
        wrapped_text(s.reviews_only ? (f.h1 ? f.h1 : f.bold) : (f.h3 ? f.h3 : f.bold), p.text, "Waiting for review", 0, SemanticRole::heading,
                     s.reviews_only ? 1 : 2);
        if (!s.loading && s.waiting.empty() && s.error.empty()) wrapped_text(f.body, p.muted, "Nothing is waiting for your review.");
        for (const ServerDraft& d : s.waiting) {
            const std::string what = d.kind == "archive" ? "Withdraw" : d.kind == "revert" ? "Bring back version " + std::to_string(d.revert_of) : (d.base_version ? "Change" : "New policy");
            if (list_row(state, d.title, what + " by " + d.author + "  ·  " + format_local_date_time(d.updated_at), "", "w" + std::to_string(d.id))) {
                Route r;
                r.screen = Screen::review;
                r.review = d.id;
                go(state, library, platform, r);
                return;
            }
            if (!d.summary.empty()) wrapped_text(f.body, p.text, "\"" + d.summary + "\"");
        }
    }
    if (!state.account.signed_in) wrapped_text(f.body, p.warning, "Sign in to see your drafts on the server and what waits for your review.");
    loading_or_error(state, s.loading, s.error);
    (void)width;
}

void draw_review(AppState& state, Library& library, const UiPlatform& platform, float width) {
    ReviewState& r = state.review;
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    ImGui::Dummy(ImVec2(1, 12));
    if (back_button(state, library, platform, "Waiting for review", Screen::review)) return;
    loading_or_error(state, r.loading, r.error);
    if (r.loading || !r.error.empty()) return;
    wrapped_text(f.h1 ? f.h1 : f.bold, p.text, r.content.title, 0, SemanticRole::heading, 1);
    wrapped_text(f.small, p.muted,
                 (r.live_version ? "Changes version " + std::to_string(r.live_version) : std::string("A new policy")) + "  ·  by " + r.draft.author +
                     "  ·  " + state_words(r.draft.state));
    ImGui::Dummy(ImVec2(1, 6));
    wrapped_text(f.bold, p.text, "What changed and why", 0, SemanticRole::heading, 2);
    wrapped_text(f.body, p.text, r.draft.summary.empty() ? "(none given)" : r.draft.summary);
    ImGui::Dummy(ImVec2(1, 6));

    ImGui::Dummy(ImVec2(1, 12));
    const bool may_review = state.account.role == "approver" || state.account.role == "admin";
    if (r.draft.state == "in_review" && may_review) {
        wrapped_text(f.bold, p.text, "Publish", 0, SemanticRole::heading, 2);
        const float h = control_height(state);
        ImGui::TextUnformatted("Comes into force (YYYY-MM-DD, empty: as written)");
        ImGui::SetNextItemWidth(180);
        ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(10, (h - ImGui::GetFontSize()) * 0.5f));
        ImGui::InputTextWithHint("##effective", "YYYY-MM-DD", r.effective.data(), r.effective.size(), ImGuiInputTextFlags_CharsNoBlank);
        ImGui::PopStyleVar();
        if (SemanticNode* n = note_widget(state, "Comes into force", SemanticRole::text_field)) n->value = r.effective.data();
        ImGui::Checkbox("Staff must read and acknowledge it", &r.must_acknowledge);
        if (SemanticNode* n = note_widget(state, "Staff must read and acknowledge it", SemanticRole::toggle)) n->checked = r.must_acknowledge;
        if (r.must_acknowledge) {
            ImGui::TextUnformatted("Acknowledge by (YYYY-MM-DD, optional)");
            ImGui::SetNextItemWidth(180);
            ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(10, (h - ImGui::GetFontSize()) * 0.5f));
            ImGui::InputTextWithHint("##due", "YYYY-MM-DD", r.acknowledge_by.data(), r.acknowledge_by.size(), ImGuiInputTextFlags_CharsNoBlank);
            ImGui::PopStyleVar();
            if (SemanticNode* n = note_widget(state, "Acknowledge by", SemanticRole::text_field)) n->value = r.acknowledge_by.data();
        }
        if (action_button(state, nullptr, r.busy ? "Publishing" : "Publish", !r.busy, true)) publish_reviewed(state, library, platform);
        ImGui::SameLine();
        if (action_button(state, nullptr, "Return with a comment", !r.busy)) r.return_dialog = !r.return_dialog;
        if (r.return_dialog) {
            ImGui::TextUnformatted("Comment for the author");
            ImGui::InputTextMultiline("##comment", r.comment.data(), r.comment.size(), ImVec2(width, h * 2.5f));
            if (SemanticNode* n = note_widget(state, "Comment for the author", SemanticRole::text_field)) {
                n->multiline = true;
                n->value = r.comment.data();
            }
            if (action_button(state, nullptr, "Return to author", !r.busy)) return_reviewed(state, library, platform);
        }
    }
    if (!r.message.empty()) {
        wrapped_text(f.body, p.warning, r.message, 0, SemanticRole::status);
        semantics::announce_status(r.message);
    }
    semantics::open(SemanticRole::navigation, "Changes or preview", "tabs");
    if (ImGui::RadioButton("Changes", !r.show_preview)) r.show_preview = false;
    if (SemanticNode* n = note_widget(state, "Changes", SemanticRole::toggle)) n->checked = !r.show_preview;
    ImGui::SameLine(0, 16);
    if (ImGui::RadioButton("Preview", r.show_preview)) r.show_preview = true;
    if (SemanticNode* n = note_widget(state, "Preview", SemanticRole::toggle)) n->checked = r.show_preview;
    semantics::close();
    ImGui::Dummy(ImVec2(1, 4));
    if (r.show_preview) draw_markdown(state, r.preview, {}, -1, width);
    else draw_diff(state, r.diff, width);

    if (r.conflict) {
        wrapped_text(f.bold, p.text, "What the live version changed meanwhile", 0, SemanticRole::heading, 2);
        draw_diff(state, r.conflict_diff, width);
    }
    ImGui::Dummy(ImVec2(1, 24));
}

}  // namespace

void draw_drafts_screen(AppState& state, Library& library, const UiPlatform& platform, float width) {
    draw_drafts_list(state, library, platform, width);
}

void draw_review_screen(AppState& state, Library& library, const UiPlatform& platform, float width) {
    if (state.review.id == 0) draw_drafts_list(state, library, platform, width);
    else draw_review(state, library, platform, width);
}

void draw_history_screen(AppState& state, Library& library, const UiPlatform& platform, float width) {
    HistoryState& h = state.history;
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    ImGui::Dummy(ImVec2(1, 12));
    if (back_button(state, library, platform, "Back to the policy", Screen::article, h.slug)) return;
    wrapped_text(f.h1 ? f.h1 : f.bold, p.text, "History", 0, SemanticRole::heading, 1);
    loading_or_error(state, h.loading, h.error);
    if (!h.versions.empty()) wrapped_text(f.small, p.muted, "Choose two versions to see what changed between them.");
    const bool may_revert = state.account.signed_in && state.account.role != "staff";
    for (size_t i = 0; i < h.versions.size(); ++i) {
        const HistoryVersion& v = h.versions[i];
        ImGui::PushID(v.version);
        bool chosen = h.from == v.version || h.to == v.version;
        const std::string label = "Version " + std::to_string(v.version);
        if (ImGui::Checkbox(label.c_str(), &chosen)) {
            int a = h.from, b = h.to;
            if (chosen) {
                if (a == 0) a = v.version;
                else if (b == 0) b = v.version;
                else a = v.version;  // a third choice replaces the older pick
            } else {
                if (a == v.version) a = 0;
                if (b == v.version) b = 0;
            }
            if (a && b) compare_versions(state, platform, a, b);
            else {
                h.from = a ? a : b;
                h.to = 0;
                h.diff = {};
            }
        }
        if (SemanticNode* n = note_widget(state, "Compare " + label, SemanticRole::toggle)) n->checked = chosen;
        ImGui::SameLine();
        if (ImGui::SmallButton("Open")) show_version(state, platform, v.version);
        note_widget(state, "Open " + label);
        if (may_revert && i > 0) {
            ImGui::SameLine();
            if (ImGui::SmallButton("Bring back")) {
                h.revert_dialog = true;
                h.shown_version = v.version;
                show_version(state, platform, v.version);
            }
            note_widget(state, "Bring back " + label);
        }
        std::string line = format_local_date_time(v.published_at) + "  ·  by " + (v.author.empty() ? "?" : v.author);
        if (!v.approver.empty()) line += ", approved by " + v.approver;
        if (!v.effective.empty()) line += "  ·  in force from " + format_date(v.effective);
        if (v.must_acknowledge) line += "  ·  must be acknowledged";
        wrapped_text(f.small, p.muted, line);
        if (!v.summary.empty()) wrapped_text(f.body, p.text, v.summary);
        ImGui::Dummy(ImVec2(1, 6));
        ImGui::PopID();
    }
    if (h.from && h.to) {
        wrapped_text(f.h3 ? f.h3 : f.bold, p.text, "Version " + std::to_string(h.from) + " to " + std::to_string(h.to), 0, SemanticRole::heading, 2);
        loading_or_error(state, h.diff_loading, h.diff_error);
        if (!h.diff_loading && h.diff_error.empty()) draw_diff(state, h.diff, width);
    }
    if (h.revert_dialog && h.shown_version) {
        wrapped_text(f.h3 ? f.h3 : f.bold, p.text, "Bring back version " + std::to_string(h.shown_version), 0, SemanticRole::heading, 2);
        ImGui::TextUnformatted("Why (staff read it in \"What's new\")");
        ImGui::InputTextMultiline("##why", h.revert_summary.data(), h.revert_summary.size(), ImVec2(width, control_height(state) * 2));
        if (SemanticNode* n = note_widget(state, "Why this version comes back", SemanticRole::text_field)) {
            n->multiline = true;
            n->value = h.revert_summary.data();
        }
        if (action_button(state, nullptr, "Send for review", true, true)) request_revert(state, platform, h.shown_version);
        ImGui::SameLine();
        if (action_button(state, nullptr, "Cancel")) h.revert_dialog = false;
    }
    if (!h.message.empty()) wrapped_text(f.body, p.warning, h.message, 0, SemanticRole::status);
    if (h.shown) {
        ImGui::Dummy(ImVec2(1, 8));
        wrapped_text(f.h2 ? f.h2 : f.bold, p.text, "Version " + std::to_string(h.shown_version) + " as it was: " + h.shown->title, 0,
                     SemanticRole::heading, 2);
        draw_markdown(state, h.shown_document, {}, -1, width);
    }
    ImGui::Dummy(ImVec2(1, 24));
}

}  // namespace handbook::ui
