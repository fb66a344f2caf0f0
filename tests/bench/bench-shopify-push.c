/* bench-shopify-push.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 4's Shopify push figures: K = 50,000 changed SKUs pushed to the
 * Shopify fake on loopback by the connector, driven as the engine drives
 * it (jobs in queue order, get_batch_size () = 250 of them a push, every
 * request announced), against the fake's calculated-cost bucket:
 *  - mutations issued ÷ ⌈K / 250⌉ (goal ≤ 1.05);
 *  - wall time ÷ the floor the bucket allows (goal ≤ 1.15): the points
 *    the fake charged, less the bucket that starts full, at its restore
 *    rate;
 *  - THROTTLED answers (goal ≤ 1).
 * The bucket is the old 1000-point one; its time is scaled: it restores
 * 100 points/s (the Standard plan) × CP_BENCH_TIME_SCALE (default 20),
 * so what takes Shopify minutes runs here in seconds, and the ratio to
 * the floor is unchanged by the scale.
 *
 * Beside it, in the same run, the per-item approach (ERPNext's: for each
 * SKU a GET of the variant and a POST inventory_levels/set.json, REST
 * 2024-01) on a subset, against the fake's REST bucket (40 requests,
 * leaking 2/s × the same scale, 429 + Retry-After honoured): its requests
 * for K SKUs and its time, extrapolated, as ratios to the GraphQL push.
 * The catalog matching before the first push is counted apart.
 */

#define G_LOG_DOMAIN "cp-bench"

#include "config.h"

#include <math.h>
#include <string.h>

#include <libsoup/soup.h>

#include "cp-bench.h"
#include "cp-catalog.h"
#include "cp-connectors.h"
#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-sandbox-server.h"
#include "cp-sandbox-shopify.h"
#include "cp-shopify-connector.h"
#include "cp-stock.h"

#define K_SKUS        50000
#define SUBSET        400
#define BATCH         250
#define BUCKET        1000.0
#define RESTORE       100.0   /* points/s, Standard */
#define REST_BUCKET   40.0
#define REST_LEAK     2.0     /* requests/s, Standard */
#define TOKEN_JSON    "{\"access_token\":\"" CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN "\"}"

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

static gint64
gid_number (const char *gid)
{
  const char *slash = gid != NULL ? strrchr (gid, '/') : NULL;

  return slash != NULL ? g_ascii_strtoll (slash + 1, NULL, 10) : 0;
}

static char *
remote (CpLedger   *ledger,
        const char *integration,
        const char *kind,
        gint64      variant_id)
{
  g_autofree char *local = g_strdup_printf ("%" G_GINT64_FORMAT, variant_id);

  return cp_integrations_get_remote_id (ledger, integration, kind, local, NULL);
}

/* One REST request, waiting out 429s as shopify-api-js does. */
static guint
rest_call (SoupSession *session,
           const char  *method,
           const char  *url,
           const char  *body,
           guint       *n_429)
{
  for (;;)
    {
      g_autoptr(SoupMessage) msg = soup_message_new (method, url);
      g_autoptr(GBytes) reply = NULL;
      g_autoptr(GError) error = NULL;
      const char *retry;
      guint status;

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "X-Shopify-Access-Token", CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN);
      if (body != NULL)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

          soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
        }
      reply = soup_session_send_and_read (session, msg, NULL, &error);
      if (reply == NULL)
        cp_bench_fail ("REST %s %s: %s", method, url, error->message);
      status = soup_message_get_status (msg);
      if (status != 429)
        return status;
      (*n_429)++;
      retry = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
      g_usleep ((gulong) (g_ascii_strtod (retry != NULL ? retry : "1", NULL) * G_USEC_PER_SEC));
    }
}

