/* cp-integrations-sync.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the engine writes about an integration while it syncs: its health
 * (attention, last success and error, schedule), the cursors where pulls
 * resume and the mappings between local and remote ids.
 */

#define G_LOG_DOMAIN "cp-integrations"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-integrations.h"
#include "cp-integrations-private.h"
#include "cp-sql.h"

gboolean
cp_integrations_set_attention (CpLedger    *ledger,
                               const char  *id,
                               const char  *kind,
                               const char  *message,
                               GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "UPDATE integrations SET attention_kind = ?2, attention = ?3, "
                                   "updated_at = ?4 WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  cp_sql_bind_text (stmt, 1, id != NULL ? id : "");
  if (kind != NULL)
    {
      cp_sql_bind_text (stmt, 2, kind);
      cp_sql_bind_text (stmt, 3, message != NULL ? message : kind);
    }
  sqlite3_bind_int64 (stmt, 4, cp_ledger_now_us ());
  return cp_integrations_run_row_write (ledger, stmt, id, "integrations",
                                        _("Could not save the integration"), error);
}

gboolean
cp_integrations_record_success (CpLedger    *ledger,
                                const char  *id,
                                gint64       at,
                                GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "UPDATE integrations SET last_success_at = ?2, updated_at = ?2 "
                                   "WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  cp_sql_bind_text (stmt, 1, id != NULL ? id : "");
  sqlite3_bind_int64 (stmt, 2, at);
  return cp_integrations_run_row_write (ledger, stmt, id, "integrations",
                                        _("Could not save the integration"), error);
}

gboolean
cp_integrations_record_error (CpLedger    *ledger,
                              const char  *id,
                              gint64       at,
                              const char  *message,
                              GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "UPDATE integrations SET last_error_at = ?2, last_error = ?3, "
                                   "updated_at = ?2 WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  cp_sql_bind_text (stmt, 1, id != NULL ? id : "");
  sqlite3_bind_int64 (stmt, 2, at);
  cp_sql_bind_text (stmt, 3, message);
  return cp_integrations_run_row_write (ledger, stmt, id, "integrations",
                                        _("Could not save the integration"), error);
}

gboolean
cp_integrations_set_schedule (CpLedger    *ledger,
                              const char  *id,
                              gint64       wait_until,
                              gint64       next_run_at,
                              GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "UPDATE integrations SET wait_until = ?2, next_run_at = ?3, "
                                   "updated_at = ?4 WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  cp_sql_bind_text (stmt, 1, id != NULL ? id : "");
  if (wait_until != 0)
    sqlite3_bind_int64 (stmt, 2, wait_until);
  if (next_run_at != 0)
    sqlite3_bind_int64 (stmt, 3, next_run_at);
  sqlite3_bind_int64 (stmt, 4, cp_ledger_now_us ());
  return cp_integrations_run_row_write (ledger, stmt, id, "integrations",
                                        _("Could not save the integration"), error);
}

/* Cursors */

char *
cp_integrations_get_cursor (CpLedger    *ledger,
                            const char  *id,
                            const char  *name,
                            GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT value FROM integration_cursors "
                                   "WHERE integration_id = ?1 AND name = ?2",
                                   error);
  if (stmt == NULL)
    return NULL;

  cp_sql_bind_text (stmt, 1, id != NULL ? id : "");
  cp_sql_bind_text (stmt, 2, name != NULL ? name : "");
  if (cp_sql_step (ledger, stmt, _("Could not read where the last sync stopped"), error) != SQLITE_ROW)
    return NULL;

  return cp_sql_dup_text (stmt, 0);
}

gboolean
cp_integrations_set_cursor (CpLedger    *ledger,
                            const char  *id,
                            const char  *name,
                            const char  *value,
                            GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);

  /* NULL forgets the cursor: the next pull starts from the beginning. */
  if (value == NULL)
    {
      stmt = cp_ledger_prepare_cached (ledger,
                                       "DELETE FROM integration_cursors "
                                       "WHERE integration_id = ?1 AND name = ?2",
                                       error);
      if (stmt == NULL)
        return FALSE;
      cp_sql_bind_text (stmt, 1, id != NULL ? id : "");
      cp_sql_bind_text (stmt, 2, name);
      if (!cp_integrations_check_exists (ledger, id, error))
        return FALSE;
      return cp_sql_run (ledger, stmt, _("Could not save where the sync stopped"), error);
    }

  /* Selecting from integrations makes a missing integration a NOT_FOUND
   * (no row written) instead of a foreign key failure. */
  stmt = cp_ledger_prepare_cached (ledger,
                                   "INSERT INTO integration_cursors (integration_id, name, value, updated_at) "
                                   "SELECT id, ?2, ?3, ?4 FROM integrations WHERE id = ?1 "
                                   "ON CONFLICT (integration_id, name) DO UPDATE SET "
                                   "value = excluded.value, updated_at = excluded.updated_at",
                                   error);
  if (stmt == NULL)
    return FALSE;

  cp_sql_bind_text (stmt, 1, id != NULL ? id : "");
  cp_sql_bind_text (stmt, 2, name);
  cp_sql_bind_text (stmt, 3, value);
  sqlite3_bind_int64 (stmt, 4, cp_ledger_now_us ());
  return cp_integrations_run_row_write (ledger, stmt, id, "integration_cursors",
                        _("Could not save where the sync stopped"), error);
}

/* Mappings */

