/* cp-stock-adjust-dialog.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Adjust Stock…": a journaled movement of one SKU at one location, with
 * a reason that must be chosen (there is no default: a guessed reason
 * would make the journal lie).
 */

#pragma once

#include <adwaita.h>

#include "cp-ledger.h"
#include "cp-stock.h"

G_BEGIN_DECLS

#define CP_TYPE_STOCK_ADJUST_DIALOG (cp_stock_adjust_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CpStockAdjustDialog, cp_stock_adjust_dialog, CP, STOCK_ADJUST_DIALOG, AdwWindow)

/* LOCATION_CODE preselects a location (NULL: the first). */
CpStockAdjustDialog *cp_stock_adjust_dialog_new       (GtkWindow           *parent,
                                                       CpLedger            *ledger,
                                                       const char          *sku,
                                                       const char          *location_code);

const char          *cp_stock_adjust_dialog_get_sku    (CpStockAdjustDialog *self);

/* What the person would type, for tests and callers that prefill.
 * LOCATION_CODE NULL keeps the current one; REASON -1 leaves none chosen. */
void                 cp_stock_adjust_dialog_set_values (CpStockAdjustDialog *self,
                                                        const char          *location_code,
                                                        gint64               delta,
                                                        int                  reason,
                                                        const char          *note);
/* Whether the Adjust button can be pressed now. */
gboolean             cp_stock_adjust_dialog_can_submit (CpStockAdjustDialog *self);
/* Presses Adjust: TRUE when the movement was recorded (the dialog then
 * closes itself after emitting ::adjusted). */
gboolean             cp_stock_adjust_dialog_submit     (CpStockAdjustDialog *self);
/* The message shown inline, or NULL when none is shown. */
const char          *cp_stock_adjust_dialog_get_error  (CpStockAdjustDialog *self);

G_END_DECLS
