// Turns Debian's package descriptions (or another library's records) into a benchmark
// corpus with known answers.
//   lz4cat .../Translation-en.lz4 | node bench/make_corpus.mjs OUT_DIR [--sizes 1000,10000,all] [--seed 42]
//   node bench/perl_pod.mjs DIR... | node bench/make_corpus.mjs OUT_DIR --format records ...
// --format records reads one JSON object a line, {name, synopsis, body} (bench/perl_pod.mjs,
// bench/python_docstrings.py): the same known-item shape as a package, its synopsis the query.
// Documents: {id: package name, title: package name, body: long description}.
// Queries: the one-line synopsis (Description-en's first line) of a package in the sample,
// whose right answer is that package. The synopsis is not part of the long description,
// so this is a fair known-item search. Packages whose body is identical to another's
// (foo / foo-data) are never used as queries: their right answer is ambiguous.
// Query sets (one JSONL line per search):
//   full  the synopsis as typed (a finished query)
//   typo  the synopsis with one typo (deleted, inserted, replaced or swapped letter) in one word
//   ayt   as-you-type: every prefix, keystroke by keystroke, of synopses of 2-3 words
// Sampling is seeded: the same seed gives the same corpus and queries on any machine.
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const outDir = args[0];
if (!outDir) {
  console.error('usage: make_corpus.mjs OUT_DIR [--format deb822|records] [--sizes 1000,10000,all] [--seed N] [--queries N[,N..]] [--ayt-queries N[,N..]] < input');
  process.exit(2);
}
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const sizes = option('--sizes', '1000,10000,all').split(',');
const seed = Number(option('--seed', '42'));
// One number for every size, or one per size ("500,500,200": fewer on the big corpus,
// where each search costs more and the run must stay short).
const perSize = (name, fallback) => {
  const list = option(name, fallback).split(',').map(Number);
  return (i) => list[Math.min(i, list.length - 1)];
};
const queryCount = perSize('--queries', '500');
const aytQueryCount = perSize('--ayt-queries', '150');

