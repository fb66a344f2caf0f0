/* cp-http-limits.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-http-limits"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cp-http-limits.h"

#define SEC ((gint64) G_USEC_PER_SEC)

/* libsoup 3.2 has no name for 429 (RFC 6585). */
#define STATUS_TOO_MANY_REQUESTS 429

/* Before 2001-09-09 (10^9 s): no reset time is that old, so such a small
 * X-RateLimit-Reset can only be seconds from now, which is what servers
 * that do not follow seed 001 send. Reading it as a date would put the
 * reset in 1970 and the wait at zero: a retry storm. */
#define OLDEST_RESET_UNIX ((gint64) 1000000000)

static gint64
clamp_wait (gint64 wait_us)
{
  return CLAMP (wait_us, 0, CP_HTTP_LIMITS_MAX_WAIT_US);
}

/* Optional whitespace around a field value (RFC 9110 §5.5) is not part of
 * it. Returns the value without it, in a buffer the caller frees. */
static char *
strip_ows (const char *value)
{
  return g_strstrip (g_strdup (value));
}

/* 1*DIGIT; huge values saturate (at G_MAXINT64 / 10) instead of
 * overflowing, and callers treat a saturated value as too large. */
static gboolean
parse_digits (const char  *text,
              const char **out_end,
              gint64      *out_value)
{
  gint64 value = 0;
  const char *p = text;

  if (!g_ascii_isdigit (*p))
    return FALSE;

  for (; g_ascii_isdigit (*p); p++)
    value = value > G_MAXINT64 / 100 ? G_MAXINT64 / 10 : value * 10 + (*p - '0');

  *out_end = p;
  *out_value = value;
  return TRUE;
}

static gboolean
parse_delay_seconds (const char *text,
                     gint64     *out_wait_us)
{
  const char *end;
  gint64 seconds;
  gint64 fraction_us = 0;

  if (!parse_digits (text, &end, &seconds))
    return FALSE;

  if (*end == '.')
    {
      gint64 scale = SEC / 10;
      gboolean rest = FALSE;

      end++;
      if (!g_ascii_isdigit (*end))
        return FALSE;
      for (; g_ascii_isdigit (*end); end++)
        {
          if (scale > 0)
            fraction_us += (*end - '0') * scale;
          else if (*end != '0')
            rest = TRUE;
          scale /= 10;
        }
      /* Round up: retrying a microsecond late costs nothing, early a 429. */
      fraction_us += rest;
    }

  if (*end != '\0')
    return FALSE;

  if (seconds >= CP_HTTP_LIMITS_MAX_WAIT_US / SEC)
    *out_wait_us = CP_HTTP_LIMITS_MAX_WAIT_US;
  else
    *out_wait_us = clamp_wait (seconds * SEC + fraction_us);
  return TRUE;
}

gboolean
cp_http_parse_retry_after (const char *value,
                           gint64      now_real_us,
                           gint64     *out_wait_us)
{
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) date = NULL;
  gint64 date_us;

  g_return_val_if_fail (out_wait_us != NULL, FALSE);

  if (value == NULL)
    return FALSE;

  text = strip_ows (value);

  /* Every HTTP-date form starts with a day name, so a leading digit means
   * delay-seconds, and then it must be nothing else: "5s" or "1e3" is not
   * handed to the date parser to be guessed at. */
  if (g_ascii_isdigit (text[0]))
    return parse_delay_seconds (text, out_wait_us);

  if (!g_ascii_isalpha (text[0]))
    return FALSE;

  date = soup_date_time_new_from_http_string (text);
  if (date == NULL)
    return FALSE;

  date_us = g_date_time_to_unix (date) * SEC + g_date_time_get_microsecond (date);
  *out_wait_us = clamp_wait (date_us - now_real_us);
  return TRUE;
}

/* A non-negative integer, optionally followed by parameters the older
 * RateLimit drafts allowed ("100, 100;w=60"): the first number is the one
 * seed 001 means. */
