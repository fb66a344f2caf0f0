/* test-outbox-lifecycle.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A job after its claim, on real ledger files: boot epochs and crash
 * requeue, full-jitter backoff spread, deferrals that keep attempts, dead
 * jobs and retries, purging, and a lease another run took over.
 */

#define G_LOG_DOMAIN "test-outbox-lifecycle"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "cp-activity.h"
#include "cp-backoff.h"
#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-stock.h"

#include "outbox-fixture.h"


/* A crash: jobs started under epoch 1 are pending again at start-up of
 * epoch 2, with the crash counted; a job on its last attempt goes dead. */
static void
test_epoch_requeue (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(CpOutboxJob) job = NULL;
  g_autoptr(CpOutboxJob) last = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *setup = NULL;
  gint64 before = cp_ledger_now_us ();
  gint64 epoch1;
  gint64 epoch2;
  gint64 id;
  gint64 id_last;
  guint requeued = 0;

  epoch1 = start_epoch (f, &requeued);
  g_assert_cmpuint (requeued, ==, 0);
  stored = cp_ledger_get_setting (f->ledger, CP_OUTBOX_EPOCH_SETTING);
  g_assert_cmpstr (stored, ==, "1");
  g_assert_cmpint (epoch1, ==, 1);

  id = cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:1", NULL, 0, &error);
  id_last = cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:2", NULL, 0, &error);
  g_assert_no_error (error);
  setup = g_strdup_printf ("UPDATE outbox_jobs SET attempts = 7 WHERE id = %" G_GINT64_FORMAT,
                           id_last);
  exec_ok (f->ledger, setup);
  jobs = claim (f, f->shop, NULL, 10, epoch1, cp_ledger_now_us ());
  g_assert_cmpuint (jobs->len, ==, 2);

  /* The process dies here. The next one: */
  epoch2 = start_epoch (f, &requeued);
  g_assert_cmpint (epoch2, ==, 2);
  g_assert_cmpuint (requeued, ==, 2);

  job = get_job (f, id);
  g_assert_cmpint (job->state, ==, CP_JOB_PENDING);
  g_assert_cmpuint (job->attempts, ==, 1);
  g_assert_cmpint (job->next_attempt_at, >=, before);
  g_assert_cmpint (job->next_attempt_at, <=, cp_ledger_now_us ());  /* at once */
  g_assert_cmpstr (job->last_error_kind, ==, "interrupted");

  last = get_job (f, id_last);
  g_assert_cmpint (last->state, ==, CP_JOB_DEAD);
  g_assert_cmpuint (last->attempts, ==, 8);
  g_assert_nonnull (last->last_error);

  /* The old run cannot record anything any more. */
  g_assert_false (cp_outbox_complete (f->ledger, id, epoch1, cp_ledger_now_us (), &error));
  g_assert_error (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_LEASE_LOST);
  g_clear_error (&error);

  /* Jobs of the current run are not requeued by anyone else's start-up
   * of the same epoch: only earlier ones. */
  g_clear_pointer (&jobs, g_ptr_array_unref);
  jobs = claim (f, f->shop, NULL, 10, epoch2, cp_ledger_now_us ());
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_true (cp_outbox_complete (f->ledger, id, epoch2, cp_ledger_now_us (), &error));
  g_assert_no_error (error);
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Chi-square of DELAYS against an even spread over [0, CEILING] in ten
 * bins. */
static double
chi_square (GArray *delays,
            gint64  ceiling)
{
  guint bins[10] = { 0 };
  double expected = delays->len / 10.0;
  double chi = 0;

  for (guint i = 0; i < delays->len; i++)
    {
      gint64 d = g_array_index (delays, gint64, i);
      guint bin = (guint) MIN (9, (d * 10) / (ceiling + 1));

      bins[bin]++;
    }
  for (guint i = 0; i < 10; i++)
    chi += (bins[i] - expected) * (bins[i] - expected) / expected;
  return chi;
}

/* 10,000 jobs that fail together come back spread evenly over the whole
 * backoff window, not in one instant; the window doubles per attempt. */
static void
test_backoff_spread (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260301);
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) distinct = g_hash_table_new (g_int64_hash, g_int64_equal);
  gint64 epoch = start_epoch (f, NULL);
  gint64 now = cp_ledger_now_us () + SECOND;
  const guint n = 10000;
  double sum = 0;
  double mean;

  g_assert_true (cp_ledger_begin (f->ledger, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = g_strdup_printf ("item:%u", i);

      g_assert_cmpint (cp_outbox_enqueue (f->ledger, f->shop, "item.push", key, NULL, 0, &error),
                       >, 0);
    }
  g_assert_true (cp_ledger_commit (f->ledger, &error));
  now = cp_ledger_now_us () + SECOND;

  for (guint round = 0; round < 2; round++)
    {
      gint64 ceiling = cp_backoff_ceiling_us (CP_OUTBOX_BACKOFF_BASE_US, CP_OUTBOX_BACKOFF_CAP_US,
                                              round);
      g_autoptr(GPtrArray) all = NULL;
      guint done = 0;

      /* The platform is down: every batch of 100 fails together. */
      while (done < n)
        {
          g_autoptr(GPtrArray) batch = claim (f, f->shop, NULL, 100, epoch, now);
          g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
          guint dead = 1;

          g_assert_cmpuint (batch->len, >, 0);
          for (guint i = 0; i < batch->len; i++)
            g_array_append_val (ids, ((CpOutboxJob *) g_ptr_array_index (batch, i))->id);
          g_assert_true (cp_outbox_fail_many (f->ledger, (gint64 *) (gpointer) ids->data, ids->len,
                                              epoch, "transient", "503", now, rand, &dead, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (dead, ==, 0);
          done += batch->len;
        }
      g_assert_cmpuint (done, ==, n);

      all = jobs_in_state (f, f->shop, CP_JOB_PENDING);
      g_assert_cmpuint (all->len, ==, n);
      g_array_set_size (delays, 0);
      g_hash_table_remove_all (distinct);
      sum = 0;
      for (guint i = 0; i < all->len; i++)
        {
          CpOutboxJob *job = g_ptr_array_index (all, i);
          gint64 delay = job->next_attempt_at - now;

          g_assert_cmpuint (job->attempts, ==, round + 1);
          g_assert_cmpint (delay, >=, 0);
          g_assert_cmpint (delay, <=, ceiling);
          g_array_append_val (delays, delay);
          g_hash_table_add (distinct, &g_array_index (delays, gint64, delays->len - 1));
          sum += delay;
        }
      /* Not lockstep: nearly every job has its own instant, the whole
       * window is used, and the spread is even (chi-square, 9 degrees of
       * freedom: 27.88 is the 0.1 % critical value). */
      mean = sum / n;
      g_array_sort (delays, compare_int64);
      g_assert_cmpuint (g_hash_table_size (distinct), >, n * 9 / 10);
      g_assert_cmpint (g_array_index (delays, gint64, 0), <, ceiling / 100);
      g_assert_cmpint (g_array_index (delays, gint64, n - 1), >, ceiling - ceiling / 100);
      g_assert_cmpfloat (fabs (mean - ceiling / 2.0), <, ceiling * 0.03);
      g_assert_cmpfloat (chi_square (delays, ceiling), <, 27.88);

      /* Everything is due again by the end of the window. */
      now += ceiling + 1;
    }

  /* The second round's window was twice the first's. */
  g_assert_cmpint (g_array_index (delays, gint64, n - 1), >, CP_OUTBOX_BACKOFF_BASE_US);
}

/* A rate limit is not the job's fault: it waits and keeps its attempts. */
static void
test_defer (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(CpOutboxJob) job = NULL;
  gint64 epoch = start_epoch (f, NULL);
  gint64 now = cp_ledger_now_us ();
  gint64 id;

  id = cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:1", NULL, 0, &error);
  now = cp_ledger_now_us ();
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GPtrArray) got = claim (f, f->shop, NULL, 1, epoch, now + i * 60 * SECOND);

      g_assert_cmpuint (got->len, ==, 1);
      g_assert_true (cp_outbox_defer (f->ledger, id, epoch, now + (i + 1) * 60 * SECOND - 1,
                                      "Rate limited by the store", &error));
      g_assert_no_error (error);
    }

  job = get_job (f, id);
  g_assert_cmpint (job->state, ==, CP_JOB_PENDING);
  g_assert_cmpuint (job->attempts, ==, 0);
  g_assert_cmpint (job->next_attempt_at, ==, now + 20 * 60 * SECOND - 1);
  g_assert_cmpstr (job->last_error_kind, ==, "deferred");

  /* Not before its time. */
  jobs = claim (f, f->shop, NULL, 1, epoch, now + 20 * 60 * SECOND - 2);
  g_assert_cmpuint (jobs->len, ==, 0);
  g_clear_pointer (&jobs, g_ptr_array_unref);
  jobs = claim (f, f->shop, NULL, 1, epoch, now + 20 * 60 * SECOND);
  g_assert_cmpuint (jobs->len, ==, 1);

  /* defer_many does the same for a batch. */
  g_assert_true (cp_outbox_defer_many (f->ledger, &id, 1, epoch, now + 3600 * SECOND, "wait",
                                       &error));
  g_clear_pointer (&job, cp_outbox_job_free);
  job = get_job (f, id);
  g_assert_cmpuint (job->attempts, ==, 0);
  g_assert_cmpint (job->next_attempt_at, ==, now + 3600 * SECOND);
}

