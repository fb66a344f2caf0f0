/* test-catalog.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-catalog"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cp-catalog.h"

typedef struct
{
  char     *dir;
  CpLedger *ledger;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("test-catalog-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "ledger.sqlite3", NULL);
  fixture->ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&fixture->ledger);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->dir, "/ledger.sqlite3", suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static CpVariant *
make_variant (const char *handle,
              const char *name,
              const char *sku,
              const char *option1,
              gint64      price_minor)
{
  CpVariant *variant = cp_variant_new ();

  variant->product_handle = g_strdup (handle);
  variant->product_name = g_strdup (name);
  variant->sku = g_strdup (sku);
  variant->option1 = g_strdup (option1);
  variant->price_minor = price_minor;

  return variant;
}

static CpUpsertResult
upsert_ok (CpLedger  *ledger,
           CpVariant *variant,
           gint64    *out_id)
{
  g_autoptr(GError) error = NULL;
  CpUpsertResult result = -1;

  g_assert_true (cp_catalog_upsert_variant (ledger, variant, out_id, &result, &error));
  g_assert_no_error (error);
  return result;
}

/* Variant ids matching QUERY in variants_fts, ascending. */
static GArray *
search (CpLedger   *ledger,
        const char *query)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (cp_ledger_get_db (ledger),
                                       "SELECT rowid FROM variants_fts WHERE variants_fts MATCH ?1 "
                                       "ORDER BY rowid", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  return ids;
}

static void
assert_search (CpLedger   *ledger,
               const char *query,
               guint       n_ids,
               ...)
{
  g_autoptr(GArray) ids = search (ledger, query);
  va_list args;

  if (ids->len != n_ids)
    g_error ("search “%s”: %u results, expected %u", query, ids->len, n_ids);

  va_start (args, n_ids);
  for (guint i = 0; i < n_ids; i++)
    g_assert_cmpint (g_array_index (ids, gint64, i), ==, va_arg (args, gint64));
  va_end (args);
}

static void
test_modules (void)
{
  static const char * const names[] = {
    "general", "motorcycle", "spares", "wood", "rental", "manufacturing",
  };
  const char * const *fields;
  CpModule module;

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == CP_N_MODULES);
  for (guint i = 0; i < CP_N_MODULES; i++)
    {
      g_assert_cmpstr (cp_module_to_string (i), ==, names[i]);
      g_assert_true (cp_module_from_string (names[i], &module));
      g_assert_cmpint (module, ==, i);
    }
  g_assert_false (cp_module_from_string ("Motorcycle", &module));
  g_assert_false (cp_module_from_string (NULL, &module));

  g_assert_null (cp_module_fields (CP_MODULE_GENERAL)[0]);
  fields = cp_module_fields (CP_MODULE_MOTORCYCLE);
  g_assert_cmpstrv (fields, ((const char * const[]) { "brand", "model", "year", NULL }));
  g_assert_cmpstrv (cp_module_fields (CP_MODULE_SPARES),
                    ((const char * const[]) { "part_number", "compatibility", NULL }));
  g_assert_cmpstrv (cp_module_fields (CP_MODULE_WOOD),
                    ((const char * const[]) { "dimensions", "type", NULL }));
  g_assert_cmpstrv (cp_module_fields (CP_MODULE_RENTAL),
                    ((const char * const[]) { "rental_duration", "deposit", NULL }));
  g_assert_cmpstrv (cp_module_fields (CP_MODULE_MANUFACTURING),
                    ((const char * const[]) { "material_type", "bom", NULL }));
}

