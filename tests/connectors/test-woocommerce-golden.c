/* test-woocommerce-golden.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The WooCommerce parsers on every published example of
 * shared/fixtures/woocommerce/ exactly as published (see the fixtures'
 * README): orders with line prices as JSON numbers, the order list with
 * refunds, refunds alone and listed, the batch answer, products simple
 * and variable, a variation, the webhook resource, and the one published
 * webhook delivery (a legacy-API order inside a JSON string).
 */

#include "config.h"

#include "cp-woocommerce-private.h"

static JsonNode *
load_text (const char *text,
           gsize       len)
{
  g_autoptr(GError) error = NULL;
  JsonNode *doc = woo_parse_json (text, len, &error);

  g_assert_no_error (error);
  return doc;
}

static JsonNode *
load (const char *name)
{
  const char *dir = g_getenv ("CP_SHARED_FIXTURES");
  g_autofree char *path = dir != NULL ? g_build_filename (dir, "woocommerce", name, NULL) : NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
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
  return load_text (text, len);
}

static CpOrder *
parse_order (JsonNode *node,
             gint64   *modified)
{
  g_autoptr(GError) error = NULL;
  CpOrder *order = cp_woocommerce_parse_order (node, "int_test", modified, &error);

  g_assert_no_error (error);
  g_assert_nonnull (order);
  return order;
}

static void
test_order (void)
{
  g_autoptr(JsonNode) doc = load ("order.json");
  g_autoptr(CpOrder) order = NULL;
  gint64 modified = 0, expected = 0;
  CpOrderLine *line;

  if (doc == NULL)
    return;
  order = parse_order (doc, &modified);
  g_assert_cmpstr (order->external_id, ==, "727");
  g_assert_cmpstr (order->number, ==, "727");
  g_assert_cmpstr (order->source, ==, "int_test");
  g_assert_cmpstr (order->status, ==, "processing");
  g_assert_cmpstr (order->currency, ==, "USD");
  g_assert_cmpstr (order->customer_email, ==, "john.doe@example.com");
  g_assert_cmpuint (order->lines->len, ==, 2);
  /* "price": 3 as a JSON number; subtotal "6.00" for two. */
  line = g_ptr_array_index (order->lines, 0);
  g_assert_cmpint (line->quantity, ==, 2);
  g_assert_cmpint (line->unit_price_minor, ==, 300);
  g_assert_cmpint (line->discount_minor, ==, 0);
  g_assert_cmpint (line->tax_minor, ==, 45);
  g_assert_cmpstr (line->name, ==, "Woo Single #1");
  g_assert_cmpint (order->shipping_minor, ==, 1000);
  /* Exactly the store's "total": "29.35". */
  g_assert_cmpint (cp_order_compute_total (order), ==, 2935);
  /* The *_gmt dates, not the site's local ones. */
  g_assert_true (woo_parse_gmt_date ("2017-03-22T19:28:08", &expected));
  g_assert_cmpint (modified, ==, expected);
  g_assert_true (woo_parse_gmt_date ("2017-03-22T19:28:02", &expected));
  g_assert_cmpint (order->placed_at_us, ==, expected);
}

static void
test_orders_list (void)
{
  g_autoptr(JsonNode) doc = load ("orders_list.json");
  JsonArray *array;
  g_autoptr(CpOrder) first = NULL;
  g_autoptr(CpOrder) second = NULL;

  if (doc == NULL)
    return;
  array = json_node_get_array (doc);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  first = parse_order (json_array_get_element (array, 0), NULL);
  second = parse_order (json_array_get_element (array, 1), NULL);
  g_assert_cmpint (cp_order_compute_total (first), ==, 2935);
  g_assert_cmpstr (second->external_id, ==, "723");
  g_assert_cmpint (cp_order_compute_total (second), ==, 3900);
  /* Its refunds array: "-10.00" and "-9.00". */
  g_assert_cmpuint (second->refunds->len, ==, 2);
  g_assert_cmpint (((CpRefund *) g_ptr_array_index (second->refunds, 0))->amount_minor, ==, 1000);
  g_assert_cmpint (((CpRefund *) g_ptr_array_index (second->refunds, 1))->amount_minor, ==, 900);
}

