/* cp-relative-time.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-relative-time"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-relative-time.h"

char *
cp_relative_time_format (gint64 at_us,
                         gint64 now_us)
{
  gint64 seconds = (now_us - at_us) / G_USEC_PER_SEC;
  gint64 n;

  if (seconds < 0)
    {
      /* A clock a little ahead on the register: not worth "in 3 s". */
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (at_us / G_USEC_PER_SEC);
      return dt != NULL ? g_date_time_format (dt, "%x %H:%M") : g_strdup ("");
    }

  if (seconds < 60)
    return g_strdup (_("Just now"));

  if (seconds < 3600)
    {
      n = seconds / 60;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", n), (int) n);
    }

  if (seconds < 86400)
    {
      n = seconds / 3600;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", n), (int) n);
    }

  if (seconds < 86400 * 30)
    {
      n = seconds / 86400;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", n), (int) n);
    }

  {
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (at_us / G_USEC_PER_SEC);
    /* Older than a month: the date says more than "5 months ago". */
    return dt != NULL ? g_date_time_format (dt, "%x") : g_strdup ("");
  }
}

char *
cp_exact_time_format (gint64 at_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (at_us / G_USEC_PER_SEC);

  if (dt == NULL)
    return g_strdup ("");

  return g_date_time_format (dt, "%x %X");
}
