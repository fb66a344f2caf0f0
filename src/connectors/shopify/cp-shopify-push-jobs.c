/* cp-shopify-push-jobs.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every push to Shopify shares: the jobs' payloads and failures,
 * the request announced to the engine before a byte of it is sent, the
 * @idempotent key derived from the jobs, the catalog matched once, and
 * the operation that hands a batch to stock (cp-shopify-push.c),
 * products (cp-shopify-push-products.c) or order status by its kind.
 */

#define G_LOG_DOMAIN "cp-shopify"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-sql.h"

#include "cp-shopify-private.h"

/* ---- Helpers ----------------------------------------------------------- */

gint64
shopify_payload_int (const CpOutboxJob *job,
                     const char        *member)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *prefix = g_strdup_printf ("{\"%s\":", member);
  JsonObject *obj;
  gint64 value = 0;

  /* The triggers write {"variant_id":N}: read that without a parser. */
  if (job->payload != NULL && g_str_has_prefix (job->payload, prefix))
    {
      const char *digits = job->payload + strlen (prefix);
      char *end = NULL;

      value = g_ascii_strtoll (digits, &end, 10);
      if (end != digits && (*end == '}' || *end == ',') && value > 0)
        return value;
    }
  if (job->payload == NULL || !json_parser_load_from_data (parser, job->payload, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return 0;
  obj = json_node_get_object (json_parser_get_root (parser));
  return shopify_get_int (obj, member, &value) && value > 0 ? value : 0;
}

const char *
shopify_payload_string (const CpOutboxJob  *job,
                        const char         *member,
                        JsonParser        **parser)
{
  *parser = json_parser_new_immutable ();
  if (job->payload == NULL || !json_parser_load_from_data (*parser, job->payload, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (*parser)))
    return NULL;
  return shopify_get_string (json_node_get_object (json_parser_get_root (*parser)), member);
}

void
shopify_job_fail (ShopifyPush *push,
                  guint        index,
                  GError      *error)
{
  GError **slot = (GError **) &push->results->pdata[index];

  if (*slot != NULL)
    g_error_free (error);
  else
    *slot = error;
}

char *
shopify_idempotency_key (ShopifyPush *push,
                         GArray      *job_indices)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; i < job_indices->len; i++)
    {
      CpOutboxJob *job = g_ptr_array_index (push->jobs, g_array_index (job_indices, guint, i));

      g_checksum_update (sum, (const guchar *) job->idempotency_key, -1);
      g_checksum_update (sum, (const guchar *) "\n", 1);
    }
  return g_strdup (g_checksum_get_string (sum));
}

gboolean
shopify_send_for_jobs (ShopifyPush      *push,
                       GArray           *job_indices,
                       const char       *field,
                       const char       *query,
                       JsonNode         *variables,
                       double            estimate,
                       ShopifyResponse  *out,
                       GError          **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_sized_new (job_indices->len);
  g_autofree char *vars = variables != NULL ? json_to_string (variables, FALSE) : NULL;
  g_autofree char *text = g_strconcat (query, "\n", vars ? vars : "", NULL);
  g_autofree char *print = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

  for (guint i = 0; i < job_indices->len; i++)
    g_ptr_array_add (jobs, g_ptr_array_index (push->jobs, g_array_index (job_indices, guint, i)));
  if (!cp_push_context_will_send (push->context, jobs, print, error))
    {
      json_node_unref (variables);
      return FALSE;
    }
  return shopify_graphql (push->self, field, query, variables, estimate, out, push->cancellable, error);
}

gboolean
shopify_ensure_mapped (ShopifyPush  *push,
                       GError      **error)
{
  g_autoptr(CpMappingReport) report = NULL;
  g_autofree char *sql = NULL;
  char *text;

  text = sqlite3_mprintf ("SELECT count(*) FROM integration_mappings WHERE integration_id = %Q "
                          "AND kind = 'inventory_item'", push->self->integration_id);
  sql = g_strdup (text);
  sqlite3_free (text);
  if (push->self->mapped_once || cp_sql_query_int (push->ledger, sql, 0) > 0)
    {
      push->self->mapped_once = TRUE;
      return TRUE;
    }
  report = shopify_refresh_mappings (CP_CONNECTOR (push->self), push->ledger, push->cancellable, error);
  return report != NULL;
}

char *
shopify_ids_to_json (GArray *ids)
{
  return cp_sql_ids_to_json ((const gint64 *) (gpointer) ids->data, ids->len, FALSE);
}

/* ---- The operation -------------------------------------------------------- */

gboolean
shopify_push (CpConnector   *connector,
              CpLedger      *ledger,
              CpPushContext *context,
              const char    *job_kind,
              GPtrArray     *jobs,
              GPtrArray     *out_errors,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new ();
  ShopifyPush push = { CP_SHOPIFY_CONNECTOR (connector), ledger, context, jobs, results, cancellable };
  gboolean ok;

  g_ptr_array_set_size (results, jobs->len);
  shopify_read_settings (push.self, ledger);

  if (g_str_equal (job_kind, CP_JOB_STOCK_PUSH))
    ok = shopify_push_stock (&push, error);
  else if (g_str_equal (job_kind, CP_JOB_PRODUCT_PUSH))
    ok = shopify_push_products (&push, error);
  else if (g_str_equal (job_kind, CP_JOB_ORDER_STATUS_PUSH))
    {
      ok = TRUE;
      for (guint i = 0; ok && i < jobs->len; i++)
        ok = shopify_push_order_status (&push, i, error);
    }
  else
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL,
                              _("This Shopify connection cannot send “%s” changes."), job_kind);
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
