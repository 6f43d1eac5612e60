#include <gtest/gtest.h>

#include "core/article_import.h"
#include "core/article_store.h"
#include "core/schema.h"
#include "temp_folder.h"

using namespace handbook;

namespace {

std::string article_file(const std::string& slug, const std::string& title, const std::string& body) {
    return "---\ntitle: " + title + "\nslug: " + slug +
           "\ncategory: Refunds and returns\ntags: [refund]\nowner: Customer Service\n"
           "effective: 2026-01-15\nreview_by: 2027-01-15\nstatus: published\n---\n" + body + "\n";
}

std::unique_ptr<Database> store() { return std::move(*open_store(":memory:")); }

bool has_message(const ImportReport& r, const std::string& file, const std::string& text) {
    for (const auto& m : r.messages)
        if (m.file == file && m.message.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST(Import, LoadsAFolderAndReportsBadFilesWithoutStoppingTheRest) {
    test::TempFolder dir;
    dir.write("a.md", article_file("a", "Alpha refunds", "Text."));
    dir.write("sub/b.md", article_file("b", "Beta refunds", "Text."));
    dir.write("no-title.md", "---\nslug: no-title\ncategory: X\nowner: Y\neffective: 2026-01-01\nreview_by: 2027-01-01\nstatus: published\n---\nBody\n");
    dir.write("bad-yaml.md", "---\ntitle: [unclosed\n---\nBody\n");
    {
        std::string t = article_file("bad-date", "Bad date", "x");
        t.replace(t.find("2026-01-15"), 10, "2026-02-30");
        dir.write("bad-date.md", t);
    }
    dir.write("latin1.md", article_file("latin1", "Caf\xe9", "x"));
    dir.write("dup.md", article_file("a", "Alpha again", "Dup."));
    dir.write("notes.txt", "not an article");
    {
        std::ofstream big(dir.path() / "huge.md", std::ios::binary);
        std::string chunk(1024 * 1024, 'a');
        for (int i = 0; i < 50; ++i) big << chunk;
    }

    auto db = store();
    auto report = import_folder(*db, dir.str());
    ASSERT_TRUE(report.status.is_ok()) << report.status.error;
    EXPECT_EQ(report.created, 2);
    EXPECT_EQ(report.skipped, 6);
    EXPECT_TRUE(has_message(report, "no-title.md", "title"));
    EXPECT_TRUE(has_message(report, "bad-yaml.md", "YAML"));
    EXPECT_TRUE(has_message(report, "bad-date.md", "effective"));
    EXPECT_TRUE(has_message(report, "latin1.md", "UTF-8"));
    EXPECT_TRUE(has_message(report, "dup.md", "duplicate slug 'a'"));
    EXPECT_TRUE(has_message(report, "huge.md", "limit"));
    for (const auto& m : report.messages) {
        if (m.file == "bad-date.md") {
            EXPECT_EQ(m.line, 7);
        }
    }
    EXPECT_TRUE(get_article(*db, "a")->has_value());
    EXPECT_EQ((*get_article(*db, "a"))->article.title, "Alpha refunds");  // the duplicate did not overwrite it
    EXPECT_TRUE(get_article(*db, "b")->has_value());
}

TEST(Import, SameFolderTwiceMakesNoNewVersions) {
    test::TempFolder dir;
    dir.write("a.md", article_file("a", "Alpha", "Text."));
    dir.write("b.md", article_file("b", "Beta", "Text."));
    auto db = store();
    ASSERT_TRUE(import_folder(*db, dir.str()).status.is_ok());
    int64_t seq = *latest_change_seq(*db);
    auto again = import_folder(*db, dir.str());
    ASSERT_TRUE(again.status.is_ok());
    EXPECT_EQ(again.created, 0);
    EXPECT_EQ(again.updated, 0);
    EXPECT_EQ(again.unchanged, 2);
    EXPECT_EQ(*latest_change_seq(*db), seq);
}

TEST(Import, AnEditedFileMakesExactlyOneNewVersion) {
    test::TempFolder dir;
    dir.write("a.md", article_file("a", "Alpha", "Text."));
    dir.write("b.md", article_file("b", "Beta", "Text."));
    auto db = store();
    ASSERT_TRUE(import_folder(*db, dir.str()).status.is_ok());
    dir.write("b.md", article_file("b", "Beta", "Changed text."));
    auto again = import_folder(*db, dir.str());
    ASSERT_TRUE(again.status.is_ok());
    EXPECT_EQ(again.updated, 1);
    EXPECT_EQ(again.unchanged, 1);
    auto history = article_history(*db, "b");
    ASSERT_EQ(history->size(), 2u);
    EXPECT_EQ((*history)[1].article.body, "Changed text.\n");
    EXPECT_EQ(article_history(*db, "a")->size(), 1u);
}

// Each import adds to the full-text indexes; left as pieces (one per import, or per
// in-memory batch of a large one) every search reads and merges each word's list from all
// of them. An import leaves each index as one segment, and searching still finds both.
TEST(Import, LeavesEachSearchIndexAsOneSegment) {
    test::TempFolder dir;
    dir.write("a.md", article_file("a", "Alpha refunds", "Parcel text."));
    auto db = store();
    ASSERT_TRUE(import_folder(*db, dir.str()).status.is_ok());
    dir.write("b.md", article_file("b", "Beta refunds", "Parcel text again."));
    ASSERT_TRUE(import_folder(*db, dir.str()).status.is_ok());
    for (const char* table : {"search_index_idx", "search_words_idx"}) {
        auto segments = db->prepare(std::string("SELECT count(DISTINCT segid) FROM ") + table);
        ASSERT_TRUE(segments && segments->step());
        EXPECT_EQ(segments->column_int(0), 1) << table;
    }
    auto found = db->prepare("SELECT count(*) FROM search_index WHERE search_index MATCH 'parcel'");
    ASSERT_TRUE(found && found->step());
    EXPECT_EQ(found->column_int(0), 2);
}

TEST(Import, SynonymsFileIsLoaded) {
    test::TempFolder dir;
    dir.write("a.md", article_file("a", "Alpha", "Text."));
    dir.write("synonyms.yaml", "- [parcel, package]\n- [refund, money back]\n");
    auto db = store();
    ASSERT_TRUE(import_folder(*db, dir.str()).status.is_ok());
    auto groups = load_synonyms(*db);
    ASSERT_EQ(groups->size(), 2u);
    EXPECT_EQ((*groups)[1][1], "money back");
}

TEST(Import, BadSynonymsFileIsReported) {
    test::TempFolder dir;
    dir.write("a.md", article_file("a", "Alpha", "Text."));
    dir.write("synonyms.yaml", "- [parcel, package\n");
    auto db = store();
    auto report = import_folder(*db, dir.str());
    ASSERT_TRUE(report.status.is_ok());
    EXPECT_TRUE(has_message(report, "synonyms.yaml", "line"));
    EXPECT_EQ(report.created, 1);
}

TEST(Import, PlainMarkdownFilesWithoutFrontMatterAreImportedWithAWarning) {
    test::TempFolder dir;
    dir.write("Guides/Gift Cards.md", "# Gift card balances\n\nCheck the balance on the receipt.\n");
    dir.write("notes.md", "Just some text without a heading.\n");
    auto db = store();
    auto report = import_folder(*db, dir.str());
    ASSERT_TRUE(report.status.is_ok());
    EXPECT_EQ(report.created, 2);
    EXPECT_TRUE(has_message(report, "Guides/Gift Cards.md", "no front matter"));
    auto a = get_article(*db, "guides-gift-cards");
    ASSERT_TRUE(a.is_ok() && a->has_value());
    EXPECT_EQ((*a)->article.title, "Gift card balances");
    EXPECT_EQ((*a)->article.category, "Guides");
    EXPECT_EQ((*a)->article.body, "Check the balance on the receipt.\n");
    EXPECT_TRUE(is_valid_date((*a)->article.effective));
    EXPECT_GT((*a)->article.review_by, (*a)->article.effective);
    auto b = get_article(*db, "notes");
    ASSERT_TRUE(b.is_ok() && b->has_value());
    EXPECT_EQ((*b)->article.title, "notes");
    EXPECT_EQ((*b)->article.category, "General");
}

TEST(Import, MissingFolderIsAnError) {
    auto db = store();
    auto report = import_folder(*db, "/nonexistent/handbook/folder");
    ASSERT_FALSE(report.status.is_ok());
    EXPECT_NE(report.status.error.find("not a folder"), std::string::npos);
}

TEST(Import, ExportWritesFilesThatImportTheSame) {
    test::TempFolder dir, out;
    dir.write("a.md", article_file("a", "\"Alpha: the first\"", "Text with **bold**."));
    auto db = store();
    ASSERT_TRUE(import_folder(*db, dir.str()).status.is_ok());
    auto written = export_folder(*db, out.str());
    ASSERT_TRUE(written.is_ok());
    EXPECT_EQ(*written, 1);
    auto db2 = store();
    ASSERT_TRUE(import_folder(*db2, out.str()).status.is_ok());
    EXPECT_TRUE(same_content((*get_article(*db, "a"))->article, (*get_article(*db2, "a"))->article));
}
