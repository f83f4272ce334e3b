#!/usr/bin/env bash
# The CUDA path proven on a real GPU (docs/gpu.md). Runs on a
# bare GPU machine with the bundle tests/gpu/bundle.sh prepared on Debian, the
# CUDA toolkit's nvcc, and PyTorch's pip wheel as the CUDA LibTorch:
#
#   tests/gpu/run.sh [LOG_DIR]          (or $GPU_LOG_DIR; default: a new /tmp folder)
#
# Prints a table last, one line per item of docs/gpu.md's list, and keeps every
# output, JSON report and captured error text in LOG_DIR. Exit status 0 when
# no line says FAIL. Finishes well inside 8 minutes: steps that would start
# after TORCHLAB_GPU_CHECK_BUDGET_S (default 420 s) are skipped and say so.
#
# Without a GPU every line says NO GPU and why (from the doctor). Settings:
#   TORCHLAB_GPU_BUNDLE          the bundle folder (default: next to this script,
#                                else <repo>/build-gpu-bundle/bundle)
#   TORCHLAB_GPU_CHECK_CPU=1     run every step on the CPU anyway: a dry run of the
#                                script's own plumbing (GPU items cannot pass)
#   TORCHLAB_GPU_CHECK_LESSONS   lesson folders to check (default: all)
#   TORCHLAB_GPU_CHECK_JOBS      lesson checks run at once (default: cores / 3, 1..6)
set -u

START_S=$(date +%s)
BUDGET_S=${TORCHLAB_GPU_CHECK_BUDGET_S:-420}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ -n "${TORCHLAB_GPU_BUNDLE:-}" ]]; then
  BUNDLE=$TORCHLAB_GPU_BUNDLE
elif [[ -x "$HERE/bin/torchlab-cli" ]]; then
  BUNDLE=$HERE
else
  BUNDLE=$HERE/../../build-gpu-bundle/bundle
