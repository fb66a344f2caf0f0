/* cp-sandbox-woocommerce-handlers.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The WooCommerce fake's endpoints. Stock is an absolute stock_quantity
 * (there is no delta on the platform), so applying the same value twice
 * is one effect; a batch counts its create, update and delete items
 * together against the limit and answers 413 above it, before applying
 * anything, as check_batch_limit() does. A variation cannot be changed
 * through products/batch: WooCommerce refuses that item and points to
 * the variations endpoint.
 */

#define G_LOG_DOMAIN "cp-sandbox-woocommerce"

#include "config.h"

#include <string.h>

#include "cp-money.h"
#include "cp-sandbox-woocommerce-private.h"


guint
woo_segment_id (WooRequest *r,
                guint       index)
{
  return (guint) g_ascii_strtoull (r->segments[index], NULL, 10);
}

/* WooCommerce takes ids as numbers or numeric strings. */
static guint
member_id (JsonObject *obj,
           const char *member)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node) > 0 && json_node_get_int (node) <= G_MAXUINT
           ? (guint) json_node_get_int (node) : 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return (guint) g_ascii_strtoull (json_node_get_string (node), NULL, 10);
  return 0;
}

const char *
woo_member_string (JsonObject *obj,
                   const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
respond_product (WooRequest *r,
                 guint       status,
                 WooProduct *p)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  woo_add_product (b, r->store, p);
  woo_respond (r, status, b);
}

/* ---- Applying product fields ------------------------------------------ */

typedef struct
{
  const char *code;
  const char *message;
  guint       status;
} ItemError;

static void
merge_meta (WooStore   *store,
            WooProduct *p,
            JsonArray  *updates)
{
  JsonArray *meta;

  if (p->meta_data == NULL)
    {
      p->meta_data = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (p->meta_data, json_array_new ());
    }
  meta = json_node_get_array (p->meta_data);

  for (guint i = 0; i < json_array_get_length (updates); i++)
    {
      JsonNode *node = json_array_get_element (updates, i);
      JsonObject *u = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *key = u != NULL ? woo_member_string (u, "key") : NULL;
      JsonObject *existing = NULL;

      if (key == NULL || !json_object_has_member (u, "value"))
        continue;
      for (guint k = 0; existing == NULL && k < json_array_get_length (meta); k++)
        {
          JsonObject *m = json_array_get_object_element (meta, k);

          if (g_strcmp0 (woo_member_string (m, "key"), key) == 0)
            existing = m;
        }
      if (existing == NULL)
        {
          existing = json_object_new ();
          json_object_set_int_member (existing, "id", store->next_item_id++);
          json_object_set_string_member (existing, "key", key);
          json_array_add_object_element (meta, existing);
        }
      json_object_set_member (existing, "value",
                              json_node_copy (json_object_get_member (u, "value")));
    }
}

