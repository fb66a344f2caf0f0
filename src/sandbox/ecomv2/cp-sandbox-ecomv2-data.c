/* cp-sandbox-ecomv2-data.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ecomv2 fake's demo shop and its JSON shapes. The demo data comes from
 * a fixed seed so that every run, and every test, sees the same shop.
 */

#define G_LOG_DOMAIN "cp-sandbox-ecomv2"

#include "config.h"

#include <string.h>

#include "cp-money.h"
#include "cp-sandbox-ecomv2-private.h"

const char * const ecomv2_warehouses[ECOMV2_N_WAREHOUSES] = { "wh_001", "wh_002", "wh_003" };

static const char * const adjectives[] = {
  "Premium", "Classic", "Compact", "Rugged", "Wireless", "Organic", "Vintage",
  "Deluxe", "Travel", "Studio", "Urban", "Alpine",
};
static const char * const nouns[] = {
  "Headphones", "Backpack", "Lamp", "Mug", "Jacket", "Speaker", "Notebook",
  "Kettle", "Sneakers", "Blanket", "Watch", "Planter", "Charger", "Scarf",
};
static const char * const categories[] = {
  "electronics", "audio", "apparel", "home", "garden", "accessories",
};
static const char * const sizes[] = { "S", "M", "L" };
static const char * const order_statuses[] = {
  "pending", "processing", "shipped", "delivered", "cancelled",
};
static const char * const payment_statuses[] = { "pending", "paid", "failed", "refunded" };
static const char * const fulfillment_statuses[] = { "unfulfilled", "partial", "fulfilled" };

/* 2026-01-01T00:00:00Z */
#define DEMO_EPOCH_US (G_GINT64_CONSTANT (1767225600) * G_USEC_PER_SEC)

static void
variant_free (Ecomv2Variant *v)
{
  g_free (v->sku);
  g_free (v->size);
  g_free (v);
}

static void
product_free (Ecomv2Product *p)
{
  g_free (p->sku);
  g_free (p->name);
  g_free (p->description);
  g_free (p->status);
  g_free (p->category);
  g_ptr_array_unref (p->variants);
  g_free (p);
}

static void
item_free (Ecomv2Item *item)
{
  g_free (item->sku);
  g_free (item->name);
  g_free (item);
}

static void
order_free (Ecomv2Order *o)
{
  g_free (o->customer_id);
  g_free (o->status);
  g_free (o->payment_status);
  g_free (o->fulfillment_status);
  g_ptr_array_unref (o->items);
  g_free (o);
}

gint64
ecomv2_store_tick (Ecomv2Store *store)
{
  store->clock = MAX (store->clock + 1, g_get_real_time ());
  return store->clock;
}

Ecomv2Product *
ecomv2_store_add_product (Ecomv2Store *store,
                          const char  *sku,
                          const char  *name,
                          gint64       price_minor)
{
  Ecomv2Product *p = g_new0 (Ecomv2Product, 1);
  Ecomv2Variant *v = g_new0 (Ecomv2Variant, 1);

  p->id = store->products->len + 1;
  p->sku = g_strdup (sku);
  p->name = g_strdup (name);
  p->description = g_strdup ("");
  p->status = g_strdup ("active");
  p->category = g_strdup ("uncategorized");
  p->price_minor = price_minor;
  p->created_at = p->updated_at = ecomv2_store_tick (store);
  p->variants = g_ptr_array_new_with_free_func ((GDestroyNotify) variant_free);

  /* Every product has at least its default variant, as on the platform. */
  v->id = store->next_variant_id++;
  v->sku = g_strdup (sku);
  v->price_minor = -1;
  g_ptr_array_add (p->variants, v);

  g_ptr_array_add (store->products, p);
  g_hash_table_insert (store->by_sku, p->sku, p);
  return p;
}

