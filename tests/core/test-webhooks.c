/* test-webhooks.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Store webhooks over real HTTP to the local API server, with the store's
 * webhook secret in the real Secret Service (run under
 * build-aux/test-session.sh) and a real ledger: signatures, the ping,
 * storage before the answer, both deduplications, the limits, order
 * import semantics (payment gate, unknown SKU, cancel and refund with
 * stock back once), and processing at restart after a kill.
 *
 * The store is a test platform ("whtest") whose connector reads a small
 * order JSON, so these tests do not depend on a real platform's parser.
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cp-activity.h"
#include "cp-catalog.h"
#include "cp-connector.h"
#include "cp-credentials.h"
#include "cp-integrations.h"
#include "cp-orders-import.h"
#include "cp-sql.h"
#include "cp-stock.h"
#include "cp-webhooks.h"
#include "test-api-fixture.h"

#define SECRET "whsec-test-0f3c9a"
#define SKU "HLM-RED-L"

/* ---- A connector that reads the test order JSON ------------------------ */

#define TEST_TYPE_WH_CONNECTOR (test_wh_connector_get_type ())
G_DECLARE_FINAL_TYPE (TestWhConnector, test_wh_connector, TEST, WH_CONNECTOR, GObject)

struct _TestWhConnector
{
  GObject parent_instance;
};

static void test_wh_connector_iface_init (CpConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestWhConnector, test_wh_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CP_TYPE_CONNECTOR,
                                                      test_wh_connector_iface_init))

static CpConnectorCaps
test_wh_get_capabilities (CpConnector *connector)
{
  return CP_CONNECTOR_CAP_PULL_ORDERS;
}

/* {"id", "number", "status", "currency", "updated_at",
 *  "lines": [{"sku", "name", "quantity", "price"}],
 *  "refunds": [{"amount", "at"}]}; a "deleted" topic has no order. */
static gboolean
test_wh_parse_webhook (CpConnector  *connector,
                       const char   *topic,
                       GBytes       *body,
                       GPtrArray    *out_orders,
                       GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CpOrder) order = cp_order_new ();
  JsonObject *object;
  JsonArray *array;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  if (g_strcmp0 (topic, "order.deleted") == 0)
    return TRUE;
  if (!json_parser_load_from_data (parser, data, (gssize) size, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      !json_object_has_member (json_node_get_object (json_parser_get_root (parser)), "id"))
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                              "not a test order");
      return FALSE;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  order->external_id = g_strdup (json_object_get_string_member (object, "id"));
  order->number = g_strdup (json_object_get_string_member (object, "number"));
  order->status = g_strdup (json_object_get_string_member (object, "status"));
  g_strlcpy (order->currency, json_object_get_string_member (object, "currency"),
             sizeof order->currency);
  array = json_object_get_array_member (object, "lines");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *line = json_array_get_object_element (array, i);

      cp_order_add_line (order, json_object_get_string_member (line, "sku"),
                         json_object_get_string_member (line, "name"),
                         json_object_get_int_member (line, "quantity"),
                         json_object_get_int_member (line, "price"), 0, 0);
    }
  if (json_object_has_member (object, "refunds"))
    {
      array = json_object_get_array_member (object, "refunds");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *refund = json_array_get_object_element (array, i);

          cp_order_add_refund (order, json_object_get_int_member (refund, "amount"), "test",
                               json_object_get_int_member (refund, "at"));
        }
    }
  g_ptr_array_add (out_orders, g_steal_pointer (&order));
  return TRUE;
}

static void
test_wh_connector_iface_init (CpConnectorInterface *iface)
{
  iface->get_capabilities = test_wh_get_capabilities;
  iface->parse_webhook = test_wh_parse_webhook;
}

static void
test_wh_connector_class_init (TestWhConnectorClass *klass)
{
}

static void
test_wh_connector_init (TestWhConnector *self)
{
}

static CpConnector *
test_wh_factory (const char  *integration_id,
                 const char  *base_url,
                 const char  *credentials_json,
                 GError     **error)
{
  return g_object_new (TEST_TYPE_WH_CONNECTOR, NULL);
}

static const char * const test_wh_fields[] = { "webhook_secret", NULL };

static const CpPlatformInfo test_wh_platform = {
  .platform = "whtest",
  .display_name = "Webhook test store",
  .capabilities = CP_CONNECTOR_CAP_PULL_ORDERS,
  .credential_fields = test_wh_fields,
  .factory = test_wh_factory,
};

/* ---- Fixture helpers ---------------------------------------------------- */

