/* test-outbox.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outbox on real ledger files: coalescing (by the triggers and by
 * cp_outbox_enqueue), idempotency keys that survive coalescing and
 * retries, listing, a full disk, and that a claim walks the index
 * instead of the table. What happens to a job after its claim is in
 * test-outbox-lifecycle.c.
 */

#define G_LOG_DOMAIN "test-outbox"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "cp-activity.h"
#include "cp-backoff.h"
#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-outbox-private.h"
#include "cp-stock.h"

#include "outbox-fixture.h"


/* 100 sales of one SKU are one push of the latest value, per channel. */
static void
test_coalesce_sales (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) other = NULL;
  g_autofree char *first_key = NULL;
  g_autofree char *key = g_strdup_printf ("variant:%" G_GINT64_FORMAT, f->variant);
  CpOutboxJob *job;

  sell (f, "TEE-S", 1);
  pending = jobs_in_state (f, f->shop, CP_JOB_PENDING);
  g_assert_cmpuint (pending->len, ==, 1);
  job = g_ptr_array_index (pending, 0);
  first_key = g_strdup (job->idempotency_key);
  g_assert_cmpuint (strlen (first_key), ==, 32);
  g_clear_pointer (&pending, g_ptr_array_unref);

  for (guint i = 1; i < 100; i++)
    sell (f, "TEE-S", 1);

  pending = jobs_in_state (f, f->shop, CP_JOB_PENDING);
  g_assert_cmpuint (pending->len, ==, 1);
  job = g_ptr_array_index (pending, 0);
  g_assert_cmpstr (job->kind, ==, CP_JOB_STOCK_PUSH);
  g_assert_cmpstr (job->coalesce_key, ==, key);
  g_assert_cmpstr (job->idempotency_key, ==, first_key);
  g_assert_cmpuint (job->attempts, ==, 0);

  /* The second channel has its own job and its own key. */
  other = jobs_in_state (f, f->other, CP_JOB_PENDING);
  g_assert_cmpuint (other->len, ==, 1);
  g_assert_cmpstr (((CpOutboxJob *) g_ptr_array_index (other, 0))->idempotency_key, !=, first_key);
  g_assert_cmpint (query_int (f->ledger, "SELECT count(*) FROM outbox_jobs"), ==, 2);
}

/* A job on its way out has an older value: a new change needs a second
 * job, which then coalesces the changes after it. */
static void
test_coalesce_started (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(CpOutboxJob) started = NULL;
  gint64 epoch = start_epoch (f, NULL);
  CpOutboxJob *first;
  CpOutboxJob *second;

  sell (f, "TEE-S", 1);
  claimed = claim (f, f->shop, CP_JOB_STOCK_PUSH, 10, epoch, cp_ledger_now_us ());
  g_assert_cmpuint (claimed->len, ==, 1);
  first = g_ptr_array_index (claimed, 0);
  g_assert_cmpint (first->state, ==, CP_JOB_STARTED);
  g_assert_cmpint (first->lease_epoch, ==, epoch);

  sell (f, "TEE-S", 1);
  sell (f, "TEE-S", 1);
  pending = jobs_in_state (f, f->shop, CP_JOB_PENDING);
  g_assert_cmpuint (pending->len, ==, 1);
  second = g_ptr_array_index (pending, 0);
  g_assert_cmpint (second->id, !=, first->id);
  g_assert_cmpstr (second->coalesce_key, ==, first->coalesce_key);
  g_assert_cmpstr (second->idempotency_key, !=, first->idempotency_key);

  started = get_job (f, first->id);
  g_assert_cmpint (started->state, ==, CP_JOB_STARTED);
}

/* A stock push and a product push of one variant share the key
 * "variant:N" but are different work: neither swallows the other. */
static void
test_coalesce_kinds (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) pending = NULL;
  g_autofree char *update = NULL;
  gboolean stock = FALSE;
  gboolean product = FALSE;

  sell (f, "TEE-S", 1);
  update = g_strdup_printf ("UPDATE variants SET price_minor = 2499, updated_at = 5 WHERE id = %"
                            G_GINT64_FORMAT, f->variant);
  exec_ok (f->ledger, update);

  pending = jobs_in_state (f, f->shop, CP_JOB_PENDING);
  g_assert_cmpuint (pending->len, ==, 2);
  for (guint i = 0; i < pending->len; i++)
    {
      CpOutboxJob *job = g_ptr_array_index (pending, i);

      stock |= g_str_equal (job->kind, CP_JOB_STOCK_PUSH);
      product |= g_str_equal (job->kind, CP_JOB_PRODUCT_PUSH);
    }
  g_assert_true (stock && product);
}

