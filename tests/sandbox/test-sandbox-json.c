/* test-sandbox-json.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fakes' JSON writer (cp-sandbox-json.h) against json-glib's
 * generator, which wrote every response before it: the same values must
 * come out byte for byte the same, down to json-glib's own choice of
 * which characters to escape.
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "cp-sandbox-json.h"

/* VALUE as the fakes' JsonBuilder code wrote it: the builder makes a
 * null of a NULL string. */
static char *
glib_string (const char *value)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *array = NULL;

  json_builder_begin_array (b);
  json_builder_add_string_value (b, value);
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  array = json_to_string (root, FALSE);
  /* without the [ ] */
  return g_strndup (array + 1, strlen (array) - 2);
}

static char *
writer_string (const char *value)
{
  g_autoptr(GString) out = g_string_new (NULL);
  CpSandboxJson w;

  cp_sandbox_json_init (&w, out);
  cp_sandbox_json_string (&w, value);
  return g_strdup (out->str);
}

static void
assert_same_string (const char *value)
{
  g_autofree char *expected = glib_string (value);
  g_autofree char *got = writer_string (value);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_strings (void)
{
  static const char * const samples[] = {
    "",
    "plain",
    "Café “quoted” 日本語 😀",
    "tab\there \"dq\" back\\slash /slash",
    "ctl\001\002\007\b\013\f\016\036\037\177 end",
    "nl\nline\rcr",
    "\342\200\250\342\200\251 \302\240nbsp",
    "\"",
    "\\",
    "ends with a control \001",
    "\037",
  };

  /* every byte below 0x80 alone and among others */
  for (guint c = 1; c < 0x80; c++)
    {
      char alone[2] = { (char) c, '\0' };
      g_autofree char *among = g_strdup_printf ("a%cb%c", c, c);

      assert_same_string (alone);
      assert_same_string (among);
    }
  /* every code point from U+0080 to U+07FF, and some beyond */
  for (gunichar u = 0x80; u < 0x800; u++)
    {
      char utf8[8] = { 0 };

      g_unichar_to_utf8 (u, utf8);
      assert_same_string (utf8);
    }
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    assert_same_string (samples[i]);

  /* json-glib writes a NULL string as null */
  {
    g_autofree char *got = writer_string (NULL);
    g_autofree char *expected = glib_string (NULL);

    g_assert_cmpstr (got, ==, expected);
    g_assert_cmpstr (got, ==, "null");
  }
}

static void
test_ints (void)
{
  gint64 values[] = {
    0, 1, -1, 9, 10, -10, 99, 100, 199, 19999, G_MAXINT32, G_MININT32,
    (gint64) G_MAXUINT32 + 1, G_GINT64_CONSTANT (922337203685477580),
    G_MAXINT64, G_MININT64, G_MININT64 + 1,
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
      g_autoptr(GString) out = g_string_new (NULL);
      g_autofree char *expected = NULL;
      CpSandboxJson w;

      json_node_set_int (node, values[i]);
      expected = json_to_string (node, FALSE);
      cp_sandbox_json_init (&w, out);
      cp_sandbox_json_int (&w, values[i]);
      g_assert_cmpstr (out->str, ==, expected);
    }
}

/* What the JsonBuilder shapes did with a time. */
static char *
glib_time (gint64 unix_us)
{
  g_autoptr(GDateTime) base = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) dt = g_date_time_add (base, unix_us % G_USEC_PER_SEC);
  g_autofree char *text = g_date_time_format_iso8601 (dt);

  return glib_string (text);
}

static void
assert_same_time (gint64 unix_us)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *expected = glib_time (unix_us);
  CpSandboxJson w;

  cp_sandbox_json_init (&w, out);
  cp_sandbox_json_time (&w, unix_us);
  g_assert_cmpstr (out->str, ==, expected);
}

static void
test_times (void)
{
  static const gint64 times[] = {
    0, 1, -1, 999999, 1000000, -1000000, -1000001,
    G_GINT64_CONSTANT (951782400000000),       /* 2000-02-29 */
    G_GINT64_CONSTANT (4107542400000000),      /* 2100-03-01 */
    G_GINT64_CONSTANT (1767225600000000),      /* 2026-01-01 */
    G_GINT64_CONSTANT (1767225600123456),
    G_GINT64_CONSTANT (1780300799999999),
    G_GINT64_CONSTANT (-62135596800000000),    /* 0001-01-01 */
    G_GINT64_CONSTANT (-62135596799999999),
    G_GINT64_CONSTANT (-30000000000000000),
    G_GINT64_CONSTANT (253402300799000000),    /* 9999-12-31T23:59:59 */
    G_GINT64_CONSTANT (253402300799999999),
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    assert_same_time (times[i]);
  /* every day of 1968 to 2104, at a time of day with and without µs */
  for (gint64 day = -731; day < 49710; day++)
    {
      assert_same_time (day * 86400 * G_USEC_PER_SEC);
      assert_same_time ((day * 86400 + 86399) * G_USEC_PER_SEC + day % 1000);
    }
  /* and anywhere in GDateTime's range */
  for (guint i = 0; i < 20000; i++)
    {
      gint64 s = (gint64) g_rand_double_range (rand, -62135596800.0, 253402300799.0);

      assert_same_time (s * G_USEC_PER_SEC + g_rand_int_range (rand, 0, 1000000));
    }
}

static void
test_structure (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  CpSandboxJson w;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "data");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_add_null_value (b);
  json_builder_add_boolean_value (b, TRUE);
  json_builder_begin_array (b);
  json_builder_add_int_value (b, 1);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "a");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "b\"c");
  json_builder_add_string_value (b, "d");
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "empty");
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "more");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "next");
  json_builder_add_null_value (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  expected = json_to_string (root, FALSE);

  cp_sandbox_json_init (&w, out);
  cp_sandbox_json_begin_object (&w);
  cp_sandbox_json_member (&w, "data");
  cp_sandbox_json_begin_array (&w);
  cp_sandbox_json_begin_object (&w);
  cp_sandbox_json_end_object (&w);
  cp_sandbox_json_begin_array (&w);
  cp_sandbox_json_end_array (&w);
  cp_sandbox_json_null (&w);
  cp_sandbox_json_boolean (&w, TRUE);
  cp_sandbox_json_begin_array (&w);
  cp_sandbox_json_int (&w, 1);
  cp_sandbox_json_begin_object (&w);
  cp_sandbox_json_member (&w, "a");
  cp_sandbox_json_begin_array (&w);
  cp_sandbox_json_end_array (&w);
  cp_sandbox_json_member_string (&w, "b\"c", "d");
  cp_sandbox_json_end_object (&w);
  cp_sandbox_json_end_array (&w);
  cp_sandbox_json_end_array (&w);
  cp_sandbox_json_member (&w, "empty");
  cp_sandbox_json_begin_object (&w);
  cp_sandbox_json_end_object (&w);
  cp_sandbox_json_member (&w, "more");
  cp_sandbox_json_boolean (&w, FALSE);
  cp_sandbox_json_member (&w, "next");
  cp_sandbox_json_null (&w);
  cp_sandbox_json_end_object (&w);

  g_assert_cmpstr (out->str, ==, expected);
  g_assert_cmpuint (w.depth, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox/json/strings", test_strings);
  g_test_add_func ("/sandbox/json/ints", test_ints);
  g_test_add_func ("/sandbox/json/times", test_times);
  g_test_add_func ("/sandbox/json/structure", test_structure);

  return g_test_run ();
}
