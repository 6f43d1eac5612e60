#include "front_matter.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

namespace handbook {
namespace {

int line_of_offset(std::string_view text, size_t offset) {
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(std::min(offset, text.size())), '\n'));
}

const std::set<std::string> kKnownFields = {"title", "slug", "category", "tags", "owner",
                                            "effective", "review_by", "status"};

}  // namespace

ParsedArticle parse_article_file(std::string_view text, std::string_view file_name) {
    ParsedArticle out;
    auto error = [&](int line, std::string message) { out.errors.push_back({line, std::move(message)}); };

    if (text.size() > kMaxArticleFileBytes) {
        error(0, "file is " + std::to_string(text.size() / 1024) + " KiB; the limit for an article file is " +
                     std::to_string(kMaxArticleFileBytes / 1024) + " KiB");
        return out;
    }
    size_t bad = 0;
    if (!is_valid_utf8(text, &bad)) {
        error(line_of_offset(text, bad), "the file is not valid UTF-8 text (invalid byte at offset " + std::to_string(bad) +
                                             "); save it as UTF-8");
        return out;
    }
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // byte order mark

    // Front matter: from a first line '---' to the next line that is exactly '---'.
    auto first_line_end = text.find('\n');
    std::string_view first = text.substr(0, first_line_end);
    if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
    if (first != "---") {
        error(1, "the file must start with a '---' line that opens the front matter (title, slug, category, ...)");
        return out;
    }
    size_t yaml_start = first_line_end + 1, pos = yaml_start, yaml_end = std::string_view::npos, body_start = 0;
    while (pos < text.size()) {
        size_t eol = text.find('\n', pos);
        std::string_view line = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line == "---") {
            yaml_end = pos;
            body_start = eol == std::string_view::npos ? text.size() : eol + 1;
            break;
        }
        if (eol == std::string_view::npos) break;
        pos = eol + 1;
    }
    if (yaml_end == std::string_view::npos) {
        error(1, "the front matter opened on line 1 is never closed: add a '---' line after the last field");
        return out;
    }

    std::string yaml(text.substr(yaml_start, yaml_end - yaml_start));
    YAML::Node root;
    try {
        root = YAML::Load(yaml);
    } catch (const YAML::Exception& e) {
        error(e.mark.is_null() ? 0 : e.mark.line + 2, "front matter is not valid YAML: " + e.msg);
        return out;
    }
    if (!root.IsMap()) {
        error(2, "front matter must be a list of 'field: value' lines");
        return out;
    }

    Article& a = out.article;
    try {
        for (auto it = root.begin(); it != root.end(); ++it) {
            // yaml-cpp's map iterator yields a temporary pair: copy the nodes (cheap
            // handles); a reference to it->second dangles (found by fuzz_article_file).
            const YAML::Node key_node = it->first;
            const YAML::Node v = it->second;
            std::string key = key_node.as<std::string>();
            int line = key_node.Mark().line + 2;
            if (!kKnownFields.count(key)) {
                out.warnings.push_back({line, "unknown field '" + key + "' is ignored"});
                continue;
            }
            if (key == "tags") {
                if (v.IsSequence()) {
                    for (const auto& t : v) {
                        if (!t.IsScalar()) { error(line, "each tag must be a word or phrase"); break; }
                        a.tags.push_back(t.as<std::string>());
                    }
                } else if (v.IsScalar()) {
                    a.tags.push_back(v.as<std::string>());
                } else if (!v.IsNull()) {
                    error(line, "'tags' must be a list, like: tags: [refund, receipt]");
                }
                continue;
            }
            if (!v.IsScalar() && !v.IsNull()) {
                error(line, "'" + key + "' must be a single value");
                continue;
            }
            std::string value = v.IsNull() ? "" : v.as<std::string>();
            if (key == "title") a.title = value;
            else if (key == "slug") a.slug = value;
            else if (key == "category") a.category = value;
            else if (key == "owner") a.owner = value;
            else if (key == "effective") a.effective = value;
            else if (key == "review_by") a.review_by = value;
            else if (key == "status") a.status = value;
        }
    } catch (const YAML::Exception& e) {
        error(e.mark.is_null() ? 0 : e.mark.line + 2, "front matter: " + e.msg);
        return out;
    }
    a.body = std::string(text.substr(body_start));
    while (!a.body.empty() && (a.body.front() == '\n' || a.body.front() == '\r')) a.body.erase(a.body.begin());

    // Field checks, reported on the line of the field when it is there.
    auto field_line = [&](const std::string& field) -> int {
        for (auto it = root.begin(); it != root.end(); ++it) {
            const YAML::Node key_node = it->first;
            if (key_node.IsScalar() && key_node.Scalar() == field) return key_node.Mark().line + 2;
        }
        return 0;
    };
    for (const auto& p : validate_article(a)) {
        int line = p.field.empty() || p.field == "body" ? 0 : field_line(p.field);
        if (p.field == "body") line = line_of_offset(text, body_start);
        error(line, p.message);
    }
    if (out.errors.empty()) {
        std::string stem(file_name);
        auto slash = stem.find_last_of('/');
        if (slash != std::string::npos) stem = stem.substr(slash + 1);
        if (stem.size() > 3 && stem.compare(stem.size() - 3, 3, ".md") == 0) stem.resize(stem.size() - 3);
        if (stem != a.slug)
            out.warnings.push_back({field_line("slug"), "slug '" + a.slug + "' differs from the file name '" + stem + ".md'"});
        if (a.body.empty()) out.warnings.push_back({0, "the article has no text after the front matter"});
    }
    return out;
}

