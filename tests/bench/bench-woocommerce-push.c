/* bench-woocommerce-push.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 4's WooCommerce push figure: K = 20,000 changed SKUs, simple
 * products and variations mixed, pushed to the WooCommerce fake on
 * loopback; requests issued ÷ ⌈K / 100⌉ (the batch endpoints' 100
 * items). Goal ≤ 1.05.
 *
 * The connector is driven as the engine drives it: jobs in the order
 * they were queued, get_batch_size() of them per push, each request
 * announced. Two shops, because WooCommerce decides the answer: it takes
 * variations only through products/{id}/variations/batch, one product's
 * variations a request, so
 *  - "demo mix": every 4th product variable with 3 sizes (the sandbox's
 *    demo shop), where most requests carry one product's few variations;
 *  - "paint shop": variable products of 100 variations each, next to as
 *    many simple products, where the batches fill.
 * The catalog matching that precedes the first push is counted apart.
 */

#define G_LOG_DOMAIN "cp-bench"

#include "config.h"

#include <string.h>

#include "cp-bench.h"
#include "cp-catalog.h"
#include "cp-connectors.h"
#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-sandbox-server.h"
#include "cp-sandbox-woocommerce.h"
#include "cp-stock.h"
#include "cp-woocommerce-connector.h"

#define K_SKUS 20000
#define BATCH  100

typedef struct
{
  const char *name;
  guint       variable_every;   /* for the demo mix */
  guint       variations;       /* per variable product */
} Mix;

static gboolean
will_send (GPtrArray   *jobs,
           const char  *fingerprint,
           gpointer     user_data,
           GError     **error)
{
  guint *announced = user_data;

  (*announced)++;
  return TRUE;
}

static void
add_variant (CpLedger   *ledger,
             const char *sku,
             gint64      on_hand,
             GArray     *ids)
{
  g_autoptr(CpVariant) variant = cp_variant_new ();
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  variant->product_handle = g_strdup (sku);
  variant->product_name = g_strdup (sku);
  variant->sku = g_strdup (sku);
  variant->price_minor = 1999;
  memcpy (variant->currency, "USD", 4);
  if (!cp_catalog_upsert_variant (ledger, variant, &id, NULL, &error) ||
      !cp_stock_adjust (ledger, sku, "MAIN", on_hand, CP_STOCK_REASON_RECEIVED,
                        NULL, NULL, NULL, NULL, &error))
    cp_bench_fail ("Could not add %s: %s", sku, error->message);
  g_array_append_val (ids, id);
}

