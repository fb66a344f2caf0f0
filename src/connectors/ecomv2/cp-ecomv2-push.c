/* cp-ecomv2-push.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the connector sends: stock, products and order statuses, each read
 * from the ledger at the moment of sending (a job names what changed, not
 * the value), so a job that waited out a rate limit sends the latest.
 *
 * Stock goes as absolute available quantities per warehouse through
 * PATCH /batch/update (platforms.md §8), which makes a resend after a
 * crash harmless; the batch's per-update results isolate one refused
 * record from the others. Every request is announced to the engine
 * (cp_push_context_will_send) before its first byte.
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

/* ---- Helpers ----------------------------------------------------------- */

gint64
ecomv2_payload_int (const CpOutboxJob *job,
                    const char        *member)
{
  g_autoptr(JsonParser) parser = NULL;
  gsize member_len = strlen (member);
  JsonNode *root, *node;

  /* The triggers write json_object ('variant_id', N): read that without
   * a parser (nor a printf of the prefix), as a push reads a hundred of
   * them per request. */
  if (job->payload != NULL && job->payload[0] == '{' && job->payload[1] == '"' &&
      strncmp (job->payload + 2, member, member_len) == 0 &&
      job->payload[2 + member_len] == '"' && job->payload[3 + member_len] == ':')
    {
      const char *digits = job->payload + 4 + member_len;
      char *end = NULL;
      gint64 value = g_ascii_strtoll (digits, &end, 10);

      if (end != digits && (*end == '}' || *end == ',') && value > 0)
        return value;
    }

  parser = json_parser_new_immutable ();
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

void
ecomv2_job_fail (Ecomv2Push       *push,
                 guint       index,
                 GError     *error)
{
  GError **slot = (GError **) &push->results->pdata[index];

  if (*slot != NULL)
    g_error_free (error);
  else
    *slot = error;
}

/* What tells one request from another: a resend after a crash reuses
 * the idempotency key only when its fingerprint is the one announced
 * before. Our own requests, never compared with anybody else's: MD5
 * tells apart what this connector writes as well as SHA-256 does, at a
 * sixth of the cost (GLib's SHA-256 took 2,700 instructions per pushed
 * item, a twentieth of the engine's). A job announced with a SHA-256
 * fingerprint by an earlier version differs from its resend's, so it
 * takes a new key, as a changed request does. */
static char *
fingerprint (const char *method,
             const char *path,
             const char *body)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);

  g_checksum_update (checksum, (const guchar *) method, -1);
  g_checksum_update (checksum, (const guchar *) " ", 1);
  g_checksum_update (checksum, (const guchar *) path, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  if (body != NULL)
    g_checksum_update (checksum, (const guchar *) body, -1);
  return g_strdup (g_checksum_get_string (checksum));
}

/* Errors that concern the record and not the request as a whole. */
gboolean
ecomv2_is_record_error (const GError *error)
{
  return error->domain == CP_CONNECTOR_ERROR &&
         (error->code == CP_CONNECTOR_ERROR_INVALID_DATA ||
          error->code == CP_CONNECTOR_ERROR_NOT_FOUND);
}

/* Announces (unless the push announced its requests together) and sends
 * one request for JOB_INDICES (guint, into push->jobs). */
gboolean
ecomv2_send_for_jobs (Ecomv2Push            *push,
                      GArray          *job_indices,
                      const char      *method,
                      const char      *path,
                      const char      *body,
                      Ecomv2Response  *response,
                      GError         **error)
{
  if (!push->announced)
    {
      g_autoptr(GPtrArray) jobs = g_ptr_array_sized_new (job_indices->len);
      g_autofree char *print = fingerprint (method, path, body);

      for (guint i = 0; i < job_indices->len; i++)
        g_ptr_array_add (jobs, g_ptr_array_index (push->jobs,
                                                  g_array_index (job_indices, guint, i)));
      if (!cp_push_context_will_send (push->context, jobs, print, error))
        return FALSE;
    }
  return ecomv2_http_call (push->self, method, path, body, response, push->cancellable, error);
}

gboolean
ecomv2_send_for_job (Ecomv2Push            *push,
                     guint            index,
                     const char      *method,
                     const char      *path,
                     const char      *body,
                     Ecomv2Response  *response,
                     GError         **error)
{
  g_autoptr(GArray) one = g_array_new (FALSE, FALSE, sizeof (guint));

  g_array_append_val (one, index);
  return ecomv2_send_for_jobs (push, one, method, path, body, response, error);
}

