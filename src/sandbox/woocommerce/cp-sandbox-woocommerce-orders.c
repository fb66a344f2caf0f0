/* cp-sandbox-woocommerce-orders.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The WooCommerce fake's orders: the list by modification date (in whole
 * seconds, modified_after strict, as WordPress's date query), one order,
 * its status, its refunds (a refund beyond what is left is refused as
 * WooCommerce does), and the store's general settings.
 */

#define G_LOG_DOMAIN "cp-sandbox-woocommerce"

#include "config.h"

#include <string.h>

#include "cp-money.h"
#include "cp-sandbox-woocommerce-private.h"

static const char * const order_statuses[] = {
  "pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed",
  "trash", "checkout-draft", NULL,
};

/* ---- Orders ------------------------------------------------------------ */

typedef struct
{
  gboolean by_modified;
  gboolean ascending;
} OrderSort;

static int
compare_orders (gconstpointer a,
                gconstpointer b,
                gpointer      data)
{
  const OrderSort *sort = data;
  const WooOrder *oa = *(WooOrder * const *) a, *ob = *(WooOrder * const *) b;
  /* WordPress compares dates in whole seconds, then breaks ties by id. */
  gint64 ka = sort->by_modified ? oa->modified_us / G_USEC_PER_SEC : 0;
  gint64 kb = sort->by_modified ? ob->modified_us / G_USEC_PER_SEC : 0;
  int c = ka < kb ? -1 : ka > kb ? 1 : oa->id < ob->id ? -1 : oa->id > ob->id ? 1 : 0;

  return sort->ascending ? c : -c;
}

static const char *
order_status (WooOrder *o)
{
  return woo_order_status (o);
}

/* The orders the status filter keeps, sorted: from the store's cache when
 * it is the same filter and order and nothing has changed since. Sorting
 * every order for every page made a pull quadratic. modified_after is
 * applied to this list (by binary search when it is sorted by date
 * modified, as the connector's keyset pull asks), not kept in the key: it
 * moves on with every page. */
static GPtrArray *
get_sorted (WooStore        *store,
            const char      *status,
            const OrderSort *sort)
{
  g_autofree char *key = g_strdup_printf ("%d:%d:%s%s", sort->by_modified, sort->ascending,
                                          status ? "+" : "-", status ? status : "");
  GPtrArray *sorted;

  if (store->list != NULL && store->list_clock == store->clock &&
      store->list_n_orders == store->orders->len && g_str_equal (store->list_key, key))
    return store->list;

  sorted = g_ptr_array_new ();
  for (guint i = 0; i < store->orders->len; i++)
    {
      WooOrder *o = g_ptr_array_index (store->orders, i);

      if (status != NULL && !g_str_equal (status, "any") && g_strcmp0 (order_status (o), status) != 0)
        continue;
      if (status == NULL && g_str_equal (order_status (o), "trash"))
        continue;
      g_ptr_array_add (sorted, o);
    }
  g_ptr_array_sort_with_data (sorted, compare_orders, (gpointer) sort);

  g_clear_pointer (&store->list, g_ptr_array_unref);
  g_free (store->list_key);
  store->list = sorted;
  store->list_key = g_steal_pointer (&key);
  store->list_clock = store->clock;
  store->list_n_orders = store->orders->len;
  return sorted;
}

/* After, in whole seconds and strictly, as WP_Date_Query's "after". */
static gboolean
is_modified_after (WooOrder *o,
                   gint64    after_us)
{
  return after_us == G_MININT64 || o->modified_us / G_USEC_PER_SEC > after_us / G_USEC_PER_SEC;
}

