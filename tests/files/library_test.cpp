// The bundled policy library (articles/): it imports cleanly, hangs together, and
// staff find what they look for with the words they type.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/article_import.h"
#include "core/article_store.h"
#include "core/plain_text.h"
#include "core/schema.h"
#include "core/search.h"

using namespace handbook;
namespace fs = std::filesystem;

namespace {

const std::string kArticles = std::string(HANDBOOK_SOURCE_DIR) + "/articles";

class Library : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        db_ = std::move(*open_store(":memory:")).release();
        report_ = new ImportReport(import_folder(*db_, kArticles));
        ASSERT_TRUE(report_->status) << report_->status.error;
    }
    static void TearDownTestSuite() {
        delete report_;
        delete db_;
    }
    static Database* db_;
    static ImportReport* report_;
};
Database* Library::db_ = nullptr;
ImportReport* Library::report_ = nullptr;

size_t word_count(const std::string& text) {
    std::istringstream in(text);
    size_t n = 0;
    std::string w;
    while (in >> w) ++n;
    return n;
}

}  // namespace

TEST_F(Library, ImportsWithoutErrorsOrWarnings) {
    for (const auto& m : report_->messages)
        ADD_FAILURE() << m.file << ":" << m.line << ": " << (m.is_error ? "error: " : "warning: ") << m.message;
    EXPECT_GE(report_->created, 40);
    EXPECT_EQ(report_->skipped, 0);
}

TEST_F(Library, CoversEveryCategory) {
    std::map<std::string, int> per_category;
    auto all = list_articles(*db_);
    for (const auto& s : *all) ++per_category[s.article.category];
    for (const char* c : {"Refunds and returns", "Delivery and escalation", "Policy changes and communication",
                          "Complaints", "Service standards", "Who does what"})
        EXPECT_GE(per_category[c], 4) << c;
}

TEST_F(Library, EveryLinkBetweenArticlesResolves) {
    std::set<std::string> slugs;
    auto all = list_articles(*db_, true);
    for (const auto& s : *all) slugs.insert(s.article.slug);
    int links = 0;
    for (const auto& s : *all) {
        for (const auto& target : article_links(s.article.body)) {
            ++links;
            EXPECT_TRUE(slugs.count(target)) << s.article.slug << " links to missing article '" << target << "'";
        }
    }
    EXPECT_GE(links, 40);
}

TEST_F(Library, DatesAreValidAndReviewedWithinAYear) {
    auto all = list_articles(*db_);
    for (const auto& s : *all) {
        const Article& a = s.article;
        EXPECT_TRUE(is_valid_date(a.effective)) << a.slug;
        EXPECT_TRUE(is_valid_date(a.review_by)) << a.slug;
        // Reviewed every 12 months: review_by is at most one year after effective.
        int year = std::stoi(a.effective.substr(0, 4)) + 1;
        std::string limit = std::to_string(year) + a.effective.substr(4);
        EXPECT_LE(a.review_by, limit) << a.slug;
        EXPECT_GT(a.review_by, a.effective) << a.slug;
    }
}

TEST_F(Library, HasRealStructure) {
    int tables = 0, numbered = 0, long_articles = 0;
    auto all = list_articles(*db_, true);
    for (const auto& s : *all) {
        const std::string& b = s.article.body;
        if (b.find("|---") != std::string::npos || b.find("| ---") != std::string::npos) ++tables;
        if (b.find("\n1. ") != std::string::npos) ++numbered;
        if (word_count(b) >= 2000) ++long_articles;
    }
    EXPECT_GE(tables, 5);
    EXPECT_GE(numbered, 10);
    EXPECT_GE(long_articles, 1);
}

TEST_F(Library, SlugsAreUniqueAndMatchFileNames) {
    std::set<std::string> seen;
    for (const auto& entry : fs::directory_iterator(kArticles)) {
        if (entry.path().extension() != ".md") continue;
        std::ifstream in(entry.path());
        std::stringstream ss;
        ss << in.rdbuf();
        ParsedArticle p = parse_article_file(ss.str(), entry.path().filename().string());
        EXPECT_TRUE(seen.insert(p.article.slug).second) << "duplicate slug " << p.article.slug;
        EXPECT_EQ(p.article.slug + ".md", entry.path().filename().string());
    }
}

// Table rows of a Markdown body: cells of each row, header and separator rows skipped.
std::vector<std::vector<std::string>> table_rows(const std::string& body) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(body);
    std::string line, previous;
    while (std::getline(in, line)) {
        bool is_row = line.rfind("|", 0) == 0;
        bool is_separator = is_row && line.find("---") != std::string::npos;
        bool after_header = previous.rfind("|", 0) == 0;
        if (is_row && !is_separator && after_header) {
            std::vector<std::string> cells;
            std::string cell;
            for (size_t i = 1; i < line.size(); ++i) {
                if (line[i] == '|') {
                    auto b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
                    cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
                    cell.clear();
                } else {
                    cell += static_cast<char>(std::tolower(static_cast<unsigned char>(line[i])));
                }
            }
            rows.push_back(cells);
        }
        previous = line;
    }
    return rows;
}

