/* cp-orders-page-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What tests/gui/test-pages.c reaches into. Not for other widgets.
 */

#pragma once

#include "cp-order-detail.h"
#include "cp-orders-page.h"

G_BEGIN_DECLS

GtkColumnView  *_cp_orders_page_get_column_view  (CpOrdersPage *self);
GtkSearchEntry *_cp_orders_page_get_search_entry (CpOrdersPage *self);
GtkDropDown    *_cp_orders_page_get_channel_dropdown (CpOrdersPage *self);
GtkDropDown    *_cp_orders_page_get_period_dropdown (CpOrdersPage *self);
CpOrderDetail  *_cp_orders_page_get_detail       (CpOrdersPage *self);
/* "list", "empty" or "no-results". */
const char     *_cp_orders_page_get_state        (CpOrdersPage *self);
/* The source of each channel filter entry (NULL for "All channels"). */
GPtrArray      *_cp_orders_page_get_channels     (CpOrdersPage *self);
void            _cp_orders_page_poll             (CpOrdersPage *self);

G_END_DECLS
