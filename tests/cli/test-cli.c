/* test-cli.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the built counterpart-cli as scripts do, against a real ledger in
 * a temporary folder, and checks the contract of shared/CLI.md: flags,
 * exit codes, messages, --json shapes, and ledgers it must refuse.
 */

#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cli-fixture.h"

/* --version, --help */

static void
test_version (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (RUN (f, "--version"), ==, 0);
  g_assert_cmpstr (f->out, ==, "counterpart-cli " PACKAGE_VERSION "\n");

  g_assert_cmpint (RUN (f, "--json", "--version"), ==, 0);
  node = parse_out (f);
  g_assert_cmpstr (json_object_get_string_member (root_object (node), "version"), ==,
                   PACKAGE_VERSION);

  /* Nothing was created by asking for the version. */
  g_assert_false (g_file_test (f->data_dir, G_FILE_TEST_EXISTS));
}

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  g_assert_cmpint (RUN (f, "--help"), ==, 0);
  g_assert_nonnull (strstr (f->out, "stock adjust SKU"));
  g_assert_cmpint (RUN (f, "help"), ==, 0);
  g_assert_nonnull (strstr (f->out, "orders list"));
  g_assert_cmpint (RUN (f, "stock", "adjust", "--help"), ==, 0);
  g_assert_nonnull (strstr (f->out, "--reason"));
  g_assert_cmpint (RUN (f, "stock", "--help"), ==, 0);
  g_assert_nonnull (strstr (f->out, "stock set-safety"));
  g_assert_cmpint (RUN (f, "help", "catalog", "import"), ==, 0);
  g_assert_nonnull (strstr (f->out, "catalog import FILE.csv"));
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  init_ledger (f);

  g_assert_cmpint (run_argv (f, FALSE, NULL, (const char *[]) { NULL }), ==, 2);
  g_assert_nonnull (strstr (f->err, "Usage"));

  g_assert_cmpint (RUN (f, "frobnicate"), ==, 2);
  g_assert_nonnull (strstr (f->err, "frobnicate"));
  g_assert_cmpstr (f->out, ==, "");

  g_assert_cmpint (RUN (f, "--frobnicate", "status"), ==, 2);
  g_assert_cmpint (RUN (f, "status", "--frobnicate"), ==, 2);
  g_assert_nonnull (strstr (f->err, "--frobnicate"));
  g_assert_cmpint (RUN (f, "stock"), ==, 2);
  g_assert_cmpint (RUN (f, "stock", "frobnicate"), ==, 2);
  g_assert_cmpint (RUN (f, "status", "extra"), ==, 2);
  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-S", "--delta", "1", "--reason", "received"), ==, 2);
  g_assert_nonnull (strstr (f->err, "--location"));
  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-S", "--location", "MAIN", "--delta", "1.5",
                        "--reason", "received"), ==, 2);
  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-S", "--location", "MAIN", "--delta", "1",
                        "--reason", "stolen"), ==, 2);
  g_assert_nonnull (strstr (f->err, "stolen"));
  g_assert_cmpint (RUN (f, "locations", "add", "WH2"), ==, 2);
  g_assert_cmpint (RUN (f, "orders", "list", "--limit", "0"), ==, 2);
  g_assert_cmpint (RUN (f, "orders", "list", "--since", "last tuesday"), ==, 2);
  g_assert_cmpint (RUN (f, "--data-dir"), ==, 2);
  g_assert_cmpint (RUN (f, "--data-dir=", "status"), ==, 2);
}

static void
test_not_available (Fixture       *f,
                    gconstpointer  data)
{
  static const struct
  {
    const char *args[4];
    const char *name;
  } cases[] = {
    { { "external-orders", "list" }, "external-orders list" },
    { { "export", "2026-11" }, "export" },
    { { "report", "end-of-day" }, "report end-of-day" },
    { { "devices", "list" }, "devices list" },
    { { "print", "label", "TEE-S" }, "print label" },
  };

  init_ledger (f);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *expected = g_strdup_printf ("counterpart-cli: “%s” is not available in this "
                                                   "version of Counterpart.\n", cases[i].name);

      g_assert_cmpint (run_argv (f, TRUE, NULL, cases[i].args), ==, 1);
      g_assert_cmpstr (f->err, ==, expected);
      g_assert_cmpstr (f->out, ==, "");

      /* --json changes nothing: no fake success document. */
      {
        const char *args[6] = { "--json" };

        memcpy (args + 1, cases[i].args, sizeof cases[i].args);
        g_assert_cmpint (run_argv (f, TRUE, NULL, args), ==, 1);
        g_assert_cmpstr (f->out, ==, "");
      }
    }
}

