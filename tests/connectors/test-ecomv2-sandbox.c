/* test-ecomv2-sandbox.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ecomv2 connector against the sandbox's ecomv2 fake over real HTTP
 * on loopback: matching, pushes with their per-record results, order
 * pulls with pagination and the watermark, and every injected fault
 * classified as the engine needs it.
 */

#include "config.h"

#include <string.h>

#include "cp-connectors.h"
#include "cp-ecomv2-connector.h"
#include "cp-integrations.h"
#include "cp-orders.h"
#include "cp-outbox.h"
#include "cp-sandbox-ecomv2.h"
#include "cp-sandbox-server.h"
#include "cp-stock.h"

#include "ecomv2-test-util.h"

typedef SandboxFixture Fixture;

static gboolean
str_array_contains (GPtrArray  *array,
                    const char *text)
{
  for (guint i = 0; i < array->len; i++)
    if (g_strcmp0 (g_ptr_array_index (array, i), text) == 0)
      return TRUE;
  return FALSE;
}

static void
test_registry (Fixture       *f,
               gconstpointer  data)
{
  const CpPlatformInfo *info = cp_connector_lookup_platform ("ecomv2");
  g_autoptr(GError) error = NULL;
  CpConnector *connector;
  guint n = 0;

  cp_connectors_register_all ();   /* twice: harmless */
  cp_connector_list_platforms (&n);
  g_assert_cmpuint (n, ==, 3);   /* ecomv2, shopify, woocommerce: each once */
  g_assert_nonnull (info);
  g_assert_cmpstr (info->credential_fields[0], ==, "api_key");
  g_assert_true (info->capabilities & CP_CONNECTOR_CAP_PUSH_STOCK);
  g_assert_cmpuint (cp_connector_get_batch_size (f->connector, CP_JOB_STOCK_PUSH), ==, 100);
  g_assert_cmpuint (cp_connector_get_batch_size (f->connector, CP_JOB_ORDER_STATUS_PUSH), ==, 1);
  g_assert_nonnull (cp_connector_get_rate_limiter (f->connector));

  /* Plain http only to loopback; the key never shows in an error. */
  connector = cp_connector_new_for_platform ("ecomv2", "x", "http://shop.example.com/v2",
                                             "{\"api_key\":\"secret_abc\"}", &error);
  g_assert_null (connector);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_CONFIG);
  g_assert_null (strstr (error->message, "secret_abc"));
  g_clear_error (&error);

  connector = cp_connector_new_for_platform ("ecomv2", "x", f->base, "{\"key\":\"k\"}", &error);
  g_assert_null (connector);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_AUTH);
  g_clear_error (&error);

  connector = cp_connector_new_for_platform ("ecomv2", "x", f->base,
                                             "{\"api_key\":\"a\\r\\nX-Evil: 1\"}", &error);
  g_assert_null (connector);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_AUTH);
}

