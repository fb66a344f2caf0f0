/* cp-catalog-export.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Catalog exports with stock per location: CSV in exactly the columns the
 * import reads (so an export imports back unchanged), JSON for scripts,
 * XLSX for spreadsheets. Each is written to PATH.tmp and renamed over
 * PATH only when complete, so a failed export never leaves half a file.
 */

#define G_LOG_DOMAIN "cp-catalog-io"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cp-catalog-io.h"
#include "cp-catalog-io-private.h"
#include "cp-catalog.h"
#include "cp-categories.h"
#include "cp-csv.h"
#include "cp-money.h"
#include "cp-sql.h"
#include "cp-stock.h"
#include "cp-xlsx-export.h"

#define PROGRESS_EVERY 500

typedef struct
{
  CpLedger        *ledger;
  CpExportFormat   format;
  GPtrArray       *locations;  /* CpLocation*, by code */
  GPtrArray       *levels;     /* CpStockLevel*, by SKU then location code */
  GHashTable      *first_level; /* variant id → index + 1 in LEVELS */
  GPtrArray       *fields;     /* const char* */
  GHashTable      *categories; /* product id → category path */
  guint            n_columns;
  guint64          done;
  guint64          total;
  CpProgressFunc   progress;
  gpointer         progress_data;
  GCancellable    *cancellable;
  GError          *error;

  GOutputStream   *out;        /* CSV and JSON */
  CpCsvWriter     *csv;
  CpXlsxSheet     *sheet;
  guint            row;
} Export;

gboolean
cp_export_format_from_string (const char     *text,
                              CpExportFormat *out_format)
{
  static const char * const names[] = { "csv", "xlsx", "json" };

  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_ascii_strcasecmp (text, names[i]) == 0)
        {
          if (out_format != NULL)
            *out_format = (CpExportFormat) i;
          return TRUE;
        }
    }

  return FALSE;
}

static GPtrArray *
header_names (Export *export)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < CP_CATALOG_IO_N_FIXED; i++)
    g_ptr_array_add (names, g_strdup (cp_catalog_io_fixed_columns[i]));
  for (guint i = 0; i < export->fields->len; i++)
    g_ptr_array_add (names, g_strdup (g_ptr_array_index (export->fields, i)));
  for (guint i = 0; i < export->locations->len; i++)
    {
      CpLocation *location = g_ptr_array_index (export->locations, i);

      g_ptr_array_add (names, g_strdup_printf ("on_hand:%s", location->code));
    }

  return names;
}

/* The stock of VARIANT at location I (in LOCATIONS order), or NULL. */
static CpStockLevel *
level_at (Export          *export,
          const CpVariant *variant,
          guint            i)
{
  guint first = GPOINTER_TO_UINT (g_hash_table_lookup (export->first_level, &variant->id));
  CpLocation *location = g_ptr_array_index (export->locations, i);

  if (first == 0)
    return NULL;

  for (guint k = first - 1; k < export->levels->len; k++)
    {
      CpStockLevel *level = g_ptr_array_index (export->levels, k);

      if (level->variant_id != variant->id)
        break;
      if (g_str_equal (level->location_code, location->code))
        return level;
    }

  return NULL;
}

static JsonNode *
parse_attributes (const CpVariant *variant)
{
  JsonNode *node = NULL;

  if (variant->attributes_json != NULL)
    node = json_from_string (variant->attributes_json, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_clear_pointer (&node, json_node_unref);
      node = json_node_init_object (json_node_alloc (), json_object_new ());
    }

  return node;
}

/* The path of VARIANT's product's category, or NULL. */
static const char *
category_of (Export          *export,
             const CpVariant *variant)
{
  return g_hash_table_lookup (export->categories, &variant->product_id);
}

/* The cells of one row as text, in header order (CSV). */
static void
row_texts (Export          *export,
           const CpVariant *variant,
           GPtrArray       *cells)
{
  g_autoptr(JsonNode) attributes = parse_attributes (variant);
  JsonObject *object = json_node_get_object (attributes);

  g_ptr_array_add (cells, g_strdup (variant->sku));
  g_ptr_array_add (cells, g_strdup (variant->product_name));
  g_ptr_array_add (cells, g_strdup (variant->product_handle));
  g_ptr_array_add (cells, g_strdup (variant->option1));
  g_ptr_array_add (cells, g_strdup (variant->option2));
  g_ptr_array_add (cells, g_strdup (variant->option3));
  g_ptr_array_add (cells, cp_money_format_plain (variant->price_minor, variant->currency));
  g_ptr_array_add (cells, g_strdup (variant->currency));
  g_ptr_array_add (cells, variant->cost_minor >= 0
                            ? cp_money_format_plain (variant->cost_minor, variant->currency)
                            : NULL);
  g_ptr_array_add (cells, g_strdup (variant->barcode));
  g_ptr_array_add (cells, g_strdup (variant->tax_class));
  g_ptr_array_add (cells, g_strdup (cp_module_to_string (variant->module)));
  g_ptr_array_add (cells, g_strdup (category_of (export, variant)));

  for (guint i = 0; i < export->fields->len; i++)
    {
      const char *field = g_ptr_array_index (export->fields, i);

      g_ptr_array_add (cells, json_object_has_member (object, field)
                                ? cp_catalog_io_attribute_text (json_object_get_member (object, field))
                                : NULL);
    }

  for (guint i = 0; i < export->locations->len; i++)
    {
      CpStockLevel *level = level_at (export, variant, i);

      g_ptr_array_add (cells, g_strdup_printf ("%" G_GINT64_FORMAT,
                                               level != NULL ? level->on_hand : 0));
    }
}

