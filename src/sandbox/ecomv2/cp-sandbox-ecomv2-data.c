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
#include "cp-sandbox-json.h"
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

/* The shapes below are written straight as JSON (cp-sandbox-json.h): a
 * pull of 100,000 orders reads them all, and through JsonBuilder nodes
 * the fake's serving cost more CPU than the client storing them.
 * tests/sandbox/test-sandbox-ecomv2-json.c compares each with the
 * JsonBuilder shape it replaced, as json-glib writes it. */

/* Writes N's decimal digits at the end of BUF and returns where they
 * start: the fake's ids and amounts, without a printf each. */
static char *
digits_before (char    *end,
               guint64  n)
{
  do
    {
      *--end = '0' + n % 10;
      n /= 10;
    }
  while (n != 0);
  return end;
}

void
ecomv2_write_money_in (CpSandboxJson *w,
                       const char    *member,
                       gint64         minor,
                       const char    *currency)
{
  guint exponent = cp_currency_exponent (currency);
  char formatted[64];
  gsize n = 0;

  /* The seed shows "$199.99"; another currency is written with its code. */
  if (minor < 0)
    formatted[n++] = '-';
  if (g_str_equal (currency, "USD"))
    formatted[n++] = '$';
  else
    {
      gsize len = MIN (strlen (currency), 8);

      memcpy (formatted + n, currency, len);
      n += len;
      formatted[n++] = ' ';
    }
  if (exponent <= 18)
    {
      /* the digits of cp_money_format_plain(): no grouping, a point and
       * EXPONENT digits of minor units */
      guint64 magnitude = minor < 0 ? -(guint64) minor : (guint64) minor;
      guint64 scale = 1;
      char digits[48];
      char *end = digits + sizeof digits;
      char *start;

      for (guint i = 0; i < exponent; i++)
        scale *= 10;
      start = digits_before (end, magnitude / scale);
      memcpy (formatted + n, start, end - start);
      n += end - start;
      if (exponent > 0)
        {
          start = digits_before (end, magnitude % scale);
          formatted[n++] = '.';
          for (gsize pad = end - start; pad < exponent; pad++)
            formatted[n++] = '0';
          memcpy (formatted + n, start, end - start);
          n += end - start;
        }
      formatted[n] = '\0';
    }
  else
    {
      g_autofree char *plain = cp_money_format_plain (minor, currency);

      g_strlcpy (formatted + n, plain + (minor < 0 ? 1 : 0), sizeof formatted - n);
    }

  cp_sandbox_json_member (w, member);
  cp_sandbox_json_begin_object (w);
  cp_sandbox_json_member_int (w, "amount", minor);
  cp_sandbox_json_member_string (w, "currency", currency);
  cp_sandbox_json_member_string (w, "formatted", formatted);
  cp_sandbox_json_end_object (w);
}

