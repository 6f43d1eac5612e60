#include "search.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <unordered_set>

#include "article_store.h"
#include "spelling.h"
#include "text_tokenizer.h"

namespace handbook {
namespace {

// Common words that do not have to appear in a matching article (they still rank).
const std::unordered_set<std::string> kStopWords = {
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from", "how", "i",
    "if", "in", "into", "is", "it", "its", "my", "of", "on", "or", "our", "so", "that", "the", "their", "them",
    "then", "there", "they", "this", "to", "was", "we", "what", "when", "where", "which", "who", "why", "will",
    "with", "you", "your"};

// Field weights for bm25: title, tags, category, body.
constexpr const char* kRankExpression = "bm25(search_index, 10.0, 5.0, 2.0, 1.0)";

// bm25 alone lets a long article that mentions every word once outrank the article
// whose title is the query: in a small library the words staff type are in many
// articles, so their idf (and with it the title weight) is small. So the best
// bm25 candidates are re-ranked by how much of the query their title and tags cover.
constexpr int kCandidates = 40;
constexpr double kTitleBoost = 2.0;
constexpr double kTagBoost = 0.5;

// One query word (or a multi-word synonym) and everything it may match.
struct TermGroup {
    std::vector<std::string> alternatives;  // FTS5 phrases, already quoted
    bool required = true;
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
    std::unordered_set<std::string> stems;   // stemmed terms of the index
    // Synonyms keyed by the stemmed first word: (stemmed phrase words, group index).
    std::multimap<std::string, std::pair<std::vector<std::string>, size_t>> synonym_starts;
    std::vector<std::vector<std::string>> synonym_groups;  // surface phrases
    int64_t loaded_seq = -1;
    Statement match_stmt;
    Statement browse_stmt;

    explicit Impl(Database& d) : db(d) {}

    Status refresh() {
        int64_t seq = latest_change_seq(db);
        if (seq == loaded_seq) return Status::ok();
        std::vector<VocabularyWord> list;
        auto vocab = db.prepare("SELECT term, doc FROM search_words_vocab");
        if (!vocab) return vocab.status();
        while (vocab->step()) list.push_back({vocab->column_text(0), vocab->column_int(1)});
        if (!vocab->status()) return vocab->status();
        vocabulary.assign(std::move(list));

        stems.clear();
        auto stem_vocab = db.prepare("SELECT term FROM search_index_vocab");
        if (!stem_vocab) return stem_vocab.status();
        while (stem_vocab->step()) stems.insert(stem_vocab->column_text(0));

        auto groups = load_synonyms(db);
        if (!groups) return groups.status();
        synonym_groups = *groups;
        synonym_starts.clear();
        for (size_t g = 0; g < synonym_groups.size(); ++g) {
            for (const auto& phrase : synonym_groups[g]) {
                std::vector<std::string> stemmed;
                for (const auto& t : stemmer->tokenize(phrase)) stemmed.push_back(t.text);
                if (!stemmed.empty()) synonym_starts.emplace(stemmed.front(), std::make_pair(stemmed, g));
            }
        }
        loaded_seq = seq;
        return Status::ok();
    }

    bool is_known(const std::string& word) const {
        return vocabulary.contains(word) || stems.count(stemmer->normalize(word)) > 0;
    }

    // Matching articles, best first: bm25 candidates re-ranked by title and tag coverage.
    Result<std::vector<SearchHit>> run_match(const std::string& expression, const SearchQuery& q, size_t groups) {
        Statement& s = match_stmt;
        s.reset();
        s.bind(1, expression).bind(2, q.category).bind(3, q.tag).bind(4, std::max(kCandidates, q.limit));
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
            split_marked_text(s.column_text(9), &h.snippet, &h.snippet_highlights);
            std::string tags;
            std::vector<TextRange> tag_highlights;
            split_marked_text(s.column_text(10), &tags, &tag_highlights);
            double n = static_cast<double>(std::max<size_t>(groups, 1));
            double title_cover = std::min(1.0, static_cast<double>(h.title_highlights.size()) / n);
            double tag_cover = std::min(1.0, static_cast<double>(tag_highlights.size()) / n);
            h.score = -s.column_double(8) * (1.0 + kTitleBoost * title_cover + kTagBoost * tag_cover);
            hits.push_back(std::move(h));
        }
        if (!s.status()) return s.status();
        std::stable_sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
        if (hits.size() > static_cast<size_t>(q.limit)) hits.resize(static_cast<size_t>(q.limit));
        return hits;
    }

