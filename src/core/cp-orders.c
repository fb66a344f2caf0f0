/* cp-orders.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Recording orders from every source, reading them back and listing
 * them. Recording is on the hot path of `sales record` and of order
 * pulls (a million lines in a benchmark), so every statement comes from
 * the ledger's statement cache and nothing is read back that we just
 * wrote.
 */

#define G_LOG_DOMAIN "cp-orders"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cp-fts.h"
#include "cp-money.h"
#include "cp-orders.h"
#include "cp-orders-private.h"
#include "cp-sql.h"
#include "cp-stock.h"

/* Value types */

static void
order_line_free (gpointer data)
{
  CpOrderLine *line = data;

  g_free (line->sku);
  g_free (line->name);
  g_free (line);
}

static void
payment_free (gpointer data)
{
  CpPayment *payment = data;

  g_free (payment->method);
  g_free (payment->reference);
  g_free (payment);
}

static void
refund_free (gpointer data)
{
  CpRefund *refund = data;

  g_free (refund->reason);
  g_free (refund);
}

static void
order_tax_free (gpointer data)
{
  CpOrderTax *tax = data;

  g_free (tax->name);
  g_free (tax);
}

static void
order_discount_free (gpointer data)
{
  CpOrderDiscount *discount = data;

  g_free (discount->code);
  g_free (discount->description);
  g_free (discount);
}

CpOrder *
cp_order_new (void)
{
  CpOrder *order = g_new0 (CpOrder, 1);

  order->lines = g_ptr_array_new_with_free_func (order_line_free);
  order->payments = g_ptr_array_new_with_free_func (payment_free);
  order->refunds = g_ptr_array_new_with_free_func (refund_free);
  order->taxes = g_ptr_array_new_with_free_func (order_tax_free);
  order->discounts = g_ptr_array_new_with_free_func (order_discount_free);

  return order;
}

void
cp_order_free (CpOrder *order)
{
  if (order == NULL)
    return;

  g_free (order->number);
  g_free (order->source);
  g_free (order->external_id);
  g_free (order->status);
  g_free (order->location_code);
  g_free (order->customer_name);
  g_free (order->customer_email);
  g_clear_pointer (&order->lines, g_ptr_array_unref);
  g_clear_pointer (&order->payments, g_ptr_array_unref);
  g_clear_pointer (&order->refunds, g_ptr_array_unref);
  g_clear_pointer (&order->taxes, g_ptr_array_unref);
  g_clear_pointer (&order->discounts, g_ptr_array_unref);
  g_free (order);
}

void
cp_order_add_line (CpOrder    *order,
                   const char *sku,
                   const char *name,
                   gint64      quantity,
                   gint64      unit_price_minor,
                   gint64      discount_minor,
                   gint64      tax_minor)
{
  CpOrderLine *line;

  g_return_if_fail (order != NULL && order->lines != NULL);

  line = g_new0 (CpOrderLine, 1);
  line->sku = g_strdup (sku);
  line->name = g_strdup (name);
  line->quantity = quantity;
  line->unit_price_minor = unit_price_minor;
  line->discount_minor = discount_minor;
  line->tax_minor = tax_minor;
  g_ptr_array_add (order->lines, line);
}

void
cp_order_add_payment (CpOrder    *order,
                      const char *method,
                      gint64      amount_minor,
                      const char *reference)
{
  CpPayment *payment;

  g_return_if_fail (order != NULL && order->payments != NULL);

  payment = g_new0 (CpPayment, 1);
  payment->method = g_strdup (method);
  payment->amount_minor = amount_minor;
  payment->reference = g_strdup (reference);
  g_ptr_array_add (order->payments, payment);
}

void
cp_order_add_refund (CpOrder    *order,
                     gint64      amount_minor,
                     const char *reason,
                     gint64      at_us)
{
  CpRefund *refund;

  g_return_if_fail (order != NULL && order->refunds != NULL);

  refund = g_new0 (CpRefund, 1);
  refund->amount_minor = amount_minor;
  refund->reason = g_strdup (reason);
  refund->at_us = at_us;
  g_ptr_array_add (order->refunds, refund);
}

void
cp_order_add_tax (CpOrder    *order,
                  const char *name,
                  gint64      rate_bp,
                  gint64      amount_minor)
{
  CpOrderTax *tax;

  g_return_if_fail (order != NULL);

  if (order->taxes == NULL)
    order->taxes = g_ptr_array_new_with_free_func (order_tax_free);

  tax = g_new0 (CpOrderTax, 1);
  tax->name = g_strdup (name);
  tax->rate_bp = rate_bp;
  tax->amount_minor = amount_minor;
  g_ptr_array_add (order->taxes, tax);
}

