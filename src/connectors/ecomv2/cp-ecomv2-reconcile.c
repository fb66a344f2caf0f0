/* cp-ecomv2-reconcile.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the store shows, for the engine's full reconciliation
 * (CpConnectorInterface.read_stock): GET /inventory/{product_id} per
 * product (the seed has no batch read), the available quantity per
 * warehouse. A product the store no longer has is left out, not an
 * error: the reconciliation reports it as missing.
 */

#define G_LOG_DOMAIN "cp-ecomv2"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-ecomv2-private.h"

/* warehouse id → available (gint64*), and the first warehouse (the
 * store's default, where an update without a location goes). */
static gboolean
parse_inventory (JsonNode    *root,
                 GHashTable  *out,
                 char       **out_first,
                 GError     **error)
{
  JsonObject *object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonNode *node = object != NULL ? json_object_get_member (object, "locations") : NULL;
  JsonArray *locations = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  if (locations == NULL)
    goto bad;
  for (guint i = 0; i < json_array_get_length (locations); i++)
    {
      JsonNode *element = json_array_get_element (locations, i);
      JsonObject *location = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      JsonNode *id = location != NULL ? json_object_get_member (location, "warehouse_id") : NULL;
      JsonNode *available = location != NULL ? json_object_get_member (location, "available") : NULL;
      gint64 value;

      if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) ||
          json_node_get_value_type (id) != G_TYPE_STRING ||
          available == NULL || !JSON_NODE_HOLDS_VALUE (available) ||
          json_node_get_value_type (available) != G_TYPE_INT64)
        goto bad;
      value = json_node_get_int (available);
      if (i == 0)
        *out_first = g_strdup (json_node_get_string (id));
      g_hash_table_insert (out, g_strdup (json_node_get_string (id)),
                           g_memdup2 (&value, sizeof value));
    }
  return TRUE;

bad:
  cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0, NULL,
                          _("The store answered an inventory read in an unexpected shape."));
  return FALSE;
}

static gboolean
read_product (CpEcomv2Connector  *self,
              const char         *product_id,
              GHashTable         *out,
              char              **out_first,
              gboolean           *out_gone,
              GCancellable       *cancellable,
              GError            **error)
{
  g_auto(Ecomv2Response) response = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *escaped = g_uri_escape_string (product_id, NULL, TRUE);
  g_autofree char *path = g_strconcat ("/inventory/", escaped, NULL);

  *out_gone = FALSE;
  if (!ecomv2_http_call (self, "GET", path, NULL, &response, cancellable, &local_error))
    {
      if (g_error_matches (local_error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_NOT_FOUND))
        {
          *out_gone = TRUE;
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!parse_inventory (response.root, out, out_first, error))
    {
      ecomv2_attach_exchange (error, &response);
      return FALSE;
    }
  return TRUE;
}

gboolean
ecomv2_read_stock (CpConnector   *connector,
                   CpLedger      *ledger,
                   GPtrArray     *wanted,
                   GPtrArray     *out_found,
                   GCancellable  *cancellable,
                   GError       **error)
{
  CpEcomv2Connector *self = CP_ECOMV2_CONNECTOR (connector);
  Ecomv2Push push = { self, ledger, NULL, NULL, NULL, cancellable };
  g_autoptr(GArray) variant_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) mapped = NULL;
  guint first = 0;

  for (guint i = 0; i < wanted->len; i++)
    {
      CpStockPublished *row = g_ptr_array_index (wanted, i);

      if (g_hash_table_add (seen, &row->variant_id))
        g_array_append_val (variant_ids, row->variant_id);
    }
  mapped = ecomv2_map_variants (&push, variant_ids, error);
  if (mapped == NULL)
    return FALSE;

  /* Rows come grouped by variant: one read per variant's product. */
  while (first < wanted->len)
    {
      CpStockPublished *head = g_ptr_array_index (wanted, first);
      const char *product_id = g_hash_table_lookup (mapped, &head->variant_id);
      g_autoptr(GHashTable) levels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_autofree char *default_warehouse = NULL;
      gboolean gone = TRUE;
      guint last = first;

      while (last < wanted->len &&
             ((CpStockPublished *) g_ptr_array_index (wanted, last))->variant_id == head->variant_id)
        last++;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (product_id != NULL &&
          !read_product (self, product_id, levels, &default_warehouse, &gone, cancellable, error))
        return FALSE;

      for (guint i = first; i < last && !gone; i++)
        {
          CpStockPublished *row = g_ptr_array_index (wanted, i);
          const char *warehouse = row->location != NULL ? row->location : default_warehouse;
          const gint64 *available = warehouse != NULL ? g_hash_table_lookup (levels, warehouse) : NULL;
          CpStockPublished *there;

          if (available == NULL)
            continue;
          there = g_new0 (CpStockPublished, 1);
          there->variant_id = row->variant_id;
          there->sku = g_strdup (row->sku);
          there->location = g_strdup (row->location);
          there->quantity = *available;
          g_ptr_array_add (out_found, there);
        }
      first = last;
    }
  return TRUE;
}
