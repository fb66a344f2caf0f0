/* cp-woocommerce-parse.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * WooCommerce's JSON, read without I/O (the golden tests, the fuzzer and
 * the webhook code call these directly). Money is a decimal string in the
 * store's decimals, parsed exactly (cp_money_parse); the one exception,
 * a line's "price", is a JSON number in the docs' own examples and is
 * read through its shortest round-trip text, never used as a double.
 * Anything of the wrong shape is REMOTE_BUG naming the field.
 */

#define G_LOG_DOMAIN "cp-woocommerce"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <string.h>

#include "cp-json-limits.h"
#include "cp-json-parse.h"
#include "cp-money.h"

#include "cp-woocommerce-private.h"

JsonNode *
woo_parse_json (const char  *data,
                gsize        length,
                GError     **error)
{
  JsonNode *root = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!cp_json_check_limits (data, length, WOO_MAX_RESPONSE_BYTES,
                             CP_JSON_LIMITS_DEFAULT_MAX_DEPTH, &local_error))
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0, NULL,
                              _("The WooCommerce site sent an answer too large or too deeply "
                                "nested to read (%s)."), local_error->message);
      return NULL;
    }
  if (!cp_json_parse (data, MIN (length, G_MAXSSIZE), CP_JSON_PARSE_IMMUTABLE, &root,
                      &local_error))
    {
      /* Usually a transfer cut short, or a PHP notice printed before the
       * JSON by a plugin: trying again may get a whole one. */
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_TRANSIENT, 0, NULL,
                              _("The WooCommerce site’s answer was cut short or garbled (%s). "
                                "Counterpart will try again."), local_error->message);
      return NULL;
    }
  return root;
}

static void
shape_error (GError     **error,
             const char  *field)
{
  cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0, NULL,
                          _("The WooCommerce site sent data Counterpart does not understand "
                            "(field “%s”)."), field);
}

static JsonObject *
as_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
as_array (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
get_string (JsonObject *obj,
            const char *member)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* An id: a JSON integer, or a string of digits as some plugins send. */
static gboolean
get_id (JsonObject *obj,
        const char *member,
        gint64     *out)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, member) : NULL;

  *out = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return *out >= 0;
    }
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_string_to_signed (json_node_get_string (node), 10, 0, G_MAXINT64, out, NULL);
  return FALSE;
}

/* A money member: a decimal string ("29.35"), or a number as the line
 * "price" is; absent or "" is zero. */
static gboolean
get_money (JsonObject  *obj,
           const char  *member,
           const char  *currency,
           gint64      *out,
           GError     **error)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, member) : NULL;
  g_autofree char *text = NULL;

  *out = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    {
      shape_error (error, member);
      return FALSE;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      text = g_strdup (json_node_get_string (node));
      break;
    case G_TYPE_INT64:
      text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        /* The shortest text that reads back as the same double: "19.99"
         * for 19.99. A value with more decimals than the currency has
         * (3.3333…) does not parse, and the caller falls back. */
        text = g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      }
      break;
    default:
      shape_error (error, member);
      return FALSE;
    }
  if (*text == '\0')
    return TRUE;
  if (!cp_money_parse (text, currency, out, NULL))
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0, NULL,
                              _("WooCommerce sent an amount Counterpart cannot read exactly "
                                "(“%s” in field “%s”, currency %s)."), text, member, currency);
      return FALSE;
    }
  return TRUE;
}

gboolean
woo_parse_gmt_date (const char *text,
                    gint64     *out_us)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    return FALSE;
  *out_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

char *
woo_format_gmt_date (gint64 unix_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
}

/* ---- Products ---------------------------------------------------------- */

void
woo_product_free (WooProduct *product)
{
  g_free (product->type);
  g_free (product->sku);
  g_free (product->status);
  g_clear_pointer (&product->variations, g_array_unref);
  g_free (product);
}

