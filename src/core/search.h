// Full-text search over the published articles: any text a person can type is a
// valid query. The query is never handed to FTS5 as syntax: it is split into words
// by the index's own tokenizer, each word is checked against the index vocabulary
// (typos corrected), expanded with staff synonyms, and an FTS5 expression is built
// from quoted words only. The worst a hostile query can do is find nothing.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "database.h"
#include "result.h"

namespace handbook {

struct SearchQuery {
    std::string text;
    std::string category;      // "" = any
    std::string tag;           // "" = any
    int limit = 10;            // 1..100
    bool as_you_type = true;   // the last word may be unfinished: match it as a prefix
    // How many of the best hits must come with their passage (SearchHit::snippet);
    // negative: all of them. The others may come without it (passage_pending) when that
    // is cheaper: finding a passage reads the whole article, nine tenths of a keystroke's
    // search in the bundled policies, and a screen shows a handful of hits. Their
    // passages are read by SearchEngine::read_passages when they are about to be shown.
    int passages = -1;
};

struct TextRange {
    uint32_t start = 0;  // byte offset
    uint32_t length = 0; // bytes
};

struct SearchHit {
    int64_t id = 0;
    std::string slug;
    std::string title;
    std::vector<TextRange> title_highlights;
    std::string category;
    std::string owner;
    std::string effective;
    std::string updated_at;
    int version = 0;
    // A version that is not in force yet comes into force on this date ("" = none): the
    // text searched includes it (staff find a change before its day), the reader shows
    // the version in force with a notice.
    std::string coming_on;
    bool in_force = true;  // false: no version of it is in force yet (a new policy from coming_on)
    double score = 0;      // higher is better
    std::string snippet;   // plain text passage around the best match, one line (one_line_passage)
    std::vector<TextRange> snippet_highlights;
    bool passage_pending = false;  // snippet not read yet (see SearchQuery::passages)
    std::string match;             // the FTS5 expression that found the hit: read_passages' query
};

struct Correction {
    std::string from;
    std::string to;
};

struct SearchResults {
    std::vector<SearchHit> hits;
    std::vector<Correction> corrections;
    std::string showing_results_for;   // the query as searched, when something was corrected
    // Words of the query (as typed) that no article has and that are no plausible typo of
    // a word one has: left out of the search. When nothing else is left, there are no hits.
    std::vector<std::string> unknown_words;
    std::vector<std::string> terms;    // words to highlight in the article (folded, unstemmed)
};

// How much a search may score, so a keystroke costs less than a frame on a large
// library (tens of thousands of articles; a library of hundreds never reaches them):
//
// When the articles with every word of the query do not fill the page, it is filled
// with articles that have any of them, drawn only from the rarest words that are in
// at most kFillBudget articles together (always at least the rarest word) and scored
// by all the words: a common word would bring in most of the library without saying
// which article is meant.
inline constexpr int64_t kFillBudget = 2000;
// A search whose every word is common (more candidates than this, such as a
// three-letter word being typed) matches titles and tags only: the articles about a
// common word name it there, and scoring every article that mentions it is too slow.
inline constexpr int64_t kTitlesOnlyAbove = 5000;

// Limits: longer input is cut (at a character boundary) before it is read.
inline constexpr size_t kMaxQueryBytes = 512;
inline constexpr size_t kMaxQueryWords = 12;

// The ranking's rules as numbers. The defaults are the product's; the benchmark sets
// others (bench/quality.sh, HANDBOOK_RANKING) to measure what each rule is worth on
// every corpus before it is kept (issue 21). What each is for: search.cpp.
struct RankingRules {
    double bm25_b = 0.75;                           // bm25's length normalisation (0: none)
    double column_weights[4] = {10.0, 5.0, 2.0, 1.0};  // title, tags, category, body
    double title_boost = 1.0;                       // title coverage re-rank (0: none)
    double title_precision = 0;                     // title coverage times (share of the title matched)^this
    double tag_boost = 0.5;                         // tag coverage re-rank (0: none)
    double all_words_bonus = 2.0;                   // articles with every word (1: none)
    bool all_words_coverage = true;                 // the bonus in part for part of the words (by idf)
    bool every_word_first = true;                   // enough articles with every word fill the page alone
    bool drop_stop_words = true;                    // stop words neither required nor scored
    double near_window = 96;                        // body tokens the words must be within for the bonus (0: anywhere)
    bool every_word_cover_in_rank = true;           // the same for the articles with every word
    bool fill_cover_in_rank = true;                 // the fill ranks by bm25 and title cover at once (not its best bm25 re-ranked)
    double fill_title_precision = 1;                // title_precision for the fill's articles
    double own_form_share = 0.5;                    // an inflected word's score from its own form (the rest: its stem)
    int64_t own_form_max_docs = 500;                // nor for a form in more articles than this (-1: any)
};

class SearchEngine {
public:
    // Reads the vocabulary and synonyms; they are refreshed by themselves when the
    // store changes (any new entry in the change sequence).
    static Result<std::unique_ptr<SearchEngine>> create(Database& db);
    ~SearchEngine();

    Result<SearchResults> search(const SearchQuery& query);

    // For the benchmark's measurements only (see RankingRules).
    void set_ranking(const RankingRules& rules);

    // Reads the passages left for later (SearchQuery::passages) among results.hits[first,
    // first + count): one query for them all. Those hits are no longer pending afterwards,
    // even when reading failed: they are then shown without a passage.
    Status read_passages(SearchResults& results, size_t first, size_t count);

private:
    explicit SearchEngine(Database& db);
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Splits FTS5 snippet/highlight output marked with \x01 ... \x02 into text and ranges.
void split_marked_text(const std::string& marked, std::string* text, std::vector<TextRange>* ranges);

}  // namespace handbook