fi
BUNDLE=$(cd "$BUNDLE" 2>/dev/null && pwd || echo "$BUNDLE")
LOG=${1:-${GPU_LOG_DIR:-}}
[[ -n "$LOG" ]] || LOG=$(mktemp -d /tmp/torchlab-gpu-log.XXXXXX)
mkdir -p "$LOG/lessons"
LOG=$(cd "$LOG" && pwd)
WORK=$(mktemp -d /tmp/torchlab-gpu-work.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# An isolated lab: its own cache (PCH, discovery), data and settings.
export XDG_CACHE_HOME=$WORK/cache XDG_DATA_HOME=$WORK/share XDG_CONFIG_HOME=$WORK/config
export TORCHLAB_SDK_INCLUDE=$BUNDLE/include
export TORCHLAB_DATASETS_SOURCE=$BUNDLE/datasets
export TORCHLAB_DATA=$WORK/data
CLI=$BUNDLE/bin/torchlab-cli
GPUCHECK=$BUNDLE/bin/torchlab-gpucheck
PACK=$BUNDLE/course
cp -r "$BUNDLE/programs" "$WORK/programs" 2>/dev/null
P=$WORK/programs
DRY=${TORCHLAB_GPU_CHECK_CPU:-0}
[[ "$DRY" == 1 ]] && export TORCHLAB_DEVICE=cpu

exec 3>&2 # progress goes to the terminal; everything else into the log
exec >>"$LOG/run.log" 2>&1

elapsed() { echo $(($(date +%s) - START_S)); }
say() {
  local line
  line=$(printf '[%4ss] %s' "$(elapsed)" "$*")
  echo "$line"
  echo "$line" >&3
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
have_time() { (($(elapsed) + ${1:-30} < BUDGET_S)); }

# j FILE EXPR: a Python expression over the JSON document `d` (empty on any error).
cat >"$WORK/j.py" <<'PY'
import json, sys
try:
    with open(sys.argv[1]) as f:
        d = json.load(f)
    v = eval(sys.argv[2], {"d": d, "any": any, "all": all, "len": len, "max": max, "min": min, "round": round})
    print("" if v is None else v)
except Exception:
    print("")
PY
j() { python3 "$WORK/j.py" "$@" 2>/dev/null; }
mib() { python3 -c "import sys; v=float(sys.argv[1] or -1); print('?' if v < 0 else f'{v/1048576:.0f} MiB')" "${1:-}"; }
num() { python3 -c "import sys; print(f'{float(sys.argv[1]):.3g}' if sys.argv[1] else '?')" "${1:-}"; }
ratio() { python3 -c "import sys; a,b=(float(x) if x else 0 for x in sys.argv[1:3]); print(f'{a/b:.2f}' if a>0 and b>0 else '?')" "${1:-}" "${2:-}"; }

declare -a ROW_ITEM ROW_RESULT ROW_DETAIL
row() { ROW_ITEM+=("$1"); ROW_RESULT+=("$2"); ROW_DETAIL+=("$3"); say "$2  $1: $3"; }

# The table's lines, in docs/gpu.md's order (the steps run in another order).
ITEMS=("doctor picks CUDA" "every lesson on cuda:0" "NVML + allocator curve" "CUDA OOM classified"
  "nvcc kernel lesson" "NCCL, 2 ranks" "edit->run latency ratios" "step time ratios"
  "warm runner on cuda:0")

table() {
  local i n item failed=0
  {
    echo
    echo "TorchLab GPU check — $(date -u +%Y-%m-%dT%H:%M:%SZ), $(elapsed) s, log: $LOG"
    echo "machine: ${GPU_LINE:-no GPU}; $(uname -sr); ${PY_TORCH_LINE:-no Python torch}"
    [[ "$DRY" == 1 ]] && echo "CPU DRY RUN (TORCHLAB_GPU_CHECK_CPU=1): the script's plumbing only; GPU items cannot pass"
    printf '%-3s %-26s %-7s %s\n' "#" "item" "result" "detail"
    n=0
    for item in "${ITEMS[@]}"; do
      n=$((n + 1))
      for i in "${!ROW_ITEM[@]}"; do
        [[ "${ROW_ITEM[$i]}" == "$item" ]] &&
          printf '%-3s %-26s %-7s %s\n' "$n" "$item" "${ROW_RESULT[$i]}" "${ROW_DETAIL[$i]}"
      done
    done
  } | tee "$LOG/table.txt" >&3
  for i in "${!ROW_RESULT[@]}"; do
    [[ "${ROW_RESULT[$i]}" == FAIL ]] && failed=1
  done
  return $failed
}

say "bundle $BUNDLE, log $LOG"

# ---- The machine --------------------------------------------------------------------------
GPU_COUNT=0
if command -v nvidia-smi >/dev/null && nvidia-smi -L >"$LOG/nvidia-smi-L.txt" 2>&1; then
  GPU_COUNT=$(grep -c '^GPU ' "$LOG/nvidia-smi-L.txt")
  nvidia-smi >"$LOG/nvidia-smi.txt" 2>&1
  GPU_LINE="$GPU_COUNT × $(sed -n 's/^GPU 0: \(.*\) (UUID.*/\1/p' "$LOG/nvidia-smi-L.txt"), driver $(nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -n 1)"
fi
PY_TORCH=$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__)); print(torch.__version__); print(torch.cuda.is_available())' 2>>"$LOG/python-torch.log")
PY_TORCH_DIR=$(sed -n 1p <<<"$PY_TORCH")
[[ -n "$PY_TORCH_DIR" ]] && PY_TORCH_LINE="Python torch $(sed -n 2p <<<"$PY_TORCH") (cuda available: $(sed -n 3p <<<"$PY_TORCH"))"
say "GPUs: $GPU_COUNT; ${PY_TORCH_LINE:-no Python torch}"

if ! "$CLI" --version >"$LOG/cli-version.txt" 2>&1; then
  ldd "$CLI" >"$LOG/ldd.txt" 2>&1
  why="torchlab-cli does not start: $(head -c 300 "$LOG/cli-version.txt" | tr '\n' ' ') (ldd in ldd.txt; run tests/gpu/bundle.sh on Debian 12 first)"
  for item in "${ITEMS[@]}"; do
    row "$item" FAIL "$why"
  done
  table
  exit 1
fi

