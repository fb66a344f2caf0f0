/* test-integrations-fixture.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-integrations"

#include "config.h"

#include <locale.h>

#include "cp-credentials.h"
#include "cp-gui-test.h"
#include "cp-integrations.h"
#include "cp-sandbox-demo.h"
#include "test-integrations-fixture.h"

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

void
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

CpWindow *
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

void
close_window (CpWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

GtkWidget *
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

char *
add_integration (CpLedger   *ledger,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = fixture_ecomv2_url ();
  char *id = cp_integrations_add (ledger, "ecomv2", name, url, NULL, &error);

  g_assert_no_error (error);
  cp_ledger_emit_changed (ledger, "integrations");
  return id;
}

char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cp-gui-sync-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

CpSandboxServer *
fixture_server (void)
{
  return server;
}

void
fixture_set_syncing (gboolean syncing)
{
  g_action_group_change_action_state (G_ACTION_GROUP (app), "pause-sync",
                                      g_variant_new_boolean (!syncing));
}

char *
fixture_ecomv2_url (void)
{
  return cp_sandbox_server_dup_platform_url (server, "ecomv2");
}

static void
test_no_display (void)
{
  if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
    g_error ("CP_TEST_HARNESS=1 but there is no usable display: the harness must start Xvfb");
  g_test_skip ("No display: run under Xvfb (build-aux/test-session.sh)");
}

static void
test_no_keyring (void)
{
  g_autoptr(GError) error = NULL;

  if (cp_credentials_check_sync (NULL, &error))
    return;
  if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
    g_error ("CP_TEST_HARNESS=1 but the keyring is not usable: %s", error->message);
  g_test_skip ("No usable keyring: run in build-aux/test-session.sh");
}

gboolean
fixture_init (int         *argc,
              char      ***argv,
              const char  *suite)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  setlocale (LC_ALL, "");
  cp_application_init_i18n ();
  g_test_init (argc, argv, NULL);

  if (g_getenv ("DISPLAY") == NULL || !gtk_init_check ())
    {
      path = g_strdup_printf ("/gui/%s/display", suite);
      g_test_add_func (path, test_no_display);
      return FALSE;
    }
  if (!cp_credentials_check_sync (NULL, NULL))
    {
      path = g_strdup_printf ("/gui/%s/keyring", suite);
      g_test_add_func (path, test_no_keyring);
      return FALSE;
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
  return TRUE;
}

int
fixture_run (void)
{
  int ret = g_test_run ();

  g_clear_object (&app);
  if (server != NULL)
    cp_sandbox_server_stop (server);
  g_clear_object (&server);
  return ret;
}
