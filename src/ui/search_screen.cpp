// Search results: one card per hit (title and snippet with the matched words marked,
// category, owner, last update), "showing results for" after a correction, filters
// by category and tag, keyboard selection, and an empty state that helps.
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>

#include "app_actions.h"
#include "fonts.h"
#include "icons.h"
#include "rich_text.h"
#include "screens.h"
#include "widgets.h"

namespace handbook::ui {

namespace {

// "New version from 1 Jan 2027" (the version in force is what opens), or "Comes into
// force on 1 Jan 2027" for a policy none of whose versions is in force yet.
std::string coming_into_force_label(const SearchHit& hit) {
    if (hit.coming_on.empty()) return {};
    return (hit.in_force ? "New version from " : "Comes into force on ") + format_date(hit.coming_on);
}

bool hit_card(AppState& state, const SearchHit& hit, bool selected, float width) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    const float pad = 18;
    std::vector<RichRun> title;
    append_ranges(title, hit.title, RichRun{{}, f.h3, p.text}, hit.title_highlights);
    std::string meta_text = std::string(icon::kFolder) + "  " + hit.category + "     " + icon::kUser + "  " + hit.owner +
                            "     " + icon::kClock + "  Updated " + format_date(hit.updated_at);
    std::vector<RichRun> meta{{meta_text, f.small, p.muted}};
    // A version not in force yet (its text is searched too): when it comes.
    const std::string coming = coming_into_force_label(hit);
    if (!coming.empty()) meta.push_back({"     " + std::string(icon::kCalendar) + "  " + coming, f.small, p.warning});
    // The snippet spans lines of the article: shown as one passage (same byte offsets).
    std::string passage = hit.snippet;
    std::replace(passage.begin(), passage.end(), '\n', ' ');
    std::vector<RichRun> snippet;
    append_ranges(snippet, passage, RichRun{{}, f.body, p.text}, hit.snippet_highlights);

    float inner = width - 2 * pad;
    RichLayout tl = layout_rich_text(title, inner, 1.35f);
    RichLayout ml = layout_rich_text(meta, inner, 1.4f);
    RichLayout sl = layout_rich_text(snippet, inner, 1.5f);
    float h = pad + tl.size.y + ml.size.y + 6 + sl.size.y + pad - 6;

