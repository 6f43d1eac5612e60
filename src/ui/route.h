// URL hash routes: "#/" home, "#/search/<urlencoded query>[?category=..&tag=..]",
// "#/a/<slug>", "#/sign-in"; the write side's "#/new", "#/edit/<slug>", "#/draft/<device id>",
// "#/drafts", "#/review", "#/review/<id>", "#/history/<slug>". Parsing accepts anything and falls back to home, since a hash can
// come from a pasted link.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace handbook::ui {

enum class Screen { home, search, article, sign_in, edit, drafts, review, history, news, report };

struct Route {
    Screen screen = Screen::home;
    std::string query;     // search
    std::string category;  // search filter
    std::string tag;       // search filter
    std::string slug;      // article; edit (the article edited, "" = new); history
    std::string draft;     // edit: a draft kept on this device (its id there)
    int64_t review = 0;    // review: the server's draft id (0 = the list)
    bool operator==(const Route&) const = default;
};

Route parse_route(std::string_view hash);
std::string format_route(const Route& route);

// The routes links go to: an article, a category or a tag to browse.
std::string article_route(std::string_view slug);
std::string browse_route(std::string_view category, std::string_view tag);
std::string search_route(std::string_view query);

std::string url_encode(std::string_view text);
std::string url_decode(std::string_view text);

const char* screen_name(Screen screen);  // "home" | "search" | "article" | "sign-in" | "edit" | ...

}  // namespace handbook::ui
