/* cp-shopify-parse.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shopify's answers into Counterpart's types, with no I/O: the cost
 * extension, errors and userErrors, GraphQL and REST orders. Money is a
 * decimal string ("19.99", MoneyV2.amount and REST's price fields) read
 * by cp_money_parse into minor units, never through a double; a REST
 * refund line's numeric subtotal is ignored for its *_set string twin.
 */

#define G_LOG_DOMAIN "cp-shopify"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-json-limits.h"
#include "cp-json-parse.h"
#include "cp-money.h"

#include "cp-shopify-private.h"

JsonNode *
shopify_parse_json (const char  *data,
                    gsize        length,
                    GError     **error)
{
  JsonNode *root = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!cp_json_check_limits (data, length, SHOPIFY_MAX_RESPONSE_BYTES,
                             CP_JSON_LIMITS_DEFAULT_MAX_DEPTH, &local_error))
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0, NULL,
                              _("Shopify sent an answer too large or too deeply nested to read "
                                "(%s)."), local_error->message);
      return NULL;
    }
  if (!cp_json_parse (data, MIN (length, G_MAXSSIZE), CP_JSON_PARSE_IMMUTABLE, &root,
                      &local_error))
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_TRANSIENT, 0, NULL,
                              _("Shopify’s answer was cut short or garbled (%s). Counterpart "
                                "will try again."), local_error->message);
      return NULL;
    }
  return root;
}

JsonNode *
shopify_get (JsonObject *obj,
             const char *path)
{
  const char *p = path;

  while (obj != NULL)
    {
      const char *dot = strchr (p, '.');
      g_autofree char *name = dot ? g_strndup (p, dot - p) : g_strdup (p);
      JsonNode *node = json_object_get_member (obj, name);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        return NULL;
      if (dot == NULL)
        return node;
      obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      p = dot + 1;
    }
  return NULL;
}

