/* test-integrations.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Integrations in a real ledger file: several accounts per platform, ids
 * never reused, removal that keeps history, address and permission
 * rules, cursors, mappings, and the outbox triggers they feed.
 */

#define G_LOG_DOMAIN "test-integrations"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cp-catalog.h"
#include "cp-integrations.h"
#include "cp-orders.h"
#include "cp-sql.h"
#include "cp-stock.h"

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

  fixture->dir = g_dir_make_tmp ("test-integrations-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "ledger.sqlite3", NULL);
  fixture->ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);
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

static char *
add_ok (Fixture            *fixture,
        const char         *platform,
        const char         *name,
        const char * const *permissions)
{
  g_autoptr(GError) error = NULL;
  char *id = cp_integrations_add (fixture->ledger, platform, name,
                                  "https://api.ecommerce-platform.com/v2", permissions, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

static gint64
count (Fixture    *fixture,
       const char *sql)
{
  return cp_sql_query_int (fixture->ledger, sql, -1);
}

static void
test_multi_account (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(CpIntegration) got = NULL;
  g_autofree char *a = add_ok (fixture, "ecomv2", "Web shop", NULL);
  g_autofree char *b = add_ok (fixture, "ecomv2", "Outlet", NULL);
  g_autofree char *c = add_ok (fixture, "woocommerce", "Blog shop", NULL);
  g_autofree char *d = add_ok (fixture, "ecomv2", "  Trade  ", NULL);
  CpIntegration *first;

  g_assert_cmpstr (a, ==, "ecomv2-1");
  g_assert_cmpstr (b, ==, "ecomv2-2");
  g_assert_cmpstr (c, ==, "woocommerce-3");
  g_assert_cmpstr (d, ==, "ecomv2-4");

  list = cp_integrations_list (fixture->ledger, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 4);
  first = g_ptr_array_index (list, 0);
  g_assert_cmpstr (first->id, ==, "ecomv2-1");
  g_assert_cmpstr (first->name, ==, "Web shop");
  g_assert_cmpstr (first->platform, ==, "ecomv2");
  g_assert_cmpstr (first->state, ==, "active");
  g_assert_cmpstr (first->settings, ==, "{}");
  g_assert_null (first->attention);
  g_assert_cmpint (first->created_at, >, 0);
  g_assert_cmpint (first->last_success_at, ==, 0);
  /* the default permissions, sorted */
  g_assert_cmpuint (g_strv_length (first->permissions), ==, 2);
  g_assert_cmpstr (first->permissions[0], ==, CP_PERMISSION_INVENTORY_SYNC);
  g_assert_cmpstr (first->permissions[1], ==, CP_PERMISSION_ORDERS_PULL);
  g_assert_true (cp_integration_has_permission (first, CP_PERMISSION_ORDERS_PULL));
  g_assert_false (cp_integration_has_permission (first, CP_PERMISSION_ORDERS_PUSH));
  g_assert_cmpstr (((CpIntegration *) g_ptr_array_index (list, 3))->name, ==, "Trade");

  got = cp_integrations_get (fixture->ledger, "woocommerce-3", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->name, ==, "Blog shop");

  {
    g_autoptr(CpIntegration) copy = cp_integration_copy (got);

    g_assert_cmpstr (copy->id, ==, got->id);
    g_assert_true (copy->permissions != got->permissions);
    g_assert_true (g_strv_equal ((const char * const *) copy->permissions,
                                 (const char * const *) got->permissions));
  }

  g_assert_null (cp_integrations_get (fixture->ledger, "ecomv2-99", &error));
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_NOT_FOUND);
}

static void
test_invalid_input (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *bad_permissions[] = { "orders.pull", "everything", NULL };
  const char *bad_platforms[] = { "", "ECOM", "eco-m", "1shop", "a/b", NULL };
  g_autoptr(GError) error = NULL;
  char *id;

  id = cp_integrations_add (fixture->ledger, "ecomv2", "   ", "https://a.example", NULL, &error);
  g_assert_null (id);
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID);
  g_clear_error (&error);

  id = cp_integrations_add (fixture->ledger, "ecomv2", NULL, "https://a.example", NULL, &error);
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID);
  g_clear_error (&error);

  for (guint i = 0; bad_platforms[i] != NULL; i++)
    {
      id = cp_integrations_add (fixture->ledger, bad_platforms[i], "Shop", "https://a.example",
                                NULL, &error);
      g_assert_null (id);
      g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID);
      g_clear_error (&error);
    }

  id = cp_integrations_add (fixture->ledger, "ecomv2", "Shop", "https://a.example",
                            bad_permissions, &error);
  g_assert_null (id);
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID_PERMISSION);
  g_assert_nonnull (strstr (error->message, "everything"));
  g_clear_error (&error);

  id = cp_integrations_add (fixture->ledger, "ecomv2", "Shop", "http://example.com", NULL, &error);
  g_assert_null (id);
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID_URL);
  g_clear_error (&error);

  /* nothing of any refused add was written */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM integrations"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM integration_permissions"), ==, 0);
}