static void
test_enqueue (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpOutboxJob) job = NULL;
  g_autofree char *key = NULL;
  gint64 later = cp_ledger_now_us () + 3600 * SECOND;
  gint64 id;
  gint64 again;
  gint64 other;

  id = cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:7",
                          "{\"customer_id\":7,\"v\":1}", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  job = get_job (f, id);
  key = g_strdup (job->idempotency_key);
  g_clear_pointer (&job, cp_outbox_job_free);

  /* Same key: the same job, newer payload, same idempotency key. */
  again = cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:7",
                             "{\"customer_id\":7,\"v\":2}", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again, ==, id);
  job = get_job (f, id);
  g_assert_cmpstr (job->payload, ==, "{\"customer_id\":7,\"v\":2}");
  g_assert_cmpstr (job->idempotency_key, ==, key);
  g_assert_cmpint (job->next_attempt_at, <=, cp_ledger_now_us ());
  g_clear_pointer (&job, cp_outbox_job_free);

  /* A wait asked for moves it later; none asked for never does. */
  g_assert_cmpint (cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:7",
                                      "{}", later, &error), ==, id);
  job = get_job (f, id);
  g_assert_cmpint (job->next_attempt_at, ==, later);
  g_clear_pointer (&job, cp_outbox_job_free);
  g_assert_cmpint (cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:7",
                                      "{}", 0, &error), ==, id);
  job = get_job (f, id);
  g_assert_cmpint (job->next_attempt_at, ==, later);

  /* Another integration or kind is another job. */
  other = cp_outbox_enqueue (f->ledger, f->other, "customer.push", "customer:7", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (other, !=, id);
  g_assert_cmpint (cp_outbox_enqueue (f->ledger, f->shop, "note.push", "customer:7", NULL, 0,
                                      &error), !=, id);

  /* An unknown integration is refused by the foreign key. */
  g_assert_cmpint (cp_outbox_enqueue (f->ledger, "nope-1", "customer.push", "customer:7", NULL,
                                      0, &error), ==, 0);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Joins the caller's transaction: rolled back with it. */
  g_assert_true (cp_ledger_begin (f->ledger, &error));
  g_assert_cmpint (cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:8", NULL, 0,
                                      &error), >, 0);
  cp_ledger_rollback (f->ledger);
  g_assert_cmpint (query_int (f->ledger, "SELECT count(*) FROM outbox_jobs"
                                         " WHERE coalesce_key = 'customer:8'"), ==, 0);
}

/* The key a platform may have seen stays with the work through
 * failures, a crash, dead and retry, and a merge with a newer change. */
