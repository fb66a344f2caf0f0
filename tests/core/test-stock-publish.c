/* test-stock-publish.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stock rules every store connector shares: what is published per
 * remote location, the per-product opt-out and "master".
 */

#define G_LOG_DOMAIN "test-stock-publish"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cp-catalog.h"
#include "cp-connector.h"
#include "cp-engine-private.h"
#include "cp-integrations.h"
#include "cp-sql.h"
#include "cp-stock.h"
#include "cp-stock-publish.h"

typedef struct
{
  char     *dir;
  CpLedger *ledger;
  char     *integration;
  gint64    tee_id;      /* TEE-M, product "Tee" */
  gint64    tee_l_id;    /* TEE-L, same product */
  gint64    cap_id;      /* CAP-1, product "Cap" */
} Fixture;

static gint64
add_variant (CpLedger   *ledger,
             const char *product,
             const char *sku)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) variant = cp_variant_new ();
  gint64 id = 0;

  variant->product_name = g_strdup (product);
  variant->product_handle = g_ascii_strdown (product, -1);
  variant->sku = g_strdup (sku);
  variant->price_minor = 500;
  g_assert_true (cp_catalog_upsert_variant (ledger, variant, &id, NULL, &error));
  g_assert_no_error (error);
  return id;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *permissions[] = { CP_PERMISSION_INVENTORY_SYNC, NULL };

  f->dir = g_dir_make_tmp ("test-stock-publish-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "ledger.sqlite3", NULL);
  f->ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);

  g_assert_true (cp_locations_add (f->ledger, "MAIN", "Main shop", NULL, NULL, &error));
  g_assert_no_error (error);
  f->tee_id = add_variant (f->ledger, "Tee", "TEE-M");
  f->tee_l_id = add_variant (f->ledger, "Tee", "TEE-L");
  f->cap_id = add_variant (f->ledger, "Cap", "CAP-1");
  f->integration = cp_integrations_add (f->ledger, "ecomv2", "Shop", "https://shop.example",
                                        permissions, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&f->ledger);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->dir, "/ledger.sqlite3", suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->integration);
}

static void
add_location (Fixture    *f,
              const char *code)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_locations_add (f->ledger, code, code, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
map_location (Fixture    *f,
              const char *code,
              const char *remote)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_integrations_set_mapping (f->ledger, f->integration, CP_MAPPING_KIND_LOCATION,
                                              code, remote, NULL, &error));
  g_assert_no_error (error);
}

static void
map_variant (Fixture *f,
             gint64   variant_id,
             const char *remote)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *local = g_strdup_printf ("%" G_GINT64_FORMAT, variant_id);

  g_assert_true (cp_integrations_set_mapping (f->ledger, f->integration, CP_MAPPING_KIND_VARIANT,
                                              local, remote, NULL, &error));
  g_assert_no_error (error);
}

static void
adjust (Fixture       *f,
        const char    *sku,
        const char    *location,
        gint64         delta)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_stock_adjust (f->ledger, sku, location, delta,
                                  delta < 0 ? CP_STOCK_REASON_CORRECTION : CP_STOCK_REASON_RECEIVED,
                                  NULL, NULL, "tester", NULL, &error));
  g_assert_no_error (error);
}

static gint64
location_id (Fixture    *f,
             const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLocation) location = cp_locations_get (f->ledger, code, &error);

  g_assert_no_error (error);
  return location->id;
}

static GPtrArray *
compute (Fixture      *f,
         const gint64 *ids,
         guint         n_ids)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *out = cp_stock_publish_compute (f->ledger, f->integration, ids, n_ids, &error);

  g_assert_no_error (error);
  g_assert_nonnull (out);
  return out;
}

static GPtrArray *
compute_mapped (Fixture      *f,
                const gint64 *ids,
                guint         n_ids)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *out = cp_stock_publish_compute_mapped (f->ledger, f->integration,
                                                    CP_MAPPING_KIND_VARIANT, ids, n_ids, &error);

  g_assert_no_error (error);
  g_assert_nonnull (out);
  return out;
}

static void
assert_remote (GPtrArray  *rows,
               guint       index,
               const char *remote_id)
{
  g_assert_cmpstr (((CpStockPublished *) g_ptr_array_index (rows, index))->remote_id, ==, remote_id);
}