static gboolean
parse_count (const char *value,
             gint64     *out_value)
{
  g_autofree char *text = NULL;
  const char *end;
  gint64 count;

  if (value == NULL)
    return FALSE;

  text = strip_ows (value);
  if (!parse_digits (text, &end, &count))
    return FALSE;
  if (*end != '\0' && *end != ',' && *end != ';' && *end != ' ')
    return FALSE;
  if (count >= G_MAXINT64 / 10)
    return FALSE;  /* saturated: no real counter is that large */

  *out_value = count;
  return TRUE;
}

/* The IETF draft's fields are Structured Field lists (RFC 9651): each
 * member names a policy (a string or a token) and carries parameters,
 * "default";q=100;w=60. Only integer parameters matter here; anything
 * else (decimals, strings, negative numbers) is skipped, not guessed at. */
#define SF_MAX_PARAMS  8
#define SF_MAX_MEMBERS 32

typedef struct
{
  char   name[64];
  char   keys[SF_MAX_PARAMS][8];
  gint64 values[SF_MAX_PARAMS];
  guint  n_params;
} SfMember;

static const char *
sf_skip_spaces (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/* A string or a token, copied (truncated) into OUT. */
static const char *
sf_parse_bare (const char *p,
               char       *out,
               gsize       out_size)
{
  gsize n = 0;

  if (*p == '"')
    {
      for (p++; *p != '\0' && *p != '"'; p++)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          if (n + 1 < out_size)
            out[n++] = *p;
        }
      if (*p == '"')
        p++;
    }
  else
    {
      for (; *p != '\0' && *p != ';' && *p != ',' && *p != ' ' && *p != '\t'; p++)
        if (n + 1 < out_size)
          out[n++] = *p;
    }

  out[n] = '\0';
  return p;
}

static const char *
sf_parse_key (const char *p,
              char       *out,
              gsize       out_size)
{
  gsize n = 0;

  for (; g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_' || *p == '-' || *p == '.'
         || *p == '*'; p++)
    if (n + 1 < out_size)
      out[n++] = *p;

  out[n] = '\0';
  return p;
}

/* Parses the member at P into MEMBER; returns where the next one starts
 * (past its comma) or the end of the field. Always moves past P unless P
 * is already at the end. */
static const char *
sf_parse_member (const char *p,
                 SfMember   *member)
{
  memset (member, 0, sizeof *member);

  p = sf_parse_bare (sf_skip_spaces (p), member->name, sizeof member->name);

  for (;;)
    {
      char key[8];
      char skipped[32];
      const char *end;
      gint64 number;

      p = sf_skip_spaces (p);
      if (*p != ';')
        break;
      p = sf_parse_key (sf_skip_spaces (p + 1), key, sizeof key);
      if (*p != '=')
        continue;  /* a boolean parameter */
      p++;

      if (parse_digits (p, &end, &number) && *end != '.' && number < G_MAXINT64 / 10)
        {
          if (member->n_params < SF_MAX_PARAMS)
            {
              g_strlcpy (member->keys[member->n_params], key, sizeof member->keys[0]);
              member->values[member->n_params] = number;
              member->n_params++;
            }
          p = end;
        }
      else
        p = sf_parse_bare (p, skipped, sizeof skipped);
    }

  while (*p != '\0' && *p != ',')
    p++;
  return *p == ',' ? p + 1 : p;
}

static gboolean
sf_member_get (const SfMember *member,
               const char     *key,
               gint64         *out_value)
{
  for (guint i = 0; i < member->n_params; i++)
    if (strcmp (member->keys[i], key) == 0)
      {
        *out_value = member->values[i];
        return TRUE;
      }
  return FALSE;
}

