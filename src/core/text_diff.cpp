#include "text_diff.h"

#include <dtl/dtl.hpp>

#include <algorithm>

namespace handbook {

namespace {

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.emplace_back(line);
        start = end + 1;
    }
    return lines;
}

// Words (letters, digits and every non-ASCII byte, so UTF-8 stays whole), runs of spaces,
// and single punctuation marks: the units a changed line is compared in.
std::vector<std::string> split_words(std::string_view text) {
    auto is_word = [](unsigned char c) { return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); };
    std::vector<std::string> out;
    size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        size_t j = i + 1;
        if (is_word(c)) {
            while (j < text.size() && is_word(static_cast<unsigned char>(text[j]))) ++j;
        } else if (c == ' ' || c == '\t') {
            while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
        }
        out.emplace_back(text.substr(i, j - i));
        i = j;
    }
    return out;
}

template <typename Seq>
auto edit_script(const Seq& a, const Seq& b) {
    dtl::Diff<std::string, Seq> diff(a, b);
    // Above this many elements dtl keeps less in memory and may give a longer script.
    if (a.size() + b.size() > 20000) diff.onHuge();
    diff.compose();
    return diff.getSes().getSequence();
}

std::vector<DiffSpan> word_spans(const std::string& before, const std::string& after) {
    std::vector<DiffSpan> spans;
    for (const auto& [word, info] : edit_script(split_words(before), split_words(after))) {
        DiffSpan::Kind kind = info.type == dtl::SES_ADD ? DiffSpan::Kind::added
                              : info.type == dtl::SES_DELETE ? DiffSpan::Kind::removed
                                                             : DiffSpan::Kind::same;
        if (!spans.empty() && spans.back().kind == kind) spans.back().text += word;
        else spans.push_back({kind, word});
    }
    return spans;
}

// Two lines are worth showing as one changed line when at least a third of the words
// stayed; otherwise a removed line and an added one read better.
bool similar(const std::vector<DiffSpan>& spans) {
    size_t same = 0, total = 0;
    for (const DiffSpan& s : spans) {
        if (s.text.find_first_not_of(" \t") == std::string::npos) continue;
        total += s.text.size();
        if (s.kind == DiffSpan::Kind::same) same += s.text.size();
    }
    return total > 0 && same * 3 >= total;
}

}  // namespace

TextDiff diff_text(std::string_view before, std::string_view after) {
    TextDiff out;
    std::vector<DiffLine> removed_run, added_run;
    // A run of removed and added lines between two common ones (dtl may give either
    // first): pair them up in order as changed lines where they are similar.
    auto flush = [&] {
        size_t pairs = std::min(removed_run.size(), added_run.size());
        size_t r = 0, a = 0;
        for (; r < pairs; ++r, ++a) {
            DiffLine line;
            line.spans = word_spans(removed_run[r].old_text, added_run[a].new_text);
            if (!similar(line.spans)) break;
            line.kind = DiffLine::Kind::changed;
            line.old_number = removed_run[r].old_number;
            line.new_number = added_run[a].new_number;
            line.old_text = removed_run[r].old_text;
            line.new_text = added_run[a].new_text;
            out.lines.push_back(std::move(line));
            ++out.changed;
        }
        for (; r < removed_run.size(); ++r, ++out.removed) out.lines.push_back(removed_run[r]);
        for (; a < added_run.size(); ++a, ++out.added) out.lines.push_back(added_run[a]);
        removed_run.clear();
        added_run.clear();
    };
    for (const auto& [line, info] : edit_script(split_lines(before), split_lines(after))) {
        DiffLine d;
        if (info.type == dtl::SES_DELETE) {
            d.kind = DiffLine::Kind::removed;
            d.old_number = static_cast<int>(info.beforeIdx);
            d.old_text = line;
            removed_run.push_back(std::move(d));
        } else if (info.type == dtl::SES_ADD) {
            d.kind = DiffLine::Kind::added;
            d.new_number = static_cast<int>(info.afterIdx);
            d.new_text = line;
            added_run.push_back(std::move(d));
        } else {
            flush();
            d.kind = DiffLine::Kind::same;
            d.old_number = static_cast<int>(info.beforeIdx);
            d.new_number = static_cast<int>(info.afterIdx);
            d.old_text = d.new_text = line;
            out.lines.push_back(std::move(d));
        }
    }
    flush();
    return out;
}

