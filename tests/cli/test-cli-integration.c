/* test-cli-integration.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `counterpart-cli integration …` against the ecomv2 sandbox fake, served
 * from this process on loopback, and the real Secret Service of the test
 * session (build-aux/test-session.sh runs gnome-keyring-daemon).
 */

#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "cli-fixture.h"
#include "cp-credentials.h"
#include "cp-integrations.h"
#include "cp-sandbox-ecomv2.h"
#include "cp-sandbox-server.h"

static const char *cli_path;

typedef struct
{
  Fixture          f;
  CpSandboxServer *server;
  CpSandboxEcomv2 *ecomv2;
  char            *url;        /* the fake's ecomv2 base URL */
  char            *key;        /* the one API key it accepts: a "secret" to look for */
  gint64           first_seq;  /* ids start after this, so no two runs share a keyring entry */
} Shop;

static char *
random_hex (guint n_bytes)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n_bytes; i++)
    g_string_append_printf (text, "%02x", g_random_int_range (0, 256));
  return g_string_free (text, FALSE);
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
                        "build-aux/test-session.sh", error->message);
  return FALSE;
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
shop_set_up (Shop          *s,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  const char *keys[2] = { NULL, NULL };

  fixture_set_up (&s->f, data);
  init_ledger (&s->f);

  /* AUTOINCREMENT continues from sqlite_sequence: start each run's ids at
   * a random point, so parallel test programs sharing the session's
   * keyring never write the same entry. */
  s->first_seq = g_random_int_range (1000000, G_MAXINT32 / 2);
  sql = g_strdup_printf ("INSERT INTO sqlite_sequence (name, seq) VALUES ('integrations', %"
                         G_GINT64_FORMAT ")", s->first_seq);
  exec_sql (s->f.ledger, sql);

  {
    g_autofree char *hex = random_hex (16);

    s->key = g_strconcat ("test_", hex, NULL);
  }
  keys[0] = s->key;
  s->server = cp_sandbox_server_new ();
  s->ecomv2 = cp_sandbox_ecomv2_new ();
  cp_sandbox_ecomv2_set_api_keys (s->ecomv2, keys);
  cp_sandbox_server_add_platform (s->server, CP_SANDBOX_PLATFORM (s->ecomv2));
  g_assert_true (cp_sandbox_server_start (s->server, 0, &error));
  g_assert_no_error (error);
  s->url = cp_sandbox_server_dup_platform_url (s->server, "ecomv2");
}

static char *secret_key (Shop       *s,
                         const char *id);

static void
shop_tear_down (Shop          *s,
                gconstpointer  data)
{
  /* Whatever a test left in the keyring goes with it. */
  for (gint64 seq = s->first_seq + 1; seq <= s->first_seq + 5; seq++)
    {
      g_autofree char *id = g_strdup_printf ("ecomv2-%" G_GINT64_FORMAT, seq);
      g_autofree char *key = secret_key (s, id);

      cp_credentials_clear_sync (key, NULL, NULL);
    }

  cp_sandbox_server_stop (s->server);
  g_clear_object (&s->server);
  g_clear_object (&s->ecomv2);
  g_free (s->url);
  g_free (s->key);
  fixture_tear_down (&s->f, data);
}

/* The keyring holds credentials per ledger and integration. */
static char *
secret_key (Shop       *s,
            const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLedger) ledger = cp_ledger_open (s->f.ledger, &error);
  char *key;

  g_assert_no_error (error);
  key = cp_integrations_credential_key (ledger, id, &error);
  g_assert_no_error (error);
  return key;
}

static char *
id_at (Shop *s,
       guint n)
{
  return g_strdup_printf ("ecomv2-%" G_GINT64_FORMAT, s->first_seq + n);
}

static char *
credentials_json (const char *key)
{
  return g_strdup_printf ("{\"api_key\": \"%s\"}", key);
}

