/* cp-ecomv2-parse.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The platform's answers, read strictly: a member of the wrong type is a
 * REMOTE_BUG, never a guess, and money is read as integer minor units from
 * the seed's {"amount", "currency", "formatted"} object, never through a
 * double. No I/O here, so the fuzzer and the golden tests drive these
 * functions with any bytes.
 */

#define G_LOG_DOMAIN "cp-ecomv2"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-json-limits.h"
#include "cp-json-parse.h"
#include "cp-money.h"

#include "cp-ecomv2-private.h"

JsonNode *
ecomv2_parse_json (const char  *data,
                   gsize        length,
                   GError     **error)
{
  JsonNode *root = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!cp_json_check_limits (data, length, ECOMV2_MAX_RESPONSE_BYTES,
                             CP_JSON_LIMITS_DEFAULT_MAX_DEPTH, &local_error))
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0, NULL,
                              _("The store sent an answer too large or too deeply nested "
                                "to read (%s)."), local_error->message);
      return NULL;
    }
  if (length > G_MAXSSIZE)
    length = G_MAXSSIZE;

  if (!cp_json_parse (data, length, CP_JSON_PARSE_IMMUTABLE, &root, &local_error))
    {
      /* Usually a transfer cut short or garbled on the way: trying again
       * gets a whole one. */
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_TRANSIENT, 0, NULL,
                              _("The store’s answer was cut short or garbled (%s). "
                                "Counterpart will try again."), local_error->message);
      return NULL;
    }
  return root;
}

void
ecomv2_page_clear (Ecomv2Page *page)
{
  g_clear_pointer (&page->next_cursor, g_free);
  page->has_next = FALSE;
}

void
ecomv2_product_free (Ecomv2Product *product)
{
  if (product == NULL)
    return;
  g_free (product->id);
  g_free (product->sku);
  g_free (product->status);
  g_free (product);
}

void
ecomv2_item_result_free (Ecomv2ItemResult *result)
{
  if (result == NULL)
    return;
  g_free (result->id);
  g_free (result->code);
  g_free (result->message);
  g_free (result);
}

static gboolean
shape_error (GError     **error,
             const char  *what)
{
  cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0, NULL,
                          _("The store’s answer is not what its API documents (%s)."), what);
  return FALSE;
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

static gboolean
is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* A string member; NULL when absent or null. *OUT_BAD when present with
 * another type. */
static const char *
get_string (JsonObject *obj,
            const char *member,
            gboolean   *out_bad)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (is_null (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *out_bad = TRUE;
      return NULL;
    }
  return json_node_get_string (node);
}

/* An id: the seed's ids are strings ("prod_123"); a platform answering
 * with a number is read as its decimal text. */
static char *
get_id (JsonObject *obj,
        const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
    }
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
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

static gboolean
parse_pagination (JsonObject  *root,
                  Ecomv2Page  *page,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (root, "pagination");
  JsonObject *obj;
  JsonNode *member;
  gboolean bad = FALSE;
  const char *cursor;

  page->has_next = FALSE;
  g_clear_pointer (&page->next_cursor, g_free);

  /* No pagination object: everything came in one page. */
  if (is_null (node))
    return TRUE;
  obj = as_object (node);
  if (obj == NULL)
    return shape_error (error, "pagination");

  /* page/limit mode: has_next; cursor mode: has_more and next_cursor. */
  member = json_object_get_member (obj, "has_next");
  if (member == NULL)
    member = json_object_get_member (obj, "has_more");
  if (!is_null (member))
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        return shape_error (error, "pagination.has_next");
      page->has_next = json_node_get_boolean (member);
    }
  cursor = get_string (obj, "next_cursor", &bad);
  if (bad)
    return shape_error (error, "pagination.next_cursor");
  if (cursor != NULL && *cursor != '\0')
    {
      page->next_cursor = g_strdup (cursor);
      if (member == NULL)
        page->has_next = TRUE;
    }
  return TRUE;
}

static JsonArray *
get_data (JsonNode  *root,
          GError   **error)
{
  JsonObject *obj = as_object (root);
  JsonArray *data = obj != NULL ? as_array (json_object_get_member (obj, "data")) : NULL;

  if (data == NULL)
    shape_error (error, "data");
  return data;
}

