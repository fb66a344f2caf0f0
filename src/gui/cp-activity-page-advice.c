/* cp-activity-page-advice.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Activity page's words for each kind of event: its name in the
 * list and the filter, and for a problem what Counterpart does next and
 * what the person can do. Every kind the engine, the webhooks and the
 * order import log has an entry here (test-activity's /kinds checks).
 */

#define G_LOG_DOMAIN "cp-activity-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-activity-page-private.h"
#include "cp-activity-page.h"
#include "cp-integration-detail-reconcile.h"

typedef struct
{
  const char *type;
  const char *title;
} TypeInfo;

static const TypeInfo type_infos[] = {
  { CP_ACTIVITY_ORDER_RECEIVED_FROM_STORE, N_("Order received") },
  { CP_ACTIVITY_INVENTORY_SYNC_COMPLETED, N_("Stock sent") },
  { CP_ACTIVITY_PRODUCT_SYNCED_TO_STORE, N_("Product sent") },
  { CP_ACTIVITY_ORDER_STATUS_PUSHED, N_("Order update sent") },
  { CP_ACTIVITY_STORE_CONNECTION_FAILED, N_("Store could not be reached") },
  { CP_ACTIVITY_CREDENTIALS_REJECTED, N_("Key rejected") },
  { CP_ACTIVITY_RECORD_REJECTED, N_("Refused by the store") },
  { CP_ACTIVITY_RATE_LIMITED, N_("Asked to slow down") },
  { CP_ACTIVITY_JOB_DEAD, N_("Gave up sending") },
  { CP_ACTIVITY_JOB_RETRIED, N_("Sending again") },
  { CP_ACTIVITY_SYNC_STOPPED, N_("Syncing stopped") },
  { CP_ACTIVITY_INTEGRATION_ADDED, N_("Integration added") },
  { CP_ACTIVITY_INTEGRATION_REMOVED, N_("Integration removed") },
  { CP_ACTIVITY_INTEGRATION_PAUSED, N_("Integration paused") },
  { CP_ACTIVITY_INTEGRATION_RESUMED, N_("Integration resumed") },
  { CP_ACTIVITY_INVENTORY_RECONCILED, N_("Stock compared") },
  { CP_ACTIVITY_WEBHOOK_REJECTED, N_("Store message refused") },
  { CP_ACTIVITY_STORE_CURRENCY_MISMATCH, N_("Orders in another currency") },
};

guint
cp_activity_n_types (void)
{
  return G_N_ELEMENTS (type_infos);
}

const char *
cp_activity_type_at (guint i)
{
  g_return_val_if_fail (i < G_N_ELEMENTS (type_infos), NULL);
  return type_infos[i].type;
}

const char *
cp_activity_type_title (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_infos); i++)
    if (g_strcmp0 (type_infos[i].type, type) == 0)
      return _(type_infos[i].title);
  return type;
}

static char *
format_clock (gint64 at_us,
              gint64 now_us)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (at_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (now_us / G_USEC_PER_SEC);

  if (at == NULL || now == NULL)
    return g_strdup ("");
  if (g_date_time_get_day_of_year (at) == g_date_time_get_day_of_year (now) &&
      g_date_time_get_year (at) == g_date_time_get_year (now))
    return g_date_time_format (at, "%H:%M");
  return g_date_time_format (at, "%x %H:%M");
}

