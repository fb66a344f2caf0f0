/* cp-engine-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the engine's files share: the object (cp-engine.c), the worker's
 * loop (cp-engine-run.c), pushing the outbox (cp-engine-push.c) and
 * pulling orders (cp-engine-pull.c). Internal to src/core, except the
 * ledger hook that tests use to fill the disk.
 */

#pragma once

#include "cp-connector.h"
#include "cp-engine.h"
#include "cp-integrations.h"
#include "cp-rate-limiter.h"

G_BEGIN_DECLS

/* Called on the worker thread with the worker's own connection, right
 * after it is opened; tests use it to shrink PRAGMA max_page_count and
 * so make SQLite answer SQLITE_FULL as a full disk would. */
typedef void (*CpEngineLedgerHook) (CpLedger *ledger,
                                    gpointer  user_data);
void  cp_engine_set_ledger_hook (CpEngine           *self,
                                 CpEngineLedgerHook  hook,
                                 gpointer            user_data);

/* One integration as the worker sees it. Lives across runs, so the rate
 * limiter remembers what was spent; touched only by the worker that owns
 * the engine (one at a time: the engine is busy meanwhile). */
typedef struct
{
  char          *id;
  char          *platform;
  char          *base_url;
  CpIntegration *integration;     /* during a pass: the row read at its start */
  gboolean       had_attention;   /* the row said a person must act */
  CpConnector   *connector;       /* NULL until made, or after credentials failed */
  CpRateLimiter *own_limiter;     /* when the connector brings none */
  gint64         wait_until_mono; /* a rate limit in force (monotonic µs), 0: none */
  gint64         wait_until_wall; /* the same, as stored on the integration */
  gint64         rate_logged_until; /* RateLimited logged for the wait ending then (wall) */
  gint64         backoff_until;   /* after a failed request (monotonic µs) */
  guint          failures;        /* failed requests in a row */
  gboolean       blocked;         /* needs a person: no more requests this pass */
  gboolean       pull_due;
  gint64         pull_next_mono;  /* a failed pull is retried then */
  guint          stock_done;      /* stock pushes done since the last InventorySyncCompleted */
  char          *last_kind;       /* of the last batch: claimed first */
  gboolean       reconcile_due;   /* a full reconciliation was asked for or is due */
} CpEngineSlot;

/* One run of the worker: run_once or the watch loop. */
typedef struct
{
  CpEngine     *engine;
  CpLedger     *ledger;
  GCancellable *cancellable;
  gulong        cancelled_id;
  char         *only_id;          /* NULL: every integration */
  gboolean      watch;
  gint64        deadline_mono;    /* waits beyond it end a run_once */
  gint64        epoch;
  GRand        *rand;
  GError       *stopped;          /* the ledger refused a write: stop */
  gboolean      stop_logged;
  GHashTable   *retry_attention;  /* ids an explicit sync may try once despite attention */
  guint         done;
  guint         total;
  guint         seen_wake;        /* engine->wake_serial when last looked */
  int           lock_fd;          /* holds the ledger's sync lock, or -1 */
} CpEngineRun;

struct _CpEngine
{
  GObject              parent_instance;

  char                *ledger_path;
  GMainContext        *context;        /* where signals are emitted */

  CpCredentialsLookup  lookup;
  gpointer             lookup_data;
  GDestroyNotify       lookup_destroy;
  CpEngineLedgerHook   ledger_hook;
  gpointer             ledger_hook_data;

  GMutex               mutex;
  GCond                cond;           /* wakes a sleeping worker */
  /* Under mutex: */
  gboolean             busy;           /* a run owns the worker */
  CpEngineState        state;
  gboolean             paused;
  guint                done;
  guint                total;
  guint                wake_serial;    /* bumped by every request to the worker */
  gboolean             sync_all;       /* sync_now (NULL) */
  GHashTable          *sync_ids;       /* sync_now (id) */
  gboolean             full_all;
  GHashTable          *full_ids;
  gboolean             reconcile_all;  /* cp_engine_reconcile (NULL) */
  GHashTable          *reconcile_ids;  /* cp_engine_reconcile (id), created on demand */
  GThread             *watch_thread;
  GCancellable        *watch_cancellable;

  /* Worker only: */
  GHashTable          *slots;          /* id -> CpEngineSlot */
};

/* cp-engine.c: calls into the creator's main context. */
void      cp_engine_set_state_internal (CpEngine      *self,
                                        CpEngineState  state);
void      cp_engine_set_progress_internal (CpEngine *self,
                                           guint     done,
                                           guint     total);
void      cp_engine_emit_integration_changed (CpEngine   *self,
                                              const char *integration_id);
void      cp_engine_emit_attention     (CpEngine   *self,
                                        const char *integration_id,
                                        const char *message);
void      cp_engine_emit_job_dead      (CpEngine   *self,
                                        const char *integration_id,
                                        gint64      job_id,
                                        const char *message);
char     *cp_engine_lookup_credentials (CpEngine    *self,
                                        CpLedger    *ledger,
                                        const char  *integration_id,
                                        GError     **error);
/* Takes the requests made since the last call (sync now, full sync). */
void      cp_engine_take_requests      (CpEngine    *self,
                                        gboolean    *out_sync_all,
                                        GHashTable **out_sync_ids,
                                        gboolean    *out_full_all,
                                        GHashTable **out_full_ids);

