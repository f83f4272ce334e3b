#!/usr/bin/env bash
# Prints how many Qt Test functions (data rows counted one by one) the last
# `ctest` run in BUILD_DIR skipped, and which, with their reasons: the last
# lines of `installer/torchlab.sh test`. A skip for a missing dependency is a
# failure where TORCHLAB_REQUIRE_DEPS=1 (CI); the others (no GPU, no nvcc,
# running as root) are listed here so that nobody mistakes them for passes.
#
#   installer/skipped-tests.sh [BUILD_DIR]
set -euo pipefail
build="${1:-build}"
log="$build/Testing/Temporary/LastTest.log"
if [[ ! -f "$log" ]]; then
  echo "skipped-tests: no test log at $log (run ctest first)" >&2
  exit 1
fi
# Qt Test writes "SKIP   : tst_Class::function(row) reason" once per skipped function or row.
mapfile -t skips < <(grep -E '^SKIP   : ' "$log" | sed -E 's/^SKIP   : //' | sort -u || true)
# Whole tests that skipped (a script's exit code 77) are only in ctest's own output.
whole=()
if [[ -f "$build/ctest-output.log" ]]; then
  mapfile -t whole < <(grep -E '^[[:space:]]+[0-9]+ - .* \(Skipped\)$' "$build/ctest-output.log" |
                       sed -E 's/^[[:space:]]+[0-9]+ - //; s/ \(Skipped\)$//' || true)
fi
echo
echo "==> Skipped test functions: $(( ${#skips[@]} + ${#whole[@]} ))"
for s in "${whole[@]}"; do
  echo "    $s (the whole test)"
done
for s in "${skips[@]}"; do
  echo "    $s"
done
