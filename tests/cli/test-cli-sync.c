/* test-cli-sync.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `counterpart-cli sync` as a script runs it, against the ecomv2 fake on
 * loopback (served by this test process): exit 0 when everything went,
 * 3 when jobs are left (listed), 4 when the credentials are refused, and
 * --watch stopping cleanly on SIGTERM.
 */

#define G_LOG_DOMAIN "test-cli-sync"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <sqlite3.h>

#include "cli-fixture.h"
#include "cp-sandbox-ecomv2.h"
#include "cp-sandbox-server.h"

static const char *cli_path;

typedef struct
{
  Fixture          f;
  CpSandboxServer *server;
  CpSandboxEcomv2 *ecomv2;
  char            *url;
  char            *id;
} SyncFixture;

static const char catalog_csv[] =
  "sku,name,price,on_hand:MAIN\n"
  "EC-00001,Thing one,10.00,1000\n"
  "EC-00002,Thing two,12.00,1000\n"
  "NOT-ON-THE-STORE,Local only,5.00,3\n";

/* Integration ids count per ledger ("ecomv2-1") while the keyring is the
 * session's: start this ledger's ids where no other test's are, so tests
 * running side by side never read each other's credentials. */
static void
make_ids_unique (SyncFixture *s)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = NULL;

  g_assert_cmpint (sqlite3_open (s->f.ledger, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("INSERT INTO sqlite_sequence (name, seq) VALUES ('integrations', %d)",
                         (int) getpid () * 10 + g_random_int_range (0, 10));
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
sync_set_up (SyncFixture   *s,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(JsonNode) node = NULL;

  fixture_set_up (&s->f, data);

  s->server = cp_sandbox_server_new ();
  s->ecomv2 = cp_sandbox_ecomv2_new_sized (20, 6);
  cp_sandbox_server_add_platform (s->server, CP_SANDBOX_PLATFORM (s->ecomv2));
  g_assert_true (cp_sandbox_server_start (s->server, 0, &error));
  g_assert_no_error (error);
  s->url = cp_sandbox_server_dup_platform_url (s->server, "ecomv2");

  init_ledger (&s->f);
  csv = path_in (&s->f, "catalog.csv");
  write_file (csv, catalog_csv, -1);
  g_assert_cmpint (RUN (&s->f, "catalog", "import", csv), ==, 0);
  make_ids_unique (s);

  g_assert_cmpint (RUN_STDIN (&s->f, "{\"api_key\": \"" CP_SANDBOX_ECOMV2_DEFAULT_KEY "\"}",
                              "--json", "integration", "add", "ecomv2", "--name", "Web shop",
                              "--base-url", s->url, "--credentials-stdin",
                              "--permissions", "inventory.sync,orders.pull"), ==, 0);
  node = parse_out (&s->f);
  s->id = g_strdup (json_object_get_string_member (root_object (node), "id"));
}

static void
sync_tear_down (SyncFixture   *s,
                gconstpointer  data)
{
  cp_sandbox_server_stop (s->server);
  g_clear_object (&s->server);
  g_clear_object (&s->ecomv2);
  g_free (s->url);
  g_free (s->id);
  fixture_tear_down (&s->f, data);
}

static gint64
ledger_available (SyncFixture *s,
                  const char  *sku)
{
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (RUN (&s->f, "--json", "stock", "show", sku, "--location", "MAIN"), ==, 0);
  node = parse_out (&s->f);
  return json_object_get_int_member (first_row (node), "available");
}

/* Everything goes: exit 0, the store has the ledger's stock. */
static void
test_done (SyncFixture   *s,
           gconstpointer  data)
{
  g_assert_cmpint (RUN (&s->f, "stock", "adjust", "EC-00001", "--location", "MAIN",
                        "--delta", "-7", "--reason", "sold"), ==, 0);

  g_assert_cmpint (RUN (&s->f, "sync", "--once", "--max-wait", "60"), ==, 0);
  g_assert_nonnull (strstr (s->f.out, "Everything is in sync"));
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (s->ecomv2, "EC-00001", "wh_001"), ==,
                   ledger_available (s, "EC-00001"));

  /* The orders are in, once each, even after a second run. */
  g_assert_cmpint (status_count (&s->f, "orders"), ==, 6);
  g_assert_cmpint (RUN (&s->f, "--json", "sync", "--once"), ==, 0);
  g_assert_cmpint (status_count (&s->f, "orders"), ==, 6);
}

/* The store fails every request: the jobs wait, the run says which and
 * exits 3; a later run sends them. */
static void
test_partial (SyncFixture   *s,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *pending;

  g_assert_true (cp_sandbox_faults_set_from_string (cp_sandbox_server_get_faults (s->server),
                                                    "5xx=1", &error));
  g_assert_no_error (error);
  g_assert_cmpint (RUN (&s->f, "stock", "adjust", "EC-00002", "--location", "MAIN",
                        "--delta", "5", "--reason", "received"), ==, 0);

  g_assert_cmpint (RUN (&s->f, "--json", "sync", "--once", "--max-wait", "0"), ==, 3);
  node = parse_out (&s->f);
  g_assert_cmpstr (json_object_get_string_member (root_object (node), "outcome"), ==, "partial");
  pending = json_object_get_array_member (root_object (node), "pending_jobs");
  g_assert_cmpuint (json_array_get_length (pending), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (pending, 0),
                                                  "kind"), ==, "stock.push");

  /* Human output lists it too. */
  g_assert_cmpint (RUN (&s->f, "sync", "--once", "--max-wait", "0"), ==, 3);
  g_assert_nonnull (strstr (s->f.out, "stock.push"));

  g_assert_true (cp_sandbox_faults_set_from_string (cp_sandbox_server_get_faults (s->server),
                                                    "none", &error));
  g_assert_cmpint (RUN (&s->f, "sync", "--once", "--max-wait", "120"), ==, 0);
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (s->ecomv2, "EC-00002", "wh_001"), ==,
                   ledger_available (s, "EC-00002"));
}

