#!/usr/bin/env bash
# Starts Handbook: sets up, builds the native program and the web app, and serves
# them on http://127.0.0.1:8080 with `handbook serve` (Ctrl-C stops it). On the first
# start the bundled articles/ are imported into handbook.db; after that the database
# is the source (reload the folder with `handbook import articles --db handbook.db`).
#   scripts/start.sh                       # http://127.0.0.1:8080
#   scripts/start.sh --port 9000 --bind 0.0.0.0   # other options go to `handbook serve`
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
log=build/start-build.log
mkdir -p build
echo "start: building the native program and the web app (log: $log)"
bash scripts/build.sh all >"$log" 2>&1 || { tail -n 40 "$log"; echo "start: the build failed (full log: $log)" >&2; exit 1; }
exec ./build/native/src/server/handbook serve --db handbook.db --articles articles \
  --shell web --web build/web/src/web --port 8080 --bind 127.0.0.1 "$@"
