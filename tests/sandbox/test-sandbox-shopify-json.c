/* test-sandbox-shopify-json.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Shopify fake writes its orders straight as JSON (shopify_write_order,
 * shopify_write_fulfillment_orders). Here they are held to the same order
 * built through JsonBuilder as the fake used to (reference_order), which
 * json-glib writes: the same text for the demo store and for awkward
 * orders, pages and the order query alike, or a pull would see another
 * format.
 */

#include "config.h"

#include <string.h>

#include "cp-sandbox-shopify-private.h"

static void
add_money_set (JsonBuilder *b,
               const char  *name,
               gint64       minor,
               const char  *currency)
{
  g_autofree char *amount = shopify_money (minor);

  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "shopMoney");
  json_builder_begin_object (b);
  shopify_add_str (b, "amount", amount);
  shopify_add_str (b, "currencyCode", currency);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

/* The builder version, as the fake wrote it before. */
static void
reference_order (JsonBuilder  *b,
                 ShopifyOrder *o,
                 gint64        max_lines,
                 gboolean      with_fulfillment)
{
  gint64 total = o->shipping_minor;

  json_builder_begin_object (b);
  shopify_add_gid (b, "id", "Order", o->id);
  shopify_add_str (b, "name", o->name);
  shopify_add_time (b, "createdAt", o->created_at);
  shopify_add_time (b, "updatedAt", o->updated_at);
  shopify_add_time (b, "processedAt", o->created_at);
  shopify_add_time (b, "cancelledAt", o->cancelled_at);
  shopify_add_str (b, "displayFinancialStatus", o->financial_status);
  shopify_add_str (b, "currencyCode", o->currency);
  json_builder_set_member_name (b, "lineItems");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint k = 0; k < o->lines->len; k++)
    {
      ShopifyLine *l = g_ptr_array_index (o->lines, k);

      total += l->unit_price_minor * l->quantity + l->tax_minor;
      if (k >= max_lines)
        continue;
      json_builder_begin_object (b);
      shopify_add_gid (b, "id", "LineItem", l->id);
      shopify_add_str (b, "sku", l->sku);
      shopify_add_str (b, "name", l->title);
      json_builder_set_member_name (b, "quantity");
      json_builder_add_int_value (b, l->quantity);
      json_builder_set_member_name (b, "currentQuantity");
      json_builder_add_int_value (b, l->current_quantity);
      if (l->variant_id > 0)
        shopify_add_id_object (b, "variant", "ProductVariant", l->variant_id);
      else
        shopify_add_str (b, "variant", NULL);
      add_money_set (b, "originalUnitPriceSet", l->unit_price_minor, o->currency);
      json_builder_set_member_name (b, "taxLines");
      json_builder_begin_array (b);
      if (l->tax_minor > 0)
        {
          json_builder_begin_object (b);
          shopify_add_str (b, "title", "Sales tax");
          add_money_set (b, "priceSet", l->tax_minor, o->currency);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "pageInfo");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "hasNextPage");
  json_builder_add_boolean_value (b, (gint64) o->lines->len > max_lines);
  shopify_add_str (b, "endCursor", NULL);
  json_builder_end_object (b);
  json_builder_end_object (b);
  add_money_set (b, "totalShippingPriceSet", o->shipping_minor, o->currency);
  add_money_set (b, "totalPriceSet", total, o->currency);
  json_builder_set_member_name (b, "refunds");
  json_builder_begin_array (b);
  for (guint k = 0; k < o->refunds->len; k++)
    {
      ShopifyRefund *r = g_ptr_array_index (o->refunds, k);

      json_builder_begin_object (b);
      shopify_add_gid (b, "id", "Refund", r->id);
      shopify_add_time (b, "createdAt", r->created_at);
      add_money_set (b, "totalRefundedSet", r->amount_minor, o->currency);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  /* The order query adds the fulfillment orders, which close the order. */
  if (with_fulfillment)
    {
      json_builder_set_member_name (b, "fulfillmentOrders");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "nodes");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      /* One fulfillment order per order, with the order's id. */
      shopify_add_gid (b, "id", "FulfillmentOrder", o->id);
      {
        gboolean open = FALSE;

        for (guint k = 0; k < o->lines->len; k++)
          {
            ShopifyLine *l = g_ptr_array_index (o->lines, k);

            open |= l->current_quantity > l->fulfilled;
          }
        shopify_add_str (b, "status", o->cancelled_at > 0 ? "CANCELLED" : open ? "OPEN" : "CLOSED");
      }
      json_builder_set_member_name (b, "lineItems");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "nodes");
      json_builder_begin_array (b);
      for (guint k = 0; k < o->lines->len; k++)
        {
          ShopifyLine *l = g_ptr_array_index (o->lines, k);

          json_builder_begin_object (b);
          shopify_add_gid (b, "id", "FulfillmentOrderLineItem", l->id);
          json_builder_set_member_name (b, "remainingQuantity");
          json_builder_add_int_value (b, MAX (0, l->current_quantity - l->fulfilled));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      json_builder_end_object (b);
      json_builder_end_array (b);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  else
    json_builder_end_object (b);
}

