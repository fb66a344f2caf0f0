/* test-engine-common.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the engine's tests share: running the engine to its end from a
 * test's main loop, the keyring check, and small ledger chores.
 */

#pragma once

#include "cp-engine.h"
#include "cp-ledger.h"

G_BEGIN_DECLS

/* Under the harness a missing keyring is a failure; by hand, a skip. */
gboolean         engine_test_require_keyring (void);

/* cp_engine_run_once_async () and its result, iterating the default main
 * context (where the engine's signals arrive) until it is done. */
gboolean         engine_test_run_once    (CpEngine          *engine,
                                          const char        *integration_id,
                                          gboolean           full,
                                          gint64             max_wait_us,
                                          GCancellable      *cancellable,
                                          CpEngineOutcome   *out_outcome,
                                          GError           **error);
CpEngineOutcome  engine_test_run_once_ok (CpEngine          *engine,
                                          gint64             max_wait_us);
/* A GAsyncReadyCallback that stores a reference to the result in
 * *(GAsyncResult **) USER_DATA. */
void             engine_test_result_cb   (GObject           *source,
                                          GAsyncResult      *result,
                                          gpointer           user_data);

/* A variant SKU (its own product, 10.00 USD) with ON_HAND received at
 * MAIN; its id. */
gint64           engine_test_add_variant (CpLedger          *ledger,
                                          const char        *sku,
                                          gint64             on_hand);
void             engine_test_adjust      (CpLedger          *ledger,
                                          const char        *sku,
                                          gint64             delta);
guint            engine_test_count_activity (CpLedger       *ledger,
                                             const char     *type);
gint64           engine_test_count_orders (CpLedger         *ledger);
/* Integration ids count per ledger ("ecomv2-1") while the keyring is the
 * session's: start this ledger's ids where no other test's are, so tests
 * running side by side never read each other's credentials. */
void             engine_test_unique_ids  (CpLedger          *ledger);
/* A CpEngineLedgerHook: SQLite refuses to grow the file past its current
 * size, so every write needing a new page fails with SQLITE_FULL, as on a
 * full disk. */
void             engine_test_fill_disk   (CpLedger          *ledger,
                                          gpointer           user_data);
/* Deletes the ledger at PATH with its -wal and -shm. */
void             engine_test_remove_ledger (const char      *path);

G_END_DECLS
