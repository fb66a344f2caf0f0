/* cp-integrations.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Integrations in the ledger: one row per connected account, with its
 * permissions (one row each, so the outbox triggers can join on them),
 * its mappings and its cursors. Credentials never come here: they live in
 * the Secret Service under the integration's id (cp-credentials.h).
 */

#define G_LOG_DOMAIN "cp-integrations"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include <json-glib/json-glib.h>

#include "cp-activity.h"
#include "cp-integrations.h"
#include "cp-integrations-private.h"
#include "cp-orders-reserve.h"
#include "cp-sql.h"

G_DEFINE_QUARK (cp-integrations-error-quark, cp_integrations_error)

G_DEFINE_BOXED_TYPE (CpIntegration, cp_integration, cp_integration_copy, cp_integration_free)

CpIntegration *
cp_integration_copy (const CpIntegration *self)
{
  CpIntegration *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (CpIntegration, 1);
  *copy = *self;
  copy->id = g_strdup (self->id);
  copy->platform = g_strdup (self->platform);
  copy->name = g_strdup (self->name);
  copy->base_url = g_strdup (self->base_url);
  copy->state = g_strdup (self->state);
  copy->attention = g_strdup (self->attention);
  copy->attention_kind = g_strdup (self->attention_kind);
  copy->settings = g_strdup (self->settings);
  copy->permissions = g_strdupv (self->permissions);
  copy->last_error = g_strdup (self->last_error);

  return copy;
}

void
cp_integration_free (CpIntegration *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->platform);
  g_free (self->name);
  g_free (self->base_url);
  g_free (self->state);
  g_free (self->attention);
  g_free (self->attention_kind);
  g_free (self->settings);
  g_strfreev (self->permissions);
  g_free (self->last_error);
  g_free (self);
}

gboolean
cp_integration_has_permission (const CpIntegration *self,
                               const char          *permission)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return permission != NULL && self->permissions != NULL &&
         g_strv_contains ((const char * const *) self->permissions, permission);
}

gboolean
cp_integration_is_paused (const CpIntegration *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_strcmp0 (self->state, "paused") == 0;
}

void
cp_integrations_set_not_found (GError     **error,
                               const char  *id)
{
  g_set_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_NOT_FOUND,
               _("There is no integration “%s”; it may have been removed. Check the id "
                 "in the list of integrations."),
               id != NULL ? id : "");
}

/* A write of its own, or a part of the caller's: cp_ledger_begin() inside
 * an open transaction is a SAVEPOINT, so a failure here undoes only this
 * step and the caller decides about the rest. */
typedef gboolean (*WriteFunc) (CpLedger  *ledger,
                               gpointer   data,
                               GError   **error);

static gboolean
run_write (CpLedger   *ledger,
           WriteFunc   func,
           gpointer    data,
           GError    **error)
{
  if (!cp_ledger_begin (ledger, error))
    return FALSE;

  if (!func (ledger, data, error))
    {
      cp_ledger_rollback (ledger);
      return FALSE;
    }

  return cp_ledger_commit (ledger, error);
}

