/* test-orders-import.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a store's order does to a real ledger (cp-orders-import.h): the
 * payment gate (unpaid orders reserve, and sell once paid:
 * cp-orders-reserve.h), a second sight of the same order, cancellation
 * and refunds putting stock back once, and the "needs mapping" list.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cp-catalog.h"
#include "cp-integrations.h"
#include "cp-orders-import.h"
#include "cp-orders-private.h"
#include "cp-orders-reserve.h"
#include "cp-sql.h"
#include "cp-stock.h"

#define SOURCE "shopify-1"
#define SKU "HLM-RED-L"

typedef struct
{
  char     *dir;
  char     *path;
  CpLedger *ledger;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) variant = cp_variant_new ();

  f->dir = g_dir_make_tmp ("test-orders-import-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "ledger.sqlite3", NULL);
  f->ledger = cp_ledger_open (f->path, &error);
  g_assert_no_error (error);

  cp_locations_add (f->ledger, "MAIN", "Main shop", "USD", NULL, &error);
  g_assert_no_error (error);
  variant->product_handle = g_strdup ("helmet");
  variant->product_name = g_strdup ("Helmet");
  variant->sku = g_strdup (SKU);
  variant->price_minor = 12999;
  g_strlcpy (variant->currency, "USD", sizeof variant->currency);
  cp_catalog_upsert_variant (f->ledger, variant, NULL, NULL, &error);
  g_assert_no_error (error);
  cp_stock_adjust (f->ledger, SKU, "MAIN", 10, CP_STOCK_REASON_RECEIVED, NULL, NULL, "test",
                   NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_clear_object (&f->ledger);
  g_unlink (f->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static CpOrder *
make_order (const char *external_id,
            const char *status,
            const char *sku)
{
  CpOrder *order = cp_order_new ();

  order->source = g_strdup (SOURCE);
  order->external_id = g_strdup (external_id);
  order->number = g_strdup_printf ("#%s", external_id);
  order->status = g_strdup (status);
  g_strlcpy (order->currency, "USD", sizeof order->currency);
  cp_order_add_line (order, sku, "Helmet", 2, 12999, 0, 0);
  return order;
}

static CpOrderImportResult
import (Fixture       *f,
        const char    *settings,
        const CpOrder *order,
        gint64        *out_restocked)
{
  g_autoptr(GError) error = NULL;
  CpOrderImportResult result = CP_ORDER_IMPORT_UNCHANGED;
  gint64 restocked = -1;

  g_assert_true (cp_orders_import (f->ledger, settings, order, NULL, &result, &restocked, &error));
  g_assert_no_error (error);
  if (out_restocked != NULL)
    *out_restocked = restocked;
  return result;
}

/* ORDER through the engine's pull, in a transaction of its own as a
 * page has; its result, and whether it was known (OUT_EXISTED). */
static CpOrderImportResult
pull (Fixture       *f,
      const CpOrder *order,
      gboolean      *out_existed)
{
  g_autoptr(GPtrArray) rows = cp_orders_search_rows_new ();
  g_autoptr(GError) error = NULL;
  CpOrderImportResult result = CP_ORDER_IMPORT_UNCHANGED;
  gint64 id = 0;

  g_assert_true (cp_ledger_begin (f->ledger, &error));
  g_assert_true (cp_orders_reserve_pull (f->ledger, NULL, order, rows, &id, out_existed, &result,
                                         NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cp_orders_index_deferred (f->ledger, rows, &error));
  g_assert_true (cp_ledger_commit (f->ledger, &error));
  g_assert_cmpint (id, >, 0);
  return result;
}

static gint64
on_hand (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  CpStockLevel *level = cp_stock_get (f->ledger, SKU, "MAIN", &error);
  gint64 value;

  g_assert_no_error (error);
  value = level->on_hand;
  cp_stock_level_free (level);
  return value;
}

static gint64
returned_movements (Fixture *f)
{
  return cp_sql_query_int (f->ledger,
                           "SELECT count (*) FROM stock_movements WHERE reason = 'returned'", -1);
}

static void
test_new_then_again (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CpOrder) order = make_order ("1", "completed", SKU);

  g_assert_cmpint (import (f, NULL, order, NULL), ==, CP_ORDER_IMPORT_CREATED);
  g_assert_cmpint (on_hand (f), ==, 8);
  g_assert_cmpint (import (f, NULL, order, NULL), ==, CP_ORDER_IMPORT_UNCHANGED);
  g_assert_cmpint (on_hand (f), ==, 8);
  g_assert_cmpint (cp_orders_count (f->ledger), ==, 1);
}

