/* test-store-unpaid.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 4: "import gates per payment status", and "an order imported
 * from a channel reserves or decrements stock at once so the other
 * channels learn before the next pull" (cp-orders-reserve.h). Through
 * the real engine and the real WooCommerce connector, against the
 * sandbox's WooCommerce fake on loopback:
 *
 *  - an order awaiting payment is recorded at once ("awaiting_payment"),
 *    its goods reserved, not sold: on hand stays, the store is told the
 *    lower availability;
 *  - a second pull over it (the overlap) changes nothing;
 *  - paid on the store, the next pull makes it one sale: the reservation
 *    gone, on hand down once; a webhook saying "paid" again, and another
 *    pull, change nothing;
 *  - another unpaid order cancelled on the store is released: nothing
 *    sold, nothing returned, the store offered the units again;
 *  - either change, seen by the pull, is one activity event, worded as
 *    the webhook path words it, and never again on a replay;
 *  - an order first seen already cancelled or refunded takes nothing.
 */

#define G_LOG_DOMAIN "test-store-unpaid"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "cp-catalog.h"
#include "cp-connector.h"
#include "cp-connectors.h"
#include "cp-engine-private.h"
#include "cp-integrations.h"
#include "cp-sandbox-server.h"
#include "cp-sandbox-woocommerce.h"
#include "cp-sql.h"
#include "cp-stock.h"
#include "cp-webhooks.h"
#include "cp-woocommerce-connector.h"
#include "cp-woocommerce-private.h"
#include "test-engine-common.h"

#define SKU "UNP-001"
#define ON_HAND 10

typedef struct
{
  char                 *dir;
  char                 *path;
  CpLedger             *ledger;
  CpSandboxServer      *server;
  CpSandboxWoocommerce *woo;
  guint                 product_id;
  char                 *url;
  char                 *id;
  CpEngine             *engine;
} Fixture;

static char *
lookup_credentials (const char  *integration_id,
                    gpointer     user_data,
                    GError     **error)
{
  /* The subject is the payment gate, not the keyring. */
  return g_strdup ("{\"consumer_key\":\"" CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY "\","
                   "\"consumer_secret\":\"" CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET "\","
                   "\"webhook_secret\":\"whsec-test\"}");
}

static char *
webhook_credentials (CpLedger    *ledger,
                     const char  *integration_id,
                     gpointer     user_data,
                     GError     **error)
{
  return lookup_credentials (integration_id, user_data, error);
}

static void
run_once (Fixture *f)
{
  CpEngineSlot *slot;

  g_assert_cmpint (engine_test_run_once_ok (f->engine, 30 * G_USEC_PER_SEC), ==,
                   CP_ENGINE_OUTCOME_DONE);

  /* The pace the connector keeps for a store that publishes no limit
   * refills in real seconds; a few runs must not wait for it. */
  slot = g_hash_table_lookup (f->engine->slots, f->id);
  if (slot != NULL && slot->connector != NULL)
    {
      g_autoptr(CpRateLimiter) fresh = cp_rate_limiter_new (1e6, 1e6, g_get_monotonic_time ());

      cp_woocommerce_connector_set_rate_limiter (CP_WOOCOMMERCE_CONNECTOR (slot->connector), fresh);
    }
  if (slot != NULL && slot->own_limiter != NULL)
    {
      g_clear_object (&slot->own_limiter);
      slot->own_limiter = cp_rate_limiter_new (1e6, 1e6, g_get_monotonic_time ());
    }
}

