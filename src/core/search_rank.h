// handbook_rank(): FTS5's bm25, with how many rows hold each phrase given by the caller.
//
// FTS5's own bm25() works out each phrase's idf on its first call in a query by
// visiting every row that contains the phrase: on a large library, for the common
// words of a query, that is most of the time a search takes. The search engine knows
// how many articles contain each word already (the index vocabulary), so it passes
// the counts in and the scan is skipped. A count of -1 lets a phrase take part in
// matching without counting towards the score, which the fill in search.cpp needs:
// "(rare words) AND (every word)" names the rare words twice.
//
//   handbook_rank(search_index, 'n1 n2 ...')
//
// One count per phrase of the MATCH expression, in the order they appear there; a
// missing count scores as -1. Otherwise the formula is FTS5's bm25 (k1 1.2, b 0.75)
// with the column weights below. Lower is better, like bm25().
//
//   handbook_rank(search_index, 'n1/g1 n2/g2 ...', b, w_title, w_tags, w_category, w_body, bonus, window)
//
// sets b and the column weights (RankingRules; any left out keeps its default), and
// with a bonus other than 1 multiplies the score by 1 + (bonus - 1) * coverage: the
// share of the query's words (g: which word a phrase stands for; a word's synonyms and
// forms share one) that the row has, each word weighted by its idf. A row with every
// word gets the whole bonus; one missing only a common word nearly all of it; one
// missing the rarest word little. ("n" alone: the phrase stands for no query word.)
// "n/g*w" scores the phrase w times its bm25: an inflected word's stem and its own form
// share its score (search.cpp, RankingRules::own_form_share).
// With a window (tokens, RankingRules::near_window), a row longer than it is covered
// only by the words within the best `window` consecutive tokens of its body, plus those
// in its title, tags or category (short fields, near everything): a long page that
// holds every word of the query scattered over thousands of tokens says less than a
// short one about the query that lacks one of them.
//
//   handbook_rank(..., bonus, window, title_boost, tag_boost, words, title_precision)
//
// also multiplies it by 1 + title_boost * (title cover) + tag_boost * (tag cover), the
// search engine's re-rank of its candidates (search.cpp), so the best rows by the whole
// score come first without re-ranking more candidates than are shown: the cover is the
// matched tokens of the title over `words` (the query's words), at most 1, times (matched
// tokens over the title's tokens)^title_precision; the tags' alike, without the latter.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "database.h"
#include "result.h"

namespace handbook {

// Column weights for title, tags, category, body (the search_index columns), when the
// call gives none (the search gives RankingRules::column_weights, the same by default).
inline constexpr double kRankColumnWeights[4] = {10.0, 5.0, 2.0, 1.0};

// How many tokens each indexed article has (all columns), read once per change of
// the library: bm25 needs it for every scored row, and FTS5 looks it up in its
// docsize table row by row, which is a fifth of a large search's time.
//
// Kept as two arrays in rowid order rather than a hash map: a library's rowids are
// nearly consecutive, so a row is found at its offset from the first without hashing
// (in WebAssembly a 64-bit key is hashed in two 32-bit halves, and that lookup was
// the largest part of handbook_rank's time).
struct DocumentLengths {
    std::vector<int64_t> rowids;        // ascending
    std::vector<int64_t> tokens;        // tokens of the row at the same index
    std::vector<uint16_t> title_tokens; // of its title (at most 65535)
    int64_t total_tokens = 0;

    size_t size() const { return rowids.size(); }
    // The row's index in the arrays, or size() if it was indexed after these were read.
    size_t find(int64_t rowid) const;
};

// Reads them from FTS5's docsize table (one varint per column per row, the format
// FTS5 documents for its shadow tables).
Result<DocumentLengths> load_document_lengths(Database& db);

// What handbook_rank() shares with the search engine on one connection. The function
// reads `lengths` at each call, so its owner may refill it in place; empty, or a row
// missing from it (indexed after it was read), FTS5's own lookup is used.
struct RankContext {
    DocumentLengths lengths;
    // Rows a window cut the coverage of (their words are not all within one window):
    // appended as handbook_rank scores them, which FTS5 does for every matching row
    // before the first is returned.
    std::vector<int64_t> scattered_rows;
    // Rows scored (each once). FTS5 scores every match in an inner query to sort them,
    // then calls the function again for each row it returns; only the first query's
    // calls are counted and reported (the first to call after `claimed` was cleared).
    int64_t rows_scored = 0;
    bool claimed = false;
    // Whoever runs a match clears all three first.
    void clear() {
        scattered_rows.clear();
        rows_scored = 0;
        claimed = false;
    }
};

// Registers handbook_rank() on this connection. `context` may be null: FTS5's lengths,
// and no rows are reported.
Status register_rank_function(Database& db, std::shared_ptr<RankContext> context);

// bm25's idf for a phrase found in `matching` of `total` rows (never below 1e-6, as
// in FTS5, so a phrase in every row still counts a little).
double phrase_idf(int64_t matching, int64_t total);

// The counts argument of handbook_rank(), with the query word of each phrase (-1 or
// none: the phrase counts for no word's coverage) and the weight of each (1 or none: its
// whole bm25; given only with a word).
std::string phrase_counts_text(const std::vector<int64_t>& counts, const std::vector<int>& groups = {},
                               const std::vector<double>& weights = {});

}  // namespace handbook
