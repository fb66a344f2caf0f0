/* test-integrations.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Integrations page, Add Integration and the Overview's cards, in the
 * real window over a real ledger, against the ecomv2 fake on loopback and
 * the harness's Secret Service. The engine is paused: these tests look at
 * what the window does, not at syncing.
 */

#define G_LOG_DOMAIN "test-integrations"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cp-add-integration-dialog.h"
#include "cp-application.h"
#include "cp-credentials.h"
#include "cp-gui-test.h"
#include "cp-integration-detail.h"
#include "cp-integrations-page.h"
#include "cp-integrations.h"
#include "cp-page-toast.h"
#include "cp-sandbox-demo.h"
#include "cp-sandbox-ecomv2.h"
#include "cp-window.h"

static CpApplication *app;
static CpSandboxServer *server;

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

static void
wait_for_named (GtkWidget  *root,
                const char *name)
{
  NamedWait wait = { root, name };

  if (!cp_test_wait_until (named_is_mapped, &wait))
    {
      g_autofree char *text = cp_test_visible_text (root);

      g_error ("“%s” never showed; on screen:\n%s", name, text);
    }
}

static gboolean
window_settled (gpointer data)
{
  return cp_window_get_status (CP_WINDOW (data)) != CP_WINDOW_STATUS_LOADING;
}

