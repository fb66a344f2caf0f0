/* cp-engine-pull.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pulling orders: from the stored watermark, page by page. Each page is
 * stored in one transaction together with the cursor that resumes after
 * it, so a crash between pages loses nothing and re-reads at most a page;
 * the watermark moves only once every page is in. An order seen twice
 * (the connector's overlap, a page read again) is recorded once: orders
 * are unique by (source, external id). A new order takes its goods out
 * of stock, and the stock triggers queue the pushes that tell the other
 * channels.
 *
 * An order in another currency than the books' is kept aside, never
 * converted (cp-order-currency.h): the page goes on with the others, and
 * the owner is told once per page, with what to do on that platform.
 */

#define G_LOG_DOMAIN "cp-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-activity.h"
#include "cp-crash-point.h"
#include "cp-engine-private.h"
#include "cp-order-currency.h"
#include "cp-orders.h"
#include "cp-orders-import.h"
#include "cp-orders-private.h"
#include "cp-orders-reserve.h"

typedef struct
{
  CpEngineRun  *run;
  CpEngineSlot *slot;
  guint         received;
  gboolean      stopped;   /* the ledger refused a write */
  /* The newest order seen (placed_at) in the books' currency, and the
   * newest in another: whether the store sells in the books' again. */
  gint64        newest_books_us;
  gint64        newest_foreign_us;
} PullSink;

/* The attention just written for the currency, in the slot's copy of the
 * row too, and told to the window. */
static void
note_currency_attention (CpEngineRun  *run,
                         CpEngineSlot *slot,
                         const char   *message)
{
  g_free (slot->integration->attention);
  g_free (slot->integration->attention_kind);
  slot->integration->attention = g_strdup (message);
  slot->integration->attention_kind = message != NULL ? g_strdup (CP_ATTENTION_CURRENCY) : NULL;
  if (message != NULL)
    cp_engine_emit_attention (run->engine, slot->id, message);
}

/* An order in another currency than the books': kept aside. Returns
 * FALSE with ERROR as cp_orders_record_deferred () does. */
static gboolean
keep_aside (PullSink   *sink,
            CpOrder    *order,
            GPtrArray  *search_rows,
            GPtrArray  *numbers,
            char        store_currency[4],
            GError    **error)
{
  gboolean existed = FALSE;
  gint64 id = 0;

  if (!cp_order_currency_hold (sink->run->ledger, order, search_rows, &id, &existed, error))
    return FALSE;
  if (order->placed_at_us > sink->newest_foreign_us)
    sink->newest_foreign_us = order->placed_at_us;
  if (existed)
    return TRUE;
  g_ptr_array_add (numbers, g_strdup (order->number != NULL ? order->number : order->external_id));
  g_strlcpy (store_currency, order->currency, 4);
  return TRUE;
}

/* Refusals that concern one order only; nothing was written for it. */
static gboolean
is_order_refused (const GError *error)
{
  return error->domain == CP_LEDGER_ERROR &&
         (error->code == CP_LEDGER_ERROR_INVALID || error->code == CP_LEDGER_ERROR_NOT_FOUND);
}

static gboolean
store_page (GPtrArray   *orders,
            const char  *page_cursor,
            gpointer     user_data,
            GError     **error)
{
  PullSink *sink = user_data;
  CpEngineRun *run = sink->run;
  CpEngineSlot *slot = sink->slot;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) search_rows = cp_orders_search_rows_new ();
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *held_message = NULL;
  char store_currency[4] = "";
  gint64 now = cp_ledger_now_us ();

  if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
    return FALSE;

  cp_crash_point (CP_CRASH_POINT_AFTER_RESPONSE_BEFORE_COMMIT);

  if (!cp_ledger_begin (run->ledger, &local_error))
    goto failed;

  for (guint i = 0; i < orders->len; i++)
    {
      CpOrder *order = g_ptr_array_index (orders, i);
      g_autofree char *message = NULL;
      CpOrderImportResult result = CP_ORDER_IMPORT_UNCHANGED;
      gboolean existed = FALSE;
      gboolean foreign;
      gint64 restocked = 0;
      gint64 id = 0;

      /* Orders belong to the integration they came through, whatever the
       * connector wrote: that is what dedup and the status pushes key on. */
      if (g_strcmp0 (order->source, slot->id) != 0)
        {
          g_free (order->source);
          order->source = g_strdup (slot->id);
        }

      /* The page's search rows are written after all its stock
       * movements: one FTS5 segment per page, not one per order. */
      foreign = cp_order_currency_is_foreign (run->ledger, order);
      if (foreign
          ? !keep_aside (sink, order, search_rows, held, store_currency, &local_error)
          : !cp_orders_reserve_pull (run->ledger, slot->integration->settings, order,
                                     search_rows, &id, &existed, &result, &restocked,
                                     &local_error))
        {
          g_autofree char *reason = NULL;

          if (!is_order_refused (local_error))
            goto failed;
          reason = cp_engine_reason (local_error);

          message = g_strdup_printf (_("“%s” sent order %s, which Counterpart cannot record: %s. "
                                       "Check the order on the store."),
                                     cp_engine_slot_name (slot),
                                     order->number != NULL ? order->number : order->external_id,
                                     reason);
          g_clear_error (&local_error);
          if (cp_activity_log (run->ledger, CP_ACTIVITY_RECORD_REJECTED, CP_ACTIVITY_WARNING,
                               slot->id, 0, message, NULL, &local_error) == 0)
            goto failed;
          continue;
        }
      if (foreign)
        continue;
      if (order->placed_at_us > sink->newest_books_us)
        sink->newest_books_us = order->placed_at_us;
      /* Known: only a change of its status (paid, so sold now, or
       * released) is news, told as a webhook saying it would be; the
       * pulls that read it again find nothing changed. */
      if (existed && result != CP_ORDER_IMPORT_UPDATED)
        continue;

      if (!existed)
        sink->received++;
      message = cp_orders_import_describe (order, cp_engine_slot_name (slot),
                                           existed ? result : CP_ORDER_IMPORT_CREATED, restocked);
      if (cp_activity_log (run->ledger, CP_ACTIVITY_ORDER_RECEIVED_FROM_STORE, CP_ACTIVITY_INFO,
                           slot->id, 0, message, NULL, &local_error) == 0)
        goto failed;
    }

  if (!cp_orders_index_deferred (run->ledger, search_rows, &local_error))
    goto failed;
  if (held->len > 0)
    {
      held_message = cp_order_currency_report (run->ledger, slot->integration, store_currency,
                                               held, &local_error);
      if (held_message == NULL)
        goto failed;
    }
  if (page_cursor != NULL &&
      !cp_integrations_set_cursor (run->ledger, slot->id, CP_ENGINE_CURSOR_ORDERS_PAGE,
                                   page_cursor, &local_error))
    goto failed;
  if (!cp_integrations_record_success (run->ledger, slot->id, now, &local_error))
    goto failed;
  if (!cp_ledger_commit (run->ledger, &local_error))
    goto failed;

  if (held_message != NULL)
    note_currency_attention (run, slot, held_message);
  cp_engine_emit_integration_changed (run->engine, slot->id);

  /* Pace the next page as any other request. */
  if (slot->own_limiter != NULL && cp_engine_slot_get_limiter (slot) == slot->own_limiter &&
      !cp_engine_slot_take_token (run, slot))
    return !g_cancellable_set_error_if_cancelled (run->cancellable, error);
  return TRUE;