static void
add_demo_product (Ecomv2Store *store,
                  GRand       *rand,
                  guint        i)
{
  g_autofree char *sku = g_strdup_printf ("EC-%05u", i + 1);
  g_autofree char *name = g_strdup_printf ("%s %s %u",
                                           adjectives[i % G_N_ELEMENTS (adjectives)],
                                           nouns[(i / G_N_ELEMENTS (adjectives)) % G_N_ELEMENTS (nouns)],
                                           i + 1);
  gint64 price = 500 + (gint64) g_rand_int_range (rand, 0, 400) * 50 - 1;
  Ecomv2Product *p = ecomv2_store_add_product (store, sku, name, price);

  g_free (p->description);
  p->description = g_strdup_printf ("Demo product %u of the ecomv2 sandbox", i + 1);
  g_free (p->category);
  p->category = g_strdup (categories[i % G_N_ELEMENTS (categories)]);
  g_free (p->status);
  p->status = g_strdup (i % 20 == 19 ? "draft" : i % 50 == 49 ? "archived" : "active");
  p->created_at = DEMO_EPOCH_US + (gint64) i * 3600 * G_USEC_PER_SEC;
  p->updated_at = p->created_at + (gint64) g_rand_int_range (rand, 0, 86400) * G_USEC_PER_SEC;

  for (guint w = 0; w < ECOMV2_N_WAREHOUSES; w++)
    {
      p->available[w] = g_rand_int_range (rand, 0, 200);
      p->reserved[w] = g_rand_int_range (rand, 0, 10);
    }

  if (i % 4 == 0)
    {
      /* The default variant becomes size S; M and L get their own SKUs. */
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          Ecomv2Variant *v;

          if (s == 0)
            v = g_ptr_array_index (p->variants, 0);
          else
            {
              v = g_new0 (Ecomv2Variant, 1);
              v->id = store->next_variant_id++;
              v->sku = g_strdup_printf ("%s-%s", sku, sizes[s]);
              v->price_minor = s == 2 ? price + 500 : -1;
              g_ptr_array_add (p->variants, v);
            }
          v->size = g_strdup (sizes[s]);
        }
    }
}

static void
add_demo_order (Ecomv2Store *store,
                GRand       *rand,
                guint        i)
{
  Ecomv2Order *o = g_new0 (Ecomv2Order, 1);
  guint n_items = g_rand_int_range (rand, 1, 4);

  o->id = i + 1;
  o->customer_id = g_strdup_printf ("cust_%03d", g_rand_int_range (rand, 1, 41));
  o->status = g_strdup (order_statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (order_statuses))]);
  o->payment_status = g_strdup (payment_statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (payment_statuses))]);
  o->fulfillment_status = g_strdup (fulfillment_statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (fulfillment_statuses))]);
  /* One every 90 minutes from June 2026 on */
  o->created_at = DEMO_EPOCH_US + (gint64) (151 * 24 * 60 + i * 90) * 60 * G_USEC_PER_SEC;
  o->updated_at = o->created_at + (gint64) g_rand_int_range (rand, 0, 7 * 86400) * G_USEC_PER_SEC;
  o->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  g_strlcpy (o->currency, store->currency, sizeof o->currency);

  for (guint k = 0; k < n_items && store->products->len > 0; k++)
    {
      Ecomv2Product *p = g_ptr_array_index (store->products,
                                            g_rand_int_range (rand, 0, store->products->len));
      Ecomv2Variant *v = g_ptr_array_index (p->variants,
                                            g_rand_int_range (rand, 0, p->variants->len));
      Ecomv2Item *item = g_new0 (Ecomv2Item, 1);

      item->product_id = p->id;
      item->variant_id = v->id;
      item->sku = g_strdup (v->sku);
      item->name = g_strdup (p->name);
      item->quantity = g_rand_int_range (rand, 1, 4);
      item->price_minor = v->price_minor >= 0 ? v->price_minor : p->price_minor;
      g_ptr_array_add (o->items, item);
    }
  g_ptr_array_add (store->orders, o);
}

Ecomv2Store *
ecomv2_store_new (guint n_products,
                  guint n_orders)
{
  Ecomv2Store *store = g_new0 (Ecomv2Store, 1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);

  store->products = g_ptr_array_new_with_free_func ((GDestroyNotify) product_free);
  store->by_sku = g_hash_table_new (g_str_hash, g_str_equal);
  store->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) order_free);
  store->next_variant_id = 1;
  g_strlcpy (store->currency, ECOMV2_CURRENCY, sizeof store->currency);
  /* its values are freed by cp-sandbox-ecomv2-list.c's own type */
  store->sorted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) ecomv2_sorted_index_free);

  for (guint i = 0; i < n_products; i++)
    add_demo_product (store, rand, i);
  for (guint i = 0; i < n_orders; i++)
    add_demo_order (store, rand, i);
  return store;
}

void
ecomv2_store_add_orders (Ecomv2Store *store,
                         guint        n_orders,
                         guint32      seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  /* New orders happen now: created and updated at the store's clock, so
   * an incremental pull by updated_at must find each of them. */
  for (guint i = 0; i < n_orders; i++)
    {
      Ecomv2Order *o;

      add_demo_order (store, rand, store->orders->len);
      o = g_ptr_array_index (store->orders, store->orders->len - 1);
      o->created_at = o->updated_at = ecomv2_store_tick (store);
    }
}

