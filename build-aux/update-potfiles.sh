#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Writes po/POTFILES.in: every file with strings to translate, sorted.
#   - C sources and headers under src/ that call _(), N_(), C_(), NC_(),
#     ngettext() or g_dngettext()/g_dpgettext2()/g_dcgettext();
#   - GtkBuilder templates (ui/, src/) with translatable="yes";
#   - the launcher, autostart, metainfo and schema files in data/.
#
#   build-aux/update-potfiles.sh          rewrite po/POTFILES.in
#   build-aux/update-potfiles.sh --check  exit 1 (and say why) when
#                                         po/POTFILES.in is not what it
#                                         would write, e.g. a new file with
#                                         _() is missing or a listed file is
#                                         gone. The 'potfiles' test runs this.

set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

generate () {
  {
    find src -type f \( -name '*.c' -o -name '*.h' \) -print0 2>/dev/null \
      | xargs -0 -r grep -lE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|ngettext|g_dngettext|g_dpgettext2|g_dcgettext)[[:space:]]*\(' \
      || true
    find ui src -type f -name '*.ui' -print0 2>/dev/null \
      | xargs -0 -r grep -l 'translatable="yes"' \
      || true
    find data -maxdepth 1 -type f \
      \( -name '*.desktop.in' -o -name '*.metainfo.xml.in' -o -name '*.gschema.xml' \) \
      2>/dev/null || true
  } | sed 's|^\./||' | LC_ALL=C sort -u | drop_untracked
}

# In a git checkout, files nobody has committed yet stay out: a committed
# POTFILES.in must never name a file a clean checkout does not have.
drop_untracked () {
  if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    grep -v -x -F -f <(git -C "$root" ls-files --others --exclude-standard; echo '/nonexistent/') || true
  else
    cat
  fi
}

header='# Files with strings to translate. Written by build-aux/update-potfiles.sh:
# run it after adding or removing a file with _() or translatable="yes".'

if [ "${1:-}" = "--check" ]; then
  status=0
  listed="$(grep -v -e '^#' -e '^[[:space:]]*$' po/POTFILES.in || true)"
  while IFS= read -r file; do
    [ -n "$file" ] || continue
    if [ ! -f "$file" ]; then
      echo "po/POTFILES.in lists $file, which does not exist." >&2
      status=1
    fi
  done <<< "$listed"
  wanted="$(generate)"
  missing="$(LC_ALL=C comm -13 <(printf '%s\n' "$listed" | LC_ALL=C sort -u) <(printf '%s\n' "$wanted"))"
  extra="$(LC_ALL=C comm -23 <(printf '%s\n' "$listed" | LC_ALL=C sort -u) <(printf '%s\n' "$wanted"))"
  if [ -n "$missing" ]; then
    echo "These files have strings to translate but are not in po/POTFILES.in:" >&2
    printf '  %s\n' $missing >&2
    status=1
  fi
  if [ -n "$extra" ]; then
    echo "po/POTFILES.in lists files without strings to translate:" >&2
    printf '  %s\n' $extra >&2
    status=1
  fi
  if [ "$listed" != "$(printf '%s\n' "$listed" | LC_ALL=C sort)" ]; then
    echo "po/POTFILES.in is not sorted." >&2
    status=1
  fi
  if [ "$status" -ne 0 ]; then
    echo "Run build-aux/update-potfiles.sh to fix po/POTFILES.in." >&2
  else
    echo "po/POTFILES.in lists all $(printf '%s\n' "$wanted" | grep -c .) files with strings to translate."
  fi
  exit "$status"
fi

{
  printf '%s\n' "$header"
  generate
} > po/POTFILES.in
echo "po/POTFILES.in: $(generate | grep -c .) files."
