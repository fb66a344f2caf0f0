/* cp-engine-run.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The worker: its own ledger connection (SQLite connections are not
 * shared between threads here), a loop over the integrations, and the
 * waits between passes. run_once ends when nothing is due within its
 * max wait; the watch loop runs until cancelled, waking for a due job, a
 * scheduled pull, a request from the window, or a commit by another
 * connection (PRAGMA data_version, polled once a second: one read of a
 * shared-memory counter, far cheaper than a file monitor's thread).
 */

#define G_LOG_DOMAIN "cp-engine"

#include "config.h"

#include <math.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <sqlite3.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cp-activity.h"
#include "cp-backoff.h"
#include "cp-engine-private.h"
#include "cp-outbox.h"
#include "cp-stock-publish.h"

/* How often the watch loop looks for commits by other processes. */
#define WATCH_POLL_US (G_USEC_PER_SEC)
/* After the disk filled up, the watch loop tries again this much later. */
#define STOPPED_RETRY_US (30 * G_USEC_PER_SEC)
/* A pass that made no progress waits at least this long before the next,
 * so a job that cannot be claimed never spins the loop. */
#define MIN_IDLE_US (100 * 1000)

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  CpEngine *engine = user_data;

  g_mutex_lock (&engine->mutex);
  g_cond_broadcast (&engine->cond);
  g_mutex_unlock (&engine->mutex);
}

CpEngineRun *
cp_engine_run_new (CpEngine     *engine,
                   const char   *only_id,
                   gboolean      watch,
                   gint64        max_wait_us,
                   GCancellable *cancellable)
{
  CpEngineRun *run = g_new0 (CpEngineRun, 1);
  gint64 now = g_get_monotonic_time ();

  run->engine = g_object_ref (engine);
  run->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  run->only_id = g_strdup (only_id);
  run->watch = watch;
  run->deadline_mono = max_wait_us >= G_MAXINT64 - now ? G_MAXINT64 : now + max_wait_us;
  run->rand = g_rand_new ();
  run->lock_fd = -1;
  run->retry_attention = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_mutex_lock (&engine->mutex);
  run->seen_wake = engine->wake_serial;
  g_mutex_unlock (&engine->mutex);
  run->cancelled_id = g_cancellable_connect (run->cancellable, G_CALLBACK (on_cancelled),
                                             engine, NULL);
  return run;
}

void
cp_engine_run_free (CpEngineRun *run)
{
  g_cancellable_disconnect (run->cancellable, run->cancelled_id);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->ledger);
  /* After the ledger: the next engine may start as soon as it is free. */
  cp_engine_run_unlock (run);
  g_clear_pointer (&run->rand, g_rand_free);
  g_clear_pointer (&run->retry_attention, g_hash_table_unref);
  g_clear_error (&run->stopped);
  g_free (run->only_id);
  g_object_unref (run->engine);
  g_free (run);
}

gboolean
cp_engine_run_cancelled (CpEngineRun *run)
{
  return g_cancellable_is_cancelled (run->cancellable);
}

gint64
cp_engine_wall_to_mono (gint64 wall_us)
{
  gint64 now_wall = cp_ledger_now_us ();
  gint64 now_mono = g_get_monotonic_time ();

  if (wall_us <= now_wall)
    return now_mono;
  return now_mono + (wall_us - now_wall);
}

gboolean
cp_engine_run_sleep (CpEngineRun *run,
                     gint64       until_mono)
{
  CpEngine *engine = run->engine;

  g_mutex_lock (&engine->mutex);
  while (!g_cancellable_is_cancelled (run->cancellable) &&
         engine->wake_serial == run->seen_wake &&
         g_get_monotonic_time () < until_mono)
    g_cond_wait_until (&engine->cond, &engine->mutex, until_mono);
  run->seen_wake = engine->wake_serial;
  g_mutex_unlock (&engine->mutex);

  return !g_cancellable_is_cancelled (run->cancellable);
}