void
cp_order_add_discount (CpOrder    *order,
                       const char *code,
                       const char *description,
                       gint64      amount_minor)
{
  CpOrderDiscount *discount;

  g_return_if_fail (order != NULL);

  if (order->discounts == NULL)
    order->discounts = g_ptr_array_new_with_free_func (order_discount_free);

  discount = g_new0 (CpOrderDiscount, 1);
  discount->code = g_strdup (code);
  discount->description = g_strdup (description);
  discount->amount_minor = amount_minor;
  g_ptr_array_add (order->discounts, discount);
}

/* Totals */

typedef struct
{
  gint64 subtotal;   /* Σ (quantity × unit − line discount) */
  gint64 tax;        /* Σ line tax */
  gint64 total;      /* subtotal + tax + shipping − order discount */
  gint64 refunded;   /* Σ refunds */
} Totals;

static gboolean
compute_totals (const CpOrder *order,
                Totals        *out)
{
  gint64 subtotal = 0;
  gint64 tax = 0;
  gint64 refunded = 0;
  gint64 total;

  for (guint i = 0; order->lines != NULL && i < order->lines->len; i++)
    {
      const CpOrderLine *line = g_ptr_array_index (order->lines, i);
      gint64 gross;

      if (__builtin_mul_overflow (line->quantity, line->unit_price_minor, &gross) ||
          __builtin_sub_overflow (gross, line->discount_minor, &gross) ||
          __builtin_add_overflow (subtotal, gross, &subtotal) ||
          __builtin_add_overflow (tax, line->tax_minor, &tax))
        return FALSE;
    }

  for (guint i = 0; order->refunds != NULL && i < order->refunds->len; i++)
    {
      const CpRefund *refund = g_ptr_array_index (order->refunds, i);

      if (__builtin_add_overflow (refunded, refund->amount_minor, &refunded))
        return FALSE;
    }

  if (__builtin_add_overflow (subtotal, tax, &total) ||
      __builtin_add_overflow (total, order->shipping_minor, &total) ||
      __builtin_sub_overflow (total, order->order_discount_minor, &total))
    return FALSE;

  out->subtotal = subtotal;
  out->tax = tax;
  out->total = total;
  out->refunded = refunded;
  return TRUE;
}

gint64
cp_order_compute_total (const CpOrder *order)
{
  Totals totals;

  g_return_val_if_fail (order != NULL, 0);

  if (!compute_totals (order, &totals))
    return G_MAXINT64;

  return totals.total;
}

/* Recording */

static gboolean
validate (const CpOrder  *order,
          const char     *number,
          const char     *status,
          GError        **error)
{
  const char *name = number != NULL ? number : "";

  if (order->source == NULL || *order->source == '\0')
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("Order %s has no source. Say where it comes from (\"pos\" or the "
                     "integration)."), name);
      return FALSE;
    }

  if (order->external_id == NULL || *order->external_id == '\0')
    {
      if (*name != '\0')
        g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                     _("Order %s has no id. Give the register's sale id or the platform's "
                       "order id, so recording it twice is harmless."), name);
      else
        g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                             _("An order has no id. Give the register's sale id or the "
                               "platform's order id, so recording it twice is harmless."));
      return FALSE;
    }

  if (!cp_currency_is_valid (order->currency))
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("Order %s: “%s” is not a currency code. Use a three-letter ISO 4217 "
                     "code such as USD, EUR or JPY."), name, order->currency);
      return FALSE;
    }

  if ((order->lines == NULL || order->lines->len == 0) && g_strcmp0 (status, "cancelled") != 0)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("Order %s has no lines. Add what was sold, or record it as cancelled."),
                   name);
      return FALSE;
    }

  for (guint i = 0; order->lines != NULL && i < order->lines->len; i++)
    {
      const CpOrderLine *line = g_ptr_array_index (order->lines, i);

      if (line->quantity < 0)
        {
          g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                       _("Order %s: line %u has a negative quantity (%" G_GINT64_FORMAT "). "
                         "Record a return as a refund instead."),
                       name, i + 1, line->quantity);
          return FALSE;
        }

      if ((line->sku == NULL || *line->sku == '\0') && (line->name == NULL || *line->name == '\0'))
        {
          g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                       _("Order %s: line %u has neither a SKU nor a name. Say what was sold."),
                       name, i + 1);
          return FALSE;
        }
    }

  for (guint i = 0; order->refunds != NULL && i < order->refunds->len; i++)
    {
      const CpRefund *refund = g_ptr_array_index (order->refunds, i);

      if (refund->amount_minor < 0)
        {
          g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                       _("Order %s: refund %u is negative. Give refunds as positive amounts."),
                       name, i + 1);
          return FALSE;
        }
    }

  return TRUE;
}

