// The reader: one policy with its facts (owner, effective and review dates, version),
// its body drawn from Markdown with the search words marked, links to other policies
// followed in the app. A header row that does not scroll keeps "Back", the contents
// (jump to a section of a long policy) and copying in reach: copy the words dragged
// over (text_selection.h), or the tapped passage, or the link. Escape goes back.
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>

#include "app_actions.h"
#include "server_answer.h"
#include "core/text_diff.h"
#include <nlohmann/json.hpp>
#include "fonts.h"
#include "icons.h"
#include "markdown_view.h"
#include "rich_text.h"
#include "screens.h"
#include "widgets.h"

namespace handbook::ui {

namespace {

constexpr const char* kNbsp = "\xC2\xA0";  // no line break here (a space to the layout, not to wrapping)

std::string glued(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == ' ') out += kNbsp;
        else out += c;
    }
    return out;
}

// One fact ("icon Owner Customer Service") as one unbreakable piece: a line may end
// between facts, never between an icon and its label or a label and its value.
void fact(std::vector<RichRun>& runs, const AppState& state, const char* icon, const std::string& label,
          const std::string& value) {
    const Palette& p = colors(state);
    if (!runs.empty()) runs.push_back({"      ", state.fonts.small, p.muted});
    runs.push_back({std::string(icon) + kNbsp + kNbsp + glued(label) + kNbsp, state.fonts.small, p.muted});
    runs.push_back({glued(value), state.fonts.small_bold, p.text});
}

bool came_from_search(const AppState& state) {
    return !state.search.query.empty() || !state.search.category.empty() || !state.search.tag.empty();
}

void go_back(AppState& state, Library& library) {
    if (came_from_search(state)) {
        state.screen = Screen::search;
        state.search.focus_box = !state.touch;  // no surprise keyboard on a tablet
    } else {
        go_home(state, library);
    }
}

// The headings a reader can jump to (levels 1-3), as block indexes.
std::vector<int> contents_of(const MarkdownDocument& doc) {
    std::vector<int> out;
    for (size_t i = 0; i < doc.blocks.size(); ++i)
        if (doc.blocks[i].kind == BlockKind::heading && doc.blocks[i].level <= 3) out.push_back(static_cast<int>(i));
    return out;
}

std::string heading_text(const Block& block) { return block_text(block); }

// A header button: icon and label, or the icon alone where the row is narrow (the label
// still names it for the test hook and the tooltip).
bool header_button(AppState& state, const char* icon, const char* label, bool words, bool enabled = true) {
    if (words) return action_button(state, icon, label, enabled);
    const float h = control_height(state);
    ImGui::PushID(label);
    if (!enabled) ImGui::BeginDisabled();
    const bool pressed = ImGui::Button(icon, ImVec2(h, h));
    if (!enabled) ImGui::EndDisabled();
    ImGui::PopID();
    if (enabled) note_widget(state, label);
    if (ImGui::IsItemHovered() && !state.touch) ImGui::SetTooltip("%s", label);
    return pressed && enabled;
}

void copy_choice(AppState& state, const UiPlatform& platform) {
    ReaderState& r = state.reader;
    if (!r.selection.empty()) {
        copy_with_toast(state, platform, selected_text(r.selection), "Copied");
        return;
    }
    if (r.selected_block < 0 || r.selected_block >= static_cast<int>(r.document.blocks.size()) || !r.article) return;
    std::string text = block_text(r.document.blocks[static_cast<size_t>(r.selected_block)]);
    copy_with_toast(state, platform,
                    text + "\n\n(" + r.article->article.title + ", " + platform.app_url + format_route(current_route(state)) + ")",
                    "Passage copied");
}

}  // namespace

float reader_header_height(const AppState& state) { return control_height(state) + 20; }

