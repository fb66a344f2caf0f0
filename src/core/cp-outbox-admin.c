/* cp-outbox-admin.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A person's side of the outbox: what is queued and why a job is dead,
 * retrying and cancelling, the forced full sync, and forgetting finished
 * jobs after 30 days.
 */

#define G_LOG_DOMAIN "cp-outbox"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "cp-activity.h"
#include "cp-outbox.h"
#include "cp-outbox-private.h"

/* Dead jobs to pending, one transaction; logs one JobRetried event. */
static guint
retry_dead (CpLedger     *ledger,
            gint64        job_id,          /* 0: every dead job (of integration_id) */
            const char   *integration_id,
            GError      **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *integration_of_job = NULL;
  g_autofree char *message = NULL;
  sqlite3_stmt *stmt;
  gint64 now = cp_ledger_now_us ();
  int rc;

  if (!cp_ledger_begin (ledger, error))
    return 0;

  if (job_id != 0)
    stmt = cp_ledger_prepare_cached (ledger,
                                     "SELECT id, integration_id, state FROM outbox_jobs WHERE id = ?1",
                                     error);
  else
    stmt = cp_ledger_prepare_cached (ledger,
                                     "SELECT id, integration_id, state FROM outbox_jobs"
                                     " WHERE state = 'dead' AND (?2 IS NULL OR integration_id = ?2)"
                                     " ORDER BY id",
                                     error);
  if (stmt == NULL)
    goto fail;
  if (job_id != 0)
    sqlite3_bind_int64 (stmt, 1, job_id);
  else
    cp_sql_bind_text (stmt, 2, integration_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (job_id != 0 && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "dead") != 0)
        {
          g_set_error (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_INVALID,
                       _("Job %" PRId64 " is %s, not dead: only dead jobs can be retried."),
                       id, (const char *) sqlite3_column_text (stmt, 2));
          sqlite3_reset (stmt);
          goto fail;
        }
      if (integration_of_job == NULL)
        integration_of_job = cp_sql_dup_text (stmt, 1);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      cp_ledger_set_error_from_sqlite (ledger, error, _("Could not read the queue"));
      goto fail;
    }
  if (job_id != 0 && ids->len == 0)
    {
      g_set_error (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_NOT_FOUND,
                   _("There is no job %" PRId64 " in the queue. See “counterpart-cli jobs list "
                     "--state dead” for the jobs that can be retried."), job_id);
      goto fail;
    }

  /* A retry is a fresh start: all attempts again, now. The idempotency
   * key stays: the platform may have seen it before the job died. */
  for (guint i = 0; i < ids->len; i++)
    if (!cp_outbox_requeue_locked (ledger, g_array_index (ids, gint64, i), 0, now,
                                   NULL, NULL, now, error))
      goto fail;

  if (ids->len > 0)
    {
      if (job_id != 0)
        message = g_strdup_printf (_("Job %" PRId64 " will be tried again."), job_id);
      else
        message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%u dead job will be tried again.",
                                                "%u dead jobs will be tried again.",
                                                ids->len),
                                   ids->len);
      if (cp_activity_log (ledger, CP_ACTIVITY_JOB_RETRIED, CP_ACTIVITY_INFO,
                           integration_id != NULL ? integration_id
                                                  : (job_id != 0 ? integration_of_job : NULL),
                           job_id, message, NULL, error) == 0)
        goto fail;
      cp_ledger_emit_changed (ledger, "outbox_jobs");
    }

  if (!cp_ledger_commit (ledger, error))
    return 0;
  return ids->len;

fail:
  cp_ledger_rollback (ledger);
  return 0;
}

gboolean
cp_outbox_retry (CpLedger    *ledger,
                 gint64       job_id,
                 GError     **error)
{
  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (job_id > 0, FALSE);

  return retry_dead (ledger, job_id, NULL, error) == 1;
}

guint
cp_outbox_retry_all_dead (CpLedger    *ledger,
                          const char  *integration_id,
                          GError     **error)
{
  g_return_val_if_fail (CP_IS_LEDGER (ledger), 0);

  return retry_dead (ledger, 0, integration_id, error);
}

gboolean
cp_outbox_cancel (CpLedger    *ledger,
                  gint64       job_id,
                  GError     **error)
{
  g_autoptr(CpOutboxJob) job = NULL;
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  gint64 now = cp_ledger_now_us ();

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  job = cp_outbox_get (ledger, job_id, error);
  if (job == NULL)
    return FALSE;
  if (job->state == CP_JOB_DONE || job->state == CP_JOB_CANCELLED)
    {
      g_set_error (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_INVALID,
                   _("Job %" PRId64 " is already %s."), job_id,
                   cp_job_state_to_string (job->state));
      return FALSE;
    }

  /* A started job is cancelled too: its run then finds the lease gone
   * and records nothing. */
  stmt = cp_ledger_prepare_cached (ledger,
                                   "UPDATE outbox_jobs SET state = 'cancelled', done_at = ?2,"
                                   " closed_at = ?2, updated_at = ?2, lease_until = NULL"
                                   " WHERE id = ?1 AND state IN ('pending', 'started', 'dead')",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!cp_sql_run (ledger, stmt, _("Could not save the queue"), error))
    return FALSE;

  cp_ledger_emit_changed (ledger, "outbox_jobs");
  return TRUE;
}