VersionDiff diff_articles(const Article& before, const Article& after) {
    VersionDiff out;
    auto field = [&](const char* name, const std::string& a, const std::string& b) {
        if (a != b) out.fields.push_back({name, a, b});
    };
    auto join = [](const std::vector<std::string>& tags) {
        std::string s;
        for (const auto& t : tags) s += (s.empty() ? "" : ", ") + t;
        return s;
    };
    field("title", before.title, after.title);
    field("category", before.category, after.category);
    field("tags", join(before.tags), join(after.tags));
    field("owner", before.owner, after.owner);
    field("effective", before.effective, after.effective);
    field("review_by", before.review_by, after.review_by);
    field("status", before.status, after.status);
    out.body = diff_text(before.body, after.body);
    return out;
}

const char* diff_line_kind_name(DiffLine::Kind kind) {
    switch (kind) {
    case DiffLine::Kind::same: return "same";
    case DiffLine::Kind::added: return "added";
    case DiffLine::Kind::removed: return "removed";
    case DiffLine::Kind::changed: return "changed";
    }
    return "same";
}

const char* diff_span_kind_name(DiffSpan::Kind kind) {
    switch (kind) {
    case DiffSpan::Kind::same: return "same";
    case DiffSpan::Kind::added: return "added";
    case DiffSpan::Kind::removed: return "removed";
    }
    return "same";
}

std::string format_diff(const VersionDiff& diff, bool color, int context) {
    const char* red = color ? "\033[31m" : "";
    const char* green = color ? "\033[32m" : "";
    const char* off = color ? "\033[0m" : "";
    std::string out;
    for (const FieldChange& f : diff.fields) out += f.field + ": " + red + f.before + off + " -> " + green + f.after + off + "\n";
    if (!diff.fields.empty()) out += "\n";
    const auto& lines = diff.body.lines;
    std::vector<bool> shown(lines.size(), false);
    for (size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].kind == DiffLine::Kind::same) continue;
        size_t from = i >= static_cast<size_t>(context) ? i - static_cast<size_t>(context) : 0;
        size_t to = std::min(lines.size(), i + static_cast<size_t>(context) + 1);
        for (size_t k = from; k < to; ++k) shown[k] = true;
    }
    bool gap = false;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (!shown[i]) {
            gap = true;
            continue;
        }
        if (gap && !out.empty()) out += "...\n";
        gap = false;
        const DiffLine& l = lines[i];
        switch (l.kind) {
        case DiffLine::Kind::same: out += "  " + l.new_text + "\n"; break;
        case DiffLine::Kind::removed: out += std::string(red) + "- " + l.old_text + off + "\n"; break;
        case DiffLine::Kind::added: out += std::string(green) + "+ " + l.new_text + off + "\n"; break;
        case DiffLine::Kind::changed:
            out += "~ ";
            for (const DiffSpan& s : l.spans) {
                if (s.kind == DiffSpan::Kind::same) out += s.text;
                else if (s.kind == DiffSpan::Kind::removed) out += std::string(red) + (color ? "" : "[-") + s.text + (color ? "" : "-]") + off;
                else out += std::string(green) + (color ? "" : "{+") + s.text + (color ? "" : "+}") + off;
            }
            out += "\n";
            break;
        }
    }
    if (diff.fields.empty() && diff.body.empty()) out += "(no differences)\n";
    return out;
}

}  // namespace handbook
