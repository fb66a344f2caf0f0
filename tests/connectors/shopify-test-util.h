/* shopify-test-util.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the Shopify connector tests share: the sandbox's Shopify fake on
 * loopback, a real ledger in a temporary directory with a shopify
 * integration, and a connector for it. The job and will_send helpers
 * come from ecomv2-test-util.
 */

#pragma once

#include "cp-connector.h"
#include "cp-sandbox-server.h"
#include "cp-sandbox-shopify.h"
#include "cp-shopify-connector.h"

#include "ecomv2-test-util.h"

G_BEGIN_DECLS

#define SHOPIFY_TEST_CREDENTIALS "{\"access_token\":\"" CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN "\"}"

typedef struct
{
  CpSandboxServer  *server;
  CpSandboxShopify *fake;
  char             *base;
  TestLedger        t;
  CpConnector      *connector;
  TestWillSend      ws;
  CpPushContext    *context;
} ShopifyFixture;

/* Optional setup data: the size of the fake's demo store. */
typedef struct
{
  guint n_products;
  guint n_orders;
} ShopifyFixtureStore;

/* The demo store (40 products EC-00001…, 30 orders; DATA, when not
 * NULL, a ShopifyFixtureStore to size it otherwise); the ledger has
 * location MAIN and the variants EC-00002 (on hand 7) and EC-00003. */
void             shopify_fixture_setup    (ShopifyFixture *f,
                                           gconstpointer   data);
void             shopify_fixture_teardown (ShopifyFixture *f,
                                           gconstpointer   data);
CpMappingReport *shopify_fixture_refresh  (ShopifyFixture *f);
/* Pushes one job of KIND with PAYLOAD and idempotency key KEY; returns
 * the job's error (NULL: done) and fails the test on a whole failure. */
GError          *shopify_fixture_push_one (ShopifyFixture *f,
                                           const char     *kind,
                                           const char     *payload,
                                           const char     *key);
/* Pulls from CURSOR, all pages; the orders (CpOrder*) into ORDERS. */
gboolean         shopify_fixture_pull     (ShopifyFixture *f,
                                           const char     *cursor,
                                           GPtrArray      *orders,
                                           char          **out_cursor,
                                           GError        **error);
/* A connector with TOKEN for the fixture's fake. */
CpConnector     *shopify_fixture_connector (ShopifyFixture *f,
                                            const char     *token);

G_END_DECLS
