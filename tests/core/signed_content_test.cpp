// Signed content on the device side (signed_file.h, content_trust.h, static_tree.h): what
// a device refuses (forged, another key, a replayed old answer, a pointer to an older
// position, a frozen pointer) and that nothing is applied when it does. Runs natively and
// compiled to WebAssembly (the app's own checks).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/article_store.h"
#include "core/change_feed.h"
#include "core/content_trust.h"
#include "core/device_snapshot.h"
#include "core/device_store.h"
#include "core/schema.h"
#include "core/signed_file.h"
#include "core/static_tree.h"
#include "test_corpus.h"

using namespace handbook;

namespace {

SigningKey key_from(char fill) { return *signing_key_from_seed(std::string(kSigningSeedBytes, fill)); }

std::string signed_feed(Database& server, const SigningKey& key, int64_t after, const std::string& made_at,
                        const std::vector<Endorsement>& chain = {}) {
    auto page = change_feed_page(server, after);
    EXPECT_TRUE(page) << page.error();
    return seal_feed_page(key, chain, *page, made_at);
}

// A statement for a body of its own (the tests of the signed file itself).
SignedStatement feed_statement() {
    SignedStatement s;
    s.kind = "feed";
    s.server = std::string(32, 'f');
    s.made_at = "2026-12-05T10:00:00Z";
    return s;
}

DeviceTrust trusting(const SigningKey& key) { return DeviceTrust{key_text(key.public_key), ""}; }

void edit(Database& server, const std::string& slug, const std::string& text) {
    Article a = (*get_article(server, slug))->article;
    a.body += "\n\n" + text;
    ASSERT_TRUE(save_article(server, a, {"ana", "edited"}).is_ok());
}

}  // namespace

TEST(SignedFile, RoundTripsAndNamesItsSigner) {
    SigningKey key = key_from('a');
    std::string file = seal(key, feed_statement(), "{\"body\": 1}");
    auto opened = open_signed(file, key_text(key.public_key));
    ASSERT_TRUE(opened) << opened.error();
    EXPECT_EQ(opened->body, "{\"body\": 1}");
    EXPECT_EQ(opened->statement.kind, "feed");
    EXPECT_EQ(opened->statement.bytes, 11u);
    EXPECT_EQ(opened->signer, key_text(key.public_key));
    EXPECT_EQ(key_text(key.public_key).size(), 8u + 43u);
    EXPECT_TRUE(parse_key_text(key_text(key.public_key)));
    EXPECT_FALSE(parse_key_text("ed25519:short"));
    EXPECT_FALSE(parse_key_text("__HANDBOOK_KEY__"));
}

TEST(SignedFile, EveryAlterationIsRefused) {
    SigningKey key = key_from('a');
    const std::string file = seal(key, feed_statement(), "policy text");
    const std::string trusted = key_text(key.public_key);
    // The body changed by one byte, cut short, lengthened: the hash no longer holds.
    std::string body_changed = file;
    body_changed.back() = 'X';
    std::string statement_changed = file;
    statement_changed.replace(statement_changed.find("2026-12-05"), 10, "2027-12-05");
    std::string signature_changed = file;
    signature_changed[signature_changed.find("\"signature\":\"") + 14] ^= 1;
    for (const std::string& bad : {body_changed, file.substr(0, file.size() - 1), file + " ", statement_changed, signature_changed,
                                   std::string("policy text"), std::string("{\"signed\":1}\npolicy text"), std::string()}) {
        auto opened = open_signed(bad, trusted);
        ASSERT_FALSE(opened) << bad.substr(0, 80);
        EXPECT_EQ(opened.code(), StatusCode::untrusted) << opened.error();
    }
}