// The same figure never disagrees between two articles: every table row that repeats a
// row label of the canonical tables (refund windows, approval limits) states the same value.
TEST_F(Library, FiguresAgreeWithTheCanonicalTables) {
    std::map<std::string, std::pair<std::string, std::string>> canonical;  // label -> (value, source)
    for (const char* source : {"refund-windows", "approval-limits"}) {
        auto a = get_article(*db_, source);
        ASSERT_TRUE(a.is_ok() && a->has_value()) << source;
        for (const auto& row : table_rows((*a)->article.body))
            if (row.size() >= 2) canonical[row[0]] = {row[1], source};
    }
    ASSERT_GE(canonical.size(), 8u);
    auto all = list_articles(*db_, true);
    int compared = 0;
    for (const auto& s : *all) {
        for (const auto& row : table_rows(s.article.body)) {
            if (row.size() < 2) continue;
            auto it = canonical.find(row[0]);
            if (it == canonical.end()) continue;
            const std::string& value = it->second.first;
            // Only rows that state the same kind of figure: money with money, days with days.
            bool money = value.find('$') != std::string::npos, days = value.find("day") != std::string::npos;
            if ((money && row[1].find('$') == std::string::npos) || (days && row[1].find("day") == std::string::npos))
                continue;
            ++compared;
            EXPECT_EQ(row[1], value) << s.article.slug << " says '" << row[0] << "' is '" << row[1] << "', "
                                     << it->second.second << " says '" << value << "'";
        }
    }
    EXPECT_GE(compared, 10);  // the canonical tables themselves, and their copies
}

// Staff queries (tests/data/staff_queries_*.tsv, "query<TAB>slug"): the expected article
// in the top three. A query that is fairly answered by more than one article lists
// them as "slug|slug"; "-" means nothing in the library answers it: no hits, and no
// "correction" into unrelated words.
//
// The two files play different parts when the ranking is tuned: staff_queries_a.tsv is
// what changes are tried against (issue 15's questions were added there), and
// staff_queries_b.tsv is held out: nobody looks at its queries while changing the
// ranking, so its MRR says whether a change generalises or only fits a's queries.
// Both must keep every answer in the top three; the MRR of each is printed.
struct StaffQuery {
    std::string query, expected;
};

std::vector<StaffQuery> read_staff_queries(const fs::path& file) {
    std::vector<StaffQuery> out;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        auto tab = line.find('\t');
        if (line.empty() || tab == std::string::npos) continue;
        out.push_back({line.substr(0, tab), line.substr(tab + 1)});
    }
    return out;
}

TEST_F(Library, StaffFindTheRightPolicyInTheTopThree) {
    auto engine = SearchEngine::create(*db_);
    ASSERT_TRUE(engine.is_ok());
    int total = 0;
    for (const char* name : {"staff_queries_a.tsv", "staff_queries_b.tsv"}) {
        const auto queries = read_staff_queries(fs::path(HANDBOOK_SOURCE_DIR) / "tests/data" / name);
        int found = 0;
        double reciprocal_ranks = 0;  // over the first ten, for tuning the ranking (printed)
        for (const StaffQuery& sq : queries) {
            ++total;
            SearchQuery q;
            q.text = sq.query;
            q.limit = 10;
            q.as_you_type = false;
            auto r = (*engine)->search(q);
            ASSERT_TRUE(r.is_ok()) << r.error();
            if (sq.expected == "-") {
                EXPECT_TRUE(r->hits.empty() && r->corrections.empty())
                    << "'" << sq.query << "' should match nothing, got " << r->hits.size() << " hits, showing results for '"
                    << r->showing_results_for << "'";
                if (r->hits.empty() && r->corrections.empty()) {
                    ++found;
                    reciprocal_ranks += 1;
                }
                continue;
            }
            bool ok = false, ranked = false;
            std::string got;
            for (size_t i = 0; i < r->hits.size(); ++i) {
                const bool right = ("|" + sq.expected + "|").find("|" + r->hits[i].slug + "|") != std::string::npos;
                if (right && !ranked) reciprocal_ranks += 1.0 / static_cast<double>(i + 1);
                ranked = ranked || right;
                if (i < 3) {
                    got += r->hits[i].slug + " ";
                    ok = ok || right;
                }
            }
            if (ok) ++found;
            else ADD_FAILURE() << "'" << sq.query << "' should find " << sq.expected << " in the top 3, got: " << got;
        }
        std::cout << "[ staff queries ] " << name << ": " << found << " of " << queries.size() << " in the top three; MRR@10 "
                  << reciprocal_ranks / static_cast<double>(std::max<size_t>(queries.size(), 1)) << "\n";
    }
    EXPECT_GE(total, 30);
}

