/* bench-engine-common.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the sync engine's benchmarks share: the ecomv2 fake served from
 * the benchmark's own process, a ledger whose SKUs are the fake's, an
 * ecomv2 integration for it, one cp_engine_run_once() driven to its end,
 * and the CPU time of the process without the fake's server thread (the
 * platform's work is not the engine's overhead).
 */

#pragma once

#include "cp-bench.h"
#include "cp-engine.h"
#include "cp-ledger.h"
#include "cp-sandbox-ecomv2.h"
#include "cp-sandbox-server.h"

G_BEGIN_DECLS

typedef struct
{
  const CpBenchConfig *config;
  char                *dir;
  char                *ledger_path;
  CpLedger            *ledger;
  CpSandboxServer     *server;
  CpSandboxEcomv2     *fake;
  char                *integration_id;
  guint                n_products;  /* in the fake (and their SKUs in the ledger) */
} BenchShop;

/* The fake with N_PRODUCTS products and no orders (no rate limit), a
 * ledger with location MAIN and a variant per product SKU (with the
 * fake's size variants too when WITH_SIZES), and an integration with
 * PERMISSIONS whose MAIN is the fake's wh_001. */
void      bench_shop_set_up       (BenchShop           *shop,
                                   const CpBenchConfig *config,
                                   guint                n_products,
                                   gboolean             with_sizes,
                                   const char * const  *permissions);
void      bench_shop_tear_down    (BenchShop           *shop);

/* The fake's SKU of product INDEX (0-based): "EC-00001" … */
char     *bench_shop_sku          (guint                index);

/* Runs the engine once over the integration, to its end. */
CpEngineOutcome bench_shop_sync   (BenchShop           *shop,
                                   gint64               max_wait_us);

/* Process CPU time (µs) minus the fake's server thread's: what the engine
 * (its worker, its HTTP client, the ledger) spent. */
gint64    bench_engine_cpu_us     (void);

/* Jobs of the integration in STATE. */
gint64    bench_shop_count_jobs   (BenchShop           *shop,
                                   const char          *state);

/* Fails the benchmark unless every product's stock on the fake (wh_001)
 * is the ledger's available stock at MAIN. */
void      bench_shop_check_stock  (BenchShop           *shop);

G_END_DECLS