static void
test_cancel_restocks_once (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(CpOrder) placed = make_order ("2", "processing", SKU);
  g_autoptr(CpOrder) cancelled = make_order ("2", "cancelled", SKU);
  g_autoptr(CpOrder) refunded = make_order ("2", "refunded", SKU);
  gint64 restocked = 0;

  import (f, NULL, placed, NULL);
  g_assert_cmpint (on_hand (f), ==, 8);

  g_assert_cmpint (import (f, NULL, cancelled, &restocked), ==, CP_ORDER_IMPORT_UPDATED);
  g_assert_cmpint (restocked, ==, 2);
  g_assert_cmpint (on_hand (f), ==, 10);
  g_assert_cmpint (returned_movements (f), ==, 1);

  /* Redelivered, then refunded after the cancel: no second restock. */
  g_assert_cmpint (import (f, NULL, cancelled, &restocked), ==, CP_ORDER_IMPORT_UNCHANGED);
  g_assert_cmpint (import (f, NULL, refunded, &restocked), ==, CP_ORDER_IMPORT_UPDATED);
  g_assert_cmpint (restocked, ==, 0);
  g_assert_cmpint (on_hand (f), ==, 10);
  g_assert_cmpint (returned_movements (f), ==, 1);
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT count (*) FROM orders WHERE status = 'refunded'",
                                     -1), ==, 1);
}

static void
test_refunds_once (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CpOrder) order = make_order ("3", "completed", SKU);

  import (f, NULL, order, NULL);
  cp_order_add_refund (order, 1500, "damaged box", 1763902860000000);
  g_assert_cmpint (import (f, NULL, order, NULL), ==, CP_ORDER_IMPORT_UPDATED);
  g_assert_cmpint (import (f, NULL, order, NULL), ==, CP_ORDER_IMPORT_UNCHANGED);
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT refunded_minor FROM orders", -1), ==, 1500);
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT count (*) FROM refunds", -1), ==, 1);
  /* Money only: a partial refund names no goods. */
  g_assert_cmpint (on_hand (f), ==, 8);
}

static gint64
reserved (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpStockLevel) level = cp_stock_get (f->ledger, SKU, "MAIN", &error);

  g_assert_no_error (error);
  return level->reserved;
}

static gint64
available (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpStockLevel) level = cp_stock_get (f->ledger, SKU, "MAIN", &error);

  g_assert_no_error (error);
  return level->available;
}

static gint64
sold_movements (Fixture *f)
{
  return cp_sql_query_int (f->ledger, "SELECT count (*) FROM stock_movements WHERE reason = 'sold'",
                           -1);
}

