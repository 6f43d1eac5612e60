// The write side's JSON API over a real socket: the authorisation matrix (every route x
// every role, signed out, in and out of their categories), the whole path from sign-in to
// a version a device's feed then carries, conflicts, the sign-in throttle, and hostile
// input (oversized and deeply nested JSON, wrong types, invalid UTF-8, SQL and FTS5 syntax
// in every field, forged and expired cookies, cross-site requests).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

#include "../files/temp_folder.h"
#include "core/article_store.h"
#include "core/change_feed.h"
#include "core/device_snapshot.h"
#include "core/content_trust.h"
#include "core/schema.h"
#include "core/signed_file.h"
#include "server/http_server.h"
#include "server/signing_keys.h"
#include "core/search.h"
#include "server/accounts.h"
#include "server/api.h"
#include "server/serve.h"
#include "server/serve_http.h"
#include "server/serve_site.h"
#include "server/sessions.h"
#include "server/store_pool.h"

using nlohmann::json;
using namespace handbook;

namespace {

const std::string kPassword = "a long enough passphrase";

struct Answer {
    int status = 0;
    json body;
    std::string raw;
    httplib::Headers headers;
};

class ApiTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        tmp_ = new test::TempFolder();
        tmp_->write("web/index.html", "<!doctype html><meta name=\"handbook-version\" content=\"__HANDBOOK_VERSION__\">");
        tmp_->write("web/sw.js", "// sw\n");
        auto site = load_static_site(tmp_->str() + "/web", tmp_->str());
        ASSERT_TRUE(site) << site.error();
        site_ = new StaticSite(std::move(*site));
        auto store = StorePool::open(tmp_->str() + "/server.db");
        ASSERT_TRUE(store) << store.error();
        store_ = store->release();
        {
            auto writer = store_->write();
            std::ostringstream log;
            ASSERT_TRUE(import_on_first_start(writer.db(), std::string(HANDBOOK_SOURCE_DIR) + "/articles", log));
            struct {
                const char* name;
                Role role;
                std::vector<std::string> categories;
            } people[] = {{"sta", Role::staff, {}},
                          {"edi", Role::editor, {}},
                          {"eda", Role::editor, {}},
                          {"edr", Role::editor, {"Refunds and returns"}},
                          {"apo", Role::approver, {}},
                          {"apr", Role::approver, {"Refunds and returns"}},
                          {"ada", Role::admin, {}},
                          {"victim", Role::editor, {}}};
            for (const auto& p : people) ASSERT_TRUE(add_user(writer.db(), p.name, p.role, p.categories, kPassword).is_ok());
        }
        api_ = new ApiServices();
        api_->store = store_;
        api_->clock = [] { return now_.load(); };
        auto keys = load_or_create_signing_key(tmp_->str() + "/server.db.signing-key");
        ASSERT_TRUE(keys) << keys.error();
        keys_ = new ServerKeys(std::move(*keys));
        server_ = new HttpServer();
        install_routes(*server_, ServedContent{site_, store_, api_, keys_});
        port_ = server_->bind_to_any_port("127.0.0.1");
        ASSERT_GT(port_, 0);
        thread_ = new std::thread([] { server_->listen_after_bind(); });
        while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    static void TearDownTestSuite() {
        server_->stop();
        thread_->join();
        delete thread_;
        delete server_;
        delete api_;
        delete keys_;
        delete store_;
        delete site_;
        delete tmp_;
    }

    // One request as the app sends it (JSON, the X-Handbook-Request header, the cookie).
    static Answer call(const std::string& method, const std::string& path, const std::string& cookie = "",
                       const std::string& body = "", httplib::Headers headers = {{"X-Handbook-Request", "1"}}) {
        httplib::Client client("127.0.0.1", port_);
        if (!cookie.empty()) headers.emplace("Cookie", std::string(kSessionCookie) + "=" + cookie);
        httplib::Result r{nullptr, httplib::Error::Unknown};
        const char* type = "application/json";
        if (method == "GET") r = client.Get(path, headers);
        else if (method == "POST") r = client.Post(path, headers, body, type);
        else if (method == "PUT") r = client.Put(path, headers, body, type);
        else if (method == "PATCH") r = client.Patch(path, headers, body, type);
        else if (method == "DELETE") r = client.Delete(path, headers, body, type);
        Answer a;
        if (!r) return a;
        a.status = r->status;
        a.raw = r->body;
        a.headers = r->headers;
        a.body = json::parse(r->body, nullptr, false);
        return a;
    }
    static Answer call(const std::string& method, const std::string& path, const std::string& cookie, const json& body) {
        return call(method, path, cookie, body.dump());
    }