WooProduct *
woo_parse_product (JsonNode  *node,
                   GError   **error)
{
  JsonObject *obj = as_object (node);
  g_autoptr(WooProduct) p = g_new0 (WooProduct, 1);
  JsonArray *variations;
  const char *sku;

  if (obj == NULL || !get_id (obj, "id", &p->id) || p->id <= 0)
    {
      shape_error (error, "product.id");
      return NULL;
    }
  if (!get_id (obj, "parent_id", &p->parent_id))
    {
      shape_error (error, "product.parent_id");
      return NULL;
    }
  sku = get_string (obj, "sku");
  p->sku = sku != NULL && *sku != '\0' ? g_strdup (sku) : NULL;
  p->type = g_strdup (get_string (obj, "type"));
  p->status = g_strdup (get_string (obj, "status"));
  {
    JsonNode *manage = json_object_get_member (obj, "manage_stock");
    JsonNode *quantity = json_object_get_member (obj, "stock_quantity");

    /* A variation may say "parent": its stock is the parent's. */
    p->manage_stock = manage != NULL && JSON_NODE_HOLDS_VALUE (manage) &&
                      json_node_get_value_type (manage) == G_TYPE_BOOLEAN &&
                      json_node_get_boolean (manage);
    p->stock_quantity = quantity != NULL && JSON_NODE_HOLDS_VALUE (quantity) &&
                        json_node_get_value_type (quantity) == G_TYPE_INT64
                        ? json_node_get_int (quantity) : -1;
  }
  /* A variation object has no type member; its parent says what it is. */
  if (p->type == NULL && p->parent_id > 0)
    p->type = g_strdup ("variation");

  variations = as_array (json_object_get_member (obj, "variations"));
  if (variations != NULL)
    {
      p->variations = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (guint i = 0; i < json_array_get_length (variations); i++)
        {
          JsonNode *v = json_array_get_element (variations, i);
          gint64 id = JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_INT64
                      ? json_node_get_int (v) : 0;

          if (id > 0)
            g_array_append_val (p->variations, id);
        }
    }
  return g_steal_pointer (&p);
}

gboolean
woo_parse_products (JsonNode   *root,
                    GPtrArray  *out,
                    GError    **error)
{
  JsonArray *array = as_array (root);

  if (array == NULL)
    {
      shape_error (error, "products");
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      WooProduct *p = woo_parse_product (json_array_get_element (array, i), error);

      if (p == NULL)
        return FALSE;
      g_ptr_array_add (out, p);
    }
  return TRUE;
}

/* ---- Orders ------------------------------------------------------------ */