static gboolean
insert_permissions (CpLedger            *ledger,
                    const char          *id,
                    const char * const  *permissions,
                    GError             **error)
{
  for (guint i = 0; permissions != NULL && permissions[i] != NULL; i++)
    {
      g_autoptr(CpSqlCachedStmt) stmt = NULL;

      stmt = cp_ledger_prepare_cached (ledger,
                                       "INSERT INTO integration_permissions (integration_id, permission) "
                                       "VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                                       error);
      if (stmt == NULL)
        return FALSE;

      cp_sql_bind_text (stmt, 1, id);
      cp_sql_bind_text (stmt, 2, permissions[i]);
      if (!cp_sql_run (ledger, stmt, _("Could not save the integration’s permissions"), error))
        return FALSE;
    }

  return TRUE;
}

typedef struct
{
  const char         *platform;
  const char         *name;
  const char         *base_url;
  const char * const *permissions;
  char               *id;
} AddData;

static gboolean
add_in_transaction (CpLedger  *ledger,
                    gpointer   user_data,
                    GError   **error)
{
  AddData *data = user_data;
  g_autoptr(CpSqlCachedStmt) insert = NULL;
  g_autoptr(CpSqlCachedStmt) name_id = NULL;
  gint64 now = cp_ledger_now_us ();
  gint64 seq;

  /* The id is made from seq, which only exists once the row does: insert
   * under a placeholder nobody else can hold, then name it. We hold the
   * write lock, so nobody sees the placeholder. */
  insert = cp_ledger_prepare_cached (ledger,
                                     "INSERT INTO integrations (id, platform, name, base_url, "
                                     "created_at, updated_at) "
                                     "VALUES ('new:' || lower (hex (randomblob (16))), ?1, ?2, ?3, ?4, ?4)",
                                     error);
  if (insert == NULL)
    return FALSE;

  cp_sql_bind_text (insert, 1, data->platform);
  cp_sql_bind_text (insert, 2, data->name);
  cp_sql_bind_text (insert, 3, data->base_url);
  sqlite3_bind_int64 (insert, 4, now);
  if (!cp_sql_run (ledger, insert, _("Could not save the integration"), error))
    return FALSE;

  seq = sqlite3_last_insert_rowid (cp_ledger_get_db (ledger));
  data->id = g_strdup_printf ("%s-%" G_GINT64_FORMAT, data->platform, seq);

  name_id = cp_ledger_prepare_cached (ledger, "UPDATE integrations SET id = ?1 WHERE seq = ?2", error);
  if (name_id == NULL)
    return FALSE;

  cp_sql_bind_text (name_id, 1, data->id);
  sqlite3_bind_int64 (name_id, 2, seq);
  if (!cp_sql_run (ledger, name_id, _("Could not save the integration"), error))
    return FALSE;

  if (!insert_permissions (ledger, data->id, data->permissions, error))
    return FALSE;

  cp_ledger_emit_changed (ledger, "integrations");
  return TRUE;
}

/* Trailing slashes are dropped: connectors append "/products", and one
 * address should be stored one way. */
static char *
normalize_base_url (const char *base_url)
{
  char *copy = g_strdup (base_url);
  gsize len = strlen (copy);
  const char *authority = strstr (copy, "://");
  gsize min_len = authority != NULL ? (gsize) (authority - copy) + 3 : 0;

  while (len > min_len && copy[len - 1] == '/')
    copy[--len] = '\0';

  return copy;
}

char *
cp_integrations_add (CpLedger            *ledger,
                     const char          *platform,
                     const char          *name,
                     const char          *base_url,
                     const char * const  *permissions,
                     GError             **error)
{
  AddData data = { 0 };
  g_autofree char *url = NULL;
  g_autofree char *clean_name = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  if (!cp_integrations_platform_is_valid (platform))
    {
      g_set_error (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID,
                   _("“%s” is not a platform name. Choose one of the platforms Counterpart "
                     "lists, such as ecomv2."),
                   platform != NULL ? platform : "");
      return NULL;
    }

  if (!cp_integrations_check_name (name, error) ||
      !cp_integrations_validate_base_url (base_url, error))
    return NULL;

  if (permissions == NULL)
    permissions = cp_integrations_default_permissions ();
  if (!cp_integrations_validate_permissions (permissions, error))
    return NULL;

  clean_name = g_strstrip (g_strdup (name));
  url = normalize_base_url (base_url);
  data.platform = platform;
  data.name = clean_name;
  data.base_url = url;
  data.permissions = permissions;

  if (!run_write (ledger, add_in_transaction, &data, error))
    {
      g_free (data.id);
      return NULL;
    }

  return data.id;
}

/* One statement for every row and its outbox figures: correlated counts
 * over the (integration_id, state, …) index, never a query per row. */
#define SELECT_INTEGRATIONS                                                       \
  "SELECT i.id, i.platform, i.name, i.base_url, i.state, i.attention, "           \
  "  i.attention_kind, i.settings, i.last_error, i.wait_until, "                  \
  "  i.last_success_at, i.last_error_at, i.next_run_at, i.created_at, "           \
  "  (SELECT group_concat (p.permission, ',') FROM integration_permissions p "    \
  "    WHERE p.integration_id = i.id), "                                          \
  "  (SELECT count(*) FROM outbox_jobs j WHERE j.integration_id = i.id "          \
  "    AND j.closed_at IS NULL AND j.state IN ('pending', 'started')), "          \
  "  (SELECT count(*) FROM outbox_jobs j WHERE j.integration_id = i.id "          \
  "    AND j.state = 'dead') "                                                    \
  "FROM integrations i "

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static CpIntegration *
integration_from_row (sqlite3_stmt *stmt)
{
  CpIntegration *self = g_new0 (CpIntegration, 1);
  const char *permissions = (const char *) sqlite3_column_text (stmt, 14);

  self->id = cp_sql_dup_text (stmt, 0);
  self->platform = cp_sql_dup_text (stmt, 1);
  self->name = cp_sql_dup_text (stmt, 2);
  self->base_url = cp_sql_dup_text (stmt, 3);
  self->state = cp_sql_dup_text (stmt, 4);
  self->attention = cp_sql_dup_text (stmt, 5);
  self->attention_kind = cp_sql_dup_text (stmt, 6);
  self->settings = cp_sql_dup_text (stmt, 7);
  self->last_error = cp_sql_dup_text (stmt, 8);
  self->wait_until = sqlite3_column_int64 (stmt, 9);
  self->last_success_at = sqlite3_column_int64 (stmt, 10);
  self->last_error_at = sqlite3_column_int64 (stmt, 11);
  self->next_run_at = sqlite3_column_int64 (stmt, 12);
  self->created_at = sqlite3_column_int64 (stmt, 13);
  self->queue_depth = (guint) MIN (sqlite3_column_int64 (stmt, 15), G_MAXUINT);
  self->dead_jobs = (guint) MIN (sqlite3_column_int64 (stmt, 16), G_MAXUINT);

  /* group_concat promises no order. */
  self->permissions = permissions != NULL && *permissions != '\0'
                      ? g_strsplit (permissions, ",", -1)
                      : g_new0 (char *, 1);
  qsort (self->permissions, g_strv_length (self->permissions), sizeof (char *), compare_strings);

  return self;
}

GPtrArray *
cp_integrations_list (CpLedger  *ledger,
                      GError   **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = NULL;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  stmt = cp_ledger_prepare_cached (ledger, SELECT_INTEGRATIONS "ORDER BY i.seq", error);
  if (stmt == NULL)
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_integration_free);
  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the integrations"), error)) == SQLITE_ROW)
    g_ptr_array_add (list, integration_from_row (stmt));

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&list);
}

