/* cp-engine-slot.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One integration as the worker sees it: its connector (made with the
 * credentials from the keyring), its pace (the connector's rate limiter,
 * or the engine's own 60 a minute where the platform publishes none),
 * and what a failed request means for it: a wait, a backoff, or a person
 * who must act.
 */

#define G_LOG_DOMAIN "cp-engine"

#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cp-activity.h"
#include "cp-backoff.h"
#include "cp-engine-private.h"
#include "cp-outbox.h"

/* A wait a platform asked for without saying how long. */
#define DEFAULT_RATE_LIMIT_WAIT_US (G_USEC_PER_SEC)

/* ---- Slots --------------------------------------------------------------- */

void
cp_engine_slot_drop_connector (CpEngineSlot *slot)
{
  g_clear_object (&slot->connector);
}

CpRateLimiter *
cp_engine_slot_get_limiter (CpEngineSlot *slot)
{
  CpRateLimiter *limiter = NULL;

  if (slot->connector != NULL)
    limiter = cp_connector_get_rate_limiter (slot->connector);
  return limiter != NULL ? limiter : slot->own_limiter;
}

gint64
cp_engine_slot_wait_us (CpEngineRun  *run,
                        CpEngineSlot *slot)
{
  gint64 now = g_get_monotonic_time ();
  gint64 wait = 0;
  CpRateLimiter *limiter = NULL;

  if (slot->wait_until_mono > now)
    wait = slot->wait_until_mono - now;
  if (slot->backoff_until > now)
    wait = MAX (wait, slot->backoff_until - now);
  if (wait > 0)
    return wait;

  if (slot->connector != NULL)
    limiter = cp_connector_get_rate_limiter (slot->connector);

  /* The connector takes its own tokens: only look, so that the wait
   * happens here, between integrations, not inside a request. The limiter
   * knows how its tokens come back (a bucket's steady refill, a server
   * window's reset), so the wait is its to compute: working it out here
   * from the refill rate alone held a fixed-window store's new window
   * back until a whole token had trickled in at the default pace. */
  if (limiter != NULL)
    return cp_rate_limiter_get_wait (limiter, 1, now);

  if (slot->own_limiter == NULL)
    return 0;

  /* The engine's own pace: no wait takes the token for the request. */
  wait = cp_rate_limiter_reserve (slot->own_limiter, 1, now);
  if (wait > 0)
    cp_rate_limiter_refund (slot->own_limiter, 1, now);
  return wait;
}

gboolean
cp_engine_slot_take_token (CpEngineRun  *run,
                           CpEngineSlot *slot)
{
  for (;;)
    {
      gint64 wait;

      if (cp_engine_run_cancelled (run))
        return FALSE;
      wait = cp_engine_slot_wait_us (run, slot);
      if (wait == 0)
        return TRUE;
      if (!cp_engine_run_sleep (run, g_get_monotonic_time () + wait))
        return FALSE;
    }
}

CpEngineSlot *
cp_engine_slot_get (CpEngineRun   *run,
                    CpIntegration *integration)
{
  GHashTable *slots = run->engine->slots;
  CpEngineSlot *slot = g_hash_table_lookup (slots, integration->id);

  /* Moved to another address (the sandbox's port changes every run): a
   * connector for the old one would talk to the wrong server. */
  if (slot != NULL &&
      (g_strcmp0 (slot->platform, integration->platform) != 0 ||
       g_strcmp0 (slot->base_url, integration->base_url) != 0))
    {
      g_hash_table_remove (slots, integration->id);
      slot = NULL;
    }

  if (slot == NULL)
    {
      slot = g_new0 (CpEngineSlot, 1);
      slot->id = g_strdup (integration->id);
      slot->platform = g_strdup (integration->platform);
      slot->base_url = g_strdup (integration->base_url);
      g_hash_table_insert (slots, slot->id, slot);
    }

  slot->integration = integration;
  slot->wait_until_wall = integration->wait_until;
  slot->blocked = FALSE;
  if (integration->wait_until > cp_ledger_now_us ())
    slot->wait_until_mono = MAX (slot->wait_until_mono,
                                 cp_engine_wall_to_mono (integration->wait_until));
  return slot;
}

/* Writes attention, logs why, tells the window. Returns FALSE when the
 * ledger refused the write. */
static gboolean
set_attention (CpEngineRun  *run,
               CpEngineSlot *slot,
               const char   *kind,
               const char   *activity_type,
               const char   *message,
               const char   *details)
{
  g_autoptr(GError) error = NULL;

  slot->blocked = TRUE;
  slot->had_attention = TRUE;
  if (g_strcmp0 (kind, CP_ATTENTION_CREDENTIALS) == 0)
    cp_engine_slot_drop_connector (slot);

  if (!cp_ledger_begin (run->ledger, &error) ||
      !cp_integrations_set_attention (run->ledger, slot->id, kind, message, &error) ||
      !cp_integrations_record_error (run->ledger, slot->id, cp_ledger_now_us (), message, &error) ||
      cp_activity_log (run->ledger, activity_type, CP_ACTIVITY_ERROR, slot->id, 0,
                       message, details, &error) == 0 ||
      !cp_ledger_commit (run->ledger, &error))
    {
      if (cp_ledger_in_transaction (run->ledger))
        cp_ledger_rollback (run->ledger);
      if (cp_engine_run_check_stop (run, error))
        return FALSE;
      g_warning ("Could not record that %s needs attention: %s", slot->id, error->message);
    }

  cp_engine_emit_attention (run->engine, slot->id, message);
  cp_engine_emit_integration_changed (run->engine, slot->id);
  return TRUE;
}

