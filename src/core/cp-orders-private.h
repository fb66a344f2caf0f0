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

G_END_DECLS