bool has_front_matter(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    return text.substr(0, 4) == "---\n" || text.substr(0, 5) == "---\r\n";
}

static std::string slug_from_path(std::string_view path) {
    if (path.size() > 3 && path.substr(path.size() - 3) == ".md") path.remove_suffix(3);
    std::string slug;
    for (char c : path) {
        char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        bool keep = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
        if (keep) slug += lower;
        else if (!slug.empty() && slug.back() != '-') slug += '-';
    }
    if (slug.size() > kMaxSlugBytes) slug.resize(kMaxSlugBytes);
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    return slug;
}

static std::string one_year_later(std::string_view date) {
    int year = std::stoi(std::string(date.substr(0, 4))) + 1;
    std::string out = std::to_string(year) + std::string(date.substr(4));
    if (!is_valid_date(out)) out = std::to_string(year) + "-02-28";  // from 29 February
    return out;
}

ParsedArticle parse_plain_markdown_file(std::string_view text, std::string_view relative_path, std::string_view date) {
    ParsedArticle out;
    if (text.size() > kMaxArticleFileBytes) {
        out.errors.push_back({0, "file is " + std::to_string(text.size() / 1024) + " KiB; the limit for an article file is " +
                                     std::to_string(kMaxArticleFileBytes / 1024) + " KiB"});
        return out;
    }
    size_t bad = 0;
    if (!is_valid_utf8(text, &bad)) {
        out.errors.push_back({line_of_offset(text, bad), "the file is not valid UTF-8 text; save it as UTF-8"});
        return out;
    }
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    Article& a = out.article;
    std::string path(relative_path);
    auto slash = path.find_last_of('/');
    std::string file = slash == std::string::npos ? path : path.substr(slash + 1);
    std::string stem = file.size() > 3 && file.compare(file.size() - 3, 3, ".md") == 0 ? file.substr(0, file.size() - 3) : file;
    auto first_dir = path.find('/');
    a.category = first_dir == std::string::npos ? "General" : path.substr(0, first_dir);
    a.slug = slug_from_path(path);
    a.owner = "Unassigned";
    a.status = "published";
    a.effective = std::string(date);
    a.review_by = is_valid_date(date) ? one_year_later(date) : "";
    a.title = stem;
    a.body = std::string(text);
    // The first line that is a level-1 ATX heading becomes the title.
    size_t pos = 0;
    while (pos < a.body.size()) {
        size_t eol = a.body.find('\n', pos);
        std::string line = a.body.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
        if (line.rfind("# ", 0) == 0) {
            std::string title = line.substr(2);
            while (!title.empty() && (title.back() == '#' || title.back() == ' ' || title.back() == '\r')) title.pop_back();
            if (!title.empty()) {
                a.title = title;
                a.body.erase(pos, eol == std::string::npos ? std::string::npos : eol - pos + 1);
            }
            break;
        }
        if (eol == std::string::npos) break;
        pos = eol + 1;
    }
    while (!a.body.empty() && (a.body.front() == '\n' || a.body.front() == '\r')) a.body.erase(a.body.begin());
    if (a.title.size() > kMaxTitleBytes) a.title.resize(kMaxTitleBytes);
    for (const auto& p : validate_article(a)) out.errors.push_back({0, p.message});
    if (out.errors.empty())
        out.warnings.push_back({1, "no front matter: imported as '" + a.slug + "' in category '" + a.category +
                                       "' (add a front matter block to set title, owner and dates)"});
    return out;
}

std::string format_article_file(const Article& a) {
    YAML::Emitter e;
    e << YAML::BeginMap;
    e << YAML::Key << "title" << YAML::Value << a.title;
    e << YAML::Key << "slug" << YAML::Value << a.slug;
    e << YAML::Key << "category" << YAML::Value << a.category;
    e << YAML::Key << "tags" << YAML::Value << YAML::Flow << a.tags;
    e << YAML::Key << "owner" << YAML::Value << a.owner;
    e << YAML::Key << "effective" << YAML::Value << a.effective;
    e << YAML::Key << "review_by" << YAML::Value << a.review_by;
    e << YAML::Key << "status" << YAML::Value << a.status;
    e << YAML::EndMap;
    return std::string("---\n") + e.c_str() + "\n---\n" + a.body;
}

}  // namespace handbook
