/* test-window.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real CpApplication and CpWindow under Xvfb, over a real ledger in a
 * temporary directory: every page is shown through win.show-page, checked
 * for what a person would read there, and saved as a PNG in
 * <build>/screenshots/<lang>-<light|dark>-<page>.png.
 *
 * Run once per variant: --lang=en|ar --scheme=light|dark.
 */

#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cp-api-key-dialog.h"
#include "cp-api-keys.h"
#include "cp-application.h"
#include "cp-catalog.h"
#include "cp-demo.h"
#include "cp-activity-page.h"
#include "cp-empty-page.h"
#include "cp-fault-panel.h"
#include "cp-integrations-page.h"
#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-sandbox-demo.h"
#include "cp-money.h"
#include "cp-orders.h"
#include "cp-orders-reserve.h"
#include "cp-overview-page.h"
#include "cp-preferences-window.h"
#include "cp-stock.h"
#include "cp-window.h"
#include "cp-gui-test.h"

static char *opt_lang = NULL;
static char *opt_scheme = NULL;
static char *opt_screenshot_dir = NULL;
static char *opt_localedir = NULL;

static CpApplication *app;

static gboolean
window_settled (gpointer data)
{
  return cp_window_get_status (CP_WINDOW (data)) != CP_WINDOW_STATUS_LOADING;
}

/* The counter on the sidebar row of PAGE. */
static GtkWidget *
sidebar_badge (CpWindow   *window,
               const char *page)
{
  GtkWidget *row = cp_test_find_widget_by_name (GTK_WIDGET (window), page);

  g_assert_true (GTK_IS_LIST_BOX_ROW (row));
  return cp_test_find_widget_with_class (row, "badge");
}

/* Fixtures: a ledger with known sales today */

