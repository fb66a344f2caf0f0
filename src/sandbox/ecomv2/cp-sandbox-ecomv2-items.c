/* cp-sandbox-ecomv2-items.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ecomv2 endpoints on one product, inventory record or order, and the
 * batch update. Every change that would be visible twice if applied twice
 * is recorded as an effect on the server, so crash tests can count
 * duplicates: the seed has no idempotency keys, so the platform itself
 * deduplicates nothing.
 */

#define G_LOG_DOMAIN "cp-sandbox-ecomv2"

#include "config.h"

#include <string.h>

#include "cp-sandbox-ecomv2-private.h"

static const char * const product_statuses[] = { "active", "draft", "archived", NULL };
static const char * const order_statuses[] = {
  "pending", "processing", "shipped", "delivered", "cancelled", NULL,
};

/* g_set_str() is GLib 2.76, above the floor. */
static void
set_str (char       **field,
         const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

static void
respond_product (Ecomv2Request *r,
                 guint          status,
                 Ecomv2Product *p)
{
  GString *body = g_string_sized_new (1024);
  CpSandboxJson w;

  cp_sandbox_json_init (&w, body);
  ecomv2_write_product (&w, p);
  ecomv2_respond_text (r, status, body);
}

static void
respond_inventory (Ecomv2Request *r,
                   guint          status,
                   Ecomv2Product *p)
{
  GString *body = g_string_sized_new (512);
  CpSandboxJson w;

  cp_sandbox_json_init (&w, body);
  ecomv2_write_inventory (&w, p);
  ecomv2_respond_text (r, status, body);
}

static void
respond_order (Ecomv2Request *r,
               Ecomv2Order   *o)
{
  GString *body = g_string_sized_new (1024);
  CpSandboxJson w;

  cp_sandbox_json_init (&w, body);
  ecomv2_write_order (&w, o);
  ecomv2_respond_text (r, SOUP_STATUS_OK, body);
}

static Ecomv2Product *
find_product_or_404 (Ecomv2Request *r)
{
  Ecomv2Product *p = ecomv2_store_find_product (r->store, r->segments[1]);

  if (p == NULL)
    ecomv2_error (r, SOUP_STATUS_NOT_FOUND, "not_found", "Product not found", NULL, NULL);
  return p;
}

static const char *
get_string (JsonObject *obj,
            const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_int (JsonObject *obj,
         const char *member,
         gint64     *out)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

/* The fields PUT /products/{id} and POST /products share. Returns FALSE
 * after answering 422. */
static gboolean
apply_product_fields (Ecomv2Request *r,
                      Ecomv2Product *p,
                      JsonObject    *body)
{
  const char *name = get_string (body, "name");
  const char *description = get_string (body, "description");
  const char *status = get_string (body, "status");
  JsonNode *price = json_object_get_member (body, "price");
  gint64 price_minor = 0;

  if (json_object_has_member (body, "name") && (name == NULL || *name == '\0'))
    {
      ecomv2_error (r, 422, "validation_error", "Invalid product", "name", "Must be a non-empty string");
      return FALSE;
    }
  if (price != NULL && (!ecomv2_parse_money (price, &price_minor) || price_minor < 0))
    {
      ecomv2_error (r, 422, "validation_error", "Invalid product", "price",
                    "Must be a non-negative amount with at most 2 decimals, such as 199.99");
      return FALSE;
    }
  if (json_object_has_member (body, "status") &&
      (status == NULL || !g_strv_contains (product_statuses, status)))
    {
      ecomv2_error (r, 422, "validation_error", "Invalid product", "status",
                    "Must be active, draft or archived");
      return FALSE;
    }

  if (name != NULL)
    set_str (&p->name, name);
  if (description != NULL)
    set_str (&p->description, description);
  if (status != NULL)
    set_str (&p->status, status);
  if (price != NULL)
    p->price_minor = price_minor;
  if (json_object_has_member (body, "categories"))
    {
      JsonNode *node = json_object_get_member (body, "categories");
      JsonArray *cats = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      if (cats != NULL && json_array_get_length (cats) > 0)
        {
          const char *first = json_array_get_string_element (cats, 0);

          if (first != NULL)
            set_str (&p->category, first);
        }
    }
  p->updated_at = ecomv2_store_tick (r->store);
  return TRUE;
}

void
ecomv2_product_get (Ecomv2Request *r)
{
  Ecomv2Product *p = find_product_or_404 (r);

  if (p != NULL)
    respond_product (r, SOUP_STATUS_OK, p);
}

void
ecomv2_product_create (Ecomv2Request *r)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *body = ecomv2_read_body (r, &parser);
  static const char * const required[] = { "name", "price", "sku" };
  const char *sku;
  Ecomv2Product *p;
  g_autofree char *effect = NULL;

  if (body == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (!json_object_has_member (body, required[i]))
      {
        ecomv2_error (r, 422, "validation_error", "Missing required field",
                      required[i], "This field is required");
        return;
      }
  sku = get_string (body, "sku");
  if (sku == NULL || *sku == '\0')
    {
      ecomv2_error (r, 422, "validation_error", "Invalid product", "sku", "Must be a non-empty string");
      return;
    }
  if (g_hash_table_contains (r->store->by_sku, sku))
    {
      ecomv2_error (r, SOUP_STATUS_CONFLICT, "conflict",
                    "A product with this SKU already exists", "sku", "Must be unique");
      return;
    }

  p = ecomv2_store_add_product (r->store, sku, "", 0);
  if (!apply_product_fields (r, p, body))
    {
      /* Nothing half-written: the new product goes again. */
      g_hash_table_remove (r->store->by_sku, p->sku);
      g_ptr_array_remove_index (r->store->products, r->store->products->len - 1);
      return;
    }
  effect = g_strdup_printf ("product.create:%s", sku);
  cp_sandbox_server_record_effect (r->server, effect);
  respond_product (r, SOUP_STATUS_CREATED, p);
}

void
ecomv2_product_update (Ecomv2Request *r)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *body;
  Ecomv2Product *p = find_product_or_404 (r);

  if (p == NULL)
    return;
  body = ecomv2_read_body (r, &parser);
  if (body == NULL || !apply_product_fields (r, p, body))
    return;
  respond_product (r, SOUP_STATUS_OK, p);
}

void
ecomv2_inventory_get (Ecomv2Request *r)
{
  Ecomv2Product *p = find_product_or_404 (r);

  if (p != NULL)
    respond_inventory (r, SOUP_STATUS_OK, p);
}

void
ecomv2_inventory_adjust (Ecomv2Request *r)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *body;
  Ecomv2Product *p = find_product_or_404 (r);
  const char *location, *reason, *note, *key;
  g_autofree char *effect = NULL;
  gint64 quantity = 0;
  int w = 0;

  if (p == NULL)
    return;
  body = ecomv2_read_body (r, &parser);
  if (body == NULL)
    return;

  if (!get_int (body, "quantity", &quantity) || quantity == 0)
    {
      ecomv2_error (r, 422, "validation_error", "Invalid adjustment", "quantity",
                    "Must be a non-zero whole number");
      return;
    }
  reason = get_string (body, "reason");
  if (reason == NULL || *reason == '\0')
    {
      ecomv2_error (r, 422, "validation_error", "Invalid adjustment", "reason",
                    "This field is required");
      return;
    }
  location = get_string (body, "location");
  if (location != NULL && (w = ecomv2_warehouse_index (location)) < 0)
    {
      ecomv2_error (r, 422, "validation_error", "Invalid adjustment", "location",
                    "Unknown warehouse");
      return;
    }
  if (p->available[w] + quantity < 0)
    {
      ecomv2_error (r, 422, "validation_error", "Insufficient stock", "quantity",
                    "The adjustment would make available stock negative");
      return;
    }

  p->available[w] += quantity;
  p->updated_at = ecomv2_store_tick (r->store);

  /* A delta applied twice is a wrong stock level: count it per the
   * client's Idempotency-Key (which the platform does not honour), else
   * per note, the only reference the seed's request carries. */
  note = get_string (body, "note");
  key = soup_message_headers_get_one (soup_server_message_get_request_headers (r->msg),
                                      "Idempotency-Key");
  effect = g_strdup_printf ("inventory.adjust:%s",
                            key ? key : note ? note : r->request_id);
  cp_sandbox_server_record_effect (r->server, effect);

  respond_inventory (r, SOUP_STATUS_CREATED, p);
}