static void
test_refunds (void)
{
  g_autoptr(JsonNode) one = load ("order_refund.json");
  g_autoptr(JsonNode) list = load ("order_refunds_list.json");
  g_autoptr(CpOrder) order = cp_order_new ();
  g_autoptr(GError) error = NULL;

  if (one == NULL || list == NULL)
    return;
  g_strlcpy (order->currency, "USD", sizeof order->currency);
  g_assert_true (woo_parse_refunds (one, order, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (order->refunds->len, ==, 1);
  g_assert_cmpint (((CpRefund *) g_ptr_array_index (order->refunds, 0))->amount_minor, ==, 1000);

  /* 726 ("10.00") and 724, whose refunded line has a negative quantity
   * and "price": -9: the refund is its "amount", "9.00". */
  g_assert_true (woo_parse_refunds (list, order, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (order->refunds->len, ==, 3);
  g_assert_cmpint (((CpRefund *) g_ptr_array_index (order->refunds, 2))->amount_minor, ==, 900);
}

static void
test_batch_response (void)
{
  g_autoptr(JsonNode) doc = load ("orders_batch_response.json");
  g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func ((GDestroyNotify) woo_item_result_free);
  g_autoptr(GPtrArray) updated = g_ptr_array_new_with_free_func ((GDestroyNotify) woo_item_result_free);
  g_autoptr(GPtrArray) deleted = g_ptr_array_new_with_free_func ((GDestroyNotify) woo_item_result_free);
  g_autoptr(GError) error = NULL;

  if (doc == NULL)
    return;
  g_assert_true (woo_parse_batch_results (doc, "create", created, &error));
  g_assert_true (woo_parse_batch_results (doc, "update", updated, &error));
  g_assert_true (woo_parse_batch_results (doc, "delete", deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (created->len, ==, 2);
  g_assert_cmpint (((WooItemResult *) g_ptr_array_index (created, 1))->id, ==, 729);
  g_assert_cmpuint (updated->len, ==, 1);
  g_assert_true (((WooItemResult *) g_ptr_array_index (updated, 0))->ok);
  g_assert_cmpint (((WooItemResult *) g_ptr_array_index (updated, 0))->id, ==, 727);
  /* Deleted items come back as full orders, not errors. */
  g_assert_cmpuint (deleted->len, ==, 1);
  g_assert_true (((WooItemResult *) g_ptr_array_index (deleted, 0))->ok);
}

static void
test_batch_item_error (void)
{
  const char *text = "{\"update\":[{\"id\":25,\"error\":{\"code\":\"woocommerce_rest_product_invalid_id\","
                     "\"message\":\"Invalid ID.\",\"data\":{\"status\":400}}}]}";
  g_autoptr(JsonNode) doc = load_text (text, strlen (text));
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) woo_item_result_free);
  WooItemResult *r;

  g_assert_true (woo_parse_batch_results (doc, "update", results, NULL));
  r = g_ptr_array_index (results, 0);
  g_assert_false (r->ok);
  g_assert_cmpint (r->id, ==, 25);
  g_assert_cmpstr (r->code, ==, "woocommerce_rest_product_invalid_id");
}

static void
test_products (void)
{
  g_autoptr(JsonNode) simple = load ("product_simple.json");
  g_autoptr(JsonNode) variable = load ("product_variable.json");
  g_autoptr(JsonNode) variation = load ("product_variation.json");
  g_autoptr(WooProduct) s = NULL, v = NULL, w = NULL;
  g_autoptr(GError) error = NULL;

  if (simple == NULL || variable == NULL || variation == NULL)
    return;
  s = woo_parse_product (simple, &error);
  g_assert_no_error (error);
  g_assert_cmpint (s->id, ==, 794);
  g_assert_cmpstr (s->type, ==, "simple");
  /* "sku": "" is no SKU. */
  g_assert_null (s->sku);

  v = woo_parse_product (variable, &error);
  g_assert_no_error (error);
  g_assert_cmpint (v->id, ==, 799);
  g_assert_cmpstr (v->type, ==, "variable");
  g_assert_nonnull (v->variations);
  g_assert_cmpuint (v->variations->len, ==, 0);

  w = woo_parse_product (variation, &error);
  g_assert_no_error (error);
  g_assert_cmpint (w->id, ==, 732);
  g_assert_null (w->sku);
}

static void
test_webhook_resource_is_no_order (void)
{
  g_autoptr(JsonNode) doc = load ("webhook_resource.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(CpOrder) order = NULL;

  if (doc == NULL)
    return;
  /* The subscription object: refused cleanly, no currency to read. */
  order = cp_woocommerce_parse_order (doc, "int_test", NULL, &error);
  g_assert_null (order);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_INVALID_DATA);
}

static void
test_webhook_delivery (void)
{
  g_autoptr(JsonNode) doc = load ("webhook_delivery_wc_v2.json");
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(CpOrder) order = NULL;
  JsonObject *delivery;
  const char *text;
  CpOrderLine *line;

  if (doc == NULL)
    return;
  delivery = json_node_get_object (doc);
  text = json_object_get_string_member (delivery, "request_body");
  body = load_text (text, strlen (text));
  order = parse_order (body, NULL);
  g_assert_cmpstr (order->external_id, ==, "118");
  g_assert_cmpstr (order->number, ==, "118");
  g_assert_cmpstr (order->currency, ==, "BRL");
  g_assert_cmpstr (order->status, ==, "completed");
  g_assert_cmpuint (order->lines->len, ==, 1);
  line = g_ptr_array_index (order->lines, 0);
  g_assert_cmpstr (line->sku, ==, "12345");
  g_assert_cmpint (line->unit_price_minor, ==, 200);
  /* "total_shipping" in the legacy shape. */
  g_assert_cmpint (cp_order_compute_total (order), ==, 1400);
}

static void
test_money_exact (void)
{
  const char *text = "{\"id\":5,\"currency\":\"KWD\",\"status\":\"pending\",\"line_items\":["
                     "{\"quantity\":1,\"subtotal\":\"1.234\",\"total\":\"1.234\",\"total_tax\":\"0.000\","
                     "\"price\":1.234,\"sku\":\"A\",\"name\":\"A\"}],\"shipping_total\":\"0.100\"}";
  const char *bad = "{\"id\":6,\"currency\":\"USD\",\"line_items\":["
                    "{\"quantity\":1,\"subtotal\":\"1.005\",\"total\":\"1.005\",\"sku\":\"A\"}]}";
  g_autoptr(JsonNode) doc = load_text (text, strlen (text));
  g_autoptr(JsonNode) bad_parser = load_text (bad, strlen (bad));
  g_autoptr(CpOrder) order = parse_order (doc, NULL);
  g_autoptr(CpOrder) none = NULL;
  g_autoptr(GError) error = NULL;

  /* Three decimals in dinars, exactly. */
  g_assert_cmpint (cp_order_compute_total (order), ==, 1334);
  g_assert_cmpstr (order->status, ==, "awaiting_payment");
  /* Half a cent is no amount in dollars: refused, never rounded. */
  none = cp_woocommerce_parse_order (bad_parser, "int_test", NULL, &error);
  g_assert_null (none);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_REMOTE_BUG);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/woocommerce/golden/order", test_order);
  g_test_add_func ("/woocommerce/golden/orders-list", test_orders_list);
  g_test_add_func ("/woocommerce/golden/refunds", test_refunds);
  g_test_add_func ("/woocommerce/golden/batch-response", test_batch_response);
  g_test_add_func ("/woocommerce/golden/batch-item-error", test_batch_item_error);
  g_test_add_func ("/woocommerce/golden/products", test_products);
  g_test_add_func ("/woocommerce/golden/webhook-resource", test_webhook_resource_is_no_order);
  g_test_add_func ("/woocommerce/golden/webhook-delivery", test_webhook_delivery);
  g_test_add_func ("/woocommerce/golden/money-exact", test_money_exact);

  return g_test_run ();
}
