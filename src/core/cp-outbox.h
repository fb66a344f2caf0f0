/* cp-outbox.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outbox: durable outgoing work. Jobs are enqueued in the same SQLite
 * transaction as the ledger change that calls for them (triggers do it
 * for stock, variants and order status; cp_outbox_enqueue for the rest),
 * claimed under a lease, and completed, retried with capped exponential
 * backoff and full jitter, deferred without using an attempt (a rate
 * limit), or declared dead for a person to see and retry.
 */

#pragma once

#include <glib.h>

#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_OUTBOX_ERROR (cp_outbox_error_quark ())

typedef enum
{
  CP_OUTBOX_ERROR_NOT_FOUND,   /* no such job */
  CP_OUTBOX_ERROR_LEASE_LOST,  /* the job is no longer leased to this run */
  CP_OUTBOX_ERROR_INVALID,     /* e.g. retrying a job that is not dead */
  CP_OUTBOX_ERROR_KEY_CHANGED, /* the request must be built again: its jobs got new keys */
} CpOutboxError;

typedef enum
{
  CP_JOB_PENDING,
  CP_JOB_STARTED,
  CP_JOB_DONE,
  CP_JOB_DEAD,
  CP_JOB_CANCELLED,
} CpJobState;

/* Job kinds. */
#define CP_JOB_STOCK_PUSH        "stock.push"
#define CP_JOB_PRODUCT_PUSH      "product.push"
#define CP_JOB_ORDER_STATUS_PUSH "order.status.push"

/* Backoff: base 2 s, cap 1 h; 8 attempts before dead. */
#define CP_OUTBOX_BACKOFF_BASE_US  (2 * G_USEC_PER_SEC)
#define CP_OUTBOX_BACKOFF_CAP_US   (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define CP_OUTBOX_MAX_ATTEMPTS     8
#define CP_OUTBOX_LEASE_US         (120 * G_USEC_PER_SEC)
#define CP_OUTBOX_DONE_KEEP_US     (G_GINT64_CONSTANT (30) * 24 * 3600 * G_USEC_PER_SEC)

typedef struct
{
  gint64      id;
  char       *integration_id;
  char       *kind;
  char       *coalesce_key;
  char       *payload;              /* JSON object */
  CpJobState  state;
  char       *idempotency_key;
  char       *request_fingerprint;  /* or NULL: never sent */
  guint       attempts;
  guint       max_attempts;
  gint64      next_attempt_at;      /* µs */
  gint64      lease_epoch;
  gint64      lease_until;
  gint64      sent_at;              /* µs, 0 when never sent */
  char       *last_error;
  char       *last_error_kind;
  gint64      created_at;
  gint64      updated_at;
  gint64      done_at;

  /*< private >*/
  /* Bytes of text stored right after the struct, in the same block: a
   * job read from the ledger holds its strings there (one allocation
   * instead of nine, per job of every claim). cp_outbox_job_free() frees
   * only the strings outside it; a job built by hand leaves this 0. */
  gsize       packed_len;
} CpOutboxJob;

GType         cp_outbox_job_get_type (void) G_GNUC_CONST;
CpOutboxJob  *cp_outbox_job_copy     (const CpOutboxJob *self);
void          cp_outbox_job_free     (CpOutboxJob *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpOutboxJob, cp_outbox_job_free)

GQuark        cp_outbox_error_quark  (void);
const char   *cp_job_state_to_string (CpJobState  state);
gboolean      cp_job_state_from_string (const char *text,
                                        CpJobState *out);

/* Enqueues (or coalesces into the pending job with the same key: the
 * payload is replaced, the idempotency key kept). Joins the caller's
 * transaction when there is one, so the job commits with the change.
 * Returns the job id, or 0 with error set. */
gint64        cp_outbox_enqueue      (CpLedger    *ledger,
                                      const char  *integration_id,
                                      const char  *kind,
                                      const char  *coalesce_key,
                                      const char  *payload_json,
                                      gint64       not_before_us,
                                      GError     **error);