gboolean
ecomv2_ensure_mapped (Ecomv2Push     *push,
                      GError  **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(CpMappingReport) report = NULL;
  gboolean any;

  if (push->self->mapped_once)
    return TRUE;

  stmt = cp_ledger_prepare_cached (push->ledger,
                                   "SELECT 1 FROM integration_mappings "
                                   "WHERE integration_id = ?1 AND kind = 'variant' LIMIT 1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  cp_sql_bind_text (stmt, 1, push->self->integration_id);
  any = cp_sql_step (push->ledger, stmt, _("Could not read the mappings"), error) == SQLITE_ROW;
  g_clear_pointer (&stmt, sqlite3_reset);
  if (error != NULL && *error != NULL)
    return FALSE;
  if (any)
    {
      push->self->mapped_once = TRUE;
      return TRUE;
    }

  /* Never matched: a push now would find nothing mapped and send nothing.
   * Match first (a catalog read, which needs no permission). */
  report = ecomv2_refresh_mappings (CP_CONNECTOR (push->self), push->ledger,
                                    push->cancellable, error);
  return report != NULL;
}

GHashTable *
ecomv2_map_variants (Ecomv2Push  *push,
                     GArray      *variant_ids,
                     GError     **error)
{
  g_autoptr(GHashTable) map = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  const char *what;
  int rc;

  stmt = cp_ledger_prepare_cached (push->ledger,
                                   "SELECT local_id, remote_id FROM integration_mappings "
                                   "WHERE integration_id = ?1 AND kind = '" ECOMV2_KIND_VARIANT "' "
                                   "AND local_id IN (SELECT value FROM json_each (?2))",
                                   error);
  if (stmt == NULL)
    return NULL;
  cp_sql_bind_text (stmt, 1, push->self->integration_id);
  cp_sql_bind_ids (stmt, 2, (const gint64 *) (gpointer) variant_ids->data, variant_ids->len, TRUE);
  /* Translated once, not on every row. */
  what = _("Could not read the mappings");
  while ((rc = cp_sql_step (push->ledger, stmt, what, error)) == SQLITE_ROW)
    {
      gint64 id = g_ascii_strtoll ((const char *) sqlite3_column_text (stmt, 0), NULL, 10);

      g_hash_table_insert (map, g_memdup2 (&id, sizeof id), cp_sql_dup_text (stmt, 1));
    }
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&map);
}

/* ---- Stock ------------------------------------------------------------- */

/* A job's published quantities: PUBLISHED[FIRST, FIRST + COUNT). */
typedef struct
{
  guint       job;
  const char *product_id;  /* the remote id of PUBLISHED[FIRST] */
  guint       first;
  guint       count;
} StockItem;

static void
append_update (GString    *body,
               const char *product_id,
               gint64      stock,
               const char *warehouse)
{
  if (body->str[body->len - 1] != '[')
    g_string_append_c (body, ',');
  g_string_append (body, "{\"id\":");
  cp_connector_json_append_string (body, product_id);
  g_string_append (body, ",\"stock\":");
  cp_sql_append_int64 (body, stock);
  if (warehouse != NULL)
    {
      g_string_append (body, ",\"location\":");
      cp_connector_json_append_string (body, warehouse);
    }
  g_string_append_c (body, '}');
}

static GError *
ecomv2_item_error (const Ecomv2ItemResult *result,
                   gboolean                stock,
                   const char             *sku,
                   const char             *exchange)
{
  GError *error = NULL;
  gboolean gone = g_strcmp0 (result->code, "not_found") == 0;
  CpConnectorError code = gone ? CP_CONNECTOR_ERROR_NOT_FOUND : CP_CONNECTOR_ERROR_INVALID_DATA;
  const char *reason = result->code ? result->code : "failed";
  const char *message = result->message ? result->message : "";

  if (stock)
    cp_connector_set_error (&error, code, 0, exchange,
                            _("The store refused the stock of %s (%s: %s). Check the product "
                              "on the store."), sku ? sku : "?", reason, message);
  else
    cp_connector_set_error (&error, code, 0, exchange,
                            _("The store refused the name or price of %s (%s: %s). Check the "
                              "product on the store."), sku ? sku : "?", reason, message);
  return error;
}

/* Sends one PATCH /batch/update for the jobs JOB_INDICES. UPDATE_JOBS
 * and UPDATE_SKUS give each update's job and SKU, in the body's order:
 * the platform answers a result per update, and a refused update is its
 * job's error alone. */
