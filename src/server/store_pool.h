// The server's connections to its store: one writer and a pool of readers.
//
// Implements: the store opened once as the server opens it (checked, WAL, migrated, the
// server's own tables too: see open_server_store), then `kReaders` more read-only connections to the same file. A reader is
// lent to one request at a time and answers from its own consistent view (WAL): the
// change feed and the snapshots never wait for a writer, and a writer in another process
// (`handbook import`) never makes them fail or skip. The writer is lent to one thread at a
// time (the first-start import, and later the publishing API).
// Known limitations: a request waits when every reader is lent (kReaders at once); an
// in-memory store (":memory:", for tests) has one connection, lent under the writer's
// lock to readers and writers alike.
#pragma once
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/database.h"

namespace handbook {

class StorePool {
public:
    static constexpr int kReaders = 4;

    static Result<std::unique_ptr<StorePool>> open(const std::string& path);
    ~StorePool();

    // A connection lent until the lease goes out of scope.
    class Lease {
    public:
        Lease(Lease&& other) noexcept;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease();
        Database& db() { return *db_; }

    private:
        friend class StorePool;
        Lease(StorePool* pool, Database* db, std::unique_lock<std::mutex> writer_lock)
            : pool_(pool), db_(db), writer_lock_(std::move(writer_lock)) {}
        StorePool* pool_;
        Database* db_;
        std::unique_lock<std::mutex> writer_lock_;  // held for the writer (and for an in-memory store)
    };

    Lease read();
    Lease write();

private:
    StorePool() = default;
    std::unique_ptr<Database> writer_;
    std::mutex writer_mutex_;
    std::vector<std::unique_ptr<Database>> readers_;
    std::vector<Database*> free_readers_;
    std::mutex readers_mutex_;
    std::condition_variable reader_returned_;
};

}  // namespace handbook
