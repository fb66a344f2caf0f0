/* cp-outbox-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the parts of the outbox share: the engine's side (enqueueing,
 * epochs, claiming) in cp-outbox.c, what becomes of claimed jobs in
 * cp-outbox-lease.c, and a person's side (listing, retrying, cancelling,
 * purging) in cp-outbox-admin.c.
 */

#pragma once

#include "cp-outbox.h"
#include "cp-sql.h"

G_BEGIN_DECLS

/* Every column of a job, in the order cp_outbox_job_from_stmt() reads. */
#define CP_OUTBOX_JOB_COLUMNS \
  "id, integration_id, kind, coalesce_key, payload, state, idempotency_key, " \
  "request_fingerprint, attempts, max_attempts, next_attempt_at, lease_epoch, " \
  "lease_until, sent_at, last_error, last_error_kind, created_at, updated_at, done_at"

CpOutboxJob *cp_outbox_job_from_stmt (sqlite3_stmt *stmt);

/* Frees the string *FIELD of JOB (unless it lives in the job's own block)
 * and puts VALUE, which the job takes, in its place. */
void         cp_outbox_job_take_string (CpOutboxJob  *job,
                                        char        **field,
                                        char         *value);

/* Inside the caller's transaction: JOB_ID (a started or dead job) goes
 * back to pending with ATTEMPTS and NEXT_AT. A pending job with the same
 * key that came in meanwhile (a newer change) is merged into it: its
 * payload moves over, it is cancelled. The job keeps its idempotency
 * key, which a platform may already have seen. */
gboolean     cp_outbox_requeue_locked (CpLedger    *ledger,
                                       gint64       job_id,
                                       guint        attempts,
                                       gint64       next_at,
                                       const char  *error_kind,
                                       const char  *message,
                                       gint64       now_us,
                                       GError     **error);

/* Inside the caller's transaction: JOB_ID is dead, with its reason. */
gboolean     cp_outbox_set_dead_locked (CpLedger    *ledger,
                                        gint64       job_id,
                                        guint        attempts,
                                        const char  *error_kind,
                                        const char  *message,
                                        gint64       now_us,
                                        GError     **error);

/* A transaction whose COMMIT waits for the disk (synchronous = FULL,
 * which SQLite only lets change outside a transaction), for what is
 * shown to a platform next: the engine claims a batch in one and commits
 * it with the batch's fingerprints (cp_outbox_mark_sending_many() inside
 * it) just before the request goes. *OUT_RESTORE is the safety level to
 * put back, which cp_outbox_end_durable() does whether it commits
 * (COMMIT TRUE) or rolls back. */
gboolean     cp_outbox_begin_durable  (CpLedger    *ledger,
                                       gint64      *out_restore,
                                       GError     **error);
gboolean     cp_outbox_end_durable    (CpLedger    *ledger,
                                       gboolean     commit,
                                       gint64       restore,
                                       GError     **error);

/* The engine's claim in two steps, inside its open transaction, so that
 * a job's row is written once from claim to send. cp_outbox_read_due()
 * reads what cp_outbox_claim() would claim and returns it as claimed
 * (started under EPOCH, lease until LEASE_UNTIL, updated NOW_US), but
 * writes nothing; cp_outbox_start_read() writes that for IDS, and with
 * FINGERPRINT (or NULL) marks them sent at NOW_US too, as
 * cp_outbox_mark_sending_many() does. The transaction must not commit
 * between the two. */
GPtrArray   *cp_outbox_read_due       (CpLedger    *ledger,
                                       const char  *integration_id,
                                       const char  *kind,
                                       guint        max_jobs,
                                       gint64       epoch,
                                       gint64       now_us,
                                       gint64       lease_until,
                                       GError     **error);
gboolean     cp_outbox_start_read     (CpLedger      *ledger,
                                       const gint64  *ids,
                                       guint          n,
                                       gint64         epoch,
                                       gint64         lease_until,
                                       gint64         now_us,
                                       const char    *fingerprint,
                                       GError       **error);

/* cp_outbox_mark_sending_many() for JOBS (CpOutboxJob, as
 * cp_outbox_read_due() returned them, not started yet) with
 * FINGERPRINTS[i] for JOBS[i] (the jobs of a request come together),
 * inside the open transaction that read them: what was read
 * of them (an earlier attempt's fingerprint, sent_at) is what the ledger
 * holds, so nothing is read back, and they are started and marked sent
 * in one write (cp_outbox_start_read()). Same errors,
 * CP_OUTBOX_ERROR_KEY_CHANGED included (the new keys are written in the
 * transaction; the jobs are not started then). */
gboolean     cp_outbox_mark_sending_claimed (CpLedger            *ledger,
                                             GPtrArray           *jobs,
                                             gint64               epoch,
                                             const char * const  *fingerprints,
                                             GError             **error);

/* After CP_OUTBOX_ERROR_KEY_CHANGED: the keys (and fingerprints) the
 * ledger now holds for JOBS, into the caller's copies, so that the
 * request is built again with them. A job no longer there is left as
 * it is. */
gboolean     cp_outbox_reload_keys    (CpLedger    *ledger,
                                       GPtrArray   *jobs,
                                       GError     **error);

G_END_DECLS
