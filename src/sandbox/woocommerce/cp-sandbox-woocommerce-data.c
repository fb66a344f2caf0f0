/* cp-sandbox-woocommerce-data.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The WooCommerce fake's demo shop and its JSON shapes. The catalog has
 * the ecomv2 fake's SKUs, so one ledger matches either sandbox store: a
 * variable product has no SKU of its own and its variations carry
 * EC-00001 (size S), EC-00001-M and EC-00001-L. Fixed seeds: every run
 * sees the same shop.
 */

#define G_LOG_DOMAIN "cp-sandbox-woocommerce"

#include "config.h"

#include <string.h>

#include "cp-money.h"
#include "cp-sandbox-woocommerce-private.h"

static const char * const adjectives[] = {
  "Premium", "Classic", "Compact", "Rugged", "Wireless", "Organic", "Vintage",
  "Deluxe", "Travel", "Studio", "Urban", "Alpine",
};
static const char * const nouns[] = {
  "Headphones", "Backpack", "Lamp", "Mug", "Jacket", "Speaker", "Notebook",
  "Kettle", "Sneakers", "Blanket", "Watch", "Planter", "Charger", "Scarf",
};
static const char * const sizes[] = { "S", "M", "L" };
static const char * const order_statuses[] = {
  "pending", "processing", "on-hold", "completed", "completed", "cancelled",
};

/* 2026-01-01T00:00:00Z */
#define DEMO_EPOCH_US (G_GINT64_CONSTANT (1767225600) * G_USEC_PER_SEC)

static void
product_free (WooProduct *p)
{
  g_free (p->type);
  g_free (p->sku);
  g_free (p->name);
  g_free (p->size);
  g_clear_pointer (&p->variations, g_array_unref);
  g_clear_pointer (&p->categories, json_node_unref);
  g_clear_pointer (&p->meta_data, json_node_unref);
  g_free (p);
}

static void
order_free (WooOrder *o)
{
  g_clear_pointer (&o->node, json_node_unref);
  g_free (o->json);
  g_free (o->status);
  json_array_unref (o->refunds);
  g_free (o);
}

gint64
woo_store_tick (WooStore *store)
{
  store->clock = MAX (store->clock + 1, g_get_real_time ());
  return store->clock;
}

char *
woo_format_date (gint64 unix_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
}

gboolean
woo_parse_date (const char *text,
                gint64     *out_us)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    return FALSE;
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    return FALSE;
  *out_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
  return TRUE;
}

void
woo_add_money (JsonBuilder *b,
               const char  *member,
               gint64       minor,
               const char  *currency)
{
  g_autofree char *text = cp_money_format_plain (minor, currency);

  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, text);
}

static void
add_date_pair (JsonBuilder *b,
               const char  *member,
               gint64       unix_us)
{
  g_autofree char *text = woo_format_date (unix_us);
  g_autofree char *gmt = g_strconcat (member, "_gmt", NULL);

  /* The fake's site runs on UTC: local and GMT agree. */
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, text);
  json_builder_set_member_name (b, gmt);
  json_builder_add_string_value (b, text);
}

WooProduct *
woo_store_add_product (WooStore   *store,
                       const char *sku,
                       const char *name,
                       gint64      price_minor,
                       gint64      stock)
{
  WooProduct *p = g_new0 (WooProduct, 1);

  p->id = store->next_id++;
  p->type = g_strdup ("simple");
  p->sku = g_strdup (sku ? sku : "");
  p->name = g_strdup (name);
  p->price_minor = price_minor;
  p->manage_stock = TRUE;
  p->stock_quantity = stock;
  p->modified_us = woo_store_tick (store);
  g_hash_table_insert (store->by_id, GUINT_TO_POINTER (p->id), p);
  g_ptr_array_add (store->products, p);
  return p;
}

WooProduct *
woo_store_add_variation (WooStore   *store,
                         WooProduct *parent,
                         const char *sku,
                         const char *size,
                         gint64      stock)
{
  WooProduct *v = g_new0 (WooProduct, 1);

  if (parent->variations == NULL)
    parent->variations = g_array_new (FALSE, FALSE, sizeof (guint));
  g_free (parent->type);
  parent->type = g_strdup ("variable");
  parent->manage_stock = FALSE;

  v->id = store->next_id++;
  v->parent_id = parent->id;
  v->type = g_strdup ("variation");
  v->sku = g_strdup (sku ? sku : "");
  v->name = g_strdup (parent->name);
  v->size = g_strdup (size);
  v->price_minor = parent->price_minor;
  v->manage_stock = TRUE;
  v->stock_quantity = stock;
  v->modified_us = woo_store_tick (store);
  g_array_append_val (parent->variations, v->id);
  g_hash_table_insert (store->by_id, GUINT_TO_POINTER (v->id), v);
  return v;
}

