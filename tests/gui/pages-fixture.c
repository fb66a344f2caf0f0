/* pages-fixture.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-pages"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cp-catalog.h"
#include "cp-orders.h"
#include "cp-stock.h"
#include "pages-fixture.h"

#define WAIT_TIMEOUT_MS 20000

/* Waiting on the main loop */

gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
wait_until (Predicate predicate,
            gpointer  data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (WAIT_TIMEOUT_MS, timeout_cb, &timed_out);

  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef struct
{
  GListModel *model;
  guint       n;
} CountWait;

static gboolean
has_n_items (gpointer data)
{
  CountWait *wait = data;

  return g_list_model_get_n_items (wait->model) == wait->n;
}

void
wait_for_n_items (GListModel *model,
                  guint       n)
{
  CountWait wait = { model, n };

  if (!wait_until (has_n_items, &wait))
    g_error ("Expected %u rows, the list has %u", n, g_list_model_get_n_items (model));
}

static gboolean
sleep_done (gpointer data)
{
  return *(gboolean *) data;
}

void
maybe_screenshot (GtkWidget  *window,
                  const char *name)
{
  const char *dir = g_getenv ("CP_PAGES_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  gboolean done = FALSE;
  int width, height;

  if (dir == NULL)
    return;

  /* Let layout and the first frames happen. */
  g_timeout_add (500, timeout_cb, &done);
  wait_until (sleep_done, &done);

  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (dir, 0755);
  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* The ledger */

static void
add_variant (CpLedger   *ledger,
             const char *sku,
             const char *product,
             const char *option1,
             gint64      price_minor,
             CpModule    module,
             const char *attributes)
{
  g_autoptr(CpVariant) variant = cp_variant_new ();
  g_autoptr(GError) error = NULL;

  variant->sku = g_strdup (sku);
  variant->product_handle = g_strdup (product);
  variant->product_name = g_strdup (product);
  variant->option1 = g_strdup (option1);
  variant->price_minor = price_minor;
  variant->cost_minor = price_minor / 2;
  memcpy (variant->currency, "EUR", 4);
  variant->module = module;
  g_free (variant->attributes_json);
  variant->attributes_json = g_strdup (attributes != NULL ? attributes : "{}");

  g_assert_true (cp_catalog_upsert_variant (ledger, variant, NULL, NULL, &error));
  g_assert_no_error (error);
}

gint64
record_order (CpLedger   *ledger,
              const char *source,
              const char *external_id,
              const char *number,
              const char *customer,
              const char *sku,
              gint64      quantity,
              gint64      unit_minor,
              gboolean    split_tender)
{
  g_autoptr(CpOrder) order = cp_order_new ();
  g_autoptr(GError) error = NULL;
  gint64 id = 0;
  gint64 total = quantity * unit_minor;

  order->source = g_strdup (source);
  order->external_id = g_strdup (external_id);
  order->number = g_strdup (number);
  order->customer_name = g_strdup (customer);
  order->location_code = g_strdup ("MAIN");
  memcpy (order->currency, "EUR", 4);
  cp_order_add_line (order, sku, "Line item", quantity, unit_minor, 0, 0);
  if (split_tender)
    {
      cp_order_add_payment (order, "cash", total / 2, NULL);
      cp_order_add_payment (order, "card", total - total / 2, "AUTH-1");
      cp_order_add_refund (order, 1000, "Scratched visor", g_get_real_time ());
      cp_order_add_tax (order, "VAT", 2000, 0);
      cp_order_add_discount (order, "SPRING", "Spring sale", 0);
    }
  else
    {
      cp_order_add_payment (order, "card", total, NULL);
    }

  g_assert_true (cp_orders_record (ledger, order, FALSE, &id, NULL, &error));
  g_assert_no_error (error);
  return id;
}

void
fixture_open (Fixture  *fixture,
              gboolean  populate)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("cp-test-pages-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "ledger.sqlite", NULL);
  fixture->ledger = cp_ledger_open (fixture->path, &error);
  g_assert_no_error (error);

  if (!populate)
    return;

  g_assert_true (cp_locations_add (fixture->ledger, "MAIN", "Main shop", "EUR", NULL, &error));
  g_assert_true (cp_locations_add (fixture->ledger, "WEST", "West store", "EUR", NULL, &error));
  g_assert_no_error (error);

  add_variant (fixture->ledger, "HELM-RED-L", "Helmet", "Red", 12900, CP_MODULE_MOTORCYCLE,
               "{\"brand\": \"Arai\", \"year\": 2024}");
  add_variant (fixture->ledger, "GLOVE-M", "Gloves", "M", 3900, CP_MODULE_GENERAL, NULL);
  add_variant (fixture->ledger, "CHAIN-520", "Chain", NULL, 5400, CP_MODULE_SPARES, NULL);

  g_assert_true (cp_stock_adjust (fixture->ledger, "HELM-RED-L", "MAIN", 12,
                                  CP_STOCK_REASON_RECEIVED, NULL, NULL, "test", NULL, &error));
  g_assert_true (cp_stock_adjust (fixture->ledger, "GLOVE-M", "WEST", 4,
                                  CP_STOCK_REASON_RECEIVED, NULL, NULL, "test", NULL, &error));
  g_assert_no_error (error);

  record_order (fixture->ledger, "pos", "sale-1", "R1-000001", "Walk-in", "GLOVE-M", 1, 3900, FALSE);
  record_order (fixture->ledger, "shop-web", "9001", "#1001", "Ada Lovelace", "HELM-RED-L", 2, 12900, TRUE);
}

void
fixture_show (Fixture   *fixture,
              GtkWidget *page)
{
  GtkWidget *overlay = adw_toast_overlay_new ();

  fixture->page = page;
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 700);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), page);
  gtk_window_set_child (GTK_WINDOW (fixture->window), overlay);
  gtk_window_present (GTK_WINDOW (fixture->window));
  drain ();
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
fixture_close (Fixture *fixture)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  drain ();
  g_clear_object (&fixture->ledger);
  rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}
