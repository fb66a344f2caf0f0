/* cp-shopify-connector.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Shopify connector (platform name shopify), through the GraphQL
 * Admin API only (REST is legacy since 2024-10): an Admin API access
 * token, the calculated-cost budget read from extensions.cost, stock set
 * with inventorySetQuantities and compare quantities, catalog with
 * productSet, orders read by updated_at, fulfillments with tracking.
 * shared/platforms.md §1 says what each of these is on the wire.
 */

#pragma once

#include "cp-connector.h"

G_BEGIN_DECLS

#define CP_SHOPIFY_PLATFORM "shopify"
/* The current quarterly version; integrations.settings {"api_version"}
 * overrides it. */
#define CP_SHOPIFY_DEFAULT_API_VERSION "2026-10"
/* From this version on the @idempotent directive is honoured. */
#define CP_SHOPIFY_IDEMPOTENT_SINCE "2026-01"
/* Input arrays and connection pages: at most 250 items. */
#define CP_SHOPIFY_MAX_INPUT 250
/* How far before the stored watermark an incremental pull reads again,
 * as ecomv2 does: orders are deduplicated by (source, external_id). */
#define CP_SHOPIFY_PULL_OVERLAP_US ((gint64) 5 * 60 * G_USEC_PER_SEC)

#define CP_TYPE_SHOPIFY_CONNECTOR (cp_shopify_connector_get_type ())

G_DECLARE_FINAL_TYPE (CpShopifyConnector, cp_shopify_connector, CP, SHOPIFY_CONNECTOR, GObject)

/* BASE_URL is the shop, https://SHOP.myshopify.com (plain http only to
 * loopback); CREDENTIALS_JSON {"access_token": "shpat_…",
 * "webhook_secret": "…"?}. Errors never contain the token. */
CpConnector          *cp_shopify_connector_new              (const char  *integration_id,
                                                             const char  *base_url,
                                                             const char  *credentials_json,
                                                             GError     **error);
const CpPlatformInfo *cp_shopify_connector_get_platform_info (void);

/* The cost budget, fed from every response's throttleStatus. */
CpRateLimiter        *cp_shopify_connector_get_rate_limiter (CpShopifyConnector *self);
void                  cp_shopify_connector_set_rate_limiter (CpShopifyConnector *self,
                                                             CpRateLimiter      *limiter);
/* The integration's settings (integrations.settings JSON) as object data
 * on the connector: the engine sets them each run, so that a pull, which
 * gets no ledger to read them from, honours them too. */
#define CP_SHOPIFY_SETTINGS_DATA "cp-integration-settings"

/* "2026-10"; NULL: the default. Without it, the version is the
 * integration's settings' "api_version", read whenever the connector is
 * given the ledger or CP_SHOPIFY_SETTINGS_DATA (the default until then);
 * a version set here stays. */
void                  cp_shopify_connector_set_api_version  (CpShopifyConnector *self,
                                                             const char         *version);
const char           *cp_shopify_connector_get_api_version  (CpShopifyConnector *self);
/* The longest wait for the budget the connector sits out itself before
 * it reports RATE_LIMITED; default 10 s. */
void                  cp_shopify_connector_set_max_inline_wait (CpShopifyConnector *self,
                                                                gint64              wait_us);
/* Items per page for order pulls (default 25), for pagination tests. */
void                  cp_shopify_connector_set_page_size    (CpShopifyConnector *self,
                                                             guint               page_size);
/* Requests sent and THROTTLED answers received, for the benchmark. */
guint                 cp_shopify_connector_get_n_requests   (CpShopifyConnector *self);
guint                 cp_shopify_connector_get_n_throttled  (CpShopifyConnector *self);

G_END_DECLS
