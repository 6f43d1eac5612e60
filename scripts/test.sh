#!/usr/bin/env bash
# Runs every test: sets up (quietly, if already done), builds both trees, then
#   - native unit tests (core, article files, the handbook program, the policy library)
#   - the core tests compiled to WebAssembly, under Node
#   - the fuzz targets, briefly (build/fuzz)
#   - the browser end-to-end tests (tests/e2e, headless chromium against `handbook serve`)
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

# Fuzz targets (clang, libFuzzer + ASan/UBSan): a bounded number of inputs each,
# starting from tests/fuzz/seeds (which hold the inputs of bugs found before).
[ -f build/fuzz/build.ninja ] || cmake --preset fuzz >/dev/null
if cmake --build --preset fuzz >/dev/null; then
  out=$(ctest --preset fuzz 2>&1); rc=$?
  echo "$out" | tail -n 8
  [ $rc = 0 ] || failed=1
  line=$(echo "$out" | grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" | tail -n1)
  total=$(echo "$line" | sed -E 's/.*out of ([0-9]+).*/\1/'); bad=$(echo "$line" | sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/')
  passed_total=$((passed_total + ${total:-0} - ${bad:-0})); failed_total=$((failed_total + ${bad:-0}))
else
  echo "fuzz build failed"; failed=1; failed_total=$((failed_total + 1))
fi

# Browser end-to-end tests (tests/e2e): node's test runner driving /usr/bin/chromium
# through playwright-core against `handbook serve` with the web build above. Its TAP
# totals ("# pass N", "# fail N", "# cancelled N") count into the summary line.
out=$(HANDBOOK_REQUIRE_APP=1 node --test --test-reporter=tap tests/e2e/ 2>&1); rc=$?
echo "$out"
[ $rc = 0 ] || failed=1
tap_total() { echo "$out" | sed -nE "s/^# $1 ([0-9]+)\$/\1/p" | tail -n1; }
e2e_pass=$(tap_total pass); e2e_fail=$(tap_total fail); e2e_cancelled=$(tap_total cancelled); e2e_skipped=$(tap_total skipped)
if [ -z "$e2e_pass" ]; then
  echo "browser tests (node --test tests/e2e/) did not run"; failed=1; failed_total=$((failed_total + 1))
fi
passed_total=$((passed_total + ${e2e_pass:-0})); failed_total=$((failed_total + ${e2e_fail:-0} + ${e2e_cancelled:-0}))
echo "browser tests: ${e2e_pass:-0} passed, $(( ${e2e_fail:-0} + ${e2e_cancelled:-0} )) failed, ${e2e_skipped:-0} skipped (screenshots in test-results/)"
echo "${passed_total} passed, ${failed_total} failed"
exit $failed
