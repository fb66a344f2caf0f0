/* test-models.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalog and order GListModels against a real ledger file with
 * 1,000 variants and 5,000 orders: every item in the order SQLite gives,
 * counts after filters and searches, random access, the end of the list,
 * and a page cache that stays bounded.
 */

#define G_LOG_DOMAIN "test-models"

#include "config.h"

#include <glib/gstdio.h>

#include "cp-catalog.h"
#include "cp-catalog-model.h"
#include "cp-ledger.h"
#include "cp-order-model.h"
#include "cp-orders.h"
#include "cp-stock.h"

#define N_VARIANTS 1000
#define N_ORDERS   5000
#define MAX_PAGES  8

typedef struct
{
  char     *dir;
  CpLedger *ledger;
} Fixture;

static const char * const colours[] = { "Red", "Blue", "Black", NULL };
static const char * const sizes[] = { "S", "M", "L", "XL" };
static const char * const nouns[] = { "Helmet", "gloves", "Jacket", "Chain", "Brake pad",
                                      "Oak plank", "Élan boots" };
static const char * const sources[] = { "pos", "shopify", "woocommerce" };
static const char * const statuses[] = { "completed", "refunded", "awaiting_payment",
                                          "cancelled" };

static void
seed (CpLedger *ledger)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_ledger_begin (ledger, &error));

  cp_locations_add (ledger, "MAIN", "Main shop", "USD", NULL, &error);
  g_assert_no_error (error);
  cp_locations_add (ledger, "KIOSK", "Kiosk", "USD", NULL, &error);
  g_assert_no_error (error);

  for (int i = 0; i < N_VARIANTS; i++)
    {
      g_autoptr(CpVariant) variant = cp_variant_new ();
      int product = i / 4;

      variant->product_handle = g_strdup_printf ("product-%d", product);
      /* Names repeat across products, in mixed case, so the name sort
       * needs its id tie-break. */
      variant->product_name = g_strdup_printf ("%s %d", nouns[product % G_N_ELEMENTS (nouns)],
                                               product % 50);
      variant->sku = g_strdup_printf ("SKU-%04d", (i * 7919) % 10000);
      variant->option1 = g_strdup (colours[product % G_N_ELEMENTS (colours)]);
      variant->option2 = variant->option1 != NULL ? g_strdup (sizes[i % 4]) : NULL;
      /* Few distinct prices: many ties. */
      variant->price_minor = 100 * g_rand_int_range (rand, 1, 60);
      g_strlcpy (variant->currency, "USD", sizeof variant->currency);
      variant->module = (CpModule) (product % CP_N_MODULES);
      cp_catalog_upsert_variant (ledger, variant, NULL, NULL, &error);
      g_assert_no_error (error);

      if (i % 3 != 0)
        {
          cp_stock_adjust (ledger, variant->sku, "MAIN", g_rand_int_range (rand, 1, 20),
                           CP_STOCK_REASON_RECEIVED, NULL, NULL, "test", NULL, &error);
          g_assert_no_error (error);
        }
      if (i % 5 == 0)
        {
          cp_stock_adjust (ledger, variant->sku, "KIOSK", g_rand_int_range (rand, 1, 9),
                           CP_STOCK_REASON_RECEIVED, NULL, NULL, "test", NULL, &error);
          g_assert_no_error (error);
          cp_stock_set_safety (ledger, variant->sku, "KIOSK", 3, &error);
          g_assert_no_error (error);
        }
      if (i % 11 == 0)
        {
          /* Oversold: a negative level counts as nothing available. */
          cp_stock_adjust (ledger, variant->sku, "MAIN", -30, CP_STOCK_REASON_SOLD,
                           NULL, NULL, "test", NULL, &error);
          g_assert_no_error (error);
        }
    }

  for (int o = 0; o < N_ORDERS; o++)
    {
      g_autoptr(CpOrder) order = cp_order_new ();
      int n_lines = 1 + o % 3;

      order->source = g_strdup (sources[o % G_N_ELEMENTS (sources)]);
      order->external_id = g_strdup_printf ("E-%05d", o);
      order->number = g_strdup_printf ("N%05d", o);
      order->status = g_strdup (statuses[(o / 3) % G_N_ELEMENTS (statuses)]);
      order->customer_name = o % 2 == 0 ? g_strdup_printf ("Customer %d", o % 97) : NULL;
      /* Many orders share a time: the id breaks the ties. */
      order->placed_at_us = G_GINT64_CONSTANT (1767225600000000) +
                            (gint64) g_rand_int_range (rand, 0, 2000) * G_USEC_PER_SEC;
      g_strlcpy (order->currency, "USD", sizeof order->currency);
      for (int l = 0; l < n_lines; l++)
        {
          g_autofree char *sku = g_strdup_printf ("SKU-%04d", ((o + l) * 7919) % 10000);
          cp_order_add_line (order, sku, "Thing", 1 + l, 100 * (l + 1), 0, 0);
        }
      g_assert_true (cp_orders_record (ledger, order, FALSE, NULL, NULL, &error));
      g_assert_no_error (error);
    }

  g_assert_true (cp_ledger_commit (ledger, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("test-models-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "ledger.sqlite3", NULL);
  fixture->ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);
  seed (fixture->ledger);
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

/* The ids a query returns, in its order. PARAM binds ?1 when not NULL. */
static GArray *
query_ids (CpLedger   *ledger,
           const char *sql,
           const char *param)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (cp_ledger_get_db (ledger), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (cp_ledger_get_db (ledger)));
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return ids;
}

static guint
count_ids (CpLedger   *ledger,
           const char *sql)
{
  g_autoptr(GArray) ids = query_ids (ledger, sql, NULL);

  return ids->len;
}

typedef gint64 (*ItemIdFunc) (gpointer item);

static gint64
variant_item_id (gpointer item)
{
  return cp_variant_item_get_id (item);
}

static gint64
order_item_id (gpointer item)
{
  return cp_order_item_get_id (item);
}

/* Walks MODEL front to back and checks each id against EXPECTED. */
static void
assert_model_ids (GListModel *model,
                  GArray     *expected,
                  ItemIdFunc  id_of)
{
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected->len);

  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_assert_nonnull (item);
      if (id_of (item) != g_array_index (expected, gint64, i))
        g_error ("position %u: id %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
                 i, id_of (item), g_array_index (expected, gint64, i));
    }

  g_assert_null (g_list_model_get_item (model, expected->len));
  g_assert_null (g_list_model_get_item (model, expected->len + 1000));
}

