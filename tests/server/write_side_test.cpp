// The write side's pieces on a real store, without HTTP: accounts and passwords,
// sessions, the sign-in throttle, the append-only audit log, drafts and their review
// (conflicts, revisions, a device sending the same draft twice), and drafts that earlier
// builds kept as versions.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "../files/temp_folder.h"
#include "core/article_store.h"
#include "core/change_feed.h"
#include "core/device_snapshot.h"
#include "server/accounts.h"
#include "server/audit_log.h"
#include "server/authority_schema.h"
#include "server/drafts.h"
#include "server/server_import.h"
#include "server/sessions.h"
#include "server/sign_in_throttle.h"

using namespace handbook;

namespace {

const std::string kArticles = std::string(HANDBOOK_SOURCE_DIR) + "/articles";

std::unique_ptr<Database> server_store() {
    auto db = open_server_store(":memory:");
    EXPECT_TRUE(db.is_ok()) << (db ? "" : db.error());
    return std::move(*db);
}

User add(Database& db, const std::string& name, Role role, std::vector<std::string> categories = {}) {
    auto u = add_user(db, name, role, categories, "a long enough passphrase");
    EXPECT_TRUE(u.is_ok()) << (u ? "" : u.error());
    return u ? *u : User{};
}

Article content(const std::string& slug, const std::string& category, const std::string& body) {
    return Article{slug, "Title of " + slug, category, {"tag"}, "Customer Service", "2026-01-01", "2031-01-01", "published", body};
}

int64_t count(Database& db, const std::string& sql) {
    auto stmt = db.prepare(sql);
    return stmt && stmt->step() ? stmt->column_int(0) : -1;
}

}  // namespace

TEST(Accounts, PasswordsAreCheckedHashedWithArgon2idAndNeverStoredPlain) {
    auto db = server_store();
    EXPECT_EQ(check_password_strength("short", "ana").code, StatusCode::invalid);
    EXPECT_NE(check_password_strength("short", "ana").error.find("at least 10"), std::string::npos);
    EXPECT_FALSE(check_password_strength("aaaaaaaaaaaaaa", "ana").is_ok());
    EXPECT_FALSE(check_password_strength("1234567890", "ana").is_ok());
    EXPECT_FALSE(check_password_strength("my name is martha!", "martha").is_ok());
    EXPECT_TRUE(check_password_strength("editor password ok", "ed").is_ok()) << "a short name may appear in a passphrase";
    EXPECT_FALSE(check_user_name("ana smith").is_ok());
    EXPECT_FALSE(check_user_name("'; DROP TABLE users; --").is_ok());

    User ana = add(*db, "ana", Role::editor, {"Refunds and returns"});
    EXPECT_EQ(add_user(*db, "ANA", Role::staff, {}, "another passphrase").code(), StatusCode::conflict) << "names ignore case";
    auto stored = db->prepare("SELECT password_hash FROM users WHERE name = 'ana'");
    ASSERT_TRUE(stored && stored->step());
    EXPECT_EQ(stored->column_text(0).rfind("$argon2id$", 0), 0u) << stored->column_text(0);
    EXPECT_EQ(stored->column_text(0).find("a long enough passphrase"), std::string::npos);

    auto record = sign_in_record(*db, "ana");
    ASSERT_TRUE(record.is_ok());
    ASSERT_TRUE(record->user.has_value());
    EXPECT_TRUE(*password_matches(record->password_hash, "a long enough passphrase"));
    EXPECT_FALSE(*password_matches(record->password_hash, "a long enough passphrasE"));

    // An unknown name and a disabled account look the same as a wrong password, and cost a
    // hash check all the same.
    auto unknown = sign_in_record(*db, "nobody");
    ASSERT_TRUE(unknown.is_ok());
    EXPECT_FALSE(unknown->user.has_value());
    const int64_t before = password_checks_done();
    EXPECT_FALSE(*password_matches(unknown->password_hash, "a long enough passphrase"));
    EXPECT_EQ(password_checks_done(), before + 1);
    ASSERT_TRUE(set_user_disabled(*db, "ana", true).is_ok());
    EXPECT_FALSE(sign_in_record(*db, "ana")->user.has_value());
    EXPECT_FALSE(sign_in_record(*db, "import")->user.has_value()) << "the import account cannot sign in";
    EXPECT_EQ(set_user_role(*db, "ghost", Role::admin, {}).code, StatusCode::not_found);
}

