/* cp-orders-search.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An order's row in orders_fts (its number, who bought it, the SKUs of
 * its lines), written with the order or, for a batch of orders in one
 * transaction, all together at the end of the batch.
 *
 * Why at the end: FTS5 keeps the terms of a transaction in memory and
 * writes them out as one new index segment whenever a savepoint opens.
 * Any statement that fires a trigger opens one (a statement journal),
 * and since schema 2 every stock change fires the outbox trigger on
 * stock_levels, even when no integration syncs stock (the trigger's
 * WHEN is checked per row, the journal is decided when the statement is
 * compiled). A pulled page of orders, each indexed and then taking its
 * goods out of stock, wrote one segment per order and then merged them:
 * more than half of bench-ingest's time in SQLite. Indexed after the
 * page's stock movements, a page writes one segment.
 */

#define G_LOG_DOMAIN "cp-orders"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-orders-private.h"
#include "cp-sql.h"

typedef struct
{
  gint64  order_id;
  char   *number;
  char   *customer;
  char   *skus;
} SearchRow;

static void
search_row_free (gpointer data)
{
  SearchRow *row = data;

  g_free (row->number);
  g_free (row->customer);
  g_free (row->skus);
  g_free (row);
}

static SearchRow *
search_row_new (const CpOrder *order,
                gint64         order_id,
                const char    *number)
{
  SearchRow *row = g_new0 (SearchRow, 1);
  GString *customer = g_string_new (NULL);
  GString *skus = g_string_new (NULL);

  if (order->customer_name != NULL)
    g_string_append (customer, order->customer_name);
  if (order->customer_email != NULL)
    {
      if (customer->len > 0)
        g_string_append_c (customer, ' ');
      g_string_append (customer, order->customer_email);
    }

  for (guint i = 0; order->lines != NULL && i < order->lines->len; i++)
    {
      const CpOrderLine *line = g_ptr_array_index (order->lines, i);

      if (line->sku == NULL || *line->sku == '\0')
        continue;
      if (skus->len > 0)
        g_string_append_c (skus, ' ');
      g_string_append (skus, line->sku);
    }

  row->order_id = order_id;
  row->number = g_strdup (number);
  row->customer = g_string_free (customer, FALSE);
  row->skus = g_string_free (skus, FALSE);
  return row;
}

static gboolean
insert_row (CpLedger         *ledger,
            const SearchRow  *row,
            GError          **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "INSERT INTO orders_fts (rowid, number, customer, skus) "
                                   "VALUES (?1, ?2, ?3, ?4)",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, row->order_id);
  sqlite3_bind_text (stmt, 2, row->number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, row->customer, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, row->skus, -1, SQLITE_STATIC);

  /* The message is translated only on failure: gettext per order shows
   * in the profile of a large recording. */
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      cp_ledger_set_error_from_sqlite (ledger, error, _("Could not index the order for search"));
      return FALSE;
    }
  return TRUE;
}

gboolean
cp_orders_search_row_insert (CpLedger       *ledger,
                             const CpOrder  *order,
                             gint64          order_id,
                             const char     *number,
                             GError        **error)
{
  g_autoptr(GPtrArray) one = cp_orders_search_rows_new ();

  cp_orders_search_row_add (one, order, order_id, number);
  return insert_row (ledger, g_ptr_array_index (one, 0), error);
}

GPtrArray *
cp_orders_search_rows_new (void)
{
  return g_ptr_array_new_with_free_func (search_row_free);
}

void
cp_orders_search_row_add (GPtrArray     *rows,
                          const CpOrder *order,
                          gint64         order_id,
                          const char    *number)
{
  g_ptr_array_add (rows, search_row_new (order, order_id, number));
}

gboolean
cp_orders_index_deferred (CpLedger   *ledger,
                          GPtrArray  *rows,
                          GError    **error)
{
  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (rows != NULL, FALSE);

  for (guint i = 0; i < rows->len; i++)
    if (!insert_row (ledger, g_ptr_array_index (rows, i), error))
      return FALSE;

  g_ptr_array_set_size (rows, 0);
  return TRUE;
}
