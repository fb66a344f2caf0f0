/* cp-sandbox-shopify-api.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What tests and benchmarks do to the Shopify fake from outside: its
 * settings, the store's contents (a sale online, a deleted product, an
 * order placed), and its counters. Every call takes the fake's lock: the
 * server thread serves while a test reconfigures.
 */

#define G_LOG_DOMAIN "cp-sandbox-shopify"

#include "config.h"

#include <string.h>

#include "cp-sandbox-shopify-private.h"

#define LOCKED(self) g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&(self)->mutex)

void
cp_sandbox_shopify_add_token (CpSandboxShopify *self,
                              const char       *token,
                              const char       *scopes)
{
  LOCKED (self);

  if (self->default_token)
    g_hash_table_remove_all (self->tokens);
  self->default_token = FALSE;
  g_hash_table_insert (self->tokens, g_strdup (token),
                       g_strsplit (scopes != NULL ? scopes : CP_SANDBOX_SHOPIFY_ALL_SCOPES, ",", -1));
}

void
cp_sandbox_shopify_set_bucket (CpSandboxShopify *self,
                               double            size,
                               double            restore_rate)
{
  LOCKED (self);

  self->bucket.size = size;
  self->bucket.rate = restore_rate;
  self->bucket.available = size;
  self->bucket.last_us = g_get_monotonic_time ();
}

void
cp_sandbox_shopify_set_bucket_available (CpSandboxShopify *self,
                                         double            available)
{
  LOCKED (self);

  self->bucket.available = MIN (available, self->bucket.size);
  self->bucket.last_us = g_get_monotonic_time ();
}

void
cp_sandbox_shopify_set_costs (CpSandboxShopify *self,
                              guint             mutation_cost,
                              guint             per_input_cost,
                              guint             connection_base)
{
  LOCKED (self);

  self->mutation_cost = mutation_cost;
  self->per_input_cost = per_input_cost;
  self->connection_base = connection_base;
}

void
cp_sandbox_shopify_set_throttle_status_429 (CpSandboxShopify *self,
                                            gboolean          use_429)
{
  LOCKED (self);

  self->throttle_429 = use_429;
}

void
cp_sandbox_shopify_set_rest_bucket (CpSandboxShopify *self,
                                    double            size,
                                    double            leak_rate)
{
  LOCKED (self);

  self->rest = (Bucket) { 0, size, leak_rate, g_get_monotonic_time () };
}

void
cp_sandbox_shopify_set_currency (CpSandboxShopify *self,
                                 const char       *currency)
{
  LOCKED (self);

  g_strlcpy (self->store->currency, currency, sizeof self->store->currency);
}

void
cp_sandbox_shopify_add_products (CpSandboxShopify *self,
                                 const char       *sku_prefix,
                                 guint             n)
{
  LOCKED (self);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sku = g_strdup_printf ("%s-%06u", sku_prefix, i + 1);
      ShopifyProduct *p = shopify_store_add_product (self->store, sku);

      shopify_store_add_variant (self->store, p, sku, 1000);
    }
}

void
cp_sandbox_shopify_add_product (CpSandboxShopify   *self,
                                const char         *title,
                                const char * const *skus,
                                guint               n_skus)
{
  LOCKED (self);
  ShopifyProduct *p = shopify_store_add_product (self->store, title);

  for (guint i = 0; i < n_skus; i++)
    shopify_store_add_variant (self->store, p, skus[i], 1999);
}

gboolean
cp_sandbox_shopify_delete_product (CpSandboxShopify *self,
                                   const char       *sku)
{
  LOCKED (self);
  ShopifyVariant *v = shopify_store_find_sku (self->store, sku);

  if (v == NULL)
    return FALSE;
  shopify_store_delete_product (self->store, shopify_store_find_product (self->store, v->product_id));
  return TRUE;
}

gint64
cp_sandbox_shopify_get_available (CpSandboxShopify *self,
                                  const char       *sku,
                                  guint             location)
{
  LOCKED (self);
  ShopifyVariant *v = shopify_store_find_sku (self->store, sku);

  return v != NULL && location < SHOPIFY_N_LOCATIONS ? v->available[location] : -1;
}

void
cp_sandbox_shopify_set_available (CpSandboxShopify *self,
                                  const char       *sku,
                                  guint             location,
                                  gint64            quantity)
{
  LOCKED (self);
  ShopifyVariant *v = shopify_store_find_sku (self->store, sku);

  if (v != NULL && location < SHOPIFY_N_LOCATIONS)
    v->available[location] = quantity;
}

void
cp_sandbox_shopify_set_stocked (CpSandboxShopify *self,
                                const char       *sku,
                                guint             location,
                                gboolean          stocked)
{
  LOCKED (self);
  ShopifyVariant *v = shopify_store_find_sku (self->store, sku);

  if (v != NULL && location < SHOPIFY_N_LOCATIONS)
    v->unstocked[location] = !stocked;
}

void
cp_sandbox_shopify_set_tracked (CpSandboxShopify *self,
                                const char       *sku,
                                gboolean          tracked)
{
  LOCKED (self);
  ShopifyVariant *v = shopify_store_find_sku (self->store, sku);

  if (v != NULL)
    v->untracked = !tracked;
}

gint64
cp_sandbox_shopify_get_price (CpSandboxShopify *self,
                              const char       *sku)
{
  LOCKED (self);
  ShopifyVariant *v = shopify_store_find_sku (self->store, sku);

  return v != NULL ? v->price_minor : -1;
}

