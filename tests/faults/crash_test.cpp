// Publishing while the server is killed (SIGKILL) at random moments: at least 200
// publishes are attempted; after each kill the server is started again on the same
// database and the client carries on. Afterwards the database passes integrity_check and
// every publish is either wholly there (the version, its change entry, its audit row, its
// draft marked published) or wholly absent; every publish the server confirmed is there.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <ctime>
#include <chrono>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "../files/temp_folder.h"
#include "../support/run_program.h"
#include "core/database.h"

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kPassword = "a long enough passphrase";

// `handbook serve` as a child process; its port once it says it is running.
struct ServerProcess {
    pid_t pid = -1;
    int port = 0;

    bool start(const std::string& db, const std::string& site) {
        int out[2];
        if (pipe(out) != 0) return false;
        pid = fork();
        if (pid == 0) {
            dup2(out[1], STDOUT_FILENO);
            int null = open("/dev/null", O_WRONLY);
            dup2(null, STDERR_FILENO);
            close(out[0]);
            execl(HANDBOOK_BINARY, HANDBOOK_BINARY, "serve", "--port", "0", "--db", db.c_str(), "--shell", site.c_str(), "--web",
                  site.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        close(out[1]);
        std::string text;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        const std::regex running("running at http://127\\.0\\.0\\.1:([0-9]+)/");
        std::smatch m;
        while (std::chrono::steady_clock::now() < deadline) {
            pollfd p{out[0], POLLIN, 0};
            if (poll(&p, 1, 200) > 0) {
                char buf[512];
                ssize_t n = read(out[0], buf, sizeof buf);
                if (n <= 0) break;
                text.append(buf, static_cast<size_t>(n));
                if (std::regex_search(text, m, running)) {
                    port = std::stoi(m[1]);
                    close(out[0]);
                    return true;
                }
            }
        }
        close(out[0]);
        return false;
    }
    void kill_now() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
        pid = -1;
    }
};

int64_t one(handbook::Database& db, const std::string& sql) {
    auto stmt = db.prepare(sql);
    return stmt && stmt->step() ? stmt->column_int(0) : -1;
}

}  // namespace