void draw_reader_header(AppState& state, Library& library, const UiPlatform& platform, float width) {
    ReaderState& r = state.reader;
    const bool words = width >= 560;

    // Escape leaves the article (a popup open as the frame began takes its Escape; the
    // search box takes its own).
    if (!state.popup_was_open && !state.search.box_active && ImGui::IsKeyPressedMap(ImGuiKey_Escape, false)) {
        go_back(state, library);
        return;
    }

    ImGui::Dummy(ImVec2(1, 10));
    const float start_x = ImGui::GetCursorPosX();
    const char* back = came_from_search(state) ? (words ? "Back to results" : "Back") : "Home";
    if (action_button(state, icon::kArrowLeft, back)) {
        go_back(state, library);
        return;
    }
    const std::vector<int> contents = r.article ? contents_of(r.document) : std::vector<int>{};
    if (contents.size() >= 2) {
        ImGui::SameLine();
        if (header_button(state, icon::kList, "Contents", words)) ImGui::OpenPopup("contents");
        ImGui::SetNextWindowPos(ImVec2(ImGui::GetItemRectMin().x, ImGui::GetItemRectMax().y + 6));  // under the button
        ImGui::SetNextWindowSizeConstraints(ImVec2(280, 0), ImVec2(std::max(280.0f, std::min(width, 460.0f)), 520));
        if (ImGui::BeginPopup("contents")) {
            if (ImGui::IsKeyPressedMap(ImGuiKey_Escape, false)) ImGui::CloseCurrentPopup();
            semantics::open(SemanticRole::navigation, "Contents", "contents");
            ImGui::Dummy(ImVec2(1, 4));
            const float row_h = state.touch ? kTouchTarget : 32.0f;
            for (int index : contents) {
                const Block& block = r.document.blocks[static_cast<size_t>(index)];
                const std::string label = heading_text(block);
                ImGui::PushID(index);
                ImGui::SetCursorPosX(8 + 16.0f * static_cast<float>(std::max(0, block.level - 2)));
                ImFont* font = block.level <= 2 ? state.fonts.bold : state.fonts.body;
                ImGui::PushFont(font);
                const bool current = label == r.section;
                if (ImGui::Selectable(label.c_str(), current, 0, ImVec2(0, row_h))) {
                    r.jump_to_block = index;
                    r.jump_frames = 4;
                    ImGui::CloseCurrentPopup();
                }
                ImGui::PopFont();
                note_widget(state, label, SemanticRole::link);
                ImGui::PopID();
            }
            ImGui::Dummy(ImVec2(1, 4));
            semantics::close();
            ImGui::EndPopup();
        }
    }

    // Any day's version ("as in force on"): the form opens under the facts.
    if (r.article) {
        ImGui::SameLine();
        if (header_button(state, icon::kCalendar, "As in force on a date", false)) {
            r.as_of_open = !r.as_of_open;
            if (r.as_of_open) std::snprintf(r.as_of_input.data(), r.as_of_input.size(), "%s", state.today.c_str());
        }
    }

    // Policy owners: change it, or see its versions.
    if (r.article && state.account.signed_in && state.account.role != "staff") {
        ImGui::SameLine();
        if (action_button(state, nullptr, "Edit")) {
            Route to;
            to.screen = Screen::edit;
            to.slug = r.slug;
            navigate(state, library, to, platform);
            return;
        }
        ImGui::SameLine();
        if (header_button(state, icon::kHistory, "History", words)) {
            Route to;
            to.screen = Screen::history;
            to.slug = r.slug;
            navigate(state, library, to, platform);
            return;
        }
    }

    // Copying, at the right end of the row.
    if (r.article) {
        const bool can_copy = !r.selection.empty() ||
                              (r.selected_block >= 0 && r.selected_block < static_cast<int>(r.document.blocks.size()));
        const float h = control_height(state);
        auto button_w = [&](const char* icon, const char* label) {
            return words ? ImGui::CalcTextSize((std::string(icon) + "  " + label).c_str()).x + 28 : h;
        };
        const float copy_w = button_w(icon::kCopy, "Copy"), link_w = button_w(icon::kLink, "Copy link");
        ImGui::SameLine();
        ImGui::SameLine(std::max(ImGui::GetCursorPosX(), start_x + width - copy_w - link_w - ImGui::GetStyle().ItemSpacing.x));
        if (header_button(state, icon::kCopy, "Copy", words, can_copy)) copy_choice(state, platform);
        ImGui::SameLine();
        if (header_button(state, icon::kLink, "Copy link", words))
            copy_with_toast(state, platform, platform.app_url + format_route(current_route(state)), "Link copied");
    }
}

