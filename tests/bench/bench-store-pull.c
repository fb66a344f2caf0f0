/* bench-store-pull.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 4's "Pull 100,000 orders: orders/s and peak RSS (goal: RSS flat
 * in the number of orders)", for Shopify and WooCommerce: N orders
 * (10,000, 50,000 and 100,000 in the same run) put straight into the
 * platform's fake, pulled by cp_engine_run_once into a fresh ledger over
 * loopback HTTP, pages parsed and stored as the engine does.
 *
 * Each measurement runs in processes of its own, spawned from this
 * binary, so that the figures are Counterpart's and each starts clean:
 *  - the fake (--serve=PLATFORM --orders=N) holds the N orders and serves
 *    them; its RSS is reported apart (it grows with N, as a store's
 *    database does, and says nothing about Counterpart);
 *  - the pull (--pull=PLATFORM --url=URL --orders=N) opens the ledger,
 *    runs the engine once and reports its orders stored, wall and CPU
 *    time, and its RSS before, peak (VmHWM) and after.
 * The flatness figure is peak RSS at the largest N ÷ peak RSS at the
 * smallest (goal ~1), with SQLite's own heap (sqlite3_status64) taken
 * apart: the engine's connection keeps a page cache of up to 16 MiB
 * (cp-engine-run.c), which fills as the ledger grows and then stays, so
 * below that size RSS follows the ledger, not the pull. With
 * CP_BENCH_HEAP=1 a pull also prints where its memory sits (malloc's
 * arena in use and free, RssAnon, RssFile).
 *
 * Orders/s includes the fake's serving (in another process, but on the
 * same two cores: it sorts its whole order list for every page), so the
 * pull process's CPU per order is given beside it. The connectors' own
 * pacing is taken out (see make_unpaced): the figure is what Counterpart
 * can take, not what a store lets through.
 */

#define G_LOG_DOMAIN "cp-bench"

#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cp-bench.h"
#include "cp-catalog.h"
#include "cp-connectors.h"
#include "cp-engine.h"
#include "cp-integrations.h"
#include "cp-ledger.h"
#include "cp-sandbox-server.h"
#include "cp-sandbox-shopify.h"
#include "cp-sandbox-woocommerce.h"
#include "cp-shopify-connector.h"
#include "cp-sql.h"
#include "cp-woocommerce-connector.h"

#define PRODUCTS 300

static const guint sizes[] = { 10000, 50000, 100000 };
static const guint smoke_minimum[] = { 40, 120, 240 };
static const char * const platforms[] = { "shopify", "woocommerce" };

/* ---- /proc/self/status ---------------------------------------------------- */

static gint64
status_kb (const char *field)
{
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL) ||
      (p = strstr (text, field)) == NULL)
    return -1;
  return g_ascii_strtoll (p + strlen (field), NULL, 10);
}

/* ---- The fake's process ------------------------------------------------- */

static int
serve (const char *platform,
       guint       n_orders)
{
  g_autoptr(CpSandboxServer) server = cp_sandbox_server_new ();
  g_autoptr(GObject) fake = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  gint64 start = g_get_monotonic_time ();
  char buffer[64];

  if (g_str_equal (platform, "shopify"))
    {
      CpSandboxShopify *shopify = cp_sandbox_shopify_new_sized (PRODUCTS, n_orders);

      /* The pull's speed, not the cost bucket's pace: that is the push
       * figure's subject (bench-shopify-push). */
      cp_sandbox_shopify_set_bucket (shopify, 1e9, 1e9);
      fake = G_OBJECT (shopify);
    }
  else
    fake = G_OBJECT (cp_sandbox_woocommerce_new_sized (PRODUCTS, 4, n_orders));

  cp_sandbox_server_add_platform (server, CP_SANDBOX_PLATFORM (fake));
  if (!cp_sandbox_server_start (server, 0, &error))
    cp_bench_fail ("cannot start the %s fake: %s", platform, error->message);

  url = cp_sandbox_server_dup_platform_url (server, platform);
  printf ("rss_kb=%" G_GINT64_FORMAT " fill_ms=%" G_GINT64_FORMAT " url=%s\n",
          status_kb ("VmRSS:"), (g_get_monotonic_time () - start) / 1000, url);
  fflush (stdout);

  /* Serves from its own thread until the parent closes our stdin. */
  while (read (STDIN_FILENO, buffer, sizeof buffer) > 0)
    ;
  printf ("rss_kb=%" G_GINT64_FORMAT " hwm_kb=%" G_GINT64_FORMAT " requests=%u cpu_us=%"
          G_GINT64_FORMAT "\n", status_kb ("VmRSS:"), status_kb ("VmHWM:"),
          cp_sandbox_server_get_request_count (server, NULL), cp_bench_cpu_us ());
  fflush (stdout);
  cp_sandbox_server_stop (server);
  return 0;
}

