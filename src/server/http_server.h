// The connections of `handbook serve`: cpp-httplib's request handling, with connection
// handling that a handful of clients cannot take down.
//
// cpp-httplib 0.11.4 (Debian builds it as a shared library, so its compile-time limits
// cannot be changed) gives each connection a worker thread from a pool of 8 for as long
// as the connection lives: a client sending a byte every few seconds (slowloris) or an
// idle keep-alive connection holds a worker, eight of them stop the server; the number
// of headers is not limited (a flood took the process to 2.6 GB); the listen backlog is
// 5; a pipelined request is dropped (each request reads through a new stream, whose
// read-ahead is lost); `Connection: close` set by a handler is not honoured.
//
// What this does instead, through the library's own extension points (a virtual
// process_and_close_socket, a replaceable task queue, and process_request, which parses
// one request from any Stream and writes its answer):
//   - one event thread (epoll) holds every connection that is idle or still sending its
//     request, without a worker: it reads the request line, the headers and the body
//     (its Content-Length) into memory, and only a whole request goes to a worker;
//   - limits checked there, before httplib sees a byte: the head at most
//     `max_header_bytes` and `max_headers` lines (431), one Content-Length and no
//     chunked request bodies (400, 411), a whole request within `request_seconds` of its
//     first byte, not per byte (408), idle keep-alive connections closed after
//     `idle_seconds`, at most `max_connections` open and `max_per_client` from one
//     address (the oldest idle connection makes room, else 503), bodies buffered up to
//     `max_buffered_bytes` in all (503 past it);
//   - a worker answers from that buffer (pipelined requests that arrived with it are
//     answered in turn) and writes the answer within `write_seconds`; it closes the
//     connection when the answer says `Connection: close`;
//   - the listen backlog is `backlog`;
//   - on stop, idle and half-sent connections are closed at once and answers still being
//     written get a second before their sockets are shut (SIGTERM does not wait for slow
//     clients).
// Known limitations: a request body is held in memory whole (the API's largest is 576 KiB);
// a client that reads its answer slowly holds a worker for up to `write_seconds`
// (answers come from memory, so that is the only thing a worker waits for); IPv4 and IPv6
// addresses count per exact address (a /64 is many clients); no TLS.
#pragma once
#include <httplib.h>

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

namespace handbook {

struct ConnectionLimits {
    size_t max_connections = 4096;
    size_t max_per_client = 256;        // a store's tablets behind one NAT address share this
    size_t max_header_bytes = 16 * 1024;
    size_t max_headers = 100;
    size_t max_body_bytes = 64 * 1024;  // larger bodies go to httplib unread: its route says 413
    size_t max_buffered_bytes = 256 * 1024 * 1024;
    int request_seconds = 10;
    int idle_seconds = 30;
    int write_seconds = 60;
    int workers = 32;
    int backlog = 1024;
    int max_requests_per_connection = 10000;
};

struct ConnectionStats {
    size_t open = 0, idle = 0, reading = 0, busy = 0;
    size_t buffered_bytes = 0;
    uint64_t refused_full = 0, timed_out = 0, too_large_head = 0;
};

class HttpServer : public httplib::Server {
public:
    explicit HttpServer(ConnectionLimits limits = {});
    ~HttpServer() override;

    // As httplib's, then the backlog widened to limits.backlog.
    bool bind_to_port(const std::string& host, int port, int socket_flags = 0);
    int bind_to_any_port(const std::string& host, int socket_flags = 0);
    // Runs the event thread and the workers, accepts until stop(), then closes every
    // connection (see above) before returning.
    bool listen_after_bind();

    // The largest body any route takes (bodies up to it are read before a worker sees the
    // request; larger ones go to httplib unread, and the route answers 413). Before listening.
    void set_max_body_bytes(size_t bytes);

    ConnectionStats stats() const;
    const ConnectionLimits& limits() const { return limits_; }

protected:
    bool process_and_close_socket(socket_t sock) override;

private:
    struct Machinery;
    friend struct Machinery;
    ConnectionLimits limits_;
    std::unique_ptr<Machinery> machinery_;
};

}  // namespace handbook
