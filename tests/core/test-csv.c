/* test-csv.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cp-csv.h"

static void
assert_record (CpCsvReader        *reader,
               guint               line,
               const char * const *expected)
{
  g_autoptr(GError) error = NULL;
  guint n = g_strv_length ((char **) expected);

  g_assert_true (cp_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cp_csv_reader_get_line (reader), ==, line);
  g_assert_cmpuint (cp_csv_reader_get_n_fields (reader), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (cp_csv_reader_get_field (reader, i), ==, expected[i]);
  g_assert_null (cp_csv_reader_get_field (reader, n));
}

static void
assert_end (CpCsvReader *reader)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (cp_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
}

static void
test_csv_basic (void)
{
  /* BOM, CRLF and LF mixed, a trailing comma, an empty line, no final
   * line break. */
  const char data[] = "\xEF\xBB\xBFsku,name,price\r\n"
                      "A-1,Chain,19.99\n"
                      "\r\n"
                      "B-2,,5\r\n"
                      "C-3,Bell,";
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data (data, sizeof data - 1);

  assert_record (reader, 1, (const char *[]) { "sku", "name", "price", NULL });
  assert_record (reader, 2, (const char *[]) { "A-1", "Chain", "19.99", NULL });
  assert_record (reader, 4, (const char *[]) { "B-2", "", "5", NULL });
  assert_record (reader, 5, (const char *[]) { "C-3", "Bell", "", NULL });
  assert_end (reader);
  /* And it stays at the end. */
  assert_end (reader);
}

static void
test_csv_quoting (void)
{
  const char data[] = "sku,name,note\n"
                      "A,\"Helmet, \"\"Pro\"\"\",\"two\nlines\r\nhere\"\n"
                      "B,\"\",\"a\"b\n"
                      "C,plain \"inner\" quote,x\n";
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data (data, -1);

  assert_record (reader, 1, (const char *[]) { "sku", "name", "note", NULL });
  assert_record (reader, 2, (const char *[]) { "A", "Helmet, \"Pro\"", "two\nlines\r\nhere", NULL });
  g_assert_cmpuint (cp_csv_reader_get_field_line (reader, 0), ==, 2);
  g_assert_cmpuint (cp_csv_reader_get_field_line (reader, 2), ==, 2);
  /* The record after a value with two line breaks starts on line 5. */
  assert_record (reader, 5, (const char *[]) { "B", "", "ab", NULL });
  assert_record (reader, 6, (const char *[]) { "C", "plain \"inner\" quote", "x", NULL });
  assert_end (reader);
}

static void
test_csv_unterminated (void)
{
  const char data[] = "sku,name\nA,ok\nB,\"never\nends,here\n";
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data (data, -1);
  g_autoptr(GError) error = NULL;
  guint line, column;

  assert_record (reader, 1, (const char *[]) { "sku", "name", NULL });
  assert_record (reader, 2, (const char *[]) { "A", "ok", NULL });
  g_assert_false (cp_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, CP_CSV_ERROR, CP_CSV_ERROR_UNTERMINATED);
  g_assert_nonnull (strstr (error->message, "Line 3, column 2"));
  cp_csv_reader_get_error_position (reader, &line, &column);
  g_assert_cmpuint (line, ==, 3);
  g_assert_cmpuint (column, ==, 2);
  g_clear_error (&error);
  /* Fatal: nothing more comes. */
  assert_end (reader);
}

