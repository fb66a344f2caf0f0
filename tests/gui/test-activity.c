/* test-activity.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Activity page and the sidebar's Activity badge in the real window
 * over a real ledger: events logged through cp-activity.h, a job given up
 * on through cp-outbox.h. The engine is paused so a retried job stays
 * pending for the test to see.
 */

#define G_LOG_DOMAIN "test-activity"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cp-activity-page.h"
#include "cp-application.h"
#include "cp-credentials.h"
#include "cp-gui-test.h"
#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-sandbox-demo.h"
#include "cp-window.h"
#include "test-integrations-fixture.h"

static void
log_event (CpLedger           *ledger,
           const char         *type,
           CpActivitySeverity  severity,
           const char         *integration_id,
           gint64              job_id,
           const char         *message,
           const char         *details)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (cp_activity_log (ledger, type, severity, integration_id, job_id, message, details, &error), >, 0);
  g_assert_no_error (error);
}

/* A job the store refused for good: dead, with its reason. */
static gint64
make_dead_job (CpLedger   *ledger,
               const char *integration_id,
               const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  gint64 epoch, id;

  g_assert_cmpint (cp_outbox_enqueue (ledger, integration_id, CP_JOB_STOCK_PUSH, key,
                                      "{\"variant_id\":1}", 0, &error), >, 0);
  g_assert_no_error (error);
  epoch = cp_outbox_start_epoch (ledger, NULL, &error);
  g_assert_no_error (error);
  claimed = cp_outbox_claim (ledger, integration_id, NULL, 1, epoch, g_get_real_time (),
                             CP_OUTBOX_LEASE_US, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 1);
  id = ((CpOutboxJob *) g_ptr_array_index (claimed, 0))->id;
  g_assert_true (cp_outbox_kill (ledger, id, epoch, "invalid_data",
                                 "The store refused the stock level", g_get_real_time (), &error));
  return id;
}

static GtkWidget *
badge (CpWindow *window)
{
  GtkWidget *row = cp_test_find_widget_by_name (GTK_WIDGET (window), "activity");

  return cp_test_find_widget_with_class (row, "badge");
}

typedef struct
{
  CpActivityPage *page;
  guint           n;
} CountWait;

static gboolean
has_n_events (gpointer data)
{
  CountWait *wait = data;

  return cp_activity_page_get_n_events (wait->page) == wait->n;
}

static void
wait_for_events (GtkWidget *page,
                 guint      n)
{
  CountWait wait = { CP_ACTIVITY_PAGE (page), n };

  if (!cp_test_wait_until (has_n_events, &wait))
    g_error ("The page shows %u events, not %u", cp_activity_page_get_n_events (CP_ACTIVITY_PAGE (page)), n);
}

/* Filtered by severity through the page's own drop-down. */
static void
test_filter (void)
{
  g_autofree char *dir = make_dir ();
  CpWindow *window = open_window (dir);
  CpLedger *ledger = cp_window_get_ledger (window);
  g_autofree char *id = add_integration (ledger, "Web Shop");
  GtkWidget *page;
  g_autofree char *text = NULL;

  log_event (ledger, CP_ACTIVITY_ORDER_RECEIVED_FROM_STORE, CP_ACTIVITY_INFO, id, 0, "Order #1001 received", NULL);
  log_event (ledger, CP_ACTIVITY_INVENTORY_SYNC_COMPLETED, CP_ACTIVITY_INFO, id, 0, "Stock of 12 items sent", NULL);
  log_event (ledger, CP_ACTIVITY_RATE_LIMITED, CP_ACTIVITY_WARNING, id, 0, "Web Shop asked us to slow down", NULL);
  log_event (ledger, CP_ACTIVITY_STORE_CONNECTION_FAILED, CP_ACTIVITY_ERROR, id, 0, "Web Shop could not be reached",
             "{\"request\":{\"method\":\"GET\",\"url\":\"/v2/orders\"},\"response\":{\"status\":503}}");

  page = show_page (window, "activity");
  wait_for_events (page, 4);
  cp_test_assert_shows (page, "Order #1001 received");

  /* "Failures only" */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (cp_test_find_widget_by_name (page, "severity-filter")), 2);
  wait_for_events (page, 1);
  cp_test_wait_for_frames (page);
  text = cp_test_visible_text (page);
  g_assert_nonnull (strstr (text, "Web Shop could not be reached"));
  g_assert_null (strstr (text, "Order #1001 received"));
  g_assert_null (strstr (text, "asked us to slow down"));

  /* "Problems": warnings and errors. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (cp_test_find_widget_by_name (page, "severity-filter")), 1);
  wait_for_events (page, 2);

  /* A new event appears on top without reopening the page. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (cp_test_find_widget_by_name (page, "severity-filter")), 0);
  wait_for_events (page, 4);
  log_event (ledger, CP_ACTIVITY_ORDER_RECEIVED_FROM_STORE, CP_ACTIVITY_INFO, id, 0, "Order #1002 received", NULL);
  cp_ledger_emit_changed (ledger, "activity");
  wait_for_events (page, 5);
  cp_test_wait_for_frames (page);
  cp_test_assert_shows (page, "Order #1002 received");

  close_window (window);
  cp_test_rm_rf (dir);
}

/* Every kind the engine, the webhooks and the order import log is named
 * in words on the page, never by its type name, and a problem of the
 * newer kinds opens to advice of its own rather than "Nothing." */
