/* test-http-limits.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-http-limits"

#include "config.h"

#include "cp-http-limits.h"

#define SEC ((gint64) G_USEC_PER_SEC)

/* The wall clock every test reads: 2026-01-15 10:30:00 UTC. */
static gint64
fake_now_real (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 1, 15, 10, 30, 0);

  return g_date_time_to_unix (now) * SEC;
}

static void
set_count_header (SoupMessageHeaders *headers,
                  const char         *name,
                  gint64              value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  soup_message_headers_replace (headers, name, text);
}

static gint64
retry_after (const char *value)
{
  gint64 wait = -42;

  if (!cp_http_parse_retry_after (value, fake_now_real (), &wait))
    {
      g_assert_cmpint (wait, ==, -42);  /* untouched when refused */
      return -1;
    }
  return wait;
}

static void
test_retry_after_seconds (void)
{
  g_assert_cmpint (retry_after ("120"), ==, 120 * SEC);
  g_assert_cmpint (retry_after ("0"), ==, 0);
  g_assert_cmpint (retry_after (" 7 "), ==, 7 * SEC);
  g_assert_cmpint (retry_after ("007"), ==, 7 * SEC);
  /* Shopify's REST API sends fractions; rounded up, never down. */
  g_assert_cmpint (retry_after ("2.5"), ==, 2500000);
  g_assert_cmpint (retry_after ("2.0"), ==, 2 * SEC);
  g_assert_cmpint (retry_after ("2.0000001"), ==, 2 * SEC + 1);
  g_assert_cmpint (retry_after ("0.000001"), ==, 1);
  /* Clamped to an hour, however large, without overflow. */
  g_assert_cmpint (retry_after ("3599"), ==, 3599 * SEC);
  g_assert_cmpint (retry_after ("7200"), ==, CP_HTTP_LIMITS_MAX_WAIT_US);
  g_assert_cmpint (retry_after ("99999999999999999999999999999"), ==, CP_HTTP_LIMITS_MAX_WAIT_US);
}

static void
test_retry_after_date (void)
{
  /* RFC 9110's preferred IMF-fixdate and the two obsolete forms. */
  g_assert_cmpint (retry_after ("Thu, 15 Jan 2026 10:30:30 GMT"), ==, 30 * SEC);
  g_assert_cmpint (retry_after ("Thursday, 15-Jan-26 10:31:00 GMT"), ==, 60 * SEC);
  g_assert_cmpint (retry_after ("Thu Jan 15 10:32:00 2026"), ==, 120 * SEC);
  /* A date already past: go now. One far ahead: an hour at most. */
  g_assert_cmpint (retry_after ("Thu, 15 Jan 2026 10:00:00 GMT"), ==, 0);
  g_assert_cmpint (retry_after ("Fri, 16 Jan 2026 10:30:00 GMT"), ==, CP_HTTP_LIMITS_MAX_WAIT_US);
}

static void
test_retry_after_garbage (void)
{
  static const char * const garbage[] = {
    "", "   ", "soon", "-5", "+5", "5s", "1e3", "0x10", "2.", ".5", "12 34", "1,5",
    "NaN", "inf", "12:00", "\"30\"",
  };

  g_assert_cmpint (retry_after (NULL), ==, -1);
  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      if (retry_after (garbage[i]) != -1)
        g_error ("Retry-After \"%s\" was accepted", garbage[i]);
    }
}

