/* cp-woocommerce-connector.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The WooCommerce connector object: its settings, the credentials check
 * and what it tells the engine about itself. The operations live in
 * cp-woocommerce-pull.c and cp-woocommerce-push.c, the wire in
 * cp-woocommerce-http.c.
 */

#define G_LOG_DOMAIN "cp-woocommerce"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-connector-http.h"
#include "cp-connectors-webhooks.h"
#include "cp-integrations.h"
#include "cp-outbox.h"

#include "cp-woocommerce-private.h"

/* WordPress can be slow: a page of 100 orders with their items takes a
 * shared host seconds. These bound a dead connection only. */
#define IO_TIMEOUT_S   60
#define IDLE_TIMEOUT_S 60
#define DEFAULT_MAX_INLINE_WAIT_US (5 * G_USEC_PER_SEC)

static void cp_woocommerce_connector_iface_init (CpConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CpWoocommerceConnector, cp_woocommerce_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CP_TYPE_CONNECTOR,
                                                      cp_woocommerce_connector_iface_init))

#define WOO_CAPABILITIES (CP_CONNECTOR_CAP_PUSH_STOCK | CP_CONNECTOR_CAP_PUSH_PRODUCTS | \
                          CP_CONNECTOR_CAP_PULL_ORDERS | CP_CONNECTOR_CAP_PUSH_ORDER_STATUS | \
                          CP_CONNECTOR_CAP_FIND_BY_REFERENCE | CP_CONNECTOR_CAP_REMOTE_CATALOG)

static CpConnectorCaps
woo_get_capabilities (CpConnector *connector)
{
  /* No idempotency keys on WooCommerce; a create whose answer was lost
   * is found again by its SKU (products?sku=). */
  return WOO_CAPABILITIES;
}

static guint
woo_get_batch_size (CpConnector *connector,
                    const char  *job_kind)
{
  /* The batch endpoints take 100 items; a push splits simple products
   * and each product's variations into requests of at most that. A
   * product's variations go only through its own variations/batch, so
   * stock pushes take more jobs at once: the variations of one product,
   * queued apart, then share a request instead of costing one each
   * push they fall in. */
  if (g_strcmp0 (job_kind, CP_JOB_STOCK_PUSH) == 0)
    return CP_WOOCOMMERCE_STOCK_PUSH_JOBS;
  if (g_strcmp0 (job_kind, CP_JOB_PRODUCT_PUSH) == 0)
    return CP_WOOCOMMERCE_MAX_BATCH;
  return 1;
}

static char *
site_name (CpWoocommerceConnector *self,
           WooResponse            *index)
{
  JsonObject *obj = index->root != NULL && JSON_NODE_HOLDS_OBJECT (index->root)
                    ? json_node_get_object (index->root) : NULL;
  JsonNode *name = obj != NULL ? json_object_get_member (obj, "name") : NULL;
  g_autoptr(GUri) uri = NULL;

  if (name != NULL && JSON_NODE_HOLDS_VALUE (name) &&
      json_node_get_value_type (name) == G_TYPE_STRING && *json_node_get_string (name) != '\0')
    return g_strdup (json_node_get_string (name));
  uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
  return g_strdup (uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : self->base_url);
}

static gboolean
woo_test (CpConnector   *connector,
          char         **out_account_name,
          GCancellable  *cancellable,
          GError       **error)
{
  CpWoocommerceConnector *self = CP_WOOCOMMERCE_CONNECTOR (connector);
  g_auto(WooResponse) index = { 0 };
  g_auto(WooResponse) settings = { 0 };
  g_auto(WooResponse) probe = { 0 };
  g_autofree char *currency = NULL;
  g_autofree char *name = NULL;

  /* The WordPress index names the site; it needs no key, so a failure
   * here is the address, not the keys. */
  if (!woo_http_call (self, "GET", "/wp-json/", NULL, &index, cancellable, error))
    return FALSE;
  /* An authenticated read: the keys, and the store's currency. */
  if (!woo_http_call (self, "GET", "/settings/general", NULL, &settings, cancellable, error))
    return FALSE;
  currency = woo_parse_currency_setting (settings.root);
  if (currency == NULL)
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0,
                              woo_response_get_exchange (&settings),
                              _("The site answers, but not like WooCommerce: its general "
                                "settings name no currency. Check that the address is the "
                                "WooCommerce site’s."));
      return FALSE;
    }
  /* An empty batch writes nothing but needs a key with write access:
   * a Read-only key fails here, in the wizard, not at the first sale. */
  if (!woo_http_call (self, "POST", "/products/batch", "{}", &probe, cancellable, error))
    return FALSE;

  name = site_name (self, &index);
  if (out_account_name != NULL)
    /* Translators: a WooCommerce site's name and its currency code. */
    *out_account_name = g_strdup_printf (_("%s (%s)"), name, currency);
  return TRUE;
}

