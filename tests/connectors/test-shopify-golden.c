/* test-shopify-golden.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Shopify parsers on every payload of shared/fixtures/shopify as
 * published (provenance in that folder's README): the GraphQL cost
 * extension of a normal and of a throttled answer, and the REST order,
 * refund, product and inventory level that webhooks deliver in the same
 * shape. Money must come out exact, from the strings.
 */

#include "config.h"

#include <string.h>

#include "cp-money.h"
#include "cp-orders.h"

#include "cp-shopify-private.h"

static JsonNode *
load (const char *name)
{
  const char *dir = g_getenv ("CP_SHARED_FIXTURES");
  g_autofree char *path = dir != NULL ? g_build_filename (dir, "shopify", name, NULL) : NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *doc;
  gsize len = 0;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
        g_test_fail_printf ("The shared fixtures are missing (%s)", dir != NULL ? dir : "unset");
      else
        g_test_skip ("The shared fixtures folder is not there");
      return NULL;
    }
  g_file_get_contents (path, &text, &len, &error);
  g_assert_no_error (error);
  doc = shopify_parse_json (text, len, &error);
  g_assert_no_error (error);
  return doc;
}

static void
test_cost (void)
{
  g_autoptr(JsonNode) doc = load ("graphql_product_query_response.json");
  const char *code = NULL, *message = NULL;
  ShopifyCost cost;

  if (doc == NULL)
    return;
  shopify_parse_cost (doc, &cost);
  g_assert_true (cost.present);
  g_assert_cmpfloat (cost.requested, ==, 1);
  g_assert_cmpfloat (cost.actual, ==, 1);
  g_assert_cmpfloat (cost.maximum, ==, 1000);
  g_assert_cmpfloat (cost.available, ==, 999);
  g_assert_cmpfloat (cost.restore_rate, ==, 50);
  shopify_parse_top_error (doc, &code, &message);
  g_assert_null (code);
  g_assert_null (message);
  g_assert_cmpstr (shopify_get_string (json_node_get_object (doc),
                                       "data.product.id"), ==, "gid://shopify/Product/7608002183224");
}

static void
test_throttled (void)
{
  g_autoptr(JsonNode) doc = load ("graphql_throttled_response.json");
  g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new (1e9, 1e6, 0);
  const char *code = NULL, *message = NULL;
  ShopifyCost cost;

  if (doc == NULL)
    return;
  shopify_parse_cost (doc, &cost);
  g_assert_true (cost.present);
  g_assert_cmpfloat (cost.requested, ==, 752);
  g_assert_cmpfloat (cost.actual, ==, -1);   /* null: nothing ran */
  g_assert_cmpfloat (cost.available, ==, 666);
  shopify_parse_top_error (doc, &code, &message);
  g_assert_cmpstr (code, ==, "THROTTLED");
  g_assert_cmpstr (message, ==, "Throttled");
  /* What the connector does with it: the shop's count replaces its own,
   * and 752 points are there (752 − 666) / 50 s later. */
  cp_rate_limiter_update_from_server (limiter, cost.available, cost.maximum, cost.restore_rate, 0);
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, cost.requested, 0), ==,
                   (gint64) ((752 - 666) / 50.0 * G_USEC_PER_SEC));
}

