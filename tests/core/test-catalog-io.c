/* test-catalog-io.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Catalog import and export against a real ledger file in a temporary
 * directory.
 */

#define G_LOG_DOMAIN "test-catalog-io"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cp-catalog-io.h"
#include "cp-catalog.h"
#include "cp-demo.h"
#include "cp-stock.h"

/* Sanitizer builds run many times slower: smaller data, no timings.
 * build-aux/run-tests.sh says so with CP_SANITIZED=1. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SLOW_BUILD TRUE
#else
#define SLOW_BUILD (g_getenv ("CP_SANITIZED") != NULL)
#endif

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

  fixture->dir = g_dir_make_tmp ("test-catalog-io-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "ledger.sqlite3", NULL);
  fixture->ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);

  g_assert_true (cp_locations_add (fixture->ledger, "MAIN", "Main Street shop", NULL, NULL, &error));
  g_assert_true (cp_locations_add (fixture->ledger, "WH", "Warehouse", NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->ledger);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

static CpImportReport *
import_ok (Fixture    *fixture,
           const char *path)
{
  g_autoptr(GError) error = NULL;
  CpImportReport *report = NULL;
  gboolean ok;

  ok = cp_catalog_import_csv (fixture->ledger, path, NULL, NULL, NULL, &report, &error);
  if (!ok)
    {
      for (guint i = 0; i < report->problems->len; i++)
        {
          g_autofree char *text = cp_import_problem_to_string (g_ptr_array_index (report->problems, i));
          g_test_message ("%s", text);
        }
    }
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->problems->len, ==, 0);
  return report;
}

static gint64
on_hand (Fixture    *fixture,
         const char *sku,
         const char *location)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpStockLevel) level = cp_stock_get (fixture->ledger, sku, location, &error);

  g_assert_no_error (error);
  return level->on_hand;
}

static const char basic_csv[] =
  "\xEF\xBB\xBF" "sku,name,price,currency,barcode,product,option1,option2,cost,module,brand,model,year,on_hand:MAIN,on_hand:WH\r\n"
  "HELM-S-BLK,\"Helmet, full face\",89.90,,4006381333931,helmet,S,Black,41.5,general,,,,4,10\r\n"
  "HELM-M-BLK,\"Helmet, full face\",89.90,,4006381333948,helmet,M,Black,41.5,general,,,,0,\r\n"
  "MOTO-CB500,Honda CB500F,6499,USD,,,,,5100.00,motorcycle,Honda,CB500F,2021,1,0\r\n"
  "TEA-1,\"Tea \"\"Earl Grey\"\"\",3.5,EUR,,,,,,general,,,,,\r\n";

static void
test_import_basic (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "basic.csv", basic_csv, -1);
  g_autoptr(CpImportReport) report = import_ok (fixture, path);
  g_autoptr(CpVariant) helmet = NULL;
  g_autoptr(CpVariant) moto = NULL;
  g_autoptr(CpVariant) tea = NULL;
  g_autoptr(GPtrArray) movements = NULL;
  g_autoptr(GError) error = NULL;
  CpStockMovement *movement;

  g_assert_cmpuint (report->rows, ==, 4);
  g_assert_cmpuint (report->created, ==, 4);
  g_assert_cmpuint (report->updated, ==, 0);
  g_assert_cmpuint (report->unchanged, ==, 0);
  g_assert_cmpint (cp_catalog_count_variants (fixture->ledger), ==, 4);
  /* Two helmets share one product. */
  g_assert_cmpint (cp_catalog_count_products (fixture->ledger), ==, 3);

  helmet = cp_catalog_get_by_sku (fixture->ledger, "HELM-S-BLK", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (helmet->product_name, ==, "Helmet, full face");
  g_assert_cmpstr (helmet->product_handle, ==, "helmet");
  g_assert_cmpstr (helmet->barcode, ==, "4006381333931");
  g_assert_cmpstr (helmet->option1, ==, "S");
  g_assert_cmpstr (helmet->option2, ==, "Black");
  g_assert_null (helmet->option3);
  g_assert_cmpint (helmet->price_minor, ==, 8990);
  g_assert_cmpint (helmet->cost_minor, ==, 4150);
  g_assert_cmpstr (helmet->currency, ==, "USD");

  moto = cp_catalog_get_by_sku (fixture->ledger, "MOTO-CB500", &error);
  g_assert_no_error (error);
  g_assert_cmpint (moto->module, ==, CP_MODULE_MOTORCYCLE);
  g_assert_cmpint (moto->price_minor, ==, 649900);
  g_assert_cmpstr (moto->attributes_json, ==,
                   "{\"brand\":\"Honda\",\"model\":\"CB500F\",\"year\":\"2021\"}");

  tea = cp_catalog_get_by_sku (fixture->ledger, "TEA-1", &error);
  g_assert_cmpstr (tea->product_name, ==, "Tea \"Earl Grey\"");
  g_assert_cmpstr (tea->currency, ==, "EUR");
  g_assert_cmpint (tea->price_minor, ==, 350);
  g_assert_cmpint (tea->cost_minor, ==, -1);
  g_assert_cmpstr (tea->attributes_json, ==, "{}");

  g_assert_cmpint (on_hand (fixture, "HELM-S-BLK", "MAIN"), ==, 4);
  g_assert_cmpint (on_hand (fixture, "HELM-S-BLK", "WH"), ==, 10);
  g_assert_cmpint (on_hand (fixture, "HELM-M-BLK", "MAIN"), ==, 0);
  g_assert_cmpint (on_hand (fixture, "MOTO-CB500", "MAIN"), ==, 1);

  /* Stock came in as a journaled count naming the file. */
  movements = cp_stock_movements (fixture->ledger, "HELM-S-BLK", "WH", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (movements->len, ==, 1);
  movement = g_ptr_array_index (movements, 0);
  g_assert_cmpint (movement->reason, ==, CP_STOCK_REASON_COUNT);
  g_assert_cmpint (movement->delta, ==, 10);
  g_assert_cmpstr (movement->reference, ==, "import:basic.csv");
  g_clear_pointer (&movements, g_ptr_array_unref);

  /* An unchanged count is not journaled. */
  movements = cp_stock_movements (fixture->ledger, "HELM-M-BLK", NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (movements->len, ==, 0);
}

static void
test_import_update (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "basic.csv", basic_csv, -1);
  g_autofree char *update_path = NULL;
  g_autofree char *partial_path = NULL;
  g_autoptr(CpImportReport) first = import_ok (fixture, path);
  g_autoptr(CpImportReport) again = import_ok (fixture, path);
  g_autoptr(CpImportReport) update = NULL;
  g_autoptr(CpImportReport) partial = NULL;
  g_autoptr(CpVariant) helmet = NULL;
  g_autoptr(CpVariant) moto = NULL;
  g_autoptr(GPtrArray) movements = NULL;
  g_autoptr(GError) error = NULL;
  CpStockMovement *movement;

  g_assert_cmpuint (again->created, ==, 0);
  g_assert_cmpuint (again->updated, ==, 0);
  g_assert_cmpuint (again->unchanged, ==, 4);

  /* New price on one row, a new count on another. */
  update_path = write_file (fixture, "update.csv",
                            "sku,name,price,on_hand:WH\n"
                            "HELM-S-BLK,\"Helmet, full face\",79.90,10\n"
                            "HELM-M-BLK,\"Helmet, full face\",89.90,3\n"
                            "TEA-1,\"Tea \"\"Earl Grey\"\"\",3.50,\n",
                            -1);
  update = import_ok (fixture, update_path);
  g_assert_cmpuint (update->updated, ==, 2);
  g_assert_cmpuint (update->unchanged, ==, 1);

  /* Columns the file does not have keep their values. */
  helmet = cp_catalog_get_by_sku (fixture->ledger, "HELM-S-BLK", &error);
  g_assert_cmpint (helmet->price_minor, ==, 7990);
  g_assert_cmpstr (helmet->barcode, ==, "4006381333931");
  g_assert_cmpstr (helmet->option1, ==, "S");
  g_assert_cmpint (helmet->cost_minor, ==, 4150);
  g_assert_cmpint (on_hand (fixture, "HELM-S-BLK", "MAIN"), ==, 4);
  g_assert_cmpint (on_hand (fixture, "HELM-M-BLK", "WH"), ==, 3);

  movements = cp_stock_movements (fixture->ledger, "HELM-M-BLK", "WH", 10, &error);
  g_assert_cmpuint (movements->len, ==, 1);
  movement = g_ptr_array_index (movements, 0);
  g_assert_cmpint (movement->delta, ==, 3);
  g_assert_cmpstr (movement->reference, ==, "import:update.csv");

  /* Emptying a module field removes it; the others stay. */
  partial_path = write_file (fixture, "partial.csv",
                             "sku,name,price,module,year,on_hand:MAIN\n"
                             "MOTO-CB500,Honda CB500F,6499,motorcycle,,-2\n",
                             -1);
  partial = import_ok (fixture, partial_path);
  g_assert_cmpuint (partial->updated, ==, 1);
  moto = cp_catalog_get_by_sku (fixture->ledger, "MOTO-CB500", &error);
  g_assert_cmpstr (moto->attributes_json, ==, "{\"brand\":\"Honda\",\"model\":\"CB500F\"}");
  /* A count may record an oversold item. */
  g_assert_cmpint (on_hand (fixture, "MOTO-CB500", "MAIN"), ==, -2);
}

typedef struct
{
  guint        line;
  guint        column;
  const char  *column_name;
  const char  *needles[4];
} ExpectedProblem;

static void
assert_problems (CpImportReport        *report,
                 const ExpectedProblem *expected,
                 guint                  n_expected)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      g_autofree char *text = cp_import_problem_to_string (g_ptr_array_index (report->problems, i));
      g_test_message ("problem: %s", text);
    }

  for (guint e = 0; e < n_expected; e++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < report->problems->len && !found; i++)
        {
          CpImportProblem *problem = g_ptr_array_index (report->problems, i);
          gboolean all = TRUE;

          if (problem->line != expected[e].line || problem->column != expected[e].column ||
              g_strcmp0 (problem->column_name, expected[e].column_name) != 0)
            continue;
          for (guint n = 0; n < G_N_ELEMENTS (expected[e].needles) && expected[e].needles[n]; n++)
            all = all && strstr (problem->message, expected[e].needles[n]) != NULL;
          found = all;
        }

      if (!found)
        g_error ("No problem at line %u, column %u (%s) saying “%s”",
                 expected[e].line, expected[e].column, expected[e].column_name,
                 expected[e].needles[0]);
    }

  g_assert_cmpuint (report->problems->len, ==, n_expected);
}

