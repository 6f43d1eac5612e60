// Read and acknowledge: which versions a person must still read, from what the replica
// holds and what they acknowledged. The same rules on the server (owners' reports) and on
// a device (a person's "To read" list, offline too).
//
//   - An article's must-read version is its newest version published with "staff must
//     acknowledge" (upcoming ones too: they travel ahead so staff can read before the date).
//   - A person has read it when they acknowledged that version or a later one: a new
//     must-read version asks again; a version published without the flag (a typo fix)
//     does not.
#pragma once
#include <string>
#include <vector>

#include "database.h"

namespace handbook {

struct MustRead {
    std::string slug;
    std::string title;
    int version = 0;
    std::string effective;       // when it comes into force
    std::string acknowledge_by;  // due date ("" = none)
    std::string published_at;
    std::string summary;         // what changed and why
};

struct Acknowledgement {
    std::string slug;
    int version = 0;
    std::string acknowledged_at;  // the device's clock when the person acknowledged (UTC, ISO 8601)
};

struct ToRead {
    MustRead item;
    int last_acknowledged = 0;  // the version this person last acknowledged (0 = none): what changed since
    bool overdue = false;       // past its due date on `today`
};

// Every article's must-read version, from the replica (archived articles included: a
// withdrawal can be a must-read too).
Result<std::vector<MustRead>> must_read_versions(Database& replica);

// What a person still has to read, due first (then by title); `today` YYYY-MM-DD.
std::vector<ToRead> still_to_read(const std::vector<MustRead>& must_read, const std::vector<Acknowledgement>& acknowledged,
                                  const std::string& today);

}  // namespace handbook
