/* cp-csv.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A byte-level state machine rather than a line splitter: quoted fields
 * may hold commas and line breaks, and only a byte reader can tell where
 * a record really ends while still counting physical lines for messages.
 */

#define G_LOG_DOMAIN "cp-csv"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-csv.h"

#define CHUNK_SIZE (64 * 1024)
#define WRITER_FLUSH_SIZE (64 * 1024)

/* Peek results besides a byte value. */
#define CSV_EOF (-1)
#define CSV_FAILED (-2)

G_DEFINE_QUARK (cp-csv-error-quark, cp_csv_error)

struct _CpCsvReader
{
  GInputStream *stream;   /* NULL when reading from memory */
  guint8       *buf;
  gsize         buf_len;
  gsize         pos;
  gboolean      eof;
  gboolean      started;  /* the BOM check ran */
  gboolean      finished; /* a fatal error happened */

  guint         line;     /* physical line of the byte at POS */
  guint64       offset;

  guint         expected;
  GPtrArray    *fields;      /* char* */
  GArray       *field_lines; /* guint */
  GString      *cur;
  guint         record_line;
  guint         error_line;
  guint         error_column;
};

CpCsvReader *
cp_csv_reader_new_for_stream (GInputStream *stream)
{
  CpCsvReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_new0 (CpCsvReader, 1);
  self->stream = g_object_ref (stream);
  self->buf = g_malloc (CHUNK_SIZE);
  self->line = 1;
  self->fields = g_ptr_array_new_with_free_func (g_free);
  self->field_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  self->cur = g_string_sized_new (64);

  return self;
}

CpCsvReader *
cp_csv_reader_new_for_data (const char *data,
                            gssize      length)
{
  CpCsvReader *self;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (data);

  self = g_new0 (CpCsvReader, 1);
  self->buf = g_memdup2 (data, length);
  self->buf_len = length;
  self->eof = TRUE;
  self->line = 1;
  self->fields = g_ptr_array_new_with_free_func (g_free);
  self->field_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  self->cur = g_string_sized_new (64);

  return self;
}

void
cp_csv_reader_free (CpCsvReader *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->stream);
  g_free (self->buf);
  g_ptr_array_unref (self->fields);
  g_array_unref (self->field_lines);
  g_string_free (self->cur, TRUE);
  g_free (self);
}

void
cp_csv_reader_set_expected_fields (CpCsvReader *self,
                                   guint        n_fields)
{
  g_return_if_fail (self != NULL);

  self->expected = n_fields;
}

/* Makes sure at least MIN bytes are buffered past POS, unless the stream
 * ends first. Keeps the unread tail. */
