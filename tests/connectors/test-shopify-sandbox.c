/* test-shopify-sandbox.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Shopify connector against the sandbox's Shopify fake over real HTTP
 * on loopback: credentials and scopes, SKU matching, stock pushed with
 * compare quantities (and what happens when Shopify sold some since, or
 * does not track the item, or does not stock it at the location),
 * @idempotent, the cost budget and THROTTLED, products and fulfillments.
 */

#include "config.h"

#include <string.h>

#include "cp-catalog.h"
#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-stock.h"

#include "shopify-test-util.h"

typedef ShopifyFixture Fixture;

static gboolean
contains (GPtrArray  *array,
          const char *text)
{
  for (guint i = 0; i < array->len; i++)
    if (g_strcmp0 (g_ptr_array_index (array, i), text) == 0)
      return TRUE;
  return FALSE;
}

static char *
variant_payload (Fixture    *f,
                 const char *sku)
{
  return g_strdup_printf ("{\"variant_id\":%" G_GINT64_FORMAT "}", test_ledger_variant_id (&f->t, sku));
}

static void
test_registry (Fixture       *f,
               gconstpointer  data)
{
  const CpPlatformInfo *info = cp_connector_lookup_platform ("shopify");
  g_autoptr(GError) error = NULL;
  CpConnector *connector;

  g_assert_nonnull (info);
  g_assert_cmpstr (info->credential_fields[0], ==, "access_token");
  g_assert_cmpuint (cp_connector_get_batch_size (f->connector, CP_JOB_STOCK_PUSH), ==, 250);
  g_assert_cmpuint (cp_connector_get_batch_size (f->connector, CP_JOB_ORDER_STATUS_PUSH), ==, 1);
  g_assert_nonnull (cp_connector_get_rate_limiter (f->connector));
  g_assert_cmpstr (cp_shopify_connector_get_api_version (CP_SHOPIFY_CONNECTOR (f->connector)), ==,
                   CP_SHOPIFY_DEFAULT_API_VERSION);

  connector = cp_connector_new_for_platform ("shopify", "x", "http://shop.example.com",
                                             "{\"access_token\":\"shpat_secret\"}", &error);
  g_assert_null (connector);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_CONFIG);
  g_assert_null (strstr (error->message, "shpat_secret"));
  g_clear_error (&error);

  connector = cp_connector_new_for_platform ("shopify", "x", f->base, "{\"api_key\":\"k\"}", &error);
  g_assert_null (connector);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "access_token"));
}

static void
test_connection (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autoptr(CpConnector) revoked = shopify_fixture_connector (f, "shpat_revoked");

  g_assert_true (cp_connector_test (f->connector, &name, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "Counterpart Sandbox (USD)");

  /* A revoked token: 401 with Shopify's body, and what to do. */
  g_assert_false (cp_connector_test (revoked, NULL, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "Re-enter the token"));
  g_assert_null (strstr (error->message, "shpat_revoked"));
  g_assert_null (strstr (cp_connector_error_get_exchange (error), "shpat_revoked"));
}

static void
test_missing_scope (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CpConnector) limited = NULL;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);
  g_autoptr(GPtrArray) errors = test_errors_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = variant_payload (f, "EC-00002");

  cp_sandbox_shopify_add_token (f->fake, "shpat_read_only",
                                "read_products,read_inventory,read_locations,read_orders");
  limited = shopify_fixture_connector (f, "shpat_read_only");
  g_ptr_array_add (jobs, test_job_new (1, CP_JOB_STOCK_PUSH, payload));
  ((CpOutboxJob *) jobs->pdata[0])->idempotency_key = g_strdup ("k1");
  cp_sandbox_shopify_set_available (f->fake, "EC-00002", 0, 3);

  /* Said at the connection test already, as the wizard runs it. */
  g_assert_false (cp_connector_test (limited, NULL, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "write_inventory"));
  g_clear_error (&error);

  g_assert_false (cp_connector_push (limited, f->t.ledger, f->context, CP_JOB_STOCK_PUSH, jobs,
                                     errors, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "write_inventory"));
  g_assert_nonnull (strstr (error->message, "Develop apps"));
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00002", 0), ==, 3);
}

