/* cp-outbox.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine's side of the outbox: enqueueing, the boot epoch, claiming
 * under a lease, and what happened to a claimed job (sent, done, failed,
 * deferred, dead). Every call is one short write transaction, so the
 * window and counterpart-cli never wait long for each other; the batch
 * calls record a whole request's worth of jobs in one.
 */

#define G_LOG_DOMAIN "cp-outbox"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-outbox.h"
#include "cp-outbox-private.h"
#include "cp-packed.h"

G_DEFINE_QUARK (cp-outbox-error-quark, cp_outbox_error)
G_DEFINE_BOXED_TYPE (CpOutboxJob, cp_outbox_job, cp_outbox_job_copy, cp_outbox_job_free)

static const char * const state_names[] = {
  [CP_JOB_PENDING] = "pending",
  [CP_JOB_STARTED] = "started",
  [CP_JOB_DONE] = "done",
  [CP_JOB_DEAD] = "dead",
  [CP_JOB_CANCELLED] = "cancelled",
};

const char *
cp_job_state_to_string (CpJobState state)
{
  if ((guint) state >= G_N_ELEMENTS (state_names))
    return "pending";
  return state_names[state];
}

gboolean
cp_job_state_from_string (const char *text,
                          CpJobState *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (state_names); i++)
    if (g_str_equal (text, state_names[i]))
      {
        if (out != NULL)
          *out = (CpJobState) i;
        return TRUE;
      }
  return FALSE;
}

/* A job's strings: where each sits in the struct and which column of
 * CP_OUTBOX_JOB_COLUMNS it is read from. Copying, freeing and reading a
 * job walk this one list. */
static const struct
{
  gsize offset;
  int   column;
} text_fields[] = {
  { G_STRUCT_OFFSET (CpOutboxJob, integration_id), 1 },
  { G_STRUCT_OFFSET (CpOutboxJob, kind), 2 },
  { G_STRUCT_OFFSET (CpOutboxJob, coalesce_key), 3 },
  { G_STRUCT_OFFSET (CpOutboxJob, payload), 4 },
  { G_STRUCT_OFFSET (CpOutboxJob, idempotency_key), 6 },
  { G_STRUCT_OFFSET (CpOutboxJob, request_fingerprint), 7 },
  { G_STRUCT_OFFSET (CpOutboxJob, last_error), 14 },
  { G_STRUCT_OFFSET (CpOutboxJob, last_error_kind), 15 },
};

#define TEXT_FIELD(job, i) G_STRUCT_MEMBER (char *, (job), text_fields[i].offset)

CpOutboxJob *
cp_outbox_job_copy (const CpOutboxJob *self)
{
  CpOutboxJob *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  /* Each string in a block of its own. */
  copy->packed_len = 0;
  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    TEXT_FIELD (copy, i) = g_strdup (TEXT_FIELD (self, i));
  return copy;
}

void
cp_outbox_job_take_string (CpOutboxJob  *job,
                           char        **field,
                           char         *value)
{
  g_return_if_fail (job != NULL && field != NULL);

  cp_packed_free (job + 1, job->packed_len, *field);
  *field = value;
}

void
cp_outbox_job_free (CpOutboxJob *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    cp_packed_free (self + 1, self->packed_len, TEXT_FIELD (self, i));
  g_free (self);
}

