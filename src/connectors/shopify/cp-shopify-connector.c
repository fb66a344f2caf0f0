/* cp-shopify-connector.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Shopify connector object: its settings, the credentials check and
 * what it tells the engine about itself. The wire is cp-shopify-http.c,
 * reading cp-shopify-pull.c and cp-shopify-stock-read.c, sending
 * cp-shopify-push*.c (cp-shopify-push-jobs.c first).
 */

#define G_LOG_DOMAIN "cp-shopify"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-connector-http.h"
#include "cp-connectors-webhooks.h"
#include "cp-integrations.h"
#include "cp-outbox.h"

#include "cp-shopify-private.h"

#define IO_TIMEOUT_S   30
#define IDLE_TIMEOUT_S 60
#define DEFAULT_MAX_INLINE_WAIT_US (10 * G_USEC_PER_SEC)
#define DEFAULT_PAGE_SIZE 25
/* Until the first response says otherwise: the old Standard bucket. */
#define DEFAULT_BUCKET 1000.0
#define DEFAULT_RESTORE 50.0

static void cp_shopify_connector_iface_init (CpConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CpShopifyConnector, cp_shopify_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CP_TYPE_CONNECTOR,
                                                      cp_shopify_connector_iface_init))

#define CAPS (CP_CONNECTOR_CAP_PUSH_STOCK | CP_CONNECTOR_CAP_PUSH_PRODUCTS | \
              CP_CONNECTOR_CAP_PULL_ORDERS | CP_CONNECTOR_CAP_PUSH_ORDER_STATUS | \
              CP_CONNECTOR_CAP_IDEMPOTENCY_KEYS | CP_CONNECTOR_CAP_REMOTE_CATALOG)

static CpConnectorCaps
shopify_get_capabilities (CpConnector *connector)
{
  return CAPS;
}

static guint
shopify_get_batch_size (CpConnector *connector,
                        const char  *job_kind)
{
  /* inventorySetQuantities takes 250 quantities: a job per variant, one
   * quantity per mapped location, split further when there are several. */
  if (g_strcmp0 (job_kind, CP_JOB_STOCK_PUSH) == 0)
    return CP_SHOPIFY_MAX_INPUT;
  /* productSet sends a product at a time; a batch shares the budget wait. */
  if (g_strcmp0 (job_kind, CP_JOB_PRODUCT_PUSH) == 0)
    return 25;
  return 1;
}

/* What the default permissions (orders.pull, inventory.sync) need. */
static const char * const required_scopes[] = {
  "read_products", "read_inventory", "write_inventory", "read_locations", "read_orders", NULL
};

static gboolean
shopify_test (CpConnector   *connector,
              char         **out_account_name,
              GCancellable  *cancellable,
              GError       **error)
{
  CpShopifyConnector *self = CP_SHOPIFY_CONNECTOR (connector);
  g_auto(ShopifyResponse) response = { 0 };
  const char *name, *currency;

  g_auto(ShopifyResponse) scopes = { 0 };
  JsonArray *granted;

  if (!shopify_graphql (self, "shop", "query CounterpartShop { shop { name myshopifyDomain currencyCode } }",
                        NULL, 1, &response, cancellable, error))
    return FALSE;
  /* A token that works but may not do what a sync needs: said now, in
   * the wizard, rather than at the first push. */
  if (!shopify_graphql (self, "currentAppInstallation",
                        "query CounterpartScopes { currentAppInstallation { accessScopes { handle } } }",
                        NULL, 2, &scopes, cancellable, error))
    return FALSE;
  granted = shopify_get_array (scopes.data, "currentAppInstallation.accessScopes");
  for (guint i = 0; granted != NULL && required_scopes[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint k = 0; k < json_array_get_length (granted) && !found; k++)
        {
          JsonNode *node = json_array_get_element (granted, k);
          const char *handle = JSON_NODE_HOLDS_OBJECT (node)
                               ? shopify_get_string (json_node_get_object (node), "handle") : NULL;

          /* write_X implies read_X on Shopify. */
          found = g_strcmp0 (handle, required_scopes[i]) == 0 ||
                  (g_str_has_prefix (required_scopes[i], "read_") && handle != NULL &&
                   g_str_has_prefix (handle, "write_") &&
                   g_str_equal (handle + 6, required_scopes[i] + 5));
        }
      if (!found)
        {
          cp_connector_set_error (error, CP_CONNECTOR_ERROR_PERMISSION, 0,
                                  shopify_response_get_exchange (&scopes),
                                  _("The access token lacks the %s permission: in Shopify admin "
                                    "open Settings → Apps and sales channels → Develop apps → "
                                    "your app → Configuration, add %s, then reinstall the app "
                                    "and paste the new token."),
                                  required_scopes[i], required_scopes[i]);
          return FALSE;
        }
    }
  name = shopify_get_string (response.data, "shop.name");
  currency = shopify_get_string (response.data, "shop.currencyCode");
  if (name == NULL)
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0,
                              shopify_response_get_exchange (&response),
                              _("The address answers, but not like a Shopify store. Enter the "
                                "store’s myshopify.com address."));
      return FALSE;
    }
  if (out_account_name != NULL)
    *out_account_name = currency != NULL ? g_strdup_printf ("%s (%s)", name, currency)
                                         : g_strdup (name);
  return TRUE;
}