static void
test_idempotency_kept (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(CpOutboxJob) job = NULL;
  g_autoptr(CpOutboxJob) merged = NULL;
  g_autofree char *key = NULL;
  g_autofree char *previous = NULL;
  gint64 epoch = start_epoch (f, NULL);
  gint64 now = cp_ledger_now_us ();
  CpJobState state;
  gint64 id;
  gint64 newer;

  id = cp_outbox_enqueue (f->ledger, f->shop, "order.create", "order:1", "{\"v\":1}", 0, &error);
  g_assert_no_error (error);
  now = cp_ledger_now_us ();
  job = get_job (f, id);
  key = g_strdup (job->idempotency_key);
  g_clear_pointer (&job, cp_outbox_job_free);

  jobs = claim (f, f->shop, NULL, 1, epoch, now);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_clear_pointer (&jobs, g_ptr_array_unref);
  g_assert_true (cp_outbox_mark_sending (f->ledger, id, epoch, "fp-1", &previous, &error));
  g_assert_no_error (error);
  g_assert_null (previous);

  /* A newer change arrives while it is out. */
  newer = cp_outbox_enqueue (f->ledger, f->shop, "order.create", "order:1", "{\"v\":2}", 0, &error);
  g_assert_cmpint (newer, !=, id);

  /* It fails: back to pending, and the newer change merges into it. */
  g_assert_true (cp_outbox_fail (f->ledger, id, epoch, "transient", "503 from the store", now,
                                 rand, &state, &error));
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, CP_JOB_PENDING);
  job = get_job (f, id);
  g_assert_cmpint (job->state, ==, CP_JOB_PENDING);
  g_assert_cmpstr (job->idempotency_key, ==, key);
  g_assert_cmpstr (job->payload, ==, "{\"v\":2}");
  g_assert_cmpstr (job->request_fingerprint, ==, "fp-1");
  g_assert_cmpuint (job->attempts, ==, 1);
  g_clear_pointer (&job, cp_outbox_job_free);
  merged = get_job (f, newer);
  g_assert_cmpint (merged->state, ==, CP_JOB_CANCELLED);
  g_assert_cmpuint (count_in_state (f, f->shop, CP_JOB_PENDING), ==, 1);

  /* Claimed again, resent: the first fingerprint comes back. */
  jobs = claim (f, f->shop, NULL, 1, epoch, now + CP_OUTBOX_BACKOFF_CAP_US);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_cmpstr (((CpOutboxJob *) g_ptr_array_index (jobs, 0))->idempotency_key, ==, key);
  g_clear_pointer (&jobs, g_ptr_array_unref);
  g_assert_true (cp_outbox_mark_sending (f->ledger, id, epoch, "fp-2", &previous, &error));
  g_assert_cmpstr (previous, ==, "fp-1");

  /* Crash: a new run requeues it with the same key. */
  epoch = start_epoch (f, NULL);
  job = get_job (f, id);
  g_assert_cmpint (job->state, ==, CP_JOB_PENDING);
  g_assert_cmpstr (job->idempotency_key, ==, key);
  g_assert_cmpuint (job->attempts, ==, 2);
  g_clear_pointer (&job, cp_outbox_job_free);

  /* Dead, then retried by a person: still the same key. */
  jobs = claim (f, f->shop, NULL, 1, epoch, now + CP_OUTBOX_BACKOFF_CAP_US);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_clear_pointer (&jobs, g_ptr_array_unref);
  g_assert_true (cp_outbox_kill (f->ledger, id, epoch, "invalid", "The store refused the order.",
                                 now, &error));
  g_assert_true (cp_outbox_retry (f->ledger, id, &error));
  g_assert_no_error (error);
  job = get_job (f, id);
  g_assert_cmpint (job->state, ==, CP_JOB_PENDING);
  g_assert_cmpstr (job->idempotency_key, ==, key);
  g_assert_cmpuint (job->attempts, ==, 0);
}

typedef struct
{
  GPtrArray *sql;
  gint64     claim_fullscan;
  gint64     claim_sort;
  gint64     claim_vm_steps;
  gint64     level_at_commit;  /* PRAGMA synchronous when COMMIT started, -1 before */
} Trace;

static int
trace_cb (unsigned  type,
          void     *context,
          void     *p,
          void     *x)
{
  Trace *trace = context;
  sqlite3_stmt *stmt = p;
  const char *sql = sqlite3_sql (stmt);

  if (type == SQLITE_TRACE_STMT && sql != NULL)
    g_ptr_array_add (trace->sql, g_strdup (sql));
  /* The level in effect, not only the statement that asked for it: a
   * PRAGMA that did not apply (a cached statement SQLite did not run
   * again, one refused inside a transaction) shows here. */
  if (type == SQLITE_TRACE_STMT && sql != NULL && g_ascii_strncasecmp (sql, "COMMIT", 6) == 0)
    {
      sqlite3_stmt *level = NULL;

      if (sqlite3_prepare_v2 (sqlite3_db_handle (stmt), "PRAGMA synchronous", -1, &level,
                              NULL) == SQLITE_OK &&
          sqlite3_step (level) == SQLITE_ROW)
        trace->level_at_commit = sqlite3_column_int64 (level, 0);
      sqlite3_finalize (level);
    }
  if (type == SQLITE_TRACE_PROFILE && sql != NULL &&
      g_str_has_prefix (sql, "UPDATE OR FAIL outbox_jobs SET state = 'started'"))
    {
      trace->claim_fullscan += sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
      trace->claim_sort += sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_SORT, 0);
      trace->claim_vm_steps += sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_VM_STEP, 0);
    }
  return 0;
}

