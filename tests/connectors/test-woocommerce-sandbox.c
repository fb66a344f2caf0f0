/* test-woocommerce-sandbox.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The WooCommerce connector against the sandbox's fake over loopback:
 * the credentials check, how the fake authenticates (OAuth on plain
 * http, Basic refused), SKU matching with variations, duplicates and
 * items without SKU, and stock pushes through the batch endpoints.
 */

#include "config.h"

#include <libsoup/soup.h>

#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-sql.h"
#include "cp-stock-publish.h"
#include "cp-stock.h"
#include "cp-woocommerce-connector.h"
#include "cp-woocommerce-private.h"

#include "woocommerce-test-util.h"

static gboolean
report_has (GPtrArray  *list,
            const char *text)
{
  for (guint i = 0; i < list->len; i++)
    if (strstr (g_ptr_array_index (list, i), text) != NULL)
      return TRUE;
  return FALSE;
}

/* A raw request to the fake, for what the connector never sends. */
static guint
raw_request (WooFixture  *f,
             const char  *method,
             const char  *path,
             const char  *authorization,
             const char  *body,
             char       **out_body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (out_body != NULL)
    *out_body = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  return soup_message_get_status (msg);
}

/* A request signed by hand, with a signature method and nonce chosen,
 * and QUERY ("per_page=101", or NULL) signed with it. */
static char *
signed_path_query (WooFixture *f,
                   const char *method,
                   const char *path,
                   const char *query,
                   const char *signature_method,
                   const char *nonce)
{
  g_autoptr(GHashTable) params = query != NULL
                                 ? g_uri_parse_params (query, -1, "&", G_URI_PARAMS_WWW_FORM, NULL)
                                 : g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *signature = NULL;
  g_autofree char *escaped = NULL;

  g_hash_table_replace (params, g_strdup ("oauth_consumer_key"), g_strdup (CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY));
  g_hash_table_replace (params, g_strdup ("oauth_nonce"), g_strdup (nonce));
  g_hash_table_replace (params, g_strdup ("oauth_signature_method"), g_strdup (signature_method));
  g_hash_table_replace (params, g_strdup ("oauth_timestamp"), g_strdup (timestamp));
  signature = woo_oauth_signature (method, url, params, CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET,
                                   g_str_equal (signature_method, "HMAC-SHA1") ? G_CHECKSUM_SHA1
                                                                               : G_CHECKSUM_SHA256);
  escaped = g_uri_escape_string (signature, NULL, FALSE);
  return g_strdup_printf ("%s?%s%soauth_consumer_key=%s&oauth_nonce=%s&oauth_signature_method=%s"
                          "&oauth_timestamp=%s&oauth_signature=%s", path,
                          query ? query : "", query ? "&" : "",
                          CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY, nonce, signature_method, timestamp,
                          escaped);
}

static char *
signed_path (WooFixture *f,
             const char *method,
             const char *path,
             const char *signature_method,
             const char *nonce)
{
  return signed_path_query (f, method, path, NULL, signature_method, nonce);
}