static void
record_order (CpLedger   *ledger,
              const char *source,
              const char *external_id,
              const char *status,
              const char *sku,
              gint64      quantity,
              gint64      unit_price)
{
  g_autoptr(CpOrder) order = cp_order_new ();
  g_autoptr(GError) error = NULL;

  order->source = g_strdup (source);
  order->external_id = g_strdup (external_id);
  order->status = g_strdup (status);
  order->placed_at_us = g_get_real_time ();
  g_strlcpy (order->currency, cp_ledger_get_currency (ledger), sizeof order->currency);
  cp_order_add_line (order, sku, "Test item", quantity, unit_price, 0, 0);
  g_assert_true (cp_orders_record (ledger, order, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
}

static char *
make_shop (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cp-gui-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(CpLedger) ledger = NULL;

  g_assert_no_error (error);
  path = cp_ledger_path_for_data_dir (dir);
  ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);

  {
    CpDemoOptions options;

    cp_demo_options_init (&options);
    options.n_products = 60;
    options.days = 7;
    options.seed = 42;
    g_assert_true (cp_demo_populate (ledger, &options, &error));
    g_assert_no_error (error);
  }

  /* Known sales today, on top of whatever the demo shop has (which may
   * have none today, just after midnight): two paid register sales and
   * two orders awaiting payment (the Orders badge). */
  record_order (ledger, "pos", "gui-test-1", "completed", "GUI-TEST", 3, 1999);
  record_order (ledger, "pos", "gui-test-paid", "completed", "GUI-TEST", 1, 1250);
  record_order (ledger, "pos", "gui-test-2", "awaiting_payment", "GUI-TEST", 1, 500);
  record_order (ledger, "pos", "gui-test-3", "awaiting_payment", "GUI-TEST", 2, 700);
  /* And a sale given back in part: today's sales are net of it. */
  {
    g_autoptr(CpOrder) order = cp_order_new ();

    order->source = g_strdup ("pos");
    order->external_id = g_strdup ("gui-test-refund");
    order->status = g_strdup ("partially_refunded");
    order->placed_at_us = g_get_real_time ();
    g_strlcpy (order->currency, cp_ledger_get_currency (ledger), sizeof order->currency);
    cp_order_add_line (order, "GUI-TEST", "Test item", 2, 2500, 0, 0);
    cp_order_add_refund (order, 2500, "Returned one", order->placed_at_us);
    g_assert_true (cp_orders_record (ledger, order, FALSE, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  return g_steal_pointer (&dir);
}

static CpWindow *
activate_window (const char *data_dir,
                 gboolean    sandbox)
{
  CpWindow *window;

  cp_application_set_data_dir (app, data_dir);
  cp_application_set_sandbox (app, sandbox);
  g_application_activate (G_APPLICATION (app));

  window = CP_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (CP_IS_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  g_assert_true (cp_test_wait_until (cp_test_widget_is_mapped, window));
  return window;
}

static CpWindow *
open_window (const char *data_dir,
             gboolean    sandbox)
{
  CpWindow *window = activate_window (data_dir, sandbox);

  g_assert_true (cp_test_wait_until (window_settled, window));
  return window;
}

static void
close_window (CpWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
show_page (CpWindow   *window,
           const char *name)
{
  GtkWidget *page;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", name));
  g_assert_cmpstr (cp_window_get_visible_page (window), ==, name);
  page = cp_window_get_page (window, name);
  g_assert_nonnull (page);
  g_assert_true (cp_test_wait_until (cp_test_widget_is_mapped, page));
  cp_test_wait_for_frames (page);
}

/* Expected figures, computed here from the ledger (not by the page). */
static void
expected_today (CpLedger *ledger,
                gint64   *out_total,
                guint    *out_count,
                guint    *out_awaiting)
{
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now),
                                                         g_date_time_get_month (now),
                                                         g_date_time_get_day_of_month (now),
                                                         0, 0, 0);
  CpOrderFilter filter = { 0 };
  g_autoptr(GError) error = NULL;

  *out_total = 0;
  *out_count = 0;
  *out_awaiting = 0;

  filter.source = "pos";
  filter.since_us = g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
  orders = cp_orders_list (ledger, &filter, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < orders->len; i++)
    {
      const CpOrder *order = g_ptr_array_index (orders, i);

      /* As the page counts: neither cancelled nor unpaid nor kept aside. */
      if (!cp_order_status_is_sale (order->status))
        continue;
      /* Net of refunds. */
      *out_total += order->total_minor - order->refunded_minor;
      (*out_count)++;
    }

  filter.source = NULL;
  filter.since_us = 0;
  filter.status = "awaiting_payment";
  g_clear_pointer (&orders, g_ptr_array_unref);
  orders = cp_orders_list (ledger, &filter, &error);
  g_assert_no_error (error);
  *out_awaiting = orders->len;
}

typedef struct
{
  GtkWidget  *root;
  const char *name;
} NamedWait;

static gboolean
named_is_mapped (gpointer data)
{
  NamedWait *wait = data;
  GtkWidget *widget = cp_test_find_widget_by_name (wait->root, wait->name);

  return widget != NULL && gtk_widget_get_mapped (widget);
}

/* Two stores, one of them needing attention, a change that could not
 * be sent and a little activity: the pages as a shop with integrations
 * sees them. The engine is paused (main()) so nothing moves. */
static void
show_integrations (CpWindow *window)
{
  CpLedger *ledger = cp_window_get_ledger (window);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpSandboxServer) server = cp_sandbox_demo_start_server (&error);
  g_autofree char *url = NULL;
  g_autofree char *web = NULL;
  g_autofree char *outlet = NULL;
  g_autofree char *attention_text = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  gint64 job_id, now = g_get_real_time ();
  const char *exchange;
  CpOutboxJob *job;
  GtkWidget *page;

  g_assert_no_error (error);
  url = cp_sandbox_server_dup_platform_url (server, "ecomv2");
  web = cp_integrations_add (ledger, "ecomv2", "Web Shop", url, NULL, &error);
  g_assert_no_error (error);
  outlet = cp_integrations_add (ledger, "ecomv2", "Outlet Store", url, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cp_integrations_record_success (ledger, web, now - 2 * 60 * G_USEC_PER_SEC, &error));
  g_assert_true (cp_integrations_set_attention (ledger, outlet, CP_ATTENTION_CREDENTIALS,
                                                "The store rejected the API key", &error));

  /* A stock change that the store refused for good. */
  job_id = cp_outbox_enqueue (ledger, web, CP_JOB_STOCK_PUSH, "gui-test:1", "{\"variant_id\":1}", 0, &error);
  g_assert_no_error (error);
  claimed = cp_outbox_claim (ledger, web, NULL, 10, 1, g_get_real_time (), CP_OUTBOX_LEASE_US, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, >=, 1);
  job = g_ptr_array_index (claimed, 0);
  job_id = job->id;
  g_assert_true (cp_outbox_kill (ledger, job_id, 1, "invalid_data", "The store refused the stock level: location unknown",
                                 g_get_real_time (), &error));
  exchange = "{\"request\":{\"method\":\"PATCH\",\"url\":\"/v2/batch/update\",\"headers\":{\"Authorization\":\"[redacted]\"}},"
             "\"response\":{\"status\":422,\"body\":\"{\\\"error\\\":{\\\"code\\\":\\\"invalid_location\\\"}}\"}}";
  g_assert_cmpint (cp_activity_log (ledger, CP_ACTIVITY_ORDER_RECEIVED_FROM_STORE, CP_ACTIVITY_INFO, web, 0,
                                    "Order #1001 received from Web Shop", NULL, &error), >, 0);
  g_assert_cmpint (cp_activity_log (ledger, CP_ACTIVITY_RATE_LIMITED, CP_ACTIVITY_WARNING, web, 0,
                                    "Web Shop asked us to slow down for 40 seconds", NULL, &error), >, 0);
  g_assert_cmpint (cp_activity_log (ledger, CP_ACTIVITY_JOB_DEAD, CP_ACTIVITY_ERROR, web, job_id,
                                    "The stock of HELM-RED-L could not be sent: the store does not know the location",
                                    exchange, &error), >, 0);
  cp_ledger_emit_changed (ledger, "integrations");
  cp_ledger_emit_changed (ledger, "outbox");
  cp_ledger_emit_changed (ledger, "activity");

  /* Overview: a card per store, with the fix right there. */
  show_page (window, "overview");
  page = cp_window_get_page (window, "overview");
  {
    NamedWait wait = { page, outlet };

    g_assert_true (cp_test_wait_until (named_is_mapped, &wait));
  }
  cp_test_wait_for_frames (page);
  g_assert_false (gtk_widget_get_mapped (cp_test_find_widget_by_name (page, "connect-status")));
  cp_test_assert_shows (page, "Web Shop");
  attention_text = g_strdup_printf (_("Needs attention: %s"), _("the API key was rejected — enter it again"));
  {
    g_autofree char *text = cp_test_visible_text (page);

    /* The subtitle joins the platform and the state. */
    g_assert_nonnull (strstr (text, attention_text));
  }
  g_assert_true (gtk_widget_get_mapped (cp_test_find_widget_by_name (page, "dead-group")));
  cp_test_save_screenshot (GTK_WIDGET (window), "overview-integrations");

  /* The Activity badge: one integration to fix, one change given up on. */
  {
    GtkWidget *badge = sidebar_badge (window, "activity");

    g_assert_true (gtk_widget_get_mapped (badge));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (badge)), ==, "2");
  }

  show_page (window, "integrations");
  page = cp_window_get_page (window, "integrations");
  g_assert_cmpuint (cp_integrations_page_get_n_integrations (CP_INTEGRATIONS_PAGE (page)), ==, 2);
  cp_test_assert_shows (page, "Outlet Store");
  cp_test_save_screenshot (GTK_WIDGET (window), "integrations");
  cp_test_assert_text_fits (GTK_WIDGET (window));
  cp_integrations_page_show_integration (CP_INTEGRATIONS_PAGE (page), web);
  cp_test_wait_for_frames (page);
  cp_test_assert_shows (page, _("What Counterpart May Do"));
  cp_test_save_screenshot (GTK_WIDGET (window), "integration-detail");
  cp_test_assert_text_fits (GTK_WIDGET (window));
  cp_integrations_page_show_integration (CP_INTEGRATIONS_PAGE (page), NULL);

  show_page (window, "activity");
  page = cp_window_get_page (window, "activity");
  g_assert_cmpuint (cp_activity_page_get_n_events (CP_ACTIVITY_PAGE (page)), ==, 3);
  {
    GtkWidget *failure = cp_test_find_widget_with_class (page, "activity-failure");

    g_assert_nonnull (failure);
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (failure), TRUE);
    cp_test_wait_for_frames (page);
    cp_test_assert_shows (failure, _("What Counterpart will do"));
    cp_test_assert_shows (failure, _("What you can do"));
  }
  cp_test_save_screenshot (GTK_WIDGET (window), "activity");
  cp_test_assert_text_fits (GTK_WIDGET (window));

  /* Back to nothing connected, for what the test does next. */
  g_assert_true (cp_integrations_remove (ledger, web, &error));
  g_assert_true (cp_integrations_remove (ledger, outlet, &error));
  cp_ledger_emit_changed (ledger, "integrations");
  cp_sandbox_server_stop (server);
}

