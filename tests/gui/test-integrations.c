/* test-integrations.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Integrations page and the Overview's cards (Add Integration has
 * test-wizard), in the real window over a real ledger, against the ecomv2
 * fake on loopback and the harness's Secret Service. The engine is paused: these tests look at
 * what the window does, not at syncing; only Check Stock lets it run, as the button needs it.
 */

#define G_LOG_DOMAIN "test-integrations"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cp-activity-page.h"
#include "cp-application.h"
#include "cp-catalog.h"
#include "cp-connector.h"
#include "cp-credentials.h"
#include "cp-gui-test.h"
#include "cp-integration-detail-reconcile.h"
#include "cp-integration-detail.h"
#include "cp-integration-wizard.h"
#include "cp-integrations-page.h"
#include "cp-integrations.h"
#include "cp-page-toast.h"
#include "cp-sandbox-demo.h"
#include "cp-sandbox-ecomv2.h"
#include "cp-stock.h"
#include "cp-window.h"
#include "test-integrations-fixture.h"

/* Two integrations on the same platform, both listed with their names. */
static void
test_list (void)
{
  g_autofree char *dir = make_dir ();
  CpWindow *window = open_window (dir);
  CpLedger *ledger = cp_window_get_ledger (window);
  g_autofree char *first = add_integration (ledger, "Web Shop");
  g_autofree char *second = add_integration (ledger, "Outlet Store");
  GtkWidget *page = show_page (window, "integrations");

  wait_for_named (page, first);
  wait_for_named (page, second);
  g_assert_cmpuint (cp_integrations_page_get_n_integrations (CP_INTEGRATIONS_PAGE (page)), ==, 2);
  cp_test_assert_shows (page, "Web Shop");
  cp_test_assert_shows (page, "Outlet Store");
  g_assert_false (gtk_widget_get_mapped (cp_test_find_widget_by_name (page, "empty-add-button")));
  cp_test_save_screenshot (GTK_WIDGET (window), "integrations-list");

  close_window (window);
  cp_test_rm_rf (dir);
}

static gboolean
is_paused (gpointer data)
{
  CpWindow *window = data;
  g_autoptr(GPtrArray) all = cp_integrations_list (cp_window_get_ledger (window), NULL);

  if (all == NULL || all->len == 0)
    return FALSE;
  return cp_integration_is_paused (g_ptr_array_index (all, 0));
}

static gboolean
is_active (gpointer data)
{
  return !is_paused (data);
}

/* Pause from the integration's page: the ledger, the state row and an
 * Undo that resumes it. */
static void
test_pause (void)
{
  g_autofree char *dir = make_dir ();
  CpWindow *window = open_window (dir);
  CpLedger *ledger = cp_window_get_ledger (window);
  g_autofree char *id = add_integration (ledger, "Web Shop");
  GtkWidget *page = show_page (window, "integrations");
  GtkWidget *detail;
  AdwToast *toast;

  wait_for_named (page, id);
  cp_integrations_page_show_integration (CP_INTEGRATIONS_PAGE (page), id);
  detail = cp_test_find_widget_of_type (page, CP_TYPE_INTEGRATION_DETAIL);
  g_assert_nonnull (detail);
  wait_for_named (detail, "pause-button");

  g_assert_true (gtk_widget_activate (cp_test_find_widget_by_name (detail, "pause-button")));
  g_assert_true (cp_test_wait_until (is_paused, window));
  cp_test_wait_for_frames (detail);
  {
    AdwActionRow *state = ADW_ACTION_ROW (cp_test_find_widget_by_name (detail, "state-row"));

    g_assert_cmpstr (adw_action_row_get_subtitle (state), ==, _("Paused"));
  }
  {
    g_autofree char *resume = cp_test_strip_mnemonic (_("_Resume"));

    cp_test_assert_shows (detail, resume);
  }
  cp_test_save_screenshot (GTK_WIDGET (window), "integration-paused");

  /* Undo resumes it. */
  toast = cp_page_get_last_toast (detail);
  g_assert_nonnull (toast);
  g_assert_nonnull (adw_toast_get_button_label (toast));
  g_signal_emit_by_name (toast, "button-clicked");
  g_assert_true (cp_test_wait_until (is_active, window));

  close_window (window);
  cp_test_rm_rf (dir);
}

