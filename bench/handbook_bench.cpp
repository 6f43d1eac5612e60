// The search benchmark's native side (also compiled to WebAssembly and run under Node):
// loads a corpus, runs the query sets, and prints one JSON object of figures.
//
//   handbook_bench --engine handbook|fts5 --docs docs.jsonl --queries queries.jsonl --db FILE
//                  [--reuse-db 1] [--slowest N] [--warm-up all] [--hits 1]
//
// For engine work: --reuse-db 1 searches an existing Handbook database (made by an
// earlier run over the same docs) instead of importing again (no import/build figures);
// --slowest N lists the N slowest searches on stderr; --hits 1 every search's hits; --warm-up all runs every query once
// unmeasured before the measured pass (steady state: every code path already compiled
// and tiered up, which the wasm/native ratio needs; see scripts/bench.sh).
//
// Engines:
//   handbook  the real core: articles stored with save_article (all in one transaction,
//             as `handbook import` does), searched with SearchEngine (typo correction,
//             synonyms, field weights, re-ranking).
//   fts5      the baseline the core starts from: one FTS5 table (title, body) with the
//             default tokenizer and default bm25, queried with the OR of the quoted words
//             (the last one as a prefix while typing). No typo handling.
// Corpus and query formats: see bench/make_corpus.mjs. Metrics: see bench/README.md.
//
// Where the database is searched: natively, the file --db names. In WebAssembly, a copy
// in Emscripten's in-memory file system (MEMFS), where the app keeps the device's store;
// --db is where it is kept between runs (reached through Node's fs with NODEFS). Searching
// through NODEFS instead would put a call into Node's fs on each of SQLite's file checks
// at the start of every read transaction (13% of the as-you-type time at 1k), a cost the
// app does not have.
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <numeric>
#include <cmath>
#include <iostream>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

#include "core/article_store.h"
#include "core/schema.h"
#include "core/search.h"
#include "core/search_index.h"
#include "core/text_tokenizer.h"

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Document {
    std::string id;  // the package name
    std::string title;
    std::string body;
};

struct Query {
    std::string set;  // full | typo | ayt
    std::string text;
    std::string expected;  // document id
    bool last = true;      // the final keystroke of an as-you-type sequence
};

// What one search returned: the ids of the hits, best first.
using SearchFunction = std::function<std::vector<std::string>(const Query&)>;

// Stops with a message. Not an exception: the WebAssembly build does not catch them
// (Emscripten's default), and an uncaught one prints only a pointer.
[[noreturn]] void fail(const std::string& message) {
    std::cerr << "handbook_bench: " << message << "\n";
    std::exit(1);
}

std::vector<json> read_jsonl(const std::string& path) {
    std::ifstream in(path);
    if (!in) fail("cannot read " + path);
    std::vector<json> out;
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) out.push_back(json::parse(line));
    return out;
}

