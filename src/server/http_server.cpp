// The connections of `handbook serve`: see http_server.h.
#include "http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace handbook {

namespace {

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (lower(s[i]) != prefix[i]) return false;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string peer_address(int fd) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return "?";
    char text[INET6_ADDRSTRLEN] = "?";
    if (addr.ss_family == AF_INET)
        ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&addr)->sin_addr, text, sizeof text);
    else if (addr.ss_family == AF_INET6)
        ::inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&addr)->sin6_addr, text, sizeof text);
    return text;
}

void address_and_port(int fd, bool peer, std::string& ip, int& port) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    int rc = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) : ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    if (rc != 0) return;
    char text[INET6_ADDRSTRLEN] = "";
    if (addr.ss_family == AF_INET) {
        auto* a = reinterpret_cast<sockaddr_in*>(&addr);
        ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
        port = ntohs(a->sin_port);
    } else if (addr.ss_family == AF_INET6) {
        auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
        ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
        port = ntohs(a->sin6_port);
    }
    ip = text;
}

// A short answer sent by the event thread itself (best effort: the socket is closed next).
void send_refusal(int fd, int status, const char* reason, const std::string& message) {
    std::string text = "HTTP/1.1 " + std::to_string(status) + " " + reason +
                       "\r\nContent-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
                       "Connection: close\r\n";
    if (status == 503) text += "Retry-After: 5\r\n";
    text += "Content-Length: " + std::to_string(message.size() + 1) + "\r\n\r\n" + message + "\n";
    (void)!::send(fd, text.data(), text.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

// What the start of a connection's buffer holds.
struct Examined {
    enum Kind { incomplete, complete, refused } kind = incomplete;
    size_t request_bytes = 0;  // complete: the head and its body
    bool head_only = false;    // complete: the body is larger than is buffered; httplib refuses it (413) unread
    bool expects_continue = false;
    int status = 0;            // refused: the answer
    const char* reason = "";
    std::string message;
};

Examined refuse(int status, const char* reason, std::string message) {
    Examined e;
    e.kind = Examined::refused;
    e.status = status;
    e.reason = reason;
    e.message = std::move(message);
    return e;
}

Examined examine(std::string& in, const ConnectionLimits& limits) {
    // Empty lines before a request line are ignored (RFC 9112 2.2).
    size_t skip = 0;
    while (skip + 1 < in.size() && in[skip] == '\r' && in[skip + 1] == '\n') skip += 2;
    if (skip) in.erase(0, skip);
    const size_t end = in.find("\r\n\r\n");
    if (end == std::string::npos || end + 4 > limits.max_header_bytes) {
        if (in.size() <= limits.max_header_bytes && end == std::string::npos) return {};
        const size_t line_end = in.find("\r\n");
        if (line_end == std::string::npos || line_end > limits.max_header_bytes)
            return refuse(414, "URI Too Long", "URL too long.");
        return refuse(431, "Request Header Fields Too Large",
                      "Request headers too large: at most " + std::to_string(limits.max_header_bytes) + " bytes.");
    }
    const std::string_view head(in.data(), end);
    size_t lines = 0, content_lengths = 0;
    uint64_t length = 0;
    bool chunked = false, bad_length = false, expects_continue = false;
    for (size_t at = head.find("\r\n"); at != std::string_view::npos; at = head.find("\r\n", at + 2)) {
        ++lines;
        size_t next = head.find("\r\n", at + 2);
        std::string_view line = head.substr(at + 2, next == std::string_view::npos ? std::string_view::npos : next - at - 2);
        if (starts_with_nocase(line, "content-length:")) {
            ++content_lengths;
            std::string_view value = trim(line.substr(15));
            bad_length = bad_length || value.empty() || value.size() > 18 ||
                         !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
            if (!bad_length) length = std::stoull(std::string(value));
        } else if (starts_with_nocase(line, "transfer-encoding:")) {
            chunked = true;
        } else if (starts_with_nocase(line, "expect:")) {
            expects_continue = starts_with_nocase(trim(line.substr(7)), "100-continue");
        }
    }
    if (lines > limits.max_headers)
        return refuse(431, "Request Header Fields Too Large", "Too many request headers: at most " + std::to_string(limits.max_headers) + ".");
    if (content_lengths > 1 || (content_lengths && chunked) || bad_length)
        return refuse(400, "Bad Request", "Bad request: one Content-Length (a number), and not together with Transfer-Encoding.");
    if (chunked) return refuse(411, "Length Required", "Send the request body with a Content-Length (chunked bodies are not taken).");
    Examined e;
    e.expects_continue = expects_continue;
    if (length > limits.max_body_bytes) {
        e.kind = Examined::complete;
        e.request_bytes = end + 4;
        e.head_only = true;
        return e;
    }
    if (in.size() < end + 4 + length) return e;
    e.kind = Examined::complete;
    e.request_bytes = end + 4 + static_cast<size_t>(length);
    return e;
}

}  // namespace

struct Connection {
    int fd = -1;
    std::string client;
    std::string in;              // received and not yet answered
    enum State { idle, reading, busy } state = idle;
    int64_t since = 0;           // reading: the first byte of this request; idle: when it went idle
    int requests = 0;
    size_t request_bytes = 0;    // of the first request in `in` (busy)
    bool head_only = false;
    bool continued = false;      // 100 Continue sent for this request
};

// A request from the connection's buffer; answers straight to its socket.
class BufferedStream : public httplib::Stream {
public:
    BufferedStream(Connection& c, int64_t write_deadline) : c_(c), deadline_(write_deadline) {}
    bool is_readable() const override { return pos_ < limit(); }
    bool is_writable() const override { return !failed_; }
    ssize_t read(char* ptr, size_t size) override {
        const size_t n = std::min(size, limit() - pos_);
        std::copy_n(c_.in.data() + pos_, n, ptr);
        pos_ += n;
        return static_cast<ssize_t>(n);
    }
    ssize_t write(const char* ptr, size_t size) override {
        note_head(ptr, size);
        size_t done = 0;
        while (done < size && !failed_) {
            ssize_t n = ::send(c_.fd, ptr + done, size - done, MSG_NOSIGNAL);
            if (n > 0) {
                done += static_cast<size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            const int64_t left = deadline_ - now_ms();
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && left > 0) {
                pollfd p{c_.fd, POLLOUT, 0};
                ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 1000)));
                continue;
            }
            failed_ = true;  // a client gone, or too slow: the answer is given up
        }
        return failed_ ? -1 : static_cast<ssize_t>(size);
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override { address_and_port(c_.fd, true, ip, port); }
    void get_local_ip_and_port(std::string& ip, int& port) const override { address_and_port(c_.fd, false, ip, port); }
    socket_t socket() const override { return c_.fd; }

    size_t consumed() const { return pos_; }
    bool failed() const { return failed_; }
    bool answer_closes() const { return answer_closes_; }

