// Soft line wrapping for the editor's body: see soft_wrap.h.
#include "soft_wrap.h"

#include <algorithm>

namespace handbook::ui {
namespace {

int utf8_length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead >> 5) == 0x6) return 2;
    if ((lead >> 4) == 0xE) return 3;
    if ((lead >> 3) == 0x1E) return 4;
    return 1;  // a stray continuation byte: step over it alone
}

// Where soft break k sits in the display text.
int break_index(const SoftWrap& wrap, size_t k) { return wrap.breaks[k] + static_cast<int>(k); }

// Soft breaks for the hard lines of text[from, to) (from at a line's start, to at a line's
// end or the text's), appended to `breaks`.
void wrap_lines(const std::string& text, int from, int to, float width, const MeasureText& measure, std::vector<int>& breaks) {
    const char* s = text.data();
    float line_w = 0;
    int i = from;
    while (i < to) {
        if (s[i] == '\n') {
            ++i;
            line_w = 0;
            continue;
        }
        // A word and the spaces after it. The spaces may hang past the edge (a browser's
        // rule too): the field does not follow the caret sideways.
        int word_end = i;
        while (word_end < to && s[word_end] != ' ' && s[word_end] != '\n') ++word_end;
        int chunk_end = word_end;
        while (chunk_end < to && s[chunk_end] == ' ') ++chunk_end;
        const float word_w = word_end > i ? measure(s + i, s + word_end) : 0.0f;
        if (line_w > 0 && line_w + word_w > width) {
            breaks.push_back(i);
            line_w = 0;
        }
        if (word_w > width) {
            // Longer than a whole line (a long address, a row of dashes): broken where it
            // reaches the edge, a character at a time.
            for (int j = i; j < word_end;) {
                const int len = std::min(utf8_length(static_cast<unsigned char>(s[j])), word_end - j);
                const float w = measure(s + j, s + j + len);
                if (line_w > 0 && line_w + w > width) {
                    breaks.push_back(j);
                    line_w = 0;
                }
                line_w += w;
                j += len;
            }
        } else {
            line_w += word_w;
        }
        if (chunk_end > word_end) line_w += measure(s + word_end, s + chunk_end);
        i = chunk_end;
    }
}

void build_display(const std::string& text, SoftWrap& wrap) {
    wrap.display.clear();
    wrap.display.reserve(text.size() + wrap.breaks.size());
    int from = 0;
    for (int at : wrap.breaks) {
        wrap.display.append(text, static_cast<size_t>(from), static_cast<size_t>(at - from));
        wrap.display.push_back('\n');
        from = at;
    }
    wrap.display.append(text, static_cast<size_t>(from), std::string::npos);
}

}  // namespace

SoftWrap soft_wrap(const std::string& text, float width, const MeasureText& measure) {
    SoftWrap wrap;
    wrap_lines(text, 0, static_cast<int>(text.size()), width, measure, wrap.breaks);
    build_display(text, wrap);
    return wrap;
}

SoftWrap soft_rewrap(const SoftWrap& old_wrap, const std::string& old_text, const std::string& text, float width,
                     const MeasureText& measure) {
    const int lo = static_cast<int>(old_text.size()), ln = static_cast<int>(text.size());
    int prefix = 0;
    while (prefix < lo && prefix < ln && old_text[static_cast<size_t>(prefix)] == text[static_cast<size_t>(prefix)]) ++prefix;
    int suffix = 0;
    while (suffix < std::min(lo, ln) - prefix && old_text[static_cast<size_t>(lo - 1 - suffix)] == text[static_cast<size_t>(ln - 1 - suffix)])
        ++suffix;
    // The hard lines the edit touched, in the new text: from the start of the line the
    // change begins in to the end of the line it ends in. Lines before keep their breaks;
    // lines after keep theirs, moved by the change in length.
    int from = prefix;
    while (from > 0 && text[static_cast<size_t>(from - 1)] != '\n') --from;
    int to = ln - suffix;
    while (to < ln && text[static_cast<size_t>(to)] != '\n') ++to;
    const int old_to = to - (ln - lo);  // the same place in the old text (it is in the suffix)
    SoftWrap wrap;
    for (int b : old_wrap.breaks)
        if (b < from) wrap.breaks.push_back(b);
    wrap_lines(text, from, to, width, measure, wrap.breaks);
    for (int b : old_wrap.breaks)
        if (b > old_to) wrap.breaks.push_back(b + (ln - lo));
    build_display(text, wrap);
    return wrap;
}