static void
test_credentials (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;
  g_autoptr(CpConnector) wrong = NULL;
  const char *exchange;

  g_assert_true (cp_connector_test (f->connector, &account, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (account, ==, "127.0.0.1 (test key)");

  wrong = cp_connector_new_for_platform ("ecomv2", f->t.integration_id, f->base,
                                         "{\"api_key\":\"test_wrong_key_123\"}", &error);
  g_assert_no_error (error);
  g_assert_false (cp_connector_test (wrong, NULL, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_AUTH);
  g_assert_false (cp_connector_error_is_retryable (error));
  g_assert_nonnull (strstr (error->message, "credentials"));
  exchange = cp_connector_error_get_exchange (error);
  g_assert_nonnull (exchange);
  g_assert_nonnull (strstr (exchange, "401"));
  g_assert_nonnull (strstr (exchange, "authentication_error"));
  g_assert_null (strstr (exchange, "test_wrong_key_123"));
  g_assert_null (strstr (error->message, "test_wrong_key_123"));
}

static void
test_mapping (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *warehouse = NULL;
  g_autofree char *local = NULL;

  for (guint i = 1; i <= 10; i++)
    {
      g_autofree char *sku = g_strdup_printf ("EC-%05u", i);
      test_ledger_add_variant (&f->t, sku, "Demo", 1000, 0);
    }
  test_ledger_add_variant (&f->t, "LOCAL-ONLY", "Ours alone", 500, 0);

  /* Pages of 7: 30 products take 5 requests. */
  cp_ecomv2_connector_set_page_size (CP_ECOMV2_CONNECTOR (f->connector), 7);
  report = fixture_refresh (f);
  g_assert_cmpuint (fixture_requests (f, "GET /products"), ==, 5);

  g_assert_cmpuint (report->matched->len, ==, 10);
  g_assert_true (str_array_contains (report->matched, "EC-00001"));
  g_assert_cmpuint (report->unmatched_local->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (report->unmatched_local, 0), ==, "LOCAL-ONLY");
  g_assert_true (str_array_contains (report->unmatched_remote, "EC-00011"));
  g_assert_false (str_array_contains (report->unmatched_remote, "EC-00001"));
  g_assert_cmpuint (report->duplicates->len, ==, 0);
  g_assert_cmpuint (report->locations->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (report->locations, 0), ==, "wh_001");

  local = g_strdup_printf ("%" G_GINT64_FORMAT, test_ledger_variant_id (&f->t, "EC-00003"));
  remote = cp_integrations_get_remote_id (f->t.ledger, f->t.integration_id, "variant", local, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (remote, ==, "prod_0003");
  /* One location on each side's first: linked automatically. */
  warehouse = cp_integrations_get_remote_id (f->t.ledger, f->t.integration_id, "location",
                                             "MAIN", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (warehouse, ==, "wh_001");
}

static gint64
set_stock (Fixture    *f,
           const char *sku,
           const char *location,
           gint64      on_hand,
           gint64      safety)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpStockLevel) level = cp_stock_get (f->t.ledger, sku, location, &error);
  gint64 delta;

  g_assert_no_error (error);
  delta = on_hand - (level != NULL ? level->on_hand : 0);
  if (delta != 0)
    cp_stock_adjust (f->t.ledger, sku, location, delta, CP_STOCK_REASON_COUNT,
                     NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  cp_stock_set_safety (f->t.ledger, sku, location, safety, &error);
  g_assert_no_error (error);
  return test_ledger_variant_id (&f->t, sku);
}

static GPtrArray *
stock_jobs (Fixture    *f,
            const char *first_sku,
            ...)
{
  GPtrArray *jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);
  va_list args;

  va_start (args, first_sku);
  for (const char *sku = first_sku; sku != NULL; sku = va_arg (args, const char *))
    {
      g_autofree char *payload = g_strdup_printf ("{\"variant_id\":%" G_GINT64_FORMAT "}",
                                                  test_ledger_variant_id (&f->t, sku));
      g_ptr_array_add (jobs, test_job_new (jobs->len + 1, CP_JOB_STOCK_PUSH, payload));
    }
  va_end (args);
  return jobs;
}

static void
test_push_stock (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) errors = test_errors_new ();
  g_autoptr(GError) error = NULL;
  gint64 reserve_id;

  test_ledger_add_variant (&f->t, "EC-00001", "Demo 1", 1000, 0);
  test_ledger_add_variant (&f->t, "EC-00002", "Demo 2", 1000, 0);
  test_ledger_add_variant (&f->t, "LOCAL-ONLY", "Ours alone", 500, 0);
  report = fixture_refresh (f);

  /* available = on_hand − reserved − safety, read at send time */
  reserve_id = set_stock (f, "EC-00001", "MAIN", 20, 2);
  cp_stock_reserve_ids (f->t.ledger, reserve_id, 1, 3, &error);
  g_assert_no_error (error);
  set_stock (f, "EC-00002", "MAIN", 1, 5);   /* below safety: 0, never negative */

  jobs = stock_jobs (f, "EC-00001", "EC-00002", "LOCAL-ONLY", NULL);
  g_assert_true (cp_connector_push (f->connector, f->t.ledger, f->context, CP_JOB_STOCK_PUSH,
                                    jobs, errors, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_null (g_ptr_array_index (errors, i));

  g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->fake, "EC-00001", "wh_001"), ==, 15);
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->fake, "EC-00002", "wh_001"), ==, 0);
  /* One request for the batch, announced first with the jobs it carries
   * (the unmapped SKU is not on this store: nothing to send for it). */
  g_assert_cmpuint (fixture_requests (f, "PATCH /batch/update"), ==, 1);
  g_assert_cmpuint (f->ws.calls, ==, 1);
  g_assert_cmpuint (g_array_index (f->ws.job_counts, guint, 0), ==, 2);
  /* MD5 in hex (cp-ecomv2-push.c's fingerprint ()). */
  g_assert_cmpuint (strlen (g_ptr_array_index (f->ws.fingerprints, 0)), ==, 32);

  /* When the engine cannot record the fingerprint, nothing is sent. */
  f->ws.refuse = TRUE;
  g_ptr_array_set_size (errors, 0);
  g_assert_false (cp_connector_push (f->connector, f->t.ledger, f->context, CP_JOB_STOCK_PUSH,
                                     jobs, errors, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (errors->len, ==, 0);
  g_assert_cmpuint (fixture_requests (f, "PATCH /batch/update"), ==, 1);
}

static void
test_push_stock_bad_record (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) errors = test_errors_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *local = NULL;
  GError *bad;

  test_ledger_add_variant (&f->t, "EC-00001", "Demo 1", 1000, 7);
  test_ledger_add_variant (&f->t, "EC-00002", "Demo 2", 1000, 8);
  test_ledger_add_variant (&f->t, "EC-00003", "Demo 3", 1000, 9);
  report = fixture_refresh (f);

  /* EC-00002 now points at a product the store deleted. */
  local = g_strdup_printf ("%" G_GINT64_FORMAT, test_ledger_variant_id (&f->t, "EC-00002"));
  cp_integrations_set_mapping (f->t.ledger, f->t.integration_id, "variant", local,
                               "prod_9999", NULL, &error);
  g_assert_no_error (error);

  jobs = stock_jobs (f, "EC-00001", "EC-00002", "EC-00003", NULL);
  g_assert_true (cp_connector_push (f->connector, f->t.ledger, f->context, CP_JOB_STOCK_PUSH,
                                    jobs, errors, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 3);
  g_assert_null (g_ptr_array_index (errors, 0));
  g_assert_null (g_ptr_array_index (errors, 2));
  bad = g_ptr_array_index (errors, 1);
  g_assert_error (bad, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (bad->message, "EC-00002"));
  g_assert_nonnull (cp_connector_error_get_exchange (bad));
  g_assert_null (strstr (cp_connector_error_get_exchange (bad), TEST_KEY));

  g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->fake, "EC-00001", "wh_001"), ==, 7);
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->fake, "EC-00003", "wh_001"), ==, 9);
}