/* Returns the id, 0 when absent, -1 on failure. */
static gint64
lookup_id (CpLedger    *ledger,
           const char  *sql,
           const char  *key1,
           const char  *key2,
           GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  stmt = cp_ledger_prepare_cached (ledger, sql, error);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_text (stmt, 1, key1, -1, SQLITE_STATIC);
  if (key2 != NULL)
    sqlite3_bind_text (stmt, 2, key2, -1, SQLITE_STATIC);

  rc = cp_sql_step (ledger, stmt, _("Could not read the ledger"), error);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);

  return rc == SQLITE_DONE ? 0 : -1;
}

static gint64
find_existing (CpLedger    *ledger,
               const char  *source,
               const char  *external_id,
               GError     **error)
{
  return lookup_id (ledger, "SELECT id FROM orders WHERE source = ?1 AND external_id = ?2",
                    source, external_id, error);
}

static gint64
resolve_location (CpLedger    *ledger,
                  const char  *code,
                  GError     **error)
{
  return lookup_id (ledger, "SELECT id FROM locations WHERE code = ?1", code, NULL, error);
}

static gint64
upsert_customer (CpLedger      *ledger,
                 const CpOrder *order,
                 gint64         now,
                 GError       **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "INSERT INTO customers (name, email, created_at) "
                                   "VALUES (?1, ?2, ?3) "
                                   "ON CONFLICT (email) DO UPDATE "
                                   "SET name = coalesce (customers.name, excluded.name) "
                                   "RETURNING id",
                                   error);
  if (stmt == NULL)
    return -1;

  cp_sql_bind_text_or_null (stmt, 1, order->customer_name);
  sqlite3_bind_text (stmt, 2, order->customer_email, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);

  if (cp_sql_step (ledger, stmt, _("Could not save the customer"), error) != SQLITE_ROW)
    return -1;

  return sqlite3_column_int64 (stmt, 0);
}

static gboolean
insert_order_row (CpLedger      *ledger,
                  const CpOrder *order,
                  const char    *number,
                  const char    *status,
                  gint64         location_id,
                  gint64         customer_id,
                  gint64         placed_at,
                  const Totals  *totals,
                  gint64         now,
                  gint64        *out_id,
                  GError       **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "INSERT INTO orders (number, source, external_id, status, "
                                   "location_id, customer_id, customer_name, placed_at, currency, "
                                   "subtotal_minor, discount_minor, tax_minor, shipping_minor, "
                                   "total_minor, refunded_minor, n_lines, created_at, updated_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                   "?13, ?14, ?15, ?16, ?17, ?17)",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, order->source, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, order->external_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, status, -1, SQLITE_STATIC);
  if (location_id > 0)
    sqlite3_bind_int64 (stmt, 5, location_id);
  if (customer_id > 0)
    sqlite3_bind_int64 (stmt, 6, customer_id);
  if (order->customer_name != NULL && *order->customer_name != '\0')
    sqlite3_bind_text (stmt, 7, order->customer_name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, placed_at);
  sqlite3_bind_text (stmt, 9, order->currency, 3, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 10, totals->subtotal);
  sqlite3_bind_int64 (stmt, 11, order->order_discount_minor);
  sqlite3_bind_int64 (stmt, 12, totals->tax);
  sqlite3_bind_int64 (stmt, 13, order->shipping_minor);
  sqlite3_bind_int64 (stmt, 14, totals->total);
  sqlite3_bind_int64 (stmt, 15, totals->refunded);
  sqlite3_bind_int64 (stmt, 16, order->lines != NULL ? order->lines->len : 0);
  sqlite3_bind_int64 (stmt, 17, now);

  if (!cp_sql_run (ledger, stmt, _("Could not save the order"), error))
    return FALSE;

  *out_id = sqlite3_last_insert_rowid (cp_ledger_get_db (ledger));
  return TRUE;
}

/* Each line's variant is resolved by the INSERT itself and handed back
 * by RETURNING: no separate look-up per line, and a SKU that names no
 * variant simply stores NULL. VARIANT_IDS[i] is 0 for such a line. */