failed:
  if (cp_ledger_in_transaction (run->ledger))
    cp_ledger_rollback (run->ledger);
  if (cp_engine_run_check_stop (run, local_error))
    sink->stopped = TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Where to start: a page cursor left by an interrupted pull resumes it;
 * otherwise the watermark of the last complete one. */
static char *
start_cursor (CpEngineRun  *run,
              CpEngineSlot *slot,
              GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *page = NULL;

  page = cp_integrations_get_cursor (run->ledger, slot->id, CP_ENGINE_CURSOR_ORDERS_PAGE,
                                     &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (page != NULL && page[0] != '\0')
    return g_steal_pointer (&page);
  return cp_integrations_get_cursor (run->ledger, slot->id, CP_ENGINE_CURSOR_ORDERS, error);
}

gboolean
cp_engine_pull_orders (CpEngineRun  *run,
                       CpEngineSlot *slot,
                       gint64       *out_next_mono)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *out_cursor = NULL;
  PullSink sink = { run, slot, 0, FALSE, 0, 0 };
  gboolean currency_resolved = FALSE;
  gint64 wait;
  gint64 now;
  gint64 next_run;

  *out_next_mono = 0;

  wait = cp_engine_slot_wait_us (run, slot);
  if (wait > 0)
    {
      *out_next_mono = g_get_monotonic_time () + wait;
      return TRUE;
    }

  cursor = start_cursor (run, slot, &error);
  if (error != NULL)
    return !cp_engine_run_check_stop (run, error);

  if (!cp_connector_pull_orders (slot->connector, cursor, store_page, &sink, &out_cursor,
                                 run->cancellable, &error))
    {
      if (sink.stopped || run->stopped != NULL)
        return FALSE;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return TRUE;
      if (!cp_engine_note_request_failure (run, slot, error, _("fetch orders from")))
        return FALSE;
      if (slot->blocked)
        slot->pull_due = FALSE;
      slot->pull_next_mono = MAX (slot->backoff_until, slot->wait_until_mono);
      *out_next_mono = slot->pull_next_mono;
      return TRUE;
    }

  /* Every page is in: the watermark moves, the page cursor goes. */
  now = cp_ledger_now_us ();
  next_run = now + cp_engine_pull_interval_us (slot->integration);
  if (!cp_ledger_begin (run->ledger, &error) ||
      (out_cursor != NULL &&
       !cp_integrations_set_cursor (run->ledger, slot->id, CP_ENGINE_CURSOR_ORDERS, out_cursor,
                                    &error)) ||
      !cp_integrations_set_cursor (run->ledger, slot->id, CP_ENGINE_CURSOR_ORDERS_PAGE, NULL,
                                   &error) ||
      !cp_integrations_record_success (run->ledger, slot->id, now, &error) ||
      !cp_integrations_set_schedule (run->ledger, slot->id,
                                     slot->wait_until_wall > now ? slot->wait_until_wall : 0,
                                     next_run, &error) ||
      /* Sold in the books' currency after everything kept aside: the
       * store was set back, its currency attention ends. */
      (sink.newest_books_us > sink.newest_foreign_us &&
       !cp_order_currency_resolve (run->ledger, slot->integration,
                                   sink.newest_books_us, &currency_resolved, &error)) ||
      !cp_ledger_commit (run->ledger, &error))
    {
      if (cp_ledger_in_transaction (run->ledger))
        cp_ledger_rollback (run->ledger);
      if (cp_engine_run_check_stop (run, error))
        return FALSE;
      g_warning ("Could not store where the order pull of %s ended: %s", slot->id, error->message);
      return TRUE;
    }

  if (currency_resolved)
    note_currency_attention (run, slot, NULL);
  slot->pull_due = FALSE;
  slot->pull_next_mono = 0;
  slot->integration->next_run_at = next_run;
  cp_engine_note_request_success (run, slot);
  cp_engine_emit_integration_changed (run->engine, slot->id);
  g_debug ("Pulled %u new orders from %s", sink.received, slot->id);
  return run->stopped == NULL;
}
