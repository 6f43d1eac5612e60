// The `handbook` program as a user runs it: exit codes, messages, JSON output.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "temp_folder.h"

namespace {

struct Run {
    int status = -1;
    std::string out;
};

// Runs the handbook binary with a shell-quoted argument string; stderr joins stdout.
Run run_handbook(const std::string& args) {
    std::string cmd = std::string(HANDBOOK_BINARY) + " " + args + " 2>&1";
    Run r;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
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