static guint
find_sql (GPtrArray  *sql,
          guint       from,
          const char *prefix)
{
  for (guint i = from; i < sql->len; i++)
    if (g_ascii_strncasecmp (g_ptr_array_index (sql, i), prefix, strlen (prefix)) == 0)
      return i;
  return G_MAXUINT;
}

/* A claim among 5,000 queued jobs walks the index: no table scan, no
 * sort, and work in proportion to what it takes, not to the queue. */
static void
test_claim_uses_index (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Trace trace = { g_ptr_array_new_with_free_func (g_free), 0, 0, 0, -1 };
  gint64 epoch = start_epoch (f, NULL);
  g_autoptr(GPtrArray) got = NULL;

  g_assert_true (cp_ledger_begin (f->ledger, &error));
  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *key = g_strdup_printf ("item:%u", i);

      cp_outbox_enqueue (f->ledger, i % 2 ? f->shop : f->other, "item.push", key, NULL, 0, &error);
      g_assert_no_error (error);
    }
  g_assert_true (cp_ledger_commit (f->ledger, &error));
  exec_ok (f->ledger, "ANALYZE");

  sqlite3_trace_v2 (cp_ledger_get_db (f->ledger), SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE,
                    trace_cb, &trace);
  got = claim (f, f->shop, NULL, 10, epoch, cp_ledger_now_us ());
  g_assert_cmpuint (got->len, ==, 10);
  g_clear_pointer (&got, g_ptr_array_unref);
  got = claim (f, f->shop, "item.push", 10, epoch, cp_ledger_now_us ());
  g_assert_cmpuint (got->len, ==, 10);
  sqlite3_trace_v2 (cp_ledger_get_db (f->ledger), 0, NULL, NULL);

  g_test_message ("two claims of 10 among 5,000: %" G_GINT64_FORMAT " VM steps",
                  trace.claim_vm_steps);
  g_assert_cmpint (trace.claim_vm_steps, >, 0);
  g_assert_cmpint (trace.claim_fullscan, ==, 0);
  g_assert_cmpint (trace.claim_sort, ==, 0);
  /* About 4,000 here; without outbox_jobs_due about 100,000. */
  g_assert_cmpint (trace.claim_vm_steps, <, 20000);
  g_ptr_array_unref (trace.sql);
}

/* mark_sending's commit waits for the disk; the connection goes back to
 * its usual level afterwards. */
static void
test_mark_sending_durable (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) got = NULL;
  g_autoptr(CpOutboxJob) job = NULL;
  Trace trace = { g_ptr_array_new_with_free_func (g_free), 0, 0, 0, -1 };
  gint64 epoch = start_epoch (f, NULL);
  gint64 id = cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:1", NULL, 0, &error);
  guint full, commit, restore;

  got = claim (f, f->shop, NULL, 1, epoch, cp_ledger_now_us ());
  g_assert_cmpint (query_int (f->ledger, "PRAGMA synchronous"), ==, 1);

  sqlite3_trace_v2 (cp_ledger_get_db (f->ledger), SQLITE_TRACE_STMT, trace_cb, &trace);
  g_assert_true (cp_outbox_mark_sending (f->ledger, id, epoch, "fp", NULL, &error));
  sqlite3_trace_v2 (cp_ledger_get_db (f->ledger), 0, NULL, NULL);
  g_assert_no_error (error);

  full = find_sql (trace.sql, 0, "PRAGMA synchronous = FULL");
  g_assert_cmpuint (full, !=, G_MAXUINT);
  commit = find_sql (trace.sql, full, "COMMIT");
  g_assert_cmpuint (commit, !=, G_MAXUINT);
  restore = find_sql (trace.sql, commit, "PRAGMA synchronous = 1");
  g_assert_cmpuint (restore, !=, G_MAXUINT);
  g_assert_cmpint (trace.level_at_commit, ==, 2 /* FULL */);
  g_assert_cmpint (query_int (f->ledger, "PRAGMA synchronous"), ==, 1);

  job = get_job (f, id);
  g_assert_cmpstr (job->request_fingerprint, ==, "fp");
  g_assert_cmpint (job->sent_at, >, 0);

  /* Inside a caller's transaction it joins it instead. */
  g_assert_true (cp_ledger_begin (f->ledger, &error));
  g_assert_true (cp_outbox_mark_sending (f->ledger, id, epoch, "fp2", NULL, &error));
  g_assert_true (cp_ledger_commit (f->ledger, &error));
  g_assert_no_error (error);
  g_ptr_array_unref (trace.sql);
}

