/* test-store-webhooks.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Shopify and WooCommerce connectors' parse_webhook on the payloads
 * the platforms publish (shared/fixtures), and a published WooCommerce
 * delivery sent, signed, over real HTTP to the local API with the
 * store's secret in the real Secret Service: stored, imported once.
 */

#include "config.h"

#include <string.h>

#include "cp-connector.h"
#include "cp-connectors.h"
#include "cp-credentials.h"
#include "cp-integrations.h"
#include "cp-sql.h"
#include "cp-webhooks.h"
#include "test-api-fixture.h"

#define SECRET "wc-secret-7d1e"

static gboolean
harness (void)
{
  return g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0;
}

/* The text of shared/fixtures/PLATFORM/NAME, or NULL (the test is then
 * skipped, or failed under the harness, which has the folder). */
static char *
fixture_text (const char *platform,
              const char *name,
              gsize      *out_len)
{
  const char *dir = g_getenv ("CP_SHARED_FIXTURES");
  g_autofree char *path = dir != NULL ? g_build_filename (dir, platform, name, NULL) : NULL;
  char *text = NULL;

  if (path == NULL || !g_file_get_contents (path, &text, out_len, NULL))
    {
      if (harness ())
        g_test_fail_printf ("The shared fixture %s/%s is missing", platform, name);
      else
        g_test_skip ("The shared fixtures folder is not there");
      return NULL;
    }
  return text;
}

/* The published WooCommerce delivery: its body and headers. */
static JsonParser *
wc_delivery (void)
{
  g_autofree char *text = NULL;
  JsonParser *parser;
  gsize len;

  text = fixture_text ("woocommerce", "webhook_delivery_wc_v2.json", &len);
  if (text == NULL)
    return NULL;
  parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, text, (gssize) len, NULL));
  return parser;
}

static CpConnector *
connector (const char *platform)
{
  g_autoptr(GError) error = NULL;
  CpConnector *c;

  c = cp_connector_new_for_platform (platform, g_str_equal (platform, "shopify") ? "shopify-1"
                                                                                  : "woocommerce-1",
                                     g_str_equal (platform, "shopify")
                                     ? "https://example.myshopify.com" : "https://shop.example",
                                     g_str_equal (platform, "shopify")
                                     ? "{\"access_token\": \"shpat_x\"}"
                                     : "{\"consumer_key\": \"ck_x\", \"consumer_secret\": \"cs_x\"}",
                                     &error);
  g_assert_no_error (error);
  g_assert_true (cp_connector_can_parse_webhooks (c));
  return c;
}

static GPtrArray *
parse (CpConnector *c,
       const char  *topic,
       const char  *body,
       gsize        len,
       GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, len);
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);

  if (!cp_connector_parse_webhook (c, topic, bytes, orders, error))
    return NULL;
  return g_steal_pointer (&orders);
}

static void
test_woocommerce_parse (void)
{
  g_autoptr(JsonParser) delivery = wc_delivery ();
  g_autoptr(CpConnector) c = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) bad = NULL;
  g_autoptr(GError) error = NULL;
  const char *body;
  CpOrder *order;

  if (delivery == NULL)
    return;
  body = json_object_get_string_member (json_node_get_object (json_parser_get_root (delivery)),
                                        "request_body");
  c = connector ("woocommerce");

  orders = parse (c, "order.updated", body, strlen (body), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orders->len, ==, 1);
  order = g_ptr_array_index (orders, 0);
  g_assert_cmpstr (order->external_id, ==, "118");
  g_assert_cmpstr (order->status, ==, "completed");
  g_assert_cmpstr (order->currency, ==, "BRL");
  g_assert_cmpuint (order->lines->len, ==, 1);

  none = parse (c, "order.deleted", "{\"id\": 118}", 11, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);

  bad = parse (c, "order.updated", "[1, 2]", 6, &error);
  g_assert_null (bad);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_INVALID_DATA);
}

static void
test_shopify_parse (void)
{
  g_autofree char *body = NULL;
  g_autoptr(CpConnector) c = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) bad = NULL;
  g_autoptr(GError) error = NULL;
  CpOrder *order;
  gsize len;

  body = fixture_text ("shopify", "rest_order.json", &len);
  if (body == NULL)
    return;
  c = connector ("shopify");

  orders = parse (c, "orders/updated", body, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orders->len, ==, 1);
  order = g_ptr_array_index (orders, 0);
  g_assert_cmpstr (order->external_id, ==, "gid://shopify/Order/450789469");
  g_assert_cmpuint (order->lines->len, >, 0);

  none = parse (c, "orders/delete", "{\"id\": 450789469}", 17, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);

  bad = parse (c, "orders/create", "{\"order\": 7}", 12, &error);
  g_assert_null (bad);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_INVALID_DATA);
}