const char *
woo_status_to_local (const char *status)
{
  static const struct { const char *remote, *local; } map[] = {
    { "pending", "awaiting_payment" },
    { "processing", "processing" },
    { "on-hold", "on_hold" },
    { "completed", "completed" },
    { "cancelled", "cancelled" },
    { "refunded", "refunded" },
    { "failed", "failed" },
    { "trash", "cancelled" },
    { "checkout-draft", "awaiting_payment" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (status, map[i].remote) == 0)
      return map[i].local;
  return status != NULL && *status != '\0' ? status : "pending";
}

const char *
woo_status_to_remote (const char *local_status)
{
  static const struct { const char *local, *remote; } map[] = {
    { "completed", "completed" },
    { "delivered", "completed" },
    { "shipped", "completed" },
    { "processing", "processing" },
    { "pending", "pending" },
    { "awaiting_payment", "pending" },
    { "on_hold", "on-hold" },
    { "cancelled", "cancelled" },
    { "refunded", "refunded" },
    { "failed", "failed" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (local_status, map[i].local) == 0)
      return map[i].remote;
  return NULL;
}

/* One line item. The ledger keeps quantity × unit − discount + tax; the
 * store gives subtotal (before coupons), total (after) and the unit
 * price. A unit price that does not divide the subtotal exactly (10.00
 * for 3) goes in at its floor, the difference into the line's discount,
 * so that the line still totals exactly what the store says. */
static gboolean
parse_line (CpOrder   *order,
            JsonNode  *node,
            GError   **error)
{
  JsonObject *obj = as_object (node);
  JsonNode *quantity_node;
  const char *sku, *name;
  gint64 quantity, subtotal, total, tax, unit = 0, discount;
  g_autoptr(GError) price_error = NULL;

  if (obj == NULL)
    {
      shape_error (error, "line_items");
      return FALSE;
    }
  quantity_node = json_object_get_member (obj, "quantity");
  if (quantity_node == NULL || !JSON_NODE_HOLDS_VALUE (quantity_node) ||
      json_node_get_value_type (quantity_node) != G_TYPE_INT64)
    {
      shape_error (error, "line_items.quantity");
      return FALSE;
    }
  quantity = json_node_get_int (quantity_node);
  if (quantity < 0 || quantity > G_MAXINT32)
    {
      shape_error (error, "line_items.quantity");
      return FALSE;
    }
  if (!get_money (obj, "subtotal", order->currency, &subtotal, error) ||
      !get_money (obj, "total", order->currency, &total, error) ||
      !get_money (obj, "total_tax", order->currency, &tax, error))
    return FALSE;
  if (subtotal < 0 || total < 0 || subtotal > G_MAXINT64 / 2 || total > G_MAXINT64 / 2)
    {
      shape_error (error, "line_items.total");
      return FALSE;
    }

  if (!get_money (obj, "price", order->currency, &unit, &price_error) ||
      quantity == 0 || unit < 0 || unit > G_MAXINT64 / MAX (quantity, 1) ||
      unit * quantity != subtotal)
    unit = quantity > 0 ? subtotal / quantity : 0;
  discount = unit * quantity - total;

  sku = get_string (obj, "sku");
  name = get_string (obj, "name");
  /* product_id 0: a line typed in by hand, or a product deleted since;
   * kept by its name, with no SKU to move stock by. */
  cp_order_add_line (order, sku != NULL ? sku : "", name != NULL ? name : "",
                     quantity, unit, discount, tax);
  return TRUE;
}

static gboolean
parse_fee (CpOrder   *order,
           JsonNode  *node,
           GError   **error)
{
  JsonObject *obj = as_object (node);
  const char *name = get_string (obj, "name");
  gint64 total, tax;

  if (obj == NULL ||
      !get_money (obj, "total", order->currency, &total, error) ||
      !get_money (obj, "total_tax", order->currency, &tax, error))
    {
      if (obj == NULL)
        shape_error (error, "fee_lines");
      return FALSE;
    }
  if (total < -G_MAXINT64 / 2 || total > G_MAXINT64 / 2)
    {
      shape_error (error, "fee_lines.total");
      return FALSE;
    }
  /* A negative fee is a discount the store gave by hand. */
  if (total >= 0)
    cp_order_add_line (order, "", name != NULL ? name : _("Fee"), 1, total, 0, tax);
  else
    order->order_discount_minor += -total;
  return TRUE;
}

static gboolean
parse_refund_summaries (CpOrder    *order,
                        JsonArray  *refunds,
                        gint64      at_us,
                        GError    **error)
{
  for (guint i = 0; refunds != NULL && i < json_array_get_length (refunds); i++)
    {
      JsonObject *r = as_object (json_array_get_element (refunds, i));
      gint64 amount;

      if (r == NULL || !get_money (r, "total", order->currency, &amount, error))
        {
          if (r == NULL)
            shape_error (error, "refunds");
          return FALSE;
        }
      if (amount == G_MININT64)
        {
          shape_error (error, "refunds.total");
          return FALSE;
        }
      /* The order's summary gives refunds as negative totals. */
      cp_order_add_refund (order, amount < 0 ? -amount : amount, get_string (r, "reason"), at_us);
    }
  return TRUE;
}

/* More refunded than the order came to cannot be (a plugin's bug, or a
 * refund of a fee the order no longer lists): the ledger takes at most
 * the order's total back, and the reason says what the store claimed. */
static void
cap_refunds (CpOrder *order)
{
  gint64 total = cp_order_compute_total (order), sum = 0;

  for (guint i = 0; i < order->refunds->len; i++)
    {
      CpRefund *refund = g_ptr_array_index (order->refunds, i);
      gint64 left = MAX (total - sum, 0);

      if (refund->amount_minor > left)
        {
          g_autofree char *claimed = cp_money_format_plain (refund->amount_minor, order->currency);
          char *reason = g_strdup_printf (_("%s (WooCommerce reported %s, more than the order)"),
                                          refund->reason != NULL ? refund->reason : "",
                                          claimed);

          g_free (refund->reason);
          refund->reason = reason;
          refund->amount_minor = left;
        }
      sum += refund->amount_minor;
    }
}

CpOrder *
cp_woocommerce_parse_order (JsonNode    *node,
                            const char  *integration_id,
                            gint64      *out_modified_us,
                            GError     **error)
{
  JsonObject *obj = as_object (node);
  g_autoptr(CpOrder) order = NULL;
  JsonObject *billing;
  JsonArray *lines;
  const char *currency, *number, *status, *email;
  gint64 id = 0, modified = 0, created = 0, shipping = 0, shipping_tax = 0, order_number = 0;

  /* The legacy REST API (what a webhook of API version "legacy_v3"
   * delivers, and the only published delivery example) wraps the order
   * as {"order": {…}} and names some fields differently. */
  if (obj != NULL && json_object_get_size (obj) == 1 &&
      as_object (json_object_get_member (obj, "order")) != NULL)
    obj = as_object (json_object_get_member (obj, "order"));
  if (obj == NULL)
    {
      shape_error (error, "order");
      return NULL;
    }
  if (!get_id (obj, "id", &id) || id <= 0)
    {
      shape_error (error, "order.id");
      return NULL;
    }
  currency = get_string (obj, "currency");
  if (currency == NULL || !cp_currency_is_valid (currency))
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                              _("WooCommerce order %" PRId64 " has no currency "
                                "Counterpart knows (“%s”)."), (int64_t) id, currency ? currency : "");
      return NULL;
    }
  if (!woo_parse_gmt_date (get_string (obj, "date_modified_gmt"), &modified) &&
      !woo_parse_gmt_date (get_string (obj, "updated_at"), &modified))
    modified = 0;
  if (!woo_parse_gmt_date (get_string (obj, "date_created_gmt"), &created) &&
      !woo_parse_gmt_date (get_string (obj, "created_at"), &created))
    created = modified;

  order = cp_order_new ();
  order->source = g_strdup (integration_id);
  order->external_id = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  number = get_string (obj, "number");
  order->number = g_strdup (number != NULL && *number != '\0' ? number : order->external_id);
  if (number == NULL && get_id (obj, "order_number", &order_number) && order_number > 0)
    order->number = (g_free (order->number),
                     g_strdup_printf ("%" G_GINT64_FORMAT, order_number));
  status = get_string (obj, "status");
  order->status = g_strdup (woo_status_to_local (status));
  g_strlcpy (order->currency, currency, sizeof order->currency);
  order->placed_at_us = created;

  billing = as_object (json_object_get_member (obj, "billing"));
  email = get_string (billing, "email");
  if (email != NULL && *email != '\0')
    order->customer_email = g_strdup (email);
  if (billing != NULL)
    {
      g_autofree char *name = g_strstrip (g_strdup_printf ("%s %s",
                                                          get_string (billing, "first_name") ?: "",
                                                          get_string (billing, "last_name") ?: ""));

      if (*name != '\0')
        order->customer_name = g_steal_pointer (&name);
    }

  lines = as_array (json_object_get_member (obj, "line_items"));
  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    if (!parse_line (order, json_array_get_element (lines, i), error))
      return NULL;
  lines = as_array (json_object_get_member (obj, "fee_lines"));
  for (guint i = 0; lines != NULL && i < json_array_get_length (lines); i++)
    if (!parse_fee (order, json_array_get_element (lines, i), error))
      return NULL;

  /* Shipping tax has no place of its own in the ledger: it rides with
   * shipping, so the order totals what the store says. */
  if (!get_money (obj, json_object_has_member (obj, "shipping_total") ? "shipping_total"
                                                                      : "total_shipping",
                  order->currency, &shipping, error) ||
      !get_money (obj, "shipping_tax", order->currency, &shipping_tax, error))
    return NULL;
  order->shipping_minor = shipping + shipping_tax;

  if (!parse_refund_summaries (order, as_array (json_object_get_member (obj, "refunds")),
                               modified, error))
    return NULL;
  cap_refunds (order);

  if (!g_str_equal (order->status, "cancelled") && order->lines->len == 0)
    {
      /* The ledger keeps no order without lines; an order with none is
       * an empty draft on the store. */
      order->status = (g_free (order->status), g_strdup ("cancelled"));
    }
  if (out_modified_us != NULL)
    *out_modified_us = modified;
  return g_steal_pointer (&order);
}

