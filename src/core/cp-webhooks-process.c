/* cp-webhooks-process.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Processing stored deliveries, after the store was answered: an order
 * topic is read by the integration's connector (parse_webhook) and goes
 * through cp_orders_import (), as a pulled order does; product and
 * inventory topics ask the engine for a pull of that integration, since
 * the pull is what knows how to reconcile a product. Each delivery is one
 * transaction with what it imports and its new state, so a crash half-way
 * leaves it "received" and it is processed again, whole, at restart.
 */

#define G_LOG_DOMAIN "cp-webhooks"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-activity.h"
#include "cp-connector.h"
#include "cp-crash-point.h"
#include "cp-credentials.h"
#include "cp-integrations.h"
#include "cp-order-currency.h"
#include "cp-orders-import.h"
#include "cp-webhooks.h"

typedef struct
{
  CpLedger               *ledger;
  CpEngine               *engine;
  CpWebhooksCredentials   credentials;
  gpointer                credentials_data;
  GHashTable             *connectors;   /* integration id → CpConnector, or absent */
  GHashTable             *pulls_asked;  /* integration ids (set) */
} Processing;

static char *
default_credentials (CpLedger    *ledger,
                     const char  *integration_id,
                     GError     **error)
{
  g_autofree char *key = cp_integrations_credential_key (ledger, integration_id, error);

  if (key == NULL)
    return NULL;
  return cp_credentials_lookup_sync (key, NULL, error);
}

static CpConnector *
connector_for (Processing     *p,
               CpIntegration  *integration,
               GError        **error)
{
  CpConnector *connector = g_hash_table_lookup (p->connectors, integration->id);
  g_autofree char *credentials = NULL;

  if (connector != NULL)
    return connector;

  credentials = p->credentials != NULL
                ? p->credentials (p->ledger, integration->id, p->credentials_data, error)
                : default_credentials (p->ledger, integration->id, error);
  if (credentials == NULL)
    return NULL;
  connector = cp_connector_new_for_platform (integration->platform, integration->id,
                                             integration->base_url, credentials, error);
  if (connector == NULL)
    return NULL;
  g_hash_table_insert (p->connectors, g_strdup (integration->id), connector);
  return connector;
}

/* The pull is the safety net: whenever a delivery cannot be used, or
 * tells of a product or stock change, the integration is pulled soon. */
static void
ask_pull (Processing    *p,
          CpIntegration *integration)
{
  if (p->engine == NULL || g_hash_table_contains (p->pulls_asked, integration->id))
    return;
  g_hash_table_add (p->pulls_asked, g_strdup (integration->id));
  cp_engine_sync_now (p->engine, integration->id);
}

/* Marks a delivery failed, with an activity event saying why and what
 * happens next. */
