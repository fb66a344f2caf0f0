/* test-json-parse.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cp-json-parse against the installed json-glib, byte for byte: every
 * tree the fast path returns must be the tree json-glib returns for the
 * same bytes (json-tree-compare.h is stricter than json_node_equal), on
 * the platforms' own payloads, the fuzz corpora, hand-picked edge cases
 * and a few thousand mutated and generated documents. The platforms'
 * payloads must also really take the fast path, or it would be a
 * correct but useless detour; and what the fast path declines must come
 * back through cp_json_parse exactly as json-glib answers it.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "cp-json-parse.h"
#include "json-tree-compare.h"

/* Fails the test on a difference; returns whether the fast path took it. */
static gboolean
check (const char *data,
       gsize       length,
       const char *what)
{
  gboolean took = FALSE;

  for (int immutable = 0; immutable <= 1; immutable++)
    {
      g_autofree char *difference = NULL;
      gboolean fast = json_tree_differential (data, length, immutable, &difference);

      if (difference != NULL)
        g_test_fail_printf ("%s: %s", what, difference);
      if (immutable && fast != took)
        g_test_fail_printf ("%s: taken only when %s", what, took ? "mutable" : "immutable");
      took = fast;
    }
  return took;
}

static void
collect_json_files (const char *dir,
                    GPtrArray  *paths)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_json_files (path, paths);
      else if (g_str_has_suffix (name, ".json"))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
}

/* The answers the platforms send, and the one the engine overhead figure
 * is about: the fast path must read them all, identically. */
static void
test_platform_payloads (void)
{
  const char *shared = g_getenv ("CP_SHARED_FIXTURES");
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) batch = g_string_new ("{\"data\":[");
  g_autofree char *ecomv2 = g_test_build_filename (G_TEST_DIST, "connectors", "fixtures",
                                                   "ecomv2", NULL);
  guint shared_count;

  if (shared != NULL)
    collect_json_files (shared, paths);
  shared_count = paths->len;
  if (shared_count == 0)
    {
      if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
        g_test_fail_printf ("The shared fixtures are missing (%s)", shared ? shared : "unset");
      else
        g_test_message ("The shared fixtures folder is not there");
    }
  collect_json_files (ecomv2, paths);
  g_assert_cmpuint (paths->len, >, shared_count);

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *text = NULL;
      gsize len = 0;

      g_assert_true (g_file_get_contents (path, &text, &len, NULL));
      if (!check (text, len, path))
        g_test_fail_printf ("%s: the fast path declined a platform payload", path);
    }

  /* The ecomv2 fake's batch-update answer, as the push sees it. */
  for (guint i = 1; i <= 100; i++)
    g_string_append_printf (batch, "%s{\"id\":\"prod_%04u\",\"status\":\"updated\"}",
                            i > 1 ? "," : "", i);
  g_string_append (batch, "]}");
  g_assert_true (check (batch->str, batch->len, "batch update"));
}

/* Whatever the fuzzers keep, good or broken: never a different tree. */
static void
test_fuzz_corpora (void)
{
  g_autofree char *root = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", NULL);
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;
  guint files = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *sub = g_build_filename (root, name, NULL);
      g_autoptr(GDir) d = g_dir_open (sub, 0, NULL);
      const char *file;

      while (d != NULL && (file = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *path = g_build_filename (sub, file, NULL);
          g_autofree char *text = NULL;
          gsize len = 0;

          if (g_file_get_contents (path, &text, &len, NULL))
            {
              check (text, len, path);
              files++;
            }
        }
    }
  g_assert_cmpuint (files, >, 20);
}

typedef struct
{
  const char *text;
  gboolean    fast;   /* whether the fast path must take it */
} Case;

