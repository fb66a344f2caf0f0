/* cp-ecomv2-push-products.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Products and order statuses sent to the platform: names and prices in
 * the same PATCH /batch/update as stock, a product the store lacks
 * created (and found again by SKU when the answer to its create was
 * lost), and an order's status through PATCH /orders/{id}/status.
 */

#define G_LOG_DOMAIN "cp-ecomv2"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-integrations.h"
#include "cp-money.h"
#include "cp-sql.h"
#include "cp-stock-publish.h"

#include "cp-connector-http.h"
#include "cp-ecomv2-private.h"

/* ---- Products ---------------------------------------------------------- */

typedef struct
{
  guint  job;
  gint64 variant_id;
  char  *product_id;  /* NULL: not on the store yet */
  char  *sku;
  char  *name;
  char  *price;       /* "19.99": a decimal literal, written from minor units */
  gboolean send_price; /* FALSE when the store is the master of prices */
} ProductItem;

static void
product_item_clear (gpointer data)
{
  ProductItem *item = data;

  g_free (item->product_id);
  g_free (item->sku);
  g_free (item->name);
  g_free (item->price);
}

static gboolean
read_product (Ecomv2Push         *push,
              ProductItem  *item,
              GError      **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(GString) name = NULL;
  guint n_options = 0;
  int rc;

  stmt = cp_ledger_prepare_cached (push->ledger,
                                   "SELECT v.sku, p.name, v.option1, v.option2, v.option3, "
                                   "v.price_minor, v.currency "
                                   "FROM variants v JOIN products p ON p.id = v.product_id "
                                   "WHERE v.id = ?1 AND NOT EXISTS (SELECT 1 FROM "
                                   "integration_mappings x WHERE x.integration_id = ?2 "
                                   "AND x.kind = '" CP_MAPPING_KIND_PRODUCT_EXCLUDED "' "
                                   "AND x.local_id = CAST (p.id AS TEXT))",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item->variant_id);
  cp_sql_bind_text (stmt, 2, push->self->integration_id);
  rc = cp_sql_step (push->ledger, stmt, _("Could not read the catalog"), error);
  /* Deleted since, or its product opted out of this store: item->sku
   * stays NULL and nothing is sent. */
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return FALSE;

  item->sku = cp_sql_dup_text (stmt, 0);
  /* The store has one product per SKU (§8): a variant's options go into
   * its name, "Helmet (M / Red)", so two sizes do not look alike. */
  name = g_string_new ((const char *) sqlite3_column_text (stmt, 1));
  for (int c = 2; c <= 4; c++)
    {
      const char *option = (const char *) sqlite3_column_text (stmt, c);

      if (option == NULL || *option == '\0')
        continue;
      g_string_append (name, n_options++ == 0 ? " (" : " / ");
      g_string_append (name, option);
    }
  if (n_options > 0)
    g_string_append_c (name, ')');
  item->name = g_string_free (g_steal_pointer (&name), FALSE);
  item->price = cp_money_format_plain (sqlite3_column_int64 (stmt, 5),
                                       (const char *) sqlite3_column_text (stmt, 6));
  return TRUE;
}

static void
append_product_fields (GString           *body,
                       const ProductItem *item,
                       gboolean           with_price)
{
  g_string_append (body, "\"name\":");
  cp_connector_json_append_string (body, item->name);
  if (with_price)
    {
      g_string_append (body, ",\"price\":");
      g_string_append (body, item->price);
    }
  g_string_append (body, ",\"sku\":");
  cp_connector_json_append_string (body, item->sku);
}

static gboolean
map_variant (Ecomv2Push              *push,
             const ProductItem *item,
             const char        *product_id,
             GError           **error)
{
  g_autofree char *local = g_strdup_printf ("%" G_GINT64_FORMAT, item->variant_id);

  return cp_integrations_set_mapping (push->ledger, push->self->integration_id, ECOMV2_KIND_VARIANT,
                                      local, product_id, NULL, error);
}