static gint64
query_int (Fixture    *f,
           const char *sql)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  stmt = cp_ledger_prepare (f->ledger, sql, &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, f->id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

/* The activity events of the integration whose message has TEXT. */
static gint64
events_with (Fixture    *f,
             const char *text)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  stmt = cp_ledger_prepare (f->ledger,
                            "SELECT count (*) FROM activity WHERE integration_id = ?1"
                            " AND type = 'OrderReceivedFromStore' AND instr (message, ?2) > 0",
                            &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, f->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static CpStockLevel *
level (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  CpStockLevel *level = cp_stock_get (f->ledger, SKU, "MAIN", &error);

  g_assert_no_error (error);
  return level;
}

/* The ledger's on hand and reserved, and what the store shows. */
static void
assert_stock (Fixture *f,
              gint64   on_hand,
              gint64   reserved)
{
  g_autoptr(CpStockLevel) now = level (f);

  g_assert_cmpint (now->on_hand, ==, on_hand);
  g_assert_cmpint (now->reserved, ==, reserved);
  g_assert_cmpint (now->available, ==, on_hand - reserved);
  g_assert_cmpint (cp_sandbox_woocommerce_get_stock (f->woo, SKU), ==, on_hand - reserved);
}

static char *
status_of (Fixture *f,
           guint    order_id)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *external_id = g_strdup_printf ("%u", order_id);

  stmt = cp_ledger_prepare (f->ledger,
                            "SELECT status FROM orders WHERE source = ?1 AND external_id = ?2",
                            &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, f->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, external_id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static char *
order_json (Fixture    *f,
            guint       id,
            const char *status,
            gint64      quantity)
{
  g_autofree char *id_members = id > 0 ? g_strdup_printf ("\"id\":%u,\"number\":\"%u\",", id, id)
                                       : g_strdup ("");

  return g_strdup_printf ("{%s\"status\":\"%s\",\"date_created_gmt\":\"2026-11-23T10:00:00\","
                          "\"line_items\":[{\"id\":1,"
                          "\"name\":\"Unpaid product\",\"product_id\":%u,\"variation_id\":0,"
                          "\"quantity\":%" G_GINT64_FORMAT ",\"subtotal\":\"9.00\","
                          "\"total\":\"9.00\",\"total_tax\":\"0.00\",\"sku\":\"" SKU "\","
                          "\"price\":4.5}],\"total\":\"9.00\",\"refunds\":[]}",
                          id_members, status, f->product_id, quantity);
}

/* What a person does in WP admin: PUT /orders/{id} with a new status. */
static void
set_store_status (Fixture    *f,
                  guint       order_id,
                  const char *status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("%s/wp-json/wc/v3/orders/%u", f->url, order_id);
  g_autofree char *json = g_strdup_printf ("{\"status\":\"%s\"}", status);
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *nonce = g_strdup_printf ("%s-%u", status, order_id);
  g_autofree char *signature = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *uri = NULL;

  /* Over plain http WooCommerce wants OAuth 1.0a, as the connector signs. */
  g_hash_table_insert (params, (char *) "oauth_consumer_key",
                       (char *) CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY);
  g_hash_table_insert (params, (char *) "oauth_nonce", nonce);
  g_hash_table_insert (params, (char *) "oauth_signature_method", (char *) "HMAC-SHA256");
  g_hash_table_insert (params, (char *) "oauth_timestamp", timestamp);
  signature = woo_oauth_signature ("PUT", url, params, CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET,
                                   G_CHECKSUM_SHA256);
  escaped = g_uri_escape_string (signature, NULL, FALSE);
  uri = g_strdup_printf ("%s?oauth_consumer_key=%s&oauth_nonce=%s"
                         "&oauth_signature_method=HMAC-SHA256&oauth_timestamp=%s"
                         "&oauth_signature=%s", url, CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY, nonce,
                         timestamp, escaped);

  msg = soup_message_new ("PUT", uri);
  g_assert_nonnull (msg);
  body = g_bytes_new (json, strlen (json));
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_free (json);
  json = cp_sandbox_woocommerce_dup_order_status (f->woo, order_id);
  g_assert_cmpstr (json, ==, status);
}

/* The store's webhook for ORDER_ID with STATUS, stored and processed. */
static void
deliver_webhook (Fixture    *f,
                 guint       order_id,
                 const char *status,
                 gint64      quantity,
                 const char *delivery_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = order_json (f, order_id, status, quantity);
  g_autofree char *resource = g_strdup_printf ("order:%u", order_id);
  CpWebhookMeta meta = { (char *) delivery_id, (char *) "order.updated", resource,
                         (char *) delivery_id };
  CpWebhookStoreResult stored;
  gint64 delivery = 0;
  guint processed = 0;

  g_assert_true (cp_webhooks_store (f->ledger, f->id, CP_WEBHOOK_KIND_ORDERS, &meta, body,
                                    strlen (body), &delivery, &stored, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stored, ==, CP_WEBHOOK_STORED);
  g_assert_true (cp_webhooks_process_pending (f->ledger, f->id, NULL, webhook_credentials, NULL,
                                              0, &processed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (processed, ==, 1);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const permissions[] = { CP_PERMISSION_ORDERS_PULL,
                                              CP_PERMISSION_INVENTORY_SYNC, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) variant = cp_variant_new ();
  g_autoptr(CpConnector) connector = NULL;
  g_autoptr(CpMappingReport) report = NULL;
  g_autofree char *credentials = NULL;

  memset (f, 0, sizeof *f);
  cp_connectors_register_all ();

  f->server = cp_sandbox_server_new ();
  f->woo = cp_sandbox_woocommerce_new_sized (0, 0, 0);
  f->product_id = cp_sandbox_woocommerce_add_product (f->woo, SKU, "Unpaid product", 450, 0);
  cp_sandbox_server_add_platform (f->server, CP_SANDBOX_PLATFORM (f->woo));
  g_assert_true (cp_sandbox_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->url = cp_sandbox_server_dup_platform_url (f->server, "woocommerce");

  f->dir = g_dir_make_tmp ("cp-store-unpaid-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "ledger.sqlite3", NULL);
  f->ledger = cp_ledger_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (cp_locations_add (f->ledger, "MAIN", "Main store", "USD", NULL, &error));
  variant->sku = g_strdup (SKU);
  variant->product_handle = g_strdup ("unpaid");
  variant->product_name = g_strdup ("Unpaid product");
  variant->price_minor = 450;
  memcpy (variant->currency, "USD", 4);
  g_assert_true (cp_catalog_upsert_variant (f->ledger, variant, NULL, NULL, &error));
  g_assert_no_error (error);

  f->id = cp_integrations_add (f->ledger, "woocommerce", "My Shop", f->url, permissions, &error);
  g_assert_no_error (error);
  credentials = lookup_credentials (f->id, NULL, NULL);
  connector = cp_connector_new_for_platform ("woocommerce", f->id, f->url, credentials, &error);
  g_assert_no_error (error);
  report = cp_connector_refresh_mappings (connector, f->ledger, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->matched->len, ==, 1);

  /* Received once linked, so the store learns it at the first sync. */
  g_assert_true (cp_stock_adjust (f->ledger, SKU, "MAIN", ON_HAND, CP_STOCK_REASON_RECEIVED, NULL,
                                  NULL, "test", NULL, &error));
  g_assert_no_error (error);

  f->engine = cp_engine_new (f->path);
  cp_engine_set_credentials_lookup (f->engine, lookup_credentials, NULL, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->engine);
  g_clear_object (&f->ledger);
  cp_sandbox_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->woo);
  if (f->dir != NULL)
    {
      engine_test_remove_ledger (f->path);
      g_rmdir (f->dir);
    }
  g_free (f->dir);
  g_free (f->path);
  g_free (f->url);
  g_free (f->id);
}

static void
test_paid (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *json = order_json (f, 0, "pending", 2);
  g_autofree char *status = NULL;
  guint order_id;

  run_once (f);
  assert_stock (f, ON_HAND, 0);

  /* Placed, not paid: recorded, reserved, the store told at once. */
  order_id = cp_sandbox_woocommerce_add_order_json (f->woo, json);
  g_assert_cmpuint (order_id, >, 0);
  run_once (f);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM orders WHERE source = ?1"), ==, 1);
  status = status_of (f, order_id);
  g_assert_cmpstr (status, ==, "awaiting_payment");
  assert_stock (f, ON_HAND, 2);

  /* The overlap reads it again: nothing changes. */
  run_once (f);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM orders WHERE source = ?1"), ==, 1);
  assert_stock (f, ON_HAND, 2);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM stock_movements "
                                 "WHERE reason = 'sold' AND actor = ?1"), ==, 0);

  /* Paid on the store: one sale, the reservation gone. */
  set_store_status (f, order_id, "processing");
  run_once (f);
  g_clear_pointer (&status, g_free);
  status = status_of (f, order_id);
  g_assert_cmpstr (status, ==, "processing");
  assert_stock (f, ON_HAND - 2, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM stock_movements "
                                 "WHERE reason = 'sold' AND actor = ?1"), ==, 1);
  /* Told as a webhook saying so would tell it, once. */
  g_assert_cmpint (events_with (f, "on “My Shop” is now “Processing”"), ==, 1);

  /* The store's webhook saying so, twice, and another pull: nothing. */
  deliver_webhook (f, order_id, "processing", 2, "d-1");
  deliver_webhook (f, order_id, "processing", 2, "d-2");
  run_once (f);
  assert_stock (f, ON_HAND - 2, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM stock_movements "
                                 "WHERE reason = 'sold' AND actor = ?1"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM orders WHERE source = ?1"), ==, 1);
  g_assert_cmpint (events_with (f, "is now “Processing”"), ==, 1);
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *json = order_json (f, 0, "on-hold", 3);
  g_autofree char *status = NULL;
  guint order_id;

  order_id = cp_sandbox_woocommerce_add_order_json (f->woo, json);
  run_once (f);
  assert_stock (f, ON_HAND, 3);

  set_store_status (f, order_id, "cancelled");
  run_once (f);
  status = status_of (f, order_id);
  g_assert_cmpstr (status, ==, "cancelled");
  assert_stock (f, ON_HAND, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM stock_movements WHERE actor = ?1"), ==, 0);
  g_assert_cmpint (events_with (f, "was cancelled on “My Shop”: 3 items"), ==, 1);

  /* Redelivered, and pulled again: nothing. */
  deliver_webhook (f, order_id, "cancelled", 3, "d-3");
  run_once (f);
  assert_stock (f, ON_HAND, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM stock_movements WHERE actor = ?1"), ==, 0);
  g_assert_cmpint (events_with (f, "cancelled"), ==, 1);
}

/* First seen (pulled) already cancelled, or refunded in full: nothing
 * was sold. Recorded with its status, it takes no stock, and the store
 * is not told of a drop that never was; pulled again, still nothing. */
static void
test_first_seen_cancelled (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *cancelled_json = order_json (f, 0, "cancelled", 2);
  g_autofree char *refunded_json = order_json (f, 0, "refunded", 3);
  g_autofree char *status = NULL;
  guint cancelled_id;
  guint refunded_id;

  run_once (f);
  assert_stock (f, ON_HAND, 0);

  cancelled_id = cp_sandbox_woocommerce_add_order_json (f->woo, cancelled_json);
  refunded_id = cp_sandbox_woocommerce_add_order_json (f->woo, refunded_json);
  g_assert_cmpuint (cancelled_id, >, 0);
  g_assert_cmpuint (refunded_id, >, 0);
  for (guint round = 0; round < 2; round++)
    {
      run_once (f);
      g_assert_cmpint (query_int (f, "SELECT count(*) FROM orders WHERE source = ?1"), ==, 2);
      assert_stock (f, ON_HAND, 0);
      g_assert_cmpint (query_int (f, "SELECT count(*) FROM stock_movements WHERE actor = ?1"),
                       ==, 0);
    }
  status = status_of (f, cancelled_id);
  g_assert_cmpstr (status, ==, "cancelled");
  g_clear_pointer (&status, g_free);
  status = status_of (f, refunded_id);
  g_assert_cmpstr (status, ==, "refunded");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store-unpaid/woocommerce/paid", Fixture, NULL, fixture_setup, test_paid,
              fixture_teardown);
  g_test_add ("/store-unpaid/woocommerce/cancelled", Fixture, NULL, fixture_setup,
              test_cancelled, fixture_teardown);
  g_test_add ("/store-unpaid/woocommerce/first-seen-cancelled", Fixture, NULL, fixture_setup,
              test_first_seen_cancelled, fixture_teardown);
  return g_test_run ();
}