static gboolean
write_csv_row (Export          *export,
               const CpVariant *variant)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

  row_texts (export, variant, cells);
  for (guint i = 0; i < cells->len; i++)
    cp_csv_writer_add_field (export->csv, g_ptr_array_index (cells, i));

  return cp_csv_writer_end_row (export->csv, export->cancellable, &export->error);
}

static void
add_money (JsonBuilder *builder,
           const char  *name,
           gint64       minor,
           const char  *currency)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "amount_minor");
  json_builder_add_int_value (builder, minor);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, currency);
  json_builder_end_object (builder);
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static gboolean
write_json_row (Export          *export,
                const CpVariant *variant)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  add_string_or_null (builder, "sku", variant->sku);
  add_string_or_null (builder, "name", variant->product_name);
  add_string_or_null (builder, "product", variant->product_handle);
  add_string_or_null (builder, "option1", variant->option1);
  add_string_or_null (builder, "option2", variant->option2);
  add_string_or_null (builder, "option3", variant->option3);
  add_string_or_null (builder, "barcode", variant->barcode);
  add_money (builder, "price", variant->price_minor, variant->currency);
  if (variant->cost_minor >= 0)
    add_money (builder, "cost", variant->cost_minor, variant->currency);
  else
    add_string_or_null (builder, "cost", NULL);
  add_string_or_null (builder, "tax_class", variant->tax_class);
  add_string_or_null (builder, "module", cp_module_to_string (variant->module));
  add_string_or_null (builder, "category", category_of (export, variant));
  json_builder_set_member_name (builder, "attributes");
  json_builder_add_value (builder, parse_attributes (variant));

  json_builder_set_member_name (builder, "stock");
  json_builder_begin_array (builder);
  for (guint i = 0; i < export->locations->len; i++)
    {
      CpLocation *location = g_ptr_array_index (export->locations, i);
      CpStockLevel *level = level_at (export, variant, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "location");
      json_builder_add_string_value (builder, location->code);
      json_builder_set_member_name (builder, "on_hand");
      json_builder_add_int_value (builder, level != NULL ? level->on_hand : 0);
      json_builder_set_member_name (builder, "reserved");
      json_builder_add_int_value (builder, level != NULL ? level->reserved : 0);
      json_builder_set_member_name (builder, "safety_stock");
      json_builder_add_int_value (builder, level != NULL ? level->safety_stock : 0);
      json_builder_set_member_name (builder, "available");
      json_builder_add_int_value (builder, level != NULL ? level->available : 0);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);

  return (export->done == 0 ||
          g_output_stream_write_all (export->out, ",\n", 2, NULL, export->cancellable,
                                     &export->error)) &&
         g_output_stream_write_all (export->out, text, strlen (text), NULL,
                                    export->cancellable, &export->error);
}