CpOutboxJob *
cp_outbox_job_from_stmt (sqlite3_stmt *stmt)
{
  const char *texts[G_N_ELEMENTS (text_fields)];
  gssize lengths[G_N_ELEMENTS (text_fields)];
  char **fields[G_N_ELEMENTS (text_fields)];
  const char *state = (const char *) sqlite3_column_text (stmt, 5);
  gsize packed_len;
  CpOutboxJob *job;

  /* The job and its strings in one block: a claim reads up to two
   * thousand jobs at a time, and an allocation per string made reading
   * and freeing a job 4,100 instructions per pushed item, 2,500 now
   * (callgrind, tests/bench engine-overhead). */
  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    {
      texts[i] = (const char *) sqlite3_column_text (stmt, text_fields[i].column);
      /* After sqlite3_column_text (), as SQLite asks: the length of the
       * text it returned. */
      lengths[i] = sqlite3_column_bytes (stmt, text_fields[i].column);
    }

  packed_len = cp_packed_size (texts, lengths, G_N_ELEMENTS (texts));
  job = g_malloc0 (sizeof *job + packed_len);
  job->packed_len = packed_len;
  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    fields[i] = &TEXT_FIELD (job, i);
  cp_packed_fill ((char *) (job + 1), fields, texts, lengths, G_N_ELEMENTS (texts));

  job->id = sqlite3_column_int64 (stmt, 0);
  if (!cp_job_state_from_string (state, &job->state))
    job->state = CP_JOB_PENDING;
  job->attempts = (guint) sqlite3_column_int64 (stmt, 8);
  job->max_attempts = (guint) sqlite3_column_int64 (stmt, 9);
  job->next_attempt_at = sqlite3_column_int64 (stmt, 10);
  job->lease_epoch = sqlite3_column_int64 (stmt, 11);
  job->lease_until = sqlite3_column_int64 (stmt, 12);
  job->sent_at = sqlite3_column_int64 (stmt, 13);
  job->created_at = sqlite3_column_int64 (stmt, 16);
  job->updated_at = sqlite3_column_int64 (stmt, 17);
  job->done_at = sqlite3_column_int64 (stmt, 18);
  return job;
}

gint64
cp_outbox_enqueue (CpLedger    *ledger,
                   const char  *integration_id,
                   const char  *kind,
                   const char  *coalesce_key,
                   const char  *payload_json,
                   gint64       not_before_us,
                   GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  gint64 now = cp_ledger_now_us ();
  gint64 id;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), 0);
  g_return_val_if_fail (integration_id != NULL && kind != NULL && coalesce_key != NULL, 0);

  /* The same upsert as the triggers in the schema: at most one pending
   * job per (integration, kind, key); a new change replaces its payload
   * and keeps its idempotency key. Its next attempt only moves later
   * when the caller asks for a wait: a key that changes all day must not
   * sink behind every other job. */
  stmt = cp_ledger_prepare_cached (ledger,
                                   "INSERT INTO outbox_jobs (integration_id, kind, coalesce_key,"
                                   " payload, idempotency_key, next_attempt_at, created_at,"
                                   " updated_at)"
                                   " VALUES (?1, ?2, ?3, ?4, lower (hex (randomblob (16))),"
                                   " max (?5, ?6), ?6, ?6)"
                                   " ON CONFLICT (integration_id, kind, coalesce_key)"
                                   " WHERE state = 'pending'"
                                   " DO UPDATE SET payload = excluded.payload,"
                                   " updated_at = excluded.updated_at,"
                                   " next_attempt_at = max (next_attempt_at, ?5)"
                                   " RETURNING id",
                                   error);
  if (stmt == NULL)
    return 0;

  cp_sql_bind_text (stmt, 1, integration_id);
  cp_sql_bind_text (stmt, 2, kind);
  cp_sql_bind_text (stmt, 3, coalesce_key);
  cp_sql_bind_text (stmt, 4, payload_json != NULL ? payload_json : "{}");
  sqlite3_bind_int64 (stmt, 5, MAX (not_before_us, 0));
  sqlite3_bind_int64 (stmt, 6, now);

  if (cp_sql_step (ledger, stmt, _("Could not queue the change for the store"), error) != SQLITE_ROW)
    return 0;
  id = sqlite3_column_int64 (stmt, 0);
  if (!cp_sql_run (ledger, stmt, _("Could not queue the change for the store"), error))
    return 0;

  cp_ledger_emit_changed (ledger, "outbox_jobs");
  return id;
}

