// The policy editor (#/new, #/edit/<slug>, #/draft/<id>): the fields, a toolbar over the
// Markdown body, and the preview drawn by the reader's own renderer (side by side on a
// wide screen, "Write / Preview" tabs on a narrow one). The core's checks are shown at the
// field they concern. The logic (saving, sending, submitting) is editor.cpp's.
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "app_actions.h"
#include "core/markdown_edit.h"
#include "editor.h"
#include "fonts.h"
#include "icons.h"
#include "markdown_view.h"
#include "screens.h"
#include "widgets.h"
#include "touch_scroll.h"
#include "text_selection.h"

namespace handbook::ui {

namespace {

constexpr float kSideBySideWidth = 980.0f;  // narrower: Write / Preview tabs

void field_label(AppState& state, const char* label) {
    const Palette& p = colors(state);
    ImGui::PushFont(state.fonts.small_bold ? state.fonts.small_bold : ImGui::GetFont());
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(p.muted));
    ImGui::TextUnformatted(label);
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

// The check's message under a field (once typed in, or after a Submit the checks stopped).
void field_problem(AppState& state, const char* field, SemanticNode* node, bool typed) {
    const EditorState& e = state.editor;
    auto it = e.problems.find(field);
    if (it == e.problems.end() || (!typed && !e.show_all_problems)) return;
    if (node) {
        node->invalid = true;
        node->description = it->second;
    }
    const Palette& p = colors(state);
    ImGui::PushFont(state.fonts.small ? state.fonts.small : ImGui::GetFont());
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(p.warning));
    ImGui::TextWrapped("%s", it->second.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

// A calendar under a date field, for fingers as much as for a mouse: the month with
// Previous / Next, a day per button. Returns true when a day was chosen (into `date`).
bool date_picker(AppState& state, const char* popup, std::array<char, 11>& date) {
    static int shown_year = 0, shown_month = 0;  // the month on show (one picker is open at a time)
    const float h = control_height(state);
    ImGui::SameLine(0, 4);
    ImGui::PushID(popup);
    const bool open = ImGui::Button(icon::kCalendar, ImVec2(44, h));
    ImGui::PopID();  // (the popup's id is the field's name alone, as BeginPopup below sees it)
    if (open) {
        int y = 0, m = 0, d = 0;
        if (std::sscanf(date.data(), "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12) {
            y = 2026;
            m = 1;
            const std::string today = state.today;
            if (today.size() >= 7) {
                y = std::atoi(today.substr(0, 4).c_str());
                m = std::atoi(today.substr(5, 2).c_str());
            }
        }
        shown_year = std::clamp(y, 1900, 9999);
        shown_month = m;
        ImGui::OpenPopup(popup);
    }
    note_widget(state, std::string("Choose a date: ") + popup);
    bool chosen = false;
    if (ImGui::BeginPopup(popup)) {
        semantics::open(SemanticRole::dialog, popup, popup);
        static const char* kMonths[] = {"January", "February", "March", "April", "May", "June", "July",
                                        "August", "September", "October", "November", "December"};
        if (ImGui::Button("<", ImVec2(44, h))) {
            if (--shown_month < 1) shown_month = 12, shown_year = std::max(1900, shown_year - 1);
        }
        note_widget(state, "Previous month");
        ImGui::SameLine();
        const std::string title = std::string(kMonths[shown_month - 1]) + " " + std::to_string(shown_year);
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + (h - ImGui::GetFontSize()) * 0.5f);
        ImGui::TextUnformatted(title.c_str());
        semantics::item(SemanticRole::heading, title)->level = 3;
        ImGui::SameLine(7 * 48 - 36);
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() - (h - ImGui::GetFontSize()) * 0.5f);
        if (ImGui::Button(">", ImVec2(44, h))) {
            if (++shown_month > 12) shown_month = 1, shown_year = std::min(9999, shown_year + 1);
        }
        note_widget(state, "Next month");
        static const char* kDays[] = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};
        for (int i = 0; i < 7; ++i) {
            // Each name centred over its column of days.
            const float x = 8 + static_cast<float>(i) * 48.0f + (44 - ImGui::CalcTextSize(kDays[i]).x) * 0.5f;
            if (i) ImGui::SameLine(x);
            else ImGui::SetCursorPosX(x);
            ImGui::TextUnformatted(kDays[i]);
        }
        // Weekday of the 1st (Monday 0), by Sakamoto's method; days in the month.
        static const int kOffsets[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
        const int y = shown_month < 3 ? shown_year - 1 : shown_year;
        const int sunday_first = (y + y / 4 - y / 100 + y / 400 + kOffsets[shown_month - 1] + 1) % 7;
        const int first = (sunday_first + 6) % 7;
        static const int kLengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        const bool leap = (shown_year % 4 == 0 && shown_year % 100 != 0) || shown_year % 400 == 0;
        const int days = kLengths[shown_month - 1] + (shown_month == 2 && leap ? 1 : 0);
        ImGui::Dummy(ImVec2(1, std::min(h, 40.0f)));  // the first row of days starts beside this
        for (int day = 1; day <= days; ++day) {
            const int cell = first + day - 1;
            if (day == 1 || cell % 7 != 0) ImGui::SameLine(8 + static_cast<float>(cell % 7) * 48.0f);
            else ImGui::SetCursorPosX(8);  // a new week: Monday's column
            char label[16];
            std::snprintf(label, sizeof label, "%d", day);
            char iso[32];
            std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", shown_year, shown_month, day);
            const bool current = std::strcmp(iso, date.data()) == 0;
            if (current) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(colors(state).accent_soft));
            if (ImGui::Button(label, ImVec2(44, std::min(h, 40.0f)))) {
                std::memcpy(date.data(), iso, 10);
                date[10] = '\0';
                chosen = true;
                ImGui::CloseCurrentPopup();
            }
            if (current) ImGui::PopStyleColor();
            note_widget(state, std::string(kMonths[shown_month - 1]) + " " + label);
        }
        semantics::close();
        ImGui::EndPopup();
    }
    return chosen;
}

// A labelled one-line field; true when its text changed.
template <size_t N>
bool text_field(AppState& state, const char* label, const char* field, std::array<char, N>& buffer, float width,
                ImGuiInputTextFlags flags = 0, const char* hint = nullptr, bool calendar = false) {
    field_label(state, label);
    const float h = control_height(state);
    ImGui::SetNextItemWidth(width);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(10, (h - ImGui::GetFontSize()) * 0.5f));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, 6.0f);
    const std::string id = std::string("##") + field;
    const bool changed = hint ? ImGui::InputTextWithHint(id.c_str(), hint, buffer.data(), N, flags)
                              : ImGui::InputText(id.c_str(), buffer.data(), N, flags);
    ImGui::PopStyleVar(2);
    SemanticNode* node = note_widget(state, label, SemanticRole::text_field);
    if (node) node->value = buffer.data();
    bool picked = false;
    if constexpr (N == 11) {
        if (calendar) picked = date_picker(state, label, buffer);
    }
    field_problem(state, field, node, buffer[0] != '\0');
    return changed || picked;
}

