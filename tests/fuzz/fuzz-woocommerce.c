/* fuzz-woocommerce.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the WooCommerce connector's parsers: a site's
 * answer, and a webhook body, are outside input. Whatever the bytes, each
 * parser returns its result or a classified error, nothing crashes or
 * leaks, and an order that parses has a valid currency and totals within
 * gint64.
 */

#include "config.h"

#include <stdint.h>

#include "cp-money.h"
#include "cp-woocommerce-private.h"

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
check_order (JsonNode *node)
{
  GError *error = NULL;
  gint64 modified = 0;
  g_autoptr(CpOrder) order = cp_woocommerce_parse_order (node, "woocommerce-1", &modified, &error);

  check_error (order != NULL, error);
  g_clear_error (&error);
  if (order == NULL)
    return;
  g_assert_nonnull (order->external_id);
  g_assert_true (cp_currency_is_valid (order->currency));
  for (guint i = 0; i < order->lines->len; i++)
    g_assert_cmpint (((CpOrderLine *) g_ptr_array_index (order->lines, i))->quantity, >=, 0);
  for (guint i = 0; i < order->refunds->len; i++)
    g_assert_cmpint (((CpRefund *) g_ptr_array_index (order->refunds, i))->amount_minor, >=, 0);
  (void) cp_order_compute_total (order);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  gboolean ok;

  /* NULL without an error is a blank body, read as no value. */
  root = woo_parse_json ((const char *) data, size, &error);
  if (error != NULL)
    {
      g_assert_null (root);
      check_error (FALSE, error);
      g_clear_error (&error);
      return 0;
    }

  check_order (root);
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array) && i < 200; i++)
        check_order (json_array_get_element (array, i));
    }
  {
    g_autoptr(GPtrArray) products = g_ptr_array_new_with_free_func ((GDestroyNotify) woo_product_free);

    ok = woo_parse_products (root, products, &error);
    check_error (ok, error);
    g_clear_error (&error);
  }
  {
    g_autoptr(WooProduct) product = woo_parse_product (root, &error);

    check_error (product != NULL, error);
    g_clear_error (&error);
  }
  {
    g_autoptr(CpOrder) order = cp_order_new ();

    g_strlcpy (order->currency, "USD", sizeof order->currency);
    ok = woo_parse_refunds (root, order, &error);
    check_error (ok, error);
    g_clear_error (&error);
  }
  for (guint a = 0; a < 3; a++)
    {
      static const char * const actions[] = { "create", "update", "delete" };
      g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) woo_item_result_free);

      ok = woo_parse_batch_results (root, actions[a], results, &error);
      check_error (ok, error);
      g_clear_error (&error);
    }
  {
    const char *code = NULL, *message = NULL;

    woo_parse_error_body (root, &code, &message);
    g_free (woo_parse_currency_setting (root));
  }
  if (root != NULL && JSON_NODE_HOLDS_VALUE (root) && json_node_get_value_type (root) == G_TYPE_STRING)
    {
      gint64 us = 0;

      if (woo_parse_gmt_date (json_node_get_string (root), &us))
        g_free (woo_format_gmt_date (us));
    }
  return 0;
}
