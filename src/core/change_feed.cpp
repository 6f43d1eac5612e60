#include "change_feed.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <vector>

#include "article_store.h"

namespace handbook {

using nlohmann::json;

std::string change_feed_json(Database& db, int64_t after, int limit) {
    limit = std::clamp(limit, 1, kMaxFeedChanges);
    json out = {{"format", 1}, {"after", after}, {"latest", after}, {"more", false}, {"changes", json::array()}};
    auto changes = changes_since(db, after, limit);
    if (!changes) {
        out["error"] = changes.error();
        return out.dump();
    }
    for (const ChangeEntry& c : *changes) {
        json entry = {{"seq", c.seq}, {"kind", c.kind}};
        if (c.kind == "article") {
            auto v = article_version(db, c.slug, c.version);
            if (!v || !v->has_value()) continue;
            const ArticleVersion& av = **v;
            const Article& a = av.article;
            entry["article"] = {{"slug", c.slug},         {"title", a.title},         {"category", a.category},
                                {"tags", a.tags},         {"owner", a.owner},         {"effective", a.effective},
                                {"review_by", a.review_by}, {"status", a.status},     {"body", a.body},
                                {"version", av.version},  {"change_note", av.change_note},
                                {"author", av.author},    {"created_at", av.created_at}};
        } else if (c.kind == "synonyms") {
            // The synonyms table keeps only the current groups; every synonyms entry
            // carries them, and the last one applied wins.
            auto groups = load_synonyms(db);
            entry["synonyms"] = groups ? json(*groups) : json::array();
        }
        out["changes"].push_back(std::move(entry));
        out["latest"] = c.seq;
    }
    out["more"] = static_cast<int>(changes->size()) == limit && out["latest"].get<int64_t>() < latest_change_seq(db);
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

struct FeedArticle {
    Article article;
    VersionNote note;
};

struct ParsedFeed {
    std::vector<FeedArticle> articles;
    std::optional<SynonymGroups> synonyms;
    int64_t latest = 0;
    bool more = false;
};

bool read_string(const json& obj, const char* key, std::string* out) {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_string()) return false;
    *out = it->get<std::string>();
    return true;
}

Result<ParsedFeed> parse_feed(std::string_view text) {
    if (text.size() > kMaxFeedBytes) return Status::fail("the update is larger than the 64 MiB limit");
    json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return Status::fail("the update is incomplete or damaged (not valid JSON); nothing was changed");
    if (!doc.is_object() || !doc.contains("format") || !doc["format"].is_number_integer() || doc["format"].get<int>() != 1)
        return Status::fail("the update is in a format this version of Handbook does not know; nothing was changed");
    if (!doc.contains("changes") || !doc["changes"].is_array() || !doc.contains("latest") ||
        !doc["latest"].is_number_integer())
        return Status::fail("the update has no list of changes; nothing was changed");
    if (doc["changes"].size() > static_cast<size_t>(kMaxFeedChanges))
        return Status::fail("the update has more than " + std::to_string(kMaxFeedChanges) + " changes");

    ParsedFeed feed;
    feed.latest = doc["latest"].get<int64_t>();
    feed.more = doc.contains("more") && doc["more"].is_boolean() && doc["more"].get<bool>();
    int64_t last_seq = 0;
    for (const json& c : doc["changes"]) {
        if (!c.is_object() || !c.contains("seq") || !c["seq"].is_number_integer())
            return Status::fail("an entry of the update has no sequence number; nothing was changed");
        int64_t seq = c["seq"].get<int64_t>();
        std::string where = "change " + std::to_string(seq) + " of the update: ";
        if (seq <= last_seq) return Status::fail(where + "out of order; nothing was changed");
        last_seq = seq;
        std::string kind;
        if (!read_string(c, "kind", &kind)) return Status::fail(where + "no kind");
        if (kind == "article") {
            if (!c.contains("article") || !c["article"].is_object()) return Status::fail(where + "no article");
            const json& a = c["article"];
            FeedArticle fa;
            Article& art = fa.article;
            bool ok = read_string(a, "slug", &art.slug) && read_string(a, "title", &art.title) &&
                      read_string(a, "category", &art.category) && read_string(a, "owner", &art.owner) &&
                      read_string(a, "effective", &art.effective) && read_string(a, "review_by", &art.review_by) &&
                      read_string(a, "status", &art.status) && read_string(a, "body", &art.body);
            if (!ok) return Status::fail(where + "an article field is missing or not text; nothing was changed");
            if (!a.contains("tags") || !a["tags"].is_array()) return Status::fail(where + "the tags are missing");
            for (const json& t : a["tags"]) {
                if (!t.is_string()) return Status::fail(where + "a tag is not text");
                art.tags.push_back(t.get<std::string>());
            }
            read_string(a, "change_note", &fa.note.change_note);
            read_string(a, "author", &fa.note.author);
            if (auto problems = validate_article(art); !problems.empty())
                return Status::fail(where + "article '" + art.slug + "': " + problems.front().message + "; nothing was changed");
            feed.articles.push_back(std::move(fa));
        } else if (kind == "synonyms") {
            if (!c.contains("synonyms") || !c["synonyms"].is_array()) return Status::fail(where + "no synonym list");
            SynonymGroups groups;
            for (const json& g : c["synonyms"]) {
                if (!g.is_array()) return Status::fail(where + "a synonym group is not a list");
                std::vector<std::string> phrases;
                for (const json& p : g) {
                    if (!p.is_string() || p.get_ref<const std::string&>().size() > 200)
                        return Status::fail(where + "a synonym is not short text");
                    phrases.push_back(p.get<std::string>());
                }
                groups.push_back(std::move(phrases));
            }
            feed.synonyms = std::move(groups);
        }
        // Unknown kinds come from a newer server: skipped, so old devices keep syncing.
    }
    return feed;
}

Status set_applied_seq(Database& db, int64_t seq) {
    auto stmt = db.prepare("INSERT INTO sync_state(key, value) VALUES ('feed_seq', ?1) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!stmt) return stmt.status();
    return stmt->bind(1, std::to_string(seq)).run();
}

}  // namespace

int64_t applied_feed_seq(Database& db) {
    auto stmt = db.prepare("SELECT value FROM sync_state WHERE key = 'feed_seq'");
    if (!stmt || !stmt->step()) return 0;
    return std::strtoll(stmt->column_text(0).c_str(), nullptr, 10);
}

Result<FeedApplied> apply_change_feed(Database& db, std::string_view text) {
    auto feed = parse_feed(text);
    if (!feed) return feed.status();
    FeedApplied applied;
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    for (const FeedArticle& fa : feed->articles) {
        auto saved = save_article(db, fa.article, fa.note);
        if (!saved) return Status::fail("saving '" + fa.article.slug + "' from the update failed: " + saved.error());
        if (saved->outcome != SaveOutcome::unchanged) ++applied.articles_changed;
    }
    if (feed->synonyms) {
        auto before = load_synonyms(db);
        if (Status st = set_synonyms(db, *feed->synonyms); !st) return st;
        applied.synonyms_changed = before && *before != *feed->synonyms;
    }
    applied.latest = std::max(applied_feed_seq(db), feed->latest);
    applied.more = feed->more;
    if (Status st = set_applied_seq(db, applied.latest); !st) return st;
    if (Status st = tx.commit(); !st) return st;
    return applied;
}

}  // namespace handbook
