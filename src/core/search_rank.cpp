#include "search_rank.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace handbook {
namespace {

// What one query's calls share: parsed once, on the first row (FTS5 aux data lives
// as long as the query).
struct RankQuery {
    std::vector<double> idf;  // per phrase; 0 = not scored
    std::vector<double> weight;  // per phrase: its share of its word's score (1 unless given)
    std::vector<double> freq; // per phrase, reused for every row
    std::vector<int> group;   // per phrase: the query word it stands for (-1: none given)
    int groups = 0;           // query words given
    std::vector<double> group_idf;   // per query word: its best phrase's idf
    std::vector<char> group_found;   // per query word, reused for every row
    double coverage_bonus = 1;       // see handbook_rank
    double window = 0;               // see handbook_rank's window (0: the whole row)
    std::vector<std::pair<int, int>> body_hits;  // per row, reused: (offset, query word) in the body
    std::vector<int> in_window;      // per query word, reused: its hits in the window
    std::vector<char> in_fields;     // per query word, reused: in the title, tags or category
    // The title and tag cover (see handbook_rank's `words`): 0 words, none.
    double title_boost = 0, tag_boost = 0, words = 0, title_precision = 0;
    std::vector<int> title_offsets, tag_offsets;  // per row, reused: where query words are
    bool reports = false;  // counts and reports rows to the RankContext (the first query's)
    double avg_tokens = 1;
    double b = 0.75;
    double weights[4] = {kRankColumnWeights[0], kRankColumnWeights[1], kRankColumnWeights[2], kRankColumnWeights[3]};
};

RankQuery* rank_query(const Fts5ExtensionApi* api, Fts5Context* fts, int argc, sqlite3_value** argv, RankContext* context,
                      int* rc) {
    sqlite3_value* counts = argc > 0 ? argv[0] : nullptr;
    if (auto* q = static_cast<RankQuery*>(api->xGetAuxdata(fts, 0))) return q;
    auto* q = new RankQuery();
    if (context && !context->claimed) q->reports = context->claimed = true;
    sqlite3_int64 rows = 0, tokens = 0;
    *rc = api->xRowCount(fts, &rows);
    if (*rc == SQLITE_OK) *rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (*rc != SQLITE_OK) {
        delete q;
        return nullptr;
    }
    q->avg_tokens = rows > 0 ? static_cast<double>(tokens) / static_cast<double>(rows) : 1.0;
    if (q->avg_tokens <= 0) q->avg_tokens = 1;
    const int phrases = api->xPhraseCount(fts);
    q->idf.assign(static_cast<size_t>(phrases), 0.0);
    q->freq.assign(static_cast<size_t>(phrases), 0.0);
    q->group.assign(static_cast<size_t>(phrases), -1);
    q->weight.assign(static_cast<size_t>(phrases), 1.0);
    const char* text = counts ? reinterpret_cast<const char*>(sqlite3_value_text(counts)) : nullptr;
    for (int i = 0; i < phrases && text && *text; ++i) {
        char* end = nullptr;
        long long n = std::strtoll(text, &end, 10);
        if (end == text) break;
        text = end;
        if (n >= 0) q->idf[static_cast<size_t>(i)] = phrase_idf(n, rows);
        if (*text == '/') {  // "n/g": the phrase stands for query word g
            long long g = std::strtoll(text + 1, &end, 10);
            text = end;
            if (n >= 0 && g >= 0 && g < phrases) {
                q->group[static_cast<size_t>(i)] = static_cast<int>(g);
                q->groups = std::max(q->groups, static_cast<int>(g) + 1);
            }
            if (*text == '*') {  // "n/g*w": the phrase scores w times its bm25
                double w = std::strtod(text + 1, &end);
                text = end;
                if (w >= 0) q->weight[static_cast<size_t>(i)] = w;
            }
        }
    }
    q->group_idf.assign(static_cast<size_t>(q->groups), 0.0);
    q->group_found.assign(static_cast<size_t>(q->groups), 0);
    for (size_t i = 0; i < q->group.size(); ++i)
        if (q->group[i] >= 0) q->group_idf[static_cast<size_t>(q->group[i])] = std::max(q->group_idf[static_cast<size_t>(q->group[i])], q->idf[i]);
    if (argc > 1) q->b = sqlite3_value_double(argv[1]);
    for (int c = 0; c < 4 && c + 2 < argc; ++c) q->weights[c] = sqlite3_value_double(argv[c + 2]);
    if (argc > 6) q->coverage_bonus = sqlite3_value_double(argv[6]);
    if (argc > 7) q->window = sqlite3_value_double(argv[7]);
    if (argc > 11) {
        q->title_boost = sqlite3_value_double(argv[8]);
        q->tag_boost = sqlite3_value_double(argv[9]);
        q->words = std::max(0.0, sqlite3_value_double(argv[10]));
        q->title_precision = sqlite3_value_double(argv[11]);
    }
    q->in_window.assign(static_cast<size_t>(q->groups), 0);
    q->in_fields.assign(static_cast<size_t>(q->groups), 0);
    *rc = api->xSetAuxdata(fts, q, [](void* p) { delete static_cast<RankQuery*>(p); });
    return *rc == SQLITE_OK ? q : nullptr;
}

// The query words within a row's best window of body tokens (RankQuery::window), with
// those of its title, tags and category: their idf summed, and how many they are. Slides
// the window over the body's hits (FTS5 gives them in order of position; sorted if not),
// counting each query word once.
struct WindowCover {
    double idf = 0;
    int words = 0;
};

WindowCover best_window_cover(RankQuery& q) {
    WindowCover fields;
    for (size_t g = 0; g < q.in_fields.size(); ++g)
        if (q.in_fields[g]) fields.idf += q.group_idf[g], ++fields.words;
    if (!std::is_sorted(q.body_hits.begin(), q.body_hits.end())) std::sort(q.body_hits.begin(), q.body_hits.end());
    std::fill(q.in_window.begin(), q.in_window.end(), 0);
    WindowCover best = fields, inside;
    size_t left = 0;
    for (size_t right = 0; right < q.body_hits.size(); ++right) {
        const size_t g = static_cast<size_t>(q.body_hits[right].second);
        if (q.in_window[g]++ == 0 && !q.in_fields[g]) inside.idf += q.group_idf[g], ++inside.words;
        while (static_cast<double>(q.body_hits[right].first - q.body_hits[left].first) >= q.window) {
            const size_t h = static_cast<size_t>(q.body_hits[left].second);
            if (--q.in_window[h] == 0 && !q.in_fields[h]) inside.idf -= q.group_idf[h], --inside.words;
            ++left;
        }
        best.idf = std::max(best.idf, fields.idf + inside.idf);
        best.words = std::max(best.words, fields.words + inside.words);
    }
    return best;
}

// The query words a field holds: the distinct token places among its matches (a token
// counted once, however many phrases match it, as highlight() marks it once).
double words_at(std::vector<int>& offsets) {
    std::sort(offsets.begin(), offsets.end());
    return static_cast<double>(std::unique(offsets.begin(), offsets.end()) - offsets.begin());
}

// The title and tag cover as the search engine's re-rank weighs it (search.cpp): the
// share of the query's words the title holds (times the share of the title they are,
// to the power title_precision), and the same for the tags.
// `lengths`/`at`: the row's place in the document lengths, if it has one (its title's
// tokens are read there; FTS5's own lookup otherwise).
double title_and_tag_boost(const Fts5ExtensionApi* api, Fts5Context* fts, RankQuery& q, const DocumentLengths* lengths,
                           size_t at) {
    const double title_words = words_at(q.title_offsets), tag_words = words_at(q.tag_offsets);
    double title_cover = std::min(1.0, title_words / q.words);
    if (q.title_precision > 0 && title_words > 0) {
        int title_tokens = 0;
        if (lengths && at < lengths->title_tokens.size()) title_tokens = lengths->title_tokens[at];
        else if (api->xColumnSize(fts, 0, &title_tokens) != SQLITE_OK) title_tokens = 0;
        if (title_tokens > 0) title_cover *= std::pow(std::min(1.0, title_words / title_tokens), q.title_precision);
    }
    return q.title_boost * title_cover + q.tag_boost * std::min(1.0, tag_words / q.words);
}

void handbook_rank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    int rc = SQLITE_OK;
    auto* context = static_cast<std::shared_ptr<RankContext>*>(api->xUserData(fts));
    RankQuery* q = rank_query(api, fts, argc, argv, context ? context->get() : nullptr, &rc);
    if (!q) {
        sqlite3_result_error_code(ctx, rc == SQLITE_OK ? SQLITE_NOMEM : rc);
        return;
    }
    if (q->reports) ++(*context)->rows_scored;
    // The row's length first: only a row longer than the window needs its hits' places.
    const DocumentLengths* lengths = context ? &(*context)->lengths : nullptr;
    const size_t at = lengths ? lengths->find(api->xRowid(fts)) : 0;
    int64_t tokens = lengths && at < lengths->size() ? lengths->tokens[at] : -1;
    if (tokens < 0) {
        int n = 0;
        rc = api->xColumnSize(fts, -1, &n);
        tokens = n;
    }
    const bool windowed = q->window > 0 && q->coverage_bonus != 1 && static_cast<double>(tokens) > q->window;
    std::fill(q->freq.begin(), q->freq.end(), 0.0);
    if (windowed) {
        q->body_hits.clear();
        std::fill(q->in_fields.begin(), q->in_fields.end(), 0);
    }
    const bool covers = q->words > 0;
    if (covers) q->title_offsets.clear(), q->tag_offsets.clear();
    int instances = 0;
    if (rc == SQLITE_OK) rc = api->xInstCount(fts, &instances);
    for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
        int phrase = 0, column = 0, offset = 0;
        rc = api->xInst(fts, i, &phrase, &column, &offset);
        if (rc == SQLITE_OK && phrase >= 0 && static_cast<size_t>(phrase) < q->freq.size() && column >= 0 && column < 4) {
            q->freq[static_cast<size_t>(phrase)] += q->weights[column];
            if (covers && column == 0) q->title_offsets.push_back(offset);
            if (covers && column == 1) q->tag_offsets.push_back(offset);
            const int g = q->group[static_cast<size_t>(phrase)];
            if (windowed && g >= 0) {
                if (column == 3) q->body_hits.push_back({offset, g});
                else q->in_fields[static_cast<size_t>(g)] = 1;
            }
        }
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    const double k1 = 1.2, b = q->b;
    const double length_norm = k1 * (1 - b + b * static_cast<double>(tokens) / q->avg_tokens);
    double score = 0;
    std::fill(q->group_found.begin(), q->group_found.end(), 0);
    for (size_t i = 0; i < q->freq.size(); ++i) {
        if (q->idf[i] > 0) score += q->weight[i] * q->idf[i] * (q->freq[i] * (k1 + 1.0)) / (q->freq[i] + length_norm);
        if (q->group[i] >= 0 && q->freq[i] > 0) q->group_found[static_cast<size_t>(q->group[i])] = 1;
    }
    if (q->coverage_bonus != 1 && q->groups > 0) {
        double found = 0, all = 0;
        for (size_t g = 0; g < q->group_idf.size(); ++g) {
            all += q->group_idf[g];
            if (q->group_found[g]) found += q->group_idf[g];
        }
        if (windowed) {
            int found_words = 0;
            for (char f : q->group_found) found_words += f ? 1 : 0;
            // Counted in words, not by comparing sums of idf, whose rounding depends on
            // the order they were added in.
            const WindowCover best = best_window_cover(*q);
            if (best.words < found_words) {
                if (q->reports) (*context)->scattered_rows.push_back(api->xRowid(fts));
                found = std::min(found, best.idf);
            }
        }
        if (all > 0) score *= 1 + (q->coverage_bonus - 1) * found / all;
    }
    if (covers) score *= 1 + title_and_tag_boost(api, fts, *q, lengths, at);
    sqlite3_result_double(ctx, -score);
}

}  // namespace