/* cp-engine-run.c */
CpEngineRun *cp_engine_run_new     (CpEngine      *engine,
                                    const char    *only_id,
                                    gboolean       watch,
                                    gint64         max_wait_us,
                                    GCancellable  *cancellable);
void      cp_engine_run_free       (CpEngineRun   *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpEngineRun, cp_engine_run_free)
/* Opens the worker's ledger and starts a new lease epoch. */
gboolean  cp_engine_run_open       (CpEngineRun   *run,
                                    GError       **error);
gboolean  cp_engine_run_once_sync  (CpEngineRun      *run,
                                    gboolean          full,
                                    CpEngineOutcome  *out_outcome,
                                    GError          **error);
void      cp_engine_run_watch      (CpEngineRun   *run);
/* Sleeps until UNTIL_MONO, a cancellation or a request to the engine.
 * Returns FALSE when cancelled. */
gboolean  cp_engine_run_sleep      (CpEngineRun   *run,
                                    gint64         until_mono);
gboolean  cp_engine_run_cancelled  (CpEngineRun   *run);
/* A wall-clock time (the ledger's) as monotonic. */
gint64    cp_engine_wall_to_mono   (gint64         wall_us);
/* Whether ERROR (from the ledger) must stop syncing; if so, records it
 * in run->stopped and logs SyncStopped once. */
gboolean  cp_engine_run_check_stop (CpEngineRun   *run,
                                    const GError  *error);
/* cp-engine-lock.c: one syncing engine per ledger, across processes. */
char     *cp_engine_lock_path      (const char    *ledger_path);
/* Takes the lock, waiting for another engine to finish (watch: until
 * cancelled; run_once: until its deadline, then CP_ENGINE_ERROR_BUSY). */
gboolean  cp_engine_run_lock       (CpEngineRun   *run,
                                    GError       **error);
void      cp_engine_run_unlock     (CpEngineRun   *run);
/* cp-engine-slot.c */
/* The slot of INTEGRATION (made on first use), pointing at it for the
 * pass. */
CpEngineSlot *cp_engine_slot_get   (CpEngineRun   *run,
                                    CpIntegration *integration);
/* Makes the connector with the credentials from the keyring. FALSE when
 * there is none to make (the integration then needs attention). */
gboolean  cp_engine_slot_ensure_connector (CpEngineRun  *run,
                                           CpEngineSlot *slot);
void      cp_engine_slot_drop_connector (CpEngineSlot *slot);
/* An error's message without its closing full stop, for quoting. */
char       *cp_engine_reason       (const GError *error);
/* What a person calls it, for messages. */
const char *cp_engine_slot_name    (CpEngineSlot *slot);
/* The limiter that paces SLOT's requests (the connector's or ours). */
CpRateLimiter *cp_engine_slot_get_limiter (CpEngineSlot *slot);
/* How long SLOT must wait before its next request (µs, 0: now). With
 * our own limiter a token is taken when it returns 0. */
gint64    cp_engine_slot_wait_us   (CpEngineRun   *run,
                                    CpEngineSlot  *slot);
/* Blocks (cancellably) until SLOT may send; FALSE when cancelled. */
gboolean  cp_engine_slot_take_token (CpEngineRun  *run,
                                     CpEngineSlot *slot);

/* What a failed request (whole batch or pull) means for the integration:
 * a rate limit, attention, or a backoff. Logs it. Returns FALSE when
 * syncing must stop (the ledger refused a write). */
gboolean  cp_engine_note_request_failure (CpEngineRun   *run,
                                          CpEngineSlot  *slot,
                                          const GError  *error,
                                          const char    *what);
void      cp_engine_note_request_success (CpEngineRun   *run,
                                          CpEngineSlot  *slot);

/* cp-engine-push.c: sends due jobs of SLOT until none is due or a wait
 * is in force. *OUT_NEXT_MONO: when SLOT next has work (0: none).
 * Returns FALSE when the run must stop. */
gboolean  cp_engine_push_drain     (CpEngineRun   *run,
                                    CpEngineSlot  *slot,
                                    gint64        *out_next_mono);

/* cp-engine-pull.c: pulls orders from the stored cursor. Clears
 * slot->pull_due when the pull completed. Returns FALSE when the run must
 * stop. */
gboolean  cp_engine_pull_orders    (CpEngineRun   *run,
                                    CpEngineSlot  *slot,
                                    gint64        *out_next_mono);

/* settings "schedule": {"pull_minutes": N} (default 5), or "pull_interval_s". */
gint64    cp_engine_pull_interval_us (CpIntegration *integration);

/* cp-engine-reconcile.c */
void      cp_engine_reconcile_clear (CpEngine     *self);
void      cp_engine_reconcile_take_requests (CpEngineRun *run,
                                             GPtrArray   *integrations);
gboolean  cp_engine_reconcile_step (CpEngineRun   *run,
                                    CpEngineSlot  *slot,
                                    gint64        *out_next_mono);

/* The cursors a pull (and a reconciliation) keeps. */
#define CP_ENGINE_CURSOR_ORDERS      "orders"
#define CP_ENGINE_CURSOR_ORDERS_PAGE "orders.page"
#define CP_ENGINE_CURSOR_RECONCILED  "stock.reconciled"  /* wall µs of the last reconciliation */

G_END_DECLS