// mulberry32: small, seedable, the same in every JavaScript engine.
function random(seedValue) {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function shuffled(list, rand) {
  const out = list.slice();
  for (let i = out.length - 1; i > 0; --i) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// Parse the deb822 records: Package, Description-en (synopsis line, then the long
// description indented by one space, " ." for an empty line).
function parse(text) {
  const packages = [];
  const seen = new Set();
  for (const record of text.split(/\n\n+/)) {
    const lines = record.split('\n');
    let name = '', synopsis = '', body = [], inDescription = false;
    for (const line of lines) {
      if (line.startsWith(' ')) {
        if (inDescription) body.push(line === ' .' ? '' : line.slice(1));
        continue;
      }
      inDescription = false;
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const key = line.slice(0, colon), value = line.slice(colon + 1).trim();
      if (key === 'Package') name = value;
      else if (key === 'Description-en') { synopsis = value; inDescription = true; }
    }
    const bodyText = body.join('\n').trim();
    if (!name || !synopsis || !bodyText || seen.has(name)) continue;
    if (name.length > 200 || Buffer.byteLength(bodyText) > 500 * 1024) continue;
    seen.add(name);
    packages.push({ name, synopsis, body: bodyText });
  }
  return packages;
}

// One typo in one word of 4+ letters: the kinds people make (a letter left out, an
// extra letter, a wrong letter, two letters swapped).
function withTypo(text, rand) {
  const words = [...text.matchAll(/[A-Za-z]{4,}/g)];
  if (words.length === 0) return null;
  const m = words[Math.floor(rand() * words.length)];
  const w = m[0];
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const pos = 1 + Math.floor(rand() * (w.length - 1));  // keep the first letter, as most typos do
  const letter = letters[Math.floor(rand() * letters.length)];
  let typo;
  switch (Math.floor(rand() * 4)) {
    case 0: typo = w.slice(0, pos) + w.slice(pos + 1); break;
    case 1: typo = w.slice(0, pos) + letter + w.slice(pos); break;
    case 2: typo = w.slice(0, pos) + (letter === w[pos] ? (letter === 'a' ? 'e' : 'a') : letter) + w.slice(pos + 1); break;
    default:
      typo = pos + 1 < w.length && w[pos] !== w[pos + 1]
        ? w.slice(0, pos) + w[pos + 1] + w[pos] + w.slice(pos + 2)
        : w.slice(0, pos) + w.slice(pos + 1);
  }
  return text.slice(0, m.index) + typo + text.slice(m.index + w.length);
}

// Records already split by their extractor; the same limits as parse() applies.
function parseRecords(text) {
  const out = [];
  const seen = new Set();
  // Lines that are no record are skipped: a module imported by the Python extractor may
  // print to its output (the sqlite3 tests announce their version).
  for (const line of text.split('\n').filter((l) => l.startsWith('{'))) {
    const { name, synopsis, body } = JSON.parse(line);
    if (!name || !synopsis || !body || seen.has(name)) continue;
    if (name.length > 200 || Buffer.byteLength(body) > 500 * 1024) continue;
    seen.add(name);
    out.push({ name, synopsis: synopsis.replace(/\s+/g, ' ').trim(), body: body.trim() });
  }
  return out;
}

const input = fs.readFileSync(0, 'utf8');
const all = option('--format', 'deb822') === 'records' ? parseRecords(input) : parse(input);
const bodyCount = new Map();
for (const p of all) bodyCount.set(p.body, (bodyCount.get(p.body) || 0) + 1);
// In a records corpus a synopsis shared by several documents ("Emit a record." of every
// logging handler) has no one right answer either, so it is no query. (Package synopses
// are kept as they were, so the package corpus's figures stay comparable with its history.)
const synopsisCount = new Map();
for (const p of all) synopsisCount.set(p.synopsis.toLowerCase(), (synopsisCount.get(p.synopsis.toLowerCase()) || 0) + 1);
const ambiguous = (p) => option('--format', 'deb822') === 'records' && synopsisCount.get(p.synopsis.toLowerCase()) > 1;

fs.mkdirSync(outDir, { recursive: true });
const order = shuffled(all, random(seed));
const summary = [];
for (const [sizeIndex, size] of sizes.entries()) {
  const n = size === 'all' ? order.length : Math.min(Number(size), order.length);
  const docs = order.slice(0, n);  // nested samples: 1k is inside 10k is inside all
  const docLines = docs.map((p) => JSON.stringify({ id: p.name, title: p.name, body: p.body }));
  fs.writeFileSync(path.join(outDir, `docs-${size}.jsonl`), docLines.join('\n') + '\n');

  const rand = random(seed + n);
  const candidates = shuffled(docs.filter((p) => bodyCount.get(p.body) === 1 && !ambiguous(p)), rand);
  const lines = [];
  const picked = candidates.slice(0, queryCount(sizeIndex));
  picked.forEach((p, i) => lines.push({ set: 'full', qid: i, text: p.synopsis, expected: p.name, last: true }));
  picked.forEach((p, i) => {
    const t = withTypo(p.synopsis, rand);
    if (t && t !== p.synopsis) lines.push({ set: 'typo', qid: i, text: t, expected: p.name, last: true });
  });
  const short = candidates.filter((p) => {
    const words = p.synopsis.trim().split(/\s+/);
    return words.length >= 2 && words.length <= 3;
  }).slice(0, aytQueryCount(sizeIndex));
  short.forEach((p, i) => {
    const t = p.synopsis.trim().replace(/\s+/g, ' ');
    for (let k = 1; k <= t.length; ++k)
      lines.push({ set: 'ayt', qid: i, text: t.slice(0, k), expected: p.name, last: k === t.length });
  });
  fs.writeFileSync(path.join(outDir, `queries-${size}.jsonl`), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  summary.push(`${size}: ${n} docs, ${picked.length} full, ${lines.filter((l) => l.set === 'typo').length} typo, ` +
    `${short.length} as-you-type queries (${lines.filter((l) => l.set === 'ayt').length} keystrokes)`);
}
fs.writeFileSync(path.join(outDir, 'corpus.txt'), `seed ${seed}, ${all.length} documents with a synopsis and a body\n` + summary.join('\n') + '\n');
console.log(summary.join('\n'));