double phrase_idf(int64_t matching, int64_t total) {
    matching = std::clamp<int64_t>(matching, 0, total);  // callers may pass an upper bound
    double idf = std::log((static_cast<double>(total - matching) + 0.5) / (static_cast<double>(matching) + 0.5));
    return idf > 0 ? idf : 1e-6;
}

std::string phrase_counts_text(const std::vector<int64_t>& counts, const std::vector<int>& groups,
                               const std::vector<double>& weights) {
    std::string out;
    for (size_t i = 0; i < counts.size(); ++i) {
        if (!out.empty()) out += ' ';
        out += std::to_string(counts[i]);
        if (i < groups.size() && groups[i] >= 0) {
            out += '/' + std::to_string(groups[i]);
            if (i < weights.size() && weights[i] != 1) out += '*' + std::to_string(weights[i]);
        }
    }
    return out;
}

// SQLite's varint (as FTS5 writes them): 7 bits a byte, high bit = more; 9th byte whole.
static size_t read_varint(const unsigned char* p, size_t n, uint64_t* value) {
    uint64_t v = 0;
    for (size_t i = 0; i < n && i < 9; ++i) {
        if (i == 8) {
            *value = (v << 8) | p[i];
            return 9;
        }
        v = (v << 7) | (p[i] & 0x7F);
        if (!(p[i] & 0x80)) {
            *value = v;
            return i + 1;
        }
    }
    return 0;  // truncated
}

