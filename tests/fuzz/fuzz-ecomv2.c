/* fuzz-ecomv2.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the ecomv2 connector's response parsers: a
 * platform's answer is outside input. Whatever the bytes, each parser
 * either returns its result or a classified error, and nothing crashes
 * or leaks; a successful parse never leaves an error behind. The batch
 * answer's fast reader (ecomv2_scan_batch_results) is checked against
 * the tree path: when it answers, the tree path succeeds with the same
 * results.
 */

#include "config.h"

#include <stdint.h>

#include "cp-ecomv2-private.h"
#include "cp-money.h"
#include "../connectors/ecomv2-batch-check.h"

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

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) skus = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) fast = g_ptr_array_new_with_free_func ((GDestroyNotify) ecomv2_item_result_free);
  GError *error = NULL;
  gboolean ok, fast_ok;

  fast_ok = ecomv2_scan_batch_results ((const char *) data, size, fast);
  if (!fast_ok)
    g_assert_cmpuint (fast->len, ==, 0);

  /* NULL without an error is a blank body, read as no value. */
  root = ecomv2_parse_json ((const char *) data, size, &error);
  if (error != NULL)
    {
      g_assert_false (fast_ok);
      g_assert_null (root);
      check_error (FALSE, error);
      g_clear_error (&error);
      return 0;
    }
  g_hash_table_insert (skus, (gpointer) "prod_456", (gpointer) "SPEAKER-002");

  {
    g_autoptr(GPtrArray) products = g_ptr_array_new_with_free_func ((GDestroyNotify) ecomv2_product_free);
    g_auto(Ecomv2Page) page = { 0 };

    ok = ecomv2_parse_products_page (root, products, &page, &error);
    check_error (ok, error);
    g_clear_error (&error);
  }
  {
    g_autoptr(Ecomv2Product) product = ecomv2_parse_product (root, &error);

    check_error (product != NULL, error);
    g_clear_error (&error);
  }
  {
    g_autoptr(GPtrArray) warehouses = g_ptr_array_new_with_free_func (g_free);

    ok = ecomv2_parse_inventory_warehouses (root, warehouses, &error);
    check_error (ok, error);
    g_clear_error (&error);
  }
  {
    g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);
    g_autoptr(GArray) updated = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_auto(Ecomv2Page) page = { 0 };
    gboolean missing = FALSE;

    ok = ecomv2_parse_orders_page (root, "ecomv2-1", skus, &missing, orders, updated, &page, &error);
    check_error (ok, error);
    g_clear_error (&error);
    if (ok)
      {
        g_assert_cmpuint (orders->len, ==, updated->len);
        for (guint i = 0; i < orders->len; i++)
          {
            CpOrder *order = g_ptr_array_index (orders, i);

            g_assert_nonnull (order->external_id);
            g_assert_true (cp_currency_is_valid (order->currency));
          }
      }
  }
  {
    g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) ecomv2_item_result_free);

    ok = ecomv2_parse_batch_results (root, results, &error);
    check_error (ok, error);
    g_clear_error (&error);
    if (fast_ok)
      {
        g_assert_true (ok);
        ecomv2_assert_same_results (results, fast);
      }
  }
  {
    const char *code = NULL, *message = NULL;

    ecomv2_parse_error_body (root, &code, &message);
  }
  if (root != NULL && JSON_NODE_HOLDS_VALUE (root) && json_node_get_value_type (root) == G_TYPE_STRING)
    {
      gint64 us = 0;

      if (ecomv2_parse_time (json_node_get_string (root), &us))
        g_free (ecomv2_format_time (us));
    }
  return 0;
}
