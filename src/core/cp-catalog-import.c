/* cp-catalog-import.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Catalog import from CSV. Two passes inside one write transaction: the
 * first reads and checks every row and collects every problem, so a
 * person fixes the file once instead of once per error; the second
 * writes, and only runs when there is nothing to report.
 */

#define G_LOG_DOMAIN "cp-catalog-io"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cp-catalog-io.h"
#include "cp-catalog-import-private.h"
#include "cp-catalog-io-private.h"
#include "cp-catalog.h"
#include "cp-categories.h"
#include "cp-csv.h"
#include "cp-money.h"
#include "cp-sql.h"
#include "cp-stock.h"

#define PROGRESS_EVERY 500

static int
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  const CpImportProblem *pa = *(const CpImportProblem **) a;
  const CpImportProblem *pb = *(const CpImportProblem **) b;

  if (pa->line != pb->line)
    return pa->line < pb->line ? -1 : 1;
  if (pa->column != pb->column)
    return pa->column < pb->column ? -1 : 1;
  return 0;
}

/* Writing */

static gboolean
get_on_hand (CpLedger  *ledger,
             gint64     variant_id,
             gint64     location_id,
             gint64    *out_on_hand,
             GError   **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT on_hand FROM stock_levels "
                                   "WHERE variant_id = ?1 AND location_id = ?2",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, variant_id);
  sqlite3_bind_int64 (stmt, 2, location_id);
  rc = cp_sql_step (ledger, stmt, _("Could not read the stock"), error);
  if (rc == SQLITE_ROW)
    *out_on_hand = sqlite3_column_int64 (stmt, 0);
  else if (rc == SQLITE_DONE)
    *out_on_hand = 0;
  else
    return FALSE;

  return TRUE;
}

/* Puts the product of VARIANT_ID in the row's category (created with
 * its parents when new). MOVED says whether that changed anything. */
static gboolean
write_category (CpImportState    *import,
                CpImportRowPlan  *plan,
                gint64            variant_id,
                gint64           *out_category_id,
                gboolean         *out_moved,
                GError          **error)
{
  GError *local_error = NULL;
  gint64 current;
  gint64 product_id;

  if (plan->category != NULL &&
      !cp_categories_find_or_create (import->ledger, plan->category, out_category_id,
                                     &local_error))
    {
      cp_catalog_import_add_problem (import, plan->line,
                                     import->fixed[CP_CATALOG_IO_COLUMN_CATEGORY],
                                     "%s", local_error->message);
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (!cp_categories_get_for_variant (import->ledger, variant_id, &product_id, &current, error))
    return FALSE;

  *out_moved = current != *out_category_id;
  return !*out_moved ||
         cp_categories_set_product (import->ledger, product_id, *out_category_id, error);
}

static gboolean
write_plans (CpImportState   *import,
             const char      *reference,
             CpProgressFunc   progress,
             gpointer         progress_data,
             GCancellable    *cancellable,
             GError         **error)
{
  CpImportReport *report = import->report;

  for (guint i = 0; i < import->plans->len; i++)
    {
      CpImportRowPlan *plan = g_ptr_array_index (import->plans, i);
      GError *local_error = NULL;
      CpUpsertResult result;
      gboolean stock_changed = FALSE;
      gint64 variant_id;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (!cp_catalog_upsert_variant (import->ledger, plan->variant, &variant_id, &result,
                                      &local_error))
        {
          cp_catalog_import_add_problem (import, plan->line, -1, "%s", local_error->message);
          g_propagate_error (error, local_error);
          return FALSE;
        }

      if (plan->has_category)
        {
          gint64 category_id = 0;
          gboolean moved;

          if (!write_category (import, plan, variant_id, &category_id, &moved, error))
            return FALSE;
          if (moved && result == CP_UPSERT_UNCHANGED)
            result = CP_UPSERT_UPDATED;
        }

      for (guint k = 0; k < import->stock_columns->len; k++)
        {
          CpImportColumn *column;
          gint64 current;

          if (!plan->has_on_hand[k])
            continue;

          column = g_ptr_array_index (import->columns,
                                      g_array_index (import->stock_columns, guint, k));
          if (!get_on_hand (import->ledger, variant_id, column->location->id, &current, error))
            return FALSE;
          if (current == plan->on_hand[k])
            continue;

          /* A count: the file says what is on the shelf now. */
          if (!cp_stock_adjust_ids (import->ledger, variant_id, column->location->id,
                                    plan->on_hand[k] - current, CP_STOCK_REASON_COUNT,
                                    NULL, reference, NULL, NULL, &local_error))
            {
              cp_catalog_import_add_problem (import, plan->line, g_array_index (import->stock_columns, guint, k),
                           "%s", local_error->message);
              g_propagate_error (error, local_error);
              return FALSE;
            }
          stock_changed = TRUE;
        }

      if (result == CP_UPSERT_CREATED)
        report->created++;
      else if (result == CP_UPSERT_UPDATED || stock_changed)
        report->updated++;
      else
        report->unchanged++;

      if (progress != NULL && ((i + 1) % PROGRESS_EVERY == 0 || i + 1 == import->plans->len))
        progress (i + 1, import->plans->len, progress_data);
    }

  return TRUE;
}

static void
set_invalid_error (CpImportReport  *report,
                   gboolean         encoding,
                   GError         **error)
{
  const CpImportProblem *first = g_ptr_array_index (report->problems, 0);
  g_autofree char *first_text = cp_import_problem_to_string (first);

  if (encoding)
    g_set_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_ENCODING,
                 _("Nothing was imported: the file is not UTF-8 text. Save the file as UTF-8 "
                   "(in LibreOffice: File → Save As → Text CSV, character set Unicode UTF-8), "
                   "then import it again."));
  else
    g_set_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_INVALID,
                 ngettext ("Nothing was imported: the file has %u problem. Correct it and "
                           "import the file again. %s",
                           "Nothing was imported: the file has %u problems. Correct them and "
                           "import the file again. First: %s",
                           report->problems->len),
                 report->problems->len, first_text);
}

