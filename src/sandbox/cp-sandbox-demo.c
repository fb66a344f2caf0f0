/* cp-sandbox-demo.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-sandbox"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cp-catalog.h"
#include "cp-credentials.h"
#include "cp-sandbox-demo.h"
#include "cp-sandbox-ecomv2.h"
#include "cp-sandbox-ecomv2-private.h"
#include "cp-sandbox-shopify.h"
#include "cp-sandbox-woocommerce.h"
#include "cp-sql.h"

/* The demo shop's shop floor (cp-demo.c); it sells what the store sells. */
#define DEMO_MAIN_LOCATION "MAIN"

/* What the demo store may do: everything, so every kind of job flows. */
static const char * const demo_permissions[] = {
  CP_PERMISSION_INVENTORY_SYNC,
  CP_PERMISSION_ORDERS_PULL,
  CP_PERMISSION_ORDERS_PUSH,
  CP_PERMISSION_PRODUCTS_SYNC,
  NULL
};

CpSandboxServer *
cp_sandbox_demo_start_server (GError **error)
{
  g_autoptr(CpSandboxServer) server = cp_sandbox_server_new ();
  g_autoptr(CpSandboxEcomv2) ecomv2 = cp_sandbox_ecomv2_new ();
  g_autoptr(CpSandboxWoocommerce) woocommerce = cp_sandbox_woocommerce_new ();
  g_autoptr(CpSandboxShopify) shopify = cp_sandbox_shopify_new ();

  cp_sandbox_server_add_platform (server, CP_SANDBOX_PLATFORM (ecomv2));
  cp_sandbox_server_add_platform (server, CP_SANDBOX_PLATFORM (woocommerce));
  cp_sandbox_server_add_platform (server, CP_SANDBOX_PLATFORM (shopify));
  if (!cp_sandbox_server_start (server, 0, error))
    return NULL;
  return g_steal_pointer (&server);
}

gboolean
cp_sandbox_demo_is_sandbox_integration (const CpIntegration *integration)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonObject *object;

  g_return_val_if_fail (integration != NULL, FALSE);

  if (integration->settings == NULL || strstr (integration->settings, "sandbox") == NULL)
    return FALSE;

  /* The settings are our own JSON, small and already validated when
   * written; no pre-scan needed. */
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, integration->settings, -1, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);
  return json_object_has_member (object, "sandbox") &&
         JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "sandbox")) &&
         json_object_get_boolean_member (object, "sandbox");
}

char *
cp_sandbox_demo_dup_credentials (const char *platform)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  if (g_strcmp0 (platform, "ecomv2") == 0)
    {
      json_builder_set_member_name (builder, "api_key");
      json_builder_add_string_value (builder, CP_SANDBOX_ECOMV2_DEFAULT_KEY);
    }
  else if (g_strcmp0 (platform, "woocommerce") == 0)
    {
      json_builder_set_member_name (builder, "consumer_key");
      json_builder_add_string_value (builder, CP_SANDBOX_WOOCOMMERCE_DEFAULT_KEY);
      json_builder_set_member_name (builder, "consumer_secret");
      json_builder_add_string_value (builder, CP_SANDBOX_WOOCOMMERCE_DEFAULT_SECRET);
    }
  else if (g_strcmp0 (platform, "shopify") == 0)
    {
      json_builder_set_member_name (builder, "access_token");
      json_builder_add_string_value (builder, CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN);
    }
  else
    return NULL;
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

int
cp_sandbox_demo_rebase (CpLedger         *ledger,
                        CpSandboxServer  *server,
                        GError          **error)
{
  g_autoptr(GPtrArray) integrations = NULL;
  int changed = 0;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), -1);
  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (server), -1);

  integrations = cp_integrations_list (ledger, error);
  if (integrations == NULL)
    return -1;

  for (guint i = 0; i < integrations->len; i++)
    {
      const CpIntegration *integration = g_ptr_array_index (integrations, i);
      g_autofree char *url = NULL;
      sqlite3_stmt *stmt;
      int rc;

      if (!cp_sandbox_demo_is_sandbox_integration (integration))
        continue;
      url = cp_sandbox_server_dup_platform_url (server, integration->platform);
      if (url == NULL || g_strcmp0 (url, integration->base_url) == 0)
        continue;

      /* cp-integrations.h has no setter for the base URL (a live
       * integration's address does not move); only the sandbox's does,
       * so it is changed here, through the ledger's public statement API. */
      stmt = cp_ledger_prepare (ledger,
                                "UPDATE integrations SET base_url = ?1, updated_at = ?2 WHERE id = ?3",
                                error);
      if (stmt == NULL)
        return -1;
      sqlite3_bind_text (stmt, 1, url, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, cp_ledger_now_us ());
      sqlite3_bind_text (stmt, 3, integration->id, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          cp_ledger_set_error_from_sqlite (ledger, error, _("Could not point the sandbox store at the sandbox"));
          sqlite3_finalize (stmt);
          return -1;
        }
      sqlite3_finalize (stmt);
      changed++;
    }

  if (changed > 0)
    cp_ledger_emit_changed (ledger, "integrations");
  return changed;
}

