/* cp-sandbox-shopify-data.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Shopify fake's store and its demo data: the same SKUs as the
 * ecomv2 fake (EC-00001…, every fourth product with -M and -L sizes), so
 * the sandbox shows one catalog whichever store a newcomer connects, two
 * locations, and orders placed one every 90 minutes, generated from a
 * fixed seed so every run serves the same store.
 */

#define G_LOG_DOMAIN "cp-sandbox-shopify"

#include "config.h"

#include <string.h>

#include "cp-sandbox-shopify-private.h"

/* 1 June 2026, 00:00 UTC. */
#define DEMO_EPOCH_US (G_GINT64_CONSTANT (1780272000) * G_USEC_PER_SEC)

const char * const shopify_location_names[SHOPIFY_N_LOCATIONS] = { "Main warehouse", "Pop-up shop" };
const gint64 shopify_location_ids[SHOPIFY_N_LOCATIONS] = { 65544149100, 65544149101 };

static const char * const nouns[] = { "Helmet", "Glove", "Jacket", "Lamp", "Bottle", "Bag", "Scarf", "Mug" };
static const char * const adjectives[] = { "Classic", "Light", "Urban", "Trail", "Compact" };
static const char * const financial[] = { "PAID", "PAID", "PAID", "AUTHORIZED", "PENDING", "PARTIALLY_REFUNDED" };

static void
variant_free (ShopifyVariant *v)
{
  /* productSet empties a list it refills, NULLs for the kept ones. */
  if (v == NULL)
    return;
  g_free (v->sku);
  g_free (v);
}

static void
product_free (ShopifyProduct *p)
{
  g_free (p->title);
  g_free (p->product_type);
  g_free (p->status);
  g_ptr_array_unref (p->variants);
  g_hash_table_unref (p->metafields);
  g_free (p);
}

static void
line_free (ShopifyLine *l)
{
  g_free (l->sku);
  g_free (l->title);
  g_free (l);
}

static void
order_free (ShopifyOrder *o)
{
  g_free (o->name);
  g_free (o->financial_status);
  g_free (o->tracking);
  g_ptr_array_unref (o->lines);
  g_ptr_array_unref (o->refunds);
  g_free (o);
}

gint64
shopify_store_tick (ShopifyStore *store)
{
  gint64 now = g_get_real_time ();

  store->clock = MAX (store->clock + 1, now);
  return store->clock;
}

ShopifyProduct *
shopify_store_add_product (ShopifyStore *store,
                           const char   *title)
{
  ShopifyProduct *p = g_new0 (ShopifyProduct, 1);

  p->id = store->next_id++;
  p->title = g_strdup (title);
  p->status = g_strdup ("ACTIVE");
  p->variants = g_ptr_array_new_with_free_func ((GDestroyNotify) variant_free);
  p->metafields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  p->updated_at = shopify_store_tick (store);
  g_ptr_array_add (store->products, p);
  return p;
}

ShopifyVariant *
shopify_store_add_variant (ShopifyStore   *store,
                           ShopifyProduct *product,
                           const char     *sku,
                           gint64          price_minor)
{
  ShopifyVariant *v = g_new0 (ShopifyVariant, 1);

  v->id = store->next_id++;
  v->product_id = product->id;
  v->sku = g_strdup (sku);
  v->price_minor = price_minor;
  v->inventory_item_id = store->next_id++;
  g_ptr_array_add (product->variants, v);
  g_hash_table_insert (store->by_item, g_memdup2 (&v->inventory_item_id, sizeof (gint64)), v);
  g_hash_table_insert (store->by_variant, g_memdup2 (&v->id, sizeof (gint64)), v);
  return v;
}

ShopifyVariant *
shopify_store_find_sku (ShopifyStore *store,
                        const char   *sku)
{
  for (guint i = 0; i < store->products->len; i++)
    {
      ShopifyProduct *p = g_ptr_array_index (store->products, i);

      if (p->deleted)
        continue;
      for (guint k = 0; k < p->variants->len; k++)
        {
          ShopifyVariant *v = g_ptr_array_index (p->variants, k);

          if (g_strcmp0 (v->sku, sku) == 0)
            return v;
        }
    }
  return NULL;
}