    // A session cookie for `name` (signed in once, then kept).
    static std::string session(const std::string& name) {
        auto it = sessions_.find(name);
        if (it != sessions_.end()) return it->second;
        auto a = call("POST", "/api/session", "", json{{"user", name}, {"password", kPassword}});
        EXPECT_EQ(a.status, 200) << name << ": " << a.raw;
        std::string set_cookie;
        for (const auto& [k, v] : a.headers)
            if (k == "Set-Cookie") set_cookie = v;
        const std::string prefix = std::string(kSessionCookie) + "=";
        std::string token = set_cookie.substr(prefix.size(), set_cookie.find(';') - prefix.size());
        sessions_[name] = token;
        return token;
    }

    static json article_body(const std::string& slug, const std::string& category, int base, const std::string& text) {
        return {{"slug", slug},           {"title", "Title of " + slug}, {"category", category}, {"tags", {"tag"}},
                {"owner", "Customer Service"}, {"effective", "2030-01-01"}, {"review_by", "2031-01-01"}, {"body", text},
                {"base_version", base}};
    }

    // A new draft by `author` of a new article in `category`, submitted if asked.
    static int64_t new_draft(const std::string& author, const std::string& category, bool submit) {
        static int n = 0;
        const std::string slug = "matrix-draft-" + std::to_string(++n);
        auto a = call("POST", "/api/drafts", session(author), article_body(slug, category, 0, "Draft text " + slug + "."));
        EXPECT_EQ(a.status, 201) << a.raw;
        const int64_t id = a.body.value("id", 0);
        if (submit) {
            auto s = call("POST", "/api/drafts/" + std::to_string(id) + "/submit", session(author), json{{"summary", "For review"}});
            EXPECT_EQ(s.status, 200) << s.raw;
        }
        return id;
    }

    static int64_t feed_head() {
        auto reader = store_->read();
        return *latest_change_seq(reader.db());
    }

    static inline test::TempFolder* tmp_ = nullptr;
    static inline StaticSite* site_ = nullptr;
    static inline StorePool* store_ = nullptr;
    static inline ApiServices* api_ = nullptr;
    static inline HttpServer* server_ = nullptr;
    static inline ServerKeys* keys_ = nullptr;
    static inline std::thread* thread_ = nullptr;
    static inline int port_ = 0;
    static inline std::atomic<int64_t> now_{1'800'000'000};
    static inline std::map<std::string, std::string> sessions_;
};

// The people each route is tried with; "out" is nobody signed in. "edr" and "apr" work in
// Refunds and returns only; the matrix's drafts and articles are in Complaints.
const std::vector<std::string> kActors = {"out", "sta", "edi", "eda", "edr", "apo", "apr", "ada"};

struct MatrixRow {
    const char* method;
    const char* pattern;
    // The request for `actor`: its path and body (drafts are made fresh for each).
    std::function<std::pair<std::string, json>(const std::string& actor)> request;
    std::map<std::string, int> expected;  // actor -> status
};

std::map<std::string, int> all(int status) {
    std::map<std::string, int> m;
    for (const auto& a : kActors) m[a] = status;
    return m;
}

std::map<std::string, int> with(std::map<std::string, int> m, std::initializer_list<std::pair<const std::string, int>> changes) {
    for (const auto& [k, v] : changes) m[k] = v;
    return m;
}

}  // namespace

