/* cp-orders.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Recording orders from every source. Recording is on the hot path of
 * `sales record` and of order pulls (a million lines in a benchmark), so
 * every statement comes from the ledger's statement cache and nothing is
 * read back that we just wrote.
 */

#define G_LOG_DOMAIN "cp-orders"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "cp-money.h"
#include "cp-orders.h"
#include "cp-orders-private.h"
#include "cp-sql.h"
#include "cp-stock.h"

/* Recording */

/* Steps STMT; WHAT (marked with N_()) is translated only when the step
 * fails: gettext on every statement showed up in the profile of a
 * million-line recording. */
static int
step_or_explain (CpLedger      *ledger,
                 sqlite3_stmt  *stmt,
                 const char    *what,
                 GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    cp_ledger_set_error_from_sqlite (ledger, error, _(what));

  return rc;
}

static gboolean
run_or_explain (CpLedger      *ledger,
                sqlite3_stmt  *stmt,
                const char    *what,
                GError       **error)
{
  int rc;

  while ((rc = step_or_explain (ledger, stmt, what, error)) == SQLITE_ROW)
    ;

  return rc == SQLITE_DONE;
}

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
                       _("Order %s: line %u has a negative quantity (%" PRId64 "). "
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

  rc = step_or_explain (ledger, stmt, N_("Could not read the ledger"), error);
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

/* Not "... RETURNING id": like every statement with a RETURNING clause
 * (see insert_lines()) it would flush orders_fts to a new segment per
 * order. The id is read back by the unique email instead. */
static gint64
upsert_customer (CpLedger      *ledger,
                 const CpOrder *order,
                 gint64         now,
                 GError       **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  gint64 id;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "INSERT INTO customers (name, email, created_at) "
                                   "VALUES (?1, ?2, ?3) "
                                   "ON CONFLICT (email) DO UPDATE "
                                   "SET name = coalesce (customers.name, excluded.name)",
                                   error);
  if (stmt == NULL)
    return -1;

  cp_sql_bind_text_or_null (stmt, 1, order->customer_name);
  sqlite3_bind_text (stmt, 2, order->customer_email, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);

  if (!run_or_explain (ledger, stmt, N_("Could not save the customer"), error))
    return -1;

  id = lookup_id (ledger, "SELECT id FROM customers WHERE email = ?1",
                  order->customer_email, NULL, error);
  if (id == 0)
    {
      g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_ENGINE,
                           _("Could not save the customer"));
      return -1;
    }

  return id;
}

static gboolean
insert_order_row (CpLedger            *ledger,
                  const CpOrder       *order,
                  const char          *number,
                  const char          *status,
                  gint64               location_id,
                  gint64               customer_id,
                  gint64               placed_at,
                  const CpOrderTotals *totals,
                  gint64               now,
                  gint64              *out_id,
                  GError             **error)
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

  if (!run_or_explain (ledger, stmt, N_("Could not save the order"), error))
    return FALSE;

  *out_id = sqlite3_last_insert_rowid (cp_ledger_get_db (ledger));
  return TRUE;
}

/* With RESOLVE_IDS (stock is to move) each line's variant is looked up
 * first and bound by id, and VARIANT_IDS[i] is set, 0 when the SKU names
 * no variant. Without, the INSERT resolves the SKU itself. Either way a
 * SKU that names no variant stores NULL.
 *
 * Never "INSERT ... RETURNING variant_id": SQLite runs a RETURNING clause
 * as a trigger, and a statement with a trigger opens a statement
 * journal, which is a savepoint; FTS5 flushes its pending terms to a new
 * segment at every savepoint. That made every order write and merge its
 * own orders_fts segment: 30 µs per line instead of 7 (measured). */