// "As in force on <date>": any day's version from those the device holds, by typing a
// date; a notice says which version is shown, and a button returns to today's. True when
// the reader switched versions (the frame ends there).
bool draw_as_in_force(AppState& state, Library& library, float width) {
    ReaderState& r = state.reader;
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    if (!r.as_of.empty() && r.as_of_version) {
        wrapped_text(f.bold, p.warning, "As in force on " + format_date(r.as_of) + ": version " + std::to_string(r.as_of_version->version) +
                                            ", in force from " + format_date(r.as_of_version->article.effective) + ".", column_wrap(width), SemanticRole::status);
        if (action_button(state, icon::kArrowLeft, "Back to today's version")) {
            read_as_in_force(state, library, "");
            return true;
        }
        return false;
    }
    if (!r.as_of_open) return false;  // opened by the header's calendar button
    ImGui::TextUnformatted("As in force on (YYYY-MM-DD)");
    ImGui::SetNextItemWidth(std::min(width, 220.0f));
    const bool entered = ImGui::InputText("##as-of", r.as_of_input.data(), r.as_of_input.size(), ImGuiInputTextFlags_EnterReturnsTrue);
    if (SemanticNode* n = note_widget(state, "As in force on (YYYY-MM-DD)", SemanticRole::text_field)) n->value = r.as_of_input.data();
    ImGui::SameLine();
    if (action_button(state, nullptr, "Show", true, true) || entered) {
        read_as_in_force(state, library, r.as_of_input.data());
        if (!r.as_of.empty()) return true;
    }
    ImGui::SameLine();
    if (action_button(state, nullptr, "Cancel")) r.as_of_open = false;
    if (!r.as_of_message.empty()) wrapped_text(f.body, p.warning, r.as_of_message, column_wrap(width), SemanticRole::status);
    return false;
}

// A change this person must read and acknowledge: says so (due date, overdue), and offers
// what changed since the version they last acknowledged, marked within the lines.
void draw_must_read_banner(AppState& state, Library& library, const ToRead& must, int shown_version, float width) {
    ReaderState& r = state.reader;
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    ImGui::Dummy(ImVec2(1, 6));
    std::string said = "You must read and acknowledge version " + std::to_string(must.item.version) + " of this policy";
    if (!must.item.acknowledge_by.empty()) said += " by " + format_date(must.item.acknowledge_by);
    said += must.overdue ? " (overdue)." : ".";
    if (must.item.version != shown_version)
        said += " It is the version that comes into force on " + format_date(must.item.effective) + ": Read the new version, above.";
    wrapped_text(f.bold, p.warning, said, column_wrap(width), SemanticRole::status);
    if (must.last_acknowledged <= 0 || must.item.version != shown_version) return;
    const std::string label = r.show_changes ? "Show the whole policy"
                                             : "Show what changed since version " + std::to_string(must.last_acknowledged);
    if (action_button(state, icon::kHistory, label.c_str())) {
        r.show_changes = !r.show_changes;
        if (r.show_changes && (r.changes_from != must.last_acknowledged || r.changes_to != must.item.version)) {
            // From the versions this device holds: offline too.
            auto before = article_version(library.db, r.slug, must.last_acknowledged);
            auto after = article_version(library.db, r.slug, must.item.version);
            if (before && after && before->has_value() && after->has_value()) {
                r.changes = diff_view_of(diff_articles((*before)->article, (*after)->article));
                r.changes_from = must.last_acknowledged;
                r.changes_to = must.item.version;
            } else {
                r.show_changes = false;
                state.news.message = "Version " + std::to_string(must.last_acknowledged) + " is not on this device to compare with.";
            }
        }
    }
}

// A year on from `date` (YYYY-MM-DD; the 29th of February becomes the 28th).
std::string a_year_after(const std::string& date) {
    if (date.size() != 10 || date.find_first_not_of("0123456789-") != std::string::npos || date[4] != '-') return date;
    std::string out = std::to_string(std::stoi(date.substr(0, 4)) + 1) + date.substr(4);
    if (out.substr(5) == "02-29") out = out.substr(0, 5) + "02-28";
    return out;
}