/* Under the harness a missing keyring is a failure; by hand, a skip. */
static gboolean
require_keyring (void)
{
  g_autoptr(GError) error = NULL;

  if (cp_credentials_check_sync (NULL, &error))
    return TRUE;
  if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
    g_test_fail_printf ("The test harness should provide a Secret Service, but: %s",
                        error->message);
  else
    g_test_skip_printf ("No Secret Service on the session bus (%s); run under "
                        "build-aux/test-session.sh", error->message);
  return FALSE;
}

/* A "whtest" store with SECRET in the keyring, a product SKU with 10 in
 * stock at MAIN. Returns the store id. */
static char *
add_store (ApiFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) variant = cp_variant_new ();
  g_autofree char *key = NULL;
  char *id;

  id = cp_integrations_add (f->ledger, "whtest", "Test store", "http://127.0.0.1:9/", NULL, &error);
  g_assert_no_error (error);
  key = cp_integrations_credential_key (f->ledger, id, &error);
  g_assert_no_error (error);
  cp_credentials_store_sync (key, "Counterpart test", "{\"webhook_secret\": \"" SECRET "\"}",
                             NULL, &error);
  g_assert_no_error (error);

  cp_locations_add (f->ledger, "MAIN", "Main shop", "USD", NULL, &error);
  g_assert_no_error (error);
  variant->product_handle = g_strdup ("helmet");
  variant->product_name = g_strdup ("Helmet");
  variant->sku = g_strdup (SKU);
  variant->price_minor = 12999;
  g_strlcpy (variant->currency, "USD", sizeof variant->currency);
  cp_catalog_upsert_variant (f->ledger, variant, NULL, NULL, &error);
  g_assert_no_error (error);
  cp_stock_adjust (f->ledger, SKU, "MAIN", 10, CP_STOCK_REASON_RECEIVED, NULL, NULL, "test",
                   NULL, &error);
  g_assert_no_error (error);
  return id;
}

static void
remove_store_secret (ApiFixture *f,
                     const char *id)
{
  g_autofree char *key = cp_integrations_credential_key (f->ledger, id, NULL);

  if (key != NULL)
    cp_credentials_clear_sync (key, NULL, NULL);
}

static gint64
on_hand (ApiFixture *f)
{
  g_autoptr(GError) error = NULL;
  CpStockLevel *level = cp_stock_get (f->ledger, SKU, "MAIN", &error);
  gint64 value;

  g_assert_no_error (error);
  value = level->on_hand;
  cp_stock_level_free (level);
  return value;
}

static char *
order_json (const char *id,
            const char *status,
            const char *updated_at,
            const char *sku,
            const char *refunds)
{
  return g_strdup_printf ("{\"id\": \"%s\", \"number\": \"#%s\", \"status\": \"%s\","
                          " \"currency\": \"USD\", \"updated_at\": \"%s\","
                          " \"lines\": [{\"sku\": \"%s\", \"name\": \"Helmet\","
                          " \"quantity\": 2, \"price\": 12999}], \"refunds\": [%s]}",
                          id, id, status, updated_at, sku, refunds != NULL ? refunds : "");
}

/* POSTs BODY to stores/STORE/webhooks/KIND, Shopify style: signed with
 * SIGN_WITH (NULL: no signature header), X-Shopify-Webhook-Id DELIVERY_ID. */
static ApiResponse *
post_webhook (ApiFixture *f,
              const char *store,
              const char *kind,
              const char *topic,
              const char *delivery_id,
              const char *sign_with,
              const char *content_type,
              const char *body,
              gsize       len)
{
  g_autofree char *url = g_strdup_printf ("%s/stores/%s/webhooks/%s", f->base_url, store, kind);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, len);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  ApiResponse *r = g_new0 (ApiResponse, 1);

  if (sign_with != NULL)
    {
      g_autofree char *signature = cp_webhooks_sign (sign_with, body, len);

      soup_message_headers_replace (headers, "X-Shopify-Hmac-Sha256", signature);
    }
  if (delivery_id != NULL)
    soup_message_headers_replace (headers, "X-Shopify-Webhook-Id", delivery_id);
  if (topic != NULL)
    soup_message_headers_replace (headers, "X-Shopify-Topic", topic);
  soup_message_set_request_body_from_bytes (msg, content_type, request);

  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  r->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  r->parser = json_parser_new ();
  if (g_bytes_get_size (bytes) > 0 && json_parser_load_from_data (r->parser, r->body, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (r->parser)))
    r->root = json_node_get_object (json_parser_get_root (r->parser));
  return r;
}

static ApiResponse *
post_order (ApiFixture *f,
            const char *store,
            const char *delivery_id,
            const char *body)
{
  return post_webhook (f, store, "orders", "orders/updated", delivery_id, SECRET,
                       "application/json", body, strlen (body));
}

