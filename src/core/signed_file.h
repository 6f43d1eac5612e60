// Signed content: how a device tells what its server published from anything else.
//
// Everything a device applies (a change-feed page, a snapshot, a static tree's "latest"
// pointer) travels as a *signed file*: one line of JSON, then the body, unchanged:
//
//   {"signed":1,"statement":"<statement JSON>","signature":"<base64>","endorsements":[...]}\n
//   <body bytes: the feed page's JSON, the snapshot's SQLite file, the pointer's JSON>
//
// The statement says what the body is and is what the signature (Ed25519, libsodium)
// covers, byte for byte as sent: {"kind", "server" (the store's identity), "after",
// "latest", "head" (positions in its change sequence), "made_at" (UTC, when it was
// signed), "sha256" and "bytes" (of the body), "key" (the signing key)}. A reader checks
// the signature with the key it trusts, then the body's hash and length, then (the
// caller) that the statement's fields are the body's own.
//
// Keys rotate by endorsement: the server's old key signs a statement of kind "key" that
// names the new key ("endorses"), and every signed file carries the chain of
// endorsements from its first key to its current one. A device trusting an older key
// follows the chain (each link checked with the key before it) and from then on trusts
// the newest key only, so files signed by a retired key are refused afterwards.
//
// Key text: "ed25519:" + the 32-byte public key in unpadded URL-safe base64.
// Known limitations: rotation is for planned key changes; a stolen key can endorse a key
// of the thief's, so a compromised key means resetting the devices' trust (see README).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "result.h"

namespace handbook {

inline constexpr size_t kSigningSeedBytes = 32;
inline constexpr size_t kMaxSignedHeaderBytes = 64 * 1024;  // the header line (chain included)
inline constexpr size_t kMaxEndorsements = 32;

struct SigningKey {
    std::string secret;      // libsodium's 64-byte secret key (seed + public key)
    std::string public_key;  // 32 bytes
};

// The key pair for a 32-byte seed (the server keeps the seed; see src/server/signing_keys.h).
Result<SigningKey> signing_key_from_seed(std::string_view seed);

std::string key_text(std::string_view public_key);
// The 32 raw bytes of a key text, or why it is not one.
Result<std::string> parse_key_text(std::string_view text);

std::string sha256_hex(std::string_view bytes);

struct SignedStatement {
    std::string kind;      // "feed", "snapshot", "latest", "key"
    std::string server;    // the store's identity (schema.h store_identity)
    int64_t after = 0;     // feed: the position it starts after
    int64_t latest = 0;    // feed: its last change; snapshot: its position; latest: the head
    int64_t head = 0;      // the server's newest change when it was signed
    std::string made_at;   // UTC "2026-12-05T10:00:00Z"
    std::string sha256;    // of the body (filled by seal)
    uint64_t bytes = 0;    // of the body (filled by seal)
    std::string key;       // the signer's key text (filled by seal)
    std::string endorses;  // kind "key": the key text it endorses
};

// A statement of `kind` about the store `server` at those positions, signed at `made_at`.
SignedStatement statement_of(std::string kind, std::string server, int64_t after, int64_t latest, int64_t head, std::string made_at);

struct Endorsement {
    std::string statement;  // the statement's JSON, as signed
    std::string signature;  // base64
};

// `body` signed with `key`, with `chain` (the endorsements that lead to `key`).
std::string seal(const SigningKey& key, SignedStatement statement, std::string_view body,
                 const std::vector<Endorsement>& chain = {});

// `old_key` vouching for `new_public_key` from `made_at` on.
Endorsement endorse(const SigningKey& old_key, std::string_view new_public_key, const std::string& made_at);

struct OpenedFile {
    SignedStatement statement;
    std::string_view body;   // points into the file given to open_signed
    std::string signer;      // the key text that signed it: the device's key from now on
};

// Checks `file` against `trusted_key` (key text): the signature is the trusted key's, or
// the key a chain of endorsements starting at the trusted key leads to; the body is the
// one the statement names. Fails with `untrusted` (unsigned, forged, another key, a
// broken chain, a body that is not the one signed) or `invalid` (not a signed file).
Result<OpenedFile> open_signed(std::string_view file, std::string_view trusted_key);

// The header of a signed file without checking anything (for tools and messages).
Result<SignedStatement> peek_statement(std::string_view file);

}  // namespace handbook