static void
test_push_stock_locations (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) errors = test_errors_new ();
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);
  g_autoptr(GError) error = NULL;

  cp_locations_add (f->t.ledger, "BACK", "Back room", "USD", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= 30; i++)
    {
      g_autofree char *sku = g_strdup_printf ("EC-%05u", i);
      test_ledger_add_variant (&f->t, sku, "Demo", 1000, i);
    }
  report = fixture_refresh (f);

  /* Two locations and no link: a person must say which is which. */
  jobs = stock_jobs (f, "EC-00001", NULL);
  g_assert_false (cp_connector_push (f->connector, f->t.ledger, f->context, CP_JOB_STOCK_PUSH,
                                     jobs, errors, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "--location"));
  g_clear_error (&error);

  cp_integrations_set_mapping (f->t.ledger, f->t.integration_id, "location", "MAIN", "wh_002", NULL, &error);
  g_assert_no_error (error);
  cp_integrations_set_mapping (f->t.ledger, f->t.integration_id, "location", "BACK", "wh_003", NULL, &error);
  g_assert_no_error (error);
  set_stock (f, "EC-00001", "BACK", 40, 0);

  /* 30 jobs × 2 warehouses = 60 updates: one request. */
  for (guint i = 1; i <= 30; i++)
    {
      g_autofree char *sku = g_strdup_printf ("EC-%05u", i);
      g_autofree char *payload = g_strdup_printf ("{\"variant_id\":%" G_GINT64_FORMAT "}",
                                                  test_ledger_variant_id (&f->t, sku));
      g_ptr_array_add (many, test_job_new (i, CP_JOB_STOCK_PUSH, payload));
    }
  g_assert_true (cp_connector_push (f->connector, f->t.ledger, f->context, CP_JOB_STOCK_PUSH,
                                    many, errors, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->fake, "EC-00001", "wh_002"), ==, 1);
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->fake, "EC-00001", "wh_003"), ==, 40);
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->fake, "EC-00030", "wh_002"), ==, 30);
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->fake, "EC-00030", "wh_003"), ==, 0);
  g_assert_cmpuint (fixture_requests (f, "PATCH /batch/update"), ==, 1);
}

