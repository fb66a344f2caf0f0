/* test-background.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Running without a window, on a private session bus (GTestDBus) where
 * this test plays the desktop: a notification server
 * (org.freedesktop.Notifications, which GNotification falls back to) and
 * the Background portal. Closing the window keeps the real application
 * running only when "Run in Background" is on; the notifications are
 * sent once per cause and lead to the right place; the autostart entry
 * follows "Start at Login"; the portal request says what it asks.
 */

#define G_LOG_DOMAIN "test-background"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cp-application.h"
#include "cp-background.h"
#include "cp-background-notifier.h"
#include "cp-preferences-window.h"
#include "cp-window.h"
#include "cp-gui-test.h"
#include "tray-fixture.h"

static char *config_home;

/* --- A notification server ---------------------------------------------------- */

typedef struct
{
  guint32  id;
  guint32  replaces;
  char    *summary;
  char    *body;
  GStrv    actions;
} Notice;

typedef struct
{
  TrayService      service;
  GPtrArray       *notices;
  guint            closed;
  guint32          next_id;
} Notifications;

static Notifications *server;

static void
notice_free (Notice *notice)
{
  g_free (notice->summary);
  g_free (notice->body);
  g_strfreev (notice->actions);
  g_free (notice);
}

static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  " <method name='Notify'>"
  "  <arg type='s' direction='in'/><arg type='u' direction='in'/><arg type='s' direction='in'/>"
  "  <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "  <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "  <arg type='u' direction='out'/>"
  " </method>"
  " <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  " <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  " <method name='GetServerInformation'>"
  "  <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "  <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  " </method>"
  " <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  " <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "</interface></node>";

static void
notifications_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *params,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  Notifications *self = user_data;

  if (g_strcmp0 (method_name, "Notify") == 0)
    {
      Notice *notice = g_new0 (Notice, 1);

      g_variant_get (params, "(&su&sss^as@a{sv}i)", NULL, &notice->replaces, NULL,
                     &notice->summary, &notice->body, &notice->actions, NULL, NULL);
      notice->id = notice->replaces != 0 ? notice->replaces : ++self->next_id;
      g_ptr_array_add (self->notices, notice);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notice->id));
    }
  else if (g_strcmp0 (method_name, "CloseNotification") == 0)
    {
      self->closed++;
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_strcmp0 (method_name, "GetCapabilities") == 0)
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    {
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(ssss)", "test", "counterpart", "1", "1.2"));
    }
}

static const GDBusInterfaceVTable notifications_vtable = { notifications_call, NULL, NULL, { 0 } };

static Notifications *
notifications_start (void)
{
  Notifications *self = g_new0 (Notifications, 1);

  self->notices = g_ptr_array_new_with_free_func ((GDestroyNotify) notice_free);
  tray_service_start (&self->service, "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
                      notifications_xml, &notifications_vtable, self);
  return self;
}

