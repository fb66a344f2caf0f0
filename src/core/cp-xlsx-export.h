/* cp-xlsx-export.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A one-sheet XLSX writer over libxlsxwriter for exports: a bold header
 * row, text, whole numbers and money shown with its currency's decimals.
 * Rows must be written top to bottom (it streams, for big catalogs).
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _CpXlsxSheet CpXlsxSheet;

/* Creates the workbook at PATH (written when closed). */
CpXlsxSheet *cp_xlsx_sheet_new         (const char         *path,
                                        const char         *sheet_name,
                                        GError            **error);
/* Row 0: NAMES in bold, frozen so it stays visible while scrolling. */
void         cp_xlsx_sheet_set_header  (CpXlsxSheet        *self,
                                        const char * const *names,
                                        guint               n_names);
/* Widens column COLUMN to WIDTH characters; HIDDEN hides it. */
void         cp_xlsx_sheet_set_column  (CpXlsxSheet        *self,
                                        guint               column,
                                        double              width,
                                        gboolean            hidden);
/* ROW counts from 1 (0 is the header). NULL or "" leaves the cell empty. */
void         cp_xlsx_sheet_write_text  (CpXlsxSheet        *self,
                                        guint               row,
                                        guint               column,
                                        const char         *text);
void         cp_xlsx_sheet_write_integer (CpXlsxSheet      *self,
                                          guint             row,
                                          guint             column,
                                          gint64            value);
void         cp_xlsx_sheet_write_money (CpXlsxSheet        *self,
                                        guint               row,
                                        guint               column,
                                        gint64              minor,
                                        const char         *currency);
/* Writes the file and frees SELF. FALSE when any write failed. */
gboolean     cp_xlsx_sheet_close       (CpXlsxSheet        *self,
                                        GError            **error);
/* Frees SELF; whatever was written at the path is removed. */
void         cp_xlsx_sheet_abort       (CpXlsxSheet        *self);

G_END_DECLS
