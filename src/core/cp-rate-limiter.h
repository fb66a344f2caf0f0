/* cp-rate-limiter.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A token bucket per integration (or per API key): CAPACITY tokens at
 * most, refilled at REFILL_RATE tokens per second. A request costs one
 * token; a GraphQL query costs its points (Shopify's calculated query
 * cost), which is the same bucket with bigger costs, corrected from the
 * server's throttleStatus after each response.
 *
 * No clock is read inside: every call takes NOW_US from the caller's
 * monotonic clock (g_get_monotonic_time () in the engine, a plain counter
 * in tests), so schedules are exact and tests run in no time.
 * Thread-safe: the engine's workers may share one limiter.
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* When a platform publishes no limit, Counterpart sends at most 60
 * requests a minute to a store (seed 003), and allows 60 per minute per
 * key on its own local API. */
#define CP_RATE_LIMITER_DEFAULT_PER_MINUTE 60

#define CP_TYPE_RATE_LIMITER (cp_rate_limiter_get_type ())

G_DECLARE_FINAL_TYPE (CpRateLimiter, cp_rate_limiter, CP, RATE_LIMITER, GObject)

/* Starts full. CAPACITY in (0, 1e9] tokens, REFILL_RATE in (0, 1e6]
 * tokens per second; fractions are fine (100 per hour is 0.0278/s). */
CpRateLimiter *cp_rate_limiter_new                (double         capacity,
                                                   double         refill_rate,
                                                   gint64         now_us);
/* CP_RATE_LIMITER_DEFAULT_PER_MINUTE: 60 tokens, one back per second. */
CpRateLimiter *cp_rate_limiter_new_default        (gint64         now_us);

/* For a client that will send: takes COST tokens now and returns how
 * many microseconds to wait before sending (0: send now). The tokens are
 * taken even when there is a wait, so concurrent callers queue up one
 * after another instead of all waking at once; a caller that then does
 * not send gives them back with cp_rate_limiter_refund (). COST may
 * exceed the capacity (it then waits as if the bucket could hold it). */
gint64         cp_rate_limiter_reserve            (CpRateLimiter *self,
                                                   double         cost,
                                                   gint64         now_us);

/* For a server that answers 429: takes COST tokens if they are there and
 * nothing is blocking; otherwise takes nothing, returns FALSE and sets
 * *OUT_RETRY_AFTER_US (may be NULL) to when they will be. A COST above
 * the capacity is taken once the bucket is full. */
gboolean       cp_rate_limiter_try_take           (CpRateLimiter *self,
                                                   double         cost,
                                                   gint64         now_us,
                                                   gint64        *out_retry_after_us);

/* Gives back COST tokens, up to the capacity: a reservation not used, or
 * the part of a GraphQL query's requested cost that its actual cost did
 * not use. */
void           cp_rate_limiter_refund             (CpRateLimiter *self,
                                                   double         cost,
                                                   gint64         now_us);

/* A wait the server imposed (Retry-After, a reset time): nothing goes
 * before UNTIL_US. It is not a failure, so it costs a job no attempt;
 * that bookkeeping is the engine's. The server just said the budget is
 * spent, so the local estimate drops to zero as well: otherwise the end
 * of the wait would release a full bucket into a server still counting. */
void           cp_rate_limiter_block_until        (CpRateLimiter *self,
                                                   gint64         until_us,
                                                   gint64         now_us);
/* 0 when nothing was ever imposed. */
gint64         cp_rate_limiter_get_blocked_until  (CpRateLimiter *self);

/* Cost-based budgets (Shopify GraphQL throttleStatus: currentlyAvailable,
 * maximumAvailable, restoreRate): the server's count replaces our
 * estimate, and its maximum and restore rate replace ours, so a plan
 * change on the platform is followed at the next response. A value ≤ 0
 * for MAXIMUM or RESTORE_RATE keeps ours. */
void           cp_rate_limiter_update_from_server (CpRateLimiter *self,
                                                   double         available,
                                                   double         maximum,
                                                   double         restore_rate,
                                                   gint64         now_us);

/* Fixed windows (X-RateLimit-Remaining): the server's REMAINING is an
 * upper bound on what we may still send before its window resets, so our
 * estimate never stays above it. Unlike the throttleStatus above it says
 * nothing about the refill, which stays ours. */
void           cp_rate_limiter_limit_available    (CpRateLimiter *self,
                                                   double         remaining,
                                                   gint64         now_us);

/* Fixed windows (seed 001's X-RateLimit-Limit, -Remaining and -Reset
 * together, or the IETF draft's q, r, t and w): REMAINING now, nothing
 * back before the window ends RESET_IN_US from NOW_US (negative: a Reset
 * that had passed by our clock, which a margin learnt from a lagging
 * server may bring back into the future), and LIMIT afresh
 * then, for a window of WINDOW_US (0 when not known: after the reset the
 * bucket refills at its rate until the server says more). A bucket that
 * refilled continuously instead would either hold back tokens the window
 * already grants or send ahead of a window that has not reset. */
void           cp_rate_limiter_set_window         (CpRateLimiter *self,
                                                   double         limit,
                                                   double         remaining,
                                                   gint64         reset_in_us,
                                                   gint64         window_us,
                                                   gint64         now_us);

/* A 429 that came when the server's Reset had passed by our clock: its
 * windows end later than it says (a lagging clock, a Reset rounded down).
 * Later resets are awaited a margin longer, doubling up to a second each
 * time, so a steady sync draws at most one such 429 per window. */
void           cp_rate_limiter_note_late_reset    (CpRateLimiter *self);
gint64         cp_rate_limiter_get_reset_margin   (CpRateLimiter *self);

/* How long until COST tokens could be taken, reservations queued and a
 * server's block counted, without taking them: for a scheduler that waits
 * before asking a connector that takes its own tokens. */
gint64         cp_rate_limiter_get_wait           (CpRateLimiter *self,
                                                   double         cost,
                                                   gint64         now_us);

/* Tokens there now; negative while reservations are queued. */
double         cp_rate_limiter_get_available      (CpRateLimiter *self,
                                                   gint64         now_us);
double         cp_rate_limiter_get_capacity       (CpRateLimiter *self);
double         cp_rate_limiter_get_refill_rate    (CpRateLimiter *self);

G_END_DECLS
