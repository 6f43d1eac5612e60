// See store_pool.h for what this implements and its known limitations.
#include "store_pool.h"

#include "authority_schema.h"

namespace handbook {

Result<std::unique_ptr<StorePool>> StorePool::open(const std::string& path) {
    auto writer = open_server_store(path);
    if (!writer) return writer.status();
    std::unique_ptr<StorePool> pool(new StorePool());
    pool->writer_ = std::move(*writer);
    if (path == ":memory:") return pool;
    for (int i = 0; i < kReaders; ++i) {
        OpenOptions read_options;
        read_options.create = false;
        auto reader = Database::open(path, read_options);
        if (!reader) return reader.status();
        // Readers never write, by mistake either.
        if (Status st = (*reader)->exec("PRAGMA query_only = ON"); !st) return st;
        pool->free_readers_.push_back(reader->get());
        pool->readers_.push_back(std::move(*reader));
    }
    return pool;
}

StorePool::~StorePool() = default;

StorePool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), db_(other.db_), writer_lock_(std::move(other.writer_lock_)) {
    other.pool_ = nullptr;
}

StorePool::Lease::~Lease() {
    if (!pool_ || writer_lock_.owns_lock()) return;  // the writer: the lock goes with it
    {
        std::lock_guard lock(pool_->readers_mutex_);
        pool_->free_readers_.push_back(db_);
    }
    pool_->reader_returned_.notify_one();
}

StorePool::Lease StorePool::read() {
    if (readers_.empty()) return write();
    std::unique_lock lock(readers_mutex_);
    reader_returned_.wait(lock, [this] { return !free_readers_.empty(); });
    Database* db = free_readers_.back();
    free_readers_.pop_back();
    return Lease(this, db, std::unique_lock<std::mutex>());
}

StorePool::Lease StorePool::write() { return Lease(this, writer_.get(), std::unique_lock(writer_mutex_)); }

}  // namespace handbook
