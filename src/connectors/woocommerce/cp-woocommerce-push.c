/* cp-woocommerce-push.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the connector sends: stock, products and order statuses, read from
 * the ledger at the moment of sending (a job names what changed, not the
 * value), so a job that waited sends the latest.
 *
 * Stock is an absolute stock_quantity, the published availability that
 * core computes (cp-stock-publish.h), through products/batch for simple
 * products and products/{id}/variations/batch for each product's
 * variations: WooCommerce refuses variations in products/batch and has no
 * batch across products. Every request holds at most 100 items, is
 * announced to the engine before its first byte, and a refused item is
 * its job's error alone. WooCommerce keeps one stock per product, so the
 * quantities of every ledger location published to it add up.
 */

#define G_LOG_DOMAIN "cp-woocommerce"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-catalog.h"
#include "cp-integrations.h"
#include "cp-money.h"
#include "cp-sql.h"
#include "cp-stock-publish.h"

#include "cp-woocommerce-private.h"

#define KIND_VARIANT "variant"



void
woo_item_clear (gpointer data)
{
  WooItem *item = data;

  g_free (item->sku);
  g_free (item->json);
}

void
woo_job_fail (WooPush *push,
              guint    index,
              GError  *error)
{
  GError **slot = (GError **) &push->results->pdata[index];

  if (*slot != NULL)
    g_error_free (error);
  else
    *slot = error;
}

gboolean
woo_is_record_error (const GError *error)
{
  return error->domain == CP_CONNECTOR_ERROR &&
         (error->code == CP_CONNECTOR_ERROR_INVALID_DATA || error->code == CP_CONNECTOR_ERROR_NOT_FOUND);
}