static gboolean
insert_lines (CpLedger      *ledger,
              const CpOrder *order,
              gint64         order_id,
              gboolean       resolve_ids,
              gint64        *variant_ids,
              GError       **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  const char *what = N_("Could not save the order's lines");

  for (guint i = 0; resolve_ids && i < order->lines->len; i++)
    {
      const CpOrderLine *line = g_ptr_array_index (order->lines, i);

      if (line->sku == NULL || *line->sku == '\0')
        continue;
      variant_ids[i] = lookup_id (ledger, "SELECT id FROM variants WHERE sku = ?1",
                                  line->sku, NULL, error);
      if (variant_ids[i] < 0)
        return FALSE;
    }

  if (resolve_ids)
    stmt = cp_ledger_prepare_cached (ledger,
                                     "INSERT INTO order_lines (order_id, position, variant_id, sku, "
                                     "name, quantity, unit_price_minor, discount_minor, tax_minor, "
                                     "total_minor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                     error);
  else
    stmt = cp_ledger_prepare_cached (ledger,
                                     "INSERT INTO order_lines (order_id, position, variant_id, sku, "
                                     "name, quantity, unit_price_minor, discount_minor, tax_minor, "
                                     "total_minor) VALUES (?1, ?2, "
                                     "(SELECT id FROM variants WHERE sku = ?4), ?4, "
                                     "?5, ?6, ?7, ?8, ?9, ?10)",
                                     error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, order_id);

  for (guint i = 0; i < order->lines->len; i++)
    {
      const CpOrderLine *line = g_ptr_array_index (order->lines, i);
      const char *name = line->name != NULL && *line->name != '\0' ? line->name : line->sku;
      gint64 total;

      /* cp_order_compute_totals() already proved these do not overflow. */
      total = line->quantity * line->unit_price_minor - line->discount_minor + line->tax_minor;

      sqlite3_bind_int64 (stmt, 2, i + 1);
      if (resolve_ids && variant_ids[i] > 0)
        sqlite3_bind_int64 (stmt, 3, variant_ids[i]);
      else if (resolve_ids)
        sqlite3_bind_null (stmt, 3);
      if (line->sku != NULL && *line->sku != '\0')
        sqlite3_bind_text (stmt, 4, line->sku, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 4);
      sqlite3_bind_text (stmt, 5, name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, line->quantity);
      sqlite3_bind_int64 (stmt, 7, line->unit_price_minor);
      sqlite3_bind_int64 (stmt, 8, line->discount_minor);
      sqlite3_bind_int64 (stmt, 9, line->tax_minor);
      sqlite3_bind_int64 (stmt, 10, total);

      if (!run_or_explain (ledger, stmt, what, error))
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
                       GPtrArray      *search_rows,
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
  CpOrderTotals totals;

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

  if (!cp_order_compute_totals (order, &totals))
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
  if (!insert_lines (ledger, order, order_id, decrement && location_id > 0, variant_ids, error) ||
      !insert_payments_and_refunds (ledger, order, order_id, placed_at, error) ||
      !insert_taxes_and_discounts (ledger, order, order_id, error) ||
      (search_rows == NULL &&
       !cp_orders_search_row_insert (ledger, order, order_id, number, error)))
    return FALSE;

  if (decrement && location_id > 0 &&
      !decrement_stock (ledger, order, number, location_id, variant_ids, out_stock_moved, error))
    return FALSE;

  /* Last, so a failure above never leaves the row of an order that is
   * not there. */
  if (search_rows != NULL)
    cp_orders_search_row_add (search_rows, order, order_id, number);

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

/* SEARCH_ROWS: see cp_orders_record_deferred(). */
static gboolean
record_order (CpLedger       *ledger,
              const CpOrder  *order,
              gboolean        decrement,
              GPtrArray      *search_rows,
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

  if (!record_in_transaction (ledger, order, number, status, decrement, search_rows,
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

gboolean
cp_orders_record (CpLedger       *ledger,
                  const CpOrder  *order,
                  gboolean        decrement,
                  gint64         *out_id,
                  gboolean       *out_existed,
                  GError        **error)
{
  return record_order (ledger, order, decrement, NULL, out_id, out_existed, error);
}

gboolean
cp_orders_record_deferred (CpLedger       *ledger,
                           const CpOrder  *order,
                           gboolean        decrement,
                           GPtrArray      *search_rows,
                           gint64         *out_id,
                           gboolean       *out_existed,
                           GError        **error)
{
  g_return_val_if_fail (search_rows != NULL, FALSE);
  g_return_val_if_fail (CP_IS_LEDGER (ledger) && cp_ledger_in_transaction (ledger), FALSE);

  return record_order (ledger, order, decrement, search_rows, out_id, out_existed, error);
}