/* The boot epoch of this run: incremented in the ledger once per
 * process that drains the outbox. Requeues every job still "started"
 * under an earlier epoch at once, with attempts + 1 (the crash counts as
 * an attempt; one that used the last attempt goes dead). Returns the new
 * epoch, or 0 with error set. */
gint64        cp_outbox_start_epoch  (CpLedger  *ledger,
                                      guint     *out_requeued,
                                      GError   **error);

/* Claims up to max_jobs due jobs (next_attempt_at <= now) of one
 * integration and kind ("" or NULL: any kind, oldest first), marking
 * them started under the epoch with a lease until now + lease_us.
 * Returns a GPtrArray of CpOutboxJob (possibly empty). */
GPtrArray    *cp_outbox_claim        (CpLedger    *ledger,
                                      const char  *integration_id,
                                      const char  *kind,
                                      guint        max_jobs,
                                      gint64       epoch,
                                      gint64       now_us,
                                      gint64       lease_us,
                                      GError     **error);

/* Before the first byte of a request is sent: commits the fingerprint
 * of the request (and sent_at) durably. When a fingerprint was already
 * stored (a resend after a crash) it is returned in out_previous, and
 * the job's idempotency key stays the same. Commits with
 * synchronous=FULL; inside a caller's transaction it joins it (SQLite
 * cannot change the level there) and the caller's commit must be made
 * durable instead. */
gboolean      cp_outbox_mark_sending (CpLedger    *ledger,
                                      gint64       job_id,
                                      gint64       epoch,
                                      const char  *fingerprint,
                                      char       **out_previous,
                                      GError     **error);

gboolean      cp_outbox_complete     (CpLedger    *ledger,
                                      gint64       job_id,
                                      gint64       epoch,
                                      gint64       now_us,
                                      GError     **error);
/* A failure that may pass: attempts + 1, next attempt after a full-
 * jitter backoff (cp_backoff_delay_us), or dead when attempts run out.
 * Returns the new state in out_state. */
gboolean      cp_outbox_fail         (CpLedger    *ledger,
                                      gint64       job_id,
                                      gint64       epoch,
                                      const char  *error_kind,
                                      const char  *message,
                                      gint64       now_us,
                                      GRand       *rand,
                                      CpJobState  *out_state,
                                      GError     **error);
/* A failure that will not pass by retrying (invalid data, permission):
 * dead at once, with its reason. */
gboolean      cp_outbox_kill         (CpLedger    *ledger,
                                      gint64       job_id,
                                      gint64       epoch,
                                      const char  *error_kind,
                                      const char  *message,
                                      gint64       now_us,
                                      GError     **error);
/* A wait imposed from outside (rate limit, paused, credentials being
 * fixed): back to pending at not_before_us, attempts unchanged. */
gboolean      cp_outbox_defer        (CpLedger    *ledger,
                                      gint64       job_id,
                                      gint64       epoch,
                                      gint64       not_before_us,
                                      const char  *reason,
                                      GError     **error);

/* Batches: the engine sends up to a platform's batch size (100) in one
 * request, so it records the outcome of the whole batch in one
 * transaction. Jobs no longer leased to EPOCH are left as they are; when
 * there were some, the others are still committed and FALSE is returned
 * with CP_OUTBOX_ERROR_LEASE_LOST (CP_OUTBOX_ERROR_NOT_FOUND when a job
 * does not exist at all). Any other error leaves every job unchanged. */

/* FINGERPRINTS has N entries (the same string may repeat). OUT_PREVIOUS
 * (optional) gets N entries: the fingerprint stored before, or NULL for a
 * job never sent. Durable like cp_outbox_mark_sending().
 *
 * A key promises the platform the same request. When a job that sets an
 * absolute value (CP_JOB_STOCK_PUSH: the latest quantity, whatever it
 * is) was sent by an earlier attempt with another fingerprint, its key
 * cannot go with this request: Shopify's @idempotent and Stripe refuse
 * or replay a known key with another body, and the new value would
 * never land. Then every job of the request that an earlier attempt
 * sent gets a new key (and no fingerprint: nothing went under it yet),
 * that is committed, nothing is marked, and FALSE is returned with
 * CP_OUTBOX_ERROR_KEY_CHANGED: build the request again with the jobs'
 * new keys (they are read back by cp_outbox_get() or a claim). Creates,
 * deltas and every other kind keep their key for good: a resend of
 * those must be known to the platform as the same operation. */