float measure_with_current_font(const char* begin, const char* end) {
    ImFont* font = ImGui::GetFont();
    return font->CalcTextSizeA(ImGui::GetFontSize(), FLT_MAX, -1.0f, begin, end).x;
}

// Puts `text` in the field (inside its callback, the only time ImGui takes a new text
// while the field is being typed in) with the selection given in text offsets.
void replace_field_text(ImGuiInputTextCallbackData* data, const SoftWrap& wrap, int select_begin, int select_end, int caret) {
    data->DeleteChars(0, data->BufTextLen);
    data->InsertChars(0, wrap.display.c_str(), wrap.display.c_str() + wrap.display.size());
    data->SelectionStart = display_offset(wrap, select_begin);
    data->SelectionEnd = display_offset(wrap, select_end);
    data->CursorPos = display_offset(wrap, caret);
}

// The body's field, each frame it has the keyboard (after ImGui applied the frame's keys):
// takes the edit out of the wrapped display into the body, applies a toolbar edit, and
// wraps the body again when it or the width changed.
int body_callback(ImGuiInputTextCallbackData* data) {
    auto* e = static_cast<EditorState*>(data->UserData);
    if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        e->field.resize(static_cast<size_t>(data->BufTextLen));
        data->Buf = e->field.data();
        return 0;
    }
    if (data->EventFlag != ImGuiInputTextFlags_CallbackAlways) return 0;
    int begin = std::min(data->SelectionStart, data->SelectionEnd);
    int end = std::max(data->SelectionStart, data->SelectionEnd);
    int caret = data->CursorPos;
    const std::string_view shown(data->Buf, static_cast<size_t>(data->BufTextLen));
    if (shown != e->wrap.display) {
        // Typed, deleted or pasted this frame.
        UnwrappedEdit edit = unwrap_edit(e->wrapped_body, e->wrap, std::string(shown), data->SelectionStart, data->SelectionEnd,
                                         caret, e->field_caret);
        e->body = std::move(edit.text);
        begin = std::min(edit.select_begin, edit.select_end);
        end = std::max(edit.select_begin, edit.select_end);
        caret = edit.caret;
    } else {
        begin = text_offset(e->wrap, begin);
        end = text_offset(e->wrap, end);
        caret = text_offset(e->wrap, caret);
    }
    bool replace = false;
    if (e->pending_edit) {
        // A toolbar action, a shortcut, undo or redo: the new text and selection.
        e->body = e->pending_edit->text;
        begin = e->pending_edit->select_begin;
        end = caret = e->pending_edit->select_end;
        e->pending_edit.reset();
        replace = true;
    }
    if (e->body != e->wrapped_body) e->typed_in_field = true;
    if (e->body != e->wrapped_body || e->wrap_width != e->wrapped_width || e->wrap.display != shown) {
        // (after a key, only its paragraph is measured again)
        const bool same_layout = e->wrap_width == e->wrapped_width;  // `wrap` is then good for `wrapped_body`
        e->wrap = same_layout ? soft_rewrap(e->wrap, e->wrapped_body, e->body, e->wrap_width, measure_with_current_font)
                              : soft_wrap(e->body, e->wrap_width, measure_with_current_font);
        e->wrapped_body = e->body;
        e->wrapped_width = e->wrap_width;
        replace = replace || e->wrap.display != shown;
    }
    if (replace) replace_field_text(data, e->wrap, begin, end, caret);
    e->select_begin = begin;
    e->select_end = end;
    if (begin == end) e->select_begin = e->select_end = caret;
    e->field_caret = data->CursorPos;
    e->field_select_begin = std::min(data->SelectionStart, data->SelectionEnd);
    e->field_select_end = std::max(data->SelectionStart, data->SelectionEnd);
    return 0;
}

