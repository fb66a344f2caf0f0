/* ecomv2-batch-check.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The differential check of the batch answer's fast reader against the
 * tree path, shared by test-ecomv2-batch-scan and fuzz-ecomv2.
 */

#pragma once

#include "cp-ecomv2-private.h"

/* TREE (ecomv2_parse_batch_results) and FAST (ecomv2_scan_batch_results)
 * hold the same results: count, and ok/id/code/message of each. */
static inline void
ecomv2_assert_same_results (GPtrArray *tree,
                            GPtrArray *fast)
{
  g_assert_cmpuint (fast->len, ==, tree->len);
  for (guint i = 0; i < tree->len; i++)
    {
      Ecomv2ItemResult *a = g_ptr_array_index (tree, i);
      Ecomv2ItemResult *b = g_ptr_array_index (fast, i);

      g_assert_cmpint (a->ok, ==, b->ok);
      g_assert_cmpstr (a->id, ==, b->id);
      g_assert_cmpstr (a->code, ==, b->code);
      g_assert_cmpstr (a->message, ==, b->message);
    }
}