CpIntegration *
cp_integrations_get (CpLedger    *ledger,
                     const char  *id,
                     GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  stmt = cp_ledger_prepare_cached (ledger, SELECT_INTEGRATIONS "WHERE i.id = ?1", error);
  if (stmt == NULL)
    return NULL;

  cp_sql_bind_text (stmt, 1, id != NULL ? id : "");
  rc = cp_sql_step (ledger, stmt, _("Could not read the integrations"), error);
  if (rc == SQLITE_ROW)
    return integration_from_row (stmt);

  if (rc == SQLITE_DONE)
    cp_integrations_set_not_found (error, id);
  return NULL;
}

gboolean
cp_integrations_run_row_write (CpLedger      *ledger,
                               sqlite3_stmt  *stmt,
                               const char    *id,
                               const char    *table,
                               const char    *what,
                               GError       **error)
{
  gboolean own = !cp_ledger_in_transaction (ledger);

  if (own && !cp_ledger_begin (ledger, error))
    return FALSE;

  if (!cp_sql_run (ledger, stmt, what, error))
    goto fail;

  if (sqlite3_changes (cp_ledger_get_db (ledger)) == 0)
    {
      cp_integrations_set_not_found (error, id);
      goto fail;
    }

  cp_ledger_emit_changed (ledger, table);
  return own ? cp_ledger_commit (ledger, error) : TRUE;

fail:
  if (own)
    cp_ledger_rollback (ledger);
  return FALSE;
}

