/* cp-orders-reserve.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Store orders that reserve stock instead of selling it: awaiting
 * payment, or kept aside for their currency (cp-orders-reserve.h).
 */

#define G_LOG_DOMAIN "cp-orders"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "cp-order-currency.h"
#include "cp-orders-import.h"
#include "cp-orders-private.h"
#include "cp-orders-reserve.h"
#include "cp-sql.h"
#include "cp-stock.h"

/* Statuses whose goods are back on the shelf (or never left it). */
static gboolean
is_cancelled (const char *status)
{
  return g_strcmp0 (status, "cancelled") == 0 || g_strcmp0 (status, "refunded") == 0;
}

/* The statuses under which an order may hold a reservation. */
static gboolean
may_reserve (const char *status)
{
  return cp_orders_import_is_unpaid (status) ||
         g_strcmp0 (status, CP_ORDER_STATUS_HELD_CURRENCY) == 0;
}

gboolean
cp_order_status_is_sale (const char *status)
{
  return g_strcmp0 (status, "cancelled") != 0 && !may_reserve (status);
}

gboolean
cp_orders_reserve_gate_on (const char *settings_json)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonNode *orders;
  JsonNode *flag;

  if (settings_json == NULL ||
      !json_parser_load_from_data (parser, settings_json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (orders = json_object_get_member (json_node_get_object (root), "orders")) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (orders))
    return TRUE;
  flag = json_object_get_member (json_node_get_object (orders), "import_unpaid");
  return !(flag != NULL && JSON_NODE_HOLDS_VALUE (flag) &&
           json_node_get_value_type (flag) == G_TYPE_BOOLEAN && json_node_get_boolean (flag));
}

/* The first column of SQL's row, ?1 bound to ID (0: none bound); 0 when
 * there is no row, -1 on error. */
static gint64
query_id (CpLedger    *ledger,
          const char  *sql,
          gint64       id,
          GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = cp_ledger_prepare_cached (ledger, sql, error);
  int rc;

  if (stmt == NULL)
    return -1;
  if (id != 0)
    sqlite3_bind_int64 (stmt, 1, id);
  rc = cp_sql_step (ledger, stmt, _("Could not read the orders"), error);
  if (rc == SQLITE_DONE)
    return 0;
  return rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
}

/* (variant id, quantity) of each line of ORDER_ID with a known product;
 * read whole before any stock moves, as the stock writes while a read
 * is open would see their own rows. NULL on error. */
static GArray *
read_lines (CpLedger  *ledger,
            gint64     order_id,
            GError   **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (gint64) * 2);
  int rc;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT variant_id, quantity FROM order_lines"
                                   " WHERE order_id = ?1 AND variant_id IS NOT NULL AND quantity > 0"
                                   " ORDER BY position",
                                   error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the order's lines"), error)) == SQLITE_ROW)
    {
      gint64 pair[2] = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };

      g_array_append_vals (lines, pair, 1);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&lines);
}

static gboolean
reserve_lines (CpLedger  *ledger,
               gint64     order_id,
               gint64     location_id,
               GError   **error)
{
  g_autoptr(GArray) lines = read_lines (ledger, order_id, error);

  if (lines == NULL)
    return FALSE;
  for (guint i = 0; i < lines->len; i++)
    {
      const gint64 *pair = &g_array_index (lines, gint64, i * 2);

      if (!cp_stock_reserve_ids (ledger, pair[0], location_id, pair[1], error))
        return FALSE;
    }
  if (lines->len > 0)
    cp_ledger_emit_changed (ledger, "stock");
  return TRUE;
}

/* Ends the reservation of ORDER_ID; when SELL, each line is sold. What is
 * released is at most what is still reserved there: a person may have
 * changed a reservation by hand, and a release that cannot happen must
 * not block the store's word on the order forever. */
