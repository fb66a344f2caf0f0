/* cp-add-integration-dialog.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Add Integration: platform, sandbox or live, name, address, the
 * platform's credentials (secrets in password rows, stored only in the
 * Secret Service), what Counterpart may do, and Test Connection. The
 * same dialog, reduced to the credentials, asks for them again.
 */

#pragma once

#include <adwaita.h>

#include "cp-integrations.h"
#include "cp-ledger.h"

G_BEGIN_DECLS

typedef struct
{
  const char *permission;   /* CP_PERMISSION_* */
  const char *title;        /* untranslated: translate with gettext */
  const char *consequence;  /* one line: what switching it on does */
} CpPermissionInfo;

/* Seed 003's four permissions, in the order people read them. */
const CpPermissionInfo *cp_permission_infos (guint *out_n);

/* People's words for a credential field ("api_key" → "API Key") and
 * whether it is a secret (shown in a password row). */
const char *cp_credential_field_title     (const char *field);
gboolean    cp_credential_field_is_secret (const char *field);

#define CP_TYPE_ADD_INTEGRATION_DIALOG (cp_add_integration_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CpAddIntegrationDialog, cp_add_integration_dialog, CP, ADD_INTEGRATION_DIALOG, AdwWindow)

/* Emits ::created (the new id) once the integration and its credentials
 * are stored. SANDBOX preselects "Sandbox". */
CpAddIntegrationDialog *cp_add_integration_dialog_new (CpLedger *ledger,
                                                       gboolean  sandbox);

/* Opens the dialog over FROM's window (the Overview, Integrations). */
CpAddIntegrationDialog *cp_add_integration_dialog_open (GtkWidget *from,
                                                        CpLedger  *ledger,
                                                        gboolean   sandbox);
/* The credentials of INTEGRATION again, for a rejected or changed key;
 * on success its attention is cleared and it syncs at once. */
CpAddIntegrationDialog *cp_add_integration_dialog_edit_credentials (GtkWidget           *from,
                                                                    CpLedger            *ledger,
                                                                    const CpIntegration *integration);

/* For tests: what the last Test Connection said, NULL before one ended. */
const char *cp_add_integration_dialog_get_test_result (CpAddIntegrationDialog *self);
gboolean    cp_add_integration_dialog_get_test_passed (CpAddIntegrationDialog *self);

G_END_DECLS
