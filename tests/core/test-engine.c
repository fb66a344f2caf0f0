/* test-engine.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sync engine against a scripted connector: a real ledger file, the
 * real outbox and triggers, the real Secret Service for the credentials,
 * and a connector whose answers the test decides (a 429, a 5xx, a
 * refused record, rejected credentials, a request that hangs), so every
 * branch of the engine is reached on purpose and counted. The engine
 * against the real ecomv2 connector and fake is test-engine-ecomv2.c.
 */

#define G_LOG_DOMAIN "test-engine"

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cp-activity.h"
#include "cp-catalog.h"
#include "cp-connector.h"
#include "cp-credentials.h"
#include "cp-engine-private.h"
#include "cp-engine.h"
#include "cp-integrations.h"
#include "cp-orders.h"
#include "cp-outbox.h"
#include "cp-sql.h"
#include "cp-stock.h"
#include "test-engine-common.h"
#include "test-engine-script.h"

/* ---- Fixture ---------------------------------------------------------------- */

typedef struct
{
  char      *dir;
  char      *path;
  CpLedger  *ledger;
  CpEngine  *engine;
  char      *id;
  gint64     variants[3];
  gboolean   ready;      /* the keyring answered */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const skus[] = { "SKU-A", "SKU-B", "SKU-C" };
  static const char * const permissions[] = {
    CP_PERMISSION_INVENTORY_SYNC, CP_PERMISSION_ORDERS_PULL, NULL
  };
  g_autoptr(GError) error = NULL;

  script_reset ();
  f->dir = g_dir_make_tmp ("test-engine-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "ledger.sqlite3", NULL);
  f->ledger = cp_ledger_open (f->path, &error);
  g_assert_no_error (error);

  g_assert_true (cp_locations_add (f->ledger, "MAIN", "Main", "USD", NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (skus); i++)
    {
      g_autoptr(CpVariant) variant = cp_variant_new ();

      variant->sku = g_strdup (skus[i]);
      variant->product_name = g_strdup (skus[i]);
      variant->price_minor = 1000;
      memcpy (variant->currency, "USD", 4);
      g_assert_true (cp_catalog_upsert_variant (f->ledger, variant, &f->variants[i], NULL, &error));
      g_assert_no_error (error);
      g_assert_true (cp_stock_adjust (f->ledger, skus[i], "MAIN", 10, CP_STOCK_REASON_RECEIVED,
                                      NULL, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }

  /* Added after the stock: the outbox starts empty. */
  engine_test_unique_ids (f->ledger);
  f->id = cp_integrations_add (f->ledger, PLATFORM, "Test shop", "http://127.0.0.1:9",
                               permissions, &error);
  g_assert_no_error (error);

  f->engine = cp_engine_new (f->path);
  f->ready = engine_test_require_keyring ();
  if (f->ready)
    {
      g_autofree char *key = cp_integrations_credential_key (f->ledger, f->id, &error);

      g_assert_no_error (error);
      g_assert_true (cp_credentials_store_sync (key, "Counterpart: test", "{\"api_key\":\"k\"}",
                                                NULL, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->engine);
  g_clear_object (&f->ledger);
  engine_test_remove_ledger (f->path);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->id);
}

static void
counts (Fixture *f,
        guint   *pending,
        guint   *started,
        guint   *dead)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_outbox_count (f->ledger, f->id, pending, started, dead, &error));
  g_assert_no_error (error);
}

static CpOutboxJob *
only_job (Fixture *f)
{
  CpOutboxQuery query = { 0 };
  g_autoptr(GPtrArray) jobs = NULL;

  query.integration_id = f->id;
  jobs = cp_outbox_list (f->ledger, &query, NULL);
  g_assert_nonnull (jobs);
  g_assert_cmpuint (jobs->len, ==, 1);
  return cp_outbox_job_copy (g_ptr_array_index (jobs, 0));
}

/* ---- Tests ------------------------------------------------------------------ */

/* Many changes to one SKU become one push of the latest value, and the
 * three SKUs go in one request. */
static void
test_coalesced (Fixture       *f,
                gconstpointer  data)
{
  guint pending, started, dead;

  if (!f->ready)
    return;

  for (int i = 0; i < 5; i++)
    engine_test_adjust (f->ledger, "SKU-A", -1);
  engine_test_adjust (f->ledger, "SKU-B", 3);
  engine_test_adjust (f->ledger, "SKU-C", 4);
  counts (f, &pending, &started, &dead);
  g_assert_cmpuint (pending, ==, 3);

  g_assert_cmpint (engine_test_run_once_ok (f->engine, 0), ==, CP_ENGINE_OUTCOME_DONE);
  g_assert_cmpuint (n_pushes (), ==, 1);
  g_assert_cmpint (remote_value (f->variants[0]), ==, 5);
  g_assert_cmpint (remote_value (f->variants[1]), ==, 13);
  g_assert_cmpint (remote_value (f->variants[2]), ==, 14);
  counts (f, &pending, &started, &dead);
  g_assert_cmpuint (pending + started + dead, ==, 0);
  g_assert_cmpuint (engine_test_count_activity (f->ledger, CP_ACTIVITY_INVENTORY_SYNC_COMPLETED), ==, 1);

  /* Nothing new: nothing sent. */
  g_assert_cmpint (engine_test_run_once_ok (f->engine, 0), ==, CP_ENGINE_OUTCOME_DONE);
  g_assert_cmpuint (n_pushes (), ==, 1);
}

/* The batch is refused because of one record: the engine sends the jobs
 * one by one, the good ones go through, the bad one is set aside. */
static void
test_bad_record (Fixture       *f,
                 gconstpointer  data)
{
  guint pending, started, dead;

  if (!f->ready)
    return;

  script.bad_variant = f->variants[1];
  engine_test_adjust (f->ledger, "SKU-A", 1);
  engine_test_adjust (f->ledger, "SKU-B", 1);
  engine_test_adjust (f->ledger, "SKU-C", 1);

  g_assert_cmpint (engine_test_run_once_ok (f->engine, 0), ==, CP_ENGINE_OUTCOME_PARTIAL);
  g_assert_cmpuint (n_pushes (), ==, 4);
  g_assert_cmpint (remote_value (f->variants[0]), ==, 11);
  g_assert_cmpint (remote_value (f->variants[1]), ==, -1);
  g_assert_cmpint (remote_value (f->variants[2]), ==, 11);
  counts (f, &pending, &started, &dead);
  g_assert_cmpuint (pending + started, ==, 0);
  g_assert_cmpuint (dead, ==, 1);
  g_assert_cmpuint (engine_test_count_activity (f->ledger, CP_ACTIVITY_RECORD_REJECTED), ==, 1);
}

/* A 429 with a wait: the job waits without using an attempt, and goes
 * once the wait is over. */
static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CpOutboxJob) job = NULL;
  g_autoptr(CpIntegration) integration = NULL;

  if (!f->ready)
    return;

  engine_test_adjust (f->ledger, "SKU-A", 1);
  script_fail_next (CP_CONNECTOR_ERROR_RATE_LIMITED, G_USEC_PER_SEC / 2);

  g_assert_cmpint (engine_test_run_once_ok (f->engine, 30 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_DONE);
  g_assert_cmpuint (n_pushes (), ==, 2);
  job = only_job (f);
  g_assert_cmpint (job->state, ==, CP_JOB_DONE);
  g_assert_cmpuint (job->attempts, ==, 0);
  g_assert_cmpuint (engine_test_count_activity (f->ledger, CP_ACTIVITY_RATE_LIMITED), ==, 1);
  integration = cp_integrations_get (f->ledger, f->id, NULL);
  g_assert_cmpint (integration->wait_until, >, 0);
}

/* With no time to wait it out, the job stays pending, attempts intact,
 * and the run says so (partial). */
static void
test_rate_limited_no_wait (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(CpOutboxJob) job = NULL;

  if (!f->ready)
    return;

  engine_test_adjust (f->ledger, "SKU-A", 1);
  script_fail_next (CP_CONNECTOR_ERROR_RATE_LIMITED, 60 * G_USEC_PER_SEC);

  g_assert_cmpint (engine_test_run_once_ok (f->engine, 0), ==, CP_ENGINE_OUTCOME_PARTIAL);
  g_assert_cmpuint (n_pushes (), ==, 1);
  job = only_job (f);
  g_assert_cmpint (job->state, ==, CP_JOB_PENDING);
  g_assert_cmpuint (job->attempts, ==, 0);
  g_assert_cmpint (job->next_attempt_at, >, cp_ledger_now_us () + 30 * G_USEC_PER_SEC);
}

/* A 5xx costs an attempt and a backoff, then the job goes through. */
static void
test_transient (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CpOutboxJob) job = NULL;

  if (!f->ready)
    return;

  engine_test_adjust (f->ledger, "SKU-A", 2);
  script_fail_next (CP_CONNECTOR_ERROR_TRANSIENT, 0);

  g_assert_cmpint (engine_test_run_once_ok (f->engine, 60 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_DONE);
  g_assert_cmpuint (n_pushes (), ==, 2);
  job = only_job (f);
  g_assert_cmpint (job->state, ==, CP_JOB_DONE);
  g_assert_cmpuint (job->attempts, ==, 1);
  g_assert_cmpint (remote_value (f->variants[0]), ==, 12);
  g_assert_cmpuint (engine_test_count_activity (f->ledger, CP_ACTIVITY_STORE_CONNECTION_FAILED), ==, 1);
}

/* Rejected credentials: needs attention with a message saying to
 * re-enter them, the job waits with its attempts intact, and there is no
 * retry storm: one request per explicit run. */
static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(CpIntegration) integration = NULL;
  g_autoptr(CpOutboxJob) job = NULL;

  if (!f->ready)
    return;

  engine_test_adjust (f->ledger, "SKU-A", 1);
  engine_test_adjust (f->ledger, "SKU-B", 1);
  script.batch_size = 1;
  script.always.code = CP_CONNECTOR_ERROR_AUTH;

  g_assert_cmpint (engine_test_run_once_ok (f->engine, 30 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_ATTENTION);
  g_assert_cmpuint (n_pushes (), ==, 1);
  integration = cp_integrations_get (f->ledger, f->id, NULL);
  g_assert_cmpstr (integration->attention_kind, ==, CP_ATTENTION_CREDENTIALS);
  g_assert_nonnull (strstr (integration->attention, "Re-enter the credentials"));
  g_assert_cmpuint (engine_test_count_activity (f->ledger, CP_ACTIVITY_CREDENTIALS_REJECTED), ==, 1);

  g_assert_cmpint (engine_test_run_once_ok (f->engine, 30 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_ATTENTION);
  g_assert_cmpuint (n_pushes (), ==, 2);

  /* Fixed: the next run clears the attention and sends everything. */
  script.always.code = -1;
  g_assert_cmpint (engine_test_run_once_ok (f->engine, 30 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_DONE);
  g_assert_cmpuint (n_pushes (), ==, 4);
  g_clear_pointer (&integration, cp_integration_free);
  integration = cp_integrations_get (f->ledger, f->id, NULL);
  g_assert_null (integration->attention);
}

/* Orders pulled page by page are stored once each across two runs that
 * overlap, and each new one takes its goods out of stock once. */
static void
test_pull (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *cursor = NULL;
  g_autofree char *page = NULL;

  if (!f->ready)
    return;

  script.n_orders = 5;
  g_assert_cmpint (engine_test_run_once_ok (f->engine, 0), ==, CP_ENGINE_OUTCOME_DONE);
  g_assert_cmpint (engine_test_count_orders (f->ledger), ==, 5);
  cursor = cp_integrations_get_cursor (f->ledger, f->id, CP_ENGINE_CURSOR_ORDERS, NULL);
  g_assert_cmpstr (cursor, ==, "5");
  page = cp_integrations_get_cursor (f->ledger, f->id, CP_ENGINE_CURSOR_ORDERS_PAGE, NULL);
  g_assert_null (page);
  /* Each sale reached the other channels: SKU-A went down by 5 and its
   * push carried the new value. */
  g_assert_cmpint (ledger_on_hand (f->ledger, f->variants[0]), ==, 5);
  g_assert_cmpint (remote_value (f->variants[0]), ==, 5);

  script.n_orders = 7;
  g_assert_cmpint (engine_test_run_once_ok (f->engine, 0), ==, CP_ENGINE_OUTCOME_DONE);
  g_assert_cmpint (engine_test_count_orders (f->ledger), ==, 7);
  g_assert_cmpint (cp_sql_query_int (f->ledger,
                                     "SELECT COUNT(DISTINCT external_id) FROM orders", -1), ==, 7);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM orders WHERE source != '%s'",
                                            f->id);

    /* Whatever the connector wrote, orders belong to the integration. */
    g_assert_cmpint (cp_sql_query_int (f->ledger, sql, -1), ==, 0);
  }
  g_assert_cmpint (ledger_on_hand (f->ledger, f->variants[0]), ==, 3);
  g_assert_cmpuint (engine_test_count_activity (f->ledger, CP_ACTIVITY_ORDER_RECEIVED_FROM_STORE), ==, 7);
}

/* A pull that fails half-way resumes from the last page stored. */
static void
test_pull_resume (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *page = NULL;

  if (!f->ready)
    return;

  g_assert_true (cp_integrations_set_cursor (f->ledger, f->id, CP_ENGINE_CURSOR_ORDERS_PAGE,
                                             "page:4", NULL));
  script.n_orders = 6;
  g_assert_cmpint (engine_test_run_once_ok (f->engine, 0), ==, CP_ENGINE_OUTCOME_DONE);
  /* Resumed after the fourth: only ext-5 and ext-6 were fetched. */
  g_assert_cmpint (engine_test_count_orders (f->ledger), ==, 2);
  g_assert_cmpuint (script.pull_requests, ==, 1);
  page = cp_integrations_get_cursor (f->ledger, f->id, CP_ENGINE_CURSOR_ORDERS_PAGE, NULL);
  g_assert_null (page);
}

/* Cancelling a run abandons the request in flight; the job goes back to
 * the queue with its attempts intact and its fingerprint kept. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpOutboxJob) job = NULL;
  CpEngineOutcome outcome;

  if (!f->ready)
    return;

  engine_test_adjust (f->ledger, "SKU-A", 1);
  script.hang = TRUE;
  cp_engine_run_once_async (f->engine, NULL, FALSE, 0, cancellable, engine_test_result_cb, &result);
  while (!is_hanging ())
    g_main_context_iteration (NULL, FALSE);
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (cp_engine_run_once_finish (f->engine, result, &outcome, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  job = only_job (f);
  g_assert_cmpint (job->state, ==, CP_JOB_PENDING);
  g_assert_cmpuint (job->attempts, ==, 0);
  g_assert_nonnull (job->request_fingerprint);

  /* And the engine is free again. */
  script.hang = FALSE;
  g_assert_cmpint (engine_test_run_once_ok (f->engine, 0), ==, CP_ENGINE_OUTCOME_DONE);
}

/* Two runs at once: the second is refused, not interleaved. */
static void
test_busy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GError) error = NULL;
  CpEngineOutcome outcome;

  if (!f->ready)
    return;

  engine_test_adjust (f->ledger, "SKU-A", 1);
  script.hang = TRUE;
  cp_engine_run_once_async (f->engine, NULL, FALSE, 0, cancellable, engine_test_result_cb, &first);
  while (!is_hanging ())
    g_main_context_iteration (NULL, FALSE);

  g_assert_false (engine_test_run_once (f->engine, NULL, FALSE, 0, NULL, &outcome, &error));
  g_assert_error (error, CP_ENGINE_ERROR, CP_ENGINE_ERROR_BUSY);

  g_cancellable_cancel (cancellable);
  while (first == NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* A full disk stops the sync with a clear message and breaks nothing;
 * once there is room again the next run finishes the work. */
static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CpEngineOutcome outcome;
  guint pending, started, dead;

  if (!f->ready)
    return;

  script.n_orders = 60;
  script.page_size = 30;
  engine_test_adjust (f->ledger, "SKU-B", 1);
  cp_engine_set_ledger_hook (f->engine, engine_test_fill_disk, NULL);

  g_assert_false (engine_test_run_once (f->engine, NULL, FALSE, 0, NULL, &outcome, &error));
  g_assert_error (error, CP_ENGINE_ERROR, CP_ENGINE_ERROR_STOPPED);
  g_assert_nonnull (strstr (error->message, "disk is full"));
  g_assert_cmpint (engine_test_count_orders (f->ledger), <, 60);
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT COUNT(*) FROM pragma_integrity_check "
                                     "WHERE integrity_check != 'ok'", -1), ==, 0);

  cp_engine_set_ledger_hook (f->engine, NULL, NULL);
  g_clear_error (&error);
  g_assert_cmpint (engine_test_run_once_ok (f->engine, 30 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_DONE);
  g_assert_cmpint (engine_test_count_orders (f->ledger), ==, 60);
  g_assert_cmpint (cp_sql_query_int (f->ledger,
                                     "SELECT COUNT(DISTINCT external_id) FROM orders", -1), ==, 60);
  counts (f, &pending, &started, &dead);
  g_assert_cmpuint (pending + started + dead, ==, 0);
  g_assert_cmpint (remote_value (f->variants[1]), ==, 11);
}