static char *
status_of (Fixture    *f,
           const char *external_id)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  stmt = cp_ledger_prepare (f->ledger, "SELECT status FROM orders WHERE external_id = ?1", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, external_id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* Unpaid: recorded at once, its goods reserved (not taken); paid: one
 * sale, the reservation gone; every replay changes nothing. */
static void
test_payment_gate (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CpOrder) unpaid = make_order ("4", "awaiting_payment", SKU);
  g_autoptr(CpOrder) on_hold = make_order ("4", "on_hold", SKU);
  g_autoptr(CpOrder) paid = make_order ("4", "processing", SKU);
  g_autofree char *status = NULL;

  g_assert_cmpint (import (f, NULL, unpaid, NULL), ==, CP_ORDER_IMPORT_HELD);
  g_assert_cmpint (cp_orders_count (f->ledger), ==, 1);
  status = status_of (f, "4");
  g_assert_cmpstr (status, ==, "awaiting_payment");
  g_assert_cmpint (on_hand (f), ==, 10);
  g_assert_cmpint (reserved (f), ==, 2);
  g_assert_cmpint (available (f), ==, 8);
  g_assert_cmpint (sold_movements (f), ==, 0);
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT count (*) FROM orders "
                                     "WHERE location_id = (SELECT id FROM locations WHERE code = 'MAIN')",
                                     -1), ==, 1);

  /* Told again, in other unpaid words, or with the gate said on: nothing. */
  g_assert_cmpint (import (f, "{\"orders\": {\"import_unpaid\": false}}", unpaid, NULL), ==,
                   CP_ORDER_IMPORT_UNCHANGED);
  g_assert_cmpint (import (f, NULL, on_hold, NULL), ==, CP_ORDER_IMPORT_UNCHANGED);
  g_assert_cmpint (reserved (f), ==, 2);
  g_assert_cmpint (on_hand (f), ==, 10);

  /* Paid: a sale, once. */
  g_assert_cmpint (import (f, NULL, paid, NULL), ==, CP_ORDER_IMPORT_UPDATED);
  g_assert_cmpint (on_hand (f), ==, 8);
  g_assert_cmpint (reserved (f), ==, 0);
  g_assert_cmpint (sold_movements (f), ==, 1);
  g_clear_pointer (&status, g_free);
  status = status_of (f, "4");
  g_assert_cmpstr (status, ==, "processing");

  /* A redelivered "paid", a late "unpaid" (an overlapping read): nothing. */
  g_assert_cmpint (import (f, NULL, paid, NULL), ==, CP_ORDER_IMPORT_UNCHANGED);
  g_assert_cmpint (import (f, NULL, unpaid, NULL), ==, CP_ORDER_IMPORT_UNCHANGED);
  g_assert_cmpint (on_hand (f), ==, 8);
  g_assert_cmpint (reserved (f), ==, 0);
  g_assert_cmpint (sold_movements (f), ==, 1);
  g_assert_cmpint (cp_orders_count (f->ledger), ==, 1);

  /* The engine's pull takes the same road. */
  {
    g_autoptr(CpOrder) pulled = make_order ("9", "awaiting_payment", SKU);
    g_autoptr(CpOrder) pulled_paid = make_order ("9", "completed", SKU);
    gboolean existed = TRUE;

    for (guint round = 0; round < 2; round++)
      {
        g_assert_cmpint (pull (f, pulled, &existed), ==, round == 0 ? CP_ORDER_IMPORT_HELD
                                                                    : CP_ORDER_IMPORT_UNCHANGED);
        g_assert_cmpint (existed, ==, round > 0);
        g_assert_cmpint (reserved (f), ==, 2);
        g_assert_cmpint (on_hand (f), ==, 8);
      }
    for (guint round = 0; round < 2; round++)
      {
        /* The change is news once (the pull logs it), its replay not. */
        g_assert_cmpint (pull (f, pulled_paid, &existed), ==,
                         round == 0 ? CP_ORDER_IMPORT_UPDATED : CP_ORDER_IMPORT_UNCHANGED);
        g_assert_true (existed);
        g_assert_cmpint (reserved (f), ==, 0);
        g_assert_cmpint (on_hand (f), ==, 6);
        g_assert_cmpint (sold_movements (f), ==, 2);
      }
  }
}

/* Unpaid, then cancelled (or refunded) on the store: released, nothing
 * sold, nothing "returned"; replays change nothing. */
