#!/usr/bin/env bash
# Starts the real `torchlab` under Xvfb, walks through lessons with xdotool and
# saves PNGs of the main screens:
#   tests/screenshots/take-screenshots.sh [OUTDIR]     (default: $BUILD_DIR/screenshots)
# At 1600x1000 (a desktop) and at 1280x720 (a laptop on a projector: the
# compact arrangement, focus mode, presenter mode, Chinese).
# BUILD_DIR (default: build) holds the built app. The precompiled header is
# kept in $BUILD_DIR/screenshots-cache between runs (the first run builds it).
# Needs Xvfb, xdotool and ImageMagick's import (installer/install-deps.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BUILD_DIR:-$root/build}"
app="$build/app/studio/torchlab"
out="${1:-$build/screenshots}"
display="${SCREENSHOT_DISPLAY:-:97}"

[[ -x "$app" ]] || { echo "no $app: build the torchlab target first" >&2; exit 1; }
source "$here/session.sh"

# A learner who has just installed the lab: empty settings and progress. The
# course copy has the solutions of lessons 1 and 4 as their starters, so that
# Check passes and Run draws a loss curve without typing whole programs.
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
export XDG_CACHE_HOME="${SCREENSHOT_CACHE:-$build/screenshots-cache}"
export QT_QPA_PLATFORM=xcb
unset TORCHLAB_COURSE
course="$work/course"
cp -r "$root/lessons/course" "$course"
for lesson in 01-hello 04-autograd; do
  # The Chinese starter must stay the same program as the English one.
  cp "$course/$lesson/solution/exercise.cpp" "$course/$lesson/exercise.cpp"
  cp "$course/$lesson/solution/exercise.cpp" "$course/$lesson/exercise.zh_CN.cpp"
done
mkdir -p "$XDG_CONFIG_HOME/torchlab"
printf '[run]\nquick=true\n' > "$XDG_CONFIG_HOME/torchlab/torchlab.conf"

# Every start opens the copied course (with the two solved starters).
start_course() { start_app --course "$course" "$@"; }
key() { xdotool windowfocus --sync "$window" key --delay 80 "$@"; }
# The precompiled header is ready when a .pch or .gch sits in the cache.
wait_for_pch() {
  for _ in $(seq 600); do
    if find "$XDG_CACHE_HOME/torchlab/pch" -name '*.pch' -o -name '*.gch' 2>/dev/null | grep -q .; then
      return 0
    fi
    sleep 1
  done
  echo "the precompiled header was not built within 10 minutes" >&2
  return 1
}

start_course --lesson 01-hello
shot main-lesson1
wait_for_pch
sleep 2

key ctrl+Return                 # Check lesson 1 (its solution)
shot checks-passed 25

key alt+Down alt+Down alt+Down  # lesson 4, the autograd training loop
sleep 2
key ctrl+r
shot run-live-plots 20

key ctrl+Home Down Down Down End Return
xdotool windowfocus --sync "$window" type --delay 40 'int broken = ;'
shot typing-error 8             # found by the background build, before any Run
key ctrl+r
shot compile-error 15

key alt+h Return                # Help > Environment…
shot environment 4
key Escape
stop_app

start_course --lesson 01-hello --lang zh_CN
shot main-zh_CN 2
stop_app

start_course --lesson 04-autograd --theme dark
key alt+l r                     # Lesson > Reset to Starter (drops the broken line)
sleep 1
key ctrl+r
shot main-dark 20
stop_app

# A laptop on a projector: the editor beside the lesson text, output,
# checks and plots as tabs.
window_size=1280x720
start_course --lesson 02-tensors
shot small-default 3
key F11                         # focus: the editor and the output only
shot small-focus 2
key F11
stop_app

start_course --lesson 04-autograd
key ctrl+shift+p                # presenter mode
sleep 1
key ctrl+r
sleep 15
key ctrl+4                      # the plots' tab comes forward
shot small-presenter 3
key ctrl+shift+p
stop_app

start_course --lesson 02-tensors --lang zh_CN
shot small-zh_CN 3
stop_app
window_size=1600x1000

echo "screenshots in $out"