static gboolean
insert_lines (CpLedger      *ledger,
              const CpOrder *order,
              gint64         order_id,
              gint64        *variant_ids,
              GError       **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  const char *what = _("Could not save the order's lines");

  stmt = cp_ledger_prepare_cached (ledger,
                                   "INSERT INTO order_lines (order_id, position, variant_id, sku, "
                                   "name, quantity, unit_price_minor, discount_minor, tax_minor, "
                                   "total_minor) VALUES (?1, ?2, "
                                   "(SELECT id FROM variants WHERE sku = ?3), ?3, "
                                   "?4, ?5, ?6, ?7, ?8, ?9) RETURNING variant_id",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, order_id);

  for (guint i = 0; i < order->lines->len; i++)
    {
      const CpOrderLine *line = g_ptr_array_index (order->lines, i);
      const char *name = line->name != NULL && *line->name != '\0' ? line->name : line->sku;
      gint64 total;
      int rc;

      /* compute_totals() already proved these do not overflow. */
      total = line->quantity * line->unit_price_minor - line->discount_minor + line->tax_minor;

      sqlite3_bind_int64 (stmt, 2, i + 1);
      if (line->sku != NULL && *line->sku != '\0')
        sqlite3_bind_text (stmt, 3, line->sku, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 3);
      sqlite3_bind_text (stmt, 4, name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, line->quantity);
      sqlite3_bind_int64 (stmt, 6, line->unit_price_minor);
      sqlite3_bind_int64 (stmt, 7, line->discount_minor);
      sqlite3_bind_int64 (stmt, 8, line->tax_minor);
      sqlite3_bind_int64 (stmt, 9, total);

      rc = cp_sql_step (ledger, stmt, what, error);
      if (rc != SQLITE_ROW)
        {
          if (rc == SQLITE_DONE)
            g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_ENGINE, what);
          return FALSE;
        }
      variant_ids[i] = sqlite3_column_int64 (stmt, 0);  /* NULL reads as 0 */

      if (!cp_sql_run (ledger, stmt, what, error))
        return FALSE;
      sqlite3_reset (stmt);
    }

  return TRUE;
}

