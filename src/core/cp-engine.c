/* cp-engine.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine as the window and the CLI see it: a GObject whose work runs
 * on a worker thread (cp-engine-run.c) and whose signals and property
 * notifications are always emitted on the main context that created it,
 * so a widget can connect to them without locking.
 */

#define G_LOG_DOMAIN "cp-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-credentials.h"
#include "cp-engine-private.h"

enum
{
  PROP_0,
  PROP_STATE,
  PROP_PAUSED,
  N_PROPS
};

enum
{
  SIGNAL_INTEGRATION_CHANGED,
  SIGNAL_PROGRESS,
  SIGNAL_ATTENTION,
  SIGNAL_JOB_DEAD,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CpEngine, cp_engine, G_TYPE_OBJECT)

G_DEFINE_QUARK (cp-engine-error-quark, cp_engine_error)

static void
slot_free (gpointer data)
{
  CpEngineSlot *slot = data;

  g_free (slot->id);
  g_free (slot->platform);
  g_free (slot->base_url);
  g_free (slot->last_kind);
  g_clear_object (&slot->connector);
  g_clear_object (&slot->own_limiter);
  g_free (slot);
}

static void
cp_engine_finalize (GObject *object)
{
  CpEngine *self = (CpEngine *) object;

  /* The watch thread holds a reference, so it has ended by now. */
  g_assert (self->watch_thread == NULL);

  if (self->lookup_destroy != NULL)
    self->lookup_destroy (self->lookup_data);
  g_clear_object (&self->watch_cancellable);
  g_clear_pointer (&self->sync_ids, g_hash_table_unref);
  g_clear_pointer (&self->full_ids, g_hash_table_unref);
  cp_engine_reconcile_clear (self);
  g_clear_pointer (&self->slots, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->ledger_path);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (cp_engine_parent_class)->finalize (object);
}

