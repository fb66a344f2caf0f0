/* test-stock-reconcile.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Full reconciliation against the ecomv2 fake on loopback, with the real
 * engine and connector: drift on either side (a push that was lost, an
 * edit in the store's admin) is found, fixed through the outbox and
 * reported once; opted-out products and a store that is the master of
 * its stock are left alone; the watch loop reconciles on its schedule.
 */

#define G_LOG_DOMAIN "test-engine"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cp-activity.h"
#include "cp-catalog.h"
#include "cp-connectors.h"
#include "cp-credentials.h"
#include "cp-engine-private.h"
#include "cp-engine.h"
#include "cp-integrations.h"
#include "cp-sandbox-ecomv2.h"
#include "cp-sandbox-server.h"
#include "cp-sql.h"
#include "cp-stock.h"
#include "cp-stock-publish.h"
#include "test-engine-common.h"

#define N_SKUS 6

typedef struct
{
  char            *dir;
  char            *path;
  CpLedger        *ledger;
  CpEngine        *engine;
  CpSandboxServer *server;
  CpSandboxEcomv2 *fake;
  char            *url;
  char            *id;
  gboolean         ready;
} Fixture;

static char *
sku_of (guint i)
{
  return g_strdup_printf ("EC-%05u", i + 1);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const permissions[] = { CP_PERMISSION_INVENTORY_SYNC, NULL };
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-stock-reconcile-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "ledger.sqlite3", NULL);
  f->ledger = cp_ledger_open (f->path, &error);
  g_assert_no_error (error);

  f->server = cp_sandbox_server_new ();
  f->fake = cp_sandbox_ecomv2_new_sized (N_SKUS, 0);
  cp_sandbox_server_add_platform (f->server, CP_SANDBOX_PLATFORM (f->fake));
  g_assert_true (cp_sandbox_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->url = cp_sandbox_server_dup_platform_url (f->server, "ecomv2");

  g_assert_true (cp_locations_add (f->ledger, "MAIN", "Main", "USD", NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_SKUS; i++)
    {
      g_autoptr(CpVariant) variant = cp_variant_new ();

      variant->sku = sku_of (i);
      variant->product_name = g_strdup (variant->sku);
      variant->price_minor = 1000;
      memcpy (variant->currency, "USD", 4);
      g_assert_true (cp_catalog_upsert_variant (f->ledger, variant, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (cp_stock_adjust (f->ledger, variant->sku, "MAIN", 50 + i,
                                      CP_STOCK_REASON_RECEIVED, NULL, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }

  engine_test_unique_ids (f->ledger);
  f->id = cp_integrations_add (f->ledger, "ecomv2", "Web shop", f->url, permissions, &error);
  g_assert_no_error (error);
  f->engine = cp_engine_new (f->path);
  f->ready = engine_test_require_keyring ();
  if (f->ready)
    {
      g_autofree char *key = cp_integrations_credential_key (f->ledger, f->id, &error);

      g_assert_no_error (error);
      g_assert_true (cp_credentials_store_sync (key, "Counterpart: test",
                                                "{\"api_key\":\"" CP_SANDBOX_ECOMV2_DEFAULT_KEY "\"}",
                                                NULL, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->ready)
    {
      g_autofree char *key = cp_integrations_credential_key (f->ledger, f->id, NULL);

      cp_credentials_clear_sync (key, NULL, NULL);
    }
  if (cp_engine_is_running (f->engine))
    cp_engine_stop (f->engine);
  g_clear_object (&f->engine);
  g_clear_object (&f->ledger);
  cp_sandbox_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->fake);
  engine_test_remove_ledger (f->path);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->url);
  g_free (f->id);
}

static gint64
ledger_available (Fixture    *f,
                  const char *sku)
{
  g_autoptr(CpStockLevel) level = cp_stock_get (f->ledger, sku, "MAIN", NULL);

  g_assert_nonnull (level);
  return level->available;
}

static gint64
store_available (Fixture    *f,
                 const char *sku)
{
  return cp_sandbox_ecomv2_get_available (f->fake, sku, "wh_001");
}

static void
run_once (Fixture  *f,
          gboolean  full)
{
  g_autoptr(GError) error = NULL;
  CpEngineOutcome outcome;

  g_assert_true (engine_test_run_once (f->engine, f->id, full, 30 * G_USEC_PER_SEC, NULL,
                                       &outcome, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, CP_ENGINE_OUTCOME_DONE);
}

/* Someone changes the stock in the store's admin. */
static void
edit_in_store (Fixture    *f,
               const char *sku,
               gint64      delta)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/inventory/%s/adjust", f->url, sku);
  g_autofree char *body = g_strdup_printf ("{\"quantity\":%" G_GINT64_FORMAT ",\"reason\":"
                                           "\"correction\",\"location\":\"wh_001\"}", delta);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " CP_SANDBOX_ECOMV2_DEFAULT_KEY);
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 201);
}

/* A change whose push never happened (lost before it left). */
static void
lose_a_push (Fixture    *f,
             const char *sku,
             gint64      delta)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_stock_adjust (f->ledger, sku, "MAIN", delta, CP_STOCK_REASON_CORRECTION,
                                  NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cp_sql_exec (f->ledger, "DELETE FROM outbox_jobs WHERE state = 'pending'",
                              NULL, &error));
  g_assert_no_error (error);
}

/* The newest InventoryReconciled event (NULL when none) and how many. */
static CpActivityEvent *
last_reconciled (Fixture *f,
                 guint   *out_count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  CpActivityQuery query = { 0 };

  query.integration_id = f->id;
  query.type = CP_ACTIVITY_INVENTORY_RECONCILED;
  events = cp_activity_query (f->ledger, &query, &error);
  g_assert_no_error (error);
  *out_count = events->len;
  if (events->len == 0)
    return NULL;
  return cp_activity_event_copy (g_ptr_array_index (events, 0));
}

static JsonObject *
details_of (const CpActivityEvent *event,
            JsonParser            *parser)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (event->details);
  g_assert_true (json_parser_load_from_data (parser, event->details, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
assert_in_sync (Fixture *f)
{
  for (guint i = 0; i < N_SKUS; i++)
    {
      g_autofree char *sku = sku_of (i);

      g_assert_cmpint (store_available (f, sku), ==, ledger_available (f, sku));
    }
}

/* The store's price (minor units) and name of SKU. */
static gint64
store_price (Fixture  *f,
             const char *sku,
             char      **out_name)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/products/%s", f->url, sku);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *product;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " CP_SANDBOX_ECOMV2_DEFAULT_KEY);
  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (response, NULL),
                                             g_bytes_get_size (response), &error));
  g_assert_no_error (error);
  product = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (product, "data"))
    product = json_object_get_object_member (product, "data");
  if (out_name != NULL)
    *out_name = g_strdup (json_object_get_string_member (product, "name"));
  return json_object_get_int_member (json_object_get_object_member (product, "price"), "amount");
}

