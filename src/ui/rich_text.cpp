#include "rich_text.h"

#include <algorithm>
#include <cfloat>

#include "fonts.h"

namespace handbook::ui {

namespace {

bool is_word_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

float text_width(ImFont* font, std::string_view text) {
    if (text.empty()) return 0;
    return font->CalcTextSizeA(font_size(font), FLT_MAX, 0, text.data(), text.data() + text.size()).x;
}

// Bytes of the UTF-8 character starting at text[i].
size_t char_length(std::string_view text, size_t i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    return std::min(n, text.size() - i);
}

}  // namespace

bool word_matches_term(std::string_view word, const std::vector<std::string>& terms) {
    if (word.empty()) return false;
    std::string w = lower_ascii(word);
    for (const std::string& term : terms) {
        if (term.empty()) continue;
        if (w == term) return true;
        if (term.size() >= 3 && w.starts_with(term)) return true;
    }
    return false;
}

void append_highlighted(std::vector<RichRun>& runs, std::string_view text, const RichRun& base,
                        const std::vector<std::string>& terms) {
    auto push = [&](std::string_view piece, bool highlight) {
        if (piece.empty()) return;
        if (!runs.empty() && !highlight && !runs.back().highlight && runs.back().font == base.font &&
            runs.back().color == base.color && runs.back().link == base.link && runs.back().code == base.code) {
            runs.back().text.append(piece);
            return;
        }
        RichRun r = base;
        r.text = std::string(piece);
        r.highlight = highlight;
        runs.push_back(std::move(r));
    };
    if (terms.empty()) {
        push(text, false);
        return;
    }
    size_t plain_start = 0, i = 0;
    while (i < text.size()) {
        if (!is_word_byte(static_cast<unsigned char>(text[i]))) {
            ++i;
            continue;
        }
        size_t start = i;
        while (i < text.size() && is_word_byte(static_cast<unsigned char>(text[i]))) ++i;
        if (word_matches_term(text.substr(start, i - start), terms)) {
            push(text.substr(plain_start, start - plain_start), false);
            push(text.substr(start, i - start), true);
            plain_start = i;
        }
    }
    push(text.substr(plain_start), false);
}

void append_ranges(std::vector<RichRun>& runs, std::string_view text, const RichRun& base,
                   const std::vector<TextRange>& ranges) {
    size_t at = 0;
    auto push = [&](size_t from, size_t to, bool highlight) {
        if (to <= from) return;
        RichRun r = base;
        r.text = std::string(text.substr(from, to - from));
        r.highlight = highlight;
        runs.push_back(std::move(r));
    };
    for (const TextRange& range : ranges) {
        size_t start = std::min<size_t>(range.start, text.size());
        size_t end = std::min<size_t>(start + range.length, text.size());
        if (start < at) continue;  // overlapping or unsorted ranges: keep the first
        push(at, start, false);
        push(start, end, true);
        at = end;
    }
    push(at, text.size(), false);
}

RichLayout layout_rich_text(const std::vector<RichRun>& runs, float wrap_width, float line_spacing) {
    RichLayout layout;
    wrap_width = std::max(wrap_width, 40.0f);
    struct LinePiece {
        PlacedText placed;
        float advance;
        float font_px;
    };
    std::vector<LinePiece> line;
    float x = 0, y = 0;

    auto finish_line = [&](float min_height) {
        float height = min_height;
        for (const LinePiece& p : line) height = std::max(height, p.font_px * line_spacing);
        for (LinePiece& p : line) {
            p.placed.pos.y = y + (height - p.font_px) * 0.5f;
            layout.size.x = std::max(layout.size.x, p.placed.pos.x + p.placed.size.x);
            layout.pieces.push_back(std::move(p.placed));
        }
        line.clear();
        y += height;
        x = 0;
        layout.lines++;
    };

    float last_font_px = 16;
    // A line may break only where there is a space: two runs that meet without one
    // ("**bold**ly", an icon glued to its label with no-break spaces) stay together.
    bool after_space = true;
    for (size_t r = 0; r < runs.size(); ++r) {
        const RichRun& run = runs[r];
        ImFont* font = run.font ? run.font : ImGui::GetFont();
        const float px = font_size(font);
        last_font_px = px;
        std::string_view text = run.text;
        size_t i = 0;
        while (i < text.size()) {
            if (text[i] == '\n') {
                finish_line(px * line_spacing);
                ++i;
                after_space = true;
                continue;
            }
            // A piece: a word and the spaces after it.
            size_t word_end = i;
            while (word_end < text.size() && text[word_end] != ' ' && text[word_end] != '\n') ++word_end;
            size_t space_end = word_end;
            while (space_end < text.size() && text[space_end] == ' ') ++space_end;
            std::string_view word = text.substr(i, word_end - i);
            float w = text_width(font, word);
            float advance = text_width(font, text.substr(i, space_end - i));
            if (x > 0 && x + w > wrap_width && (after_space || w > wrap_width)) {
                finish_line(0);
                if (word.empty()) {  // spaces at a line break are dropped
                    i = space_end;
                    continue;
                }
            }
            if (w > wrap_width) {
                // A word longer than the line (a long address): break it between characters.
                size_t end = i;
                float used = 0;
                while (end < word_end) {
                    size_t n = char_length(text, end);
                    float cw = text_width(font, text.substr(end, n));
                    if (used + cw > wrap_width - x && end > i) break;
                    used += cw;
                    end += n;
                }
                line.push_back({PlacedText{ImVec2(x, 0), ImVec2(used, px), static_cast<int>(r),
                                           std::string(text.substr(i, end - i))},
                                used, px});
                x += used;
                i = end;
                if (i < word_end) finish_line(0);
                continue;
            }
            if (!word.empty())
                line.push_back({PlacedText{ImVec2(x, 0), ImVec2(w, px), static_cast<int>(r), std::string(word)}, advance, px});
            x += advance;
            after_space = space_end > word_end || word.empty();
            i = space_end;
        }
    }
    if (!line.empty() || layout.lines == 0) finish_line(last_font_px * line_spacing);
    layout.size.y = y;
    return layout;
}

void draw_rich_text(ImDrawList* draw, const RichLayout& layout, const std::vector<RichRun>& runs, ImVec2 origin,
                    const Palette& colors) {
    // Backgrounds first, then every word: a marked word's background reaches a little past
    // it, and drawn piece by piece it covered the end of the piece before ("…" straight
    // before a marked word read "..").
    // A mark reaches past its word only where a space is: not into punctuation it touches.
    auto touches = [&](size_t i, size_t j) {
        const PlacedText& l = layout.pieces[std::min(i, j)];
        const PlacedText& r = layout.pieces[std::max(i, j)];
        return l.pos.y == r.pos.y && l.pos.x + l.size.x >= r.pos.x - 0.5f;
    };
    for (size_t i = 0; i < layout.pieces.size(); ++i) {
        const PlacedText& p = layout.pieces[i];
        const RichRun& run = runs[p.run];
        ImVec2 a(origin.x + p.pos.x, origin.y + p.pos.y);
        ImVec2 b(a.x + p.size.x, a.y + p.size.y);
        if (run.code) draw->AddRectFilled(ImVec2(a.x - 3, a.y - 1), ImVec2(b.x + 3, b.y + 2), colors.code_background, 4);
        if (run.highlight) {
            float left = i > 0 && touches(i - 1, i) && !runs[layout.pieces[i - 1].run].highlight ? 0.0f : 2.0f;
            float right = i + 1 < layout.pieces.size() && touches(i, i + 1) && !runs[layout.pieces[i + 1].run].highlight ? 0.0f : 2.0f;
            draw->AddRectFilled(ImVec2(a.x - left, a.y), ImVec2(b.x + right, b.y + 2), colors.highlight, 3);
        }
    }
    for (size_t i = 0; i < layout.pieces.size(); ++i) {
        const PlacedText& p = layout.pieces[i];
        const RichRun& run = runs[p.run];
        ImFont* font = run.font ? run.font : ImGui::GetFont();
        ImVec2 a(origin.x + p.pos.x, origin.y + p.pos.y);
        ImVec2 b(a.x + p.size.x, a.y + p.size.y);
        ImU32 color = run.highlight ? colors.highlight_text : run.color;
        draw_text(draw, font, font_size(font), a, color, p.text.data(), p.text.data() + p.text.size());
        if (run.link >= 0) {
            // One underline under a whole link: run on under the space to the next word of it.
            float end = b.x;
            if (i + 1 < layout.pieces.size()) {
                const PlacedText& next = layout.pieces[i + 1];
                if (runs[next.run].link == run.link && next.pos.y == p.pos.y) end = origin.x + next.pos.x;
            }
            draw->AddLine(ImVec2(a.x, b.y + 1), ImVec2(end, b.y + 1), run.color, 1.0f);
        }
    }
}

int link_at(const RichLayout& layout, const std::vector<RichRun>& runs, ImVec2 origin, ImVec2 point) {
    for (const PlacedText& p : layout.pieces) {
        int link = runs[p.run].link;
        if (link < 0) continue;
        ImVec2 a(origin.x + p.pos.x - 4, origin.y + p.pos.y - 6);
        ImVec2 b(origin.x + p.pos.x + p.size.x + 4, origin.y + p.pos.y + p.size.y + 6);
        if (point.x >= a.x && point.x < b.x && point.y >= a.y && point.y < b.y) return link;
    }
    return -1;
}

}  // namespace handbook::ui
