#include "test_corpus.h"

#include <gtest/gtest.h>

#include "core/article_store.h"
#include "core/change_feed.h"
#include "core/schema.h"

namespace handbook::test {

Article make_article(const std::string& slug, const std::string& title, const std::string& category,
                     std::vector<std::string> tags, const std::string& body, const std::string& status) {
    Article a;
    a.slug = slug;
    a.title = title;
    a.category = category;
    a.tags = std::move(tags);
    a.owner = "Customer Service";
    a.effective = "2026-01-15";
    a.review_by = "2027-01-15";
    a.status = status;
    a.body = body;
    return a;
}

std::unique_ptr<Database> empty_store() {
    auto db = open_store(":memory:");
    EXPECT_TRUE(db.is_ok()) << (db ? "" : db.error());
    return std::move(*db);
}

std::unique_ptr<Database> fixture_store() {
    auto db = empty_store();
    const Article articles[] = {
        make_article("refund-windows", "Refund windows by product type", "Refunds and returns", {"refund", "returns"},
                     "Most goods can be returned within **30 days** with proof of purchase.\n\n"
                     "| product | window |\n|---|---|\n| clothing | 30 days |\n| sale items | 14 days |\n\n"
                     "Gift cards are not refundable."),
        make_article("no-receipt", "Returns without a receipt", "Refunds and returns", {"receipt", "store credit"},
                     "When a customer has no receipt, offer an exchange or store credit up to $75. "
                     "Check photo ID first. A team leader decides above that amount."),
        make_article("damaged-deliveries", "Damaged deliveries", "Delivery and escalation", {"parcel", "damaged"},
                     "A parcel that arrives damaged must be reported within 48 hours with photos. "
                     "Offer a replacement or a refund; large damaged items are not collected."),
        make_article("late-deliveries", "Late deliveries", "Delivery and escalation", {"parcel", "courier", "late"},
                     "A parcel is late two working days after the promised date. Open a courier trace "
                     "and refund the delivery charge."),
        make_article("escalation-ladder", "The escalation ladder", "Delivery and escalation", {"escalation", "complaint"},
                     "Level 2 is the team leader on duty, who answers within 4 working hours. "
                     "Level 3 is the store manager. Escalate when the customer asks for someone senior."),
        make_article("positive-language", "Positive language", "Service standards", {"language", "tone"},
                     "Say what you can do, not what you cannot. Instead of \"that's not my department\", "
                     "say \"let me find the right person for you\". Listening comes first."),
        make_article("cafe-vouchers", "Café vouchers and gift cards", "Refunds and returns", {"gift card", "voucher"},
                     "Vouchers issued in the café are valid for twelve months. Crème brûlée is not on the menu."),
        make_article("complaints", "Taking a complaint", "Complaints", {"complaint", "listening"},
                     "Listen without interrupting, note the facts, and agree what happens next. "
                     "Log the complaint the same day."),
        make_article("secret-draft", "Zeppelin deliveries pilot", "Delivery and escalation", {"pilot"},
                     "Zeppelin delivery is being trialled.", "archived"),
    };
    for (const auto& a : articles) {
        auto saved = save_article(*db, a);
        EXPECT_TRUE(saved.is_ok()) << a.slug << ": " << (saved ? "" : saved.error());
    }
    EXPECT_TRUE(set_synonyms(*db, {{"parcel", "package", "delivery"},
                                   {"refund", "money back"},
                                   {"manager", "supervisor", "team leader"}})
                    .is_ok());
    return db;
}

std::string feed(Database& server, int64_t after, int limit) {
    auto json = change_feed_json(server, after, limit);
    EXPECT_TRUE(json.is_ok()) << (json ? "" : json.error());
    return json ? *json : std::string();
}

int64_t held_seq(Database& device) {
    auto held = applied_feed_position(device);
    EXPECT_TRUE(held.is_ok()) << (held ? "" : held.error());
    return held ? held->seq : -1;
}

int64_t head_seq(Database& db) {
    auto head = latest_change_seq(db);
    EXPECT_TRUE(head.is_ok()) << (head ? "" : head.error());
    return head ? *head : -1;
}

}  // namespace handbook::test
