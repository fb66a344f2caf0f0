/* cp-rate-limiter.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tokens are kept as whole micro-tokens (gint64), not doubles: a refill
 * computed from elapsed microseconds is then exact, rounding only ever
 * loses a fraction of a micro-token (so it never lets one request too
 * many through), and "wait until the bucket holds N" is an integer
 * division rounded up.
 */

#define G_LOG_DOMAIN "cp-rate-limiter"

#include "config.h"

#include <math.h>

#include "cp-rate-limiter.h"

#define MICRO ((gint64) 1000000)   /* micro-tokens per token */
#define SEC   ((gint64) G_USEC_PER_SEC)
#define MAX_CAPACITY 1e9           /* tokens; keeps every product below in range */
#define MAX_RATE     1e6           /* tokens per second */

/* A server whose Reset came before its window did (its clock behind ours,
 * or a Reset rounded down): each such 429 doubles the margin added to
 * later resets, from 100 ms up to a second, the resolution of Reset. */
#define MIN_RESET_MARGIN_US (100 * 1000)
#define MAX_RESET_MARGIN_US SEC

struct _CpRateLimiter
{
  GObject parent_instance;

  GMutex  mutex;
  gint64  capacity;        /* micro-tokens */
  gint64  rate;            /* micro-tokens per second */
  gint64  tokens;          /* micro-tokens; negative while reservations wait */
  gint64  last_us;         /* when TOKENS was last brought up to date */
  gint64  blocked_until_us;

  /* A server's fixed window (seed 001's X-RateLimit-*): nothing comes back
   * before WINDOW_RESET_US, then WINDOW_LIMIT at once. 0 when not known:
   * the bucket then refills continuously at RATE. */
  gint64  window_reset_us;
  gint64  window_limit;    /* micro-tokens */
  gint64  window_us;       /* the window's length; 0 when not known */
  gint64  reset_margin_us; /* added to every reset: how far the server's
                            * clock was seen to lag ours */
};

G_DEFINE_FINAL_TYPE (CpRateLimiter, cp_rate_limiter, G_TYPE_OBJECT)

static void
cp_rate_limiter_finalize (GObject *object)
{
  CpRateLimiter *self = (CpRateLimiter *) object;

  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cp_rate_limiter_parent_class)->finalize (object);
}

static void
cp_rate_limiter_class_init (CpRateLimiterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cp_rate_limiter_finalize;
}

static void
cp_rate_limiter_init (CpRateLimiter *self)
{
  g_mutex_init (&self->mutex);
}

static gint64
to_micro (double tokens)
{
  return (gint64) llround (tokens * MICRO);
}

/* Microseconds until RATE refills MISSING micro-tokens, rounded up so a
 * caller woken at that time finds them there. Split so MISSING × SEC
 * cannot overflow. */
static gint64
time_to_refill (gint64 missing,
                gint64 rate)
{
  gint64 whole_seconds;
  gint64 rest;

  if (missing <= 0)
    return 0;

  whole_seconds = missing / rate;
  rest = missing % rate;
  if (whole_seconds > G_MAXINT64 / SEC - 1)
    return G_MAXINT64 / 2;
  return whole_seconds * SEC + (rest * SEC + rate - 1) / rate;
}

/* The tokens after the window that ends at window_reset_us and the N - 1
 * after it have reset: each reset grants the limit afresh (it does not add
 * to what was left), and pays off reservations queued beyond it first.
 * After N resets that is MIN (debt + N × limit, limit). */
static gint64
tokens_after_resets (CpRateLimiter *self,
                     gint64         n)
{
  gint64 debt = MIN (self->tokens, 0);
  gint64 granted = n > -debt / self->window_limit + 1 ? -debt + self->window_limit
                                                      : n * self->window_limit;

  return MIN (MIN (debt + granted, self->window_limit), self->capacity);
}

static void
refill (CpRateLimiter *self,
        gint64         now_us)
{
  gint64 elapsed;

  /* A caller's "now" older than the last one (another thread read the
   * clock a moment earlier) adds nothing and takes nothing. */
  if (now_us <= self->last_us)
    return;

  if (self->window_reset_us > 0)
    {
      gint64 reset = self->window_reset_us;
      gint64 n;

      /* A fixed window gives nothing back before it ends. */
      if (now_us < reset)
        {
          self->last_us = now_us;
          return;
        }

      if (self->window_us > 0)
        {
          /* The windows that follow are as long: the budget stays in
           * step with the server's even without a response to say so. */
          n = 1 + (now_us - reset) / self->window_us;
          self->tokens = tokens_after_resets (self, n);
          self->window_reset_us = reset + n * self->window_us;
          self->last_us = now_us;
          return;
        }

      /* Only this reset is known: the bucket is full then, and refills as
       * a bucket after it until the server says more. */
      self->tokens = tokens_after_resets (self, 1);
      self->window_reset_us = 0;
      self->last_us = reset;
      if (now_us == reset)
        return;
    }

  elapsed = now_us - self->last_us;
  self->last_us = now_us;

  if (self->tokens >= self->capacity)
    return;

  if (elapsed >= time_to_refill (self->capacity - self->tokens, self->rate))
    self->tokens = self->capacity;
  else
    self->tokens += (elapsed / SEC) * self->rate + (elapsed % SEC) * self->rate / SEC;
}

