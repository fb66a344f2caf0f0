/* bench-catalog-import.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Catalog import: a 10,000-row CSV (as Counterpart exports it, with stock
 * at one location) imported through cp_catalog_import_csv() — validation,
 * products, variants, barcodes, the search index and journaled stock —
 * set against a bare insert of the same file in the same run: the same
 * CSV reader and money parser, then plain tables with the same columns in
 * one transaction. Rounds alternate between the two; medians are used.
 */

#define G_LOG_DOMAIN "cp-bench"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "cp-ledger.h"
#include "cp-catalog.h"
#include "cp-catalog-io.h"
#include "cp-csv.h"
#include "cp-money.h"
#include "cp-stock.h"
#include "cp-bench.h"
#include "cp-bench-catalog.h"

#define FULL_ROWS G_GUINT64_CONSTANT (10000)
#define ROUNDS    3

static gint64
on_hand_of (guint64 index)
{
  return (gint64) (index % 50) + 1;
}

static gint64
query_int64 (sqlite3    *db,
             const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    cp_bench_fail ("“%s” failed: %s", sql, sqlite3_errmsg (db));
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static CpLedger *
open_shop (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "counterpart.db", NULL);
  g_autoptr(CpLedger) ledger = cp_ledger_open (path, &error);

  if (ledger == NULL ||
      !cp_locations_add (ledger, "MAIN", "Main store", "USD", NULL, &error))
    cp_bench_fail ("cannot set up a ledger in %s: %s", dir, error->message);
  return g_steal_pointer (&ledger);
}

/* The input: a catalog built by upserts, exported as CSV. Returns the
 * seconds the upserts took (context for the report). */
static double
write_csv (const char *dir,
           const char *csv_path,
           guint64     n_rows,
           gint64     *out_units)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLedger) ledger = open_shop (dir);
  g_autoptr(CpVariant) variant = cp_variant_new ();
  gint64 start = g_get_monotonic_time ();
  double seconds;

  *out_units = 0;
  if (!cp_ledger_begin (ledger, &error))
    cp_bench_fail ("cannot begin: %s", error->message);
  for (guint64 i = 0; i < n_rows; i++)
    {
      cp_bench_catalog_fill_variant (variant, i);
      if (!cp_catalog_upsert_variant (ledger, variant, NULL, NULL, &error) ||
          !cp_stock_adjust (ledger, variant->sku, "MAIN", on_hand_of (i), CP_STOCK_REASON_RECEIVED,
                            NULL, NULL, "bench", NULL, &error))
        cp_bench_fail ("cannot add variant %" G_GUINT64_FORMAT ": %s", i, error->message);
      *out_units += on_hand_of (i);
    }
  if (!cp_ledger_commit (ledger, &error))
    cp_bench_fail ("cannot commit: %s", error->message);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  if (!cp_catalog_export (ledger, csv_path, CP_EXPORT_CSV, NULL, NULL, NULL, &error))
    cp_bench_fail ("cannot export the catalog: %s", error->message);

  return seconds;
}

static double
run_import (const char *csv_path,
            guint64     n_rows,
            gint64      n_units)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = cp_bench_make_tmp_dir ("cp-bench-import");
  g_autoptr(CpLedger) ledger = open_shop (dir);
  g_autoptr(CpImportReport) report = NULL;
  gint64 start;
  double seconds;

  start = g_get_monotonic_time ();
  if (!cp_catalog_import_csv (ledger, csv_path, NULL, NULL, NULL, &report, &error))
    {
      if (report != NULL && report->problems->len > 0)
        {
          g_autofree char *first = cp_import_problem_to_string (g_ptr_array_index (report->problems, 0));

          cp_bench_fail ("the import refused the file (%u problems), first: %s",
                         report->problems->len, first);
        }
      cp_bench_fail ("the import failed: %s", error->message);
    }
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  if (report == NULL || report->rows != n_rows || report->created != n_rows ||
      report->problems->len != 0)
    cp_bench_fail ("the import report is off: %u rows, %u created, expected %" G_GUINT64_FORMAT,
                   report != NULL ? report->rows : 0, report != NULL ? report->created : 0, n_rows);
  if ((guint64) cp_catalog_count_variants (ledger) != n_rows)
    cp_bench_fail ("the ledger holds %" G_GINT64_FORMAT " variants after the import, expected %"
                   G_GUINT64_FORMAT, cp_catalog_count_variants (ledger), n_rows);
  if (query_int64 (cp_ledger_get_db (ledger), "SELECT total (on_hand) FROM stock_levels") != n_units)
    cp_bench_fail ("the imported stock does not add up");

  g_clear_object (&ledger);
  cp_bench_rm_rf (dir);
  return seconds;
}

static void
bare_exec (sqlite3    *db,
           const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    cp_bench_fail ("“%s” failed: %s", sql, message);
}