JsonObject *
shopify_get_object (JsonObject *obj,
                    const char *path)
{
  JsonNode *node = shopify_get (obj, path);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
shopify_get_array (JsonObject *obj,
                   const char *path)
{
  JsonNode *node = shopify_get (obj, path);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *
shopify_get_string (JsonObject *obj,
                    const char *path)
{
  JsonNode *node = shopify_get (obj, path);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

gboolean
shopify_get_int (JsonObject *obj,
                 const char *path,
                 gint64     *out)
{
  JsonNode *node = shopify_get (obj, path);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
shopify_get_number (JsonObject *obj,
                    const char *path,
                    double     *out)
{
  JsonNode *node = shopify_get (obj, path);
  GType type = node != NULL ? json_node_get_value_type (node) : G_TYPE_INVALID;

  /* Budget figures, not money: a double is right here. */
  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else if (type == G_TYPE_STRING)
    {
      char *end = NULL;

      *out = g_ascii_strtod (json_node_get_string (node), &end);
      if (end == json_node_get_string (node) || *end != '\0')
        return FALSE;
    }
  else
    return FALSE;
  return TRUE;
}

void
shopify_parse_cost (JsonNode    *root,
                    ShopifyCost *out)
{
  JsonObject *obj = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonObject *cost = shopify_get_object (obj, "extensions.cost");

  memset (out, 0, sizeof *out);
  out->actual = -1;
  if (cost == NULL)
    return;
  shopify_get_number (cost, "requestedQueryCost", &out->requested);
  if (!shopify_get_number (cost, "actualQueryCost", &out->actual))
    out->actual = -1;
  out->present = shopify_get_number (cost, "throttleStatus.maximumAvailable", &out->maximum) &&
                 shopify_get_number (cost, "throttleStatus.currentlyAvailable", &out->available) &&
                 shopify_get_number (cost, "throttleStatus.restoreRate", &out->restore_rate) &&
                 out->maximum > 0 && out->restore_rate > 0 && out->available >= 0;
}

void
shopify_parse_top_error (JsonNode    *root,
                         const char **out_code,
                         const char **out_message)
{
  JsonObject *obj = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonNode *errors = obj != NULL ? json_object_get_member (obj, "errors") : NULL;

  *out_code = NULL;
  *out_message = NULL;
  if (errors == NULL)
    return;
  if (json_node_get_value_type (errors) == G_TYPE_STRING)
    {
      /* REST-style {"errors": "…"}, as a 401 has it. */
      *out_message = json_node_get_string (errors);
      return;
    }
  if (JSON_NODE_HOLDS_ARRAY (errors) && json_array_get_length (json_node_get_array (errors)) > 0)
    {
      JsonNode *first = json_array_get_element (json_node_get_array (errors), 0);
      JsonObject *e = JSON_NODE_HOLDS_OBJECT (first) ? json_node_get_object (first) : NULL;

      *out_code = shopify_get_string (e, "extensions.code");
      *out_message = shopify_get_string (e, "message");
      if (*out_code == NULL && *out_message == NULL)
        *out_message = "error";
    }
  else if (JSON_NODE_HOLDS_OBJECT (errors))
    *out_message = "error";
}

gboolean
shopify_parse_time (const char *text,
                    gint64     *out_us)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    return FALSE;
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    return FALSE;
  *out_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

char *
shopify_format_time (gint64 unix_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("1970-01-01T00:00:00Z");
}

static void
shape_error (GError    **error,
             const char *what)
{
  cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0, NULL,
                          _("Shopify sent an order Counterpart cannot read (%s is missing or "
                            "malformed)."), what);
}

static gboolean
use_currency (char         currency[4],
              const char  *code,
              const char  *what,
              GError     **error)
{
  g_autofree char *upper = code != NULL ? g_ascii_strup (code, -1) : NULL;

  if (upper == NULL || !cp_currency_is_valid (upper))
    {
      shape_error (error, what);
      return FALSE;
    }
  if (currency[0] == '\0')
    memcpy (currency, upper, 4);
  else if (memcmp (currency, upper, 4) != 0)
    {
      /* Never converted: the books would silently mix currencies. */
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                              _("A Shopify order mixes currencies (%s and %s in %s). "
                                "Counterpart does not convert money; enter this order by hand."),
                              currency, upper, what);
      return FALSE;
    }
  return TRUE;
}

gboolean
shopify_parse_money (JsonObject  *money,
                     char         currency[4],
                     gint64      *out_minor,
                     const char  *what,
                     GError     **error)
{
  JsonObject *shop = shopify_get_object (money, "shopMoney");
  const char *amount, *code;
  g_autoptr(GError) local_error = NULL;

  if (shop == NULL)
    shop = shopify_get_object (money, "shop_money");
  if (shop != NULL)
    money = shop;
  amount = shopify_get_string (money, "amount");
  code = shopify_get_string (money, "currencyCode");
  if (code == NULL)
    code = shopify_get_string (money, "currency_code");
  if (amount == NULL || !use_currency (currency, code, what, error))
    {
      if (amount == NULL)
        shape_error (error, what);
      return FALSE;
    }
  if (!cp_money_parse (amount, currency, out_minor, &local_error))
    {
      shape_error (error, what);
      return FALSE;
    }
  return TRUE;
}

/* A *Set that may be absent: 0 then. */
static gboolean
optional_money (JsonObject  *obj,
                const char  *member,
                char         currency[4],
                gint64      *out,
                GError     **error)
{
  JsonObject *set = shopify_get_object (obj, member);

  *out = 0;
  return set == NULL || shopify_parse_money (set, currency, out, member, error);
}

/* A plain decimal string in the order's currency (REST). */
static gboolean
rest_money (JsonObject  *obj,
            const char  *member,
            const char  *currency,
            gint64      *out,
            GError     **error)
{
  const char *text = shopify_get_string (obj, member);
  g_autoptr(GError) local_error = NULL;

  *out = 0;
  if (text == NULL)
    return TRUE;
  if (!cp_money_parse (text, currency, out, &local_error))
    {
      shape_error (error, member);
      return FALSE;
    }
  return TRUE;
}

static const char *
status_to_local (const char *financial,
                 const char *fulfillment,
                 gboolean    cancelled)
{
  g_autofree char *f = financial != NULL ? g_ascii_strup (financial, -1) : NULL;
  g_autofree char *s = fulfillment != NULL ? g_ascii_strup (fulfillment, -1) : NULL;

  if (cancelled)
    return "cancelled";
  if (g_strcmp0 (f, "REFUNDED") == 0)
    return "refunded";
  if (g_strcmp0 (f, "PENDING") == 0 || g_strcmp0 (f, "EXPIRED") == 0 || g_strcmp0 (f, "VOIDED") == 0)
    return "awaiting_payment";
  if (g_strcmp0 (s, "FULFILLED") == 0)
    return "completed";
  return "processing";
}

/* Refunds past the order's total are capped: money cannot leave twice,
 * and the ledger refuses a refund larger than the order. */
static void
cap_refunds (CpOrder *order)
{
  gint64 total = cp_order_compute_total (order), left;

  left = MAX (total, 0);
  for (guint i = 0; i < order->refunds->len; i++)
    {
      CpRefund *r = g_ptr_array_index (order->refunds, i);

      if (r->amount_minor > left)
        {
          g_message ("Order %s: a refund of %" G_GINT64_FORMAT " exceeds what is left of the "
                     "order (%" G_GINT64_FORMAT "); recorded as %" G_GINT64_FORMAT,
                     order->number, r->amount_minor, left, left);
          r->amount_minor = left;
        }
      left -= r->amount_minor;
    }
}

CpOrder *
shopify_parse_order (JsonObject  *obj,
                     const char  *integration_id,
                     gint64      *out_updated_at_us,
                     GError     **error)
{
  g_autoptr(CpOrder) order = cp_order_new ();
  const char *id = shopify_get_string (obj, "id");
  const char *name = shopify_get_string (obj, "name");
  JsonArray *lines = shopify_get_array (obj, "lineItems.nodes");
  JsonArray *refunds = shopify_get_array (obj, "refunds");
  gint64 updated_at = 0, placed_at = 0, cancelled_at = 0;

  if (id == NULL || !g_str_has_prefix (id, "gid://shopify/Order/"))
    {
      shape_error (error, "order.id");
      return NULL;
    }
  if (!shopify_parse_time (shopify_get_string (obj, "updatedAt"), &updated_at) ||
      !shopify_parse_time (shopify_get_string (obj, "createdAt"), &placed_at))
    {
      shape_error (error, "order.updatedAt");
      return NULL;
    }
  if (shopify_get_string (obj, "cancelledAt") != NULL &&
      !shopify_parse_time (shopify_get_string (obj, "cancelledAt"), &cancelled_at))
    {
      shape_error (error, "order.cancelledAt");
      return NULL;
    }
  if (!use_currency (order->currency, shopify_get_string (obj, "currencyCode"), "order.currencyCode", error))
    return NULL;

  order->source = g_strdup (integration_id);
  order->external_id = g_strdup (id);
  order->number = g_strdup (name != NULL ? name : id);
  order->placed_at_us = placed_at;
  order->status = g_strdup (status_to_local (shopify_get_string (obj, "displayFinancialStatus"),
                                             shopify_get_string (obj, "displayFulfillmentStatus"),
                                             cancelled_at > 0));

  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    {
      JsonNode *node = json_array_get_element (lines, i);
      JsonObject *line = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonArray *taxes = shopify_get_array (line, "taxLines");
      const char *sku = shopify_get_string (line, "sku");
      gint64 quantity = 0, unit = 0, tax = 0;

      if (line == NULL || (!shopify_get_int (line, "currentQuantity", &quantity) &&
                           !shopify_get_int (line, "quantity", &quantity)) || quantity < 0)
        {
          shape_error (error, "lineItems.quantity");
          return NULL;
        }
      if (!shopify_parse_money (shopify_get_object (line, "originalUnitPriceSet"), order->currency,
                                &unit, "lineItems.originalUnitPriceSet", error))
        return NULL;
      for (guint t = 0; taxes != NULL && t < json_array_get_length (taxes); t++)
        {
          JsonNode *tn = json_array_get_element (taxes, t);
          gint64 amount = 0;

          if (!JSON_NODE_HOLDS_OBJECT (tn) ||
              !optional_money (json_node_get_object (tn), "priceSet", order->currency, &amount, error))
            return NULL;
          tax += amount;
        }
      /* A custom line item has no variant and usually no SKU: kept with
       * its name, it never touches stock. */
      cp_order_add_line (order, sku != NULL && *sku != '\0' ? sku : NULL,
                         shopify_get_string (line, "name"), quantity, unit, 0, tax);
    }
  if (!optional_money (obj, "totalShippingPriceSet", order->currency, &order->shipping_minor, error) ||
      /* Lines carry their original price: every discount is the order's. */
      !optional_money (obj, "totalDiscountsSet", order->currency, &order->order_discount_minor, error))
    return NULL;
  for (guint i = 0; refunds != NULL && i < json_array_get_length (refunds); i++)
    {
      JsonNode *node = json_array_get_element (refunds, i);
      JsonObject *refund = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 amount = 0, at = 0;

      if (refund == NULL ||
          !shopify_parse_money (shopify_get_object (refund, "totalRefundedSet"), order->currency,
                                &amount, "refunds.totalRefundedSet", error))
        {
          if (refund == NULL)
            shape_error (error, "refunds");
          return NULL;
        }
      shopify_parse_time (shopify_get_string (refund, "createdAt"), &at);
      if (amount > 0)
        cp_order_add_refund (order, amount, NULL, at);
    }
  cap_refunds (order);
  if (out_updated_at_us != NULL)
    *out_updated_at_us = updated_at;
  return g_steal_pointer (&order);
}

CpOrder *
cp_shopify_parse_rest_order (JsonNode    *root,
                             const char  *integration_id,
                             gint64      *out_updated_at_us,
                             GError     **error)
{
  JsonObject *obj = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  g_autoptr(CpOrder) order = cp_order_new ();
  JsonArray *lines, *shipping, *refunds;
  const char *gid, *first, *last;
  gint64 updated_at = 0, placed_at = 0, numeric_id = 0;

  if (shopify_get_object (obj, "order") != NULL)
    obj = shopify_get_object (obj, "order");
  if (obj == NULL)
    {
      shape_error (error, "order");
      return NULL;
    }
  gid = shopify_get_string (obj, "admin_graphql_api_id");
  if (gid == NULL && shopify_get_int (obj, "id", &numeric_id) && numeric_id > 0)
    order->external_id = g_strdup_printf ("gid://shopify/Order/%" G_GINT64_FORMAT, numeric_id);
  else if (gid != NULL && g_str_has_prefix (gid, "gid://shopify/Order/"))
    order->external_id = g_strdup (gid);
  else
    {
      shape_error (error, "order.id");
      return NULL;
    }
  if (!shopify_parse_time (shopify_get_string (obj, "updated_at"), &updated_at) ||
      !shopify_parse_time (shopify_get_string (obj, "created_at"), &placed_at))
    {
      shape_error (error, "order.updated_at");
      return NULL;
    }
  if (!use_currency (order->currency, shopify_get_string (obj, "currency"), "order.currency", error))
    return NULL;
  order->source = g_strdup (integration_id);
  order->number = g_strdup (shopify_get_string (obj, "name") ? shopify_get_string (obj, "name")
                                                               : order->external_id);
  order->placed_at_us = placed_at;
  order->status = g_strdup (status_to_local (shopify_get_string (obj, "financial_status"),
                                             shopify_get_string (obj, "fulfillment_status"),
                                             shopify_get_string (obj, "cancelled_at") != NULL));
  order->customer_email = g_strdup (shopify_get_string (obj, "email"));
  first = shopify_get_string (obj, "customer.first_name");
  last = shopify_get_string (obj, "customer.last_name");
  if (first != NULL || last != NULL)
    order->customer_name = g_strjoin (" ", first ? first : "", last ? last : "", NULL);

  lines = shopify_get_array (obj, "line_items");
  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    {
      JsonNode *node = json_array_get_element (lines, i);
      JsonObject *line = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonArray *taxes = shopify_get_array (line, "tax_lines");
      const char *sku = shopify_get_string (line, "sku");
      const char *name = shopify_get_string (line, "name");
      gint64 quantity = 0, unit = 0, tax = 0, discount = 0;

      if (line == NULL || !shopify_get_int (line, "quantity", &quantity) || quantity < 0)
        {
          shape_error (error, "line_items.quantity");
          return NULL;
        }
      if (!rest_money (line, "price", order->currency, &unit, error) ||
          !rest_money (line, "total_discount", order->currency, &discount, error))
        return NULL;
      for (guint t = 0; taxes != NULL && t < json_array_get_length (taxes); t++)
        {
          JsonNode *tn = json_array_get_element (taxes, t);
          gint64 amount = 0;

          if (!JSON_NODE_HOLDS_OBJECT (tn) ||
              !rest_money (json_node_get_object (tn), "price", order->currency, &amount, error))
            return NULL;
          tax += amount;
        }
      cp_order_add_line (order, sku != NULL && *sku != '\0' ? sku : NULL,
                         name != NULL ? name : shopify_get_string (line, "title"),
                         quantity, unit, discount, tax);
    }
  shipping = shopify_get_array (obj, "shipping_lines");
  for (guint i = 0; shipping != NULL && i < json_array_get_length (shipping); i++)
    {
      JsonNode *node = json_array_get_element (shipping, i);
      gint64 amount = 0;

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          !rest_money (json_node_get_object (node), "price", order->currency, &amount, error))
        return NULL;
      order->shipping_minor += amount;
    }
  if (!rest_money (obj, "total_discounts", order->currency, &order->order_discount_minor, error))
    return NULL;
  /* The line discounts are already on the lines. */
  for (guint i = 0; i < order->lines->len; i++)
    order->order_discount_minor -= ((CpOrderLine *) g_ptr_array_index (order->lines, i))->discount_minor;
  order->order_discount_minor = MAX (order->order_discount_minor, 0);

  refunds = shopify_get_array (obj, "refunds");
  for (guint i = 0; refunds != NULL && i < json_array_get_length (refunds); i++)
    {
      JsonNode *node = json_array_get_element (refunds, i);
      JsonObject *refund = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonArray *transactions = shopify_get_array (refund, "transactions");
      gint64 amount = 0, at = 0;

      for (guint t = 0; transactions != NULL && t < json_array_get_length (transactions); t++)
        {
          JsonNode *tn = json_array_get_element (transactions, t);
          JsonObject *tx = JSON_NODE_HOLDS_OBJECT (tn) ? json_node_get_object (tn) : NULL;
          gint64 value = 0;

          if (g_strcmp0 (shopify_get_string (tx, "kind"), "refund") != 0 ||
              g_strcmp0 (shopify_get_string (tx, "status"), "success") != 0)
            continue;
          if (!rest_money (tx, "amount", order->currency, &value, error))
            return NULL;
          amount += value;
        }
      shopify_parse_time (shopify_get_string (refund, "created_at"), &at);
      if (amount > 0)
        cp_order_add_refund (order, amount, shopify_get_string (refund, "note"), at);
    }
  cap_refunds (order);
  if (out_updated_at_us != NULL)
    *out_updated_at_us = updated_at;
  return g_steal_pointer (&order);
}

void
shopify_user_error_free (ShopifyUserError *e)
{
  g_free (e->code);
  g_free (e->message);
  g_free (e);
}

void
shopify_parse_user_errors (JsonObject *payload,
                           GPtrArray  *out)
{
  JsonArray *errors = shopify_get_array (payload, "userErrors");

  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonNode *node = json_array_get_element (errors, i);
      JsonObject *e = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonArray *field = shopify_get_array (e, "field");
      ShopifyUserError *ue = g_new0 (ShopifyUserError, 1);

      ue->code = g_strdup (shopify_get_string (e, "code"));
      ue->message = g_strdup (shopify_get_string (e, "message"));
      ue->index = -1;
      /* ["input", "quantities", "3", "compareQuantity"]: the first number. */
      for (guint k = 0; field != NULL && k < json_array_get_length (field); k++)
        {
          JsonNode *f = json_array_get_element (field, k);
          const char *text = json_node_get_value_type (f) == G_TYPE_STRING ? json_node_get_string (f) : NULL;
          guint64 index;

          if (json_node_get_value_type (f) == G_TYPE_INT64)
            {
              ue->index = (int) CLAMP (json_node_get_int (f), -1, G_MAXINT);
              break;
            }
          if (text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT, &index, NULL))
            {
              ue->index = (int) index;
              break;
            }
        }
      g_ptr_array_add (out, ue);
    }
}

char *
shopify_levels_to_json (GHashTable *levels)
{
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (levels), (GCompareFunc) g_strcmp0);
  GString *out = g_string_new ("{");

  for (GList *l = keys; l != NULL; l = l->next)
    g_string_append_printf (out, "%s\"%s\":%" G_GINT64_FORMAT, out->len > 1 ? "," : "",
                            (const char *) l->data, *(gint64 *) g_hash_table_lookup (levels, l->data));
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

GHashTable *
shopify_levels_from_json (const char *text)
{
  GHashTable *levels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return levels;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return levels;
  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &name, &value))
    if (json_node_get_value_type (value) == G_TYPE_INT64)
      {
        gint64 q = json_node_get_int (value);

        g_hash_table_insert (levels, g_strdup (name), g_memdup2 (&q, sizeof q));
      }
  return levels;
}