/* Adds the fake's shop with the right key; returns its id. */
static char *
add_shop (Shop       *s,
          const char *name)
{
  g_autofree char *credentials = credentials_json (s->key);
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpint (RUN_STDIN (&s->f, credentials, "--json", "integration", "add", "ecomv2",
                              "--name", name, "--base-url", s->url, "--credentials-stdin"), ==, 0);
  root = parse_out (&s->f);
  return g_strdup (json_object_get_string_member (root_object (root), "id"));
}

static gboolean
contains_bytes (const char *haystack,
                gsize       length,
                const char *needle)
{
  gsize n = strlen (needle);

  /* memmem is a GNU extension; the files are small. */
  for (gsize i = 0; n <= length && i <= length - n; i++)
    if (memcmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* The secret must be nowhere in the ledger's files, the WAL included. */
static void
assert_not_on_disk (Shop       *s,
                    const char *secret)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };
  guint n_read = 0;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (s->f.ledger, suffixes[i], NULL);
      g_autofree char *bytes = NULL;
      gsize length = 0;

      if (!g_file_get_contents (path, &bytes, &length, NULL))
        continue;
      n_read++;
      g_assert_false (contains_bytes (bytes, length, secret));
    }
  g_assert_cmpuint (n_read, >, 0);
}

static void
assert_members (JsonObject *object,
                const char *id,
                const char *name,
                const char *status,
                const char *base_url)
{
  JsonArray *permissions = json_object_get_array_member (object, "permissions");

  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, name);
  g_assert_cmpstr (json_object_get_string_member (object, "platform"), ==, "ecomv2");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, status);
  g_assert_cmpstr (json_object_get_string_member (object, "base_url"), ==, base_url);
  g_assert_nonnull (permissions);
  g_assert_cmpuint (json_array_get_length (permissions), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (permissions, 0), ==, "inventory.sync");
  g_assert_cmpstr (json_array_get_string_element (permissions, 1), ==, "orders.pull");
}

static gint64
n_integrations (Shop *s)
{
  return query_int (s->f.ledger, "SELECT count(*) FROM integrations");
}

static void
assert_no_secret_for (Shop       *s,
                      const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = secret_key (s, id);
  g_autofree char *stored = cp_credentials_lookup_sync (key, NULL, &error);

  g_assert_null (stored);
  g_assert_error (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_NOT_FOUND);
}

static void
test_platforms (Shop          *s,
                gconstpointer  data)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *platforms;
  JsonObject *ecomv2 = NULL;

  g_assert_cmpint (RUN (&s->f, "--json", "integration", "platforms"), ==, 0);
  root = parse_out (&s->f);
  platforms = data_array (root);
  for (guint i = 0; i < json_array_get_length (platforms); i++)
    {
      JsonObject *row = json_array_get_object_element (platforms, i);

      if (g_str_equal (json_object_get_string_member (row, "platform"), "ecomv2"))
        ecomv2 = row;
    }
  g_assert_nonnull (ecomv2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (ecomv2, "credential_fields"), 0),
                   ==, "api_key");
  g_assert_cmpstr (json_object_get_string_member (ecomv2, "default_base_url"), ==,
                   "https://api.ecommerce-platform.com/v2");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ecomv2, "capabilities")), >, 0);

  g_assert_cmpint (RUN (&s->f, "integration", "platforms"), ==, 0);
  g_assert_nonnull (strstr (s->f.out, "ecomv2"));
}