// A flood of sign-ins cannot take the memory: at most kHashesAtOnce hashes run and
// kHashesWaiting wait; the rest are told to try again.
TEST(Accounts, AFloodOfSignInsIsBoundedNotQueuedWithoutEnd) {
    auto db = server_store();
    add(*db, "ana", Role::staff);
    const std::string hash = sign_in_record(*db, "ana")->password_hash;
    std::atomic<int> refused{0}, checked{0};
    std::vector<std::thread> flood;
    for (int i = 0; i < 40; ++i)
        flood.emplace_back([&] {
            auto r = password_matches(hash, "a long enough passphrase");
            if (!r && r.code() == StatusCode::too_many) ++refused;
            else if (r && *r) ++checked;
        });
    for (auto& t : flood) t.join();
    EXPECT_EQ(refused + checked, 40);
    EXPECT_GE(refused.load(), 40 - kHashesAtOnce - kHashesWaiting);
    EXPECT_GE(checked.load(), kHashesAtOnce);
}

TEST(Sessions, EndAfterIdleTimeAfterTheirLifetimeOnSignOutAndWithTheirAccount) {
    auto db = server_store();
    User ana = add(*db, "ana", Role::editor);
    const int64_t t0 = 1'800'000'000;
    auto token = create_session(*db, ana.id, "10.0.0.1", t0);
    ASSERT_TRUE(token.is_ok());
    EXPECT_EQ(token->size(), 43u);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM sessions WHERE token_hash = '" + *token + "'"), 0) << "only a hash is stored";
    EXPECT_EQ(find_session(*db, *token, t0 + 60)->user->name, "ana");
    EXPECT_FALSE(find_session(*db, *token, t0 + kIdleSeconds)->user.has_value()) << "idle too long";
    // Used within the idle time, it lasts, but never past its lifetime.
    int64_t t = t0;
    while (t + kIdleSeconds / 2 < t0 + kLifetimeSeconds) {
        t += kIdleSeconds / 2;
        auto found = find_session(*db, *token, t);
        ASSERT_TRUE(found->user.has_value()) << "at " << (t - t0) << " s";
        ASSERT_TRUE(found->touch);
        ASSERT_TRUE(touch_session(*db, *token, t).is_ok());
    }
    EXPECT_FALSE(find_session(*db, *token, t0 + kLifetimeSeconds)->user.has_value()) << "past its lifetime";

    auto second = create_session(*db, ana.id, "10.0.0.1", t0);
    EXPECT_TRUE(find_session(*db, *second, t0 + 1)->user.has_value());
    EXPECT_FALSE(find_session(*db, "forged-token-forged-token-forged-token-1234", t0 + 1)->user.has_value());
    EXPECT_FALSE(find_session(*db, "x", t0 + 1)->user.has_value());
    ASSERT_TRUE(set_user_password(*db, "ana", "a brand new passphrase").is_ok());
    EXPECT_FALSE(find_session(*db, *second, t0 + 2)->user.has_value()) << "a new password ends the old sessions";
    auto third = create_session(*db, ana.id, "10.0.0.1", t0);
    ASSERT_TRUE(end_session(*db, *third).is_ok());
    EXPECT_FALSE(find_session(*db, *third, t0 + 1)->user.has_value());

    EXPECT_EQ(session_token_from_cookies("a=1; hb_session=abc; b=2"), "abc");
    EXPECT_EQ(session_token_from_cookies("xhb_session=abc"), "");
}

