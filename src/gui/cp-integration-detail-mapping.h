/* cp-integration-detail-mapping.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The mapping report of an integration's page: how many SKUs are matched
 * and left out (from the ledger, at once), where each location's stock
 * goes, and Match Again, which reads the store's catalog again and shows
 * the whole report (matched, only here, only there, duplicates).
 */

#pragma once

#include <adwaita.h>

#include "cp-integrations.h"
#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_TYPE_INTEGRATION_DETAIL_MAPPING (cp_integration_detail_mapping_get_type ())
G_DECLARE_FINAL_TYPE (CpIntegrationDetailMapping, cp_integration_detail_mapping, CP, INTEGRATION_DETAIL_MAPPING, AdwPreferencesGroup)

GtkWidget *cp_integration_detail_mapping_new    (void);
/* Shows INTEGRATION's mappings from LEDGER; a report from Match Again stays
 * while it is the same integration. */
void       cp_integration_detail_mapping_update (CpIntegrationDetailMapping *self,
                                                 CpLedger                   *ledger,
                                                 const CpIntegration        *integration);
/* For tests: whether Match Again is still reading the store. */
gboolean   cp_integration_detail_mapping_get_busy (CpIntegrationDetailMapping *self);

G_END_DECLS
