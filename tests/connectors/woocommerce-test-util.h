/* woocommerce-test-util.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the WooCommerce connector tests share: the sandbox's WooCommerce
 * fake on loopback, a real ledger (ecomv2-test-util's TestLedger) and a
 * connector for it.
 */

#pragma once

#include "cp-sandbox-woocommerce.h"
#include "ecomv2-test-util.h"

G_BEGIN_DECLS

#define WOO_TEST_CREDENTIALS \
  "{\"consumer_key\":\"" CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY "\"," \
  "\"consumer_secret\":\"" CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET "\"}"

typedef struct
{
  CpSandboxServer      *server;
  CpSandboxWoocommerce *fake;
  char                 *base;
  TestLedger            t;
  CpConnector          *connector;
  TestWillSend          ws;
  CpPushContext        *context;
} WooFixture;

/* DATA: NULL for the small demo shop (30 products, every 4th variable,
 * 25 orders); a WooFixtureSize* for another. */
typedef struct
{
  guint n_products;
  guint variable_every;
  guint n_orders;
} WooFixtureSize;

void             woo_fixture_setup    (WooFixture    *f,
                                       gconstpointer  data);
void             woo_fixture_teardown (WooFixture    *f,
                                       gconstpointer  data);
/* Requests the fake received for LABEL ("POST /products/batch"). */
guint            woo_fixture_requests (WooFixture    *f,
                                       const char    *label);
CpMappingReport *woo_fixture_refresh  (WooFixture    *f);
/* The demo shop's SKUs of products 1…N in the ledger, each with ON_HAND
 * at MAIN; variable products as the fake makes them (every
 * VARIABLE_EVERY-th: SKU, SKU-M, SKU-L). */
void             woo_fixture_add_demo_skus (WooFixture *f,
                                            guint       n,
                                            guint       variable_every,
                                            gint64      on_hand);
/* Runs a push of KIND with one job per variant id (payload {"variant_id"})
 * and returns the per-job errors. */
GPtrArray       *woo_fixture_push     (WooFixture    *f,
                                       const char    *kind,
                                       GArray        *variant_ids,
                                       GError       **error);
gsize            woo_fixture_count_errors (GPtrArray *errors);

G_END_DECLS
