/* test-credentials.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against the real Secret Service of the session bus (the harness runs
 * gnome-keyring-daemon), and against a private bus with no keyring.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>
#include <unistd.h>

#include "cp-credentials.h"
#include "cp-integrations.h"

/* The contract with other tools (seahorse, secret-tool): the same schema
 * name and attribute as the app uses. */
static const SecretSchema contract_schema = {
  "io.github.counterpart.Credential",
  SECRET_SCHEMA_NONE,
  {
    { "integration-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "ledger-id", SECRET_SCHEMA_ATTRIBUTE_STRING },   /* "" for a key without a ledger */
    { NULL, 0 },
  },
};

static char *
unique_id (const char *name)
{
  return g_strdup_printf ("test-%s-%d-%" G_GINT64_FORMAT, name, (int) getpid (),
                          g_get_real_time ());
}

/* Under the harness a missing keyring is a failure; by hand, a skip. */
static gboolean
require_keyring (void)
{
  g_autoptr(GError) error = NULL;

  if (cp_credentials_check_sync (NULL, &error))
    return TRUE;

  if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
    g_test_fail_printf ("The test harness should provide a Secret Service, but: %s",
                        error->message);
  else
    g_test_skip_printf ("No Secret Service on the session bus (%s); run under "
                        "build-aux/test-session.sh or dbus-run-session with "
                        "gnome-keyring-daemon --unlock",
                        error->message);
  return FALSE;
}

static void
assert_not_found (const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = cp_credentials_lookup_sync (id, NULL, &error);

  g_assert_null (value);
  g_assert_error (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, id));
}

static void
test_round_trip (void)
{
  g_autofree char *id = unique_id ("round-trip");
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *again = NULL;
  char *raw;

  if (!require_keyring ())
    return;

  g_assert_true (cp_credentials_store_sync (id, "Counterpart: test store",
                                            "{\"access_token\": \"shpat_one\"}",
                                            NULL, &error));
  g_assert_no_error (error);
  value = cp_credentials_lookup_sync (id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "{\"access_token\": \"shpat_one\"}");

  /* Stored under the documented schema and attribute. */
  raw = secret_password_lookup_sync (&contract_schema, NULL, &error,
                                     "integration-id", id, "ledger-id", "", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (raw, ==, "{\"access_token\": \"shpat_one\"}");
  secret_password_free (raw);

  /* Storing again replaces, it does not add a second item. */
  g_assert_true (cp_credentials_store_sync (id, "Counterpart: test store",
                                            "{\"access_token\": \"shpat_two\"}",
                                            NULL, &error));
  again = cp_credentials_lookup_sync (id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, "{\"access_token\": \"shpat_two\"}");

  g_assert_true (cp_credentials_clear_sync (id, NULL, &error));
  g_assert_no_error (error);
  assert_not_found (id);
  /* Clearing twice is fine. */
  g_assert_true (cp_credentials_clear_sync (id, NULL, &error));
  g_assert_no_error (error);
}

static void
test_two_integrations (void)
{
  g_autofree char *a = unique_id ("a");
  g_autofree char *b = unique_id ("b");
  g_autoptr(GError) error = NULL;
  g_autofree char *value_a = NULL;
  g_autofree char *value_b = NULL;
  g_autofree char *still_b = NULL;

  if (!require_keyring ())
    return;

  g_assert_true (cp_credentials_store_sync (a, "Counterpart: A", "{\"api_key\": \"A\"}",
                                            NULL, &error));
  g_assert_true (cp_credentials_store_sync (b, "Counterpart: B", "{\"api_key\": \"B\"}",
                                            NULL, &error));
  g_assert_no_error (error);

  value_a = cp_credentials_lookup_sync (a, NULL, &error);
  value_b = cp_credentials_lookup_sync (b, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value_a, ==, "{\"api_key\": \"A\"}");
  g_assert_cmpstr (value_b, ==, "{\"api_key\": \"B\"}");

  g_assert_true (cp_credentials_clear_sync (a, NULL, &error));
  assert_not_found (a);
  still_b = cp_credentials_lookup_sync (b, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (still_b, ==, "{\"api_key\": \"B\"}");
  g_assert_true (cp_credentials_clear_sync (b, NULL, &error));
}

static CpLedger *
open_temp_ledger (char **out_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  CpLedger *ledger;

  *out_dir = g_dir_make_tmp ("test-credentials-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (*out_dir, "ledger.sqlite3", NULL);
  ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);
  return ledger;
}

static void
remove_temp_ledger (CpLedger *ledger,
                    char     *dir)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };
  g_autofree char *path = g_strdup (cp_ledger_get_path (ledger));

  g_object_unref (ledger);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
  g_free (dir);
}