static void
test_import_problems (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char csv[] =
    "sku,name,price,prise,cost,currency,barcode,module,on_hand:MAIN,on_hand:SHED\n"  /* 1 */
    ",No SKU,1.00,,,,,,,\n"                                                         /* 2 */
    "A-1,,19.99,,,,,,,\n"                                                           /* 3 */
    "A-2,Comma price,\"19,99\",,,,,,,\n"                                            /* 4 */
    "A-3,Bad cost,5,,cheap,,,,,\n"                                                  /* 5 */
    "A-4,Bad currency,5,,,DOLLARS,,,,\n"                                            /* 6 */
    "A-5,Bad module,5,,,,,bikes,,\n"                                                /* 7 */
    "A-6,First,5,,,,111,,,\n"                                                       /* 8 */
    "A-6,Again,5,,,,,,,\n"                                                          /* 9 */
    "A-7,Same barcode,5,,,,111,,,\n"                                                /* 10 */
    "A-8,Taken barcode,5,,,,999,,,\n"                                               /* 11 */
    "A-9,Half a unit,5,,,,,,2.5,\n"                                                 /* 12 */
    "A-10,Too short,5\n"                                                            /* 13 */
    "A-11,Fine,5,,,,,,1,\n";                                                        /* 14 */
  static const ExpectedProblem expected[] = {
    { 1, 4, "prise", { "“prise” is not a known column", "Did you mean “price”?", "sku, name" } },
    { 1, 10, "on_hand:SHED", { "“SHED”", "MAIN, WH", "counterpart-cli locations add SHED" } },
    { 2, 1, "sku", { "SKU is empty" } },
    { 3, 2, "name", { "name is empty" } },
    { 4, 3, "price", { "“19,99”", "19.99" } },
    { 5, 5, "cost", { "“cheap”", "19.99" } },
    { 6, 6, "currency", { "“DOLLARS” is not a currency code", "USD" } },
    { 7, 8, "module", { "“bikes” is not a data module", "motorcycle" } },
    { 9, 1, "sku", { "“A-6” is also on line 8" } },
    { 10, 7, "barcode", { "barcode 111 is also on line 8", "A-6" } },
    { 11, 7, "barcode", { "barcode 999 already belongs to SKU “OLD-1”" } },
    { 12, 9, "on_hand:MAIN", { "“2.5” is not a whole number" } },
    { 13, 0, NULL, { "3 fields but the header has 10" } },
  };
  g_autofree char *path = write_file (fixture, "problems.csv", csv, -1);
  g_autoptr(CpImportReport) report = NULL;
  g_autoptr(CpVariant) old = cp_variant_new ();
  g_autoptr(CpVariant) old_after = NULL;
  g_autoptr(GError) error = NULL;
  CpImportProblem *first;

  old->sku = g_strdup ("OLD-1");
  old->product_name = g_strdup ("Old thing");
  old->barcode = g_strdup ("999");
  old->price_minor = 100;
  g_assert_true (cp_catalog_upsert_variant (fixture->ledger, old, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (cp_catalog_import_csv (fixture->ledger, path, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "13 problems"));
  g_assert_nonnull (report);
  assert_problems (report, expected, G_N_ELEMENTS (expected));

  /* Sorted by line, then column. */
  first = g_ptr_array_index (report->problems, 0);
  g_assert_cmpuint (first->line, ==, 1);
  g_assert_cmpuint (first->column, ==, 4);

  /* Nothing was written, not even the good row. */
  g_assert_cmpint (cp_catalog_count_variants (fixture->ledger), ==, 1);
  g_assert_cmpuint (report->created + report->updated + report->unchanged, ==, 0);
  old_after = cp_catalog_get_by_sku (fixture->ledger, "OLD-1", &error);
  g_assert_cmpstr (old_after->barcode, ==, "999");
}

static void
test_import_missing_columns (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *path = write_file (fixture, "missing.csv", "SKU,Name\nA,B\n", -1);
  g_autofree char *empty_path = write_file (fixture, "empty.csv", "", 0);
  g_autoptr(CpImportReport) report = NULL;
  g_autoptr(CpImportReport) empty = NULL;
  g_autoptr(GError) error = NULL;
  CpImportProblem *problem;
  g_autofree char *text = NULL;

  g_assert_false (cp_catalog_import_csv (fixture->ledger, path, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_INVALID);
  g_assert_cmpuint (report->problems->len, ==, 1);
  problem = g_ptr_array_index (report->problems, 0);
  g_assert_cmpuint (problem->line, ==, 1);
  g_assert_cmpstr (problem->column_name, ==, "price");
  g_assert_nonnull (strstr (problem->message, "required column “price” is missing"));
  text = cp_import_problem_to_string (problem);
  g_assert_true (g_str_has_prefix (text, "line 1: "));
  g_clear_error (&error);

  g_assert_false (cp_catalog_import_csv (fixture->ledger, empty_path, NULL, NULL, NULL, &empty, &error));
  g_assert_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "file is empty"));
  g_clear_error (&error);

  /* A file that is not there: an I/O error, and still a report. */
  g_clear_pointer (&report, cp_import_report_free);
  g_assert_false (cp_catalog_import_csv (fixture->ledger, "/nonexistent/x.csv", NULL, NULL, NULL,
                                         &report, &error));
  g_assert_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_IO);
  g_assert_nonnull (report);
}

