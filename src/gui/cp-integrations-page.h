/* cp-integrations-page.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Integrations: every connected account (any number per platform) with
 * its state in shop words, Add Integration, and one integration's page
 * (CpIntegrationDetail).
 */

#pragma once

#include <adwaita.h>

#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_TYPE_INTEGRATIONS_PAGE (cp_integrations_page_get_type ())
G_DECLARE_FINAL_TYPE (CpIntegrationsPage, cp_integrations_page, CP, INTEGRATIONS_PAGE, AdwBin)

GtkWidget  *cp_integrations_page_new         (CpLedger           *ledger,
                                              gboolean            sandbox);
/* Re-reads the integrations now (it also does when the engine or the
 * ledger says something changed). */
void        cp_integrations_page_refresh     (CpIntegrationsPage *self);
/* Why passwords cannot be stored (no keyring), or NULL: a plain warning
 * above the list. */
void        cp_integrations_page_set_warning (CpIntegrationsPage *self,
                                              const char         *message);
/* Opens the page of integration ID; NULL goes back to the list. */
void        cp_integrations_page_show_integration (CpIntegrationsPage *self,
                                                   const char         *id);
/* The integration whose page is open, or NULL on the list. */
const char *cp_integrations_page_get_shown   (CpIntegrationsPage *self);
guint       cp_integrations_page_get_n_integrations (CpIntegrationsPage *self);

G_END_DECLS