/* ---- The pull's process -------------------------------------------------- */

static char *
lookup_credentials (const char  *integration_id,
                    gpointer     user_data,
                    GError     **error)
{
  /* The figure is about pulling, not about the Secret Service. */
  if (g_str_equal (user_data, "shopify"))
    return g_strdup ("{\"access_token\":\"" CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN "\"}");
  return g_strdup ("{\"consumer_key\":\"" CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY "\","
                   "\"consumer_secret\":\"" CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET "\"}");
}

/* The connectors pace themselves: Shopify by its cost bucket (a 25-order
 * page reserves 877 points of a 1,000-point bucket refilling 100 a
 * second), WooCommerce, which publishes no limit, at seed 003's 60
 * requests a minute (100 orders each: at most 100 orders/s). The figure
 * is what Counterpart itself can take, so the pull runs as "bench_" twins
 * of the two platforms: the same connectors, made by their own factories,
 * given a budget no run comes near. */
static CpPlatformInfo unpaced[2];

static CpConnector *
make_unpaced (const char  *platform,
              const char  *integration_id,
              const char  *base_url,
              const char  *credentials_json,
              GError     **error)
{
  const CpPlatformInfo *real = cp_connector_lookup_platform (platform);
  g_autoptr(CpRateLimiter) unlimited = cp_rate_limiter_new (1e9, 1e6, g_get_monotonic_time ());
  CpConnector *connector = real->factory (integration_id, base_url, credentials_json, error);

  if (connector == NULL)
    return NULL;
  if (CP_IS_SHOPIFY_CONNECTOR (connector))
    cp_shopify_connector_set_rate_limiter (CP_SHOPIFY_CONNECTOR (connector), unlimited);
  else
    cp_woocommerce_connector_set_rate_limiter (CP_WOOCOMMERCE_CONNECTOR (connector), unlimited);
  return connector;
}

static CpConnector *
make_shopify (const char  *integration_id,
              const char  *base_url,
              const char  *credentials_json,
              GError     **error)
{
  return make_unpaced ("shopify", integration_id, base_url, credentials_json, error);
}

static CpConnector *
make_woocommerce (const char  *integration_id,
                  const char  *base_url,
                  const char  *credentials_json,
                  GError     **error)
{
  return make_unpaced ("woocommerce", integration_id, base_url, credentials_json, error);
}

