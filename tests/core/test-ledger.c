/* test-ledger.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening, refusing and migrating real ledger files in a temporary
 * directory; transactions, settings and change notification.
 */

#define G_LOG_DOMAIN "test-ledger"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/fs.h>
#include <string.h>
#include <glib/gstdio.h>

#include "cp-ledger.h"

typedef struct
{
  char *dir;
  char *path;
  /* Files made immutable by a test, made mutable again in teardown. */
  GPtrArray *immutable;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("test-ledger-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "shop", "ledger.sqlite3", NULL);
  fixture->immutable = g_ptr_array_new_with_free_func (g_free);
}

static gboolean
set_immutable (const char *path,
               gboolean    immutable)
{
  int fd = open (path, O_RDONLY | O_NONBLOCK);
  int flags = 0;
  gboolean ok;

  if (fd < 0)
    return FALSE;

  ok = ioctl (fd, FS_IOC_GETFLAGS, &flags) == 0;
  if (ok)
    {
      if (immutable)
        flags |= FS_IMMUTABLE_FL;
      else
        flags &= ~FS_IMMUTABLE_FL;
      ok = ioctl (fd, FS_IOC_SETFLAGS, &flags) == 0;
    }

  close (fd);
  return ok;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL &&
         g_file_enumerator_iterate (children, &info, NULL, NULL, NULL) && info != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }

  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  for (guint i = 0; i < fixture->immutable->len; i++)
    set_immutable (g_ptr_array_index (fixture->immutable, i), FALSE);
  g_ptr_array_unref (fixture->immutable);

  g_chmod (fixture->dir, 0700);
  remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static void
assert_untouched (const char *path,
                  GBytes     *before)
{
  g_autoptr(GBytes) after = read_bytes (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  g_assert_true (g_bytes_equal (before, after));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
}

static CpLedger *
open_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  CpLedger *ledger = cp_ledger_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ledger);
  return ledger;
}

static void
test_create (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CpLedger) ledger = open_ok (fixture->path);
  sqlite3 *db = cp_ledger_get_db (ledger);
  g_autofree char *mode = query_text (db, "PRAGMA journal_mode");
  static const char * const tables[] = {
    "settings", "locations", "products", "variants", "stock_levels", "stock_movements",
    "customers", "customer_consents", "orders", "order_lines", "order_taxes",
    "order_discounts", "payments", "refunds", "cash_sessions", "variants_fts", "orders_fts",
  };

  /* The parent folder did not exist: open creates it. */
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (cp_ledger_get_path (ledger), ==, fixture->path);
  g_assert_cmpint (cp_ledger_get_schema_version (ledger), ==, CP_LEDGER_SCHEMA_VERSION);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, CP_LEDGER_SCHEMA_VERSION);
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (query_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (db, "PRAGMA synchronous"), ==, 1 /* NORMAL */);

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      sqlite3_stmt *stmt = NULL;

      sqlite3_prepare_v2 (db, "SELECT count (*) FROM sqlite_master WHERE name = ?1", -1, &stmt, NULL);
      sqlite3_bind_text (stmt, 1, tables[i], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
      sqlite3_finalize (stmt);
    }

  /* Foreign keys are enforced. */
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO variants (product_id, sku, price_minor, currency, "
                                 "created_at, updated_at) VALUES (999, 'X', 1, 'USD', 0, 0)",
                                 NULL, NULL, NULL), ==, SQLITE_CONSTRAINT_FOREIGNKEY);
  g_assert_cmpstr (cp_ledger_get_currency (ledger), ==, "USD");
}

static void
test_reopen (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLedger) ledger = open_ok (fixture->path);
  g_autofree char *value = NULL;
  gint64 n_objects;

  g_assert_true (cp_ledger_set_setting (ledger, "shop_name", "Corner Shop", &error));
  g_assert_no_error (error);
  g_assert_true (cp_ledger_set_currency (ledger, "EUR", &error));
  g_assert_no_error (error);
  n_objects = query_int (cp_ledger_get_db (ledger), "SELECT count (*) FROM sqlite_master");
  g_clear_object (&ledger);

  /* Twice, to be sure reopening changes nothing. */
  for (guint i = 0; i < 2; i++)
    {
      ledger = open_ok (fixture->path);
      g_assert_cmpint (cp_ledger_get_schema_version (ledger), ==, CP_LEDGER_SCHEMA_VERSION);
      g_assert_cmpint (query_int (cp_ledger_get_db (ledger), "SELECT count (*) FROM sqlite_master"),
                       ==, n_objects);
      g_clear_pointer (&value, g_free);
      value = cp_ledger_get_setting (ledger, "shop_name");
      g_assert_cmpstr (value, ==, "Corner Shop");
      g_assert_cmpstr (cp_ledger_get_currency (ledger), ==, "EUR");
      g_clear_object (&ledger);
    }
}

