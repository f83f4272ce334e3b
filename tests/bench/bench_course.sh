#!/usr/bin/env bash
# The built-in course at full length (not quick mode): every lesson's reference
# solution, graded, with its compile and run time and the metric checks'
# figures (accuracy, loss). Prints a table; asserts nothing.
#
#   tests/bench/bench_course.sh [BUILD_DIR] [--lesson ID ...]
#
# The capstone alone trains for several minutes on two cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build}"
shift || true
cli="$build/app/cli/torchlab-cli"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
start=$(date +%s)
"$cli" check "$root/lessons/course" --use solution --json "$@" > "$out" || true
python3 - "$out" "$(( $(date +%s) - start ))" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
lessons = data if isinstance(data, list) else [data]
print(f"{'lesson':22} {'status':6} {'compile s':>9} {'run s':>7}  metric checks")
for l in lessons:
    metrics = [f"{t['name']}: {t.get('output') or ''}".strip() for t in l.get("tests", [])
               if t.get("kind") == "metric"]
    print(f"{l['folder']:22} {l['status']:6} {l.get('compile_ms', 0)/1000:9.1f} "
          f"{l.get('run_ms', 0)/1000:7.1f}  {'; '.join(metrics)}")
print(f"\n{len(lessons)} lessons, {sum(l['status'] == 'pass' for l in lessons)} passed, "
      f"wall {sys.argv[2]} s")
PY