static void
test_unpaid_cancelled (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CpOrder) unpaid = make_order ("10", "awaiting_payment", SKU);
  g_autoptr(CpOrder) cancelled = make_order ("10", "cancelled", SKU);
  g_autoptr(CpOrder) paid = make_order ("10", "completed", SKU);
  gint64 released = 0;

  g_assert_cmpint (import (f, NULL, unpaid, NULL), ==, CP_ORDER_IMPORT_HELD);
  g_assert_cmpint (reserved (f), ==, 2);
  g_assert_cmpint (import (f, NULL, cancelled, &released), ==, CP_ORDER_IMPORT_UPDATED);
  g_assert_cmpint (released, ==, 2);
  g_assert_cmpint (reserved (f), ==, 0);
  g_assert_cmpint (on_hand (f), ==, 10);
  g_assert_cmpint (available (f), ==, 10);
  g_assert_cmpint (returned_movements (f), ==, 0);
  g_assert_cmpint (sold_movements (f), ==, 0);

  /* Again, and a late "paid" for an order cancelled here: nothing. */
  g_assert_cmpint (import (f, NULL, cancelled, NULL), ==, CP_ORDER_IMPORT_UNCHANGED);
  g_assert_cmpint (import (f, NULL, paid, NULL), ==, CP_ORDER_IMPORT_UNCHANGED);
  g_assert_cmpint (reserved (f), ==, 0);
  g_assert_cmpint (on_hand (f), ==, 10);
  g_assert_cmpint (sold_movements (f), ==, 0);
}

/* With the gate off an unpaid order is a sale at once; orders recorded
 * so (or before reservations) are never released nor sold twice. */
static void
test_gate_off (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CpOrder) other = make_order ("5", "awaiting_payment", SKU);
  g_autoptr(CpOrder) other_paid = make_order ("5", "completed", SKU);
  g_autoptr(CpOrder) third = make_order ("11", "on_hold", SKU);
  g_autoptr(CpOrder) third_cancelled = make_order ("11", "cancelled", SKU);

  g_assert_cmpint (import (f, "{\"orders\": {\"import_unpaid\": true}}", other, NULL), ==,
                   CP_ORDER_IMPORT_CREATED);
  g_assert_cmpint (on_hand (f), ==, 8);
  g_assert_cmpint (reserved (f), ==, 0);
  g_assert_cmpint (import (f, NULL, other_paid, NULL), ==, CP_ORDER_IMPORT_UPDATED);
  g_assert_cmpint (on_hand (f), ==, 8);
  g_assert_cmpint (sold_movements (f), ==, 1);
  g_assert_cmpint (cp_sql_query_int (f->ledger,
                                     "SELECT count (*) FROM orders WHERE status = 'completed'", -1),
                   ==, 1);

  /* Taken at once, so cancelled it comes back: restocked, not released. */
  g_assert_cmpint (import (f, "{\"orders\": {\"import_unpaid\": true}}", third, NULL), ==,
                   CP_ORDER_IMPORT_CREATED);
  g_assert_cmpint (on_hand (f), ==, 6);
  g_assert_cmpint (import (f, NULL, third_cancelled, NULL), ==, CP_ORDER_IMPORT_UPDATED);
  g_assert_cmpint (on_hand (f), ==, 8);
  g_assert_cmpint (returned_movements (f), ==, 1);
  g_assert_cmpint (reserved (f), ==, 0);
}

/* Kept aside for its currency: reserved (the store took the units), not
 * sold; paid, it stays aside and reserved; cancelled, released. */