static void
test_too_new (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLedger) ledger = open_ok (fixture->path);
  g_autoptr(GBytes) before = NULL;
  CpLedger *refused;
  sqlite3 *db = NULL;

  g_clear_object (&ledger);

  /* A newer Counterpart bumped the version; it also left WAL mode on. */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  before = read_bytes (fixture->path);
  refused = cp_ledger_open (fixture->path, &error);
  g_assert_null (refused);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version of Counterpart"));
  g_assert_nonnull (strstr (error->message, "Update Counterpart"));
  g_assert_nonnull (strstr (error->message, "untouched"));
  g_test_message ("%s", error->message);

  /* Reading it needed the WAL index; what matters is the database file
   * itself, byte for byte. */
  g_assert_true (g_bytes_equal (before, read_bytes (fixture->path)));
}

/* An empty file (touched by a script, or left by a crash before the
 * first write) is a new ledger, not a damaged one. */
static void
test_empty_file (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (fixture->path, "", 0, &error);
  g_assert_no_error (error);

  ledger = open_ok (fixture->path);
  g_assert_cmpint (cp_ledger_get_schema_version (ledger), ==, CP_LEDGER_SCHEMA_VERSION);
}

static void
test_garbage (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  char garbage[8192];
  CpLedger *refused;

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (char) (i * 7 + 3);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (fixture->path, garbage, sizeof garbage, &error);
  g_assert_no_error (error);
  before = read_bytes (fixture->path);

  refused = cp_ledger_open (fixture->path, &error);
  g_assert_null (refused);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "not a Counterpart ledger"));
  g_assert_nonnull (strstr (error->message, "left untouched"));
  assert_untouched (fixture->path, before);

  /* A short file (a few bytes of text) is no ledger either. */
  g_clear_error (&error);
  g_file_set_contents (fixture->path, "hello", 5, &error);
  g_assert_no_error (error);
  g_clear_pointer (&before, g_bytes_unref);
  before = read_bytes (fixture->path);
  refused = cp_ledger_open (fixture->path, &error);
  g_assert_null (refused);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CORRUPT);
  assert_untouched (fixture->path, before);
}

static void
test_foreign_database (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  sqlite3 *db = NULL;
  CpLedger *refused;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE recipes (name TEXT);"
                                 "INSERT INTO recipes VALUES ('soup')", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = read_bytes (fixture->path);

  refused = cp_ledger_open (fixture->path, &error);
  g_assert_null (refused);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "not a Counterpart ledger"));
  assert_untouched (fixture->path, before);
}

static void
test_damaged (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLedger) ledger = open_ok (fixture->path);
  g_autoptr(GBytes) before = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  CpLedger *refused;

  g_clear_object (&ledger);

  /* Keep the header, scribble over the schema on page 1. */
  g_file_get_contents (fixture->path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 4096);
  for (gsize i = 100; i < 4096; i++)
    contents[i] = (char) 0xA5;
  g_file_set_contents (fixture->path, contents, length, &error);
  g_assert_no_error (error);
  before = read_bytes (fixture->path);

  refused = cp_ledger_open (fixture->path, &error);
  g_assert_null (refused);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_assert_true (g_bytes_equal (before, read_bytes (fixture->path)));
}

