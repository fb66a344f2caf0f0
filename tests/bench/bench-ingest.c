/* bench-ingest.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 3's "Order ingest": 100,000 orders pulled from the ecomv2 fake
 * and stored by the sync engine (cp_engine_run_once: pages fetched over
 * loopback HTTP, parsed, deduplicated and recorded with their lines), in
 * orders per second.
 *
 * Baselines in the same run, each a bare SQLite insert of the same rows:
 * every column of every order, order line and stock movement the sync
 * stored, read back from the ledger into memory first, with the stock
 * level each movement sets, inserted by prepared statements, 100 orders
 * per transaction, with the ledger's PRAGMAs and none of the engine's
 * work (HTTP, JSON, dedup, reservations, activity, cursors):
 *
 * - into the ledger's own tables: a copy of the ledger as it was before
 *   the pull (its catalog, stock and integration), the rows with their
 *   ids, the orders' search rows after each batch as the pull writes
 *   them after each page. Its indexes, keys, triggers and FTS5 index are
 *   paid here as in the pull. The goal is read against this one: it
 *   asks what the engine adds to storing the rows where they must go.
 * - into plain tables with only their primary keys, and into plain
 *   tables of orders and lines alone (the baselines until 2026-11-23).
 *   Against these the ledger's schema is counted as the engine's: it
 *   costs ~4 × plain tables by itself, which is ledger-write's figure
 *   (the foundation's), so a pull stays under ~0.25 of them whatever
 *   the engine does.
 *
 * A pulled order takes its goods out of stock (the pull must leave those
 * rows, as a sale does in ledger-write), so they are part of "the same
 * rows". Each baseline runs twice, alternating, and its mean is used.
 * Figure: ingest orders/s ÷ the ledger-table insert's orders/s. Goal
 * ≥ 0.3.
 *
 * The fake serves from a thread of this process, so its own work (JSON
 * for 100,000 orders) is inside the ingest's wall time: the figure is
 * if anything low.
 */

#define G_LOG_DOMAIN "cp-bench"

#include "config.h"

#include <string.h>

#include "bench-engine-common.h"

#define ORDERS          100000
#define PRODUCTS        300
#define BARE_BATCH      100

/* Rows held in memory for the baseline: one cell per column, strings in
 * one shared buffer, so 100,000 orders and their lines fit in tens of MB. */
typedef struct
{
  int     type;
  guint32 length;
  union
  {
    gint64  i;
    double  d;
    guint64 offset;
  } v;
} Cell;

typedef struct
{
  GPtrArray  *columns;   /* char* names */
  GArray     *cells;     /* Cell, row after row */
  GByteArray *text;
  GArray     *group;     /* gint64 per row: the order id it belongs to */
} Rows;

static void
rows_clear (Rows *rows)
{
  g_clear_pointer (&rows->columns, g_ptr_array_unref);
  g_clear_pointer (&rows->cells, g_array_unref);
  g_clear_pointer (&rows->text, g_byte_array_unref);
  g_clear_pointer (&rows->group, g_array_unref);
}

/* Reads every row of SQL (bound to SOURCE) into ROWS; GROUP_COLUMN is the
 * column holding the order id. */
static void
rows_load (Rows       *rows,
           sqlite3    *db,
           const char *sql,
           const char *source,
           int         group_column)
{
  sqlite3_stmt *stmt = NULL;
  int n, rc;

  rows->columns = g_ptr_array_new_with_free_func (g_free);
  rows->cells = g_array_new (FALSE, FALSE, sizeof (Cell));
  rows->text = g_byte_array_new ();
  rows->group = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    cp_bench_fail ("cannot read the stored orders: %s", sqlite3_errmsg (db));
  sqlite3_bind_text (stmt, 1, source, -1, SQLITE_STATIC);
  n = sqlite3_column_count (stmt);
  for (int c = 0; c < n; c++)
    g_ptr_array_add (rows->columns, g_strdup (sqlite3_column_name (stmt, c)));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 group = sqlite3_column_int64 (stmt, group_column);

      g_array_append_val (rows->group, group);
      for (int c = 0; c < n; c++)
        {
          Cell cell = { sqlite3_column_type (stmt, c), 0, { 0 } };

          switch (cell.type)
            {
            case SQLITE_INTEGER:
              cell.v.i = sqlite3_column_int64 (stmt, c);
              break;
            case SQLITE_FLOAT:
              cell.v.d = sqlite3_column_double (stmt, c);
              break;
            case SQLITE_TEXT:
            case SQLITE_BLOB:
              {
                const void *data = cell.type == SQLITE_TEXT ? (const void *) sqlite3_column_text (stmt, c)
                                                            : sqlite3_column_blob (stmt, c);

                cell.length = sqlite3_column_bytes (stmt, c);
                cell.v.offset = rows->text->len;
                g_byte_array_append (rows->text, data, cell.length);
              }
              break;
            default:
              break;
            }
          g_array_append_val (rows->cells, cell);
        }
    }
  if (rc != SQLITE_DONE)
    cp_bench_fail ("cannot read the stored orders: %s", sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
}