static void
assert_row (GPtrArray  *rows,
            guint       index,
            gint64      variant_id,
            const char *sku,
            const char *location,
            gint64      quantity)
{
  CpStockPublished *row;

  g_assert_cmpuint (index, <, rows->len);
  row = g_ptr_array_index (rows, index);
  g_assert_cmpint (row->variant_id, ==, variant_id);
  g_assert_cmpstr (row->sku, ==, sku);
  g_assert_cmpstr (row->location, ==, location);
  g_assert_cmpint (row->quantity, ==, quantity);
}

static guint
count_stock_jobs (Fixture *f)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM outbox_jobs WHERE integration_id = "
                                          "'%s' AND kind = 'stock.push' AND state = 'pending'",
                                          f->integration);

  return (guint) cp_sql_query_int (f->ledger, sql, -1);
}

/* One location on each side: no mapping needed, the default location. */
static void
test_single_location (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) locations = NULL;
  gint64 ids[] = { f->cap_id, f->tee_id, f->cap_id, 999999 };

  adjust (f, "TEE-M", "MAIN", 10);
  g_assert_true (cp_stock_set_safety (f->ledger, "TEE-M", "MAIN", 1, &error));
  g_assert_no_error (error);
  g_assert_true (cp_stock_reserve_ids (f->ledger, f->tee_id, location_id (f, "MAIN"), 2, &error));
  g_assert_no_error (error);

  locations = cp_stock_publish_locations (f->ledger, f->integration, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (locations->len, ==, 1);
  g_assert_null (g_ptr_array_index (locations, 0));

  /* In the order given, repeats once, an unknown id left out; a variant
   * without any stock row publishes 0. */
  rows = compute (f, ids, G_N_ELEMENTS (ids));
  g_assert_cmpuint (rows->len, ==, 2);
  assert_row (rows, 0, f->cap_id, "CAP-1", NULL, 0);
  assert_row (rows, 1, f->tee_id, "TEE-M", NULL, 10 - 2 - 1);
}

/* Several ledger locations may feed one remote location; each is
 * floored at zero before they add up; unmapped ones are not published. */
static void
test_location_sum (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) locations = NULL;
  gint64 ids[] = { f->tee_id, f->tee_l_id };

  add_location (f, "BACK");
  add_location (f, "TOWN");
  add_location (f, "REPAIR");
  map_location (f, "MAIN", "wh_a");
  map_location (f, "BACK", "wh_a");
  map_location (f, "TOWN", "wh_b");

  adjust (f, "TEE-M", "MAIN", 6);
  adjust (f, "TEE-M", "BACK", 3);
  adjust (f, "TEE-M", "TOWN", 4);
  adjust (f, "TEE-M", "REPAIR", 50);   /* not linked: never published */
  g_assert_true (cp_stock_set_safety (f->ledger, "TEE-M", "TOWN", 9, &error));
  g_assert_no_error (error);
  /* TEE-L oversold at MAIN: that must not eat BACK's units. */
  adjust (f, "TEE-L", "BACK", 5);
  adjust (f, "TEE-L", "MAIN", -3);

  locations = cp_stock_publish_locations (f->ledger, f->integration, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (locations->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (locations, 0), ==, "wh_a");
  g_assert_cmpstr (g_ptr_array_index (locations, 1), ==, "wh_b");

  rows = compute (f, ids, G_N_ELEMENTS (ids));
  g_assert_cmpuint (rows->len, ==, 4);
  assert_row (rows, 0, f->tee_id, "TEE-M", "wh_a", 6 + 3);
  assert_row (rows, 1, f->tee_id, "TEE-M", "wh_b", 0);    /* 4 − 9 safety: never below zero */
  assert_row (rows, 2, f->tee_l_id, "TEE-L", "wh_a", 5);
  assert_row (rows, 3, f->tee_l_id, "TEE-L", "wh_b", 0);
}

