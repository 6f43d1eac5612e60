// Published articles and their immutable, numbered version history, plus the change
// sequence that sync reads ("everything after N"). This is the replica: what the server
// publishes and every device holds. Drafts and their review live elsewhere (the
// server's drafts, a device's own store): a version here is always published (or
// archived: withdrawn), and `articles` holds each article's newest version.
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

    VersionNote() = default;
    VersionNote(std::string author_, std::string change_note_, std::string approver_ = {}, bool must_acknowledge_ = false)
        : author(std::move(author_)), change_note(std::move(change_note_)), approver(std::move(approver_)),
          must_acknowledge(must_acknowledge_) {}
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
};

struct ChangeEntry {
    int64_t seq = 0;
    std::string kind;  // "article" | "synonyms"
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
// The statement behind latest_change_seq (one row, one column), for a caller that asks it
// often and keeps it prepared (the search engine, at every search).
Result<Statement> prepare_latest_change_seq(Database& db);

// Synonym groups: each group is a list of phrases that mean the same to staff.
using SynonymGroups = std::vector<std::vector<std::string>>;
Status set_synonyms(Database& db, const SynonymGroups& groups);
Result<SynonymGroups> load_synonyms(Database& db);

std::string tags_to_json(const std::vector<std::string>& tags);
// Fails with `corrupt` when the stored text is not a JSON list of strings.
Result<std::vector<std::string>> tags_from_json(const std::string& json);

}  // namespace handbook
