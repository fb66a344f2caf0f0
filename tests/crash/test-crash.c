/* test-crash.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Crash safety (issue 3, "Bad input and faults"): `counterpart-cli sync
 * --once` is killed with SIGKILL over and over while it pushes thousands
 * of stock changes to the ecomv2 fake and pulls its orders — at every
 * named crash point of the engine, and at ≥ 100 random places (a random
 * named point through CP_CRASH_RANDOM, or a SIGKILL from outside after a
 * random delay). After a last run to completion nothing may be lost or
 * doubled: the platform's stock is the ledger's, each order is in the
 * ledger once, the platform applied no effect twice, the outbox is empty
 * and the ledger passes its integrity check.
 *
 * The scale is set by the environment, small by default so that the
 * suite stays quick under ASan:
 *   CP_CRASH_FULL=1     the full size (2,000 SKUs, 300 random kills;
 *                       the default is 400 SKUs — 200 under CP_SANITIZED=1
 *                       — and 100 kills)
 *   CP_CRASH_SKUS=N     SKUs in the shop
 *   CP_CRASH_KILLS=N    random kills that must land
 *   CP_CRASH_SEED=N     the seed of every random choice (printed)
 */

#define G_LOG_DOMAIN "test-crash"

#include "config.h"

#include <string.h>

#include "cp-crash-point.h"

#include "crash-fixture.h"

/* The kills in a row before a run is let finish: a job in flight at a
 * kill is requeued with one more attempt, and the outbox declares a job
 * dead after 8, so an endless row of kills would legitimately kill jobs. */
#define MAX_KILLS_IN_A_ROW 3

static const char * const named_points[] = {
  CP_CRASH_POINT_AFTER_CLAIM,
  CP_CRASH_POINT_AFTER_SEND_BEFORE_RECORD,
  CP_CRASH_POINT_MID_BATCH_COMMIT,
  CP_CRASH_POINT_AFTER_RESPONSE_BEFORE_COMMIT,
};

typedef struct
{
  guint    n_skus;
  guint    n_kills;
  guint32  seed;
  guint    changes_per_run;  /* before each run, up to */
  guint    orders_per_run;
} Scale;

static Scale scale;

typedef struct
{
  CrashFixture  f;
  guint         kills_in_a_row;
  guint         n_runs;
  guint         n_kills;
  guint         n_clean;
  gint64        clean_us;     /* total time of the clean runs */
  GHashTable   *points;       /* crash point → times it fired */
} Harness;

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *text = g_getenv (name);
  guint64 value;

  if (text == NULL || *text == '\0')
    return fallback;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &value, NULL))
    g_error ("%s=%s is not a positive whole number", name, text);
  return (guint) value;
}

static void
scale_init (void)
{
  gboolean full = g_strcmp0 (g_getenv ("CP_CRASH_FULL"), "1") == 0;
  /* Under ASan every run costs several times more: fewer SKUs, the same
   * number of kills (the issue's ≥ 100). */
  gboolean sanitized = g_strcmp0 (g_getenv ("CP_SANITIZED"), "1") == 0;

  scale.n_skus = env_uint ("CP_CRASH_SKUS", full ? 2000 : sanitized ? 200 : 400);
  scale.n_kills = env_uint ("CP_CRASH_KILLS", full ? 300 : 100);
  scale.seed = env_uint ("CP_CRASH_SEED", 20261123);
  scale.changes_per_run = full ? 120 : 30;
  scale.orders_per_run = full ? 40 : 12;
}

/* Work for the next run: stock changes, and orders placed on the fake. */
static void
add_work (Harness *h)
{
  crash_add_stock_changes (&h->f, g_rand_int_range (h->f.rand, 1, scale.changes_per_run + 1));
  crash_add_orders (&h->f, g_rand_int_range (h->f.rand, 0, scale.orders_per_run + 1));
}

/* A run left to finish: it must succeed, and leave everything agreed. */
static void
clean_run (Harness *h)
{
  CrashRunOptions options = { .max_wait_s = 60 };
  CrashRun run;

  crash_sync (&h->f, &options, &run);
  h->n_runs++;
  if (!run.exited || run.exit_status != 0)
    g_error ("A sync --once after %u kills ended with %s %d. Its stderr:\n%s",
             h->n_kills, run.exited ? "exit" : "signal",
             run.exited ? run.exit_status : 9, h->f.err);
  h->n_clean++;
  h->clean_us += run.elapsed_us;
  h->kills_in_a_row = 0;
  crash_assert_converged (&h->f);
  crash_run_clear (&run);
}

/* After a run: count a kill, and let the next run finish when the row of
 * kills is long enough. */
static void
after_run (Harness  *h,
           CrashRun *run)
{
  h->n_runs++;
  if (run->killed)
    {
      const char *point = run->crash_point ? run->crash_point : "(from outside)";

      h->n_kills++;
      h->kills_in_a_row++;
      g_hash_table_insert (h->points, g_strdup (point),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (h->points, point)) + 1));
    }
  else
    {
      /* A run that was not killed finished on its own: with no faults it
       * must have succeeded. */
      if (!run->exited || run->exit_status != 0)
        g_error ("An unkilled sync --once exited %d. Its stderr:\n%s",
                 run->exit_status, h->f.err);
      h->kills_in_a_row = 0;
    }

  if (h->kills_in_a_row >= MAX_KILLS_IN_A_ROW)
    clean_run (h);
}

