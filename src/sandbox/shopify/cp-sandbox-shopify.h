/* cp-sandbox-shopify.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Shopify Admin API as a local fake (platform name shopify): the
 * GraphQL endpoint /admin/api/{version}/graphql.json with access-token
 * auth, the calculated-cost leaky bucket (requested cost reserved,
 * refunded to the actual cost, THROTTLED with no data when over), the
 * root fields Counterpart's connector uses, @idempotent from 2026-01,
 * and the few REST 2024-01 endpoints of the per-item approach (with the
 * REST leaky bucket) for the benchmark's comparison. Every number
 * shared/platforms.md marks [unconfirmed] is a setting here.
 */

#pragma once

#include "cp-sandbox-platform.h"

G_BEGIN_DECLS

/* A custom app's Admin API token starts with shpat_. */
#define CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN "shpat_counterpart_sandbox"
/* What the connector defaults to; older versions fall forward to this. */
#define CP_SANDBOX_SHOPIFY_OLDEST_VERSION "2025-01"
#define CP_SANDBOX_SHOPIFY_MAX_INPUT 250
#define CP_SANDBOX_SHOPIFY_MAX_QUERY_COST 1000
/* A 1000-point bucket (the old figure, [unconfirmed] today) restoring
 * 100 points a second (the Standard plan now). */
#define CP_SANDBOX_SHOPIFY_DEFAULT_BUCKET 1000.0
#define CP_SANDBOX_SHOPIFY_DEFAULT_RESTORE 100.0
#define CP_SANDBOX_SHOPIFY_DEFAULT_MUTATION_COST 10
/* Every scope the connector may need; a token gets them all by default. */
#define CP_SANDBOX_SHOPIFY_ALL_SCOPES \
  "read_products,write_products,read_inventory,write_inventory,read_locations," \
  "read_orders,read_merchant_managed_fulfillment_orders," \
  "write_merchant_managed_fulfillment_orders"

#define CP_TYPE_SANDBOX_SHOPIFY (cp_sandbox_shopify_get_type ())

G_DECLARE_FINAL_TYPE (CpSandboxShopify, cp_sandbox_shopify, CP, SANDBOX_SHOPIFY, GObject)

/* The demo store: 40 products (every fourth with S/M/L variants) whose
 * SKUs are the ecomv2 fake's (EC-00001…), two locations, 30 orders. */
CpSandboxShopify *cp_sandbox_shopify_new        (void);
CpSandboxShopify *cp_sandbox_shopify_new_sized  (guint n_products,
                                                 guint n_orders);

/* Accepts TOKEN with SCOPES (comma-separated; NULL: all). Replaces the
 * default token the first time it is called. */
void     cp_sandbox_shopify_add_token          (CpSandboxShopify *self,
                                                const char       *token,
                                                const char       *scopes);
/* The cost bucket: SIZE points, RESTORE points per second. The real
 * figures depend on the plan; a benchmark scales RESTORE up to run in
 * minutes what takes hours. */
void     cp_sandbox_shopify_set_bucket         (CpSandboxShopify *self,
                                                double            size,
                                                double            restore_rate);
/* Empties the bucket down to AVAILABLE points now, as another app
 * sharing it would. */
void     cp_sandbox_shopify_set_bucket_available (CpSandboxShopify *self,
                                                  double            available);
/* MUTATION_COST points per mutation plus PER_INPUT_COST per input item
 * (a quantity, a variant); CONNECTION_BASE for each connection on top of
 * one point per object. [unconfirmed] in platforms.md, so settings. */
void     cp_sandbox_shopify_set_costs          (CpSandboxShopify *self,
                                                guint             mutation_cost,
                                                guint             per_input_cost,
                                                guint             connection_base);
/* Whether THROTTLED comes with HTTP 429 instead of 200. */
void     cp_sandbox_shopify_set_throttle_status_429 (CpSandboxShopify *self,
                                                     gboolean          use_429);
/* The REST 2024-01 bucket: SIZE requests, LEAK per second (40 and 2). */
void     cp_sandbox_shopify_set_rest_bucket    (CpSandboxShopify *self,
                                                double            size,
                                                double            leak_rate);
/* The store's currency (orders placed from now on use it too). */
void     cp_sandbox_shopify_set_currency       (CpSandboxShopify *self,
                                                const char       *currency);

