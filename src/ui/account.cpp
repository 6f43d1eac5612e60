#include "account.h"

#include <cstring>
#include <nlohmann/json.hpp>

#include "app_actions.h"
#include "server_answer.h"
#include "core/offline_sign_in.h"

namespace handbook::ui {

namespace {

std::string sentence(std::string text) {
    if (text.empty()) return text;
    if (text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
    if (text.back() != '.') text += '.';
    return text;
}

}  // namespace

bool read_account(const std::string& body, Account* account) {
    const auto j = nlohmann::json::parse(body, nullptr, false);
    if (!j.is_object() || !j.contains("name") || !j["name"].is_string() || !j.contains("role") || !j["role"].is_string())
        return false;
    account->signed_in = true;
    account->name = j["name"].get<std::string>();
    account->role = j["role"].get<std::string>();
    account->categories.clear();
    if (j.contains("categories") && j["categories"].is_array())
        for (const auto& c : j["categories"])
            if (c.is_string()) account->categories.push_back(c.get<std::string>());
    return true;
}

std::string sign_in_failure(int status, const std::string& body) {
    const std::string error = server_error_field(body);
    switch (status) {
    case 0:
        return "The server cannot be reached (" + (body.empty() ? std::string("no answer") : body) +
               "). Without it, only someone who has signed in on this device before can sign in; reading works without it.";
    case 400: return "Enter your user name and password.";
    case 401: return "Wrong user name or password.";
    case 429: return sentence(error.empty() ? "too many failed sign-ins: wait a few minutes, then try again" : error);
    default: break;
    }
    return "Signing in failed (" + std::to_string(status) + (error.empty() ? "" : ": " + error) + "). Try again later.";
}

void check_account(AppState& state, const UiPlatform& platform) {
    if (!platform.api) return;
    platform.api("GET", "api/session", "", [&state](int status, const std::string& body) {
        if (status != 200) return;  // offline, a server error: the app keeps what it knew
        state.account_checked = true;
        Account account;
        if (read_account(body, &account)) state.account = account;
        else state.account = Account{};
        state.draft_sending.look = true;  // drafts kept meanwhile go up with this session  // {"signed_in": false}: the session ended (or never was)
    });
}

namespace {

// Zeroes a password before its memory is given back (volatile: not optimised away).
void wipe(std::string& secret) {
    volatile char* p = secret.data();
    for (size_t i = 0; i < secret.size(); ++i) p[i] = 0;
    secret.clear();
    secret.shrink_to_fit();
}

void forget_resume(AppState& state) {
    wipe(state.resume.password);
    state.resume = SessionResume{};
}

// A server session has begun for `account`: what waited for one goes up now.
void session_began(AppState& state, const Account& account) {
    state.account = account;
    state.draft_sending.look = true;
    state.draft_sending.retry_at = 0;
    state.outbox.look = true;  // what they did offline goes up with this session
    state.outbox.retry_at = 0;
    state.outbox.asked_for.clear();
}

}  // namespace

void resume_session(AppState& state, Library& library, const UiPlatform& platform) {
    SessionResume& r = state.resume;
    if (!r.due || r.busy || r.password.empty() || !platform.api) return;
    r.due = false;
    if (!state.account.signed_in || state.account.name != r.name) {
        forget_resume(state);  // signed out, or someone else since
        return;
    }
    r.busy = true;
    const nlohmann::json request = {{"user", r.name}, {"password", r.password}};
    // The device store outlives any Library (a download replaces that one meanwhile).
    Database* device = library.device;
    platform.api("POST", "api/session", request.dump(), [&state, device, &platform](int status, const std::string& body) {
        SessionResume& rs = state.resume;
        rs.busy = false;
        if (status == 0) return;  // the network went again: the next sync tries again
        Account account;
        const bool same_person = state.account.signed_in && state.account.name == rs.name;
        if (status == 200 && read_account(body, &account) && same_person) {
            session_began(state, account);
            state.news.message = "Signed in with the server again: what you did without the network is on its way.";
            if (device && remember_offline_verifier(*device, account.name, account.role, rs.password) && platform.persist)
                platform.persist();  // the role may have changed
        } else if (same_person) {
            state.news.message = "What you did without the network is kept on this device. To send it, sign in again: " +
                                 sign_in_failure(status, body);
        }
        forget_resume(state);
    });
}

void submit_sign_in(AppState& state, Library& library, const UiPlatform& platform) {
    SignInForm& form = state.sign_in;
    if (form.busy) return;
    if (form.name[0] == '\0' || form.password[0] == '\0') {
        form.message = "Enter your user name and password.";
        return;
    }
    if (!platform.api) {
        form.message = sign_in_failure(0, "");
        return;
    }
    form.busy = true;
    form.message.clear();
    const nlohmann::json request = {{"user", std::string(form.name.data())}, {"password", std::string(form.password.data())}};
    // The answer takes only what outlives a Library: the device store, the state, the
    // platform (the Library itself may be replaced before it comes; SignInForm::leave).
    Database* device = library.device;
    platform.api("POST", "api/session", request.dump(), [&state, device, &platform](int status, const std::string& body) {
        SignInForm& f = state.sign_in;
        f.busy = false;
        Account account;
        if (status == 200 && read_account(body, &account)) {
            forget_resume(state);
            session_began(state, account);
            // A verifier of the password, so this person can sign in here without the
            // network next time (offline_sign_in.h). Not being able to keep one is said,
            // not fatal.
            if (device) {
                if (Status st = remember_offline_verifier(*device, account.name, account.role, f.password.data()); !st)
                    state.sync.message = "Signing in offline on this device will not work: " + st.error;
                else if (platform.persist)
                    platform.persist();
            }
            std::memset(f.password.data(), 0, f.password.size());
            f.leave = true;
            return;
        }
        if (status == 0 && device) {
            // No network: a person who signed in on this device before may sign in again.
            auto offline = check_offline_password(*device, f.name.data(), f.password.data());
            if (offline && offline->outcome == OfflineSignIn::Outcome::signed_in) {
                state.account = Account{true, f.name.data(), offline->role, true, {}};
                forget_resume(state);
                state.resume.name = f.name.data();
                state.resume.password = f.password.data();  // until the network is back (SessionResume)
                std::memset(f.password.data(), 0, f.password.size());
                f.leave = true;
                return;
            }
            if (offline && offline->outcome == OfflineSignIn::Outcome::wrong_password) {
                f.message = "Wrong password. (The server cannot be reached: it was checked against this device's record.)";
                return;
            }
            if (!offline) {
                f.message = offline.error() + ".";
                return;
            }
        }
        f.message = status == 200 ? "The server's answer could not be read. Try again later." : sign_in_failure(status, body);
    });
}

void leave_sign_in(AppState& state, Library& library, const UiPlatform& platform) {
    std::memset(state.sign_in.password.data(), 0, state.sign_in.password.size());
    apply_route(state, library, state.before_sign_in, platform);
    // apply_route follows the address bar; here the app moves it.
    if (platform.set_route) platform.set_route(format_route(state.shown_route), false);
}

void sign_out(AppState& state, const UiPlatform& platform) {
    state.account = Account{};
    forget_resume(state);
    if (platform.api) platform.api("DELETE", "api/session", "", [](int, const std::string&) {});
}

}  // namespace handbook::ui