WooProduct *
woo_store_find (WooStore *store,
                guint     id)
{
  WooProduct *p = g_hash_table_lookup (store->by_id, GUINT_TO_POINTER (id));

  return p != NULL && !p->trashed ? p : NULL;
}

WooProduct *
woo_store_find_sku (WooStore   *store,
                    const char *sku)
{
  GHashTableIter iter;
  gpointer value;

  if (sku == NULL || *sku == '\0')
    return NULL;
  g_hash_table_iter_init (&iter, store->by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      WooProduct *p = value;

      if (!p->trashed && g_str_equal (p->sku, sku))
        return p;
    }
  return NULL;
}

WooOrder *
woo_store_find_order (WooStore *store,
                      guint     id)
{
  for (guint i = 0; i < store->orders->len; i++)
    {
      WooOrder *o = g_ptr_array_index (store->orders, i);

      if (o->id == id)
        return o;
    }
  return NULL;
}

static void
add_demo_product (WooStore *store,
                  GRand    *rand,
                  guint     i,
                  guint     variable_every)
{
  g_autofree char *sku = g_strdup_printf ("EC-%05u", i + 1);
  g_autofree char *name = g_strdup_printf ("%s %s %u",
                                           adjectives[i % G_N_ELEMENTS (adjectives)],
                                           nouns[(i / G_N_ELEMENTS (adjectives)) % G_N_ELEMENTS (nouns)],
                                           i + 1);
  gint64 price = 500 + (gint64) g_rand_int_range (rand, 0, 400) * 50 - 1;
  gint64 stock = g_rand_int_range (rand, 0, 200);
  WooProduct *p;

  if (variable_every == 0 || i % variable_every != 0)
    {
      p = woo_store_add_product (store, sku, name, price, stock);
    }
  else
    {
      p = woo_store_add_product (store, "", name, price, 0);
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          g_autofree char *vsku = s == 0 ? g_strdup (sku) : g_strdup_printf ("%s-%s", sku, sizes[s]);
          WooProduct *v = woo_store_add_variation (store, p, vsku, sizes[s],
                                                   g_rand_int_range (rand, 0, 200));

          v->modified_us = DEMO_EPOCH_US + (gint64) i * 3600 * G_USEC_PER_SEC;
          if (s == 2)
            v->price_minor = price + 500;
        }
    }
  p->modified_us = DEMO_EPOCH_US + (gint64) i * 3600 * G_USEC_PER_SEC;
}

/* A sellable item: a simple product or a variation. */
static WooProduct *
pick_item (WooStore *store,
           GRand    *rand)
{
  WooProduct *p = g_ptr_array_index (store->products,
                                     g_rand_int_range (rand, 0, store->products->len));

  if (p->variations != NULL && p->variations->len > 0)
    {
      guint vid = g_array_index (p->variations, guint,
                                 g_rand_int_range (rand, 0, p->variations->len));
      WooProduct *v = g_hash_table_lookup (store->by_id, GUINT_TO_POINTER (vid));

      if (v != NULL)
        return v;
    }
  return p;
}

static WooOrder *add_order_node (WooStore *store,
                                 JsonNode *node,
                                 gint64    modified_us);

static void
add_demo_order (WooStore *store,
                GRand    *rand,
                gint64    created_us,
                gint64    modified_us)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *status = order_statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (order_statuses))];
  guint n_items = g_rand_int_range (rand, 1, 4);
  gint64 total = 0, shipping = g_rand_boolean (rand) ? 499 : 0;
  guint customer = g_rand_int_range (rand, 1, 41);
  g_autofree char *email = g_strdup_printf ("customer%02u@example.com", customer);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, status);
  json_builder_set_member_name (b, "currency");
  json_builder_add_string_value (b, store->currency);
  json_builder_set_member_name (b, "prices_include_tax");
  json_builder_add_boolean_value (b, FALSE);
  add_date_pair (b, "date_created", created_us);
  json_builder_set_member_name (b, "billing");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "first_name");
  json_builder_add_string_value (b, "Demo");
  json_builder_set_member_name (b, "last_name");
  json_builder_add_string_value (b, "Customer");
  json_builder_set_member_name (b, "email");
  json_builder_add_string_value (b, email);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "payment_method");
  json_builder_add_string_value (b, "stripe");
  json_builder_set_member_name (b, "line_items");
  json_builder_begin_array (b);
  for (guint k = 0; k < n_items && store->products->len > 0; k++)
    {
      WooProduct *item = pick_item (store, rand);
      gint64 quantity = g_rand_int_range (rand, 1, 4);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, store->next_item_id++);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, item->name);
      json_builder_set_member_name (b, "product_id");
      json_builder_add_int_value (b, item->parent_id ? item->parent_id : item->id);
      json_builder_set_member_name (b, "variation_id");
      json_builder_add_int_value (b, item->parent_id ? item->id : 0);
      json_builder_set_member_name (b, "quantity");
      json_builder_add_int_value (b, quantity);
      woo_add_money (b, "subtotal", quantity * item->price_minor, store->currency);
      woo_add_money (b, "subtotal_tax", 0, store->currency);
      woo_add_money (b, "total", quantity * item->price_minor, store->currency);
      woo_add_money (b, "total_tax", 0, store->currency);
      json_builder_set_member_name (b, "sku");
      json_builder_add_string_value (b, item->sku);
      /* As the docs' own example: a JSON number, in major units. */
      json_builder_set_member_name (b, "price");
      if (item->price_minor % 100 == 0)
        json_builder_add_int_value (b, item->price_minor / 100);
      else
        json_builder_add_double_value (b, (double) item->price_minor / 100.0);
      json_builder_end_object (b);
      total += quantity * item->price_minor;
    }
  json_builder_end_array (b);
  woo_add_money (b, "discount_total", 0, store->currency);
  woo_add_money (b, "shipping_total", shipping, store->currency);
  woo_add_money (b, "total_tax", 0, store->currency);
  woo_add_money (b, "total", total + shipping, store->currency);
  json_builder_set_member_name (b, "refunds");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);

  add_order_node (store, json_builder_get_root (b), modified_us);
}