static void
test_auth_basic_refused_on_http (WooFixture    *f,
                                 gconstpointer  data)
{
  g_autofree char *pair = g_strconcat (CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY, ":",
                                       CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *basic = g_strconcat ("Basic ", encoded, NULL);
  g_autofree char *body = NULL;
  g_autofree char *sha1 = signed_path (f, "GET", "/wp-json/wc/v3/settings/general", "HMAC-SHA1",
                                       "0123456789abcdef0123456789abcdef");
  g_autofree char *replay = g_strdup (sha1);
  g_autofree char *bad = NULL;

  /* Basic over plain http logs no one in: WordPress's own refusal. */
  g_assert_cmpuint (raw_request (f, "GET", "/wp-json/wc/v3/products", basic, NULL, &body), ==, 401);
  g_assert_nonnull (strstr (body, "\"code\":\"woocommerce_rest_cannot_view\""));
  g_assert_nonnull (strstr (body, "\"status\":401"));

  /* OAuth 1.0a with HMAC-SHA1 as well as SHA-256. */
  g_assert_cmpuint (raw_request (f, "GET", sha1, NULL, NULL, NULL), ==, 200);
  /* The same nonce twice is refused. */
  g_assert_cmpuint (raw_request (f, "GET", replay, NULL, NULL, NULL), ==, 401);
  /* A signature for another path is refused. */
  bad = signed_path (f, "GET", "/wp-json/wc/v3/orders", "HMAC-SHA256", "fedcba9876543210fedcba9876543210");
  memcpy (bad + strlen ("/wp-json/wc/v3/"), "xxxxxx", 6);
  g_assert_cmpuint (raw_request (f, "GET", bad, NULL, NULL, NULL), ==, 401);
}

static void
test_connection_ok (WooFixture    *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  g_assert_true (cp_connector_test (f->connector, &name, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (name, CP_SANDBOX_WOOCOMMERCE_SITE_NAME));
  g_assert_nonnull (strstr (name, "USD"));
}

static void
test_connection_unauthorized (WooFixture    *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  cp_sandbox_woocommerce_set_key (f->fake, CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY, "cs_other", "read_write");
  g_assert_false (cp_connector_test (f->connector, NULL, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "Re-enter the keys"));
  /* The secret is never in what a person reads. */
  g_assert_null (strstr (error->message, CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET));
  g_assert_null (strstr (cp_connector_error_get_exchange (error), CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET));
  g_assert_null (strstr (cp_connector_error_get_exchange (error), "oauth_signature"));
}

/* A key missing or mangled is named as WooCommerce's screen names it. */
static void
test_credentials_named (WooFixture    *f,
                        gconstpointer  data)
{
  static const struct { const char *json; const char *says; } cases[] = {
    { "{\"consumer_secret\": \"cs_1\"}", "consumer key is missing" },
    { "{\"consumer_key\": \"ck_1\"}", "consumer secret is missing" },
    { "{\"consumer_key\": \"ck_1\\n\", \"consumer_secret\": \"cs_1\"}", "consumer key contains" },
    { "{\"consumer_key\": \"ck_1\", \"consumer_secret\": \"cs\\r1\"}", "consumer secret contains" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CpConnector) connector = cp_connector_new_for_platform ("woocommerce",
                                                                        f->t.integration_id,
                                                                        f->base, cases[i].json,
                                                                        &error);

      g_assert_null (connector);
      g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_AUTH);
      g_assert_nonnull (strstr (error->message, cases[i].says));
      g_assert_null (strstr (error->message, "consumer_secret."));
    }
}

static void
test_connection_read_only (WooFixture    *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  cp_sandbox_woocommerce_set_key (f->fake, CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY,
                                  CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET, "read");
  g_assert_false (cp_connector_test (f->connector, NULL, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "Read only"));
  g_assert_nonnull (strstr (error->message, "Settings → Advanced → REST API"));
  g_assert_nonnull (strstr (error->message, "Read/Write"));
}

static void
test_fake_paging_rules (WooFixture    *f,
                        gconstpointer  data)
{
  g_autofree char *too_big = signed_path_query (f, "GET", "/wp-json/wc/v3/products", "per_page=101",
                                                "HMAC-SHA256", "11111111111111111111111111111111");
  g_autofree char *page_two = signed_path_query (f, "GET", "/wp-json/wc/v3/products", "per_page=20&page=2",
                                                 "HMAC-SHA256", "22222222222222222222222222222222");
  g_autofree char *body = NULL;
  g_autofree char *listing = NULL;

  /* per_page above 100: WordPress core's 400. */
  g_assert_cmpuint (raw_request (f, "GET", too_big, NULL, NULL, &body), ==, 400);
  g_assert_nonnull (strstr (body, "rest_invalid_param"));
  /* Page 2 of 30 products by 20: ten of them. */
  g_assert_cmpuint (raw_request (f, "GET", page_two, NULL, NULL, &listing), ==, 200);
  g_assert_nonnull (strstr (listing, "\"id\""));
}

static void
test_fake_batch_limit (WooFixture    *f,
                       gconstpointer  data)
{
  g_autofree char *path = signed_path (f, "POST", "/wp-json/wc/v3/products/batch", "HMAC-SHA256",
                                       "33333333333333333333333333333333");
  g_autoptr(GString) body = g_string_new ("{\"update\":[");
  g_autofree char *reply = NULL;

  for (guint i = 0; i < 101; i++)
    g_string_append_printf (body, "%s{\"id\":%u,\"stock_quantity\":1}", i ? "," : "", 10 + i);
  g_string_append (body, "]}");
  g_assert_cmpuint (raw_request (f, "POST", path, NULL, body->str, &reply), ==, 413);
  g_assert_nonnull (strstr (reply, "woocommerce_rest_request_entity_too_large"));
  /* Nothing of it was applied. */
  g_assert_cmpuint (cp_sandbox_server_get_n_distinct_effects (f->server), ==, 0);
}

static void
test_mappings (WooFixture    *f,
               gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *remote = NULL;
  guint parent;

  /* Products 1…8 of the shop: EC-00001 and EC-00005 are variable. */
  woo_fixture_add_demo_skus (f, 8, 4, 5);
  test_ledger_add_variant (&f->t, "LOCAL-ONLY", "Only here", 500, 1);
  /* EC-00003 twice on the store; a variation without SKU. */
  cp_sandbox_woocommerce_add_product (f->fake, "EC-00003", "Imported twice", 100, 1);
  parent = cp_sandbox_woocommerce_add_product (f->fake, "", "Poster", 100, 0);
  cp_sandbox_woocommerce_add_variation (f->fake, parent, "", 4);

  /* Small pages: the catalog spans several. */
  cp_woocommerce_connector_set_page_size (CP_WOOCOMMERCE_CONNECTOR (f->connector), 7);
  report = woo_fixture_refresh (f);

  /* 8 products, 2 variable with 3 variations each: 12 SKUs, less the duplicate. */
  g_assert_cmpuint (report->matched->len, ==, 11);
  g_assert_true (report_has (report->matched, "EC-00001-M"));
  g_assert_true (report_has (report->matched, "EC-00005-L"));
  g_assert_true (report_has (report->duplicates, "EC-00003"));
  g_assert_true (report_has (report->unmatched_local, "LOCAL-ONLY"));
  g_assert_true (report_has (report->unmatched_remote, "EC-00030"));
  g_assert_true (report_has (report->unmatched_remote, "no SKU"));
  g_assert_false (report_has (report->matched, "EC-00003"));
  /* 30 products in pages of 7: 5 pages. */
  g_assert_cmpuint (woo_fixture_requests (f, "GET /products"), ==, 5);

  /* A variation's mapping names its parent. */
  {
    g_autofree char *local = g_strdup_printf ("%" G_GINT64_FORMAT, test_ledger_variant_id (&f->t, "EC-00001-M"));

    remote = cp_integrations_get_remote_id (f->t.ledger, f->t.integration_id, "variant", local, &error);
    g_assert_no_error (error);
    g_assert_nonnull (remote);
    g_assert_nonnull (strchr (remote, '/'));
  }
}

static GArray *
ids_of (WooFixture         *f,
        const char * const *skus)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; skus[i] != NULL; i++)
    {
      gint64 id = test_ledger_variant_id (&f->t, skus[i]);

      g_array_append_val (ids, id);
    }
  return ids;
}

