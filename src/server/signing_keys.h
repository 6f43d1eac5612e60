// The server's signing key (src/core/signed_file.h): created on the first start, kept in
// a file of its own outside the database, rotated by endorsement.
//
// Implements: the key file (default: beside the database, `<db>.signing-key`; or
// `--key FILE`), JSON {"format": 1, "seed": "<base64 of 32 bytes>", "endorsements": [...]},
// created with mode 0600 (O_EXCL: two servers starting at once cannot both write one),
// refused when others may read it; rotation writes a new seed and appends the old key's
// endorsement of the new one to the chain, replacing the file atomically (rename).
// Why a file apart from the database: a database copied for a backup, a report or a
// bug report must not carry the key that lets its holder publish to every tablet; and a
// key file can live on a separate, stricter volume.
// Known limitations: the seed is kept unencrypted (as ssh host keys and TLS keys usually
// are): protect it with the file system; a running server reads the file at start, so
// restart `handbook serve` after a rotation.
#pragma once
#include <string>
#include <vector>

#include "core/result.h"
#include "core/signed_file.h"

namespace handbook {

struct ServerKeys {
    SigningKey key;
    std::vector<Endorsement> chain;  // from the first key to `key`
    std::string path;
};

// `<db>.signing-key`: the default place of the key file of the database at `db_path`.
std::string default_key_path(const std::string& db_path);

// Reads the key file at `path`, or creates it (and says so on `created`) when there is none.
Result<ServerKeys> load_or_create_signing_key(const std::string& path, bool* created = nullptr);
// Reads the key file at `path`; fails (not_found) when there is none.
Result<ServerKeys> load_signing_key(const std::string& path);

// Replaces the key in `path` by a new one that the old one endorses (at `made_at`).
Result<ServerKeys> rotate_signing_key(const std::string& path, const std::string& made_at);

// Now, UTC, "2026-12-05T10:00:00Z" (the time signed statements carry).
std::string utc_now_text();

}  // namespace handbook
