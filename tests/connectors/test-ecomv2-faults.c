/* test-ecomv2-faults.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every fault the sandbox can inject, classified as the engine needs it:
 * what to retry, after how long, and what needs a person. And the
 * platform's own rate limit, which the connector learns from the
 * X-RateLimit-* headers and keeps to without drawing a 429.
 */

#include "config.h"

#include <string.h>

#include "cp-ecomv2-connector.h"
#include "cp-outbox.h"

#include "ecomv2-test-util.h"

typedef SandboxFixture Fixture;

static GError *
run_test (Fixture *f)
{
  GError *error = NULL;

  g_assert_false (cp_connector_test (f->connector, NULL, NULL, &error));
  g_assert_nonnull (error);
  return error;
}

static void
assert_has_exchange (const GError *error)
{
  const char *exchange = cp_connector_error_get_exchange (error);

  g_assert_nonnull (exchange);
  g_assert_nonnull (strstr (exchange, "\"request\""));
  g_assert_nonnull (strstr (exchange, "/products"));
  g_assert_null (strstr (exchange, TEST_KEY));
}

static void
test_5xx (Fixture       *f,
          gconstpointer  data)
{
  CpSandboxFaults *faults = cp_sandbox_server_get_faults (f->server);

  /* The fake alternates 503 and 500. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;

      cp_sandbox_faults_force (faults, CP_SANDBOX_FAULT_5XX, 1);
      error = run_test (f);
      g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_TRANSIENT);
      g_assert_true (cp_connector_error_is_retryable (error));
      assert_has_exchange (error);
      g_assert_nonnull (strstr (cp_connector_error_get_exchange (error), "server_error"));
    }
  /* And then it works again. */
  g_assert_true (cp_connector_test (f->connector, NULL, NULL, NULL));
}

static void
test_429_retry_after (Fixture       *f,
                      gconstpointer  data)
{
  CpSandboxFaults *faults = cp_sandbox_server_get_faults (f->server);
  CpRateLimiter *limiter = cp_connector_get_rate_limiter (f->connector);
  CpSandboxFaultSpec spec = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again = NULL;
  gint64 before = g_get_monotonic_time ();
  guint sent;

  g_assert_true (cp_sandbox_fault_spec_parse ("retry_after=7", &spec, NULL));
  cp_sandbox_faults_set_spec (faults, &spec);
  cp_sandbox_faults_force (faults, CP_SANDBOX_FAULT_429, 1);

  error = run_test (f);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_RATE_LIMITED);
  g_assert_cmpint (cp_connector_error_get_wait_us (error), ==, 7 * G_USEC_PER_SEC);
  assert_has_exchange (error);
  /* The limiter holds the wait too, so nothing goes before it ends. */
  g_assert_cmpint (cp_rate_limiter_get_blocked_until (limiter), >=, before + 7 * G_USEC_PER_SEC);

  sent = cp_sandbox_server_get_request_count (f->server, NULL);
  again = run_test (f);
  g_assert_error (again, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_RATE_LIMITED);
  g_assert_cmpint (cp_connector_error_get_wait_us (again), >, 0);
  g_assert_cmpint (cp_connector_error_get_wait_us (again), <=, 7 * G_USEC_PER_SEC);
  g_assert_cmpuint (cp_sandbox_server_get_request_count (f->server, NULL), ==, sent);
}

static void
test_reset_truncate_malformed (Fixture       *f,
                               gconstpointer  data)
{
  CpSandboxFaults *faults = cp_sandbox_server_get_faults (f->server);
  const CpSandboxFault kinds[] = {
    CP_SANDBOX_FAULT_RESET, CP_SANDBOX_FAULT_TRUNCATE, CP_SANDBOX_FAULT_MALFORMED,
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("fault %s", cp_sandbox_fault_to_string (kinds[i]));
      cp_sandbox_faults_force (faults, kinds[i], 1);
      error = run_test (f);
      g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_TRANSIENT);
      g_assert_cmpint (cp_connector_error_get_wait_us (error), ==, 0);
      g_assert_nonnull (cp_connector_error_get_exchange (error));
    }
  g_assert_true (cp_connector_test (f->connector, NULL, NULL, NULL));
}

static void
test_fault_in_push (Fixture       *f,
                    gconstpointer  data)
{
  CpSandboxFaults *faults = cp_sandbox_server_get_faults (f->server);
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);
  g_autoptr(GPtrArray) errors = test_errors_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  gint64 id = test_ledger_add_variant (&f->t, "EC-00005", "Demo", 1000, 4);

  report = fixture_refresh (f);
  payload = g_strdup_printf ("{\"variant_id\":%" G_GINT64_FORMAT "}", id);
  g_ptr_array_add (jobs, test_job_new (1, CP_JOB_STOCK_PUSH, payload));

  /* Applied, then the connection dropped: the whole request failed, no
   * per-job results; sending again sets the same absolute level. */
  cp_sandbox_faults_force (faults, CP_SANDBOX_FAULT_RESET, 1);
  g_assert_false (cp_connector_push (f->connector, f->t.ledger, f->context, CP_JOB_STOCK_PUSH,
                                     jobs, errors, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_TRANSIENT);
  g_assert_cmpuint (errors->len, ==, 0);
  g_clear_error (&error);

  g_assert_true (cp_connector_push (f->connector, f->t.ledger, f->context, CP_JOB_STOCK_PUSH,
                                    jobs, errors, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->fake, "EC-00005", "wh_001"), ==, 4);
  g_assert_cmpuint (cp_sandbox_server_get_n_duplicate_effects (f->server), ==, 0);
}

static void
test_platform_rate_limit (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* 3 requests a minute, no burst: the connector learns it from the
   * first answers and stops itself before the platform has to say 429. */
  cp_sandbox_ecomv2_set_rate_limit (f->fake, 3, 60);
  cp_sandbox_ecomv2_set_burst_factor (f->fake, 1);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (cp_connector_test (f->connector, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  error = run_test (f);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_RATE_LIMITED);
  g_assert_cmpint (cp_connector_error_get_wait_us (error), >, 0);
  g_assert_cmpint (cp_connector_error_get_wait_us (error), <=, 61 * G_USEC_PER_SEC);
  g_assert_cmpuint (fixture_requests (f, "GET /products"), ==, 3);
  g_assert_cmpuint (cp_sandbox_server_get_fault_count (f->server, CP_SANDBOX_FAULT_429), ==, 0);
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (cp_connector_test (f->connector, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/ecomv2/faults/" path, Fixture, NULL, sandbox_fixture_setup, func, sandbox_fixture_teardown)

  ADD ("5xx", test_5xx);
  ADD ("429-retry-after", test_429_retry_after);
  ADD ("reset-truncate-malformed", test_reset_truncate_malformed);
  ADD ("fault-in-push", test_fault_in_push);
  ADD ("platform-rate-limit", test_platform_rate_limit);
  ADD ("cancelled", test_cancelled);

#undef ADD

  return g_test_run ();
}