static Ecomv2Product *
product_from_object (JsonObject  *obj,
                     GError     **error)
{
  g_autoptr(Ecomv2Product) product = g_new0 (Ecomv2Product, 1);
  gboolean bad = FALSE;
  const char *sku, *status;

  product->id = get_id (obj, "id");
  if (product->id == NULL)
    {
      shape_error (error, "product.id");
      return NULL;
    }
  sku = get_string (obj, "sku", &bad);
  status = get_string (obj, "status", &bad);
  if (bad)
    {
      shape_error (error, "product.sku");
      return NULL;
    }
  product->sku = sku != NULL && *sku != '\0' ? g_strdup (sku) : NULL;
  product->status = g_strdup (status);
  return g_steal_pointer (&product);
}

Ecomv2Product *
ecomv2_parse_product (JsonNode  *root,
                      GError   **error)
{
  JsonObject *obj = as_object (root);

  if (obj == NULL)
    {
      shape_error (error, "product");
      return NULL;
    }
  /* A platform may wrap a single object in {"data": …} too. */
  if (json_object_has_member (obj, "data") && as_object (json_object_get_member (obj, "data")))
    obj = as_object (json_object_get_member (obj, "data"));
  return product_from_object (obj, error);
}

gboolean
ecomv2_parse_products_page (JsonNode    *root,
                            GPtrArray   *out,
                            Ecomv2Page  *page,
                            GError     **error)
{
  JsonArray *data = get_data (root, error);
  guint n;

  if (data == NULL)
    return FALSE;
  n = json_array_get_length (data);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *obj = as_object (json_array_get_element (data, i));
      Ecomv2Product *product;

      if (obj == NULL)
        return shape_error (error, "data[]");
      product = product_from_object (obj, error);
      if (product == NULL)
        return FALSE;
      g_ptr_array_add (out, product);
    }
  return parse_pagination (json_node_get_object (root), page, error);
}

gboolean
ecomv2_parse_inventory_warehouses (JsonNode   *root,
                                   GPtrArray  *out,
                                   GError    **error)
{
  JsonObject *obj = as_object (root);
  JsonArray *locations = obj != NULL ? as_array (json_object_get_member (obj, "locations")) : NULL;
  guint n;

  if (locations == NULL)
    return shape_error (error, "locations");
  n = json_array_get_length (locations);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *loc = as_object (json_array_get_element (locations, i));
      char *id = loc != NULL ? get_id (loc, "warehouse_id") : NULL;

      if (id == NULL)
        return shape_error (error, "locations[].warehouse_id");
      g_ptr_array_add (out, id);
    }
  return TRUE;
}

gboolean
ecomv2_parse_time (const char *text,
                   gint64     *out_us)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;
  gint64 seconds;

  if (text == NULL || *text == '\0' || strlen (text) > 64)
    return FALSE;
  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    return FALSE;
  seconds = g_date_time_to_unix (dt);
  /* Years 1..9999 fit a gint64 of µs comfortably. */
  *out_us = seconds * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

char *
ecomv2_format_time (gint64 unix_us)
{
  g_autoptr(GDateTime) base = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) dt = NULL;

  if (base == NULL)
    return NULL;
  dt = g_date_time_add (base, unix_us % G_USEC_PER_SEC);
  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S.%fZ") : NULL;
}

/* The seed's money object. The currency must agree with the order's
 * (*CURRENCY, set by the first amount read). */
static gboolean
parse_money (JsonNode    *node,
             char         currency[4],
             gint64      *out_minor,
             const char  *what,
             GError     **error)
{
  JsonObject *obj = as_object (node);
  gboolean bad = FALSE;
  const char *code;
  char upper[4];

  if (obj == NULL || !get_int (obj, "amount", out_minor))
    return shape_error (error, what);
  code = get_string (obj, "currency", &bad);
  if (bad || code == NULL || strlen (code) != 3)
    return shape_error (error, what);
  for (int i = 0; i < 3; i++)
    upper[i] = g_ascii_toupper (code[i]);
  upper[3] = '\0';
  if (!cp_currency_is_valid (upper))
    return shape_error (error, what);
  if (currency[0] == '\0')
    memcpy (currency, upper, 4);
  else if (memcmp (currency, upper, 4) != 0)
    return shape_error (error, "currencies differ within one order");
  return TRUE;
}

const char *
ecomv2_status_to_local (const char *status,
                        const char *payment_status)
{
  if (g_strcmp0 (status, "cancelled") == 0)
    return "cancelled";
  if (g_strcmp0 (payment_status, "refunded") == 0)
    return "refunded";
  if (g_strcmp0 (status, "delivered") == 0)
    return "completed";
  if (g_strcmp0 (status, "pending") == 0 &&
      (g_strcmp0 (payment_status, "pending") == 0 || g_strcmp0 (payment_status, "failed") == 0))
    return "awaiting_payment";
  if (status == NULL || *status == '\0')
    return "pending";
  return status;   /* pending, processing, shipped, or a newer word kept as is */
}

