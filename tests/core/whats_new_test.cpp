// What's new and read-and-acknowledge on a device: the versions published lately and how
// many came since a look; a person's acknowledgements known offline (the server's list
// kept, plus those waiting in the outbox), and what they still have to read from them.
#include <gtest/gtest.h>

#include "core/acknowledgements.h"
#include "core/article_store.h"
#include "core/device_acknowledgements.h"
#include "core/device_store.h"
#include "core/whats_new.h"
#include "test_corpus.h"

namespace handbook {
namespace {

std::unique_ptr<Database> device_store() {
    auto opened = open_device_store(":memory:");
    EXPECT_TRUE(opened.is_ok());
    return std::move(*opened);
}

TEST(WhatsNew, NewestFirstAndCountedSinceTheLastLook) {
    auto db = test::empty_store();
    Article a = test::make_article("returns", "Returns", "Refunds and returns", {}, "Thirty days.");
    ASSERT_TRUE(save_article(*db, a, VersionNote("ana", "First version", "ben")).is_ok());
    Article b = test::make_article("parcels", "Parcels", "Delivery", {}, "Parcels travel.");
    ASSERT_TRUE(save_article(*db, b, VersionNote("ana", "Parcels policy", "ben")).is_ok());
    auto seen = recent_changes(*db, 50);
    ASSERT_TRUE(seen.is_ok());
    ASSERT_EQ(seen->size(), 2u);
    EXPECT_EQ((*seen)[0].slug, "parcels") << "newest first";
    const int64_t looked = (*seen)[0].seq;
    a.body = "Fourteen days.";
    ASSERT_TRUE(save_article(*db, a, VersionNote("ana", "Shorter window", "ben", true, "2030-01-10")).is_ok());
    auto now = recent_changes(*db, 50);
    ASSERT_EQ(now->size(), 3u);
    EXPECT_EQ((*now)[0].slug, "returns");
    EXPECT_EQ((*now)[0].version, 2);
    EXPECT_EQ((*now)[0].summary, "Shorter window");
    EXPECT_TRUE((*now)[0].must_acknowledge);
    EXPECT_EQ(changes_after(*now, looked), 1);
    EXPECT_EQ(changes_after(*now, 0), 3);
    EXPECT_EQ(recent_changes(*db, 1)->size(), 1u);
}

TEST(DeviceAcknowledgements, KnownOfflineSentOnceAndAskedAgainByANewMustRead) {
    auto db = test::empty_store();
    auto device = device_store();
    Article a = test::make_article("returns", "Returns", "Refunds and returns", {}, "Thirty days.");
    ASSERT_TRUE(save_article(*db, a, VersionNote("ana", "First", "ben", true, "2026-12-20")).is_ok());
    auto must = must_read_versions(*db);
    ASSERT_TRUE(must.is_ok());
    auto known = known_acknowledgements(*device, "sam");
    ASSERT_TRUE(known.is_ok());
    ASSERT_EQ(still_to_read(*must, *known, "2026-12-10").size(), 1u);

    // Acknowledged offline: known at once, waiting in the outbox; another person still has it to read.
    ASSERT_TRUE(acknowledge_on_device(*device, "sam", {"returns", 1, "2026-12-10T09:00:00Z"}, "ack-1").is_ok());
    known = known_acknowledgements(*device, "sam");
    EXPECT_TRUE(still_to_read(*must, *known, "2026-12-10").empty());
    EXPECT_EQ(still_to_read(*must, *known_acknowledgements(*device, "kim"), "2026-12-10").size(), 1u);
    auto waiting = outbox_entries(*device, "pending");
    ASSERT_EQ(waiting->size(), 1u);
    EXPECT_EQ((*waiting)[0].kind, "acknowledgement");
    EXPECT_NE((*waiting)[0].payload.find("\"id\":\"ack-1\""), std::string::npos) << "the server takes it once by this id";
    EXPECT_FALSE(acknowledge_on_device(*device, "", {"returns", 1, "2026-12-10T09:00:00Z"}, "ack-2").is_ok()) << "personal";

    // The server has it: out of the outbox, in the list the server gives next.
    ASSERT_TRUE(record_outbox_answer(*device, "ack-1", OutboxOutcome::done, "").is_ok());
    auto list = acknowledgements_from_json(R"([{"slug":"returns","version":1,"acknowledged_at":"2026-12-10T09:00:00Z"}])");
    ASSERT_TRUE(list.is_ok());
    ASSERT_TRUE(remember_acknowledgements(*device, "sam", *list).is_ok());
    known = known_acknowledgements(*device, "sam");
    ASSERT_EQ(known->size(), 1u) << "counted once";
    EXPECT_TRUE(still_to_read(*must, *known, "2026-12-10").empty());

    // A typo fix asks nothing; a new must-read version asks again, from version 1.
    a.body = "Thirty days, from delivery.";
    ASSERT_TRUE(save_article(*db, a, VersionNote("ana", "Typo", "ben")).is_ok());
    EXPECT_TRUE(still_to_read(*must_read_versions(*db), *known, "2026-12-10").empty());
    a.body = "Fourteen days.";
    ASSERT_TRUE(save_article(*db, a, VersionNote("ana", "Shorter", "ben", true, "2026-12-01")).is_ok());
    auto again = still_to_read(*must_read_versions(*db), *known, "2026-12-10");
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].item.version, 3);
    EXPECT_EQ(again[0].last_acknowledged, 1);
    EXPECT_TRUE(again[0].overdue);

    EXPECT_FALSE(acknowledgements_from_json("{\"not\":\"a list\"}").is_ok());
    EXPECT_FALSE(acknowledgements_from_json("[{\"slug\":\"returns\"}]").is_ok());
}

}  // namespace
}  // namespace handbook