static CpWindow *
open_window (const char *dir)
{
  CpWindow *window;

  cp_application_set_data_dir (app, dir);
  cp_application_set_sandbox (app, FALSE);
  g_application_activate (G_APPLICATION (app));
  window = CP_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (CP_IS_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  g_assert_true (cp_test_wait_until (cp_test_widget_is_mapped, window));
  g_assert_true (cp_test_wait_until (window_settled, window));
  g_assert_cmpint (cp_window_get_status (window), ==, CP_WINDOW_STATUS_READY);
  return window;
}

static void
close_window (CpWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GtkWidget *
show_page (CpWindow   *window,
           const char *name)
{
  GtkWidget *page;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", name));
  page = cp_window_get_page (window, name);
  g_assert_nonnull (page);
  g_assert_true (cp_test_wait_until (cp_test_widget_is_mapped, page));
  cp_test_wait_for_frames (page);
  return page;
}

static char *
add_integration (CpLedger   *ledger,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = cp_sandbox_server_dup_platform_url (server, "ecomv2");
  char *id = cp_integrations_add (ledger, "ecomv2", name, url, NULL, &error);

  g_assert_no_error (error);
  cp_ledger_emit_changed (ledger, "integrations");
  return id;
}

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cp-gui-integrations-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

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
dialog_tested (gpointer data)
{
  return cp_add_integration_dialog_get_test_result (data) != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return cp_test_find_toplevel_of_type (CP_TYPE_ADD_INTEGRATION_DIALOG) == NULL;
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  for (gsize i = 0; i + strlen (needle) <= length; i++)
    if (memcmp (contents + i, needle, strlen (needle)) == 0)
      return TRUE;
  return FALSE;
}

/* The dialog tests the key against the fake, then stores the integration
 * in the ledger and its key in the Secret Service only. */
static void
test_add (void)
{
  g_autofree char *dir = make_dir ();
  CpWindow *window = open_window (dir);
  CpLedger *ledger = cp_window_get_ledger (window);
  GtkWidget *page = show_page (window, "integrations");
  g_autofree char *url = cp_sandbox_server_dup_platform_url (server, "ecomv2");
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  CpAddIntegrationDialog *dialog;
  GtkWidget *dialog_widget;
  const CpIntegration *integration;
  const char *secret = CP_SANDBOX_ECOMV2_DEFAULT_KEY;

  /* Nothing yet: the empty page's button opens the dialog. */
  cp_test_assert_shows (page, _("No Integrations Yet"));
  g_assert_true (gtk_widget_activate (cp_test_find_widget_by_name (page, "empty-add-button")));
  dialog_widget = cp_test_wait_for_toplevel (CP_TYPE_ADD_INTEGRATION_DIALOG);
  dialog = CP_ADD_INTEGRATION_DIALOG (dialog_widget);
  cp_test_wait_for_frames (dialog_widget);
  cp_test_assert_shows (dialog_widget, _("What Counterpart May Do"));

  /* Live, against the fake standing in for the store's address. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cp_test_find_widget_of_type (cp_test_find_widget_by_name (dialog_widget, "live-row"),
                                                                              GTK_TYPE_CHECK_BUTTON)), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (cp_test_find_widget_by_name (dialog_widget, "name-row")), "Web Shop");
  gtk_editable_set_text (GTK_EDITABLE (cp_test_find_widget_by_name (dialog_widget, "url-row")), url);
  {
    GtkWidget *key_row = cp_test_find_widget_by_name (dialog_widget, "api_key");

    /* A secret goes in a password row. */
    g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (key_row));
    gtk_editable_set_text (GTK_EDITABLE (key_row), "test_wrong_key");
  }

  /* A wrong key: the test says so in shop words, and nothing is added. */
  g_assert_true (gtk_widget_activate (cp_test_find_widget_by_name (dialog_widget, "test-button")));
  g_assert_true (cp_test_wait_until (dialog_tested, dialog));
  g_assert_false (cp_add_integration_dialog_get_test_passed (dialog));
  g_assert_nonnull (strstr (cp_add_integration_dialog_get_test_result (dialog), "rejected the key"));
  cp_test_save_screenshot (dialog_widget, "add-integration-rejected");

  /* The right key. */
  gtk_editable_set_text (GTK_EDITABLE (cp_test_find_widget_by_name (dialog_widget, "api_key")), secret);
  g_assert_null (cp_add_integration_dialog_get_test_result (dialog));
  g_assert_true (gtk_widget_activate (cp_test_find_widget_by_name (dialog_widget, "test-button")));
  g_assert_true (cp_test_wait_until (dialog_tested, dialog));
  if (!cp_add_integration_dialog_get_test_passed (dialog))
    g_error ("The test failed: %s", cp_add_integration_dialog_get_test_result (dialog));
  cp_test_save_screenshot (dialog_widget, "add-integration");

  g_assert_true (gtk_widget_activate (cp_test_find_widget_by_name (dialog_widget, "save-button")));
  g_assert_true (cp_test_wait_until (dialog_gone, NULL));

  integrations = cp_integrations_list (ledger, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (integrations->len, ==, 1);
  integration = g_ptr_array_index (integrations, 0);
  g_assert_cmpstr (integration->name, ==, "Web Shop");
  g_assert_cmpstr (integration->platform, ==, "ecomv2");
  g_assert_cmpstr (integration->base_url, ==, url);
  /* The defaults of the dialog's switches (CLI.md's defaults). */
  g_assert_true (cp_integration_has_permission (integration, CP_PERMISSION_ORDERS_PULL));
  g_assert_true (cp_integration_has_permission (integration, CP_PERMISSION_INVENTORY_SYNC));
  g_assert_false (cp_integration_has_permission (integration, CP_PERMISSION_PRODUCTS_SYNC));

  /* The key is in the Secret Service under the integration's id... */
  stored = cp_credentials_lookup_sync (integration->id, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (stored, secret));
  /* ...and nowhere in the ledger's files. */
  {
    g_autofree char *path = cp_ledger_path_for_data_dir (dir);
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);

    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
    g_assert_false (file_contains (path, secret));
    g_assert_false (file_contains (wal, secret));
  }

  /* The page opened the new integration. */
  g_assert_cmpstr (cp_integrations_page_get_shown (CP_INTEGRATIONS_PAGE (page)), ==, integration->id);

  g_assert_true (cp_credentials_clear_sync (integration->id, NULL, NULL));
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

  /* "Try with the sandbox" opens Add Integration with the sandbox chosen. */
  g_assert_true (gtk_widget_activate (cp_test_find_widget_by_name (page, "try-sandbox-button")));
  {
    GtkWidget *dialog = cp_test_wait_for_toplevel (CP_TYPE_ADD_INTEGRATION_DIALOG);
    GtkWidget *check = cp_test_find_widget_of_type (cp_test_find_widget_by_name (dialog, "sandbox-row"),
                                                    GTK_TYPE_CHECK_BUTTON);

    g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
    /* The sandbox needs no address and no key. */
    g_assert_false (gtk_widget_get_visible (cp_test_find_widget_by_name (dialog, "url-row")));
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

static void
test_no_display (void)
{
  if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
    g_error ("CP_TEST_HARNESS=1 but there is no usable display: the harness must start Xvfb");
  g_test_skip ("No display: run under Xvfb (build-aux/test-session.sh)");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  setlocale (LC_ALL, "");
  cp_application_init_i18n ();
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DISPLAY") == NULL || !gtk_init_check ())
    {
      g_test_add_func ("/gui/integrations/display", test_no_display);
      return g_test_run ();
    }
  if (!cp_credentials_check_sync (NULL, &error))
    {
      if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
        g_error ("CP_TEST_HARNESS=1 but the keyring is not usable: %s", error->message);
      g_test_skip ("No usable keyring: run in build-aux/test-session.sh");
      return g_test_run ();
    }

  {
    g_autofree char *shots = g_build_filename (g_get_tmp_dir (), "counterpart-screenshots", NULL);

    cp_test_set_screenshots (g_getenv ("CP_SCREENSHOT_DIR") != NULL ? g_getenv ("CP_SCREENSHOT_DIR") : shots,
                             "en-light");
  }

  server = cp_sandbox_demo_start_server (&error);
  g_assert_no_error (error);

  app = cp_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  if (cp_application_get_settings (app) != NULL)
    g_settings_set_boolean (cp_application_get_settings (app), "run-in-background", FALSE);
  /* What the window does, not what syncing would change under it. */
  g_action_group_change_action_state (G_ACTION_GROUP (app), "pause-sync", g_variant_new_boolean (TRUE));

  g_test_add_func ("/gui/integrations/list", test_list);
  g_test_add_func ("/gui/integrations/add", test_add);
  g_test_add_func ("/gui/integrations/pause", test_pause);
  g_test_add_func ("/gui/integrations/overview", test_overview);

  ret = g_test_run ();

  g_clear_object (&app);
  cp_sandbox_server_stop (server);
  g_clear_object (&server);
  return ret;
}