/* How many jobs in a row queued too recently to be due end the purge's
 * walk. Ids grow with the time a job is queued, so past the last job due
 * every job is younger; a streak rather than the first young job lets a
 * few jobs stamped by a clock set ahead (and later put right) not hide
 * the old ones queued after them. */
#define PURGE_YOUNG_STREAK 1000

/* The jobs the purge reads at a time. */
#define PURGE_CHUNK 500

guint
cp_outbox_purge (CpLedger    *ledger,
                 gint64       before_us,
                 GError     **error)
{
  g_autoptr(CpSqlCachedStmt) read = NULL;
  g_autoptr(CpSqlCachedStmt) drop = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 after = 0;
  guint young = 0;
  guint deleted = 0;
  gboolean more = TRUE;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), 0);

  /* No index on finished jobs (migration 6): marking a job done is the
   * hot path of every sync, the purge runs once a run. The walk goes in
   * id order and reads what is old or finished, not the whole outbox. */
  read = cp_ledger_prepare_cached (ledger,
                                   "SELECT id, created_at,"
                                   " (state = 'done' OR state = 'cancelled') AND done_at < ?1"
                                   " FROM outbox_jobs WHERE id > ?2 ORDER BY id LIMIT ?3",
                                   error);
  if (read == NULL)
    return 0;

  while (more && young < PURGE_YOUNG_STREAK)
    {
      guint n = 0;

      g_array_set_size (ids, 0);
      sqlite3_bind_int64 (read, 1, before_us);
      sqlite3_bind_int64 (read, 2, after);
      sqlite3_bind_int64 (read, 3, PURGE_CHUNK);
      while (young < PURGE_YOUNG_STREAK && (rc = sqlite3_step (read)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (read, 0);

          n++;
          after = id;
          if (sqlite3_column_int (read, 2) != 0)
            g_array_append_val (ids, id);
          /* A job finished before before_us was queued before it too. */
          if (sqlite3_column_int64 (read, 1) >= before_us)
            young++;
          else
            young = 0;
        }
      if (young < PURGE_YOUNG_STREAK && rc != SQLITE_DONE)
        {
          cp_ledger_set_error_from_sqlite (ledger, error, _("Could not clean up the queue"));
          sqlite3_reset (read);
          return deleted;
        }
      sqlite3_reset (read);
      more = n == PURGE_CHUNK;

      if (ids->len == 0)
        continue;
      if (drop == NULL)
        drop = cp_ledger_prepare_cached (ledger, "DELETE FROM outbox_jobs WHERE id = ?1", error);
      if (drop == NULL || !cp_ledger_begin (ledger, error))
        return deleted;
      for (guint i = 0; i < ids->len; i++)
        {
          sqlite3_reset (drop);
          sqlite3_bind_int64 (drop, 1, g_array_index (ids, gint64, i));
          if (!cp_sql_run (ledger, drop, _("Could not clean up the queue"), error))
            {
              cp_ledger_rollback (ledger);
              return deleted;
            }
        }
      if (!cp_ledger_commit (ledger, error))
        return deleted;
      deleted += ids->len;
    }

  if (deleted > 0)
    cp_ledger_emit_changed (ledger, "outbox_jobs");
  return deleted;
}

GPtrArray *
cp_outbox_list (CpLedger             *ledger,
                const CpOutboxQuery  *query,
                GError              **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  CpOutboxQuery none = { 0 };
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  if (query == NULL)
    query = &none;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT " CP_OUTBOX_JOB_COLUMNS " FROM outbox_jobs"
                                   " WHERE (?1 IS NULL OR integration_id = ?1)"
                                   " AND (?2 IS NULL OR state = ?2)"
                                   " AND (?3 = 0 OR state IN ('pending', 'started', 'dead'))"
                                   " AND id > ?4 ORDER BY id LIMIT ?5",
                                   error);
  if (stmt == NULL)
    return NULL;
  cp_sql_bind_text (stmt, 1, query->integration_id);
  if (query->has_state)
    cp_sql_bind_text (stmt, 2, cp_job_state_to_string (query->state));
  sqlite3_bind_int (stmt, 3, !query->has_state && query->unfinished_only);
  sqlite3_bind_int64 (stmt, 4, MAX (query->after_id, 0));
  sqlite3_bind_int64 (stmt, 5, query->limit > 0 ? query->limit : 100);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (jobs, cp_outbox_job_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      cp_ledger_set_error_from_sqlite (ledger, error, _("Could not read the queue"));
      return NULL;
    }
  return g_steal_pointer (&jobs);
}