static void
test_stock_push (WooFixture    *f,
                 gconstpointer  data)
{
  const char *skus[] = { "EC-00002", "EC-00001-M", "EC-00005", "EC-00005-L", NULL };
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;

  woo_fixture_add_demo_skus (f, 8, 4, 17);
  ids = ids_of (f, skus);
  errors = woo_fixture_push (f, CP_JOB_STOCK_PUSH, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (woo_fixture_count_errors (errors), ==, 0);
  for (guint i = 0; skus[i] != NULL; i++)
    g_assert_cmpint (cp_sandbox_woocommerce_get_stock (f->fake, skus[i]), ==, 17);
  /* One batch of simple products, one per variable product. */
  g_assert_cmpuint (woo_fixture_requests (f, "POST /products/batch"), ==, 1);
  g_assert_cmpuint (woo_fixture_requests (f, "POST /products/{id}/variations/batch"), ==, 2);
  /* Every request was announced first. */
  g_assert_cmpuint (f->ws.calls, ==, 3);
}

static const WooFixtureSize simple_250 = { 250, 0, 0 };

static void
test_stock_250_in_3_requests (WooFixture    *f,
                              gconstpointer  data)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;

  woo_fixture_add_demo_skus (f, 250, 0, 9);
  cp_mapping_report_free (woo_fixture_refresh (f));
  cp_sandbox_server_reset_counters (f->server);

  for (guint i = 0; i < 250; i++)
    {
      g_autofree char *sku = g_strdup_printf ("EC-%05u", i + 1);
      gint64 id = test_ledger_variant_id (&f->t, sku);

      g_array_append_val (all, id);
    }
  /* As the engine hands them over: at most get_batch_size jobs a push. */
  g_assert_cmpuint (cp_connector_get_batch_size (f->connector, CP_JOB_STOCK_PUSH), ==,
                    CP_WOOCOMMERCE_STOCK_PUSH_JOBS);
  for (guint first = 0; first < all->len; first += CP_WOOCOMMERCE_STOCK_PUSH_JOBS)
    {
      g_autoptr(GArray) chunk = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GPtrArray) errors = NULL;

      g_array_append_vals (chunk, &g_array_index (all, gint64, first),
                           MIN (CP_WOOCOMMERCE_STOCK_PUSH_JOBS, all->len - first));
      errors = woo_fixture_push (f, CP_JOB_STOCK_PUSH, chunk, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (woo_fixture_count_errors (errors), ==, 0);
    }
  g_assert_cmpuint (cp_sandbox_server_get_request_count (f->server, NULL), ==, 3);
  g_assert_cmpuint (woo_fixture_requests (f, "POST /products/batch"), ==, 3);
  /* Update-only batches may be resent, so they share one connection:
   * against a real shop, one TLS handshake instead of one a batch. */
  g_assert_cmpuint (cp_sandbox_server_get_connection_count (f->server), ==, 1);
  g_assert_cmpint (cp_sandbox_woocommerce_get_stock (f->fake, "EC-00250"), ==, 9);
  g_assert_cmpint (cp_sandbox_woocommerce_get_stock (f->fake, "EC-00001"), ==, 9);
}

