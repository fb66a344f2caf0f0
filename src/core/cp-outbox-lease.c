/* cp-outbox-lease.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What becomes of claimed jobs: the fingerprint committed durably before
 * sending, then done, failed with backoff, dead or deferred. Only the run
 * that holds a job's lease (its boot epoch) may record any of it. The
 * batch calls record a whole request's worth of jobs in one transaction;
 * the hot ones (mark_sending, complete) in one statement per batch.
 */

#define G_LOG_DOMAIN "cp-outbox"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "cp-backoff.h"
#include "cp-outbox.h"
#include "cp-outbox-private.h"

/* A job still leased to the caller's run, as the batch calls see it. */
typedef struct
{
  gint64      id;
  guint       attempts;
  guint       max_attempts;
  const char *fingerprint;  /* the one stored; valid during the callback */
  guint       index;        /* in the caller's array */
} Leased;

typedef gboolean (*LeasedFunc) (CpLedger      *ledger,
                                const Leased  *job,
                                gpointer       user_data,
                                GError       **error);

/* After a batch: the jobs of IDS that HELD says were not leased to the
 * run any more. Another run took them over (it started after this one,
 * thinking it had stopped) or a person cancelled them: that run sends
 * them again, with the same keys. Sets ERROR (LEASE_LOST, or NOT_FOUND
 * when none of them exists) and returns FALSE when there was one. */
static gboolean
check_held (CpLedger       *ledger,
            const gint64   *ids,
            guint           n,
            const gboolean *held,
            GError        **error)
{
  g_autoptr(CpSqlCachedStmt) exists = NULL;
  guint lost = 0;
  gint64 first_lost = 0;
  gint64 first_missing = 0;

  for (guint i = 0; i < n; i++)
    {
      if (held[i])
        continue;

      if (exists == NULL)
        exists = cp_ledger_prepare_cached (ledger, "SELECT 1 FROM outbox_jobs WHERE id = ?1", error);
      if (exists == NULL)
        return FALSE;
      sqlite3_reset (exists);
      sqlite3_bind_int64 (exists, 1, ids[i]);
      if (sqlite3_step (exists) == SQLITE_ROW)
        {
          lost++;
          first_lost = first_lost != 0 ? first_lost : ids[i];
        }
      else if (first_missing == 0)
        first_missing = ids[i];
    }

  if (lost > 0)
    {
      g_set_error (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_LEASE_LOST,
                   _("%u of the changes being sent (job %" PRId64 " first) are no longer "
                     "held by this run: another one took them over."),
                   lost, first_lost);
      return FALSE;
    }
  if (first_missing != 0)
    {
      g_set_error (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_NOT_FOUND,
                   _("There is no job %" PRId64 " in the queue."), first_missing);
      return FALSE;
    }
  return TRUE;
}

/* Where each id is in the caller's array. */
static GHashTable *
index_ids (const gint64 *ids,
           guint         n)
{
  GHashTable *index = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < n; i++)
    g_hash_table_insert (index, (gpointer) &ids[i], GUINT_TO_POINTER (i));
  return index;
}

/* One transaction over IDS: FUNC for each job still leased to EPOCH.
 * Jobs that are not are left alone and reported once all the others are
 * committed. For the rarer outcomes (failed, dead, deferred), which
 * differ per job. */