static void
test_import_encoding (Fixture       *fixture,
                      gconstpointer  data)
{
  /* "Café" in Latin-1 on line 3, column 2. */
  g_autofree char *path = write_file (fixture, "latin1.csv",
                                      "sku,name,price\nA,Tea,1\nB,Caf\xE9,2\nC,\"open,3\n", -1);
  g_autofree char *header_path = write_file (fixture, "latin1-header.csv",
                                             "sku,n\xE4me,price\nA,Tea,1\n", -1);
  g_autoptr(CpImportReport) report = NULL;
  g_autoptr(CpImportReport) header_report = NULL;
  g_autoptr(GError) error = NULL;
  CpImportProblem *problem;

  g_assert_false (cp_catalog_import_csv (fixture->ledger, path, NULL, NULL, NULL, &report, &error));
  g_assert_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_INVALID);
  g_assert_cmpuint (report->problems->len, ==, 2);
  problem = g_ptr_array_index (report->problems, 0);
  g_assert_cmpuint (problem->line, ==, 3);
  g_assert_cmpuint (problem->column, ==, 2);
  g_assert_cmpstr (problem->column_name, ==, "name");
  g_assert_nonnull (strstr (problem->message, "save the file as UTF-8 (in LibreOffice: File → "
                                              "Save As → Text CSV, character set Unicode UTF-8)"));
  /* And the quote that never closes. */
  problem = g_ptr_array_index (report->problems, 1);
  g_assert_cmpuint (problem->line, ==, 4);
  g_assert_cmpuint (problem->column, ==, 2);
  g_assert_nonnull (strstr (problem->message, "closing quote"));
  g_assert_cmpint (cp_catalog_count_variants (fixture->ledger), ==, 0);
  g_clear_error (&error);

  /* A header that is not UTF-8: the whole file is in another encoding. */
  g_assert_false (cp_catalog_import_csv (fixture->ledger, header_path, NULL, NULL, NULL,
                                         &header_report, &error));
  g_assert_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "Save As"));
  problem = g_ptr_array_index (header_report->problems, 0);
  g_assert_cmpuint (problem->line, ==, 1);
  g_assert_cmpuint (problem->column, ==, 2);
}