gboolean
cp_outbox_requeue_locked (CpLedger    *ledger,
                          gint64       job_id,
                          guint        attempts,
                          gint64       next_at,
                          const char  *error_kind,
                          const char  *message,
                          gint64       now_us,
                          GError     **error)
{
  g_autoptr(CpSqlCachedStmt) find = NULL;
  g_autoptr(CpSqlCachedStmt) update = NULL;
  g_autofree char *payload = NULL;
  gint64 sibling = 0;
  int rc;

  /* A newer change of the same key may have come in while this job was
   * out (started or dead): it holds the one pending place. */
  find = cp_ledger_prepare_cached (ledger,
                                   "SELECT s.id, s.payload FROM outbox_jobs AS j, outbox_jobs AS s"
                                   " WHERE j.id = ?1 AND s.state = 'pending'"
                                   " AND s.integration_id = j.integration_id AND s.kind = j.kind"
                                   " AND s.coalesce_key = j.coalesce_key AND s.id != j.id",
                                   error);
  if (find == NULL)
    return FALSE;
  sqlite3_bind_int64 (find, 1, job_id);
  rc = cp_sql_step (ledger, find, _("Could not read the queue"), error);
  if (rc == SQLITE_ROW)
    {
      sibling = sqlite3_column_int64 (find, 0);
      payload = cp_sql_dup_text (find, 1);
    }
  else if (rc != SQLITE_DONE)
    return FALSE;
  sqlite3_reset (find);

  if (sibling != 0)
    {
      g_autoptr(CpSqlCachedStmt) cancel = NULL;
      g_autofree char *why = g_strdup_printf ("merged into job %" G_GINT64_FORMAT, job_id);

      /* Merge into the job that goes back, not the other way round: its
       * idempotency key may already have reached the platform, and a
       * resend must carry it so nothing is created twice. */
      cancel = cp_ledger_prepare_cached (ledger,
                                         "UPDATE outbox_jobs SET state = 'cancelled', done_at = ?2,"
                                         " closed_at = ?2, updated_at = ?2, last_error = ?3,"
                                         " last_error_kind = 'merged' WHERE id = ?1",
                                         error);
      if (cancel == NULL)
        return FALSE;
      sqlite3_bind_int64 (cancel, 1, sibling);
      sqlite3_bind_int64 (cancel, 2, now_us);
      cp_sql_bind_text (cancel, 3, why);
      if (!cp_sql_run (ledger, cancel, _("Could not save the queue"), error))
        return FALSE;
    }

  update = cp_ledger_prepare_cached (ledger,
                                     "UPDATE outbox_jobs SET state = 'pending', attempts = ?2,"
                                     " next_attempt_at = ?3, lease_epoch = NULL, lease_until = NULL,"
                                     " closed_at = NULL,"
                                     " last_error = coalesce (?4, last_error),"
                                     " last_error_kind = coalesce (?5, last_error_kind),"
                                     " updated_at = ?6, payload = coalesce (?7, payload)"
                                     " WHERE id = ?1",
                                     error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, job_id);
  sqlite3_bind_int64 (update, 2, attempts);
  sqlite3_bind_int64 (update, 3, next_at);
  cp_sql_bind_text (update, 4, message);
  cp_sql_bind_text (update, 5, error_kind);
  sqlite3_bind_int64 (update, 6, now_us);
  cp_sql_bind_text (update, 7, payload);
  return cp_sql_run (ledger, update, _("Could not save the queue"), error);
}

gboolean
cp_outbox_set_dead_locked (CpLedger    *ledger,
                           gint64       job_id,
                           guint        attempts,
                           const char  *error_kind,
                           const char  *message,
                           gint64       now_us,
                           GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "UPDATE outbox_jobs SET state = 'dead', attempts = ?2,"
                                   " lease_until = NULL, last_error = ?3, last_error_kind = ?4,"
                                   " updated_at = ?5, closed_at = ?5 WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_int64 (stmt, 2, attempts);
  cp_sql_bind_text (stmt, 3, message);
  cp_sql_bind_text (stmt, 4, error_kind);
  sqlite3_bind_int64 (stmt, 5, now_us);
  return cp_sql_run (ledger, stmt, _("Could not save the queue"), error);
}