TEST(SignedFeed, AForgedPageIsRefusedAndNothingApplied) {
    auto server = test::fixture_store();
    auto device = test::empty_store();
    SigningKey key = key_from('a');
    DeviceTrust trust = trusting(key);
    std::string file = signed_feed(*server, key, 0, "2026-12-05T10:00:00Z");
    // A man in the middle rewrites a policy in the page but keeps the signature.
    const size_t at = file.find("Refund");
    ASSERT_NE(at, std::string::npos);
    file.replace(at, 6, "Refuse");
    auto applied = apply_signed_feed(*device, trust, file);
    ASSERT_FALSE(applied);
    EXPECT_EQ(applied.code(), StatusCode::untrusted) << applied.error();
    EXPECT_EQ(test::held_seq(*device), 0);
    EXPECT_TRUE(list_articles(*device)->empty());
    EXPECT_EQ(trust.newest_made_at, "");  // nothing noted either

    // Unsigned (a format-2 answer as an older server sent it) is refused too.
    auto unsigned_answer = apply_signed_feed(*device, trust, test::feed(*server, 0));
    ASSERT_FALSE(unsigned_answer);
    EXPECT_EQ(unsigned_answer.code(), StatusCode::untrusted);
    EXPECT_TRUE(list_articles(*device)->empty());
}

TEST(SignedFeed, APageSignedByAnotherKeyIsRefused) {
    auto server = test::fixture_store();
    auto device = test::empty_store();
    DeviceTrust trust = trusting(key_from('a'));
    auto applied = apply_signed_feed(*device, trust, signed_feed(*server, key_from('b'), 0, "2026-12-05T10:00:00Z"));
    ASSERT_FALSE(applied);
    EXPECT_EQ(applied.code(), StatusCode::untrusted);
    EXPECT_NE(applied.error().find("not by the key this device trusts"), std::string::npos) << applied.error();
    EXPECT_EQ(test::held_seq(*device), 0);
    EXPECT_EQ(trust.key, key_text(key_from('a').public_key));
}

TEST(SignedFeed, AStatementThatDoesNotMatchItsPageIsRefused) {
    auto server = test::fixture_store();
    auto device = test::empty_store();
    SigningKey key = key_from('a');
    DeviceTrust trust = trusting(key);
    auto page = change_feed_page(*server, 0);
    ASSERT_TRUE(page);
    SignedStatement s;
    s.kind = "feed";
    s.server = page->server;
    s.latest = page->latest;
    s.head = page->head + 100;  // claims a head the page does not say
    s.made_at = "2026-12-05T10:00:00Z";
    auto applied = apply_signed_feed(*device, trust, seal(key, s, page->json));
    ASSERT_FALSE(applied);
    EXPECT_EQ(applied.code(), StatusCode::untrusted);
    s.head = page->head;
    s.kind = "snapshot";  // a genuine signature on something else
    EXPECT_FALSE(apply_signed_feed(*device, trust, seal(key, s, page->json)));
    EXPECT_EQ(test::held_seq(*device), 0);
}

TEST(SignedFeed, AnOldPageReplayedIsRefused) {
    auto server = test::fixture_store();
    auto device = test::empty_store();
    SigningKey key = key_from('a');
    DeviceTrust trust = trusting(key);
    ASSERT_TRUE(apply_signed_feed(*device, trust, signed_feed(*server, key, 0, "2026-12-05T10:00:00Z")));
    const int64_t held = test::held_seq(*device);
    // "Nothing new" as the server said it at 10:05: recorded by an attacker.
    const std::string old_nothing_new = signed_feed(*server, key, held, "2026-12-05T10:05:00Z");
    const std::string at_eleven = signed_feed(*server, key, held, "2026-12-05T11:00:00Z");
    ASSERT_TRUE(apply_signed_feed(*device, trust, at_eleven));
    EXPECT_EQ(trust.newest_made_at, "2026-12-05T11:00:00Z");

    // A publish happens; the attacker keeps answering with the old "nothing new".
    edit(*server, "late-deliveries", "Express parcels are late after one working day.");
    auto replayed = apply_signed_feed(*device, trust, old_nothing_new);
    ASSERT_FALSE(replayed);
    EXPECT_EQ(replayed.code(), StatusCode::replayed) << replayed.error();
    EXPECT_EQ(trust.newest_made_at, "2026-12-05T11:00:00Z");
    // The same answer again (equal time) is no replay: a device may ask twice a minute.
    EXPECT_TRUE(apply_signed_feed(*device, trust, at_eleven));
    EXPECT_EQ(test::held_seq(*device), held);
    // The genuine answer is applied.
    auto fresh = apply_signed_feed(*device, trust, signed_feed(*server, key, held, "2026-12-05T11:01:00Z"));
    ASSERT_TRUE(fresh) << fresh.error();
    EXPECT_EQ(fresh->articles_changed, 1);
}

