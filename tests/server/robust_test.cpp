// `handbook serve` against clients that misbehave (http_server.h), and the HTTP details
// issue 20 found: each reproduced over a real socket, as an attacker would send it.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <sstream>
#include <thread>
#include <vector>

#include "../files/temp_folder.h"
#include "core/content_trust.h"
#include "core/signed_file.h"
#include "server/http_server.h"
#include "server/serve.h"
#include "server/serve_http.h"
#include "server/serve_site.h"
#include "server/signing_keys.h"
#include "server/store_pool.h"

namespace {

using namespace handbook;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// A connection from `source` (a loopback address: 127.0.0.0/8 is all this machine's, so
// each one is another client as far as per-client limits go), or -1.
int connect_from(int port, const char* source = "127.0.0.1") {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, source, &local.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
        ::close(fd);
        return -1;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

void send_all(int fd, const std::string& data) { (void)!::send(fd, data.data(), data.size(), MSG_NOSIGNAL); }

// What arrives within `seconds` (until the server closes, or `until` is seen).
std::string receive(int fd, double seconds, const std::string& until = "") {
    std::string out;
    const auto start = Clock::now();
    char buf[65536];
    while (seconds_since(start) < seconds) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        out.append(buf, static_cast<size_t>(n));
        if (!until.empty() && out.find(until) != std::string::npos) break;
    }
    return out;
}

size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

class RobustTest : public ::testing::Test {
protected:
    void start(ConnectionLimits limits = {}) {
        tmp_.write("web/index.html", "<!doctype html><title>Handbook</title>" + std::string(3000, ' ') + "\n");
        tmp_.write("web/sw.js", "// sw\n");
        auto site = load_static_site(tmp_.str() + "/web", tmp_.str());
        ASSERT_TRUE(site) << site.error();
        site_ = std::make_unique<StaticSite>(std::move(*site));
        auto store = StorePool::open(tmp_.str() + "/handbook.db");
        ASSERT_TRUE(store) << store.error();
        store_ = std::move(*store);
        std::ostringstream log;
        ASSERT_TRUE(import_on_first_start(store_->write().db(), std::string(HANDBOOK_SOURCE_DIR) + "/articles", log));
        auto keys = load_or_create_signing_key(tmp_.str() + "/key");
        ASSERT_TRUE(keys) << keys.error();
        keys_ = std::make_unique<ServerKeys>(std::move(*keys));
        server_ = std::make_unique<HttpServer>(limits);
        install_routes(*server_, ServedContent{site_.get(), store_.get(), nullptr, keys_.get()});
        port_ = server_->bind_to_any_port("127.0.0.1");
        ASSERT_GT(port_, 0);
        thread_ = std::thread([this] { server_->listen_after_bind(); });
        while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    void TearDown() override {
        if (server_) server_->stop();
        if (thread_.joinable()) thread_.join();
    }
    // One ordinary request on a fresh connection: its status and how long it took.
    std::pair<int, double> ordinary_request(const std::string& path = "/index.html") {
        httplib::Client client("127.0.0.1", port_);
        client.set_connection_timeout(5, 0);
        client.set_read_timeout(5, 0);
        const auto start = Clock::now();
        auto res = client.Get(path);
        return {res ? res->status : 0, seconds_since(start)};
    }

    test::TempFolder tmp_;
    std::unique_ptr<StaticSite> site_;
    std::unique_ptr<StorePool> store_;
    std::unique_ptr<ServerKeys> keys_;
    std::unique_ptr<HttpServer> server_;
    std::thread thread_;
    int port_ = 0;
};

// Found: 8 slow or idle connections took the server down (8 workers, each held by a
// connection for its life); with 500 keep-alive clients 436 got no answer in 30 s.
TEST_F(RobustTest, SlowlorisAndIdleKeepAliveConnectionsDoNotStopOthers) {
    start();
    std::vector<int> held;
    // 500 idle keep-alive connections from ten addresses, each after one answered request.
    for (int i = 0; i < 500; ++i) {
        const std::string source = "127.0.0." + std::to_string(2 + i % 10);
        int fd = connect_from(port_, source.c_str());
        ASSERT_GE(fd, 0) << i;
        send_all(fd, "GET /sw.js HTTP/1.1\r\nHost: x\r\n\r\n");
        held.push_back(fd);
    }
    for (int fd : held) ASSERT_NE(receive(fd, 5, "// sw\n").find("HTTP/1.1 200"), std::string::npos);
    // 64 slowloris connections: a request begun and never finished, a header line every while.
    std::vector<int> slow;
    for (int i = 0; i < 64; ++i) {
        int fd = connect_from(port_, "127.0.0.20");
        ASSERT_GE(fd, 0);
        send_all(fd, "GET / HTTP/1.1\r\nHost: x\r\n");
        slow.push_back(fd);
    }
    for (int round = 0; round < 3; ++round) {
        for (int fd : slow) send_all(fd, "X-Slow-" + std::to_string(round) + ": 1\r\n");
        auto [status, seconds] = ordinary_request();
        EXPECT_EQ(status, 200) << round;
        EXPECT_LT(seconds, 1.0) << round;
    }
    ConnectionStats stats = server_->stats();
    EXPECT_GE(stats.idle, 500u);
    EXPECT_EQ(stats.reading, 64u);
    EXPECT_EQ(stats.busy, 0u);  // none of them holds a worker
    for (int fd : held) ::close(fd);
    for (int fd : slow) ::close(fd);
}

// A whole request must arrive within the time limit, however steadily it trickles in.
TEST_F(RobustTest, ARequestThatTricklesInIsCutOffAtItsDeadline) {
    ConnectionLimits limits;
    limits.request_seconds = 1;
    start(limits);
    int fd = connect_from(port_);
    const auto begun = Clock::now();
    send_all(fd, "GET / HTTP/1.1\r\n");
    std::string answer;
    for (int i = 0; i < 40 && answer.empty(); ++i) {  // a byte every 100 ms: a per-read timeout never fires
        send_all(fd, "X");
        answer = receive(fd, 0.1);
    }
    answer += receive(fd, 1);
    EXPECT_EQ(answer.rfind("HTTP/1.1 408", 0), 0u) << answer;
    EXPECT_LT(seconds_since(begun), 2.5);
    ::close(fd);
}

// Found: no limit on the number of headers (41 MB of headers took the process to 2.6 GB).
TEST_F(RobustTest, HeaderFloodsAreRefusedBeforeTheyAreStored) {
    start();
    std::string many = "GET / HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 200; ++i) many += "X-" + std::to_string(i) + ": y\r\n";
    int fd = connect_from(port_);
    send_all(fd, many + "\r\n");
    std::string answer = receive(fd, 3);
    EXPECT_EQ(answer.rfind("HTTP/1.1 431", 0), 0u) << answer.substr(0, 200);
    ::close(fd);

    // Large headers: refused at the limit, without waiting for the rest of the flood.
    fd = connect_from(port_);
    send_all(fd, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(40000, 'a'));
    answer = receive(fd, 3);
    EXPECT_EQ(answer.rfind("HTTP/1.1 431", 0), 0u) << answer.substr(0, 200);
    ::close(fd);
    EXPECT_EQ(server_->stats().buffered_bytes, 0u);
    EXPECT_EQ(ordinary_request().first, 200);
}

// Found: pipelined requests were dropped (each read its own stream; the read-ahead was lost).
TEST_F(RobustTest, PipelinedRequestsAreAllAnsweredInOrder) {
    start();
    int fd = connect_from(port_);
    send_all(fd, "GET /sw.js HTTP/1.1\r\nHost: x\r\n\r\nGET /index.html HTTP/1.1\r\nHost: x\r\n\r\n"
                 "GET /nothing-here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    std::string answer = receive(fd, 5);
    EXPECT_EQ(count(answer, "HTTP/1.1 "), 3u) << answer.substr(0, 400);
    const size_t sw = answer.find("// sw"), index = answer.find("<title>Handbook"), missing = answer.find("HTTP/1.1 404");
    EXPECT_TRUE(sw < index && index < missing) << answer.substr(0, 400);
    ::close(fd);
}

// Found: `Connection: close` was ignored on 405 and 413, so the unread body was parsed as
// the next request (here it would fetch a second page on the same connection).
TEST_F(RobustTest, ARefusedBodyIsNeverTakenForTheNextRequest) {
    start();
    const std::string smuggled = "GET /sw.js HTTP/1.1\r\nHost: x\r\n\r\n";
    for (const std::string& head :
         {std::string("PUT /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: ") + std::to_string(smuggled.size()) + "\r\n\r\n",
          std::string("POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 999999\r\n\r\n")}) {
        int fd = connect_from(port_);
        send_all(fd, head + smuggled);
        std::string answer = receive(fd, 3);
        EXPECT_EQ(count(answer, "HTTP/1.1 "), 1u) << answer;
        EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
        EXPECT_EQ(answer.find("// sw"), std::string::npos) << answer;
        ::close(fd);
    }
}

// Found: two Content-Length headers were accepted (which one a proxy believed is unknowable).
TEST_F(RobustTest, TwoContentLengthsAreRefused) {
    start();
    int fd = connect_from(port_);
    send_all(fd, "POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}");
    std::string answer = receive(fd, 3);
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
    ::close(fd);
    fd = connect_from(port_);
    send_all(fd, "POST /api/session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
    answer = receive(fd, 3);
    EXPECT_EQ(answer.rfind("HTTP/1.1 411", 0), 0u) << answer;
    ::close(fd);
}

// Found: ?after=%ff%fe answered 500 (the message quoting it was not valid UTF-8, and the
// JSON library threw while building the 400).
TEST_F(RobustTest, ABadPositionThatIsNotUtf8GetsA400) {
    start();
    auto [status, seconds] = ordinary_request("/api/feed?after=%ff%fe");
    EXPECT_EQ(status, 400);
    httplib::Client client("127.0.0.1", port_);
    auto res = client.Get("/api/feed?after=%ff%fe%01");
    ASSERT_TRUE(res);
    auto body = nlohmann::json::parse(res->body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << res->body;
    EXPECT_NE(body["error"].get<std::string>().find("\\xff\\xfe\\x01"), std::string::npos) << res->body;
}

// Found: control characters from URLs were written raw to the log (forged lines, terminal
// escape sequences).
TEST_F(RobustTest, ControlCharactersFromUrlsAreEscapedInTheLog) {
    start();
    std::stringstream captured;
    std::streambuf* old = std::cerr.rdbuf(captured.rdbuf());
    {
        // The server logs a request after it has sent the answer, so the answer alone does
        // not mean the line is written (this test failed now and then on a busy machine). A
        // second request on the same connection is read by the same worker only after it
        // has logged the first; a 200 is not logged.
        httplib::Client client("127.0.0.1", port_);
        client.set_keep_alive(true);
        client.set_read_timeout(5, 0);
        auto forged = client.Get("/nothing%0a%1b[31mhandbook%20serve:%20200%20GET%20/forged");
        EXPECT_TRUE(forged && forged->status == 404);  // no ASSERT: std::cerr is still redirected here
        auto after = client.Get("/index.html");
        EXPECT_TRUE(after && after->status == 200);
    }
    std::cerr.rdbuf(old);
    const std::string log = captured.str();
    EXPECT_NE(log.find("404 GET /nothing\\x0a\\x1b[31m"), std::string::npos) << log;
    EXPECT_EQ(log.find('\x1b'), std::string::npos) << log;
    EXPECT_EQ(count(log, "\n"), 1u) << log;
}

// Found: a Range past the end gave an empty 206 instead of 416.
TEST_F(RobustTest, ARangePastTheEndIs416) {
    start();
    httplib::Client client("127.0.0.1", port_);
    const size_t size = site_->files.at("index.html").body.size();
    auto past = client.Get("/index.html", {{"Range", "bytes=999999-"}});
    ASSERT_TRUE(past);
    EXPECT_EQ(past->status, 416);
    EXPECT_EQ(past->get_header_value("Content-Range"), "bytes */" + std::to_string(size));
    EXPECT_TRUE(past->body.empty());
    auto part = client.Get("/index.html", {{"Range", "bytes=0-14"}});
    ASSERT_TRUE(part);
    EXPECT_EQ(part->status, 206);
    EXPECT_EQ(part->body, "<!doctype html>");
    // An error page is sent whole, not cut to the range (it was an empty 416).
    auto missing = client.Get("/v/0000/handbook.wasm", {{"Range", "bytes=999999-"}});
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);
    EXPECT_NE(missing->body.find("no longer served"), std::string::npos);
}

// One address cannot take every connection: its oldest idle one makes room, and when it
// has none idle, it is refused (503) while others are still served.
TEST_F(RobustTest, OneClientCannotHoldEveryConnection) {
    ConnectionLimits limits;
    limits.max_per_client = 4;
    start(limits);
    std::vector<int> idle;
    for (int i = 0; i < 4; ++i) {
        int fd = connect_from(port_, "127.0.0.30");
        send_all(fd, "GET /sw.js HTTP/1.1\r\nHost: x\r\n\r\n");
        ASSERT_NE(receive(fd, 3, "// sw\n").find("200"), std::string::npos);
        idle.push_back(fd);
    }
    int fifth = connect_from(port_, "127.0.0.30");
    send_all(fifth, "GET /sw.js HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_NE(receive(fifth, 3, "// sw\n").find("HTTP/1.1 200"), std::string::npos);
    EXPECT_EQ(receive(idle[0], 1), "");  // the oldest idle one was closed for it
    std::vector<int> slow;
    for (int i = 0; i < 4; ++i) {
        int fd = connect_from(port_, "127.0.0.31");
        send_all(fd, "GET / HTTP/1.1\r\n");
        slow.push_back(fd);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    int refused = connect_from(port_, "127.0.0.31");
    EXPECT_EQ(receive(refused, 3).rfind("HTTP/1.1 503", 0), 0u);
    EXPECT_EQ(ordinary_request().first, 200);  // another address is served
    for (int fd : idle) ::close(fd);
    for (int fd : slow) ::close(fd);
    ::close(fifth);
    ::close(refused);
}

// Found: SIGTERM waited for slow clients. stop() is what the signal does.
TEST_F(RobustTest, StoppingDoesNotWaitForSlowClients) {
    start();
    std::vector<int> slow;
    for (int i = 0; i < 20; ++i) {
        int fd = connect_from(port_, "127.0.0.40");
        send_all(fd, "GET / HTTP/1.1\r\nHost: x\r\n");
        slow.push_back(fd);
    }
    // And one that asks for a large answer and does not read it.
    int reader = connect_from(port_, "127.0.0.41");
    int small = 1024;
    ::setsockopt(reader, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    send_all(reader, "GET /api/snapshot HTTP/1.1\r\nHost: x\r\n\r\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto begun = Clock::now();
    server_->stop();
    thread_.join();
    EXPECT_LT(seconds_since(begun), 3.0);
    for (int fd : slow) ::close(fd);
    ::close(reader);
}

// Found: /api/feed?after=0 was rebuilt and gzipped per request under one lock. Now it is
// signed once per position and minute and kept.
TEST_F(RobustTest, FeedPagesAreKeptPerPositionAndSigned) {
    start();
    httplib::Client client("127.0.0.1", port_);
    auto first = client.Get("/api/feed?after=0");
    auto second = client.Get("/api/feed?after=0");
    ASSERT_TRUE(first && second);
    ASSERT_EQ(first->status, 200);
    auto a = open_signed(first->body, key_text(keys_->key.public_key));
    auto b = open_signed(second->body, key_text(keys_->key.public_key));
    ASSERT_TRUE(a) << a.error();
    ASSERT_TRUE(b) << b.error();
    EXPECT_EQ(a->body, b->body);
    EXPECT_EQ(a->statement.kind, "feed");
    EXPECT_EQ(a->statement.after, 0);
    // Signed at the start of a minute: equal for both unless a minute began between them.
    auto at = parse_utc(a->statement.made_at);
    ASSERT_TRUE(at);
    EXPECT_EQ(*at % kFeedResignSeconds, 0);
    if (a->statement.made_at == b->statement.made_at) {
        EXPECT_EQ(first->body, second->body);  // the same kept bytes
    }
}

}  // namespace