gboolean
cp_engine_run_check_stop (CpEngineRun  *run,
                          const GError *error)
{
  const char *message;

  if (error == NULL || error->domain != CP_LEDGER_ERROR)
    return FALSE;
  if (error->code != CP_LEDGER_ERROR_FULL &&
      error->code != CP_LEDGER_ERROR_READ_ONLY &&
      error->code != CP_LEDGER_ERROR_CORRUPT)
    return FALSE;

  if (run->stopped == NULL)
    {
      if (error->code == CP_LEDGER_ERROR_FULL)
        message = _("The disk is full: free some space; syncing resumes by itself.");
      else
        message = error->message;
      run->stopped = g_error_new_literal (CP_ENGINE_ERROR, CP_ENGINE_ERROR_STOPPED, message);
      g_message ("Syncing stopped: %s", error->message);
    }
  return TRUE;
}

/* Outside any transaction: the log may well fail too while the disk is
 * full, and that is fine, the caller says why it stopped anyway. */
static void
log_stopped (CpEngineRun *run)
{
  if (run->stopped == NULL || run->stop_logged)
    return;
  run->stop_logged = TRUE;
  if (cp_ledger_in_transaction (run->ledger))
    return;
  cp_activity_log (run->ledger, CP_ACTIVITY_SYNC_STOPPED, CP_ACTIVITY_ERROR, NULL, 0,
                   run->stopped->message, NULL, NULL);
}

gboolean
cp_engine_run_open (CpEngineRun  *run,
                    GError      **error)
{
  CpEngine *engine = run->engine;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) purge_error = NULL;
  CpEngineLedgerHook hook;
  gpointer hook_data;
  guint requeued = 0;
  guint purged;

  run->ledger = cp_ledger_open (engine->ledger_path, error);
  if (run->ledger == NULL)
    return FALSE;
  /* The engine lives all day in the tray: a 16 MiB page cache holds
   * the indexes a pull or a push walks (the rest comes from the OS's
   * file cache at little cost), where the ledger's default of 64 MiB
   * would grow with the ledger up to that size and stay. */
  if (sqlite3_exec (cp_ledger_get_db (run->ledger), "PRAGMA cache_size = -16384", NULL, NULL,
                    NULL) != SQLITE_OK)
    g_debug ("Could not size the engine's page cache: %s",
             sqlite3_errmsg (cp_ledger_get_db (run->ledger)));

  g_mutex_lock (&engine->mutex);
  hook = engine->ledger_hook;
  hook_data = engine->ledger_hook_data;
  g_mutex_unlock (&engine->mutex);
  if (hook != NULL)
    hook (run->ledger, hook_data);

  /* Only one engine per ledger may start an epoch: it would requeue the
   * jobs another live engine is working on. */
  if (!cp_engine_run_lock (run, error))
    return FALSE;

  /* Jobs a crashed run left "started" go back to the queue now, not when
   * their lease would have run out. */
  run->epoch = cp_outbox_start_epoch (run->ledger, &requeued, &local_error);
  if (run->epoch == 0)
    {
      if (cp_engine_run_check_stop (run, local_error))
        {
          g_propagate_error (error, g_error_copy (run->stopped));
          return FALSE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (requeued > 0)
    g_debug ("Requeued %u jobs an earlier run left unfinished", requeued);

  /* Done jobs are kept 30 days so the activity page can still show what
   * was sent, then dropped, so the outbox stays small on a busy shop.
   * A failed purge costs nothing but space: it is tried again next run. */
  purged = cp_outbox_purge (run->ledger, cp_ledger_now_us () - CP_OUTBOX_DONE_KEEP_US, &purge_error);
  if (purge_error != NULL)
    g_debug ("Could not purge finished jobs: %s", purge_error->message);
  else if (purged > 0)
    g_debug ("Purged %u jobs finished more than 30 days ago", purged);

  return TRUE;
}

/* ---- A pass over the integrations ----------------------------------------- */

static gint64
pull_interval_us (CpIntegration *integration)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  /* What the wizard writes (issue 4): "schedule": {"pull_minutes": N},
   * 5 by default; "pull_interval_s", when there, wins (tests, tuning). */
  gint64 seconds = (gint64) cp_stock_publish_settings_pull_minutes (integration->settings) * 60;

  if (integration->settings != NULL &&
      json_parser_load_from_data (parser, integration->settings, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      object = json_node_get_object (json_parser_get_root (parser));
      if (json_object_has_member (object, "pull_interval_s"))
        seconds = json_object_get_int_member_with_default (object, "pull_interval_s", seconds);
    }
  return CLAMP (seconds, 10, 7 * 24 * 3600) * G_USEC_PER_SEC;
}

gint64
cp_engine_pull_interval_us (CpIntegration *integration)
{
  return pull_interval_us (integration);
}

static gboolean
in_scope (CpEngineRun   *run,
          CpIntegration *integration)
{
  return run->only_id == NULL || g_str_equal (run->only_id, integration->id);
}

static void
take_next (gint64 *next,
           gint64  candidate)
{
  if (candidate > 0 && (*next == 0 || candidate < *next))
    *next = candidate;
}

static gboolean
can_pull (CpEngineSlot *slot)
{
  return slot->connector != NULL &&
         (cp_connector_get_capabilities (slot->connector) & CP_CONNECTOR_CAP_PULL_ORDERS) &&
         cp_integration_has_permission (slot->integration, CP_PERMISSION_ORDERS_PULL);
}

static void
log_inventory_synced (CpEngineRun  *run,
                      CpEngineSlot *slot)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (slot->stock_done == 0)
    return;

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Sent the stock of %u product to “%s”.",
                                          "Sent the stock of %u products to “%s”.",
                                          slot->stock_done),
                             slot->stock_done, cp_engine_slot_name (slot));
  if (cp_activity_log (run->ledger, CP_ACTIVITY_INVENTORY_SYNC_COMPLETED, CP_ACTIVITY_INFO,
                       slot->id, 0, message, NULL, &error) == 0)
    cp_engine_run_check_stop (run, error);
  slot->stock_done = 0;
}