static void
test_kept_aside_reserves (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(CpOrder) foreign = make_order ("12", "processing", SKU);
  g_autoptr(CpOrder) foreign_done = make_order ("12", "completed", SKU);
  g_autoptr(CpOrder) foreign_cancelled = make_order ("12", "cancelled", SKU);
  g_autofree char *status = NULL;
  gint64 released = 0;

  g_strlcpy (foreign->currency, "EUR", sizeof foreign->currency);
  g_strlcpy (foreign_done->currency, "EUR", sizeof foreign_done->currency);
  g_strlcpy (foreign_cancelled->currency, "EUR", sizeof foreign_cancelled->currency);

  g_assert_cmpint (import (f, NULL, foreign, NULL), ==, CP_ORDER_IMPORT_KEPT_ASIDE);
  g_assert_cmpint (reserved (f), ==, 2);
  g_assert_cmpint (on_hand (f), ==, 10);
  g_assert_cmpint (import (f, NULL, foreign, NULL), ==, CP_ORDER_IMPORT_UNCHANGED);
  g_assert_cmpint (import (f, NULL, foreign_done, NULL), ==, CP_ORDER_IMPORT_UNCHANGED);
  g_assert_cmpint (reserved (f), ==, 2);
  g_assert_cmpint (on_hand (f), ==, 10);
  g_assert_cmpint (sold_movements (f), ==, 0);
  status = status_of (f, "12");
  g_assert_cmpstr (status, ==, "held_currency");

  g_assert_cmpint (import (f, NULL, foreign_cancelled, &released), ==, CP_ORDER_IMPORT_UPDATED);
  g_assert_cmpint (released, ==, 2);
  g_assert_cmpint (reserved (f), ==, 0);
  g_assert_cmpint (on_hand (f), ==, 10);
  g_assert_cmpint (returned_movements (f), ==, 0);
  g_assert_cmpint (import (f, NULL, foreign_cancelled, NULL), ==, CP_ORDER_IMPORT_UNCHANGED);
  g_assert_cmpint (reserved (f), ==, 0);
}

static void
test_status_is_sale (Fixture       *f,
                     gconstpointer  data)
{
  g_assert_true (cp_order_status_is_sale ("completed"));
  g_assert_true (cp_order_status_is_sale ("processing"));
  g_assert_true (cp_order_status_is_sale ("refunded"));
  g_assert_false (cp_order_status_is_sale ("cancelled"));
  g_assert_false (cp_order_status_is_sale ("awaiting_payment"));
  g_assert_false (cp_order_status_is_sale ("on_hold"));
  g_assert_false (cp_order_status_is_sale ("held_currency"));
}

static void
test_first_seen_cancelled (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(CpOrder) cancelled = make_order ("6", "cancelled", SKU);

  g_assert_cmpint (import (f, NULL, cancelled, NULL), ==, CP_ORDER_IMPORT_CREATED);
  g_assert_cmpint (on_hand (f), ==, 10);
  g_assert_cmpint (returned_movements (f), ==, 0);

  /* The engine's pull too: recorded with its status, nothing sold. */
  for (guint i = 0; i < 2; i++)
    {
      const char *status = i == 0 ? "cancelled" : "refunded";
      g_autoptr(CpOrder) pulled = make_order (i == 0 ? "6a" : "6b", status, SKU);
      g_autofree char *recorded = NULL;
      gboolean existed = TRUE;

      for (guint round = 0; round < 2; round++)
        {
          g_assert_cmpint (pull (f, pulled, &existed), ==, round == 0 ? CP_ORDER_IMPORT_CREATED
                                                                      : CP_ORDER_IMPORT_UNCHANGED);
          g_assert_cmpint (existed, ==, round > 0);
          g_assert_cmpint (on_hand (f), ==, 10);
          g_assert_cmpint (reserved (f), ==, 0);
        }
      recorded = status_of (f, pulled->external_id);
      g_assert_cmpstr (recorded, ==, status);
    }
  g_assert_cmpint (sold_movements (f), ==, 0);
  g_assert_cmpint (returned_movements (f), ==, 0);
}

/* The engine's pull is the only path when the local API cannot be
 * reached: a sold order it finds cancelled, then refunded, updates the
 * ledger and puts the goods back once, exactly as a webhook would. */