// Review dates: readers see a policy past its review-by date marked, and when it was last
// confirmed still correct; its owners (editors, approvers) confirm it without a new
// version, which moves the date on (the server records it in the audit log and sends it
// to every device).
void draw_review_state(AppState& state, const UiPlatform& platform, const StoredArticle& shown, float width) {
    ReaderState& r = state.reader;
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    const Article& a = shown.article;
    const bool due = !state.today.empty() && !a.review_by.empty() && a.review_by < state.today;
    if (due) wrapped_text(f.bold, p.warning, "Due for review since " + format_date(a.review_by) + ": its owner has not confirmed it is still correct.", column_wrap(width), SemanticRole::status);
    if (!shown.reviewed_at.empty())
        wrapped_text(f.small, p.muted, "Last confirmed still correct on " + format_date(shown.reviewed_at) +
                                           (shown.reviewed_by.empty() ? "" : " by " + shown.reviewed_by) + ".", column_wrap(width));
    const bool owner = state.account.signed_in && state.account.role != "staff" && platform.api;
    if (!owner) return;
    if (!r.confirm_open) {
        if (action_button(state, icon::kCheck, "Confirm still correct")) {
            r.confirm_open = true;
            const std::string next = a_year_after(state.today.empty() ? a.review_by : state.today);
            std::snprintf(r.confirm_date.data(), r.confirm_date.size(), "%s", next.c_str());
        }
    } else {
        ImGui::TextUnformatted("Next review (YYYY-MM-DD)");
        ImGui::SetNextItemWidth(std::min(width, 220.0f));
        ImGui::InputText("##next-review", r.confirm_date.data(), r.confirm_date.size());
        if (SemanticNode* n = note_widget(state, "Next review", SemanticRole::text_field)) n->value = r.confirm_date.data();
        if (action_button(state, nullptr, "Confirm", !r.confirm_busy, true)) {
            r.confirm_busy = true;
            r.confirm_message.clear();
            const std::string slug = r.slug, date = r.confirm_date.data();
            platform.api("POST", "api/articles/" + slug + "/confirm-review", nlohmann::json{{"review_by", date}}.dump(),
                         [&state, &platform, slug, date](int status, const std::string& body) {
                             ReaderState& rd = state.reader;
                             if (rd.slug != slug) return;
                             rd.confirm_busy = false;
                             if (status == 200) {
                                 rd.confirm_open = false;
                                 rd.confirm_message = "Confirmed still correct; the next review is on " + format_date(date) + ".";
                                 if (platform.content_changed) platform.content_changed();  // the device gets it through the feed
                                 return;
                             }
                             rd.confirm_message = "Not confirmed: " + server_said(status, body) + ".";
                         });
        }
        ImGui::SameLine();
        if (action_button(state, nullptr, "Cancel")) r.confirm_open = false;
    }
    if (!r.confirm_message.empty()) wrapped_text(f.body, p.muted, r.confirm_message, column_wrap(width), SemanticRole::status);
}

// The end of a must-read version: "I have read and understood".
void draw_acknowledge(AppState& state, Library& library, const UiPlatform& platform, const ToRead& must, float width) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    ImGui::Dummy(ImVec2(1, 8));
    ImVec2 line = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddLine(line, ImVec2(line.x + width, line.y), p.border);
    ImGui::Dummy(ImVec2(1, 12));
    wrapped_text(f.body, p.text, "Staff must read and acknowledge this version. Acknowledging works offline too: it is sent when the network is back.", column_wrap(width));
    if (action_button(state, icon::kCheck, "I have read and understood", true, true)) {
        acknowledge_reading(state, library, platform, must);
        state.toast = "Acknowledged";
        state.toast_until = ImGui::GetTime() + 2.5;
    }
}