static void
cp_engine_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CpEngine *self = CP_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, cp_engine_get_state (self));
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, cp_engine_get_paused (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_engine_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CpEngine *self = CP_ENGINE (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      cp_engine_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_engine_class_init (CpEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cp_engine_finalize;
  object_class->get_property = cp_engine_get_property;
  object_class->set_property = cp_engine_set_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      CP_ENGINE_STATE_IDLE, CP_ENGINE_STATE_ATTENTION, CP_ENGINE_STATE_IDLE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_INTEGRATION_CHANGED] =
    g_signal_new ("integration-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_ATTENTION] =
    g_signal_new ("attention", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_JOB_DEAD] =
    g_signal_new ("job-dead", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_STRING);
}

static void
cp_engine_init (CpEngine *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->state = CP_ENGINE_STATE_IDLE;
  self->sync_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->full_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->slots = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, slot_free);
}

CpEngine *
cp_engine_new (const char *ledger_path)
{
  CpEngine *self;

  g_return_val_if_fail (ledger_path != NULL, NULL);

  self = g_object_new (CP_TYPE_ENGINE, NULL);
  self->ledger_path = g_strdup (ledger_path);
  self->context = g_main_context_ref_thread_default ();
  return self;
}

void
cp_engine_set_credentials_lookup (CpEngine            *self,
                                  CpCredentialsLookup  lookup,
                                  gpointer             user_data,
                                  GDestroyNotify       destroy)
{
  g_return_if_fail (CP_IS_ENGINE (self));

  g_mutex_lock (&self->mutex);
  if (self->lookup_destroy != NULL)
    self->lookup_destroy (self->lookup_data);
  self->lookup = lookup;
  self->lookup_data = user_data;
  self->lookup_destroy = destroy;
  g_mutex_unlock (&self->mutex);
}

void
cp_engine_set_ledger_hook (CpEngine           *self,
                           CpEngineLedgerHook  hook,
                           gpointer            user_data)
{
  g_return_if_fail (CP_IS_ENGINE (self));

  g_mutex_lock (&self->mutex);
  self->ledger_hook = hook;
  self->ledger_hook_data = user_data;
  g_mutex_unlock (&self->mutex);
}

char *
cp_engine_lookup_credentials (CpEngine    *self,
                              CpLedger    *ledger,
                              const char  *integration_id,
                              GError     **error)
{
  g_autofree char *key = NULL;
  CpCredentialsLookup lookup;
  gpointer data;

  g_mutex_lock (&self->mutex);
  lookup = self->lookup;
  data = self->lookup_data;
  g_mutex_unlock (&self->mutex);

  if (lookup != NULL)
    return lookup (integration_id, data, error);
  key = cp_integrations_credential_key (ledger, integration_id, error);
  if (key == NULL)
    return NULL;
  return cp_credentials_lookup_sync (key, NULL, error);
}

/* ---- Emitting on the creator's main context ------------------------------ */

typedef enum
{
  EMIT_NOTIFY_STATE,
  EMIT_NOTIFY_PAUSED,
  EMIT_PROGRESS,
  EMIT_INTEGRATION_CHANGED,
  EMIT_ATTENTION,
  EMIT_JOB_DEAD,
} EmitKind;

typedef struct
{
  CpEngine *engine;
  EmitKind  kind;
  char     *id;
  char     *message;
  gint64    job_id;
  guint     done;
  guint     total;
} Emission;

static void
emission_free (gpointer data)
{
  Emission *emission = data;

  g_object_unref (emission->engine);
  g_free (emission->id);
  g_free (emission->message);
  g_free (emission);
}

static gboolean
emit_cb (gpointer data)
{
  Emission *e = data;

  switch (e->kind)
    {
    case EMIT_NOTIFY_STATE:
      g_object_notify_by_pspec (G_OBJECT (e->engine), properties[PROP_STATE]);
      break;
    case EMIT_NOTIFY_PAUSED:
      g_object_notify_by_pspec (G_OBJECT (e->engine), properties[PROP_PAUSED]);
      break;
    case EMIT_PROGRESS:
      g_signal_emit (e->engine, signals[SIGNAL_PROGRESS], 0, e->done, e->total);
      break;
    case EMIT_INTEGRATION_CHANGED:
      g_signal_emit (e->engine, signals[SIGNAL_INTEGRATION_CHANGED], 0, e->id);
      break;
    case EMIT_ATTENTION:
      g_signal_emit (e->engine, signals[SIGNAL_ATTENTION], 0, e->id, e->message);
      break;
    case EMIT_JOB_DEAD:
      g_signal_emit (e->engine, signals[SIGNAL_JOB_DEAD], 0, e->id, e->job_id, e->message);
      break;
    default:
      g_assert_not_reached ();
    }
  return G_SOURCE_REMOVE;
}

/* Always through an idle source, also from the main thread itself: a
 * signal handler then never runs inside cp_engine_set_paused() or while
 * the worker holds the ledger. */
static void
emit (CpEngine   *self,
      EmitKind    kind,
      const char *id,
      const char *message,
      gint64      job_id,
      guint       done,
      guint       total)
{
  Emission *e = g_new0 (Emission, 1);
  GSource *source;

  e->engine = g_object_ref (self);
  e->kind = kind;
  e->id = g_strdup (id);
  e->message = g_strdup (message);
  e->job_id = job_id;
  e->done = done;
  e->total = total;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_cb, e, emission_free);
  g_source_set_static_name (source, "[cp-engine] emit");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

void
cp_engine_set_state_internal (CpEngine      *self,
                              CpEngineState  state)
{
  gboolean changed;

  g_mutex_lock (&self->mutex);
  changed = self->state != state;
  self->state = state;
  g_mutex_unlock (&self->mutex);

  if (changed)
    emit (self, EMIT_NOTIFY_STATE, NULL, NULL, 0, 0, 0);
}

void
cp_engine_set_progress_internal (CpEngine *self,
                                 guint     done,
                                 guint     total)
{
  g_mutex_lock (&self->mutex);
  self->done = done;
  self->total = total;
  g_mutex_unlock (&self->mutex);

  emit (self, EMIT_PROGRESS, NULL, NULL, 0, done, total);
}

void
cp_engine_emit_integration_changed (CpEngine   *self,
                                    const char *integration_id)
{
  emit (self, EMIT_INTEGRATION_CHANGED, integration_id, NULL, 0, 0, 0);
}

void
cp_engine_emit_attention (CpEngine   *self,
                          const char *integration_id,
                          const char *message)
{
  emit (self, EMIT_ATTENTION, integration_id, message, 0, 0, 0);
}

void
cp_engine_emit_job_dead (CpEngine   *self,
                         const char *integration_id,
                         gint64      job_id,
                         const char *message)
{
  emit (self, EMIT_JOB_DEAD, integration_id, message, job_id, 0, 0);
}

/* ---- Requests to the worker --------------------------------------------- */

/* Under the mutex. */
static void
wake_locked (CpEngine *self)
{
  self->wake_serial++;
  g_cond_broadcast (&self->cond);
}

void
cp_engine_take_requests (CpEngine    *self,
                         gboolean    *out_sync_all,
                         GHashTable **out_sync_ids,
                         gboolean    *out_full_all,
                         GHashTable **out_full_ids)
{
  g_mutex_lock (&self->mutex);
  *out_sync_all = self->sync_all;
  *out_full_all = self->full_all;
  self->sync_all = FALSE;
  self->full_all = FALSE;
  *out_sync_ids = g_steal_pointer (&self->sync_ids);
  *out_full_ids = g_steal_pointer (&self->full_ids);
  self->sync_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->full_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_mutex_unlock (&self->mutex);
}

void
cp_engine_sync_now (CpEngine   *self,
                    const char *integration_id)
{
  g_return_if_fail (CP_IS_ENGINE (self));

  g_mutex_lock (&self->mutex);
  if (integration_id == NULL)
    self->sync_all = TRUE;
  else
    g_hash_table_add (self->sync_ids, g_strdup (integration_id));
  wake_locked (self);
  g_mutex_unlock (&self->mutex);
}

void
cp_engine_full_sync (CpEngine   *self,
                     const char *integration_id)
{
  g_return_if_fail (CP_IS_ENGINE (self));

  g_mutex_lock (&self->mutex);
  if (integration_id == NULL)
    self->full_all = TRUE;
  else
    g_hash_table_add (self->full_ids, g_strdup (integration_id));
  wake_locked (self);
  g_mutex_unlock (&self->mutex);
}

void
cp_engine_set_paused (CpEngine *self,
                      gboolean  paused)
{
  gboolean changed;

  g_return_if_fail (CP_IS_ENGINE (self));

  paused = !!paused;
  g_mutex_lock (&self->mutex);
  changed = self->paused != paused;
  self->paused = paused;
  wake_locked (self);
  g_mutex_unlock (&self->mutex);

  if (changed)
    emit (self, EMIT_NOTIFY_PAUSED, NULL, NULL, 0, 0, 0);
}

gboolean
cp_engine_get_paused (CpEngine *self)
{
  gboolean paused;

  g_return_val_if_fail (CP_IS_ENGINE (self), FALSE);

  g_mutex_lock (&self->mutex);
  paused = self->paused;
  g_mutex_unlock (&self->mutex);
  return paused;
}

CpEngineState
cp_engine_get_state (CpEngine *self)
{
  CpEngineState state;

  g_return_val_if_fail (CP_IS_ENGINE (self), CP_ENGINE_STATE_IDLE);

  g_mutex_lock (&self->mutex);
  state = self->state;
  g_mutex_unlock (&self->mutex);
  return state;
}

void
cp_engine_get_progress (CpEngine *self,
                        guint    *out_done,
                        guint    *out_total)
{
  g_return_if_fail (CP_IS_ENGINE (self));

  g_mutex_lock (&self->mutex);
  if (out_done != NULL)
    *out_done = self->done;
  if (out_total != NULL)
    *out_total = self->total;
  g_mutex_unlock (&self->mutex);
}

static gboolean
try_claim (CpEngine  *self,
           GError   **error)
{
  gboolean ok;

  g_mutex_lock (&self->mutex);
  ok = !self->busy;
  self->busy = TRUE;
  g_mutex_unlock (&self->mutex);

  if (!ok)
    g_set_error_literal (error, CP_ENGINE_ERROR, CP_ENGINE_ERROR_BUSY,
                         _("Syncing is already running. Wait for it to finish."));
  return ok;
}

static void
release (CpEngine *self)
{
  g_mutex_lock (&self->mutex);
  self->busy = FALSE;
  g_mutex_unlock (&self->mutex);
}

/* ---- run_once ------------------------------------------------------------ */

typedef struct
{
  char     *integration_id;
  gboolean  full;
  gint64    max_wait_us;
} RunOnceData;

static void
run_once_data_free (gpointer data)
{
  RunOnceData *d = data;

  g_free (d->integration_id);
  g_free (d);
}

static void
run_once_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CpEngine *self = source_object;
  RunOnceData *d = task_data;
  g_autoptr(CpEngineRun) run = NULL;
  g_autoptr(GError) error = NULL;
  CpEngineOutcome outcome = CP_ENGINE_OUTCOME_DONE;
  gboolean ok;

  run = cp_engine_run_new (self, d->integration_id, FALSE, d->max_wait_us, cancellable);
  ok = cp_engine_run_open (run, &error) &&
       cp_engine_run_once_sync (run, d->full, &outcome, &error);
  g_clear_pointer (&run, cp_engine_run_free);
  release (self);

  if (ok)
    g_task_return_int (task, outcome);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
cp_engine_run_once_async (CpEngine            *self,
                          const char          *integration_id,
                          gboolean             full,
                          gint64               max_wait_us,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  RunOnceData *d;

  g_return_if_fail (CP_IS_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_engine_run_once_async);
  g_task_set_name (task, "[cp-engine] run once");
  /* A cancelled run still records what it did: the worker stops at its
   * next check and returns the cancellation itself. */
  g_task_set_check_cancellable (task, FALSE);

  if (!try_claim (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  d = g_new0 (RunOnceData, 1);
  d->integration_id = g_strdup (integration_id);
  d->full = full;
  d->max_wait_us = MAX (max_wait_us, 0);
  g_task_set_task_data (task, d, run_once_data_free);
  g_task_run_in_thread (task, run_once_thread);
}

gboolean
cp_engine_run_once_finish (CpEngine         *self,
                           GAsyncResult     *result,
                           CpEngineOutcome  *out_outcome,
                           GError          **error)
{
  GError *local_error = NULL;
  gssize outcome;

  g_return_val_if_fail (CP_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  outcome = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (out_outcome != NULL)
    *out_outcome = (CpEngineOutcome) outcome;
  return TRUE;
}

/* ---- watch --------------------------------------------------------------- */

static gpointer
watch_thread (gpointer data)
{
  CpEngineRun *run = data;
  CpEngine *self = run->engine;
  g_autoptr(GError) error = NULL;

  if (cp_engine_run_open (run, &error))
    cp_engine_run_watch (run);
  else
    g_warning ("Could not start syncing: %s", error->message);

  /* The run holds the engine's last reference when the window let go
   * of it without stopping: touch the engine only before freeing it. */
  cp_engine_set_state_internal (self, CP_ENGINE_STATE_IDLE);
  cp_engine_run_free (run);
  return NULL;
}

void
cp_engine_start (CpEngine *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  CpEngineRun *run;

  g_return_if_fail (CP_IS_ENGINE (self));

  if (!try_claim (self, &error))
    {
      g_debug ("%s", error->message);
      return;
    }

  cancellable = g_cancellable_new ();
  run = cp_engine_run_new (self, NULL, TRUE, G_MAXINT64, cancellable);

  g_mutex_lock (&self->mutex);
  g_clear_object (&self->watch_cancellable);
  self->watch_cancellable = g_steal_pointer (&cancellable);
  self->watch_thread = g_thread_new ("cp-engine", watch_thread, run);
  g_mutex_unlock (&self->mutex);
}

/* Cancels and waits for the worker: every operation it may be in takes
 * the cancellable, so this returns as soon as the request in flight is
 * abandoned. */
void
cp_engine_stop (CpEngine *self)
{
  GThread *thread;
  GCancellable *cancellable;

  g_return_if_fail (CP_IS_ENGINE (self));

  g_mutex_lock (&self->mutex);
  thread = g_steal_pointer (&self->watch_thread);
  cancellable = self->watch_cancellable != NULL ? g_object_ref (self->watch_cancellable) : NULL;
  wake_locked (self);
  g_mutex_unlock (&self->mutex);

  if (thread == NULL)
    {
      g_clear_object (&cancellable);
      return;
    }

  g_cancellable_cancel (cancellable);
  g_thread_join (thread);
  g_object_unref (cancellable);
  release (self);
}

gboolean
cp_engine_is_running (CpEngine *self)
{
  gboolean running;

  g_return_val_if_fail (CP_IS_ENGINE (self), FALSE);

  g_mutex_lock (&self->mutex);
  running = self->watch_thread != NULL;
  g_mutex_unlock (&self->mutex);
  return running;
}