/* A catalog with every kind of value: export, import, nothing changes. */
static void
populate_varied (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file (fixture, "seed.csv", basic_csv, -1);
  g_autoptr(CpImportReport) report = import_ok (fixture, path);
  g_autoptr(CpVariant) typed = cp_variant_new ();
  g_autoptr(CpVariant) yen = cp_variant_new ();

  /* Attributes written by someone else, with JSON numbers and a key no
   * column shows. */
  typed->sku = g_strdup ("MOTO-TYPED");
  typed->product_name = g_strdup ("Yamaha MT-07, \"naked\"\nmulti-line");
  typed->module = CP_MODULE_MOTORCYCLE;
  typed->price_minor = 799900;
  g_free (typed->attributes_json);
  typed->attributes_json = g_strdup ("{\"year\": 2019, \"brand\": \"Yamaha\", \"vin_note\": \"x\"}");
  typed->tax_class = g_strdup ("reduced");
  g_assert_true (cp_catalog_upsert_variant (fixture->ledger, typed, NULL, NULL, &error));
  g_assert_no_error (error);

  yen->sku = g_strdup ("JP-1");
  yen->product_name = g_strdup ("Tenugui");
  yen->price_minor = 1200;
  yen->cost_minor = 0;
  g_strlcpy (yen->currency, "JPY", sizeof yen->currency);
  g_assert_true (cp_catalog_upsert_variant (fixture->ledger, yen, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (cp_stock_adjust (fixture->ledger, "JP-1", "WH", -3, CP_STOCK_REASON_SOLD,
                                  NULL, NULL, NULL, NULL, &error));
  g_assert_true (cp_stock_set_safety (fixture->ledger, "HELM-S-BLK", "MAIN", 2, &error));
  g_assert_no_error (error);
}

static gint64
count_movements (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) movements = cp_stock_movements (fixture->ledger, NULL, NULL, 100000, &error);

  g_assert_no_error (error);
  return movements->len;
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "export.csv", NULL);
  g_autofree char *tmp_path = g_strconcat (path, ".tmp", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(CpImportReport) report = NULL;
  g_autoptr(CpVariant) typed = NULL;
  g_autoptr(GError) error = NULL;
  gint64 movements_before;

  populate_varied (fixture);
  movements_before = count_movements (fixture);

  g_assert_true (cp_catalog_export (fixture->ledger, path, CP_EXPORT_CSV, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (tmp_path, G_FILE_TEST_EXISTS));

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents,
                                   "sku,name,product,option1,option2,option3,price,currency,cost,"
                                   "barcode,tax_class,module,category,brand,model,year,part_number,"
                                   "compatibility,dimensions,type,rental_duration,deposit,"
                                   "material_type,bom,on_hand:MAIN,on_hand:WH\r\n"));
  g_assert_nonnull (strstr (contents, "\r\nJP-1,Tenugui,JP-1,,,,1200,JPY,0,,,general,,"));
  g_assert_nonnull (strstr (contents, ",0,-3\r\n"));
  g_assert_nonnull (strstr (contents, "\"Yamaha MT-07, \"\"naked\"\"\nmulti-line\""));

  report = import_ok (fixture, path);
  g_assert_cmpuint (report->rows, ==, 6);
  g_assert_cmpuint (report->created, ==, 0);
  g_assert_cmpuint (report->updated, ==, 0);
  g_assert_cmpuint (report->unchanged, ==, 6);
  g_assert_cmpint (count_movements (fixture), ==, movements_before);

  /* The key no column shows is still there, and the numbers too. */
  typed = cp_catalog_get_by_sku (fixture->ledger, "MOTO-TYPED", &error);
  g_assert_nonnull (strstr (typed->attributes_json, "\"vin_note\":\"x\""));
  g_assert_nonnull (strstr (typed->attributes_json, "\"year\":2019"));
}

