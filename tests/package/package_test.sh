#!/usr/bin/env bash
# The Debian package end to end: builds it from this build folder
# (`--target package`), checks it with lintian, appstreamcli and
# desktop-file-validate, installs it with apt-get, grades the first lesson's
# solution with the installed torchlab-cli and starts the installed window
# (offscreen) with a fresh HOME, then purges it and checks that every file the
# package listed is gone.
#
#   package_test.sh BUILD_DIR
#
# Needs root (apt-get): exit 77 (skipped) otherwise. Exit 77 too when a tool is
# missing, unless TORCHLAB_REQUIRE_DEPS=1: then 1. Refuses (exit 1) to run
# where torchlab is already installed as a package: it would purge it.
set -euo pipefail
build="$(cd "$1" && pwd)"
# The built-in course's first lesson (lessons/course/01-hello/lesson.toml).
lesson=hello

if [[ "$(id -u)" != 0 ]]; then
  echo "package_test: skipped: installing a package needs root"
  exit 77
fi
missing=()
for tool in apt-get dpkg dpkg-deb dpkg-shlibdeps lintian appstreamcli desktop-file-validate file cmake; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]} > 0)); then
  echo "package_test: missing ${missing[*]} (installer/install-deps.sh installs them)"
  [[ "${TORCHLAB_REQUIRE_DEPS:-0}" == 1 ]] && exit 1
  exit 77
fi
state="$(dpkg-query -W -f='${db:Status-Status}' torchlab 2>/dev/null || true)"
if [[ -n "$state" && "$state" != not-installed ]]; then
  echo "package_test: FAIL: the torchlab package is already on this machine ($state)." >&2
  echo "This test installs and purges it; remove it first: apt-get purge torchlab" >&2
  exit 1
fi

work="$(mktemp -d)"
installed=0
cleanup() {
  if ((installed)); then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y torchlab >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "package_test: FAIL: $*" >&2
  exit 1
}

