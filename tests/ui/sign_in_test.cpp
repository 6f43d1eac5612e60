// Signing in from the app, headless: the form by its fields' names, the request it sends,
// what each kind of answer shows, the account menu and signing out. The server is a fake
// platform.api whose answers the test gives.
#include <gtest/gtest.h>
#include <algorithm>
#include "core/offline_sign_in.h"
#include "news.h"
#include <imgui.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "account.h"
#include "app_actions.h"
#include "core/device_store.h"
#include "core/schema.h"
#include "core/article_store.h"
#include "ui_harness.h"

namespace handbook::test {
namespace {

using ui::Screen;
using ui::SemanticRole;

struct FakeServer {
    struct Call {
        std::string method, path, body;
        std::function<void(int, const std::string&)> answer;
    };
    std::vector<Call> calls;
    void install(UiHarness& ui) {
        ui.platform.api = [this](const std::string& method, const std::string& path, const std::string& body,
                                 std::function<void(int, const std::string&)> answer) {
            calls.push_back({method, path, body, std::move(answer)});
        };
    }
};

// Opens the sign-in screen from the top bar's "Sign in" and types a name and password.
void fill_form(UiHarness& ui, const std::string& name, const std::string& password) {
    ui.frame(2);
    ASSERT_TRUE(ui.click_widget("Sign in")) << "the bar offers Sign in";
    ui.frame(2);
    ASSERT_EQ(ui.state.screen, Screen::sign_in);
    ui.type(name);  // the name field has the keyboard when the form opens
    ASSERT_TRUE(ui.click_widget("Password"));
    ui.type(password);
}

TEST(SignIn, SignsInReturnsWhereThePersonWasAndShowsTheAccountMenu) {
    UiHarness ui;
    FakeServer server;
    server.install(ui);
    ui::open_article(ui.state, *ui.library, "late-deliveries");
    ui.frame(2);
    fill_form(ui, "jurgen", "correct horse battery");
    const ui::SemanticNode* field = ui.state.semantics.find("User name", SemanticRole::text_field);
    ASSERT_NE(field, nullptr);
    EXPECT_EQ(field->value, "jurgen");
    const ui::SemanticNode* password = ui.state.semantics.find("Password", SemanticRole::text_field);
    ASSERT_NE(password, nullptr);
    EXPECT_TRUE(password->password);
    EXPECT_EQ(password->value, "") << "the password is never put in the page";
    ui.press(13);  // Enter in the password field signs in
    ASSERT_EQ(server.calls.size(), 1u);
    EXPECT_EQ(server.calls[0].method, "POST");
    EXPECT_EQ(server.calls[0].path, "api/session");
    const auto sent = nlohmann::json::parse(server.calls[0].body);
    EXPECT_EQ(sent["user"], "jurgen");
    EXPECT_EQ(sent["password"], "correct horse battery");
    ui.frame();
    EXPECT_TRUE(ui.state.sign_in.busy);
    EXPECT_EQ(server.calls.size(), 1u) << "one request while it is on its way";

    server.calls[0].answer(200, R"({"name":"jurgen","role":"editor","categories":[],"disabled":false})");
    ui.frame(2);
    EXPECT_TRUE(ui.state.account.signed_in);
    EXPECT_EQ(ui.state.account.role, "editor");
    EXPECT_EQ(ui.state.screen, Screen::article) << "back to the article the person was reading";
    EXPECT_EQ(ui.state.reader.slug, "late-deliveries");
    ASSERT_FALSE(ui.routes.empty());
    EXPECT_EQ(ui.routes.back(), std::make_pair(std::string("#/a/late-deliveries"), false))
        << "the address bar's sign-in entry becomes the article again (a reload stays there)";
    EXPECT_EQ(ui.state.sign_in.password[0], '\0') << "the password is wiped";

    ASSERT_TRUE(ui.click_widget("Account: jurgen"));
    ui.frame(2);
    ASSERT_NE(ui.state.semantics.find("Signed in as editor", SemanticRole::paragraph), nullptr);
    ASSERT_TRUE(ui.click_widget("Sign out"));
    EXPECT_FALSE(ui.state.account.signed_in);
    ASSERT_EQ(server.calls.size(), 2u);
    EXPECT_EQ(server.calls[1].method, "DELETE");
    ui.frame(2);
    EXPECT_NE(ui.widget("Sign in"), nullptr) << "the bar offers Sign in again";
}

// A first visit shows the downloaded library until the device's own store is open, then
// swaps the Library for one over that store (src/web/main.cpp, show_store), and a sign-in
// may be on its way meanwhile. Its answer must not use the Library it was sent from: it
// returns the person to their article from the library on screen when the answer comes.
// (The answer kept a reference to the first Library, gone by then.)
TEST(SignIn, AnAnswerAfterTheLibraryWasReplacedUsesTheLibraryOnScreen) {
    UiHarness ui;
    Database& device = ui.open_device();
    FakeServer server;
    server.install(ui);
    ui::open_article(ui.state, *ui.library, "late-deliveries");
    ui.frame(2);
    fill_form(ui, "jurgen", "correct horse battery");
    ui.press(13);
    ASSERT_EQ(server.calls.size(), 1u);

    // The device's store opens: a new Library over another database, the old ones gone.
    auto store = open_store(":memory:");
    ASSERT_TRUE(store);
    auto db = std::move(*store);
    ASSERT_TRUE(save_article(*db, make_article("late-deliveries", "Late deliveries (as kept on this device)", "Delivery and escalation",
                                                {"late"}, "Logistics", "A parcel that is late gets a refund.")));
    auto engine = SearchEngine::create(*db);
    ASSERT_TRUE(engine);
    ui.library.reset();
    ui.engine = std::move(*engine);
    ui.db = std::move(db);
    ui.library = std::make_unique<ui::Library>(ui::Library{*ui.db, *ui.engine, &device});

    server.calls[0].answer(200, R"({"name":"jurgen","role":"editor","categories":[],"disabled":false})");
    ui.frame(2);
    EXPECT_TRUE(ui.state.account.signed_in);
    EXPECT_EQ(ui.state.screen, Screen::article);
    ASSERT_TRUE(ui.state.reader.article.has_value());
    EXPECT_EQ(ui.state.reader.article->article.title, "Late deliveries (as kept on this device)")
        << "the article comes from the library on screen now";
    auto offline = check_offline_password(device, "jurgen", "correct horse battery");
    ASSERT_TRUE(offline);
    EXPECT_EQ(offline->outcome, OfflineSignIn::Outcome::signed_in) << "the device still keeps the verifier";
}

TEST(SignIn, SaysWhatWentWrongInWordsAPersonCanActOn) {
    EXPECT_EQ(ui::sign_in_failure(401, R"({"error":"wrong user name or password"})"), "Wrong user name or password.");
    EXPECT_EQ(ui::sign_in_failure(429, R"({"error":"too many failed sign-ins: wait 240 seconds, then try again"})"),
              "Too many failed sign-ins: wait 240 seconds, then try again.");
    EXPECT_NE(ui::sign_in_failure(0, "this device is offline").find("this device is offline"), std::string::npos);
    EXPECT_NE(ui::sign_in_failure(0, "").find("reading works without it"), std::string::npos);
    EXPECT_NE(ui::sign_in_failure(503, "not json").find("503"), std::string::npos);

    UiHarness ui;
    FakeServer server;
    server.install(ui);
    fill_form(ui, "amira", "wrong");
    ASSERT_TRUE(ui.click_widget("Sign in")) << "the form's own Sign in button";
    ASSERT_FALSE(server.calls.empty());
    server.calls.back().answer(401, R"({"error":"wrong user name or password"})");
    ui.frame(2);
    EXPECT_FALSE(ui.state.account.signed_in);
    EXPECT_EQ(ui.state.screen, Screen::sign_in) << "the form stays, with what was typed";
    EXPECT_NE(ui.state.semantics.find("Wrong user name or password.", SemanticRole::status), nullptr);
    EXPECT_EQ(ui.state.semantics.status_announcement, "Wrong user name or password.");
    EXPECT_FALSE(ui.state.sign_in.busy);
}

TEST(SignIn, AnEmptyFormIsNotSentAndCancelGoesBack) {
    UiHarness ui;
    FakeServer server;
    server.install(ui);
    ui.type("parcel");
    ui.frame();
    ui::open_sign_in(ui.state);
    ui.frame(2);
    ASSERT_TRUE(ui.click_widget("Sign in"));
    EXPECT_TRUE(server.calls.empty());
    EXPECT_EQ(ui.state.sign_in.message, "Enter your user name and password.");
    ASSERT_TRUE(ui.click_widget("Cancel"));
    EXPECT_EQ(ui.state.screen, Screen::search);
    EXPECT_EQ(ui.state.search.query, "parcel");
}

TEST(SignIn, AtStartTheAppAsksWhoIsSignedIn) {
    UiHarness ui;
    FakeServer server;
    server.install(ui);
    ui::check_account(ui.state, ui.platform);
    ASSERT_EQ(server.calls.size(), 1u);
    EXPECT_EQ(server.calls[0].path, "api/session");
    EXPECT_EQ(server.calls[0].method, "GET");
    server.calls[0].answer(200, R"({"name":"amira","role":"approver"})");
    EXPECT_TRUE(ui.state.account.signed_in);
    ui::check_account(ui.state, ui.platform);
    server.calls[1].answer(0, "this device is offline");
    EXPECT_TRUE(ui.state.account.signed_in) << "offline, the app keeps what it knew";
    ui::check_account(ui.state, ui.platform);
    server.calls[2].answer(200, R"({"signed_in":false})");
    EXPECT_FALSE(ui.state.account.signed_in) << "the session ended";
}

// A shared tablet without the network: someone who signed in on it before signs in again
// (checked against the device's argon2id verifier, never the password); a wrong password
// and a person the device has not seen are refused in words.
TEST(SignIn, SomeoneWhoSignedInHereBeforeSignsInAgainWithoutTheNetwork) {
    UiHarness ui;
    Database* device = &ui.open_device();
    FakeServer server;
    server.install(ui);
    fill_form(ui, "sam", "counter tablet phrase");
    ui.press(13);
    ASSERT_FALSE(server.calls.empty());
    server.calls.back().answer(200, R"({"name":"sam","role":"staff","categories":[],"disabled":false})");
    ui.frame(2);
    ASSERT_TRUE(ui.state.account.signed_in);
    auto kept = device_value(*device, "verifier:sam");
    ASSERT_TRUE(kept.is_ok());
    EXPECT_NE(kept->find("$argon2id$"), std::string::npos);
    EXPECT_EQ(kept->find("counter tablet phrase"), std::string::npos) << "never the password";
    ASSERT_TRUE(ui.click_widget("Account: sam"));
    ui.frame(2);
    ASSERT_TRUE(ui.click_widget("Sign out"));
    ui.frame(2);

    // Offline: the wrong password, a stranger, then the right one.
    auto offline_attempt = [&](const std::string& name, const std::string& password) {
        server.calls.clear();
        fill_form(ui, name, password);
        ui.press(13);
        ASSERT_FALSE(server.calls.empty());
        server.calls.back().answer(0, "this device is offline");
        ui.frame(2);
    };
    offline_attempt("sam", "counter tablet phrse");
    EXPECT_FALSE(ui.state.account.signed_in);
    EXPECT_NE(ui.state.sign_in.message.find("Wrong password"), std::string::npos) << ui.state.sign_in.message;
    ASSERT_TRUE(ui.click_widget("Cancel"));
    ui.frame(2);
    offline_attempt("kim", "counter tablet phrase");
    EXPECT_FALSE(ui.state.account.signed_in);
    EXPECT_NE(ui.state.sign_in.message.find("only someone who has signed in on this device before"), std::string::npos)
        << ui.state.sign_in.message;
    ASSERT_TRUE(ui.click_widget("Cancel"));
    ui.frame(2);
    offline_attempt("sam", "counter tablet phrase");
    EXPECT_TRUE(ui.state.account.signed_in);
    EXPECT_EQ(ui.state.account.name, "sam");
    EXPECT_EQ(ui.state.account.role, "staff");
    EXPECT_TRUE(ui.state.account.remembered) << "not confirmed by the server yet";
    EXPECT_EQ(ui.state.sign_in.password[0], '\0');

    // The network is back: the session begins without asking Sam again, and the password
    // held since is gone.
    auto session_requests = [&] {
        int n = 0;
        for (const auto& c : server.calls) n += c.method == "POST" && c.path == "api/session";
        return n;
    };
    server.calls.clear();
    ui.frame(2);
    EXPECT_EQ(session_requests(), 0) << "not before the network is back";
    ui::sync_reached_server(ui.state);
    ui.frame(2);
    ASSERT_EQ(session_requests(), 1);
    const auto resume = std::find_if(server.calls.begin(), server.calls.end(), [](const auto& c) { return c.path == "api/session"; });
    EXPECT_NE(resume->body.find("\"password\":\"counter tablet phrase\""), std::string::npos);
    resume->answer(200, R"({"name":"sam","role":"staff","categories":[],"disabled":false})");
    ui.frame(2);
    EXPECT_TRUE(ui.state.account.signed_in);
    EXPECT_FALSE(ui.state.account.remembered) << "a server session now";
    EXPECT_TRUE(ui.state.resume.password.empty());
    ui::sync_reached_server(ui.state);
    ui.frame(2);
    EXPECT_EQ(session_requests(), 1) << "once";
}

TEST(SignIn, AnOfflineSignInBecomesASessionOnlyForThatPersonAndAChangedPasswordIsSaid) {
    UiHarness ui;
    Database* device = &ui.open_device();
    ASSERT_TRUE(remember_offline_verifier(*device, "sam", "staff", "counter tablet phrase").is_ok());
    FakeServer server;
    server.install(ui);
    auto sign_in_offline = [&] {
        server.calls.clear();
        fill_form(ui, "sam", "counter tablet phrase");
        ui.press(13);
        ASSERT_FALSE(server.calls.empty());
        server.calls.back().answer(0, "this device is offline");
        ui.frame(2);
        ASSERT_TRUE(ui.state.account.signed_in);
        server.calls.clear();
    };
    // Signed out before the network came back: nothing is sent in Sam's name.
    sign_in_offline();
    ASSERT_TRUE(ui.click_widget("Account: sam"));
    ui.frame(2);
    ASSERT_TRUE(ui.click_widget("Sign out"));
    ui.frame(2);
    EXPECT_TRUE(ui.state.resume.password.empty()) << "wiped at sign-out";
    server.calls.clear();
    ui::sync_reached_server(ui.state);
    ui.frame(2);
    for (const auto& c : server.calls) EXPECT_NE(c.path, "api/session") << "no session for someone signed out";

    // The password was changed on the server meanwhile: Sam is told, and it is not tried again.
    sign_in_offline();
    ui::sync_reached_server(ui.state);
    ui.frame(2);
    ASSERT_EQ(server.calls.size(), 1u);
    server.calls[0].answer(401, R"({"error":"wrong user name or password"})");
    ui.frame(2);
    EXPECT_NE(ui.state.news.message.find("To send it, sign in again: Wrong user name or password."), std::string::npos) << ui.state.news.message;
    EXPECT_TRUE(ui.state.resume.password.empty());
}

}  // namespace
}  // namespace handbook::test