int display_offset(const SoftWrap& wrap, int text_offset) {
    const auto after = std::upper_bound(wrap.breaks.begin(), wrap.breaks.end(), text_offset);
    return text_offset + static_cast<int>(after - wrap.breaks.begin());
}

int text_offset(const SoftWrap& wrap, int display_offset) {
    // Break k sits at display index breaks[k] + k, which grows with k: binary search for
    // how many sit before the offset.
    size_t lo = 0, hi = wrap.breaks.size();
    while (lo < hi) {
        const size_t mid = (lo + hi) / 2;
        if (break_index(wrap, mid) < display_offset) lo = mid + 1;
        else hi = mid;
    }
    return display_offset - static_cast<int>(lo);
}

UnwrappedEdit unwrap_edit(const std::string& old_text, const SoftWrap& old_wrap, const std::string& new_display,
                          int select_begin, int select_end, int caret, int old_caret) {
    const std::string& old_display = old_wrap.display;
    const int lo = static_cast<int>(old_display.size());
    const int ln = static_cast<int>(new_display.size());
    // The edit is one replaced range: what the old and new display share at each end.
    // The shared end is taken first and stops at the caret, which is where typing, a
    // paste or a deletion leaves it: "\n" typed beside a soft break is then the typed
    // one, not the break (the two are the same byte).
    const int shortest = std::min(lo, ln);
    const int max_suffix = std::clamp(ln - caret, 0, shortest);
    int suffix = 0;
    while (suffix < max_suffix && old_display[lo - 1 - suffix] == new_display[ln - 1 - suffix]) ++suffix;
    int prefix = 0;
    while (prefix < shortest - suffix && old_display[prefix] == new_display[prefix]) ++prefix;

    // Outside the range the display is the old one: its text minus its soft breaks. Inside,
    // everything is new and typed (a '\n' there is the person's own).
    const int text_prefix = text_offset(old_wrap, prefix);
    const int text_suffix_from = text_offset(old_wrap, lo - suffix);
    const std::string inserted = new_display.substr(static_cast<size_t>(prefix), static_cast<size_t>(ln - suffix - prefix));

    UnwrappedEdit out;
    int removed_before = 0;  // Backspace over a soft break: the character before it went
    int cut_from = text_prefix, cut_to = text_suffix_from;
    if (inserted.empty() && text_prefix == text_suffix_from && lo - suffix > prefix) {
        // Only soft breaks were deleted: do what the key meant to the text.
        const bool backspace = old_caret >= lo - suffix;
        if (backspace && text_prefix > 0) {
            int from = text_prefix - 1;
            while (from > 0 && (static_cast<unsigned char>(old_text[static_cast<size_t>(from)]) & 0xC0) == 0x80) --from;
            cut_from = from;
            removed_before = text_prefix - from;
        } else if (!backspace && text_prefix < static_cast<int>(old_text.size())) {
            cut_to = text_prefix + utf8_length(static_cast<unsigned char>(old_text[static_cast<size_t>(text_prefix)]));
            cut_to = std::min(cut_to, static_cast<int>(old_text.size()));
        }
    }
    out.text.reserve(old_text.size() + inserted.size());
    out.text.append(old_text, 0, static_cast<size_t>(cut_from));
    out.text += inserted;
    out.text.append(old_text, static_cast<size_t>(cut_to), std::string::npos);

    const int old_len = static_cast<int>(old_text.size());
    const int new_len = static_cast<int>(out.text.size());
    auto to_text = [&](int x) {
        if (removed_before > 0) return cut_from;  // the caret stays where the character was
        if (x <= prefix) return std::min(text_offset(old_wrap, x), cut_from);
        if (x <= ln - suffix) return cut_from + (x - prefix);
        return new_len - (old_len - text_offset(old_wrap, x - ln + lo));
    };
    out.select_begin = to_text(select_begin);
    out.select_end = to_text(select_end);
    out.caret = to_text(caret);
    return out;
}

std::string unwrap_copied(const std::string& text, const SoftWrap& wrap, const std::string& copied, int begin, int end) {
    const std::string& d = wrap.display;
    const int len = static_cast<int>(d.size());
    begin = std::clamp(begin, 0, len);
    end = std::clamp(end, begin, len);
    if (d.compare(static_cast<size_t>(begin), static_cast<size_t>(end - begin), copied) != 0) {
        const size_t at = d.find(copied);
        if (at == std::string::npos) return copied;
        begin = static_cast<int>(at);
        end = begin + static_cast<int>(copied.size());
    }
    const int from = text_offset(wrap, begin);
    const int to = text_offset(wrap, end);
    return text.substr(static_cast<size_t>(from), static_cast<size_t>(to - from));
}

}  // namespace handbook::ui