gint64
cp_outbox_start_epoch (CpLedger  *ledger,
                       guint     *out_requeued,
                       GError   **error)
{
  g_autoptr(GArray) stale = g_array_new (FALSE, FALSE, sizeof (gint64) * 3);
  g_autofree char *previous = NULL;
  g_autofree char *epoch_text = NULL;
  sqlite3_stmt *stmt;
  gint64 now = cp_ledger_now_us ();
  gint64 epoch = 0;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), 0);

  if (out_requeued != NULL)
    *out_requeued = 0;

  if (!cp_ledger_begin (ledger, error))
    return 0;

  /* Read inside the write transaction, so two processes starting at once
   * never get the same epoch. */
  previous = cp_ledger_get_setting (ledger, CP_OUTBOX_EPOCH_SETTING);
  if (previous == NULL || !g_ascii_string_to_signed (previous, 10, 0, G_MAXINT64 - 1, &epoch, NULL))
    epoch = 0;
  epoch++;
  epoch_text = g_strdup_printf ("%" G_GINT64_FORMAT, epoch);
  if (!cp_ledger_set_setting (ledger, CP_OUTBOX_EPOCH_SETTING, epoch_text, error))
    goto fail;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT id, attempts, max_attempts FROM outbox_jobs"
                                   " WHERE closed_at IS NULL AND state = 'started'"
                                   " AND (lease_epoch IS NULL OR lease_epoch < ?1)",
                                   error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, epoch);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 row[3] = {
        sqlite3_column_int64 (stmt, 0),
        sqlite3_column_int64 (stmt, 1),
        sqlite3_column_int64 (stmt, 2),
      };

      g_array_append_val (stale, row);
    }
  if (rc != SQLITE_DONE)
    {
      cp_ledger_set_error_from_sqlite (ledger, error, _("Could not read the queue"));
      sqlite3_reset (stmt);
      goto fail;
    }
  sqlite3_reset (stmt);

  /* The run that held these stopped without saying how they went: the
   * crash counts as an attempt, so a job that crashes the app every time
   * ends up dead instead of crashing it forever. */
  for (guint i = 0; i < stale->len; i++)
    {
      const gint64 *row = &g_array_index (stale, gint64, i * 3);
      guint attempts = (guint) row[1] + 1;
      const char *message = _("Counterpart stopped while this change was being sent.");
      gboolean ok;

      if (attempts >= (guint) row[2])
        ok = cp_outbox_set_dead_locked (ledger, row[0], attempts, "interrupted", message, now, error);
      else
        ok = cp_outbox_requeue_locked (ledger, row[0], attempts, now, "interrupted", message,
                                       now, error);
      if (!ok)
        goto fail;
    }

  cp_ledger_emit_changed (ledger, "outbox_jobs");
  if (!cp_ledger_commit (ledger, error))
    return 0;

  if (out_requeued != NULL)
    *out_requeued = stale->len;
  return epoch;

fail:
  cp_ledger_rollback (ledger);
  return 0;
}

GPtrArray *
cp_outbox_read_due (CpLedger    *ledger,
                    const char  *integration_id,
                    const char  *kind,
                    guint        max_jobs,
                    gint64       epoch,
                    gint64       now_us,
                    gint64       lease_until,
                    GError     **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);
  sqlite3_stmt *stmt;
  int rc;

  /* Walks outbox_jobs_open (integration, next_attempt_at, then rowid:
   * the jobs not closed yet) in order and stops at the limit, so a claim
   * costs the same with a million jobs done. The started jobs it passes
   * are the few in flight. */
  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT " CP_OUTBOX_JOB_COLUMNS " FROM outbox_jobs"
                                   " WHERE integration_id = ?1 AND closed_at IS NULL AND state = 'pending'"
                                   " AND next_attempt_at <= ?2 AND (?3 IS NULL OR kind = ?3)"
                                   " ORDER BY next_attempt_at, id LIMIT ?4",
                                   error);
  if (stmt == NULL)
    return NULL;
  cp_sql_bind_text (stmt, 1, integration_id);
  sqlite3_bind_int64 (stmt, 2, now_us);
  cp_sql_bind_text_or_null (stmt, 3, kind);
  sqlite3_bind_int64 (stmt, 4, max_jobs);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpOutboxJob *job = cp_outbox_job_from_stmt (stmt);

      /* What cp_outbox_start_read() writes. */
      job->state = CP_JOB_STARTED;
      job->lease_epoch = epoch;
      job->lease_until = lease_until;
      job->updated_at = now_us;
      g_ptr_array_add (jobs, job);
    }
  if (rc != SQLITE_DONE)
    {
      cp_ledger_set_error_from_sqlite (ledger, error, _("Could not take jobs from the queue"));
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&jobs);
}

