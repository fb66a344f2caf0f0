/* test-shopify-faults.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Shopify connector under the sandbox's injected faults: each comes
 * back classified as the engine needs it (retry, wait, or a person), with
 * the redacted exchange and never the token; and a push cut off after
 * Shopify applied it is resent as the same @idempotent mutation.
 */

#include "config.h"

#include <string.h>

#include "cp-outbox.h"

#include "shopify-test-util.h"

typedef ShopifyFixture Fixture;

static GError *
run_test (Fixture *f)
{
  GError *error = NULL;

  g_assert_false (cp_connector_test (f->connector, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN));
  if (cp_connector_error_get_exchange (error) != NULL)
    g_assert_null (strstr (cp_connector_error_get_exchange (error), CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN));
  return error;
}

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  CpSandboxFaults *faults = cp_sandbox_server_get_faults (f->server);
  static const struct { CpSandboxFault fault; CpConnectorError code; } cases[] = {
    { CP_SANDBOX_FAULT_5XX, CP_CONNECTOR_ERROR_TRANSIENT },
    { CP_SANDBOX_FAULT_RESET, CP_CONNECTOR_ERROR_TRANSIENT },
    { CP_SANDBOX_FAULT_TRUNCATE, CP_CONNECTOR_ERROR_TRANSIENT },
    { CP_SANDBOX_FAULT_MALFORMED, CP_CONNECTOR_ERROR_TRANSIENT },
    { CP_SANDBOX_FAULT_429, CP_CONNECTOR_ERROR_RATE_LIMITED },
  };
  g_autoptr(CpRateLimiter) fresh = NULL;

  /* A 429 is waited out inline only when short; here it goes back. */
  cp_shopify_connector_set_max_inline_wait (CP_SHOPIFY_CONNECTOR (f->connector), 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      cp_sandbox_faults_force (faults, cases[i].fault, 1);
      error = run_test (f);
      g_assert_error (error, CP_CONNECTOR_ERROR, cases[i].code);
      g_assert_true (cp_connector_error_is_retryable (error));
      if (cases[i].fault == CP_SANDBOX_FAULT_429)
        g_assert_cmpint (cp_connector_error_get_wait_us (error), >, 0);
    }
  /* The 429's Retry-After holds the next request back here too, */
  {
    g_autoptr(GError) error = run_test (f);

    g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_RATE_LIMITED);
  }
  /* and once it is over, the request goes through. */
  fresh = cp_rate_limiter_new (1000, 100, g_get_monotonic_time ());
  cp_shopify_connector_set_rate_limiter (CP_SHOPIFY_CONNECTOR (f->connector), fresh);
  g_assert_true (cp_connector_test (f->connector, NULL, NULL, NULL));
}

static void
test_reset_after_apply (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = shopify_fixture_refresh (f);
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);
  g_autoptr(GPtrArray) errors = test_errors_new ();
  g_autoptr(GPtrArray) errors2 = test_errors_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = g_strdup_printf ("{\"variant_id\":%" G_GINT64_FORMAT "}",
                                              test_ledger_variant_id (&f->t, "EC-00002"));
  CpOutboxJob *job = test_job_new (1, CP_JOB_STOCK_PUSH, payload);

  job->idempotency_key = g_strdup ("reset-key");
  g_ptr_array_add (jobs, job);

  /* Shopify applies the mutation, then the connection drops. */
  cp_sandbox_faults_force (cp_sandbox_server_get_faults (f->server), CP_SANDBOX_FAULT_RESET, 1);
  g_assert_false (cp_connector_push (f->connector, f->t.ledger, f->context, CP_JOB_STOCK_PUSH,
                                     jobs, errors, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_TRANSIENT);
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00002", 0), ==, 7);
  g_clear_error (&error);

  /* The engine sends the job again: the same key, so Shopify answers
   * the first result and applies nothing a second time. */
  g_assert_true (cp_connector_push (f->connector, f->t.ledger, f->context, CP_JOB_STOCK_PUSH,
                                    jobs, errors2, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (g_ptr_array_index (errors2, 0));
  g_assert_cmpuint (cp_sandbox_shopify_get_n_mutations (f->fake), ==, 1);
  g_assert_cmpuint (cp_sandbox_server_get_n_duplicate_effects (f->server), ==, 0);
  g_assert_cmpuint (f->ws.calls, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->ws.fingerprints, 0), ==, g_ptr_array_index (f->ws.fingerprints, 1));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/shopify/faults/classified", Fixture, NULL, shopify_fixture_setup, test_faults,
              shopify_fixture_teardown);
  g_test_add ("/shopify/faults/reset-after-apply", Fixture, NULL, shopify_fixture_setup,
              test_reset_after_apply, shopify_fixture_teardown);
  return g_test_run ();
}
