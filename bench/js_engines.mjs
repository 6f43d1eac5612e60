// The search benchmark's JavaScript side: MiniSearch, FlexSearch and lunr over the same
// documents and queries as bench/handbook_bench.cpp, one after the other in one Node
// process, with the same metrics. Prints one JSON object per engine, one per line.
//
//   node --expose-gc bench/js_engines.mjs --docs docs.jsonl --queries queries.jsonl [--engines minisearch,flexsearch,lunr]
//
// Each engine is configured as its documentation suggests for a search box: title and
// body fields with a title boost where the engine has one, typo tolerance switched on,
// and the last word matched as a prefix while the user is still typing (set "ayt").
// Memory: the peak of the V8 heap (heapUsed + external) while building and searching,
// less what it was before the engine started, sampled as the work goes; the engine's
// serialized index (raw and gzipped) is its index size.
import fs from 'node:fs';
import zlib from 'node:zlib';
import MiniSearch from 'minisearch';
import lunr from 'lunr';
import { Document, Charset } from 'flexsearch';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const docsPath = option('--docs');
const queriesPath = option('--queries');
if (!docsPath || !queriesPath) {
  console.error('usage: node --expose-gc js_engines.mjs --docs FILE --queries FILE [--engines minisearch,flexsearch,lunr]');
  process.exit(2);
}
const engines = option('--engines', 'minisearch,flexsearch,lunr').split(',');
const readJsonl = (p) => fs.readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const docs = readJsonl(docsPath);
const queries = readJsonl(queriesPath);
const collect = () => { if (global.gc) global.gc(); };
const heap = () => { const m = process.memoryUsage(); return m.heapUsed + m.external; };

// Nearest-rank percentile, as in handbook_bench.cpp.
function percentile(values, p) {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}
function figures(list) {
  const n = Math.max(list.length, 1);
  const latencies = list.map((r) => r.ms);
  let rr = 0, at1 = 0, in10 = 0;
  for (const r of list) {
    if (r.rank >= 1 && r.rank <= 10) { rr += 1 / r.rank; in10++; if (r.rank === 1) at1++; }
  }
  return {
    searches: list.length,
    p50_ms: percentile(latencies, 50), p95_ms: percentile(latencies, 95), p99_ms: percentile(latencies, 99),
    mean_ms: latencies.reduce((a, b) => a + b, 0) / n,
    mrr10: rr / n, recall1: at1 / n, recall10: in10 / n,
    ranks: list.map((r) => r.rank),  // per search, in query-file order (paired comparisons)
  };
}

// The last word is still being typed when the set is as-you-type and the text ends inside a word.
const typing = (q) => q.set === 'ayt' && /\w$/.test(q.text);

const builders = {
  minisearch() {
    const ms = new MiniSearch({ fields: ['title', 'body'], idField: 'id' });
    return {
      add: (d) => ms.add(d),
      search: (q) => {
        const prefixLast = typing(q);
        return ms.search(q.text, {
          boost: { title: 2 },
          fuzzy: 0.2,
          prefix: (term, i, terms) => prefixLast && i === terms.length - 1,
        }).slice(0, 10).map((r) => r.id);
      },
      serialize: async () => JSON.stringify(ms),
    };
  },
  flexsearch() {
    // 'forward' tokenizing gives prefix matches; LatinBalance folds spelling variants;
    // suggest: true lets documents that miss a word still come back (ranked lower).
    const index = new Document({
      encoder: Charset.LatinBalance,
      tokenize: 'forward',
      document: { id: 'id', index: ['title', 'body'] },
    });
    return {
      add: (d) => index.add(d),
      search: (q) => index.search(q.text, { limit: 10, suggest: true, merge: true }).slice(0, 10).map((r) => r.id),
      serialize: async () => {
        let out = '';
        await index.export((key, data) => { out += key + (data ?? ''); });
        return out;
      },
    };
  },
  lunr() {
    let built = null;
    const pending = [];
    const idx = () => {
      if (!built) {
        built = lunr(function () {
          this.ref('id');
          this.field('title', { boost: 10 });
          this.field('body');
          for (const d of pending) this.add(d);
        });
        pending.length = 0;
      }
      return built;
    };
    return {
      add: (d) => pending.push(d),
      finish: () => idx(),
      search: (q) => {
        // The query builder, not lunr's query syntax: typed text may contain ':', '-', '~', '*'.
        const tokens = lunr.tokenizer(q.text).map((t) => lunr.trimmer(t)).filter((t) => t.toString().length > 0);
        const prefixLast = typing(q);
        const hits = idx().query((query) => {
          tokens.forEach((t, i) => {
            const word = t.toString();
            query.term(t.clone(), { usePipeline: true });
            if (prefixLast && i === tokens.length - 1)
              query.term(word, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 0.8 });
            if (word.length >= 5) query.term(word, { usePipeline: false, editDistance: 1, boost: 0.5 });
          });
        });
        return hits.slice(0, 10).map((r) => r.ref);
      },
      serialize: async () => JSON.stringify(idx()),
    };
  },
};

for (const name of engines) {
  collect();
  const base = heap();
  let peak = 0;
  const sample = () => { peak = Math.max(peak, heap() - base); };
  let start = performance.now();
  const engine = builders[name]();
  docs.forEach((d, i) => {
    engine.add({ id: d.id, title: d.title, body: d.body });
    if (i % 500 === 0) sample();
  });
  if (engine.finish) engine.finish();
  sample();
  const buildMs = performance.now() - start;

  // The same unmeasured warm-up as handbook_bench.cpp (JIT tiering, cold caches).
  for (const q of queries.slice(0, 30)) { try { engine.search(q); } catch { /* counted below */ } }
  const bySet = {};
  queries.forEach((q, i) => {
    start = performance.now();
    let ids;
    try {
      ids = engine.search(q);
    } catch {
      ids = [];  // counted as not found, never as an error of the whole run
    }
    const ms = performance.now() - start;
    const pos = ids.indexOf(q.expected);
    const result = { ms, rank: pos >= 0 ? pos + 1 : 0 };
    (bySet[q.set] ??= []).push(result);
    if (q.set === 'ayt' && q.last) (bySet.ayt_final ??= []).push(result);
    if (i % 100 === 0) sample();
  });
  sample();

  const serialized = await engine.serialize();
  const raw = Buffer.from(serialized);
  const sets = {};
  for (const [set, list] of Object.entries(bySet)) sets[set] = figures(list);
  console.log(JSON.stringify({
    engine: name, platform: 'node', docs: docs.length,
    build_ms: buildMs, import_ms: buildMs,
    index_bytes: raw.length, index_gz_bytes: zlib.gzipSync(raw).length,
    peak_memory_bytes: peak, sets,
  }));
}
