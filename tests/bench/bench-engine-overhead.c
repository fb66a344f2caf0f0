/* bench-engine-overhead.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 3's "Engine overhead": 100,000 stock changes, coalesced and
 * pushed to the ecomv2 fake with no rate limit and no latency. The
 * changes fall on 50,000 SKUs, two each, so the outbox must coalesce
 * them into 50,000 pushes of the latest value: N = 50,000 pushed items,
 * whose minimum is ⌈N / 100⌉ requests (the seed's batch of 100).
 *
 * Figures: CPU µs per pushed item — the process's CPU time less the
 * fake's server thread, so the engine's worker, its HTTP client and the
 * ledger, not the platform — and requests issued ÷ ⌈N / 100⌉.
 * Goals: ≤ 20 µs per item, ≤ 1.02 × the minimum.
 */

#define G_LOG_DOMAIN "cp-bench"

#include "config.h"


#include "bench-engine-common.h"

#define CHANGES     100000
#define PER_SKU     2
#define BATCH       100

int
main (int    argc,
      char **argv)
{
  static const char * const permissions[] = { "inventory.sync", NULL };
  CpBenchConfig config;
  BenchShop shop;
  g_autofree char *line = NULL;
  g_autofree char *items_text = NULL;
  g_autofree char *changes_text = NULL;
  guint64 n_changes, n_skus, n_items, minimum;
  gint64 cpu, wall, done, pending, dead;
  guint requests, batches;
  CpEngineOutcome outcome;
  double per_item, ratio;

  cp_bench_config_init (&config, argc, argv);
  n_changes = cp_bench_scaled (&config, CHANGES, 2 * PER_SKU * BATCH + PER_SKU);
  n_skus = n_changes / PER_SKU;
  n_changes = n_skus * PER_SKU;

  bench_shop_set_up (&shop, &config, n_skus, FALSE, permissions);

  /* Each SKU twice, the second pass after the first. */
  for (guint pass = 0; pass < PER_SKU; pass++)
    bench_shop_receive_all (&shop, pass);

  if (bench_shop_count_jobs (&shop, "pending") != (gint64) n_skus)
    cp_bench_fail ("%" G_GUINT64_FORMAT " changes to %" G_GUINT64_FORMAT " SKUs left %"
                   G_GINT64_FORMAT " jobs, not one per SKU", n_changes, n_skus,
                   bench_shop_count_jobs (&shop, "pending"));

  cp_sandbox_server_reset_counters (shop.server);
  wall = g_get_monotonic_time ();
  cpu = bench_engine_cpu_us ();
  outcome = bench_shop_sync (&shop, 600 * G_USEC_PER_SEC);
  cpu = bench_engine_cpu_us () - cpu;
  wall = g_get_monotonic_time () - wall;

  done = bench_shop_count_jobs (&shop, "done");
  pending = bench_shop_count_jobs (&shop, "pending");
  dead = bench_shop_count_jobs (&shop, "dead");
  if (outcome != CP_ENGINE_OUTCOME_DONE || done != (gint64) n_skus || pending != 0 || dead != 0)
    cp_bench_fail ("the sync ended with outcome %d: %" G_GINT64_FORMAT " done, %" G_GINT64_FORMAT
                   " pending, %" G_GINT64_FORMAT " dead of %" G_GUINT64_FORMAT,
                   outcome, done, pending, dead, n_skus);
  bench_shop_check_stock (&shop);

  requests = cp_sandbox_server_get_request_count (shop.server, NULL);
  batches = cp_sandbox_server_get_request_count (shop.server, "ecomv2 PATCH /batch/update");
  n_items = n_skus;
  minimum = (n_items + BATCH - 1) / BATCH;
  per_item = (double) cpu / n_items;
  ratio = (double) requests / minimum;
  items_text = cp_bench_thousands (n_items);
  changes_text = cp_bench_thousands (n_changes);

  line = g_strdup_printf ("engine-overhead: %s changes → %s pushed items in %.2f s: "
                          "%.1f µs CPU per item (goal ≤ 20); %u requests (%u batch updates) "
                          "= %.3f × the minimum %" G_GUINT64_FORMAT " (goal ≤ 1.02)",
                          changes_text, items_text, wall / 1e6,
                          per_item, requests, batches, ratio, minimum);
  cp_bench_report (&config, line);
  if (g_getenv ("CP_BENCH_ENDPOINTS") != NULL)
    {
      g_auto(GStrv) endpoints = cp_sandbox_server_dup_endpoints (shop.server);

      for (guint i = 0; endpoints[i] != NULL; i++)
        g_print ("  %s: %u\n", endpoints[i], cp_sandbox_server_get_request_count (shop.server, endpoints[i]));
    }

  bench_shop_tear_down (&shop);
  return 0;
}