static void
test_locations (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) locations = NULL;
  g_autoptr(CpLocation) main_location = NULL;
  CpLocation *missing;
  gint64 id = 0;

  g_assert_true (cp_locations_add (fixture->ledger, "MAIN", "Main shop", NULL, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (cp_locations_add (fixture->ledger, "BACK", "Back room", "EUR", NULL, &error));
  g_assert_no_error (error);

  /* Unique codes. */
  g_assert_false (cp_locations_add (fixture->ledger, "MAIN", "Again", NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "MAIN"));
  g_clear_error (&error);

  /* Validated currency and code. */
  g_assert_false (cp_locations_add (fixture->ledger, "X", "X", "euro", NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_locations_add (fixture->ledger, "", "Empty", NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_locations_add (fixture->ledger, "MAIN ", "Space", NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cp_locations_add (fixture->ledger, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", "Long",
                                    NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_clear_error (&error);

  locations = cp_locations_list (fixture->ledger, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (locations->len, ==, 2);
  g_assert_cmpstr (((CpLocation *) locations->pdata[0])->code, ==, "BACK");
  g_assert_cmpstr (((CpLocation *) locations->pdata[0])->currency, ==, "EUR");
  g_assert_cmpstr (((CpLocation *) locations->pdata[1])->code, ==, "MAIN");

  main_location = cp_locations_get (fixture->ledger, "MAIN", &error);
  g_assert_no_error (error);
  g_assert_cmpint (main_location->id, ==, id);
  g_assert_cmpstr (main_location->name, ==, "Main shop");
  /* The shop's currency when none was given. */
  g_assert_cmpstr (main_location->currency, ==, "USD");

  missing = cp_locations_get (fixture->ledger, "NOWHERE", &error);
  g_assert_null (missing);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "NOWHERE"));
}

static void
test_upsert (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) red = make_variant ("tee", "Cotton T-shirt", "TEE-RED-M", "Red", 1999);
  g_autoptr(CpVariant) blue = make_variant ("tee", "Cotton T-shirt", "TEE-BLUE-M", "Blue", 1999);
  g_autoptr(CpVariant) stored = NULL;
  g_autoptr(CpVariant) copy = NULL;
  gint64 red_id = 0;
  gint64 blue_id = 0;
  gint64 again_id = 0;

  red->barcode = g_strdup ("4006381333931");
  red->cost_minor = 800;
  red->tax_class = g_strdup ("reduced");

  g_assert_cmpint (upsert_ok (fixture->ledger, red, &red_id), ==, CP_UPSERT_CREATED);
  g_assert_cmpint (upsert_ok (fixture->ledger, blue, &blue_id), ==, CP_UPSERT_CREATED);
  g_assert_cmpint (red_id, !=, blue_id);
  g_assert_cmpint (cp_catalog_count_variants (fixture->ledger), ==, 2);
  g_assert_cmpint (cp_catalog_count_products (fixture->ledger), ==, 1);

  /* The same data again changes nothing. */
  g_assert_cmpint (upsert_ok (fixture->ledger, red, &again_id), ==, CP_UPSERT_UNCHANGED);
  g_assert_cmpint (again_id, ==, red_id);

  stored = cp_catalog_get_by_sku (fixture->ledger, "TEE-RED-M", &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->id, ==, red_id);
  g_assert_cmpstr (stored->product_handle, ==, "tee");
  g_assert_cmpstr (stored->product_name, ==, "Cotton T-shirt");
  g_assert_cmpstr (stored->barcode, ==, "4006381333931");
  g_assert_cmpstr (stored->option1, ==, "Red");
  g_assert_null (stored->option2);
  g_assert_cmpint (stored->price_minor, ==, 1999);
  g_assert_cmpint (stored->cost_minor, ==, 800);
  g_assert_cmpstr (stored->currency, ==, "USD");
  g_assert_cmpstr (stored->tax_class, ==, "reduced");
  g_assert_cmpint (stored->module, ==, CP_MODULE_GENERAL);
  g_assert_cmpstr (stored->attributes_json, ==, "{}");

  /* Every field counts as a change. */
  red->price_minor = 2499;
  g_assert_cmpint (upsert_ok (fixture->ledger, red, NULL), ==, CP_UPSERT_UPDATED);
  g_assert_cmpint (upsert_ok (fixture->ledger, red, NULL), ==, CP_UPSERT_UNCHANGED);
  red->cost_minor = -1;
  g_assert_cmpint (upsert_ok (fixture->ledger, red, NULL), ==, CP_UPSERT_UPDATED);
  g_clear_pointer (&red->barcode, g_free);
  g_assert_cmpint (upsert_ok (fixture->ledger, red, NULL), ==, CP_UPSERT_UPDATED);
  red->option2 = g_strdup ("Slim");
  g_assert_cmpint (upsert_ok (fixture->ledger, red, NULL), ==, CP_UPSERT_UPDATED);
  g_strlcpy (red->currency, "EUR", sizeof red->currency);
  g_assert_cmpint (upsert_ok (fixture->ledger, red, NULL), ==, CP_UPSERT_UPDATED);
  /* Same attributes, written differently. */
  g_free (red->attributes_json);
  red->attributes_json = g_strdup ("{ }");
  g_assert_cmpint (upsert_ok (fixture->ledger, red, NULL), ==, CP_UPSERT_UNCHANGED);
  /* The product's name is a change too. */
  g_free (red->product_name);
  red->product_name = g_strdup ("Organic T-shirt");
  g_assert_cmpint (upsert_ok (fixture->ledger, red, NULL), ==, CP_UPSERT_UPDATED);

  g_clear_pointer (&stored, cp_variant_free);
  stored = cp_catalog_get_by_id (fixture->ledger, blue_id, &error);
  g_assert_no_error (error);
  /* The product is shared: the blue variant sees the new name. */
  g_assert_cmpstr (stored->product_name, ==, "Organic T-shirt");

  g_clear_pointer (&stored, cp_variant_free);
  stored = cp_catalog_get_by_sku (fixture->ledger, "TEE-RED-M", &error);
  g_assert_cmpint (stored->cost_minor, ==, -1);
  g_assert_null (stored->barcode);
  g_assert_cmpstr (stored->option2, ==, "Slim");
  g_assert_cmpstr (stored->currency, ==, "EUR");

  copy = cp_variant_copy (stored);
  g_assert_true (copy->sku != stored->sku);
  g_assert_cmpstr (copy->sku, ==, stored->sku);
  g_assert_cmpstr (copy->attributes_json, ==, stored->attributes_json);
  g_assert_cmpint (copy->id, ==, stored->id);
}

static void
test_lookups (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) bike = make_variant ("cb500", "Honda CB500", "MOTO-CB500", NULL, 549900);
  g_autoptr(CpVariant) found = NULL;
  CpVariant *missing;
  gint64 id;

  bike->barcode = g_strdup ("0012345678905");
  bike->module = CP_MODULE_MOTORCYCLE;
  g_free (bike->attributes_json);
  bike->attributes_json = g_strdup ("{\"brand\": \"Honda\", \"model\": \"CB500\", \"year\": 2021}");
  upsert_ok (fixture->ledger, bike, &id);

  found = cp_catalog_get_by_barcode (fixture->ledger, "0012345678905", &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, id);
  g_assert_cmpint (found->module, ==, CP_MODULE_MOTORCYCLE);
  g_assert_cmpstr (found->attributes_json, ==, "{\"brand\":\"Honda\",\"model\":\"CB500\",\"year\":2021}");

  missing = cp_catalog_get_by_barcode (fixture->ledger, "999", &error);
  g_assert_null (missing);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "999"));
  g_clear_error (&error);

  missing = cp_catalog_get_by_sku (fixture->ledger, "NOPE-1", &error);
  g_assert_null (missing);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "NOPE-1"));
  g_clear_error (&error);

  missing = cp_catalog_get_by_id (fixture->ledger, id + 100, &error);
  g_assert_null (missing);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
}