static CpRateLimiter *
woo_get_rate_limiter (CpConnector *connector)
{
  return cp_woocommerce_connector_get_rate_limiter (CP_WOOCOMMERCE_CONNECTOR (connector));
}

static void
cp_woocommerce_connector_iface_init (CpConnectorInterface *iface)
{
  iface->get_capabilities = woo_get_capabilities;
  iface->get_batch_size = woo_get_batch_size;
  iface->test = woo_test;
  iface->refresh_mappings = woo_refresh_mappings;
  iface->push = woo_push;
  iface->pull_orders = woo_pull_orders;
  iface->get_rate_limiter = woo_get_rate_limiter;
  iface->parse_webhook = cp_woocommerce_connector_parse_webhook;
  iface->read_stock = woo_read_stock;
}

static void
wipe (char *secret)
{
  if (secret != NULL)
    {
      memset (secret, 0, strlen (secret));
      g_free (secret);
    }
}

static void
cp_woocommerce_connector_finalize (GObject *object)
{
  CpWoocommerceConnector *self = CP_WOOCOMMERCE_CONNECTOR (object);

  g_free (self->integration_id);
  g_free (self->base_url);
  wipe (self->consumer_key);
  wipe (self->consumer_secret);
  g_clear_object (&self->session);
  g_clear_object (&self->limiter);
  g_mutex_clear (&self->limiter_lock);

  G_OBJECT_CLASS (cp_woocommerce_connector_parent_class)->finalize (object);
}

static void
cp_woocommerce_connector_class_init (CpWoocommerceConnectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_woocommerce_connector_finalize;
}

static void
cp_woocommerce_connector_init (CpWoocommerceConnector *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Counterpart/%s", PACKAGE_VERSION);

  g_mutex_init (&self->limiter_lock);
  /* Seed 003's 60 requests a minute: WooCommerce has no limit of its
   * own, but a shared host falls over long before any platform would. */
  self->limiter = cp_rate_limiter_new_default (g_get_monotonic_time ());
  self->page_size = CP_WOOCOMMERCE_MAX_PAGE;
  self->max_inline_wait_us = DEFAULT_MAX_INLINE_WAIT_US;
  self->session = soup_session_new_with_options ("timeout", IO_TIMEOUT_S,
                                                 "idle-timeout", IDLE_TIMEOUT_S,
                                                 "user-agent", user_agent,
                                                 NULL);
  cp_connector_http_use_test_authority (self->session);
}

static char *
read_secret (JsonObject  *obj,
             const char  *member,
             GError     **error)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, member) : NULL;
  const char *value = node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
                      json_node_get_value_type (node) == G_TYPE_STRING
                      ? json_node_get_string (node) : NULL;

  /* Named as WooCommerce's REST API screen names them, not by the JSON
   * member, and each in a sentence of its own for the translators. */
  gboolean is_key = g_str_equal (member, "consumer_key");

  if (value == NULL || *value == '\0')
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_AUTH, 0, NULL, "%s",
                              is_key
                              ? _("The WooCommerce consumer key is missing. Re-enter the keys "
                                  "as {\"consumer_key\": \"ck_…\", \"consumer_secret\": \"cs_…\"}, "
                                  "from WooCommerce → Settings → Advanced → REST API.")
                              : _("The WooCommerce consumer secret is missing. Re-enter the keys "
                                  "as {\"consumer_key\": \"ck_…\", \"consumer_secret\": \"cs_…\"}, "
                                  "from WooCommerce → Settings → Advanced → REST API."));
      return NULL;
    }
  if (!cp_connector_http_is_header_safe (value))
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_AUTH, 0, NULL, "%s",
                              is_key
                              ? _("The WooCommerce consumer key contains characters no key "
                                  "has. Copy it again from WooCommerce → Settings → Advanced → "
                                  "REST API.")
                              : _("The WooCommerce consumer secret contains characters no key "
                                  "has. Copy it again from WooCommerce → Settings → Advanced → "
                                  "REST API."));
      return NULL;
    }
  return g_strdup (value);
}

