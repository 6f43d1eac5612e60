// Keeping the full-text index in step with the articles table. Only published
// articles are searchable; drafts and archived articles are not indexed.
#pragma once
#include <cstdint>

#include "article.h"
#include "database.h"

namespace handbook {

// Replaces the index entries of one article (removes them if it is not published).
Status index_article(Database& db, int64_t id, const Article& article);

// Rebuilds the whole index from the articles table (used by migrations).
Status rebuild_search_index(Database& db);

}  // namespace handbook