static void
test_x_ratelimit (void)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  gint64 now = fake_now_real ();
  g_autofree char *reset = g_strdup_printf ("%" G_GINT64_FORMAT, now / SEC + 45);
  CpHttpLimits limits;

  /* Header names are case-insensitive. */
  soup_message_headers_append (headers, "X-RateLimit-Limit", "1000");
  soup_message_headers_append (headers, "x-ratelimit-remaining", "42");
  soup_message_headers_append (headers, "X-RATELIMIT-RESET", reset);
  soup_message_headers_append (headers, "Retry-After", "3");
  cp_http_limits_parse (headers, now, &limits);

  g_assert_true (limits.has_limit);
  g_assert_cmpint (limits.limit, ==, 1000);
  g_assert_true (limits.has_remaining);
  g_assert_cmpint (limits.remaining, ==, 42);
  /* Seed 001: Reset is the Unix time the window resets. */
  g_assert_true (limits.has_reset);
  g_assert_cmpint (limits.reset_unix, ==, now / SEC + 45);
  g_assert_cmpint (limits.reset_in_us, ==, 45 * SEC);
  g_assert_true (limits.has_retry_after);
  g_assert_cmpint (limits.retry_after_us, ==, 3 * SEC);

  /* A reset already past is a wait of 0; a small number can only be
   * seconds from now (a 1970 date would mean "retry at once", forever). */
  soup_message_headers_replace (headers, "X-RateLimit-Reset", "1700000000");
  cp_http_limits_parse (headers, now, &limits);
  g_assert_true (limits.has_reset);
  g_assert_cmpint (limits.reset_in_us, ==, 0);
  soup_message_headers_replace (headers, "X-RateLimit-Reset", "30");
  cp_http_limits_parse (headers, now, &limits);
  g_assert_true (limits.has_reset);
  g_assert_cmpint (limits.reset_in_us, ==, 30 * SEC);
  g_assert_cmpint (limits.reset_unix, ==, now / SEC + 30);

  /* The older draft's "limit, policy" form: the first number counts. */
  soup_message_headers_replace (headers, "X-RateLimit-Limit", "100, 100;w=60");
  cp_http_limits_parse (headers, now, &limits);
  g_assert_true (limits.has_limit);
  g_assert_cmpint (limits.limit, ==, 100);
}

static void
test_x_ratelimit_garbage (void)
{
  static const char * const garbage[] = {
    "", "abc", "-1", "12abc", "1.5", "0x20", "99999999999999999999999",
  };
  gint64 now = fake_now_real ();

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      g_autoptr(SoupMessageHeaders) headers =
        soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
      CpHttpLimits limits;

      soup_message_headers_append (headers, "X-RateLimit-Limit", garbage[i]);
      soup_message_headers_append (headers, "X-RateLimit-Remaining", garbage[i]);
      soup_message_headers_append (headers, "X-RateLimit-Reset", garbage[i]);
      cp_http_limits_parse (headers, now, &limits);
      if (limits.has_limit || limits.has_remaining || limits.has_reset)
        g_error ("\"%s\" was accepted", garbage[i]);
    }

  /* No headers at all: nothing set. */
  {
    g_autoptr(SoupMessageHeaders) headers =
      soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
    CpHttpLimits limits;

    cp_http_limits_parse (headers, now, &limits);
    g_assert_false (limits.has_limit || limits.has_remaining || limits.has_reset
                    || limits.has_retry_after);
  }
}

static void
parse_with (CpHttpLimits *limits,
            const char   *name1,
            const char   *value1,
            const char   *name2,
            const char   *value2)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);

  soup_message_headers_append (headers, name1, value1);
  if (name2 != NULL)
    soup_message_headers_append (headers, name2, value2);
  cp_http_limits_parse (headers, fake_now_real (), limits);
}

