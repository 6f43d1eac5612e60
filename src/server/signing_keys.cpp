// The server's signing key file: see signing_keys.h.
#include "signing_keys.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "core/content_trust.h"

namespace handbook {

using nlohmann::json;

namespace {

std::string base64(std::string_view bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);
    return out;
}

std::string key_file_json(const std::string& seed, const std::vector<Endorsement>& chain) {
    json j = {{"format", 1}, {"seed", base64(seed)}, {"endorsements", json::array()}};
    for (const Endorsement& e : chain) j["endorsements"].push_back({{"statement", e.statement}, {"signature", e.signature}});
    return j.dump(2) + "\n";
}

// Writes `text` to `path` with mode 0600: a new file only (`exclusive`), or through a
// temporary file renamed over `path`.
Status write_secret_file(const std::string& path, const std::string& text, bool exclusive) {
    const std::string target = exclusive ? path : path + ".new";
    int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | (exclusive ? O_EXCL : 0) | O_CLOEXEC, 0600);
    if (fd < 0) return Status::fail(StatusCode::io, "cannot create the signing key file " + target + ": " + std::strerror(errno));
    ::fchmod(fd, 0600);  // whatever the umask left
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ::close(fd);
            ::unlink(target.c_str());
            return Status::fail(StatusCode::io, "cannot write the signing key file " + target + " (disk full?)");
        }
        done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(target.c_str());
        return Status::fail(StatusCode::io, "cannot write the signing key file " + target + " (disk full?)");
    }
    if (!exclusive && ::rename(target.c_str(), path.c_str()) != 0) {
        ::unlink(target.c_str());
        return Status::fail(StatusCode::io, "cannot replace the signing key file " + path + ": " + std::strerror(errno));
    }
    return Status::ok();
}

Result<ServerKeys> keys_from(const std::string& path, const std::string& seed, std::vector<Endorsement> chain) {
    auto key = signing_key_from_seed(seed);
    if (!key) return key.status();
    ServerKeys keys{std::move(*key), std::move(chain), path};
    // The chain must end at this key, or devices that follow it would refuse everything.
    std::string at;
    for (const Endorsement& e : keys.chain) {
        auto st = json::parse(e.statement, nullptr, false);
        if (st.is_discarded() || !st.contains("endorses")) return Status::fail(StatusCode::corrupt, path + ": a key endorsement is damaged");
        at = st["endorses"].get<std::string>();
    }
    if (!keys.chain.empty() && at != key_text(keys.key.public_key))
        return Status::fail(StatusCode::corrupt, path + ": the key endorsements do not lead to the key in the file");
    return keys;
}

}  // namespace

std::string default_key_path(const std::string& db_path) { return db_path + ".signing-key"; }

std::string utc_now_text() { return format_utc(static_cast<int64_t>(std::time(nullptr))); }

Result<ServerKeys> load_signing_key(const std::string& path) {
    if (sodium_init() < 0) return Status::fail("libsodium could not start");
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        if (errno == ENOENT) return Status::fail(StatusCode::not_found, "there is no signing key file at " + path);
        return Status::fail(StatusCode::io, "cannot read the signing key file " + path + ": " + std::strerror(errno));
    }
    if (info.st_mode & 077)
        return Status::fail(StatusCode::forbidden, "the signing key file " + path + " may be read by other users: run 'chmod 600 " + path +
                                                       "' (and, if others may have copied it, rotate the key: see README)");
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return Status::fail(StatusCode::io, "cannot read the signing key file " + path);
    auto j = json::parse(text.str(), nullptr, false);
    std::string seed;
    size_t seed_len = 0;
    seed.assign(kSigningSeedBytes, '\0');
    if (j.is_discarded() || !j.is_object() || j.value("format", 0) != 1 || !j.contains("seed") || !j["seed"].is_string() ||
        sodium_base642bin(reinterpret_cast<unsigned char*>(seed.data()), seed.size(), j["seed"].get_ref<const std::string&>().c_str(),
                          j["seed"].get_ref<const std::string&>().size(), nullptr, &seed_len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        seed_len != kSigningSeedBytes)
        return Status::fail(StatusCode::corrupt, "the signing key file " + path + " is damaged; restore it from a backup (a new key would make every tablet refuse this server's content)");
    std::vector<Endorsement> chain;
    if (j.contains("endorsements") && j["endorsements"].is_array())
        for (const json& e : j["endorsements"])
            if (e.is_object() && e.contains("statement") && e.contains("signature"))
                chain.push_back({e["statement"].get<std::string>(), e["signature"].get<std::string>()});
    auto keys = keys_from(path, seed, std::move(chain));
    sodium_memzero(seed.data(), seed.size());
    return keys;
}

Result<ServerKeys> load_or_create_signing_key(const std::string& path, bool* created) {
    if (created) *created = false;
    auto existing = load_signing_key(path);
    if (existing || existing.code() != StatusCode::not_found) return existing;
    std::string seed(kSigningSeedBytes, '\0');
    randombytes_buf(seed.data(), seed.size());
    Status written = write_secret_file(path, key_file_json(seed, {}), true);
    sodium_memzero(seed.data(), seed.size());
    if (!written) {
        // Another process created it meanwhile: use that one.
        if (auto raced = load_signing_key(path); raced) return raced;
        return written;
    }
    if (created) *created = true;
    return load_signing_key(path);
}

Result<ServerKeys> rotate_signing_key(const std::string& path, const std::string& made_at) {
    auto old = load_signing_key(path);
    if (!old) return old.status();
    std::string seed(kSigningSeedBytes, '\0');
    randombytes_buf(seed.data(), seed.size());
    auto fresh = signing_key_from_seed(seed);
    if (!fresh) return fresh.status();
    std::vector<Endorsement> chain = old->chain;
    chain.push_back(endorse(old->key, fresh->public_key, made_at));
    if (chain.size() > kMaxEndorsements)
        return Status::fail(StatusCode::invalid, "the key has been rotated " + std::to_string(kMaxEndorsements) +
                                                     " times; devices follow at most that many endorsements");
    Status written = write_secret_file(path, key_file_json(seed, chain), false);
    sodium_memzero(seed.data(), seed.size());
    if (!written) return written;
    return load_signing_key(path);
}

}  // namespace handbook