static void
test_mappings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = NULL;
  g_autofree char *location = NULL, *main_loc = NULL;
  const char *dup[] = { "DUP-1" };
  const char *none[] = { NULL };
  g_autoptr(GError) error = NULL;

  cp_sandbox_shopify_add_product (f->fake, "Twin A", dup, 1);
  cp_sandbox_shopify_add_product (f->fake, "Twin B", dup, 1);
  cp_sandbox_shopify_add_product (f->fake, "No SKU", none, 1);
  test_ledger_add_variant (&f->t, "DUP-1", "Twin", 100, 1);
  test_ledger_add_variant (&f->t, "LOCAL-1", "Only here", 100, 1);

  report = shopify_fixture_refresh (f);
  g_assert_true (contains (report->matched, "EC-00002"));
  g_assert_true (contains (report->matched, "EC-00003"));
  g_assert_true (contains (report->unmatched_local, "LOCAL-1"));
  g_assert_true (contains (report->duplicates, "DUP-1"));
  g_assert_false (contains (report->matched, "DUP-1"));
  g_assert_true (contains (report->unmatched_remote, "EC-00001"));
  g_assert_cmpuint (report->locations->len, ==, 2);

  /* One location each side: linked to Shopify's first. */
  location = cp_integrations_get_remote_id (f->t.ledger, f->t.integration_id, "location", "MAIN", &error);
  main_loc = cp_sandbox_shopify_dup_location_id (f->fake, 0);
  g_assert_cmpstr (location, ==, main_loc);
}

static void
test_push_stock (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = shopify_fixture_refresh (f);
  g_autofree char *payload = variant_payload (f, "EC-00002");
  g_autoptr(GError) job_error = NULL;
  guint before;

  job_error = shopify_fixture_push_one (f, CP_JOB_STOCK_PUSH, payload, "key-a");
  g_assert_no_error (job_error);
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00002", 0), ==, 7);
  g_assert_cmpuint (cp_sandbox_shopify_get_n_mutations (f->fake), ==, 1);
  g_assert_cmpuint (f->ws.calls, ==, 1);

  /* Nothing changed: nothing sent. */
  before = cp_sandbox_server_get_request_count (f->server, NULL);
  job_error = shopify_fixture_push_one (f, CP_JOB_STOCK_PUSH, payload, "key-b");
  g_assert_no_error (job_error);
  g_assert_cmpuint (cp_sandbox_server_get_request_count (f->server, NULL), ==, before);
}