/* ROWS without its first column, which only said whose the row is. */
static void
rows_drop_first_column (Rows *rows)
{
  guint n = rows->columns->len + 1;   /* before the name was removed */
  GArray *cells = g_array_sized_new (FALSE, FALSE, sizeof (Cell), rows->group->len * (n - 1));

  for (guint r = 0; r < rows->group->len; r++)
    g_array_append_vals (cells, &g_array_index (rows->cells, Cell, r * n + 1), n - 1);
  g_array_unref (rows->cells);
  rows->cells = cells;
}

static void
bare_exec (sqlite3    *db,
           const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    cp_bench_fail ("bare SQLite: %s (%s)", message, sql);
}

/* A plain table with ROWS's columns, "id" the only key, and its insert. */
static sqlite3_stmt *
bare_table (sqlite3    *db,
            const char *name,
            Rows       *rows)
{
  g_autoptr(GString) create = g_string_new (NULL);
  g_autoptr(GString) insert = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_string_printf (create, "CREATE TABLE %s (", name);
  g_string_printf (insert, "INSERT INTO %s VALUES (", name);
  for (guint c = 0; c < rows->columns->len; c++)
    {
      const char *column = g_ptr_array_index (rows->columns, c);

      g_string_append_printf (create, "%s\"%s\"%s", c ? ", " : "", column,
                              g_str_equal (column, "id") ? " INTEGER PRIMARY KEY" : "");
      g_string_append_printf (insert, "%s?", c ? ", " : "");
    }
  g_string_append (create, ")");
  g_string_append (insert, ")");
  bare_exec (db, create->str);
  if (sqlite3_prepare_v2 (db, insert->str, -1, &stmt, NULL) != SQLITE_OK)
    cp_bench_fail ("bare SQLite: %s", sqlite3_errmsg (db));
  return stmt;
}

static void
insert_row (sqlite3      *db,
            sqlite3_stmt *stmt,
            Rows         *rows,
            guint         row)
{
  guint n = rows->columns->len;

  for (guint c = 0; c < n; c++)
    {
      const Cell *cell = &g_array_index (rows->cells, Cell, row * n + c);
      const char *data = (const char *) rows->text->data + cell->v.offset;

      switch (cell->type)
        {
        case SQLITE_INTEGER:
          sqlite3_bind_int64 (stmt, c + 1, cell->v.i);
          break;
        case SQLITE_FLOAT:
          sqlite3_bind_double (stmt, c + 1, cell->v.d);
          break;
        case SQLITE_TEXT:
          sqlite3_bind_text (stmt, c + 1, data, cell->length, SQLITE_STATIC);
          break;
        case SQLITE_BLOB:
          sqlite3_bind_blob (stmt, c + 1, data, cell->length, SQLITE_STATIC);
          break;
        default:
          sqlite3_bind_null (stmt, c + 1);
          break;
        }
    }
  if (sqlite3_step (stmt) != SQLITE_DONE)
    cp_bench_fail ("bare SQLite: %s", sqlite3_errmsg (db));
  sqlite3_reset (stmt);
}

static gint64
cell_int (Rows *rows,
          guint row,
          guint column)
{
  return g_array_index (rows->cells, Cell, row * rows->columns->len + column).v.i;
}

/* The statements a baseline inserts with; MOVEMENT, LEVEL and SEARCH
 * may be NULL. */