/* "prod_0042": PREFIX and at least four digits. */
static void
write_id (CpSandboxJson *w,
          const char    *member,
          const char    *prefix,
          guint          id)
{
  char digits[16];
  char *end = digits + sizeof digits;
  char *start = digits_before (end, id);
  char text[48];
  gsize n = g_strlcpy (text, prefix, 24);

  for (gsize len = end - start; len < 4; len++)
    text[n++] = '0';
  memcpy (text + n, start, end - start);
  text[n + (end - start)] = '\0';
  cp_sandbox_json_member_string (w, member, text);
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
ecomv2_write_product (CpSandboxJson *w,
                      Ecomv2Product *p)
{
  gint64 total = total_available (p);
  guint n = p->variants->len;

  cp_sandbox_json_begin_object (w);
  write_id (w, "id", "prod_", p->id);
  cp_sandbox_json_member_string (w, "sku", p->sku);
  cp_sandbox_json_member_string (w, "name", p->name);
  cp_sandbox_json_member_string (w, "description", p->description);
  cp_sandbox_json_member_string (w, "status", p->status);
  cp_sandbox_json_member (w, "categories");
  cp_sandbox_json_begin_array (w);
  cp_sandbox_json_string (w, p->category);
  cp_sandbox_json_end_array (w);
  ecomv2_write_money_in (w, "price", p->price_minor, ECOMV2_CURRENCY);

  /* Inventory is kept per product and warehouse (platforms.md §8); a
   * variant's "inventory" shows its share of the product's total. */
  cp_sandbox_json_member (w, "variants");
  cp_sandbox_json_begin_array (w);
  for (guint i = 0; i < n; i++)
    {
      Ecomv2Variant *v = g_ptr_array_index (p->variants, i);

      cp_sandbox_json_begin_object (w);
      write_id (w, "id", "var_", v->id);
      cp_sandbox_json_member_string (w, "sku", v->sku);
      /* null: the seed's "override product price (optional)" not used */
      if (v->price_minor >= 0)
        ecomv2_write_money_in (w, "price", v->price_minor, ECOMV2_CURRENCY);
      else
        {
          cp_sandbox_json_member (w, "price");
          cp_sandbox_json_null (w);
        }
      cp_sandbox_json_member_int (w, "inventory", total / n + (i == 0 ? total % n : 0));
      cp_sandbox_json_member (w, "attributes");
      cp_sandbox_json_begin_object (w);
      if (v->size != NULL)
        cp_sandbox_json_member_string (w, "size", v->size);
      cp_sandbox_json_end_object (w);
      cp_sandbox_json_end_object (w);
    }
  cp_sandbox_json_end_array (w);
  cp_sandbox_json_member (w, "created_at");
  cp_sandbox_json_time (w, p->created_at);
  cp_sandbox_json_member (w, "updated_at");
  cp_sandbox_json_time (w, p->updated_at);
  cp_sandbox_json_end_object (w);
}

void
ecomv2_write_inventory (CpSandboxJson *w,
                        Ecomv2Product *p)
{
  gint64 reserved = 0;

  for (guint k = 0; k < ECOMV2_N_WAREHOUSES; k++)
    reserved += p->reserved[k];

  cp_sandbox_json_begin_object (w);
  write_id (w, "product_id", "prod_", p->id);
  cp_sandbox_json_member_string (w, "sku", p->sku);
  cp_sandbox_json_member_int (w, "total_available", total_available (p));
  cp_sandbox_json_member_int (w, "total_reserved", reserved);
  cp_sandbox_json_member (w, "locations");
  cp_sandbox_json_begin_array (w);
  for (guint k = 0; k < ECOMV2_N_WAREHOUSES; k++)
    {
      cp_sandbox_json_begin_object (w);
      cp_sandbox_json_member_string (w, "warehouse_id", ecomv2_warehouses[k]);
      cp_sandbox_json_member_int (w, "available", p->available[k]);
      cp_sandbox_json_member_int (w, "reserved", p->reserved[k]);
      cp_sandbox_json_end_object (w);
    }
  cp_sandbox_json_end_array (w);
  cp_sandbox_json_end_object (w);
}

void
ecomv2_write_order (CpSandboxJson *w,
                    Ecomv2Order   *o)
{
  gint64 total = 0;

  cp_sandbox_json_begin_object (w);
  write_id (w, "id", "ord_", o->id);
  cp_sandbox_json_member_string (w, "customer_id", o->customer_id);
  cp_sandbox_json_member_string (w, "status", o->status);
  cp_sandbox_json_member_string (w, "payment_status", o->payment_status);
  cp_sandbox_json_member_string (w, "fulfillment_status", o->fulfillment_status);
  cp_sandbox_json_member (w, "items");
  cp_sandbox_json_begin_array (w);
  for (guint i = 0; i < o->items->len; i++)
    {
      Ecomv2Item *item = g_ptr_array_index (o->items, i);

      cp_sandbox_json_begin_object (w);
      write_id (w, "product_id", "prod_", item->product_id);
      write_id (w, "variant_id", "var_", item->variant_id);
      cp_sandbox_json_member_string (w, "sku", item->sku);
      cp_sandbox_json_member_string (w, "name", item->name);
      cp_sandbox_json_member_int (w, "quantity", item->quantity);
      ecomv2_write_money_in (w, "price", item->price_minor, o->currency);
      cp_sandbox_json_end_object (w);
      total += item->price_minor * item->quantity;
    }
  cp_sandbox_json_end_array (w);
  ecomv2_write_money_in (w, "total", total, o->currency);
  cp_sandbox_json_member (w, "created_at");
  cp_sandbox_json_time (w, o->created_at);
  cp_sandbox_json_member (w, "updated_at");
  cp_sandbox_json_time (w, o->updated_at);
  cp_sandbox_json_end_object (w);
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