static void
test_compare_conflict (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = shopify_fixture_refresh (f);
  g_autofree char *payload = variant_payload (f, "EC-00002");
  g_autoptr(GError) error = NULL;
  GError *job_error;

  job_error = shopify_fixture_push_one (f, CP_JOB_STOCK_PUSH, payload, "k1");
  g_assert_no_error (job_error);
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00002", 0), ==, 7);

  /* Two sold online, not yet imported; three received in the shop. */
  cp_sandbox_shopify_set_available (f->fake, "EC-00002", 0, 5);
  cp_stock_adjust (f->t.ledger, "EC-00002", "MAIN", 3, CP_STOCK_REASON_RECEIVED,
                   NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  job_error = shopify_fixture_push_one (f, CP_JOB_STOCK_PUSH, payload, "k2");
  g_assert_no_error (job_error);
  /* 10 here, less the 2 sold online: the online sale is not overwritten. */
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00002", 0), ==, 8);
  g_assert_cmpuint (cp_sandbox_shopify_get_n_mutations (f->fake), ==, 2);
  /* Queries and @idempotent mutations may be resent, so every request
   * went over one connection: one TLS handshake, not one a call. */
  g_assert_cmpuint (cp_sandbox_server_get_request_count (f->server, NULL), >, 3);
  g_assert_cmpuint (cp_sandbox_server_get_connection_count (f->server), ==, 1);
}

/* A refresh of the mappings reads Shopify's quantities, but must not make
 * them the next push's compare quantities: a sale online since the last
 * push, not yet imported, would be overwritten by the books' count sent
 * with a compare that matches Shopify now. The level read is only marked
 * as drifted; the push meets a stale compare and keeps the sale. */
static void
test_refresh_keeps_compare (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = shopify_fixture_refresh (f);
  g_autoptr(CpMappingReport) again = NULL;
  g_autofree char *payload = variant_payload (f, "EC-00002");
  g_autofree char *local = g_strdup_printf ("%" G_GINT64_FORMAT, test_ledger_variant_id (&f->t, "EC-00002"));
  g_autofree char *loc = cp_sandbox_shopify_dup_location_id (f->fake, 0);
  g_autofree char *level = g_strdup_printf ("\"%s\":7", loc);
  g_autofree char *drift = g_strdup_printf ("\"!%s\":1", loc);
  g_autofree char *hash = NULL;
  g_autoptr(GError) error = NULL;
  GError *job_error;

  job_error = shopify_fixture_push_one (f, CP_JOB_STOCK_PUSH, payload, "r1");
  g_assert_no_error (job_error);
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00002", 0), ==, 7);

  /* One sold online; the books have not imported the order. */
  cp_sandbox_shopify_set_available (f->fake, "EC-00002", 0, 6);
  again = shopify_fixture_refresh (f);
  g_assert_true (contains (again->matched, "EC-00002"));
  hash = cp_integrations_get_mapping_hash (f->t.ledger, f->t.integration_id, "inventory_item",
                                           local, &error);
  g_assert_no_error (error);
  /* The compare quantity is still what was set, the new number a drift. */
  g_assert_nonnull (strstr (hash, level));
  g_assert_nonnull (strstr (hash, drift));

  /* The books still say 7: the push goes, is found stale, keeps the sale. */
  job_error = shopify_fixture_push_one (f, CP_JOB_STOCK_PUSH, payload, "r2");
  g_assert_no_error (job_error);
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00002", 0), ==, 6);
  g_clear_pointer (&hash, g_free);
  hash = cp_integrations_get_mapping_hash (f->t.ledger, f->t.integration_id, "inventory_item",
                                           local, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (hash, "!"));

  /* Shopify shows what was last set: a refresh marks nothing. */
  g_clear_pointer (&again, cp_mapping_report_free);
  again = shopify_fixture_refresh (f);
  g_clear_pointer (&hash, g_free);
  hash = cp_integrations_get_mapping_hash (f->t.ledger, f->t.integration_id, "inventory_item",
                                           local, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (hash, "!"));
}

static void
test_idempotent (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = shopify_fixture_refresh (f);
  g_autofree char *payload = variant_payload (f, "EC-00002");
  g_autofree char *local = g_strdup_printf ("%" G_GINT64_FORMAT, test_ledger_variant_id (&f->t, "EC-00002"));
  g_autofree char *hash = NULL, *item = NULL;
  g_autoptr(GError) error = NULL;
  GError *job_error;

  hash = cp_integrations_get_mapping_hash (f->t.ledger, f->t.integration_id, "inventory_item", local, &error);
  item = cp_integrations_get_remote_id (f->t.ledger, f->t.integration_id, "inventory_item", local, &error);
  job_error = shopify_fixture_push_one (f, CP_JOB_STOCK_PUSH, payload, "same-key");
  g_assert_no_error (job_error);

  /* A crash lost what was set: the same job again, as the engine resends. */
  cp_integrations_set_mapping (f->t.ledger, f->t.integration_id, "inventory_item", local, item, hash, &error);
  g_assert_no_error (error);
  job_error = shopify_fixture_push_one (f, CP_JOB_STOCK_PUSH, payload, "same-key");
  g_assert_no_error (job_error);
  g_assert_cmpuint (cp_sandbox_shopify_get_n_mutations (f->fake), ==, 1);
  g_assert_cmpuint (cp_sandbox_server_get_n_duplicate_effects (f->server), ==, 0);
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00002", 0), ==, 7);
}

static void
test_deleted_remote (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = shopify_fixture_refresh (f);
  g_autofree char *payload = variant_payload (f, "EC-00003");
  g_autoptr(GError) job_error = NULL;
  g_autoptr(GError) error = NULL;

  cp_stock_adjust (f->t.ledger, "EC-00003", "MAIN", 4, CP_STOCK_REASON_RECEIVED,
                   NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cp_sandbox_shopify_delete_product (f->fake, "EC-00003"));
  job_error = shopify_fixture_push_one (f, CP_JOB_STOCK_PUSH, payload, "k");
  g_assert_error (job_error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (job_error->message, "EC-00003"));
}

/* "Track quantity" off in Shopify: nothing is sent, and the owner is
 * told where to turn it on; once on, the stock goes. */
static void
test_untracked (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = NULL;
  g_autofree char *payload = variant_payload (f, "EC-00002");
  g_autoptr(GError) job_error = NULL;
  guint before;

  cp_sandbox_shopify_set_tracked (f->fake, "EC-00002", FALSE);
  report = shopify_fixture_refresh (f);
  before = cp_sandbox_shopify_get_n_mutations (f->fake);
  job_error = shopify_fixture_push_one (f, CP_JOB_STOCK_PUSH, payload, "u1");
  g_assert_error (job_error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (job_error->message, "Track quantity"));
  g_assert_nonnull (strstr (job_error->message, "EC-00002"));
  g_assert_cmpuint (cp_sandbox_shopify_get_n_mutations (f->fake), ==, before);
  g_clear_error (&job_error);

  cp_sandbox_shopify_set_tracked (f->fake, "EC-00002", TRUE);
  job_error = shopify_fixture_push_one (f, CP_JOB_STOCK_PUSH, payload, "u2");
  g_assert_no_error (job_error);
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00002", 0), ==, 7);
}

/* Not stocked at the linked location: Shopify refuses the quantity;
 * the owner is told which of their locations it is about, and the next
 * push asks Shopify again rather than sending what it would refuse. */
static void
test_not_stocked (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = shopify_fixture_refresh (f);
  g_autofree char *payload = variant_payload (f, "EC-00002");
  g_autoptr(GError) job_error = NULL;
  g_autoptr(GError) error = NULL;

  cp_sandbox_shopify_set_stocked (f->fake, "EC-00002", 0, FALSE);
  cp_stock_adjust (f->t.ledger, "EC-00002", "MAIN", 2, CP_STOCK_REASON_RECEIVED,
                   NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  job_error = shopify_fixture_push_one (f, CP_JOB_STOCK_PUSH, payload, "s1");
  g_assert_error (job_error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (job_error->message, "EC-00002"));
  g_assert_nonnull (strstr (job_error->message, "“Main”"));
  g_assert_null (strstr (job_error->message, "gid://"));
  g_clear_error (&job_error);

  /* One request: the read that finds no level there, no mutation. */
  cp_sandbox_server_reset_counters (f->server);
  job_error = shopify_fixture_push_one (f, CP_JOB_STOCK_PUSH, payload, "s2");
  g_assert_error (job_error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (job_error->message, "“Main”"));
  g_clear_error (&job_error);
  g_assert_cmpuint (cp_sandbox_server_get_request_count (f->server, NULL), ==, 1);

  /* Stocked there now: the quantity goes. */
  cp_sandbox_shopify_set_stocked (f->fake, "EC-00002", 0, TRUE);
  job_error = shopify_fixture_push_one (f, CP_JOB_STOCK_PUSH, payload, "s3");
  g_assert_no_error (job_error);
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00002", 0), ==, 9);
}

static void
test_throttled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CpRateLimiter) blind = cp_rate_limiter_new (1e9, 1e6, g_get_monotonic_time ());
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GError) error = NULL;
  CpShopifyConnector *shopify = CP_SHOPIFY_CONNECTOR (f->connector);

  /* A connector that did not know the budget: the shop says THROTTLED
   * once, and the connector waits what throttleStatus says. */
  cp_shopify_connector_set_rate_limiter (shopify, blind);
  cp_sandbox_shopify_set_bucket (f->fake, 900, 1000);
  cp_sandbox_shopify_set_bucket_available (f->fake, 0);
  report = cp_connector_refresh_mappings (f->connector, f->t.ledger, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (cp_sandbox_shopify_get_n_throttled (f->fake), ==, 1);
  g_assert_cmpuint (cp_shopify_connector_get_n_throttled (shopify), ==, 1);
  /* It now knows the shop's figures. */
  g_assert_cmpfloat (cp_rate_limiter_get_capacity (blind), ==, 900);

  /* THROTTLED as HTTP 429, with no time to sit it out: RATE_LIMITED with
   * the wait the bucket gives. */
  g_clear_pointer (&report, cp_mapping_report_free);
  cp_sandbox_shopify_set_throttle_status_429 (f->fake, TRUE);
  cp_sandbox_shopify_set_bucket (f->fake, 900, 1);
  cp_sandbox_shopify_set_bucket_available (f->fake, 0);
  cp_shopify_connector_set_rate_limiter (shopify, cp_rate_limiter_new (1e9, 1e6, g_get_monotonic_time ()));
  cp_shopify_connector_set_max_inline_wait (shopify, 0);
  report = cp_connector_refresh_mappings (f->connector, f->t.ledger, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_RATE_LIMITED);
  g_assert_cmpint (cp_connector_error_get_wait_us (error), >, 0);
}

