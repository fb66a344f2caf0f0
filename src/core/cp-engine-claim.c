/* cp-engine-claim.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The transaction a batch is claimed in: see cp-engine-claim.h.
 */

#define G_LOG_DOMAIN "cp-engine"

#include "config.h"

#include "cp-engine-claim.h"
#include "cp-outbox-private.h"

/* Before the claim commits: the jobs it read and no request started. */
static gboolean
claim_start_rest (ClaimTx  *claim,
                  GError  **error)
{
  CpEngineRun *run = claim->run;
  gboolean ok;

  if (claim->unstarted == NULL || claim->unstarted->len == 0)
    return TRUE;
  ok = cp_outbox_start_read (run->ledger, (const gint64 *) claim->unstarted->data,
                             claim->unstarted->len, run->epoch, claim->lease_until,
                             claim->claimed_at, NULL, error);
  g_array_set_size (claim->unstarted, 0);
  return ok;
}

/* The announced jobs were started with their announcement. A push of
 * many requests announces them all at once (up to 2,000 jobs): one pass
 * over a set of their ids, not a search of the claim per job. */
void
cp_engine_claim_started (ClaimTx   *claim,
                         GPtrArray *jobs)
{
  g_autoptr(GHashTable) announced = NULL;
  guint kept = 0;

  if (claim->unstarted == NULL || jobs->len == 0)
    return;

  /* Most often the announced jobs are the first ones claimed, in the
   * order claimed. */
  for (kept = 0; kept < jobs->len && kept < claim->unstarted->len; kept++)
    if (((CpOutboxJob *) g_ptr_array_index (jobs, kept))->id !=
        g_array_index (claim->unstarted, gint64, kept))
      break;
  if (kept == jobs->len)
    {
      g_array_remove_range (claim->unstarted, 0, kept);
      return;
    }
  kept = 0;

  announced = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < jobs->len; i++)
    g_hash_table_add (announced, &((CpOutboxJob *) g_ptr_array_index (jobs, i))->id);
  for (guint j = 0; j < claim->unstarted->len; j++)
    {
      gint64 id = g_array_index (claim->unstarted, gint64, j);

      if (!g_hash_table_contains (announced, &id))
        g_array_index (claim->unstarted, gint64, kept++) = id;
    }
  g_array_set_size (claim->unstarted, kept);
}

static void
announce_done (CpEngineRun  *run,
               CpEngineSlot *slot)
{
  cp_engine_set_progress_internal (run->engine, run->done, MAX (run->total, run->done));
  cp_engine_emit_integration_changed (run->engine, slot->id);
}

gboolean
cp_engine_claim_end (ClaimTx   *claim,
                     gboolean   commit,
                     GError   **error)
{
  CpLedger *ledger = claim->run->ledger;
  gboolean ok = TRUE;

  if (!claim->open)
    return TRUE;
  claim->open = FALSE;

  if (commit && !claim_start_rest (claim, error))
    {
      /* ERROR says why; the claim goes, the jobs stay pending. */
      commit = FALSE;
      ok = FALSE;
      error = NULL;
    }
  g_clear_pointer (&claim->unstarted, g_array_unref);

  if (claim->nested)
    {
      /* The claim's savepoint goes or stays; the done marks under it
       * are committed either way. */
      if (commit)
        ok = cp_ledger_commit (ledger, error);
      else
        cp_ledger_rollback (ledger);
      ok = cp_outbox_end_durable (ledger, TRUE, claim->restore, ok ? error : NULL) && ok;
    }
  else
    ok = cp_outbox_end_durable (ledger, commit, claim->restore, ok ? error : NULL) && ok;

  if (claim->announce != NULL)
    announce_done (claim->run, claim->announce);
  claim->announce = NULL;
  return ok;
}

/* Commits batch k's done marks when no claim joined them. */
gboolean
cp_engine_carry_end (CpEngineRun  *run,
                     Carry        *carry)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (!carry->open)
    return TRUE;
  carry->open = FALSE;
  ok = cp_outbox_end_durable (run->ledger, TRUE, carry->restore, &error);
  announce_done (run, carry->slot);
  if (!ok && !cp_engine_run_check_stop (run, error))
    g_warning ("Could not record what %s answered: %s", carry->slot->id, error->message);
  return ok;
}

