/* test-ecomv2-golden.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ecomv2 connector against answers shaped exactly as seed 001
 * documents them (fixtures/ecomv2/, copied from the seed's examples: the
 * pagination objects, the inventory record, the money object, the error
 * format), served by a SoupServer of the test's own, so the connector is
 * not only tested against our own fake. The test also sees what the
 * connector sends.
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cp-connectors.h"
#include "cp-ecomv2-connector.h"
#include "cp-integrations.h"
#include "cp-orders.h"
#include "cp-outbox.h"

#include "ecomv2-test-util.h"

#define GOLDEN_KEY "golden_key_42"

typedef struct
{
  guint   status;
  char   *file;       /* under fixtures/ecomv2, or NULL */
  char   *body;       /* inline body, or NULL */
  GStrv   headers;    /* name, value, … */
} Route;

typedef struct
{
  GMutex        lock;
  GCond         ready;
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  guint         port;
  GHashTable   *routes;        /* "GET /v2/products" → Route */
  GPtrArray    *requests;      /* "METHOD /path?query" */
  char         *last_body;
  char         *last_auth;

  TestLedger     t;
  CpConnector   *connector;
  TestWillSend   ws;
  CpPushContext *push_context;
} Fixture;

static void
route_free (Route *route)
{
  g_free (route->file);
  g_free (route->body);
  g_strfreev (route->headers);
  g_free (route);
}

static void
set_route (Fixture    *f,
           const char *key,
           guint       status,
           const char *file,
           const char *body,
           ...)
{
  Route *route = g_new0 (Route, 1);
  g_autoptr(GStrvBuilder) headers = g_strv_builder_new ();
  const char *name;
  va_list args;

  route->status = status;
  route->file = g_strdup (file);
  route->body = g_strdup (body);
  va_start (args, body);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      g_strv_builder_add (headers, name);
      g_strv_builder_add (headers, va_arg (args, const char *));
    }
  va_end (args);
  route->headers = g_strv_builder_end (headers);

  g_mutex_lock (&f->lock);
  g_hash_table_replace (f->routes, g_strdup (key), route);
  g_mutex_unlock (&f->lock);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *f = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *query_text = g_uri_get_query (soup_server_message_get_uri (msg));
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autofree char *key = g_strconcat (method, " ", path, NULL);
  g_autofree char *cursor_key = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  Route *route;

  g_mutex_lock (&f->lock);
  g_ptr_array_add (f->requests, g_strdup_printf ("%s%s%s", key, query_text ? "?" : "",
                                                 query_text ? query_text : ""));
  g_free (f->last_body);
  f->last_body = g_strndup (request_body->data, request_body->length);
  g_free (f->last_auth);
  f->last_auth = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                         "Authorization"));
  /* The next page of a cursor listing is a route of its own. */
  if (query != NULL && g_hash_table_contains (query, "cursor"))
    cursor_key = g_strconcat (key, "?cursor=", (char *) g_hash_table_lookup (query, "cursor"), NULL);
  route = cursor_key != NULL ? g_hash_table_lookup (f->routes, cursor_key) : NULL;
  if (route == NULL)
    route = g_hash_table_lookup (f->routes, key);

  if (route == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      g_mutex_unlock (&f->lock);
      return;
    }
  if (route->file != NULL)
    {
      g_autofree char *file = g_test_build_filename (G_TEST_DIST, "connectors", "fixtures",
                                                     "ecomv2", route->file, NULL);
      g_autoptr(GError) error = NULL;

      g_file_get_contents (file, &contents, &length, &error);
      g_assert_no_error (error);
    }
  else if (route->body != NULL)
    {
      contents = g_strdup (route->body);
      length = strlen (contents);
    }
  for (guint i = 0; route->headers[i] != NULL; i += 2)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  route->headers[i], route->headers[i + 1]);
  soup_server_message_set_status (msg, route->status, NULL);
  if (contents != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                      g_steal_pointer (&contents), length);
  g_mutex_unlock (&f->lock);
}

/* The server lives in a thread with its own main context: the connector
 * is synchronous on the test's thread. */
