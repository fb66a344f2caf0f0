/* cp-integration-detail.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One integration's page: its state, last and next sync, what waits to
 * be sent and what could not be, its permissions, recent activity, and
 * Sync Now, Full Sync, Pause/Resume, Enter Again and Remove.
 */

#pragma once

#include <adwaita.h>

#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_TYPE_INTEGRATION_DETAIL (cp_integration_detail_get_type ())
G_DECLARE_FINAL_TYPE (CpIntegrationDetail, cp_integration_detail, CP, INTEGRATION_DETAIL, AdwBin)

/* Emits ::back when the person wants the list again, ::removed (with
 * the id) once the integration is gone. */
GtkWidget  *cp_integration_detail_new     (CpLedger            *ledger,
                                           const char          *id);
const char *cp_integration_detail_get_id  (CpIntegrationDetail *self);
/* Re-reads the integration; emits ::back when it no longer exists. */
void        cp_integration_detail_refresh (CpIntegrationDetail *self);

G_END_DECLS