static gboolean
insert_payments_and_refunds (CpLedger      *ledger,
                             const CpOrder *order,
                             gint64         order_id,
                             gint64         placed_at,
                             GError       **error)
{
  if (order->payments != NULL && order->payments->len > 0)
    {
      g_autoptr(CpSqlCachedStmt) stmt = NULL;

      stmt = cp_ledger_prepare_cached (ledger,
                                       "INSERT INTO payments (order_id, method, amount_minor, "
                                       "currency, reference, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                       error);
      if (stmt == NULL)
        return FALSE;

      for (guint i = 0; i < order->payments->len; i++)
        {
          const CpPayment *payment = g_ptr_array_index (order->payments, i);

          sqlite3_bind_int64 (stmt, 1, order_id);
          sqlite3_bind_text (stmt, 2,
                             payment->method != NULL && *payment->method != '\0' ?
                             payment->method : "other", -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 3, payment->amount_minor);
          sqlite3_bind_text (stmt, 4, order->currency, 3, SQLITE_STATIC);
          cp_sql_bind_text_or_null (stmt, 5, payment->reference);
          sqlite3_bind_int64 (stmt, 6, placed_at);

          if (!cp_sql_run (ledger, stmt, _("Could not save the order's payments"), error))
            return FALSE;
          sqlite3_reset (stmt);
        }
    }

  if (order->refunds != NULL && order->refunds->len > 0)
    {
      g_autoptr(CpSqlCachedStmt) stmt = NULL;

      stmt = cp_ledger_prepare_cached (ledger,
                                       "INSERT INTO refunds (order_id, amount_minor, currency, "
                                       "reason, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                                       error);
      if (stmt == NULL)
        return FALSE;

      for (guint i = 0; i < order->refunds->len; i++)
        {
          const CpRefund *refund = g_ptr_array_index (order->refunds, i);

          sqlite3_bind_int64 (stmt, 1, order_id);
          sqlite3_bind_int64 (stmt, 2, refund->amount_minor);
          sqlite3_bind_text (stmt, 3, order->currency, 3, SQLITE_STATIC);
          cp_sql_bind_text_or_null (stmt, 4, refund->reason);
          sqlite3_bind_int64 (stmt, 5, refund->at_us != 0 ? refund->at_us : placed_at);

          if (!cp_sql_run (ledger, stmt, _("Could not save the order's refunds"), error))
            return FALSE;
          sqlite3_reset (stmt);
        }
    }

  return TRUE;
}

static gboolean
insert_taxes_and_discounts (CpLedger      *ledger,
                            const CpOrder *order,
                            gint64         order_id,
                            GError       **error)
{
  if (order->taxes != NULL && order->taxes->len > 0)
    {
      g_autoptr(CpSqlCachedStmt) stmt = NULL;

      stmt = cp_ledger_prepare_cached (ledger,
                                       "INSERT INTO order_taxes (order_id, name, rate_bp, "
                                       "amount_minor) VALUES (?1, ?2, ?3, ?4)",
                                       error);
      if (stmt == NULL)
        return FALSE;

      for (guint i = 0; i < order->taxes->len; i++)
        {
          const CpOrderTax *tax = g_ptr_array_index (order->taxes, i);

          sqlite3_bind_int64 (stmt, 1, order_id);
          sqlite3_bind_text (stmt, 2, tax->name != NULL ? tax->name : "", -1, SQLITE_STATIC);
          if (tax->rate_bp >= 0)
            sqlite3_bind_int64 (stmt, 3, tax->rate_bp);
          else
            sqlite3_bind_null (stmt, 3);
          sqlite3_bind_int64 (stmt, 4, tax->amount_minor);

          if (!cp_sql_run (ledger, stmt, _("Could not save the order's taxes"), error))
            return FALSE;
          sqlite3_reset (stmt);
        }
    }

  if (order->discounts != NULL && order->discounts->len > 0)
    {
      g_autoptr(CpSqlCachedStmt) stmt = NULL;

      stmt = cp_ledger_prepare_cached (ledger,
                                       "INSERT INTO order_discounts (order_id, code, description, "
                                       "amount_minor) VALUES (?1, ?2, ?3, ?4)",
                                       error);
      if (stmt == NULL)
        return FALSE;

      for (guint i = 0; i < order->discounts->len; i++)
        {
          const CpOrderDiscount *discount = g_ptr_array_index (order->discounts, i);

          sqlite3_bind_int64 (stmt, 1, order_id);
          cp_sql_bind_text_or_null (stmt, 2, discount->code);
          cp_sql_bind_text_or_null (stmt, 3, discount->description);
          sqlite3_bind_int64 (stmt, 4, discount->amount_minor);

          if (!cp_sql_run (ledger, stmt, _("Could not save the order's discounts"), error))
            return FALSE;
          sqlite3_reset (stmt);
        }
    }

  return TRUE;
}

static gboolean
index_order (CpLedger      *ledger,
             const CpOrder *order,
             gint64         order_id,
             const char    *number,
             GError       **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(GString) customer = g_string_new (NULL);
  g_autoptr(GString) skus = g_string_new (NULL);

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

  stmt = cp_ledger_prepare_cached (ledger,
                                   "INSERT OR REPLACE INTO orders_fts (rowid, number, customer, skus) "
                                   "VALUES (?1, ?2, ?3, ?4)",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, order_id);
  sqlite3_bind_text (stmt, 2, number, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, customer->str, customer->len, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, skus->str, skus->len, SQLITE_STATIC);

  return cp_sql_run (ledger, stmt, _("Could not index the order for search"), error);
}

static gboolean
decrement_stock (CpLedger      *ledger,
                 const CpOrder *order,
                 const char    *number,
                 gint64         location_id,
                 const gint64  *variant_ids,
                 gboolean      *out_moved,
                 GError       **error)
{
  for (guint i = 0; i < order->lines->len; i++)
    {
      const CpOrderLine *line = g_ptr_array_index (order->lines, i);

      if (variant_ids[i] <= 0 || line->quantity == 0)
        continue;

      /* Set before the call: inside a caller's transaction a movement
       * that fails half-way may have journalled already, and the journal
       * cannot be taken back row by row. */
      *out_moved = TRUE;

      if (!cp_stock_adjust_ids (ledger, variant_ids[i], location_id, -line->quantity,
                                CP_STOCK_REASON_SOLD, NULL, number, order->source,
                                NULL, error))
        return FALSE;
    }

  return TRUE;
}

/* *OUT_ID is set as soon as the order row exists, so a caller can undo a
 * failure half-way. */
static gboolean
record_in_transaction (CpLedger       *ledger,
                       const CpOrder  *order,
                       const char     *number,
                       const char     *status,
                       gboolean        decrement,
                       gint64         *out_id,
                       gboolean       *out_existed,
                       gboolean       *out_stock_moved,
                       GError        **error)
{
  g_autofree gint64 *variant_ids = NULL;
  gint64 existing;
  gint64 location_id = 0;
  gint64 customer_id = 0;
  gint64 order_id = 0;
  gint64 now = cp_ledger_now_us ();
  gint64 placed_at = order->placed_at_us != 0 ? order->placed_at_us : now;
  Totals totals;

  /* Checked inside the write transaction, so two writers recording the
   * same sale cannot both miss it. */
  existing = find_existing (ledger, order->source, order->external_id, error);
  if (existing < 0)
    return FALSE;
  if (existing > 0)
    {
      *out_id = existing;
      *out_existed = TRUE;
      return TRUE;
    }

  if (!compute_totals (order, &totals))
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("Order %s: the amounts are too large to add up. Check the quantities "
                     "and prices."), number);
      return FALSE;
    }

  if (order->location_code != NULL && *order->location_code != '\0')
    {
      location_id = resolve_location (ledger, order->location_code, error);
      if (location_id < 0)
        return FALSE;
      if (location_id == 0)
        {
          g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND,
                       _("Order %s: there is no location “%s”. Add it under Locations, or "
                         "record the order at an existing location."),
                       number, order->location_code);
          return FALSE;
        }
    }
  else if (decrement)
    {
      /* A register that does not say where it is sells from the main shop. */
      location_id = resolve_location (ledger, "MAIN", error);
      if (location_id < 0)
        return FALSE;
    }

  if (order->customer_email != NULL && *order->customer_email != '\0')
    {
      customer_id = upsert_customer (ledger, order, now, error);
      if (customer_id < 0)
        return FALSE;
    }

  if (!insert_order_row (ledger, order, number, status, location_id, customer_id, placed_at,
                         &totals, now, &order_id, error))
    return FALSE;

  *out_id = order_id;

  variant_ids = g_new0 (gint64, MAX (order->lines->len, 1));
  if (!insert_lines (ledger, order, order_id, variant_ids, error) ||
      !insert_payments_and_refunds (ledger, order, order_id, placed_at, error) ||
      !insert_taxes_and_discounts (ledger, order, order_id, error) ||
      !index_order (ledger, order, order_id, number, error))
    return FALSE;

  if (decrement && location_id > 0 &&
      !decrement_stock (ledger, order, number, location_id, variant_ids, out_stock_moved, error))
    return FALSE;

  return TRUE;
}