/* The engine's durable transaction (claim and announce in one): its
 * COMMIT runs at FULL, and the level goes back whether it commits or
 * rolls back. */
static void
test_durable_transaction (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Trace trace = { g_ptr_array_new_with_free_func (g_free), 0, 0, 0, -1 };
  gint64 restore = -1;

  g_assert_cmpint (query_int (f->ledger, "PRAGMA synchronous"), ==, 1);
  g_assert_true (cp_outbox_begin_durable (f->ledger, &restore, &error));
  g_assert_no_error (error);
  g_assert_cmpint (restore, ==, 1);
  g_assert_true (cp_ledger_in_transaction (f->ledger));
  g_assert_cmpint (cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:1", NULL, 0,
                                      &error), >, 0);
  g_assert_no_error (error);

  sqlite3_trace_v2 (cp_ledger_get_db (f->ledger), SQLITE_TRACE_STMT, trace_cb, &trace);
  g_assert_true (cp_outbox_end_durable (f->ledger, TRUE, restore, &error));
  sqlite3_trace_v2 (cp_ledger_get_db (f->ledger), 0, NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (trace.level_at_commit, ==, 2 /* FULL */);
  g_assert_false (cp_ledger_in_transaction (f->ledger));
  g_assert_cmpint (query_int (f->ledger, "PRAGMA synchronous"), ==, 1);
  g_assert_cmpint (query_int (f->ledger, "SELECT count (*) FROM outbox_jobs"), ==, 1);

  /* Twice in a row: a level remembered from the first time must not
   * stand in for the PRAGMA the second time. */
  g_assert_true (cp_outbox_begin_durable (f->ledger, &restore, &error));
  g_assert_cmpint (cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:2", NULL, 0,
                                      &error), >, 0);
  trace.level_at_commit = -1;
  sqlite3_trace_v2 (cp_ledger_get_db (f->ledger), SQLITE_TRACE_STMT, trace_cb, &trace);
  g_assert_true (cp_outbox_end_durable (f->ledger, TRUE, restore, &error));
  sqlite3_trace_v2 (cp_ledger_get_db (f->ledger), 0, NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (trace.level_at_commit, ==, 2 /* FULL */);
  g_assert_cmpint (query_int (f->ledger, "PRAGMA synchronous"), ==, 1);

  /* Rolled back: nothing written, the level put back all the same. */
  g_assert_true (cp_outbox_begin_durable (f->ledger, &restore, &error));
  g_assert_cmpint (cp_outbox_enqueue (f->ledger, f->shop, "customer.push", "customer:3", NULL, 0,
                                      &error), >, 0);
  g_assert_true (cp_outbox_end_durable (f->ledger, FALSE, restore, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->ledger, "PRAGMA synchronous"), ==, 1);
  g_assert_cmpint (query_int (f->ledger, "SELECT count (*) FROM outbox_jobs"), ==, 2);
  g_ptr_array_unref (trace.sql);
}