TEST(SignedFeed, ARotatedKeyIsFollowedAndTheOldOneRetired) {
    auto server = test::fixture_store();
    auto device = test::empty_store();
    SigningKey old_key = key_from('a'), new_key = key_from('c');
    DeviceTrust trust = trusting(old_key);
    const std::vector<Endorsement> chain = {endorse(old_key, new_key.public_key, "2026-12-05T09:00:00Z")};
    auto applied = apply_signed_feed(*device, trust, signed_feed(*server, new_key, 0, "2026-12-05T10:00:00Z", chain));
    ASSERT_TRUE(applied) << applied.error();
    EXPECT_EQ(trust.key, key_text(new_key.public_key));
    // From now on the old key's answers are refused (a replay of pre-rotation answers).
    auto old = apply_signed_feed(*device, trust, signed_feed(*server, old_key, test::held_seq(*device), "2026-12-05T12:00:00Z"));
    ASSERT_FALSE(old);
    EXPECT_EQ(old.code(), StatusCode::untrusted);
    // A chain that is not the old key's doing leads nowhere.
    auto device2 = test::empty_store();
    DeviceTrust trust2 = trusting(old_key);
    const std::vector<Endorsement> forged = {endorse(key_from('x'), new_key.public_key, "2026-12-05T09:00:00Z")};
    EXPECT_FALSE(apply_signed_feed(*device2, trust2, signed_feed(*server, new_key, 0, "2026-12-05T10:00:00Z", forged)));
    EXPECT_EQ(test::held_seq(*device2), 0);
}

TEST(SignedSnapshot, IsCheckedAgainstTheLibraryInside) {
    auto server = test::fixture_store();
    SigningKey key = key_from('a');
    auto snapshot = build_device_snapshot(*server);
    ASSERT_TRUE(snapshot) << snapshot.error();
    SignedStatement s;
    s.kind = "snapshot";
    s.server = snapshot->server;
    s.latest = snapshot->position;
    s.head = snapshot->position;
    s.made_at = "2026-12-05T10:00:00Z";
    DeviceTrust trust = trusting(key);
    auto library = open_signed_snapshot(seal(key, s, snapshot->bytes), trust);
    ASSERT_TRUE(library) << library.error();
    EXPECT_EQ(library->size(), snapshot->bytes.size());
    s.latest = snapshot->position - 1;  // signed for another position than the file holds
    EXPECT_FALSE(open_signed_snapshot(seal(key, s, snapshot->bytes), trust));
    s.latest = snapshot->position;
    EXPECT_FALSE(open_signed_snapshot(seal(key_from('b'), s, snapshot->bytes), trust));
    EXPECT_FALSE(open_signed_snapshot(snapshot->bytes, trust));  // unsigned
}