/* Tests */

static void
test_pages (void)
{
  g_autofree char *dir = make_shop ();
  CpWindow *window = open_window (dir, FALSE);
  CpLedger *ledger;
  GtkWidget *page;
  g_autofree char *total_text = NULL;
  g_autofree char *badge_text = NULL;
  g_autofree char *count_text = NULL;
  gint64 total;
  guint count, awaiting;
  static const char *empty_pages[] = { "accounting", "devices" };

  g_assert_cmpint (cp_window_get_status (window), ==, CP_WINDOW_STATUS_READY);
  ledger = cp_window_get_ledger (window);
  g_assert_nonnull (ledger);

  if (g_strcmp0 (opt_lang, "ar") == 0)
    g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (window)), ==, GTK_TEXT_DIR_RTL);
  else
    g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (window)), ==, GTK_TEXT_DIR_LTR);
  g_assert_cmpint (adw_style_manager_get_dark (adw_style_manager_get_default ()), ==,
                   g_strcmp0 (opt_scheme, "dark") == 0);

  /* No sandbox bar outside the sandbox. */
  g_assert_false (gtk_widget_get_mapped (cp_test_find_widget_with_class (GTK_WIDGET (window), "sandbox-bar")));

  /* Overview: today's register sales as the ledger has them. */
  show_page (window, "overview");
  page = cp_window_get_page (window, "overview");
  expected_today (ledger, &total, &count, &awaiting);
  g_assert_cmpuint (count, >=, 3);
  total_text = cp_money_format (total, cp_ledger_get_currency (ledger));
  cp_test_assert_shows (page, total_text);
  count_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u order", "%u orders", count), count);
  cp_test_assert_shows (page, count_text);
  cp_test_assert_shows (page, _("Register"));
  cp_test_assert_shows (page, _("Connect Your First Store"));
  cp_test_assert_shows (page, _("Stock Alerts"));
  cp_test_assert_shows (GTK_WIDGET (window), _("Overview"));
  cp_test_save_screenshot (GTK_WIDGET (window), "overview");

  /* The Orders badge counts the orders awaiting payment. */
  badge_text = g_strdup_printf ("%u", awaiting);
  g_assert_cmpuint (awaiting, >=, 2);
  {
    GtkWidget *badge = sidebar_badge (window, "orders");

    g_assert_nonnull (badge);
    g_assert_true (gtk_widget_get_mapped (badge));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (badge)), ==, badge_text);
    /* The number is explained for people and screen readers (Arabic
     * plural forms may spell small numbers out, so only English is
     * checked for the digits). */
    g_assert_nonnull (gtk_widget_get_tooltip_text (badge));
    g_assert_cmpstr (gtk_widget_get_tooltip_text (badge), !=, "");
    if (g_strcmp0 (opt_lang, "en") == 0)
      g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (badge), badge_text));
  }

  /* A new sale shows up without reopening anything. */
  record_order (ledger, "pos", "gui-test-4", "awaiting_payment", "GUI-TEST", 1, 100);
  cp_test_wait_for_frames (page);
  cp_test_wait_for_frames (page);
  {
    g_autofree char *new_badge = g_strdup_printf ("%u", awaiting + 1);

    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (sidebar_badge (window, "orders"))),
                     ==, new_badge);
    /* Nothing needs attention yet, so Activity shows no counter. */
    g_assert_false (gtk_widget_get_visible (sidebar_badge (window, "activity")));
  }

  /* So does one written by another process (counterpart-cli): a second
   * connection to the same file, seen through PRAGMA data_version. */
  {
    g_autoptr(GError) local_error = NULL;
    g_autoptr(CpLedger) other = cp_ledger_open (cp_ledger_get_path (ledger), &local_error);
    g_autofree char *other_badge = g_strdup_printf ("%u", awaiting + 2);
    CpTestLabelWait label_wait = { sidebar_badge (window, "orders"), other_badge };

    g_assert_no_error (local_error);
    record_order (other, "pos", "gui-test-5", "awaiting_payment", "GUI-TEST", 1, 100);
    g_assert_true (cp_test_wait_until (cp_test_label_has_text, &label_wait));
  }

  /* The sync indicator says, honestly, that nothing is connected. */
  {
    GtkWidget *sync = cp_test_find_widget_by_name (GTK_WIDGET (window), "sync-button");
    GtkPopover *popover;

    g_assert_true (GTK_IS_MENU_BUTTON (sync));
    gtk_menu_button_popup (GTK_MENU_BUTTON (sync));
    popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (sync));
    g_assert_true (cp_test_wait_until (cp_test_widget_is_mapped, popover));
    cp_test_assert_shows (GTK_WIDGET (popover), _("No integrations connected"));
    /* A popover is a surface of its own. */
    cp_test_save_screenshot (GTK_WIDGET (popover), "sync-popover");
    gtk_menu_button_popdown (GTK_MENU_BUTTON (sync));
  }

  /* The primary menu, as UX.md lists it. */
  {
    GtkWidget *menu_button = cp_test_find_widget_by_name (GTK_WIDGET (window), "primary-menu-button");
    GtkPopover *menu;
    static const char *items[] = {
      N_("_Preferences"), N_("_Keyboard Shortcuts"), N_("_Help"), N_("_About Counterpart"), N_("_Quit"),
    };

    gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
    menu = gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button));
    g_assert_true (cp_test_wait_until (cp_test_widget_is_mapped, menu));
    cp_test_wait_for_frames (GTK_WIDGET (menu));
    for (guint i = 0; i < G_N_ELEMENTS (items); i++)
      {
        g_autofree char *label = cp_test_strip_mnemonic (_(items[i]));

        cp_test_assert_shows (GTK_WIDGET (menu), label);
      }
    cp_test_save_screenshot (GTK_WIDGET (menu), "primary-menu");
    gtk_menu_button_popdown (GTK_MENU_BUTTON (menu_button));
  }

  /* Alt+1…7 go to the pages in sidebar order. */
  {
    g_auto(GStrv) actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), "<Alt>2");

    g_assert_true (g_strv_contains ((const char * const *) actions, "win.show-page::orders"));
  }

  show_page (window, "orders");
  /* Ctrl+F is win.search, which hands over to the page's page.search. */
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.search");
    GtkWidget *focus;

    g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>f"));
    g_action_group_activate_action (G_ACTION_GROUP (window), "search", NULL);
    focus = gtk_root_get_focus (GTK_ROOT (window));
    g_assert_nonnull (focus);
    g_assert_true (gtk_widget_is_ancestor (focus, cp_window_get_page (window, "orders")));
    g_assert_nonnull (gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY));
  }
  cp_test_save_screenshot (GTK_WIDGET (window), "orders");

  show_page (window, "catalog");
  cp_test_save_screenshot (GTK_WIDGET (window), "catalog");
  if (cp_application_get_settings (app) != NULL)
    {
      g_autofree char *saved = g_settings_get_string (cp_application_get_settings (app), "sidebar-page");

      g_assert_cmpstr (saved, ==, "catalog");
    }

  for (guint i = 0; i < G_N_ELEMENTS (empty_pages); i++)
    {
      CpEmptyPage *empty;

      show_page (window, empty_pages[i]);
      empty = CP_EMPTY_PAGE (cp_window_get_page (window, empty_pages[i]));
      g_assert_nonnull (cp_empty_page_get_title (empty));
      cp_test_assert_shows (GTK_WIDGET (empty), cp_empty_page_get_title (empty));
      cp_test_save_screenshot (GTK_WIDGET (window), empty_pages[i]);
    }

  /* Nothing connected yet: Integrations and Activity say so, and how to
   * start. */
  show_page (window, "integrations");
  cp_test_assert_shows (cp_window_get_page (window, "integrations"), _("No Integrations Yet"));
  cp_test_save_screenshot (GTK_WIDGET (window), "integrations-empty");
  cp_test_assert_text_fits (GTK_WIDGET (window));
  show_page (window, "activity");
  cp_test_assert_shows (cp_window_get_page (window, "activity"), _("Nothing to Report"));
  cp_test_save_screenshot (GTK_WIDGET (window), "activity-empty");
  cp_test_assert_text_fits (GTK_WIDGET (window));

  show_integrations (window);

  /* Narrow: one pane at a time, with a back button. */
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 720);
  {
    AdwLeaflet *leaflet = ADW_LEAFLET (cp_test_find_widget_of_type (GTK_WIDGET (window), ADW_TYPE_LEAFLET));
    GtkWidget *back;

    g_assert_true (cp_test_wait_until ((CpTestPredicate) adw_leaflet_get_folded, leaflet));

    show_page (window, "overview");
    cp_test_save_screenshot (GTK_WIDGET (window), "narrow-overview");
    /* No page may hold the window wider than a phone-sized 400 px (plus
     * the frame) while another page is shown. */
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 420);
    /* The back button leads to the sidebar. */
    back = cp_test_find_widget_by_name (GTK_WIDGET (window), "back-button");
    g_assert_true (gtk_widget_get_mapped (back));
    g_assert_true (gtk_widget_activate (back));
    g_assert_true (cp_test_wait_until (cp_test_widget_is_mapped, cp_test_find_widget_by_name (GTK_WIDGET (window), "orders")));
    cp_test_save_screenshot (GTK_WIDGET (window), "narrow-sidebar");
  }
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);

  /* The Overview is the page that comes back next time, at the size the
   * window had. */
  show_page (window, "overview");
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  cp_test_wait_for_frames (GTK_WIDGET (window));
  close_window (window);
  {
    GSettings *settings = cp_application_get_settings (app);
    g_autofree char *saved = NULL;

    g_assert_nonnull (settings);
    saved = g_settings_get_string (settings, "sidebar-page");
    g_assert_cmpstr (saved, ==, "overview");
    g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
    g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  }
  cp_test_rm_rf (dir);
}

