/* test-faults-converge.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 3, "Bad input and faults": with every fault of the ecomv2 fake
 * switched on at once — 10 % 5xx, 5 % 429 with Retry-After, 2 % connection
 * resets, 1 % truncated bodies, latency spikes — `counterpart-cli sync
 * --once` still converges with nothing lost or doubled, and every failure
 * it met is in the activity log.
 */

#define G_LOG_DOMAIN "test-crash"

#include "config.h"

#include "crash-fixture.h"

#define ALL_FAULTS "5xx=0.1,429=0.05,reset=0.02,truncate=0.01,spike=0.05:300ms,retry_after=1"

static guint
injected_failures (CrashFixture *f)
{
  return cp_sandbox_server_get_fault_count (f->server, CP_SANDBOX_FAULT_5XX) +
         cp_sandbox_server_get_fault_count (f->server, CP_SANDBOX_FAULT_429) +
         cp_sandbox_server_get_fault_count (f->server, CP_SANDBOX_FAULT_RESET) +
         cp_sandbox_server_get_fault_count (f->server, CP_SANDBOX_FAULT_TRUNCATE) +
         cp_sandbox_server_get_fault_count (f->server, CP_SANDBOX_FAULT_MALFORMED);
}

static const CpSandboxFault forced[] = {
  CP_SANDBOX_FAULT_RESET,
  CP_SANDBOX_FAULT_TRUNCATE,
  CP_SANDBOX_FAULT_MALFORMED,
  CP_SANDBOX_FAULT_RESET,
  CP_SANDBOX_FAULT_TRUNCATE,
  CP_SANDBOX_FAULT_429,
};

static void
test_all_faults (void)
{
  CrashFixture f;
  g_autofree char *spec = NULL;
  guint events_before, events, faults;
  GError *error = NULL;

  if (!crash_require_keyring ())
    return;

  crash_fixture_set_up (&f, 200, 4242);
  spec = g_strdup_printf ("%s,seed=%u", ALL_FAULTS, 4242);
  events_before = crash_count_failure_events (&f);

  /* Rounds of work, each synced under every fault at once; a round
   * converges when one sync --once ends with everything done (exit 0).
   * At these rates a few hundred requests may draw no reset or truncated
   * body at all, so each round also forces one rare fault on its first
   * request: every kind is met at least once. */
  for (guint round = 0; round < G_N_ELEMENTS (forced); round++)
    {
      CrashRunOptions options = {
        .max_wait_s = 120,
        .concurrent_changes = 20,
        .concurrent_orders = 5,
      };
      CrashRun run;

      crash_add_stock_changes (&f, 150);
      crash_add_orders (&f, 80);

      cp_sandbox_faults_set_from_string (cp_sandbox_server_get_faults (f.server), spec, &error);
      g_assert_no_error (error);
      cp_sandbox_faults_force (cp_sandbox_server_get_faults (f.server), forced[round], 1);
      crash_sync (&f, &options, &run);
      cp_sandbox_faults_set_from_string (cp_sandbox_server_get_faults (f.server), "none", &error);
      g_assert_no_error (error);

      if (!run.exited || run.exit_status != 0)
        g_error ("Round %u: sync --once under all faults ended with %s %d. Its stderr:\n%s",
                 round, run.exited ? "exit" : "signal", run.exit_status, f.err);
      crash_run_clear (&run);
    }

  crash_assert_converged (&f);

  /* Every injected failure reached the engine as a failed request, and
   * each one must be in the activity log for whoever supports the shop. */
  faults = injected_failures (&f);
  events = crash_count_failure_events (&f) - events_before;
  g_test_message ("%u requests, faults: %u 5xx, %u 429, %u resets, %u truncated, %u malformed; "
                  "%u failure events in the activity log; %" G_GUINT64_FORMAT
                  " stock changes and %u orders converged",
                  cp_sandbox_server_get_request_count (f.server, NULL),
                  cp_sandbox_server_get_fault_count (f.server, CP_SANDBOX_FAULT_5XX),
                  cp_sandbox_server_get_fault_count (f.server, CP_SANDBOX_FAULT_429),
                  cp_sandbox_server_get_fault_count (f.server, CP_SANDBOX_FAULT_RESET),
                  cp_sandbox_server_get_fault_count (f.server, CP_SANDBOX_FAULT_TRUNCATE),
                  cp_sandbox_server_get_fault_count (f.server, CP_SANDBOX_FAULT_MALFORMED),
                  events, f.n_changes, f.n_orders);
  for (CpSandboxFault kind = CP_SANDBOX_FAULT_5XX; kind <= CP_SANDBOX_FAULT_MALFORMED; kind++)
    g_assert_cmpuint (cp_sandbox_server_get_fault_count (f.server, kind), >, 0);
  g_assert_cmpuint (events, >=, faults);

  crash_fixture_tear_down (&f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  crash_fixture_init (argc, argv);

  g_test_add_func ("/crash/all-faults-converge", test_all_faults);

  return g_test_run ();
}
