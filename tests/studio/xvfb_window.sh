#!/usr/bin/env bash
# The real executable on a real X server (Xvfb), not the offscreen platform:
# it must open, paint the course and quit, in English and in Chinese.
#   xvfb_window.sh TORCHLAB_BINARY WORK_DIR
# Exit 77 (skipped) when Xvfb is missing, unless TORCHLAB_REQUIRE_DEPS=1: then 1.
set -euo pipefail
app="$1"
work="$2"
if ! command -v Xvfb >/dev/null; then
  echo "Xvfb is not installed (Debian package xvfb)"
  [[ "${TORCHLAB_REQUIRE_DEPS:-0}" == 1 ]] && exit 1
  exit 77
fi
rm -rf "$work"
mkdir -p "$work"
# -displayfd: the server picks a free display and writes its number.
exec 3>"$work/display"
Xvfb -displayfd 3 -screen 0 1280x720x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; wait $xvfb 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -s "$work/display" ]] && break; sleep 0.05; done
display=":$(head -n1 "$work/display")"
[[ "$display" != ":" ]] || { echo "Xvfb did not start"; cat "$work/xvfb.log"; exit 1; }

for lang in en zh_CN; do
  out="$(env -u QT_QPA_PLATFORM DISPLAY="$display" QT_QPA_PLATFORM=xcb \
         XDG_CONFIG_HOME="$work/$lang/config" XDG_DATA_HOME="$work/$lang/data" \
         XDG_CACHE_HOME="$work/$lang/cache" \
         timeout 120 "$app" --quit-when-ready --lesson 01-hello --lang "$lang" 2>&1)" || {
    echo "torchlab did not start on $display ($lang):"; echo "$out"; exit 1; }
  grep -q '^ready_ms=[0-9]' <<<"$out" || { echo "no ready line ($lang):"; echo "$out"; exit 1; }
  echo "$lang: $(grep '^ready_ms=' <<<"$out")"
done