/* The Local API page of Preferences (cp-api-preferences.c): on, with a
 * key, and the two steps of Create Key…. */
static void
screenshot_api_preferences (CpWindow *window)
{
  GSettings *settings = cp_application_get_settings (app);
  static const char * const scopes[] = { CP_API_SCOPE_INTEGRATIONS_READ, CP_API_SCOPE_INTEGRATIONS_SYNC, NULL };
  g_autoptr(CpApiKey) key = NULL;
  g_autoptr(GError) error = NULL;
  char *secret = NULL;
  GtkWidget *prefs;
  GtkWidget *dialog;

  g_assert_nonnull (settings);
  key = cp_api_keys_create (cp_window_get_ledger (window), "Stock monitor", scopes, &secret, &error);
  g_assert_no_error (error);
  cp_api_keys_secret_free (secret);
  /* Any free port: the variants run one after another, but other suites
   * may hold 8787. */
  g_settings_set_string (settings, "api-listen", "127.0.0.1:0");
  g_settings_set_boolean (settings, "api-server-enabled", TRUE);
  g_assert_nonnull (cp_application_get_api_server (app));

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = cp_test_wait_for_toplevel (CP_TYPE_PREFERENCES_WINDOW);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "api");
  g_assert_true (cp_test_wait_until (cp_test_widget_is_mapped, cp_test_find_widget_by_name (prefs, "api-switch")));
  cp_test_wait_for_frames (prefs);
  cp_test_assert_shows (prefs, "Stock monitor");
  cp_test_save_screenshot (prefs, "preferences-api");

  g_signal_emit_by_name (cp_test_find_widget_by_name (prefs, "api-create-key"), "clicked");
  dialog = cp_test_wait_for_toplevel (CP_TYPE_API_KEY_DIALOG);
  gtk_editable_set_text (GTK_EDITABLE (cp_test_find_widget_by_name (dialog, "key-name")), "Website stock widget");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cp_test_find_widget_by_name (dialog, "scope-integrations.read")), TRUE);
  cp_test_wait_for_frames (dialog);
  cp_test_save_screenshot (dialog, "api-key-new");
  g_signal_emit_by_name (cp_test_find_widget_by_name (dialog, "create-button"), "clicked");
  g_assert_true (cp_test_wait_until (cp_test_widget_is_mapped, cp_test_find_widget_by_name (dialog, "secret-label")));
  cp_test_wait_for_frames (dialog);
  cp_test_save_screenshot (dialog, "api-key-secret");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (prefs));

  g_settings_set_boolean (settings, "api-server-enabled", FALSE);
  g_assert_null (cp_application_get_api_server (app));
}

