/* test-woocommerce-faults.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The WooCommerce connector when the line to the store fails, with the
 * sandbox's injected faults: each failure is classified so the engine
 * retries what may succeed, and a retry after a change was applied but
 * its answer lost applies nothing twice (counted as distinct effects on
 * the fake): stock is absolute, a product create is found again by SKU.
 */

#include "config.h"

#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-woocommerce-connector.h"

#include "woocommerce-test-util.h"

static GArray *
demo_ids (WooFixture *f,
          guint       n)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sku = g_strdup_printf ("EC-%05u", i + 2);
      gint64 id = test_ledger_variant_id (&f->t, sku);

      g_array_append_val (ids, id);
    }
  return ids;
}

static void
push_fails_then_succeeds (WooFixture       *f,
                          CpSandboxFault    fault,
                          CpConnectorError  expected)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;

  woo_fixture_add_demo_skus (f, 6, 0, 11);
  cp_mapping_report_free (woo_fixture_refresh (f));
  cp_sandbox_server_reset_counters (f->server);
  ids = demo_ids (f, 4);

  cp_sandbox_faults_force (cp_sandbox_server_get_faults (f->server), fault, 1);
  errors = woo_fixture_push (f, CP_JOB_STOCK_PUSH, ids, &error);
  g_assert_null (errors);
  g_assert_error (error, CP_CONNECTOR_ERROR, expected);
  g_assert_true (cp_connector_error_is_retryable (error));
  g_clear_error (&error);

  /* The engine's retry: everything lands, nothing twice. */
  errors = woo_fixture_push (f, CP_JOB_STOCK_PUSH, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (woo_fixture_count_errors (errors), ==, 0);
  g_assert_cmpint (cp_sandbox_woocommerce_get_stock (f->fake, "EC-00005"), ==, 11);
  g_assert_cmpuint (cp_sandbox_server_get_n_duplicate_effects (f->server), ==, 0);
}

static void
test_5xx (WooFixture    *f,
          gconstpointer  data)
{
  push_fails_then_succeeds (f, CP_SANDBOX_FAULT_5XX, CP_CONNECTOR_ERROR_TRANSIENT);
}

static void
test_reset_after_apply (WooFixture    *f,
                        gconstpointer  data)
{
  push_fails_then_succeeds (f, CP_SANDBOX_FAULT_RESET, CP_CONNECTOR_ERROR_TRANSIENT);
  /* The first try was applied: four changes, counted once each. */
  g_assert_cmpuint (cp_sandbox_server_get_n_distinct_effects (f->server), ==, 4);
}

static void
test_truncated_answer (WooFixture    *f,
                       gconstpointer  data)
{
  push_fails_then_succeeds (f, CP_SANDBOX_FAULT_TRUNCATE, CP_CONNECTOR_ERROR_TRANSIENT);
}

static void
test_malformed_answer (WooFixture    *f,
                       gconstpointer  data)
{
  push_fails_then_succeeds (f, CP_SANDBOX_FAULT_MALFORMED, CP_CONNECTOR_ERROR_TRANSIENT);
}

static void
test_429 (WooFixture    *f,
          gconstpointer  data)
{
  CpSandboxFaultSpec spec = { 0 };
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;

  spec.retry_after_s = 7;
  cp_sandbox_faults_set_spec (cp_sandbox_server_get_faults (f->server), &spec);
  woo_fixture_add_demo_skus (f, 3, 0, 2);
  cp_mapping_report_free (woo_fixture_refresh (f));
  ids = demo_ids (f, 2);
  cp_sandbox_faults_force (cp_sandbox_server_get_faults (f->server), CP_SANDBOX_FAULT_429, 1);
  errors = woo_fixture_push (f, CP_JOB_STOCK_PUSH, ids, &error);
  g_assert_null (errors);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_RATE_LIMITED);
  /* The store's Retry-After, not a guess. */
  g_assert_cmpint (cp_connector_error_get_wait_us (error), >=, 6 * G_USEC_PER_SEC);
  g_assert_cmpint (cp_connector_error_get_wait_us (error), <=, 7 * G_USEC_PER_SEC);
}