static CpRateLimiter *
shopify_get_rate_limiter (CpConnector *connector)
{
  return cp_shopify_connector_get_rate_limiter (CP_SHOPIFY_CONNECTOR (connector));
}

static void
cp_shopify_connector_iface_init (CpConnectorInterface *iface)
{
  iface->get_capabilities = shopify_get_capabilities;
  iface->get_batch_size = shopify_get_batch_size;
  iface->test = shopify_test;
  iface->refresh_mappings = shopify_refresh_mappings;
  iface->push = shopify_push;
  iface->pull_orders = shopify_pull_orders;
  iface->get_rate_limiter = shopify_get_rate_limiter;
  iface->parse_webhook = cp_shopify_connector_parse_webhook;
  iface->read_stock = shopify_read_stock;
}

static void
cp_shopify_connector_finalize (GObject *object)
{
  CpShopifyConnector *self = CP_SHOPIFY_CONNECTOR (object);

  g_free (self->integration_id);
  g_free (self->base_url);
  g_free (self->api_version);
  if (self->access_token != NULL)
    {
      memset (self->access_token, 0, strlen (self->access_token));
      g_free (self->access_token);
    }
  g_clear_object (&self->session);
  g_clear_object (&self->limiter);
  g_hash_table_unref (self->last_cost);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (cp_shopify_connector_parent_class)->finalize (object);
}

static void
cp_shopify_connector_class_init (CpShopifyConnectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_shopify_connector_finalize;
}

static void
cp_shopify_connector_init (CpShopifyConnector *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Counterpart/%s", PACKAGE_VERSION);

  g_mutex_init (&self->lock);
  self->limiter = cp_rate_limiter_new (DEFAULT_BUCKET, DEFAULT_RESTORE, g_get_monotonic_time ());
  self->last_cost = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->api_version = g_strdup (CP_SHOPIFY_DEFAULT_API_VERSION);
  self->max_inline_wait_us = DEFAULT_MAX_INLINE_WAIT_US;
  self->page_size = DEFAULT_PAGE_SIZE;
  self->session = soup_session_new_with_options ("timeout", IO_TIMEOUT_S,
                                                 "idle-timeout", IDLE_TIMEOUT_S,
                                                 "user-agent", user_agent,
                                                 NULL);
}

static char *
read_token (const char  *credentials_json,
            GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj = NULL;
  const char *token;

  if (credentials_json != NULL)
    root = shopify_parse_json (credentials_json, strlen (credentials_json), NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    obj = json_node_get_object (root);
  token = shopify_get_string (obj, "access_token");
  if (token == NULL || *token == '\0')
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_AUTH, 0, NULL,
                              _("The Shopify credentials are missing the access token. Enter "
                                "them again as {\"access_token\": \"shpat_…\"}: in Shopify admin "
                                "open Settings → Apps and sales channels → Develop apps → your "
                                "app → API credentials and reveal the Admin API access token."));
      return NULL;
    }
  if (!cp_connector_http_is_header_safe (token))
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_AUTH, 0, NULL,
                              _("The Shopify access token contains characters no token has. "
                                "Copy it again from Shopify admin."));
      return NULL;
    }
  return g_strdup (token);
}

