/* test-sandbox-ecomv2.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ecomv2 fake over real HTTP on loopback, against what seed 001 and
 * shared/platforms.md §8 document.
 */

#include "config.h"

#include <string.h>

#include "sandbox-test-util.h"

typedef SandboxFixture Fixture;

static JsonObject *
obj (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  const char *keys[] = { "test_other", NULL };
  const char *bad_keys[] = { NULL, "wrong_key" };

  for (guint i = 0; i < G_N_ELEMENTS (bad_keys); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(SoupMessage) msg = sandbox_request (f, "GET", "/products", bad_keys[i], NULL,
                                                    NULL, &body, &error);
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                                 g_bytes_get_size (body), NULL));
      g_assert_cmpstr (sandbox_assert_error (json_parser_get_root (parser)), ==, "authentication_error");
    }

  g_assert_cmpuint (sandbox_call (f, "GET", "/products", NULL, NULL, NULL), ==, 200);

  /* Replacing the keys revokes the default one. */
  cp_sandbox_ecomv2_set_api_keys (f->ecomv2, keys);
  g_assert_cmpuint (sandbox_call (f, "GET", "/products", NULL, NULL, NULL), ==, 401);
}

static void
walk_pages (Fixture    *f,
            const char *collection,
            const char *extra,
            gboolean    cursor_mode,
            GHashTable *seen,
            GPtrArray  *order)
{
  g_autofree char *cursor = g_strdup ("");
  guint page = 1, n_requests = 0;

  for (;;)
    {
      g_autoptr(JsonNode) json = NULL;
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, TRUE);
      g_autofree char *path = cursor_mode
        ? g_strdup_printf ("/%s?limit=37&cursor=%s%s", collection, escaped, extra)
        : g_strdup_printf ("/%s?limit=37&page=%u%s", collection, page, extra);
      JsonObject *pagination;
      JsonArray *items;

      g_assert_cmpuint (sandbox_call (f, "GET", path, NULL, &json, NULL), ==, 200);
      g_assert_cmpuint (++n_requests, <, 100);
      items = json_object_get_array_member (obj (json), "data");
      pagination = json_object_get_object_member (obj (json), "pagination");
      g_assert_cmpuint (json_array_get_length (items), <=, 37);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          const char *id = json_object_get_string_member (item, "id");

          /* every item exactly once */
          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, g_strdup (id));
          if (order != NULL)
            g_ptr_array_add (order, g_strdup (json_object_get_string_member (item, "updated_at")));
        }

      if (cursor_mode)
        {
          if (!json_object_get_boolean_member (pagination, "has_more"))
            {
              g_assert_true (json_object_get_null_member (pagination, "next_cursor"));
              break;
            }
          g_free (cursor);
          cursor = g_strdup (json_object_get_string_member (pagination, "next_cursor"));
          g_assert_nonnull (cursor);
        }
      else
        {
          g_assert_cmpint (json_object_get_int_member (pagination, "page"), ==, page);
          g_assert_cmpint (json_object_get_int_member (pagination, "limit"), ==, 37);
          g_assert_cmpint (json_object_get_boolean_member (pagination, "has_previous"), ==, page > 1);
          if (!json_object_get_boolean_member (pagination, "has_next"))
            {
              g_assert_cmpint (json_object_get_int_member (pagination, "total_pages"), ==, page);
              g_assert_cmpint (json_object_get_int_member (pagination, "total_items"), ==,
                               g_hash_table_size (seen));
              break;
            }
          page++;
        }
    }
}

static void
test_pagination_products (Fixture       *f,
                          gconstpointer  data)
{
  for (int mode = 0; mode < 2; mode++)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      walk_pages (f, "products", "", mode == 1, seen, NULL);
      g_assert_cmpuint (g_hash_table_size (seen), ==, cp_sandbox_ecomv2_get_n_products (f->ecomv2));
      g_assert_cmpuint (g_hash_table_size (seen), ==, 300);
    }
}

