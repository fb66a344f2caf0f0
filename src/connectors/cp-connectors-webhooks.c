/* cp-connectors-webhooks.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-connectors"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cp-connectors-webhooks.h"
#include "cp-json-limits.h"
#include "cp-shopify-private.h"
#include "cp-woocommerce-private.h"

/* The body as a JSON tree, checked for size and depth first: the local
 * API pre-scans what it receives, but this is also called on stored
 * bodies and by the fuzzer. */
static JsonParser *
load_body (GBytes  *body,
           GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  if (!cp_json_check_limits (data, size, CP_JSON_LIMITS_DEFAULT_MAX_BYTES,
                             CP_JSON_LIMITS_DEFAULT_MAX_DEPTH, &local_error) ||
      !json_parser_load_from_data (parser, data != NULL ? data : "", (gssize) size, &local_error))
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                              _("The webhook's body cannot be read as JSON: %s"),
                              local_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                              _("The webhook's body is not a JSON object."));
      return NULL;
    }
  return g_steal_pointer (&parser);
}

/* Whatever the parser calls it (a pull classes a malformed answer as a
 * remote bug, to retry), a delivery that cannot be read is bad data:
 * retrying the same stored bytes cannot help. */
static void
propagate_invalid (GError  **error,
                   GError   *parse_error)
{
  if (g_error_matches (parse_error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_INVALID_DATA))
    g_propagate_error (error, parse_error);
  else
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL, "%s",
                              parse_error->message);
      g_error_free (parse_error);
    }
}

/* Both platforms' order parsers have this shape. */
typedef CpOrder *(*OrderParser) (JsonNode    *root,
                                 const char  *integration_id,
                                 gint64      *out_modified_us,
                                 GError     **error);

static gboolean
parse_order (GBytes       *body,
             OrderParser   parse,
             const char   *integration_id,
             GPtrArray    *out_orders,
             GError      **error)
{
  g_autoptr(JsonParser) parser = load_body (body, error);
  GError *parse_error = NULL;
  CpOrder *order;

  if (parser == NULL)
    return FALSE;
  order = parse (json_parser_get_root (parser), integration_id, NULL, &parse_error);
  if (order == NULL)
    {
      propagate_invalid (error, parse_error);
      return FALSE;
    }
  g_ptr_array_add (out_orders, order);
  return TRUE;
}

gboolean
cp_shopify_connector_parse_webhook (CpConnector  *connector,
                                    const char   *topic,
                                    GBytes       *body,
                                    GPtrArray    *out_orders,
                                    GError      **error)
{
  if (topic == NULL || !g_str_has_prefix (topic, "orders/") || g_str_equal (topic, "orders/delete"))
    return TRUE;
  return parse_order (body, cp_shopify_parse_rest_order,
                      ((CpShopifyConnector *) connector)->integration_id, out_orders, error);
}

gboolean
cp_woocommerce_connector_parse_webhook (CpConnector  *connector,
                                        const char   *topic,
                                        GBytes       *body,
                                        GPtrArray    *out_orders,
                                        GError      **error)
{
  if (topic == NULL || !g_str_has_prefix (topic, "order.") || g_str_equal (topic, "order.deleted"))
    return TRUE;
  return parse_order (body, cp_woocommerce_parse_order,
                      ((CpWoocommerceConnector *) connector)->integration_id, out_orders, error);
}