static void
write_xlsx_row (Export          *export,
                const CpVariant *variant)
{
  g_autoptr(JsonNode) attributes = parse_attributes (variant);
  JsonObject *object = json_node_get_object (attributes);
  guint row = ++export->row;
  guint col = 0;

  cp_xlsx_sheet_write_text (export->sheet, row, col++, variant->sku);
  cp_xlsx_sheet_write_text (export->sheet, row, col++, variant->product_name);
  cp_xlsx_sheet_write_text (export->sheet, row, col++, variant->product_handle);
  cp_xlsx_sheet_write_text (export->sheet, row, col++, variant->option1);
  cp_xlsx_sheet_write_text (export->sheet, row, col++, variant->option2);
  cp_xlsx_sheet_write_text (export->sheet, row, col++, variant->option3);
  cp_xlsx_sheet_write_money (export->sheet, row, col++, variant->price_minor, variant->currency);
  cp_xlsx_sheet_write_text (export->sheet, row, col++, variant->currency);
  if (variant->cost_minor >= 0)
    cp_xlsx_sheet_write_money (export->sheet, row, col, variant->cost_minor, variant->currency);
  col++;
  cp_xlsx_sheet_write_text (export->sheet, row, col++, variant->barcode);
  cp_xlsx_sheet_write_text (export->sheet, row, col++, variant->tax_class);
  cp_xlsx_sheet_write_text (export->sheet, row, col++, cp_module_to_string (variant->module));
  cp_xlsx_sheet_write_text (export->sheet, row, col++, category_of (export, variant));

  for (guint i = 0; i < export->fields->len; i++, col++)
    {
      const char *field = g_ptr_array_index (export->fields, i);

      if (json_object_has_member (object, field))
        {
          g_autofree char *text = cp_catalog_io_attribute_text (json_object_get_member (object, field));

          cp_xlsx_sheet_write_text (export->sheet, row, col, text);
        }
    }

  for (guint i = 0; i < export->locations->len; i++)
    {
      CpStockLevel *level = level_at (export, variant, i);

      cp_xlsx_sheet_write_integer (export->sheet, row, col++, level != NULL ? level->on_hand : 0);
    }

  /* The exact amounts, so nothing is lost to the display format. */
  cp_xlsx_sheet_write_integer (export->sheet, row, col++, variant->price_minor);
  if (variant->cost_minor >= 0)
    cp_xlsx_sheet_write_integer (export->sheet, row, col, variant->cost_minor);
}

static gboolean
export_variant (const CpVariant *variant,
                gpointer         user_data)
{
  Export *export = user_data;
  gboolean ok = TRUE;

  if (g_cancellable_set_error_if_cancelled (export->cancellable, &export->error))
    return FALSE;

  switch (export->format)
    {
    case CP_EXPORT_CSV:
      ok = write_csv_row (export, variant);
      break;
    case CP_EXPORT_JSON:
      ok = write_json_row (export, variant);
      break;
    case CP_EXPORT_XLSX:
      write_xlsx_row (export, variant);
      break;
    default:
      g_assert_not_reached ();
    }

  export->done++;
  if (export->progress != NULL && export->done % PROGRESS_EVERY == 0)
    export->progress (export->done, export->total, export->progress_data);

  return ok;
}

static gboolean
load_stock (Export  *export,
            GError **error)
{
  export->locations = cp_locations_list (export->ledger, error);
  if (export->locations == NULL)
    return FALSE;

  export->levels = cp_stock_list (export->ledger, NULL, NULL, error);
  if (export->levels == NULL)
    return FALSE;

  export->first_level = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = export->levels->len; i > 0; i--)
    {
      CpStockLevel *level = g_ptr_array_index (export->levels, i - 1);

      /* Walking backwards leaves each variant's first index. */
      g_hash_table_insert (export->first_level, &level->variant_id, GUINT_TO_POINTER (i));
    }

  return TRUE;
}

static gboolean
open_output (Export      *export,
             const char  *tmp_path,
             GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (tmp_path);
  g_autoptr(GFileOutputStream) stream = NULL;

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, export->cancellable, error);
  if (stream == NULL)
    return FALSE;

  export->out = G_OUTPUT_STREAM (g_steal_pointer (&stream));
  return TRUE;
}

static gboolean
write_export (Export      *export,
              const char  *tmp_path,
              GError     **error)
{
  g_autoptr(GPtrArray) names = header_names (export);

  switch (export->format)
    {
    case CP_EXPORT_CSV:
      if (!open_output (export, tmp_path, error))
        return FALSE;
      export->csv = cp_csv_writer_new (export->out);
      if (!cp_csv_writer_write_row (export->csv, (const char * const *) names->pdata, names->len,
                                    export->cancellable, error))
        return FALSE;
      break;

    case CP_EXPORT_JSON:
      if (!open_output (export, tmp_path, error) ||
          !g_output_stream_write_all (export->out, "{\"data\":[\n", 10, NULL,
                                      export->cancellable, error))
        return FALSE;
      break;

    case CP_EXPORT_XLSX:
      export->sheet = cp_xlsx_sheet_new (tmp_path, _("Catalog"), error);
      if (export->sheet == NULL)
        return FALSE;
      g_ptr_array_add (names, g_strdup ("price_minor"));
      g_ptr_array_add (names, g_strdup ("cost_minor"));
      cp_xlsx_sheet_set_header (export->sheet, (const char * const *) names->pdata, names->len);
      cp_xlsx_sheet_set_column (export->sheet, CP_CATALOG_IO_COLUMN_SKU, 18, FALSE);
      cp_xlsx_sheet_set_column (export->sheet, CP_CATALOG_IO_COLUMN_NAME, 36, FALSE);
      cp_xlsx_sheet_set_column (export->sheet, CP_CATALOG_IO_COLUMN_PRODUCT, 18, FALSE);
      cp_xlsx_sheet_set_column (export->sheet, CP_CATALOG_IO_COLUMN_PRICE, 12, FALSE);
      cp_xlsx_sheet_set_column (export->sheet, CP_CATALOG_IO_COLUMN_COST, 12, FALSE);
      cp_xlsx_sheet_set_column (export->sheet, CP_CATALOG_IO_COLUMN_BARCODE, 16, FALSE);
      break;

    default:
      g_set_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_FORMAT,
                   _("Unknown export format. Use csv, xlsx or json."));
      return FALSE;
    }

  if (!cp_catalog_foreach (export->ledger, export_variant, export, error))
    {
      if (export->error != NULL)
        {
          g_clear_error (error);
          g_propagate_error (error, g_steal_pointer (&export->error));
        }
      return FALSE;
    }

  switch (export->format)
    {
    case CP_EXPORT_CSV:
      return cp_csv_writer_flush (export->csv, export->cancellable, error) &&
             g_output_stream_close (export->out, export->cancellable, error);
    case CP_EXPORT_JSON:
      return g_output_stream_write_all (export->out, "\n]}\n", 4, NULL,
                                        export->cancellable, error) &&
             g_output_stream_close (export->out, export->cancellable, error);
    case CP_EXPORT_XLSX:
      {
        CpXlsxSheet *sheet = g_steal_pointer (&export->sheet);

        return cp_xlsx_sheet_close (sheet, error);
      }
    default:
      g_assert_not_reached ();
    }
}

