/* cp-sandbox-shopify-graphql.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GraphQL side of the Shopify fake. It does not parse arbitrary
 * GraphQL: it finds the operation's one root field (and an @idempotent
 * directive) in the document, takes every argument from "variables", and
 * answers a fixed superset of the selection the connector asks for.
 * Anything else gets the GraphQL error Shopify would give, so a connector
 * that drifts from what the fake knows fails loudly instead of silently.
 */

#define G_LOG_DOMAIN "cp-sandbox-shopify"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cp-sandbox-shopify-private.h"

/* ---- The document ------------------------------------------------------ */

static const char *
skip_space (const char *p)
{
  for (;;)
    {
      while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ',')
        p++;
      if (*p != '#')
        return p;
      while (*p != '\0' && *p != '\n')
        p++;
    }
}

static const char *
read_name (const char *p,
           char      **out)
{
  const char *start = p;

  while (g_ascii_isalnum (*p) || *p == '_')
    p++;
  *out = p > start ? g_strndup (start, p - start) : NULL;
  return p;
}

/* Skips a balanced (…) or {…} starting at P, strings included. */
static const char *
skip_balanced (const char *p)
{
  char open = *p, close = open == '(' ? ')' : '}';
  int depth = 0;

  for (; *p != '\0'; p++)
    {
      if (*p == '"')
        {
          for (p++; *p != '\0' && *p != '"'; p++)
            if (*p == '\\' && p[1] != '\0')
              p++;
          if (*p == '\0')
            return NULL;
          continue;
        }
      if (*p == open)
        depth++;
      else if (*p == close && --depth == 0)
        return p + 1;
    }
  return NULL;
}

static const char * const query_fields[] = {
  "shop", "locations", "productVariants", "nodes", "orders", "order", NULL
};
static const char * const mutation_fields[] = {
  "inventorySetQuantities", "productSet", "fulfillmentCreate", NULL
};

