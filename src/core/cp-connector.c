/* cp-connector.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cp-connector.h"

/* ---- The classified error ---------------------------------------------- */

/* An extended error so the wait and the exchange travel with the GError
 * through g_propagate_error and g_error_copy, instead of in side channels
 * every caller would have to thread through. */
typedef struct
{
  gint64  wait_us;
  char   *exchange;
} CpConnectorErrorPrivate;

static void
cp_connector_error_private_init (CpConnectorErrorPrivate *priv)
{
  priv->wait_us = 0;
  priv->exchange = NULL;
}

static void
cp_connector_error_private_copy (const CpConnectorErrorPrivate *src,
                                 CpConnectorErrorPrivate       *dest)
{
  dest->wait_us = src->wait_us;
  dest->exchange = g_strdup (src->exchange);
}

static void
cp_connector_error_private_clear (CpConnectorErrorPrivate *priv)
{
  g_clear_pointer (&priv->exchange, g_free);
}

G_DEFINE_EXTENDED_ERROR (CpConnectorError, cp_connector_error)

void
cp_connector_set_error (GError           **error,
                        CpConnectorError   code,
                        gint64             wait_us,
                        const char        *exchange_json,
                        const char        *format,
                        ...)
{
  CpConnectorErrorPrivate *priv;
  GError *new_error;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  new_error = g_error_new_valist (CP_CONNECTOR_ERROR, code, format, args);
  va_end (args);

  priv = cp_connector_error_get_private (new_error);
  priv->wait_us = MAX (wait_us, 0);
  priv->exchange = g_strdup (exchange_json);

  g_propagate_error (error, new_error);
}

gint64
cp_connector_error_get_wait_us (const GError *error)
{
  CpConnectorErrorPrivate *priv;

  if (error == NULL || error->domain != CP_CONNECTOR_ERROR)
    return 0;
  priv = cp_connector_error_get_private (error);
  return priv != NULL ? priv->wait_us : 0;
}

const char *
cp_connector_error_get_exchange (const GError *error)
{
  CpConnectorErrorPrivate *priv;

  if (error == NULL || error->domain != CP_CONNECTOR_ERROR)
    return NULL;
  priv = cp_connector_error_get_private (error);
  return priv != NULL ? priv->exchange : NULL;
}

void
cp_connector_error_set_exchange (GError     *error,
                                 const char *exchange_json)
{
  CpConnectorErrorPrivate *priv;

  if (error == NULL || error->domain != CP_CONNECTOR_ERROR)
    return;
  priv = cp_connector_error_get_private (error);
  if (priv == NULL)
    return;
  g_free (priv->exchange);
  priv->exchange = g_strdup (exchange_json);
}

const char *
cp_connector_error_kind_to_string (const GError *error)
{
  if (error == NULL || error->domain != CP_CONNECTOR_ERROR)
    return "internal";

  switch ((CpConnectorError) error->code)
    {
    case CP_CONNECTOR_ERROR_AUTH:
      return "auth";
    case CP_CONNECTOR_ERROR_PERMISSION:
      return "permission";
    case CP_CONNECTOR_ERROR_RATE_LIMITED:
      return "rate_limited";
    case CP_CONNECTOR_ERROR_TRANSIENT:
      return "transient";
    case CP_CONNECTOR_ERROR_INVALID_DATA:
      return "invalid_data";
    case CP_CONNECTOR_ERROR_REMOTE_BUG:
      return "remote_bug";
    case CP_CONNECTOR_ERROR_NOT_FOUND:
      return "not_found";
    case CP_CONNECTOR_ERROR_CONFIG:
      return "config";
    default:
      return "internal";
    }
}

gboolean
cp_connector_error_is_retryable (const GError *error)
{
  if (error == NULL || error->domain != CP_CONNECTOR_ERROR)
    return FALSE;

  switch ((CpConnectorError) error->code)
    {
    case CP_CONNECTOR_ERROR_RATE_LIMITED:
    case CP_CONNECTOR_ERROR_TRANSIENT:
    case CP_CONNECTOR_ERROR_REMOTE_BUG:
      return TRUE;
    case CP_CONNECTOR_ERROR_AUTH:
    case CP_CONNECTOR_ERROR_PERMISSION:
    case CP_CONNECTOR_ERROR_INVALID_DATA:
    case CP_CONNECTOR_ERROR_NOT_FOUND:
    case CP_CONNECTOR_ERROR_CONFIG:
      return FALSE;
    default:
      return FALSE;
    }
}

