/* cp-sync-indicator.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The content header's sync indicator: idle, syncing (a spinner and
 * "3 of 12"), paused, or needs attention; it opens a popover with each
 * integration's state and Sync Now.
 */

#pragma once

#include <adwaita.h>

#include "cp-engine.h"
#include "cp-ledger.h"

G_BEGIN_DECLS

typedef enum
{
  CP_SYNC_INDICATOR_NONE,       /* nothing connected */
  CP_SYNC_INDICATOR_IDLE,
  CP_SYNC_INDICATOR_SYNCING,
  CP_SYNC_INDICATOR_PAUSED,
  CP_SYNC_INDICATOR_ATTENTION,
} CpSyncIndicatorState;

#define CP_TYPE_SYNC_INDICATOR (cp_sync_indicator_get_type ())
G_DECLARE_FINAL_TYPE (CpSyncIndicator, cp_sync_indicator, CP, SYNC_INDICATOR, AdwBin)

/* Both may be NULL (before the ledger opened, or without an engine). */
void                 cp_sync_indicator_set_ledger (CpSyncIndicator *self,
                                                   CpLedger        *ledger);
void                 cp_sync_indicator_set_engine (CpSyncIndicator *self,
                                                   CpEngine        *engine);
void                 cp_sync_indicator_refresh    (CpSyncIndicator *self);
CpSyncIndicatorState cp_sync_indicator_get_state  (CpSyncIndicator *self);
/* What the button says next to its icon ("3 of 12"), or "". */
const char          *cp_sync_indicator_get_label  (CpSyncIndicator *self);

G_END_DECLS