# ---- 1. The doctor -----------------------------------------------------------------------
"$CLI" doctor >"$LOG/doctor.txt" 2>&1
"$CLI" doctor --json >"$LOG/doctor.json" 2>>"$LOG/doctor.txt"
HAS_GPU=$(j "$LOG/doctor.json" 'd["gpu"]["hasGpu"]')
USE_CUDA=$(j "$LOG/doctor.json" 'd["profile"]["useCuda"]')
CXX=$(j "$LOG/doctor.json" 'd["profile"]["compiler"]["path"]')
REASON=$(j "$LOG/doctor.json" 'd["reason"]')
NVCC=$(j "$LOG/doctor.json" '(d["profile"].get("nvcc") or {}).get("displayName", "")')
if [[ "$HAS_GPU" == True && "$USE_CUDA" == True ]]; then
  row "doctor picks CUDA" PASS "$(j "$LOG/doctor.json" 'd["gpu"]["summary"]'); $REASON${NVCC:+; kernels: $NVCC}"
elif [[ "$HAS_GPU" == True ]]; then
  row "doctor picks CUDA" FAIL "a GPU, but not chosen: $REASON"
else
  why=$(j "$LOG/doctor.json" 'd["gpu"]["summary"].rstrip(".")')
  row "doctor picks CUDA" "NO GPU" "${why:-the doctor did not answer (doctor.txt)}; $REASON"
fi
RUN_STEPS=0
[[ "$HAS_GPU" == True && "$USE_CUDA" == True ]] && RUN_STEPS=1
[[ "$DRY" == 1 && -n "$CXX" ]] && RUN_STEPS=1
if ((!RUN_STEPS)); then
  why="not run: ${why:-no CUDA profile}"
  for item in "${ITEMS[@]:1}"; do
    row "$item" "NO GPU" "$why"
  done
  table
  exit $?
fi

# ---- 2 and 5. Every lesson's solution, the kernel lesson among them ------------------------
cores=$(nproc)
JOBS=${TORCHLAB_GPU_CHECK_JOBS:-$((cores / 3))}
((JOBS < 1)) && JOBS=1
((JOBS > 6)) && JOBS=6
lessons=${TORCHLAB_GPU_CHECK_LESSONS:-$(cd "$PACK" && ls -d [0-9][0-9]-* | tr '\n' ' ')}
say "precompiled header"
t0=$(now_ms)
timeout 300 "$CLI" warmup >"$LOG/warmup.log" 2>&1
PCH_S=$(python3 -c "print(round(($(now_ms) - $t0) / 1000, 1))")
say "lessons ($JOBS at once, quick mode): $lessons"
t0=$(now_ms)
running=0
for lesson in $lessons; do
  if ((running >= JOBS)); then wait -n; running=$((running - 1)); fi
  (timeout 300 "$CLI" check "$PACK" --lesson "$lesson" --json --quick >"$LOG/lessons/$lesson.json" \
    2>"$LOG/lessons/$lesson.log"; echo $? >"$LOG/lessons/$lesson.rc") &
  running=$((running + 1))
done
wait
LESSONS_S=$(python3 -c "print(round(($(now_ms) - $t0) / 1000))")
python3 - "$LOG/lessons" $lessons >"$LOG/lessons/summary.txt" <<'PY'
import json, os, sys
folder, lessons = sys.argv[1], sys.argv[2:]
passed, failed, cpu, devices, sandboxed, unsandboxed = [], [], [], set(), 0, set()
for name in lessons:
    try:
        with open(os.path.join(folder, name + ".json")) as f:
            r = json.load(f)
    except Exception:
        failed.append(f"{name} (no report; see lessons/{name}.log)")
        continue
    if r.get("device"):
        devices.add(r["device"])
    if r.get("sandbox") == "bubblewrap":
        sandboxed += 1
    elif r.get("sandbox") == "none":
        unsandboxed.add(r.get("sandbox_note") or "no reason given")
    if any("ran on the CPU" in n or "were not compiled here" in n for n in r.get("notes", [])):
        cpu.append(name)
    if r.get("status") == "pass":
        passed.append(name)
    else:
        bad = [t for t in r.get("tests", []) if t.get("status") != "pass"]
        why = (bad[0]["name"] + ": " + (bad[0].get("message") or "")[:120]) if bad else (r.get("message") or "")[:160]
        failed.append(f"{name} ({why.strip()})")
print(len(passed), len(lessons))
print("; ".join(failed))
print(" ".join(cpu))
print(" ".join(sorted(devices)))
print(f"{sandboxed}/{len(lessons)} in the bubblewrap sandbox" +
      (f" (not sandboxed: {'; '.join(sorted(unsandboxed))})" if unsandboxed else ""))