static void
test_pagination_orders_sorted (Fixture       *f,
                               gconstpointer  data)
{
  for (int mode = 0; mode < 2; mode++)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);

      walk_pages (f, "orders", "&sort=-updated_at", mode == 1, seen, order);
      g_assert_cmpuint (g_hash_table_size (seen), ==, 120);
      for (guint i = 1; i < order->len; i++)
        g_assert_cmpstr (order->pdata[i - 1], >=, order->pdata[i]);
    }
}

static void
test_pagination_errors (Fixture       *f,
                        gconstpointer  data)
{
  const char *bad[] = {
    "/products?limit=201", "/products?limit=0", "/products?page=0",
    "/products?cursor=not-a-cursor", "/products?sort=colour", "/orders?date_from=yesterday",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) json = NULL;

      g_assert_cmpuint (sandbox_call (f, "GET", bad[i], NULL, &json, NULL), ==, 400);
      g_assert_cmpstr (sandbox_assert_error (json), ==, "validation_error");
    }

  {
    g_autoptr(JsonNode) json = NULL;

    g_assert_cmpuint (sandbox_call (f, "GET", "/products?limit=200", NULL, &json, NULL), ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (json), "data")), ==, 200);
  }
}

static void
test_etag (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *etag = NULL;

  g_assert_cmpuint (sandbox_call (f, "GET", "/products/EC-00001", NULL, NULL, &headers), ==, 200);
  etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
  g_assert_nonnull (etag);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) body = NULL;
    g_autofree char *text = NULL;
    g_autoptr(SoupMessage) msg = sandbox_request (f, "GET", "/products/EC-00001",
                                                  CP_SANDBOX_ECOMV2_DEFAULT_KEY, NULL, etag,
                                                  &body, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 304);
    g_assert_cmpuint (g_bytes_get_size (body), ==, 0);
  }

  /* A change makes the old tag stale. */
  g_assert_cmpuint (sandbox_call (f, "PUT", "/products/EC-00001", "{\"name\":\"Renamed\"}", NULL, NULL), ==, 200);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) body = NULL;
    g_autofree char *text = NULL;
    g_autoptr(SoupMessage) msg = sandbox_request (f, "GET", "/products/EC-00001",
                                                  CP_SANDBOX_ECOMV2_DEFAULT_KEY, NULL, etag,
                                                  &body, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag"), !=, etag);
    /* GBytes from libsoup are not NUL-terminated. */
    text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    g_assert_nonnull (strstr (text, "Renamed"));
  }
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  const char *keys[] = { CP_SANDBOX_ECOMV2_DEFAULT_KEY, "test_second", NULL };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  cp_sandbox_ecomv2_set_api_keys (f->ecomv2, keys);
  cp_sandbox_ecomv2_set_rate_limit (f->ecomv2, 3, 3600);

  /* Up to twice the limit passes (the documented burst), Remaining at 0
   * past the limit. */
  for (guint i = 1; i <= 6; i++)
    {
      g_autoptr(SoupMessageHeaders) headers = NULL;
      gint64 reset;

      g_assert_cmpuint (sandbox_call (f, "GET", "/products?limit=1", NULL, NULL, &headers), ==, 200);
      g_assert_cmpstr (soup_message_headers_get_one (headers, "X-RateLimit-Limit"), ==, "3");
      g_assert_cmpint (g_ascii_strtoll (soup_message_headers_get_one (headers, "X-RateLimit-Remaining"), NULL, 10),
                       ==, i >= 3 ? 0 : 3 - i);
      reset = g_ascii_strtoll (soup_message_headers_get_one (headers, "X-RateLimit-Reset"), NULL, 10);
      g_assert_cmpint (reset, >, now);
      g_assert_cmpint (reset, <=, now + 3600 + 1);
    }

  {
    g_autoptr(SoupMessageHeaders) headers = NULL;
    g_autoptr(JsonNode) json = NULL;

    g_assert_cmpuint (sandbox_call (f, "GET", "/products?limit=1", NULL, &json, &headers), ==, 429);
    g_assert_cmpstr (sandbox_assert_error (json), ==, "rate_limit_exceeded");
    g_assert_cmpint (g_ascii_strtoll (soup_message_headers_get_one (headers, "Retry-After"), NULL, 10), >=, 1);
    g_assert_cmpstr (soup_message_headers_get_one (headers, "X-RateLimit-Remaining"), ==, "0");
  }

  /* Without the burst the limit itself is the ceiling. */
  cp_sandbox_ecomv2_set_burst_factor (f->ecomv2, 1);
  cp_sandbox_ecomv2_set_rate_limit (f->ecomv2, 2, 3600);
  g_assert_cmpuint (sandbox_call (f, "GET", "/products?limit=1", NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (sandbox_call (f, "GET", "/products?limit=1", NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (sandbox_call (f, "GET", "/products?limit=1", NULL, NULL, NULL), ==, 429);

  /* The limit is per key. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) body = NULL;
    g_autoptr(SoupMessage) msg = sandbox_request (f, "GET", "/products?limit=1", "test_second",
                                                  NULL, NULL, &body, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   "X-RateLimit-Remaining"), ==, "1");
  }
}

static char *
batch_body (guint n,
            gint64 stock)
{
  GString *s = g_string_new ("{\"resources\":\"products\",\"updates\":[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s{\"id\":\"EC-%05u\",\"stock\":%" G_GINT64_FORMAT ",\"location\":\"wh_002\"}",
                            i ? "," : "", i + 1, stock);
  g_string_append (s, "]}");
  return g_string_free (s, FALSE);
}

static void
test_batch_update (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *body101 = batch_body (101, 777);
  g_autofree char *body100 = batch_body (100, 555);
  gint64 before = cp_sandbox_ecomv2_get_available (f->ecomv2, "EC-00001", "wh_002");

  {
    g_autoptr(JsonNode) json = NULL;

    g_assert_cmpuint (sandbox_call (f, "PATCH", "/batch/update", body101, &json, NULL), ==, 422);
    g_assert_cmpstr (sandbox_assert_error (json), ==, "validation_error");
    /* nothing of a refused batch is applied */
    g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->ecomv2, "EC-00001", "wh_002"), ==, before);
  }

  {
    g_autoptr(JsonNode) json = NULL;
    JsonArray *results;

    g_assert_cmpuint (sandbox_call (f, "PATCH", "/batch/update", body100, &json, NULL), ==, 200);
    results = json_object_get_array_member (obj (json), "data");
    g_assert_cmpuint (json_array_get_length (results), ==, 100);
    for (guint i = 0; i < 100; i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, i), "status"),
                       ==, "updated");
    g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->ecomv2, "EC-00001", "wh_002"), ==, 555);
    g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->ecomv2, "EC-00100", "wh_002"), ==, 555);
  }

  /* One bad record fails alone. */
  {
    g_autoptr(JsonNode) json = NULL;
    JsonArray *results;

    g_assert_cmpuint (sandbox_call (f, "PATCH", "/batch/update",
                                    "{\"resources\":\"products\",\"updates\":["
                                    "{\"id\":\"NOPE\",\"stock\":1},"
                                    "{\"id\":\"EC-00002\",\"stock\":-4},"
                                    "{\"id\":\"EC-00003\",\"stock\":9}]}", &json, NULL), ==, 200);
    results = json_object_get_array_member (obj (json), "data");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "status"), ==, "failed");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 1), "status"), ==, "failed");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 2), "status"), ==, "updated");
    g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->ecomv2, "EC-00003", "wh_001"), ==, 9);
  }
}