static void
add_stocked_variant (CpLedger   *ledger,
                     const char *sku,
                     gint64      on_hand)
{
  g_autoptr(CpVariant) variant = cp_variant_new ();
  g_autoptr(GError) error = NULL;

  variant->sku = g_strdup (sku);
  variant->product_handle = g_strdup (sku);
  variant->product_name = g_strdup (sku);
  variant->price_minor = 1000;
  memcpy (variant->currency, "EUR", 4);
  g_assert_true (cp_catalog_upsert_variant (ledger, variant, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cp_stock_adjust (ledger, sku, "MAIN", on_hand, CP_STOCK_REASON_RECEIVED,
                                  NULL, NULL, "test", NULL, &error));
  g_assert_no_error (error);
}

/* What a toast says: its title, or its own title label's text. */
static const char *
toast_text (AdwToast *toast)
{
  GtkWidget *custom = adw_toast_get_custom_title (toast);

  if (custom != NULL && GTK_IS_LABEL (custom))
    return gtk_label_get_text (GTK_LABEL (custom));
  return adw_toast_get_title (toast) != NULL ? adw_toast_get_title (toast) : "";
}

typedef struct
{
  GtkWidget  *detail;
  const char *text;
} ToastWait;

static gboolean
toast_says (gpointer data)
{
  ToastWait *wait = data;
  AdwToast *toast = cp_page_get_last_toast (wait->detail);

  return toast != NULL && strstr (toast_text (toast), wait->text) != NULL;
}

typedef struct
{
  CpSandboxEcomv2 *fake;
  CpLedger        *ledger;
} StockWait;

static gint64
ledger_on_hand (CpLedger   *ledger,
                const char *sku)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpStockLevel) level = cp_stock_get (ledger, sku, "MAIN", &error);

  g_assert_no_error (error);
  return level->available;
}

static gboolean
store_agrees (gpointer data)
{
  StockWait *wait = data;

  return cp_sandbox_ecomv2_get_available (wait->fake, "EC-00001", "wh_001") ==
         ledger_on_hand (wait->ledger, "EC-00001");
}

/* Check Stock on an integration's page: the engine compares every linked
 * product with the store, the page shows it is at work, a toast says
 * what differed, the store gets the shop's counts back, the row and the
 * Activity page tell of it; with syncing paused it says so instead. */