// What Ctrl+C and Ctrl+X in the body put on the clipboard: the text without the soft
// breaks. ImGui copies from its display text, so the host's clipboard function is wrapped
// for the field's call.
struct BodyClipboard {
    const EditorState* editor;
    void (*host_set)(void*, const char*);
    void* host_data;
};
void set_body_clipboard(void* user, const char* copied) {
    auto* c = static_cast<BodyClipboard*>(user);
    const EditorState& e = *c->editor;
    const std::string text = unwrap_copied(e.wrapped_body, e.wrap, copied, e.field_select_begin, e.field_select_end);
    if (c->host_set) c->host_set(c->host_data, text.c_str());
}

// Applies a toolbar action to the body: through the field when it has the keyboard (the
// edit then joins its text), else to the text, giving the field the keyboard back.
void apply_action(AppState& state, MarkdownAction action, const std::string& target = {}, const std::string& title = {}) {
    EditorState& e = state.editor;
    e.pending_edit = apply_markdown_action(e.body, e.select_begin, e.select_end, action, target, title);
    e.last_step_at = -10;  // a step of its own: Ctrl+Z takes back just this
    e.focus_body_frames = 2;
}

void draw_toolbar(AppState& state) {
    struct Tool {
        const char* text;
        const char* name;
        MarkdownAction action;
        const char* keys;
    };
    static const Tool kTools[] = {
        {"H", "Heading", MarkdownAction::heading, "Ctrl+H"},       {"B", "Bold", MarkdownAction::bold, "Ctrl+B"},
        {"I", "Italic", MarkdownAction::italic, "Ctrl+I"},         {"- List", "Bulleted list", MarkdownAction::bullet_list, "Ctrl+Shift+8"},
        {"1. List", "Numbered list", MarkdownAction::numbered_list, "Ctrl+Shift+7"}, {"Table", "Table", MarkdownAction::table, ""},
        {"Link", "Link to a policy", MarkdownAction::link, "Ctrl+K"}, {"Rule", "Horizontal rule", MarkdownAction::rule, ""},
    };
    semantics::open(SemanticRole::navigation, "Formatting", "toolbar");
    const float h = control_height(state);
    for (const Tool& t : kTools) {
        ImFont* font = t.action == MarkdownAction::bold ? state.fonts.bold : t.action == MarkdownAction::italic ? state.fonts.italic : nullptr;
        if (font) ImGui::PushFont(font);
        ImGui::PushID(t.name);
        const bool pressed = ImGui::Button(t.text, ImVec2(std::max(h, ImGui::CalcTextSize(t.text).x + 20), h));
        ImGui::PopID();
        if (font) ImGui::PopFont();
        if (ImGui::IsItemHovered() && !state.touch) ImGui::SetTooltip("%s%s%s", t.name, *t.keys ? "  " : "", t.keys);
        note_widget(state, t.name);
        if (pressed) {
            if (t.action == MarkdownAction::link) {
                state.editor.link_picker = true;
                state.editor.link_query = {};
            } else {
                apply_action(state, t.action);
            }
        }
        ImGui::SameLine(0, 6);
    }
    ImGui::NewLine();
    semantics::close();
}

// Shortcuts while the body has the keyboard.
void body_shortcuts(AppState& state) {
    const ImGuiIO& io = ImGui::GetIO();
    if (!(io.KeyCtrl || io.KeySuper)) return;
    if (ImGui::IsKeyPressed(66, false)) apply_action(state, MarkdownAction::bold);    // B
    if (ImGui::IsKeyPressed(73, false)) apply_action(state, MarkdownAction::italic);  // I
    if (ImGui::IsKeyPressed(72, false)) apply_action(state, MarkdownAction::heading); // H
    if (io.KeyShift && ImGui::IsKeyPressed(56, false)) apply_action(state, MarkdownAction::bullet_list);   // 8
    if (io.KeyShift && ImGui::IsKeyPressed(55, false)) apply_action(state, MarkdownAction::numbered_list); // 7
    if (ImGui::IsKeyPressed(90, true)) {  // Z: undo; with Shift, redo
        if (io.KeyShift) redo_body(state.editor);
        else undo_body(state.editor);
    }
    if (ImGui::IsKeyPressed(89, true)) redo_body(state.editor);  // Y
    if (ImGui::IsKeyPressed(75, false)) {  // K
        state.editor.link_picker = true;
        state.editor.link_query = {};
    }
}

// The body field's own scrolling window (ImGui names a multi-line field's child after the
// field: BeginChildEx in InputTextEx). Null before its first frame.
ImGuiWindow* body_scroll_window() {
    ImGuiWindow* parent = ImGui::GetCurrentWindow();
    char name[512];
    ImFormatString(name, sizeof name, "%s/%s_%08X", parent->Name, "##body", ImGui::GetID("##body"));
    return ImGui::FindWindowByName(name);
}

struct TouchInBody {
    bool hide_press = false;   // the finger scrolls: ImGui must not drag a selection
    bool select_word = false;  // the long press came this frame
};

