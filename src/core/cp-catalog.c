/* cp-catalog.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Products and variants (locations are in cp-locations.c). Upserts compare before writing so an
 * import of an unchanged catalog changes nothing (and pushes nothing to
 * the shop's platforms), and keep variants_fts in step in the same
 * transaction so search never shows a row that is not there.
 */

#define G_LOG_DOMAIN "cp-catalog"

#include "config.h"

#include <inttypes.h>

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cp-catalog.h"
#include "cp-catalog-private.h"
#include "cp-money.h"
#include "cp-sql.h"

/* Modules */

static const char * const module_names[CP_N_MODULES] = {
  "general", "motorcycle", "spares", "wood", "rental", "manufacturing",
};

static const char * const general_fields[] = { NULL };
static const char * const motorcycle_fields[] = { "brand", "model", "year", NULL };
static const char * const spares_fields[] = { "part_number", "compatibility", NULL };
static const char * const wood_fields[] = { "dimensions", "type", NULL };
static const char * const rental_fields[] = { "rental_duration", "deposit", NULL };
static const char * const manufacturing_fields[] = { "material_type", "bom", NULL };

static const char * const * const module_field_lists[CP_N_MODULES] = {
  general_fields, motorcycle_fields, spares_fields,
  wood_fields, rental_fields, manufacturing_fields,
};

const char *
cp_module_to_string (CpModule module)
{
  g_return_val_if_fail (module < CP_N_MODULES, NULL);

  return module_names[module];
}