/* Clicks NOTICE (or one of its buttons: ACTION is its key). */
static void
notice_invoke (Notice     *notice,
               const char *action)
{
  g_dbus_connection_emit_signal (server->service.connection, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", notice->id, action), NULL);
}

/* Lets whatever was sent arrive: a round trip through the bus from the
 * application's connection, then the server's queue emptied. */
static void
settle (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;

  reply = tray_call (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                     "GetId", NULL, NULL, NULL);
  g_clear_pointer (&reply, g_variant_unref);
  reply = tray_call (server->service.connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                     "org.freedesktop.DBus", "GetId", NULL, NULL, NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static Notice *
wait_for_notice (const char *summary)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      for (guint i = 0; i < server->notices->len; i++)
        {
          Notice *notice = g_ptr_array_index (server->notices, i);

          if (g_strcmp0 (notice->summary, summary) == 0)
            return notice;
        }
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return NULL;
}

/* Waits (up to 20 s) for the server to have closed N notices: a close
 * may wait for the server's reply to the Notify it closes (the id), which
 * one settle() does not always see through on a loaded machine. */
static guint
wait_for_closed (guint n)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (server->closed < n && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  return server->closed;
}

static guint
count_notices (const char *summary)
{
  guint n = 0;

  for (guint i = 0; i < server->notices->len; i++)
    if (g_strcmp0 (((Notice *) g_ptr_array_index (server->notices, i))->summary, summary) == 0)
      n++;
  return n;
}

/* --- Notifications for what needs a person --------------------------------------- */

static void
show_page_cb (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GPtrArray *pages = user_data;

  g_ptr_array_add (pages, g_variant_dup_string (param, NULL));
}

static void
test_notifier (void)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func (g_free);
  const GActionEntry entries[] = {
    { "show-page", show_page_cb, "s", NULL, NULL, { 0 } },
  };
  g_autoptr(GApplication) app = NULL;
  g_autoptr(CpBackgroundNotifier) notifier = NULL;
  g_autoptr(GObject) engine = NULL;
  g_autoptr(GError) error = NULL;
  const char *rejected = "The access token was rejected. Create a new one in the store's admin.";
  const char *attention_title = "A connected store needs you";
  const char *dead_title = "A change could not be sent to a store";
  Notice *notice;

  g_ptr_array_set_size (server->notices, 0);
  app = g_application_new ("io.github.counterpart.NotifierTest", G_APPLICATION_NON_UNIQUE);
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), pages);
  g_assert_true (g_application_register (app, NULL, &error));
  g_assert_no_error (error);
  notifier = cp_background_notifier_new (app);
  engine = tray_test_engine_new ();
  cp_background_notifier_follow_engine (notifier, engine);

  /* Syncing, progress, back to idle: nothing for a person, no notice. */
  g_object_set (engine, "state", CP_ENGINE_STATE_SYNCING, NULL);
  g_signal_emit_by_name (engine, "progress", 5, 5);
  g_object_set (engine, "state", CP_ENGINE_STATE_IDLE, NULL);
  settle ();
  g_assert_cmpuint (server->notices->len, ==, 0);

  /* Credentials rejected: told once, with the way to Integrations. */
  g_signal_emit_by_name (engine, "attention", "int-1", rejected);
  notice = wait_for_notice (attention_title);
  g_assert_nonnull (notice);
  g_assert_cmpstr (notice->body, ==, rejected);
  g_assert_true (g_strv_contains ((const char * const *) notice->actions, "default"));
  notice_invoke (notice, "default");
  while (pages->len < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (g_ptr_array_index (pages, 0), ==, "integrations");

  /* The engine says it again on every retry: still one notice. */
  g_signal_emit_by_name (engine, "attention", "int-1", rejected);
  g_assert_false (cp_background_notifier_attention (notifier, "int-1", rejected));
  settle ();
  g_assert_cmpuint (count_notices (attention_title), ==, 1);

  /* A dead job: told once per job; a second one of the same store
   * replaces the first and counts them. */
  g_signal_emit_by_name (engine, "job-dead", "int-1", (gint64) 7, "The store refused SKU A-1: the price is missing.");
  notice = wait_for_notice (dead_title);
  g_assert_nonnull (notice);
  g_assert_cmpstr (notice->body, ==, "The store refused SKU A-1: the price is missing.");
  g_assert_false (cp_background_notifier_job_dead (notifier, "int-1", 7, "again"));
  settle ();  /* the server's id for it is back */
  g_assert_true (cp_background_notifier_job_dead (notifier, "int-1", 8, "The store refused SKU A-2."));
  settle ();
  g_assert_cmpuint (count_notices (dead_title), ==, 2);
  notice = g_ptr_array_index (server->notices, server->notices->len - 1);
  g_assert_cmpuint (notice->replaces, !=, 0);
  g_assert_nonnull (strstr (notice->body, "2 changes could not be sent"));
  notice_invoke (notice, "default");
  while (pages->len < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (g_ptr_array_index (pages, 1), ==, "activity");

  /* Fixed: what is still showing is withdrawn (a clicked notice is gone
   * already), and a new rejection is news again. */
  g_signal_emit_by_name (engine, "attention", "int-2", rejected);
  settle ();
  g_assert_cmpuint (count_notices (attention_title), ==, 2);
  g_object_set (engine, "state", CP_ENGINE_STATE_ATTENTION, NULL);
  g_object_set (engine, "state", CP_ENGINE_STATE_IDLE, NULL);
  settle ();
  g_assert_cmpuint (wait_for_closed (1), ==, 1);
  g_assert_true (cp_background_notifier_attention (notifier, "int-1", rejected));
  settle ();
  g_assert_cmpuint (count_notices (attention_title), ==, 3);

  cp_background_notifier_follow_engine (notifier, NULL);
}

/* --- Closing the window --------------------------------------------------------- */

typedef struct
{
  CpApplication *app;
  gboolean       keep_running;
  int            step;
  gboolean       held_after_close;
  gboolean       prefs_shown;
} Run;

static gboolean
drive_cb (gpointer user_data)
{
  Run *run = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (run->app));
  Notice *notice;
  GtkWidget *prefs;

  switch (run->step)
    {
    case 0:
      /* The window is up with its ledger open: close it. */
      if (!CP_IS_WINDOW (window) || !gtk_widget_get_mapped (GTK_WIDGET (window)) ||
          cp_window_get_status (CP_WINDOW (window)) == CP_WINDOW_STATUS_LOADING)
        return G_SOURCE_CONTINUE;
      gtk_window_destroy (window);
      run->step = 1;
      return G_SOURCE_CONTINUE;
    case 1:
      /* Still here after the close: the application's loop went on. */
      run->held_after_close = cp_application_get_running_in_background (run->app);
      if (!run->keep_running)
        return G_SOURCE_CONTINUE;  /* the loop must end on its own */
      run->step = 2;
      return G_SOURCE_CONTINUE;
    case 2:
      /* Told once, and a click leads to the preference. */
      notice = wait_for_notice ("Counterpart keeps syncing in the background");
      g_assert_nonnull (notice);
      g_assert_true (g_strv_contains ((const char * const *) notice->actions, "default"));
      notice_invoke (notice, "default");
      run->step = 3;
      return G_SOURCE_CONTINUE;
    case 3:
      prefs = cp_test_find_toplevel_of_type (CP_TYPE_PREFERENCES_WINDOW);
      if (prefs == NULL)
        return G_SOURCE_CONTINUE;
      run->prefs_shown = TRUE;
      gtk_window_destroy (GTK_WINDOW (prefs));
      /* Quit (from the tray or the menu) really quits. */
      g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
      run->step = 4;
      return G_SOURCE_REMOVE;
    default:
      return G_SOURCE_REMOVE;
    }
}