// A tablet's text area by touch (see EditorState::BodyTouch). The press is the body's, not
// the page's: the page does not scroll under it.
TouchInBody follow_touch_in_body(AppState& state, const ImRect& rect) {
    TouchInBody out;
    if (!state.touch) return out;
    const ImGuiIO& io = ImGui::GetIO();
    EditorState::BodyTouch& t = state.editor.body_touch;
    ImGuiWindow* scroller = body_scroll_window();
    if (io.MouseClicked[0] && rect.Contains(io.MousePos)) {
        t = {};
        t.down = true;
        t.start_x = io.MousePos.x;
        t.start_y = io.MousePos.y;
        t.start_scroll = scroller ? scroller->Scroll.y : 0;
        state.scroll.pressed = false;
    }
    if (!t.down) return out;
    if (!io.MouseDown[0]) {
        t.down = false;
        return out;
    }
    const float moved = std::hypot(io.MousePos.x - t.start_x, io.MousePos.y - t.start_y);
    if (!t.selecting && !t.scrolling && moved > kDragThreshold) t.scrolling = true;
    if (!t.selecting && !t.scrolling && io.MouseDownDuration[0] >= kLongPressSeconds) {
        t.selecting = true;
        out.select_word = true;
    }
    if (!t.selecting && !t.scrolling) state.animating = true;  // a still finger draws no frames by itself
    if (t.scrolling) {
        out.hide_press = true;
        if (scroller) ImGui::SetScrollY(scroller, std::clamp(t.start_scroll - (io.MousePos.y - t.start_y), 0.0f, scroller->ScrollMax.y));
    }
    return out;
}

void draw_body(AppState& state, float width, float height) {
    EditorState& e = state.editor;
    if (e.focus_body_frames > 0) {
        ImGui::SetKeyboardFocusHere();
        --e.focus_body_frames;
    }
    ImGui::PushFont(state.fonts.body);
    const ImVec2 padding(12, 10);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, padding);
    // Lines wrap a little short of the vertical scroll bar, which may come and go.
    e.wrap_width = std::max(40.0f, width - padding.x * 2 - ImGui::GetStyle().ScrollbarSize - 4);
    const bool typing_in_it = ImGui::GetActiveID() == ImGui::GetID("##body");
    if (!typing_in_it && (e.body != e.wrapped_body || e.wrap_width != e.wrapped_width)) {
        e.wrap = soft_wrap(e.body, e.wrap_width, measure_with_current_font);
        e.wrapped_body = e.body;
        e.wrapped_width = e.wrap_width;
    }
    // The field takes its text from here when it is not typed in (also after an Escape,
    // when ImGui put back the text it started with). Compared, not copied, each frame.
    if (!typing_in_it && e.field != e.wrap.display) e.field = e.wrap.display;
    ImGuiIO& io = ImGui::GetIO();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const TouchInBody touch = follow_touch_in_body(state, ImRect(at, ImVec2(at.x + width, at.y + height)));
    const bool mouse_down = io.MouseDown[0];
    const ImU16 clicks = io.MouseClickedCount[0];
    if (touch.hide_press) io.MouseDown[0] = false;     // a scroll selects nothing
    if (touch.select_word) io.MouseClickedCount[0] = 2;  // ImGui's double click: the word
    BodyClipboard clipboard{&e, io.SetClipboardTextFn, io.ClipboardUserData};
    io.SetClipboardTextFn = set_body_clipboard;
    io.ClipboardUserData = &clipboard;
    e.typed_in_field = false;
    ImGui::InputTextMultiline("##body", e.field.data(), e.field.capacity() + 1, ImVec2(width, height),
                              ImGuiInputTextFlags_CallbackResize | ImGuiInputTextFlags_CallbackAlways |
                                  ImGuiInputTextFlags_NoUndoRedo | ImGuiInputTextFlags_NoHorizontalScroll,
                              body_callback, &e);
    io.SetClipboardTextFn = clipboard.host_set;
    io.ClipboardUserData = clipboard.host_data;
    io.MouseDown[0] = mouse_down;
    io.MouseClickedCount[0] = clicks;
    ImGui::PopStyleVar();
    ImGui::PopFont();
    const bool active = ImGui::IsItemActive();
    const bool changed = e.typed_in_field;
    if (active) e.focus_body_frames = 0;
    SemanticNode* node = note_widget(state, "Policy text (Markdown)", SemanticRole::text_field);
    if (node) {
        node->multiline = true;
        // The twin's copy (what a screen reader finds there) while the field is not being
        // typed in: while it is, the twin's element takes the typing and its value would
        // only cost a new tree for the page at every key.
        if (!active) node->value = e.body.size() > 4000 ? e.body.substr(0, 4000) : e.body;
    }
    field_problem(state, "body", node, !e.body.empty());
    if (changed) {
        note_body_change(e, ImGui::GetTime(), false);
        note_editor_change(e, ImGui::GetTime());
    } else if (active) {
        e.last_seen.select_begin = e.select_begin;  // where an undo puts the caret back
        e.last_seen.select_end = e.select_end;
    }
    if (active) body_shortcuts(state);
}

