/* cp-woocommerce-push-products.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Products and order statuses sent to WooCommerce: names, prices (when
 * the POS is their master) and seed 003's module fields as meta_data,
 * through the same batch endpoints as stock; a product the store lacks
 * looked for by SKU and created once; an order's status with
 * PUT orders/{id}.
 */

#define G_LOG_DOMAIN "cp-woocommerce"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-integrations.h"
#include "cp-money.h"
#include "cp-sql.h"
#include "cp-stock-publish.h"

#include "cp-woocommerce-private.h"

#define KIND_VARIANT "variant"

/* ---- Products ---------------------------------------------------------- */

typedef struct
{
  char   *sku;
  char   *name;
  char   *price;       /* "19.99", written from minor units */
  char   *module;
  char   *attributes;  /* JSON object text */
  gint64  product_id;
} LocalProduct;

static void
local_product_clear (LocalProduct *p)
{
  g_free (p->sku);
  g_free (p->name);
  g_free (p->price);
  g_free (p->module);
  g_free (p->attributes);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LocalProduct, local_product_clear)

static gboolean
read_product (WooPush       *push,
              gint64         variant_id,
              LocalProduct  *out,
              GError       **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(GString) name = NULL;
  guint n_options = 0;
  int rc;

  stmt = cp_ledger_prepare_cached (push->ledger,
                                   "SELECT v.sku, p.name, v.option1, v.option2, v.option3, "
                                   "v.price_minor, v.currency, p.module, v.attributes, p.id "
                                   "FROM variants v JOIN products p ON p.id = v.product_id "
                                   "WHERE v.id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, variant_id);
  rc = cp_sql_step (push->ledger, stmt, _("Could not read the catalog"), error);
  if (rc == SQLITE_DONE)
    return TRUE;   /* deleted since: out->sku stays NULL */
  if (rc != SQLITE_ROW)
    return FALSE;
  out->sku = cp_sql_dup_text (stmt, 0);
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
  out->name = g_string_free (g_steal_pointer (&name), FALSE);
  out->price = cp_money_format_plain (sqlite3_column_int64 (stmt, 5),
                                      (const char *) sqlite3_column_text (stmt, 6));
  out->module = cp_sql_dup_text (stmt, 7);
  out->attributes = cp_sql_dup_text (stmt, 8);
  out->product_id = sqlite3_column_int64 (stmt, 9);
  return TRUE;
}

/* Seed 003's module fields ride as meta_data, one entry per field plus
 * the module's name, so a theme or plugin can show them. */
static void
append_meta (GString            *out,
             const LocalProduct *p)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *obj = NULL;

  g_string_append (out, ",\"meta_data\":[{\"key\":\"counterpart_module\",\"value\":");
  woo_json_append_string (out, p->module != NULL ? p->module : "general");
  g_string_append_c (out, '}');
  if (p->attributes != NULL && json_parser_load_from_data (parser, p->attributes, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    obj = json_node_get_object (json_parser_get_root (parser));
  if (obj != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (obj);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *value = json_to_string (json_object_get_member (obj, l->data), FALSE);
          g_autofree char *key = g_strconcat ("counterpart_", (const char *) l->data, NULL);

          g_string_append (out, ",{\"key\":");
          woo_json_append_string (out, key);
          g_string_append (out, ",\"value\":");
          g_string_append (out, value);
          g_string_append_c (out, '}');
        }
    }
  g_string_append_c (out, ']');
}

static char *
product_json (gint64              remote_id,
              const LocalProduct *p,
              gboolean            variation,
              gboolean            price)
{
  GString *out = g_string_new ("{");

  if (remote_id > 0)
    g_string_append_printf (out, "\"id\":%" G_GINT64_FORMAT ",", remote_id);
  else
    g_string_append (out, "\"type\":\"simple\",\"manage_stock\":true,");
  g_string_append (out, "\"sku\":");
  woo_json_append_string (out, p->sku);
  /* A variation's name is its parent's and its attributes'. */
  if (!variation)
    {
      g_string_append (out, ",\"name\":");
      woo_json_append_string (out, p->name);
    }
  if (price)
    {
      g_string_append (out, ",\"regular_price\":");
      woo_json_append_string (out, p->price);
    }
  append_meta (out, p);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* A product the store lacks: looked for by SKU first (a create whose
 * answer was lost left it there), created otherwise, then mapped. */
static gboolean
create_product (WooPush       *push,
                guint          job,
                LocalProduct  *p,
                gint64         variant_id,
                gboolean       price,
                GError       **error)
{
  g_autofree char *escaped = g_uri_escape_string (p->sku, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/products?sku=%s", escaped);
  g_autofree char *local = g_strdup_printf ("%" G_GINT64_FORMAT, variant_id);
  g_autofree char *remote = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) woo_product_free);
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (WooItem));
  g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func ((GDestroyNotify) woo_item_result_free);
  g_auto(WooResponse) lookup = { 0 };
  g_auto(WooResponse) response = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *body = NULL;
  WooItem item = { job, 0, NULL, NULL };

  g_array_append_val (items, item);
  if (!woo_send_for_items (push, items, "GET", path, NULL, &lookup, error))
    return FALSE;
  if (!woo_parse_products (lookup.root, found, error))
    {
      woo_attach_exchange (error, &lookup);
      return FALSE;
    }
  if (found->len > 0)
    {
      WooProduct *w = g_ptr_array_index (found, 0);

      remote = g_strdup_printf ("%" G_GINT64_FORMAT, w->id);
    }
  else
    {
      g_autofree char *json = product_json (0, p, FALSE, TRUE);

      body = g_strdup_printf ("{\"create\":[%s]}", json);
      if (!woo_send_for_items (push, items, "POST", "/products/batch", body, &response, &local_error))
        {
          if (woo_is_record_error (local_error))
            {
              woo_job_fail (push, job, g_steal_pointer (&local_error));
              return TRUE;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!woo_parse_batch_results (response.root, "create", created, error) || created->len != 1)
        {
          if (error != NULL && *error == NULL)
            cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0, NULL,
                                    _("WooCommerce answered a product creation without the product."));
          woo_attach_exchange (error, &response);
          return FALSE;
        }
      if (!((WooItemResult *) g_ptr_array_index (created, 0))->ok)
        {
          woo_job_fail (push, job, woo_item_error (g_ptr_array_index (created, 0), FALSE, p->sku,
                                           woo_response_get_exchange (&response)));
          return TRUE;
        }
      remote = g_strdup_printf ("%" G_GINT64_FORMAT, ((WooItemResult *) g_ptr_array_index (created, 0))->id);
    }
  return cp_integrations_set_mapping (push->ledger, push->self->integration_id, KIND_VARIANT,
                                      local, remote, NULL, error);
}