static gboolean
require_keyring (void)
{
  g_autoptr(GError) error = NULL;

  if (cp_credentials_check_sync (NULL, &error))
    return TRUE;
  if (harness ())
    g_test_fail_printf ("The test harness should provide a Secret Service, but: %s",
                        error->message);
  else
    g_test_skip_printf ("No Secret Service on the session bus (%s)", error->message);
  return FALSE;
}

static guint
post_wc (ApiFixture *f,
         const char *store,
         const char *body,
         const char *delivery_id,
         char      **out_status)
{
  g_autofree char *url = g_strdup_printf ("%s/stores/%s/webhooks/orders", f->base_url, store);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *signature = cp_webhooks_sign (SECRET, body, strlen (body));
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  /* As WooCommerce sends it (class-wc-webhook.php, deliver ()). */
  soup_message_headers_replace (headers, "User-Agent", "WooCommerce/8.0 Hookshot (WordPress/6.3)");
  soup_message_headers_replace (headers, "X-WC-Webhook-Source", "https://shop.example/");
  soup_message_headers_replace (headers, "X-WC-Webhook-Topic", "order.updated");
  soup_message_headers_replace (headers, "X-WC-Webhook-Resource", "order");
  soup_message_headers_replace (headers, "X-WC-Webhook-Event", "updated");
  soup_message_headers_replace (headers, "X-WC-Webhook-Signature", signature);
  soup_message_headers_replace (headers, "X-WC-Webhook-ID", "142");
  soup_message_headers_replace (headers, "X-WC-Webhook-Delivery-ID", delivery_id);
  soup_message_set_request_body_from_bytes (msg, "application/json", request);

  answer = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (out_status != NULL &&
      json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                  (gssize) g_bytes_get_size (answer), NULL))
    *out_status = g_strdup (json_object_get_string_member (
                              json_object_get_object_member (
                                json_node_get_object (json_parser_get_root (parser)), "data"),
                              "status"));
  return soup_message_get_status (msg);
}

static void
test_woocommerce_over_http (ApiFixture    *f,
                            gconstpointer  data)
{
  g_autoptr(JsonParser) delivery = wc_delivery ();
  g_autoptr(GError) error = NULL;
  g_autofree char *store = NULL;
  g_autofree char *key = NULL;
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  const char *body;

  if (delivery == NULL || !require_keyring ())
    return;
  body = json_object_get_string_member (json_node_get_object (json_parser_get_root (delivery)),
                                        "request_body");

  store = cp_integrations_add (f->ledger, "woocommerce", "Woo shop", "https://shop.example", NULL,
                               &error);
  g_assert_no_error (error);
  key = cp_integrations_credential_key (f->ledger, store, &error);
  g_assert_no_error (error);
  cp_credentials_store_sync (key, "Counterpart test",
                             "{\"consumer_key\": \"ck_x\", \"consumer_secret\": \"cs_x\","
                             " \"webhook_secret\": \"" SECRET "\"}",
                             NULL, &error);
  g_assert_no_error (error);
  api_fixture_start (f);

  g_assert_cmpuint (post_wc (f, store, body, "54", &first), ==, 200);
  g_assert_cmpstr (first, ==, "received");
  g_assert_cmpuint (post_wc (f, store, body, "54", &again), ==, 200);
  g_assert_cmpstr (again, ==, "duplicate");

  for (guint i = 0; i < 3000 && cp_webhooks_count (f->ledger, NULL, "received") > 0; i++)
    g_usleep (10 * 1000);
  g_assert_cmpint (cp_webhooks_count (f->ledger, store, "processed"), ==, 1);
  g_assert_cmpint (cp_sql_query_int (f->ledger,
                                     "SELECT count (*) FROM orders WHERE external_id = '118'", -1),
                   ==, 1);
  /* SKU 12345 is no product here: imported, and in the list to map. */
  g_assert_cmpint (cp_sql_query_int (f->ledger,
                                     "SELECT count (*) FROM order_lines WHERE sku = '12345'", -1),
                   ==, 1);

  cp_credentials_clear_sync (key, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  cp_connectors_register_all ();

  g_test_add_func ("/store-webhooks/woocommerce/parse-published", test_woocommerce_parse);
  g_test_add_func ("/store-webhooks/shopify/parse-published", test_shopify_parse);
  g_test_add ("/store-webhooks/woocommerce/signed-delivery-over-http", ApiFixture, NULL,
              api_fixture_set_up, test_woocommerce_over_http, api_fixture_tear_down);
  return g_test_run ();
}
