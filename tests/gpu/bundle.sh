#!/usr/bin/env bash
# Prepares what tests/gpu/run.sh needs on a bare GPU machine (no Qt, no
# internet, no package installs), on a Debian 12 machine like CI:
#
#   tests/gpu/bundle.sh [OUT]        (default OUT: <repo>/build-gpu-bundle, git-ignored)
#
# OUT/bundle/ then holds
#   bin/torchlab-cli, bin/torchlab-gpucheck   release builds, DT_RPATH $ORIGIN/../lib
#   bin/torchlab-warm                          the warm runner's helper (libc and libstdc++ only)
#   lib/     every shared library ldd lists for them except glibc's own, libstdc++
#            and libgcc_s (the GPU machine's newer ones serve): Qt6Core, ICU, glib, ...
#   include/ the exercise SDK (torchlab/lab.h)
#   course/  the built-in course pack
#   programs/  the small programs run.sh compiles (memory, OOM, NCCL, timings)
#   datasets/fashion-mnist/  the test split and the first 12,000 training images
#            (what quick mode reads), gzip'd IDX like Debian's package
#   run.sh, MANIFEST.txt
# and stays well under the 64 MiB a device run may carry. OUT/build is the
# release build tree (kept for incremental rebuilds).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${1:-$ROOT/build-gpu-bundle}
BUILD=$OUT/build
BUNDLE=$OUT/bundle
JOBS=${JOBS:-2}
QUICK_TRAIN_IMAGES=12000 # the most any lesson reads in quick mode (17-capstone)
DATASET_SOURCE=${TORCHLAB_DATASETS_SOURCE:-/usr/share/datasets}/fashion-mnist

say() { printf '== %s\n' "$*"; }

if [[ -z "${CXX:-}" ]]; then
  if command -v clang++ >/dev/null; then CC=clang CXX=clang++; else CC=gcc CXX=g++; fi
fi

say "configure $BUILD (release, $CXX)"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTORCHLAB_BUILD_TESTS=OFF \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" >"$OUT.configure.log" 2>&1 ||
  { cat "$OUT.configure.log"; exit 1; }
mv "$OUT.configure.log" "$BUILD/bundle-configure.log"

say "build torchlab-cli (-j$JOBS)"
ninja -C "$BUILD" -j"$JOBS" torchlab-cli

rm -rf "$BUNDLE"
mkdir -p "$BUNDLE/bin" "$BUNDLE/lib"

