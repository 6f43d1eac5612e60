// The finding: with `handbook import` writing while `handbook serve` answered, feed pages
// skipped changes a device then never asked for again, snapshots came out empty, and 3%
// of feed requests answered 500. Here imports run in another process, one after another,
// while devices follow the feed and new devices take snapshots from a real server on
// loopback; every device must see every change exactly once, with no failed request and
// no empty or mislabelled snapshot.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "../files/temp_folder.h"
#include "../support/run_program.h"
#include "core/article_store.h"
#include "core/change_feed.h"
#include "core/device_snapshot.h"
#include "core/content_trust.h"
#include "core/schema.h"
#include "core/signed_file.h"
#include "server/http_server.h"
#include "server/signing_keys.h"
#include "server/serve.h"
#include "server/serve_http.h"
#include "server/serve_site.h"
#include "server/store_pool.h"

using namespace handbook;
namespace fs = std::filesystem;

namespace {

const std::string kArticles = std::string(HANDBOOK_SOURCE_DIR) + "/articles";
constexpr int kImports = 50;
constexpr int kFollowers = 3;

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The bundled articles with `changed` of them edited (a line naming the round).
void write_variant(const test::TempFolder& dir, int round, int changed) {
    int n = 0;
    for (const auto& entry : fs::directory_iterator(kArticles)) {
        std::string text = read_file(entry.path());
        if (entry.path().extension() == ".md" && n++ < changed) text += "\nRound " + std::to_string(round) + ".\n";
        dir.write(entry.path().filename().string(), text);
    }
}

struct Follower {
    std::unique_ptr<Database> device;
    std::vector<int64_t> seen;   // sequence numbers applied, in order
    int requests = 0, failures = 0;
    std::string first_failure;
};

}  // namespace

