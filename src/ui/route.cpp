#include "route.h"

#include "core/article.h"
#include "core/search.h"

namespace handbook::ui {

namespace {

constexpr size_t kMaxHashBytes = 2048;

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Reads "category=..&tag=.." after '?'.
void parse_filters(std::string_view params, Route* route) {
    while (!params.empty()) {
        size_t amp = params.find('&');
        std::string_view pair = params.substr(0, amp);
        params = amp == std::string_view::npos ? std::string_view{} : params.substr(amp + 1);
        size_t eq = pair.find('=');
        if (eq == std::string_view::npos) continue;
        std::string value = url_decode(pair.substr(eq + 1));
        if (value.size() > kMaxFieldBytes) continue;
        if (pair.substr(0, eq) == "category") route->category = value;
        if (pair.substr(0, eq) == "tag") route->tag = value;
    }
}

}  // namespace

std::string url_encode(std::string_view text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string url_decode(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else if (text[i] == '+') {
            out += ' ';
        } else {
            out += text[i];
        }
    }
    // A decoded hash is shown and searched: keep it valid UTF-8.
    if (!is_valid_utf8(out)) return {};
    return out;
}

Route parse_route(std::string_view hash) {
    Route route;
    if (hash.size() > kMaxHashBytes) return route;
    if (!hash.empty() && hash.front() == '#') hash.remove_prefix(1);
    if (!hash.empty() && hash.front() == '/') hash.remove_prefix(1);
    if (hash.starts_with("search")) {
        hash.remove_prefix(6);
        if (!hash.empty() && hash.front() == '/') hash.remove_prefix(1);
        size_t q = hash.find('?');
        route.screen = Screen::search;
        route.query = url_decode(hash.substr(0, q));
        if (route.query.size() > kMaxQueryBytes) route.query.resize(0);
        if (q != std::string_view::npos) parse_filters(hash.substr(q + 1), &route);
        if (route.query.empty() && route.category.empty() && route.tag.empty()) route.screen = Screen::home;
    } else if (hash == "sign-in") {
        route.screen = Screen::sign_in;
    } else if (hash == "new") {
        route.screen = Screen::edit;
    } else if (hash.starts_with("edit/") || hash.starts_with("history/")) {
        const bool edit = hash.starts_with("edit/");
        std::string slug = url_decode(hash.substr(edit ? 5 : 8));
        if (is_valid_slug(slug)) {
            route.screen = edit ? Screen::edit : Screen::history;
            route.slug = slug;
        }
    } else if (hash.starts_with("draft/")) {
        std::string id = url_decode(hash.substr(6));
        if (!id.empty() && id.size() <= 64 && id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos) {
            route.screen = Screen::edit;
            route.draft = id;
        }
    } else if (hash == "drafts") {
        route.screen = Screen::drafts;
    } else if (hash == "whats-new") {
        route.screen = Screen::news;
    } else if (hash.starts_with("report/")) {
        std::string slug = url_decode(hash.substr(7));
        if (is_valid_slug(slug)) {
            route.screen = Screen::report;
            route.slug = slug;
        }
    } else if (hash == "review" || hash.starts_with("review/")) {
        route.screen = Screen::review;
        if (hash.size() > 7) {
            int64_t id = 0;
            std::string_view digits = hash.substr(7);
            bool ok = !digits.empty() && digits.size() <= 15;
            for (char c : digits) ok = ok && c >= '0' && c <= '9';
            if (ok)
                for (char c : digits) id = id * 10 + (c - '0');
            if (id > 0) route.review = id;
        }
    } else if (hash.starts_with("a/")) {
        std::string slug = url_decode(hash.substr(2));
        if (is_valid_slug(slug)) {
            route.screen = Screen::article;
            route.slug = slug;
        }
    }
    return route;
}

std::string format_route(const Route& route) {
    switch (route.screen) {
    case Screen::home:
        return "#/";
    case Screen::article:
        return "#/a/" + url_encode(route.slug);
    case Screen::sign_in:
        return "#/sign-in";
    case Screen::edit:
        if (!route.slug.empty()) return "#/edit/" + url_encode(route.slug);
        if (!route.draft.empty()) return "#/draft/" + url_encode(route.draft);
        return "#/new";
    case Screen::drafts:
        return "#/drafts";
    case Screen::news:
        return "#/whats-new";
    case Screen::report:
        return "#/report/" + url_encode(route.slug);
    case Screen::review:
        return route.review > 0 ? "#/review/" + std::to_string(route.review) : std::string("#/review");
    case Screen::history:
        return "#/history/" + url_encode(route.slug);
    case Screen::search: {
        std::string hash = "#/search/" + url_encode(route.query);
        std::string params;
        if (!route.category.empty()) params += "category=" + url_encode(route.category);
        if (!route.tag.empty()) params += std::string(params.empty() ? "" : "&") + "tag=" + url_encode(route.tag);
        if (!params.empty()) hash += "?" + params;
        return hash;
    }
    }
    return "#/";
}

const char* screen_name(Screen screen) {
    switch (screen) {
    case Screen::home: return "home";
    case Screen::search: return "search";
    case Screen::article: return "article";
    case Screen::sign_in: return "sign-in";
    case Screen::edit: return "edit";
    case Screen::drafts: return "drafts";
    case Screen::review: return "review";
    case Screen::history: return "history";
    case Screen::news: return "news";
    case Screen::report: return "report";
    }
    return "home";
}

std::string article_route(std::string_view slug) {
    Route r;
    r.screen = Screen::article;
    r.slug = slug;
    return format_route(r);
}

std::string search_route(std::string_view query) {
    Route r;
    r.screen = Screen::search;
    r.query = query;
    return format_route(r);
}

std::string browse_route(std::string_view category, std::string_view tag) {
    Route r;
    r.screen = Screen::search;
    r.category = category;
    r.tag = tag;
    return format_route(r);
}

}  // namespace handbook::ui