static void
test_barcode_unique (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) first = make_variant ("mug", "Mug", "MUG-1", NULL, 900);
  g_autoptr(CpVariant) second = make_variant ("cup", "Cup", "CUP-1", NULL, 700);
  g_autoptr(CpVariant) stored = NULL;

  first->barcode = g_strdup ("5901234123457");
  second->barcode = g_strdup ("5901234123457");
  upsert_ok (fixture->ledger, first, NULL);

  g_assert_false (cp_catalog_upsert_variant (fixture->ledger, second, NULL, NULL, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "5901234123457"));
  g_assert_nonnull (strstr (error->message, "MUG-1"));
  g_clear_error (&error);

  /* Nothing half-written: not the variant, not its product. */
  g_assert_cmpint (cp_catalog_count_variants (fixture->ledger), ==, 1);
  g_assert_cmpint (cp_catalog_count_products (fixture->ledger), ==, 1);

  /* Several variants without a barcode are fine. */
  g_clear_pointer (&first->barcode, g_free);
  g_clear_pointer (&second->barcode, g_free);
  upsert_ok (fixture->ledger, first, NULL);
  upsert_ok (fixture->ledger, second, NULL);
  /* An empty barcode is no barcode. */
  second->barcode = g_strdup ("");
  g_assert_cmpint (upsert_ok (fixture->ledger, second, NULL), ==, CP_UPSERT_UNCHANGED);
  stored = cp_catalog_get_by_sku (fixture->ledger, "CUP-1", &error);
  g_assert_null (stored->barcode);
}

