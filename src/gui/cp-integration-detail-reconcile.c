/* cp-integration-detail-reconcile.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The comparison itself belongs to the engine, which runs it on its own
 * thread and connection, after whatever it is doing; a second engine
 * cannot run beside it (the run lock). So the window does not compare:
 * it asks, then reads what the engine logged. The newest activity id at
 * the moment of asking is the line: the first InventoryReconciled event
 * of this integration above it is the answer; a connection failure, a
 * rejected key or syncing stopped above it ends the wait with that
 * failure's own words. The engine's integration-changed signal says
 * when to look; a slow timer catches what it does not announce (syncing
 * stopped, a pause from the tray).
 */

#define G_LOG_DOMAIN "cp-integration-detail"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cp-integration-detail-reconcile.h"
#include "cp-integrations.h"
#include "cp-relative-time.h"

/* Events of this integration read per look: more than a pass logs
 * between two looks unless orders pour in, and then the answer is
 * found at the next look anyway (the type filter below). */
#define LOOK_EVENTS 50
#define POLL_SECONDS 1

G_DEFINE_QUARK (cp-stock-check-error-quark, cp_stock_check_error)

void
cp_stock_check_free (CpStockCheck *self)
{
  if (self == NULL)
    return;
  g_free (self->message);
  g_free (self);
}

static guint
member_uint (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return (guint) CLAMP (json_node_get_int (node), 0, G_MAXUINT);
}

CpStockCheck *
cp_stock_check_from_event (const CpActivityEvent *event)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  CpStockCheck *check;

  g_return_val_if_fail (event != NULL, NULL);

  check = g_new0 (CpStockCheck, 1);
  check->at = event->at;
  check->message = g_strdup (event->message);
  /* Written by the engine; without details it did not compare (the
   * store keeps its own count, no permission, ...). */
  if (event->details != NULL && json_parser_load_from_data (parser, event->details, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonObject *details = json_node_get_object (json_parser_get_root (parser));

      check->compared = json_object_has_member (details, "checked");
      check->checked = member_uint (details, "checked");
      check->fixed = member_uint (details, "fixed");
      check->missing = member_uint (details, "missing");
      check->in_flight = member_uint (details, "in_flight");
    }
  return check;
}

CpStockCheck *
cp_stock_check_get_last (CpLedger    *ledger,
                         const char  *integration_id,
                         GError     **error)
{
  CpActivityQuery query = { 0 };
  g_autoptr(GPtrArray) events = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (integration_id != NULL, NULL);

  query.integration_id = integration_id;
  query.type = CP_ACTIVITY_INVENTORY_RECONCILED;
  query.limit = 1;
  events = cp_activity_query (ledger, &query, error);
  if (events == NULL || events->len == 0)
    return NULL;
  return cp_stock_check_from_event (g_ptr_array_index (events, 0));
}

char *
cp_stock_check_describe (const CpStockCheck *check,
                         const char         *store_name)
{
  g_autofree char *first = NULL;
  g_autofree char *missing = NULL;

  g_return_val_if_fail (check != NULL, NULL);

  if (!check->compared)
    return g_strdup (check->message);
  if (check->checked == 0)
    /* Translators: %s is the store's name. */
    return g_strdup_printf (_("No product is linked to “%s” yet, so there was nothing to compare."),
                            store_name);

  if (check->fixed > 0)
    first = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          /* Translators: %u is a number of products, %s the store's name. */
                                          "%u product had a different stock on “%s”; Counterpart is "
                                          "setting it back to your count.",
                                          "%u products had a different stock on “%s”; Counterpart is "
                                          "setting them back to your counts.",
                                          check->fixed),
                             check->fixed, store_name);
  else if (check->in_flight > 0)
    /* A difference a push already under way will settle is no drift. */
    first = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          /* Translators: %u is a number of products, %s the store's name. */
                                          "The stock agrees with “%s”, but for %u product whose new "
                                          "count is on its way there.",
                                          "The stock agrees with “%s”, but for %u products whose new "
                                          "counts are on their way there.",
                                          check->in_flight),
                             store_name, check->in_flight);
  else
    /* Translators: %s is the store's name. */
    first = g_strdup_printf (_("Every product’s stock agrees with “%s”."), store_name);

  if (check->missing == 0)
    return g_steal_pointer (&first);

  missing = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u product is not on the store; see Products and Locations below.",
                                          "%u products are not on the store; see Products and Locations below.",
                                          check->missing),
                             check->missing);
  /* Translators: two sentences, one after the other. */
  return g_strdup_printf (_("%s %s"), first, missing);
}

