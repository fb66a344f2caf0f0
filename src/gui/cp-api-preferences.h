/* cp-api-preferences.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cp-application.h"
#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_TYPE_API_PREFERENCES (cp_api_preferences_get_type ())
G_DECLARE_FINAL_TYPE (CpApiPreferences, cp_api_preferences, CP, API_PREFERENCES, AdwPreferencesPage)

/* The Local API page of Preferences: the switch ("api-server-enabled" in
 * SETTINGS), the address and whether the server of APPLICATION runs, and
 * the API keys of LEDGER. Any may be NULL: what needs it is then
 * insensitive. */
GtkWidget *cp_api_preferences_new (GSettings     *settings,
                                   CpLedger      *ledger,
                                   CpApplication *application);

G_END_DECLS
