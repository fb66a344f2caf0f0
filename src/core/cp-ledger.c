/* cp-ledger.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening, checking and migrating the ledger, transactions and settings.
 * A file we cannot vouch for (not SQLite, another program's database, a
 * newer schema) is refused before anything is written to it: the shop's
 * books are worth more than our convenience.
 */

#define G_LOG_DOMAIN "cp-ledger"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cp-ledger.h"
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

struct _CpLedger
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  int         schema_version;
  char       *currency;
  guint       tx_depth;
  gboolean    tx_aborted;
  /* Tables changed inside the open transaction, announced on commit. */
  GPtrArray  *pending_changes;
  GHashTable *stmt_cache;
};

G_DEFINE_FINAL_TYPE (CpLedger, cp_ledger, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (cp-ledger-error-quark, cp_ledger_error)

static void
cp_ledger_finalize (GObject *object)
{
  CpLedger *self = (CpLedger *) object;

  /* Statements must go before the connection. */
  g_clear_pointer (&self->stmt_cache, g_hash_table_unref);
  if (self->db != NULL)
    {
      if (self->tx_depth > 0)
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->pending_changes, g_ptr_array_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->currency, g_free);

  G_OBJECT_CLASS (cp_ledger_parent_class)->finalize (object);
}

static void
cp_ledger_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CpLedger *self = CP_LEDGER (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_ledger_class_init (CpLedgerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cp_ledger_finalize;
  object_class->get_property = cp_ledger_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CpLedger::changed:
   * @table: the table that changed, also the signal's detail
   *
   * Emitted after a commit on this connection changed @table.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
finalize_stmt (gpointer data)
{
  sqlite3_finalize (data);
}

static void
cp_ledger_init (CpLedger *self)
{
  self->pending_changes = g_ptr_array_new ();
  self->stmt_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
}

/* Errors */

static void
set_error_from_code (GError     **error,
                     int          code,
                     const char  *errmsg,
                     const char  *path,
                     const char  *what)
{
  g_autofree char *detail = NULL;
  CpLedgerError domain_code;

  switch (code & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      domain_code = CP_LEDGER_ERROR_LOCKED;
      detail = g_strdup_printf (_("another program is using the ledger %s. Close the other "
                                  "Counterpart window or command, or wait a moment, then try again."),
                                path);
      break;

    case SQLITE_READONLY:
      domain_code = CP_LEDGER_ERROR_READ_ONLY;
      detail = g_strdup_printf (_("the ledger %s is read-only. Check that you may write to the "
                                  "file and to its folder, or choose another data folder."),
                                path);
      break;

    case SQLITE_FULL:
      domain_code = CP_LEDGER_ERROR_FULL;
      detail = g_strdup_printf (_("the disk holding %s is full. Nothing was saved; free some "
                                  "space, then try again."),
                                path);
      break;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      domain_code = CP_LEDGER_ERROR_CORRUPT;
      detail = g_strdup_printf (_("%s is damaged or is not a Counterpart ledger (%s). Restore it "
                                  "from a backup or choose another data folder."),
                                path, errmsg);
      break;

    case SQLITE_CONSTRAINT:
      domain_code = CP_LEDGER_ERROR_CONSTRAINT;
      detail = g_strdup (errmsg);
      break;

    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      domain_code = CP_LEDGER_ERROR_OPEN;
      detail = g_strdup_printf (_("could not open %s (%s). Check that the folder exists and "
                                  "that you may read and write it."),
                                path, errmsg);
      break;

    default:
      domain_code = CP_LEDGER_ERROR_ENGINE;
      detail = g_strdup_printf (_("the database engine failed (%s)"), errmsg);
      break;
    }

  if (what != NULL)
    g_set_error (error, CP_LEDGER_ERROR, domain_code, "%s: %s", what, detail);
  else
    g_set_error_literal (error, CP_LEDGER_ERROR, domain_code, detail);
}

void
cp_ledger_set_error_from_sqlite (CpLedger    *self,
                                 GError     **error,
                                 const char  *what)
{
  g_return_if_fail (CP_IS_LEDGER (self));

  set_error_from_code (error,
                       sqlite3_extended_errcode (self->db),
                       sqlite3_errmsg (self->db),
                       self->path,
                       what);
}

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

/* Reads the 16-byte SQLite header without opening the file for writing,
 * so a file that is not ours is never touched. */
static gboolean
check_sqlite_header (const char  *path,
                     GError     **error)
{
  static const char magic[16] = "SQLite format 3";
  char header[16] = { 0 };
  FILE *file;
  size_t n;

  file = g_fopen (path, "rb");
  if (file == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_OPEN,
                   _("Could not read the ledger %s: %s. Check that you may read it."),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  n = fread (header, 1, sizeof header, file);
  fclose (file);

  if (n != sizeof header || memcmp (header, magic, sizeof magic) != 0)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CORRUPT,
                   _("%s is not a Counterpart ledger, so it was left untouched. Move it away "
                     "or choose another data folder."),
                   path);
      return FALSE;
    }

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

  if (!query_int (self, "PRAGMA user_version", &version, error) ||
      !query_int (self, "PRAGMA application_id", &application_id, error))
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
  if (version == 0 && has_content)
    {
      if (!query_int (self, "SELECT count (*) FROM sqlite_master", &n_objects, error))
        return FALSE;

      if (n_objects > 0)
        {
          g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CORRUPT,
                       _("%s is another program's database, not a Counterpart ledger, so it "
                         "was left untouched. Choose another data folder."),
                       self->path);
          return FALSE;
        }
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

  /* journal_mode=WAL writes to the file (once), so it comes after every
   * read-only check. */
  if (sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      cp_ledger_set_error_from_sqlite (self, error, _("Could not open the ledger"));
      return FALSE;
    }

  mode = (const char *) sqlite3_column_text (stmt, 0);
  if (g_ascii_strcasecmp (mode, "wal") != 0)
    g_warning ("The ledger %s stays in journal mode %s", self->path, mode);

  /* temp_store in memory keeps the savepoint journals of nested
   * transactions (one per imported row) off the disk; a larger page cache
   * keeps a big import from spilling into the WAL before its commit. */
  return cp_sql_exec (self,
                      "PRAGMA foreign_keys = ON;"
                      "PRAGMA synchronous = NORMAL;"
                      "PRAGMA temp_store = MEMORY;"
                      "PRAGMA cache_size = -16384;",
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
        set_error_from_code (error, rc, sqlite3_errstr (rc), path, _("Could not open the ledger"));
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

/* Accessors */

const char *
cp_ledger_get_path (CpLedger *self)
{
  g_return_val_if_fail (CP_IS_LEDGER (self), NULL);

  return self->path;
}

sqlite3 *
cp_ledger_get_db (CpLedger *self)
{
  g_return_val_if_fail (CP_IS_LEDGER (self), NULL);

  return self->db;
}

int
cp_ledger_get_schema_version (CpLedger *self)
{
  g_return_val_if_fail (CP_IS_LEDGER (self), 0);

  return self->schema_version;
}

const char *
cp_ledger_get_currency (CpLedger *self)
{
  g_return_val_if_fail (CP_IS_LEDGER (self), NULL);

  return self->currency;
}

gboolean
cp_ledger_set_currency (CpLedger    *self,
                        const char  *code,
                        GError     **error)
{
  g_return_val_if_fail (CP_IS_LEDGER (self), FALSE);

  if (!cp_currency_is_valid (code))
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("“%s” is not a currency code. Use a three-letter ISO 4217 code such as "
                     "USD, EUR or JPY."),
                   code != NULL ? code : "");
      return FALSE;
    }

  if (!cp_ledger_set_setting (self, "currency", code, error))
    return FALSE;

  g_free (self->currency);
  self->currency = g_strdup (code);
  return TRUE;
}

char *
cp_ledger_get_setting (CpLedger   *self,
                       const char *key)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = cp_ledger_prepare_cached (self, "SELECT value FROM settings WHERE key = ?1", NULL);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return cp_sql_dup_text (stmt, 0);
}

gboolean
cp_ledger_set_setting (CpLedger    *self,
                       const char  *key,
                       const char  *value,
                       GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (value != NULL)
    stmt = cp_ledger_prepare_cached (self,
                                     "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                     error);
  else
    stmt = cp_ledger_prepare_cached (self, "DELETE FROM settings WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);

  if (!cp_sql_run (self, stmt, _("Could not save the setting"), error))
    return FALSE;

  cp_ledger_emit_changed (self, "settings");
  return TRUE;
}

/* Transactions */

static void
flush_pending_changes (CpLedger *self)
{
  g_autoptr(GPtrArray) tables = self->pending_changes;

  self->pending_changes = g_ptr_array_new ();
  for (guint i = 0; i < tables->len; i++)
    cp_ledger_emit_changed (self, g_ptr_array_index (tables, i));
}

/* Nested begin/commit pairs are SAVEPOINTs, so a step that fails inside a
 * caller's transaction (one bad row of an import) undoes only itself and
 * the caller decides: roll everything back, or go on and report. */
gboolean
cp_ledger_begin (CpLedger  *self,
                 GError   **error)
{
  g_return_val_if_fail (CP_IS_LEDGER (self), FALSE);

  if (self->tx_depth == 0)
    {
      if (!cp_sql_exec (self, "BEGIN IMMEDIATE", _("Could not start saving"), error))
        return FALSE;
      self->tx_aborted = FALSE;
    }
  else if (self->tx_aborted || sqlite3_get_autocommit (self->db))
    {
      self->tx_aborted = TRUE;
      g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                           _("Nothing was saved: the change was cancelled before it was complete."));
      return FALSE;
    }
  else if (!cp_sql_exec (self, "SAVEPOINT cp_nested", _("Could not start saving"), error))
    return FALSE;

  self->tx_depth++;
  return TRUE;
}

gboolean
cp_ledger_commit (CpLedger  *self,
                  GError   **error)
{
  g_return_val_if_fail (CP_IS_LEDGER (self), FALSE);

  if (self->tx_depth == 0)
    {
      g_critical ("cp_ledger_commit() without cp_ledger_begin()");
      g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                           _("Nothing was saved: the change was cancelled before it was complete."));
      return FALSE;
    }

  /* SQLite rolls the whole transaction back by itself on some failures
   * (a full disk, I/O errors): then no level may pretend to commit. */
  if (self->tx_aborted || sqlite3_get_autocommit (self->db))
    {
      self->tx_aborted = TRUE;
      cp_ledger_rollback (self);
      g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                           _("Nothing was saved: the change was cancelled before it was complete."));
      return FALSE;
    }

  if (self->tx_depth > 1)
    {
      if (!cp_sql_exec (self, "RELEASE cp_nested", _("Could not save"), error))
        {
          cp_ledger_rollback (self);
          return FALSE;
        }
      self->tx_depth--;
      return TRUE;
    }

  if (!cp_sql_exec (self, "COMMIT", _("Could not save"), error))
    {
      cp_ledger_rollback (self);
      return FALSE;
    }

  self->tx_depth = 0;
  flush_pending_changes (self);
  return TRUE;
}