static const WooFixtureSize simple_300 = { 300, 0, 0 };

/* One product's sizes changed at different moments are queued apart,
 * with other products' changes between them. WooCommerce takes them
 * only through that product's variations/batch, so the push must hold
 * them together: one request for the three, not one for each push of
 * 100 jobs they would fall in. */
static void
test_stock_variations_queued_apart (WooFixture    *f,
                                    gconstpointer  data)
{
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  guint parent = cp_sandbox_woocommerce_add_product (f->fake, "", "Jacket", 100, 0);
  guint batch;

  woo_fixture_add_demo_skus (f, 300, 0, 9);
  for (guint v = 0; v < 3; v++)
    {
      g_autofree char *sku = g_strdup_printf ("JACKET-%u", v);

      cp_sandbox_woocommerce_add_variation (f->fake, parent, sku, 0);
      test_ledger_add_variant (&f->t, sku, sku, 100, 4);
    }
  cp_mapping_report_free (woo_fixture_refresh (f));
  cp_sandbox_server_reset_counters (f->server);

  for (guint i = 0; i < 303; i++)
    {
      g_autofree char *sku = i % 151 == 0 ? g_strdup_printf ("JACKET-%u", i / 151)
                                          : g_strdup_printf ("EC-%05u", i - i / 151);
      gint64 id = test_ledger_variant_id (&f->t, sku);

      g_array_append_val (all, id);
    }
  batch = cp_connector_get_batch_size (f->connector, CP_JOB_STOCK_PUSH);
  for (guint first = 0; first < all->len; first += batch)
    {
      g_autoptr(GArray) chunk = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GPtrArray) errors = NULL;

      g_array_append_vals (chunk, &g_array_index (all, gint64, first), MIN (batch, all->len - first));
      errors = woo_fixture_push (f, CP_JOB_STOCK_PUSH, chunk, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (woo_fixture_count_errors (errors), ==, 0);
    }
  g_assert_cmpuint (woo_fixture_requests (f, "POST /products/{id}/variations/batch"), ==, 1);
  g_assert_cmpuint (woo_fixture_requests (f, "POST /products/batch"), ==, 3);
  g_assert_cmpint (cp_sandbox_woocommerce_get_stock (f->fake, "JACKET-2"), ==, 4);
  g_assert_cmpint (cp_sandbox_woocommerce_get_stock (f->fake, "EC-00300"), ==, 9);
}

static const WooFixtureSize one_big_parent = { 1, 0, 0 };

static void
test_stock_oversized_batch_never_sent (WooFixture    *f,
                                       gconstpointer  data)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  guint parent = cp_sandbox_woocommerce_add_product (f->fake, "", "Paint", 100, 0);

  /* 150 variations of one product, all changed, handed over in one push
   * (more than the engine would give): two requests, never one of 150. */
  for (guint i = 0; i < 150; i++)
    {
      g_autofree char *sku = g_strdup_printf ("PAINT-%03u", i);
      gint64 id;

      cp_sandbox_woocommerce_add_variation (f->fake, parent, sku, 0);
      id = test_ledger_add_variant (&f->t, sku, sku, 100, 3);
      g_array_append_val (ids, id);
    }
  errors = woo_fixture_push (f, CP_JOB_STOCK_PUSH, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (woo_fixture_count_errors (errors), ==, 0);
  g_assert_cmpuint (woo_fixture_requests (f, "POST /products/{id}/variations/batch"), ==, 2);
  g_assert_cmpint (cp_sandbox_woocommerce_get_stock (f->fake, "PAINT-149"), ==, 3);
  for (guint i = 0; i < f->ws.job_counts->len; i++)
    g_assert_cmpuint (g_array_index (f->ws.job_counts, guint, i), <=, 100);
}