static void
test_dialogs (void)
{
  g_autofree char *dir = make_shop ();
  CpWindow *window = open_window (dir, FALSE);
  GtkWidget *dialog;
  GSettings *settings = cp_application_get_settings (app);

  /* Preferences: rows bound to the settings. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  dialog = cp_test_wait_for_toplevel (CP_TYPE_PREFERENCES_WINDOW);
  {
    /* The row title has a mnemonic; what is read on screen has none. */
    g_autofree char *title = cp_test_strip_mnemonic (_("_Run in Background"));

    cp_test_assert_shows (dialog, title);
  }
  {
    AdwComboRow *locations = NULL;
    g_autoptr(GPtrArray) expected = cp_locations_list (cp_window_get_ledger (window), NULL);
    GtkWidget *w = cp_test_find_widget_of_type (dialog, ADW_TYPE_COMBO_ROW);

    /* The first combo row is the default location: "First Location" then
     * each of the ledger's locations. */
    locations = ADW_COMBO_ROW (w);
    g_assert_nonnull (expected);
    g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (locations)), ==,
                      expected->len + 1);
  }
  if (settings != NULL)
    {
      GtkWidget *toggle = cp_test_find_widget_of_type (dialog, GTK_TYPE_SWITCH);
      gboolean before = g_settings_get_boolean (settings, "run-in-background");

      g_assert_cmpint (gtk_switch_get_active (GTK_SWITCH (toggle)), ==, before);
      gtk_switch_set_active (GTK_SWITCH (toggle), !before);
      g_assert_cmpint (g_settings_get_boolean (settings, "run-in-background"), ==, !before);
      gtk_switch_set_active (GTK_SWITCH (toggle), before);
    }
  /* The Style row switches the whole app at once. */
  if (settings != NULL)
    {
      AdwStyleManager *style = adw_style_manager_get_default ();
      gboolean dark = adw_style_manager_get_dark (style);
      AdwComboRow *style_row = ADW_COMBO_ROW (cp_test_find_widget_by_name (dialog, "style-row"));
      guint before = adw_combo_row_get_selected (style_row);
      g_autofree char *scheme = NULL;

      adw_combo_row_set_selected (style_row, dark ? 1 : 2);
      g_assert_cmpint (adw_style_manager_get_dark (style), ==, !dark);
      scheme = g_settings_get_string (settings, "color-scheme");
      g_assert_cmpstr (scheme, ==, dark ? "light" : "dark");
      adw_combo_row_set_selected (style_row, before);
      g_assert_cmpint (adw_style_manager_get_dark (style), ==, dark);
    }
  cp_test_save_screenshot (dialog, "preferences");
  gtk_window_destroy (GTK_WINDOW (dialog));
  screenshot_api_preferences (window);

  /* About */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  dialog = cp_test_wait_for_toplevel (ADW_TYPE_ABOUT_WINDOW);
  cp_test_assert_shows (dialog, PACKAGE_VERSION);
  cp_test_assert_shows (dialog, _("The Counterpart authors"));
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (dialog)), ==, GTK_LICENSE_GPL_3_0);
  g_assert_nonnull (adw_about_window_get_issue_url (ADW_ABOUT_WINDOW (dialog)));
  cp_test_save_screenshot (dialog, "about");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Keyboard Shortcuts, from the resource GtkApplication loads. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  dialog = cp_test_wait_for_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  cp_test_save_screenshot (dialog, "shortcuts");
  gtk_window_destroy (GTK_WINDOW (dialog));

  close_window (window);
  cp_test_rm_rf (dir);
}