static void
test_read_only (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  CpLedger *refused;

  /* sysfs refuses new folders even to root. */
  refused = cp_ledger_open ("/sys/counterpart-test/ledger.sqlite3", &error);
  g_assert_null (refused);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "/sys/counterpart-test"));
  g_clear_error (&error);

  /* A folder path through a regular file cannot be created at all. */
  {
    g_autofree char *file = g_build_filename (fixture->dir, "plain-file", NULL);
    g_autofree char *through = g_build_filename (file, "ledger.sqlite3", NULL);

    g_file_set_contents (file, "x", 1, &error);
    g_assert_no_error (error);
    refused = cp_ledger_open (through, &error);
    g_assert_null (refused);
    g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_OPEN);
    g_clear_error (&error);
  }

  /* An existing ledger that may not be written. Root ignores chmod, so
   * as root make the file immutable instead, which binds root too. */
  ledger = open_ok (fixture->path);
  g_clear_object (&ledger);

  if (geteuid () != 0)
    {
      g_assert_cmpint (g_chmod (fixture->path, 0444), ==, 0);
    }
  else if (set_immutable (fixture->path, TRUE))
    {
      g_ptr_array_add (fixture->immutable, g_strdup (fixture->path));
    }
  else
    {
      g_test_skip ("Running as root on a file system without the immutable flag: "
                   "cannot make an existing ledger read-only");
      return;
    }

  refused = cp_ledger_open (fixture->path, &error);
  g_assert_null (refused);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_clear_error (&error);

  /* The folder read-only (WAL needs to create files beside the ledger). */
  if (geteuid () != 0)
    {
      g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);
      g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
    }
  else
    {
      set_immutable (fixture->path, FALSE);
      g_assert_true (set_immutable (dir, TRUE));
      g_ptr_array_add (fixture->immutable, g_strdup (dir));
    }

  refused = cp_ledger_open (fixture->path, &error);
  g_assert_null (refused);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_READ_ONLY);
  g_chmod (dir, 0700);
}

static void
test_locked (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLedger) ledger = open_ok (fixture->path);
  g_autofree char *value = NULL;
  sqlite3 *other = NULL;
  gint64 start;

  g_assert_cmpint (sqlite3_open (fixture->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  /* Keep the test fast: 100 ms instead of the 5 s of production. */
  sqlite3_busy_timeout (cp_ledger_get_db (ledger), 100);

  start = g_get_monotonic_time ();
  g_assert_false (cp_ledger_set_setting (ledger, "shop_name", "Blocked", &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "another program is using the ledger"));
  /* It did wait for the busy timeout before giving up. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 90 * 1000);
  g_clear_error (&error);

  g_assert_false (cp_ledger_begin (ledger, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_LOCKED);
  g_assert_false (cp_ledger_in_transaction (ledger));
  g_clear_error (&error);

  /* Reading still works while another program writes (WAL). */
  value = cp_ledger_get_setting (ledger, "shop_name");
  g_assert_null (value);

  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);

  g_assert_true (cp_ledger_set_setting (ledger, "shop_name", "Free again", &error));
  g_assert_no_error (error);
}

/* SQLite's own refusal to write, whatever its cause, reaches the caller
 * as READ_ONLY. query_only is how to provoke it on a writable file. */