CpConnector *
cp_woocommerce_connector_new (const char  *integration_id,
                              const char  *base_url,
                              const char  *credentials_json,
                              GError     **error)
{
  g_autoptr(CpWoocommerceConnector) self = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj;
  g_autofree char *url = NULL;
  gboolean plain_http = FALSE;

  g_return_val_if_fail (integration_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The scheme decides the signing: OAuth on plain http, Basic on https. */
  url = cp_connector_http_check_base_url (base_url,
                                          _("The WooCommerce address must be the site’s, starting "
                                            "with https://, such as https://shop.example.com "
                                            "(plain http only for this computer)."),
                                          &plain_http, error);
  if (url == NULL)
    return NULL;
  if (credentials_json != NULL)
    root = woo_parse_json (credentials_json, strlen (credentials_json), NULL);
  obj = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;

  self = g_object_new (CP_TYPE_WOOCOMMERCE_CONNECTOR, NULL);
  self->consumer_key = read_secret (obj, "consumer_key", error);
  if (self->consumer_key == NULL)
    return NULL;
  self->consumer_secret = read_secret (obj, "consumer_secret", error);
  if (self->consumer_secret == NULL)
    return NULL;
  self->integration_id = g_strdup (integration_id);
  self->base_url = g_steal_pointer (&url);
  self->use_oauth = plain_http;
  return CP_CONNECTOR (g_steal_pointer (&self));
}

CpRateLimiter *
cp_woocommerce_connector_get_rate_limiter (CpWoocommerceConnector *self)
{
  CpRateLimiter *limiter;

  g_return_val_if_fail (CP_IS_WOOCOMMERCE_CONNECTOR (self), NULL);

  g_mutex_lock (&self->limiter_lock);
  limiter = self->limiter;
  g_mutex_unlock (&self->limiter_lock);
  return limiter;
}

void
cp_woocommerce_connector_set_rate_limiter (CpWoocommerceConnector *self,
                                           CpRateLimiter          *limiter)
{
  g_return_if_fail (CP_IS_WOOCOMMERCE_CONNECTOR (self));
  g_return_if_fail (CP_IS_RATE_LIMITER (limiter));

  g_mutex_lock (&self->limiter_lock);
  g_set_object (&self->limiter, limiter);
  g_mutex_unlock (&self->limiter_lock);
}

void
cp_woocommerce_connector_set_page_size (CpWoocommerceConnector *self,
                                        guint                   page_size)
{
  g_return_if_fail (CP_IS_WOOCOMMERCE_CONNECTOR (self));

  self->page_size = CLAMP (page_size, 1, CP_WOOCOMMERCE_MAX_PAGE);
}

void
cp_woocommerce_connector_set_tls_database (CpWoocommerceConnector *self,
                                           GTlsDatabase           *database)
{
  g_return_if_fail (CP_IS_WOOCOMMERCE_CONNECTOR (self));
  g_return_if_fail (G_IS_TLS_DATABASE (database));

  /* Replaces the system's authorities rather than adding to them: a
   * test proves its own anchor is what let the connection through. */
  soup_session_set_tls_database (self->session, database);
}

void
cp_woocommerce_connector_set_max_inline_wait (CpWoocommerceConnector *self,
                                              gint64                  wait_us)
{
  g_return_if_fail (CP_IS_WOOCOMMERCE_CONNECTOR (self));

  self->max_inline_wait_us = MAX (wait_us, 0);
}

static const char * const credential_fields[] = { "consumer_key", "consumer_secret", NULL };

static CpConnector *
factory (const char  *integration_id,
         const char  *base_url,
         const char  *credentials_json,
         GError     **error)
{
  return cp_woocommerce_connector_new (integration_id, base_url, credentials_json, error);
}

const CpPlatformInfo *
cp_woocommerce_connector_get_platform_info (void)
{
  static const CpPlatformInfo info = {
    .platform = CP_WOOCOMMERCE_PLATFORM,
    .display_name = N_("WooCommerce"),
    .capabilities = WOO_CAPABILITIES,
    .credential_fields = credential_fields,
    .factory = factory,
  };

  return &info;
}