TEST(SignInThrottle, SlowsRepeatedFailuresPerAccountAndPerAddress) {
    SignInThrottle throttle;
    const int64_t t = 1000;
    for (int i = 0; i < SignInThrottle::kFreeFailures; ++i) {
        EXPECT_EQ(throttle.wait_seconds("ana", "10.0.0.1", t), 0) << i;
        throttle.failed("ana", "10.0.0.1", t);
    }
    EXPECT_EQ(throttle.wait_seconds("ana", "10.0.0.1", t), 0);
    throttle.failed("ana", "10.0.0.1", t);
    EXPECT_EQ(throttle.wait_seconds("ana", "10.0.0.1", t), 2);
    EXPECT_EQ(throttle.wait_seconds("ANA", "10.0.0.9", t), 2) << "per account, whatever the address and case";
    EXPECT_EQ(throttle.wait_seconds("ben", "10.0.0.2", t), 0);
    throttle.failed("ana", "10.0.0.1", t);
    EXPECT_EQ(throttle.wait_seconds("ana", "10.0.0.1", t), 4) << "doubles";
    for (int i = 0; i < 30; ++i) throttle.failed("ana", "10.0.0.1", t);
    EXPECT_EQ(throttle.wait_seconds("ana", "10.0.0.1", t), SignInThrottle::kLongestWait);
    EXPECT_EQ(throttle.wait_seconds("ana", "10.0.0.1", t + SignInThrottle::kForgetAfter), 0) << "forgotten later";
    // One address trying many names is slowed too.
    for (int i = 0; i < SignInThrottle::kFreeFailures * 4 + 1; ++i) throttle.failed("user" + std::to_string(i), "10.6.6.6", t);
    EXPECT_GT(throttle.wait_seconds("someone-new", "10.6.6.6", t), 0);
    // Bounded memory under a flood of made-up names; the newest failures are still counted.
    for (int i = 0; i < 30000; ++i) throttle.failed("flood" + std::to_string(i), "10.1." + std::to_string(i % 250) + ".1", t + i);
    for (int i = 0; i < SignInThrottle::kFreeFailures; ++i) throttle.failed("flood29999", "10.9.9.9", t + 30000);
    EXPECT_GT(throttle.wait_seconds("flood29999", "10.9.9.8", t + 30000), 0);
}

TEST(AuditLog, IsAppendOnly) {
    auto db = server_store();
    ASSERT_TRUE(audit(*db, AuditEntry{0, "", "ana", "sign_in", "session", "ok", "10.0.0.1", ""}).is_ok());
    EXPECT_FALSE(db->exec("UPDATE audit_log SET outcome = 'failed'").is_ok());
    EXPECT_FALSE(db->exec("DELETE FROM audit_log").is_ok());
    auto entries = read_audit(*db, AuditFilter{});
    ASSERT_TRUE(entries.is_ok());
    ASSERT_EQ(entries->size(), 1u);
    EXPECT_EQ((*entries)[0].outcome, "ok");
    EXPECT_EQ(read_audit(*db, AuditFilter{"", "ANA", 10})->size(), 1u);
    EXPECT_EQ(read_audit(*db, AuditFilter{"2999-01-01", "", 10})->size(), 0u);
}

