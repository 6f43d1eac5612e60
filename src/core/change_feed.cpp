#include "change_feed.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <vector>

#include "article_store.h"
#include "content_trust.h"
#include "schema.h"
#include "signed_file.h"

namespace handbook {

using nlohmann::json;

Result<std::string> change_feed_json(Database& db, int64_t after, int limit) {
    auto page = change_feed_page(db, after, limit);
    if (!page) return page.status();
    return std::move(page->json);
}

Result<FeedPage> change_feed_page(Database& db, int64_t after, int limit, bool as_window) {
    limit = std::clamp(limit, 1, kMaxFeedChanges);
    // One view of the store for the whole answer: a writer committing meanwhile (an
    // import in another process) is seen by the next answer, whole, never half.
    ReadTransaction view(db);
    if (!view.status()) return view.status();
    auto server = store_identity(db);
    if (!server) return server.status();
    auto head = latest_change_seq(db);
    if (!head) return head.status();
    auto changes = changes_since(db, after, limit);
    if (!changes) return changes.status();

    auto server_time = db.prepare("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')");
    if (!server_time) return server_time.status();
    if (!server_time->step()) return server_time->status();
    json out = {{"format", kFeedFormat}, {"server", *server}, {"after", after}, {"latest", after},
                {"head", *head},         {"more", false},     {"server_time", server_time->column_text(0)},
                {"changes", json::array()}};
    std::optional<json> synonyms;  // read once: every synonyms entry carries the current groups
    for (const ChangeEntry& c : *changes) {
        json entry = {{"seq", c.seq}, {"kind", c.kind}};
        if (c.kind == "article") {
            auto v = article_version(db, c.slug, c.version);
            if (!v) return v.status();
            if (!v->has_value())
                return Status::fail(StatusCode::corrupt, "change " + std::to_string(c.seq) + " names version " +
                                                             std::to_string(c.version) + " of '" + c.slug +
                                                             "', which the store does not hold");
            const ArticleVersion& av = **v;
            const Article& a = av.article;
            entry["article"] = {{"slug", c.slug},         {"title", a.title},         {"category", a.category},
                                {"tags", a.tags},         {"owner", a.owner},         {"effective", a.effective},
                                {"review_by", a.review_by}, {"status", a.status},     {"body", a.body},
                                {"version", av.version},  {"change_note", av.change_note},
                                {"author", av.author},    {"created_at", av.created_at},
                                {"approver", av.approver}, {"must_acknowledge", av.must_acknowledge},
                                {"acknowledge_by", av.acknowledge_by}};
        } else if (c.kind == "review") {
            auto r = review_confirmation_at(db, c.seq);
            if (!r) return r.status();
            if (!r->has_value())
                return Status::fail(StatusCode::corrupt, "change " + std::to_string(c.seq) + " names a review confirmation the store does not hold");
            const ReviewConfirmation& rc = **r;
            entry["review"] = {{"slug", rc.slug}, {"version", rc.version}, {"review_by", rc.review_by},
                               {"confirmed_at", rc.confirmed_at}, {"confirmed_by", rc.confirmed_by}};
        } else if (c.kind == "synonyms") {
            // The synonyms table keeps only the current groups; the last one applied wins.
            if (!synonyms) {
                auto groups = load_synonyms(db);
                if (!groups) return groups.status();
                synonyms = json(*groups);
            }
            entry["synonyms"] = *synonyms;
        }
        out["changes"].push_back(std::move(entry));
        out["latest"] = c.seq;
    }
    out["more"] = out["latest"].get<int64_t>() < *head && static_cast<int>(changes->size()) == limit;
    if (as_window) {
        out["head"] = out["latest"];
        out["more"] = false;
        out.erase("server_time");  // a window's bytes must not change with the clock (the pointer is signed with the time)
    }
    FeedPage page;
    page.server = *server;
    page.after = after;
    page.latest = out["latest"].get<int64_t>();
    page.head = out["head"].get<int64_t>();
    page.more = out["more"].get<bool>();
    page.json = out.dump(-1, ' ', false, json::error_handler_t::replace);
    return page;
}

namespace {

// One change of the feed, in order: a version, or a review confirmation.
struct FeedItem {
    int64_t seq = 0;
    std::optional<ArticleVersion> version;
    std::optional<ReviewConfirmation> review;
};

struct ParsedFeed {
    std::vector<FeedItem> items;
    std::string server_time;
    std::optional<SynonymGroups> synonyms;
    int64_t synonyms_seq = 0;
    std::string server;
    int64_t after = 0;
    int64_t latest = 0;
    int64_t head = 0;
    bool more = false;
};

bool read_position(const json& doc, const char* key, int64_t* out) {
    auto it = doc.find(key);
    if (it == doc.end() || !it->is_number_integer()) return false;
    *out = it->get<int64_t>();
    return *out >= 0;
}

// A server store's identity as store_identity() makes it: 32 lower-case hex digits.
bool is_identity(const std::string& s) {
    return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool read_string(const json& obj, const char* key, std::string* out) {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_string()) return false;
    *out = it->get<std::string>();
    return true;
}

Result<ParsedFeed> parse_feed(std::string_view text) {
    if (text.size() > kMaxFeedBytes) return Status::fail(StatusCode::invalid, "the update is larger than the 64 MiB limit; nothing was changed");
    json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    const auto bad = [](const std::string& what) { return Status::fail(StatusCode::invalid, what + "; nothing was changed"); };
    if (doc.is_discarded()) return bad("the update is incomplete or damaged (not valid JSON)");
    if (!doc.is_object() || !doc.contains("format") || !doc["format"].is_number_integer() || doc["format"].get<int64_t>() != kFeedFormat)
        return bad("the update is in a format this version of Handbook does not know (reload the page for the current app)");
    if (!doc.contains("changes") || !doc["changes"].is_array())
        return bad("the update has no list of changes");
    if (doc["changes"].size() > static_cast<size_t>(kMaxFeedChanges))
        return bad("the update has more than " + std::to_string(kMaxFeedChanges) + " changes");

    ParsedFeed feed;
    if (!read_string(doc, "server", &feed.server) || !is_identity(feed.server))
        return bad("the update does not say which server store it comes from");
    if (!read_position(doc, "after", &feed.after) || !read_position(doc, "latest", &feed.latest) ||
        !read_position(doc, "head", &feed.head))
        return bad("the update's positions (after, latest, head) are missing or not whole numbers from 0 up");
    if (!doc.contains("more") || !doc["more"].is_boolean()) return bad("the update does not say whether more follows");
    feed.more = doc["more"].get<bool>();
    read_string(doc, "server_time", &feed.server_time);
    if (feed.server_time.size() > 40) return bad("the update's server time is malformed");
    // Positions a server's feed cannot produce (change_feed_json): refused, so a forged or
    // mangled answer cannot move the device to a position it would then never leave.
    // (A head behind `after` is how a server restored from an older backup answers a
    // device that is ahead of it: no changes, and apply_change_feed says `diverged`.)
    const bool behind = feed.head < feed.after;
    if (feed.latest < feed.after || (!behind && feed.head < feed.latest) || feed.more != (!behind && feed.latest < feed.head) ||
        (doc["changes"].empty() && feed.latest != feed.after) || (behind && !doc["changes"].empty()))
        return bad("the update's positions do not fit together (after " + std::to_string(feed.after) + ", latest " +
                   std::to_string(feed.latest) + ", head " + std::to_string(feed.head) + ")");
    int64_t last_seq = feed.after;
    for (const json& c : doc["changes"]) {
        if (!c.is_object() || !c.contains("seq") || !c["seq"].is_number_integer())
            return bad("an entry of the update has no sequence number");
        int64_t seq = c["seq"].get<int64_t>();
        std::string where = "change " + std::to_string(seq) + " of the update: ";
        if (seq <= last_seq || seq > feed.latest) return bad(where + "out of order or outside the update's range");
        last_seq = seq;
        std::string kind;
        if (!read_string(c, "kind", &kind)) return bad(where + "no kind");
        if (kind == "article") {
            if (!c.contains("article") || !c["article"].is_object()) return bad(where + "no article");
            const json& a = c["article"];
            ArticleVersion fa;
            Article& art = fa.article;
            bool ok = read_string(a, "slug", &art.slug) && read_string(a, "title", &art.title) &&
                      read_string(a, "category", &art.category) && read_string(a, "owner", &art.owner) &&
                      read_string(a, "effective", &art.effective) && read_string(a, "review_by", &art.review_by) &&
                      read_string(a, "status", &art.status) && read_string(a, "body", &art.body);
            if (!ok) return bad(where + "an article field is missing or not text");
            if (!a.contains("tags") || !a["tags"].is_array()) return bad(where + "the tags are missing");
            for (const json& t : a["tags"]) {
                if (!t.is_string()) return bad(where + "a tag is not text");
                art.tags.push_back(t.get<std::string>());
            }
            read_string(a, "change_note", &fa.change_note);
            read_string(a, "author", &fa.author);
            read_string(a, "approver", &fa.approver);
            if (!read_string(a, "created_at", &fa.created_at)) return bad(where + "the publication time is missing");
            if (!a.contains("version") || !a["version"].is_number_integer() || a["version"].get<int64_t>() < 1 ||
                a["version"].get<int64_t>() > 1000000000)
                return bad(where + "the version number is missing or not a whole number from 1 up");
            fa.version = a["version"].get<int>();
            fa.must_acknowledge = a.contains("must_acknowledge") && a["must_acknowledge"].is_boolean() && a["must_acknowledge"].get<bool>();
            read_string(a, "acknowledge_by", &fa.acknowledge_by);
            if (auto problems = validate_article(art); !problems.empty())
                return bad(where + "article '" + art.slug + "': " + problems.front().message);
            feed.items.push_back(FeedItem{seq, std::move(fa), std::nullopt});
        } else if (kind == "review") {
            if (!c.contains("review") || !c["review"].is_object()) return bad(where + "no review");
            const json& r = c["review"];
            ReviewConfirmation rc;
            bool ok = read_string(r, "slug", &rc.slug) && read_string(r, "review_by", &rc.review_by) &&
                      read_string(r, "confirmed_at", &rc.confirmed_at) && read_string(r, "confirmed_by", &rc.confirmed_by) &&
                      r.contains("version") && r["version"].is_number_integer();
            if (!ok) return bad(where + "a review field is missing or of the wrong type");
            rc.version = r["version"].get<int>();
            feed.items.push_back(FeedItem{seq, std::nullopt, std::move(rc)});
        } else if (kind == "synonyms") {
            if (!c.contains("synonyms") || !c["synonyms"].is_array()) return bad(where + "no synonym list");
            SynonymGroups groups;
            for (const json& g : c["synonyms"]) {
                if (!g.is_array()) return bad(where + "a synonym group is not a list");
                std::vector<std::string> phrases;
                for (const json& p : g) {
                    if (!p.is_string() || p.get_ref<const std::string&>().size() > 200)
                        return bad(where + "a synonym is not short text");
                    phrases.push_back(p.get<std::string>());
                }
                groups.push_back(std::move(phrases));
            }
            feed.synonyms = std::move(groups);
            feed.synonyms_seq = seq;
        }
        // Unknown kinds come from a newer server: skipped, so old devices keep syncing.
    }
    return feed;
}

Status set_sync_value(Database& db, const char* key, const std::string& value) {
    auto stmt = db.prepare("INSERT INTO sync_state(key, value) VALUES (?1, ?2) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!stmt) return stmt.status();
    return stmt->bind(1, std::string_view(key)).bind(2, value).run();
}

}  // namespace

Result<FeedPosition> applied_feed_position(Database& db) {
    auto stmt = db.prepare("SELECT key, value FROM sync_state WHERE key IN ('feed_seq', 'server', 'confirmed_at', 'clock_offset')");
    if (!stmt) return stmt.status();
    FeedPosition position;
    while (stmt->step()) {
        const std::string key = stmt->column_text(0), value = stmt->column_text(1);
        if (key == "server" || key == "confirmed_at") {
            (key == "server" ? position.server : position.confirmed_at) = value;
            continue;
        }
        int64_t number = -1;
        auto [end, err] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (err != std::errc{} || end != value.data() + value.size() || (key == "feed_seq" && number < 0))
            return Status::fail(StatusCode::corrupt, "the device's " + key + " is damaged ('" + value.substr(0, 40) + "')");
        (key == "feed_seq" ? position.seq : position.clock_offset) = number;
    }
    if (!stmt->status()) return stmt->status();
    return position;
}

namespace {

// Applies a parsed answer. `overlap`: the answer may start before the device's position (a
// static tree's page covers a fixed window of the sequence); changes the device holds
// already are skipped.
Result<FeedApplied> apply_parsed(Database& db, const ParsedFeed& feed, bool overlap) {
    FeedApplied applied;
    Transaction tx(db);
    if (!tx.status()) return tx.status();
    auto held = applied_feed_position(db);
    if (!held) return held.status();
    if (!held->server.empty() && held->server != feed.server)
        return Status::fail(StatusCode::diverged,
                            "the server's database is not the one this device followed (it was re-created or replaced); "
                            "this device must download the library again");
    if (feed.head < held->seq)
        return Status::fail(StatusCode::diverged, "the server's library is behind this device's copy (position " +
                                                      std::to_string(feed.head) + " against " + std::to_string(held->seq) +
                                                      ": restored from an older backup?); this device must download the library again");
    const bool follows_on = overlap ? feed.after <= held->seq && held->seq <= feed.latest : feed.after == held->seq;
    if (!follows_on)
        return Status::fail(StatusCode::invalid, "the update starts after position " + std::to_string(feed.after) +
                                                     ", but this device holds " + std::to_string(held->seq) +
                                                     " (an answer to another request); nothing was changed");
    for (const FeedItem& item : feed.items) {
        if (item.seq <= held->seq) continue;  // held already (overlap)
        if (item.version) {
            auto saved = apply_published_version(db, *item.version);
            if (!saved) return saved.status().with_context("saving '" + item.version->article.slug + "' from the update failed: ");
            if (saved->outcome != SaveOutcome::unchanged) ++applied.articles_changed;
        } else if (item.review) {
            if (Status st = apply_review_confirmation(db, *item.review); !st)
                return st.with_context("the update's review of '" + item.review->slug + "': ");
            ++applied.articles_changed;
        }
    }
    if (feed.synonyms && feed.synonyms_seq > held->seq) {
        auto before = load_synonyms(db);
        if (Status st = set_synonyms(db, *feed.synonyms); !st) return st;
        applied.synonyms_changed = before && *before != *feed.synonyms;
    }
    applied.latest = std::max(feed.latest, held->seq);
    applied.head = feed.head;
    applied.server_time = feed.server_time;
    applied.more = feed.more;
    if (Status st = set_sync_value(db, "feed_seq", std::to_string(applied.latest)); !st) return st;
    if (held->server.empty())
        if (Status st = set_sync_value(db, "server", feed.server); !st) return st;
    if (Status st = tx.commit(); !st) return st;
    return applied;
}

}  // namespace

std::string seal_feed_page(const SigningKey& key, const std::vector<Endorsement>& chain, const FeedPage& page, const std::string& made_at) {
    return seal(key, statement_of("feed", page.server, page.after, page.latest, page.head, made_at), page.json, chain);
}

Result<FeedApplied> apply_change_feed(Database& db, std::string_view text) {
    auto feed = parse_feed(text);
    if (!feed) return feed.status();
    return apply_parsed(db, *feed, false);
}

Result<FeedApplied> apply_signed_feed(Database& db, DeviceTrust& trust, std::string_view file, const SignedFeedOptions& options) {
    if (trust.key.empty()) return Status::fail(StatusCode::untrusted, "this device trusts no signing key yet, so it cannot check the update");
    if (!options.expected_sha256.empty() && sha256_hex(file) != options.expected_sha256)
        return Status::fail(StatusCode::untrusted, "the update file is not the one the signed list of updates names (altered on the way?)");
    auto opened = open_signed(file, trust.key);
    if (!opened) return opened.status().with_context("the update was refused: ");
    const SignedStatement& st = opened->statement;
    if (st.kind != "feed") return Status::fail(StatusCode::untrusted, "the update was refused: it is signed as a " + st.kind + ", not as an update");
    auto feed = parse_feed(opened->body);
    if (!feed) return feed.status();
    if (st.server != feed->server || st.after != feed->after || st.latest != feed->latest || st.head != feed->head)
        return Status::fail(StatusCode::untrusted, "the update was refused: its content does not match what was signed (server or positions)");
    if (!options.expected_server.empty() && feed->server != options.expected_server)
        return Status::fail(StatusCode::untrusted, "the update was refused: it is from another server than the signed list that names it");
    if (options.claim)
        if (Status t = check_claim_time(trust, st.made_at); !t) return t;
    auto applied = apply_parsed(db, *feed, !options.claim);
    if (!applied) return applied;
    applied->made_at = st.made_at;
    if (options.claim) accept_claim(trust, *opened);
    else trust.key = opened->signer;
    return applied;
}

}  // namespace handbook

namespace handbook {

Status record_feed_confirmed(Database& db, const std::string& utc_now) {
    if (utc_now.size() > 40) return Status::fail(StatusCode::invalid, "not a time: " + utc_now.substr(0, 40));
    return set_sync_value(db, "confirmed_at", utc_now);
}

Status record_clock_offset(Database& db, int64_t offset) { return set_sync_value(db, "clock_offset", std::to_string(offset)); }

double seconds_until_next_feed_check(int failures, double jitter) {
    constexpr double kEvery = 300, kFirstRetry = 30, kLongest = 900;
    double base = kEvery;
    if (failures > 0) base = std::min(kLongest, kFirstRetry * std::pow(2.0, std::min(failures - 1, 10)));
    return base * (0.9 + 0.2 * std::clamp(jitter, 0.0, 1.0));
}

}  // namespace handbook