/* The same, taking BODY. */
static ApiResponse *
post_order_take (ApiFixture *f,
                 const char *store,
                 const char *delivery_id,
                 char       *body)
{
  g_autofree char *owned = body;

  return post_order (f, store, delivery_id, owned);
}

static const char *
data_status (ApiResponse *r)
{
  g_assert_nonnull (r->root);
  return json_object_get_string_member (json_object_get_object_member (r->root, "data"), "status");
}

/* Waits (on the test's own connection) until the server has processed
 * every stored delivery. Not a timed assertion: the guard only turns a
 * hang into a failure. */
static void
wait_processed (ApiFixture *f)
{
  for (guint i = 0; i < 3000; i++)
    {
      if (cp_webhooks_count (f->ledger, NULL, "received") == 0)
        return;
      g_usleep (10 * 1000);
    }
  g_assert_cmpint (cp_webhooks_count (f->ledger, NULL, "received"), ==, 0);
}

static gint64
count_orders (ApiFixture *f,
              const char *store)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM orders WHERE source = '%s'", store);

  return cp_sql_query_int (f->ledger, sql, -1);
}

static gint64
count_activity (ApiFixture *f,
                const char *type)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM activity WHERE type = '%s'", type);

  return cp_sql_query_int (f->ledger, sql, -1);
}

#define WEBHOOK_TEST(name, func) \
  g_test_add ("/webhooks/" name, ApiFixture, NULL, api_fixture_set_up, func, api_fixture_tear_down)

/* ---- Signatures --------------------------------------------------------- */

static void
test_signature (void)
{
  const char *body = "{\"id\": 1}";
  g_autofree char *good = cp_webhooks_sign (SECRET, body, strlen (body));
  g_autofree char *tampered = g_strdup (good);

  g_assert_cmpuint (strlen (good), ==, 44);
  g_assert_true (cp_webhooks_verify (SECRET, body, strlen (body), good));
  /* Blanks around the header value are not part of it. */
  {
    g_autofree char *padded = g_strdup_printf ("  %s ", good);
    g_assert_true (cp_webhooks_verify (SECRET, body, strlen (body), padded));
  }
  g_assert_false (cp_webhooks_verify ("other", body, strlen (body), good));
  g_assert_false (cp_webhooks_verify (SECRET, "{\"id\": 2}", 9, good));
  tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
  g_assert_false (cp_webhooks_verify (SECRET, body, strlen (body), tampered));
  g_assert_false (cp_webhooks_verify (SECRET, body, strlen (body), ""));
  g_assert_false (cp_webhooks_verify (SECRET, body, strlen (body), NULL));
  g_assert_false (cp_webhooks_verify (SECRET, body, strlen (body), "c2hvcnQ="));
  g_assert_false (cp_webhooks_verify ("", body, strlen (body), good));
  /* The hex form of the digest is not the base64 one. */
  {
    g_autofree char *hex = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) SECRET,
                                                      strlen (SECRET), body, -1);
    g_assert_false (cp_webhooks_verify (SECRET, body, strlen (body), hex));
  }
}

/* A published vector of the same scheme (base64 HMAC-SHA256 of the raw
 * body): Intuit's, from shared/fixtures/quickbooks. */
static void
test_signature_vector (void)
{
  const char *dir = g_getenv ("CP_SHARED_FIXTURES");
  g_autofree char *vector_path = NULL;
  g_autofree char *body_path = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *vector;
  gsize len;

  vector_path = dir != NULL ? g_build_filename (dir, "quickbooks", "webhook_signature_vector.json", NULL) : NULL;
  if (vector_path == NULL || !g_file_test (vector_path, G_FILE_TEST_EXISTS))
    {
      if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
        g_test_fail_printf ("The shared fixtures are missing (%s)", dir != NULL ? dir : "unset");
      else
        g_test_skip ("The shared fixtures folder is not there");
      return;
    }
  json_parser_load_from_file (parser, vector_path, &error);
  g_assert_no_error (error);
  vector = json_node_get_object (json_parser_get_root (parser));
  body_path = g_build_filename (dir, "quickbooks",
                                json_object_get_string_member (vector, "payload_file"), NULL);
  g_file_get_contents (body_path, &body, &len, &error);
  g_assert_no_error (error);

  g_assert_true (cp_webhooks_verify (json_object_get_string_member (vector, "verifier_token"),
                                     body, len,
                                     json_object_get_string_member (vector, "intuit_signature")));
  g_assert_false (cp_webhooks_verify (json_object_get_string_member (vector, "verifier_token"),
                                      body, len - 1,
                                      json_object_get_string_member (vector, "intuit_signature")));
}