static void
test_sandbox (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cp-gui-sandbox-XXXXXX", &error);
  CpWindow *window;
  GtkWidget *bar;

  g_assert_no_error (error);

  /* The window itself prepares the demo shop on first start, off the
   * UI thread: the window is up (with a spinner) before the shop is. */
  window = activate_window (dir, TRUE);
  cp_test_wait_for_frames (GTK_WIDGET (window));
  if (cp_window_get_status (window) == CP_WINDOW_STATUS_LOADING)
    {
      cp_test_assert_shows (GTK_WIDGET (window), _("Preparing the Demo Shop…"));
      cp_test_save_screenshot (GTK_WIDGET (window), "sandbox-loading");
    }
  else
    {
      g_test_message ("The demo shop was ready before the first frame");
    }
  g_assert_true (cp_test_wait_until (window_settled, window));
  g_assert_cmpint (cp_window_get_status (window), ==, CP_WINDOW_STATUS_READY);
  g_assert_true (cp_window_get_sandbox (window));
  g_assert_cmpint (cp_catalog_count_products (cp_window_get_ledger (window)), >, 0);

  /* In the sandbox the Integrations page does not send people to the
   * sandbox they are already in. */
  show_page (window, "integrations");
  {
    g_autofree char *text = cp_test_visible_text (cp_window_get_page (window, "integrations"));

    g_assert_null (strstr (text, "--sandbox"));
  }

  show_page (window, "overview");
  /* The sandbox connects its demo store by itself, with its key in the
   * keyring, so a newcomer sees integrations at work. */
  {
    NamedWait wait = { cp_window_get_page (window, "overview"), "overview-integrations" };
    g_autoptr(GPtrArray) integrations = NULL;

    g_assert_true (cp_test_wait_until (named_is_mapped, &wait));
    integrations = cp_integrations_list (cp_window_get_ledger (window), NULL);
    g_assert_nonnull (integrations);
    g_assert_cmpuint (integrations->len, ==, 1);
    g_assert_true (cp_sandbox_demo_is_sandbox_integration (g_ptr_array_index (integrations, 0)));
    cp_test_wait_for_frames (GTK_WIDGET (window));
    cp_test_assert_shows (cp_window_get_page (window, "overview"), _("Sandbox store"));
  }
  bar = cp_test_find_widget_with_class (GTK_WIDGET (window), "sandbox-bar");
  g_assert_nonnull (bar);
  g_assert_true (cp_test_wait_until (cp_test_widget_is_mapped, bar));
  cp_test_assert_shows (bar, _("Sandbox — demo shop and test platforms. Nothing here touches your real accounts."));
  /* The developer fault panel, in the development profile only. */
  g_assert_cmpint (gtk_widget_get_mapped (cp_test_find_widget_by_name (bar, "fault-panel-button")), ==, DEVELOPMENT_BUILD);
  if (DEVELOPMENT_BUILD)
    {
      GtkWidget *panel;

      g_assert_true (gtk_widget_activate (cp_test_find_widget_by_name (bar, "fault-panel-button")));
      panel = cp_test_wait_for_toplevel (CP_TYPE_FAULT_PANEL);
      cp_test_wait_for_frames (panel);
      cp_test_save_screenshot (panel, "fault-panel");
      gtk_window_destroy (GTK_WINDOW (panel));
    }
  cp_test_save_screenshot (GTK_WIDGET (window), "sandbox-overview");
  /* The demo shop's lists, for the README and the AppStream screenshots. */
  show_page (window, "orders");
  cp_test_save_screenshot (GTK_WIDGET (window), "sandbox-orders");
  show_page (window, "catalog");
  cp_test_save_screenshot (GTK_WIDGET (window), "sandbox-catalog");

  close_window (window);
  cp_test_rm_rf (dir);
}

