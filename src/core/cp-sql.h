/* cp-sql.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small helpers around prepared statements, shared by the core modules.
 * Internal to src/core: the window and the CLI go through the module APIs.
 */

#pragma once

#include "cp-ledger.h"

G_BEGIN_DECLS

/* A statement the caller owns: g_autoptr(CpSqlStmt) finalizes it. */
typedef sqlite3_stmt CpSqlStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpSqlStmt, sqlite3_finalize)

/* A statement from cp_ledger_prepare_cached(), owned by the ledger:
 * g_autoptr(CpSqlCachedStmt) only resets it, so a half-read SELECT never
 * keeps a read transaction open. */
typedef sqlite3_stmt CpSqlCachedStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpSqlCachedStmt, sqlite3_reset)

/* Binds TEXT, or NULL when TEXT is NULL. The text is copied. */
void      cp_sql_bind_text     (sqlite3_stmt *stmt,
                                int           index,
                                const char   *text);
/* Binds TEXT, or NULL when TEXT is NULL or empty. */
void      cp_sql_bind_text_or_null (sqlite3_stmt *stmt,
                                    int           index,
                                    const char   *text);
/* A copy of the column's text, NULL for SQL NULL. */
char     *cp_sql_dup_text      (sqlite3_stmt *stmt,
                                int           column);

/* Steps once. Returns SQLITE_ROW or SQLITE_DONE; anything else sets ERROR
 * through cp_ledger_set_error_from_sqlite() and is returned as is. */
int       cp_sql_step          (CpLedger      *ledger,
                                sqlite3_stmt  *stmt,
                                const char    *what,
                                GError       **error);
/* Steps to the end of a statement that returns no rows we need. */
gboolean  cp_sql_run           (CpLedger      *ledger,
                                sqlite3_stmt  *stmt,
                                const char    *what,
                                GError       **error);
/* Runs SQL without parameters (PRAGMAs, BEGIN/COMMIT, migrations). */
gboolean  cp_sql_exec          (CpLedger      *ledger,
                                const char    *sql,
                                const char    *what,
                                GError       **error);
/* The first column of the first row as an integer, or DEFAULT_VALUE when
 * there is no row or the query fails. For counts and PRAGMAs. */
gint64    cp_sql_query_int     (CpLedger      *ledger,
                                const char    *sql,
                                gint64         default_value);

/* Appends VALUE in decimal, as "%" G_GINT64_FORMAT would, without going
 * through printf: the push path writes several numbers per pushed item. */
void      cp_sql_append_int64  (GString       *out,
                                gint64         value);
/* IDS (N of them) as a JSON array, for "IN (SELECT value FROM json_each (?))":
 * one statement for a whole batch instead of one per id. AS_TEXT quotes
 * each id, to compare with a TEXT column (integration_mappings.local_id)
 * without a CAST that would keep SQLite from using its index. */
char     *cp_sql_ids_to_json   (const gint64  *ids,
                                guint          n,
                                gboolean       as_text);
/* Whether IDS are N consecutive integers in ascending order (each one
 * more than the one before): a statement may then name them as
 * "BETWEEN IDS[0] AND IDS[N - 1]", which reads the rows in place where
 * "IN (SELECT value FROM json_each (…))" first builds a temporary b-tree
 * of the list. False when N is 0. */
gboolean  cp_sql_ids_are_run   (const gint64  *ids,
                                guint          n);

/* Binds cp_sql_ids_to_json (IDS, N, AS_TEXT) at INDEX, without copying it. */
void      cp_sql_bind_ids      (sqlite3_stmt  *stmt,
                                int            index,
                                const gint64  *ids,
                                guint          n,
                                gboolean       as_text);
/* Binds IDS for a statement written both ways: when RUN (what
 * cp_sql_ids_are_run () said of them), the first id at FIRST_INDEX and
 * the last at LAST_INDEX, for "BETWEEN"; otherwise the JSON list at
 * FIRST_INDEX, for json_each. */
void      cp_sql_bind_ids_or_run (sqlite3_stmt  *stmt,
                                  int            first_index,
                                  int            last_index,
                                  const gint64  *ids,
                                  guint          n,
                                  gboolean       run);

G_END_DECLS