static void
test_ping_unit (void)
{
  g_assert_true (cp_webhooks_is_ping ("webhook_id=12", 13));
  g_assert_false (cp_webhooks_is_ping ("webhook_id=", 11));
  g_assert_false (cp_webhooks_is_ping ("webhook_id=12&x=1", 17));
  g_assert_false (cp_webhooks_is_ping ("{\"webhook_id\": 12}", 18));
}

/* ---- Over HTTP -------------------------------------------------------------- */

static void
test_good_delivery (ApiFixture    *f,
                    gconstpointer  data)
{
  g_autofree char *store = NULL;
  g_autofree char *body = NULL;
  g_autoptr(ApiResponse) r = NULL;
  g_autoptr(CpWebhookDelivery) stored = NULL;
  g_autoptr(GPtrArray) pending = NULL;

  if (!require_keyring ())
    return;
  store = add_store (f);
  api_fixture_start (f);

  body = order_json ("1001", "completed", "2026-11-23T10:00:00Z", SKU, NULL);
  r = post_order (f, store, "d-1", body);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (data_status (r), ==, "received");

  /* Stored raw, byte for byte. */
  stored = cp_webhooks_get (f->ledger, 1, NULL);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->integration_id, ==, store);
  g_assert_cmpstr (stored->delivery_id, ==, "shopify:d-1");
  g_assert_cmpstr (stored->topic, ==, "orders/updated");
  g_assert_cmpstr (stored->resource_id, ==, "order:1001");
  g_assert_cmpstr (stored->modified, ==, "2026-11-23T10:00:00Z");
  g_assert_cmpmem (g_bytes_get_data (stored->body, NULL), g_bytes_get_size (stored->body),
                   body, strlen (body));

  wait_processed (f);
  g_assert_cmpint (cp_webhooks_count (f->ledger, store, "processed"), ==, 1);
  g_assert_cmpint (count_orders (f, store), ==, 1);
  g_assert_cmpint (on_hand (f), ==, 8);
  g_assert_cmpint (count_activity (f, CP_ACTIVITY_ORDER_RECEIVED_FROM_STORE), ==, 1);
  remove_store_secret (f, store);
}

/* At start the server forgets processed deliveries past the keeping
 * time, and keeps failed ones and recent ones. */
static void
test_purge_at_start (ApiFixture    *f,
                     gconstpointer  data)
{
  g_autofree char *store = NULL;
  g_autoptr(ApiResponse) r1 = NULL;
  g_autoptr(ApiResponse) r2 = NULL;
  g_autofree char *sql = NULL;
  gint64 old = cp_ledger_now_us () - CP_WEBHOOKS_KEEP_US - G_USEC_PER_SEC;

  if (!require_keyring ())
    return;
  store = add_store (f);
  api_fixture_start (f);
  r1 = post_order_take (f, store, "d-80",
                        order_json ("1009", "completed", "2026-11-23T17:00:00Z", SKU, NULL));
  r2 = post_order_take (f, store, "d-81",
                        order_json ("1010", "completed", "2026-11-23T17:00:00Z", SKU, NULL));
  wait_processed (f);
  api_fixture_stop (f);

  sql = g_strdup_printf ("UPDATE webhook_deliveries SET received_at = %" G_GINT64_FORMAT
                         " WHERE delivery_id = 'shopify:d-80'", old);
  g_assert_true (cp_sql_exec (f->ledger, sql, "test", NULL));
  api_fixture_start (f);
  for (guint i = 0; i < 3000 && cp_webhooks_count (f->ledger, store, NULL) != 1; i++)
    g_usleep (10 * 1000);
  g_assert_cmpint (cp_webhooks_count (f->ledger, store, NULL), ==, 1);
  g_assert_cmpint (cp_sql_query_int (f->ledger,
                                     "SELECT count (*) FROM webhook_deliveries"
                                     " WHERE delivery_id = 'shopify:d-81'", -1), ==, 1);
  /* The orders stay, of course. */
  g_assert_cmpint (count_orders (f, store), ==, 2);
  remove_store_secret (f, store);
}

