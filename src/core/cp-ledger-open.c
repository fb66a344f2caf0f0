/* cp-ledger-open.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Checking, migrating and opening the ledger file. A file we cannot vouch
 * for (not SQLite, another program's database, a newer schema, damaged)
 * is refused before anything is written to it: the shop's books are worth
 * more than our convenience.
 */

#define G_LOG_DOMAIN "cp-ledger"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cp-ledger-private.h"
#include "cp-ledger-schema.h"
#include "cp-money.h"
#include "cp-sql.h"

/* PRAGMA application_id for Counterpart ledgers: "CPLG". */
#define CP_LEDGER_APPLICATION_ID 0x43504c47

/* PRAGMA quick_check reads every page (about 6 ms per MiB here): above
 * this size it would slow every window and CLI start. Damage is still
 * caught by SQLite on the pages it reads. */
#define QUICK_CHECK_MAX_BYTES (8 * 1024 * 1024)

#define BUSY_TIMEOUT_MS 5000

/* Paths */

char *
cp_ledger_default_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "counterpart", NULL);
}

char *
cp_ledger_path_for_data_dir (const char *data_dir)
{
  g_autofree char *fallback = NULL;

  if (data_dir == NULL)
    data_dir = fallback = cp_ledger_default_data_dir ();

  return g_build_filename (data_dir, "ledger.sqlite3", NULL);
}

/* Opening */

static gboolean
is_read_only_errno (int saved_errno)
{
  return saved_errno == EACCES || saved_errno == EPERM || saved_errno == EROFS;
}

/* Reads the SQLite header without opening the file for writing, so a
 * file that is not ours is never touched. Through SQLite, not fopen():
 * closing any descriptor of the file drops every POSIX lock this process
 * holds on it, so when the process already has a connection open (the
 * window and its workers, the CLI and its sync engine) another process
 * would then find no lock, take the WAL for abandoned, checkpoint and
 * delete it under the live connection, whose later commits are lost.
 * SQLite keeps such descriptors open until its last connection goes. */
static gboolean
check_sqlite_header (const char  *path,
                     GError     **error)
{
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "PRAGMA schema_version", NULL, NULL, NULL);
  sqlite3_close (db);

  if (rc == SQLITE_NOTADB)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CORRUPT,
                   _("%s is not a Counterpart ledger, so it was left untouched. Move it away "
                     "or choose another data folder."),
                   path);
      return FALSE;
    }

  /* Anything else (busy, unreadable) is for the real open to report. */
  return TRUE;
}

static gboolean
check_writable (const char  *path,
                const char  *dir,
                gboolean     exists,
                GError     **error)
{
  /* WAL keeps -wal and -shm files beside the ledger, so the folder must
   * be writable too, not just the file. */
  if ((exists && access (path, W_OK) != 0 && is_read_only_errno (errno)) ||
      (access (dir, W_OK) != 0 && is_read_only_errno (errno)))
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_READ_ONLY,
                   _("The ledger %s is read-only. Check that you may write to the file and "
                     "to its folder, or choose another data folder."),
                   path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
query_int (CpLedger     *self,
           const char   *sql,
           gint64       *out_value,
           GError      **error)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      cp_ledger_set_error_from_sqlite (self, error, _("Could not open the ledger"));
      return FALSE;
    }

  *out_value = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

static gboolean
quick_check (CpLedger  *self,
             GError   **error)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  const char *result;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA quick_check (1)", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      cp_ledger_set_error_from_sqlite (self, error, _("Could not open the ledger"));
      return FALSE;
    }

  result = (const char *) sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (result, "ok") != 0)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CORRUPT,
                   _("The ledger %s is damaged (%s), so it was left untouched. Restore it from "
                     "a backup."),
                   self->path, result);
      return FALSE;
    }

  return TRUE;
}

