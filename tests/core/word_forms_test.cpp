#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "core/article_store.h"
#include "core/schema.h"
#include "core/search.h"
#include "core/search_index.h"
#include "core/search_rank.h"
#include "core/word_forms_tokenizer.h"
#include "test_corpus.h"

using namespace handbook;

namespace {

// A table with the search index's tokenizer, on a connection opened as every one is.
std::unique_ptr<Database> table_with(const std::string& text) {
    auto db = Database::open(":memory:");
    EXPECT_TRUE(db.is_ok()) << db.error();
    EXPECT_TRUE((*db)->exec("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'word_forms');"
                            "CREATE VIRTUAL TABLE t_terms USING fts5vocab(t, instance);")
                    .is_ok());
    auto ins = (*db)->prepare("INSERT INTO t(rowid, body) VALUES (1, ?1)");
    EXPECT_TRUE(ins->bind(1, text).run().is_ok());
    return std::move(*db);
}

// (offset, term) of every token the index holds.
std::set<std::pair<int64_t, std::string>> indexed_terms(Database& db) {
    std::set<std::pair<int64_t, std::string>> out;
    auto s = db.prepare("SELECT offset, term FROM t_terms");
    while (s->step()) out.insert({s->column_int(0), s->column_text(1)});
    return out;
}

int64_t matches(Database& db, const std::string& expression) {
    auto s = db.prepare("SELECT count(*) FROM t WHERE t MATCH ?1");
    s->bind(1, expression);
    return s->step() ? s->column_int(0) : -1;
}

}  // namespace

// An inflected word is indexed as its stem and, at the same place, as its own form; a
// word that is its own stem only once.
TEST(WordForms, TheIndexKeepsAnInflectedWordsOwnFormAtItsStemsPlace) {
    auto db = table_with("Débugging the debugger: debug it");
    const std::set<std::pair<int64_t, std::string>> expected = {
        {0, "debug"}, {0, own_form_term("debugging")},  // folded: no accent, lower case
        {1, "the"},
        {2, "debugg"}, {2, own_form_term("debugger")},  // porter's stem
        {3, "debug"},
        {4, "it"}};
    EXPECT_EQ(indexed_terms(*db), expected);
}

TEST(WordForms, AQueryMatchesStemsOrOneOwnForm) {
    auto db = table_with("Debugging the debugger");
    EXPECT_EQ(matches(*db, "\"debugs\""), 1);  // stemmed, as the index
    EXPECT_EQ(matches(*db, "\"" + own_form_term("debugger") + "\""), 1);
    EXPECT_EQ(matches(*db, "\"" + own_form_term("debugs") + "\""), 0);  // the form is not in the text
    EXPECT_EQ(matches(*db, "\"" + own_form_term("the") + "\""), 0);     // a word that is its own stem has none
    EXPECT_EQ(matches(*db, "\"deb\"*"), 1);                               // prefixes of stems, as before
    // The marker is no word character: typed into a phrase, it separates words.
    EXPECT_EQ(matches(*db, "\"x" + own_form_term("debugger") + "\""), 0);
}

// Highlights and snippets read the text with the stems alone: an own form marks its word.
TEST(WordForms, AnOwnFormHighlightsItsWord) {
    auto db = table_with("Debugging the debugger");
    auto s = db->prepare("SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH ?1");
    s->bind(1, "\"" + own_form_term("debugger") + "\"");
    ASSERT_TRUE(s->step()) << s->status().error;
    EXPECT_EQ(s->column_text(0), "Debugging the [debugger]");
}

// An own form takes no place of its own: bm25 sees a row as long as its words.
TEST(WordForms, OwnFormsDoNotLengthenARow) {
    auto db = test::fixture_store();
    ASSERT_TRUE(save_article(*db, test::make_article("returning-items", "Returning damaged items", "Returns", {},
                                                      "Items returned damaged are checked."))
                    .is_ok());
    auto lengths = load_document_lengths(*db);
    ASSERT_TRUE(lengths.is_ok()) << lengths.error();
    auto id = db->prepare("SELECT id FROM articles WHERE slug = 'returning-items'");
    ASSERT_TRUE(id->step());
    const size_t at = lengths->find(id->column_int(0));
    ASSERT_LT(at, lengths->size());
    EXPECT_EQ(lengths->title_tokens[at], 3);
    EXPECT_EQ(lengths->tokens[at], 3 + 1 + 5);  // title, category, body; no tags
}

// A store written before own forms (schema 7) has its index built anew on opening:
// afterwards it holds them, and searches find what they found before.
TEST(WordForms, AStoreFromBeforeIsReindexedWithOwnForms) {
    auto db = Database::open(":memory:");
    ASSERT_TRUE(db.is_ok()) << db.error();
    ASSERT_TRUE(migrate(**db, 7).is_ok());
    ASSERT_TRUE(save_article(**db, test::make_article("debugging-tills", "Debugging tills", "Tills", {},
                                                       "When a till keeps failing, call support."))
                    .is_ok());
    auto own_forms = [&] {
        auto s = (*db)->prepare("SELECT count(*) FROM search_index_vocab WHERE term >= char(1) AND term < char(2)");
        return s->step() ? s->column_int(0) : -1;
    };
    EXPECT_EQ(own_forms(), 0);
    ASSERT_TRUE(migrate(**db).is_ok());
    EXPECT_EQ(*schema_version(**db), kSchemaVersion);
    EXPECT_GE(own_forms(), 3);  // debugging, tills, failing at least
    auto engine = SearchEngine::create(**db);
    ASSERT_TRUE(engine.is_ok()) << engine.error();
    SearchQuery q;
    q.text = "debugging till";
    auto r = (*engine)->search(q);
    ASSERT_TRUE(r.is_ok()) << r.error();
    ASSERT_FALSE(r->hits.empty());
    EXPECT_EQ(r->hits.front().slug, "debugging-tills");
}

// An inflected query word counts the articles that say it as typed above those that say
// another form of it more often: "debugging" finds the notes on debugging before the
// page that says "debug" four times (with own forms left out, the other way round).
TEST(WordForms, AnInflectedQueryWordPrefersArticlesThatSayItAsTyped) {
    auto db = test::empty_store();
    for (const Article& a :
         {test::make_article("debugger-guide", "Tools for the till", "Tills", {},
                             "Debug the till: debug it, debug it again, and debug the printer."),
          test::make_article("debugging-notes", "Notes on tills", "Tills", {}, "Debugging a till takes patience."),
          test::make_article("till-rolls", "Till rolls", "Tills", {}, "Paper rolls for the till."),
          test::make_article("till-keys", "Till keys", "Tills", {}, "Who keeps the keys to the till."),
          test::make_article("till-float", "Till float", "Tills", {}, "The float in the till each morning."),
          test::make_article("till-count", "Till count", "Tills", {}, "Counting the till at closing.")})
        ASSERT_TRUE(save_article(*db, a).is_ok());
    auto engine = SearchEngine::create(*db);
    ASSERT_TRUE(engine.is_ok()) << engine.error();
    auto first = [&] {
        SearchQuery q;
        q.text = "debugging";
        q.as_you_type = false;
        auto r = (*engine)->search(q);
        EXPECT_TRUE(r.is_ok()) << r.error();
        return r && !r->hits.empty() ? r->hits.front().slug : std::string("(none)");
    };
    EXPECT_EQ(first(), "debugging-notes");
    RankingRules stems_only;
    stems_only.own_form_share = 0;
    (*engine)->set_ranking(stems_only);
    EXPECT_EQ(first(), "debugger-guide");
}