TEST_F(ApiTest, AuthorisationMatrixCoversEveryRouteRoleAndCategory) {
    const int64_t complaint_version = [] {
        auto reader = store_->read();
        return (*get_article(reader.db(), "recording-complaints"))->version;
    }();
    auto draft_path = [](const char* suffix, bool submitted) {
        return [suffix, submitted](const std::string&) {
            const int64_t id = ApiTest::new_draft("edi", "Complaints", submitted);
            return std::make_pair("/api/drafts/" + std::to_string(id) + suffix, json());
        };
    };
    const auto signed_in = with(all(200), {{"out", 401}});
    const auto editors = with(all(403), {{"out", 401}, {"edi", 200}, {"eda", 200}, {"edr", 200}, {"apo", 200}, {"apr", 200}, {"ada", 200}});
    const auto editors_in_category =
        with(all(403), {{"out", 401}, {"edi", 201}, {"eda", 201}, {"apo", 201}, {"ada", 201}});
    const auto admins = with(all(403), {{"out", 401}, {"ada", 200}});
    static int made = 0;
    std::vector<MatrixRow> rows = {
        {"GET", "/api/session", [](const std::string&) { return std::make_pair(std::string("/api/session"), json()); }, all(200)},
        {"POST", "/api/session",
         [](const std::string& actor) {
             return std::make_pair(std::string("/api/session"), json{{"user", actor == "out" ? "nobody" : actor}, {"password", kPassword}});
         },
         with(all(200), {{"out", 401}})},
        {"DELETE", "/api/session", [](const std::string&) { return std::make_pair(std::string("/api/session"), json()); },
         signed_in},
        {"GET", "/api/me", [](const std::string&) { return std::make_pair(std::string("/api/me"), json()); }, signed_in},
        {"GET", "/api/articles/([a-z0-9][a-z0-9-]{0,79})/versions",
         [](const std::string&) { return std::make_pair(std::string("/api/articles/recording-complaints/versions"), json()); }, all(200)},
        {"GET", "/api/articles/([a-z0-9][a-z0-9-]{0,79})/versions/([0-9]{1,10})",
         [](const std::string&) { return std::make_pair(std::string("/api/articles/recording-complaints/versions/1"), json()); }, all(200)},
        {"GET", "/api/articles/([a-z0-9][a-z0-9-]{0,79})/diff",
         [](const std::string&) { return std::make_pair(std::string("/api/articles/recording-complaints/diff?from=1&to=1"), json()); },
         all(200)},
        {"POST", "/api/articles/([a-z0-9][a-z0-9-]{0,79})/archive",
         [](const std::string&) {
             return std::make_pair(std::string("/api/articles/recording-complaints/archive"), json{{"summary", "Withdraw it"}});
         },
         editors_in_category},
        {"POST", "/api/articles/([a-z0-9][a-z0-9-]{0,79})/revert",
         [complaint_version](const std::string&) {
             (void)complaint_version;
             return std::make_pair(std::string("/api/articles/taking-a-complaint/revert"), json{{"summary", "Back"}, {"version", 1}});
         },
         with(all(403), {{"out", 401}, {"edi", 409}, {"eda", 409}, {"apo", 409}, {"ada", 409}})},  // version 1 is the live one
        {"GET", "/api/drafts", [](const std::string&) { return std::make_pair(std::string("/api/drafts"), json()); }, editors},
        {"POST", "/api/drafts",
         [](const std::string&) {
             return std::make_pair(std::string("/api/drafts"),
                                   ApiTest::article_body("matrix-new-" + std::to_string(++made), "Complaints", 0, "A new policy."));
         },
         editors_in_category},
        {"GET", "/api/drafts/([0-9]{1,18})", draft_path("", false),
         with(all(403), {{"out", 401}, {"edi", 200}, {"apo", 200}, {"ada", 200}})},
        {"PUT", "/api/drafts/([0-9]{1,18})",
         [](const std::string&) {
             const int64_t id = ApiTest::new_draft("edi", "Complaints", false);
             json body = ApiTest::article_body("matrix-put-" + std::to_string(id), "Complaints", 0, "Edited.");
             body["slug"] = call("GET", "/api/drafts/" + std::to_string(id), session("edi")).body["slug"];
             body["revision"] = 1;
             return std::make_pair("/api/drafts/" + std::to_string(id), body);
         },
         with(all(403), {{"out", 401}, {"edi", 200}, {"ada", 200}})},
        {"DELETE", "/api/drafts/([0-9]{1,18})", draft_path("", false), with(all(403), {{"out", 401}, {"edi", 200}, {"ada", 200}})},
        {"POST", "/api/drafts/([0-9]{1,18})/submit",
         [](const std::string&) {
             const int64_t id = ApiTest::new_draft("edi", "Complaints", false);
             return std::make_pair("/api/drafts/" + std::to_string(id) + "/submit", json{{"summary", "Ready"}});
         },
         with(all(403), {{"out", 401}, {"edi", 200}, {"ada", 200}})},
        {"POST", "/api/drafts/([0-9]{1,18})/return",
         [](const std::string&) {
             const int64_t id = ApiTest::new_draft("edi", "Complaints", true);
             return std::make_pair("/api/drafts/" + std::to_string(id) + "/return", json{{"comment", "Needs a source"}});
         },
         with(all(403), {{"out", 401}, {"edi", 200}, {"apo", 200}, {"ada", 200}})},
        {"POST", "/api/drafts/([0-9]{1,18})/publish",
         [](const std::string&) {
             const int64_t id = ApiTest::new_draft("edi", "Complaints", true);
             return std::make_pair("/api/drafts/" + std::to_string(id) + "/publish", json::object());
         },
         with(all(403), {{"out", 401}, {"apo", 200}, {"ada", 200}})},
        {"GET", "/api/audit", [](const std::string&) { return std::make_pair(std::string("/api/audit?limit=5"), json()); },
         with(all(403), {{"out", 401}, {"apo", 200}, {"apr", 200}, {"ada", 200}})},
        {"GET", "/api/users", [](const std::string&) { return std::make_pair(std::string("/api/users"), json()); }, admins},
        {"POST", "/api/users",
         [](const std::string&) {
             return std::make_pair(std::string("/api/users"),
                                   json{{"name", "new" + std::to_string(++made)}, {"role", "staff"}, {"password", kPassword}});
         },
         with(all(403), {{"out", 401}, {"ada", 201}})},
        {"PATCH", "/api/users/([A-Za-z0-9._@-]{1,64})",
         [](const std::string&) { return std::make_pair(std::string("/api/users/victim"), json{{"role", "editor"}}); }, admins},
        {"GET", "/api/settings", [](const std::string&) { return std::make_pair(std::string("/api/settings"), json()); }, admins},
        {"POST", "/api/acknowledgements",
         [](const std::string& actor) {
             return std::make_pair(std::string("/api/acknowledgements"),
                                   json{{"id", "matrix-ack-" + actor + "-" + std::to_string(++made)}, {"slug", "recording-complaints"},
                                        {"version", 1}, {"acknowledged_at", "2026-12-04T10:00:00Z"}});
         },
         signed_in},
        {"GET", "/api/acknowledgements", [](const std::string&) { return std::make_pair(std::string("/api/acknowledgements"), json()); },
         signed_in},
        {"GET", "/api/reports/acknowledgements",
         [](const std::string&) { return std::make_pair(std::string("/api/reports/acknowledgements?slug=recording-complaints&version=1"), json()); },
         with(all(403), {{"out", 401}, {"edi", 200}, {"eda", 200}, {"apo", 200}, {"ada", 200}})},
        {"POST", "/api/search-misses",
         [](const std::string&) {
             return std::make_pair(std::string("/api/search-misses"),
                                   json{{"id", "matrix-miss-" + std::to_string(++made)}, {"query", "zebra crossing"},
                                        {"kind", "no_results"}, {"searched_at", "2026-12-04T10:00:00Z"}});
         },
         all(200)},
        {"GET", "/api/reports/search-misses", [](const std::string&) { return std::make_pair(std::string("/api/reports/search-misses"), json()); },
         editors},
        {"POST", "/api/articles/([a-z0-9][a-z0-9-]{0,79})/confirm-review",
         [](const std::string&) {
             return std::make_pair(std::string("/api/articles/recording-complaints/confirm-review"), json{{"review_by", "2031-01-01"}});
         },
         with(all(403), {{"out", 401}, {"edi", 200}, {"eda", 200}, {"apo", 200}, {"ada", 200}})},
        {"GET", "/api/reports/reviews-due", [](const std::string&) { return std::make_pair(std::string("/api/reports/reviews-due"), json()); },
         editors},
        {"PUT", "/api/settings",
         [](const std::string&) { return std::make_pair(std::string("/api/settings"), json{{"self_approval", false}}); }, admins},
    };

    // Every route has a row: a new route without one fails here.
    for (const ApiRoute& route : api_routes()) {
        bool found = false;
        for (const MatrixRow& row : rows) found |= route.method == std::string(row.method) && route.pattern == std::string(row.pattern);
        EXPECT_TRUE(found) << route.method << " " << route.pattern << " has no row in the authorisation matrix";
    }
    int cells = 0;
    for (const MatrixRow& row : rows) {
        for (const std::string& actor : kActors) {
            auto [path, body] = row.request(actor);
            // Sign-out ends the session it is given: a fresh one, so the others stay.
            std::string cookie;
            if (actor != "out") {
                cookie = session(actor);
                if (std::string(row.method) == "DELETE" && path == "/api/session") sessions_.erase(actor);
            }
            Answer a = body.is_null() ? call(row.method, path, cookie) : call(row.method, path, cookie, body);
            EXPECT_EQ(a.status, row.expected.at(actor)) << row.method << " " << path << " as " << actor << ": " << a.raw;
            if (a.status >= 400) {
                EXPECT_TRUE(a.body.is_object() && a.body.contains("error")) << "errors are JSON with a message: " << a.raw;
            }
            ++cells;
        }
    }
    std::cout << "[ figures  ] authorisation matrix: " << rows.size() << " routes x " << kActors.size() << " = " << cells << " cells\n";
}

