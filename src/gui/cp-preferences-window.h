/* cp-preferences-window.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_TYPE_PREFERENCES_WINDOW (cp_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (CpPreferencesWindow, cp_preferences_window, CP, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* SETTINGS may be NULL (schema not installed): the rows are then
 * insensitive. LEDGER (may be NULL) lists the locations. */
GtkWidget *cp_preferences_window_new (GSettings *settings,
                                      CpLedger  *ledger);

G_END_DECLS
