// Home: what a person sees before typing: recently updated policies, the categories
// and the most used tags, each with how many policies it holds.
#include <imgui.h>

#include <algorithm>

#include "app_actions.h"
#include "fonts.h"
#include "icons.h"
#include "rich_text.h"
#include "screens.h"
#include "sync_status.h"
#include "widgets.h"

namespace handbook::ui {

namespace {

void section_title(AppState& state, const char* title) {
    ImGui::Dummy(ImVec2(1, 10));
    wrapped_text(state.fonts.h3, colors(state).text, title, 0, SemanticRole::heading, 2);
    ImGui::Dummy(ImVec2(1, 2));
}

// A card for one article: title, then category and date. Returns true when tapped.
bool article_card(AppState& state, const StoredArticle& a, float width) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    std::vector<RichRun> title{{a.article.title, f.bold, p.text}};
    std::string meta_text = std::string(icon::kFolder) + "  " + a.article.category + "     " + icon::kClock + "  Updated " +
                            format_date(a.updated_at);
    std::vector<RichRun> meta{{meta_text, f.small, p.muted}};
    const float pad = 16;
    RichLayout tl = layout_rich_text(title, width - 2 * pad - 20, 1.35f);
    RichLayout ml = layout_rich_text(meta, width - 2 * pad, 1.35f);
    float h = std::max(pad + tl.size.y + 2 + ml.size.y + pad - 4, kTouchTarget);
    ImGui::PushID(a.article.slug.c_str());
    bool pressed = ImGui::InvisibleButton("card", ImVec2(width, h));
    ImGui::PopID();
    ImVec2 o = ImGui::GetItemRectMin();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(o, ImVec2(o.x + width, o.y + h), ImGui::IsItemHovered() ? p.surface_hover : p.surface, 10);
    draw->AddRect(o, ImVec2(o.x + width, o.y + h), p.border, 10);
    draw_rich_text(draw, tl, title, ImVec2(o.x + pad, o.y + pad - 4), p);
    draw_rich_text(draw, ml, meta, ImVec2(o.x + pad, o.y + pad - 4 + tl.size.y + 2), p);
    float cp = font_size(f.small);
    draw->AddText(f.small, cp, ImVec2(o.x + width - pad - cp, o.y + (h - cp) * 0.5f), p.muted, icon::kChevronRight);
    if (SemanticNode* n = note_widget(state, a.article.title, SemanticRole::link)) {
        n->target = article_route(a.article.slug);
        n->description = a.article.category + ", updated " + format_date(a.updated_at);
    }
    return pressed;
}

// A category tile: name and count.
bool category_tile(AppState& state, const CountedName& c, float width) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    float h = font_size(f.bold) * 1.4f + font_size(f.small) * 1.4f + 28;
    ImGui::PushID(c.name.c_str());
    bool pressed = ImGui::InvisibleButton("category", ImVec2(width, h));
    ImGui::PopID();
    ImVec2 o = ImGui::GetItemRectMin();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(o, ImVec2(o.x + width, o.y + h), ImGui::IsItemHovered() ? p.surface_hover : p.surface, 10);
    draw->AddRect(o, ImVec2(o.x + width, o.y + h), p.border, 10);
    draw->AddRectFilled(ImVec2(o.x, o.y + 10), ImVec2(o.x + 4, o.y + h - 10), p.accent, 2);
    float bp = font_size(f.bold);
    draw->PushClipRect(o, ImVec2(o.x + width - 10, o.y + h), true);
    draw->AddText(f.bold, bp, ImVec2(o.x + 18, o.y + 12), p.text, c.name.c_str());
    std::string count = std::to_string(c.count) + (c.count == 1 ? " policy" : " policies");
    draw->AddText(f.small, font_size(f.small), ImVec2(o.x + 18, o.y + 14 + bp * 1.4f), p.muted, count.c_str());
    draw->PopClipRect();
    if (SemanticNode* n = note_widget(state, c.name, SemanticRole::link)) {
        n->target = browse_route(c.name, "");
        n->description = count;
    }
    return pressed;
}

}  // namespace

