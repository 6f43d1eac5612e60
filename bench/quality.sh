#!/usr/bin/env bash
# Ranking quality only, on every corpus: native Handbook and plain FTS5 bm25 over the
# corpora scripts/bench.sh built (run it once per BENCH_CORPUS first), MRR@10 and R@10 per
# query set, with the 95% noise of each Handbook - FTS5 gap (paired over the same queries).
# For ranking work: a minute or two, where the full benchmark takes twenty.
#   bash bench/quality.sh [BUILD_DIR] [--reuse-db]   # BUILD_DIR: build/native
# --reuse-db searches the Handbook databases of the previous run (a change to the ranking
# only, not to what is indexed). HANDBOOK_RANKING (see search.h) is passed through.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/native}
reuse=0
[ "${2:-}" = --reuse-db ] && reuse=1
cache=.cache/bench
out=$cache/quality
mkdir -p "$out"
cases=(
  "debian 1000 $cache/corpus-seed42-q500-300-150-a150-80-40"
  "debian 10000 $cache/corpus-seed42-q500-300-150-a150-80-40"
  "perl all $cache/corpus-perl-seed42-q500-a150"
  "python all $cache/corpus-python-seed42-q500-a150"
)
for c in "${cases[@]}"; do
  read -r name size dir <<< "$c"
  [ -f "$dir/docs-$size.jsonl" ] || { echo "quality: no $dir/docs-$size.jsonl: BENCH_CORPUS=$name bash scripts/bench.sh first" >&2; continue; }
  for engine in handbook fts5; do
    result=$out/$engine-$name-$size.json
    if [ "$engine" = fts5 ] && [ -s "$result" ] && [ "$result" -nt "$dir/docs-$size.jsonl" ]; then continue; fi  # FTS5 never changes
    flags=()
    [ "$engine" = handbook ] && [ "$reuse" = 1 ] && [ -f "$out/handbook-$name-$size.db" ] && flags=(--reuse-db 1)
    "$build/bench/handbook_bench" --engine $engine --docs "$dir/docs-$size.jsonl" --queries "$dir/queries-$size.jsonl" \
      --db "$out/$engine-$name-$size.db" "${flags[@]}" > "$result"
  done
done
node -e '
const fs = require("fs"), out = process.argv[1];
const rr = (r) => (r >= 1 && r <= 10 ? 1 / r : 0);
console.log("| corpus | size | set | Handbook MRR@10 | FTS5 MRR@10 | gap ± noise | Handbook R@10 | FTS5 R@10 |");
console.log("|---|---|---|---|---|---|---|---|");
for (const f of fs.readdirSync(out).filter((f) => f.startsWith("handbook-") && f.endsWith(".json")).sort()) {
  const hb = JSON.parse(fs.readFileSync(`${out}/${f}`)), ft = JSON.parse(fs.readFileSync(`${out}/${f.replace("handbook-", "fts5-")}`));
  const [, name, size] = f.replace(".json", "").split("-");
  for (const set of ["full", "typo", "ayt"]) {
    const a = hb.sets[set], b = ft.sets[set];
    let noise = "";
    if (a.ranks && b.ranks && a.ranks.length === b.ranks.length) {
      const d = a.ranks.map((r, i) => rr(r) - rr(b.ranks[i]));
      const m = d.reduce((x, y) => x + y, 0) / d.length;
      const v = d.reduce((x, y) => x + (y - m) ** 2, 0) / (d.length - 1);
      noise = ` ± ${(1.96 * Math.sqrt(v / d.length)).toFixed(3)}`;
    }
    const gap = a.mrr10 - b.mrr10;
    console.log(`| ${name} | ${size} | ${set} | ${a.mrr10.toFixed(3)} | ${b.mrr10.toFixed(3)} | ${gap >= 0 ? "+" : ""}${gap.toFixed(3)}${noise} | ${a.recall10.toFixed(3)} | ${b.recall10.toFixed(3)} |`);
  }
}' "$out"