static void
test_stock_deleted_remote_product (WooFixture    *f,
                                   gconstpointer  data)
{
  const char *skus[] = { "EC-00002", "EC-00003", "EC-00004", NULL };
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  GError *item;

  woo_fixture_add_demo_skus (f, 4, 0, 6);
  cp_mapping_report_free (woo_fixture_refresh (f));
  g_assert_true (cp_sandbox_woocommerce_delete_product (f->fake, "EC-00003"));

  ids = ids_of (f, skus);
  errors = woo_fixture_push (f, CP_JOB_STOCK_PUSH, ids, &error);
  g_assert_no_error (error);
  /* The deleted one fails alone; the others went through. */
  g_assert_cmpuint (woo_fixture_count_errors (errors), ==, 1);
  item = g_ptr_array_index (errors, 1);
  g_assert_error (item, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (item->message, "EC-00003"));
  g_assert_cmpint (cp_sandbox_woocommerce_get_stock (f->fake, "EC-00002"), ==, 6);
  g_assert_cmpint (cp_sandbox_woocommerce_get_stock (f->fake, "EC-00004"), ==, 6);
  g_assert_cmpuint (woo_fixture_requests (f, "POST /products/batch"), ==, 1);
}

static void
test_stock_duplicate_sku_not_pushed (WooFixture    *f,
                                     gconstpointer  data)
{
  const char *skus[] = { "EC-00002", "EC-00003", NULL };
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before;

  woo_fixture_add_demo_skus (f, 3, 0, 42);
  cp_sandbox_woocommerce_add_product (f->fake, "EC-00003", "Imported twice", 100, 1);
  before = cp_sandbox_woocommerce_get_stock (f->fake, "EC-00003");
  cp_mapping_report_free (woo_fixture_refresh (f));
  ids = ids_of (f, skus);
  errors = woo_fixture_push (f, CP_JOB_STOCK_PUSH, ids, &error);
  g_assert_no_error (error);
  /* Which of the two is ours is a person's call: neither is touched. */
  g_assert_cmpint (cp_sandbox_woocommerce_get_stock (f->fake, "EC-00003"), ==, before);
  g_assert_cmpint (cp_sandbox_woocommerce_get_stock (f->fake, "EC-00002"), ==, 42);
}

static void
test_stock_rate_limited (WooFixture    *f,
                         gconstpointer  data)
{
  const char *skus[] = { "EC-00002", NULL };
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;

  woo_fixture_add_demo_skus (f, 2, 0, 1);
  cp_mapping_report_free (woo_fixture_refresh (f));
  cp_sandbox_woocommerce_set_rate_limit (f->fake, 1, 60);
  ids = ids_of (f, skus);
  errors = woo_fixture_push (f, CP_JOB_STOCK_PUSH, ids, &error);
  g_assert_nonnull (errors);
  g_clear_pointer (&errors, g_ptr_array_unref);
  errors = woo_fixture_push (f, CP_JOB_STOCK_PUSH, ids, &error);
  g_assert_null (errors);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_RATE_LIMITED);
  g_assert_cmpint (cp_connector_error_get_wait_us (error), >, 0);
}