/* The IETF draft's fields, when a server sends those instead. */
static void
test_draft_fields (void)
{
  gint64 now = fake_now_real ();
  CpHttpLimits limits;

  /* draft-08+: one policy. */
  parse_with (&limits, "RateLimit", "\"default\";r=42;t=30",
              "RateLimit-Policy", "\"default\";q=100;w=60");
  g_assert_true (limits.has_remaining && limits.has_reset && limits.has_limit
                 && limits.has_window);
  g_assert_cmpint (limits.remaining, ==, 42);
  g_assert_cmpint (limits.reset_in_us, ==, 30 * SEC);
  g_assert_cmpint (limits.reset_unix, ==, now / SEC + 30);
  g_assert_cmpint (limits.limit, ==, 100);
  g_assert_cmpint (limits.window_s, ==, 60);

  /* Several policies: the one with the fewest left binds, with its own
   * quota; tokens as names, spaces, unknown parameters. */
  parse_with (&limits, "RateLimit", "burst;r=40;t=1, daily ; pk=:YWJj: ;r=5;t=600",
              "RateLimit-Policy", "burst;q=50;w=1, daily;q=1000;w=86400;qu=\"requests\"");
  g_assert_cmpint (limits.remaining, ==, 5);
  g_assert_cmpint (limits.reset_in_us, ==, 600 * SEC);
  g_assert_cmpint (limits.limit, ==, 1000);
  g_assert_cmpint (limits.window_s, ==, 86400);

  /* No matching policy: remaining and reset, but no limit. */
  parse_with (&limits, "RateLimit", "\"a\";r=1", "RateLimit-Policy", "\"b\";q=9;w=9");
  g_assert_true (limits.has_remaining);
  g_assert_false (limits.has_reset || limits.has_limit || limits.has_window);

  /* Not integers: not taken. */
  parse_with (&limits, "RateLimit", "\"x\";r=1.5;t=-3", NULL, NULL);
  g_assert_false (limits.has_remaining || limits.has_reset);
  parse_with (&limits, "RateLimit", "\"x\";r=\"5\";t=?1", NULL, NULL);
  g_assert_false (limits.has_remaining || limits.has_reset);
  parse_with (&limits, "RateLimit", "\"unterminated;r=5", NULL, NULL);
  g_assert_false (limits.has_remaining);

  /* Before draft-08: the triple without X-, Reset in seconds from now
   * (even when it looks like a date). */
  parse_with (&limits, "RateLimit-Limit", "100", "RateLimit-Remaining", "3");
  g_assert_true (limits.has_limit && limits.has_remaining);
  g_assert_cmpint (limits.remaining, ==, 3);
  parse_with (&limits, "RateLimit-Reset", "45", NULL, NULL);
  g_assert_true (limits.has_reset);
  g_assert_cmpint (limits.reset_in_us, ==, 45 * SEC);

  /* Seed 001's fields win when both are there. */
  parse_with (&limits, "X-RateLimit-Remaining", "7", "RateLimit", "\"d\";r=1;t=1");
  g_assert_cmpint (limits.remaining, ==, 7);
  g_assert_false (limits.has_reset);
}

/* The headers reach the limiter: the engine's next reserve waits as long
 * as the server said, and no longer. */
