/* cp-wizard-preview.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scratch ledger holds only what matching reads (products, variants,
 * locations, stock levels): copying those tables is cheap even for a
 * ledger with years of orders, which a whole-file copy would not be.
 */

#define G_LOG_DOMAIN "cp-wizard-preview"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cp-integrations.h"
#include "cp-ledger.h"
#include "cp-wizard-preview.h"

/* Children before parents when emptying, parents first when filling. */
static const char *copy_sql =
  "DELETE FROM main.stock_levels;"
  "DELETE FROM main.variants;"
  "DELETE FROM main.products;"
  "DELETE FROM main.locations;"
  "INSERT INTO main.locations SELECT * FROM src.locations;"
  "INSERT INTO main.products SELECT * FROM src.products;"
  "INSERT INTO main.variants SELECT * FROM src.variants;"
  "INSERT INTO main.stock_levels SELECT * FROM src.stock_levels;";

static gboolean
copy_catalog (CpLedger    *scratch,
              const char  *ledger_path,
              GError     **error)
{
  sqlite3 *db = cp_ledger_get_db (scratch);
  char *attach = sqlite3_mprintf ("ATTACH DATABASE %Q AS src", ledger_path);
  char *message = NULL;
  int rc;

  rc = sqlite3_exec (db, attach, NULL, NULL, NULL);
  sqlite3_free (attach);
  if (rc != SQLITE_OK)
    {
      cp_ledger_set_error_from_sqlite (scratch, error, _("Could not read the catalog"));
      return FALSE;
    }
  if (!cp_ledger_begin (scratch, error))
    return FALSE;
  rc = sqlite3_exec (db, copy_sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_ENGINE,
                   _("Could not read the catalog: %s"), message);
      sqlite3_free (message);
      cp_ledger_rollback (scratch);
      sqlite3_exec (db, "DETACH DATABASE src", NULL, NULL, NULL);
      return FALSE;
    }
  if (!cp_ledger_commit (scratch, error))
    return FALSE;
  sqlite3_exec (db, "DETACH DATABASE src", NULL, NULL, NULL);
  return TRUE;
}

static void
remove_scratch (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

CpMappingReport *
cp_wizard_preview_run (const char    *ledger_path,
                       const char    *platform,
                       const char    *base_url,
                       const char    *credentials_json,
                       char         **out_account,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(CpConnector) tester = NULL;
  g_autoptr(CpConnector) connector = NULL;
  g_autoptr(CpLedger) scratch = NULL;
  g_autofree char *account = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  CpMappingReport *report = NULL;

  g_return_val_if_fail (ledger_path != NULL && platform != NULL, NULL);

  /* First the key alone: its failure is the clearest message. */
  tester = cp_connector_new_for_platform (platform, "wizard", base_url, credentials_json, error);
  if (tester == NULL || !cp_connector_test (tester, &account, cancellable, error))
    return NULL;

  dir = g_dir_make_tmp ("counterpart-wizard-XXXXXX", error);
  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, "preview.sqlite", NULL);
  scratch = cp_ledger_open (path, error);
  if (scratch != NULL && copy_catalog (scratch, ledger_path, error))
    id = cp_integrations_add (scratch, platform, "preview", base_url, NULL, error);
  if (id != NULL)
    connector = cp_connector_new_for_platform (platform, id, base_url, credentials_json, error);
  if (connector != NULL)
    report = cp_connector_refresh_mappings (connector, scratch, cancellable, error);

  g_clear_object (&connector);
  g_clear_object (&scratch);
  remove_scratch (dir);

  if (report != NULL && out_account != NULL)
    *out_account = account != NULL ? g_steal_pointer (&account) : g_strdup ("");
  return report;
}
