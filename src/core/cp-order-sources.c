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
  /* orders_source_placed leads with source, so this walks the index. */
  return list_distinct (ledger,
                        "SELECT DISTINCT source FROM orders ORDER BY source",
                        error);
}

GStrv
cp_order_statuses_list (CpLedger  *ledger,
                        GError   **error)
{
  return list_distinct (ledger,
                        "SELECT DISTINCT status FROM orders ORDER BY status",
                        error);
}