static void
set_price_and_name (Fixture    *f,
                    const char *sku,
                    gint64      price,
                    const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) variant = cp_catalog_get_by_sku (f->ledger, sku, &error);

  g_assert_no_error (error);
  variant->price_minor = price;
  g_free (variant->option1);
  variant->option1 = g_strdup (name);
  g_assert_true (cp_catalog_upsert_variant (f->ledger, variant, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* "master": {"price": "store"}: a product push sends the name, not the
 * price; an opted-out product gets no product push at all. */
static void
test_price_master (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const permissions[] = {
    CP_PERMISSION_INVENTORY_SYNC, CP_PERMISSION_PRODUCTS_SYNC, NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) excluded = NULL;
  g_autofree char *name = NULL;
  g_autofree char *excluded_name = NULL;
  gint64 price, excluded_price;

  if (!f->ready)
    return;

  g_assert_true (cp_integrations_set_permissions (f->ledger, f->id, permissions, &error));
  g_assert_no_error (error);
  run_once (f, TRUE);
  g_assert_cmpint (store_price (f, "EC-00001", NULL), ==, 1000);

  /* POS is master by default: the price goes. */
  set_price_and_name (f, "EC-00001", 1250, "Blue");
  run_once (f, FALSE);
  g_assert_cmpint (store_price (f, "EC-00001", &name), ==, 1250);
  g_assert_nonnull (strstr (name, "Blue"));
  g_clear_pointer (&name, g_free);

  g_assert_true (cp_integrations_set_settings (f->ledger, f->id, "{\"master\":{\"price\":\"store\"}}",
                                               &error));
  g_assert_no_error (error);
  set_price_and_name (f, "EC-00001", 1500, "Green");
  excluded = cp_catalog_get_by_sku (f->ledger, "EC-00002", &error);
  g_assert_no_error (error);
  g_assert_true (cp_stock_publish_set_excluded (f->ledger, f->id, excluded->product_id, TRUE, &error));
  g_assert_no_error (error);
  excluded_price = store_price (f, "EC-00002", &excluded_name);
  set_price_and_name (f, "EC-00002", 4000, "Red");
  run_once (f, FALSE);

  price = store_price (f, "EC-00001", &name);
  g_assert_cmpint (price, ==, 1250);
  g_assert_nonnull (strstr (name, "Green"));
  g_clear_pointer (&name, g_free);
  g_assert_cmpint (store_price (f, "EC-00002", &name), ==, excluded_price);
  g_assert_cmpstr (name, ==, excluded_name);
}

/* Drift on both sides is found, fixed through the outbox in the same
 * run, and reported with the SKUs; a second pass finds nothing. */
static void
test_fix_drift (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CpActivityEvent) event = NULL;
  g_autoptr(CpActivityEvent) again = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *details;
  JsonArray *fixed;
  guint count = 0;

  if (!f->ready)
    return;

  run_once (f, TRUE);
  assert_in_sync (f);

  lose_a_push (f, "EC-00002", -7);
  edit_in_store (f, "EC-00004", 3);
  g_assert_cmpint (store_available (f, "EC-00002"), !=, ledger_available (f, "EC-00002"));
  g_assert_cmpint (store_available (f, "EC-00004"), !=, ledger_available (f, "EC-00004"));

  /* A plain run does not compare: nothing is queued, nothing found. */
  run_once (f, FALSE);
  g_assert_null (last_reconciled (f, &count));
  g_assert_cmpint (store_available (f, "EC-00002"), !=, ledger_available (f, "EC-00002"));

  cp_engine_reconcile (f->engine, f->id);
  run_once (f, FALSE);
  assert_in_sync (f);

  event = last_reconciled (f, &count);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpint (event->severity, ==, CP_ACTIVITY_WARNING);
  g_assert_nonnull (strstr (event->message, "EC-00002"));
  details = details_of (event, parser);
  g_assert_cmpint (json_object_get_int_member (details, "checked"), ==, N_SKUS);
  g_assert_cmpint (json_object_get_int_member (details, "fixed"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (details, "missing"), ==, 0);
  fixed = json_object_get_array_member (details, "skus_fixed");
  g_assert_cmpuint (json_array_get_length (fixed), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (fixed, 0), !=,
                   json_array_get_string_element (fixed, 1));
  for (guint i = 0; i < 2; i++)
    {
      const char *sku = json_array_get_string_element (fixed, i);

      g_assert_true (g_str_equal (sku, "EC-00002") || g_str_equal (sku, "EC-00004"));
    }

  cp_engine_reconcile (f->engine, NULL);
  run_once (f, FALSE);
  again = last_reconciled (f, &count);
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpint (again->severity, ==, CP_ACTIVITY_INFO);
  g_clear_object (&parser);
  parser = json_parser_new ();
  details = details_of (again, parser);
  g_assert_cmpint (json_object_get_int_member (details, "fixed"), ==, 0);
}

/* An opted-out product is not compared (nor fixed); a store that is the
 * master of its stock is not compared at all, and says why. */
static void
test_excluded_and_master (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) variant = NULL;
  g_autoptr(CpActivityEvent) event = NULL;
  g_autoptr(CpActivityEvent) skipped = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *details;
  gint64 drifted;
  guint count = 0;

  if (!f->ready)
    return;

  run_once (f, TRUE);
  variant = cp_catalog_get_by_sku (f->ledger, "EC-00003", &error);
  g_assert_no_error (error);
  g_assert_true (cp_stock_publish_set_excluded (f->ledger, f->id, variant->product_id, TRUE, &error));
  g_assert_no_error (error);
  edit_in_store (f, "EC-00003", 9);
  drifted = store_available (f, "EC-00003");

  cp_engine_reconcile (f->engine, f->id);
  run_once (f, FALSE);
  g_assert_cmpint (store_available (f, "EC-00003"), ==, drifted);
  event = last_reconciled (f, &count);
  details = details_of (event, parser);
  g_assert_cmpint (json_object_get_int_member (details, "checked"), ==, N_SKUS - 1);
  g_assert_cmpint (json_object_get_int_member (details, "fixed"), ==, 0);

  g_assert_true (cp_integrations_set_settings (f->ledger, f->id, "{\"master\":{\"stock\":\"store\"}}",
                                               &error));
  g_assert_no_error (error);
  lose_a_push (f, "EC-00001", -1);
  cp_engine_reconcile (f->engine, f->id);
  run_once (f, FALSE);
  skipped = last_reconciled (f, &count);
  g_assert_cmpuint (count, ==, 2);
  g_assert_null (skipped->details);
  g_assert_nonnull (strstr (skipped->message, "master"));
  g_assert_cmpint (store_available (f, "EC-00001"), !=, ledger_available (f, "EC-00001"));
}

/* The watch loop reconciles when reconcile_hours have passed since the
 * last one, and moves the schedule. */
static void
test_scheduled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_ago = NULL;
  g_autofree char *cursor = NULL;
  guint count = 0;
  gint64 before = cp_ledger_now_us ();

  if (!f->ready)
    return;

  run_once (f, TRUE);
  g_assert_true (cp_integrations_set_settings (f->ledger, f->id,
                                               "{\"schedule\":{\"reconcile_hours\":2}}", &error));
  g_assert_no_error (error);
  long_ago = g_strdup_printf ("%" G_GINT64_FORMAT, before - (gint64) 3 * 3600 * G_USEC_PER_SEC);
  g_assert_true (cp_integrations_set_cursor (f->ledger, f->id, CP_ENGINE_CURSOR_RECONCILED,
                                             long_ago, &error));
  g_assert_no_error (error);
  edit_in_store (f, "EC-00005", -4);

  cp_engine_start (f->engine);
  /* Bounded by the suite's timeout, not by a clock of ours. */
  while (store_available (f, "EC-00005") != ledger_available (f, "EC-00005"))
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20 * 1000);
    }
  cp_engine_stop (f->engine);

  cursor = cp_integrations_get_cursor (f->ledger, f->id, CP_ENGINE_CURSOR_RECONCILED, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_ascii_strtoll (cursor, NULL, 10), >=, before);
  g_clear_pointer (&cursor, g_free);
  {
    g_autoptr(CpActivityEvent) event = last_reconciled (f, &count);

    g_assert_cmpuint (count, ==, 1);
    g_assert_nonnull (strstr (event->message, "EC-00005"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  cp_connectors_register_all ();

#define ADD(path, func) \
  g_test_add ("/stock-reconcile/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("fix-drift", test_fix_drift);
  ADD ("excluded-and-master", test_excluded_and_master);
  ADD ("scheduled", test_scheduled);
  ADD ("price-master", test_price_master);
#undef ADD

  return g_test_run ();
}