private:
    size_t limit() const { return std::min(c_.in.size(), c_.request_bytes); }
    // Reads the answer's head as it goes out: a handler's `Connection: close` (a refused
    // body that was never read must not be taken for the next request) closes the connection.
    void note_head(const char* ptr, size_t size) {
        if (head_done_) return;
        head_.append(ptr, std::min(size, size_t{16384}));
        const size_t end = head_.find("\r\n\r\n");
        if (end == std::string::npos) {
            if (head_.size() > 16384) head_done_ = true;
            return;
        }
        if (head_.rfind("HTTP/1.1 1", 0) == 0) {  // an interim answer (100 Continue): the real one follows
            head_.erase(0, end + 4);
            return;
        }
        std::string lowered(head_, 0, end + 2);
        std::transform(lowered.begin(), lowered.end(), lowered.begin(), lower);
        answer_closes_ = lowered.find("\r\nconnection: close\r\n") != std::string::npos;
        head_done_ = true;
    }

    Connection& c_;
    int64_t deadline_;
    size_t pos_ = 0;
    bool failed_ = false;
    std::string head_;
    bool head_done_ = false;
    bool answer_closes_ = false;
};

struct HttpServer::Machinery {
    HttpServer& server;
    const ConnectionLimits limits;
    int epoll_fd = -1;
    int wake_fd = -1;
    mutable std::mutex mutex;
    std::unordered_map<int, std::unique_ptr<Connection>> connections;
    std::unordered_map<std::string, size_t> per_client;
    std::deque<Connection*> ready;
    std::condition_variable ready_changed;
    size_t buffered = 0;
    size_t freed_since_trim = 0;
    ConnectionStats counters;
    std::atomic<bool> stopping{false};
    std::thread event_thread;
    std::vector<std::thread> workers;

