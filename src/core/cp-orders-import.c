/* cp-orders-import.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Store orders into the ledger: the payment gate, updates of a known
 * order (cancelled, refunded, paid) with its stock put back, and the
 * "needs mapping" list. New orders are written by cp_orders_record ();
 * this file only adds what a store's order needs on top of it.
 */

#define G_LOG_DOMAIN "cp-orders"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "cp-order-currency.h"
#include "cp-order-status.h"
#include "cp-orders-import.h"
#include "cp-orders-reserve.h"
#include "cp-sql.h"
#include "cp-stock.h"

gboolean
cp_orders_import_is_unpaid (const char *status)
{
  /* on_hold: WooCommerce's on-hold, an order waiting for a payment to be
   * confirmed by hand (a bank transfer, a cheque). */
  return g_strcmp0 (status, "awaiting_payment") == 0 ||
         g_strcmp0 (status, "on_hold") == 0 ||
         g_strcmp0 (status, "payment_failed") == 0 ||
         g_strcmp0 (status, "failed") == 0;
}

/* Statuses whose goods are back on the shelf (or never left it). */
static gboolean
is_restocked (const char *status)
{
  return g_strcmp0 (status, "cancelled") == 0 || g_strcmp0 (status, "refunded") == 0;
}

typedef struct
{
  gint64  id;
  char   *status;
  char   *number;
  gint64  location_id;   /* 0: none, so no stock was taken */
} Existing;

static void
existing_clear (Existing *e)
{
  g_clear_pointer (&e->status, g_free);
  g_clear_pointer (&e->number, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Existing, existing_clear)

/* 1 found, 0 not, -1 error. */
static int
find_existing (CpLedger       *ledger,
               const CpOrder  *order,
               Existing       *out,
               GError        **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT id, status, number, location_id FROM orders"
                                   " WHERE source = ?1 AND external_id = ?2",
                                   error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, order->source, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, order->external_id, -1, SQLITE_STATIC);
  rc = cp_sql_step (ledger, stmt, _("Could not read the orders"), error);
  if (rc == SQLITE_DONE)
    return 0;
  if (rc != SQLITE_ROW)
    return -1;
  out->id = sqlite3_column_int64 (stmt, 0);
  out->status = cp_sql_dup_text (stmt, 1);
  out->number = cp_sql_dup_text (stmt, 2);
  out->location_id = sqlite3_column_int64 (stmt, 3);
  return 1;
}

/* Records the refunds of ORDER the ledger does not have yet. A refund is
 * known by its amount and time: CpRefund carries no platform id, and the
 * pair is what a store sends again unchanged on every redelivery. */
static gboolean
add_new_refunds (CpLedger       *ledger,
                 const CpOrder  *order,
                 gint64          order_id,
                 gboolean       *out_added,
                 GError        **error)
{
  const char *what = _("Could not record the order's refunds");

  for (guint i = 0; order->refunds != NULL && i < order->refunds->len; i++)
    {
      const CpRefund *refund = g_ptr_array_index (order->refunds, i);
      g_autoptr(CpSqlCachedStmt) seen = NULL;
      g_autoptr(CpSqlCachedStmt) insert = NULL;
      int rc;

      if (refund->amount_minor < 0)
        {
          g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                       _("Order %s has a negative refund. Check the order on the store."),
                       order->number != NULL ? order->number : order->external_id);
          return FALSE;
        }

      seen = cp_ledger_prepare_cached (ledger,
                                       "SELECT 1 FROM refunds WHERE order_id = ?1"
                                       " AND amount_minor = ?2 AND at = ?3",
                                       error);
      if (seen == NULL)
        return FALSE;
      sqlite3_bind_int64 (seen, 1, order_id);
      sqlite3_bind_int64 (seen, 2, refund->amount_minor);
      sqlite3_bind_int64 (seen, 3, refund->at_us);
      rc = cp_sql_step (ledger, seen, what, error);
      if (rc == SQLITE_ROW)
        continue;
      if (rc != SQLITE_DONE)
        return FALSE;

      insert = cp_ledger_prepare_cached (ledger,
                                         "INSERT INTO refunds (order_id, amount_minor, currency,"
                                         " reason, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                                         error);
      if (insert == NULL)
        return FALSE;
      sqlite3_bind_int64 (insert, 1, order_id);
      sqlite3_bind_int64 (insert, 2, refund->amount_minor);
      sqlite3_bind_text (insert, 3, order->currency, -1, SQLITE_STATIC);
      cp_sql_bind_text_or_null (insert, 4, refund->reason);
      sqlite3_bind_int64 (insert, 5, refund->at_us);
      if (!cp_sql_run (ledger, insert, what, error))
        return FALSE;
      *out_added = TRUE;
    }
  return TRUE;
}

