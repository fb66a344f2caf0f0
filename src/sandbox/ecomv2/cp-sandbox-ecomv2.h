/* cp-sandbox-ecomv2.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The seed-001 "E-Commerce Platform API" (platform name ecomv2) as a local
 * fake: products with variants, inventory per warehouse, orders, batch
 * update, both pagination modes, X-RateLimit-* with a 2× burst, ETags, and
 * the seed's error format with a request_id. Where the seed is silent it
 * follows shared/platforms.md §8.
 */

#pragma once

#include "cp-sandbox-platform.h"

G_BEGIN_DECLS

/* The seed says a "test_" prefix marks a sandbox key. */
#define CP_SANDBOX_ECOMV2_DEFAULT_KEY "test_counterpart_sandbox"
/* The seed's documented maximum per batch. */
#define CP_SANDBOX_ECOMV2_MAX_BATCH 100
/* Its plans give hourly limits; Starter, 1,000 requests/hour, by default. */
#define CP_SANDBOX_ECOMV2_DEFAULT_LIMIT 1000
#define CP_SANDBOX_ECOMV2_DEFAULT_WINDOW_S 3600

#define CP_TYPE_SANDBOX_ECOMV2 (cp_sandbox_ecomv2_get_type ())

G_DECLARE_FINAL_TYPE (CpSandboxEcomv2, cp_sandbox_ecomv2, CP, SANDBOX_ECOMV2, GObject)

/* The demo shop: 300 products (a quarter with three size variants), three
 * warehouses, 120 orders; the same data on every run. */
CpSandboxEcomv2 *cp_sandbox_ecomv2_new        (void);
/* A shop of a chosen size, for pagination tests and benchmarks. */
CpSandboxEcomv2 *cp_sandbox_ecomv2_new_sized  (guint n_products,
                                               guint n_orders);

/* Replaces the accepted API keys (NULL-terminated); the default key is
 * accepted until this is called. */
void     cp_sandbox_ecomv2_set_api_keys      (CpSandboxEcomv2    *self,
                                              const char * const *keys);
/* LIMIT requests per WINDOW_S seconds and key; bursts up to 2 × LIMIT pass,
 * beyond that 429 with Retry-After until the window ends. The plans' real
 * numbers are hourly, which no test can wait for. LIMIT 0 turns the
 * limiter off (the headers still report it as unlimited). */
void     cp_sandbox_ecomv2_set_rate_limit    (CpSandboxEcomv2    *self,
                                              guint               limit,
                                              guint               window_s);
/* How far past the limit a burst may go: 2 (the seed's "up to 2x") by
 * default; 1 turns bursts off, for tests of an exact limit. */
void     cp_sandbox_ecomv2_set_burst_factor  (CpSandboxEcomv2    *self,
                                              guint               factor);

/* The 429s the rate limit itself answered (injected faults are counted
 * by the server): what a client that keeps to the limit never sees. */
guint    cp_sandbox_ecomv2_get_n_rate_limited (CpSandboxEcomv2   *self);
guint    cp_sandbox_ecomv2_get_n_products    (CpSandboxEcomv2    *self);
guint    cp_sandbox_ecomv2_get_n_orders      (CpSandboxEcomv2    *self);
/* Available stock of the product with SKU (or id) at WAREHOUSE ("wh_001"),
 * or -1 when either is unknown. Thread-safe: tests read it while the
 * server thread writes. */
gint64   cp_sandbox_ecomv2_get_available     (CpSandboxEcomv2    *self,
                                              const char         *sku,
                                              const char         *warehouse);
/* Places N_ORDERS more orders now, as customers of the live shop would,
 * with lines drawn from the catalog by a generator seeded with SEED: the
 * crash and fault tests add orders between (and during) syncs. */
void     cp_sandbox_ecomv2_add_orders        (CpSandboxEcomv2    *self,
                                              guint               n_orders,
                                              guint32             seed);
/* The currency (ISO 4217) of the orders placed from now on: "USD" until
 * set. The owner switching the shop's currency, for the tests of a store
 * whose orders stop being in the books' currency; the orders placed
 * before keep theirs. */
void     cp_sandbox_ecomv2_set_currency      (CpSandboxEcomv2    *self,
                                              const char         *currency);
/* The status ("active", "draft", "archived") of the product with SKU (or
 * id), or NULL. */
char    *cp_sandbox_ecomv2_dup_product_status (CpSandboxEcomv2   *self,
                                               const char        *sku);
/* The status of order ID ("ord_0001"), or NULL. */
char    *cp_sandbox_ecomv2_dup_order_status  (CpSandboxEcomv2    *self,
                                              const char         *order_id);

G_END_DECLS
