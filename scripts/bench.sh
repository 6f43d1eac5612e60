#!/usr/bin/env bash
# The search benchmark, one command: builds the corpus (Debian package descriptions),
# the benchmark program (native and WebAssembly), runs Handbook, plain FTS5, MiniSearch,
# FlexSearch and lunr on the same documents and queries, and writes bench/RESULTS.md.
#   scripts/bench.sh                 # sizes 1000, 10000 and all (~64k documents), and the browser:
#                                    # about 20 minutes on 2 idle cores (4.5 for 1000 + 10000,
#                                    # 10 for all, 6 for the browser)
#   scripts/bench.sh 1000 10000      # chosen sizes only (each size's table is replaced on its own)
#   scripts/bench.sh browser         # only the app in headless Chromium (download size, first
#                                    # result of a first and a returning visit, frame times while
#                                    # typing): about 6 minutes
# The default run includes `browser`. Environment: BENCH_SEED (42), BENCH_QUERIES (queries per
# set for 1k,10k,all: 500,300,150), BENCH_AYT_QUERIES (as-you-type queries for 1k,10k,all:
# 150,80,40), BENCH_JOBS (build jobs, 2), BENCH_SKIP_WASM=1, BENCH_SKIP_JS=1,
# BENCH_SKIP_BROWSER=1 (also leaves out the wasm rounds in a Chromium page), BENCH_BROWSER_RUNS
# (first-result runs per CPU setting, 5).
# BENCH_CORPUS=debian|perl|python (debian): which library the documents come from (package
# descriptions; Perl's module documentation, from perl-doc, installed here when missing;
# Python's standard library docstrings). The other corpora are smaller than the package one:
# their default sizes are 1000 and all, and a size beyond a corpus is all of it.
# Everything fetched or generated lives in .cache/bench/ (git-ignored). See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export NODE_PATH=/usr/share/nodejs   # em++ needs Debian's node modules (acorn)
sizes=()
browser=0
for arg in "$@"; do
  if [ "$arg" = browser ]; then browser=1; else sizes+=("$arg"); fi
