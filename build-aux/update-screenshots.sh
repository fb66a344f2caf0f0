#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Copies the English, light screenshots the GUI tests wrote into
# BUILD_DIR/screenshots (default: _build) to data/screenshots/, where the
# README and the AppStream metainfo point. Run build-aux/run-tests.sh (or the
# gui suite) first. For each of overview, catalog and orders it prefers the
# sandbox's demo shop ("sandbox-<page>") when the tests took one, because
# that is what a new user sees.
#
#   build-aux/update-screenshots.sh [BUILD_DIR]

set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/_build}"
src="$build/screenshots"
dest="$root/data/screenshots"

if [ ! -d "$src" ]; then
  echo "update-screenshots: $src does not exist. Run the GUI tests first:" >&2
  echo "  build-aux/run-tests.sh   (or: dbus-run-session -- build-aux/test-session.sh meson test -C ${build} --suite gui)" >&2
  exit 1
fi

mkdir -p "$dest"
status=0
for page in overview catalog orders; do
  picked=""
  for candidate in "en-light-sandbox-$page.png" "en-light-$page.png"; do
    if [ -f "$src/$candidate" ]; then
      picked="$candidate"
      break
    fi
  done
  if [ -z "$picked" ]; then
    echo "update-screenshots: no English light screenshot of $page in $src." >&2
    status=1
    continue
  fi
  cp "$src/$picked" "$dest/$page.png"
  echo "data/screenshots/$page.png <- $picked"
done
exit "$status"