static gpointer
server_thread (gpointer data)
{
  Fixture *f = data;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (f->context);
  server = soup_server_new ("server-header", "golden", NULL);
  soup_server_add_handler (server, NULL, handler_cb, f, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);

  g_mutex_lock (&f->lock);
  f->port = g_uri_get_port (uris->data);
  g_cond_signal (&f->ready);
  g_mutex_unlock (&f->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (f->loop);
  soup_server_disconnect (server);
  g_main_context_pop_thread_default (f->context);
  return NULL;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;

  cp_connectors_register_all ();
  g_mutex_init (&f->lock);
  g_cond_init (&f->ready);
  f->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) route_free);
  f->requests = g_ptr_array_new_with_free_func (g_free);
  f->context = g_main_context_new ();
  f->loop = g_main_loop_new (f->context, FALSE);

  g_mutex_lock (&f->lock);
  f->thread = g_thread_new ("golden-server", server_thread, f);
  while (f->port == 0)
    g_cond_wait (&f->ready, &f->lock);
  g_mutex_unlock (&f->lock);

  base = g_strdup_printf ("http://127.0.0.1:%u/v2", f->port);
  test_ledger_setup (&f->t, base);
  f->connector = cp_connector_new_for_platform ("ecomv2", f->t.integration_id, base,
                                                "{\"api_key\":\"" GOLDEN_KEY "\"}", &error);
  g_assert_no_error (error);
  cp_ecomv2_connector_set_max_inline_wait (CP_ECOMV2_CONNECTOR (f->connector), 0);
  f->push_context = test_push_context_new (&f->ws);

  set_route (f, "GET /v2/products", 200, "products-page.json", NULL, NULL);
  set_route (f, "GET /v2/inventory/prod_123", 200, "inventory.json", NULL, NULL);
  set_route (f, "GET /v2/orders", 200, "orders-page-1.json", NULL, NULL);
  set_route (f, "GET /v2/orders?cursor=eyJpZCI6MTIzfQ==", 200, "orders-page-2.json", NULL, NULL);
  set_route (f, "PATCH /v2/batch/update", 200, "batch-update.json", NULL, NULL);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->push_context, cp_push_context_free);
  test_will_send_clear (&f->ws);
  g_clear_object (&f->connector);
  test_ledger_teardown (&f->t);

  g_main_context_invoke (f->context, quit_cb, f->loop);
  g_thread_join (f->thread);
  g_main_loop_unref (f->loop);
  g_main_context_unref (f->context);
  g_hash_table_unref (f->routes);
  g_ptr_array_unref (f->requests);
  g_free (f->last_body);
  g_free (f->last_auth);
  g_mutex_clear (&f->lock);
  g_cond_clear (&f->ready);
}

static const char *
request (Fixture *f,
         guint    index)
{
  g_assert_cmpuint (index, <, f->requests->len);
  return g_ptr_array_index (f->requests, index);
}

static void
test_catalog (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *warehouse = NULL;
  g_autofree char *local = NULL;
  gint64 id;

  id = test_ledger_add_variant (&f->t, "HEADPHONE-001", "Headphones", 19999, 0);
  test_ledger_add_variant (&f->t, "MISSING-1", "Not on the store", 100, 0);
  test_ledger_add_variant (&f->t, "OLD-003", "Archived there", 100, 0);

  report = cp_connector_refresh_mappings (f->connector, f->t.ledger, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->matched->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (report->matched, 0), ==, "HEADPHONE-001");
  /* Archived is deleted (seed 001): not something to sync with. */
  g_assert_cmpuint (report->unmatched_local->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (report->unmatched_local, 0), ==, "MISSING-1");
  g_assert_cmpstr (g_ptr_array_index (report->unmatched_local, 1), ==, "OLD-003");
  g_assert_cmpuint (report->unmatched_remote->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (report->unmatched_remote, 0), ==, "SPEAKER-002");
  g_assert_cmpuint (report->locations->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (report->locations, 0), ==, "wh_001");

  local = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  remote = cp_integrations_get_remote_id (f->t.ledger, f->t.integration_id, "variant", local, &error);
  g_assert_cmpstr (remote, ==, "prod_123");
  warehouse = cp_integrations_get_remote_id (f->t.ledger, f->t.integration_id, "location", "MAIN", &error);
  g_assert_cmpstr (warehouse, ==, "wh_001");

  /* What went out: the seed's auth and its list parameters. */
  g_assert_cmpstr (f->last_auth, ==, "Bearer " GOLDEN_KEY);
  g_assert_true (g_str_has_prefix (request (f, 0), "GET /v2/products?"));
  g_assert_nonnull (strstr (request (f, 0), "limit=200"));
  g_assert_nonnull (strstr (request (f, 0), "page=1"));
  g_assert_cmpstr (request (f, 1), ==, "GET /v2/inventory/prod_123");
}

