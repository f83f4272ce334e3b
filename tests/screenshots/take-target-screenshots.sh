#!/usr/bin/env bash
# Screens of runs on a course server: starts a loopback sshd (keys made here)
# as the "course GPU server", adds it as a target, and saves PNGs of the
# status bar, a Run there, the Environment dialog with the server first,
# Settings → Run on, and a pack's suggested server, in English at 1600×1000
# and in Chinese at 1280×720:
#   tests/screenshots/take-target-screenshots.sh [OUTDIR]
# Needs Xvfb, xdotool, import and openssh-server (installer/install-deps.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BUILD_DIR:-$root/build}"
app="$build/app/studio/torchlab"
cli="$build/app/cli/torchlab-cli"
out="${1:-$build/screenshots}"
display="${SCREENSHOT_DISPLAY:-:96}"
[[ -x "$app" && -x "$cli" ]] || { echo "build torchlab and torchlab-cli first" >&2; exit 1; }
source "$here/session.sh"

export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_RUNTIME_DIR="$work/run"
export XDG_CACHE_HOME="${SCREENSHOT_CACHE:-$build/screenshots-cache}"
export QT_QPA_PLATFORM=xcb
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME/torchlab"
chmod 700 "$XDG_RUNTIME_DIR"

# The server: this machine, through sshd on a free port of 127.0.0.1.
ssh_dir="$work/sshd"
mkdir -p "$ssh_dir" /run/sshd
for k in host user; do ssh-keygen -q -t ed25519 -N '' -f "$ssh_dir/$k"; done
cp "$ssh_dir/user.pub" "$ssh_dir/authorized_keys"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cat > "$ssh_dir/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $ssh_dir/host
PidFile $ssh_dir/sshd.pid
AuthorizedKeysFile $ssh_dir/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
SetEnv XDG_CACHE_HOME=$XDG_CACHE_HOME
CONF
cat > "$ssh_dir/ssh_config" <<CONF
Host gpu.course.example
  HostName 127.0.0.1
  Port $port
  User $(id -un)
  IdentityFile $ssh_dir/user
  IdentitiesOnly yes
  UserKnownHostsFile $ssh_dir/known_hosts
CONF
"$(command -v sshd || echo /usr/sbin/sshd)" -D -e -f "$ssh_dir/sshd_config" 2>"$ssh_dir/log" &
sshd_pid=$!
trap 'kill $sshd_pid 2>/dev/null || true; cleanup' EXIT
export TORCHLAB_SSH_CONFIG="$ssh_dir/ssh_config"
sleep 1
"$cli" target add course ssh://gpu.course.example --remote-cli "$cli"
"$cli" target test course

course="$work/course"
cp -r "$root/lessons/course" "$course"
cp "$course/01-hello/solution/exercise.cpp" "$course/01-hello/exercise.cpp"
cp "$course/01-hello/solution/exercise.cpp" "$course/01-hello/exercise.zh_CN.cpp"
start_course() { start_app --course "$course" "$@"; }
key() { xdotool windowfocus --sync "$window" key --delay 80 "$@"; }
# The server's precompiled header (the same cache here) is ready before the Run.
XDG_CACHE_HOME="$XDG_CACHE_HOME" "$cli" warmup >/dev/null
# Shots of a window smaller than the screen keep only the window.
crop_shot() { sleep "${3:-1}"; import -window root -crop "$2+0+0" "$out/$1.png"; echo "saved $out/$1.png"; }

for lang in en zh_CN; do
  if [[ $lang == en ]]; then w=1600 h=1000; else w=1280 h=720; fi
  printf '[run]\nquick=true\ntarget=course\n' > "$XDG_CONFIG_HOME/torchlab/torchlab.conf"
  start_course --lesson 01-hello --lang "$lang"
  xdotool windowsize "$window" "$w" "$h"
  sleep 3
  key ctrl+r
  crop_shot "target-run-$lang" "${w}x${h}" 20
  key alt+h e
  crop_shot "target-environment-$lang" "${w}x${h}" 8
  key Escape
  key ctrl+comma
  crop_shot "target-settings-$lang" "${w}x${h}" 2
  key Escape
  stop_app
done

# A pack that names its server: offered once, never used silently.
sed -i '0,/^\[\[days\]\]/s//[server]\nhost = "login.hpc.example.edu"\nslurm_partition = "gpu"\n\n[[days]]/' "$course/pack.toml"
printf '[run]\nquick=true\n' > "$XDG_CONFIG_HOME/torchlab/torchlab.conf"
start_course --lesson 01-hello
shot target-offer 3
stop_app
