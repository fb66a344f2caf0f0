/* test-shopify-fake.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Shopify fake itself, spoken to with raw HTTP as any client would:
 * the 401 body, the version echo (a retired one served by the oldest),
 * what it refuses as Shopify does (an unknown field, first > 250, more
 * than 250 inputs, a query over 1000 points), the cost extension with the
 * requested cost reserved and the rest refunded, THROTTLED with no data,
 * @idempotent only from 2026-01, and the REST bucket's 429.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cp-sandbox-server.h"
#include "cp-sandbox-shopify.h"

typedef struct
{
  CpSandboxServer  *server;
  CpSandboxShopify *fake;
  SoupSession      *session;
  char             *base;
} Fixture;

typedef struct
{
  guint       status;
  char       *version;
  char       *retry_after;
  JsonParser *parser;
  JsonObject *root;
} Reply;

static void
reply_clear (Reply *r)
{
  g_clear_pointer (&r->version, g_free);
  g_clear_pointer (&r->retry_after, g_free);
  g_clear_object (&r->parser);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = cp_sandbox_server_new ();
  f->fake = cp_sandbox_shopify_new ();
  cp_sandbox_server_add_platform (f->server, CP_SANDBOX_PLATFORM (f->fake));
  g_assert_true (cp_sandbox_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->base = cp_sandbox_server_dup_platform_url (f->server, "shopify");
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  cp_sandbox_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->fake);
  g_clear_pointer (&f->base, g_free);
}

static void
send (Fixture    *f,
      const char *method,
      const char *path,
      const char *token,
      const char *body,
      Reply      *out)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  if (token != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Shopify-Access-Token", token);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  out->status = soup_message_get_status (msg);
  headers = soup_message_get_response_headers (msg);
  out->version = g_strdup (soup_message_headers_get_one (headers, "X-Shopify-API-Version"));
  out->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  out->parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (out->parser, g_bytes_get_data (reply, NULL),
                                             g_bytes_get_size (reply), &error));
  g_assert_no_error (error);
  out->root = json_node_get_object (json_parser_get_root (out->parser));
}

static void
graphql (Fixture    *f,
         const char *version,
         const char *query,
         const char *variables,
         Reply      *out)
{
  g_autofree char *path = g_strdup_printf ("/admin/api/%s/graphql.json", version);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "query");
  json_builder_add_string_value (b, query);
  if (variables != NULL)
    {
      json_builder_set_member_name (b, "variables");
      json_builder_add_value (b, json_from_string (variables, NULL));
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = json_to_string (root, FALSE);
  send (f, "POST", path, CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN, body, out);
}

static const char *
error_code (Reply *r)
{
  JsonArray *errors = json_object_get_array_member (r->root, "errors");
  JsonObject *first = json_array_get_object_element (errors, 0);

  return json_object_get_string_member (json_object_get_object_member (first, "extensions"), "code");
}

static double
cost_member (Reply      *r,
             const char *member)
{
  JsonObject *cost = json_object_get_object_member (json_object_get_object_member (r->root, "extensions"), "cost");

  if (g_str_equal (member, "currentlyAvailable"))
    return json_object_get_double_member (json_object_get_object_member (cost, "throttleStatus"), member);
  return json_object_get_double_member (cost, member);
}

static void
test_auth_and_version (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(Reply) denied = { 0 };
  g_auto(Reply) old = { 0 };
  g_auto(Reply) current = { 0 };

  send (f, "POST", "/admin/api/2026-10/graphql.json", "shpat_wrong", "{\"query\":\"{ shop { name } }\"}", &denied);
  g_assert_cmpuint (denied.status, ==, 401);
  g_assert_cmpstr (json_object_get_string_member (denied.root, "errors"), ==,
                   "[API] Invalid API key or access token (unrecognized login or wrong password)");

  graphql (f, "2024-01", "{ shop { name currencyCode } }", NULL, &old);
  g_assert_cmpuint (old.status, ==, 200);
  g_assert_cmpstr (old.version, ==, CP_SANDBOX_SHOPIFY_OLDEST_VERSION);
  graphql (f, "2026-10", "query { shop { name } }", NULL, &current);
  g_assert_cmpstr (current.version, ==, "2026-10");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (current.root, "data"), "shop"), "currencyCode"), ==, "USD");
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_auto(Reply) unknown = { 0 };
  g_auto(Reply) too_many = { 0 };
  g_auto(Reply) too_costly = { 0 };
  g_auto(Reply) too_big = { 0 };
  g_autoptr(GString) quantities = g_string_new ("{\"input\":{\"name\":\"available\",\"quantities\":[");

  graphql (f, "2026-10", "{ products(first: 5) { nodes { id } } }", NULL, &unknown);
  g_assert_cmpstr (error_code (&unknown), ==, "undefinedField");
  g_assert_false (json_object_has_member (unknown.root, "data"));

  graphql (f, "2026-10", "query($first: Int!) { productVariants(first: $first) { nodes { id } } }",
           "{\"first\": 300}", &too_many);
  g_assert_nonnull (error_code (&too_many));

  graphql (f, "2026-10", "query($first: Int!) { productVariants(first: $first) { nodes { id } } }",
           "{\"first\": 200}", &too_costly);
  g_assert_cmpstr (error_code (&too_costly), ==, "MAX_COST_EXCEEDED");

  for (guint i = 0; i < 251; i++)
    g_string_append_printf (quantities, "%s{\"inventoryItemId\":\"gid://shopify/InventoryItem/%u\","
                            "\"locationId\":\"gid://shopify/Location/1\",\"quantity\":1,"
                            "\"compareQuantity\":0}", i ? "," : "", i + 1);
  g_string_append (quantities, "]}}");
  graphql (f, "2026-10", "mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }",
           quantities->str, &too_big);
  g_assert_cmpstr (error_code (&too_big), ==, "MAX_INPUT_SIZE_EXCEEDED");
}

static void
test_cost_and_throttle (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(Reply) page = { 0 };
  g_auto(Reply) throttled = { 0 };

  cp_sandbox_shopify_set_bucket (f->fake, 1000, 0.001);
  graphql (f, "2026-10", "query($first: Int!) { productVariants(first: $first) { nodes { id } } }",
           "{\"first\": 100}", &page);
  /* 100 asked for (2 + 100 × 7 reserved), 60 there: the rest refunded. */
  g_assert_cmpfloat (cost_member (&page, "requestedQueryCost"), ==, 702);
  g_assert_cmpfloat (cost_member (&page, "actualQueryCost"), <, 702);
  g_assert_cmpfloat (cost_member (&page, "currentlyAvailable"), ==,
                     floor (1000 - cost_member (&page, "actualQueryCost")));

  cp_sandbox_shopify_set_bucket_available (f->fake, 100);
  graphql (f, "2026-10", "query($first: Int!) { productVariants(first: $first) { nodes { id } } }",
           "{\"first\": 100}", &throttled);
  g_assert_cmpuint (throttled.status, ==, 200);
  g_assert_cmpstr (error_code (&throttled), ==, "THROTTLED");
  g_assert_false (json_object_has_member (throttled.root, "data"));
  g_assert_true (json_object_get_null_member (json_object_get_object_member (
                   json_object_get_object_member (throttled.root, "extensions"), "cost"), "actualQueryCost"));
  g_assert_cmpuint (cp_sandbox_shopify_get_n_throttled (f->fake), ==, 1);
}

