#include "search.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "article_store.h"
#include "plain_text.h"
#include "search_rank.h"
#include "spelling.h"
#include "text_tokenizer.h"
#include "word_forms_tokenizer.h"

namespace handbook {
namespace {

// Common words that do not have to appear in a matching article, and are left out when
// the query has other words. Staff type questions ("who approves goodwill over 50",
// "parcel never arrived"): besides the usual function words, the words that frame a
// question or a comparison say nothing about which policy is meant. A negation that
// does matter is part of a synonym phrase ("not arrived", "no receipt"), which is
// matched before a word is looked at on its own.
const std::unordered_set<std::string> kStopWords = {
    "a", "above", "am", "an", "and", "any", "are", "as", "at", "be", "been", "below", "but", "by",
    "can", "could", "do", "does", "for", "from", "had", "has", "have", "how", "i", "if", "in", "into", "is",
    "it", "its", "me", "my", "never", "no", "not", "of", "on", "or", "our", "over", "should", "so", "than",
    "that", "the", "their", "them", "then", "there", "they", "this", "to", "under", "was", "we", "were",
    "what", "when", "where", "which", "who", "why", "will", "with", "would", "you", "your"};

// The ranking's rules (RankingRules in search.h holds their numbers). Each was measured
// on every corpus of bench/ (package descriptions, Perl's module documentation; Python's
// docstrings held out) before it was kept: a rule that helps one kind of library and
// costs another is tuning to one library, not ranking (issue 21; bench/RESULTS.md,
// "Ranking rules on every corpus").
//
// Title and tag coverage: bm25 alone lets a long article that mentions every word once
// outrank the article whose title is the query: in a small library the words staff type
// are in many articles, so their idf is small. So articles are ranked by bm25 times
// how much of the query their title and tags cover, at most twice the bm25 score (a
// title covering the whole query; "Ranked whole" below says where it is weighed). The
// staff queries need it (every right policy in the top three), and so does Perl's
// documentation (MRR@10 full 0.53 -> 0.47 without it).
// Measured and not kept (RankingRules keeps their switches for the benchmark): weighing
// the cover by how much of the title the query explains (title_precision 0.5: "Tie::Array"
// for "base class for tied arrays" over a long title sharing one word) and a title bm25
// weight of 1 instead of 10 each gained on the package corpus (MRR@10 full at 10k 0.824
// -> 0.837 and 0.841) and cost Perl nothing beyond noise, but each put a staff query out
// of the top three ("supervisor approve refund", "two person delivery").
//
// Articles with every word whose words are near each other fill the page alone when
// there are this many; while a short word is typed, the best this many by bm25 are
// re-ranked by their cover.
constexpr int kCandidates = 40;

// All words: an article with every word of the query scores double against one with
// none of them (RankingRules::all_words_bonus), since the words staff type are not always
// the article's own and a short article with the rare word should beat a long one that
// mentions every word once in passing. An article with some of the words gets part of
// the bonus: its share of the query's words weighed by idf (handbook_rank). It was all or
// nothing, which on long documents rewarded the ones that hold every word somewhere over
// the short one exactly about the query that lacks a common word of it ("Perl5 access to
// the gdbm library": perlNNNdelta over GDBM_File): Perl MRR@10 full 0.45 -> 0.53; the
// package corpus gained too (0.817 -> 0.824 at 10k). Strict order (every word first)
// lost on the package corpus: MRR@10 as-you-type 0.459 -> 0.477, full 0.807 -> 0.817.
//
// Near each other: in an article longer than RankingRules::near_window tokens, only the
// words within the best window of that many body tokens (and those of its title, tags
// and category) earn the bonus, and every-word articles fill the page alone only when
// their words are that near each other. A long page that uses every word of the query
// somewhere (a manual, a release history) is weak evidence; the short page about the
// query that lacks one of its words is strong ("base class for tied arrays": Tie::Array,
// whose page never says "base", was under more than 40 long pages with all four words,
// unscored). Perl MRR@10 / R@10 full 0.528 / 0.698 -> 0.545 / 0.732, typo
// 0.509 / 0.676 -> 0.526 / 0.708; the package corpus's documents are short (61 tokens
// on average) and its figures are unchanged at 1k, 10k and 64k; Python's (held out)
// unchanged. A window of 32 or 64 cost the package corpus R@10 (0.930 -> 0.917 at 10k,
// its longer descriptions); 128 gained less on Perl (bench/RESULTS.md, 2026-12-07).
//
// Ranked whole: handbook_rank weighs the title and tag cover itself (it has every
// match's places), so the best articles by the whole score come first and only the
// page's are read, for the every-word match and the fill alike; the re-rank below stays
// for a short word being typed (kShortPrefixChars), which the expression leaves out. The
// fill re-ranked only the page's ten best by bm25, which left out the article whose
// title is the answer but whose body says little of it ("List::Util::XS" for "Indicate
// if List::Util was compiled with a C compiler"). Ranking all of them let titles that
// merely share one common word in ("lib64gcc-11-dev" for "C++11 library for
// serialization", over libcereal-dev), so the fill's title cover is weighed by the share
// of the title the query's words are (RankingRules::fill_title_precision): Perl R@10
// full 0.732 -> 0.750, typo 0.708 -> 0.726 (MRR@10 -0.005, within its noise of 0.009);
// the package corpus MRR@10 full +0.008 at 1k, +0.012 at 10k, +0.021 at 64k; Python's
// (held out) +0.010. The every-word articles keep the cover by count alone: weighing
// theirs too put a staff query out of the top three. Reading 10 rows instead of 40 made
// a keystroke's search a quarter faster at 64k (bench/RESULTS.md, 2026-12-07 22:30).

// Own forms: the index stems its words (porter), so "debugging" matches "debug" and
// "debugger" too, which staff want; but bm25 then counted every form alike, and in a
// library of technical pages the form a person types says more than its stem ("Perl
// debugging": perldebug, which says "debugging" throughout, was under CPAN::Debug).
// The index keeps each inflected word's own form beside its stem (word_forms_tokenizer.h),
// and an inflected query word scores half by its stem and half by its own form
// (RankingRules::own_form_share), so the pages that say the word as typed count double.
// Perl MRR@10 / R@10 full 0.540 / 0.750 -> 0.557 / 0.772, typo 0.520 / 0.726 -> 0.540 /
// 0.752; the package corpus and Python's (held out) unchanged within noise (+0.004 MRR@10
// on both); the share was set from plain FTS5 (stemmed and unstemmed bm25 summed, best
// at equal parts on Perl, neutral elsewhere) before Handbook was measured. A form in more
// than own_form_max_docs articles is left out (the stem alone scores it as before): only
// a large library has such forms, they are common words there and their lists long. At
// 64k articles every form cost a quarter more work per full search (counted by callgrind),
// forms in at most 2000 articles a tenth, in at most 500 a twentieth, with the same
// figures on every corpus as with all of them (bench/RESULTS.md, 2026-12-08).

// A word still being typed that is this short (in characters) and begins words in more
// than kTitlesOnlyAbove articles is not matched as a prefix by FTS5: the prefix would
// match (and bm25 would score) most of a large library on every keystroke, and FTS5
// keeps no index of one-letter prefixes (it merges every word's list). On its own it
// lists the titles that begin with it; after other words it lifts titles with another
// word that begins with it. Longer words, and short ones on a smaller library, are
// ordinary prefixes.
constexpr size_t kShortPrefixChars = 2;

bool is_number(const std::string& word) {
    return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Number of characters (not bytes) of a UTF-8 word.
size_t char_count(const std::string& word) {
    size_t n = 0;
    for (char c : word) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

// One query word (or a multi-word synonym) and everything it may match.
struct TermGroup {
    std::vector<std::string> alternatives;  // FTS5 phrases, already quoted
    std::vector<int64_t> alternative_docs;  // articles each matches (upper bound)
    std::vector<double> alternative_weights;  // each one's share of the word's score
    std::vector<char> scores_only;            // matches nothing the others do not (its own form)
    bool required = true;
    int64_t doc_estimate = 0;  // articles the group matches (upper bound)

    void add(std::string phrase, int64_t docs, double weight = 1) {
        alternatives.push_back(std::move(phrase));
        alternative_docs.push_back(docs);
        alternative_weights.push_back(weight);
        scores_only.push_back(0);
        doc_estimate += docs;
    }
    // A phrase within another of the group (a word's own form within its stem): it
    // scores, it never widens the match.
    void add_scoring(std::string phrase, int64_t docs, double weight) {
        add(std::move(phrase), docs, weight);
        scores_only.back() = 1;
        doc_estimate -= docs;
    }
};

// An FTS5 expression and, for handbook_rank(), how many articles hold each of its
// phrases in order (-1: the phrase only narrows, it does not score).
struct MatchExpression {
    std::string text;
    std::vector<int64_t> phrase_docs;
    std::vector<int> phrase_groups;  // the query word each phrase stands for (-1: not scored)
    std::vector<double> phrase_weights;  // each phrase's share of its word's score
    int groups = 0;                  // scored query words
    double partial_bonus = 1;        // handbook_rank's bonus for the share of the words a row has (1: none)
    double title_precision = 0;      // the title cover times (share of the title matched)^this
    bool cover_in_rank = false;      // handbook_rank weighs the title and tag cover (no re-rank)

    void add(const TermGroup& g, const char* joiner, bool scored) {
        if (!text.empty()) text += joiner;
        size_t phrases = 0;
        for (size_t k = 0; k < g.alternatives.size(); ++k) phrases += scored || !g.scores_only[k];
        if (phrases > 1) text += '(';
        bool first = true;
        for (size_t k = 0; k < g.alternatives.size(); ++k) {
            if (!scored && g.scores_only[k]) continue;  // narrowing only: it would narrow nothing
            if (!first) text += " OR ";
            first = false;
            text += g.alternatives[k];
            phrase_docs.push_back(scored ? g.alternative_docs[k] : -1);
            phrase_groups.push_back(scored ? groups : -1);
            phrase_weights.push_back(g.alternative_weights[k]);
        }
        if (scored) ++groups;
        if (phrases > 1) text += ')';
    }
    void only_titles_and_tags() { text = "{title tags} : (" + text + ")"; }
};

std::string quote_phrase(const std::string& words, bool prefix) {
    std::string out = "\"";
    for (char c : words) {
        if (c == '"') out += "\"\"";
        else out += c;
    }
    out += '"';
    if (prefix) out += '*';
    return out;
}

std::string cut_at_char_boundary(const std::string& text, size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    size_t n = max_bytes;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    return text.substr(0, n);
}

// The hits a search returns with their passage read (SearchQuery::passages).
size_t shown_passages(const SearchQuery& q) {
    return static_cast<size_t>(q.passages < 0 ? q.limit : std::min(q.passages, q.limit));
}

// Whether a match reads the passage of each candidate as it finds it (snippet() in the
// candidate query), or the search reads the passages of the hits it returns afterwards
// (read_passages, a second query over the same matches). snippet() tokenizes the whole
// article, so reading them afterwards saves about the tokens of the candidates that are
// not shown; it costs a second query: setting it up (the expression parsed, each word's
// list opened) about kSecondQueryTokens tokens' worth, and walking the matches about
// kTokensPerWalkedRow per article. Both fitted natively (2026-11-29) on the benchmark's
// corpus, whose 61-token documents keep reading during the match (latencies unchanged
// at 1k, 10k and 64k), and on the bundled policies (595 tokens on average), which read
// afterwards: a keystroke's search 3.05 -> 0.93 ms with 8 passages shown.
constexpr double kSecondQueryTokens = 2000;
constexpr double kTokensPerWalkedRow = 8;

bool read_passages_inline(int64_t expected, int candidates, size_t shown, double average_tokens) {
    const double matches = static_cast<double>(std::max<int64_t>(expected, 0));
    const double found = std::min(matches, static_cast<double>(candidates));
    const double saved = std::max(0.0, found - static_cast<double>(shown)) * average_tokens;
    return saved <= kSecondQueryTokens + kTokensPerWalkedRow * matches;
}

}  // namespace

void split_marked_text(const std::string& marked, std::string* text, std::vector<TextRange>* ranges) {
    text->clear();
    ranges->clear();
    size_t open = std::string::npos;
    for (char c : marked) {
        if (c == '\x01') open = text->size();
        else if (c == '\x02') {
            if (open != std::string::npos && text->size() > open)
                ranges->push_back({static_cast<uint32_t>(open), static_cast<uint32_t>(text->size() - open)});
            open = std::string::npos;
        } else {
            *text += c;
        }
    }
}

struct SearchEngine::Impl {
    Database& db;
    std::unique_ptr<TextTokenizer> words;    // unicode61, folded
    std::unique_ptr<TextTokenizer> stemmer;  // porter
    Vocabulary vocabulary;                   // surface words of published articles
    std::unordered_map<std::string, int64_t> stems;  // stemmed terms of the index -> articles with it
    // Synonyms keyed by the stemmed first word: (stemmed phrase words, group index).
    std::multimap<std::string, std::pair<std::vector<std::string>, size_t>> synonym_starts;
    std::vector<std::vector<std::string>> synonym_groups;  // surface phrases
    std::set<std::string> synonym_words;  // their words, folded: known even where no article has them
    int64_t loaded_seq = -1;
    std::string loaded_date;  // the in-force date the vocabulary was read for
    double average_tokens = 0;  // per indexed article (all columns): what a passage costs to read
    RankingRules rules;
    std::shared_ptr<RankContext> rank = std::make_shared<RankContext>();  // shared with handbook_rank
    Statement match_stmt;
    Statement passage_stmt;  // passages read after a match (see read_passages_inline)
    Statement browse_stmt;
    Statement titles_stmt;  // published titles in a range, alphabetical
    Statement seq_stmt;     // the store's latest change and in-force date (prepare_store_generation), asked every search

    explicit Impl(Database& d) : db(d) {}

    Status refresh() {
        seq_stmt.reset();
        if (!seq_stmt.step())
            return seq_stmt.status() ? Status::fail("the store's list of changes could not be read") : seq_stmt.status();
        const int64_t seq = seq_stmt.column_int(0);
        const std::string date = seq_stmt.column_text(1);
        seq_stmt.reset();  // no read left open on the store between searches
        if (seq == loaded_seq && date == loaded_date) return Status::ok();
        std::vector<VocabularyWord> list;
        auto vocab = db.prepare("SELECT term, doc FROM search_words_vocab");
        if (!vocab) return vocab.status();
        while (vocab->step()) list.push_back({vocab->column_text(0), vocab->column_int(1)});
        if (!vocab->status()) return vocab->status();
        vocabulary.assign(std::move(list));

        stems.clear();
        auto stem_vocab = db.prepare("SELECT term, doc FROM search_index_vocab");
        if (!stem_vocab) return stem_vocab.status();
        while (stem_vocab->step()) stems.emplace(stem_vocab->column_text(0), stem_vocab->column_int(1));
        if (!stem_vocab->status()) return stem_vocab->status();  // never search with half a vocabulary

        auto loaded_lengths = load_document_lengths(db);
        if (!loaded_lengths) return loaded_lengths.status();
        rank->lengths = std::move(*loaded_lengths);
        const DocumentLengths& lengths = rank->lengths;
        average_tokens = lengths.size() == 0 ? 0.0 : static_cast<double>(lengths.total_tokens) / static_cast<double>(lengths.size());

        auto groups = load_synonyms(db);
        if (!groups) return groups.status();
        synonym_groups = *groups;
        synonym_starts.clear();
        synonym_words.clear();
        for (size_t g = 0; g < synonym_groups.size(); ++g) {
            for (const auto& phrase : synonym_groups[g]) {
                for (const auto& t : words->tokenize(phrase)) synonym_words.insert(t.text);
                std::vector<std::string> stemmed;
                for (const auto& t : stemmer->tokenize(phrase)) stemmed.push_back(t.text);
                if (!stemmed.empty()) synonym_starts.emplace(stemmed.front(), std::make_pair(stemmed, g));
            }
        }
        loaded_seq = seq;
        loaded_date = date;
        return Status::ok();
    }

    int64_t stem_doc_count(const std::string& word) const {
        auto it = stems.find(stemmer->normalize(word));
        return it == stems.end() ? 0 : it->second;
    }

    // Articles a synonym phrase matches, at most: those with its least common word.
    int64_t phrase_doc_count(const std::string& phrase) const {
        int64_t least = -1;
        for (const Token& t : words->tokenize(phrase)) {
            int64_t n = stem_doc_count(t.text);
            if (least < 0 || n < least) least = n;
        }
        return std::max<int64_t>(least, 0);
    }

    // FTS5 matches a word being typed as a prefix of the index's stems, so once the typed
    // part runs past a word's stem it matches nothing: "authenticati" is no prefix of
    // "authent" (authentication), "geocodi" none of "geocod" (geocoding). The commonest
    // such words (by the unstemmed vocabulary) are added whole: their stems match.
    void add_words_past_their_stem(TermGroup& g, const std::string& prefix) const {
        constexpr size_t kMinChars = 4;      // shorter prefixes stay within every stem
        constexpr size_t kScanned = 512;     // words looked at (alphabetical)
        constexpr size_t kAdded = 4;         // stems added at most
        if (char_count(prefix) < kMinChars) return;
        const std::string stemmed_prefix = stemmer->normalize(prefix);
        std::vector<VocabularyWord> found = vocabulary.words_with_prefix(prefix, kScanned);
        std::stable_sort(found.begin(), found.end(),
                         [](const VocabularyWord& a, const VocabularyWord& b) { return a.doc_count > b.doc_count; });
        std::set<std::string> added;
        for (const VocabularyWord& w : found) {
            std::string stem = stemmer->normalize(w.word);
            if (stem.compare(0, stemmed_prefix.size(), stemmed_prefix) == 0) continue;  // the prefix finds it
            if (!added.insert(stem).second) continue;
            g.add(quote_phrase(w.word, false), stem_doc_count(w.word));
            if (added.size() >= kAdded) break;
        }
    }

    // An inflected word ("debugging") scores by its stem (every form of it, "debug",
    // "debugger") and by its own form, which the index keeps beside the stem (see the
    // own forms above): the pages that say the word itself count more than those that
    // say another form of it. A word that is its own stem scores as before.
    // `g` holds the word's stem phrase alone; `stem` is the word's stem.
    void add_own_form(TermGroup& g, const std::string& word, const std::string& stem) const {
        const double share = rules.own_form_share;
        if (share <= 0 || stem == word) return;
        auto it = stems.find(own_form_term(word));
        const int64_t docs = it == stems.end() ? 0 : it->second;
        if (rules.own_form_max_docs >= 0 && docs > rules.own_form_max_docs) return;
        g.alternative_weights.back() = 1 - share;
        if (docs > 0) g.add_scoring(quote_phrase(own_form_term(word), false), docs, share);
    }

    // A word the index has, or one of the synonyms' ("money" of "money back", which finds
    // "refund" in a library that never says it).
    bool is_known(const std::string& word) const {
        return vocabulary.contains(word) || stems.count(stemmer->normalize(word)) > 0 || synonym_words.count(word) > 0;
    }
    bool is_known_prefix(const std::string& prefix) const {
        if (vocabulary.has_prefix(prefix)) return true;
        auto it = synonym_words.lower_bound(prefix);
        return it != synonym_words.end() && it->compare(0, prefix.size(), prefix) == 0;
    }

    // The rank() expression of a match: handbook_rank with the phrases' counts and the rules.
    std::string rank_call(const MatchExpression& expression) const {
        std::string call = "handbook_rank('" +
                           phrase_counts_text(expression.phrase_docs, expression.phrase_groups, expression.phrase_weights) +
                           "', " + std::to_string(rules.bm25_b);
        for (double w : rules.column_weights) call += ", " + std::to_string(w);
        if (expression.cover_in_rank) {
            for (double v : {expression.partial_bonus, rules.near_window, rules.title_boost, rules.tag_boost,
                             static_cast<double>(std::max(expression.groups, 1)), expression.title_precision})
                call += ", " + std::to_string(v);
        } else if (expression.partial_bonus != 1) {
            call += ", " + std::to_string(expression.partial_bonus);
            if (rules.near_window > 0) call += ", " + std::to_string(rules.near_window);
        }
        return call + ")";
    }

    // Matching articles, best first: bm25 candidates re-ranked by title and tag coverage.
    // `initial`: a short word still being typed (see kShortPrefixChars), left out of
    // the expression: a title with a word that begins with it counts it as covered.
    // `expected`: how many articles the expression may match (the vocabulary's estimate).
    // `near_rows`: how many matching rows (candidates, not only the hits returned) have
    // their words near each other (handbook_rank reported no window cut for them).
    Result<std::vector<SearchHit>> run_match(const MatchExpression& expression, const SearchQuery& q, size_t groups,
                                             const std::string& initial, int candidates, int64_t expected,
                                             size_t* near_rows = nullptr) {
        const bool passages = read_passages_inline(expected, candidates, shown_passages(q), average_tokens);
        Statement& s = match_stmt;
        s.reset();
        rank->clear();
        s.bind(1, expression.text).bind(2, q.category).bind(3, q.tag).bind(4, candidates);
        s.bind(5, rank_call(expression)).bind(6, passages ? 1 : 0);
        std::vector<SearchHit> hits;
        while (s.step()) {
            SearchHit h;
            h.id = s.column_int(0);
            h.slug = s.column_text(1);
            split_marked_text(s.column_text(2), &h.title, &h.title_highlights);
            h.category = s.column_text(3);
            h.owner = s.column_text(4);
            h.effective = s.column_text(5);
            h.updated_at = s.column_text(6);
            h.version = static_cast<int>(s.column_int(7));
            h.coming_on = s.column_text(11);
            h.in_force = h.coming_on.empty() || h.coming_on != h.effective;
            std::string tags;
            std::vector<TextRange> tag_highlights;
            split_marked_text(s.column_text(9), &tags, &tag_highlights);
            if (passages) {
                split_marked_text(one_line_passage(s.column_text(10)), &h.snippet, &h.snippet_highlights);
            } else {
                h.passage_pending = true;
                h.match = expression.text;
            }
            double title_words = static_cast<double>(h.title_highlights.size());
            if (!initial.empty()) {
                // A title word that begins with it, other than the words already matched.
                for (const Token& t : words->tokenize(h.title)) {
                    if (t.text.compare(0, initial.size(), initial) != 0) continue;
                    bool matched = std::any_of(h.title_highlights.begin(), h.title_highlights.end(),
                                               [&](const TextRange& r) { return r.start == t.start; });
                    if (matched) continue;
                    h.title_highlights.push_back({static_cast<uint32_t>(t.start), static_cast<uint32_t>(t.end - t.start)});
                    std::sort(h.title_highlights.begin(), h.title_highlights.end(),
                              [](const TextRange& a, const TextRange& b) { return a.start < b.start; });
                    title_words += 1;
                    break;
                }
            }
            h.score = -s.column_double(8);
            if (!expression.cover_in_rank) {
                // The re-rank handbook_rank does itself when ranking whole (title_and_tag_boost).
                double n = static_cast<double>(std::max<size_t>(groups, 1) + (initial.empty() ? 0 : 1));
                double title_cover = std::min(1.0, title_words / n);
                if (expression.title_precision > 0 && title_words > 0) {
                    // How much of the title the query explains: "Tie::Array" for "base class for
                    // tied arrays" is the answer; a long title that shares one word is not.
                    const double title_length = static_cast<double>(std::max<size_t>(words->tokenize(h.title).size(), 1));
                    title_cover *= std::pow(std::min(1.0, title_words / title_length), expression.title_precision);
                }
                double tag_cover = std::min(1.0, static_cast<double>(tag_highlights.size()) / n);
                h.score *= 1.0 + rules.title_boost * title_cover + rules.tag_boost * tag_cover;
            }
            hits.push_back(std::move(h));
        }
        if (!s.status()) return s.status();
        if (near_rows && expression.cover_in_rank) {
            // Every matching row was ranked whole, so all count (each scored once).
            *near_rows = static_cast<size_t>(std::max<int64_t>(0, rank->rows_scored - static_cast<int64_t>(rank->scattered_rows.size())));
        } else if (near_rows) {
            std::vector<int64_t>& scattered = rank->scattered_rows;
            std::sort(scattered.begin(), scattered.end());
            *near_rows = 0;
            for (const SearchHit& h : hits)
                if (!std::binary_search(scattered.begin(), scattered.end(), h.id)) ++*near_rows;
        }
        std::stable_sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
        if (hits.size() > static_cast<size_t>(q.limit)) hits.resize(static_cast<size_t>(q.limit));
        return hits;
    }

    // Reads the passages of the pending hits among `hits`: one statement for the hits of
    // each match expression (a search has at most two). A hit is no longer pending after
    // this, even if reading failed (it is then shown without a passage).
    Status read_passages(const std::vector<SearchHit*>& hits) {
        std::map<std::string, std::vector<SearchHit*>> by_match;
        for (SearchHit* h : hits)
            if (h->passage_pending) by_match[h->match].push_back(h);
        for (auto& [match, group] : by_match) {
            std::string ids;  // a JSON array of the ids, for json_each
            int64_t low = group.front()->id, high = low;
            for (SearchHit* h : group) {
                h->passage_pending = false;
                ids += (ids.empty() ? "[" : ",") + std::to_string(h->id);
                low = std::min(low, h->id);
                high = std::max(high, h->id);
            }
            ids += "]";
            Statement& s = passage_stmt;
            s.reset();
            s.bind(1, match).bind(2, low).bind(3, high).bind(4, ids);
            while (s.step()) {
                const int64_t id = s.column_int(0);
                for (SearchHit* h : group)
                    if (h->id == id) split_marked_text(one_line_passage(s.column_text(1)), &h->snippet, &h->snippet_highlights);
            }
            Status st = s.status();
            s.reset();  // no read left open on the store between searches
            if (!st) return st;
        }
        return Status::ok();
    }

    // The articles of a category or tag, or (with `title_start`) those whose title
    // begins with it, alphabetical.
    Result<std::vector<SearchHit>> browse(const SearchQuery& q, const std::string& title_start = "") {
        Statement& s = title_start.empty() ? browse_stmt : titles_stmt;
        s.reset();
        s.bind(2, q.category).bind(3, q.tag).bind(4, q.limit);
        if (!title_start.empty()) {
            // Titles from "de" up to (not including) "df": the last byte raised by one
            // (never 0xFF in UTF-8). NOCASE folds ASCII letters only, like the index.
            std::string end = title_start;
            end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
            s.bind(1, title_start).bind(5, end);
        }
        std::vector<SearchHit> hits;
        while (s.step()) {
            SearchHit h;
            h.id = s.column_int(0);
            h.slug = s.column_text(1);
            h.title = s.column_text(2);
            h.category = s.column_text(3);
            h.owner = s.column_text(4);
            h.effective = s.column_text(5);
            h.updated_at = s.column_text(6);
            h.version = static_cast<int>(s.column_int(7));
            h.coming_on = s.column_text(8);
            if (!title_start.empty()) {
                std::vector<Token> title_words = words->tokenize(h.title);
                if (!title_words.empty() && title_words.front().text.compare(0, title_start.size(), title_start) == 0)
                    h.title_highlights.push_back({static_cast<uint32_t>(title_words.front().start),
                                                  static_cast<uint32_t>(title_words.front().end - title_words.front().start)});
            }
            hits.push_back(std::move(h));
        }
        if (!s.status()) return s.status();
        return hits;
    }
};

SearchEngine::SearchEngine(Database& db) : impl_(std::make_unique<Impl>(db)) {}
SearchEngine::~SearchEngine() = default;

Result<std::unique_ptr<SearchEngine>> SearchEngine::create(Database& db) {
    auto engine = std::unique_ptr<SearchEngine>(new SearchEngine(db));
    Impl& impl = *engine->impl_;
    auto words = TextTokenizer::create(db, false);
    if (!words) return words.status();
    auto stemmer = TextTokenizer::create(db, true);
    if (!stemmer) return stemmer.status();
    impl.words = std::move(*words);
    impl.stemmer = std::move(*stemmer);
    if (Status st = register_rank_function(db, impl.rank); !st) return st;

    // When a version not yet in force comes into force: the article's own date when none
    // of it is in force yet ('upcoming'), else the soonest of its newer versions.
    static const char* kComingOn =
        "CASE WHEN a.status = 'upcoming' THEN a.effective ELSE "
        "(SELECT min(v.effective) FROM article_versions v WHERE v.article_id = a.id AND v.version > a.version) END";
    const std::string filters =
        " AND (?2 = '' OR a.category = ?2)"
        " AND (?3 = '' OR EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.tag = ?3))";
    auto match = db.prepare(
        std::string("SELECT a.id, a.slug, highlight(search_index, 0, char(1), char(2)), a.category, a.owner, "
                    "a.effective, a.updated_at, a.version, search_index.rank, highlight(search_index, 1, char(1), char(2)), "
                    "CASE WHEN ?6 THEN snippet(search_index, 3, char(1), char(2), '…', 24) END, ") + kComingOn +
        " FROM search_index JOIN articles a ON a.id = search_index.rowid "
        "WHERE search_index MATCH ?1 AND search_index.rank MATCH ?5" + filters + " ORDER BY search_index.rank LIMIT ?4");
    if (!match) return match.status();
    impl.match_stmt = std::move(*match);
    // The passages of some hits of one match expression (?1), their ids a JSON array (?4)
    // within [?2, ?3]: FTS5 walks the matches in that range once (the words' lists are
    // read once, not once per hit, which for a prefix means merging every word it starts),
    // and snippet() reads the bodies of the listed hits only. The unary + keeps the list
    // from being handed to FTS5 as a lookup per id.
    auto passage = db.prepare(
        "SELECT rowid, snippet(search_index, 3, char(1), char(2), '…', 24) FROM search_index "
        "WHERE search_index MATCH ?1 AND rowid >= ?2 AND rowid <= ?3 AND +rowid IN (SELECT value FROM json_each(?4))");
    if (!passage) return passage.status();
    impl.passage_stmt = std::move(*passage);
    auto browse = db.prepare(
        std::string("SELECT a.id, a.slug, a.title, a.category, a.owner, a.effective, a.updated_at, a.version, ") + kComingOn +
        " FROM articles a WHERE a.status = 'published'" + filters + " ORDER BY a.title COLLATE NOCASE LIMIT ?4");
    if (!browse) return browse.status();
    impl.browse_stmt = std::move(*browse);
    auto titles = db.prepare(
        std::string("SELECT a.id, a.slug, a.title, a.category, a.owner, a.effective, a.updated_at, a.version, ") + kComingOn +
        " FROM articles a WHERE a.status = 'published' AND a.title >= ?1 COLLATE NOCASE AND a.title < ?5 COLLATE NOCASE" +
        filters + " ORDER BY a.title COLLATE NOCASE LIMIT ?4");
    if (!titles) return titles.status();
    impl.titles_stmt = std::move(*titles);
    auto seq = prepare_store_generation(db);
    if (!seq) return seq.status();
    impl.seq_stmt = std::move(*seq);
    if (Status st = impl.refresh(); !st) return st;
    return engine;
}

Result<SearchResults> SearchEngine::search(const SearchQuery& query) {
    Impl& impl = *impl_;
    if (Status st = impl.refresh(); !st) return st;
    SearchQuery q = query;
    q.limit = std::clamp(q.limit, 1, 100);
    q.category = cut_at_char_boundary(q.category, 200);
    q.tag = cut_at_char_boundary(q.tag, 200);

    SearchResults results;
    std::string text = cut_at_char_boundary(query.text, kMaxQueryBytes);
    std::vector<Token> tokens = impl.words->tokenize(text);
    // The last word is unfinished only if the text ends inside it (no trailing space or
    // quote). A number is never a prefix: "over 50" means 50, not 500.
    bool last_is_prefix = q.as_you_type && !tokens.empty() && tokens.back().end == text.size() && !is_number(tokens.back().text);
    if (tokens.size() > kMaxQueryWords) {
        tokens.resize(kMaxQueryWords);
        last_is_prefix = false;
    }
    std::string initial;  // see kShortPrefixChars and run_match
    if (last_is_prefix && char_count(tokens.back().text) <= kShortPrefixChars &&
        impl.vocabulary.prefix_doc_count(tokens.back().text) > kTitlesOnlyAbove) {
        if (tokens.size() == 1) {
            auto hits = impl.browse(q, tokens.back().text);
            if (!hits) return hits.status();
            results.hits = std::move(*hits);
            return results;
        }
        initial = tokens.back().text;
        tokens.pop_back();
        last_is_prefix = false;
    }
    if (tokens.empty()) {
        if (q.category.empty() && q.tag.empty()) return results;
        auto hits = impl.browse(q);
        if (!hits) return hits.status();
        results.hits = std::move(*hits);
        return results;
    }

    // 1. Spelling: replace words the index does not know with the nearest word it does,
    // when that is a plausible typo. A word no article has and none is close to would
    // match nothing: it is left out, and said so (unknown_words), rather than silently
    // dropped or "corrected" into an unrelated word.
    std::vector<std::string> words;
    bool corrected = false;
    for (size_t i = 0; i < tokens.size(); ++i) {
        std::string w = tokens[i].text;
        bool prefix = last_is_prefix && i + 1 == tokens.size();
        bool known = prefix ? (impl.is_known_prefix(w) || impl.is_known(w)) : impl.is_known(w);
        if (!known) {
            std::optional<std::string> fix = impl.vocabulary.correct_word(w);
            if (!fix && prefix) fix = impl.vocabulary.correct_prefix(w);
            if (!fix) {
                // Stop words are left out anyway; anything else the person should know about.
                if (!kStopWords.count(w)) results.unknown_words.push_back(text.substr(tokens[i].start, tokens[i].end - tokens[i].start));
                if (prefix) last_is_prefix = false;
                continue;
            }
            results.corrections.push_back({w, *fix});
            w = *fix;
            corrected = true;
        }
        words.push_back(w);
    }
    // Nothing left to search for, or only words that mean nothing on their own ("the"
    // after an unknown word): nothing matched, and the screen says which words were unknown.
    // (Also when the only words were stop words no article has: "over" in a library
    // without it. Found by fuzz_search: the expression was empty.)
    if (words.empty() ||
        (!results.unknown_words.empty() && std::all_of(words.begin(), words.end(), [](const std::string& w) { return kStopWords.count(w) > 0; })))
        return results;
    if (corrected) {
        for (const auto& w : words) {
            if (!results.showing_results_for.empty()) results.showing_results_for += ' ';
            results.showing_results_for += w;
        }
    }

    // 2. Synonyms: the longest synonym phrase starting at each word, compared by stems.
    std::vector<std::string> stemmed;
    for (const auto& w : words) stemmed.push_back(impl.stemmer->normalize(w));
    std::vector<TermGroup> groups;
    std::set<std::string> terms;
    for (size_t i = 0; i < words.size();) {
        bool prefix = last_is_prefix && i + 1 == words.size();
        size_t best_len = 0;
        size_t best_group = 0;
        auto range = impl.synonym_starts.equal_range(stemmed[i]);
        for (auto it = range.first; it != range.second; ++it) {
            const auto& phrase = it->second.first;
            if (phrase.size() <= best_len || i + phrase.size() > words.size()) continue;
            if (std::equal(phrase.begin(), phrase.end(), stemmed.begin() + static_cast<long>(i))) {
                best_len = phrase.size();
                best_group = it->second.second;
            }
        }
        TermGroup g;
        if (best_len > 0) {
            for (const auto& phrase : impl.synonym_groups[best_group]) {
                g.add(quote_phrase(phrase, false), impl.phrase_doc_count(phrase));
                for (const auto& t : impl.words->tokenize(phrase))
                    if (!kStopWords.count(t.text)) terms.insert(t.text);  // "of" in "proof of purchase"
            }
            // A finished synonym may still be the start of a longer word being typed.
            if (prefix && best_len == 1) g.add(quote_phrase(words[i], true), impl.vocabulary.prefix_doc_count(words[i]));
            g.required = true;
            i += best_len;
        } else {
            g.add(quote_phrase(words[i], prefix),
                  prefix ? impl.vocabulary.prefix_doc_count(words[i]) : impl.stem_doc_count(words[i]));
            if (prefix) impl.add_words_past_their_stem(g, words[i]);
            else impl.add_own_form(g, words[i], stemmed[i]);
            g.required = prefix || !impl.rules.drop_stop_words || kStopWords.count(words[i]) == 0;
            if (!kStopWords.count(words[i])) terms.insert(words[i]);
            ++i;
        }
        groups.push_back(std::move(g));
    }
    results.terms.assign(terms.begin(), terms.end());

    MatchExpression all_of;
    int64_t all_of_docs = -1;  // at most the rarest group's
    std::vector<const TermGroup*> scored;
    bool any_required = std::any_of(groups.begin(), groups.end(), [](const TermGroup& g) { return g.required; });
    for (const auto& g : groups) {
        // Stop words are left out when there are other words: they are in nearly every
        // article, so they neither narrow nor rank, and bm25 over every row is slow.
        if (any_required && !g.required) continue;
        all_of.add(g, " AND ", true);
        scored.push_back(&g);
        if (all_of_docs < 0 || g.doc_estimate < all_of_docs) all_of_docs = g.doc_estimate;
    }
    if (all_of_docs > kTitlesOnlyAbove) all_of.only_titles_and_tags();
    size_t used = scored.size();
    // The fill (see kFillBudget): articles with any of the rarest words, scored by all.
    std::vector<const TermGroup*> rarest = scored;
    std::stable_sort(rarest.begin(), rarest.end(),
                     [](const TermGroup* a, const TermGroup* b) { return a->doc_estimate < b->doc_estimate; });
    size_t narrowing = 0;
    int64_t any_of_docs = 0;
    for (; narrowing < rarest.size(); ++narrowing) {
        if (any_of_docs + rarest[narrowing]->doc_estimate > kFillBudget && narrowing > 0) break;
        any_of_docs += rarest[narrowing]->doc_estimate;
    }
    MatchExpression any_of;
    for (const TermGroup* g : scored) any_of.add(*g, " OR ", true);
    if (narrowing < rarest.size()) {
        MatchExpression rare;
        for (size_t k = 0; k < narrowing; ++k) rare.add(*rarest[k], " OR ", false);
        any_of.text = "(" + rare.text + ") AND (" + any_of.text + ")";
        any_of.phrase_docs.insert(any_of.phrase_docs.begin(), rare.phrase_docs.begin(), rare.phrase_docs.end());
        any_of.phrase_groups.insert(any_of.phrase_groups.begin(), rare.phrase_groups.begin(), rare.phrase_groups.end());
        any_of.phrase_weights.insert(any_of.phrase_weights.begin(), rare.phrase_weights.begin(), rare.phrase_weights.end());
    }
    if (any_of_docs > kTitlesOnlyAbove) any_of.only_titles_and_tags();

    // 3. Articles with every word, then articles with any ("All words" at the top): the
    // latter only when fewer than kCandidates articles have every word (with more, the
    // page is theirs; only those with the words near each other count, see near_window),
    // or, for a keystroke while typing, fewer than fill the page (the next keystroke
    // narrows anyway; same quality in the benchmark, a third less time per keystroke at
    // 64k articles), and only as many as fit on the page.
    //
    // The all-words bonus in part ("All words" at the top), except while a word is typed:
    // the person types it to narrow what the last keystroke showed, and a prefix matches so
    // many words that its idf is small, so an article without it would keep nearly the
    // whole bonus (package corpus as-you-type MRR@10 at 1k documents: 0.698 this way, 0.691
    // with the bonus in part while typing too).
    const bool partial_bonus = impl.rules.all_words_coverage && !last_is_prefix;
    if (partial_bonus) all_of.partial_bonus = any_of.partial_bonus = impl.rules.all_words_bonus;
    all_of.title_precision = impl.rules.title_precision;
    any_of.title_precision = impl.rules.fill_title_precision;
    any_of.cover_in_rank = impl.rules.fill_cover_in_rank && initial.empty();
    all_of.cover_in_rank = impl.rules.every_word_cover_in_rank && initial.empty();
    const int candidates = std::max(kCandidates, q.limit);
    size_t with_every_word = 0;  // with them near each other
    auto strict = impl.run_match(all_of, q, used, initial, all_of.cover_in_rank ? q.limit : candidates, all_of_docs, &with_every_word);
    if (!strict) return strict.status();
    results.hits = std::move(*strict);
    const bool page_filled = impl.rules.every_word_first && with_every_word >= static_cast<size_t>(q.as_you_type ? q.limit : candidates);
    if (used > 1 && !page_filled) {
        // With the bonus in part, handbook_rank gave them the whole of it already.
        if (!partial_bonus)
            for (auto& h : results.hits) h.score *= impl.rules.all_words_bonus;
        auto loose = impl.run_match(any_of, q, used, initial, q.limit, any_of_docs);
        if (!loose) return loose.status();
        for (auto& h : *loose) {
            bool seen = std::any_of(results.hits.begin(), results.hits.end(), [&](const SearchHit& x) { return x.id == h.id; });
            if (!seen) results.hits.push_back(std::move(h));
        }
        std::stable_sort(results.hits.begin(), results.hits.end(), [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
        if (results.hits.size() > static_cast<size_t>(q.limit)) results.hits.resize(static_cast<size_t>(q.limit));
    }
    // 4. Passages, for the hits asked for only: the candidates left out above and the hits
    // below the screen never need theirs read.
    if (Status st = read_passages(results, 0, shown_passages(q)); !st) return st;
    return results;
}

void SearchEngine::set_ranking(const RankingRules& rules) { impl_->rules = rules; }

Status SearchEngine::read_passages(SearchResults& results, size_t first, size_t count) {
    std::vector<SearchHit*> hits;
    for (size_t i = first; i < results.hits.size() && i - first < count; ++i) hits.push_back(&results.hits[i]);
    return impl_->read_passages(hits);
}

}  // namespace handbook
