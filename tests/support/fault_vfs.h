// A SQLite VFS for tests that makes the disk fail on purpose: "handbook-faulty" passes
// everything to the default VFS until the planned write, from which on every write (and
// truncate) fails with the planned error, as a disk that has filled up stays full.
// Open a database with OpenOptions::vfs / StoreOptions::vfs = kFaultVfsName to use it.
#pragma once
#include <cstdint>

namespace handbook::test {

inline constexpr const char* kFaultVfsName = "handbook-faulty";

struct FaultPlan {
    int64_t writes_before_failure = -1;  // -1: never fail
    int error = 13;                      // SQLITE_FULL; SQLITE_IOERR_WRITE is (10 | 3 << 8)
    int64_t writes_seen = 0;             // counted for every file of the VFS
    int64_t failures = 0;                // writes refused so far
};

// Registers the VFS once (not as the default) and returns its plan, which tests set.
FaultPlan& fault_vfs();

}  // namespace handbook::test
