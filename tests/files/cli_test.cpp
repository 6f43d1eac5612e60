// The `handbook` program as a user runs it: exit codes, messages, JSON output.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <array>
#include <filesystem>
#include <fstream>
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

TEST(Cli, AccountsHistoryDiffAndAudit) {
    handbook::test::TempFolder tmp;
    const std::string db = (tmp.path() / "h.db").string();
    ASSERT_EQ(run_handbook("import " + kArticles + " --db " + db + " --author ana").status, 0);
    auto weak = handbook::test::run_program("echo 'short' | " + std::string(HANDBOOK_BINARY) + " user add ben --role editor --db " + db);
    EXPECT_EQ(weak.status, 1);
    EXPECT_NE(weak.out.find("at least 10 characters"), std::string::npos) << weak.out;
    auto added = handbook::test::run_program("echo 'a long enough passphrase' | " + std::string(HANDBOOK_BINARY) +
                                             " user add ben --role editor --categories 'Refunds and returns, Complaints' --db " + db);
    ASSERT_EQ(added.status, 0) << added.out;
    auto bad_role = run_handbook("user add cy --role wizard --db " + db);
    EXPECT_EQ(bad_role.status, 1);
    EXPECT_NE(bad_role.out.find("staff, editor, approver, admin"), std::string::npos) << bad_role.out;
    ASSERT_EQ(run_handbook("user set-role ben approver --db " + db).status, 0);
    ASSERT_EQ(run_handbook("user disable ben --db " + db).status, 0);
    auto list = run_handbook("user list --db " + db);
    EXPECT_NE(list.out.find("ben\tapprover\tall categories\tdisabled"), std::string::npos) << list.out;
    EXPECT_EQ(run_handbook("user disable nobody --db " + db).status, 1);

    auto history = run_handbook("history refund-windows --db " + db);
    ASSERT_EQ(history.status, 0) << history.out;
    EXPECT_NE(history.out.find("version 1"), std::string::npos) << history.out;
    EXPECT_NE(history.out.find("by ana"), std::string::npos) << history.out;
    EXPECT_NE(history.out.find("Imported from refund-windows.md"), std::string::npos) << history.out;

    // A second import with one article changed: version 2, and its diff.
    handbook::test::TempFolder edited;
    std::filesystem::copy(kArticles, edited.path(), std::filesystem::copy_options::recursive);
    std::ofstream(edited.path() / "refund-windows.md", std::ios::app) << "\nGift cards are never refunded.\n";
    ASSERT_EQ(run_handbook("import " + edited.str() + " --db " + db).status, 0);
    auto diff = run_handbook("diff refund-windows 1 2 --db " + db);
    ASSERT_EQ(diff.status, 0) << diff.out;
    EXPECT_NE(diff.out.find("+ Gift cards are never refunded."), std::string::npos) << diff.out;
    EXPECT_EQ(run_handbook("diff refund-windows 1 9 --db " + db).status, 1);

    auto audit = run_handbook("audit --db " + db);
    ASSERT_EQ(audit.status, 0);
    for (const char* action : {"import", "user_add", "user_change"}) EXPECT_NE(audit.out.find(action), std::string::npos) << audit.out;
    EXPECT_NE(audit.out.find("command line (unix user"), std::string::npos) << audit.out;
    auto only_ana = run_handbook("audit --user ana --db " + db);
    EXPECT_NE(only_ana.out.find("import"), std::string::npos);
    EXPECT_EQ(only_ana.out.find("user_add"), std::string::npos) << only_ana.out;
}