/* ---- The push context --------------------------------------------------- */

struct _CpPushContext
{
  CpPushContextWillSend     will_send;
  CpPushContextWillSendMany will_send_many;
  gpointer                  user_data;
};

CpPushContext *
cp_push_context_new (CpPushContextWillSend will_send,
                     gpointer              user_data)
{
  CpPushContext *context;

  g_return_val_if_fail (will_send != NULL, NULL);

  context = g_new0 (CpPushContext, 1);
  context->will_send = will_send;
  context->user_data = user_data;
  return context;
}

void
cp_push_context_free (CpPushContext *context)
{
  g_free (context);
}

void
cp_push_context_set_will_send_many (CpPushContext             *context,
                                    CpPushContextWillSendMany  will_send_many)
{
  g_return_if_fail (context != NULL);

  context->will_send_many = will_send_many;
}

gboolean
cp_push_context_will_send_many (CpPushContext       *context,
                                GPtrArray           *jobs,
                                const char * const  *fingerprints,
                                GError             **error)
{
  g_return_val_if_fail (context != NULL, FALSE);
  g_return_val_if_fail (jobs != NULL, FALSE);
  g_return_val_if_fail (fingerprints != NULL || jobs->len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < jobs->len; i++)
    g_return_val_if_fail (fingerprints[i] != NULL, FALSE);

  if (jobs->len == 0)
    return TRUE;
  if (context->will_send_many != NULL)
    return context->will_send_many (jobs, fingerprints, context->user_data, error);

  /* One request at a time: the jobs of a request come together. */
  for (guint first = 0; first < jobs->len;)
    {
      g_autoptr(GPtrArray) request = g_ptr_array_new ();
      guint end = first;

      while (end < jobs->len && g_str_equal (fingerprints[end], fingerprints[first]))
        g_ptr_array_add (request, g_ptr_array_index (jobs, end++));
      if (!context->will_send (request, fingerprints[first], context->user_data, error))
        return FALSE;
      first = end;
    }
  return TRUE;
}

gboolean
cp_push_context_will_send (CpPushContext  *context,
                           GPtrArray      *jobs,
                           const char     *fingerprint,
                           GError        **error)
{
  g_return_val_if_fail (context != NULL, FALSE);
  g_return_val_if_fail (jobs != NULL, FALSE);
  g_return_val_if_fail (fingerprint != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return context->will_send (jobs, fingerprint, context->user_data, error);
}

/* ---- The interface ------------------------------------------------------ */

void
cp_mapping_report_free (CpMappingReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->matched, g_ptr_array_unref);
  g_clear_pointer (&report->unmatched_local, g_ptr_array_unref);
  g_clear_pointer (&report->unmatched_remote, g_ptr_array_unref);
  g_clear_pointer (&report->duplicates, g_ptr_array_unref);
  g_clear_pointer (&report->locations, g_ptr_array_unref);
  g_free (report);
}

G_DEFINE_INTERFACE (CpConnector, cp_connector, G_TYPE_OBJECT)

static void
cp_connector_default_init (CpConnectorInterface *iface)
{
}

CpConnectorCaps
cp_connector_get_capabilities (CpConnector *self)
{
  CpConnectorInterface *iface;

  g_return_val_if_fail (CP_IS_CONNECTOR (self), CP_CONNECTOR_CAP_NONE);

  iface = CP_CONNECTOR_GET_IFACE (self);
  if (iface->get_capabilities == NULL)
    return CP_CONNECTOR_CAP_NONE;
  return iface->get_capabilities (self);
}

guint
cp_connector_get_batch_size (CpConnector *self,
                             const char  *job_kind)
{
  CpConnectorInterface *iface;

  g_return_val_if_fail (CP_IS_CONNECTOR (self), 1);
  g_return_val_if_fail (job_kind != NULL, 1);

  iface = CP_CONNECTOR_GET_IFACE (self);
  if (iface->get_batch_size == NULL)
    return 1;
  /* 0 would stall the engine's batching loop: a connector saying 0 means 1. */
  return MAX (iface->get_batch_size (self, job_kind), 1);
}

guint
cp_connector_get_batches_per_push (CpConnector *self,
                                   const char  *job_kind)
{
  CpConnectorInterface *iface;

  g_return_val_if_fail (CP_IS_CONNECTOR (self), 1);
  g_return_val_if_fail (job_kind != NULL, 1);

  iface = CP_CONNECTOR_GET_IFACE (self);
  if (iface->get_batches_per_push == NULL)
    return 1;
  return MAX (iface->get_batches_per_push (self, job_kind), 1);
}