// The other change (the live version's, made while this draft was written), beside the
// text, to be brought into it by hand.
void draw_their_change(AppState& state, Library& library, const UiPlatform& platform, float width, float height) {
    EditorState& e = state.editor;
    load_their_change(state, library, platform);
    const Palette& p = colors(state);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4(p.surface));
    ImGui::BeginChild("their-change", ImVec2(width, height), true);
    semantics::open(SemanticRole::region, "Their change", "their-change");
    wrapped_text(state.fonts.bold, p.text, "Their change: version " + std::to_string(e.base_version) + " to " + std::to_string(e.live_version), 0,
                 SemanticRole::heading, 2);
    wrapped_text(state.fonts.small, p.muted, e.their_change_note);
    ImGui::Dummy(ImVec2(1, 4));
    if (e.their_change_loading) wrapped_text(state.fonts.body, p.muted, "Asking the server...", 0, SemanticRole::status);
    if (!e.their_change_error.empty()) wrapped_text(state.fonts.body, p.warning, e.their_change_error, 0, SemanticRole::status);
    if (!e.their_change_loading && e.their_change_error.empty()) draw_diff(state, e.their_change, ImGui::GetContentRegionAvail().x);
    semantics::close();
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

// Says that the policy moved on, with what to do; true while it is so.
void draw_conflict_notice(AppState& state, bool side_by_side, float wrap_at) {
    EditorState& e = state.editor;
    if (!editor_has_conflict(e)) return;
    const Palette& p = colors(state);
    const std::string what = "Version " + std::to_string(e.live_version) + " of this policy came out after you started from version " +
                             std::to_string(e.base_version) + ". Nothing you typed is changed. Bring their change into your text, " +
                             "then press \"I have merged their change\": until then this draft cannot be submitted.";
    wrapped_text(state.fonts.body, p.warning, what, wrap_at, SemanticRole::status);
    const char* show = e.their_change_tab ? (side_by_side ? "Show the preview" : "Show your text") : "Show their change";
    if (action_button(state, nullptr, show)) e.their_change_tab = !e.their_change_tab;
    ImGui::SameLine();
    if (action_button(state, icon::kCheck, "I have merged their change")) mark_merged(e, ImGui::GetTime());
}

void draw_preview(AppState& state, float width, float height) {
    EditorState& e = state.editor;
    // Re-parsed when typing pauses (a fifth of a second), not at every key: the key's own
    // frame stays short in a long policy.
    const bool typing = ImGui::GetTime() - e.typed_at < 0.2 && !e.preview_of.empty();
    if (e.preview_of != e.body && !typing) {
        e.preview = parse_markdown(e.body);
        e.preview_of = e.body;
        e.preview_layout.clear();
    } else if (e.preview_of != e.body) {
        state.animating = true;  // a frame comes back to bring the preview up to date
    }
    const Palette& p = colors(state);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4(p.surface));
    ImGui::BeginChild("preview", ImVec2(width, height), true);
    semantics::open(SemanticRole::region, "Preview", "preview");
    wrapped_text(state.fonts.h1 ? state.fonts.h1 : state.fonts.bold, p.text, e.title[0] ? e.title.data() : "Untitled policy", 0,
                 SemanticRole::heading, 1);
    ImGui::Dummy(ImVec2(1, 6));
    draw_markdown(state, e.preview, {}, -1, ImGui::GetContentRegionAvail().x, nullptr, nullptr, &e.preview_layout);
    semantics::close();
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

// Tags as chips (x removes one), and a field whose Enter or comma adds the typed tag;
// the library's tags that start with what is typed are offered below it.
void draw_tags(AppState& state, Library& library, float width) {
    EditorState& e = state.editor;
    field_label(state, "Tags");
    const float right = ImGui::GetCursorPosX() + width;
    for (size_t i = 0; i < e.tags.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        const std::string text = e.tags[i] + "  " + icon::kClose;
        // Chips wrap onto the next row rather than run off the column.
        const float chip_w = ImGui::CalcTextSize(text.c_str()).x + ImGui::GetStyle().FramePadding.x * 2;
        if (i > 0 && ImGui::GetCursorPosX() + chip_w > right) ImGui::NewLine();
        if (ImGui::Button(text.c_str(), ImVec2(0, control_height(state) * 0.8f))) {
            e.tags.erase(e.tags.begin() + static_cast<long>(i));
            note_editor_change(e, ImGui::GetTime());
            ImGui::PopID();
            break;
        }
        note_widget(state, "Remove tag " + e.tags[i]);
        ImGui::PopID();
        ImGui::SameLine(0, 6);
    }
    const float h = control_height(state);
    if (right - ImGui::GetCursorPosX() < 200) ImGui::NewLine();  // the chips filled the row
    ImGui::SetNextItemWidth(std::min(right - ImGui::GetCursorPosX(), 260.0f));
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(10, (h - ImGui::GetFontSize()) * 0.5f));
    const bool enter = ImGui::InputTextWithHint("##tag", "Add a tag", e.tag_input.data(), e.tag_input.size(),
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::PopStyleVar();
    if (SemanticNode* n = note_widget(state, "Add a tag", SemanticRole::text_field)) n->value = e.tag_input.data();
    std::string typed = e.tag_input.data();
    const bool comma = !typed.empty() && typed.back() == ',';
    if (comma) typed.pop_back();
    auto add = [&](const std::string& tag) {
        std::string t = tag;
        while (!t.empty() && t.front() == ' ') t.erase(0, 1);
        while (!t.empty() && t.back() == ' ') t.pop_back();
        if (!t.empty() && std::find(e.tags.begin(), e.tags.end(), t) == e.tags.end()) e.tags.push_back(t);
        e.tag_input = {};
        note_editor_change(e, ImGui::GetTime());
    };
    if (enter || comma) add(typed);
    field_problem(state, "tags", nullptr, true);
    if (!typed.empty()) {
        int shown = 0;
        for (const CountedName& t : state.home.tags) {
            if (shown >= 6) break;
            if (t.name.size() < typed.size() || t.name.compare(0, typed.size(), typed) != 0) continue;
            if (std::find(e.tags.begin(), e.tags.end(), t.name) != e.tags.end()) continue;
            if (shown++ == 0) ImGui::SameLine();
            else ImGui::SameLine(0, 6);
            if (chip(state, t.name, t.count, false, "")) add(t.name);
        }
    }
    (void)library;
}

