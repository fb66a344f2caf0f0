/* cp-catalog-page.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_TYPE_CATALOG_PAGE (cp_catalog_page_get_type ())
G_DECLARE_FINAL_TYPE (CpCatalogPage, cp_catalog_page, CP, CATALOG_PAGE, AdwBin)

GtkWidget *cp_catalog_page_new (CpLedger *ledger);

G_END_DECLS
