#!/usr/bin/env bash
# The project's own C++ follows .clang-format (clang-format 14, Debian 12's):
# fails listing the files that do not, with the command that fixes them.
#   tests/lint/format.sh [SOURCE_DIR]
# Exit 77 (skipped) without clang-format-14, unless TORCHLAB_REQUIRE_DEPS=1: then 1.
set -euo pipefail
root="$(cd "${1:-$(dirname "$0")/../..}" && pwd)"
tool="$(command -v clang-format-14 || true)"
if [[ -z "$tool" ]]; then
  echo "clang-format-14 is not installed (Debian package clang-format-14)"
  [[ "${TORCHLAB_REQUIRE_DEPS:-0}" == 1 ]] && exit 1
  exit 77
fi
cd "$root"
mapfile -t files < <(find app widgets tests lessons/include \
  \( -path tests/fixtures -o -path tests/lab/cuda-headers \) -prune -o \
  -type f \( -name '*.cpp' -o -name '*.h' \) -print | sort)
bad=()
for f in "${files[@]}"; do
  "$tool" --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
echo "${#files[@]} files checked against .clang-format"
if ((${#bad[@]})); then
  printf '  not formatted: %s\n' "${bad[@]}"
  echo "fix with: clang-format-14 -i ${bad[*]}"
  exit 1
fi
