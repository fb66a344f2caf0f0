/* test-sandbox-woocommerce-orders.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The WooCommerce fake keeps each order as the JSON text it serves, and
 * makes it a JsonNode again only to change it (woo_order_edit, then
 * woo_order_pack). That relies on json-glib writing back, byte for byte,
 * the text it reads from its own output: held here for the demo orders
 * and for awkward ones (doubles, unicode, quotes, control characters,
 * nulls, nesting), so that a change to one member leaves every other
 * byte of the order as it was.
 */

#include "config.h"

#include <string.h>

#include "cp-sandbox-woocommerce-private.h"

static void
assert_round_trip (WooOrder *o)
{
  g_autofree char *before = g_strdup (woo_order_json (o));
  g_autofree char *status = g_strdup (woo_order_status (o));
  JsonObject *obj = woo_order_edit (o);

  g_assert_null (o->json);
  g_assert_cmpstr (woo_order_status (o), ==, status);
  g_assert_cmpstr (json_object_get_string_member_with_default (obj, "status", ""), ==, status);
  woo_order_pack (o);
  g_assert_null (o->node);
  g_assert_cmpstr (woo_order_json (o), ==, before);
  g_assert_cmpstr (woo_order_status (o), ==, status);
}

static void
test_demo_orders (void)
{
  WooStore *store = woo_store_new (60, 4, 300);

  g_assert_cmpuint (store->orders->len, ==, 300);
  for (guint i = 0; i < store->orders->len; i++)
    {
      WooOrder *o = g_ptr_array_index (store->orders, i);
      g_autoptr(JsonNode) parsed = json_from_string (woo_order_json (o), NULL);

      /* the text is the order, with its id */
      g_assert_nonnull (parsed);
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (parsed), "id"), ==, o->id);
      assert_round_trip (o);
    }
  woo_store_free (store);
}

static void
test_awkward_orders (void)
{
  static const char * const orders[] = {
    "{\"status\":\"on-hold\",\"line_items\":[{\"price\":0.1,\"quantity\":3,\"name\":\"Caf\\u00e9 \\u201cq\\u201d \\ud83d\\ude00\"},"
    "{\"price\":12.99,\"total\":\"12.99\"},{\"price\":1e300},{\"price\":-0.0},{\"price\":12.0},{\"price\":1.5e-7}],"
    "\"note\":\"tab\\there \\\"dq\\\" back\\\\slash \\u0001\\u001f\\u007f end\",\"customer_note\":null,"
    "\"meta_data\":[],\"shipping\":{},\"flags\":[true,false,null,[[],{}]],\"big\":9223372036854775807,\"neg\":-9223372036854775807}",
    "{\"line_items\":[]}",
  };
  WooStore *store = woo_store_new (4, 0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      g_autoptr(GError) error = NULL;
      JsonNode *node = json_from_string (orders[i], &error);
      WooOrder *o;
      JsonObject *obj;
      g_autofree char *before = NULL;
      g_autofree char *expected = NULL;

      g_assert_no_error (error);
      o = woo_store_add_order_node (store, node);
      assert_round_trip (o);

      /* one member changed, the rest as it was */
      before = g_strdup (woo_order_json (o));
      obj = woo_order_edit (o);
      json_object_set_string_member (obj, "status", "completed");
      woo_order_pack (o);
      g_assert_cmpstr (woo_order_status (o), ==, "completed");
      {
        g_autoptr(JsonNode) again = json_from_string (before, NULL);

        json_object_set_string_member (json_node_get_object (again), "status", "completed");
        expected = json_to_string (again, FALSE);
      }
      g_assert_cmpstr (woo_order_json (o), ==, expected);
    }
  woo_store_free (store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox/woocommerce-orders/demo", test_demo_orders);
  g_test_add_func ("/sandbox/woocommerce-orders/awkward", test_awkward_orders);

  return g_test_run ();
}