// Whether what is read is in force: a policy whose first version comes later, a new
// version on its way (with a way to read it), or that new version being read. True when
// the reader switched versions (the frame ends there).
bool draw_in_force_notice(AppState& state, float width) {
    ReaderState& r = state.reader;
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    if (r.article->article.status == "upcoming") {
        ImGui::Dummy(ImVec2(1, 6));
        wrapped_text(f.bold, p.warning, "This policy comes into force on " + format_date(r.article->article.effective) +
                                            ". Until then it does not apply.", column_wrap(width), SemanticRole::status);
        return false;
    }
    if (r.upcoming.empty()) return false;
    ImGui::Dummy(ImVec2(1, 6));
    if (r.reading_upcoming == 0) {
        const ArticleVersion& next = r.upcoming.front();
        std::string notice = "A new version comes into force on " + format_date(next.article.effective) + ".";
        if (!next.change_note.empty()) notice += " What changes: " + next.change_note;
        wrapped_text(f.bold, p.warning, notice, column_wrap(width), SemanticRole::status);
        if (action_button(state, icon::kCalendar, "Read the new version")) {
            read_upcoming_version(state, next.version);
            return true;
        }
        return false;
    }
    std::string date;
    for (const ArticleVersion& v : r.upcoming)
        if (v.version == r.reading_upcoming) date = format_date(v.article.effective);
    wrapped_text(f.bold, p.warning, "You are reading the version that comes into force on " + date +
                                        ". Until then, the version in force applies.", column_wrap(width), SemanticRole::status);
    if (action_button(state, icon::kArrowLeft, "Back to the version in force")) {
        read_upcoming_version(state, 0);
        return true;
    }
    return false;
}