static void
test_kinds (void)
{
  static const char * const kinds[] = {
    CP_ACTIVITY_PRODUCT_SYNCED_TO_STORE, CP_ACTIVITY_ORDER_RECEIVED_FROM_STORE,
    CP_ACTIVITY_INVENTORY_SYNC_COMPLETED, CP_ACTIVITY_STORE_CONNECTION_FAILED,
    CP_ACTIVITY_ORDER_STATUS_PUSHED, CP_ACTIVITY_RECORD_REJECTED, CP_ACTIVITY_RATE_LIMITED,
    CP_ACTIVITY_JOB_DEAD, CP_ACTIVITY_JOB_RETRIED, CP_ACTIVITY_CREDENTIALS_REJECTED,
    CP_ACTIVITY_INTEGRATION_ADDED, CP_ACTIVITY_INTEGRATION_REMOVED,
    CP_ACTIVITY_INTEGRATION_PAUSED, CP_ACTIVITY_INTEGRATION_RESUMED, CP_ACTIVITY_SYNC_STOPPED,
    CP_ACTIVITY_INVENTORY_RECONCILED, CP_ACTIVITY_WEBHOOK_REJECTED,
    CP_ACTIVITY_STORE_CURRENCY_MISMATCH,
  };
  g_autofree char *dir = make_dir ();
  CpWindow *window = open_window (dir);
  CpLedger *ledger = cp_window_get_ledger (window);
  g_autofree char *id = add_integration (ledger, "Web Shop");
  g_autofree char *text = NULL;
  GtkWidget *page;
  guint opened = 0;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *message = g_strdup_printf ("Event %u happened", i);

      g_assert_cmpstr (cp_activity_type_title (kinds[i]), !=, kinds[i]);
      log_event (ledger, kinds[i], CP_ACTIVITY_WARNING, id, 0, message,
                 g_str_equal (kinds[i], CP_ACTIVITY_INVENTORY_RECONCILED)
                 ? "{\"checked\":3,\"fixed\":1,\"missing\":1,\"in_flight\":0}" : NULL);
    }

  page = show_page (window, "activity");
  wait_for_events (page, G_N_ELEMENTS (kinds));
  cp_test_wait_for_frames (page);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i], CP_ACTIVITY_INVENTORY_RECONCILED) ||
        g_str_equal (kinds[i], CP_ACTIVITY_WEBHOOK_REJECTED) ||
        g_str_equal (kinds[i], CP_ACTIVITY_STORE_CURRENCY_MISMATCH))
      {
        g_autofree char *message = g_strdup_printf ("Event %u happened", i);
        GtkWidget *list = cp_test_find_widget_of_type (page, GTK_TYPE_LIST_BOX);

        /* Open it, and read its advice. */
        for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
             row = gtk_widget_get_next_sibling (row))
          if (ADW_IS_EXPANDER_ROW (row) &&
              g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), message) == 0)
            {
              g_autofree char *advice = NULL;

              adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
              cp_test_wait_for_frames (page);
              advice = cp_test_visible_text (row);
              g_assert_null (strstr (advice, _("Nothing more.")));
              opened++;
              adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), FALSE);
            }
        cp_test_assert_shows (page, cp_activity_type_title (kinds[i]));
      }
  g_assert_cmpuint (opened, ==, 3);
  text = cp_test_visible_text (page);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (strstr (text, kinds[i]) != NULL)
      g_error ("The page shows the type name “%s”:\n%s", kinds[i], text);

  close_window (window);
  cp_test_rm_rf (dir);
}