/* Eight failures make a job dead, visible with its reason. */
static void
test_dead (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autoptr(CpOutboxJob) job = NULL;
  g_autoptr(GPtrArray) dead = NULL;
  gint64 epoch = start_epoch (f, NULL);
  gint64 now = cp_ledger_now_us ();
  guint pending = 99, started = 99, n_dead = 99;
  gint64 id;
  gint64 killed;
  CpJobState state = CP_JOB_STARTED;

  id = cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:1", NULL, 0, &error);
  killed = cp_outbox_enqueue (f->ledger, f->shop, "note.push", "customer:2", NULL, 0, &error);
  now = cp_ledger_now_us ();

  for (guint attempt = 1; attempt <= CP_OUTBOX_MAX_ATTEMPTS; attempt++)
    {
      g_autoptr(GPtrArray) got = claim (f, f->shop, "customer.push", 1, epoch, now);

      g_assert_cmpuint (got->len, ==, 1);
      g_assert_cmpint (((CpOutboxJob *) g_ptr_array_index (got, 0))->id, ==, id);
      g_assert_true (cp_outbox_fail (f->ledger, id, epoch, "transient",
                                     "The store answered 503 Service Unavailable.", now, rand,
                                     &state, &error));
      g_assert_no_error (error);
      g_assert_cmpint (state, ==, attempt < CP_OUTBOX_MAX_ATTEMPTS ? CP_JOB_PENDING : CP_JOB_DEAD);
      now += CP_OUTBOX_BACKOFF_CAP_US + 1;
    }

  job = get_job (f, id);
  g_assert_cmpint (job->state, ==, CP_JOB_DEAD);
  g_assert_cmpuint (job->attempts, ==, CP_OUTBOX_MAX_ATTEMPTS);
  g_assert_cmpstr (job->last_error, ==, "The store answered 503 Service Unavailable.");
  g_assert_cmpstr (job->last_error_kind, ==, "transient");

  /* A failure that will not pass: dead at once, attempts used: one. */
  {
    g_autoptr(GPtrArray) got = claim (f, f->shop, "note.push", 1, epoch, now);

    g_assert_cmpuint (got->len, ==, 1);
    g_assert_true (cp_outbox_kill (f->ledger, killed, epoch, "permission",
                                   "The store does not allow changing customers.", now, &error));
  }
  g_clear_pointer (&job, cp_outbox_job_free);
  job = get_job (f, killed);
  g_assert_cmpint (job->state, ==, CP_JOB_DEAD);
  g_assert_cmpuint (job->attempts, ==, 1);

  dead = jobs_in_state (f, f->shop, CP_JOB_DEAD);
  g_assert_cmpuint (dead->len, ==, 2);
  g_assert_true (cp_outbox_count (f->ledger, f->shop, &pending, &started, &n_dead, &error));
  g_assert_cmpuint (pending, ==, 0);
  g_assert_cmpuint (started, ==, 0);
  g_assert_cmpuint (n_dead, ==, 2);
  g_assert_true (cp_outbox_count (f->ledger, NULL, &pending, &started, &n_dead, &error));
  g_assert_cmpuint (n_dead, ==, 2);

  /* Dead jobs are never claimed. */
  {
    g_autoptr(GPtrArray) got = claim (f, f->shop, NULL, 10, epoch, now + DAY);

    g_assert_cmpuint (got->len, ==, 0);
  }
}