static void
test_read_only_write (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLedger) ledger = open_ok (fixture->path);

  g_assert_cmpint (sqlite3_exec (cp_ledger_get_db (ledger), "PRAGMA query_only = ON",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_false (cp_ledger_set_setting (ledger, "shop_name", "Nope", &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "read-only"));
}

static void
test_full (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLedger) ledger = open_ok (fixture->path);
  g_autofree char *big = g_strnfill (64 * 1024, 'x');
  g_autofree char *value = NULL;
  sqlite3 *db = cp_ledger_get_db (ledger);
  g_autofree char *limit = NULL;

  /* A page budget is how SQLite reports a full disk without filling one. */
  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT,
                           query_int (db, "PRAGMA page_count"));
  g_assert_cmpint (sqlite3_exec (db, limit, NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_false (cp_ledger_set_setting (ledger, "big", big, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, "full"));

  value = cp_ledger_get_setting (ledger, "big");
  g_assert_null (value);
}

typedef struct
{
  GPtrArray *tables;
} ChangeLog;

static void
changed_cb (CpLedger   *ledger,
            const char *table,
            ChangeLog  *log)
{
  g_ptr_array_add (log->tables, g_strdup (table));
}

static void
test_transactions (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLedger) ledger = open_ok (fixture->path);
  ChangeLog all = { g_ptr_array_new_with_free_func (g_free) };
  ChangeLog only_stock = { g_ptr_array_new_with_free_func (g_free) };
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  g_signal_connect (ledger, "changed", G_CALLBACK (changed_cb), &all);
  g_signal_connect (ledger, "changed::stock", G_CALLBACK (changed_cb), &only_stock);

  /* Outside a transaction: announced at once, filtered by detail. */
  cp_ledger_emit_changed (ledger, "stock");
  cp_ledger_emit_changed (ledger, "orders");
  g_assert_cmpuint (all.tables->len, ==, 2);
  g_assert_cmpuint (only_stock.tables->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (only_stock.tables, 0), ==, "stock");
  g_ptr_array_set_size (all.tables, 0);
  g_ptr_array_set_size (only_stock.tables, 0);

  g_assert_true (cp_ledger_begin (ledger, &error));
  g_assert_true (cp_ledger_set_setting (ledger, "a", "1", &error));
  cp_ledger_emit_changed (ledger, "stock");

  /* An inner level that fails undoes only itself. */
  g_assert_true (cp_ledger_begin (ledger, &error));
  g_assert_true (cp_ledger_set_setting (ledger, "b", "2", &error));
  cp_ledger_rollback (ledger);
  g_assert_true (cp_ledger_in_transaction (ledger));

  /* An inner level that succeeds is kept by the outer commit. */
  g_assert_true (cp_ledger_begin (ledger, &error));
  g_assert_true (cp_ledger_set_setting (ledger, "c", "3", &error));
  g_assert_true (cp_ledger_commit (ledger, &error));
  g_assert_no_error (error);

  /* Nothing announced before the outermost commit. */
  g_assert_cmpuint (all.tables->len, ==, 0);
  g_assert_true (cp_ledger_commit (ledger, &error));
  g_assert_no_error (error);
  g_assert_false (cp_ledger_in_transaction (ledger));

  /* settings and stock, each once. */
  g_assert_cmpuint (all.tables->len, ==, 2);
  g_assert_cmpuint (only_stock.tables->len, ==, 1);

  a = cp_ledger_get_setting (ledger, "a");
  b = cp_ledger_get_setting (ledger, "b");
  c = cp_ledger_get_setting (ledger, "c");
  g_assert_cmpstr (a, ==, "1");
  g_assert_null (b);
  g_assert_cmpstr (c, ==, "3");

  /* A rolled back transaction keeps nothing and announces nothing. */
  g_ptr_array_set_size (all.tables, 0);
  g_assert_true (cp_ledger_begin (ledger, &error));
  g_assert_true (cp_ledger_set_setting (ledger, "a", "changed", &error));
  cp_ledger_emit_changed (ledger, "stock");
  cp_ledger_rollback (ledger);
  g_assert_cmpuint (all.tables->len, ==, 0);
  g_clear_pointer (&a, g_free);
  a = cp_ledger_get_setting (ledger, "a");
  g_assert_cmpstr (a, ==, "1");

  /* Deleting a setting. */
  g_assert_true (cp_ledger_set_setting (ledger, "a", NULL, &error));
  g_clear_pointer (&a, g_free);
  a = cp_ledger_get_setting (ledger, "a");
  g_assert_null (a);

  g_signal_handlers_disconnect_by_data (ledger, &all);
  g_signal_handlers_disconnect_by_data (ledger, &only_stock);
  g_ptr_array_unref (all.tables);
  g_ptr_array_unref (only_stock.tables);
}

static void
assert_setting (CpLedger   *ledger,
                const char *name,
                const char *expected)
{
  g_autofree char *value = cp_ledger_get_setting (ledger, name);

  g_assert_cmpstr (value, ==, expected);
}