gboolean
ecomv2_send_batch (Ecomv2Push        *push,
                   GArray      *job_indices,
                   GArray      *update_jobs,
                   GPtrArray   *update_skus,
                   gboolean     stock,
                   const char  *body,
                   GError     **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) ecomv2_item_result_free);
  /* The answer is read straight into RESULTS below, without a tree. */
  g_auto(Ecomv2Response) response = { .defer_json = TRUE };
  g_autoptr(GError) local_error = NULL;

  if (!ecomv2_send_for_jobs (push, job_indices, "PATCH", "/batch/update", body, &response, &local_error))
    {
      /* A refusal of the whole batch names no record: the engine sends
       * them one by one to find it. Alone, the record is the culprit. */
      if (job_indices->len == 1 && ecomv2_is_record_error (local_error))
        {
          ecomv2_job_fail (push, g_array_index (job_indices, guint, 0), g_steal_pointer (&local_error));
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* An unreadable body fails here as it would have in the call: as a
   * TRANSIENT or REMOTE_BUG, never a record's error. */
  if (!ecomv2_response_read_batch (&response, results, error))
    return FALSE;
  if (results->len != update_jobs->len)
    {
      /* Which result is whose cannot be told: all is retried, which the
       * absolute values of stock and price make harmless. */
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0,
                              ecomv2_response_get_exchange (&response),
                              _("The store answered %u results for %u updates."),
                              results->len, update_jobs->len);
      return FALSE;
    }

  for (guint u = 0; u < results->len; u++)
    {
      Ecomv2ItemResult *result = g_ptr_array_index (results, u);

      if (!result->ok)
        ecomv2_job_fail (push, g_array_index (update_jobs, guint, u),
                  ecomv2_item_error (result, stock, g_ptr_array_index (update_skus, u),
                              ecomv2_response_get_exchange (&response)));
    }
  return TRUE;
}

/* One PATCH /batch/update for ITEMS[FIRST, LAST), an update per item
 * and warehouse: built before any request of the push goes, so that
 * they are all announced at once. */
typedef struct
{
  GArray    *job_indices;   /* guint, into push->jobs */
  GArray    *update_jobs;   /* guint, each update's job */
  GPtrArray *update_skus;   /* each update's SKU (owned by PUBLISHED) */
  GString   *body;
  char      *fingerprint;
} StockRequest;

static void
stock_request_free (gpointer data)
{
  StockRequest *request = data;

  g_array_unref (request->job_indices);
  g_array_unref (request->update_jobs);
  g_ptr_array_unref (request->update_skus);
  g_string_free (request->body, TRUE);
  g_free (request->fingerprint);
  g_free (request);
}

static StockRequest *
stock_request_new (GArray     *items,
                   guint       first,
                   guint       last,
                   GPtrArray  *published)
{
  StockRequest *request = g_new0 (StockRequest, 1);

  request->body = g_string_new ("{\"resources\":\"products\",\"updates\":[");
  request->update_jobs = g_array_new (FALSE, FALSE, sizeof (guint));
  request->update_skus = g_ptr_array_new ();
  request->job_indices = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = first; i < last; i++)
    {
      StockItem *item = &g_array_index (items, StockItem, i);

      g_array_append_val (request->job_indices, item->job);
      for (guint p = item->first; p < item->first + item->count; p++)
        {
          CpStockPublished *level = g_ptr_array_index (published, p);

          append_update (request->body, item->product_id, level->quantity, level->location);
          g_array_append_val (request->update_jobs, item->job);
          g_ptr_array_add (request->update_skus, level->sku);
        }
    }
  g_string_append (request->body, "]}");
  request->fingerprint = fingerprint ("PATCH", "/batch/update", request->body->str);
  return request;
}

/* Every request's jobs and fingerprint at once, then the requests one
 * after another: one durable commit in the engine for the whole push. */
static gboolean
send_stock_requests (Ecomv2Push  *push,
                     GPtrArray   *requests,
                     GError     **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new ();
  g_autoptr(GPtrArray) fingerprints = g_ptr_array_new ();
  gboolean ok = TRUE;

  for (guint r = 0; r < requests->len; r++)
    {
      StockRequest *request = g_ptr_array_index (requests, r);

      for (guint j = 0; j < request->job_indices->len; j++)
        {
          g_ptr_array_add (jobs, g_ptr_array_index (push->jobs,
                                                    g_array_index (request->job_indices, guint, j)));
          g_ptr_array_add (fingerprints, request->fingerprint);
        }
    }
  if (jobs->len == 0)
    return TRUE;
  if (!cp_push_context_will_send_many (push->context, jobs,
                                       (const char * const *) fingerprints->pdata, error))
    return FALSE;

  push->announced = TRUE;
  for (guint r = 0; ok && r < requests->len; r++)
    {
      StockRequest *request = g_ptr_array_index (requests, r);

      ok = ecomv2_send_batch (push, request->job_indices, request->update_jobs,
                              request->update_skus, TRUE, request->body->str, error);
    }
  push->announced = FALSE;
  return ok;
}

/* The quantities come from the shared stock rules (cp-stock-publish.h):
 * several locations linked to one warehouse add up, opted-out products
 * and a store that is the master of its stock get nothing. */