gboolean      cp_outbox_mark_sending_many (CpLedger           *ledger,
                                      const gint64        *ids,
                                      guint                n,
                                      gint64               epoch,
                                      const char * const  *fingerprints,
                                      GPtrArray          **out_previous,
                                      GError             **error);
gboolean      cp_outbox_complete_many (CpLedger     *ledger,
                                      const gint64 *ids,
                                      guint         n,
                                      gint64        epoch,
                                      gint64        now_us,
                                      GError      **error);
/* OUT_DEAD (optional): how many of them ran out of attempts. */
gboolean      cp_outbox_fail_many    (CpLedger     *ledger,
                                      const gint64 *ids,
                                      guint         n,
                                      gint64        epoch,
                                      const char   *error_kind,
                                      const char   *message,
                                      gint64        now_us,
                                      GRand        *rand,
                                      guint        *out_dead,
                                      GError      **error);
gboolean      cp_outbox_kill_many    (CpLedger     *ledger,
                                      const gint64 *ids,
                                      guint         n,
                                      gint64        epoch,
                                      const char   *error_kind,
                                      const char   *message,
                                      gint64        now_us,
                                      GError      **error);
gboolean      cp_outbox_defer_many   (CpLedger     *ledger,
                                      const gint64 *ids,
                                      guint         n,
                                      gint64        epoch,
                                      gint64        not_before_us,
                                      const char   *reason,
                                      GError      **error);

/* The settings key that holds the last boot epoch. */
#define CP_OUTBOX_EPOCH_SETTING "outbox_epoch"

/* A person retries: dead -> pending now, attempts reset, the idempotency
 * key kept. Logs JobRetried in the activity log. */
gboolean      cp_outbox_retry        (CpLedger    *ledger,
                                      gint64       job_id,
                                      GError     **error);
/* Returns the number retried (one JobRetried event for all of them).
 * integration_id NULL: all. */
guint         cp_outbox_retry_all_dead (CpLedger   *ledger,
                                      const char  *integration_id,
                                      GError     **error);
gboolean      cp_outbox_cancel       (CpLedger    *ledger,
                                      gint64       job_id,
                                      GError     **error);
/* Deletes done and cancelled jobs finished before before_us. */
guint         cp_outbox_purge        (CpLedger    *ledger,
                                      gint64       before_us,
                                      GError     **error);

typedef struct
{
  const char *integration_id;  /* NULL: all */
  gboolean    has_state;
  CpJobState  state;
  gint64      after_id;        /* keyset paging; 0: from the first */
  guint       limit;           /* 0: 100 */
  gboolean    unfinished_only; /* without has_state: pending, started and dead */
} CpOutboxQuery;

GPtrArray    *cp_outbox_list         (CpLedger             *ledger,
                                      const CpOutboxQuery  *query,
                                      GError              **error);
CpOutboxJob  *cp_outbox_get          (CpLedger    *ledger,
                                      gint64       job_id,
                                      GError     **error);
/* Counts per state for one integration (NULL: all). */
gboolean      cp_outbox_count        (CpLedger    *ledger,
                                      const char  *integration_id,
                                      guint       *out_pending,
                                      guint       *out_started,
                                      guint       *out_dead,
                                      GError     **error);
/* The earliest next_attempt_at of a pending job (µs), 0 when none. */
gint64        cp_outbox_next_due     (CpLedger    *ledger,
                                      const char  *integration_id,
                                      GError     **error);

/* A forced full sync: one job of kind per mapped (or every) variant. */
guint         cp_outbox_enqueue_all_variants (CpLedger    *ledger,
                                      const char  *integration_id,
                                      const char  *kind,
                                      GError     **error);

G_END_DECLS
