/* fuzz-json-parse.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for cp-json-parse, differential against json-glib:
 * whenever the fast path returns a tree, json-glib must return the very
 * same one (tests/core/json-tree-compare.h, stricter than
 * json_node_equal), sealed or not; and cp_json_parse, fast or falling
 * back, must succeed and fail exactly when json-glib does, with its
 * error. Any difference aborts.
 */

#include "config.h"

#include <stdint.h>

#include "cp-json-limits.h"
#include "cp-json-parse.h"
#include "../core/json-tree-compare.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;

  /* json-glib 1.6 has no depth limit and crashes deep down: the callers
   * pre-scan, and so does this. */
  if (!cp_json_check_limits (text, size, 256 * 1024, CP_JSON_LIMITS_DEFAULT_MAX_DEPTH, NULL))
    return 0;

  for (int immutable = 0; immutable <= 1; immutable++)
    {
      g_autofree char *difference = NULL;
      g_autoptr(JsonParser) parser = immutable ? json_parser_new_immutable () : json_parser_new ();
      g_autoptr(GError) expected = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = NULL;
      gboolean expected_ok, ok;

      json_tree_differential (text, size, immutable, &difference);
      if (difference != NULL)
        g_error ("The fast path differs from json-glib: %s", difference);

      expected_ok = json_parser_load_from_data (parser, text, (gssize) size, &expected);
      ok = cp_json_parse (text, size, immutable ? CP_JSON_PARSE_IMMUTABLE : CP_JSON_PARSE_NONE,
                          &root, &error);
      g_assert_true (ok == expected_ok);
      if (ok)
        {
          g_clear_pointer (&difference, g_free);
          difference = json_tree_difference (root, json_parser_get_root (parser), NULL, NULL, "$");
          if (difference != NULL)
            g_error ("cp_json_parse differs from json-glib: %s", difference);
        }
      else
        {
          g_assert_null (root);
          g_assert_true (error->domain == expected->domain && error->code == expected->code);
          g_assert_cmpstr (error->message, ==, expected->message);
        }
    }
  return 0;
}
