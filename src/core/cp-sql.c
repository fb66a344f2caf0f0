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
