/* cp-catalog-import-rows.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading and checking the catalog CSV: the header, then each row. Every
 * problem is noted with its line, column and what to do, and reading goes
 * on, so one pass finds them all. Columns that are not in the file leave
 * the stored values alone, so a spreadsheet with only sku,name,price can
 * update prices without erasing barcodes.
 */

#define G_LOG_DOMAIN "cp-catalog-io"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cp-catalog-import-private.h"
#include "cp-categories.h"
#include "cp-money.h"

static void
column_free (gpointer data)
{
  CpImportColumn *column = data;

  g_free (column->name);
  g_free (column);
}

static void
row_plan_free (gpointer data)
{
  CpImportRowPlan *plan = data;

  cp_variant_free (plan->variant);
  g_free (plan->on_hand);
  g_free (plan->has_on_hand);
  g_free (plan->category);
  g_free (plan);
}

static void
seen_free (gpointer data)
{
  CpImportSeen *seen = data;

  g_free (seen->sku);
  g_free (seen->name);
  g_free (seen->category);
  g_free (seen);
}

void
cp_catalog_import_state_clear (CpImportState *import)
{
  g_clear_pointer (&import->columns, g_ptr_array_unref);
  g_clear_pointer (&import->field_columns, g_array_unref);
  g_clear_pointer (&import->stock_columns, g_array_unref);
  g_clear_pointer (&import->locations, g_ptr_array_unref);
  g_clear_pointer (&import->plans, g_ptr_array_unref);
  g_clear_pointer (&import->skus, g_hash_table_unref);
  g_clear_pointer (&import->barcodes, g_hash_table_unref);
  g_clear_pointer (&import->products, g_hash_table_unref);
}

void
cp_catalog_import_state_init (CpImportState  *import,
                              CpLedger       *ledger,
                              CpImportReport *report)
{
  memset (import, 0, sizeof *import);
  import->ledger = ledger;
  import->report = report;
  for (guint f = 0; f < CP_CATALOG_IO_N_FIXED; f++)
    import->fixed[f] = -1;
  import->field_columns = g_array_new (FALSE, FALSE, sizeof (guint));
  import->stock_columns = g_array_new (FALSE, FALSE, sizeof (guint));
  import->plans = g_ptr_array_new_with_free_func (row_plan_free);
  import->skus = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, seen_free);
  import->barcodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, seen_free);
  import->products = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, seen_free);
}

/* COLUMN_INDEX is the 0-based header index, or -1 for the whole line. */
void
cp_catalog_import_add_problem (CpImportState     *import,
             guint       line,
             int         column_index,
             const char *format,
             ...)
{
  CpImportProblem *problem = g_new0 (CpImportProblem, 1);
  va_list args;

  problem->line = line;
  if (column_index >= 0)
    {
      problem->column = column_index + 1;
      if (import->columns != NULL && (guint) column_index < import->columns->len)
        problem->column_name = g_strdup (((CpImportColumn *) g_ptr_array_index (import->columns,
                                                                        column_index))->name);
    }

  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (import->report->problems, problem);
}

/* Header */

static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }

  return row[lb];
}