void
ecomv2_order_get (Ecomv2Request *r)
{
  Ecomv2Order *o = ecomv2_store_find_order (r->store, r->segments[1]);

  if (o == NULL)
    ecomv2_error (r, SOUP_STATUS_NOT_FOUND, "not_found", "Order not found", NULL, NULL);
  else
    respond_order (r, o);
}

void
ecomv2_order_status (Ecomv2Request *r)
{
  g_autoptr(JsonParser) parser = NULL;
  Ecomv2Order *o = ecomv2_store_find_order (r->store, r->segments[1]);
  JsonObject *body;
  const char *status;

  if (o == NULL)
    {
      ecomv2_error (r, SOUP_STATUS_NOT_FOUND, "not_found", "Order not found", NULL, NULL);
      return;
    }
  body = ecomv2_read_body (r, &parser);
  if (body == NULL)
    return;
  status = get_string (body, "status");
  if (status == NULL || !g_strv_contains (order_statuses, status))
    {
      ecomv2_error (r, 422, "validation_error", "Invalid status", "status",
                    "Must be pending, processing, shipped, delivered or cancelled");
      return;
    }
  if (!g_str_equal (o->status, status))
    {
      g_autofree char *effect = g_strdup_printf ("order.status:ord_%04u:%s", o->id, status);

      set_str (&o->status, status);
      o->updated_at = ecomv2_store_tick (r->store);
      cp_sandbox_server_record_effect (r->server, effect);
    }
  respond_order (r, o);
}

