// See signed_file.h.
#include "signed_file.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

namespace handbook {

using nlohmann::json;

namespace {

constexpr const char* kKeyPrefix = "ed25519:";

std::string to_base64(std::string_view bytes, int variant) {
    std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), variant);
    out.resize(out.size() - 1);  // its NUL
    return out;
}

bool from_base64(std::string_view text, int variant, size_t want, std::string* out) {
    out->assign(want, '\0');
    size_t got = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out->data()), want, text.data(), text.size(), nullptr, &got, &end,
                          variant) != 0)
        return false;
    return got == want && end == text.data() + text.size();
}

std::string sign_text(const SigningKey& key, std::string_view text) {
    unsigned char sig[crypto_sign_ed25519_BYTES];
    crypto_sign_ed25519_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                                 reinterpret_cast<const unsigned char*>(key.secret.data()));
    return to_base64(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig), sodium_base64_VARIANT_ORIGINAL);
}

bool signature_holds(std::string_view text, std::string_view signature_b64, std::string_view public_key) {
    std::string sig;
    if (!from_base64(signature_b64, sodium_base64_VARIANT_ORIGINAL, crypto_sign_ed25519_BYTES, &sig)) return false;
    return crypto_sign_ed25519_verify_detached(reinterpret_cast<const unsigned char*>(sig.data()),
                                               reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                                               reinterpret_cast<const unsigned char*>(public_key.data())) == 0;
}

std::string statement_json(const SignedStatement& s) {
    json j = {{"kind", s.kind}, {"server", s.server}, {"after", s.after}, {"latest", s.latest}, {"head", s.head},
              {"made_at", s.made_at}, {"sha256", s.sha256}, {"bytes", s.bytes}, {"key", s.key}};
    if (!s.endorses.empty()) j["endorses"] = s.endorses;
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool read_text(const json& j, const char* key, std::string* out) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return false;
    *out = it->get<std::string>();
    return true;
}

bool read_int(const json& j, const char* key, int64_t* out) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) return false;
    *out = it->get<int64_t>();
    return *out >= 0;
}

Result<SignedStatement> parse_statement(std::string_view text) {
    json j = json::parse(text.begin(), text.end(), nullptr, false);
    const auto bad = Status::fail(StatusCode::untrusted, "the signed statement is damaged");
    if (j.is_discarded() || !j.is_object()) return bad;
    SignedStatement s;
    int64_t bytes = 0;
    if (!read_text(j, "kind", &s.kind) || !read_text(j, "server", &s.server) || !read_int(j, "after", &s.after) ||
        !read_int(j, "latest", &s.latest) || !read_int(j, "head", &s.head) || !read_text(j, "made_at", &s.made_at) ||
        !read_text(j, "sha256", &s.sha256) || !read_int(j, "bytes", &bytes) || !read_text(j, "key", &s.key))
        return bad;
    s.bytes = static_cast<uint64_t>(bytes);
    read_text(j, "endorses", &s.endorses);
    return s;
}

struct Header {
    std::string statement;
    std::string signature;
    std::vector<Endorsement> chain;
    std::string_view body;
};

Result<Header> split(std::string_view file) {
    const auto unsigned_file = Status::fail(StatusCode::untrusted, "the content is not signed (it has no signature header)");
    size_t newline = file.find('\n');
    if (newline == std::string_view::npos || newline > kMaxSignedHeaderBytes || file.empty() || file[0] != '{')
        return unsigned_file;
    json j = json::parse(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(newline), nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("signed") || j["signed"] != 1) return unsigned_file;
    Header h;
    if (!read_text(j, "statement", &h.statement) || !read_text(j, "signature", &h.signature))
        return Status::fail(StatusCode::untrusted, "the content's signature header is incomplete");
    if (auto it = j.find("endorsements"); it != j.end()) {
        if (!it->is_array() || it->size() > kMaxEndorsements)
            return Status::fail(StatusCode::untrusted, "the content's key endorsements are damaged");
        for (const json& e : *it) {
            Endorsement en;
            if (!e.is_object() || !read_text(e, "statement", &en.statement) || !read_text(e, "signature", &en.signature))
                return Status::fail(StatusCode::untrusted, "the content's key endorsements are damaged");
            h.chain.push_back(std::move(en));
        }
    }
    h.body = file.substr(newline + 1);
    return h;
}

}  // namespace

