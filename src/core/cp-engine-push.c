/* cp-engine-push.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Draining one integration's outbox: claim a batch of one kind (up to
 * the connector's batch size), commit the request's fingerprint before a
 * byte is sent (the push context), send, then record every job's result
 * in one transaction. A batch the platform refuses as a whole is sent
 * again one job at a time, so one bad record never holds up the rest.
 */

#define G_LOG_DOMAIN "cp-engine"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "cp-activity.h"
#include "cp-crash-point.h"
#include "cp-engine-claim.h"
#include "cp-engine-private.h"
#include "cp-outbox.h"
#include "cp-outbox-private.h"

/* Far above any platform's batch (seed 001: 100); a connector asking for
 * more is mistaken, and a claim that large would hold a long lease. */
#define MAX_BATCH 1000

/* The most jobs one push takes, over all its requests (a lease holds
 * them all until the last request is answered). */
#define MAX_CLAIM 2000

/* The push context's will_send_many: the fingerprint of every job in the
 * requests about to go (FINGERPRINTS[i] for JOBS[i]), committed durably
 * (inside the claim's transaction for a batch's first announcement, else
 * in its own; the outbox makes either commit wait for the disk) before
 * the connector sends, so a resend after a crash is known as one and
 * carries the same idempotency key. A connector that announces all its
 * requests at once costs one durable commit for them all. */
static gboolean
will_send_many (GPtrArray           *jobs,
                const char * const  *fingerprints,
                gpointer             user_data,
                GError             **error)
{
  ClaimTx *claim = user_data;
  CpEngineRun *run = claim->run;
  gboolean ok;

  /* The batch's first announcement, in its claim's transaction: the
   * claim has just read what the outbox would read back. */
  if (claim->open)
    {
      ok = cp_outbox_mark_sending_claimed (run->ledger, jobs, run->epoch, fingerprints, error);
      if (ok)
        cp_engine_claim_started (claim, jobs);
    }
  else
    {
      g_autofree gint64 *ids = g_new (gint64, MAX (jobs->len, 1));

      for (guint i = 0; i < jobs->len; i++)
        ids[i] = ((CpOutboxJob *) g_ptr_array_index (jobs, i))->id;
      ok = cp_outbox_mark_sending_many (run->ledger, ids, jobs->len, run->epoch, fingerprints,
                                        NULL, error);
    }
  if (!ok && error != NULL && g_error_matches (*error, CP_OUTBOX_ERROR,
                                               CP_OUTBOX_ERROR_KEY_CHANGED))
    {
      g_autoptr(GError) commit_error = NULL;

      /* Nothing is sent, but the claim stands with the jobs' new keys:
       * push_jobs() has the request built again (with them). */
      if (!cp_engine_claim_end (claim, TRUE, &commit_error))
        {
          g_clear_error (error);
          g_propagate_error (error, g_steal_pointer (&commit_error));
        }
      return FALSE;
    }
  /* On any other failure the claim goes too: the jobs are pending as
   * before and nothing is sent. */
  if (!cp_engine_claim_end (claim, ok, ok ? error : NULL))
    ok = FALSE;
  return ok;
}

/* One request: every job carries its fingerprint. */
static gboolean
will_send (GPtrArray   *jobs,
           const char  *fingerprint,
           gpointer     user_data,
           GError     **error)
{
  g_autofree const char **fingerprints = g_new (const char *, MAX (jobs->len, 1));

  for (guint i = 0; i < jobs->len; i++)
    fingerprints[i] = fingerprint;
  return will_send_many (jobs, fingerprints, user_data, error);
}

static CpPushContext *
push_context_new (ClaimTx *claim)
{
  CpPushContext *context = cp_push_context_new (will_send, claim);

  cp_push_context_set_will_send_many (context, will_send_many);
  return context;
}

static void
clear_error (gpointer data)
{
  if (data != NULL)
    g_error_free (data);
}

static gboolean
is_connector_error (const GError *error,
                    int           code)
{
  return error != NULL && error->domain == CP_CONNECTOR_ERROR && error->code == code;
}