static void
test_bad_signature (ApiFixture    *f,
                    gconstpointer  data)
{
  g_autofree char *store = NULL;
  g_autofree char *body = NULL;
  g_autoptr(ApiResponse) bad = NULL;
  g_autoptr(ApiResponse) missing = NULL;
  g_autoptr(ApiResponse) no_store = NULL;

  if (!require_keyring ())
    return;
  store = add_store (f);
  api_fixture_start (f);

  body = order_json ("1002", "completed", "2026-11-23T10:00:00Z", SKU, NULL);
  bad = post_webhook (f, store, "orders", "orders/create", "d-2", "not-the-secret",
                      "application/json", body, strlen (body));
  api_assert_error (bad, 401, "authentication_error");
  missing = post_webhook (f, store, "orders", "orders/create", "d-3", NULL,
                          "application/json", body, strlen (body));
  api_assert_error (missing, 401, "authentication_error");
  no_store = post_order (f, "whtest-999", "d-4", body);
  api_assert_error (no_store, 404, "not_found");

  /* Refused and logged, never stored, nothing imported. */
  g_assert_cmpint (cp_webhooks_count (f->ledger, NULL, NULL), ==, 0);
  g_assert_cmpint (count_orders (f, store), ==, 0);
  g_assert_cmpint (on_hand (f), ==, 10);
  g_assert_cmpint (count_activity (f, "WebhookRejected"), ==, 2);
  /* Each says why in a sentence of its own. */
  g_assert_cmpint (cp_sql_query_int (f->ledger,
                                     "SELECT count (*) FROM activity WHERE type = 'WebhookRejected'"
                                     " AND (message LIKE '%was refused. Its signature does not match%'"
                                     "   OR message LIKE '%was refused. It carries no signature%')",
                                     -1), ==, 2);
  /* The log names no secret and holds no body. */
  g_assert_cmpint (cp_sql_query_int (f->ledger,
                                     "SELECT count (*) FROM activity WHERE message LIKE '%" SECRET "%'"
                                     " OR coalesce (details, '') LIKE '%1002%'", -1), ==, 0);
  remove_store_secret (f, store);
}

static void
test_ping (ApiFixture    *f,
           gconstpointer  data)
{
  g_autofree char *store = NULL;
  g_autoptr(ApiResponse) r = NULL;

  if (!require_keyring ())
    return;
  store = add_store (f);
  api_fixture_start (f);

  r = post_webhook (f, store, "orders", NULL, NULL, NULL, "application/x-www-form-urlencoded",
                    "webhook_id=42", 13);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (data_status (r), ==, "ping_received");
  g_assert_cmpint (cp_webhooks_count (f->ledger, NULL, NULL), ==, 0);
  remove_store_secret (f, store);
}

static void
test_duplicates (ApiFixture    *f,
                 gconstpointer  data)
{
  g_autofree char *store = NULL;
  g_autofree char *body = NULL;
  g_autoptr(ApiResponse) first = NULL;
  g_autoptr(ApiResponse) replayed = NULL;
  g_autoptr(ApiResponse) redelivered = NULL;

  if (!require_keyring ())
    return;
  store = add_store (f);
  api_fixture_start (f);

  body = order_json ("1003", "completed", "2026-11-23T11:00:00Z", SKU, NULL);
  first = post_order (f, store, "d-10", body);
  g_assert_cmpstr (data_status (first), ==, "received");
  wait_processed (f);

  /* The same delivery id again: 200, nothing new stored. */
  replayed = post_order (f, store, "d-10", body);
  g_assert_cmpuint (replayed->status, ==, 200);
  g_assert_cmpstr (data_status (replayed), ==, "duplicate");
  g_assert_cmpint (cp_webhooks_count (f->ledger, store, NULL), ==, 1);

  /* Another delivery id, same order and modified time: kept as a
   * duplicate, never processed. */
  redelivered = post_order (f, store, "d-11", body);
  g_assert_cmpuint (redelivered->status, ==, 200);
  g_assert_cmpstr (data_status (redelivered), ==, "duplicate");
  g_assert_cmpint (cp_webhooks_count (f->ledger, store, "duplicate"), ==, 1);
  wait_processed (f);

  g_assert_cmpint (count_orders (f, store), ==, 1);
  g_assert_cmpint (on_hand (f), ==, 8);
  remove_store_secret (f, store);
}

static void
test_limits (ApiFixture    *f,
             gconstpointer  data)
{
  g_autofree char *store = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *large = NULL;
  g_autoptr(ApiResponse) too_large = NULL;
  g_autoptr(ApiResponse) too_deep = NULL;
  gsize large_len = 2 * 1024 * 1024;

  if (!require_keyring ())
    return;
  store = add_store (f);
  api_fixture_start (f);

  large = g_malloc (large_len);
  memset (large, ' ', large_len);
  large[0] = '{';
  large[large_len - 1] = '}';
  too_large = post_webhook (f, store, "orders", "orders/create", "d-20", SECRET,
                            "application/json", large, large_len);
  api_assert_error (too_large, 413, "payload_too_large");

  for (guint i = 0; i < 5000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 5000; i++)
    g_string_append_c (deep, ']');
  too_deep = post_webhook (f, store, "orders", "orders/create", "d-21", SECRET,
                           "application/json", deep->str, deep->len);
  api_assert_error (too_deep, 400, "validation_error");

  g_assert_cmpint (cp_webhooks_count (f->ledger, NULL, NULL), ==, 0);
  remove_store_secret (f, store);
}

/* ---- Order semantics ------------------------------------------------------------ */

