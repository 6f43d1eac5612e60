#include "article.h"

namespace handbook {

bool is_valid_slug(std::string_view slug) {
    if (slug.empty() || slug.size() > kMaxSlugBytes) return false;
    if (slug.front() == '-' || slug.back() == '-') return false;
    for (char c : slug) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok) return false;
    }
    return true;
}

static bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

bool is_valid_date(std::string_view date) {
    if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
    for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (date[i] < '0' || date[i] > '9') return false;
    auto num = [&](size_t pos, size_t len) {
        int value = 0;
        for (size_t i = pos; i < pos + len; ++i) value = value * 10 + (date[i] - '0');
        return value;
    };
    int year = num(0, 4), month = num(5, 2), day = num(8, 2);
    if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int max_day = days[month - 1] + ((month == 2 && is_leap(year)) ? 1 : 0);
    return day <= max_day;
}

bool is_valid_status(std::string_view status) {
    return status == "draft" || status == "published" || status == "archived";
}

bool is_valid_utf8(std::string_view text, size_t* bad_offset) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    size_t n = text.size(), i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t len = 0;
        uint32_t cp = 0;
        if (c < 0x80) { ++i; continue; }
        if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
        else break;
        if (i + len > n) break;
        size_t k = 1;
        for (; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) break;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (k != len) break;
        // Overlong forms, surrogates and values past U+10FFFF are invalid.
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            break;
        i += len;
    }
    if (i < n && bad_offset) *bad_offset = i;
    return i >= n;
}

// Control characters (other than tab and line breaks) have no place in a policy and
// would end up in snippets and on screen; NUL in particular confuses C parsers.
static bool has_control_character(std::string_view text) {
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7F) return true;
    }
    return false;
}

std::vector<FieldProblem> validate_article(const Article& a) {
    std::vector<FieldProblem> problems;
    auto require = [&](const char* field, const std::string& value, size_t max_bytes) {
        if (value.empty()) problems.push_back({field, std::string("'") + field + "' is missing or empty"});
        else if (value.size() > max_bytes)
            problems.push_back({field, std::string("'") + field + "' is longer than " + std::to_string(max_bytes) + " bytes"});
        else if (!is_valid_utf8(value))
            problems.push_back({field, std::string("'") + field + "' is not valid UTF-8 text"});
        else if (has_control_character(value))
            problems.push_back({field, std::string("'") + field + "' contains a control character"});
    };
    require("title", a.title, kMaxTitleBytes);
    require("category", a.category, kMaxFieldBytes);
    require("owner", a.owner, kMaxFieldBytes);
    if (a.slug.empty()) problems.push_back({"slug", "'slug' is missing or empty"});
    else if (!is_valid_slug(a.slug))
        problems.push_back({"slug", "slug '" + a.slug + "' must be 1-80 characters of a-z, 0-9 and '-' (not at either end)"});
    for (const char* field : {"effective", "review_by"}) {
        const std::string& value = std::string_view(field) == "effective" ? a.effective : a.review_by;
        if (value.empty()) problems.push_back({field, std::string("'") + field + "' date is missing"});
        else if (!is_valid_date(value))
            problems.push_back({field, std::string("'") + field + "' is '" + value + "', not a real date in the form YYYY-MM-DD"});
    }
    if (problems.empty() || (is_valid_date(a.effective) && is_valid_date(a.review_by))) {
        if (is_valid_date(a.effective) && is_valid_date(a.review_by) && a.review_by < a.effective)
            problems.push_back({"review_by", "'review_by' (" + a.review_by + ") is before 'effective' (" + a.effective + ")"});
    }
    if (!is_valid_status(a.status))
        problems.push_back({"status", "status '" + a.status + "' must be one of: draft, published, archived"});
    if (a.tags.size() > kMaxTags)
        problems.push_back({"tags", "more than " + std::to_string(kMaxTags) + " tags"});
    for (const auto& tag : a.tags) {
        if (tag.empty() || tag.size() > kMaxFieldBytes || !is_valid_utf8(tag)) {
            problems.push_back({"tags", "tag '" + tag + "' must be 1-120 bytes of UTF-8 text"});
            break;
        }
    }
    if (a.body.size() > kMaxBodyBytes)
        problems.push_back({"body", "the article text is " + std::to_string(a.body.size() / 1024) + " KiB; the limit is " +
                                        std::to_string(kMaxBodyBytes / 1024) + " KiB"});
    else if (!is_valid_utf8(a.body))
        problems.push_back({"body", "the article text is not valid UTF-8"});
    else if (has_control_character(a.body))
        problems.push_back({"body", "the article text contains a control character (a byte below 0x20 other than tab or a line break)"});
    return problems;
}

bool same_content(const Article& a, const Article& b) {
    return a.slug == b.slug && a.title == b.title && a.category == b.category && a.tags == b.tags &&
           a.owner == b.owner && a.effective == b.effective && a.review_by == b.review_by &&
           a.status == b.status && a.body == b.body;
}

std::vector<FieldProblem> draft_problems(const Article& a) {
    Article whole = a;
    whole.status = "published";
    auto left_empty = [&](const std::string& field) {
        return (field == "title" && a.title.empty()) || (field == "category" && a.category.empty()) ||
               (field == "owner" && a.owner.empty()) || (field == "effective" && a.effective.empty()) ||
               (field == "review_by" && a.review_by.empty());
    };
    std::vector<FieldProblem> out;
    for (FieldProblem& p : validate_article(whole)) {
        if (left_empty(p.field)) continue;                                   // not written yet
        if (p.field == "review_by" && is_valid_date(a.review_by)) continue;  // before `effective`: fixed before submitting
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace handbook