static gboolean
apply_product (WooRequest *r,
               WooProduct *p,
               JsonObject *u,
               ItemError  *err)
{
  const char *sku = woo_member_string (u, "sku");
  const char *name = woo_member_string (u, "name");
  const char *price = woo_member_string (u, "regular_price");
  JsonNode *stock = json_object_get_member (u, "stock_quantity");
  JsonNode *manage = json_object_get_member (u, "manage_stock");
  JsonNode *categories = json_object_get_member (u, "categories");
  JsonNode *meta = json_object_get_member (u, "meta_data");
  gint64 price_minor = 0;

  /* Validation first: a refused item changes nothing. */
  if (sku != NULL && *sku != '\0')
    {
      WooProduct *other = woo_store_find_sku (r->store, sku);

      if (other != NULL && other != p)
        {
          *err = (ItemError) { "product_invalid_sku", "Invalid or duplicated SKU.", 400 };
          return FALSE;
        }
    }
  if (price != NULL && *price != '\0' && !cp_money_parse (price, r->store->currency, &price_minor, NULL))
    {
      *err = (ItemError) { "rest_invalid_param", "Invalid parameter(s): regular_price", 400 };
      return FALSE;
    }
  if (stock != NULL && !JSON_NODE_HOLDS_NULL (stock) &&
      (!JSON_NODE_HOLDS_VALUE (stock) || json_node_get_value_type (stock) != G_TYPE_INT64))
    {
      *err = (ItemError) { "rest_invalid_param", "Invalid parameter(s): stock_quantity", 400 };
      return FALSE;
    }

  if (sku != NULL)
    {
      g_free (p->sku);
      p->sku = g_strdup (sku);
    }
  if (name != NULL && *name != '\0')
    {
      g_free (p->name);
      p->name = g_strdup (name);
    }
  if (price != NULL && *price != '\0')
    p->price_minor = price_minor;
  if (manage != NULL && JSON_NODE_HOLDS_VALUE (manage) &&
      json_node_get_value_type (manage) == G_TYPE_BOOLEAN)
    p->manage_stock = json_node_get_boolean (manage);
  if (stock != NULL && JSON_NODE_HOLDS_VALUE (stock))
    {
      gint64 quantity = json_node_get_int (stock);

      /* stock_quantity only counts where stock is managed. */
      if (p->manage_stock && p->stock_quantity != quantity)
        {
          g_autofree char *effect = g_strdup_printf ("stock.set:%u=%" G_GINT64_FORMAT, p->id, quantity);

          p->stock_quantity = quantity;
          cp_sandbox_server_record_effect (r->server, effect);
        }
    }
  if (categories != NULL && JSON_NODE_HOLDS_ARRAY (categories))
    {
      g_clear_pointer (&p->categories, json_node_unref);
      p->categories = woo_categories_resolve (r->store, categories);
    }
  if (meta != NULL && JSON_NODE_HOLDS_ARRAY (meta))
    merge_meta (r->store, p, json_node_get_array (meta));
  p->modified_us = woo_store_tick (r->store);
  return TRUE;
}

static void
add_item_error (JsonBuilder     *b,
                guint            id,
                const ItemError *err)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, id);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, err->code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, err->message);
  json_builder_set_member_name (b, "data");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, err->status);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static WooProduct *
create_product (WooRequest *r,
                JsonObject *body,
                WooProduct *parent,
                ItemError  *err)
{
  const char *sku = woo_member_string (body, "sku");
  const char *name = woo_member_string (body, "name");
  WooProduct *p;

  if (sku != NULL && *sku != '\0' && woo_store_find_sku (r->store, sku) != NULL)
    {
      *err = (ItemError) { "product_invalid_sku", "Invalid or duplicated SKU.", 400 };
      return NULL;
    }
  if (parent != NULL)
    p = woo_store_add_variation (r->store, parent, sku, NULL, 0);
  else
    p = woo_store_add_product (r->store, sku, name ? name : "Product", 0, 0);
  p->manage_stock = FALSE;
  if (!apply_product (r, p, body, err))
    return NULL;
  if (sku != NULL && *sku != '\0')
    {
      g_autofree char *effect = g_strdup_printf ("product.create:%s", sku);

      cp_sandbox_server_record_effect (r->server, effect);
    }
  return p;
}

/* ---- Products ---------------------------------------------------------- */

static int
compare_products_desc (gconstpointer a,
                       gconstpointer b)
{
  guint ia = (*(WooProduct * const *) a)->id, ib = (*(WooProduct * const *) b)->id;

  return ia < ib ? 1 : ia > ib ? -1 : 0;
}

/* include=1,2,3 (WordPress reads a list parameter from commas too):
 * FALSE when the product is not in it. */
static gboolean
included (WooRequest *r,
          guint       id)
{
  const char *include = g_hash_table_lookup (r->query, "include");
  g_auto(GStrv) ids = NULL;

  if (include == NULL || *include == '\0')
    return TRUE;
  ids = g_strsplit (include, ",", -1);
  for (guint i = 0; ids[i] != NULL; i++)
    if ((guint) g_ascii_strtoull (ids[i], NULL, 10) == id)
      return TRUE;
  return FALSE;
}