gboolean
cp_module_from_string (const char *text,
                       CpModule   *out_module)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < CP_N_MODULES; i++)
    {
      if (g_str_equal (text, module_names[i]))
        {
          if (out_module != NULL)
            *out_module = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char * const *
cp_module_fields (CpModule module)
{
  g_return_val_if_fail (module < CP_N_MODULES, general_fields);

  return module_field_lists[module];
}

/* Codes and SKUs are typed by people and matched exactly later, so a
 * stray space or newline would make a record nobody can find again. */
gboolean
cp_catalog_is_clean_key (const char *text,
                         gsize       max_chars)
{
  gsize n_chars;

  if (text == NULL || *text == '\0' || !g_utf8_validate (text, -1, NULL))
    return FALSE;

  n_chars = g_utf8_strlen (text, -1);
  if (n_chars > max_chars)
    return FALSE;

  if (g_unichar_isspace (g_utf8_get_char (text)) ||
      g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (text + strlen (text)))))
    return FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

/* Variants */

CpVariant *
cp_variant_new (void)
{
  CpVariant *variant = g_new0 (CpVariant, 1);

  variant->cost_minor = -1;
  variant->module = CP_MODULE_GENERAL;
  variant->attributes_json = g_strdup ("{}");

  return variant;
}

CpVariant *
cp_variant_copy (const CpVariant *variant)
{
  CpVariant *copy;

  g_return_val_if_fail (variant != NULL, NULL);

  copy = g_memdup2 (variant, sizeof *variant);
  copy->product_handle = g_strdup (variant->product_handle);
  copy->product_name = g_strdup (variant->product_name);
  copy->sku = g_strdup (variant->sku);
  copy->barcode = g_strdup (variant->barcode);
  copy->option1 = g_strdup (variant->option1);
  copy->option2 = g_strdup (variant->option2);
  copy->option3 = g_strdup (variant->option3);
  copy->tax_class = g_strdup (variant->tax_class);
  copy->attributes_json = g_strdup (variant->attributes_json);

  return copy;
}

void
cp_variant_free (CpVariant *variant)
{
  if (variant == NULL)
    return;

  g_free (variant->product_handle);
  g_free (variant->product_name);
  g_free (variant->sku);
  g_free (variant->barcode);
  g_free (variant->option1);
  g_free (variant->option2);
  g_free (variant->option3);
  g_free (variant->tax_class);
  g_free (variant->attributes_json);
  g_free (variant);
}

#define VARIANT_COLUMNS \
  "v.id, v.product_id, p.handle, p.name, v.sku, v.barcode, v.option1, v.option2, " \
  "v.option3, v.price_minor, v.cost_minor, v.currency, v.tax_class, p.module, v.attributes "

static CpVariant *
variant_from_row (sqlite3_stmt *stmt)
{
  CpVariant *variant = g_new0 (CpVariant, 1);

  variant->id = sqlite3_column_int64 (stmt, 0);
  variant->product_id = sqlite3_column_int64 (stmt, 1);
  variant->product_handle = cp_sql_dup_text (stmt, 2);
  variant->product_name = cp_sql_dup_text (stmt, 3);
  variant->sku = cp_sql_dup_text (stmt, 4);
  variant->barcode = cp_sql_dup_text (stmt, 5);
  variant->option1 = cp_sql_dup_text (stmt, 6);
  variant->option2 = cp_sql_dup_text (stmt, 7);
  variant->option3 = cp_sql_dup_text (stmt, 8);
  variant->price_minor = sqlite3_column_int64 (stmt, 9);
  variant->cost_minor = sqlite3_column_type (stmt, 10) == SQLITE_NULL
                          ? -1 : sqlite3_column_int64 (stmt, 10);
  g_strlcpy (variant->currency, (const char *) sqlite3_column_text (stmt, 11),
             sizeof variant->currency);
  variant->tax_class = cp_sql_dup_text (stmt, 12);
  if (!cp_module_from_string ((const char *) sqlite3_column_text (stmt, 13), &variant->module))
    variant->module = CP_MODULE_GENERAL;
  variant->attributes_json = cp_sql_dup_text (stmt, 14);

  return variant;
}

static CpVariant *
get_variant (CpLedger    *ledger,
             const char  *sql,
             const char  *key,
             gint64       id,
             gboolean    *out_found,
             GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  *out_found = FALSE;

  stmt = cp_ledger_prepare_cached (ledger, sql, error);
  if (stmt == NULL)
    return NULL;

  if (key != NULL)
    cp_sql_bind_text (stmt, 1, key);
  else
    sqlite3_bind_int64 (stmt, 1, id);

  rc = cp_sql_step (ledger, stmt, _("Could not read the catalog"), error);
  if (rc != SQLITE_ROW)
    return NULL;

  *out_found = TRUE;
  return variant_from_row (stmt);
}

CpVariant *
cp_catalog_get_by_sku (CpLedger    *ledger,
                       const char  *sku,
                       GError     **error)
{
  GError *local_error = NULL;
  CpVariant *variant;
  gboolean found;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  variant = get_variant (ledger,
                         "SELECT " VARIANT_COLUMNS "FROM variants v "
                         "JOIN products p ON p.id = v.product_id WHERE v.sku = ?1",
                         sku != NULL ? sku : "", 0, &found, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else if (!found)
    g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND,
                 _("There is no product with the SKU “%s”. Check the SKU, or add the product "
                   "to the catalog first."),
                 sku != NULL ? sku : "");

  return variant;
}

CpVariant *
cp_catalog_get_by_barcode (CpLedger    *ledger,
                           const char  *barcode,
                           GError     **error)
{
  GError *local_error = NULL;
  CpVariant *variant;
  gboolean found;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  variant = get_variant (ledger,
                         "SELECT " VARIANT_COLUMNS "FROM variants v "
                         "JOIN products p ON p.id = v.product_id WHERE v.barcode = ?1",
                         barcode != NULL ? barcode : "", 0, &found, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else if (!found)
    g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND,
                 _("No product has the barcode “%s”. Check the label, or add the barcode to "
                   "the product in the catalog."),
                 barcode != NULL ? barcode : "");

  return variant;
}

CpVariant *
cp_catalog_get_by_id (CpLedger    *ledger,
                      gint64       id,
                      GError     **error)
{
  GError *local_error = NULL;
  CpVariant *variant;
  gboolean found;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  variant = get_variant (ledger,
                         "SELECT " VARIANT_COLUMNS "FROM variants v "
                         "JOIN products p ON p.id = v.product_id WHERE v.id = ?1",
                         NULL, id, &found, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else if (!found)
    g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND,
                 _("The product variant %" PRId64 " no longer exists."), id);

  return variant;
}

gint64
cp_catalog_count_variants (CpLedger *ledger)
{
  g_return_val_if_fail (CP_IS_LEDGER (ledger), 0);

  return cp_sql_query_int (ledger, "SELECT count (*) FROM variants", 0);
}

gint64
cp_catalog_count_products (CpLedger *ledger)
{
  g_return_val_if_fail (CP_IS_LEDGER (ledger), 0);

  return cp_sql_query_int (ledger, "SELECT count (*) FROM products", 0);
}

gboolean
cp_catalog_foreach (CpLedger       *ledger,
                    CpVariantFunc   func,
                    gpointer        user_data,
                    GError        **error)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* Not cached: FUNC may well look variants up itself. */
  stmt = cp_ledger_prepare (ledger,
                            "SELECT " VARIANT_COLUMNS "FROM variants v "
                            "JOIN products p ON p.id = v.product_id ORDER BY v.sku",
                            error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the catalog"), error)) == SQLITE_ROW)
    {
      g_autoptr(CpVariant) variant = variant_from_row (stmt);

      if (!func (variant, user_data))
        return FALSE;
    }

  return rc == SQLITE_DONE;
}

/* Upsert */

static const char *
empty_to_null (const char *text)
{
  return (text != NULL && *text != '\0') ? text : NULL;
}

static gboolean
validate_variant (CpLedger         *ledger,
                  const CpVariant  *variant,
                  const char      **out_currency,
                  GError          **error)
{
  const char *currency;

  if (!cp_catalog_is_clean_key (variant->sku, 64))
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("“%s” cannot be a SKU. Use 1 to 64 characters without spaces at either end."),
                   variant->sku != NULL ? variant->sku : "");
      return FALSE;
    }

  if (variant->product_name == NULL || *variant->product_name == '\0')
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("The product with the SKU “%s” has no name. Give it a name."),
                   variant->sku);
      return FALSE;
    }

  if (variant->barcode != NULL && *variant->barcode != '\0' &&
      !cp_catalog_is_clean_key (variant->barcode, 64))
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("“%s” cannot be the barcode of SKU “%s”. Use the digits or characters "
                     "printed under the bars, without spaces at either end."),
                   variant->barcode, variant->sku);
      return FALSE;
    }

  if (variant->price_minor < 0)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("The price of SKU “%s” is negative. Enter a price of zero or more."),
                   variant->sku);
      return FALSE;
    }

  if (variant->cost_minor < -1)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("The cost of SKU “%s” is negative. Enter a cost of zero or more, or leave "
                     "it empty when unknown."),
                   variant->sku);
      return FALSE;
    }

  if (variant->module >= CP_N_MODULES)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("SKU “%s” names an unknown data module."), variant->sku);
      return FALSE;
    }

  currency = variant->currency[0] != '\0' ? variant->currency : cp_ledger_get_currency (ledger);
  if (!cp_currency_is_valid (currency))
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("“%s”, the currency of SKU “%s”, is not a currency code. Use a "
                     "three-letter ISO 4217 code such as USD, EUR or JPY."),
                   currency, variant->sku);
      return FALSE;
    }

  *out_currency = currency;
  return TRUE;
}

