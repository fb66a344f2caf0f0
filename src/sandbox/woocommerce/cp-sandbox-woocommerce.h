/* cp-sandbox-woocommerce.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The WooCommerce REST API v3 (/wp-json/wc/v3/) as a local fake, after
 * shared/platforms.md §2: HTTP Basic with the consumer key and secret
 * when the sandbox server serves https, OAuth 1.0a one-legged signing on
 * plain http (Basic is refused there, as WooCommerce does), keys with
 * read, write or read_write permission, products with variations, the
 * batch endpoints and their 100-item cap (413 above it), per_page ≤ 100
 * with X-WP-Total, X-WP-TotalPages and Link, orders by modified date,
 * refunds, the store currency in settings/general, and WordPress's error
 * JSON
 * {"code","message","data":{"status"}}. WooCommerce sets no rate limit;
 * one can be switched on for tests.
 */

#pragma once

#include "cp-sandbox-platform.h"

G_BEGIN_DECLS

/* The sandbox's published keys: the fake is on loopback only. */
#define CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY    "ck_counterpart_sandbox"
#define CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET "cs_counterpart_sandbox"
/* woocommerce_rest_batch_items_limit's default. */
#define CP_SANDBOX_WOOCOMMERCE_MAX_BATCH 100
/* WordPress core's per_page maximum. */
#define CP_SANDBOX_WOOCOMMERCE_MAX_PAGE 100
#define CP_SANDBOX_WOOCOMMERCE_SITE_NAME "Counterpart Sandbox Shop"

#define CP_TYPE_SANDBOX_WOOCOMMERCE (cp_sandbox_woocommerce_get_type ())

G_DECLARE_FINAL_TYPE (CpSandboxWoocommerce, cp_sandbox_woocommerce, CP, SANDBOX_WOOCOMMERCE, GObject)

/* The demo shop: 300 products with the ecomv2 fake's SKUs (EC-00001…), a
 * quarter of them variable with sizes S, M, L as variations (EC-00001-S…),
 * and 120 orders; the same data on every run. */
CpSandboxWoocommerce *cp_sandbox_woocommerce_new       (void);
/* N_PRODUCTS products of which every VARIABLE_EVERY-th is variable (0:
 * none), and N_ORDERS orders, for pagination tests and benchmarks. */
CpSandboxWoocommerce *cp_sandbox_woocommerce_new_sized (guint n_products,
                                                        guint variable_every,
                                                        guint n_orders);

/* Replaces the one accepted key pair; PERMISSION is "read", "write" or
 * "read_write", as WooCommerce → Settings → Advanced → REST API offers. */
void     cp_sandbox_woocommerce_set_key        (CpSandboxWoocommerce *self,
                                                const char           *consumer_key,
                                                const char           *consumer_secret,
                                                const char           *permission);
/* LIMIT requests per WINDOW_S seconds, 429 with Retry-After beyond; LIMIT
 * 0 (the default) turns it off, as on WooCommerce itself. */
void     cp_sandbox_woocommerce_set_rate_limit (CpSandboxWoocommerce *self,
                                                guint                 limit,
                                                guint                 window_s);
/* The store currency (settings/general woocommerce_currency); orders
 * placed after this use it. */
void     cp_sandbox_woocommerce_set_currency   (CpSandboxWoocommerce *self,
                                                const char           *currency);

/* Requests let in so far by METHOD, "basic" (over https only) or
 * "oauth": a test tells which way a client authenticated. */
guint    cp_sandbox_woocommerce_get_n_logins   (CpSandboxWoocommerce *self,
                                                const char           *method);

/* What the store holds now, for tests; thread-safe. */
guint    cp_sandbox_woocommerce_get_n_products (CpSandboxWoocommerce *self);
/* stock_quantity of the product or variation with SKU; -1 when none. */
gint64   cp_sandbox_woocommerce_get_stock      (CpSandboxWoocommerce *self,
                                                const char           *sku);
/* The status of order ID, or NULL. */
char    *cp_sandbox_woocommerce_dup_order_status (CpSandboxWoocommerce *self,
                                                  guint                 order_id);
/* meta_data value KEY of the product with SKU as JSON text, or NULL. */
char    *cp_sandbox_woocommerce_dup_meta       (CpSandboxWoocommerce *self,
                                                const char           *sku,
                                                const char           *key);
/* Removes the product or variation with SKU, as a person in WP admin
 * would (it goes to the trash: the API no longer finds it). */
gboolean cp_sandbox_woocommerce_delete_product (CpSandboxWoocommerce *self,
                                                const char           *sku);
/* Adds a simple product (SKU may be "": WooCommerce allows that); returns
 * its id. A SKU already used is allowed here: a data import can do that. */
guint    cp_sandbox_woocommerce_add_product    (CpSandboxWoocommerce *self,
                                                const char           *sku,
                                                const char           *name,
                                                gint64                price_minor,
                                                gint64                stock);
/* Adds a variation to product PARENT_ID (made variable); returns its id. */
guint    cp_sandbox_woocommerce_add_variation  (CpSandboxWoocommerce *self,
                                                guint                 parent_id,
                                                const char           *sku,
                                                gint64                stock);
/* N more orders placed now, lines drawn with a generator seeded by SEED. */
void     cp_sandbox_woocommerce_add_orders     (CpSandboxWoocommerce *self,
                                                guint                 n_orders,
                                                guint32               seed);
/* Adds an order placed now from a JSON object in the wc/v3 shape the
 * store itself would make (line_items with product_id 0 for a custom
 * line, refunds…); returns its id, 0 when JSON does not parse. */
guint    cp_sandbox_woocommerce_add_order_json (CpSandboxWoocommerce *self,
                                                const char           *json);

/* One webhook for order.created and order.updated, delivered to
 * DELIVERY_URL (NULL: none) signed with SECRET, once: WooCommerce does
 * not retry, and disables a webhook after more than 5 failures in a row. */
void     cp_sandbox_woocommerce_set_webhook    (CpSandboxWoocommerce *self,
                                                const char           *delivery_url,
                                                const char           *secret);
/* Waits until every queued delivery was tried; the counts so far. */
void     cp_sandbox_woocommerce_wait_webhooks  (CpSandboxWoocommerce *self,
                                                guint                *out_delivered,
                                                guint                *out_failed,
                                                gboolean             *out_disabled);

/* Product categories, for tests (cp-sandbox-woocommerce-categories.c).
 * add_category makes one as a person in WP admin would; 0 when PARENT
 * does not exist or already has one of that name. */
guint    cp_sandbox_woocommerce_add_category   (CpSandboxWoocommerce *self,
                                                const char           *name,
                                                guint                 parent);
guint    cp_sandbox_woocommerce_get_n_categories (CpSandboxWoocommerce *self);
/* The name of category ID as the API serves it, and its parent; NULL
 * when there is none. */
char    *cp_sandbox_woocommerce_dup_category   (CpSandboxWoocommerce *self,
                                                guint                 id,
                                                guint                *out_parent);
/* The ids of the categories of the product with SKU ("17,21"; "" for
 * none), those of its variable product for a variation; NULL when there
 * is no such product. */
char    *cp_sandbox_woocommerce_dup_product_categories (CpSandboxWoocommerce *self,
                                                        const char           *sku);
/* Deletes category ID as a person in WP admin would: its children move
 * up to its parent, its products lose it. */
gboolean cp_sandbox_woocommerce_delete_category (CpSandboxWoocommerce *self,
                                                 guint                 id);

G_END_DECLS
