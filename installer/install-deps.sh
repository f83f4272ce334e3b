#!/usr/bin/env bash
# Installs everything TorchLab needs to build, run and test on Debian 12
# (bookworm) or Ubuntu 24.04. Idempotent: packages already present are
# reported and skipped. Run as root or through sudo.
#
#   installer/install-deps.sh            # build + run + test dependencies
#   installer/install-deps.sh --check    # only report what is missing
set -euo pipefail

check_only=0
[[ "${1:-}" == "--check" ]] && check_only=1

. /etc/os-release 2>/dev/null || true
distro="${ID:-unknown}-${VERSION_ID:-unknown}"

# One package per line with why it is needed. Names are Debian 12's; the
# Ubuntu 24.04 differences are applied below.
packages=(
  # build
  cmake ninja-build pkg-config git
  # the formatting test (tests/lint) pins clang-format 14
  clang-format-14
  clang lld libclang-rt-14-dev g++
  # Qt 6 (qt6-svg-dev: the lesson view draws SVG figures, runtime libqt6svg6) and the
  # two widget libraries
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qt6-svg-dev libqscintilla2-qt6-dev libqcustomplot-dev libgl-dev
  # Qt's own Chinese strings (standard buttons, dialogs) and a CJK font for the zh_CN UI
  qt6-translations-l10n fonts-noto-cjk
  # LibTorch (CPU) and the c10d Gloo backend headers
  libtorch-dev libgloo-dev
  # packs: archives, signatures (later issues)
  libarchive-dev libsodium-dev minisign
  # lesson-pack manifests (TOML)
  libtomlplusplus-dev zlib1g-dev
  # simdjson (On-Demand API): the metrics channel decoder
  # (Debian 12: 3.0.1; the package has the same name on Ubuntu 24.04)
  libsimdjson-dev
  # course data
  dataset-fashion-mnist
  # GUI tests and screenshots
  xvfb xauth imagemagick xdotool
  # pack feeds are tested against a real web server
  nginx-light
  # runs on a course server: the ssh client; the tests' own loopback sshd and
  # one-node Slurm cluster (slurmctld, slurmd, srun) with munge
  openssh-client openssh-server slurm-wlm munge
  # the sandbox every learner and pack program runs in
  bubblewrap
  # metrics for Prometheus (the client library), and the tests' own Prometheus and
  # Alertmanager on loopback that check the shipped scrape config and alert rules
  prometheus-cpp-dev prometheus prometheus-alertmanager
  # the Debian package: built with CPack, checked with lintian, appstreamcli and
  # desktop-file-validate; help2man writes the man pages from the programs' --help
  dpkg-dev fakeroot lintian appstream desktop-file-utils help2man
  # tools the tests and the doctor use (zip, xz-utils: archives made by other tools)
  python3 procps file zip xz-utils
  # PyTorch for Python, the same 1.13 as libtorch-dev: makes the Python side of the
  # Python/C++ interop lesson (TorchScript and state_dict files) and tests the round trip
  python3-torch
)

case "$distro" in
  ubuntu-24.04)
    packages=("${packages[@]/libclang-rt-14-dev/libclang-rt-18-dev}")
    packages=("${packages[@]/nginx-light/nginx}")
    ;;
esac

missing=()
for p in "${packages[@]}"; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    :
  else
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages already installed on $distro"
  exit 0
fi

echo "install-deps: $distro needs: ${missing[*]}"
((check_only)) && exit 1

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# Servers the tests start themselves, on 127.0.0.1 and free ports: their
# packages must not start (or enable) system-wide daemons on this machine.
services=()
for p in "${missing[@]}"; do
  case "$p" in
    nginx|nginx-light) services+=(nginx) ;;
    openssh-server) services+=(ssh) ;;
    slurm-wlm) services+=(slurmctld slurmd) ;;
    munge) services+=(munge) ;;
    prometheus) services+=(prometheus) ;;
    prometheus-alertmanager) services+=(prometheus-alertmanager) ;;
  esac
done
guard=""
if ((${#services[@]})) && [[ ! -e /usr/sbin/policy-rc.d ]]; then
  guard=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\n# install-deps: no daemon starts while test servers are installed\nexit 101\n' |
    $SUDO tee "$guard" >/dev/null
  $SUDO chmod 755 "$guard"
fi
$SUDO apt-get update -qq
status=0
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" || status=$?
[[ -n "$guard" ]] && $SUDO rm -f "$guard"
((status == 0)) || exit "$status"
if ((${#services[@]})) && command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
  $SUDO systemctl disable --now "${services[@]}" >/dev/null 2>&1 || true
fi
echo "install-deps: installed ${#missing[@]} packages"
