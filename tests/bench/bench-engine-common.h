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
  guint                n_skus;      /* products in the ledger, all on the fake */
  char               **skus;        /* their SKUs */
} BenchShop;

/* The fake with no orders (and no rate limit in reach) and enough
 * products that N_SKUS of them are not archived (the fake archives one in
 * 50: the seed's deleted, which nothing is pushed to); a ledger with
 * location MAIN and a variant for each of those N_SKUS (with the fake's
 * size variants too when WITH_SIZES); an integration with PERMISSIONS
 * whose MAIN is the fake's wh_001, its catalog already matched. */
void      bench_shop_set_up       (BenchShop           *shop,
                                   const CpBenchConfig *config,
                                   guint                n_skus,
                                   gboolean             with_sizes,
                                   const char * const  *permissions);
void      bench_shop_tear_down    (BenchShop           *shop);

/* A stock receipt for every SKU, as a shop would make them: a thousand
 * per transaction, each enqueuing (or coalescing into) a stock push. PASS
 * varies the quantities. */
void      bench_shop_receive_all  (BenchShop           *shop,
                                   guint                pass);

/* Writes what the set-up left in the WAL back into the ledger file and
 * empties the WAL, so that a timed run does not pay for checkpointing
 * the set-up's writes (the first commit past wal_autocheckpoint would). */
void      bench_shop_settle       (BenchShop           *shop);

/* Runs the engine once over the integration, to its end. */
CpEngineOutcome bench_shop_sync   (BenchShop           *shop,
                                   gint64               max_wait_us);

/* Process CPU time (µs) minus the fake's server thread's: what the engine
 * (its worker, its HTTP client, the ledger) spent. */
gint64    bench_engine_cpu_us     (void);
gint64    bench_server_cpu_us     (void);

/* Jobs of the integration in STATE. */
gint64    bench_shop_count_jobs   (BenchShop           *shop,
                                   const char          *state);

/* Fails the benchmark unless every SKU's stock on the fake (wh_001) is
 * the ledger's available stock at MAIN. */
void      bench_shop_check_stock  (BenchShop           *shop);

G_END_DECLS