typedef struct
{
  sqlite3_stmt *order;
  sqlite3_stmt *line;
  sqlite3_stmt *movement;
  sqlite3_stmt *level;    /* sets a movement's level: ?1 variant, ?2 location, ?3 on hand, ?4 at */
  sqlite3_stmt *search;
} Inserts;

static void
inserts_clear (Inserts *ins)
{
  g_clear_pointer (&ins->order, sqlite3_finalize);
  g_clear_pointer (&ins->line, sqlite3_finalize);
  g_clear_pointer (&ins->movement, sqlite3_finalize);
  g_clear_pointer (&ins->level, sqlite3_finalize);
  g_clear_pointer (&ins->search, sqlite3_finalize);
}

/* The timed part of every baseline: ORDERS, each with its LINES and
 * (with INS->movement) its MOVEMENTS after it, a movement setting its
 * level, 100 orders a transaction, the batch's SEARCH rows (with
 * INS->search) before its commit, as the pull writes a page's. Returns
 * the wall time in µs. */
static gint64
timed_inserts (sqlite3 *db,
               Inserts *ins,
               Rows    *orders,
               Rows    *lines,
               Rows    *movements,
               Rows    *search)
{
  guint n_orders = orders->group->len, n_lines = lines->group->len, line = 0;
  guint n_movements = ins->movement != NULL ? movements->group->len : 0, movement = 0;
  guint n_search = ins->search != NULL ? search->group->len : 0, row = 0;
  gint64 start = g_get_monotonic_time ();

  for (guint o = 0; o < n_orders; o++)
    {
      gint64 id = g_array_index (orders->group, gint64, o);

      if (o % BARE_BATCH == 0)
        bare_exec (db, "BEGIN IMMEDIATE");
      insert_row (db, ins->order, orders, o);
      while (line < n_lines && g_array_index (lines->group, gint64, line) == id)
        insert_row (db, ins->line, lines, line++);
      while (movement < n_movements && g_array_index (movements->group, gint64, movement) == id)
        {
          insert_row (db, ins->movement, movements, movement);
          sqlite3_bind_int64 (ins->level, 1, cell_int (movements, movement, 2));
          sqlite3_bind_int64 (ins->level, 2, cell_int (movements, movement, 3));
          sqlite3_bind_int64 (ins->level, 3, cell_int (movements, movement, 5));
          sqlite3_bind_int64 (ins->level, 4, cell_int (movements, movement, 1));
          if (sqlite3_step (ins->level) != SQLITE_DONE || sqlite3_changes (db) != 1)
            cp_bench_fail ("bare SQLite: no stock level for a movement (%s)", sqlite3_errmsg (db));
          sqlite3_reset (ins->level);
          movement++;
        }
      if (o % BARE_BATCH == BARE_BATCH - 1 || o == n_orders - 1)
        {
          while (row < n_search && g_array_index (search->group, gint64, row) <= id)
            insert_row (db, ins->search, search, row++);
          bare_exec (db, "COMMIT");
        }
    }
  start = g_get_monotonic_time () - start;

  if (line != n_lines || movement != n_movements || row != n_search)
    cp_bench_fail ("the bare insert placed %u of %u lines, %u of %u stock movements, %u of %u "
                   "search rows", line, n_lines, movement, n_movements, row, n_search);
  return start;
}

/* The bare insert of ORDERS, LINES and (unless NULL) MOVEMENTS, each
 * order's lines and movements after it, a movement setting its level in
 * LEVELS (loaded before the clock starts); returns its wall time in µs. */