static gboolean
too_long_cb (gpointer user_data)
{
  Run *run = user_data;

  g_error ("The application did not %s (at step %d)",
           run->keep_running ? "go on and quit when asked" : "quit when its window closed", run->step);
  return G_SOURCE_REMOVE;
}

static void
run_and_close (gboolean keep_running)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpApplication) app = cp_application_new ();
  g_autofree char *dir = g_dir_make_tmp ("cp-background-XXXXXX", &error);
  g_autofree char *data_dir = NULL;
  char *argv[3] = { (char *) "counterpart", NULL, NULL };
  Run run = { 0 };
  guint drive_id, guard_id;
  int status;

  g_assert_no_error (error);
  g_ptr_array_set_size (server->notices, 0);
  data_dir = g_strdup_printf ("--data-dir=%s", dir);
  argv[1] = data_dir;

  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (cp_application_get_settings (app));
  g_settings_set_boolean (cp_application_get_settings (app), "run-in-background", keep_running);

  run.app = app;
  run.keep_running = keep_running;
  drive_id = g_timeout_add (20, drive_cb, &run);
  guard_id = g_timeout_add_seconds (60, too_long_cb, &run);
  status = g_application_run (G_APPLICATION (app), 2, argv);
  g_source_remove (guard_id);
  if (run.step < 4)
    g_source_remove (drive_id);

  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (run.step, >=, 1);
  if (keep_running)
    {
      g_assert_true (run.held_after_close);
      g_assert_true (run.prefs_shown);
      g_assert_cmpint (run.step, ==, 4);
    }
  else
    {
      /* It quit by itself, and said nothing about the background. */
      g_assert_cmpint (run.step, ==, 1);
      settle ();
      g_assert_cmpuint (count_notices ("Counterpart keeps syncing in the background"), ==, 0);
    }
  cp_test_rm_rf (dir);
}