/* MODIFIED_US: the order's date modified, 0 for now. Set before the
 * order is packed as text, so that a demo order is written once. */
static WooOrder *
add_order_node (WooStore *store,
                JsonNode *node,
                gint64    modified_us)
{
  WooOrder *o = g_new0 (WooOrder, 1);
  JsonObject *obj = json_node_get_object (node);
  g_autofree char *number = NULL;

  o->id = store->next_id++;
  o->node = node;
  o->refunds = json_array_new ();
  number = g_strdup_printf ("%u", o->id);
  json_object_set_int_member (obj, "id", o->id);
  json_object_set_int_member (obj, "parent_id", 0);
  json_object_set_string_member (obj, "number", number);
  if (!json_object_has_member (obj, "status"))
    json_object_set_string_member (obj, "status", "processing");
  if (!json_object_has_member (obj, "currency"))
    json_object_set_string_member (obj, "currency", store->currency);
  if (!json_object_has_member (obj, "date_created_gmt"))
    {
      g_autofree char *now = woo_format_date (g_get_real_time ());

      json_object_set_string_member (obj, "date_created", now);
      json_object_set_string_member (obj, "date_created_gmt", now);
    }
  if (!json_object_has_member (obj, "refunds"))
    json_object_set_array_member (obj, "refunds", json_array_new ());
  g_ptr_array_add (store->orders, o);
  if (modified_us > 0)
    {
      g_autofree char *text = woo_format_date (modified_us);

      /* the clock moves as for any new order */
      woo_store_tick (store);
      o->modified_us = modified_us;
      json_object_set_string_member (obj, "date_modified", text);
      json_object_set_string_member (obj, "date_modified_gmt", text);
      woo_order_pack (o);
    }
  else
    woo_order_touch (store, o);
  return o;
}

WooOrder *
woo_store_add_order_node (WooStore *store,
                          JsonNode *node)
{
  return add_order_node (store, node, 0);
}

JsonObject *
woo_order_edit (WooOrder *order)
{
  if (order->node == NULL)
    {
      g_autoptr(GError) error = NULL;

      /* json-glib's own text: it reads back to the same values, and
       * writes back the same text */
      order->node = json_from_string (order->json, &error);
      if (order->node == NULL)
        g_error ("The WooCommerce fake cannot read back its order %u: %s",
                 order->id, error->message);
      g_clear_pointer (&order->json, g_free);
    }
  return json_node_get_object (order->node);
}

void
woo_order_pack (WooOrder *order)
{
  if (order->node == NULL)
    return;
  g_free (order->status);
  order->status = g_strdup (json_object_get_string_member_with_default (json_node_get_object (order->node),
                                                                       "status", ""));
  g_free (order->json);
  order->json = json_to_string (order->node, FALSE);
  g_clear_pointer (&order->node, json_node_unref);
}

const char *
woo_order_json (WooOrder *order)
{
  /* left as a node by a change that stopped half-way (a refused refund) */
  woo_order_pack (order);
  return order->json;
}

const char *
woo_order_status (WooOrder *order)
{
  if (order->node != NULL)
    return json_object_get_string_member_with_default (json_node_get_object (order->node),
                                                       "status", "");
  return order->status;
}

