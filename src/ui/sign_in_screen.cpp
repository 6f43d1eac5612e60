// The sign-in screen (#/sign-in): user name, password (masked, with a Show toggle), Sign in
// and Cancel, and what went wrong in words (wrong name or password, too many attempts and
// how long to wait, the server out of reach). Enter in either field signs in.
#include <imgui.h>

#include "account.h"
#include "app_actions.h"
#include "fonts.h"
#include "icons.h"
#include "screens.h"
#include "widgets.h"

namespace handbook::ui {

namespace {

// A labelled single-line field; returns true when Enter was pressed in it.
bool form_field(AppState& state, const char* label, const char* id, char* buffer, size_t size, float width,
                ImGuiInputTextFlags flags, SemanticNode** node) {
    const Palette& p = colors(state);
    ImGui::PushFont(state.fonts.small_bold ? state.fonts.small_bold : ImGui::GetFont());
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(p.muted));
    ImGui::TextUnformatted(label);
    ImGui::PopStyleColor();
    ImGui::PopFont();
    const float h = control_height(state);
    ImGui::SetNextItemWidth(width);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(12, (h - ImGui::GetFontSize()) * 0.5f));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, 8.0f);
    const bool entered = ImGui::InputText(id, buffer, size, flags | ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::PopStyleVar(2);
    *node = note_widget(state, label, SemanticRole::text_field);
    return entered;
}

}  // namespace

void draw_sign_in_screen(AppState& state, Library& library, const UiPlatform& platform, float width) {
    const Palette& p = colors(state);
    const Fonts& f = state.fonts;
    SignInForm& form = state.sign_in;
    const float column = std::min(width, 420.0f);
    const float x0 = ImGui::GetCursorPosX() + (width - column) * 0.5f;

    ImGui::Dummy(ImVec2(1, 32));
    ImGui::SetCursorPosX(x0);
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(x0 + column);
    wrapped_text(f.h1 ? f.h1 : f.bold, p.text, "Sign in", x0 + column, SemanticRole::heading, 1);
    ImGui::Dummy(ImVec2(1, 4));
    wrapped_text(f.body, p.muted, "Policy owners sign in to write and publish; staff, to acknowledge changes. "
                                  "Reading needs no account.", x0 + column);
    ImGui::Dummy(ImVec2(1, 12));

    if (form.focus_name) {
        ImGui::SetKeyboardFocusHere();
        form.focus_name = false;
    }
    SemanticNode* node = nullptr;
    bool submit = form_field(state, "User name", "##user", form.name.data(), form.name.size(), column,
                             ImGuiInputTextFlags_CharsNoBlank, &node);
    if (node) node->value = form.name.data();
    ImGui::Dummy(ImVec2(1, 6));
    submit |= form_field(state, "Password", "##password", form.password.data(), form.password.size(), column,
                         form.show_password ? 0 : ImGuiInputTextFlags_Password, &node);
    if (node) node->password = !form.show_password;  // its text is never put in the page
    ImGui::Dummy(ImVec2(1, 2));
    bool show = form.show_password;
    if (ImGui::Checkbox("Show password", &show)) form.show_password = show;
    if (SemanticNode* n = note_widget(state, "Show password", SemanticRole::toggle)) n->checked = form.show_password;
    ImGui::Dummy(ImVec2(1, 10));

    if (action_button(state, form.busy ? icon::kRefresh : nullptr, form.busy ? "Signing in" : "Sign in", !form.busy, true))
        submit = true;
    ImGui::SameLine();
    const bool cancel = action_button(state, nullptr, "Cancel");
    if (!form.message.empty()) {
        ImGui::Dummy(ImVec2(1, 8));
        wrapped_text(f.body, p.warning, form.message, x0 + column, SemanticRole::status);
        semantics::announce_status(form.message);
    }
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();

    if (submit && !form.busy) submit_sign_in(state, library, platform);
    if (cancel) leave_sign_in(state, library, platform);
}

}  // namespace handbook::ui