typedef struct
{
  guint n_emissions;
  guint position, removed, added;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->n_emissions++;
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
}

static void
assert_changed_once (Changes *changes,
                     guint    removed,
                     guint    added)
{
  g_assert_cmpuint (changes->n_emissions, ==, 1);
  g_assert_cmpuint (changes->position, ==, 0);
  g_assert_cmpuint (changes->removed, ==, removed);
  g_assert_cmpuint (changes->added, ==, added);
  *changes = (Changes) { 0 };
}

#define CATALOG_FROM \
  " FROM variants v JOIN products p ON p.id = v.product_id" \
  " LEFT JOIN (SELECT variant_id, sum (max (0, on_hand - reserved - safety_stock)) AS a" \
  "   FROM stock_levels GROUP BY variant_id) everywhere ON everywhere.variant_id = v.id" \
  " LEFT JOIN (SELECT variant_id, max (0, on_hand - reserved - safety_stock) AS a" \
  "   FROM stock_levels WHERE location_id = (SELECT id FROM locations WHERE code = 'MAIN'))" \
  "   main ON main.variant_id = v.id "

static void
test_catalog_order (Fixture       *fixture,
                    gconstpointer  data)
{
  static const struct {
    CpCatalogSort sort;
    const char *location;
    const char *order_by;
  } cases[] = {
    { CP_CATALOG_SORT_SKU, NULL, "v.sku" },
    { CP_CATALOG_SORT_NAME, NULL, "p.name COLLATE NOCASE" },
    { CP_CATALOG_SORT_PRICE, NULL, "v.price_minor" },
    { CP_CATALOG_SORT_AVAILABLE, NULL, "coalesce (everywhere.a, 0)" },
    { CP_CATALOG_SORT_AVAILABLE, "MAIN", "coalesce (main.a, 0)" },
    { CP_CATALOG_SORT_PRICE, "MAIN", "v.price_minor" },
  };
  g_autoptr(CpCatalogModel) model = cp_catalog_model_new (fixture->ledger);
  Changes changes = { 0 };

  g_assert_true (g_type_is_a (g_list_model_get_item_type (G_LIST_MODEL (model)),
                              CP_TYPE_VARIANT_ITEM));
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (int descending = 0; descending <= 1; descending++)
      {
        g_autofree char *sql = NULL;
        g_autoptr(GArray) expected = NULL;
        const char *dir = descending ? "DESC" : "ASC";

        g_test_message ("sort %d %s at %s", cases[i].sort, dir,
                        cases[i].location != NULL ? cases[i].location : "everywhere");
        cp_catalog_model_set_location (model, cases[i].location);
        cp_catalog_model_set_sort (model, cases[i].sort, descending);
        changes = (Changes) { 0 };
        cp_catalog_model_reload (model);
        assert_changed_once (&changes, N_VARIANTS, N_VARIANTS);

        sql = g_strdup_printf ("SELECT v.id" CATALOG_FROM "ORDER BY %s %s, v.id %s",
                               cases[i].order_by, dir, dir);
        expected = query_ids (fixture->ledger, sql, NULL);
        g_assert_cmpuint (expected->len, ==, N_VARIANTS);
        assert_model_ids (G_LIST_MODEL (model), expected, variant_item_id);

        /* Scrolling end to end kept only a few pages. */
        g_assert_cmpuint (cp_catalog_model_get_cached_pages (model), <=, MAX_PAGES);
        g_assert_cmpuint (cp_catalog_model_get_cached_pages (model), >, 0);
      }
}