static void
test_budget_kept (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = NULL;

  /* A small bucket restoring fast: the connector waits for its points
   * before each query and the shop never has to say THROTTLED. */
  cp_sandbox_shopify_set_bucket (f->fake, 1000, 2000);
  report = shopify_fixture_refresh (f);
  g_clear_pointer (&report, cp_mapping_report_free);
  report = shopify_fixture_refresh (f);
  g_clear_pointer (&report, cp_mapping_report_free);
  report = shopify_fixture_refresh (f);
  g_assert_cmpuint (cp_sandbox_shopify_get_n_throttled (f->fake), ==, 0);
}

static void
test_product_push (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CpVariant) variant = cp_variant_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) job_error = NULL;
  g_autofree char *payload = NULL, *brand = NULL, *remote = NULL, *local = NULL;
  gint64 id = 0;

  variant->product_handle = g_strdup ("NEW-1");
  variant->product_name = g_strdup ("Racing helmet");
  variant->sku = g_strdup ("NEW-1");
  variant->price_minor = 12950;
  memcpy (variant->currency, "USD", 4);
  g_free (variant->attributes_json);
  variant->attributes_json = g_strdup ("{\"brand\":\"Acme\",\"year\":2024}");
  cp_catalog_upsert_variant (f->t.ledger, variant, &id, NULL, &error);
  g_assert_no_error (error);

  payload = g_strdup_printf ("{\"variant_id\":%" G_GINT64_FORMAT "}", id);
  job_error = shopify_fixture_push_one (f, CP_JOB_PRODUCT_PUSH, payload, "p1");
  g_assert_no_error (job_error);
  brand = cp_sandbox_shopify_dup_metafield (f->fake, "NEW-1", "counterpart.brand");
  g_assert_cmpstr (brand, ==, "Acme");
  local = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  remote = cp_integrations_get_remote_id (f->t.ledger, f->t.integration_id, "variant", local, &error);
  g_assert_nonnull (remote);
  g_assert_true (g_str_has_prefix (remote, "gid://shopify/ProductVariant/"));
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "NEW-1", 0), ==, 0);

  /* Again: the same product, updated, not a second one. */
  g_clear_error (&job_error);
  job_error = shopify_fixture_push_one (f, CP_JOB_PRODUCT_PUSH, payload, "p2");
  g_assert_no_error (job_error);
  g_assert_cmpuint (cp_sandbox_server_get_n_distinct_effects (f->server), ==, 2);
  g_assert_cmpint (cp_sandbox_shopify_get_price (f->fake, "NEW-1"), ==, 12950);

  /* The store is the master of prices: a new price here stays here. */
  cp_integrations_set_settings (f->t.ledger, f->t.integration_id,
                                "{\"master\":{\"price\":\"store\"}}", &error);
  g_assert_no_error (error);
  variant->price_minor = 9999;
  cp_catalog_upsert_variant (f->t.ledger, variant, &id, NULL, &error);
  g_assert_no_error (error);
  g_clear_error (&job_error);
  job_error = shopify_fixture_push_one (f, CP_JOB_PRODUCT_PUSH, payload, "p3");
  g_assert_no_error (job_error);
  g_assert_cmpint (cp_sandbox_shopify_get_price (f->fake, "NEW-1"), ==, 12950);
}

