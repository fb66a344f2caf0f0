/* cp-order-status.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An order's status in a person's words. The ledger keeps the status as
 * its source says it ("awaiting_payment", WooCommerce's "processing"):
 * the window, the activity log and the CLI's messages show it through
 * here, so a sentence never carries a raw status code.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "awaiting_payment" is "Awaiting payment"; a platform's own status that
 * Counterpart has no word for is shown readable ("on_hold": "On hold"). */
char *cp_order_status_label (const char *status);

G_END_DECLS