/* Products with SKUs SKU_PREFIX-000001… one variant each, for benchmarks. */
void     cp_sandbox_shopify_add_products       (CpSandboxShopify *self,
                                                const char       *sku_prefix,
                                                guint             n);
/* A product with one variant per SKU (NULL: a variant without SKU). */
void     cp_sandbox_shopify_add_product        (CpSandboxShopify   *self,
                                                const char         *title,
                                                const char * const *skus,
                                                guint               n_skus);
/* Deletes the product that has the variant SKU. */
gboolean cp_sandbox_shopify_delete_product     (CpSandboxShopify *self,
                                                const char       *sku);

/* Available quantity of SKU at location INDEX (0, 1), -1 when unknown.
 * set_available is a sale or a restock made on the store itself. */
gint64   cp_sandbox_shopify_get_available      (CpSandboxShopify *self,
                                                const char       *sku,
                                                guint             location);
void     cp_sandbox_shopify_set_available      (CpSandboxShopify *self,
                                                const char       *sku,
                                                guint             location,
                                                gint64            quantity);
/* Whether SKU is stocked at location INDEX (by default everywhere): an
 * item not stocked there has no inventory level at it, and setting its
 * quantity there is refused (ITEM_NOT_STOCKED_AT_LOCATION). */
void     cp_sandbox_shopify_set_stocked        (CpSandboxShopify *self,
                                                const char       *sku,
                                                guint             location,
                                                gboolean          stocked);
/* Whether Shopify tracks SKU's quantity ("Track quantity", by default
 * on): InventoryItem.tracked. */
void     cp_sandbox_shopify_set_tracked        (CpSandboxShopify *self,
                                                const char       *sku,
                                                gboolean          tracked);
/* The price of the variant with SKU in minor units, -1 when unknown. */
gint64   cp_sandbox_shopify_get_price          (CpSandboxShopify *self,
                                                const char       *sku);
/* "gid://shopify/Location/N" of location INDEX. */
char    *cp_sandbox_shopify_dup_location_id    (CpSandboxShopify *self,
                                                guint             location);
/* A metafield value of the product with SKU, or NULL. */
char    *cp_sandbox_shopify_dup_metafield      (CpSandboxShopify *self,
                                                const char       *sku,
                                                const char       *key);
/* The productType of the product with SKU ("" when none), or NULL. */
char    *cp_sandbox_shopify_dup_product_type   (CpSandboxShopify *self,
                                                const char       *sku);

/* Orders. add_order places one now (variant-less lines when SKU is NULL:
 * a custom line item) and returns its gid. */
char    *cp_sandbox_shopify_add_order          (CpSandboxShopify   *self,
                                                const char * const *skus,
                                                const gint64       *quantities,
                                                const char * const *unit_prices,
                                                guint               n_lines);
/* A refund of AMOUNT (decimal string) on order GID, restocking nothing. */
void     cp_sandbox_shopify_refund_order       (CpSandboxShopify *self,
                                                const char       *gid,
                                                const char       *amount);
void     cp_sandbox_shopify_cancel_order       (CpSandboxShopify *self,
                                                const char       *gid);
guint    cp_sandbox_shopify_get_n_orders       (CpSandboxShopify *self);
/* The tracking number of the order's last fulfillment, or NULL. */
char    *cp_sandbox_shopify_dup_tracking       (CpSandboxShopify *self,
                                                const char       *gid);

/* Counters: THROTTLED answers, mutations applied (an idempotent replay is
 * not one), points charged (actual cost), REST 429s. */
guint    cp_sandbox_shopify_get_n_throttled    (CpSandboxShopify *self);
guint    cp_sandbox_shopify_get_n_mutations    (CpSandboxShopify *self);
double   cp_sandbox_shopify_get_points_charged (CpSandboxShopify *self);
guint    cp_sandbox_shopify_get_n_rest_throttled (CpSandboxShopify *self);
/* GraphQL requests whose path asked for VERSION ("2026-10"). */
guint    cp_sandbox_shopify_get_n_requests_for_version (CpSandboxShopify *self,
                                                        const char       *version);
void     cp_sandbox_shopify_reset_counters     (CpSandboxShopify *self);

G_END_DECLS
