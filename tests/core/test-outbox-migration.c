/* test-outbox-migration.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A ledger written at schema 2, with jobs in every state the outbox
 * knows, opened by this build: the migration to schema 3 (the cheaper
 * outbox triggers) keeps every job as it was — state, idempotency key,
 * fingerprint, attempts, lease — and the new triggers still coalesce a
 * change into the pending job while a change during a job's flight
 * queues a later push. Later migrations keep the jobs and the mappings
 * too, with the keys in the order they now have.
 */

#define G_LOG_DOMAIN "test-outbox-migration"

#include "config.h"

#include <glib/gstdio.h>

#include "cp-ledger.h"
#include "cp-ledger-schema.h"
#include "cp-outbox.h"
#include "cp-stock.h"

/* The jobs of the schema-2 ledger, by what they are there to check. */
static const char v2_jobs[] =
  "INSERT INTO outbox_jobs (id, integration_id, kind, coalesce_key, payload, state,"
  "  idempotency_key, request_fingerprint, attempts, next_attempt_at, lease_epoch, lease_until,"
  "  sent_at, last_error, last_error_kind, created_at, updated_at, done_at) VALUES"
  /* Pending, requeued after a failed send: its key and fingerprint must stay. */
  " (11, 'ecomv2-1', 'stock.push', 'variant:1', '{\"variant_id\":1}', 'pending',"
  "  'key-pending-1', 'fp-1', 2, 50, NULL, NULL, 40, 'timed out', 'transient', 10, 40, NULL),"
  /* In flight when the old version stopped. */
  " (12, 'ecomv2-1', 'stock.push', 'variant:2', '{\"variant_id\":2}', 'started',"
  "  'key-started-2', 'fp-2', 0, 20, 7, 90, 30, NULL, NULL, 10, 30, NULL),"
  " (13, 'ecomv2-1', 'stock.push', 'variant:3', '{\"variant_id\":3}', 'dead',"
  "  'key-dead-3', NULL, 8, 20, NULL, NULL, NULL, 'refused', 'invalid-data', 10, 30, NULL),"
  " (14, 'ecomv2-1', 'stock.push', 'variant:3', '{\"variant_id\":3}', 'done',"
  "  'key-done-3', 'fp-3', 0, 20, 5, NULL, 25, NULL, NULL, 10, 30, 30),"
  " (15, 'ecomv2-1', 'product.push', 'variant:1', '{\"variant_id\":1}', 'pending',"
  "  'key-product-1', NULL, 0, 20, NULL, NULL, NULL, NULL, NULL, 10, 10, NULL),"
  " (16, 'ecomv2-1', 'order.status.push', 'order:1', '{\"order_id\":1,\"status\":\"paid\"}',"
  "  'pending', 'key-status-1', NULL, 0, 20, NULL, NULL, NULL, NULL, NULL, 10, 10, NULL);";

/* Mappings of two integrations, the same local ids in both. */
static const char v2_mappings[] =
  "INSERT INTO integration_mappings (integration_id, kind, local_id, remote_id, last_hash,"
  "  updated_at) VALUES"
  " ('ecomv2-1', 'location', 'MAIN', 'wh_001', NULL, 1),"
  " ('ecomv2-1', 'variant', '1', 'prod_1', 'hash-1', 2),"
  " ('ecomv2-1', 'variant', '2', 'prod_2', NULL, 3),"
  " ('woocommerce-2', 'variant', '1', '501', 'hash-w1', 4),"
  " ('woocommerce-2', 'product', '1', '500', NULL, 5);";

static const char mappings_dump[] =
  "SELECT group_concat (line, char (10)) FROM (SELECT quote (integration_id) || '|' ||"
  " quote (kind) || '|' || quote (local_id) || '|' || quote (remote_id) || '|' ||"
  " quote (last_hash) || '|' || quote (updated_at) AS line FROM integration_mappings"
  " ORDER BY integration_id, kind, local_id)";

/* Every column of every job, one line each, in id order (NULL shown
 * as NULL). */
static const char jobs_dump[] =
  "SELECT group_concat (line, char (10)) FROM (SELECT quote (id) || '|' || "
  "quote (integration_id) || '|' || quote (kind) || '|' || quote (coalesce_key) || '|' || "
  "quote (payload) || '|' || quote (state) || '|' || quote (idempotency_key) || '|' || "
  "quote (request_fingerprint) || '|' || quote (attempts) || '|' || "
  "quote (max_attempts) || '|' || quote (next_attempt_at) || '|' || "
  "quote (lease_epoch) || '|' || quote (lease_until) || '|' || quote (sent_at) || '|' || "
  "quote (last_error) || '|' || quote (last_error_kind) || '|' || quote (created_at) || '|' || "
  "quote (updated_at) || '|' || quote (done_at) AS line FROM outbox_jobs ORDER BY id)";

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  g_autofree char *text = query_text (db, sql);

  g_assert_nonnull (text);
  return g_ascii_strtoll (text, NULL, 10);
}