static void
respond_product_page (WooRequest *r,
                      GPtrArray  *matches)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *order = g_hash_table_lookup (r->query, "order");
  guint per_page, page;

  if (!woo_read_paging (r, &per_page, &page))
    return;
  /* The default order is newest first, as WordPress's. */
  if (g_strcmp0 (order, "asc") != 0)
    g_ptr_array_sort (matches, compare_products_desc);

  json_builder_begin_array (b);
  for (guint i = (page - 1) * per_page; i < matches->len && i < (guint64) page * per_page; i++)
    woo_add_product (b, r->store, g_ptr_array_index (matches, i));
  json_builder_end_array (b);
  woo_set_paging_headers (r, matches->len, per_page, page);
  woo_respond (r, SOUP_STATUS_OK, b);
}

void
woo_products_list (WooRequest *r)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  const char *sku = g_hash_table_lookup (r->query, "sku");

  for (guint i = 0; i < r->store->products->len; i++)
    {
      WooProduct *p = g_ptr_array_index (r->store->products, i);

      if (p->trashed || (sku != NULL && g_strcmp0 (p->sku, sku) != 0) || !included (r, p->id))
        continue;
      g_ptr_array_add (matches, p);
    }
  respond_product_page (r, matches);
}

void
woo_product_get (WooRequest *r)
{
  WooProduct *p = woo_store_find (r->store, woo_segment_id (r, 1));

  if (p == NULL)
    {
      woo_error (r, SOUP_STATUS_NOT_FOUND, "woocommerce_rest_product_invalid_id", "Invalid ID.");
      return;
    }
  respond_product (r, SOUP_STATUS_OK, p);
}

void
woo_product_create (WooRequest *r)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *body = woo_read_body (r, &parser);
  ItemError err = { 0 };
  WooProduct *p;

  if (body == NULL)
    return;
  p = create_product (r, body, NULL, &err);
  if (p == NULL)
    {
      woo_error (r, err.status, err.code, err.message);
      return;
    }
  respond_product (r, SOUP_STATUS_CREATED, p);
}

static const ItemError variation_via_products = {
  "woocommerce_rest_invalid_product_id",
  "To manipulate product variations you should use the /products/<product_id>/variations/<id> endpoint.",
  404,
};

void
woo_product_update (WooRequest *r)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *body = woo_read_body (r, &parser);
  WooProduct *p;
  ItemError err = { 0 };

  if (body == NULL)
    return;
  p = woo_store_find (r->store, woo_segment_id (r, 1));
  if (p == NULL)
    {
      woo_error (r, SOUP_STATUS_BAD_REQUEST, "woocommerce_rest_product_invalid_id", "Invalid ID.");
      return;
    }
  if (p->parent_id != 0)
    {
      woo_error (r, variation_via_products.status, variation_via_products.code,
                 variation_via_products.message);
      return;
    }
  if (!apply_product (r, p, body, &err))
    {
      woo_error (r, err.status, err.code, err.message);
      return;
    }
  respond_product (r, SOUP_STATUS_OK, p);
}

static guint
array_length (JsonObject *body,
              const char *member)
{
  JsonNode *node = json_object_get_member (body, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node)
         ? json_array_get_length (json_node_get_array (node)) : 0;
}