TEST_F(ApiTest, FromSignInToAVersionADeviceReceives) {
    const int64_t before = feed_head();
    auto device = open_store(":memory:");
    ASSERT_TRUE(device);
    {
        auto reader = store_->read();
        ASSERT_TRUE(apply_change_feed(**device, *change_feed_json(reader.db(), 0)).is_ok());
    }
    auto live = call("GET", "/api/articles/missing-parcels/versions").body["versions"][0];
    const int base = live["version"];
    auto created = call("POST", "/api/drafts", session("edi"),
                        article_body("missing-parcels", "Delivery and escalation", base, "A parcel never arrived: trace it with the xylocarp courier first."));
    ASSERT_EQ(created.status, 201) << created.raw;
    const std::string id = std::to_string(created.body["id"].get<int64_t>());
    EXPECT_EQ(feed_head(), before) << "a draft is no change to the feed";
    auto submitted = call("POST", "/api/drafts/" + id + "/submit", session("edi"),
                          json{{"summary", "Trace with the courier first"}, {"must_acknowledge", true}});
    ASSERT_EQ(submitted.status, 200) << submitted.raw;
    auto seen = call("GET", "/api/drafts/" + id, session("apo"));
    ASSERT_EQ(seen.status, 200);
    EXPECT_GT(seen.body["diff"]["lines"].size(), 0u);
    EXPECT_EQ(seen.body["live"]["version"], base);
    auto published = call("POST", "/api/drafts/" + id + "/publish", session("apo"), json{{"effective", "2030-06-01"}});
    ASSERT_EQ(published.status, 200) << published.raw;
    EXPECT_EQ(published.body["version"], base + 1);

    // The device follows the feed and finds the new text by a word only it has.
    for (bool more = true; more;) {
        auto reader = store_->read();
        auto feed = change_feed_json(reader.db(), applied_feed_position(**device)->seq);
        ASSERT_TRUE(feed.is_ok());
        auto applied = apply_change_feed(**device, *feed);
        ASSERT_TRUE(applied.is_ok()) << applied.error();
        more = applied->more;
    }
    // Published for 1 June 2030: it travels ahead and waits for its date, then the
    // device switches by itself (its date moved on, no network needed).
    auto engine = SearchEngine::create(**device);
    ASSERT_TRUE(engine);
    SearchQuery q;
    q.text = "xylocarp";
    auto before_date = (*engine)->search(q);
    ASSERT_TRUE(before_date.is_ok());
    ASSERT_EQ(before_date->hits.size(), 1u) << "found before its date, marked as coming";
    EXPECT_EQ(before_date->hits[0].coming_on, "2030-06-01");
    EXPECT_EQ(before_date->hits[0].version, base) << "the version in force is what opens";
    auto upcoming = upcoming_versions(**device, "missing-parcels");
    ASSERT_TRUE(upcoming.is_ok());
    ASSERT_EQ(upcoming->size(), 1u);
    EXPECT_EQ((*upcoming)[0].article.effective, "2030-06-01");
    auto switched = refresh_in_force(**device, "2030-06-01");
    ASSERT_TRUE(switched.is_ok()) << switched.error();
    EXPECT_GE(*switched, 1);
    auto hits = (*engine)->search(q);
    ASSERT_TRUE(hits.is_ok());
    ASSERT_FALSE(hits->hits.empty());
    EXPECT_EQ(hits->hits[0].slug, "missing-parcels");
    auto version = article_version(**device, "missing-parcels", base + 1);
    ASSERT_TRUE(version.is_ok() && version->has_value());
    EXPECT_EQ((*version)->author, "edi");
    EXPECT_EQ((*version)->approver, "apo");
    EXPECT_EQ((*version)->change_note, "Trace with the courier first");
    EXPECT_TRUE((*version)->must_acknowledge);
    EXPECT_EQ((*version)->article.effective, "2030-06-01");
    EXPECT_EQ((*version)->created_at, call("GET", "/api/articles/missing-parcels/versions").body["versions"][0]["published_at"])
        << "the device keeps the server's publication time";

    // A draft never reaches it: not in the feed, not in a snapshot.
    auto pending = call("POST", "/api/drafts", session("edi"), article_body("secret-plan", "Complaints", 0, "Zanzibar pilot."));
    ASSERT_EQ(pending.status, 201);
    ASSERT_EQ(call("POST", "/api/drafts/" + std::to_string(pending.body["id"].get<int64_t>()) + "/submit", session("edi"),
                   json{{"summary", "Pilot"}}).status, 200);
    auto reader = store_->read();
    EXPECT_EQ(change_feed_json(reader.db(), 0)->find("Zanzibar"), std::string::npos);
    EXPECT_EQ(build_device_snapshot(reader.db())->bytes.find("Zanzibar"), std::string::npos);

    // History and the diff of what was published.
    auto diff = call("GET", "/api/articles/missing-parcels/diff?from=" + std::to_string(base) + "&to=" + std::to_string(base + 1));
    ASSERT_EQ(diff.status, 200) << diff.raw;
    EXPECT_GT(diff.body["added"].get<int>() + diff.body["changed"].get<int>(), 0);
}