namespace {

// A static tree in memory: the pages, the snapshot and the pointer of `server` at its head.
struct Tree {
    std::map<std::string, std::string> files;
    std::string pointer;
};

Tree publish(Database& server, const SigningKey& key, const std::string& made_at, int page_changes = kStaticPageChanges) {
    Tree tree;
    StaticPointer p;
    p.server = *store_identity(server);
    p.head = test::head_seq(server);
    for (int64_t after = 0; after < p.head;) {
        auto page = change_feed_page(server, after, page_changes, true);
        std::string file = seal_feed_page(key, {}, *page, made_at);
        StaticPage entry{page->after, page->latest, "", sha256_hex(file)};
        entry.file = "content/feed/" + entry.sha256;
        tree.files[entry.file] = file;
        p.pages.push_back(entry);
        after = page->latest;
    }
    auto snapshot = build_device_snapshot(server);
    std::string snap = seal_snapshot(key, {}, *snapshot, made_at);
    p.snapshot_sha256 = sha256_hex(snap);
    p.snapshot_file = "content/snapshot/" + p.snapshot_sha256;
    p.snapshot_position = snapshot->position;
    tree.files[p.snapshot_file] = snap;
    tree.pointer = seal_static_pointer(key, {}, p, made_at);
    return tree;
}

// What the app does with a static tree (src/web/main.cpp): the pointer, then its pages.
Status follow(Database& device, DeviceTrust& trust, const Tree& tree) {
    OpenedFile opened;
    auto pointer = open_static_pointer(tree.pointer, trust, &opened);
    if (!pointer) return pointer.status();
    auto held = applied_feed_position(device);
    if (pointer->head < held->seq) return Status::fail(StatusCode::diverged, "behind");
    for (const StaticPage& page : pages_after(*pointer, held->seq)) {
        SignedFeedOptions options;
        options.claim = false;
        options.expected_sha256 = page.sha256;
        options.expected_server = pointer->server;
        auto applied = apply_signed_feed(device, trust, tree.files.at(page.file), options);
        if (!applied) return applied.status();
    }
    accept_claim(trust, opened);
    return record_feed_confirmed(device, pointer->made_at);
}

}  // namespace

TEST(StaticTree, ADeviceFollowsThePagesFromAnyPosition) {
    auto server = test::fixture_store();
    SigningKey key = key_from('a');
    Tree first = publish(*server, key, "2026-12-05T10:00:00Z", 4);  // small windows: several pages
    auto device = test::empty_store();
    DeviceTrust trust = trusting(key);
    ASSERT_TRUE(follow(*device, trust, first));
    EXPECT_EQ(test::held_seq(*device), test::head_seq(*server));
    EXPECT_EQ(applied_feed_position(*device)->confirmed_at, "2026-12-05T10:00:00Z");

    // Two publishes later the device (in the middle of a window) applies only what is new.
    edit(*server, "late-deliveries", "Express parcels are late after one working day.");
    edit(*server, "damaged-deliveries", "Keep the box.");
    Tree second = publish(*server, key, "2026-12-05T10:15:00Z", 4);
    ASSERT_TRUE(follow(*device, trust, second));
    EXPECT_EQ(test::held_seq(*device), test::head_seq(*server));
    EXPECT_NE((*get_article(*device, "damaged-deliveries"))->article.body.find("Keep the box."), std::string::npos);
    EXPECT_EQ(trust.newest_made_at, "2026-12-05T10:15:00Z");
}

TEST(StaticTree, AFileSwappedForAnotherGenuineOneIsRefused) {
    auto server = test::fixture_store();
    SigningKey key = key_from('a');
    Tree tree = publish(*server, key, "2026-12-05T10:00:00Z", 4);
    ASSERT_GE(tree.files.size(), 3u);
    // A CDN (or an attacker) serves the second page's bytes under the first page's name.
    auto pointer = parse_static_pointer(std::string_view(tree.pointer).substr(tree.pointer.find('\n') + 1));
    ASSERT_TRUE(pointer);
    ASSERT_GE(pointer->pages.size(), 2u);
    tree.files[pointer->pages[0].file] = tree.files[pointer->pages[1].file];
    auto device = test::empty_store();
    DeviceTrust trust = trusting(key);
    Status st = follow(*device, trust, tree);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.code, StatusCode::untrusted) << st.error;
    EXPECT_EQ(test::held_seq(*device), 0);
    EXPECT_EQ(trust.newest_made_at, "");
}