static char *
read_idempotency_key (ShopifyOp  *op,
                      const char *p)
{
  const char *at = strstr (p, "@idempotent");
  g_autofree char *var = NULL;
  JsonNode *node;

  if (at == NULL)
    return NULL;
  at = skip_space (at + strlen ("@idempotent"));
  if (*at != '(')
    return NULL;
  at = skip_space (at + 1);
  if (!g_str_has_prefix (at, "key"))
    return NULL;
  at = skip_space (at + 3);
  if (*at != ':')
    return NULL;
  at = skip_space (at + 1);
  if (*at == '"')
    {
      const char *end = strchr (at + 1, '"');

      return end != NULL ? g_strndup (at + 1, end - at - 1) : NULL;
    }
  if (*at != '$')
    return NULL;
  read_name (at + 1, &var);
  node = var != NULL ? json_object_get_member (op->variables, var) : NULL;
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

gboolean
shopify_op_parse (ShopifyOp  *op,
                  char      **out_message)
{
  const char *p = skip_space (op->query);
  g_autofree char *word = NULL;
  g_autofree char *field = NULL;
  const char * const *known;

  if (g_str_has_prefix (p, "mutation") || g_str_has_prefix (p, "query"))
    {
      op->mutation = g_str_has_prefix (p, "mutation");
      p = skip_space (p + (op->mutation ? 8 : 5));
      p = skip_space (read_name (p, &word));
      if (*p == '(')
        p = skip_balanced (p);
      if (p != NULL)
        p = skip_space (p);
    }
  if (p == NULL || *p != '{')
    {
      *out_message = g_strdup ("syntax error, unexpected end of file or token");
      return FALSE;
    }
  p = skip_space (read_name (skip_space (p + 1), &field));
  if (field != NULL && *p == ':')
    {
      /* An alias: the field follows. */
      g_clear_pointer (&field, g_free);
      p = skip_space (read_name (skip_space (p + 1), &field));
    }
  known = op->mutation ? mutation_fields : query_fields;
  if (field == NULL || !g_strv_contains (known, field))
    {
      *out_message = g_strdup_printf ("Field '%s' doesn't exist on type '%s'",
                                      field ? field : "", op->mutation ? "Mutation" : "QueryRoot");
      return FALSE;
    }
  op->field = g_intern_string (field);
  if (*p == '(')
    p = p != NULL ? skip_balanced (p) : NULL;
  if (p != NULL)
    p = skip_space (p);
  if (p != NULL && *p == '@')
    {
      /* Directives sit between the arguments and the selection. */
      const char *q = p;

      while (*q == '@')
        {
          g_autofree char *d = NULL;

          q = skip_space (read_name (q + 1, &d));
          if (*q == '(')
            q = skip_balanced (q);
          if (q == NULL)
            break;
          q = skip_space (q);
        }
      op->idempotency_key = read_idempotency_key (op, p);
      p = q;
    }
  if (p != NULL && *p == '{')
    p = skip_balanced (p);
  if (p == NULL || *skip_space (p) != '}')
    {
      *out_message = g_strdup ("Counterpart's Shopify sandbox serves one root field per "
                               "operation; this document has more or is malformed");
      return FALSE;
    }
  return TRUE;
}

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

static JsonObject *
var_object (ShopifyOp  *op,
            const char *name)
{
  JsonNode *node = json_object_get_member (op->variables, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *obj,
              const char *name)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
member_string (JsonObject *obj,
               const char *name)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static gboolean
member_int (JsonObject *obj,
            const char *name,
            gint64     *out)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
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
    array = member_array (var_object (op, "input"), "quantities");
  else if (op->field == g_intern_static_string ("productSet"))
    array = member_array (var_object (op, "input"), "variants");
  else if (op->field == g_intern_static_string ("fulfillmentCreate"))
    array = member_array (var_object (op, "fulfillment"), "lineItemsByFulfillmentOrder");
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
  if (f == g_intern_static_string ("shop"))
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
add_str (JsonBuilder *b,
         const char  *name,
         const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_gid (JsonBuilder *b,
         const char  *name,
         const char  *type,
         gint64       id)
{
  g_autofree char *gid = shopify_gid (type, id);

  add_str (b, name, gid);
}

static void
add_id_object (JsonBuilder *b,
               const char  *name,
               const char  *type,
               gint64       id)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  add_gid (b, "id", type, id);
  json_builder_end_object (b);
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       us)
{
  g_autofree char *t = us > 0 ? shopify_fake_format_time (us) : NULL;

  add_str (b, name, t);
}

static void
add_money_set (JsonBuilder *b,
               const char  *name,
               gint64       minor,
               const char  *currency)
{
  g_autofree char *amount = shopify_money (minor);

  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "shopMoney");
  json_builder_begin_object (b);
  add_str (b, "amount", amount);
  add_str (b, "currencyCode", currency);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
add_page_info (JsonBuilder *b,
               gboolean     has_next,
               const char  *end_cursor)
{
  json_builder_set_member_name (b, "pageInfo");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "hasNextPage");
  json_builder_add_boolean_value (b, has_next);
  add_str (b, "endCursor", end_cursor);
  json_builder_end_object (b);
}

static void
begin_user_errors (JsonBuilder *b)
{
  json_builder_set_member_name (b, "userErrors");
  json_builder_begin_array (b);
}

static void
add_user_error (JsonBuilder *b,
                const char  *code,
                const char  *message,
                const char  *field0,
                int          index,
                const char  *field2)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "field");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "input");
  if (field0 != NULL)
    json_builder_add_string_value (b, field0);
  if (index >= 0)
    {
      g_autofree char *i = g_strdup_printf ("%d", index);

      json_builder_add_string_value (b, i);
    }
  if (field2 != NULL)
    json_builder_add_string_value (b, field2);
  json_builder_end_array (b);
  add_str (b, "message", message);
  add_str (b, "code", code);
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
      json_builder_begin_object (b);
      add_id_object (b, "location", "Location", shopify_location_ids[l]);
      json_builder_set_member_name (b, "quantities");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      add_str (b, "name", "available");
      json_builder_set_member_name (b, "quantity");
      json_builder_add_int_value (b, v->available[l]);
      json_builder_end_object (b);
      json_builder_end_array (b);
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
  add_str (b, "name", "Counterpart Sandbox");
  add_str (b, "myshopifyDomain", "counterpart-sandbox.myshopify.com");
  add_str (b, "currencyCode", op->store->currency);
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
      add_gid (b, "id", "Location", shopify_location_ids[l]);
      add_str (b, "name", shopify_location_names[l]);
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
          add_gid (b, "id", "ProductVariant", v->id);
          add_str (b, "sku", v->sku);
          add_str (b, "price", price);
          json_builder_set_member_name (b, "product");
          json_builder_begin_object (b);
          add_gid (b, "id", "Product", p->id);
          add_str (b, "title", p->title);
          add_str (b, "status", p->status);
          json_builder_end_object (b);
          json_builder_set_member_name (b, "inventoryItem");
          json_builder_begin_object (b);
          add_gid (b, "id", "InventoryItem", v->inventory_item_id);
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

