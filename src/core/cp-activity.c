/* cp-activity.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The activity log: what the engine did and what went wrong, newest
 * first, for the shop owner and for whoever supports the shop. Redaction
 * lives in cp-activity-redact.c.
 */

#define G_LOG_DOMAIN "cp-activity"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-activity.h"
#include "cp-sql.h"

G_DEFINE_BOXED_TYPE (CpActivityEvent, cp_activity_event,
                     cp_activity_event_copy, cp_activity_event_free)

static const char * const severity_names[] = {
  [CP_ACTIVITY_INFO] = "info",
  [CP_ACTIVITY_WARNING] = "warning",
  [CP_ACTIVITY_ERROR] = "error",
};

const char *
cp_activity_severity_to_string (CpActivitySeverity severity)
{
  if ((guint) severity >= G_N_ELEMENTS (severity_names))
    return "info";
  return severity_names[severity];
}

gboolean
cp_activity_severity_from_string (const char         *text,
                                  CpActivitySeverity *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (severity_names); i++)
    if (g_ascii_strcasecmp (text, severity_names[i]) == 0)
      {
        if (out != NULL)
          *out = (CpActivitySeverity) i;
        return TRUE;
      }
  return FALSE;
}

CpActivityEvent *
cp_activity_event_copy (const CpActivityEvent *self)
{
  CpActivityEvent *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->type = g_strdup (self->type);
  copy->integration_id = g_strdup (self->integration_id);
  copy->message = g_strdup (self->message);
  copy->details = g_strdup (self->details);
  return copy;
}

void
cp_activity_event_free (CpActivityEvent *self)
{
  if (self == NULL)
    return;

  g_free (self->type);
  g_free (self->integration_id);
  g_free (self->message);
  g_free (self->details);
  g_free (self);
}

gint64
cp_activity_log (CpLedger            *ledger,
                 const char          *type,
                 CpActivitySeverity   severity,
                 const char          *integration_id,
                 gint64               job_id,
                 const char          *message,
                 const char          *details_json,
                 GError             **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autofree char *details = NULL;
  gint64 id;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), 0);
  g_return_val_if_fail (type != NULL && *type != '\0', 0);

  /* The caller should have redacted already; doing it again costs little
   * next to a failure, and a secret in the ledger would be for good. */
  if (details_json != NULL)
    details = cp_activity_redact_json (details_json);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "INSERT INTO activity (at, type, severity, integration_id,"
                                   " job_id, message, details)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                   error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, cp_ledger_now_us ());
  cp_sql_bind_text (stmt, 2, type);
  cp_sql_bind_text (stmt, 3, cp_activity_severity_to_string (severity));
  cp_sql_bind_text_or_null (stmt, 4, integration_id);
  if (job_id > 0)
    sqlite3_bind_int64 (stmt, 5, job_id);
  cp_sql_bind_text (stmt, 6, message != NULL ? message : "");
  cp_sql_bind_text (stmt, 7, details);
  if (!cp_sql_run (ledger, stmt, _("Could not write to the activity log"), error))
    return 0;

  id = sqlite3_last_insert_rowid (cp_ledger_get_db (ledger));
  cp_ledger_emit_changed (ledger, "activity");
  return id;
}

GPtrArray *
cp_activity_query (CpLedger              *ledger,
                   const CpActivityQuery *query,
                   GError               **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_activity_event_free);
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  CpActivityQuery none = { 0 };
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  if (query == NULL)
    query = &none;

  /* Keyset paging on id, newest first: the next page starts below the
   * last id shown, so paging stays one seek however far back it goes and
   * an event logged meanwhile never shifts a page. */
  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT id, at, type, severity, integration_id, job_id, message,"
                                   " details FROM activity"
                                   " WHERE (?1 IS NULL OR integration_id = ?1)"
                                   " AND (?2 IS NULL OR type = ?2)"
                                   " AND (CASE severity WHEN 'error' THEN 2 WHEN 'warning' THEN 1"
                                   "      ELSE 0 END) >= ?3"
                                   " AND at >= ?4 AND id < ?5"
                                   " ORDER BY id DESC LIMIT ?6",
                                   error);
  if (stmt == NULL)
    return NULL;
  cp_sql_bind_text (stmt, 1, query->integration_id);
  cp_sql_bind_text (stmt, 2, query->type);
  sqlite3_bind_int (stmt, 3, query->has_min_severity ? (int) query->min_severity : 0);
  sqlite3_bind_int64 (stmt, 4, query->since);
  sqlite3_bind_int64 (stmt, 5, query->before_id > 0 ? query->before_id : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 6, query->limit > 0 ? query->limit : 100);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CpActivityEvent *event = g_new0 (CpActivityEvent, 1);

      event->id = sqlite3_column_int64 (stmt, 0);
      event->at = sqlite3_column_int64 (stmt, 1);
      event->type = cp_sql_dup_text (stmt, 2);
      if (!cp_activity_severity_from_string ((const char *) sqlite3_column_text (stmt, 3),
                                             &event->severity))
        event->severity = CP_ACTIVITY_INFO;
      event->integration_id = cp_sql_dup_text (stmt, 4);
      event->job_id = sqlite3_column_int64 (stmt, 5);
      event->message = cp_sql_dup_text (stmt, 6);
      event->details = cp_sql_dup_text (stmt, 7);
      g_ptr_array_add (events, event);
    }
  if (rc != SQLITE_DONE)
    {
      cp_ledger_set_error_from_sqlite (ledger, error, _("Could not read the activity log"));
      return NULL;
    }
  return g_steal_pointer (&events);
}

guint
cp_activity_count_attention (CpLedger  *ledger,
                             gint64     since,
                             GError   **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), 0);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT count(*) FROM activity"
                                   " WHERE at >= ?1 AND severity != 'info'",
                                   error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, since);
  if (cp_sql_step (ledger, stmt, _("Could not read the activity log"), error) != SQLITE_ROW)
    return 0;
  return (guint) sqlite3_column_int64 (stmt, 0);
}

gboolean
cp_activity_purge (CpLedger  *ledger,
                   gint64     before_us,
                   GError   **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  stmt = cp_ledger_prepare_cached (ledger, "DELETE FROM activity WHERE at < ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, before_us);
  if (!cp_sql_run (ledger, stmt, _("Could not clean up the activity log"), error))
    return FALSE;
  if (sqlite3_changes (cp_ledger_get_db (ledger)) > 0)
    cp_ledger_emit_changed (ledger, "activity");
  return TRUE;
}