gboolean
woo_parse_refunds (JsonNode  *root,
                   CpOrder   *order,
                   GError   **error)
{
  JsonArray *array = as_array (root);
  guint n = array != NULL ? json_array_get_length (array) : 1;

  if (array == NULL && as_object (root) == NULL)
    {
      shape_error (error, "refunds");
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonObject *r = as_object (array != NULL ? json_array_get_element (array, i) : root);
      gint64 amount, at = 0;

      if (r == NULL)
        {
          shape_error (error, "refunds");
          return FALSE;
        }
      if (!get_money (r, "amount", order->currency, &amount, error))
        return FALSE;
      if (amount < 0)
        {
          shape_error (error, "refund.amount");
          return FALSE;
        }
      woo_parse_gmt_date (get_string (r, "date_created_gmt"), &at);
      cp_order_add_refund (order, amount, get_string (r, "reason"), at);
    }
  return TRUE;
}

/* ---- Batches and errors ----------------------------------------------- */

void
woo_item_result_free (WooItemResult *result)
{
  g_free (result->code);
  g_free (result->message);
  g_free (result);
}

gboolean
woo_parse_batch_results (JsonNode    *root,
                         const char  *action,
                         GPtrArray   *out,
                         GError     **error)
{
  JsonObject *obj = as_object (root);
  JsonArray *items;

  if (obj == NULL)
    {
      shape_error (error, "batch");
      return FALSE;
    }
  items = as_array (json_object_get_member (obj, action));
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = as_object (json_array_get_element (items, i));
      JsonObject *err = item != NULL ? as_object (json_object_get_member (item, "error")) : NULL;
      WooItemResult *result;

      if (item == NULL)
        {
          shape_error (error, action);
          return FALSE;
        }
      result = g_new0 (WooItemResult, 1);
      get_id (item, "id", &result->id);
      result->ok = err == NULL;
      if (err != NULL)
        {
          result->code = g_strdup (get_string (err, "code"));
          result->message = g_strdup (get_string (err, "message"));
        }
      g_ptr_array_add (out, result);
    }
  return TRUE;
}

void
woo_parse_error_body (JsonNode    *root,
                      const char **out_code,
                      const char **out_message)
{
  JsonObject *obj = as_object (root);

  *out_code = get_string (obj, "code");
  *out_message = get_string (obj, "message");
}

char *
woo_parse_currency_setting (JsonNode *root)
{
  JsonArray *array = as_array (root);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *setting = as_object (json_array_get_element (array, i));

      if (g_strcmp0 (get_string (setting, "id"), "woocommerce_currency") == 0)
        {
          const char *value = get_string (setting, "value");

          return value != NULL && cp_currency_is_valid (value) ? g_strdup (value) : NULL;
        }
    }
  return NULL;
}