gboolean
cp_outbox_start_read (CpLedger      *ledger,
                      const gint64  *ids,
                      guint          n,
                      gint64         epoch,
                      gint64         lease_until,
                      gint64         now_us,
                      const char    *fingerprint,
                      GError       **error)
{
  g_autoptr(CpSqlCachedStmt) update = NULL;
  gboolean run;

  if (n == 0)
    return TRUE;

  /* One UPDATE by id, without RETURNING (which keeps every row aside
   * until the statement ends and cost as much as the update). With a
   * fingerprint it also records the request about to go, so a job's
   * row is written once from claim to send. Jobs are queued, so claimed,
   * in id order: most claims are one run of ids, named by its ends.
   * OR FAIL: no constraint can fail here, and were one to, every caller
   * rolls its transaction back; with ABORT, SQLite would copy each page
   * the statement changes into a statement journal first, in case it
   * had to undo the statement alone (560 instructions per pushed item,
   * tests/bench engine-overhead). */
#define START_SET "UPDATE OR FAIL outbox_jobs SET state = 'started', lease_epoch = ?2," \
                  " lease_until = ?3, updated_at = ?4"
#define START_ANNOUNCED ", request_fingerprint = ?5, sent_at = ?4"
#define START_LIST " WHERE id IN (SELECT value FROM json_each (?1)) AND state = 'pending'"
#define START_RUN " WHERE id BETWEEN ?1 AND ?6 AND state = 'pending'"
  run = cp_sql_ids_are_run (ids, n);
  if (fingerprint == NULL)
    update = cp_ledger_prepare_cached (ledger, run ? START_SET START_RUN : START_SET START_LIST,
                                       error);
  else
    update = cp_ledger_prepare_cached (ledger,
                                       run ? START_SET START_ANNOUNCED START_RUN
                                           : START_SET START_ANNOUNCED START_LIST,
                                       error);
#undef START_SET
#undef START_ANNOUNCED
#undef START_LIST
#undef START_RUN
  if (update == NULL)
    return FALSE;
  cp_sql_bind_ids_or_run (update, 1, 6, ids, n, run);
  sqlite3_bind_int64 (update, 2, epoch);
  sqlite3_bind_int64 (update, 3, lease_until);
  sqlite3_bind_int64 (update, 4, now_us);
  if (fingerprint != NULL)
    cp_sql_bind_text (update, 5, fingerprint);
  if (!cp_sql_run (ledger, update, _("Could not take jobs from the queue"), error))
    return FALSE;
  if ((guint) sqlite3_changes (cp_ledger_get_db (ledger)) != n)
    {
      /* Read in this transaction, so still pending: a caller's mistake. */
      g_set_error_literal (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_LEASE_LOST,
                           _("Some of the changes being sent are no longer waiting in the "
                             "queue: another run took them over."));
      return FALSE;
    }
  cp_ledger_emit_changed (ledger, "outbox_jobs");
  return TRUE;
}

GPtrArray *
cp_outbox_claim (CpLedger    *ledger,
                 const char  *integration_id,
                 const char  *kind,
                 guint        max_jobs,
                 gint64       epoch,
                 gint64       now_us,
                 gint64       lease_us,
                 GError     **error)
{
  g_autoptr(GPtrArray) jobs = NULL;
  g_autofree gint64 *ids = NULL;
  gint64 lease_until = now_us + MAX (lease_us, 0);

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (integration_id != NULL, NULL);
  g_return_val_if_fail (epoch > 0, NULL);

  if (max_jobs == 0)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);

  if (!cp_ledger_begin (ledger, error))
    return NULL;

  jobs = cp_outbox_read_due (ledger, integration_id, kind, max_jobs, epoch, now_us, lease_until,
                             error);
  if (jobs == NULL)
    goto fail;
  ids = g_new (gint64, MAX (jobs->len, 1));
  for (guint i = 0; i < jobs->len; i++)
    ids[i] = ((CpOutboxJob *) g_ptr_array_index (jobs, i))->id;
  if (!cp_outbox_start_read (ledger, ids, jobs->len, epoch, lease_until, now_us, NULL, error))
    goto fail;
  if (!cp_ledger_commit (ledger, error))
    return NULL;

  return g_steal_pointer (&jobs);

fail:
  cp_ledger_rollback (ledger);
  return NULL;
}