static void
test_catalog_items (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CpCatalogModel) model = cp_catalog_model_new (fixture->ledger);
  g_autoptr(CpVariantItem) item = NULL;
  g_autoptr(CpStockLevel) main_level = NULL;
  g_autoptr(CpStockLevel) kiosk_level = NULL;
  g_autoptr(CpVariantItem) other = NULL;
  const CpVariant *variant;
  g_autoptr(GError) error = NULL;
  guint found = G_MAXUINT;

  /* Find SKU-0000 (variant 0: product 0, "Helmet 0 — Red / S", stock at
   * both locations, oversold at MAIN). */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)) && found == G_MAXUINT; i++)
    {
      g_autoptr(CpVariantItem) candidate = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (g_str_equal (cp_variant_item_get_sku (candidate), "SKU-0000"))
        {
          found = i;
          item = g_steal_pointer (&candidate);
        }
    }
  g_assert_cmpuint (found, ==, 0);
  variant = cp_variant_item_get_variant (item);
  g_assert_cmpstr (cp_variant_item_get_title (item), ==, "Helmet 0 — Red / S");
  g_assert_cmpstr (variant->product_name, ==, "Helmet 0");
  g_assert_cmpstr (variant->option1, ==, "Red");
  g_assert_cmpint (variant->module, ==, CP_MODULE_GENERAL);
  g_assert_cmpstr (variant->currency, ==, "USD");

  main_level = cp_stock_get (fixture->ledger, "SKU-0000", "MAIN", &error);
  g_assert_no_error (error);
  kiosk_level = cp_stock_get (fixture->ledger, "SKU-0000", "KIOSK", &error);
  g_assert_no_error (error);
  g_assert_cmpint (main_level->on_hand, <, 0);

  /* Everywhere: sums; available sums what each location can sell. */
  g_assert_cmpint (cp_variant_item_get_on_hand (item), ==, main_level->on_hand + kiosk_level->on_hand);
  g_assert_cmpint (cp_variant_item_get_safety_stock (item), ==, 3);
  g_assert_cmpint (cp_variant_item_get_reserved (item), ==, 0);
  g_assert_cmpint (cp_variant_item_get_available (item), ==, MAX (0, kiosk_level->on_hand - 3));

  /* At one location: that location's numbers. */
  cp_catalog_model_set_location (model, "KIOSK");
  g_clear_object (&item);
  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (cp_variant_item_get_sku (item), ==, "SKU-0000");
  g_assert_cmpint (cp_variant_item_get_on_hand (item), ==, kiosk_level->on_hand);
  g_assert_cmpint (cp_variant_item_get_available (item), ==, kiosk_level->available);

  cp_catalog_model_set_location (model, "MAIN");
  g_clear_object (&item);
  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpint (cp_variant_item_get_on_hand (item), ==, main_level->on_hand);
  g_assert_cmpint (cp_variant_item_get_available (item), ==, 0);

  /* A variant without options has no dash in its title (variant 12,
   * product 3, has no colour). */
  cp_catalog_model_set_search (model, "SKU-5028");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  other = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (cp_variant_item_get_title (other), ==, "Chain 3");
}

