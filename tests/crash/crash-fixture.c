/* crash-fixture.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-crash"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cp-credentials.h"
#include "cp-stock.h"

#include "crash-fixture.h"

#define CRASH_MARK "cp-crash-point: killed at "
/* A single run that takes this long is hung, not slow: --max-wait bounds
 * every wait the engine may take. */
#define WATCHDOG_US (G_GINT64_CONSTANT (600) * G_USEC_PER_SEC)

static char *cli_path;

void
crash_fixture_init (int    argc,
                    char **argv)
{
  if (argc > 1 && argv[1][0] != '-')
    cli_path = g_strdup (argv[1]);
  else
    cli_path = g_strdup (g_getenv ("CP_CLI"));

  if (cli_path == NULL)
    g_error ("Give the path of counterpart-cli as the first argument or in $CP_CLI");
}

gboolean
crash_require_keyring (void)
{
  g_autoptr(GError) error = NULL;

  if (cp_credentials_check_sync (NULL, &error))
    return TRUE;

  if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
    g_error ("The Secret Service is missing under the test harness: %s", error->message);

  g_test_skip_printf ("No Secret Service (%s); run under build-aux/test-session.sh",
                      error->message);
  return FALSE;
}

void
crash_run_clear (CrashRun *run)
{
  g_clear_pointer (&run->crash_point, g_free);
  memset (run, 0, sizeof *run);
}

static GSubprocessLauncher *
new_launcher (CrashFixture    *f,
              GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  g_autofree char *xdg = g_build_filename (f->dir, "xdg", NULL);

  /* Neither the developer's data nor a crash setting of the test's own
   * environment may leak into a run. */
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", xdg, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "CP_CRASH_AT");
  g_subprocess_launcher_unsetenv (launcher, "CP_CRASH_RANDOM");
  return launcher;
}

static GPtrArray *
cli_argv (CrashFixture       *f,
          const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup (cli_path));
  g_ptr_array_add (argv, g_strdup ("--data-dir"));
  g_ptr_array_add (argv, g_strdup (f->data_dir));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  return argv;
}

int
crash_cli (CrashFixture       *f,
           const char         *stdin_text,
           const char * const *args)
{
  g_autoptr(GPtrArray) argv = cli_argv (f, args);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) in = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autofree char *command = g_strjoinv (" ", (char **) argv->pdata);
  GError *error = NULL;

  launcher = new_launcher (f, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                              G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  in = g_bytes_new (stdin_text, stdin_text != NULL ? strlen (stdin_text) : 0);
  g_subprocess_communicate (process, in, NULL, &out, &err, &error);
  g_assert_no_error (error);

  g_free (f->out);
  g_free (f->err);
  /* An empty GBytes may have no data at all: never a NULL string. */
  f->out = g_strndup (g_bytes_get_size (out) > 0 ? g_bytes_get_data (out, NULL) : "",
                      g_bytes_get_size (out));
  f->err = g_strndup (g_bytes_get_size (err) > 0 ? g_bytes_get_data (err, NULL) : "",
                      g_bytes_get_size (err));

  if (g_test_verbose ())
    g_printerr ("$ %s\n%s%s", command, f->out, f->err);
  if (!g_subprocess_get_if_exited (process))
    g_error ("“%s” did not exit normally. Its stderr:\n%s", command, f->err);
  return g_subprocess_get_exit_status (process);
}

static void
write_catalog (CrashFixture *f,
               const char   *path)
{
  g_autoptr(GString) csv = g_string_new ("sku,name,price,on_hand:MAIN\n");
  GError *error = NULL;

  for (guint i = 0; i < f->n_skus; i++)
    {
      gint64 stock = cp_sandbox_ecomv2_get_available (f->fake, f->skus[i], "wh_001");
      g_autofree char *status = cp_sandbox_ecomv2_dup_product_status (f->fake, f->skus[i]);

      g_assert_cmpint (stock, >=, 0);
      f->initial[i] = stock;
      f->archived[i] = g_strcmp0 (status, "archived") == 0;
      g_string_append_printf (csv, "%s,Crash test product %u,9.99,%" G_GINT64_FORMAT "\n",
                              f->skus[i], i + 1, stock);
    }
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
}

static char *
json_member (const char *json_text,
             const char *member)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  GError *error = NULL;

  json_parser_load_from_data (parser, json_text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);
  g_assert_true (json_object_has_member (object, member));
  return g_strdup (json_object_get_string_member (object, member));
}