typedef struct
{
  GPtrArray *orders;
} Collect;

static gboolean
collect_cb (GPtrArray   *orders,
            const char  *page_cursor,
            gpointer     user_data,
            GError     **error)
{
  Collect *c = user_data;

  /* The engine owns nothing of the page: copy what the test checks. */
  for (guint i = 0; i < orders->len; i++)
    {
      CpOrder *order = g_ptr_array_index (orders, i);
      CpOrder *copy = cp_order_new ();

      copy->external_id = g_strdup (order->external_id);
      copy->number = g_strdup (order->number);
      copy->source = g_strdup (order->source);
      copy->status = g_strdup (order->status);
      copy->placed_at_us = order->placed_at_us;
      memcpy (copy->currency, order->currency, 4);
      for (guint k = 0; k < order->lines->len; k++)
        {
          CpOrderLine *line = g_ptr_array_index (order->lines, k);

          cp_order_add_line (copy, line->sku, line->name, line->quantity,
                             line->unit_price_minor, line->discount_minor, line->tax_minor);
        }
      g_ptr_array_add (c->orders, copy);
    }
  return TRUE;
}

static void
test_orders (Fixture       *f,
             gconstpointer  data)
{
  Collect c = { g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free) };
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(GDateTime) placed = g_date_time_new_utc (2026, 1, 15, 10, 30, 0);
  CpOrder *order;
  CpOrderLine *line;

  g_assert_true (cp_connector_pull_orders (f->connector, NULL, collect_cb, &c, &cursor, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c.orders->len, ==, 3);

  /* The seed's order example names a product, not a SKU: the connector
   * read the catalog to know it. */
  order = g_ptr_array_index (c.orders, 0);
  g_assert_cmpstr (order->external_id, ==, "ord_123");
  g_assert_cmpstr (order->source, ==, f->t.integration_id);
  g_assert_cmpstr (order->status, ==, "processing");
  g_assert_cmpstr (order->currency, ==, "USD");
  g_assert_cmpint (order->placed_at_us, ==, g_date_time_to_unix (placed) * G_USEC_PER_SEC);
  g_assert_cmpuint (order->lines->len, ==, 1);
  line = g_ptr_array_index (order->lines, 0);
  g_assert_cmpstr (line->sku, ==, "SPEAKER-002");
  g_assert_cmpint (line->quantity, ==, 2);
  g_assert_cmpint (line->unit_price_minor, ==, 19999);

  order = g_ptr_array_index (c.orders, 1);
  g_assert_cmpstr (order->status, ==, "completed");   /* delivered */
  line = g_ptr_array_index (order->lines, 0);
  g_assert_cmpstr (line->sku, ==, "HEADPHONE-001");
  g_assert_cmpstr (line->name, ==, "Premium Wireless Headphones");

  order = g_ptr_array_index (c.orders, 2);
  g_assert_cmpstr (order->status, ==, "awaiting_payment");   /* pending, not paid */
  g_assert_cmpint (((CpOrderLine *) g_ptr_array_index (order->lines, 0))->quantity, ==, 3);

  /* newest first by updated_at; the seed's cursor was followed */
  g_assert_nonnull (strstr (request (f, 0), "sort=-updated_at"));
  g_assert_nonnull (strstr (request (f, 2), "cursor=eyJpZCI6MTIzfQ%3D%3D"));
  g_assert_nonnull (cursor);
  g_ptr_array_unref (c.orders);
}