TEST_F(ApiTest, PublishingOverANewerLiveVersionAnswers409WithBoth) {
    const int base = call("GET", "/api/articles/late-deliveries/versions").body["versions"][0]["version"];
    auto mine = call("POST", "/api/drafts", session("edi"), article_body("late-deliveries", "Delivery and escalation", base, "Mine."));
    auto theirs = call("POST", "/api/drafts", session("eda"), article_body("late-deliveries", "Delivery and escalation", base, "Theirs."));
    ASSERT_EQ(mine.status, 201);
    ASSERT_EQ(theirs.status, 201);
    const std::string m = std::to_string(mine.body["id"].get<int64_t>()), t = std::to_string(theirs.body["id"].get<int64_t>());
    ASSERT_EQ(call("POST", "/api/drafts/" + t + "/submit", session("eda"), json{{"summary", "Theirs"}}).status, 200);
    ASSERT_EQ(call("POST", "/api/drafts/" + t + "/publish", session("apo"), json::object()).status, 200);
    ASSERT_EQ(call("POST", "/api/drafts/" + m + "/submit", session("edi"), json{{"summary", "Mine"}}).status, 200);
    auto conflict = call("POST", "/api/drafts/" + m + "/publish", session("apo"), json::object());
    ASSERT_EQ(conflict.status, 409) << conflict.raw;
    EXPECT_EQ(conflict.body["draft"]["body"], "Mine.");
    EXPECT_EQ(conflict.body["live"]["body"], "Theirs.");
    EXPECT_EQ(conflict.body["live"]["version"], base + 1);
    EXPECT_TRUE(conflict.body.contains("diff"));
}