echo "==> Building the package"
rm -f "$build"/torchlab_*.deb
cmake --build "$build" --target package
debs=("$build"/torchlab_*_amd64.deb)
[[ ${#debs[@]} == 1 && -f "${debs[0]}" ]] || fail "expected one torchlab_*_amd64.deb in $build"
deb="${debs[0]}"
echo "$(basename "$deb"): $(stat -c %s "$deb") bytes"

echo "==> lintian"
lintian --fail-on error --display-info "$deb" >"$work/lintian.txt" 2>&1 || {
  cat "$work/lintian.txt"
  fail "lintian reports errors"
}
# The course's READMEs are course content, not package documentation.
grep -v -e 'package-contains-documentation-outside-usr-share-doc' \
  -e 'running with root privileges' "$work/lintian.txt" || true
# Every program is built hardened (TORCHLAB_HARDENING): stack protector,
# _FORTIFY_SOURCE, full RELRO and PIE.
if grep -E 'hardening-no-' "$work/lintian.txt"; then
  fail "lintian finds programs built without hardening (see above)"
fi

echo "==> Contents"
dpkg-deb -x "$deb" "$work/root"
root="$work/root"
for f in usr/bin/torchlab usr/bin/torchlab-cli usr/libexec/torchlab/torchlab-warm \
  usr/share/torchlab/include/torchlab/lab.h usr/share/torchlab/course/pack.toml \
  usr/share/applications/torchlab.desktop usr/share/icons/hicolor/scalable/apps/torchlab.svg \
  usr/share/man/man1/torchlab.1.gz usr/share/man/man1/torchlab-cli.1.gz \
  usr/share/doc/torchlab/copyright usr/share/doc/torchlab/changelog.Debian.gz; do
  [[ -f "$root/$f" ]] || fail "the package lacks /$f"
done
for size in 16 22 24 32 48 64 128 256 512; do
  icon="$root/usr/share/icons/hicolor/${size}x${size}/apps/torchlab.png"
  file -b "$icon" | grep -q "PNG image data, $size x $size," || fail "icon ${size}x${size}: $(file -b "$icon")"
done
for program in torchlab torchlab-cli; do
  file -b "$root/usr/bin/$program" | grep -q ", stripped" || fail "/usr/bin/$program is not stripped"
  zcat "$root/usr/share/man/man1/$program.1.gz" | grep -q '^\.SH OPTIONS\|^\.SH COMMANDS' ||
    fail "the man page of $program lists no options"
done
grep -q '^MimeType=.*x-scheme-handler/torchlab;' "$root/usr/share/applications/torchlab.desktop" ||
  fail "the desktop file does not handle torchlab:// links"
desktop-file-validate "$root/usr/share/applications/torchlab.desktop" || fail "desktop-file-validate"
metainfo=("$root"/usr/share/metainfo/*.metainfo.xml)
[[ -f "${metainfo[0]}" ]] || fail "no AppStream metainfo in /usr/share/metainfo"
appstreamcli validate --no-net --explain "${metainfo[0]}" || fail "appstreamcli validate"
# Warnings fail too, not only errors (appstreamcli exits 0 with warnings).
if appstreamcli validate --no-net "${metainfo[0]}" | grep -q '^W:'; then
  fail "appstreamcli reports warnings"
fi
# The metainfo with what it points at: the desktop file, the icons.
appstreamcli validate-tree --no-net "$root" || fail "appstreamcli validate-tree"
depends="$(dpkg-deb -f "$deb" Depends)"
echo "Depends: $depends"
for dep in libqt6core6 libqt6widgets6 libqscintilla2-qt6 libqcustomplot libarchive libsodium clang lld \
  libtorch-dev bubblewrap; do
  [[ "$depends" == *"$dep"* ]] || fail "Depends lacks $dep"
done

echo "==> apt-get install"
# Without Recommends: the test must not download anything (every Depends is in
# installer/install-deps.sh); a classroom's plain `apt-get install` adds them.
# The folder is readable by apt's own user, so apt reads the file unsandboxed.
chmod 755 "$work"
cp "$deb" "$work/"
(cd "$work" && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  "./$(basename "$deb")") || fail "apt-get install"
installed=1
dpkg -L torchlab >"$work/files"
echo "$(wc -l <"$work/files") paths listed by dpkg -L torchlab"

# A learner's first minutes, from the installed paths only, in an empty HOME.
home="$(mktemp -d -p "$work" home.XXXX)"
run_clean() {
  env -u XDG_CONFIG_HOME -u XDG_CACHE_HOME -u XDG_DATA_HOME -u TORCHLAB_COURSE \
    -u TORCHLAB_SDK_INCLUDE -u TORCHLAB_WARM_HELPER HOME="$home" "$@"
}
echo "==> torchlab-cli check (lesson $lesson, solution)"
(cd "$home" && run_clean /usr/bin/torchlab-cli check /usr/share/torchlab/course --lesson "$lesson" \
  --use solution) || fail "the installed torchlab-cli does not pass lesson $lesson's solution"
echo "==> torchlab --quit-when-ready"
out="$(cd "$home" && run_clean QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$home" \
  timeout 120 /usr/bin/torchlab --quit-when-ready --lesson "$lesson" 2>&1)" ||
  { echo "$out"; fail "the installed window did not start"; }
echo "$out" | grep -E '^ready_ms=[0-9]+$' || { echo "$out"; fail "the installed window never became ready"; }

echo "==> apt-get purge"
DEBIAN_FRONTEND=noninteractive apt-get purge -y torchlab || fail "apt-get purge"
installed=0
left=0
while IFS= read -r path; do
  # Folders the package shares with others (/usr, /usr/share, ...) stay.
  if [[ -e "$path" && ! -d "$path" ]] || [[ -d "$path" && "$path" == */torchlab* ]]; then
    echo "left behind: $path" >&2
    left=1
  fi
done <"$work/files"
((left == 0)) || fail "files of the package remain after purge"
state="$(dpkg-query -W -f='${db:Status-Status}' torchlab 2>/dev/null || true)"
[[ -z "$state" || "$state" == not-installed ]] || fail "dpkg still knows torchlab ($state)"
echo "package_test: pass"
