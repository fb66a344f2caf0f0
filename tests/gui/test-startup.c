/* test-startup.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What keeps the window quick on a big ledger, checked on a demo shop of a
 * few thousand orders: the Orders list starts with nothing picked, and
 * loading it again (a filter, another process's sale) reads only the
 * pages on screen, not every order. GTK 4.8's selection walks every new
 * row of a reloaded model looking for the row it held; on a million
 * orders that walk took the window seconds.
 */

#define G_LOG_DOMAIN "test-startup"

#include "config.h"

#include <adwaita.h>

#include "counterpart-resources.h"
#include "cp-demo.h"
#include "cp-order-model.h"
#include "cp-orders.h"
#include "cp-orders-page.h"
#include "cp-orders-page-private.h"
#include "pages-fixture.h"

/* The pager's pages hold 128 rows. */
#define ROWS_PER_PAGE 128

static GtkSingleSelection *
orders_selection (Fixture *fixture)
{
  return GTK_SINGLE_SELECTION (gtk_column_view_get_model (
    _cp_orders_page_get_column_view (CP_ORDERS_PAGE (fixture->page))));
}

static CpOrderModel *
orders_model (Fixture *fixture)
{
  return CP_ORDER_MODEL (gtk_single_selection_get_model (orders_selection (fixture)));
}

static void
test_orders_reload_reads_few_pages (void)
{
  Fixture fixture = { 0 };
  CpDemoOptions options;
  g_autoptr(GError) error = NULL;
  GtkSingleSelection *selection;
  CpOrderModel *model;
  guint n_orders;
  guint64 pages_before;
  guint64 pages_read;

  fixture_open (&fixture, FALSE);
  cp_demo_options_init (&options);
  options.n_products = 40;
  g_assert_true (cp_demo_populate (fixture.ledger, &options, &error));
  g_assert_no_error (error);

  fixture_show (&fixture, cp_orders_page_new (fixture.ledger));
  selection = orders_selection (&fixture);
  model = orders_model (&fixture);
  n_orders = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpint (n_orders, ==, cp_orders_count (fixture.ledger));
  /* Enough pages that a walk over all of them cannot pass for the rows
   * on screen. */
  g_assert_cmpuint (n_orders / ROWS_PER_PAGE, >, 16);

  /* Nothing picked until someone picks. */
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, GTK_INVALID_LIST_POSITION);
  drain ();

  /* Someone picks the newest order; then another process records a sale
   * and the page loads the list again. */
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (selection), 0, TRUE);
  drain ();
  pages_before = cp_order_model_get_pages_read (model);
  record_order (fixture.ledger, "pos", "startup-sale", "R9-000001", "Walk-in", "NO-SUCH-SKU", 1, 500, FALSE);
  cp_ledger_emit_changed (fixture.ledger, "orders");
  wait_for_n_items (G_LIST_MODEL (model), n_orders + 1);
  drain ();
  pages_read = cp_order_model_get_pages_read (model) - pages_before;
  g_test_message ("reload read %" G_GUINT64_FORMAT " pages of %u", pages_read,
                  (n_orders + 1 + ROWS_PER_PAGE - 1) / ROWS_PER_PAGE);
  g_assert_cmpuint (pages_read, <=, 4);

  /* A filter that changes nothing loads nothing. */
  pages_before = cp_order_model_get_pages_read (model);
  g_signal_emit_by_name (_cp_orders_page_get_search_entry (CP_ORDERS_PAGE (fixture.page)), "search-changed");
  drain ();
  g_assert_cmpuint (cp_order_model_get_pages_read (model) - pages_before, ==, 0);

  fixture_close (&fixture);
}

static void
test_no_display (void)
{
  if (g_getenv ("CP_TEST_HARNESS") != NULL)
    g_error ("CP_TEST_HARNESS is set but there is no display to open");
  g_test_skip ("No display (run under build-aux/test-session.sh)");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DISPLAY") == NULL || !gtk_init_check ())
    {
      g_test_add_func ("/gui/startup/display", test_no_display);
      return g_test_run ();
    }

  adw_init ();
  /* Make sure the linker keeps the bundle that registers the .ui files. */
  g_assert_nonnull (counterpart_get_resource ());
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/gui/startup/orders-reload-reads-few-pages", test_orders_reload_reads_few_pages);

  return g_test_run ();
}
