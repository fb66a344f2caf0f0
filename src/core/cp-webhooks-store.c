/* cp-webhooks-store.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The table webhook_deliveries: every accepted delivery's raw body, kept
 * before the store is answered, with its state through processing.
 */

#define G_LOG_DOMAIN "cp-webhooks"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "cp-sql.h"
#include "cp-webhooks.h"

void
cp_webhook_delivery_free (CpWebhookDelivery *delivery)
{
  if (delivery == NULL)
    return;
  g_free (delivery->integration_id);
  g_free (delivery->delivery_id);
  g_free (delivery->topic);
  g_free (delivery->resource_id);
  g_free (delivery->modified);
  g_clear_pointer (&delivery->body, g_bytes_unref);
  g_free (delivery->state);
  g_free (delivery->error);
  g_free (delivery);
}

gboolean
cp_webhooks_store (CpLedger              *ledger,
                   const char            *integration_id,
                   CpWebhookKind          kind,
                   const CpWebhookMeta   *meta,
                   const void            *body,
                   gsize                  length,
                   gint64                *out_id,
                   CpWebhookStoreResult  *out_result,
                   GError               **error)
{
  g_autoptr(CpSqlCachedStmt) seen = NULL;
  g_autoptr(CpSqlCachedStmt) insert = NULL;
  CpWebhookStoreResult result = CP_WEBHOOK_STORED;
  const char *what = _("Could not store the store's webhook");
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (meta->delivery_id != NULL && meta->topic != NULL, FALSE);

  if (!cp_ledger_begin (ledger, error))
    return FALSE;

  /* The same resource at the same modified time, stored before under
   * another delivery id: a redelivery or a replay. It is kept (as
   * "duplicate", for the record) but never processed. */
  if (meta->resource_id != NULL && meta->modified != NULL)
    {
      seen = cp_ledger_prepare_cached (ledger,
                                       "SELECT 1 FROM webhook_deliveries"
                                       " WHERE integration_id = ?1 AND resource_id = ?2"
                                       "   AND resource_modified = ?3 AND state != 'failed'"
                                       " LIMIT 1",
                                       error);
      if (seen == NULL)
        goto fail;
      sqlite3_bind_text (seen, 1, integration_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (seen, 2, meta->resource_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (seen, 3, meta->modified, -1, SQLITE_STATIC);
      rc = cp_sql_step (ledger, seen, what, error);
      if (rc == SQLITE_ROW)
        result = CP_WEBHOOK_DUPLICATE_RESOURCE;
      else if (rc != SQLITE_DONE)
        goto fail;
    }

  insert = cp_ledger_prepare_cached (ledger,
                                     "INSERT INTO webhook_deliveries (integration_id, kind,"
                                     " delivery_id, topic, resource_id, resource_modified,"
                                     " received_at, body, state)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                                     " ON CONFLICT (integration_id, delivery_id) DO NOTHING"
                                     " RETURNING id",
                                     error);
  if (insert == NULL)
    goto fail;
  sqlite3_bind_text (insert, 1, integration_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, cp_webhook_kind_to_string (kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, meta->delivery_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, meta->topic, -1, SQLITE_STATIC);
  cp_sql_bind_text_or_null (insert, 5, meta->resource_id);
  cp_sql_bind_text_or_null (insert, 6, meta->modified);
  sqlite3_bind_int64 (insert, 7, cp_ledger_now_us ());
  sqlite3_bind_blob64 (insert, 8, length > 0 ? body : "", length, SQLITE_STATIC);
  sqlite3_bind_text (insert, 9, result == CP_WEBHOOK_STORED ? "received" : "duplicate", -1,
                     SQLITE_STATIC);
  rc = cp_sql_step (ledger, insert, what, error);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (insert, 0);
  else if (rc == SQLITE_DONE)
    result = CP_WEBHOOK_DUPLICATE_ID;
  else
    goto fail;
  sqlite3_reset (insert);

  if (!cp_ledger_commit (ledger, error))
    return FALSE;

  if (out_id != NULL)
    *out_id = id;
  *out_result = result;
  return TRUE;

fail:
  cp_ledger_rollback (ledger);
  return FALSE;
}

#define DELIVERY_COLUMNS \
  "id, integration_id, kind, delivery_id, topic, resource_id, resource_modified," \
  " received_at, body, state, error"

static CpWebhookDelivery *
delivery_from_row (sqlite3_stmt *stmt)
{
  CpWebhookDelivery *delivery = g_new0 (CpWebhookDelivery, 1);
  g_autofree char *kind = NULL;

  delivery->id = sqlite3_column_int64 (stmt, 0);
  delivery->integration_id = cp_sql_dup_text (stmt, 1);
  kind = cp_sql_dup_text (stmt, 2);
  if (!cp_webhook_kind_from_string (kind, &delivery->kind))
    delivery->kind = CP_WEBHOOK_KIND_ORDERS;
  delivery->delivery_id = cp_sql_dup_text (stmt, 3);
  delivery->topic = cp_sql_dup_text (stmt, 4);
  delivery->resource_id = cp_sql_dup_text (stmt, 5);
  delivery->modified = cp_sql_dup_text (stmt, 6);
  delivery->received_at = sqlite3_column_int64 (stmt, 7);
  delivery->body = g_bytes_new (sqlite3_column_blob (stmt, 8), sqlite3_column_bytes (stmt, 8));
  delivery->state = cp_sql_dup_text (stmt, 9);
  delivery->error = cp_sql_dup_text (stmt, 10);
  return delivery;
}

GPtrArray *
cp_webhooks_list_pending (CpLedger    *ledger,
                          const char  *integration_id,
                          guint        limit,
                          GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_webhook_delivery_free);
  int rc;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT " DELIVERY_COLUMNS " FROM webhook_deliveries"
                                   " WHERE state = 'received'"
                                   "   AND (?1 IS NULL OR integration_id = ?1)"
                                   " ORDER BY id LIMIT ?2",
                                   error);
  if (stmt == NULL)
    return NULL;
  cp_sql_bind_text (stmt, 1, integration_id);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);

  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the stored webhooks"), error)) == SQLITE_ROW)
    g_ptr_array_add (list, delivery_from_row (stmt));
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&list);
}

