/* cp-integration-wizard.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Add Integration, one question per page: the platform, sandbox or live,
 * the credentials (with where to find them), the connection test, what
 * Counterpart may do, locations, the SKU matching report, who wins and
 * how often, done. Nothing is stored (ledger or keyring) before the last
 * question is answered; Cancel anywhere leaves nothing behind. The same
 * window edits an integration from its credentials on.
 */

#pragma once

#include <adwaita.h>

#include "cp-connector.h"
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

/* The SKU matching report as expander rows (counts, then the SKUs),
 * named report-matched, report-unmatched-local, report-unmatched-remote
 * and report-duplicates, appended to OUT_ROWS (floating widgets). */
GtkWidget  *cp_wizard_report_row_new  (const char      *name,
                                       const char      *title,
                                       const char      *consequence,
                                       GPtrArray       *skus);
/* The report's rows, the matched row saying only what the permissions
 * send (stock levels, prices, both or nothing). */
void        cp_wizard_report_add_rows_sending (CpMappingReport *report,
                                               gboolean         sends_stock,
                                               gboolean         sends_prices,
                                               GPtrArray       *out_rows);
/* What reaches a product in both, as a clause: "stock levels are sent…". */
const char *cp_wizard_matched_consequence (gboolean sends_stock,
                                           gboolean sends_prices);

/* A store's location id as a person reads it ("Location 42"). */
char       *cp_wizard_location_label  (const char      *remote_id);

#define CP_TYPE_INTEGRATION_WIZARD (cp_integration_wizard_get_type ())
G_DECLARE_FINAL_TYPE (CpIntegrationWizard, cp_integration_wizard, CP, INTEGRATION_WIZARD, AdwWindow)

/* Emits ::created (the id) once the integration and its credentials are
 * stored (or, editing, once the changes are); the window then shows its
 * last page until closed. SANDBOX preselects the sandbox. */
CpIntegrationWizard *cp_integration_wizard_new  (CpLedger            *ledger,
                                                 gboolean             sandbox);
/* Presents it over FROM's window. */
CpIntegrationWizard *cp_integration_wizard_open (GtkWidget           *from,
                                                 CpLedger            *ledger,
                                                 gboolean             sandbox);
/* Edit: the credentials (blank keeps the stored ones), permissions,
 * locations, products and policy of INTEGRATION. */
CpIntegrationWizard *cp_integration_wizard_edit (GtkWidget           *from,
                                                 CpLedger            *ledger,
                                                 const CpIntegration *integration);

/* For tests: the page shown ("platform", "mode", "credentials", "test",
 * "permissions", "locations", "products", "policy", "done"), whether it
 * is waiting on the store or the keyring, and what the last test said
 * (NULL before one ended). */
const char *cp_integration_wizard_get_page         (CpIntegrationWizard *self);
gboolean    cp_integration_wizard_get_busy         (CpIntegrationWizard *self);
const char *cp_integration_wizard_get_check_result (CpIntegrationWizard *self);
gboolean    cp_integration_wizard_get_check_passed (CpIntegrationWizard *self);

G_END_DECLS