char *
cp_sandbox_demo_add_integration (CpLedger            *ledger,
                                 CpSandboxServer     *server,
                                 const char          *platform,
                                 const char          *name,
                                 const char * const  *permissions,
                                 GCancellable        *cancellable,
                                 GError             **error)
{
  g_autofree char *url = NULL;
  g_autofree char *credentials = NULL;
  g_autofree char *id = NULL;
  g_autofree char *label = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (server), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  url = cp_sandbox_server_dup_platform_url (server, platform);
  credentials = cp_sandbox_demo_dup_credentials (platform);
  if (url == NULL || credentials == NULL)
    {
      g_set_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID,
                   _("The sandbox has no test version of “%s”."), platform);
      return NULL;
    }

  id = cp_integrations_add (ledger, platform, name, url,
                            permissions != NULL ? permissions : cp_integrations_default_permissions (),
                            error);
  if (id == NULL)
    return NULL;

  /* Translators: the label of a password in the keyring; %s is the
   * integration's name. */
  label = g_strdup_printf (_("Counterpart: %s"), name);
  if (!cp_integrations_set_settings (ledger, id, CP_SANDBOX_DEMO_SETTINGS, error) ||
      (key = cp_integrations_credential_key (ledger, id, error)) == NULL ||
      !cp_credentials_store_sync (key, label, credentials, cancellable, error))
    {
      /* Nothing half made: no integration without its key. */
      cp_integrations_remove (ledger, id, NULL);
      return NULL;
    }

  return g_steal_pointer (&id);
}

/* The demo shop has two locations, so the connector cannot guess which
 * one stands for the fake store's warehouse and every stock push would
 * stop at "needs a mapping": a newcomer's first sync in the sandbox must
 * just work. Links the main location to the first warehouse, unless a
 * person has linked any location already (their choice stands). */
static gboolean
ensure_location_mapping (CpLedger    *ledger,
                         const char  *integration_id,
                         GError     **error)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autoptr(CpLocation) location = NULL;
  int rc;

  stmt = cp_ledger_prepare (ledger,
                            "SELECT 1 FROM integration_mappings "
                            "WHERE integration_id = ?1 AND kind = 'location' LIMIT 1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, integration_id, -1, SQLITE_TRANSIENT);
  rc = cp_sql_step (ledger, stmt, _("Could not read the sandbox store’s mappings"), error);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return FALSE;

  location = cp_locations_get (ledger, DEMO_MAIN_LOCATION, NULL);
  if (location == NULL)
    return TRUE;
  return cp_integrations_set_mapping (ledger, integration_id, "location", DEMO_MAIN_LOCATION,
                                      ecomv2_warehouses[0], NULL, error);
}

char *
cp_sandbox_demo_ensure (CpLedger         *ledger,
                        CpSandboxServer  *server,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_autoptr(GPtrArray) integrations = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (CP_IS_SANDBOX_SERVER (server), NULL);

  if (cp_sandbox_demo_rebase (ledger, server, error) < 0)
    return NULL;

  integrations = cp_integrations_list (ledger, error);
  if (integrations == NULL)
    return NULL;

  for (guint i = 0; i < integrations->len; i++)
    {
      const CpIntegration *integration = g_ptr_array_index (integrations, i);
      g_autofree char *credentials = NULL;
      g_autofree char *label = NULL;
      g_autofree char *key = NULL;

      if (!cp_sandbox_demo_is_sandbox_integration (integration) ||
          g_strcmp0 (integration->platform, "ecomv2") != 0)
        continue;

      /* The key is public and the keyring may be a fresh one (another
       * session, a test): storing it again costs nothing. */
      credentials = cp_sandbox_demo_dup_credentials (integration->platform);
      label = g_strdup_printf (_("Counterpart: %s"), integration->name);
      key = cp_integrations_credential_key (ledger, integration->id, error);
      if (key == NULL ||
          !cp_credentials_store_sync (key, label, credentials, cancellable, error) ||
          !ensure_location_mapping (ledger, integration->id, error))
        return NULL;
      return g_strdup (integration->id);
    }

  id = cp_sandbox_demo_add_integration (ledger, server, "ecomv2",
                                        _("Sandbox store"), demo_permissions,
                                        cancellable, error);
  if (id == NULL || !ensure_location_mapping (ledger, id, error))
    return NULL;
  return g_steal_pointer (&id);
}
