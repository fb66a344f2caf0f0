/* cp-catalog-page-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What tests/gui/test-pages.c reaches into. Not for other widgets.
 */

#pragma once

#include "cp-catalog-page.h"
#include "cp-catalog-transfer.h"
#include "cp-stock-adjust-dialog.h"
#include "cp-variant-detail.h"

G_BEGIN_DECLS

GtkColumnView       *_cp_catalog_page_get_column_view   (CpCatalogPage *self);
GtkSearchEntry      *_cp_catalog_page_get_search_entry  (CpCatalogPage *self);
CpVariantDetail     *_cp_catalog_page_get_detail        (CpCatalogPage *self);
CpCatalogTransfer   *_cp_catalog_page_get_transfer      (CpCatalogPage *self);
/* "list", "empty" or "no-results". */
const char          *_cp_catalog_page_get_state         (CpCatalogPage *self);
/* The dialog "page.adjust-stock" opened last, while it is open. */
CpStockAdjustDialog *_cp_catalog_page_get_adjust_dialog (CpCatalogPage *self);
void                 _cp_catalog_page_get_controls      (CpCatalogPage    *self,
                                                         GtkDropDown     **location,
                                                         GtkDropDown     **module,
                                                         GtkDropDown     **sort,
                                                         GtkToggleButton **descending);
/* Re-reads the data version now instead of in up to 2 s. */
void                 _cp_catalog_page_poll              (CpCatalogPage *self);

G_END_DECLS
