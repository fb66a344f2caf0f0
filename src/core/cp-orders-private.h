/* cp-orders-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the orders files and the order model share: an order's totals and
 * the WHERE clause of a CpOrderFilter. Internal to src/core.
 */

#pragma once

#include "cp-orders.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 subtotal;   /* Σ (quantity × unit − line discount) */
  gint64 tax;        /* Σ line tax */
  gint64 total;      /* subtotal + tax + shipping − order discount */
  gint64 refunded;   /* Σ refunds */
} CpOrderTotals;

/* FALSE when a line's total or any sum does not fit in gint64. */
gboolean cp_order_compute_totals     (const CpOrder       *order,
                                      CpOrderTotals       *out);

/* Appends " AND …" conditions on the orders table aliased "o" for every
 * field FILTER sets (never LIMIT). The values are named parameters
 * (:source, :status, :since, :until, :search), bound by
 * cp_orders_filter_bind(); user text is never part of the SQL. */
void     cp_orders_filter_append_sql (const CpOrderFilter *filter,
                                      GString             *sql);
void     cp_orders_filter_bind       (const CpOrderFilter *filter,
                                      sqlite3_stmt        *stmt);

/* An order's search row (orders_fts), written now. */
gboolean   cp_orders_search_row_insert (CpLedger       *ledger,
                                        const CpOrder  *order,
                                        gint64          order_id,
                                        const char     *number,
                                        GError        **error);

/* Many orders in the caller's transaction (a pulled page): each as
 * cp_orders_record() does it, except that its search row is appended to
 * SEARCH_ROWS (from cp_orders_search_rows_new()) instead of written; the
 * caller writes them all with cp_orders_index_deferred() before its
 * commit. Writing them after every order's stock movements lets FTS5
 * write one index segment for the batch instead of one per order
 * (cp-orders-search.c says why). An order refused or taken back leaves
 * no row behind. */
GPtrArray *cp_orders_search_rows_new   (void);
void       cp_orders_search_row_add    (GPtrArray      *search_rows,
                                        const CpOrder  *order,
                                        gint64          order_id,
                                        const char     *number);
gboolean   cp_orders_record_deferred   (CpLedger       *ledger,
                                        const CpOrder  *order,
                                        gboolean        decrement_stock,
                                        GPtrArray      *search_rows,
                                        gint64         *out_id,
                                        gboolean       *out_existed,
                                        GError        **error);
gboolean   cp_orders_index_deferred    (CpLedger       *ledger,
                                        GPtrArray      *search_rows,
                                        GError        **error);

G_END_DECLS
