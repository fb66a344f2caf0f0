/* cp-ecomv2-connector.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ecomv2 connector object: its settings, the credentials check and
 * what it tells the engine about itself. The operations live in
 * cp-ecomv2-pull.c and cp-ecomv2-push.c, the wire in cp-ecomv2-http.c.
 */

#define G_LOG_DOMAIN "cp-ecomv2"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-connector-http.h"
#include "cp-integrations.h"
#include "cp-outbox.h"

#include "cp-ecomv2-private.h"

/* Seed 001 gives no timeouts; these bound a dead connection without
 * cutting off a slow page of 200 orders. */
#define IO_TIMEOUT_S   30
#define IDLE_TIMEOUT_S 60
#define DEFAULT_MAX_INLINE_WAIT_US (5 * G_USEC_PER_SEC)

static void cp_ecomv2_connector_iface_init (CpConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CpEcomv2Connector, cp_ecomv2_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CP_TYPE_CONNECTOR,
                                                      cp_ecomv2_connector_iface_init))

static CpConnectorCaps
ecomv2_get_capabilities (CpConnector *connector)
{
  /* Creates are found again by SKU (GET /products/{sku}), the seed's
   * external reference, since the platform honours no idempotency key. */
  return CP_CONNECTOR_CAP_PUSH_STOCK | CP_CONNECTOR_CAP_PUSH_PRODUCTS |
         CP_CONNECTOR_CAP_PULL_ORDERS | CP_CONNECTOR_CAP_PUSH_ORDER_STATUS |
         CP_CONNECTOR_CAP_FIND_BY_REFERENCE | CP_CONNECTOR_CAP_REMOTE_CATALOG;
}

static guint
ecomv2_get_batch_size (CpConnector *connector,
                       const char  *job_kind)
{
  /* PATCH /batch/update carries stock (§8) and price/name changes alike;
   * a push splits a batch whose jobs need more than 100 updates (several
   * warehouses) into more requests. Order status has no batch endpoint. */
  if (g_strcmp0 (job_kind, CP_JOB_STOCK_PUSH) == 0 ||
      g_strcmp0 (job_kind, CP_JOB_PRODUCT_PUSH) == 0)
    return CP_ECOMV2_MAX_BATCH;
  return 1;
}

/* Stock pushes go ten requests at a time, announced together: one
 * durable commit for them all instead of one per request (issue 3's
 * engine-overhead figure). Products keep one request per push: a
 * product push may create products, one request after another. */
static guint
ecomv2_get_batches_per_push (CpConnector *connector,
                             const char  *job_kind)
{
  return g_strcmp0 (job_kind, CP_JOB_STOCK_PUSH) == 0 ? ECOMV2_STOCK_REQUESTS_PER_PUSH : 1;
}

static gboolean
ecomv2_test (CpConnector   *connector,
             char         **out_account_name,
             GCancellable  *cancellable,
             GError       **error)
{
  CpEcomv2Connector *self = CP_ECOMV2_CONNECTOR (connector);
  g_auto(Ecomv2Response) response = { 0 };
  g_autoptr(GUri) uri = NULL;
  JsonObject *root;

  /* The seed has no "who am I" endpoint: the cheapest authenticated read
   * is one product. */
  if (!ecomv2_http_call (self, "GET", "/products?limit=1", NULL, &response, cancellable, error))
    return FALSE;
  root = response.root != NULL && JSON_NODE_HOLDS_OBJECT (response.root)
         ? json_node_get_object (response.root) : NULL;
  if (root == NULL || !json_object_has_member (root, "data"))
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0,
                              ecomv2_response_get_exchange (&response),
                              _("The address answers, but not like the E-Commerce Platform "
                                "API. Check that the store address ends with /v2."));
      return FALSE;
    }

  if (out_account_name != NULL)
    {
      const char *host;

      uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
      host = uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : self->base_url;
      /* Seed 001: "Prefix test_ indicates sandbox mode". */
      if (g_str_has_prefix (self->api_key, "test_"))
        *out_account_name = g_strdup_printf (_("%s (test key)"), host);
      else
        *out_account_name = g_strdup (host);
    }
  return TRUE;
}

static CpRateLimiter *
ecomv2_get_rate_limiter (CpConnector *connector)
{
  return cp_ecomv2_connector_get_rate_limiter (CP_ECOMV2_CONNECTOR (connector));
}

static void
cp_ecomv2_connector_iface_init (CpConnectorInterface *iface)
{
  iface->get_capabilities = ecomv2_get_capabilities;
  iface->get_batch_size = ecomv2_get_batch_size;
  iface->get_batches_per_push = ecomv2_get_batches_per_push;
  iface->test = ecomv2_test;
  iface->refresh_mappings = ecomv2_refresh_mappings;
  iface->push = ecomv2_push;
  iface->pull_orders = ecomv2_pull_orders;
  iface->get_rate_limiter = ecomv2_get_rate_limiter;
  iface->read_stock = ecomv2_read_stock;
}

static void
cp_ecomv2_connector_finalize (GObject *object)
{
  CpEcomv2Connector *self = CP_ECOMV2_CONNECTOR (object);

  g_free (self->integration_id);
  g_free (self->base_url);
  if (self->api_key != NULL)
    {
      /* Not left behind in freed memory. */
      memset (self->api_key, 0, strlen (self->api_key));
      g_free (self->api_key);
    }
  g_clear_object (&self->session);
  g_clear_object (&self->limiter);
  g_clear_pointer (&self->sku_by_product, g_hash_table_unref);
  g_mutex_clear (&self->limiter_lock);

  G_OBJECT_CLASS (cp_ecomv2_connector_parent_class)->finalize (object);
}

