// The policy editor's state and what it does, apart from drawing (editor_screen.cpp):
// opening an article or a draft, keeping the draft on the device within a second of
// typing and on leaving, sending it to the server when the network and a session allow
// (the draft's row in the device store is its outbox entry, local_drafts.h), checking it
// with the core's rules field by field, submitting it for review, and asking before
// leaving with changes.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/article.h"
#include "core/markdown_edit.h"
#include "markdown_document.h"
#include "markdown_layout_cache.h"
#include "review.h"
#include "route.h"
#include "soft_wrap.h"

namespace handbook::ui {

struct AppState;
struct Library;
struct UiPlatform;

// Puts `text` in a fixed field's buffer (ImGui edits these in place), cut at a character
// boundary when it is longer than the field holds.
template <size_t N>
void copy_to_field(std::array<char, N>& field, const std::string& text) {
    size_t n = std::min(text.size(), N - 1);
    while (n > 0 && n < text.size() && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    std::memset(field.data(), 0, N);
    std::memcpy(field.data(), text.data(), n);
}

struct EditorState {
    bool open = false;
    std::string client_id;        // the draft's id on the device (and the server's client_id)
    std::string start_slug;       // the article it edits ("" for a new one)
    int base_version = 0;         // the live version it started from
    int64_t server_id = 0;        // the server's draft, once created there
    std::string server_state;     // draft | in_review | returned | published ...
    std::string note;             // a reviewer's comment, or why the server refused the draft

    // The fields as typed.
    std::array<char, kMaxTitleBytes + 1> title{};
    std::array<char, kMaxSlugBytes + 1> slug{};
    std::array<char, kMaxFieldBytes + 1> category{};
    std::array<char, 256> tag_input{};     // the tag being typed (Enter or ',' makes it a chip)
    std::vector<std::string> tags;
    std::array<char, kMaxFieldBytes + 1> owner{};
    std::array<char, 11> effective{};
    std::array<char, 11> review_by{};
    std::string body;
    bool slug_typed = false;      // the slug was typed by hand (it stops following the title)

    // Saving.
    int64_t edits_saved = 0;      // the device store's count for this draft
    bool changed = false;         // typed since the last save to the device
    bool touched = false;         // typed since the editor was opened (the leave guard asks)
    double changed_at = 0;        // ImGui time of the first change not yet saved
    double typed_at = -10;        // ImGui time of the last change (the preview waits for a pause)
    std::string save_error;       // the device could not keep the draft: shown, and the guard asks
    std::string saved_note;       // "Saved on this device" / "Saved" ...

    // Checks shown at the fields (the core's validate_article), by field name.
    std::map<std::string, std::string> problems;
    bool show_all_problems = false;  // after a Submit that the checks stopped

    // The body's text field: the selection in the last frame (text offsets), and an edit
    // to apply to it.
    int select_begin = 0, select_end = 0;
    // The field shows the body soft-wrapped to its width (ImGui 1.86 cannot wrap a text
    // field): `field` is ImGui's buffer, `wrap` what it was given, for the body
    // `wrapped_body` at `wrapped_width`; the field's caret and selection as the last frame left
    // them (display offsets).
    std::string field;
    SoftWrap wrap;
    std::string wrapped_body;
    float wrapped_width = 0;
    float wrap_width = 0;         // the field's width for text this frame
    bool typed_in_field = false;  // the body changed in the field's callback this frame
    int field_caret = 0, field_select_begin = 0, field_select_end = 0;
    // A finger in the body, as in a tablet's text area: a tap places the caret, a drag
    // scrolls the text, a long press selects the word under it and a drag after that
    // extends the selection.
    struct BodyTouch {
        bool down = false, scrolling = false, selecting = false;
        float start_x = 0, start_y = 0, start_scroll = 0;
    } body_touch;
    std::optional<TextEdit> pending_edit;
    // Undo and redo of the body, the app's own (ImGui's cannot see the toolbar's edits):
    // typing is grouped into steps of about a second; a toolbar action is a step of its own.
    std::vector<TextEdit> undo, redo;
    TextEdit last_seen;           // the body and selection as the last frame left them
    double last_step_at = -10;    // when the newest undo step was taken
    bool replaying = false;       // the pending edit is an undo or redo (not a new step)
    int focus_body_frames = 0;    // give the body the keyboard (after a toolbar action)
    bool preview_tab = false;     // "Write / Preview" on a narrow screen: showing Preview
    MarkdownDocument preview;
    std::string preview_of;       // the body the preview was made from
    MarkdownLayoutCache preview_layout;  // its wrapped lines, kept while it is unchanged

    // The live policy moved on while this was written: the device holds version
    // `live_version`, newer than `base_version`, the one the draft started from. Their
    // change (base -> live) is shown beside the text to be merged by hand; nothing typed
    // is touched. "I have merged their change" makes the draft start from the live one.
    int live_version = 0;
    bool live_unknown = true;        // look at the device's newest version (on open, after a download)
    bool server_word_asked = false;  // the server asked where the draft stands (once per opening)
    bool their_change_tab = false;   // the right pane (or the tablet's tab) shows their change
    int their_change_for = 0;        // the live version `their_change` was made for
    bool their_change_loading = false;
    std::string their_change_error;
    std::string their_change_note;   // "Version 5, by ben: <what changed and why>"
    DiffView their_change;

    // The link picker (toolbar "Link"): titles searched as typed.
    bool link_picker = false;
    std::array<char, 128> link_query{};
    // Submit for review.
    bool submit_dialog = false;
    std::array<char, 1001> summary{};
    bool must_acknowledge = false;
    bool submitting = false;
    std::string submit_message;
    // Leaving with changes: where to, once the person has said.
    bool leave_dialog = false;
    Route leave_to;
};

// Opens the editor on `slug` ("" = a new article): the person's open draft of it on this
// device if there is one, else the article as the device holds it.
void open_editor(AppState& state, Library& library, const std::string& slug);
// Opens a draft kept on this device (My drafts).
void open_local_draft(AppState& state, Library& library, const std::string& client_id);

// The fields as an Article.
Article editor_article(const EditorState& editor);
// Undo and redo for the body (Ctrl+Z, Ctrl+Y or Ctrl+Shift+Z): the edit goes through the
// field as a pending edit. False when there is nothing to undo or redo.
bool undo_body(EditorState& editor);
bool redo_body(EditorState& editor);
// The body changed (typed, or an edit applied): an undo step when one is due.
void note_body_change(EditorState& editor, double now, bool new_step);

// Re-runs the core's checks into editor.problems.
void check_editor(EditorState& editor);
// Something was typed: the draft is saved soon, the checks re-run.
void note_editor_change(EditorState& editor, double now);

// Keeps the draft on the device now (leaving, Submit) or when due (a second after typing).
void save_editor_now(AppState& state, Library& library, const UiPlatform& platform, double now);
void save_editor_when_due(AppState& state, Library& library, const UiPlatform& platform, double now);

// Sends the drafts this person has not sent yet (every draft on the device, not only the
// open one): creates them on the server or saves the newest text there. At most one
// request per draft at a time; failures wait and are tried again.
void send_unsent_drafts(AppState& state, Library& library, const UiPlatform& platform, double now);

// Asks the server, once per opening, where a draft it has stands: the device learns that
// an approver returned it (and the comment) only by asking. Kept on the device, so the
// editor and My drafts say so offline too, and a returned draft's new text is sent again.
void ask_where_draft_stands(AppState& state, Library& library, const UiPlatform& platform);
// Takes the server's word on a draft this device keeps (My drafts' list, the editor).
void take_server_word(AppState& state, Database* device, const std::string& client_id, const std::string& server_state,
                      const std::string& review_comment);

// True when a newer version of the policy came out after the draft's (see live_version).
bool editor_has_conflict(const EditorState& editor);
// Looks for a newer version on the device: when the editor opens and after each download
// (refresh_content), the only times it can change.
void check_live_version(AppState& state, Library& library);
// Their change (the draft's version -> the live one): from the versions the device holds,
// else from the server.
void load_their_change(AppState& state, Library& library, const UiPlatform& platform);
// The person merged their change into the text: the draft now starts from the live version
// (the server checks it is still the live one when the draft is next sent).
void mark_merged(EditorState& editor, double now);

// Submit for review: saves and sends the draft, then asks for review with the summary.
void submit_editor(AppState& state, Library& library, const UiPlatform& platform);

// Leaving the editor (another route): with changes typed, the person is asked first
// (the draft is kept either way unless they discard it). Returns true when it may go now.
bool may_leave_editor(AppState& state, const Route& to);
// The person chose in the leave dialog: keep the draft and go, or discard the changes.
void leave_editor(AppState& state, Library& library, const UiPlatform& platform, bool discard);

}  // namespace handbook::ui