gboolean
woo_push_products (WooPush  *push,
                   GError  **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) mapped = NULL;
  g_auto(WooGrouped) grouped = { 0 };
  gboolean price = TRUE;

  woo_grouped_init (&grouped);
  if (!woo_ensure_mapped (push, error) ||
      !cp_stock_publish_pos_is_master (push->ledger, push->self->integration_id,
                                       CP_MASTER_FIELD_PRICE, &price, error))
    return FALSE;
  for (guint j = 0; j < push->jobs->len; j++)
    {
      gint64 id = woo_payload_int (g_ptr_array_index (push->jobs, j), "variant_id");

      g_array_append_val (ids, id);
    }
  mapped = woo_map_variants (push, (const gint64 *) ids->data, ids->len, error);
  if (mapped == NULL)
    return FALSE;

  for (guint j = 0; j < ids->len; j++)
    {
      gint64 id = g_array_index (ids, gint64, j);
      g_auto(LocalProduct) p = { 0 };
      const char *remote = g_hash_table_lookup (mapped, &id);
      gint64 parent = 0, remote_id = 0;
      gboolean excluded = FALSE;
      WooItem item = { j, 0, NULL, NULL };

      if (id <= 0)
        {
          GError *local_error = NULL;

          cp_connector_set_error (&local_error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                                  _("This product change names no product variant."));
          woo_job_fail (push, j, local_error);
          continue;
        }
      if (!read_product (push, id, &p, error))
        return FALSE;
      /* Opted out of this store: nothing of it is sent there. */
      if (p.sku != NULL &&
          !cp_stock_publish_is_excluded (push->ledger, push->self->integration_id, p.product_id,
                                         &excluded, error))
        return FALSE;
      if (p.sku == NULL || excluded)
        continue;
      if (remote == NULL || !woo_split_remote_id (remote, &parent, &remote_id))
        {
          if (!create_product (push, j, &p, id, price, error))
            return FALSE;
          continue;
        }
      item.remote_id = remote_id;
      item.sku = g_strdup (p.sku);
      item.json = product_json (remote_id, &p, parent > 0, price);
      woo_grouped_add (&grouped, parent, &item);
    }
  return woo_send_grouped (push, &grouped, FALSE, error);
}

/* ---- Order status ------------------------------------------------------ */

gboolean
woo_push_order_status (WooPush  *push,
                       guint     index,
                       GError  **error)
{
  CpOutboxJob *job = g_ptr_array_index (push->jobs, index);
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (WooItem));
  g_auto(WooResponse) response = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *source = NULL, *external_id = NULL, *status = NULL;
  g_autofree char *path = NULL, *body = NULL;
  WooItem item = { index, 0, NULL, NULL };
  const char *remote;
  gint64 order_number;
  int rc;

  stmt = cp_ledger_prepare_cached (push->ledger,
                                   "SELECT source, external_id, status FROM orders WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, woo_payload_int (job, "order_id"));
  rc = cp_sql_step (push->ledger, stmt, _("Could not read the order"), error);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return FALSE;
  source = cp_sql_dup_text (stmt, 0);
  external_id = cp_sql_dup_text (stmt, 1);
  status = cp_sql_dup_text (stmt, 2);   /* now, not the payload's: the latest wins */
  g_clear_pointer (&stmt, sqlite3_reset);

  if (g_strcmp0 (source, push->self->integration_id) != 0 || external_id == NULL ||
      !g_ascii_string_to_signed (external_id, 10, 1, G_MAXINT64, &order_number, NULL))
    {
      cp_connector_set_error (&local_error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                              _("This order did not come from this WooCommerce store, so its "
                                "status is not sent there."));
      woo_job_fail (push, index, g_steal_pointer (&local_error));
      return TRUE;
    }
  remote = woo_status_to_remote (status);
  if (remote == NULL)
    {
      cp_connector_set_error (&local_error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                              _("WooCommerce has no order status for “%s”. Change the order in "
                                "WooCommerce itself."), status);
      woo_job_fail (push, index, g_steal_pointer (&local_error));
      return TRUE;
    }

  path = g_strdup_printf ("/orders/%" G_GINT64_FORMAT, order_number);
  body = g_strdup_printf ("{\"status\":\"%s\"}", remote);
  g_array_append_val (items, item);
  if (woo_send_for_items (push, items, "PUT", path, body, &response, &local_error))
    return TRUE;
  if (woo_is_record_error (local_error))
    {
      woo_job_fail (push, index, g_steal_pointer (&local_error));
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
