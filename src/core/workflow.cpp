#include "workflow.h"

#include <algorithm>

namespace handbook {

const char* role_name(Role role) {
    switch (role) {
    case Role::staff: return "staff";
    case Role::editor: return "editor";
    case Role::approver: return "approver";
    case Role::admin: return "admin";
    }
    return "staff";
}

std::optional<Role> parse_role(std::string_view name) {
    for (Role r : {Role::staff, Role::editor, Role::approver, Role::admin})
        if (name == role_name(r)) return r;
    return std::nullopt;
}

const char* draft_state_name(DraftState state) {
    switch (state) {
    case DraftState::draft: return "draft";
    case DraftState::in_review: return "in_review";
    case DraftState::returned: return "returned";
    case DraftState::published: return "published";
    case DraftState::discarded: return "discarded";
    }
    return "draft";
}

std::optional<DraftState> parse_draft_state(std::string_view name) {
    for (DraftState s : {DraftState::draft, DraftState::in_review, DraftState::returned, DraftState::published, DraftState::discarded})
        if (name == draft_state_name(s)) return s;
    return std::nullopt;
}

const char* draft_action_name(DraftAction action) {
    switch (action) {
    case DraftAction::view: return "view";
    case DraftAction::create: return "create";
    case DraftAction::save: return "save";
    case DraftAction::discard: return "discard";
    case DraftAction::submit: return "submit";
    case DraftAction::return_for_changes: return "return";
    case DraftAction::publish: return "publish";
    }
    return "view";
}

const char* draft_kind_name(DraftKind kind) {
    switch (kind) {
    case DraftKind::edit: return "edit";
    case DraftKind::archive: return "archive";
    case DraftKind::revert: return "revert";
    }
    return "edit";
}

std::optional<DraftKind> parse_draft_kind(std::string_view name) {
    for (DraftKind k : {DraftKind::edit, DraftKind::archive, DraftKind::revert})
        if (name == draft_kind_name(k)) return k;
    return std::nullopt;
}

bool covers_category(const Actor& actor, std::string_view category) {
    if (actor.role == Role::admin || actor.categories.empty()) return true;
    return std::find(actor.categories.begin(), actor.categories.end(), category) != actor.categories.end();
}

namespace {

Decision allow() { return {true, false, {}}; }
Decision forbid(std::string why) { return {false, true, std::move(why)}; }
Decision not_now(std::string why) { return {false, false, std::move(why)}; }

bool writes(Role r) { return r != Role::staff; }
bool reviews(Role r) { return r == Role::approver || r == Role::admin; }

}  // namespace

Decision may(const Actor& actor, DraftAction action, DraftState state, bool is_author, std::string_view category,
             const WorkflowSettings& settings) {
    const Role role = actor.role;
    if (!writes(role)) return forbid("staff read and acknowledge policies; writing them needs an editor's account");
    const bool in_category = covers_category(actor, category);
    const std::string where = "'" + std::string(category) + "'";
    const bool open = state == DraftState::draft || state == DraftState::returned;
    switch (action) {
    case DraftAction::create:
        if (!in_category) return forbid("you may write policies in your own categories only, not in " + where);
        return allow();
    case DraftAction::view:
        if (is_author) return allow();
        if (reviews(role) && in_category) return allow();
        return forbid("a draft is seen only by its author and by the approvers of its category");
    case DraftAction::save:
    case DraftAction::submit:
        if (!is_author && role != Role::admin) return forbid("only the draft's author (or an admin) may change or submit it");
        if (!in_category) return forbid("you may write policies in your own categories only, not in " + where);
        if (state == DraftState::in_review) return not_now("the draft is waiting for review: ask an approver to return it first");
        if (!open) return not_now("the draft was already " + std::string(draft_state_name(state)));
        return allow();
    case DraftAction::discard:
        if (!is_author && role != Role::admin) return forbid("only the draft's author may discard it");
        if (!open && state != DraftState::in_review) return not_now("the draft was already " + std::string(draft_state_name(state)));
        return allow();
    case DraftAction::return_for_changes:
        // Its author may take it back out of review; reviewers return it with a comment.
        if (!is_author && !(reviews(role) && in_category))
            return forbid("only an approver of " + where + " (or the draft's author) may return it");
        if (state != DraftState::in_review) return not_now("only a draft waiting for review can be returned");
        return allow();
    case DraftAction::publish:
        if (!reviews(role)) return forbid("publishing needs an approver");
        if (!in_category) return forbid("you approve policies in your own categories only, not in " + where);
        if (is_author && !settings.self_approval)
            return forbid("you wrote this change, so another approver must publish it (an admin can allow self-approval)");
        if (state != DraftState::in_review) return not_now("only a draft waiting for review can be published: submit it first");
        return allow();
    }
    return forbid("unknown action");
}

DraftState state_after(DraftAction action, DraftState state) {
    switch (action) {
    case DraftAction::create:
    case DraftAction::save: return state == DraftState::returned ? DraftState::returned : DraftState::draft;
    case DraftAction::submit: return DraftState::in_review;
    case DraftAction::return_for_changes: return DraftState::returned;
    case DraftAction::publish: return DraftState::published;
    case DraftAction::discard: return DraftState::discarded;
    case DraftAction::view: return state;
    }
    return state;
}

}  // namespace handbook
