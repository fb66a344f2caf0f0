/* cp-fault-panel.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The developer fault panel (development profile, sandbox only): makes
 * the in-process sandbox stores misbehave — latency, server errors,
 * "slow down" with Retry-After, resets, cut-off and garbled answers — to
 * watch how syncing copes.
 */

#pragma once

#include <adwaita.h>

#include "cp-sandbox-server.h"

G_BEGIN_DECLS

#define CP_TYPE_FAULT_PANEL (cp_fault_panel_get_type ())
G_DECLARE_FINAL_TYPE (CpFaultPanel, cp_fault_panel, CP, FAULT_PANEL, AdwWindow)

GtkWidget *cp_fault_panel_new (CpSandboxServer *server);

G_END_DECLS
