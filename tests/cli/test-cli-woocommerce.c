/* test-cli-woocommerce.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A WooCommerce store end to end through the command line, as a person
 * tries it: `sandbox serve --platform woocommerce` in one process, then
 * `integration add woocommerce` with the keys it printed (into the
 * session's real Secret Service), `integration test`, and `sync --once`:
 * the store's orders come in once each and the stock goes out.
 */

#define G_LOG_DOMAIN "test-cli-woocommerce"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <sqlite3.h>

#include "cli-fixture.h"

static const char *cli_path;

typedef struct
{
  Fixture      f;
  GSubprocess *serve;
  JsonParser  *info_parser;
  JsonObject  *info;
  char        *id;
} WooCli;

/* Variation EC-00001 (size S) and simple product EC-00002 of the fake's
 * demo shop, and one it does not sell. */
static const char catalog_csv[] =
  "sku,name,price,on_hand:MAIN\n"
  "EC-00001,Premium Headphones 1,10.00,40\n"
  "EC-00002,Classic Headphones 2,12.00,25\n"
  "NOT-ON-THE-STORE,Local only,5.00,3\n";

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
start_serve (WooCli *w)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GString) doc = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  w->serve = g_subprocess_launcher_spawn (launcher, &error, cli_path, "--json", "sandbox", "serve",
                                          "--platform", "woocommerce", "--port", "0", NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (w->serve));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_string_append (doc, line);
      if (g_str_equal (line, "}"))
        break;
    }
  w->info_parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (w->info_parser, doc->str, -1, &error));
  g_assert_no_error (error);
  w->info = json_node_get_object (json_parser_get_root (w->info_parser));
}

/* Integration ids count per ledger while the keyring is the session's:
 * start where no other test's ids are. */
static void
make_ids_unique (WooCli *w)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = NULL;

  g_assert_cmpint (sqlite3_open (w->f.ledger, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("INSERT INTO sqlite_sequence (name, seq) VALUES ('integrations', %d)",
                         (int) getpid () * 10 + g_random_int_range (0, 10));
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The fake has no limit; the shop owner's setting lifts seed 003's 60
 * requests a minute, so matching 300 products (a request per variable
 * product's variations) does not pace the test for a minute. */
static void
allow_fast_pace (WooCli *w)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE integrations SET settings = json_set (coalesce "
                                          "(settings, '{}'), '$.rate_limit_per_minute', 6000) "
                                          "WHERE id = '%s'", w->id);

  g_assert_cmpint (sqlite3_open (w->f.ledger, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
}

static void
woo_set_up (WooCli        *w,
            gconstpointer  data)
{
  g_autofree char *csv = NULL;
  g_autofree char *credentials = NULL;
  g_autoptr(JsonNode) node = NULL;

  fixture_set_up (&w->f, data);
  start_serve (w);
  g_assert_cmpstr (json_object_get_string_member (w->info, "platform"), ==, "woocommerce");

  init_ledger (&w->f);
  csv = path_in (&w->f, "catalog.csv");
  write_file (csv, catalog_csv, -1);
  g_assert_cmpint (RUN (&w->f, "catalog", "import", csv), ==, 0);
  make_ids_unique (w);

  credentials = g_strdup_printf ("{\"consumer_key\": \"%s\", \"consumer_secret\": \"%s\"}",
                                 json_object_get_string_member (w->info, "consumer_key"),
                                 json_object_get_string_member (w->info, "consumer_secret"));
  g_assert_cmpint (RUN_STDIN (&w->f, credentials,
                              "--json", "integration", "add", "woocommerce", "--name", "Woo shop",
                              "--base-url", json_object_get_string_member (w->info, "base_url"),
                              "--credentials-stdin",
                              "--permissions", "inventory.sync,orders.pull"), ==, 0);
  node = parse_out (&w->f);
  w->id = g_strdup (json_object_get_string_member (root_object (node), "id"));
  allow_fast_pace (w);
  /* The secret went to the keyring, never into the ledger or the output. */
  g_assert_null (strstr (w->f.out, json_object_get_string_member (w->info, "consumer_secret")));
}

static void
woo_tear_down (WooCli        *w,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (w->serve, SIGTERM);
  g_subprocess_wait (w->serve, NULL, &error);
  g_clear_object (&w->serve);
  g_clear_object (&w->info_parser);
  g_free (w->id);
  fixture_tear_down (&w->f, data);
}

static void
test_add_test_sync (WooCli        *w,
                    gconstpointer  data)
{
  g_autofree char *contents = NULL;

  /* The wizard's check, from the command line: the keys work. */
  g_assert_cmpint (RUN (&w->f, "integration", "test", w->id), ==, 0);

  g_assert_cmpint (RUN (&w->f, "sync", "--once", "--max-wait", "120"), ==, 0);
  g_assert_nonnull (strstr (w->f.out, "Everything is in sync"));
  /* The demo shop's 120 orders, once each, even after a second run. */
  g_assert_cmpint (status_count (&w->f, "orders"), ==, 120);
  g_assert_cmpint (RUN (&w->f, "sync", "--once", "--max-wait", "120"), ==, 0);
  g_assert_cmpint (status_count (&w->f, "orders"), ==, 120);

  /* The ledger holds no key. */
  g_assert_true (g_file_get_contents (w->f.ledger, &contents, NULL, NULL));
  g_assert_null (strstr (contents, json_object_get_string_member (w->info, "consumer_secret")));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  cli_fixture_init (argc, argv);
  cli_path = argc > 1 ? argv[1] : g_getenv ("CP_CLI");

  g_test_add ("/cli/woocommerce/add-test-sync", WooCli, NULL, woo_set_up, test_add_test_sync, woo_tear_down);

  return g_test_run ();
}
