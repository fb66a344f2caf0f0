/* test-app.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the built `counterpart` program the way a person or a service
 * manager would, and checks what it says and how it exits.
 */

#define G_LOG_DOMAIN "test-app"

#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <signal.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

static const char *program;

typedef struct
{
  char *out;
  char *err;
  int   status;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

static void
run_program (Run                *run,
             const char * const *args,
             gboolean            with_display)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();

  g_ptr_array_add (argv, (gpointer) program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  if (!with_display)
    {
      envp = g_environ_unsetenv (envp, "DISPLAY");
      envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
    }
  /* Never reach a running instance on the developer's session bus. */
  envp = g_environ_setenv (envp, "DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  envp = g_environ_setenv (envp, "LANGUAGE", "en", TRUE);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT,
                               NULL, NULL, &run->out, &run->err, &run->status, &error));
  g_assert_no_error (error);
}

static void
test_version (void)
{
  const char *args[] = { "--version", NULL };
  Run run = { 0 };

  /* No display needed to ask for the version. */
  run_program (&run, args, FALSE);
  g_assert_true (g_spawn_check_wait_status (run.status, NULL));
  g_assert_cmpstr (run.out, ==, "counterpart " PACKAGE_VERSION "\n");
  run_free (&run);
}

static void
test_help (void)
{
  const char *args[] = { "--help", NULL };
  Run run = { 0 };

  run_program (&run, args, FALSE);
  g_assert_true (g_spawn_check_wait_status (run.status, NULL));
  g_assert_nonnull (strstr (run.out, "--sandbox"));
  g_assert_nonnull (strstr (run.out, "--data-dir=DIR"));
  g_assert_nonnull (strstr (run.out, "--background"));
  run_free (&run);
}

static void
test_no_display (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cp-app-XXXXXX", &error);
  g_autofree char *data_dir = g_strdup_printf ("--data-dir=%s", dir);
  g_autofree char *ledger = g_build_filename (dir, "ledger.sqlite3", NULL);
  const char *args[] = { data_dir, NULL };
  Run run = { 0 };

  g_assert_no_error (error);
  run_program (&run, args, FALSE);

  /* Exit status 1 and a sentence that says what to do instead. */
  g_assert_true (WIFEXITED (run.status));
  g_assert_cmpint (WEXITSTATUS (run.status), ==, 1);
  g_assert_nonnull (strstr (run.err, "Counterpart needs a graphical session"));
  g_assert_nonnull (strstr (run.err, "counterpart-cli"));
  /* And nothing was created on the way out. */
  g_assert_false (g_file_test (ledger, G_FILE_TEST_EXISTS));
  run_free (&run);
  g_rmdir (dir);
}

static gboolean
name_has_owner (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static void
test_second_instance (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data_dir = NULL;
  const char *first_argv[] = { program, NULL, NULL };
  const char *args[] = { "--sandbox", NULL };
  GPid first = 0;
  gint64 deadline;
  Run run = { 0 };

  if (g_getenv ("DISPLAY") == NULL || g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
        g_error ("CP_TEST_HARNESS=1 but there is no display or session bus");
      g_test_skip ("Needs a display and a session bus (build-aux/test-session.sh)");
      return;
    }

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  if (name_has_owner (bus, APP_ID))
    {
      g_test_skip ("Counterpart already runs on this session bus");
      return;
    }

  dir = g_dir_make_tmp ("cp-app-first-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_strdup_printf ("--data-dir=%s", dir);
  first_argv[1] = data_dir;

  /* The first instance owns the app id and opens the real ledger… */
  g_assert_true (g_spawn_async (NULL, (char **) first_argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                NULL, NULL, &first, &error));
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!name_has_owner (bus, APP_ID) && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  g_assert_true (name_has_owner (bus, APP_ID));

  /* …so a second one asking for the sandbox is told why it cannot. */
  {
    g_autoptr(GPtrArray) argv = g_ptr_array_new ();

    g_ptr_array_add (argv, (gpointer) program);
    g_ptr_array_add (argv, (gpointer) args[0]);
    g_ptr_array_add (argv, NULL);
    g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT,
                                 NULL, NULL, &run.out, &run.err, &run.status, &error));
    g_assert_no_error (error);
  }
  g_assert_true (WIFEXITED (run.status));
  g_assert_cmpint (WEXITSTATUS (run.status), ==, 1);
  g_assert_nonnull (strstr (run.err, "already running"));

  kill (first, SIGTERM);
  waitpid (first, NULL, 0);
  g_spawn_close_pid (first);
  run_free (&run);

  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);

    g_assert_true (g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL));
  }
}

static void
test_background (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *ledger = NULL;
  const char *first_argv[] = { program, "--background", NULL, NULL };
  const char *second_argv[] = { program, NULL };
  GPid first = 0;
  gint64 deadline;
  int status = 0;

  if (g_getenv ("DISPLAY") == NULL || g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
        g_error ("CP_TEST_HARNESS=1 but there is no display or session bus");
      g_test_skip ("Needs a display and a session bus (build-aux/test-session.sh)");
      return;
    }

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  if (name_has_owner (bus, APP_ID))
    {
      g_test_skip ("Counterpart already runs on this session bus");
      return;
    }

  dir = g_dir_make_tmp ("cp-app-background-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_strdup_printf ("--data-dir=%s", dir);
  ledger = g_build_filename (dir, "ledger.sqlite3", NULL);
  first_argv[2] = data_dir;

  /* Started at login: it stays up without a window (and without opening
   * the ledger, which the window does). */
  g_assert_true (g_spawn_async (NULL, (char **) first_argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                NULL, NULL, &first, &error));
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!name_has_owner (bus, APP_ID) && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  g_assert_true (name_has_owner (bus, APP_ID));
  g_usleep (G_USEC_PER_SEC);
  g_assert_cmpint (waitpid (first, &status, WNOHANG), ==, 0);
  g_assert_false (g_file_test (ledger, G_FILE_TEST_EXISTS));

  /* Launching Counterpart again opens the window in that process. */
  g_assert_true (g_spawn_sync (NULL, (char **) second_argv, NULL, G_SPAWN_DEFAULT,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!g_file_test (ledger, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  g_assert_true (g_file_test (ledger, G_FILE_TEST_EXISTS));

  kill (first, SIGTERM);
  waitpid (first, NULL, 0);
  g_spawn_close_pid (first);

  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);

    g_assert_true (g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (argc < 2)
    g_error ("usage: %s PATH-TO-COUNTERPART", argv[0]);
  program = argv[1];

  g_test_add_func ("/app/version", test_version);
  g_test_add_func ("/app/help", test_help);
  g_test_add_func ("/app/no-display", test_no_display);
  g_test_add_func ("/app/second-instance", test_second_instance);
  g_test_add_func ("/app/background", test_background);

  return g_test_run ();
}
