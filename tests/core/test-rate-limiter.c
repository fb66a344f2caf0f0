/* test-rate-limiter.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test drives the limiter with a fake monotonic clock (a plain
 * gint64 passed to each call), so hours of schedule run in milliseconds
 * and every wait is checked to the microsecond.
 */

#define G_LOG_DOMAIN "test-rate-limiter"

#include "config.h"

#include "cp-http-limits.h"
#include "cp-rate-limiter.h"

#define SEC ((gint64) G_USEC_PER_SEC)
#define T0  ((gint64) 1000 * SEC)   /* an arbitrary start of the fake clock */

/* Most requests in any window of WINDOW_US among sorted SENDS. */
static guint
busiest_window (GArray *sends,
                gint64  window_us)
{
  guint best = 0;
  guint first = 0;

  for (guint last = 0; last < sends->len; last++)
    {
      while (g_array_index (sends, gint64, last) - g_array_index (sends, gint64, first) >= window_us)
        first++;
      best = MAX (best, last - first + 1);
    }
  return best;
}

static gint
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Greedy clients that send the moment the limiter lets them: over an
 * hour, no window ever holds more than the bucket allows (capacity plus
 * rate × window), and the rate is used in full, not just respected. */
static void
test_steady_state_never_exceeds_rate (void)
{
  const double capacity = 10;
  const double rate = 5;
  const gint64 duration = 3600 * SEC;
  const guint n_workers = 4;
  g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new (capacity, rate, T0);
  g_autoptr(GArray) sends = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 next_free[4] = { T0, T0, T0, T0 };
  static const gint64 windows[] = { 1 * SEC, 7 * SEC, 60 * SEC, 600 * SEC };

  /* Each worker asks again as soon as its previous send went out; the
   * worker that is free first asks first, as on a real clock. */
  for (;;)
    {
      guint w = 0;
      gint64 wait;

      for (guint i = 1; i < n_workers; i++)
        if (next_free[i] < next_free[w])
          w = i;
      if (next_free[w] >= T0 + duration)
        break;

      wait = cp_rate_limiter_reserve (limiter, 1, next_free[w]);
      g_assert_cmpint (wait, >=, 0);
      next_free[w] += wait;
      g_array_append_val (sends, next_free[w]);
    }

  g_array_sort (sends, compare_gint64);
  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    {
      guint most = busiest_window (sends, windows[i]);
      double allowed = capacity + rate * windows[i] / SEC;

      g_test_message ("window %" G_GINT64_FORMAT " s: at most %u sends (allowed %.0f)",
                      windows[i] / SEC, most, allowed);
      g_assert_cmpfloat (most, <=, allowed);
    }

  /* Nearly every token was used: the limiter is not the slow part. */
  g_assert_cmpuint (sends->len, >=, (guint) (capacity + rate * duration / SEC) - n_workers);
}

static void
test_reservations_queue (void)
{
  g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new (2, 4, T0);

  /* Two in the bucket, then one every quarter second, each reservation
   * behind the one before, all asked at the same instant. */
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, T0), ==, 0);
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, T0), ==, 0);
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, T0), ==, SEC / 4);
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, T0), ==, SEC / 2);
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, T0), ==, 3 * SEC / 4);
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0), ==, -3);

  /* A reservation given back shortens the queue behind it. */
  cp_rate_limiter_refund (limiter, 1, T0);
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, T0), ==, 3 * SEC / 4);

  /* Time refills; the bucket never holds more than its capacity. */
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0 + SEC), ==, 1);
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0 + 3600 * SEC), ==, 2);
  cp_rate_limiter_refund (limiter, 5, T0 + 3600 * SEC);
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0 + 3600 * SEC), ==, 2);

  /* A clock reading older than the last one changes nothing. */
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 2, T0 + 3600 * SEC), ==, 0);
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0), ==, 0);
}