TEST(Concurrency, ImportsInAnotherProcessNeverMakeTheFeedOrSnapshotsSkipOrFail) {
    test::TempFolder tmp, round_a, round_b;
    write_variant(round_a, 0, 0);
    write_variant(round_b, 1, 12);
    const std::string db_path = tmp.str() + "/server.db";
    auto store = StorePool::open(db_path);
    ASSERT_TRUE(store) << store.error();
    {
        std::ostringstream log;
        ASSERT_TRUE(import_on_first_start((*store)->write().db(), kArticles, log).is_ok());
    }
    auto site = load_static_site(std::string(HANDBOOK_SOURCE_DIR) + "/web", tmp.str());
    ASSERT_TRUE(site) << site.error();
    auto keys = load_or_create_signing_key(tmp.str() + "/server.db.signing-key");
    ASSERT_TRUE(keys) << keys.error();
    HttpServer server;
    ServedContent content{&*site, store->get(), nullptr, &*keys};
    install_routes(server, content);
    const int port = server.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port, 0);
    std::thread listener([&] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));

    std::atomic<bool> importing{true};
    std::atomic<int> snapshots_taken{0};
    std::vector<int> import_status;
    std::string import_failure;
    // At least kImports, and on until several snapshots were taken meanwhile (a fast
    // machine finishes the imports before a slow snapshot or two).
    std::thread importer([&] {
        for (int i = 0; i < kImports || (snapshots_taken < 8 && i < 4 * kImports); ++i) {
            const std::string& folder = i % 2 == 0 ? round_b.str() : round_a.str();
            auto run = test::run_program(std::string(HANDBOOK_BINARY) + " import " + folder + " --db " + db_path);
            import_status.push_back(run.status);
            if (run.status != 0 && import_failure.empty()) import_failure = run.out;
        }
        importing = false;
    });

    std::vector<Follower> followers(kFollowers);
    std::vector<std::thread> threads;
    for (Follower& f : followers) {
        f.device = std::move(*open_store(":memory:"));
        threads.emplace_back([&f, port, &importing, &keys] {
            DeviceTrust trust{key_text(keys->key.public_key), ""};
            httplib::Client client("127.0.0.1", port);
            client.set_read_timeout(30, 0);
            bool caught_up_after_imports = false;
            while (!caught_up_after_imports) {
                const bool last_round = !importing;
                bool more = true;
                while (more) {
                    const int64_t held = applied_feed_position(*f.device)->seq;
                    auto res = client.Get("/api/feed?after=" + std::to_string(held));
                    ++f.requests;
                    if (!res || res->status != 200) {
                        ++f.failures;
                        if (f.first_failure.empty()) f.first_failure = res ? std::to_string(res->status) + " " + res->body : "no answer";
                        break;
                    }
                    auto opened = open_signed(res->body, trust.key);
                    auto doc = nlohmann::json::parse(opened ? opened->body : std::string_view(), nullptr, false);
                    auto applied = apply_signed_feed(*f.device, trust, res->body);
                    if (!applied) {
                        ++f.failures;
                        if (f.first_failure.empty()) f.first_failure = applied.error();
                        break;
                    }
                    for (const auto& c : doc["changes"]) f.seen.push_back(c["seq"].get<int64_t>());
                    more = applied->more;
                }
                caught_up_after_imports = last_round;
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        });
    }

    int snapshots = 0, snapshot_failures = 0, snapshots_during_imports = 0;
    std::string snapshot_failure;
    std::set<int64_t> snapshot_positions;
    threads.emplace_back([&] {
        httplib::Client client("127.0.0.1", port);
        client.set_read_timeout(60, 0);
        const std::string path = tmp.str() + "/new-device.db";
        auto fail = [&](const std::string& why) {
            ++snapshot_failures;
            if (snapshot_failure.empty()) snapshot_failure = why;
        };
        while (importing) {
            auto res = client.Get("/api/snapshot");
            ++snapshots;
            if (importing) ++snapshots_during_imports;
            ++snapshots_taken;
            if (!res || res->status != 200) {
                fail(res ? std::to_string(res->status) + " " + res->body : "no answer");
                continue;
            }
            fs::remove(path);
            DeviceTrust trust{key_text(keys->key.public_key), ""};
            auto library = open_signed_snapshot(res->body, trust);
            if (!library) {
                fail(library.error());
                continue;
            }
            if (Status st = install_device_snapshot(path, *library); !st) {
                fail(st.error);
                continue;
            }
            auto device = open_store(path);
            auto held = applied_feed_position(**device);
            auto articles = list_articles(**device);
            if (!held || !articles) {
                fail("unreadable snapshot");
                continue;
            }
            if (articles->size() < 40) fail("a snapshot with " + std::to_string(articles->size()) + " articles");
            if (std::to_string(held->seq) != res->get_header_value("X-Handbook-Feed-Position"))
                fail("header position " + res->get_header_value("X-Handbook-Feed-Position") + ", file position " +
                     std::to_string(held->seq));
            snapshot_positions.insert(held->seq);
        }
    });

    importer.join();
    for (auto& t : threads) t.join();
    server.stop();
    listener.join();

    ASSERT_GE(import_status.size(), static_cast<size_t>(kImports));
    for (int st : import_status) EXPECT_EQ(st, 0) << import_failure;

    auto writer = (*store)->write();
    auto head = latest_change_seq(writer.db());
    ASSERT_TRUE(head) << head.error();
    std::vector<int64_t> all;
    for (int64_t s = 1; s <= *head; ++s) all.push_back(s);
    auto server_articles = list_articles(writer.db());
    int total_requests = 0;
    for (const Follower& f : followers) {
        total_requests += f.requests;
        EXPECT_EQ(f.failures, 0) << f.first_failure;
        EXPECT_EQ(f.seen, all) << "every change exactly once, in order";
        auto device_articles = list_articles(*f.device);
        ASSERT_TRUE(device_articles);
        ASSERT_EQ(device_articles->size(), server_articles->size());
        for (size_t i = 0; i < device_articles->size(); ++i) {
            EXPECT_EQ((*device_articles)[i].article.slug, (*server_articles)[i].article.slug);
            EXPECT_EQ((*device_articles)[i].version, (*server_articles)[i].version) << (*device_articles)[i].article.slug;
        }
    }
    EXPECT_EQ(snapshot_failures, 0) << snapshot_failure;
    EXPECT_GE(snapshots_during_imports, 5);
    EXPECT_GE(snapshot_positions.size(), 2u) << "snapshots taken at several positions while imports ran";
    std::cout << "[ figures  ] " << import_status.size() << " imports (" << *head << " changes) in another process; " << total_requests
              << " feed requests by " << kFollowers << " devices, 0 failed, every change seen once; " << snapshots
              << " snapshots at " << snapshot_positions.size() << " positions, none empty or mislabelled\n";
}