void
woo_orders_list (WooRequest *r)
{
  const char *modified_after = g_hash_table_lookup (r->query, "modified_after");
  const char *status = g_hash_table_lookup (r->query, "status");
  const char *orderby = g_hash_table_lookup (r->query, "orderby");
  OrderSort sort = { g_strcmp0 (orderby, "modified") == 0,
                     g_strcmp0 (g_hash_table_lookup (r->query, "order"), "asc") == 0 };
  gint64 after_us = G_MININT64;
  guint per_page, page, first = 0, n_matches;
  g_autoptr(GPtrArray) filtered = NULL;
  GPtrArray *sorted;
  WooOrder **matches;
  GString *body;
  gsize len;

  if (!woo_read_paging (r, &per_page, &page))
    return;
  if (modified_after != NULL && !woo_parse_date (modified_after, &after_us))
    {
      woo_error (r, SOUP_STATUS_BAD_REQUEST, "rest_invalid_param",
                 "Invalid parameter(s): modified_after");
      return;
    }
  if (orderby != NULL && !g_str_equal (orderby, "modified") && !g_str_equal (orderby, "date") &&
      !g_str_equal (orderby, "id"))
    {
      woo_error (r, SOUP_STATUS_BAD_REQUEST, "rest_invalid_param", "Invalid parameter(s): orderby");
      return;
    }

  sorted = get_sorted (r->store, status, &sort);
  n_matches = sorted->len;
  if (after_us != G_MININT64 && sort.by_modified)
    {
      /* the orders modified after: a suffix of the list oldest first, a
       * prefix newest first */
      guint lo = 0, hi = sorted->len;

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (is_modified_after (g_ptr_array_index (sorted, mid), after_us) == sort.ascending)
            hi = mid;
          else
            lo = mid + 1;
        }
      first = sort.ascending ? lo : 0;
      n_matches = sort.ascending ? sorted->len - lo : lo;
    }
  else if (after_us != G_MININT64)
    {
      filtered = g_ptr_array_new ();
      for (guint i = 0; i < sorted->len; i++)
        if (is_modified_after (g_ptr_array_index (sorted, i), after_us))
          g_ptr_array_add (filtered, g_ptr_array_index (sorted, i));
      sorted = filtered;
      n_matches = filtered->len;
    }
  matches = (WooOrder **) sorted->pdata + first;

  /* The orders' own text, joined as json-glib writes an array of them. */
  body = g_string_sized_new (4096);
  g_string_append_c (body, '[');
  for (guint i = (page - 1) * per_page; i < n_matches && i < (guint64) page * per_page; i++)
    {
      if (i > (page - 1) * per_page)
        g_string_append_c (body, ',');
      g_string_append (body, woo_order_json (matches[i]));
    }
  g_string_append_c (body, ']');
  woo_set_paging_headers (r, n_matches, per_page, page);
  len = body->len;
  soup_server_message_set_status (r->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (r->msg, "application/json; charset=UTF-8", SOUP_MEMORY_TAKE,
                                    g_string_free (body, FALSE), len);
}

