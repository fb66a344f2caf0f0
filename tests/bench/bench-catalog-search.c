/* bench-catalog-search.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Catalog search over 100,000 variants: ~1,000 searches a person would
 * type, each done the way the window does it (CpCatalogModel: set the
 * search, read n_items, fetch the first 50 rows), reported as p50/p95/p99.
 * The baseline, measured in the same run and interleaved query by query
 * so noise hits both alike, is the bare FTS5 query
 *   SELECT rowid FROM variants_fts WHERE variants_fts MATCH ? LIMIT 50
 * with the same match expression. Goal: model p95 < 20 ms.
 */

#define G_LOG_DOMAIN "cp-bench"

#include "config.h"

#include <gio/gio.h>

#include "cp-ledger.h"
#include "cp-catalog.h"
#include "cp-catalog-model.h"
#include "cp-fts.h"
#include "cp-bench.h"
#include "cp-bench-catalog.h"

#define FULL_VARIANTS  G_GUINT64_CONSTANT (100000)
#define FULL_SEARCHES  G_GUINT64_CONSTANT (1000)
#define WARM_UP        10
#define FIRST_ROWS     50
/* Searches whose full match count is checked against the model's. */
#define CHECKED        25

static double
build_catalog (CpLedger *ledger,
               guint64   n_variants)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) variant = cp_variant_new ();
  gint64 start = g_get_monotonic_time ();

  if (!cp_locations_add (ledger, "MAIN", "Main store", "USD", NULL, &error) ||
      !cp_ledger_begin (ledger, &error))
    cp_bench_fail ("cannot set up the shop: %s", error->message);

  for (guint64 i = 0; i < n_variants; i++)
    {
      CpUpsertResult result = CP_UPSERT_UNCHANGED;

      cp_bench_catalog_fill_variant (variant, i);
      if (!cp_catalog_upsert_variant (ledger, variant, NULL, &result, &error))
        cp_bench_fail ("cannot add variant %" G_GUINT64_FORMAT ": %s", i, error->message);
      if (result != CP_UPSERT_CREATED)
        cp_bench_fail ("variant %s was not reported as created", variant->sku);
    }

  if (!cp_ledger_commit (ledger, &error))
    cp_bench_fail ("cannot save the catalog: %s", error->message);

  if ((guint64) cp_catalog_count_variants (ledger) != n_variants)
    cp_bench_fail ("the catalog holds %" G_GINT64_FORMAT " variants, expected %" G_GUINT64_FORMAT,
                   cp_catalog_count_variants (ledger), n_variants);

  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* What the window does for one keystroke's worth of search: returns the
 * number of matches, after fetching the rows a list shows first. */
static guint
search_model (CpCatalogModel *model,
              const char     *query)
{
  guint n;

  cp_catalog_model_set_search (model, query);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  for (guint i = 0; i < MIN (n, FIRST_ROWS); i++)
    {
      g_autoptr(CpVariantItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (item == NULL || cp_variant_item_get_sku (item) == NULL)
        cp_bench_fail ("row %u of “%s” (of %u) could not be read", i, query, n);
    }

  return n;
}

static guint
search_raw (sqlite3      *db,
            sqlite3_stmt *stmt,
            const char   *match)
{
  guint n = 0;
  int rc;

  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (sqlite3_column_int64 (stmt, 0) <= 0)
        cp_bench_fail ("a bad rowid for “%s”", match);
      n++;
    }
  if (rc != SQLITE_DONE)
    cp_bench_fail ("the raw search for “%s” failed: %s", match, sqlite3_errmsg (db));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return n;
}

