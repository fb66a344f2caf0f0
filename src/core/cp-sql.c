/* cp-sql.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-sql"

#include "config.h"

#include "cp-sql.h"

void
cp_sql_bind_text (sqlite3_stmt *stmt,
                  int           index,
                  const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

void
cp_sql_bind_text_or_null (sqlite3_stmt *stmt,
                          int           index,
                          const char   *text)
{
  cp_sql_bind_text (stmt, index, (text != NULL && *text != '\0') ? text : NULL);
}

char *
cp_sql_dup_text (sqlite3_stmt *stmt,
                 int           column)
{
  const unsigned char *text;

  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  text = sqlite3_column_text (stmt, column);
  return g_strdup ((const char *) text);
}

int
cp_sql_step (CpLedger      *ledger,
             sqlite3_stmt  *stmt,
             const char    *what,
             GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    cp_ledger_set_error_from_sqlite (ledger, error, what);

  return rc;
}

gboolean
cp_sql_run (CpLedger      *ledger,
            sqlite3_stmt  *stmt,
            const char    *what,
            GError       **error)
{
  int rc;

  while ((rc = cp_sql_step (ledger, stmt, what, error)) == SQLITE_ROW)
    ;

  return rc == SQLITE_DONE;
}

gboolean
cp_sql_exec (CpLedger      *ledger,
             const char    *sql,
             const char    *what,
             GError       **error)
{
  if (sqlite3_exec (cp_ledger_get_db (ledger), sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      cp_ledger_set_error_from_sqlite (ledger, error, what);
      return FALSE;
    }

  return TRUE;
}

gint64
cp_sql_query_int (CpLedger   *ledger,
                  const char *sql,
                  gint64      default_value)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  gint64 value = default_value;

  if (sqlite3_prepare_v2 (cp_ledger_get_db (ledger), sql, -1, &stmt, NULL) != SQLITE_OK)
    return default_value;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);

  return value;
}

void
cp_sql_append_int64 (GString *out,
                     gint64   value)
{
  /* "-9223372036854775808" is the longest: 20 characters. */
  char digits[20];
  char *p = digits + sizeof digits;
  /* In unsigned arithmetic, so that G_MININT64 has a magnitude too. */
  guint64 magnitude = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;

  do
    {
      *--p = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude != 0);
  if (value < 0)
    *--p = '-';
  g_string_append_len (out, p, digits + sizeof digits - p);
}

static GString *
ids_to_json (const gint64 *ids,
             guint         n,
             gboolean      as_text)
{
  GString *json = g_string_sized_new (2 + (gsize) n * (as_text ? 10 : 8));

  g_string_append_c (json, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      if (as_text)
        g_string_append_c (json, '"');
      cp_sql_append_int64 (json, ids[i]);
      if (as_text)
        g_string_append_c (json, '"');
    }
  g_string_append_c (json, ']');
  return json;
}

char *
cp_sql_ids_to_json (const gint64 *ids,
                    guint         n,
                    gboolean      as_text)
{
  g_return_val_if_fail (ids != NULL || n == 0, NULL);

  return g_string_free (ids_to_json (ids, n, as_text), FALSE);
}

gboolean
cp_sql_ids_are_run (const gint64 *ids,
                    guint         n)
{
  g_return_val_if_fail (ids != NULL || n == 0, FALSE);

  if (n == 0)
    return FALSE;
  /* ids[i - 1] + 1 would overflow at G_MAXINT64. */
  for (guint i = 1; i < n; i++)
    if (ids[i - 1] == G_MAXINT64 || ids[i] != ids[i - 1] + 1)
      return FALSE;
  return TRUE;
}

void
cp_sql_bind_ids (sqlite3_stmt *stmt,
                 int           index,
                 const gint64 *ids,
                 guint         n,
                 gboolean      as_text)
{
  GString *json;
  gsize len;

  g_return_if_fail (ids != NULL || n == 0);

  json = ids_to_json (ids, n, as_text);
  len = json->len;
  sqlite3_bind_text (stmt, index, g_string_free (json, FALSE), (int) len, g_free);
}

void
cp_sql_bind_ids_or_run (sqlite3_stmt *stmt,
                        int           first_index,
                        int           last_index,
                        const gint64 *ids,
                        guint         n,
                        gboolean      run)
{
  g_return_if_fail (!run || n > 0);

  if (run)
    {
      sqlite3_bind_int64 (stmt, first_index, ids[0]);
      sqlite3_bind_int64 (stmt, last_index, ids[n - 1]);
    }
  else
    cp_sql_bind_ids (stmt, first_index, ids, n, FALSE);
}