static void
test_catalog_filters (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char * const hostile[] = {
    "\"", "*", "(", ")", "AND", "OR NOT", "sku:", "helmet\"*", "NEAR(a b)", "^x", "-", "'",
  };
  g_autoptr(CpCatalogModel) model = cp_catalog_model_new (fixture->ledger);
  Changes changes = { 0 };
  guint n;

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);

  /* Module filter. */
  cp_catalog_model_set_module (model, CP_MODULE_WOOD);
  n = count_ids (fixture->ledger,
                 "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id "
                 "WHERE p.module = 'wood'");
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <, N_VARIANTS);
  assert_changed_once (&changes, N_VARIANTS, n);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CpVariantItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);
      g_assert_cmpint (cp_variant_item_get_variant (item)->module, ==, CP_MODULE_WOOD);
    }

  /* Setting the same filter again does nothing. */
  cp_catalog_model_set_module (model, CP_MODULE_WOOD);
  g_assert_cmpuint (changes.n_emissions, ==, 0);

  cp_catalog_model_set_module (model, -1);
  assert_changed_once (&changes, n, N_VARIANTS);

  /* Search: prefix words over SKU and title, ANDed, diacritics folded. */
  {
    g_autoptr(GArray) expected = query_ids (fixture->ledger,
                                            "SELECT v.id FROM variants v JOIN products p ON "
                                            "p.id = v.product_id WHERE p.name LIKE 'Helmet%' "
                                            "ORDER BY v.sku, v.id", NULL);

    cp_catalog_model_set_search (model, "helm");
    assert_changed_once (&changes, N_VARIANTS, expected->len);
    assert_model_ids (G_LIST_MODEL (model), expected, variant_item_id);
  }
  {
    g_autoptr(GArray) expected = query_ids (fixture->ledger,
                                            "SELECT v.id FROM variants v JOIN products p ON "
                                            "p.id = v.product_id WHERE p.name LIKE 'Helmet%' "
                                            "AND v.option1 = 'Red' AND v.option2 = 'XL' "
                                            "ORDER BY v.sku, v.id", NULL);

    cp_catalog_model_set_search (model, "  helmet  red xl ");
    g_assert_cmpuint (expected->len, >, 0);
    assert_model_ids (G_LIST_MODEL (model), expected, variant_item_id);
  }
  {
    g_autoptr(GArray) expected = query_ids (fixture->ledger,
                                            "SELECT v.id FROM variants v JOIN products p ON "
                                            "p.id = v.product_id WHERE p.name LIKE 'Élan%' "
                                            "ORDER BY v.sku, v.id", NULL);

    cp_catalog_model_set_search (model, "ELAN");
    g_assert_cmpuint (expected->len, >, 0);
    assert_model_ids (G_LIST_MODEL (model), expected, variant_item_id);
  }

  /* Search, module and sort together. */
  cp_catalog_model_set_search (model, "sku-1");
  cp_catalog_model_set_module (model, CP_MODULE_GENERAL);
  cp_catalog_model_set_sort (model, CP_CATALOG_SORT_PRICE, TRUE);
  {
    g_autoptr(GArray) expected = query_ids (fixture->ledger,
                                            "SELECT v.id FROM variants v JOIN products p ON "
                                            "p.id = v.product_id WHERE v.sku LIKE 'SKU-1%' "
                                            "AND p.module = 'general' "
                                            "ORDER BY v.price_minor DESC, v.id DESC", NULL);

    g_assert_cmpuint (expected->len, >, 0);
    assert_model_ids (G_LIST_MODEL (model), expected, variant_item_id);
  }
  cp_catalog_model_set_module (model, -1);
  cp_catalog_model_set_sort (model, CP_CATALOG_SORT_SKU, FALSE);

  /* Nothing typed is FTS5 syntax: no error, no crash. */
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GObject) first = NULL;

      cp_catalog_model_set_search (model, hostile[i]);
      if (g_list_model_get_n_items (G_LIST_MODEL (model)) > 0)
        {
          first = g_list_model_get_item (G_LIST_MODEL (model), 0);
          g_assert_nonnull (first);
        }
    }
  cp_catalog_model_set_search (model, "\"helmet\"");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), >, 0);

  /* Nothing matches: an empty model. */
  cp_catalog_model_set_search (model, "zzzzqqq");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 0));

  /* Clearing the search shows everything again. */
  cp_catalog_model_set_search (model, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_VARIANTS);
}

