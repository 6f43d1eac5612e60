// See markdown_edit.h.
#include "markdown_edit.h"

#include <algorithm>
#include <vector>

namespace handbook {

namespace {

struct Lines {
    int begin = 0, end = 0;  // from the start of the first selected line to the end of the last
};

Lines selected_lines(std::string_view text, int begin, int end) {
    Lines l;
    l.begin = begin;
    while (l.begin > 0 && text[l.begin - 1] != '\n') --l.begin;
    // A selection ending just after a line break does not take the next line.
    int last = end > begin && text[end - 1] == '\n' ? end - 1 : end;
    l.end = last;
    while (l.end < static_cast<int>(text.size()) && text[l.end] != '\n') ++l.end;
    return l;
}

std::vector<std::string> split_lines(std::string_view s) {
    std::vector<std::string> out;
    size_t start = 0;
    while (true) {
        size_t nl = s.find('\n', start);
        out.emplace_back(s.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    return out;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// The numbered-list marker at the start of `line` ("12. "), its length; 0 if none.
size_t number_marker(std::string_view line) {
    size_t i = 0;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
    return i > 0 && i + 1 < line.size() + 1 && line.substr(i, 2) == ". " ? i + 2 : 0;
}

// Wraps (or unwraps) the selection in `mark` ("**", "*").
TextEdit wrap(std::string_view text, int begin, int end, std::string_view mark, std::string_view placeholder) {
    const int m = static_cast<int>(mark.size());
    std::string t(text);
    // Already wrapped just outside the selection: unwrap.
    if (begin >= m && end + m <= static_cast<int>(t.size()) && t.compare(begin - m, m, mark) == 0 && t.compare(end, m, mark) == 0 &&
        (m != 1 || ((begin < 2 || t[begin - 2] != '*') && (end + 1 >= static_cast<int>(t.size()) || t[end + 1] != '*')))) {
        t.erase(end, m);
        t.erase(begin - m, m);
        return {t, begin - m, end - m};
    }
    std::string inner = begin == end ? std::string(placeholder) : t.substr(begin, end - begin);
    t.replace(begin, end - begin, std::string(mark) + inner + std::string(mark));
    return {t, begin + m, begin + m + static_cast<int>(inner.size())};
}

// Puts `block` on lines of its own at the caret (blank lines around it, as Markdown needs).
TextEdit insert_block(std::string_view text, int at, const std::string& block, int select_from, int select_len) {
    std::string t(text);
    std::string before, after;
    if (at > 0 && t[at - 1] != '\n') before = "\n\n";
    else if (at > 1 && t[at - 2] != '\n') before = "\n";
    if (at >= static_cast<int>(t.size())) after = "\n";
    else if (t.compare(at, 2, "\n\n") == 0) after = "";
    else after = t[at] == '\n' ? "\n" : "\n\n";
    t.insert(at, before + block + after);
    const int start = at + static_cast<int>(before.size()) + select_from;
    return {t, start, start + select_len};
}

// Toggles a prefix on every selected line (all have it: removed; else added).
TextEdit prefix_lines(std::string_view text, int begin, int end, bool numbered, std::string_view prefix) {
    const Lines l = selected_lines(text, begin, end);
    std::vector<std::string> lines = split_lines(text.substr(l.begin, l.end - l.begin));
    const bool all = std::all_of(lines.begin(), lines.end(), [&](const std::string& s) {
        return numbered ? number_marker(s) > 0 : starts_with(s, prefix);
    });
    std::string out;
    int n = 1;
    for (size_t i = 0; i < lines.size(); ++i) {
        std::string s = lines[i];
        if (all) {
            s.erase(0, numbered ? number_marker(s) : prefix.size());
        } else if (!s.empty() || lines.size() == 1) {
            // Take off the other kind of marker first (a bulleted line made numbered).
            if (starts_with(s, "- ") || starts_with(s, "* ")) s.erase(0, 2);
            else if (size_t k = number_marker(s)) s.erase(0, k);
            else if (starts_with(s, "# ") || starts_with(s, "## ") || starts_with(s, "### ")) s.erase(0, s.find(' ') + 1);
            s = (numbered ? std::to_string(n++) + ". " : std::string(prefix)) + s;
        }
        out += s;
        if (i + 1 < lines.size()) out += '\n';
    }
    std::string t(text);
    t.replace(l.begin, l.end - l.begin, out);
    return {t, l.begin + static_cast<int>(out.size()), l.begin + static_cast<int>(out.size())};
}

}  // namespace

TextEdit apply_markdown_action(std::string_view text, int begin, int end, MarkdownAction action, std::string_view target,
                               std::string_view title) {
    const int size = static_cast<int>(text.size());
    begin = std::clamp(begin, 0, size);
    end = std::clamp(end, 0, size);
    if (end < begin) std::swap(begin, end);
    switch (action) {
    case MarkdownAction::bold: return wrap(text, begin, end, "**", "bold text");
    case MarkdownAction::italic: return wrap(text, begin, end, "*", "italic text");
    case MarkdownAction::heading: {
        const Lines l = selected_lines(text, begin, end);
        std::string line(text.substr(l.begin, l.end - l.begin));
        // Cycles: plain -> ## -> ### -> plain (a policy's # is its title).
        std::string bare = line;
        int level = 0;
        while (level < static_cast<int>(bare.size()) && bare[level] == '#') ++level;
        if (level > 0 && level < static_cast<int>(bare.size()) && bare[level] == ' ') bare.erase(0, level + 1);
        else level = 0;
        std::string next = level == 0 ? "## " + bare : level == 2 ? "### " + bare : bare;
        if (bare.empty() && level == 0) next = "## Heading";
        std::string t(text);
        t.replace(l.begin, l.end - l.begin, next);
        const int end_of_line = l.begin + static_cast<int>(next.size());
        if (bare.empty() && level == 0) return {t, l.begin + 3, end_of_line};
        return {t, end_of_line, end_of_line};
    }
    case MarkdownAction::bullet_list: return prefix_lines(text, begin, end, false, "- ");
    case MarkdownAction::numbered_list: return prefix_lines(text, begin, end, true, "");
    case MarkdownAction::rule: return insert_block(text, end, "---", 3, 0);
    case MarkdownAction::table: {
        const std::string table = "| Column | Column |\n| --- | --- |\n| Text | Text |";
        return insert_block(text, end, table, 2, 6);  // "Column" selected, to be typed over
    }
    case MarkdownAction::link: {
        std::string shown = begin == end ? std::string(title.empty() ? "link text" : title) : std::string(text.substr(begin, end - begin));
        std::string link = "[" + shown + "](" + std::string(target) + ")";
        std::string t(text);
        t.replace(begin, end - begin, link);
        const int after = begin + static_cast<int>(link.size());
        return {t, after, after};
    }
    }
    return {std::string(text), begin, end};
}

std::string slug_from_title(std::string_view title) {
    // Latin letters with accents (UTF-8 C3 xx) as their plain letter; other non-ASCII dropped.
    static const char kLatin1[] = "AAAAAAACEEEEIIIIDNOOOOO OUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
    std::string out;
    bool dash = false;
    for (size_t i = 0; i < title.size() && out.size() < 80; ++i) {
        unsigned char c = static_cast<unsigned char>(title[i]);
        char plain = 0;
        if (c < 0x80) {
            plain = static_cast<char>(c);
        } else if (c == 0xC3 && i + 1 < title.size()) {
            unsigned char d = static_cast<unsigned char>(title[++i]);
            if (d >= 0x80 && d <= 0xBF) plain = kLatin1[d - 0x80];
            if (d == 0x9F) {  // ß
                if (dash && !out.empty()) out += '-';
                dash = false;
                out += "ss";
                continue;
            }
        } else {
            while (i + 1 < title.size() && (static_cast<unsigned char>(title[i + 1]) & 0xC0) == 0x80) ++i;
        }
        if (plain >= 'A' && plain <= 'Z') plain = static_cast<char>(plain - 'A' + 'a');
        if ((plain >= 'a' && plain <= 'z') || (plain >= '0' && plain <= '9')) {
            if (dash && !out.empty()) out += '-';
            dash = false;
            out += plain;
        } else if (plain != '\'') {
            dash = true;
        }
    }
    if (out.size() > 80) out.resize(80);
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

}  // namespace handbook
