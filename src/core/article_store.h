// Published articles and their immutable, numbered version history, plus the change
// sequence that sync reads ("everything after N"). This is the replica: what the server
// publishes and every device holds. Drafts and their review live elsewhere (the
// server's drafts, a device's own store): a version here is always published (or
// archived: withdrawn).
//
// A version comes into force on its effective date. `articles` holds, for each article,
// the version in force on the store's date (in_force_date; the host moves it as days
// pass, offline too, with refresh_in_force): the newest version whose date has come. A
// version published for a later date travels ahead and waits (upcoming_versions); a
// version published later with an earlier date supersedes it.
// Publishing unchanged content is a no-op; any change makes exactly one new version and
// one change entry.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "article.h"
#include "database.h"

namespace handbook {

enum class SaveOutcome { created, updated, unchanged };

struct SaveResult {
    SaveOutcome outcome = SaveOutcome::unchanged;
    int64_t id = 0;
    int version = 0;
    int64_t seq = 0;  // change sequence number (0 when unchanged)
};

inline constexpr size_t kMaxChangeNoteBytes = 4000;

// Who made a version and why ("what changed and why"), and who approved it.
struct VersionNote {
    std::string author;
    std::string change_note;
    std::string approver;          // "" for an import
    bool must_acknowledge = false; // staff must read and acknowledge this version
    std::string acknowledge_by;    // YYYY-MM-DD, or "" for no due date

    VersionNote() = default;
    VersionNote(std::string author_, std::string change_note_, std::string approver_ = {}, bool must_acknowledge_ = false,
                std::string acknowledge_by_ = {})
        : author(std::move(author_)), change_note(std::move(change_note_)), approver(std::move(approver_)),
          must_acknowledge(must_acknowledge_), acknowledge_by(std::move(acknowledge_by_)) {}
};

struct ArticleVersion {
    int version = 0;
    Article article;               // status: published or archived
    std::string change_note;
    std::string author;
    std::string created_at;        // when it was published (UTC, ISO 8601)
    int64_t seq = 0;
    std::string approver;
    bool must_acknowledge = false;
    std::string acknowledge_by;    // the due date for acknowledging ("" = none)
};

// Someone confirmed a version still correct: its review_by date moves on (no new version).
struct ReviewConfirmation {
    std::string slug;
    int version = 0;
    std::string review_by;
    std::string confirmed_at;
    std::string confirmed_by;
};

struct ChangeEntry {
    int64_t seq = 0;
    std::string kind;  // "article" | "synonyms" | "review"
    std::string slug;  // for kind == "article"
    int version = 0;
    std::string created_at;
};

// Publishes `article` (status published or archived; a draft is refused) as its next
// version, now: creates the article, adds a version, or does nothing when the content
// is identical to the current version. Atomic. A content problem fails with `invalid`
// (the article is at fault); any other code is the store's (full, busy, ...).
Result<SaveResult> save_article(Database& db, const Article& article, const VersionNote& note = {});

// Stores a version exactly as the server published it (its number, time, author and
// approver kept): what a device does with the change feed. A version the store already
// holds is a no-op if its content is the same, and `conflict` if it is not.
Result<SaveResult> apply_published_version(Database& db, const ArticleVersion& version);

// The newest version's number, whatever its date (0: no such article): what a draft starts from.
Result<int> newest_version(Database& db, std::string_view slug);

// The date the store's articles are shown for ("" = never set: today by SQLite's clock).
Result<std::string> in_force_date(Database& db);
// Moves the store to `today` (YYYY-MM-DD): every article whose version in force is another
// on that date is shown anew (searched, listed, read). Returns how many changed.
Result<int> refresh_in_force(Database& db, const std::string& today);
// The versions of `slug` that come into force after the store's date, soonest first.
Result<std::vector<ArticleVersion>> upcoming_versions(Database& db, std::string_view slug);
// The version of `slug` in force on `date` ("as in force on"), if there was one.
Result<std::optional<ArticleVersion>> version_in_force(Database& db, std::string_view slug, const std::string& date);

// Confirms the version of `slug` in force still correct: its review_by moves to
// `review_by`, as a change (kind "review") devices receive; no new version. Returns its seq.
Result<int64_t> confirm_review(Database& db, std::string_view slug, const std::string& review_by, const std::string& by,
                               const std::string& at);
// A device stores a confirmation as the server made it.
Status apply_review_confirmation(Database& db, const ReviewConfirmation& confirmation);
// The confirmation a change entry of kind "review" names.
Result<std::optional<ReviewConfirmation>> review_confirmation_at(Database& db, int64_t seq);

Result<std::optional<StoredArticle>> get_article(Database& db, std::string_view slug);

// All articles (any status), ordered by title; `with_body` false leaves bodies empty.
Result<std::vector<StoredArticle>> list_articles(Database& db, bool with_body = false);

// Oldest first. `with_bodies` false leaves each version's body empty (a history listing).
Result<std::vector<ArticleVersion>> article_history(Database& db, std::string_view slug, bool with_bodies = true);
Result<std::optional<ArticleVersion>> article_version(Database& db, std::string_view slug, int version);

// Changes with seq > after, oldest first, at most `limit`.
Result<std::vector<ChangeEntry>> changes_since(Database& db, int64_t after, int limit = 1000);
// The newest change's sequence number (0 for a store with none); fails when the store
// cannot be read (never 0 for "could not tell").
Result<int64_t> latest_change_seq(Database& db);
// What the shown content depends on, as one row: the latest change's seq and the date
// the articles are shown for (in_force_date). A caller that keeps derived data (the search
// engine's vocabulary) asks it often and reloads when either moved.
Result<Statement> prepare_store_generation(Database& db);

// Synonym groups: each group is a list of phrases that mean the same to staff.
using SynonymGroups = std::vector<std::vector<std::string>>;
Status set_synonyms(Database& db, const SynonymGroups& groups);
Result<SynonymGroups> load_synonyms(Database& db);

std::string tags_to_json(const std::vector<std::string>& tags);
// Fails with `corrupt` when the stored text is not a JSON list of strings.
Result<std::vector<std::string>> tags_from_json(const std::string& json);

}  // namespace handbook
