/* test-json-limits.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-json-limits"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "cp-json-limits.h"

static char *
nested (guint        levels,
        const char  *open,
        const char  *close)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < levels; i++)
    g_string_append (text, open);
  for (guint i = 0; i < levels; i++)
    g_string_append (text, close);
  return g_string_free (text, FALSE);
}

static gboolean
check (const char *text,
       guint       max_depth,
       GError    **error)
{
  return cp_json_check_limits (text, strlen (text), G_MAXSIZE, max_depth, error);
}

static void
test_depth_boundary (void)
{
  g_autofree char *at_limit = nested (64, "[", "]");
  g_autofree char *past_limit = nested (65, "[", "]");
  g_autofree char *objects = nested (65, "{\"a\":", "}");
  g_autoptr(GError) error = NULL;

  g_assert_true (check (at_limit, 64, &error));
  g_assert_no_error (error);

  g_assert_false (check (past_limit, 64, &error));
  g_assert_error (error, CP_JSON_LIMITS_ERROR, CP_JSON_LIMITS_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (error->message, "more than 64 levels"));
  g_clear_error (&error);

  g_assert_false (check (objects, 64, &error));
  g_assert_error (error, CP_JSON_LIMITS_ERROR, CP_JSON_LIMITS_ERROR_TOO_DEEP);
  g_clear_error (&error);

  /* Depth is nesting, not the number of containers: siblings do not add up. */
  g_assert_true (check ("[[1],[2],[3],{\"a\":1},{}]", 2, &error));
  g_assert_false (check ("[[[1]]]", 2, &error));
  g_clear_error (&error);

  /* Scalars and empty input are depth 0. */
  g_assert_true (check ("", 1, NULL));
  g_assert_true (check ("42", 1, NULL));
  g_assert_true (check ("\"[[[[\"", 1, NULL));
}

static void
test_strings_skipped (void)
{
  g_autoptr(GError) error = NULL;

  /* Brackets in strings do not count, nor do escaped quotes end them. */
  g_assert_true (check ("[\"[[[[{{{{\"]", 1, &error));
  g_assert_no_error (error);
  g_assert_true (check ("[\"a\\\"[[[[\"]", 1, &error));
  g_assert_no_error (error);
  /* An escaped backslash before a quote: the quote does end the string,
   * so the brackets after it are real. */
  g_assert_false (check ("[\"a\\\\\",[[]]]", 2, &error));
  g_assert_error (error, CP_JSON_LIMITS_ERROR, CP_JSON_LIMITS_ERROR_TOO_DEEP);
  g_clear_error (&error);
  g_assert_true (check ("[\"a\\\\\",[]]", 2, &error));
  g_assert_no_error (error);
  /* Closers in strings must not lower the count either. */
  g_assert_false (check ("[\"]]]]\",[[]]]", 2, &error));
  g_clear_error (&error);
  /* \u escapes are just bytes inside the string. */
  g_assert_true (check ("[\"\\u005b\\u005b\"]", 1, NULL));
}

static void
test_size (void)
{
  g_autoptr(GError) error = NULL;
  const char *text = "[1,2,3]";

  g_assert_true (cp_json_check_limits (text, 7, 7, 64, &error));
  g_assert_no_error (error);
  g_assert_false (cp_json_check_limits (text, 7, 6, 64, &error));
  g_assert_error (error, CP_JSON_LIMITS_ERROR, CP_JSON_LIMITS_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* The size is refused before the bytes are read: a claimed length far
   * past the buffer must not be touched. */
  g_assert_false (cp_json_check_limits (text, (gsize) 1 << 40, CP_JSON_LIMITS_DEFAULT_MAX_BYTES,
                                        64, &error));
  g_assert_error (error, CP_JSON_LIMITS_ERROR, CP_JSON_LIMITS_ERROR_TOO_LARGE);
  /* GLib puts a no-break space between number and unit. */
  g_assert_nonnull (strstr (error->message, "limit of 1.0"));
  g_assert_nonnull (strstr (error->message, "MiB"));
  g_assert_nonnull (strstr (error->message, "smaller parts"));
}

/* The reason for the module: a document json-glib 1.6 would crash on is
 * refused in one pass. */
static void
test_hostile_depth (void)
{
  const gsize levels = 1000000;
  g_autofree char *deep = g_malloc (levels * 2);
  g_autoptr(GError) error = NULL;

  memset (deep, '[', levels);
  memset (deep + levels, ']', levels);
  g_assert_false (cp_json_check_limits (deep, levels * 2, G_MAXSIZE,
                                        CP_JSON_LIMITS_DEFAULT_MAX_DEPTH, &error));
  g_assert_error (error, CP_JSON_LIMITS_ERROR, CP_JSON_LIMITS_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (error->message, "at byte 65"));
}

/* Whatever passes the scan is safe to hand to json-glib, and ordinary
 * documents pass. */
static void
test_passes_to_json_glib (void)
{
  const char *doc = "{\"sales\":[{\"id\":\"s-1\",\"note\":\"a [bracket] and a \\\"quote\\\"\","
                    "\"lines\":[{\"sku\":\"A\",\"quantity\":2}]}]}";
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_json_check_limits (doc, strlen (doc), CP_JSON_LIMITS_DEFAULT_MAX_BYTES,
                                       CP_JSON_LIMITS_DEFAULT_MAX_DEPTH, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, doc, -1, &error));
  g_assert_no_error (error);
}