static void
test_inventory_adjust (Fixture       *f,
                       gconstpointer  data)
{
  gint64 before = cp_sandbox_ecomv2_get_available (f->ecomv2, "EC-00010", "wh_003");
  const char *adjust = "{\"quantity\":5,\"reason\":\"received\",\"location\":\"wh_003\",\"note\":\"PO 17\"}";
  g_autoptr(JsonNode) json = NULL;
  JsonArray *locations;

  g_assert_cmpint (before, >=, 0);
  g_assert_cmpuint (sandbox_call (f, "POST", "/inventory/EC-00010/adjust", adjust, &json, NULL), ==, 201);
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->ecomv2, "EC-00010", "wh_003"), ==, before + 5);
  locations = json_object_get_array_member (obj (json), "locations");
  g_assert_cmpuint (json_array_get_length (locations), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (locations, 2), "available"),
                   ==, before + 5);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "inventory.adjust:PO 17"), ==, 1);

  /* The platform does not deduplicate: the same adjustment again applies
   * again, and the effect counter says so. */
  g_assert_cmpuint (sandbox_call (f, "POST", "/inventory/EC-00010/adjust", adjust, NULL, NULL), ==, 201);
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (f->ecomv2, "EC-00010", "wh_003"), ==, before + 10);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "inventory.adjust:PO 17"), ==, 2);
  g_assert_cmpuint (cp_sandbox_server_get_n_duplicate_effects (f->server), ==, 1);

  {
    g_autoptr(JsonNode) err = NULL;

    g_assert_cmpuint (sandbox_call (f, "POST", "/inventory/EC-00010/adjust",
                                    "{\"quantity\":-100000,\"reason\":\"sold\"}", &err, NULL), ==, 422);
    g_assert_cmpstr (sandbox_assert_error (err), ==, "validation_error");
  }
  {
    g_autoptr(JsonNode) err = NULL;

    g_assert_cmpuint (sandbox_call (f, "GET", "/inventory/NOPE", NULL, &err, NULL), ==, 404);
    g_assert_cmpstr (sandbox_assert_error (err), ==, "not_found");
  }
  g_assert_cmpuint (cp_sandbox_server_get_request_count (f->server, "ecomv2 POST /inventory/{product_id}/adjust"), ==, 3);
}