static CpConnectorCaps
cap_for_kind (const char *kind)
{
  if (g_str_equal (kind, CP_JOB_STOCK_PUSH))
    return CP_CONNECTOR_CAP_PUSH_STOCK;
  if (g_str_equal (kind, CP_JOB_PRODUCT_PUSH))
    return CP_CONNECTOR_CAP_PUSH_PRODUCTS;
  if (g_str_equal (kind, CP_JOB_ORDER_STATUS_PUSH))
    return CP_CONNECTOR_CAP_PUSH_ORDER_STATUS;
  return CP_CONNECTOR_CAP_NONE;
}

typedef struct
{
  gint64  job_id;
  char   *message;
} DeadJob;

static void
dead_job_free (gpointer data)
{
  DeadJob *dead = data;

  g_free (dead->message);
  g_free (dead);
}

/* One job's result, inside the results transaction. Returns FALSE with
 * ERROR when the ledger refused the write. */
static gboolean
record_one (CpEngineRun   *run,
            CpEngineSlot  *slot,
            CpOutboxJob   *job,
            const GError  *job_error,
            gboolean       whole_request,
            gint64         now,
            GPtrArray     *dead,
            const GError **out_escalate,
            GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *message = NULL;
  const char *details = cp_connector_error_get_exchange (job_error);
  const char *kind = cp_connector_error_kind_to_string (job_error);
  g_autofree char *reason = job_error != NULL ? cp_engine_reason (job_error) : NULL;
  CpJobState state = CP_JOB_PENDING;
  gboolean ok = TRUE;

  if (job_error == NULL)
    {
      /* Marked done with the rest of the batch (record_results). */
      run->done++;
      if (g_str_equal (job->kind, CP_JOB_STOCK_PUSH))
        slot->stock_done++;
      else if (g_str_equal (job->kind, CP_JOB_PRODUCT_PUSH))
        {
          message = g_strdup_printf (_("Sent a product to “%s”."), cp_engine_slot_name (slot));
          ok = cp_activity_log (run->ledger, CP_ACTIVITY_PRODUCT_SYNCED_TO_STORE,
                                CP_ACTIVITY_INFO, slot->id, job->id, message, NULL,
                                &local_error) != 0;
        }
      else if (g_str_equal (job->kind, CP_JOB_ORDER_STATUS_PUSH))
        {
          message = g_strdup_printf (_("Sent an order’s status to “%s”."),
                                     cp_engine_slot_name (slot));
          ok = cp_activity_log (run->ledger, CP_ACTIVITY_ORDER_STATUS_PUSHED,
                                CP_ACTIVITY_INFO, slot->id, job->id, message, NULL,
                                &local_error) != 0;
        }
    }
  else if (g_error_matches (job_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Not a failure: the same request goes again next time, with the
       * same idempotency key. */
      ok = cp_outbox_defer (run->ledger, job->id, run->epoch, now, "cancelled", &local_error);
    }
  else if (is_connector_error (job_error, CP_CONNECTOR_ERROR_RATE_LIMITED))
    {
      gint64 wait = MAX (cp_connector_error_get_wait_us (job_error), G_USEC_PER_SEC);

      ok = cp_outbox_defer (run->ledger, job->id, run->epoch, now + wait, kind, &local_error);
      if (*out_escalate == NULL)
        *out_escalate = job_error;
    }
  else if (is_connector_error (job_error, CP_CONNECTOR_ERROR_AUTH) ||
           is_connector_error (job_error, CP_CONNECTOR_ERROR_PERMISSION) ||
           is_connector_error (job_error, CP_CONNECTOR_ERROR_CONFIG))
    {
      /* The job is fine; the integration is not. It waits, attempts
       * untouched, until a person fixes it. */
      ok = cp_outbox_defer (run->ledger, job->id, run->epoch, now, kind, &local_error);
      if (*out_escalate == NULL)
        *out_escalate = job_error;
    }
  else if (is_connector_error (job_error, CP_CONNECTOR_ERROR_INVALID_DATA) ||
           is_connector_error (job_error, CP_CONNECTOR_ERROR_NOT_FOUND))
    {
      /* Retrying cannot help: set this record aside, keep the others going. */
      ok = cp_outbox_kill (run->ledger, job->id, run->epoch, kind, job_error->message, now,
                           &local_error);
      if (ok)
        {
          message = g_strdup_printf (_("“%s” refused a record (job %" PRId64 "): %s. "
                                       "Correct the record, then retry the job."),
                                     cp_engine_slot_name (slot), job->id, reason);
          ok = cp_activity_log (run->ledger, CP_ACTIVITY_RECORD_REJECTED, CP_ACTIVITY_ERROR,
                                slot->id, job->id, message, details, &local_error) != 0;
          state = CP_JOB_DEAD;
        }
    }
  else
    {
      ok = cp_outbox_fail (run->ledger, job->id, run->epoch, kind, job_error->message, now,
                           run->rand, &state, &local_error);
      if (ok && state == CP_JOB_DEAD)
        {
          message = g_strdup_printf (_("A job for “%s” failed %u times and was set aside "
                                       "(job %" PRId64 "): %s. Retry it once the "
                                       "store works again."),
                                     cp_engine_slot_name (slot), job->attempts + 1, job->id,
                                     reason);
          ok = cp_activity_log (run->ledger, CP_ACTIVITY_JOB_DEAD, CP_ACTIVITY_ERROR, slot->id,
                                job->id, message, details, &local_error) != 0;
        }
      else if (ok && !whole_request)
        {
          message = g_strdup_printf (_("“%s” could not take a record (job %" PRId64
                                       "): %s. Counterpart tries again by itself."),
                                     cp_engine_slot_name (slot), job->id, reason);
          ok = cp_activity_log (run->ledger, CP_ACTIVITY_STORE_CONNECTION_FAILED,
                                CP_ACTIVITY_WARNING, slot->id, job->id, message, details,
                                &local_error) != 0;
        }
    }

  if (!ok)
    {
      /* The job is no longer ours (a lease ran out and another run took
       * it, or a person cancelled it): its result is that run's to write. */
      if (local_error->domain == CP_OUTBOX_ERROR)
        {
          g_debug ("Job %" G_GINT64_FORMAT ": %s", job->id, local_error->message);
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (state == CP_JOB_DEAD)
    {
      DeadJob *d = g_new0 (DeadJob, 1);

      d->job_id = job->id;
      d->message = g_steal_pointer (&message);
      g_ptr_array_add (dead, d);
      run->done++;
    }
  return TRUE;
}

/* Every job's result in one transaction. ERRORS holds NULL (done) or the
 * job's classified error. */
static gboolean
record_results (CpEngineRun  *run,
                CpEngineSlot *slot,
                GPtrArray    *jobs,
                GPtrArray    *errors,
                gboolean      whole_request)
{
  g_autoptr(GPtrArray) dead = g_ptr_array_new_with_free_func (dead_job_free);
  g_autoptr(GArray) done_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  const GError *escalate = NULL;
  gint64 now = cp_ledger_now_us ();
  guint crash_after = MAX (jobs->len / 2, 1);
  gboolean any_done = FALSE;

  for (guint i = 0; i < jobs->len; i++)
    if (i >= errors->len || g_ptr_array_index (errors, i) == NULL)
      g_array_append_val (done_ids, ((CpOutboxJob *) g_ptr_array_index (jobs, i))->id);
  any_done = done_ids->len > 0;

  if (!cp_ledger_begin (run->ledger, &error))
    goto failed;

  /* The jobs that went, in one statement: a batch of 100 stock pushes
   * costs one UPDATE, not a hundred. A job no longer ours (its lease ran
   * out and another run took it) is left to that run. */
  if (any_done &&
      !cp_outbox_complete_many (run->ledger, (const gint64 *) done_ids->data, done_ids->len,
                                run->epoch, now, &error))
    {
      if (error->domain != CP_OUTBOX_ERROR)
        goto failed;
      g_debug ("%s: %s", slot->id, error->message);
      g_clear_error (&error);
    }
  if (any_done)
    cp_crash_point (CP_CRASH_POINT_MID_BATCH_COMMIT);

  for (guint i = 0; i < jobs->len; i++)
    {
      const GError *job_error = i < errors->len ? g_ptr_array_index (errors, i) : NULL;

      if (!record_one (run, slot, g_ptr_array_index (jobs, i), job_error, whole_request, now,
                       dead, &escalate, &error))
        goto failed;
      if (!any_done && i + 1 == crash_after)
        cp_crash_point (CP_CRASH_POINT_MID_BATCH_COMMIT);
    }

  if (any_done && !cp_integrations_record_success (run->ledger, slot->id, now, &error))
    goto failed;
  if (!cp_ledger_commit (run->ledger, &error))
    goto failed;

  for (guint i = 0; i < dead->len; i++)
    {
      DeadJob *d = g_ptr_array_index (dead, i);

      cp_engine_emit_job_dead (run->engine, slot->id, d->job_id, d->message);
    }
  cp_engine_set_progress_internal (run->engine, run->done, MAX (run->total, run->done));
  cp_engine_emit_integration_changed (run->engine, slot->id);

  if (any_done)
    cp_engine_note_request_success (run, slot);
  /* Per-record trouble that concerns the whole integration (a rate
   * limit, credentials) is dealt with once, as for a whole request. */
  if (escalate != NULL && !whole_request)
    return cp_engine_note_request_failure (run, slot, escalate, _("send to"));
  return run->stopped == NULL;

failed:
  if (cp_ledger_in_transaction (run->ledger))
    cp_ledger_rollback (run->ledger);
  if (!cp_engine_run_check_stop (run, error))
    g_warning ("Could not record what %s answered: %s", slot->id, error->message);
  return FALSE;
}

/* Every job of the request went: the hot path. They are marked done in
 * a durable transaction left open for the next claim to join (Carry),
 * which commits both. */
static gboolean
record_done_carried (CpEngineRun  *run,
                     CpEngineSlot *slot,
                     GPtrArray    *jobs,
                     Carry        *carry)
{
  g_autoptr(GPtrArray) dead = g_ptr_array_new_with_free_func (dead_job_free);
  g_autofree gint64 *ids = g_new (gint64, MAX (jobs->len, 1));
  g_autoptr(GError) error = NULL;
  const GError *escalate = NULL;
  gint64 now = cp_ledger_now_us ();

  for (guint i = 0; i < jobs->len; i++)
    ids[i] = ((CpOutboxJob *) g_ptr_array_index (jobs, i))->id;

  if (!cp_outbox_begin_durable (run->ledger, &carry->restore, &error))
    goto failed;
  carry->open = TRUE;
  carry->slot = slot;

  /* A job no longer ours (its lease ran out and another run took it) is
   * left to that run. */
  if (!cp_outbox_complete_many (run->ledger, ids, jobs->len, run->epoch, now, &error))
    {
      if (error->domain != CP_OUTBOX_ERROR)
        goto failed;
      g_debug ("%s: %s", slot->id, error->message);
      g_clear_error (&error);
    }
  cp_crash_point (CP_CRASH_POINT_MID_BATCH_COMMIT);

  for (guint i = 0; i < jobs->len; i++)
    if (!record_one (run, slot, g_ptr_array_index (jobs, i), NULL, FALSE, now, dead, &escalate,
                     &error))
      goto failed;
  if (!cp_integrations_record_success (run->ledger, slot->id, now, &error))
    goto failed;

  cp_engine_note_request_success (run, slot);
  return run->stopped == NULL;

failed:
  if (carry->open)
    {
      carry->open = FALSE;
      cp_outbox_end_durable (run->ledger, FALSE, carry->restore, NULL);
    }
  if (!cp_engine_run_check_stop (run, error))
    g_warning ("Could not record what %s answered: %s", slot->id, error->message);
  return FALSE;
}

/* The whole request failed: every job shares its error. */
static gboolean
record_request_failure (CpEngineRun  *run,
                        CpEngineSlot *slot,
                        GPtrArray    *jobs,
                        const GError *error)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (clear_error);

  /* Could not even write the fingerprint: nothing was sent, and the
   * jobs stay claimed until this run or the next one requeues them. */
  if (cp_engine_run_check_stop (run, error))
    return FALSE;

  /* The fingerprint could not be recorded because a job is no longer
   * ours: nothing was sent, so nothing failed; the rest wait their turn. */
  if (error->domain == CP_OUTBOX_ERROR)
    {
      for (guint i = 0; i < jobs->len; i++)
        g_ptr_array_add (errors, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                      error->message));
      return record_results (run, slot, jobs, errors, TRUE);
    }

  for (guint i = 0; i < jobs->len; i++)
    g_ptr_array_add (errors, g_error_copy (error));
  if (!record_results (run, slot, jobs, errors, TRUE))
    return FALSE;
  return cp_engine_note_request_failure (run, slot, error, _("send to"));
}

static gboolean push_jobs (CpEngineRun  *run,
                           CpEngineSlot *slot,
                           const char   *kind,
                           GPtrArray    *jobs,
                           ClaimTx      *claim,
                           Carry        *carry);

/* The platform refused the batch as a whole: one request per job finds
 * the bad one(s) and lets the rest through. */
static gboolean
push_one_by_one (CpEngineRun  *run,
                 CpEngineSlot *slot,
                 const char   *kind,
                 GPtrArray    *jobs)
{
  for (guint i = 0; i < jobs->len; i++)
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new ();
      ClaimTx none = CLAIM_TX_INIT (run);

      if (slot->blocked || !cp_engine_slot_take_token (run, slot))
        {
          /* Cancelled, or the integration stopped taking requests: the
           * rest go back to the queue as they were. */
          g_autoptr(GPtrArray) rest = g_ptr_array_new ();
          g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (clear_error);

          for (guint j = i; j < jobs->len; j++)
            {
              g_ptr_array_add (rest, g_ptr_array_index (jobs, j));
              g_ptr_array_add (errors, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                            "not sent"));
            }
          return record_results (run, slot, rest, errors, TRUE);
        }

      g_ptr_array_add (one, g_ptr_array_index (jobs, i));
      if (!push_jobs (run, slot, kind, one, &none, NULL))
        return FALSE;
    }
  return TRUE;
}

