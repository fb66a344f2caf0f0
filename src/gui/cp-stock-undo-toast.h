/* cp-stock-undo-toast.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The toast after a stock adjustment, "Stock of SKU at MAIN: 12 → 9",
 * whose Undo records a compensating movement: the journal is append-only,
 * so nothing is ever deleted to undo.
 */

#pragma once

#include <adwaita.h>

#include "cp-ledger.h"

G_BEGIN_DECLS

/* A new toast (full reference). Undo works once; a failure to undo is
 * shown as a toast on PAGE. */
AdwToast *cp_stock_undo_toast_new (GtkWidget  *page,
                                   CpLedger   *ledger,
                                   const char *sku,
                                   const char *location_code,
                                   gint64      movement_id,
                                   gint64      before,
                                   gint64      after);

G_END_DECLS
