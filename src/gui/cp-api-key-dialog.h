/* cp-api-key-dialog.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_TYPE_API_KEY_DIALOG (cp_api_key_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CpApiKeyDialog, cp_api_key_dialog, CP, API_KEY_DIALOG, AdwWindow)

/* Create Key…: a name and the scopes, then the secret, shown once.
 * Emits "key-created" (no arguments) once the key is in LEDGER. */
GtkWidget  *cp_api_key_dialog_new      (CpLedger  *ledger);

/* What a scope of cp-api-keys.h lets a program do, in shop words: a
 * title for lists and a line of consequence. Unknown scopes come back as
 * themselves. */
const char *cp_api_scope_get_title     (const char *scope);
const char *cp_api_scope_get_consequence (const char *scope);

G_END_DECLS
