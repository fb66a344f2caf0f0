/* cp-cli-output.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-cli"

#include "config.h"

#include <stdio.h>

#include "cp-cli-output.h"

void
cp_cli_print_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  /* Pretty: people read --json output in terminals too, and every JSON
   * parser reads it the same. */
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  fputs (text, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

void
cp_cli_print_builder (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  cp_cli_print_json (root);
}

void
cp_cli_json_add_money (JsonBuilder *builder,
                       const char  *key,
                       gint64       amount_minor,
                       const char  *currency)
{
  json_builder_set_member_name (builder, key);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "amount_minor");
  json_builder_add_int_value (builder, amount_minor);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, currency);
  json_builder_end_object (builder);
}

void
cp_cli_json_add_id (JsonBuilder *builder,
                    const char  *key,
                    gint64       id)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  json_builder_set_member_name (builder, key);
  json_builder_add_string_value (builder, text);
}

void
cp_cli_json_add_string (JsonBuilder *builder,
                        const char  *key,
                        const char  *value_or_null)
{
  json_builder_set_member_name (builder, key);
  if (value_or_null != NULL)
    json_builder_add_string_value (builder, value_or_null);
  else
    json_builder_add_null_value (builder);
}

void
cp_cli_json_add_int (JsonBuilder *builder,
                     const char  *key,
                     gint64       value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_int_value (builder, value);
}

char *
cp_cli_format_time_utc (gint64 at_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (at_us / G_USEC_PER_SEC);

  if (dt == NULL)
    return NULL;

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

char *
cp_cli_format_time_local (gint64 at_us)
{
  g_autoptr(GDateTime) dt = NULL;

  if (at_us <= 0)
    return g_strdup ("");
  dt = g_date_time_new_from_unix_local (at_us / G_USEC_PER_SEC);
  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S") : g_strdup ("");
}

void
cp_cli_print_rows (GPtrArray       *rows,
                   CpCliAddRowFunc  add_row,
                   gboolean         has_more)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    add_row (builder, g_ptr_array_index (rows, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "has_more");
  json_builder_add_boolean_value (builder, has_more);
  json_builder_end_object (builder);
  cp_cli_print_builder (builder);
}

void
cp_cli_json_add_time (JsonBuilder *builder,
                      const char  *key,
                      gint64       at_us)
{
  g_autofree char *text = at_us != 0 ? cp_cli_format_time_utc (at_us) : NULL;

  cp_cli_json_add_string (builder, key, text);
}

/* Tables */

struct _CpCliTable
{
  GPtrArray *headers;    /* char*, without the alignment mark */
  GArray    *right;      /* gboolean per column */
  GPtrArray *rows;       /* GStrv */
};

CpCliTable *
cp_cli_table_new (const char *first_header,
                  ...)
{
  CpCliTable *table = g_new0 (CpCliTable, 1);
  va_list args;

  table->headers = g_ptr_array_new_with_free_func (g_free);
  table->right = g_array_new (FALSE, FALSE, sizeof (gboolean));
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  va_start (args, first_header);
  for (const char *h = first_header; h != NULL; h = va_arg (args, const char *))
    {
      gboolean right = h[0] == '>';

      g_ptr_array_add (table->headers, g_strdup (right ? h + 1 : h));
      g_array_append_val (table->right, right);
    }
  va_end (args);

  return table;
}

void
cp_cli_table_add_row (CpCliTable *table,
                      const char *first_cell,
                      ...)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  va_list args;
  guint n = 0;

  va_start (args, first_cell);
  for (const char *c = first_cell; n < table->headers->len; c = va_arg (args, const char *), n++)
    g_strv_builder_add (builder, c != NULL ? c : "");
  va_end (args);

  g_ptr_array_add (table->rows, g_strv_builder_end (builder));
  g_strv_builder_unref (builder);
}

guint
cp_cli_table_get_n_rows (CpCliTable *table)
{
  return table->rows->len;
}

static void
append_padded (GString    *line,
               const char *text,
               gsize       width,
               gboolean    right)
{
  gsize len = g_utf8_strlen (text, -1);
  gsize pad = width > len ? width - len : 0;

  if (right)
    for (gsize i = 0; i < pad; i++)
      g_string_append_c (line, ' ');
  g_string_append (line, text);
  if (!right)
    for (gsize i = 0; i < pad; i++)
      g_string_append_c (line, ' ');
}

static void
print_line (CpCliTable  *table,
            const char **cells,
            gsize       *widths)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint c = 0; c < table->headers->len; c++)
    {
      if (c > 0)
        g_string_append (line, "  ");
      append_padded (line, cells[c], widths[c], g_array_index (table->right, gboolean, c));
    }

  /* No trailing blanks: they annoy diff and grep. */
  g_strchomp (line->str);
  fputs (line->str, stdout);
  fputc ('\n', stdout);
}

void
cp_cli_table_print (CpCliTable *table)
{
  g_autofree gsize *widths = g_new0 (gsize, table->headers->len);

  for (guint c = 0; c < table->headers->len; c++)
    widths[c] = g_utf8_strlen (g_ptr_array_index (table->headers, c), -1);
  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->headers->len; c++)
        widths[c] = MAX (widths[c], (gsize) g_utf8_strlen (row[c], -1));
    }

  print_line (table, (const char **) table->headers->pdata, widths);
  for (guint r = 0; r < table->rows->len; r++)
    print_line (table, g_ptr_array_index (table->rows, r), widths);
  fflush (stdout);
}

void
cp_cli_table_free (CpCliTable *table)
{
  if (table == NULL)
    return;

  g_ptr_array_unref (table->headers);
  g_array_unref (table->right);
  g_ptr_array_unref (table->rows);
  g_free (table);
}
