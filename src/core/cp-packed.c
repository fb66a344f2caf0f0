/* cp-packed.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-packed"

#include "config.h"

#include "cp-packed.h"

void
cp_packed_free (gconstpointer  start,
                gsize          packed_len,
                char          *text)
{
  /* Compared as integers: TEXT may belong to another allocation. */
  guintptr from = (guintptr) start;
  guintptr at = (guintptr) text;

  if (at < from || at >= from + packed_len)
    g_free (text);
}
