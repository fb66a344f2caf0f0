/* test-cli-shopify.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Shopify store end to end through the command line, as a person
 * tries it: `sandbox serve --platform shopify` in one process, then
 * `integration add shopify` with the access token it printed (into the
 * session's real Secret Service), `integration test`, and `sync --once`:
 * the store's orders come in once each and the stock goes out.
 */

#define G_LOG_DOMAIN "test-cli-shopify"

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
} ShopifyCli;

/* EC-00001 (with its sizes on the store, only S here) and EC-00002 of
 * the fake's demo store, and one it does not sell. */
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
start_serve (ShopifyCli *w)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GString) doc = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  w->serve = g_subprocess_launcher_spawn (launcher, &error, cli_path, "--json", "sandbox", "serve",
                                          "--platform", "shopify", "--port", "0", NULL);
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
make_ids_unique (ShopifyCli *w)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = NULL;

  g_assert_cmpint (sqlite3_open (w->f.ledger, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("INSERT INTO sqlite_sequence (name, seq) VALUES ('integrations', %d)",
                         (int) getpid () * 10 + g_random_int_range (0, 10));
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
shopify_set_up (ShopifyCli        *w,
            gconstpointer  data)
{
  g_autofree char *csv = NULL;
  g_autofree char *credentials = NULL;
  g_autoptr(JsonNode) node = NULL;

  fixture_set_up (&w->f, data);
  start_serve (w);
  g_assert_cmpstr (json_object_get_string_member (w->info, "platform"), ==, "shopify");

  init_ledger (&w->f);
  csv = path_in (&w->f, "catalog.csv");
  write_file (csv, catalog_csv, -1);
  g_assert_cmpint (RUN (&w->f, "catalog", "import", csv), ==, 0);
  make_ids_unique (w);

  credentials = g_strdup_printf ("{\"access_token\": \"%s\"}",
                                 json_object_get_string_member (w->info, "access_token"));
  g_assert_cmpint (RUN_STDIN (&w->f, credentials,
                              "--json", "integration", "add", "shopify", "--name", "Shopify shop",
                              "--base-url", json_object_get_string_member (w->info, "base_url"),
                              "--credentials-stdin",
                              "--permissions", "inventory.sync,orders.pull"), ==, 0);
  node = parse_out (&w->f);
  w->id = g_strdup (json_object_get_string_member (root_object (node), "id"));
  /* The secret went to the keyring, never into the ledger or the output. */
  g_assert_null (strstr (w->f.out, json_object_get_string_member (w->info, "access_token")));
}

static void
shopify_tear_down (ShopifyCli        *w,
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
test_add_test_sync (ShopifyCli        *w,
                    gconstpointer  data)
{
  g_autofree char *contents = NULL;

  /* The wizard's check, from the command line: the keys work. */
  g_assert_cmpint (RUN (&w->f, "integration", "test", w->id), ==, 0);

  g_assert_cmpint (RUN (&w->f, "sync", "--once", "--max-wait", "120"), ==, 0);
  g_assert_nonnull (strstr (w->f.out, "Everything is in sync"));
  /* The demo store's 30 orders, once each, even after a second run. */
  g_assert_cmpint (status_count (&w->f, "orders"), ==, 30);
  g_assert_cmpint (RUN (&w->f, "sync", "--once", "--max-wait", "120"), ==, 0);
  g_assert_cmpint (status_count (&w->f, "orders"), ==, 30);

  /* The ledger holds no key. */
  g_assert_true (g_file_get_contents (w->f.ledger, &contents, NULL, NULL));
  g_assert_null (strstr (contents, json_object_get_string_member (w->info, "access_token")));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  cli_fixture_init (argc, argv);
  cli_path = argc > 1 ? argv[1] : g_getenv ("CP_CLI");

  g_test_add ("/cli/shopify/add-test-sync", ShopifyCli, NULL, shopify_set_up, test_add_test_sync, shopify_tear_down);

  return g_test_run ();
}