static void
test_catalog_random_access (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(CpCatalogModel) model = cp_catalog_model_new (fixture->ledger);
  g_autoptr(GArray) expected = query_ids (fixture->ledger,
                                          "SELECT id FROM variants ORDER BY sku, id", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint64 pages_read;

  /* Jumping around: every answer right, the cache never past its bound. */
  for (int i = 0; i < 500; i++)
    {
      guint position = (guint) g_rand_int_range (rand, 0, N_VARIANTS);
      g_autoptr(CpVariantItem) item = g_list_model_get_item (G_LIST_MODEL (model), position);

      g_assert_cmpint (cp_variant_item_get_id (item), ==, g_array_index (expected, gint64, position));
      g_assert_cmpuint (cp_catalog_model_get_cached_pages (model), <=, MAX_PAGES);
    }

  /* The same by price, descending, where pages are read by id. */
  {
    g_autoptr(GArray) by_price = query_ids (fixture->ledger,
                                            "SELECT id FROM variants "
                                            "ORDER BY price_minor DESC, id DESC", NULL);

    cp_catalog_model_set_sort (model, CP_CATALOG_SORT_PRICE, TRUE);
    for (int i = 0; i < 500; i++)
      {
        guint position = (guint) g_rand_int_range (rand, 0, N_VARIANTS);
        g_autoptr(CpVariantItem) item = g_list_model_get_item (G_LIST_MODEL (model), position);

        g_assert_cmpint (cp_variant_item_get_id (item), ==,
                         g_array_index (by_price, gint64, position));
        g_assert_cmpuint (cp_catalog_model_get_cached_pages (model), <=, MAX_PAGES);
      }
    g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), N_VARIANTS));
    cp_catalog_model_set_sort (model, CP_CATALOG_SORT_SKU, FALSE);
  }

  /* The middle of a page that is cached costs no read. */
  {
    g_autoptr(GObject) a = g_list_model_get_item (G_LIST_MODEL (model), 500);
    g_autoptr(GObject) b = NULL;

    pages_read = cp_catalog_model_get_pages_read (model);
    b = g_list_model_get_item (G_LIST_MODEL (model), 501);
    g_assert_cmpuint (cp_catalog_model_get_pages_read (model), ==, pages_read);
  }
}

