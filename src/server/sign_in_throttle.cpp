// See sign_in_throttle.h.
#include "sign_in_throttle.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace handbook {

namespace {

std::string account_key(const std::string& account) {
    std::string key = "user:" + account.substr(0, 64);
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return key;
}

std::string client_key(const std::string& client) { return "from:" + client.substr(0, 64); }

}  // namespace

int64_t SignInThrottle::wait_for(const std::string& key, int64_t now) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return 0;
    if (now - it->second.last_failure >= kForgetAfter) {
        entries_.erase(it);
        return 0;
    }
    return std::max<int64_t>(0, it->second.blocked_until - now);
}

int64_t SignInThrottle::wait_seconds(const std::string& account, const std::string& client, int64_t now) {
    std::lock_guard lock(mutex_);
    return std::max(wait_for(account_key(account), now), wait_for(client_key(client), now));
}

void SignInThrottle::count(const std::string& key, int free_failures, int64_t now) {
    if (entries_.size() >= kMaxTracked && !entries_.count(key)) {
        // Full: the forgotten go, then (if that is not enough) the oldest tenth, in one
        // sweep, so a flood of names costs a sweep per thousand names, not one per name.
        std::erase_if(entries_, [&](const auto& e) { return now - e.second.last_failure >= kForgetAfter; });
        if (entries_.size() >= kMaxTracked) {
            std::vector<int64_t> times;
            times.reserve(entries_.size());
            for (const auto& [k, e] : entries_) times.push_back(e.last_failure);
            auto tenth = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 10);
            std::nth_element(times.begin(), tenth, times.end());
            const int64_t cutoff = *tenth;
            std::erase_if(entries_, [&](const auto& e) { return e.second.last_failure <= cutoff; });
        }
    }
    Entry& e = entries_[key];
    if (now - e.last_failure >= kForgetAfter) e = Entry{};
    ++e.failures;
    e.last_failure = now;
    if (e.failures > free_failures) {
        int doublings = std::min(e.failures - free_failures, 20);
        e.blocked_until = now + std::min<int64_t>(kLongestWait, int64_t{1} << doublings);
    }
}

void SignInThrottle::failed(const std::string& account, const std::string& client, int64_t now) {
    std::lock_guard lock(mutex_);
    count(account_key(account), kFreeFailures, now);
    count(client_key(client), kFreeFailures * 4, now);
}

void SignInThrottle::succeeded(const std::string& account) {
    std::lock_guard lock(mutex_);
    entries_.erase(account_key(account));
}

}  // namespace handbook