gint64
woo_payload_int (const CpOutboxJob *job,
                 const char        *member)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root, *node;

  if (job->payload == NULL || !json_parser_load_from_data (parser, job->payload, -1, NULL))
    return 0;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  node = json_object_get_member (json_node_get_object (root), member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

/* Announces and sends one request for the jobs of ITEMS. */
gboolean
woo_send_for_items (WooPush      *push,
                    GArray       *items,
                    const char   *method,
                    const char   *path,
                    const char   *body,
                    WooResponse  *response,
                    GError      **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new ();
  g_autofree char *text = g_strconcat (method, " ", path, "\n", body ? body : "", NULL);
  g_autofree char *print = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

  for (guint i = 0; i < items->len; i++)
    {
      CpOutboxJob *job = g_ptr_array_index (push->jobs, g_array_index (items, WooItem, i).job);

      if (jobs->len == 0 || g_ptr_array_index (jobs, jobs->len - 1) != job)
        g_ptr_array_add (jobs, job);
    }
  if (!cp_push_context_will_send (push->context, jobs, print, error))
    return FALSE;
  return woo_http_call (push->self, method, path, body, response, push->cancellable, error);
}

gboolean
woo_ensure_mapped (WooPush  *push,
                   GError  **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(CpMappingReport) report = NULL;
  int rc;

  if (push->self->mapped_once)
    return TRUE;
  stmt = cp_ledger_prepare_cached (push->ledger,
                                   "SELECT 1 FROM integration_mappings "
                                   "WHERE integration_id = ?1 AND kind = '" KIND_VARIANT "' LIMIT 1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  cp_sql_bind_text (stmt, 1, push->self->integration_id);
  rc = cp_sql_step (push->ledger, stmt, _("Could not read the mappings"), error);
  g_clear_pointer (&stmt, sqlite3_reset);
  if (rc == SQLITE_ROW)
    {
      push->self->mapped_once = TRUE;
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return FALSE;
  /* Never matched: a push now would find nothing mapped. */
  report = woo_refresh_mappings (CP_CONNECTOR (push->self), push->ledger, push->cancellable, error);
  return report != NULL;
}

/* variant id → remote id ("93" or "22/732") for VARIANT_IDS. */
GHashTable *
woo_map_variants (WooPush       *push,
                  const gint64  *ids,
                  guint          n,
                  GError       **error)
{
  g_autoptr(GHashTable) map = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  stmt = cp_ledger_prepare_cached (push->ledger,
                                   "SELECT local_id, remote_id FROM integration_mappings "
                                   "WHERE integration_id = ?1 AND kind = '" KIND_VARIANT "' "
                                   "AND local_id IN (SELECT value FROM json_each (?2))",
                                   error);
  if (stmt == NULL)
    return NULL;
  cp_sql_bind_text (stmt, 1, push->self->integration_id);
  cp_sql_bind_ids (stmt, 2, ids, n, TRUE);
  while ((rc = cp_sql_step (push->ledger, stmt, _("Could not read the mappings"), error)) == SQLITE_ROW)
    {
      gint64 id = g_ascii_strtoll ((const char *) sqlite3_column_text (stmt, 0), NULL, 10);

      g_hash_table_insert (map, g_memdup2 (&id, sizeof id), cp_sql_dup_text (stmt, 1));
    }
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&map);
}

/* "22/732" → parent 22, id 732; "93" → parent 0, id 93. */
gboolean
woo_split_remote_id (const char *remote,
                     gint64     *out_parent,
                     gint64     *out_id)
{
  const char *slash = strchr (remote, '/');

  *out_parent = 0;
  if (slash != NULL)
    {
      g_autofree char *parent = g_strndup (remote, slash - remote);

      if (!g_ascii_string_to_signed (parent, 10, 1, G_MAXINT64, out_parent, NULL))
        return FALSE;
      remote = slash + 1;
    }
  return g_ascii_string_to_signed (remote, 10, 1, G_MAXINT64, out_id, NULL);
}

GError *
woo_item_error (const WooItemResult *result,
                gboolean             stock,
                const char          *sku,
                const char          *exchange)
{
  GError *error = NULL;
  /* An id the store no longer has: deleted or trashed there. */
  gboolean gone = g_strcmp0 (result->code, "woocommerce_rest_product_invalid_id") == 0 ||
                  g_strcmp0 (result->code, "woocommerce_rest_product_variation_invalid_id") == 0;
  CpConnectorError code = gone ? CP_CONNECTOR_ERROR_NOT_FOUND : CP_CONNECTOR_ERROR_INVALID_DATA;

  if (gone)
    cp_connector_set_error (&error, code, 0, exchange,
                            _("WooCommerce no longer has the product %s (%s). If it was deleted "
                              "there on purpose, exclude it from this store; otherwise restore "
                              "it from the trash and match the products again."),
                            sku, result->message ? result->message : result->code);
  else if (stock)
    cp_connector_set_error (&error, code, 0, exchange,
                            _("WooCommerce refused the stock of %s (%s: %s). Check the product "
                              "in WooCommerce."), sku, result->code ? result->code : "error",
                            result->message ? result->message : "");
  else
    cp_connector_set_error (&error, code, 0, exchange,
                            _("WooCommerce refused the product %s (%s: %s). Check the product "
                              "in WooCommerce."), sku, result->code ? result->code : "error",
                            result->message ? result->message : "");
  return error;
}

/* One batch request of ITEMS (≤ 100) to PATH, action "update" or
 * "create"; each result goes to its item's job. */
static gboolean
send_batch (WooPush     *push,
            const char  *path,
            const char  *action,
            GArray      *items,
            gboolean     stock,
            GError     **error)
{
  g_autoptr(GString) body = g_string_new ("{\"");
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) woo_item_result_free);
  g_auto(WooResponse) response = { 0 };
  g_autoptr(GError) local_error = NULL;

  g_assert (items->len <= CP_WOOCOMMERCE_MAX_BATCH);
  g_string_append_printf (body, "%s\":[", action);
  for (guint i = 0; i < items->len; i++)
    g_string_append_printf (body, "%s%s", i ? "," : "", g_array_index (items, WooItem, i).json);
  g_string_append (body, "]}");

  if (!woo_send_for_items (push, items, "POST", path, body->str, &response, &local_error))
    {
      /* A refusal of the whole request names no item: alone, the item
       * is the culprit; otherwise the engine splits the batch to find it. */
      if (items->len == 1 && woo_is_record_error (local_error))
        {
          woo_job_fail (push, g_array_index (items, WooItem, 0).job, g_steal_pointer (&local_error));
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!woo_parse_batch_results (response.root, action, results, error))
    {
      woo_attach_exchange (error, &response);
      return FALSE;
    }
  if (results->len != items->len)
    {
      /* Whose result is whose cannot be told: all is retried, which
       * absolute quantities make harmless. */
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0,
                              woo_response_get_exchange (&response),
                              _("WooCommerce answered %u results for %u changes."),
                              results->len, items->len);
      return FALSE;
    }
  for (guint i = 0; i < results->len; i++)
    {
      WooItemResult *result = g_ptr_array_index (results, i);
      WooItem *item = &g_array_index (items, WooItem, i);

      if (!result->ok)
        woo_job_fail (push, item->job, woo_item_error (result, stock, item->sku,
                                               woo_response_get_exchange (&response)));
    }
  return TRUE;
}