static void
test_idempotent_versions (Fixture       *f,
                          gconstpointer  data)
{
  static const char mutation[] =
    "mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input)"
    " @idempotent(key: \"k-1\") { userErrors { code } } }";
  g_autofree char *item = NULL;
  g_autofree char *location = cp_sandbox_shopify_dup_location_id (f->fake, 0);
  g_autofree char *vars = NULL;

  {
    g_auto(Reply) r = { 0 };

    graphql (f, "2026-10", "query($first: Int!) { productVariants(first: $first) { nodes { id } } }",
             "{\"first\": 1}", &r);
    item = g_strdup (json_object_get_string_member (json_object_get_object_member (
      json_array_get_object_element (json_object_get_array_member (json_object_get_object_member (
        json_object_get_object_member (r.root, "data"), "productVariants"), "nodes"), 0), "inventoryItem"), "id"));
  }
  vars = g_strdup_printf ("{\"input\":{\"name\":\"available\",\"ignoreCompareQuantity\":true,"
                          "\"quantities\":[{\"inventoryItemId\":\"%s\",\"locationId\":\"%s\","
                          "\"quantity\":5}]}}", item, location);
  for (guint i = 0; i < 2; i++)
    {
      g_auto(Reply) r = { 0 };

      graphql (f, "2026-10", mutation, vars, &r);
      g_assert_cmpuint (r.status, ==, 200);
    }
  /* Honoured from 2026-01: the second is the first's answer, no effect. */
  g_assert_cmpuint (cp_sandbox_shopify_get_n_mutations (f->fake), ==, 1);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "inventorySetQuantities:k-1"), ==, 1);

  /* Before it, the directive means nothing: both apply. */
  for (guint i = 0; i < 2; i++)
    {
      g_auto(Reply) r = { 0 };

      graphql (f, "2025-10", mutation, vars, &r);
    }
  g_assert_cmpuint (cp_sandbox_shopify_get_n_mutations (f->fake), ==, 3);
}

static void
test_rest_bucket (Fixture       *f,
                  gconstpointer  data)
{
  guint ok = 0, limited = 0;

  cp_sandbox_shopify_set_rest_bucket (f->fake, 40, 0.001);
  for (guint i = 0; i < 45; i++)
    {
      g_auto(Reply) r = { 0 };

      send (f, "GET", "/admin/api/2024-01/variants/1.json", CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN, NULL, &r);
      if (r.status == 429)
        {
          limited++;
          g_assert_nonnull (r.retry_after);
          g_assert_nonnull (json_object_get_string_member (r.root, "errors"));
        }
      else
        ok++;
    }
  /* A bucket of 40: the 41st request on is refused. */
  g_assert_cmpuint (ok, ==, 40);
  g_assert_cmpuint (limited, ==, 5);
  g_assert_cmpuint (cp_sandbox_shopify_get_n_rest_throttled (f->fake), ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/shopify/fake/auth-and-version", test_auth_and_version);
  ADD ("/shopify/fake/refusals", test_refusals);
  ADD ("/shopify/fake/cost-and-throttle", test_cost_and_throttle);
  ADD ("/shopify/fake/idempotent-versions", test_idempotent_versions);
  ADD ("/shopify/fake/rest-bucket", test_rest_bucket);
#undef ADD
  return g_test_run ();
}