ShopifyProduct *
shopify_store_find_product (ShopifyStore *store,
                            gint64        id)
{
  for (guint i = 0; i < store->products->len; i++)
    {
      ShopifyProduct *p = g_ptr_array_index (store->products, i);

      if (p->id == id && !p->deleted)
        return p;
    }
  return NULL;
}

ShopifyOrder *
shopify_store_find_order (ShopifyStore *store,
                          gint64        id)
{
  for (guint i = 0; i < store->orders->len; i++)
    {
      ShopifyOrder *o = g_ptr_array_index (store->orders, i);

      if (o->id == id)
        return o;
    }
  return NULL;
}

ShopifyOrder *
shopify_store_add_order (ShopifyStore *store)
{
  ShopifyOrder *o = g_new0 (ShopifyOrder, 1);

  o->id = store->next_id++;
  o->name = g_strdup_printf ("#%u", 1001 + store->orders->len);
  memcpy (o->currency, store->currency, 4);
  o->created_at = o->updated_at = shopify_store_tick (store);
  o->financial_status = g_strdup ("PAID");
  o->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  o->refunds = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (store->orders, o);
  return o;
}

static int
compare_by_updated (gconstpointer a,
                    gconstpointer b)
{
  const ShopifyOrder *x = *(ShopifyOrder * const *) a, *y = *(ShopifyOrder * const *) b;

  if (x->updated_at != y->updated_at)
    return x->updated_at < y->updated_at ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* A pull reads the orders 25 a page: sorting all of them for each page
 * made the fake's time per page grow with the store (and a pull's
 * quadratic), so the sorted list is kept until something changes. */
GPtrArray *
shopify_store_orders_by_updated (ShopifyStore *store)
{
  if (store->by_updated != NULL && store->by_updated_clock == store->clock &&
      store->by_updated->len == store->orders->len)
    return store->by_updated;

  g_clear_pointer (&store->by_updated, g_ptr_array_unref);
  store->by_updated = g_ptr_array_sized_new (store->orders->len);
  for (guint i = 0; i < store->orders->len; i++)
    g_ptr_array_add (store->by_updated, g_ptr_array_index (store->orders, i));
  g_ptr_array_sort (store->by_updated, compare_by_updated);
  store->by_updated_clock = store->clock;
  return store->by_updated;
}

void
shopify_store_delete_product (ShopifyStore   *store,
                              ShopifyProduct *product)
{
  product->deleted = TRUE;
  for (guint k = 0; k < product->variants->len; k++)
    {
      ShopifyVariant *v = g_ptr_array_index (product->variants, k);

      g_hash_table_remove (store->by_item, &v->inventory_item_id);
      g_hash_table_remove (store->by_variant, &v->id);
    }
}

static void
add_demo_product (ShopifyStore *store,
                  GRand        *rand,
                  guint         i)
{
  static const char * const sizes[] = { NULL, "M", "L" };
  g_autofree char *sku = g_strdup_printf ("EC-%05u", i + 1);
  g_autofree char *title = g_strdup_printf ("%s %s %u", adjectives[i % G_N_ELEMENTS (adjectives)],
                                            nouns[(i / G_N_ELEMENTS (adjectives)) % G_N_ELEMENTS (nouns)],
                                            i + 1);
  gint64 price = 500 + (gint64) g_rand_int_range (rand, 0, 400) * 50 - 1;
  ShopifyProduct *p = shopify_store_add_product (store, title);
  guint n = i % 4 == 0 ? 3 : 1;

  p->updated_at = DEMO_EPOCH_US + (gint64) i * 3600 * G_USEC_PER_SEC;
  for (guint s = 0; s < n; s++)
    {
      g_autofree char *vsku = sizes[s] ? g_strdup_printf ("%s-%s", sku, sizes[s]) : g_strdup (sku);
      ShopifyVariant *v = shopify_store_add_variant (store, p, vsku, price + s * 500);

      for (guint l = 0; l < SHOPIFY_N_LOCATIONS; l++)
        v->available[l] = g_rand_int_range (rand, 0, 100);
    }
}