/* The store stops accepting the key: exit 4, a message about the
 * credentials, and one request, not a storm. */
static void
test_attention (SyncFixture   *s,
                gconstpointer  data)
{
  static const char * const other_keys[] = { "test_someone_else", NULL };
  guint before;

  g_assert_cmpint (RUN (&s->f, "stock", "adjust", "EC-00001", "--location", "MAIN",
                        "--delta", "1", "--reason", "received"), ==, 0);
  cp_sandbox_ecomv2_set_api_keys (s->ecomv2, other_keys);
  before = cp_sandbox_server_get_request_count (s->server, NULL);

  g_assert_cmpint (RUN (&s->f, "sync", "--once", "--max-wait", "60"), ==, 4);
  g_assert_nonnull (strstr (s->f.err, "credentials"));
  g_assert_cmpuint (cp_sandbox_server_get_request_count (s->server, NULL) - before, <=, 1);

  g_assert_cmpint (RUN (&s->f, "--json", "integration", "show", s->id), ==, 0);
  g_assert_nonnull (strstr (s->f.out, "credentials"));
}

/* A usage error is 2; an unknown integration is 1. */
static void
test_usage (SyncFixture   *s,
            gconstpointer  data)
{
  g_assert_cmpint (RUN (&s->f, "sync", "--once", "--watch"), ==, 2);
  g_assert_cmpint (RUN (&s->f, "sync", "--max-wait", "soon"), ==, 2);
  g_assert_cmpint (RUN (&s->f, "sync", "--integration", "ecomv2-0"), ==, 1);
  g_assert_nonnull (strstr (s->f.err, "ecomv2-0"));
}

/* --watch sends a change made while it runs and stops cleanly on SIGTERM. */
static void
test_watch (SyncFixture   *s,
            gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *out_path = path_in (&s->f, "watch.out");
  g_autofree char *out = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = cli_path;
  gint64 give_up;
  gint64 want;

  g_assert_nonnull (cli);
  /* A failed assertion aborts this process: the engine must not outlive it. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, out_path);
  proc = g_subprocess_launcher_spawn (launcher, &error, cli, "--data-dir", s->f.data_dir,
                                      "sync", "--watch", NULL);
  g_assert_no_error (error);
  /* It says when it runs. */
  give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while ((out == NULL || strstr (out, "Ctrl+C") == NULL) && g_get_monotonic_time () < give_up)
    {
      g_clear_pointer (&out, g_free);
      g_file_get_contents (out_path, &out, NULL, NULL);
      g_usleep (10000);
    }
  g_assert_nonnull (strstr (out, "Ctrl+C"));

  g_assert_cmpint (RUN (&s->f, "stock", "adjust", "EC-00002", "--location", "MAIN",
                        "--delta", "-3", "--reason", "damaged"), ==, 0);
  want = ledger_available (s, "EC-00002");
  /* A guard against hanging, not a timing assertion. */
  give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (cp_sandbox_ecomv2_get_available (s->ecomv2, "EC-00002", "wh_001") != want &&
         g_get_monotonic_time () < give_up)
    {
      want = ledger_available (s, "EC-00002");
      g_usleep (50000);
    }
  g_assert_cmpint (cp_sandbox_ecomv2_get_available (s->ecomv2, "EC-00002", "wh_001"), ==, want);

  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
}

#define SANDBOX(f, ...) run_argv ((f), FALSE, NULL, (const char *[]) { "--sandbox", __VA_ARGS__, NULL })

/* A newcomer's sandbox syncs cleanly: the demo shop has several
 * locations, and the sandbox links its main one to the store's warehouse
 * itself, so a stock change goes out instead of "needs a mapping". */
static void
test_sandbox (Fixture       *f,
              gconstpointer  data)
{
#if CP_HAVE_DEMO
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *sku = NULL;

  /* The first sync makes the sandbox's store; changes after it go out. */
  g_assert_cmpint (SANDBOX (f, "sync", "--once", "--max-wait", "60"), ==, 0);
  g_assert_cmpint (SANDBOX (f, "--json", "stock", "show", "--location", "MAIN"), ==, 0);
  node = parse_out (f);
  sku = g_strdup (json_object_get_string_member (first_row (node), "sku"));

  g_assert_cmpint (SANDBOX (f, "stock", "adjust", sku, "--location", "MAIN", "--delta", "3",
                            "--reason", "received"), ==, 0);
  g_assert_cmpint (SANDBOX (f, "sync", "--once", "--max-wait", "60"), ==, 0);
  g_assert_nonnull (strstr (f->out, "Everything is in sync"));

  /* Sent, not set aside: nothing waits, nothing needs attention. */
  g_assert_cmpint (SANDBOX (f, "jobs", "list"), ==, 0);
  g_assert_nonnull (strstr (f->out, "Nothing is waiting"));
#else
  g_test_skip ("This build has no demo shop");
#endif
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  cli_fixture_init (argc, argv);
  cli_path = argc > 1 ? argv[1] : g_getenv ("CP_CLI");

#define ADD(name, func) \
  g_test_add ("/cli/sync/" name, SyncFixture, NULL, sync_set_up, func, sync_tear_down)
  ADD ("done", test_done);
  ADD ("partial", test_partial);
  ADD ("attention", test_attention);
  ADD ("usage", test_usage);
  ADD ("watch", test_watch);
#undef ADD
  g_test_add ("/cli/sync/sandbox", Fixture, NULL, fixture_set_up, test_sandbox,
              fixture_tear_down);

  return g_test_run ();
}