TEST_F(ApiTest, SignInsAreThrottledAndAnUnknownNameAnswersLikeAWrongPassword) {
    auto wrong = call("POST", "/api/session", "", json{{"user", "victim"}, {"password", "not the password"}});
    auto unknown = call("POST", "/api/session", "", json{{"user", "no-such-person"}, {"password", "not the password"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(wrong.raw, unknown.raw) << "no user enumeration";
    const int64_t checks = password_checks_done();
    (void)call("POST", "/api/session", "", json{{"user", "no-such-person-2"}, {"password", "x"}});
    EXPECT_EQ(password_checks_done(), checks + 1) << "an unknown name costs a hash check like a known one";
    for (int i = 0; i < SignInThrottle::kFreeFailures; ++i)
        (void)call("POST", "/api/session", "", json{{"user", "victim"}, {"password", "guess " + std::to_string(i)}});
    auto blocked = call("POST", "/api/session", "", json{{"user", "victim"}, {"password", kPassword}});
    EXPECT_EQ(blocked.status, 429) << blocked.raw;
    bool retry_after = false;
    for (const auto& [k, v] : blocked.headers) retry_after |= k == "Retry-After" && std::stoi(v) > 0;
    EXPECT_TRUE(retry_after);
    now_ += SignInThrottle::kForgetAfter;  // later, the right password works again
    EXPECT_EQ(call("POST", "/api/session", "", json{{"user", "victim"}, {"password", kPassword}}).status, 200);
    auto reader = store_->read();
    auto stmt = reader.db().prepare("SELECT count(*) FROM audit_log WHERE user = 'victim' AND action = 'sign_in' AND outcome <> 'ok'");
    ASSERT_TRUE(stmt && stmt->step());
    EXPECT_GE(stmt->column_int(0), SignInThrottle::kFreeFailures + 2) << "failed and refused sign-ins are in the audit log";
}

TEST_F(ApiTest, HostileRequestsGetClearErrorsAndStoreNothing) {
    auto drafts = [] {
        auto reader = store_->read();
        auto stmt = reader.db().prepare("SELECT count(*) FROM drafts");
        return stmt && stmt->step() ? stmt->column_int(0) : -1;
    };
    const int64_t before = drafts();
    const std::string cookie = session("edi");
    auto bad = [&](const std::string& body, int status, const char* field, const std::string& what) {
        auto a = call("POST", "/api/drafts", cookie, body);
        EXPECT_EQ(a.status, status) << what << ": " << a.raw;
        EXPECT_TRUE(a.body.is_object() && a.body.contains("error")) << what << ": " << a.raw;
        if (field) {
            EXPECT_EQ(a.body.value("field", ""), field) << what << ": " << a.raw;
        }
    };
    {
        // Oversized: refused from its Content-Length, before the body is read (the
        // connection is then closed, so the answer is read from a raw socket).
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port_));
        inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
        ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        const std::string head = "POST /api/drafts HTTP/1.1\r\nHost: x\r\nX-Handbook-Request: 1\r\nContent-Type: application/json\r\n"
                                 "Cookie: hb_session=" + cookie + "\r\nContent-Length: " + std::to_string(kMaxBodyBytes + 200 * 1024) + "\r\n\r\n";
        (void)!write(fd, head.data(), head.size());
        std::string answer;
        char buf[4096];
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0) {
            answer.append(buf, static_cast<size_t>(n));
            const size_t end = answer.find("\r\n\r\n");
            const size_t length_at = answer.find("Content-Length: ");
            if (end != std::string::npos && length_at != std::string::npos &&
                answer.size() >= end + 4 + std::stoul(answer.substr(length_at + 16)))
                break;
        }
        close(fd);
        EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer.substr(0, 200);
        EXPECT_NE(answer.find("too large"), std::string::npos) << answer;
    }
    bad(std::string(10000, '[') + std::string(10000, ']'), 400, nullptr, "nested 10000 deep");
    bad(std::string(R"({"slug": "a", "title": ")") + "\xff\xfe" + "\"}", 400, nullptr, "invalid UTF-8");
    bad(R"({"slug": 5})", 400, "slug", "a number for text");
    bad(R"({"slug": "ok-slug", "tags": "not a list"})", 400, "tags", "text for a list");
    bad(R"({"slug": "ok-slug", "base_version": "1"})", 400, "base_version", "text for a number");
    bad(R"({"slug": "Not A Slug"})", 400, "slug", "a bad slug");
    bad(R"({"slug": "ok-slug", "title": "tab\u0001"})", 400, "title", "a control character");
    bad("not json at all", 400, nullptr, "not JSON");
    bad("[1, 2, 3]", 400, nullptr, "not an object");
    {
        httplib::Client client("127.0.0.1", port_);
        auto form = client.Post("/api/drafts", {{"X-Handbook-Request", "1"}, {"Cookie", std::string(kSessionCookie) + "=" + cookie}},
                                "slug=x", "application/x-www-form-urlencoded");
        ASSERT_TRUE(form);
        EXPECT_EQ(form->status, 400) << "bodies are JSON only";
    }
    EXPECT_EQ(drafts(), before) << "nothing stored by a refused request";

    // SQL and FTS5 syntax in every field is text: stored and read back exactly, harmless.
    const std::string sql = R"('; DROP TABLE articles; -- " OR 1=1 NEAR(a b) title:* ^x)";
    json body = article_body("injection-test", "Complaints", 0, sql + "\n\n" + sql);
    body["title"] = sql.substr(0, 60);
    body["owner"] = sql;
    body["tags"] = {sql.substr(0, 100)};
    auto stored = call("POST", "/api/drafts", cookie, body);
    ASSERT_EQ(stored.status, 201) << stored.raw;
    auto back = call("GET", "/api/drafts/" + std::to_string(stored.body["id"].get<int64_t>()), cookie);
    EXPECT_EQ(back.body["owner"], sql);
    EXPECT_EQ(back.body["title"], sql.substr(0, 60));
    EXPECT_EQ(call("GET", "/api/articles/refund-windows/versions").status, 200) << "the articles table is still there";
}

