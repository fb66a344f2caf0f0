/* test-engine-ecomv2.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sync engine with the real ecomv2 connector against the ecomv2 fake
 * on loopback: what reaches the store is read back from the fake, and
 * requests are counted where they arrive. Faults come from the fake's
 * injector (a 429 with Retry-After, a 5xx, latency), rejected
 * credentials from the fake refusing the key.
 */

#define G_LOG_DOMAIN "test-engine"

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "cp-activity.h"
#include "cp-catalog.h"
#include "cp-connectors.h"
#include "cp-credentials.h"
#include "cp-engine-private.h"
#include "cp-engine.h"
#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-sandbox-demo.h"
#include "cp-sandbox-ecomv2.h"
#include "cp-sandbox-server.h"
#include "cp-sql.h"
#include "cp-stock.h"
#include "test-engine-common.h"

#define BATCH_ENDPOINT "ecomv2 PATCH /batch/update"

static const char * const skus[] = { "EC-00001", "EC-00002", "EC-00003" };

typedef struct
{
  char            *dir;
  char            *path;
  CpLedger        *ledger;
  CpEngine        *engine;
  CpSandboxServer *server;
  CpSandboxEcomv2 *ecomv2;
  char            *id;
  gint64           variants[G_N_ELEMENTS (skus)];
  gboolean         ready;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const permissions[] = { CP_PERMISSION_INVENTORY_SYNC, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  f->dir = g_dir_make_tmp ("test-engine-ecomv2-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "ledger.sqlite3", NULL);
  f->ledger = cp_ledger_open (f->path, &error);
  g_assert_no_error (error);

  f->server = cp_sandbox_server_new ();
  f->ecomv2 = cp_sandbox_ecomv2_new_sized (20, 6);
  cp_sandbox_server_add_platform (f->server, CP_SANDBOX_PLATFORM (f->ecomv2));
  g_assert_true (cp_sandbox_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  url = cp_sandbox_server_dup_platform_url (f->server, "ecomv2");

  g_assert_true (cp_locations_add (f->ledger, "MAIN", "Main", "USD", NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (skus); i++)
    f->variants[i] = engine_test_add_variant (f->ledger, skus[i], 100);

  engine_test_unique_ids (f->ledger);
  f->id = cp_integrations_add (f->ledger, "ecomv2", "Web shop", url, permissions, &error);
  g_assert_no_error (error);

  f->engine = cp_engine_new (f->path);
  f->ready = engine_test_require_keyring ();
  if (f->ready)
    {
      g_autofree char *key = cp_integrations_credential_key (f->ledger, f->id, &error);

      g_assert_no_error (error);
      g_assert_true (cp_credentials_store_sync (key, "Counterpart: test",
                                                "{\"api_key\":\"" CP_SANDBOX_ECOMV2_DEFAULT_KEY "\"}",
                                                NULL, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->ready)
    {
      g_autofree char *key = cp_integrations_credential_key (f->ledger, f->id, NULL);

      cp_credentials_clear_sync (key, NULL, NULL);
    }
  g_clear_object (&f->engine);
  g_clear_object (&f->ledger);
  cp_sandbox_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->ecomv2);
  engine_test_remove_ledger (f->path);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->id);
}

static gint64
ledger_available (Fixture    *f,
                  const char *sku)
{
  g_autoptr(CpStockLevel) level = cp_stock_get (f->ledger, sku, "MAIN", NULL);

  g_assert_nonnull (level);
  return level->available;
}

static gint64
store_available (Fixture    *f,
                 const char *sku)
{
  return cp_sandbox_ecomv2_get_available (f->ecomv2, sku, "wh_001");
}

static CpOutboxJob *
only_job (Fixture *f)
{
  CpOutboxQuery query = { 0 };
  g_autoptr(GPtrArray) jobs = NULL;

  query.integration_id = f->id;
  query.has_state = TRUE;
  query.state = CP_JOB_DONE;
  jobs = cp_outbox_list (f->ledger, &query, NULL);
  g_assert_nonnull (jobs);
  g_assert_cmpuint (jobs->len, ==, 1);
  return cp_outbox_job_copy (g_ptr_array_index (jobs, 0));
}

static void
set_faults (Fixture    *f,
            const char *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_sandbox_faults_set_from_string (cp_sandbox_server_get_faults (f->server),
                                                    spec, &error));
  g_assert_no_error (error);
}

/* Many changes become one push of the latest value per SKU, in one
 * batch request. */
static void
test_coalesced (Fixture       *f,
                gconstpointer  data)
{
  if (!f->ready)
    return;

  for (int i = 0; i < 5; i++)
    engine_test_adjust (f->ledger, "EC-00001", -2);
  engine_test_adjust (f->ledger, "EC-00002", 7);

  g_assert_cmpint (engine_test_run_once_ok (f->engine, 30 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_DONE);
  g_assert_cmpint (store_available (f, "EC-00001"), ==, 90);
  g_assert_cmpint (store_available (f, "EC-00002"), ==, 107);
  g_assert_cmpuint (cp_sandbox_server_get_request_count (f->server, BATCH_ENDPOINT), ==, 1);
  g_assert_cmpuint (cp_sandbox_server_get_n_duplicate_effects (f->server), ==, 0);
}

/* One record the store refuses (its product is gone there) is set
 * aside; the rest of the batch goes through. */
static void
test_record_isolated (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *local = NULL;
  guint pending, started, dead;

  if (!f->ready)
    return;

  /* The first sync matches the catalog by SKU. */
  engine_test_adjust (f->ledger, "EC-00001", 1);
  g_assert_cmpint (engine_test_run_once_ok (f->engine, 30 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_DONE);

  local = g_strdup_printf ("%" G_GINT64_FORMAT, f->variants[2]);
  g_assert_true (cp_integrations_set_mapping (f->ledger, f->id, "variant", local, "prod_9999",
                                              NULL, &error));
  g_assert_no_error (error);
  engine_test_adjust (f->ledger, "EC-00001", 1);
  engine_test_adjust (f->ledger, "EC-00002", 2);
  engine_test_adjust (f->ledger, "EC-00003", 3);

  g_assert_cmpint (engine_test_run_once_ok (f->engine, 30 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_PARTIAL);
  g_assert_cmpint (store_available (f, "EC-00001"), ==, ledger_available (f, "EC-00001"));
  g_assert_cmpint (store_available (f, "EC-00002"), ==, ledger_available (f, "EC-00002"));
  g_assert_true (cp_outbox_count (f->ledger, f->id, &pending, &started, &dead, &error));
  g_assert_cmpuint (pending + started, ==, 0);
  g_assert_cmpuint (dead, ==, 1);
  g_assert_cmpuint (engine_test_count_activity (f->ledger, CP_ACTIVITY_RECORD_REJECTED), ==, 1);
}

/* A 429 with Retry-After: waited out, no attempt used, logged once. */
static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CpOutboxJob) job = NULL;

  if (!f->ready)
    return;

  engine_test_adjust (f->ledger, "EC-00002", -4);
  set_faults (f, "retry_after=1");
  cp_sandbox_faults_force (cp_sandbox_server_get_faults (f->server), CP_SANDBOX_FAULT_429, 1);

  g_assert_cmpint (engine_test_run_once_ok (f->engine, 60 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_DONE);
  g_assert_cmpuint (cp_sandbox_server_get_fault_count (f->server, CP_SANDBOX_FAULT_429), ==, 1);
  g_assert_cmpint (store_available (f, "EC-00002"), ==, 96);
  job = only_job (f);
  g_assert_cmpuint (job->attempts, ==, 0);
  g_assert_cmpuint (engine_test_count_activity (f->ledger, CP_ACTIVITY_RATE_LIMITED), ==, 1);
}

/* A 5xx costs an attempt and a backoff; then the push goes through. */
static void
test_transient (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CpOutboxJob) job = NULL;

  if (!f->ready)
    return;

  engine_test_adjust (f->ledger, "EC-00003", 5);
  /* Match first, so the 5xx falls on the stock push itself. */
  g_assert_cmpint (engine_test_run_once_ok (f->engine, 30 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_DONE);
  engine_test_adjust (f->ledger, "EC-00003", 5);
  cp_sandbox_faults_force (cp_sandbox_server_get_faults (f->server), CP_SANDBOX_FAULT_5XX, 1);

  g_assert_cmpint (engine_test_run_once_ok (f->engine, 60 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_DONE);
  g_assert_cmpuint (cp_sandbox_server_get_fault_count (f->server, CP_SANDBOX_FAULT_5XX), ==, 1);
  g_assert_cmpint (store_available (f, "EC-00003"), ==, 110);
  g_assert_cmpuint (engine_test_count_activity (f->ledger, CP_ACTIVITY_STORE_CONNECTION_FAILED), ==, 1);
  {
    CpOutboxQuery query = { 0 };
    g_autoptr(GPtrArray) jobs = NULL;

    query.integration_id = f->id;
    jobs = cp_outbox_list (f->ledger, &query, NULL);
    g_assert_cmpuint (jobs->len, ==, 2);
    g_assert_cmpuint (((CpOutboxJob *) g_ptr_array_index (jobs, 1))->attempts, ==, 1);
  }
}

/* The store refuses the key: needs attention, with a message that says
 * to re-enter the credentials, and one request per run, not a storm. */
static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  static const char * const other_keys[] = { "test_someone_else", NULL };
  g_autoptr(CpIntegration) integration = NULL;
  guint before;

  if (!f->ready)
    return;

  engine_test_adjust (f->ledger, "EC-00001", 1);
  engine_test_adjust (f->ledger, "EC-00002", 1);
  cp_sandbox_ecomv2_set_api_keys (f->ecomv2, other_keys);

  before = cp_sandbox_server_get_request_count (f->server, NULL);
  g_assert_cmpint (engine_test_run_once_ok (f->engine, 30 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_ATTENTION);
  g_assert_cmpuint (cp_sandbox_server_get_request_count (f->server, NULL) - before, ==, 1);
  integration = cp_integrations_get (f->ledger, f->id, NULL);
  g_assert_cmpstr (integration->attention_kind, ==, CP_ATTENTION_CREDENTIALS);
  g_assert_nonnull (strstr (integration->attention, "Re-enter the credentials"));

  before = cp_sandbox_server_get_request_count (f->server, NULL);
  g_assert_cmpint (engine_test_run_once_ok (f->engine, 30 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_ATTENTION);
  g_assert_cmpuint (cp_sandbox_server_get_request_count (f->server, NULL) - before, ==, 1);
}

static void
allow_pulls (Fixture *f)
{
  static const char * const permissions[] = {
    CP_PERMISSION_INVENTORY_SYNC, CP_PERMISSION_ORDERS_PULL, NULL
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_integrations_set_permissions (f->ledger, f->id, permissions, &error));
  g_assert_no_error (error);
}

/* Orders are stored once each across two runs, whatever the overlap. */
static void
test_pull (Fixture       *f,
           gconstpointer  data)
{
  if (!f->ready)
    return;

  allow_pulls (f);
  g_assert_cmpint (engine_test_run_once_ok (f->engine, 30 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_DONE);
  g_assert_cmpint (engine_test_count_orders (f->ledger), ==, 6);

  cp_sandbox_ecomv2_add_orders (f->ecomv2, 4, 7);
  g_assert_cmpint (engine_test_run_once_ok (f->engine, 30 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_DONE);
  g_assert_cmpint (engine_test_count_orders (f->ledger), ==, 10);
  g_assert_cmpint (cp_sql_query_int (f->ledger,
                                     "SELECT COUNT(DISTINCT external_id) FROM orders", -1), ==, 10);
  g_assert_cmpuint (engine_test_count_activity (f->ledger, CP_ACTIVITY_ORDER_RECEIVED_FROM_STORE), ==, 10);
  /* What those orders sold went back to the store. */
  for (guint i = 0; i < G_N_ELEMENTS (skus); i++)
    if (ledger_available (f, skus[i]) != 100)
      g_assert_cmpint (store_available (f, skus[i]), ==, ledger_available (f, skus[i]));
}

/* A full disk stops the sync with a clear message; with room again the
 * next run stores every order once. */
static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CpEngineOutcome outcome;

  if (!f->ready)
    return;

  allow_pulls (f);
  cp_sandbox_ecomv2_add_orders (f->ecomv2, 200, 11);
  cp_engine_set_ledger_hook (f->engine, engine_test_fill_disk, NULL);
  g_assert_false (engine_test_run_once (f->engine, NULL, FALSE, 0, NULL, &outcome, &error));
  g_assert_error (error, CP_ENGINE_ERROR, CP_ENGINE_ERROR_STOPPED);
  g_assert_nonnull (strstr (error->message, "disk is full"));
  g_assert_cmpint (engine_test_count_orders (f->ledger), <, 206);

  cp_engine_set_ledger_hook (f->engine, NULL, NULL);
  g_assert_cmpint (engine_test_run_once_ok (f->engine, 30 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_DONE);
  g_assert_cmpint (engine_test_count_orders (f->ledger), ==, 206);
  g_assert_cmpint (cp_sql_query_int (f->ledger,
                                     "SELECT COUNT(DISTINCT external_id) FROM orders", -1), ==, 206);
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT COUNT(*) FROM pragma_integrity_check "
                                     "WHERE integrity_check != 'ok'", -1), ==, 0);
}

/* Cancelling abandons a slow request at once; the job keeps its attempts. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CpEngineOutcome outcome;
  CpOutboxQuery query = { 0 };
  g_autoptr(GPtrArray) jobs = NULL;

  if (!f->ready)
    return;

  engine_test_adjust (f->ledger, "EC-00001", 3);
  set_faults (f, "latency=30s");
  cp_engine_run_once_async (f->engine, NULL, FALSE, 0, cancellable, engine_test_result_cb, &result);
  while (cp_sandbox_server_get_request_count (f->server, NULL) == 0)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (cp_engine_run_once_finish (f->engine, result, &outcome, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  query.integration_id = f->id;
  jobs = cp_outbox_list (f->ledger, &query, NULL);
  g_assert_cmpuint (jobs->len, ==, 1);
  g_assert_cmpint (((CpOutboxJob *) g_ptr_array_index (jobs, 0))->state, ==, CP_JOB_PENDING);
  g_assert_cmpuint (((CpOutboxJob *) g_ptr_array_index (jobs, 0))->attempts, ==, 0);
  set_faults (f, "none");
}

/* What the store's first batch update found committed: read on the
 * fake's thread, from a connection of its own, as a crash at that moment
 * would leave the ledger. */
typedef struct
{
  const char *path;
  const char *integration_id;
  gint        queued;      /* -1 until the first batch update */
  gint        announced;   /* started under a lease, fingerprint and sent_at set */
} Announced;

static void
observe_first_batch (const char *endpoint,
                     gpointer    user_data)
{
  Announced *seen = user_data;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  if (g_strcmp0 (endpoint, BATCH_ENDPOINT) != 0 || seen->queued >= 0)
    return;
  g_assert_cmpint (sqlite3_open_v2 (seen->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT count (*), TOTAL (state = 'started'"
                                       " AND lease_epoch IS NOT NULL"
                                       " AND request_fingerprint IS NOT NULL AND sent_at IS NOT NULL)"
                                       " FROM outbox_jobs WHERE integration_id = ?1"
                                       " AND kind = 'stock.push'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, seen->integration_id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  seen->queued = sqlite3_column_int (stmt, 0);
  seen->announced = sqlite3_column_int (stmt, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* The jobs of INTEGRATION_ID that went in a request. */
static gint
sent_jobs (Fixture    *f,
           const char *integration_id)
{
  g_autoptr(CpSqlStmt) stmt = cp_ledger_prepare (f->ledger,
                                                 "SELECT count (*) FROM outbox_jobs"
                                                 " WHERE integration_id = ?1 AND state = 'done'"
                                                 " AND request_fingerprint IS NOT NULL", NULL);

  g_assert_nonnull (stmt);
  sqlite3_bind_text (stmt, 1, integration_id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int (stmt, 0);
}

/* A stock push too big for one request goes as several (100 updates
 * each), all announced before the first is sent: one durable commit for
 * them all. When the store receives the first, every job of the push is
 * started with its request's fingerprint; announcing each request just
 * before it goes would leave the later ones without. */
static void
test_announced_together (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const permissions[] = { CP_PERMISSION_INVENTORY_SYNC, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpSandboxServer) server = cp_sandbox_server_new ();
  g_autoptr(CpSandboxEcomv2) big = cp_sandbox_ecomv2_new_sized (250, 6);
  g_autofree char *url = NULL;
  g_autofree char *id = NULL;
  g_autofree char *key = NULL;
  Announced seen = { f->path, NULL, -1, -1 };
  CpEngineOutcome outcome;
  guint pending, started, dead;

  if (!f->ready)
    return;

  cp_sandbox_server_add_platform (server, CP_SANDBOX_PLATFORM (big));
  g_assert_true (cp_sandbox_server_start (server, 0, &error));
  g_assert_no_error (error);
  url = cp_sandbox_server_dup_platform_url (server, "ecomv2");

  for (guint i = G_N_ELEMENTS (skus); i < 250; i++)
    {
      g_autofree char *sku = g_strdup_printf ("EC-%05u", i + 1);

      engine_test_add_variant (f->ledger, sku, 0);
    }
  id = cp_integrations_add (f->ledger, "ecomv2", "Big shop", url, permissions, &error);
  g_assert_no_error (error);
  key = cp_integrations_credential_key (f->ledger, id, &error);
  g_assert_true (cp_credentials_store_sync (key, "Counterpart: test",
                                            "{\"api_key\":\"" CP_SANDBOX_ECOMV2_DEFAULT_KEY "\"}",
                                            NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 250; i++)
    {
      g_autofree char *sku = g_strdup_printf ("EC-%05u", i + 1);

      g_assert_true (cp_stock_adjust (f->ledger, sku, "MAIN", 7, CP_STOCK_REASON_RECEIVED,
                                      NULL, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }

  seen.integration_id = id;
  cp_sandbox_server_set_request_observer (server, observe_first_batch, &seen);
  g_assert_true (engine_test_run_once (f->engine, id, FALSE, 60 * G_USEC_PER_SEC, NULL,
                                       &outcome, &error));
  g_assert_no_error (error);
  cp_sandbox_server_set_request_observer (server, NULL, NULL);
  cp_credentials_clear_sync (key, NULL, NULL);
  cp_sandbox_server_stop (server);
  g_assert_cmpint (outcome, ==, CP_ENGINE_OUTCOME_DONE);

  /* The demo store lacks a few SKUs: their jobs have nothing to send.
   * Every stock the store changed was announced before the first
   * request, and more than two requests' worth went. */
  g_assert_cmpint (seen.queued, ==, 250);
  g_assert_cmpint (seen.announced, >, 200);
  g_assert_cmpint (seen.announced, ==, sent_jobs (f, id));
  g_assert_cmpuint (cp_sandbox_server_get_request_count (server, BATCH_ENDPOINT), ==, 3);
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (big, "EC-00249", "wh_001"), ==,
                   ledger_available (f, "EC-00249"));
  g_assert_true (cp_outbox_count (f->ledger, id, &pending, &started, &dead, &error));
  g_assert_cmpuint (pending + started + dead, ==, 0);
}

/* A newcomer's sandbox: the demo shop has two locations, and its store
 * must take the main one's stock on the first sync, without anyone
 * mapping anything (no "needs a mapping" at once). */
static void
test_sandbox_demo (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *again = NULL;
  g_autoptr(CpIntegration) integration = NULL;
  CpEngineOutcome outcome;

  if (!f->ready)
    return;

  g_assert_true (cp_locations_add (f->ledger, "WH", "Warehouse", "USD", NULL, &error));
  g_assert_no_error (error);

  id = cp_sandbox_demo_ensure (f->ledger, f->server, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);

  engine_test_adjust (f->ledger, "EC-00002", -9);
  g_assert_true (engine_test_run_once (f->engine, id, FALSE, 60 * G_USEC_PER_SEC, NULL,
                                       &outcome, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, CP_ENGINE_OUTCOME_DONE);
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->ecomv2, "EC-00002", "wh_001"), ==,
                   ledger_available (f, "EC-00002"));
  integration = cp_integrations_get (f->ledger, id, &error);
  g_assert_no_error (error);
  g_assert_null (integration->attention);

  /* A person's own mapping stands: ensuring again changes nothing. */
  g_assert_true (cp_integrations_clear_mapping (f->ledger, id, "location", "MAIN", &error));
  g_assert_true (cp_integrations_set_mapping (f->ledger, id, "location", "WH", "wh_002", NULL,
                                              &error));
  again = cp_sandbox_demo_ensure (f->ledger, f->server, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, id);
  g_assert_null (cp_integrations_get_remote_id (f->ledger, id, "location", "MAIN", &error));
  g_assert_no_error (error);

  {
    g_autofree char *key = cp_integrations_credential_key (f->ledger, id, NULL);

    cp_credentials_clear_sync (key, NULL, NULL);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  cp_connectors_register_all ();

#define ADD(name, func) \
  g_test_add ("/engine/ecomv2/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("coalesced", test_coalesced);
  ADD ("record-isolated", test_record_isolated);
  ADD ("rate-limited", test_rate_limited);
  ADD ("transient", test_transient);
  ADD ("auth", test_auth);
  ADD ("pull", test_pull);
  ADD ("disk-full", test_disk_full);
  ADD ("cancel", test_cancel);
  ADD ("sandbox-demo", test_sandbox_demo);
  ADD ("announced-together", test_announced_together);
#undef ADD

  return g_test_run ();
}
