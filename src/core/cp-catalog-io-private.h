/* cp-catalog-io-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the catalog import and the exports, which must agree on the
 * columns so that an export imports back unchanged.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cp-catalog-io.h"

G_BEGIN_DECLS

/* In export order. */
typedef enum
{
  CP_CATALOG_IO_COLUMN_SKU,
  CP_CATALOG_IO_COLUMN_NAME,
  CP_CATALOG_IO_COLUMN_PRODUCT,
  CP_CATALOG_IO_COLUMN_OPTION1,
  CP_CATALOG_IO_COLUMN_OPTION2,
  CP_CATALOG_IO_COLUMN_OPTION3,
  CP_CATALOG_IO_COLUMN_PRICE,
  CP_CATALOG_IO_COLUMN_CURRENCY,
  CP_CATALOG_IO_COLUMN_COST,
  CP_CATALOG_IO_COLUMN_BARCODE,
  CP_CATALOG_IO_COLUMN_TAX_CLASS,
  CP_CATALOG_IO_COLUMN_MODULE,
  CP_CATALOG_IO_COLUMN_CATEGORY,
  CP_CATALOG_IO_N_FIXED,
  /* Not fixed: */
  CP_CATALOG_IO_COLUMN_FIELD = CP_CATALOG_IO_N_FIXED,
  CP_CATALOG_IO_COLUMN_ON_HAND,
  CP_CATALOG_IO_COLUMN_IGNORED,
} CpCatalogIoColumn;

extern const char * const cp_catalog_io_fixed_columns[CP_CATALOG_IO_N_FIXED];

CpImportReport *cp_import_report_new           (void);
/* const char* field names of every module, each once, in module order. */
GPtrArray      *cp_catalog_io_all_fields       (void);
/* An attribute value as a spreadsheet cell shows it: strings as they
 * are, numbers and booleans as JSON writes them, null as empty. */
char           *cp_catalog_io_attribute_text   (JsonNode *node);

G_END_DECLS