static const Case cases[] = {
  /* plain RFC JSON: taken */
  { "{\"a\":1,\"b\":2,\"a\":3}", TRUE },      /* last value, first place */
  { "{\"a\":{\"x\":1},\"a\":[2]}", TRUE },
  { "[true,false,null,\"\",{},[]]", TRUE },
  { " \r\n\t[ 1 , -2 ]\t\r\n ", TRUE },
  { "0", TRUE }, { "-0", TRUE }, { "-0.0", TRUE }, { "0e5", TRUE },
  { "1e5", TRUE }, { "1E+5", TRUE }, { "-1.5e-3", TRUE }, { "0.1", TRUE },
  { "1e400", TRUE }, { "1e-400", TRUE }, { "4.9e-324", TRUE },
  { "1.7976931348623157e308", TRUE }, { "0.30000000000000004", TRUE },
  { "123456789012345678", TRUE }, { "-123456789012345678", TRUE },
  { "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", TRUE },
  { "\"\\u0041\\u00e9\\u4E2D\\uffff\"", TRUE },
  { "\"\\ud83d\\ude00 \\uD83D\\uDE00\"", TRUE },
  { "\"caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80\"", TRUE },
  { "\"a\x7f" "b\"", TRUE },
  { "{\"\":\"\"}", TRUE },
  /* what json-glib reads its own way, or refuses: declined */
  { "", FALSE }, { " \n", FALSE }, { "01", FALSE }, { "-01", FALSE },
  { ".5", FALSE }, { "1.", FALSE }, { "- 1", FALSE }, { "-", FALSE },
  { "0x10", FALSE }, { "1e", FALSE }, { "1e+", FALSE }, { "NaN", FALSE },
  { "1234567890123456789", FALSE }, { "9223372036854775808", FALSE },
  { "99999999999999999999999", FALSE },
  { "/* c */[1]", FALSE }, { "{'a':1}", FALSE }, { "{a:1}", FALSE },
  { "\"\\x\"", FALSE }, { "\"\\U0041\"", FALSE }, { "\"\\u12G4\"", FALSE },
  { "\"a\\u0000b\"", FALSE }, { "\"\\ud83d\"", FALSE }, { "\"\\ude00\"", FALSE },
  { "\"\\ud800\\u0041\"", FALSE }, { "\"\\u00\"", FALSE },
  { "\"\xff\"", FALSE }, { "\"\xc0\x80\"", FALSE }, { "\"\xed\xa0\x80\"", FALSE },
  { "\"\xf4\x90\x80\x80\"", FALSE }, { "\"a\tb\"", FALSE }, { "\"a\x01" "b\"", FALSE },
  { "\xef\xbb\xbf[1]", FALSE }, { "\f[1]", FALSE }, { "\v[1]", FALSE },
  { "[1] x", FALSE }, { "[1][2]", FALSE }, { "[1,]", FALSE }, { "{\"a\":1,}", FALSE },
  { "[1,2", FALSE }, { "{\"a\"", FALSE }, { "{\"a\":}", FALSE }, { "[", FALSE },
  { "tru", FALSE }, { "truex", FALSE }, { "nul", FALSE }, { "\"abc", FALSE },
};

static void
test_edge_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean took = check (cases[i].text, strlen (cases[i].text), cases[i].text);

      if (took != cases[i].fast)
        g_test_fail_printf ("“%s”: the fast path %s it", cases[i].text,
                            took ? "took" : "declined");
    }

  /* A NUL byte in the middle: json-glib refuses the document. */
  g_assert_false (check ("[\"a\0\"]", 6, "NUL in string"));
  g_assert_false (check ("[1]\0", 4, "NUL after"));
}

/* What the fast path declines comes back through cp_json_parse as
 * json-glib answered it: the same tree, the same error. */