static gint64
count_raw (sqlite3    *db,
           const char *match)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  if (sqlite3_prepare_v2 (db, "SELECT count (*) FROM variants_fts WHERE variants_fts MATCH ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    cp_bench_fail ("cannot prepare the count: %s", sqlite3_errmsg (db));
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    cp_bench_fail ("cannot count “%s”: %s", match, sqlite3_errmsg (db));
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

int
main (int   argc,
      char *argv[])
{
  CpBenchConfig config;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpCatalogModel) model = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GPtrArray) queries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) model_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) raw_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *line = NULL;
  g_autofree char *variants_text = NULL;
  g_autofree char *searches_text = NULL;
  sqlite3_stmt *raw = NULL;
  sqlite3 *db;
  guint64 n_variants, n_searches;
  guint64 total_matches = 0;
  double build_s;
  double m50, m95, m99, r50, r95, r99;

  cp_bench_config_init (&config, argc, argv);
  n_variants = cp_bench_scaled (&config, FULL_VARIANTS, 50);
  n_searches = cp_bench_scaled (&config, FULL_SEARCHES, 20);

  dir = cp_bench_make_tmp_dir ("cp-bench-search");
  path = g_build_filename (dir, "counterpart.db", NULL);
  ledger = cp_ledger_open (path, &error);
  if (ledger == NULL)
    cp_bench_fail ("cannot open the ledger: %s", error->message);
  db = cp_ledger_get_db (ledger);

  build_s = build_catalog (ledger, n_variants);

  for (guint64 i = 0; i < n_searches + WARM_UP; i++)
    g_ptr_array_add (queries, cp_bench_catalog_query (rand, n_variants));

  model = cp_catalog_model_new (ledger);
  if (sqlite3_prepare_v2 (db, "SELECT rowid FROM variants_fts WHERE variants_fts MATCH ?1 LIMIT 50",
                          -1, &raw, NULL) != SQLITE_OK)
    cp_bench_fail ("cannot prepare the raw search: %s", sqlite3_errmsg (db));

  for (guint i = 0; i < queries->len; i++)
    {
      const char *query = g_ptr_array_index (queries, i);
      g_autofree char *match = cp_fts_prefix_query (query);
      gint64 t0, t1, t2, model_us, raw_us;
      guint n_model, n_raw;

      if (match == NULL)
        cp_bench_fail ("the query “%s” has no word", query);

      /* Alternate which goes first, so neither always finds the pages
       * the other just pulled into the cache. */
      if (i % 2 == 0)
        {
          t0 = g_get_monotonic_time ();
          n_model = search_model (model, query);
          t1 = g_get_monotonic_time ();
          n_raw = search_raw (db, raw, match);
          t2 = g_get_monotonic_time ();
          model_us = t1 - t0;
          raw_us = t2 - t1;
        }
      else
        {
          t0 = g_get_monotonic_time ();
          n_raw = search_raw (db, raw, match);
          t1 = g_get_monotonic_time ();
          n_model = search_model (model, query);
          t2 = g_get_monotonic_time ();
          raw_us = t1 - t0;
          model_us = t2 - t1;
        }

      /* Every query comes from a real variant, so both must find it. */
      if (n_model == 0 || n_raw == 0)
        cp_bench_fail ("“%s” found nothing (model %u, raw %u)", query, n_model, n_raw);
      if (n_raw != MIN (n_model, FIRST_ROWS))
        cp_bench_fail ("“%s”: the model has %u matches but the raw search %u of the first %d",
                       query, n_model, n_raw, FIRST_ROWS);
      if (i < CHECKED && count_raw (db, match) != n_model)
        cp_bench_fail ("“%s”: the model has %u matches, the search index %" G_GINT64_FORMAT,
                       query, n_model, count_raw (db, match));

      total_matches += n_model;
      if (i >= WARM_UP)
        {
          double model_span = model_us / 1000.0;
          double raw_span = raw_us / 1000.0;

          g_array_append_val (model_ms, model_span);
          g_array_append_val (raw_ms, raw_span);
        }
    }

  sqlite3_finalize (raw);

  m50 = cp_bench_percentile (model_ms, 50);
  m95 = cp_bench_percentile (model_ms, 95);
  m99 = cp_bench_percentile (model_ms, 99);
  r50 = cp_bench_percentile (raw_ms, 50);
  r95 = cp_bench_percentile (raw_ms, 95);
  r99 = cp_bench_percentile (raw_ms, 99);

  variants_text = cp_bench_thousands ((double) n_variants);
  searches_text = cp_bench_thousands ((double) n_searches);
  line = g_strdup_printf ("catalog-search: %s variants (built in %.1f s, one transaction); %s searches "
                          "(mean %.0f matches) via CpCatalogModel set_search + n_items + first %d "
                          "items: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms (goal p95 < 20 ms); raw FTS5 "
                          "MATCH LIMIT %d: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms; p95 ratio model/raw %.1f",
                          variants_text, build_s, searches_text,
                          (double) total_matches / queries->len, FIRST_ROWS,
                          m50, m95, m99, FIRST_ROWS, r50, r95, r99, r95 > 0 ? m95 / r95 : 0.0);
  cp_bench_report (&config, line);

  g_clear_object (&model);
  g_clear_object (&ledger);
  cp_bench_rm_rf (dir);
  return 0;
}
