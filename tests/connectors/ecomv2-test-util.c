/* ecomv2-test-util.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "cp-connectors.h"
#include "cp-ecomv2-connector.h"
#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-stock.h"

#include "ecomv2-test-util.h"

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

void
test_ledger_setup (TestLedger *t,
                   const char *base_url)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *permissions[] = { CP_PERMISSION_INVENTORY_SYNC, CP_PERMISSION_ORDERS_PULL,
                                CP_PERMISSION_ORDERS_PUSH, CP_PERMISSION_PRODUCTS_SYNC, NULL };

  t->dir = g_dir_make_tmp ("cp-test-ecomv2-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (t->dir, "ledger.db", NULL);
  t->ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);
  cp_locations_add (t->ledger, "MAIN", "Main", "USD", NULL, &error);
  g_assert_no_error (error);
  t->integration_id = cp_integrations_add (t->ledger, "ecomv2", "Test store", base_url,
                                           permissions, &error);
  g_assert_no_error (error);
  g_assert_nonnull (t->integration_id);
}

void
test_ledger_teardown (TestLedger *t)
{
  g_clear_object (&t->ledger);
  if (t->dir != NULL)
    remove_tree (t->dir);
  g_clear_pointer (&t->dir, g_free);
  g_clear_pointer (&t->integration_id, g_free);
}

gint64
test_ledger_add_variant (TestLedger *t,
                         const char *sku,
                         const char *name,
                         gint64      price_minor,
                         gint64      on_hand)
{
  g_autoptr(CpVariant) variant = cp_variant_new ();
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  variant->product_handle = g_strdup (sku);
  variant->product_name = g_strdup (name);
  variant->sku = g_strdup (sku);
  variant->price_minor = price_minor;
  memcpy (variant->currency, "USD", 4);
  cp_catalog_upsert_variant (t->ledger, variant, &id, NULL, &error);
  g_assert_no_error (error);
  if (on_hand > 0)
    {
      cp_stock_adjust (t->ledger, sku, "MAIN", on_hand, CP_STOCK_REASON_RECEIVED,
                       NULL, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  return id;
}

gint64
test_ledger_variant_id (TestLedger *t,
                        const char *sku)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpVariant) variant = cp_catalog_get_by_sku (t->ledger, sku, &error);

  g_assert_no_error (error);
  g_assert_nonnull (variant);
  return variant->id;
}

CpOutboxJob *
test_job_new (gint64      id,
              const char *kind,
              const char *payload)
{
  CpOutboxJob *job = g_new0 (CpOutboxJob, 1);

  job->id = id;
  job->kind = g_strdup (kind);
  job->payload = g_strdup (payload);
  job->state = CP_JOB_STARTED;
  return job;
}

static gboolean
will_send_cb (GPtrArray   *jobs,
              const char  *fingerprint,
              gpointer     user_data,
              GError     **error)
{
  TestWillSend *ws = user_data;
  guint n = jobs->len;

  ws->calls++;
  if (ws->fingerprints == NULL)
    {
      ws->fingerprints = g_ptr_array_new_with_free_func (g_free);
      ws->job_counts = g_array_new (FALSE, FALSE, sizeof (guint));
    }
  g_ptr_array_add (ws->fingerprints, g_strdup (fingerprint));
  g_array_append_val (ws->job_counts, n);
  if (ws->refuse)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full");
      return FALSE;
    }
  return TRUE;
}

CpPushContext *
test_push_context_new (TestWillSend *ws)
{
  return cp_push_context_new (will_send_cb, ws);
}

void
test_will_send_clear (TestWillSend *ws)
{
  g_clear_pointer (&ws->fingerprints, g_ptr_array_unref);
  g_clear_pointer (&ws->job_counts, g_array_unref);
  ws->calls = 0;
  ws->refuse = FALSE;
}

static void
error_free0 (gpointer error)
{
  if (error != NULL)
    g_error_free (error);
}

GPtrArray *
test_errors_new (void)
{
  return g_ptr_array_new_with_free_func (error_free0);
}

void
sandbox_fixture_setup (SandboxFixture *f,
                       gconstpointer   data)
{
  g_autoptr(GError) error = NULL;

  cp_connectors_register_all ();
  f->server = cp_sandbox_server_new ();
  /* Small pages in the tests show pagination on a small shop. */
  f->fake = cp_sandbox_ecomv2_new_sized (30, 25);
  cp_sandbox_server_add_platform (f->server, CP_SANDBOX_PLATFORM (f->fake));
  g_assert_true (cp_sandbox_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->base = cp_sandbox_server_dup_platform_url (f->server, "ecomv2");

  test_ledger_setup (&f->t, f->base);
  f->connector = cp_connector_new_for_platform ("ecomv2", f->t.integration_id, f->base,
                                                TEST_CREDENTIALS, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->connector);
  /* A rate limit comes back as RATE_LIMITED at once, not slept on. */
  cp_ecomv2_connector_set_max_inline_wait (CP_ECOMV2_CONNECTOR (f->connector), 0);
  f->context = test_push_context_new (&f->ws);
}

