/* cp-order-sources.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-order-sources"

#include "config.h"

#include "cp-order-sources.h"

static GStrv
list_distinct (CpLedger    *ledger,
               const char  *sql,
               GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  stmt = cp_ledger_prepare (ledger, sql, error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);

      if (text != NULL && *text != '\0')
        g_strv_builder_add (builder, text);
    }

  if (rc != SQLITE_DONE)
    {
      cp_ledger_set_error_from_sqlite (ledger, error, "reading the order sources");
      sqlite3_finalize (stmt);
      return NULL;
    }

  sqlite3_finalize (stmt);
  return g_strv_builder_end (builder);
}

GStrv
cp_order_sources_list (CpLedger  *ledger,
                       GError   **error)
{
  /* A plain DISTINCT reads every entry of orders_source_placed: seconds
   * on a million orders, at every start of the Orders page. Hopping from
   * one value to the next with min() is one index seek per distinct value
   * (a skip-scan), in order. */
  return list_distinct (ledger,
                        "WITH RECURSIVE s(v) AS ("
                        " SELECT min(source) FROM orders"
                        " UNION ALL"
                        " SELECT (SELECT min(source) FROM orders WHERE source > s.v)"
                        " FROM s WHERE s.v IS NOT NULL)"
                        " SELECT v FROM s WHERE v IS NOT NULL",
                        error);
}

GStrv
cp_order_statuses_list (CpLedger  *ledger,
                        GError   **error)
{
  /* The same skip-scan, on orders_status_placed. */
  return list_distinct (ledger,
                        "WITH RECURSIVE s(v) AS ("
                        " SELECT min(status) FROM orders"
                        " UNION ALL"
                        " SELECT (SELECT min(status) FROM orders WHERE status > s.v)"
                        " FROM s WHERE s.v IS NOT NULL)"
                        " SELECT v FROM s WHERE v IS NOT NULL",
                        error);
}

gint64
cp_order_status_count (CpLedger    *ledger,
                       const char  *status,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), -1);
  g_return_val_if_fail (status != NULL, -1);

  /* Reads only the entries of orders_status_placed for STATUS, where
   * listing the orders would build every one of them. */
  stmt = cp_ledger_prepare (ledger, "SELECT count(*) FROM orders WHERE status = ?1", error);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    cp_ledger_set_error_from_sqlite (ledger, error, "counting the orders by status");

  sqlite3_finalize (stmt);
  return count;
}