static WooOrder *
find_order (WooRequest *r)
{
  WooOrder *o = woo_store_find_order (r->store, woo_segment_id (r, 1));

  if (o == NULL)
    woo_error (r, SOUP_STATUS_NOT_FOUND, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.");
  return o;
}

static void
respond_node (WooRequest *r,
              guint       status,
              JsonNode   *node)
{
  char *body = json_to_string (node, FALSE);

  soup_server_message_set_status (r->msg, status, NULL);
  soup_server_message_set_response (r->msg, "application/json; charset=UTF-8", SOUP_MEMORY_TAKE,
                                    body, strlen (body));
}

static void
respond_order (WooRequest *r,
               WooOrder   *o)
{
  const char *json = woo_order_json (o);

  soup_server_message_set_status (r->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (r->msg, "application/json; charset=UTF-8", SOUP_MEMORY_COPY,
                                    json, strlen (json));
}

void
woo_order_get (WooRequest *r)
{
  WooOrder *o = find_order (r);

  if (o != NULL)
    respond_order (r, o);
}

void
woo_order_update (WooRequest *r)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *body = woo_read_body (r, &parser);
  WooOrder *o;
  const char *status;

  if (body == NULL || (o = find_order (r)) == NULL)
    return;
  status = woo_member_string (body, "status");
  if (status != NULL)
    {
      if (!g_strv_contains (order_statuses, status))
        {
          woo_error (r, SOUP_STATUS_BAD_REQUEST, "rest_invalid_param", "Invalid parameter(s): status");
          return;
        }
      if (!g_str_equal (order_status (o), status))
        {
          g_autofree char *effect = g_strdup_printf ("order.status:%u:%s", o->id, status);

          json_object_set_string_member (woo_order_edit (o), "status", status);
          cp_sandbox_server_record_effect (r->server, effect);
        }
    }
  woo_order_touch (r->store, o);
  woo_webhook_queue (r->fake, o, "order.updated");
  respond_order (r, o);
}

void
woo_refunds_list (WooRequest *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  WooOrder *o = find_order (r);

  if (o == NULL)
    return;
  json_builder_begin_array (b);
  for (guint i = json_array_get_length (o->refunds); i > 0; i--)
    json_builder_add_value (b, json_node_copy (json_array_get_element (o->refunds, i - 1)));
  json_builder_end_array (b);
  woo_set_paging_headers (r, json_array_get_length (o->refunds), 10, 1);
  woo_respond (r, SOUP_STATUS_OK, b);
}

static gint64
money_member (JsonObject *obj,
              const char *member,
              const char *currency)
{
  const char *text = obj != NULL ? woo_member_string (obj, member) : NULL;
  gint64 minor = 0;

  if (text != NULL)
    cp_money_parse (text, currency, &minor, NULL);
  return minor;
}

void
woo_refund_create (WooRequest *r)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *body = woo_read_body (r, &parser);
  JsonObject *order, *refund;
  JsonArray *summaries;
  WooOrder *o;
  const char *currency;
  const char *reason;
  gint64 amount, total, refunded = 0;
  g_autofree char *amount_text = NULL, *negative = NULL, *now = NULL;
  guint id;

  if (body == NULL || (o = find_order (r)) == NULL)
    return;
  order = woo_order_edit (o);
  currency = json_object_get_string_member_with_default (order, "currency", r->store->currency);
  total = money_member (order, "total", currency);
  summaries = json_object_get_array_member (order, "refunds");
  for (guint i = 0; summaries != NULL && i < json_array_get_length (summaries); i++)
    refunded -= money_member (json_array_get_object_element (summaries, i), "total", currency);

  if (woo_member_string (body, "amount") == NULL ||
      !cp_money_parse (woo_member_string (body, "amount"), currency, &amount, NULL) ||
      amount <= 0 || amount > total - refunded)
    {
      woo_error (r, SOUP_STATUS_BAD_REQUEST, "woocommerce_rest_cannot_create_order_refund",
                 "Invalid refund amount.");
      return;
    }
  reason = woo_member_string (body, "reason");
  id = r->store->next_id++;
  amount_text = cp_money_format_plain (amount, currency);
  negative = cp_money_format_plain (-amount, currency);
  now = woo_format_date (g_get_real_time ());

  refund = json_object_new ();
  json_object_set_int_member (refund, "id", id);
  json_object_set_string_member (refund, "date_created", now);
  json_object_set_string_member (refund, "date_created_gmt", now);
  json_object_set_string_member (refund, "amount", amount_text);
  json_object_set_string_member (refund, "reason", reason ? reason : "");
  json_object_set_int_member (refund, "refunded_by", 1);
  json_object_set_boolean_member (refund, "refunded_payment", FALSE);
  json_object_set_array_member (refund, "meta_data", json_array_new ());
  json_object_set_array_member (refund, "line_items", json_array_new ());
  json_array_add_object_element (o->refunds, json_object_ref (refund));

  {
    JsonObject *summary = json_object_new ();

    json_object_set_int_member (summary, "id", id);
    json_object_set_string_member (summary, "reason", reason ? reason : "");
    json_object_set_string_member (summary, "total", negative);
    if (summaries == NULL)
      {
        summaries = json_array_new ();
        json_object_set_array_member (order, "refunds", summaries);
      }
    json_array_add_object_element (summaries, summary);
  }
  if (refunded + amount == total)
    json_object_set_string_member (order, "status", "refunded");
  woo_order_touch (r->store, o);
  woo_webhook_queue (r->fake, o, "order.updated");

  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), refund);
    g_autofree char *effect = g_strdup_printf ("order.refund:%u:%s", o->id, amount_text);

    cp_sandbox_server_record_effect (r->server, effect);
    json_object_unref (refund);
    respond_node (r, SOUP_STATUS_CREATED, node);
  }
}

void
woo_settings_general (WooRequest *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  static const struct { const char *id, *label, *value; } settings[] = {
    { "woocommerce_store_address", "Address line 1", "1 Sandbox Street" },
    { "woocommerce_store_city", "City", "Springfield" },
    { "woocommerce_default_country", "Country / State", "US:CA" },
    { "woocommerce_currency", "Currency", NULL },
    { "woocommerce_price_num_decimals", "Number of decimals", NULL },
  };

  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      g_autofree char *decimals = g_strdup_printf ("%u", cp_currency_exponent (r->store->currency));

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, settings[i].id);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, settings[i].label);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, i == 3 ? "select" : "text");
      json_builder_set_member_name (b, "value");
      json_builder_add_string_value (b, settings[i].value ? settings[i].value
                                        : i == 3 ? r->store->currency : decimals);
      json_builder_set_member_name (b, "group_id");
      json_builder_add_string_value (b, "general");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  woo_respond (r, SOUP_STATUS_OK, b);
}