static gboolean
harness_set_up (Harness *h)
{
  memset (h, 0, sizeof *h);
  if (!crash_require_keyring ())
    return FALSE;

  crash_fixture_set_up (&h->f, scale.n_skus, scale.seed);
  h->points = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* A first sync with nothing to do: the integration works at all. */
  clean_run (h);
  return TRUE;
}

static void
harness_finish (Harness *h)
{
  CrashRunOptions options = { .max_wait_s = 60 };
  g_autoptr(GString) points = g_string_new (NULL);
  g_autoptr(GList) keys = NULL;
  CrashRun run;
  guint pending, started, dead;

  /* The restart after the last kill must drain the queue in one run. */
  crash_queue_counts (&h->f, &pending, &started, &dead);
  crash_sync (&h->f, &options, &run);
  if (!run.exited || run.exit_status != 0)
    g_error ("The final sync --once ended with %s %d. Its stderr:\n%s",
             run.exited ? "exit" : "signal", run.exited ? run.exit_status : 9, h->f.err);
  crash_assert_converged (&h->f);

  keys = g_list_sort (g_hash_table_get_keys (h->points), (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    g_string_append_printf (points, " %s ×%u", (const char *) l->data,
                            GPOINTER_TO_UINT (g_hash_table_lookup (h->points, l->data)));

  g_test_message ("seed %u: %u SKUs, %" G_GUINT64_FORMAT " stock changes, %u orders; "
                  "%u runs, %u killed (%s ), %u finished; the final run drained "
                  "%u pending + %u started jobs in %.1f s; the platform got %u requests "
                  "with %u distinct effects",
                  scale.seed, h->f.n_skus, h->f.n_changes, h->f.n_orders,
                  h->n_runs + 1, h->n_kills, points->str, h->n_clean + 1,
                  pending, started, run.elapsed_us / 1e6,
                  cp_sandbox_server_get_request_count (h->f.server, NULL),
                  cp_sandbox_server_get_n_distinct_effects (h->f.server));
  crash_run_clear (&run);
}

static void
harness_tear_down (Harness *h)
{
  crash_fixture_tear_down (&h->f);
  g_clear_pointer (&h->points, g_hash_table_unref);
}

/* Every named point, the 1st, 2nd and 3rd time it is reached. The 1st
 * must be reached and fire: a point the engine lost is a point nobody
 * tests any more. */
static void
test_named_points (void)
{
  Harness h;

  if (!harness_set_up (&h))
    return;

  for (guint p = 0; p < G_N_ELEMENTS (named_points); p++)
    for (guint n = 1; n <= 3; n++)
      {
        g_autofree char *at = g_strdup_printf ("%s:%u", named_points[p], n);
        CrashRunOptions options = {
          .crash_at = at,
          .concurrent_changes = 5,
          .concurrent_orders = 2,
        };
        CrashRun run;

        /* Both pushes and pulls have several batches and pages of work,
         * so every point is on the way, more than once. */
        crash_add_stock_changes (&h.f, scale.n_skus);
        crash_add_orders (&h.f, scale.n_skus / 2 + 50);
        crash_sync (&h.f, &options, &run);
        if (n == 1 && g_strcmp0 (run.crash_point, named_points[p]) != 0)
          g_error ("CP_CRASH_AT=%s did not fire (the run %s %d): the engine does not "
                   "reach that point with work to do. Its stderr:\n%s",
                   named_points[p], run.exited ? "exited" : "was killed",
                   run.exit_status, h.f.err);
        after_run (&h, &run);
        crash_run_clear (&run);
      }

  harness_finish (&h);
  harness_tear_down (&h);
}

/* ≥ N kills at random: half by CP_CRASH_RANDOM (a random named point,
 * seeded), half by SIGKILL from outside after a random delay (anywhere,
 * including in SQLite's own commit). */
static void
test_random_kills (void)
{
  Harness h;
  guint max_runs = scale.n_kills * 5;
  guint random_kills = 0, outside_kills = 0;

  if (!harness_set_up (&h))
    return;

  for (guint i = 0; random_kills + outside_kills < scale.n_kills; i++)
    {
      g_autofree char *spec = NULL;
      CrashRunOptions options = {
        .concurrent_changes = g_rand_int_range (h.f.rand, 0, 10),
        .concurrent_orders = g_rand_int_range (h.f.rand, 0, 4),
      };
      CrashRun run;

      if (h.n_runs > max_runs)
        g_error ("Only %u of %u kills landed in %u runs", random_kills + outside_kills,
                 scale.n_kills, h.n_runs);

      add_work (&h);
      if (i % 2 == 0)
        {
          spec = g_strdup_printf ("%u:%d", scale.seed + i, g_rand_int_range (h.f.rand, 50, 400));
          options.crash_random = spec;
        }
      else
        {
          /* Anywhere from the start to a little past a typical run's end
           * (the clean runs so far say how long that is). */
          gint64 typical = h.clean_us / MAX (h.n_clean, 1);

          options.kill_after_us = g_rand_int_range (h.f.rand, 1, (gint32) MIN (typical * 13 / 10 + 2, G_MAXINT32));
        }

      crash_sync (&h.f, &options, &run);
      if (run.killed)
        {
          if (options.crash_random != NULL)
            random_kills++;
          else
            outside_kills++;
        }
      after_run (&h, &run);
      crash_run_clear (&run);
    }

  g_test_message ("%u kills at random crash points, %u from outside after a random delay",
                  random_kills, outside_kills);
  harness_finish (&h);
  harness_tear_down (&h);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  crash_fixture_init (argc, argv);
  scale_init ();

  g_test_add_func ("/crash/named-points", test_named_points);
  g_test_add_func ("/crash/random-kills", test_random_kills);

  return g_test_run ();
}