static void
test_product_create_answer_lost (WooFixture    *f,
                                 gconstpointer  data)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  woo_fixture_add_demo_skus (f, 2, 0, 1);
  cp_mapping_report_free (woo_fixture_refresh (f));
  id = test_ledger_add_variant (&f->t, "NEW-0042", "New thing", 999, 0);
  g_array_append_val (ids, id);

  /* The look-up by SKU goes through; the create is applied, then the
   * connection drops before its answer. */
  cp_sandbox_faults_force (cp_sandbox_server_get_faults (f->server), CP_SANDBOX_FAULT_NONE, 1);
  {
    CpSandboxFaultSpec spec = { 0 };

    spec.p_reset = 1000000;   /* every request after the first */
    spec.has_seed = TRUE;
    cp_sandbox_faults_set_spec (cp_sandbox_server_get_faults (f->server), &spec);
  }
  errors = woo_fixture_push (f, CP_JOB_PRODUCT_PUSH, ids, &error);
  g_assert_null (errors);
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_TRANSIENT);
  g_clear_error (&error);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "product.create:NEW-0042"), ==, 1);

  /* The retry finds it by SKU and maps it: still one product. */
  {
    CpSandboxFaultSpec none = { 0 };

    cp_sandbox_faults_set_spec (cp_sandbox_server_get_faults (f->server), &none);
  }
  errors = woo_fixture_push (f, CP_JOB_PRODUCT_PUSH, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (woo_fixture_count_errors (errors), ==, 0);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "product.create:NEW-0042"), ==, 1);
  g_assert_cmpuint (cp_sandbox_server_get_n_duplicate_effects (f->server), ==, 0);
}

typedef struct
{
  CpLedger *ledger;
  char     *cursor;
  guint     received;
} Sink;

static gboolean
record_sink (GPtrArray   *orders,
             const char  *page_cursor,
             gpointer     user_data,
             GError     **error)
{
  Sink *sink = user_data;

  for (guint i = 0; i < orders->len; i++)
    {
      gboolean existed = FALSE;

      if (!cp_orders_record (sink->ledger, g_ptr_array_index (orders, i), TRUE, NULL, &existed, error))
        return FALSE;
      sink->received += !existed;
    }
  if (page_cursor != NULL)
    {
      g_free (sink->cursor);
      sink->cursor = g_strdup (page_cursor);
    }
  return TRUE;
}

static void
test_pull_interrupted_resumes (WooFixture    *f,
                               gconstpointer  data)
{
  Sink sink = { f->t.ledger, NULL, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  CpSandboxFaultSpec spec = { 0 };

  cp_woocommerce_connector_set_page_size (CP_WOOCOMMERCE_CONNECTOR (f->connector), 5);
  /* Some pages come cut short: the pull stops with a retryable error
   * after the pages it stored, and goes on from its page cursor. */
  spec.p_truncate = 300000;
  spec.seed = 4;
  spec.has_seed = TRUE;
  cp_sandbox_faults_set_spec (cp_sandbox_server_get_faults (f->server), &spec);

  for (guint attempt = 0; attempt < 50 && out == NULL; attempt++)
    {
      g_autofree char *from = g_strdup (sink.cursor);

      if (cp_connector_pull_orders (f->connector, from, record_sink, &sink, &out, NULL, &error))
        break;
      g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_TRANSIENT);
      g_clear_error (&error);
    }
  g_assert_nonnull (out);
  g_assert_cmpuint (sink.received, ==, 25);
  g_assert_cmpint (cp_orders_count (f->t.ledger), ==, 25);
  g_assert_cmpuint (cp_sandbox_server_get_fault_count (f->server, CP_SANDBOX_FAULT_TRUNCATE), >, 0);
  g_free (sink.cursor);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/woocommerce/faults/" path, WooFixture, NULL, woo_fixture_setup, func, woo_fixture_teardown)

  ADD ("5xx", test_5xx);
  ADD ("reset-after-apply", test_reset_after_apply);
  ADD ("truncated-answer", test_truncated_answer);
  ADD ("malformed-answer", test_malformed_answer);
  ADD ("429-retry-after", test_429);
  ADD ("product-create-answer-lost", test_product_create_answer_lost);
  ADD ("pull-interrupted-resumes", test_pull_interrupted_resumes);

  return g_test_run ();
}
