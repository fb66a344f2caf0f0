/* test-engine-common.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-engine"

#include "config.h"

#include <unistd.h>
#include <glib/gstdio.h>

#include <string.h>

#include "cp-activity.h"
#include "cp-catalog.h"
#include "cp-credentials.h"
#include "cp-sql.h"
#include "cp-stock.h"
#include "test-engine-common.h"

gboolean
engine_test_require_keyring (void)
{
  g_autoptr(GError) error = NULL;

  if (cp_credentials_check_sync (NULL, &error))
    return TRUE;
  if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
    g_test_fail_printf ("The test harness should provide a Secret Service, but: %s",
                        error->message);
  else
    g_test_skip_printf ("No Secret Service on the session bus (%s); run under "
                        "build-aux/test-session.sh", error->message);
  return FALSE;
}

void
engine_test_result_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

gboolean
engine_test_run_once (CpEngine         *engine,
                      const char       *integration_id,
                      gboolean          full,
                      gint64            max_wait_us,
                      GCancellable     *cancellable,
                      CpEngineOutcome  *out_outcome,
                      GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cp_engine_run_once_async (engine, integration_id, full, max_wait_us, cancellable,
                            engine_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return cp_engine_run_once_finish (engine, result, out_outcome, error);
}

CpEngineOutcome
engine_test_run_once_ok (CpEngine *engine,
                         gint64    max_wait_us)
{
  g_autoptr(GError) error = NULL;
  CpEngineOutcome outcome = -1;

  g_assert_true (engine_test_run_once (engine, NULL, FALSE, max_wait_us, NULL, &outcome, &error));
  g_assert_no_error (error);
  return outcome;
}

gint64
engine_test_add_variant (CpLedger   *ledger,
                         const char *sku,
                         gint64      on_hand)
{
  g_autoptr(CpVariant) variant = cp_variant_new ();
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  variant->sku = g_strdup (sku);
  variant->product_name = g_strdup (sku);
  variant->price_minor = 1000;
  memcpy (variant->currency, "USD", 4);
  g_assert_true (cp_catalog_upsert_variant (ledger, variant, &id, NULL, &error));
  g_assert_no_error (error);
  if (on_hand != 0)
    {
      g_assert_true (cp_stock_adjust (ledger, sku, "MAIN", on_hand, CP_STOCK_REASON_RECEIVED,
                                      NULL, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  return id;
}

void
engine_test_adjust (CpLedger   *ledger,
                    const char *sku,
                    gint64      delta)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_stock_adjust (ledger, sku, "MAIN", delta, CP_STOCK_REASON_CORRECTION,
                                  NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

guint
engine_test_count_activity (CpLedger   *ledger,
                            const char *type)
{
  CpActivityQuery query = { 0 };
  g_autoptr(GPtrArray) events = NULL;

  query.type = type;
  query.limit = 10000;
  events = cp_activity_query (ledger, &query, NULL);
  g_assert_nonnull (events);
  return events->len;
}

gint64
engine_test_count_orders (CpLedger *ledger)
{
  return cp_sql_query_int (ledger, "SELECT COUNT(*) FROM orders", -1);
}

void
engine_test_unique_ids (CpLedger *ledger)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("INSERT INTO sqlite_sequence (name, seq) VALUES ('integrations', %d)",
                         (int) getpid () * 10 + g_random_int_range (0, 10));
  g_assert_true (cp_sql_exec (ledger, sql, "test", &error));
  g_assert_no_error (error);
}

void
engine_test_fill_disk (CpLedger *ledger,
                       gpointer  user_data)
{
  g_assert_true (cp_sql_exec (ledger, "PRAGMA max_page_count = 1", "fill the disk", NULL));
}

void
engine_test_remove_ledger (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", ".sync-lock" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}