/* A ledger as schema 2 left it: its two migrations, run as the old
 * build ran them, a shop with three SKUs, an integration that syncs
 * stock and products, and jobs in every state. */
static void
write_v2_ledger (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_ok (db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; BEGIN");
  exec_ok (db, cp_ledger_migrations[0]);
  exec_ok (db, cp_ledger_migrations[1]);
  exec_ok (db, "PRAGMA user_version = 2; COMMIT");

  exec_ok (db,
           "INSERT INTO locations (id, code, name, currency, created_at) VALUES (1, 'MAIN', 'Main', 'USD', 1);"
           "INSERT INTO products (id, handle, name, created_at, updated_at) VALUES (1, 'tee', 'Tee', 1, 1);"
           "INSERT INTO variants (id, product_id, sku, price_minor, currency, created_at, updated_at)"
           " VALUES (1, 1, 'TEE-S', 1999, 'USD', 1, 1), (2, 1, 'TEE-M', 1999, 'USD', 1, 1),"
           " (3, 1, 'TEE-L', 1999, 'USD', 1, 1);"
           "INSERT INTO stock_levels (variant_id, location_id, on_hand, updated_at)"
           " VALUES (1, 1, 5, 1), (2, 1, 5, 1), (3, 1, 5, 1);"
           "INSERT INTO integrations (seq, id, platform, name, base_url, created_at, updated_at)"
           " VALUES (1, 'ecomv2-1', 'ecomv2', 'Shop', 'http://127.0.0.1:1/v2', 1, 1);"
           "INSERT INTO integration_permissions VALUES ('ecomv2-1', 'inventory.sync'),"
           " ('ecomv2-1', 'products.sync');"
           "INSERT INTO integrations (seq, id, platform, name, base_url, created_at, updated_at)"
           " VALUES (2, 'woocommerce-2', 'woocommerce', 'Woo', 'http://127.0.0.1:1', 1, 1);");
  exec_ok (db, v2_mappings);
  exec_ok (db, v2_jobs);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM outbox_jobs"), ==, 6);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
test_v2_jobs_survive (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLedger) ledger = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-outbox-migration-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *check = NULL;
  g_autofree char *triggers = NULL;
  g_autofree char *mappings_before = NULL;
  g_autofree char *mappings_after = NULL;
  g_autofree char *columns = NULL;
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "ledger.sqlite3", NULL);
  write_v2_ledger (path);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  before = query_text (db, jobs_dump);
  mappings_before = query_text (db, mappings_dump);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ledger);
  db = cp_ledger_get_db (ledger);
  g_assert_cmpint (cp_ledger_get_schema_version (ledger), ==, CP_LEDGER_SCHEMA_VERSION);
  g_assert_cmpint (CP_LEDGER_SCHEMA_VERSION, >=, 3);

  /* Every job, column for column. */
  after = query_text (db, jobs_dump);
  g_assert_cmpstr (after, ==, before);
  check = query_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");

  /* Migration 7: a job is closed (out of outbox_jobs_open) exactly when
   * it is done, cancelled or dead, and the counts read through the open
   * index find the open ones. */
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM outbox_jobs"
                                  " WHERE (closed_at IS NULL) != (state IN ('pending', 'started'))"),
                   ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM outbox_jobs WHERE closed_at IS NULL"), >, 0);
  {
    guint pending = 0, started = 0, dead = 0;

    g_assert_true (cp_outbox_count (ledger, NULL, &pending, &started, &dead, &error));
    g_assert_no_error (error);
    g_assert_cmpint (pending, ==, query_int (db, "SELECT count (*) FROM outbox_jobs"
                                                 " WHERE state = 'pending'"));
    g_assert_cmpint (started, ==, query_int (db, "SELECT count (*) FROM outbox_jobs"
                                                 " WHERE state = 'started'"));
    g_assert_cmpint (dead, ==, query_int (db, "SELECT count (*) FROM outbox_jobs"
                                              " WHERE state = 'dead'"));
  }

  /* Migration 8: the mappings, row for row, and both keys with the
   * column that tells entries apart first. */
  mappings_after = query_text (db, mappings_dump);
  g_assert_cmpstr (mappings_after, ==, mappings_before);
  columns = query_text (db, "SELECT group_concat (name, ',') FROM (SELECT name FROM"
                            " pragma_index_info ('outbox_jobs_coalesce') ORDER BY seqno)");
  g_assert_cmpstr (columns, ==, "coalesce_key,kind,integration_id");
  g_clear_pointer (&columns, g_free);
  columns = query_text (db, "SELECT group_concat (name, ',') FROM (SELECT name FROM"
                            " pragma_index_info ((SELECT name FROM pragma_index_list ('integration_mappings')"
                            " WHERE origin = 'pk')) ORDER BY seqno)");
  g_assert_cmpstr (columns, ==, "local_id,kind,integration_id");
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM sqlite_master WHERE type = 'index'"
                                  " AND name = 'integration_mappings_remote'"), ==, 1);
  /* Still one mapping per integration, kind and local id; still gone
   * with its integration. */
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO integration_mappings VALUES"
                                     " ('ecomv2-1', 'variant', '1', 'prod_9', NULL, 9)",
                                 NULL, NULL, NULL), ==, SQLITE_CONSTRAINT_PRIMARYKEY);
  exec_ok (db, "DELETE FROM integrations WHERE id = 'woocommerce-2'");
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM integration_mappings"), ==, 3);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM integration_mappings"
                                  " WHERE integration_id = 'ecomv2-1' AND kind = 'variant'"), ==, 2);

  /* The replaced triggers exist once each and no longer rewrite a
   * pending job. */
  triggers = query_text (db, "SELECT group_concat (name, ' ') FROM (SELECT name FROM sqlite_master"
                             " WHERE type = 'trigger' AND name LIKE 'outbox_%' ORDER BY name)");
  g_assert_cmpstr (triggers, ==,
                   "outbox_order_status outbox_product_category outbox_stock_insert"
                   " outbox_stock_update outbox_variant_update");
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM sqlite_master WHERE type = 'trigger'"
                                  " AND name IN ('outbox_stock_insert', 'outbox_stock_update',"
                                  " 'outbox_variant_update') AND sql LIKE '%DO UPDATE%'"), ==, 0);

  /* A change to TEE-S joins its pending job: same row, same key, the
   * fingerprint of its earlier send kept for the resend. */
  g_assert_true (cp_stock_adjust (ledger, "TEE-S", "MAIN", -1, CP_STOCK_REASON_SOLD, NULL, NULL,
                                  "test", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM outbox_jobs WHERE kind = 'stock.push'"
                                  " AND coalesce_key = 'variant:1'"), ==, 1);
  g_clear_pointer (&after, g_free);
  after = query_text (db, "SELECT id || '|' || state || '|' || idempotency_key || '|' ||"
                          " request_fingerprint || '|' || attempts || '|' || updated_at FROM outbox_jobs"
                          " WHERE kind = 'stock.push'"
                          " AND coalesce_key = 'variant:1'");
  /* Untouched, down to updated_at: the change did not rewrite the row. */
  g_assert_cmpstr (after, ==, "11|pending|key-pending-1|fp-1|2|40");

  /* TEE-M's job is in flight with an older value: the change must reach
   * the store in a later push, under a new key. */
  g_assert_true (cp_stock_adjust (ledger, "TEE-M", "MAIN", -1, CP_STOCK_REASON_SOLD, NULL, NULL,
                                  "test", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM outbox_jobs WHERE coalesce_key = 'variant:2'"
                                  " AND state = 'pending' AND idempotency_key != 'key-started-2'"),
                   ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM outbox_jobs WHERE id = 12"
                                  " AND state = 'started'"), ==, 1);

  /* TEE-L's jobs are dead and done: a change queues a new one. */
  g_assert_true (cp_stock_adjust (ledger, "TEE-L", "MAIN", 2, CP_STOCK_REASON_RECEIVED, NULL, NULL,
                                  "test", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM outbox_jobs WHERE coalesce_key = 'variant:3'"
                                  " AND state = 'pending'"), ==, 1);

  /* A price change joins the pending product push; a second one too. */
  exec_ok (db, "UPDATE variants SET price_minor = 2499, updated_at = 60 WHERE id = 1");
  exec_ok (db, "UPDATE variants SET price_minor = 2599, updated_at = 61 WHERE id = 1");
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM outbox_jobs WHERE kind = 'product.push'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM outbox_jobs WHERE id = 15"
                                  " AND idempotency_key = 'key-product-1'"), ==, 1);

  /* A new variant's first stock level queues its push. */
  exec_ok (db, "INSERT INTO variants (id, product_id, sku, price_minor, currency, created_at,"
               " updated_at) VALUES (4, 1, 'TEE-XL', 1999, 'USD', 1, 1);"
               "INSERT INTO stock_levels (variant_id, location_id, on_hand, updated_at)"
               " VALUES (4, 1, 3, 70)");
  g_assert_cmpint (query_int (db, "SELECT count (*) FROM outbox_jobs WHERE coalesce_key = 'variant:4'"
                                  " AND kind = 'stock.push' AND state = 'pending'"), ==, 1);

  g_clear_object (&ledger);
  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/outbox-migration/v2-jobs-survive", test_v2_jobs_survive);

  return g_test_run ();
}