PY
read -r n_pass n_all <<<"$(sed -n 1p "$LOG/lessons/summary.txt")"
lesson_failures=$(sed -n 2p "$LOG/lessons/summary.txt")
on_cpu=$(sed -n 3p "$LOG/lessons/summary.txt")
devices=$(sed -n 4p "$LOG/lessons/summary.txt")
sandbox_line=$(sed -n 5p "$LOG/lessons/summary.txt")
device_word=${devices:-the CUDA profile (reports name no device yet; no lesson noted a CPU run)}
if [[ "$n_pass" == "$n_all" && -z "$on_cpu" ]]; then
  row "every lesson on cuda:0" PASS "$n_pass/$n_all solutions pass on $device_word; $sandbox_line; quick mode, $JOBS at once, ${LESSONS_S} s after a ${PCH_S} s PCH"
else
  row "every lesson on cuda:0" FAIL "$n_pass/$n_all pass${lesson_failures:+; failing: $lesson_failures}${on_cpu:+; ran on the CPU: $on_cpu}; $sandbox_line"
fi

kernel_report=$LOG/lessons/13-cuda-kernel.json
if [[ ! -f "$kernel_report" ]]; then
  row "nvcc kernel lesson" SKIP "13-cuda-kernel was not among the lessons checked"
else
  k_status=$(j "$kernel_report" 'd["status"]')
  k_note=$(j "$kernel_report" 'next((n for n in d["notes"] if "fused kernel" in n), "")')
  k_skipped=$(j "$kernel_report" 'any("not compiled here" in n for n in d["notes"])')
  if [[ "$k_status" == pass && -n "$k_note" ]]; then
    row "nvcc kernel lesson" PASS "kernel.cu built by ${NVCC:-nvcc} and matches LibTorch on the GPU. $k_note"
  elif [[ "$k_skipped" == True ]]; then
    row "nvcc kernel lesson" FAIL "kernel.cu was not compiled (no nvcc in the profile?): $(j "$kernel_report" '" ".join(d["notes"])')"
  else
    row "nvcc kernel lesson" FAIL "status ${k_status:-none}; $(j "$kernel_report" 'd.get("message") or ""') (lessons/13-cuda-kernel.json)"
  fi
fi

# ---- 3. NVML samples and the caching allocator's curve -------------------------------------
if have_time 60; then
  say "NVML + allocator"
  timeout 180 "$GPUCHECK" memory "$P/memory.cpp" >"$LOG/memory.json" 2>"$LOG/memory.log"
  samples=$(j "$LOG/memory.json" 'd["nvml"]["samples"]')
  proc=$(j "$LOG/memory.json" 'd["nvml"]["max_process_used"]')
  unavailable=$(j "$LOG/memory.json" 'd["nvml"]["unavailable"]')
  events=$(j "$LOG/memory.json" 'd["allocator"]["events"]')
  alloc=$(j "$LOG/memory.json" 'd["allocator"]["max_allocated"]')
  reserved=$(j "$LOG/memory.json" 'd["allocator"]["max_reserved"]')
  peak=$(j "$LOG/memory.json" 'd["allocator"]["max_peak"]')
  device=$(j "$LOG/memory.json" 'd["hello"]["device"]')
  verdict=$(j "$LOG/memory.json" '(d.get("cuda_run_verdict") or {}).get("title", "")')
  detail="on ${device:-?}: ${samples:-0} NVML samples (run's processes up to $(mib "$proc")${unavailable:+; $unavailable}); ${events:-0} allocator reports, allocated/reserved/peak up to $(mib "$alloc")/$(mib "$reserved")/$(mib "$peak")${verdict:+; $verdict}"
  if [[ "${samples:-0}" -ge 5 && "${proc%.*}" -gt 0 && "${events:-0}" -gt 0 && "${alloc%.*}" -gt 0 && "${reserved%.*}" -gt 0 && "${peak%.*}" -gt 0 ]] 2>/dev/null; then
    row "NVML + allocator curve" PASS "$detail"
  else
    row "NVML + allocator curve" FAIL "$detail (memory.json, memory.log)"
  fi
else
  row "NVML + allocator curve" SKIP "out of time"
fi