/* The attributes in canonical (minified) form, or NULL with ERROR when
 * they are not a JSON object. */
static char *
normalize_attributes (CpLedger         *ledger,
                      const CpVariant  *variant,
                      GError          **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  const char *json = empty_to_null (variant->attributes_json);

  if (json == NULL)
    return g_strdup ("{}");

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT CASE WHEN json_valid (?1) AND json_type (?1) = 'object' "
                                   "THEN json (?1) END",
                                   error);
  if (stmt == NULL)
    return NULL;

  cp_sql_bind_text (stmt, 1, json);
  if (cp_sql_step (ledger, stmt, _("Could not read the product attributes"), error) != SQLITE_ROW)
    return NULL;

  if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID,
                   _("The attributes of SKU “%s” are not a JSON object such as "
                     "{\"brand\": \"Honda\"}."),
                   variant->sku);
      return NULL;
    }

  return cp_sql_dup_text (stmt, 0);
}

static gboolean
check_barcode_free (CpLedger         *ledger,
                    const CpVariant  *variant,
                    GError          **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  if (empty_to_null (variant->barcode) == NULL)
    return TRUE;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT sku FROM variants WHERE barcode = ?1 AND sku <> ?2",
                                   error);
  if (stmt == NULL)
    return FALSE;

  cp_sql_bind_text (stmt, 1, variant->barcode);
  cp_sql_bind_text (stmt, 2, variant->sku);
  rc = cp_sql_step (ledger, stmt, _("Could not read the catalog"), error);
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CONSTRAINT,
                   _("The barcode %s of SKU “%s” already belongs to SKU “%s”. A barcode can "
                     "be on one product only: correct one of them."),
                   variant->barcode, variant->sku,
                   (const char *) sqlite3_column_text (stmt, 0));
      return FALSE;
    }

  return rc == SQLITE_DONE;
}

