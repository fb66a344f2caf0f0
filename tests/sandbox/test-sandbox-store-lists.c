/* test-sandbox-store-lists.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Shopify and WooCommerce fakes keep their order lists sorted between
 * requests (a pull of 100,000 orders must not sort them for every page),
 * and the WooCommerce one answers modified_after from that list by
 * binary search. A change to an order must show in the very next page:
 * these tests change orders between pages, over real HTTP.
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cp-sandbox-server.h"
#include "cp-sandbox-shopify.h"
#include "cp-sandbox-woocommerce.h"

typedef struct
{
  CpSandboxServer *server;
  SoupSession     *session;
  char            *base;
} Fixture;

static void
fixture_start (Fixture           *f,
               CpSandboxPlatform *platform,
               const char        *name)
{
  g_autoptr(GError) error = NULL;

  f->server = cp_sandbox_server_new ();
  cp_sandbox_server_add_platform (f->server, platform);
  g_assert_true (cp_sandbox_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->base = cp_sandbox_server_dup_platform_url (f->server, name);
  f->session = soup_session_new_with_options ("timeout", 10, NULL);
}

static void
fixture_stop (Fixture *f)
{
  g_clear_object (&f->session);
  cp_sandbox_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_pointer (&f->base, g_free);
}

static JsonNode *
send (Fixture     *f,
      SoupMessage *msg,
      const char  *body,
      guint       *out_total)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonNode *root;

  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (msg) != 200)
    g_test_message ("%s", (const char *) g_bytes_get_data (bytes, NULL));
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  root = json_from_string (g_bytes_get_data (bytes, NULL), &error);
  g_assert_no_error (error);
  if (out_total != NULL)
    {
      const char *total = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                        "X-WP-Total");

      g_assert_nonnull (total);
      *out_total = (guint) g_ascii_strtoull (total, NULL, 10);
    }
  return root;
}

/* ---- Shopify ------------------------------------------------------------ */

static const char orders_query[] =
  "query Orders($first: Int!, $after: String, $query: String, $lines: Int!) {"
  " orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {"
  "  nodes { id updatedAt lineItems(first: $lines) { nodes { id } } }"
  "  pageInfo { hasNextPage endCursor } } }";

/* One page of orders: their ids into IDS, the end cursor returned. */
static char *
shopify_page (Fixture    *f,
              const char *after,
              const char *query,
              GPtrArray  *ids,
              gboolean   *out_more)
{
  g_autofree char *url = g_strconcat (f->base, "/admin/api/2026-01/graphql.json", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JsonObject *orders;
  JsonArray *nodes;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "query");
  json_builder_add_string_value (b, orders_query);
  json_builder_set_member_name (b, "variables");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "first");
  json_builder_add_int_value (b, 7);
  json_builder_set_member_name (b, "lines");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "after");
  json_builder_add_string_value (b, after);
  json_builder_set_member_name (b, "query");
  json_builder_add_string_value (b, query);
  json_builder_end_object (b);
  json_builder_end_object (b);
  request = json_builder_get_root (b);
  text = json_to_string (request, FALSE);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Shopify-Access-Token",
                                CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN);
  root = send (f, msg, text, NULL);
  orders = json_object_get_object_member (json_object_get_object_member (json_node_get_object (root),
                                                                         "data"), "orders");
  nodes = json_object_get_array_member (orders, "nodes");
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    g_ptr_array_add (ids, g_strdup (json_object_get_string_member (json_array_get_object_element (nodes, i),
                                                                   "id")));
  *out_more = json_object_get_boolean_member (json_object_get_object_member (orders, "pageInfo"),
                                              "hasNextPage");
  return g_strdup (json_object_get_string_member (json_object_get_object_member (orders, "pageInfo"),
                                                  "endCursor"));
}

/* Every order from AFTER on, page by page; the last cursor in *OUT_END. */
static GPtrArray *
shopify_walk (Fixture     *f,
              const char  *after,
              const char  *query,
              char       **out_end)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = g_strdup (after);
  gboolean more = TRUE;

  for (guint n = 0; more; n++)
    {
      char *next;

      g_assert_cmpuint (n, <, 100);
      next = shopify_page (f, cursor, query, ids, &more);
      if (next != NULL)
        {
          g_free (cursor);
          cursor = next;
        }
    }
  *out_end = g_steal_pointer (&cursor);
  return ids;
}