void
ecomv2_store_free (Ecomv2Store *store)
{
  if (store == NULL)
    return;
  g_hash_table_unref (store->sorted);
  g_hash_table_unref (store->by_sku);
  g_ptr_array_unref (store->products);
  g_ptr_array_unref (store->orders);
  g_free (store);
}

static guint
parse_id (const char *text,
          const char *prefix)
{
  guint64 n = 0;

  if (g_str_has_prefix (text, prefix))
    text += strlen (prefix);
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &n, NULL))
    return 0;
  return (guint) n;
}

Ecomv2Product *
ecomv2_store_find_product (Ecomv2Store *store,
                           const char  *id_or_sku)
{
  Ecomv2Product *p = g_hash_table_lookup (store->by_sku, id_or_sku);
  guint id;

  if (p != NULL)
    return p;
  id = parse_id (id_or_sku, "prod_");
  if (id == 0 || id > store->products->len)
    return NULL;
  return g_ptr_array_index (store->products, id - 1);
}

Ecomv2Order *
ecomv2_store_find_order (Ecomv2Store *store,
                         const char  *id)
{
  guint n = parse_id (id, "ord_");

  if (n == 0 || n > store->orders->len)
    return NULL;
  return g_ptr_array_index (store->orders, n - 1);
}

int
ecomv2_warehouse_index (const char *id)
{
  for (int w = 0; w < ECOMV2_N_WAREHOUSES; w++)
    if (g_strcmp0 (id, ecomv2_warehouses[w]) == 0)
      return w;
  return -1;
}

void
ecomv2_add_money (JsonBuilder *b,
                  const char  *member,
                  gint64       minor)
{
  ecomv2_add_money_in (b, member, minor, ECOMV2_CURRENCY);
}

void
ecomv2_add_money_in (JsonBuilder *b,
                     const char  *member,
                     gint64       minor,
                     const char  *currency)
{
  g_autofree char *plain = cp_money_format_plain (minor, currency);
  /* The seed shows "$199.99"; another currency is written with its code. */
  const char *symbol = g_str_equal (currency, "USD") ? "$" : currency;
  g_autofree char *formatted = g_strconcat (minor < 0 ? "-" : "", symbol,
                                            g_str_equal (symbol, "$") ? "" : " ",
                                            plain + (minor < 0 ? 1 : 0), NULL);

  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "amount");
  json_builder_add_int_value (b, minor);
  json_builder_set_member_name (b, "currency");
  json_builder_add_string_value (b, currency);
  json_builder_set_member_name (b, "formatted");
  json_builder_add_string_value (b, formatted);
  json_builder_end_object (b);
}

void
ecomv2_add_time (JsonBuilder *b,
                 const char  *member,
                 gint64       unix_us)
{
  g_autoptr(GDateTime) base = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) dt = g_date_time_add (base, unix_us % G_USEC_PER_SEC);
  g_autofree char *text = g_date_time_format_iso8601 (dt);

  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, text);
}

static void
add_string (JsonBuilder *b,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, value);
}

static void
add_id (JsonBuilder *b,
        const char  *member,
        const char  *prefix,
        guint        id)
{
  g_autofree char *text = g_strdup_printf ("%s%04u", prefix, id);

  add_string (b, member, text);
}

static gint64
total_available (Ecomv2Product *p)
{
  gint64 sum = 0;

  for (guint w = 0; w < ECOMV2_N_WAREHOUSES; w++)
    sum += p->available[w];
  return sum;
}