int64_t file_size(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

#ifdef __EMSCRIPTEN__
// The host's files under /host (NODEFS), the working directory the same as Node's.
// In a browser page (handbook_bench_page) the page has already written the files it was
// asked for under /host, and named its working directory in Module.hostCwd.
void mount_host_files() {
    EM_ASM({
        if (typeof process === 'object' && typeof NODEFS === 'object') {
            FS.mkdir('/host');
            FS.mount(NODEFS, {root : '/'}, '/host');
            FS.chdir('/host' + process.cwd());
        } else {
            FS.chdir('/host' + Module.hostCwd);
        }
    });
}

std::string host_path(const std::string& path) { return !path.empty() && path[0] == '/' ? "/host" + path : path; }

// The database's place in MEMFS, as the app's store (see the top of this file).
std::string search_path(const std::string&) { return "/store.db"; }
#else
std::string host_path(const std::string& path) { return path; }
std::string search_path(const std::string& kept_path) { return kept_path; }
#endif

void copy_file(const std::string& from, const std::string& to) {
    if (from == to) return;
    std::ifstream in(from, std::ios::binary);
    std::ofstream out(to, std::ios::binary | std::ios::trunc);
    out << in.rdbuf();
    out.close();
    if (!in || !out) fail("cannot copy " + from + " to " + to);
}

// Peak memory of this process: resident set natively; in WebAssembly the linear memory,
// which only grows, so its size is the heap's high-water mark (Node's own memory not included).
int64_t peak_memory_bytes() {
#ifdef __EMSCRIPTEN__
    return static_cast<int64_t>(__builtin_wasm_memory_size(0)) * 65536;
#else
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<int64_t>(usage.ru_maxrss) * 1024;
#endif
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

struct SetFigures {
    std::vector<double> latencies_ms;
    std::vector<int> ranks;  // per search, in query-file order: lets the report pair engines query by query
    double reciprocal_rank_sum = 0;
    int found_at_1 = 0;
    int found_in_10 = 0;
    int searches = 0;

    void add(double ms, int rank) {  // rank 1-based, 0 = not in the first 10
        latencies_ms.push_back(ms);
        ranks.push_back(rank);
        ++searches;
        if (rank >= 1 && rank <= 10) {
            reciprocal_rank_sum += 1.0 / rank;
            ++found_in_10;
            if (rank == 1) ++found_at_1;
        }
    }
    json to_json() const {
        double n = std::max(searches, 1);
        return {{"searches", searches},
                {"p50_ms", percentile(latencies_ms, 50)},
                {"p95_ms", percentile(latencies_ms, 95)},
                {"p99_ms", percentile(latencies_ms, 99)},
                {"mean_ms", searches ? std::accumulate(latencies_ms.begin(), latencies_ms.end(), 0.0) / n : 0.0},
                {"mrr10", reciprocal_rank_sum / n},
                {"recall1", found_at_1 / n},
                {"recall10", found_in_10 / n},
                {"ranks", ranks}};
    }
};

// Runs every query; sets "full", "typo", "ayt" (every keystroke) and "ayt_final" (the
// last keystroke of each as-you-type query: the whole query, last word still a prefix).
// The first kWarmup queries run once unmeasured first, so compiled-on-demand code (wasm
// tiering in Node) and cold caches do not land in the percentiles of any engine.
constexpr size_t kWarmup = 30;

size_t g_slowest = 0;        // --slowest N
bool g_hits = false;         // --hits 1: every search's hits on stderr (ranking work)
bool g_warm_up_all = false;  // --warm-up all

json run_queries(const std::vector<Query>& queries, const SearchFunction& search) {
    const size_t warm_up = g_warm_up_all ? queries.size() : kWarmup;
    for (size_t i = 0; i < queries.size() && i < warm_up; ++i) search(queries[i]);
    std::map<std::string, SetFigures> sets;
    std::vector<std::pair<double, const Query*>> timed;
    for (const Query& q : queries) {
        auto start = Clock::now();
        std::vector<std::string> ids = search(q);
        double ms = ms_since(start);
        timed.emplace_back(ms, &q);
        int rank = 0;
        for (size_t i = 0; i < ids.size() && i < 10; ++i)
            if (ids[i] == q.expected) {
                rank = static_cast<int>(i) + 1;
                break;
            }
        sets[q.set].add(ms, rank);
        if (g_hits) {
            std::cerr << q.set << " \"" << q.text << "\" -> " << q.expected << " at " << rank << ":";
            for (const auto& id : ids) std::cerr << "  " << id;
            std::cerr << "\n";
        }
        if (q.set == "ayt" && q.last) sets["ayt_final"].add(ms, rank);
    }
    std::sort(timed.begin(), timed.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (size_t i = 0; i < timed.size() && i < g_slowest; ++i)
        std::cerr << timed[i].first << " ms  " << timed[i].second->set << "  \"" << timed[i].second->text << "\"\n";
    json out = json::object();
    for (const auto& [name, figures] : sets) out[name] = figures.to_json();
    return out;
}

template <typename T>
T need(handbook::Result<T> r, const std::string& what) {
    if (!r) fail(what + ": " + r.status().error);
    return std::move(*r);
}
void need(const handbook::Status& st, const std::string& what) {
    if (!st) fail(what + ": " + st.error);
}

// Stores the documents as the app stores articles and rebuilds the index; fills the
// import, build and index figures.
void import_documents(handbook::Database& db, const std::vector<Document>& docs, json& out) {
    // Import exactly as the app stores articles: save_article, one transaction for all.
    auto start = Clock::now();
    {
        handbook::Transaction tx(db);
        need(tx.status(), "starting the import");
        for (size_t i = 0; i < docs.size(); ++i) {
            handbook::Article a;
            a.slug = "d" + std::to_string(i);
            a.title = docs[i].title;
            a.category = "Debian packages";
            a.owner = "Debian";
            a.effective = "2026-01-01";
            a.review_by = "2027-01-01";
            a.status = "published";
            a.body = docs[i].body;
            need(handbook::save_article(db, a), "saving " + docs[i].id);
        }
        need(tx.commit(), "committing the import");
    }
    out["import_ms"] = ms_since(start);

    // The index alone, rebuilt from the stored articles: what the peers' build time measures.
    start = Clock::now();
    {
        handbook::Transaction tx(db);
        need(handbook::rebuild_search_index(db), "rebuilding the index");
        need(tx.commit(), "committing the index");
    }
    out["build_ms"] = ms_since(start);

    // The inverted indexes themselves (FTS5 segment blocks); the file size is db_bytes.
    int64_t index_bytes = 0;
    for (const char* table : {"search_index_data", "search_words_data"}) {
        auto s = need(db.prepare(std::string("SELECT coalesce(sum(length(block)), 0) FROM ") + table), "measuring the index");
        if (s.step()) index_bytes += s.column_int(0);
    }
    out["index_bytes"] = index_bytes;
}

// The ranking rules to search with: the product's, changed by HANDBOOK_RANKING, a comma-
// separated list of name=value (b; title, tags, category, body: the column weights;
// title_boost, title_precision, tag_boost, all_words_bonus, all_words_coverage,
// every_word_first, drop_stop_words, near_window, fill_cover_in_rank, fill_title_precision,
// own_form_share, own_form_max_docs: see RankingRules), so one build measures what each
// rule is worth on every corpus (bench/quality.sh). An unknown name is an error.
handbook::RankingRules ranking_rules() {
    handbook::RankingRules r;
    const char* text = std::getenv("HANDBOOK_RANKING");
    std::string spec = text ? text : "";
    size_t at = 0;
    while (at < spec.size()) {
        size_t end = spec.find(',', at);
        if (end == std::string::npos) end = spec.size();
        std::string item = spec.substr(at, end - at);
        at = end + 1;
        size_t eq = item.find('=');
        if (eq == std::string::npos) continue;
        std::string name = item.substr(0, eq);
        double v = std::atof(item.c_str() + eq + 1);
        if (name == "b") r.bm25_b = v;
        else if (name == "title") r.column_weights[0] = v;
        else if (name == "tags") r.column_weights[1] = v;
        else if (name == "category") r.column_weights[2] = v;
        else if (name == "body") r.column_weights[3] = v;
        else if (name == "title_boost") r.title_boost = v;
        else if (name == "tag_boost") r.tag_boost = v;
        else if (name == "title_precision") r.title_precision = v;
        else if (name == "all_words_bonus") r.all_words_bonus = v;
        else if (name == "every_word_first") r.every_word_first = v != 0;
        else if (name == "all_words_coverage") r.all_words_coverage = v != 0;
        else if (name == "drop_stop_words") r.drop_stop_words = v != 0;
        else if (name == "near_window") r.near_window = v;
        else if (name == "fill_cover_in_rank") r.fill_cover_in_rank = v != 0;
        else if (name == "every_word_cover_in_rank") r.every_word_cover_in_rank = v != 0;
        else if (name == "fill_title_precision") r.fill_title_precision = v;
        else if (name == "own_form_share") r.own_form_share = v;
        else if (name == "own_form_max_docs") r.own_form_max_docs = static_cast<int64_t>(v);
        else {
            std::cerr << "HANDBOOK_RANKING: unknown rule " << name << "\n";
            std::exit(2);
        }
    }
    return r;
}

json bench_handbook(const std::vector<Document>& docs, const std::vector<Query>& queries, const std::string& kept_path,
                    bool reuse_db) {
    json out = {{"engine", "handbook"}};
    const std::string db_path = search_path(kept_path);
    if (!reuse_db) std::remove(db_path.c_str());
    else copy_file(kept_path, db_path);
    auto db = need(handbook::open_store(db_path), "opening " + db_path);
    if (!reuse_db) import_documents(*db, docs, out);

    auto start = Clock::now();
    auto engine = need(handbook::SearchEngine::create(*db), "opening the search engine");
    out["open_ms"] = ms_since(start);
    engine->set_ranking(ranking_rules());

    SearchFunction search = [&](const Query& q) {
        handbook::SearchQuery sq;
        sq.text = q.text;
        sq.limit = 10;
        sq.as_you_type = q.set == "ayt";
        auto r = engine->search(sq);
        std::vector<std::string> ids;
        if (!r) return ids;
        for (const auto& h : r->hits) ids.push_back(docs[std::stoul(h.slug.substr(1))].id);
        return ids;
    };
    out["sets"] = run_queries(queries, search);
    engine.reset();
    db.reset();
    out["db_bytes"] = file_size(db_path);
    if (!reuse_db) copy_file(db_path, kept_path);
    return out;
}

std::string quote(const std::string& word) {
    std::string out = "\"";
    for (char c : word) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

json bench_fts5(const std::vector<Document>& docs, const std::vector<Query>& queries, const std::string& db_path) {
    json out = {{"engine", "fts5"}};
    std::remove(db_path.c_str());
    auto db = need(handbook::Database::open(db_path), "opening " + db_path);
    need(db->exec("CREATE VIRTUAL TABLE docs USING fts5(title, body)"), "creating the table");

    auto start = Clock::now();
    {
        handbook::Transaction tx(*db);
        auto ins = need(db->prepare("INSERT INTO docs(rowid, title, body) VALUES (?1, ?2, ?3)"), "preparing insert");
        for (size_t i = 0; i < docs.size(); ++i) {
            ins.reset();
            need(ins.bind(1, static_cast<int64_t>(i)).bind(2, docs[i].title).bind(3, docs[i].body).run(), "inserting");
        }
        need(tx.commit(), "committing");
    }
    out["build_ms"] = ms_since(start);
    out["import_ms"] = out["build_ms"];
    auto size = need(db->prepare("SELECT coalesce(sum(length(block)), 0) FROM docs_data"), "measuring");
    out["index_bytes"] = size.step() ? size.column_int(0) : 0;

    auto words = need(handbook::TextTokenizer::create(*db, false), "tokenizer");
    auto match = need(db->prepare("SELECT rowid FROM docs WHERE docs MATCH ?1 ORDER BY rank LIMIT 10"), "preparing match");
    SearchFunction search = [&](const Query& q) {
        std::vector<std::string> ids;
        auto tokens = words->tokenize(q.text);
        if (tokens.empty()) return ids;
        std::string expression;
        for (size_t i = 0; i < tokens.size(); ++i) {
            if (i) expression += " OR ";
            expression += quote(tokens[i].text);
            if (q.set == "ayt" && i + 1 == tokens.size() && tokens[i].end == q.text.size()) expression += '*';
        }
        match.reset();
        match.bind(1, expression);
        while (match.step()) ids.push_back(docs[static_cast<size_t>(match.column_int(0))].id);
        return ids;
    };
    out["sets"] = run_queries(queries, search);
    db.reset();
    out["db_bytes"] = file_size(db_path);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> opt;
    for (int i = 1; i + 1 < argc; i += 2) opt[argv[i]] = argv[i + 1];
    if (!opt.count("--engine") || !opt.count("--docs") || !opt.count("--queries") || !opt.count("--db")) {
        std::cerr << "usage: handbook_bench --engine handbook|fts5 --docs FILE --queries FILE --db FILE\n";
        return 2;
    }
#ifdef __EMSCRIPTEN__
    mount_host_files();
#endif
    const std::string db_arg = opt["--db"];  // as given: the report reads the file
    for (const char* name : {"--docs", "--queries", "--db"}) opt[name] = host_path(opt[name]);
    try {
        auto start = Clock::now();
        std::vector<Document> docs;
        for (const json& j : read_jsonl(opt["--docs"]))
            docs.push_back({j.at("id").get<std::string>(), j.at("title").get<std::string>(), j.at("body").get<std::string>()});
        std::vector<Query> queries;
        for (const json& j : read_jsonl(opt["--queries"]))
            queries.push_back({j.at("set").get<std::string>(), j.at("text").get<std::string>(),
                               j.at("expected").get<std::string>(), j.at("last").get<bool>()});
        double load_ms = ms_since(start);

        json out;
        if (opt.count("--slowest")) g_slowest = std::stoul(opt["--slowest"]);
        if (opt.count("--hits")) g_hits = opt["--hits"] == "1";
        g_warm_up_all = opt["--warm-up"] == "all";
        if (opt["--engine"] == "handbook") out = bench_handbook(docs, queries, opt["--db"], opt["--reuse-db"] == "1");
        else if (opt["--engine"] == "fts5") out = bench_fts5(docs, queries, opt["--db"]);
        else fail("unknown engine '" + opt["--engine"] + "' (handbook or fts5)");
#ifdef __EMSCRIPTEN__
        out["platform"] = "wasm";
#else
        out["platform"] = "native";
#endif
        out["db_path"] = db_arg;
        out["docs"] = docs.size();
        out["corpus_load_ms"] = load_ms;
        out["peak_memory_bytes"] = peak_memory_bytes();
        std::cout << out.dump() << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "handbook_bench: " << e.what() << "\n";
        return 1;
    }
}