static void
set_reset_in_seconds (CpHttpLimits *limits,
                      gint64        seconds,
                      gint64        now_real_us)
{
  if (seconds > G_MAXINT64 / SEC - 1)
    return;
  limits->has_reset = TRUE;
  limits->reset_in_us = clamp_wait (seconds * SEC);
  limits->reset_unix = now_real_us / SEC + MIN (seconds, CP_HTTP_LIMITS_MAX_WAIT_US / SEC);
}

/* draft-08 and later: of several policies, the one with the fewest
 * requests left binds; its quota and window come from the policy of the
 * same name. */
static void
parse_draft_fields (const char   *ratelimit,
                    const char   *policy,
                    gint64        now_real_us,
                    CpHttpLimits *limits)
{
  SfMember member;
  SfMember binding;
  gboolean found = FALSE;
  gint64 value;
  guint n;

  n = 0;
  for (const char *p = ratelimit; *p != '\0' && n < SF_MAX_MEMBERS; n++)
    {
      p = sf_parse_member (p, &member);
      if (sf_member_get (&member, "r", &value) && (!found || value < limits->remaining))
        {
          binding = member;
          found = TRUE;
          limits->has_remaining = TRUE;
          limits->remaining = value;
        }
    }

  if (!found)
    return;

  if (sf_member_get (&binding, "t", &value))
    set_reset_in_seconds (limits, value, now_real_us);

  n = 0;
  for (const char *p = policy != NULL ? policy : ""; *p != '\0' && n < SF_MAX_MEMBERS; n++)
    {
      p = sf_parse_member (p, &member);
      if (strcmp (member.name, binding.name) != 0)
        continue;
      limits->has_limit = sf_member_get (&member, "q", &limits->limit);
      limits->has_window = sf_member_get (&member, "w", &limits->window_s)
                           && limits->window_s > 0;
      break;
    }
}

void
cp_http_limits_parse (SoupMessageHeaders *headers,
                      gint64              now_real_us,
                      CpHttpLimits       *limits)
{
  gint64 reset;

  g_return_if_fail (headers != NULL);
  g_return_if_fail (limits != NULL);

  *limits = (CpHttpLimits) { 0 };

  limits->has_retry_after =
    cp_http_parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"),
                               now_real_us, &limits->retry_after_us);
  limits->has_limit =
    parse_count (soup_message_headers_get_one (headers, "X-RateLimit-Limit"), &limits->limit);
  limits->has_remaining =
    parse_count (soup_message_headers_get_one (headers, "X-RateLimit-Remaining"),
                 &limits->remaining);

  if (parse_count (soup_message_headers_get_one (headers, "X-RateLimit-Reset"), &reset)
      && reset <= G_MAXINT64 / SEC - 1)
    {
      limits->has_reset = TRUE;
      if (reset >= OLDEST_RESET_UNIX)
        {
          limits->reset_unix = reset;
          limits->reset_in_us = clamp_wait (reset * SEC - now_real_us);
          /* Kept apart: by how much a server's window end is late is what
           * its clock lags ours by, at least. */
          limits->reset_overdue_us = clamp_wait (now_real_us - reset * SEC);
        }
      else
        {
          limits->reset_in_us = clamp_wait (reset * SEC);
          limits->reset_unix = now_real_us / SEC + reset;
        }
    }

  if (limits->has_limit || limits->has_remaining || limits->has_reset)
    return;

  /* No X-RateLimit-*: the IETF draft's fields, newest form first. */
  {
    const char *ratelimit = soup_message_headers_get_list (headers, "RateLimit");
    const char *policy = soup_message_headers_get_list (headers, "RateLimit-Policy");

    if (ratelimit != NULL)
      {
        parse_draft_fields (ratelimit, policy, now_real_us, limits);
        return;
      }
  }

  /* Before draft-08: the triple without the X-, Reset in seconds. */
  limits->has_limit =
    parse_count (soup_message_headers_get_one (headers, "RateLimit-Limit"), &limits->limit);
  limits->has_remaining =
    parse_count (soup_message_headers_get_one (headers, "RateLimit-Remaining"),
                 &limits->remaining);
  if (parse_count (soup_message_headers_get_one (headers, "RateLimit-Reset"), &reset))
    set_reset_in_seconds (limits, reset, now_real_us);
}