    Result<std::vector<SearchHit>> browse(const SearchQuery& q) {
        Statement& s = browse_stmt;
        s.reset();
        s.bind(2, q.category).bind(3, q.tag).bind(4, q.limit);
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

    const std::string filters =
        " AND (?2 = '' OR a.category = ?2)"
        " AND (?3 = '' OR EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.tag = ?3))";
    auto match = db.prepare(
        std::string("SELECT a.id, a.slug, highlight(search_index, 0, char(1), char(2)), a.category, a.owner, "
                    "a.effective, a.updated_at, a.version, ") +
        kRankExpression +
        " AS score, snippet(search_index, 3, char(1), char(2), '…', 24), highlight(search_index, 1, char(1), char(2)) "
        "FROM search_index JOIN articles a ON a.id = search_index.rowid "
        "WHERE search_index MATCH ?1" + filters + " ORDER BY score LIMIT ?4");
    if (!match) return match.status();
    impl.match_stmt = std::move(*match);
    auto browse = db.prepare(
        "SELECT a.id, a.slug, a.title, a.category, a.owner, a.effective, a.updated_at, a.version "
        "FROM articles a WHERE a.status = 'published'" + filters + " ORDER BY a.title COLLATE NOCASE LIMIT ?4");
    if (!browse) return browse.status();
    impl.browse_stmt = std::move(*browse);
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
    // The last word is unfinished only if the text ends inside it (no trailing space or quote).
    bool last_is_prefix = q.as_you_type && !tokens.empty() && tokens.back().end == text.size();
    if (tokens.size() > kMaxQueryWords) {
        tokens.resize(kMaxQueryWords);
        last_is_prefix = false;
    }
    if (tokens.empty()) {
        if (q.category.empty() && q.tag.empty()) return results;
        auto hits = impl.browse(q);
        if (!hits) return hits.status();
        results.hits = std::move(*hits);
        return results;
    }

    // 1. Spelling: replace words the index does not know with the nearest word it does.
    std::vector<std::string> words;
    bool corrected = false;
    for (size_t i = 0; i < tokens.size(); ++i) {
        std::string w = tokens[i].text;
        bool prefix = last_is_prefix && i + 1 == tokens.size();
        bool known = prefix ? (impl.vocabulary.has_prefix(w) || impl.is_known(w)) : impl.is_known(w);
        if (!known) {
            std::optional<std::string> fix = impl.vocabulary.correct_word(w);
            if (!fix && prefix) fix = impl.vocabulary.correct_prefix(w);
            if (fix) {
                results.corrections.push_back({w, *fix});
                w = *fix;
                corrected = true;
            }
        }
        words.push_back(w);
    }
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
                g.alternatives.push_back(quote_phrase(phrase, false));
                for (const auto& t : impl.words->tokenize(phrase))
                    if (!kStopWords.count(t.text)) terms.insert(t.text);  // "of" in "proof of purchase"
            }
            // A finished synonym may still be the start of a longer word being typed.
            if (prefix && best_len == 1) g.alternatives.push_back(quote_phrase(words[i], true));
            g.required = true;
            i += best_len;
        } else {
            g.alternatives.push_back(quote_phrase(words[i], prefix));
            g.required = prefix || kStopWords.count(words[i]) == 0;
            if (!kStopWords.count(words[i])) terms.insert(words[i]);
            ++i;
        }
        groups.push_back(std::move(g));
    }
    results.terms.assign(terms.begin(), terms.end());

    auto group_text = [](const TermGroup& g) {
        if (g.alternatives.size() == 1) return g.alternatives.front();
        std::string s = "(";
        for (size_t k = 0; k < g.alternatives.size(); ++k) {
            if (k) s += " OR ";
            s += g.alternatives[k];
        }
        return s + ")";
    };
    std::string all_of, any_of;
    bool any_required = std::any_of(groups.begin(), groups.end(), [](const TermGroup& g) { return g.required; });
    size_t used = 0;
    for (const auto& g : groups) {
        // Stop words are left out when there are other words: they are in nearly every
        // article, so they neither narrow nor rank, and bm25 over every row is slow.
        if (any_required && !g.required) continue;
        ++used;
        if (!all_of.empty()) {
            all_of += " AND ";
            any_of += " OR ";
        }
        all_of += group_text(g);
        any_of += group_text(g);
    }

    // 3. Articles with every word first; then, to fill the page, articles with any.
    auto strict = impl.run_match(all_of, q, used);
    if (!strict) return strict.status();
    results.hits = std::move(*strict);
    if (static_cast<int>(results.hits.size()) < q.limit && used > 1) {
        auto loose = impl.run_match(any_of, q, used);
        if (!loose) return loose.status();
        for (auto& h : *loose) {
            if (static_cast<int>(results.hits.size()) >= q.limit) break;
            bool seen = std::any_of(results.hits.begin(), results.hits.end(), [&](const SearchHit& x) { return x.id == h.id; });
            if (!seen) results.hits.push_back(std::move(h));
        }
    }
    return results;
}

}  // namespace handbook
