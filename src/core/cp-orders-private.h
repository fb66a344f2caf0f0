/* cp-orders-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What cp_orders_list() and the order model share: the WHERE clause of a
 * CpOrderFilter. Internal to src/core.
 */

#pragma once

#include "cp-orders.h"

G_BEGIN_DECLS

/* Appends " AND …" conditions on the orders table aliased "o" for every
 * field FILTER sets (never LIMIT). The values are named parameters
 * (:source, :status, :since, :until, :search), bound by
 * cp_orders_filter_bind(); user text is never part of the SQL. */
void     cp_orders_filter_append_sql (const CpOrderFilter *filter,
                                      GString             *sql);
void     cp_orders_filter_bind       (const CpOrderFilter *filter,
                                      sqlite3_stmt        *stmt);

G_END_DECLS
