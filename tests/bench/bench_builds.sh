#!/usr/bin/env bash
# Two build folders side by side: the start-up of both programs and a pass of
# the core's pack parser, each run alternately in one session, so a change in
# compile or link flags (hardening, for one) can be measured against the build
# without it. Prints medians and ratios; asserts nothing.
#
#   tests/bench/bench_builds.sh BASELINE_BUILD [BUILD] [--runs N]
#
# Each program runs with a fresh, empty HOME and XDG folders, offscreen.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
baseline="${1:?usage: bench_builds.sh BASELINE_BUILD [BUILD] [--runs N]}"
shift
build="$root/build"
if [[ $# -gt 0 && "$1" != --* ]]; then
  build="$1"
  shift
fi
runs=15
if [[ "${1:-}" == --runs ]]; then
  runs="${2:?--runs needs a number}"
fi
exec python3 - "$root" "$baseline" "$build" "$runs" <<'PY'
import os, statistics, subprocess, sys, tempfile, time

root, baseline, build, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
course = os.path.join(root, "lessons", "course")
cases = [
    ("torchlab-cli --version", ["app/cli/torchlab-cli", "--version"]),
    ("torchlab-cli pack validate (course)", ["app/cli/torchlab-cli", "pack", "validate", course]),
    ("torchlab --quit-when-ready", ["app/studio/torchlab", "--course", course, "--quit-when-ready"]),
]

def run_once(folder, argv):
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home + "/config",
                   XDG_CACHE_HOME=home + "/cache", XDG_DATA_HOME=home + "/data",
                   QT_QPA_PLATFORM="offscreen")
        start = time.perf_counter()
        subprocess.run([os.path.join(folder, argv[0])] + argv[1:], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start

print(f"baseline: {baseline}\nbuild:    {build}\n{runs} runs each, alternating; medians")
print(f"{'':38} {'baseline ms':>12} {'build ms':>10} {'ratio':>7}")
for name, argv in cases:
    times = {baseline: [], build: []}
    for folder in (baseline, build):  # one warm-up each
        run_once(folder, argv)
    for _ in range(runs):
        for folder in (baseline, build):
            times[folder].append(run_once(folder, argv))
    a, b = statistics.median(times[baseline]), statistics.median(times[build])
    print(f"{name:38} {a * 1000:12.1f} {b * 1000:10.1f} {b / a:7.2f}")
PY
