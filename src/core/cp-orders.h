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

/* A tax of the order as the platform itemised it ("VAT 20 %"). It is a
 * breakdown kept for accounting: totals come from the lines' tax_minor. */
typedef struct
{
  char   *name;
  gint64  rate_bp;            /* basis points (2000 = 20 %); -1 when unknown */
  gint64  amount_minor;
} CpOrderTax;

/* A discount code of the order; a breakdown like CpOrderTax: totals come
 * from the lines' discount_minor and order_discount_minor. */
typedef struct
{
  char   *code;
  char   *description;
  gint64  amount_minor;
} CpOrderDiscount;

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
  /* Added after the first API draft, so at the end. */
  GPtrArray *taxes;           /* CpOrderTax*, may be empty */
  GPtrArray *discounts;       /* CpOrderDiscount*, may be empty */
  /* Read back: Σ (quantity × unit − line discount), the order's stored
   * line count (filled by cp_orders_list too, where lines stay empty). */
  gint64     subtotal_minor;
  guint      n_lines;
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
void       cp_order_add_refund     (CpOrder    *order,
                                    gint64      amount_minor,
                                    const char *reason,
                                    gint64      at_us);
void       cp_order_add_tax        (CpOrder    *order,
                                    const char *name,
                                    gint64      rate_bp,
                                    gint64      amount_minor);
void       cp_order_add_discount   (CpOrder    *order,
                                    const char *code,
                                    const char *description,
                                    gint64      amount_minor);
/* Σ(quantity × unit − discount + tax) + shipping − order discount.
 * Saturates at G_MAXINT64/G_MININT64 (cp_orders_record refuses those). */
gint64     cp_order_compute_total  (const CpOrder *order);

/* Records ORDER (lines, payments, refunds, taxes, discounts) and, when
 * DECREMENT_STOCK, a "sold" movement per line with a known SKU at the
 * order's location (the location "MAIN" when the order names none and
 * MAIN exists), in one transaction (or the caller's). When (source,
 * external_id) exists already nothing changes and *OUT_EXISTED is TRUE.
 * Defaults: number = external_id, status = "completed", placed_at = now.
 * A line whose SKU is unknown is kept with its SKU as text. A customer
 * e-mail links (or creates) a customer. Refused (CP_LEDGER_ERROR_INVALID):
 * a bad currency, no source or external id, no lines (unless cancelled),
 * a negative quantity or refund, totals beyond gint64; an unknown
 * location is CP_LEDGER_ERROR_NOT_FOUND; all of these are found before
 * anything is written. Inside a caller's transaction no SAVEPOINT is
 * taken (FTS5 flushes its index at each one: batches ran 3× slower); an
 * engine failure half-way (disk full…) takes the order back, or, once its
 * stock moved, cancels the caller's whole transaction, whose commit then
 * fails. Emits CpLedger::changed ("orders", and "stock" when stock
 * moved) after the outermost commit. */
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
  gint64      since_us; /* 0: no bound; placed_at >= since */
  gint64      until_us; /* 0: no bound; placed_at < until */
  const char *search;   /* words prefix-matched over number, customer, SKUs */
  guint       limit;    /* 0: no limit */
} CpOrderFilter;

/* CpOrder* without lines, payments or refunds (their arrays are empty;
 * n_lines, subtotal, total, tax and refunded are filled), newest first
 * (placed_at, then id). The search is never read as FTS5 syntax. */
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
