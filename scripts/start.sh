#!/usr/bin/env bash
# Starts Handbook: sets up, builds, imports the bundled articles/ into handbook.db
# and searches it from the terminal:
#   scripts/start.sh "refund no receipt"
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh native >/dev/null
./build/native/src/server/handbook import articles --db handbook.db
query=${1:-refnd damagd parcel}
echo "\$ handbook search \"$query\""
./build/native/src/server/handbook search "$query" --db handbook.db
