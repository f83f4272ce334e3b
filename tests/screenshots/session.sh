# Shared by the screenshot scripts (sourced, not run): an Xvfb display, the
# real app started and stopped the way a learner does, key presses and shots.
# The caller sets: app (the torchlab binary), out (the PNG folder), display,
# and the tools it needs beyond Xvfb, xdotool and import in extra_tools.

for tool in Xvfb xdotool import ${extra_tools:-}; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (installer/install-deps.sh)" >&2; exit 1; }
done
mkdir -p "$out"

work="$(mktemp -d)"
xvfb_pid=""
app_pid=""
cleanup() {
  [[ -n "$app_pid" ]] && kill "$app_pid" 2>/dev/null || true
  [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY="$display"
for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done

# The size of the app's window; set window_size=1280x720 before start_app for
# a laptop on a projector. Shots are cut to the window.
window_size="${window_size:-1600x1000}"
window=""
start_app() {
  "$app" "$@" >>"$work/app.log" 2>&1 &
  app_pid=$!
  window="$(xdotool search --sync --onlyvisible --classname '^torchlab$' | head -n1)"
  xdotool windowmove "$window" 0 0 windowsize "$window" "${window_size%x*}" "${window_size#*x}"
  sleep 2
  xdotool windowfocus --sync "$window" || true
}
stop_app() {
  xdotool windowfocus --sync "$window" key ctrl+q || true
  for _ in $(seq 100); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
}
shot() {
  sleep "${2:-1}"
  import -window root -crop "${window_size}+0+0" +repage "$out/$1.png"
  echo "saved $out/$1.png"
}