static gboolean
check_mapping_key (const char  *kind,
                   const char  *local_id,
                   GError     **error)
{
  if (kind == NULL || *kind == '\0' || local_id == NULL || *local_id == '\0')
    {
      g_set_error_literal (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID,
                           _("A mapping needs a kind and a local id."));
      return FALSE;
    }

  return TRUE;
}

gboolean
cp_integrations_set_mapping (CpLedger    *ledger,
                             const char  *id,
                             const char  *kind,
                             const char  *local_id,
                             const char  *remote_id,
                             const char  *last_hash,
                             GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  if (!check_mapping_key (kind, local_id, error))
    return FALSE;

  /* A product left out of a store ("product.excluded", issue 4's shared
   * agreement) has nothing there: its remote id is "". */
  if (remote_id == NULL || (*remote_id == '\0' && g_strcmp0 (kind, "product.excluded") != 0))
    {
      g_set_error_literal (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID,
                           _("A mapping needs the id on the platform."));
      return FALSE;
    }

  /* last_hash is stored as given: a new remote object has not received
   * anything yet, so the caller passes NULL with a changed remote id. */
  stmt = cp_ledger_prepare_cached (ledger,
                                   "INSERT INTO integration_mappings (integration_id, kind, local_id, "
                                   "remote_id, last_hash, updated_at) "
                                   "SELECT id, ?2, ?3, ?4, ?5, ?6 FROM integrations WHERE id = ?1 "
                                   "ON CONFLICT (integration_id, kind, local_id) DO UPDATE SET "
                                   "remote_id = excluded.remote_id, last_hash = excluded.last_hash, "
                                   "updated_at = excluded.updated_at",
                                   error);
  if (stmt == NULL)
    return FALSE;

  cp_sql_bind_text (stmt, 1, id != NULL ? id : "");
  cp_sql_bind_text (stmt, 2, kind);
  cp_sql_bind_text (stmt, 3, local_id);
  cp_sql_bind_text (stmt, 4, remote_id);
  cp_sql_bind_text (stmt, 5, last_hash);
  sqlite3_bind_int64 (stmt, 6, cp_ledger_now_us ());
  return cp_integrations_run_row_write (ledger, stmt, id, "integration_mappings",
                        _("Could not save the mapping"), error);
}

/* The first column of the one row SQL (?1 id, ?2 kind, ?3 key) gives, or
 * NULL without an error when there is none. */
static char *
query_mapping (CpLedger    *ledger,
               const char  *sql,
               const char  *id,
               const char  *kind,
               const char  *key,
               GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  stmt = cp_ledger_prepare_cached (ledger, sql, error);
  if (stmt == NULL)
    return NULL;

  cp_sql_bind_text (stmt, 1, id != NULL ? id : "");
  cp_sql_bind_text (stmt, 2, kind != NULL ? kind : "");
  cp_sql_bind_text (stmt, 3, key != NULL ? key : "");
  if (cp_sql_step (ledger, stmt, _("Could not read the mappings"), error) != SQLITE_ROW)
    return NULL;

  return cp_sql_dup_text (stmt, 0);
}

char *
cp_integrations_get_remote_id (CpLedger    *ledger,
                               const char  *id,
                               const char  *kind,
                               const char  *local_id,
                               GError     **error)
{
  return query_mapping (ledger,
                        "SELECT remote_id FROM integration_mappings "
                        "WHERE integration_id = ?1 AND kind = ?2 AND local_id = ?3",
                        id, kind, local_id, error);
}

char *
cp_integrations_get_local_id (CpLedger    *ledger,
                              const char  *id,
                              const char  *kind,
                              const char  *remote_id,
                              GError     **error)
{
  /* Two local ids may point at one remote id (a person mapped two
   * locations to one warehouse); the answer must not depend on the plan. */
  return query_mapping (ledger,
                        "SELECT local_id FROM integration_mappings "
                        "WHERE integration_id = ?1 AND kind = ?2 AND remote_id = ?3 "
                        "ORDER BY local_id LIMIT 1",
                        id, kind, remote_id, error);
}

char *
cp_integrations_get_mapping_hash (CpLedger    *ledger,
                                  const char  *id,
                                  const char  *kind,
                                  const char  *local_id,
                                  GError     **error)
{
  return query_mapping (ledger,
                        "SELECT last_hash FROM integration_mappings "
                        "WHERE integration_id = ?1 AND kind = ?2 AND local_id = ?3",
                        id, kind, local_id, error);
}

gboolean
cp_integrations_clear_mapping (CpLedger    *ledger,
                               const char  *id,
                               const char  *kind,
                               const char  *local_id,
                               GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "DELETE FROM integration_mappings "
                                   "WHERE integration_id = ?1 AND kind = ?2 AND local_id = ?3",
                                   error);
  if (stmt == NULL)
    return FALSE;

  cp_sql_bind_text (stmt, 1, id != NULL ? id : "");
  cp_sql_bind_text (stmt, 2, kind != NULL ? kind : "");
  cp_sql_bind_text (stmt, 3, local_id != NULL ? local_id : "");

  /* Clearing a mapping that is not there is done already. */
  if (!cp_sql_run (ledger, stmt, _("Could not remove the mapping"), error))
    return FALSE;

  if (sqlite3_changes (cp_ledger_get_db (ledger)) > 0)
    cp_ledger_emit_changed (ledger, "integration_mappings");
  return TRUE;
}
