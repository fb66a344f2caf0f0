/* test-stock.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-stock"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cp-catalog.h"
#include "cp-stock.h"

typedef struct
{
  char     *dir;
  CpLedger *ledger;
  gint64    main_id;
  gint64    tee_id;
} Fixture;

static void
add_variant (CpLedger   *ledger,
             const char *sku,
             gint64     *out_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) variant = cp_variant_new ();

  variant->product_name = g_strdup ("Thing");
  variant->sku = g_strdup (sku);
  variant->price_minor = 500;
  g_assert_true (cp_catalog_upsert_variant (ledger, variant, out_id, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("test-stock-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "ledger.sqlite3", NULL);
  fixture->ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);

  g_assert_true (cp_locations_add (fixture->ledger, "MAIN", "Main shop", NULL, &fixture->main_id, &error));
  g_assert_true (cp_locations_add (fixture->ledger, "BACK", "Back room", NULL, NULL, &error));
  g_assert_no_error (error);
  add_variant (fixture->ledger, "TEE-M", &fixture->tee_id);
  add_variant (fixture->ledger, "CAP-1", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&fixture->ledger);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->dir, "/ledger.sqlite3", suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static gint64
adjust_ok (Fixture       *fixture,
           const char    *sku,
           const char    *location,
           gint64         delta,
           CpStockReason  reason)
{
  g_autoptr(GError) error = NULL;
  gint64 movement_id = 0;

  g_assert_true (cp_stock_adjust (fixture->ledger, sku, location, delta, reason,
                                  "a note", "REF-1", "tester", &movement_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (movement_id, >, 0);
  return movement_id;
}

static CpStockLevel *
get_ok (Fixture    *fixture,
        const char *sku,
        const char *location)
{
  g_autoptr(GError) error = NULL;
  CpStockLevel *level = cp_stock_get (fixture->ledger, sku, location, &error);

  g_assert_no_error (error);
  g_assert_nonnull (level);
  return level;
}

static gint64
count_movements (Fixture *fixture)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  sqlite3_prepare_v2 (cp_ledger_get_db (fixture->ledger),
                      "SELECT count (*) FROM stock_movements", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static void
test_reasons (void)
{
  static const char * const names[] = {
    "received", "sold", "returned", "damaged", "lost", "count", "correction", "transfer",
  };
  CpStockReason reason;

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == CP_N_STOCK_REASONS);
  for (guint i = 0; i < CP_N_STOCK_REASONS; i++)
    {
      g_assert_cmpstr (cp_stock_reason_to_string (i), ==, names[i]);
      g_assert_true (cp_stock_reason_from_string (names[i], &reason));
      g_assert_cmpint (reason, ==, i);
      g_assert_nonnull (cp_stock_reason_to_label (i));
    }
  g_assert_false (cp_stock_reason_from_string ("stolen", &reason));
  g_assert_cmpstr (cp_stock_reason_to_label (CP_STOCK_REASON_SOLD), ==, "Sold");

  g_assert_true (cp_stock_reason_allows_negative (CP_STOCK_REASON_SOLD));
  g_assert_true (cp_stock_reason_allows_negative (CP_STOCK_REASON_CORRECTION));
  g_assert_true (cp_stock_reason_allows_negative (CP_STOCK_REASON_COUNT));
  g_assert_false (cp_stock_reason_allows_negative (CP_STOCK_REASON_DAMAGED));
  g_assert_false (cp_stock_reason_allows_negative (CP_STOCK_REASON_LOST));
  g_assert_false (cp_stock_reason_allows_negative (CP_STOCK_REASON_TRANSFER));
  g_assert_false (cp_stock_reason_allows_negative (CP_STOCK_REASON_RECEIVED));
  g_assert_false (cp_stock_reason_allows_negative (CP_STOCK_REASON_RETURNED));
}

static void
test_available (void)
{
  g_assert_cmpint (cp_stock_available (10, 0, 0), ==, 10);
  g_assert_cmpint (cp_stock_available (10, 3, 2), ==, 5);
  g_assert_cmpint (cp_stock_available (10, 6, 4), ==, 0);
  g_assert_cmpint (cp_stock_available (10, 6, 5), ==, 0);
  g_assert_cmpint (cp_stock_available (-4, 0, 0), ==, 0);
  g_assert_cmpint (cp_stock_available (0, 0, 0), ==, 0);
  g_assert_cmpint (cp_stock_available (G_MININT64, G_MAXINT64, G_MAXINT64), ==, 0);
  g_assert_cmpint (cp_stock_available (G_MAXINT64, 0, 0), ==, G_MAXINT64);
}

static void
test_adjust (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CpStockLevel) level = NULL;
  g_autoptr(CpStockLevel) back = NULL;

  adjust_ok (fixture, "TEE-M", "MAIN", 10, CP_STOCK_REASON_RECEIVED);
  adjust_ok (fixture, "TEE-M", "MAIN", -3, CP_STOCK_REASON_SOLD);
  adjust_ok (fixture, "TEE-M", "MAIN", 1, CP_STOCK_REASON_RETURNED);

  level = get_ok (fixture, "TEE-M", "MAIN");
  g_assert_cmpint (level->variant_id, ==, fixture->tee_id);
  g_assert_cmpstr (level->sku, ==, "TEE-M");
  g_assert_cmpstr (level->location_code, ==, "MAIN");
  g_assert_cmpint (level->on_hand, ==, 8);
  g_assert_cmpint (level->reserved, ==, 0);
  g_assert_cmpint (level->safety_stock, ==, 0);
  g_assert_cmpint (level->available, ==, 8);

  /* Another location is separate, and zero without any movement. */
  back = get_ok (fixture, "TEE-M", "BACK");
  g_assert_cmpint (back->on_hand, ==, 0);
  g_assert_cmpint (count_movements (fixture), ==, 3);
}