static void
test_money_as_double (Fixture       *f,
                      gconstpointer  data)
{
  Collect c = { g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free) };
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;

  /* {"price": 199.99} in an answer is not the seed's money object: never
   * read through a double. */
  set_route (f, "GET /v2/orders", 200, "money-as-double.json", NULL, NULL);
  g_assert_false (cp_connector_pull_orders (f->connector, NULL, collect_cb, &c, &cursor, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_REMOTE_BUG);
  g_assert_nonnull (cp_connector_error_get_exchange (error));
  g_assert_cmpuint (c.orders->len, ==, 0);
  g_ptr_array_unref (c.orders);
}

static GPtrArray *
jobs_for (Fixture    *f,
          const char *kind,
          gint64      first,
          ...)
{
  GPtrArray *jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);
  va_list args;

  va_start (args, first);
  for (gint64 id = first; id > 0; id = va_arg (args, gint64))
    {
      g_autofree char *payload = g_strdup_printf ("{\"variant_id\":%" G_GINT64_FORMAT "}", id);
      g_ptr_array_add (jobs, test_job_new (jobs->len + 1, kind, payload));
    }
  va_end (args);
  return jobs;
}

static void
test_batch_one_bad_record (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) errors = test_errors_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *updates;
  JsonObject *update;
  GError *bad;
  gint64 a = test_ledger_add_variant (&f->t, "HEADPHONE-001", "Headphones", 19999, 12);
  gint64 b = test_ledger_add_variant (&f->t, "SPEAKER-002", "Speaker", 14999, 3);

  report = cp_connector_refresh_mappings (f->connector, f->t.ledger, NULL, &error);
  g_assert_no_error (error);

  jobs = jobs_for (f, CP_JOB_STOCK_PUSH, a, b, (gint64) 0);
  g_assert_true (cp_connector_push (f->connector, f->t.ledger, f->push_context, CP_JOB_STOCK_PUSH,
                                    jobs, errors, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (g_ptr_array_index (errors, 0));
  bad = g_ptr_array_index (errors, 1);
  g_assert_error (bad, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (bad->message, "SPEAKER-002"));
  g_assert_nonnull (strstr (bad->message, "Invalid stock value"));

  /* §8's body: absolute available stock per warehouse. */
  g_assert_true (json_parser_load_from_data (parser, f->last_body, -1, NULL));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "resources"), ==, "products");
  updates = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "updates");
  g_assert_cmpuint (json_array_get_length (updates), ==, 2);
  update = json_array_get_object_element (updates, 0);
  g_assert_cmpstr (json_object_get_string_member (update, "id"), ==, "prod_123");
  g_assert_cmpint (json_object_get_int_member (update, "stock"), ==, 12);
  g_assert_cmpstr (json_object_get_string_member (update, "location"), ==, "wh_001");
}