size_t DocumentLengths::find(int64_t rowid) const {
    if (rowids.empty() || rowid < rowids.front()) return size();
    const uint64_t offset = static_cast<uint64_t>(rowid) - static_cast<uint64_t>(rowids.front());
    if (offset < rowids.size()) {
        const size_t at = static_cast<size_t>(offset);
        if (rowids[at] == rowid) return at;  // no gaps before it
    }
    auto it = std::lower_bound(rowids.begin(), rowids.end(), rowid);
    if (it == rowids.end() || *it != rowid) return size();
    return static_cast<size_t>(it - rowids.begin());
}

Result<DocumentLengths> load_document_lengths(Database& db) {
    DocumentLengths out;
    auto s = db.prepare("SELECT id, sz FROM search_index_docsize ORDER BY id");
    if (!s) return s.status();
    while (s->step()) {
        std::string blob = s->column_text(1);
        const auto* p = reinterpret_cast<const unsigned char*>(blob.data());
        int64_t total = 0, title = -1;
        for (size_t at = 0; at < blob.size();) {
            uint64_t v = 0;
            size_t used = read_varint(p + at, blob.size() - at, &v);
            if (used == 0) break;
            if (title < 0) title = static_cast<int64_t>(v);  // the first column's
            total += static_cast<int64_t>(v);
            at += used;
        }
        out.rowids.push_back(s->column_int(0));
        out.tokens.push_back(total);
        out.title_tokens.push_back(static_cast<uint16_t>(std::clamp<int64_t>(title, 0, 65535)));
        out.total_tokens += total;
    }
    if (!s->status()) return s->status();
    return out;
}

Status register_rank_function(Database& db, std::shared_ptr<RankContext> context) {
    fts5_api* fts5 = db.fts5();
    if (!fts5) return Status::fail("this SQLite was built without FTS5");
    // FTS5 owns this copy of the pointer from here and frees it with the connection.
    auto* user_data = context ? new std::shared_ptr<RankContext>(std::move(context)) : nullptr;
    auto destroy = [](void* p) { delete static_cast<std::shared_ptr<RankContext>*>(p); };
    if (fts5->xCreateFunction(fts5, "handbook_rank", user_data, handbook_rank, destroy) != SQLITE_OK)
        return Status::fail("cannot register the ranking function: " + std::string(sqlite3_errmsg(db.handle())));
    return Status::ok();
}

}  // namespace handbook
