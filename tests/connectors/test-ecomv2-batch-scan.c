/* test-ecomv2-batch-scan.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PATCH /batch/update's answer read straight from the bytes
 * (ecomv2_scan_batch_results) against the tree path it stands in for
 * (ecomv2_parse_json + ecomv2_parse_batch_results): on the fixtures, on
 * generated answers and on thousands of mutations of them, whenever the
 * fast reader answers, its results are the tree path's; when the tree
 * path fails, the fast reader declines. Typical answers must take the
 * fast path, or the push is as slow as before.
 */

#include "config.h"

#include <string.h>

#include "cp-ecomv2-private.h"
#include "ecomv2-batch-check.h"
#include "cp-json-limits.h"
#include "cp-json-parse.h"

typedef enum
{
  FAST_DECLINED,
  FAST_TAKEN,
} Outcome;

static GPtrArray *
results_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) ecomv2_item_result_free);
}

/* The scanner skips a whole document exactly when the fast parser
 * builds its tree: one reader, one set of rules. */
static void
check_scanner (const char *data,
               gsize       length)
{
  g_autoptr(CpJsonScanner) scanner = cp_json_scanner_new (data, length, 512);
  g_autoptr(JsonNode) root = cp_json_parse_fast (data, length, CP_JSON_PARSE_NONE);
  gboolean skipped = cp_json_scanner_skip (scanner) && cp_json_scanner_at_end (scanner);

  g_assert_cmpint (skipped, ==, root != NULL);
}

/* The differential check: what the fast reader did with DATA. */
static Outcome
check_same (const char *data,
            gsize       length)
{
  g_autoptr(GPtrArray) tree = results_new ();
  g_autoptr(GPtrArray) fast = results_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = ecomv2_parse_json (data, length, &error);
  gboolean tree_ok = error == NULL && ecomv2_parse_batch_results (root, tree, &error);

  check_scanner (data, length);

  if (!ecomv2_scan_batch_results (data, length, fast))
    {
      g_assert_cmpuint (fast->len, ==, 0);
      return FAST_DECLINED;
    }
  if (!tree_ok)
    g_error ("the fast reader read an answer the tree path refuses (%s): %.*s",
             error->message, (int) MIN (length, 400), data);
  ecomv2_assert_same_results (tree, fast);
  return FAST_TAKEN;
}

static Outcome
check_text (const char *text)
{
  return check_same (text, strlen (text));
}

/* A batch answer of N items like the sandbox's, with the odd things a
 * platform may add when ODD. */
static char *
make_answer (GRand    *rand,
             guint     n,
             gboolean  odd)
{
  GString *s = g_string_new ("{\"data\":[");

  for (guint i = 0; i < n; i++)
    {
      gboolean refused = g_rand_int_range (rand, 0, 5) == 0;

      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, '{');
      if (odd && g_rand_boolean (rand))
        g_string_append (s, "\"extra\":{\"a\":[1,2.5e3,true,null,{\"b\":\"\\u00e9\\n\"}]},");
      if (odd && g_rand_int_range (rand, 0, 3) == 0)
        g_string_append_printf (s, "\"id\":%u", 1000 + i);
      else
        g_string_append_printf (s, "\"id\":\"prod_%04u\"", i);
      if (refused)
        g_string_append_printf (s, ",\"status\":\"failed\",\"error\":{\"code\":\"%s\","
                                "\"message\":\"Quantity \\\"%u\\\" is not valid \\ud83d\\ude00 é\"}",
                                g_rand_boolean (rand) ? "VALIDATION_ERROR" : "NOT_FOUND", i);
      else
        g_string_append (s, odd && g_rand_boolean (rand) ? ",\"status\":\"ok\"" : ",\"status\":\"updated\"");
      if (odd && g_rand_int_range (rand, 0, 4) == 0)
        g_string_append (s, " ,\n\t\"status\" : \"success\" ");
      g_string_append_c (s, '}');
    }
  g_string_append (s, "]");
  if (odd)
    g_string_append (s, ",\"meta\":{\"request_id\":\"req_1\",\"n\":[[],{}]}");
  g_string_append (s, "}");
  return g_string_free (s, FALSE);
}

static void
test_fixtures (void)
{
  const char *dirs[][2] = {
    { "connectors", "fixtures/ecomv2" },
    { "fuzz", "corpus/ecomv2" },
  };
  guint files = 0, taken = 0;

  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, dirs[d][0], dirs[d][1], NULL);
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file = g_build_filename (path, name, NULL);
          g_autofree char *contents = NULL;
          gsize length = 0;
          Outcome outcome;

          g_assert_true (g_file_get_contents (file, &contents, &length, NULL));
          outcome = check_same (contents, length);
          files++;
          if (outcome == FAST_TAKEN)
            taken++;
          /* The seed's example answer is the hot path. */
          if (g_str_equal (name, "batch-update.json"))
            g_assert_cmpint (outcome, ==, FAST_TAKEN);
        }
    }
  g_assert_cmpuint (files, >, 10);
  g_assert_cmpuint (taken, >=, 2);
}

