#!/usr/bin/env bash
# Starts Handbook: sets up, builds what serving needs (the native `handbook` program and
# the web app; not the tests or benchmarks, which scripts/test.sh builds), and serves
# them on http://127.0.0.1:8080 with `handbook serve` (Ctrl-C stops it). On the first
# start the bundled articles/ are imported into handbook.db; after that the database
# is the source, and edits to articles/*.md show only after
#   build/native/src/server/handbook import articles --db handbook.db
#   scripts/start.sh                       # http://127.0.0.1:8080
#   scripts/start.sh --port 9000 --bind 0.0.0.0   # other options go to `handbook serve`
#   scripts/start.sh --db other.db          # another database (the import hint names it)
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs   # em++ needs Debian's node modules (acorn)
bash scripts/setup.sh
log=build/start-build.log
mkdir -p build
: >"$log"
# build PRESET TARGET WHAT: ninja's progress lines on the terminal (and in the log).
build() {
  echo "start: building $3 (a first build takes a few minutes, later ones seconds)"
  [ -f "build/$1/build.ninja" ] || cmake --preset "$1" >>"$log" 2>&1
  if ! cmake --build --preset "$1" --target "$2" 2>&1 | tee -a "$log" | { grep --line-buffered -E '^\[[0-9]+/[0-9]+\]' || true; }; then
    tail -n 40 "$log"
    echo "start: the build failed (full log: $log)" >&2
    exit 1
  fi
}
# The database `serve` will use (--db among the options, else handbook.db), to say
# whether this is the first start; every other option is passed on as given.
db=handbook.db
serve_args=()
while [ $# -gt 0 ]; do
  if [ "$1" = --db ] && [ $# -ge 2 ]; then db=$2; shift 2; continue; fi
  serve_args+=("$1")
  shift
done
build native handbook "the handbook program"
build web handbook_web "the web app"
program=./build/native/src/server/handbook
import="$program import articles --db $db"
if [ -f "$db" ]; then
  echo "start: serving $db as it is. Edits to articles/*.md show only once imported (from another terminal):"
  echo "         $import"
else
  echo "start: first start: importing articles/ into $db. Later edits to articles/*.md show only once imported:"
  echo "         $import"
fi
exec "$program" serve --db "$db" --articles articles \
  --shell web --web build/web/src/web --port 8080 --bind 127.0.0.1 "${serve_args[@]}"
