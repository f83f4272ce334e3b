#!/usr/bin/env bash
# TorchLab's one entry point for a fresh machine.
#
#   installer/torchlab.sh start   install dependencies, build, start the lab window
#   installer/torchlab.sh test    install dependencies, build, run every test
#   installer/torchlab.sh build   install dependencies and build only
#
# BUILD_DIR (default: build) and JOBS (default: all cores) can be set;
# TORCHLAB_WERROR=1 builds with -Werror and TORCHLAB_REQUIRE_DEPS=1 makes a
# test that skips for a missing dependency fail (both set by .ci/run).
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
  # TORCHLAB_WERROR=1 (CI) makes a warning in the project's own code an error.
  local strict=()
  if [[ "${TORCHLAB_WERROR:-0}" == 1 ]]; then strict=(-DTORCHLAB_WERROR=ON); fi
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${cc[@]}" "${strict[@]}" "$@"
  step "Building with $jobs jobs"
  cmake --build "$build" --parallel "$jobs"
}

# torchlab://subscribe links from an instructor open this build of the lab:
# a desktop entry in the user's applications folder, made the link handler.
register_links() {
  local app="$1" apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
  mkdir -p "$apps" || return 0
  sed -e "s|^Exec=torchlab |Exec=\"$app\" |" -e "s|^Icon=torchlab$|Icon=$root/resources/icons/torchlab.png|" \
    "$root/resources/torchlab.desktop" > "$apps/torchlab.desktop" || return 0
  if command -v xdg-mime >/dev/null; then
    xdg-mime default torchlab.desktop x-scheme-handler/torchlab 2>/dev/null || true
  fi
  if command -v update-desktop-database >/dev/null; then
    update-desktop-database "$apps" 2>/dev/null || true
  fi
}

case "$cmd" in
  start)
    deps
    build -DTORCHLAB_BUILD_TESTS=OFF
    cli="$build/app/cli/torchlab-cli"
    app="$build/app/studio/torchlab"
    step "Checking this machine"
    "$cli" doctor || true
    if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" && -z "${QT_QPA_PLATFORM:-}" ]]; then
      echo "No display was found (DISPLAY and WAYLAND_DISPLAY are unset), so the lab window cannot open." >&2
      echo "Run $app from a desktop session, or use the CLI: $cli check lessons/course --lesson 01-hello --use solution" >&2
      exit 1
    fi
    register_links "$app"
    step "Starting the lab (the first start prepares LibTorch in the background)"
    exec "$app" "$@"
    ;;
  test)
    deps
    build -DTORCHLAB_BUILD_TESTS=ON
    step "Running the test suite"
    # Two parallel tests per core at most: several tests compile LibTorch programs.
    status=0
    ctest --test-dir "$build" --output-on-failure --parallel "$jobs" --timeout 900 2>&1 |
      tee "$build/ctest-output.log" || status=$?
    "$here/skipped-tests.sh" "$build"
    exit "$status"
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