static void
test_product_push (WooFixture    *f,
                   gconstpointer  data)
{
  const char *skus[] = { "EC-00002", "EC-00001-M", "NEW-0001", NULL };
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autofree char *brand = NULL;
  g_autofree char *module = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *local = NULL;

  woo_fixture_add_demo_skus (f, 2, 4, 3);
  test_ledger_add_variant (&f->t, "NEW-0001", "Brand new", 1250, 0);
  /* Seed 003's module fields of a motorcycle. */
  stmt = cp_ledger_prepare (f->t.ledger,
                            "UPDATE variants SET attributes = '{\"brand\":\"Honda\",\"year\":2024}' "
                            "WHERE sku = 'EC-00002'", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);

  ids = ids_of (f, skus);
  errors = woo_fixture_push (f, CP_JOB_PRODUCT_PUSH, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (woo_fixture_count_errors (errors), ==, 0);

  brand = cp_sandbox_woocommerce_dup_meta (f->fake, "EC-00002", "counterpart_brand");
  g_assert_cmpstr (brand, ==, "\"Honda\"");
  module = cp_sandbox_woocommerce_dup_meta (f->fake, "EC-00001-M", "counterpart_module");
  g_assert_cmpstr (module, ==, "\"general\"");
  /* The new one was created once, and is mapped to what was created. */
  g_assert_cmpint (cp_sandbox_woocommerce_get_stock (f->fake, "NEW-0001"), ==, 0);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "product.create:NEW-0001"), ==, 1);
  local = g_strdup_printf ("%" G_GINT64_FORMAT, test_ledger_variant_id (&f->t, "NEW-0001"));
  remote = cp_integrations_get_remote_id (f->t.ledger, f->t.integration_id, "variant", local, &error);
  g_assert_no_error (error);
  g_assert_nonnull (remote);

  /* A product opted out of this store: its changes are not sent. */
  {
    g_autoptr(GArray) one = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_autoptr(GPtrArray) none = NULL;
    g_autoptr(CpSqlStmt) product = cp_ledger_prepare (f->t.ledger,
                                                      "SELECT product_id FROM variants WHERE sku = 'EC-00002'",
                                                      &error);
    gint64 id = test_ledger_variant_id (&f->t, "EC-00002");
    guint before;

    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_step (product), ==, SQLITE_ROW);
    g_assert_true (cp_stock_publish_set_excluded (f->t.ledger, f->t.integration_id,
                                                  sqlite3_column_int64 (product, 0), TRUE, &error));
    g_assert_no_error (error);
    g_array_append_val (one, id);
    before = cp_sandbox_server_get_request_count (f->server, NULL);
    none = woo_fixture_push (f, CP_JOB_PRODUCT_PUSH, one, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (woo_fixture_count_errors (none), ==, 0);
    g_assert_cmpuint (cp_sandbox_server_get_request_count (f->server, NULL), ==, before);
  }

  /* Sent again (a lost answer, a retry): found by SKU, not created twice. */
  g_clear_pointer (&errors, g_ptr_array_unref);
  cp_integrations_clear_mapping (f->t.ledger, f->t.integration_id, "variant", local, &error);
  g_assert_no_error (error);
  errors = woo_fixture_push (f, CP_JOB_PRODUCT_PUSH, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (woo_fixture_count_errors (errors), ==, 0);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "product.create:NEW-0001"), ==, 1);
}

static void
test_read_stock (WooFixture    *f,
                 gconstpointer  data)
{
  const char *skus[] = { "EC-00002", "EC-00001-M", "EC-00005-L", "LOCAL-ONLY", NULL };
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_stock_published_free);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_stock_published_free);
  g_autoptr(GError) error = NULL;

  woo_fixture_add_demo_skus (f, 8, 4, 5);
  test_ledger_add_variant (&f->t, "LOCAL-ONLY", "Only here", 500, 1);
  cp_mapping_report_free (woo_fixture_refresh (f));
  cp_sandbox_server_reset_counters (f->server);
  g_assert_true (cp_connector_can_read_stock (f->connector));

  for (guint i = 0; skus[i] != NULL; i++)
    {
      CpStockPublished *w = g_new0 (CpStockPublished, 1);

      w->variant_id = test_ledger_variant_id (&f->t, skus[i]);
      w->sku = g_strdup (skus[i]);
      w->quantity = 5;
      g_ptr_array_add (wanted, w);
    }
  g_assert_true (cp_connector_read_stock (f->connector, f->t.ledger, wanted, found, NULL, &error));
  g_assert_no_error (error);
  /* What the store shows, the one it does not have left out. */
  g_assert_cmpuint (found->len, ==, 3);
  for (guint i = 0; i < found->len; i++)
    {
      CpStockPublished *p = g_ptr_array_index (found, i);

      g_assert_cmpint (p->quantity, ==, cp_sandbox_woocommerce_get_stock (f->fake, p->sku));
      g_assert_cmpstr (p->sku, !=, "LOCAL-ONLY");
    }
  /* One list request for the simple ones, one per variable product. */
  g_assert_cmpuint (woo_fixture_requests (f, "GET /products"), ==, 1);
  g_assert_cmpuint (woo_fixture_requests (f, "GET /products/{id}/variations"), ==, 2);
}

/* A webhook receiver on loopback, in a thread of its own. */
typedef struct
{
  GMutex        mutex;
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
  SoupServer   *soup;
  guint         status;     /* what to answer */
  GPtrArray    *bodies;     /* char* */
  GPtrArray    *signatures; /* char* */
  GPtrArray    *topics;     /* char* */
  char         *url;
} Receiver;

