/* cp-catalog-import-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalog import's state, shared by the reading and checking of rows
 * (cp-catalog-import-rows.c) and the driver that writes them
 * (cp-catalog-import.c).
 */

#pragma once

#include "cp-catalog.h"
#include "cp-catalog-io-private.h"
#include "cp-csv.h"

G_BEGIN_DECLS

typedef struct
{
  CpCatalogIoColumn  kind;
  char              *name;      /* as written in the header, trimmed */
  const char        *field;     /* module field, for COLUMN_FIELD */
  CpLocation        *location;  /* for COLUMN_ON_HAND (borrowed) */
} CpImportColumn;

typedef struct
{
  guint      line;
  CpVariant *variant;
  gint64    *on_hand;      /* one per stock column */
  gboolean  *has_on_hand;
  gboolean   has_category;  /* the file has the column */
  char      *category;      /* its path, normalized; NULL for none */
} CpImportRowPlan;

typedef struct
{
  guint  line;
  char  *sku;
  char  *name;     /* product rows only */
  int    module;   /* product rows only */
  char  *category; /* product rows only */
} CpImportSeen;

typedef struct
{
  CpLedger        *ledger;
  CpImportReport  *report;
  GPtrArray       *columns;        /* CpImportColumn*, one per header cell */
  int              fixed[CP_CATALOG_IO_N_FIXED];  /* header index or -1 */
  GArray          *field_columns;  /* guint header indices */
  GArray          *stock_columns;  /* guint header indices */
  GPtrArray       *locations;      /* CpLocation* */
  GPtrArray       *plans;          /* CpImportRowPlan* */
  GHashTable      *skus;           /* sku → CpImportSeen* */
  GHashTable      *barcodes;       /* barcode → CpImportSeen* */
  GHashTable      *products;       /* handle → CpImportSeen* */
} CpImportState;

void      cp_catalog_import_state_init   (CpImportState   *import,
                                          CpLedger        *ledger,
                                          CpImportReport  *report);
void      cp_catalog_import_state_clear  (CpImportState   *import);
/* COLUMN_INDEX is the 0-based header index, or -1 for the whole line. */
void      cp_catalog_import_add_problem  (CpImportState   *import,
                                          guint            line,
                                          int              column_index,
                                          const char      *format,
                                          ...) G_GNUC_PRINTF (4, 5);
/* Reads the header row the reader is on into IMPORT->columns, noting
 * every problem with it. */
void      cp_catalog_import_read_header  (CpImportState   *import,
                                          CpCsvReader     *reader);
/* Checks the data row the reader is on and, when it is good, plans its
 * write. FALSE only when the ledger itself failed (ERROR set). */
gboolean  cp_catalog_import_process_row  (CpImportState   *import,
                                          CpCsvReader     *reader,
                                          GError         **error);

G_END_DECLS