/* One integration: its pull when due, then its outbox. */
static void
pass_integration (CpEngineRun   *run,
                  CpIntegration *integration,
                  gboolean      *work_left,
                  gint64        *next_mono)
{
  CpEngineSlot *slot = cp_engine_slot_get (run, integration);
  gboolean retry = g_hash_table_remove (run->retry_attention, integration->id);
  gboolean attention = integration->attention != NULL;
  gboolean mapping_only = attention &&
                          g_strcmp0 (integration->attention_kind, CP_ATTENTION_MAPPING) == 0;
  /* Orders kept aside for their currency stop nothing else. */
  gboolean currency_only = attention &&
                           g_strcmp0 (integration->attention_kind, CP_ATTENTION_CURRENCY) == 0;
  gint64 now_mono = g_get_monotonic_time ();
  gint64 next = 0;

  slot->had_attention = attention;

  /* A person must act first; an explicit sync tries once more (one
   * request, not a storm), in case they already did. A missing mapping
   * still lets orders in. */
  if (attention && !retry && !mapping_only && !currency_only)
    return;
  if (!cp_engine_slot_ensure_connector (run, slot))
    return;
  g_object_set_data_full (G_OBJECT (slot->connector), "cp-integration-settings", g_strdup (integration->settings), g_free);

  if (run->watch && integration->next_run_at <= cp_ledger_now_us ())
    slot->pull_due = TRUE;

  if (slot->pull_due && !can_pull (slot))
    slot->pull_due = FALSE;
  if (slot->pull_due)
    {
      if (slot->pull_next_mono <= now_mono)
        {
          if (!cp_engine_pull_orders (run, slot, &next))
            return;
          take_next (next_mono, next);
        }
      else
        take_next (next_mono, slot->pull_next_mono);
      if (slot->pull_due && !slot->blocked)
        *work_left = TRUE;
    }
  if (run->watch && slot->connector != NULL && can_pull (slot))
    take_next (next_mono, cp_engine_wall_to_mono (integration->next_run_at));

  if (slot->blocked || cp_engine_run_cancelled (run) || run->stopped != NULL)
    return;
  if (attention && !retry && !currency_only)
    return;

  /* Before the drain, which then sends the fixes it queued. */
  next = 0;
  if (!cp_engine_reconcile_step (run, slot, &next))
    return;
  if (slot->reconcile_due && next > 0 && !slot->blocked)
    *work_left = TRUE;
  take_next (next_mono, next);

  next = 0;
  if (!cp_engine_push_drain (run, slot, &next))
    return;
  log_inventory_synced (run, slot);
  if (next > 0 && !slot->blocked)
    {
      *work_left = TRUE;
      take_next (next_mono, next);
    }
}