static void
test_invalid (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) variant = make_variant ("x", "Thing", "THING-1", NULL, 100);
  struct { const char *sku; const char *name; gint64 price; gint64 cost; const char *json; const char *currency; } cases[] = {
    { "", "Thing", 100, -1, "{}", "" },
    { " THING", "Thing", 100, -1, "{}", "" },
    { "THING\n1", "Thing", 100, -1, "{}", "" },
    { "THING-1", "", 100, -1, "{}", "" },
    { "THING-1", "Thing", -1, -1, "{}", "" },
    { "THING-1", "Thing", 100, -5, "{}", "" },
    { "THING-1", "Thing", 100, -1, "[1, 2]", "" },
    { "THING-1", "Thing", 100, -1, "{broken", "" },
    { "THING-1", "Thing", 100, -1, "{}", "usd" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_free (variant->sku);
      variant->sku = g_strdup (cases[i].sku);
      g_free (variant->product_name);
      variant->product_name = g_strdup (cases[i].name);
      variant->price_minor = cases[i].price;
      variant->cost_minor = cases[i].cost;
      g_free (variant->attributes_json);
      variant->attributes_json = g_strdup (cases[i].json);
      g_strlcpy (variant->currency, cases[i].currency, sizeof variant->currency);

      g_assert_false (cp_catalog_upsert_variant (fixture->ledger, variant, NULL, NULL, &error));
      g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
      g_clear_error (&error);
    }

  g_assert_cmpint (cp_catalog_count_variants (fixture->ledger), ==, 0);
  g_assert_cmpint (cp_catalog_count_products (fixture->ledger), ==, 0);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CpVariant) red = make_variant ("tee", "Cotton T-shirt", "TSHIRT-RED-M", "Red", 1999);
  g_autoptr(CpVariant) oak = make_variant ("plank", "Oak plank", "WOOD-OAK-200", NULL, 4500);
  gint64 red_id;
  gint64 oak_id;

  red->barcode = g_strdup ("4006381333931");
  oak->module = CP_MODULE_WOOD;
  g_free (oak->attributes_json);
  oak->attributes_json = g_strdup ("{\"dimensions\": \"200x20x2 cm\", \"type\": \"Hardwood\"}");

  upsert_ok (fixture->ledger, red, &red_id);
  upsert_ok (fixture->ledger, oak, &oak_id);

  /* SKU prefix, in the sku column and anywhere. */
  assert_search (fixture->ledger, "sku : tshi*", 1, red_id);
  assert_search (fixture->ledger, "\"TSHIRT-RED\"*", 1, red_id);
  assert_search (fixture->ledger, "wood*", 1, oak_id);
  /* A word of the product name, and an option. */
  assert_search (fixture->ledger, "cotton", 1, red_id);
  assert_search (fixture->ledger, "title : red", 1, red_id);
  assert_search (fixture->ledger, "plank", 1, oak_id);
  /* The barcode and the module attributes. */
  assert_search (fixture->ledger, "barcode : 4006381333931", 1, red_id);
  assert_search (fixture->ledger, "hardwood", 1, oak_id);
  assert_search (fixture->ledger, "nothing", 0);

  /* Renaming the product re-indexes it: the old word is gone. */
  g_free (red->product_name);
  red->product_name = g_strdup ("Linen shirt");
  upsert_ok (fixture->ledger, red, NULL);
  assert_search (fixture->ledger, "cotton", 0);
  assert_search (fixture->ledger, "linen", 1, red_id);

  /* A new variant that renames its product retitles the others too. */
  {
    g_autoptr(CpVariant) blue = make_variant ("tee", "Wool shirt", "TSHIRT-BLUE-M", "Blue", 1999);
    gint64 blue_id;

    g_assert_cmpint (upsert_ok (fixture->ledger, blue, &blue_id), ==, CP_UPSERT_CREATED);
    assert_search (fixture->ledger, "linen", 0);
    assert_search (fixture->ledger, "wool", 2, red_id, blue_id);
    assert_search (fixture->ledger, "blue", 1, blue_id);

    g_free (red->product_name);
    red->product_name = g_strdup ("Linen shirt");
    g_assert_cmpint (upsert_ok (fixture->ledger, red, NULL), ==, CP_UPSERT_UPDATED);
    assert_search (fixture->ledger, "wool", 0);
    assert_search (fixture->ledger, "linen", 2, red_id, blue_id);
  }

  /* Changing the SKU's options too. */
  g_free (red->option1);
  red->option1 = g_strdup ("Crimson");
  upsert_ok (fixture->ledger, red, NULL);
  assert_search (fixture->ledger, "title : red", 0);
  assert_search (fixture->ledger, "crimson", 1, red_id);

  /* One search row per variant, whatever the number of updates. */
  g_assert_cmpint (sqlite3_total_changes (cp_ledger_get_db (fixture->ledger)), >, 0);
  {
    sqlite3_stmt *stmt = NULL;

    sqlite3_prepare_v2 (cp_ledger_get_db (fixture->ledger),
                        "SELECT count (*) FROM variants_fts", -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, 3);
    sqlite3_finalize (stmt);
  }
}