/* Sends JOBS (claimed, one kind; CLAIM open when their claim is not
 * committed yet) and records the outcome; when all of them went and
 * CARRY is given, in a transaction left open in it. Returns FALSE when
 * the run must stop. */
static gboolean
push_jobs (CpEngineRun  *run,
           CpEngineSlot *slot,
           const char   *kind,
           GPtrArray    *jobs,
           ClaimTx      *claim,
           Carry        *carry)
{
  g_autoptr(CpPushContext) context = push_context_new (claim);
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (clear_error);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) claim_error = NULL;
  ClaimTx again = CLAIM_TX_INIT (run);
  gboolean ok;

  ok = cp_connector_push (slot->connector, run->ledger, context, kind, jobs, errors,
                          run->cancellable, &error);

  /* A job sent before with another body took a new key (the outbox
   * refused the old one for this request) and the claim was committed
   * with it: the request is built once more, now with the new keys.
   * The second time no key can change (the new ones were never sent). */
  for (guint rebuilt = 0;
       !ok && rebuilt < 2 && g_error_matches (error, CP_OUTBOX_ERROR, CP_OUTBOX_ERROR_KEY_CHANGED);
       rebuilt++)
    {
      g_debug ("%s: %s", slot->id, error->message);
      g_clear_error (&error);
      g_ptr_array_set_size (errors, 0);
      claim = &again;
      cp_push_context_free (context);
      context = push_context_new (claim);
      if (!cp_outbox_reload_keys (run->ledger, jobs, &error))
        break;
      ok = cp_connector_push (slot->connector, run->ledger, context, kind, jobs, errors,
                              run->cancellable, &error);
    }
  cp_crash_point (CP_CRASH_POINT_AFTER_SEND_BEFORE_RECORD);

  /* No request was announced (nothing to send for these jobs, or the
   * connector failed before sending): the claim stands, and the results
   * below are recorded against it as usual. */
  if (!cp_engine_claim_end (claim, TRUE, &claim_error))
    {
      if (!cp_engine_run_check_stop (run, claim_error))
        g_warning ("Could not claim jobs for %s: %s", slot->id, claim_error->message);
      return FALSE;
    }
  g_debug ("Sent to %s: %s", slot->id, ok ? "answered" : error->message);

  if (ok)
    {
      if (errors->len != jobs->len)
        {
          /* A connector bug; the jobs are retried rather than lost. */
          g_warning ("The %s connector answered %u results for %u jobs",
                     slot->platform, errors->len, jobs->len);
          g_ptr_array_set_size (errors, 0);
          for (guint i = 0; i < jobs->len; i++)
            g_ptr_array_add (errors, g_error_new_literal (CP_CONNECTOR_ERROR,
                                                          CP_CONNECTOR_ERROR_REMOTE_BUG,
                                                          "no result for this record"));
        }
      if (carry != NULL)
        {
          guint failed = 0;

          for (guint i = 0; i < errors->len; i++)
            failed += g_ptr_array_index (errors, i) != NULL;
          if (failed == 0)
            return record_done_carried (run, slot, jobs, carry);
        }
      return record_results (run, slot, jobs, errors, FALSE);
    }

  if (is_connector_error (error, CP_CONNECTOR_ERROR_INVALID_DATA) && jobs->len > 1)
    return push_one_by_one (run, slot, kind, jobs);
  return record_request_failure (run, slot, jobs, error);
}