/* Binds ?1 = ID, ?2 = TEXT, ?3 = now and runs an UPDATE of that row. */
static gboolean
update_text (CpLedger    *ledger,
             const char  *sql,
             const char  *id,
             const char  *text,
             GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  stmt = cp_ledger_prepare_cached (ledger, sql, error);
  if (stmt == NULL)
    return FALSE;

  cp_sql_bind_text (stmt, 1, id != NULL ? id : "");
  cp_sql_bind_text (stmt, 2, text);
  sqlite3_bind_int64 (stmt, 3, cp_ledger_now_us ());
  return cp_integrations_run_row_write (ledger, stmt, id, "integrations",
                                        _("Could not save the integration"), error);
}

gboolean
cp_integrations_set_paused (CpLedger    *ledger,
                            const char  *id,
                            gboolean     paused,
                            GError     **error)
{
  /* Pausing stops sending, not recording: the triggers keep enqueueing,
   * so nothing is missed when the integration is resumed. */
  return update_text (ledger,
                      "UPDATE integrations SET state = ?2, updated_at = ?3 WHERE id = ?1",
                      id, paused ? "paused" : "active", error);
}

gboolean
cp_integrations_set_name (CpLedger    *ledger,
                          const char  *id,
                          const char  *name,
                          GError     **error)
{
  g_autofree char *clean = NULL;

  if (!cp_integrations_check_name (name, error))
    return FALSE;

  clean = g_strstrip (g_strdup (name));
  return update_text (ledger,
                      "UPDATE integrations SET name = ?2, updated_at = ?3 WHERE id = ?1",
                      id, clean, error);
}

gboolean
cp_integrations_set_settings (CpLedger    *ledger,
                              const char  *id,
                              const char  *settings_json,
                              GError     **error)
{
  g_autoptr(JsonNode) node = NULL;

  node = settings_json != NULL ? json_from_string (settings_json, NULL) : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_INVALID,
                           _("The integration’s settings must be a JSON object."));
      return FALSE;
    }

  return update_text (ledger,
                      "UPDATE integrations SET settings = ?2, updated_at = ?3 WHERE id = ?1",
                      id, settings_json, error);
}