static void
add_demo_order (ShopifyStore *store,
                GRand        *rand,
                guint         i)
{
  ShopifyOrder *o = shopify_store_add_order (store);
  guint n_lines = g_rand_int_range (rand, 1, 4);

  o->created_at = DEMO_EPOCH_US + (gint64) (151 * 24 * 60 + i * 90) * 60 * G_USEC_PER_SEC;
  o->updated_at = o->created_at + (gint64) g_rand_int_range (rand, 0, 86400) * G_USEC_PER_SEC;
  g_free (o->financial_status);
  o->financial_status = g_strdup (financial[g_rand_int_range (rand, 0, G_N_ELEMENTS (financial))]);
  o->shipping_minor = 500;
  for (guint k = 0; k < n_lines && store->products->len > 0; k++)
    {
      ShopifyProduct *p = g_ptr_array_index (store->products,
                                             g_rand_int_range (rand, 0, store->products->len));
      ShopifyVariant *v = g_ptr_array_index (p->variants, 0);
      ShopifyLine *l = g_new0 (ShopifyLine, 1);

      l->id = store->next_id++;
      l->sku = g_strdup (v->sku);
      l->title = g_strdup (p->title);
      l->variant_id = v->id;
      l->quantity = l->current_quantity = g_rand_int_range (rand, 1, 4);
      l->unit_price_minor = v->price_minor;
      l->tax_minor = l->unit_price_minor * l->quantity / 10;
      g_ptr_array_add (o->lines, l);
    }
  if (g_str_equal (o->financial_status, "PARTIALLY_REFUNDED"))
    {
      ShopifyRefund *r = g_new0 (ShopifyRefund, 1);

      r->id = store->next_id++;
      r->amount_minor = 500;
      r->created_at = o->updated_at;
      g_ptr_array_add (o->refunds, r);
    }
}

ShopifyStore *
shopify_store_new (guint n_products,
                   guint n_orders)
{
  ShopifyStore *store = g_new0 (ShopifyStore, 1);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260601);

  store->products = g_ptr_array_new_with_free_func ((GDestroyNotify) product_free);
  store->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) order_free);
  store->by_item = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  store->by_variant = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  memcpy (store->currency, "USD", 4);
  store->next_id = 7608002183224;
  for (guint i = 0; i < n_products; i++)
    add_demo_product (store, rand, i);
  for (guint i = 0; i < n_orders; i++)
    add_demo_order (store, rand, i);
  /* Demo orders carry past times; what happens from now on is later. */
  store->clock = MAX (g_get_real_time (), DEMO_EPOCH_US);
  return store;
}

void
shopify_store_free (ShopifyStore *store)
{
  g_hash_table_unref (store->by_item);
  g_hash_table_unref (store->by_variant);
  g_clear_pointer (&store->by_updated, g_ptr_array_unref);
  g_ptr_array_unref (store->orders);
  g_ptr_array_unref (store->products);
  g_free (store);
}

gint64
shopify_gid_parse (const char *gid,
                   const char *type)
{
  g_autofree char *prefix = g_strdup_printf ("gid://shopify/%s/", type);
  const char *digits;
  char *end = NULL;
  gint64 id;

  if (gid == NULL || !g_str_has_prefix (gid, prefix))
    return 0;
  digits = gid + strlen (prefix);
  id = g_ascii_strtoll (digits, &end, 10);
  if (end == digits || (*end != '\0' && *end != '?') || id <= 0)
    return 0;
  return id;
}

char *
shopify_gid (const char *type,
             gint64      id)
{
  return g_strdup_printf ("gid://shopify/%s/%" G_GINT64_FORMAT, type, id);
}

char *
shopify_fake_format_time (gint64 unix_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

char *
shopify_money (gint64 minor)
{
  return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%02" G_GINT64_FORMAT,
                          minor < 0 ? "-" : "", ABS (minor) / 100, ABS (minor) % 100);
}
