// The publishing workflow as a state machine: every role, action, state, authorship and
// category, against the rules in src/core/workflow.h.
#include <gtest/gtest.h>

#include "core/acknowledgements.h"
#include "core/article_store.h"
#include "core/schema.h"
#include "core/workflow.h"

using namespace handbook;

namespace {

const Role kRoles[] = {Role::staff, Role::editor, Role::approver, Role::admin};
const DraftState kStates[] = {DraftState::draft, DraftState::in_review, DraftState::returned, DraftState::published,
                              DraftState::discarded};
const DraftAction kActions[] = {DraftAction::view,   DraftAction::create, DraftAction::save,   DraftAction::discard,
                                DraftAction::submit, DraftAction::return_for_changes, DraftAction::publish};

bool open(DraftState s) { return s == DraftState::draft || s == DraftState::returned; }
bool reviewer(Role r) { return r == Role::approver || r == Role::admin; }

// The rules written out once more, plainly, as a second opinion on workflow.cpp.
bool expected(Role role, DraftAction action, DraftState state, bool author, bool in_category, bool self_approval) {
    if (role == Role::staff) return false;
    switch (action) {
    case DraftAction::create: return in_category;
    case DraftAction::view: return author || (reviewer(role) && in_category);
    case DraftAction::save:
    case DraftAction::submit: return (author || role == Role::admin) && in_category && open(state);
    case DraftAction::discard: return (author || role == Role::admin) && (open(state) || state == DraftState::in_review);
    case DraftAction::return_for_changes: return (author || (reviewer(role) && in_category)) && state == DraftState::in_review;
    case DraftAction::publish:
        return reviewer(role) && in_category && (!author || self_approval) && state == DraftState::in_review;
    }
    return false;
}

}  // namespace

TEST(Workflow, EveryRoleActionAndStateFollowsTheRules) {
    int allowed = 0, refused = 0;
    for (Role role : kRoles)
        for (DraftAction action : kActions)
            for (DraftState state : kStates)
                for (bool author : {false, true})
                    for (bool in_category : {false, true})
                        for (bool self_approval : {false, true}) {
                            Actor actor{role, in_category ? std::vector<std::string>{} : std::vector<std::string>{"Other"}};
                            if (role == Role::admin && !in_category) continue;  // an admin covers every category
                            Decision d = may(actor, action, state, author, "Refunds", WorkflowSettings{self_approval});
                            const bool want = expected(role, action, state, author, in_category, self_approval);
                            EXPECT_EQ(d.allowed, want) << role_name(role) << " " << draft_action_name(action) << " "
                                                       << draft_state_name(state) << (author ? " (author)" : "")
                                                       << (in_category ? "" : " (other category)")
                                                       << (self_approval ? " (self-approval on)" : "") << ": " << d.reason;
                            if (!d.allowed) {
                                EXPECT_FALSE(d.reason.empty());
                                ++refused;
                            } else {
                                ++allowed;
                            }
                        }
    EXPECT_GT(allowed, 50);
    EXPECT_GT(refused, 200);
}

TEST(Workflow, WhoIsRefusedIsForbiddenAndWhatIsNotReadyIsAConflict) {
    Actor editor{Role::editor, {}};
    Decision wrong_state = may(editor, DraftAction::save, DraftState::in_review, true, "X", {});
    EXPECT_FALSE(wrong_state.allowed);
    EXPECT_FALSE(wrong_state.forbidden) << "waiting for review is a state (409), not a lack of rights";
    Decision not_mine = may(editor, DraftAction::save, DraftState::draft, false, "X", {});
    EXPECT_TRUE(not_mine.forbidden);
    Decision own_publish = may(Actor{Role::approver, {}}, DraftAction::publish, DraftState::in_review, true, "X", {});
    EXPECT_TRUE(own_publish.forbidden);
    EXPECT_NE(own_publish.reason.find("another approver"), std::string::npos) << own_publish.reason;
}