static void
test_check_stock (void)
{
  g_autofree char *dir = make_dir ();
  CpWindow *window = open_window (dir);
  CpLedger *ledger = cp_window_get_ledger (window);
  CpSandboxEcomv2 *fake = CP_SANDBOX_ECOMV2 (cp_sandbox_server_get_platform (fixture_server (), "ecomv2"));
  const char *permissions[] = { CP_PERMISSION_INVENTORY_SYNC, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpConnector) connector = NULL;
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(CpLocation) main_location = NULL;
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;
  g_autofree char *credentials = NULL;
  g_autofree char *check_label = cp_test_strip_mnemonic (_("Check _Stock"));
  GtkWidget *page;
  GtkWidget *detail;
  GtkWidget *button;
  ToastWait toast_wait;
  StockWait stock_wait = { fake, ledger };
  AdwActionRow *row;

  /* The shop's counts differ from the store's by construction. */
  main_location = cp_locations_get (ledger, "MAIN", NULL);
  if (main_location == NULL)
    {
      g_assert_true (cp_locations_add (ledger, "MAIN", "Main shop", "EUR", NULL, &error));
      g_assert_no_error (error);
    }
  add_stocked_variant (ledger, "EC-00001",
                       cp_sandbox_ecomv2_get_available (fake, "EC-00001", "wh_001") + 7);
  add_stocked_variant (ledger, "EC-00002",
                       cp_sandbox_ecomv2_get_available (fake, "EC-00002", "wh_001") + 3);

  /* Stock only: no order pull moves the counts while it compares. */
  id = cp_sandbox_demo_add_integration (ledger, fixture_server (), "ecomv2", "Web Shop",
                                        permissions, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cp_integrations_set_mapping (ledger, id, "location", "MAIN", "wh_001", NULL, &error));
  g_assert_no_error (error);
  url = fixture_ecomv2_url ();
  credentials = cp_sandbox_demo_dup_credentials ("ecomv2");
  connector = cp_connector_new_for_platform ("ecomv2", id, url, credentials, &error);
  g_assert_no_error (error);
  report = cp_connector_refresh_mappings (connector, ledger, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->matched->len, ==, 2);
  cp_ledger_emit_changed (ledger, "integrations");

  page = show_page (window, "integrations");
  wait_for_named (page, id);
  cp_integrations_page_show_integration (CP_INTEGRATIONS_PAGE (page), id);
  detail = cp_test_find_widget_of_type (page, CP_TYPE_INTEGRATION_DETAIL);
  g_assert_nonnull (detail);
  wait_for_named (detail, "check-stock-button");
  button = cp_test_find_widget_by_name (detail, "check-stock-button");
  row = ADW_ACTION_ROW (cp_test_find_widget_by_name (detail, "stock-check-row"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, _("Check _Stock"));
  cp_test_assert_shows (detail, check_label);

  /* Syncing paused (the fixture's state): it says so, and compares nothing. */
  g_assert_true (gtk_widget_activate (button));
  toast_wait.detail = detail;
  toast_wait.text = _("Syncing is paused");
  g_assert_true (cp_test_wait_until (toast_says, &toast_wait));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, _("Check _Stock"));
  g_assert_null (cp_stock_check_get_last (ledger, id, NULL));

  fixture_set_syncing (TRUE);
  /* Clicked now, not after activate's pressed look: the state under way
   * is what is checked next. */
  g_signal_emit_by_name (button, "clicked");
  /* At work: a spinner, and the button cancels. */
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, _("_Cancel"));
  g_assert_true (gtk_widget_get_visible (cp_test_find_widget_of_type (GTK_WIDGET (row), GTK_TYPE_SPINNER)));

  toast_wait.text = "products had a different stock";
  if (!cp_test_wait_until (toast_says, &toast_wait))
    {
      AdwToast *toast = cp_page_get_last_toast (detail);

      g_error ("No toast about the stock check; the last one: %s",
               toast != NULL ? toast_text (toast) : "(none)");
    }
  g_assert_nonnull (strstr (toast_text (cp_page_get_last_toast (detail)), "2 products"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, _("Check _Stock"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "2 corrected"));
  cp_test_wait_for_frames (detail);
  cp_test_save_screenshot (GTK_WIDGET (window), "integration-stock-checked");

  /* The fixes go out through the outbox like any change. */
  g_assert_true (cp_test_wait_until (store_agrees, &stock_wait));

  /* The Activity page names the event in words. */
  fixture_set_syncing (FALSE);
  page = show_page (window, "activity");
  cp_test_assert_shows (page, cp_activity_type_title (CP_ACTIVITY_INVENTORY_RECONCILED));
  g_assert_cmpstr (cp_activity_type_title (CP_ACTIVITY_INVENTORY_RECONCILED), !=,
                   CP_ACTIVITY_INVENTORY_RECONCILED);

  close_window (window);
  cp_test_rm_rf (dir);
}

/* What the toast says for each outcome of a check, from the event's
 * counts; and the row's short form. */