/* A product the store does not have: POST /products. The platform has no
 * idempotency keys, so a create whose answer was lost is found again by
 * its SKU (409 conflict, then GET /products/{sku}) and updated instead of
 * created twice. */
static gboolean
create_product (Ecomv2Push         *push,
                ProductItem  *item,
                GError      **error)
{
  g_autoptr(GString) body = g_string_new ("{");
  g_auto(Ecomv2Response) response = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(Ecomv2Product) product = NULL;

  /* A new product needs a price to start from, whoever is the master
   * of prices afterwards. */
  append_product_fields (body, item, TRUE);
  g_string_append (body, ",\"status\":\"active\"}");

  if (ecomv2_send_for_job (push, item->job, "POST", "/products", body->str, &response, &local_error))
    {
      product = ecomv2_parse_product (response.root, error);
      if (product == NULL)
        {
          ecomv2_attach_exchange (error, &response);
          return FALSE;
        }
      return map_variant (push, item, product->id, error);
    }

  if (response.status == SOUP_STATUS_CONFLICT)
    {
      g_auto(Ecomv2Response) found = { 0 };
      g_autofree char *escaped = g_uri_escape_string (item->sku, NULL, TRUE);
      g_autofree char *path = g_strconcat ("/products/", escaped, NULL);

      g_clear_error (&local_error);
      if (!ecomv2_send_for_job (push, item->job, "GET", path, NULL, &found, &local_error))
        goto failed;
      product = ecomv2_parse_product (found.root, error);
      if (product == NULL)
        {
          ecomv2_attach_exchange (error, &found);
          return FALSE;
        }
      if (!map_variant (push, item, product->id, error))
        return FALSE;
      item->product_id = g_strdup (product->id);
      return TRUE;   /* the caller updates it like any mapped product */
    }

failed:
  if (ecomv2_is_record_error (local_error))
    {
      ecomv2_job_fail (push, item->job, g_steal_pointer (&local_error));
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
send_product_batch (Ecomv2Push     *push,
                    GArray   *items,
                    GError  **error)
{
  g_autoptr(GString) body = g_string_new ("{\"resources\":\"products\",\"updates\":[");
  g_autoptr(GArray) job_indices = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) update_skus = g_ptr_array_new ();

  for (guint i = 0; i < items->len; i++)
    {
      ProductItem *item = &g_array_index (items, ProductItem, i);

      if (i > 0)
        g_string_append_c (body, ',');
      g_string_append (body, "{\"id\":");
      cp_connector_json_append_string (body, item->product_id);
      g_string_append_c (body, ',');
      append_product_fields (body, item, item->send_price);
      g_string_append_c (body, '}');
      g_array_append_val (job_indices, item->job);
      g_ptr_array_add (update_skus, item->sku);
    }
  g_string_append (body, "]}");

  return ecomv2_send_batch (push, job_indices, job_indices, update_skus, FALSE, body->str, error);
}

gboolean
ecomv2_push_products (Ecomv2Push    *push,
                      GError **error)
{
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (ProductItem));
  g_autoptr(GArray) updates = g_array_new (FALSE, TRUE, sizeof (ProductItem));
  g_autoptr(GArray) variant_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) mapped = NULL;
  gboolean pos_prices = TRUE;

  g_array_set_clear_func (items, product_item_clear);

  if (!ecomv2_ensure_mapped (push, error))
    return FALSE;
  /* "master": {"price": "store"}: prices are set on the store. */
  if (!cp_stock_publish_pos_is_master (push->ledger, push->self->integration_id,
                                       CP_MASTER_FIELD_PRICE, &pos_prices, error))
    return FALSE;

  for (guint j = 0; j < push->jobs->len; j++)
    {
      ProductItem item = { j, ecomv2_payload_int (g_ptr_array_index (push->jobs, j), "variant_id"),
                           NULL, NULL, NULL, NULL, pos_prices };

      if (item.variant_id <= 0)
        {
          GError *local_error = NULL;

          cp_connector_set_error (&local_error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                                  _("This product change names no product variant."));
          ecomv2_job_fail (push, j, local_error);
          continue;
        }
      if (!read_product (push, &item, error))
        {
          product_item_clear (&item);
          return FALSE;
        }
      if (item.sku == NULL)
        {
          product_item_clear (&item);
          continue;
        }
      g_array_append_val (items, item);
      g_array_append_val (variant_ids, item.variant_id);
    }

  mapped = ecomv2_map_variants (push, variant_ids, error);
  if (mapped == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      ProductItem *item = &g_array_index (items, ProductItem, i);

      item->product_id = g_strdup (g_hash_table_lookup (mapped, &item->variant_id));
    }

  /* Creates one by one (each is its own request); then every product the
   * store has, in one batch (the engine gives at most 100 jobs). */
  for (guint i = 0; i < items->len; i++)
    {
      ProductItem *item = &g_array_index (items, ProductItem, i);

      /* create_product sets product_id when it found the SKU on the
       * store instead of creating it: then it is updated like the rest. */
      if (item->product_id == NULL && !create_product (push, item, error))
        return FALSE;
      if (item->product_id != NULL)
        g_array_append_val (updates, *item);
    }
  if (updates->len > 0 && !send_product_batch (push, updates, error))
    return FALSE;
  return TRUE;
}

