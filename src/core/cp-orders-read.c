/* cp-orders-read.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading orders back, counting and listing them. The list's WHERE clause
 * is shared with the order model (cp-orders-private.h); search words only
 * reach SQLite as a bound FTS5 query from cp_fts_prefix_query().
 */

#define G_LOG_DOMAIN "cp-orders"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "cp-fts.h"
#include "cp-orders.h"
#include "cp-orders-private.h"
#include "cp-sql.h"

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
                   _("There is no order with id %" PRId64 ". It may have been "
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
