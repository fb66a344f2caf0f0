/* test-integrations.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Integrations page and the Overview's cards (Add Integration has
 * test-wizard), in the real window over a real ledger, against the ecomv2
 * fake on loopback and the harness's Secret Service. The engine is paused: these tests look at
 * what the window does, not at syncing.
 */

#define G_LOG_DOMAIN "test-integrations"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cp-application.h"
#include "cp-credentials.h"
#include "cp-gui-test.h"
#include "cp-integration-detail.h"
#include "cp-integration-wizard.h"
#include "cp-integrations-page.h"
#include "cp-integrations.h"
#include "cp-page-toast.h"
#include "cp-sandbox-demo.h"
#include "cp-sandbox-ecomv2.h"
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
  g_test_add_func ("/gui/integrations/overview", test_overview);

  return fixture_run ();
}