/* Seed 003: 60 requests a minute per store when the platform says nothing. */
static void
test_default_sixty_per_minute (void)
{
  g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new_default (T0);
  gint64 retry_after = 0;

  g_assert_cmpfloat (cp_rate_limiter_get_capacity (limiter), ==, 60);
  g_assert_cmpfloat (cp_rate_limiter_get_refill_rate (limiter), ==, 1);

  /* A server's view: 60 accepted, the 61st refused with the time until
   * the next one is back, and a refusal costs nothing. */
  for (guint i = 0; i < 60; i++)
    g_assert_true (cp_rate_limiter_try_take (limiter, 1, T0, NULL));
  g_assert_false (cp_rate_limiter_try_take (limiter, 1, T0, &retry_after));
  g_assert_cmpint (retry_after, ==, SEC);
  g_assert_false (cp_rate_limiter_try_take (limiter, 1, T0 + SEC / 2, &retry_after));
  g_assert_cmpint (retry_after, ==, SEC / 2);
  g_assert_true (cp_rate_limiter_try_take (limiter, 1, T0 + SEC, NULL));
  g_assert_false (cp_rate_limiter_try_take (limiter, 1, T0 + SEC, NULL));
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0 + SEC), ==, 0);

  /* More than the bucket holds: refused until it is full, then taken
   * (into debt), never refused forever. */
  g_assert_false (cp_rate_limiter_try_take (limiter, 100, T0 + 30 * SEC, &retry_after));
  g_assert_cmpint (retry_after, ==, 31 * SEC);
  g_assert_true (cp_rate_limiter_try_take (limiter, 100, T0 + 61 * SEC, NULL));
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0 + 61 * SEC), ==, -40);
}

/* A server-given wait: nothing goes before it ends, whatever the bucket
 * held, and an earlier deadline arriving later does not shorten it. */
static void
test_block_until (void)
{
  g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new (1000, 10, T0);
  gint64 retry_after = 0;
  gint64 now = T0 + 5 * SEC;

  g_assert_cmpint (cp_rate_limiter_get_blocked_until (limiter), ==, 0);
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, now), ==, 1000);

  cp_rate_limiter_block_until (limiter, now + 30 * SEC, now);
  g_assert_cmpint (cp_rate_limiter_get_blocked_until (limiter), ==, now + 30 * SEC);
  cp_rate_limiter_block_until (limiter, now + 10 * SEC, now);
  g_assert_cmpint (cp_rate_limiter_get_blocked_until (limiter), ==, now + 30 * SEC);

  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, now), ==, 30 * SEC);
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, now + 29 * SEC), ==, SEC);
  g_assert_false (cp_rate_limiter_try_take (limiter, 1, now + 20 * SEC, &retry_after));
  g_assert_cmpint (retry_after, ==, 10 * SEC);

  /* The block drained the estimate, so the end of the wait does not let a
   * full bucket loose at a server that just said "enough": what is there
   * is what refilled during the wait. */
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, now + 30 * SEC), ==, 300 - 2);
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, now + 30 * SEC), ==, 0);
}

/* Shopify-style budget: costs in points, corrected by throttleStatus. */
static void
test_budget_with_server_corrections (void)
{
  g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new (1000, 50, T0);

  for (guint i = 0; i < 10; i++)
    g_assert_cmpint (cp_rate_limiter_reserve (limiter, 100, T0), ==, 0);
  /* Empty: the next 100 points take two seconds at 50 points/s. */
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 100, T0), ==, 2 * SEC);

  /* The server answers: the query cost less than requested, and the plan
   * is bigger than we thought (2000 points, 100/s). Its count wins. */
  cp_rate_limiter_update_from_server (limiter, 500, 2000, 100, T0 + SEC);
  g_assert_cmpfloat (cp_rate_limiter_get_capacity (limiter), ==, 2000);
  g_assert_cmpfloat (cp_rate_limiter_get_refill_rate (limiter), ==, 100);
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0 + SEC), ==, 500);
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 600, T0 + SEC), ==, SEC);

  /* A correction downwards too, and nonsense is clamped. */
  cp_rate_limiter_update_from_server (limiter, 3000, 0, 0, T0 + 2 * SEC);
  g_assert_cmpfloat (cp_rate_limiter_get_capacity (limiter), ==, 2000);
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0 + 2 * SEC), ==, 2000);
  cp_rate_limiter_update_from_server (limiter, -5, 2000, 100, T0 + 2 * SEC);
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0 + 2 * SEC), ==, 0);

  /* Requested 300, used 120: the 180 come back. */
  cp_rate_limiter_update_from_server (limiter, 1000, 2000, 100, T0 + 3 * SEC);
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 300, T0 + 3 * SEC), ==, 0);
  cp_rate_limiter_refund (limiter, 180, T0 + 3 * SEC);
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0 + 3 * SEC), ==, 880);
}

