// What's new: the versions published lately, newest first, from what the replica holds
// (offline too), and where a person's last look left off, so the app can say how many
// came since.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "database.h"

namespace handbook {

struct PublishedChange {
    std::string slug;
    std::string title;
    int version = 0;
    std::string effective;     // when it comes into force (YYYY-MM-DD)
    std::string summary;       // what changed and why
    std::string published_at;  // UTC, ISO 8601
    bool must_acknowledge = false;
    int64_t seq = 0;           // its place in the change sequence: "since the last look" compares these
};

// Published versions, newest first, at most `limit`; a policy's later versions each count.
Result<std::vector<PublishedChange>> recent_changes(Database& replica, int limit);

// How many of `changes` came after `seen_seq` (the newest seq the person had seen).
int changes_after(const std::vector<PublishedChange>& changes, int64_t seen_seq);

}  // namespace handbook