TEST(Workflow, CategoriesLimitEditorsAndApprovers) {
    Actor refunds{Role::approver, {"Refunds and returns"}};
    EXPECT_TRUE(covers_category(refunds, "Refunds and returns"));
    EXPECT_FALSE(covers_category(refunds, "Complaints"));
    EXPECT_TRUE(covers_category(Actor{Role::admin, {"Refunds and returns"}}, "Complaints"));
    EXPECT_TRUE(covers_category(Actor{Role::editor, {}}, "Anything"));
    EXPECT_FALSE(may(refunds, DraftAction::publish, DraftState::in_review, false, "Complaints", {}).allowed);
    EXPECT_TRUE(may(refunds, DraftAction::publish, DraftState::in_review, false, "Refunds and returns", {}).allowed);
}

TEST(Workflow, StatesMoveAsTheDiagramSays) {
    EXPECT_EQ(state_after(DraftAction::create, DraftState::draft), DraftState::draft);
    EXPECT_EQ(state_after(DraftAction::submit, DraftState::draft), DraftState::in_review);
    EXPECT_EQ(state_after(DraftAction::submit, DraftState::returned), DraftState::in_review);
    EXPECT_EQ(state_after(DraftAction::return_for_changes, DraftState::in_review), DraftState::returned);
    EXPECT_EQ(state_after(DraftAction::save, DraftState::returned), DraftState::returned);
    EXPECT_EQ(state_after(DraftAction::publish, DraftState::in_review), DraftState::published);
    EXPECT_EQ(state_after(DraftAction::discard, DraftState::draft), DraftState::discarded);
    for (Role r : kRoles) EXPECT_EQ(parse_role(role_name(r)), r);
    for (DraftState s : kStates) EXPECT_EQ(parse_draft_state(draft_state_name(s)), s);
    EXPECT_FALSE(parse_role("superuser"));
}

TEST(Acknowledgements, ANewMustReadVersionAsksAgainATypoFixDoesNot) {
    std::vector<MustRead> must = {{"refunds", "Refunds", 3, "2026-12-01", "2026-12-10", "t", "Shorter window"},
                                  {"late", "Late deliveries", 2, "2026-12-01", "", "t", "Courier trace"}};
    // Read version 1 of refunds: version 3 is asked again, "what changed since 1".
    auto todo = still_to_read(must, {{"refunds", 1, "x"}}, "2026-12-05");
    ASSERT_EQ(todo.size(), 2u);
    EXPECT_EQ(todo[0].item.slug, "refunds") << "due first";
    EXPECT_EQ(todo[0].last_acknowledged, 1);
    EXPECT_FALSE(todo[0].overdue);
    EXPECT_TRUE(still_to_read(must, {}, "2026-12-11")[0].overdue);
    // Acknowledging version 3 (or a later one) covers it; the others stay.
    EXPECT_EQ(still_to_read(must, {{"refunds", 3, "x"}}, "2026-12-05").size(), 1u);
    EXPECT_EQ(still_to_read(must, {{"refunds", 4, "x"}, {"late", 2, "x"}}, "2026-12-05").size(), 0u);
}

TEST(Acknowledgements, TheMustReadVersionIsTheNewestWithTheFlag) {
    auto db = std::move(*open_store(":memory:"));
    Article a{"refunds", "Refunds", "Refunds and returns", {}, "CS", "2026-01-01", "2027-01-01", "published", "One."};
    ASSERT_TRUE(save_article(*db, a, VersionNote("ana", "First", "ben", true, "2026-02-01")).is_ok());
    a.body = "One, spelled right.";
    ASSERT_TRUE(save_article(*db, a, VersionNote("ana", "Typo", "ben", false)).is_ok());
    auto must = must_read_versions(*db);
    ASSERT_TRUE(must.is_ok());
    ASSERT_EQ(must->size(), 1u);
    EXPECT_EQ((*must)[0].version, 1) << "a typo fix does not ask again";
    a.body = "Two.";
    ASSERT_TRUE(save_article(*db, a, VersionNote("ana", "Real change", "ben", true)).is_ok());
    EXPECT_EQ((*must_read_versions(*db))[0].version, 3);
}