static void
test_push_stock_split (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GPtrArray) errors = test_errors_new ();
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);
  g_autoptr(GError) error = NULL;

  /* Three warehouses linked from three locations: 60 jobs make 180
   * updates, which go in two requests of at most 100 (33 + 27 jobs). */
  cp_locations_add (f->t.ledger, "B", "B", "USD", NULL, &error);
  g_assert_no_error (error);
  cp_locations_add (f->t.ledger, "C", "C", "USD", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= 30; i++)
    {
      g_autofree char *sku = g_strdup_printf ("EC-%05u", i);
      g_autofree char *payload = NULL;
      gint64 id = test_ledger_add_variant (&f->t, sku, "Demo", 1000, 1);

      payload = g_strdup_printf ("{\"variant_id\":%" G_GINT64_FORMAT "}", id);
      /* each twice: the engine would coalesce, the connector must cope */
      g_ptr_array_add (jobs, test_job_new (2 * i, CP_JOB_STOCK_PUSH, payload));
      g_ptr_array_add (jobs, test_job_new (2 * i + 1, CP_JOB_STOCK_PUSH, payload));
    }
  report = fixture_refresh (f);
  cp_integrations_set_mapping (f->t.ledger, f->t.integration_id, "location", "MAIN", "wh_001", NULL, &error);
  cp_integrations_set_mapping (f->t.ledger, f->t.integration_id, "location", "B", "wh_002", NULL, &error);
  cp_integrations_set_mapping (f->t.ledger, f->t.integration_id, "location", "C", "wh_003", NULL, &error);
  g_assert_no_error (error);

  g_assert_true (cp_connector_push (f->connector, f->t.ledger, f->context, CP_JOB_STOCK_PUSH,
                                    jobs, errors, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 60);
  g_assert_cmpuint (fixture_requests (f, "PATCH /batch/update"), ==, 2);
  /* Both PATCHes (they set values, so may be resent) went over the
   * connection the catalog read opened: no handshake per batch. */
  g_assert_cmpuint (cp_sandbox_server_get_connection_count (f->server), ==, 1);
  g_assert_cmpuint (f->ws.calls, ==, 2);
  g_assert_cmpuint (g_array_index (f->ws.job_counts, guint, 0), ==, 33);
  g_assert_cmpuint (g_array_index (f->ws.job_counts, guint, 1), ==, 27);
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->fake, "EC-00030", "wh_003"), ==, 0);
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->fake, "EC-00030", "wh_001"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/ecomv2/sandbox/" path, Fixture, NULL, sandbox_fixture_setup, func, sandbox_fixture_teardown)

  ADD ("registry", test_registry);
  ADD ("credentials", test_credentials);
  ADD ("mapping", test_mapping);
  ADD ("push-stock", test_push_stock);
  ADD ("push-stock-bad-record", test_push_stock_bad_record);
  ADD ("push-stock-locations", test_push_stock_locations);
  ADD ("push-stock-split", test_push_stock_split);

#undef ADD

  return g_test_run ();
}