static gboolean
for_each_leased (CpLedger     *ledger,
                 const gint64 *ids,
                 guint         n,
                 gint64        epoch,
                 LeasedFunc    func,
                 gpointer      user_data,
                 GError      **error)
{
  g_autoptr(CpSqlCachedStmt) lookup = NULL;
  g_autofree gboolean *held = g_new0 (gboolean, MAX (n, 1));

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (ids != NULL || n == 0, FALSE);

  if (n == 0)
    return TRUE;

  if (!cp_ledger_begin (ledger, error))
    return FALSE;

  lookup = cp_ledger_prepare_cached (ledger,
                                     "SELECT attempts, max_attempts, request_fingerprint"
                                     " FROM outbox_jobs WHERE id = ?1 AND state = 'started'"
                                     " AND lease_epoch IS ?2",
                                     error);
  if (lookup == NULL)
    goto fail;

  for (guint i = 0; i < n; i++)
    {
      Leased job = { ids[i], 0, 0, NULL, i };
      int rc;

      sqlite3_bind_int64 (lookup, 1, ids[i]);
      sqlite3_bind_int64 (lookup, 2, epoch);
      rc = cp_sql_step (ledger, lookup, _("Could not read the queue"), error);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        goto fail;
      if (rc == SQLITE_ROW)
        {
          held[i] = TRUE;
          job.attempts = (guint) sqlite3_column_int64 (lookup, 0);
          job.max_attempts = (guint) sqlite3_column_int64 (lookup, 1);
          job.fingerprint = (const char *) sqlite3_column_text (lookup, 2);
          if (!func (ledger, &job, user_data, error))
            goto fail;
        }
      sqlite3_reset (lookup);
    }

  cp_ledger_emit_changed (ledger, "outbox_jobs");
  if (!cp_ledger_commit (ledger, error))
    return FALSE;

  return check_held (ledger, ids, n, held, error);

fail:
  if (lookup != NULL)
    sqlite3_reset (lookup);
  cp_ledger_rollback (ledger);
  return FALSE;
}

/* Whether a job of KIND sets an absolute value, so that a request with
 * another body may go under a new key without doing anything twice.
 * Stock pushes send the latest quantity (the payload only names the
 * variant); creates and deltas must keep their key, and a kind not known
 * here is treated as one of them. */
static gboolean
kind_may_take_new_key (const char *kind)
{
  return g_strcmp0 (kind, CP_JOB_STOCK_PUSH) == 0;
}

/* Gives the jobs of IDS marked in ROTATE a new key and forgets what was
 * sent under the old one, inside the caller's transaction. */
static gboolean
rotate_keys (CpLedger       *ledger,
             const gint64   *ids,
             guint           n,
             const gboolean *rotate,
             gint64          now,
             GError        **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "UPDATE outbox_jobs SET idempotency_key = lower (hex (randomblob (16))),"
                                   " request_fingerprint = NULL, sent_at = NULL, updated_at = ?2"
                                   " WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (!rotate[i])
        continue;
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, ids[i]);
      sqlite3_bind_int64 (stmt, 2, now);
      if (!cp_sql_run (ledger, stmt, _("Could not save the queue"), error))
        return FALSE;
    }
  return TRUE;
}

/* The batch's fingerprints, in one transaction: the previous ones read
 * in one statement, the new ones written in one when the batch shares
 * one (the usual case: one request). */
/* The request changed since its jobs were last sent: the jobs marked in
 * ROTATE take new keys, committed, and the send is refused with
 * KEY_CHANGED so the caller builds it again under them. Ends the caller's
 * transaction either way; always FALSE. */
static gboolean
renew_keys_and_refuse (CpLedger       *ledger,
                       const gint64   *ids,
                       guint           n,
                       const gboolean *rotate,
                       gint64          now,
                       GError        **error)
{
  if (!rotate_keys (ledger, ids, n, rotate, now, error))
    {
      cp_ledger_rollback (ledger);
      return FALSE;
    }
  cp_ledger_emit_changed (ledger, "outbox_jobs");
  if (!cp_ledger_commit (ledger, error))
    return FALSE;
  g_set_error_literal (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_KEY_CHANGED,
                       _("The changes being sent were changed since they were last "
                         "sent: they go again under new keys."));
  return FALSE;
}