static void
test_url_rules (void)
{
  const char *good[] = {
    "https://api.ecommerce-platform.com/v2",
    "https://shop.example.com",
    "HTTPS://shop.example.com:8443/base/",
    "http://127.0.0.1:8080",
    "http://127.0.0.1:8080/ecomv2/v2",
    "http://127.45.6.7",
    "http://localhost:3000",
    "http://LOCALHOST",
    "http://[::1]:8080/x",
    NULL
  };
  const char *bad[] = {
    "",
    "http://example.com",
    "http://192.168.1.10:8080",
    "http://10.0.0.1",
    "http://[::2]:80",
    "http://127.0.0.1.example.com",
    "http://localhost.example.com",
    "http://2130706433",
    "http://0x7f.1",
    "ftp://127.0.0.1",
    "file:///etc/passwd",
    "shop.example.com",
    "https://",
    "https://user:pass@shop.example.com",
    "https://token@shop.example.com",
    "http://user@127.0.0.1",
    "https://shop.example.com/?key=1",
    "https://shop.example.com/#top",
    "https://shop.example.com/a b",
    "javascript:alert(1)",
    NULL
  };

  for (guint i = 0; good[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!cp_integrations_validate_base_url (good[i], &error))
        g_error ("“%s” was refused: %s", good[i], error->message);
    }

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (cp_integrations_validate_base_url (bad[i], &error))
        g_error ("“%s” was accepted", bad[i]);
      g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID_URL);
    }

  g_assert_false (cp_integrations_validate_base_url (NULL, NULL));
}

static void
test_url_stored (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr(CpIntegration) got = NULL;

  id = cp_integrations_add (fixture->ledger, "ecomv2", "Sandbox", "http://127.0.0.1:8080/ecomv2/v2/",
                            NULL, &error);
  g_assert_no_error (error);
  got = cp_integrations_get (fixture->ledger, id, &error);
  g_assert_no_error (error);
  /* one address, one spelling: connectors append paths to it */
  g_assert_cmpstr (got->base_url, ==, "http://127.0.0.1:8080/ecomv2/v2");
}

static void
test_permissions (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *all[] = { "products.sync", "orders.push", "orders.pull", "inventory.sync",
                        "orders.pull", NULL };
  const char *none[] = { NULL };
  const char *bad[] = { "inventory.sync", "Orders.Pull", NULL };
  const char *push_only[] = { "orders.push", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_ok (fixture, "ecomv2", "Shop", all);
  g_autoptr(CpIntegration) got = NULL;
  g_autoptr(CpIntegration) after = NULL;
  g_autoptr(CpIntegration) empty = NULL;

  g_assert_true (cp_integrations_validate_permissions (cp_integrations_default_permissions (), NULL));
  g_assert_true (cp_integrations_validate_permissions (NULL, NULL));

  got = cp_integrations_get (fixture->ledger, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (got->permissions), ==, 4);
  g_assert_cmpstr (got->permissions[0], ==, "inventory.sync");
  g_assert_cmpstr (got->permissions[1], ==, "orders.pull");
  g_assert_cmpstr (got->permissions[2], ==, "orders.push");
  g_assert_cmpstr (got->permissions[3], ==, "products.sync");

  /* a refused set leaves the old ones */
  g_assert_false (cp_integrations_set_permissions (fixture->ledger, id, bad, &error));
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM integration_permissions"), ==, 4);

  g_assert_true (cp_integrations_set_permissions (fixture->ledger, id, push_only, &error));
  g_assert_no_error (error);
  after = cp_integrations_get (fixture->ledger, id, &error);
  g_assert_cmpuint (g_strv_length (after->permissions), ==, 1);
  g_assert_cmpstr (after->permissions[0], ==, "orders.push");

  /* no permissions at all is allowed: reading the catalog needs none */
  g_assert_true (cp_integrations_set_permissions (fixture->ledger, id, none, &error));
  g_assert_no_error (error);
  empty = cp_integrations_get (fixture->ledger, id, &error);
  g_assert_nonnull (empty->permissions);
  g_assert_cmpuint (g_strv_length (empty->permissions), ==, 0);

  g_assert_false (cp_integrations_set_permissions (fixture->ledger, "ecomv2-77", push_only, &error));
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_NOT_FOUND);
}

