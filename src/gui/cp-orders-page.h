/* cp-orders-page.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_TYPE_ORDERS_PAGE (cp_orders_page_get_type ())
G_DECLARE_FINAL_TYPE (CpOrdersPage, cp_orders_page, CP, ORDERS_PAGE, AdwBin)

GtkWidget *cp_orders_page_new (CpLedger *ledger);

G_END_DECLS