/* Puts back what the order took: one "returned" movement per line that
 * took stock (a known variant at the order's location). */
static gboolean
restock (CpLedger      *ledger,
         const CpOrder *order,
         Existing      *existing,
         gint64        *out_units,
         GError       **error)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (gint64) * 2);
  g_autofree char *note = NULL;
  int rc;

  if (existing->location_id <= 0)
    return TRUE;

  /* Read first, move after: stock movements write while this reads. */
  stmt = cp_ledger_prepare (ledger,
                            "SELECT variant_id, quantity FROM order_lines"
                            " WHERE order_id = ?1 AND variant_id IS NOT NULL AND quantity > 0"
                            " ORDER BY position",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, existing->id);
  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the order's lines"), error)) == SQLITE_ROW)
    {
      gint64 pair[2] = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };

      g_array_append_vals (lines, pair, 1);
    }
  if (rc != SQLITE_DONE)
    return FALSE;

  note = g_strcmp0 (order->status, "cancelled") == 0
         ? g_strdup_printf (_("Order %s was cancelled on the store"), existing->number)
         : g_strdup_printf (_("Order %s was refunded on the store"), existing->number);
  for (guint i = 0; i < lines->len; i++)
    {
      const gint64 *pair = &g_array_index (lines, gint64, i * 2);

      if (!cp_stock_adjust_ids (ledger, pair[0], existing->location_id, pair[1],
                                CP_STOCK_REASON_RETURNED, note, existing->number, order->source,
                                NULL, error))
        return FALSE;
      *out_units += pair[1];
    }
  return TRUE;
}