static void
test_typical (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);

  for (guint round = 0; round < 20; round++)
    {
      g_autofree char *plain = make_answer (rand, 100, FALSE);
      g_autofree char *odd = make_answer (rand, 100, TRUE);

      g_assert_cmpint (check_text (plain), ==, FAST_TAKEN);
      g_assert_cmpint (check_text (odd), ==, FAST_TAKEN);
    }
  g_assert_cmpint (check_text ("{\"data\":[]}"), ==, FAST_TAKEN);
  g_assert_cmpint (check_text (" \n{ \"data\" : [ ] } \r\n"), ==, FAST_TAKEN);
}

/* Each written so that the tree path succeeds: the fast one must too. */
static void
test_edges (void)
{
  const char *cases[] = {
    /* duplicates: the last one wins */
    "{\"data\":[{\"id\":\"a\",\"id\":\"b\",\"status\":\"failed\",\"status\":\"updated\"}]}",
    "{\"data\":[{\"id\":\"a\",\"error\":{\"code\":\"X\",\"message\":\"m\"},\"error\":null,\"status\":\"ok\"}]}",
    "{\"data\":[{\"id\":\"a\",\"error\":{\"code\":\"X\"},\"error\":{\"message\":\"m\"},\"status\":\"ok\"}]}",
    "{\"data\":[{\"error\":{\"code\":\"X\",\"code\":\"Y\",\"message\":\"1\",\"message\":null}}]}",
    "{\"data\":[{\"id\":\"x\",\"status\":\"failed\"}],\"data\":[{\"id\":\"y\",\"status\":\"ok\"}]}",
    "{\"data\":{\"a\":1},\"data\":[{\"id\":\"y\",\"status\":\"ok\"}]}",
    /* ids */
    "{\"data\":[{\"id\":-42,\"status\":\"ok\"},{\"id\":\"\",\"status\":\"ok\"},{\"id\":1.5,\"status\":\"ok\"},"
    "{\"id\":true,\"status\":\"ok\"},{\"id\":null,\"status\":\"ok\"},{\"id\":[1],\"status\":\"ok\"},"
    "{\"status\":\"ok\"},{\"id\":{\"a\":\"b\"},\"status\":\"ok\"},{\"id\":123456789012345678,\"status\":\"ok\"}]}",
    /* status and error */
    "{\"data\":[{\"status\":null,\"error\":{}},{\"status\":\"UPDATED\"},{\"status\":\"\"},"
    "{\"error\":{\"code\":5,\"message\":[\"x\"]}},{\"status\":\"updated\",\"error\":{\"code\":\"E\"}}]}",
    "{\"data\":[{\"status\":\"failed\",\"error\":\"not an object\"}]}",
    "{\"data\":[{\"status\":\"x\",\"error\":{\"code\":\"A\\u0041\\/\\b\\f\\n\\r\\t\\\\\\\"\"}}]}",
    /* unknown members, nested */
    "{\"x\":{\"data\":[1]},\"data\":[{\"status\":\"ok\",\"q\":[[[{\"data\":{}}]]]}],\"y\":-0.5E-3}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      g_assert_cmpint (check_text (cases[i]), ==, FAST_TAKEN);
    }
}

/* Each one the tree path refuses or reads through json-glib's own
 * parser: the fast reader declines, and check_same has checked it did. */
static void
test_declined (void)
{
  const char *cases[] = {
    "",
    "   ",
    "[]",
    "{}",
    "{\"data\":null}",
    "{\"data\":[1]}",
    "{\"data\":[{\"id\":\"a\"}]}",
    "{\"data\":[{\"status\":1}]}",
    "{\"data\":[{\"status\":{}}]}",
    "{\"data\":[{\"status\":\"ok\"}],\"data\":3}",
    "{\"data\":[{\"status\":\"ok\"}]} x",
    "{\"data\":[{\"status\":\"ok\"}]",
    "{\"data\":[{\"status\":\"ok\",}]}",
    "{\"data\":[{\"status\":\"o\\u0000k\"}]}",
    "{\"data\":[{\"status\":\"ok\",\"id\":01}]}",
    "{\"data\":[{\"status\":\"ok\",\"id\":1234567890123456789}]}",
    "{'data':[]}",
    "/* c */{\"data\":[]}",
    "{\"data\":[{\"status\":\"\\ud800\"}]}",
    "{\"data\":[{\"status\":\"\xff\"}]}",
    "\xef\xbb\xbf{\"data\":[]}",
  };
  GString *deep = g_string_new ("{\"data\":[{\"status\":\"ok\",\"x\":");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      g_assert_cmpint (check_text (cases[i]), ==, FAST_DECLINED);
    }

  /* Past the pre-scan's depth the tree path refuses: so must we. */
  for (guint i = 0; i < CP_JSON_LIMITS_DEFAULT_MAX_DEPTH; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < CP_JSON_LIMITS_DEFAULT_MAX_DEPTH; i++)
    g_string_append_c (deep, ']');
  g_string_append (deep, "}]}");
  g_assert_cmpint (check_same (deep->str, deep->len), ==, FAST_DECLINED);
  g_string_free (deep, TRUE);
}

