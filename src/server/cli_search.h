// `handbook search`: ranked hits for the terminal, as text or JSON.
#pragma once
#include <string>

#include "core/search.h"

namespace handbook {

std::string search_results_json(const SearchQuery& query, const SearchResults& results);
std::string search_results_text(const SearchResults& results, bool color);

}  // namespace handbook