/* FALSE with ERROR when the integrations cannot be read; TRUE with
 * *OUT NULL when the ledger refused and syncing stops (run->stopped). */
static gboolean
list_integrations (CpEngineRun  *run,
                   GPtrArray   **out,
                   GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  *out = cp_integrations_list (run->ledger, &local_error);
  if (*out != NULL || cp_engine_run_check_stop (run, local_error))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Returns FALSE with ERROR when the integrations cannot be read at all. */
static gboolean
run_pass (CpEngineRun  *run,
          gboolean     *out_work_left,
          gint64       *out_next_mono,
          GError      **error)
{
  g_autoptr(GPtrArray) integrations = NULL;
  gboolean paused = cp_engine_get_paused (run->engine);
  guint pending = 0;

  *out_work_left = FALSE;
  *out_next_mono = 0;

  if (!list_integrations (run, &integrations, error))
    return FALSE;
  if (integrations == NULL)
    return TRUE;

  for (guint i = 0; i < integrations->len; i++)
    {
      CpIntegration *integration = g_ptr_array_index (integrations, i);

      if (in_scope (run, integration) && !cp_integration_is_paused (integration))
        pending += integration->queue_depth;
    }
  run->total = run->done + pending;
  if (pending > 0)
    cp_engine_set_progress_internal (run->engine, run->done, run->total);

  for (guint i = 0; i < integrations->len && !paused; i++)
    {
      CpIntegration *integration = g_ptr_array_index (integrations, i);

      if (!in_scope (run, integration) || cp_integration_is_paused (integration))
        continue;
      pass_integration (run, integration, out_work_left, out_next_mono);

      if (cp_engine_run_cancelled (run) || run->stopped != NULL)
        break;
    }

  /* The slots point into this list: it goes now. */
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, run->engine->slots);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      ((CpEngineSlot *) value)->integration = NULL;
  }
  return TRUE;
}

static void
enqueue_full_sync (CpEngineRun   *run,
                   CpIntegration *integration)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (cp_integration_has_permission (integration, CP_PERMISSION_INVENTORY_SYNC))
    n += cp_outbox_enqueue_all_variants (run->ledger, integration->id, CP_JOB_STOCK_PUSH, &error);
  if (error == NULL && cp_integration_has_permission (integration, CP_PERMISSION_PRODUCTS_SYNC))
    n += cp_outbox_enqueue_all_variants (run->ledger, integration->id, CP_JOB_PRODUCT_PUSH, &error);
  if (error != NULL && !cp_engine_run_check_stop (run, error))
    g_warning ("Could not queue a full sync of %s: %s", integration->id, error->message);
  g_debug ("Full sync of %s: %u jobs", integration->id, n);
}

/* Marks every integration in scope (or in IDS) for a pull, a retry of
 * its attention, and, when FULL, a push of everything. */
static gboolean
request_sync (CpEngineRun  *run,
              gboolean      all,
              GHashTable   *ids,
              gboolean      full_all,
              GHashTable   *full_ids,
              GError      **error)
{
  g_autoptr(GPtrArray) integrations = NULL;

  if (!list_integrations (run, &integrations, error))
    return FALSE;
  if (integrations == NULL)
    return TRUE;
  cp_engine_reconcile_take_requests (run, integrations);

  for (guint i = 0; i < integrations->len; i++)
    {
      CpIntegration *integration = g_ptr_array_index (integrations, i);
      gboolean sync = all || (ids != NULL && g_hash_table_contains (ids, integration->id));
      gboolean full = full_all || (full_ids != NULL &&
                                   g_hash_table_contains (full_ids, integration->id));

      if (!in_scope (run, integration))
        continue;
      if (full)
        {
          enqueue_full_sync (run, integration);
          sync = TRUE;
        }
      if (sync)
        {
          CpEngineSlot *slot = cp_engine_slot_get (run, integration);

          slot->pull_due = TRUE;
          slot->pull_next_mono = 0;
          slot->backoff_until = 0;
          slot->integration = NULL;
          g_hash_table_add (run->retry_attention, g_strdup (integration->id));
        }
    }
  return TRUE;
}