static void
test_apply_to_limiter (void)
{
  const gint64 mono = 5000 * SEC;  /* the limiter's (monotonic) clock */
  gint64 now = fake_now_real ();
  g_autofree char *reset = g_strdup_printf ("%" G_GINT64_FORMAT, now / SEC + 20);

  /* Remaining caps our estimate. */
  {
    g_autoptr(SoupMessageHeaders) headers =
      soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
    g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new_default (mono);
    CpHttpLimits limits;

    soup_message_headers_append (headers, "X-RateLimit-Remaining", "3");
    soup_message_headers_append (headers, "X-RateLimit-Reset", reset);
    cp_http_limits_parse (headers, now, &limits);
    g_assert_cmpint (cp_http_limits_apply (&limits, 200, limiter, mono), ==, 0);
    g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, mono), ==, 3);
  }

  /* Remaining 0 with a Reset: nothing until the reset, even on a 200. */
  {
    g_autoptr(SoupMessageHeaders) headers =
      soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
    g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new_default (mono);
    CpHttpLimits limits;

    soup_message_headers_append (headers, "X-RateLimit-Remaining", "0");
    soup_message_headers_append (headers, "X-RateLimit-Reset", reset);
    cp_http_limits_parse (headers, now, &limits);
    g_assert_cmpint (cp_http_limits_apply (&limits, 200, limiter, mono), ==, 20 * SEC);
    g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, mono), ==, 20 * SEC);
  }

  /* 429 with Retry-After: that long, as an HTTP-date too. */
  {
    g_autoptr(SoupMessageHeaders) headers =
      soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
    g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new_default (mono);
    CpHttpLimits limits;

    soup_message_headers_append (headers, "Retry-After", "Thu, 15 Jan 2026 10:30:08 GMT");
    cp_http_limits_parse (headers, now, &limits);
    g_assert_cmpint (cp_http_limits_apply (&limits, 429, limiter, mono), ==, 8 * SEC);
    g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, mono + 2 * SEC), ==, 6 * SEC);
    g_assert_cmpint (cp_rate_limiter_get_blocked_until (limiter), ==, mono + 8 * SEC);
  }

  /* A draft policy sets the refill rate from its quota and window, and
   * r=0 waits until t. */
  {
    g_autoptr(SoupMessageHeaders) headers =
      soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
    g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new_default (mono);
    CpHttpLimits limits;

    soup_message_headers_append (headers, "RateLimit", "\"default\";r=0;t=12");
    soup_message_headers_append (headers, "RateLimit-Policy", "\"default\";q=300;w=60");
    cp_http_limits_parse (headers, now, &limits);
    g_assert_cmpint (cp_http_limits_apply (&limits, 200, limiter, mono), ==, 12 * SEC);
    g_assert_cmpfloat (cp_rate_limiter_get_capacity (limiter), ==, 300);
    g_assert_cmpfloat (cp_rate_limiter_get_refill_rate (limiter), ==, 5);
    g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, mono), ==, 12 * SEC);
  }

  /* 503 with Retry-After too; on a 200 it means nothing; a 429 with
   * neither header leaves the wait to the engine's backoff. */
  {
    g_autoptr(SoupMessageHeaders) headers =
      soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
    g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new_default (mono);
    g_autoptr(SoupMessageHeaders) empty =
      soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
    CpHttpLimits limits;

    soup_message_headers_append (headers, "Retry-After", "4");
    cp_http_limits_parse (headers, now, &limits);
    g_assert_cmpint (cp_http_limits_apply (&limits, 200, limiter, mono), ==, 0);
    g_assert_cmpint (cp_rate_limiter_get_blocked_until (limiter), ==, 0);
    g_assert_cmpint (cp_http_limits_apply (&limits, 503, limiter, mono), ==, 4 * SEC);
    g_assert_cmpint (cp_rate_limiter_get_blocked_until (limiter), ==, mono + 4 * SEC);

    cp_http_limits_parse (empty, now, &limits);
    g_assert_cmpint (cp_http_limits_apply (&limits, 429, limiter, mono), ==, 0);
  }
}

/* A loopback of seed 001's fixed windows: LIMIT requests per 60-s window,
 * X-RateLimit-* on every answer, 429 past the limit. A greedy client that
 * feeds every answer to cp_http_limits_apply () gets no 429 at all and
 * uses nearly the whole limit, whether the plan is above or below the
 * limiter's default pace of 60 a minute. */
static void
test_fixed_window_server (void)
{
  static const gint64 plan_limits[] = { 20, 500 };
  const gint64 window = 60 * SEC;
  const guint n_windows = 10;
  const gint64 mono0 = 7 * SEC;
  const gint64 real0 = fake_now_real ();

  for (guint p = 0; p < G_N_ELEMENTS (plan_limits); p++)
    {
      g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new_default (mono0);
      gint64 limit = plan_limits[p];
      gint64 mono = mono0;
      guint served = 0;
      guint throttled = 0;
      gint64 window_index = -1;
      gint64 used = 0;

      for (;;)
        {
          g_autoptr(SoupMessageHeaders) headers =
            soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
          gint64 real;
          gint64 reset;
          guint status = 200;
          CpHttpLimits limits;

          mono += cp_rate_limiter_reserve (limiter, 1, mono);
          if (mono - mono0 >= n_windows * window)
            break;

          /* The server: windows start at real0, every 60 s. */
          real = real0 + (mono - mono0);
          if ((real - real0) / window != window_index)
            {
              window_index = (real - real0) / window;
              used = 0;
            }
          reset = (real0 + (window_index + 1) * window) / SEC;
          if (used >= limit)
            {
              status = 429;
              throttled++;
              soup_message_headers_append (headers, "Retry-After", "1");
            }
          else
            {
              used++;
              served++;
            }
          set_count_header (headers, "X-RateLimit-Limit", limit);
          set_count_header (headers, "X-RateLimit-Remaining", limit - used);
          set_count_header (headers, "X-RateLimit-Reset", reset);

          cp_http_limits_parse (headers, real, &limits);
          cp_http_limits_apply (&limits, status, limiter, mono);
        }

      g_test_message ("limit %" G_GINT64_FORMAT "/min: %u served, %u throttled",
                      limit, served, throttled);
      g_assert_cmpuint (throttled, ==, 0);
      g_assert_cmpuint (served, >=, 0.95 * limit * n_windows);
    }
}

