/* test-backoff.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-backoff"

#include "config.h"

#include "cp-backoff.h"

#define SEC ((gint64) G_USEC_PER_SEC)

static void
test_ceiling (void)
{
  g_assert_cmpint (cp_backoff_ceiling_us (SEC, 300 * SEC, 0), ==, SEC);
  g_assert_cmpint (cp_backoff_ceiling_us (SEC, 300 * SEC, 1), ==, 2 * SEC);
  g_assert_cmpint (cp_backoff_ceiling_us (SEC, 300 * SEC, 5), ==, 32 * SEC);
  g_assert_cmpint (cp_backoff_ceiling_us (SEC, 300 * SEC, 8), ==, 256 * SEC);
  g_assert_cmpint (cp_backoff_ceiling_us (SEC, 300 * SEC, 9), ==, 300 * SEC);
  g_assert_cmpint (cp_backoff_ceiling_us (SEC, 256 * SEC, 8), ==, 256 * SEC);

  /* However many attempts, and however large the base, no overflow: the
   * ceiling is the cap. */
  for (guint attempt = 9; attempt < 200; attempt++)
    g_assert_cmpint (cp_backoff_ceiling_us (SEC, 300 * SEC, attempt), ==, 300 * SEC);
  g_assert_cmpint (cp_backoff_ceiling_us (SEC, 300 * SEC, G_MAXUINT), ==, 300 * SEC);
  g_assert_cmpint (cp_backoff_ceiling_us (G_MAXINT64 / 2, G_MAXINT64, 1), ==, G_MAXINT64 - 1);
  g_assert_cmpint (cp_backoff_ceiling_us (G_MAXINT64 / 2, G_MAXINT64, 2), ==, G_MAXINT64);
  g_assert_cmpint (cp_backoff_ceiling_us (3, G_MAXINT64, 61), ==, (gint64) 3 << 61);
  g_assert_cmpint (cp_backoff_ceiling_us (4, G_MAXINT64, 61), ==, G_MAXINT64);
  g_assert_cmpint (cp_backoff_ceiling_us (1, G_MAXINT64, 62), ==, G_MAXINT64);

  /* A cap below the base wins; a zero base never waits. */
  g_assert_cmpint (cp_backoff_ceiling_us (10 * SEC, 5 * SEC, 0), ==, 5 * SEC);
  g_assert_cmpint (cp_backoff_ceiling_us (0, 5 * SEC, 40), ==, 0);
}

static void
test_cap_respected (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint attempt = 0; attempt < 300; attempt++)
    for (guint i = 0; i < 200; i++)
      {
        gint64 ceiling = cp_backoff_ceiling_us (SEC, CP_BACKOFF_DEFAULT_CAP_US, attempt);
        gint64 delay = cp_backoff_delay_us (SEC, CP_BACKOFF_DEFAULT_CAP_US, attempt, rand);

        g_assert_cmpint (delay, >=, 0);
        g_assert_cmpint (delay, <=, ceiling);
        g_assert_cmpint (delay, <=, CP_BACKOFF_DEFAULT_CAP_US);
      }

  /* The largest ceiling there is: still in range, never negative. */
  for (guint i = 0; i < 1000; i++)
    {
      gint64 delay = cp_backoff_delay_us (G_MAXINT64, G_MAXINT64, G_MAXUINT, rand);

      g_assert_cmpint (delay, >=, 0);
    }

  /* Nothing to draw from: no wait. */
  g_assert_cmpint (cp_backoff_delay_us (0, SEC, 3, rand), ==, 0);
}

static void
test_deterministic_with_seed (void)
{
  g_autoptr(GRand) a = g_rand_new_with_seed (42);
  g_autoptr(GRand) b = g_rand_new_with_seed (42);
  g_autoptr(GRand) c = g_rand_new_with_seed (43);
  guint differ = 0;

  for (guint i = 0; i < 100; i++)
    {
      gint64 da = cp_backoff_delay_us (SEC, 300 * SEC, 6, a);
      gint64 db = cp_backoff_delay_us (SEC, 300 * SEC, 6, b);
      gint64 dc = cp_backoff_delay_us (SEC, 300 * SEC, 6, c);

      g_assert_cmpint (da, ==, db);
      differ += da != dc;
    }
  g_assert_cmpuint (differ, >, 90);
}

/* Full jitter, not "ceiling plus a little": 10,000 jobs that failed in the
 * same instant come back spread over the whole range, evenly. */
static void
test_thundering_herd_spread (void)
{
  const guint n_jobs = 10000;
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  struct { guint attempt; gint64 cap_us; guint n_buckets; } cases[] = {
    { 5, 300 * SEC, 33 },    /* ceiling 32 s: buckets 0..32 */
    { 20, 300 * SEC, 301 },  /* capped at 300 s */
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree guint *buckets = g_new0 (guint, cases[c].n_buckets);
      gint64 ceiling = cp_backoff_ceiling_us (SEC, cases[c].cap_us, cases[c].attempt);
      gint64 sum = 0;
      guint busiest = 0;
      guint used = 0;

      for (guint i = 0; i < n_jobs; i++)
        {
          gint64 delay = cp_backoff_delay_us (SEC, cases[c].cap_us, cases[c].attempt, rand);

          g_assert_cmpint (delay, <=, ceiling);
          buckets[delay / SEC]++;
          sum += delay;
        }

      for (guint b = 0; b < cases[c].n_buckets; b++)
        {
          busiest = MAX (busiest, buckets[b]);
          used += buckets[b] > 0;
        }

      /* Evenly spread: the busiest one-second bucket holds at most about
       * twice its fair share, and (nearly) every second gets some. With
       * lockstep retries one bucket would hold all 10,000. */
      g_test_message ("attempt %u: busiest 1-s bucket %u of %u jobs, %u buckets used",
                      cases[c].attempt, busiest, n_jobs, used);
      g_assert_cmpuint (busiest, <=, 2 * n_jobs / (cases[c].n_buckets - 1));
      g_assert_cmpuint (busiest, <, n_jobs / 20);
      g_assert_cmpuint (used, >=, cases[c].n_buckets - 1);

      /* Uniform over [0, ceiling]: the mean is half the ceiling (±3 %). */
      g_assert_cmpfloat ((double) sum / n_jobs, >, 0.47 * ceiling);
      g_assert_cmpfloat ((double) sum / n_jobs, <, 0.53 * ceiling);
    }
}

static void
test_global_rand (void)
{
  gboolean varied = FALSE;
  gint64 first = cp_backoff_delay_us (SEC, 300 * SEC, 10, NULL);

  for (guint i = 0; i < 100 && !varied; i++)
    {
      gint64 delay = cp_backoff_delay_us (SEC, 300 * SEC, 10, NULL);

      g_assert_cmpint (delay, >=, 0);
      g_assert_cmpint (delay, <=, 300 * SEC);
      varied = delay != first;
    }
  g_assert_true (varied);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/backoff/ceiling", test_ceiling);
  g_test_add_func ("/backoff/cap-respected", test_cap_respected);
  g_test_add_func ("/backoff/deterministic-with-seed", test_deterministic_with_seed);
  g_test_add_func ("/backoff/thundering-herd-spread", test_thundering_herd_spread);
  g_test_add_func ("/backoff/global-rand", test_global_rand);

  return g_test_run ();
}