static void
run_mix (const CpBenchConfig *config,
         const Mix           *mix,
         guint                k)
{
  g_autofree char *dir = cp_bench_make_tmp_dir ("cp-bench-woo-");
  g_autofree char *path = g_build_filename (dir, "ledger.db", NULL);
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpSandboxServer) server = cp_sandbox_server_new ();
  g_autoptr(CpSandboxWoocommerce) fake = NULL;
  g_autoptr(CpConnector) connector = NULL;
  g_autoptr(CpRateLimiter) unlimited = cp_rate_limiter_new (1e9, 1e6, g_get_monotonic_time ());
  g_autoptr(CpPushContext) context = NULL;
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) skus = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *id = NULL;
  g_autofree char *line = NULL;
  const char *permissions[] = { CP_PERMISSION_INVENTORY_SYNC, NULL };
  guint announced = 0, batch, catalog_requests, requests, minimum, n_products = 0;
  gint64 wall;

  /* The fake's catalog and the ledger's, SKU for SKU. */
  fake = cp_sandbox_woocommerce_new_sized (0, 0, 0);
  ledger = cp_ledger_open (path, &error);
  if (ledger == NULL || !cp_locations_add (ledger, "MAIN", "Main", "USD", NULL, &error))
    cp_bench_fail ("Could not make the ledger: %s", error->message);
  if (!cp_ledger_begin (ledger, &error))
    cp_bench_fail ("%s", error->message);
  for (guint i = 0; skus->len < k; i++)
    {
      /* The paint shop alternates: a variable product, a simple one. */
      gboolean variable = mix->variable_every > 0 ? i % mix->variable_every == 0 : i % 2 == 0;

      n_products++;
      if (!variable)
        {
          char *sku = g_strdup_printf ("S-%06u", i);

          cp_sandbox_woocommerce_add_product (fake, sku, sku, 1999, 0);
          g_ptr_array_add (skus, sku);
          continue;
        }
      {
        guint parent = cp_sandbox_woocommerce_add_product (fake, "", "Variable", 1999, 0);

        for (guint v = 0; v < mix->variations && skus->len < k; v++)
          {
            char *sku = g_strdup_printf ("V-%06u-%03u", i, v);

            cp_sandbox_woocommerce_add_variation (fake, parent, sku, 0);
            g_ptr_array_add (skus, sku);
          }
      }
    }
  for (guint i = 0; i < skus->len; i++)
    add_variant (ledger, g_ptr_array_index (skus, i), 5 + i % 50, ids);
  if (!cp_ledger_commit (ledger, &error))
    cp_bench_fail ("%s", error->message);

  cp_sandbox_server_add_platform (server, CP_SANDBOX_PLATFORM (fake));
  if (!cp_sandbox_server_start (server, 0, &error))
    cp_bench_fail ("%s", error->message);
  url = cp_sandbox_server_dup_platform_url (server, "woocommerce");
  id = cp_integrations_add (ledger, "woocommerce", "Bench", url, permissions, &error);
  if (id == NULL)
    cp_bench_fail ("%s", error->message);
  connector = cp_connector_new_for_platform ("woocommerce", id, url,
                                             "{\"consumer_key\":\"" CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY "\","
                                             "\"consumer_secret\":\"" CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET "\"}",
                                             &error);
  if (connector == NULL)
    cp_bench_fail ("%s", error->message);
  /* No rate limit: the figure is requests, not waiting. */
  cp_woocommerce_connector_set_rate_limiter (CP_WOOCOMMERCE_CONNECTOR (connector), unlimited);

  report = cp_connector_refresh_mappings (connector, ledger, NULL, &error);
  if (report == NULL || report->matched->len != skus->len)
    cp_bench_fail ("Matched %u of %u SKUs: %s", report ? report->matched->len : 0, skus->len,
                   error ? error->message : "");
  catalog_requests = cp_sandbox_server_get_request_count (server, NULL);
  cp_sandbox_server_reset_counters (server);

  context = cp_push_context_new (will_send, &announced);
  batch = cp_connector_get_batch_size (connector, CP_JOB_STOCK_PUSH);
  wall = g_get_monotonic_time ();
  for (guint first = 0; first < ids->len; first += batch)
    {
      g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);
      g_autoptr(GPtrArray) errors = g_ptr_array_new ();

      for (guint j = first; j < MIN (first + batch, ids->len); j++)
        {
          CpOutboxJob *job = g_new0 (CpOutboxJob, 1);

          job->id = j + 1;
          job->kind = g_strdup (CP_JOB_STOCK_PUSH);
          job->payload = g_strdup_printf ("{\"variant_id\":%" G_GINT64_FORMAT "}",
                                          g_array_index (ids, gint64, j));
          job->state = CP_JOB_STARTED;
          g_ptr_array_add (jobs, job);
        }
      if (!cp_connector_push (connector, ledger, context, CP_JOB_STOCK_PUSH, jobs, errors, NULL, &error))
        cp_bench_fail ("Push failed: %s", error->message);
      for (guint e = 0; e < errors->len; e++)
        if (g_ptr_array_index (errors, e) != NULL)
          cp_bench_fail ("A job failed: %s", ((GError *) g_ptr_array_index (errors, e))->message);
    }
  wall = g_get_monotonic_time () - wall;
  requests = cp_sandbox_server_get_request_count (server, NULL);

  /* The work must be right for the figure to mean anything. */
  for (guint i = 0; i < skus->len; i++)
    if (cp_sandbox_woocommerce_get_stock (fake, g_ptr_array_index (skus, i)) != 5 + i % 50)
      cp_bench_fail ("%s has %" G_GINT64_FORMAT " on the store, not %u",
                     (char *) g_ptr_array_index (skus, i),
                     cp_sandbox_woocommerce_get_stock (fake, g_ptr_array_index (skus, i)), 5 + i % 50);
  if (announced != requests)
    cp_bench_fail ("%u requests sent, %u announced", requests, announced);

  minimum = (skus->len + BATCH - 1) / BATCH;
  line = g_strdup_printf ("woocommerce-push %s: K=%u SKUs (%u products), %u requests, minimum %u, "
                          "ratio %.3f (goal <= 1.05); catalog matching %u requests; %.1f s",
                          mix->name, skus->len, n_products, requests, minimum,
                          (double) requests / minimum, catalog_requests, wall / 1e6);
  cp_bench_report (config, line);

  cp_sandbox_server_stop (server);
  g_clear_object (&connector);
  g_clear_object (&ledger);
  cp_bench_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  static const Mix demo = { "demo mix (every 4th product variable, 3 sizes)", 4, 3 };
  static const Mix paint = { "paint shop (variable products of 100 variations)", 0, 100 };
  CpBenchConfig config;
  guint k;

  cp_bench_config_init (&config, argc, argv);
  cp_connectors_register_all ();
  k = (guint) cp_bench_scaled (&config, K_SKUS, 20);
  run_mix (&config, &demo, k);
  run_mix (&config, &paint, k);
  return 0;
}