static char *
known_columns_text (CpImportState *import)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) fields = cp_catalog_io_all_fields ();

  for (guint i = 0; i < CP_CATALOG_IO_N_FIXED; i++)
    g_string_append_printf (text, "%s, ", cp_catalog_io_fixed_columns[i]);
  for (guint i = 0; i < fields->len; i++)
    g_string_append_printf (text, "%s, ", (const char *) g_ptr_array_index (fields, i));
  g_string_append (text, "on_hand:<LOCATION_CODE>");

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
location_codes_text (CpImportState *import)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < import->locations->len; i++)
    {
      CpLocation *location = g_ptr_array_index (import->locations, i);

      g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", location->code);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
cp_catalog_import_read_header (CpImportState *import,
                               CpCsvReader   *reader)
{
  g_autoptr(GPtrArray) fields = cp_catalog_io_all_fields ();
  guint n = cp_csv_reader_get_n_fields (reader);

  import->columns = g_ptr_array_new_with_free_func (column_free);

  for (guint i = 0; i < n; i++)
    {
      CpImportColumn *column = g_new0 (CpImportColumn, 1);
      g_autofree char *lower = NULL;
      gboolean known = FALSE;

      column->name = g_strstrip (g_strdup (cp_csv_reader_get_field (reader, i)));
      lower = g_ascii_strdown (column->name, -1);
      g_ptr_array_add (import->columns, column);

      for (guint f = 0; f < CP_CATALOG_IO_N_FIXED && !known; f++)
        {
          if (!g_str_equal (lower, cp_catalog_io_fixed_columns[f]))
            continue;
          known = TRUE;
          column->kind = f;
          if (import->fixed[f] >= 0)
            cp_catalog_import_add_problem (import, 1, i,
                                           _("The column “%s” appears twice (also column %d). "
                                             "Remove one of them."),
                                           column->name, import->fixed[f] + 1);
          else
            import->fixed[f] = i;
        }

      for (guint f = 0; f < fields->len && !known; f++)
        {
          if (!g_str_equal (lower, g_ptr_array_index (fields, f)))
            continue;
          known = TRUE;
          column->kind = CP_CATALOG_IO_COLUMN_FIELD;
          column->field = g_ptr_array_index (fields, f);
          for (guint k = 0; k < import->field_columns->len; k++)
            {
              CpImportColumn *other = g_ptr_array_index (import->columns,
                                                 g_array_index (import->field_columns, guint, k));

              if (other->field == column->field)
                {
                  cp_catalog_import_add_problem (import, 1, i,
                                                 _("The column “%s” appears twice. Remove one of "
                                                   "them."),
                                                 column->name);
                  column->kind = CP_CATALOG_IO_COLUMN_IGNORED;
                  break;
                }
            }
          if (column->kind == CP_CATALOG_IO_COLUMN_FIELD)
            g_array_append_val (import->field_columns, i);
        }

      /* The exact amounts an XLSX export adds: the price and cost columns
       * say the same, so a sheet saved back as CSV imports as it is. */
      if (!known && (g_str_equal (lower, "price_minor") || g_str_equal (lower, "cost_minor")))
        {
          known = TRUE;
          column->kind = CP_CATALOG_IO_COLUMN_IGNORED;
        }

      if (!known && g_str_has_prefix (lower, "on_hand:"))
        {
          const char *code = column->name + strlen ("on_hand:");

          known = TRUE;
          column->kind = CP_CATALOG_IO_COLUMN_ON_HAND;
          for (guint l = 0; l < import->locations->len && column->location == NULL; l++)
            {
              CpLocation *location = g_ptr_array_index (import->locations, l);

              if (g_str_equal (location->code, code))
                column->location = location;
            }
          for (guint l = 0; l < import->locations->len && column->location == NULL; l++)
            {
              CpLocation *location = g_ptr_array_index (import->locations, l);

              if (g_ascii_strcasecmp (location->code, code) == 0)
                column->location = location;
            }

          if (column->location == NULL)
            {
              g_autofree char *codes = location_codes_text (import);

              column->kind = CP_CATALOG_IO_COLUMN_IGNORED;
              cp_catalog_import_add_problem (import, 1, i,
                                             _("No location has the code “%s”. Known codes: %s. "
                                               "Rename the column, or create the location first "
                                               "with `counterpart-cli locations add %s --name "
                                               "NAME`."),
                                             code, codes, *code != '\0' ? code : "CODE");
            }
          else
            {
              for (guint k = 0; k < import->stock_columns->len; k++)
                {
                  CpImportColumn *other = g_ptr_array_index (import->columns,
                                                     g_array_index (import->stock_columns, guint, k));

                  if (other->location == column->location)
                    {
                      cp_catalog_import_add_problem (import, 1, i,
                                                     _("The stock of location %s appears twice. "
                                                       "Remove one of the columns."),
                                                     column->location->code);
                      column->kind = CP_CATALOG_IO_COLUMN_IGNORED;
                      break;
                    }
                }
              if (column->kind == CP_CATALOG_IO_COLUMN_ON_HAND)
                g_array_append_val (import->stock_columns, i);
            }
        }

      if (!known)
        {
          g_autofree char *names = known_columns_text (import);
          const char *best = NULL;
          guint best_distance = 3;

          column->kind = CP_CATALOG_IO_COLUMN_IGNORED;
          for (guint f = 0; f < CP_CATALOG_IO_N_FIXED; f++)
            {
              guint d = edit_distance (lower, cp_catalog_io_fixed_columns[f]);

              if (d < best_distance)
                best = cp_catalog_io_fixed_columns[f], best_distance = d;
            }
          for (guint f = 0; f < fields->len; f++)
            {
              guint d = edit_distance (lower, g_ptr_array_index (fields, f));

              if (d < best_distance)
                best = g_ptr_array_index (fields, f), best_distance = d;
            }

          if (*column->name == '\0')
            cp_catalog_import_add_problem (import, 1, i,
                                           _("This column has no name. Name it (known columns: %s) "
                                             "or delete it."),
                                           names);
          else if (best != NULL)
            cp_catalog_import_add_problem (import, 1, i,
                                           _("“%s” is not a known column. Did you mean “%s”? Known "
                                             "columns: %s."),
                                           column->name, best, names);
          else
            cp_catalog_import_add_problem (import, 1, i,
                                           _("“%s” is not a known column. Rename it to one of: %s; "
                                             "or delete it."),
                                           column->name, names);
        }
    }

  for (guint f = 0; f < 3; f++)
    {
      /* sku, name and price are required; they are not first in export
       * order, so name them explicitly. */
      static const CpCatalogIoColumn required[] = {
        CP_CATALOG_IO_COLUMN_SKU, CP_CATALOG_IO_COLUMN_NAME, CP_CATALOG_IO_COLUMN_PRICE,
      };
      CpCatalogIoColumn kind = required[f];

      if (import->fixed[kind] < 0)
        {
          CpImportProblem *problem = g_new0 (CpImportProblem, 1);

          problem->line = 1;
          problem->column_name = g_strdup (cp_catalog_io_fixed_columns[kind]);
          problem->message = g_strdup_printf (_("The required column “%s” is missing. The "
                                                "first line must name the columns, with at "
                                                "least sku, name and price."),
                                              cp_catalog_io_fixed_columns[kind]);
          g_ptr_array_add (import->report->problems, problem);
        }
    }
}

/* Rows */

static const char *
fixed_cell (CpImportState     *import,
            CpCsvReader       *reader,
            CpCatalogIoColumn  kind)
{
  int index = import->fixed[kind];

  return index >= 0 ? cp_csv_reader_get_field (reader, index) : NULL;
}

/* NULL for an empty cell, so "no barcode" is stored as none. */
static char *
dup_or_null (const char *text)
{
  return (text != NULL && *text != '\0') ? g_strdup (text) : NULL;
}

/* Codes people type and find again later: no spaces at the ends, no
 * line breaks, at most 64 characters. Same rule as the catalog. */
static gboolean
is_clean_code (const char *text)
{
  gsize len = strlen (text);

  if (len == 0 || g_utf8_strlen (text, -1) > 64)
    return FALSE;
  if (g_ascii_isspace (text[0]) || g_ascii_isspace (text[len - 1]))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || (p == text && g_unichar_isspace (c)))
        return FALSE;
    }
  if (g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (text + len))))
    return FALSE;

  return TRUE;
}