/* A connector lacking an operation says so as a CONFIG error, which the
 * engine shows instead of crashing on a NULL vfunc. */
static gboolean
not_supported (GError     **error,
               const char  *message)
{
  cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL, "%s", message);
  return FALSE;
}

gboolean
cp_connector_test (CpConnector   *self,
                   char         **out_account_name,
                   GCancellable  *cancellable,
                   GError       **error)
{
  CpConnectorInterface *iface;

  g_return_val_if_fail (CP_IS_CONNECTOR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_account_name != NULL)
    *out_account_name = NULL;
  iface = CP_CONNECTOR_GET_IFACE (self);
  if (iface->test == NULL)
    return not_supported (error, _("This kind of store connection cannot check its credentials."));
  return iface->test (self, out_account_name, cancellable, error);
}

CpMappingReport *
cp_connector_refresh_mappings (CpConnector   *self,
                               CpLedger      *ledger,
                               GCancellable  *cancellable,
                               GError       **error)
{
  CpConnectorInterface *iface;

  g_return_val_if_fail (CP_IS_CONNECTOR (self), NULL);
  g_return_val_if_fail (ledger != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = CP_CONNECTOR_GET_IFACE (self);
  if (iface->refresh_mappings == NULL)
    {
      not_supported (error, _("This kind of store connection cannot list the store’s products."));
      return NULL;
    }
  return iface->refresh_mappings (self, ledger, cancellable, error);
}

gboolean
cp_connector_push (CpConnector   *self,
                   CpLedger      *ledger,
                   CpPushContext *context,
                   const char    *job_kind,
                   GPtrArray     *jobs,
                   GPtrArray     *out_errors,
                   GCancellable  *cancellable,
                   GError       **error)
{
  CpConnectorInterface *iface;
  gboolean ok;

  g_return_val_if_fail (CP_IS_CONNECTOR (self), FALSE);
  g_return_val_if_fail (ledger != NULL, FALSE);
  g_return_val_if_fail (context != NULL, FALSE);
  g_return_val_if_fail (job_kind != NULL, FALSE);
  g_return_val_if_fail (jobs != NULL, FALSE);
  g_return_val_if_fail (out_errors != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = CP_CONNECTOR_GET_IFACE (self);
  if (iface->push == NULL)
    return not_supported (error, _("This kind of store connection cannot send changes to the store."));

  ok = iface->push (self, ledger, context, job_kind, jobs, out_errors,
                    cancellable, error);

  /* The contract the engine relies on: one entry per job on success,
   * none on failure. A connector breaking it is a bug here, not there. */
  if (ok)
    g_warn_if_fail (out_errors->len == jobs->len);
  else if (out_errors->len > 0)
    g_ptr_array_set_size (out_errors, 0);
  return ok;
}

gboolean
cp_connector_pull_orders (CpConnector   *self,
                          const char    *cursor,
                          CpOrderSink    sink,
                          gpointer       sink_data,
                          char         **out_cursor,
                          GCancellable  *cancellable,
                          GError       **error)
{
  CpConnectorInterface *iface;

  g_return_val_if_fail (CP_IS_CONNECTOR (self), FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);
  g_return_val_if_fail (out_cursor != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out_cursor = NULL;
  iface = CP_CONNECTOR_GET_IFACE (self);
  if (iface->pull_orders == NULL)
    return not_supported (error, _("This kind of store connection cannot fetch orders."));
  return iface->pull_orders (self, cursor, sink, sink_data, out_cursor,
                             cancellable, error);
}

CpRateLimiter *
cp_connector_get_rate_limiter (CpConnector *self)
{
  CpConnectorInterface *iface;

  g_return_val_if_fail (CP_IS_CONNECTOR (self), NULL);

  iface = CP_CONNECTOR_GET_IFACE (self);
  if (iface->get_rate_limiter == NULL)
    return NULL;
  return iface->get_rate_limiter (self);
}

gboolean
cp_connector_can_parse_webhooks (CpConnector *self)
{
  g_return_val_if_fail (CP_IS_CONNECTOR (self), FALSE);

  return CP_CONNECTOR_GET_IFACE (self)->parse_webhook != NULL;
}

gboolean
cp_connector_parse_webhook (CpConnector  *self,
                            const char   *topic,
                            GBytes       *body,
                            GPtrArray    *out_orders,
                            GError      **error)
{
  CpConnectorInterface *iface;

  g_return_val_if_fail (CP_IS_CONNECTOR (self), FALSE);
  g_return_val_if_fail (body != NULL && out_orders != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  iface = CP_CONNECTOR_GET_IFACE (self);
  if (iface->parse_webhook == NULL)
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL,
                              _("Counterpart cannot read this platform's webhooks yet; its "
                                "orders arrive with the next pull."));
      return FALSE;
    }
  return iface->parse_webhook (self, topic, body, out_orders, error);
}

gboolean
cp_connector_can_read_stock (CpConnector *self)
{
  g_return_val_if_fail (CP_IS_CONNECTOR (self), FALSE);

  return CP_CONNECTOR_GET_IFACE (self)->read_stock != NULL;
}

gboolean
cp_connector_read_stock (CpConnector   *self,
                         CpLedger      *ledger,
                         GPtrArray     *wanted,
                         GPtrArray     *out_found,
                         GCancellable  *cancellable,
                         GError       **error)
{
  CpConnectorInterface *iface;

  g_return_val_if_fail (CP_IS_CONNECTOR (self), FALSE);
  g_return_val_if_fail (wanted != NULL && out_found != NULL, FALSE);

  iface = CP_CONNECTOR_GET_IFACE (self);
  if (iface->read_stock == NULL)
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL,
                              _("This store connection cannot read the store’s stock, so it "
                                "cannot be compared with the shop’s."));
      return FALSE;
    }
  return iface->read_stock (self, ledger, wanted, out_found, cancellable, error);
}

