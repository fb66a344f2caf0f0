/* bench-ledger-write.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ledger write: 1,000,000 sales lines recorded through cp_orders_record()
 * in batched transactions, as the register and the integrations do, set
 * against a bare SQLite bulk insert of the same order and line rows into
 * plain tables with the same columns, measured in the same run because
 * the machines are shared and noisy: the ratio is the figure, the
 * absolute rates are only context. Goal: ratio >= 0.5.
 *
 * The bare baseline runs before and after the ledger runs and its mean
 * is used, so a neighbour's burst of work hits both sides alike.
 */

#define G_LOG_DOMAIN "cp-bench"

#include "config.h"

#include <string.h>

#include "cp-ledger.h"
#include "cp-catalog.h"
#include "cp-orders.h"
#include "cp-stock.h"
#include "cp-bench.h"
#include "cp-bench-catalog.h"

#define FULL_LINES        G_GUINT64_CONSTANT (1000000)
#define FULL_VARIANTS     2000
#define BATCH_ORDERS      100
#define MAX_LINES         5
#define START_US          G_GINT64_CONSTANT (1767225600000000) /* 2026-01-01 */

/* The sales to record, made up before any clock starts and kept compact
 * (a million lines): for each order its line count, for each line the
 * variant and the quantity. */
typedef struct
{
  guint64  n_orders;
  guint64  n_lines;
  guint64  n_units;
  guint8  *order_lines;   /* n_orders */
  guint32 *line_variant;  /* n_lines */
  guint8  *line_quantity; /* n_lines */
  /* The catalog the lines name, as the ledger holds it. */
  guint     n_variants;
  char    **skus;
  char    **names;
  gint64   *prices;
} Plan;

typedef struct
{
  double   seconds;
  double   cpu_seconds;
} Timing;

static void
plan_init (Plan    *plan,
           guint64  n_lines,
           guint    n_variants)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  g_autoptr(CpVariant) variant = cp_variant_new ();
  guint64 line = 0;

  memset (plan, 0, sizeof *plan);
  plan->n_lines = n_lines;
  plan->order_lines = g_new (guint8, n_lines);
  plan->line_variant = g_new (guint32, n_lines);
  plan->line_quantity = g_new (guint8, n_lines);

  while (line < n_lines)
    {
      guint n = (guint) g_rand_int_range (rand, 1, MAX_LINES + 1);

      n = (guint) MIN ((guint64) n, n_lines - line);
      plan->order_lines[plan->n_orders++] = (guint8) n;
      for (guint i = 0; i < n; i++, line++)
        {
          plan->line_variant[line] = (guint32) g_rand_int_range (rand, 0, (gint32) n_variants);
          /* Mostly one of a thing, sometimes a few. */
          plan->line_quantity[line] = (guint8) (g_rand_int_range (rand, 0, 4) == 0
                                                ? g_rand_int_range (rand, 2, 6) : 1);
          plan->n_units += plan->line_quantity[line];
        }
    }

  plan->n_variants = n_variants;
  plan->skus = g_new0 (char *, n_variants + 1);
  plan->names = g_new0 (char *, n_variants + 1);
  plan->prices = g_new (gint64, n_variants);
  for (guint i = 0; i < n_variants; i++)
    {
      cp_bench_catalog_fill_variant (variant, i);
      plan->skus[i] = g_strdup (variant->sku);
      plan->names[i] = g_strdup_printf ("%s — %s / %s", variant->product_name,
                                        variant->option1, variant->option2);
      plan->prices[i] = variant->price_minor;
    }
}

static void
plan_clear (Plan *plan)
{
  g_free (plan->order_lines);
  g_free (plan->line_variant);
  g_free (plan->line_quantity);
  g_strfreev (plan->skus);
  g_strfreev (plan->names);
  g_free (plan->prices);
}

/* 20 % sales tax on the line, in minor units, rounded half up. */
static gint64
line_tax (gint64 net)
{
  return (net * 20 + 50) / 100;
}

