/* cp-sandbox-json.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-sandbox"

#include "config.h"

#include <string.h>

#include "cp-sandbox-json.h"

void
cp_sandbox_json_init (CpSandboxJson *w,
                      GString       *out)
{
  w->out = out;
  w->depth = 0;
  w->after_member = FALSE;
  w->has_items = 0;
}

/* g_string_append_len() and _c() are calls in GLib 2.74 (inline from
 * 2.76): on a page of 200 orders they were a tenth of the fake's time. */
static inline void
append_len (GString    *out,
            const char *data,
            gsize       len)
{
  if (G_LIKELY (out->len + len < out->allocated_len))
    {
      memcpy (out->str + out->len, data, len);
      out->len += len;
      out->str[out->len] = '\0';
    }
  else
    g_string_append_len (out, data, len);
}

static inline void
append_c (GString *out,
          char     c)
{
  if (G_LIKELY (out->len + 1 < out->allocated_len))
    {
      out->str[out->len++] = c;
      out->str[out->len] = '\0';
    }
  else
    g_string_append_c (out, c);
}

/* The comma before a value or member, unless it is the first of its
 * container or the value of the member just written. */
static inline void
separate (CpSandboxJson *w)
{
  guint64 bit = G_GUINT64_CONSTANT (1) << w->depth;

  if (w->after_member)
    {
      w->after_member = FALSE;
      return;
    }
  if (w->has_items & bit)
    append_c (w->out, ',');
  w->has_items |= bit;
}

static void
open_container (CpSandboxJson *w,
                char           c)
{
  separate (w);
  append_c (w->out, c);
  g_return_if_fail (w->depth < 63);
  w->depth++;
  w->has_items &= ~(G_GUINT64_CONSTANT (1) << w->depth);
}

static void
close_container (CpSandboxJson *w,
                 char           c)
{
  g_return_if_fail (w->depth > 0 && !w->after_member);
  w->depth--;
  append_c (w->out, c);
}

void
cp_sandbox_json_begin_object (CpSandboxJson *w)
{
  open_container (w, '{');
}

void
cp_sandbox_json_end_object (CpSandboxJson *w)
{
  close_container (w, '}');
}

void
cp_sandbox_json_begin_array (CpSandboxJson *w)
{
  open_container (w, '[');
}

void
cp_sandbox_json_end_array (CpSandboxJson *w)
{
  close_container (w, ']');
}

void
cp_sandbox_json_member (CpSandboxJson *w,
                        const char    *name)
{
  separate (w);
  cp_sandbox_json_append_string (w->out, name);
  append_c (w->out, ':');
  w->after_member = TRUE;
}

/* Whether json-glib's generator escapes byte C. It names \b \t \n \f \r,
 * writes the other bytes below 0x1f and DEL as \u00XX, and leaves 0x1f and
 * everything from 0x80 (UTF-8) as they are: an odd set, but the wire
 * format is what the fakes served before this writer. */
static inline gboolean
needs_escape (guchar c)
{
  return c < 0x1f || c == '"' || c == '\\' || c == 0x7f;
}

void
cp_sandbox_json_append_string (GString    *out,
                               const char *value)
{
  static const char hex[] = "0123456789abcdef";
  const guchar *p = (const guchar *) value;
  const guchar *run;

  if (value == NULL)
    {
      append_len (out, "null", 4);
      return;
    }

  append_c (out, '"');
  for (;;)
    {
      run = p;
      while (*p != '\0' && !needs_escape (*p))
        p++;
      if (p > run)
        append_len (out, (const char *) run, p - run);
      if (*p == '\0')
        break;
      switch (*p)
        {
        case '"':
          append_len (out, "\\\"", 2);
          break;
        case '\\':
          append_len (out, "\\\\", 2);
          break;
        case '\b':
          append_len (out, "\\b", 2);
          break;
        case '\t':
          append_len (out, "\\t", 2);
          break;
        case '\n':
          append_len (out, "\\n", 2);
          break;
        case '\f':
          append_len (out, "\\f", 2);
          break;
        case '\r':
          append_len (out, "\\r", 2);
          break;
        default:
          {
            char u[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 0xf] };

            append_len (out, u, sizeof u);
          }
        }
      p++;
    }
  append_c (out, '"');
}