static void
assert_same_order (ShopifyOrder *o,
                   gint64        max_lines)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  CpSandboxJson w;

  reference_order (b, o, max_lines, FALSE);
  root = json_builder_get_root (b);
  expected = json_to_string (root, FALSE);
  cp_sandbox_json_init (&w, out);
  shopify_write_order (&w, o, max_lines, FALSE);
  g_assert_cmpstr (out->str, ==, expected);
}

/* The order query's answer: every line, and the fulfillment orders. */
static void
assert_same_whole_order (ShopifyOrder *o)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  CpSandboxJson w;

  reference_order (b, o, 250, TRUE);
  root = json_builder_get_root (b);
  expected = json_to_string (root, FALSE);
  cp_sandbox_json_init (&w, out);
  shopify_write_order (&w, o, 250, TRUE);
  shopify_write_fulfillment_orders (&w, o);
  cp_sandbox_json_end_object (&w);
  g_assert_cmpstr (out->str, ==, expected);
}

static void
assert_store_same (ShopifyStore *store)
{
  static const gint64 max_lines[] = { 0, 1, 2, 20, 250 };

  for (guint i = 0; i < store->orders->len; i++)
    {
      for (guint k = 0; k < G_N_ELEMENTS (max_lines); k++)
        assert_same_order (g_ptr_array_index (store->orders, i), max_lines[k]);
      assert_same_whole_order (g_ptr_array_index (store->orders, i));
    }
}

static void
test_demo (void)
{
  ShopifyStore *store = shopify_store_new (40, 300);
  guint refunded = 0;

  for (guint i = 0; i < store->orders->len; i++)
    refunded += ((ShopifyOrder *) g_ptr_array_index (store->orders, i))->refunds->len;
  g_assert_cmpuint (refunded, >, 0);
  assert_store_same (store);
  shopify_store_free (store);
}

static void
set (char       **field,
     const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static void
test_awkward (void)
{
  static const char * const texts[] = {
    "Café “quoted” 日本語 😀", "tab\there \"dq\" back\\slash", "ctl\001\037\177 end", "", NULL,
  };
  static const gint64 amounts[] = {
    0, 1, -1, 99, -199, 100000, G_GINT64_CONSTANT (123456789012345), G_GINT64_CONSTANT (-922337203685477),
  };
  static const char * const currencies[] = { "USD", "EUR", "JPY" };
  ShopifyStore *store = shopify_store_new (8, 24);

  for (guint i = 0; i < store->orders->len; i++)
    {
      ShopifyOrder *o = g_ptr_array_index (store->orders, i);
      const char *text = texts[i % G_N_ELEMENTS (texts)];

      set (&o->name, text);
      set (&o->financial_status, texts[(i + 1) % G_N_ELEMENTS (texts)]);
      memcpy (o->currency, currencies[i % G_N_ELEMENTS (currencies)], 4);
      o->shipping_minor = amounts[i % G_N_ELEMENTS (amounts)];
      /* times: none (null), whole seconds, with µs (written as seconds) */
      o->cancelled_at = i % 3 == 0 ? 0 : G_GINT64_CONSTANT (1780272000123456) + i;
      o->created_at = i % 5 == 0 ? 0 : G_GINT64_CONSTANT (1780272000000000) + i * G_USEC_PER_SEC;
      if (i % 4 == 0)
        g_ptr_array_set_size (o->lines, 0);
      for (guint k = 0; k < o->lines->len; k++)
        {
          ShopifyLine *l = g_ptr_array_index (o->lines, k);

          set (&l->sku, texts[(i + k) % G_N_ELEMENTS (texts)]);
          set (&l->title, texts[(i + k + 2) % G_N_ELEMENTS (texts)]);
          l->variant_id = k == 1 ? 0 : l->variant_id;   /* a custom line */
          l->unit_price_minor = amounts[(i + k) % G_N_ELEMENTS (amounts)];
          l->tax_minor = k == 0 ? 0 : amounts[(i + k + 3) % G_N_ELEMENTS (amounts)];
          l->quantity = k + 1;
          l->current_quantity = k;
        }
      if (i % 3 == 1)
        {
          ShopifyRefund *r = g_new0 (ShopifyRefund, 1);

          r->id = 99;
          r->amount_minor = amounts[i % G_N_ELEMENTS (amounts)];
          r->created_at = i % 2 ? 0 : G_GINT64_CONSTANT (1780272000000001);
          g_ptr_array_add (o->refunds, r);
        }
    }
  assert_store_same (store);
  shopify_store_free (store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox/shopify-json/demo", test_demo);
  g_test_add_func ("/sandbox/shopify-json/awkward", test_awkward);

  return g_test_run ();
}
