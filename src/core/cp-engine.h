/* cp-engine.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sync engine: per integration, pulls orders from a stored cursor and
 * drains the outbox in batches through the integration's CpConnector,
 * within its rate limit, with retries and backoff. It knows no platform.
 * Work runs on a worker thread with the engine's own ledger connection;
 * signals are emitted on the GMainContext that created the engine, so
 * the window can connect to them directly.
 */

#pragma once

#include <gio/gio.h>

#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_ENGINE_ERROR (cp_engine_error_quark ())

typedef enum
{
  CP_ENGINE_ERROR_BUSY,        /* already running, here or in another process (max wait over) */
  CP_ENGINE_ERROR_STOPPED,     /* the ledger refused a write (disk full, ...): sync stopped */
} CpEngineError;

/* What a run ended with; the CLI's exit code follows it (0, 3, 4). */
typedef enum
{
  CP_ENGINE_OUTCOME_DONE,       /* every due job done, every pull complete */
  CP_ENGINE_OUTCOME_PARTIAL,    /* some jobs dead or still pending */
  CP_ENGINE_OUTCOME_ATTENTION,  /* an integration needs a person (credentials, mapping) */
} CpEngineOutcome;

typedef enum
{
  CP_ENGINE_STATE_IDLE,
  CP_ENGINE_STATE_SYNCING,
  CP_ENGINE_STATE_WAITING,      /* a rate limit or backoff is in force */
  CP_ENGINE_STATE_PAUSED,
  CP_ENGINE_STATE_ATTENTION,
} CpEngineState;

#define CP_TYPE_ENGINE (cp_engine_get_type ())
G_DECLARE_FINAL_TYPE (CpEngine, cp_engine, CP, ENGINE, GObject)

GQuark           cp_engine_error_quark (void);

/* ledger_path: the engine opens its own connection to it. */
CpEngine        *cp_engine_new          (const char *ledger_path);

/* Where credentials come from; the default looks them up in the Secret
 * Service (cp_credentials_lookup_sync). Tests keep the default. */
typedef char *(*CpCredentialsLookup) (const char    *integration_id,
                                      gpointer       user_data,
                                      GError       **error);
void             cp_engine_set_credentials_lookup (CpEngine            *self,
                                                   CpCredentialsLookup  lookup,
                                                   gpointer             user_data,
                                                   GDestroyNotify       destroy);

/* --once: every due pull, then the outbox drained, waiting out rate
 * limits and backoffs up to max_wait_us. integration_id NULL: all. full:
 * push every mapped SKU first (a forced full sync). */
void             cp_engine_run_once_async  (CpEngine            *self,
                                            const char          *integration_id,
                                            gboolean             full,
                                            gint64               max_wait_us,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean         cp_engine_run_once_finish (CpEngine         *self,
                                            GAsyncResult     *result,
                                            CpEngineOutcome  *out_outcome,
                                            GError          **error);

/* --watch, serve and the window: keeps running until cp_engine_stop():
 * pulls on each integration's schedule, pushes as the outbox fills
 * (it watches the ledger's data_version), sleeps until the next due job. */
void             cp_engine_start        (CpEngine    *self);
void             cp_engine_stop         (CpEngine    *self);
gboolean         cp_engine_is_running   (CpEngine    *self);

/* "Sync now" (NULL: every integration) and "Full sync". */
void             cp_engine_sync_now     (CpEngine    *self,
                                         const char  *integration_id);
void             cp_engine_full_sync    (CpEngine    *self,
                                         const char  *integration_id);
/* "Reconcile stock" (NULL: every integration): at the next pass, every
 * mapped SKU is compared with what the store shows and each that drifted
 * gets a stock push; one InventoryReconciled event says what was fixed.
 * Also done every "schedule": {"reconcile_hours": N} (24) by the watch
 * loop. Call before cp_engine_run_once_async for `sync --once --reconcile`. */
void             cp_engine_reconcile    (CpEngine    *self,
                                         const char  *integration_id);
/* Pauses every integration's syncing (the tray's Pause Syncing); a
 * single integration is paused in the ledger (cp_integrations_set_paused). */
void             cp_engine_set_paused   (CpEngine    *self,
                                         gboolean     paused);
gboolean         cp_engine_get_paused   (CpEngine    *self);
CpEngineState    cp_engine_get_state    (CpEngine    *self);
/* "3 of 12" while syncing. */
void             cp_engine_get_progress (CpEngine    *self,
                                         guint       *out_done,
                                         guint       *out_total);

/* Signals:
 *   integration-changed (const char *integration_id): health, queue, cursor moved
 *   progress (guint done, guint total)
 *   attention (const char *integration_id, const char *message): a person must act
 *   job-dead (const char *integration_id, gint64 job_id, const char *message)
 * Properties: "state" (CpEngineState as int), "paused". */

G_END_DECLS