/* What Counterpart does next about EVENT; JOB when it has one. */
char *
cp_activity_describe_next (const CpActivityEvent *event,
                           const CpOutboxJob     *job,
                           gint64                 now_us)
{
  if (job != NULL)
    {
      switch (job->state)
        {
        case CP_JOB_PENDING:
          if (job->next_attempt_at > now_us)
            {
              g_autofree char *when = format_clock (job->next_attempt_at, now_us);

              /* Translators: %s is a time of day such as 14:32. */
              return g_strdup_printf (_("It will try again at %s."), when);
            }
          return g_strdup (_("It will try again in a moment."));
        case CP_JOB_STARTED:
          return g_strdup (_("It is sending this now."));
        case CP_JOB_DONE:
          return g_strdup (_("Nothing: it went through on a later try."));
        case CP_JOB_CANCELLED:
          return g_strdup (_("Nothing: this change was cancelled."));
        case CP_JOB_DEAD:
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Nothing more: it stopped trying after %u attempt.",
                                               "Nothing more: it stopped trying after %u attempts.",
                                               job->attempts),
                                  job->attempts);
        default:
          break;
        }
    }

  if (g_strcmp0 (event->type, CP_ACTIVITY_CREDENTIALS_REJECTED) == 0)
    return g_strdup (_("It does not sync with this store until the key is entered again."));
  if (g_strcmp0 (event->type, CP_ACTIVITY_RATE_LIMITED) == 0)
    return g_strdup (_("It waits as long as the store asked, then goes on by itself."));
  if (g_strcmp0 (event->type, CP_ACTIVITY_STORE_CONNECTION_FAILED) == 0)
    return g_strdup (_("It tries again by itself, waiting a little longer each time."));
  if (g_strcmp0 (event->type, CP_ACTIVITY_SYNC_STOPPED) == 0)
    return g_strdup (_("It goes on by itself once the problem is gone."));
  if (g_strcmp0 (event->type, CP_ACTIVITY_JOB_DEAD) == 0)
    return g_strdup (_("Nothing more until you press Retry."));
  if (g_strcmp0 (event->type, CP_ACTIVITY_INVENTORY_RECONCILED) == 0)
    {
      g_autoptr(CpStockCheck) check = cp_stock_check_from_event (event);

      if (check->fixed > 0)
        return g_strdup (_("It sends your counts to the store now, then compares again at the next "
                           "daily check."));
      return g_strdup (_("It compares again at the next daily check."));
    }
  if (g_strcmp0 (event->type, CP_ACTIVITY_STORE_CURRENCY_MISMATCH) == 0)
    return g_strdup (_("It keeps this store’s orders in the other currency aside, out of your "
                       "sales, and converts nothing; orders in your currency go on as usual."));
  if (g_strcmp0 (event->type, CP_ACTIVITY_WEBHOOK_REJECTED) == 0)
    return g_strdup (_("Nothing with this message. It still fetches the store’s orders on its "
                       "schedule, so no order is lost."));
  return g_strdup (_("Nothing more."));
}

const char *
cp_activity_describe_remedy (const CpActivityEvent *event,
                             const CpOutboxJob     *job)
{
  if (g_strcmp0 (event->type, CP_ACTIVITY_CREDENTIALS_REJECTED) == 0)
    return _("Open the integration and enter the key again. If it was deleted in the store, create a new one there first.");
  if (g_strcmp0 (event->type, CP_ACTIVITY_RATE_LIMITED) == 0)
    return _("Nothing. If it happens often, sync less often or ask the store for a higher limit.");
  if (g_strcmp0 (event->type, CP_ACTIVITY_STORE_CONNECTION_FAILED) == 0)
    return _("Usually nothing. If it keeps happening, check the internet connection and whether the store is up.");
  if (g_strcmp0 (event->type, CP_ACTIVITY_SYNC_STOPPED) == 0)
    return _("Free some space on the disk; syncing resumes by itself.");
  if (job != NULL && job->state == CP_JOB_DEAD)
    return _("Check the product or order above here and in the store, correct what is wrong, then press Retry.");
  if (g_strcmp0 (event->type, CP_ACTIVITY_RECORD_REJECTED) == 0)
    return _("Check the product or order above here and in the store and correct what is wrong.");
  if (g_strcmp0 (event->type, CP_ACTIVITY_INVENTORY_RECONCILED) == 0)
    {
      g_autoptr(CpStockCheck) check = cp_stock_check_from_event (event);

      if (check->missing > 0)
        return _("Open the integration and look at Products: link the products the store does not "
                 "have, or let Counterpart create them there.");
      return _("Nothing. If the store’s stock keeps drifting, look for another app or person "
               "changing it there.");
    }
  if (g_strcmp0 (event->type, CP_ACTIVITY_STORE_CURRENCY_MISMATCH) == 0)
    return _("Set the store back to your books’ currency in its settings. The orders kept aside "
             "are in Orders; enter them by hand if you want them in your sales.");
  if (g_strcmp0 (event->type, CP_ACTIVITY_WEBHOOK_REJECTED) == 0)
    return _("If it keeps happening, make the webhook secret in the store’s settings and the one "
             "Counterpart has for this store the same (Edit on the integration’s page).");
  return _("Nothing.");
}
