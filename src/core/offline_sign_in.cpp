// See offline_sign_in.h.
#include "offline_sign_in.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "device_store.h"

namespace handbook {

namespace {

std::string key_of(const std::string& name) { return "verifier:" + name; }

}  // namespace

Status remember_offline_verifier(Database& device, const std::string& name, const std::string& role, const std::string& password) {
    if (name.empty() || password.empty()) return Status::fail(StatusCode::invalid, "a name and a password are needed");
    if (sodium_init() < 0) return Status::fail("the password library (libsodium) could not start");
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return Status::fail("there was not enough memory to keep a verifier for signing in offline");
    const nlohmann::json kept = {{"verifier", std::string(out)}, {"role", role}};
    sodium_memzero(out, sizeof out);
    return save_device_value(device, key_of(name), kept.dump());
}

Result<OfflineSignIn> check_offline_password(Database& device, const std::string& name, const std::string& password) {
    auto kept = device_value(device, key_of(name));
    if (!kept) return kept.status();
    OfflineSignIn result;
    if (kept->empty()) return result;  // never signed in here
    const nlohmann::json j = nlohmann::json::parse(*kept, nullptr, false);
    if (!j.is_object() || !j.contains("verifier") || !j["verifier"].is_string() || !j.contains("role") || !j["role"].is_string())
        return Status::fail(StatusCode::corrupt, "this device's record for signing in offline is damaged: sign in once with the network");
    if (sodium_init() < 0) return Status::fail("the password library (libsodium) could not start");
    const std::string verifier = j["verifier"].get<std::string>();
    if (crypto_pwhash_str_verify(verifier.c_str(), password.data(), password.size()) != 0) {
        result.outcome = OfflineSignIn::Outcome::wrong_password;
        return result;
    }
    result.outcome = OfflineSignIn::Outcome::signed_in;
    result.role = j["role"].get<std::string>();
    return result;
}

}  // namespace handbook