    semantics::open(SemanticRole::list_item, hit.title, hit.slug);
    ImGui::PushID(hit.slug.c_str());
    bool pressed = ImGui::InvisibleButton("hit", ImVec2(width, h));
    ImGui::PopID();
    bool hovered = ImGui::IsItemHovered();
    ImVec2 o = ImGui::GetItemRectMin();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(o, ImVec2(o.x + width, o.y + h), hovered ? p.surface_hover : p.surface, 12);
    draw->AddRect(o, ImVec2(o.x + width, o.y + h), selected ? p.accent : p.border, 12, 0, selected ? 2.0f : 1.0f);
    float y = o.y + pad - 6;
    draw_rich_text(draw, tl, title, ImVec2(o.x + pad, y), p);
    y += tl.size.y;
    draw_rich_text(draw, ml, meta, ImVec2(o.x + pad, y), p);
    y += ml.size.y + 6;
    draw_rich_text(draw, sl, snippet, ImVec2(o.x + pad, y), p);
    if (SemanticNode* n = note_widget(state, hit.title, SemanticRole::link)) {
        n->target = article_route(hit.slug);
        n->description = hit.category + ", owned by " + hit.owner + ", updated " + format_date(hit.updated_at) +
                         (coming.empty() ? "" : ". " + coming);
    }
    if (!passage.empty()) semantics::area(SemanticRole::paragraph, passage, o.x + pad, y, sl.size.x, sl.size.y);
    semantics::close();
    return pressed;
}

// A filter drop-down drawn like the app's other controls (a rounded field with an icon,
// the choice and a chevron), not ImGui's grey combo box. Its list is a popup under it;
// Escape closes it (ImGui 1.86 does that only with keyboard navigation, which is off).
bool filter_dropdown(AppState& state, const char* id, const char* icon, const char* all_label,
                     const std::vector<CountedName>& names, std::string* value, float width) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    bool changed = false;
    const float h = control_height(state);
    const std::string preview = value->empty() ? std::string(all_label) : *value;
    ImGui::PushID(id);
    const bool pressed = ImGui::InvisibleButton("field", ImVec2(width, h));
    const bool open = ImGui::IsPopupOpen("list");
    if (SemanticNode* n = note_widget(state, id)) {
        n->expanded = open;
        n->value = preview;
        n->description = "Filter: " + preview;
    }
    const ImVec2 a = ImGui::GetItemRectMin(), z = ImGui::GetItemRectMax();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const bool chosen = !value->empty();
    draw->AddRectFilled(a, z, ImGui::IsItemHovered() || open ? p.surface_hover : chosen ? p.accent_soft : p.surface, 8);
    draw->AddRect(a, z, open || chosen ? p.accent : p.border, 8, 0, open ? 2.0f : 1.0f);
    const float px = font_size(f.body), sx = font_size(f.small);
    const float ty = a.y + (h - px) * 0.5f;
    draw->AddText(f.small, sx, ImVec2(a.x + 14, a.y + (h - sx) * 0.5f), chosen ? p.accent : p.muted, icon);
    const float text_x = a.x + 14 + sx * 1.6f;
    const float chevron_w = f.small->CalcTextSizeA(sx, FLT_MAX, 0, icon::kChevronDown).x;
    draw->PushClipRect(ImVec2(text_x, a.y), ImVec2(z.x - chevron_w - 20, z.y), true);
    draw->AddText(f.body, px, ImVec2(text_x, ty), p.text, preview.c_str());
    draw->PopClipRect();
    draw->AddText(f.small, sx, ImVec2(z.x - chevron_w - 14, a.y + (h - sx) * 0.5f), p.muted, icon::kChevronDown);
    if (pressed) ImGui::OpenPopup("list");

    ImGui::SetNextWindowPos(ImVec2(a.x, z.y + 4));
    ImGui::SetNextWindowSizeConstraints(ImVec2(std::max(width, 240.0f), 0), ImVec2(std::max(width, 320.0f), 420));
    if (ImGui::BeginPopup("list")) {
        if (ImGui::IsKeyPressedMap(ImGuiKey_Escape, false)) ImGui::CloseCurrentPopup();
        semantics::open(SemanticRole::dialog, all_label, "list");
        const float row_h = state.touch ? kTouchTarget : 34.0f;
        ImGui::Dummy(ImVec2(1, 4));
        auto row = [&](const std::string& label, int count, bool selected) {
            ImGui::PushID(label.c_str());
            ImGui::SetCursorPosX(6);
            const float w = ImGui::GetWindowWidth() - 12;
            const bool hit = ImGui::InvisibleButton("row", ImVec2(w, row_h));
            const ImVec2 ra = ImGui::GetItemRectMin(), rz = ImGui::GetItemRectMax();
            ImDrawList* list = ImGui::GetWindowDrawList();
            if (selected || ImGui::IsItemHovered()) list->AddRectFilled(ra, rz, selected ? p.accent_soft : p.surface_hover, 6);
            list->AddText(selected ? f.bold : f.body, px, ImVec2(ra.x + 10, ra.y + (row_h - px) * 0.5f), p.text, label.c_str());
            if (count > 0) {
                const std::string n = std::to_string(count);
                const float nw = f.small->CalcTextSizeA(sx, FLT_MAX, 0, n.c_str()).x;
                list->AddText(f.small, sx, ImVec2(rz.x - nw - 10, ra.y + (row_h - sx) * 0.5f), p.muted, n.c_str());
            }
            ImGui::PopID();
            return hit;
        };
        if (row(all_label, 0, value->empty())) {
            value->clear();
            changed = true;
            ImGui::CloseCurrentPopup();
        }
        if (SemanticNode* node = note_widget(state, all_label, SemanticRole::toggle)) node->checked = value->empty();
        for (const CountedName& n : names) {
            if (row(n.name, n.count, *value == n.name)) {
                *value = n.name;
                changed = true;
                ImGui::CloseCurrentPopup();
            }
            if (SemanticNode* node = note_widget(state, n.name, SemanticRole::toggle)) node->checked = *value == n.name;
        }
        ImGui::Dummy(ImVec2(1, 4));
        semantics::close();
        ImGui::EndPopup();
    }
    ImGui::PopID();
    return changed;
}

