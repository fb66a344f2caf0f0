/* cp-packed.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Strings kept in the same allocation as the record they belong to,
 * right after it: a record read from the ledger by the thousand (a
 * claim's jobs, a push's quantities) is then one allocation instead of
 * one per string. The record remembers how many bytes of text follow
 * it, and its free function frees only the strings that lie elsewhere
 * (set by hand, or replaced after the record was read).
 */

#pragma once

#include <string.h>

#include <glib.h>

G_BEGIN_DECLS

/* Inline: a claim packs two thousand jobs, and with N known where it
 * is called the compiler unrolls both loops (300 instructions per
 * pushed item, callgrind, tests/bench engine-overhead). */

/* The bytes N strings need after the record, each with its NUL; a NULL
 * text needs none. LENGTHS holds each text's length without the NUL, or
 * -1 for strlen(), which is written back. */
static inline gsize
cp_packed_size (const char * const *texts,
                gssize             *lengths,
                guint               n)
{
  gsize size = 0;

  for (guint i = 0; i < n; i++)
    {
      if (texts[i] == NULL)
        continue;
      if (lengths[i] < 0)
        lengths[i] = (gssize) strlen (texts[i]);
      size += (gsize) lengths[i] + 1;
    }
  return size;
}

/* Copies the N TEXTS (LENGTHS as measured by cp_packed_size()) one after
 * the other from AT, and points each *FIELDS[i] at its copy (NULL for a
 * NULL text). */
static inline void
cp_packed_fill (char               *at,
                char ** const      *fields,
                const char * const *texts,
                const gssize       *lengths,
                guint               n)
{
  for (guint i = 0; i < n; i++)
    {
      if (texts[i] == NULL)
        {
          *fields[i] = NULL;
          continue;
        }
      memcpy (at, texts[i], (gsize) lengths[i]);
      at[lengths[i]] = '\0';
      *fields[i] = at;
      at += lengths[i] + 1;
    }
}

/* g_free (TEXT), unless it lies in the PACKED_LEN bytes of text that
 * start at START. */
void      cp_packed_free  (gconstpointer        start,
                           gsize                packed_len,
                           char                *text);

G_END_DECLS