// Category: typed, with the library's categories offered in a list.
void draw_category(AppState& state, float width) {
    EditorState& e = state.editor;
    if (text_field(state, "Category", "category", e.category, width - 52)) note_editor_change(e, ImGui::GetTime());
    ImGui::SameLine(0, 4);
    const float h = control_height(state);
    if (ImGui::Button(icon::kChevronDown, ImVec2(44, h))) ImGui::OpenPopup("categories");
    note_widget(state, "Choose a category");
    if (ImGui::BeginPopup("categories")) {
        semantics::open(SemanticRole::dialog, "Categories", "categories");
        for (const CountedName& c : state.home.categories) {
            if (ImGui::Selectable(c.name.c_str(), c.name == e.category.data(), 0, ImVec2(260, h * 0.8f))) {
                std::memset(e.category.data(), 0, e.category.size());
                std::memcpy(e.category.data(), c.name.data(), std::min(c.name.size(), e.category.size() - 1));
                note_editor_change(e, ImGui::GetTime());
            }
            note_widget(state, c.name);
        }
        semantics::close();
        ImGui::EndPopup();
    }
}

void draw_link_picker(AppState& state, Library& library) {
    EditorState& e = state.editor;
    if (!e.link_picker) return;
    ImGui::OpenPopup("Link to a policy");
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.3f), ImGuiCond_Always, ImVec2(0.5f, 0));
    ImGui::SetNextWindowSize(ImVec2(std::min(520.0f, io.DisplaySize.x - 32), 0));
    if (!ImGui::BeginPopupModal("Link to a policy", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_AlwaysAutoResize)) return;
    semantics::open(SemanticRole::dialog, "Link to a policy", "link-picker");
    wrapped_text(state.fonts.bold, colors(state).text, "Link to a policy", 0, SemanticRole::heading, 2);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##linkq", "Type part of a title", e.link_query.data(), e.link_query.size());
    if (SemanticNode* n = note_widget(state, "Policy title", SemanticRole::text_field)) n->value = e.link_query.data();
    const std::string q = e.link_query.data();
    bool chosen = false;
    if (!q.empty()) {
        SearchQuery query;
        query.text = q;
        query.as_you_type = true;
        query.limit = 8;
        auto found = library.engine.search(query);
        if (found)
            for (const SearchHit& hit : found->hits) {
                if (ImGui::Selectable((hit.title + "##" + hit.slug).c_str(), false, 0, ImVec2(0, control_height(state) * 0.8f))) {
                    apply_action(state, MarkdownAction::link, article_route(hit.slug), hit.title);
                    chosen = true;
                }
                note_widget(state, hit.title, SemanticRole::link);
            }
    }
    if (action_button(state, nullptr, "Cancel") || ImGui::IsKeyPressedMap(ImGuiKey_Escape)) chosen = true;
    if (chosen) {
        e.link_picker = false;
        ImGui::CloseCurrentPopup();
    }
    semantics::close();
    ImGui::EndPopup();
}

void draw_submit_dialog(AppState& state, Library& library, const UiPlatform& platform) {
    EditorState& e = state.editor;
    if (!e.submit_dialog) return;
    ImGui::OpenPopup("Submit for review");
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.25f), ImGuiCond_Always, ImVec2(0.5f, 0));
    ImGui::SetNextWindowSize(ImVec2(std::min(560.0f, io.DisplaySize.x - 32), 0));
    if (!ImGui::BeginPopupModal("Submit for review", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_AlwaysAutoResize)) return;
    semantics::open(SemanticRole::dialog, "Submit for review", "submit");
    const Palette& p = colors(state);
    wrapped_text(state.fonts.bold, p.text, "Submit for review", 0, SemanticRole::heading, 2);
    wrapped_text(state.fonts.small, p.muted, "An approver reads your change and publishes it. Staff see what you write here in \"What's new\".");
    field_label(state, "What changed and why");
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::InputTextMultiline("##summary", e.summary.data(), e.summary.size(), ImVec2(-1, control_height(state) * 2.2f));
    if (SemanticNode* n = note_widget(state, "What changed and why", SemanticRole::text_field)) {
        n->multiline = true;
        n->value = e.summary.data();
    }
    ImGui::Checkbox("Staff must read and acknowledge it", &e.must_acknowledge);
    if (SemanticNode* n = note_widget(state, "Staff must read and acknowledge it", SemanticRole::toggle)) n->checked = e.must_acknowledge;
    if (!e.submit_message.empty()) {
        wrapped_text(state.fonts.body, p.warning, e.submit_message, 0, SemanticRole::status);
        semantics::announce_status(e.submit_message);
    }
    ImGui::Dummy(ImVec2(1, 4));
    if (action_button(state, nullptr, e.submitting ? "Submitting" : "Submit", !e.submitting, true)) submit_editor(state, library, platform);
    ImGui::SameLine();
    if (action_button(state, nullptr, "Not yet") || (!e.submitting && ImGui::IsKeyPressedMap(ImGuiKey_Escape))) {
        e.submit_dialog = false;
        e.submit_message.clear();
        ImGui::CloseCurrentPopup();
    }
    semantics::close();
    ImGui::EndPopup();
}