char *
cp_stock_check_summary (const CpStockCheck *check,
                        gint64              now_us)
{
  g_autofree char *when = NULL;
  g_autofree char *what = NULL;

  g_return_val_if_fail (check != NULL, NULL);

  when = cp_relative_time_format (check->at, now_us);
  if (!check->compared)
    what = g_strdup (_("not compared"));
  else if (check->fixed > 0)
    /* Translators: how many products a stock check corrected. */
    what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u corrected", "%u corrected",
                                         check->fixed),
                            check->fixed);
  else
    what = g_strdup (_("all agreed"));
  /* Translators: when the stock was last checked, then what it found:
   * "2 hours ago · 3 corrected". */
  return g_strdup_printf (_("%s · %s"), when, what);
}

/* ---- Waiting for the engine's answer --------------------------------- */

typedef struct
{
  CpEngine *engine;
  CpLedger *ledger;
  char     *id;
  gint64    baseline;       /* newest activity id when asked */
  gulong    changed_handler;
  guint     poll_source;
  GSource  *cancel_source;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_assert (data->changed_handler == 0 && data->poll_source == 0 && data->cancel_source == NULL);
  g_clear_object (&data->engine);
  g_clear_object (&data->ledger);
  g_free (data->id);
  g_free (data);
}

/* Stops looking; drops the reference the sources and handler held. */
static void
stop_watching (GTask *task)
{
  CheckData *data = g_task_get_task_data (task);

  g_clear_signal_handler (&data->changed_handler, data->engine);
  g_clear_handle_id (&data->poll_source, g_source_remove);
  if (data->cancel_source != NULL)
    {
      g_source_destroy (data->cancel_source);
      g_clear_pointer (&data->cancel_source, g_source_unref);
    }
}

static void
finish_error (GTask  *task,
              GError *error)
{
  stop_watching (task);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static gint64
newest_event_id (CpLedger    *ledger,
                 const char  *integration_id,
                 const char  *type,
                 GError     **error)
{
  CpActivityQuery query = { 0 };
  g_autoptr(GPtrArray) events = NULL;

  query.integration_id = integration_id;
  query.type = type;
  query.limit = 1;
  events = cp_activity_query (ledger, &query, error);
  if (events == NULL)
    return -1;
  return events->len > 0 ? ((CpActivityEvent *) g_ptr_array_index (events, 0))->id : 0;
}

static gboolean
ends_the_wait (const CpActivityEvent *event)
{
  /* A rate limit only delays it: the engine goes on by itself. */
  return g_strcmp0 (event->type, CP_ACTIVITY_STORE_CONNECTION_FAILED) == 0 ||
         g_strcmp0 (event->type, CP_ACTIVITY_CREDENTIALS_REJECTED) == 0;
}

/* Returns TRUE when TASK is over (returned). */
static gboolean
look (GTask *task)
{
  CheckData *data = g_task_get_task_data (task);
  CpActivityQuery query = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) answer = NULL;
  g_autoptr(CpIntegration) integration = NULL;
  g_autoptr(GError) error = NULL;
  const CpActivityEvent *failure = NULL;
  gint64 stopped;

  /* The answer first: a failure logged before it did not stop it. */
  query.integration_id = data->id;
  query.type = CP_ACTIVITY_INVENTORY_RECONCILED;
  query.limit = 1;
  answer = cp_activity_query (data->ledger, &query, &error);
  if (answer == NULL)
    goto ledger_failed;
  if (answer->len > 0)
    {
      const CpActivityEvent *event = g_ptr_array_index (answer, 0);

      if (event->id > data->baseline)
        {
          CpStockCheck *check = cp_stock_check_from_event (event);

          stop_watching (task);
          g_task_return_pointer (task, check, (GDestroyNotify) cp_stock_check_free);
          g_object_unref (task);
          return TRUE;
        }
    }

  query.type = NULL;
  query.limit = LOOK_EVENTS;
  events = cp_activity_query (data->ledger, &query, &error);
  if (events == NULL)
    goto ledger_failed;
  for (guint i = 0; i < events->len; i++)
    {
      const CpActivityEvent *event = g_ptr_array_index (events, i);

      if (event->id <= data->baseline)
        break;
      if (ends_the_wait (event))
        failure = event;   /* newest first: keeps the first one */
    }
  if (failure != NULL)
    {
      finish_error (task, g_error_new_literal (CP_STOCK_CHECK_ERROR, CP_STOCK_CHECK_ERROR_FAILED,
                                               failure->message));
      return TRUE;
    }

  /* Syncing as a whole stopped (a full disk): logged for no integration. */
  stopped = newest_event_id (data->ledger, NULL, CP_ACTIVITY_SYNC_STOPPED, &error);
  if (stopped < 0)
    goto ledger_failed;
  if (stopped > data->baseline)
    {
      finish_error (task, g_error_new_literal (CP_STOCK_CHECK_ERROR, CP_STOCK_CHECK_ERROR_FAILED,
                                               _("Syncing stopped before the stock could be "
                                                 "compared. See Activity for why.")));
      return TRUE;
    }

  /* Paused meanwhile, here or from the tray: the engine will not get to it. */
  if (cp_engine_get_paused (data->engine))
    {
      finish_error (task, g_error_new_literal (CP_STOCK_CHECK_ERROR, CP_STOCK_CHECK_ERROR_NOT_SYNCING,
                                               _("Syncing was paused before the stock could be "
                                                 "compared. Resume syncing, then check again.")));
      return TRUE;
    }
  integration = cp_integrations_get (data->ledger, data->id, &error);
  if (integration == NULL)
    goto ledger_failed;
  if (cp_integration_is_paused (integration))
    {
      finish_error (task, g_error_new_literal (CP_STOCK_CHECK_ERROR, CP_STOCK_CHECK_ERROR_PAUSED,
                                               _("This store was paused before its stock could be "
                                                 "compared. Resume it, then check again.")));
      return TRUE;
    }
  return FALSE;

ledger_failed:
  finish_error (task, g_error_new (CP_STOCK_CHECK_ERROR, CP_STOCK_CHECK_ERROR_FAILED,
                                   _("Could not follow the stock check: %s"), error->message));
  return TRUE;
}