static CpLedger *
open_shop (const char *dir,
           const Plan *plan)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "counterpart.db", NULL);
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpVariant) variant = cp_variant_new ();

  ledger = cp_ledger_open (path, &error);
  if (ledger == NULL)
    cp_bench_fail ("cannot open the ledger: %s", error->message);

  if (!cp_locations_add (ledger, "MAIN", "Main store", "USD", NULL, &error) ||
      !cp_ledger_begin (ledger, &error))
    cp_bench_fail ("cannot set up the shop: %s", error->message);

  for (guint i = 0; i < plan->n_variants; i++)
    {
      cp_bench_catalog_fill_variant (variant, i);
      if (!cp_catalog_upsert_variant (ledger, variant, NULL, NULL, &error) ||
          !cp_stock_adjust (ledger, variant->sku, "MAIN", 1000, CP_STOCK_REASON_RECEIVED,
                            NULL, NULL, "bench", NULL, &error))
        cp_bench_fail ("cannot add variant %u: %s", i, error->message);
    }

  if (!cp_ledger_commit (ledger, &error))
    cp_bench_fail ("cannot save the catalog: %s", error->message);

  return g_steal_pointer (&ledger);
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

static Timing
run_ledger (const Plan *plan,
            gboolean    decrement)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = cp_bench_make_tmp_dir ("cp-bench-ledger");
  g_autoptr(CpLedger) ledger = open_shop (dir, plan);
  sqlite3 *db = cp_ledger_get_db (ledger);
  guint64 line = 0;
  gint64 start, cpu_start;
  Timing timing;

  cp_bench_sql_profile_attach (db);
  start = g_get_monotonic_time ();
  cpu_start = cp_bench_cpu_us ();

  for (guint64 o = 0; o < plan->n_orders; o++)
    {
      g_autoptr(CpOrder) order = cp_order_new ();
      gint64 order_id = 0;
      gboolean existed = TRUE;

      if (o % BATCH_ORDERS == 0 && !cp_ledger_begin (ledger, &error))
        cp_bench_fail ("cannot begin a batch: %s", error->message);

      order->source = g_strdup ("pos");
      order->external_id = g_strdup_printf ("R1-%08" G_GUINT64_FORMAT, o + 1);
      order->location_code = g_strdup ("MAIN");
      order->placed_at_us = START_US + (gint64) o * 7 * G_USEC_PER_SEC;
      memcpy (order->currency, "USD", 4);

      for (guint i = 0; i < plan->order_lines[o]; i++, line++)
        {
          guint32 v = plan->line_variant[line];
          gint64 q = plan->line_quantity[line];

          cp_order_add_line (order, plan->skus[v], plan->names[v], q, plan->prices[v], 0,
                             line_tax (q * plan->prices[v]));
        }

      if (!cp_orders_record (ledger, order, decrement, &order_id, &existed, &error))
        cp_bench_fail ("cannot record order %" G_GUINT64_FORMAT ": %s", o + 1, error->message);
      if (existed || order_id <= 0)
        cp_bench_fail ("order %" G_GUINT64_FORMAT " was reported as recorded before", o + 1);

      if ((o + 1) % BATCH_ORDERS == 0 || o + 1 == plan->n_orders)
        {
          if (!cp_ledger_commit (ledger, &error))
            cp_bench_fail ("cannot commit a batch: %s", error->message);
        }
    }

  timing.seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  timing.cpu_seconds = (cp_bench_cpu_us () - cpu_start) / (double) G_USEC_PER_SEC;
  cp_bench_sql_profile_print (decrement ? "ledger with stock decrement" : "ledger without decrement");

  /* The figures only count if every sale really is in the ledger. */
  if ((guint64) cp_orders_count (ledger) != plan->n_orders)
    cp_bench_fail ("the ledger holds %" G_GINT64_FORMAT " orders, expected %" G_GUINT64_FORMAT,
                   cp_orders_count (ledger), plan->n_orders);
  if ((guint64) query_int64 (db, "SELECT count (*) FROM order_lines") != plan->n_lines)
    cp_bench_fail ("the ledger holds %" G_GINT64_FORMAT " order lines, expected %" G_GUINT64_FORMAT,
                   query_int64 (db, "SELECT count (*) FROM order_lines"), plan->n_lines);
  if (decrement)
    {
      gint64 sold = query_int64 (db, "SELECT count (*) FROM stock_movements WHERE reason = 'sold'");
      gint64 units = -query_int64 (db, "SELECT total (delta) FROM stock_movements WHERE reason = 'sold'");
      gint64 on_hand = query_int64 (db, "SELECT total (on_hand) FROM stock_levels");

      if ((guint64) sold != plan->n_lines || (guint64) units != plan->n_units ||
          on_hand != (gint64) plan->n_variants * 1000 - (gint64) plan->n_units)
        cp_bench_fail ("stock does not add up: %" G_GINT64_FORMAT " sold movements, %"
                       G_GINT64_FORMAT " units, %" G_GINT64_FORMAT " on hand",
                       sold, units, on_hand);
    }
  else if (query_int64 (db, "SELECT count (*) FROM stock_movements WHERE reason = 'sold'") != 0)
    cp_bench_fail ("stock moved although decrement was off");

  g_clear_object (&ledger);
  cp_bench_rm_rf (dir);
  return timing;
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

