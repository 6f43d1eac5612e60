// Writes bench/RESULTS.md from the latest benchmark figures of each corpus size.
//   node bench/report.mjs RESULTS_DIR OUT.md
// RESULTS_DIR holds one folder per corpus size with date.txt, commit.txt, machine.txt,
// corpus.txt and *.jsonl files (one JSON object per engine, as printed by
// handbook_bench and js_engines.mjs). A "## History" section already in OUT.md is kept, and this run's
// Handbook figures are added to it, so progress stays visible across commits.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const [dir, outPath] = process.argv.slice(2);
if (!dir || !outPath) {
  console.error('usage: node bench/report.mjs RESULTS_DIR OUT.md');
  process.exit(2);
}
const read = (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '');
const sizeOrder = (s) => (s === 'all' ? Infinity : Number(s));
const sizes = fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory())
  .sort((a, b) => sizeOrder(a) - sizeOrder(b));

const engineOrder = ['handbook/native', 'handbook/wasm', 'fts5/native', 'fts5/wasm', 'minisearch/node', 'flexsearch/node', 'lunr/node'];
const setNames = [
  ['full', 'full'],
  ['typo', 'typo'],
  ['ayt', 'as-you-type, every keystroke'],
  ['ayt_final', 'as-you-type, last keystroke'],
];

const mb = (b) => (b == null ? '' : (b / 1048576).toFixed(1) + ' MB');
const ms = (x) => (x == null ? '' : x < 10 ? x.toFixed(2) : x.toFixed(1));
const f3 = (x) => (x == null ? '' : x.toFixed(3));
const seconds = (x) => (x == null ? '' : (x / 1000).toFixed(2) + ' s');
const gzSize = (file) => (file && fs.existsSync(file) ? zlib.gzipSync(fs.readFileSync(file), { level: 6 }).length : null);

// How large a gap in MRR@10 sampling noise alone could make (95%). Both engines answered
// the same queries in the same order, so when per-query ranks are there the comparison is
// paired (the standard error of the per-query differences); otherwise a reciprocal rank
// lies in [0, 1], its variance is at most m(1 - m), and that bounds each side.
function noiseOfDifference(a, b) {
  const rr = (rank) => (rank >= 1 && rank <= 10 ? 1 / rank : 0);
  if (a.ranks && b.ranks && a.ranks.length === b.ranks.length && a.ranks.length > 1) {
    const d = a.ranks.map((r, i) => rr(r) - rr(b.ranks[i]));
    const mean = d.reduce((x, y) => x + y, 0) / d.length;
    const variance = d.reduce((x, y) => x + (y - mean) ** 2, 0) / (d.length - 1);
    return 1.96 * Math.sqrt(variance / d.length);
  }
  const se = (m, n) => Math.sqrt((m * (1 - m)) / Math.max(n, 1));
  return 1.96 * Math.hypot(se(a.mrr10, a.searches), se(b.mrr10, b.searches));
}

function load(size) {
  const runs = [];
  for (const f of fs.readdirSync(path.join(dir, size)).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of read(path.join(dir, size, f)).split('\n').filter(Boolean)) {
      const r = JSON.parse(line);
      r.key = `${r.engine}/${r.platform}`;
      runs.push(r);
    }
  }
  runs.sort((a, b) => engineOrder.indexOf(a.key) - engineOrder.indexOf(b.key));
  return runs;
}

const out = [];
out.push('# Search benchmark results', '');
out.push('Written by `scripts/bench.sh` (see bench/README.md for what is measured and how). Do not edit by hand:',
  'each size\'s table is replaced when that size is run again; the History section keeps every run.', '');
out.push('Columns: build = time to build the index from the documents (Handbook: `rebuild_search_index` over the stored',
  'articles; the full import through `save_article`, which also stores versions, is in the import column);',
  'index = the engine\'s index (Handbook/FTS5: FTS5 segment blocks; JS engines: serialized index), raw / gzipped;',
  'db = the SQLite file, raw / gzipped; memory = peak (native: process RSS; wasm: linear memory; Node engines: V8 heap',
  'growth); latencies per search in ms; quality over the first 10 results.', '');

