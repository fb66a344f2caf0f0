/* cp-order-model.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of CpOrderItem, newest first, paging from SQLite by key
 * (placed_at, id) so a million orders cost a screenful of memory.
 */

#pragma once

#include "cp-ledger.h"
#include "cp-orders.h"

G_BEGIN_DECLS

#define CP_TYPE_ORDER_ITEM (cp_order_item_get_type ())
G_DECLARE_FINAL_TYPE (CpOrderItem, cp_order_item, CP, ORDER_ITEM, GObject)

gint64       cp_order_item_get_id            (CpOrderItem *self);
const char  *cp_order_item_get_number        (CpOrderItem *self);
const char  *cp_order_item_get_source        (CpOrderItem *self);
const char  *cp_order_item_get_status        (CpOrderItem *self);
const char  *cp_order_item_get_customer_name (CpOrderItem *self);
gint64       cp_order_item_get_placed_at_us  (CpOrderItem *self);
gint64       cp_order_item_get_total_minor   (CpOrderItem *self);
gint64       cp_order_item_get_refunded_minor (CpOrderItem *self);
const char  *cp_order_item_get_currency      (CpOrderItem *self);
guint        cp_order_item_get_n_lines       (CpOrderItem *self);

#define CP_TYPE_ORDER_MODEL (cp_order_model_get_type ())
G_DECLARE_FINAL_TYPE (CpOrderModel, cp_order_model, CP, ORDER_MODEL, GObject)

CpOrderModel *cp_order_model_new        (CpLedger *ledger);
/* Copies FILTER's fields (limit is ignored). */
void          cp_order_model_set_filter (CpOrderModel        *self,
                                         const CpOrderFilter *filter);
void          cp_order_model_reload     (CpOrderModel *self);

/* For tests and benchmarks: pages held in memory now (bounded), pages
 * read from SQLite since creation, and how long the last key pass (the
 * count and the page anchors) took in µs. */
guint         cp_order_model_get_cached_pages (CpOrderModel *self);
guint64       cp_order_model_get_pages_read   (CpOrderModel *self);
gint64        cp_order_model_get_last_load_us (CpOrderModel *self);

G_END_DECLS
