/* cp-webhooks-api.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Seed 003's store endpoints on the local API:
 *
 *   POST /api/v1/stores/{store}/webhooks/orders|products|inventory
 *        no key: signed by the store (cp-webhooks.h)
 *   POST /api/v1/stores/{store}/sync/products|inventory   integrations.sync
 *   GET  /api/v1/stores/{store}/orders                    orders.read
 *
 * Seed 003 calls the sync permission stores.sync; the local API's keys
 * already carry integrations.sync for "sync this integration", and a
 * store is an integration, so that scope covers it rather than a second
 * name for the same right. The server's limits (60 a minute per store,
 * 1 MiB bodies, the JSON pre-scan) hold for these routes as for the
 * others: they are checked before a handler here runs.
 */

#define G_LOG_DOMAIN "cp-api-server"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-activity.h"
#include "cp-api-server-private.h"
#include "cp-credentials.h"
#include "cp-integrations.h"
#include "cp-orders-import.h"
#include "cp-webhooks.h"

#define ORDERS_DEFAULT_LIMIT 50
#define ORDERS_MAX_LIMIT 500
/* Deliveries processed per turn of the server's loop: requests waiting
 * behind a burst get their turn in between. */
#define PROCESS_BATCH 50

/* The activity type of a refused delivery. */
#define ACTIVITY_WEBHOOK_REJECTED "WebhookRejected"

CpApiRoute
cp_webhooks_api_match (const char  *rest,
                       char       **out_id)
{
  const char *slash;
  const char *tail;
  CpWebhookKind kind;

  *out_id = NULL;
  if (!g_str_has_prefix (rest, "stores/"))
    return CP_API_ROUTE_NONE;
  rest += strlen ("stores/");
  slash = strchr (rest, '/');
  if (slash == NULL || !cp_api_is_clean_id (rest, slash - rest))
    return CP_API_ROUTE_NONE;
  tail = slash + 1;

  if (g_str_has_prefix (tail, "webhooks/") &&
      cp_webhook_kind_from_string (tail + strlen ("webhooks/"), &kind))
    {
      *out_id = g_strndup (rest, slash - rest);
      return CP_API_ROUTE_STORE_WEBHOOK;
    }
  if (g_str_equal (tail, "sync/products") || g_str_equal (tail, "sync/inventory"))
    {
      *out_id = g_strndup (rest, slash - rest);
      return CP_API_ROUTE_STORE_SYNC;
    }
  if (g_str_equal (tail, "orders"))
    {
      *out_id = g_strndup (rest, slash - rest);
      return CP_API_ROUTE_STORE_ORDERS;
    }
  return CP_API_ROUTE_NONE;
}

/* The last segment of the request's path: the webhook kind, or what to
 * sync. The route matched, so it is one of the known words. */
static const char *
path_tail (CpApiRequest *req)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (req->msg));
  const char *slash = strrchr (path, '/');

  return slash != NULL ? slash + 1 : path;
}

static void
set_data (CpApiRequest *req,
          JsonBuilder  *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  cp_api_set_json (req->msg, SOUP_STATUS_OK, root);
}

static void
set_server_error (CpApiRequest *req,
                  const GError *error)
{
  g_warning ("%s: %s", req->request_id, error->message);
  cp_api_set_error (req->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server_error",
                    _("The ledger could not be written or read. Try again; if it keeps "
                      "failing, look at the Counterpart log with this request id."),
                    req->request_id);
}

static CpIntegration *
get_store (CpApiRequest *req)
{
  g_autoptr(GError) error = NULL;
  CpIntegration *integration = cp_integrations_get (req->server->ledger, req->route_id, &error);

  if (integration != NULL)
    return integration;
  if (g_error_matches (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_NOT_FOUND))
    cp_api_set_error (req->msg, SOUP_STATUS_NOT_FOUND, "not_found",
                      _("There is no store with that id. The store id is the integration id "
                        "GET /api/v1/integrations lists (e.g. shopify-1)."),
                      req->request_id);
  else
    set_server_error (req, error);
  return NULL;
}

/* --- Webhooks ---------------------------------------------------------------- */

static const char *
request_header (const char *name,
                gpointer    user_data)
{
  return soup_message_headers_get_one (user_data, name);
}

/* A refused delivery is answered 401 and logged, never stored. The log
 * says what a shop owner can check; the body and the signature sent stay
 * out of it. */