static void
test_retry (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpOutboxJob) job = NULL;
  g_autoptr(GPtrArray) events = NULL;
  CpActivityQuery query = { .type = CP_ACTIVITY_JOB_RETRIED };
  gint64 a, b, c, pending;

  make_dead (f, f->shop, "customer:1", &a);
  make_dead (f, f->shop, "customer:2", &b);
  make_dead (f, f->other, "customer:3", &c);
  pending = cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:9", NULL, 0, &error);

  /* One. */
  g_assert_true (cp_outbox_retry (f->ledger, a, &error));
  g_assert_no_error (error);
  job = get_job (f, a);
  g_assert_cmpint (job->state, ==, CP_JOB_PENDING);
  g_assert_cmpuint (job->attempts, ==, 0);
  g_assert_cmpint (job->next_attempt_at, <=, cp_ledger_now_us ());

  /* Only dead jobs; only jobs that exist. */
  g_assert_false (cp_outbox_retry (f->ledger, pending, &error));
  g_assert_error (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_outbox_retry (f->ledger, 999999, &error));
  g_assert_error (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* All of one integration, then all. */
  g_assert_cmpuint (cp_outbox_retry_all_dead (f->ledger, f->shop, &error), ==, 1);
  g_assert_no_error (error);
  g_clear_pointer (&job, cp_outbox_job_free);
  job = get_job (f, c);
  g_assert_cmpint (job->state, ==, CP_JOB_DEAD);
  g_assert_cmpuint (cp_outbox_retry_all_dead (f->ledger, NULL, &error), ==, 1);
  g_assert_cmpuint (cp_outbox_retry_all_dead (f->ledger, NULL, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (count_in_state (f, f->shop, CP_JOB_PENDING), ==, 3);

  /* A person's retries are in the activity log. */
  events = cp_activity_query (f->ledger, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 3);
  (void) b;
}

static void
test_purge (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 epoch = start_epoch (f, NULL);
  gint64 now = cp_ledger_now_us ();
  gint64 old_done, new_done, old_cancelled, dead, pending;
  g_autoptr(GPtrArray) got = NULL;
  g_autofree char *sql = NULL;

  old_done = cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:1", NULL, 0, &error);
  new_done = cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:2", NULL, 0, &error);
  now = cp_ledger_now_us ();
  got = claim (f, f->shop, NULL, 2, epoch, now);
  g_assert_cmpuint (got->len, ==, 2);
  g_assert_true (cp_outbox_complete (f->ledger, old_done, epoch, now - 31 * DAY, &error));
  g_assert_true (cp_outbox_complete (f->ledger, new_done, epoch, now - 29 * DAY, &error));
  old_cancelled = cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:3", NULL, 0,
                                     &error);
  g_assert_true (cp_outbox_cancel (f->ledger, old_cancelled, &error));
  sql = g_strdup_printf ("UPDATE outbox_jobs SET done_at = %" G_GINT64_FORMAT " WHERE id = %"
                         G_GINT64_FORMAT, now - 40 * DAY, old_cancelled);
  exec_ok (f->ledger, sql);
  make_dead (f, f->shop, "customer:4", &dead);
  exec_ok (f->ledger, "UPDATE outbox_jobs SET created_at = 1, updated_at = 1 WHERE state = 'dead'");
  pending = cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:5", NULL, 0, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (cp_outbox_purge (f->ledger, now - CP_OUTBOX_DONE_KEEP_US, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_null (cp_outbox_get (f->ledger, old_done, &error));
  g_assert_error (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (cp_outbox_get (f->ledger, old_cancelled, NULL));
  cp_outbox_job_free (get_job (f, new_done));
  cp_outbox_job_free (get_job (f, dead));
  cp_outbox_job_free (get_job (f, pending));

  /* A second purge finds nothing more. */
  g_assert_cmpuint (cp_outbox_purge (f->ledger, now - CP_OUTBOX_DONE_KEEP_US, &error), ==, 0);
}

/* The purge walks the outbox in id order and stops past a long run of
 * jobs queued within 30 days: a job stamped by a clock that was ahead
 * does not hide the old ones after it, and the jobs past the streak are
 * left for later runs, never deleted young. */
static void
test_purge_walk (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 epoch = start_epoch (f, NULL);
  gint64 now = cp_ledger_now_us ();
  gint64 ahead, old_done, young_done;
  g_autoptr(GPtrArray) got = NULL;
  g_autofree char *sql = NULL;

  ahead = cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:1", NULL, 0, &error);
  old_done = cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:2", NULL, 0, &error);
  young_done = cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:3", NULL, 0,
                                  &error);
  g_assert_no_error (error);
  now = cp_ledger_now_us ();
  got = claim (f, f->shop, NULL, 3, epoch, now);
  g_assert_cmpuint (got->len, ==, 3);
  g_assert_true (cp_outbox_complete (f->ledger, ahead, epoch, now - 40 * DAY, &error));
  g_assert_true (cp_outbox_complete (f->ledger, old_done, epoch, now - 40 * DAY, &error));
  g_assert_true (cp_outbox_complete (f->ledger, young_done, epoch, now - 1 * DAY, &error));
  /* The first was stamped a year ahead, the second queued 41 days ago. */
  sql = g_strdup_printf ("UPDATE outbox_jobs SET created_at = CASE id WHEN %" G_GINT64_FORMAT
                         " THEN %" G_GINT64_FORMAT " ELSE %" G_GINT64_FORMAT " END"
                         " WHERE id IN (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
                         ahead, now + 365 * DAY, now - 41 * DAY, ahead, old_done);
  exec_ok (f->ledger, sql);

  g_assert_cmpuint (cp_outbox_purge (f->ledger, now - CP_OUTBOX_DONE_KEEP_US, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_null (cp_outbox_get (f->ledger, ahead, NULL));
  g_assert_null (cp_outbox_get (f->ledger, old_done, NULL));
  cp_outbox_job_free (get_job (f, young_done));
}

static void
test_lease_lost (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) got = NULL;
  g_autoptr(GPtrArray) previous = NULL;
  g_autoptr(CpOutboxJob) job = NULL;
  gint64 epoch = start_epoch (f, NULL);
  gint64 now = cp_ledger_now_us ();
  gint64 ids[3];
  const char *fps[] = { "fp", "fp", "fp" };

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *key = g_strdup_printf ("customer:%u", i);

      ids[i] = cp_outbox_enqueue (f->ledger, f->shop, "customer.push", key, NULL, 0, &error);
    }
  now = cp_ledger_now_us ();
  got = claim (f, f->shop, NULL, 3, epoch, now);
  g_assert_cmpuint (got->len, ==, 3);
  /* Oldest first. */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (((CpOutboxJob *) g_ptr_array_index (got, i))->id, ==, ids[i]);

  g_assert_true (cp_outbox_mark_sending_many (f->ledger, ids, 3, epoch, fps, &previous, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (previous->len, ==, 3);
  g_assert_null (g_ptr_array_index (previous, 0));

  /* A person cancels one while it is out. */
  g_assert_true (cp_outbox_cancel (f->ledger, ids[1], &error));

  g_assert_false (cp_outbox_complete_many (f->ledger, ids, 3, epoch, now, &error));
  g_assert_error (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_LEASE_LOST);
  g_clear_error (&error);
  job = get_job (f, ids[0]);
  g_assert_cmpint (job->state, ==, CP_JOB_DONE);
  g_clear_pointer (&job, cp_outbox_job_free);
  job = get_job (f, ids[1]);
  g_assert_cmpint (job->state, ==, CP_JOB_CANCELLED);
  g_clear_pointer (&job, cp_outbox_job_free);
  job = get_job (f, ids[2]);
  g_assert_cmpint (job->state, ==, CP_JOB_DONE);

  /* A wrong epoch, a job that does not exist. */
  g_assert_false (cp_outbox_mark_sending (f->ledger, ids[0], epoch + 1, "x", NULL, &error));
  g_assert_error (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_LEASE_LOST);
  g_clear_error (&error);
  ids[0] = 424242;
  g_assert_false (cp_outbox_complete_many (f->ledger, ids, 1, epoch, now, &error));
  g_assert_error (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_NOT_FOUND);
}

/* Completing jobs around one still out: a batch whose ids are not one
 * run (cp_sql_ids_are_run()) finishes only the jobs it names. */
static void
test_complete_gap (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) got = NULL;
  gint64 epoch = start_epoch (f, NULL);
  gint64 now;
  gint64 ids[3], ends[2], middle[1];
  const char *fps[] = { "fp", "fp", "fp" };

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *key = g_strdup_printf ("customer:%u", i);

      ids[i] = cp_outbox_enqueue (f->ledger, f->shop, "customer.push", key, NULL, 0, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpint (ids[1], ==, ids[0] + 1);
  g_assert_cmpint (ids[2], ==, ids[1] + 1);
  now = cp_ledger_now_us ();
  got = claim (f, f->shop, NULL, 3, epoch, now);
  g_assert_cmpuint (got->len, ==, 3);
  g_assert_true (cp_outbox_mark_sending_many (f->ledger, ids, 3, epoch, fps, NULL, &error));
  g_assert_no_error (error);

  ends[0] = ids[0];
  ends[1] = ids[2];
  g_assert_true (cp_outbox_complete_many (f->ledger, ends, 2, epoch, now, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CpOutboxJob) job = get_job (f, ids[i]);

      g_assert_cmpint (job->state, ==, i == 1 ? CP_JOB_STARTED : CP_JOB_DONE);
    }

  middle[0] = ids[1];
  g_assert_true (cp_outbox_complete_many (f->ledger, middle, 1, epoch, now, &error));
  g_assert_no_error (error);
  {
    g_autoptr(CpOutboxJob) job = get_job (f, ids[1]);

    g_assert_cmpint (job->state, ==, CP_JOB_DONE);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/outbox/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("epoch-requeue", test_epoch_requeue);
  ADD ("backoff-spread", test_backoff_spread);
  ADD ("defer", test_defer);
  ADD ("dead", test_dead);
  ADD ("retry", test_retry);
  ADD ("purge", test_purge);
  ADD ("complete-gap", test_complete_gap);
  ADD ("purge-walk", test_purge_walk);
  ADD ("lease-lost", test_lease_lost);

#undef ADD

  return g_test_run ();
}