static void
cp_ecomv2_connector_class_init (CpEcomv2ConnectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_ecomv2_connector_finalize;
}

static void
cp_ecomv2_connector_init (CpEcomv2Connector *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Counterpart/%s", PACKAGE_VERSION);

  g_mutex_init (&self->limiter_lock);
  self->limiter = cp_rate_limiter_new_default (g_get_monotonic_time ());
  self->page_size = CP_ECOMV2_MAX_PAGE;
  self->max_inline_wait_us = DEFAULT_MAX_INLINE_WAIT_US;
  self->session = soup_session_new_with_options ("timeout", IO_TIMEOUT_S,
                                                 "idle-timeout", IDLE_TIMEOUT_S,
                                                 "user-agent", user_agent,
                                                 NULL);
}

static char *
read_api_key (const char  *credentials_json,
              GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj;
  JsonNode *node;
  const char *key;

  if (credentials_json != NULL)
    root = ecomv2_parse_json (credentials_json, strlen (credentials_json), NULL);
  obj = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  node = obj != NULL ? json_object_get_member (obj, "api_key") : NULL;
  key = node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
        json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;

  if (key == NULL || *key == '\0')
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_AUTH, 0, NULL,
                              _("The store’s credentials are missing their API key. Enter "
                                "them again as {\"api_key\": \"…\"} (the key is under "
                                "Settings > API Keys in the store’s dashboard)."));
      return NULL;
    }
  if (!cp_connector_http_is_header_safe (key))
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_AUTH, 0, NULL,
                              _("The store’s API key contains characters no key has. "
                                "Copy it again from the store’s dashboard."));
      return NULL;
    }
  return g_strdup (key);
}

CpConnector *
cp_ecomv2_connector_new (const char  *integration_id,
                         const char  *base_url,
                         const char  *credentials_json,
                         GError     **error)
{
  g_autoptr(CpEcomv2Connector) self = NULL;
  g_autofree char *key = NULL;
  g_autofree char *url = NULL;

  g_return_val_if_fail (integration_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  url = cp_connector_http_check_base_url (base_url,
                                          _("The store address must start with https:// (plain "
                                            "http only for this computer) and end with the API "
                                            "version, such as "
                                            "https://api.ecommerce-platform.com/v2."),
                                          NULL, error);
  if (url == NULL)
    return NULL;
  key = read_api_key (credentials_json, error);
  if (key == NULL)
    return NULL;

  self = g_object_new (CP_TYPE_ECOMV2_CONNECTOR, NULL);
  self->integration_id = g_strdup (integration_id);
  self->base_url = g_steal_pointer (&url);
  self->api_key = g_steal_pointer (&key);
  return CP_CONNECTOR (g_steal_pointer (&self));
}

CpRateLimiter *
cp_ecomv2_connector_get_rate_limiter (CpEcomv2Connector *self)
{
  CpRateLimiter *limiter;

  g_return_val_if_fail (CP_IS_ECOMV2_CONNECTOR (self), NULL);

  /* transfer none: valid until the next set_rate_limiter, which the
   * owner of the connector calls before handing it to the engine. */
  g_mutex_lock (&self->limiter_lock);
  limiter = self->limiter;
  g_mutex_unlock (&self->limiter_lock);
  return limiter;
}

void
cp_ecomv2_connector_set_rate_limiter (CpEcomv2Connector *self,
                                      CpRateLimiter     *limiter)
{
  g_return_if_fail (CP_IS_ECOMV2_CONNECTOR (self));
  g_return_if_fail (CP_IS_RATE_LIMITER (limiter));

  g_mutex_lock (&self->limiter_lock);
  g_set_object (&self->limiter, limiter);
  g_mutex_unlock (&self->limiter_lock);
}

void
cp_ecomv2_connector_set_page_size (CpEcomv2Connector *self,
                                   guint              page_size)
{
  g_return_if_fail (CP_IS_ECOMV2_CONNECTOR (self));

  self->page_size = CLAMP (page_size, 1, CP_ECOMV2_MAX_PAGE);
}

void
cp_ecomv2_connector_set_max_inline_wait (CpEcomv2Connector *self,
                                         gint64             wait_us)
{
  g_return_if_fail (CP_IS_ECOMV2_CONNECTOR (self));

  self->max_inline_wait_us = MAX (wait_us, 0);
}

static const char * const credential_fields[] = { "api_key", NULL };

static CpConnector *
factory (const char  *integration_id,
         const char  *base_url,
         const char  *credentials_json,
         GError     **error)
{
  return cp_ecomv2_connector_new (integration_id, base_url, credentials_json, error);
}

const CpPlatformInfo *
cp_ecomv2_connector_get_platform_info (void)
{
  static const CpPlatformInfo info = {
    .platform = CP_ECOMV2_PLATFORM,
    /* Translated where shown (the registry keeps static storage). */
    .display_name = N_("E-Commerce Platform"),
    .capabilities = CP_CONNECTOR_CAP_PUSH_STOCK | CP_CONNECTOR_CAP_PUSH_PRODUCTS |
                    CP_CONNECTOR_CAP_PULL_ORDERS | CP_CONNECTOR_CAP_PUSH_ORDER_STATUS |
                    CP_CONNECTOR_CAP_FIND_BY_REFERENCE | CP_CONNECTOR_CAP_REMOTE_CATALOG,
    .credential_fields = credential_fields,
    .factory = factory,
  };

  return &info;
}
