/* test-stock-channels.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Selling the same stock in two stores (issue 4, stock rules): an order
 * taken in one store takes its units from the ledger in the transaction
 * that stores it, and that same transaction queues a stock push to every
 * other store, which learns the new quantity on its next drain, before
 * anything pulls from it. Two ecomv2 fakes on loopback, the real engine
 * and connector.
 */

#define G_LOG_DOMAIN "test-engine"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cp-catalog.h"
#include "cp-connectors.h"
#include "cp-credentials.h"
#include "cp-engine.h"
#include "cp-integrations.h"
#include "cp-orders.h"
#include "cp-sandbox-ecomv2.h"
#include "cp-sandbox-server.h"
#include "cp-sql.h"
#include "cp-stock.h"
#include "test-engine-common.h"

#define N_SKUS 20

typedef struct
{
  CpSandboxServer *server;
  CpSandboxEcomv2 *fake;
  char            *id;
} Store;

typedef struct
{
  char     *dir;
  char     *path;
  CpLedger *ledger;
  CpEngine *engine;
  Store     a;        /* takes orders: orders.pull + inventory.sync */
  Store     b;        /* only sells the stock: inventory.sync */
  gboolean  ready;
} Fixture;

static void
store_setup (Fixture            *f,
             Store              *store,
             const char         *name,
             const char * const *permissions)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  store->server = cp_sandbox_server_new ();
  store->fake = cp_sandbox_ecomv2_new_sized (N_SKUS, 6);
  cp_sandbox_server_add_platform (store->server, CP_SANDBOX_PLATFORM (store->fake));
  g_assert_true (cp_sandbox_server_start (store->server, 0, &error));
  g_assert_no_error (error);
  url = cp_sandbox_server_dup_platform_url (store->server, "ecomv2");
  store->id = cp_integrations_add (f->ledger, "ecomv2", name, url, permissions, &error);
  g_assert_no_error (error);

  if (f->ready)
    {
      g_autofree char *key = cp_integrations_credential_key (f->ledger, store->id, &error);

      g_assert_no_error (error);
      g_assert_true (cp_credentials_store_sync (key, "Counterpart: test",
                                                "{\"api_key\":\"" CP_SANDBOX_ECOMV2_DEFAULT_KEY "\"}",
                                                NULL, &error));
      g_assert_no_error (error);
    }
}