static void
test_list_and_due (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  CpOutboxQuery query = { .integration_id = f->shop, .limit = 2 };
  gint64 epoch = start_epoch (f, NULL);
  gint64 now = cp_ledger_now_us ();
  gint64 later = now + 600 * SECOND;
  guint seen = 0;
  gint64 dead;

  g_assert_cmpint (cp_outbox_next_due (f->ledger, f->shop, &error), ==, 0);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *key = g_strdup_printf ("customer:%u", i);

      cp_outbox_enqueue (f->ledger, f->shop, "customer.push", key, NULL, i == 0 ? 0 : later, &error);
    }
  cp_outbox_enqueue (f->ledger, f->other, "customer.push", "customer:0", NULL, 0, &error);
  g_assert_no_error (error);

  g_assert_cmpint (cp_outbox_next_due (f->ledger, f->shop, &error), <=, cp_ledger_now_us ());
  g_assert_cmpint (cp_outbox_next_due (f->ledger, f->shop, &error), >=, now);
  {
    g_autoptr(GPtrArray) got = claim (f, f->shop, NULL, 10, epoch, cp_ledger_now_us ());

    g_assert_cmpuint (got->len, ==, 1);
    g_assert_true (cp_outbox_complete (f->ledger, ((CpOutboxJob *) g_ptr_array_index (got, 0))->id,
                                       epoch, cp_ledger_now_us (), &error));
  }
  g_assert_cmpint (cp_outbox_next_due (f->ledger, f->shop, &error), ==, later);

  /* Keyset pages of two. */
  do
    {
      g_clear_pointer (&page, g_ptr_array_unref);
      page = cp_outbox_list (f->ledger, &query, &error);
      g_assert_no_error (error);
      seen += page->len;
      if (page->len > 0)
        query.after_id = ((CpOutboxJob *) g_ptr_array_index (page, page->len - 1))->id;
    }
  while (page->len == 2);
  g_assert_cmpuint (seen, ==, 5);

  /* Unfinished only: the done one is left out, a dead one is shown. */
  make_dead (f, f->shop, "customer:9", &dead);
  query.after_id = 0;
  query.limit = 0;
  query.unfinished_only = TRUE;
  g_clear_pointer (&page, g_ptr_array_unref);
  page = cp_outbox_list (f->ledger, &query, &error);
  g_assert_cmpuint (page->len, ==, 5);
}

static void
test_enqueue_all_variants (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autofree char *mapping = NULL;

  sell (f, "TEE-S", 1);
  g_assert_cmpuint (cp_outbox_enqueue_all_variants (f->ledger, f->shop, CP_JOB_STOCK_PUSH, &error),
                    ==, 3);
  g_assert_no_error (error);
  pending = jobs_in_state (f, f->shop, CP_JOB_PENDING);
  g_assert_cmpuint (pending->len, ==, 3);   /* TEE-S coalesced with the sale's job */

  /* Once mapped, only the mapped variants. */
  mapping = g_strdup_printf ("INSERT INTO integration_mappings (integration_id, kind, local_id,"
                             " remote_id, updated_at) VALUES ('%s', 'variant', '%" G_GINT64_FORMAT
                             "', 'r-1', 1)", f->other, f->variant2);
  exec_ok (f->ledger, mapping);
  g_assert_cmpuint (cp_outbox_enqueue_all_variants (f->ledger, f->other, CP_JOB_PRODUCT_PUSH,
                                                    &error), ==, 1);
}

/* A snapshot of every job, to compare before and after a failed write. */
static char *
snapshot (CpLedger *ledger)
{
  return query_text (ledger,
                     "SELECT group_concat (id || '|' || state || '|' || attempts || '|' ||"
                     " next_attempt_at || '|' || ifnull (lease_epoch, '') || '|' ||"
                     " ifnull (request_fingerprint, '') || '|' || length (payload), ';')"
                     " FROM (SELECT * FROM outbox_jobs ORDER BY id)");
}

static GArray *
ids_of (GPtrArray *jobs)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < jobs->len; i++)
    g_array_append_val (ids, ((CpOutboxJob *) g_ptr_array_index (jobs, i))->id);
  return ids;
}

/* After a write that failed, it must have been refused as a full disk
 * and changed nothing. Returns whether it failed. */
static gboolean
failed_whole (Fixture     *f,
              gboolean     ok,
              GError     **error,
              const char  *before)
{
  g_autofree char *after = NULL;

  if (ok)
    {
      g_assert_no_error (*error);
      return FALSE;
    }
  g_assert_error (*error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_FULL);
  g_assert_nonnull (strstr ((*error)->message, "full"));
  g_clear_error (error);
  after = snapshot (f->ledger);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (cp_ledger_in_transaction (f->ledger));
  return TRUE;
}

/* With the disk full every outbox write fails whole: the queue is as it
 * was, the file is sound, and work resumes once there is room. */