# ---- 3b. The warm runner: LibTorch loaded in a server that never touches CUDA; the -----------
# forked child makes the first CUDA call and must see the GPU.
if have_time 60; then
  say "warm runner"
  timeout 180 "$GPUCHECK" warm "$P/edit.cpp" >"$LOG/warm.json" 2>"$LOG/warm.log"
  w_status=$(j "$LOG/warm.json" 'd["status"]')
  w_launch=$(j "$LOG/warm.json" 'd["launch"]')
  w_device=$(j "$LOG/warm.json" 'd["device"]')
  w_times=$(j "$LOG/warm.json" '" / ".join(str(int(x)) for x in d["first_output_ms"])')
  w_error=$(j "$LOG/warm.json" 'd["warm_error"] or ""')
  detail="launch ${w_launch:-?}, device ${w_device:-?}; first output exec / warm / warm: ${w_times:-?} ms${w_error:+; $w_error}"
  if [[ "$w_status" == ok && "$w_launch" == warm && "$w_device" == cuda* ]]; then
    row "warm runner on cuda:0" PASS "$detail"
  else
    row "warm runner on cuda:0" FAIL "$detail (warm.json, warm.log)"
  fi
else
  row "warm runner on cuda:0" SKIP "out of time"
fi

# ---- 4. A classified CUDA out-of-memory ----------------------------------------------------
if have_time 40; then
  say "out of memory"
  timeout 180 "$CLI" run --json "$P/oom.cpp" >"$LOG/oom.json" 2>"$LOG/oom.log"
  j "$LOG/oom.json" 'd["run"]["stderr"]' >"$LOG/oom.stderr" # the real text, for tests/fixtures/run
  status=$(j "$LOG/oom.json" 'd["status"]')
  summary=$(j "$LOG/oom.json" 'd["run"]["summary"]')
  detail=$(j "$LOG/oom.json" 'd["run"]["detail"][:110]')
  signal=$(j "$LOG/oom.json" 'd["run"]["signal_name"]')
  explanation=$(j "$LOG/oom.json" 'd["run"]["explanation"]')
  if [[ "$status" == cuda_out_of_memory && "$explanation" == *"smaller batch"* ]]; then
    row "CUDA OOM classified" PASS "1 TiB on the GPU: \"$summary\" (${signal:-exit}), from \"$detail…\"; advice given"
  else
    row "CUDA OOM classified" FAIL "status ${status:-none}: ${summary:-?} ${detail:+(\"$detail\")} (oom.json)"
  fi
else
  row "CUDA OOM classified" SKIP "out of time"
fi

# ---- 6. NCCL between two ranks -------------------------------------------------------------
lesson15=$(j "$LOG/lessons/15-data-parallel.json" 'd["status"]')
with_gloo="lesson 15-data-parallel (2 ranks): ${lesson15:-not checked}"
if have_time 90; then
  say "NCCL, 2 ranks"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  for rank in 0 1; do
    RANK=$rank LOCAL_RANK=$rank WORLD_SIZE=2 LOCAL_WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=$port \
      timeout 200 "$CLI" run --json --time-limit 120 "$P/nccl.cpp" >"$LOG/nccl-rank$rank.json" \
      2>"$LOG/nccl-rank$rank.log" &
  done
  wait
  s0=$(j "$LOG/nccl-rank0.json" 'd["status"]')
  s1=$(j "$LOG/nccl-rank1.json" 'd["status"]')
  said=$(j "$LOG/nccl-rank0.json" '((d.get("errors") or [{}])[0].get("message") or d["run"]["detail"] or (d["run"]["stdout"].strip().splitlines() or [""])[-1])[:160]')
  out0=$(j "$LOG/nccl-rank0.json" 'd["run"]["stdout"].strip().splitlines()[-1]')
  if [[ "$s0" == ok && "$s1" == ok ]]; then
    row "NCCL, 2 ranks" PASS "$out0; $with_gloo"
  elif ((GPU_COUNT < 2)); then
    row "NCCL, 2 ranks" CANNOT "NCCL needs one GPU per rank and this machine has $GPU_COUNT; NCCL said: \"${said:-$s0/$s1}\"; $with_gloo (Gloo on cuda:0)"
  else
    row "NCCL, 2 ranks" FAIL "rank 0: ${s0:-?}, rank 1: ${s1:-?}: ${said} (nccl-rank*.json)"
  fi
else
  row "NCCL, 2 ranks" SKIP "out of time; $with_gloo"
fi