void draw_leave_dialog(AppState& state, Library& library, const UiPlatform& platform) {
    EditorState& e = state.editor;
    if (!e.leave_dialog) return;
    ImGui::OpenPopup("Leave the editor");
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.3f), ImGuiCond_Always, ImVec2(0.5f, 0));
    ImGui::SetNextWindowSize(ImVec2(std::min(520.0f, io.DisplaySize.x - 32), 0));
    if (!ImGui::BeginPopupModal("Leave the editor", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_AlwaysAutoResize)) return;
    semantics::open(SemanticRole::dialog, "Leave the editor", "leave");
    const Palette& p = colors(state);
    wrapped_text(state.fonts.bold, p.text, "Leave with your changes?", 0, SemanticRole::heading, 2);
    wrapped_text(state.fonts.body, p.muted,
                 e.save_error.empty() ? "Your draft is kept on this device (and on the server when it can be reached); it is in My drafts."
                                      : e.save_error);
    ImGui::Dummy(ImVec2(1, 4));
    bool go = false, discard = false;
    if (action_button(state, nullptr, "Keep draft and leave", true, true)) go = true;
    ImGui::SameLine();
    if (action_button(state, nullptr, "Discard draft")) go = discard = true;
    ImGui::SameLine();
    const bool stay = action_button(state, nullptr, "Stay") || ImGui::IsKeyPressedMap(ImGuiKey_Escape);
    semantics::close();
    if (go || stay) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    if (stay) e.leave_dialog = false;
    if (go) leave_editor(state, library, platform, discard);
}

}  // namespace