/* A connector's or the ledger's message, to be quoted inside a sentence
 * of ours: without its closing full stop, so the sentence has one. */
char *
cp_engine_reason (const GError *error)
{
  char *reason = g_strstrip (g_strdup (error != NULL ? error->message : ""));
  gsize len = strlen (reason);

  while (len > 0 && reason[len - 1] == '.')
    reason[--len] = '\0';
  return reason;
}

const char *
cp_engine_slot_name (CpEngineSlot *slot)
{
  if (slot->integration != NULL && slot->integration->name != NULL)
    return slot->integration->name;
  return slot->id;
}

/* Makes the connector with the credentials from the keyring. FALSE when
 * there is none to make (the integration then needs attention). */
gboolean
cp_engine_slot_ensure_connector (CpEngineRun  *run,
                                 CpEngineSlot *slot)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  char *credentials;

  if (slot->connector != NULL)
    return TRUE;

  credentials = cp_engine_lookup_credentials (run->engine, run->ledger, slot->id, &error);
  if (credentials != NULL)
    {
      slot->connector = cp_connector_new_for_platform (slot->platform, slot->id, slot->base_url,
                                                       credentials, &error);
      /* No copy of a secret lingers in freed memory. */
      memset (credentials, 0, strlen (credentials));
      g_free (credentials);
    }

  if (slot->connector == NULL)
    {
      g_autofree char *reason = cp_engine_reason (error);

      message = g_strdup_printf (_("Counterpart could not use the credentials of “%s”: %s. "
                                   "Re-enter the credentials in Integrations, then sync again."),
                                 cp_engine_slot_name (slot), reason);
      set_attention (run, slot, CP_ATTENTION_CREDENTIALS, CP_ACTIVITY_CREDENTIALS_REJECTED,
                     message, NULL);
      return FALSE;
    }

  if (cp_connector_get_rate_limiter (slot->connector) == NULL && slot->own_limiter == NULL)
    slot->own_limiter = cp_rate_limiter_new_default (g_get_monotonic_time ());
  return TRUE;
}

/* ---- What a failed request means ------------------------------------------ */

void
cp_engine_note_request_success (CpEngineRun  *run,
                                CpEngineSlot *slot)
{
  g_autoptr(GError) error = NULL;

  slot->failures = 0;
  slot->backoff_until = 0;

  /* It worked again: whatever needed a person has been fixed. Not a
   * store's currency: a request never fixes that (cp-order-currency.h). */
  if (slot->integration != NULL && slot->integration->attention != NULL && !slot->blocked &&
      g_strcmp0 (slot->integration->attention_kind, CP_ATTENTION_CURRENCY) != 0)
    {
      if (!cp_integrations_set_attention (run->ledger, slot->id, NULL, NULL, &error))
        {
          cp_engine_run_check_stop (run, error);
          return;
        }
      g_clear_pointer (&slot->integration->attention, g_free);
      g_clear_pointer (&slot->integration->attention_kind, g_free);
      cp_engine_emit_integration_changed (run->engine, slot->id);
    }
}

static gboolean
note_rate_limited (CpEngineRun  *run,
                   CpEngineSlot *slot,
                   const GError *error)
{
  g_autoptr(GError) local_error = NULL;
  CpRateLimiter *limiter = cp_engine_slot_get_limiter (slot);
  gint64 now_mono = g_get_monotonic_time ();
  gint64 now_wall = cp_ledger_now_us ();
  gint64 wait = cp_connector_error_get_wait_us (error);
  gint64 next_run = slot->integration != NULL ? slot->integration->next_run_at : 0;

  if (wait <= 0 && limiter != NULL)
    wait = cp_rate_limiter_get_blocked_until (limiter) - now_mono;
  if (wait <= 0)
    wait = DEFAULT_RATE_LIMIT_WAIT_US;

  slot->wait_until_mono = now_mono + wait;
  slot->wait_until_wall = now_wall + wait;
  if (slot->own_limiter != NULL && limiter == slot->own_limiter)
    cp_rate_limiter_block_until (slot->own_limiter, slot->wait_until_mono, now_mono);

  if (!cp_ledger_begin (run->ledger, &local_error) ||
      !cp_integrations_set_schedule (run->ledger, slot->id, slot->wait_until_wall, next_run,
                                     &local_error))
    goto failed;

  /* Once per wait: a long backlog must not fill the log with the same
   * line while the platform keeps saying "later". */
  if (now_wall >= slot->rate_logged_until)
    {
      g_autofree char *message = NULL;
      gint64 seconds = (wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "“%s” asked Counterpart to slow down; syncing goes on "
                                              "in %" PRId64 " second.",
                                              "“%s” asked Counterpart to slow down; syncing goes on "
                                              "in %" PRId64 " seconds.",
                                              seconds),
                                 cp_engine_slot_name (slot), seconds);
      if (cp_activity_log (run->ledger, CP_ACTIVITY_RATE_LIMITED, CP_ACTIVITY_WARNING, slot->id, 0,
                           message, cp_connector_error_get_exchange (error), &local_error) == 0)
        goto failed;
      slot->rate_logged_until = slot->wait_until_wall;
    }

  if (!cp_ledger_commit (run->ledger, &local_error))
    goto failed;
  cp_engine_emit_integration_changed (run->engine, slot->id);
  return TRUE;