static void
test_csv_encoding (void)
{
  /* Latin-1 "é" (0xE9) on line 3, field 2; then a good row. */
  const char data[] = "sku,name\nA,Caf\xC3\xA9\nB,Caf\xE9\nC,ok\nD\xFF,\xFE\n";
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data (data, -1);
  g_autoptr(GError) error = NULL;
  guint line, column;

  cp_csv_reader_set_expected_fields (reader, 2);
  assert_record (reader, 1, (const char *[]) { "sku", "name", NULL });
  assert_record (reader, 2, (const char *[]) { "A", "Café", NULL });
  g_assert_false (cp_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, CP_CSV_ERROR, CP_CSV_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "Line 3, column 2"));
  g_assert_nonnull (strstr (error->message, "character set Unicode UTF-8"));
  g_assert_nonnull (strstr (error->message, "File → Save As → Text CSV"));
  cp_csv_reader_get_error_position (reader, &line, &column);
  g_assert_cmpuint (line, ==, 3);
  g_assert_cmpuint (column, ==, 2);
  /* The record is still there, made readable. */
  g_assert_cmpuint (cp_csv_reader_get_n_fields (reader), ==, 2);
  g_assert_true (g_utf8_validate (cp_csv_reader_get_field (reader, 1), -1, NULL));
  g_clear_error (&error);
  /* Reading goes on. */
  assert_record (reader, 4, (const char *[]) { "C", "ok", NULL });
  /* Two bad fields: the first is reported, both are made readable. */
  g_assert_false (cp_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, CP_CSV_ERROR, CP_CSV_ERROR_ENCODING);
  cp_csv_reader_get_error_position (reader, &line, &column);
  g_assert_cmpuint (line, ==, 5);
  g_assert_cmpuint (column, ==, 1);
  g_assert_true (g_utf8_validate (cp_csv_reader_get_field (reader, 0), -1, NULL));
  g_assert_true (g_utf8_validate (cp_csv_reader_get_field (reader, 1), -1, NULL));
  g_clear_error (&error);
  assert_end (reader);
}

static void
test_csv_ragged (void)
{
  const char data[] = "sku,name,price\nA,x,1\nB,y\nC,z,3,extra\nD,w,4\n";
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data (data, -1);
  g_autoptr(GError) error = NULL;
  guint line, column;

  assert_record (reader, 1, (const char *[]) { "sku", "name", "price", NULL });
  cp_csv_reader_set_expected_fields (reader, cp_csv_reader_get_n_fields (reader));
  assert_record (reader, 2, (const char *[]) { "A", "x", "1", NULL });

  g_assert_false (cp_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, CP_CSV_ERROR, CP_CSV_ERROR_RAGGED);
  g_assert_nonnull (strstr (error->message, "Line 3 has 2 fields but 3 were expected"));
  cp_csv_reader_get_error_position (reader, &line, &column);
  g_assert_cmpuint (line, ==, 3);
  g_assert_cmpuint (column, ==, 0);
  g_clear_error (&error);

  g_assert_false (cp_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, CP_CSV_ERROR, CP_CSV_ERROR_RAGGED);
  g_assert_nonnull (strstr (error->message, "Line 4 has 4 fields but 3 were expected"));
  g_assert_cmpuint (cp_csv_reader_get_n_fields (reader), ==, 4);
  g_clear_error (&error);

  assert_record (reader, 5, (const char *[]) { "D", "w", "4", NULL });
  assert_end (reader);
}

/* A stream in tiny pieces: a quote, CRLF or multibyte character split
 * across reads must not change anything. */