static void
test_close_keeps_running (void)
{
  run_and_close (TRUE);
}

static void
test_close_quits (void)
{
  run_and_close (FALSE);
}

/* --- Start at login ----------------------------------------------------------------- */

static void
test_autostart (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpApplication) app = cp_application_new ();
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autofree char *path = cp_background_autostart_path ();
  g_autofree char *expected = g_build_filename (config_home, "autostart", APP_ID ".desktop", NULL);
  g_autofree char *exec = NULL;
  GSettings *settings;

  g_assert_cmpstr (path, ==, expected);
  g_assert_false (cp_background_in_flatpak ());

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  settings = cp_application_get_settings (app);
  g_assert_nonnull (settings);
  g_assert_false (g_settings_get_boolean (settings, "autostart"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* On: an XDG autostart entry that starts without a window. */
  g_settings_set_boolean (settings, "autostart", TRUE);
  g_assert_true (g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  exec = g_key_file_get_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (exec, "counterpart"));
  g_assert_nonnull (strstr (exec, "--background"));
  g_assert_true (g_key_file_get_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", NULL));

  /* Off: gone; and off again is no error. */
  g_settings_set_boolean (settings, "autostart", FALSE);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (cp_background_set_autostart_file (FALSE, &error));
  g_assert_no_error (error);

  g_application_quit (G_APPLICATION (app));
}

/* --- The Background portal ------------------------------------------------------------ */

typedef struct
{
  TrayService      service;
  guint32          response;
  gboolean         grant_autostart;
  GVariant        *options;     /* of the last request */
  char            *handle;
} Portal;

static const char portal_xml[] =
  "<node><interface name='org.freedesktop.portal.Background'>"
  " <method name='RequestBackground'>"
  "  <arg type='s' direction='in'/><arg type='a{sv}' direction='in'/><arg type='o' direction='out'/>"
  " </method>"
  "</interface></node>";

static gboolean
respond_cb (gpointer user_data)
{
  Portal *portal = user_data;
  GVariantBuilder results;

  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&results, "{sv}", "background", g_variant_new_boolean (portal->response == 0));
  g_variant_builder_add (&results, "{sv}", "autostart", g_variant_new_boolean (portal->grant_autostart));
  g_dbus_connection_emit_signal (portal->service.connection, NULL, portal->handle, "org.freedesktop.portal.Request",
                                 "Response", g_variant_new ("(ua{sv})", portal->response, &results), NULL);
  return G_SOURCE_REMOVE;
}

static void
portal_call (GDBusConnection       *connection,
             const char            *sender,
             const char            *object_path,
             const char            *interface_name,
             const char            *method_name,
             GVariant              *params,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  Portal *portal = user_data;
  g_autofree char *escaped = g_strdelimit (g_strdup (sender + 1), ".", '_');
  const char *token = "none";

  g_clear_pointer (&portal->options, g_variant_unref);
  g_variant_get (params, "(&s@a{sv})", NULL, &portal->options);
  g_variant_lookup (portal->options, "handle_token", "&s", &token);
  g_free (portal->handle);
  portal->handle = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", escaped, token);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", portal->handle));
  /* Like the real portal: the answer comes after a dialog, later. */
  g_idle_add (respond_cb, portal);
}

static const GDBusInterfaceVTable portal_vtable = { portal_call, NULL, NULL, { 0 } };

typedef struct
{
  gboolean  done;
  gboolean  ok;
  gboolean  background;
  gboolean  autostart;
  GError   *error;
} Answer;