static void
changed_cb (CpLedger   *ledger,
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
test_state_and_health (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_ok (fixture, "ecomv2", "Shop", NULL);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CpIntegration) paused = NULL;
  g_autoptr(CpIntegration) healthy = NULL;
  g_autoptr(CpIntegration) cleared = NULL;
  gulong handler;

  handler = g_signal_connect (fixture->ledger, "changed", G_CALLBACK (changed_cb), seen);

  g_assert_true (cp_integrations_set_paused (fixture->ledger, id, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (seen_table (seen, "integrations"));
  g_assert_true (cp_integrations_set_attention (fixture->ledger, id, CP_ATTENTION_CREDENTIALS,
                                                "Enter the API key again.", &error));
  g_assert_true (cp_integrations_record_success (fixture->ledger, id, 1000, &error));
  g_assert_true (cp_integrations_record_error (fixture->ledger, id, 2000, "timed out", &error));
  g_assert_true (cp_integrations_set_schedule (fixture->ledger, id, 3000, 4000, &error));
  g_assert_true (cp_integrations_set_name (fixture->ledger, id, "Renamed", &error));
  g_assert_true (cp_integrations_set_settings (fixture->ledger, id, "{\"every\":300}", &error));
  g_assert_no_error (error);

  paused = cp_integrations_get (fixture->ledger, id, &error);
  g_assert_true (cp_integration_is_paused (paused));
  g_assert_cmpstr (paused->state, ==, "paused");
  g_assert_cmpstr (paused->attention_kind, ==, CP_ATTENTION_CREDENTIALS);
  g_assert_cmpstr (paused->attention, ==, "Enter the API key again.");
  g_assert_cmpint (paused->last_success_at, ==, 1000);
  g_assert_cmpint (paused->last_error_at, ==, 2000);
  g_assert_cmpstr (paused->last_error, ==, "timed out");
  g_assert_cmpint (paused->wait_until, ==, 3000);
  g_assert_cmpint (paused->next_run_at, ==, 4000);
  g_assert_cmpstr (paused->name, ==, "Renamed");
  g_assert_cmpstr (paused->settings, ==, "{\"every\":300}");

  g_assert_false (cp_integrations_set_settings (fixture->ledger, id, "[1]", &error));
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_integrations_set_name (fixture->ledger, id, "", &error));
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (cp_integrations_set_paused (fixture->ledger, id, FALSE, &error));
  g_assert_true (cp_integrations_set_attention (fixture->ledger, id, NULL, NULL, &error));
  g_assert_true (cp_integrations_set_schedule (fixture->ledger, id, 0, 0, &error));
  g_assert_no_error (error);
  cleared = cp_integrations_get (fixture->ledger, id, &error);
  g_assert_false (cp_integration_is_paused (cleared));
  g_assert_null (cleared->attention);
  g_assert_null (cleared->attention_kind);
  g_assert_cmpint (cleared->wait_until, ==, 0);
  g_assert_cmpint (cleared->next_run_at, ==, 0);

  /* every write to a missing integration says so */
  g_assert_false (cp_integrations_set_paused (fixture->ledger, "ecomv2-9", TRUE, &error));
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cp_integrations_record_success (fixture->ledger, "ecomv2-9", 1, &error));
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* inside a caller's transaction the change joins it and is announced
   * only by its commit */
  g_ptr_array_set_size (seen, 0);
  g_assert_true (cp_ledger_begin (fixture->ledger, &error));
  g_assert_true (cp_integrations_set_paused (fixture->ledger, id, TRUE, &error));
  g_assert_cmpuint (seen->len, ==, 0);
  cp_ledger_rollback (fixture->ledger);
  healthy = cp_integrations_get (fixture->ledger, id, &error);
  g_assert_false (cp_integration_is_paused (healthy));

  g_signal_handler_disconnect (fixture->ledger, handler);
}