gint64
cp_http_limits_apply (const CpHttpLimits *limits,
                      guint               status,
                      CpRateLimiter      *limiter,
                      gint64              now_us)
{
  gint64 wait = 0;

  g_return_val_if_fail (limits != NULL, 0);
  g_return_val_if_fail (CP_IS_RATE_LIMITER (limiter), 0);

  if (limits->has_limit && limits->has_remaining && limits->has_reset)
    {
      /* The whole state of the server's window (seed 001): Remaining now,
       * the Limit afresh at Reset. Read as a bucket refilling at our
       * default pace, it wasted what each window grants beyond that pace
       * (a 20-a-second plan ran at 15) and, below it, sent ahead of the
       * reset into a 429. */
      cp_rate_limiter_set_window (limiter, (double) limits->limit, (double) limits->remaining,
                                  limits->reset_in_us - limits->reset_overdue_us,
                                  limits->has_window
                                  ? MIN (limits->window_s, G_MAXINT64 / SEC / 4) * SEC : 0,
                                  now_us);

      /* Refused although its window had ended by our clock: the server's
       * windows end later than its Reset says. */
      if (status == STATUS_TOO_MANY_REQUESTS && limits->reset_in_us == 0)
        cp_rate_limiter_note_late_reset (limiter);
    }
  else if (limits->has_remaining)
    {
      /* Without the window, Remaining is only an upper bound. */
      cp_rate_limiter_limit_available (limiter, (double) limits->remaining, now_us);
    }

  if (limits->has_remaining && limits->remaining == 0 && limits->has_reset)
    wait = limits->reset_in_us;

  /* Retry-After on a success means nothing to us (RFC 9110 gives it to
   * 3xx as a redirect delay); on 429 and 503 it is the wait. */
  if ((status == STATUS_TOO_MANY_REQUESTS || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
      && limits->has_retry_after)
    wait = MAX (wait, limits->retry_after_us);
  else if (status == STATUS_TOO_MANY_REQUESTS && limits->has_reset)
    wait = MAX (wait, limits->reset_in_us);

  if (wait > 0)
    cp_rate_limiter_block_until (limiter, now_us + wait, now_us);
  return wait;
}

static void
set_count (SoupMessageHeaders *headers,
           const char         *name,
           gint64              value)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  soup_message_headers_replace (headers, name, text);
}

void
cp_http_limits_write (SoupMessageHeaders *headers,
                      CpRateLimiter      *limiter,
                      gint64              retry_after_us,
                      gint64              now_us,
                      gint64              now_real_us)
{
  double capacity;
  double available;
  double rate;
  gint64 full_at_us;

  g_return_if_fail (headers != NULL);
  g_return_if_fail (CP_IS_RATE_LIMITER (limiter));

  capacity = cp_rate_limiter_get_capacity (limiter);
  available = cp_rate_limiter_get_available (limiter, now_us);
  rate = cp_rate_limiter_get_refill_rate (limiter);

  /* Rounded so a client that trusts them is never early: Remaining down,
   * Reset and Retry-After up. */
  full_at_us = now_real_us + (gint64) ceil ((capacity - MAX (available, 0)) / rate * SEC);
  set_count (headers, "X-RateLimit-Limit", (gint64) floor (capacity));
  set_count (headers, "X-RateLimit-Remaining", (gint64) floor (MAX (available, 0)));
  set_count (headers, "X-RateLimit-Reset", (full_at_us + SEC - 1) / SEC);

  if (retry_after_us > 0)
    set_count (headers, "Retry-After", (retry_after_us + SEC - 1) / SEC);
  else
    soup_message_headers_remove (headers, "Retry-After");
}
