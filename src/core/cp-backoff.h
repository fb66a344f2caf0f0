/* cp-backoff.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How long a failed job waits before its next attempt: capped exponential
 * backoff with full jitter (AWS Architecture Blog, "Exponential Backoff
 * and Jitter"): a delay drawn evenly from [0, min(cap, base × 2^attempt)].
 * Without jitter, 10,000 jobs that failed together in one outage would all
 * retry in the same instant and knock the platform over again; drawn from
 * the whole range they arrive spread out.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One second for the first retry, never more than an hour between two:
 * a platform down for a day is retried hourly, not daily. */
#define CP_BACKOFF_DEFAULT_BASE_US (G_USEC_PER_SEC)
#define CP_BACKOFF_DEFAULT_CAP_US  ((gint64) 3600 * G_USEC_PER_SEC)

/* min (CAP_US, BASE_US × 2^ATTEMPT), without overflow for any ATTEMPT.
 * ATTEMPT 0 is the first retry. */
gint64  cp_backoff_ceiling_us (gint64  base_us,
                               gint64  cap_us,
                               guint   attempt);

/* A delay drawn evenly from [0, cp_backoff_ceiling_us ()], both ends
 * included. RAND is the caller's generator, so tests can seed it
 * (g_rand_new_with_seed) and get the same delays every run; NULL uses
 * GLib's global one. */
gint64  cp_backoff_delay_us   (gint64  base_us,
                               gint64  cap_us,
                               guint   attempt,
                               GRand  *rand);

G_END_DECLS