CpWebhookDelivery *
cp_webhooks_get (CpLedger    *ledger,
                 gint64       id,
                 GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT " DELIVERY_COLUMNS " FROM webhook_deliveries WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = cp_sql_step (ledger, stmt, _("Could not read the stored webhooks"), error);
  if (rc == SQLITE_ROW)
    return delivery_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND,
                 _("There is no stored webhook %" PRId64 "."), (int64_t) id);
  return NULL;
}

gboolean
cp_webhooks_set_state (CpLedger    *ledger,
                       gint64       id,
                       const char  *state,
                       const char  *error_text,
                       GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "UPDATE webhook_deliveries SET state = ?2, error = ?3,"
                                   " processed_at = ?4 WHERE id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, state, -1, SQLITE_STATIC);
  cp_sql_bind_text_or_null (stmt, 3, error_text);
  sqlite3_bind_int64 (stmt, 4, cp_ledger_now_us ());
  return cp_sql_run (ledger, stmt, _("Could not record how a webhook was processed"), error);
}

gint64
cp_webhooks_count (CpLedger   *ledger,
                   const char *integration_id,
                   const char *state)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  gint64 count = -1;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT count (*) FROM webhook_deliveries"
                                   " WHERE (?1 IS NULL OR integration_id = ?1)"
                                   "   AND (?2 IS NULL OR state = ?2)",
                                   NULL);
  if (stmt == NULL)
    return -1;
  cp_sql_bind_text (stmt, 1, integration_id);
  cp_sql_bind_text (stmt, 2, state);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  return count;
}

gboolean
cp_webhooks_purge (CpLedger  *ledger,
                   gint64     before_us,
                   gint64    *out_purged,
                   GError   **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "DELETE FROM webhook_deliveries WHERE received_at < ?1"
                                   " AND (state = 'processed' OR state = 'duplicate')",
                                   error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, before_us);
  if (!cp_sql_run (ledger, stmt, _("Could not forget old webhooks"), error))
    return FALSE;
  if (out_purged != NULL)
    *out_purged = sqlite3_changes64 (cp_ledger_get_db (ledger));
  return TRUE;
}