/* Sends ITEMS in requests of at most 100 to PATH. */
static gboolean
send_in_batches (WooPush     *push,
                 const char  *path,
                 const char  *action,
                 GArray      *items,
                 gboolean     stock,
                 GError     **error)
{
  for (guint first = 0; first < items->len; first += CP_WOOCOMMERCE_MAX_BATCH)
    {
      guint n = MIN (CP_WOOCOMMERCE_MAX_BATCH, items->len - first);
      g_autoptr(GArray) chunk = g_array_sized_new (FALSE, FALSE, sizeof (WooItem), n);

      g_array_append_vals (chunk, &g_array_index (items, WooItem, first), n);
      if (!send_batch (push, path, action, chunk, stock, error))
        return FALSE;
    }
  return TRUE;
}


void
woo_grouped_init (WooGrouped *g)
{
  g->simple = g_array_new (FALSE, TRUE, sizeof (WooItem));
  g_array_set_clear_func (g->simple, woo_item_clear);
  g->variations = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                         (GDestroyNotify) g_array_unref);
  g->parents = g_array_new (FALSE, FALSE, sizeof (gint64));
}

void
woo_grouped_clear (WooGrouped *g)
{
  g_clear_pointer (&g->simple, g_array_unref);
  g_clear_pointer (&g->variations, g_hash_table_unref);
  g_clear_pointer (&g->parents, g_array_unref);
}


void
woo_grouped_add (WooGrouped *g,
                 gint64      parent,
                 WooItem    *item)   /* taken */
{
  GArray *target = g->simple;

  if (parent > 0)
    {
      target = g_hash_table_lookup (g->variations, &parent);
      if (target == NULL)
        {
          target = g_array_new (FALSE, TRUE, sizeof (WooItem));
          g_array_set_clear_func (target, woo_item_clear);
          g_hash_table_insert (g->variations, g_memdup2 (&parent, sizeof parent), target);
          g_array_append_val (g->parents, parent);
        }
    }
  g_array_append_val (target, *item);
}