TEST_F(ApiTest, ForgedExpiredAndCrossSiteRequestsAreRefused) {
    const std::string cookie = session("eda");
    EXPECT_EQ(call("GET", "/api/me", "forged-forged-forged-forged-forged-forged-x").status, 401);
    EXPECT_EQ(call("GET", "/api/me", "' OR 1=1 --").status, 401);
    EXPECT_EQ(call("GET", "/api/me", cookie).status, 200);
    // A write without the app's header (what a cross-site form sends): refused.
    EXPECT_EQ(call("POST", "/api/drafts", cookie, article_body("csrf-1", "Complaints", 0, "x").dump(), {}).status, 403);
    EXPECT_EQ(call("POST", "/api/drafts", cookie, article_body("csrf-2", "Complaints", 0, "x").dump(),
                   {{"X-Handbook-Request", "1"}, {"Origin", "https://evil.example"}}).status,
              403);
    EXPECT_EQ(call("POST", "/api/drafts", cookie, article_body("csrf-3", "Complaints", 0, "x").dump(),
                   {{"X-Handbook-Request", "1"}, {"Sec-Fetch-Site", "cross-site"}}).status,
              403);
    EXPECT_EQ(call("POST", "/api/drafts", cookie, article_body("csrf-4", "Complaints", 0, "x").dump(),
                   {{"X-Handbook-Request", "1"}, {"Origin", "http://127.0.0.1:" + std::to_string(port_)}}).status,
              201)
        << "the app's own origin is fine";
    // Idle longer than a session lasts: signed out.
    now_ += kIdleSeconds + 1;
    auto expired = call("GET", "/api/me", cookie);
    EXPECT_EQ(expired.status, 401);
    EXPECT_NE(expired.body.value("error", "").find("sign in"), std::string::npos) << expired.raw;
    sessions_.clear();
    // Personal answers are never cached.
    auto me = call("GET", "/api/me", session("eda"));
    bool no_store = false;
    for (const auto& [k, v] : me.headers) no_store |= k == "Cache-Control" && v == "no-store";
    EXPECT_TRUE(no_store);
}