static void
test_add_keeps_secret_in_keyring (Shop          *s,
                                  gconstpointer  data)
{
  g_autofree char *credentials = credentials_json (s->key);
  g_autofree char *expected_id = id_at (s, 1);
  g_autofree char *second_id = id_at (s, 2);
  g_autofree char *stored = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (!require_keyring ())
    return;

  g_assert_cmpint (RUN_STDIN (&s->f, credentials, "--json", "integration", "add", "ecomv2",
                              "--name", "Web shop", "--base-url", s->url, "--credentials-stdin"), ==, 0);
  g_assert_false (strstr (s->f.out, s->key) != NULL);
  g_assert_false (strstr (s->f.err, s->key) != NULL);
  root = parse_out (&s->f);
  assert_members (root_object (root), expected_id, "Web shop", "active", s->url);

  /* in the keyring under the id, and only there */
  {
    g_autofree char *key = secret_key (s, expected_id);

    stored = cp_credentials_lookup_sync (key, NULL, &error);
  }
  g_assert_no_error (error);
  g_assert_nonnull (strstr (stored, s->key));
  assert_not_on_disk (s, s->key);
  g_assert_cmpint (query_int (s->f.ledger, "SELECT count(*) FROM integrations"), ==, 1);

  /* a second account on the same platform, in words this time */
  g_assert_cmpint (RUN_STDIN (&s->f, credentials, "integration", "add", "ecomv2",
                              "--name", "Outlet", "--base-url", s->url, "--credentials-stdin"), ==, 0);
  g_assert_nonnull (strstr (s->f.out, second_id));
  g_assert_nonnull (strstr (s->f.out, "Outlet"));
  g_assert_false (strstr (s->f.out, s->key) != NULL);
  g_assert_false (strstr (s->f.err, s->key) != NULL);
  assert_not_on_disk (s, s->key);
  g_assert_cmpint (n_integrations (s), ==, 2);
}

static void
test_rejected_credentials (Shop          *s,
                           gconstpointer  data)
{
  g_autofree char *hex = random_hex (8);
  g_autofree char *wrong = g_strconcat ("test_wrong_", hex, NULL);
  g_autofree char *credentials = credentials_json (wrong);
  g_autofree char *would_be = id_at (s, 1);

  if (!require_keyring ())
    return;

  g_assert_cmpint (RUN_STDIN (&s->f, credentials, "integration", "add", "ecomv2", "--name", "Web shop",
                              "--base-url", s->url, "--credentials-stdin"), ==, 4);
  g_assert_nonnull (strstr (s->f.err, "credentials"));
  g_assert_false (strstr (s->f.err, wrong) != NULL);
  g_assert_false (strstr (s->f.out, wrong) != NULL);

  /* nothing stored: no row, no secret */
  g_assert_cmpint (n_integrations (s), ==, 0);
  assert_no_secret_for (s, would_be);
  assert_not_on_disk (s, wrong);

  /* a platform that does not answer is a failure (1), not a verdict on
   * the credentials; nothing is stored either */
  g_assert_cmpint (RUN_STDIN (&s->f, credentials, "integration", "add", "ecomv2", "--name", "Web shop",
                              "--base-url", "http://127.0.0.1:1/v2", "--credentials-stdin"), ==, 1);
  g_assert_nonnull (strstr (s->f.err, "--no-test"));
  g_assert_cmpint (n_integrations (s), ==, 0);

  /* the same with --json: stdout stays empty, the message on stderr */
  g_assert_cmpint (RUN_STDIN (&s->f, credentials, "--json", "integration", "add", "ecomv2", "--name",
                              "Web shop", "--base-url", s->url, "--credentials-stdin"), ==, 4);
  g_assert_cmpstr (s->f.out, ==, "");
  g_assert_nonnull (strstr (s->f.err, "credentials"));
  g_assert_cmpint (n_integrations (s), ==, 0);
}

