/* fuzz-shopify.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the Shopify connector's parsers: a GraphQL answer
 * (cost extension, top-level errors, userErrors, an order node, level
 * lists) and a REST or webhook order body are outside input. Whatever
 * the bytes, each parser returns its result or a classified error, and
 * nothing crashes or leaks.
 */

#include "config.h"

#include <stdint.h>

#include "cp-shopify-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_error (gboolean  ok,
             GError   *error)
{
  if (ok)
    g_assert_null (error);
  else
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == CP_CONNECTOR_ERROR);
    }
}

static void
parse_order (JsonNode *node)
{
  g_autoptr(CpOrder) order = NULL;
  GError *error = NULL;
  gint64 at = 0;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  order = shopify_parse_order (json_node_get_object (node), "shopify-1", &at, &error);
  check_error (order != NULL, error);
  g_clear_error (&error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  JsonObject *obj;
  ShopifyCost cost;
  const char *code, *message;

  /* NULL without an error is a blank body, read as no value. */
  root = shopify_parse_json ((const char *) data, size, &error);
  if (error != NULL)
    {
      g_assert_null (root);
      check_error (FALSE, error);
      g_clear_error (&error);
      return 0;
    }

  shopify_parse_cost (root, &cost);
  shopify_parse_top_error (root, &code, &message);

  {
    g_autoptr(CpOrder) order = cp_shopify_parse_rest_order (root, "shopify-1", NULL, &error);

    check_error (order != NULL, error);
    g_clear_error (&error);
  }

  obj = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  parse_order (root);
  {
    JsonArray *nodes = shopify_get_array (obj, "data.orders.nodes");

    for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
      parse_order (json_array_get_element (nodes, i));
  }
  {
    g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) shopify_user_error_free);

    shopify_parse_user_errors (shopify_get_object (obj, "data.inventorySetQuantities"), errors);
    shopify_parse_user_errors (obj, errors);
  }
  {
    g_autoptr(GHashTable) levels = shopify_levels_from_json (NULL);
    g_autofree char *text = g_strndup ((const char *) data, MIN (size, 4096));
    g_autoptr(GHashTable) parsed = shopify_levels_from_json (text);
    g_autofree char *back = shopify_levels_to_json (parsed);

    g_assert_nonnull (back);
    g_assert_nonnull (levels);
  }
  return 0;
}
