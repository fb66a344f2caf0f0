/* test-store-outage.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 4, "Bad input and faults": the store unreachable for a day —
 * nothing lost, everything catches up, the owner was told. For Shopify
 * and WooCommerce, with the store refusing connections (its fake's
 * server stopped, the port closed) and with the store answering 503.
 *
 * While the store is away the shop goes on: stock is sold and received
 * at the till (several times for the same SKU) and orders are placed on
 * the store itself. The engine keeps syncing as the watch loop would: a
 * run, then the backoff it chose, then another run. The day passes on a
 * test clock, not on the wall clock: after each run the slot's backoff
 * is declared elapsed and the jobs' next_attempt_at is moved back by the
 * same amount, so a simulated day costs a few dozen real runs of a few
 * milliseconds each.
 *
 * Then the store comes back, and:
 *  - every stock change arrives once, the latest value: one queued job
 *    per SKU however many times it changed, and the store shows the
 *    ledger's available stock;
 *  - every order placed during the outage is imported once (a second
 *    pull over the overlap adds none);
 *  - no job is dead unless its attempts ran out, and then it is in the
 *    activity log as JobDead and a retry sends it;
 *  - the owner was told: StoreConnectionFailed in the activity log (one
 *    per failed request, not one per change) and the integration's last
 *    error during the outage; after it, a success newer than the error,
 *    no attention asked, and events of the catching up after the last
 *    failure.
 */

#define G_LOG_DOMAIN "test-store-outage"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cp-activity.h"
#include "cp-catalog.h"
#include "cp-connector.h"
#include "cp-connectors.h"
#include "cp-engine-private.h"
#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-sandbox-server.h"
#include "cp-sandbox-shopify.h"
#include "cp-sandbox-woocommerce.h"
#include "cp-shopify-connector.h"
#include "cp-woocommerce-connector.h"
#include "cp-sql.h"
#include "cp-stock.h"

#define N_SKUS     8
#define ON_HAND    20
#define DAY_US     (G_GINT64_CONSTANT (24) * 3600 * G_USEC_PER_SEC)
#define MAX_TICKS  400

typedef struct
{
  const char *platform;
  gboolean    refuse;     /* TRUE: connection refused; FALSE: 503 */
} OutageCase;

typedef struct
{
  const OutageCase     *c;
  char                 *dir;
  char                 *path;
  CpLedger             *ledger;
  CpSandboxServer      *server;
  guint                 port;
  CpSandboxShopify     *shopify;
  CpSandboxWoocommerce *woo;
  guint                 woo_ids[N_SKUS];
  char                 *url;
  char                 *id;
  CpEngine             *engine;
  GSocket              *port_holder;
} Outage;

static char *
sku_of (guint i)
{
  return g_strdup_printf ("OUT-%03u", i + 1);
}

static char *
lookup_credentials (const char  *integration_id,
                    gpointer     user_data,
                    GError     **error)
{
  /* The subject is the outage, not the keyring: the engine gets the
   * sandbox's published credentials from here. */
  if (g_str_equal (user_data, "shopify"))
    return g_strdup ("{\"access_token\":\"" CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN "\"}");
  return g_strdup ("{\"consumer_key\":\"" CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY "\","
                   "\"consumer_secret\":\"" CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET "\"}");
}

typedef struct
{
  gboolean         done;
  gboolean         ok;
  CpEngineOutcome  outcome;
  GError          *error;
} SyncResult;

static void
on_sync_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncResult *sync = user_data;

  sync->ok = cp_engine_run_once_finish (CP_ENGINE (source), result, &sync->outcome, &sync->error);
  sync->done = TRUE;
}

