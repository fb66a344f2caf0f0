/* test-order-sources.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The distinct order sources and statuses the Orders page offers as
 * filters, read from a real ledger in a temporary directory.
 */

#define G_LOG_DOMAIN "test-order-sources"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cp-order-sources.h"
#include "cp-orders.h"

typedef struct
{
  char     *dir;
  CpLedger *ledger;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("test-order-sources-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "ledger.sqlite", NULL);
  fixture->ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  g_clear_object (&fixture->ledger);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static void
record (CpLedger   *ledger,
        const char *source,
        const char *external_id,
        const char *status)
{
  g_autoptr(CpOrder) order = cp_order_new ();
  g_autoptr(GError) error = NULL;

  order->source = g_strdup (source);
  order->external_id = g_strdup (external_id);
  order->status = g_strdup (status);
  memcpy (order->currency, "EUR", 4);
  cp_order_add_line (order, "SKU-1", "Thing", 1, 100, 0, 0);
  g_assert_true (cp_orders_record (ledger, order, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sources = cp_order_sources_list (fixture->ledger, &error);
  g_auto(GStrv) statuses = cp_order_statuses_list (fixture->ledger, &error);

  g_assert_no_error (error);
  /* Empty, not NULL: NULL means SQLite failed. */
  g_assert_nonnull (sources);
  g_assert_cmpuint (g_strv_length (sources), ==, 0);
  g_assert_nonnull (statuses);
  g_assert_cmpuint (g_strv_length (statuses), ==, 0);
}

static void
test_distinct_sorted (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sources = NULL;
  g_auto(GStrv) statuses = NULL;
  const char * const expected_sources[] = { "pos", "shop-web", "woo-2", NULL };
  const char * const expected_statuses[] = { "awaiting_payment", "cancelled", "completed", NULL };

  record (fixture->ledger, "woo-2", "w-1", "completed");
  record (fixture->ledger, "pos", "s-1", "completed");
  record (fixture->ledger, "shop-web", "9001", "awaiting_payment");
  record (fixture->ledger, "pos", "s-2", "cancelled");
  record (fixture->ledger, "shop-web", "9002", "completed");

  sources = cp_order_sources_list (fixture->ledger, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *) sources, expected_sources));

  statuses = cp_order_statuses_list (fixture->ledger, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *) statuses, expected_statuses));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/order-sources/empty", Fixture, NULL, fixture_setup, test_empty, fixture_teardown);
  g_test_add ("/order-sources/distinct-sorted", Fixture, NULL, fixture_setup, test_distinct_sorted,
              fixture_teardown);

  return g_test_run ();
}
