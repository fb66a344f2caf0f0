/* test-keyring.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window checks the keyring once the ledger is open, without waiting
 * for it, and says on the Integrations page when credentials cannot be
 * stored. Both ways for real: with the harness's unlocked gnome-keyring,
 * and in a child process on a private session bus (GTestDBus) where no
 * Secret Service runs and none can be started.
 */

#define G_LOG_DOMAIN "test-keyring"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cp-application.h"
#include "cp-credentials.h"
#include "cp-integrations-page.h"
#include "cp-window.h"
#include "cp-gui-test.h"

static gboolean
in_harness (void)
{
  return g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0;
}

/* FALSE (after skipping) when there is no display to test on. */
static gboolean
init_display (void)
{
  if (g_getenv ("DISPLAY") != NULL && gtk_init_check ())
    {
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
      return TRUE;
    }

  if (in_harness ())
    g_error ("CP_TEST_HARNESS=1 but there is no usable display (DISPLAY=%s): the harness must start Xvfb",
             g_getenv ("DISPLAY"));
  g_test_skip ("No display: run under Xvfb (build-aux/test-session.sh) to test the window");
  return FALSE;
}

static gboolean
window_settled (gpointer data)
{
  return cp_window_get_status (CP_WINDOW (data)) != CP_WINDOW_STATUS_LOADING;
}

static gboolean
credentials_checked (gpointer data)
{
  return cp_window_get_credentials_checked (CP_WINDOW (data));
}

/* The real application and window over a new ledger in DIR, READY. */
static CpWindow *
open_window (CpApplication *app,
             const char    *dir)
{
  g_autoptr(GError) error = NULL;
  CpWindow *window;

  /* Another test program may hold the application id on this bus. */
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  if (cp_application_get_settings (app) != NULL)
    g_settings_set_boolean (cp_application_get_settings (app), "run-in-background", FALSE);

  cp_application_set_data_dir (app, dir);
  g_application_activate (G_APPLICATION (app));
  window = CP_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_true (CP_IS_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  g_assert_true (cp_test_wait_until (cp_test_widget_is_mapped, window));
  g_assert_true (cp_test_wait_until (window_settled, window));
  g_assert_cmpint (cp_window_get_status (window), ==, CP_WINDOW_STATUS_READY);
  return window;
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

static void
close_window (CpWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The harness's keyring answers: Integrations carries no warning. */
static void
test_available (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpApplication) app = NULL;
  g_autofree char *dir = NULL;
  CpWindow *window;
  GtkWidget *page;
  GtkWidget *warning;

  if (!cp_credentials_check_sync (NULL, &error))
    {
      g_autofree char *reason = NULL;

      if (in_harness ())
        g_error ("CP_TEST_HARNESS=1 but the keyring is not usable: %s", error->message);
      reason = g_strdup_printf ("No usable keyring (%s): run in build-aux/test-session.sh",
                                error->message);
      g_test_skip (reason);
      return;
    }
  if (!init_display ())
    return;

  dir = g_dir_make_tmp ("cp-gui-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  app = cp_application_new ();
  window = open_window (app, dir);

  g_assert_true (cp_test_wait_until (credentials_checked, window));
  page = show_page (window, "integrations");
  g_assert_true (CP_IS_INTEGRATIONS_PAGE (page));
  warning = cp_test_find_widget_by_name (page, "credentials-warning");
  g_assert_nonnull (warning);
  g_assert_false (gtk_widget_get_visible (warning));
  g_assert_false (gtk_widget_get_mapped (warning));
  {
    g_autofree char *text = cp_test_visible_text (GTK_WIDGET (window));

    g_assert_null (strstr (text, _("Passwords Cannot Be Stored")));
  }

  close_window (window);
  cp_test_rm_rf (dir);
}

/* The child: a session bus of its own with nothing on it. */
static void
run_unavailable (void)
{
  /* Not freed: after stop, its dispose would wait for the session
   * connection to go away, and GApplication and libsecret keep it. */
  GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  g_autofree char *runtime_dir = g_strdup (g_getenv ("XDG_RUNTIME_DIR"));
  g_autoptr(GError) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpApplication) app = NULL;
  g_autofree char *dir = NULL;
  CpWindow *window;
  GtkWidget *page;
  GtkWidget *warning;

  /* Up unsets DISPLAY (and the runtime dir) to keep tests off the user's
   * session; the display is Xvfb's, which is what we want. */
  g_test_dbus_up (bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  if (runtime_dir != NULL)
    g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  if (!init_display ())
    {
      g_test_dbus_stop (bus);
      return;
    }

  /* What the core says on this bus, to find it on screen. */
  g_assert_false (cp_credentials_check_sync (NULL, &expected));
  g_assert_error (expected, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_UNAVAILABLE);

  dir = g_dir_make_tmp ("cp-gui-no-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  app = cp_application_new ();
  window = open_window (app, dir);

  /* Shown before the answer may have come: the page takes it later. */
  page = show_page (window, "integrations");
  g_assert_true (cp_test_wait_until (credentials_checked, window));
  warning = cp_test_find_widget_by_name (page, "credentials-warning");
  g_assert_nonnull (warning);
  g_assert_true (cp_test_wait_until (cp_test_widget_is_mapped, warning));
  cp_test_wait_for_frames (page);
  cp_test_assert_shows (warning, _("Passwords Cannot Be Stored"));
  cp_test_assert_shows (warning, expected->message);

  /* The rest of the app works: the ledger's pages open as usual. */
  g_assert_cmpint (cp_window_get_status (window), ==, CP_WINDOW_STATUS_READY);
  page = show_page (window, "overview");
  g_assert_false (gtk_widget_get_mapped (warning));
  page = show_page (window, "catalog");
  g_assert_true (gtk_widget_get_mapped (page));

  close_window (window);
  g_clear_object (&app);
  cp_test_rm_rf (dir);

  /* The shared session connection would otherwise end the process when
   * its bus goes away. */
  g_dbus_connection_set_exit_on_close (g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL), FALSE);
  g_test_dbus_stop (bus);
}

/* In a child process: the session bus connection and libsecret's service
 * proxy are per-process singletons, and this process uses the harness's. */
static void
test_unavailable (void)
{
  if (g_test_subprocess ())
    {
      run_unavailable ();
      return;
    }

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  setlocale (LC_ALL, "");
  cp_application_init_i18n ();

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gui/keyring/available", test_available);
  g_test_add_func ("/gui/keyring/unavailable", test_unavailable);

  return g_test_run ();
}
