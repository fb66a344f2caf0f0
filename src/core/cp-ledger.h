/* cp-ledger.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ledger: the shop's own SQLite database. One CpLedger is one
 * connection. A process holds one writer connection; bulk work in a worker
 * thread opens its own CpLedger on the same path.
 */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define CP_LEDGER_ERROR (cp_ledger_error_quark ())

typedef enum
{
  CP_LEDGER_ERROR_OPEN,        /* cannot create or open the file (permissions, missing dir) */
  CP_LEDGER_ERROR_READ_ONLY,   /* the file or its directory is read-only */
  CP_LEDGER_ERROR_CORRUPT,     /* not a database, or integrity check failed */
  CP_LEDGER_ERROR_TOO_NEW,     /* written by a newer Counterpart; left untouched */
  CP_LEDGER_ERROR_LOCKED,      /* another process holds the write lock past busy_timeout */
  CP_LEDGER_ERROR_FULL,        /* SQLITE_FULL: the disk is full */
  CP_LEDGER_ERROR_NOT_FOUND,   /* a SKU, location, order… does not exist */
  CP_LEDGER_ERROR_CONSTRAINT,  /* a unique/foreign key rule refused the write */
  CP_LEDGER_ERROR_INVALID,     /* the caller passed something that makes no sense */
  CP_LEDGER_ERROR_ENGINE,      /* any other SQLite failure */
} CpLedgerError;

/* The schema version this build writes. A database with a higher
 * PRAGMA user_version is refused with CP_LEDGER_ERROR_TOO_NEW. */
#define CP_LEDGER_SCHEMA_VERSION 8

#define CP_TYPE_LEDGER (cp_ledger_get_type ())
G_DECLARE_FINAL_TYPE (CpLedger, cp_ledger, CP, LEDGER, GObject)

GQuark      cp_ledger_error_quark      (void);

/* $XDG_DATA_HOME/counterpart (or DIR when given), created on demand. */
char       *cp_ledger_default_data_dir (void);
char       *cp_ledger_path_for_data_dir (const char *data_dir);

/* Opens or creates the database at PATH, then migrates it. WAL, foreign
 * keys, busy_timeout 5 s. Refuses (and never rewrites) a file it cannot
 * read or one from a newer version. */
CpLedger   *cp_ledger_open             (const char  *path,
                                        GError     **error);
void        cp_ledger_open_async       (const char          *path,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
CpLedger   *cp_ledger_open_finish      (GAsyncResult  *result,
                                        GError       **error);

const char *cp_ledger_get_path         (CpLedger *self);
sqlite3    *cp_ledger_get_db           (CpLedger *self);
int         cp_ledger_get_schema_version (CpLedger *self);
/* Shop currency (ISO 4217), from the settings table; "USD" until set. */
const char *cp_ledger_get_currency     (CpLedger *self);
gboolean    cp_ledger_set_currency     (CpLedger    *self,
                                        const char  *code,
                                        GError     **error);

/* Key/value settings stored in the ledger (shop name, currency, demo flag). */
char       *cp_ledger_get_setting      (CpLedger   *self,
                                        const char *key);
gboolean    cp_ledger_set_setting      (CpLedger    *self,
                                        const char  *key,
                                        const char  *value,
                                        GError     **error);

/* The ledger's own identity: a random UUID in the settings table
 * ("ledger_id"), made on first need and never changed. It tells apart
 * what lives outside the file, such as keyring entries of two ledgers
 * whose integrations have the same id. NULL with ERROR set when it
 * cannot be made (a read-only ledger that never had one). */
char       *cp_ledger_get_id           (CpLedger    *self,
                                        GError     **error);

/* Write transactions: always BEGIN IMMEDIATE so a writer never deadlocks
 * upgrading a read lock. Nested calls are counted; only the outermost
 * commits. On failure the transaction is rolled back by _rollback().
 * Each _begin() is matched by exactly one _commit() or _rollback(): an
 * inner level is a SAVEPOINT, so rolling it back undoes only that level
 * and the caller's transaction goes on (or is rolled back by the caller).
 * When SQLite itself aborted the transaction, every level's commit fails. */
gboolean    cp_ledger_begin            (CpLedger  *self,
                                        GError   **error);
/* As _begin(), but an inner level joins the caller's transaction without
 * a SAVEPOINT. For steps whose failure the caller always answers by
 * rolling back its own transaction: rolling a joined level back cannot
 * undo it alone, so it cancels the whole transaction (every level's
 * commit then fails). Outside a transaction it is _begin(). */
gboolean    cp_ledger_join             (CpLedger  *self,
                                        GError   **error);
gboolean    cp_ledger_commit           (CpLedger  *self,
                                        GError   **error);
void        cp_ledger_rollback         (CpLedger  *self);

/* Turns the last SQLite failure on this connection into a GError in
 * CP_LEDGER_ERROR with a message a person can act on. */
void        cp_ledger_set_error_from_sqlite (CpLedger    *self,
                                             GError     **error,
                                             const char  *what);

/* PRAGMA data_version: changes when another connection commits, so the
 * window can refresh after counterpart-cli wrote something. */
gint64      cp_ledger_data_version     (CpLedger *self);

/* Emitted after a commit on this connection changed TABLE
 * ("variants", "stock", "orders", "locations", …) as the detail. */
void        cp_ledger_emit_changed     (CpLedger   *self,
                                        const char *table);

gint64      cp_ledger_now_us           (void);

/* A new prepared statement (the caller finalizes it), or NULL with ERROR
 * set. */
sqlite3_stmt *cp_ledger_prepare        (CpLedger    *self,
                                        const char  *sql,
                                        GError     **error);
/* A statement kept by the ledger for SQL run often (upserts, stock
 * movements), reset and with its bindings cleared. Do not finalize it;
 * reset it when done (g_autoptr(CpSqlCachedStmt) in cp-sql.h does), and
 * do not use the same SQL again while it is still being stepped. */
sqlite3_stmt *cp_ledger_prepare_cached (CpLedger    *self,
                                        const char  *sql,
                                        GError     **error);

/* Whether a cp_ledger_begin() on this connection is still open. */
gboolean    cp_ledger_in_transaction   (CpLedger *self);

G_END_DECLS
