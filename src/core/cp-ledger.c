/* cp-ledger.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The running ledger connection: errors a person can act on, settings,
 * nested transactions, change notification and cached statements.
 * Opening and migrating the file is in cp-ledger-open.c.
 */

#define G_LOG_DOMAIN "cp-ledger"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-ledger.h"
#include "cp-ledger-private.h"
#include "cp-money.h"
#include "cp-sql.h"

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

  /* SQLite counts every allocation under a process-wide mutex unless
   * told not to, before it first initializes; nothing here reads the
   * counts. The class is initialized before any ledger is opened; when
   * SQLite was already in use this is refused and changes nothing. */
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);

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

void
cp_ledger_set_error_from_code (GError     **error,
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

  cp_ledger_set_error_from_code (error,
                       sqlite3_extended_errcode (self->db),
                       sqlite3_errmsg (self->db),
                       self->path,
                       what);
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

char *
cp_ledger_get_id (CpLedger  *self,
                  GError   **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autofree char *uuid = NULL;
  char *id;

  g_return_val_if_fail (CP_IS_LEDGER (self), NULL);

  id = cp_ledger_get_setting (self, "ledger_id");
  if (id != NULL)
    return id;

  /* INSERT OR IGNORE, then read back: when two processes make it at
   * once, both end up with the one that won. */
  uuid = g_uuid_string_random ();
  stmt = cp_ledger_prepare_cached (self,
                                   "INSERT OR IGNORE INTO settings (key, value) "
                                   "VALUES ('ledger_id', ?1)",
                                   error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  if (!cp_sql_run (self, stmt, _("Could not save the ledger’s identity"), error))
    return NULL;

  id = cp_ledger_get_setting (self, "ledger_id");
  if (id == NULL)
    g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_ENGINE,
                         _("Could not read the ledger’s identity."));
  return id;
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

static void
set_cancelled_error (GError **error)
{
  g_set_error_literal (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                       _("Nothing was saved: the change was cancelled before it was complete."));
}

/* The bit of the innermost open level in tx_joined and tx_doomed, or 0
 * beyond the 64 levels kept (those are all SAVEPOINTs). */
static guint64
level_bit (CpLedger *self)
{
  if (self->tx_depth == 0 || self->tx_depth > 64)
    return 0;
  return G_GUINT64_CONSTANT (1) << (self->tx_depth - 1);
}

static gboolean
refuse_if_cancelled (CpLedger  *self,
                     GError   **error)
{
  if (!self->tx_aborted && !sqlite3_get_autocommit (self->db) &&
      (self->tx_doomed & level_bit (self)) == 0)
    return FALSE;
  if (sqlite3_get_autocommit (self->db))
    self->tx_aborted = TRUE;
  set_cancelled_error (error);
  return TRUE;
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
  else if (refuse_if_cancelled (self, error))
    return FALSE;
  else if (!cp_sql_exec (self, "SAVEPOINT cp_nested", _("Could not start saving"), error))
    return FALSE;

  self->tx_depth++;
  return TRUE;
}

/* Why a level may go without its SAVEPOINT: while one is open, SQLite
 * copies every page a statement changes into the savepoint's journal
 * before changing it, and parses SAVEPOINT and RELEASE each time — for a
 * sync's claim and completion, 1,300 instructions per pushed item
 * (callgrind, tests/bench engine-overhead). */
gboolean
cp_ledger_join (CpLedger  *self,
                GError   **error)
{
  g_return_val_if_fail (CP_IS_LEDGER (self), FALSE);

  if (self->tx_depth == 0 || self->tx_depth >= 64)
    return cp_ledger_begin (self, error);
  if (refuse_if_cancelled (self, error))
    return FALSE;

  self->tx_depth++;
  self->tx_joined |= level_bit (self);
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
      set_cancelled_error (error);
      return FALSE;
    }

  /* SQLite rolls the whole transaction back by itself on some failures
   * (a full disk, I/O errors): then no level may pretend to commit. */
  if (self->tx_aborted || sqlite3_get_autocommit (self->db))
    {
      self->tx_aborted = TRUE;
      cp_ledger_rollback (self);
      set_cancelled_error (error);
      return FALSE;
    }

  /* A joined level inside this one was rolled back. */
  if ((self->tx_doomed & level_bit (self)) != 0)
    {
      cp_ledger_rollback (self);
      set_cancelled_error (error);
      return FALSE;
    }

  if ((self->tx_joined & level_bit (self)) != 0)
    {
      self->tx_joined &= ~level_bit (self);
      self->tx_depth--;
      return TRUE;
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

  self->tx_doomed &= ~level_bit (self);

  /* What a joined level did cannot be told apart from what the level
   * it joined did: that one can only be rolled back now. */
  if ((self->tx_joined & level_bit (self)) != 0)
    {
      self->tx_joined &= ~level_bit (self);
      self->tx_depth--;
      self->tx_doomed |= level_bit (self);
      return;
    }

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
  self->tx_joined = 0;
  self->tx_doomed = 0;
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