static void
test_ledger_too_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cp-gui-new-XXXXXX", &error);
  g_autofree char *path = cp_ledger_path_for_data_dir (dir);
  sqlite3 *db = NULL;
  CpWindow *window;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  /* A ledger from a future Counterpart: a schema version we do not know. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE future (x); PRAGMA user_version = 9999;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  /* What the ledger itself says about that file. */
  {
    g_autoptr(CpLedger) refused = cp_ledger_open (path, &error);

    g_assert_null (refused);
    g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_TOO_NEW);
  }

  window = open_window (dir, FALSE);
  g_assert_cmpint (cp_window_get_status (window), ==, CP_WINDOW_STATUS_FAILED);
  g_assert_null (cp_window_get_ledger (window));
  cp_test_wait_for_frames (GTK_WIDGET (window));
  cp_test_assert_shows (GTK_WIDGET (window), _("The Ledger Could Not Be Opened"));
  cp_test_assert_shows (GTK_WIDGET (window), error->message);
  /* Nothing to navigate to without a ledger. */
  g_assert_false (gtk_widget_is_sensitive (cp_test_find_widget_by_name (GTK_WIDGET (window), "orders")));
  cp_test_assert_shows (GTK_WIDGET (window), path);
  cp_test_save_screenshot (GTK_WIDGET (window), "error-too-new");
  close_window (window);

  /* Left untouched. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 9999);
    sqlite3_finalize (stmt);
  }
  sqlite3_close (db);
  cp_test_rm_rf (dir);
}

static void
test_ledger_corrupt (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cp-gui-corrupt-XXXXXX", &error);
  g_autofree char *path = cp_ledger_path_for_data_dir (dir);
  g_autofree char *after = NULL;
  static const char garbage[] = "These are the shop's notes, not a database.\n";
  CpWindow *window;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, garbage, -1, &error));

  window = open_window (dir, FALSE);
  g_assert_cmpint (cp_window_get_status (window), ==, CP_WINDOW_STATUS_FAILED);
  cp_test_wait_for_frames (GTK_WIDGET (window));
  cp_test_assert_shows (GTK_WIDGET (window), _("The Ledger Could Not Be Opened"));
  /* Trying again cannot mend the file, so there is no such button. */
  g_assert_false (gtk_widget_get_mapped (cp_test_find_widget_by_name (GTK_WIDGET (window), "retry-button")));
  cp_test_save_screenshot (GTK_WIDGET (window), "error-corrupt");
  close_window (window);

  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, garbage);
  cp_test_rm_rf (dir);
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
test_close_while_opening (void)
{
  g_autofree char *dir = make_shop ();
  CpWindow *window;
  gboolean waited = FALSE;

  /* Closed before the ledger is open: the late callback must find the
   * window gone and do nothing (no pages built on a disposed window). */
  window = activate_window (dir, FALSE);
  if (cp_window_get_status (window) != CP_WINDOW_STATUS_LOADING)
    g_test_message ("The ledger opened before the window was mapped");
  close_window (window);

  g_timeout_add (1500, flag_cb, &waited);
  g_assert_true (cp_test_wait_until (flag_is_set, &waited));
  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (app)));
  cp_test_rm_rf (dir);
}