static gboolean
push_stock (Ecomv2Push  *push,
            GError     **error)
{
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (StockItem));
  g_autoptr(GArray) variant_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), push->jobs->len);
  g_autoptr(GHashTable) first_of = NULL;
  g_autoptr(GPtrArray) published = NULL;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (stock_request_free);
  guint first = 0, n_updates = 0, next = 0;

  if (!ecomv2_ensure_mapped (push, error))
    return FALSE;

  for (guint j = 0; j < push->jobs->len; j++)
    {
      gint64 variant_id = ecomv2_payload_int (g_ptr_array_index (push->jobs, j), "variant_id");

      if (variant_id <= 0)
        {
          GError *local_error = NULL;

          cp_connector_set_error (&local_error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                                  _("This stock change names no product variant."));
          ecomv2_job_fail (push, j, local_error);
        }
      g_array_append_val (variant_ids, variant_id);
    }
  /* The product ids come with the quantities, from the same statement. */
  published = cp_stock_publish_compute_mapped (push->ledger, push->self->integration_id,
                                               ECOMV2_KIND_VARIANT,
                                               (const gint64 *) (gpointer) variant_ids->data,
                                               variant_ids->len, error);
  if (published == NULL)
    return FALSE;

  /* The quantities come grouped by variant, in the order of the ids
   * asked for: each job's group is most often the next one. A variant
   * asked for twice, or with nothing to publish, is looked up in a table
   * of where each group starts, made the first time one is needed. */
  for (guint j = 0; j < push->jobs->len; j++)
    {
      gint64 variant_id = g_array_index (variant_ids, gint64, j);
      StockItem item = { j, NULL, 0, 0 };
      guint start = 0;

      if (variant_id > 0 && next < published->len &&
          ((CpStockPublished *) g_ptr_array_index (published, next))->variant_id == variant_id)
        start = next + 1;
      else if (variant_id > 0)
        {
          if (first_of == NULL)
            {
              first_of = g_hash_table_new (g_int64_hash, g_int64_equal);
              for (guint p = published->len; p-- > 0;)
                {
                  CpStockPublished *level = g_ptr_array_index (published, p);

                  g_hash_table_insert (first_of, &level->variant_id, GUINT_TO_POINTER (p + 1));
                }
            }
          start = GPOINTER_TO_UINT (g_hash_table_lookup (first_of, &variant_id));
        }

      /* Not on this store, deleted here since, opted out or not ours to
       * publish: nothing to send. */
      if (start == 0)
        continue;
      item.first = start - 1;
      while (item.first + item.count < published->len &&
             ((CpStockPublished *) g_ptr_array_index (published, item.first + item.count))->variant_id == variant_id)
        item.count++;
      /* Past a variant with nothing to publish, the walk goes on from
       * this group. */
      if (item.first >= next)
        next = item.first + item.count;
      item.product_id = ((CpStockPublished *) g_ptr_array_index (published, item.first))->remote_id;
      if (item.product_id == NULL)
        continue;
      g_array_append_val (items, item);
    }

  /* Requests of at most 100 updates, a job's updates never split. */
  for (guint i = 0; i < items->len; i++)
    {
      guint count = g_array_index (items, StockItem, i).count;

      if (n_updates + count > CP_ECOMV2_MAX_BATCH && i > first)
        {
          g_ptr_array_add (requests, stock_request_new (items, first, i, published));
          first = i;
          n_updates = 0;
        }
      n_updates += count;
    }
  if (first < items->len)
    g_ptr_array_add (requests, stock_request_new (items, first, items->len, published));
  return send_stock_requests (push, requests, error);
}

/* ---- The operation ----------------------------------------------------- */

gboolean
ecomv2_push (CpConnector   *connector,
             CpLedger      *ledger,
             CpPushContext *context,
             const char    *job_kind,
             GPtrArray     *jobs,
             GPtrArray     *out_errors,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new ();
  Ecomv2Push push = { CP_ECOMV2_CONNECTOR (connector), ledger, context, jobs, results, cancellable };
  gboolean ok;

  g_ptr_array_set_size (results, jobs->len);

  if (g_str_equal (job_kind, CP_JOB_STOCK_PUSH))
    ok = push_stock (&push, error);
  else if (g_str_equal (job_kind, CP_JOB_PRODUCT_PUSH))
    ok = ecomv2_push_products (&push, error);
  else if (g_str_equal (job_kind, CP_JOB_ORDER_STATUS_PUSH))
    {
      ok = TRUE;
      for (guint i = 0; ok && i < jobs->len; i++)
        ok = ecomv2_push_order_status (&push, i, error);
    }
  else
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL,
                              _("This store connection cannot send “%s” changes."), job_kind);
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