void
ecomv2_add_product (JsonBuilder   *b,
                    Ecomv2Product *p)
{
  gint64 total = total_available (p);
  guint n = p->variants->len;

  json_builder_begin_object (b);
  add_id (b, "id", "prod_", p->id);
  add_string (b, "sku", p->sku);
  add_string (b, "name", p->name);
  add_string (b, "description", p->description);
  add_string (b, "status", p->status);
  json_builder_set_member_name (b, "categories");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, p->category);
  json_builder_end_array (b);
  ecomv2_add_money (b, "price", p->price_minor);

  /* Inventory is kept per product and warehouse (platforms.md §8); a
   * variant's "inventory" shows its share of the product's total. */
  json_builder_set_member_name (b, "variants");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      Ecomv2Variant *v = g_ptr_array_index (p->variants, i);

      json_builder_begin_object (b);
      add_id (b, "id", "var_", v->id);
      add_string (b, "sku", v->sku);
      /* null: the seed's "override product price (optional)" not used */
      if (v->price_minor >= 0)
        ecomv2_add_money (b, "price", v->price_minor);
      else
        {
          json_builder_set_member_name (b, "price");
          json_builder_add_null_value (b);
        }
      json_builder_set_member_name (b, "inventory");
      json_builder_add_int_value (b, total / n + (i == 0 ? total % n : 0));
      json_builder_set_member_name (b, "attributes");
      json_builder_begin_object (b);
      if (v->size != NULL)
        add_string (b, "size", v->size);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  ecomv2_add_time (b, "created_at", p->created_at);
  ecomv2_add_time (b, "updated_at", p->updated_at);
  json_builder_end_object (b);
}

void
ecomv2_add_inventory (JsonBuilder   *b,
                      Ecomv2Product *p)
{
  gint64 reserved = 0;

  for (guint w = 0; w < ECOMV2_N_WAREHOUSES; w++)
    reserved += p->reserved[w];

  json_builder_begin_object (b);
  add_id (b, "product_id", "prod_", p->id);
  add_string (b, "sku", p->sku);
  json_builder_set_member_name (b, "total_available");
  json_builder_add_int_value (b, total_available (p));
  json_builder_set_member_name (b, "total_reserved");
  json_builder_add_int_value (b, reserved);
  json_builder_set_member_name (b, "locations");
  json_builder_begin_array (b);
  for (guint w = 0; w < ECOMV2_N_WAREHOUSES; w++)
    {
      json_builder_begin_object (b);
      add_string (b, "warehouse_id", ecomv2_warehouses[w]);
      json_builder_set_member_name (b, "available");
      json_builder_add_int_value (b, p->available[w]);
      json_builder_set_member_name (b, "reserved");
      json_builder_add_int_value (b, p->reserved[w]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

void
ecomv2_add_order (JsonBuilder *b,
                  Ecomv2Order *o)
{
  gint64 total = 0;

  json_builder_begin_object (b);
  add_id (b, "id", "ord_", o->id);
  add_string (b, "customer_id", o->customer_id);
  add_string (b, "status", o->status);
  add_string (b, "payment_status", o->payment_status);
  add_string (b, "fulfillment_status", o->fulfillment_status);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < o->items->len; i++)
    {
      Ecomv2Item *item = g_ptr_array_index (o->items, i);

      json_builder_begin_object (b);
      add_id (b, "product_id", "prod_", item->product_id);
      add_id (b, "variant_id", "var_", item->variant_id);
      add_string (b, "sku", item->sku);
      add_string (b, "name", item->name);
      json_builder_set_member_name (b, "quantity");
      json_builder_add_int_value (b, item->quantity);
      ecomv2_add_money_in (b, "price", item->price_minor, o->currency);
      json_builder_end_object (b);
      total += item->price_minor * item->quantity;
    }
  json_builder_end_array (b);
  ecomv2_add_money_in (b, "total", total, o->currency);
  ecomv2_add_time (b, "created_at", o->created_at);
  ecomv2_add_time (b, "updated_at", o->updated_at);
  json_builder_end_object (b);
}

gboolean
ecomv2_parse_money (JsonNode *node,
                    gint64   *out_minor)
{
  GType type;

  if (node == NULL)
    return FALSE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *obj = json_node_get_object (node);
      JsonNode *amount = json_object_get_member (obj, "amount");

      if (amount == NULL || json_node_get_value_type (amount) != G_TYPE_INT64)
        return FALSE;
      *out_minor = json_node_get_int (amount);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return cp_money_parse (json_node_get_string (node), ECOMV2_CURRENCY, out_minor, NULL);
  if (type == G_TYPE_INT64)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

      return cp_money_parse (text, ECOMV2_CURRENCY, out_minor, NULL);
    }
  if (type == G_TYPE_DOUBLE)
    {
      /* The seed's requests send prices as plain JSON decimals (199.99) and
       * json-glib 1.6 only hands those over as doubles. Fifteen significant
       * digits give back the exact decimal that was written for any price
       * a shop has, which is then parsed as text: no arithmetic is done on
       * the double. */
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (buf, sizeof buf, "%.15g", json_node_get_double (node));
      return cp_money_parse (buf, ECOMV2_CURRENCY, out_minor, NULL);
    }
  return FALSE;
}