static gboolean
release_lines (CpLedger    *ledger,
               gint64       order_id,
               gint64       location_id,
               const char  *number,
               const char  *source,
               gboolean     sell,
               gint64      *out_released,
               GError     **error)
{
  g_autoptr(GArray) lines = read_lines (ledger, order_id, error);

  if (lines == NULL)
    return FALSE;
  for (guint i = 0; i < lines->len; i++)
    {
      const gint64 *pair = &g_array_index (lines, gint64, i * 2);
      g_autoptr(CpSqlCachedStmt) stmt = NULL;
      gint64 reserved = 0;
      int rc;

      stmt = cp_ledger_prepare_cached (ledger,
                                       "SELECT reserved FROM stock_levels"
                                       " WHERE variant_id = ?1 AND location_id = ?2",
                                       error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, pair[0]);
      sqlite3_bind_int64 (stmt, 2, location_id);
      rc = cp_sql_step (ledger, stmt, _("Could not read the stock"), error);
      if (rc == SQLITE_ROW)
        reserved = sqlite3_column_int64 (stmt, 0);
      else if (rc != SQLITE_DONE)
        return FALSE;
      g_clear_pointer (&stmt, sqlite3_reset);

      reserved = MIN (reserved, pair[1]);
      if (reserved > 0 && !cp_stock_reserve_ids (ledger, pair[0], location_id, -reserved, error))
        return FALSE;
      if (sell &&
          !cp_stock_adjust_ids (ledger, pair[0], location_id, -pair[1], CP_STOCK_REASON_SOLD,
                                NULL, number, source, NULL, error))
        return FALSE;
      if (!sell && out_released != NULL)
        *out_released += reserved;
    }
  if (lines->len > 0)
    cp_ledger_emit_changed (ledger, "stock");
  return TRUE;
}

gboolean
cp_orders_reserve_record (CpLedger       *ledger,
                          const CpOrder  *order,
                          const char     *status,
                          GPtrArray      *search_rows,
                          gint64         *out_id,
                          gboolean       *out_existed,
                          GError        **error)
{
  gboolean own = !cp_ledger_in_transaction (ledger);
  gboolean existed = FALSE;
  gint64 location_id;
  gint64 id = 0;
  CpOrder held;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (order != NULL && order->source != NULL && status != NULL, FALSE);
  g_return_val_if_fail (search_rows == NULL || !own, FALSE);

  if (own && !cp_ledger_begin (ledger, error))
    return FALSE;

  /* A shallow copy with its status, and the place a sale of it would take
   * stock from (cp_orders_record's rule): where it is reserved, and
   * released, and sold once paid. */
  held = *order;
  held.status = (char *) status;
  /* Come cancelled (kept aside as it is): it reserves nothing, and names
   * no place, so that nothing is ever released for it. */
  if (is_cancelled (order->status))
    held.location_code = NULL;
  else if (order->location_code == NULL || *order->location_code == '\0')
    {
      location_id = query_id (ledger, "SELECT id FROM locations WHERE code = 'MAIN'", 0,
                              error);
      if (location_id < 0)
        goto fail;
      held.location_code = location_id > 0 ? (char *) "MAIN" : NULL;
    }

  if (search_rows != NULL
      ? !cp_orders_record_deferred (ledger, &held, FALSE, search_rows, &id, &existed, error)
      : !cp_orders_record (ledger, &held, FALSE, &id, &existed, error))
    goto fail;

  if (!existed && held.location_code != NULL)
    {
      location_id = query_id (ledger, "SELECT coalesce (location_id, 0) FROM orders WHERE id = ?1",
                              id, error);
      if (location_id < 0 ||
          (location_id > 0 && !reserve_lines (ledger, id, location_id, error)))
        goto fail;
    }

  if (own && !cp_ledger_commit (ledger, error))
    return FALSE;
  if (out_id != NULL)
    *out_id = id;
  if (out_existed != NULL)
    *out_existed = existed;
  return TRUE;

fail:
  if (own && cp_ledger_in_transaction (ledger))
    cp_ledger_rollback (ledger);
  return FALSE;
}

int
cp_orders_reserve_find (CpLedger       *ledger,
                        const CpOrder  *order,
                        gint64         *out_id,
                        char          **out_status,
                        gint64         *out_location_id,
                        GError        **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT id, status, coalesce (location_id, 0) FROM orders"
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
  *out_id = sqlite3_column_int64 (stmt, 0);
  *out_status = cp_sql_dup_text (stmt, 1);
  *out_location_id = sqlite3_column_int64 (stmt, 2);
  return 1;
}