TEST(Drafts, TheLiveVersionStaysLiveUntilAnApproverPublishes) {
    auto db = server_store();
    User ed = add(*db, "ed", Role::editor), ap = add(*db, "ap", Role::approver);
    Acting editor{ed, "10.0.0.2"}, approver{ap, "10.0.0.3"};
    ASSERT_TRUE(save_article(*db, content("gift-cards", "Refunds and returns", "Balances online.")).is_ok());

    auto draft = create_draft(*db, editor, content("gift-cards", "Refunds and returns", "Balances online or by phone."), 1, "");
    ASSERT_TRUE(draft.is_ok()) << draft.error();
    EXPECT_EQ(draft->state, DraftState::draft);
    auto saved = save_draft(*db, editor, draft->id, draft->revision, content("gift-cards", "Refunds and returns", "Balances by phone."));
    ASSERT_TRUE(saved.is_ok()) << saved.error();
    EXPECT_EQ(saved->revision, 2);
    EXPECT_EQ(save_draft(*db, editor, draft->id, 1, saved->content).code(), StatusCode::conflict) << "a stale revision";
    EXPECT_EQ((*get_article(*db, "gift-cards"))->article.body, "Balances online.") << "the live version is untouched";
    const int64_t seq = *latest_change_seq(*db);
    EXPECT_EQ(seq, 1) << "drafts make no change entry: they never reach devices";

    EXPECT_EQ(submit_draft(*db, editor, draft->id, "  ", false).code(), StatusCode::invalid) << "a summary is required";
    auto submitted = submit_draft(*db, editor, draft->id, "Phone balance checks", true);
    ASSERT_TRUE(submitted.is_ok()) << submitted.error();
    EXPECT_EQ(save_draft(*db, editor, draft->id, submitted->revision, submitted->content).code(), StatusCode::conflict);
    EXPECT_EQ(publish_draft(*db, editor, draft->id, {}).code(), StatusCode::forbidden);
    auto returned = return_draft(*db, approver, draft->id, "Say which number to call.");
    ASSERT_TRUE(returned.is_ok());
    EXPECT_EQ(returned->state, DraftState::returned);
    EXPECT_EQ(returned->review_comment, "Say which number to call.");
    auto fixed = save_draft(*db, editor, draft->id, returned->revision, content("gift-cards", "Refunds and returns", "Call 0800 123 for balances."));
    ASSERT_TRUE(fixed.is_ok()) << fixed.error();
    ASSERT_TRUE(submit_draft(*db, editor, draft->id, "Phone balance checks", true).is_ok());
    EXPECT_EQ(publish_draft(*db, approver, draft->id, PublishOptions{"2020-01-01", std::nullopt, "", "2026-12-04"}).code(), StatusCode::invalid)
        << "effective dates are today or later";
    auto published = publish_draft(*db, approver, draft->id, PublishOptions{"2030-02-01", std::nullopt, "", "2026-12-04"});
    ASSERT_TRUE(published.is_ok()) << published.error();
    EXPECT_EQ(published->version, 2);
    auto v2 = article_version(*db, "gift-cards", 2);
    EXPECT_EQ((*v2)->author, "ed");
    EXPECT_EQ((*v2)->approver, "ap");
    EXPECT_EQ((*v2)->change_note, "Phone balance checks");
    EXPECT_TRUE((*v2)->must_acknowledge);
    EXPECT_EQ((*v2)->article.effective, "2030-02-01");
    EXPECT_EQ(count(*db, "SELECT count(*) FROM audit_log WHERE action = 'publish' AND outcome = 'ok'"), 1);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM audit_log WHERE action IN ('submit', 'return')"), 3);
}

// Ed and Ben both change version 1 of "late"; Ben's change is published first, Ed's
// draft ("Three days.") still starts from version 1.
struct TwoChangesOfOneVersion {
    std::unique_ptr<Database> db = server_store();
    User ed = add(*db, "ed", Role::editor), ben = add(*db, "ben", Role::editor), ap = add(*db, "ap", Role::approver);
    Draft mine;
    TwoChangesOfOneVersion() {
        EXPECT_TRUE(save_article(*db, content("late", "Delivery", "Two days.")).is_ok());
        auto ed_draft = create_draft(*db, Acting{ed, "x"}, content("late", "Delivery", "Three days."), 1, "");
        auto theirs = create_draft(*db, Acting{ben, "x"}, content("late", "Delivery", "Two working days."), 1, "");
        EXPECT_TRUE(ed_draft.is_ok() && theirs.is_ok());
        if (!ed_draft || !theirs) return;
        mine = *ed_draft;
        EXPECT_TRUE(submit_draft(*db, Acting{ben, "x"}, theirs->id, "Working days", false).is_ok());
        EXPECT_TRUE(publish_draft(*db, Acting{ap, "x"}, theirs->id, {}).is_ok());
    }
};

