/* cp-sandbox-shopify-json.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small JSON helpers the Shopify fake's GraphQL files share: reading
 * arguments from "variables" and writing gids, times and userErrors the
 * way the Admin API spells them; and an order as the orders connection
 * shows it, written straight as JSON.
 */

#define G_LOG_DOMAIN "cp-sandbox-shopify"

#include "config.h"

#include "cp-sandbox-shopify-private.h"

JsonObject *
shopify_var_object (ShopifyOp  *op,
                    const char *name)
{
  JsonNode *node = json_object_get_member (op->variables, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
shopify_member_array (JsonObject *obj,
                      const char *name)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *
shopify_member_string (JsonObject *obj,
                       const char *name)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

gboolean
shopify_member_int (JsonObject *obj,
                    const char *name,
                    gint64     *out)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, name) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

void
shopify_add_str (JsonBuilder *b,
                 const char  *name,
                 const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
shopify_add_gid (JsonBuilder *b,
                 const char  *name,
                 const char  *type,
                 gint64       id)
{
  g_autofree char *gid = shopify_gid (type, id);

  shopify_add_str (b, name, gid);
}

void
shopify_add_id_object (JsonBuilder *b,
                       const char  *name,
                       const char  *type,
                       gint64       id)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  shopify_add_gid (b, "id", type, id);
  json_builder_end_object (b);
}

void
shopify_add_time (JsonBuilder *b,
                  const char  *name,
                  gint64       us)
{
  g_autofree char *t = us > 0 ? shopify_fake_format_time (us) : NULL;

  shopify_add_str (b, name, t);
}

void
shopify_begin_user_errors (JsonBuilder *b)
{
  json_builder_set_member_name (b, "userErrors");
  json_builder_begin_array (b);
}

void
shopify_add_user_error (JsonBuilder *b,
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
  shopify_add_str (b, "message", message);
  shopify_add_str (b, "code", code);
  json_builder_end_object (b);
}

/* ---- Orders, written straight as JSON -------------------------------- */

/* Orders written straight through cp-sandbox-json.h, in the text the
 * JsonBuilder helpers would write: a page of orders is the fake's largest
 * answer, and as builder nodes it cost the fake more than the pull it
 * served. test-sandbox-shopify-json holds these to a builder reference. */

static void
write_str (CpSandboxJson *w,
           const char    *name,
           const char    *value)
{
  cp_sandbox_json_member (w, name);
  cp_sandbox_json_string (w, value);   /* NULL: null, as shopify_add_str */
}

static void
write_gid (CpSandboxJson *w,
           const char    *name,
           const char    *type,
           gint64         id)
{
  char gid[96];

  g_snprintf (gid, sizeof gid, "gid://shopify/%s/%" G_GINT64_FORMAT, type, id);
  write_str (w, name, gid);
}

static void
write_time (CpSandboxJson *w,
            const char    *name,
            gint64         us)
{
  cp_sandbox_json_member (w, name);
  if (us > 0)
    /* shopify_fake_format_time(): whole seconds */
    cp_sandbox_json_time (w, us / G_USEC_PER_SEC * G_USEC_PER_SEC);
  else
    cp_sandbox_json_null (w);
}

static void
write_money_set (CpSandboxJson *w,
                 const char    *name,
                 gint64         minor,
                 const char    *currency)
{
  g_autofree char *amount = shopify_money (minor);

  cp_sandbox_json_member (w, name);
  cp_sandbox_json_begin_object (w);
  cp_sandbox_json_member (w, "shopMoney");
  cp_sandbox_json_begin_object (w);
  write_str (w, "amount", amount);
  write_str (w, "currencyCode", currency);
  cp_sandbox_json_end_object (w);
  cp_sandbox_json_end_object (w);
}

void
shopify_write_page_info (CpSandboxJson *w,
                         gboolean       has_next,
                         const char    *end_cursor)
{
  cp_sandbox_json_member (w, "pageInfo");
  cp_sandbox_json_begin_object (w);
  cp_sandbox_json_member (w, "hasNextPage");
  cp_sandbox_json_boolean (w, has_next);
  write_str (w, "endCursor", end_cursor);
  cp_sandbox_json_end_object (w);
}

void
shopify_write_order (CpSandboxJson *w,
                     ShopifyOrder  *o,
                     gint64         max_lines,
                     gboolean       leave_open)
{
  gint64 total = o->shipping_minor;

  cp_sandbox_json_begin_object (w);
  write_gid (w, "id", "Order", o->id);
  write_str (w, "name", o->name);
  write_time (w, "createdAt", o->created_at);
  write_time (w, "updatedAt", o->updated_at);
  write_time (w, "processedAt", o->created_at);
  write_time (w, "cancelledAt", o->cancelled_at);
  write_str (w, "displayFinancialStatus", o->financial_status);
  write_str (w, "currencyCode", o->currency);
  cp_sandbox_json_member (w, "lineItems");
  cp_sandbox_json_begin_object (w);
  cp_sandbox_json_member (w, "nodes");
  cp_sandbox_json_begin_array (w);
  for (guint k = 0; k < o->lines->len; k++)
    {
      ShopifyLine *l = g_ptr_array_index (o->lines, k);

      total += l->unit_price_minor * l->quantity + l->tax_minor;
      if (k >= max_lines)
        continue;
      cp_sandbox_json_begin_object (w);
      write_gid (w, "id", "LineItem", l->id);
      write_str (w, "sku", l->sku);
      write_str (w, "name", l->title);
      cp_sandbox_json_member_int (w, "quantity", l->quantity);
      cp_sandbox_json_member_int (w, "currentQuantity", l->current_quantity);
      if (l->variant_id > 0)
        {
          cp_sandbox_json_member (w, "variant");
          cp_sandbox_json_begin_object (w);
          write_gid (w, "id", "ProductVariant", l->variant_id);
          cp_sandbox_json_end_object (w);
        }
      else
        write_str (w, "variant", NULL);
      write_money_set (w, "originalUnitPriceSet", l->unit_price_minor, o->currency);
      cp_sandbox_json_member (w, "taxLines");
      cp_sandbox_json_begin_array (w);
      if (l->tax_minor > 0)
        {
          cp_sandbox_json_begin_object (w);
          write_str (w, "title", "Sales tax");
          write_money_set (w, "priceSet", l->tax_minor, o->currency);
          cp_sandbox_json_end_object (w);
        }
      cp_sandbox_json_end_array (w);
      cp_sandbox_json_end_object (w);
    }
  cp_sandbox_json_end_array (w);
  shopify_write_page_info (w, (gint64) o->lines->len > max_lines, NULL);
  cp_sandbox_json_end_object (w);
  write_money_set (w, "totalShippingPriceSet", o->shipping_minor, o->currency);
  write_money_set (w, "totalPriceSet", total, o->currency);
  cp_sandbox_json_member (w, "refunds");
  cp_sandbox_json_begin_array (w);
  for (guint k = 0; k < o->refunds->len; k++)
    {
      ShopifyRefund *r = g_ptr_array_index (o->refunds, k);

      cp_sandbox_json_begin_object (w);
      write_gid (w, "id", "Refund", r->id);
      write_time (w, "createdAt", r->created_at);
      write_money_set (w, "totalRefundedSet", r->amount_minor, o->currency);
      cp_sandbox_json_end_object (w);
    }
  cp_sandbox_json_end_array (w);
  if (!leave_open)
    cp_sandbox_json_end_object (w);
}

void
shopify_write_fulfillment_orders (CpSandboxJson *w,
                                  ShopifyOrder  *o)
{
  gboolean open = FALSE;

  for (guint k = 0; k < o->lines->len; k++)
    {
      ShopifyLine *l = g_ptr_array_index (o->lines, k);

      open |= l->current_quantity > l->fulfilled;
    }
  cp_sandbox_json_member (w, "fulfillmentOrders");
  cp_sandbox_json_begin_object (w);
  cp_sandbox_json_member (w, "nodes");
  cp_sandbox_json_begin_array (w);
  /* One fulfillment order per order, with the order's id. */
  cp_sandbox_json_begin_object (w);
  write_gid (w, "id", "FulfillmentOrder", o->id);
  write_str (w, "status", o->cancelled_at > 0 ? "CANCELLED" : open ? "OPEN" : "CLOSED");
  cp_sandbox_json_member (w, "lineItems");
  cp_sandbox_json_begin_object (w);
  cp_sandbox_json_member (w, "nodes");
  cp_sandbox_json_begin_array (w);
  for (guint k = 0; k < o->lines->len; k++)
    {
      ShopifyLine *l = g_ptr_array_index (o->lines, k);

      cp_sandbox_json_begin_object (w);
      write_gid (w, "id", "FulfillmentOrderLineItem", l->id);
      cp_sandbox_json_member_int (w, "remainingQuantity", MAX (0, l->current_quantity - l->fulfilled));
      cp_sandbox_json_end_object (w);
    }
  cp_sandbox_json_end_array (w);
  cp_sandbox_json_end_object (w);
  cp_sandbox_json_end_object (w);
  cp_sandbox_json_end_array (w);
  cp_sandbox_json_end_object (w);
}