static void
test_full (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(GPtrArray) inflight = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) fingerprints = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *big = g_strnfill (64 * 1024, 'x');
  g_autofree char *payload = g_strdup_printf ("{\"x\":\"%s\"}", big);
  g_autofree char *limit = NULL;
  g_autofree char *integrity = NULL;
  g_autofree char *epoch_before = NULL;
  gint64 epoch = start_epoch (f, NULL);
  gint64 now;
  guint full_enqueue = 0, full_claim = 0, full_mark = 0, full_other = 0;
  guint pending = 0, started = 0, dead = 0;

  /* Small rows: many to a page, so a claim that grows them needs pages.
   * The batch already out is the other integration's, claimed before the
   * disk fills, so the shop's rows stay packed. */
  g_assert_true (cp_ledger_begin (f->ledger, &error));
  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *key = g_strdup_printf ("item:%u", i);

      cp_outbox_enqueue (f->ledger, i < 100 ? f->other : f->shop, "item.push", key, NULL, 0, &error);
    }
  g_assert_true (cp_ledger_commit (f->ledger, &error));
  g_assert_no_error (error);
  now = cp_ledger_now_us ();
  inflight = claim (f, f->other, NULL, 100, epoch, now);
  g_assert_cmpuint (inflight->len, ==, 100);
  ids = ids_of (inflight);
  for (guint i = 0; i < ids->len; i++)
    g_ptr_array_add (fingerprints, g_strnfill (300, 'a' + i % 26));

  /* A page budget is how SQLite reports a full disk without filling
   * one; then use up the room left, so any write needing a page fails. */
  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT,
                           query_int (f->ledger, "PRAGMA page_count"));
  exec_ok (f->ledger, limit);
  for (guint i = 0; ; i++)
    {
      g_autofree char *fill = g_strdup_printf ("fill:%u", i);

      if (!cp_ledger_set_setting (f->ledger, fill, big + 62 * 1024, &error))
        break;
    }
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_FULL);
  g_clear_error (&error);

  for (guint round = 0; round < 3; round++)
    {
      g_autofree char *before = snapshot (f->ledger);
      g_autofree char *key = g_strdup_printf ("big:%u", round);
      g_autoptr(GPtrArray) got = NULL;
      g_autoptr(GPtrArray) previous = NULL;
      gboolean ok;

      full_enqueue += failed_whole (f, cp_outbox_enqueue (f->ledger, f->shop, "item.push", key,
                                                          payload, 0, &error) > 0,
                                    &error, before);

      /* A claim takes jobs out of the coalescing index as it grows their
       * rows: it may find the room it needs in what it frees. Giving
       * them back puts them in again and needs room. One of the two
       * must meet the full disk, and fail whole. */
      got = cp_outbox_claim (f->ledger, f->shop, NULL, 400, epoch, now, CP_OUTBOX_LEASE_US, &error);
      if (failed_whole (f, got != NULL, &error, before))
        full_claim++;
      else
        {
          g_autoptr(GArray) got_ids = ids_of (got);

          g_clear_pointer (&before, g_free);
          before = snapshot (f->ledger);
          if (failed_whole (f, cp_outbox_defer_many (f->ledger, (gint64 *) (gpointer) got_ids->data,
                                                     got_ids->len, epoch, now, NULL, &error),
                            &error, before))
            full_claim++;
        }

      /* The fingerprints of a batch about to be sent: not recorded, so
       * the engine must not send; the connection's level is restored. */
      g_clear_pointer (&before, g_free);
      before = snapshot (f->ledger);
      ok = cp_outbox_mark_sending_many (f->ledger, (gint64 *) (gpointer) ids->data, ids->len,
                                        epoch, (const char * const *) fingerprints->pdata,
                                        &previous, &error);
      full_mark += failed_whole (f, ok, &error, before);
      g_assert_cmpint (query_int (f->ledger, "PRAGMA synchronous"), ==, 1);

      g_clear_pointer (&before, g_free);
      before = snapshot (f->ledger);
      if (round == 1)
        ok = cp_outbox_fail_many (f->ledger, (gint64 *) (gpointer) ids->data, ids->len, epoch,
                                  "transient", "503", now, rand, NULL, &error);
      else
        ok = cp_outbox_complete_many (f->ledger, (gint64 *) (gpointer) ids->data, ids->len,
                                      epoch, now, &error);
      if (ok)
        {
          /* Recorded: the next round works on jobs still out. */
          g_clear_pointer (&inflight, g_ptr_array_unref);
          g_clear_pointer (&ids, g_array_unref);
          inflight = g_ptr_array_new ();
          ids = g_array_new (FALSE, FALSE, sizeof (gint64));
        }
      full_other += failed_whole (f, ok, &error, before);

      g_clear_pointer (&before, g_free);
      before = snapshot (f->ledger);
      epoch_before = cp_ledger_get_setting (f->ledger, CP_OUTBOX_EPOCH_SETTING);
      if (failed_whole (f, cp_outbox_start_epoch (f->ledger, NULL, &error) > 0, &error, before))
        {
          g_autofree char *epoch_after = cp_ledger_get_setting (f->ledger, CP_OUTBOX_EPOCH_SETTING);

          g_assert_cmpstr (epoch_before, ==, epoch_after);
          full_other++;
        }
      g_clear_pointer (&epoch_before, g_free);
    }
  g_test_message ("full: %u enqueue, %u claim or give back, %u mark_sending, %u other",
                  full_enqueue, full_claim, full_mark, full_other);
  g_assert_cmpuint (full_enqueue, ==, 3);
  g_assert_cmpuint (full_claim, >=, 1);
  g_assert_cmpuint (full_mark, >=, 1);

  integrity = query_text (f->ledger, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");

  /* Room again: a new run takes over whatever was left started, and the
   * queue drains. */
  exec_ok (f->ledger, "PRAGMA max_page_count = 1073741823");
  g_assert_cmpint (cp_outbox_enqueue (f->ledger, f->shop, "item.push", "big:0", payload, 0, &error),
                   >, 0);
  epoch = start_epoch (f, NULL);
  now = cp_ledger_now_us () + CP_OUTBOX_BACKOFF_CAP_US;
  for (;;)
    {
      g_autoptr(GPtrArray) got = claim (f, f->shop, NULL, 100, epoch, now);
      g_autoptr(GArray) got_ids = ids_of (got);

      if (got->len == 0)
        break;
      g_assert_true (cp_outbox_complete_many (f->ledger, (gint64 *) (gpointer) got_ids->data,
                                              got_ids->len, epoch, now, &error));
      g_assert_no_error (error);
    }
  for (;;)
    {
      g_autoptr(GPtrArray) got = claim (f, f->other, NULL, 100, epoch, now);
      g_autoptr(GArray) got_ids = ids_of (got);

      if (got->len == 0)
        break;
      g_assert_true (cp_outbox_complete_many (f->ledger, (gint64 *) (gpointer) got_ids->data,
                                              got_ids->len, epoch, now, &error));
    }
  g_assert_true (cp_outbox_count (f->ledger, NULL, &pending, &started, &dead, &error));
  g_assert_cmpuint (pending + started + dead, ==, 0);
  g_assert_cmpint (query_int (f->ledger, "SELECT count(*) FROM outbox_jobs WHERE state = 'done'"),
                   ==, 501);
  g_clear_pointer (&integrity, g_free);
  integrity = query_text (f->ledger, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
}

static void
test_states (void)
{
  CpJobState state;

  for (CpJobState s = CP_JOB_PENDING; s <= CP_JOB_CANCELLED; s++)
    {
      g_assert_true (cp_job_state_from_string (cp_job_state_to_string (s), &state));
      g_assert_cmpint (state, ==, s);
    }
  g_assert_false (cp_job_state_from_string ("failed", &state));
  g_assert_false (cp_job_state_from_string (NULL, &state));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/outbox/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/outbox/states", test_states);
  ADD ("coalesce/sales", test_coalesce_sales);
  ADD ("coalesce/started", test_coalesce_started);
  ADD ("coalesce/kinds", test_coalesce_kinds);
  ADD ("enqueue", test_enqueue);
  ADD ("idempotency-kept", test_idempotency_kept);
  ADD ("claim-uses-index", test_claim_uses_index);
  ADD ("mark-sending-durable", test_mark_sending_durable);
  ADD ("durable-transaction", test_durable_transaction);
  ADD ("list-and-due", test_list_and_due);
  ADD ("enqueue-all-variants", test_enqueue_all_variants);
  ADD ("full", test_full);

#undef ADD

  return g_test_run ();
}