static void
reject_delivery (CpApiRequest  *req,
                 CpIntegration *integration,
                 const char    *why)
{
  g_autoptr(GError) error = NULL;
  /* TRANSLATORS: the second %s is a whole sentence (or more) saying why. */
  g_autofree char *message =
    g_strdup_printf (_("A webhook for “%s” was refused. %s"), integration->name, why);

  if (cp_activity_log (req->server->ledger, ACTIVITY_WEBHOOK_REJECTED, CP_ACTIVITY_WARNING,
                       integration->id, 0, message, NULL, &error) == 0)
    g_warning ("%s: could not log a refused webhook: %s", req->request_id, error->message);

  cp_api_set_error (req->msg, SOUP_STATUS_UNAUTHORIZED, "authentication_error", why,
                    req->request_id);
}

static char *
lookup_secret (CpApiRequest  *req,
               CpIntegration *integration,
               GError       **error)
{
  g_autofree char *key = NULL;
  g_autofree char *credentials = NULL;

  key = cp_integrations_credential_key (req->server->ledger, integration->id, error);
  if (key == NULL)
    return NULL;
  credentials = cp_credentials_lookup_sync (key, NULL, error);
  if (credentials == NULL)
    return NULL;
  return cp_webhooks_secret_from_credentials (credentials, error);
}

static void
handle_webhook (CpApiRequest *req,
                GBytes       *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  g_autoptr(CpIntegration) integration = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_auto(CpWebhookMeta) meta = { NULL, };
  CpWebhookStoreResult result;
  CpWebhookKind kind = CP_WEBHOOK_KIND_ORDERS;
  const char *signature;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  cp_webhook_kind_from_string (path_tail (req), &kind);

  integration = get_store (req);
  if (integration == NULL)
    return;

  signature = cp_webhooks_signature_header (request_header, headers);

  /* WooCommerce activates a webhook with one unsigned ping and disables
   * it unless the answer is a 2xx. It carries nothing to store. */
  if (signature == NULL && cp_webhooks_is_ping (data, size))
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "data");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, "ping_received");
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      set_data (req, builder);
      return;
    }

  if (signature == NULL)
    {
      reject_delivery (req, integration,
                       _("It carries no signature (X-Shopify-Hmac-Sha256 or "
                         "X-WC-Webhook-Signature). Give the webhook a secret in the store's "
                         "settings, and the same secret to Counterpart."));
      return;
    }

  secret = lookup_secret (req, integration, &error);
  if (secret == NULL)
    {
      if (g_error_matches (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_UNAVAILABLE) ||
          g_error_matches (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_LOCKED))
        {
          /* Not the store's fault: a 503 makes a store that retries
           * (Shopify) send it again later. */
          g_warning ("%s: %s", req->request_id, error->message);
          cp_api_set_error (req->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "service_unavailable",
                            _("Counterpart cannot read the store's webhook secret now: the "
                              "keyring is locked or not running. Unlock it; the store's "
                              "next attempt will then go through."),
                            req->request_id);
          return;
        }
      reject_delivery (req, integration, error->message);
      return;
    }

  if (!cp_webhooks_verify (secret, data, size, signature))
    {
      explicit_bzero (secret, strlen (secret));
      reject_delivery (req, integration,
                       _("Its signature does not match the webhook secret Counterpart has for "
                         "this store. If the secret was changed in the store, give the new one "
                         "to Counterpart; otherwise someone else sent it."));
      return;
    }
  explicit_bzero (secret, strlen (secret));

  if (!cp_webhooks_read_meta (kind, request_header, headers, data, size, &meta, &error))
    {
      cp_api_set_error (req->msg, SOUP_STATUS_BAD_REQUEST, "validation_error", error->message,
                        req->request_id);
      return;
    }

  /* Committed before the answer: a 200 promises the store that we have it. */
  if (!cp_webhooks_store (req->server->ledger, integration->id, kind, &meta, data, size, NULL,
                          &result, &error))
    {
      set_server_error (req, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, result == CP_WEBHOOK_STORED ? "received" : "duplicate");
  json_builder_set_member_name (builder, "store");
  json_builder_add_string_value (builder, integration->id);
  json_builder_set_member_name (builder, "topic");
  json_builder_add_string_value (builder, meta.topic);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  set_data (req, builder);

  if (result == CP_WEBHOOK_STORED)
    cp_webhooks_api_schedule (req->server);
}