/* The existing attributes with the file's module fields applied, or NULL
 * when nothing changes (keep the stored text as it is, so an unchanged
 * row stays unchanged whatever JSON spelling the ledger holds). */
static char *
merge_attributes (CpImportState *import,
                  CpCsvReader   *reader,
                  const char    *existing_json)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  gboolean modified = FALSE;

  if (import->field_columns->len == 0)
    return NULL;

  if (existing_json != NULL)
    root = json_from_string (existing_json, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_clear_pointer (&root, json_node_unref);
      root = json_node_init_object (json_node_alloc (), json_object_new ());
      modified = TRUE;
    }
  object = json_node_get_object (root);

  for (guint k = 0; k < import->field_columns->len; k++)
    {
      guint index = g_array_index (import->field_columns, guint, k);
      CpImportColumn *column = g_ptr_array_index (import->columns, index);
      const char *text = cp_csv_reader_get_field (reader, index);
      JsonNode *node = json_object_get_member (object, column->field);

      if (*text == '\0')
        {
          if (node != NULL)
            {
              json_object_remove_member (object, column->field);
              modified = TRUE;
            }
        }
      else
        {
          g_autofree char *current = node != NULL ? cp_catalog_io_attribute_text (node) : NULL;

          if (g_strcmp0 (current, text) != 0)
            {
              json_object_set_string_member (object, column->field, text);
              modified = TRUE;
            }
        }
    }

  return modified ? json_to_string (root, FALSE) : NULL;
}