static void
test_cancel_restocks_once (ApiFixture    *f,
                           gconstpointer  data)
{
  g_autofree char *store = NULL;
  g_autofree char *placed = NULL;
  g_autofree char *cancelled = NULL;
  g_autofree char *cancelled_again = NULL;
  g_autoptr(ApiResponse) r1 = NULL;
  g_autoptr(ApiResponse) r2 = NULL;
  g_autoptr(ApiResponse) r3 = NULL;
  g_autoptr(ApiResponse) r4 = NULL;

  if (!require_keyring ())
    return;
  store = add_store (f);
  api_fixture_start (f);

  placed = order_json ("1004", "completed", "2026-11-23T12:00:00Z", SKU, NULL);
  r1 = post_order (f, store, "d-30", placed);
  wait_processed (f);
  g_assert_cmpint (on_hand (f), ==, 8);

  cancelled = order_json ("1004", "cancelled", "2026-11-23T12:05:00Z", SKU, NULL);
  r2 = post_order (f, store, "d-31", cancelled);
  g_assert_cmpstr (data_status (r2), ==, "received");
  wait_processed (f);
  g_assert_cmpint (on_hand (f), ==, 10);
  g_assert_cmpint (cp_sql_query_int (f->ledger,
                                     "SELECT count (*) FROM stock_movements WHERE reason = 'returned'",
                                     -1), ==, 1);

  /* Replayed (same id), redelivered (new id), and a later update of the
   * cancelled order: the stock went back once. */
  r3 = post_order (f, store, "d-31", cancelled);
  cancelled_again = order_json ("1004", "cancelled", "2026-11-23T12:09:00Z", SKU, NULL);
  r4 = post_order (f, store, "d-32", cancelled_again);
  g_assert_cmpstr (data_status (r4), ==, "received");
  wait_processed (f);
  g_assert_cmpint (on_hand (f), ==, 10);
  g_assert_cmpint (cp_sql_query_int (f->ledger,
                                     "SELECT count (*) FROM stock_movements WHERE reason = 'returned'",
                                     -1), ==, 1);
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT count (*) FROM orders WHERE status = 'cancelled'",
                                     -1), ==, 1);
  g_assert_cmpint (cp_webhooks_count (f->ledger, store, "failed"), ==, 0);
  remove_store_secret (f, store);
}

static void
test_refunds (ApiFixture    *f,
              gconstpointer  data)
{
  g_autofree char *store = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *full = NULL;
  g_autoptr(ApiResponse) r1 = NULL;
  g_autoptr(ApiResponse) r2 = NULL;
  g_autoptr(ApiResponse) r3 = NULL;

  if (!require_keyring ())
    return;
  store = add_store (f);
  api_fixture_start (f);

  r1 = post_order_take (f, store, "d-40",
                   order_json ("1005", "completed", "2026-11-23T13:00:00Z", SKU, NULL));
  /* A partial refund records money only; the goods stay sold. */
  partial = order_json ("1005", "completed", "2026-11-23T13:01:00Z", SKU,
                        "{\"amount\": 1000, \"at\": 1763902860000000}");
  r2 = post_order (f, store, "d-41", partial);
  wait_processed (f);
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT refunded_minor FROM orders", -1), ==, 1000);
  g_assert_cmpint (on_hand (f), ==, 8);

  /* Fully refunded: the second refund once, the stock back once. */
  full = order_json ("1005", "refunded", "2026-11-23T13:02:00Z", SKU,
                     "{\"amount\": 1000, \"at\": 1763902860000000},"
                     "{\"amount\": 24998, \"at\": 1763902920000000}");
  r3 = post_order (f, store, "d-42", full);
  wait_processed (f);
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT refunded_minor FROM orders", -1), ==, 25998);
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT count (*) FROM refunds", -1), ==, 2);
  g_assert_cmpint (on_hand (f), ==, 10);
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT count (*) FROM orders WHERE status = 'refunded'",
                                     -1), ==, 1);
  remove_store_secret (f, store);
}

static void
test_payment_gate (ApiFixture    *f,
                   gconstpointer  data)
{
  g_autofree char *store = NULL;
  g_autoptr(ApiResponse) r1 = NULL;
  g_autoptr(ApiResponse) r2 = NULL;

  if (!require_keyring ())
    return;
  store = add_store (f);
  api_fixture_start (f);

  /* Unpaid: recorded at once, its goods reserved, not sold. */
  r1 = post_order_take (f, store, "d-50",
                   order_json ("1006", "awaiting_payment", "2026-11-23T14:00:00Z", SKU, NULL));
  wait_processed (f);
  g_assert_cmpint (count_orders (f, store), ==, 1);
  g_assert_cmpint (on_hand (f), ==, 10);
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT reserved FROM stock_levels", -1), ==, 2);

  /* Paid: one sale, the reservation gone. */
  r2 = post_order_take (f, store, "d-51",
                   order_json ("1006", "processing", "2026-11-23T14:03:00Z", SKU, NULL));
  wait_processed (f);
  g_assert_cmpint (count_orders (f, store), ==, 1);
  g_assert_cmpint (on_hand (f), ==, 8);
  g_assert_cmpint (cp_sql_query_int (f->ledger, "SELECT reserved FROM stock_levels", -1), ==, 0);
  remove_store_secret (f, store);
}