static void
test_negative (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpStockLevel) level = NULL;

  adjust_ok (fixture, "TEE-M", "MAIN", 3, CP_STOCK_REASON_RECEIVED);

  /* Damage or loss of goods we do not have is refused, with a way out. */
  g_assert_false (cp_stock_adjust (fixture->ledger, "TEE-M", "MAIN", -5, CP_STOCK_REASON_DAMAGED,
                                   NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Only 3"));
  g_assert_nonnull (strstr (error->message, "MAIN"));
  g_assert_nonnull (strstr (error->message, "TEE-M"));
  g_assert_nonnull (strstr (error->message, "“sold”"));
  g_assert_nonnull (strstr (error->message, "“correction”"));
  g_clear_error (&error);

  g_assert_false (cp_stock_adjust (fixture->ledger, "TEE-M", "MAIN", -4, CP_STOCK_REASON_LOST,
                                   NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_stock_adjust (fixture->ledger, "TEE-M", "MAIN", -4, CP_STOCK_REASON_TRANSFER,
                                   NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  /* Nothing was written by the refusals. */
  level = get_ok (fixture, "TEE-M", "MAIN");
  g_assert_cmpint (level->on_hand, ==, 3);
  g_assert_cmpint (count_movements (fixture), ==, 1);

  /* Down to exactly zero is fine for any reason. */
  adjust_ok (fixture, "TEE-M", "MAIN", -3, CP_STOCK_REASON_DAMAGED);

  /* Overselling happened at the till: recorded. */
  adjust_ok (fixture, "TEE-M", "MAIN", -2, CP_STOCK_REASON_SOLD);
  g_clear_pointer (&level, cp_stock_level_free);
  level = get_ok (fixture, "TEE-M", "MAIN");
  g_assert_cmpint (level->on_hand, ==, -2);
  g_assert_cmpint (level->available, ==, 0);

  /* Below zero already: a further loss is still refused, a count is not,
   * and receiving goods is always fine. */
  g_assert_false (cp_stock_adjust (fixture->ledger, "TEE-M", "MAIN", -1, CP_STOCK_REASON_LOST,
                                   NULL, NULL, NULL, NULL, &error));
  g_clear_error (&error);
  adjust_ok (fixture, "TEE-M", "MAIN", -1, CP_STOCK_REASON_COUNT);
  adjust_ok (fixture, "TEE-M", "MAIN", 1, CP_STOCK_REASON_RECEIVED);
  adjust_ok (fixture, "TEE-M", "MAIN", -1, CP_STOCK_REASON_CORRECTION);
  g_clear_pointer (&level, cp_stock_level_free);
  level = get_ok (fixture, "TEE-M", "MAIN");
  g_assert_cmpint (level->on_hand, ==, -3);
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CpStockLevel *level;

  g_assert_false (cp_stock_adjust (fixture->ledger, "TEE-M", "MAIN", 0, CP_STOCK_REASON_COUNT,
                                   NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (cp_stock_adjust (fixture->ledger, "NO-SUCH", "MAIN", 1, CP_STOCK_REASON_RECEIVED,
                                   NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "NO-SUCH"));
  g_clear_error (&error);

  g_assert_false (cp_stock_adjust (fixture->ledger, "TEE-M", "ATTIC", 1, CP_STOCK_REASON_RECEIVED,
                                   NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "ATTIC"));
  g_clear_error (&error);

  g_assert_false (cp_stock_adjust_ids (fixture->ledger, fixture->tee_id + 1000, fixture->main_id, 1,
                                       CP_STOCK_REASON_RECEIVED, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (cp_stock_adjust_ids (fixture->ledger, fixture->tee_id, fixture->main_id, 1,
                                       CP_N_STOCK_REASONS, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  /* Overflowing gint64 is refused, not wrapped. */
  adjust_ok (fixture, "TEE-M", "MAIN", G_MAXINT64 - 1, CP_STOCK_REASON_RECEIVED);
  g_assert_false (cp_stock_adjust (fixture->ledger, "TEE-M", "MAIN", 2, CP_STOCK_REASON_RECEIVED,
                                   NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  level = cp_stock_get (fixture->ledger, "TEE-M", "ATTIC", &error);
  g_assert_null (level);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
  g_assert_cmpint (count_movements (fixture), ==, 1);
}

static void
test_safety_and_reserved (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpStockLevel) level = NULL;

  g_assert_false (cp_stock_set_safety (fixture->ledger, "TEE-M", "MAIN", -1, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  /* Safety stock before any movement creates the level row. */
  g_assert_true (cp_stock_set_safety (fixture->ledger, "TEE-M", "MAIN", 2, &error));
  g_assert_no_error (error);
  adjust_ok (fixture, "TEE-M", "MAIN", 10, CP_STOCK_REASON_RECEIVED);
  g_assert_true (cp_stock_reserve_ids (fixture->ledger, fixture->tee_id, fixture->main_id, 3, &error));
  g_assert_no_error (error);

  level = get_ok (fixture, "TEE-M", "MAIN");
  g_assert_cmpint (level->on_hand, ==, 10);
  g_assert_cmpint (level->reserved, ==, 3);
  g_assert_cmpint (level->safety_stock, ==, 2);
  g_assert_cmpint (level->available, ==, 5);

  /* Releasing more than is reserved is refused. */
  g_assert_false (cp_stock_reserve_ids (fixture->ledger, fixture->tee_id, fixture->main_id, -4, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (cp_stock_set_safety (fixture->ledger, "TEE-M", "MAIN", 9, &error));
  g_clear_pointer (&level, cp_stock_level_free);
  level = get_ok (fixture, "TEE-M", "MAIN");
  g_assert_cmpint (level->available, ==, 0);
  g_assert_cmpint (level->on_hand, ==, 10);

  /* Neither safety stock nor reservations are movements. */
  g_assert_cmpint (count_movements (fixture), ==, 1);
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) tee = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GPtrArray) one = NULL;
  GPtrArray *missing;
  CpStockLevel *level;

  adjust_ok (fixture, "TEE-M", "BACK", 7, CP_STOCK_REASON_RECEIVED);

  /* Every variant × location, zeros included, by SKU then location. */
  all = cp_stock_list (fixture->ledger, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 4);
  level = all->pdata[0];
  g_assert_cmpstr (level->sku, ==, "CAP-1");
  g_assert_cmpstr (level->location_code, ==, "BACK");
  g_assert_cmpint (level->on_hand, ==, 0);
  level = all->pdata[1];
  g_assert_cmpstr (level->sku, ==, "CAP-1");
  g_assert_cmpstr (level->location_code, ==, "MAIN");
  level = all->pdata[2];
  g_assert_cmpstr (level->sku, ==, "TEE-M");
  g_assert_cmpstr (level->location_code, ==, "BACK");
  g_assert_cmpint (level->on_hand, ==, 7);
  g_assert_cmpint (level->available, ==, 7);
  level = all->pdata[3];
  g_assert_cmpstr (level->location_code, ==, "MAIN");
  g_assert_cmpint (level->on_hand, ==, 0);

  tee = cp_stock_list (fixture->ledger, "TEE-M", NULL, &error);
  g_assert_cmpuint (tee->len, ==, 2);
  back = cp_stock_list (fixture->ledger, NULL, "BACK", &error);
  g_assert_cmpuint (back->len, ==, 2);
  one = cp_stock_list (fixture->ledger, "TEE-M", "BACK", &error);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpint (((CpStockLevel *) one->pdata[0])->on_hand, ==, 7);

  missing = cp_stock_list (fixture->ledger, "NOPE", NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  missing = cp_stock_list (fixture->ledger, NULL, "NOPE", &error);
  g_assert_null (missing);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
}

static void
test_movements (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) movements = NULL;
  g_autoptr(GPtrArray) limited = NULL;
  g_autoptr(GPtrArray) back = NULL;
  CpStockMovement *movement;
  gint64 first;
  gint64 last;

  first = adjust_ok (fixture, "TEE-M", "MAIN", 5, CP_STOCK_REASON_RECEIVED);
  adjust_ok (fixture, "CAP-1", "MAIN", 2, CP_STOCK_REASON_RECEIVED);
  last = adjust_ok (fixture, "TEE-M", "MAIN", -1, CP_STOCK_REASON_SOLD);

  movements = cp_stock_movements (fixture->ledger, "TEE-M", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (movements->len, ==, 2);

  /* Newest first, with everything journaled. */
  movement = movements->pdata[0];
  g_assert_cmpint (movement->id, ==, last);
  g_assert_cmpint (movement->delta, ==, -1);
  g_assert_cmpint (movement->on_hand_after, ==, 4);
  g_assert_cmpint (movement->reason, ==, CP_STOCK_REASON_SOLD);
  g_assert_cmpstr (movement->sku, ==, "TEE-M");
  g_assert_cmpstr (movement->location_code, ==, "MAIN");
  g_assert_cmpstr (movement->note, ==, "a note");
  g_assert_cmpstr (movement->reference, ==, "REF-1");
  g_assert_cmpstr (movement->actor, ==, "tester");
  g_assert_cmpint (movement->at_us, >, 0);
  movement = movements->pdata[1];
  g_assert_cmpint (movement->id, ==, first);
  g_assert_cmpint (movement->on_hand_after, ==, 5);

  limited = cp_stock_movements (fixture->ledger, NULL, NULL, 2, &error);
  g_assert_cmpuint (limited->len, ==, 2);
  g_assert_cmpint (((CpStockMovement *) limited->pdata[0])->id, ==, last);

  back = cp_stock_movements (fixture->ledger, NULL, "BACK", 10, &error);
  g_assert_cmpuint (back->len, ==, 0);
}

static void
test_append_only (Fixture       *fixture,
                  gconstpointer  data)
{
  sqlite3 *db = cp_ledger_get_db (fixture->ledger);
  char *message = NULL;

  adjust_ok (fixture, "TEE-M", "MAIN", 5, CP_STOCK_REASON_RECEIVED);

  g_assert_cmpint (sqlite3_exec (db, "UPDATE stock_movements SET delta = 500", NULL, NULL, &message)
                   & 0xff, ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (message, "append-only"));
  sqlite3_free (message);

  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM stock_movements", NULL, NULL, NULL) & 0xff,
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (count_movements (fixture), ==, 1);
}

typedef struct
{
  guint n_stock;
} Counter;

static void
stock_changed_cb (CpLedger   *ledger,
                  const char *table,
                  Counter    *counter)
{
  g_assert_cmpstr (table, ==, "stock");
  counter->n_stock++;
}

static void
test_transaction (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpStockLevel) level = NULL;
  Counter counter = { 0 };

  g_signal_connect (fixture->ledger, "changed::stock", G_CALLBACK (stock_changed_cb), &counter);

  adjust_ok (fixture, "TEE-M", "MAIN", 5, CP_STOCK_REASON_RECEIVED);
  g_assert_cmpuint (counter.n_stock, ==, 1);

  /* Inside the caller's transaction: nothing announced until it commits,
   * nothing kept when it rolls back. */
  g_assert_true (cp_ledger_begin (fixture->ledger, &error));
  adjust_ok (fixture, "TEE-M", "MAIN", -2, CP_STOCK_REASON_SOLD);
  adjust_ok (fixture, "CAP-1", "MAIN", 1, CP_STOCK_REASON_RECEIVED);
  g_assert_cmpuint (counter.n_stock, ==, 1);
  cp_ledger_rollback (fixture->ledger);
  g_assert_cmpuint (counter.n_stock, ==, 1);

  level = get_ok (fixture, "TEE-M", "MAIN");
  g_assert_cmpint (level->on_hand, ==, 5);
  g_assert_cmpint (count_movements (fixture), ==, 1);

  g_assert_true (cp_ledger_begin (fixture->ledger, &error));
  adjust_ok (fixture, "TEE-M", "MAIN", -2, CP_STOCK_REASON_SOLD);
  adjust_ok (fixture, "TEE-M", "MAIN", -1, CP_STOCK_REASON_SOLD);
  g_assert_true (cp_ledger_commit (fixture->ledger, &error));
  g_assert_cmpuint (counter.n_stock, ==, 2);

  g_clear_pointer (&level, cp_stock_level_free);
  level = get_ok (fixture, "TEE-M", "MAIN");
  g_assert_cmpint (level->on_hand, ==, 2);

  /* A refused movement inside the caller's transaction writes nothing and
   * leaves the transaction to the caller. */
  g_assert_true (cp_ledger_begin (fixture->ledger, &error));
  adjust_ok (fixture, "TEE-M", "MAIN", 4, CP_STOCK_REASON_RECEIVED);
  g_assert_false (cp_stock_adjust (fixture->ledger, "TEE-M", "MAIN", -50, CP_STOCK_REASON_DAMAGED,
                                   NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (cp_ledger_in_transaction (fixture->ledger));
  g_assert_true (cp_ledger_commit (fixture->ledger, &error));
  g_assert_no_error (error);

  g_clear_pointer (&level, cp_stock_level_free);
  level = get_ok (fixture, "TEE-M", "MAIN");
  g_assert_cmpint (level->on_hand, ==, 6);
  g_assert_cmpint (count_movements (fixture), ==, 4);

  g_signal_handlers_disconnect_by_data (fixture->ledger, &counter);
}

/* The journal explains the level: its movements sum to on hand. */
static void
test_journal_sums (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) movements = NULL;
  g_autoptr(CpStockLevel) level = NULL;
  GRand *rand = g_rand_new_with_seed (42);
  gint64 sum = 0;

  for (guint i = 0; i < 200; i++)
    {
      gint64 delta = g_rand_int_range (rand, -5, 8);

      if (delta == 0)
        continue;
      adjust_ok (fixture, "TEE-M", "MAIN", delta,
                 delta > 0 ? CP_STOCK_REASON_RECEIVED : CP_STOCK_REASON_SOLD);
    }
  g_rand_free (rand);

  movements = cp_stock_movements (fixture->ledger, "TEE-M", "MAIN", 0, &error);
  for (guint i = 0; i < movements->len; i++)
    sum += ((CpStockMovement *) movements->pdata[i])->delta;

  level = get_ok (fixture, "TEE-M", "MAIN");
  g_assert_cmpint (level->on_hand, ==, sum);
  g_assert_cmpint (((CpStockMovement *) movements->pdata[0])->on_hand_after, ==, sum);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stock/reasons", test_reasons);
  g_test_add_func ("/stock/available", test_available);

#define ADD(name, func) \
  g_test_add ("/stock/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("adjust", test_adjust);
  ADD ("negative", test_negative);
  ADD ("refusals", test_refusals);
  ADD ("safety-and-reserved", test_safety_and_reserved);
  ADD ("list", test_list);
  ADD ("movements", test_movements);
  ADD ("append-only", test_append_only);
  ADD ("transaction", test_transaction);
  ADD ("journal-sums", test_journal_sums);

#undef ADD

  return g_test_run ();
}
