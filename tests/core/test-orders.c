/* test-orders.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Recording, reading back and listing orders in a real ledger file.
 */

#define G_LOG_DOMAIN "test-orders"

#include "config.h"

#include <glib/gstdio.h>

#include "cp-catalog.h"
#include "cp-ledger.h"
#include "cp-orders.h"
#include "cp-stock.h"

typedef struct
{
  char     *dir;
  CpLedger *ledger;
} Fixture;

static void
add_variant (CpLedger   *ledger,
             const char *sku,
             const char *name,
             gint64      price)
{
  g_autoptr(CpVariant) variant = cp_variant_new ();
  g_autoptr(GError) error = NULL;

  variant->product_handle = g_strdup (sku);
  variant->product_name = g_strdup (name);
  variant->sku = g_strdup (sku);
  variant->price_minor = price;
  g_strlcpy (variant->currency, "USD", sizeof variant->currency);
  cp_catalog_upsert_variant (ledger, variant, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("test-orders-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "ledger.sqlite3", NULL);
  fixture->ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);

  cp_locations_add (fixture->ledger, "MAIN", "Main shop", "USD", NULL, &error);
  g_assert_no_error (error);
  cp_locations_add (fixture->ledger, "KIOSK", "Kiosk", "USD", NULL, &error);
  g_assert_no_error (error);

  add_variant (fixture->ledger, "HLM-RED-L", "Helmet", 12999);
  add_variant (fixture->ledger, "GLV-BLK-M", "Gloves", 2450);

  cp_stock_adjust (fixture->ledger, "HLM-RED-L", "MAIN", 10, CP_STOCK_REASON_RECEIVED,
                   NULL, NULL, "test", NULL, &error);
  g_assert_no_error (error);
  cp_stock_adjust (fixture->ledger, "GLV-BLK-M", "KIOSK", 5, CP_STOCK_REASON_RECEIVED,
                   NULL, NULL, "test", NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->ledger);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static gint64
on_hand (CpLedger   *ledger,
         const char *sku,
         const char *location)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpStockLevel) level = cp_stock_get (ledger, sku, location, &error);

  g_assert_no_error (error);
  g_assert_nonnull (level);
  return level->on_hand;
}