const history = [];
for (const size of sizes) {
  const runs = load(size);
  if (runs.length === 0) continue;
  const info = (name) => read(path.join(dir, size, name)).trim();
  const commit = info('commit.txt'), date = info('date.txt');
  out.push(`## ${size === 'all' ? 'All' : Number(size).toLocaleString('en')} documents (${runs[0].docs})`, '');
  out.push(`- Date: ${date}`, `- Commit: ${commit}`);
  for (const line of info('machine.txt').split('\n')) if (line) out.push(`- ${line}`);
  for (const line of info('corpus.txt').split('\n')) if (line) out.push(`- Corpus: ${line.replace(/^\w+: /, '')}`);
  out.push('');
  out.push('| engine | import | build | index raw / gz | db raw / gz | memory | set | p50 | p95 | p99 | MRR@10 | R@1 | R@10 |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of runs) {
    const dbGz = r.db_path ? gzSize(r.db_path) : null;
    const indexGz = r.index_gz_bytes ?? null;
    let first = true;
    for (const [set, label] of setNames) {
      const s = r.sets?.[set];
      if (!s) continue;
      const head = first
        ? [r.key, seconds(r.import_ms), seconds(r.build_ms), `${mb(r.index_bytes)}${indexGz != null ? ' / ' + mb(indexGz) : ''}`,
          r.db_bytes ? `${mb(r.db_bytes)}${dbGz != null ? ' / ' + mb(dbGz) : ''}` : '', mb(r.peak_memory_bytes)]
        : ['', '', '', '', '', ''];
      first = false;
      out.push(`| ${head.join(' | ')} | ${label} | ${ms(s.p50_ms)} | ${ms(s.p95_ms)} | ${ms(s.p99_ms)} | ${f3(s.mrr10)} | ${f3(s.recall1)} | ${f3(s.recall10)} |`);
    }
  }
  out.push('');

  // The targets, checked on this size.
  const hb = runs.find((r) => r.key === 'handbook/native');
  const wasm = runs.find((r) => r.key === 'handbook/wasm');
  const peers = runs.filter((r) => r.engine !== 'handbook');
  const checks = [];
  const best = hb ?? wasm;
  if (best) {
    for (const [set, label] of setNames) {
      if (!best.sets[set]) continue;
      const rival = peers.filter((p) => p.sets[set]).sort((a, b) => b.sets[set].mrr10 - a.sets[set].mrr10)[0];
      if (!rival) continue;
      const ours = best.sets[set].mrr10, theirs = rival.sets[set].mrr10;
      const ok = ours >= theirs;
      const noise = noiseOfDifference(best.sets[set], rival.sets[set]);
      const verdict = Math.abs(ours - theirs) < noise ? `${ok ? 'met' : 'NOT met'}, within sampling noise (±${f3(noise)})` : ok ? 'met' : 'NOT met';
      checks.push(`- MRR@10 ${label}: Handbook ${f3(ours)}, best peer ${rival.key} ${f3(theirs)} (${best.sets[set].searches} searches): ${verdict}`);
    }
  }
  if (wasm?.sets.ayt) checks.push(`- As-you-type p99 in wasm ≤ 16 ms: ${ms(wasm.sets.ayt.p99_ms)} ms: ${wasm.sets.ayt.p99_ms <= 16 ? 'met' : 'NOT met'}${size === 'all' ? '' : ' (the target is for the full corpus)'}`);
  if (wasm && hb) {
    for (const set of ['full', 'ayt']) {
      if (!wasm.sets[set] || !hb.sets[set]) continue;
      const r50 = wasm.sets[set].p50_ms / hb.sets[set].p50_ms, r99 = wasm.sets[set].p99_ms / hb.sets[set].p99_ms;
      checks.push(`- wasm/native ${set}: p50 ${r50.toFixed(2)}x, p99 ${r99.toFixed(2)}x: ${Math.max(r50, r99) <= 2 ? 'met' : 'NOT met'} (target ≤ 2x)`);
    }
  }
  if (checks.length) out.push('Targets (issue 5):', '', ...checks, '');
  if (best) {
    const s = best.sets;
    history.push(`| ${date} | ${commit.slice(0, 10)} | ${size} | ${['full', 'typo', 'ayt', 'ayt_final'].map((k) => f3(s[k]?.mrr10)).join(' | ')} | ${ms(hb?.sets.ayt?.p99_ms)} | ${ms(wasm?.sets.ayt?.p99_ms)} |`);
  }
}

// Keep the history of earlier runs, newest last.
const previous = read(outPath);
const marker = '## History';
let historyRows = [];
if (previous.includes(marker)) {
  historyRows = previous.slice(previous.indexOf(marker)).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| date') && !l.startsWith('|---'));
}
out.push(marker, '', 'Handbook MRR@10 per query set and as-you-type p99 (ms), one row per run and size (the lead records what changed in the commit).', '');
out.push('| date | commit | size | full | typo | ayt | ayt last | ayt p99 native | ayt p99 wasm |', '|---|---|---|---|---|---|---|---|---|');
out.push(...[...new Set([...historyRows, ...history])], '');
fs.writeFileSync(outPath, out.join('\n'));
console.log(`wrote ${outPath}`);