static void
test_unknown_sku (ApiFixture    *f,
                  gconstpointer  data)
{
  g_autofree char *store = NULL;
  g_autofree char *key = NULL;
  g_autofree char *path = NULL;
  g_autoptr(ApiResponse) r1 = NULL;
  g_autoptr(ApiResponse) list = NULL;
  g_autoptr(ApiResponse) orders = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  CpUnmappedLine *line;
  JsonArray *array;

  if (!require_keyring ())
    return;
  store = add_store (f);
  key = api_fixture_new_key (f, "orders.read");
  api_fixture_start (f);

  r1 = post_order_take (f, store, "d-60",
                   order_json ("1007", "completed", "2026-11-23T15:00:00Z", "NEW-SKU-9", NULL));
  wait_processed (f);
  g_assert_cmpint (count_orders (f, store), ==, 1);
  g_assert_cmpint (on_hand (f), ==, 10);

  lines = cp_orders_list_needs_mapping (f->ledger, store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 1);
  line = g_ptr_array_index (lines, 0);
  g_assert_cmpstr (line->sku, ==, "NEW-SKU-9");
  g_assert_cmpstr (line->number, ==, "#1007");
  g_assert_cmpint (line->quantity, ==, 2);
  g_assert_cmpint (cp_orders_count_needs_mapping (f->ledger, NULL), ==, 1);

  /* GET /stores/{store}/orders, and its needs-mapping view. */
  path = g_strdup_printf ("/stores/%s/orders?needs_mapping=true", store);
  list = api_request (f, "GET", path, key, NULL, 0);
  g_assert_cmpuint (list->status, ==, 200);
  array = json_object_get_array_member (list->root, "data");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "sku"),
                   ==, "NEW-SKU-9");
  g_free (path);
  path = g_strdup_printf ("/stores/%s/orders", store);
  orders = api_request (f, "GET", path, key, NULL, 0);
  g_assert_cmpuint (orders->status, ==, 200);
  array = json_object_get_array_member (orders->root, "data");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "external_id"), ==, "1007");
  remove_store_secret (f, store);
}

static void
test_store_routes (ApiFixture    *f,
                   gconstpointer  data)
{
  g_autofree char *sync_key = api_fixture_new_key (f, "integrations.sync");
  g_autofree char *read_key = api_fixture_new_key (f, "integrations.read");
  g_autofree char *path = NULL;
  g_autoptr(ApiResponse) no_key = NULL;
  g_autoptr(ApiResponse) wrong_scope = NULL;
  g_autoptr(ApiResponse) no_engine = NULL;
  g_autoptr(ApiResponse) unknown = NULL;
  g_autoptr(ApiResponse) method = NULL;

  api_fixture_start (f);
  path = g_strdup_printf ("/stores/%s/sync/inventory", f->integration_id);
  no_key = api_request (f, "POST", path, NULL, NULL, 0);
  api_assert_error (no_key, 401, "authentication_error");
  wrong_scope = api_request (f, "POST", path, read_key, NULL, 0);
  api_assert_error (wrong_scope, 403, "authorization_error");
  no_engine = api_request (f, "POST", path, sync_key, NULL, 0);
  api_assert_error (no_engine, 503, "service_unavailable");
  unknown = api_request (f, "POST", "/stores/nope-1/sync/products", sync_key, NULL, 0);
  api_assert_error (unknown, 404, "not_found");
  method = api_request (f, "GET", path, sync_key, NULL, 0);
  api_assert_error (method, 405, "method_not_allowed");
}

/* ---- A kill between "stored" and "processed" ------------------------------------ */

static char *
crash_dir (void)
{
  return g_strdup_printf ("%s/cp-webhooks-crash-%d", g_get_tmp_dir (),
                          g_test_subprocess () ? (int) getppid () : (int) getpid ());
}