typedef struct
{
  guint progress;
  guint changed;
  guint state_notifies;
  GThread *thread;
  gboolean wrong_thread;
} Signals;

static void
on_progress (CpEngine *engine,
             guint     done,
             guint     total,
             Signals  *s)
{
  s->progress++;
  s->wrong_thread |= g_thread_self () != s->thread;
}

static void
on_changed (CpEngine   *engine,
            const char *id,
            Signals    *s)
{
  s->changed++;
  s->wrong_thread |= g_thread_self () != s->thread;
}

static void
on_state (GObject    *object,
          GParamSpec *pspec,
          Signals    *s)
{
  s->state_notifies++;
  s->wrong_thread |= g_thread_self () != s->thread;
}

/* Watching: a stock change made by another connection is pushed without
 * anyone asking, signals arrive on the main thread, stop returns. */
static void
test_watch (Fixture       *f,
            gconstpointer  data)
{
  Signals s = { 0 };
  gint64 give_up;

  if (!f->ready)
    return;

  s.thread = g_thread_self ();
  g_signal_connect (f->engine, "progress", G_CALLBACK (on_progress), &s);
  g_signal_connect (f->engine, "integration-changed", G_CALLBACK (on_changed), &s);
  g_signal_connect (f->engine, "notify::state", G_CALLBACK (on_state), &s);

  cp_engine_start (f->engine);
  g_assert_true (cp_engine_is_running (f->engine));

  engine_test_adjust (f->ledger, "SKU-C", 7);
  /* A guard against hanging forever, not a timing assertion. */
  give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (remote_value (f->variants[2]) != 17 && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_cmpint (remote_value (f->variants[2]), ==, 17);

  /* Paused: nothing goes until resumed. */
  cp_engine_set_paused (f->engine, TRUE);
  while (cp_engine_get_state (f->engine) != CP_ENGINE_STATE_PAUSED &&
         g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_cmpint (cp_engine_get_state (f->engine), ==, CP_ENGINE_STATE_PAUSED);
  engine_test_adjust (f->ledger, "SKU-C", 1);
  cp_engine_set_paused (f->engine, FALSE);
  while (remote_value (f->variants[2]) != 18 && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_cmpint (remote_value (f->variants[2]), ==, 18);

  cp_engine_stop (f->engine);
  g_assert_false (cp_engine_is_running (f->engine));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (s.progress, >, 0);
  g_assert_cmpuint (s.changed, >, 0);
  g_assert_cmpuint (s.state_notifies, >, 0);
  g_assert_false (s.wrong_thread);
  g_signal_handlers_disconnect_by_data (f->engine, &s);
}

/* A full sync pushes every variant, changed or not. */
static void
test_full (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CpEngineOutcome outcome;

  if (!f->ready)
    return;

  cp_engine_run_once_async (f->engine, f->id, TRUE, 0, NULL, engine_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cp_engine_run_once_finish (f->engine, result, &outcome, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, CP_ENGINE_OUTCOME_DONE);
  for (guint i = 0; i < G_N_ELEMENTS (f->variants); i++)
    g_assert_cmpint (remote_value (f->variants[i]), ==, 10);
}

/* ---- One engine per ledger -------------------------------------------------- */

static int
hold_sync_lock (Fixture *f)
{
  g_autofree char *path = cp_engine_lock_path (f->path);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX | LOCK_NB), ==, 0);
  return fd;
}

static gboolean
release_sync_lock_cb (gpointer data)
{
  close (GPOINTER_TO_INT (data));
  return G_SOURCE_REMOVE;
}

/* Another engine (the window, or a second `sync --once`) is working: it
 * holds the sync lock and has a job started under its epoch. A second
 * run must neither requeue that job (an attempt lost, a push sent twice)
 * nor send anything; it gives up after its max wait with a clear
 * message, and goes ahead when the first one has finished. */
static void
test_single_instance (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(CpOutboxJob) job = NULL;
  g_autoptr(GError) error = NULL;
  CpEngineOutcome outcome;
  gint64 epoch;
  int fd;

  if (!f->ready)
    return;

  engine_test_adjust (f->ledger, "SKU-A", 1);

  /* The first engine: lock, epoch, a job claimed and in flight. */
  fd = hold_sync_lock (f);
  epoch = cp_outbox_start_epoch (f->ledger, NULL, &error);
  g_assert_no_error (error);
  claimed = cp_outbox_claim (f->ledger, f->id, NULL, 10, epoch, cp_ledger_now_us (),
                             600 * G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 1);

  g_assert_false (engine_test_run_once (f->engine, NULL, FALSE, 0, NULL, &outcome, &error));
  g_assert_error (error, CP_ENGINE_ERROR, CP_ENGINE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "already syncing this shop"));
  g_clear_error (&error);

  job = only_job (f);
  g_assert_cmpint (job->state, ==, CP_JOB_STARTED);
  g_assert_cmpint (job->lease_epoch, ==, epoch);
  g_assert_cmpuint (job->attempts, ==, 0);
  g_assert_cmpuint (n_pushes (), ==, 0);
  g_clear_pointer (&job, cp_outbox_job_free);

  /* The first engine dies while the second one waits: its lock goes with
   * it, and the second one takes over its job (the crash counts as an
   * attempt) within its max wait. */
  g_timeout_add (100, release_sync_lock_cb, GINT_TO_POINTER (fd));
  g_assert_cmpint (engine_test_run_once_ok (f->engine, 60 * G_USEC_PER_SEC), ==,
                   CP_ENGINE_OUTCOME_DONE);
  g_assert_cmpuint (n_pushes (), ==, 1);
  g_assert_cmpint (remote_value (f->variants[0]), ==, 11);
}

/* Done jobs are kept 30 days, then a run drops them; younger ones and
 * unfinished ones stay. */
static void
test_purge (Fixture       *f,
            gconstpointer  data)
{
  sqlite3 *db;
  gint64 now = cp_ledger_now_us ();
  g_autofree char *sql = NULL;
  guint pending, started, dead;
  CpOutboxQuery query = { 0 };
  g_autoptr(GPtrArray) done = NULL;
  g_autofree char *old_key = NULL;

  if (!f->ready)
    return;

  engine_test_adjust (f->ledger, "SKU-A", -1);
  engine_test_adjust (f->ledger, "SKU-B", 1);
  g_assert_cmpint (engine_test_run_once_ok (f->engine, 0), ==, CP_ENGINE_OUTCOME_DONE);

  /* One finished 31 days ago, one 29 days ago; then a new change. */
  db = cp_ledger_get_db (f->ledger);
  sql = g_strdup_printf ("UPDATE outbox_jobs SET done_at = CASE coalesce_key"
                         " WHEN 'variant:%" G_GINT64_FORMAT "' THEN %" G_GINT64_FORMAT
                         " ELSE %" G_GINT64_FORMAT " END WHERE state = 'done'",
                         f->variants[0],
                         now - G_GINT64_CONSTANT (31) * 24 * 3600 * G_USEC_PER_SEC,
                         now - G_GINT64_CONSTANT (29) * 24 * 3600 * G_USEC_PER_SEC);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 2);

  g_assert_cmpint (engine_test_run_once_ok (f->engine, 0), ==, CP_ENGINE_OUTCOME_DONE);

  query.integration_id = f->id;
  query.has_state = TRUE;
  query.state = CP_JOB_DONE;
  done = cp_outbox_list (f->ledger, &query, NULL);
  g_assert_nonnull (done);
  g_assert_cmpuint (done->len, ==, 1);
  old_key = g_strdup_printf ("variant:%" G_GINT64_FORMAT, f->variants[0]);
  g_assert_cmpstr (((CpOutboxJob *) g_ptr_array_index (done, 0))->coalesce_key, !=, old_key);
  counts (f, &pending, &started, &dead);
  g_assert_cmpuint (pending + started + dead, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  script_init ();

#define ADD(name, func) \
  g_test_add ("/engine/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("coalesced", test_coalesced);
  ADD ("bad-record", test_bad_record);
  ADD ("rate-limited", test_rate_limited);
  ADD ("rate-limited-no-wait", test_rate_limited_no_wait);
  ADD ("transient", test_transient);
  ADD ("auth", test_auth);
  ADD ("pull", test_pull);
  ADD ("pull-resume", test_pull_resume);
  ADD ("cancel", test_cancel);
  ADD ("busy", test_busy);
  ADD ("disk-full", test_disk_full);
  ADD ("watch", test_watch);
  ADD ("full", test_full);
  ADD ("single-instance", test_single_instance);
  ADD ("purge", test_purge);
#undef ADD

  return g_test_run ();
}