static void
run_nodes (ShopifyOp   *op,
           JsonBuilder *b)
{
  JsonArray *ids = member_array (op->variables, "ids");
  guint n = ids != NULL ? json_array_get_length (ids) : 0;

  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (ids, i);
      const char *gid = json_node_get_value_type (node) == G_TYPE_STRING
                        ? json_node_get_string (node) : NULL;
      gint64 id = shopify_gid_parse (gid, "InventoryItem");
      ShopifyVariant *v = id > 0 ? g_hash_table_lookup (op->store->by_item, &id) : NULL;

      if (v == NULL)
        {
          json_builder_add_null_value (b);
          continue;
        }
      json_builder_begin_object (b);
      add_gid (b, "id", "InventoryItem", v->inventory_item_id);
      json_builder_set_member_name (b, "variant");
      json_builder_begin_object (b);
      add_gid (b, "id", "ProductVariant", v->id);
      add_str (b, "sku", v->sku);
      json_builder_end_object (b);
      add_levels (b, v);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  op->actual = n * per_item_cost (op);
}

static int
compare_orders (gconstpointer a,
                gconstpointer b)
{
  const ShopifyOrder *x = *(ShopifyOrder * const *) a, *y = *(ShopifyOrder * const *) b;

  if (x->updated_at != y->updated_at)
    return x->updated_at < y->updated_at ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
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

static void
add_order (ShopifyOp    *op,
           JsonBuilder  *b,
           ShopifyOrder *o,
           gint64        max_lines)
{
  gint64 total = o->shipping_minor;

  json_builder_begin_object (b);
  add_gid (b, "id", "Order", o->id);
  add_str (b, "name", o->name);
  add_time (b, "createdAt", o->created_at);
  add_time (b, "updatedAt", o->updated_at);
  add_time (b, "processedAt", o->created_at);
  add_time (b, "cancelledAt", o->cancelled_at);
  add_str (b, "displayFinancialStatus", o->financial_status);
  add_str (b, "currencyCode", o->currency);
  json_builder_set_member_name (b, "lineItems");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint k = 0; k < o->lines->len; k++)
    {
      ShopifyLine *l = g_ptr_array_index (o->lines, k);

      total += l->unit_price_minor * l->quantity + l->tax_minor;
      if (k >= max_lines)
        continue;
      json_builder_begin_object (b);
      add_gid (b, "id", "LineItem", l->id);
      add_str (b, "sku", l->sku);
      add_str (b, "name", l->title);
      json_builder_set_member_name (b, "quantity");
      json_builder_add_int_value (b, l->quantity);
      json_builder_set_member_name (b, "currentQuantity");
      json_builder_add_int_value (b, l->current_quantity);
      if (l->variant_id > 0)
        add_id_object (b, "variant", "ProductVariant", l->variant_id);
      else
        add_str (b, "variant", NULL);
      add_money_set (b, "originalUnitPriceSet", l->unit_price_minor, o->currency);
      json_builder_set_member_name (b, "taxLines");
      json_builder_begin_array (b);
      if (l->tax_minor > 0)
        {
          json_builder_begin_object (b);
          add_str (b, "title", "Sales tax");
          add_money_set (b, "priceSet", l->tax_minor, o->currency);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_page_info (b, (gint64) o->lines->len > max_lines, NULL);
  json_builder_end_object (b);
  add_money_set (b, "totalShippingPriceSet", o->shipping_minor, o->currency);
  add_money_set (b, "totalPriceSet", total, o->currency);
  json_builder_set_member_name (b, "refunds");
  json_builder_begin_array (b);
  for (guint k = 0; k < o->refunds->len; k++)
    {
      ShopifyRefund *r = g_ptr_array_index (o->refunds, k);

      json_builder_begin_object (b);
      add_gid (b, "id", "Refund", r->id);
      add_time (b, "createdAt", r->created_at);
      add_money_set (b, "totalRefundedSet", r->amount_minor, o->currency);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
run_orders (ShopifyOp   *op,
            JsonBuilder *b)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new (op->store->orders->len);
  gint64 first = var_int (op, "first", 0);
  gint64 lines = CLAMP (var_int (op, "lines", DEFAULT_LINES), 0, 250);
  const char *after = var_string (op, "after");
  gint64 after_at = G_MININT64, after_id = 0, bound;
  gboolean inclusive = FALSE, more = FALSE;
  g_autofree char *end_cursor = NULL;
  double actual_items = 0;
  guint n = 0;

  parse_updated_filter (var_string (op, "query"), &bound, &inclusive);
  if (after != NULL && sscanf (after, "c%" G_GINT64_FORMAT "_%" G_GINT64_FORMAT, &after_at, &after_id) != 2)
    after_at = G_MININT64;

  for (guint i = 0; i < op->store->orders->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (op->store->orders, i));
  g_ptr_array_sort (sorted, compare_orders);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint i = 0; i < sorted->len; i++)
    {
      ShopifyOrder *o = g_ptr_array_index (sorted, i);
      /* Shopify's search compares whole seconds. */
      gint64 at = o->updated_at / G_USEC_PER_SEC * G_USEC_PER_SEC;

      if (bound != G_MININT64 && (inclusive ? at < bound : at <= bound))
        continue;
      if (after_at != G_MININT64 &&
          (o->updated_at < after_at || (o->updated_at == after_at && o->id <= after_id)))
        continue;
      if (n == first)
        {
          more = TRUE;
          break;
        }
      add_order (op, b, o, lines);
      /* Charged for the lines returned, not the lines asked for. */
      actual_items += 3 + op->connection_base + MIN ((gint64) o->lines->len, lines);
      g_free (end_cursor);
      end_cursor = g_strdup_printf ("c%" G_GINT64_FORMAT "_%" G_GINT64_FORMAT, o->updated_at, o->id);
      n++;
    }
  json_builder_end_array (b);
  add_page_info (b, more, end_cursor);
  json_builder_end_object (b);
  op->actual = op->connection_base + actual_items;
}

static void
run_order (ShopifyOp   *op,
           JsonBuilder *b)
{
  gint64 id = shopify_gid_parse (var_string (op, "id"), "Order");
  ShopifyOrder *o = id > 0 ? shopify_store_find_order (op->store, id) : NULL;

  op->actual = 1;
  if (o == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  add_gid (b, "id", "Order", o->id);
  json_builder_set_member_name (b, "fulfillmentOrders");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  /* One fulfillment order per order, with the order's id. */
  add_gid (b, "id", "FulfillmentOrder", o->id);
  {
    gboolean open = FALSE;

    for (guint k = 0; k < o->lines->len; k++)
      {
        ShopifyLine *l = g_ptr_array_index (o->lines, k);

        open |= l->current_quantity > l->fulfilled;
      }
    add_str (b, "status", o->cancelled_at > 0 ? "CANCELLED" : open ? "OPEN" : "CLOSED");
  }
  json_builder_set_member_name (b, "lineItems");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint k = 0; k < o->lines->len; k++)
    {
      ShopifyLine *l = g_ptr_array_index (o->lines, k);

      json_builder_begin_object (b);
      add_gid (b, "id", "FulfillmentOrderLineItem", l->id);
      json_builder_set_member_name (b, "remainingQuantity");
      json_builder_add_int_value (b, MAX (0, l->current_quantity - l->fulfilled));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  op->actual = 1 + op->connection_base + 1 + op->connection_base + o->lines->len;
}

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

static void
run_inventory_set (ShopifyOp   *op,
                   JsonBuilder *b)
{
  JsonObject *input = var_object (op, "input");
  JsonArray *quantities = member_array (input, "quantities");
  guint n = quantities != NULL ? json_array_get_length (quantities) : 0;
  JsonNode *ignore_node = input != NULL ? json_object_get_member (input, "ignoreCompareQuantity") : NULL;
  gboolean ignore = ignore_node != NULL && json_node_get_value_type (ignore_node) == G_TYPE_BOOLEAN &&
                    json_node_get_boolean (ignore_node);
  const char *name = member_string (input, "name");
  g_autofree ShopifyVariant **targets = g_new0 (ShopifyVariant *, n + 1);
  g_autofree guint *locations = g_new0 (guint, n + 1);
  gboolean failed = FALSE;

  op->actual = op->requested;
  json_builder_begin_object (b);
  begin_user_errors (b);
  if (quantities == NULL || (g_strcmp0 (name, "available") != 0 && g_strcmp0 (name, "on_hand") != 0))
    {
      add_user_error (b, "INVALID_NAME", "The quantity name must be available or on_hand.",
                      "name", -1, NULL);
      failed = TRUE;
    }
  for (guint i = 0; i < n && quantities != NULL; i++)
    {
      JsonNode *node = json_array_get_element (quantities, i);
      JsonObject *q = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 item = shopify_gid_parse (member_string (q, "inventoryItemId"), "InventoryItem");
      gint64 loc = shopify_gid_parse (member_string (q, "locationId"), "Location");
      gint64 quantity = 0, compare = 0;
      gboolean has_compare = member_int (q, "compareQuantity", &compare) ||
                             member_int (q, "changeFromQuantity", &compare);

      targets[i] = item > 0 ? g_hash_table_lookup (op->store->by_item, &item) : NULL;
      locations[i] = SHOPIFY_N_LOCATIONS;
      for (guint l = 0; l < SHOPIFY_N_LOCATIONS; l++)
        if (shopify_location_ids[l] == loc)
          locations[i] = l;
      if (targets[i] == NULL)
        add_user_error (b, "INVALID_INVENTORY_ITEM",
                        "The specified inventory item could not be found.",
                        "quantities", i, "inventoryItemId");
      else if (locations[i] == SHOPIFY_N_LOCATIONS)
        add_user_error (b, "INVALID_LOCATION", "The specified location could not be found.",
                        "quantities", i, "locationId");
      else if (!member_int (q, "quantity", &quantity) || quantity < -1000000000 ||
               quantity > 1000000000)
        add_user_error (b, "INVALID_QUANTITY", "The quantity is not valid.",
                        "quantities", i, "quantity");
      else if (!ignore && !has_compare)
        add_user_error (b, "INVALID_COMPARE_QUANTITY",
                        "A compareQuantity is required unless ignoreCompareQuantity is true.",
                        "quantities", i, "compareQuantity");
      else if (!ignore && compare != targets[i]->available[locations[i]])
        add_user_error (b, "COMPARE_QUANTITY_STALE",
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
      add_str (b, "inventoryAdjustmentGroup", NULL);
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
  add_time (b, "createdAt", shopify_store_tick (op->store));
  add_str (b, "reason", member_string (input, "reason"));
  json_builder_set_member_name (b, "changes");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *q = json_node_get_object (json_array_get_element (quantities, i));
      gint64 quantity = 0, before;

      member_int (q, "quantity", &quantity);
      before = targets[i]->available[locations[i]];
      targets[i]->available[locations[i]] = quantity;
      json_builder_begin_object (b);
      add_str (b, "name", "available");
      json_builder_set_member_name (b, "delta");
      json_builder_add_int_value (b, quantity - before);
      json_builder_set_member_name (b, "quantityAfterChange");
      json_builder_add_int_value (b, quantity);
      add_id_object (b, "item", "InventoryItem", targets[i]->inventory_item_id);
      add_id_object (b, "location", "Location", shopify_location_ids[locations[i]]);
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
  add_gid (b, "id", "Product", p->id);
  add_str (b, "title", p->title);
  add_str (b, "status", p->status);
  json_builder_set_member_name (b, "variants");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint k = 0; k < p->variants->len; k++)
    {
      ShopifyVariant *v = g_ptr_array_index (p->variants, k);
      g_autofree char *price = shopify_money (v->price_minor);

      json_builder_begin_object (b);
      add_gid (b, "id", "ProductVariant", v->id);
      add_str (b, "sku", v->sku);
      add_str (b, "price", price);
      add_id_object (b, "inventoryItem", "InventoryItem", v->inventory_item_id);
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

static void
run_product_set (ShopifyOp   *op,
                 JsonBuilder *b)
{
  JsonObject *input = var_object (op, "input");
  JsonArray *variants = member_array (input, "variants");
  JsonArray *metafields = member_array (input, "metafields");
  const char *gid = member_string (input, "id");
  const char *title = member_string (input, "title");
  const char *status = member_string (input, "status");
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
          begin_user_errors (b);
          add_user_error (b, "PRODUCT_DOES_NOT_EXIST", "Product does not exist", "id", -1, NULL);
          json_builder_end_array (b);
          add_str (b, "product", NULL);
          json_builder_end_object (b);
          return;
        }
    }
  else if (title == NULL || n == 0)
    {
      begin_user_errors (b);
      add_user_error (b, "INVALID", "A new product needs a title and its variants.",
                      title == NULL ? "title" : "variants", -1, NULL);
      json_builder_end_array (b);
      add_str (b, "product", NULL);
      json_builder_end_object (b);
      return;
    }
  else
    p = shopify_store_add_product (op->store, title);

  if (title != NULL)
    {
      g_free (p->title);
      p->title = g_strdup (title);
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
          const char *sku = member_string (vi, "sku");
          gint64 vid = shopify_gid_parse (member_string (vi, "id"), "ProductVariant");
          ShopifyVariant *v = NULL;
          gint64 price = 0;

          for (guint k = 0; k < p->variants->len && v == NULL; k++)
            {
              ShopifyVariant *c = g_ptr_array_index (p->variants, k);

              if ((vid > 0 && c->id == vid) || (vid == 0 && sku != NULL && g_strcmp0 (c->sku, sku) == 0))
                v = c;
            }
          parse_price (member_string (vi, "price"), &price);
          if (v == NULL)
            {
              v = shopify_store_add_variant (op->store, p, sku, price);
              g_ptr_array_steal_index (p->variants, p->variants->len - 1);
            }
          else
            {
              g_free (v->sku);
              v->sku = g_strdup (sku);
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
          const char *ns = member_string (m, "namespace"), *key = member_string (m, "key");
          const char *value = member_string (m, "value");

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
  begin_user_errors (b);
  json_builder_end_array (b);
  add_product (b, p);
  json_builder_end_object (b);
}

static void
run_fulfillment_create (ShopifyOp   *op,
                        JsonBuilder *b)
{
  JsonObject *f = var_object (op, "fulfillment");
  JsonArray *by_fo = member_array (f, "lineItemsByFulfillmentOrder");
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
      gint64 id = shopify_gid_parse (member_string (first, "fulfillmentOrderId"), "FulfillmentOrder");

      o = id > 0 ? shopify_store_find_order (op->store, id) : NULL;
    }
  for (guint k = 0; o != NULL && k < o->lines->len; k++)
    {
      ShopifyLine *l = g_ptr_array_index (o->lines, k);

      open |= l->current_quantity > l->fulfilled;
    }

  json_builder_begin_object (b);
  begin_user_errors (b);
  if (o == NULL || !open || o->cancelled_at > 0)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "field");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, "fulfillment");
      json_builder_end_array (b);
      add_str (b, "message", o == NULL ? "Fulfillment order does not exist."
                                        : "Fulfillment order is not in a fulfillable state.");
      json_builder_end_object (b);
      json_builder_end_array (b);
      add_str (b, "fulfillment", NULL);
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
  o->tracking = g_strdup (member_string (tracking, "number"));
  o->updated_at = shopify_store_tick (op->store);
  {
    g_autofree char *effect = effect_key (op, "fulfillmentCreate");

    cp_sandbox_server_record_effect (op->server, effect);
    op->n_effects++;
  }
  json_builder_set_member_name (b, "fulfillment");
  json_builder_begin_object (b);
  add_gid (b, "id", "Fulfillment", op->store->next_id++);
  add_str (b, "status", "SUCCESS");
  json_builder_set_member_name (b, "trackingInfo");
  json_builder_begin_array (b);
  if (tracking != NULL)
    {
      json_builder_begin_object (b);
      add_str (b, "number", member_string (tracking, "number"));
      add_str (b, "company", member_string (tracking, "company"));
      add_str (b, "url", member_string (tracking, "url"));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

void
shopify_op_run (ShopifyOp   *op,
                JsonBuilder *b)
{
  static const struct { const char *field; void (*run) (ShopifyOp *, JsonBuilder *); } ops[] = {
    { "shop", run_shop },
    { "locations", run_locations },
    { "productVariants", run_product_variants },
    { "nodes", run_nodes },
    { "orders", run_orders },
    { "order", run_order },
    { "inventorySetQuantities", run_inventory_set },
    { "productSet", run_product_set },
    { "fulfillmentCreate", run_fulfillment_create },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    if (g_str_equal (op->field, ops[i].field))
      {
        ops[i].run (op, b);
        return;
      }
  json_builder_add_null_value (b);
}