/* A loopback of Shopify's leaky bucket in miniature: the "server" keeps
 * its own count and restore rate, which rises mid-run (50 → 100 → 1000
 * points/s, a plan upgrade). The client starts with a wrong guess and
 * learns only from throttleStatus. Steady state: no throttle at all, and
 * at least 90 % of the restore rate used in each phase. */
static void
test_budget_follows_plan_change (void)
{
  static const struct { double restore; gint64 until; } phases[] = {
    { 50, 120 * SEC }, { 100, 240 * SEC }, { 1000, 360 * SEC },
  };
  const double maximum = 1000;
  const double cost = 40;
  g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new (100, 10, T0);
  double server_available = maximum;
  gint64 server_last = T0;
  gint64 now = T0;
  guint throttled = 0;
  guint phase = 0;
  double spent_in_phase = 0;
  gint64 phase_start = T0;

  while (phase < G_N_ELEMENTS (phases))
    {
      gint64 wait = cp_rate_limiter_reserve (limiter, cost, now);
      double restore = phases[phase].restore;

      now += wait;
      if (now - T0 >= phases[phase].until)
        {
          /* Utilisation over the phase, after its first 10 s of learning. */
          double used = spent_in_phase / (restore * (now - phase_start) / SEC);

          g_test_message ("restore %.0f/s: %.1f %% used", restore, 100 * used);
          g_assert_cmpfloat (used, >=, 0.90);
          phase++;
          spent_in_phase = 0;
          phase_start = now + 10 * SEC;
          cp_rate_limiter_refund (limiter, cost, now);
          continue;
        }

      server_available = MIN (maximum, server_available + restore * (now - server_last) / SEC);
      server_last = now;
      if (server_available < cost)
        throttled++;
      else
        {
          server_available -= cost;
          if (now >= phase_start)
            spent_in_phase += cost;
        }
      cp_rate_limiter_update_from_server (limiter, server_available, maximum, restore, now);
    }

  g_assert_cmpuint (throttled, ==, 0);
}

/* An X-RateLimit-Remaining lower than our estimate wins; a higher one
 * does not raise it (a fixed window says nothing about our refill). */
static void
test_limit_available (void)
{
  g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new_default (T0);

  cp_rate_limiter_limit_available (limiter, 5, T0);
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0), ==, 5);
  cp_rate_limiter_limit_available (limiter, 50, T0);
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0), ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, T0), ==, 0);
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, T0), ==, SEC);
}

/* A server's fixed window: REMAINING until the reset, the limit afresh
 * then, nothing trickling in between; reservations queued past the
 * window's budget wait for the resets that pay them. */