char *
cp_sandbox_shopify_dup_location_id (CpSandboxShopify *self,
                                    guint             location)
{
  g_return_val_if_fail (location < SHOPIFY_N_LOCATIONS, NULL);
  return shopify_gid ("Location", shopify_location_ids[location]);
}

char *
cp_sandbox_shopify_dup_metafield (CpSandboxShopify *self,
                                  const char       *sku,
                                  const char       *key)
{
  LOCKED (self);
  ShopifyVariant *v = shopify_store_find_sku (self->store, sku);
  ShopifyProduct *p = v != NULL ? shopify_store_find_product (self->store, v->product_id) : NULL;

  return p != NULL ? g_strdup (g_hash_table_lookup (p->metafields, key)) : NULL;
}

char *
cp_sandbox_shopify_dup_product_type (CpSandboxShopify *self,
                                     const char       *sku)
{
  LOCKED (self);
  ShopifyVariant *v = shopify_store_find_sku (self->store, sku);
  ShopifyProduct *p = v != NULL ? shopify_store_find_product (self->store, v->product_id) : NULL;

  return p != NULL ? g_strdup (p->product_type != NULL ? p->product_type : "") : NULL;
}

static gint64
parse_minor (const char *text)
{
  gint64 major = 0, minor = 0;
  char *end = NULL;

  major = g_ascii_strtoll (text, &end, 10);
  if (end != NULL && *end == '.')
    minor = (end[1] - '0') * 10 + (end[2] != '\0' ? end[2] - '0' : 0);
  return major * 100 + (major < 0 || text[0] == '-' ? -minor : minor);
}

char *
cp_sandbox_shopify_add_order (CpSandboxShopify   *self,
                              const char * const *skus,
                              const gint64       *quantities,
                              const char * const *unit_prices,
                              guint               n_lines)
{
  LOCKED (self);
  ShopifyOrder *o = shopify_store_add_order (self->store);

  for (guint i = 0; i < n_lines; i++)
    {
      ShopifyVariant *v = skus[i] != NULL ? shopify_store_find_sku (self->store, skus[i]) : NULL;
      ShopifyLine *l = g_new0 (ShopifyLine, 1);

      l->id = self->store->next_id++;
      l->sku = g_strdup (skus[i]);
      l->title = g_strdup (skus[i] != NULL ? skus[i] : "Gift wrapping");
      l->variant_id = v != NULL ? v->id : 0;
      l->quantity = l->current_quantity = quantities[i];
      l->unit_price_minor = parse_minor (unit_prices[i]);
      g_ptr_array_add (o->lines, l);
      /* A sale online takes from the first location. */
      if (v != NULL)
        v->available[0] -= quantities[i];
    }
  return shopify_gid ("Order", o->id);
}

void
cp_sandbox_shopify_refund_order (CpSandboxShopify *self,
                                 const char       *gid,
                                 const char       *amount)
{
  LOCKED (self);
  ShopifyOrder *o = shopify_store_find_order (self->store, shopify_gid_parse (gid, "Order"));
  ShopifyRefund *r;

  if (o == NULL)
    return;
  r = g_new0 (ShopifyRefund, 1);
  r->id = self->store->next_id++;
  r->amount_minor = parse_minor (amount);
  r->created_at = o->updated_at = shopify_store_tick (self->store);
  g_ptr_array_add (o->refunds, r);
  g_free (o->financial_status);
  o->financial_status = g_strdup ("PARTIALLY_REFUNDED");
}

void
cp_sandbox_shopify_cancel_order (CpSandboxShopify *self,
                                 const char       *gid)
{
  LOCKED (self);
  ShopifyOrder *o = shopify_store_find_order (self->store, shopify_gid_parse (gid, "Order"));

  if (o != NULL)
    o->cancelled_at = o->updated_at = shopify_store_tick (self->store);
}

guint
cp_sandbox_shopify_get_n_orders (CpSandboxShopify *self)
{
  LOCKED (self);

  return self->store->orders->len;
}

char *
cp_sandbox_shopify_dup_tracking (CpSandboxShopify *self,
                                 const char       *gid)
{
  LOCKED (self);
  ShopifyOrder *o = shopify_store_find_order (self->store, shopify_gid_parse (gid, "Order"));

  return o != NULL ? g_strdup (o->tracking) : NULL;
}

guint
cp_sandbox_shopify_get_n_throttled (CpSandboxShopify *self)
{
  LOCKED (self);

  return self->n_throttled;
}

guint
cp_sandbox_shopify_get_n_mutations (CpSandboxShopify *self)
{
  LOCKED (self);

  return self->n_mutations;
}

double
cp_sandbox_shopify_get_points_charged (CpSandboxShopify *self)
{
  LOCKED (self);

  return self->points;
}

guint
cp_sandbox_shopify_get_n_rest_throttled (CpSandboxShopify *self)
{
  LOCKED (self);

  return self->n_rest_throttled;
}

guint
cp_sandbox_shopify_get_n_requests_for_version (CpSandboxShopify *self,
                                               const char       *version)
{
  LOCKED (self);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->versions, version));
}

void
cp_sandbox_shopify_reset_counters (CpSandboxShopify *self)
{
  LOCKED (self);

  self->n_throttled = 0;
  self->n_mutations = 0;
  g_hash_table_remove_all (self->versions);
  self->points = 0;
  self->n_rest_throttled = 0;
}