TEST(Drafts, PublishingOverANewerLiveVersionIsAConflictWithBothSides) {
    TwoChangesOfOneVersion two;
    auto& db = two.db;
    const User &ed = two.ed, &ap = two.ap;
    const Draft* mine = &two.mine;
    ASSERT_TRUE(submit_draft(*db, Acting{ed, "x"}, mine->id, "Three days", false).is_ok());
    PublishConflict conflict;
    auto second = publish_draft(*db, Acting{ap, "x"}, mine->id, {}, &conflict);
    ASSERT_FALSE(second.is_ok());
    EXPECT_EQ(second.code(), StatusCode::conflict);
    EXPECT_EQ(conflict.draft.content.body, "Three days.");
    ASSERT_TRUE(conflict.live.has_value());
    EXPECT_EQ(conflict.live->article.body, "Two working days.");
    EXPECT_EQ((*get_article(*db, "late"))->article.body, "Two working days.") << "never a silent overwrite";
    // A new article whose slug someone else published meanwhile: a conflict too.
    EXPECT_EQ(create_draft(*db, Acting{ed, "x"}, content("late", "Delivery", "New."), 0, "").code(), StatusCode::conflict);
}

// The author merges the other change by hand and says so: the draft then starts from the
// live version and can be published; a claim to have merged a version that is not the
// live one is refused.
TEST(Drafts, AnAuthorWhoMergedTheLiveVersionCanPublishOverIt) {
    TwoChangesOfOneVersion two;
    auto& db = two.db;
    const User &ed = two.ed, &ap = two.ap;
    const Draft* mine = &two.mine;
    const Article merged = content("late", "Delivery", "Three working days.");
    EXPECT_EQ(save_draft(*db, Acting{ed, "x"}, mine->id, mine->revision, merged, 3).code(), StatusCode::conflict) << "no version 3";
    EXPECT_EQ(save_draft(*db, Acting{ed, "x"}, mine->id, mine->revision, merged, 0)->base_version, 1) << "0: unchanged";
    auto rebased = save_draft(*db, Acting{ed, "x"}, mine->id, mine->revision + 1, merged, 2);
    ASSERT_TRUE(rebased.is_ok()) << (rebased ? "" : rebased.error());
    EXPECT_EQ(rebased->base_version, 2);
    EXPECT_EQ(save_draft(*db, Acting{ed, "x"}, mine->id, rebased->revision, merged, 1).code(), StatusCode::invalid) << "not backwards";
    ASSERT_TRUE(submit_draft(*db, Acting{ed, "x"}, mine->id, "Three working days", false).is_ok());
    auto published = publish_draft(*db, Acting{ap, "x"}, mine->id, {});
    ASSERT_TRUE(published.is_ok()) << (published ? "" : published.error());
    EXPECT_EQ((*get_article(*db, "late"))->article.body, "Three working days.");
}

TEST(Drafts, TheSameDraftSentTwiceByADeviceIsOneDraft) {
    auto db = server_store();
    User ed = add(*db, "ed", Role::editor);
    auto first = create_draft(*db, Acting{ed, "x"}, content("new-one", "Complaints", "Text."), 0, "device-7f3a-1");
    auto again = create_draft(*db, Acting{ed, "x"}, content("new-one", "Complaints", "Text."), 0, "device-7f3a-1");
    ASSERT_TRUE(first.is_ok() && again.is_ok());
    EXPECT_EQ(first->id, again->id);
    EXPECT_EQ(count(*db, "SELECT count(*) FROM drafts"), 1);
}

TEST(Drafts, ArchiveAndRevertGoThroughReviewAndBecomeVersions) {
    auto db = server_store();
    User ed = add(*db, "ed", Role::editor), ap = add(*db, "ap", Role::approver);
    ASSERT_TRUE(save_article(*db, content("pilot", "Delivery", "First text.")).is_ok());
    ASSERT_TRUE(save_article(*db, content("pilot", "Delivery", "Second text.")).is_ok());
    auto revert = request_revert(*db, Acting{ed, "x"}, "pilot", 1, "The second text was wrong");
    ASSERT_TRUE(revert.is_ok()) << revert.error();
    EXPECT_EQ(revert->state, DraftState::in_review);
    EXPECT_EQ((*get_article(*db, "pilot"))->article.body, "Second text.") << "nothing changes before review";
    ASSERT_TRUE(publish_draft(*db, Acting{ap, "x"}, revert->id, {}).is_ok());
    auto live = *get_article(*db, "pilot");
    EXPECT_EQ(live->version, 3) << "a revert is a new version, history kept";
    EXPECT_EQ(live->article.body, "First text.");

    auto archive = request_archive(*db, Acting{ed, "x"}, "pilot", "The pilot ended");
    ASSERT_TRUE(archive.is_ok()) << archive.error();
    ASSERT_TRUE(publish_draft(*db, Acting{ap, "x"}, archive->id, {}).is_ok());
    live = *get_article(*db, "pilot");
    EXPECT_EQ(live->article.status, "archived");
    EXPECT_EQ(live->version, 4);
    EXPECT_EQ(request_archive(*db, Acting{ed, "x"}, "pilot", "Again").code(), StatusCode::conflict);
}

