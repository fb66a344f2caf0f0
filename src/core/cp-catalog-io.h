/* cp-catalog-io.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Catalog import (CSV, all or nothing) and export (CSV, XLSX, JSON), with
 * stock per location. The CSV format is the one in shared/CLI.md.
 */

#pragma once

#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_CATALOG_IO_ERROR (cp_catalog_io_error_quark ())

typedef enum
{
  CP_CATALOG_IO_ERROR_INVALID,   /* one or more problems: see the report */
  CP_CATALOG_IO_ERROR_ENCODING,  /* the file is not UTF-8 */
  CP_CATALOG_IO_ERROR_IO,        /* cannot read or write the file */
  CP_CATALOG_IO_ERROR_FORMAT,    /* unknown export format */
} CpCatalogIoError;

typedef enum
{
  CP_EXPORT_CSV,
  CP_EXPORT_XLSX,
  CP_EXPORT_JSON,
} CpExportFormat;

typedef struct
{
  guint  line;      /* 1-based, the header is line 1 */
  guint  column;    /* 1-based; 0 when the problem is the whole line */
  char  *column_name;
  char  *message;   /* what is wrong and what to do */
} CpImportProblem;

typedef struct
{
  guint      rows;
  guint      created;
  guint      updated;
  guint      unchanged;
  GPtrArray *problems;  /* CpImportProblem*; empty when it imported */
} CpImportReport;

GQuark          cp_catalog_io_error_quark (void);
void            cp_import_report_free     (CpImportReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpImportReport, cp_import_report_free)
/* "line 4, column 3 (price): …" */
char           *cp_import_problem_to_string (const CpImportProblem *problem);

/* Progress: DONE of TOTAL rows (TOTAL may be 0 when unknown). */
typedef void (*CpProgressFunc) (guint64  done,
                                guint64  total,
                                gpointer user_data);

/* Validates every row first; writes nothing unless all are valid, then
 * writes all in one transaction. On problems returns FALSE with
 * CP_CATALOG_IO_ERROR_INVALID and the report (always set) lists them. */
gboolean        cp_catalog_import_csv     (CpLedger         *ledger,
                                           const char       *path,
                                           CpProgressFunc    progress,
                                           gpointer          progress_data,
                                           GCancellable     *cancellable,
                                           CpImportReport  **out_report,
                                           GError          **error);
gboolean        cp_export_format_from_string (const char     *text,
                                              CpExportFormat *out_format);
gboolean        cp_catalog_export         (CpLedger         *ledger,
                                           const char       *path,
                                           CpExportFormat    format,
                                           CpProgressFunc    progress,
                                           gpointer          progress_data,
                                           GCancellable     *cancellable,
                                           GError          **error);

/* The same in a worker thread with its own connection to LEDGER's file.
 * PROGRESS is called on the caller's main context. */
void            cp_catalog_import_csv_async  (CpLedger            *ledger,
                                              const char          *path,
                                              CpProgressFunc       progress,
                                              gpointer             progress_data,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean        cp_catalog_import_csv_finish (CpLedger         *ledger,
                                              GAsyncResult     *result,
                                              CpImportReport  **out_report,
                                              GError          **error);
void            cp_catalog_export_async      (CpLedger            *ledger,
                                              const char          *path,
                                              CpExportFormat       format,
                                              CpProgressFunc       progress,
                                              gpointer             progress_data,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean        cp_catalog_export_finish     (CpLedger      *ledger,
                                              GAsyncResult  *result,
                                              GError       **error);

G_END_DECLS
