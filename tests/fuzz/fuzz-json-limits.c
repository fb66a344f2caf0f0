/* fuzz-json-limits.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the JSON pre-scan that stands between outside
 * bytes and json-glib. Whatever the bytes: the streaming scanner, cut
 * anywhere, agrees with the one-shot check; and whatever the check lets
 * through, json-glib parses without crashing, because that is the only
 * promise the pre-scan makes.
 */

#include "config.h"

#include <stdint.h>

#include <json-glib/json-glib.h>

#include "cp-json-limits.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define FUZZ_MAX_BYTES (256 * 1024)
#define FUZZ_MAX_DEPTH 64

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) stream_error = NULL;
  g_autoptr(CpJsonLimitsScanner) scanner = NULL;
  gsize cut = size > 0 ? data[0] % (size + 1) : 0;
  gboolean ok;
  gboolean stream_ok;

  ok = cp_json_check_limits (text, size, FUZZ_MAX_BYTES, FUZZ_MAX_DEPTH, &error);
  g_assert_true (ok == (error == NULL));

  scanner = cp_json_limits_scanner_new (FUZZ_MAX_BYTES, FUZZ_MAX_DEPTH);
  stream_ok = cp_json_limits_scanner_feed (scanner, text, cut, &stream_error)
              && cp_json_limits_scanner_feed (scanner, text + cut, size - cut, &stream_error);
  g_assert_true (stream_ok == ok);
  if (!ok)
    {
      g_assert_true (g_error_matches (stream_error, error->domain, error->code));
      return 0;
    }

  g_assert_cmpuint (cp_json_limits_scanner_get_max_depth_seen (scanner), <=, FUZZ_MAX_DEPTH);

  {
    g_autoptr(JsonParser) parser = json_parser_new_immutable ();
    g_autoptr(GError) parse_error = NULL;

    /* Valid or not, it must come back. */
    json_parser_load_from_data (parser, text, size, &parse_error);
  }

  return 0;
}