/* Finds or creates the product for VARIANT's handle, updating its name and
 * module when they differ. */
static gboolean
upsert_product (CpLedger         *ledger,
                const CpVariant  *variant,
                const char       *handle,
                gint64           *out_product_id,
                gboolean         *out_changed,
                gboolean         *out_created,
                GError          **error)
{
  g_autoptr(CpSqlCachedStmt) select = NULL;
  g_autoptr(CpSqlCachedStmt) write = NULL;
  const char *module = cp_module_to_string (variant->module);
  gint64 now = cp_ledger_now_us ();
  int rc;

  *out_changed = FALSE;
  *out_created = FALSE;

  select = cp_ledger_prepare_cached (ledger,
                                     "SELECT id, name, module FROM products WHERE handle = ?1",
                                     error);
  if (select == NULL)
    return FALSE;

  cp_sql_bind_text (select, 1, handle);
  rc = cp_sql_step (ledger, select, _("Could not read the catalog"), error);
  if (rc == SQLITE_ROW)
    {
      *out_product_id = sqlite3_column_int64 (select, 0);
      if (g_strcmp0 ((const char *) sqlite3_column_text (select, 1), variant->product_name) == 0 &&
          g_strcmp0 ((const char *) sqlite3_column_text (select, 2), module) == 0)
        return TRUE;

      /* Release the SELECT before writing the row it is on. */
      sqlite3_reset (select);

      write = cp_ledger_prepare_cached (ledger,
                                        "UPDATE products SET name = ?2, module = ?3, updated_at = ?4 "
                                        "WHERE id = ?1",
                                        error);
      if (write == NULL)
        return FALSE;
      sqlite3_bind_int64 (write, 1, *out_product_id);
    }
  else if (rc == SQLITE_DONE)
    {
      write = cp_ledger_prepare_cached (ledger,
                                        "INSERT INTO products (handle, name, module, created_at, "
                                        "updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                                        error);
      if (write == NULL)
        return FALSE;
      cp_sql_bind_text (write, 1, handle);
    }
  else
    return FALSE;

  cp_sql_bind_text (write, 2, variant->product_name);
  cp_sql_bind_text (write, 3, module);
  sqlite3_bind_int64 (write, 4, now);

  if (!cp_sql_run (ledger, write, _("Could not save the product"), error))
    return FALSE;

  if (rc == SQLITE_DONE)
    {
      *out_product_id = sqlite3_last_insert_rowid (cp_ledger_get_db (ledger));
      *out_created = TRUE;
    }

  *out_changed = TRUE;
  return TRUE;
}

/* Rewrites the search rows of the variants matching ?1 (a variant id, or
 * a product id when BY_PRODUCT: a product's new name retitles them all). */
static gboolean
refresh_fts (CpLedger  *ledger,
             gint64     id,
             gboolean   by_product,
             gboolean   is_new,
             GError   **error)
{
  g_autoptr(CpSqlCachedStmt) delete = NULL;
  g_autoptr(CpSqlCachedStmt) insert = NULL;

  if (by_product)
    {
      delete = cp_ledger_prepare_cached (ledger,
                                         "DELETE FROM variants_fts WHERE rowid IN "
                                         "(SELECT id FROM variants WHERE product_id = ?1)",
                                         error);
      insert = cp_ledger_prepare_cached (ledger,
                                         "INSERT INTO variants_fts (rowid, sku, barcode, title, attributes) "
                                         "SELECT v.id, v.sku, coalesce (v.barcode, ''), "
                                         "  p.name || coalesce (' ' || v.option1, '') "
                                         "  || coalesce (' ' || v.option2, '') || coalesce (' ' || v.option3, ''), "
                                         "  (SELECT coalesce (group_concat (value, ' '), '') FROM json_each (v.attributes)) "
                                         "FROM variants v JOIN products p ON p.id = v.product_id "
                                         "WHERE v.product_id = ?1",
                                         error);
    }
  else
    {
      delete = cp_ledger_prepare_cached (ledger, "DELETE FROM variants_fts WHERE rowid = ?1", error);
      insert = cp_ledger_prepare_cached (ledger,
                                         "INSERT INTO variants_fts (rowid, sku, barcode, title, attributes) "
                                         "SELECT v.id, v.sku, coalesce (v.barcode, ''), "
                                         "  p.name || coalesce (' ' || v.option1, '') "
                                         "  || coalesce (' ' || v.option2, '') || coalesce (' ' || v.option3, ''), "
                                         "  (SELECT coalesce (group_concat (value, ' '), '') FROM json_each (v.attributes)) "
                                         "FROM variants v JOIN products p ON p.id = v.product_id "
                                         "WHERE v.id = ?1",
                                         error);
    }

  if (delete == NULL || insert == NULL)
    return FALSE;

  sqlite3_bind_int64 (delete, 1, id);
  sqlite3_bind_int64 (insert, 1, id);

  return (is_new || cp_sql_run (ledger, delete, _("Could not update the search index"), error)) &&
         cp_sql_run (ledger, insert, _("Could not update the search index"), error);
}

static gboolean
column_equals_text (sqlite3_stmt *stmt,
                    int           column,
                    const char   *text)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return text == NULL;

  return g_strcmp0 ((const char *) sqlite3_column_text (stmt, column), text) == 0;
}

