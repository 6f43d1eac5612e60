// Drafts and their review, on the server: a change is written apart from the live
// version, submitted with a "what changed and why", and an approver publishes it or
// returns it with a comment (src/core/workflow.h has the rules). Archiving (withdrawing)
// an article and reverting it to an older version's text are drafts too, and go through
// the same review.
//
// Every operation checks the rules for the person acting, runs in one transaction and
// writes its audit row in that transaction. A draft records the live version it started
// from: publishing it over a newer live version is a conflict (with both returned), never
// a silent overwrite. Saving checks the draft's revision, so two tabs cannot overwrite each
// other's work either. Drafts never enter the replica (the change feed, the snapshot).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "accounts.h"
#include "core/article.h"
#include "core/article_store.h"
#include "core/workflow.h"

namespace handbook {

inline constexpr size_t kMaxReviewCommentBytes = 4000;

struct Draft {
    int64_t id = 0;
    DraftKind kind = DraftKind::edit;
    int base_version = 0;      // the live version it started from (0: a new article)
    int revert_of = 0;         // kind revert: the version brought back
    Article content;           // slug, fields and body (status: published, or archived for kind archive)
    int64_t author_id = 0;
    std::string author;
    DraftState state = DraftState::draft;
    std::string summary;       // what changed and why
    bool must_acknowledge = false;
    std::string review_comment;
    std::string reviewer;
    int published_version = 0;
    int revision = 1;
    std::string client_id;
    std::string created_at, updated_at;
};

// The person acting and where from (for the rules and the audit log).
struct Acting {
    User user;
    std::string client;
};

// Publishing over a newer live version: the draft, and the live version it would replace.
struct PublishConflict {
    Draft draft;
    std::optional<ArticleVersion> live;  // the newest version now
};

// A new draft: of a new article (base_version 0) or of an existing one (base_version =
// its newest version, which must still be the newest: the "live version" of the rules
// below is always the newest published, even one waiting for its effective date). `client_id` (may be empty) is the device's own id
// for it: creating the same one twice returns the first.
Result<Draft> create_draft(Database& db, const Acting& who, const Article& content, int base_version, const std::string& client_id);
// Saves the author's edits (autosave): `revision` is the one the edits started from.
// `merged_with` (0: unchanged) says the author brought the live version's change into
// the text by hand: the draft then starts from that version, which must be the live one
// (a conflict otherwise: yet another version came out and needs merging too).
Result<Draft> save_draft(Database& db, const Acting& who, int64_t id, int revision, const Article& content, int merged_with = 0);
Result<Draft> submit_draft(Database& db, const Acting& who, int64_t id, const std::string& summary, bool must_acknowledge);
Result<Draft> return_draft(Database& db, const Acting& who, int64_t id, const std::string& comment);
Status discard_draft(Database& db, const Acting& who, int64_t id);

struct PublishOptions {
    std::string effective;          // YYYY-MM-DD, today or later ("" = the draft's own)
    std::optional<bool> must_acknowledge;  // unset: as submitted
    std::string acknowledge_by;     // the due date for acknowledging (YYYY-MM-DD, "" = none)
    std::string today;              // the server's date (YYYY-MM-DD)
};
// Publishes a draft waiting for review as the article's next version. `conflict` (and
// `*conflict` filled) when the live version is no longer the one the draft started from.
Result<SaveResult> publish_draft(Database& db, const Acting& who, int64_t id, const PublishOptions& options,
                                 PublishConflict* conflict = nullptr);

// Withdrawing a live article, and bringing back an older version's text: drafts of kind
// archive and revert, submitted for review at once with `summary`.
Result<Draft> request_archive(Database& db, const Acting& who, const std::string& slug, const std::string& summary);
Result<Draft> request_revert(Database& db, const Acting& who, const std::string& slug, int version, const std::string& summary);

// A draft, if `who` may see it (its author, or an approver of its category).
Result<Draft> get_draft(Database& db, const Acting& who, int64_t id);

// The drafts `who` works on (their own, open or in review) and, for approvers, those
// waiting for their review; newest first. `state` narrows it ("" = all open ones).
Result<std::vector<Draft>> list_drafts(Database& db, const Acting& who, const std::string& state);

Result<WorkflowSettings> workflow_settings(Database& db);
Status set_workflow_settings(Database& db, const WorkflowSettings& settings);

}  // namespace handbook
