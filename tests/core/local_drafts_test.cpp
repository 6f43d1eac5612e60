// Drafts kept on the device (local_drafts.h): saved whole, the newest text what is sent,
// an old answer never marking newer typing as sent, and the content surviving a reopen.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/device_store.h"
#include "core/local_drafts.h"

namespace handbook {
namespace {

Article content(const std::string& title, const std::string& body) {
    Article a;
    a.slug = "cafe-refunds";
    a.title = title;
    a.category = "Refunds";
    a.tags = {"café", "returns"};
    a.owner = "Customer Care";
    a.effective = "2026-12-01";
    a.review_by = "2027-06-01";
    a.status = "published";
    a.body = body;
    return a;
}

TEST(LocalDrafts, KeepTheNewestTextAndWhatTheServerHasAcrossAReopen) {
    const auto path = std::filesystem::temp_directory_path() / ("local-drafts-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    {
        auto device = open_device_store(path.string());
        ASSERT_TRUE(device.is_ok()) << device.error();
        LocalDraft d;
        d.client_id = "c-1";
        d.person = "ana";
        d.base_version = 3;
        d.content = content("Café crème refunds", "| a | b |\n| --- | --- |\n| Jürgen | 😀 |\n");
        ASSERT_TRUE(save_local_draft(**device, d, "2026-12-06T10:00:00Z").is_ok());
        EXPECT_EQ(d.edits, 1);
        d.content.body += "More.\n";
        ASSERT_TRUE(save_local_draft(**device, d, "2026-12-06T10:00:02Z").is_ok());
        EXPECT_EQ(d.edits, 2);
        // The server's answer to the first save arrives after the second save: still unsent.
        ASSERT_TRUE(record_draft_sent(**device, "c-1", 1, 41, 1, "draft").is_ok());
        auto again = local_draft(**device, "c-1");
        ASSERT_TRUE(again.is_ok());
        ASSERT_TRUE(again->has_value());
        EXPECT_TRUE((*again)->unsent());
        EXPECT_EQ((*again)->server_id, 41);
        // A late answer for save 1 after save 2's cannot move sent_edits back.
        ASSERT_TRUE(record_draft_sent(**device, "c-1", 2, 41, 2, "draft").is_ok());
        ASSERT_TRUE(record_draft_sent(**device, "c-1", 1, 41, 1, "draft").is_ok());
        again = local_draft(**device, "c-1");
        EXPECT_FALSE((*again)->unsent());
        EXPECT_EQ((*again)->server_revision, 2);
    }
    auto device = open_device_store(path.string());
    ASSERT_TRUE(device.is_ok());
    auto mine = local_drafts(**device, "ana");
    ASSERT_TRUE(mine.is_ok());
    ASSERT_EQ(mine->size(), 1u);
    const LocalDraft& d = mine->front();
    EXPECT_EQ(d.content.title, "Café crème refunds");
    EXPECT_EQ(d.content.tags, (std::vector<std::string>{"café", "returns"}));
    EXPECT_EQ(d.content.body, "| a | b |\n| --- | --- |\n| Jürgen | 😀 |\nMore.\n");
    EXPECT_EQ(d.base_version, 3);
    EXPECT_TRUE(local_drafts(**device, "bo")->empty());  // someone else's list
    auto of = local_draft_of(**device, "ana", "cafe-refunds");
    ASSERT_TRUE(of.is_ok() && of->has_value());
    EXPECT_EQ((*of)->client_id, "c-1");
    // A draft in review keeps that state when saved again; a returned one is a draft again.
    ASSERT_TRUE(record_draft_state(**device, "c-1", "returned", "Say which stores", "").is_ok());
    LocalDraft edit = *mine->begin();
    ASSERT_TRUE(save_local_draft(**device, edit, "2026-12-06T11:00:00Z").is_ok());
    EXPECT_EQ((*local_draft(**device, "c-1"))->state, "draft");
    ASSERT_TRUE(record_draft_state(**device, "c-1", "published", "").is_ok());
    EXPECT_FALSE(local_draft_of(**device, "ana", "cafe-refunds")->has_value());  // Edit starts afresh
    ASSERT_TRUE(remove_local_draft(**device, "c-1").is_ok());
    EXPECT_TRUE(local_drafts(**device, "")->empty());
    device->reset();
    std::filesystem::remove(path);
}

// A row whose content cannot be read (a damaged store: content is always written as JSON)
// costs only itself: the person's other drafts are still listed, and so still sent.
// (The whole list failed, so none of them was sent, and My drafts showed none.)
TEST(LocalDrafts, AnUnreadableDraftIsLeftOutAndSaidNotTheWholeList) {
    auto device = open_device_store(":memory:");
    ASSERT_TRUE(device.is_ok()) << device.error();
    for (const char* id : {"c-good", "c-bad"}) {
        LocalDraft d;
        d.client_id = id;
        d.person = "ana";
        d.content = content(std::string("Draft ") + id, "Text.\n");
        ASSERT_TRUE(save_local_draft(**device, d, "2026-12-06T10:00:00Z").is_ok());
    }
    ASSERT_TRUE((*device)->exec("UPDATE drafts SET content = '{\"title\": \"cut off' WHERE client_id = 'c-bad'").is_ok());

    std::vector<std::string> unreadable;
    auto mine = local_drafts(**device, "ana", &unreadable);
    ASSERT_TRUE(mine.is_ok()) << mine.error();
    ASSERT_EQ(mine->size(), 1u);
    EXPECT_EQ(mine->front().client_id, "c-good");
    ASSERT_EQ(unreadable.size(), 1u);
    EXPECT_NE(unreadable.front().find("c-bad"), std::string::npos) << unreadable.front();
    auto without_note = local_drafts(**device, "ana");
    ASSERT_TRUE(without_note.is_ok());
    EXPECT_EQ(without_note->size(), 1u);
    EXPECT_FALSE(local_draft(**device, "c-bad").is_ok()) << "asked for by itself, the damaged one is an error";
}

TEST(LocalDrafts, RefuseWhatCannotBeKept) {
    auto device = open_device_store(":memory:");
    ASSERT_TRUE(device.is_ok());
    LocalDraft d;
    d.person = "ana";
    EXPECT_FALSE(save_local_draft(**device, d, "t").is_ok());  // no id
    d.client_id = "c-2";
    d.content.body.assign(kMaxBodyBytes + 1, 'x');
    Status st = save_local_draft(**device, d, "t");
    EXPECT_FALSE(st.is_ok());
    EXPECT_NE(st.error.find("512 KB"), std::string::npos);
    EXPECT_TRUE(local_drafts(**device, "")->empty());
    EXPECT_FALSE(article_from_fields_json("[1, 2]").is_ok());
}

}  // namespace
}  // namespace handbook