// Words of the query no policy has: said, rather than silently left out (they were) or
// "corrected" into words nobody meant.
std::string unknown_words_sentence(const std::vector<std::string>& words) {
    std::string list;
    for (size_t i = 0; i < words.size(); ++i) {
        if (i > 0) list += i + 1 == words.size() ? " and " : ", ";
        list += "\"" + words[i] + "\"";
    }
    return (words.size() == 1 ? "No policy has the word " : "No policy has the words ") + list;
}

void empty_state(AppState& state, Library& library, float width) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    SearchState& s = state.search;
    ImGui::Dummy(ImVec2(1, 24));
    float ip = font_size(f.icon_large);
    ImVec2 at = ImGui::GetCursorScreenPos();
    draw_text(ImGui::GetWindowDrawList(), f.icon_large, ip, at, p.border, icon::kSearch);
    ImGui::Dummy(ImVec2(ip, ip + 8));
    std::string headline = s.query.empty() ? "No policies here yet" : "Nothing matched \"" + s.query + "\"";
    const float wrap_x = ImGui::GetCursorPosX() + width;  // the column, not the window's edge
    wrapped_text(f.h2, p.text, headline, wrap_x, SemanticRole::heading, 1);
    std::string advice = "Try fewer words, or another word for the same thing (\"money back\" for refund).";
    if (!s.results.unknown_words.empty())
        advice = unknown_words_sentence(s.results.unknown_words) + ", and none is close enough to be a typo. " + advice;
    if (!s.category.empty() || !s.tag.empty()) advice = "The filters narrow the search. " + advice;
    wrapped_text(f.body, p.muted, advice, wrap_x);
    if (!s.category.empty() || !s.tag.empty()) {
        ImGui::Dummy(ImVec2(1, 4));
        if (action_button(state, icon::kFilter, "Search all categories and tags")) set_filters(state, library, "", "");
    }
    if (!s.query.empty() && !state.home.tags.empty()) {
        // Words that do find something: the tags staff use most.
        ImGui::Dummy(ImVec2(1, 12));
        wrapped_text(f.small_bold, p.muted, "TRY", 0, SemanticRole::heading, 2);
        ImGui::Dummy(ImVec2(1, 2));
        float x0 = ImGui::GetCursorPosX();
        std::string chosen;
        size_t shown = std::min<size_t>(state.home.tags.size(), 8);
        for (size_t i = 0; i < shown; ++i) {
            const CountedName& t = state.home.tags[i];
            if (i > 0) {
                ImGui::SameLine(0, 8);
                if (ImGui::GetCursorPosX() + ImGui::CalcTextSize(t.name.c_str()).x + 40 > x0 + width) ImGui::NewLine();
            }
            if (ImGui::GetCursorPosX() < x0) ImGui::SetCursorPosX(x0);
            if (chip(state, t.name, 0, false, search_route(t.name))) chosen = t.name;
        }
        if (!chosen.empty()) {
            set_filters(state, library, "", "");
            set_query(state, library, chosen);
            return;
        }
    }
    if (!state.home.categories.empty()) {
        ImGui::Dummy(ImVec2(1, 12));
        wrapped_text(f.small_bold, p.muted, "BROWSE BY CATEGORY", 0, SemanticRole::heading, 2);
        ImGui::Dummy(ImVec2(1, 2));
        float x0 = ImGui::GetCursorPosX();
        std::string chosen;
        for (size_t i = 0; i < state.home.categories.size(); ++i) {
            const CountedName& c = state.home.categories[i];
            if (i > 0) {
                ImGui::SameLine(0, 8);
                if (ImGui::GetCursorPosX() + ImGui::CalcTextSize(c.name.c_str()).x + 60 > x0 + width) ImGui::NewLine();
            }
            if (ImGui::GetCursorPosX() < x0) ImGui::SetCursorPosX(x0);
            if (chip(state, c.name, c.count, false, browse_route(c.name, ""))) chosen = c.name;
        }
        if (!chosen.empty()) {
            set_query(state, library, "");
            set_filters(state, library, chosen, "");
        }
    }
}

}  // namespace