static const char *
register_unpaced (const char *platform)
{
  guint i = g_str_equal (platform, "shopify") ? 0 : 1;

  unpaced[i] = *cp_connector_lookup_platform (platform);
  unpaced[i].platform = i == 0 ? "bench_shopify" : "bench_woocommerce";
  unpaced[i].factory = i == 0 ? make_shopify : make_woocommerce;
  cp_connector_register_platform (&unpaced[i]);
  return unpaced[i].platform;
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

/* The fakes' demo SKUs (EC-00001…, every fourth product with -M and -L):
 * the order lines find their variants, as in a shop that linked its
 * catalog. */
static void
add_catalog (CpLedger *ledger)
{
  g_autoptr(GError) error = NULL;

  if (!cp_locations_add (ledger, "MAIN", "Main store", "USD", NULL, &error) ||
      !cp_ledger_begin (ledger, &error))
    cp_bench_fail ("cannot set up the shop: %s", error->message);
  for (guint i = 0; i < PRODUCTS; i++)
    {
      static const char * const suffixes[] = { "", "-M", "-L", "-S" };

      for (guint s = 0; s < (i % 4 == 0 ? G_N_ELEMENTS (suffixes) : 1); s++)
        {
          g_autoptr(CpVariant) variant = cp_variant_new ();

          variant->product_handle = g_strdup_printf ("EC-%05u", i + 1);
          variant->product_name = g_strdup_printf ("Bench product %u", i + 1);
          variant->sku = g_strdup_printf ("EC-%05u%s", i + 1, suffixes[s]);
          variant->price_minor = 999;
          memcpy (variant->currency, "USD", 4);
          if (!cp_catalog_upsert_variant (ledger, variant, NULL, NULL, &error))
            cp_bench_fail ("cannot add %s: %s", variant->sku, error->message);
        }
    }
  if (!cp_ledger_commit (ledger, &error))
    cp_bench_fail ("cannot save the catalog: %s", error->message);
}

static int
pull (const char *platform,
      const char *url)
{
  static const char * const permissions[] = { CP_PERMISSION_ORDERS_PULL, NULL };
  g_autofree char *dir = cp_bench_make_tmp_dir ("cp-bench-store-pull");
  g_autofree char *path = g_build_filename (dir, "ledger.sqlite3", NULL);
  g_autofree char *id = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  SyncResult sync = { 0 };
  gint64 rss_before, wall, cpu, stored, lines;
  sqlite3_int64 sqlite_now = 0, sqlite_peak = 0;
  size_t live_before, live_after;

  cp_connectors_register_all ();
  ledger = cp_ledger_open (path, &error);
  if (ledger == NULL)
    cp_bench_fail ("cannot open the ledger: %s", error->message);
  add_catalog (ledger);
  id = cp_integrations_add (ledger, register_unpaced (platform), "Bench store", url, permissions,
                            &error);
  if (id == NULL)
    cp_bench_fail ("cannot add the integration: %s", error->message);

  engine = cp_engine_new (path);
  cp_engine_set_credentials_lookup (engine, lookup_credentials, (gpointer) platform, NULL);
  rss_before = status_kb ("VmRSS:");
  live_before = mallinfo2 ().uordblks;
  cpu = cp_bench_cpu_us ();
  wall = g_get_monotonic_time ();
  cp_engine_run_once_async (engine, id, FALSE, G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC, NULL, on_sync_done, &sync);
  while (!sync.done)
    g_main_context_iteration (NULL, TRUE);
  wall = g_get_monotonic_time () - wall;
  cpu = cp_bench_cpu_us () - cpu;
  if (!sync.ok)
    cp_bench_fail ("the %s pull failed: %s", platform, sync.error->message);

  /* SQLite's own heap, both connections: mostly their page caches,
   * which fill as the ledger grows, up to the ledger's cache_size. */
  sqlite3_status64 (SQLITE_STATUS_MEMORY_USED, &sqlite_now, &sqlite_peak, FALSE);
  if (g_getenv ("CP_BENCH_HEAP") != NULL)
    {
      struct mallinfo2 mi = mallinfo2 ();

      /* Where the RSS that is not SQLite's heap sits: malloc's arenas
       * (in use and free), its large blocks, and the file mappings. */
      g_printerr ("heap: arena %zu kB in use %zu kB free %zu kB mmapped %zu kB; RssAnon %" G_GINT64_FORMAT
                  " kB RssFile %" G_GINT64_FORMAT " kB RssShmem %" G_GINT64_FORMAT " kB\n",
                  mi.arena / 1024, mi.uordblks / 1024, mi.fordblks / 1024, mi.hblkhd / 1024,
                  status_kb ("RssAnon:"), status_kb ("RssFile:"), status_kb ("RssShmem:"));
    }
  /* What the run left allocated (the engine and its connection gone
   * with it): anything a pull kept per order or per page shows here. */
  g_clear_object (&engine);
  live_after = mallinfo2 ().uordblks;
  stored = cp_sql_query_int (ledger, "SELECT count(*) FROM orders", -1);
  lines = cp_sql_query_int (ledger, "SELECT count(*) FROM order_lines", -1);
  printf ("outcome=%d stored=%" G_GINT64_FORMAT " lines=%" G_GINT64_FORMAT " wall_us=%"
          G_GINT64_FORMAT " cpu_us=%" G_GINT64_FORMAT " rss_before_kb=%" G_GINT64_FORMAT
          " hwm_kb=%" G_GINT64_FORMAT " rss_after_kb=%" G_GINT64_FORMAT " sqlite_kb=%"
          G_GINT64_FORMAT " sqlite_peak_kb=%" G_GINT64_FORMAT " live_kb=%" G_GINT64_FORMAT "\n",
          sync.outcome, stored, lines, wall, cpu, rss_before, status_kb ("VmHWM:"),
          status_kb ("VmRSS:"), (gint64) sqlite_now / 1024, (gint64) sqlite_peak / 1024,
          ((gint64) live_after - (gint64) live_before) / 1024);
  fflush (stdout);

  g_clear_object (&engine);
  g_clear_object (&ledger);
  cp_bench_rm_rf (dir);
  return 0;
}

/* ---- The orchestration ----------------------------------------------------- */

static gint64
field (const char *line,
       const char *name)
{
  g_autofree char *key = g_strconcat (name, "=", NULL);
  const char *p = line != NULL ? strstr (line, key) : NULL;

  if (p == NULL)
    cp_bench_fail ("a child process said “%s”, with no %s", line ? line : "(nothing)", name);
  return g_ascii_strtoll (p + strlen (key), NULL, 10);
}

typedef struct
{
  guint  n;
  gint64 stored, lines, wall_us, cpu_us, rss_before_kb, hwm_kb, rss_after_kb;
  gint64 sqlite_kb, sqlite_peak_kb, live_kb;
  gint64 fake_rss_kb, fake_fill_ms, fake_cpu_us, requests;
} Measure;

static char *
read_line (GDataInputStream *in)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);

  if (line == NULL)
    cp_bench_fail ("a child process ended early%s%s", error ? ": " : "",
                   error ? error->message : "");
  return line;
}