static void
test_csv_stream (void)
{
  g_autoptr(GString) data = g_string_new ("\xEF\xBB\xBF" "a,b,c\r\n");
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(CpCsvReader) from_stream = NULL;
  g_autoptr(CpCsvReader) from_data = NULL;
  g_autoptr(GError) error = NULL;
  guint n_records = 0;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (data, "%u,\"Ünïcødé, \"\"%u\"\"\r\nsecond line\",%s\r\n",
                            i, i, i % 7 == 0 ? "" : "plain");

  /* GMemoryInputStream hands out what is asked; CHUNK_SIZE reads will
   * split records at arbitrary bytes many times over this data. */
  stream = g_memory_input_stream_new_from_data (data->str, data->len, NULL);
  from_stream = cp_csv_reader_new_for_stream (stream);
  from_data = cp_csv_reader_new_for_data (data->str, data->len);

  while (cp_csv_reader_next (from_data, NULL, &error))
    {
      g_assert_true (cp_csv_reader_next (from_stream, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (cp_csv_reader_get_line (from_stream), ==,
                        cp_csv_reader_get_line (from_data));
      g_assert_cmpuint (cp_csv_reader_get_n_fields (from_stream), ==, 3);
      for (guint i = 0; i < 3; i++)
        g_assert_cmpstr (cp_csv_reader_get_field (from_stream, i), ==,
                         cp_csv_reader_get_field (from_data, i));
      n_records++;
    }
  g_assert_no_error (error);
  assert_end (from_stream);
  g_assert_cmpuint (n_records, ==, 20001);
  /* Two physical lines per data record, plus the header. */
  g_assert_cmpuint (cp_csv_reader_get_line (from_data), ==, 1 + 2 * 19999 + 1);
  g_assert_cmpuint (cp_csv_reader_get_offset (from_stream), ==, data->len);
}

static void
test_csv_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CpCsvReader) reader = cp_csv_reader_new_for_data ("a,b\n1,2\n", -1);
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_csv_reader_next (reader, cancellable, &error));
  g_cancellable_cancel (cancellable);
  g_assert_false (cp_csv_reader_next (reader, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_csv_writer (void)
{
  const char * const values[] = {
    "plain", "with,comma", "with \"quote\"", "two\nlines", "cr\rhere",
    " leading", "trailing ", "", "ümlaut", "-19.99", "=SUM(A1)",
  };
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(CpCsvWriter) writer = cp_csv_writer_new (out);
  g_autoptr(GError) error = NULL;
  g_autoptr(CpCsvReader) reader = NULL;
  const char *written;
  gsize len;

  g_assert_true (cp_csv_writer_write_row (writer, values, G_N_ELEMENTS (values), NULL, &error));
  g_assert_no_error (error);
  /* A row with one empty field must survive as a row. */
  cp_csv_writer_add_field (writer, NULL);
  g_assert_true (cp_csv_writer_end_row (writer, NULL, &error));
  cp_csv_writer_add_field (writer, "x");
  cp_csv_writer_add_field (writer, "y");
  g_assert_true (cp_csv_writer_end_row (writer, NULL, &error));
  g_assert_true (cp_csv_writer_flush (writer, NULL, &error));
  g_assert_true (g_output_stream_close (out, NULL, &error));

  written = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out));
  len = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_cmpmem (written, strlen ("plain,\"with,comma\",\"with \"\"quote\"\"\""),
                   "plain,\"with,comma\",\"with \"\"quote\"\"\"",
                   strlen ("plain,\"with,comma\",\"with \"\"quote\"\"\""));

  reader = cp_csv_reader_new_for_data (written, len);
  g_assert_true (cp_csv_reader_next (reader, NULL, &error));
  g_assert_cmpuint (cp_csv_reader_get_n_fields (reader), ==, G_N_ELEMENTS (values));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpstr (cp_csv_reader_get_field (reader, i), ==, values[i]);
  assert_record (reader, 4, (const char *[]) { "", NULL });
  assert_record (reader, 5, (const char *[]) { "x", "y", NULL });
  assert_end (reader);
}

static void
test_csv_empty (void)
{
  g_autoptr(CpCsvReader) empty = cp_csv_reader_new_for_data ("", 0);
  g_autoptr(CpCsvReader) bom_only = cp_csv_reader_new_for_data ("\xEF\xBB\xBF\r\n\n", -1);

  assert_end (empty);
  assert_end (bom_only);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/csv/basic", test_csv_basic);
  g_test_add_func ("/core/csv/quoting", test_csv_quoting);
  g_test_add_func ("/core/csv/unterminated", test_csv_unterminated);
  g_test_add_func ("/core/csv/encoding", test_csv_encoding);
  g_test_add_func ("/core/csv/ragged", test_csv_ragged);
  g_test_add_func ("/core/csv/stream", test_csv_stream);
  g_test_add_func ("/core/csv/cancel", test_csv_cancel);
  g_test_add_func ("/core/csv/writer", test_csv_writer);
  g_test_add_func ("/core/csv/empty", test_csv_empty);

  return g_test_run ();
}