static void
answered_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Answer *answer = user_data;

  answer->ok = cp_background_request_finish (result, &answer->background, &answer->autostart,
                                             &answer->error);
  answer->done = TRUE;
}

static Answer
request (gboolean autostart)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  Answer answer = { 0 };

  cp_background_request_async (bus, autostart, NULL, answered_cb, &answer);
  g_assert_true (tray_wait_flag (&answer.done));
  return answer;
}

static void
test_portal (void)
{
  g_autofree const char **commandline = NULL;
  Portal portal = { 0 };
  Answer answer;
  const char *reason = NULL;
  gboolean asked_autostart = FALSE;

  /* No portal on this bus: a plain failure, no hang. */
  answer = request (FALSE);
  g_assert_false (answer.ok);
  g_assert_error (answer.error, CP_BACKGROUND_ERROR, CP_BACKGROUND_ERROR_FAILED);
  g_clear_error (&answer.error);

  tray_service_start (&portal.service, "org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop",
                      portal_xml, &portal_vtable, &portal);

  /* Granted, with autostart: and what was asked. */
  portal.response = 0;
  portal.grant_autostart = TRUE;
  answer = request (TRUE);
  g_assert_no_error (answer.error);
  g_assert_true (answer.ok);
  g_assert_true (answer.background);
  g_assert_true (answer.autostart);
  g_assert_true (g_variant_lookup (portal.options, "autostart", "b", &asked_autostart));
  g_assert_true (asked_autostart);
  g_assert_true (g_variant_lookup (portal.options, "commandline", "^a&s", &commandline));
  g_assert_cmpstr (commandline[0], ==, "counterpart");
  g_assert_cmpstr (commandline[1], ==, "--background");
  g_assert_true (g_variant_lookup (portal.options, "reason", "&s", &reason));
  g_assert_cmpstr (reason, !=, "");

  /* Dismissed, and refused. */
  portal.response = 1;
  answer = request (TRUE);
  g_assert_error (answer.error, CP_BACKGROUND_ERROR, CP_BACKGROUND_ERROR_CANCELLED);
  g_clear_error (&answer.error);
  portal.response = 2;
  answer = request (FALSE);
  g_assert_error (answer.error, CP_BACKGROUND_ERROR, CP_BACKGROUND_ERROR_DENIED);
  g_clear_error (&answer.error);

  tray_service_stop (&portal.service);
  g_clear_pointer (&portal.options, g_variant_unref);
  g_free (portal.handle);
}

static void
test_no_display (void)
{
  if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
    g_error ("CP_TEST_HARNESS=1 but there is no usable display (DISPLAY=%s)", g_getenv ("DISPLAY"));
  g_test_skip ("No display: run under build-aux/test-session.sh");
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  int ret;

  /* Before anything reads it: the autostart entry lands here. */
  config_home = g_dir_make_tmp ("cp-background-config-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);

  g_test_init (&argc, &argv, NULL);

  /* The test's own bus: its notification server and portal are the
   * only ones. GTestDBus unsets DISPLAY; the window needs it back. */
  display = g_strdup (g_getenv ("DISPLAY"));
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);

  if (display == NULL || !gtk_init_check ())
    {
      g_test_add_func ("/background/display", test_no_display);
      ret = g_test_run ();
      g_test_dbus_stop (bus);
      return ret;
    }
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  server = notifications_start ();

  g_test_add_func ("/background/notifier", test_notifier);
  g_test_add_func ("/background/close-keeps-running", test_close_keeps_running);
  g_test_add_func ("/background/close-quits", test_close_quits);
  g_test_add_func ("/background/autostart", test_autostart);
  g_test_add_func ("/background/portal", test_portal);

  ret = g_test_run ();
  /* Stopped, not taken down: _down() waits for every connection to the
   * bus to be finalized, which in-process applications outlive. */
  g_test_dbus_stop (bus);
  cp_test_rm_rf (config_home);
  return ret;
}