static void
measure (const char *self_exe,
         const char *platform,
         guint       n,
         Measure    *m)
{
  g_autofree char *serve_arg = g_strdup_printf ("--serve=%s", platform);
  g_autofree char *orders_arg = g_strdup_printf ("--orders=%u", n);
  g_autofree char *pull_arg = g_strdup_printf ("--pull=%s", platform);
  g_autofree char *url_arg = NULL;
  g_autofree char *fake_line = NULL, *fake_end = NULL, *pull_out = NULL, *pull_err = NULL;
  g_autoptr(GSubprocess) fake = NULL;
  g_autoptr(GDataInputStream) fake_out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  /* The fake: filled, listening, then its port. */
  fake = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                           self_exe, serve_arg, orders_arg, NULL);
  if (fake == NULL)
    cp_bench_fail ("cannot start the fake: %s", error->message);
  fake_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fake));
  fake_line = read_line (fake_out);
  m->fake_fill_ms = field (fake_line, "fill_ms");
  if (strstr (fake_line, " url=") == NULL)
    cp_bench_fail ("the fake said “%s”, with no url", fake_line);
  url_arg = g_strconcat ("--url=", strstr (fake_line, " url=") + strlen (" url="), NULL);

  {
    const char *argv[] = { self_exe, pull_arg, url_arg, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                       &pull_out, &pull_err, &status, &error) ||
        !g_spawn_check_wait_status (status, &error))
      {
        g_output_stream_close (g_subprocess_get_stdin_pipe (fake), NULL, NULL);
        g_subprocess_wait (fake, NULL, NULL);
        cp_bench_fail ("the %s pull of %u orders failed: %s\n%s", platform, n,
                       error->message, pull_err ? pull_err : "");
      }
  }

  /* Done: the fake says what it holds, and ends. */
  g_output_stream_close (g_subprocess_get_stdin_pipe (fake), NULL, NULL);
  fake_end = read_line (fake_out);
  g_subprocess_wait (fake, NULL, NULL);

  m->n = n;
  m->fake_rss_kb = field (fake_end, "rss_kb");
  m->requests = field (fake_end, "requests");
  m->fake_cpu_us = field (fake_end, "cpu_us");
  m->stored = field (pull_out, "stored");
  m->lines = field (pull_out, "lines");
  m->wall_us = field (pull_out, "wall_us");
  m->cpu_us = field (pull_out, "cpu_us");
  m->rss_before_kb = field (pull_out, "rss_before_kb");
  m->hwm_kb = field (pull_out, "hwm_kb");
  m->rss_after_kb = field (pull_out, "rss_after_kb");
  m->sqlite_kb = field (pull_out, "sqlite_kb");
  m->sqlite_peak_kb = field (pull_out, "sqlite_peak_kb");
  m->live_kb = field (pull_out, "live_kb");

  /* Wrong work makes the figure meaningless: every order, once, with
   * its lines, and the run ended with everything done. */
  if (field (pull_out, "outcome") != CP_ENGINE_OUTCOME_DONE)
    cp_bench_fail ("the %s pull of %u orders did not end done: %s", platform, n, pull_out);
  /* The fakes' demo orders are a sixth or so still unpaid, which the
   * import leaves for later (cp-orders-import.h): all the others. */
  if (m->stored > n || m->stored < n / 2)
    cp_bench_fail ("the %s pull stored %" G_GINT64_FORMAT " of %u orders", platform, m->stored, n);
  if (m->lines < m->stored)
    cp_bench_fail ("the %s pull stored %" G_GINT64_FORMAT " lines for %" G_GINT64_FORMAT
                   " orders", platform, m->lines, m->stored);
}