gboolean
cp_integrations_check_exists (CpLedger    *ledger,
                              const char  *id,
                              GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  stmt = cp_ledger_prepare_cached (ledger, "SELECT 1 FROM integrations WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  cp_sql_bind_text (stmt, 1, id != NULL ? id : "");
  rc = cp_sql_step (ledger, stmt, _("Could not read the integrations"), error);
  if (rc == SQLITE_DONE)
    cp_integrations_set_not_found (error, id);
  return rc == SQLITE_ROW;
}

typedef struct
{
  const char         *id;
  const char * const *permissions;
} PermissionsData;

static gboolean
set_permissions_in_transaction (CpLedger  *ledger,
                                gpointer   user_data,
                                GError   **error)
{
  PermissionsData *data = user_data;
  g_autoptr(CpSqlCachedStmt) clear = NULL;
  g_autoptr(CpSqlCachedStmt) touch = NULL;

  if (!cp_integrations_check_exists (ledger, data->id, error))
    return FALSE;

  clear = cp_ledger_prepare_cached (ledger,
                                    "DELETE FROM integration_permissions WHERE integration_id = ?1",
                                    error);
  if (clear == NULL)
    return FALSE;

  cp_sql_bind_text (clear, 1, data->id);
  if (!cp_sql_run (ledger, clear, _("Could not save the integration’s permissions"), error) ||
      !insert_permissions (ledger, data->id, data->permissions, error))
    return FALSE;

  touch = cp_ledger_prepare_cached (ledger, "UPDATE integrations SET updated_at = ?2 WHERE id = ?1",
                                    error);
  if (touch == NULL)
    return FALSE;

  cp_sql_bind_text (touch, 1, data->id);
  sqlite3_bind_int64 (touch, 2, cp_ledger_now_us ());
  if (!cp_sql_run (ledger, touch, _("Could not save the integration’s permissions"), error))
    return FALSE;

  cp_ledger_emit_changed (ledger, "integrations");
  return TRUE;
}

gboolean
cp_integrations_set_permissions (CpLedger            *ledger,
                                 const char          *id,
                                 const char * const  *permissions,
                                 GError             **error)
{
  PermissionsData data = { id, permissions };

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  if (!cp_integrations_validate_permissions (permissions, error))
    return FALSE;

  return run_write (ledger, set_permissions_in_transaction, &data, error);
}

static gboolean
remove_in_transaction (CpLedger  *ledger,
                       gpointer   user_data,
                       GError   **error)
{
  const char *id = user_data;
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  g_autofree char *details = NULL;
  gint64 released = 0;
  int rc;

  stmt = cp_ledger_prepare_cached (ledger, "SELECT name FROM integrations WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  cp_sql_bind_text (stmt, 1, id);
  rc = cp_sql_step (ledger, stmt, _("Could not read the integrations"), error);
  if (rc == SQLITE_DONE)
    {
      cp_integrations_set_not_found (error, id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return FALSE;
  name = cp_sql_dup_text (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_reset);

  /* The foreign keys cascade to permissions, mappings, cursors and jobs.
   * Activity and orders have no foreign key on purpose: what happened and
   * what was sold stay, under the id, which is never handed out again. */
  stmt = cp_ledger_prepare_cached (ledger, "DELETE FROM integrations WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  cp_sql_bind_text (stmt, 1, id);
  if (!cp_sql_run (ledger, stmt, _("Could not remove the integration"), error))
    return FALSE;

  if (sqlite3_changes (cp_ledger_get_db (ledger)) == 0)
    {
      cp_integrations_set_not_found (error, id);
      return FALSE;
    }

  /* Its orders still awaiting payment, or kept aside for their currency,
   * hold units no word of the store will ever release now: they go back
   * on sale with the removal (after the delete, so the stock triggers
   * queue no push for a store that is gone), or stay set aside forever. */
  if (!cp_orders_reserve_release_source (ledger, id, &released, error))
    return FALSE;
  if (released > 0)
    message = g_strdup_printf (ngettext ("“%s” was removed. %" PRId64 " unit set aside for its "
                                         "orders not sold yet is on sale again; its orders and "
                                         "activity stay in the ledger.",
                                         "“%s” was removed. %" PRId64 " units set aside for its "
                                         "orders not sold yet are on sale again; its orders and "
                                         "activity stay in the ledger.",
                                         (gulong) MIN (released, G_MAXLONG)),
                               name, (int64_t) released);
  else
    message = g_strdup_printf (_("“%s” was removed. Its orders and activity stay in the "
                                 "ledger."), name);
  details = g_strdup_printf ("{\"released_units\":%" G_GINT64_FORMAT "}", released);
  if (cp_activity_log (ledger, CP_ACTIVITY_INTEGRATION_REMOVED, CP_ACTIVITY_INFO, id, 0, message,
                       details, error) == 0)
    return FALSE;

  cp_ledger_emit_changed (ledger, "integrations");
  cp_ledger_emit_changed (ledger, "outbox");
  return TRUE;
}

gboolean
cp_integrations_remove (CpLedger    *ledger,
                        const char  *id,
                        GError     **error)
{
  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  return run_write (ledger, remove_in_transaction, (gpointer) (id != NULL ? id : ""), error);
}

char *
cp_integrations_credential_key (CpLedger    *ledger,
                                const char  *id,
                                GError     **error)
{
  g_autofree char *ledger_id = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  ledger_id = cp_ledger_get_id (ledger, error);
  if (ledger_id == NULL)
    return NULL;
  return g_strconcat (ledger_id, "/", id, NULL);
}