CpOutboxJob *
cp_outbox_get (CpLedger    *ledger,
               gint64       job_id,
               GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT " CP_OUTBOX_JOB_COLUMNS " FROM outbox_jobs WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job_id);
  rc = cp_sql_step (ledger, stmt, _("Could not read the queue"), error);
  if (rc == SQLITE_ROW)
    return cp_outbox_job_from_stmt (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_NOT_FOUND,
                 _("There is no job %" PRId64 " in the queue."), job_id);
  return NULL;
}

gboolean
cp_outbox_count (CpLedger    *ledger,
                 const char  *integration_id,
                 guint       *out_pending,
                 guint       *out_started,
                 guint       *out_dead,
                 GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  guint counts[3] = { 0, 0, 0 };
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  /* The open jobs (outbox_jobs_open) and the dead ones (outbox_jobs_dead),
   * never the done jobs (the most by far). */
  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT (SELECT count(*) FROM outbox_jobs WHERE closed_at IS NULL"
                                   "         AND state = 'pending'"
                                   "         AND (?1 IS NULL OR integration_id = ?1)),"
                                   "       (SELECT count(*) FROM outbox_jobs WHERE closed_at IS NULL"
                                   "         AND state = 'started'"
                                   "         AND (?1 IS NULL OR integration_id = ?1)),"
                                   "       (SELECT count(*) FROM outbox_jobs WHERE state = 'dead'"
                                   "         AND (?1 IS NULL OR integration_id = ?1))",
                                   error);
  if (stmt == NULL)
    return FALSE;
  cp_sql_bind_text (stmt, 1, integration_id);
  rc = cp_sql_step (ledger, stmt, _("Could not read the queue"), error);
  if (rc != SQLITE_ROW)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    counts[i] = (guint) sqlite3_column_int64 (stmt, i);

  if (out_pending != NULL)
    *out_pending = counts[0];
  if (out_started != NULL)
    *out_started = counts[1];
  if (out_dead != NULL)
    *out_dead = counts[2];
  return TRUE;
}

gint64
cp_outbox_next_due (CpLedger    *ledger,
                    const char  *integration_id,
                    GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), 0);

  /* With an integration: its open jobs in outbox_jobs_open, by when
   * they are due. */
  if (integration_id != NULL)
    stmt = cp_ledger_prepare_cached (ledger,
                                     "SELECT min(next_attempt_at) FROM outbox_jobs"
                                     " WHERE integration_id = ?1 AND closed_at IS NULL"
                                     " AND state = 'pending'",
                                     error);
  else
    stmt = cp_ledger_prepare_cached (ledger,
                                     "SELECT min(next_attempt_at) FROM outbox_jobs"
                                     " WHERE closed_at IS NULL AND state = 'pending'",
                                     error);
  if (stmt == NULL)
    return 0;
  if (integration_id != NULL)
    cp_sql_bind_text (stmt, 1, integration_id);
  if (cp_sql_step (ledger, stmt, _("Could not read the queue"), error) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

guint
cp_outbox_enqueue_all_variants (CpLedger    *ledger,
                                const char  *integration_id,
                                const char  *kind,
                                GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  gint64 now = cp_ledger_now_us ();
  guint queued;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), 0);
  g_return_val_if_fail (integration_id != NULL && kind != NULL, 0);

  /* The same key and payload as the triggers, so a full sync coalesces
   * with what is already queued. Once the integration has variant
   * mappings, only mapped variants: the others have nowhere to go. */
  stmt = cp_ledger_prepare_cached (ledger,
                                   "INSERT INTO outbox_jobs (integration_id, kind, coalesce_key,"
                                   " payload, idempotency_key, next_attempt_at, created_at,"
                                   " updated_at)"
                                   " SELECT ?1, ?2, 'variant:' || v.id,"
                                   "  json_object ('variant_id', v.id), lower (hex (randomblob (16))),"
                                   "  ?3, ?3, ?3 FROM variants AS v"
                                   " WHERE NOT EXISTS (SELECT 1 FROM integration_mappings"
                                   "   WHERE integration_id = ?1 AND kind = 'variant')"
                                   "  OR EXISTS (SELECT 1 FROM integration_mappings AS m"
                                   "   WHERE m.integration_id = ?1 AND m.kind = 'variant'"
                                   "   AND (m.local_id = CAST (v.id AS TEXT) OR m.local_id = v.sku))"
                                   " ORDER BY v.id"
                                   " ON CONFLICT (integration_id, kind, coalesce_key)"
                                   " WHERE state = 'pending'"
                                   " DO UPDATE SET updated_at = excluded.updated_at",
                                   error);
  if (stmt == NULL)
    return 0;
  cp_sql_bind_text (stmt, 1, integration_id);
  cp_sql_bind_text (stmt, 2, kind);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!cp_sql_run (ledger, stmt, _("Could not queue the full sync"), error))
    return 0;

  queued = (guint) sqlite3_changes (cp_ledger_get_db (ledger));
  cp_ledger_emit_changed (ledger, "outbox_jobs");
  return queued;
}