void draw_search_screen(AppState& state, Library& library, float width) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    SearchState& s = state.search;
    const int count = static_cast<int>(s.results.hits.size());
    // Said by the twin's live region when it changes: "12 results for refnd, showing
    // results for 'refund' instead of 'refnd'".
    {
        std::string say = count == 0 ? "No results" : count == 1 ? "1 result" : std::to_string(count) + " results";
        if (!s.query.empty()) say += " for " + s.query;
        if (!s.results.showing_results_for.empty())
            say += ", showing results for '" + s.results.showing_results_for + "' instead of '" + s.query + "'";
        if (!s.results.unknown_words.empty()) say += ". " + unknown_words_sentence(s.results.unknown_words);
        semantics::announce(say);
    }

    // Keyboard: arrows move the selection, Enter opens it (also from inside the box).
    if (!ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId) && count > 0) {
        if (ImGui::IsKeyPressedMap(ImGuiKey_DownArrow)) {
            s.selected = std::min(count - 1, s.selected + 1);
            s.scroll_to_selected = true;
        }
        if (ImGui::IsKeyPressedMap(ImGuiKey_UpArrow)) {
            s.selected = std::max(0, s.selected - 1);
            s.scroll_to_selected = true;
        }
        if (ImGui::IsKeyPressedMap(ImGuiKey_Enter) || ImGui::IsKeyPressedMap(ImGuiKey_KeyPadEnter)) {
            open_article(state, library, s.results.hits[std::clamp(s.selected, 0, count - 1)].slug);
            return;
        }
    }

    ImGui::Dummy(ImVec2(1, 14));
    // Filters and the count on one row.
    float combo_w = std::min(260.0f, (width - 8) * 0.5f);
    std::string category = s.category, tag = s.tag;
    bool changed = filter_dropdown(state, "category", icon::kFolder, "All categories", state.home.categories, &category, combo_w);
    ImGui::SameLine();
    changed |= filter_dropdown(state, "tag", icon::kTag, "All tags", state.home.tags, &tag, combo_w);
    if (changed) {
        // The results drawn below are the old ones (and their count): draw the new next frame.
        set_filters(state, library, category, tag);
        state.animating = true;
        return;
    }
    if (width > 2 * combo_w + 200) {
        ImGui::SameLine();
        // The engine returns at most kResultLimit: a full page means "these are the best".
        std::string n = count == 0                 ? "No results"
                        : count == 1               ? "1 result"
                        : count >= kResultLimit    ? "Best " + std::to_string(count) + " matches"
                                                   : std::to_string(count) + " results";
        float tw = ImGui::CalcTextSize(n.c_str()).x;
        ImVec2 at = ImGui::GetCursorScreenPos();
        float right = at.x + std::max(0.0f, width - 2 * combo_w - 8 - 8);
        ImGui::GetWindowDrawList()->AddText(ImVec2(right - tw, at.y + (control_height(state) - ImGui::GetFontSize()) * 0.5f),
                                            p.muted, n.c_str());
        ImGui::Dummy(ImVec2(1, control_height(state)));
    }
    ImGui::Dummy(ImVec2(1, 2));

    if (s.query.empty() && (!s.category.empty() || !s.tag.empty())) {
        // Browsing: say what is listed.
        ImGui::Dummy(ImVec2(1, 4));
        std::string heading = !s.category.empty() ? s.category : "Tagged \"" + s.tag + "\"";
        if (!s.category.empty() && !s.tag.empty()) heading += ", tagged \"" + s.tag + "\"";
        wrapped_text(f.h2, p.text, heading, 0, SemanticRole::heading, 1);
        ImGui::Dummy(ImVec2(1, 4));
    }
    if (!s.results.showing_results_for.empty()) {
        std::vector<RichRun> line{{std::string(icon::kInfo) + "  Showing results for ", f.body, p.muted},
                                  {s.results.showing_results_for, f.bold, p.text}};
        RichLayout l = layout_rich_text(line, width);
        ImVec2 o = ImGui::GetCursorScreenPos();
        draw_rich_text(ImGui::GetWindowDrawList(), l, line, o, p);
        std::string said;
        for (const RichRun& run : line) said += run.text;
        semantics::area(SemanticRole::paragraph, said.substr(said.find_first_not_of(' ', said.find(' '))), o.x, o.y, l.size.x, l.size.y);
        ImGui::Dummy(l.size);
        ImGui::Dummy(ImVec2(1, 2));
    }
    if (!s.results.unknown_words.empty() && count > 0) {
        const char* them = s.results.unknown_words.size() == 1 ? "it" : "them";
        std::vector<RichRun> line{{std::string(icon::kInfo) + "  " + unknown_words_sentence(s.results.unknown_words) +
                                       ": showing results without " + them + ".", f.body, p.muted}};
        RichLayout l = layout_rich_text(line, width);
        ImVec2 o = ImGui::GetCursorScreenPos();
        draw_rich_text(ImGui::GetWindowDrawList(), l, line, o, p);
        std::string said;
        for (const RichRun& run : line) said += run.text;
        semantics::area(SemanticRole::paragraph, said.substr(said.find_first_not_of(' ', said.find(' '))), o.x, o.y, l.size.x, l.size.y);
        ImGui::Dummy(l.size);
        ImGui::Dummy(ImVec2(1, 2));
    }
    if (!s.error.empty()) wrapped_text(f.body, p.warning, "Search failed: " + s.error, 0, SemanticRole::status);

    if (count == 0) {
        empty_state(state, library, width);
        return;
    }
    std::string open;
    s.visible_from = count;
    s.visible_to = -1;
    const ImRect clip = ImGui::GetCurrentWindow()->ClipRect;
    semantics::open(SemanticRole::list, "Results", "results");
    for (int i = 0; i < count; ++i) {
        // Passages the search left for later are read when the first such card starts less
        // than a screen below the view, a screenful at a time (cards above were read on the
        // way down, or are read now after a jump: a card's height settles before it is seen).
        const SearchHit& hit = s.results.hits[i];
        if (hit.passage_pending && ImGui::GetCursorScreenPos().y < clip.Max.y + clip.GetHeight()) {
            Status st = library.engine.read_passages(s.results, static_cast<size_t>(i), kPassagesAtOnce);
            if (!st && s.error.empty()) s.error = st.error;
        }
        if (hit_card(state, hit, i == s.selected, width)) {
            open = s.results.hits[i].slug;
            s.selected = i;
        }
        ImRect r(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
        if (clip.Overlaps(r)) {
            s.visible_from = std::min(s.visible_from, i);
            s.visible_to = std::max(s.visible_to, i);
        }
        if (i == s.selected && s.scroll_to_selected) {
            if (r.Min.y < clip.Min.y || r.Max.y > clip.Max.y) ImGui::SetScrollHereY(r.Min.y < clip.Min.y ? 0.0f : 1.0f);
            s.scroll_to_selected = false;
        }
        ImGui::Dummy(ImVec2(1, 2));
    }
    semantics::close();
    ImGui::Dummy(ImVec2(1, 24));
    if (!open.empty()) open_article(state, library, open);
}

}  // namespace handbook::ui