static void
test_fulfillment (Fixture       *f,
                  gconstpointer  data)
{
  const char *skus[] = { "EC-00002" };
  const gint64 quantities[] = { 1 };
  const char *prices[] = { "19.99" };
  g_autofree char *gid = cp_sandbox_shopify_add_order (f->fake, skus, quantities, prices, 1);
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) job_error = NULL;
  g_autofree char *cursor = NULL, *payload = NULL, *tracking = NULL;
  gint64 order_id = 0;

  g_assert_true (shopify_fixture_pull (f, NULL, orders, &cursor, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < orders->len; i++)
    {
      CpOrder *o = g_ptr_array_index (orders, i);

      if (g_strcmp0 (o->external_id, gid) == 0)
        {
          g_free (o->status);
          o->status = g_strdup ("shipped");
          g_assert_true (cp_orders_record (f->t.ledger, o, FALSE, &order_id, NULL, &error));
          g_assert_no_error (error);
        }
    }
  g_assert_cmpint (order_id, >, 0);
  payload = g_strdup_printf ("{\"order_id\":%" G_GINT64_FORMAT ",\"status\":\"shipped\","
                             "\"tracking_number\":\"1Z999\",\"tracking_company\":\"UPS\"}", order_id);
  job_error = shopify_fixture_push_one (f, CP_JOB_ORDER_STATUS_PUSH, payload, "f1");
  g_assert_no_error (job_error);
  tracking = cp_sandbox_shopify_dup_tracking (f->fake, gid);
  g_assert_cmpstr (tracking, ==, "1Z999");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, shopify_fixture_setup, fn, shopify_fixture_teardown)
  ADD ("/shopify/registry", test_registry);
  ADD ("/shopify/connection", test_connection);
  ADD ("/shopify/missing-scope", test_missing_scope);
  ADD ("/shopify/mappings", test_mappings);
  ADD ("/shopify/push-stock", test_push_stock);
  ADD ("/shopify/compare-conflict", test_compare_conflict);
  ADD ("/shopify/refresh-keeps-compare", test_refresh_keeps_compare);
  ADD ("/shopify/idempotent", test_idempotent);
  ADD ("/shopify/deleted-remote", test_deleted_remote);
  ADD ("/shopify/untracked", test_untracked);
  ADD ("/shopify/not-stocked", test_not_stocked);
  ADD ("/shopify/throttled", test_throttled);
  ADD ("/shopify/budget-kept", test_budget_kept);
  ADD ("/shopify/product-push", test_product_push);
  ADD ("/shopify/fulfillment", test_fulfillment);
#undef ADD
  return g_test_run ();
}