/* The sandbox's "ecomv2-1" and a real shop's "ecomv2-1" (or two tests'
 * ledgers) must not share a keyring entry: setting up one would
 * overwrite the other's key. Each ledger has its own stable identity. */
static void
test_two_ledgers (void)
{
  g_autofree char *id = unique_id ("ecomv2");
  g_autoptr(GError) error = NULL;
  g_autofree char *key_a = NULL;
  g_autofree char *key_b = NULL;
  g_autofree char *again = NULL;
  g_autofree char *value_a = NULL;
  g_autofree char *value_b = NULL;
  g_autofree char *still_b = NULL;
  char *dir_a, *dir_b;
  CpLedger *a, *b;

  if (!require_keyring ())
    return;

  a = open_temp_ledger (&dir_a);
  b = open_temp_ledger (&dir_b);

  key_a = cp_integrations_credential_key (a, id, &error);
  g_assert_no_error (error);
  key_b = cp_integrations_credential_key (b, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key_a, !=, key_b);

  /* Stable: the same ledger, reopened, has the same identity. */
  {
    g_autofree char *path = g_strdup (cp_ledger_get_path (a));
    g_autoptr(CpLedger) reopened = cp_ledger_open (path, &error);

    g_assert_no_error (error);
    again = cp_integrations_credential_key (reopened, id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (again, ==, key_a);
  }

  g_assert_true (cp_credentials_store_sync (key_a, "Counterpart: A", "{\"api_key\": \"A\"}",
                                            NULL, &error));
  g_assert_true (cp_credentials_store_sync (key_b, "Counterpart: B", "{\"api_key\": \"B\"}",
                                            NULL, &error));
  g_assert_no_error (error);

  value_a = cp_credentials_lookup_sync (key_a, NULL, &error);
  value_b = cp_credentials_lookup_sync (key_b, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value_a, ==, "{\"api_key\": \"A\"}");
  g_assert_cmpstr (value_b, ==, "{\"api_key\": \"B\"}");
  /* The bare integration id reaches neither. */
  assert_not_found (id);

  g_assert_true (cp_credentials_clear_sync (key_a, NULL, &error));
  g_assert_null (cp_credentials_lookup_sync (key_a, NULL, &error));
  g_assert_error (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  still_b = cp_credentials_lookup_sync (key_b, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (still_b, ==, "{\"api_key\": \"B\"}");
  g_assert_true (cp_credentials_clear_sync (key_b, NULL, &error));

  remove_temp_ledger (a, dir_a);
  remove_temp_ledger (b, dir_b);
}

static void
test_not_found (void)
{
  g_autofree char *id = unique_id ("missing");

  if (!require_keyring ())
    return;

  assert_not_found (id);
}

static void
test_not_json (void)
{
  const char * const bad[] = {
    "hunter2-not-json", "[\"a\", \"b\"]", "\"hunter2\"", "42", "", "{\"unclosed\": ",
  };
  g_autofree char *id = unique_id ("not-json");

  if (!require_keyring ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (cp_credentials_store_sync (id, "Counterpart: bad", bad[i], NULL, &error));
      g_assert_error (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_INVALID);
      /* The message never repeats the secret. */
      g_assert_null (strstr (error->message, "hunter2"));
    }
  assert_not_found (id);
}

/* Something else wrote a non-JSON value under our schema: lookup says
 * so instead of handing garbage to a connector. */
static void
test_stored_not_json (void)
{
  g_autofree char *id = unique_id ("damaged");
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  if (!require_keyring ())
    return;

  g_assert_true (secret_password_store_sync (&contract_schema, SECRET_COLLECTION_DEFAULT,
                                             "Counterpart: damaged", "hunter2", NULL, &error,
                                             "integration-id", id, "ledger-id", "", NULL));
  g_assert_no_error (error);

  value = cp_credentials_lookup_sync (id, NULL, &error);
  g_assert_null (value);
  g_assert_error (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_INVALID);
  g_assert_null (strstr (error->message, "hunter2"));
  g_clear_error (&error);

  g_assert_true (cp_credentials_clear_sync (id, NULL, &error));
  g_assert_no_error (error);
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_async (void)
{
  g_autofree char *id = unique_id ("async");
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  g_autofree char *value = NULL;

  if (!require_keyring ())
    return;

  cp_credentials_check_async (NULL, on_result, &result);
  g_assert_true (cp_credentials_check_finish (wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  cp_credentials_store_async (id, "Counterpart: async", "{\"secret_key\": \"sk_async\"}",
                              NULL, on_result, &result);
  g_assert_true (cp_credentials_store_finish (wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  cp_credentials_lookup_async (id, NULL, on_result, &result);
  value = cp_credentials_lookup_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "{\"secret_key\": \"sk_async\"}");
  g_clear_object (&result);

  cp_credentials_clear_async (id, NULL, on_result, &result);
  g_assert_true (cp_credentials_clear_finish (wait_for (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  cp_credentials_lookup_async (id, NULL, on_result, &result);
  g_assert_null (cp_credentials_lookup_finish (wait_for (&result), &error));
  g_assert_error (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Bad payloads fail before anything reaches the bus. */
  cp_credentials_store_async (id, "Counterpart: async", "nope", NULL, on_result, &result);
  g_assert_false (cp_credentials_store_finish (wait_for (&result), &error));
  g_assert_error (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_INVALID);
  g_clear_object (&result);
}

static void
assert_unavailable (const GError *error)
{
  g_assert_error (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_UNAVAILABLE);
  g_assert_cmpstr (error->message, ==,
                   "No keyring (Secret Service) is running, so Counterpart cannot store "
                   "passwords. Install and start GNOME Keyring (or another Secret "
                   "Service), then try again.");
}

static void
check_everything_unavailable (void)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  char *value;

  g_assert_false (cp_credentials_check_sync (NULL, &error));
  assert_unavailable (error);
  g_clear_error (&error);

  g_assert_false (cp_credentials_store_sync ("x", "Counterpart: x", "{}", NULL, &error));
  assert_unavailable (error);
  g_clear_error (&error);

  value = cp_credentials_lookup_sync ("x", NULL, &error);
  g_assert_null (value);
  assert_unavailable (error);
  g_clear_error (&error);

  cp_credentials_check_async (NULL, on_result, &result);
  g_assert_false (cp_credentials_check_finish (wait_for (&result), &error));
  assert_unavailable (error);
  g_clear_error (&error);
  g_clear_object (&result);

  cp_credentials_store_async ("x", "Counterpart: x", "{}", NULL, on_result, &result);
  g_assert_false (cp_credentials_store_finish (wait_for (&result), &error));
  assert_unavailable (error);
  g_clear_object (&result);
}

/* A private session bus with nothing on it: GTestDBus starts a
 * dbus-daemon with its own configuration and no service directories, so
 * nothing can be activated. In a subprocess, because the bus connection
 * and libsecret's service proxy are per-process singletons. */
static void
test_unavailable_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);

      g_test_dbus_up (bus);
      check_everything_unavailable ();
      /* Not _down (): libsecret keeps the connection alive on purpose. */
      g_test_dbus_stop (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* No session bus at all. */
static void
test_unavailable_no_bus (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = g_dir_make_tmp ("cp-no-bus-XXXXXX", NULL);
      g_autofree char *address = g_strdup_printf ("unix:path=%s/no-such-socket", dir);

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
      check_everything_unavailable ();
      g_rmdir (dir);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* A keyring of our own on a private bus, so locking it cannot disturb
 * other tests: the app must say "locked", not "nothing stored". */
static void
test_locked (void)
{
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");

  if (daemon == NULL)
    {
      if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
        g_test_fail_printf ("gnome-keyring-daemon is not installed, but the harness needs it");
      else
        g_test_skip ("gnome-keyring-daemon is not installed");
      return;
    }

  if (g_test_subprocess ())
    {
      GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_autofree char *home = g_dir_make_tmp ("cp-keyring-XXXXXX", NULL);
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) keyring = NULL;
      g_autoptr(GDBusConnection) connection = NULL;
      g_autoptr(GVariant) reply = NULL;
      g_autoptr(GError) error = NULL;
      GAsyncResult *result = NULL;
      char *value;
      gint64 deadline;

      /* The daemon keeps its files under these: never the user's. */
      g_setenv ("HOME", home, TRUE);
      g_setenv ("XDG_DATA_HOME", home, TRUE);
      g_setenv ("XDG_CONFIG_HOME", home, TRUE);
      g_setenv ("XDG_CACHE_HOME", home, TRUE);
      g_setenv ("XDG_RUNTIME_DIR", home, TRUE);
      g_test_dbus_up (bus);

      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                            G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                            G_SUBPROCESS_FLAGS_STDERR_SILENCE);
      keyring = g_subprocess_launcher_spawn (launcher, &error, daemon, "--foreground", "--unlock",
                                             "--components=secrets", NULL);
      g_assert_no_error (error);
      /* The login keyring's password, on stdin as the daemon wants it. */
      g_output_stream_write_all (g_subprocess_get_stdin_pipe (keyring), "test", 4, NULL, NULL, &error);
      g_output_stream_close (g_subprocess_get_stdin_pipe (keyring), NULL, &error);
      g_assert_no_error (error);

      deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
      while (!cp_credentials_check_sync (NULL, NULL))
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_usleep (G_USEC_PER_SEC / 20);
        }

      g_assert_true (cp_credentials_store_sync ("locked-one", "Counterpart: locked", "{\"k\": 1}",
                                                NULL, &error));
      g_assert_no_error (error);

      connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
      g_assert_no_error (error);
      reply = g_dbus_connection_call_sync (connection, "org.freedesktop.secrets",
                                           "/org/freedesktop/secrets",
                                           "org.freedesktop.Secret.Service", "Lock",
                                           g_variant_new_parsed ("([objectpath '/org/freedesktop/secrets/collection/login'],)"),
                                           NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
      g_assert_no_error (error);

      /* Nobody can answer the unlock prompt here. */
      g_assert_false (cp_credentials_store_sync ("locked-two", "Counterpart: locked", "{}",
                                                 NULL, &error));
      g_assert_error (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_LOCKED);
      g_assert_nonnull (strstr (error->message, "locked"));
      g_clear_error (&error);

      value = cp_credentials_lookup_sync ("locked-one", NULL, &error);
      g_assert_null (value);
      g_assert_error (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_LOCKED);
      g_clear_error (&error);

      cp_credentials_lookup_async ("locked-one", NULL, on_result, &result);
      g_assert_null (cp_credentials_lookup_finish (wait_for (&result), &error));
      g_assert_error (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_LOCKED);
      g_clear_error (&error);
      g_clear_object (&result);

      /* Locked is not "missing": a name never stored is still not found. */
      value = cp_credentials_lookup_sync ("never-stored", NULL, &error);
      g_assert_error (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_NOT_FOUND);

      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_subprocess_force_exit (keyring);
      g_subprocess_wait (keyring, NULL, NULL);
      /* Stopped but not freed: freeing waits for the bus connection to
       * go, and libsecret keeps it for the life of the process, which
       * ends right here. */
      g_test_dbus_stop (bus);
      remove_tree (home);
      return;
    }

  g_test_trap_subprocess (NULL, 90 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/credentials/round-trip", test_round_trip);
  g_test_add_func ("/core/credentials/two-integrations", test_two_integrations);
  g_test_add_func ("/core/credentials/two-ledgers", test_two_ledgers);
  g_test_add_func ("/core/credentials/not-found", test_not_found);
  g_test_add_func ("/core/credentials/not-json", test_not_json);
  g_test_add_func ("/core/credentials/stored-not-json", test_stored_not_json);
  g_test_add_func ("/core/credentials/async", test_async);
  g_test_add_func ("/core/credentials/unavailable/no-keyring", test_unavailable_no_keyring);
  g_test_add_func ("/core/credentials/unavailable/no-bus", test_unavailable_no_bus);
  g_test_add_func ("/core/credentials/locked", test_locked);

  return g_test_run ();
}