static void
test_fixed_window (void)
{
  g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new_default (T0);
  gint64 retry_after = 0;

  /* 20 a window, 2 left, the window ends in 300 ms, length not known. */
  cp_rate_limiter_set_window (limiter, 20, 2, 300 * 1000, 0, T0);
  g_assert_cmpfloat (cp_rate_limiter_get_capacity (limiter), ==, 20);
  g_assert_cmpint (cp_rate_limiter_get_wait (limiter, 1, T0), ==, 0);
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, T0), ==, 0);
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, T0), ==, 0);
  /* Empty: no default pace refills it before the reset, and looking
   * takes nothing. */
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0 + 299 * 1000), ==, 0);
  g_assert_cmpint (cp_rate_limiter_get_wait (limiter, 1, T0 + 100 * 1000), ==, 200 * 1000);
  g_assert_cmpint (cp_rate_limiter_get_wait (limiter, 1, T0 + 100 * 1000), ==, 200 * 1000);
  g_assert_false (cp_rate_limiter_try_take (limiter, 1, T0 + 100 * 1000, &retry_after));
  g_assert_cmpint (retry_after, ==, 200 * 1000);
  /* Two queued; the reset pays them and leaves 18. */
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, T0), ==, 300 * 1000);
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, T0), ==, 300 * 1000);
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0 + 300 * 1000), ==, 18);
  /* After the only reset it knows of, it is a bucket at its rate again. */
  for (guint i = 0; i < 18; i++)
    g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, T0 + 300 * 1000), ==, 0);
  g_assert_cmpint (cp_rate_limiter_get_wait (limiter, 1, T0 + 300 * 1000), ==, SEC);

  /* A known window (the draft's w): every reset grants the limit afresh,
   * whatever was left, and a debt of 25 takes two resets to pay. */
  cp_rate_limiter_set_window (limiter, 10, 7, SEC, 2 * SEC, T0 + 10 * SEC);
  g_assert_cmpfloat (cp_rate_limiter_get_refill_rate (limiter), ==, 5);
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0 + 11 * SEC - 1), ==, 7);
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0 + 11 * SEC), ==, 10);
  g_assert_cmpint (cp_rate_limiter_reserve (limiter, 25, T0 + 11 * SEC), ==, 4 * SEC);
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0 + 13 * SEC), ==, -5);
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0 + 15 * SEC), ==, 5);
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, T0 + 3600 * SEC), ==, 10);

  /* A continuously restored budget (throttleStatus) ends the window. */
  cp_rate_limiter_update_from_server (limiter, 0, 100, 50, T0 + 3600 * SEC);
  g_assert_cmpint (cp_rate_limiter_get_wait (limiter, 1, T0 + 3600 * SEC), ==, SEC / 50);
}

/* A platform that publishes no limit (no X-RateLimit-*, no RateLimit):
 * the default of seed 003 stays, 60 a minute, and a 429 with Retry-After
 * only blocks for that long; it changes neither the limit nor the pace. */
static void
test_no_headers_keep_default (void)
{
  g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new_default (T0);
  g_autoptr(SoupMessageHeaders) empty = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(SoupMessageHeaders) retry = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  gint64 real = (gint64) 1700000000 * SEC;
  gint64 now = T0;
  CpHttpLimits limits;

  for (guint i = 0; i < 60; i++)
    {
      g_assert_cmpint (cp_rate_limiter_reserve (limiter, 1, now), ==, 0);
      cp_http_limits_parse (empty, real, &limits);
      g_assert_cmpint (cp_http_limits_apply (&limits, 200, limiter, now), ==, 0);
    }
  g_assert_cmpfloat (cp_rate_limiter_get_capacity (limiter), ==, CP_RATE_LIMITER_DEFAULT_PER_MINUTE);
  g_assert_cmpfloat (cp_rate_limiter_get_refill_rate (limiter), ==, 1);
  g_assert_cmpint (cp_rate_limiter_get_wait (limiter, 1, now), ==, SEC);

  now += 10 * SEC;
  soup_message_headers_append (retry, "Retry-After", "30");
  cp_http_limits_parse (retry, real, &limits);
  g_assert_cmpint (cp_http_limits_apply (&limits, 429, limiter, now), ==, 30 * SEC);
  g_assert_cmpint (cp_rate_limiter_get_wait (limiter, 1, now), ==, 30 * SEC);
  g_assert_cmpint (cp_rate_limiter_get_reset_margin (limiter), ==, 0);
  g_assert_cmpfloat (cp_rate_limiter_get_capacity (limiter), ==, CP_RATE_LIMITER_DEFAULT_PER_MINUTE);
  g_assert_cmpfloat (cp_rate_limiter_get_refill_rate (limiter), ==, 1);
  /* After the wait, one a second again: what refilled during it. */
  g_assert_cmpfloat (cp_rate_limiter_get_available (limiter, now + 30 * SEC), ==, 30);
}

