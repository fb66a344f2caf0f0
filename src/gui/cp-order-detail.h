/* cp-order-detail.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The detail pane of the Orders page: lines, totals, payments (split
 * tender), refunds and where the order came from.
 */

#pragma once

#include <adwaita.h>

#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_TYPE_ORDER_DETAIL (cp_order_detail_get_type ())
G_DECLARE_FINAL_TYPE (CpOrderDetail, cp_order_detail, CP, ORDER_DETAIL, AdwBin)

GtkWidget  *cp_order_detail_new              (void);
void        cp_order_detail_set_ledger       (CpOrderDetail *self,
                                              CpLedger      *ledger);
/* 0 shows "No Order Selected". */
void        cp_order_detail_show_order       (CpOrderDetail *self,
                                              gint64         order_id);
gint64      cp_order_detail_get_order_id     (CpOrderDetail *self);
void        cp_order_detail_refresh          (CpOrderDetail *self);

/* For tests: what the pane shows. The number ("" when none) and the SKU
 * column of the lines (free with g_strfreev). */
const char *cp_order_detail_get_shown_number (CpOrderDetail *self);
GStrv       cp_order_detail_dup_shown_skus   (CpOrderDetail *self);
guint       cp_order_detail_get_n_payments   (CpOrderDetail *self);
guint       cp_order_detail_get_n_refunds    (CpOrderDetail *self);

/* Words for people, shared with the page: "pos" is "Register" (the
 * status's are cp-order-status.h's). */
char       *cp_order_channel_label           (const char *source);

G_END_DECLS
