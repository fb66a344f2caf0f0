/* cp-engine-claim.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The transaction a batch is claimed in (cp-engine-push.c): committed
 * durably with its first request's fingerprints, and joined by the done
 * marks of the batch before.
 */

#pragma once

#include "cp-engine-private.h"

G_BEGIN_DECLS

/* A batch's claim is committed together with the fingerprints of its
 * first request, in one durable commit (synchronous = FULL) just before
 * that request goes: one commit per batch fewer, and the rows the claim
 * wrote are written to the WAL once, not twice (engine-overhead). The
 * transaction stays open while the connector reads the stock and builds
 * the request, which also means no change can slip in between the
 * value read and the job leaving the pending state: a change after the
 * commit queues a new job, as before. A crash before the commit leaves
 * the jobs pending, untouched: nothing was sent.
 *
 * When every job of the batch before went, marking them done opened
 * that transaction (Carry): the next claim joins it in a savepoint, and
 * one durable commit a batch records both — batch k done and batch k+1
 * claimed and announced. Giving the claim up (nothing due, a failure
 * before sending) rolls back the savepoint only; the done marks are
 * committed all the same. A crash before that commit leaves batch k
 * started under this run's epoch: the next run requeues it and sends it
 * again under the same keys, which is what a crash between sending and
 * recording has always meant. */
typedef struct
{
  gboolean      open;     /* batch k's done marks are not committed yet */
  gint64        restore;  /* the safety level to put back after them */
  CpEngineSlot *slot;     /* whose progress to announce once committed */
} Carry;

typedef struct
{
  CpEngineRun  *run;
  gboolean      open;      /* the claim is not committed yet */
  gint64        restore;   /* the safety level to put back after it */
  gboolean      nested;    /* the claim is a savepoint above carried done marks */
  CpEngineSlot *announce;  /* carried done marks to announce once committed */
  /* Jobs read as claimed but not written as started yet: the first
   * request's announcement starts its jobs in the same write, the
   * commit starts the rest (cp_outbox_read_due()). */
  GArray       *unstarted;
  gint64        claimed_at;
  gint64        lease_until;
} ClaimTx;

#define CLAIM_TX_INIT(run) { (run), FALSE, 0, FALSE, NULL, NULL, 0, 0 }

/* Commits (COMMIT) or gives up the claim, the done marks it carries
 * committed either way; announces them. TRUE when nothing was open. */
gboolean cp_engine_claim_end     (ClaimTx       *claim,
                                  gboolean       commit,
                                  GError       **error);
/* The request's JOBS were started with its announcement. */
void     cp_engine_claim_started (ClaimTx       *claim,
                                  GPtrArray     *jobs);
/* Commits batch k's done marks when no claim joined them. */
gboolean cp_engine_carry_end     (CpEngineRun   *run,
                                  Carry         *carry);

G_END_DECLS
