// The `handbook` program as a user runs it: exit codes, messages, JSON output.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "../support/run_program.h"
#include "temp_folder.h"

namespace {

// Runs the handbook binary with a shell-quoted argument string; stderr joins stdout.
handbook::test::ProgramRun run_handbook(const std::string& args) {
    return handbook::test::run_program(std::string(HANDBOOK_BINARY) + " " + args);
}

const std::string kArticles = std::string(HANDBOOK_SOURCE_DIR) + "/articles";

}  // namespace

TEST(Cli, UsageErrorsGoToStderrWithExitTwo) {
    EXPECT_EQ(run_handbook("").status, 2);
    auto r = run_handbook("frobnicate");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.out.find("unknown command"), std::string::npos);
    EXPECT_EQ(run_handbook("search").status, 2);
    EXPECT_EQ(run_handbook("search refund --limit 0").status, 2);
    EXPECT_EQ(run_handbook("search refund --bogus").status, 2);
    EXPECT_EQ(run_handbook("--help").status, 0);
}

TEST(Cli, SearchWithoutADatabaseSaysWhatToDo) {
    auto r = run_handbook("search refund --db /nonexistent/x.db");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.out.find("handbook import"), std::string::npos);
}

TEST(Cli, ImportThenSearchAsTextAndJson) {
    handbook::test::TempFolder tmp;
    std::string db = (tmp.path() / "h.db").string();
    auto imp = run_handbook("import " + kArticles + " --db " + db);
    ASSERT_EQ(imp.status, 0) << imp.out;
    EXPECT_NE(imp.out.find("0 skipped"), std::string::npos);

    auto text = run_handbook("search 'refnd no receipt' --db " + db);
    ASSERT_EQ(text.status, 0) << text.out;
    EXPECT_NE(text.out.find("Showing results for: refund no receipt"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("1. "), std::string::npos);

    auto js = run_handbook("search 'damagd parcel' --json --limit 3 --db " + db);
    ASSERT_EQ(js.status, 0) << js.out;
    auto doc = nlohmann::json::parse(js.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << js.out;
    ASSERT_TRUE(doc["hits"].is_array());
    EXPECT_LE(doc["hits"].size(), 3u);
    ASSERT_GE(doc["hits"].size(), 1u);
    EXPECT_EQ(doc["corrections"][0]["from"], "damagd");
    for (const auto& hit : doc["hits"]) {
        std::string snippet = hit["snippet"];
        for (const auto& range : hit["snippet_highlights"]) {
            size_t start = range["start"], length = range["length"];
            EXPECT_LE(start + length, snippet.size());
        }
        EXPECT_TRUE(hit["score"].is_number());
        EXPECT_TRUE(hit["slug"].is_string());
    }

    auto hostile = run_handbook("search '\"; DROP TABLE articles; -- NEAR(' --db " + db);
    EXPECT_EQ(hostile.status, 0) << hostile.out;
    auto again = run_handbook("search refund --json --db " + db);
    EXPECT_EQ(again.status, 0);
    EXPECT_GE(nlohmann::json::parse(again.out)["hits"].size(), 1u);
}

TEST(Cli, ImportReportsBadFilesWithLineAndExitsNonZero) {
    handbook::test::TempFolder tmp;
    tmp.write("good.md", "---\ntitle: Good\nslug: good\ncategory: C\nowner: O\neffective: 2026-01-01\nreview_by: 2027-01-01\nstatus: published\n---\nBody\n");
    tmp.write("bad.md", "---\ntitle: Bad\nslug: bad\ncategory: C\nowner: O\neffective: 2026-13-01\nreview_by: 2027-01-01\nstatus: published\n---\nBody\n");
    std::string db = (tmp.path() / "h.db").string();
    auto r = run_handbook("import " + tmp.str() + " --db " + db);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.out.find("bad.md:6: error:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1 new"), std::string::npos) << r.out;
}

TEST(Cli, CorruptDatabaseIsReportedNotCrashed) {
    handbook::test::TempFolder tmp;
    tmp.write("h.db", std::string(4096, 'x'));
    auto r = run_handbook("search refund --db " + (tmp.path() / "h.db").string());
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.out.find("not a database"), std::string::npos) << r.out;
}

TEST(Cli, EveryCommandHasHelp) {
    for (const char* command : {"import", "export", "search", "serve"}) {
        auto r = run_handbook(std::string(command) + " --help");
        EXPECT_EQ(r.status, 0) << command << ": " << r.out;
        EXPECT_NE(r.out.find(std::string("usage: handbook ") + command), std::string::npos) << r.out;
        auto short_form = run_handbook(std::string(command) + " -h");
        EXPECT_EQ(short_form.status, 0) << command;
        EXPECT_EQ(short_form.out, r.out);
    }
    auto top = run_handbook("--help");
    EXPECT_EQ(top.status, 0);
    for (const char* command : {"import", "export", "search", "serve"}) EXPECT_NE(top.out.find(command), std::string::npos);
}

TEST(Cli, DoubleDashEndsTheOptionsSoAQueryMayBeginWithDashes) {
    handbook::test::TempFolder tmp;
    std::string db = (tmp.path() / "h.db").string();
    ASSERT_EQ(run_handbook("import " + kArticles + " --db " + db).status, 0);
    auto without = run_handbook("search --refund --db " + db);
    EXPECT_EQ(without.status, 2) << without.out;
    EXPECT_NE(without.out.find("put -- before it"), std::string::npos) << without.out;
    auto with = run_handbook("search --json --db " + db + " -- --refund");
    ASSERT_EQ(with.status, 0) << with.out;
    auto json = nlohmann::json::parse(with.out, nullptr, false);
    ASSERT_FALSE(json.is_discarded()) << with.out;
    ASSERT_FALSE(json["hits"].empty()) << with.out;
    // The dashes are text, not an option, and not FTS5 syntax either.
    auto help_as_text = run_handbook("search --db " + db + " -- --help");
    EXPECT_EQ(help_as_text.status, 0) << help_as_text.out;
    EXPECT_EQ(help_as_text.out.find("usage:"), std::string::npos) << help_as_text.out;
}