static gboolean
fail_delivery (Processing         *p,
               CpWebhookDelivery  *delivery,
               CpIntegration      *integration,
               const GError       *reason,
               GError            **error)
{
  g_autofree char *message = NULL;

  if (cp_ledger_in_transaction (p->ledger))
    cp_ledger_rollback (p->ledger);

  message = g_strdup_printf (_("A webhook from “%s” (%s) could not be used: %s The next pull "
                               "of this store brings what it said."),
                             integration->name, delivery->topic, reason->message);
  ask_pull (p, integration);

  if (!cp_ledger_begin (p->ledger, error))
    return FALSE;
  if (!cp_webhooks_set_state (p->ledger, delivery->id, "failed", reason->message, error) ||
      cp_activity_log (p->ledger, CP_ACTIVITY_RECORD_REJECTED, CP_ACTIVITY_WARNING,
                       integration->id, 0, message, NULL, error) == 0 ||
      !cp_ledger_commit (p->ledger, error))
    {
      if (cp_ledger_in_transaction (p->ledger))
        cp_ledger_rollback (p->ledger);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_order_refused (const GError *error)
{
  return error->domain == CP_LEDGER_ERROR &&
         (error->code == CP_LEDGER_ERROR_INVALID || error->code == CP_LEDGER_ERROR_NOT_FOUND);
}

static gboolean
log_import (Processing           *p,
            CpIntegration        *integration,
            const CpOrder        *order,
            CpOrderImportResult   result,
            gint64                restocked,
            GError              **error)
{
  g_autofree char *message = NULL;

  if (result == CP_ORDER_IMPORT_KEPT_ASIDE)
    {
      g_autoptr(GPtrArray) numbers = g_ptr_array_new ();

      /* The event and the attention say it all: what to do included. */
      g_ptr_array_add (numbers, order->number != NULL ? order->number : order->external_id);
      message = cp_order_currency_report (p->ledger, integration, order->currency, numbers,
                                          error);
      return message != NULL;
    }

  /* The pull says the same of the same change (cp-engine-pull.c). */
  message = cp_orders_import_describe (order, integration->name, result, restocked);
  if (message == NULL)
    return TRUE;
  return cp_activity_log (p->ledger, CP_ACTIVITY_ORDER_RECEIVED_FROM_STORE, CP_ACTIVITY_INFO,
                          integration->id, 0, message, NULL, error) != 0;
}

static gboolean
process_orders (Processing         *p,
                CpWebhookDelivery  *delivery,
                CpIntegration      *integration,
                GError            **error)
{
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);
  g_autoptr(GError) reason = NULL;
  CpConnector *connector;

  connector = connector_for (p, integration, &reason);
  if (connector == NULL ||
      !cp_connector_parse_webhook (connector, delivery->topic, delivery->body, orders, &reason))
    return fail_delivery (p, delivery, integration, reason, error);

  if (!cp_ledger_begin (p->ledger, error))
    return FALSE;

  for (guint i = 0; i < orders->len; i++)
    {
      CpOrder *order = g_ptr_array_index (orders, i);
      CpOrderImportResult result;
      gint64 restocked = 0;

      /* Orders belong to the integration they came through, whatever the
       * connector wrote: dedup and status pushes key on it. */
      g_free (order->source);
      order->source = g_strdup (integration->id);

      if (!cp_orders_import (p->ledger, integration->settings, order, NULL, &result, &restocked,
                             &reason))
        {
          if (is_order_refused (reason))
            return fail_delivery (p, delivery, integration, reason, error);
          g_propagate_error (error, g_steal_pointer (&reason));
          goto fail;
        }
      if (!log_import (p, integration, order, result, restocked, error))
        goto fail;
    }

  if (!cp_webhooks_set_state (p->ledger, delivery->id, "processed", NULL, error) ||
      !cp_ledger_commit (p->ledger, error))
    goto fail;
  return TRUE;

fail:
  if (cp_ledger_in_transaction (p->ledger))
    cp_ledger_rollback (p->ledger);
  return FALSE;
}

static gboolean
process_one (Processing         *p,
             CpWebhookDelivery  *delivery,
             GError            **error)
{
  g_autoptr(CpIntegration) integration = NULL;
  g_autoptr(GError) local_error = NULL;

  integration = cp_integrations_get (p->ledger, delivery->integration_id, &local_error);
  if (integration == NULL)
    {
      /* Removed since (its deliveries go with it): nothing to do. */
      if (g_error_matches (local_error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (delivery->kind == CP_WEBHOOK_KIND_ORDERS)
    return process_orders (p, delivery, integration, error);

  ask_pull (p, integration);
  return cp_webhooks_set_state (p->ledger, delivery->id, "processed",
                                p->engine == NULL ? "no engine running: the next scheduled pull"
                                                  : NULL,
                                error);
}

gboolean
cp_webhooks_process_pending (CpLedger               *ledger,
                             const char             *integration_id,
                             CpEngine               *engine,
                             CpWebhooksCredentials   credentials,
                             gpointer                credentials_data,
                             guint                   limit,
                             guint                  *out_processed,
                             GError                **error)
{
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GHashTable) connectors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            g_object_unref);
  g_autoptr(GHashTable) pulls_asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Processing p = { ledger, engine, credentials, credentials_data, connectors, pulls_asked };
  guint done = 0;

  if (out_processed != NULL)
    *out_processed = 0;

  pending = cp_webhooks_list_pending (ledger, integration_id, limit, error);
  if (pending == NULL)
    return FALSE;

  /* Stored and acknowledged, not processed yet: the restart finds them. */
  if (pending->len > 0)
    cp_crash_point (CP_WEBHOOKS_CRASH_AFTER_STORED);

  for (guint i = 0; i < pending->len; i++)
    {
      if (!process_one (&p, g_ptr_array_index (pending, i), error))
        return FALSE;
      done++;
    }

  if (out_processed != NULL)
    *out_processed = done;
  return TRUE;
}