static void
test_fallback (void)
{
  const char *refused[] = { "[1,", "{\"a\" 1}", "\"\xff\"", "[1] x", "nul", "\"\\ud83d\"" };
  const char *tolerated[] = { "01", "{'a':1}", "/* c */[1]", "\"\\x\"", "1234567890123456789" };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GError) expected = NULL;
      g_autoptr(GError) error = NULL;
      JsonNode *root = (JsonNode *) 0x1;

      g_assert_false (json_parser_load_from_data (parser, refused[i], -1, &expected));
      g_assert_false (cp_json_parse (refused[i], strlen (refused[i]), CP_JSON_PARSE_IMMUTABLE,
                                     &root, &error));
      g_assert_null (root);
      g_assert_error (error, expected->domain, expected->code);
      g_assert_cmpstr (error->message, ==, expected->message);
    }

  for (guint i = 0; i < G_N_ELEMENTS (tolerated); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *difference = NULL;

      g_assert_null (cp_json_parse_fast (tolerated[i], strlen (tolerated[i]), CP_JSON_PARSE_NONE));
      g_assert_true (json_parser_load_from_data (parser, tolerated[i], -1, NULL));
      g_assert_true (cp_json_parse (tolerated[i], strlen (tolerated[i]), CP_JSON_PARSE_NONE,
                                    &root, &error));
      g_assert_no_error (error);
      difference = json_tree_difference (root, json_parser_get_root (parser), NULL, NULL, "$");
      g_assert_null (difference);
    }

  /* json-glib 1.6 reads blank input as a document with no value. */
  {
    JsonNode *root = (JsonNode *) 0x1;

    g_assert_true (cp_json_parse (" ", 1, CP_JSON_PARSE_NONE, &root, NULL));
    g_assert_null (root);
  }

  /* And the fast path's own answer comes back sealed when asked. */
  {
    g_autoptr(JsonNode) root = NULL;

    g_assert_true (cp_json_parse ("{\"a\":[1]}", 9, CP_JSON_PARSE_IMMUTABLE, &root, NULL));
    g_assert_true (json_node_is_immutable (root));
    g_assert_true (json_node_is_immutable (json_object_get_member (json_node_get_object (root), "a")));
  }
}

static const char *const pieces[] = {
  "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud83d", "\\ude00", "\\u0000", "0", "-",
  ".", "e", "E+", "1", "9", " ", "\n", "\t", "\r", "\f", "true", "null", "\xc3", "\xa9",
  "\xff", "\x01", "/", "'", "\"a\":", "\"a\":1,", "1e999", "18446744073709551616",
};

/* Cut, flipped, spliced: json-glib may take or refuse each, the fast
 * path may only ever agree with it. */