TEST(StaticTree, APointerToAnOlderPositionIsRefused) {
    auto server = test::fixture_store();
    SigningKey key = key_from('a');
    Tree old = publish(*server, key, "2026-12-05T10:00:00Z");
    edit(*server, "late-deliveries", "Express parcels are late after one working day.");
    Tree current = publish(*server, key, "2026-12-05T11:00:00Z");
    auto device = test::empty_store();
    DeviceTrust trust = trusting(key);
    ASSERT_TRUE(follow(*device, trust, current));
    const int64_t held = test::held_seq(*device);
    // The old pointer (older position, older time): a rollback. Refused, nothing changes.
    Status st = follow(*device, trust, old);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.code, StatusCode::replayed) << st.error;
    EXPECT_EQ(test::held_seq(*device), held);
    EXPECT_NE((*get_article(*device, "late-deliveries"))->article.body.find("Express parcels"), std::string::npos);
    // An older position signed as new (a restored backup) is not a replay: the device
    // must start again from that library (diverged), never keep newer content silently.
    Tree restored = publish(*test::fixture_store(), key, "2026-12-05T12:00:00Z");
    Status diverged = follow(*device, trust, restored);
    EXPECT_FALSE(diverged);
}

TEST(StaticTree, AFrozenPointerIsFlaggedPastTheFreshnessWindow) {
    auto server = test::fixture_store();
    SigningKey key = key_from('a');
    Tree tree = publish(*server, key, "2026-12-05T10:00:00Z");
    auto device = test::empty_store();
    DeviceTrust trust = trusting(key);
    ASSERT_TRUE(follow(*device, trust, tree));
    const std::string confirmed = applied_feed_position(*device)->confirmed_at;
    EXPECT_FALSE(content_is_stale(confirmed, "2026-12-05T15:59:00Z"));
    // A CDN keeps serving the same pointer: applying it again changes nothing, and the
    // device's confirmation stays at 10:00, so by 16:01 it says "policies as of".
    ASSERT_TRUE(follow(*device, trust, tree));
    EXPECT_EQ(applied_feed_position(*device)->confirmed_at, "2026-12-05T10:00:00Z");
    EXPECT_TRUE(content_is_stale(confirmed, "2026-12-05T16:01:00Z"));
    EXPECT_EQ(short_date(confirmed), "5 Dec 2026");
}

TEST(ContentTrust, TimesAndTheDevicePin) {
    EXPECT_EQ(parse_utc("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(parse_utc("2026-12-05T10:00:00Z"), 1796464800);
    EXPECT_EQ(format_utc(1796464800), "2026-12-05T10:00:00Z");
    EXPECT_EQ(format_utc(*parse_utc("2028-02-29T23:59:59Z")), "2028-02-29T23:59:59Z");
    for (const char* bad : {"", "2026-12-05 10:00:00Z", "2026-13-05T10:00:00Z", "2026-12-05T10:00:00", "yesterday"})
        EXPECT_FALSE(parse_utc(bad)) << bad;
    EXPECT_TRUE(content_is_stale("", "2026-12-05T10:00:00Z"));
    EXPECT_FALSE(content_is_stale("2026-12-05T10:00:00Z", "2026-12-05T09:00:00Z"));  // ahead: not stale

    auto device = open_device_store(":memory:");
    ASSERT_TRUE(device) << device.error();
    EXPECT_FALSE(pin_key_on_first_use(**device, "__HANDBOOK_KEY__"));  // an app that names no key
    const std::string first = key_text(key_from('a').public_key), other = key_text(key_from('b').public_key);
    ASSERT_TRUE(pin_key_on_first_use(**device, first));
    ASSERT_TRUE(pin_key_on_first_use(**device, other));  // a later page naming another key changes nothing
    EXPECT_EQ(load_device_trust(**device)->key, first);
    DeviceTrust t = *load_device_trust(**device);
    t.newest_made_at = "2026-12-05T10:00:00Z";
    ASSERT_TRUE(save_device_trust(**device, t));
    t.newest_made_at = "2026-12-01T10:00:00Z";  // never backwards
    ASSERT_TRUE(save_device_trust(**device, t));
    EXPECT_EQ(load_device_trust(**device)->newest_made_at, "2026-12-05T10:00:00Z");
}
