#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-translation.sh LANG: fails unless po/LANG.po translates every string
# the sources have *now*. It extracts a fresh template from po/POTFILES.in
# (the same xgettext options as meson's "glib" preset), merges po/LANG.po
# into a temporary copy, and counts: any untranslated or fuzzy message is a
# failure, listed with where it comes from. msgfmt --check also verifies
# that every translation keeps the format directives (%s, %u…) of its
# original. Nothing in the source tree is written.

set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: $0 LANG" >&2
  exit 2
fi
lang="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
po="$root/po/$lang.po"

if [ ! -f "$po" ]; then
  echo "check-translation: $po does not exist." >&2
  exit 1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/counterpart-po-check.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

grep -v -e '^#' -e '^[[:space:]]*$' "$root/po/POTFILES.in" > "$tmp/POTFILES"

xgettext --package-name=counterpart --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
  --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
  --flag=cp_cli_info:2:c-format --flag=cp_cli_error:2:c-format \
  --flag=cp_cli_usage_error:2:c-format --flag=cp_catalog_import_add_problem:4:c-format \
  --directory="$root" --files-from="$tmp/POTFILES" --output="$tmp/template.pot" \
  2> "$tmp/xgettext.log" || { cat "$tmp/xgettext.log" >&2; exit 1; }

# A format macro spliced into a translatable string ("%" G_GINT64_FORMAT)
# cuts the extracted msgid short, at the "%", so its translation is never
# found at run time. PRId64 from <inttypes.h> is the form gettext
# understands. Find every msgid that ends in a lone "%".
truncated="$(awk '
  function flush() {
    if (text != "" && text ~ /(^|[^%0-9])(%%)*%$/)
      printf "  %s  \"%s\"\n", where, text
    text = ""; inmsg = 0
  }
  /^#: / { flush(); where = $2; next }
  /^msgid(_plural)? "/ {
    flush(); inmsg = 1
    line = $0; sub(/^msgid(_plural)? "/, "", line); sub(/"$/, "", line)
    text = line; next
  }
  /^"/ && inmsg { line = $0; sub(/^"/, "", line); sub(/"$/, "", line); text = text line; next }
  { flush() }
  END { flush() }' "$tmp/template.pot" | sort -u)"
if [ -n "$truncated" ]; then
  echo "These translatable strings cannot be translated: xgettext cannot read through a" >&2
  echo "format macro such as G_GINT64_FORMAT, so it keeps only the text before it. Write" >&2
  echo "\"%\" PRId64 (from <inttypes.h>) instead of \"%\" G_GINT64_FORMAT inside _():" >&2
  printf '%s\n' "$truncated" >&2
  exit 1
fi

# The committed file itself must be well-formed.
msgfmt --check --output-file=/dev/null "$po"

msgmerge --quiet --output-file="$tmp/merged.po" "$po" "$tmp/template.pot"
stats="$(LC_ALL=C msgfmt --check --statistics --output-file=/dev/null "$tmp/merged.po" 2>&1)"
echo "po/$lang.po against the current sources: $stats"

status=0
# msgfmt's statistics leave the header entry out; msgattrib's listings below
# always include it, so they are only for showing what is missing.
untranslated="$(printf '%s\n' "$stats" | sed -n 's/.* \([0-9][0-9]*\) untranslated message.*/\1/p')"
fuzzy="$(printf '%s\n' "$stats" | sed -n 's/.* \([0-9][0-9]*\) fuzzy translation.*/\1/p')"
untranslated="${untranslated:-0}"
fuzzy="${fuzzy:-0}"
if [ "$untranslated" -gt 0 ]; then
  echo "Untranslated:" >&2
  msgattrib --untranslated --no-obsolete --no-wrap "$tmp/merged.po" | grep -E '^(#:|msgid )' | grep -v '^msgid ""$' >&2
  status=1
fi
if [ "$fuzzy" -gt 0 ]; then
  echo "Fuzzy (the original changed; check the translation and remove the fuzzy mark):" >&2
  msgattrib --only-fuzzy --no-obsolete --no-wrap "$tmp/merged.po" | grep -E '^(#:|msgid )' | grep -v '^msgid ""$' >&2
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "Update it: ninja -C <build> counterpart-update-po, then translate the messages above." >&2
fi
exit "$status"
