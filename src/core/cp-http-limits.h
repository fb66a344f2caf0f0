/* cp-http-limits.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a response's headers say about rate limits: Retry-After (RFC 9110
 * §10.2.3, delta-seconds or an HTTP-date) and the X-RateLimit-Limit,
 * -Remaining and -Reset triple of seed 001, whose Reset is "Unix
 * timestamp when limit resets". Where those are absent, the IETF draft's
 * fields fill the same slots (draft-ietf-httpapi-ratelimit-headers:
 * RateLimit-Policy: "p";q=100;w=60 and RateLimit: "p";r=42;t=30 since
 * -08, RateLimit-Limit/-Remaining/-Reset in seconds before). Values that
 * are not what the header allows are treated as absent, never guessed at.
 */

#pragma once

#include <libsoup/soup.h>

#include "cp-rate-limiter.h"

G_BEGIN_DECLS

/* The longest wait a header can impose: a server (or a bug) saying "come
 * back next year" must not park a sync forever. After an hour Counterpart
 * asks again and gets a fresh answer. */
#define CP_HTTP_LIMITS_MAX_WAIT_US ((gint64) 3600 * G_USEC_PER_SEC)

typedef struct
{
  gboolean has_retry_after;
  gint64   retry_after_us;   /* from now, in [0, CP_HTTP_LIMITS_MAX_WAIT_US] */

  gboolean has_limit;
  gint64   limit;            /* X-RateLimit-Limit: requests per window */
  gboolean has_remaining;
  gint64   remaining;        /* X-RateLimit-Remaining */
  gboolean has_reset;
  gint64   reset_unix;       /* X-RateLimit-Reset, seconds since the epoch */
  gint64   reset_in_us;      /* from now, in [0, CP_HTTP_LIMITS_MAX_WAIT_US] */
  gint64   reset_overdue_us; /* how long ago a Reset date passed; 0 if not */

  gboolean has_window;
  gint64   window_s;         /* RateLimit-Policy's w: the window LIMIT is per */
} CpHttpLimits;

/* A Retry-After value. NOW_REAL_US is the wall clock (g_get_real_time ())
 * an HTTP-date is measured against. Fractional seconds ("2.5", as Shopify
 * sends) are accepted and rounded up; a date in the past is a wait of 0.
 * FALSE (and *OUT_WAIT_US untouched) for anything else. */
gboolean  cp_http_parse_retry_after (const char         *value,
                                     gint64              now_real_us,
                                     gint64             *out_wait_us);

/* Fills LIMITS from HEADERS; fields whose header is absent or malformed
 * stay unset. */
void      cp_http_limits_parse      (SoupMessageHeaders *headers,
                                     gint64              now_real_us,
                                     CpHttpLimits       *limits);

/* Tells LIMITER what the response said, NOW_US being its monotonic clock:
 * Limit, Remaining and Reset together are the server's fixed window
 * (cp_rate_limiter_set_window (): Remaining until Reset, the Limit afresh
 * then; a known window length sets the refill rate), and a 429 whose
 * Reset had already passed widens the margin kept after each reset;
 * Remaining alone only caps the estimate. Remaining 0 blocks it until
 * Reset; a 429 or 503 with Retry-After blocks it for that long. Returns
 * the wait imposed (0 when none). A 429 with neither Retry-After nor Reset
 * imposes nothing here: how long to wait then is the engine's call
 * (backoff). */
gint64    cp_http_limits_apply      (const CpHttpLimits *limits,
                                     guint               status,
                                     CpRateLimiter      *limiter,
                                     gint64              now_us);

/* The other side, for Counterpart's own local API: writes the
 * X-RateLimit-* triple from LIMITER as seed 001 defines it (Limit: the
 * bucket's capacity; Remaining: whole tokens left; Reset: the Unix time
 * the bucket is full again), and Retry-After in whole seconds, rounded
 * up, when RETRY_AFTER_US > 0 (a 429). NOW_US is the limiter's clock,
 * NOW_REAL_US the wall clock Reset is given in. */
void      cp_http_limits_write      (SoupMessageHeaders *headers,
                                     CpRateLimiter      *limiter,
                                     gint64              retry_after_us,
                                     gint64              now_us,
                                     gint64              now_real_us);

G_END_DECLS