static sqlite3_stmt *
bare_prepare (sqlite3    *db,
              const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    cp_bench_fail ("cannot prepare “%s”: %s", sql, sqlite3_errmsg (db));
  return stmt;
}

static void
bare_step (sqlite3      *db,
           sqlite3_stmt *stmt)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    cp_bench_fail ("insert failed: %s", sqlite3_errmsg (db));
  sqlite3_reset (stmt);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL && *text != '\0')
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static gint64
parse_money (const char *text,
             const char *currency)
{
  g_autoptr(GError) error = NULL;
  gint64 minor = 0;

  if (!cp_money_parse (text, currency, &minor, &error))
    cp_bench_fail ("bad amount “%s”: %s", text, error->message);
  return minor;
}

/* Column positions by header name; -1 when absent. */
typedef struct
{
  int sku, name, product, option1, option2, option3, price, currency, cost, barcode,
      tax_class, module, on_hand;
} Columns;

static double
run_bare (const char *csv_path,
          guint64     n_rows,
          gint64      n_units)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = cp_bench_make_tmp_dir ("cp-bench-bare-import");
  g_autofree char *path = g_build_filename (dir, "bare.db", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (csv_path);
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(CpCsvReader) reader = NULL;
  g_autoptr(GHashTable) products = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Columns col = { -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 };
  sqlite3 *db = NULL;
  sqlite3_stmt *product_stmt, *variant_stmt, *stock_stmt;
  gint64 start, now = g_get_real_time ();
  double seconds;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    cp_bench_fail ("cannot open %s", path);
  bare_exec (db,
             "PRAGMA journal_mode = WAL;"
             "PRAGMA synchronous = NORMAL;"
             "CREATE TABLE products (id INTEGER PRIMARY KEY, handle TEXT, name TEXT, module TEXT,"
             "  created_at INTEGER, updated_at INTEGER);"
             "CREATE TABLE variants (id INTEGER PRIMARY KEY, product_id INTEGER, sku TEXT,"
             "  barcode TEXT, option1 TEXT, option2 TEXT, option3 TEXT, price_minor INTEGER,"
             "  cost_minor INTEGER, currency TEXT, tax_class TEXT, attributes TEXT,"
             "  created_at INTEGER, updated_at INTEGER);"
             "CREATE TABLE stock_levels (variant_id INTEGER, location_id INTEGER, on_hand INTEGER,"
             "  updated_at INTEGER);");
  product_stmt = bare_prepare (db, "INSERT INTO products (handle, name, module, created_at, updated_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?4)");
  variant_stmt = bare_prepare (db, "INSERT INTO variants (product_id, sku, barcode, option1, option2, "
                                   "option3, price_minor, cost_minor, currency, tax_class, attributes, "
                                   "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                                   "?10, '{}', ?11, ?11)");
  stock_stmt = bare_prepare (db, "INSERT INTO stock_levels (variant_id, location_id, on_hand, updated_at) "
                                 "VALUES (?1, 1, ?2, ?3)");

  start = g_get_monotonic_time ();

  input = g_file_read (file, NULL, &error);
  if (input == NULL)
    cp_bench_fail ("cannot read %s: %s", csv_path, error->message);
  reader = cp_csv_reader_new_for_stream (G_INPUT_STREAM (input));
  if (!cp_csv_reader_next (reader, NULL, &error))
    cp_bench_fail ("no header in %s", csv_path);
  for (guint i = 0; i < cp_csv_reader_get_n_fields (reader); i++)
    {
      const char *name = cp_csv_reader_get_field (reader, i);
      struct { const char *name; int *where; } known[] = {
        { "sku", &col.sku }, { "name", &col.name }, { "product", &col.product },
        { "option1", &col.option1 }, { "option2", &col.option2 }, { "option3", &col.option3 },
        { "price", &col.price }, { "currency", &col.currency }, { "cost", &col.cost },
        { "barcode", &col.barcode }, { "tax_class", &col.tax_class }, { "module", &col.module },
        { "on_hand:MAIN", &col.on_hand },
      };

      for (guint k = 0; k < G_N_ELEMENTS (known); k++)
        if (g_str_equal (name, known[k].name))
          *known[k].where = (int) i;
    }
  if (col.sku < 0 || col.name < 0 || col.product < 0 || col.price < 0 || col.currency < 0 ||
      col.on_hand < 0)
    cp_bench_fail ("the exported CSV lacks a column the bare import needs");

  bare_exec (db, "BEGIN IMMEDIATE");
  while (cp_csv_reader_next (reader, NULL, &error))
    {
#define FIELD(c) ((c) >= 0 ? cp_csv_reader_get_field (reader, (c)) : NULL)
      const char *currency = FIELD (col.currency);
      const char *handle = FIELD (col.product);
      const char *cost = FIELD (col.cost);
      gpointer product_id;

      if (!g_hash_table_lookup_extended (products, handle, NULL, &product_id))
        {
          sqlite3_bind_text (product_stmt, 1, handle, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (product_stmt, 2, FIELD (col.name), -1, SQLITE_TRANSIENT);
          bind_text_or_null (product_stmt, 3, FIELD (col.module));
          sqlite3_bind_int64 (product_stmt, 4, now);
          bare_step (db, product_stmt);
          product_id = GSIZE_TO_POINTER ((gsize) sqlite3_last_insert_rowid (db));
          g_hash_table_insert (products, g_strdup (handle), product_id);
        }

      sqlite3_bind_int64 (variant_stmt, 1, (gint64) GPOINTER_TO_SIZE (product_id));
      sqlite3_bind_text (variant_stmt, 2, FIELD (col.sku), -1, SQLITE_TRANSIENT);
      bind_text_or_null (variant_stmt, 3, FIELD (col.barcode));
      bind_text_or_null (variant_stmt, 4, FIELD (col.option1));
      bind_text_or_null (variant_stmt, 5, FIELD (col.option2));
      bind_text_or_null (variant_stmt, 6, FIELD (col.option3));
      sqlite3_bind_int64 (variant_stmt, 7, parse_money (FIELD (col.price), currency));
      if (cost != NULL && *cost != '\0')
        sqlite3_bind_int64 (variant_stmt, 8, parse_money (cost, currency));
      else
        sqlite3_bind_null (variant_stmt, 8);
      sqlite3_bind_text (variant_stmt, 9, currency, -1, SQLITE_TRANSIENT);
      bind_text_or_null (variant_stmt, 10, FIELD (col.tax_class));
      sqlite3_bind_int64 (variant_stmt, 11, now);
      bare_step (db, variant_stmt);

      sqlite3_bind_int64 (stock_stmt, 1, sqlite3_last_insert_rowid (db));
      sqlite3_bind_int64 (stock_stmt, 2, g_ascii_strtoll (FIELD (col.on_hand), NULL, 10));
      sqlite3_bind_int64 (stock_stmt, 3, now);
      bare_step (db, stock_stmt);
#undef FIELD
    }
  if (error != NULL)
    cp_bench_fail ("cannot read %s: %s", csv_path, error->message);
  bare_exec (db, "COMMIT");

  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  if ((guint64) query_int64 (db, "SELECT count (*) FROM variants") != n_rows ||
      query_int64 (db, "SELECT total (on_hand) FROM stock_levels") != n_units)
    cp_bench_fail ("the bare tables do not hold the file");

  sqlite3_finalize (product_stmt);
  sqlite3_finalize (variant_stmt);
  sqlite3_finalize (stock_stmt);
  sqlite3_close (db);
  cp_bench_rm_rf (dir);
  return seconds;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  CpBenchConfig config;
  g_autofree char *dir = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *line = NULL;
  g_autofree char *rows_text = NULL;
  g_autofree char *rate_text = NULL;
  g_autofree char *bare_text = NULL;
  g_autofree char *upsert_text = NULL;
  double import_s[ROUNDS], bare_s[ROUNDS];
  double upsert_s, import_median, bare_median;
  gint64 n_units = 0;
  guint64 n_rows;
  guint rounds;

  cp_bench_config_init (&config, argc, argv);
  n_rows = cp_bench_scaled (&config, FULL_ROWS, 20);
  rounds = config.smoke ? 1 : ROUNDS;

  dir = cp_bench_make_tmp_dir ("cp-bench-import-src");
  csv_path = g_build_filename (dir, "catalog.csv", NULL);
  upsert_s = write_csv (dir, csv_path, n_rows, &n_units);

  for (guint r = 0; r < rounds; r++)
    {
      if (r % 2 == 0)
        {
          import_s[r] = run_import (csv_path, n_rows, n_units);
          bare_s[r] = run_bare (csv_path, n_rows, n_units);
        }
      else
        {
          bare_s[r] = run_bare (csv_path, n_rows, n_units);
          import_s[r] = run_import (csv_path, n_rows, n_units);
        }
    }

  qsort (import_s, rounds, sizeof (double), compare_doubles);
  qsort (bare_s, rounds, sizeof (double), compare_doubles);
  import_median = import_s[rounds / 2];
  bare_median = bare_s[rounds / 2];

  rows_text = cp_bench_thousands ((double) n_rows);
  rate_text = cp_bench_thousands (n_rows / import_median);
  bare_text = cp_bench_thousands (n_rows / bare_median);
  upsert_text = cp_bench_thousands (n_rows / upsert_s);
  line = g_strdup_printf ("catalog-import: %s CSV rows (with stock at 1 location) imported in %.2f s "
                          "= %s rows/s (median of %u); bare sqlite insert of the same file %s rows/s; "
                          "ratio %.2f; (for context: upsert loop + stock adjust %s rows/s)",
                          rows_text, import_median, rate_text, rounds, bare_text,
                          bare_median / import_median, upsert_text);
  cp_bench_report (&config, line);

  cp_bench_rm_rf (dir);
  return 0;
}