/* Takes back a half-written order inside a caller's transaction. The
 * cascade removes its lines, payments, refunds, taxes and discounts. The
 * stock journal is append-only, so once stock moved (or when the undo
 * itself fails) the only honest way out is to cancel the caller's whole
 * transaction: the ledger then refuses its commit with a clear error. */
static void
undo_partial_order (CpLedger *ledger,
                    gint64    order_id,
                    gboolean  stock_moved)
{
  sqlite3 *db = cp_ledger_get_db (ledger);
  gboolean undone = FALSE;

  if (sqlite3_get_autocommit (db))
    return;  /* SQLite already rolled everything back (disk full, I/O error). */

  if (!stock_moved)
    {
      g_autoptr(CpSqlCachedStmt) order = NULL;
      g_autoptr(CpSqlCachedStmt) fts = NULL;

      order = cp_ledger_prepare_cached (ledger, "DELETE FROM orders WHERE id = ?1", NULL);
      fts = cp_ledger_prepare_cached (ledger, "DELETE FROM orders_fts WHERE rowid = ?1", NULL);
      if (order != NULL && fts != NULL)
        {
          sqlite3_bind_int64 (order, 1, order_id);
          sqlite3_bind_int64 (fts, 1, order_id);
          undone = sqlite3_step (order) == SQLITE_DONE && sqlite3_step (fts) == SQLITE_DONE;
        }
    }

  if (!undone)
    {
      g_warning ("Could not take back a half-recorded order; cancelling the whole transaction");
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    }
}

