/* cp-api-server-routes.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The endpoints of the local API. By the time a handler here runs, the
 * request has a valid key with the right scope, is within its rate
 * limits, and its body (possibly empty) is within the size and depth
 * limits, so json-glib may parse it.
 */

#define G_LOG_DOMAIN "cp-api-server"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cp-api-server-private.h"
#include "cp-integrations.h"

#define PREFIX "/api/v1/"
#define MAX_ID_LENGTH 100

/* Seed 002's integration_type, from the platform. */
static const struct
{
  const char *platform;
  const char *type;
} platform_types[] = {
  { "ecomv2", "ecommerce" },
  { "shopify", "ecommerce" },
  { "woocommerce", "ecommerce" },
  { "doordash", "delivery" },
  { "ubereats", "delivery" },
  { "quickbooks", "accounting" },
  { "xero", "accounting" },
  { "stripe", "payments" },
  { "twilio", "messaging" },
  { "mailgun", "messaging" },
};

gboolean
cp_api_is_clean_id (const char *id,
                    gsize       len)
{
  if (len == 0 || len > MAX_ID_LENGTH)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-' && id[i] != '_' && id[i] != '.')
      return FALSE;
  return TRUE;
}

CpApiRoute
cp_api_route_match (const char  *path,
                    char       **out_id)
{
  const char *rest;
  const char *slash;

  *out_id = NULL;
  if (path == NULL || !g_str_has_prefix (path, PREFIX))
    return CP_API_ROUTE_NONE;
  rest = path + strlen (PREFIX);

  if (g_str_equal (rest, "health"))
    return CP_API_ROUTE_HEALTH;
  if (g_str_equal (rest, "integrations") || g_str_equal (rest, "integrations/"))
    return CP_API_ROUTE_INTEGRATIONS;

  if (g_str_has_prefix (rest, "stores/"))
    return cp_webhooks_api_match (rest, out_id);

  if (!g_str_has_prefix (rest, "integrations/"))
    return CP_API_ROUTE_NONE;
  rest += strlen ("integrations/");
  slash = strchr (rest, '/');
  if (slash == NULL || !g_str_equal (slash, "/sync") || !cp_api_is_clean_id (rest, slash - rest))
    return CP_API_ROUTE_NONE;

  *out_id = g_strndup (rest, slash - rest);
  return CP_API_ROUTE_INTEGRATION_SYNC;
}

const char *
cp_api_route_method (CpApiRoute route)
{
  return route == CP_API_ROUTE_INTEGRATION_SYNC || route == CP_API_ROUTE_STORE_WEBHOOK ||
         route == CP_API_ROUTE_STORE_SYNC ? SOUP_METHOD_POST : SOUP_METHOD_GET;
}

gboolean
cp_api_route_is_keyless (CpApiRoute route)
{
  return route == CP_API_ROUTE_HEALTH || route == CP_API_ROUTE_STORE_WEBHOOK;
}

const char *
cp_api_route_scope (CpApiRoute route)
{
  switch (route)
    {
    case CP_API_ROUTE_INTEGRATIONS:
      return CP_API_SCOPE_INTEGRATIONS_READ;
    case CP_API_ROUTE_INTEGRATION_SYNC:
    case CP_API_ROUTE_STORE_SYNC:
      return CP_API_SCOPE_INTEGRATIONS_SYNC;
    case CP_API_ROUTE_STORE_ORDERS:
      return CP_API_SCOPE_ORDERS_READ;
    case CP_API_ROUTE_STORE_WEBHOOK:
    case CP_API_ROUTE_HEALTH:
    case CP_API_ROUTE_NONE:
    default:
      return NULL;
    }
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       at_us)
{
  json_builder_set_member_name (builder, name);
  if (at_us == 0)
    json_builder_add_null_value (builder);
  else
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (at_us / G_USEC_PER_SEC);
      g_autofree char *text = g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ");

      json_builder_add_string_value (builder, text);
    }
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

static void
set_data (CpApiRequest *req,
          guint         status,
          JsonBuilder  *data)
{
  g_autoptr(JsonNode) root = json_builder_get_root (data);

  cp_api_set_json (req->msg, status, root);
}

static void
set_server_error (CpApiRequest *req,
                  const GError *error)
{
  g_warning ("%s: %s", req->request_id, error->message);
  cp_api_set_error (req->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server_error",
                    _("The ledger could not be read. Try again; if it keeps failing, "
                      "look at the Counterpart log with this request id."),
                    req->request_id);
}

static void
handle_health (CpApiRequest *req)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  CpEngine *engine = req->server->engine;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  add_string (builder, "status", "ok");
  add_string (builder, "version", PACKAGE_VERSION);
  add_string (builder, "engine", engine == NULL ? "none"
                                 : cp_engine_is_running (engine) ? "running" : "stopped");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  set_data (req, SOUP_STATUS_OK, builder);
}

static const char *
integration_type (const char *platform)
{
  for (gsize i = 0; i < G_N_ELEMENTS (platform_types); i++)
    if (g_strcmp0 (platform, platform_types[i].platform) == 0)
      return platform_types[i].type;
  return "other";
}