/* What test_compute_mapped() publishes for the three variants. */
static void
assert_mapped_three (Fixture   *f,
                     GPtrArray *rows)
{
  g_assert_cmpuint (rows->len, ==, 3);
  assert_row (rows, 0, f->tee_id, "TEE-M", "wh_a", 6 + 3);
  assert_remote (rows, 0, "p1");
  assert_row (rows, 1, f->tee_l_id, "TEE-L", "wh_a", 5);
  assert_remote (rows, 1, NULL);
  assert_row (rows, 2, f->cap_id, "CAP-1", "wh_a", 2);
  assert_remote (rows, 2, "p3");
}

/* With the variant mappings read in the same statement: each row names
 * its remote id (NULL when unmapped), a repeated id still counts its
 * stock once, and an opted-out product stays out while others are in. */
static void
test_compute_mapped (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) plain = NULL;
  g_autoptr(CpVariant) cap = cp_catalog_get_by_id (f->ledger, f->cap_id, &error);
  gint64 ids[] = { f->tee_id, f->tee_l_id, f->tee_id, f->cap_id, 999999 };

  g_assert_no_error (error);
  add_location (f, "BACK");
  map_location (f, "MAIN", "wh_a");
  map_location (f, "BACK", "wh_a");
  adjust (f, "TEE-M", "MAIN", 6);
  adjust (f, "TEE-M", "BACK", 3);
  adjust (f, "TEE-L", "BACK", 5);
  adjust (f, "CAP-1", "MAIN", 2);
  map_variant (f, f->tee_id, "p1");
  map_variant (f, f->cap_id, "p3");

  rows = compute_mapped (f, ids, G_N_ELEMENTS (ids));
  assert_mapped_three (f, rows);

  /* The strings share the element's allocation; one replaced by hand is
   * freed with it, the element's own are not freed apart (the sanitized
   * build of this test checks both). */
  {
    CpStockPublished *first = g_ptr_array_index (rows, 0);
    CpStockPublished *second = g_ptr_array_index (rows, 1);

    first->location = g_strdup ("wh_z");
    g_free (second->remote_id);
    second->remote_id = g_strdup ("p2");
    g_assert_cmpstr (first->sku, ==, "TEE-M");
    g_assert_cmpstr (first->remote_id, ==, "p1");
  }

  /* The plain call names no remote id. */
  plain = compute (f, ids, G_N_ELEMENTS (ids));
  g_assert_cmpuint (plain->len, ==, 3);
  g_assert_null (((CpStockPublished *) g_ptr_array_index (plain, 0))->remote_id);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Consecutive ids are read by their ends (one run), with the same
   * answer; a run past the last variant names nothing more. */
  g_assert_cmpint (f->tee_l_id, ==, f->tee_id + 1);
  g_assert_cmpint (f->cap_id, ==, f->tee_id + 2);
  {
    gint64 run[] = { f->tee_id, f->tee_id + 1, f->tee_id + 2, f->tee_id + 3, f->tee_id + 4 };

    rows = compute_mapped (f, run, G_N_ELEMENTS (run));
    assert_mapped_three (f, rows);
    g_clear_pointer (&rows, g_ptr_array_unref);

    /* The plain call reads a run too. */
    rows = compute (f, run + 1, 2);
    g_assert_cmpuint (rows->len, ==, 2);
    assert_row (rows, 0, f->tee_l_id, "TEE-L", "wh_a", 5);
    assert_row (rows, 1, f->cap_id, "CAP-1", "wh_a", 2);
    assert_remote (rows, 1, NULL);
    g_clear_pointer (&rows, g_ptr_array_unref);
  }

  g_assert_true (cp_stock_publish_set_excluded (f->ledger, f->integration, cap->product_id,
                                                TRUE, &error));
  g_assert_no_error (error);
  rows = compute_mapped (f, ids, G_N_ELEMENTS (ids));
  g_assert_cmpuint (rows->len, ==, 2);
  assert_row (rows, 0, f->tee_id, "TEE-M", "wh_a", 6 + 3);
  assert_row (rows, 1, f->tee_l_id, "TEE-L", "wh_a", 5);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* And as a run: the opted-out product stays out. */
  {
    gint64 run[] = { f->tee_id, f->tee_l_id, f->cap_id };

    rows = compute_mapped (f, run, G_N_ELEMENTS (run));
    g_assert_cmpuint (rows->len, ==, 2);
    assert_row (rows, 0, f->tee_id, "TEE-M", "wh_a", 6 + 3);
    assert_row (rows, 1, f->tee_l_id, "TEE-L", "wh_a", 5);
  }
}