static void
test_shopify_changes_between_pages (void)
{
  g_autoptr(CpSandboxShopify) fake = cp_sandbox_shopify_new ();
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) recent = NULL;
  g_autofree char *end = NULL, *end2 = NULL, *end3 = NULL, *end4 = NULL;
  g_autofree char *moved = NULL;
  Fixture f = { 0 };

  cp_sandbox_shopify_set_bucket (fake, 1e9, 1e9);
  fixture_start (&f, CP_SANDBOX_PLATFORM (fake), "shopify");

  all = shopify_walk (&f, NULL, NULL, &end);
  g_assert_cmpuint (all->len, ==, cp_sandbox_shopify_get_n_orders (fake));
  /* nothing after the end */
  after = shopify_walk (&f, end, NULL, &end2);
  g_assert_cmpuint (after->len, ==, 0);

  /* The first order changes: it is after the end now, and last. */
  moved = g_strdup (g_ptr_array_index (all, 0));
  cp_sandbox_shopify_cancel_order (fake, moved);
  again = shopify_walk (&f, end, NULL, &end3);
  g_assert_cmpuint (again->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (again, 0), ==, moved);

  /* so is it with the query's bound, and the whole list holds it last */
  {
    g_autoptr(GPtrArray) whole = shopify_walk (&f, NULL, NULL, &end4);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) hour_ago = g_date_time_add_hours (now, -1);
    g_autofree char *since = g_date_time_format (hour_ago, "updated_at:>='%Y-%m-%dT%H:%M:%SZ'");
    g_autofree char *end5 = NULL;

    g_assert_cmpuint (whole->len, ==, all->len);
    g_assert_cmpstr (g_ptr_array_index (whole, whole->len - 1), ==, moved);
    recent = shopify_walk (&f, NULL, since, &end5);
    g_assert_cmpuint (recent->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (recent, 0), ==, moved);
  }

  fixture_stop (&f);
}

/* ---- WooCommerce ---------------------------------------------------------- */

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* PATH (with its query) signed with OAuth 1.0a, as WooCommerce wants over
 * plain http. */
static SoupMessage *
woo_message (Fixture    *f,
             const char *method,
             const char *path)
{
  g_autofree char *url = NULL;
  g_autofree char *nonce = g_strdup_printf ("n%" G_GINT64_FORMAT "%u", g_get_real_time (), g_random_int ());
  g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) params = g_string_new (NULL);
  g_autoptr(GString) full = NULL;
  g_auto(GStrv) path_query = g_strsplit (path, "?", 2);
  g_autofree char *enc_url = NULL, *enc_params = NULL, *base_string = NULL, *signature = NULL;
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256,
                                      (const guchar *) CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET "&",
                                      strlen (CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET "&"));
  guint8 digest[32];
  gsize len = sizeof digest;
  const char *oauth[][2] = {
    { "oauth_consumer_key", CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY },
    { "oauth_signature_method", "HMAC-SHA256" },
    { "oauth_timestamp", timestamp },
    { "oauth_nonce", nonce },
  };

  url = g_strconcat (f->base, "/wp-json/wc/v3", path_query[0], NULL);
  if (path_query[1] != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (path_query[1], "&", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_auto(GStrv) kv = g_strsplit (parts[i], "=", 2);
          g_autofree char *value = g_uri_escape_string (kv[1], NULL, FALSE);

          /* the keys are plain words; a value ("…T10:00:00") may need encoding */
          g_ptr_array_add (pairs, g_strconcat (kv[0], "=", value, NULL));
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (oauth); i++)
    g_ptr_array_add (pairs, g_strconcat (oauth[i][0], "=", oauth[i][1], NULL));
  /* sorted by their encoded text */
  g_ptr_array_sort (pairs, compare_pairs);
  for (guint i = 0; i < pairs->len; i++)
    g_string_append_printf (params, "%s%s", i ? "&" : "", (char *) g_ptr_array_index (pairs, i));
  enc_url = g_uri_escape_string (url, NULL, FALSE);
  enc_params = g_uri_escape_string (params->str, NULL, FALSE);
  base_string = g_strconcat (method, "&", enc_url, "&", enc_params, NULL);
  g_hmac_update (hmac, (const guchar *) base_string, strlen (base_string));
  g_hmac_get_digest (hmac, digest, &len);
  signature = g_base64_encode (digest, len);

  full = g_string_new (url);
  /* the encoded pairs are a valid query as they are */
  g_string_append_printf (full, "?%s&oauth_signature=", params->str);
  g_string_append_uri_escaped (full, signature, NULL, FALSE);
  return soup_message_new (method, full->str);
}

