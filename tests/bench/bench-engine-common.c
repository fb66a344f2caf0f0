/* bench-engine-common.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-bench"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "cp-catalog.h"
#include "cp-connector.h"
#include "cp-connectors.h"
#include "cp-engine-private.h"
#include "cp-integrations.h"
#include "cp-stock.h"

#include "bench-engine-common.h"

#define BENCH_UNLIMITED 1000000

static char *
lookup_credentials (const char  *integration_id,
                    gpointer     user_data,
                    GError     **error)
{
  /* The benchmarks measure the engine, not the Secret Service: the key
   * comes from here rather than from a keyring the machine may not run. */
  return g_strdup_printf ("{\"api_key\": \"%s\"}", CP_SANDBOX_ECOMV2_DEFAULT_KEY);
}

static void
add_variant (BenchShop  *shop,
             CpVariant  *variant,
             const char *handle,
             const char *sku,
             guint       index)
{
  g_autoptr(GError) error = NULL;

  g_free (variant->product_handle);
  variant->product_handle = g_strdup (handle);
  g_free (variant->product_name);
  variant->product_name = g_strdup_printf ("Bench product %u", index + 1);
  g_free (variant->sku);
  variant->sku = g_strdup (sku);
  variant->price_minor = 999;
  if (!cp_catalog_upsert_variant (shop->ledger, variant, NULL, NULL, &error))
    cp_bench_fail ("cannot add %s: %s", sku, error->message);
}

void
bench_shop_set_up (BenchShop           *shop,
                   const CpBenchConfig *config,
                   guint                n_skus,
                   gboolean             with_sizes,
                   const char * const  *permissions)
{
  g_autoptr(CpVariant) variant = cp_variant_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint n_products = n_skus + n_skus / 49 + 2;

  memset (shop, 0, sizeof *shop);
  shop->config = config;
  shop->dir = cp_bench_make_tmp_dir ("cp-bench-engine");
  shop->ledger_path = g_build_filename (shop->dir, "ledger.sqlite3", NULL);

  cp_connectors_register_all ();

  shop->fake = cp_sandbox_ecomv2_new_sized (n_products, 0);
  /* "No rate limit": a published budget no run comes near. Switching the
   * fake's limiter off would hide its X-RateLimit-* headers, and a
   * platform that publishes nothing gets the connector's cautious default
   * of 60 requests a minute (seed 003), which would time the wait. */
  cp_sandbox_ecomv2_set_rate_limit (shop->fake, BENCH_UNLIMITED, 1);
  shop->server = cp_sandbox_server_new ();
  cp_sandbox_server_add_platform (shop->server, CP_SANDBOX_PLATFORM (shop->fake));
  if (!cp_sandbox_server_start (shop->server, 0, &error))
    cp_bench_fail ("cannot start the ecomv2 fake: %s", error->message);
  cp_bench_on_fail ((GDestroyNotify) cp_sandbox_server_stop, shop->server);

  shop->ledger = cp_ledger_open (shop->ledger_path, &error);
  if (shop->ledger == NULL ||
      !cp_locations_add (shop->ledger, "MAIN", "Main store", "USD", NULL, &error) ||
      !cp_ledger_begin (shop->ledger, &error))
    cp_bench_fail ("cannot set up the shop: %s", error->message);

  /* The fake's catalog: product N has SKU EC-N, and every fourth one also
   * sizes M and L as their own SKUs (cp-sandbox-ecomv2-data.c). */
  strcpy (variant->currency, "USD");
  shop->skus = g_new0 (char *, n_skus + 1);
  for (guint i = 0; i < n_products && shop->n_skus < n_skus; i++)
    {
      g_autofree char *sku = g_strdup_printf ("EC-%05u", i + 1);
      g_autofree char *status = cp_sandbox_ecomv2_dup_product_status (shop->fake, sku);

      if (g_strcmp0 (status, "archived") == 0)
        continue;
      add_variant (shop, variant, sku, sku, i);
      if (with_sizes && i % 4 == 0)
        {
          g_autofree char *m = g_strconcat (sku, "-M", NULL);
          g_autofree char *l = g_strconcat (sku, "-L", NULL);

          add_variant (shop, variant, sku, m, i);
          add_variant (shop, variant, sku, l, i);
        }
      shop->skus[shop->n_skus++] = g_steal_pointer (&sku);
    }
  if (shop->n_skus != n_skus)
    cp_bench_fail ("the fake has only %u live products, not %u", shop->n_skus, n_skus);
  if (!cp_ledger_commit (shop->ledger, &error))
    cp_bench_fail ("cannot save the catalog: %s", error->message);

  url = cp_sandbox_server_dup_platform_url (shop->server, "ecomv2");
  shop->integration_id = cp_integrations_add (shop->ledger, "ecomv2", "Bench shop", url,
                                              permissions, &error);
  if (shop->integration_id == NULL ||
      !cp_integrations_set_mapping (shop->ledger, shop->integration_id, "location", "MAIN",
                                    "wh_001", NULL, &error))
    cp_bench_fail ("cannot add the integration: %s", error->message);

  /* Match the catalog once, as adding the integration does: the figures
   * are about syncing, not about the first match. */
  {
    g_autofree char *credentials = lookup_credentials (shop->integration_id, NULL, NULL);
    g_autoptr(CpConnector) connector = NULL;
    g_autoptr(CpMappingReport) report = NULL;

    connector = cp_connector_new_for_platform ("ecomv2", shop->integration_id, url,
                                               credentials, &error);
    if (connector != NULL)
      report = cp_connector_refresh_mappings (connector, shop->ledger, NULL, &error);
    if (report == NULL)
      cp_bench_fail ("cannot match the catalog: %s", error->message);
  }
}

