/* test-packed.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Strings packed after a record (cp-packed.h): what they need, where
 * they land, and that only the strings outside the block are freed (the
 * sanitized build of this test catches a leak or a bad free).
 */

#include "config.h"

#include "cp-packed.h"

typedef struct
{
  char  *a;
  char  *b;
  char  *c;
  gsize  packed_len;
} Record;

static void
record_free (Record *record)
{
  cp_packed_free (record + 1, record->packed_len, record->a);
  cp_packed_free (record + 1, record->packed_len, record->b);
  cp_packed_free (record + 1, record->packed_len, record->c);
  g_free (record);
}

static void
test_size (void)
{
  const char *texts[] = { "abc", NULL, "", "xy" };
  gssize lengths[] = { -1, -1, -1, 1 };

  /* 3 + 1, nothing, 0 + 1, and the length given (not strlen) + 1. */
  g_assert_cmpuint (cp_packed_size (texts, lengths, G_N_ELEMENTS (texts)), ==, 4 + 1 + 2);
  g_assert_cmpint (lengths[0], ==, 3);
  g_assert_cmpint (lengths[1], ==, -1);
  g_assert_cmpint (lengths[2], ==, 0);
  g_assert_cmpint (lengths[3], ==, 1);
  g_assert_cmpuint (cp_packed_size (NULL, NULL, 0), ==, 0);
}

static void
test_fill_and_free (void)
{
  /* A length shorter than the text: only that much is kept (as with
   * SQLite's column text and its byte count). */
  const char *texts[] = { "first", NULL, "second-and-more" };
  gssize lengths[] = { -1, -1, 6 };
  gsize packed_len = cp_packed_size (texts, lengths, G_N_ELEMENTS (texts));
  Record *record = g_malloc (sizeof *record + packed_len);
  char **fields[] = { &record->a, &record->b, &record->c };
  const char *block = (const char *) (record + 1);

  record->b = (char *) "not yet written";
  record->packed_len = packed_len;
  cp_packed_fill ((char *) (record + 1), fields, texts, lengths, G_N_ELEMENTS (texts));
  g_assert_cmpstr (record->a, ==, "first");
  g_assert_null (record->b);
  g_assert_cmpstr (record->c, ==, "second");
  /* One after the other, from the start of the block. */
  g_assert_true (record->a == block);
  g_assert_true (record->c == block + 6);
  g_assert_cmpuint (packed_len, ==, 6 + 7);

  /* Replaced by hand: freed with the record; the packed one is not. */
  record->b = g_strdup ("by hand");
  record->a = g_strdup ("replaced");
  record_free (record);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/packed/size", test_size);
  g_test_add_func ("/packed/fill-and-free", test_fill_and_free);

  return g_test_run ();
}