/* Feeding a document in pieces gives the same verdict as feeding it
 * whole, wherever it is cut: strings and escapes straddle chunks. */
static void
test_streaming_matches_one_shot (void)
{
  static const char * const docs[] = {
    "[\"a\\\"[[[[\",[[1]]]",
    "[\"a\\\\\",[[]]]",
    "[\"]]]]\",[[]]]",
    "{\"k\":\"\\\\\\\"[\",\"l\":[[[]]]}",
    "[[[]]]",
    "[[],[],[[]]]",
  };

  for (guint d = 0; d < G_N_ELEMENTS (docs); d++)
    {
      gsize length = strlen (docs[d]);
      gboolean expected = check (docs[d], 3, NULL);

      for (gsize cut1 = 0; cut1 <= length; cut1++)
        for (gsize cut2 = cut1; cut2 <= length; cut2++)
          {
            g_autoptr(CpJsonLimitsScanner) scanner = cp_json_limits_scanner_new (G_MAXSIZE, 3);
            g_autoptr(GError) error = NULL;
            gboolean ok;

            ok = cp_json_limits_scanner_feed (scanner, docs[d], cut1, &error)
                 && cp_json_limits_scanner_feed (scanner, docs[d] + cut1, cut2 - cut1, &error)
                 && cp_json_limits_scanner_feed (scanner, docs[d] + cut2, length - cut2, &error);
            if (ok != expected)
              g_error ("document %u cut at %" G_GSIZE_FORMAT ",%" G_GSIZE_FORMAT
                       ": streaming says %d, one-shot %d", d, cut1, cut2, ok, expected);
            g_assert_true (ok == (error == NULL));
          }
    }

  /* Byte by byte too. */
  {
    const char *doc = "[\"\\\\\\\"]]\",[\"[\"]]";
    g_autoptr(CpJsonLimitsScanner) scanner = cp_json_limits_scanner_new (G_MAXSIZE, 2);

    for (gsize i = 0; doc[i] != '\0'; i++)
      g_assert_true (cp_json_limits_scanner_feed (scanner, doc + i, 1, NULL));
    g_assert_cmpuint (cp_json_limits_scanner_get_max_depth_seen (scanner), ==, 2);
    g_assert_cmpuint (cp_json_limits_scanner_get_bytes (scanner), ==, strlen (doc));
  }
}

static void
test_streaming_limits (void)
{
  g_autoptr(CpJsonLimitsScanner) scanner = cp_json_limits_scanner_new (10, 64);
  g_autoptr(CpJsonLimitsScanner) deep = cp_json_limits_scanner_new (G_MAXSIZE, 4);
  g_autoptr(GError) error = NULL;

  /* Bytes add up over chunks; the chunk that crosses the limit is refused. */
  g_assert_true (cp_json_limits_scanner_feed (scanner, "[1,2,", 5, &error));
  g_assert_true (cp_json_limits_scanner_feed (scanner, "3,4,5", 5, &error));
  g_assert_cmpuint (cp_json_limits_scanner_get_bytes (scanner), ==, 10);
  g_assert_false (cp_json_limits_scanner_feed (scanner, "]", 1, &error));
  g_assert_error (error, CP_JSON_LIMITS_ERROR, CP_JSON_LIMITS_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "10 bytes"));
  g_clear_error (&error);

  /* Once refused, always refused, even for an empty chunk. */
  g_assert_false (cp_json_limits_scanner_feed (scanner, "", 0, &error));
  g_assert_error (error, CP_JSON_LIMITS_ERROR, CP_JSON_LIMITS_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* Depth carries over chunks too. */
  g_assert_true (cp_json_limits_scanner_feed (deep, "[[", 2, &error));
  g_assert_true (cp_json_limits_scanner_feed (deep, "[[", 2, &error));
  g_assert_false (cp_json_limits_scanner_feed (deep, "[", 1, &error));
  g_assert_error (error, CP_JSON_LIMITS_ERROR, CP_JSON_LIMITS_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (error->message, "at byte 5"));
  g_clear_error (&error);
  g_assert_false (cp_json_limits_scanner_feed (deep, "]", 1, &error));
  g_assert_error (error, CP_JSON_LIMITS_ERROR, CP_JSON_LIMITS_ERROR_TOO_DEEP);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-limits/depth-boundary", test_depth_boundary);
  g_test_add_func ("/json-limits/strings-skipped", test_strings_skipped);
  g_test_add_func ("/json-limits/size", test_size);
  g_test_add_func ("/json-limits/hostile-depth", test_hostile_depth);
  g_test_add_func ("/json-limits/passes-to-json-glib", test_passes_to_json_glib);
  g_test_add_func ("/json-limits/streaming-matches-one-shot", test_streaming_matches_one_shot);
  g_test_add_func ("/json-limits/streaming-limits", test_streaming_limits);

  return g_test_run ();
}