void draw_home_screen(AppState& state, Library& library, float width) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    HomeData& home = state.home;

    ImGui::Dummy(ImVec2(1, 18));
    wrapped_text(f.h1, p.text, "Find a policy", 0, SemanticRole::heading, 1);
    std::string sub;
    if (home.article_count > 0) {
        sub = std::to_string(home.article_count) + " policies on this device";
        if (!home.last_updated.empty()) sub += ", last updated " + format_date(home.last_updated);
        sub += ". Type a few words above; spelling mistakes are fine.";
    } else if (state.sync.syncing) {
        sub = "Downloading the policies for offline use...";
    } else {
        sub = state.sync.offline ? "No policies on this device yet, and the server cannot be reached. Connect to the network "
                                   "once and Handbook keeps a copy for offline use."
                                 : "No policies yet.";
    }
    wrapped_text(f.body, p.muted, sub);
    if (!home.error.empty()) wrapped_text(f.body, p.warning, "The policies on this device could not be read: " + home.error);
    if (home.article_count > 0) {
        // When the server last confirmed this copy: what "current" means on a tablet that
        // may have been offline for days. A tap shows the status details.
        const std::string as_of = policies_as_of(state.sync);
        const float px = font_size(f.small);
        const ImVec2 size = f.small->CalcTextSizeA(px, FLT_MAX, 0, as_of.c_str());
        const ImVec2 at = ImGui::GetCursorScreenPos();
        if (ImGui::InvisibleButton("as-of", ImVec2(std::min(size.x + px * 1.8f, width), px * 1.6f))) ImGui::OpenPopup("as-of-details");
        note_widget(state, as_of);
        const ImU32 c = state.sync.offline ? p.warning : p.muted;
        draw_text(ImGui::GetWindowDrawList(), f.small, px, ImVec2(at.x, at.y + px * 0.3f), c,
                  state.sync.offline ? icon::kWifi : icon::kClock);
        draw_text(ImGui::GetWindowDrawList(), f.small, px, ImVec2(at.x + px * 1.8f, at.y + px * 0.3f), c, as_of.c_str());
        draw_sync_details_popup(state, "as-of-details", ImVec2(at.x, at.y + px * 1.8f), ImVec2(0, 0));
    }

    if (!home.recent.empty()) {
        section_title(state, "Recently updated");
        std::string open;
        for (const StoredArticle& a : home.recent) {
            if (article_card(state, a, width)) open = a.article.slug;
            ImGui::Dummy(ImVec2(1, 0));
        }
        if (!open.empty()) open_article(state, library, open);
    }

    if (!home.categories.empty()) {
        section_title(state, "Browse by category");
        int columns = width > 900 ? 3 : width > 520 ? 2 : 1;
        float gap = 12;
        float tile_w = (width - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
        std::string chosen;
        float x0 = ImGui::GetCursorPosX();
        for (size_t i = 0; i < home.categories.size(); ++i) {
            int col = static_cast<int>(i) % columns;
            if (col > 0) ImGui::SameLine(x0 + (tile_w + gap) * static_cast<float>(col));
            if (category_tile(state, home.categories[i], tile_w)) chosen = home.categories[i].name;
        }
        if (!chosen.empty()) {
            state.search.query.clear();
            set_filters(state, library, chosen, "");
        }
    }

    if (!home.tags.empty()) {
        section_title(state, "Tags");
        float x0 = ImGui::GetCursorPosX();
        float right = x0 + width;
        std::string chosen;
        size_t shown = std::min<size_t>(home.tags.size(), 40);
        for (size_t i = 0; i < shown; ++i) {
            const CountedName& t = home.tags[i];
            if (i > 0) {
                ImGui::SameLine(0, 8);
                float next_w = ImGui::CalcTextSize(t.name.c_str()).x + 60;
                if (ImGui::GetCursorPosX() + next_w > right) ImGui::NewLine();
            }
            if (ImGui::GetCursorPosX() < x0) ImGui::SetCursorPosX(x0);
            if (chip(state, t.name, t.count, false, browse_route("", t.name))) chosen = t.name;
        }
        if (!chosen.empty()) {
            state.search.query.clear();
            set_filters(state, library, "", chosen);
        }
    }
    ImGui::Dummy(ImVec2(1, 32));
}

}  // namespace handbook::ui