/* The demo shop has every module, variants, Unicode names and negative
 * stock: all three exports work, and the CSV imports back unchanged. */
static void
test_demo_round_trip (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *csv_path = g_build_filename (fixture->dir, "demo.csv", NULL);
  g_autofree char *json_path = g_build_filename (fixture->dir, "demo.json", NULL);
  g_autofree char *xlsx_path = g_build_filename (fixture->dir, "demo.xlsx", NULL);
  g_autoptr(CpImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  CpDemoOptions options;
  gint64 n_variants, movements_before;

  cp_demo_options_init (&options);
  options.n_products = 120;
  options.days = 5;
  g_assert_true (cp_demo_populate (fixture->ledger, &options, &error));
  g_assert_no_error (error);
  n_variants = cp_catalog_count_variants (fixture->ledger);
  movements_before = count_movements (fixture);

  g_assert_true (cp_catalog_export (fixture->ledger, csv_path, CP_EXPORT_CSV, NULL, NULL, NULL, &error));
  g_assert_true (cp_catalog_export (fixture->ledger, json_path, CP_EXPORT_JSON, NULL, NULL, NULL, &error));
  g_assert_true (cp_catalog_export (fixture->ledger, xlsx_path, CP_EXPORT_XLSX, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  report = import_ok (fixture, csv_path);
  g_assert_cmpint (report->rows, ==, n_variants);
  g_assert_cmpuint (report->unchanged, ==, n_variants);
  g_assert_cmpint (count_movements (fixture), ==, movements_before);
}

static void
test_export_json (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "export.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *rows;
  JsonObject *helmet = NULL;
  JsonObject *price;
  JsonArray *stock;
  JsonObject *main_stock;

  populate_varied (fixture);
  g_assert_true (cp_catalog_export (fixture->ledger, path, CP_EXPORT_JSON, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  rows = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "data");
  g_assert_cmpuint (json_array_get_length (rows), ==, 6);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (g_str_equal (json_object_get_string_member (row, "sku"), "HELM-S-BLK"))
        helmet = row;
    }
  g_assert_nonnull (helmet);
  g_assert_cmpstr (json_object_get_string_member (helmet, "name"), ==, "Helmet, full face");
  g_assert_cmpstr (json_object_get_string_member (helmet, "product"), ==, "helmet");
  g_assert_cmpstr (json_object_get_string_member (helmet, "barcode"), ==, "4006381333931");
  g_assert_cmpstr (json_object_get_string_member (helmet, "module"), ==, "general");
  price = json_object_get_object_member (helmet, "price");
  g_assert_cmpint (json_object_get_int_member (price, "amount_minor"), ==, 8990);
  g_assert_cmpstr (json_object_get_string_member (price, "currency"), ==, "USD");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (helmet, "cost"),
                                               "amount_minor"), ==, 4150);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (helmet, "attributes")));

  stock = json_object_get_array_member (helmet, "stock");
  g_assert_cmpuint (json_array_get_length (stock), ==, 2);
  main_stock = json_array_get_object_element (stock, 0);
  g_assert_cmpstr (json_object_get_string_member (main_stock, "location"), ==, "MAIN");
  g_assert_cmpint (json_object_get_int_member (main_stock, "on_hand"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (main_stock, "reserved"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (main_stock, "safety_stock"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (main_stock, "available"), ==, 2);
}

/* Inflates the zip member NAME (deflated or stored) from an XLSX file. */
static char *
zip_member (const char *path,
            const char *name)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  gsize name_len = strlen (name);

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);

  for (gsize i = 0; i + 30 + name_len <= length; i++)
    {
      const guint8 *p = (const guint8 *) data + i;
      guint16 method, n_len, extra_len;

      if (memcmp (p, "PK\x03\x04", 4) != 0)
        continue;
      method = p[8] | (p[9] << 8);
      n_len = p[26] | (p[27] << 8);
      extra_len = p[28] | (p[29] << 8);
      if (n_len != name_len || memcmp (p + 30, name, name_len) != 0)
        continue;

      {
        const guint8 *start = p + 30 + n_len + extra_len;
        gsize available = length - (start - (const guint8 *) data);
        g_autoptr(GZlibDecompressor) inflater = NULL;
        g_autoptr(GByteArray) out = g_byte_array_new ();
        guint8 buf[65536];
        gsize read_total = 0;

        if (method == 0)
          return g_strndup ((const char *) start, p[18] | (p[19] << 8) | (p[20] << 16) | (p[21] << 24));

        g_assert_cmpint (method, ==, 8);
        inflater = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW);
        for (;;)
          {
            gsize bytes_read = 0, bytes_written = 0;
            GConverterResult result;

            result = g_converter_convert (G_CONVERTER (inflater), start + read_total,
                                          available - read_total, buf, sizeof buf,
                                          G_CONVERTER_INPUT_AT_END, &bytes_read,
                                          &bytes_written, &error);
            g_assert_no_error (error);
            read_total += bytes_read;
            g_byte_array_append (out, buf, bytes_written);
            if (result == G_CONVERTER_FINISHED)
              break;
          }
        g_byte_array_append (out, (const guint8 *) "", 1);
        return (char *) g_byte_array_free (g_steal_pointer (&out), FALSE);
      }
    }

  g_error ("%s has no member %s", path, name);
  return NULL;
}

