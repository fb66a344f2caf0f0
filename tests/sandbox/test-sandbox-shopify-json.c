/* test-sandbox-shopify-json.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Shopify fake writes its pages of orders straight as JSON
 * (shopify_write_order) and a single order through JsonBuilder
 * (shopify_add_order); the two must write the same text, as json-glib
 * writes the builder's, for the demo store and for awkward orders, or a
 * pull would see two formats.
 */

#include "config.h"

#include <string.h>

#include "cp-sandbox-shopify-private.h"

static void
assert_same_order (ShopifyOrder *o,
                   gint64        max_lines)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  CpSandboxJson w;

  shopify_add_order (b, o, max_lines, FALSE);
  root = json_builder_get_root (b);
  expected = json_to_string (root, FALSE);
  cp_sandbox_json_init (&w, out);
  shopify_write_order (&w, o, max_lines);
  g_assert_cmpstr (out->str, ==, expected);
}

static void
assert_store_same (ShopifyStore *store)
{
  static const gint64 max_lines[] = { 0, 1, 2, 20, 250 };

  for (guint i = 0; i < store->orders->len; i++)
    for (guint k = 0; k < G_N_ELEMENTS (max_lines); k++)
      assert_same_order (g_ptr_array_index (store->orders, i), max_lines[k]);
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