void
cp_ledger_rollback (CpLedger *self)
{
  g_return_if_fail (CP_IS_LEDGER (self));

  if (self->tx_depth == 0)
    return;

  if (self->tx_depth > 1)
    {
      if (!self->tx_aborted && !sqlite3_get_autocommit (self->db))
        sqlite3_exec (self->db, "ROLLBACK TO cp_nested; RELEASE cp_nested", NULL, NULL, NULL);
      else
        self->tx_aborted = TRUE;
      self->tx_depth--;
      return;
    }

  /* SQLite may have rolled back by itself (SQLITE_FULL, IOERR): then
   * there is nothing left to undo. */
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);

  self->tx_depth = 0;
  self->tx_aborted = FALSE;
  g_ptr_array_set_size (self->pending_changes, 0);
}

gboolean
cp_ledger_in_transaction (CpLedger *self)
{
  g_return_val_if_fail (CP_IS_LEDGER (self), FALSE);

  return self->tx_depth > 0;
}

gint64
cp_ledger_data_version (CpLedger *self)
{
  g_return_val_if_fail (CP_IS_LEDGER (self), 0);

  return cp_sql_query_int (self, "PRAGMA data_version", 0);
}

void
cp_ledger_emit_changed (CpLedger   *self,
                        const char *table)
{
  const char *interned;

  g_return_if_fail (CP_IS_LEDGER (self));
  g_return_if_fail (table != NULL);

  interned = g_intern_string (table);

  /* Inside a transaction nothing is visible yet; say so after COMMIT, or
   * never when it is rolled back. */
  if (self->tx_depth > 0)
    {
      if (!g_ptr_array_find (self->pending_changes, interned, NULL))
        g_ptr_array_add (self->pending_changes, (gpointer) interned);
      return;
    }

  g_signal_emit (self, signals[CHANGED], g_quark_from_string (interned), interned);
}

gint64
cp_ledger_now_us (void)
{
  return g_get_real_time ();
}

sqlite3_stmt *
cp_ledger_prepare (CpLedger    *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cp_ledger_set_error_from_sqlite (self, error, _("Could not read the ledger"));
      return NULL;
    }

  return stmt;
}

sqlite3_stmt *
cp_ledger_prepare_cached (CpLedger    *self,
                          const char  *sql,
                          GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CP_IS_LEDGER (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->stmt_cache, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      cp_ledger_set_error_from_sqlite (self, error, _("Could not read the ledger"));
      return NULL;
    }

  g_hash_table_insert (self->stmt_cache, g_strdup (sql), stmt);
  return stmt;
}
