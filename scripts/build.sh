#!/usr/bin/env bash
# Configures and builds the native and the web build trees (build/native, build/web).
#   scripts/build.sh [native|web|all]     (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs   # em++ needs Debian's node modules (acorn)
which=${1:-all}
for preset in native web; do
  [ "$which" = all ] || [ "$which" = "$preset" ] || continue
  [ -f "build/$preset/build.ninja" ] || cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
done