static void
test_refused_input (Shop          *s,
                    gconstpointer  data)
{
  g_autofree char *credentials = credentials_json (s->key);
  const char *not_objects[] = { "", "[\"x\"]", "{\"api_key\": 42}", "{\"key\": \"x\"}", "{\"api_key\": \"\"}",
                                "{\"api_key\": \"x\"", NULL };

  /* An address or permission the rules refuse is a mistake in the command
   * line, found before anything is read, tested or written: exit 2 (usage
   * error), as for any other refused option value. */
  g_assert_cmpint (RUN_STDIN (&s->f, credentials, "integration", "add", "ecomv2", "--name", "Shop",
                              "--base-url", "http://example.com/v2", "--credentials-stdin"), ==, 2);
  g_assert_nonnull (strstr (s->f.err, "http"));
  g_assert_cmpint (RUN_STDIN (&s->f, credentials, "integration", "add", "ecomv2", "--name", "Shop",
                              "--base-url", "https://user:secret@example.com/v2", "--credentials-stdin"), ==, 2);
  g_assert_cmpint (RUN_STDIN (&s->f, credentials, "integration", "add", "ecomv2", "--name", "Shop",
                              "--base-url", s->url, "--permissions", "orders.pull,everything",
                              "--credentials-stdin"), ==, 2);
  g_assert_nonnull (strstr (s->f.err, "everything"));
  g_assert_cmpint (RUN_STDIN (&s->f, credentials, "integration", "add", "nosuchplatform", "--name", "Shop",
                              "--credentials-stdin"), ==, 2);
  g_assert_cmpint (RUN_STDIN (&s->f, credentials, "integration", "add", "ecomv2", "--base-url", s->url,
                              "--credentials-stdin"), ==, 2);
  /* credentials are never taken any other way than stdin */
  g_assert_cmpint (RUN (&s->f, "integration", "add", "ecomv2", "--name", "Shop", "--base-url", s->url), ==, 2);
  g_assert_nonnull (strstr (s->f.err, "--credentials-stdin"));

  for (guint i = 0; not_objects[i] != NULL; i++)
    {
      g_assert_cmpint (RUN_STDIN (&s->f, not_objects[i], "integration", "add", "ecomv2", "--name", "Shop",
                                  "--base-url", s->url, "--credentials-stdin"), ==, 2);
      g_assert_nonnull (strstr (s->f.err, "api_key"));
    }

  g_assert_cmpint (n_integrations (s), ==, 0);
}

static void
test_list_show (Shop          *s,
                gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) shown = NULL;
  JsonObject *row;

  if (!require_keyring ())
    return;

  g_assert_cmpint (RUN (&s->f, "--json", "integration", "list"), ==, 0);
  list = parse_out (&s->f);
  g_assert_cmpuint (json_array_get_length (data_array (list)), ==, 0);
  g_clear_pointer (&list, json_node_unref);
  g_assert_cmpint (RUN (&s->f, "integration", "list"), ==, 0);
  g_assert_nonnull (strstr (s->f.out, "No integrations yet"));

  id = add_shop (s, "Web shop");

  g_assert_cmpint (RUN (&s->f, "--json", "integration", "list"), ==, 0);
  list = parse_out (&s->f);
  g_assert_cmpuint (json_array_get_length (data_array (list)), ==, 1);
  row = first_row (list);
  assert_members (row, id, "Web shop", "active", s->url);
  g_assert_cmpint (json_object_get_int_member (row, "queue_depth"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (row, "dead_jobs"), ==, 0);
  g_assert_true (json_object_get_null_member (row, "last_sync"));

  g_assert_cmpint (RUN (&s->f, "--json", "integration", "show", id), ==, 0);
  shown = parse_out (&s->f);
  assert_members (root_object (shown), id, "Web shop", "active", s->url);

  g_assert_cmpint (RUN (&s->f, "integration", "show", id), ==, 0);
  g_assert_nonnull (strstr (s->f.out, "Web shop"));
  g_assert_nonnull (strstr (s->f.out, s->url));
  g_assert_nonnull (strstr (s->f.out, "inventory.sync, orders.pull"));

  g_assert_cmpint (RUN (&s->f, "integration", "list"), ==, 0);
  g_assert_nonnull (strstr (s->f.out, id));

  g_assert_cmpint (RUN (&s->f, "integration", "show", "ecomv2-0"), ==, 1);
  g_assert_nonnull (strstr (s->f.err, "ecomv2-0"));
  g_assert_cmpint (RUN (&s->f, "integration", "show"), ==, 2);
}