// Issue 15: staff type questions, not keywords. The answer comes first, a number means
// that number ("50" is not "500"), and words the library does not have are said so.
TEST_F(Library, QuestionsStaffTypePutTheAnswerFirst) {
    auto engine = SearchEngine::create(*db_);
    ASSERT_TRUE(engine.is_ok());
    auto first = [&](const std::string& text, bool as_you_type) {
        SearchQuery q;
        q.text = text;
        q.as_you_type = as_you_type;
        auto r = (*engine)->search(q);
        EXPECT_TRUE(r.is_ok()) << text;
        return r && !r->hits.empty() ? r->hits.front().slug : std::string("(none)");
    };
    for (bool typing : {false, true}) {
        EXPECT_EQ(first("parcel never arrived", typing), "missing-parcels") << (typing ? "as typed" : "whole");
        EXPECT_EQ(first("who approves goodwill over 50", typing), "approval-limits") << (typing ? "as typed" : "whole");
    }

    SearchQuery q;
    q.text = "who approves goodwill over 50";
    q.as_you_type = true;  // the last word while typing: still exactly 50
    auto r = (*engine)->search(q);
    ASSERT_TRUE(r.is_ok());
    for (const SearchHit& h : r->hits)
        for (const TextRange& m : h.snippet_highlights)
            EXPECT_NE(h.snippet.substr(m.start, m.length), "500") << h.slug << ": '50' marked '500'";
    EXPECT_EQ(r->unknown_words, std::vector<std::string>{"50"}) << "no policy has the figure 50: said, not hidden";

    q.text = "café crème";
    r = (*engine)->search(q);
    ASSERT_TRUE(r.is_ok());
    EXPECT_TRUE(r->hits.empty()) << "no plausible correction: nothing matched";
    EXPECT_TRUE(r->corrections.empty()) << "'" << r->showing_results_for << "'";
    EXPECT_EQ(r->unknown_words, (std::vector<std::string>{"café", "crème"}));

    q.text = "xylophone escalte to manager";
    r = (*engine)->search(q);
    ASSERT_TRUE(r.is_ok());
    EXPECT_FALSE(r->hits.empty());
    EXPECT_EQ(r->unknown_words, std::vector<std::string>{"xylophone"}) << "the word left out is told";
    EXPECT_EQ(r->showing_results_for, "escalate to manager") << "what was searched, without the unknown word";
}

// Issue 15: the passages staff read under each hit are sentences, not artefacts of how
// the Markdown was flattened: no "returns;." or "14.\".", no lines run together, no
// table cells run together into a repeated phrase, no punctuation after the leading "…",
// and a stop word is never what is marked.
TEST_F(Library, PassagesReadCleanly) {
    auto engine = SearchEngine::create(*db_);
    ASSERT_TRUE(engine.is_ok());
    std::vector<std::string> queries;
    for (const char* name : {"staff_queries_a.tsv", "staff_queries_b.tsv"})
        for (const StaffQuery& sq : read_staff_queries(fs::path(HANDBOOK_SOURCE_DIR) / "tests/data" / name)) queries.push_back(sq.query);
    for (const char* q : {"escalation", "team leader", "receipt", "approval", "goodwill", "refnd no receipt", "not received"})
        queries.push_back(q);
    const std::string ellipsis = "\xE2\x80\xA6";
    int passages = 0;
    for (const std::string& text : queries) {
        SearchQuery q;
        q.text = text;
        q.limit = 10;
        auto r = (*engine)->search(q);
        ASSERT_TRUE(r.is_ok()) << r.error();
        for (const SearchHit& h : r->hits) {
            const std::string& p = h.snippet;
            ++passages;
            const std::string where = "'" + text + "' in " + h.slug + ": " + p;
            EXPECT_EQ(p.find('\n'), std::string::npos) << where;
            for (const char* bad : {";.", ",.", ":.", ".\".", "..\n"}) EXPECT_EQ(p.find(bad), std::string::npos) << bad << " " << where;
            if (p.compare(0, ellipsis.size(), ellipsis) == 0 && p.size() > ellipsis.size()) {
                EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(p[ellipsis.size()])) || p[ellipsis.size()] == '"' ||
                            p[ellipsis.size()] == '$' || static_cast<unsigned char>(p[ellipsis.size()]) >= 0x80)
                    << where;
            }
            // A two-word phrase straight after itself ("team leader team leader").
            std::istringstream in(p);
            std::vector<std::string> w;
            for (std::string x; in >> x;) w.push_back(x);
            for (size_t i = 3; i < w.size(); ++i)
                EXPECT_FALSE(w[i - 3] == w[i - 1] && w[i - 2] == w[i]) << "'" << w[i - 1] << " " << w[i] << "' twice: " << where;
            for (const TextRange& m : h.snippet_highlights) {
                std::string marked = p.substr(m.start, m.length);
                for (char& c : marked) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                for (const char* stop : {"no", "not", "the", "a", "to", "of", "who", "over", "never"})
                    EXPECT_NE(marked, stop) << "a stop word is marked: " << where;
            }
        }
    }
    EXPECT_GT(passages, 300);
}