static gint64
query_int (CpLedger   *ledger,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (cp_ledger_get_db (ledger), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static CpOrder *
make_order (const char *source,
            const char *external_id,
            gint64      placed_at_us)
{
  CpOrder *order = cp_order_new ();

  order->source = g_strdup (source);
  order->external_id = g_strdup (external_id);
  order->placed_at_us = placed_at_us;
  g_strlcpy (order->currency, "USD", sizeof order->currency);
  return order;
}

static gint64
record (CpLedger *ledger,
        CpOrder  *order,
        gboolean  decrement)
{
  g_autoptr(GError) error = NULL;
  gboolean existed = TRUE;
  gint64 id = 0;

  g_assert_true (cp_orders_record (ledger, order, decrement, &id, &existed, &error));
  g_assert_no_error (error);
  g_assert_false (existed);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CpOrder) order = make_order ("pos", "R1-0001", 1700000000000000);
  g_autoptr(CpOrder) back = NULL;
  g_autoptr(GError) error = NULL;
  const CpOrderLine *line;
  const CpPayment *payment;
  const CpRefund *refund;
  gint64 id;

  order->number = g_strdup ("R1-000001");
  order->location_code = g_strdup ("MAIN");
  order->customer_name = g_strdup ("Ada Lovelace");
  order->customer_email = g_strdup ("ada@example.org");
  order->shipping_minor = 500;
  order->order_discount_minor = 1000;
  /* 2 × 129.99 − 5.00 + 10.00 tax; 3 × 24.50 + 1.96 tax. */
  cp_order_add_line (order, "HLM-RED-L", "Helmet, red, L", 2, 12999, 500, 1000);
  cp_order_add_line (order, "GLV-BLK-M", "Gloves", 3, 2450, 0, 196);
  cp_order_add_payment (order, "cash", 10000, NULL);
  cp_order_add_payment (order, "card", 19440, "AUTH-42");
  cp_order_add_refund (order, 2450, "Gloves too small", 1700000100000000);
  cp_order_add_refund (order, 100, NULL, 0);
  cp_order_add_tax (order, "VAT 20 %", 2000, 1196);
  cp_order_add_discount (order, "WELCOME10", "First visit", 1000);

  /* Σ (2 × 12999 − 500) + (3 × 2450) = 25498 + 7350 = 32848; tax 1196;
   * total = 32848 + 1196 + 500 − 1000 = 33544. */
  g_assert_cmpint (cp_order_compute_total (order), ==, 33544);

  id = record (fixture->ledger, order, FALSE);
  g_assert_cmpint (cp_orders_count (fixture->ledger), ==, 1);

  back = cp_orders_get (fixture->ledger, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);

  g_assert_cmpint (back->id, ==, id);
  g_assert_cmpstr (back->number, ==, "R1-000001");
  g_assert_cmpstr (back->source, ==, "pos");
  g_assert_cmpstr (back->external_id, ==, "R1-0001");
  g_assert_cmpstr (back->status, ==, "completed");
  g_assert_cmpstr (back->location_code, ==, "MAIN");
  g_assert_cmpint (back->placed_at_us, ==, 1700000000000000);
  g_assert_cmpstr (back->currency, ==, "USD");
  g_assert_cmpstr (back->customer_name, ==, "Ada Lovelace");
  g_assert_cmpstr (back->customer_email, ==, "ada@example.org");
  g_assert_cmpint (back->shipping_minor, ==, 500);
  g_assert_cmpint (back->order_discount_minor, ==, 1000);
  g_assert_cmpint (back->subtotal_minor, ==, 32848);
  g_assert_cmpint (back->tax_minor, ==, 1196);
  g_assert_cmpint (back->total_minor, ==, 33544);
  g_assert_cmpint (back->refunded_minor, ==, 2550);
  g_assert_cmpuint (back->n_lines, ==, 2);

  g_assert_cmpuint (back->lines->len, ==, 2);
  line = g_ptr_array_index (back->lines, 0);
  g_assert_cmpstr (line->sku, ==, "HLM-RED-L");
  g_assert_cmpstr (line->name, ==, "Helmet, red, L");
  g_assert_cmpint (line->quantity, ==, 2);
  g_assert_cmpint (line->unit_price_minor, ==, 12999);
  g_assert_cmpint (line->discount_minor, ==, 500);
  g_assert_cmpint (line->tax_minor, ==, 1000);
  line = g_ptr_array_index (back->lines, 1);
  g_assert_cmpstr (line->sku, ==, "GLV-BLK-M");
  g_assert_cmpint (line->quantity, ==, 3);

  g_assert_cmpuint (back->payments->len, ==, 2);
  payment = g_ptr_array_index (back->payments, 0);
  g_assert_cmpstr (payment->method, ==, "cash");
  g_assert_cmpint (payment->amount_minor, ==, 10000);
  g_assert_null (payment->reference);
  payment = g_ptr_array_index (back->payments, 1);
  g_assert_cmpstr (payment->method, ==, "card");
  g_assert_cmpint (payment->amount_minor, ==, 19440);
  g_assert_cmpstr (payment->reference, ==, "AUTH-42");

  g_assert_cmpuint (back->refunds->len, ==, 2);
  refund = g_ptr_array_index (back->refunds, 0);
  g_assert_cmpint (refund->amount_minor, ==, 2450);
  g_assert_cmpstr (refund->reason, ==, "Gloves too small");
  g_assert_cmpint (refund->at_us, ==, 1700000100000000);
  refund = g_ptr_array_index (back->refunds, 1);
  g_assert_cmpint (refund->amount_minor, ==, 100);
  /* A refund without a time happened when the order was placed. */
  g_assert_cmpint (refund->at_us, ==, 1700000000000000);

  g_assert_cmpuint (back->taxes->len, ==, 1);
  g_assert_cmpstr (((CpOrderTax *) g_ptr_array_index (back->taxes, 0))->name, ==, "VAT 20 %");
  g_assert_cmpint (((CpOrderTax *) g_ptr_array_index (back->taxes, 0))->rate_bp, ==, 2000);
  g_assert_cmpuint (back->discounts->len, ==, 1);
  g_assert_cmpstr (((CpOrderDiscount *) g_ptr_array_index (back->discounts, 0))->code, ==,
                   "WELCOME10");

  /* The line totals stored are quantity × unit − discount + tax. */
  g_assert_cmpint (query_int (fixture->ledger,
                              "SELECT sum (total_minor) FROM order_lines"), ==, 25498 + 1000 + 7350 + 196);
  /* The customer was linked by e-mail. */
  g_assert_cmpint (query_int (fixture->ledger, "SELECT count (*) FROM customers"), ==, 1);

  /* Not decrementing leaves stock alone. */
  g_assert_cmpint (on_hand (fixture->ledger, "HLM-RED-L", "MAIN"), ==, 10);

  /* An unknown id is NOT_FOUND. */
  g_clear_pointer (&back, cp_order_free);
  back = cp_orders_get (fixture->ledger, id + 100, &error);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
  g_assert_null (back);
}

static void
on_changed (CpLedger   *ledger,
            const char *table,
            gpointer    user_data)
{
  GPtrArray *seen = user_data;

  g_ptr_array_add (seen, g_strdup (table));
}

static gboolean
seen_table (GPtrArray  *seen,
            const char *table)
{
  for (guint i = 0; i < seen->len; i++)
    if (g_str_equal (g_ptr_array_index (seen, i), table))
      return TRUE;
  return FALSE;
}

static void
test_duplicate (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CpOrder) order = make_order ("shopify", "gid://Order/1", 1700000000000000);
  g_autoptr(CpOrder) again = make_order ("shopify", "gid://Order/1", 1700000500000000);
  g_autoptr(CpOrder) other_source = make_order ("woocommerce", "gid://Order/1", 0);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gboolean existed = FALSE;
  gint64 id, id2 = 0;
  gint64 movements;

  order->location_code = g_strdup ("MAIN");
  cp_order_add_line (order, "HLM-RED-L", "Helmet", 1, 12999, 0, 0);
  id = record (fixture->ledger, order, TRUE);
  g_assert_cmpstr (order->number, ==, NULL);
  g_assert_cmpint (on_hand (fixture->ledger, "HLM-RED-L", "MAIN"), ==, 9);
  movements = query_int (fixture->ledger, "SELECT count (*) FROM stock_movements");

  g_signal_connect (fixture->ledger, "changed", G_CALLBACK (on_changed), seen);

  /* Same (source, external id) with different content: nothing changes. */
  again->location_code = g_strdup ("MAIN");
  cp_order_add_line (again, "HLM-RED-L", "Helmet", 4, 1, 0, 0);
  cp_order_add_line (again, "GLV-BLK-M", "Gloves", 1, 1, 0, 0);
  g_assert_true (cp_orders_record (fixture->ledger, again, TRUE, &id2, &existed, &error));
  g_assert_no_error (error);
  g_assert_true (existed);
  g_assert_cmpint (id2, ==, id);
  g_assert_cmpint (cp_orders_count (fixture->ledger), ==, 1);
  g_assert_cmpint (query_int (fixture->ledger, "SELECT count (*) FROM order_lines"), ==, 1);
  g_assert_cmpint (query_int (fixture->ledger, "SELECT count (*) FROM stock_movements"), ==, movements);
  g_assert_cmpint (on_hand (fixture->ledger, "HLM-RED-L", "MAIN"), ==, 9);
  g_assert_false (seen_table (seen, "orders"));

  /* The number defaulted to the external id. */
  {
    g_autoptr(CpOrder) back = cp_orders_get (fixture->ledger, id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (back->number, ==, "gid://Order/1");
  }

  /* The same id from another source is another order. */
  cp_order_add_line (other_source, "GLV-BLK-M", "Gloves", 1, 2450, 0, 0);
  g_assert_cmpint (record (fixture->ledger, other_source, FALSE), !=, id);
  g_assert_cmpint (cp_orders_count (fixture->ledger), ==, 2);
  g_assert_true (seen_table (seen, "orders"));
}

static void
test_stock_and_unknown_sku (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(CpOrder) order = make_order ("pos", "R1-0002", 0);
  g_autoptr(CpOrder) kiosk = make_order ("pos", "R2-0001", 0);
  g_autoptr(CpOrder) back = NULL;
  g_autoptr(GPtrArray) movements = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const CpStockMovement *movement;
  gint64 before = cp_ledger_now_us ();
  gint64 id;

  g_signal_connect (fixture->ledger, "changed", G_CALLBACK (on_changed), seen);

  /* No location: sold from MAIN. The same SKU twice, and one nobody knows. */
  order->number = g_strdup ("R1-000002");
  cp_order_add_line (order, "HLM-RED-L", "Helmet", 3, 12999, 0, 0);
  cp_order_add_line (order, "NOT-IN-CATALOG", "Gift wrap", 1, 200, 0, 0);
  cp_order_add_line (order, "HLM-RED-L", "Helmet", 1, 12999, 0, 0);
  id = record (fixture->ledger, order, TRUE);

  g_assert_cmpint (on_hand (fixture->ledger, "HLM-RED-L", "MAIN"), ==, 6);
  g_assert_true (seen_table (seen, "orders"));
  g_assert_true (seen_table (seen, "stock"));

  movements = cp_stock_movements (fixture->ledger, "HLM-RED-L", "MAIN", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (movements->len, ==, 3);
  movement = g_ptr_array_index (movements, 0);
  g_assert_cmpint (movement->reason, ==, CP_STOCK_REASON_SOLD);
  g_assert_cmpint (movement->delta, ==, -1);
  g_assert_cmpstr (movement->reference, ==, "R1-000002");
  g_assert_cmpstr (movement->actor, ==, "pos");
  movement = g_ptr_array_index (movements, 1);
  g_assert_cmpint (movement->delta, ==, -3);

  back = cp_orders_get (fixture->ledger, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->location_code, ==, "MAIN");
  g_assert_cmpint (back->placed_at_us, >=, before);
  g_assert_cmpuint (back->lines->len, ==, 3);
  g_assert_cmpstr (((CpOrderLine *) g_ptr_array_index (back->lines, 1))->sku, ==, "NOT-IN-CATALOG");
  g_assert_cmpint (query_int (fixture->ledger,
                              "SELECT count (*) FROM order_lines WHERE sku = 'NOT-IN-CATALOG' "
                              "AND variant_id IS NULL"), ==, 1);
  g_assert_cmpint (query_int (fixture->ledger,
                              "SELECT count (*) FROM order_lines WHERE sku = 'HLM-RED-L' "
                              "AND variant_id IS NOT NULL"), ==, 2);

  /* Overselling is allowed for sales: on hand goes negative. */
  kiosk->location_code = g_strdup ("KIOSK");
  cp_order_add_line (kiosk, "GLV-BLK-M", "Gloves", 7, 2450, 0, 0);
  record (fixture->ledger, kiosk, TRUE);
  g_assert_cmpint (on_hand (fixture->ledger, "GLV-BLK-M", "KIOSK"), ==, -2);
}

static void
assert_refused (CpLedger  *ledger,
                CpOrder   *order,
                int        code)
{
  g_autoptr(GError) error = NULL;
  gint64 before = cp_orders_count (ledger);

  g_assert_false (cp_orders_record (ledger, order, TRUE, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, code);
  g_test_message ("refused: %s", error->message);
  g_assert_cmpint (cp_orders_count (ledger), ==, before);
}

static void
test_validation (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CpOrder) bad_currency = make_order ("pos", "V1", 0);
  g_autoptr(CpOrder) no_lines = make_order ("pos", "V2", 0);
  g_autoptr(CpOrder) cancelled = make_order ("pos", "V3", 0);
  g_autoptr(CpOrder) negative = make_order ("pos", "V4", 0);
  g_autoptr(CpOrder) no_id = make_order ("pos", "", 0);
  g_autoptr(CpOrder) overflow = make_order ("pos", "V5", 0);
  g_autoptr(CpOrder) bad_location = make_order ("pos", "V6", 0);
  g_autoptr(CpOrder) negative_refund = make_order ("pos", "V7", 0);

  g_strlcpy (bad_currency->currency, "usd", sizeof bad_currency->currency);
  cp_order_add_line (bad_currency, "HLM-RED-L", "Helmet", 1, 1, 0, 0);
  assert_refused (fixture->ledger, bad_currency, CP_LEDGER_ERROR_INVALID);

  assert_refused (fixture->ledger, no_lines, CP_LEDGER_ERROR_INVALID);

  cancelled->status = g_strdup ("cancelled");
  record (fixture->ledger, cancelled, TRUE);

  cp_order_add_line (negative, "HLM-RED-L", "Helmet", 1, 1, 0, 0);
  cp_order_add_line (negative, "GLV-BLK-M", "Gloves", -1, 1, 0, 0);
  assert_refused (fixture->ledger, negative, CP_LEDGER_ERROR_INVALID);

  cp_order_add_line (no_id, "HLM-RED-L", "Helmet", 1, 1, 0, 0);
  assert_refused (fixture->ledger, no_id, CP_LEDGER_ERROR_INVALID);

  cp_order_add_line (overflow, "HLM-RED-L", "Helmet", G_MAXINT64 / 2, 3, 0, 0);
  assert_refused (fixture->ledger, overflow, CP_LEDGER_ERROR_INVALID);

  /* The sums fit, but the first line's own total does not. */
  {
    g_autoptr(CpOrder) line_overflow = make_order ("pos", "V8", 0);

    cp_order_add_line (line_overflow, "HLM-RED-L", "Helmet", 1, G_MAXINT64 - 1, 0, 5);
    cp_order_add_line (line_overflow, "GLV-BLK-M", "Voucher", 1, -100, 0, 0);
    assert_refused (fixture->ledger, line_overflow, CP_LEDGER_ERROR_INVALID);
  }

  bad_location->location_code = g_strdup ("NOWHERE");
  cp_order_add_line (bad_location, "HLM-RED-L", "Helmet", 1, 1, 0, 0);
  assert_refused (fixture->ledger, bad_location, CP_LEDGER_ERROR_NOT_FOUND);

  cp_order_add_line (negative_refund, "HLM-RED-L", "Helmet", 1, 1, 0, 0);
  cp_order_add_refund (negative_refund, -5, NULL, 0);
  assert_refused (fixture->ledger, negative_refund, CP_LEDGER_ERROR_INVALID);

  /* Nothing half-written anywhere. */
  g_assert_cmpint (query_int (fixture->ledger, "SELECT count (*) FROM order_lines"), ==, 0);
  g_assert_cmpint (query_int (fixture->ledger, "SELECT count (*) FROM orders_fts"), ==, 1);
  g_assert_cmpint (on_hand (fixture->ledger, "HLM-RED-L", "MAIN"), ==, 10);
}

static void
test_caller_transaction (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_ledger_begin (fixture->ledger, &error));
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("T-%d", i);
      g_autoptr(CpOrder) order = make_order ("pos", id, 0);

      cp_order_add_line (order, "HLM-RED-L", "Helmet", 1, 12999, 0, 0);
      record (fixture->ledger, order, TRUE);
    }
  cp_ledger_rollback (fixture->ledger);

  /* The caller's rollback undid all three, stock included. */
  g_assert_cmpint (cp_orders_count (fixture->ledger), ==, 0);
  g_assert_cmpint (query_int (fixture->ledger, "SELECT count (*) FROM orders_fts"), ==, 0);
  g_assert_cmpint (on_hand (fixture->ledger, "HLM-RED-L", "MAIN"), ==, 10);

  g_assert_true (cp_ledger_begin (fixture->ledger, &error));
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("T-%d", i);
      g_autoptr(CpOrder) order = make_order ("pos", id, 0);

      cp_order_add_line (order, "HLM-RED-L", "Helmet", 1, 12999, 0, 0);
      record (fixture->ledger, order, TRUE);
    }
  g_assert_true (cp_ledger_commit (fixture->ledger, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cp_orders_count (fixture->ledger), ==, 3);
  g_assert_cmpint (on_hand (fixture->ledger, "HLM-RED-L", "MAIN"), ==, 7);
}