int
main (int    argc,
      char **argv)
{
  CpBenchConfig config;
  g_autofree char *dir = NULL, *path = NULL, *url = NULL, *id = NULL, *line = NULL;
  g_autofree char *rest_line = NULL, *location = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpSandboxServer) server = cp_sandbox_server_new ();
  g_autoptr(CpSandboxShopify) fake = NULL;
  g_autoptr(CpConnector) connector = NULL;
  g_autoptr(CpPushContext) context = NULL;
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  const char *permissions[] = { CP_PERMISSION_INVENTORY_SYNC, NULL };
  const char *scale_env = g_getenv ("CP_BENCH_TIME_SCALE");
  double time_scale = scale_env != NULL ? g_ascii_strtod (scale_env, NULL) : 20;
  double restore, points, floor_s, wall_s, rest_s;
  guint k, subset, announced = 0, batch, catalog_requests, mutations, minimum, throttled;
  guint requests, rest_requests = 0, rest_429 = 0;
  gint64 wall, location_id;

  cp_bench_config_init (&config, argc, argv);
  cp_connectors_register_all ();
  if (time_scale <= 0)
    cp_bench_fail ("CP_BENCH_TIME_SCALE must be positive");
  k = (guint) cp_bench_scaled (&config, K_SKUS, 300);
  subset = (guint) MIN (k, cp_bench_scaled (&config, SUBSET, 20));
  restore = RESTORE * time_scale;

  /* The same SKUs on the store (at 0) and in the ledger (5–54 on hand). */
  dir = cp_bench_make_tmp_dir ("cp-bench-shopify-");
  path = g_build_filename (dir, "ledger.db", NULL);
  ledger = cp_ledger_open (path, &error);
  if (ledger == NULL || !cp_locations_add (ledger, "MAIN", "Main", "USD", NULL, &error) ||
      !cp_ledger_begin (ledger, &error))
    cp_bench_fail ("Could not make the ledger: %s", error->message);
  for (guint i = 0; i < k; i++)
    {
      g_autoptr(CpVariant) variant = cp_variant_new ();
      g_autofree char *sku = g_strdup_printf ("SH-%06u", i + 1);
      gint64 vid = 0;

      variant->product_handle = g_strdup (sku);
      variant->product_name = g_strdup (sku);
      variant->sku = g_strdup (sku);
      variant->price_minor = 1000;
      memcpy (variant->currency, "USD", 4);
      if (!cp_catalog_upsert_variant (ledger, variant, &vid, NULL, &error) ||
          !cp_stock_adjust (ledger, sku, "MAIN", 5 + i % 50, CP_STOCK_REASON_RECEIVED,
                            NULL, NULL, NULL, NULL, &error))
        cp_bench_fail ("Could not add %s: %s", sku, error->message);
      g_array_append_val (ids, vid);
    }
  if (!cp_ledger_commit (ledger, &error))
    cp_bench_fail ("%s", error->message);

  fake = cp_sandbox_shopify_new_sized (0, 0);
  cp_sandbox_shopify_add_products (fake, "SH", k);
  cp_sandbox_server_add_platform (server, CP_SANDBOX_PLATFORM (fake));
  if (!cp_sandbox_server_start (server, 0, &error))
    cp_bench_fail ("%s", error->message);
  url = cp_sandbox_server_dup_platform_url (server, "shopify");
  id = cp_integrations_add (ledger, "shopify", "Bench", url, permissions, &error);
  if (id == NULL)
    cp_bench_fail ("%s", error->message);
  connector = cp_connector_new_for_platform ("shopify", id, url, TOKEN_JSON, &error);
  if (connector == NULL)
    cp_bench_fail ("%s", error->message);

  /* Matching, not measured: with a bucket that does not limit it. */
  cp_sandbox_shopify_set_bucket (fake, 1e9, 1e9);
  report = cp_connector_refresh_mappings (connector, ledger, NULL, &error);
  if (report == NULL || report->matched->len != k)
    cp_bench_fail ("Matched %u of %u SKUs: %s", report ? report->matched->len : 0, k,
                   error ? error->message : "");
  catalog_requests = cp_sandbox_server_get_request_count (server, NULL);

  /* The measured push: a full bucket, the connector's budget as a fresh
   * connector's would be until the first answer. */
  cp_sandbox_server_reset_counters (server);
  cp_sandbox_shopify_reset_counters (fake);
  cp_sandbox_shopify_set_bucket (fake, BUCKET, restore);
  {
    g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new (BUCKET, 50, g_get_monotonic_time ());

    cp_shopify_connector_set_rate_limiter (CP_SHOPIFY_CONNECTOR (connector), limiter);
  }
  cp_shopify_connector_set_max_inline_wait (CP_SHOPIFY_CONNECTOR (connector), 60 * G_USEC_PER_SEC);
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
          job->idempotency_key = g_strdup_printf ("bench-%u", j);
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
  mutations = cp_sandbox_shopify_get_n_mutations (fake);
  throttled = cp_sandbox_shopify_get_n_throttled (fake);
  points = cp_sandbox_shopify_get_points_charged (fake);

  /* The work must be right for the figures to mean anything (a sample at
   * full size: the fake finds a SKU by walking its catalog). */
  for (guint i = 0; i < k; i += config.smoke ? 1 : 97)
    {
      g_autofree char *sku = g_strdup_printf ("SH-%06u", i + 1);
      gint64 got = cp_sandbox_shopify_get_available (fake, sku, 0);

      if (got != 5 + i % 50)
        cp_bench_fail ("%s has %" G_GINT64_FORMAT " on the store, not %u", sku, got, 5 + i % 50);
    }
  if (announced != requests)
    cp_bench_fail ("%u requests sent, %u announced", requests, announced);

  minimum = (k + BATCH - 1) / BATCH;
  floor_s = MAX (0.0, points - BUCKET) / restore;
  wall_s = wall / 1e6;
  line = g_strdup_printf ("shopify-push: K=%u SKUs, %u mutations (%u requests), minimum %u, ratio %.3f "
                          "(goal <= 1.05); wall %.1f s, bucket floor %.1f s (%.0f points charged, "
                          "bucket %.0f restoring %.0f/s = 100/s x %.0f), ratio %.3f (goal <= 1.15); "
                          "THROTTLED %u (goal <= 1); catalog matching %u requests",
                          k, mutations, requests, minimum, (double) mutations / minimum,
                          wall_s, floor_s, points, BUCKET, restore, time_scale,
                          floor_s > 0 ? wall_s / floor_s : 0.0, throttled, catalog_requests);
  cp_bench_report (&config, line);

  /* The per-item approach on SUBSET SKUs: a GET and a POST each. */
  location = cp_integrations_get_remote_id (ledger, id, "location", "MAIN", NULL);
  location_id = gid_number (location);
  cp_sandbox_shopify_set_rest_bucket (fake, REST_BUCKET, REST_LEAK * time_scale);
  {
    gint64 start = g_get_monotonic_time ();

    for (guint i = 0; i < subset; i++)
      {
        gint64 vid = g_array_index (ids, gint64, i);
        g_autofree char *variant = remote (ledger, id, "variant", vid);
        g_autofree char *item = remote (ledger, id, "inventory_item", vid);
        g_autofree char *get = g_strdup_printf ("%s/admin/api/2024-01/variants/%" G_GINT64_FORMAT ".json",
                                                url, gid_number (variant));
        g_autofree char *post = g_strdup_printf ("%s/admin/api/2024-01/inventory_levels/set.json", url);
        g_autofree char *body = g_strdup_printf ("{\"location_id\":%" G_GINT64_FORMAT ","
                                                 "\"inventory_item_id\":%" G_GINT64_FORMAT ","
                                                 "\"available\":%u}", location_id,
                                                 gid_number (item), 6 + i % 50);

        if (rest_call (session, "GET", get, NULL, &rest_429) != 200 ||
            rest_call (session, "POST", post, body, &rest_429) != 200)
          cp_bench_fail ("The per-item REST calls for SH-%06u failed", i + 1);
        rest_requests += 2;
      }
    rest_s = (g_get_monotonic_time () - start) / 1e6;
  }
  rest_line = g_strdup_printf ("shopify-push per-item REST (ERPNext's way) on %u SKUs: %u requests "
                               "(+%u answered 429), %.1f s; for K=%u: %u requests = %.0f x the "
                               "GraphQL push's %u, about %.0f s = %.0f x its wall time",
                               subset, rest_requests, rest_429, rest_s, k, 2 * k,
                               (double) (2 * k) / requests, requests,
                               rest_s * k / subset, rest_s * k / subset / MAX (wall_s, 1e-3));
  cp_bench_report (&config, rest_line);

  cp_sandbox_server_stop (server);
  g_clear_object (&connector);
  g_clear_object (&ledger);
  cp_bench_rm_rf (dir);
  return 0;
}
