#include "cli_search.h"

#include <nlohmann/json.hpp>

namespace handbook {

static nlohmann::json ranges_json(const std::vector<TextRange>& ranges) {
    auto out = nlohmann::json::array();
    for (const auto& r : ranges) out.push_back({{"start", r.start}, {"length", r.length}});
    return out;
}

std::string search_results_json(const SearchQuery& query, const SearchResults& results) {
    nlohmann::json out;
    out["query"] = query.text;
    out["showing_results_for"] = results.showing_results_for;
    out["corrections"] = nlohmann::json::array();
    for (const auto& c : results.corrections) out["corrections"].push_back({{"from", c.from}, {"to", c.to}});
    out["hits"] = nlohmann::json::array();
    for (const auto& h : results.hits) {
        out["hits"].push_back({{"slug", h.slug},
                               {"title", h.title},
                               {"title_highlights", ranges_json(h.title_highlights)},
                               {"category", h.category},
                               {"owner", h.owner},
                               {"effective", h.effective},
                               {"version", h.version},
                               {"score", h.score},
                               {"snippet", h.snippet},
                               {"snippet_highlights", ranges_json(h.snippet_highlights)}});
    }
    // Invalid UTF-8 never reaches here (input is validated), but never throw on output.
    return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

static std::string marked(const std::string& text, const std::vector<TextRange>& ranges, bool color) {
    if (!color) return text;
    std::string out;
    size_t pos = 0;
    for (const auto& r : ranges) {
        out += text.substr(pos, r.start - pos);
        out += "\x1b[1m" + text.substr(r.start, r.length) + "\x1b[0m";
        pos = r.start + r.length;
    }
    return out + text.substr(std::min(pos, text.size()));
}

std::string search_results_text(const SearchResults& results, bool color) {
    std::string out;
    if (!results.showing_results_for.empty()) out += "Showing results for: " + results.showing_results_for + "\n\n";
    if (results.hits.empty()) return out + "No articles found.\n";
    int n = 0;
    for (const auto& h : results.hits) {
        out += std::to_string(++n) + ". " + marked(h.title, h.title_highlights, color) + "  (" + h.category + ", " + h.slug + ")\n";
        if (!h.snippet.empty()) out += "   " + marked(h.snippet, h.snippet_highlights, color) + "\n";
    }
    return out;
}

}  // namespace handbook