CpConnector *
cp_shopify_connector_new (const char  *integration_id,
                          const char  *base_url,
                          const char  *credentials_json,
                          GError     **error)
{
  g_autoptr(CpShopifyConnector) self = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;

  g_return_val_if_fail (integration_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  url = cp_connector_http_check_base_url (base_url,
                                          _("The Shopify store address must start with https://, "
                                            "such as https://your-shop.myshopify.com."),
                                          NULL, error);
  if (url == NULL)
    return NULL;
  token = read_token (credentials_json, error);
  if (token == NULL)
    return NULL;

  self = g_object_new (CP_TYPE_SHOPIFY_CONNECTOR, NULL);
  self->integration_id = g_strdup (integration_id);
  self->base_url = g_steal_pointer (&url);
  self->access_token = g_steal_pointer (&token);
  return CP_CONNECTOR (g_steal_pointer (&self));
}

static gboolean
valid_version (const char *v)
{
  return v != NULL && (g_str_equal (v, "unstable") ||
                       (strlen (v) == 7 && g_ascii_isdigit (v[0]) && g_ascii_isdigit (v[1]) &&
                        g_ascii_isdigit (v[2]) && g_ascii_isdigit (v[3]) && v[4] == '-' &&
                        g_ascii_isdigit (v[5]) && g_ascii_isdigit (v[6])));
}

static void
use_version (CpShopifyConnector *self,
             const char         *version)
{
  if (version == NULL)
    version = CP_SHOPIFY_DEFAULT_API_VERSION;
  if (g_strcmp0 (self->api_version, version) == 0)
    return;
  g_free (self->api_version);
  self->api_version = g_strdup (version);
}

/* SETTINGS (integrations.settings JSON): {"api_version": "2026-07"} or
 * the default. A version set with cp_shopify_connector_set_api_version()
 * stays. */
static void
apply_settings (CpShopifyConnector *self,
                const char         *settings)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj = NULL;
  const char *version;

  if (self->version_pinned)
    return;
  if (settings != NULL)
    root = shopify_parse_json (settings, strlen (settings), NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    obj = json_node_get_object (root);
  version = shopify_get_string (obj, "api_version");
  use_version (self, valid_version (version) ? version : NULL);
}

void
shopify_read_settings (CpShopifyConnector *self,
                       CpLedger           *ledger)
{
  g_autoptr(CpIntegration) integration = NULL;

  if (ledger == NULL)
    {
      /* A pull gets no ledger: the engine hands the settings over with
       * the connector, each run (cp-engine-run.c), so the first pull
       * already uses the version the owner chose. */
      if (g_object_get_data (G_OBJECT (self), CP_SHOPIFY_SETTINGS_DATA) != NULL)
        apply_settings (self, g_object_get_data (G_OBJECT (self), CP_SHOPIFY_SETTINGS_DATA));
      return;
    }
  g_strlcpy (self->ledger_currency, cp_ledger_get_currency (ledger), sizeof self->ledger_currency);
  /* Read each time: a version changed in the settings applies at the
   * next request, without a restart. */
  integration = cp_integrations_get (ledger, self->integration_id, NULL);
  if (integration != NULL)
    apply_settings (self, integration->settings);
}

CpRateLimiter *
cp_shopify_connector_get_rate_limiter (CpShopifyConnector *self)
{
  CpRateLimiter *limiter;

  g_return_val_if_fail (CP_IS_SHOPIFY_CONNECTOR (self), NULL);
  g_mutex_lock (&self->lock);
  limiter = self->limiter;
  g_mutex_unlock (&self->lock);
  return limiter;
}

void
cp_shopify_connector_set_rate_limiter (CpShopifyConnector *self,
                                       CpRateLimiter      *limiter)
{
  g_return_if_fail (CP_IS_SHOPIFY_CONNECTOR (self));
  g_return_if_fail (CP_IS_RATE_LIMITER (limiter));
  g_mutex_lock (&self->lock);
  g_set_object (&self->limiter, limiter);
  g_mutex_unlock (&self->lock);
}

void
cp_shopify_connector_set_api_version (CpShopifyConnector *self,
                                      const char         *version)
{
  g_return_if_fail (CP_IS_SHOPIFY_CONNECTOR (self));
  g_return_if_fail (version == NULL || valid_version (version));
  use_version (self, version);
  self->version_pinned = TRUE;
}

const char *
cp_shopify_connector_get_api_version (CpShopifyConnector *self)
{
  g_return_val_if_fail (CP_IS_SHOPIFY_CONNECTOR (self), NULL);
  return self->api_version;
}

void
cp_shopify_connector_set_max_inline_wait (CpShopifyConnector *self,
                                          gint64              wait_us)
{
  g_return_if_fail (CP_IS_SHOPIFY_CONNECTOR (self));
  self->max_inline_wait_us = MAX (wait_us, 0);
}

void
cp_shopify_connector_set_page_size (CpShopifyConnector *self,
                                    guint               page_size)
{
  g_return_if_fail (CP_IS_SHOPIFY_CONNECTOR (self));
  self->page_size = CLAMP (page_size, 1, 50);
}

guint
cp_shopify_connector_get_n_requests (CpShopifyConnector *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->n_requests;
  g_mutex_unlock (&self->lock);
  return n;
}

guint
cp_shopify_connector_get_n_throttled (CpShopifyConnector *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->n_throttled;
  g_mutex_unlock (&self->lock);
  return n;
}

static const char * const credential_fields[] = { "access_token", NULL };

static CpConnector *
factory (const char  *integration_id,
         const char  *base_url,
         const char  *credentials_json,
         GError     **error)
{
  return cp_shopify_connector_new (integration_id, base_url, credentials_json, error);
}

const CpPlatformInfo *
cp_shopify_connector_get_platform_info (void)
{
  static const CpPlatformInfo info = {
    .platform = CP_SHOPIFY_PLATFORM,
    .display_name = N_("Shopify"),
    .capabilities = CAPS,
    .credential_fields = credential_fields,
    .factory = factory,
  };

  return &info;
}