void
sandbox_fixture_teardown (SandboxFixture *f,
                          gconstpointer   data)
{
  g_clear_pointer (&f->context, cp_push_context_free);
  test_will_send_clear (&f->ws);
  g_clear_object (&f->connector);
  test_ledger_teardown (&f->t);
  cp_sandbox_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->fake);
  g_clear_pointer (&f->base, g_free);
}

void
test_ahead_sink_init (TestAheadSink   *sink,
                      CpSandboxServer *server,
                      const char      *label)
{
  *sink = (TestAheadSink) { 0 };
  sink->server = server;
  sink->label = label;
  sink->requests_before = cp_sandbox_server_get_request_count (server, label);
  sink->connections_before = cp_sandbox_server_get_connection_count (server);
}

gboolean
test_ahead_sink_cb (GPtrArray   *orders,
                    const char  *page_cursor,
                    gpointer     user_data,
                    GError     **error)
{
  TestAheadSink *sink = user_data;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  sink->pages++;
  sink->orders += orders->len;
  if (page_cursor == NULL)
    return TRUE;   /* the last page: there is no next one to read */
  while (g_get_monotonic_time () < deadline)
    {
      if (cp_sandbox_server_get_request_count (sink->server, sink->label) >=
          sink->requests_before + sink->pages + 1)
        {
          sink->fetched_ahead++;
          break;
        }
      g_usleep (2000);
    }
  return TRUE;
}

void
test_ahead_pull (TestAheadSink   *sink,
                 CpConnector     *connector,
                 CpSandboxServer *server,
                 const char      *label)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  test_ahead_sink_init (sink, server, label);
  g_assert_true (cp_connector_pull_orders (connector, NULL, test_ahead_sink_cb, sink, &out, NULL,
                                           &error));
  g_assert_no_error (error);
}

void
test_ahead_sink_check (TestAheadSink *sink,
                       guint          n_pages)
{
  g_assert_cmpuint (sink->pages, ==, n_pages);
  g_assert_cmpuint (sink->fetched_ahead, ==, n_pages - 1);
  g_assert_cmpuint (cp_sandbox_server_get_request_count (sink->server, sink->label), ==,
                    sink->requests_before + n_pages);
  /* Read from another thread each, the pages still share one connection
   * (a TLS handshake a page against a real store otherwise). */
  g_assert_cmpuint (cp_sandbox_server_get_connection_count (sink->server) -
                    sink->connections_before, <=, 1);
}

guint
fixture_requests (SandboxFixture *f,
                  const char     *label)
{
  g_autofree char *full = g_strconcat ("ecomv2 ", label, NULL);

  return cp_sandbox_server_get_request_count (f->server, full);
}

CpMappingReport *
fixture_refresh (SandboxFixture *f)
{
  g_autoptr(GError) error = NULL;
  CpMappingReport *report = cp_connector_refresh_mappings (f->connector, f->t.ledger, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}
