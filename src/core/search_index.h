// Keeping the full-text index in step with the articles table. Published articles are
// searchable, and so are versions waiting for their effective date: an article's entry
// holds the text in force and then the text of its versions to come (staff find a change
// before its day; the hit says when it comes into force), and an article none of whose
// versions is in force yet ('upcoming') is found by its own text. Archived articles are
// not indexed.
#pragma once
#include <cstdint>

#include "article.h"
#include "database.h"

namespace handbook {

// Replaces the index entries of one article from its row (`article`, at `version`) and
// its stored versions to come; removes them if it is neither published nor upcoming.
Status index_article(Database& db, int64_t id, const Article& article, int version);

// Rebuilds the whole index from the articles table (used by migrations), merged as
// optimize_search_index leaves it.
Status rebuild_search_index(Database& db);

// Merges each full-text index (the stemmed one and the surface words) into one segment.
// Every article saved adds a small segment; FTS5 merges them only now and then, so after
// a bulk import a search reads each word's list from many segments and merges them as it
// goes: on 64k articles a 7-word search took 3.0 ms natively, 1.8 ms merged
// (bench/RESULTS.md). Costs 1-2 s per 64k articles; for bulk writes only.
Status optimize_search_index(Database& db);

}  // namespace handbook