gboolean
cp_catalog_export (CpLedger         *ledger,
                   const char       *path,
                   CpExportFormat    format,
                   CpProgressFunc    progress,
                   gpointer          progress_data,
                   GCancellable     *cancellable,
                   GError          **error)
{
  Export export = { 0, };
  g_autofree char *tmp_path = NULL;
  GError *local_error = NULL;
  gboolean own_read = FALSE;
  gboolean ok = FALSE;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (format != CP_EXPORT_CSV && format != CP_EXPORT_JSON && format != CP_EXPORT_XLSX)
    {
      g_set_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_FORMAT,
                   _("Unknown export format. Use csv, xlsx or json."));
      return FALSE;
    }

  tmp_path = g_strconcat (path, ".tmp", NULL);
  export.ledger = ledger;
  export.format = format;
  export.fields = cp_catalog_io_all_fields ();
  export.progress = progress;
  export.progress_data = progress_data;
  export.cancellable = cancellable;

  /* One read transaction: the catalog and its stock from one moment,
   * even while the window or a sync writes. */
  if (!cp_ledger_in_transaction (ledger))
    {
      if (!cp_sql_exec (ledger, "BEGIN DEFERRED", _("Could not read the catalog"), &local_error))
        goto out;
      own_read = TRUE;
    }

  export.total = cp_catalog_count_variants (ledger);
  if (!load_stock (&export, &local_error))
    goto out;
  export.categories = cp_categories_product_paths (ledger, &local_error);
  if (export.categories == NULL)
    goto out;

  ok = write_export (&export, tmp_path, &local_error);

out:
  if (own_read)
    cp_sql_exec (ledger, "COMMIT", _("Could not read the catalog"), NULL);

  if (export.sheet != NULL)
    cp_xlsx_sheet_abort (g_steal_pointer (&export.sheet));
  g_clear_pointer (&export.csv, cp_csv_writer_free);
  if (export.out != NULL && !g_output_stream_is_closed (export.out))
    g_output_stream_close (export.out, NULL, NULL);
  g_clear_object (&export.out);

  if (ok && g_rename (tmp_path, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (&local_error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_IO,
                   _("Cannot write “%s”: %s. Check that the folder is writable."),
                   path, g_strerror (saved_errno));
      ok = FALSE;
    }

  if (!ok)
    {
      g_unlink (tmp_path);
      if (local_error != NULL &&
          local_error->domain != CP_CATALOG_IO_ERROR &&
          !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          local_error->domain != CP_LEDGER_ERROR)
        {
          g_set_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_IO,
                       _("Cannot write “%s”: %s. Check that the folder is writable and the "
                         "disk is not full."),
                       path, local_error->message);
          g_error_free (local_error);
        }
      else
        g_propagate_error (error, local_error);
    }
  else if (progress != NULL)
    progress (export.done, export.total, progress_data);

  /* The index first: its keys point into the levels. */
  g_clear_pointer (&export.first_level, g_hash_table_unref);
  g_clear_pointer (&export.levels, g_ptr_array_unref);
  g_clear_pointer (&export.locations, g_ptr_array_unref);
  g_clear_pointer (&export.fields, g_ptr_array_unref);
  g_clear_pointer (&export.categories, g_hash_table_unref);

  return ok;
}