# Relink both programs with an RPATH of $ORIGIN/../lib. DT_RPATH (not
# RUNPATH) because it also applies to the libraries' own dependencies
# (libQt6Core -> libicuuc), and because LD_LIBRARY_PATH would leak into the
# learner programs the CLI starts.
link_cmd=$(ninja -C "$BUILD" -t commands torchlab-cli | tail -n 1)
link_cmd=${link_cmd#: && }
link_cmd=${link_cmd% && :}
rpath_flags=(-Wl,--disable-new-dtags '-Wl,-rpath,$ORIGIN/../lib')

relink() { # relink OUTPUT [OBJECT...]: torchlab-cli's link, with OBJECTs in place of the CLI's own
  local output=$1; shift
  local -a words kept=()
  read -r -a words <<<"$link_cmd"
  local skip_next=0 placed=0 w
  for w in "${words[@]}"; do
    if ((skip_next)); then skip_next=0; continue; fi
    case "$w" in
      -o) skip_next=1; continue ;;
      app/cli/CMakeFiles/torchlab-cli.dir/*)
        if (($# > 0)); then
          # Before the static library, so that the linker pulls what they use from it.
          ((placed)) || kept+=("$@")
          placed=1
          continue
        fi ;;
    esac
    kept+=("$w")
  done
  (cd "$BUILD" && "${kept[@]}" -o "$output" "${rpath_flags[@]}")
}

say "link bin/torchlab-cli"
relink "$BUNDLE/bin/torchlab-cli"

say "compile and link bin/torchlab-gpucheck"
# The compile flags of a torchlab_core source file, for a file outside the build.
compile_cmd=$(ninja -C "$BUILD" -t commands torchlab-cli | grep -m1 -- '-c .*app/core/doctor/runverdict.cpp' || true)
[[ -n "$compile_cmd" ]] || { echo "no compile command for app/core/doctor/runverdict.cpp in $BUILD" >&2; exit 1; }
read -r -a words <<<"$compile_cmd"
cflags=()
skip_next=0
for w in "${words[@]:1}"; do
  if ((skip_next)); then skip_next=0; continue; fi
  case "$w" in
    -o | -MF | -MT | -c) skip_next=1; continue ;;
    -MD) continue ;;
  esac
  cflags+=("$w")
done
(cd "$BUILD" && "${words[0]}" "${cflags[@]}" -c "$ROOT/tests/gpu/gpucheck.cpp" -o "$BUILD/gpucheck.o")
relink "$BUNDLE/bin/torchlab-gpucheck" "$BUILD/gpucheck.o"
# The warm runner's helper (plain POSIX, no libraries of ours): next to the
# programs, where WarmRunner looks first.
cp "$BUILD/app/warm/torchlab-warm" "$BUNDLE/bin/torchlab-warm"
strip --strip-unneeded "$BUNDLE/bin/torchlab-cli" "$BUNDLE/bin/torchlab-gpucheck" \
  "$BUNDLE/bin/torchlab-warm"

say "shared libraries"
# glibc's own libraries, libstdc++ and libgcc_s come from the GPU machine.
is_system_lib() {
  case "$1" in
    linux-vdso.so* | ld-linux*.so* | libc.so* | libm.so* | libmvec.so* | libpthread.so* | libdl.so* | \
      librt.so* | libresolv.so* | libutil.so* | libanl.so* | libnsl.so* | libBrokenLocale.so* | \
      libstdc++.so* | libgcc_s.so*) return 0 ;;
  esac
  return 1
}
for program in "$BUNDLE"/bin/*; do
  while read -r name _ path _; do
    [[ -n "$path" && "$path" == /* ]] || continue
    is_system_lib "$name" && continue
    [[ -e "$BUNDLE/lib/$name" ]] || cp -L "$path" "$BUNDLE/lib/$name"
  done < <(ldd "$program")
done
# Prove the copies are what the programs load: no library may come from
# outside lib/ except the ones the GPU machine provides.
for program in "$BUNDLE"/bin/*; do
  while read -r name _ path _; do
    [[ -n "$path" && "$path" == /* ]] || continue
    is_system_lib "$name" && continue
    [[ "$(readlink -f "$path")" == "$BUNDLE/lib/"* ]] || { echo "$program loads $name from $path, not from lib/" >&2; exit 1; }
  done < <(ldd "$program")
done
"$BUNDLE/bin/torchlab-cli" --version

say "SDK, course, programs, run.sh"
cp -r "$ROOT/lessons/include" "$BUNDLE/include"
cp -r "$ROOT/lessons/course" "$BUNDLE/course"
cp -r "$ROOT/tests/gpu/programs" "$BUNDLE/programs"
cp "$ROOT/tests/gpu/run.sh" "$BUNDLE/run.sh"

say "Fashion-MNIST (test split + first $QUICK_TRAIN_IMAGES training images)"
mkdir -p "$BUNDLE/datasets/fashion-mnist"
if [[ -f "$DATASET_SOURCE/t10k-images-idx3-ubyte.gz" ]]; then
  cp "$DATASET_SOURCE"/t10k-*-ubyte.gz "$BUNDLE/datasets/fashion-mnist/"
  python3 - "$DATASET_SOURCE" "$BUNDLE/datasets/fashion-mnist" "$QUICK_TRAIN_IMAGES" <<'PY'
import gzip, struct, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
# IDX: big-endian magic, item count, then (images) rows and columns; the count
# is rewritten so that readers see a consistent, shorter file.
for name, header in (("train-images-idx3-ubyte", 16), ("train-labels-idx1-ubyte", 8)):
    with gzip.open(f"{src}/{name}.gz", "rb") as f:
        head = f.read(header)
        dims = struct.unpack(">" + "I" * (header // 4), head)
        item = 1 if header == 8 else dims[2] * dims[3]
        body = f.read(n * item)
    head = struct.pack(">II", dims[0], n) + head[8:]
    with gzip.GzipFile(f"{dst}/{name}.gz", "wb", mtime=0) as out:
        out.write(head + body)
PY
else
  echo "warning: $DATASET_SOURCE has no Fashion-MNIST (apt install dataset-fashion-mnist): lessons that train on it will fail" >&2
fi

{
  echo "TorchLab GPU bundle"
  echo "built:   $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(. /etc/os-release && echo "$PRETTY_NAME"), $($CXX --version | head -n 1)"
  echo "commit:  $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo
  (cd "$BUNDLE" && du -ah --max-depth=2 | sort -k2)
} >"$BUNDLE/MANIFEST.txt"

size_kib=$(du -sk "$BUNDLE" | cut -f1)
say "bundle: $BUNDLE, $((size_kib / 1024)) MiB"
if ((size_kib > 60 * 1024)); then
  echo "warning: the bundle is larger than 60 MiB; a device run carries at most 64 MiB" >&2
fi
echo "On the GPU machine: tests/gpu/run.sh [LOG_DIR]   (or $BUNDLE/run.sh [LOG_DIR])"