/* PARENT NULL: products/batch; otherwise that product's variations. */
static void
batch (WooRequest *r,
       WooProduct *parent)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonObject *body = woo_read_body (r, &parser);
  static const char * const actions[] = { "create", "update", "delete" };
  guint n;

  if (body == NULL)
    return;
  n = array_length (body, "create") + array_length (body, "update") + array_length (body, "delete");
  if (n > r->batch_limit)
    {
      g_autofree char *message = g_strdup_printf ("Unable to accept more than %u items for this request.",
                                                   r->batch_limit);

      woo_error (r, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                 "woocommerce_rest_request_entity_too_large", message);
      return;
    }

  json_builder_begin_object (b);
  for (guint a = 0; a < G_N_ELEMENTS (actions); a++)
    {
      JsonNode *node = json_object_get_member (body, actions[a]);
      JsonArray *items;

      if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
        continue;
      items = json_node_get_array (node);
      json_builder_set_member_name (b, actions[a]);
      json_builder_begin_array (b);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonNode *item = json_array_get_element (items, i);
          JsonObject *obj = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
          guint id = a == 2 ? (JSON_NODE_HOLDS_VALUE (item) ? (guint) json_node_get_int (item) : 0)
                            : member_id (obj, "id");
          ItemError err = { "woocommerce_rest_product_invalid_id", "Invalid ID.", 400 };
          WooProduct *p = a == 0 ? NULL : woo_store_find (r->store, id);

          if (a == 0)
            {
              p = obj != NULL ? create_product (r, obj, parent, &err) : NULL;
              if (p == NULL)
                add_item_error (b, 0, &err);
              else
                woo_add_product (b, r->store, p);
              continue;
            }
          if (p != NULL && parent == NULL && p->parent_id != 0)
            {
              add_item_error (b, id, &variation_via_products);
              continue;
            }
          if (p == NULL || (parent != NULL && p->parent_id != parent->id))
            {
              if (parent != NULL)
                err.code = "woocommerce_rest_product_variation_invalid_id";
              add_item_error (b, id, &err);
              continue;
            }
          if (a == 2)
            {
              g_autofree char *effect = g_strdup_printf ("product.delete:%u", p->id);

              p->trashed = TRUE;
              cp_sandbox_server_record_effect (r->server, effect);
              woo_add_product (b, r->store, p);
              continue;
            }
          if (obj == NULL || !apply_product (r, p, obj, &err))
            add_item_error (b, id, &err);
          else
            woo_add_product (b, r->store, p);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  woo_respond (r, SOUP_STATUS_OK, b);
}

void
woo_products_batch (WooRequest *r)
{
  batch (r, NULL);
}

static WooProduct *
find_parent (WooRequest *r)
{
  WooProduct *parent = woo_store_find (r->store, woo_segment_id (r, 1));

  if (parent == NULL || parent->parent_id != 0)
    {
      woo_error (r, SOUP_STATUS_NOT_FOUND, "woocommerce_rest_product_invalid_id", "Invalid ID.");
      return NULL;
    }
  return parent;
}

void
woo_variations_list (WooRequest *r)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  WooProduct *parent = find_parent (r);

  if (parent == NULL)
    return;
  for (guint i = 0; parent->variations != NULL && i < parent->variations->len; i++)
    {
      WooProduct *v = woo_store_find (r->store, g_array_index (parent->variations, guint, i));

      if (v != NULL && included (r, v->id))
        g_ptr_array_add (matches, v);
    }
  respond_product_page (r, matches);
}

void
woo_variation_update (WooRequest *r)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *body = woo_read_body (r, &parser);
  WooProduct *parent, *v;
  ItemError err = { 0 };

  if (body == NULL || (parent = find_parent (r)) == NULL)
    return;
  v = woo_store_find (r->store, woo_segment_id (r, 3));
  if (v == NULL || v->parent_id != parent->id)
    {
      woo_error (r, SOUP_STATUS_BAD_REQUEST, "woocommerce_rest_product_variation_invalid_id",
                 "Invalid ID.");
      return;
    }
  if (!apply_product (r, v, body, &err))
    {
      woo_error (r, err.status, err.code, err.message);
      return;
    }
  respond_product (r, SOUP_STATUS_OK, v);
}

void
woo_variations_batch (WooRequest *r)
{
  WooProduct *parent = find_parent (r);

  if (parent != NULL)
    batch (r, parent);
}