static void
test_export_xlsx (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "export.xlsx", NULL);
  g_autofree char *tmp_path = g_strconcat (path, ".tmp", NULL);
  g_autofree char *sheet = NULL;
  g_autofree char *styles = NULL;
  g_autoptr(GError) error = NULL;

  populate_varied (fixture);
  g_assert_true (cp_catalog_export (fixture->ledger, path, CP_EXPORT_XLSX, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (tmp_path, G_FILE_TEST_EXISTS));

  sheet = zip_member (path, "xl/worksheets/sheet1.xml");
  /* Header cells, the price as a number and the exact minor units. */
  g_assert_nonnull (strstr (sheet, "<t>price_minor</t>"));
  g_assert_nonnull (strstr (sheet, "<t>on_hand:WH</t>"));
  g_assert_nonnull (strstr (sheet, "<t>HELM-S-BLK</t>"));
  /* libxlsxwriter prints 17 digits: the nearest double to 89.90. */
  g_assert_nonnull (strstr (sheet, "<v>89.9"));
  g_assert_nonnull (strstr (sheet, "<v>8990</v>"));
  g_assert_nonnull (strstr (sheet, "<v>1200</v>"));
  g_assert_nonnull (strstr (sheet, "<v>-3</v>"));

  styles = zip_member (path, "xl/styles.xml");
  g_assert_nonnull (strstr (styles, "formatCode=\"#,##0.00\""));
  g_assert_nonnull (strstr (styles, "<b/>"));
}