static void
mutate_and_check (GRand      *rand,
                  const char *text,
                  gsize       len,
                  const char *what)
{
  for (guint round = 0; round < 40; round++)
    {
      g_autoptr(GString) m = g_string_new_len (text, len);
      g_autofree char *label = g_strdup_printf ("%s (mutation %u)", what, round);
      guint kind = g_rand_int_range (rand, 0, 4);
      gsize at = m->len > 0 ? g_rand_int_range (rand, 0, m->len) : 0;

      switch (kind)
        {
        case 0:
          g_string_truncate (m, at);
          break;
        case 1:
          if (m->len > 0)
            m->str[at] ^= (char) (1 << g_rand_int_range (rand, 0, 8));
          break;
        case 2:
          g_string_insert (m, at, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
          break;
        default:
          if (m->len > 0)
            {
              gsize n = g_rand_int_range (rand, 1, 4);

              g_string_erase (m, at, MIN (m->len - at, n));
            }
          break;
        }
      check (m->str, m->len, label);
    }
}

static JsonNode *
random_tree (GRand *rand,
             guint  depth)
{
  JsonNode *node = json_node_alloc ();
  guint kind = g_rand_int_range (rand, 0, depth < 4 ? 8 : 6);

  switch (kind)
    {
    case 0:
      return json_node_init_null (node);
    case 1:
      return json_node_init_boolean (node, g_rand_boolean (rand));
    case 2:
      return json_node_init_int (node, (gint64) g_rand_int (rand) * (g_rand_boolean (rand) ? 1 : -1)
                                       * g_rand_int_range (rand, 1, 1000000));
    case 3:
      {
        /* Any finite double, subnormals included. */
        guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
        double value;

        memcpy (&value, &bits, sizeof value);
        return json_node_init_double (node, isfinite (value) ? value : 0.5);
      }
    case 4:
    case 5:
      {
        g_autoptr(GString) s = g_string_new (NULL);
        guint n = g_rand_int_range (rand, 0, 12);

        for (guint i = 0; i < n; i++)
          {
            gunichar c = g_rand_boolean (rand) ? (gunichar) g_rand_int_range (rand, 1, 0x80)
                                               : (gunichar) g_rand_int_range (rand, 0x80, 0xD800);

            /* json-glib 1.6's generator writes U+001F unescaped. */
            g_string_append_unichar (s, c == 0x1F ? 'x' : c);
          }
        return json_node_init_string (node, s->str);
      }
    case 6:
      {
        g_autoptr(JsonArray) array = json_array_new ();
        guint n = g_rand_int_range (rand, 0, 6);

        for (guint i = 0; i < n; i++)
          json_array_add_element (array, random_tree (rand, depth + 1));
        return json_node_init_array (node, array);
      }
    default:
      {
        g_autoptr(JsonObject) object = json_object_new ();
        guint n = g_rand_int_range (rand, 0, 6);

        for (guint i = 0; i < n; i++)
          {
            g_autofree char *name = g_strdup_printf ("k%d", g_rand_int_range (rand, 0, 5));

            json_object_set_member (object, name, random_tree (rand, depth + 1));
          }
        return json_node_init_object (node, object);
      }
    }
}

static void
test_generated (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);

  /* Random documents as json-glib writes them: all RFC, all taken. */
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(JsonNode) tree = random_tree (rand, 0);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;
      g_autofree char *label = g_strdup_printf ("generated %u", i);
      gsize len = 0;

      json_generator_set_root (generator, tree);
      json_generator_set_pretty (generator, g_rand_boolean (rand));
      text = json_generator_to_data (generator, &len);
      if (!check (text, len, label))
        g_test_fail_printf ("%s: the fast path declined “%s”", label, text);
      if (i < 60)
        mutate_and_check (rand, text, len, label);
    }

  /* Numbers of every shape json-glib might read its own way. */
  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(GString) s = g_string_new ("[");
      guint digits = g_rand_int_range (rand, 1, 24);

      if (g_rand_boolean (rand))
        g_string_append_c (s, '-');
      for (guint d = 0; d < digits; d++)
        g_string_append_c (s, '0' + g_rand_int_range (rand, d == 0 ? 0 : 0, 10));
      if (g_rand_int_range (rand, 0, 3) == 0)
        {
          g_string_append_c (s, '.');
          for (guint d = g_rand_int_range (rand, 0, 20); d > 0; d--)
            g_string_append_c (s, '0' + g_rand_int_range (rand, 0, 10));
        }
      if (g_rand_int_range (rand, 0, 3) == 0)
        g_string_append_printf (s, "%s%s%d", g_rand_boolean (rand) ? "e" : "E",
                                (const char *[]) { "", "+", "-" }[g_rand_int_range (rand, 0, 3)],
                                g_rand_int_range (rand, 0, 400));
      g_string_append_c (s, ']');
      check (s->str, s->len, s->str);
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    mutate_and_check (rand, cases[i].text, strlen (cases[i].text), cases[i].text);
}

/* Nesting the fast path refuses to follow goes to json-glib. */
static char *
nested (guint depth)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

static void
test_deep (void)
{
  g_autofree char *deep = nested (600);
  g_autofree char *fine = nested (200);

  g_assert_false (check (deep, strlen (deep), "600 deep"));
  g_assert_true (check (fine, strlen (fine), "200 deep"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-parse/platform-payloads", test_platform_payloads);
  g_test_add_func ("/json-parse/fuzz-corpora", test_fuzz_corpora);
  g_test_add_func ("/json-parse/edge-cases", test_edge_cases);
  g_test_add_func ("/json-parse/fallback", test_fallback);
  g_test_add_func ("/json-parse/generated", test_generated);
  g_test_add_func ("/json-parse/deep", test_deep);

  return g_test_run ();
}