static CpEngineOutcome
run_once (Outage *o,
          gint64  max_wait_us)
{
  SyncResult sync = { 0 };

  cp_engine_run_once_async (o->engine, o->id, FALSE, max_wait_us, NULL, on_sync_done, &sync);
  while (!sync.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (sync.error);
  g_assert_true (sync.ok);
  return sync.outcome;
}

static gint64
store_stock (Outage *o,
             guint   i)
{
  g_autofree char *sku = sku_of (i);

  if (o->shopify != NULL)
    return cp_sandbox_shopify_get_available (o->shopify, sku, 0);
  return cp_sandbox_woocommerce_get_stock (o->woo, sku);
}

static gint64
ledger_available (Outage *o,
                  guint   i)
{
  g_autofree char *sku = sku_of (i);
  g_autoptr(CpStockLevel) level = NULL;
  g_autoptr(GError) error = NULL;

  level = cp_stock_get (o->ledger, sku, "MAIN", &error);
  g_assert_no_error (error);
  return level->available;
}

static gint64
query_int (Outage     *o,
           const char *sql,
           gint64      bound)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  gint64 value;

  stmt = cp_ledger_prepare (o->ledger, sql, &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, o->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, bound);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  return value;
}

static void
exec (Outage     *o,
      const char *sql,
      gint64      value)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  stmt = cp_ledger_prepare (o->ledger, sql, &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, o->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, value);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
}