void
woo_order_touch (WooStore *store,
                 WooOrder *order)
{
  JsonObject *obj = woo_order_edit (order);
  g_autofree char *text = NULL;

  order->modified_us = woo_store_tick (store);
  text = woo_format_date (order->modified_us);
  json_object_set_string_member (obj, "date_modified", text);
  json_object_set_string_member (obj, "date_modified_gmt", text);
  woo_order_pack (order);
}

void
woo_store_add_orders (WooStore *store,
                      guint     n_orders,
                      guint32   seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (guint i = 0; i < n_orders; i++)
    add_demo_order (store, rand, g_get_real_time (), 0);
}

WooStore *
woo_store_new (guint n_products,
               guint variable_every,
               guint n_orders)
{
  WooStore *store = g_new0 (WooStore, 1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260104);

  store->by_id = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                        (GDestroyNotify) product_free);
  store->products = g_ptr_array_new ();
  store->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) order_free);
  store->categories = g_ptr_array_new_with_free_func ((GDestroyNotify) woo_category_free);
  /* Term ids as a shop's: past WooCommerce's own "Uncategorized"
   * (usually 15), which is left out so tests count only theirs. */
  store->next_term_id = 16;
  store->next_id = 10;
  store->next_item_id = 1;
  g_strlcpy (store->currency, "USD", sizeof store->currency);

  for (guint i = 0; i < n_products; i++)
    add_demo_product (store, rand, i, variable_every);
  for (guint i = 0; i < n_orders; i++)
    {
      /* One every 90 minutes from June 2026 on, changed within a week. */
      gint64 created = DEMO_EPOCH_US + (gint64) (151 * 24 * 60 + i * 90) * 60 * G_USEC_PER_SEC;
      gint64 modified = created + (gint64) g_rand_int_range (rand, 0, 7 * 86400) * G_USEC_PER_SEC;

      add_demo_order (store, rand, created, modified);
    }
  return store;
}

void
woo_store_free (WooStore *store)
{
  g_ptr_array_unref (store->products);
  g_hash_table_unref (store->by_id);
  g_clear_pointer (&store->list, g_ptr_array_unref);
  g_free (store->list_key);
  g_ptr_array_unref (store->orders);
  g_ptr_array_unref (store->categories);
  g_free (store);
}

static void
add_stock_fields (JsonBuilder *b,
                  WooProduct  *p)
{
  json_builder_set_member_name (b, "manage_stock");
  json_builder_add_boolean_value (b, p->manage_stock);
  json_builder_set_member_name (b, "stock_quantity");
  if (p->manage_stock)
    json_builder_add_int_value (b, p->stock_quantity);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "stock_status");
  json_builder_add_string_value (b, !p->manage_stock || p->stock_quantity > 0 ? "instock" : "outofstock");
}

void
woo_add_product (JsonBuilder *b,
                 WooStore    *store,
                 WooProduct  *p)
{
  g_autofree char *price = cp_money_format_plain (p->price_minor, store->currency);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, p->id);
  if (p->parent_id == 0)
    {
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, p->name);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, p->type);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, "publish");
    }
  json_builder_set_member_name (b, "sku");
  json_builder_add_string_value (b, p->sku);
  json_builder_set_member_name (b, "price");
  json_builder_add_string_value (b, g_strcmp0 (p->type, "variable") == 0 ? "" : price);
  json_builder_set_member_name (b, "regular_price");
  json_builder_add_string_value (b, g_strcmp0 (p->type, "variable") == 0 ? "" : price);
  add_stock_fields (b, p);
  add_date_pair (b, "date_modified", p->modified_us);
  if (p->parent_id == 0)
    {
      json_builder_set_member_name (b, "parent_id");
      json_builder_add_int_value (b, 0);
      json_builder_set_member_name (b, "categories");
      if (p->categories != NULL)
        json_builder_add_value (b, json_node_copy (p->categories));
      else
        {
          json_builder_begin_array (b);
          json_builder_end_array (b);
        }
      json_builder_set_member_name (b, "variations");
      json_builder_begin_array (b);
      for (guint i = 0; p->variations != NULL && i < p->variations->len; i++)
        if (woo_store_find (store, g_array_index (p->variations, guint, i)) != NULL)
          json_builder_add_int_value (b, g_array_index (p->variations, guint, i));
      json_builder_end_array (b);
    }
  else
    {
      json_builder_set_member_name (b, "attributes");
      json_builder_begin_array (b);
      if (p->size != NULL)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, 1);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, "Size");
          json_builder_set_member_name (b, "option");
          json_builder_add_string_value (b, p->size);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_set_member_name (b, "meta_data");
  if (p->meta_data != NULL)
    json_builder_add_value (b, json_node_copy (p->meta_data));
  else
    {
      json_builder_begin_array (b);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}