done
corpus_name=${BENCH_CORPUS:-debian}
case "$corpus_name" in debian|perl|python) ;; *) echo "bench: BENCH_CORPUS is debian, perl or python" >&2; exit 2 ;; esac
if [ $# -eq 0 ]; then
  if [ "$corpus_name" = debian ]; then
    sizes=(1000 10000 all)
    [ "${BENCH_SKIP_BROWSER:-0}" = 1 ] || browser=1
  else
    sizes=(1000 all)
    [ "$corpus_name" = perl ] && sizes=(all)  # about 720 documents
  fi
fi
seed=${BENCH_SEED:-42}
jobs=${BENCH_JOBS:-2}
cache=$root/.cache/bench
say() { echo "bench: $*" >&2; }
emscripten_version() { em++ --version 2>/dev/null | head -1 | grep -o '[0-9]*\.[0-9]*\.[0-9]*' | head -1; }

# stamp_results DIR WHAT PATH...: the commit (marked when PATHs have uncommitted changes),
# date and machine of a results folder; WHAT is the figure the load average makes noisy.
stamp_results() {
  local out=$1 what=$2
  shift 2
  git rev-parse HEAD > "$out/commit.txt" 2>/dev/null || echo unknown > "$out/commit.txt"
  local paths="" path
  for path in "$@"; do  # name only the paths that have changes
    [ -n "$(git status --porcelain -- "$path" 2>/dev/null)" ] && paths+="$path/, "
  done
  [ -z "$paths" ] || sed -i "s|\$| (with uncommitted changes in ${paths%, })|" "$out/commit.txt"
  date -u '+%Y-%m-%d %H:%M UTC' > "$out/date.txt"
  {
    echo "CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores available"
    echo "Memory: $(free -h | awk '/^Mem:/ {print $2}') total"
    echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($what are noisy when other work shares the machine)"
  } > "$out/machine.txt"
}

bash scripts/setup.sh

results=$cache/results
mkdir -p "$results"

# 1-3: the search engines on the corpus sizes asked for (none for `scripts/bench.sh browser`).
if [ ${#sizes[@]} -gt 0 ]; then
# 1. The corpus.
queries_per_set=${BENCH_QUERIES:-500,300,150}
ayt_queries=${BENCH_AYT_QUERIES:-150,80,40}
corpus=$cache/corpus-seed$seed-q${queries_per_set//,/-}-a${ayt_queries//,/-}
results_prefix=""  # the package corpus's results folders are its sizes, the others' NAME-SIZE
if [ "$corpus_name" = debian ]; then
  # The long descriptions are in apt's Translation-en lists, which Debian images do not
  # download by default.
  translations() { ls /var/lib/apt/lists/*_bookworm_main_i18n_Translation-en.lz4 2>/dev/null | head -1; }
  if [ -z "$(translations)" ]; then
    say "fetching the English package descriptions (apt-get update -o Acquire::Languages=en)"
    apt-get update -o Acquire::Languages=en >/dev/null
  fi
  source_list=$(translations)
  [ -n "$source_list" ] || { say "no Translation-en list under /var/lib/apt/lists: run as root, or see bench/README.md"; exit 1; }
  if [ ! -f "$corpus/corpus.txt" ] || [ "$source_list" -nt "$corpus/corpus.txt" ] || [ bench/make_corpus.mjs -nt "$corpus/corpus.txt" ]; then
    say "building the corpus in $corpus"
    lz4cat "$source_list" | node bench/make_corpus.mjs "$corpus" --sizes 1000,10000,all --seed "$seed" \
      --queries "$queries_per_set" --ayt-queries "$ayt_queries" >/dev/null
  fi
else
  # Another library's documents (bench/README.md): its extractor's records, the same query sets.
  results_prefix=$corpus_name-
  # A few thousand documents at most: as many queries at every size (less sampling noise).
  queries_per_set=${BENCH_QUERIES:-500}
  ayt_queries=${BENCH_AYT_QUERIES:-150}
  corpus=$cache/corpus-$corpus_name-seed$seed-q${queries_per_set//,/-}-a${ayt_queries//,/-}
  if [ "$corpus_name" = perl ]; then
    # perl-doc (15 MB) brings the POD of perl's own manual (perlfunc, perlre, ...); the
    # modules' POD is in perl-modules, which every Debian has. Only the benchmark needs it.
    if ! dpkg-query -W -f='${Status}' perl-doc 2>/dev/null | grep -q "install ok installed"; then
      say "installing perl-doc"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends perl-doc >/dev/null
    fi
    extract=(node bench/perl_pod.mjs /usr/share/perl/5.36 /usr/lib/x86_64-linux-gnu/perl/5.36 /usr/lib/x86_64-linux-gnu/perl-base)
    extractor=bench/perl_pod.mjs
  else
    extract=(python3 bench/python_docstrings.py)
    extractor=bench/python_docstrings.py
  fi
  if [ ! -f "$corpus/corpus.txt" ] || [ bench/make_corpus.mjs -nt "$corpus/corpus.txt" ] || [ "$extractor" -nt "$corpus/corpus.txt" ]; then
    say "building the $corpus_name corpus in $corpus"
    "${extract[@]}" 2>/dev/null | node bench/make_corpus.mjs "$corpus" --format records --sizes 1000,10000,all \
      --seed "$seed" --queries "$queries_per_set" --ayt-queries "$ayt_queries" >/dev/null
  fi
fi

# 2. The benchmark program, in its own build trees (the app's builds are left alone).
[ -f build/bench-native/build.ninja ] || cmake --preset native -B build/bench-native >/dev/null
cmake --build build/bench-native --target handbook_bench -j "$jobs" >/dev/null
if [ "${BENCH_SKIP_WASM:-0}" != 1 ]; then
  [ -f build/bench-web/build.ninja ] || cmake --preset web -B build/bench-web >/dev/null
  cmake --build build/bench-web --target handbook_bench handbook_bench_page -j "$jobs" >/dev/null
fi

# One pass of Handbook's core over the current size's corpus, native or wasm (under
# Node), with its own database; further flags (--reuse-db, --warm-up) after the platform.
handbook_pass() {
  local platform=$1
  shift
  if [ "$platform" = native ]; then
    build/bench-native/bench/handbook_bench --engine handbook --docs "$docs" --queries "$queries" \
      --db "$cache/handbook-native-$results_prefix$size.db" "$@"
  elif [ "$platform" = chromium ]; then
    # The same wasm in a Chromium page (bench/wasm_in_browser.mjs), on the database the
    # Node pass made.
    node bench/wasm_in_browser.mjs --engine handbook --docs "$docs" \
      --queries "$queries" --db "$cache/handbook-wasm-$results_prefix$size.db" "$@"
  else
    node --no-experimental-fetch build/bench-web/bench/handbook_bench.js --engine handbook --docs "$docs" \
      --queries "$queries" --db "$cache/handbook-wasm-$results_prefix$size.db" "$@"
  fi
}

# 3. Every engine at every size, one after the other (timings must not compete). Each
#    size keeps its own folder (with its date, commit and machine), so running one size
#    again replaces only that size's table in RESULTS.md.
for size in "${sizes[@]}"; do
  docs=$corpus/docs-$size.jsonl
  queries=$corpus/queries-$size.jsonl
  [ -f "$docs" ] || { say "no corpus of size $size (choose from 1000, 10000, all)"; exit 2; }
  out=$results/$results_prefix$size
  rm -rf "$out"
  mkdir -p "$out"
  stamp_results "$out" "latencies" src bench
  echo "Native: $(g++ --version | head -1), preset native (RelWithDebInfo, -O2); wasm: Emscripten $(emscripten_version), preset web (Release), Node $(node --version)" >> "$out/machine.txt"
  grep -E "^(seed|$size:)" "$corpus/corpus.txt" > "$out/corpus.txt"
  for engine in handbook fts5; do
    say "$size documents: $engine (native)"
    build/bench-native/bench/handbook_bench --engine $engine --docs "$docs" --queries "$queries" \
      --db "$cache/$engine-native-$results_prefix$size.db" > "$out/$engine-native.jsonl"
  done
  if [ "${BENCH_SKIP_WASM:-0}" != 1 ]; then
    say "$size documents: handbook (wasm under Node)"
    handbook_pass wasm > "$out/handbook-wasm.jsonl"
    # wasm/native: one native run and one wasm run apart measure the machine's load as
    # much as the code (the ratio moved from 1.5x to 2.8x between two runs of the same
    # code). Searches only (the databases above, --reuse-db), every query once unmeasured
    # first (steady state: wasm compiles on first call and tiers up later, native does
    # not), native and wasm taking turns, the order swapped every round; report.mjs takes
    # the median of the rounds. The wasm runs twice a round: under Node, and in a Chromium
    # page (the browser's own V8, the engine the app runs in; BENCH_SKIP_BROWSER=1 leaves
    # that out).
    mkdir -p "$out/ratio"
    wasm_platforms="wasm" reversed="wasm"
    [ "${BENCH_SKIP_BROWSER:-0}" = 1 ] || { wasm_platforms="wasm chromium"; reversed="chromium wasm"; }
    for round in $(seq 1 "${BENCH_RATIO_ROUNDS:-4}"); do
      say "$size documents: wasm/native, searches only, round $round"
      order="native $wasm_platforms"
      [ $((round % 2)) = 1 ] || order="$reversed native"
      for platform in $order; do
        handbook_pass "$platform" --reuse-db 1 --warm-up all > "$out/ratio/$platform-$round.jsonl"
      done
    done
  fi
  if [ "${BENCH_SKIP_JS:-0}" != 1 ]; then
    say "$size documents: minisearch, flexsearch, lunr (Node)"
    node --expose-gc --max-old-space-size=6144 bench/js_engines.mjs --docs "$docs" --queries "$queries" > "$out/js.jsonl"
  fi
done
fi

# 4. The app in headless Chromium (bench/browser.mjs): the real app of build/web served by
#    the handbook program of build/native, the same builds the e2e tests use (brought up to
#    date here). Run after the engines, never beside them: it times the page.
if [ "$browser" = 1 ]; then
  [ -f build/native/build.ninja ] || cmake --preset native >/dev/null
  cmake --build build/native --target handbook -j "$jobs" >/dev/null
  [ -f build/web/build.ninja ] || cmake --preset web >/dev/null
  cmake --build build/web --target handbook_web -j "$jobs" >/dev/null
  out=$results/browser
  rm -rf "$out"
  mkdir -p "$out"
  stamp_results "$out" "times" src web bench cmake
  echo "App: Emscripten $(emscripten_version), preset web (Release); Node $(node --version)" >> "$out/machine.txt"
  say "the app in headless Chromium (download, first result of a first and a returning visit, typing; unthrottled and 4x CPU throttling)"
  node bench/browser.mjs "$out/browser.json" --runs "${BENCH_BROWSER_RUNS:-5}"
fi

node bench/report.mjs "$results" bench/RESULTS.md
