/* cp-sandbox-woocommerce-access.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What tests and benchmarks read and change in the WooCommerce fake's
 * store from their own thread, under the fake's mutex: stock, order
 * statuses, meta data, products deleted or added by hand, orders placed.
 */

#define G_LOG_DOMAIN "cp-sandbox-woocommerce"

#include "config.h"

#include "cp-sandbox-woocommerce-private.h"

guint
cp_sandbox_woocommerce_get_n_products (CpSandboxWoocommerce *self)
{
  guint n;

  g_return_val_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->store->products->len;
  g_mutex_unlock (&self->mutex);
  return n;
}

gint64
cp_sandbox_woocommerce_get_stock (CpSandboxWoocommerce *self,
                                  const char           *sku)
{
  WooProduct *p;
  gint64 n = -1;

  g_return_val_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self), -1);

  g_mutex_lock (&self->mutex);
  p = woo_store_find_sku (self->store, sku);
  if (p != NULL && p->manage_stock)
    n = p->stock_quantity;
  g_mutex_unlock (&self->mutex);
  return n;
}

char *
cp_sandbox_woocommerce_dup_order_status (CpSandboxWoocommerce *self,
                                         guint                 order_id)
{
  WooOrder *o;
  char *status = NULL;

  g_return_val_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self), NULL);

  g_mutex_lock (&self->mutex);
  o = woo_store_find_order (self->store, order_id);
  if (o != NULL)
    status = g_strdup (woo_order_status (o));
  g_mutex_unlock (&self->mutex);
  return status;
}

char *
cp_sandbox_woocommerce_dup_meta (CpSandboxWoocommerce *self,
                                 const char           *sku,
                                 const char           *key)
{
  WooProduct *p;
  char *value = NULL;

  g_return_val_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self), NULL);

  g_mutex_lock (&self->mutex);
  p = woo_store_find_sku (self->store, sku);
  if (p != NULL && p->meta_data != NULL && JSON_NODE_HOLDS_ARRAY (p->meta_data))
    {
      JsonArray *array = json_node_get_array (p->meta_data);

      for (guint i = 0; value == NULL && i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *meta = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

          if (meta != NULL && g_strcmp0 (json_object_get_string_member_with_default (meta, "key", NULL), key) == 0 &&
              json_object_has_member (meta, "value"))
            value = json_to_string (json_object_get_member (meta, "value"), FALSE);
        }
    }
  g_mutex_unlock (&self->mutex);
  return value;
}

gboolean
cp_sandbox_woocommerce_delete_product (CpSandboxWoocommerce *self,
                                       const char           *sku)
{
  WooProduct *p;

  g_return_val_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self), FALSE);

  g_mutex_lock (&self->mutex);
  p = woo_store_find_sku (self->store, sku);
  if (p != NULL)
    p->trashed = TRUE;
  g_mutex_unlock (&self->mutex);
  return p != NULL;
}

guint
cp_sandbox_woocommerce_add_product (CpSandboxWoocommerce *self,
                                    const char           *sku,
                                    const char           *name,
                                    gint64                price_minor,
                                    gint64                stock)
{
  guint id;

  g_return_val_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self), 0);

  g_mutex_lock (&self->mutex);
  id = woo_store_add_product (self->store, sku, name, price_minor, stock)->id;
  g_mutex_unlock (&self->mutex);
  return id;
}

guint
cp_sandbox_woocommerce_add_variation (CpSandboxWoocommerce *self,
                                      guint                 parent_id,
                                      const char           *sku,
                                      gint64                stock)
{
  WooProduct *parent;
  guint id = 0;

  g_return_val_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self), 0);

  g_mutex_lock (&self->mutex);
  parent = woo_store_find (self->store, parent_id);
  if (parent != NULL && parent->parent_id == 0)
    id = woo_store_add_variation (self->store, parent, sku, "One size", stock)->id;
  g_mutex_unlock (&self->mutex);
  return id;
}

void
cp_sandbox_woocommerce_add_orders (CpSandboxWoocommerce *self,
                                   guint                 n_orders,
                                   guint32               seed)
{
  g_return_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self));

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < n_orders; i++)
    {
      woo_store_add_orders (self->store, 1, seed + i);
      woo_webhook_queue (self, g_ptr_array_index (self->store->orders, self->store->orders->len - 1),
                         "order.created");
    }
  g_mutex_unlock (&self->mutex);
}

guint
cp_sandbox_woocommerce_add_order_json (CpSandboxWoocommerce *self,
                                       const char           *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  guint id;

  g_return_val_if_fail (CP_IS_SANDBOX_WOOCOMMERCE (self), 0);

  if (!json_parser_load_from_data (parser, json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  g_mutex_lock (&self->mutex);
  {
    WooOrder *o = woo_store_add_order_node (self->store, json_node_copy (root));

    id = o->id;
    woo_webhook_queue (self, o, "order.created");
  }
  g_mutex_unlock (&self->mutex);
  return id;
}