/* A loopback of seed 001's fixed windows as the ecomv2 fake keeps them:
 * LIMIT requests per one-second window aligned on the server's clock,
 * X-RateLimit-* on every answer (Reset in whole Unix seconds), 429 with
 * Retry-After past the limit. The client is the engine and the connector
 * in miniature: it asks the limiter how long to wait, sleeps, takes its
 * token, and each request takes SERVICE µs. Whatever the limit (above or
 * below the default pace of one a second), every window but the first
 * must carry exactly LIMIT requests: fewer is a granted budget left
 * unused, more a 429. With the server's clock LAG µs behind the client's,
 * its windows end later than its Reset says: the client may draw a 429
 * while it learns that, never two in one window, and then none. */
typedef struct
{
  gint64 limit;
  gint64 service;   /* µs per request, the round trip and the engine's work */
  gint64 lag;       /* µs the server's clock is behind the client's */
  guint  max_429;   /* in the whole run */
} WindowCase;

static void
run_window_case (const WindowCase *c)
{
  const guint n_windows = 300;
  const gint64 mono0 = 7 * SEC;
  /* The client's wall clock starts 0.4 s into a second, as a sync would. */
  const gint64 real0 = (gint64) 1700000000 * SEC + 400 * 1000;
  g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new_default (mono0);
  g_autofree guint *granted = g_new0 (guint, n_windows + 2);
  g_autofree guint *refused = g_new0 (guint, n_windows + 2);
  gint64 mono = mono0;
  guint n_429 = 0;
  guint last_429 = 0;

  for (;;)
    {
      g_autoptr(SoupMessageHeaders) headers =
        soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
      gint64 server_now, window, wait;
      guint status = 200;
      CpHttpLimits limits;
      char text[32];

      /* The engine: wait until the limiter has a token, then the
       * connector takes it, waiting out what is left inline. */
      while ((wait = cp_rate_limiter_get_wait (limiter, 1, mono)) > 0)
        mono += wait;
      mono += cp_rate_limiter_reserve (limiter, 1, mono);

      /* The server sees the request half a service time later. */
      server_now = real0 + (mono - mono0) + c->service / 2 - c->lag;
      /* Window 0 is the server's second before the client's start. */
      window = server_now / SEC - (real0 / SEC - 1);
      if (window > n_windows)
        break;

      if (granted[window] >= c->limit)
        {
          status = 429;
          refused[window]++;
          n_429++;
          last_429 = window;
          g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT,
                      MAX (1, (server_now / SEC + 1) - server_now / SEC));
          soup_message_headers_append (headers, "Retry-After", text);
        }
      else
        granted[window]++;

      g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, c->limit);
      soup_message_headers_append (headers, "X-RateLimit-Limit", text);
      g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, c->limit - granted[window]);
      soup_message_headers_append (headers, "X-RateLimit-Remaining", text);
      g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, server_now / SEC + 1);
      soup_message_headers_append (headers, "X-RateLimit-Reset", text);

      /* The answer arrives after the whole service time. */
      mono += c->service;
      cp_http_limits_parse (headers, real0 + (mono - mono0), &limits);
      cp_http_limits_apply (&limits, status, limiter, mono);
    }

  g_test_message ("limit %" G_GINT64_FORMAT "/s, %" G_GINT64_FORMAT " µs a request, server "
                  "%" G_GINT64_FORMAT " ms behind: %u 429s, reset margin %" G_GINT64_FORMAT " ms",
                  c->limit, c->service, c->lag / 1000, n_429,
                  cp_rate_limiter_get_reset_margin (limiter) / 1000);
  g_assert_cmpuint (n_429, <=, c->max_429);
  for (guint w = 0; w < n_windows; w++)
    {
      g_assert_cmpuint (refused[w], <=, 1);
      /* The first (partial) windows are the sync's start. */
      if (w < 2)
        continue;
      /* A 429's Retry-After may cost the rest of its window and the
       * start of the next; after that, every window is used in full. */
      if (n_429 > 0 && w <= last_429 + 1)
        continue;
      if (granted[w] != c->limit)
        g_test_message ("window %u: %u granted of %" G_GINT64_FORMAT, w, granted[w], c->limit);
      g_assert_cmpuint (granted[w], ==, c->limit);
    }
}