/* --- Processing -------------------------------------------------------------- */

static gboolean
process_cb (gpointer data)
{
  CpApiServer *self = data;
  g_autoptr(GError) error = NULL;
  guint processed = 0;

  g_clear_pointer (&self->webhooks_idle, g_source_unref);
  if (self->ledger == NULL)
    return G_SOURCE_REMOVE;

  if (!cp_webhooks_process_pending (self->ledger, NULL, self->engine, NULL, NULL, PROCESS_BATCH,
                                    &processed, &error))
    g_warning ("Could not process the stored webhooks: %s", error->message);
  else if (processed == PROCESS_BATCH)
    cp_webhooks_api_schedule (self);
  return G_SOURCE_REMOVE;
}

/* At listen: what a previous run left unprocessed, and the old ones
 * forgotten. */
static gboolean
start_cb (gpointer data)
{
  CpApiServer *self = data;
  g_autoptr(GError) error = NULL;

  if (self->ledger != NULL &&
      !cp_webhooks_purge (self->ledger, cp_ledger_now_us () - CP_WEBHOOKS_KEEP_US, NULL, &error))
    g_warning ("%s", error->message);
  return process_cb (data);
}

static void
schedule (CpApiServer *self,
          GSourceFunc  func)
{
  if (self->webhooks_idle != NULL || self->context == NULL)
    return;
  self->webhooks_idle = g_idle_source_new ();
  g_source_set_priority (self->webhooks_idle, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (self->webhooks_idle, func, self, NULL);
  g_source_set_name (self->webhooks_idle, "[counterpart] store webhooks");
  g_source_attach (self->webhooks_idle, self->context);
}

void
cp_webhooks_api_schedule (CpApiServer *self)
{
  schedule (self, process_cb);
}

void
cp_webhooks_api_start (CpApiServer *self)
{
  schedule (self, start_cb);
}

void
cp_webhooks_api_cancel (CpApiServer *self)
{
  if (self->webhooks_idle == NULL)
    return;
  g_source_destroy (self->webhooks_idle);
  g_clear_pointer (&self->webhooks_idle, g_source_unref);
}

/* --- Sync and orders ----------------------------------------------------------- */

static void
handle_sync (CpApiRequest *req)
{
  g_autoptr(CpIntegration) integration = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  CpEngine *engine = req->server->engine;
  const char *what = path_tail (req);

  integration = get_store (req);
  if (integration == NULL)
    return;

  if (cp_integration_is_paused (integration))
    {
      cp_api_set_error (req->msg, SOUP_STATUS_CONFLICT, "conflict",
                        _("This store's integration is paused. Resume it in Counterpart first."),
                        req->request_id);
      return;
    }
  if (engine == NULL)
    {
      cp_api_set_error (req->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "service_unavailable",
                        _("Syncing is not running in this Counterpart. Start it with "
                          "“counterpart-cli serve”, which runs the sync engine too."),
                        req->request_id);
      return;
    }

  /* Inventory: every mapped SKU's stock pushed again (a full sync);
   * products: a sync now, which refreshes and pushes what changed. */
  if (g_str_equal (what, "inventory"))
    cp_engine_full_sync (engine, integration->id);
  else
    cp_engine_sync_now (engine, integration->id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "store");
  json_builder_add_string_value (builder, integration->id);
  json_builder_set_member_name (builder, "sync");
  json_builder_add_string_value (builder, what);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "sync_started");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  set_data (req, builder);
}

static void
add_money (JsonBuilder *builder,
           const char  *name,
           gint64       amount_minor,
           const char  *currency)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "amount_minor");
  json_builder_add_int_value (builder, amount_minor);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, currency);
  json_builder_end_object (builder);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       at_us)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (at_us / G_USEC_PER_SEC);
  g_autofree char *text = at != NULL ? g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ") : NULL;

  json_builder_set_member_name (builder, name);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

