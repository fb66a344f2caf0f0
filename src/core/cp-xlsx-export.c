/* cp-xlsx-export.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-xlsx-export"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <xlsxwriter.h>

#include "cp-catalog-io.h"
#include "cp-money.h"
#include "cp-xlsx-export.h"

/* The largest magnitude a double holds exactly as an integer (2^53). */
#define EXACT_DOUBLE_LIMIT G_GINT64_CONSTANT (9007199254740992)

#define MAX_EXPONENT 4

struct _CpXlsxSheet
{
  char           *path;
  lxw_workbook   *workbook;
  lxw_worksheet  *worksheet;
  lxw_format     *bold;
  lxw_format     *money[MAX_EXPONENT + 1];
  lxw_error       first_error;
};

CpXlsxSheet *
cp_xlsx_sheet_new (const char  *path,
                   const char  *sheet_name,
                   GError     **error)
{
  CpXlsxSheet *self;
  lxw_workbook_options options = { 0, };
  g_autofree char *tmpdir = g_strdup (g_get_tmp_dir ());

  g_return_val_if_fail (path != NULL, NULL);

  /* Rows go straight to a temporary file instead of memory, so a catalog
   * of any size exports in constant memory. */
  options.constant_memory = LXW_TRUE;
  options.tmpdir = tmpdir;

  self = g_new0 (CpXlsxSheet, 1);
  self->path = g_strdup (path);
  self->workbook = workbook_new_opt (path, &options);
  if (self->workbook == NULL)
    {
      g_set_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_IO,
                   _("Cannot create the spreadsheet “%s”."), path);
      g_free (self->path);
      g_free (self);
      return NULL;
    }

  self->worksheet = workbook_add_worksheet (self->workbook, sheet_name);
  self->bold = workbook_add_format (self->workbook);
  format_set_bold (self->bold);

  for (guint e = 0; e <= MAX_EXPONENT; e++)
    {
      g_autoptr(GString) pattern = g_string_new ("#,##0");

      if (e > 0)
        {
          g_string_append_c (pattern, '.');
          for (guint i = 0; i < e; i++)
            g_string_append_c (pattern, '0');
        }
      self->money[e] = workbook_add_format (self->workbook);
      format_set_num_format (self->money[e], pattern->str);
    }

  return self;
}

static void
note (CpXlsxSheet *self,
      lxw_error    result)
{
  if (result != LXW_NO_ERROR && self->first_error == LXW_NO_ERROR)
    self->first_error = result;
}

void
cp_xlsx_sheet_set_header (CpXlsxSheet        *self,
                          const char * const *names,
                          guint               n_names)
{
  g_return_if_fail (self != NULL);

  for (guint i = 0; i < n_names; i++)
    note (self, worksheet_write_string (self->worksheet, 0, i, names[i], self->bold));
  worksheet_freeze_panes (self->worksheet, 1, 0);
}

void
cp_xlsx_sheet_set_column (CpXlsxSheet *self,
                          guint        column,
                          double       width,
                          gboolean     hidden)
{
  lxw_row_col_options options = { 0, };

  g_return_if_fail (self != NULL);

  options.hidden = hidden ? 1 : 0;
  note (self, worksheet_set_column_opt (self->worksheet, column, column, width, NULL, &options));
}

void
cp_xlsx_sheet_write_text (CpXlsxSheet *self,
                          guint        row,
                          guint        column,
                          const char  *text)
{
  g_return_if_fail (self != NULL);

  if (text == NULL || *text == '\0')
    return;

  note (self, worksheet_write_string (self->worksheet, row, column, text, NULL));
}

void
cp_xlsx_sheet_write_integer (CpXlsxSheet *self,
                             guint        row,
                             guint        column,
                             gint64       value)
{
  g_return_if_fail (self != NULL);

  /* A spreadsheet number is a double: exact up to 2^53. Beyond that,
   * text keeps every digit. */
  if (value > -EXACT_DOUBLE_LIMIT && value < EXACT_DOUBLE_LIMIT)
    note (self, worksheet_write_number (self->worksheet, row, column, (double) value, NULL));
  else
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

      note (self, worksheet_write_string (self->worksheet, row, column, text, NULL));
    }
}

/* This is the one place where money becomes a double, and only because
 * an XLSX number cell cannot hold anything else: a spreadsheet must see a
 * number to sum a column. The amount is exact in minor units (< 2^53) and
 * the division gives the double nearest the decimal value, which the
 * cell's format shows with the currency's decimals. Nothing reads this
 * back: exports also carry the exact minor units (price_minor), and the
 * ledger never sees this value. */
void
cp_xlsx_sheet_write_money (CpXlsxSheet *self,
                           guint        row,
                           guint        column,
                           gint64       minor,
                           const char  *currency)
{
  guint exponent;
  double scale = 1.0;

  g_return_if_fail (self != NULL);

  exponent = MIN (cp_currency_exponent (currency), MAX_EXPONENT);
  if (minor <= -EXACT_DOUBLE_LIMIT || minor >= EXACT_DOUBLE_LIMIT)
    {
      g_autofree char *text = cp_money_format_plain (minor, currency);

      note (self, worksheet_write_string (self->worksheet, row, column, text, NULL));
      return;
    }

  for (guint i = 0; i < exponent; i++)
    scale *= 10.0;

  note (self, worksheet_write_number (self->worksheet, row, column,
                                      (double) minor / scale, self->money[exponent]));
}

static void
sheet_free (CpXlsxSheet *self)
{
  g_free (self->path);
  g_free (self);
}

gboolean
cp_xlsx_sheet_close (CpXlsxSheet  *self,
                     GError      **error)
{
  lxw_error result;
  lxw_error first;

  g_return_val_if_fail (self != NULL, FALSE);

  first = self->first_error;
  result = workbook_close (self->workbook);
  if (first == LXW_NO_ERROR)
    first = result;

  if (first != LXW_NO_ERROR)
    {
      g_set_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_IO,
                   _("Cannot write the spreadsheet “%s”: %s. Check that the folder is "
                     "writable and the disk is not full."),
                   self->path, lxw_strerror (first));
      g_unlink (self->path);
      sheet_free (self);
      return FALSE;
    }

  sheet_free (self);
  return TRUE;
}

void
cp_xlsx_sheet_abort (CpXlsxSheet *self)
{
  if (self == NULL)
    return;

  workbook_close (self->workbook);
  g_unlink (self->path);
  sheet_free (self);
}