static void
test_run_in_background (void)
{
  g_autofree char *dir = make_shop ();
  GSettings *settings = cp_application_get_settings (app);
  CpWindow *window;

  g_assert_nonnull (settings);
  /* The notification sent on closing fails later, asynchronously, with a
   * warning where no notification server runs (as in the test session).
   * That is not the window's failure; criticals stay fatal. This test
   * runs last for that reason. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  /* On: closing the window leaves Counterpart running. */
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  window = open_window (dir, FALSE);
  g_assert_false (cp_application_get_running_in_background (app));
  close_window (window);
  g_assert_true (cp_application_get_running_in_background (app));

  /* Off: the next close lets it quit. */
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  window = open_window (dir, FALSE);
  close_window (window);
  g_assert_false (cp_application_get_running_in_background (app));

  cp_test_rm_rf (dir);
}

static void
test_no_display (void)
{
  if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
    g_error ("CP_TEST_HARNESS=1 but there is no usable display (DISPLAY=%s): the harness must start Xvfb",
             g_getenv ("DISPLAY"));
  g_test_skip ("No display: run under Xvfb (build-aux/test-session.sh) to test the window");
}

int
main (int   argc,
      char *argv[])
{
  GOptionEntry entries[] = {
    { "lang", 0, 0, G_OPTION_ARG_STRING, &opt_lang, "en or ar", "LANG" },
    { "scheme", 0, 0, G_OPTION_ARG_STRING, &opt_scheme, "light or dark", "SCHEME" },
    { "screenshot-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_screenshot_dir, "Where to save PNGs", "DIR" },
    { "localedir", 0, 0, G_OPTION_ARG_FILENAME, &opt_localedir, "The build's po dir", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean have_display;
  int ret;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (opt_lang == NULL)
    opt_lang = g_strdup ("en");
  if (opt_scheme == NULL)
    opt_scheme = g_strdup ("light");
  if (opt_screenshot_dir == NULL)
    opt_screenshot_dir = g_build_filename (g_get_tmp_dir (), "counterpart-screenshots", NULL);
  {
    g_autofree char *prefix = g_strdup_printf ("%s-%s", opt_lang, opt_scheme);

    cp_test_set_screenshots (opt_screenshot_dir, prefix);
  }

  /* The language has to be chosen before anything reads the locale. There
   * may be no Arabic locale installed; with a UTF-8 locale gettext still
   * honours LANGUAGE, and GTK takes the text direction from its own
   * translation. */
  if (g_strcmp0 (opt_lang, "ar") == 0)
    g_setenv ("LANGUAGE", "ar", TRUE);
  else
    g_setenv ("LANGUAGE", "en", TRUE);
  if (opt_localedir != NULL)
    g_setenv ("CP_LOCALEDIR", opt_localedir, TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  setlocale (LC_ALL, "");
  cp_application_init_i18n ();

  g_test_init (&argc, &argv, NULL);

  have_display = g_getenv ("DISPLAY") != NULL && gtk_init_check ();
  if (!have_display)
    {
      g_test_add_func ("/gui/window/display", test_no_display);
      return g_test_run ();
    }

  app = cp_application_new ();
  /* Several variants run at once on one session bus. */
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  /* Screenshots of finished transitions, not of a crossfade. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  /* The app icon is installed by data/; in the build, take it from the
   * source tree so the About window shows it. */
  {
    g_autofree char *icons = g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "data", "icons", NULL);

    gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()), icons);
  }

  /* Closing windows is routine here; leave the background behaviour to
   * its own test. */
  if (cp_application_get_settings (app) != NULL)
    g_settings_set_boolean (cp_application_get_settings (app), "run-in-background", FALSE);

  /* The dark variants go through the preference, as a person would. */
  if (cp_application_get_settings (app) != NULL)
    g_settings_set_string (cp_application_get_settings (app), "color-scheme",
                           g_strcmp0 (opt_scheme, "dark") == 0 ? "dark" : "light");
  else
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        g_strcmp0 (opt_scheme, "dark") == 0
                                          ? ADW_COLOR_SCHEME_FORCE_DARK
                                          : ADW_COLOR_SCHEME_FORCE_LIGHT);

  /* The pages as they are, not as the engine would change them. */
  g_action_group_change_action_state (G_ACTION_GROUP (app), "pause-sync", g_variant_new_boolean (TRUE));

  g_test_add_func ("/gui/window/pages", test_pages);
  g_test_add_func ("/gui/window/dialogs", test_dialogs);
  g_test_add_func ("/gui/window/sandbox", test_sandbox);
  g_test_add_func ("/gui/window/ledger-too-new", test_ledger_too_new);
  g_test_add_func ("/gui/window/ledger-corrupt", test_ledger_corrupt);
  g_test_add_func ("/gui/window/close-while-opening", test_close_while_opening);
  g_test_add_func ("/gui/window/run-in-background", test_run_in_background);

  ret = g_test_run ();

  g_clear_object (&app);
  return ret;
}
