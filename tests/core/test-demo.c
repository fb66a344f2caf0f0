/* test-demo.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo shop, in a real ledger file: what it holds, that it is the
 * same for the same seed, and that it never lands in a real catalog.
 */

#define G_LOG_DOMAIN "test-demo"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cp-catalog.h"
#include "cp-demo.h"
#include "cp-orders.h"
#include "cp-stock.h"

/* Sanitizer builds run many times slower: smaller data, no timings.
 * build-aux/run-tests.sh says so with CP_SANITIZED=1. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SLOW_BUILD TRUE
#else
#define SLOW_BUILD (g_getenv ("CP_SANITIZED") != NULL)
#endif

/* Friday 20 November 2026, 18:00 UTC. */
#define END_US (G_GINT64_CONSTANT (1795197600) * G_USEC_PER_SEC)

typedef struct
{
  char     *dir;
  CpLedger *ledger;
} Fixture;

static CpLedger *
open_ledger (const char *dir,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  CpLedger *ledger = cp_ledger_open (path, &error);

  g_assert_no_error (error);
  return ledger;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("test-demo-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->ledger = open_ledger (fixture->dir, "ledger.sqlite3");
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
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
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

/* Every row of SQL joined into one string, for comparing ledgers. */
static char *
query_text (CpLedger   *ledger,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  GString *text = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (cp_ledger_get_db (ledger), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        g_string_append_printf (text, "%s|", (const char *) sqlite3_column_text (stmt, i));
      g_string_append_c (text, '\n');
    }
  sqlite3_finalize (stmt);
  return g_string_free (text, FALSE);
}

static gboolean
ean13_valid (const char *code)
{
  guint sum = 0;

  if (code == NULL || strlen (code) != 13)
    return FALSE;
  for (guint i = 0; i < 13; i++)
    if (!g_ascii_isdigit (code[i]))
      return FALSE;
  for (guint i = 0; i < 12; i++)
    sum += (code[i] - '0') * (i % 2 == 0 ? 1 : 3);

  return (guint) (code[12] - '0') == (10 - sum % 10) % 10;
}

typedef struct
{
  guint       n_variants;
  guint       per_module[CP_N_MODULES];
  GHashTable *barcodes;
  GHashTable *variants_per_product;
} CatalogCheck;

static gboolean
check_variant (const CpVariant *variant,
               gpointer         user_data)
{
  CatalogCheck *check = user_data;
  g_autoptr(JsonNode) attributes = json_from_string (variant->attributes_json, NULL);
  JsonObject *object = json_node_get_object (attributes);
  guint n;

  check->n_variants++;
  check->per_module[variant->module]++;

  g_assert_cmpstr (variant->currency, ==, "USD");
  g_assert_cmpint (variant->price_minor, >, 0);
  g_assert_cmpint (variant->cost_minor, >=, 0);
  g_assert_cmpint (variant->cost_minor, <, variant->price_minor);

  if (variant->module != CP_MODULE_RENTAL)
    {
      g_assert_true (ean13_valid (variant->barcode));
      g_assert_false (g_hash_table_contains (check->barcodes, variant->barcode));
      g_hash_table_add (check->barcodes, g_strdup (variant->barcode));
    }

  /* Each module's own fields are filled in. */
  switch (variant->module)
    {
    case CP_MODULE_MOTORCYCLE:
      g_assert_true (json_object_has_member (object, "brand"));
      g_assert_true (json_object_has_member (object, "model"));
      g_assert_cmpint (atoi (json_object_get_string_member (object, "year")), >=, 2019);
      break;
    case CP_MODULE_SPARES:
      g_assert_true (json_object_has_member (object, "part_number"));
      g_assert_true (json_object_has_member (object, "compatibility"));
      break;
    case CP_MODULE_WOOD:
      g_assert_true (json_object_has_member (object, "dimensions"));
      g_assert_true (json_object_has_member (object, "type"));
      break;
    case CP_MODULE_RENTAL:
      g_assert_true (json_object_has_member (object, "rental_duration"));
      g_assert_true (json_object_has_member (object, "deposit"));
      break;
    case CP_MODULE_MANUFACTURING:
      g_assert_true (json_object_has_member (object, "material_type"));
      if (g_str_equal (json_object_get_string_member (object, "material_type"), "kit"))
        g_assert_true (json_object_has_member (object, "bom"));
      break;
    case CP_MODULE_GENERAL:
    case CP_N_MODULES:
    default:
      break;
    }

  n = GPOINTER_TO_UINT (g_hash_table_lookup (check->variants_per_product, variant->product_handle));
  g_hash_table_insert (check->variants_per_product, g_strdup (variant->product_handle),
                       GUINT_TO_POINTER (n + 1));
  return TRUE;
}

static void
test_populate (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *demo_flag = NULL;
  g_autofree char *shop = NULL;
  g_autoptr(CpLocation) main_location = NULL;
  g_autoptr(CpLocation) warehouse = NULL;
  CatalogCheck check = { 0, };
  CpDemoOptions options;
  GHashTableIter iter;
  gpointer value;
  guint multi = 0, max_variants = 0;
  gint64 start, elapsed, n_orders, n_lines_sold, saturday, weekday;

  cp_demo_options_init (&options);
  g_assert_cmpuint (options.n_products, ==, 300);
  g_assert_cmpuint (options.days, ==, 90);
  options.seed = 7;
  options.end_us = END_US;

  start = g_get_monotonic_time ();
  g_assert_true (cp_demo_populate (fixture->ledger, &options, &error));
  g_assert_no_error (error);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("demo populate: %.2f s, %" G_GINT64_FORMAT " orders",
                  elapsed / 1e6, cp_orders_count (fixture->ledger));

  demo_flag = cp_ledger_get_setting (fixture->ledger, "demo");
  g_assert_cmpstr (demo_flag, ==, "1");
  shop = cp_ledger_get_setting (fixture->ledger, "shop_name");
  g_assert_cmpstr (shop, ==, "Corner Cycle & Timber");
  g_assert_cmpstr (cp_ledger_get_currency (fixture->ledger), ==, "USD");
  main_location = cp_locations_get (fixture->ledger, "MAIN", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (main_location->name, ==, "Main Street shop");
  warehouse = cp_locations_get (fixture->ledger, "WH", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (warehouse->name, ==, "Warehouse");

  /* The catalog. */
  g_assert_cmpint (cp_catalog_count_products (fixture->ledger), ==, 300);
  check.barcodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  check.variants_per_product = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_assert_true (cp_catalog_foreach (fixture->ledger, check_variant, &check, &error));
  g_assert_no_error (error);
  for (guint m = 0; m < CP_N_MODULES; m++)
    g_assert_cmpuint (check.per_module[m], >=, 10);
  g_hash_table_iter_init (&iter, check.variants_per_product);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      guint n = GPOINTER_TO_UINT (value);

      multi += n >= 2 ? 1 : 0;
      max_variants = MAX (max_variants, n);
    }
  g_test_message ("%u variants; %u of 300 products have 2–%u variants",
                  check.n_variants, multi, max_variants);
  g_assert_cmpuint (multi, >=, 90);
  g_assert_cmpuint (max_variants, <=, 6);
  g_hash_table_unref (check.barcodes);
  g_hash_table_unref (check.variants_per_product);

  /* 90 days of sales, 20–60 a day, Saturdays busier. */
  n_orders = cp_orders_count (fixture->ledger);
  g_assert_cmpint (n_orders, >=, 90 * 20);
  g_assert_cmpint (n_orders, <=, 90 * 60);
  g_assert_cmpint (query_int (fixture->ledger,
                              "SELECT max (n) FROM (SELECT count (*) AS n FROM orders "
                              "GROUP BY placed_at / 86400000000)"), <=, 60);
  g_assert_cmpint (query_int (fixture->ledger,
                              "SELECT min (n) FROM (SELECT count (*) AS n FROM orders "
                              "GROUP BY placed_at / 86400000000)"), >=, 15);
  g_assert_cmpint (query_int (fixture->ledger,
                              "SELECT count (DISTINCT placed_at / 86400000000) FROM orders"), ==, 90);
  g_assert_cmpint (query_int (fixture->ledger, "SELECT max (placed_at) FROM orders"), <=, END_US);
  saturday = query_int (fixture->ledger,
                        "SELECT count (*) / count (DISTINCT placed_at / 86400000000) FROM orders "
                        "WHERE strftime ('%w', placed_at / 1000000, 'unixepoch') = '6'");
  weekday = query_int (fixture->ledger,
                       "SELECT count (*) / count (DISTINCT placed_at / 86400000000) FROM orders "
                       "WHERE strftime ('%w', placed_at / 1000000, 'unixepoch') BETWEEN '1' AND '5'");
  g_test_message ("orders per Saturday %" G_GINT64_FORMAT ", per weekday %" G_GINT64_FORMAT,
                  saturday, weekday);
  g_assert_cmpint (saturday, >, weekday);

  /* Split tender, refunds, payments that add up. */
  g_assert_cmpint (query_int (fixture->ledger,
                              "SELECT count (*) FROM (SELECT order_id FROM payments "
                              "GROUP BY order_id HAVING count (*) > 1)"), >, 5);
  g_assert_cmpint (query_int (fixture->ledger, "SELECT count (DISTINCT order_id) FROM refunds"), >, 5);
  g_assert_cmpint (query_int (fixture->ledger, "SELECT count (DISTINCT order_id) FROM refunds"),
                   <, n_orders / 20);
  g_assert_cmpint (query_int (fixture->ledger,
                              "SELECT count (*) FROM orders o WHERE total_minor <> "
                              "(SELECT sum (amount_minor) FROM payments p WHERE p.order_id = o.id)"),
                   ==, 0);
  g_assert_cmpint (query_int (fixture->ledger,
                              "SELECT count (*) FROM orders WHERE status = 'refunded'"), >, 0);

  /* Every line sold moved stock; opening stock arrived as received. */
  n_lines_sold = query_int (fixture->ledger, "SELECT sum (quantity) FROM order_lines");
  g_assert_cmpint (query_int (fixture->ledger,
                              "SELECT -sum (delta) FROM stock_movements WHERE reason = 'sold'"),
                   ==, n_lines_sold);
  g_assert_cmpint (query_int (fixture->ledger,
                              "SELECT count (*) FROM stock_movements WHERE reason = 'received' "
                              "AND delta > 0"), >, 500);

  /* A few below safety stock, one or two oversold, the rest in stock. */
  g_assert_cmpint (query_int (fixture->ledger,
                              "SELECT count (*) FROM stock_levels WHERE on_hand < 0"), >=, 1);
  g_assert_cmpint (query_int (fixture->ledger,
                              "SELECT count (*) FROM stock_levels WHERE on_hand < 0"), <=, 2);
  g_assert_cmpint (query_int (fixture->ledger,
                              "SELECT count (*) FROM stock_levels "
                              "WHERE on_hand >= 0 AND on_hand < safety_stock"), >=, 3);
  g_assert_cmpint (query_int (fixture->ledger,
                              "SELECT count (*) FROM stock_levels WHERE safety_stock > 0 "
                              "AND on_hand >= safety_stock"), >=, 5);
}

static char *
fingerprint (CpLedger *ledger)
{
  g_autofree char *catalog = query_text (ledger,
                                         "SELECT sku, barcode, price_minor, cost_minor, attributes "
                                         "FROM variants ORDER BY sku");
  g_autofree char *orders = query_text (ledger,
                                        "SELECT external_id, number, placed_at, total_minor, "
                                        "refunded_minor, customer_name FROM orders ORDER BY external_id");
  g_autofree char *stock = query_text (ledger,
                                       "SELECT v.sku, s.location_id, s.on_hand, s.safety_stock "
                                       "FROM stock_levels s JOIN variants v ON v.id = s.variant_id "
                                       "ORDER BY v.sku, s.location_id");

  return g_strconcat (catalog, orders, stock, NULL);
}

static void
test_deterministic (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CpLedger) twin = open_ledger (fixture->dir, "twin.sqlite3");
  g_autoptr(CpLedger) other = open_ledger (fixture->dir, "other.sqlite3");
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  CpDemoOptions options;

  cp_demo_options_init (&options);
  options.n_products = 80;
  options.days = 10;
  options.seed = 99;
  options.end_us = END_US;

  g_assert_true (cp_demo_populate (fixture->ledger, &options, &error));
  g_assert_true (cp_demo_populate (twin, &options, &error));
  options.seed = 100;
  g_assert_true (cp_demo_populate (other, &options, &error));
  g_assert_no_error (error);

  a = fingerprint (fixture->ledger);
  b = fingerprint (twin);
  c = fingerprint (other);
  g_assert_cmpuint (strlen (a), >, 1000);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_cmpint (cp_catalog_count_products (fixture->ledger), ==, 80);
}

static void
test_refuses_real_catalog (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) variant = cp_variant_new ();
  g_autofree char *flag = NULL;
  CpDemoOptions options;

  variant->sku = g_strdup ("REAL-1");
  variant->product_name = g_strdup ("A real product");
  variant->price_minor = 1000;
  g_assert_true (cp_catalog_upsert_variant (fixture->ledger, variant, NULL, NULL, &error));
  g_assert_no_error (error);

  cp_demo_options_init (&options);
  g_assert_false (cp_demo_populate (fixture->ledger, &options, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_assert_cmpint (cp_catalog_count_variants (fixture->ledger), ==, 1);
  g_assert_cmpint (cp_orders_count (fixture->ledger), ==, 0);
  flag = cp_ledger_get_setting (fixture->ledger, "demo");
  g_assert_null (flag);
}

static void
test_small_and_existing_main (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLocation) main_location = NULL;
  CpDemoOptions options;

  /* `init` made MAIN already: the demo uses it as it is. */
  g_assert_true (cp_locations_add (fixture->ledger, "MAIN", "Main", "USD", NULL, &error));
  g_assert_no_error (error);

  cp_demo_options_init (&options);
  options.n_products = 60;
  options.days = 7;
  options.seed = 42;
  g_assert_true (cp_demo_populate (fixture->ledger, &options, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cp_catalog_count_products (fixture->ledger), ==, 60);
  main_location = cp_locations_get (fixture->ledger, "MAIN", &error);
  g_assert_cmpstr (main_location->name, ==, "Main");
  g_assert_cmpint (query_int (fixture->ledger,
                              "SELECT count (DISTINCT placed_at / 86400000000) FROM orders"), <=, 7);
  g_assert_cmpint (cp_orders_count (fixture->ledger), >, 7 * 15);
}

static void
test_add_orders (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CpDemoOptions options;
  gint64 before, start, elapsed, stock_before;
  guint64 n_bulk = SLOW_BUILD ? 2000 : 12000;

  g_assert_false (cp_demo_add_orders (fixture->ledger, 10, 1, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  cp_demo_options_init (&options);
  options.n_products = 60;
  options.days = 3;
  g_assert_true (cp_demo_populate (fixture->ledger, &options, &error));
  g_assert_no_error (error);
  before = cp_orders_count (fixture->ledger);
  stock_before = query_int (fixture->ledger, "SELECT sum (on_hand) FROM stock_levels");

  start = g_get_monotonic_time ();
  g_assert_true (cp_demo_add_orders (fixture->ledger, n_bulk, 5, &error));
  g_assert_no_error (error);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("%" G_GUINT64_FORMAT " bulk orders: %.2f s", n_bulk, elapsed / 1e6);
  g_assert_cmpint (cp_orders_count (fixture->ledger), ==, before + (gint64) n_bulk);

  /* The same seed again adds more rather than finding the first batch. */
  g_assert_true (cp_demo_add_orders (fixture->ledger, 100, 5, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cp_orders_count (fixture->ledger), ==, before + (gint64) n_bulk + 100);
  g_assert_cmpint (query_int (fixture->ledger, "SELECT sum (on_hand) FROM stock_levels"),
                   ==, stock_before);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/core/demo/populate", test_populate);
  ADD ("/core/demo/deterministic", test_deterministic);
  ADD ("/core/demo/refuses-real-catalog", test_refuses_real_catalog);
  ADD ("/core/demo/small", test_small_and_existing_main);
  ADD ("/core/demo/add-orders", test_add_orders);

#undef ADD

  return g_test_run ();
}