/* Microseconds from NOW_US (refill () done) until the bucket holds NEEDED
 * micro-tokens, NEEDED ≤ the capacity. */
static gint64
time_until (CpRateLimiter *self,
            gint64         needed,
            gint64         now_us)
{
  gint64 tokens = self->tokens;
  gint64 wait;
  gint64 n;

  if (tokens >= needed)
    return 0;
  if (self->window_reset_us <= 0)
    return time_to_refill (needed - tokens, self->rate);

  wait = self->window_reset_us - now_us;
  if (self->window_us > 0)
    {
      /* Resets until the debt is paid and NEEDED is there; the last
       * grants at most the limit, so NEEDED above it waits for a full
       * bucket, as a bucket would. */
      needed = MIN (needed, self->window_limit);
      n = (needed - MIN (tokens, 0) + self->window_limit - 1) / self->window_limit;
      if (n > G_MAXINT64 / 2 / self->window_us)
        return G_MAXINT64 / 2;
      return wait + (MAX (n, 1) - 1) * self->window_us;
    }

  tokens = tokens_after_resets (self, 1);
  return wait + time_to_refill (needed - tokens, self->rate);
}

static gint64
blocked_for (CpRateLimiter *self,
             gint64         now_us)
{
  return self->blocked_until_us > now_us ? self->blocked_until_us - now_us : 0;
}

CpRateLimiter *
cp_rate_limiter_new (double capacity,
                     double refill_rate,
                     gint64 now_us)
{
  CpRateLimiter *self;

  g_return_val_if_fail (capacity > 0 && capacity <= MAX_CAPACITY, NULL);
  g_return_val_if_fail (refill_rate > 0 && refill_rate <= MAX_RATE, NULL);

  self = g_object_new (CP_TYPE_RATE_LIMITER, NULL);
  self->capacity = MAX (to_micro (capacity), 1);
  self->rate = MAX (to_micro (refill_rate), 1);
  self->tokens = self->capacity;
  self->last_us = now_us;
  return self;
}

CpRateLimiter *
cp_rate_limiter_new_default (gint64 now_us)
{
  return cp_rate_limiter_new (CP_RATE_LIMITER_DEFAULT_PER_MINUTE,
                              CP_RATE_LIMITER_DEFAULT_PER_MINUTE / 60.0, now_us);
}

gint64
cp_rate_limiter_reserve (CpRateLimiter *self,
                         double         cost,
                         gint64         now_us)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 wait;

  g_return_val_if_fail (CP_IS_RATE_LIMITER (self), 0);
  g_return_val_if_fail (cost >= 0 && cost <= MAX_CAPACITY, 0);

  locker = g_mutex_locker_new (&self->mutex);
  refill (self, now_us);

  /* Debt is bounded so the arithmetic stays in range even if a caller
   * queues an absurd amount; at the maximum rate that is still weeks. */
  self->tokens = MAX (self->tokens - to_micro (cost), -(gint64) (MAX_CAPACITY * MICRO));
  wait = time_until (self, 0, now_us);

  return MAX (wait, blocked_for (self, now_us));
}

gboolean
cp_rate_limiter_try_take (CpRateLimiter *self,
                          double         cost,
                          gint64         now_us,
                          gint64        *out_retry_after_us)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 cost_u;
  gint64 wait;

  g_return_val_if_fail (CP_IS_RATE_LIMITER (self), FALSE);
  g_return_val_if_fail (cost >= 0 && cost <= MAX_CAPACITY, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  refill (self, now_us);

  /* A cost above the capacity would never fit: it goes when the bucket
   * is full, leaving it in debt, as cp_rate_limiter_reserve () does. */
  cost_u = to_micro (cost);
  wait = MAX (time_until (self, MIN (cost_u, self->capacity), now_us),
              blocked_for (self, now_us));
  if (wait == 0)
    {
      self->tokens -= cost_u;
      return TRUE;
    }

  if (out_retry_after_us != NULL)
    *out_retry_after_us = wait;
  return FALSE;
}

void
cp_rate_limiter_refund (CpRateLimiter *self,
                        double         cost,
                        gint64         now_us)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (CP_IS_RATE_LIMITER (self));
  g_return_if_fail (cost >= 0 && cost <= MAX_CAPACITY);

  locker = g_mutex_locker_new (&self->mutex);
  refill (self, now_us);
  self->tokens = MIN (self->tokens + to_micro (cost), self->capacity);
}

void
cp_rate_limiter_block_until (CpRateLimiter *self,
                             gint64         until_us,
                             gint64         now_us)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (CP_IS_RATE_LIMITER (self));

  locker = g_mutex_locker_new (&self->mutex);
  refill (self, now_us);
  self->tokens = MIN (self->tokens, 0);
  /* Two answers arriving out of order must not shorten a wait. */
  self->blocked_until_us = MAX (self->blocked_until_us, until_us);
}