TEST(Crash, EveryPublishIsWhollyThereOrWhollyAbsentAfterSigkill) {
    handbook::test::TempFolder tmp;
    const std::string db = tmp.str() + "/server.db";
    tmp.write("site/index.html", "<!doctype html><meta name=\"handbook-version\" content=\"__HANDBOOK_VERSION__\">");
    tmp.write("site/sw.js", "//\n");
    const std::string handbook = HANDBOOK_BINARY;
    ASSERT_EQ(handbook::test::run_program(handbook + " import " + HANDBOOK_SOURCE_DIR + "/articles --db " + db).status, 0);
    ASSERT_EQ(handbook::test::run_program("echo '" + kPassword + "' | " + handbook + " user add ed --role editor --db " + db).status, 0);
    ASSERT_EQ(handbook::test::run_program("echo '" + kPassword + "' | " + handbook + " user add ap --role approver --db " + db).status, 0);

    ServerProcess server;
    std::mutex server_mutex;
    ASSERT_TRUE(server.start(db, tmp.str() + "/site"));
    std::atomic<bool> done{false};
    std::atomic<int> kills{0};
    std::map<std::string, std::string> cookies;
    auto call = [&](const std::string& method, const std::string& path, const std::string& who, const json& body) -> std::pair<int, json> {
        int port;
        {
            std::lock_guard lock(server_mutex);
            if (server.pid < 0 && !server.start(db, tmp.str() + "/site")) return {-2, json()};
            port = server.port;
        }
        httplib::Client client("127.0.0.1", port);
        client.set_read_timeout(5, 0);
        httplib::Headers headers{{"X-Handbook-Request", "1"}};
        if (!who.empty()) headers.emplace("Cookie", "hb_session=" + cookies[who]);
        auto r = method == "GET" ? client.Get(path, headers) : client.Post(path, headers, body.dump(), "application/json");
        if (!r) return {-1, json()};
        return {r->status, json::parse(r->body, nullptr, false)};
    };
    auto sign_in = [&](const std::string& who) {
        for (int attempt = 0; attempt < 50; ++attempt) {
            int port;
            {
                std::lock_guard lock(server_mutex);
                if (server.pid < 0 && !server.start(db, tmp.str() + "/site")) continue;
                port = server.port;
            }
            httplib::Client client("127.0.0.1", port);
            auto r = client.Post("/api/session", {{"X-Handbook-Request", "1"}}, json{{"user", who}, {"password", kPassword}}.dump(),
                                 "application/json");
            if (!r || r->status != 200) continue;
            std::string cookie = r->get_header_value("Set-Cookie");
            cookies[who] = cookie.substr(11, cookie.find(';') - 11);
            return true;
        }
        return false;
    };
    // Signed in before the kills begin (a sign-in takes an argon2id hash, longer than the
    // server lives below); sessions are in the database, so they outlive each kill.
    ASSERT_TRUE(sign_in("ed"));
    ASSERT_TRUE(sign_in("ap"));
    // Kills the server at a random moment 5-60 ms after each start: a publish takes a few
    // milliseconds here, so kills land before, during and after its transaction.
    std::thread killer([&] {
        std::mt19937 random(20261204);
        while (!done) {
            pid_t target;
            {
                std::lock_guard lock(server_mutex);
                target = server.pid;
            }
            if (target < 0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                continue;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5 + random() % 55));
            std::lock_guard lock(server_mutex);
            if (done || server.pid != target) continue;
            server.kill_now();
            ++kills;
        }
    });


    // In force at once (today), so the article's row follows the newest version.
    char today[16];
    const std::time_t now = std::time(nullptr);
    std::strftime(today, sizeof today, "%Y-%m-%d", std::gmtime(&now));
    int attempts = 0, confirmed = 0, lost_answers = 0;
    std::set<int> confirmed_versions;
    for (int round = 0; attempts < 200 && round < 20000; ++round) {
        auto [vs, versions] = call("GET", "/api/articles/refund-windows/versions", "", json());
        if (vs != 200) continue;
        const int live = versions["versions"][0]["version"];
        json draft = {{"slug", "refund-windows"}, {"base_version", live}, {"title", "Refund windows"},
                      {"category", "Refunds and returns"}, {"tags", {"refund"}}, {"owner", "Customer Service"},
                      {"effective", today}, {"review_by", "2031-01-01"},
                      {"body", "Revision " + std::to_string(round) + ": most goods within 30 days."}};
        auto [cs, created] = call("POST", "/api/drafts", "ed", draft);
        if (cs != 201) continue;
        const std::string id = std::to_string(created["id"].get<int64_t>());
        auto [ss, submitted] = call("POST", "/api/drafts/" + id + "/submit", "ed", json{{"summary", "Round " + std::to_string(round)}});
        if (ss != 200) continue;
        ++attempts;
        auto [ps, published] = call("POST", "/api/drafts/" + id + "/publish", "ap", json::object());
        if (ps == 200) {
            ++confirmed;
            confirmed_versions.insert(published["version"].get<int>());
        } else if (ps < 0) {
            ++lost_answers;  // killed before or after the commit: either is fine, half is not
        }
    }
    done = true;
    killer.join();
    {
        std::lock_guard lock(server_mutex);
        server.kill_now();
    }

    auto opened = handbook::Database::open(db);
    ASSERT_TRUE(opened) << opened.error();
    handbook::Database& d = **opened;
    auto check = d.prepare("PRAGMA integrity_check");
    ASSERT_TRUE(check && check->step());
    EXPECT_EQ(check->column_text(0), "ok");
    const std::string article = "(SELECT id FROM articles WHERE slug = 'refund-windows')";
    const int64_t versions = one(d, "SELECT count(*) FROM article_versions WHERE article_id = " + article + " AND version > 1");
    // Each version has its change entry, its draft marked published, and its audit row.
    EXPECT_EQ(one(d, "SELECT count(*) FROM article_versions v WHERE v.article_id = " + article + " AND v.version > 1 AND NOT EXISTS "
                     "(SELECT 1 FROM changes c WHERE c.seq = v.seq AND c.article_id = v.article_id AND c.version = v.version)"),
              0);
    EXPECT_EQ(one(d, "SELECT count(*) FROM article_versions v WHERE v.article_id = " + article + " AND v.version > 1 AND NOT EXISTS "
                     "(SELECT 1 FROM drafts r WHERE r.published_version = v.version AND r.slug = 'refund-windows' AND r.state = 'published')"),
              0);
    EXPECT_EQ(one(d, "SELECT count(*) FROM article_versions v WHERE v.article_id = " + article + " AND v.version > 1 AND NOT EXISTS "
                     "(SELECT 1 FROM audit_log a WHERE a.action = 'publish' AND a.target = 'refund-windows' "
                     "AND a.detail LIKE '%version ' || v.version || ',%')"),
              0);
    // ... and nothing says it was published when it was not.
    EXPECT_EQ(one(d, "SELECT count(*) FROM audit_log WHERE action = 'publish' AND target = 'refund-windows'"), versions);
    EXPECT_EQ(one(d, "SELECT count(*) FROM drafts WHERE state = 'published' AND slug = 'refund-windows'"), versions);
    EXPECT_EQ(one(d, "SELECT max(version) FROM article_versions WHERE article_id = " + article),
              one(d, "SELECT version FROM articles WHERE slug = 'refund-windows'"));
    for (int v : confirmed_versions)
        EXPECT_EQ(one(d, "SELECT count(*) FROM article_versions WHERE article_id = " + article + " AND version = " + std::to_string(v)), 1)
            << "a publish the server confirmed (version " << v << ") is kept";
    EXPECT_GE(attempts, 200);
    EXPECT_GE(kills.load(), 10);
    std::cout << "[ figures  ] " << attempts << " publishes attempted under " << kills.load() << " SIGKILLs: " << confirmed
              << " confirmed, " << lost_answers << " answers lost to a kill, " << versions
              << " versions stored, each whole (version, change, draft, audit); integrity_check ok\n";
}