static void
run_platform (const CpBenchConfig *config,
              const char          *self_exe,
              const char          *platform)
{
  Measure m[G_N_ELEMENTS (sizes)];
  g_autoptr(GString) line = g_string_new (NULL);
  guint last = G_N_ELEMENTS (sizes) - 1;

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *n_text = NULL;
      g_autofree char *one = NULL;

      measure (self_exe, platform, cp_bench_scaled (config, sizes[i], smoke_minimum[i]), &m[i]);
      n_text = cp_bench_thousands (m[i].n);
      one = g_strdup_printf ("store-pull %s: %s orders pulled (%" G_GINT64_FORMAT " imported with %"
                             G_GINT64_FORMAT " lines, the rest unpaid; %" G_GINT64_FORMAT
                             " requests) in %.2f s = %.0f orders/s, the fake's "
                             "serving included; the pull's CPU %.1f µs/order = %.0f orders per CPU "
                             "second (the fake's CPU %.1f s); RSS before %.1f MB, peak %.1f MB, "
                             "after %.1f MB, of which SQLite's heap %.1f MB (its peak %.1f MB); "
                             "peak less SQLite's peak %.1f MB; left allocated after the run %.1f "
                             "MB (the fake apart: %.1f MB)",
                             platform, n_text, m[i].stored, m[i].lines, m[i].requests, m[i].wall_us / 1e6,
                             m[i].n / (m[i].wall_us / 1e6), (double) m[i].cpu_us / m[i].n,
                             m[i].n / (m[i].cpu_us / 1e6), m[i].fake_cpu_us / 1e6,
                             m[i].rss_before_kb / 1024.0, m[i].hwm_kb / 1024.0,
                             m[i].rss_after_kb / 1024.0, m[i].sqlite_kb / 1024.0,
                             m[i].sqlite_peak_kb / 1024.0,
                             (m[i].hwm_kb - m[i].sqlite_peak_kb) / 1024.0,
                             m[i].live_kb / 1024.0, m[i].fake_rss_kb / 1024.0);
      cp_bench_report (config, one);
    }

  g_string_printf (line, "store-pull %s: peak RSS at %u orders ÷ at %u = %.3f (%.1f ÷ %.1f MB; "
                   "goal ~1); RSS after %.3f; peak less SQLite's page caches %.3f (%.1f ÷ %.1f MB); "
                   "orders/s %.0f at %u, %.0f at %u; the fake's own RSS %.1f → %.1f MB",
                   platform, m[last].n, m[0].n, (double) m[last].hwm_kb / m[0].hwm_kb,
                   m[last].hwm_kb / 1024.0, m[0].hwm_kb / 1024.0,
                   (double) m[last].rss_after_kb / m[0].rss_after_kb,
                   (double) (m[last].hwm_kb - m[last].sqlite_peak_kb) / (m[0].hwm_kb - m[0].sqlite_peak_kb),
                   (m[last].hwm_kb - m[last].sqlite_peak_kb) / 1024.0,
                   (m[0].hwm_kb - m[0].sqlite_peak_kb) / 1024.0,
                   m[0].n / (m[0].wall_us / 1e6), m[0].n,
                   m[last].n / (m[last].wall_us / 1e6), m[last].n,
                   m[0].fake_rss_kb / 1024.0, m[last].fake_rss_kb / 1024.0);
  cp_bench_report (config, line->str);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  const char *serve_platform = NULL, *pull_platform = NULL, *url = NULL;
  g_autofree char *self_exe = NULL;
  guint n_orders = 0;
  CpBenchConfig config;

  g_ptr_array_add (rest, argv[0]);
  for (int i = 1; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--serve="))
        serve_platform = argv[i] + strlen ("--serve=");
      else if (g_str_has_prefix (argv[i], "--pull="))
        pull_platform = argv[i] + strlen ("--pull=");
      else if (g_str_has_prefix (argv[i], "--url="))
        url = argv[i] + strlen ("--url=");
      else if (g_str_has_prefix (argv[i], "--orders="))
        n_orders = (guint) g_ascii_strtoull (argv[i] + strlen ("--orders="), NULL, 10);
      else
        g_ptr_array_add (rest, argv[i]);
    }

  if (serve_platform != NULL)
    return serve (serve_platform, n_orders);
  if (pull_platform != NULL && url != NULL)
    return pull (pull_platform, url);

  cp_bench_config_init (&config, (int) rest->len, (char **) rest->pdata);
  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  if (self_exe == NULL)
    cp_bench_fail ("cannot find this benchmark's own executable");
  for (guint p = 0; p < G_N_ELEMENTS (platforms); p++)
    run_platform (&config, self_exe, platforms[p]);
  return 0;
}