/* ---- The platform registry ---------------------------------------------- */

/* Few platforms will ever exist; a fixed array keeps list_platforms'
 * result valid forever without a lock on the reader's side. Entries are
 * only ever appended, the NULL after the last one is already in place
 * when the count is published. */
#define CP_MAX_PLATFORMS 32

static GMutex registry_lock;
static const CpPlatformInfo *registry[CP_MAX_PLATFORMS + 1];
static guint registry_len;

void
cp_connector_register_platform (const CpPlatformInfo *info)
{
  g_return_if_fail (info != NULL);
  g_return_if_fail (info->platform != NULL && info->platform[0] != '\0');
  g_return_if_fail (info->factory != NULL);

  g_mutex_lock (&registry_lock);
  for (guint i = 0; i < registry_len; i++)
    {
      if (g_str_equal (registry[i]->platform, info->platform))
        {
          /* Registering twice is harmless (register_all may run from the
           * CLI and again from a test); two different infos under one
           * name is a programming error. */
          if (registry[i] != info)
            g_critical ("Platform “%s” is already registered", info->platform);
          g_mutex_unlock (&registry_lock);
          return;
        }
    }
  if (registry_len >= CP_MAX_PLATFORMS)
    {
      g_critical ("Too many platforms registered (at most %d)", CP_MAX_PLATFORMS);
      g_mutex_unlock (&registry_lock);
      return;
    }
  g_atomic_pointer_set (&registry[registry_len], info);
  registry_len++;
  g_mutex_unlock (&registry_lock);
}

const CpPlatformInfo *
cp_connector_lookup_platform (const char *platform)
{
  const CpPlatformInfo *found = NULL;

  if (platform == NULL)
    return NULL;

  g_mutex_lock (&registry_lock);
  for (guint i = 0; i < registry_len; i++)
    {
      if (g_str_equal (registry[i]->platform, platform))
        {
          found = registry[i];
          break;
        }
    }
  g_mutex_unlock (&registry_lock);
  return found;
}

const CpPlatformInfo * const *
cp_connector_list_platforms (guint *out_n)
{
  g_mutex_lock (&registry_lock);
  if (out_n != NULL)
    *out_n = registry_len;
  g_mutex_unlock (&registry_lock);
  return (const CpPlatformInfo * const *) registry;
}

CpConnector *
cp_connector_new_for_platform (const char  *platform,
                               const char  *integration_id,
                               const char  *base_url,
                               const char  *credentials_json,
                               GError     **error)
{
  const CpPlatformInfo *info;
  CpConnector *connector;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = cp_connector_lookup_platform (platform);
  if (info == NULL)
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL,
                              _("Counterpart does not know the platform “%s”. "
                                "Choose one of the platforms it lists."),
                              platform != NULL ? platform : "");
      return NULL;
    }

  connector = info->factory (integration_id, base_url, credentials_json, error);
  g_return_val_if_fail (connector == NULL || CP_IS_CONNECTOR (connector), NULL);
  return connector;
}