/* The floor: the rows a sale must leave behind, with the same columns
 * and values, into plain tables that have only their primary keys (no
 * secondary indexes, triggers, constraints or search index), prepared
 * statements, one transaction per batch, the ledger's PRAGMAs. That is
 * the order and its lines and, with STOCK, one stock movement per line
 * and the level it leaves, as cp_orders_record() writes them. The levels
 * are kept in memory and only written, never read back, so this floor
 * is if anything too fast.
 *
 * With LEDGER_SCHEMA the same hand-written inserts go into the ledger's
 * own tables instead, and also write the order's search row: its indexes,
 * constraints, foreign keys and FTS5 index, everything the ledger pays
 * for but none of the API's work. That splits the gap into what the
 * schema costs and what the API adds. */
static Timing
run_bare (const Plan *plan,
          gboolean    ledger_schema,
          gboolean    stock)
{
  g_autoptr(CpLedger) ledger = NULL;
  g_autofree char *dir = cp_bench_make_tmp_dir ("cp-bench-bare");
  g_autofree char *path = g_build_filename (dir, "bare.db", NULL);
  g_autofree gint64 *on_hand = g_new (gint64, plan->n_variants);
  g_autoptr(GString) skus = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *order_stmt, *line_stmt;
  sqlite3_stmt *fts_stmt = NULL, *movement_stmt = NULL, *level_stmt = NULL;
  guint64 line = 0;
  gint64 start, cpu_start;
  Timing timing;

  for (guint i = 0; i < plan->n_variants; i++)
    on_hand[i] = 1000;

  if (ledger_schema)
    {
      /* Variant N is row N + 1 there, as the plain tables assume. */
      ledger = open_shop (dir, plan);
      db = cp_ledger_get_db (ledger);
    }
  else if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    cp_bench_fail ("cannot open %s", path);

  if (!ledger_schema)
    {
      sqlite3_stmt *level;

      bare_exec (db,
               "PRAGMA journal_mode = WAL;"
               "PRAGMA synchronous = NORMAL;"
               "PRAGMA foreign_keys = ON;"
               "PRAGMA temp_store = MEMORY;"
               "PRAGMA cache_size = -65536;"
               "PRAGMA wal_autocheckpoint = 4096;"
               "CREATE TABLE orders (id INTEGER PRIMARY KEY, number TEXT, source TEXT,"
               "  external_id TEXT, status TEXT, location_id INTEGER, customer_id INTEGER,"
               "  customer_name TEXT, placed_at INTEGER, currency TEXT, subtotal_minor INTEGER,"
               "  discount_minor INTEGER, tax_minor INTEGER, shipping_minor INTEGER,"
               "  total_minor INTEGER, refunded_minor INTEGER, n_lines INTEGER,"
               "  created_at INTEGER, updated_at INTEGER);"
               "CREATE TABLE order_lines (id INTEGER PRIMARY KEY, order_id INTEGER,"
               "  position INTEGER, variant_id INTEGER, sku TEXT, name TEXT, quantity INTEGER,"
               "  unit_price_minor INTEGER, discount_minor INTEGER, tax_minor INTEGER,"
               "  total_minor INTEGER);"
               "CREATE TABLE stock_levels (variant_id INTEGER, location_id INTEGER,"
               "  on_hand INTEGER, reserved INTEGER, safety_stock INTEGER, updated_at INTEGER,"
               "  PRIMARY KEY (variant_id, location_id)) WITHOUT ROWID;"
               "CREATE TABLE stock_movements (id INTEGER PRIMARY KEY, at INTEGER,"
               "  variant_id INTEGER, location_id INTEGER, delta INTEGER, on_hand_after INTEGER,"
               "  reason TEXT, note TEXT, reference TEXT, actor TEXT);"
               "BEGIN");

      /* The shop's stock before the first sale, as open_shop() has it. */
      level = bare_prepare (db, "INSERT INTO stock_levels VALUES (?1, 1, 1000, 0, 0, 0)");
      for (guint i = 0; i < plan->n_variants; i++)
        {
          sqlite3_bind_int64 (level, 1, i + 1);
          bare_step (db, level);
        }
      sqlite3_finalize (level);
      bare_exec (db, "COMMIT");
    }

  order_stmt = bare_prepare (db,
                             "INSERT INTO orders (number, source, external_id, status, "
                             "location_id, customer_id, customer_name, placed_at, currency, "
                             "subtotal_minor, discount_minor, tax_minor, shipping_minor, "
                             "total_minor, refunded_minor, n_lines, created_at, updated_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                             "?13, ?14, ?15, ?16, ?17, ?17)");
  line_stmt = bare_prepare (db,
                            "INSERT INTO order_lines (order_id, position, variant_id, sku, "
                            "name, quantity, unit_price_minor, discount_minor, tax_minor, "
                            "total_minor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (ledger_schema)
    fts_stmt = bare_prepare (db,
                             "INSERT INTO orders_fts (rowid, number, customer, skus) "
                             "VALUES (?1, ?2, '', ?3)");
  if (stock)
    {
      movement_stmt = bare_prepare (db,
                                    "INSERT INTO stock_movements (at, variant_id, location_id, "
                                    "delta, on_hand_after, reason, note, reference, actor) "
                                    "VALUES (?1, ?2, 1, ?3, ?4, 'sold', NULL, ?5, 'pos')");
      level_stmt = bare_prepare (db,
                                 "UPDATE stock_levels SET on_hand = ?2, updated_at = ?3 "
                                 "WHERE variant_id = ?1 AND location_id = 1");
    }

  start = g_get_monotonic_time ();
  cpu_start = cp_bench_cpu_us ();

  for (guint64 o = 0; o < plan->n_orders; o++)
    {
      char number[32];
      gint64 subtotal = 0, tax = 0;
      gint64 order_id;
      gint64 now = g_get_real_time ();

      if (o % BATCH_ORDERS == 0)
        bare_exec (db, "BEGIN IMMEDIATE");

      for (guint i = 0; i < plan->order_lines[o]; i++)
        {
          guint32 v = plan->line_variant[line + i];
          gint64 net = plan->line_quantity[line + i] * plan->prices[v];

          subtotal += net;
          tax += line_tax (net);
        }

      g_snprintf (number, sizeof number, "R1-%08" G_GUINT64_FORMAT, o + 1);
      sqlite3_bind_text (order_stmt, 1, number, -1, SQLITE_STATIC);
      sqlite3_bind_text (order_stmt, 2, "pos", -1, SQLITE_STATIC);
      sqlite3_bind_text (order_stmt, 3, number, -1, SQLITE_STATIC);
      sqlite3_bind_text (order_stmt, 4, "completed", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (order_stmt, 5, 1);
      sqlite3_bind_null (order_stmt, 6);
      sqlite3_bind_null (order_stmt, 7);
      sqlite3_bind_int64 (order_stmt, 8, START_US + (gint64) o * 7 * G_USEC_PER_SEC);
      sqlite3_bind_text (order_stmt, 9, "USD", 3, SQLITE_STATIC);
      sqlite3_bind_int64 (order_stmt, 10, subtotal);
      sqlite3_bind_int64 (order_stmt, 11, 0);
      sqlite3_bind_int64 (order_stmt, 12, tax);
      sqlite3_bind_int64 (order_stmt, 13, 0);
      sqlite3_bind_int64 (order_stmt, 14, subtotal + tax);
      sqlite3_bind_int64 (order_stmt, 15, 0);
      sqlite3_bind_int64 (order_stmt, 16, plan->order_lines[o]);
      sqlite3_bind_int64 (order_stmt, 17, now);
      bare_step (db, order_stmt);
      order_id = sqlite3_last_insert_rowid (db);

      g_string_truncate (skus, 0);
      sqlite3_bind_int64 (line_stmt, 1, order_id);
      for (guint i = 0; i < plan->order_lines[o]; i++, line++)
        {
          guint32 v = plan->line_variant[line];
          gint64 q = plan->line_quantity[line];
          gint64 net = q * plan->prices[v];

          sqlite3_bind_int64 (line_stmt, 2, i + 1);
          sqlite3_bind_int64 (line_stmt, 3, v + 1);
          sqlite3_bind_text (line_stmt, 4, plan->skus[v], -1, SQLITE_STATIC);
          sqlite3_bind_text (line_stmt, 5, plan->names[v], -1, SQLITE_STATIC);
          sqlite3_bind_int64 (line_stmt, 6, q);
          sqlite3_bind_int64 (line_stmt, 7, plan->prices[v]);
          sqlite3_bind_int64 (line_stmt, 8, 0);
          sqlite3_bind_int64 (line_stmt, 9, line_tax (net));
          sqlite3_bind_int64 (line_stmt, 10, net + line_tax (net));
          bare_step (db, line_stmt);

          if (fts_stmt != NULL)
            {
              if (skus->len > 0)
                g_string_append_c (skus, ' ');
              g_string_append (skus, plan->skus[v]);
            }

          if (stock)
            {
              on_hand[v] -= q;
              sqlite3_bind_int64 (movement_stmt, 1, now);
              sqlite3_bind_int64 (movement_stmt, 2, v + 1);
              sqlite3_bind_int64 (movement_stmt, 3, -q);
              sqlite3_bind_int64 (movement_stmt, 4, on_hand[v]);
              sqlite3_bind_text (movement_stmt, 5, number, -1, SQLITE_STATIC);
              bare_step (db, movement_stmt);

              sqlite3_bind_int64 (level_stmt, 1, v + 1);
              sqlite3_bind_int64 (level_stmt, 2, on_hand[v]);
              sqlite3_bind_int64 (level_stmt, 3, now);
              bare_step (db, level_stmt);
            }
        }

      if (fts_stmt != NULL)
        {
          sqlite3_bind_int64 (fts_stmt, 1, order_id);
          sqlite3_bind_text (fts_stmt, 2, number, -1, SQLITE_STATIC);
          sqlite3_bind_text (fts_stmt, 3, skus->str, skus->len, SQLITE_STATIC);
          bare_step (db, fts_stmt);
        }

      if ((o + 1) % BATCH_ORDERS == 0 || o + 1 == plan->n_orders)
        bare_exec (db, "COMMIT");
    }

  timing.seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  timing.cpu_seconds = (cp_bench_cpu_us () - cpu_start) / (double) G_USEC_PER_SEC;

  if ((guint64) query_int64 (db, "SELECT count (*) FROM orders") != plan->n_orders ||
      (guint64) query_int64 (db, "SELECT count (*) FROM order_lines") != plan->n_lines)
    cp_bench_fail ("the bare tables do not hold every row");
  if (stock &&
      ((guint64) query_int64 (db, "SELECT count (*) FROM stock_movements WHERE reason = 'sold'") != plan->n_lines ||
       query_int64 (db, "SELECT total (on_hand) FROM stock_levels") !=
       (gint64) plan->n_variants * 1000 - (gint64) plan->n_units))
    cp_bench_fail ("the bare stock does not add up");

  sqlite3_finalize (order_stmt);
  sqlite3_finalize (line_stmt);
  sqlite3_finalize (fts_stmt);
  sqlite3_finalize (movement_stmt);
  sqlite3_finalize (level_stmt);
  if (ledger != NULL)
    g_clear_object (&ledger);
  else
    sqlite3_close (db);
  cp_bench_rm_rf (dir);
  return timing;
}

static void
report_ledger (const CpBenchConfig *config,
               const Plan          *plan,
               const char          *what,
               Timing               ledger,
               Timing               bare,
               Timing               schema)
{
  g_autofree char *lines = cp_bench_thousands ((double) plan->n_lines);
  g_autofree char *orders = cp_bench_thousands ((double) plan->n_orders);
  g_autofree char *rate = cp_bench_thousands (plan->n_lines / ledger.seconds);
  g_autofree char *bare_rate = cp_bench_thousands (plan->n_lines / bare.seconds);
  g_autofree char *schema_rate = cp_bench_thousands (plan->n_lines / schema.seconds);
  g_autofree char *line = NULL;
  double ratio = bare.seconds / ledger.seconds;
  double cpu_ratio = bare.cpu_seconds / ledger.cpu_seconds;

  line = g_strdup_printf ("ledger-write (%s): %s lines (%s orders, %d orders per transaction) "
                          "in %.2f s = %s lines/s; bare sqlite %s lines/s; ratio %.2f "
                          "(CPU-time ratio %.2f) (goal >= 0.5)",
                          what, lines, orders, BATCH_ORDERS, ledger.seconds, rate, bare_rate,
                          ratio, cpu_ratio);
  cp_bench_report (config, line);

  g_free (line);
  line = g_strdup_printf ("ledger-write breakdown (%s): the same hand-written inserts into the "
                          "ledger's own schema (its indexes, keys and search index) %s lines/s: "
                          "the schema costs ratio %.2f to plain tables (CPU %.2f), the API "
                          "ratio %.2f to hand-written SQL on that schema (CPU %.2f)",
                          what, schema_rate, bare.seconds / schema.seconds,
                          bare.cpu_seconds / schema.cpu_seconds,
                          schema.seconds / ledger.seconds,
                          schema.cpu_seconds / ledger.cpu_seconds);
  cp_bench_report (config, line);
}

static Timing
mean (Timing a,
      Timing b)
{
  Timing m = { (a.seconds + b.seconds) / 2, (a.cpu_seconds + b.cpu_seconds) / 2 };

  return m;
}

int
main (int   argc,
      char *argv[])
{
  CpBenchConfig config;
  Plan plan;
  Timing bare_before, bare_after, stock_before, stock_after;
  Timing with_stock, without_stock, schema_stock, schema;
  g_autofree char *line = NULL;

  cp_bench_config_init (&config, argc, argv);
  plan_init (&plan,
             cp_bench_scaled (&config, FULL_LINES, 20),
             (guint) cp_bench_scaled (&config, FULL_VARIANTS, 20));

  /* The baselines run before and after the ledger runs and their mean is
   * used, so a neighbour's burst of work hits both sides alike. */
  stock_before = run_bare (&plan, FALSE, TRUE);
  bare_before = run_bare (&plan, FALSE, FALSE);
  with_stock = run_ledger (&plan, TRUE);
  schema_stock = run_bare (&plan, TRUE, TRUE);
  without_stock = run_ledger (&plan, FALSE);
  schema = run_bare (&plan, TRUE, FALSE);
  bare_after = run_bare (&plan, FALSE, FALSE);
  stock_after = run_bare (&plan, FALSE, TRUE);

  line = g_strdup_printf ("ledger-write baseline: bare sqlite %.2f s (with stock rows %.2f s) "
                          "before and %.2f s (%.2f s) after the ledger runs (mean used)",
                          bare_before.seconds, stock_before.seconds,
                          bare_after.seconds, stock_after.seconds);
  cp_bench_report (&config, line);
  report_ledger (&config, &plan, "with stock decrement", with_stock,
                 mean (stock_before, stock_after), schema_stock);
  report_ledger (&config, &plan, "without stock decrement", without_stock,
                 mean (bare_before, bare_after), schema);

  plan_clear (&plan);
  return 0;
}