static void
test_cursors (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = add_ok (fixture, "ecomv2", "A", NULL);
  g_autofree char *b = add_ok (fixture, "ecomv2", "B", NULL);
  g_autofree char *value = NULL;
  g_autofree char *other = NULL;
  g_autofree char *again = NULL;
  char *none;

  none = cp_integrations_get_cursor (fixture->ledger, a, "orders", &error);
  g_assert_no_error (error);
  g_assert_null (none);

  g_assert_true (cp_integrations_set_cursor (fixture->ledger, a, "orders", "2026-01-01T00:00:00Z", &error));
  g_assert_true (cp_integrations_set_cursor (fixture->ledger, b, "orders", "page-7", &error));
  g_assert_true (cp_integrations_set_cursor (fixture->ledger, a, "orders", "2026-02-01T00:00:00Z", &error));
  g_assert_no_error (error);

  value = cp_integrations_get_cursor (fixture->ledger, a, "orders", &error);
  g_assert_cmpstr (value, ==, "2026-02-01T00:00:00Z");
  other = cp_integrations_get_cursor (fixture->ledger, b, "orders", &error);
  g_assert_cmpstr (other, ==, "page-7");

  g_assert_true (cp_integrations_set_cursor (fixture->ledger, a, "orders", NULL, &error));
  g_assert_no_error (error);
  g_assert_null (cp_integrations_get_cursor (fixture->ledger, a, "orders", &error));
  g_assert_no_error (error);
  again = cp_integrations_get_cursor (fixture->ledger, b, "orders", &error);
  g_assert_cmpstr (again, ==, "page-7");

  g_assert_false (cp_integrations_set_cursor (fixture->ledger, "ecomv2-9", "orders", "x", &error));
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_NOT_FOUND);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM integration_cursors"), ==, 1);
}

static void
test_mappings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = add_ok (fixture, "ecomv2", "A", NULL);
  g_autofree char *b = add_ok (fixture, "ecomv2", "B", NULL);
  g_autofree char *remote = NULL;
  g_autofree char *local = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *remote_b = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *old_local = NULL;

  g_assert_true (cp_integrations_set_mapping (fixture->ledger, a, "variant", "17", "prod_001", "h1", &error));
  g_assert_true (cp_integrations_set_mapping (fixture->ledger, a, "location", "MAIN", "wh_001", NULL, &error));
  g_assert_true (cp_integrations_set_mapping (fixture->ledger, b, "variant", "17", "prod_900", NULL, &error));
  g_assert_no_error (error);

  /* both directions, per integration and kind */
  remote = cp_integrations_get_remote_id (fixture->ledger, a, "variant", "17", &error);
  g_assert_cmpstr (remote, ==, "prod_001");
  local = cp_integrations_get_local_id (fixture->ledger, a, "location", "wh_001", &error);
  g_assert_cmpstr (local, ==, "MAIN");
  hash = cp_integrations_get_mapping_hash (fixture->ledger, a, "variant", "17", &error);
  g_assert_cmpstr (hash, ==, "h1");
  remote_b = cp_integrations_get_remote_id (fixture->ledger, b, "variant", "17", &error);
  g_assert_cmpstr (remote_b, ==, "prod_900");
  g_assert_null (cp_integrations_get_local_id (fixture->ledger, a, "variant", "prod_900", &error));
  g_assert_null (cp_integrations_get_remote_id (fixture->ledger, a, "location", "17", &error));
  g_assert_null (cp_integrations_get_mapping_hash (fixture->ledger, a, "location", "MAIN", &error));
  g_assert_no_error (error);

  /* a new remote id replaces the old one, with the hash given */
  g_assert_true (cp_integrations_set_mapping (fixture->ledger, a, "variant", "17", "prod_002", NULL, &error));
  moved = cp_integrations_get_remote_id (fixture->ledger, a, "variant", "17", &error);
  g_assert_cmpstr (moved, ==, "prod_002");
  g_assert_null (cp_integrations_get_mapping_hash (fixture->ledger, a, "variant", "17", &error));
  old_local = cp_integrations_get_local_id (fixture->ledger, a, "variant", "prod_001", &error);
  g_assert_null (old_local);

  g_assert_true (cp_integrations_clear_mapping (fixture->ledger, a, "variant", "17", &error));
  g_assert_null (cp_integrations_get_remote_id (fixture->ledger, a, "variant", "17", &error));
  g_assert_true (cp_integrations_clear_mapping (fixture->ledger, a, "variant", "17", &error));
  g_assert_no_error (error);

  g_assert_false (cp_integrations_set_mapping (fixture->ledger, "ecomv2-9", "variant", "1", "x", NULL, &error));
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cp_integrations_set_mapping (fixture->ledger, a, "variant", "1", "", NULL, &error));
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID);
}

