#!/usr/bin/env bash
# The Python side of lesson 18 (models between Python and C++), with a real PyTorch:
#   1. fixtures/make_fixtures.py, run again, makes the same tensors as the files the lesson ships,
#      and fixtures/fixtures.h embeds exactly the shipped files and outputs;
#   2. the reference solution, run by torchlab-cli beside the shipped files, loads Python's
#      state_dict and saves mlp_from_cpp.pt, which Python's torch.load reads back as the same
#      state_dict, and which gives the expected outputs in a Python model.
#
#   tests/course/python_interop_test.sh TORCHLAB_CLI COURSE_DIR
#
# Needs a python3 that imports torch (Debian: python3-torch): $PYTHON, else python3, else
# /usr/bin/python3. Without one: exit 77 (skipped), unless TORCHLAB_REQUIRE_DEPS=1: then 1.
set -euo pipefail

if (($# != 2)); then
  echo "usage: $0 TORCHLAB_CLI COURSE_DIR" >&2
  exit 2
fi
cli="$1"
lesson="$(cd "$2/18-python-interop" && pwd)"

python=""
for candidate in "${PYTHON:-}" python3 /usr/bin/python3; do
  if [[ -n "$candidate" ]] && "$candidate" -c 'import torch' >/dev/null 2>&1; then
    python="$candidate"
    break
  fi
done
if [[ -z "$python" ]]; then
  echo "no python3 with PyTorch (Debian package python3-torch)"
  [[ "${TORCHLAB_REQUIRE_DEPS:-0}" == 1 ]] && exit 1
  exit 77
fi
echo "using $python, PyTorch $("$python" -c 'import torch; print(torch.__version__)')"

work="$(mktemp -d "${TMPDIR:-/tmp}/python-interop-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# 1. The shipped fixtures are what the generator makes, and fixtures.h embeds them.
"$python" "$lesson/fixtures/make_fixtures.py" "$work/fresh"
"$python" - "$lesson/fixtures" "$work/fresh" <<'EOF'
import os
import re
import sys

import torch

shipped, fresh = sys.argv[1], sys.argv[2]
failures = []


def same_dict(a, b, what):
    if not isinstance(a, dict) or not isinstance(b, dict):
        failures.append(f"{what}: not a dict ({type(a).__name__}, {type(b).__name__})")
        return
    if sorted(a) != sorted(b):
        failures.append(f"{what}: keys {sorted(a)} != {sorted(b)}")
        return
    for k in a:
        # Bit-identical with the PyTorch that made the shipped files; another version may round
        # the 30 training steps differently in the last bits.
        if a[k].dtype != b[k].dtype or a[k].shape != b[k].shape:
            failures.append(f"{what}: {k} is {a[k].dtype} {list(a[k].shape)} in one, "
                            f"{b[k].dtype} {list(b[k].shape)} in the other")
        elif not (torch.equal(a[k], b[k]) or
                  (a[k].is_floating_point() and torch.allclose(a[k], b[k], rtol=1e-4, atol=1e-6))):
            failures.append(f"{what}: {k} differs")


for name in ["mlp_state_dict.pt", "mlp_missing_key.pt", "mlp_wrong_shape.pt",
             "mlp_unexpected_key.pt", "expected.pt"]:
    same_dict(torch.load(os.path.join(shipped, name)), torch.load(os.path.join(fresh, name)), name)

expected = torch.load(os.path.join(shipped, "expected.pt"))
scripted = [torch.jit.load(os.path.join(d, "mlp_scripted.pt")) for d in (shipped, fresh)]
same_dict(dict(scripted[0].state_dict()), dict(scripted[1].state_dict()), "mlp_scripted.pt")
if not scripted[0].training:
    failures.append("mlp_scripted.pt: saved in eval mode; the lesson expects training mode")
for i, m in enumerate(scripted):
    with torch.no_grad():
        out = m.eval()(expected["inputs"])
    if not torch.allclose(out, expected["expected"], rtol=1e-5, atol=1e-6):
        failures.append(f"mlp_scripted.pt ({['shipped', 'fresh'][i]}): outputs differ")


def literal_bytes(header, name):
    # The string literal `inline constexpr char NAME[] = "..." "...";` as bytes.
    m = re.search(r"inline constexpr char " + name + r"\[\] =\n((?:    \".*\"\n?)+);", header)
    if not m:
        return None
    body = "".join(re.findall(r'^    "(.*)";?$', m.group(1), re.M))
    return bytes(int(e[1:], 8) if e.startswith("\\") else ord(e)
                 for e in re.findall(r"\\[0-7]{3}|.", body))


def float_array(header, name):
    m = re.search(r"inline const float " + name + r"\[\] = \{(.*)\};", header)
    return torch.tensor([float(v.rstrip("f")) for v in m.group(1).split(",")])


with open(os.path.join(shipped, "fixtures.h")) as fh:
    header = fh.read()
for name in ["mlp_scripted.pt", "mlp_state_dict.pt", "mlp_missing_key.pt",
             "mlp_wrong_shape.pt", "mlp_unexpected_key.pt"]:
    with open(os.path.join(shipped, name), "rb") as fh:
        if literal_bytes(header, "fixture_" + name[:-3]) != fh.read():
            failures.append(f"fixtures.h: the bytes of {name} differ from the shipped file")
for name in ["inputs", "expected"]:
    if not torch.equal(float_array(header, name), expected[name].flatten()):
        failures.append(f"fixtures.h: {name} differ from expected.pt")

for f in failures:
    print("FAIL", f)
if failures:
    sys.exit(1)
print("fixtures: the shipped files match a fresh run of make_fixtures.py and fixtures.h")
EOF

# 2. What the C++ solution saves, Python reads. torchlab-cli runs a program in the folder of its
# first source file: copy the solution beside the shipped files.
mkdir "$work/run"
cp "$lesson"/fixtures/*.pt "$lesson/solution/exercise.cpp" "$work/run/"
"$cli" run --time-limit 120 "$work/run/exercise.cpp" >"$work/run.log" 2>&1 || {
  cat "$work/run.log"
  echo "FAIL: the solution did not run"
  exit 1
}
for line in "Loaded Python's state_dict into the C++ module." "A bad file is refused: " \
            "TorchScript model from Python" "Wrote mlp_from_cpp.pt."; do
  if ! grep -qF "$line" "$work/run.log"; then
    cat "$work/run.log"
    echo "FAIL: the solution's output lacks \"$line\""
    exit 1
  fi
done
"$python" - "$work/run" "$lesson/fixtures/make_fixtures.py" <<'EOF'
import importlib.util
import os
import sys

import torch

run, generator = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location("make_fixtures", generator)
make_fixtures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_fixtures)

from_cpp = torch.load(os.path.join(run, "mlp_from_cpp.pt"))
original = torch.load(os.path.join(run, "mlp_state_dict.pt"))
if not isinstance(from_cpp, dict):
    sys.exit(f"FAIL: torch.load gave a {type(from_cpp).__name__}, not a dict")
if sorted(from_cpp) != sorted(original):
    sys.exit(f"FAIL: keys {sorted(from_cpp)} != {sorted(original)}")
for k, v in original.items():
    if from_cpp[k].dtype != v.dtype or not torch.equal(from_cpp[k], v):
        sys.exit(f"FAIL: {k} differs after the C++ round trip")

model = make_fixtures.make_model()
model.load_state_dict(from_cpp)  # strict: every key, every shape
model.eval()
expected = torch.load(os.path.join(run, "expected.pt"))
with torch.no_grad():
    out = model(expected["inputs"])
if not torch.allclose(out, expected["expected"], rtol=1e-5, atol=1e-6):
    sys.exit("FAIL: the Python model loaded from mlp_from_cpp.pt gives other outputs")
print(f"round trip: Python read mlp_from_cpp.pt ({len(from_cpp)} tensors) and got the expected "
      "outputs")
EOF
echo "python_interop_test: pass"