static void
test_orders_filters (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) pending = NULL;
  g_autoptr(JsonNode) ranged = NULL;
  JsonArray *items;
  guint expected = 0, expected_range = 0;

  g_assert_cmpuint (sandbox_call (f, "GET", "/orders?limit=200", NULL, &all, NULL), ==, 200);
  items = json_object_get_array_member (obj (all), "data");
  g_assert_cmpuint (json_array_get_length (items), ==, 120);
  for (guint i = 0; i < 120; i++)
    {
      JsonObject *o = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (o, "status"), "pending"))
        expected++;
      if (strcmp (json_object_get_string_member (o, "created_at"), "2026-06-02") >= 0 &&
          strcmp (json_object_get_string_member (o, "created_at"), "2026-06-04") < 0)
        expected_range++;
    }
  g_assert_cmpuint (expected, >, 0);
  g_assert_cmpuint (expected_range, ==, 32);  /* two days at one per 90 minutes */

  g_assert_cmpuint (sandbox_call (f, "GET", "/orders?limit=200&status=pending", NULL, &pending, NULL), ==, 200);
  items = json_object_get_array_member (obj (pending), "data");
  g_assert_cmpuint (json_array_get_length (items), ==, expected);
  for (guint i = 0; i < expected; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i), "status"), ==, "pending");

  g_assert_cmpuint (sandbox_call (f, "GET", "/orders?limit=200&date_from=2026-06-02&date_to=2026-06-03",
                                  NULL, &ranged, NULL), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (ranged), "data")), ==, expected_range);
}

static void
test_order_status (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonNode) err = NULL;
  g_autofree char *status = NULL;

  g_assert_cmpuint (sandbox_call (f, "PATCH", "/orders/ord_0007/status",
                                  "{\"status\":\"shipped\",\"note\":\"sent\"}", &json, NULL), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj (json), "status"), ==, "shipped");
  status = cp_sandbox_ecomv2_dup_order_status (f->ecomv2, "ord_0007");
  g_assert_cmpstr (status, ==, "shipped");

  g_assert_cmpuint (sandbox_call (f, "PATCH", "/orders/ord_0007/status", "{\"status\":\"lost\"}", &err, NULL), ==, 422);
  g_assert_cmpstr (sandbox_assert_error (err), ==, "validation_error");
}