/* 1 when the order holds a reservation (see the header), 0 not, -1 error. */
static int
holds_reservation (CpLedger     *ledger,
                   gint64        order_id,
                   const char   *status,
                   gint64        location_id,
                   const char   *number,
                   const char   *source,
                   GError      **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  if (!may_reserve (status) || location_id <= 0)
    return 0;

  /* The journal's index is by variant and location: the lines' variants
   * narrow it to their own movements. Read once, when the store's word
   * changes the order's status. */
  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT EXISTS (SELECT 1 FROM order_lines l"
                                   " JOIN stock_movements m ON m.variant_id = l.variant_id"
                                   "  AND m.location_id = ?2"
                                   " WHERE l.order_id = ?1 AND m.reason = 'sold'"
                                   "  AND m.reference = ?3 AND m.actor = ?4)",
                                   error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, order_id);
  sqlite3_bind_int64 (stmt, 2, location_id);
  cp_sql_bind_text (stmt, 3, number);
  cp_sql_bind_text (stmt, 4, source);
  rc = cp_sql_step (ledger, stmt, _("Could not read the stock movements"), error);
  if (rc != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0) == 0 ? 1 : 0;
}

gboolean
cp_orders_reserve_settle (CpLedger       *ledger,
                          const CpOrder  *order,
                          gint64          order_id,
                          const char     *status,
                          gint64          location_id,
                          const char     *number,
                          gboolean       *out_handled,
                          const char    **out_new_status,
                          gint64         *out_released,
                          GError        **error)
{
  gboolean kept_aside = g_strcmp0 (status, CP_ORDER_STATUS_HELD_CURRENCY) == 0;
  int holds;

  g_return_val_if_fail (cp_ledger_in_transaction (ledger), FALSE);

  *out_handled = FALSE;
  *out_new_status = NULL;

  holds = holds_reservation (ledger, order_id, status, location_id, number, order->source, error);
  if (holds < 0)
    return FALSE;
  if (holds == 0)
    return TRUE;
  *out_handled = TRUE;

  if (is_cancelled (order->status))
    {
      if (!release_lines (ledger, order_id, location_id, number, order->source, FALSE,
                          out_released, error))
        return FALSE;
      *out_new_status = order->status;
      return TRUE;
    }

  /* Still unpaid; or paid but kept aside, whose units stay reserved for
   * as long as a person has not decided what becomes of it. */
  if (order->status == NULL || cp_orders_import_is_unpaid (order->status) || kept_aside)
    return TRUE;

  if (!release_lines (ledger, order_id, location_id, number, order->source, TRUE, NULL, error))
    return FALSE;
  *out_new_status = order->status;
  return TRUE;
}