const char *
ecomv2_status_to_remote (const char *local_status)
{
  static const struct
  {
    const char *local;
    const char *remote;
  } map[] = {
    { "completed", "delivered" },
    { "delivered", "delivered" },
    { "shipped", "shipped" },
    { "processing", "processing" },
    { "pending", "pending" },
    { "awaiting_payment", "pending" },
    { "cancelled", "cancelled" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (local_status, map[i].local) == 0)
      return map[i].remote;
  return NULL;
}

static gboolean
parse_line (CpOrder     *order,
            JsonNode    *node,
            GHashTable  *sku_by_product,
            gboolean    *missing_sku,
            GError     **error)
{
  JsonObject *obj = as_object (node);
  const char *sku, *name;
  g_autofree char *product_id = NULL;
  gboolean bad = FALSE;
  gint64 quantity = 0, price = 0;

  if (obj == NULL)
    return shape_error (error, "items[]");
  sku = get_string (obj, "sku", &bad);
  name = get_string (obj, "name", &bad);
  if (bad)
    return shape_error (error, "items[].sku");
  if (sku == NULL || *sku == '\0')
    {
      /* The seed's order example names the product only. */
      product_id = get_id (obj, "product_id");
      sku = product_id != NULL && sku_by_product != NULL
            ? g_hash_table_lookup (sku_by_product, product_id) : NULL;
      if (sku == NULL)
        {
          *missing_sku = TRUE;
          if (name == NULL)
            name = product_id;
        }
    }
  if (sku == NULL && name == NULL)
    return shape_error (error, "items[] names no product");
  if (!get_int (obj, "quantity", &quantity) || quantity < 0)
    return shape_error (error, "items[].quantity");
  if (!parse_money (json_object_get_member (obj, "price"), order->currency, &price,
                    "items[].price", error))
    return FALSE;
  cp_order_add_line (order, sku != NULL && *sku != '\0' ? sku : NULL,
                     name != NULL ? name : sku, quantity, price, 0, 0);
  return TRUE;
}

static void
parse_customer (CpOrder    *order,
                JsonObject *obj)
{
  JsonObject *customer = as_object (json_object_get_member (obj, "customer"));
  gboolean bad = FALSE;
  const char *email, *name, *first, *last;

  if (customer == NULL)
    return;
  email = get_string (customer, "email", &bad);
  name = get_string (customer, "name", &bad);
  first = get_string (customer, "first_name", &bad);
  last = get_string (customer, "last_name", &bad);
  if (bad)
    return;   /* optional: a customer we cannot read stays anonymous */
  order->customer_email = g_strdup (email);
  if (name != NULL)
    order->customer_name = g_strdup (name);
  else if (first != NULL || last != NULL)
    order->customer_name = g_strstrip (g_strdup_printf ("%s %s", first ? first : "", last ? last : ""));
}

CpOrder *
ecomv2_parse_order (JsonNode    *node,
                    const char  *integration_id,
                    GHashTable  *sku_by_product,
                    gint64      *out_updated_at_us,
                    gboolean    *out_missing_sku,
                    GError     **error)
{
  gboolean missing_sku = FALSE;
  JsonObject *obj = as_object (node);
  g_autoptr(CpOrder) order = NULL;
  JsonArray *items;
  JsonNode *shipping;
  const char *status, *payment_status, *created, *updated, *number;
  gboolean bad = FALSE;
  gint64 placed_at = 0, updated_at = 0, total = 0;
  guint n;

  if (obj == NULL)
    {
      shape_error (error, "order");
      return NULL;
    }

  order = cp_order_new ();
  order->source = g_strdup (integration_id);
  order->external_id = get_id (obj, "id");
  if (order->external_id == NULL)
    {
      shape_error (error, "order.id");
      return NULL;
    }

  status = get_string (obj, "status", &bad);
  payment_status = get_string (obj, "payment_status", &bad);
  created = get_string (obj, "created_at", &bad);
  updated = get_string (obj, "updated_at", &bad);
  number = get_string (obj, "number", &bad);
  if (number == NULL)
    number = get_string (obj, "order_number", &bad);
  if (bad)
    {
      shape_error (error, "order members");
      return NULL;
    }
  if (!ecomv2_parse_time (created, &placed_at))
    {
      shape_error (error, "order.created_at");
      return NULL;
    }
  if (updated == NULL)
    updated_at = placed_at;
  else if (!ecomv2_parse_time (updated, &updated_at))
    {
      shape_error (error, "order.updated_at");
      return NULL;
    }

  order->number = g_strdup (number != NULL && *number != '\0' ? number : order->external_id);
  order->status = g_strdup (ecomv2_status_to_local (status, payment_status));
  order->placed_at_us = placed_at;

  items = as_array (json_object_get_member (obj, "items"));
  if (items == NULL && !is_null (json_object_get_member (obj, "items")))
    {
      shape_error (error, "order.items");
      return NULL;
    }
  n = items != NULL ? json_array_get_length (items) : 0;
  for (guint i = 0; i < n; i++)
    if (!parse_line (order, json_array_get_element (items, i), sku_by_product, &missing_sku, error))
      return NULL;

  /* The total is not stored (the ledger computes it from the lines), but
   * it names the currency of an order without lines, and must agree. */
  if (!is_null (json_object_get_member (obj, "total")) &&
      !parse_money (json_object_get_member (obj, "total"), order->currency, &total,
                    "order.total", error))
    return NULL;
  shipping = json_object_get_member (obj, "shipping_total");
  if (!is_null (shipping) &&
      !parse_money (shipping, order->currency, &order->shipping_minor, "order.shipping_total", error))
    return NULL;
  if (order->currency[0] == '\0')
    {
      shape_error (error, "order currency");
      return NULL;
    }

  parse_customer (order, obj);

  if (out_updated_at_us != NULL)
    *out_updated_at_us = updated_at;
  if (out_missing_sku != NULL && missing_sku)
    *out_missing_sku = TRUE;
  return g_steal_pointer (&order);
}

gboolean
ecomv2_parse_orders_page (JsonNode    *root,
                          const char  *integration_id,
                          GHashTable  *sku_by_product,
                          gboolean    *out_missing_sku,
                          GPtrArray   *out,
                          GArray      *updated_at,
                          Ecomv2Page  *page,
                          GError     **error)
{
  JsonArray *data = get_data (root, error);
  guint n;

  if (data == NULL)
    return FALSE;
  n = json_array_get_length (data);
  for (guint i = 0; i < n; i++)
    {
      gint64 at = 0;
      CpOrder *order = ecomv2_parse_order (json_array_get_element (data, i), integration_id,
                                           sku_by_product, &at, out_missing_sku, error);

      if (order == NULL)
        return FALSE;
      g_ptr_array_add (out, order);
      g_array_append_val (updated_at, at);
    }
  return parse_pagination (json_node_get_object (root), page, error);
}

gboolean
ecomv2_parse_batch_results (JsonNode   *root,
                            GPtrArray  *out,
                            GError    **error)
{
  JsonArray *data = get_data (root, error);
  guint n;

  if (data == NULL)
    return FALSE;
  n = json_array_get_length (data);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *obj = as_object (json_array_get_element (data, i));
      Ecomv2ItemResult *result;
      JsonObject *err;
      const char *status;
      gboolean bad = FALSE;

      if (obj == NULL)
        return shape_error (error, "data[]");
      status = get_string (obj, "status", &bad);
      err = as_object (json_object_get_member (obj, "error"));
      if (bad || (status == NULL && err == NULL))
        return shape_error (error, "data[].status");

      result = g_new0 (Ecomv2ItemResult, 1);
      result->id = get_id (obj, "id");
      result->ok = err == NULL && status != NULL &&
                   (g_str_equal (status, "updated") || g_str_equal (status, "success") ||
                    g_str_equal (status, "ok"));
      if (!result->ok)
        {
          const char *code = NULL, *message = NULL;

          if (err != NULL)
            {
              code = get_string (err, "code", &bad);
              message = get_string (err, "message", &bad);
            }
          result->code = g_strdup (code != NULL ? code : status);
          result->message = g_strdup (message);
        }
      g_ptr_array_add (out, result);
    }
  return TRUE;
}

void
ecomv2_parse_error_body (JsonNode    *root,
                         const char **out_code,
                         const char **out_message)
{
  JsonObject *obj = as_object (root);
  JsonObject *err = obj != NULL ? as_object (json_object_get_member (obj, "error")) : NULL;
  gboolean bad = FALSE;

  *out_code = NULL;
  *out_message = NULL;
  if (err == NULL)
    return;
  *out_code = get_string (err, "code", &bad);
  *out_message = get_string (err, "message", &bad);
}
