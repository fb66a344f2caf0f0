/* cp-ecomv2-connector.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The connector for seed 001's "E-Commerce Platform API" (platform name
 * ecomv2), with shared/platforms.md §8 where the seed is silent: Bearer
 * API keys, stock as absolute available quantities per warehouse through
 * PATCH /batch/update (≤ 100 updates), products matched by SKU, orders
 * pulled newest first by updated_at down to a watermark, money as
 * {"amount": minor units, "currency", "formatted"}.
 */

#pragma once

#include "cp-connector.h"

G_BEGIN_DECLS

#define CP_ECOMV2_PLATFORM "ecomv2"

/* Seed 001: "Maximum 100 items per batch". */
#define CP_ECOMV2_MAX_BATCH 100
/* Seed 001: "limit: Items per page (max: 200)". */
#define CP_ECOMV2_MAX_PAGE 200
/* How far before the stored watermark an incremental pull reads again:
 * an order updated in the same instant as the last one seen, or written
 * by a replica a little behind, must not fall between two pulls. Pulled
 * orders are deduplicated by (source, external_id), so reading a few
 * again costs nothing but the transfer. */
#define CP_ECOMV2_PULL_OVERLAP_US ((gint64) 5 * 60 * G_USEC_PER_SEC)

#define CP_TYPE_ECOMV2_CONNECTOR (cp_ecomv2_connector_get_type ())

G_DECLARE_FINAL_TYPE (CpEcomv2Connector, cp_ecomv2_connector, CP, ECOMV2_CONNECTOR, GObject)

/* The registry's factory. BASE_URL is seed 001's Base URL, version
 * included ("https://api.ecommerce-platform.com/v2"); plain http only to
 * loopback. CREDENTIALS_JSON is {"api_key": "…"}. Errors are
 * CP_CONNECTOR_ERROR_CONFIG and never contain the key. */
CpConnector          *cp_ecomv2_connector_new           (const char  *integration_id,
                                                         const char  *base_url,
                                                         const char  *credentials_json,
                                                         GError     **error);
const CpPlatformInfo *cp_ecomv2_connector_get_platform_info (void);

/* The limiter fed from the platform's X-RateLimit-* headers (also
 * cp_connector_get_rate_limiter). Until the platform has said what its
 * limit is, seed 003's default of 60 requests a minute applies. */
CpRateLimiter        *cp_ecomv2_connector_get_rate_limiter (CpEcomv2Connector *self);
/* Replaces it, e.g. with one shared by several connectors of one store,
 * or an unlimited one for a benchmark against a fake with no limit. */
void                  cp_ecomv2_connector_set_rate_limiter (CpEcomv2Connector *self,
                                                            CpRateLimiter     *limiter);
/* Items per page for list requests (default and maximum 200): tests use
 * small pages to see pagination at work. */
void                  cp_ecomv2_connector_set_page_size    (CpEcomv2Connector *self,
                                                            guint              page_size);
/* The longest wait for the rate limiter the connector sits out itself
 * (cancellably) before it reports RATE_LIMITED instead; default 5 s. */
void                  cp_ecomv2_connector_set_max_inline_wait (CpEcomv2Connector *self,
                                                               gint64             wait_us);

G_END_DECLS