static void
receiver_cb (SoupServer        *soup,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Receiver *rx = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  g_mutex_lock (&rx->mutex);
  g_ptr_array_add (rx->bodies, g_strndup (body->data, body->length));
  g_ptr_array_add (rx->signatures, g_strdup (soup_message_headers_get_one (headers, "X-WC-Webhook-Signature")));
  g_ptr_array_add (rx->topics, g_strdup (soup_message_headers_get_one (headers, "X-WC-Webhook-Topic")));
  soup_server_message_set_status (msg, rx->status, NULL);
  g_mutex_unlock (&rx->mutex);
}

static gpointer
receiver_thread (gpointer data)
{
  Receiver *rx = data;

  g_main_context_push_thread_default (rx->context);
  g_main_loop_run (rx->loop);
  g_main_context_pop_thread_default (rx->context);
  return NULL;
}

static void
receiver_start (Receiver *rx)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_mutex_init (&rx->mutex);
  rx->status = 200;
  rx->bodies = g_ptr_array_new_with_free_func (g_free);
  rx->signatures = g_ptr_array_new_with_free_func (g_free);
  rx->topics = g_ptr_array_new_with_free_func (g_free);
  rx->context = g_main_context_new ();
  rx->loop = g_main_loop_new (rx->context, FALSE);
  g_main_context_push_thread_default (rx->context);
  rx->soup = soup_server_new (NULL, NULL);
  soup_server_add_handler (rx->soup, NULL, receiver_cb, rx, NULL);
  g_assert_true (soup_server_listen_local (rx->soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  g_main_context_pop_thread_default (rx->context);
  uris = soup_server_get_uris (rx->soup);
  rx->url = g_strdup_printf ("http://127.0.0.1:%d/hooks/woo", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  rx->thread = g_thread_new ("receiver", receiver_thread, rx);
}

static void
receiver_stop (Receiver *rx)
{
  g_main_loop_quit (rx->loop);
  g_thread_join (rx->thread);
  soup_server_disconnect (rx->soup);
  g_clear_object (&rx->soup);
  g_main_loop_unref (rx->loop);
  g_main_context_unref (rx->context);
  g_ptr_array_unref (rx->bodies);
  g_ptr_array_unref (rx->signatures);
  g_ptr_array_unref (rx->topics);
  g_free (rx->url);
  g_mutex_clear (&rx->mutex);
}

static void
test_fake_webhooks (WooFixture    *f,
                    gconstpointer  data)
{
  Receiver rx = { 0 };
  guint delivered = 0, failed = 0;
  gboolean disabled = FALSE;
  const char *secret = "whsec_woo_test";

  receiver_start (&rx);
  cp_sandbox_woocommerce_set_webhook (f->fake, rx.url, secret);

  /* Two orders placed: two deliveries, each signed over its exact body. */
  cp_sandbox_woocommerce_add_orders (f->fake, 2, 3);
  cp_sandbox_woocommerce_wait_webhooks (f->fake, &delivered, &failed, &disabled);
  g_assert_cmpuint (delivered, ==, 2);
  g_assert_cmpuint (rx.bodies->len, ==, 2);
  for (guint i = 0; i < rx.bodies->len; i++)
    {
      const char *body = g_ptr_array_index (rx.bodies, i);
      g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));
      guint8 digest[32];
      gsize len = sizeof digest;
      g_autofree char *expected = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(CpOrder) order = NULL;
      g_autoptr(GError) error = NULL;

      g_hmac_update (hmac, (const guchar *) body, strlen (body));
      g_hmac_get_digest (hmac, digest, &len);
      expected = g_base64_encode (digest, len);
      g_assert_cmpstr (g_ptr_array_index (rx.signatures, i), ==, expected);
      g_assert_cmpstr (g_ptr_array_index (rx.topics, i), ==, "order.created");
      /* The body is the wc/v3 order, as the connector parses it. */
      g_assert_true (json_parser_load_from_data (parser, body, -1, NULL));
      order = cp_woocommerce_parse_order (json_parser_get_root (parser), "woo-1", NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (order);
    }

  /* The receiver fails: each delivery is tried once, never again, and
   * after more than five failures in a row the webhook is off. */
  rx.status = 500;
  cp_sandbox_woocommerce_add_orders (f->fake, 7, 4);
  cp_sandbox_woocommerce_wait_webhooks (f->fake, &delivered, &failed, &disabled);
  g_assert_cmpuint (failed, ==, 6);
  g_assert_true (disabled);
  g_assert_cmpuint (rx.bodies->len, ==, 2 + 6);

  receiver_stop (&rx);
}

static void
test_rate_from_settings (WooFixture    *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpConnector) connector = cp_connector_new_for_platform ("woocommerce", f->t.integration_id,
                                                                    f->base, WOO_TEST_CREDENTIALS, &error);
  CpRateLimiter *limiter;

  g_assert_no_error (error);
  limiter = cp_connector_get_rate_limiter (connector);
  /* Seed 003's default until the settings say otherwise. */
  g_assert_cmpfloat (cp_rate_limiter_get_capacity (limiter), ==, 60);
  g_assert_true (cp_integrations_set_settings (f->t.ledger, f->t.integration_id,
                                               "{\"rate_limit_per_minute\": 600}", &error));
  g_assert_no_error (error);
  cp_mapping_report_free (cp_connector_refresh_mappings (connector, f->t.ledger, NULL, &error));
  g_assert_no_error (error);
  /* The same limiter (the engine holds it), at the new pace. */
  g_assert_true (cp_connector_get_rate_limiter (connector) == limiter);
  g_assert_cmpfloat (cp_rate_limiter_get_capacity (limiter), ==, 600);
  g_assert_cmpfloat (cp_rate_limiter_get_refill_rate (limiter), ==, 10);
}