/* cp_ledger_join(): a level without a SAVEPOINT of its own. */
static void
test_join (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLedger) ledger = open_ok (fixture->path);
  sqlite3_stmt *in_savepoint;

  /* Outside a transaction it begins one. */
  g_assert_true (cp_ledger_join (ledger, &error));
  g_assert_true (cp_ledger_in_transaction (ledger));
  g_assert_true (cp_ledger_set_setting (ledger, "a", "1", &error));
  g_assert_true (cp_ledger_commit (ledger, &error));
  g_assert_no_error (error);
  g_assert_false (cp_ledger_in_transaction (ledger));
  assert_setting (ledger, "a", "1");

  /* Inside one, it opens no SAVEPOINT (a RELEASE of one would fail)
   * and what it wrote is kept by the outer commit. */
  g_assert_true (cp_ledger_begin (ledger, &error));
  g_assert_true (cp_ledger_join (ledger, &error));
  g_assert_true (cp_ledger_set_setting (ledger, "b", "2", &error));
  in_savepoint = cp_ledger_prepare (ledger, "RELEASE cp_nested", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (in_savepoint), ==, SQLITE_ERROR);
  sqlite3_finalize (in_savepoint);
  g_assert_true (cp_ledger_commit (ledger, &error));
  g_assert_true (cp_ledger_in_transaction (ledger));
  g_assert_true (cp_ledger_commit (ledger, &error));
  g_assert_no_error (error);
  assert_setting (ledger, "b", "2");

  /* A joined level rolled back cancels the level it joined: here a
   * SAVEPOINT, which can then only be rolled back (its commit fails and
   * undoes it); the transaction around it goes on. */
  g_assert_true (cp_ledger_begin (ledger, &error));
  g_assert_true (cp_ledger_set_setting (ledger, "c", "3", &error));
  g_assert_true (cp_ledger_begin (ledger, &error));
  g_assert_true (cp_ledger_set_setting (ledger, "d", "4", &error));
  g_assert_true (cp_ledger_join (ledger, &error));
  g_assert_true (cp_ledger_set_setting (ledger, "e", "5", &error));
  cp_ledger_rollback (ledger);
  /* Nothing more may start in the cancelled level. */
  g_assert_false (cp_ledger_begin (ledger, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_ledger_join (ledger, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_ledger_commit (ledger, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (cp_ledger_in_transaction (ledger));
  g_assert_true (cp_ledger_set_setting (ledger, "f", "6", &error));
  g_assert_true (cp_ledger_commit (ledger, &error));
  g_assert_no_error (error);
  assert_setting (ledger, "c", "3");
  assert_setting (ledger, "d", NULL);
  assert_setting (ledger, "e", NULL);
  assert_setting (ledger, "f", "6");

  /* Joined into the outermost level, a rollback cancels the whole
   * transaction: its commit fails and nothing is kept. */
  g_assert_true (cp_ledger_begin (ledger, &error));
  g_assert_true (cp_ledger_set_setting (ledger, "g", "7", &error));
  g_assert_true (cp_ledger_join (ledger, &error));
  g_assert_true (cp_ledger_join (ledger, &error));
  g_assert_true (cp_ledger_set_setting (ledger, "h", "8", &error));
  cp_ledger_rollback (ledger);
  /* The cancellation goes up through the level it joined. */
  g_assert_false (cp_ledger_commit (ledger, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (cp_ledger_in_transaction (ledger));
  g_assert_false (cp_ledger_commit (ledger, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_ledger_in_transaction (ledger));
  assert_setting (ledger, "g", NULL);
  assert_setting (ledger, "h", NULL);

  /* And the next transaction starts clean. */
  g_assert_true (cp_ledger_begin (ledger, &error));
  g_assert_true (cp_ledger_join (ledger, &error));
  g_assert_true (cp_ledger_set_setting (ledger, "i", "9", &error));
  g_assert_true (cp_ledger_commit (ledger, &error));
  g_assert_true (cp_ledger_commit (ledger, &error));
  g_assert_no_error (error);
  assert_setting (ledger, "i", "9");
}

static void
test_data_version (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLedger) window = open_ok (fixture->path);
  g_autoptr(CpLedger) cli = open_ok (fixture->path);
  gint64 before = cp_ledger_data_version (window);

  /* Own commits do not change it; another connection's do. */
  g_assert_true (cp_ledger_set_setting (window, "x", "1", &error));
  g_assert_cmpint (cp_ledger_data_version (window), ==, before);

  g_assert_true (cp_ledger_set_setting (cli, "x", "2", &error));
  g_assert_no_error (error);
  g_assert_cmpint (cp_ledger_data_version (window), !=, before);
}

static void
test_currency (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLedger) ledger = open_ok (fixture->path);
  g_autofree char *stored = NULL;

  g_assert_cmpstr (cp_ledger_get_currency (ledger), ==, "USD");
  g_assert_false (cp_ledger_set_currency (ledger, "euro", &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_assert_cmpstr (cp_ledger_get_currency (ledger), ==, "USD");
  g_clear_error (&error);

  g_assert_true (cp_ledger_set_currency (ledger, "JPY", &error));
  g_assert_cmpstr (cp_ledger_get_currency (ledger), ==, "JPY");
  stored = cp_ledger_get_setting (ledger, "currency");
  g_assert_cmpstr (stored, ==, "JPY");
}

static void
open_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  CpLedger **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = cp_ledger_open_finish (result, &error);
  g_assert_no_error (error);
}

static void
refused_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **out = user_data;
  CpLedger *ledger = cp_ledger_open_finish (result, out);

  g_assert_null (ledger);
  g_assert_nonnull (*out);
}

static void
test_open_async (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *garbage = g_build_filename (fixture->dir, "garbage.sqlite3", NULL);
  CpLedger *ledger = NULL;
  GError *error = NULL;

  cp_ledger_open_async (fixture->path, NULL, open_cb, &ledger);
  while (ledger == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (cp_ledger_get_schema_version (ledger), ==, CP_LEDGER_SCHEMA_VERSION);
  g_object_unref (ledger);

  g_file_set_contents (garbage, "this is not a database, but it is long enough", -1, NULL);
  cp_ledger_open_async (garbage, NULL, refused_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CORRUPT);
  g_error_free (error);
}

typedef struct
{
  const char *path;
  GMutex      mutex;
  GCond       cond;
  gboolean    go;
} Race;

static gpointer
race_thread (gpointer data)
{
  Race *race = data;
  GError *error = NULL;
  CpLedger *ledger;

  g_mutex_lock (&race->mutex);
  while (!race->go)
    g_cond_wait (&race->cond, &race->mutex);
  g_mutex_unlock (&race->mutex);

  ledger = cp_ledger_open (race->path, &error);
  if (ledger != NULL)
    g_object_unref (ledger);

  return error;
}

/* The window and the CLI creating the same new ledger at once: each
 * migration step runs once, and everyone gets a working ledger. */
static void
test_concurrent_create (Fixture       *fixture,
                        gconstpointer  data)
{
  Race race = { fixture->path };
  GThread *threads[4];
  g_autoptr(CpLedger) ledger = NULL;

  g_mutex_init (&race.mutex);
  g_cond_init (&race.cond);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("open", race_thread, &race);

  g_mutex_lock (&race.mutex);
  race.go = TRUE;
  g_cond_broadcast (&race.cond);
  g_mutex_unlock (&race.mutex);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      GError *error = g_thread_join (threads[i]);

      g_assert_no_error (error);
    }

  ledger = open_ok (fixture->path);
  g_assert_cmpint (cp_ledger_get_schema_version (ledger), ==, CP_LEDGER_SCHEMA_VERSION);

  g_mutex_clear (&race.mutex);
  g_cond_clear (&race.cond);
}

static void
test_paths (void)
{
  g_autofree char *dir = cp_ledger_default_data_dir ();
  g_autofree char *expected_dir = g_build_filename (g_get_user_data_dir (), "counterpart", NULL);
  g_autofree char *path = cp_ledger_path_for_data_dir ("/srv/shop");
  g_autofree char *default_path = cp_ledger_path_for_data_dir (NULL);

  g_assert_cmpstr (dir, ==, expected_dir);
  g_assert_cmpstr (path, ==, "/srv/shop/ledger.sqlite3");
  g_assert_true (g_str_has_prefix (default_path, expected_dir));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/ledger/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("create", test_create);
  ADD ("reopen", test_reopen);
  ADD ("too-new", test_too_new);
  ADD ("empty-file", test_empty_file);
  ADD ("garbage", test_garbage);
  ADD ("foreign-database", test_foreign_database);
  ADD ("damaged", test_damaged);
  ADD ("read-only", test_read_only);
  ADD ("read-only-write", test_read_only_write);
  ADD ("locked", test_locked);
  ADD ("full", test_full);
  ADD ("transactions", test_transactions);
  ADD ("join", test_join);
  ADD ("data-version", test_data_version);
  ADD ("currency", test_currency);
  ADD ("open-async", test_open_async);
  ADD ("concurrent-create", test_concurrent_create);
  g_test_add_func ("/ledger/paths", test_paths);

#undef ADD

  return g_test_run ();
}