/* Jobs the connector cannot send at all go dead at once, with a reason a
 * person can act on, instead of failing eight times. */
static gboolean
refuse_jobs (CpEngineRun  *run,
             CpEngineSlot *slot,
             GPtrArray    *jobs)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (clear_error);

  for (guint i = 0; i < jobs->len; i++)
    {
      CpOutboxJob *job = g_ptr_array_index (jobs, i);

      g_ptr_array_add (errors, g_error_new (CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_INVALID_DATA,
                                            _("this platform cannot receive “%s”"), job->kind));
    }
  return record_results (run, slot, jobs, errors, FALSE);
}

/* The jobs one push takes: a batch per request (the connector's batch
 * size), and as many requests as the connector announces at once
 * (cp_connector_get_batches_per_push) and its rate limiter has to spare
 * right now, so that the requests of a push are not held up inside it
 * waiting for tokens. Under a tight limit a push is one request, as
 * before; with room, one durable commit serves them all. */
static guint
claim_size (CpEngineSlot *slot,
            const char   *kind)
{
  guint batch = CLAMP (cp_connector_get_batch_size (slot->connector, kind), 1, MAX_BATCH);
  guint batches = MIN (cp_connector_get_batches_per_push (slot->connector, kind), MAX_CLAIM / batch);
  CpRateLimiter *limiter = cp_connector_get_rate_limiter (slot->connector);
  gint64 now = g_get_monotonic_time ();

  while (batches > 1 && limiter != NULL && cp_rate_limiter_get_wait (limiter, (double) batches, now) > 0)
    batches--;
  return batch * MAX (batches, 1);
}