static void
test_rest_order (void)
{
  g_autoptr(JsonNode) doc = load ("rest_order.json");
  g_autoptr(CpOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  gint64 updated_at = 0;
  CpOrderLine *line;

  if (doc == NULL)
    return;
  order = cp_shopify_parse_rest_order (doc, "shopify-1", &updated_at, &error);
  g_assert_no_error (error);
  g_assert_nonnull (order);
  g_assert_cmpstr (order->external_id, ==, "gid://shopify/Order/450789469");
  g_assert_cmpstr (order->number, ==, "#1001");
  g_assert_cmpstr (order->currency, ==, "USD");
  g_assert_cmpstr (order->status, ==, "processing");
  g_assert_cmpstr (order->customer_email, ==, "bob.norman@mail.example.com");
  /* 2008-01-10T11:00:00-05:00 */
  g_assert_cmpint (updated_at, ==, G_GINT64_CONSTANT (1199980800) * G_USEC_PER_SEC);
  g_assert_cmpuint (order->lines->len, ==, 3);
  line = g_ptr_array_index (order->lines, 0);
  g_assert_cmpstr (line->sku, ==, "IPOD2008GREEN");
  g_assert_cmpint (line->unit_price_minor, ==, 19900);
  g_assert_cmpint (line->tax_minor, ==, 398);
  g_assert_cmpint (order->order_discount_minor, ==, 1000);
  /* The order's own total_price: 3 × 199.00 + 3 × 3.98 − 10.00. */
  g_assert_cmpint (cp_order_compute_total (order), ==, 59894);
  g_assert_cmpuint (order->refunds->len, ==, 1);
  g_assert_cmpint (((CpRefund *) g_ptr_array_index (order->refunds, 0))->amount_minor, ==, 20900);

  /* A webhook body is the bare order, without the envelope. */
  {
    JsonObject *root = json_node_get_object (doc);
    g_autoptr(CpOrder) bare = cp_shopify_parse_rest_order (json_object_get_member (root, "order"),
                                                           "shopify-1", NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (bare->external_id, ==, order->external_id);
  }
}

static void
test_rest_refund (void)
{
  g_autoptr(JsonNode) doc = load ("rest_refund.json");
  JsonObject *refund;
  JsonArray *lines;
  gint64 sum = 0;

  if (doc == NULL)
    return;
  refund = shopify_get_object (json_node_get_object (doc), "refund");
  lines = shopify_get_array (refund, "refund_line_items");
  g_assert_nonnull (lines);
  /* subtotal is a JSON number there (195.66); its *_set twin is the
   * string read, exactly. */
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_node_get_object (json_array_get_element (lines, i));
      g_autoptr(GError) error = NULL;
      char currency[4] = "";
      gint64 amount = 0;

      g_assert_true (shopify_parse_money (shopify_get_object (line, "subtotal_set"), currency,
                                          &amount, "subtotal_set", &error));
      g_assert_no_error (error);
      sum += amount;
    }
  g_assert_cmpint (sum, ==, 19566 + 19567);
}

static void
test_rest_product (void)
{
  g_autoptr(JsonNode) doc = load ("rest_product.json");
  JsonArray *variants;

  if (doc == NULL)
    return;
  variants = shopify_get_array (json_node_get_object (doc), "product.variants");
  g_assert_nonnull (variants);
  g_assert_cmpuint (json_array_get_length (variants), ==, 4);
  for (guint i = 0; i < json_array_get_length (variants); i++)
    {
      JsonObject *v = json_node_get_object (json_array_get_element (variants, i));
      g_autoptr(GError) error = NULL;
      gint64 price = 0, item = 0;

      g_assert_true (g_str_has_prefix (shopify_get_string (v, "sku"), "IPOD2008"));
      g_assert_true (cp_money_parse (shopify_get_string (v, "price"), "USD", &price, &error));
      g_assert_cmpint (price, ==, 19900);
      g_assert_true (shopify_get_int (v, "inventory_item_id", &item));
      g_assert_cmpint (item, >, 0);
    }
}

static void
test_rest_inventory_level (void)
{
  g_autoptr(JsonNode) doc = load ("rest_inventory_level_set.json");
  JsonObject *level;
  gint64 available = -1, at = 0;

  if (doc == NULL)
    return;
  level = shopify_get_object (json_node_get_object (doc), "inventory_level");
  g_assert_true (shopify_get_int (level, "available", &available));
  g_assert_cmpint (available, ==, 42);
  g_assert_true (shopify_parse_time (shopify_get_string (level, "updated_at"), &at));
  g_assert_cmpint (at, ==, G_GINT64_CONSTANT (1743611413) * G_USEC_PER_SEC);
}

static void
test_graphql_order (void)
{
  const char *text =
    "{\"id\":\"gid://shopify/Order/1\",\"name\":\"#1\",\"createdAt\":\"2026-06-01T10:00:00Z\","
    "\"updatedAt\":\"2026-06-01T11:00:00Z\",\"cancelledAt\":null,\"displayFinancialStatus\":\"PAID\","
    "\"displayFulfillmentStatus\":\"FULFILLED\",\"currencyCode\":\"JPY\","
    "\"totalShippingPriceSet\":{\"shopMoney\":{\"amount\":\"500\",\"currencyCode\":\"JPY\"}},"
    "\"lineItems\":{\"nodes\":[{\"sku\":\"A\",\"name\":\"A\",\"quantity\":2,\"currentQuantity\":1,"
    "\"variant\":null,\"originalUnitPriceSet\":{\"shopMoney\":{\"amount\":\"1200.0\",\"currencyCode\":\"JPY\"}},"
    "\"taxLines\":[]}]},\"refunds\":[]}";
  g_autoptr(JsonNode) doc = shopify_parse_json (text, strlen (text), NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpOrder) order = shopify_parse_order (json_node_get_object (doc),
                                                  "shopify-1", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (order->status, ==, "completed");
  g_assert_cmpint (order->shipping_minor, ==, 500);
  /* A currency without minor units, and the quantity still in the order. */
  g_assert_cmpint (((CpOrderLine *) g_ptr_array_index (order->lines, 0))->unit_price_minor, ==, 1200);
  g_assert_cmpint (((CpOrderLine *) g_ptr_array_index (order->lines, 0))->quantity, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/shopify/golden/cost", test_cost);
  g_test_add_func ("/shopify/golden/throttled", test_throttled);
  g_test_add_func ("/shopify/golden/rest-order", test_rest_order);
  g_test_add_func ("/shopify/golden/rest-refund", test_rest_refund);
  g_test_add_func ("/shopify/golden/rest-product", test_rest_product);
  g_test_add_func ("/shopify/golden/rest-inventory-level", test_rest_inventory_level);
  g_test_add_func ("/shopify/golden/graphql-order", test_graphql_order);
  return g_test_run ();
}