static void
cancel_after_first (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static char *
big_csv (Fixture    *fixture,
         guint       n_rows,
         const char *price)
{
  g_autoptr(GString) csv = g_string_new ("sku,name,price,barcode,product,option1,cost,on_hand:MAIN\n");

  for (guint i = 0; i < n_rows; i++)
    g_string_append_printf (csv, "SKU-%05u,Product %u,%s,200%010u,p%u,%s,4.25,%u\n",
                            i, i / 4, price, i, i / 4, (const char *[]) { "S", "M", "L", "XL" }[i % 4],
                            i % 17);

  return write_file (fixture, "big.csv", csv->str, csv->len);
}

static void
test_export_failures (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *csv_path = big_csv (fixture, 1200, "9.99");
  g_autofree char *path = g_build_filename (fixture->dir, "keep.csv", NULL);
  g_autofree char *tmp_path = g_strconcat (path, ".tmp", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(CpImportReport) report = import_ok (fixture, csv_path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CpExportFormat format;

  g_assert_false (cp_catalog_export (fixture->ledger, "/nonexistent/dir/out.csv", CP_EXPORT_CSV,
                                     NULL, NULL, NULL, &error));
  g_assert_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_IO);
  g_clear_error (&error);

  /* Cancelled halfway: the old file is untouched, no temporary left. */
  g_file_set_contents (path, "old", -1, &error);
  for (format = CP_EXPORT_CSV; format <= CP_EXPORT_JSON; format++)
    {
      g_cancellable_reset (cancellable);
      g_assert_false (cp_catalog_export (fixture->ledger, path, format, cancel_after_first,
                                         cancellable, cancellable, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
      g_assert_false (g_file_test (tmp_path, G_FILE_TEST_EXISTS));
      g_file_get_contents (path, &contents, NULL, &error);
      g_assert_cmpstr (contents, ==, "old");
      g_clear_pointer (&contents, g_free);
    }

  g_assert_true (cp_export_format_from_string ("XLSX", &format));
  g_assert_cmpint (format, ==, CP_EXPORT_XLSX);
  g_assert_false (cp_export_format_from_string ("pdf", &format));
  g_assert_false (cp_catalog_export (fixture->ledger, path, (CpExportFormat) 42, NULL, NULL, NULL,
                                     &error));
  g_assert_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_FORMAT);
}

static void
test_import_cancel (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = big_csv (fixture, 2000, "9.99");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CpImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (cp_catalog_import_csv (fixture->ledger, path, cancel_after_first, cancellable,
                                         cancellable, &report, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cp_catalog_count_variants (fixture->ledger), ==, 0);
  g_assert_cmpint (count_movements (fixture), ==, 0);
  /* And the ledger is usable afterwards. */
  g_clear_pointer (&report, cp_import_report_free);
  report = import_ok (fixture, path);
  g_assert_cmpuint (report->created, ==, 2000);
}

static void
test_import_10k (Fixture       *fixture,
                 gconstpointer  data)
{
  guint n_rows = SLOW_BUILD ? 2000 : 10000;
  g_autofree char *path = big_csv (fixture, n_rows, "12.50");
  g_autoptr(CpImportReport) report = NULL;
  g_autoptr(CpImportReport) again = NULL;
  g_autofree char *export_path = g_build_filename (fixture->dir, "big-export.csv", NULL);
  g_autoptr(GError) error = NULL;
  gint64 start, import_us, reimport_us, export_us;

  start = g_get_monotonic_time ();
  report = import_ok (fixture, path);
  import_us = g_get_monotonic_time () - start;
  g_assert_cmpuint (report->created, ==, n_rows);
  g_assert_cmpint (cp_catalog_count_products (fixture->ledger), ==, n_rows / 4);

  start = g_get_monotonic_time ();
  g_assert_true (cp_catalog_export (fixture->ledger, export_path, CP_EXPORT_CSV, NULL, NULL, NULL,
                                    &error));
  g_assert_no_error (error);
  export_us = g_get_monotonic_time () - start;

  start = g_get_monotonic_time ();
  again = import_ok (fixture, export_path);
  reimport_us = g_get_monotonic_time () - start;
  g_assert_cmpuint (again->unchanged, ==, n_rows);

  g_test_message ("%u rows: import %.2f s, export %.2f s, unchanged re-import %.2f s",
                  n_rows, import_us / 1e6, export_us / 1e6, reimport_us / 1e6);
  /* Speed is measured by tests/bench/bench-catalog-import, never asserted
   * here: the machines are shared and a timed assertion would be noise. */
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
  GThread      *main_thread;
  guint         n_progress;
  guint64       last_done;
  guint         n_changed;
} AsyncState;

static void
async_progress (guint64  done,
                guint64  total,
                gpointer user_data)
{
  AsyncState *state = user_data;

  /* On the caller's context, not the worker's thread. */
  g_assert_true (g_thread_self () == state->main_thread);
  state->n_progress++;
  state->last_done = done;
}

static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncState *state = user_data;

  state->result = g_object_ref (result);
  g_main_loop_quit (state->loop);
}

static void
on_changed (CpLedger   *ledger,
            const char *table,
            gpointer    user_data)
{
  AsyncState *state = user_data;

  state->n_changed++;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = big_csv (fixture, 1500, "3.00");
  g_autofree char *bad_path = write_file (fixture, "bad.csv", "sku,name\nA,B\n", -1);
  g_autofree char *export_path = g_build_filename (fixture->dir, "async.json", NULL);
  g_autoptr(CpImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  AsyncState state = { 0, };

  state.loop = g_main_loop_new (NULL, FALSE);
  state.main_thread = g_thread_self ();
  g_signal_connect (fixture->ledger, "changed", G_CALLBACK (on_changed), &state);

  cp_catalog_import_csv_async (fixture->ledger, path, async_progress, &state, NULL,
                               async_done, &state);
  g_main_loop_run (state.loop);
  g_assert_true (cp_catalog_import_csv_finish (fixture->ledger, state.result, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->created, ==, 1500);
  g_assert_cmpuint (state.n_progress, >=, 3);
  g_assert_cmpuint (state.last_done, ==, 1500);
  g_assert_cmpuint (state.n_changed, >, 0);
  /* The caller's own connection sees the rows. */
  g_assert_cmpint (cp_catalog_count_variants (fixture->ledger), ==, 1500);
  g_clear_object (&state.result);
  g_clear_pointer (&report, cp_import_report_free);

  cp_catalog_import_csv_async (fixture->ledger, bad_path, NULL, NULL, NULL, async_done, &state);
  g_main_loop_run (state.loop);
  g_assert_false (cp_catalog_import_csv_finish (fixture->ledger, state.result, &report, &error));
  g_assert_error (error, CP_CATALOG_IO_ERROR, CP_CATALOG_IO_ERROR_INVALID);
  g_assert_cmpuint (report->problems->len, ==, 1);
  g_clear_error (&error);
  g_clear_object (&state.result);

  state.n_progress = 0;
  cp_catalog_export_async (fixture->ledger, export_path, CP_EXPORT_JSON, async_progress, &state,
                           NULL, async_done, &state);
  g_main_loop_run (state.loop);
  g_assert_true (cp_catalog_export_finish (fixture->ledger, state.result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (state.n_progress, >=, 3);
  g_assert_cmpuint (state.last_done, ==, 1500);
  g_assert_true (g_file_test (export_path, G_FILE_TEST_IS_REGULAR));
  g_clear_object (&state.result);

  g_signal_handlers_disconnect_by_data (fixture->ledger, &state);
  g_main_loop_unref (state.loop);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/core/catalog-io/import/basic", test_import_basic);
  ADD ("/core/catalog-io/import/update", test_import_update);
  ADD ("/core/catalog-io/import/problems", test_import_problems);
  ADD ("/core/catalog-io/import/missing-columns", test_import_missing_columns);
  ADD ("/core/catalog-io/import/encoding", test_import_encoding);
  ADD ("/core/catalog-io/import/cancel", test_import_cancel);
  ADD ("/core/catalog-io/import/10k", test_import_10k);
  ADD ("/core/catalog-io/export/round-trip", test_round_trip);
  ADD ("/core/catalog-io/export/json", test_export_json);
  ADD ("/core/catalog-io/export/demo-round-trip", test_demo_round_trip);
  ADD ("/core/catalog-io/export/xlsx", test_export_xlsx);
  ADD ("/core/catalog-io/export/failures", test_export_failures);
  ADD ("/core/catalog-io/async", test_async);

#undef ADD

  return g_test_run ();
}