Result<SigningKey> signing_key_from_seed(std::string_view seed) {
    if (seed.size() != kSigningSeedBytes) return Status::fail(StatusCode::invalid, "a signing key's seed is 32 bytes");
    SigningKey key;
    key.secret.assign(crypto_sign_ed25519_SECRETKEYBYTES, '\0');
    key.public_key.assign(crypto_sign_ed25519_PUBLICKEYBYTES, '\0');
    crypto_sign_ed25519_seed_keypair(reinterpret_cast<unsigned char*>(key.public_key.data()),
                                     reinterpret_cast<unsigned char*>(key.secret.data()),
                                     reinterpret_cast<const unsigned char*>(seed.data()));
    return key;
}

std::string key_text(std::string_view public_key) {
    return kKeyPrefix + to_base64(public_key, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

Result<std::string> parse_key_text(std::string_view text) {
    const std::string_view prefix(kKeyPrefix);
    std::string raw;
    if (text.substr(0, prefix.size()) != prefix ||
        !from_base64(text.substr(prefix.size()), sodium_base64_VARIANT_URLSAFE_NO_PADDING, crypto_sign_ed25519_PUBLICKEYBYTES, &raw))
        return Status::fail(StatusCode::invalid, "'" + std::string(text.substr(0, 80)) +
                                                     "' is not a signing key (ed25519: and 43 characters of base64)");
    return raw;
}

std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

SignedStatement statement_of(std::string kind, std::string server, int64_t after, int64_t latest, int64_t head, std::string made_at) {
    SignedStatement s;
    s.kind = std::move(kind);
    s.server = std::move(server);
    s.after = after;
    s.latest = latest;
    s.head = head;
    s.made_at = std::move(made_at);
    return s;
}

std::string seal(const SigningKey& key, SignedStatement statement, std::string_view body, const std::vector<Endorsement>& chain) {
    statement.sha256 = sha256_hex(body);
    statement.bytes = body.size();
    statement.key = key_text(key.public_key);
    const std::string text = statement_json(statement);
    json header = {{"signed", 1}, {"statement", text}, {"signature", sign_text(key, text)}};
    if (!chain.empty()) {
        header["endorsements"] = json::array();
        for (const Endorsement& e : chain) header["endorsements"].push_back({{"statement", e.statement}, {"signature", e.signature}});
    }
    std::string out = header.dump();
    out.reserve(out.size() + 1 + body.size());
    out += '\n';
    out.append(body.data(), body.size());
    return out;
}

Endorsement endorse(const SigningKey& old_key, std::string_view new_public_key, const std::string& made_at) {
    SignedStatement s;
    s.kind = "key";
    s.made_at = made_at;
    s.key = key_text(old_key.public_key);
    s.endorses = key_text(new_public_key);
    Endorsement e;
    e.statement = statement_json(s);
    e.signature = sign_text(old_key, e.statement);
    return e;
}

Result<SignedStatement> peek_statement(std::string_view file) {
    auto header = split(file);
    if (!header) return header.status();
    return parse_statement(header->statement);
}

Result<OpenedFile> open_signed(std::string_view file, std::string_view trusted_key) {
    auto header = split(file);
    if (!header) return header.status();
    auto statement = parse_statement(header->statement);
    if (!statement) return statement.status();

    // From the trusted key along the endorsements to the key that signed the file. Each
    // link is checked with the key before it; links before the trusted key are skipped
    // (a device that already follows a newer key does not walk back to older ones).
    std::string current(trusted_key);
    for (const Endorsement& link : header->chain) {
        if (current == statement->key) break;
        auto endorsement = parse_statement(link.statement);
        if (!endorsement || endorsement->kind != "key" || endorsement->key != current) continue;
        auto raw = parse_key_text(current);
        if (!raw || !signature_holds(link.statement, link.signature, *raw))
            return Status::fail(StatusCode::untrusted, "a key endorsement in the content is forged (its signature is not " +
                                                           current + "'s)");
        current = endorsement->endorses;
    }
    if (current != statement->key)
        return Status::fail(StatusCode::untrusted, "the content is signed by " + statement->key.substr(0, 60) +
                                                       ", not by the key this device trusts (" + std::string(trusted_key.substr(0, 60)) + ")");
    auto raw = parse_key_text(current);
    if (!raw) return Status::fail(StatusCode::untrusted, raw.error());
    if (!signature_holds(header->statement, header->signature, *raw))
        return Status::fail(StatusCode::untrusted, "the content's signature does not hold: it was altered after signing, or forged");
    if (header->body.size() != statement->bytes || sha256_hex(header->body) != statement->sha256)
        return Status::fail(StatusCode::untrusted, "the content is not what was signed (its length or hash differ from the signed statement)");
    OpenedFile opened;
    opened.statement = std::move(*statement);
    opened.body = header->body;
    opened.signer = current;
    return opened;
}

}  // namespace handbook
