/* test-engine-script.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A connector whose answers a test decides, for test-engine.c: what it
 * was sent is kept in the script, what it answers comes from it.
 */

#pragma once

#include "cp-connector.h"

G_BEGIN_DECLS

/* Registered as a platform by script_init (). */
#define PLATFORM "testscript"

typedef struct
{
  int     code;     /* CpConnectorError */
  gint64  wait_us;
} Failure;

typedef struct
{
  GMutex      mutex;
  guint       push_requests;
  guint       pull_requests;
  guint       batch_size;
  gint64      bad_variant;     /* refused as invalid data */
  GQueue      failures;        /* Failure*, one per next push */
  GQueue      pull_failures;   /* Failure*, one per next pull */
  Failure     always;          /* every push; code -1: none */
  gboolean    hang;            /* a push waits for its cancellation */
  gboolean    hanging;
  GHashTable *remote;          /* variant id -> on hand last sent */
  guint       n_orders;        /* remote orders ext-1 … ext-N */
  guint       page_size;
} Script;

extern Script script;

void      script_init         (void);
void      script_reset        (void);
void      script_fail_next_in (GQueue *queue,
                               int     code,
                               gint64  wait_us);
#define script_fail_next(code, wait_us) script_fail_next_in (&script.failures, (code), (wait_us))
#define script_fail_next_pull(code, wait_us) \
  script_fail_next_in (&script.pull_failures, (code), (wait_us))
/* The on-hand value last pushed for VARIANT_ID, -1 when none. */
gint64    remote_value        (gint64    variant_id);
gint64    ledger_on_hand      (CpLedger *ledger,
                               gint64    variant_id);
guint     n_pushes            (void);
gboolean  is_hanging          (void);

G_END_DECLS
