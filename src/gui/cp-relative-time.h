/* cp-relative-time.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Times for people: "2 hours ago" in lists, the exact local time in the
 * tooltip.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* AT_US and NOW_US are µs since the Unix epoch (UTC). */
char *cp_relative_time_format (gint64 at_us,
                               gint64 now_us);
/* "23 Nov 2026, 14:05" in the local time zone. */
char *cp_exact_time_format    (gint64 at_us);

G_END_DECLS