static gboolean
parse_money_cell (CpImportState *import,
                  CpCsvReader   *reader,
                  guint          line,
                  int            index,
                  const char    *currency,
                  gint64        *out_minor)
{
  g_autofree char *text = g_strstrip (g_strdup (cp_csv_reader_get_field (reader, index)));
  g_autoptr(GError) local_error = NULL;

  if (!cp_money_parse (text, currency, out_minor, &local_error))
    {
      if (g_error_matches (local_error, CP_MONEY_ERROR, CP_MONEY_ERROR_PRECISION))
        cp_catalog_import_add_problem (import, line, index,
                                       ngettext ("“%s” has more decimals than %s has (%u). Round "
                                                 "it, like 19.99.",
                                                 "“%s” has more decimals than %s has (%u). Round "
                                                 "it, like 19.99.",
                                                 cp_currency_exponent (currency)),
                                       text, currency, cp_currency_exponent (currency));
      else if (g_error_matches (local_error, CP_MONEY_ERROR, CP_MONEY_ERROR_RANGE))
        cp_catalog_import_add_problem (import, line, index,
                                       _("“%s” is too large an amount. Check the number, like "
                                         "19.99."), text);
      else
        cp_catalog_import_add_problem (import, line, index,
                                       _("“%s” is not an amount. Write it in major units of %s "
                                         "with a dot for decimals and no currency sign or "
                                         "thousands separator, like 19.99."),
                                       text, currency);
      return FALSE;
    }
  if (*out_minor < 0)
    {
      cp_catalog_import_add_problem (import, line, index,
                                     _("“%s” is negative. Enter zero or more, like 19.99."), text);
      return FALSE;
    }

  return TRUE;
}

/* Checks one data row and, when it is good, plans its write. Returns
 * FALSE only when the ledger itself failed (ERROR set). */