gboolean
woo_send_grouped (WooPush     *push,
                  WooGrouped  *g,
                  gboolean     stock,
                  GError     **error)
{
  if (g->simple->len > 0 && !send_in_batches (push, "/products/batch", "update", g->simple, stock, error))
    return FALSE;
  for (guint p = 0; p < g->parents->len; p++)
    {
      gint64 parent = g_array_index (g->parents, gint64, p);
      g_autofree char *path = g_strdup_printf ("/products/%" G_GINT64_FORMAT "/variations/batch", parent);

      if (!send_in_batches (push, path, "update", g_hash_table_lookup (g->variations, &parent),
                            stock, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- Stock ------------------------------------------------------------- */

static gboolean
push_stock (WooPush  *push,
            GError  **error)
{
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), push->jobs->len);
  g_autoptr(GPtrArray) published = NULL;
  g_autoptr(GHashTable) mapped = NULL;
  g_autoptr(GHashTable) quantity = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GHashTable) skus = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_auto(WooGrouped) grouped = { 0 };
  g_autoptr(GError) local_error = NULL;

  woo_grouped_init (&grouped);
  if (!woo_ensure_mapped (push, error))
    return FALSE;

  for (guint j = 0; j < push->jobs->len; j++)
    {
      gint64 id = woo_payload_int (g_ptr_array_index (push->jobs, j), "variant_id");

      if (id <= 0)
        {
          GError *job_error = NULL;

          cp_connector_set_error (&job_error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                                  _("This stock change names no product variant."));
          woo_job_fail (push, j, job_error);
        }
      g_array_append_val (ids, id);
    }
  published = cp_stock_publish_compute (push->ledger, push->self->integration_id,
                                        (const gint64 *) ids->data, ids->len, &local_error);
  if (published == NULL)
    {
      /* Several shop locations, none linked: WooCommerce has no
       * locations to name, so say what to type for it. */
      if (g_error_matches (local_error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_CONFIG))
        {
          g_clear_error (&local_error);
          cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL,
                                  _("WooCommerce keeps one stock per product, and the shop has "
                                    "several locations: say which of them sell online, for "
                                    "example with counterpart-cli integration map %s "
                                    "--location MAIN=store (the stock of every location linked "
                                    "adds up in WooCommerce)."),
                                  push->self->integration_id);
          return FALSE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  mapped = woo_map_variants (push, (const gint64 *) ids->data, ids->len, error);
  if (mapped == NULL)
    return FALSE;

  /* One stock per product: every published location adds up. */
  for (guint i = 0; i < published->len; i++)
    {
      CpStockPublished *p = g_ptr_array_index (published, i);
      gint64 *sum = g_hash_table_lookup (quantity, &p->variant_id);

      if (sum == NULL)
        {
          sum = g_new0 (gint64, 1);
          g_hash_table_insert (quantity, g_memdup2 (&p->variant_id, sizeof p->variant_id), sum);
          g_hash_table_insert (skus, &p->variant_id, p->sku);
        }
      *sum += p->quantity;
    }

  for (guint j = 0; j < ids->len; j++)
    {
      gint64 id = g_array_index (ids, gint64, j);
      const char *remote = g_hash_table_lookup (mapped, &id);
      gint64 *sum = g_hash_table_lookup (quantity, &id);
      gint64 parent, remote_id;
      WooItem item = { j, 0, NULL, NULL };

      /* Not on this store, not published here, or a job for a variant
       * seen already in this batch: nothing (more) to send. */
      if (id <= 0 || remote == NULL || sum == NULL || !woo_split_remote_id (remote, &parent, &remote_id))
        continue;
      item.remote_id = remote_id;
      item.sku = g_strdup (g_hash_table_lookup (skus, &id));
      {
        GString *json = g_string_sized_new (64);

        g_string_append (json, "{\"id\":");
        cp_sql_append_int64 (json, remote_id);
        g_string_append (json, ",\"manage_stock\":true,\"stock_quantity\":");
        cp_sql_append_int64 (json, *sum);
        g_string_append_c (json, '}');
        item.json = g_string_free (json, FALSE);
      }
      g_hash_table_remove (quantity, &id);
      woo_grouped_add (&grouped, parent, &item);
    }
  return woo_send_grouped (push, &grouped, TRUE, error);
}

/* ---- Reading the store's stock (reconciliation) ---------------------- */

/* GET LIST_PATH?include=… for IDS (≤ 100), quantities into FOUND (remote
 * id → gint64*), only where the store manages the stock. */
static gboolean
read_quantities (CpWoocommerceConnector  *self,
                 const char              *list_path,
                 GArray                  *ids,
                 GHashTable              *found,
                 GCancellable            *cancellable,
                 GError                 **error)
{
  for (guint first = 0; first < ids->len; first += CP_WOOCOMMERCE_MAX_PAGE)
    {
      g_autoptr(GString) path = g_string_new (list_path);
      g_autoptr(GPtrArray) products = g_ptr_array_new_with_free_func ((GDestroyNotify) woo_product_free);
      g_auto(WooResponse) response = { 0 };
      guint n = MIN (CP_WOOCOMMERCE_MAX_PAGE, ids->len - first);

      g_string_append_printf (path, "?per_page=%u&include=", n);
      for (guint i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append (path, "%2C");
          cp_sql_append_int64 (path, g_array_index (ids, gint64, first + i));
        }
      if (!woo_http_call (self, "GET", path->str, NULL, &response, cancellable, error))
        return FALSE;
      if (!woo_parse_products (response.root, products, error))
        {
          woo_attach_exchange (error, &response);
          return FALSE;
        }
      for (guint i = 0; i < products->len; i++)
        {
          WooProduct *p = g_ptr_array_index (products, i);

          if (p->manage_stock && p->stock_quantity >= 0)
            g_hash_table_insert (found, g_memdup2 (&p->id, sizeof p->id),
                                 g_memdup2 (&p->stock_quantity, sizeof p->stock_quantity));
        }
    }
  return TRUE;
}

gboolean
woo_read_stock (CpConnector   *connector,
                CpLedger      *ledger,
                GPtrArray     *wanted,
                GPtrArray     *out_found,
                GCancellable  *cancellable,
                GError       **error)
{
  CpWoocommerceConnector *self = CP_WOOCOMMERCE_CONNECTOR (connector);
  WooPush push = { self, ledger, NULL, NULL, NULL, cancellable };
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) simple = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) by_parent = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                           (GDestroyNotify) g_array_unref);
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GHashTable) mapped = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (!woo_apply_settings (self, ledger, error))
    return FALSE;
  for (guint i = 0; i < wanted->len; i++)
    g_array_append_val (ids, ((CpStockPublished *) g_ptr_array_index (wanted, i))->variant_id);
  mapped = woo_map_variants (&push, (const gint64 *) ids->data, ids->len, error);
  if (mapped == NULL)
    return FALSE;

  /* Simple products in one list, each product's variations in its own:
   * the store lists variations only under their product. */
  g_hash_table_iter_init (&iter, mapped);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 parent, remote_id;
      GArray *target = simple;

      if (!woo_split_remote_id (value, &parent, &remote_id))
        continue;
      if (parent > 0)
        {
          target = g_hash_table_lookup (by_parent, &parent);
          if (target == NULL)
            {
              target = g_array_new (FALSE, FALSE, sizeof (gint64));
              g_hash_table_insert (by_parent, g_memdup2 (&parent, sizeof parent), target);
            }
        }
      g_array_append_val (target, remote_id);
    }
  if (!read_quantities (self, "/products", simple, found, cancellable, error))
    return FALSE;
  g_hash_table_iter_init (&iter, by_parent);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *path = g_strdup_printf ("/products/%" G_GINT64_FORMAT "/variations",
                                               *(gint64 *) key);

      if (!read_quantities (self, path, value, found, cancellable, error))
        return FALSE;
    }

  /* One stock per product on WooCommerce: every location asked about
   * reads the same quantity. */
  for (guint i = 0; i < wanted->len; i++)
    {
      CpStockPublished *w = g_ptr_array_index (wanted, i);
      const char *remote = g_hash_table_lookup (mapped, &w->variant_id);
      gint64 parent, remote_id;
      gint64 *quantity;
      CpStockPublished *f;

      if (remote == NULL || !woo_split_remote_id (remote, &parent, &remote_id) ||
          (quantity = g_hash_table_lookup (found, &remote_id)) == NULL)
        continue;
      f = g_new0 (CpStockPublished, 1);
      f->variant_id = w->variant_id;
      f->sku = g_strdup (w->sku);
      f->location = g_strdup (w->location);
      f->quantity = *quantity;
      g_ptr_array_add (out_found, f);
    }
  return TRUE;
}