/* ---- Order status ------------------------------------------------------ */

gboolean
ecomv2_push_order_status (Ecomv2Push    *push,
                          guint    index,
                          GError **error)
{
  CpOutboxJob *job = g_ptr_array_index (push->jobs, index);
  gint64 order_id = ecomv2_payload_int (job, "order_id");
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(GString) body = NULL;
  g_auto(Ecomv2Response) response = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *source = NULL, *external_id = NULL, *status = NULL;
  g_autofree char *escaped = NULL, *path = NULL;
  const char *remote;
  int rc;

  stmt = cp_ledger_prepare_cached (push->ledger,
                                   "SELECT source, external_id, status FROM orders WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  rc = cp_sql_step (push->ledger, stmt, _("Could not read the order"), error);
  if (rc == SQLITE_DONE)
    return TRUE;   /* gone: nothing to tell */
  if (rc != SQLITE_ROW)
    return FALSE;
  source = cp_sql_dup_text (stmt, 0);
  external_id = cp_sql_dup_text (stmt, 1);
  /* The status now, not the one in the payload: the latest wins. */
  status = cp_sql_dup_text (stmt, 2);
  g_clear_pointer (&stmt, sqlite3_reset);

  if (g_strcmp0 (source, push->self->integration_id) != 0 || external_id == NULL)
    {
      cp_connector_set_error (&local_error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                              _("This order did not come from this store, so its status "
                                "is not sent there."));
      ecomv2_job_fail (push, index, g_steal_pointer (&local_error));
      return TRUE;
    }
  remote = ecomv2_status_to_remote (status);
  if (remote == NULL)
    {
      cp_connector_set_error (&local_error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                              _("The store has no order status for “%s”. Change the order "
                                "on the store itself."), status);
      ecomv2_job_fail (push, index, g_steal_pointer (&local_error));
      return TRUE;
    }

  escaped = g_uri_escape_string (external_id, NULL, TRUE);
  path = g_strconcat ("/orders/", escaped, "/status", NULL);
  body = g_string_new ("{\"status\":");
  cp_connector_json_append_string (body, remote);
  g_string_append (body, ",\"note\":\"Updated in Counterpart\"}");

  if (ecomv2_send_for_job (push, index, "PATCH", path, body->str, &response, &local_error))
    return TRUE;
  if (ecomv2_is_record_error (local_error))
    {
      ecomv2_job_fail (push, index, g_steal_pointer (&local_error));
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
