/* cp-orders.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Orders from every source: the POS register ("pos") or an integration
 * (its id). (source, external_id) is unique, so recording the same sale
 * twice is a no-op that reports the existing order.
 */

#pragma once

#include "cp-ledger.h"

G_BEGIN_DECLS

typedef struct
{
  char   *sku;              /* may name no known variant (kept as text) */
  char   *name;
  gint64  quantity;         /* whole units; negative is refused */
  gint64  unit_price_minor;
  gint64  discount_minor;   /* for the whole line */
  gint64  tax_minor;        /* for the whole line */
} CpOrderLine;

typedef struct
{
  char   *method;           /* "cash", "card", "gift_card", … */
  gint64  amount_minor;
  char   *reference;
} CpPayment;

typedef struct
{
  gint64  amount_minor;
  char   *reason;
  gint64  at_us;
} CpRefund;

typedef struct
{
  gint64     id;              /* set when read back */
  char      *number;          /* shown to people: "R1-000123", "#1001" */
  char      *source;          /* "pos" or an integration id */
  char      *external_id;     /* the sale id for pos; the platform id otherwise */
  char      *status;          /* "completed", "awaiting_payment", "cancelled", "refunded", … */
  char      *location_code;
  gint64     placed_at_us;
  char       currency[4];
  char      *customer_name;
  char      *customer_email;
  gint64     shipping_minor;
  gint64     order_discount_minor;
  GPtrArray *lines;           /* CpOrderLine* */
  GPtrArray *payments;        /* CpPayment* (split tender) */
  GPtrArray *refunds;         /* CpRefund* */
  /* Computed by the ledger when read back (or by cp_order_compute_total). */
  gint64     total_minor;
  gint64     tax_minor;
  gint64     refunded_minor;
} CpOrder;

CpOrder   *cp_order_new            (void);
void       cp_order_free           (CpOrder *order);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpOrder, cp_order_free)
void       cp_order_add_line       (CpOrder    *order,
                                    const char *sku,
                                    const char *name,
                                    gint64      quantity,
                                    gint64      unit_price_minor,
                                    gint64      discount_minor,
                                    gint64      tax_minor);
void       cp_order_add_payment    (CpOrder    *order,
                                    const char *method,
                                    gint64      amount_minor,
                                    const char *reference);
/* Σ(quantity × unit − discount + tax) + shipping − order discount. */
gint64     cp_order_compute_total  (const CpOrder *order);

/* Records ORDER (lines, payments, refunds) and, when DECREMENT_STOCK, a
 * "sold" movement per line at its location, in one transaction (or the
 * caller's). When (source, external_id) exists already nothing changes
 * and *OUT_EXISTED is TRUE. */
gboolean   cp_orders_record        (CpLedger       *ledger,
                                    const CpOrder  *order,
                                    gboolean        decrement_stock,
                                    gint64         *out_id,
                                    gboolean       *out_existed,
                                    GError        **error);
CpOrder   *cp_orders_get           (CpLedger    *ledger,
                                    gint64       id,
                                    GError     **error);
gint64     cp_orders_count         (CpLedger *ledger);

typedef struct
{
  const char *source;   /* NULL: every source */
  const char *status;   /* NULL: every status */
  gint64      since_us; /* 0: no bound */
  gint64      until_us; /* 0: no bound */
  const char *search;   /* FTS5 over number, customer, SKU, line names */
  guint       limit;    /* 0: no limit */
} CpOrderFilter;

/* CpOrder* without lines/payments (n_lines in lines->len is not filled:
 * use cp_order_summary_n_lines), newest first. */
GPtrArray *cp_orders_list          (CpLedger            *ledger,
                                    const CpOrderFilter *filter,
                                    GError             **error);

/* `counterpart-cli sales record`: a JSON document with one sale object or
 * {"sales": [ … ]}. Each sale: id (required, the idempotency key), number,
 * location (code), placed_at (ISO 8601), currency, customer {name, email},
 * lines [{sku, name, quantity, unit_price, discount, tax}], payments
 * [{method, amount, reference}], shipping, discount. Money is a decimal
 * string in major units or {"amount_minor": N, "currency": "C"}. Each sale is
 * recorded in its own transaction; one bad sale does not stop the others. */
typedef struct
{
  char     *sale_id;
  gint64    order_id;     /* 0 when it failed */
  gboolean  existed;      /* recorded before: nothing changed */
  char     *error;        /* NULL when recorded */
} CpSaleResult;

void       cp_sale_result_free     (CpSaleResult *result);

/* Returns CpSaleResult* per sale; FALSE with ERROR only when the document
 * itself cannot be read. */
GPtrArray *cp_sales_record_json    (CpLedger    *ledger,
                                    const char  *json_text,
                                    gssize       length,
                                    GError     **error);

G_END_DECLS
