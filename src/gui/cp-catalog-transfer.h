/* cp-catalog-transfer.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Catalog import and export from the Catalog & Stock page: the file
 * choosers, a progress bar with Cancel in the page while the work runs in
 * a worker thread, and the result as a toast or, when the CSV has
 * problems, a dialog listing them (nothing is imported then).
 */

#pragma once

#include <adwaita.h>

#include "cp-catalog-io.h"
#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_TYPE_CATALOG_TRANSFER (cp_catalog_transfer_get_type ())
G_DECLARE_FINAL_TYPE (CpCatalogTransfer, cp_catalog_transfer, CP, CATALOG_TRANSFER, AdwBin)

GtkWidget        *cp_catalog_transfer_new               (void);
void              cp_catalog_transfer_set_ledger        (CpCatalogTransfer *self,
                                                         CpLedger          *ledger);

/* Ask for a file, then run. */
void              cp_catalog_transfer_choose_import     (CpCatalogTransfer *self);
void              cp_catalog_transfer_choose_export     (CpCatalogTransfer *self);

/* Run on a file already chosen. */
void              cp_catalog_transfer_import_file       (CpCatalogTransfer *self,
                                                         GFile             *file);
void              cp_catalog_transfer_export_file       (CpCatalogTransfer *self,
                                                         GFile             *file,
                                                         CpExportFormat     format);
gboolean          cp_catalog_transfer_is_busy           (CpCatalogTransfer *self);
void              cp_catalog_transfer_cancel            (CpCatalogTransfer *self);

/* For tests: the dialog listing the last import's problems (NULL once
 * closed) and its text. */
AdwMessageDialog *cp_catalog_transfer_get_problem_dialog (CpCatalogTransfer *self);
const char       *cp_catalog_transfer_get_problem_text   (CpCatalogTransfer *self);

/* The format an export file name asks for by its extension; FALSE when
 * it names none we write. */
gboolean          cp_export_format_from_filename         (const char        *name,
                                                          CpExportFormat    *out_format);

G_END_DECLS
