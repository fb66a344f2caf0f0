/* outbox-fixture.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cp-integrations.h"
#include "cp-stock.h"

#include "outbox-fixture.h"


void
exec_ok (CpLedger   *ledger,
         const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (cp_ledger_get_db (ledger), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

gint64
query_int (CpLedger   *ledger,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (cp_ledger_get_db (ledger), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

char *
query_text (CpLedger   *ledger,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (cp_ledger_get_db (ledger), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *all[] = { "products.sync", "orders.pull", "orders.push", "inventory.sync", NULL };
  const char *stock_only[] = { "inventory.sync", NULL };

  f->dir = g_dir_make_tmp ("test-outbox-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "ledger.sqlite3", NULL);
  f->ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);

  exec_ok (f->ledger,
           "INSERT INTO locations (code, name, currency, created_at) VALUES ('MAIN', 'Main', 'USD', 1);"
           "INSERT INTO products (handle, name, created_at, updated_at) VALUES ('tee', 'Tee', 1, 1);"
           "INSERT INTO variants (product_id, sku, price_minor, currency, created_at, updated_at)"
           " VALUES (1, 'TEE-S', 1999, 'USD', 1, 1), (1, 'TEE-M', 1999, 'USD', 1, 1),"
           " (1, 'TEE-L', 1999, 'USD', 1, 1);");
  f->variant = query_int (f->ledger, "SELECT id FROM variants WHERE sku = 'TEE-S'");
  f->variant2 = query_int (f->ledger, "SELECT id FROM variants WHERE sku = 'TEE-M'");

  f->shop = cp_integrations_add (f->ledger, "ecomv2", "Shop", "http://127.0.0.1:1/v2", all, &error);
  g_assert_no_error (error);
  f->other = cp_integrations_add (f->ledger, "ecomv2", "Other", "http://127.0.0.1:2/v2",
                                  stock_only, &error);
  g_assert_no_error (error);
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_strdup (cp_ledger_get_path (f->ledger));
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_clear_object (&f->ledger);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->shop);
  g_free (f->other);
}

void
sell (Fixture    *f,
      const char *sku,
      gint64      units)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_stock_adjust (f->ledger, sku, "MAIN", -units, CP_STOCK_REASON_SOLD,
                                  NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

GPtrArray *
jobs_in_state (Fixture    *f,
               const char *integration_id,
               CpJobState  state)
{
  g_autoptr(GError) error = NULL;
  CpOutboxQuery query = { .integration_id = integration_id, .has_state = TRUE, .state = state,
                          .limit = 100000 };
  GPtrArray *jobs = cp_outbox_list (f->ledger, &query, &error);

  g_assert_no_error (error);
  g_assert_nonnull (jobs);
  return jobs;
}

guint
count_in_state (Fixture    *f,
                const char *integration_id,
                CpJobState  state)
{
  g_autoptr(GPtrArray) jobs = jobs_in_state (f, integration_id, state);

  return jobs->len;
}

CpOutboxJob *
get_job (Fixture *f,
         gint64   id)
{
  g_autoptr(GError) error = NULL;
  CpOutboxJob *job = cp_outbox_get (f->ledger, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (job);
  return job;
}

gint64
start_epoch (Fixture *f,
             guint   *out_requeued)
{
  g_autoptr(GError) error = NULL;
  gint64 epoch = cp_outbox_start_epoch (f->ledger, out_requeued, &error);

  g_assert_no_error (error);
  g_assert_cmpint (epoch, >, 0);
  return epoch;
}

GPtrArray *
claim (Fixture    *f,
       const char *integration_id,
       const char *kind,
       guint       max_jobs,
       gint64      epoch,
       gint64      now)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *jobs = cp_outbox_claim (f->ledger, integration_id, kind, max_jobs, epoch, now,
                                     CP_OUTBOX_LEASE_US, &error);

  g_assert_no_error (error);
  g_assert_nonnull (jobs);
  return jobs;
}

void
make_dead (Fixture    *f,
           const char *integration_id,
           const char *key,
           gint64     *out_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) got = NULL;
  gint64 epoch = start_epoch (f, NULL);
  gint64 id = cp_outbox_enqueue (f->ledger, integration_id, "customer.push", key, NULL, 0, &error);

  got = claim (f, integration_id, NULL, 1, epoch, cp_ledger_now_us ());
  g_assert_cmpuint (got->len, ==, 1);
  g_assert_true (cp_outbox_kill (f->ledger, id, epoch, "invalid", "Refused.", cp_ledger_now_us (),
                                 &error));
  *out_id = id;
}
