/* cp-order-sources.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The distinct sources and statuses found among the ledger's orders, for
 * the Orders page's filters: a filter that offers only values that exist
 * never leads to an empty list by surprise.
 */

#pragma once

#include "cp-ledger.h"

G_BEGIN_DECLS

/* Sorted, NULL-terminated; empty (not NULL) when there are no orders.
 * NULL with ERROR only when SQLite fails. */
GStrv  cp_order_sources_list  (CpLedger  *ledger,
                               GError   **error);
GStrv  cp_order_statuses_list (CpLedger  *ledger,
                               GError   **error);
/* How many orders have STATUS, counted on the status index (the window's
 * badges). -1 with ERROR when SQLite fails. */
gint64 cp_order_status_count  (CpLedger    *ledger,
                               const char  *status,
                               GError     **error);

G_END_DECLS