void
crash_fixture_set_up (CrashFixture *f,
                      guint         n_skus,
                      guint32       seed)
{
  g_autoptr(CpSandboxEcomv2) fake = NULL;
  g_autofree char *catalog = NULL;
  g_autofree char *url = NULL;
  g_autofree char *credentials = NULL;
  GError *error = NULL;
  int status;

  memset (f, 0, sizeof *f);
  f->dir = g_dir_make_tmp ("test-crash-XXXXXX", &error);
  g_assert_no_error (error);
  f->data_dir = g_build_filename (f->dir, "data", NULL);
  f->ledger_path = cp_ledger_path_for_data_dir (f->data_dir);
  f->rand = g_rand_new_with_seed (seed);
  f->order_seed = seed * 7919u + 1;
  f->n_skus = n_skus;

  /* The fake lives in this process: it must outlive every client killed. */
  fake = cp_sandbox_ecomv2_new_sized (n_skus, 0);
  cp_sandbox_ecomv2_set_rate_limit (fake, 0, 1);
  f->fake = g_object_ref (fake);
  f->server = cp_sandbox_server_new ();
  cp_sandbox_server_add_platform (f->server, CP_SANDBOX_PLATFORM (fake));
  cp_sandbox_server_start (f->server, 0, &error);
  g_assert_no_error (error);

  f->skus = g_new0 (char *, n_skus + 1);
  f->initial = g_new0 (gint64, n_skus);
  f->archived = g_new0 (gboolean, n_skus);
  for (guint i = 0; i < n_skus; i++)
    f->skus[i] = g_strdup_printf ("EC-%05u", i + 1);

  status = CRASH_CLI (f, "init", "--currency", "USD");
  g_assert_cmpint (status, ==, 0);

  catalog = g_build_filename (f->dir, "catalog.csv", NULL);
  write_catalog (f, catalog);
  status = CRASH_CLI (f, "catalog", "import", catalog);
  if (status != 0)
    g_error ("catalog import: %s", f->err);

  url = cp_sandbox_server_dup_platform_url (f->server, "ecomv2");
  credentials = g_strdup_printf ("{\"api_key\": \"%s\"}", CP_SANDBOX_ECOMV2_DEFAULT_KEY);
  status = crash_cli (f, credentials, (const char *[]) {
                        "--json", "integration", "add", "ecomv2", "--name", "Crash test shop",
                        "--base-url", url, "--credentials-stdin",
                        "--permissions", "orders.pull,inventory.sync", NULL });
  if (status != 0)
    g_error ("integration add exited %d: %s", status, f->err);
  f->integration_id = json_member (f->out, "id");

  /* The fake has three warehouses and the ledger one location: nothing
   * can be mapped automatically. */
  status = CRASH_CLI (f, "integration", "map", f->integration_id, "--location", "MAIN=wh_001");
  if (status != 0)
    g_error ("integration map exited %d: %s", status, f->err);

  f->ledger = cp_ledger_open (f->ledger_path, &error);
  g_assert_no_error (error);
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFileInfo *info;

      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

          remove_tree (child);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

void
crash_fixture_tear_down (CrashFixture *f)
{
  g_autoptr(GFile) dir = NULL;

  if (f->integration_id != NULL)
    {
      /* Its key goes from the keyring with it, so that a thousand runs
       * leave none behind. */
      CRASH_CLI (f, "integration", "remove", f->integration_id);
    }
  g_clear_object (&f->ledger);
  if (f->server != NULL)
    cp_sandbox_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->fake);

  dir = g_file_new_for_path (f->dir);
  remove_tree (dir);

  g_clear_pointer (&f->rand, g_rand_free);
  g_strfreev (f->skus);
  g_free (f->initial);
  g_free (f->archived);
  g_free (f->integration_id);
  g_free (f->dir);
  g_free (f->data_dir);
  g_free (f->ledger_path);
  g_free (f->out);
  g_free (f->err);
  memset (f, 0, sizeof *f);
}

guint
crash_add_stock_changes (CrashFixture *f,
                         guint         n)
{
  guint done = 0;

  for (guint i = 0; i < n; i++)
    {
      const char *sku = f->skus[g_rand_int_range (f->rand, 0, f->n_skus)];
      gint64 delta = g_rand_int_range (f->rand, 1000, 2000);
      g_autoptr(GError) error = NULL;

      /* A run being killed may hold the write lock for a moment; a change
       * the ledger refused is simply not one of the changes to check. */
      if (cp_stock_adjust (f->ledger, sku, "MAIN", delta, CP_STOCK_REASON_RECEIVED,
                           "crash test", NULL, "test-crash", NULL, &error))
        done++;
      else if (!g_error_matches (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_LOCKED))
        g_error ("A stock change failed: %s", error->message);
    }
  f->n_changes += done;
  return done;
}

void
crash_add_orders (CrashFixture *f,
                  guint         n)
{
  cp_sandbox_ecomv2_add_orders (f->fake, n, f->order_seed++);
  f->n_orders += n;
}

static void
on_wait_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static char *
read_file_or_empty (const char *path)
{
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    text = g_strdup ("");
  return text;
}