static gboolean
drain (CpEngineRun  *run,
       CpEngineSlot *slot,
       gint64       *out_next_mono,
       Carry        *carry)
{
  CpConnectorCaps caps = cp_connector_get_capabilities (slot->connector);

  *out_next_mono = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) jobs = NULL;
      g_autoptr(GPtrArray) more = NULL;
      g_autoptr(GError) error = NULL;
      ClaimTx claim = CLAIM_TX_INIT (run);
      CpOutboxJob *first;
      CpConnectorCaps needed;
      gint64 wait;
      guint batch;
      char *kind;

      if (cp_engine_run_cancelled (run) || run->stopped != NULL)
        return run->stopped == NULL;
      if (slot->blocked || slot->connector == NULL)
        return TRUE;

      wait = cp_engine_slot_wait_us (run, slot);
      if (wait > 0)
        {
          gint64 due = cp_outbox_next_due (run->ledger, slot->id, &error);

          if (error != NULL)
            return !cp_engine_run_check_stop (run, error);
          if (due > 0)
            *out_next_mono = MAX (g_get_monotonic_time () + wait, cp_engine_wall_to_mono (due));
          return TRUE;
        }

      /* The claim's transaction, committed with the first request's
       * fingerprints (ClaimTx), and with the last batch's done marks
       * when they are still open (Carry). */
      if (carry->open)
        {
          claim.open = TRUE;
          claim.restore = carry->restore;
          claim.announce = carry->slot;
          carry->open = FALSE;
          claim.nested = cp_ledger_begin (run->ledger, &error);
          if (!claim.nested)
            {
              cp_engine_claim_end (&claim, TRUE, NULL);
              return !cp_engine_run_check_stop (run, error);
            }
        }
      else
        {
          if (!cp_outbox_begin_durable (run->ledger, &claim.restore, &error))
            return !cp_engine_run_check_stop (run, error);
          claim.open = TRUE;
        }

      /* A batch is of one kind. The kind of the last batch goes first,
       * in one claim of a whole batch; when none of it is due, the
       * oldest due job decides the kind of the next. The jobs are read
       * here and written as started with the first request's
       * fingerprint (ClaimTx). */
      claim.claimed_at = cp_ledger_now_us ();
      claim.lease_until = claim.claimed_at + CP_OUTBOX_LEASE_US;
      if (slot->last_kind != NULL)
        {
          batch = claim_size (slot, slot->last_kind);
          jobs = cp_outbox_read_due (run->ledger, slot->id, slot->last_kind, batch, run->epoch,
                                     claim.claimed_at, claim.lease_until, &error);
          if (jobs == NULL)
            {
              cp_engine_claim_end (&claim, FALSE, NULL);
              return !cp_engine_run_check_stop (run, error);
            }
          if (jobs->len == 0)
            g_clear_pointer (&jobs, g_ptr_array_unref);
        }

      if (jobs == NULL)
        {
          jobs = cp_outbox_read_due (run->ledger, slot->id, NULL, 1, run->epoch,
                                     claim.claimed_at, claim.lease_until, &error);
          if (jobs == NULL)
            {
              cp_engine_claim_end (&claim, FALSE, NULL);
              return !cp_engine_run_check_stop (run, error);
            }
          if (jobs->len == 0)
            {
              gint64 due;

              /* Nothing was claimed: nothing to commit but the last
               * batch's done marks. */
              cp_engine_claim_end (&claim, FALSE, NULL);
              g_clear_pointer (&slot->last_kind, g_free);
              if (slot->own_limiter != NULL &&
                  cp_engine_slot_get_limiter (slot) == slot->own_limiter)
                cp_rate_limiter_refund (slot->own_limiter, 1, g_get_monotonic_time ());
              due = cp_outbox_next_due (run->ledger, slot->id, &error);
              if (error != NULL)
                return !cp_engine_run_check_stop (run, error);
              if (due > 0)
                *out_next_mono = cp_engine_wall_to_mono (due);
              return TRUE;
            }

          first = g_ptr_array_index (jobs, 0);
          batch = claim_size (slot, first->kind);
          if (batch > 1)
            {
              /* The oldest due job is the oldest of its kind too: it
               * leads the batch read again with the others. */
              more = cp_outbox_read_due (run->ledger, slot->id, first->kind, batch, run->epoch,
                                         claim.claimed_at, claim.lease_until, &error);
              if (more == NULL)
                {
                  cp_engine_claim_end (&claim, FALSE, NULL);
                  return !cp_engine_run_check_stop (run, error);
                }
              if (more->len > 0)
                {
                  g_ptr_array_unref (jobs);
                  jobs = g_steal_pointer (&more);
                }
            }
          g_free (slot->last_kind);
          slot->last_kind = g_strdup (((CpOutboxJob *) g_ptr_array_index (jobs, 0))->kind);
        }

      claim.unstarted = g_array_sized_new (FALSE, FALSE, sizeof (gint64), jobs->len);
      for (guint i = 0; i < jobs->len; i++)
        g_array_append_val (claim.unstarted, ((CpOutboxJob *) g_ptr_array_index (jobs, i))->id);

      first = g_ptr_array_index (jobs, 0);
      kind = first->kind;
      cp_crash_point (CP_CRASH_POINT_AFTER_CLAIM);
      g_debug ("Sending %u %s jobs to %s (first %" G_GINT64_FORMAT ", attempts %u)",
               jobs->len, kind, slot->id, first->id, first->attempts);

      needed = cap_for_kind (kind);
      if (needed != CP_CONNECTOR_CAP_NONE && !(caps & needed))
        {
          if (!cp_engine_claim_end (&claim, TRUE, &error))
            return !cp_engine_run_check_stop (run, error);
          if (!refuse_jobs (run, slot, jobs))
            return FALSE;
          continue;
        }

      if (!push_jobs (run, slot, kind, jobs, &claim, carry))
        return FALSE;
    }
}

gboolean
cp_engine_push_drain (CpEngineRun  *run,
                      CpEngineSlot *slot,
                      gint64       *out_next_mono)
{
  Carry carry = { FALSE, 0, NULL };
  gboolean ok = drain (run, slot, out_next_mono, &carry);

  /* Whatever ended the drain, the last batch's done marks are kept. */
  if (!cp_engine_carry_end (run, &carry))
    ok = FALSE;
  return ok;
}