static void
integration_changed_cb (CpEngine   *engine,
                        const char *integration_id,
                        GTask      *task)
{
  CheckData *data = g_task_get_task_data (task);

  if (g_strcmp0 (integration_id, data->id) == 0)
    look (task);
}

static gboolean
poll_cb (gpointer user_data)
{
  /* Once it is over, stop_watching() has removed this source already. */
  return look (user_data) ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  finish_error (task, error);
  return G_SOURCE_REMOVE;
}

void
cp_stock_check_async (CpEngine            *engine,
                      CpLedger            *ledger,
                      const char          *integration_id,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(CpIntegration) integration = NULL;
  g_autoptr(GError) error = NULL;
  CheckData *data;

  g_return_if_fail (engine == NULL || CP_IS_ENGINE (engine));
  g_return_if_fail (CP_IS_LEDGER (ledger));
  g_return_if_fail (integration_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_stock_check_async);

  if (engine == NULL || !cp_engine_is_running (engine) || cp_engine_get_paused (engine))
    {
      g_task_return_new_error (task, CP_STOCK_CHECK_ERROR, CP_STOCK_CHECK_ERROR_NOT_SYNCING, "%s",
                               _("Syncing is paused. Resume syncing, then check the stock."));
      return;
    }
  integration = cp_integrations_get (ledger, integration_id, &error);
  if (integration == NULL)
    {
      g_task_return_new_error (task, CP_STOCK_CHECK_ERROR, CP_STOCK_CHECK_ERROR_FAILED, "%s",
                               error->message);
      return;
    }
  if (cp_integration_is_paused (integration))
    {
      g_task_return_new_error (task, CP_STOCK_CHECK_ERROR, CP_STOCK_CHECK_ERROR_PAUSED, "%s",
                               _("This store is paused. Resume it, then check the stock."));
      return;
    }

  data = g_new0 (CheckData, 1);
  data->engine = g_object_ref (engine);
  data->ledger = g_object_ref (ledger);
  data->id = g_strdup (integration_id);
  data->baseline = newest_event_id (ledger, NULL, NULL, &error);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  if (data->baseline < 0)
    {
      g_task_return_new_error (task, CP_STOCK_CHECK_ERROR, CP_STOCK_CHECK_ERROR_FAILED,
                               _("Could not read the activity: %s"), error->message);
      return;
    }

  /* From here on the watchers own one reference; the one that ends the
   * wait drops it. */
  g_object_ref (task);
  data->changed_handler = g_signal_connect (engine, "integration-changed",
                                            G_CALLBACK (integration_changed_cb), task);
  data->poll_source = g_timeout_add_seconds (POLL_SECONDS, poll_cb, task);
  if (cancellable != NULL)
    {
      data->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->cancel_source, G_SOURCE_FUNC (cancelled_cb), task, NULL);
      g_source_attach (data->cancel_source, g_task_get_context (task));
    }

  cp_engine_reconcile (engine, integration_id);
}

CpStockCheck *
cp_stock_check_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cp_stock_check_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
