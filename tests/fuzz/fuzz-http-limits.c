/* fuzz-http-limits.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the rate-limit header parsers: a platform's (or a
 * man in the middle's) headers are outside input. The input's lines are
 * the values of Retry-After, X-RateLimit-Limit, -Remaining and -Reset,
 * then the IETF draft's RateLimit, RateLimit-Policy and RateLimit-Reset
 * (read only when a line is empty, so the X- fields are absent).
 * Whatever they hold, a wait stays within [0, the one-hour clamp], counts
 * are never negative, and nothing crashes.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "cp-http-limits.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char * const header_names[] = {
  "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
  "RateLimit", "RateLimit-Policy", "RateLimit-Reset",
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_malloc (size + 1);
  g_auto(GStrv) lines = NULL;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new_default (0);
  const gint64 now_real = (gint64) 1768473000 * G_USEC_PER_SEC;
  CpHttpLimits limits;
  gint64 wait;

  /* A header value cannot hold CR or NUL; the lines split on LF. */
  memcpy (text, data, size);
  text[size] = '\0';
  for (size_t i = 0; i < size; i++)
    if (text[i] == '\r' || text[i] == '\0')
      text[i] = ' ';
  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL && i < G_N_ELEMENTS (header_names); i++)
    {
      if (i == 0 && cp_http_parse_retry_after (lines[i], now_real, &wait))
        g_assert_true (wait >= 0 && wait <= CP_HTTP_LIMITS_MAX_WAIT_US);
      if (lines[i][0] != '\0')
        soup_message_headers_append (headers, header_names[i], lines[i]);
    }

  cp_http_limits_parse (headers, now_real, &limits);
  g_assert_true (!limits.has_retry_after
                 || (limits.retry_after_us >= 0
                     && limits.retry_after_us <= CP_HTTP_LIMITS_MAX_WAIT_US));
  g_assert_true (!limits.has_reset
                 || (limits.reset_in_us >= 0 && limits.reset_in_us <= CP_HTTP_LIMITS_MAX_WAIT_US));
  g_assert_true (!limits.has_limit || limits.limit >= 0);
  g_assert_true (!limits.has_remaining || limits.remaining >= 0);
  g_assert_true (!limits.has_window || limits.window_s > 0);

  wait = cp_http_limits_apply (&limits, 429, limiter, 0);
  g_assert_true (wait >= 0 && wait <= CP_HTTP_LIMITS_MAX_WAIT_US);
  g_assert_true (cp_rate_limiter_reserve (limiter, 1, 0) >= wait);

  return 0;
}