gboolean
cp_orders_record (CpLedger       *ledger,
                  const CpOrder  *order,
                  gboolean        decrement,
                  gint64         *out_id,
                  gboolean       *out_existed,
                  GError        **error)
{
  const char *number;
  const char *status;
  gint64 id = 0;
  gboolean existed = FALSE;
  gboolean stock_moved = FALSE;
  gboolean nested;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (order != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  number = order->number != NULL && *order->number != '\0' ? order->number : order->external_id;
  status = order->status != NULL && *order->status != '\0' ? order->status : "completed";

  if (!validate (order, number, status, error))
    return FALSE;

  /* Inside a caller's transaction a SAVEPOINT would be the obvious way to
   * make this order all-or-nothing, but FTS5 flushes its pending index
   * data to a new segment at every SAVEPOINT: a batch of orders would
   * write one segment per order and run at a third of the speed
   * (measured). Everything that can be refused is checked before the
   * first write, so only an engine failure can stop us half-way, and
   * undo_partial_order() handles that. */
  nested = cp_ledger_in_transaction (ledger);

  if (!nested && !cp_ledger_begin (ledger, error))
    return FALSE;

  if (!record_in_transaction (ledger, order, number, status, decrement,
                              &id, &existed, &stock_moved, error))
    {
      if (nested)
        {
          if (id > 0)
            undo_partial_order (ledger, id, stock_moved);
        }
      else
        cp_ledger_rollback (ledger);
      return FALSE;
    }

  if (!existed)
    {
      /* Queued by the ledger until the outermost commit. */
      cp_ledger_emit_changed (ledger, "orders");
      if (stock_moved)
        cp_ledger_emit_changed (ledger, "stock");
    }

  if (!nested && !cp_ledger_commit (ledger, error))
    return FALSE;

  if (out_id != NULL)
    *out_id = id;
  if (out_existed != NULL)
    *out_existed = existed;

  return TRUE;
}

/* Reading */

#define ORDER_COLUMNS \
  "o.id, o.number, o.source, o.external_id, o.status, l.code, o.placed_at, o.currency, " \
  "o.customer_name, c.email, o.shipping_minor, o.discount_minor, o.total_minor, o.tax_minor, " \
  "o.refunded_minor, o.subtotal_minor, o.n_lines "
#define ORDER_FROM \
  "FROM orders o LEFT JOIN locations l ON l.id = o.location_id " \
  "LEFT JOIN customers c ON c.id = o.customer_id "

static CpOrder *
order_from_row (sqlite3_stmt *stmt)
{
  CpOrder *order = cp_order_new ();
  const char *currency;

  order->id = sqlite3_column_int64 (stmt, 0);
  order->number = cp_sql_dup_text (stmt, 1);
  order->source = cp_sql_dup_text (stmt, 2);
  order->external_id = cp_sql_dup_text (stmt, 3);
  order->status = cp_sql_dup_text (stmt, 4);
  order->location_code = cp_sql_dup_text (stmt, 5);
  order->placed_at_us = sqlite3_column_int64 (stmt, 6);
  currency = (const char *) sqlite3_column_text (stmt, 7);
  g_strlcpy (order->currency, currency != NULL ? currency : "", sizeof order->currency);
  order->customer_name = cp_sql_dup_text (stmt, 8);
  order->customer_email = cp_sql_dup_text (stmt, 9);
  order->shipping_minor = sqlite3_column_int64 (stmt, 10);
  order->order_discount_minor = sqlite3_column_int64 (stmt, 11);
  order->total_minor = sqlite3_column_int64 (stmt, 12);
  order->tax_minor = sqlite3_column_int64 (stmt, 13);
  order->refunded_minor = sqlite3_column_int64 (stmt, 14);
  order->subtotal_minor = sqlite3_column_int64 (stmt, 15);
  order->n_lines = (guint) sqlite3_column_int64 (stmt, 16);

  return order;
}

static gboolean
read_children (CpLedger  *ledger,
               CpOrder   *order,
               GError   **error)
{
  g_autoptr(CpSqlCachedStmt) lines = NULL;
  g_autoptr(CpSqlCachedStmt) payments = NULL;
  g_autoptr(CpSqlCachedStmt) refunds = NULL;
  g_autoptr(CpSqlCachedStmt) taxes = NULL;
  g_autoptr(CpSqlCachedStmt) discounts = NULL;
  const char *what = _("Could not read the order");
  int rc;

  lines = cp_ledger_prepare_cached (ledger,
                                    "SELECT sku, name, quantity, unit_price_minor, discount_minor, "
                                    "tax_minor FROM order_lines WHERE order_id = ?1 "
                                    "ORDER BY position",
                                    error);
  if (lines == NULL)
    return FALSE;
  sqlite3_bind_int64 (lines, 1, order->id);
  while ((rc = cp_sql_step (ledger, lines, what, error)) == SQLITE_ROW)
    cp_order_add_line (order,
                       (const char *) sqlite3_column_text (lines, 0),
                       (const char *) sqlite3_column_text (lines, 1),
                       sqlite3_column_int64 (lines, 2),
                       sqlite3_column_int64 (lines, 3),
                       sqlite3_column_int64 (lines, 4),
                       sqlite3_column_int64 (lines, 5));
  if (rc != SQLITE_DONE)
    return FALSE;

  payments = cp_ledger_prepare_cached (ledger,
                                       "SELECT method, amount_minor, reference FROM payments "
                                       "WHERE order_id = ?1 ORDER BY id",
                                       error);
  if (payments == NULL)
    return FALSE;
  sqlite3_bind_int64 (payments, 1, order->id);
  while ((rc = cp_sql_step (ledger, payments, what, error)) == SQLITE_ROW)
    cp_order_add_payment (order,
                          (const char *) sqlite3_column_text (payments, 0),
                          sqlite3_column_int64 (payments, 1),
                          (const char *) sqlite3_column_text (payments, 2));
  if (rc != SQLITE_DONE)
    return FALSE;

  refunds = cp_ledger_prepare_cached (ledger,
                                      "SELECT amount_minor, reason, at FROM refunds "
                                      "WHERE order_id = ?1 ORDER BY id",
                                      error);
  if (refunds == NULL)
    return FALSE;
  sqlite3_bind_int64 (refunds, 1, order->id);
  while ((rc = cp_sql_step (ledger, refunds, what, error)) == SQLITE_ROW)
    cp_order_add_refund (order,
                         sqlite3_column_int64 (refunds, 0),
                         (const char *) sqlite3_column_text (refunds, 1),
                         sqlite3_column_int64 (refunds, 2));
  if (rc != SQLITE_DONE)
    return FALSE;

  taxes = cp_ledger_prepare_cached (ledger,
                                    "SELECT name, coalesce (rate_bp, -1), amount_minor "
                                    "FROM order_taxes WHERE order_id = ?1 ORDER BY id",
                                    error);
  if (taxes == NULL)
    return FALSE;
  sqlite3_bind_int64 (taxes, 1, order->id);
  while ((rc = cp_sql_step (ledger, taxes, what, error)) == SQLITE_ROW)
    cp_order_add_tax (order,
                      (const char *) sqlite3_column_text (taxes, 0),
                      sqlite3_column_int64 (taxes, 1),
                      sqlite3_column_int64 (taxes, 2));
  if (rc != SQLITE_DONE)
    return FALSE;

  discounts = cp_ledger_prepare_cached (ledger,
                                        "SELECT code, description, amount_minor "
                                        "FROM order_discounts WHERE order_id = ?1 ORDER BY id",
                                        error);
  if (discounts == NULL)
    return FALSE;
  sqlite3_bind_int64 (discounts, 1, order->id);
  while ((rc = cp_sql_step (ledger, discounts, what, error)) == SQLITE_ROW)
    cp_order_add_discount (order,
                           (const char *) sqlite3_column_text (discounts, 0),
                           (const char *) sqlite3_column_text (discounts, 1),
                           sqlite3_column_int64 (discounts, 2));

  return rc == SQLITE_DONE;
}

CpOrder *
cp_orders_get (CpLedger    *ledger,
               gint64       id,
               GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(CpOrder) order = NULL;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT " ORDER_COLUMNS ORDER_FROM "WHERE o.id = ?1",
                                   error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = cp_sql_step (ledger, stmt, _("Could not read the order"), error);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND,
                   _("There is no order with id %" G_GINT64_FORMAT ". It may have been "
                     "removed; reload the list."), id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    return NULL;

  order = order_from_row (stmt);
  sqlite3_reset (stmt);

  if (!read_children (ledger, order, error))
    return NULL;

  return g_steal_pointer (&order);
}

gint64
cp_orders_count (CpLedger *ledger)
{
  g_return_val_if_fail (CP_IS_LEDGER (ledger), 0);

  return cp_sql_query_int (ledger, "SELECT count (*) FROM orders", 0);
}

/* Listing */

void
cp_orders_filter_append_sql (const CpOrderFilter *filter,
                             GString             *sql)
{
  g_autofree char *match = NULL;

  if (filter == NULL)
    return;

  if (filter->source != NULL && *filter->source != '\0')
    g_string_append (sql, " AND o.source = :source");
  if (filter->status != NULL && *filter->status != '\0')
    g_string_append (sql, " AND o.status = :status");
  if (filter->since_us != 0)
    g_string_append (sql, " AND o.placed_at >= :since");
  if (filter->until_us != 0)
    g_string_append (sql, " AND o.placed_at < :until");

  match = cp_fts_prefix_query (filter->search);
  if (match != NULL)
    g_string_append (sql, " AND o.id IN (SELECT rowid FROM orders_fts WHERE orders_fts MATCH :search)");
}

static void
bind_named_text (sqlite3_stmt *stmt,
                 const char   *name,
                 const char   *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

static void
bind_named_int64 (sqlite3_stmt *stmt,
                  const char   *name,
                  gint64        value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_int64 (stmt, index, value);
}

void
cp_orders_filter_bind (const CpOrderFilter *filter,
                       sqlite3_stmt        *stmt)
{
  g_autofree char *match = NULL;

  if (filter == NULL)
    return;

  bind_named_text (stmt, ":source", filter->source);
  bind_named_text (stmt, ":status", filter->status);
  bind_named_int64 (stmt, ":since", filter->since_us);
  bind_named_int64 (stmt, ":until", filter->until_us);

  match = cp_fts_prefix_query (filter->search);
  if (match != NULL)
    bind_named_text (stmt, ":search", match);
}

GPtrArray *
cp_orders_list (CpLedger            *ledger,
                const CpOrderFilter *filter,
                GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " ORDER_COLUMNS ORDER_FROM "WHERE 1");
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cp_orders_filter_append_sql (filter, sql);
  g_string_append (sql, " ORDER BY o.placed_at DESC, o.id DESC");
  if (filter != NULL && filter->limit > 0)
    g_string_append (sql, " LIMIT :limit");

  stmt = cp_ledger_prepare (ledger, sql->str, error);
  if (stmt == NULL)
    return NULL;

  cp_orders_filter_bind (filter, stmt);
  if (filter != NULL && filter->limit > 0)
    bind_named_int64 (stmt, ":limit", filter->limit);

  orders = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);
  while ((rc = cp_sql_step (ledger, stmt, _("Could not list the orders"), error)) == SQLITE_ROW)
    g_ptr_array_add (orders, order_from_row (stmt));

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&orders);
}