gboolean
cp_catalog_import_process_row (CpImportState  *import,
                               CpCsvReader    *reader,
                               GError        **error)
{
  guint line = cp_csv_reader_get_line (reader);
  guint problems_before = import->report->problems->len;
  const char *sku = fixed_cell (import, reader, CP_CATALOG_IO_COLUMN_SKU);
  const char *name = fixed_cell (import, reader, CP_CATALOG_IO_COLUMN_NAME);
  const char *text;
  g_autoptr(CpVariant) variant = NULL;
  g_autofree char *merged = NULL;
  g_autofree gint64 *on_hand = g_new0 (gint64, import->stock_columns->len + 1);
  g_autofree gboolean *has_on_hand = g_new0 (gboolean, import->stock_columns->len + 1);
  const char *currency;
  const char *handle;
  g_autofree char *category = NULL;
  gboolean currency_ok = TRUE;
  gboolean sku_ok = FALSE;
  CpImportSeen *seen;

  if (sku == NULL || *sku == '\0')
    cp_catalog_import_add_problem (import, line, import->fixed[CP_CATALOG_IO_COLUMN_SKU],
                                   _("The SKU is empty. Every row needs a SKU, the code that "
                                     "identifies the product variant."));
  else if (!is_clean_code (sku))
    cp_catalog_import_add_problem (import, line, import->fixed[CP_CATALOG_IO_COLUMN_SKU],
                                   _("“%s” cannot be a SKU. Use 1 to 64 characters without spaces "
                                     "at either end or line breaks."),
                                   sku);
  else if ((seen = g_hash_table_lookup (import->skus, sku)) != NULL)
    cp_catalog_import_add_problem (import, line, import->fixed[CP_CATALOG_IO_COLUMN_SKU],
                                   _("The SKU “%s” is also on line %u. A SKU may appear once: "
                                     "remove one of the rows or give it another SKU."),
                                   sku, seen->line);
  else
    {
      GError *local_error = NULL;

      sku_ok = TRUE;
      seen = g_new0 (CpImportSeen, 1);
      seen->line = line;
      g_hash_table_insert (import->skus, g_strdup (sku), seen);

      variant = cp_catalog_get_by_sku (import->ledger, sku, &local_error);
      if (variant == NULL)
        {
          if (!g_error_matches (local_error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, local_error);
              return FALSE;
            }
          g_clear_error (&local_error);
        }
    }

  if (variant == NULL)
    {
      variant = cp_variant_new ();
      variant->sku = g_strdup (sku);
    }

  if (name == NULL || *name == '\0')
    cp_catalog_import_add_problem (import, line, import->fixed[CP_CATALOG_IO_COLUMN_NAME],
                                   _("The name is empty. Give every product a name."));
  else
    {
      g_free (variant->product_name);
      variant->product_name = g_strdup (name);
    }

  /* Currency first: the price is read in it. */
  text = fixed_cell (import, reader, CP_CATALOG_IO_COLUMN_CURRENCY);
  if (text != NULL || variant->id == 0)
    {
      g_autofree char *stripped = text != NULL ? g_strstrip (g_strdup (text)) : NULL;
      g_autofree char *code = stripped != NULL ? g_ascii_strup (stripped, -1) : NULL;

      if (code == NULL || *code == '\0')
        g_strlcpy (variant->currency, cp_ledger_get_currency (import->ledger),
                   sizeof variant->currency);
      else if (!cp_currency_is_valid (code))
        {
          cp_catalog_import_add_problem (import, line, import->fixed[CP_CATALOG_IO_COLUMN_CURRENCY],
                                         _("“%s” is not a currency code. Use a three-letter ISO "
                                           "4217 code such as USD, EUR or JPY, or leave it empty "
                                           "for the shop currency."),
                                         text);
          currency_ok = FALSE;
        }
      else
        g_strlcpy (variant->currency, code, sizeof variant->currency);
    }
  currency = variant->currency;

  text = fixed_cell (import, reader, CP_CATALOG_IO_COLUMN_PRICE);
  if (text != NULL && currency_ok)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (text));

      if (*stripped == '\0')
        cp_catalog_import_add_problem (import, line, import->fixed[CP_CATALOG_IO_COLUMN_PRICE],
                                       _("The price is empty. Enter it in major units, like "
                                         "19.99."));
      else
        parse_money_cell (import, reader, line, import->fixed[CP_CATALOG_IO_COLUMN_PRICE],
                          currency, &variant->price_minor);
    }

  text = fixed_cell (import, reader, CP_CATALOG_IO_COLUMN_COST);
  if (text != NULL && currency_ok)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (text));

      if (*stripped == '\0')
        variant->cost_minor = -1;
      else
        parse_money_cell (import, reader, line, import->fixed[CP_CATALOG_IO_COLUMN_COST],
                          currency, &variant->cost_minor);
    }

  text = fixed_cell (import, reader, CP_CATALOG_IO_COLUMN_BARCODE);
  if (text != NULL)
    {
      int index = import->fixed[CP_CATALOG_IO_COLUMN_BARCODE];

      if (*text != '\0' && !is_clean_code (text))
        cp_catalog_import_add_problem (import, line, index,
                                       _("“%s” cannot be a barcode. Use the digits or characters "
                                         "printed under the bars, without spaces at either end."),
                                       text);
      else if (*text != '\0' && (seen = g_hash_table_lookup (import->barcodes, text)) != NULL)
        cp_catalog_import_add_problem (import, line, index,
                                       _("The barcode %s is also on line %u (SKU “%s”). A barcode "
                                         "belongs to one product only: correct one of the rows."),
                                       text, seen->line, seen->sku);
      else if (*text != '\0')
        {
          seen = g_new0 (CpImportSeen, 1);
          seen->line = line;
          seen->sku = g_strdup (sku);
          g_hash_table_insert (import->barcodes, g_strdup (text), seen);

          /* Only a new barcode can clash with another SKU's. */
          if (g_strcmp0 (variant->barcode, text) != 0)
            {
              g_autoptr(CpVariant) owner = NULL;
              GError *local_error = NULL;

              owner = cp_catalog_get_by_barcode (import->ledger, text, &local_error);
              if (owner == NULL &&
                  !g_error_matches (local_error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND))
                {
                  g_propagate_error (error, local_error);
                  return FALSE;
                }
              g_clear_error (&local_error);

              if (owner != NULL && g_strcmp0 (owner->sku, sku) != 0)
                cp_catalog_import_add_problem (import, line, index,
                                               _("The barcode %s already belongs to SKU “%s” in "
                                                 "the catalog. A barcode belongs to one product "
                                                 "only: correct one of them."),
                                               text, owner->sku);
            }
        }

      g_free (variant->barcode);
      variant->barcode = dup_or_null (text);
    }

  text = fixed_cell (import, reader, CP_CATALOG_IO_COLUMN_PRODUCT);
  if (text != NULL)
    {
      g_free (variant->product_handle);
      variant->product_handle = dup_or_null (text);
    }