static void
handle_integrations (CpApiRequest *req)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GError) error = NULL;

  integrations = cp_integrations_list (req->server->ledger, &error);
  if (integrations == NULL)
    {
      set_server_error (req, error);
      return;
    }

  /* Seed 002's fields first, then what a monitor of the sync wants. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = 0; i < integrations->len; i++)
    {
      CpIntegration *integration = g_ptr_array_index (integrations, i);
      gboolean paused = cp_integration_is_paused (integration);

      json_builder_begin_object (builder);
      add_string (builder, "id", integration->id);
      add_string (builder, "name", integration->name);
      add_string (builder, "integration_type", integration_type (integration->platform));
      add_string (builder, "provider", integration->platform);
      json_builder_set_member_name (builder, "is_active");
      json_builder_add_boolean_value (builder, !paused);
      add_time (builder, "last_sync_at", integration->last_success_at);
      add_string (builder, "status", paused ? "paused"
                                     : integration->attention != NULL ? "attention" : "active");
      add_string (builder, "attention", integration->attention);
      json_builder_set_member_name (builder, "permissions");
      json_builder_begin_array (builder);
      for (guint p = 0; integration->permissions != NULL && integration->permissions[p] != NULL; p++)
        json_builder_add_string_value (builder, integration->permissions[p]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "queue_depth");
      json_builder_add_int_value (builder, integration->queue_depth);
      json_builder_set_member_name (builder, "dead_jobs");
      json_builder_add_int_value (builder, integration->dead_jobs);
      add_time (builder, "next_run_at", integration->next_run_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  set_data (req, SOUP_STATUS_OK, builder);
}

gboolean
cp_api_parse_sync_body (GBytes      *body,
                        gboolean    *out_full,
                        const char **out_message)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *full;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  *out_full = FALSE;
  if (size == 0)
    return TRUE;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) size, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      *out_message = _("The body must be empty or a JSON object such as {\"full\": true}.");
      return FALSE;
    }

  object = json_node_get_object (root);
  full = json_object_get_member (object, "full");
  if (full != NULL && (!JSON_NODE_HOLDS_VALUE (full) ||
                       json_node_get_value_type (full) != G_TYPE_BOOLEAN))
    {
      *out_message = _("“full” must be true or false.");
      return FALSE;
    }

  *out_full = full != NULL && json_node_get_boolean (full);
  return TRUE;
}

static void
handle_sync (CpApiRequest *req,
             GBytes       *body)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(CpIntegration) integration = NULL;
  g_autoptr(GError) error = NULL;
  CpEngine *engine = req->server->engine;
  const char *message = NULL;
  gboolean full;

  if (!cp_api_parse_sync_body (body, &full, &message))
    {
      cp_api_set_error (req->msg, SOUP_STATUS_BAD_REQUEST, "validation_error", message,
                        req->request_id);
      return;
    }

  integration = cp_integrations_get (req->server->ledger, req->route_id, &error);
  if (integration == NULL)
    {
      if (g_error_matches (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_NOT_FOUND))
        cp_api_set_error (req->msg, SOUP_STATUS_NOT_FOUND, "not_found",
                          _("There is no integration with that id. GET /api/v1/integrations "
                            "lists them."),
                          req->request_id);
      else
        set_server_error (req, error);
      return;
    }

  if (cp_integration_is_paused (integration))
    {
      cp_api_set_error (req->msg, SOUP_STATUS_CONFLICT, "conflict",
                        _("This integration is paused. Resume it in Counterpart first."),
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

  if (full)
    cp_engine_full_sync (engine, integration->id);
  else
    cp_engine_sync_now (engine, integration->id);

  /* Seed 002: 200 "Sync started". The sync runs on; its progress is in
   * GET /api/v1/integrations. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  add_string (builder, "integration_id", integration->id);
  add_string (builder, "status", "sync_started");
  json_builder_set_member_name (builder, "full");
  json_builder_add_boolean_value (builder, full);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  set_data (req, SOUP_STATUS_OK, builder);
}

void
cp_api_route_handle (CpApiRequest *req,
                     GBytes       *body)
{
  switch (req->route)
    {
    case CP_API_ROUTE_HEALTH:
      handle_health (req);
      break;
    case CP_API_ROUTE_INTEGRATIONS:
      handle_integrations (req);
      break;
    case CP_API_ROUTE_INTEGRATION_SYNC:
      handle_sync (req, body);
      break;
    case CP_API_ROUTE_STORE_WEBHOOK:
    case CP_API_ROUTE_STORE_SYNC:
    case CP_API_ROUTE_STORE_ORDERS:
      cp_webhooks_api_handle (req, body);
      break;
    case CP_API_ROUTE_NONE:
    default:
      cp_api_set_error (req->msg, SOUP_STATUS_NOT_FOUND, "not_found",
                        _("There is no such endpoint."), req->request_id);
      break;
    }
}
