/* cp-orders-reserve.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Store orders that hold stock without being sales (issue 4: "an order
 * imported from a channel reserves or decrements stock at once so the
 * other channels learn before the next pull"; CLI.md: orders held back
 * by the payment gate "are still recorded, with status awaiting_payment,
 * and reserve their stock; they become sales when paid").
 *
 *  - Not paid yet: recorded at once with status "awaiting_payment", its
 *    lines' quantities reserved (stock_levels.reserved) where a sale of
 *    it would take them (its location, else MAIN). On hand does not
 *    move, but the published availability (on hand − reserved − safety)
 *    drops, and the stock triggers queue the pushes that tell every
 *    channel.
 *  - Kept aside for its currency (cp-order-currency.h): the store already
 *    took the units from its own stock, so they are reserved too, or the
 *    next full push would offer them again.
 *  - The store says it is paid: the reservation ends and the order
 *    becomes a sale — one "sold" movement per line — in the transaction
 *    that changes its status, so a redelivery or an overlapping pull,
 *    which finds it paid already, does nothing. An order kept aside stays
 *    aside, reserved: what becomes of it is a person's decision.
 *  - Cancelled or refunded first: the reservation ends, nothing was sold.
 *
 * No table says "reserved": an order holds a reservation when its status
 * is awaiting payment or kept aside, it has a location, and no sale was
 * journalled for it. Orders recorded before reservations existed (or
 * with the gate off, {"orders": {"import_unpaid": true}}) took their
 * stock at once, and so keep being restocked, not released.
 */

#pragma once

#include "cp-ledger.h"
#include "cp-orders.h"
#include "cp-orders-import.h"

G_BEGIN_DECLS

#define CP_ORDER_STATUS_AWAITING_PAYMENT "awaiting_payment"

/* Whether an order with STATUS is a sale, to add up in totals: not
 * cancelled, not awaiting payment, not kept aside for its currency. */
gboolean   cp_order_status_is_sale     (const char *status);

/* Whether SETTINGS_JSON (an integration's settings; NULL: defaults)
 * keeps the payment gate: unpaid orders reserve, not sell. FALSE only
 * with {"orders": {"import_unpaid": true}}. */
gboolean   cp_orders_reserve_gate_on   (const char *settings_json);

/* Records ORDER (its source an integration id) with STATUS instead of its
 * own, at its location or MAIN, and reserves its lines with a known SKU
 * there, unless ORDER comes cancelled or refunded. SEARCH_ROWS as
 * cp_orders_record_deferred () (NULL: indexed at once). Joins the
 * caller's transaction, or takes its own. *OUT_EXISTED: the order was
 * known; nothing changed. Errors are cp_orders_record's. */
gboolean   cp_orders_reserve_record    (CpLedger       *ledger,
                                        const CpOrder  *order,
                                        const char     *status,
                                        GPtrArray      *search_rows,
                                        gint64         *out_id,
                                        gboolean       *out_existed,
                                        GError        **error);

/* The recorded order with ORDER's source and external id: 1 found (its
 * id, status and location id, 0 when none), 0 not, -1 with ERROR. */
int        cp_orders_reserve_find      (CpLedger       *ledger,
                                        const CpOrder  *order,
                                        gint64         *out_id,
                                        char          **out_status,
                                        gint64         *out_location_id,
                                        GError        **error);

/* What the store's word ORDER does to the known order ORDER_ID (STATUS,
 * LOCATION_ID, NUMBER) when it holds a reservation (see above): sets
 * *OUT_HANDLED, and *OUT_NEW_STATUS to the status it takes (NULL: it
 * keeps its own; ORDER's status otherwise). *OUT_HANDLED is FALSE, and
 * nothing written, for an order without a reservation. *OUT_RESTOCKED
 * (nullable) gets the units released without a sale. Joins the caller's
 * transaction, which must be open. */
gboolean   cp_orders_reserve_settle    (CpLedger       *ledger,
                                        const CpOrder  *order,
                                        gint64          order_id,
                                        const char     *status,
                                        gint64          location_id,
                                        const char     *number,
                                        gboolean       *out_handled,
                                        const char    **out_new_status,
                                        gint64         *out_released,
                                        GError        **error);

/* The engine's pull, for each order of a page (in its transaction): an
 * unpaid order is recorded awaiting payment and reserves; a known one
 * that holds a reservation takes the store's word (cp_orders_import ());
 * any other is cp_orders_record_deferred (), taking its stock unless it
 * comes cancelled or refunded (nothing was sold). OUT_RESULT and
 * OUT_RESTOCKED (nullable) as cp_orders_import ()'s: CP_ORDER_IMPORT_UPDATED
 * only on the pull that changes the order's status, never on a replay. */
gboolean   cp_orders_reserve_pull      (CpLedger             *ledger,
                                        const char           *settings_json,
                                        const CpOrder        *order,
                                        GPtrArray            *search_rows,
                                        gint64               *out_id,
                                        gboolean             *out_existed,
                                        CpOrderImportResult  *out_result,
                                        gint64               *out_restocked,
                                        GError              **error);

/* Ends the reservations of every order of SOURCE (an integration id)
 * still holding one, when the integration goes: no word of the store
 * will ever end them. The orders stay, with their status, and name no
 * place any more, so nothing is released twice. *OUT_RELEASED: the
 * units released. Joins the caller's transaction, which must be open. */
gboolean   cp_orders_reserve_release_source (CpLedger     *ledger,
                                             const char   *source,
                                             gint64       *out_released,
                                             GError      **error);

G_END_DECLS
