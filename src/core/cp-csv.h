/* cp-csv.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RFC 4180 CSV: a streaming reader that knows where every field came
 * from (so errors can name a line and a column a person can find in a
 * spreadsheet) and a writer that quotes only when it has to. Comma only.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CP_CSV_ERROR (cp_csv_error_quark ())

typedef enum
{
  CP_CSV_ERROR_ENCODING,     /* a field is not valid UTF-8 (recoverable) */
  CP_CSV_ERROR_RAGGED,       /* a row has the wrong number of fields (recoverable) */
  CP_CSV_ERROR_UNTERMINATED, /* a quoted field never ends (fatal: at end of file) */
  CP_CSV_ERROR_IO,           /* the stream failed (fatal) */
} CpCsvError;

GQuark        cp_csv_error_quark (void);

typedef struct _CpCsvReader CpCsvReader;

/* The reader keeps a reference on STREAM and reads it in large chunks. */
CpCsvReader  *cp_csv_reader_new_for_stream (GInputStream *stream);
/* DATA is copied; LENGTH -1 means NUL-terminated. */
CpCsvReader  *cp_csv_reader_new_for_data   (const char   *data,
                                            gssize        length);
void          cp_csv_reader_free           (CpCsvReader  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpCsvReader, cp_csv_reader_free)

/* When N > 0, every record must have N fields, or reading it reports
 * CP_CSV_ERROR_RAGGED. Usually set from the header row's field count. */
void          cp_csv_reader_set_expected_fields (CpCsvReader *self,
                                                 guint        n_fields);

/* Reads the next record. Returns TRUE with a record; FALSE with ERROR
 * unset at the end of the data; FALSE with ERROR set on a problem.
 *
 * After CP_CSV_ERROR_ENCODING or CP_CSV_ERROR_RAGGED the whole record was
 * consumed and its fields are available: the caller may note the problem
 * and keep reading (an import reports every problem at once). After the
 * other errors the reader is at its end.
 *
 * Empty lines between records are skipped (spreadsheets leave them). */
gboolean      cp_csv_reader_next           (CpCsvReader   *self,
                                            GCancellable  *cancellable,
                                            GError       **error);

guint         cp_csv_reader_get_n_fields   (CpCsvReader *self);
/* The field's text (valid UTF-8 unless the record had an encoding error;
 * invalid bytes are then replaced by U+FFFD). NULL past the last field. */
const char   *cp_csv_reader_get_field      (CpCsvReader *self,
                                            guint        index);
/* Physical line (1-based) where the current record starts. */
guint         cp_csv_reader_get_line       (CpCsvReader *self);
/* Physical line where field INDEX starts (differs from the record's line
 * after a quoted field that holds a newline). */
guint         cp_csv_reader_get_field_line (CpCsvReader *self,
                                            guint        index);
/* Where the last error was: LINE (physical) and COLUMN (1-based field
 * number; 0 when it concerns the whole row). */
void          cp_csv_reader_get_error_position (CpCsvReader *self,
                                                guint       *out_line,
                                                guint       *out_column);
/* Bytes consumed so far, for progress against the file size. */
guint64       cp_csv_reader_get_offset     (CpCsvReader *self);

typedef struct _CpCsvWriter CpCsvWriter;

CpCsvWriter  *cp_csv_writer_new           (GOutputStream *stream);
/* Frees without flushing: call cp_csv_writer_flush () first. */
void          cp_csv_writer_free          (CpCsvWriter   *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpCsvWriter, cp_csv_writer_free)

/* Adds one field to the current row; NULL is written as an empty field. */
void          cp_csv_writer_add_field     (CpCsvWriter   *self,
                                           const char    *text);
/* Ends the row (CRLF, as RFC 4180 says) and writes it out when the
 * buffer is full. */
gboolean      cp_csv_writer_end_row       (CpCsvWriter   *self,
                                           GCancellable  *cancellable,
                                           GError       **error);
gboolean      cp_csv_writer_write_row     (CpCsvWriter        *self,
                                           const char * const *fields,
                                           guint               n_fields,
                                           GCancellable       *cancellable,
                                           GError            **error);
gboolean      cp_csv_writer_flush         (CpCsvWriter   *self,
                                           GCancellable  *cancellable,
                                           GError       **error);

/* Appends TEXT to STRING as one CSV field, quoted when it holds a comma,
 * a quote, a line break, or leading/trailing spaces. */
void          cp_csv_append_field         (GString    *string,
                                           const char *text);

G_END_DECLS
