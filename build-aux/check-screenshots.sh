#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every screenshot the AppStream metainfo and the README point at must be in
# data/screenshots/ (build-aux/update-screenshots.sh puts them there), and be
# a PNG: software centres and GitHub show a broken image otherwise.

set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

status=0
checked=0
{
  grep -o 'data/screenshots/[A-Za-z0-9._-]*' data/io.github.counterpart.Counterpart.metainfo.xml.in
  if [ -f README.md ]; then
    grep -o 'data/screenshots/[A-Za-z0-9._-]*' README.md || true
  fi
} | sort -u > "${TMPDIR:-/tmp}/cp-screenshots.$$"
while IFS= read -r path; do
  checked=$((checked + 1))
  if [ ! -f "$path" ]; then
    echo "$path is referenced but missing: run build-aux/update-screenshots.sh after the GUI tests." >&2
    status=1
  elif [ "$(head -c 8 "$path" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]; then
    echo "$path is not a PNG file." >&2
    status=1
  fi
done < "${TMPDIR:-/tmp}/cp-screenshots.$$"
rm -f "${TMPDIR:-/tmp}/cp-screenshots.$$"

if [ "$checked" -eq 0 ]; then
  echo "The metainfo names no screenshot in data/screenshots/." >&2
  status=1
fi
[ "$status" -ne 0 ] || echo "All $checked referenced screenshots are in data/screenshots/."
exit "$status"
