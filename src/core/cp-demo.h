/* cp-demo.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo shop of the sandbox: two locations, ~300 products over seed
 * 003's modules with variants, barcodes and stock, and 90 days of sales.
 * Deterministic for a given seed, so tests and screenshots are stable.
 */

#pragma once

#include "cp-ledger.h"

G_BEGIN_DECLS

typedef struct
{
  guint   n_products;   /* 300 by default */
  guint   days;         /* 90 by default */
  guint32 seed;
  gint64  end_us;       /* the last day of history; 0 means now */
} CpDemoOptions;

void      cp_demo_options_init (CpDemoOptions *options);

/* Fills an empty ledger with the demo shop. Refuses a ledger that already
 * holds products (CP_LEDGER_ERROR_INVALID): demo data never mixes with a
 * real catalog. Marks the ledger with the setting "demo" = "1". */
gboolean  cp_demo_populate     (CpLedger             *ledger,
                                const CpDemoOptions  *options,
                                GError              **error);

/* For benchmarks: N_ORDERS more POS orders over the demo catalog. */
gboolean  cp_demo_add_orders   (CpLedger  *ledger,
                                guint64    n_orders,
                                guint32    seed,
                                GError   **error);

G_END_DECLS