void draw_editor_screen(AppState& state, Library& library, const UiPlatform& platform, float width) {
    EditorState& e = state.editor;
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    const bool signed_in = state.account.signed_in && state.account.role != "staff";

    ImGui::Dummy(ImVec2(1, 12));
    const float wrap_at = ImGui::GetCursorPosX() + width;  // status lines end at the column's edge
    if (action_button(state, icon::kArrowLeft, "Back")) {
        Route to;
        to.screen = e.start_slug.empty() ? Screen::home : Screen::article;
        to.slug = e.start_slug;
        navigate(state, library, to, platform);
        if (!e.leave_dialog) return;
    }
    // Submit at the right end of the row, in view however long the text.
    ImGui::SameLine();
    const float submit_w = ImGui::CalcTextSize("Submit for review").x + 28;
    ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetCursorPosX() + width - submit_w - ImGui::GetItemRectSize().x - 8));
    if (action_button(state, nullptr, "Submit for review", signed_in && !e.submitting, true)) {
        e.show_all_problems = true;
        check_editor(e);
        e.submit_message = e.problems.empty() ? "" : "Fix what is marked first: " + e.problems.begin()->first + ": " + e.problems.begin()->second + ".";
        e.submit_dialog = e.problems.empty() && !editor_has_conflict(e);
        if (editor_has_conflict(e)) e.their_change_tab = true;
    }
    const std::string heading = e.start_slug.empty() ? "New policy" : "Edit policy";
    wrapped_text(f.h2 ? f.h2 : f.bold, p.text, heading, 0, SemanticRole::heading, 1);
    if (e.show_all_problems && !e.problems.empty() && !e.submit_dialog)
        wrapped_text(f.body, p.warning, "Fix what is marked below before submitting.", wrap_at, SemanticRole::status);

    // Where the draft stands, and what to do.
    std::string standing = e.saved_note;
    if (e.server_state == "in_review") standing = "In review: an approver has it. Changes now go back to draft.";
    if (!standing.empty()) wrapped_text(f.small, p.muted, standing, wrap_at, SemanticRole::status);
    if (!e.note.empty()) {
        const std::string note = (e.server_state == "returned" ? "Returned by the approver: " : "The server did not take this draft: ") + e.note;
        wrapped_text(f.body, p.warning, note, wrap_at, SemanticRole::status);
    }
    if (!e.save_error.empty()) {
        wrapped_text(f.body, p.warning, e.save_error, wrap_at, SemanticRole::status);
        semantics::announce_status(e.save_error);
    }
    if (!signed_in)
        wrapped_text(f.body, p.warning, "Sign in as an editor to send this draft for review; it is kept on this device meanwhile.", wrap_at,
                     SemanticRole::status);
    check_live_version(state, library);
    ask_where_draft_stands(state, library, platform);
    const bool side_by_side = width >= kSideBySideWidth;
    draw_conflict_notice(state, side_by_side, wrap_at);

    // Fields: two columns when there is room.
    const float gap = 16;
    const bool two = width >= 700;
    const float col = two ? (width - gap) * 0.5f : width;
    if (text_field(state, "Title", "title", e.title, width)) {
        if (!e.slug_typed && e.start_slug.empty()) {
            const std::string slug = slug_from_title(e.title.data());
            std::memset(e.slug.data(), 0, e.slug.size());
            std::memcpy(e.slug.data(), slug.data(), std::min(slug.size(), e.slug.size() - 1));
        }
        note_editor_change(e, ImGui::GetTime());
    }
    const float row_y = ImGui::GetCursorPosY();
    const float x0 = ImGui::GetCursorPosX();
    ImGui::BeginGroup();
    if (e.start_slug.empty()) {
        if (text_field(state, "Address (slug)", "slug", e.slug, col, ImGuiInputTextFlags_CharsNoBlank)) {
            e.slug_typed = true;
            note_editor_change(e, ImGui::GetTime());
        }
    } else {
        field_label(state, "Address (slug)");
        wrapped_text(f.body, p.text, std::string("#/a/") + e.slug.data());
    }
    ImGui::EndGroup();
    if (two) {
        ImGui::SetCursorPos(ImVec2(x0 + col + gap, row_y));
    }
    ImGui::BeginGroup();
    draw_category(state, col);
    ImGui::EndGroup();
    const float row2 = ImGui::GetCursorPosY();
    ImGui::BeginGroup();
    if (text_field(state, "Owner", "owner", e.owner, col, 0, "The team that owns it")) note_editor_change(e, ImGui::GetTime());
    ImGui::EndGroup();
    if (two) ImGui::SetCursorPos(ImVec2(x0 + col + gap, row2));
    ImGui::BeginGroup();
    const float half = (col - gap) * 0.5f;
    // (SetCursorPos, not SameLine: SameLine after a group ending in a field lowers the
    // next group by the field's padding.)
    const ImVec2 dates_at = ImGui::GetCursorPos();
    ImGui::BeginGroup();
    if (text_field(state, "Comes into force", "effective", e.effective, half - 48, ImGuiInputTextFlags_CharsDecimal | ImGuiInputTextFlags_CharsNoBlank, "YYYY-MM-DD", true))
        note_editor_change(e, ImGui::GetTime());
    ImGui::EndGroup();
    const float dates_bottom = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(dates_at.x + half + gap, dates_at.y));
    ImGui::BeginGroup();
    if (text_field(state, "Review by", "review_by", e.review_by, half - 48, ImGuiInputTextFlags_CharsDecimal | ImGuiInputTextFlags_CharsNoBlank, "YYYY-MM-DD", true))
        note_editor_change(e, ImGui::GetTime());
    ImGui::EndGroup();
    ImGui::SetCursorPosY(std::max(ImGui::GetCursorPosY(), dates_bottom));
    ImGui::EndGroup();
    draw_tags(state, library, width);
    ImGui::Dummy(ImVec2(1, 6));

    // The body and its preview (or, in a conflict, the other change).
    const bool conflict = editor_has_conflict(e);
    const bool theirs = conflict && e.their_change_tab;
    if (!side_by_side) {
        semantics::open(SemanticRole::navigation, "Write or preview", "tabs");
        if (ImGui::RadioButton("Write", !e.preview_tab && !theirs)) e.preview_tab = e.their_change_tab = false;
        if (SemanticNode* n = note_widget(state, "Write", SemanticRole::toggle)) n->checked = !e.preview_tab && !theirs;
        ImGui::SameLine(0, 16);
        if (ImGui::RadioButton("Preview", e.preview_tab && !theirs)) {
            e.preview_tab = true;
            e.their_change_tab = false;
        }
        if (SemanticNode* n = note_widget(state, "Preview", SemanticRole::toggle)) n->checked = e.preview_tab && !theirs;
        if (conflict) {
            ImGui::SameLine(0, 16);
            if (ImGui::RadioButton("Their change", theirs)) e.their_change_tab = true;
            if (SemanticNode* n = note_widget(state, "Their change", SemanticRole::toggle)) n->checked = theirs;
        }
        semantics::close();
    }
    if (side_by_side || (!e.preview_tab && !theirs)) draw_toolbar(state);
    const float height = std::max(360.0f, ImGui::GetWindowHeight() - 220);
    if (side_by_side) {
        const float half_w = (width - gap) * 0.5f;
        draw_body(state, half_w, height);
        ImGui::SameLine(0, gap);
        if (theirs) draw_their_change(state, library, platform, half_w, height);
        else draw_preview(state, half_w, height);
    } else if (theirs) {
        draw_their_change(state, library, platform, width, height);
    } else if (e.preview_tab) {
        draw_preview(state, width, height);
    } else {
        draw_body(state, width, height);
    }
    ImGui::Dummy(ImVec2(1, 24));

    draw_link_picker(state, library);
    draw_submit_dialog(state, library, platform);
    draw_leave_dialog(state, library, platform);
    save_editor_when_due(state, library, platform, ImGui::GetTime());
}

}  // namespace handbook::ui