static gint64
run_bare (Rows *orders,
          Rows *lines,
          Rows *movements,
          Rows *levels)
{
  g_autofree char *dir = cp_bench_make_tmp_dir ("cp-bench-ingest-bare");
  g_autofree char *path = g_build_filename (dir, "bare.db", NULL);
  sqlite3 *db = NULL;
  Inserts ins = { 0 };
  gint64 wall;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    cp_bench_fail ("cannot open %s", path);
  /* The ledger's PRAGMAs (cp-ledger-open.c). */
  bare_exec (db, "PRAGMA journal_mode = WAL;"
                 "PRAGMA synchronous = NORMAL;"
                 "PRAGMA temp_store = MEMORY;");
  ins.order = bare_table (db, "orders", orders);
  ins.line = bare_table (db, "order_lines", lines);
  if (movements != NULL)
    {
      sqlite3_stmt *level = NULL;

      /* The movement's columns: id, at, variant_id, location_id, delta,
       * on_hand_after (rows_load checks them). */
      ins.movement = bare_table (db, "stock_movements", movements);
      bare_exec (db, "CREATE TABLE stock_levels (variant_id INTEGER, location_id INTEGER,"
                     " on_hand INTEGER, reserved INTEGER, safety_stock INTEGER,"
                     " updated_at INTEGER, PRIMARY KEY (variant_id, location_id)) WITHOUT ROWID");
      bare_exec (db, "BEGIN");
      if (sqlite3_prepare_v2 (db, "INSERT INTO stock_levels VALUES (?, ?, ?, ?, ?, ?)", -1,
                              &level, NULL) != SQLITE_OK)
        cp_bench_fail ("bare SQLite: %s", sqlite3_errmsg (db));
      for (guint r = 0; r < levels->group->len; r++)
        insert_row (db, level, levels, r);
      sqlite3_finalize (level);
      bare_exec (db, "COMMIT");
      if (sqlite3_prepare_v2 (db, "UPDATE stock_levels SET on_hand = ?3, updated_at = ?4"
                                  " WHERE variant_id = ?1 AND location_id = ?2", -1,
                              &ins.level, NULL) != SQLITE_OK)
        cp_bench_fail ("bare SQLite: %s", sqlite3_errmsg (db));
    }

  wall = timed_inserts (db, &ins, orders, lines, movements, NULL);
  inserts_clear (&ins);
  sqlite3_close (db);
  cp_bench_rm_rf (dir);
  return wall;
}

/* An insert into the existing table NAME of ROWS's columns, by name. */
static sqlite3_stmt *
schema_insert (sqlite3    *db,
               const char *name,
               Rows       *rows)
{
  g_autoptr(GString) insert = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_string_printf (insert, "INSERT INTO %s (", name);
  for (guint c = 0; c < rows->columns->len; c++)
    g_string_append_printf (insert, "%s\"%s\"", c ? ", " : "",
                            (const char *) g_ptr_array_index (rows->columns, c));
  g_string_append (insert, ") VALUES (");
  for (guint c = 0; c < rows->columns->len; c++)
    g_string_append (insert, c ? ", ?" : "?");
  g_string_append (insert, ")");
  if (sqlite3_prepare_v2 (db, insert->str, -1, &stmt, NULL) != SQLITE_OK)
    cp_bench_fail ("schema SQLite: %s (%s)", sqlite3_errmsg (db), insert->str);
  return stmt;
}

/* The same rows by hand-written SQL into the ledger's own schema: a copy
 * of the ledger as it was before the pull (TEMPLATE: its catalog, stock
 * and integration), the orders, lines and stock movements with their ids,
 * each movement's level updated, and the orders' search rows (SEARCH)
 * written after each batch as the pull writes them after each page. Its
 * indexes, keys, triggers and FTS5 index are all paid; none of the
 * engine's work (HTTP, JSON, dedup, reservations, activity, cursors) is.
 * Returns its wall time in µs. */