static void
outage_setup (Outage        *o,
              gconstpointer  data)
{
  static const char * const permissions[] = { CP_PERMISSION_ORDERS_PULL,
                                              CP_PERMISSION_INVENTORY_SYNC, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpConnector) connector = NULL;
  g_autoptr(CpMappingReport) report = NULL;
  g_autofree char *credentials = NULL;

  memset (o, 0, sizeof *o);
  o->c = data;
  cp_connectors_register_all ();

  /* The store: N_SKUS simple products, nothing in stock yet, no orders. */
  o->server = cp_sandbox_server_new ();
  if (g_str_equal (o->c->platform, "shopify"))
    {
      o->shopify = cp_sandbox_shopify_new_sized (0, 0);
      for (guint i = 0; i < N_SKUS; i++)
        {
          g_autofree char *sku = sku_of (i);
          g_autofree char *title = g_strdup_printf ("Outage product %u", i + 1);
          const char *skus[] = { sku };

          cp_sandbox_shopify_add_product (o->shopify, title, skus, 1);
        }
      cp_sandbox_server_add_platform (o->server, CP_SANDBOX_PLATFORM (o->shopify));
    }
  else
    {
      o->woo = cp_sandbox_woocommerce_new_sized (0, 0, 0);
      for (guint i = 0; i < N_SKUS; i++)
        {
          g_autofree char *sku = sku_of (i);
          g_autofree char *title = g_strdup_printf ("Outage product %u", i + 1);

          o->woo_ids[i] = cp_sandbox_woocommerce_add_product (o->woo, sku, title, 999, 0);
        }
      cp_sandbox_server_add_platform (o->server, CP_SANDBOX_PLATFORM (o->woo));
    }
  g_assert_true (cp_sandbox_server_start (o->server, 0, &error));
  g_assert_no_error (error);
  o->port = cp_sandbox_server_get_port (o->server);
  o->url = cp_sandbox_server_dup_platform_url (o->server, o->c->platform);

  /* The ledger: the same SKUs, linked to the store. */
  o->dir = g_dir_make_tmp ("cp-store-outage-XXXXXX", &error);
  g_assert_no_error (error);
  o->path = g_build_filename (o->dir, "ledger.sqlite3", NULL);
  o->ledger = cp_ledger_open (o->path, &error);
  g_assert_no_error (error);
  g_assert_true (cp_locations_add (o->ledger, "MAIN", "Main store", "USD", NULL, &error));
  for (guint i = 0; i < N_SKUS; i++)
    {
      g_autoptr(CpVariant) variant = cp_variant_new ();

      variant->sku = sku_of (i);
      variant->product_handle = g_strdup (variant->sku);
      variant->product_name = g_strdup_printf ("Outage product %u", i + 1);
      variant->price_minor = 999;
      memcpy (variant->currency, "USD", 4);
      g_assert_true (cp_catalog_upsert_variant (o->ledger, variant, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  o->id = cp_integrations_add (o->ledger, o->c->platform, "Outage store", o->url, permissions,
                               &error);
  g_assert_no_error (error);
  credentials = lookup_credentials (o->id, (gpointer) o->c->platform, NULL);
  connector = cp_connector_new_for_platform (o->c->platform, o->id, o->url, credentials, &error);
  g_assert_no_error (error);
  report = cp_connector_refresh_mappings (connector, o->ledger, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->matched->len, ==, N_SKUS);

  o->engine = cp_engine_new (o->path);
  cp_engine_set_credentials_lookup (o->engine, lookup_credentials, (gpointer) o->c->platform,
                                    NULL);

  /* The first stock reaches the store while it is up. */
  for (guint i = 0; i < N_SKUS; i++)
    {
      g_autofree char *sku = sku_of (i);

      g_assert_true (cp_stock_adjust (o->ledger, sku, "MAIN", ON_HAND, CP_STOCK_REASON_RECEIVED,
                                      NULL, NULL, "test", NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (run_once (o, 30 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_DONE);
  for (guint i = 0; i < N_SKUS; i++)
    g_assert_cmpint (store_stock (o, i), ==, ON_HAND);

  if (o->shopify != NULL)
    {
      /* The test clock cannot move the Shopify connector's cost budget,
       * which refills in real seconds (and a request that never reached
       * the store still spends its points there): without this, each
       * failed run would sit out ~9 real seconds of refill. The store's
       * bucket is not the subject here either. */
      CpEngineSlot *slot = g_hash_table_lookup (o->engine->slots, o->id);
      g_autoptr(CpRateLimiter) unlimited = cp_rate_limiter_new (1e9, 1e6, g_get_monotonic_time ());

      g_assert_nonnull (slot);
      g_assert_nonnull (slot->connector);
      cp_sandbox_shopify_set_bucket (o->shopify, 1e9, 1e9);
      cp_shopify_connector_set_rate_limiter (CP_SHOPIFY_CONNECTOR (slot->connector), unlimited);
    }
}

static void
outage_teardown (Outage        *o,
                 gconstpointer  data)
{
  g_clear_object (&o->engine);
  g_clear_object (&o->ledger);
  g_clear_object (&o->port_holder);
  cp_sandbox_server_stop (o->server);
  g_clear_object (&o->server);
  g_clear_object (&o->shopify);
  g_clear_object (&o->woo);
  if (o->dir != NULL)
    {
      g_autofree char *wal = g_strconcat (o->path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (o->path, "-shm", NULL);
      g_autofree char *lock = cp_engine_lock_path (o->path);

      g_remove (wal);
      g_remove (shm);
      g_remove (lock);
      g_remove (o->path);
      g_rmdir (o->dir);
    }
  g_free (o->dir);
  g_free (o->path);
  g_free (o->url);
  g_free (o->id);
}

/* An order placed on the store itself, for SKU I. */
static void
place_order (Outage *o,
             guint   i)
{
  g_autofree char *sku = sku_of (i);

  if (o->shopify != NULL)
    {
      const char *skus[] = { sku };
      const gint64 quantities[] = { 1 };
      const char *prices[] = { "9.99" };
      g_autofree char *gid = cp_sandbox_shopify_add_order (o->shopify, skus, quantities, prices, 1);

      g_assert_nonnull (gid);
    }
  else
    {
      g_autofree char *json = NULL;

      json = g_strdup_printf ("{\"status\":\"processing\",\"currency\":\"USD\",\"line_items\":["
                              "{\"id\":1,\"name\":\"Outage product %u\",\"product_id\":%u,"
                              "\"variation_id\":0,\"quantity\":1,\"subtotal\":\"9.99\","
                              "\"total\":\"9.99\",\"total_tax\":\"0.00\",\"sku\":\"%s\","
                              "\"price\":9.99}],\"total\":\"9.99\",\"refunds\":[]}",
                              i + 1, o->woo_ids[i], sku);
      g_assert_cmpuint (cp_sandbox_woocommerce_add_order_json (o->woo, json), >, 0);
    }
}

/* The test clock: the backoff the engine chose after this run has
 * passed. Returns how long that was (µs). */
static gint64
let_backoff_pass (Outage *o)
{
  CpEngineSlot *slot = g_hash_table_lookup (o->engine->slots, o->id);
  gint64 now = g_get_monotonic_time ();
  gint64 until, elapsed;

  g_assert_nonnull (slot);
  until = MAX (MAX (slot->backoff_until, slot->pull_next_mono), slot->wait_until_mono);
  /* A retry sooner than a second is as good as at once. */
  elapsed = MAX (until - now, G_USEC_PER_SEC);
  slot->backoff_until = 0;
  slot->pull_next_mono = 0;
  slot->wait_until_mono = 0;
  /* The pace kept for a store that publishes no limit (60 requests a
   * minute, the WooCommerce connector's or the engine's own) refills in
   * real seconds too: a fresh one, that much time having passed. */
  if (o->woo != NULL && slot->connector != NULL)
    {
      g_autoptr(CpRateLimiter) fresh = cp_rate_limiter_new_default (g_get_monotonic_time ());

      cp_woocommerce_connector_set_rate_limiter (CP_WOOCOMMERCE_CONNECTOR (slot->connector), fresh);
    }
  if (slot->own_limiter != NULL)
    {
      g_clear_object (&slot->own_limiter);
      slot->own_limiter = cp_rate_limiter_new_default (g_get_monotonic_time ());
    }
  exec (o, "UPDATE outbox_jobs SET next_attempt_at = next_attempt_at - ?2 "
           "WHERE integration_id = ?1 AND state = 'pending'", elapsed);
  return elapsed;
}

static void
store_goes_away (Outage *o)
{
  g_autoptr(GError) error = NULL;

  if (o->c->refuse)
    {
      g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, o->port);

      cp_sandbox_server_stop (o->server);
      /* Bound but not listening: connections to the port are refused,
       * and no other process on the machine takes the port meanwhile
       * (the server binds it again with SO_REUSEADDR). */
      o->port_holder = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                     G_SOCKET_PROTOCOL_TCP, NULL);
      if (o->port_holder != NULL && !g_socket_bind (o->port_holder, address, TRUE, NULL))
        g_clear_object (&o->port_holder);
    }
  else
    {
      g_assert_true (cp_sandbox_faults_set_from_string (cp_sandbox_server_get_faults (o->server),
                                                        "5xx=1", &error));
      g_assert_no_error (error);
    }
}

static void
store_comes_back (Outage *o)
{
  g_autoptr(GError) error = NULL;

  if (o->c->refuse)
    {
      g_assert_true (cp_sandbox_server_start (o->server, o->port, &error));
      g_clear_object (&o->port_holder);
    }
  else
    g_assert_true (cp_sandbox_faults_set_from_string (cp_sandbox_server_get_faults (o->server),
                                                      "none", &error));
  g_assert_no_error (error);
}

static void
test_day_outage (Outage        *o,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpIntegration) during = NULL;
  g_autoptr(CpIntegration) after = NULL;
  gboolean changed[N_SKUS] = { FALSE };
  guint n_changed = 0, n_orders = 0, ticks = 0, pending, started, dead;
  gint64 simulated = 0, outage_start, back_at, orders_before, failed_events;
  gint64 last_failure_id;
  CpEngineOutcome outcome = CP_ENGINE_OUTCOME_PARTIAL;

  orders_before = query_int (o, "SELECT count(*) FROM orders WHERE source = ?1 AND ?2 = ?2", 0);
  outage_start = cp_ledger_now_us ();
  store_goes_away (o);

  /* A day: the shop sells and receives at the till, customers buy on
   * the store, the engine tries as its backoff allows. */
  for (ticks = 0; simulated < DAY_US && ticks < MAX_TICKS; ticks++)
    {
      guint i = ticks % N_SKUS;

      if (ticks % 3 == 0)
        {
          g_autofree char *sku = sku_of (i);

          /* Sold one, then a delivery: two changes of the same SKU, of
           * which only the latest may reach the store. */
          g_assert_true (cp_stock_adjust (o->ledger, sku, "MAIN", -1, CP_STOCK_REASON_SOLD,
                                          NULL, NULL, "test", NULL, &error));
          g_assert_true (cp_stock_adjust (o->ledger, sku, "MAIN", 3, CP_STOCK_REASON_RECEIVED,
                                          NULL, NULL, "test", NULL, &error));
          g_assert_no_error (error);
          if (!changed[i])
            n_changed++;
          changed[i] = TRUE;
        }
      if (ticks % 4 == 1 && n_orders < 12)
        {
          place_order (o, n_orders % N_SKUS);
          n_orders++;
        }

      outcome = run_once (o, 0);
      /* Nothing pretends to be done while the store is away, and nothing
       * turns into "a person must act": it is no one's fault. */
      g_assert_cmpint (outcome, !=, CP_ENGINE_OUTCOME_DONE);
      g_assert_cmpint (outcome, !=, CP_ENGINE_OUTCOME_ATTENTION);
      simulated += let_backoff_pass (o);
    }
  g_assert_cmpint (simulated, >=, DAY_US);
  g_test_message ("%s, %s: a day in %u runs, %u SKUs changed, %u orders placed",
                  o->c->platform, o->c->refuse ? "refused" : "503", ticks, n_changed, n_orders);
  g_assert_cmpuint (n_orders, >, 0);
  g_assert_cmpuint (n_changed, >, 0);

  /* The owner was told, once per failed request rather than once per
   * change, and the integration says so. */
  failed_events = query_int (o, "SELECT count(*) FROM activity WHERE integration_id = ?1 "
                                "AND type = 'StoreConnectionFailed' AND at >= ?2", outage_start);
  g_assert_cmpint (failed_events, >=, 1);
  g_assert_cmpint (failed_events, <=, 2 * ticks);
  during = cp_integrations_get (o->ledger, o->id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (during->last_error);
  g_assert_cmpint (during->last_error_at, >, during->last_success_at);
  g_assert_null (during->attention);

  /* Nothing lost meanwhile: the changes wait, one job per SKU. */
  g_assert_true (cp_outbox_count (o->ledger, o->id, &pending, &started, &dead, &error));
  g_assert_no_error (error);
  g_test_message ("after the day: %" G_GINT64_FORMAT " StoreConnectionFailed, %u jobs pending, "
                  "%u dead", failed_events, pending, dead);
  g_assert_cmpuint (started, ==, 0);
  g_assert_cmpint (query_int (o, "SELECT count(*) FROM (SELECT coalesce_key FROM outbox_jobs "
                                 "WHERE integration_id = ?1 AND kind = 'stock.push' "
                                 "AND created_at >= ?2 GROUP BY coalesce_key HAVING count(*) > 1)",
                              outage_start), ==, 0);
  g_assert_cmpint (query_int (o, "SELECT count(*) FROM outbox_jobs WHERE integration_id = ?1 "
                                 "AND kind = 'stock.push' AND created_at >= ?2", outage_start),
                   ==, n_changed);
  /* A job is dead only when its attempts ran out, and then the owner
   * sees it in the activity log. */
  g_assert_cmpint (query_int (o, "SELECT count(*) FROM outbox_jobs WHERE integration_id = ?1 "
                                 "AND state = 'dead' AND attempts < max_attempts AND ?2 = ?2", 0),
                   ==, 0);
  g_assert_cmpint (query_int (o, "SELECT count(*) FROM outbox_jobs j WHERE integration_id = ?1 "
                                 "AND state = 'dead' AND ?2 = ?2 AND NOT EXISTS (SELECT 1 FROM "
                                 "activity a WHERE a.job_id = j.id AND a.type = 'JobDead')", 0),
                   ==, 0);
  g_assert_cmpint (query_int (o, "SELECT count(*) FROM orders WHERE source = ?1 AND ?2 = ?2", 0),
                   ==, orders_before);

  /* The store is back. */
  store_comes_back (o);
  back_at = cp_ledger_now_us ();
  last_failure_id = query_int (o, "SELECT coalesce(max(id), 0) FROM activity WHERE "
                                  "integration_id = ?1 AND type = 'StoreConnectionFailed' "
                                  "AND ?2 = ?2", 0);
  if (dead > 0)
    {
      /* Retryable: a person's retry sends them. */
      g_assert_cmpuint (cp_outbox_retry_all_dead (o->ledger, o->id, &error), ==, dead);
      g_assert_no_error (error);
    }
  for (guint attempt = 0; attempt < 3 && outcome != CP_ENGINE_OUTCOME_DONE; attempt++)
    {
      let_backoff_pass (o);
      outcome = run_once (o, 30 * G_USEC_PER_SEC);
    }
  g_assert_cmpint (outcome, ==, CP_ENGINE_OUTCOME_DONE);

  /* Everything caught up: each order once, each SKU's latest stock. */
  g_assert_cmpint (query_int (o, "SELECT count(*) FROM orders WHERE source = ?1 AND ?2 = ?2", 0),
                   ==, orders_before + n_orders);
  g_assert_cmpint (query_int (o, "SELECT count(DISTINCT external_id) FROM orders WHERE source = ?1 "
                                 "AND ?2 = ?2", 0), ==, orders_before + n_orders);
  for (guint i = 0; i < N_SKUS; i++)
    g_assert_cmpint (store_stock (o, i), ==, ledger_available (o, i));
  g_assert_true (cp_outbox_count (o->ledger, o->id, &pending, &started, &dead, &error));
  g_assert_cmpuint (pending + started + dead, ==, 0);

  /* And it said so: a success newer than the last error, no attention,
   * and the catching up logged after the last failure. */
  after = cp_integrations_get (o->ledger, o->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (after->last_success_at, >=, back_at);
  g_assert_cmpint (after->last_success_at, >, after->last_error_at);
  g_assert_null (after->attention);
  g_assert_cmpint (query_int (o, "SELECT count(*) FROM activity WHERE integration_id = ?1 "
                                 "AND type = 'OrderReceivedFromStore' AND id > ?2",
                              last_failure_id), ==, n_orders);
  g_assert_cmpint (query_int (o, "SELECT count(*) FROM activity WHERE integration_id = ?1 "
                                 "AND type = 'InventorySyncCompleted' AND id > ?2",
                              last_failure_id), >=, 1);

  /* The next pull reads the overlap again and adds nothing. */
  let_backoff_pass (o);
  g_assert_cmpint (run_once (o, 30 * G_USEC_PER_SEC), ==, CP_ENGINE_OUTCOME_DONE);
  g_assert_cmpint (query_int (o, "SELECT count(*) FROM orders WHERE source = ?1 AND ?2 = ?2", 0),
                   ==, orders_before + n_orders);
}

static const OutageCase cases[] = {
  { "shopify", TRUE },
  { "shopify", FALSE },
  { "woocommerce", TRUE },
  { "woocommerce", FALSE },
};

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/store-outage/%s/%s", cases[i].platform,
                                               cases[i].refuse ? "refused" : "503");

      g_test_add (name, Outage, &cases[i], outage_setup, test_day_outage, outage_teardown);
    }
  return g_test_run ();
}
