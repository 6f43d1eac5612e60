// The article model: one customer-service policy, and the checks every article must pass
// before it is stored (however it arrives: an imported file, the editor, the sync feed).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace handbook {

struct Article {
    std::string slug;       // a-z, 0-9 and '-': the article's stable name in links and URLs
    std::string title;
    std::string category;
    std::vector<std::string> tags;
    std::string owner;      // the team that owns the policy
    std::string effective;  // YYYY-MM-DD
    std::string review_by;  // YYYY-MM-DD
    std::string status;     // draft | published | archived
    std::string body;       // Markdown
};

// Everything stored about an article's current state, as read back from the store.
// An article as the store shows it on its date: the version in force (status published
// or archived), or, when none is in force yet, the soonest to come (status "upcoming").
struct StoredArticle {
    int64_t id = 0;
    int version = 0;
    std::string updated_at;   // when that version was published (UTC, ISO 8601)
    Article article;
    std::string reviewed_at;  // when someone last confirmed it still correct ("" = never)
    std::string reviewed_by;
};

// One problem with an article's content. Field is the front-matter key ("" = whole article).
struct FieldProblem {
    std::string field;
    std::string message;
};

// Limits on every input (an article's pieces, whatever their source).
inline constexpr size_t kMaxTitleBytes = 200;
inline constexpr size_t kMaxSlugBytes = 80;
inline constexpr size_t kMaxFieldBytes = 120;
inline constexpr size_t kMaxTags = 20;
inline constexpr size_t kMaxBodyBytes = 512 * 1024;

bool is_valid_slug(std::string_view slug);
bool is_valid_date(std::string_view date);  // YYYY-MM-DD, a real calendar date
bool is_valid_status(std::string_view status);
bool is_valid_utf8(std::string_view text, size_t* bad_offset = nullptr);

// All problems found (empty = valid). Checked fields: everything in Article.
std::vector<FieldProblem> validate_article(const Article& article);

// The problems that stop a draft being kept (on the server or sent there): a draft may be
// incomplete (autosave keeps half-typed work), but every piece it has must be within the
// limits and clean text. A review-by date before the effective date is fixed before
// submitting, not here.
std::vector<FieldProblem> draft_problems(const Article& article);

bool same_content(const Article& a, const Article& b);

}  // namespace handbook
