#include "text_selection.h"

#include <imgui_internal.h>

#include <algorithm>
#include <cctype>
#include <cfloat>
#include <cmath>

#include "fonts.h"
#include "touch_scroll.h"

namespace handbook::ui {

namespace {

float width_of(const ImFont* font, std::string_view text) {
    if (!font || text.empty()) return 0;
    return font->CalcTextSizeA(font_size(font), FLT_MAX, 0, text.data(), text.data() + text.size()).x;
}

// Bytes of the UTF-8 character starting at text[i].
size_t char_length(std::string_view text, size_t i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    return std::min(n, text.size() - i);
}

// The character boundary of `piece` nearest to x (relative to the piece's left edge).
int byte_at(const ImFont* font, const std::string& piece, float x) {
    float used = 0;
    for (size_t i = 0; i < piece.size();) {
        size_t n = char_length(piece, i);
        float w = width_of(font, std::string_view(piece).substr(i, n));
        if (x < used + w * 0.5f) return static_cast<int>(i);
        used += w;
        i += n;
    }
    return static_cast<int>(piece.size());
}

float distance_to(ImVec2 a, ImVec2 b, ImVec2 p, float vertical_weight) {
    float dx = std::max({a.x - p.x, 0.0f, p.x - b.x});
    float dy = std::max({a.y - p.y, 0.0f, p.y - b.y});
    return dy * vertical_weight + dx;
}

bool same_line(const PlacedText& a, const PlacedText& b) { return std::fabs(a.pos.y + a.size.y - b.pos.y - b.size.y) < 2; }

// The selected byte range [from, to) of piece `k` of text `t` (selection [a, b)), or
// false when none of it is selected.
bool piece_range(const TextPoint& a, const TextPoint& b, int t, int k, int piece_size, int* from, int* to) {
    const TextPoint start{t, k, 0}, end{t, k, piece_size};
    if (!(start < b) || !(a < end)) return false;
    *from = (a.text == t && a.piece == k) ? a.byte : 0;
    *to = (b.text == t && b.piece == k) ? b.byte : piece_size;
    return *to > *from;
}

}  // namespace

bool operator<(const TextPoint& a, const TextPoint& b) {
    if (a.text != b.text) return a.text < b.text;
    if (a.piece != b.piece) return a.piece < b.piece;
    return a.byte < b.byte;
}
bool operator==(const TextPoint& a, const TextPoint& b) { return a.text == b.text && a.piece == b.piece && a.byte == b.byte; }

void add_selectable_text(TextSelection& selection, ImVec2 origin, RichLayout layout, const std::vector<RichRun>& runs,
                         bool new_block) {
    SelectableText t;
    t.origin = origin;
    t.fonts.reserve(layout.pieces.size());
    for (const PlacedText& piece : layout.pieces) {
        ImFont* font = runs[static_cast<size_t>(piece.run)].font;
        t.fonts.push_back(font ? font : ImGui::GetFont());
    }
    t.layout = std::move(layout);
    t.new_block = new_block;
    selection.texts.push_back(std::move(t));
}

TextPoint text_point_at(const std::vector<SelectableText>& texts, ImVec2 p) {
    // The nearest text, the vertical distance counting most (lines are wider than tall).
    int best = -1;
    float best_d = FLT_MAX;
    for (size_t i = 0; i < texts.size(); ++i) {
        const SelectableText& t = texts[i];
        if (t.layout.pieces.empty()) continue;
        ImVec2 b(t.origin.x + t.layout.size.x, t.origin.y + t.layout.size.y);
        float d = distance_to(t.origin, b, p, 1000);
        if (d < best_d) {
            best_d = d;
            best = static_cast<int>(i);
        }
    }
    if (best < 0) return {};
    const SelectableText& t = texts[static_cast<size_t>(best)];
    int piece = 0;
    float piece_d = FLT_MAX;
    for (size_t k = 0; k < t.layout.pieces.size(); ++k) {
        const PlacedText& pc = t.layout.pieces[k];
        ImVec2 a(t.origin.x + pc.pos.x, t.origin.y + pc.pos.y);
        ImVec2 b(a.x + pc.size.x, a.y + pc.size.y);
        float d = distance_to(a, b, p, 1000);
        if (d < piece_d) {
            piece_d = d;
            piece = static_cast<int>(k);
        }
    }
    const PlacedText& pc = t.layout.pieces[static_cast<size_t>(piece)];
    return {best, piece, byte_at(t.fonts[static_cast<size_t>(piece)], pc.text, p.x - t.origin.x - pc.pos.x)};
}

void word_at(const std::vector<SelectableText>& texts, const TextPoint& at, TextPoint* start, TextPoint* end) {
    *start = *end = at;
    if (!at.valid() || at.text >= static_cast<int>(texts.size())) return;
    const auto& pieces = texts[static_cast<size_t>(at.text)].layout.pieces;
    if (at.piece >= static_cast<int>(pieces.size())) return;
    // A piece is a word with the punctuation next to it: keep the letters and digits.
    const std::string& w = pieces[static_cast<size_t>(at.piece)].text;
    auto is_word = [](unsigned char c) { return std::isalnum(c) || c >= 0x80 || c == '\'' || c == '-'; };
    int from = 0, to = static_cast<int>(w.size());
    while (from < to && !is_word(static_cast<unsigned char>(w[static_cast<size_t>(from)]))) ++from;
    while (to > from && !is_word(static_cast<unsigned char>(w[static_cast<size_t>(to - 1)]))) --to;
    start->byte = from;
    end->byte = to;
}

std::string selected_text(const TextSelection& selection) {
    if (selection.empty()) return {};
    const TextPoint a = std::min(selection.anchor, selection.focus), b = std::max(selection.anchor, selection.focus);
    const auto& texts = selection.drawn;
    std::string out;
    const PlacedText* previous = nullptr;
    for (int t = a.text; t <= b.text && t < static_cast<int>(texts.size()); ++t) {
        const auto& pieces = texts[static_cast<size_t>(t)].layout.pieces;
        bool first_of_text = true;
        for (int k = t == a.text ? a.piece : 0; k < static_cast<int>(pieces.size()) && (t < b.text || k <= b.piece); ++k) {
            const PlacedText& pc = pieces[static_cast<size_t>(k)];
            int from = 0, to = 0;
            if (!piece_range(a, b, t, k, static_cast<int>(pc.text.size()), &from, &to)) continue;
            if (previous) {
                if (first_of_text) out += texts[static_cast<size_t>(t)].new_block ? "\n" : "\t";
                else if (!same_line(*previous, pc) || pc.pos.x > previous->pos.x + previous->size.x + 0.5f) out += ' ';
            }
            out.append(pc.text, static_cast<size_t>(from), static_cast<size_t>(to - from));
            previous = &pc;
            first_of_text = false;
        }
    }
    return out;
}

void draw_selection(ImDrawList* draw, const TextSelection& selection, ImVec2 origin, const RichLayout& layout,
                    const std::vector<RichRun>& runs, ImU32 color) {
    if (selection.empty()) return;
    const int t = static_cast<int>(selection.texts.size());  // the index this text will have
    const TextPoint a = std::min(selection.anchor, selection.focus), b = std::max(selection.anchor, selection.focus);
    if (t < a.text || t > b.text) return;
    for (size_t k = 0; k < layout.pieces.size(); ++k) {
        const PlacedText& pc = layout.pieces[k];
        int from = 0, to = 0;
        if (!piece_range(a, b, t, static_cast<int>(k), static_cast<int>(pc.text.size()), &from, &to)) continue;
        const ImFont* font = runs[static_cast<size_t>(pc.run)].font ? runs[static_cast<size_t>(pc.run)].font : ImGui::GetFont();
        float x0 = pc.pos.x + width_of(font, std::string_view(pc.text).substr(0, static_cast<size_t>(from)));
        float x1 = pc.pos.x + width_of(font, std::string_view(pc.text).substr(0, static_cast<size_t>(to)));
        // Run on over the space to the next word when it is selected too.
        const bool to_end = to == static_cast<int>(pc.text.size());
        if (to_end && k + 1 < layout.pieces.size() && same_line(pc, layout.pieces[k + 1]) && TextPoint{t, static_cast<int>(k) + 1, 0} < b)
            x1 = layout.pieces[k + 1].pos.x;
        if (x1 <= x0) continue;
        draw->AddRectFilled(ImVec2(origin.x + x0, origin.y + pc.pos.y - 1), ImVec2(origin.x + x1, origin.y + pc.pos.y + pc.size.y + 3),
                            color);
    }
}

bool update_selection(TextSelection& s, bool touch, bool body_hovered, bool* take_press) {
    s.drawn = std::move(s.texts);
    s.texts.clear();
    *take_press = false;
    const ImGuiIO& io = ImGui::GetIO();
    const float threshold = touch ? kDragThreshold : 4.0f;
    if (ImGui::IsMouseClicked(0)) {
        s.pending = body_hovered && !s.drawn.empty();
        s.dragging = false;
        s.press = io.MousePos;
    }
    if (s.pending && io.MouseDown[0]) {
        const float moved = std::hypot(io.MousePos.x - s.press.x, io.MousePos.y - s.press.y);
        if (!touch && moved > threshold) {
            // A mouse drag: select from where it was pressed.
            s.pending = false;
            s.dragging = true;
            s.anchor = text_point_at(s.drawn, s.press);
            ImGui::ClearActiveID();  // a drag, not a click on what was under the press
        } else if (touch && moved > threshold) {
            s.pending = false;  // a finger that moves at once scrolls
        } else if (touch && io.MouseDownDuration[0] >= kLongPressSeconds) {
            // A finger held still: select the word under it; dragging extends from there.
            s.pending = false;
            s.dragging = true;
            word_at(s.drawn, text_point_at(s.drawn, s.press), &s.anchor, &s.focus);
            ImGui::ClearActiveID();
            *take_press = true;
            return true;
        }
    }
    if (s.dragging && io.MouseDown[0]) {
        const float moved = std::hypot(io.MousePos.x - s.press.x, io.MousePos.y - s.press.y);
        if (!touch || moved > threshold) s.focus = text_point_at(s.drawn, io.MousePos);
        return true;
    }
    if (!io.MouseDown[0]) {
        // A click or tap that did not drag clears the selection (and selects a passage as before).
        if (s.pending) s.anchor = s.focus = TextPoint{};
        s.pending = s.dragging = false;
    }
    return false;
}

}  // namespace handbook::ui