static void
test_unmapped_locations (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) locations = NULL;
  gint64 ids[] = { f->tee_id };

  add_location (f, "BACK");
  locations = cp_stock_publish_locations (f->ledger, f->integration, &error);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_CONFIG);
  g_assert_null (locations);
  g_assert_nonnull (strstr (error->message, "--location"));
  g_clear_error (&error);

  rows = cp_stock_publish_compute (f->ledger, f->integration, ids, 1, &error);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_CONFIG);
  g_assert_null (rows);
  g_clear_error (&error);

  rows = cp_stock_publish_compute (f->ledger, "ecomv2-404", ids, 1, &error);
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_NOT_FOUND);
  g_assert_null (rows);
}

static void
test_excluded (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) skus = NULL;
  g_autoptr(GArray) mapped = NULL;
  g_autoptr(CpVariant) tee = cp_catalog_get_by_id (f->ledger, f->tee_id, &error);
  gint64 ids[] = { f->tee_id, f->cap_id, f->tee_l_id };
  gboolean excluded = TRUE;

  g_assert_no_error (error);
  adjust (f, "TEE-M", "MAIN", 4);
  adjust (f, "CAP-1", "MAIN", 2);
  map_variant (f, f->tee_id, "p1");
  map_variant (f, f->tee_l_id, "p2");
  map_variant (f, f->cap_id, "p3");

  g_assert_true (cp_stock_publish_is_excluded (f->ledger, f->integration, tee->product_id,
                                               &excluded, &error));
  g_assert_no_error (error);
  g_assert_false (excluded);

  g_assert_true (cp_stock_publish_set_excluded (f->ledger, f->integration, tee->product_id,
                                                TRUE, &error));
  g_assert_no_error (error);
  /* Twice is the same. */
  g_assert_true (cp_stock_publish_set_excluded (f->ledger, f->integration, tee->product_id,
                                                TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (cp_stock_publish_is_excluded (f->ledger, f->integration, tee->product_id,
                                               &excluded, &error));
  g_assert_true (excluded);

  /* Both variants of the product are left out, the other one is not. */
  rows = compute (f, ids, G_N_ELEMENTS (ids));
  g_assert_cmpuint (rows->len, ==, 1);
  assert_row (rows, 0, f->cap_id, "CAP-1", NULL, 2);

  mapped = cp_stock_publish_list_mapped_variants (f->ledger, f->integration, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mapped->len, ==, 1);
  g_assert_cmpint (g_array_index (mapped, gint64, 0), ==, f->cap_id);

  skus = cp_stock_publish_list_excluded_skus (f->ledger, f->integration, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (skus->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (skus, 0), ==, "TEE-L");
  g_assert_cmpstr (g_ptr_array_index (skus, 1), ==, "TEE-M");
  g_clear_pointer (&skus, g_ptr_array_unref);

  /* Back on the store: a stock push of each of its variants is queued,
   * so the store learns what it missed. */
  g_assert_true (cp_sql_exec (f->ledger, "DELETE FROM outbox_jobs", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cp_stock_publish_set_excluded (f->ledger, f->integration, tee->product_id,
                                                FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_stock_jobs (f), ==, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = compute (f, ids, G_N_ELEMENTS (ids));
  g_assert_cmpuint (rows->len, ==, 3);
  skus = cp_stock_publish_list_excluded_skus (f->ledger, f->integration, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (skus->len, ==, 0);

  /* Opted-out products are per integration. */
  g_assert_false (cp_stock_publish_set_excluded (f->ledger, f->integration, 424242, TRUE, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cp_stock_publish_set_excluded (f->ledger, "ecomv2-404", tee->product_id, TRUE,
                                                 &error));
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_NOT_FOUND);
}

/* "master": {"stock": "store"}: the POS tells that store nothing. */
static void
test_store_master (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) mapped = NULL;
  gint64 ids[] = { f->tee_id };
  gboolean pos = FALSE;

  adjust (f, "TEE-M", "MAIN", 4);
  map_variant (f, f->tee_id, "p1");
  g_assert_true (cp_stock_publish_pos_is_master (f->ledger, f->integration, CP_MASTER_FIELD_STOCK,
                                                 &pos, &error));
  g_assert_no_error (error);
  g_assert_true (pos);

  g_assert_true (cp_integrations_set_settings (f->ledger, f->integration,
                                               "{\"master\":{\"stock\":\"store\",\"price\":\"pos\"}}",
                                               &error));
  g_assert_no_error (error);
  g_assert_true (cp_stock_publish_pos_is_master (f->ledger, f->integration, CP_MASTER_FIELD_STOCK,
                                                 &pos, &error));
  g_assert_false (pos);
  g_assert_true (cp_stock_publish_pos_is_master (f->ledger, f->integration, CP_MASTER_FIELD_PRICE,
                                                 &pos, &error));
  g_assert_true (pos);

  rows = compute (f, ids, 1);
  g_assert_cmpuint (rows->len, ==, 0);
  mapped = cp_stock_publish_list_mapped_variants (f->ledger, f->integration, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mapped->len, ==, 0);
}

static void
test_settings (void)
{
  g_assert_true (cp_stock_publish_settings_pos_is_master (NULL, "stock"));
  g_assert_true (cp_stock_publish_settings_pos_is_master ("{", "stock"));
  g_assert_true (cp_stock_publish_settings_pos_is_master ("[]", "stock"));
  g_assert_true (cp_stock_publish_settings_pos_is_master ("{\"master\":\"store\"}", "stock"));
  g_assert_true (cp_stock_publish_settings_pos_is_master ("{\"master\":{\"stock\":1}}", "stock"));
  g_assert_true (cp_stock_publish_settings_pos_is_master ("{\"master\":{\"price\":\"store\"}}", "stock"));
  g_assert_false (cp_stock_publish_settings_pos_is_master ("{\"master\":{\"price\":\"store\"}}", "price"));

  g_assert_cmpuint (cp_stock_publish_settings_pull_minutes ("{}"), ==, 5);
  g_assert_cmpuint (cp_stock_publish_settings_reconcile_hours (NULL), ==, 24);
  g_assert_cmpuint (cp_stock_publish_settings_reconcile_hours ("{\"schedule\":{\"reconcile_hours\":0}}"), ==, 24);
  g_assert_cmpuint (cp_stock_publish_settings_reconcile_hours ("{\"schedule\":{\"reconcile_hours\":\"6\"}}"), ==, 24);
  g_assert_cmpuint (cp_stock_publish_settings_reconcile_hours ("{\"schedule\":{\"reconcile_hours\":6}}"), ==, 6);
  g_assert_cmpuint (cp_stock_publish_settings_pull_minutes ("{\"schedule\":{\"pull_minutes\":15}}"), ==, 15);
}

/* The engine pulls on the schedule the wizard writes. */
static void
test_pull_schedule (void)
{
  CpIntegration integration = { 0 };

  integration.settings = (char *) "{}";
  g_assert_cmpint (cp_engine_pull_interval_us (&integration), ==, 5 * 60 * G_USEC_PER_SEC);
  integration.settings = (char *) "{\"schedule\":{\"pull_minutes\":15}}";
  g_assert_cmpint (cp_engine_pull_interval_us (&integration), ==, 15 * 60 * G_USEC_PER_SEC);
  integration.settings = (char *) "{\"schedule\":{\"pull_minutes\":15},\"pull_interval_s\":30}";
  g_assert_cmpint (cp_engine_pull_interval_us (&integration), ==, 30 * G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/stock-publish/single-location", test_single_location);
  ADD ("/stock-publish/location-sum", test_location_sum);
  ADD ("/stock-publish/compute-mapped", test_compute_mapped);
  ADD ("/stock-publish/unmapped-locations", test_unmapped_locations);
  ADD ("/stock-publish/excluded", test_excluded);
  ADD ("/stock-publish/store-master", test_store_master);
#undef ADD
  g_test_add_func ("/stock-publish/settings", test_settings);
  g_test_add_func ("/stock-publish/pull-schedule", test_pull_schedule);

  return g_test_run ();
}