static void
test_mutations (void)
{
  static const char alphabet[] = "{}[],:\"\\ 0123456789-.eEtrufalsn\xc3\xa9\xff\x01uXd";
  g_autoptr(GRand) rand = g_rand_new_with_seed (17);
  guint taken = 0, declined = 0;

  for (guint round = 0; round < 4000; round++)
    {
      g_autofree char *base = make_answer (rand, g_rand_int_range (rand, 1, 6), TRUE);
      GString *s = g_string_new (base);
      guint edits = g_rand_int_range (rand, 1, 4);

      for (guint e = 0; e < edits && s->len > 0; e++)
        {
          gsize at = g_rand_int_range (rand, 0, s->len);
          char c = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

          switch (g_rand_int_range (rand, 0, 5))
            {
            case 0: s->str[at] = c; break;
            case 1: g_string_insert_c (s, at, c); break;
            case 2: g_string_erase (s, at, 1); break;
            case 3: g_string_truncate (s, at); break;
            default:
              {
                /* a piece of the answer repeated elsewhere */
                gsize from = g_rand_int_range (rand, 0, s->len);
                gsize len = MIN ((gsize) g_rand_int_range (rand, 1, 40), s->len - from);
                g_autofree char *piece = g_strndup (s->str + from, len);

                g_string_insert_len (s, at, piece, len);
              }
              break;
            }
        }
      if (check_same (s->str, s->len) == FAST_TAKEN)
        taken++;
      else
        declined++;
      g_string_free (s, TRUE);
    }
  /* Both sides were exercised. */
  g_assert_cmpuint (taken, >, 100);
  g_assert_cmpuint (declined, >, 100);
}

/* Through the response: the fast path, and the fallback's errors being
 * those ecomv2_http_call and ecomv2_parse_batch_results give. */
static void
read_response (const char  *body,
               GPtrArray   *out,
               GError     **error,
               gboolean    *out_ok,
               gboolean    *out_tree)
{
  Ecomv2Response response = { .defer_json = TRUE };

  response.status = 200;
  response.method = g_strdup ("PATCH");
  response.url = g_strdup ("http://127.0.0.1:1/v2/batch/update");
  response.request_body = g_strdup ("{\"updates\":[]}");
  response.body = g_bytes_new (body, strlen (body));
  *out_ok = ecomv2_response_read_batch (&response, out, error);
  /* the fast path builds no tree */
  *out_tree = response.root != NULL;
  ecomv2_response_clear (&response);
}

static void
test_response (void)
{
  g_autoptr(GPtrArray) results = results_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) expected = NULL;
  g_autoptr(JsonNode) root = NULL;
  gboolean ok = FALSE, tree = FALSE;

  read_response ("{\"data\":[{\"id\":\"p1\",\"status\":\"updated\"},{\"id\":7,\"error\":{\"code\":\"C\",\"message\":\"M\"}}]}",
                 results, &error, &ok, &tree);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_false (tree);
  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpstr (((Ecomv2ItemResult *) results->pdata[1])->id, ==, "7");
  g_assert_cmpstr (((Ecomv2ItemResult *) results->pdata[1])->code, ==, "C");

  /* garbled: ecomv2_parse_json's TRANSIENT, as the call gave it */
  g_ptr_array_set_size (results, 0);
  root = ecomv2_parse_json ("{\"data\":[", strlen ("{\"data\":["), &expected);
  g_assert_nonnull (expected);
  read_response ("{\"data\":[", results, &error, &ok, &tree);
  g_assert_false (ok);
  g_assert_error (error, CP_CONNECTOR_ERROR, expected->code);
  g_assert_cmpstr (error->message, ==, expected->message);
  g_assert_nonnull (cp_connector_error_get_exchange (error));
  g_clear_error (&error);
  g_clear_error (&expected);

  /* the wrong shape: ecomv2_parse_batch_results' REMOTE_BUG */
  g_clear_pointer (&root, json_node_unref);
  root = ecomv2_parse_json ("{\"data\":[{\"id\":1}]}", strlen ("{\"data\":[{\"id\":1}]}"), &expected);
  g_assert_no_error (expected);
  g_assert_false (ecomv2_parse_batch_results (root, results, &expected));
  read_response ("{\"data\":[{\"id\":1}]}", results, &error, &ok, &tree);
  g_assert_true (tree);
  g_assert_false (ok);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_REMOTE_BUG);
  g_assert_cmpstr (error->message, ==, expected->message);
  g_assert_nonnull (cp_connector_error_get_exchange (error));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ecomv2/batch-scan/fixtures", test_fixtures);
  g_test_add_func ("/ecomv2/batch-scan/typical", test_typical);
  g_test_add_func ("/ecomv2/batch-scan/edges", test_edges);
  g_test_add_func ("/ecomv2/batch-scan/declined", test_declined);
  g_test_add_func ("/ecomv2/batch-scan/mutations", test_mutations);
  g_test_add_func ("/ecomv2/batch-scan/response", test_response);
  return g_test_run ();
}
