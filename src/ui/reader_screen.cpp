// The reader: one policy with its facts (owner, effective and review dates, version),
// its body drawn from Markdown with the search words marked, links to other policies
// followed in the app, and copying of the link or a selected passage.
#include <imgui.h>

#include <algorithm>

#include "app_actions.h"
#include "fonts.h"
#include "icons.h"
#include "markdown_view.h"
#include "rich_text.h"
#include "screens.h"
#include "widgets.h"

namespace handbook::ui {

namespace {

void fact(std::vector<RichRun>& runs, const AppState& state, const char* icon, const std::string& label,
          const std::string& value) {
    const Palette& p = colors(state);
    if (!runs.empty()) runs.push_back({"      ", state.fonts.small, p.muted});
    runs.push_back({std::string(icon) + "  " + label + " ", state.fonts.small, p.muted});
    runs.push_back({value, state.fonts.small_bold, p.text});
}

}  // namespace

void draw_reader_screen(AppState& state, Library& library, const UiPlatform& platform, float width) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    ReaderState& r = state.reader;

    ImGui::Dummy(ImVec2(1, 12));
    const bool from_search = !state.search.query.empty() || !state.search.category.empty() || !state.search.tag.empty();
    if (action_button(state, icon::kArrowLeft, from_search ? "Back to results" : "Home")) {
        if (from_search) {
            state.screen = Screen::search;
            state.search.focus_box = !state.touch;  // no surprise keyboard on a tablet
        } else {
            go_home(state, library);
        }
        return;
    }
    ImGui::Dummy(ImVec2(1, 6));

    if (!r.article) {
        wrapped_text(f.h2, p.text, "Policy not found");
        wrapped_text(f.body, p.muted, r.error);
        return;
    }
    const Article& a = r.article->article;

    // Category above the title, as a link to browse it.
    if (chip(state, a.category, 0, false)) {
        set_query(state, library, "");
        set_filters(state, library, a.category, "");
        return;
    }
    ImGui::Dummy(ImVec2(1, 2));
    std::vector<RichRun> title;
    append_highlighted(title, a.title, RichRun{{}, f.h1, p.text}, r.terms);
    RichLayout tl = layout_rich_text(title, width, 1.3f);
    draw_rich_text(ImGui::GetWindowDrawList(), tl, title, ImGui::GetCursorScreenPos(), p);
    ImGui::Dummy(tl.size);
    ImGui::Dummy(ImVec2(1, 4));

    std::vector<RichRun> facts;
    fact(facts, state, icon::kUser, "Owner", a.owner);
    fact(facts, state, icon::kCalendar, "Effective", format_date(a.effective));
    fact(facts, state, icon::kClock, "Review by", format_date(a.review_by));
    fact(facts, state, icon::kHistory, "Version", std::to_string(r.article->version));
    fact(facts, state, icon::kRefresh, "Updated", format_date(r.article->updated_at));
    RichLayout fl = layout_rich_text(facts, width, 1.7f);
    draw_rich_text(ImGui::GetWindowDrawList(), fl, facts, ImGui::GetCursorScreenPos(), p);
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
            if (chip(state, a.tags[i], 0, false)) chosen = a.tags[i];
        }
        if (!chosen.empty()) {
            set_query(state, library, "");
            set_filters(state, library, "", chosen);
            return;
        }
    }

    ImGui::Dummy(ImVec2(1, 4));
    if (action_button(state, icon::kLink, "Copy link")) {
        copy_with_toast(state, platform, platform.app_url + format_route(current_route(state)), "Link copied");
    }
    ImGui::SameLine();
    const bool has_passage = r.selected_block >= 0 && r.selected_block < static_cast<int>(r.document.blocks.size());
    if (action_button(state, icon::kCopy, "Copy passage", has_passage)) {
        std::string text = block_text(r.document.blocks[r.selected_block]);
        copy_with_toast(state, platform, text + "\n\n(" + a.title + ", " + platform.app_url + format_route(current_route(state)) + ")",
                        "Passage copied");
    }
    if (!has_passage && width > 560) {
        ImGui::SameLine();
        const char* hint = state.touch ? "Tap a paragraph to select it" : "Click a paragraph to select it";
        ImVec2 at = ImGui::GetCursorScreenPos();
        float px = font_size(f.small);
        ImGui::GetWindowDrawList()->AddText(f.small, px, ImVec2(at.x + 4, at.y + (control_height(state) - px) * 0.5f), p.muted, hint);
        ImGui::Dummy(ImVec2(1, control_height(state)));
    }
    ImGui::Dummy(ImVec2(1, 8));
    ImVec2 line = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddLine(line, ImVec2(line.x + width, line.y), p.border);
    ImGui::Dummy(ImVec2(1, 12));

    MarkdownEvents ev = draw_markdown(state, r.document, r.terms, r.selected_block, width);
    ImGui::Dummy(ImVec2(1, 48));

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
