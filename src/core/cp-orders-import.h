/* cp-orders-import.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an order from a store does to the ledger (issue 4, "Orders").
 * Store webhooks import through here; the engine's pull records new
 * orders with cp_orders_record_deferred (batched search indexing) and
 * sends here, through cp_orders_reserve_pull (), the orders of the gate:
 *
 *  - Payment gate: an order still awaiting payment is not a sale yet (it
 *    may never be paid): it is recorded with status "awaiting_payment"
 *    and its goods reserved, not taken (cp-orders-reserve.h); the store's
 *    next word on it (a webhook "paid", the next pull) makes it a sale,
 *    or releases them. Connectors say "not paid yet" with the local
 *    status "awaiting_payment" (Shopify financial_status
 *    pending/expired/voided; WooCommerce pending, checkout-draft);
 *    "on_hold" (WooCommerce on-hold: a bank transfer not confirmed yet),
 *    "failed" and "payment_failed" are held too. An authorized payment
 *    (Shopify AUTHORIZED: "processing") passes. Settings
 *    {"orders": {"import_unpaid": true}} turn the gate off: an unpaid
 *    order is then a sale at once.
 *  - Unique by (integration, external id): cp_orders_record's
 *    (source, external_id) uniqueness, source being the integration id.
 *  - An unknown SKU does not stop the order: the line keeps its SKU as
 *    text and lands in the "needs mapping" list below.
 *  - A known order that comes back cancelled or refunded takes its new
 *    status, records the refunds not yet recorded, and puts its goods back
 *    in stock: one "returned" movement per line that took stock, once —
 *    the status change and the movements are one transaction, and an
 *    order already cancelled or refunded is never restocked again, so a
 *    redelivery changes nothing.
 *
 * Partial refunds record the money only: CpRefund names no lines, so
 * which goods came back is not known here.
 */

#pragma once

#include "cp-ledger.h"
#include "cp-orders.h"

G_BEGIN_DECLS

typedef enum
{
  CP_ORDER_IMPORT_CREATED,    /* recorded now (and took its stock) */
  CP_ORDER_IMPORT_HELD,       /* recorded awaiting payment, its goods reserved */
  CP_ORDER_IMPORT_UNCHANGED,  /* known; nothing new in what the store sent */
  CP_ORDER_IMPORT_UPDATED,    /* known; cancelled, refunded or paid now (a sale) */
  CP_ORDER_IMPORT_KEPT_ASIDE, /* in another currency: cp_order_currency_hold () */
} CpOrderImportResult;

/* Whether STATUS (local words) means "not paid yet". */
gboolean   cp_orders_import_is_unpaid (const char *status);

/* Imports ORDER, whose source is the integration id, under SETTINGS_JSON
 * (the integration's settings; NULL: defaults). Joins the caller's
 * transaction, or takes its own. OUT_RESTOCKED (nullable): units put
 * back in stock, or released from a reservation. Errors are
 * cp_orders_record's. */
gboolean   cp_orders_import           (CpLedger             *ledger,
                                       const char           *settings_json,
                                       const CpOrder        *order,
                                       gint64               *out_id,
                                       CpOrderImportResult  *out_result,
                                       gint64               *out_restocked,
                                       GError              **error);

/* What the activity says of RESULT for ORDER, from the store named
 * STORE_NAME, RESTOCKED as cp_orders_import () gave it: the one wording
 * of the webhook path and the pull. NULL when there is nothing to say
 * (unchanged), and for CP_ORDER_IMPORT_KEPT_ASIDE, whose words (what to
 * do included) are cp_order_currency_report ()'s. */
char      *cp_orders_import_describe  (const CpOrder        *order,
                                       const char           *store_name,
                                       CpOrderImportResult   result,
                                       gint64                restocked);

/* An order line from a store whose SKU names no product of the ledger. */
typedef struct
{
  gint64  order_id;
  char   *number;
  char   *source;
  char   *sku;
  char   *name;
  gint64  quantity;
  gint64  placed_at_us;
} CpUnmappedLine;

void       cp_unmapped_line_free      (CpUnmappedLine *line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpUnmappedLine, cp_unmapped_line_free)

/* The "needs mapping" list: lines of store orders (SOURCE, or every
 * source but "pos" when NULL; not those kept aside for their currency)
 * whose SKU no variant has, newest order first, at most LIMIT (0: all).
 * A line leaves the list once a product with its SKU exists. */
GPtrArray *cp_orders_list_needs_mapping  (CpLedger    *ledger,
                                          const char  *source,
                                          guint        limit,
                                          GError     **error);
gint64     cp_orders_count_needs_mapping (CpLedger    *ledger,
                                          const char  *source);

G_END_DECLS