/* ?limit=N (1–500, default 50), ?status=S, ?needs_mapping=true. */
static gboolean
read_query (CpApiRequest  *req,
            guint         *out_limit,
            char         **out_status,
            gboolean      *out_needs_mapping)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (req->msg));
  g_autoptr(GHashTable) params = NULL;
  const char *value;
  guint64 limit = ORDERS_DEFAULT_LIMIT;

  *out_limit = ORDERS_DEFAULT_LIMIT;
  *out_status = NULL;
  *out_needs_mapping = FALSE;
  if (query == NULL)
    return TRUE;

  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL)
    return FALSE;
  value = g_hash_table_lookup (params, "limit");
  if (value != NULL &&
      !g_ascii_string_to_unsigned (value, 10, 1, ORDERS_MAX_LIMIT, &limit, NULL))
    return FALSE;
  *out_limit = (guint) limit;
  value = g_hash_table_lookup (params, "needs_mapping");
  if (value != NULL)
    {
      if (g_str_equal (value, "true"))
        *out_needs_mapping = TRUE;
      else if (!g_str_equal (value, "false"))
        return FALSE;
    }
  *out_status = g_strdup (g_hash_table_lookup (params, "status"));
  return TRUE;
}

static void
handle_orders (CpApiRequest *req)
{
  g_autoptr(CpIntegration) integration = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  gboolean needs_mapping;
  guint limit;

  integration = get_store (req);
  if (integration == NULL)
    return;

  if (!read_query (req, &limit, &status, &needs_mapping))
    {
      cp_api_set_error (req->msg, SOUP_STATUS_BAD_REQUEST, "validation_error",
                        _("The query takes limit (1 to 500), status, and needs_mapping "
                          "(true or false)."),
                        req->request_id);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);

  if (needs_mapping)
    {
      list = cp_orders_list_needs_mapping (req->server->ledger, integration->id, limit, &error);
      if (list == NULL)
        {
          set_server_error (req, error);
          return;
        }
      for (guint i = 0; i < list->len; i++)
        {
          CpUnmappedLine *line = g_ptr_array_index (list, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "order_id");
          json_builder_add_int_value (builder, line->order_id);
          json_builder_set_member_name (builder, "number");
          json_builder_add_string_value (builder, line->number);
          json_builder_set_member_name (builder, "sku");
          json_builder_add_string_value (builder, line->sku);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, line->name);
          json_builder_set_member_name (builder, "quantity");
          json_builder_add_int_value (builder, line->quantity);
          add_time (builder, "placed_at", line->placed_at_us);
          json_builder_end_object (builder);
        }
    }
  else
    {
      CpOrderFilter filter = { 0, };

      filter.source = integration->id;
      filter.status = status;
      filter.limit = limit;
      list = cp_orders_list (req->server->ledger, &filter, &error);
      if (list == NULL)
        {
          set_server_error (req, error);
          return;
        }
      /* The fields of `counterpart-cli orders list --json`. */
      for (guint i = 0; i < list->len; i++)
        {
          CpOrder *order = g_ptr_array_index (list, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, order->id);
          json_builder_set_member_name (builder, "number");
          json_builder_add_string_value (builder, order->number);
          json_builder_set_member_name (builder, "source");
          json_builder_add_string_value (builder, order->source);
          json_builder_set_member_name (builder, "external_id");
          json_builder_add_string_value (builder, order->external_id);
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, order->status);
          add_time (builder, "placed_at", order->placed_at_us);
          add_money (builder, "total", order->total_minor, order->currency);
          add_money (builder, "refunded_total", order->refunded_minor, order->currency);
          json_builder_set_member_name (builder, "currency");
          json_builder_add_string_value (builder, order->currency);
          json_builder_set_member_name (builder, "lines");
          json_builder_add_int_value (builder, order->n_lines);
          json_builder_end_object (builder);
        }
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);
  set_data (req, builder);
}

void
cp_webhooks_api_handle (CpApiRequest *req,
                        GBytes       *body)
{
  switch (req->route)
    {
    case CP_API_ROUTE_STORE_WEBHOOK:
      handle_webhook (req, body);
      break;
    case CP_API_ROUTE_STORE_SYNC:
      handle_sync (req);
      break;
    case CP_API_ROUTE_STORE_ORDERS:
      handle_orders (req);
      break;
    case CP_API_ROUTE_NONE:
    case CP_API_ROUTE_HEALTH:
    case CP_API_ROUTE_INTEGRATIONS:
    case CP_API_ROUTE_INTEGRATION_SYNC:
    default:
      g_assert_not_reached ();
    }
}