gint64
cp_rate_limiter_get_blocked_until (CpRateLimiter *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CP_IS_RATE_LIMITER (self), 0);

  locker = g_mutex_locker_new (&self->mutex);
  return self->blocked_until_us;
}

void
cp_rate_limiter_update_from_server (CpRateLimiter *self,
                                    double         available,
                                    double         maximum,
                                    double         restore_rate,
                                    gint64         now_us)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (CP_IS_RATE_LIMITER (self));

  locker = g_mutex_locker_new (&self->mutex);
  refill (self, now_us);

  if (maximum > 0)
    self->capacity = MAX (to_micro (MIN (maximum, MAX_CAPACITY)), 1);
  if (restore_rate > 0)
    self->rate = MAX (to_micro (MIN (restore_rate, MAX_RATE)), 1);

  self->tokens = CLAMP (to_micro (CLAMP (available, 0, MAX_CAPACITY)), 0, self->capacity);
  self->last_us = MAX (self->last_us, now_us);
  /* A budget restored continuously has no window. */
  self->window_reset_us = 0;
}

void
cp_rate_limiter_set_window (CpRateLimiter *self,
                            double         limit,
                            double         remaining,
                            gint64         reset_in_us,
                            gint64         window_us,
                            gint64         now_us)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 limit_u;

  g_return_if_fail (CP_IS_RATE_LIMITER (self));

  locker = g_mutex_locker_new (&self->mutex);
  refill (self, now_us);

  limit_u = to_micro (CLAMP (limit, 0, MAX_CAPACITY));
  remaining = CLAMP (remaining, 0, MAX_CAPACITY);
  self->capacity = MAX (MAX (limit_u, to_micro (remaining)), 1);
  self->tokens = MIN (to_micro (remaining), self->capacity);
  self->last_us = MAX (self->last_us, now_us);

  /* A limit of 0 grants nothing at the reset; the bucket then refills as
   * before, so a server that sends nonsense cannot park us forever. */
  if (limit_u <= 0)
    {
      self->window_reset_us = 0;
      return;
    }

  self->window_limit = limit_u;
  self->window_us = MAX (window_us, 0);
  /* Never 0: that means "no window" (and a clock at 0 is only a test's). */
  reset_in_us = CLAMP (reset_in_us, -G_MAXINT64 / 4, G_MAXINT64 / 4) + self->reset_margin_us;
  self->window_reset_us = MAX (now_us + MAX (reset_in_us, 0), 1);
  if (self->window_us > 0)
    self->rate = MAX ((gint64) MIN ((double) limit_u / self->window_us * SEC,
                                    MAX_RATE * MICRO), 1);
}

void
cp_rate_limiter_note_late_reset (CpRateLimiter *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (CP_IS_RATE_LIMITER (self));

  locker = g_mutex_locker_new (&self->mutex);
  self->reset_margin_us = CLAMP (2 * self->reset_margin_us, MIN_RESET_MARGIN_US,
                                 MAX_RESET_MARGIN_US);
}

gint64
cp_rate_limiter_get_reset_margin (CpRateLimiter *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CP_IS_RATE_LIMITER (self), 0);

  locker = g_mutex_locker_new (&self->mutex);
  return self->reset_margin_us;
}

gint64
cp_rate_limiter_get_wait (CpRateLimiter *self,
                          double         cost,
                          gint64         now_us)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CP_IS_RATE_LIMITER (self), 0);
  g_return_val_if_fail (cost >= 0 && cost <= MAX_CAPACITY, 0);

  locker = g_mutex_locker_new (&self->mutex);
  refill (self, now_us);
  return MAX (time_until (self, MIN (to_micro (cost), self->capacity), now_us),
              blocked_for (self, now_us));
}

void
cp_rate_limiter_limit_available (CpRateLimiter *self,
                                 double         remaining,
                                 gint64         now_us)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (CP_IS_RATE_LIMITER (self));

  locker = g_mutex_locker_new (&self->mutex);
  refill (self, now_us);
  self->tokens = MIN (self->tokens, to_micro (CLAMP (remaining, 0, MAX_CAPACITY)));
}

double
cp_rate_limiter_get_available (CpRateLimiter *self,
                               gint64         now_us)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CP_IS_RATE_LIMITER (self), 0);

  locker = g_mutex_locker_new (&self->mutex);
  refill (self, now_us);
  return (double) self->tokens / MICRO;
}

double
cp_rate_limiter_get_capacity (CpRateLimiter *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CP_IS_RATE_LIMITER (self), 0);

  locker = g_mutex_locker_new (&self->mutex);
  return (double) self->capacity / MICRO;
}

double
cp_rate_limiter_get_refill_rate (CpRateLimiter *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CP_IS_RATE_LIMITER (self), 0);

  locker = g_mutex_locker_new (&self->mutex);
  return (double) self->rate / MICRO;
}
