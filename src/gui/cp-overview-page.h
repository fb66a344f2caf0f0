/* cp-overview-page.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Overview: today's sales per channel, stock alerts, and the way to
 * connect a first store.
 */

#pragma once

#include <adwaita.h>

#include "cp-ledger.h"
#include "cp-stock.h"

G_BEGIN_DECLS

#define CP_TYPE_OVERVIEW_PAGE (cp_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (CpOverviewPage, cp_overview_page, CP, OVERVIEW_PAGE, AdwBin)

GtkWidget *cp_overview_page_new     (CpLedger *ledger,
                                     gboolean  sandbox);
/* Re-reads the ledger now (it also does on CpLedger::changed). */
void       cp_overview_page_refresh (CpOverviewPage *self);

/* The figures behind the page, kept apart from the widgets so the tests
 * can compute the same numbers from the ledger. */
typedef struct
{
  char    *source;        /* "pos" or an integration id */
  char     currency[4];
  guint    n_orders;
  gint64   total_minor;   /* Σ order totals of sales (cp_order_status_is_sale) */
} CpChannelTotal;

void       cp_channel_total_free    (CpChannelTotal *total);

/* Local midnight of today, in µs since the epoch. */
gint64     cp_overview_today_start_us (void);
/* CpChannelTotal* for orders placed since SINCE_US, by source then
 * currency, POS first. */
GPtrArray *cp_overview_channel_totals (CpLedger  *ledger,
                                       gint64     since_us,
                                       GError   **error);

typedef enum
{
  CP_STOCK_ALERT_NONE,
  CP_STOCK_ALERT_OVERSOLD,      /* on hand below zero */
  CP_STOCK_ALERT_OUT,           /* nothing on hand */
  CP_STOCK_ALERT_BELOW_SAFETY,  /* some on hand, but at or below safety stock */
} CpStockAlert;

CpStockAlert cp_stock_alert_for_level (const CpStockLevel *level);
/* CpStockLevel* that need attention, worst first. */
GPtrArray *cp_overview_stock_alerts   (CpLedger  *ledger,
                                       GError   **error);
/* People's name for a source: "Register" for "pos". */
char      *cp_overview_channel_name   (const char *source);

G_END_DECLS