void
crash_sync (CrashFixture          *f,
            const CrashRunOptions *options,
            CrashRun              *out_run)
{
  g_autofree char *max_wait = g_strdup_printf ("%u", options->max_wait_s ? options->max_wait_s : 30);
  g_autoptr(GPtrArray) argv = cli_argv (f, (const char *[]) {
                                          "sync", "--once", "--integration", f->integration_id,
                                          "--max-wait", max_wait, NULL });
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out_path = g_build_filename (f->dir, "sync.out", NULL);
  g_autofree char *err_path = g_build_filename (f->dir, "sync.err", NULL);
  guint changes_left = options->concurrent_changes;
  guint orders_left = options->concurrent_orders;
  gint64 start, next_write = 0;
  gboolean done = FALSE, kill_sent = FALSE;
  const char *mark;
  GError *error = NULL;

  memset (out_run, 0, sizeof *out_run);
  /* The launcher opens these without truncating them: a shorter stderr
   * would show the last run's crash point. */
  g_unlink (out_path);
  g_unlink (err_path);

  launcher = new_launcher (f, G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdin_file_path (launcher, "/dev/null");
  g_subprocess_launcher_set_stdout_file_path (launcher, out_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  if (options->crash_at != NULL)
    g_subprocess_launcher_setenv (launcher, "CP_CRASH_AT", options->crash_at, TRUE);
  if (options->crash_random != NULL)
    g_subprocess_launcher_setenv (launcher, "CP_CRASH_RANDOM", options->crash_random, TRUE);

  start = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, on_wait_done, &done);

  while (!done)
    {
      gint64 now = g_get_monotonic_time ();

      if (!kill_sent && options->kill_after_us > 0 && now - start >= options->kill_after_us)
        {
          g_subprocess_force_exit (process);  /* SIGKILL */
          kill_sent = TRUE;
        }
      if (!kill_sent && now - start >= WATCHDOG_US)
        {
          g_subprocess_force_exit (process);
          g_error ("sync --once ran for more than %" G_GINT64_FORMAT " s: hung",
                   WATCHDOG_US / G_USEC_PER_SEC);
        }

      /* Work arrives while the run works: a change to a SKU whose push is
       * in flight must still reach the platform. */
      if ((changes_left > 0 || orders_left > 0) && now >= next_write)
        {
          if (changes_left > 0)
            {
              crash_add_stock_changes (f, 1);
              changes_left--;
            }
          if (orders_left > 0)
            {
              crash_add_orders (f, 1);
              orders_left--;
            }
          next_write = now + 2000;
        }

      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (500);
    }
  out_run->elapsed_us = g_get_monotonic_time () - start;

  g_free (f->out);
  g_free (f->err);
  f->out = read_file_or_empty (out_path);
  f->err = read_file_or_empty (err_path);

  out_run->exited = g_subprocess_get_if_exited (process);
  if (out_run->exited)
    out_run->exit_status = g_subprocess_get_exit_status (process);
  else if (g_subprocess_get_if_signaled (process))
    {
      int sig = g_subprocess_get_term_sig (process);

      if (sig == SIGKILL)
        out_run->killed = TRUE;
      else
        out_run->signal = sig;
    }

  mark = strstr (f->err, CRASH_MARK);
  if (mark != NULL)
    out_run->crash_point = g_strndup (mark + strlen (CRASH_MARK),
                                      strcspn (mark + strlen (CRASH_MARK), "\n"));

  if (g_test_verbose ())
    g_printerr ("sync --once%s%s: %s %d after %" G_GINT64_FORMAT " ms%s%s\n",
                options->crash_at ? " CP_CRASH_AT=" : "", options->crash_at ? options->crash_at : "",
                out_run->exited ? "exit" : "signal",
                out_run->exited ? out_run->exit_status : (out_run->killed ? SIGKILL : out_run->signal),
                out_run->elapsed_us / 1000,
                out_run->crash_point ? " at " : "", out_run->crash_point ? out_run->crash_point : "");

  /* Only our SIGKILL may end a run early: any other signal, or a
   * sanitizer's report, is a crash of the engine itself. */
  if (out_run->signal != 0)
    g_error ("sync --once died of signal %d. Its stderr:\n%s", out_run->signal, f->err);
  if (strstr (f->err, "Sanitizer") != NULL)
    g_error ("sync --once: a sanitizer reported a fault:\n%s", f->err);
}

static gint64
query_int (CrashFixture *f,
           const char   *sql,
           const char   *text)
{
  sqlite3 *db = cp_ledger_get_db (f->ledger);
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

void
crash_queue_counts (CrashFixture *f,
                    guint        *out_pending,
                    guint        *out_started,
                    guint        *out_dead)
{
  /* Read straight from the table rather than through the outbox API: the
   * check must not share a bug with what it checks. */
  static const char sql[] =
    "SELECT count(*) FROM outbox_jobs WHERE integration_id = ?1 AND state = ";
  g_autofree char *pending = g_strconcat (sql, "'pending'", NULL);
  g_autofree char *started = g_strconcat (sql, "'started'", NULL);
  g_autofree char *dead = g_strconcat (sql, "'dead'", NULL);

  *out_pending = query_int (f, pending, f->integration_id);
  *out_started = query_int (f, started, f->integration_id);
  *out_dead = query_int (f, dead, f->integration_id);
}

guint
crash_count_failure_events (CrashFixture *f)
{
  return query_int (f, "SELECT count(*) FROM activity WHERE integration_id = ?1"
                       " AND severity IN ('warning', 'error')", f->integration_id);
}

/* The platform's order ids the ledger lacks, as ranges. */
static GString *
missing_orders (CrashFixture *f)
{
  GString *out;
  sqlite3 *db = cp_ledger_get_db (f->ledger);
  g_autoptr(GHashTable) have = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = NULL;
  guint run_start = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT external_id FROM orders WHERE source = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, f->integration_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (have, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  out = g_string_new ("missing");
  for (guint id = 1; id <= f->n_orders + 1; id++)
    {
      g_autofree char *name = g_strdup_printf ("ord_%04u", id);
      gboolean missing = id <= f->n_orders && !g_hash_table_contains (have, name);

      if (missing && run_start == 0)
        run_start = id;
      else if (!missing && run_start != 0)
        {
          g_string_append_printf (out, " ord_%04u–ord_%04u", run_start, id - 1);
          run_start = 0;
        }
    }
  return out;
}

void
crash_assert_converged (CrashFixture *f)
{
  sqlite3 *db = cp_ledger_get_db (f->ledger);
  g_autoptr(GString) wrong = g_string_new (NULL);
  g_auto(GStrv) doubled = NULL;
  sqlite3_stmt *stmt = NULL;
  guint pending, started, dead, n_wrong = 0;
  gint64 n_orders, n_distinct;

  /* The queue is drained: nothing waiting, nothing in flight, nothing
   * given up on. */
  crash_queue_counts (f, &pending, &started, &dead);
  g_assert_cmpuint (pending, ==, 0);
  g_assert_cmpuint (started, ==, 0);
  g_assert_cmpuint (dead, ==, 0);

  /* No lost stock update: the platform shows what the ledger has. */
  for (guint i = 0; i < f->n_skus; i++)
    {
      g_autoptr(CpStockLevel) level = NULL;
      g_autoptr(GError) error = NULL;
      gint64 remote, expected;

      level = cp_stock_get (f->ledger, f->skus[i], "MAIN", &error);
      g_assert_no_error (error);
      remote = cp_sandbox_ecomv2_get_available (f->fake, f->skus[i], "wh_001");
      /* An archived product is the seed's deleted one: nothing may reach
       * it, and its job is done with nothing to send. */
      expected = f->archived[i] ? f->initial[i] : level->available;
      if (remote != expected)
        {
          if (n_wrong++ < 10)
            g_string_append_printf (wrong, "\n  %s%s: ledger %" G_GINT64_FORMAT ", platform %"
                                    G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT, f->skus[i],
                                    f->archived[i] ? " (archived)" : "", level->available,
                                    remote, expected);
        }
    }
  if (n_wrong > 0)
    g_error ("%u of %u SKUs show other stock on the platform than in the ledger:%s",
             n_wrong, f->n_skus, wrong->str);

  /* Each of the platform's orders exactly once: none lost, none twice. */
  n_orders = query_int (f, "SELECT count(*) FROM orders WHERE source = ?1", f->integration_id);
  n_distinct = query_int (f, "SELECT count(DISTINCT external_id) FROM orders WHERE source = ?1",
                          f->integration_id);
  g_assert_cmpint (n_distinct, ==, n_orders);
  g_assert_cmpuint (cp_sandbox_ecomv2_get_n_orders (f->fake), ==, f->n_orders);
  if (n_orders != f->n_orders)
    g_error ("The ledger has %" G_GINT64_FORMAT " of the %u orders placed on the platform "
             "before the last sync --once (%s): a completed sync must have them all",
             n_orders, f->n_orders, missing_orders (f)->str);

  /* No effect applied twice on the platform, however often a request
   * was sent again. */
  doubled = cp_sandbox_server_dup_duplicate_effects (f->server);
  if (doubled[0] != NULL)
    {
      g_autofree char *list = g_strjoinv ("\n  ", doubled);

      g_error ("The platform applied %u effects more than once:\n  %s",
               cp_sandbox_server_get_n_duplicate_effects (f->server), list);
    }

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM pragma_foreign_key_check", NULL), ==, 0);
}
