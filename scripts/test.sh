#!/usr/bin/env bash
# Runs every test: sets up (quietly, if already done), builds both trees, then
#   - native unit tests (core, article files, the handbook program, the policy library)
#   - the core tests compiled to WebAssembly, under Node
# and prints one summary line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
bash scripts/build.sh all || { echo "build failed"; exit 1; }
export NODE_PATH=/usr/share/nodejs

failed=0
passed_total=0; failed_total=0
for preset in native web; do
  out=$(ctest --preset "$preset" 2>&1); rc=$?
  echo "$out"
  [ $rc = 0 ] || failed=1
  # ctest's closing line: "100% tests passed, 0 tests failed out of 42"
  line=$(echo "$out" | grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" | tail -n1)
  total=$(echo "$line" | sed -E 's/.*out of ([0-9]+).*/\1/'); bad=$(echo "$line" | sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/')
  passed_total=$((passed_total + ${total:-0} - ${bad:-0})); failed_total=$((failed_total + ${bad:-0}))
  [ -n "$line" ] || { echo "ctest ($preset) ran no test"; failed=1; }
done
echo "${passed_total} passed, ${failed_total} failed"
exit $failed