    Machinery(HttpServer& s, const ConnectionLimits& l) : server(s), limits(l) {
        epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
        wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = wake_fd;
        ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &ev);
    }
    ~Machinery() {
        for (auto& [fd, c] : connections) ::close(fd);
        ::close(wake_fd);
        ::close(epoll_fd);
    }

    void watch(Connection& c) {
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLRDHUP;
        ev.data.fd = c.fd;
        ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c.fd, &ev);
    }

    // Under the mutex.
    void close_locked(Connection& c) {
        ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c.fd, nullptr);
        ::shutdown(c.fd, SHUT_RDWR);
        ::close(c.fd);
        buffered -= c.in.size();
        freed_since_trim += c.in.capacity();
        if (--per_client[c.client] == 0) per_client.erase(c.client);
        connections.erase(c.fd);  // destroys c
    }

    void refuse_locked(Connection& c, const Examined& e) {
        send_refusal(c.fd, e.status, e.reason, e.message);
        close_locked(c);
    }

    // The oldest idle connection (of `client`, or of anyone), to make room for a new one.
    Connection* oldest_idle_locked(const std::string* client) {
        Connection* oldest = nullptr;
        for (auto& [fd, c] : connections)
            if (c->state == Connection::idle && (!client || c->client == *client) && (!oldest || c->since < oldest->since)) oldest = c.get();
        return oldest;
    }

    void admit(int fd) {
        const int flags = ::fcntl(fd, F_GETFL, 0);
        ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        auto c = std::make_unique<Connection>();
        c->fd = fd;
        c->client = peer_address(fd);
        c->since = now_ms();
        std::lock_guard lock(mutex);
        if (stopping) {
            ::close(fd);
            return;
        }
        auto full_for = [&](const std::string* client) {
            return client ? per_client[*client] >= limits.max_per_client : connections.size() >= limits.max_connections;
        };
        const std::string* scopes[] = {&c->client, nullptr};  // this address, then everyone
        for (const std::string* scope : scopes) {
            if (!full_for(scope)) continue;
            if (Connection* idle = oldest_idle_locked(scope)) {
                close_locked(*idle);
                continue;
            }
            ++counters.refused_full;
            send_refusal(fd, 503, "Service Unavailable",
                         scope ? "Too many connections from your address; try again in a few seconds."
                               : "The server has too many connections; try again in a few seconds.");
            ::close(fd);
            if (per_client[c->client] == 0) per_client.erase(c->client);
            return;
        }
        ++per_client[c->client];
        Connection& ref = *c;
        connections.emplace(fd, std::move(c));
        watch(ref);
    }

    // Under the mutex: what to do with a connection that has bytes (or just got more).
    void advance_locked(Connection& c) {
        if (c.in.empty()) return;
        if (c.state == Connection::idle) {
            c.state = Connection::reading;
            c.since = now_ms();
            c.continued = false;
        }
        Examined e = examine(c.in, limits);
        if (e.kind == Examined::refused) {
            if (e.status == 431) ++counters.too_large_head;
            refuse_locked(c, e);
            return;
        }
        if (e.kind == Examined::incomplete) {
            if (e.expects_continue && !c.continued) {
                c.continued = true;
                static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
                (void)!::send(c.fd, kContinue, sizeof kContinue - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            }
            return;
        }
        c.state = Connection::busy;
        c.request_bytes = e.request_bytes;
        c.head_only = e.head_only;
        ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c.fd, nullptr);
        ready.push_back(&c);
        ready_changed.notify_one();
    }

    void read_from(int fd) {
        char buf[65536];
        std::lock_guard lock(mutex);
        auto it = connections.find(fd);
        if (it == connections.end() || it->second->state == Connection::busy) return;
        Connection& c = *it->second;
        for (int rounds = 0; rounds < 4; ++rounds) {  // a share at a time: one client cannot hog the thread
            ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n > 0) {
                c.in.append(buf, static_cast<size_t>(n));
                buffered += static_cast<size_t>(n);
                if (buffered > limits.max_buffered_bytes) {
                    ++counters.refused_full;
                    refuse_locked(c, refuse(503, "Service Unavailable", "The server is receiving too much at once; try again in a few seconds."));
                    return;
                }
                if (c.in.size() > limits.max_header_bytes && c.in.find("\r\n\r\n") == std::string::npos) break;
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) break;
            close_locked(c);  // the client closed, or the connection failed
            return;
        }
        advance_locked(c);
    }

    // Closes what waited too long; on stop, everything that is not being answered.
    void sweep(int64_t now, bool stop_all) {
        std::lock_guard lock(mutex);
        std::vector<Connection*> expired;
        for (auto& [fd, c] : connections) {
            if (c->state == Connection::busy) continue;
            const bool late = c->state == Connection::reading ? now - c->since > limits.request_seconds * 1000LL
                                                              : now - c->since > limits.idle_seconds * 1000LL;
            if (stop_all || late) expired.push_back(c.get());
        }
        for (Connection* c : expired) {
            if (c->state == Connection::reading && !stop_all) {
                ++counters.timed_out;
                refuse_locked(*c, refuse(408, "Request Timeout",
                                         "Request timeout: the whole request must arrive within " + std::to_string(limits.request_seconds) + " s."));
            } else {
                close_locked(*c);
            }
        }
        // Memory a flood took comes back to the system, not only to the allocator.
        if (freed_since_trim > 8 * 1024 * 1024) {
            freed_since_trim = 0;
            ::malloc_trim(0);
        }
    }

    void run_events() {
        std::vector<epoll_event> events(256);
        int64_t last_sweep = now_ms();
        while (!stopping) {
            int n = ::epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()), 100);
            for (int i = 0; i < n; ++i) {
                const int fd = events[static_cast<size_t>(i)].data.fd;
                if (fd == wake_fd) {
                    uint64_t v = 0;
                    (void)!::read(wake_fd, &v, sizeof v);
                    continue;
                }
                read_from(fd);
            }
            const int64_t now = now_ms();
            if (now - last_sweep >= 100) {
                sweep(now, false);
                last_sweep = now;
            }
        }
        sweep(now_ms(), true);
    }

    // Answers a busy connection's buffered requests; hands it back to the event thread
    // (or closes it) when they are done.
    void serve(Connection& c) {
        for (;;) {
            const bool last = c.requests + 1 >= limits.max_requests_per_connection || stopping;
            BufferedStream stream(c, now_ms() + limits.write_seconds * 1000LL);
            bool closed = false;
            const bool ok = server.process_request(stream, last, closed, nullptr);
            ++c.requests;
            std::lock_guard lock(mutex);
            if (!ok || closed || last || c.head_only || stream.failed() || stream.answer_closes()) {
                close_locked(c);
                return;
            }
            const size_t used = std::min(c.in.size(), std::max(stream.consumed(), c.request_bytes));
            c.in.erase(0, used);
            buffered -= used;
            c.state = Connection::idle;
            c.since = now_ms();
            c.request_bytes = 0;
            if (!c.in.empty()) {  // pipelined: the next request came with this one
                advance_locked(c);
                if (connections.count(c.fd) == 0) return;  // refused
                if (c.state == Connection::busy) {
                    // advance_locked queued it; take it back and answer it here, in order.
                    ready.erase(std::remove(ready.begin(), ready.end(), &c), ready.end());
                    continue;
                }
            }
            watch(c);
            // Bytes that arrived between the answer and watching again are reported by
            // epoll (level-triggered), so nothing waits for the next packet.
            return;
        }
    }

    void run_worker() {
        for (;;) {
            Connection* c = nullptr;
            {
                std::unique_lock lock(mutex);
                ready_changed.wait(lock, [&] { return !ready.empty() || (stopping && ready.empty()); });
                if (ready.empty()) return;
                c = ready.front();
                ready.pop_front();
            }
            serve(*c);
        }
    }

    void start() {
        event_thread = std::thread([this] { run_events(); });
        for (int i = 0; i < limits.workers; ++i) workers.emplace_back([this] { run_worker(); });
    }

    void stop() {
        {
            std::lock_guard lock(mutex);
            stopping = true;
        }
        uint64_t one = 1;
        (void)!::write(wake_fd, &one, sizeof one);
        if (event_thread.joinable()) event_thread.join();
        // Answers being written get a second; then their sockets are shut, which ends the writes.
        const int64_t give_up = now_ms() + 1000;
        for (;;) {
            size_t busy = 0;
            {
                std::lock_guard lock(mutex);
                for (auto& [fd, c] : connections) busy += c->state == Connection::busy;
                if (busy == 0 || now_ms() >= give_up) {
                    for (auto& [fd, c] : connections) ::shutdown(fd, SHUT_RDWR);
                    break;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        ready_changed.notify_all();
        for (auto& w : workers) w.join();
        workers.clear();
    }
};

namespace {

// httplib hands each accepted socket to its task queue; this one runs the hand-over
// (HttpServer::process_and_close_socket: register and return) on the accepting thread.
class HandOver : public httplib::TaskQueue {
public:
    void enqueue(std::function<void()> fn) override { fn(); }
    void shutdown() override {}
};

}  // namespace

HttpServer::HttpServer(ConnectionLimits limits) : limits_(limits) {
    new_task_queue = [] { return new HandOver(); };
    set_keep_alive_timeout(limits_.idle_seconds);
    set_keep_alive_max_count(static_cast<size_t>(limits_.max_requests_per_connection));
}

HttpServer::~HttpServer() = default;

bool HttpServer::bind_to_port(const std::string& host, int port, int socket_flags) {
    if (!httplib::Server::bind_to_port(host, port, socket_flags)) return false;
    ::listen(svr_sock_, limits_.backlog);  // again, with the wider backlog (Linux updates it)
    return true;
}

int HttpServer::bind_to_any_port(const std::string& host, int socket_flags) {
    int port = httplib::Server::bind_to_any_port(host, socket_flags);
    if (port > 0) ::listen(svr_sock_, limits_.backlog);
    return port;
}

void HttpServer::set_max_body_bytes(size_t bytes) { limits_.max_body_bytes = bytes; }

bool HttpServer::listen_after_bind() {
    machinery_ = std::make_unique<Machinery>(*this, limits_);
    machinery_->start();
    const bool clean = httplib::Server::listen_after_bind();
    machinery_->stop();
    return clean;
}

bool HttpServer::process_and_close_socket(socket_t sock) {
    if (!machinery_) {
        ::close(sock);
        return false;
    }
    machinery_->admit(sock);
    return true;
}

ConnectionStats HttpServer::stats() const {
    ConnectionStats s;
    if (!machinery_) return s;
    std::lock_guard lock(machinery_->mutex);
    s = machinery_->counters;
    s.open = machinery_->connections.size();
    for (const auto& [fd, c] : machinery_->connections) {
        s.idle += c->state == Connection::idle;
        s.reading += c->state == Connection::reading;
        s.busy += c->state == Connection::busy;
    }
    s.buffered_bytes = machinery_->buffered;
    return s;
}

}  // namespace handbook