static gboolean
fill (CpCsvReader   *self,
      gsize          min,
      GCancellable  *cancellable,
      GError       **error)
{
  while (!self->eof && self->buf_len - self->pos < min)
    {
      gsize tail = self->buf_len - self->pos;
      gssize n;

      if (self->pos > 0)
        {
          memmove (self->buf, self->buf + self->pos, tail);
          self->buf_len = tail;
          self->pos = 0;
        }

      n = g_input_stream_read (self->stream, self->buf + self->buf_len,
                               CHUNK_SIZE - self->buf_len, cancellable, error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        self->eof = TRUE;
      self->buf_len += n;
    }

  return TRUE;
}

static int
peek (CpCsvReader   *self,
      GCancellable  *cancellable,
      GError       **error)
{
  if (G_UNLIKELY (self->pos >= self->buf_len))
    {
      if (!fill (self, 1, cancellable, error))
        return CSV_FAILED;
      if (self->pos >= self->buf_len)
        return CSV_EOF;
    }

  return self->buf[self->pos];
}

static inline void
advance (CpCsvReader *self)
{
  self->pos++;
  self->offset++;
}

static gboolean
fail_io (CpCsvReader  *self,
         GError       *local_error,
         GError      **error)
{
  self->finished = TRUE;
  self->error_line = self->line;
  self->error_column = 0;

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  g_set_error (error, CP_CSV_ERROR, CP_CSV_ERROR_IO,
               _("Cannot read the file near line %u: %s"),
               self->line, local_error->message);
  g_error_free (local_error);
  return FALSE;
}

static void
push_field (CpCsvReader *self,
            guint        field_line)
{
  g_ptr_array_add (self->fields, g_strndup (self->cur->str, self->cur->len));
  g_array_append_val (self->field_lines, field_line);
  g_string_truncate (self->cur, 0);
}

/* Reads one field starting at POS; on return POS is at the delimiter
 * (comma, line break) or the end. Returns FALSE on a fatal problem. */
static gboolean
read_field (CpCsvReader   *self,
            GCancellable  *cancellable,
            GError       **error)
{
  GError *local_error = NULL;
  guint field_line = self->line;
  int c;

  c = peek (self, cancellable, &local_error);
  if (c == CSV_FAILED)
    return fail_io (self, local_error, error);

  if (c == '"')
    {
      advance (self);

      for (;;)
        {
          c = peek (self, cancellable, &local_error);
          if (c == CSV_FAILED)
            return fail_io (self, local_error, error);
          if (c == CSV_EOF)
            {
              self->finished = TRUE;
              self->error_line = field_line;
              self->error_column = self->fields->len + 1;
              g_set_error (error, CP_CSV_ERROR, CP_CSV_ERROR_UNTERMINATED,
                           _("Line %u, column %u: a quoted value starts here but its closing "
                             "quote (\") is missing. Add the closing quote, or write a quote "
                             "inside a value as two quotes (\"\")."),
                           field_line, self->fields->len + 1);
              return FALSE;
            }

          advance (self);

          if (c == '"')
            {
              c = peek (self, cancellable, &local_error);
              if (c == CSV_FAILED)
                return fail_io (self, local_error, error);
              if (c != '"')
                break;  /* the closing quote */
              advance (self);
              g_string_append_c (self->cur, '"');
              continue;
            }

          if (c == '\n')
            self->line++;
          else if (c == '\r')
            {
              int next = peek (self, cancellable, &local_error);

              if (next == CSV_FAILED)
                return fail_io (self, local_error, error);
              if (next != '\n')
                self->line++;  /* a lone CR is a line break too */
            }

          g_string_append_c (self->cur, (char) c);
        }
    }

  /* Unquoted text, or stray text after a closing quote: spreadsheets
   * read `"abc"def` as abcdef, so take it literally rather than fail. */
  for (;;)
    {
      c = peek (self, cancellable, &local_error);
      if (c == CSV_FAILED)
        return fail_io (self, local_error, error);
      if (c == CSV_EOF || c == ',' || c == '\n' || c == '\r')
        break;
      advance (self);
      g_string_append_c (self->cur, (char) c);
    }

  push_field (self, field_line);
  return TRUE;
}

static gboolean
check_record (CpCsvReader  *self,
              GError      **error)
{
  guint bad_line = 0;
  guint bad_column = 0;

  for (guint i = 0; i < self->fields->len; i++)
    {
      char *text = g_ptr_array_index (self->fields, i);

      if (g_utf8_validate (text, -1, NULL))
        continue;

      /* Keep going with readable text so later checks still work. */
      self->fields->pdata[i] = g_utf8_make_valid (text, -1);
      g_free (text);

      if (bad_column == 0)
        {
          bad_line = g_array_index (self->field_lines, guint, i);
          bad_column = i + 1;
        }
    }

  if (bad_column > 0)
    {
      self->error_line = bad_line;
      self->error_column = bad_column;
      g_set_error (error, CP_CSV_ERROR, CP_CSV_ERROR_ENCODING,
                   _("Line %u, column %u is not UTF-8 text: save the file as UTF-8 "
                     "(in LibreOffice: File → Save As → Text CSV, character set "
                     "Unicode UTF-8)"),
                   bad_line, bad_column);
      return FALSE;
    }

  if (self->expected > 0 && self->fields->len != self->expected)
    {
      self->error_line = self->record_line;
      self->error_column = 0;
      g_set_error (error, CP_CSV_ERROR, CP_CSV_ERROR_RAGGED,
                   ngettext ("Line %u has %u field but %u were expected (as many as the "
                             "header has): look for a missing or extra comma, or a value "
                             "with a comma that needs quotes.",
                             "Line %u has %u fields but %u were expected (as many as the "
                             "header has): look for a missing or extra comma, or a value "
                             "with a comma that needs quotes.",
                             self->fields->len),
                   self->record_line, self->fields->len, self->expected);
      return FALSE;
    }

  return TRUE;
}

gboolean
cp_csv_reader_next (CpCsvReader   *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  GError *local_error = NULL;
  int c;

  g_return_val_if_fail (self != NULL, FALSE);

  g_ptr_array_set_size (self->fields, 0);
  g_array_set_size (self->field_lines, 0);
  g_string_truncate (self->cur, 0);

  if (self->finished)
    return FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (!self->started)
    {
      self->started = TRUE;
      if (self->stream != NULL && !fill (self, 3, cancellable, &local_error))
        return fail_io (self, local_error, error);
      /* Windows tools start UTF-8 files with a byte order mark. */
      if (self->buf_len - self->pos >= 3 &&
          memcmp (self->buf + self->pos, "\xEF\xBB\xBF", 3) == 0)
        {
          self->pos += 3;
          self->offset += 3;
        }
    }

  /* Skip empty lines. */
  for (;;)
    {
      c = peek (self, cancellable, &local_error);
      if (c == CSV_FAILED)
        return fail_io (self, local_error, error);
      if (c == CSV_EOF)
        return FALSE;
      if (c == '\n')
        {
          advance (self);
          self->line++;
        }
      else if (c == '\r')
        {
          advance (self);
          c = peek (self, cancellable, &local_error);
          if (c == CSV_FAILED)
            return fail_io (self, local_error, error);
          if (c == '\n')
            advance (self);
          self->line++;
        }
      else
        break;
    }

  self->record_line = self->line;

  for (;;)
    {
      if (!read_field (self, cancellable, error))
        return FALSE;

      c = peek (self, cancellable, &local_error);
      if (c == CSV_FAILED)
        return fail_io (self, local_error, error);
      if (c == ',')
        {
          advance (self);
          continue;
        }
      if (c == '\r')
        {
          advance (self);
          c = peek (self, cancellable, &local_error);
          if (c == CSV_FAILED)
            return fail_io (self, local_error, error);
          if (c == '\n')
            advance (self);
          self->line++;
        }
      else if (c == '\n')
        {
          advance (self);
          self->line++;
        }
      break;
    }

  if (!check_record (self, error))
    return FALSE;

  return TRUE;
}

guint
cp_csv_reader_get_n_fields (CpCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->fields->len;
}

const char *
cp_csv_reader_get_field (CpCsvReader *self,
                         guint        index)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (index >= self->fields->len)
    return NULL;

  return g_ptr_array_index (self->fields, index);
}

