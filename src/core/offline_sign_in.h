// Signing in on a device without the network, for a person who signed in on it before
// (issue 19: switching person on a shared tablet while it is offline). When the server
// accepts a password, the device keeps a verifier of it: libsodium's argon2id string
// (salted, deliberately slow and memory-hard, never the password itself), with the role
// the server gave. Offline, the same password checks against it. What such a person does
// offline waits in the outbox under their name; the server takes it only from a session
// of theirs, so nobody acknowledges as someone else.
//
// Known limits: a verifier is as strong as the password against someone who copies the
// device's store (argon2id makes each guess cost 64 MiB and a fraction of a second); a
// password changed on the server works offline here only after one online sign-in.
#pragma once
#include <string>

#include "database.h"

namespace handbook {

// Keeps a verifier of `password` for `name` (and the role the server gave).
Status remember_offline_verifier(Database& device, const std::string& name, const std::string& role, const std::string& password);

struct OfflineSignIn {
    enum class Outcome { signed_in, unknown_person, wrong_password } outcome = Outcome::unknown_person;
    std::string role;  // when signed_in
};
// Checks `password` against the verifier kept for `name`.
Result<OfflineSignIn> check_offline_password(Database& device, const std::string& name, const std::string& password);

}  // namespace handbook
