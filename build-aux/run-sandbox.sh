#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Try Counterpart on its sandbox: a demo shop with test platforms, in its own
# data folder, so nothing touches real accounts.
#   1. install the Debian packages that are missing (build-aux/debian-packages.txt);
#   2. configure and build _build;
#   3. open the window on the sandbox. Without a display (no DISPLAY or
#      WAYLAND_DISPLAY, e.g. over plain ssh) it says so and shows the
#      sandbox's status from the command line instead.
# Arguments are passed on to the program.

set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say () { printf '\n=== %s\n' "$*"; }

say "Checking the Debian packages"
build-aux/install-deps.sh

say "Configuring _build"
if [ -f _build/meson-private/coredata.dat ]; then
  meson setup --reconfigure _build || meson setup --wipe _build
else
  rm -rf _build
  meson setup _build
fi

say "Building"
meson compile -C _build

gui="_build/src/gui/counterpart"
cli="_build/src/cli/counterpart-cli"

# Run from the build directory: the settings schema is compiled in
# _build/data, and the icons are found under data/icons.
export GSETTINGS_SCHEMA_DIR="$root/_build/data"
export XDG_DATA_DIRS="$root/data:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  if [ ! -x "$gui" ]; then
    echo "run-sandbox: $gui was not built; see the build output above." >&2
    exit 1
  fi
  say "Opening Counterpart on the sandbox"
  exec "$gui" --sandbox "$@"
fi

say "No display"
cat <<'MSG'
There is no graphical display here (neither DISPLAY nor WAYLAND_DISPLAY is
set), so the window cannot open. Run this command again from a desktop
session (or with ssh -X) to see it.

Meanwhile, here is the sandbox's demo shop from the command line:
MSG
if [ ! -x "$cli" ]; then
  echo "run-sandbox: $cli was not built; see the build output above." >&2
  exit 1
fi
echo "\$ counterpart-cli --sandbox status"
"$cli" --sandbox status
