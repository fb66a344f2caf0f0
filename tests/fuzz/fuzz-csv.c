/* fuzz-csv.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the CSV reader: every byte string must either
 * parse or fail with a GError, never crash, hang or read out of bounds.
 */

#include "config.h"

#include <stdint.h>

#include "cp-csv.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data ((const char *) data, size);
  guint records = 0;

  /* The header fixes the width, as the catalog import does. */
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      guint n;

      if (!cp_csv_reader_next (reader, NULL, &error))
        {
          /* Recoverable errors let the reader go on to the next record. */
          if (error != NULL &&
              (g_error_matches (error, CP_CSV_ERROR, CP_CSV_ERROR_ENCODING) ||
               g_error_matches (error, CP_CSV_ERROR, CP_CSV_ERROR_RAGGED)))
            continue;
          break;
        }

      n = cp_csv_reader_get_n_fields (reader);
      if (records++ == 0 && n > 0)
        cp_csv_reader_set_expected_fields (reader, n);
      for (guint i = 0; i < n; i++)
        g_assert_nonnull (cp_csv_reader_get_field (reader, i));
      g_assert_cmpuint (cp_csv_reader_get_line (reader), >=, 1);
    }

  return 0;
}