static void
test_lifecycle (Shop          *s,
                gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *other = NULL;
  g_autoptr(JsonNode) paused = NULL;
  g_autoptr(JsonNode) resumed = NULL;
  g_autoptr(JsonNode) tested = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(JsonNode) list = NULL;
  const char *new_keys[] = { "test_another_key", NULL };

  if (!require_keyring ())
    return;

  id = add_shop (s, "Web shop");
  other = add_shop (s, "Outlet");

  g_assert_cmpint (RUN (&s->f, "--json", "integration", "pause", id), ==, 0);
  paused = parse_out (&s->f);
  assert_members (root_object (paused), id, "Web shop", "paused", s->url);

  /* paused still records what must be sent */
  import_good_catalog (&s->f);
  g_assert_cmpint (RUN (&s->f, "--json", "status"), ==, 0);
  status = parse_out (&s->f);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root_object (status),
                                                                         "integrations")), ==, 2);
  g_assert_cmpint (json_object_get_int_member (root_object (status), "queue_depth"), >, 0);
  g_assert_cmpint (RUN (&s->f, "status"), ==, 0);
  g_assert_nonnull (strstr (s->f.out, "Web shop"));
  g_assert_nonnull (strstr (s->f.out, "Paused"));
  g_assert_nonnull (strstr (s->f.out, "Outlet"));

  g_assert_cmpint (RUN (&s->f, "--json", "integration", "resume", id), ==, 0);
  resumed = parse_out (&s->f);
  assert_members (root_object (resumed), id, "Web shop", "active", s->url);

  g_assert_cmpint (RUN (&s->f, "--json", "integration", "test", id), ==, 0);
  tested = parse_out (&s->f);
  g_assert_true (json_object_get_boolean_member (root_object (tested), "ok"));

  /* the platform stops accepting the key: test says so, exit 4 */
  cp_sandbox_ecomv2_set_api_keys (s->ecomv2, new_keys);
  g_assert_cmpint (RUN (&s->f, "integration", "test", id), ==, 4);
  g_assert_nonnull (strstr (s->f.err, "credentials"));
  g_assert_false (strstr (s->f.err, s->key) != NULL);
  g_assert_cmpint (RUN (&s->f, "--json", "integration", "list"), ==, 0);
  list = parse_out (&s->f);
  g_assert_cmpstr (json_object_get_string_member (first_row (list), "status"), ==, "needs_attention");

  /* remove takes the row and the credentials, and nothing of the other */
  g_assert_cmpint (RUN (&s->f, "integration", "remove", id), ==, 0);
  assert_no_secret_for (s, id);
  g_assert_cmpint (RUN (&s->f, "integration", "show", id), ==, 1);
  g_assert_cmpint (n_integrations (s), ==, 1);
  g_assert_cmpint (query_int (s->f.ledger, "SELECT count(*) FROM outbox_jobs WHERE integration_id NOT IN "
                                           "(SELECT id FROM integrations)"), ==, 0);
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *other_key = secret_key (s, other);
    g_autofree char *kept = cp_credentials_lookup_sync (other_key, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (kept);
  }
  g_assert_cmpint (RUN (&s->f, "integration", "remove", id), ==, 1);
}

static void
test_no_test (Shop          *s,
              gconstpointer  data)
{
  g_autofree char *id = id_at (s, 1);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *permissions;

  if (!require_keyring ())
    return;

  /* saved without credentials or a test; the default address of the
   * platform; chosen permissions */
  g_assert_cmpint (RUN (&s->f, "--json", "integration", "add", "ecomv2", "--name", "Later",
                        "--permissions", "products.sync, orders.push", "--no-test"), ==, 0);
  root = parse_out (&s->f);
  g_assert_cmpstr (json_object_get_string_member (root_object (root), "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (root_object (root), "base_url"), ==,
                   "https://api.ecommerce-platform.com/v2");
  permissions = json_object_get_array_member (root_object (root), "permissions");
  g_assert_cmpuint (json_array_get_length (permissions), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (permissions, 0), ==, "orders.push");
  g_assert_cmpstr (json_array_get_string_element (permissions, 1), ==, "products.sync");
  assert_no_secret_for (s, id);

  /* testing it says what is missing: needs attention */
  g_assert_cmpint (RUN (&s->f, "integration", "test", id), ==, 4);
  g_assert_nonnull (strstr (s->f.err, "credentials"));
}

/* Without a Secret Service the credentials cannot be kept: add fails
 * before testing or saving anything, and says what to do. */
static void
test_no_keyring (Shop          *s,
                 gconstpointer  data)
{
  g_autofree char *credentials = credentials_json (s->key);
  g_autofree char *xdg = g_build_filename (s->f.dir, "xdg", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) in = g_bytes_new (credentials, strlen (credentials));
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err_text = NULL;
  const char *argv[] = { cli_path, "--data-dir", s->f.data_dir, "integration", "add", "ecomv2",
                         "--name", "Web shop", "--base-url", s->url, "--credentials-stdin", NULL };

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", xdg, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, in, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);

  err_text = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));
  g_assert_nonnull (strstr (err_text, "keyring"));
  g_assert_null (strstr (err_text, s->key));
  g_assert_cmpuint (g_bytes_get_size (out), ==, 0);
  g_assert_cmpint (n_integrations (s), ==, 0);
  /* nothing was even tried on the platform */
  g_assert_cmpuint (cp_sandbox_server_get_request_count (s->server, NULL), ==, 0);
}