/* The local API's side: what Counterpart writes, a client (our own parser
 * included) reads back without ever being early. */
static void
test_write_round_trip (void)
{
  const gint64 mono = 100 * SEC;
  gint64 now = fake_now_real ();
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new_default (mono);
  gint64 retry_after = 0;
  CpHttpLimits limits;

  cp_http_limits_write (headers, limiter, 0, mono, now);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-RateLimit-Limit"), ==, "60");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-RateLimit-Remaining"), ==, "60");
  g_assert_null (soup_message_headers_get_one (headers, "Retry-After"));
  cp_http_limits_parse (headers, now, &limits);
  g_assert_cmpint (limits.reset_unix, ==, now / SEC);

  /* Spend the minute's budget, then one refused request: 429 headers. */
  for (guint i = 0; i < 60; i++)
    g_assert_true (cp_rate_limiter_try_take (limiter, 1, mono, NULL));
  g_assert_false (cp_rate_limiter_try_take (limiter, 1, mono + SEC / 2, &retry_after));
  cp_http_limits_write (headers, limiter, retry_after, mono + SEC / 2, now + SEC / 2);
  cp_http_limits_parse (headers, now + SEC / 2, &limits);

  g_assert_true (limits.has_limit && limits.has_remaining && limits.has_reset);
  g_assert_cmpint (limits.limit, ==, 60);
  g_assert_cmpint (limits.remaining, ==, 0);
  /* Half a token back by then; full again 59.5 s later, at now + 60 s. */
  g_assert_cmpint (limits.reset_unix, ==, now / SEC + 60);
  g_assert_true (limits.has_retry_after);
  g_assert_cmpint (limits.retry_after_us, ==, SEC);
  g_assert_cmpint (limits.retry_after_us, >=, retry_after);

  /* A client honouring the Retry-After we wrote gets in. */
  g_assert_true (cp_rate_limiter_try_take (limiter, 1, mono + SEC / 2 + limits.retry_after_us,
                                           NULL));

  /* An answer that is not a 429 carries no Retry-After. */
  cp_http_limits_write (headers, limiter, 0, mono + 2 * SEC, now + 2 * SEC);
  g_assert_null (soup_message_headers_get_one (headers, "Retry-After"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http-limits/retry-after-seconds", test_retry_after_seconds);
  g_test_add_func ("/http-limits/retry-after-date", test_retry_after_date);
  g_test_add_func ("/http-limits/retry-after-garbage", test_retry_after_garbage);
  g_test_add_func ("/http-limits/x-ratelimit", test_x_ratelimit);
  g_test_add_func ("/http-limits/x-ratelimit-garbage", test_x_ratelimit_garbage);
  g_test_add_func ("/http-limits/draft-fields", test_draft_fields);
  g_test_add_func ("/http-limits/apply-to-limiter", test_apply_to_limiter);
  g_test_add_func ("/http-limits/fixed-window-server", test_fixed_window_server);
  g_test_add_func ("/http-limits/write-round-trip", test_write_round_trip);

  return g_test_run ();
}