/* init, status */

static void
test_init_status (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  JsonObject *root, *ledger, *counts;

  /* Before init there is nothing to show, and nothing gets created. */
  g_assert_cmpint (RUN (f, "status"), ==, 1);
  g_assert_nonnull (strstr (f->err, "init"));
  g_assert_false (g_file_test (f->ledger, G_FILE_TEST_EXISTS));

  g_assert_cmpint (RUN (f, "init"), ==, 0);
  g_assert_true (g_file_test (f->ledger, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (strstr (f->out, "MAIN"));

  /* Again: fine, and it says the ledger exists. */
  g_assert_cmpint (RUN (f, "init"), ==, 0);
  g_assert_nonnull (strstr (f->out, "exists"));

  g_assert_cmpint (RUN (f, "--json", "status"), ==, 0);
  node = parse_out (f);
  root = root_object (node);
  ledger = json_object_get_object_member (root, "ledger");
  g_assert_nonnull (ledger);
  g_assert_cmpstr (json_object_get_string_member (ledger, "path"), ==, f->ledger);
  g_assert_cmpint (json_object_get_int_member (ledger, "size_bytes"), >, 0);
  g_assert_cmpint (json_object_get_int_member (ledger, "schema_version"), >=, 1);
  g_assert_cmpstr (json_object_get_string_member (ledger, "currency"), ==, "USD");
  g_assert_false (json_object_get_boolean_member (ledger, "demo"));
  counts = json_object_get_object_member (root, "counts");
  g_assert_nonnull (counts);
  g_assert_cmpint (json_object_get_int_member (counts, "products"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (counts, "variants"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (counts, "locations"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (counts, "orders"), ==, 0);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (root, "integrations")), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "queue_depth"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "dead_jobs"), ==, 0);
  g_assert_true (json_object_has_member (root, "last_sync"));
  g_assert_true (json_object_get_null_member (root, "last_sync"));

  /* The human form says the same. */
  g_assert_cmpint (RUN (f, "status"), ==, 0);
  g_assert_nonnull (strstr (f->out, f->ledger));
  g_assert_nonnull (strstr (f->out, "none connected"));

  /* --quiet init on an existing ledger prints nothing. */
  g_assert_cmpint (RUN (f, "--quiet", "init"), ==, 0);
  g_assert_cmpstr (f->out, ==, "");

  /* Global flags may come after the command too, and --data-dir=DIR. */
  before = g_strdup_printf ("--data-dir=%s", f->data_dir);
  g_assert_cmpint (run_argv (f, FALSE, NULL, (const char *[]) { "status", before, "--json", NULL }), ==, 0);
  after = g_strdup (f->out);
  g_assert_nonnull (strstr (after, "\"queue_depth\""));
}

static void
test_init_currency (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *main_location;

  g_assert_cmpint (RUN (f, "init", "--currency", "XYZ"), ==, 2);
  g_assert_false (g_file_test (f->ledger, G_FILE_TEST_EXISTS));

  g_assert_cmpint (RUN (f, "init", "--currency", "EUR"), ==, 0);
  g_assert_cmpint (RUN (f, "--json", "locations", "list"), ==, 0);
  node = parse_out (f);
  g_assert_cmpint (json_array_get_length (data_array (node)), ==, 1);
  main_location = json_array_get_object_element (data_array (node), 0);
  g_assert_cmpstr (json_object_get_string_member (main_location, "code"), ==, "MAIN");
  g_assert_cmpstr (json_object_get_string_member (main_location, "name"), ==, "Main");
  g_assert_cmpstr (json_object_get_string_member (main_location, "currency"), ==, "EUR");

  /* An existing shop's currency is not changed under it. */
  g_assert_cmpint (RUN (f, "init", "--currency", "JPY"), ==, 1);
  g_assert_nonnull (strstr (f->err, "EUR"));
}

/* locations */

static void
test_locations (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) added = NULL;
  g_autoptr(JsonNode) list = NULL;
  JsonArray *rows;
  JsonObject *row;

  g_assert_cmpint (RUN (f, "locations", "add", "WH2", "--name", "Warehouse 2"), ==, 1);
  g_assert_nonnull (strstr (f->err, "init"));
  init_ledger (f);

  g_assert_cmpint (RUN (f, "--json", "locations", "add", "WH2", "--name", "Warehouse 2",
                        "--currency", "EUR"), ==, 0);
  added = parse_out (f);
  g_assert_cmpstr (json_object_get_string_member (root_object (added), "code"), ==, "WH2");
  g_assert_true (JSON_NODE_TYPE (json_object_get_member (root_object (added), "id")) == JSON_NODE_VALUE);
  g_assert_true (json_node_get_value_type (json_object_get_member (root_object (added), "id")) == G_TYPE_STRING);

  g_assert_cmpint (RUN (f, "locations", "add", "SHOP", "--name=Shop floor"), ==, 0);
  g_assert_nonnull (strstr (f->out, "SHOP"));

  /* The same code twice is refused and says so. */
  g_assert_cmpint (RUN (f, "locations", "add", "WH2", "--name", "Again"), ==, 1);
  g_assert_nonnull (strstr (f->err, "WH2"));

  g_assert_cmpint (RUN (f, "--json", "locations", "list"), ==, 0);
  list = parse_out (f);
  rows = data_array (list);
  g_assert_cmpint (json_array_get_length (rows), ==, 3);
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "code"), ==, "MAIN");
  g_assert_cmpstr (json_object_get_string_member (row, "currency"), ==, "USD");
  row = json_array_get_object_element (rows, 2);
  g_assert_cmpstr (json_object_get_string_member (row, "code"), ==, "WH2");
  g_assert_cmpstr (json_object_get_string_member (row, "name"), ==, "Warehouse 2");
  g_assert_cmpstr (json_object_get_string_member (row, "currency"), ==, "EUR");

  g_assert_cmpint (RUN (f, "locations", "list"), ==, 0);
  g_assert_nonnull (strstr (f->out, "Warehouse 2"));
  g_assert_nonnull (strstr (f->out, "Shop floor"));
  g_assert_cmpint (status_count (f, "locations"), ==, 3);
}