void
cp_sandbox_json_string (CpSandboxJson *w,
                        const char    *value)
{
  separate (w);
  cp_sandbox_json_append_string (w->out, value);
}

static void
append_int (GString *out,
            gint64   value)
{
  char buf[24];
  char *end = buf + sizeof buf;
  char *p = end;
  /* in unsigned arithmetic, so that G_MININT64 has a magnitude */
  guint64 magnitude = value < 0 ? -(guint64) value : (guint64) value;

  do
    {
      *--p = '0' + magnitude % 10;
      magnitude /= 10;
    }
  while (magnitude != 0);
  if (value < 0)
    *--p = '-';
  append_len (out, p, end - p);
}

void
cp_sandbox_json_int (CpSandboxJson *w,
                     gint64         value)
{
  separate (w);
  append_int (w->out, value);
}

void
cp_sandbox_json_boolean (CpSandboxJson *w,
                         gboolean       value)
{
  separate (w);
  if (value)
    append_len (w->out, "true", 4);
  else
    append_len (w->out, "false", 5);
}

void
cp_sandbox_json_null (CpSandboxJson *w)
{
  separate (w);
  append_len (w->out, "null", 4);
}

static inline void
put_digits (char  *at,
            guint  value,
            guint  n_digits)
{
  for (guint i = n_digits; i > 0; i--)
    {
      at[i - 1] = '0' + value % 10;
      value /= 10;
    }
}

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z in Unix seconds:
 * GDateTime's range. */
#define MIN_UNIX_S G_GINT64_CONSTANT (-62135596800)
#define MAX_UNIX_S G_GINT64_CONSTANT (253402300799)

void
cp_sandbox_json_time (CpSandboxJson *w,
                      gint64         unix_us)
{
  /* Floor division: a time before 1970 is the second before, plus µs. */
  gint64 seconds = unix_us / G_USEC_PER_SEC - (unix_us % G_USEC_PER_SEC < 0 ? 1 : 0);
  guint usec = (guint) (unix_us - seconds * G_USEC_PER_SEC);
  gint64 days, z, era, second_of_day;
  guint doe, yoe, doy, mp, day, month;
  gint64 year;
  char text[28] = "0000-00-00T00:00:00";   /* the longest: + ".000000Z" */
  guint len = 19;

  separate (w);
  if (seconds < MIN_UNIX_S || seconds > MAX_UNIX_S)
    {
      /* Out of GDateTime's range: what the JsonBuilder shapes wrote, a
       * null from a NULL string. No store holds such a time. */
      append_len (w->out, "null", 4);
      return;
    }

  days = seconds / 86400 - (seconds % 86400 < 0 ? 1 : 0);
  second_of_day = seconds - days * 86400;

  /* The proleptic Gregorian calendar from a day count (H. Hinnant's
   * civil_from_days), GDateTime's calendar. */
  z = days + 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = (guint) (z - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = (gint64) yoe + era * 400 + (month <= 2 ? 1 : 0);

  put_digits (text, (guint) year, 4);
  put_digits (text + 5, month, 2);
  put_digits (text + 8, day, 2);
  put_digits (text + 11, (guint) (second_of_day / 3600), 2);
  put_digits (text + 14, (guint) (second_of_day / 60 % 60), 2);
  put_digits (text + 17, (guint) (second_of_day % 60), 2);
  if (usec != 0)
    {
      text[len++] = '.';
      put_digits (text + len, usec, 6);
      len += 6;
    }
  text[len++] = 'Z';

  append_c (w->out, '"');
  append_len (w->out, text, len);
  append_c (w->out, '"');
}

void
cp_sandbox_json_member_string (CpSandboxJson *w,
                               const char    *name,
                               const char    *value)
{
  cp_sandbox_json_member (w, name);
  cp_sandbox_json_string (w, value);
}

void
cp_sandbox_json_member_int (CpSandboxJson *w,
                            const char    *name,
                            gint64         value)
{
  cp_sandbox_json_member (w, name);
  cp_sandbox_json_int (w, value);
}
