#include "markdown_view.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>

#include "fonts.h"
#include "markdown_document.h"
#include "route.h"
#include "rich_text.h"
#include "widgets.h"

namespace handbook::ui {

namespace {

constexpr float kIndentStep = 28.0f;
constexpr float kQuoteStep = 20.0f;

ImFont* font_for(const AppState& state, int style, ImFont* base) {
    const Fonts& f = state.fonts;
    if (base != f.body) return base;  // headings keep their face
    if (style & kBold) return f.bold;
    if (style & kItalic) return f.italic;
    return f.body;
}

void runs_for(const AppState& state, const std::vector<Span>& spans, ImFont* base, ImU32 color,
              const std::vector<std::string>& terms, LaidOutText& out) {
    const Palette& p = colors(state);
    out.runs.clear();
    out.links.clear();
    out.link_labels.clear();
    for (const Span& span : spans) {
        RichRun base_run;
        base_run.font = font_for(state, span.style, base);
        base_run.color = color;
        base_run.code = (span.style & kCode) != 0;
        if (!span.link.empty()) {
            if (out.links.empty() || out.links.back() != span.link || out.runs.empty() || out.runs.back().link < 0) {
                out.links.push_back(span.link);
                out.link_labels.emplace_back();
            }
            base_run.link = static_cast<int>(out.links.size()) - 1;
            base_run.color = p.accent;
            out.link_labels.back() += span.text;
        }
        append_highlighted(out.runs, span.text, base_run, terms);
    }
}

// One draw_markdown call: what every block's text needs, and where the next one's layout
// is kept when there is a cache.
struct Pass {
    AppState& state;
    const std::vector<std::string>& terms;
    MarkdownLayoutCache* cache;
    size_t next = 0;      // the next text's slot in the cache
    LaidOutText scratch;  // without a cache
};

// A text's runs wrapped at `width`: the cache's from the frame before when it has them.
LaidOutText& laid_out(Pass& pass, const std::vector<Span>& spans, ImFont* base, ImU32 color, float width) {
    LaidOutText* t = &pass.scratch;
    if (pass.cache) {
        const size_t slot = pass.next++;
        if (slot >= pass.cache->texts.size()) pass.cache->texts.resize(slot + 1);
        t = &pass.cache->texts[slot];
        if (t->width == width) return *t;
    }
    runs_for(pass.state, spans, base, color, pass.terms, *t);
    t->layout = layout_rich_text(t->runs, width);
    t->width = width;
    return *t;
}

// Empties the cache when what its layouts were made with has changed.
void check_cache(MarkdownLayoutCache& cache, const AppState& state, const std::vector<std::string>& terms) {
    const ImFont* font = state.fonts.body;
    const float px = font ? font_size(font) : 0.0f;
    if (cache.font == font && cache.font_px == px && cache.dark == state.settings.dark && cache.terms == terms) return;
    cache.clear();
    cache.font = font;
    cache.font_px = px;
    cache.dark = state.settings.dark;
    cache.terms = terms;
}

// The block in the semantics tree: its text as one node of `role`, or, when it holds
// links, a node whose children are its pieces of text and its links in order (each link
// where its first piece is drawn), so a screen reader reads the sentence once, links in it.
void describe_block(const LaidOutText& br, const RichLayout& layout, ImVec2 origin, float width, SemanticRole role, int level,
                    int index) {
    if (!semantics::recording()) return;
    const std::string key = "block" + std::to_string(index);
    const float h = layout.size.y;
    if (br.links.empty()) {
        std::string text;
        for (const RichRun& run : br.runs) text += run.text;
        if (SemanticNode* n = semantics::area(role, text, origin.x, origin.y, width, h, key)) n->level = static_cast<uint8_t>(level);
        return;
    }
    if (SemanticNode* n = semantics::open(role, "", key)) {
        n->level = static_cast<uint8_t>(level);
        n->w = width;
        n->h = h;
    }
    std::string text;
    int link = -1;
    for (const RichRun& run : br.runs) {
        if (run.link < 0) {
            text += run.text;
            link = -1;
            continue;
        }
        if (run.link == link) continue;  // the same link, split by a marked word
        link = run.link;
        if (!text.empty()) semantics::area(SemanticRole::text, text, origin.x, origin.y, width, h);
        text.clear();
        // Placed where the link's first piece is drawn.
        ImRect rect(origin, ImVec2(origin.x + width, origin.y + h));
        for (const PlacedText& piece : layout.pieces) {
            if (br.runs[static_cast<size_t>(piece.run)].link != link) continue;
            rect = ImRect(ImVec2(origin.x + piece.pos.x, origin.y + piece.pos.y),
                          ImVec2(origin.x + piece.pos.x + piece.size.x, origin.y + piece.pos.y + piece.size.y));
            break;
        }
        const size_t l = static_cast<size_t>(link);
        if (SemanticNode* n = semantics::area(SemanticRole::link, br.link_labels[l], rect.Min.x, rect.Min.y, rect.GetWidth(), rect.GetHeight()))
        {
            // Where it goes, as the twin's href: another policy's route, or the web address.
            const std::string slug = article_slug_of_link(br.links[l]);
            n->target = !slug.empty() ? article_route(slug) : is_external_link(br.links[l]) ? br.links[l] : std::string{};
        }
    }
    if (!text.empty()) semantics::area(SemanticRole::text, text, origin.x, origin.y, width, h);
    semantics::close();
}

// One wrapped block of text as a tappable item, registered with `selection` (if any) as
// selectable text; `new_block` false for a table cell after the first of its row.
// Returns its events.
MarkdownEvents text_block(Pass& pass, const std::vector<Span>& spans, ImFont* font, float x, float width, bool selected,
                          int index, TextSelection* selection, SemanticRole role, int level = 0, bool new_block = true) {
    MarkdownEvents ev;
    AppState& state = pass.state;
    const Palette& p = colors(state);
    LaidOutText& br = laid_out(pass, spans, font, p.text, width);
    const RichLayout& layout = br.layout;
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + x);
    ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::PushID(index);
    bool clicked = ImGui::InvisibleButton("block", ImVec2(width, std::max(layout.size.y, 1.0f)));
    ImGui::PopID();
    // Scrolled out of the window: nothing to draw (the twin and the selection still get it).
    if (ImGui::IsItemVisible()) {
        ImDrawList* draw = ImGui::GetWindowDrawList();
        if (selected)
            draw->AddRectFilled(ImVec2(origin.x - 8, origin.y - 4), ImVec2(origin.x + width + 8, origin.y + layout.size.y + 4),
                                p.accent_soft, 6);
        if (selection) draw_selection(draw, *selection, origin, layout, br.runs, p.selection);
        draw_rich_text(draw, layout, br.runs, origin, p);
    }
    int hover_link = ImGui::IsItemHovered() ? link_at(layout, br.runs, origin, ImGui::GetIO().MousePos) : -1;
    if (hover_link >= 0) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    if (clicked) {
        int link = link_at(layout, br.runs, origin, ImGui::GetIO().MousePos);
        if (link >= 0) ev.link = br.links[link];
        else ev.tapped_block = index;
    }
    describe_block(br, layout, origin, width, role, level, index);
    // The selection keeps its own copy; without a cache the layout is not needed again.
    if (selection) add_selectable_text(*selection, origin, pass.cache ? layout : std::move(br.layout), br.runs, new_block);
    return ev;
}

void merge(MarkdownEvents& into, const MarkdownEvents& from) {
    if (!from.link.empty()) into.link = from.link;
    if (from.tapped_block >= 0) into.tapped_block = from.tapped_block;
}

}  // namespace