/* ---- The operation ----------------------------------------------------- */

gboolean
woo_push (CpConnector    *connector,
          CpLedger       *ledger,
          CpPushContext  *context,
          const char     *job_kind,
          GPtrArray      *jobs,
          GPtrArray      *out_errors,
          GCancellable   *cancellable,
          GError        **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new ();
  WooPush push = { CP_WOOCOMMERCE_CONNECTOR (connector), ledger, context, jobs, results, cancellable };
  gboolean ok;

  g_ptr_array_set_size (results, jobs->len);
  if (!woo_apply_settings (push.self, ledger, error))
    return FALSE;
  if (g_str_equal (job_kind, CP_JOB_STOCK_PUSH))
    ok = push_stock (&push, error);
  else if (g_str_equal (job_kind, CP_JOB_PRODUCT_PUSH))
    ok = woo_push_products (&push, error);
  else if (g_str_equal (job_kind, CP_JOB_ORDER_STATUS_PUSH))
    {
      ok = TRUE;
      for (guint i = 0; ok && i < jobs->len; i++)
        ok = woo_push_order_status (&push, i, error);
    }
  else
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL,
                              _("This WooCommerce connection cannot send “%s” changes."), job_kind);
      ok = FALSE;
    }

  if (!ok)
    {
      for (guint i = 0; i < results->len; i++)
        g_clear_error ((GError **) &results->pdata[i]);
      return FALSE;
    }
  for (guint i = 0; i < results->len; i++)
    g_ptr_array_add (out_errors, g_steal_pointer (&results->pdata[i]));
  return TRUE;
}
