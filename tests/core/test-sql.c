/* test-sql.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The id lists the batch statements read through json_each: written
 * without printf, they must still say exactly what printf would.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cp-sql.h"

static const gint64 edge_values[] = {
  0, 1, -1, 9, 10, -10, 99, 100, 123456789, -987654321,
  G_MAXINT32, G_MININT32, (gint64) G_MAXINT32 + 1,
  G_MAXINT64, G_MAXINT64 - 1, G_MININT64, G_MININT64 + 1,
};

static void
test_append_int64 (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (edge_values); i++)
    {
      g_autoptr(GString) out = g_string_new ("x");
      g_autofree char *expected = g_strdup_printf ("x%" G_GINT64_FORMAT, edge_values[i]);

      cp_sql_append_int64 (out, edge_values[i]);
      g_assert_cmpstr (out->str, ==, expected);
    }
  {
    g_autoptr(GString) out = g_string_new (NULL);

    cp_sql_append_int64 (out, G_MININT64);
    g_assert_cmpstr (out->str, ==, "-9223372036854775808");
    g_string_truncate (out, 0);
    cp_sql_append_int64 (out, G_MAXINT64);
    g_assert_cmpstr (out->str, ==, "9223372036854775807");
  }
}

static void
test_ids_to_json (void)
{
  static const gint64 ids[] = { 0, -5, 42, G_MININT64, G_MAXINT64 };
  g_autofree char *empty = cp_sql_ids_to_json (NULL, 0, FALSE);
  g_autofree char *empty_text = cp_sql_ids_to_json (NULL, 0, TRUE);
  g_autofree char *one = cp_sql_ids_to_json (ids + 2, 1, FALSE);
  g_autofree char *numbers = cp_sql_ids_to_json (ids, G_N_ELEMENTS (ids), FALSE);
  g_autofree char *texts = cp_sql_ids_to_json (ids, G_N_ELEMENTS (ids), TRUE);

  g_assert_cmpstr (empty, ==, "[]");
  g_assert_cmpstr (empty_text, ==, "[]");
  g_assert_cmpstr (one, ==, "[42]");
  g_assert_cmpstr (numbers, ==, "[0,-5,42,-9223372036854775808,9223372036854775807]");
  g_assert_cmpstr (texts, ==,
                   "[\"0\",\"-5\",\"42\",\"-9223372036854775808\",\"9223372036854775807\"]");
}

/* What SQLite reads back: every id, as an integer or as text. */
static void
test_bind_ids_json_each (void)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT value, typeof (value) FROM json_each (?1)"
                                       " ORDER BY key", -1, &stmt, NULL), ==, SQLITE_OK);

  cp_sql_bind_ids (stmt, 1, edge_values, G_N_ELEMENTS (edge_values), FALSE);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_assert_cmpuint (n, <, G_N_ELEMENTS (edge_values));
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "integer");
      g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, edge_values[n]);
      n++;
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (edge_values));

  sqlite3_reset (stmt);
  n = 0;
  cp_sql_bind_ids (stmt, 1, edge_values, G_N_ELEMENTS (edge_values), TRUE);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT, edge_values[n]);

      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "text");
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, expected);
      n++;
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (edge_values));

  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* A run is what "BETWEEN first AND last" names exactly: consecutive,
 * ascending, each id once. */
static void
test_ids_are_run (void)
{
  static const gint64 one[] = { 5 };
  static const gint64 run[] = { 5, 6, 7, 8 };
  static const gint64 gap[] = { 5, 6, 8 };
  static const gint64 descending[] = { 7, 6, 5 };
  static const gint64 twice[] = { 5, 5, 6 };
  static const gint64 top[] = { G_MAXINT64 - 1, G_MAXINT64 };
  static const gint64 wraps[] = { G_MAXINT64, G_MININT64 };
  static const gint64 negative[] = { -2, -1, 0, 1 };

  g_assert_false (cp_sql_ids_are_run (NULL, 0));
  g_assert_true (cp_sql_ids_are_run (one, G_N_ELEMENTS (one)));
  g_assert_true (cp_sql_ids_are_run (run, G_N_ELEMENTS (run)));
  g_assert_true (cp_sql_ids_are_run (negative, G_N_ELEMENTS (negative)));
  g_assert_true (cp_sql_ids_are_run (top, G_N_ELEMENTS (top)));
  g_assert_false (cp_sql_ids_are_run (gap, G_N_ELEMENTS (gap)));
  g_assert_false (cp_sql_ids_are_run (descending, G_N_ELEMENTS (descending)));
  g_assert_false (cp_sql_ids_are_run (twice, G_N_ELEMENTS (twice)));
  g_assert_false (cp_sql_ids_are_run (wraps, G_N_ELEMENTS (wraps)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sql/append-int64", test_append_int64);
  g_test_add_func ("/sql/ids-to-json", test_ids_to_json);
  g_test_add_func ("/sql/bind-ids-json-each", test_bind_ids_json_each);
  g_test_add_func ("/sql/ids-are-run", test_ids_are_run);

  return g_test_run ();
}