static JsonNode *
woo_get (Fixture    *f,
         const char *path,
         guint      *out_total)
{
  g_autoptr(SoupMessage) msg = woo_message (f, "GET", path);

  return send (f, msg, NULL, out_total);
}

static gint64
order_id (JsonNode *page,
          guint     i)
{
  return json_object_get_int_member (json_array_get_object_element (json_node_get_array (page), i), "id");
}

static void
woo_put_status (Fixture    *f,
                gint64      id,
                const char *status)
{
  g_autofree char *path = g_strdup_printf ("/orders/%" G_GINT64_FORMAT, id);
  g_autofree char *body = g_strdup_printf ("{\"status\":\"%s\"}", status);
  g_autoptr(SoupMessage) msg = woo_message (f, "PUT", path);
  g_autoptr(JsonNode) reply = send (f, msg, body, NULL);
}

static void
test_woocommerce_changes_between_pages (void)
{
  g_autoptr(CpSandboxWoocommerce) fake = cp_sandbox_woocommerce_new ();
  g_autoptr(JsonNode) all = NULL, completed = NULL, after = NULL, completed2 = NULL;
  g_autoptr(JsonNode) newest = NULL, desc = NULL, by_id = NULL, both = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) hour_ago = g_date_time_add_hours (now, -1);
  g_autofree char *since = g_date_time_format (hour_ago, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *path = NULL, *desc_path = NULL, *id_path = NULL;
  Fixture f = { 0 };
  guint total, n_completed, n_after;
  gint64 changed = 0, changed2 = 0;

  fixture_start (&f, CP_SANDBOX_PLATFORM (fake), "woocommerce");

  all = woo_get (&f, "/orders?orderby=modified&order=asc&per_page=100&page=1", &total);
  path = g_strdup_printf ("/orders?orderby=modified&order=asc&per_page=100&modified_after=%s", since);
  after = woo_get (&f, path, &n_after);
  /* the list asked for last before the change, and right after it */
  completed = woo_get (&f, "/orders?status=completed&per_page=100", &n_completed);
  g_assert_cmpuint (total, >, 100);
  g_assert_cmpuint (n_completed, >, 0);
  g_assert_cmpuint (n_after, ==, 0);

  for (guint i = 0; i < json_array_get_length (json_node_get_array (all)); i++)
    {
      JsonObject *o = json_array_get_object_element (json_node_get_array (all), i);

      if (g_str_equal (json_object_get_string_member (o, "status"), "completed"))
        continue;
      if (changed == 0)
        changed = json_object_get_int_member (o, "id");
      else if (changed2 == 0)
        changed2 = json_object_get_int_member (o, "id");
    }
  g_assert_cmpint (changed2, >, 0);
  woo_put_status (&f, changed, "completed");

  completed2 = woo_get (&f, "/orders?status=completed&per_page=100", &total);
  g_assert_cmpuint (total, ==, n_completed + 1);
  newest = woo_get (&f, path, &n_after);
  g_assert_cmpuint (n_after, ==, 1);
  g_assert_cmpint (order_id (newest, 0), ==, changed);

  /* the same list again after another change: both, oldest first */
  woo_put_status (&f, changed2, "on-hold");
  both = woo_get (&f, path, &n_after);
  g_assert_cmpuint (n_after, ==, 2);
  g_assert_cmpint (order_id (both, 0), ==, changed);
  g_assert_cmpint (order_id (both, 1), ==, changed2);

  desc_path = g_strdup_printf ("/orders?orderby=modified&order=desc&per_page=5&modified_after=%s", since);
  desc = woo_get (&f, desc_path, &n_after);
  g_assert_cmpuint (n_after, ==, 2);
  g_assert_cmpint (order_id (desc, 0), ==, changed2);
  id_path = g_strdup_printf ("/orders?orderby=id&order=asc&per_page=5&modified_after=%s", since);
  by_id = woo_get (&f, id_path, &n_after);
  g_assert_cmpuint (n_after, ==, 2);
  g_assert_cmpint (order_id (by_id, 0), ==, MIN (changed, changed2));

  fixture_stop (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox/store-lists/shopify", test_shopify_changes_between_pages);
  g_test_add_func ("/sandbox/store-lists/woocommerce", test_woocommerce_changes_between_pages);

  return g_test_run ();
}
