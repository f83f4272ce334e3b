#!/usr/bin/env bash
# Writes a gzipped man page for one of the built programs with help2man, from
# the program's own --help and --version, so that the page lists exactly the
# options the program has. NAME.h2m adds what --help does not say (files,
# environment, examples). With --commands (torchlab-cli), a COMMANDS section
# holds `NAME --help` and then `NAME COMMAND --help` verbatim for every command
# the "commands:" list of `NAME --help` names, so that a new command is on the
# page without a change here; NAME.h2m then writes SYNOPSIS and DESCRIPTION.
#
#   manpage.sh HELP2MAN PROGRAM NAME.h2m OUT.1.gz [--commands]
set -euo pipefail
help2man="$1" program="$2" include="$3" out="$4"
commands="${5:-}"
name="$(basename "$program")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Run by its bare name, so that usage lines say "torchlab-cli", not the build path;
# offscreen and a scratch HOME: the lab window's --help must not need a display
# or touch the builder's settings.
export PATH="$(dirname "$program"):$PATH" HOME="$work" XDG_RUNTIME_DIR="$work"
export QT_QPA_PLATFORM=offscreen LC_ALL=C.UTF-8 LANG=C.UTF-8
includes=(--include "$include")
if [[ "$commands" == --commands ]]; then
  # The first word of each line of the "commands:" block, once each, in order.
  mapfile -t names < <("$name" --help |
    awk '/^commands:/ { on = 1; next } on && /^$/ { exit } on && /^  [a-z]/ { if (!seen[$1]++) print $1 }')
  ((${#names[@]} > 0)) || { echo "manpage.sh: no commands in $name --help" >&2; exit 1; }
  {
    echo "[COMMANDS]"
    # The overview first (`NAME --help`), then each command's own --help.
    for command in "" "${names[@]}"; do
      echo ".SS \"$name${command:+ $command}\""
      echo ".nf"
      # roff: a backslash is \e, a line may not start with a control character.
      "$name" $command --help | sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"
      echo ".fi"
    done
  } >"$work/commands.h2m"
  includes+=(--include "$work/commands.h2m")
fi
"$help2man" --no-info --section 1 --source "TorchLab" --locale C.UTF-8 "${includes[@]}" \
  --output "$work/page.1" "$name"
grep -q '^\.SH OPTIONS\|^\.SH DESCRIPTION' "$work/page.1"
gzip -9n <"$work/page.1" >"$out"