static CpEngineOutcome
compute_outcome (CpEngineRun  *run,
                 GError      **error)
{
  g_autoptr(GPtrArray) integrations = cp_integrations_list (run->ledger, error);
  gboolean attention = FALSE;
  gboolean partial = FALSE;

  if (integrations == NULL)
    return CP_ENGINE_OUTCOME_PARTIAL;

  for (guint i = 0; i < integrations->len; i++)
    {
      CpIntegration *integration = g_ptr_array_index (integrations, i);
      CpEngineSlot *slot = g_hash_table_lookup (run->engine->slots, integration->id);

      if (!in_scope (run, integration))
        continue;
      if (integration->attention != NULL)
        attention = TRUE;
      if (integration->dead_jobs > 0)
        partial = TRUE;
      if (!cp_integration_is_paused (integration) &&
          (integration->queue_depth > 0 || (slot != NULL && slot->pull_due)))
        partial = TRUE;
    }

  if (attention)
    return CP_ENGINE_OUTCOME_ATTENTION;
  return partial ? CP_ENGINE_OUTCOME_PARTIAL : CP_ENGINE_OUTCOME_DONE;
}

gboolean
cp_engine_run_once_sync (CpEngineRun      *run,
                         gboolean          full,
                         CpEngineOutcome  *out_outcome,
                         GError          **error)
{
  CpEngine *engine = run->engine;
  CpEngineOutcome outcome;

  if (!request_sync (run, TRUE, NULL, full, NULL, error))
    return FALSE;

  for (;;)
    {
      gboolean work_left = FALSE;
      gint64 next = 0;
      guint done_before = run->done;
      gint64 now;

      if (run->stopped != NULL || cp_engine_run_cancelled (run))
        break;

      cp_engine_set_state_internal (engine, CP_ENGINE_STATE_SYNCING);
      if (!run_pass (run, &work_left, &next, error))
        {
          cp_engine_set_state_internal (engine, CP_ENGINE_STATE_IDLE);
          return FALSE;
        }
      if (run->stopped != NULL || cp_engine_run_cancelled (run) || !work_left)
        break;

      now = g_get_monotonic_time ();
      if (next == 0 || next > run->deadline_mono)
        break;
      if (run->done == done_before)
        next = MAX (next, now + MIN_IDLE_US);
      if (next > now)
        cp_engine_set_state_internal (engine, CP_ENGINE_STATE_WAITING);
      if (!cp_engine_run_sleep (run, next))
        break;
    }

  if (run->stopped != NULL)
    {
      log_stopped (run);
      cp_engine_set_state_internal (engine, CP_ENGINE_STATE_IDLE);
      g_propagate_error (error, g_error_copy (run->stopped));
      return FALSE;
    }
  if (cp_engine_run_cancelled (run))
    {
      cp_engine_set_state_internal (engine, CP_ENGINE_STATE_IDLE);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Syncing was cancelled."));
      return FALSE;
    }

  outcome = compute_outcome (run, error);
  if (error != NULL && *error != NULL)
    {
      cp_engine_set_state_internal (engine, CP_ENGINE_STATE_IDLE);
      return FALSE;
    }
  cp_engine_set_state_internal (engine, outcome == CP_ENGINE_OUTCOME_ATTENTION
                                        ? CP_ENGINE_STATE_ATTENTION : CP_ENGINE_STATE_IDLE);
  *out_outcome = outcome;
  return TRUE;
}