static gint64
run_schema (const char *template,
            Rows       *orders,
            Rows       *lines,
            Rows       *movements,
            Rows       *search)
{
  g_autofree char *dir = cp_bench_make_tmp_dir ("cp-bench-ingest-schema");
  g_autofree char *path = g_build_filename (dir, "ledger.db", NULL);
  g_autofree char *copy = g_strdup_printf ("VACUUM INTO '%s'", path);
  sqlite3 *db = NULL;
  Inserts ins = { 0 };
  gint64 wall;

  if (sqlite3_open_v2 (template, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    cp_bench_fail ("cannot open %s", template);
  bare_exec (db, copy);
  sqlite3_close (db);
  db = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    cp_bench_fail ("cannot open %s", path);
  /* The ledger's PRAGMAs (cp-ledger-open.c), with the engine's cache
   * (cp-engine-run.c). */
  bare_exec (db, "PRAGMA journal_mode = WAL;"
                 "PRAGMA foreign_keys = ON;"
                 "PRAGMA synchronous = NORMAL;"
                 "PRAGMA temp_store = MEMORY;"
                 "PRAGMA cache_size = -16384;"
                 "PRAGMA wal_autocheckpoint = 4096;");
  ins.order = schema_insert (db, "orders", orders);
  ins.line = schema_insert (db, "order_lines", lines);
  ins.movement = schema_insert (db, "stock_movements", movements);
  ins.search = schema_insert (db, "orders_fts", search);
  /* A level the sale is the first news of is made, as the ledger does. */
  if (sqlite3_prepare_v2 (db, "INSERT INTO stock_levels (variant_id, location_id, on_hand,"
                              " updated_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (variant_id,"
                              " location_id) DO UPDATE SET on_hand = excluded.on_hand,"
                              " updated_at = excluded.updated_at", -1,
                          &ins.level, NULL) != SQLITE_OK)
    cp_bench_fail ("schema SQLite: %s", sqlite3_errmsg (db));

  wall = timed_inserts (db, &ins, orders, lines, movements, search);
  inserts_clear (&ins);
  sqlite3_close (db);
  cp_bench_rm_rf (dir);
  return wall;
}

int
main (int    argc,
      char **argv)
{
  static const char * const permissions[] = { "orders.pull", NULL };
  CpBenchConfig config;
  BenchShop shop;
  Rows orders = { 0 }, lines = { 0 }, movements = { 0 }, levels = { 0 }, search = { 0 };
  g_autofree char *template_dir = cp_bench_make_tmp_dir ("cp-bench-ingest-template");
  g_autofree char *template = g_build_filename (template_dir, "ledger.db", NULL);
  g_autofree char *vacuum = g_strdup_printf ("VACUUM INTO '%s'", template);
  g_autofree char *line = NULL;
  g_autofree char *orders_text = NULL;
  guint64 n_orders;
  gint64 wall, bare, bare_orders, schema, stored, engine_cpu, server_cpu;
  CpEngineOutcome outcome;
  double ingest_rate, bare_rate, orders_rate, schema_rate;

  cp_bench_config_init (&config, argc, argv);
  n_orders = cp_bench_scaled (&config, ORDERS, 250);

  bench_shop_set_up (&shop, &config, PRODUCTS, TRUE, permissions);
  /* Orders placed now: an order pull's first window must hold them all. */
  cp_sandbox_ecomv2_add_orders (shop.fake, n_orders, 1);
  cp_sandbox_server_reset_counters (shop.server);
  /* The ledger before the pull, for the baseline in its own schema. */
  bare_exec (cp_ledger_get_db (shop.ledger), vacuum);

  wall = g_get_monotonic_time ();
  engine_cpu = bench_engine_cpu_us ();
  server_cpu = bench_server_cpu_us ();
  outcome = bench_shop_sync (&shop, 600 * G_USEC_PER_SEC);
  engine_cpu = bench_engine_cpu_us () - engine_cpu;
  server_cpu = bench_server_cpu_us () - server_cpu;
  wall = g_get_monotonic_time () - wall;

  rows_load (&orders, cp_ledger_get_db (shop.ledger),
             "SELECT * FROM orders WHERE source = ?1 ORDER BY id", shop.integration_id, 0);
  rows_load (&lines, cp_ledger_get_db (shop.ledger),
             "SELECT l.* FROM order_lines l JOIN orders o ON o.id = l.order_id "
             "WHERE o.source = ?1 ORDER BY l.order_id, l.position", shop.integration_id, 1);
  /* The pull's stock movements, each with the order whose sale it is
   * (reference: the order's number, actor: its source). Nothing in the
   * ledger looks an order up by number: a temporary index does, or the
   * join would read every order for every movement. */
  bare_exec (cp_ledger_get_db (shop.ledger),
             "CREATE TEMP TABLE bench_numbers (number TEXT PRIMARY KEY, id INTEGER) WITHOUT ROWID");
  {
    g_autofree char *fill = g_strdup_printf ("INSERT INTO temp.bench_numbers SELECT number, id"
                                             " FROM orders WHERE source = '%s'",
                                             shop.integration_id);

    bare_exec (cp_ledger_get_db (shop.ledger), fill);
  }
  rows_load (&movements, cp_ledger_get_db (shop.ledger),
             "SELECT n.id AS order_id, m.* FROM stock_movements m"
             " JOIN temp.bench_numbers n ON n.number = m.reference"
             " WHERE m.actor = ?1 AND m.reason = 'sold' ORDER BY n.id, m.id",
             shop.integration_id, 0);
  bare_exec (cp_ledger_get_db (shop.ledger), "DROP TABLE temp.bench_numbers");
  rows_load (&search, cp_ledger_get_db (shop.ledger),
             "SELECT rowid, number, customer, skus FROM orders_fts"
             " WHERE rowid IN (SELECT id FROM orders WHERE source = ?1) ORDER BY rowid",
             shop.integration_id, 0);
  /* Without its first column (the order it goes with), the table's. */
  g_ptr_array_remove_index (movements.columns, 0);
  rows_drop_first_column (&movements);
  rows_load (&levels, cp_ledger_get_db (shop.ledger),
             "SELECT * FROM stock_levels WHERE ?1 IS NOT NULL", shop.integration_id, 0);
  stored = orders.group->len;
  if (outcome != CP_ENGINE_OUTCOME_DONE || (guint64) stored != n_orders)
    cp_bench_fail ("the sync ended with outcome %d and stored %" G_GINT64_FORMAT " of %"
                   G_GUINT64_FORMAT " orders", outcome, stored, n_orders);
  if (g_strcmp0 (g_ptr_array_index (lines.columns, 1), "order_id") != 0)
    cp_bench_fail ("order_lines has no order_id as its second column");

  if (g_strcmp0 (g_ptr_array_index (movements.columns, 1), "at") != 0 ||
      g_strcmp0 (g_ptr_array_index (movements.columns, 5), "on_hand_after") != 0)
    cp_bench_fail ("stock_movements has not the columns the bare insert expects");
  if (movements.group->len == 0)
    cp_bench_fail ("the pull took nothing out of stock");

  /* Each baseline twice, alternating, and the mean: the machine is
   * shared, and a second run of the same inserts finds warmer caches. */
  bare = run_bare (&orders, &lines, &movements, &levels);
  bare_orders = run_bare (&orders, &lines, NULL, NULL);
  schema = run_schema (template, &orders, &lines, &movements, &search);
  bare = (bare + run_bare (&orders, &lines, &movements, &levels)) / 2;
  bare_orders = (bare_orders + run_bare (&orders, &lines, NULL, NULL)) / 2;
  schema = (schema + run_schema (template, &orders, &lines, &movements, &search)) / 2;
  schema_rate = n_orders / (schema / 1e6);
  ingest_rate = n_orders / (wall / 1e6);
  bare_rate = n_orders / (bare / 1e6);
  orders_rate = n_orders / (bare_orders / 1e6);
  orders_text = cp_bench_thousands (n_orders);

  line = g_strdup_printf ("order-ingest: %s orders (%u lines, %u stock movements) pulled and "
                          "stored in %.2f s over %u requests (%u connections): %.0f orders/s = "
                          "%.3f of a bare SQLite insert of the same rows into the ledger's "
                          "tables (its indexes, keys, triggers and search rows: %.0f orders/s, "
                          "%.2f s) (goal ≥ 0.3); %.3f of the same rows into plain tables "
                          "(orders, lines, stock movements and levels: %.0f orders/s, %.2f s), "
                          "%.3f of orders and lines alone (%.0f orders/s, %.2f s); CPU an "
                          "order: %.1f µs Counterpart, %.1f µs the fake's serving; wall %.1f µs",
                          orders_text, lines.group->len, movements.group->len, wall / 1e6,
                          cp_sandbox_server_get_request_count (shop.server, NULL),
                          cp_sandbox_server_get_connection_count (shop.server),
                          ingest_rate, ingest_rate / schema_rate, schema_rate, schema / 1e6,
                          ingest_rate / bare_rate, bare_rate, bare / 1e6,
                          ingest_rate / orders_rate, orders_rate, bare_orders / 1e6,
                          (double) engine_cpu / n_orders, (double) server_cpu / n_orders,
                          (double) wall / n_orders);
  cp_bench_report (&config, line);

  rows_clear (&orders);
  rows_clear (&lines);
  rows_clear (&movements);
  rows_clear (&levels);
  rows_clear (&search);
  bench_shop_tear_down (&shop);
  cp_bench_rm_rf (template_dir);
  return 0;
}