static void
add_item_error (JsonBuilder *b,
                const char  *code,
                const char  *message)
{
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "failed");
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
}

/* One update of a batch; validated whole before any field is applied. */
static void
batch_update_one (Ecomv2Request *r,
                  JsonBuilder   *b,
                  JsonNode      *node)
{
  JsonObject *u = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *id = u ? get_string (u, "id") : NULL;
  const char *location = u ? get_string (u, "location") : NULL;
  const char *status = u ? get_string (u, "status") : NULL;
  const char *name = u ? get_string (u, "name") : NULL;
  Ecomv2Product *p = id ? ecomv2_store_find_product (r->store, id) : NULL;
  JsonNode *price = u ? json_object_get_member (u, "price") : NULL;
  gint64 stock = 0, price_minor = 0;
  gboolean has_stock = u && json_object_has_member (u, "stock");
  int w = 0;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  if (id != NULL)
    json_builder_add_string_value (b, id);
  else
    json_builder_add_null_value (b);

  if (p == NULL)
    {
      add_item_error (b, id ? "not_found" : "validation_error",
                      id ? "Product not found" : "Each update needs an id");
      json_builder_end_object (b);
      return;
    }
  if (has_stock && (!get_int (u, "stock", &stock) || stock < 0))
    {
      add_item_error (b, "validation_error", "stock must be a whole number of at least 0");
      json_builder_end_object (b);
      return;
    }
  if (location != NULL && (w = ecomv2_warehouse_index (location)) < 0)
    {
      add_item_error (b, "validation_error", "Unknown warehouse in location");
      json_builder_end_object (b);
      return;
    }
  if (price != NULL && (!ecomv2_parse_money (price, &price_minor) || price_minor < 0))
    {
      add_item_error (b, "validation_error", "price must be an amount with at most 2 decimals");
      json_builder_end_object (b);
      return;
    }
  if ((status != NULL && !g_strv_contains (product_statuses, status)) ||
      (u && json_object_has_member (u, "name") && (name == NULL || *name == '\0')))
    {
      add_item_error (b, "validation_error", "Invalid name or status");
      json_builder_end_object (b);
      return;
    }

  /* Stock here is absolute available stock at the warehouse (platforms.md
   * §8): applying it twice leaves the same level, so only a change counts
   * as an effect. */
  if (has_stock && p->available[w] != stock)
    {
      g_autofree char *effect = g_strdup_printf ("stock.set:%s@%s=%" G_GINT64_FORMAT,
                                                 p->sku, ecomv2_warehouses[w], stock);

      p->available[w] = stock;
      cp_sandbox_server_record_effect (r->server, effect);
    }
  if (price != NULL)
    p->price_minor = price_minor;
  if (status != NULL)
    set_str (&p->status, status);
  if (name != NULL)
    set_str (&p->name, name);
  p->updated_at = ecomv2_store_tick (r->store);

  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "updated");
  json_builder_end_object (b);
}

void
ecomv2_batch_update (Ecomv2Request *r)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  JsonObject *body = ecomv2_read_body (r, &parser);
  const char *resources;
  JsonNode *updates_node;
  JsonArray *updates;
  guint n;

  if (body == NULL)
    return;
  resources = get_string (body, "resources");
  if (g_strcmp0 (resources, "products") != 0)
    {
      ecomv2_error (r, 422, "validation_error", "Unsupported resources", "resources",
                    "The sandbox batch-updates products only");
      return;
    }
  updates_node = json_object_get_member (body, "updates");
  if (updates_node == NULL || !JSON_NODE_HOLDS_ARRAY (updates_node))
    {
      ecomv2_error (r, 422, "validation_error", "Missing updates", "updates",
                    "Must be an array of updates");
      return;
    }
  updates = json_node_get_array (updates_node);
  n = json_array_get_length (updates);
  if (n == 0 || n > CP_SANDBOX_ECOMV2_MAX_BATCH)
    {
      ecomv2_error (r, 422, "validation_error",
                    n == 0 ? "Empty batch" : "Maximum 100 items per batch",
                    "updates", "Send from 1 to 100 updates per request");
      return;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "data");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    batch_update_one (r, b, json_array_get_element (updates, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  ecomv2_respond (r, SOUP_STATUS_OK, b);
}
