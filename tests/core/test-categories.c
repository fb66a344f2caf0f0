/* test-categories.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Product categories in a real ledger file: paths, the tree and its
 * uniqueness (roots included), the product push a move queues, the
 * migration from schema 4, the catalog CSV's category column (round
 * trip, all or nothing, line and column of a bad path) and the demo
 * shop's categories.
 */

#define G_LOG_DOMAIN "test-categories"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cp-catalog-io.h"
#include "cp-catalog.h"
#include "cp-categories.h"
#include "cp-demo.h"
#include "cp-ledger-schema.h"

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

  fixture->dir = g_dir_make_tmp ("test-categories-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "ledger.sqlite3", NULL);
  fixture->ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (cp_locations_add (fixture->ledger, "MAIN", "Main", NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->ledger);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* The primary result code: the ledger turns on extended codes. */
static int
exec_rc (sqlite3    *db,
         const char *sql)
{
  return sqlite3_exec (db, sql, NULL, NULL, NULL) & 0xff;
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static char *
variant_category (Fixture    *fixture,
                  const char *sku)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) variant = cp_catalog_get_by_sku (fixture->ledger, sku, &error);
  gint64 category_id = -1;

  g_assert_no_error (error);
  g_assert_true (cp_categories_get_for_variant (fixture->ledger, variant->id, NULL, &category_id,
                                                &error));
  g_assert_no_error (error);
  if (category_id == 0)
    return NULL;
  return cp_categories_get_path (fixture->ledger, category_id, &error);
}

static void
test_paths (void)
{
  static const char * const bad[] = {
    "", "   ", "Bikes >", "> Bikes", "Bikes >  > Brakes", "Bi\nkes > Parts",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *normal = NULL;
  g_auto(GStrv) names = NULL;

  names = cp_category_path_split ("  Bikes>Parts >  Brakes ", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 3);
  g_assert_cmpstr (names[0], ==, "Bikes");
  g_assert_cmpstr (names[2], ==, "Brakes");

  normal = cp_category_path_normalize ("Bikes>Parts >  Brakes", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (normal, ==, "Bikes > Parts > Brakes");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(GStrv) none = cp_category_path_split (bad[i], &error);

      g_assert_null (none);
      g_assert_error (error, CP_CATEGORIES_ERROR, CP_CATEGORIES_ERROR_INVALID_PATH);
      g_test_message ("%s → %s", bad[i], error->message);
      g_clear_error (&error);
    }

  /* The message says where the empty name is. */
  g_assert_null (cp_category_path_split ("Bikes >  > Brakes", &error));
  g_assert_nonnull (strstr (error->message, "position 2"));
}

static void
test_tree (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_autofree char *path = NULL;
  sqlite3 *db = cp_ledger_get_db (fixture->ledger);
  gint64 brakes, again, shouting, parts, bikes, other_brakes, found;

  g_assert_true (cp_categories_find_or_create (fixture->ledger, "Bikes > Parts > Brakes", &brakes,
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM categories"), ==, 3);

  /* Found again, spelled loosely or in other case: nothing new. */
  g_assert_true (cp_categories_find_or_create (fixture->ledger, "Bikes>Parts>Brakes", &again, &error));
  g_assert_cmpint (again, ==, brakes);
  g_assert_true (cp_categories_find_or_create (fixture->ledger, "BIKES > parts > brakes", &shouting,
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpint (shouting, ==, brakes);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM categories"), ==, 3);

  /* The same name under another parent is another category. */
  g_assert_true (cp_categories_find_or_create (fixture->ledger, "Cars > Brakes", &other_brakes,
                                               &error));
  g_assert_cmpint (other_brakes, !=, brakes);
  g_assert_true (cp_categories_find_or_create (fixture->ledger, "Bikes > Parts", &parts, &error));
  g_assert_true (cp_categories_find_or_create (fixture->ledger, "Bikes", &bikes, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM categories"), ==, 5);

  path = cp_categories_get_path (fixture->ledger, brakes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, "Bikes > Parts > Brakes");

  chain = cp_categories_get_chain (fixture->ledger, brakes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chain->len, ==, 3);
  g_assert_cmpint (((CpCategory *) chain->pdata[0])->id, ==, bikes);
  g_assert_cmpint (((CpCategory *) chain->pdata[0])->parent_id, ==, 0);
  g_assert_cmpint (((CpCategory *) chain->pdata[1])->id, ==, parts);
  g_assert_cmpint (((CpCategory *) chain->pdata[2])->parent_id, ==, parts);
  g_assert_cmpstr (((CpCategory *) chain->pdata[1])->path, ==, "Bikes > Parts");

  list = cp_categories_list (fixture->ledger, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 5);
  g_assert_cmpstr (((CpCategory *) list->pdata[0])->path, ==, "Bikes");
  g_assert_cmpstr (((CpCategory *) list->pdata[1])->path, ==, "Bikes > Parts");
  g_assert_cmpstr (((CpCategory *) list->pdata[2])->path, ==, "Bikes > Parts > Brakes");
  g_assert_cmpstr (((CpCategory *) list->pdata[3])->path, ==, "Cars");
  g_assert_cmpstr (((CpCategory *) list->pdata[4])->path, ==, "Cars > Brakes");

  g_assert_true (cp_categories_lookup (fixture->ledger, "bikes > parts", &found, &error));
  g_assert_cmpint (found, ==, parts);
  g_assert_false (cp_categories_lookup (fixture->ledger, "Bikes > Tyres", &found, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM categories"), ==, 5);

  g_assert_null (cp_categories_get_path (fixture->ledger, 9999, &error));
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The schema itself refuses twins, roots included (a NULL parent
   * never collides in a plain UNIQUE). */
  g_assert_cmpint (exec_rc (db, "INSERT INTO categories (parent_id, name, created_at)"
                                     " VALUES (NULL, 'bikes', 1)"),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (exec_rc (db, "INSERT INTO categories (parent_id, name, created_at)"
                                     " VALUES (1, 'PARTS', 1)"),
                   ==, SQLITE_CONSTRAINT);
  /* Nor is a category with children deleted from under them. */
  g_assert_cmpint (exec_rc (db, "DELETE FROM categories WHERE name = 'Parts'"),
                   ==, SQLITE_CONSTRAINT);
}

static gint64
add_product (Fixture    *fixture,
             const char *sku,
             const char *handle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) variant = cp_variant_new ();
  gint64 id;

  variant->sku = g_strdup (sku);
  variant->product_handle = g_strdup (handle);
  variant->product_name = g_strdup ("Brake pads");
  variant->price_minor = 2999;
  g_assert_true (cp_catalog_upsert_variant (fixture->ledger, variant, &id, NULL, &error));
  g_assert_no_error (error);
  return id;
}

/* Moving a product is a product change the stores that take products
 * hear about, once per variant; setting what is already set is not. */
static void
test_move_queues_push (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = cp_ledger_get_db (fixture->ledger);
  gint64 v1, product_id, brakes, in;

  v1 = add_product (fixture, "PAD-1", "pads");
  add_product (fixture, "PAD-2", "pads");
  exec_ok (db, "INSERT INTO integrations (seq, id, platform, name, base_url, created_at, updated_at)"
               " VALUES (1, 'woocommerce-1', 'woocommerce', 'Shop', 'http://127.0.0.1:1', 1, 1);"
               "INSERT INTO integration_permissions VALUES ('woocommerce-1', 'products.sync');");

  g_assert_true (cp_categories_find_or_create (fixture->ledger, "Bikes > Brakes", &brakes, &error));
  g_assert_true (cp_categories_get_for_variant (fixture->ledger, v1, &product_id, &in, &error));
  g_assert_no_error (error);
  g_assert_cmpint (in, ==, 0);

  g_assert_true (cp_categories_set_product (fixture->ledger, product_id, brakes, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM outbox_jobs WHERE kind = 'product.push'"
                                  " AND state = 'pending'"), ==, 2);
  exec_ok (db, "UPDATE outbox_jobs SET state = 'done', done_at = 1");

  g_assert_true (cp_categories_set_product (fixture->ledger, product_id, brakes, &error));
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM outbox_jobs WHERE state = 'pending'"),
                   ==, 0);

  /* Out of every category: a change too. */
  g_assert_true (cp_categories_set_product (fixture->ledger, product_id, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM outbox_jobs WHERE state = 'pending'"),
                   ==, 2);

  /* A category holding a product is not deleted from under it. */
  g_assert_true (cp_categories_set_product (fixture->ledger, product_id, brakes, &error));
  g_assert_cmpint (exec_rc (db, "DELETE FROM categories WHERE id = (SELECT category_id FROM"
                                     " products WHERE handle = 'pads')"),
                   ==, SQLITE_CONSTRAINT);
}

/* A ledger as schema 4 left it, with a product, opened by this build. */
static void
test_migration (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "v4.sqlite3", NULL);
  sqlite3 *db = NULL;
  gint64 category_id;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_ok (db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; BEGIN");
  for (guint i = 0; i < 4; i++)
    exec_ok (db, cp_ledger_migrations[i]);
  exec_ok (db, "PRAGMA user_version = 4; COMMIT");
  exec_ok (db, "INSERT INTO products (id, handle, name, created_at, updated_at)"
               " VALUES (1, 'tee', 'Tee', 1, 1);"
               "INSERT INTO variants (id, product_id, sku, price_minor, currency, created_at,"
               " updated_at) VALUES (1, 1, 'TEE-S', 1999, 'USD', 1, 1);");
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cp_ledger_get_schema_version (ledger), ==, CP_LEDGER_SCHEMA_VERSION);
  db = cp_ledger_get_db (ledger);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM products WHERE category_id IS NULL"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM pragma_foreign_key_check"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM sqlite_master WHERE name IN"
                                  " ('categories', 'categories_root_name', 'products_category',"
                                  " 'outbox_product_category')"), ==, 4);

  g_assert_true (cp_categories_find_or_create (ledger, "Clothing > Tees", &category_id, &error));
  g_assert_true (cp_categories_set_product (ledger, 1, category_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT category_id FROM products WHERE id = 1"), ==, category_id);
  g_clear_object (&ledger);
}

static const char csv_with_categories[] =
  "sku,name,product,price,category\r\n"
  "PAD-F,Brake pads,pads,29.99,Bikes >  Parts > Brakes\r\n"
  "PAD-R,Brake pads,pads,24.99,bikes>parts>brakes\r\n"
  "HELM,Helmet,,199.00,Riding gear > Helmets\r\n"
  "TEE,Tee,,19.00,\r\n";

static void
test_csv_round_trip (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpImportReport) report = NULL;
  g_autoptr(CpImportReport) again = NULL;
  g_autofree char *csv = write_file (fixture, "in.csv", csv_with_categories);
  g_autofree char *out = g_build_filename (fixture->dir, "out.csv", NULL);
  g_autofree char *json_path = g_build_filename (fixture->dir, "out.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *helm = NULL;
  g_autofree char *pad = NULL;
  g_autofree char *tee = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *rows;
  sqlite3 *db = cp_ledger_get_db (fixture->ledger);

  g_assert_true (cp_catalog_import_csv (fixture->ledger, csv, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 4);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM categories"), ==, 5);

  pad = variant_category (fixture, "PAD-R");
  helm = variant_category (fixture, "HELM");
  tee = variant_category (fixture, "TEE");
  g_assert_cmpstr (pad, ==, "Bikes > Parts > Brakes");
  g_assert_cmpstr (helm, ==, "Riding gear > Helmets");
  g_assert_null (tee);

  g_assert_true (cp_catalog_export (fixture->ledger, out, CP_EXPORT_CSV, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_file_get_contents (out, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "sku,name,product,option1,option2,option3,price,"
                                             "currency,cost,barcode,tax_class,module,category,"));
  g_assert_nonnull (strstr (contents, "\r\nPAD-F,Brake pads,pads,,,,29.99,USD,,,,general,"
                                      "Bikes > Parts > Brakes,"));
  g_assert_nonnull (strstr (contents, "\r\nTEE,Tee,TEE,,,,19.00,USD,,,,general,,"));

  /* The export reads back as it is: nothing changes. */
  g_assert_true (cp_catalog_import_csv (fixture->ledger, out, NULL, NULL, NULL, &again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (again->unchanged, ==, 4);
  g_assert_cmpuint (again->updated, ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM categories"), ==, 5);

  g_assert_true (cp_catalog_export (fixture->ledger, json_path, CP_EXPORT_JSON, NULL, NULL, NULL,
                                    &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, json_path, &error));
  g_assert_no_error (error);
  rows = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "data");
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *sku = json_object_get_string_member (row, "sku");

      g_assert_true (json_object_has_member (row, "category"));
      if (g_str_equal (sku, "HELM"))
        g_assert_cmpstr (json_object_get_string_member (row, "category"), ==, "Riding gear > Helmets");
      if (g_str_equal (sku, "TEE"))
        g_assert_true (json_object_get_null_member (row, "category"));
    }

  /* A file without the column leaves categories alone; an empty cell in
   * it takes the product out of its category. */
  {
    g_autoptr(CpImportReport) r1 = NULL;
    g_autoptr(CpImportReport) r2 = NULL;
    g_autofree char *no_column = write_file (fixture, "prices.csv",
                                             "sku,name,price\r\nHELM,Helmet,209.00\r\n");
    g_autofree char *empty_cell = write_file (fixture, "empty.csv",
                                              "sku,name,price,category\r\nHELM,Helmet,209.00,\r\n");
    g_autofree char *kept = NULL;
    g_autofree char *gone = NULL;

    g_assert_true (cp_catalog_import_csv (fixture->ledger, no_column, NULL, NULL, NULL, &r1, &error));
    kept = variant_category (fixture, "HELM");
    g_assert_cmpstr (kept, ==, "Riding gear > Helmets");
    g_assert_true (cp_catalog_import_csv (fixture->ledger, empty_cell, NULL, NULL, NULL, &r2, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (r2->updated, ==, 1);
    gone = variant_category (fixture, "HELM");
    g_assert_null (gone);
  }
}

/* A bad path fails the whole file, names its line and column, and
 * leaves no category behind. */
static void
test_csv_all_or_nothing (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpImportReport) report = NULL;
  g_autofree char *csv = write_file (fixture, "bad.csv",
                                     "sku,name,price,category\r\n"
                                     "A-1,Anvil,50.00,Tools > Smithing\r\n"
                                     "B-1,Bellows,40.00,Tools >  > Smithing\r\n"
                                     "C-1,Chisel,12.00,Tools > Chisels\r\n"
                                     "C-2,Chisel,12.00,Tools > Other\r\n");
  const CpImportProblem *problem;
  sqlite3 *db = cp_ledger_get_db (fixture->ledger);

  /* C-1 and C-2 share no product handle: only B-1 is wrong. */
  g_assert_false (cp_catalog_import_csv (fixture->ledger, csv, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_INVALID);
  g_assert_cmpuint (report->problems->len, ==, 1);
  problem = g_ptr_array_index (report->problems, 0);
  g_assert_cmpuint (problem->line, ==, 3);
  g_assert_cmpuint (problem->column, ==, 4);
  g_assert_cmpstr (problem->column_name, ==, "category");
  g_assert_nonnull (strstr (problem->message, "empty name"));
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM categories"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM variants"), ==, 0);
  g_clear_error (&error);
  g_clear_pointer (&report, cp_import_report_free);

  /* The rows of one product share its category. */
  g_free (csv);
  csv = write_file (fixture, "split.csv",
                    "sku,name,product,price,category\r\n"
                    "C-1,Chisel,chisel,12.00,Tools > Chisels\r\n"
                    "C-2,Chisel,chisel,12.00,Tools > Other\r\n");
  g_assert_false (cp_catalog_import_csv (fixture->ledger, csv, NULL, NULL, NULL, &report, &error));
  g_assert_cmpuint (report->problems->len, ==, 1);
  problem = g_ptr_array_index (report->problems, 0);
  g_assert_cmpuint (problem->line, ==, 3);
  g_assert_cmpstr (problem->column_name, ==, "category");
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM categories"), ==, 0);
}

static void
test_demo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  CpDemoOptions options;
  sqlite3 *db = cp_ledger_get_db (fixture->ledger);
  gint64 id;

  cp_demo_options_init (&options);
  options.n_products = 60;
  options.days = 1;
  g_assert_true (cp_demo_populate (fixture->ledger, &options, &error));
  g_assert_no_error (error);

  /* Every product is on a shelf, and the shelves nest. */
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM products WHERE category_id IS NULL"), ==, 0);
  g_assert_true (cp_categories_lookup (fixture->ledger, "Motorcycles > Helmets", &id, &error));
  g_assert_true (cp_categories_lookup (fixture->ledger, "Wood > Sheet goods", &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM categories WHERE parent_id IS NULL"), >=, 5);
  g_assert_cmpint (query_int (db, "SELECT max (depth) FROM (WITH RECURSIVE t (id, depth) AS"
                                  " (SELECT id, 1 FROM categories WHERE parent_id IS NULL UNION ALL"
                                  "  SELECT c.id, t.depth + 1 FROM categories c JOIN t"
                                  "  ON c.parent_id = t.id) SELECT depth FROM t)"), ==, 3);
  list = cp_categories_list (fixture->ledger, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, query_int (db, "SELECT count (*) FROM categories"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/categories/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/categories/paths", test_paths);
  ADD ("tree", test_tree);
  ADD ("move-queues-push", test_move_queues_push);
  ADD ("migration-from-4", test_migration);
  ADD ("csv-round-trip", test_csv_round_trip);
  ADD ("csv-all-or-nothing", test_csv_all_or_nothing);
  ADD ("demo", test_demo);

#undef ADD

  return g_test_run ();
}