MarkdownEvents draw_markdown(AppState& state, const MarkdownDocument& doc, const std::vector<std::string>& terms,
                             int selected_block, float width, TextSelection* selection, std::vector<float>* block_top,
                             MarkdownLayoutCache* cache) {
    MarkdownEvents events;
    if (cache) check_cache(*cache, state, terms);
    Pass pass{state, terms, cache, 0, {}};
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    const float em = f.body_size;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float left = ImGui::GetCursorPosX();
    // Blocks set their own spacing; ImGui's item spacing would add to every line item.
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 0));
    if (block_top) block_top->assign(doc.blocks.size(), 0.0f);

    for (size_t i = 0; i < doc.blocks.size(); ++i) {
        const Block& block = doc.blocks[i];
        const int index = static_cast<int>(i);
        const bool selected = index == selected_block;
        float quote_x = kQuoteStep * static_cast<float>(block.quote_depth);
        float indent_x = kIndentStep * static_cast<float>(block.indent);
        float x = quote_x + indent_x;
        float w = width - x;
        ImVec2 block_start = ImGui::GetCursorScreenPos();
        if (block_top) (*block_top)[i] = ImGui::GetCursorPosY();
        ImGui::SetCursorPosX(left);

        switch (block.kind) {
        case BlockKind::heading: {
            ImFont* font = block.level <= 1 ? f.h1 : block.level == 2 ? f.h2 : f.h3;
            ImGui::Dummy(ImVec2(1, block.level <= 2 ? em * 1.1f : em * 0.7f));
            ImGui::SetCursorPosX(left);
            merge(events, text_block(pass, block.spans, font, x, w, selected, index, selection, SemanticRole::heading, std::clamp(block.level, 1, 6)));
            ImGui::Dummy(ImVec2(1, em * 0.35f));
            break;
        }
        case BlockKind::paragraph:
            merge(events, text_block(pass, block.spans, f.body, x, w, selected, index, selection, SemanticRole::paragraph));
            ImGui::Dummy(ImVec2(1, em * 0.75f));
            break;
        case BlockKind::list_item: {
            ImVec2 marker_pos(block_start.x + x - 22, block_start.y);
            std::string marker = block.number > 0 ? std::to_string(block.number) + "." : "\xE2\x80\xA2";
            // A run of items is one list.
            const bool first_of_list = i == 0 || doc.blocks[i - 1].kind != BlockKind::list_item;
            if (first_of_list) semantics::open(SemanticRole::list, "", "list" + std::to_string(index));
            merge(events, text_block(pass, block.spans, f.body, x, w, selected, index, selection, SemanticRole::list_item));
            float px = font_size(f.body);
            float mw = f.body->CalcTextSizeA(px, FLT_MAX, 0, marker.c_str()).x;
            float line_h = px * 1.5f;
            if (block.number > 0) {
                draw->AddText(f.body, px, ImVec2(block_start.x + x - 8 - mw, marker_pos.y + (line_h - px) * 0.5f), p.muted,
                              marker.c_str());
            } else {
                ImVec2 centre(marker_pos.x + 8, marker_pos.y + line_h * 0.5f);
                if (block.indent > 1) draw->AddCircle(centre, px * 0.16f, p.accent, 12, 1.5f);
                else draw->AddCircleFilled(centre, px * 0.18f, p.accent, 12);
            }
            // The next item follows closely; the list's last item is followed by a gap.
            bool last_of_list = i + 1 >= doc.blocks.size() || doc.blocks[i + 1].indent < block.indent ||
                                (doc.blocks[i + 1].kind != BlockKind::list_item && doc.blocks[i + 1].indent == 0);
            ImGui::Dummy(ImVec2(1, last_of_list ? em * 0.75f : em * 0.3f));
            if (i + 1 >= doc.blocks.size() || doc.blocks[i + 1].kind != BlockKind::list_item) semantics::close();
            break;
        }
        case BlockKind::code: {
            ImFont* font = f.body;
            float px = font_size(font);
            ImVec2 size = font->CalcTextSizeA(px, FLT_MAX, 0, block.code.c_str());
            ImGui::SetCursorPosX(left + x);
            ImVec2 a = ImGui::GetCursorScreenPos();
            ImGui::PushID(index);
            bool clicked = ImGui::InvisibleButton("code", ImVec2(w, size.y + 24));
            ImGui::PopID();
            draw->AddRectFilled(a, ImVec2(a.x + w, a.y + size.y + 24), selected ? p.accent_soft : p.code_background, 6);
            draw->PushClipRect(a, ImVec2(a.x + w, a.y + size.y + 24), true);
            draw->AddText(font, px, ImVec2(a.x + 12, a.y + 12), p.text, block.code.c_str());
            draw->PopClipRect();
            semantics::area(SemanticRole::paragraph, block.code, a.x, a.y, w, size.y + 24, "block" + std::to_string(index));
            if (clicked) events.tapped_block = index;
            ImGui::Dummy(ImVec2(1, em * 0.75f));
            break;
        }
        case BlockKind::rule: {
            ImGui::Dummy(ImVec2(1, em * 0.6f));
            ImVec2 a = ImGui::GetCursorScreenPos();
            draw->AddLine(ImVec2(a.x + x, a.y), ImVec2(a.x + x + w, a.y), p.border, 1.0f);
            ImGui::Dummy(ImVec2(1, em * 0.8f));
            break;
        }
        case BlockKind::table: {
            size_t columns = 0;
            for (const auto& row : block.rows) columns = std::max(columns, row.size());
            if (columns == 0 || columns > 64) break;
            ImGui::SetCursorPosX(left + x);
            ImGui::PushID(index);
            ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp |
                                    ImGuiTableFlags_PadOuterX;
            if (ImGui::BeginTable("table", static_cast<int>(columns), flags, ImVec2(w, 0))) {
                semantics::open(SemanticRole::table, "", "table" + std::to_string(index));
                for (size_t r = 0; r < block.rows.size(); ++r) {
                    bool header = static_cast<int>(r) < block.header_rows;
                    ImGui::TableNextRow(header ? ImGuiTableRowFlags_Headers : 0);
                    if (r > 0) semantics::close();
                    semantics::open(SemanticRole::row, "", "row" + std::to_string(r));
                    for (size_t c = 0; c < columns; ++c) {
                        ImGui::TableSetColumnIndex(static_cast<int>(c));
                        if (header) ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, p.code_background);
                        if (c >= block.rows[r].size()) continue;
                        ImGui::PushID(static_cast<int>(r * columns + c));
                        float cell_w = ImGui::GetContentRegionAvail().x;
                        MarkdownEvents ev = text_block(pass, block.rows[r][c].spans, header ? f.bold : f.body, 0, cell_w, false,
                                                       static_cast<int>(r * columns + c), selection,
                                                       header ? SemanticRole::column_header : SemanticRole::cell, 0, c == 0);
                        if (!ev.link.empty()) events.link = ev.link;
                        else if (ev.tapped_block >= 0) events.tapped_block = index;
                        ImGui::PopID();
                    }
                }
                if (!block.rows.empty()) semantics::close();  // the last row
                semantics::close();                          // the table
                ImGui::EndTable();
            }
            ImGui::PopID();
            if (selected) {
                ImVec2 end = ImGui::GetItemRectMax();
                draw->AddRect(ImVec2(block_start.x + x - 3, block_start.y - 3), ImVec2(block_start.x + x + w + 3, end.y + 3),
                              p.accent, 6, 0, 2);
            }
            ImGui::Dummy(ImVec2(1, em * 0.9f));
            break;
        }
        }

        if (block.quote_depth > 0) {
            ImVec2 end = ImGui::GetCursorScreenPos();
            for (int q = 0; q < block.quote_depth; ++q) {
                float bx = block_start.x + kQuoteStep * static_cast<float>(q) + 2;
                draw->AddRectFilled(ImVec2(bx, block_start.y - 4), ImVec2(bx + 4, end.y - em * 0.2f), p.quote_bar, 2);
            }
        }
    }
    ImGui::PopStyleVar();
    return events;
}

}  // namespace handbook::ui