static void
exec_sql (CpLedger   *ledger,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (cp_ledger_get_db (ledger), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* An engine failure half-way through an order (a temporary trigger
 * refuses one row, as a full disk would) leaves nothing of it behind,
 * whether the order had its own transaction or shared the caller's. */
static void
test_failure_half_way (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpOrder) good = make_order ("pos", "GOOD-1", 0);
  g_autoptr(CpOrder) boom = make_order ("pos", "BOOM-1", 0);
  g_autoptr(CpOrder) good2 = make_order ("pos", "GOOD-2", 0);
  g_autoptr(CpOrder) stock_boom = make_order ("pos", "BOOM-2", 0);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  exec_sql (fixture->ledger,
            "CREATE TEMP TRIGGER refuse_payment BEFORE INSERT ON main.payments "
            "WHEN NEW.method = 'boom' BEGIN SELECT RAISE (ABORT, 'refused by the test'); END;"
            "CREATE TEMP TRIGGER refuse_movement BEFORE INSERT ON main.stock_movements "
            "WHEN NEW.reference = 'BOOM-2' AND NEW.delta = -2 "
            "BEGIN SELECT RAISE (ABORT, 'refused by the test'); END;");

  cp_order_add_line (good, "HLM-RED-L", "Helmet", 1, 12999, 0, 0);
  cp_order_add_line (good2, "HLM-RED-L", "Helmet", 1, 12999, 0, 0);
  cp_order_add_line (boom, "HLM-RED-L", "Helmet", 1, 12999, 0, 0);
  cp_order_add_line (boom, "GLV-BLK-M", "Gloves", 1, 2450, 0, 0);
  cp_order_add_payment (boom, "cash", 100, NULL);
  cp_order_add_payment (boom, "boom", 100, NULL);

  /* On its own: rolled back. */
  g_assert_false (cp_orders_record (fixture->ledger, boom, TRUE, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (cp_orders_count (fixture->ledger), ==, 0);

  /* In the caller's transaction, between two good orders: taken back,
   * the good ones stay. */
  g_assert_true (cp_ledger_begin (fixture->ledger, &error));
  record (fixture->ledger, good, FALSE);
  g_assert_false (cp_orders_record (fixture->ledger, boom, FALSE, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  record (fixture->ledger, good2, FALSE);
  g_assert_true (cp_ledger_commit (fixture->ledger, &error));
  g_assert_no_error (error);

  g_assert_cmpint (cp_orders_count (fixture->ledger), ==, 2);
  g_assert_cmpint (query_int (fixture->ledger, "SELECT count (*) FROM order_lines"), ==, 2);
  g_assert_cmpint (query_int (fixture->ledger, "SELECT count (*) FROM payments"), ==, 0);
  g_assert_cmpint (query_int (fixture->ledger, "SELECT count (*) FROM orders_fts"), ==, 2);
  g_assert_cmpint (query_int (fixture->ledger,
                              "SELECT count (*) FROM orders WHERE external_id = 'BOOM-1'"), ==, 0);

  /* Once stock moved the journal cannot be taken back: the caller's whole
   * transaction is cancelled and its commit says so. */
  cp_order_add_line (stock_boom, "HLM-RED-L", "Helmet", 1, 12999, 0, 0);
  cp_order_add_line (stock_boom, "GLV-BLK-M", "Gloves", 2, 2450, 0, 0);
  g_signal_connect (fixture->ledger, "changed", G_CALLBACK (on_changed), seen);
  g_assert_true (cp_ledger_begin (fixture->ledger, &error));
  {
    g_autoptr(CpOrder) ok = make_order ("pos", "GOOD-3", 0);

    cp_order_add_line (ok, "HLM-RED-L", "Helmet", 1, 12999, 0, 0);
    record (fixture->ledger, ok, TRUE);
  }
  g_test_expect_message ("cp-orders", G_LOG_LEVEL_WARNING, "*cancelling the whole transaction*");
  g_assert_false (cp_orders_record (fixture->ledger, stock_boom, TRUE, NULL, NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (cp_ledger_commit (fixture->ledger, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_assert_false (cp_ledger_in_transaction (fixture->ledger));

  g_assert_cmpint (cp_orders_count (fixture->ledger), ==, 2);
  g_assert_cmpint (on_hand (fixture->ledger, "HLM-RED-L", "MAIN"), ==, 10);
  g_assert_false (seen_table (seen, "orders"));
}

static GPtrArray *
list (CpLedger            *ledger,
      const CpOrderFilter *filter)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *orders = cp_orders_list (ledger, filter, &error);

  g_assert_no_error (error);
  g_assert_nonnull (orders);
  return orders;
}

static const char *
number_at (GPtrArray *orders,
           guint      i)
{
  return ((CpOrder *) g_ptr_array_index (orders, i))->number;
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  static const struct {
    const char *source, *id, *number, *status, *customer, *sku;
    gint64 at;
  } rows[] = {
    { "pos", "P1", "R1-000001", "completed", "Ada Lovelace", "HLM-RED-L", 1000 },
    { "pos", "P2", "R1-000002", "completed", NULL, "GLV-BLK-M", 2000 },
    { "shopify", "S1", "#1001", "awaiting_payment", "Grace Hopper", "GLV-BLK-M", 3000 },
    { "shopify", "S2", "#1002", "refunded", "Ada Byron", "HLM-RED-L", 4000 },
    { "woocommerce", "W1", "WC-77", "completed", "Émile Zola", "ZZZ-UNKNOWN", 4000 },
  };
  static const char * const hostile[] = {
    "\"", "\"unbalanced", "*", "**", "a*b", "(", ")", "(ada OR", "NOT ada", "ada AND",
    "number:R1", "NEAR(ada grace)", "^ada", "ada\"\"", "-", "+", "{number}: x", "'", "\\",
  };
  g_autoptr(GPtrArray) all = NULL;
  CpOrderFilter filter = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(CpOrder) order = make_order (rows[i].source, rows[i].id, rows[i].at);

      order->number = g_strdup (rows[i].number);
      order->status = g_strdup (rows[i].status);
      order->customer_name = g_strdup (rows[i].customer);
      cp_order_add_line (order, rows[i].sku, "Thing", 1, 100 * (i + 1), 0, 0);
      cp_order_add_line (order, NULL, "Service", 2, 50, 0, 0);
      record (fixture->ledger, order, FALSE);
    }

  /* Newest first; the tie at 4000 is broken by id, newest id first. */
  all = list (fixture->ledger, NULL);
  g_assert_cmpuint (all->len, ==, 5);
  g_assert_cmpstr (number_at (all, 0), ==, "WC-77");
  g_assert_cmpstr (number_at (all, 1), ==, "#1002");
  g_assert_cmpstr (number_at (all, 4), ==, "R1-000001");
  /* Summaries carry n_lines and totals without their lines. */
  g_assert_cmpuint (((CpOrder *) g_ptr_array_index (all, 4))->n_lines, ==, 2);
  g_assert_cmpuint (((CpOrder *) g_ptr_array_index (all, 4))->lines->len, ==, 0);
  g_assert_cmpint (((CpOrder *) g_ptr_array_index (all, 4))->total_minor, ==, 200);

  {
    g_autoptr(GPtrArray) orders = NULL;

    filter = (CpOrderFilter) { .source = "shopify" };
    orders = list (fixture->ledger, &filter);
    g_assert_cmpuint (orders->len, ==, 2);
    g_assert_cmpstr (number_at (orders, 0), ==, "#1002");
  }
  {
    g_autoptr(GPtrArray) orders = NULL;

    filter = (CpOrderFilter) { .status = "completed", .source = "pos" };
    orders = list (fixture->ledger, &filter);
    g_assert_cmpuint (orders->len, ==, 2);
  }
  {
    g_autoptr(GPtrArray) orders = NULL;

    /* since is inclusive, until exclusive. */
    filter = (CpOrderFilter) { .since_us = 2000, .until_us = 4000 };
    orders = list (fixture->ledger, &filter);
    g_assert_cmpuint (orders->len, ==, 2);
    g_assert_cmpstr (number_at (orders, 0), ==, "#1001");
    g_assert_cmpstr (number_at (orders, 1), ==, "R1-000002");
  }
  {
    g_autoptr(GPtrArray) orders = NULL;

    filter = (CpOrderFilter) { .limit = 3 };
    orders = list (fixture->ledger, &filter);
    g_assert_cmpuint (orders->len, ==, 3);
  }
  {
    g_autoptr(GPtrArray) orders = NULL;

    /* Prefix match on the customer, across two words. */
    filter = (CpOrderFilter) { .search = "ad" };
    orders = list (fixture->ledger, &filter);
    g_assert_cmpuint (orders->len, ==, 2);
    g_clear_pointer (&orders, g_ptr_array_unref);

    filter = (CpOrderFilter) { .search = "  ada   love " };
    orders = list (fixture->ledger, &filter);
    g_assert_cmpuint (orders->len, ==, 1);
    g_assert_cmpstr (number_at (orders, 0), ==, "R1-000001");
    g_clear_pointer (&orders, g_ptr_array_unref);

    /* By SKU, by a SKU prefix with its dash, and by number. */
    filter = (CpOrderFilter) { .search = "GLV-BLK" };
    orders = list (fixture->ledger, &filter);
    g_assert_cmpuint (orders->len, ==, 2);
    g_clear_pointer (&orders, g_ptr_array_unref);

    filter = (CpOrderFilter) { .search = "1002" };
    orders = list (fixture->ledger, &filter);
    g_assert_cmpuint (orders->len, ==, 1);
    g_assert_cmpstr (number_at (orders, 0), ==, "#1002");
    g_clear_pointer (&orders, g_ptr_array_unref);

    /* Diacritics do not matter. */
    filter = (CpOrderFilter) { .search = "emile" };
    orders = list (fixture->ledger, &filter);
    g_assert_cmpuint (orders->len, ==, 1);
    g_clear_pointer (&orders, g_ptr_array_unref);

    /* Combined with a source. */
    filter = (CpOrderFilter) { .search = "hlm", .source = "pos" };
    orders = list (fixture->ledger, &filter);
    g_assert_cmpuint (orders->len, ==, 1);
    g_clear_pointer (&orders, g_ptr_array_unref);

    /* "OR" is a word, not an operator: nobody matches both. */
    filter = (CpOrderFilter) { .search = "grace OR ada" };
    orders = list (fixture->ledger, &filter);
    g_assert_cmpuint (orders->len, ==, 0);
    g_clear_pointer (&orders, g_ptr_array_unref);

    /* Only spaces: no search at all. */
    filter = (CpOrderFilter) { .search = "   " };
    orders = list (fixture->ledger, &filter);
    g_assert_cmpuint (orders->len, ==, 5);
  }

  /* Whatever a person types is never an FTS5 syntax error. */
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) orders = NULL;

      filter = (CpOrderFilter) { .search = hostile[i] };
      orders = cp_orders_list (fixture->ledger, &filter, &error);
      g_assert_no_error (error);
      g_assert_nonnull (orders);
    }

  {
    g_autoptr(GPtrArray) orders = NULL;

    /* Quotes and brackets around a real word still find it. */
    filter = (CpOrderFilter) { .search = "(grace)" };
    orders = list (fixture->ledger, &filter);
    g_assert_cmpuint (orders->len, ==, 1);
    g_clear_pointer (&orders, g_ptr_array_unref);

    filter = (CpOrderFilter) { .search = "\"hopper\"" };
    orders = list (fixture->ledger, &filter);
    g_assert_cmpuint (orders->len, ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/orders/round-trip", Fixture, NULL, fixture_setup, test_round_trip, fixture_teardown);
  g_test_add ("/orders/duplicate", Fixture, NULL, fixture_setup, test_duplicate, fixture_teardown);
  g_test_add ("/orders/stock-and-unknown-sku", Fixture, NULL, fixture_setup,
              test_stock_and_unknown_sku, fixture_teardown);
  g_test_add ("/orders/validation", Fixture, NULL, fixture_setup, test_validation, fixture_teardown);
  g_test_add ("/orders/caller-transaction", Fixture, NULL, fixture_setup,
              test_caller_transaction, fixture_teardown);
  g_test_add ("/orders/failure-half-way", Fixture, NULL, fixture_setup,
              test_failure_half_way, fixture_teardown);
  g_test_add ("/orders/list", Fixture, NULL, fixture_setup, test_list, fixture_teardown);

  return g_test_run ();
}