# ---- 7. Edit→run latency and step time, beside plain LibTorch and Python -------------------
mapfile -t CFLAGS < <(j "$LOG/doctor.json" '"\n".join(d["profile"]["compileFlags"])')
mapfile -t LFLAGS < <(j "$LOG/doctor.json" '"\n".join(d["profile"]["linkFlags"])')
plain_build() { # plain_build SRC OUT [EXTRA FLAGS...]: the profile's flags, no PCH, one compiler call
  local src=$1 out=$2; shift 2
  "$CXX" "${CFLAGS[@]}" "$@" "$src" -o "$out" "${LFLAGS[@]}"
}
if have_time 60; then
  say "edit->run latency"
  timeout 120 "$CLI" run --json "$P/edit.cpp" >"$LOG/edit-cold.json" 2>&1
  sed -i 's/#define EDIT_MARK 1/#define EDIT_MARK 2/' "$P/edit.cpp"
  t0=$(now_ms)
  timeout 120 "$CLI" run --json "$P/edit.cpp" >"$LOG/edit-warm.json" 2>&1
  lab_ms=$(($(now_ms) - t0))
  lab_ok=$(j "$LOG/edit-warm.json" 'd["status"]')
  lab_parts=$(j "$LOG/edit-warm.json" '"compile %.1f s, link %.1f s, run %.1f s, PCH %s" % (d["compile"]["compile_ms"] / 1000, d["compile"]["link_ms"] / 1000, d["run"]["wall_ms"] / 1000, d["compile"]["used_pch"])')
  t0=$(now_ms)
  (plain_build "$P/edit.cpp" "$WORK/edit-plain" && "$WORK/edit-plain") >"$LOG/edit-plain.log" 2>&1
  plain_rc=$?
  plain_ms=$(($(now_ms) - t0))
  py_ms=""
  if [[ -n "$PY_TORCH_DIR" ]]; then
    t0=$(now_ms)
    python3 "$P/edit.py" >"$LOG/edit-python.log" 2>&1 && py_ms=$(($(now_ms) - t0))
  fi
  detail="lab $(ratio "$lab_ms" 1000) s (${lab_parts:-?}); plain g++ $(ratio "$plain_ms" 1000) s; Python $( [[ -n "$py_ms" ]] && ratio "$py_ms" 1000 || echo '?') s; lab/plain $(ratio "$lab_ms" "$plain_ms"), lab/Python $(ratio "$lab_ms" "$py_ms")"
  if [[ "$lab_ok" == ok && $plain_rc == 0 ]]; then
    row "edit->run latency ratios" INFO "$detail"
  else
    row "edit->run latency ratios" FAIL "lab: ${lab_ok:-?}, plain build exit $plain_rc; $detail (edit-*.json/log)"
  fi
else
  row "edit->run latency ratios" SKIP "out of time"
fi

if have_time 60; then
  say "step time"
  timeout 180 "$CLI" run --json "$P/steptime.cpp" >"$LOG/steptime-lab.json" 2>&1
  lab_step=$(j "$LOG/steptime-lab.json" 'd["metrics"]["step_ms"]["last"]')
  (plain_build "$P/steptime.cpp" "$WORK/steptime-plain" -O2 && "$WORK/steptime-plain") >"$LOG/steptime-plain.log" 2>&1
  plain_step=$(sed -n 's/^step_ms \([0-9.e+-]*\).*/\1/p' "$LOG/steptime-plain.log" | tail -n 1)
  py_step=""
  [[ -n "$PY_TORCH_DIR" ]] && py_step=$(python3 "$P/steptime.py" 2>"$LOG/steptime-python.log" | tee -a "$LOG/steptime-python.log" |
    sed -n 's/^step_ms \([0-9.e+-]*\).*/\1/p')
  detail="ms/step: lab $(num "$lab_step") (exercise flags, sandbox), plain LibTorch $(num "$plain_step") (g++ -O2), Python $(num "$py_step"); lab/plain $(ratio "$lab_step" "$plain_step"), lab/Python $(ratio "$lab_step" "$py_step")"
  if [[ -n "$lab_step" && -n "$plain_step" ]]; then
    row "step time ratios" INFO "$detail"
  else
    row "step time ratios" FAIL "$detail (steptime-*.json/log)"
  fi
else
  row "step time ratios" SKIP "out of time"
fi

table