static void
store_teardown (Fixture *f,
                Store   *store)
{
  if (f->ready)
    {
      g_autofree char *key = cp_integrations_credential_key (f->ledger, store->id, NULL);

      cp_credentials_clear_sync (key, NULL, NULL);
    }
  cp_sandbox_server_stop (store->server);
  g_clear_object (&store->server);
  g_clear_object (&store->fake);
  g_free (store->id);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const sells[] = { CP_PERMISSION_INVENTORY_SYNC, NULL };
  static const char * const takes_orders[] = {
    CP_PERMISSION_INVENTORY_SYNC, CP_PERMISSION_ORDERS_PULL, NULL
  };
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-stock-channels-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "ledger.sqlite3", NULL);
  f->ledger = cp_ledger_open (f->path, &error);
  g_assert_no_error (error);

  g_assert_true (cp_locations_add (f->ledger, "MAIN", "Main", "USD", NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_SKUS; i++)
    {
      g_autofree char *sku = g_strdup_printf ("EC-%05u", i + 1);

      engine_test_add_variant (f->ledger, sku, 1000);
    }

  engine_test_unique_ids (f->ledger);
  f->ready = engine_test_require_keyring ();
  store_setup (f, &f->a, "Store A", takes_orders);
  store_setup (f, &f->b, "Store B", sells);
  f->engine = cp_engine_new (f->path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  store_teardown (f, &f->a);
  store_teardown (f, &f->b);
  g_clear_object (&f->engine);
  g_clear_object (&f->ledger);
  engine_test_remove_ledger (f->path);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
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
count_pending (Fixture    *f,
               const Store *store,
               const char *sku)
{
  g_autofree char *sql =
    g_strdup_printf ("SELECT count (*) FROM outbox_jobs j JOIN variants v "
                     "ON j.coalesce_key = 'variant:' || v.id WHERE j.integration_id = '%s' "
                     "AND j.kind = 'stock.push' AND j.state = 'pending' AND v.sku = '%s'",
                     store->id, sku);

  return cp_sql_query_int (f->ledger, sql, -1);
}

static void
run_once (Fixture     *f,
          const Store *store)
{
  g_autoptr(GError) error = NULL;
  CpEngineOutcome outcome;

  g_assert_true (engine_test_run_once (f->engine, store->id, FALSE, 30 * G_USEC_PER_SEC, NULL,
                                       &outcome, &error));
  g_assert_no_error (error);
  if (outcome != CP_ENGINE_OUTCOME_DONE)
    {
      g_autoptr(CpIntegration) integration = cp_integrations_get (f->ledger, store->id, NULL);

      g_test_message ("%s: %s", store->id, integration->attention ? integration->attention : "-");
    }
  g_assert_cmpint (outcome, ==, CP_ENGINE_OUTCOME_DONE);
}

/* The queueing is part of the order's transaction: inside it the push
 * to the other store is there, rolled back it is gone with the order. */
static void
test_same_transaction (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpOrder) order = cp_order_new ();
  gboolean existed = TRUE;

  g_assert_cmpint (count_pending (f, &f->b, "EC-00002"), ==, 0);

  order->source = g_strdup (f->a.id);
  order->external_id = g_strdup ("ord_9001");
  memcpy (order->currency, "USD", 4);
  cp_order_add_line (order, "EC-00002", "Thing", 3, 1000, 0, 0);

  g_assert_true (cp_ledger_begin (f->ledger, &error));
  g_assert_no_error (error);
  g_assert_true (cp_orders_record (f->ledger, order, TRUE, NULL, &existed, &error));
  g_assert_no_error (error);
  g_assert_false (existed);
  g_assert_cmpint (ledger_available (f, "EC-00002"), ==, 997);
  g_assert_cmpint (count_pending (f, &f->b, "EC-00002"), ==, 1);
  g_assert_cmpint (count_pending (f, &f->a, "EC-00002"), ==, 1);
  cp_ledger_rollback (f->ledger);

  g_assert_cmpint (ledger_available (f, "EC-00002"), ==, 1000);
  g_assert_cmpint (count_pending (f, &f->b, "EC-00002"), ==, 0);
  g_assert_cmpint (cp_orders_count (f->ledger), ==, 0);
}

/* Orders pulled from store A reach store B's stock on B's next drain,
 * with nothing pulled from B. */
static void
test_cross_channel (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *sold = NULL;
  gint64 before_b;
  guint n_sold = 0;

  if (!f->ready)
    return;

  /* B first: mapped, nothing to push yet. */
  run_once (f, &f->b);
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT count (*) FROM outbox_jobs "
                                     "WHERE state = 'pending'", -1), ==, 0);

  /* A's run pulls its orders (and pushes to A only). */
  run_once (f, &f->a);
  g_assert_cmpint (engine_test_count_orders (f->ledger), >, 0);

  for (guint i = 0; i < N_SKUS; i++)
    {
      g_autofree char *sku = g_strdup_printf ("EC-%05u", i + 1);

      if (ledger_available (f, sku) == 1000)
        {
          g_assert_cmpint (count_pending (f, &f->b, sku), ==, 0);
          continue;
        }
      /* What A sold waits for B, already queued by the order's import. */
      n_sold++;
      g_assert_cmpint (count_pending (f, &f->b, sku), ==, 1);
      g_assert_cmpint (count_pending (f, &f->a, sku), ==, 0);
      if (sold == NULL)
        sold = g_steal_pointer (&sku);
    }
  g_assert_cmpuint (n_sold, >, 0);
  before_b = cp_sandbox_ecomv2_get_available (f->b.fake, sold, "wh_001");
  g_assert_cmpint (before_b, !=, ledger_available (f, sold));
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->a.fake, sold, "wh_001"), ==,
                   ledger_available (f, sold));

  /* B's drain: the new quantities, no order pulled from B. */
  run_once (f, &f->b);
  for (guint i = 0; i < N_SKUS; i++)
    {
      g_autofree char *sku = g_strdup_printf ("EC-%05u", i + 1);

      if (ledger_available (f, sku) != 1000)
        g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->b.fake, sku, "wh_001"), ==,
                         ledger_available (f, sku));
    }
  g_assert_cmpuint (cp_sandbox_server_get_request_count (f->b.server, "ecomv2 GET /orders"), ==, 0);
  g_assert_cmpuint (cp_sandbox_server_get_request_count (f->a.server, "ecomv2 GET /orders"), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  cp_connectors_register_all ();

  g_test_add ("/stock-channels/same-transaction", Fixture, NULL, fixture_setup,
              test_same_transaction, fixture_teardown);
  g_test_add ("/stock-channels/cross-channel", Fixture, NULL, fixture_setup,
              test_cross_channel, fixture_teardown);

  return g_test_run ();
}