static void
test_fixed_window_used_in_full (void)
{
  static const WindowCase cases[] = {
    { 20, 13 * 1000, 0, 0 },      /* the engine-limits benchmark's case */
    { 50, 7 * 1000, 0, 0 },
    { 1, 20 * 1000, 0, 0 },       /* below the default pace */
    { 100, 9 * 1000, 0, 0 },      /* 0.9 s of requests in a 1 s window */
    /* A lagging server: one 429 for each margin tried (100, 200, 400 ms...). */
    { 20, 13 * 1000, 300 * 1000, 3 },
    { 5, 10 * 1000, 900 * 1000, 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    run_window_case (&cases[i]);
}

/* Workers sharing one limiter: every reservation gets its own slot, none
 * lost or doubled by a race. */
#define N_THREADS 4
#define N_PER_THREAD 500

static gpointer
reserve_many (gpointer data)
{
  CpRateLimiter *limiter = data;
  gint64 *waits = g_new (gint64, N_PER_THREAD);

  for (guint i = 0; i < N_PER_THREAD; i++)
    waits[i] = cp_rate_limiter_reserve (limiter, 1, T0);
  return waits;
}

static void
test_threads_share (void)
{
  g_autoptr(CpRateLimiter) limiter = cp_rate_limiter_new (1, 1, T0);
  GThread *threads[N_THREADS];
  g_autofree gboolean *seen = g_new0 (gboolean, N_THREADS * N_PER_THREAD);

  for (guint t = 0; t < N_THREADS; t++)
    threads[t] = g_thread_new ("reserve", reserve_many, limiter);

  for (guint t = 0; t < N_THREADS; t++)
    {
      g_autofree gint64 *waits = g_thread_join (threads[t]);

      for (guint i = 0; i < N_PER_THREAD; i++)
        {
          gint64 slot = waits[i] / SEC;

          g_assert_cmpint (waits[i] % SEC, ==, 0);
          g_assert_cmpint (slot, <, N_THREADS * N_PER_THREAD);
          g_assert_false (seen[slot]);
          seen[slot] = TRUE;
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rate-limiter/steady-state-never-exceeds-rate",
                   test_steady_state_never_exceeds_rate);
  g_test_add_func ("/rate-limiter/reservations-queue", test_reservations_queue);
  g_test_add_func ("/rate-limiter/default-sixty-per-minute", test_default_sixty_per_minute);
  g_test_add_func ("/rate-limiter/block-until", test_block_until);
  g_test_add_func ("/rate-limiter/budget-with-server-corrections",
                   test_budget_with_server_corrections);
  g_test_add_func ("/rate-limiter/budget-follows-plan-change", test_budget_follows_plan_change);
  g_test_add_func ("/rate-limiter/limit-available", test_limit_available);
  g_test_add_func ("/rate-limiter/fixed-window", test_fixed_window);
  g_test_add_func ("/rate-limiter/no-headers-keep-default", test_no_headers_keep_default);
  g_test_add_func ("/rate-limiter/fixed-window-used-in-full", test_fixed_window_used_in_full);
  g_test_add_func ("/rate-limiter/threads-share", test_threads_share);

  return g_test_run ();
}
