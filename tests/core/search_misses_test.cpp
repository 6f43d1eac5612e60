// Which searches count as "found nothing", with a given clock, and keeping them on the
// device without a name (search_misses.h).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/device_store.h"
#include "core/search_misses.h"

namespace handbook {
namespace {

// Types `text` a letter at a time, `gap` seconds apart from `t`, with `hits` for each.
std::vector<SearchMiss> type(SearchWatch& w, const std::string& text, double& t, int hits, double gap = 0.2) {
    std::vector<SearchMiss> all;
    for (size_t n = 1; n <= text.size(); ++n) {
        auto m = watch_search(w, text.substr(0, n), hits, t);
        all.insert(all.end(), m.begin(), m.end());
        t += gap;
    }
    return all;
}

TEST(SearchMisses, TextIsFoldedTrimmedAndCutOnACharacter) {
    EXPECT_EQ(search_miss_text("  Return   Parcel\t"), "return parcel");
    EXPECT_EQ(search_miss_text("x"), "") << "one character is not a search";
    EXPECT_EQ(search_miss_text("é"), "") << "one character, two bytes";
    EXPECT_EQ(search_miss_text("Café"), "café");
    EXPECT_EQ(search_miss_text(std::string("ab\xff", 3)), "") << "not UTF-8";
    std::string long_text(kMaxSearchMissQueryBytes - 1, 'a');
    long_text += "\xC3\xA9zzz";  // é across the cut
    const std::string cut = search_miss_text(long_text);
    EXPECT_EQ(cut, std::string(kMaxSearchMissQueryBytes - 1, 'a'));
}

TEST(SearchMisses, TypingIsOneSearchAndItCountsOnceItHasStood) {
    SearchWatch w;
    double t = 0;
    EXPECT_TRUE(type(w, "quokka", t, 0).empty()) << "still typing: nothing counted";
    auto later = watch_search(w, "quokka", 0, t + kSearchSettleSeconds);
    ASSERT_EQ(later.size(), 1u);
    EXPECT_EQ(later[0].query, "quokka");
    EXPECT_EQ(later[0].kind, "no_results");
    EXPECT_TRUE(watch_search(w, "quokka", 0, t + 60).empty()) << "counted once";
    EXPECT_FALSE(watch_left(w)) << "a search that found nothing is not counted again when left";
}

TEST(SearchMisses, ASearchLeftWithoutOpeningAHitIsAMissAndOpeningOneIsNot) {
    SearchWatch w;
    double t = 0;
    type(w, "refund", t, 4);
    EXPECT_TRUE(watch_search(w, "refund", 4, t + 3).empty()) << "hits found: not a miss while it is on screen";
    auto left = watch_left(w);
    ASSERT_TRUE(left);
    EXPECT_EQ(left->query, "refund");
    EXPECT_EQ(left->kind, "nothing_opened");

    t = 100;
    type(w, "refund", t, 4);
    (void)watch_search(w, "refund", 4, t + 3);
    watch_opened(w);
    EXPECT_FALSE(watch_left(w)) << "a hit was opened";

    // Opened at once, before it stood: found, not a miss.
    t = 200;
    type(w, "gift card", t, 2);
    watch_opened(w);
    EXPECT_FALSE(watch_left(w));

    // Typed and left at once: never looked at, not counted.
    t = 300;
    type(w, "warranty", t, 3);
    EXPECT_FALSE(watch_left(w));
}

TEST(SearchMisses, RefiningIsTheSameSearchAndAnUnrelatedOneEndsIt) {
    SearchWatch w;
    double t = 0;
    type(w, "return", t, 5);
    t += 3;
    EXPECT_TRUE(watch_search(w, "return", 5, t).empty());
    // Typed on: the same search refined, then opened.
    EXPECT_TRUE(type(w, "return parcel", t, 2).empty());
    watch_opened(w);
    // Back to "return" and on to something else: the opened search was no miss.
    EXPECT_TRUE(watch_search(w, "retur", 5, t).empty());
    t += 3;
    (void)watch_search(w, "retur", 5, t);
    auto other = type(w, "voucher", t, 1);
    EXPECT_TRUE(other.empty()) << "'retur' stood after an opened search: refined from it, and found";
    t += 3;
    (void)watch_search(w, "voucher", 1, t);
    // An unrelated search ends "voucher" (looked at, nothing opened).
    auto ended = type(w, "xmas hours", t, 0);
    ASSERT_GE(ended.size(), 1u);
    EXPECT_EQ(ended[0].query, "voucher");
    EXPECT_EQ(ended[0].kind, "nothing_opened");
}

TEST(SearchMisses, KeptWithoutANameAndBoundedOnADeviceLongOffline) {
    auto opened = open_device_store(":memory:");
    ASSERT_TRUE(opened.is_ok());
    Database& device = **opened;
    ASSERT_TRUE(keep_search_miss(device, {"quokka", "no_results"}, "miss-1", "2026-12-07T09:00:00Z").is_ok());
    auto kept = outbox_entries(device, "pending", 10, "search_miss");
    ASSERT_TRUE(kept.is_ok());
    ASSERT_EQ(kept->size(), 1u);
    EXPECT_EQ((*kept)[0].person, "") << "sent without the person's name";
    const auto payload = nlohmann::json::parse((*kept)[0].payload);
    EXPECT_EQ(payload["query"], "quokka");
    EXPECT_EQ(payload["kind"], "no_results");
    EXPECT_EQ(payload["id"], "miss-1");
    EXPECT_EQ(payload["searched_at"], "2026-12-07T09:00:00Z");
    EXPECT_FALSE(payload.contains("person"));
    EXPECT_FALSE(keep_search_miss(device, {"", "no_results"}, "miss-2", "2026-12-07T09:00:00Z").is_ok());
    EXPECT_FALSE(keep_search_miss(device, {"x y", "typo"}, "miss-3", "2026-12-07T09:00:00Z").is_ok());

    for (int i = 2; i <= kMaxSearchMissesWaiting + 20; ++i)
        ASSERT_TRUE(keep_search_miss(device, {"q" + std::to_string(i), "no_results"}, "miss-" + std::to_string(i), "2026-12-07T09:00:00Z").is_ok());
    auto all = outbox_entries(device, "pending", 10000, "search_miss");
    EXPECT_EQ(static_cast<int>(all->size()), kMaxSearchMissesWaiting) << "bounded: the oldest are kept";
    // An acknowledgement is not crowded out by the misses before it.
    OutboxEntry ack;
    ack.id = "ack-1";
    ack.kind = "acknowledgement";
    ack.person = "sam";
    ack.payload = R"({"slug":"a","version":1})";
    ack.created_at = "2026-12-07T10:00:00Z";
    ASSERT_TRUE(add_to_outbox(device, ack).is_ok());
    auto acks = outbox_entries(device, "pending", 100, "acknowledgement");
    ASSERT_EQ(acks->size(), 1u);
    EXPECT_EQ((*acks)[0].id, "ack-1");
}

}  // namespace
}  // namespace handbook