/* Never everything: a page at a time, keyed on the last id. */
static void
test_paging (void)
{
  g_autofree char *dir = make_dir ();
  CpWindow *window = open_window (dir);
  CpLedger *ledger = cp_window_get_ledger (window);
  GtkWidget *page;
  guint total = CP_ACTIVITY_PAGE_SIZE * 2 + 7;

  for (guint i = 0; i < total; i++)
    {
      g_autofree char *message = g_strdup_printf ("Event %u", i);

      log_event (ledger, CP_ACTIVITY_INVENTORY_SYNC_COMPLETED, CP_ACTIVITY_INFO, NULL, 0, message, NULL);
    }
  page = show_page (window, "activity");
  wait_for_events (page, CP_ACTIVITY_PAGE_SIZE);
  g_assert_true (gtk_widget_get_visible (cp_test_find_widget_by_name (page, "more-button")));
  g_assert_true (cp_activity_page_load_more (CP_ACTIVITY_PAGE (page)));
  g_assert_cmpuint (cp_activity_page_get_n_events (CP_ACTIVITY_PAGE (page)), ==, CP_ACTIVITY_PAGE_SIZE * 2);
  g_assert_true (cp_activity_page_load_more (CP_ACTIVITY_PAGE (page)));
  g_assert_cmpuint (cp_activity_page_get_n_events (CP_ACTIVITY_PAGE (page)), ==, total);
  g_assert_false (gtk_widget_get_visible (cp_test_find_widget_by_name (page, "more-button")));
  g_assert_false (cp_activity_page_load_more (CP_ACTIVITY_PAGE (page)));
  g_assert_cmpuint (cp_activity_page_get_n_events (CP_ACTIVITY_PAGE (page)), ==, total);

  close_window (window);
  cp_test_rm_rf (dir);
}

typedef struct
{
  CpLedger *ledger;
  gint64    job_id;
} JobWait;

static gboolean
job_is_pending (gpointer data)
{
  JobWait *wait = data;
  g_autoptr(CpOutboxJob) job = cp_outbox_get (wait->ledger, wait->job_id, NULL);

  return job != NULL && job->state == CP_JOB_PENDING;
}

/* A failure opens to the four answers; Retry turns its dead job pending. */
static void
test_retry (void)
{
  g_autofree char *dir = make_dir ();
  CpWindow *window = open_window (dir);
  CpLedger *ledger = cp_window_get_ledger (window);
  g_autofree char *id = add_integration (ledger, "Web Shop");
  gint64 job_id = make_dead_job (ledger, id, "test:retry");
  g_autoptr(CpOutboxJob) job = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *page, *failure, *retry;

  log_event (ledger, CP_ACTIVITY_JOB_DEAD, CP_ACTIVITY_ERROR, id, job_id,
             "The stock of HELM-RED-L could not be sent",
             "{\"request\":{\"method\":\"PATCH\",\"headers\":{\"Authorization\":\"[redacted]\"}},\"response\":{\"status\":422}}");
  page = show_page (window, "activity");
  wait_for_events (page, 1);

  failure = cp_test_find_widget_with_class (page, "activity-failure");
  g_assert_nonnull (failure);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (failure), TRUE);
  cp_test_wait_for_frames (page);
  cp_test_assert_shows (failure, _("What happened"));
  cp_test_assert_shows (failure, _("What Counterpart will do"));
  cp_test_assert_shows (failure, _("What you can do"));
  cp_test_assert_shows (failure, _("Details for whoever helps you"));
  cp_test_assert_shows (failure, "[redacted]");
  g_assert_true (gtk_widget_get_mapped (cp_test_find_widget_by_name (page, "retry-all-button")));

  retry = cp_test_find_widget_by_name (failure, "retry-button");
  g_assert_nonnull (retry);
  g_assert_true (gtk_widget_activate (retry));
  {
    JobWait wait = { ledger, job_id };

    /* A button activated from the keyboard clicks a moment later. */
    g_assert_true (cp_test_wait_until (job_is_pending, &wait));
  }
  job = cp_outbox_get (ledger, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job->state, ==, CP_JOB_PENDING);
  g_assert_cmpuint (job->attempts, ==, 0);
  cp_test_wait_for_frames (page);
  cp_test_assert_shows (failure, _("It will try again in a moment."));

  /* Retry All for the rest. */
  {
    gint64 second = make_dead_job (ledger, id, "test:retry-all");
    g_autoptr(CpOutboxJob) after = NULL;

    cp_ledger_emit_changed (ledger, "outbox");
    g_assert_true (cp_test_wait_until (cp_test_widget_is_mapped, cp_test_find_widget_by_name (page, "retry-all-button")));
    g_assert_true (gtk_widget_activate (cp_test_find_widget_by_name (page, "retry-all-button")));
    {
      JobWait wait = { ledger, second };

      g_assert_true (cp_test_wait_until (job_is_pending, &wait));
    }
    after = cp_outbox_get (ledger, second, &error);
    g_assert_no_error (error);
    g_assert_cmpint (after->state, ==, CP_JOB_PENDING);
  }

  close_window (window);
  cp_test_rm_rf (dir);
}