/* Sorted lists are cached; a change must show in the next page. */
static void
test_sorted_after_change (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) found = NULL;
  g_autofree char *status = NULL;
  JsonObject *first;
  JsonArray *items;

  g_assert_cmpuint (sandbox_call (f, "GET", "/orders?limit=1&sort=-updated_at&cursor=", NULL, &before, NULL), ==, 200);
  first = json_array_get_object_element (json_object_get_array_member (obj (before), "data"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "id"), !=, "ord_0005");

  status = cp_sandbox_ecomv2_dup_order_status (f->ecomv2, "ord_0005");
  g_assert_cmpuint (sandbox_call (f, "PATCH", "/orders/ord_0005/status",
                                  g_str_equal (status, "delivered") ? "{\"status\":\"pending\"}"
                                                                    : "{\"status\":\"delivered\"}",
                                  NULL, NULL), ==, 200);
  g_assert_cmpuint (sandbox_call (f, "GET", "/orders?limit=1&sort=-updated_at&cursor=", NULL, &after, NULL), ==, 200);
  first = json_array_get_object_element (json_object_get_array_member (obj (after), "data"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, "ord_0005");

  /* search by SKU or name, case-insensitively */
  g_assert_cmpuint (sandbox_call (f, "GET", "/products?search=ec-00042", NULL, &found, NULL), ==, 200);
  items = json_object_get_array_member (obj (found), "data");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "sku"), ==, "EC-00042");
}

static void
test_product_create (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(JsonNode) dup = NULL;
  g_autoptr(JsonNode) missing = NULL;
  JsonObject *price;

  g_assert_cmpuint (sandbox_call (f, "POST", "/products",
                                  "{\"name\":\"Headphones\",\"price\":79.99,\"sku\":\"NEW-1\"}",
                                  &json, NULL), ==, 201);
  price = json_object_get_object_member (obj (json), "price");
  g_assert_cmpint (json_object_get_int_member (price, "amount"), ==, 7999);
  g_assert_cmpstr (json_object_get_string_member (price, "currency"), ==, "USD");
  g_assert_cmpstr (json_object_get_string_member (price, "formatted"), ==, "$79.99");
  g_assert_cmpuint (cp_sandbox_ecomv2_get_n_products (f->ecomv2), ==, 301);

  g_assert_cmpuint (sandbox_call (f, "POST", "/products",
                                  "{\"name\":\"Again\",\"price\":\"1.00\",\"sku\":\"NEW-1\"}",
                                  &dup, NULL), ==, 409);
  g_assert_cmpstr (sandbox_assert_error (dup), ==, "conflict");

  g_assert_cmpuint (sandbox_call (f, "POST", "/products", "{\"name\":\"No price\",\"sku\":\"NEW-2\"}",
                                  &missing, NULL), ==, 422);
  g_assert_cmpstr (sandbox_assert_error (missing), ==, "validation_error");
  g_assert_cmpuint (cp_sandbox_ecomv2_get_n_products (f->ecomv2), ==, 301);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "product.create:NEW-1"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, sandbox_fixture_setup, fn, sandbox_fixture_teardown)

  ADD ("/sandbox/ecomv2/auth", test_auth);
  ADD ("/sandbox/ecomv2/pagination/products", test_pagination_products);
  ADD ("/sandbox/ecomv2/pagination/orders-sorted", test_pagination_orders_sorted);
  ADD ("/sandbox/ecomv2/pagination/errors", test_pagination_errors);
  ADD ("/sandbox/ecomv2/etag", test_etag);
  ADD ("/sandbox/ecomv2/rate-limit", test_rate_limit);
  ADD ("/sandbox/ecomv2/batch-update", test_batch_update);
  ADD ("/sandbox/ecomv2/inventory-adjust", test_inventory_adjust);
  ADD ("/sandbox/ecomv2/orders/filters", test_orders_filters);
  ADD ("/sandbox/ecomv2/orders/status", test_order_status);
  ADD ("/sandbox/ecomv2/products/create", test_product_create);
  ADD ("/sandbox/ecomv2/orders/sorted-after-change", test_sorted_after_change);

  return g_test_run ();
}
