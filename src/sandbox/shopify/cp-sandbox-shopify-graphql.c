/* cp-sandbox-shopify-graphql.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GraphQL side of the Shopify fake. It does not parse arbitrary
 * GraphQL: it finds the operation's one root field (and an @idempotent
 * directive) in the document (cp-sandbox-shopify-document.c), takes the
 * arguments from "variables" (a nested field's too, where the answer
 * depends on it), and answers a fixed superset of the selection the
 * connector asks for.
 * Anything else gets the GraphQL error Shopify would give, so a connector
 * that drifts from what the fake knows fails loudly instead of silently.
 */

#define G_LOG_DOMAIN "cp-sandbox-shopify"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cp-sandbox-shopify-private.h"

/* ---- Arguments ----------------------------------------------------------- */

static gint64
var_int (ShopifyOp  *op,
         const char *name,
         gint64      fallback)
{
  JsonNode *node = json_object_get_member (op->variables, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

static const char *
var_string (ShopifyOp  *op,
            const char *name)
{
  JsonNode *node = json_object_get_member (op->variables, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Lines requested per order (the "lines" variable) and its default. */
#define DEFAULT_LINES 20
#define FULFILLMENT_ORDERS 5
#define FULFILLMENT_LINES 50

static guint
n_inputs (ShopifyOp *op)
{
  JsonArray *array = NULL;

  if (op->field == g_intern_static_string ("inventorySetQuantities"))
    array = shopify_member_array (shopify_var_object (op, "input"), "quantities");
  else if (op->field == g_intern_static_string ("productSet"))
    array = shopify_member_array (shopify_var_object (op, "input"), "variants");
  else if (op->field == g_intern_static_string ("fulfillmentCreate"))
    array = shopify_member_array (shopify_var_object (op, "fulfillment"), "lineItemsByFulfillmentOrder");
  return array != NULL ? json_array_get_length (array) : 0;
}

static double
per_item_cost (ShopifyOp *op)
{
  const char *f = op->field;

  if (f == g_intern_static_string ("locations"))
    return 1;
  if (f == g_intern_static_string ("productVariants"))
    /* variant, product, inventoryItem, its levels' connection */
    return 3 + op->connection_base + SHOPIFY_N_LOCATIONS;
  if (f == g_intern_static_string ("nodes") && shopify_op_selects_one_level (op))
    /* The item, its level at the location, the level's quantities. */
    return 3;
  if (f == g_intern_static_string ("nodes"))
    return 2 + op->connection_base + SHOPIFY_N_LOCATIONS;
  if (f == g_intern_static_string ("orders"))
    return 3 + op->connection_base + CLAMP (var_int (op, "lines", DEFAULT_LINES), 0, 250);
  return 1;
}

double
shopify_op_requested_cost (ShopifyOp   *op,
                           char       **out_message,
                           const char **out_code)
{
  const char *f = op->field;
  guint inputs;

  if (op->mutation)
    {
      inputs = n_inputs (op);
      if (inputs > CP_SANDBOX_SHOPIFY_MAX_INPUT && f != g_intern_static_string ("productSet"))
        {
          *out_code = "MAX_INPUT_SIZE_EXCEEDED";
          *out_message = g_strdup_printf ("The input array size of %u is greater than the "
                                          "maximum allowed of %d.", inputs,
                                          CP_SANDBOX_SHOPIFY_MAX_INPUT);
          return -1;
        }
      return op->mutation_cost + (double) op->per_input_cost * inputs;
    }
  if (f == g_intern_static_string ("shop") || f == g_intern_static_string ("currentAppInstallation"))
    return 1;
  if (f == g_intern_static_string ("order"))
    return 1 + op->connection_base +
           FULFILLMENT_ORDERS * (1.0 + op->connection_base + FULFILLMENT_LINES);
  if (f == g_intern_static_string ("nodes"))
    {
      JsonNode *ids = json_object_get_member (op->variables, "ids");
      guint n = ids != NULL && JSON_NODE_HOLDS_ARRAY (ids)
                ? json_array_get_length (json_node_get_array (ids)) : 0;

      if (n > CP_SANDBOX_SHOPIFY_MAX_INPUT)
        {
          *out_code = "MAX_INPUT_SIZE_EXCEEDED";
          *out_message = g_strdup_printf ("The input array size of %u is greater than the "
                                          "maximum allowed of %d.", n, CP_SANDBOX_SHOPIFY_MAX_INPUT);
          return -1;
        }
      if (shopify_op_selects_one_level (op))
        {
          g_autofree char *location = shopify_op_argument (op, "inventoryLevel", "locationId");

          if (location == NULL)
            {
              *out_code = "missingRequiredArguments";
              *out_message = g_strdup ("Field 'inventoryLevel' is missing required arguments: "
                                       "locationId");
              return -1;
            }
        }
      return n * per_item_cost (op);
    }
  /* A connection. */
  {
    gint64 first = var_int (op, "first", -1);

    if (first < 0)
      {
        *out_code = "argumentLiteralsIncompatible";
        *out_message = g_strdup_printf ("you must provide one of first or last for '%s'", f);
        return -1;
      }
    if (first > 250)
      {
        *out_code = "argumentLiteralsIncompatible";
        *out_message = g_strdup_printf ("The 'first' argument of '%s' is %" G_GINT64_FORMAT
                                        "; the maximum is 250.", f, first);
        return -1;
      }
    return op->connection_base + first * per_item_cost (op);
  }
}

const char *
shopify_op_required_scope (ShopifyOp *op)
{
  static const struct { const char *field, *scope; } scopes[] = {
    { "locations", "read_locations" },
    { "productVariants", "read_products" },
    { "nodes", "read_inventory" },
    { "orders", "read_orders" },
    { "order", "read_merchant_managed_fulfillment_orders" },
    { "inventorySetQuantities", "write_inventory" },
    { "productSet", "write_products" },
    { "fulfillmentCreate", "write_merchant_managed_fulfillment_orders" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (scopes); i++)
    if (g_str_equal (op->field, scopes[i].field))
      return scopes[i].scope;
  return NULL;
}

/* ---- Output helpers ------------------------------------------------------ */

static void
add_page_info (JsonBuilder *b,
               gboolean     has_next,
               const char  *end_cursor)
{
  json_builder_set_member_name (b, "pageInfo");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "hasNextPage");
  json_builder_add_boolean_value (b, has_next);
  shopify_add_str (b, "endCursor", end_cursor);
  json_builder_end_object (b);
}

static gint64
cursor_value (const char *cursor)
{
  if (cursor == NULL || !g_str_has_prefix (cursor, "c"))
    return 0;
  return g_ascii_strtoll (cursor + 1, NULL, 10);
}

/* ---- Queries ------------------------------------------------------------- */

/* quantities(names: ["available"]) of a level. */
static void
add_available (JsonBuilder *b,
               gint64       quantity)
{
  json_builder_set_member_name (b, "quantities");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  shopify_add_str (b, "name", "available");
  json_builder_set_member_name (b, "quantity");
  json_builder_add_int_value (b, quantity);
  json_builder_end_object (b);
  json_builder_end_array (b);
}

static void
add_levels (JsonBuilder    *b,
            ShopifyVariant *v)
{
  json_builder_set_member_name (b, "inventoryLevels");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint l = 0; l < SHOPIFY_N_LOCATIONS; l++)
    {
      /* A level exists only where the item is stocked. */
      if (v->unstocked[l])
        continue;
      json_builder_begin_object (b);
      shopify_add_id_object (b, "location", "Location", shopify_location_ids[l]);
      add_available (b, v->available[l]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
run_shop (ShopifyOp   *op,
          JsonBuilder *b)
{
  json_builder_begin_object (b);
  shopify_add_str (b, "name", "Counterpart Sandbox");
  shopify_add_str (b, "myshopifyDomain", "counterpart-sandbox.myshopify.com");
  shopify_add_str (b, "currencyCode", op->store->currency);
  json_builder_end_object (b);
  op->actual = 1;
}

/* The token's scopes: what an app reads to see what it may do. */
static void
run_app_installation (ShopifyOp   *op,
                      JsonBuilder *b)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "accessScopes");
  json_builder_begin_array (b);
  for (guint i = 0; op->scopes != NULL && op->scopes[i] != NULL; i++)
    {
      json_builder_begin_object (b);
      shopify_add_str (b, "handle", op->scopes[i]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  op->actual = 1;
}

static void
run_locations (ShopifyOp   *op,
               JsonBuilder *b)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint l = 0; l < SHOPIFY_N_LOCATIONS; l++)
    {
      json_builder_begin_object (b);
      shopify_add_gid (b, "id", "Location", shopify_location_ids[l]);
      shopify_add_str (b, "name", shopify_location_names[l]);
      json_builder_set_member_name (b, "isActive");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_page_info (b, FALSE, NULL);
  json_builder_end_object (b);
  op->actual = op->connection_base + SHOPIFY_N_LOCATIONS;
}

static void
run_product_variants (ShopifyOp   *op,
                      JsonBuilder *b)
{
  gint64 first = var_int (op, "first", 0);
  gint64 after = cursor_value (var_string (op, "after"));
  gint64 last_id = 0;
  guint n = 0;
  gboolean more = FALSE;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint i = 0; i < op->store->products->len && !more; i++)
    {
      ShopifyProduct *p = g_ptr_array_index (op->store->products, i);

      if (p->deleted)
        continue;
      for (guint k = 0; k < p->variants->len; k++)
        {
          ShopifyVariant *v = g_ptr_array_index (p->variants, k);
          g_autofree char *price = NULL;

          if (v->id <= after)
            continue;
          if (n == first)
            {
              more = TRUE;
              break;
            }
          price = shopify_money (v->price_minor);
          json_builder_begin_object (b);
          shopify_add_gid (b, "id", "ProductVariant", v->id);
          shopify_add_str (b, "sku", v->sku);
          shopify_add_str (b, "price", price);
          json_builder_set_member_name (b, "product");
          json_builder_begin_object (b);
          shopify_add_gid (b, "id", "Product", p->id);
          shopify_add_str (b, "title", p->title);
          shopify_add_str (b, "status", p->status);
          json_builder_end_object (b);
          json_builder_set_member_name (b, "inventoryItem");
          json_builder_begin_object (b);
          shopify_add_gid (b, "id", "InventoryItem", v->inventory_item_id);
          json_builder_set_member_name (b, "tracked");
          json_builder_add_boolean_value (b, !v->untracked);
          add_levels (b, v);
          json_builder_end_object (b);
          json_builder_end_object (b);
          last_id = v->id;
          n++;
        }
    }
  json_builder_end_array (b);
  {
    g_autofree char *cursor = last_id > 0 ? g_strdup_printf ("c%" G_GINT64_FORMAT, last_id) : NULL;

    add_page_info (b, more, cursor);
  }
  json_builder_end_object (b);
  op->actual = op->connection_base + n * per_item_cost (op);
}

/* The inventory item IDS[I] names, NULL when it names none (or one of
 * another type, or one deleted): its node is null. */
static ShopifyVariant *
node_item (ShopifyOp *op,
           JsonArray *ids,
           guint      i)
{
  JsonNode *node = json_array_get_element (ids, i);
  const char *gid = json_node_get_value_type (node) == G_TYPE_STRING
                    ? json_node_get_string (node) : NULL;
  gint64 id = shopify_gid_parse (gid, "InventoryItem");

  return id > 0 ? g_hash_table_lookup (op->store->by_item, &id) : NULL;
}

/* nodes(ids:) { … on InventoryItem { id tracked inventoryLevel(locationId:)
 * { quantities(names:) { name quantity } } } }: null for an item that is
 * not stocked at the location (or a location that is not the shop's),
 * and the actual cost counts only what came back. */
static void
run_nodes_one_level (ShopifyOp   *op,
                     JsonBuilder *b,
                     JsonArray   *ids)
{
  g_autofree char *location = shopify_op_argument (op, "inventoryLevel", "locationId");
  gint64 location_id = shopify_gid_parse (location, "Location");
  guint l = SHOPIFY_N_LOCATIONS;
  guint n = json_array_get_length (ids);

  for (guint k = 0; k < SHOPIFY_N_LOCATIONS; k++)
    if (shopify_location_ids[k] == location_id)
      l = k;
  op->actual = 0;
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      ShopifyVariant *v = node_item (op, ids, i);

      if (v == NULL)
        {
          json_builder_add_null_value (b);
          continue;
        }
      op->actual += 1;
      json_builder_begin_object (b);
      shopify_add_gid (b, "id", "InventoryItem", v->inventory_item_id);
      json_builder_set_member_name (b, "tracked");
      json_builder_add_boolean_value (b, !v->untracked);
      json_builder_set_member_name (b, "inventoryLevel");
      if (l == SHOPIFY_N_LOCATIONS || v->unstocked[l])
        json_builder_add_null_value (b);
      else
        {
          op->actual += 2;
          json_builder_begin_object (b);
          add_available (b, v->available[l]);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
run_nodes (ShopifyOp   *op,
           JsonBuilder *b)
{
  JsonArray *ids = shopify_member_array (op->variables, "ids");
  guint n = ids != NULL ? json_array_get_length (ids) : 0;

  if (ids != NULL && shopify_op_selects_one_level (op))
    {
      run_nodes_one_level (op, b, ids);
      return;
    }
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      ShopifyVariant *v = node_item (op, ids, i);

      if (v == NULL)
        {
          json_builder_add_null_value (b);
          continue;
        }
      json_builder_begin_object (b);
      shopify_add_gid (b, "id", "InventoryItem", v->inventory_item_id);
      json_builder_set_member_name (b, "tracked");
      json_builder_add_boolean_value (b, !v->untracked);
      json_builder_set_member_name (b, "variant");
      json_builder_begin_object (b);
      shopify_add_gid (b, "id", "ProductVariant", v->id);
      shopify_add_str (b, "sku", v->sku);
      json_builder_end_object (b);
      add_levels (b, v);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  op->actual = n * per_item_cost (op);
}

/* "updated_at:>='2026-06-01T00:00:00Z'" → the bound and whether it is
 * inclusive; FALSE when the query says something else. */
static gboolean
parse_updated_filter (const char *query,
                      gint64     *out_us,
                      gboolean   *out_inclusive)
{
  const char *p;
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  gsize len;

  *out_us = G_MININT64;
  if (query == NULL || *query == '\0')
    return TRUE;
  if (!g_str_has_prefix (query, "updated_at:>"))
    return FALSE;
  p = query + strlen ("updated_at:>");
  *out_inclusive = *p == '=';
  if (*p == '=')
    p++;
  text = g_strdup (p);
  len = strlen (text);
  if (len >= 2 && (text[0] == '\'' || text[0] == '"') && text[len - 1] == text[0])
    {
      memmove (text, text + 1, len - 2);
      text[len - 2] = '\0';
    }
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    return FALSE;
  *out_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
  return TRUE;
}


/* Whether O is past the query's bound and the cursor's order: both hold
 * from some order of the sorted list on, so the page starts at the first
 * order they hold for, found by binary search. */
static gboolean
order_is_after (const ShopifyOrder *o,
                gint64              bound,
                gboolean            inclusive,
                gint64              after_at,
                gint64              after_id)
{
  /* Shopify's search compares whole seconds. */
  gint64 at = o->updated_at / G_USEC_PER_SEC * G_USEC_PER_SEC;

  if (bound != G_MININT64 && (inclusive ? at < bound : at <= bound))
    return FALSE;
  if (after_at != G_MININT64 &&
      (o->updated_at < after_at || (o->updated_at == after_at && o->id <= after_id)))
    return FALSE;
  return TRUE;
}

static void
run_orders (ShopifyOp   *op,
            JsonBuilder *b)
{
  GPtrArray *sorted = shopify_store_orders_by_updated (op->store);
  gint64 first = var_int (op, "first", 0);
  gint64 lines = CLAMP (var_int (op, "lines", DEFAULT_LINES), 0, 250);
  const char *after = var_string (op, "after");
  gint64 after_at = G_MININT64, after_id = 0, bound;
  gboolean inclusive = FALSE, more = FALSE;
  g_autofree char *end_cursor = NULL;
  double actual_items = 0;
  guint lo = 0, hi;
  CpSandboxJson w;

  parse_updated_filter (var_string (op, "query"), &bound, &inclusive);
  if (after != NULL && sscanf (after, "c%" G_GINT64_FORMAT "_%" G_GINT64_FORMAT, &after_at, &after_id) != 2)
    after_at = G_MININT64;

  hi = sorted->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (order_is_after (g_ptr_array_index (sorted, mid), bound, inclusive, after_at, after_id))
        hi = mid;
      else
        lo = mid + 1;
    }

  /* The connection goes straight into op->raw; the builder holds its
   * place (serve_graphql splices it in). */
  op->raw = g_string_sized_new (4096);
  cp_sandbox_json_init (&w, op->raw);
  cp_sandbox_json_begin_object (&w);
  cp_sandbox_json_member (&w, "nodes");
  cp_sandbox_json_begin_array (&w);
  for (guint i = lo; i < sorted->len; i++)
    {
      ShopifyOrder *o = g_ptr_array_index (sorted, i);

      if (i - lo == first)
        {
          more = TRUE;
          break;
        }
      shopify_write_order (&w, o, lines, FALSE);
      /* Charged for the lines returned, not the lines asked for. */
      actual_items += 3 + op->connection_base + MIN ((gint64) o->lines->len, lines);
      if (i + 1 == sorted->len || i + 1 - lo == first)
        end_cursor = g_strdup_printf ("c%" G_GINT64_FORMAT "_%" G_GINT64_FORMAT, o->updated_at, o->id);
    }
  cp_sandbox_json_end_array (&w);
  shopify_write_page_info (&w, more, end_cursor);
  cp_sandbox_json_end_object (&w);
  json_builder_add_null_value (b);
  op->actual = op->connection_base + actual_items;
}

static void
run_order (ShopifyOp   *op,
           JsonBuilder *b)
{
  gint64 id = shopify_gid_parse (var_string (op, "id"), "Order");
  ShopifyOrder *o = id > 0 ? shopify_store_find_order (op->store, id) : NULL;
  CpSandboxJson w;

  op->actual = 1;
  if (o == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  /* The whole order (every line), with its fulfillment orders, written
   * straight as the orders' pages are (serve_graphql splices it in). */
  op->raw = g_string_sized_new (2048);
  cp_sandbox_json_init (&w, op->raw);
  shopify_write_order (&w, o, 250, TRUE);
  shopify_write_fulfillment_orders (&w, o);
  cp_sandbox_json_end_object (&w);
  json_builder_add_null_value (b);
  op->actual = 1 + op->connection_base + 1 + op->connection_base + o->lines->len;
}

void
shopify_op_run (ShopifyOp   *op,
                JsonBuilder *b)
{
  static const struct { const char *field; void (*run) (ShopifyOp *, JsonBuilder *); } ops[] = {
    { "shop", run_shop },
    { "currentAppInstallation", run_app_installation },
    { "locations", run_locations },
    { "productVariants", run_product_variants },
    { "nodes", run_nodes },
    { "orders", run_orders },
    { "order", run_order },
    { "inventorySetQuantities", shopify_run_inventory_set },
    { "productSet", shopify_run_product_set },
    { "fulfillmentCreate", shopify_run_fulfillment_create },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    if (g_str_equal (op->field, ops[i].field))
      {
        ops[i].run (op, b);
        return;
      }
  json_builder_add_null_value (b);
}