typedef struct
{
  CpWindow   *window;
  const char *text;   /* NULL: hidden */
} BadgeWait;

static gboolean
badge_is (gpointer data)
{
  BadgeWait *wait = data;
  GtkWidget *label = badge (wait->window);

  if (wait->text == NULL)
    return !gtk_widget_get_visible (label);
  return gtk_widget_get_visible (label) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), wait->text) == 0;
}

static void
wait_for_badge (CpWindow   *window,
                const char *text)
{
  BadgeWait wait = { window, text };

  if (!cp_test_wait_until (badge_is, &wait))
    g_error ("The Activity badge shows “%s” (%s), not “%s”", gtk_label_get_text (GTK_LABEL (badge (window))),
             gtk_widget_get_visible (badge (window)) ? "visible" : "hidden", text != NULL ? text : "(hidden)");
}

/* The badge counts what needs a person now, live: dead jobs and
 * integrations waiting for a fix, not old warnings. */
static void
test_badge (void)
{
  g_autofree char *dir = make_dir ();
  CpWindow *window = open_window (dir);
  CpLedger *ledger = cp_window_get_ledger (window);
  g_autofree char *web = add_integration (ledger, "Web Shop");
  g_autofree char *outlet = add_integration (ledger, "Outlet Store");
  g_autoptr(GError) error = NULL;
  gint64 job_id;

  show_page (window, "overview");
  /* A warning that passed is history, not something to do. */
  log_event (ledger, CP_ACTIVITY_RATE_LIMITED, CP_ACTIVITY_WARNING, web, 0, "Slowed down", NULL);
  cp_ledger_emit_changed (ledger, "activity");
  wait_for_badge (window, NULL);

  job_id = make_dead_job (ledger, web, "test:badge");
  g_assert_true (cp_integrations_set_attention (ledger, outlet, CP_ATTENTION_CREDENTIALS,
                                                "The store rejected the API key", &error));
  cp_ledger_emit_changed (ledger, "outbox");
  wait_for_badge (window, "2");
  g_assert_cmpint (cp_activity_attention_count (ledger, NULL), ==, 2);

  g_assert_true (cp_outbox_retry (ledger, job_id, &error));
  cp_ledger_emit_changed (ledger, "outbox");
  wait_for_badge (window, "1");

  /* Written by another connection (the engine, counterpart-cli): seen
   * through the data_version poll. */
  {
    g_autoptr(CpLedger) other = cp_ledger_open (cp_ledger_get_path (ledger), &error);

    g_assert_no_error (error);
    g_assert_true (cp_integrations_set_attention (other, outlet, NULL, NULL, &error));
  }
  wait_for_badge (window, NULL);

  close_window (window);
  cp_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (!fixture_init (&argc, &argv, "activity"))
    return g_test_run ();

  g_test_add_func ("/gui/activity/filter", test_filter);
  g_test_add_func ("/gui/activity/kinds", test_kinds);
  g_test_add_func ("/gui/activity/paging", test_paging);
  g_test_add_func ("/gui/activity/retry", test_retry);
  g_test_add_func ("/gui/activity/badge", test_badge);

  return fixture_run ();
}
