#!/usr/bin/env bash
# TorchLab's one entry point for a fresh machine.
#
#   installer/torchlab.sh start   install dependencies, build, start the lab
#   installer/torchlab.sh test    install dependencies, build, run every test
#   installer/torchlab.sh build   install dependencies and build only
#
# BUILD_DIR (default: build) and JOBS (default: all cores) can be set.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
jobs="${JOBS:-$(nproc)}"
cmd="${1:-start}"
shift || true

step() { printf '\n==> %s\n' "$*"; }

deps() {
  step "Installing dependencies"
  "$here/install-deps.sh"
}

build() {
  step "Configuring ($build)"
  local cc=() 
  if command -v clang++ >/dev/null; then cc=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++); fi
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${cc[@]}" "$@"
  step "Building with $jobs jobs"
  cmake --build "$build" --parallel "$jobs"
}

case "$cmd" in
  start)
    deps
    build
    cli="$build/app/cli/torchlab-cli"
    step "Checking this machine"
    "$cli" doctor
    # The lab window arrives with the GUI; until then the first command proves
    # the engine on a sample exercise.
    step "Running a sample exercise (the first run prepares LibTorch once, then compiles are fast)"
    "$cli" run "$root/lessons/samples/regression.cpp"
    ;;
  test)
    deps
    build -DTORCHLAB_BUILD_TESTS=ON
    step "Running the test suite"
    # Two parallel tests per core at most: several tests compile LibTorch programs.
    ctest --test-dir "$build" --output-on-failure --parallel "$jobs" --timeout 900
    ;;
  build)
    deps
    build
    ;;
  *)
    echo "usage: $0 start|test|build" >&2
    exit 2
    ;;
esac
