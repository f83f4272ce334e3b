#!/usr/bin/env bash
# Screenshots of the lab's lesson-pack screens, from the real `torchlab` under
# Xvfb: a signed pack installed with torchlab-cli, the learner's edit, an
# update that changes the starter under it and drops a lesson, the Packs
# dialog, the learner's code from the dropped lesson, and a subscribe link
# handed over by a second start.
#   tests/screenshots/take-pack-screenshots.sh [OUTDIR]   (default: $BUILD_DIR/screenshots)
# Needs Xvfb, xdotool, ImageMagick's import and minisign (installer/install-deps.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BUILD_DIR:-$root/build}"
app="$build/app/studio/torchlab"
cli="$build/app/cli/torchlab-cli"
out="${1:-$build/screenshots}"
display="${SCREENSHOT_DISPLAY:-:96}"

for binary in "$app" "$cli"; do
  [[ -x "$binary" ]] || { echo "no $binary: build torchlab and torchlab-cli first" >&2; exit 1; }
done
extra_tools=minisign
source "$here/session.sh"

export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
export XDG_CACHE_HOME="${SCREENSHOT_CACHE:-$build/screenshots-cache}"
export XDG_RUNTIME_DIR="$work/run"
export QT_QPA_PLATFORM=xcb
unset TORCHLAB_COURSE
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

# The instructor's side: a key, version 0.2.0 of the example pack, signed.
minisign -G -W -f -p "$work/instructor.pub" -s "$work/instructor.key" >/dev/null
pack="$work/example"
cp -r "$root/tests/fixtures/packs/example" "$pack"
publish() { # VERSION
  sed -i "s/^version = .*/version = \"$1\"/" "$pack/pack.toml"
  "$cli" pack build "$pack" -o "$work/example-$1.tar.gz" >/dev/null
  "$cli" pack sign "$work/example-$1.tar.gz" --key "$work/instructor.key" >/dev/null
}
publish 0.2.0
"$cli" pack install "$work/example-0.2.0.tar.gz" --trust "$work/instructor.pub"

# The learner last worked in that pack.
mkdir -p "$XDG_CONFIG_HOME/torchlab"
printf '[course]\nlastPack=org.torchlab.example\nlastLesson=squares\n' \
  >"$XDG_CONFIG_HOME/torchlab/torchlab.conf"

key() { xdotool key --delay 80 "$@"; }

start_app
key ctrl+End Return
xdotool type --delay 30 '// my own note: squares of a whole batch at once'
key alt+Down                    # lesson 2, which the update will drop
sleep 1
key ctrl+End Return
xdotool type --delay 30 '// my fit: lr 0.05 worked best'
sleep 2 # the autosave
key alt+Up
stop_app

# 0.3.0: the starter of lesson 1 changes and lesson 2 is dropped.
printf '// New in 0.3.0: try negative numbers too.\n' >>"$pack/01-squares/exercise.cpp"
python3 - "$pack/pack.toml" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
second = text.index("[[days]]", text.index("[[days]]") + 1)
open(path, "w").write(text[:second])
PY
rm -rf "$pack/02-fit"
publish 0.3.0
"$cli" pack install "$work/example-0.3.0.tar.gz" --trust "$work/instructor.pub"

start_app
shot pack-starter-changed 2
key alt+c p                     # Course > Packs…
shot packs-dialog 2
key Escape
sleep 1
xdotool windowfocus --sync "$window"
key alt+c r                     # Course > Code from Removed Lessons…
shot removed-lessons 2
key Escape
sleep 1
xdotool windowfocus --sync "$window"
feed='http://127.0.0.1:8080/deep-learning/'
link="torchlab://subscribe?feed=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$feed")&key=$(tail -n1 "$work/instructor.pub")&name=Deep%20Learning%2C%20Autumn"
"$app" "$link" >>"$work/app.log" 2>&1 # a second start hands the link over and exits
shot subscribe-link 2
stop_app
cp "$work/app.log" "$out/pack-screenshots.log"
echo "screenshots in $out"