static void
test_map_location (Shop          *s,
                   gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) mapped = NULL;
  JsonArray *mappings;

  if (!require_keyring ())
    return;

  id = add_shop (s, "Web shop");
  g_assert_cmpint (RUN (&s->f, "integration", "map", id), ==, 2);
  g_assert_cmpint (RUN (&s->f, "integration", "map", id, "--location", "MAIN"), ==, 2);
  g_assert_cmpint (RUN (&s->f, "integration", "map", id, "--location", "NOWHERE=wh_001"), ==, 1);

  g_assert_cmpint (RUN (&s->f, "--json", "integration", "map", id, "--location", "MAIN=wh_002"), ==, 0);
  mapped = parse_out (&s->f);
  mappings = json_object_get_array_member (root_object (mapped), "location_mappings");
  g_assert_cmpuint (json_array_get_length (mappings), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (mappings, 0), "location"),
                   ==, "MAIN");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (mappings, 0), "remote_id"),
                   ==, "wh_002");
  g_assert_cmpint (query_int (s->f.ledger, "SELECT count(*) FROM integration_mappings "
                                           "WHERE kind = 'location' AND remote_id = 'wh_002'"), ==, 1);
}

static void
test_map_show (Shop          *s,
               gconstpointer  data)
{
  static const char * const keys[] = { "matched", "unmatched_local", "unmatched_remote", "duplicates",
                                       "locations" };
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) report = NULL;
  JsonObject *object;
  guint n_listed = 0;

  if (!require_keyring ())
    return;

  import_good_catalog (&s->f);
  id = add_shop (s, "Web shop");
  g_assert_cmpint (RUN (&s->f, "--json", "integration", "map", id, "--show"), ==, 0);
  report = parse_out (&s->f);
  object = root_object (report);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, keys[i])));
      n_listed += json_array_get_length (json_object_get_array_member (object, keys[i]));
    }
  /* the fake has warehouses and products; the ledger has its own SKUs */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "locations")), >, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "unmatched_remote")), >, 0);
  g_assert_cmpuint (n_listed, >, 0);

  g_assert_cmpint (RUN (&s->f, "integration", "map", id, "--show"), ==, 0);
  g_assert_nonnull (strstr (s->f.out, "Matched"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  cli_fixture_init (argc, argv);
  cli_path = g_getenv ("CP_CLI");
  if (argc > 1)
    cli_path = argv[1];

#define ADD(path, func) g_test_add (path, Shop, NULL, shop_set_up, func, shop_tear_down)
  ADD ("/cli-integration/platforms", test_platforms);
  ADD ("/cli-integration/add-keeps-secret-in-keyring", test_add_keeps_secret_in_keyring);
  ADD ("/cli-integration/rejected-credentials", test_rejected_credentials);
  ADD ("/cli-integration/refused-input", test_refused_input);
  ADD ("/cli-integration/list-show", test_list_show);
  ADD ("/cli-integration/lifecycle", test_lifecycle);
  ADD ("/cli-integration/no-test", test_no_test);
  ADD ("/cli-integration/no-keyring", test_no_keyring);
  ADD ("/cli-integration/map-location", test_map_location);
  ADD ("/cli-integration/map-show", test_map_show);
#undef ADD

  return g_test_run ();
}
