/* crash-fixture.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the crash and fault tests share: the ecomv2 fake served from the
 * test process (it must outlive every counterpart-cli it kills), a ledger
 * whose catalog is the fake's, an ecomv2 integration made through the CLI
 * with its key in the Secret Service, runs of `counterpart-cli sync
 * --once` that can be killed, and the checks that nothing was lost or
 * done twice.
 */

#pragma once

#include <gio/gio.h>

#include "cp-ledger.h"
#include "cp-sandbox-ecomv2.h"
#include "cp-sandbox-server.h"

G_BEGIN_DECLS

typedef struct
{
  char            *dir;             /* temporary, removed in teardown */
  char            *data_dir;        /* --data-dir */
  char            *ledger_path;
  CpSandboxServer *server;
  CpSandboxEcomv2 *fake;
  char            *integration_id;
  CpLedger        *ledger;          /* the test's own connection */
  GRand           *rand;
  guint            n_skus;
  char           **skus;            /* the catalog, EC-00001 … */
  gint64          *initial;         /* the fake's stock of each at the start */
  gboolean        *archived;        /* archived on the fake: never synced */

  guint64          n_changes;       /* stock changes committed */
  guint            n_orders;        /* orders placed on the fake */
  guint32          order_seed;

  char            *out;             /* stdout and stderr of the last run */
  char            *err;
} CrashFixture;

/* How one `sync --once` is run. */
typedef struct
{
  const char *crash_at;            /* CP_CRASH_AT, or NULL */
  const char *crash_random;        /* CP_CRASH_RANDOM, or NULL */
  gint64      kill_after_us;       /* SIGKILL from outside after this; 0: never */
  guint       concurrent_changes;  /* stock changes written while it runs */
  guint       concurrent_orders;   /* orders placed on the fake while it runs */
  guint       max_wait_s;          /* --max-wait; 0: 30 */
} CrashRunOptions;

typedef struct
{
  gboolean  exited;
  int       exit_status;
  gboolean  killed;                /* ended by SIGKILL (ours or its own) */
  int       signal;                /* any other signal: a real crash */
  char     *crash_point;           /* the point that fired, or NULL */
  gint64    elapsed_us;
} CrashRun;

void      crash_run_clear            (CrashRun *run);

/* The path of counterpart-cli: the first argument, or $CP_CLI. Call
 * before g_test_init's tests run. */
void      crash_fixture_init         (int    argc,
                                      char **argv);
/* Whether the Secret Service is there: under CP_TEST_HARNESS=1 its
 * absence fails the test, by hand it skips it (and this returns FALSE). */
gboolean  crash_require_keyring      (void);

/* A fake shop of N_SKUS products and no orders, a ledger with the same
 * SKUs and the same stock at MAIN (= the fake's wh_001), and an ecomv2
 * integration for it (orders.pull, inventory.sync) with MAIN mapped to
 * wh_001. SEED drives every random choice of the test. */
void      crash_fixture_set_up       (CrashFixture *f,
                                      guint         n_skus,
                                      guint32       seed);
void      crash_fixture_tear_down    (CrashFixture *f);

/* Runs counterpart-cli ARGS (after --data-dir) to its end and returns its
 * exit status; a death by signal fails the test. */
int       crash_cli                  (CrashFixture       *f,
                                      const char         *stdin_text,
                                      const char * const *args);
#define CRASH_CLI(f, ...) crash_cli ((f), NULL, (const char *[]) { __VA_ARGS__, NULL })

/* One `counterpart-cli sync --once`, as OPTIONS say. */
void      crash_sync                 (CrashFixture          *f,
                                      const CrashRunOptions *options,
                                      CrashRun              *out_run);

/* N stock receipts of 1,000–1,999 units on random SKUs; returns how many
 * committed (a busy ledger may refuse one). Receipts are that large so
 * that each SKU's available stock never returns to a value it had: the
 * pulled orders take far fewer than 1,000 units of any SKU. A value the
 * fake sets twice is then a stale push, never a legitimate repeat, and
 * the fake's duplicate-effect count must be zero. */
guint     crash_add_stock_changes    (CrashFixture *f,
                                      guint         n);
void      crash_add_orders           (CrashFixture *f,
                                      guint         n);

/* Jobs of the integration by state. */
void      crash_queue_counts         (CrashFixture *f,
                                      guint        *out_pending,
                                      guint        *out_started,
                                      guint        *out_dead);

/* Everything the issue promises after a completed sync: the fake's stock
 * of every SKU is the ledger's available stock (and untouched for the
 * products archived on the fake, which the seed treats as deleted), the ledger has each of
 * the fake's orders exactly once, the fake applied no effect twice, the
 * outbox is empty and the ledger passes PRAGMA integrity_check. */
void      crash_assert_converged     (CrashFixture *f);

/* Activity events of the integration of severity warning or worse. */
guint     crash_count_failure_events (CrashFixture *f);

G_END_DECLS