/* Ledgers the CLI must refuse, and leave as they are. */

static char *
read_all (const char *path,
          gsize      *out_length)
{
  char *contents = NULL;
  GError *error = NULL;

  g_file_get_contents (path, &contents, out_length, &error);
  g_assert_no_error (error);
  return contents;
}

static void
assert_refused_untouched (Fixture    *f,
                          const char *needle)
{
  const char *commands[][4] = {
    { "status" },
    { "init" },
    { "stock", "show" },
    { "--json", "orders", "list" },
    { "locations", "add", "WH9", "--name" },
  };
  g_autofree char *before = NULL;
  gsize before_length = 0;

  before = read_all (f->ledger, &before_length);
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *after = NULL;
      gsize after_length = 0;
      const char *args[6] = { NULL };

      memcpy (args, commands[i], sizeof commands[i]);
      if (g_str_equal (args[0], "locations"))
        args[4] = "Nine";

      g_assert_cmpint (run_argv (f, TRUE, NULL, args), ==, 1);
      if (strstr (f->err, needle) == NULL)
        g_error ("stderr does not say “%s”:\n%s", needle, f->err);
      g_assert_cmpstr (f->out, ==, "");

      after = read_all (f->ledger, &after_length);
      g_assert_cmpmem (before, before_length, after, after_length);
    }
}

static void
test_ledger_too_new (Fixture       *f,
                     gconstpointer  data)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (f->data_dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (f->ledger, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE future (x); PRAGMA user_version = 999;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  assert_refused_untouched (f, "newer");
}

static void
test_ledger_garbage (Fixture       *f,
                     gconstpointer  data)
{
  GString *garbage = g_string_new (NULL);

  for (guint i = 0; i < 200; i++)
    g_string_append (garbage, "This is a shopping list, not a ledger.\n");
  g_assert_cmpint (g_mkdir_with_parents (f->data_dir, 0700), ==, 0);
  write_file (f->ledger, garbage->str, garbage->len);
  g_string_free (garbage, TRUE);

  assert_refused_untouched (f, f->ledger);
}

static void
test_ledger_locked (Fixture       *f,
                    gconstpointer  data)
{
  sqlite3 *db = NULL;

  init_ledger (f);
  import_good_catalog (f);

  /* Another program holds the write lock for longer than the CLI waits. */
  g_assert_cmpint (sqlite3_open (f->ledger, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-S", "--location", "MAIN", "--delta", "5",
                        "--reason", "received"), ==, 1);
  g_assert_nonnull (strstr (f->err, "another program"));
  g_assert_cmpstr (f->out, ==, "");

  /* Reading is not blocked by a writer. */
  g_assert_cmpint (on_hand (f, "TEE-S"), ==, 10);

  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  /* Nothing was half-written: the movement was not made. */
  g_assert_cmpint (on_hand (f, "TEE-S"), ==, 10);
  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-S", "--location", "MAIN", "--delta", "5",
                        "--reason", "received"), ==, 0);
  g_assert_cmpint (on_hand (f, "TEE-S"), ==, 15);
}