static void
test_restart (ApiFixture    *f,
              gconstpointer  data)
{
  g_autofree char *dir = crash_dir ();
  g_autofree char *ledger_path = g_build_filename (dir, "ledger.sqlite3", NULL);
  g_autofree char *store_path = g_build_filename (dir, "store", NULL);
  g_autofree char *store = NULL;
  g_autoptr(GError) error = NULL;

  if (g_test_subprocess ())
    {
      /* The fixture made its own ledger; this run uses the parent's. */
      g_autofree char *body = NULL;
      g_autofree char *url = NULL;
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) request = NULL;
      g_autofree char *signature = NULL;

      g_setenv ("CP_CRASH_AT", CP_WEBHOOKS_CRASH_AFTER_STORED, TRUE);
      g_clear_object (&f->ledger);
      /* This run is killed: its fixture's own folder goes now. */
      for (const char *const *name = (const char *const[]) { "ledger.sqlite3", "ledger.sqlite3-wal",
                                                             "ledger.sqlite3-shm", NULL };
           *name != NULL; name++)
        {
          g_autofree char *own = g_build_filename (f->dir, *name, NULL);
          g_unlink (own);
        }
      g_rmdir (f->dir);
      g_free (f->ledger_path);
      f->ledger_path = g_strdup (ledger_path);
      f->ledger = cp_ledger_open (f->ledger_path, &error);
      g_assert_no_error (error);
      g_file_get_contents (store_path, &store, NULL, &error);
      g_assert_no_error (error);
      api_fixture_start (f);

      body = order_json ("1008", "completed", "2026-11-23T16:00:00Z", SKU, NULL);
      url = g_strdup_printf ("%s/stores/%s/webhooks/orders", f->base_url, store);
      msg = soup_message_new ("POST", url);
      signature = cp_webhooks_sign (SECRET, body, strlen (body));
      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "X-Shopify-Hmac-Sha256", signature);
      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "X-Shopify-Webhook-Id", "d-70");
      request = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", request);
      /* The answer may or may not get out before the kill. */
      g_clear_pointer (&request, g_bytes_unref);
      request = soup_session_send_and_read (f->session, msg, NULL, NULL);
      /* The idle processing runs next on the server's thread and dies. */
      g_usleep (30 * G_USEC_PER_SEC);
      g_assert_not_reached ();
    }

  if (!require_keyring ())
    return;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_clear_object (&f->ledger);
  g_free (f->ledger_path);
  f->ledger_path = g_strdup (ledger_path);
  f->ledger = cp_ledger_open (f->ledger_path, &error);
  g_assert_no_error (error);
  store = add_store (f);
  g_file_set_contents (store_path, store, -1, &error);
  g_assert_no_error (error);

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDOUT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*cp-crash-point: killed at " CP_WEBHOOKS_CRASH_AFTER_STORED "*");

  /* Stored, not processed. */
  g_assert_cmpint (cp_webhooks_count (f->ledger, store, "received"), ==, 1);
  g_assert_cmpint (count_orders (f, store), ==, 0);

  /* The next start processes it. */
  api_fixture_start (f);
  wait_processed (f);
  g_assert_cmpint (cp_webhooks_count (f->ledger, store, "processed"), ==, 1);
  g_assert_cmpint (count_orders (f, store), ==, 1);
  g_assert_cmpint (on_hand (f), ==, 8);
  api_fixture_stop (f);

  remove_store_secret (f, store);
  g_clear_object (&f->ledger);
  for (const char *const *name = (const char *const[]) { "ledger.sqlite3", "ledger.sqlite3-wal",
                                                         "ledger.sqlite3-shm", "store", NULL };
       *name != NULL; name++)
    {
      g_autofree char *path = g_build_filename (dir, *name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  cp_connector_register_platform (&test_wh_platform);

  g_test_add_func ("/webhooks/signature", test_signature);
  g_test_add_func ("/webhooks/signature/published-vector", test_signature_vector);
  g_test_add_func ("/webhooks/ping/form", test_ping_unit);
  WEBHOOK_TEST ("http/good-signature-stored-then-imported", test_good_delivery);
  WEBHOOK_TEST ("http/bad-or-missing-signature-401", test_bad_signature);
  WEBHOOK_TEST ("http/old-deliveries-forgotten-at-start", test_purge_at_start);
  WEBHOOK_TEST ("http/woocommerce-ping", test_ping);
  WEBHOOK_TEST ("http/replayed-and-redelivered", test_duplicates);
  WEBHOOK_TEST ("http/limits-413-400", test_limits);
  WEBHOOK_TEST ("import/cancel-restocks-once", test_cancel_restocks_once);
  WEBHOOK_TEST ("import/refunds", test_refunds);
  WEBHOOK_TEST ("import/payment-gate", test_payment_gate);
  WEBHOOK_TEST ("import/unknown-sku-needs-mapping", test_unknown_sku);
  WEBHOOK_TEST ("routes/sync-and-orders", test_store_routes);
  WEBHOOK_TEST ("restart/processes-what-a-kill-left", test_restart);

  return g_test_run ();
}