void
bench_shop_tear_down (BenchShop *shop)
{
  g_clear_object (&shop->ledger);
  cp_sandbox_server_stop (shop->server);
  g_clear_object (&shop->server);
  g_clear_object (&shop->fake);
  cp_bench_rm_rf (shop->dir);
  g_free (shop->dir);
  g_free (shop->ledger_path);
  g_free (shop->integration_id);
  g_strfreev (shop->skus);
}

void
bench_shop_receive_all (BenchShop *shop,
                        guint      pass)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < shop->n_skus; i++)
    {
      if (i % 1000 == 0 && !cp_ledger_begin (shop->ledger, &error))
        cp_bench_fail ("%s", error->message);
      if (!cp_stock_adjust (shop->ledger, shop->skus[i], "MAIN", 1 + (gint64) ((i + pass) % 50),
                            CP_STOCK_REASON_RECEIVED, NULL, NULL, "bench", NULL, &error))
        cp_bench_fail ("cannot change the stock of %s: %s", shop->skus[i], error->message);
      if ((i % 1000 == 999 || i == shop->n_skus - 1) && !cp_ledger_commit (shop->ledger, &error))
        cp_bench_fail ("%s", error->message);
    }
}

void
bench_shop_settle (BenchShop *shop)
{
  sqlite3 *db = cp_ledger_get_db (shop->ledger);
  int log = 0, done = 0;

  if (sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done) != SQLITE_OK ||
      done != log)
    cp_bench_fail ("cannot checkpoint the ledger: %s (%d of %d pages)", sqlite3_errmsg (db), done,
                   log);
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

static void
attach_profile (CpLedger *ledger,
                gpointer  user_data)
{
  cp_bench_sql_profile_attach (cp_ledger_get_db (ledger));
}

CpEngineOutcome
bench_shop_sync (BenchShop *shop,
                 gint64     max_wait_us)
{
  g_autoptr(CpEngine) engine = cp_engine_new (shop->ledger_path);
  SyncResult sync = { 0 };

  cp_engine_set_credentials_lookup (engine, lookup_credentials, NULL, NULL);
  /* CP_BENCH_PROFILE=1: where the engine's own connection spent its time. */
  cp_engine_set_ledger_hook (engine, attach_profile, NULL);
  cp_engine_run_once_async (engine, shop->integration_id, FALSE, max_wait_us, NULL,
                            on_sync_done, &sync);
  while (!sync.done)
    g_main_context_iteration (NULL, TRUE);

  if (!sync.ok)
    cp_bench_fail ("the sync failed: %s", sync.error->message);
  cp_bench_sql_profile_print ("the engine's connection");
  return sync.outcome;
}

/* utime + stime of one thread of this process, from /proc, in µs. */
static gint64
thread_cpu_us (const char *tid)
{
  g_autofree char *path = g_strdup_printf ("/proc/self/task/%s/stat", tid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;
  long ticks = sysconf (_SC_CLK_TCK);

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  /* The name (field 2) may hold spaces: count from after its ')'. */
  after_name = strrchr (text, ')');
  if (after_name == NULL)
    return 0;
  fields = g_strsplit (after_name + 2, " ", 0);
  /* After the name: state is field 3, utime 14, stime 15. */
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtoll (fields[11], NULL, 10) + g_ascii_strtoll (fields[12], NULL, 10)) *
         G_USEC_PER_SEC / ticks;
}

/* The CPU time of the sandbox server's thread (named by g_thread_new()). */
gint64
bench_server_cpu_us (void)
{
  g_autoptr(GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  gint64 server = 0;
  const char *tid;

  while (tasks != NULL && (tid = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *comm_path = g_strdup_printf ("/proc/self/task/%s/comm", tid);
      g_autofree char *comm = NULL;

      if (g_file_get_contents (comm_path, &comm, NULL, NULL) &&
          g_str_has_prefix (comm, "cp-sandbox"))
        server += thread_cpu_us (tid);
    }
  return server;
}

gint64
bench_engine_cpu_us (void)
{
  return cp_bench_cpu_us () - bench_server_cpu_us ();
}

gint64
bench_shop_count_jobs (BenchShop  *shop,
                       const char *state)
{
  sqlite3 *db = cp_ledger_get_db (shop->ledger);
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM outbox_jobs WHERE integration_id = ?1 "
                              "AND state = ?2", -1, &stmt, NULL) != SQLITE_OK)
    cp_bench_fail ("cannot count jobs: %s", sqlite3_errmsg (db));
  sqlite3_bind_text (stmt, 1, shop->integration_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    cp_bench_fail ("cannot count jobs: %s", sqlite3_errmsg (db));
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

void
bench_shop_check_stock (BenchShop *shop)
{
  for (guint i = 0; i < shop->n_skus; i++)
    {
      const char *sku = shop->skus[i];
      g_autoptr(CpStockLevel) level = NULL;
      g_autoptr(GError) error = NULL;
      gint64 remote;

      level = cp_stock_get (shop->ledger, sku, "MAIN", &error);
      if (level == NULL)
        cp_bench_fail ("no stock for %s: %s", sku, error->message);
      remote = cp_sandbox_ecomv2_get_available (shop->fake, sku, "wh_001");
      if (remote != level->available)
        cp_bench_fail ("%s: the fake has %" G_GINT64_FORMAT ", the ledger %" G_GINT64_FORMAT,
                       sku, remote, level->available);
    }
}
