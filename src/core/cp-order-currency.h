/* cp-order-currency.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 4: "a currency mismatch between store and ledger is reported, not
 * converted silently". The books have one currency, the ledger's
 * (cp_ledger_get_currency ()). A store order in another currency — the
 * shop owner switched the store's currency, or sells in a second one — is
 * neither converted nor booked as if it were the books' money:
 *
 *  - it is kept aside: recorded with status "held_currency" in its own
 *    currency, so nothing is lost and a later pull or webhook finds it
 *    (orders are unique by (source, external id)) instead of holding it
 *    again; it sells nothing, but the units the store took for it are
 *    reserved (cp-orders-reserve.h) until it is cancelled;
 *  - the pull, or the webhook's delivery, goes on with the other orders;
 *  - the integration needs attention (kind CP_ATTENTION_CURRENCY) with
 *    what to do on that platform, and the activity log has a
 *    StoreCurrencyMismatch warning naming the orders kept aside. That
 *    attention blocks nothing (stock still goes out, orders in the books'
 *    currency still come in), and it ends when the store sells in the
 *    books' currency again: when an order newer than every order kept
 *    aside arrives in it.
 *
 * Held orders are listed by `counterpart-cli orders list --status
 * held_currency`; what becomes of them (a ledger per currency, moving the
 * books) is a person's decision.
 */

#pragma once

#include "cp-integrations.h"
#include "cp-ledger.h"
#include "cp-orders.h"

G_BEGIN_DECLS

#define CP_ORDER_STATUS_HELD_CURRENCY "held_currency"

/* Whether ORDER's currency differs from the books'. */
gboolean   cp_order_currency_is_foreign (CpLedger       *ledger,
                                         const CpOrder  *order);

/* Keeps ORDER aside (see above); its source must be the integration id.
 * SEARCH_ROWS as cp_orders_record_deferred (); NULL indexes at once.
 * Joins the caller's transaction. *OUT_EXISTED is TRUE when the order is
 * known already (held before, or recorded): nothing changed. Errors are
 * cp_orders_record's. */
gboolean   cp_order_currency_hold       (CpLedger       *ledger,
                                         const CpOrder  *order,
                                         GPtrArray      *search_rows,
                                         gint64         *out_id,
                                         gboolean       *out_existed,
                                         GError        **error);

/* Orders of SOURCE kept aside for their currency; -1 on error. */
gint64     cp_order_currency_count_held (CpLedger       *ledger,
                                         const char     *source);

/* What the shop owner reads: "“My Shop” sells in EUR but your books are
 * in USD. 3 orders were kept aside and not added to your sales. Set the
 * shop's currency back to USD in WooCommerce → Settings → General, …". */
char      *cp_order_currency_message    (const char     *platform,
                                         const char     *store_name,
                                         const char     *store_currency,
                                         const char     *books_currency,
                                         gint64          n_held);

/* Tells the owner that NUMBERS (order numbers, char*) of INTEGRATION were
 * just kept aside, the store selling in STORE_CURRENCY: the activity
 * event and the integration's attention, with the count of every order
 * kept aside so far. Joins the caller's transaction. Returns the message,
 * or NULL with ERROR set. */
char      *cp_order_currency_report     (CpLedger             *ledger,
                                         const CpIntegration  *integration,
                                         const char           *store_currency,
                                         GPtrArray            *numbers,
                                         GError              **error);

/* The store sold in the books' currency at NEWEST_US (the placed_at of
 * the newest order a pull saw, in the books' currency): when INTEGRATION
 * needs attention for its currency and no order kept aside is newer, the
 * attention ends, with an activity event saying so. *OUT_CLEARED says
 * whether it did. Joins the caller's transaction. */
gboolean   cp_order_currency_resolve    (CpLedger             *ledger,
                                         const CpIntegration  *integration,
                                         gint64                newest_us,
                                         gboolean             *out_cleared,
                                         GError              **error);

G_END_DECLS