static gint64
add_variant (Fixture    *fixture,
             const char *sku)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) variant = cp_variant_new ();
  gint64 id = 0;

  variant->product_name = g_strdup ("Thing");
  variant->sku = g_strdup (sku);
  variant->price_minor = 500;
  g_assert_true (cp_catalog_upsert_variant (fixture->ledger, variant, &id, NULL, &error));
  g_assert_no_error (error);
  return id;
}

static void
adjust (Fixture    *fixture,
        const char *sku,
        gint64      delta)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_stock_adjust (fixture->ledger, sku, "MAIN", delta, CP_STOCK_REASON_RECEIVED,
                                  NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static gint64
pending_stock_jobs (Fixture    *fixture,
                    const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM outbox_jobs WHERE integration_id = '%s' "
                                          "AND kind = 'stock.push' AND state = 'pending'", id);

  return count (fixture, sql);
}

static void
test_stock_trigger (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *orders_only[] = { "orders.pull", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autoptr(GPtrArray) list = NULL;

  g_assert_true (cp_locations_add (fixture->ledger, "MAIN", "Main shop", NULL, NULL, &error));
  add_variant (fixture, "TEE-M");
  add_variant (fixture, "CAP-1");
  a = add_ok (fixture, "ecomv2", "A", NULL);            /* inventory.sync by default */
  b = add_ok (fixture, "ecomv2", "B", NULL);
  c = add_ok (fixture, "ecomv2", "C", orders_only);

  adjust (fixture, "TEE-M", 5);
  adjust (fixture, "TEE-M", 3);
  adjust (fixture, "TEE-M", -1);

  /* many changes to one SKU: one pending push per channel allowed to
   * receive it, none for the one that is not */
  g_assert_cmpint (pending_stock_jobs (fixture, a), ==, 1);
  g_assert_cmpint (pending_stock_jobs (fixture, b), ==, 1);
  g_assert_cmpint (pending_stock_jobs (fixture, c), ==, 0);

  /* pausing stops sending, not recording */
  g_assert_true (cp_integrations_set_paused (fixture->ledger, b, TRUE, &error));
  adjust (fixture, "TEE-M", 2);
  adjust (fixture, "CAP-1", 4);
  g_assert_cmpint (pending_stock_jobs (fixture, a), ==, 2);
  g_assert_cmpint (pending_stock_jobs (fixture, b), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM outbox_jobs"), ==, 4);

  /* a job in flight is not merged with the newer change */
  g_assert_cmpint (count (fixture, "UPDATE outbox_jobs SET state = 'started' WHERE id = "
                                   "(SELECT min(id) FROM outbox_jobs) RETURNING 1"), ==, 1);
  adjust (fixture, "TEE-M", 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM outbox_jobs"), ==, 5);
  g_assert_cmpint (count (fixture, "UPDATE outbox_jobs SET state = 'dead' WHERE id = "
                                   "(SELECT max(id) FROM outbox_jobs WHERE integration_id = 'ecomv2-2') "
                                   "RETURNING 1"), ==, 1);

  /* list and get count the queue and the dead jobs per integration */
  list = cp_integrations_list (fixture->ledger, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpuint (((CpIntegration *) g_ptr_array_index (list, 0))->queue_depth, ==, 3);
  g_assert_cmpuint (((CpIntegration *) g_ptr_array_index (list, 0))->dead_jobs, ==, 0);
  g_assert_cmpuint (((CpIntegration *) g_ptr_array_index (list, 1))->queue_depth, ==, 1);
  g_assert_cmpuint (((CpIntegration *) g_ptr_array_index (list, 1))->dead_jobs, ==, 1);
  g_assert_cmpuint (((CpIntegration *) g_ptr_array_index (list, 2))->queue_depth, ==, 0);
  {
    g_autoptr(CpIntegration) got = cp_integrations_get (fixture->ledger, b, &error);

    g_assert_cmpuint (got->queue_depth, ==, 1);
    g_assert_cmpuint (got->dead_jobs, ==, 1);
  }
}

static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpOrder) order = cp_order_new ();
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *kept = NULL;

  g_assert_true (cp_locations_add (fixture->ledger, "MAIN", "Main shop", NULL, NULL, &error));
  add_variant (fixture, "TEE-M");
  a = add_ok (fixture, "ecomv2", "A", NULL);
  b = add_ok (fixture, "ecomv2", "B", NULL);
  adjust (fixture, "TEE-M", 5);
  g_assert_true (cp_integrations_set_mapping (fixture->ledger, a, "variant", "1", "prod_1", NULL, &error));
  g_assert_true (cp_integrations_set_mapping (fixture->ledger, b, "variant", "1", "prod_1", NULL, &error));
  g_assert_true (cp_integrations_set_cursor (fixture->ledger, a, "orders", "x", &error));
  g_assert_true (cp_integrations_set_cursor (fixture->ledger, b, "orders", "y", &error));
  g_assert_no_error (error);

  order->source = g_strdup (a);
  order->external_id = g_strdup ("ord_0001");
  order->status = g_strdup ("completed");
  memcpy (order->currency, "USD", 4);
  cp_order_add_line (order, "TEE-M", "Thing", 1, 500, 0, 0);
  g_assert_true (cp_orders_record (fixture->ledger, order, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "INSERT INTO activity (at, type, severity, integration_id, message) "
                                   "VALUES (1, 'StoreConnectionFailed', 'error', 'ecomv2-1', 'x') "
                                   "RETURNING 1"), ==, 1);

  g_assert_true (cp_integrations_remove (fixture->ledger, a, &error));
  g_assert_no_error (error);

  /* its rows go, the other integration's stay */
  g_assert_null (cp_integrations_get (fixture->ledger, a, &error));
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM outbox_jobs WHERE integration_id = 'ecomv2-1'"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM integration_mappings WHERE integration_id = 'ecomv2-1'"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM integration_cursors WHERE integration_id = 'ecomv2-1'"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM integration_permissions WHERE integration_id = 'ecomv2-1'"), ==, 0);
  g_assert_cmpint (pending_stock_jobs (fixture, b), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM integration_mappings"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM integration_cursors"), ==, 1);

  /* history stays, under the old id, and says it was removed */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM activity WHERE integration_id = 'ecomv2-1'"
                                   " AND type = 'StoreConnectionFailed'"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM activity WHERE integration_id = 'ecomv2-1'"
                                   " AND type = 'IntegrationRemoved'"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM orders WHERE source = 'ecomv2-1'"), ==, 1);

  /* a new integration never gets the id of a removed one, not even of
   * the last one (AUTOINCREMENT, not max + 1) */
  g_assert_true (cp_integrations_remove (fixture->ledger, b, &error));
  c = add_ok (fixture, "ecomv2", "C", NULL);
  g_assert_cmpstr (c, ==, "ecomv2-3");

  /* and it survives reopening the ledger */
  {
    g_autofree char *path = g_strdup (cp_ledger_get_path (fixture->ledger));

    g_clear_object (&fixture->ledger);
    fixture->ledger = cp_ledger_open (path, &error);
    g_assert_no_error (error);
    g_assert_true (cp_integrations_remove (fixture->ledger, c, &error));
    kept = add_ok (fixture, "ecomv2", "D", NULL);
    g_assert_cmpstr (kept, ==, "ecomv2-4");
  }

  g_assert_false (cp_integrations_remove (fixture->ledger, "ecomv2-1", &error));
  g_assert_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/integrations/multi-account", test_multi_account);
  ADD ("/integrations/invalid-input", test_invalid_input);
  g_test_add_func ("/integrations/url-rules", test_url_rules);
  ADD ("/integrations/url-stored", test_url_stored);
  ADD ("/integrations/permissions", test_permissions);
  ADD ("/integrations/state-and-health", test_state_and_health);
  ADD ("/integrations/cursors", test_cursors);
  ADD ("/integrations/mappings", test_mappings);
  ADD ("/integrations/stock-trigger", test_stock_trigger);
  ADD ("/integrations/remove", test_remove);
#undef ADD

  return g_test_run ();
}
