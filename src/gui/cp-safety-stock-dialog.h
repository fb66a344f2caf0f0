/* cp-safety-stock-dialog.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Set Safety Stock…": the units kept back from what the channels are
 * told is available, per location.
 */

#pragma once

#include <adwaita.h>

#include "cp-ledger.h"

G_BEGIN_DECLS

/* Presents the dialog over PAGE's window; the result is a toast on PAGE.
 * Returns the dialog (owned by GTK) so tests can drive it with
 * cp_safety_stock_dialog_set_quantity() and the "set" response. */
AdwMessageDialog *cp_safety_stock_dialog_present      (GtkWidget        *page,
                                                       CpLedger         *ledger,
                                                       const char       *sku,
                                                       const char       *location_code);
void              cp_safety_stock_dialog_set_quantity (AdwMessageDialog *dialog,
                                                       gint64            quantity);

G_END_DECLS
