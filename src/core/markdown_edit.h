// The editor's toolbar actions as pure text edits: each takes the Markdown text and the
// selection (byte offsets) and gives the new text and selection, so the UI applies them
// through its text field (where they join its undo history) and tests check them alone.
#pragma once
#include <string>
#include <string_view>

namespace handbook {

struct TextEdit {
    std::string text;
    int select_begin = 0, select_end = 0;  // the selection after the edit (begin == end: a caret)
};

enum class MarkdownAction { heading, bold, italic, bullet_list, numbered_list, table, rule, link };

// Applies `action` to text[begin, end) (or at the caret). Bold and italic wrap the
// selection (or a word placeholder), or unwrap it when it is already wrapped; headings and
// lists act on the selected lines (toggling off when every line has them already); a table
// and a rule are inserted on lines of their own. For `link`, `target` is the route
// ("#/a/refunds") and `title` the text shown when nothing is selected.
TextEdit apply_markdown_action(std::string_view text, int begin, int end, MarkdownAction action,
                               std::string_view target = {}, std::string_view title = {});

// A title as a slug: lower case ASCII letters and digits, words joined by '-', accents
// dropped ("Café crème refunds" -> "cafe-creme-refunds"), at most 80 bytes.
std::string slug_from_title(std::string_view title);

}  // namespace handbook