#define SET_OPTIONAL(kind, member) \
  G_STMT_START { \
    text = fixed_cell (import, reader, kind); \
    if (text != NULL) \
      { \
        g_free (variant->member); \
        variant->member = dup_or_null (text); \
      } \
  } G_STMT_END
  SET_OPTIONAL (CP_CATALOG_IO_COLUMN_OPTION1, option1);
  SET_OPTIONAL (CP_CATALOG_IO_COLUMN_OPTION2, option2);
  SET_OPTIONAL (CP_CATALOG_IO_COLUMN_OPTION3, option3);
  SET_OPTIONAL (CP_CATALOG_IO_COLUMN_TAX_CLASS, tax_class);
#undef SET_OPTIONAL

  text = fixed_cell (import, reader, CP_CATALOG_IO_COLUMN_MODULE);
  if (text != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (text));
      g_autofree char *lower = g_ascii_strdown (stripped, -1);
      CpModule module = CP_MODULE_GENERAL;

      if (*lower != '\0' && !cp_module_from_string (lower, &module))
        cp_catalog_import_add_problem (import, line, import->fixed[CP_CATALOG_IO_COLUMN_MODULE],
                                       _("“%s” is not a data module. Use one of general, "
                                         "motorcycle, spares, wood, rental, manufacturing (or "
                                         "leave it empty for general)."),
                                       text);
      variant->module = module;
    }

  /* The category is the product's, by path; created when written.
   * Names compare without ASCII case, as the ledger's NOCASE does. */
  text = fixed_cell (import, reader, CP_CATALOG_IO_COLUMN_CATEGORY);
  if (text != NULL && *text != '\0')
    {
      g_autoptr(GError) local_error = NULL;

      category = cp_category_path_normalize (text, &local_error);
      if (category == NULL)
        cp_catalog_import_add_problem (import, line, import->fixed[CP_CATALOG_IO_COLUMN_CATEGORY],
                                       "%s", local_error->message);
    }

  merged = merge_attributes (import, reader, variant->attributes_json);
  if (merged != NULL)
    {
      g_free (variant->attributes_json);
      variant->attributes_json = g_steal_pointer (&merged);
    }

  /* A product's name and module are the product's: its rows must agree. */
  handle = variant->product_handle != NULL ? variant->product_handle : sku;
  if (sku_ok && variant->product_name != NULL)
    {
      seen = g_hash_table_lookup (import->products, handle);
      if (seen == NULL)
        {
          seen = g_new0 (CpImportSeen, 1);
          seen->line = line;
          seen->name = g_strdup (variant->product_name);
          seen->module = variant->module;
          seen->category = g_strdup (category);
          g_hash_table_insert (import->products, g_strdup (handle), seen);
        }
      else if (!g_str_equal (seen->name, variant->product_name))
        cp_catalog_import_add_problem (import, line, import->fixed[CP_CATALOG_IO_COLUMN_NAME],
                                       _("Line %u names the product “%s” “%s”, this line “%s”. The "
                                         "rows of one product share its name: use the same name, "
                                         "or another product handle."),
                                       seen->line, handle, seen->name, variant->product_name);
      else if (seen->module != (int) variant->module)
        cp_catalog_import_add_problem (import, line, import->fixed[CP_CATALOG_IO_COLUMN_MODULE],
                                       _("Line %u puts the product “%s” in the module %s, this "
                                         "line in %s. The rows of one product share its module."),
                                       seen->line, handle, cp_module_to_string (seen->module),
                                       cp_module_to_string (variant->module));
      else if (import->fixed[CP_CATALOG_IO_COLUMN_CATEGORY] >= 0 &&
               ((seen->category == NULL) != (category == NULL) ||
                (category != NULL && g_ascii_strcasecmp (seen->category, category) != 0)))
        cp_catalog_import_add_problem (import, line, import->fixed[CP_CATALOG_IO_COLUMN_CATEGORY],
                                       _("Line %u puts the product “%s” in the category “%s”, "
                                         "this line in “%s”. The rows of one product share its "
                                         "category: use the same path."),
                                       seen->line, handle,
                                       seen->category != NULL ? seen->category : "",
                                       category != NULL ? category : "");
    }

  for (guint k = 0; k < import->stock_columns->len; k++)
    {
      guint index = g_array_index (import->stock_columns, guint, k);
      g_autofree char *stripped = g_strstrip (g_strdup (cp_csv_reader_get_field (reader, index)));

      if (*stripped == '\0')
        continue;
      if (!g_ascii_string_to_signed (stripped, 10, -1000000000, 1000000000, &on_hand[k], NULL))
        cp_catalog_import_add_problem (import, line, index,
                                       _("“%s” is not a whole number of units. Enter the count on "
                                         "hand, like 12, or leave it empty to keep the stock as it "
                                         "is."),
                                       stripped);
      else
        has_on_hand[k] = TRUE;
    }

  /* Once anything is wrong nothing will be written: stop planning. */
  if (import->report->problems->len == 0 && problems_before == 0)
    {
      CpImportRowPlan *plan = g_new0 (CpImportRowPlan, 1);

      plan->line = line;
      plan->variant = g_steal_pointer (&variant);
      plan->on_hand = g_steal_pointer (&on_hand);
      plan->has_on_hand = g_steal_pointer (&has_on_hand);
      plan->has_category = import->fixed[CP_CATALOG_IO_COLUMN_CATEGORY] >= 0;
      plan->category = g_steal_pointer (&category);
      g_ptr_array_add (import->plans, plan);
    }

  return TRUE;
}