/* Everything that only reads: is this a ledger we may write? */
static gboolean
check_existing (CpLedger  *self,
                gboolean   has_content,
                goffset    size,
                GError   **error)
{
  gint64 version = 0;
  gint64 application_id = 0;
  gint64 n_objects = 0;
  gboolean ok;

  /* One read transaction, so the three answers describe the same moment:
   * read one by one, another process creating this ledger could commit
   * its first migration between them, and a half-seen Counterpart ledger
   * (tables but version 0) looks exactly like someone else's database. */
  if (!cp_sql_exec (self, "BEGIN", _("Could not read the ledger"), error))
    return FALSE;

  ok = query_int (self, "PRAGMA user_version", &version, error) &&
       query_int (self, "PRAGMA application_id", &application_id, error) &&
       query_int (self, "SELECT count (*) FROM sqlite_master", &n_objects, error);

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);

  if (!ok)
    return FALSE;

  if (version > CP_LEDGER_SCHEMA_VERSION)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_TOO_NEW,
                   _("The ledger %s was written by a newer version of Counterpart (schema %d; "
                     "this version knows up to %d). Update Counterpart to open it; the file "
                     "was left untouched."),
                   self->path, (int) version, CP_LEDGER_SCHEMA_VERSION);
      return FALSE;
    }

  if (application_id != 0 && application_id != CP_LEDGER_APPLICATION_ID)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CORRUPT,
                   _("%s is another program's database, not a Counterpart ledger, so it was "
                     "left untouched. Choose another data folder."),
                   self->path);
      return FALSE;
    }

  /* A database with tables but no version is someone else's: adding our
   * tables to it would be a mess nobody asked for. */
  if (version == 0 && has_content && n_objects > 0)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CORRUPT,
                   _("%s is another program's database, not a Counterpart ledger, so it "
                     "was left untouched. Choose another data folder."),
                   self->path);
      return FALSE;
    }

  self->schema_version = (int) version;

  if (has_content && size <= QUICK_CHECK_MAX_BYTES && !quick_check (self, error))
    return FALSE;

  return TRUE;
}

/* Applies one step. The version is read again under the write lock:
 * the window and the CLI may both be creating the same new ledger, and
 * the second must not run a step the first has already applied. */
static gboolean
migrate_step (CpLedger  *self,
              gboolean  *out_done,
              GError   **error)
{
  g_autofree char *set_version = NULL;
  gint64 version = 0;

  *out_done = FALSE;

  if (!cp_sql_exec (self, "BEGIN IMMEDIATE", _("Could not update the ledger"), error))
    return FALSE;

  if (!query_int (self, "PRAGMA user_version", &version, error))
    goto failed;

  if (version > CP_LEDGER_SCHEMA_VERSION)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_TOO_NEW,
                   _("The ledger %s was written by a newer version of Counterpart (schema %d; "
                     "this version knows up to %d). Update Counterpart to open it; the file "
                     "was left untouched."),
                   self->path, (int) version, CP_LEDGER_SCHEMA_VERSION);
      goto failed;
    }

  if (version >= (gint64) cp_ledger_n_migrations)
    {
      *out_done = TRUE;
      self->schema_version = (int) version;
      return cp_sql_exec (self, "COMMIT", _("Could not update the ledger"), error);
    }

  set_version = g_strdup_printf ("PRAGMA user_version = %d", (int) version + 1);

  if (!cp_sql_exec (self, cp_ledger_migrations[version], _("Could not update the ledger"), error) ||
      (version == 0 && !cp_sql_exec (self, "PRAGMA application_id = "
                                     G_STRINGIFY (CP_LEDGER_APPLICATION_ID),
                                     _("Could not update the ledger"), error)) ||
      !cp_sql_exec (self, set_version, _("Could not update the ledger"), error) ||
      !cp_sql_exec (self, "COMMIT", _("Could not update the ledger"), error))
    goto failed;

  self->schema_version = (int) version + 1;
  g_debug ("Migrated %s to schema %d", self->path, self->schema_version);
  return TRUE;

failed:
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Each step in its own transaction: a failure leaves the ledger at the
 * last complete version, which this or a later build can continue. */
