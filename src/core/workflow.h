// Who may do what with a policy: roles, the states a draft goes through, and the rules
// between them, as plain data and one pure function. The server enforces them on every
// request (src/server/api.cpp); the app asks the same function which controls to show.
//
//   staff     read and acknowledge
//   editor    write drafts and submit them for review (in their categories, if given)
//   approver  also review: publish, return with a comment; archive and revert go
//             through review too (in their categories, if given)
//   admin     everything (in every category, other people's drafts too), and manage
//             users and settings
//
// A draft:  draft --submit--> in_review --publish--> published
//             ^                   |
//             +----- returned <---+ (return, with a comment; save edits it again)
// Publishing one's own change needs the setting "self_approval" (off by default).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace handbook {

enum class Role { staff, editor, approver, admin };
enum class DraftState { draft, in_review, returned, published, discarded };
enum class DraftAction { view, create, save, discard, submit, return_for_changes, publish };
// What publishing a draft does to the article.
enum class DraftKind { edit, archive, revert };

const char* role_name(Role role);
std::optional<Role> parse_role(std::string_view name);
const char* draft_state_name(DraftState state);
std::optional<DraftState> parse_draft_state(std::string_view name);
const char* draft_action_name(DraftAction action);
const char* draft_kind_name(DraftKind kind);
std::optional<DraftKind> parse_draft_kind(std::string_view name);

struct WorkflowSettings {
    bool self_approval = false;  // may an approver publish a change they wrote?
};

// The person acting, as far as the rules care.
struct Actor {
    Role role = Role::staff;
    std::vector<std::string> categories;  // empty: every category
};

// May `actor` work in `category`? (An empty list of categories means all of them.)
bool covers_category(const Actor& actor, std::string_view category);

struct Decision {
    bool allowed = false;
    bool forbidden = false;  // refused for who the actor is (403), not for the draft's state (409)
    std::string reason;      // why not, for a person
};

// May `actor` do `action` to a draft in `state` written by them (`is_author`) in
// `category`? (For `create`, `state` is ignored and `is_author` is true.)
Decision may(const Actor& actor, DraftAction action, DraftState state, bool is_author, std::string_view category,
             const WorkflowSettings& settings);

// The state a draft is in after `action` (which `may` allowed).
DraftState state_after(DraftAction action, DraftState state);

}  // namespace handbook