// Read and acknowledge: the same acknowledgement sent three times counts once, with the
// time it was made on the device and the time it arrived; the owner's report and its CSV.
TEST_F(ApiTest, AcknowledgementsCountOnceAndTheOwnersReportShowsThem) {
    auto versions = call("GET", "/api/articles/escalation-ladder/versions");
    ASSERT_EQ(versions.status, 200) << versions.raw;
    const int base = versions.body["versions"][0]["version"];
    auto draft = call("POST", "/api/drafts", session("edi"),
                      article_body("escalation-ladder", "Delivery and escalation", base, "Level 2 is the duty manager."));
    ASSERT_EQ(draft.status, 201) << draft.raw;
    const std::string id = std::to_string(draft.body["id"].get<int64_t>());
    ASSERT_EQ(call("POST", "/api/drafts/" + id + "/submit", session("edi"), json{{"summary", "Duty manager"}, {"must_acknowledge", true}}).status, 200);
    auto published = call("POST", "/api/drafts/" + id + "/publish", session("apo"),
                          json{{"effective", "2030-01-01"}, {"acknowledge_by", "2030-01-15"}});
    ASSERT_EQ(published.status, 200) << published.raw;
    const int version = published.body["version"];

    auto mine = call("GET", "/api/acknowledgements", session("sta"));
    ASSERT_EQ(mine.status, 200);
    bool listed = false;
    for (const auto& t : mine.body["to_read"]) listed |= t["slug"] == "escalation-ladder" && t["version"] == version;
    EXPECT_TRUE(listed) << mine.raw;

    const json ack = {{"id", "tablet7-ack-1"}, {"slug", "escalation-ladder"}, {"version", version}, {"acknowledged_at", "2026-12-04T09:15:00Z"}};
    auto first = call("POST", "/api/acknowledgements", session("sta"), ack);
    auto second = call("POST", "/api/acknowledgements", session("sta"), ack);
    auto third = call("POST", "/api/acknowledgements", session("sta"), ack);
    ASSERT_EQ(first.status, 200) << first.raw;
    EXPECT_TRUE(first.body["recorded"].get<bool>());
    EXPECT_TRUE(second.body["already"].get<bool>());
    EXPECT_TRUE(third.body["already"].get<bool>());
    EXPECT_EQ(call("POST", "/api/acknowledgements", session("edi"), ack).status, 409) << "nobody can acknowledge with another's id";
    mine = call("GET", "/api/acknowledgements", session("sta"));
    for (const auto& t : mine.body["to_read"]) EXPECT_NE(t["slug"], "escalation-ladder") << "read: off the list";

    auto report = call("GET", "/api/reports/acknowledgements?slug=escalation-ladder", session("apo"));
    ASSERT_EQ(report.status, 200) << report.raw;
    int acknowledged = 0;
    for (const auto& row : report.body["rows"]) {
        if (row["user"] == "sta") {
            EXPECT_EQ(row["acknowledged_at"], "2026-12-04T09:15:00Z");
            EXPECT_FALSE(row["received_at"].get<std::string>().empty());
        }
        acknowledged += !row["acknowledged_at"].get<std::string>().empty();
    }
    EXPECT_EQ(acknowledged, 1) << "three sends, one acknowledgement";
    EXPECT_EQ(report.body["acknowledged"], 1);
    now_ += 24 * 3600 * 365 * 5;  // well past the due date (and past every session's lifetime)
    sessions_.clear();
    auto overdue = call("GET", "/api/reports/acknowledgements?slug=escalation-ladder", session("apo"));
    EXPECT_GT(overdue.body["overdue"].get<int>(), 0) << overdue.raw;
    httplib::Client client("127.0.0.1", port_);
    auto csv = client.Get("/api/reports/acknowledgements?slug=escalation-ladder&format=csv",
                          {{"Cookie", std::string(kSessionCookie) + "=" + session("apo")}});
    ASSERT_TRUE(csv);
    EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
    EXPECT_EQ(csv->body.rfind("article,version,due,person,store,role,state,acknowledged_at,received_at\r\n", 0), 0u) << csv->body;
    EXPECT_NE(csv->body.find(",sta,,staff,acknowledged,2026-12-04T09:15:00Z,"), std::string::npos) << csv->body;
    EXPECT_NE(csv->body.find(",overdue,"), std::string::npos) << csv->body;
    sessions_.clear();
}

TEST_F(ApiTest, SearchesThatFoundNothingAreCountedWithoutNames) {
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(call("POST", "/api/search-misses", "", json{{"id", "miss-q-" + std::to_string(i)}, {"query", "Quokka Returns"},
                                                               {"kind", "no_results"}, {"searched_at", "2026-12-04T10:00:00Z"}}).status,
                  200);
    (void)call("POST", "/api/search-misses", "", json{{"id", "miss-q-0"}, {"query", "Quokka Returns"}, {"kind", "no_results"},
                                                       {"searched_at", "2026-12-04T10:00:00Z"}});  // a resend
    ASSERT_EQ(call("POST", "/api/search-misses", "", json{{"id", "miss-w-1"}, {"query", "wombat"}, {"kind", "nothing_opened"},
                                                           {"searched_at", "2026-12-04T10:00:00Z"}}).status,
              200);
    EXPECT_EQ(call("POST", "/api/search-misses", "", json{{"id", "bad id!"}, {"query", "x"}, {"kind", "no_results"},
                                                           {"searched_at", "2026-12-04T10:00:00Z"}}).status,
              400);
    auto report = call("GET", "/api/reports/search-misses", session("edi"));
    ASSERT_EQ(report.status, 200) << report.raw;
    int quokka = 0, wombat = 0, quokka_empty = -1, wombat_empty = -1;
    for (const auto& row : report.body["searches"]) {
        if (row["query"] == "quokka returns") quokka = row["count"], quokka_empty = row["no_results"];
        if (row["query"] == "wombat") wombat = row["count"], wombat_empty = row["no_results"];
    }
    EXPECT_EQ(quokka, 3) << "the resend counts once; folded to lower case: " << report.raw;
    EXPECT_EQ(wombat, 1);
    EXPECT_EQ(quokka_empty, 3) << "found nothing, each time";
    EXPECT_EQ(wombat_empty, 0) << "found policies, none opened";
    auto reader = store_->read();
    auto columns = reader.db().prepare("SELECT group_concat(name) FROM pragma_table_info('search_misses')");
    ASSERT_TRUE(columns && columns->step());
    EXPECT_EQ(columns->column_text(0).find("user"), std::string::npos) << "no one's name is kept";
}