TEST(Drafts, CategoriesAndRolesAreEnforced) {
    auto db = server_store();
    User refunds_editor = add(*db, "re", Role::editor, {"Refunds and returns"});
    User staff = add(*db, "st", Role::staff);
    User other = add(*db, "ot", Role::editor);
    EXPECT_EQ(create_draft(*db, Acting{refunds_editor, "x"}, content("c1", "Complaints", "x"), 0, "").code(), StatusCode::forbidden);
    EXPECT_EQ(create_draft(*db, Acting{staff, "x"}, content("c2", "Complaints", "x"), 0, "").code(), StatusCode::forbidden);
    auto own = create_draft(*db, Acting{refunds_editor, "x"}, content("r1", "Refunds and returns", "x"), 0, "");
    ASSERT_TRUE(own.is_ok());
    EXPECT_EQ(get_draft(*db, Acting{other, "x"}, own->id).code(), StatusCode::forbidden) << "drafts are seen by their author and reviewers";
    EXPECT_EQ(save_draft(*db, Acting{refunds_editor, "x"}, own->id, own->revision, content("r1", "Complaints", "x")).code(),
              StatusCode::forbidden)
        << "nor moved into a category one may not write in";
    EXPECT_EQ(list_drafts(*db, Acting{other, "x"}, "")->size(), 0u);
    EXPECT_EQ(list_drafts(*db, Acting{refunds_editor, "x"}, "")->size(), 1u);
}

TEST(Drafts, ImportedDraftFilesAndOldDraftVersionsWaitForReview) {
    test::TempFolder dir;
    dir.write("live.md", "---\ntitle: Live\nslug: live\ncategory: C\ntags: []\nowner: O\neffective: 2026-01-01\n"
                         "review_by: 2027-01-01\nstatus: published\n---\nLive text.\n");
    dir.write("plan.md", "---\ntitle: Plan\nslug: plan\ncategory: C\ntags: []\nowner: O\neffective: 2026-01-01\n"
                         "review_by: 2027-01-01\nstatus: draft\n---\nNot yet.\n");
    auto db = server_store();
    ImportReport report = import_into_server(*db, dir.str(), "ana", "command line");
    ASSERT_TRUE(report.status.is_ok()) << report.status.error;
    EXPECT_EQ(report.created, 1);
    EXPECT_EQ(report.drafts, 1);
    EXPECT_FALSE(get_article(*db, "plan")->has_value()) << "a draft file is not published";
    EXPECT_EQ(count(*db, "SELECT count(*) FROM drafts WHERE slug = 'plan' AND state = 'in_review'"), 1);
    EXPECT_EQ((*article_version(*db, "live", 1))->author, "ana");
    EXPECT_EQ(count(*db, "SELECT count(*) FROM audit_log WHERE action = 'import' AND user = 'ana'"), 1);
    ImportReport again = import_into_server(*db, dir.str(), "ana", "command line");
    ASSERT_TRUE(again.status.is_ok());
    EXPECT_EQ(count(*db, "SELECT count(*) FROM drafts"), 1) << "the same draft file is not kept twice";

    // The feed and the snapshot carry published versions only.
    auto feed = change_feed_json(*db, 0);
    ASSERT_TRUE(feed.is_ok());
    EXPECT_EQ(feed->find("Not yet."), std::string::npos);
    auto snapshot = build_device_snapshot(*db);
    ASSERT_TRUE(snapshot.is_ok());
    EXPECT_EQ(snapshot->bytes.find("Not yet."), std::string::npos);
    EXPECT_EQ(snapshot->bytes.find("password_hash"), std::string::npos) << "no table of the server's own";
}