static gboolean
import_csv (CpLedger        *ledger,
            const char      *path,
            CpProgressFunc   progress,
            gpointer         progress_data,
            GCancellable    *cancellable,
            CpImportReport  *report,
            GError         **error)
{
  CpImportState import;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(CpCsvReader) reader = NULL;
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *reference = g_strdup_printf ("import:%s", basename);
  GError *local_error = NULL;
  gboolean header_encoding = FALSE;
  gint64 start_us = g_get_monotonic_time ();
  gint64 checked_us, written_us;
  gboolean ok = FALSE;

  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, local_error);
      else
        {
          g_set_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_IO,
                       _("Cannot read “%s”: %s. Check the file name and that you may read "
                         "it."),
                       path, local_error->message);
          g_error_free (local_error);
        }
      return FALSE;
    }

  reader = cp_csv_reader_new_for_stream (G_INPUT_STREAM (stream));

  cp_catalog_import_state_init (&import, ledger, report);

  /* Checked and written in one write transaction, so the checks see what
   * the writes will find. */
  if (!cp_ledger_begin (ledger, error))
    goto out;

  import.locations = cp_locations_list (ledger, error);
  if (import.locations == NULL)
    goto rollback;

  if (!cp_csv_reader_next (reader, cancellable, &local_error))
    {
      guint line, column;

      if (local_error == NULL)
        {
          cp_catalog_import_add_problem (&import, 1, -1,
                       _("The file is empty. Its first line must name the columns, for "
                         "example: sku,name,price"));
          goto invalid;
        }
      if (!g_error_matches (local_error, CP_CSV_ERROR, CP_CSV_ERROR_ENCODING))
        goto csv_failed;

      cp_csv_reader_get_error_position (reader, &line, &column);
      cp_catalog_import_add_problem (&import, line, (int) column - 1,
                   _("This is not UTF-8 text: save the file as UTF-8 (in LibreOffice: File → "
                     "Save As → Text CSV, character set Unicode UTF-8)."));
      /* The rest would only be echoes of the same problem (unknown
       * columns, a missing "name"): the whole file needs re-saving. */
      g_clear_error (&local_error);
      header_encoding = TRUE;
      goto invalid;
    }

  cp_catalog_import_read_header (&import, reader);
  cp_csv_reader_set_expected_fields (reader, cp_csv_reader_get_n_fields (reader));

  for (;;)
    {
      gboolean have_row = cp_csv_reader_next (reader, cancellable, &local_error);

      if (!have_row && local_error == NULL)
        break;

      if (local_error != NULL)
        {
          guint line, column;

          cp_csv_reader_get_error_position (reader, &line, &column);

          if (g_error_matches (local_error, CP_CSV_ERROR, CP_CSV_ERROR_ENCODING))
            {
              cp_catalog_import_add_problem (&import, line, (int) column - 1,
                           _("This is not UTF-8 text: save the file as UTF-8 (in LibreOffice: "
                             "File → Save As → Text CSV, character set Unicode UTF-8)."));
              g_clear_error (&local_error);
              /* The fields were made readable: check the rest of the row. */
            }
          else if (g_error_matches (local_error, CP_CSV_ERROR, CP_CSV_ERROR_RAGGED))
            {
              guint n = cp_csv_reader_get_n_fields (reader);
              guint expected = import.columns->len;

              cp_catalog_import_add_problem (&import, line, -1,
                           ngettext ("This row has %u field but the header has %u: look for "
                                     "a missing or extra comma, or a value with a comma that "
                                     "needs quotes (\"like, this\").",
                                     "This row has %u fields but the header has %u: look for "
                                     "a missing or extra comma, or a value with a comma that "
                                     "needs quotes (\"like, this\").",
                                     n),
                           n, expected);
              g_clear_error (&local_error);
              report->rows++;
              continue;
            }
          else if (g_error_matches (local_error, CP_CSV_ERROR, CP_CSV_ERROR_UNTERMINATED))
            {
              cp_catalog_import_add_problem (&import, line, (int) column - 1,
                           _("A quoted value starts here but its closing quote (\") is "
                             "missing. Add the closing quote, or write a quote inside a value "
                             "as two quotes (\"\")."));
              g_clear_error (&local_error);
              break;
            }
          else
            goto csv_failed;
        }

      report->rows++;
      if (!cp_catalog_import_process_row (&import, reader, error))
        goto rollback;

      if (progress != NULL && report->rows % PROGRESS_EVERY == 0)
        progress (report->rows, 0, progress_data);
    }

  if (report->problems->len > 0)
    goto invalid;

  checked_us = g_get_monotonic_time ();
  if (!write_plans (&import, reference, progress, progress_data, cancellable, error))
    goto rollback;

  written_us = g_get_monotonic_time ();
  if (!cp_ledger_commit (ledger, error))
    goto out;

  g_debug ("Imported %u rows of %s: checked in %.2f s, written in %.2f s, committed in %.2f s",
           report->rows, basename, (checked_us - start_us) / 1e6, (written_us - checked_us) / 1e6,
           (g_get_monotonic_time () - written_us) / 1e6);

  ok = TRUE;
  goto out;

csv_failed:
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, local_error);
  else
    {
      g_set_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_IO,
                   _("Cannot read “%s”: %s"), path, local_error->message);
      g_error_free (local_error);
    }
  goto rollback;

invalid:
  g_ptr_array_sort (report->problems, compare_problems);
  set_invalid_error (report, header_encoding, error);

rollback:
  cp_ledger_rollback (ledger);
  report->created = report->updated = report->unchanged = 0;

out:
  cp_catalog_import_state_clear (&import);
  return ok;
}

gboolean
cp_catalog_import_csv (CpLedger        *ledger,
                       const char      *path,
                       CpProgressFunc   progress,
                       gpointer         progress_data,
                       GCancellable    *cancellable,
                       CpImportReport **out_report,
                       GError         **error)
{
  g_autoptr(CpImportReport) report = NULL;
  gboolean ok;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  report = cp_import_report_new ();
  ok = import_csv (ledger, path, progress, progress_data, cancellable, report, error);

  if (out_report != NULL)
    *out_report = g_steal_pointer (&report);

  return ok;
}