static void
test_orders_model (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CpOrderModel) model = cp_order_model_new (fixture->ledger);
  g_autoptr(GArray) expected = query_ids (fixture->ledger,
                                          "SELECT id FROM orders ORDER BY placed_at DESC, id DESC",
                                          NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(GError) error = NULL;
  Changes changes = { 0 };

  g_assert_true (g_type_is_a (g_list_model_get_item_type (G_LIST_MODEL (model)),
                              CP_TYPE_ORDER_ITEM));
  g_assert_cmpuint (expected->len, ==, N_ORDERS);
  assert_model_ids (G_LIST_MODEL (model), expected, order_item_id);
  g_assert_cmpuint (cp_order_model_get_cached_pages (model), <=, MAX_PAGES);
  /* 5,000 orders in pages of 128: at least 40 reads for one pass. */
  g_assert_cmpuint (cp_order_model_get_pages_read (model), >=, (N_ORDERS + 127) / 128);

  /* Backwards too. */
  for (guint i = expected->len; i-- > 0;)
    {
      g_autoptr(CpOrderItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);
      g_assert_cmpint (cp_order_item_get_id (item), ==, g_array_index (expected, gint64, i));
    }
  g_assert_cmpuint (cp_order_model_get_cached_pages (model), <=, MAX_PAGES);

  /* Random access, and an item that says what the ledger says. */
  for (int i = 0; i < 200; i++)
    {
      guint position = (guint) g_rand_int_range (rand, 0, N_ORDERS);
      g_autoptr(CpOrderItem) item = g_list_model_get_item (G_LIST_MODEL (model), position);
      g_autoptr(CpOrder) order = NULL;

      g_assert_cmpint (cp_order_item_get_id (item), ==, g_array_index (expected, gint64, position));
      if (i % 20 != 0)
        continue;

      order = cp_orders_get (fixture->ledger, cp_order_item_get_id (item), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (cp_order_item_get_number (item), ==, order->number);
      g_assert_cmpstr (cp_order_item_get_source (item), ==, order->source);
      g_assert_cmpstr (cp_order_item_get_status (item), ==, order->status);
      g_assert_cmpstr (cp_order_item_get_customer_name (item), ==, order->customer_name);
      g_assert_cmpint (cp_order_item_get_placed_at_us (item), ==, order->placed_at_us);
      g_assert_cmpint (cp_order_item_get_total_minor (item), ==, order->total_minor);
      g_assert_cmpint (cp_order_item_get_total_minor (item), >, 0);
      g_assert_cmpint (cp_order_item_get_refunded_minor (item), ==, order->refunded_minor);
      g_assert_cmpstr (cp_order_item_get_currency (item), ==, "USD");
      g_assert_cmpuint (cp_order_item_get_n_lines (item), ==, order->lines->len);
    }

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);

  /* Each filter against cp_orders_list() and a plain count. */
  {
    static const CpOrderFilter filters[] = {
      { .source = "shopify" },
      { .status = "refunded" },
      { .source = "pos", .status = "completed" },
      { .since_us = G_GINT64_CONSTANT (1767225600000000) + 500 * G_USEC_PER_SEC,
        .until_us = G_GINT64_CONSTANT (1767225600000000) + 700 * G_USEC_PER_SEC },
      { .search = "customer 1" },
      { .search = "n0001" },
      { .search = "SKU-79" , .source = "woocommerce" },
      { .search = "(\"*" },
    };
    guint old_n = N_ORDERS;

    for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
      {
        g_autoptr(GPtrArray) listed = cp_orders_list (fixture->ledger, &filters[f], &error);
        guint n;

        g_assert_no_error (error);
        cp_order_model_set_filter (model, &filters[f]);
        n = g_list_model_get_n_items (G_LIST_MODEL (model));
        g_test_message ("filter %u: %u orders", f, n);
        assert_changed_once (&changes, old_n, listed->len);
        g_assert_cmpuint (n, ==, listed->len);
        /* All but the last (punctuation only) find something. */
        if (f + 1 < G_N_ELEMENTS (filters))
          g_assert_cmpuint (n, >, 0);
        for (guint i = 0; i < n; i++)
          {
            g_autoptr(CpOrderItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);
            g_assert_cmpint (cp_order_item_get_id (item), ==,
                             ((CpOrder *) g_ptr_array_index (listed, i))->id);
          }
        g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), n));
        old_n = n;
      }

    g_assert_cmpuint (old_n, ==, 0);
  }

  {
    CpOrderFilter count_check = { .source = "shopify" };

    cp_order_model_set_filter (model, &count_check);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                      count_ids (fixture->ledger, "SELECT id FROM orders WHERE source = 'shopify'"));
  }

  /* No filter, then a new order and a reload. */
  cp_order_model_set_filter (model, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_ORDERS);
  {
    g_autoptr(CpOrder) order = cp_order_new ();
    g_autoptr(CpOrderItem) first = NULL;
    gint64 id = 0;

    order->source = g_strdup ("pos");
    order->external_id = g_strdup ("LATE");
    order->placed_at_us = G_GINT64_CONSTANT (1767225600000000) + G_GINT64_CONSTANT (10000) * G_USEC_PER_SEC;
    g_strlcpy (order->currency, "USD", sizeof order->currency);
    cp_order_add_line (order, "SKU-0000", "Thing", 1, 100, 0, 0);
    g_assert_true (cp_orders_record (fixture->ledger, order, FALSE, &id, NULL, &error));
    g_assert_no_error (error);

    changes = (Changes) { 0 };
    cp_order_model_reload (model);
    assert_changed_once (&changes, N_ORDERS, N_ORDERS + 1);
    first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_assert_cmpint (cp_order_item_get_id (first), ==, id);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/models/catalog/order", Fixture, NULL, fixture_setup, test_catalog_order,
              fixture_teardown);
  g_test_add ("/models/catalog/items", Fixture, NULL, fixture_setup, test_catalog_items,
              fixture_teardown);
  g_test_add ("/models/catalog/filters", Fixture, NULL, fixture_setup, test_catalog_filters,
              fixture_teardown);
  g_test_add ("/models/catalog/random-access", Fixture, NULL, fixture_setup,
              test_catalog_random_access, fixture_teardown);
  g_test_add ("/models/orders", Fixture, NULL, fixture_setup, test_orders_model,
              fixture_teardown);

  return g_test_run ();
}