static gboolean
any_attention (CpEngineRun *run)
{
  g_autoptr(GPtrArray) integrations = cp_integrations_list (run->ledger, NULL);

  for (guint i = 0; integrations != NULL && i < integrations->len; i++)
    if (((CpIntegration *) g_ptr_array_index (integrations, i))->attention != NULL)
      return TRUE;
  return FALSE;
}

/* Between passes the engine only waits: give back what a pass's work
 * took (SQLite's cached pages, then malloc's free arena space, which
 * glibc keeps otherwise), so that the tray process stays small after a
 * day's catch-up. The next pass reads its pages back from the OS's
 * file cache. */
static void
release_memory (CpEngineRun *run)
{
  sqlite3_db_release_memory (cp_ledger_get_db (run->ledger));
#ifdef __GLIBC__
  malloc_trim (0);
#endif
}

void
cp_engine_run_watch (CpEngineRun *run)
{
  CpEngine *engine = run->engine;
  gint64 data_version = cp_ledger_data_version (run->ledger);
  gint64 next_pass = 0;
  gboolean first = TRUE;

  while (!cp_engine_run_cancelled (run))
    {
      g_autoptr(GHashTable) sync_ids = NULL;
      g_autoptr(GHashTable) full_ids = NULL;
      g_autoptr(GError) error = NULL;
      gboolean sync_all, full_all;
      gboolean requested;
      gboolean work_left = FALSE;
      gint64 next = 0;
      gint64 now = g_get_monotonic_time ();
      guint done_before = run->done;
      gint64 version;

      cp_engine_take_requests (engine, &sync_all, &sync_ids, &full_all, &full_ids);
      requested = sync_all || full_all ||
                  g_hash_table_size (sync_ids) > 0 || g_hash_table_size (full_ids) > 0;

      if (cp_engine_get_paused (engine))
        {
          cp_engine_set_state_internal (engine, CP_ENGINE_STATE_PAUSED);
          cp_engine_run_sleep (run, G_MAXINT64);
          next_pass = 0;
          continue;
        }

      if (run->stopped != NULL)
        {
          /* The disk was full: try again later, as if nothing happened. */
          g_clear_error (&run->stopped);
          run->stop_logged = FALSE;
        }

      /* Read before the pass, not after it: a commit made by another
       * process while the pass ran must wake the next one. (Our own
       * commits do not move it.) */
      version = cp_ledger_data_version (run->ledger);
      if (first || requested || version != data_version || now >= next_pass)
        {
          g_debug ("Watch pass (first %d, requested %d, data version %" G_GINT64_FORMAT
                   " -> %" G_GINT64_FORMAT ", due %d)", first, requested, data_version, version,
                   now >= next_pass);
          first = FALSE;
          data_version = version;
          if (!request_sync (run, sync_all, sync_ids, full_all, full_ids, &error))
            g_warning ("Could not read the integrations: %s", error->message);
          else
            {
              cp_engine_set_state_internal (engine, CP_ENGINE_STATE_SYNCING);
              if (!run_pass (run, &work_left, &next, &error))
                g_warning ("Could not read the integrations: %s", error->message);
            }

          if (run->stopped != NULL)
            {
              log_stopped (run);
              next = g_get_monotonic_time () + STOPPED_RETRY_US;
              cp_engine_set_state_internal (engine, CP_ENGINE_STATE_WAITING);
            }
          else if (work_left && next > g_get_monotonic_time ())
            cp_engine_set_state_internal (engine, CP_ENGINE_STATE_WAITING);
          else if (any_attention (run))
            cp_engine_set_state_internal (engine, CP_ENGINE_STATE_ATTENTION);
          else
            cp_engine_set_state_internal (engine, CP_ENGINE_STATE_IDLE);

          if (run->done != done_before)
            release_memory (run);

          if (next == 0)
            next_pass = G_MAXINT64;
          else if (run->done == done_before)
            next_pass = MAX (next, g_get_monotonic_time () + MIN_IDLE_US);
          else
            next_pass = next;
        }

      cp_engine_run_sleep (run, MIN (next_pass, g_get_monotonic_time () + WATCH_POLL_US));
    }
}
