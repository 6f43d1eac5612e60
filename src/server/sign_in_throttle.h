// Slows down guessing: repeated failed sign-ins for one account, or from one client
// address, must wait before the next attempt (429 with Retry-After).
//
// The first kFreeFailures failures (per account; four times as many per address, which a
// store's staff share) cost nothing; each further one doubles the wait, from 2 seconds to
// kLongestWait at most. Failures are forgotten kForgetAfter seconds after the last one.
// Known limitations: kept in memory (a restart forgets); at most kMaxTracked keys, the
// oldest dropped first, so a flood of made-up names cannot grow it without end.
#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace handbook {

class SignInThrottle {
public:
    static constexpr int kFreeFailures = 5;
    static constexpr int64_t kLongestWait = 15 * 60;
    static constexpr int64_t kForgetAfter = 15 * 60;
    static constexpr size_t kMaxTracked = 10000;

    // Seconds to wait before the next attempt for this account or from this address (0: go ahead).
    int64_t wait_seconds(const std::string& account, const std::string& client, int64_t now);
    void failed(const std::string& account, const std::string& client, int64_t now);
    void succeeded(const std::string& account);

private:
    struct Entry {
        int failures = 0;
        int64_t last_failure = 0;
        int64_t blocked_until = 0;
    };
    int64_t wait_for(const std::string& key, int64_t now);
    void count(const std::string& key, int free_failures, int64_t now);
    std::mutex mutex_;
    std::map<std::string, Entry> entries_;
};

}  // namespace handbook