void draw_reader_screen(AppState& state, Library& library, const UiPlatform& platform, float width) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    ReaderState& r = state.reader;

    // A section chosen in the contents: scrolled to for a few frames, as the text above it
    // may settle to another height once it comes into view (tables are laid out when seen).
    if (r.jump_to_block >= 0) {
        if (r.jump_to_block < static_cast<int>(r.block_top.size()))
            ImGui::SetScrollY(std::max(0.0f, r.block_top[static_cast<size_t>(r.jump_to_block)] - 12));
        if (--r.jump_frames <= 0) r.jump_to_block = -1;
        state.animating = true;  // the scroll lands in the next frame
    }

    ImGui::Dummy(ImVec2(1, 8));
    if (!r.article) {
        wrapped_text(f.h2, p.text, "Policy not found", 0, SemanticRole::heading, 1);
        wrapped_text(f.body, p.muted, r.error);
        return;
    }
    // The version read: the one in force, or one to come opened from the notice.
    const ArticleVersion* coming = nullptr;
    for (const ArticleVersion& v : r.upcoming)
        if (v.version == r.reading_upcoming) coming = &v;
    if (!coming && r.as_of_version) coming = &*r.as_of_version;  // as in force on a past (or any) date
    const Article& a = coming ? coming->article : r.article->article;
    const int version = coming ? coming->version : r.article->version;
    const std::string updated = coming ? coming->created_at : r.article->updated_at;

    // Category above the title, as a link to browse it.
    if (chip(state, a.category, 0, false, browse_route(a.category, ""))) {
        set_query(state, library, "");
        set_filters(state, library, a.category, "");
        return;
    }
    ImGui::Dummy(ImVec2(1, 2));
    std::vector<RichRun> title;
    append_highlighted(title, a.title, RichRun{{}, f.h1, p.text}, r.terms);
    RichLayout tl = layout_rich_text(title, width, 1.3f);
    const ImVec2 title_at = ImGui::GetCursorScreenPos();
    draw_rich_text(ImGui::GetWindowDrawList(), tl, title, title_at, p);
    if (SemanticNode* n = semantics::area(SemanticRole::heading, a.title, title_at.x, title_at.y, tl.size.x, tl.size.y, "title"))
        n->level = 1;
    ImGui::Dummy(tl.size);
    ImGui::Dummy(ImVec2(1, 4));

    std::vector<RichRun> facts;
    fact(facts, state, icon::kUser, "Owner", a.owner);
    fact(facts, state, icon::kCalendar, "Effective", format_date(a.effective));
    fact(facts, state, icon::kClock, "Review by", format_date(a.review_by));
    fact(facts, state, icon::kHistory, "Version", std::to_string(version));
    fact(facts, state, icon::kRefresh, "Updated", format_date(updated));
    RichLayout fl = layout_rich_text(facts, width, 1.7f);
    const ImVec2 facts_at = ImGui::GetCursorScreenPos();
    draw_rich_text(ImGui::GetWindowDrawList(), fl, facts, facts_at, p);
    semantics::area(SemanticRole::paragraph,
                    "Owner " + a.owner + ". Effective " + format_date(a.effective) + ". Review by " + format_date(a.review_by) +
                        ". Version " + std::to_string(version) + ". Updated " + format_date(updated) + ".",
                    facts_at.x, facts_at.y, fl.size.x, fl.size.y, "facts");
    ImGui::Dummy(fl.size);

    if (!a.tags.empty()) {
        ImGui::Dummy(ImVec2(1, 2));
        float x0 = ImGui::GetCursorPosX();
        std::string chosen;
        for (size_t i = 0; i < a.tags.size(); ++i) {
            if (i > 0) {
                ImGui::SameLine(0, 6);
                if (ImGui::GetCursorPosX() + ImGui::CalcTextSize(a.tags[i].c_str()).x + 40 > x0 + width) ImGui::NewLine();
            }
            if (ImGui::GetCursorPosX() < x0) ImGui::SetCursorPosX(x0);
            if (chip(state, a.tags[i], 0, false, browse_route("", a.tags[i]))) chosen = a.tags[i];
        }
        if (!chosen.empty()) {
            set_query(state, library, "");
            set_filters(state, library, "", chosen);
            return;
        }
    }

    if (coming == nullptr) draw_review_state(state, platform, *r.article, width);
    if (draw_as_in_force(state, library, width)) return;
    if (r.as_of.empty() && draw_in_force_notice(state, width)) return;
    const ToRead* must = to_read_for_reader(state);
    if (must && r.as_of.empty()) draw_must_read_banner(state, library, *must, version, width);

    ImGui::Dummy(ImVec2(1, 6));
    const char* hint = state.touch ? "Tap a paragraph to select it, or hold a word and drag to select part of it."
                                   : "Click a paragraph to select it, or drag over words to select them; Ctrl+C copies.";
    wrapped_text(f.small, p.muted, hint);
    ImGui::Dummy(ImVec2(1, 6));
    ImVec2 line = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddLine(line, ImVec2(line.x + width, line.y), p.border);
    ImGui::Dummy(ImVec2(1, 12));

    MarkdownEvents ev;
    if (r.show_changes && must) draw_diff(state, r.changes, width);
    else ev = draw_markdown(state, r.document, r.terms, r.selected_block, width, &r.selection, &r.block_top);
    if (must && must->item.version == version) {
        const ToRead item = *must;  // acknowledging reloads the list it points into
        draw_acknowledge(state, library, platform, item, width);
    } else if (!state.news.message.empty() && r.slug == state.news.message_slug) {
        wrapped_text(f.body, p.muted, state.news.message, 0, SemanticRole::status);  // what became of it
    }
    ImGui::Dummy(ImVec2(1, 48));

    // Selecting text: after the body, whose texts are now registered for this frame.
    bool take_press = false;
    const bool body_hovered = ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) && ev.link.empty();
    if (update_selection(r.selection, state.touch, body_hovered, &take_press)) {
        state.animating = true;
        // Dragging past the top or bottom of the view scrolls it.
        const ImRect clip = ImGui::GetCurrentWindow()->ClipRect;
        const float y = ImGui::GetIO().MousePos.y;
        if (y < clip.Min.y + 24) ImGui::SetScrollY(std::max(0.0f, ImGui::GetScrollY() - 12));
        if (y > clip.Max.y - 24) ImGui::SetScrollY(std::min(ImGui::GetScrollMaxY(), ImGui::GetScrollY() + 12));
    }
    if (take_press) state.scroll = {};  // a finger selecting does not scroll
    const ImGuiIO& io = ImGui::GetIO();
    if ((io.KeyCtrl || io.KeySuper) && ImGui::IsKeyPressedMap(ImGuiKey_C, false) && !state.search.box_active) copy_choice(state, platform);

    // The section at the top of the view (the contents marks it).
    r.section.clear();
    const float top = ImGui::GetScrollY() + 24;
    for (int index : contents_of(r.document))
        if (index < static_cast<int>(r.block_top.size()) && r.block_top[static_cast<size_t>(index)] <= top)
            r.section = heading_text(r.document.blocks[static_cast<size_t>(index)]);

    if (!ev.link.empty()) {
        std::string slug = article_slug_of_link(ev.link);
        if (!slug.empty()) {
            open_article(state, library, slug);
        } else if (is_external_link(ev.link)) {
            if (platform.open_external) platform.open_external(ev.link);
        }
    } else if (ev.tapped_block >= 0) {
        r.selected_block = r.selected_block == ev.tapped_block ? -1 : ev.tapped_block;
    }
}

}  // namespace handbook::ui
