/* cp-connectors-webhooks.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parse_webhook vfunc (cp-connector.h) of the store connectors: a
 * delivery's raw body read with the connector's own order parser, so an
 * order that arrives by webhook is the same CpOrder as when it is pulled
 * (same external id, same money, same status words).
 */

#pragma once

#include "cp-connector.h"

G_BEGIN_DECLS

/* Shopify: orders/create|updated|paid|cancelled|fulfilled|partially_fulfilled
 * and orders/edited carry the REST order; refunds/create and
 * orders/delete carry no whole order and give none (the orders/updated
 * that follows a refund, or the next pull, brings it). */
gboolean  cp_shopify_connector_parse_webhook     (CpConnector  *connector,
                                                  const char   *topic,
                                                  GBytes       *body,
                                                  GPtrArray    *out_orders,
                                                  GError      **error);
/* WooCommerce: order.created|updated|restored carry the wc/v3 order (or
 * the legacy {"order": …}); order.deleted ({"id": n}) and action.* give
 * none. */
gboolean  cp_woocommerce_connector_parse_webhook (CpConnector  *connector,
                                                  const char   *topic,
                                                  GBytes       *body,
                                                  GPtrArray    *out_orders,
                                                  GError      **error);

G_END_DECLS