static void
test_product_price_decimal (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) errors = test_errors_new ();
  g_autoptr(GError) error = NULL;
  gint64 a = test_ledger_add_variant (&f->t, "HEADPHONE-001", "Headphones \"Pro\"", 19999, 0);

  report = cp_connector_refresh_mappings (f->connector, f->t.ledger, NULL, &error);
  g_assert_no_error (error);
  set_route (f, "PATCH /v2/batch/update", 200, NULL,
             "{\"data\":[{\"id\":\"prod_123\",\"status\":\"updated\"}]}", NULL);

  jobs = jobs_for (f, CP_JOB_PRODUCT_PUSH, a, (gint64) 0);
  g_assert_true (cp_connector_push (f->connector, f->t.ledger, f->push_context, CP_JOB_PRODUCT_PUSH,
                                    jobs, errors, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (g_ptr_array_index (errors, 0));
  /* A decimal written from minor units, as the seed's requests show it. */
  g_assert_nonnull (strstr (f->last_body, "\"price\":199.99"));
  g_assert_nonnull (strstr (f->last_body, "\"name\":\"Headphones \\\"Pro\\\"\""));
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reset = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC + 30);
  g_autofree char *deep = NULL;
  g_autoptr(GString) nested = g_string_new ("{\"data\":");
  g_autoptr(CpRateLimiter) fresh = cp_rate_limiter_new_default (g_get_monotonic_time ());
  gint64 wait;

  set_route (f, "GET /v2/products", 401, "error-401.json", NULL, NULL);
  g_assert_false (cp_connector_test (f->connector, NULL, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "req_abc124"));
  g_clear_error (&error);

  set_route (f, "GET /v2/products", 403, "error-403.json", NULL, NULL);
  g_assert_false (cp_connector_test (f->connector, NULL, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "authorization_error"));
  g_clear_error (&error);

  /* No Retry-After: the wait comes from X-RateLimit-Reset. */
  set_route (f, "GET /v2/products", 429, "error-429.json", NULL,
             "X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "0",
             "X-RateLimit-Reset", reset, NULL);
  g_assert_false (cp_connector_test (f->connector, NULL, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_RATE_LIMITED);
  wait = cp_connector_error_get_wait_us (error);
  g_assert_cmpint (wait, >, 25 * G_USEC_PER_SEC);
  g_assert_cmpint (wait, <=, 30 * G_USEC_PER_SEC);
  g_clear_error (&error);
  /* A fresh budget, as after the wait. */
  cp_ecomv2_connector_set_rate_limiter (CP_ECOMV2_CONNECTOR (f->connector), fresh);

  set_route (f, "GET /v2/products", 200, "wrong-shape.json", NULL, NULL);
  g_assert_false (cp_connector_refresh_mappings (f->connector, f->t.ledger, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_REMOTE_BUG);
  g_assert_true (cp_connector_error_is_retryable (error));
  g_clear_error (&error);

  /* Redirects are not followed: the key must not travel to another host. */
  set_route (f, "GET /v2/products", 302, NULL, NULL, "Location", "http://127.0.0.2/steal", NULL);
  g_assert_false (cp_connector_test (f->connector, NULL, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_CONFIG);
  g_clear_error (&error);

  /* Nested past what json-glib survives: refused before it parses. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (nested, '[');
  deep = g_string_free (g_steal_pointer (&nested), FALSE);
  set_route (f, "GET /v2/products", 200, NULL, deep, NULL);
  g_assert_false (cp_connector_test (f->connector, NULL, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_REMOTE_BUG);
}

static void
test_batch_refused_whole (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) errors = test_errors_new ();
  g_autoptr(GError) error = NULL;
  gint64 a = test_ledger_add_variant (&f->t, "HEADPHONE-001", "Headphones", 19999, 1);
  gint64 b = test_ledger_add_variant (&f->t, "SPEAKER-002", "Speaker", 14999, 1);
  GError *bad;

  report = cp_connector_refresh_mappings (f->connector, f->t.ledger, NULL, &error);
  g_assert_no_error (error);
  set_route (f, "PATCH /v2/batch/update", 422, "error-422.json", NULL, NULL);

  /* Two records: the request as a whole is refused and names neither, so
   * the engine is told (and sends them one by one). */
  jobs = jobs_for (f, CP_JOB_STOCK_PUSH, a, b, (gint64) 0);
  g_assert_false (cp_connector_push (f->connector, f->t.ledger, f->push_context, CP_JOB_STOCK_PUSH,
                                     jobs, errors, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_INVALID_DATA);
  g_assert_cmpuint (errors->len, ==, 0);
  g_clear_error (&error);
  g_clear_pointer (&jobs, g_ptr_array_unref);

  /* One record: it is the culprit, isolated as that job's error. */
  jobs = jobs_for (f, CP_JOB_STOCK_PUSH, b, (gint64) 0);
  g_assert_true (cp_connector_push (f->connector, f->t.ledger, f->push_context, CP_JOB_STOCK_PUSH,
                                    jobs, errors, NULL, &error));
  g_assert_no_error (error);
  bad = g_ptr_array_index (errors, 0);
  g_assert_error (bad, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (bad->message, "Invalid email format"));
  g_assert_nonnull (strstr (bad->message, "req_abc123"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/ecomv2/golden/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("catalog", test_catalog);
  ADD ("orders", test_orders);
  ADD ("money-as-double", test_money_as_double);
  ADD ("batch-one-bad-record", test_batch_one_bad_record);
  ADD ("batch-refused-whole", test_batch_refused_whole);
  ADD ("product-price-decimal", test_product_price_decimal);
  ADD ("errors", test_errors);

#undef ADD

  return g_test_run ();
}