static void
test_check_stock_words (void)
{
  CpActivityEvent event = { 0 };
  g_autoptr(CpStockCheck) skipped = NULL;
  g_autofree char *text = NULL;
  struct {
    const char *details;
    const char *says;
    const char *summary;
  } cases[] = {
    { "{\"checked\":4,\"fixed\":0,\"missing\":0,\"in_flight\":0}", "Every product’s stock agrees with “Web Shop”.", "all agreed" },
    { "{\"checked\":4,\"fixed\":1,\"missing\":0,\"in_flight\":0}", "1 product had a different stock on “Web Shop”", "1 corrected" },
    { "{\"checked\":4,\"fixed\":3,\"missing\":2,\"in_flight\":0}", "2 products are not on the store", "3 corrected" },
    { "{\"checked\":4,\"fixed\":0,\"missing\":0,\"in_flight\":2}", "but for 2 products whose new counts are on their way", "all agreed" },
    { "{\"checked\":0,\"fixed\":0,\"missing\":0,\"in_flight\":0}", "No product is linked to “Web Shop” yet", "all agreed" },
  };

  event.type = (char *) CP_ACTIVITY_INVENTORY_RECONCILED;
  event.at = g_get_real_time ();
  event.message = (char *) "Compared";
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CpStockCheck) check = NULL;
      g_autofree char *says = NULL;
      g_autofree char *summary = NULL;

      event.details = (char *) cases[i].details;
      check = cp_stock_check_from_event (&event);
      g_assert_true (check->compared);
      says = cp_stock_check_describe (check, "Web Shop");
      if (strstr (says, cases[i].says) == NULL)
        g_error ("For %s the toast says “%s”", cases[i].details, says);
      summary = cp_stock_check_summary (check, event.at);
      g_assert_nonnull (strstr (summary, cases[i].summary));
    }

  /* Not compared (the store keeps its own count): the engine's words. */
  event.details = NULL;
  event.message = (char *) "The store keeps its own stock count";
  skipped = cp_stock_check_from_event (&event);
  g_assert_false (skipped->compared);
  text = cp_stock_check_describe (skipped, "Web Shop");
  g_assert_cmpstr (text, ==, "The store keeps its own stock count");
}

/* Nothing connected: the Overview's way to start; then a card per
 * integration. */
static void
test_overview (void)
{
  g_autofree char *dir = make_dir ();
  CpWindow *window = open_window (dir);
  CpLedger *ledger = cp_window_get_ledger (window);
  GtkWidget *page = show_page (window, "overview");
  g_autofree char *id = NULL;
  g_autofree char *label = NULL;

  wait_for_named (page, "connect-status");
  cp_test_assert_shows (page, _("Connect Your First Store"));
  label = cp_test_strip_mnemonic (_("_Try With the Sandbox"));
  cp_test_assert_shows (page, label);
  g_assert_false (gtk_widget_get_mapped (cp_test_find_widget_by_name (page, "overview-integrations")));

  /* "Try with the sandbox" opens the wizard with the sandbox chosen (its
   * own test, test-wizard, goes through it). */
  g_assert_true (gtk_widget_activate (cp_test_find_widget_by_name (page, "try-sandbox-button")));
  {
    GtkWidget *dialog = cp_test_wait_for_toplevel (CP_TYPE_INTEGRATION_WIZARD);
    GtkWidget *check = cp_test_find_widget_of_type (cp_test_find_widget_by_name (dialog, "sandbox-row"),
                                                    GTK_TYPE_CHECK_BUTTON);

    g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
    gtk_window_destroy (GTK_WINDOW (dialog));
  }

  id = add_integration (ledger, "Web Shop");
  wait_for_named (page, id);
  g_assert_false (gtk_widget_get_mapped (cp_test_find_widget_by_name (page, "connect-status")));
  cp_test_assert_shows (page, "Web Shop");
  cp_test_assert_shows (page, _("Not synced yet"));

  close_window (window);
  cp_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (!fixture_init (&argc, &argv, "integrations"))
    return g_test_run ();

  g_test_add_func ("/gui/integrations/list", test_list);
  g_test_add_func ("/gui/integrations/pause", test_pause);
  g_test_add_func ("/gui/integrations/check-stock", test_check_stock);
  g_test_add_func ("/gui/integrations/check-stock-words", test_check_stock_words);
  g_test_add_func ("/gui/integrations/overview", test_overview);

  return fixture_run ();
}
