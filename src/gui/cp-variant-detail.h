/* cp-variant-detail.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The detail pane of Catalog & Stock: one variant, its stock at each
 * location and its latest stock movements. Its buttons activate the
 * actions "page.adjust-stock" and "page.set-safety" of the page around it.
 */

#pragma once

#include <adwaita.h>

#include "cp-catalog.h"
#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_TYPE_VARIANT_DETAIL (cp_variant_detail_get_type ())
G_DECLARE_FINAL_TYPE (CpVariantDetail, cp_variant_detail, CP, VARIANT_DETAIL, AdwBin)

GtkWidget  *cp_variant_detail_new            (void);
void        cp_variant_detail_set_ledger     (CpVariantDetail *self,
                                              CpLedger        *ledger);
/* NULL shows "No Product Selected". */
void        cp_variant_detail_show_sku       (CpVariantDetail *self,
                                              const char      *sku);
/* The SKU asked for, or NULL. */
const char *cp_variant_detail_get_sku        (CpVariantDetail *self);
/* Re-reads the variant, its stock and movements (after a change). */
void        cp_variant_detail_refresh        (CpVariantDetail *self);

/* For tests: the SKU as the pane shows it ("" when none), and the number
 * of movement rows shown. */
const char *cp_variant_detail_get_shown_sku  (CpVariantDetail *self);
guint       cp_variant_detail_get_n_movements (CpVariantDetail *self);

/* Translated names of the catalog modules ("Spare parts"), shared with
 * the page's module filter. */
const char *cp_module_to_label               (CpModule module);

G_END_DECLS