static void
test_ledger_read_only (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_length = 0, after_length = 0;

  if (geteuid () == 0)
    {
      g_test_skip ("Permissions do not stop root from writing; run the tests as a user for this one.");
      return;
    }

  init_ledger (f);
  g_assert_cmpint (g_chmod (f->ledger, 0400), ==, 0);
  g_assert_cmpint (g_chmod (f->data_dir, 0500), ==, 0);
  before = read_all (f->ledger, &before_length);

  g_assert_cmpint (RUN (f, "locations", "add", "WH2", "--name", "Warehouse 2"), ==, 1);
  g_assert_nonnull (strstr (f->err, "read-only"));
  g_assert_cmpstr (f->out, ==, "");

  after = read_all (f->ledger, &after_length);
  g_assert_cmpmem (before, before_length, after, after_length);

  g_assert_cmpint (g_chmod (f->data_dir, 0700), ==, 0);
  g_assert_cmpint (g_chmod (f->ledger, 0600), ==, 0);
  g_assert_cmpint (status_count (f, "locations"), ==, 1);
}

/* --sandbox */

static void
test_sandbox (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *sandbox = g_build_filename (f->dir, "xdg", "counterpart-sandbox",
                                               "ledger.sqlite3", NULL);
  g_autofree char *real = g_build_filename (f->dir, "xdg", "counterpart", "ledger.sqlite3", NULL);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *counts;
  int status;

  status = run_argv (f, FALSE, NULL, (const char *[]) { "--json", "--sandbox", "status", NULL });
#if CP_HAVE_DEMO
  g_assert_cmpint (status, ==, 0);
  node = parse_out (f);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root_object (node),
                                                                                 "ledger"),
                                                  "path"), ==, sandbox);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (root_object (node),
                                                                                "ledger"),
                                                  "demo"));
  counts = json_object_get_object_member (root_object (node), "counts");
  g_assert_cmpint (json_object_get_int_member (counts, "products"), >, 0);
  g_assert_cmpint (json_object_get_int_member (counts, "locations"), >=, 1);
  g_assert_true (g_file_test (sandbox, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (real, G_FILE_TEST_EXISTS));

  /* The demo shop is made once; MAIN is one of its locations. */
  status = run_argv (f, FALSE, NULL, (const char *[]) { "--sandbox", "--json", "stock", "show",
                                                        "--location", "MAIN", NULL });
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&node, json_node_unref);
  node = parse_out (f);
  g_assert_cmpint (json_array_get_length (data_array (node)), >, 0);

  /* init --demo fills a new ledger, once. */
  g_assert_cmpint (RUN (f, "--json", "init", "--demo"), ==, 0);
  g_clear_pointer (&node, json_node_unref);
  node = parse_out (f);
  g_assert_true (json_object_get_boolean_member (root_object (node), "demo"));
  g_assert_true (json_object_get_boolean_member (root_object (node), "created"));
  g_assert_cmpint (json_object_get_int_member (root_object (node), "products"), >, 0);
  g_assert_cmpint (status_count (f, "orders"), >, 0);
  g_assert_cmpint (RUN (f, "init", "--demo"), ==, 1);
  g_assert_nonnull (strstr (f->err, "demo"));

  /* init --demo refuses a ledger that holds a real catalog. */
  g_free (f->data_dir);
  f->data_dir = g_build_filename (f->dir, "real", NULL);
  init_ledger (f);
  import_good_catalog (f);
  g_assert_cmpint (RUN (f, "init", "--demo"), ==, 1);
  g_assert_nonnull (strstr (f->err, "demo"));
  g_assert_cmpint (status_count (f, "variants"), ==, 3);
#else
  (void) node;
  (void) counts;
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (f->err, "demo shop"));
  g_assert_false (g_file_test (real, G_FILE_TEST_EXISTS));
#endif
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  cli_fixture_init (argc, argv);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli/version", test_version);
  ADD ("/cli/help", test_help);
  ADD ("/cli/usage-errors", test_usage_errors);
  ADD ("/cli/not-available", test_not_available);
  ADD ("/cli/init-status", test_init_status);
  ADD ("/cli/init-currency", test_init_currency);
  ADD ("/cli/locations", test_locations);
  ADD ("/cli/ledger/too-new", test_ledger_too_new);
  ADD ("/cli/ledger/garbage", test_ledger_garbage);
  ADD ("/cli/ledger/locked", test_ledger_locked);
  ADD ("/cli/ledger/read-only", test_ledger_read_only);
  ADD ("/cli/sandbox", test_sandbox);

#undef ADD

  return g_test_run ();
}