gboolean
cp_orders_reserve_pull (CpLedger             *ledger,
                        const char           *settings_json,
                        const CpOrder        *order,
                        GPtrArray            *search_rows,
                        gint64               *out_id,
                        gboolean             *out_existed,
                        CpOrderImportResult  *out_result,
                        gint64               *out_restocked,
                        GError              **error)
{
  g_autofree char *status = NULL;
  gboolean held = cp_orders_import_is_unpaid (order->status) &&
                  cp_orders_reserve_gate_on (settings_json);
  gboolean existed = FALSE;
  gint64 id = 0;

  g_return_val_if_fail (order != NULL && order->source != NULL && order->external_id != NULL,
                        FALSE);

  if (out_result != NULL)
    *out_result = CP_ORDER_IMPORT_UNCHANGED;
  if (out_restocked != NULL)
    *out_restocked = 0;

  /* Recorded first: a new order (most of a pull) costs nothing more
   * than before; only one seen again is looked at (by id) for a
   * reservation the store's word may end. One first seen cancelled or
   * refunded was never sold: recorded as it is, it takes nothing. */
  if (held
      ? !cp_orders_reserve_record (ledger, order, CP_ORDER_STATUS_AWAITING_PAYMENT, search_rows,
                                   &id, &existed, error)
      : !cp_orders_record_deferred (ledger, order, !is_cancelled (order->status), search_rows,
                                    &id, &existed, error))
    return FALSE;
  *out_id = id;
  *out_existed = existed;
  if (!existed)
    {
      if (out_result != NULL)
        *out_result = held ? CP_ORDER_IMPORT_HELD : CP_ORDER_IMPORT_CREATED;
      return TRUE;
    }

  {
    g_autoptr(CpSqlCachedStmt) stmt = NULL;
    int rc;

    stmt = cp_ledger_prepare_cached (ledger, "SELECT status FROM orders WHERE id = ?1", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, id);
    rc = cp_sql_step (ledger, stmt, _("Could not read the orders"), error);
    if (rc != SQLITE_ROW)
      return rc == SQLITE_DONE;
    status = cp_sql_dup_text (stmt, 0);
  }
  /* Seen again with another status (paid, cancelled, refunded) or with
   * refunds: the pull is the only path when webhooks cannot reach us, so
   * it updates the ledger as a webhook would (cp_orders_import ends a
   * reservation, restocks once and records each refund once). */
  if (g_strcmp0 (status, order->status) != 0 ||
      (order->refunds != NULL && order->refunds->len > 0))
    return cp_orders_import (ledger, settings_json, order, NULL, out_result, out_restocked, error);
  return TRUE;
}

typedef struct
{
  gint64  id;
  gint64  location_id;
  char   *number;
} Reserving;

static void
reserving_clear (gpointer data)
{
  g_free (((Reserving *) data)->number);
}

gboolean
cp_orders_reserve_release_source (CpLedger     *ledger,
                                  const char   *source,
                                  gint64       *out_released,
                                  GError      **error)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autoptr(GArray) orders = g_array_new (FALSE, FALSE, sizeof (Reserving));
  int rc;

  g_return_val_if_fail (cp_ledger_in_transaction (ledger), FALSE);
  g_return_val_if_fail (source != NULL && out_released != NULL, FALSE);

  *out_released = 0;
  g_array_set_clear_func (orders, reserving_clear);

  /* Read whole first: releasing writes the stock while this would read.
   * Once per removal: the scan of the source's orders is affordable. */
  stmt = cp_ledger_prepare (ledger,
                            "SELECT id, status, location_id, number FROM orders"
                            " WHERE source = ?1 AND location_id IS NOT NULL",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, source, -1, SQLITE_STATIC);
  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the orders"), error)) == SQLITE_ROW)
    {
      Reserving r = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 2), NULL };

      if (!may_reserve ((const char *) sqlite3_column_text (stmt, 1)))
        continue;
      r.number = cp_sql_dup_text (stmt, 3);
      g_array_append_val (orders, r);
    }
  if (rc != SQLITE_DONE)
    return FALSE;
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint i = 0; i < orders->len; i++)
    {
      const Reserving *r = &g_array_index (orders, Reserving, i);
      g_autoptr(CpSqlCachedStmt) unplace = NULL;
      int holds;

      /* may_reserve () held already: any status of the list will do. */
      holds = holds_reservation (ledger, r->id, CP_ORDER_STATUS_AWAITING_PAYMENT, r->location_id,
                                 r->number, source, error);
      if (holds < 0)
        return FALSE;
      if (holds == 0)
        continue;
      if (!release_lines (ledger, r->id, r->location_id, r->number, source, FALSE,
                          out_released, error))
        return FALSE;

      /* No place, no reservation (the header's rule): never released again. */
      unplace = cp_ledger_prepare_cached (ledger,
                                          "UPDATE orders SET location_id = NULL, updated_at = ?2"
                                          " WHERE id = ?1",
                                          error);
      if (unplace == NULL)
        return FALSE;
      sqlite3_bind_int64 (unplace, 1, r->id);
      sqlite3_bind_int64 (unplace, 2, cp_ledger_now_us ());
      if (!cp_sql_run (ledger, unplace, _("Could not update the order"), error))
        return FALSE;
    }
  if (orders->len > 0)
    cp_ledger_emit_changed (ledger, "orders");
  return TRUE;
}