static gboolean
migrate (CpLedger  *self,
         GError   **error)
{
  gboolean done = self->schema_version >= (int) cp_ledger_n_migrations;

  while (!done)
    {
      if (!migrate_step (self, &done, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
configure (CpLedger  *self,
           GError   **error)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  const char *mode;
  gint64 deadline = g_get_monotonic_time () + BUSY_TIMEOUT_MS * G_GINT64_CONSTANT (1000);
  int rc;

  /* journal_mode=WAL writes to the file (once), so it comes after every
   * read-only check. While another process is switching the same new
   * file to WAL, SQLite answers SQLITE_BUSY at once without calling the
   * busy handler (it would deadlock otherwise), so wait here instead: the
   * window and the CLI may well create the same ledger at once. */
  if (sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL) != SQLITE_OK)
    {
      cp_ledger_set_error_from_sqlite (self, error, _("Could not open the ledger"));
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_BUSY && g_get_monotonic_time () < deadline)
    {
      sqlite3_reset (stmt);
      g_usleep (10 * 1000);
    }

  if (rc != SQLITE_ROW)
    {
      cp_ledger_set_error_from_sqlite (self, error, _("Could not open the ledger"));
      return FALSE;
    }

  mode = (const char *) sqlite3_column_text (stmt, 0);
  if (g_ascii_strcasecmp (mode, "wal") != 0)
    g_warning ("The ledger %s stays in journal mode %s", self->path, mode);

  /* temp_store in memory keeps the savepoint journals of nested
   * transactions (one per imported row) off the disk; a larger page cache
   * (64 MiB at most, allocated only as pages are used) keeps a big import
   * from spilling into the WAL before its commit and keeps the hot index
   * pages of a large ledger (orders by time, lines by variant, the search
   * index) in memory while sales are recorded. Recording a sale dirties
   * a few pages at random in the indexes by variant (lines, stock
   * journal), and each batch appends them to the WAL again: checkpointing
   * every 4,096 pages (16 MiB) instead of SQLite's 1,000 writes each page
   * back and syncs the file less often (a quarter less wall time for a
   * batch import, measured). */
  return cp_sql_exec (self,
                      "PRAGMA foreign_keys = ON;"
                      "PRAGMA synchronous = NORMAL;"
                      "PRAGMA temp_store = MEMORY;"
                      "PRAGMA cache_size = -65536;"
                      "PRAGMA wal_autocheckpoint = 4096;",
                      _("Could not open the ledger"), error);
}

CpLedger *
cp_ledger_open (const char  *path,
                GError     **error)
{
  g_autoptr(CpLedger) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *currency = NULL;
  GStatBuf st;
  gboolean exists;
  gboolean has_content = FALSE;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CP_LEDGER_ERROR,
                   is_read_only_errno (saved_errno) ? CP_LEDGER_ERROR_READ_ONLY : CP_LEDGER_ERROR_OPEN,
                   _("Could not create the folder %s for the ledger: %s. Check that you may "
                     "write there, or choose another data folder."),
                   dir, g_strerror (saved_errno));
      return NULL;
    }

  exists = g_stat (path, &st) == 0;
  if (exists)
    {
      if (!S_ISREG (st.st_mode))
        {
          g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_OPEN,
                       _("%s is not a file, so it cannot be a Counterpart ledger. Choose another "
                         "data folder."),
                       path);
          return NULL;
        }

      has_content = st.st_size > 0;
      if (has_content && !check_sqlite_header (path, error))
        return NULL;
    }

  if (!check_writable (path, dir, exists, error))
    return NULL;

  self = g_object_new (CP_TYPE_LEDGER, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      if (self->db != NULL)
        cp_ledger_set_error_from_sqlite (self, error, _("Could not open the ledger"));
      else
        cp_ledger_set_error_from_code (error, rc, sqlite3_errstr (rc), path, _("Could not open the ledger"));
      return NULL;
    }

  /* SQLite quietly falls back to read-only when it may not write the
   * file; a ledger that cannot record a sale must say so now. */
  if (sqlite3_db_readonly (self->db, "main") == 1)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_READ_ONLY,
                   _("The ledger %s is read-only. Check that you may write to the file and "
                     "to its folder, or choose another data folder."),
                   path);
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  if (!check_existing (self, has_content, exists ? st.st_size : 0, error) ||
      !configure (self, error) ||
      !migrate (self, error))
    return NULL;

  currency = cp_ledger_get_setting (self, "currency");
  self->currency = cp_currency_is_valid (currency) ? g_steal_pointer (&currency) : g_strdup ("USD");

  return g_steal_pointer (&self);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  CpLedger *ledger;

  if (g_task_return_error_if_cancelled (task))
    return;

  ledger = cp_ledger_open (task_data, &error);
  if (ledger == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ledger, g_object_unref);
}

void
cp_ledger_open_async (const char          *path,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_ledger_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_thread);
}

CpLedger *
cp_ledger_open_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cp_ledger_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