static void
test_pull_updates_sold (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(CpOrder) placed = make_order ("30", "processing", SKU);
  g_autoptr(CpOrder) refunded_money = make_order ("31", "completed", SKU);
  g_autoptr(CpOrder) cancelled = make_order ("30", "cancelled", SKU);
  g_autofree char *status = NULL;
  gboolean existed = FALSE;

  g_assert_cmpint (pull (f, placed, &existed), ==, CP_ORDER_IMPORT_CREATED);
  g_assert_cmpint (on_hand (f), ==, 8);

  for (guint round = 0; round < 2; round++)
    {
      g_assert_cmpint (pull (f, cancelled, &existed), ==,
                       round == 0 ? CP_ORDER_IMPORT_UPDATED : CP_ORDER_IMPORT_UNCHANGED);
      g_assert_true (existed);
      g_assert_cmpint (on_hand (f), ==, 10);
      g_assert_cmpint (returned_movements (f), ==, 1);
    }
  status = status_of (f, "30");
  g_assert_cmpstr (status, ==, "cancelled");

  /* A partial refund of money, seen on the next pull: recorded once. */
  g_assert_cmpint (pull (f, refunded_money, &existed), ==, CP_ORDER_IMPORT_CREATED);
  cp_order_add_refund (refunded_money, 1500, "damaged box", 1763902860000000);
  g_assert_cmpint (pull (f, refunded_money, &existed), ==, CP_ORDER_IMPORT_UPDATED);
  g_assert_cmpint (pull (f, refunded_money, &existed), ==, CP_ORDER_IMPORT_UNCHANGED);
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT count (*) FROM refunds", -1), ==, 1);
  g_assert_cmpint (cp_sql_query_int (f->ledger,
                                     "SELECT refunded_minor FROM orders WHERE external_id = '31'",
                                     -1), ==, 1500);
}

/* An integration removed: no word of the store will end the
 * reservations of its orders awaiting payment or kept aside for their
 * currency, so they end with it, in its transaction; the orders stay,
 * with their status, and the removal's event says how many units came
 * back. Other sources' reservations, and sales, are left alone. */