static void
test_move_variant (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) variant = make_variant ("old", "Old product", "SKU-1", NULL, 100);
  g_autoptr(CpVariant) stored = NULL;

  upsert_ok (fixture->ledger, variant, NULL);
  g_free (variant->product_handle);
  variant->product_handle = g_strdup ("new");
  g_assert_cmpint (upsert_ok (fixture->ledger, variant, NULL), ==, CP_UPSERT_UPDATED);

  /* The emptied product does not linger. */
  g_assert_cmpint (cp_catalog_count_products (fixture->ledger), ==, 1);
  stored = cp_catalog_get_by_sku (fixture->ledger, "SKU-1", &error);
  g_assert_cmpstr (stored->product_handle, ==, "new");

  /* Without a handle, the SKU is its own product. */
  g_clear_pointer (&variant->product_handle, g_free);
  g_free (variant->sku);
  variant->sku = g_strdup ("SKU-2");
  upsert_ok (fixture->ledger, variant, NULL);
  g_clear_pointer (&stored, cp_variant_free);
  stored = cp_catalog_get_by_sku (fixture->ledger, "SKU-2", &error);
  g_assert_cmpstr (stored->product_handle, ==, "SKU-2");
}

static gboolean
collect_cb (const CpVariant *variant,
            gpointer         user_data)
{
  GPtrArray *skus = user_data;

  g_ptr_array_add (skus, g_strdup (variant->sku));
  return skus->len < 3;
}

static void
test_foreach (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) skus = g_ptr_array_new_with_free_func (g_free);
  static const char * const order[] = { "C-3", "A-1", "E-5", "B-2", "D-4" };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autoptr(CpVariant) variant = make_variant (NULL, "Thing", order[i], NULL, 100 * i);
      upsert_ok (fixture->ledger, variant, NULL);
    }

  /* SKU order, and stopping when the callback says so. */
  g_assert_false (cp_catalog_foreach (fixture->ledger, collect_cb, skus, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (skus->len, ==, 3);
  g_assert_cmpstr (skus->pdata[0], ==, "A-1");
  g_assert_cmpstr (skus->pdata[1], ==, "B-2");
  g_assert_cmpstr (skus->pdata[2], ==, "C-3");
}

static void
test_import_transaction (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) good = make_variant ("a", "A", "A-1", NULL, 100);
  g_autoptr(CpVariant) bad = make_variant ("b", "B", "B-1", NULL, -100);

  /* An import wraps many upserts; a bad row undoes only itself and the
   * importer decides to roll everything back. */
  g_assert_true (cp_ledger_begin (fixture->ledger, &error));
  upsert_ok (fixture->ledger, good, NULL);
  g_assert_false (cp_catalog_upsert_variant (fixture->ledger, bad, NULL, NULL, &error));
  g_clear_error (&error);
  g_assert_true (cp_ledger_in_transaction (fixture->ledger));
  g_assert_cmpint (cp_catalog_count_variants (fixture->ledger), ==, 1);
  cp_ledger_rollback (fixture->ledger);

  g_assert_cmpint (cp_catalog_count_variants (fixture->ledger), ==, 0);
  assert_search (fixture->ledger, "a*", 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/catalog/modules", test_modules);

#define ADD(name, func) \
  g_test_add ("/catalog/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("locations", test_locations);
  ADD ("upsert", test_upsert);
  ADD ("lookups", test_lookups);
  ADD ("barcode-unique", test_barcode_unique);
  ADD ("invalid", test_invalid);
  ADD ("search", test_search);
  ADD ("move-variant", test_move_variant);
  ADD ("foreach", test_foreach);
  ADD ("import-transaction", test_import_transaction);

#undef ADD

  return g_test_run ();
}
