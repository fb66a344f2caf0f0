/* cp-sandbox-shopify-mutations.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Shopify fake's mutations: inventorySetQuantities (compare-and-set,
 * applied whole or not at all, every refusal listed in userErrors),
 * productSet (lists replaced wholesale) and fulfillmentCreate. Each
 * effect is recorded with the server under its @idempotent key, so a
 * test tells "applied twice" from "sent twice".
 */

#define G_LOG_DOMAIN "cp-sandbox-shopify"

#include "config.h"

#include <string.h>

#include "cp-sandbox-shopify-private.h"

/* ---- Mutations ----------------------------------------------------------- */

static char *
effect_key (ShopifyOp  *op,
            const char *what)
{
  static gint counter;

  if (op->idempotency_key != NULL)
    return g_strdup_printf ("%s:%s", what, op->idempotency_key);
  return g_strdup_printf ("%s:#%d", what, g_atomic_int_add (&counter, 1));
}

void
shopify_run_inventory_set (ShopifyOp   *op,
                   JsonBuilder *b)
{
  JsonObject *input = shopify_var_object (op, "input");
  JsonArray *quantities = shopify_member_array (input, "quantities");
  guint n = quantities != NULL ? json_array_get_length (quantities) : 0;
  JsonNode *ignore_node = input != NULL ? json_object_get_member (input, "ignoreCompareQuantity") : NULL;
  gboolean ignore = ignore_node != NULL && json_node_get_value_type (ignore_node) == G_TYPE_BOOLEAN &&
                    json_node_get_boolean (ignore_node);
  const char *name = shopify_member_string (input, "name");
  g_autofree ShopifyVariant **targets = g_new0 (ShopifyVariant *, n + 1);
  g_autofree guint *locations = g_new0 (guint, n + 1);
  gboolean failed = FALSE;

  op->actual = op->requested;
  json_builder_begin_object (b);
  shopify_begin_user_errors (b);
  if (quantities == NULL || (g_strcmp0 (name, "available") != 0 && g_strcmp0 (name, "on_hand") != 0))
    {
      shopify_add_user_error (b, "INVALID_NAME", "The quantity name must be available or on_hand.",
                              "name", -1, NULL);
      failed = TRUE;
    }
  for (guint i = 0; i < n && quantities != NULL; i++)
    {
      JsonNode *node = json_array_get_element (quantities, i);
      JsonObject *q = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 item = shopify_gid_parse (shopify_member_string (q, "inventoryItemId"), "InventoryItem");
      gint64 loc = shopify_gid_parse (shopify_member_string (q, "locationId"), "Location");
      gint64 quantity = 0, compare = 0;
      gboolean has_compare = shopify_member_int (q, "compareQuantity", &compare) ||
                             shopify_member_int (q, "changeFromQuantity", &compare);

      targets[i] = item > 0 ? g_hash_table_lookup (op->store->by_item, &item) : NULL;
      locations[i] = SHOPIFY_N_LOCATIONS;
      for (guint l = 0; l < SHOPIFY_N_LOCATIONS; l++)
        if (shopify_location_ids[l] == loc)
          locations[i] = l;
      if (targets[i] == NULL)
        shopify_add_user_error (b, "INVALID_INVENTORY_ITEM",
                                "The specified inventory item could not be found.",
                                "quantities", i, "inventoryItemId");
      else if (locations[i] == SHOPIFY_N_LOCATIONS)
        shopify_add_user_error (b, "INVALID_LOCATION", "The specified location could not be found.",
                                "quantities", i, "locationId");
      else if (targets[i]->unstocked[locations[i]])
        shopify_add_user_error (b, "ITEM_NOT_STOCKED_AT_LOCATION",
                                "The specified inventory item is not stocked at the location.",
                                "quantities", i, "locationId");
      else if (!shopify_member_int (q, "quantity", &quantity) || quantity < -1000000000 ||
               quantity > 1000000000)
        shopify_add_user_error (b, "INVALID_QUANTITY", "The quantity is not valid.",
                                "quantities", i, "quantity");
      else if (!ignore && !has_compare)
        shopify_add_user_error (b, "INVALID_COMPARE_QUANTITY",
                                "A compareQuantity is required unless ignoreCompareQuantity is true.",
                                "quantities", i, "compareQuantity");
      else if (!ignore && compare != targets[i]->available[locations[i]])
        shopify_add_user_error (b, "COMPARE_QUANTITY_STALE",
                                "The compareQuantity value does not match the latest quantity.",
                                "quantities", i, "compareQuantity");
      else
        continue;
      /* Nothing applies, and every refusal is listed. */
      failed = TRUE;
    }
  json_builder_end_array (b);

  if (failed)
    {
      shopify_add_str (b, "inventoryAdjustmentGroup", NULL);
      json_builder_end_object (b);
      return;
    }

  {
    g_autofree char *effect = effect_key (op, "inventorySetQuantities");

    cp_sandbox_server_record_effect (op->server, effect);
    op->n_effects++;
  }
  json_builder_set_member_name (b, "inventoryAdjustmentGroup");
  json_builder_begin_object (b);
  shopify_add_time (b, "createdAt", shopify_store_tick (op->store));
  shopify_add_str (b, "reason", shopify_member_string (input, "reason"));
  json_builder_set_member_name (b, "changes");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *q = json_node_get_object (json_array_get_element (quantities, i));
      gint64 quantity = 0, before;

      shopify_member_int (q, "quantity", &quantity);
      before = targets[i]->available[locations[i]];
      targets[i]->available[locations[i]] = quantity;
      json_builder_begin_object (b);
      shopify_add_str (b, "name", "available");
      json_builder_set_member_name (b, "delta");
      json_builder_add_int_value (b, quantity - before);
      json_builder_set_member_name (b, "quantityAfterChange");
      json_builder_add_int_value (b, quantity);
      shopify_add_id_object (b, "item", "InventoryItem", targets[i]->inventory_item_id);
      shopify_add_id_object (b, "location", "Location", shopify_location_ids[locations[i]]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
add_product (JsonBuilder    *b,
             ShopifyProduct *p)
{
  json_builder_set_member_name (b, "product");
  json_builder_begin_object (b);
  shopify_add_gid (b, "id", "Product", p->id);
  shopify_add_str (b, "title", p->title);
  shopify_add_str (b, "status", p->status);
  shopify_add_str (b, "productType", p->product_type != NULL ? p->product_type : "");
  json_builder_set_member_name (b, "variants");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint k = 0; k < p->variants->len; k++)
    {
      ShopifyVariant *v = g_ptr_array_index (p->variants, k);
      g_autofree char *price = shopify_money (v->price_minor);

      json_builder_begin_object (b);
      shopify_add_gid (b, "id", "ProductVariant", v->id);
      shopify_add_str (b, "sku", v->sku);
      shopify_add_str (b, "price", price);
      shopify_add_id_object (b, "inventoryItem", "InventoryItem", v->inventory_item_id);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static gboolean
parse_price (const char *text,
             gint64     *out)
{
  gint64 major, minor = 0;
  char *end = NULL;

  if (text == NULL)
    return FALSE;
  major = g_ascii_strtoll (text, &end, 10);
  if (end == text || major < 0)
    return FALSE;
  if (*end == '.')
    {
      const char *d = end + 1;

      if (!g_ascii_isdigit (d[0]) || (d[1] != '\0' && !g_ascii_isdigit (d[1])) ||
          (d[1] != '\0' && d[2] != '\0'))
        return FALSE;
      minor = (d[0] - '0') * 10 + (d[1] != '\0' ? d[1] - '0' : 0);
    }
  else if (*end != '\0')
    return FALSE;
  *out = major * 100 + minor;
  return TRUE;
}

void
shopify_run_product_set (ShopifyOp   *op,
                 JsonBuilder *b)
{
  JsonObject *input = shopify_var_object (op, "input");
  JsonArray *variants = shopify_member_array (input, "variants");
  JsonArray *metafields = shopify_member_array (input, "metafields");
  const char *gid = shopify_member_string (input, "id");
  const char *title = shopify_member_string (input, "title");
  const char *status = shopify_member_string (input, "status");
  const char *product_type = shopify_member_string (input, "productType");
  ShopifyProduct *p = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  guint n = variants != NULL ? json_array_get_length (variants) : 0;

  op->actual = op->requested;
  json_builder_begin_object (b);
  if (gid != NULL)
    {
      p = shopify_store_find_product (op->store, shopify_gid_parse (gid, "Product"));
      if (p == NULL)
        {
          shopify_begin_user_errors (b);
          shopify_add_user_error (b, "PRODUCT_DOES_NOT_EXIST", "Product does not exist", "id", -1, NULL);
          json_builder_end_array (b);
          shopify_add_str (b, "product", NULL);
          json_builder_end_object (b);
          return;
        }
    }
  if (product_type != NULL && g_utf8_strlen (product_type, -1) > 255)
    {
      /* Shopify's limit on the merchant's product type. */
      shopify_begin_user_errors (b);
      shopify_add_user_error (b, "INVALID", "Product type is too long (maximum is 255 characters)",
                              "productType", -1, NULL);
      json_builder_end_array (b);
      shopify_add_str (b, "product", NULL);
      json_builder_end_object (b);
      return;
    }
  if (p == NULL && (title == NULL || n == 0))
    {
      shopify_begin_user_errors (b);
      shopify_add_user_error (b, "INVALID", "A new product needs a title and its variants.",
                              title == NULL ? "title" : "variants", -1, NULL);
      json_builder_end_array (b);
      shopify_add_str (b, "product", NULL);
      json_builder_end_object (b);
      return;
    }
  if (p == NULL)
    p = shopify_store_add_product (op->store, title);

  if (title != NULL)
    {
      g_free (p->title);
      p->title = g_strdup (title);
    }
  /* Left out, it stays as it is; "" clears it. */
  if (product_type != NULL)
    {
      g_free (p->product_type);
      p->product_type = g_strdup (product_type);
    }
  if (status != NULL)
    {
      g_free (p->status);
      p->status = g_strdup (status);
    }
  if (variants != NULL)
    {
      /* A list is replaced wholesale: what the input leaves out goes. */
      kept = g_ptr_array_new ();
      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_array_get_element (variants, i);
          JsonObject *vi = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *sku = shopify_member_string (vi, "sku");
          gint64 vid = shopify_gid_parse (shopify_member_string (vi, "id"), "ProductVariant");
          ShopifyVariant *v = NULL;
          gint64 price = 0;
          gboolean has_price;

          for (guint k = 0; k < p->variants->len && v == NULL; k++)
            {
              ShopifyVariant *c = g_ptr_array_index (p->variants, k);

              if ((vid > 0 && c->id == vid) || (vid == 0 && sku != NULL && g_strcmp0 (c->sku, sku) == 0))
                v = c;
            }
          /* A price left out leaves the variant's as it is. */
          has_price = parse_price (shopify_member_string (vi, "price"), &price);
          if (v == NULL)
            {
              v = shopify_store_add_variant (op->store, p, sku, price);
              g_ptr_array_steal_index (p->variants, p->variants->len - 1);
            }
          else
            {
              g_free (v->sku);
              v->sku = g_strdup (sku);
              if (has_price)
                v->price_minor = price;
            }
          g_ptr_array_add (kept, v);
        }
      for (guint k = 0; k < p->variants->len; k++)
        {
          ShopifyVariant *v = g_ptr_array_index (p->variants, k);

          if (!g_ptr_array_find (kept, v, NULL))
            {
              g_hash_table_remove (op->store->by_item, &v->inventory_item_id);
              g_hash_table_remove (op->store->by_variant, &v->id);
            }
          else
            p->variants->pdata[k] = NULL;
        }
      g_ptr_array_set_size (p->variants, 0);
      for (guint k = 0; k < kept->len; k++)
        g_ptr_array_add (p->variants, g_ptr_array_index (kept, k));
    }
  if (metafields != NULL)
    {
      g_hash_table_remove_all (p->metafields);
      for (guint i = 0; i < json_array_get_length (metafields); i++)
        {
          JsonNode *node = json_array_get_element (metafields, i);
          JsonObject *m = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *ns = shopify_member_string (m, "namespace"), *key = shopify_member_string (m, "key");
          const char *value = shopify_member_string (m, "value");

          if (ns != NULL && key != NULL && value != NULL)
            g_hash_table_insert (p->metafields, g_strdup_printf ("%s.%s", ns, key), g_strdup (value));
        }
    }
  p->updated_at = shopify_store_tick (op->store);
  {
    g_autofree char *effect = effect_key (op, "productSet");

    cp_sandbox_server_record_effect (op->server, effect);
    op->n_effects++;
  }
  shopify_begin_user_errors (b);
  json_builder_end_array (b);
  add_product (b, p);
  json_builder_end_object (b);
}

void
shopify_run_fulfillment_create (ShopifyOp   *op,
                        JsonBuilder *b)
{
  JsonObject *f = shopify_var_object (op, "fulfillment");
  JsonArray *by_fo = shopify_member_array (f, "lineItemsByFulfillmentOrder");
  JsonNode *tracking_node = f != NULL ? json_object_get_member (f, "trackingInfo") : NULL;
  JsonObject *tracking = tracking_node != NULL && JSON_NODE_HOLDS_OBJECT (tracking_node)
                         ? json_node_get_object (tracking_node) : NULL;
  ShopifyOrder *o = NULL;
  gboolean open = FALSE;

  op->actual = op->requested;
  if (by_fo != NULL && json_array_get_length (by_fo) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (by_fo, 0)))
    {
      JsonObject *first = json_node_get_object (json_array_get_element (by_fo, 0));
      gint64 id = shopify_gid_parse (shopify_member_string (first, "fulfillmentOrderId"), "FulfillmentOrder");

      o = id > 0 ? shopify_store_find_order (op->store, id) : NULL;
    }
  for (guint k = 0; o != NULL && k < o->lines->len; k++)
    {
      ShopifyLine *l = g_ptr_array_index (o->lines, k);

      open |= l->current_quantity > l->fulfilled;
    }

  json_builder_begin_object (b);
  shopify_begin_user_errors (b);
  if (o == NULL || !open || o->cancelled_at > 0)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "field");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, "fulfillment");
      json_builder_end_array (b);
      shopify_add_str (b, "message", o == NULL ? "Fulfillment order does not exist."
                       : "Fulfillment order is not in a fulfillable state.");
      json_builder_end_object (b);
      json_builder_end_array (b);
      shopify_add_str (b, "fulfillment", NULL);
      json_builder_end_object (b);
      return;
    }
  json_builder_end_array (b);
  for (guint k = 0; k < o->lines->len; k++)
    {
      ShopifyLine *l = g_ptr_array_index (o->lines, k);

      l->fulfilled = l->current_quantity;
    }
  g_free (o->tracking);
  o->tracking = g_strdup (shopify_member_string (tracking, "number"));
  o->updated_at = shopify_store_tick (op->store);
  {
    g_autofree char *effect = effect_key (op, "fulfillmentCreate");

    cp_sandbox_server_record_effect (op->server, effect);
    op->n_effects++;
  }
  json_builder_set_member_name (b, "fulfillment");
  json_builder_begin_object (b);
  shopify_add_gid (b, "id", "Fulfillment", op->store->next_id++);
  shopify_add_str (b, "status", "SUCCESS");
  json_builder_set_member_name (b, "trackingInfo");
  json_builder_begin_array (b);
  if (tracking != NULL)
    {
      json_builder_begin_object (b);
      shopify_add_str (b, "number", shopify_member_string (tracking, "number"));
      shopify_add_str (b, "company", shopify_member_string (tracking, "company"));
      shopify_add_str (b, "url", shopify_member_string (tracking, "url"));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