failed:
  if (cp_ledger_in_transaction (run->ledger))
    cp_ledger_rollback (run->ledger);
  return !cp_engine_run_check_stop (run, local_error);
}

gboolean
cp_engine_note_request_failure (CpEngineRun  *run,
                                CpEngineSlot *slot,
                                const GError *error,
                                const char   *what)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *message = NULL;
  const char *details = cp_connector_error_get_exchange (error);
  g_autofree char *reason = cp_engine_reason (error);
  gint64 delay;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return TRUE;
  if (cp_engine_run_check_stop (run, error))
    return FALSE;

  if (error->domain == CP_CONNECTOR_ERROR)
    {
      switch ((CpConnectorError) error->code)
        {
        case CP_CONNECTOR_ERROR_RATE_LIMITED:
          return note_rate_limited (run, slot, error);

        case CP_CONNECTOR_ERROR_AUTH:
          message = g_strdup_printf (_("“%s” refused Counterpart’s credentials (%s). Re-enter the "
                                       "credentials in Integrations, then sync again."),
                                     cp_engine_slot_name (slot), reason);
          return set_attention (run, slot, CP_ATTENTION_CREDENTIALS,
                                CP_ACTIVITY_CREDENTIALS_REJECTED, message, details);

        case CP_CONNECTOR_ERROR_PERMISSION:
          message = g_strdup_printf (_("“%s” does not let these credentials do this (%s). Allow it "
                                       "on the store, or re-enter credentials that may, then "
                                       "sync again."),
                                     cp_engine_slot_name (slot), reason);
          return set_attention (run, slot, CP_ATTENTION_PERMISSION,
                                CP_ACTIVITY_STORE_CONNECTION_FAILED, message, details);

        case CP_CONNECTOR_ERROR_CONFIG:
          message = g_strdup_printf (_("“%s” needs a mapping before Counterpart can sync it: %s. "
                                       "Map it with “counterpart-cli integration map %s” or in "
                                       "Integrations, then sync again."),
                                     cp_engine_slot_name (slot), reason, slot->id);
          return set_attention (run, slot, CP_ATTENTION_MAPPING,
                                CP_ACTIVITY_STORE_CONNECTION_FAILED, message, details);

        case CP_CONNECTOR_ERROR_TRANSIENT:
        case CP_CONNECTOR_ERROR_INVALID_DATA:
        case CP_CONNECTOR_ERROR_REMOTE_BUG:
        case CP_CONNECTOR_ERROR_NOT_FOUND:
        default:
          break;
        }
    }

  /* Anything else may pass: wait a growing, jittered while before the
   * next request, so an outage costs one request per backoff rather than
   * one per batch. */
  delay = cp_backoff_delay_us (CP_BACKOFF_DEFAULT_BASE_US, CP_OUTBOX_BACKOFF_CAP_US,
                               MIN (slot->failures, 30), run->rand);
  slot->failures++;
  slot->backoff_until = g_get_monotonic_time () + delay;

  message = g_strdup_printf (_("Counterpart could not %s “%s”: %s. It tries again by itself."),
                             what, cp_engine_slot_name (slot), reason);
  if (!cp_ledger_begin (run->ledger, &local_error) ||
      !cp_integrations_record_error (run->ledger, slot->id, cp_ledger_now_us (), message,
                                     &local_error) ||
      cp_activity_log (run->ledger, CP_ACTIVITY_STORE_CONNECTION_FAILED, CP_ACTIVITY_WARNING,
                       slot->id, 0, message, details, &local_error) == 0 ||
      !cp_ledger_commit (run->ledger, &local_error))
    {
      if (cp_ledger_in_transaction (run->ledger))
        cp_ledger_rollback (run->ledger);
      if (cp_engine_run_check_stop (run, local_error))
        return FALSE;
      g_warning ("Could not record a failed request: %s", local_error->message);
    }
  cp_engine_emit_integration_changed (run->engine, slot->id);
  return TRUE;
}
