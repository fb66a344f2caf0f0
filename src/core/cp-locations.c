/* cp-locations.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The shop's locations (shops, warehouses, a van): where stock is and
 * where sales happen. Codes are unique and never reused for another place.
 */

#define G_LOG_DOMAIN "cp-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-catalog.h"
#include "cp-catalog-private.h"
#include "cp-money.h"
#include "cp-sql.h"

void
cp_location_free (CpLocation *location)
{
  if (location == NULL)
    return;

  g_free (location->code);
  g_free (location->name);
  g_free (location);
}

static CpLocation *
location_from_row (sqlite3_stmt *stmt)
{
  CpLocation *location = g_new0 (CpLocation, 1);

  location->id = sqlite3_column_int64 (stmt, 0);
  location->code = cp_sql_dup_text (stmt, 1);
  location->name = cp_sql_dup_text (stmt, 2);
  g_strlcpy (location->currency, (const char *) sqlite3_column_text (stmt, 3),
             sizeof location->currency);

  return location;
}

GPtrArray *
cp_locations_list (CpLedger  *ledger,
                   GError   **error)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autoptr(GPtrArray) locations = NULL;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  stmt = cp_ledger_prepare (ledger,
                            "SELECT id, code, name, currency FROM locations ORDER BY code",
                            error);
  if (stmt == NULL)
    return NULL;

  locations = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_location_free);
  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the locations"), error)) == SQLITE_ROW)
    g_ptr_array_add (locations, location_from_row (stmt));

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&locations);
}

CpLocation *
cp_locations_get (CpLedger    *ledger,
                  const char  *code,
                  GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT id, code, name, currency FROM locations WHERE code = ?1",
                                   error);
  if (stmt == NULL)
    return NULL;

  cp_sql_bind_text (stmt, 1, code != NULL ? code : "");
  rc = cp_sql_step (ledger, stmt, _("Could not read the locations"), error);
  if (rc == SQLITE_ROW)
    return location_from_row (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND,
                 _("There is no location “%s”. Use the code of one of the shop’s locations, "
                   "or add the location first."),
                 code != NULL ? code : "");
  return NULL;
}

gboolean
cp_locations_add (CpLedger    *ledger,
                  const char  *code,
                  const char  *name,
                  const char  *currency,
                  gint64      *out_id,
                  GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(CpLocation) existing = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  if (!cp_catalog_is_clean_key (code, 32))
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("“%s” cannot be a location code. Use 1 to 32 characters without spaces "
                     "at either end, such as MAIN or WAREHOUSE-2."),
                   code != NULL ? code : "");
      return FALSE;
    }

  if (name == NULL || *name == '\0')
    name = code;

  if (currency == NULL || *currency == '\0')
    currency = cp_ledger_get_currency (ledger);

  if (!cp_currency_is_valid (currency))
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("“%s” is not a currency code. Use a three-letter ISO 4217 code such as "
                     "USD, EUR or JPY."),
                   currency);
      return FALSE;
    }

  existing = cp_locations_get (ledger, code, NULL);
  if (existing != NULL)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CONSTRAINT,
                   _("There is already a location “%s” (%s). Choose another code."),
                   code, existing->name);
      return FALSE;
    }

  stmt = cp_ledger_prepare_cached (ledger,
                                   "INSERT INTO locations (code, name, currency, created_at) "
                                   "VALUES (?1, ?2, ?3, ?4)",
                                   error);
  if (stmt == NULL)
    return FALSE;

  cp_sql_bind_text (stmt, 1, code);
  cp_sql_bind_text (stmt, 2, name);
  cp_sql_bind_text (stmt, 3, currency);
  sqlite3_bind_int64 (stmt, 4, cp_ledger_now_us ());

  if (!cp_sql_run (ledger, stmt, _("Could not add the location"), error))
    return FALSE;

  if (out_id != NULL)
    *out_id = sqlite3_last_insert_rowid (cp_ledger_get_db (ledger));

  cp_ledger_emit_changed (ledger, "locations");
  return TRUE;
}
