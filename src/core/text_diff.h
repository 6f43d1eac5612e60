// What changed between two versions of a policy: a line diff (dtl's Myers O(ND) diff,
// Debian's libdtl-dev) with the changes within a changed line marked word by word, and
// the fields of the front matter that changed. The server sends it as JSON, the terminal
// prints it (handbook diff), the app draws it (review and history screens).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "article.h"

namespace handbook {

struct DiffSpan {
    enum class Kind { same, added, removed };
    Kind kind = Kind::same;
    std::string text;
};

struct DiffLine {
    // same: in both; added / removed: in one only; changed: a line replaced by a similar
    // one, with `spans` marking the words removed and added within it.
    enum class Kind { same, added, removed, changed };
    Kind kind = Kind::same;
    int old_number = 0;  // 1-based line in the older text (0: not there)
    int new_number = 0;  // 1-based line in the newer text (0: not there)
    std::string old_text, new_text;
    std::vector<DiffSpan> spans;  // for `changed`
};

struct TextDiff {
    std::vector<DiffLine> lines;
    int added = 0, removed = 0, changed = 0;  // lines
    bool empty() const { return added == 0 && removed == 0 && changed == 0; }
};

TextDiff diff_text(std::string_view before, std::string_view after);

struct FieldChange {
    std::string field;  // "title", "category", "tags", "owner", "effective", "review_by", "status"
    std::string before, after;
};

struct VersionDiff {
    std::vector<FieldChange> fields;
    TextDiff body;
};

VersionDiff diff_articles(const Article& before, const Article& after);

const char* diff_line_kind_name(DiffLine::Kind kind);  // "same" | "added" | "removed" | "changed"
const char* diff_span_kind_name(DiffSpan::Kind kind);  // "same" | "added" | "removed"

// As text for a terminal: "- old", "+ new", "~ changed" lines with [-removed-]{+added+}
// marks (or colours when `color`), with `context` unchanged lines around each change.
std::string format_diff(const VersionDiff& diff, bool color, int context = 2);

}  // namespace handbook
