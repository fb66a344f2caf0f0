/* bench-engine-limits.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 3's "Under limits": 20,000 SKUs pushed through an ecomv2 fake
 * that lets R requests a second through (fixed one-second windows, as
 * the seed's X-RateLimit-Reset describes them, with no burst allowance so
 * that R is the exact ceiling). The 20,000 pushes need at least
 * M = ⌈20,000 / 100⌉ = 200 requests, which R allows in no less than
 * M / R seconds: the floor.
 *
 * Figures: wall time of the sync ÷ the floor, and the 429s the fake's
 * limiter answered. Goals: ≤ 1.10, at most one 429.
 * CP_BENCH_RATE=R sets R (default 20; the smoke run uses 2).
 */

#define G_LOG_DOMAIN "cp-bench"

#include "config.h"

#include <stdlib.h>


#include "bench-engine-common.h"

#define SKUS  20000
#define BATCH 100

int
main (int    argc,
      char **argv)
{
  static const char * const permissions[] = { "inventory.sync", NULL };
  CpBenchConfig config;
  BenchShop shop;
  g_autofree char *line = NULL;
  g_autofree char *skus_text = NULL;
  const char *rate_text = g_getenv ("CP_BENCH_RATE");
  guint64 n_skus, minimum, rate;
  gint64 wall, done;
  guint requests, n_429;
  CpEngineOutcome outcome;
  double floor_s, ratio;

  cp_bench_config_init (&config, argc, argv);
  n_skus = cp_bench_scaled (&config, SKUS, 5 * BATCH);
  rate = config.smoke ? 2 : 20;
  if (rate_text != NULL && *rate_text != '\0' &&
      !g_ascii_string_to_unsigned (rate_text, 10, 1, 10000, &rate, NULL))
    {
      g_printerr ("CP_BENCH_RATE=%s is not a number of requests per second\n", rate_text);
      return 2;
    }

  bench_shop_set_up (&shop, &config, n_skus, FALSE, permissions);

  bench_shop_receive_all (&shop, 0);

  cp_sandbox_ecomv2_set_rate_limit (shop.fake, rate, 1);
  cp_sandbox_ecomv2_set_burst_factor (shop.fake, 1);
  cp_sandbox_server_reset_counters (shop.server);

  /* Start as the fake's window does (on a whole second of its clock), so
   * the figure does not depend on where in a window the sync happened to
   * begin: a start late in a window would get that window's R requests
   * for a fraction of a second and flatter the ratio. */
  g_usleep (G_USEC_PER_SEC - g_get_real_time () % G_USEC_PER_SEC);

  wall = g_get_monotonic_time ();
  outcome = bench_shop_sync (&shop, G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  wall = g_get_monotonic_time () - wall;

  done = bench_shop_count_jobs (&shop, "done");
  if (outcome != CP_ENGINE_OUTCOME_DONE || done != (gint64) n_skus)
    cp_bench_fail ("the sync ended with outcome %d, %" G_GINT64_FORMAT " of %" G_GUINT64_FORMAT
                   " pushes done", outcome, done, n_skus);
  bench_shop_check_stock (&shop);

  requests = cp_sandbox_server_get_request_count (shop.server, NULL);
  n_429 = cp_sandbox_ecomv2_get_n_rate_limited (shop.fake);
  minimum = (n_skus + BATCH - 1) / BATCH;
  floor_s = (double) minimum / rate;
  ratio = wall / 1e6 / floor_s;
  skus_text = cp_bench_thousands (n_skus);

  /* The first window's R requests pass at once, so a client that keeps
   * exactly to the limit ends (⌈M / R⌉ − 1) s after it starts plus the
   * time its last window's requests take: a ratio a little under 1 is
   * the limit used in full, not a sign of a broken limit. */
  line = g_strdup_printf ("engine-limits: %s SKUs at %" G_GUINT64_FORMAT " requests/s: %.2f s "
                          "= %.3f × the floor M / R = %.2f s (M = %" G_GUINT64_FORMAT
                          " requests; with the first window's at once, %" G_GUINT64_FORMAT
                          " s; goal ≤ 1.10); %u requests sent, %u answered 429 (goal ≤ 1)",
                          skus_text, rate, wall / 1e6, ratio, floor_s, minimum,
                          (minimum + rate - 1) / rate - 1, requests, n_429);
  cp_bench_report (&config, line);

  bench_shop_tear_down (&shop);
  return 0;
}