static void
test_stock_several_locations (WooFixture    *f,
                              gconstpointer  data)
{
  const char *skus[] = { "EC-00002", NULL };
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;

  woo_fixture_add_demo_skus (f, 2, 0, 4);
  cp_locations_add (f->t.ledger, "BACK", "Back room", "USD", NULL, &error);
  g_assert_no_error (error);
  ids = ids_of (f, skus);
  errors = woo_fixture_push (f, CP_JOB_STOCK_PUSH, ids, &error);
  g_assert_null (errors);
  /* What to type, in WooCommerce's terms (it has no locations). */
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "--location MAIN=store"));
  g_clear_error (&error);

  /* Both linked: their stock adds up in the one WooCommerce stock. */
  cp_stock_adjust (f->t.ledger, "EC-00002", "BACK", 3, CP_STOCK_REASON_RECEIVED,
                   NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cp_integrations_set_mapping (f->t.ledger, f->t.integration_id, "location", "MAIN",
                                              "store", NULL, &error));
  g_assert_true (cp_integrations_set_mapping (f->t.ledger, f->t.integration_id, "location", "BACK",
                                              "store", NULL, &error));
  errors = woo_fixture_push (f, CP_JOB_STOCK_PUSH, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cp_sandbox_woocommerce_get_stock (f->fake, "EC-00002"), ==, 7);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/woocommerce/" path, WooFixture, NULL, woo_fixture_setup, func, woo_fixture_teardown)
#define ADD_SIZED(path, size, func) \
  g_test_add ("/woocommerce/" path, WooFixture, &size, woo_fixture_setup, func, woo_fixture_teardown)

  ADD ("fake/basic-refused-on-http", test_auth_basic_refused_on_http);
  ADD ("connection/credentials-named", test_credentials_named);
  ADD ("fake/per-page-limit", test_fake_paging_rules);
  ADD ("fake/batch-limit", test_fake_batch_limit);
  ADD ("fake/webhooks-signed-once-never-retried", test_fake_webhooks);
  ADD ("test/ok", test_connection_ok);
  ADD ("test/unauthorized", test_connection_unauthorized);
  ADD ("test/read-only-key", test_connection_read_only);
  ADD ("mappings/variations-duplicates-no-sku", test_mappings);
  ADD ("stock/push", test_stock_push);
  ADD_SIZED ("stock/250-skus-in-3-requests", simple_250, test_stock_250_in_3_requests);
  ADD_SIZED ("stock/variations-queued-apart", simple_300, test_stock_variations_queued_apart);
  ADD_SIZED ("stock/oversized-batch-never-sent", one_big_parent, test_stock_oversized_batch_never_sent);
  ADD ("stock/deleted-remote-product", test_stock_deleted_remote_product);
  ADD ("stock/duplicate-sku-not-pushed", test_stock_duplicate_sku_not_pushed);
  ADD ("stock/rate-limited", test_stock_rate_limited);
  ADD ("stock/several-locations", test_stock_several_locations);
  ADD ("settings/rate-limit-per-minute", test_rate_from_settings);
  ADD ("products/push-with-module-fields", test_product_push);
  ADD ("stock/read-for-reconciliation", test_read_stock);

  return g_test_run ();
}