static gboolean
update_existing (CpLedger             *ledger,
                 const CpOrder        *order,
                 Existing             *existing,
                 CpOrderImportResult  *out_result,
                 gint64               *out_restocked,
                 GError              **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  const char *new_status = NULL;
  gboolean refunds_added = FALSE;
  gboolean reserved = FALSE;

  if (!add_new_refunds (ledger, order, existing->id, &refunds_added, error))
    return FALSE;

  /* Awaiting payment or kept aside, its stock reserved: paid, it sells;
   * cancelled, it is released (cp-orders-reserve.h). */
  if (!cp_orders_reserve_settle (ledger, order, existing->id, existing->status,
                                 existing->location_id, existing->number, &reserved, &new_status,
                                 out_restocked, error))
    return FALSE;

  if (!reserved && is_restocked (order->status) &&
      g_strcmp0 (order->status, existing->status) != 0)
    {
      new_status = order->status;
      if (!is_restocked (existing->status) &&
          !restock (ledger, order, existing, out_restocked, error))
        return FALSE;
    }
  else if (!reserved && cp_orders_import_is_unpaid (existing->status) && order->status != NULL &&
           !cp_orders_import_is_unpaid (order->status))
    /* Imported unpaid (the gate was off): now paid. */
    new_status = order->status;

  if (new_status == NULL && !refunds_added)
    {
      *out_result = CP_ORDER_IMPORT_UNCHANGED;
      return TRUE;
    }

  stmt = cp_ledger_prepare_cached (ledger,
                                   "UPDATE orders SET status = coalesce (?2, status),"
                                   " refunded_minor = (SELECT coalesce (sum (amount_minor), 0)"
                                   "                     FROM refunds WHERE order_id = ?1),"
                                   " updated_at = ?3 WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, existing->id);
  cp_sql_bind_text (stmt, 2, new_status);
  sqlite3_bind_int64 (stmt, 3, cp_ledger_now_us ());
  if (!cp_sql_run (ledger, stmt, _("Could not update the order"), error))
    return FALSE;

  cp_ledger_emit_changed (ledger, "orders");
  *out_result = CP_ORDER_IMPORT_UPDATED;
  return TRUE;
}

gboolean
cp_orders_import (CpLedger             *ledger,
                  const char           *settings_json,
                  const CpOrder        *order,
                  gint64               *out_id,
                  CpOrderImportResult  *out_result,
                  gint64               *out_restocked,
                  GError              **error)
{
  g_auto(Existing) existing = { 0, };
  CpOrderImportResult result = CP_ORDER_IMPORT_UNCHANGED;
  gboolean own = !cp_ledger_in_transaction (ledger);
  gint64 restocked = 0;
  gint64 id = 0;
  int found;

  g_return_val_if_fail (order != NULL && order->source != NULL && order->external_id != NULL, FALSE);

  if (own && !cp_ledger_begin (ledger, error))
    return FALSE;

  found = find_existing (ledger, order, &existing, error);
  if (found < 0)
    goto fail;

  if (found == 0)
    {
      gboolean existed = FALSE;

      /* In another currency than the books': kept aside, never converted. */
      if (cp_order_currency_is_foreign (ledger, order))
        {
          if (!cp_order_currency_hold (ledger, order, NULL, &id, &existed, error))
            goto fail;
          result = existed ? CP_ORDER_IMPORT_UNCHANGED : CP_ORDER_IMPORT_KEPT_ASIDE;
        }
      else if (cp_orders_import_is_unpaid (order->status) &&
               cp_orders_reserve_gate_on (settings_json))
        {
          if (!cp_orders_reserve_record (ledger, order, CP_ORDER_STATUS_AWAITING_PAYMENT, NULL,
                                         &id, &existed, error))
            goto fail;
          result = existed ? CP_ORDER_IMPORT_UNCHANGED : CP_ORDER_IMPORT_HELD;
        }
      /* An order first seen cancelled or refunded never took stock. */
      else if (!cp_orders_record (ledger, order, !is_restocked (order->status), &id, &existed, error))
        goto fail;
      else
        result = existed ? CP_ORDER_IMPORT_UNCHANGED : CP_ORDER_IMPORT_CREATED;
    }
  else
    {
      id = existing.id;
      if (!update_existing (ledger, order, &existing, &result, &restocked, error))
        goto fail;
    }

  if (own && !cp_ledger_commit (ledger, error))
    return FALSE;

  if (out_id != NULL)
    *out_id = id;
  if (out_result != NULL)
    *out_result = result;
  if (out_restocked != NULL)
    *out_restocked = restocked;
  return TRUE;

fail:
  if (own && cp_ledger_in_transaction (ledger))
    cp_ledger_rollback (ledger);
  return FALSE;
}

/* A whole sentence for each status a store's change brings, never the
 * status code inside one: translators must see the sentence. */
static char *
describe_update (const CpOrder *order,
                 const char    *number,
                 const char    *store_name,
                 gint64         restocked)
{
  gulong n = (gulong) MIN (restocked, G_MAXLONG);
  g_autofree char *label = NULL;

  if (g_strcmp0 (order->status, "cancelled") == 0)
    return restocked > 0
           ? g_strdup_printf (ngettext ("Order %s was cancelled on “%s”: %" PRId64
                                        " item is back in stock.",
                                        "Order %s was cancelled on “%s”: %" PRId64
                                        " items are back in stock.", n),
                              number, store_name, (int64_t) restocked)
           : g_strdup_printf (_("Order %s was cancelled on “%s”."), number, store_name);
  if (g_strcmp0 (order->status, "refunded") == 0)
    return restocked > 0
           ? g_strdup_printf (ngettext ("Order %s was refunded on “%s”: %" PRId64
                                        " item is back in stock.",
                                        "Order %s was refunded on “%s”: %" PRId64
                                        " items are back in stock.", n),
                              number, store_name, (int64_t) restocked)
           : g_strdup_printf (_("Order %s was refunded on “%s”."), number, store_name);

  label = cp_order_status_label (order->status);
  return restocked > 0
         ? g_strdup_printf (ngettext ("Order %s on “%s” is now “%s”: %" PRId64
                                      " item is back in stock.",
                                      "Order %s on “%s” is now “%s”: %" PRId64
                                      " items are back in stock.", n),
                            number, store_name, label, (int64_t) restocked)
         : g_strdup_printf (_("Order %s on “%s” is now “%s”."), number, store_name, label);
}

char *
cp_orders_import_describe (const CpOrder        *order,
                           const char           *store_name,
                           CpOrderImportResult   result,
                           gint64                restocked)
{
  const char *number;

  g_return_val_if_fail (order != NULL, NULL);

  number = order->number != NULL ? order->number : order->external_id;
  switch (result)
    {
    case CP_ORDER_IMPORT_CREATED:
      return g_strdup_printf (_("Order %s received from “%s”."), number, store_name);
    case CP_ORDER_IMPORT_HELD:
      return g_strdup_printf (_("Order %s from “%s” awaits payment: its goods are set aside, "
                                "and become a sale once the store says it is paid."),
                              number, store_name);
    case CP_ORDER_IMPORT_UPDATED:
      return describe_update (order, number, store_name, restocked);
    case CP_ORDER_IMPORT_KEPT_ASIDE:
    case CP_ORDER_IMPORT_UNCHANGED:
    default:
      return NULL;
    }
}

/* --- Needs mapping ---------------------------------------------------------- */

void
cp_unmapped_line_free (CpUnmappedLine *line)
{
  if (line == NULL)
    return;
  g_free (line->number);
  g_free (line->source);
  g_free (line->sku);
  g_free (line->name);
  g_free (line);
}

/* Lines without a variant are few (a store's new products, custom
 * items), but nothing indexes them: the scan reads order_lines once,
 * which a list asked for by a person can afford. An order kept aside for
 * its currency is not in the books: nothing of it needs mapping yet. */
#define NEEDS_MAPPING_WHERE \
  " FROM order_lines l JOIN orders o ON o.id = l.order_id" \
  " WHERE l.variant_id IS NULL AND l.sku IS NOT NULL AND l.sku != ''" \
  "   AND o.source != 'pos' AND (?1 IS NULL OR o.source = ?1)" \
  "   AND o.status != '" CP_ORDER_STATUS_HELD_CURRENCY "'" \
  "   AND NOT EXISTS (SELECT 1 FROM variants v WHERE v.sku = l.sku)"

GPtrArray *
cp_orders_list_needs_mapping (CpLedger    *ledger,
                              const char  *source,
                              guint        limit,
                              GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_unmapped_line_free);
  int rc;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT o.id, o.number, o.source, l.sku, l.name, l.quantity,"
                                   " o.placed_at" NEEDS_MAPPING_WHERE
                                   " ORDER BY o.placed_at DESC, o.id DESC, l.position LIMIT ?2",
                                   error);
  if (stmt == NULL)
    return NULL;
  cp_sql_bind_text (stmt, 1, source);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);

  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the orders"), error)) == SQLITE_ROW)
    {
      CpUnmappedLine *line = g_new0 (CpUnmappedLine, 1);

      line->order_id = sqlite3_column_int64 (stmt, 0);
      line->number = cp_sql_dup_text (stmt, 1);
      line->source = cp_sql_dup_text (stmt, 2);
      line->sku = cp_sql_dup_text (stmt, 3);
      line->name = cp_sql_dup_text (stmt, 4);
      line->quantity = sqlite3_column_int64 (stmt, 5);
      line->placed_at_us = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (list, line);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&list);
}

gint64
cp_orders_count_needs_mapping (CpLedger   *ledger,
                               const char *source)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  gint64 count = -1;

  stmt = cp_ledger_prepare_cached (ledger, "SELECT count (*)" NEEDS_MAPPING_WHERE, NULL);
  if (stmt == NULL)
    return -1;
  cp_sql_bind_text (stmt, 1, source);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  return count;
}
