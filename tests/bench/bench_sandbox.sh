#!/usr/bin/env bash
# What the bubblewrap sandbox costs a run: the same small LibTorch program run
# by `torchlab-cli run` with --sandbox off and --sandbox require, alternating,
# N times each (the program is compiled once; the object cache serves the
# rest). Prints the median wall time of the program (the run's own clock:
# start of the sandbox or the program to its end) and of the whole command.
#
#   tests/bench/bench_sandbox.sh [CLI] [RUNS]
#
# Asserts nothing.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CLI=$(realpath "${1:-$ROOT/build/app/cli/torchlab-cli}")
RUNS=${2:-9}
WORK=$(mktemp -d "$ROOT/build/bench-sandbox.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cp "$ROOT/lessons/samples/regression.cpp" "$WORK/program.cpp"
cd "$WORK"
"$CLI" run program.cpp >/dev/null 2>&1 # compile once; the PCH and object cache are warm afterwards
declare -A prog total
for mode in off require; do prog[$mode]=""; total[$mode]=""; done
for ((i = 0; i < RUNS; i++)); do
  for mode in off require; do
    start=$(date +%s%N)
    "$CLI" run --json --sandbox "$mode" program.cpp >"run-$mode.json" 2>/dev/null
    end=$(date +%s%N)
    wall=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run"]["wall_ms"])' "run-$mode.json")
    prog[$mode]+="$wall "
    total[$mode]+="$(((end - start) / 1000000)) "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
off_p=$(median <<<"${prog[off]}"); req_p=$(median <<<"${prog[require]}")
off_t=$(median <<<"${total[off]}"); req_t=$(median <<<"${total[require]}")
echo "bench_sandbox: $RUNS runs each, $(nproc) cores, $("$CLI" doctor --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["sandbox"]["version"])')"
printf '%-22s %12s %12s %8s\n' "" "no sandbox" "sandbox" "ratio"
printf '%-22s %10s ms %10s ms %8s\n' "program wall time" "$off_p" "$req_p" "$(python3 -c "print(f'{$req_p/$off_p:.3f}')")"
printf '%-22s %10s ms %10s ms %8s\n' "whole command" "$off_t" "$req_t" "$(python3 -c "print(f'{$req_t/$off_t:.3f}')")"