static void
test_removed_releases (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *message = NULL;
  g_autofree char *status = NULL;
  g_autoptr(CpOrder) unpaid = NULL;
  g_autoptr(CpOrder) foreign = NULL;
  g_autoptr(CpOrder) sold = NULL;
  g_autoptr(CpOrder) elsewhere = make_order ("23", "awaiting_payment", SKU);
  g_autoptr(CpSqlStmt) stmt = NULL;

  id = cp_integrations_add (f->ledger, "woocommerce", "Web shop", "https://shop.example", NULL,
                            &error);
  g_assert_no_error (error);

  unpaid = make_order ("20", "awaiting_payment", SKU);
  foreign = make_order ("21", "processing", SKU);
  sold = make_order ("22", "completed", SKU);
  g_strlcpy (foreign->currency, "EUR", sizeof foreign->currency);
  for (CpOrder **o = (CpOrder *[]) { unpaid, foreign, sold, NULL }; *o != NULL; o++)
    {
      g_free ((*o)->source);
      (*o)->source = g_strdup (id);
    }
  g_assert_cmpint (import (f, NULL, unpaid, NULL), ==, CP_ORDER_IMPORT_HELD);
  g_assert_cmpint (import (f, NULL, foreign, NULL), ==, CP_ORDER_IMPORT_KEPT_ASIDE);
  g_assert_cmpint (import (f, NULL, sold, NULL), ==, CP_ORDER_IMPORT_CREATED);
  g_assert_cmpint (import (f, NULL, elsewhere, NULL), ==, CP_ORDER_IMPORT_HELD);
  g_assert_cmpint (reserved (f), ==, 6);
  g_assert_cmpint (on_hand (f), ==, 8);

  g_assert_true (cp_integrations_remove (f->ledger, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (reserved (f), ==, 2);
  g_assert_cmpint (on_hand (f), ==, 8);
  g_assert_cmpint (available (f), ==, 6);
  g_assert_cmpint (sold_movements (f), ==, 1);
  g_assert_cmpint (returned_movements (f), ==, 0);
  g_assert_cmpint (cp_orders_count (f->ledger), ==, 4);
  status = status_of (f, "20");
  g_assert_cmpstr (status, ==, "awaiting_payment");
  g_clear_pointer (&status, g_free);
  status = status_of (f, "21");
  g_assert_cmpstr (status, ==, "held_currency");

  stmt = cp_ledger_prepare (f->ledger,
                            "SELECT message, details FROM activity"
                            " WHERE type = 'IntegrationRemoved' AND integration_id = ?1",
                            &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  message = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_assert_nonnull (strstr (message, "4 units"));
  g_assert_nonnull (strstr (message, "Web shop"));
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "{\"released_units\":4}");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);

  /* Nothing holds a reservation for it any more: the store's late word,
   * were it to come, releases nothing twice. */
  g_assert_cmpint (import (f, NULL, unpaid, NULL), ==, CP_ORDER_IMPORT_UNCHANGED);
  g_free (unpaid->status);
  unpaid->status = g_strdup ("cancelled");
  import (f, NULL, unpaid, NULL);
  g_assert_cmpint (reserved (f), ==, 2);
  g_assert_cmpint (on_hand (f), ==, 8);
}

static void
test_needs_mapping (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CpOrder) order = make_order ("7", "completed", "NEW-SKU-1");
  g_autoptr(CpOrder) pos = make_order ("8", "completed", "NEW-SKU-2");
  g_autoptr(CpVariant) variant = cp_variant_new ();
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  CpUnmappedLine *line;

  g_assert_cmpint (import (f, NULL, order, NULL), ==, CP_ORDER_IMPORT_CREATED);
  g_assert_cmpint (on_hand (f), ==, 10);
  /* The register's own sales are not a store's to map. */
  g_free (pos->source);
  pos->source = g_strdup ("pos");
  cp_orders_record (f->ledger, pos, TRUE, NULL, NULL, &error);
  g_assert_no_error (error);

  lines = cp_orders_list_needs_mapping (f->ledger, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 1);
  line = g_ptr_array_index (lines, 0);
  g_assert_cmpstr (line->sku, ==, "NEW-SKU-1");
  g_assert_cmpstr (line->source, ==, SOURCE);
  g_assert_cmpstr (line->number, ==, "#7");
  g_assert_cmpint (cp_orders_count_needs_mapping (f->ledger, SOURCE), ==, 1);
  g_assert_cmpint (cp_orders_count_needs_mapping (f->ledger, "woocommerce-2"), ==, 0);

  /* Once the product exists, the line leaves the list. */
  variant->product_handle = g_strdup ("new");
  variant->product_name = g_strdup ("New");
  variant->sku = g_strdup ("NEW-SKU-1");
  variant->price_minor = 100;
  g_strlcpy (variant->currency, "USD", sizeof variant->currency);
  cp_catalog_upsert_variant (f->ledger, variant, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cp_orders_count_needs_mapping (f->ledger, NULL), ==, 0);
}

#define IMPORT_TEST(name, func) \
  g_test_add ("/orders-import/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  IMPORT_TEST ("new-then-again", test_new_then_again);
  IMPORT_TEST ("cancel-restocks-once", test_cancel_restocks_once);
  IMPORT_TEST ("refunds-once", test_refunds_once);
  IMPORT_TEST ("payment-gate", test_payment_gate);
  IMPORT_TEST ("unpaid-cancelled", test_unpaid_cancelled);
  IMPORT_TEST ("gate-off", test_gate_off);
  IMPORT_TEST ("kept-aside-reserves", test_kept_aside_reserves);
  IMPORT_TEST ("status-is-sale", test_status_is_sale);
  IMPORT_TEST ("first-seen-cancelled", test_first_seen_cancelled);
  IMPORT_TEST ("pull-updates-sold", test_pull_updates_sold);
  IMPORT_TEST ("needs-mapping", test_needs_mapping);
  IMPORT_TEST ("removed-releases", test_removed_releases);

  return g_test_run ();
}