static gboolean
mark_sending_batch (CpLedger            *ledger,
                    const gint64        *ids,
                    guint                n,
                    gint64               epoch,
                    const char * const  *fingerprints,
                    GPtrArray           *previous,
                    GError             **error)
{
  g_autoptr(GHashTable) index = index_ids (ids, n);
  g_autofree gboolean *held = g_new0 (gboolean, MAX (n, 1));
  g_autofree gboolean *rotate = g_new0 (gboolean, MAX (n, 1));
  g_autofree char *json = cp_sql_ids_to_json (ids, n, FALSE);
  g_autoptr(CpSqlCachedStmt) read = NULL;
  g_autoptr(CpSqlCachedStmt) write = NULL;
  gboolean shared = TRUE;
  gboolean changed = FALSE;
  gint64 now = cp_ledger_now_us ();
  int rc;

  for (guint i = 1; i < n; i++)
    shared &= g_strcmp0 (fingerprints[i], fingerprints[0]) == 0;

  if (!cp_ledger_begin (ledger, error))
    return FALSE;

  /* "sent_at < updated_at": the fingerprint stored is an earlier
   * attempt's. The claim that started this attempt moved updated_at on,
   * and marking sets both to the same time, so a second request of the
   * same attempt (a resend without the records the platform refused)
   * is not taken for a changed retry. */
  read = cp_ledger_prepare_cached (ledger,
                                   "SELECT id, request_fingerprint, kind,"
                                   " sent_at IS NOT NULL AND sent_at < updated_at"
                                   " FROM outbox_jobs"
                                   " WHERE id IN (SELECT value FROM json_each (?1))"
                                   " AND state = 'started' AND lease_epoch IS ?2",
                                   error);
  if (read == NULL)
    goto fail;
  cp_sql_bind_text (read, 1, json);
  sqlite3_bind_int64 (read, 2, epoch);
  while ((rc = sqlite3_step (read)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (read, 0);
      gpointer where;

      if (g_hash_table_lookup_extended (index, &id, NULL, &where))
        {
          guint i = GPOINTER_TO_UINT (where);
          char *before = cp_sql_dup_text (read, 1);

          held[i] = TRUE;
          g_ptr_array_index (previous, i) = before;
          if (before != NULL && sqlite3_column_int (read, 3) != 0 &&
              kind_may_take_new_key ((const char *) sqlite3_column_text (read, 2)))
            {
              rotate[i] = TRUE;
              changed |= g_strcmp0 (before, fingerprints[i]) != 0;
            }
        }
    }
  if (rc != SQLITE_DONE)
    {
      cp_ledger_set_error_from_sqlite (ledger, error, _("Could not read the queue"));
      goto fail;
    }
  sqlite3_reset (read);

  /* Every job of the request that went before takes a new key, not only
   * those whose own body changed: a key that changes changes the request
   * of the others too (Shopify's is derived from all of them), and they
   * would come back here on the next try. */
  if (changed)
    return renew_keys_and_refuse (ledger, ids, n, rotate, now, error);

  if (shared)
    write = cp_ledger_prepare_cached (ledger,
                                      "UPDATE outbox_jobs SET request_fingerprint = ?3, sent_at = ?4,"
                                      " updated_at = ?4"
                                      " WHERE id IN (SELECT value FROM json_each (?1))"
                                      " AND state = 'started' AND lease_epoch IS ?2",
                                      error);
  else
    write = cp_ledger_prepare_cached (ledger,
                                      "UPDATE outbox_jobs SET request_fingerprint = ?3, sent_at = ?4,"
                                      " updated_at = ?4 WHERE id = ?1",
                                      error);
  if (write == NULL)
    goto fail;
  for (guint i = 0; i < n; i++)
    {
      if (!shared && !held[i])
        continue;
      sqlite3_reset (write);
      if (shared)
        cp_sql_bind_text (write, 1, json);
      else
        sqlite3_bind_int64 (write, 1, ids[i]);
      sqlite3_bind_int64 (write, 2, epoch);
      cp_sql_bind_text (write, 3, fingerprints[i]);
      sqlite3_bind_int64 (write, 4, now);
      if (!cp_sql_run (ledger, write, _("Could not save the queue"), error))
        goto fail;
      if (shared)
        break;
    }

  cp_ledger_emit_changed (ledger, "outbox_jobs");
  if (!cp_ledger_commit (ledger, error))
    return FALSE;
  return check_held (ledger, ids, n, held, error);

fail:
  if (read != NULL)
    sqlite3_reset (read);
  cp_ledger_rollback (ledger);
  return FALSE;
}

gboolean
cp_outbox_mark_sending_claimed (CpLedger            *ledger,
                                GPtrArray           *jobs,
                                gint64               epoch,
                                const char * const  *fingerprints,
                                GError             **error)
{
  g_autofree gint64 *ids = NULL;
  g_autofree gboolean *rotate = NULL;
  gboolean changed = FALSE;
  gint64 now = cp_ledger_now_us ();
  gint64 lease_until = 0;
  guint n;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (cp_ledger_in_transaction (ledger), FALSE);
  g_return_val_if_fail (jobs != NULL, FALSE);

  n = jobs->len;
  if (n == 0)
    return TRUE;
  g_return_val_if_fail (fingerprints != NULL, FALSE);

  ids = g_new (gint64, n);
  rotate = g_new0 (gboolean, n);
  for (guint i = 0; i < n; i++)
    {
      const CpOutboxJob *job = g_ptr_array_index (jobs, i);

      ids[i] = job->id;
      lease_until = MAX (lease_until, job->lease_until);
      /* As mark_sending_batch() reads it: an earlier attempt's
       * fingerprint (the claim moved updated_at on past its sent_at). */
      if (job->request_fingerprint != NULL && job->sent_at != 0 &&
          job->sent_at < job->updated_at && kind_may_take_new_key (job->kind))
        {
          rotate[i] = TRUE;
          changed |= g_strcmp0 (job->request_fingerprint, fingerprints[i]) != 0;
        }
    }

  /* Its failure ends the claim (will_send_many()). */
  if (!cp_ledger_join (ledger, error))
    return FALSE;

  if (changed)
    return renew_keys_and_refuse (ledger, ids, n, rotate, now, error);

  /* Started and announced in one write of each row: one statement per
   * request, whose jobs come together. */
  for (guint first = 0; first < n;)
    {
      guint end = first + 1;

      while (end < n && g_str_equal (fingerprints[end], fingerprints[first]))
        end++;
      if (!cp_outbox_start_read (ledger, ids + first, end - first, epoch, lease_until, now,
                                 fingerprints[first], error))
        goto fail;
      first = end;
    }
  return cp_ledger_commit (ledger, error);

fail:
  cp_ledger_rollback (ledger);
  return FALSE;
}

gboolean
cp_outbox_reload_keys (CpLedger   *ledger,
                       GPtrArray  *jobs,
                       GError    **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (jobs != NULL, FALSE);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT idempotency_key, request_fingerprint, sent_at"
                                   " FROM outbox_jobs WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < jobs->len; i++)
    {
      CpOutboxJob *job = g_ptr_array_index (jobs, i);
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, job->id);
      rc = cp_sql_step (ledger, stmt, _("Could not read the queue"), error);
      if (rc == SQLITE_DONE)
        continue;  /* gone: the results say so */
      if (rc != SQLITE_ROW)
        return FALSE;
      cp_outbox_job_take_string (job, &job->idempotency_key, cp_sql_dup_text (stmt, 0));
      cp_outbox_job_take_string (job, &job->request_fingerprint, cp_sql_dup_text (stmt, 1));
      job->sent_at = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* The next commit waits for the disk: what it records is shown to the
 * platform next, and after a power cut the ledger must still know that
 * a key may have been used (WAL with NORMAL would not). Outside a
 * transaction only: SQLite refuses to change the level inside one.
 * *OUT_RESTORE is the level to put back with restore_synchronous().
 *
 * Each call parses its PRAGMA again: a prepared "PRAGMA synchronous = …"
 * takes effect when it is compiled, so SQLite compiles it again on every
 * run and a cached statement would save nothing (measured). */
static gboolean
synchronous_full (CpLedger  *ledger,
                  gint64    *out_restore,
                  GError   **error)
{
  *out_restore = CLAMP (cp_sql_query_int (ledger, "PRAGMA synchronous", 1), 0, 3);
  return cp_sql_exec (ledger, "PRAGMA synchronous = FULL", _("Could not save the queue"), error);
}

static void
restore_synchronous (CpLedger *ledger,
                     gint64    level)
{
  static const char * const pragmas[] = {
    "PRAGMA synchronous = 0", "PRAGMA synchronous = 1",
    "PRAGMA synchronous = 2", "PRAGMA synchronous = 3",
  };

  sqlite3_exec (cp_ledger_get_db (ledger), pragmas[CLAMP (level, 0, 3)], NULL, NULL, NULL);
}

gboolean
cp_outbox_begin_durable (CpLedger  *ledger,
                         gint64    *out_restore,
                         GError   **error)
{
  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (!cp_ledger_in_transaction (ledger), FALSE);

  if (!synchronous_full (ledger, out_restore, error))
    return FALSE;
  if (!cp_ledger_begin (ledger, error))
    {
      cp_outbox_end_durable (ledger, FALSE, *out_restore, NULL);
      return FALSE;
    }
  return TRUE;
}

gboolean
cp_outbox_end_durable (CpLedger  *ledger,
                       gboolean   commit,
                       gint64     restore,
                       GError   **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  if (cp_ledger_in_transaction (ledger))
    {
      if (commit)
        ok = cp_ledger_commit (ledger, error);
      else
        cp_ledger_rollback (ledger);
    }
  restore_synchronous (ledger, restore);
  return ok;
}

gboolean
cp_outbox_mark_sending_many (CpLedger           *ledger,
                             const gint64        *ids,
                             guint                n,
                             gint64               epoch,
                             const char * const  *fingerprints,
                             GPtrArray          **out_previous,
                             GError             **error)
{
  g_autoptr(GPtrArray) previous = g_ptr_array_new_full (n, g_free);
  gint64 synchronous;
  gboolean ok;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (ids != NULL || n == 0, FALSE);
  g_return_val_if_fail (fingerprints != NULL || n == 0, FALSE);

  g_ptr_array_set_size (previous, n);

  if (n == 0)
    ok = TRUE;
  /* SQLite refuses to change the safety level inside a transaction: in
   * the caller's transaction, its COMMIT decides how durable this is. */
  else if (cp_ledger_in_transaction (ledger))
    ok = mark_sending_batch (ledger, ids, n, epoch, fingerprints, previous, error);
  else
    {
      /* This one commit waits for the disk. */
      if (!synchronous_full (ledger, &synchronous, error))
        return FALSE;
      ok = mark_sending_batch (ledger, ids, n, epoch, fingerprints, previous, error);
      restore_synchronous (ledger, synchronous);
    }

  if (out_previous != NULL)
    *out_previous = g_steal_pointer (&previous);
  return ok;
}

gboolean
cp_outbox_mark_sending (CpLedger    *ledger,
                        gint64       job_id,
                        gint64       epoch,
                        const char  *fingerprint,
                        char       **out_previous,
                        GError     **error)
{
  g_autoptr(GPtrArray) previous = NULL;
  const char *fingerprints[] = { fingerprint };
  gboolean ok;

  ok = cp_outbox_mark_sending_many (ledger, &job_id, 1, epoch, fingerprints, &previous, error);
  if (out_previous != NULL)
    *out_previous = ok && previous != NULL ? g_strdup (g_ptr_array_index (previous, 0)) : NULL;
  return ok;
}

gboolean
cp_outbox_complete_many (CpLedger     *ledger,
                         const gint64 *ids,
                         guint         n,
                         gint64        epoch,
                         gint64        now_us,
                         GError      **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  gboolean run;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (ids != NULL || n == 0, FALSE);

  if (n == 0)
    return TRUE;

  /* Every caller rolls its own transaction back when this fails. */
  if (!cp_ledger_join (ledger, error))
    return FALSE;

  /* The hot path of a sync: one statement for the whole batch, and no
   * RETURNING (which keeps every row aside): when it changed as many
   * rows as it was given, each of them was still ours. A batch is most
   * often one run of ids; OR FAIL as there. */
#define DONE_SET "UPDATE OR FAIL outbox_jobs SET state = 'done', done_at = ?3, closed_at = ?3," \
                 " updated_at = ?3, lease_until = NULL, last_error = NULL," \
                 " last_error_kind = NULL"
#define DONE_MINE " AND state = 'started' AND lease_epoch IS ?2"
  run = cp_sql_ids_are_run (ids, n);
  stmt = cp_ledger_prepare_cached (ledger,
                                   run ? DONE_SET " WHERE id BETWEEN ?1 AND ?4" DONE_MINE
                                       : DONE_SET " WHERE id IN (SELECT value FROM json_each (?1))"
                                         DONE_MINE,
                                   error);
#undef DONE_SET
#undef DONE_MINE
  if (stmt == NULL)
    goto fail;
  cp_sql_bind_ids_or_run (stmt, 1, 4, ids, n, run);
  sqlite3_bind_int64 (stmt, 2, epoch);
  sqlite3_bind_int64 (stmt, 3, now_us);
  if (!cp_sql_run (ledger, stmt, _("Could not save the queue"), error))
    goto fail;

  if ((guint) sqlite3_changes (cp_ledger_get_db (ledger)) != n)
    {
      g_autofree gboolean *held = g_new0 (gboolean, n);
      g_autoptr(CpSqlCachedStmt) mine = NULL;

      /* Some were not ours (or an id came twice): which ones, from what
       * this statement left. */
      mine = cp_ledger_prepare_cached (ledger,
                                       "SELECT 1 FROM outbox_jobs WHERE id = ?1 AND state = 'done'"
                                       " AND done_at = ?2 AND lease_epoch IS ?3",
                                       error);
      if (mine == NULL)
        goto fail;
      for (guint i = 0; i < n; i++)
        {
          sqlite3_reset (mine);
          sqlite3_bind_int64 (mine, 1, ids[i]);
          sqlite3_bind_int64 (mine, 2, now_us);
          sqlite3_bind_int64 (mine, 3, epoch);
          held[i] = sqlite3_step (mine) == SQLITE_ROW;
        }
      sqlite3_reset (mine);

      cp_ledger_emit_changed (ledger, "outbox_jobs");
      if (!cp_ledger_commit (ledger, error))
        return FALSE;
      return check_held (ledger, ids, n, held, error);
    }

  cp_ledger_emit_changed (ledger, "outbox_jobs");
  return cp_ledger_commit (ledger, error);

fail:
  cp_ledger_rollback (ledger);
  return FALSE;
}

gboolean
cp_outbox_complete (CpLedger    *ledger,
                    gint64       job_id,
                    gint64       epoch,
                    gint64       now_us,
                    GError     **error)
{
  return cp_outbox_complete_many (ledger, &job_id, 1, epoch, now_us, error);
}

typedef struct
{
  const char *error_kind;
  const char *message;
  gint64      now;
  gint64      not_before;
  GRand      *rand;
  gboolean    kill;
  gboolean    defer;
  guint       dead;
  CpJobState  last_state;
} FailData;

static gboolean
fail_one (CpLedger      *ledger,
          const Leased  *job,
          gpointer       user_data,
          GError       **error)
{
  FailData *data = user_data;
  guint attempts;

  if (data->defer)
    {
      /* A wait imposed from outside says nothing about this job: it keeps
       * its attempts. */
      data->last_state = CP_JOB_PENDING;
      return cp_outbox_requeue_locked (ledger, job->id, job->attempts, data->not_before,
                                       "deferred", data->message, data->now, error);
    }

  attempts = job->attempts + 1;
  if (data->kill || attempts >= job->max_attempts)
    {
      data->dead++;
      data->last_state = CP_JOB_DEAD;
      return cp_outbox_set_dead_locked (ledger, job->id, attempts, data->error_kind, data->message,
                              data->now, error);
    }

  /* Full jitter: anywhere in [0, ceiling], so jobs that failed together
   * come back spread over the whole window, not in one instant. Attempt 0
   * of the backoff is the first retry. */
  data->last_state = CP_JOB_PENDING;
  return cp_outbox_requeue_locked (ledger, job->id, attempts,
                                   data->now + cp_backoff_delay_us (CP_OUTBOX_BACKOFF_BASE_US,
                                                                    CP_OUTBOX_BACKOFF_CAP_US,
                                                                    job->attempts, data->rand),
                                   data->error_kind, data->message, data->now, error);
}

gboolean
cp_outbox_fail_many (CpLedger     *ledger,
                     const gint64 *ids,
                     guint         n,
                     gint64        epoch,
                     const char   *error_kind,
                     const char   *message,
                     gint64        now_us,
                     GRand        *rand,
                     guint        *out_dead,
                     GError      **error)
{
  FailData data = { error_kind, message, now_us, 0, rand, FALSE, FALSE, 0, CP_JOB_PENDING };
  gboolean ok = for_each_leased (ledger, ids, n, epoch, fail_one, &data, error);

  if (out_dead != NULL)
    *out_dead = data.dead;
  return ok;
}

gboolean
cp_outbox_fail (CpLedger    *ledger,
                gint64       job_id,
                gint64       epoch,
                const char  *error_kind,
                const char  *message,
                gint64       now_us,
                GRand       *rand,
                CpJobState  *out_state,
                GError     **error)
{
  FailData data = { error_kind, message, now_us, 0, rand, FALSE, FALSE, 0, CP_JOB_STARTED };
  gboolean ok = for_each_leased (ledger, &job_id, 1, epoch, fail_one, &data, error);

  if (out_state != NULL)
    *out_state = data.last_state;
  return ok;
}

gboolean
cp_outbox_kill_many (CpLedger     *ledger,
                     const gint64 *ids,
                     guint         n,
                     gint64        epoch,
                     const char   *error_kind,
                     const char   *message,
                     gint64        now_us,
                     GError      **error)
{
  FailData data = { error_kind, message, now_us, 0, NULL, TRUE, FALSE, 0, CP_JOB_DEAD };

  return for_each_leased (ledger, ids, n, epoch, fail_one, &data, error);
}

gboolean
cp_outbox_kill (CpLedger    *ledger,
                gint64       job_id,
                gint64       epoch,
                const char  *error_kind,
                const char  *message,
                gint64       now_us,
                GError     **error)
{
  return cp_outbox_kill_many (ledger, &job_id, 1, epoch, error_kind, message, now_us, error);
}

gboolean
cp_outbox_defer_many (CpLedger     *ledger,
                      const gint64 *ids,
                      guint         n,
                      gint64        epoch,
                      gint64        not_before_us,
                      const char   *reason,
                      GError      **error)
{
  FailData data = { "deferred", reason, cp_ledger_now_us (), not_before_us, NULL,
                    FALSE, TRUE, 0, CP_JOB_PENDING };

  return for_each_leased (ledger, ids, n, epoch, fail_one, &data, error);
}

gboolean
cp_outbox_defer (CpLedger    *ledger,
                 gint64       job_id,
                 gint64       epoch,
                 gint64       not_before_us,
                 const char  *reason,
                 GError     **error)
{
  return cp_outbox_defer_many (ledger, &job_id, 1, epoch, not_before_us, reason, error);
}
