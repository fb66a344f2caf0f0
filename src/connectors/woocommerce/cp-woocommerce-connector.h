/* cp-woocommerce-connector.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The connector for WooCommerce's REST API v3 (platform name
 * woocommerce), after shared/platforms.md §2: the integration's address
 * is the site's, the connector appends /wp-json/wc/v3/; Basic auth with
 * the consumer key and secret over https, OAuth 1.0a one-legged signing
 * on plain http (loopback only); stock as absolute stock_quantity through
 * products/batch and products/{id}/variations/batch (≤ 100 items a
 * request); products matched by SKU, variations included; orders pulled
 * by modified date, oldest first; money from decimal strings, exactly.
 */

#pragma once

#include "cp-connector.h"

G_BEGIN_DECLS

#define CP_WOOCOMMERCE_PLATFORM "woocommerce"

/* woocommerce_rest_batch_items_limit: create + update + delete ≤ 100. */
#define CP_WOOCOMMERCE_MAX_BATCH 100
/* Stock jobs handed to one push (get_batch_size). */
#define CP_WOOCOMMERCE_STOCK_PUSH_JOBS 1000
/* WordPress core refuses per_page above 100. */
#define CP_WOOCOMMERCE_MAX_PAGE 100
/* How far before the stored watermark an incremental pull reads again:
 * WordPress compares modification dates in whole seconds, and an order
 * saved in the second of the last one seen, or by a slow request that
 * began earlier, must not fall between two pulls. Pulled orders are
 * deduplicated by (source, external_id). */
#define CP_WOOCOMMERCE_PULL_OVERLAP_US ((gint64) 5 * 60 * G_USEC_PER_SEC)

#define CP_TYPE_WOOCOMMERCE_CONNECTOR (cp_woocommerce_connector_get_type ())

G_DECLARE_FINAL_TYPE (CpWoocommerceConnector, cp_woocommerce_connector, CP, WOOCOMMERCE_CONNECTOR, GObject)

/* The registry's factory. BASE_URL is the site ("https://shop.example");
 * plain http only to loopback. CREDENTIALS_JSON is {"consumer_key":
 * "ck_…", "consumer_secret": "cs_…", "webhook_secret"?: "…"}. Errors
 * never contain the keys. */
CpConnector          *cp_woocommerce_connector_new (const char  *integration_id,
                                                    const char  *base_url,
                                                    const char  *credentials_json,
                                                    GError     **error);
const CpPlatformInfo *cp_woocommerce_connector_get_platform_info (void);

/* WooCommerce itself sets no limit; seed 003's default of 60 requests a
 * minute applies, and a 429 or Retry-After from the host narrows it. */
CpRateLimiter        *cp_woocommerce_connector_get_rate_limiter (CpWoocommerceConnector *self);
void                  cp_woocommerce_connector_set_rate_limiter (CpWoocommerceConnector *self,
                                                                 CpRateLimiter          *limiter);
/* Items per list page (default and maximum 100): tests use small pages. */
void                  cp_woocommerce_connector_set_page_size    (CpWoocommerceConnector *self,
                                                                 guint                   page_size);
/* The longest limiter wait sat out inline before RATE_LIMITED; default 5 s. */
void                  cp_woocommerce_connector_set_max_inline_wait (CpWoocommerceConnector *self,
                                                                    gint64                  wait_us);
/* The authorities the connection trusts instead of the system's: for
 * tests against the sandbox's self-signed https only. Neither the CLI nor
 * the window ever calls this; a shop's certificate is checked against the
 * system's authorities, and one they refuse is never accepted. */
void                  cp_woocommerce_connector_set_tls_database (CpWoocommerceConnector *self,
                                                                 GTlsDatabase           *database);
G_END_DECLS