static gboolean
upsert_variant_in_transaction (CpLedger         *ledger,
                               const CpVariant  *variant,
                               gint64           *out_id,
                               CpUpsertResult   *out_result,
                               GError          **error)
{
  g_autoptr(CpSqlCachedStmt) select = NULL;
  g_autoptr(CpSqlCachedStmt) write = NULL;
  g_autofree char *attributes = NULL;
  const char *currency = NULL;
  const char *handle;
  const char *barcode = empty_to_null (variant->barcode);
  const char *option1 = empty_to_null (variant->option1);
  const char *option2 = empty_to_null (variant->option2);
  const char *option3 = empty_to_null (variant->option3);
  const char *tax_class = empty_to_null (variant->tax_class);
  gint64 product_id = 0;
  gint64 old_product_id = 0;
  gint64 variant_id = 0;
  gboolean product_changed = FALSE;
  gboolean product_created = FALSE;
  gboolean exists;
  int rc;

  if (!validate_variant (ledger, variant, &currency, error))
    return FALSE;

  attributes = normalize_attributes (ledger, variant, error);
  if (attributes == NULL)
    return FALSE;

  if (!check_barcode_free (ledger, variant, error))
    return FALSE;

  /* Without a handle a variant is a product of its own. */
  handle = empty_to_null (variant->product_handle) != NULL ? variant->product_handle : variant->sku;
  if (!upsert_product (ledger, variant, handle, &product_id, &product_changed,
                       &product_created, error))
    return FALSE;

  select = cp_ledger_prepare_cached (ledger,
                                     "SELECT id, product_id, barcode, option1, option2, option3, "
                                     "price_minor, cost_minor, currency, tax_class, attributes "
                                     "FROM variants WHERE sku = ?1",
                                     error);
  if (select == NULL)
    return FALSE;

  cp_sql_bind_text (select, 1, variant->sku);
  rc = cp_sql_step (ledger, select, _("Could not read the catalog"), error);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return FALSE;

  exists = rc == SQLITE_ROW;
  if (exists)
    {
      gint64 old_cost = sqlite3_column_type (select, 7) == SQLITE_NULL
                          ? -1 : sqlite3_column_int64 (select, 7);

      variant_id = sqlite3_column_int64 (select, 0);
      old_product_id = sqlite3_column_int64 (select, 1);

      if (!product_changed &&
          old_product_id == product_id &&
          column_equals_text (select, 2, barcode) &&
          column_equals_text (select, 3, option1) &&
          column_equals_text (select, 4, option2) &&
          column_equals_text (select, 5, option3) &&
          sqlite3_column_int64 (select, 6) == variant->price_minor &&
          old_cost == variant->cost_minor &&
          column_equals_text (select, 8, currency) &&
          column_equals_text (select, 9, tax_class) &&
          column_equals_text (select, 10, attributes))
        {
          if (out_id != NULL)
            *out_id = variant_id;
          if (out_result != NULL)
            *out_result = CP_UPSERT_UNCHANGED;
          return TRUE;
        }

      write = cp_ledger_prepare_cached (ledger,
                                        "UPDATE variants SET product_id = ?2, barcode = ?3, "
                                        "option1 = ?4, option2 = ?5, option3 = ?6, price_minor = ?7, "
                                        "cost_minor = ?8, currency = ?9, tax_class = ?10, "
                                        "attributes = ?11, updated_at = ?12 WHERE id = ?1",
                                        error);
      if (write == NULL)
        return FALSE;
      sqlite3_bind_int64 (write, 1, variant_id);
    }
  else
    {
      write = cp_ledger_prepare_cached (ledger,
                                        "INSERT INTO variants (sku, product_id, barcode, option1, "
                                        "option2, option3, price_minor, cost_minor, currency, "
                                        "tax_class, attributes, created_at, updated_at) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
                                        error);
      if (write == NULL)
        return FALSE;
      cp_sql_bind_text (write, 1, variant->sku);
    }

  /* Release the SELECT before writing the same rows. */
  sqlite3_reset (select);

  sqlite3_bind_int64 (write, 2, product_id);
  cp_sql_bind_text (write, 3, barcode);
  cp_sql_bind_text (write, 4, option1);
  cp_sql_bind_text (write, 5, option2);
  cp_sql_bind_text (write, 6, option3);
  sqlite3_bind_int64 (write, 7, variant->price_minor);
  if (variant->cost_minor >= 0)
    sqlite3_bind_int64 (write, 8, variant->cost_minor);
  else
    sqlite3_bind_null (write, 8);
  cp_sql_bind_text (write, 9, currency);
  cp_sql_bind_text (write, 10, tax_class);
  cp_sql_bind_text (write, 11, attributes);
  sqlite3_bind_int64 (write, 12, cp_ledger_now_us ());

  if (!cp_sql_run (ledger, write, _("Could not save the product"), error))
    return FALSE;

  if (!exists)
    variant_id = sqlite3_last_insert_rowid (cp_ledger_get_db (ledger));

  /* A renamed product retitles all its variants, this one included. */
  if (product_changed && !product_created)
    {
      if (!refresh_fts (ledger, product_id, TRUE, FALSE, error))
        return FALSE;
    }
  else if (!refresh_fts (ledger, variant_id, FALSE, !exists, error))
    return FALSE;

  /* A variant that moved to another product may leave an empty one. */
  if (exists && old_product_id != product_id)
    {
      g_autoptr(CpSqlCachedStmt) prune =
        cp_ledger_prepare_cached (ledger,
                                  "DELETE FROM products WHERE id = ?1 AND NOT EXISTS "
                                  "(SELECT 1 FROM variants WHERE product_id = ?1)",
                                  error);

      if (prune == NULL)
        return FALSE;
      sqlite3_bind_int64 (prune, 1, old_product_id);
      if (!cp_sql_run (ledger, prune, _("Could not save the product"), error))
        return FALSE;
    }

  if (out_id != NULL)
    *out_id = variant_id;
  if (out_result != NULL)
    *out_result = exists ? CP_UPSERT_UPDATED : CP_UPSERT_CREATED;

  cp_ledger_emit_changed (ledger, "variants");
  return TRUE;
}

gboolean
cp_catalog_upsert_variant (CpLedger         *ledger,
                           const CpVariant  *variant,
                           gint64           *out_id,
                           CpUpsertResult   *out_result,
                           GError          **error)
{
  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (variant != NULL, FALSE);

  /* Inside a caller's transaction (an import of thousands of rows) no
   * savepoint of our own: each one makes FTS5 flush its pending terms,
   * five times the cost of the insert. Every check comes before the first
   * write, so a refused row leaves nothing behind; only an engine failure
   * mid-way can, and then the caller rolls back anyway. */
  if (cp_ledger_in_transaction (ledger))
    return upsert_variant_in_transaction (ledger, variant, out_id, out_result, error);

  if (!cp_ledger_begin (ledger, error))
    return FALSE;

  if (!upsert_variant_in_transaction (ledger, variant, out_id, out_result, error))
    {
      cp_ledger_rollback (ledger);
      return FALSE;
    }

  return cp_ledger_commit (ledger, error);
}