guint
cp_csv_reader_get_line (CpCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->record_line;
}

guint
cp_csv_reader_get_field_line (CpCsvReader *self,
                              guint        index)
{
  g_return_val_if_fail (self != NULL, 0);

  if (index >= self->field_lines->len)
    return self->record_line;

  return g_array_index (self->field_lines, guint, index);
}

void
cp_csv_reader_get_error_position (CpCsvReader *self,
                                  guint       *out_line,
                                  guint       *out_column)
{
  g_return_if_fail (self != NULL);

  if (out_line != NULL)
    *out_line = self->error_line;
  if (out_column != NULL)
    *out_column = self->error_column;
}

guint64
cp_csv_reader_get_offset (CpCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->offset;
}

/* Writer */

struct _CpCsvWriter
{
  GOutputStream *stream;
  GString       *buf;
  guint          row_fields;
  gsize          row_start;
};

void
cp_csv_append_field (GString    *string,
                     const char *text)
{
  gsize len;
  gboolean quote;

  if (text == NULL || *text == '\0')
    return;

  len = strlen (text);
  quote = strpbrk (text, ",\"\r\n") != NULL ||
          text[0] == ' ' || text[0] == '\t' ||
          text[len - 1] == ' ' || text[len - 1] == '\t';

  if (!quote)
    {
      g_string_append_len (string, text, len);
      return;
    }

  g_string_append_c (string, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (string, '"');
      g_string_append_c (string, *p);
    }
  g_string_append_c (string, '"');
}

CpCsvWriter *
cp_csv_writer_new (GOutputStream *stream)
{
  CpCsvWriter *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  self = g_new0 (CpCsvWriter, 1);
  self->stream = g_object_ref (stream);
  self->buf = g_string_sized_new (WRITER_FLUSH_SIZE + 1024);

  return self;
}

void
cp_csv_writer_free (CpCsvWriter *self)
{
  if (self == NULL)
    return;

  g_object_unref (self->stream);
  g_string_free (self->buf, TRUE);
  g_free (self);
}

void
cp_csv_writer_add_field (CpCsvWriter *self,
                         const char  *text)
{
  g_return_if_fail (self != NULL);

  if (self->row_fields == 0)
    self->row_start = self->buf->len;
  else
    g_string_append_c (self->buf, ',');
  self->row_fields++;
  cp_csv_append_field (self->buf, text);
}

gboolean
cp_csv_writer_flush (CpCsvWriter   *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->buf->len > 0)
    {
      if (!g_output_stream_write_all (self->stream, self->buf->str, self->buf->len,
                                      NULL, cancellable, error))
        return FALSE;
      g_string_truncate (self->buf, 0);
    }

  return TRUE;
}

gboolean
cp_csv_writer_end_row (CpCsvWriter   *self,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  /* A row of one empty field would be an empty line, which readers
   * skip: quote it so the row survives. */
  if (self->row_fields == 1 && self->buf->len == self->row_start)
    g_string_append (self->buf, "\"\"");
  g_string_append (self->buf, "\r\n");
  self->row_fields = 0;

  if (self->buf->len >= WRITER_FLUSH_SIZE)
    return cp_csv_writer_flush (self, cancellable, error);

  return TRUE;
}

gboolean
cp_csv_writer_write_row (CpCsvWriter        *self,
                         const char * const *fields,
                         guint               n_fields,
                         GCancellable       *cancellable,
                         GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < n_fields; i++)
    cp_csv_writer_add_field (self, fields[i]);

  return cp_csv_writer_end_row (self, cancellable, error);
}
