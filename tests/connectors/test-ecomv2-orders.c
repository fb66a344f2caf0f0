/* test-ecomv2-orders.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ecomv2 connector's order pull (pages, the watermark, a resumed
 * pull, the next page read while the last is stored), its order status push and its product push, against the
 * sandbox's fake on loopback.
 */

#include "config.h"

#include <string.h>

#include "cp-ecomv2-connector.h"
#include "cp-integrations.h"
#include "cp-orders.h"
#include "cp-outbox.h"

#include "ecomv2-test-util.h"

typedef SandboxFixture Fixture;

typedef struct
{
  GHashTable *seen;          /* external_id → TRUE */
  guint       pages;
  guint       orders;
  guint       stop_after;    /* pages; 0: never */
  char       *last_page_cursor;
  gboolean    fail;
} Sink;

static gboolean
sink_cb (GPtrArray   *orders,
         const char  *page_cursor,
         gpointer     user_data,
         GError     **error)
{
  Sink *sink = user_data;

  sink->pages++;
  for (guint i = 0; i < orders->len; i++)
    {
      CpOrder *order = g_ptr_array_index (orders, i);

      g_assert_nonnull (order->external_id);
      g_assert_true (g_str_has_prefix (order->external_id, "ord_"));
      g_assert_nonnull (order->source);
      g_assert_cmpstr (order->currency, ==, "USD");
      g_assert_cmpuint (order->lines->len, >, 0);
      g_assert_cmpint (order->placed_at_us, >, 0);
      for (guint k = 0; k < order->lines->len; k++)
        {
          CpOrderLine *line = g_ptr_array_index (order->lines, k);

          g_assert_true (g_str_has_prefix (line->sku, "EC-"));
          g_assert_cmpint (line->quantity, >=, 1);
          g_assert_cmpint (line->unit_price_minor, >, 0);
        }
      g_hash_table_add (sink->seen, g_strdup (order->external_id));
      sink->orders++;
    }
  g_free (sink->last_page_cursor);
  sink->last_page_cursor = g_strdup (page_cursor);
  if (sink->fail)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full");
      return FALSE;
    }
  return sink->stop_after == 0 || sink->pages < sink->stop_after;
}

static void
sink_init (Sink *sink)
{
  memset (sink, 0, sizeof *sink);
  sink->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
sink_clear (Sink *sink)
{
  g_clear_pointer (&sink->seen, g_hash_table_unref);
  g_clear_pointer (&sink->last_page_cursor, g_free);
}

static void
union_into (GHashTable *into,
            GHashTable *from)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (into, g_strdup (key));
}

static char *
pull (Fixture    *f,
      const char *cursor,
      Sink       *sink)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_assert_true (cp_connector_pull_orders (f->connector, cursor, sink_cb, sink, &out, NULL, &error));
  g_assert_no_error (error);
  return out;
}

static void
test_pull_pages_and_watermark (Fixture       *f,
                               gconstpointer  data)
{
  Sink sink;
  g_autofree char *cursor = NULL;
  g_autofree char *cursor2 = NULL;

  cp_ecomv2_connector_set_page_size (CP_ECOMV2_CONNECTOR (f->connector), 10);

  /* No cursor: every order, 10 a page. */
  sink_init (&sink);
  cursor = pull (f, NULL, &sink);
  g_assert_cmpuint (sink.orders, ==, 25);
  g_assert_cmpuint (g_hash_table_size (sink.seen), ==, 25);
  g_assert_cmpuint (sink.pages, ==, 3);
  g_assert_cmpuint (fixture_requests (f, "GET /orders"), ==, 3);
  g_assert_nonnull (cursor);
  g_assert_nonnull (strstr (cursor, "watermark"));
  sink_clear (&sink);

  /* Three new orders: the next pull reads back to the watermark (less the
   * overlap) and stops there, one page instead of three. */
  cp_sandbox_ecomv2_add_orders (f->fake, 3, 7);
  sink_init (&sink);
  cursor2 = pull (f, cursor, &sink);
  g_assert_true (g_hash_table_contains (sink.seen, "ord_0026"));
  g_assert_true (g_hash_table_contains (sink.seen, "ord_0027"));
  g_assert_true (g_hash_table_contains (sink.seen, "ord_0028"));
  g_assert_cmpuint (sink.orders, <, 25);
  g_assert_cmpuint (fixture_requests (f, "GET /orders"), ==, 4);
  g_assert_cmpstr (cursor2, !=, cursor);
  sink_clear (&sink);

  /* Nothing new: the watermark stays. */
  sink_init (&sink);
  g_free (cursor);
  cursor = pull (f, cursor2, &sink);
  g_assert_false (g_hash_table_contains (sink.seen, "ord_0001"));
  g_assert_cmpstr (cursor, ==, cursor2);
  sink_clear (&sink);
}

static void
test_pull_resume (Fixture       *f,
                  gconstpointer  data)
{
  Sink sink, rest;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *full = NULL;
  g_autofree char *resumed = NULL;
  g_autofree char *page_cursor = NULL;

  cp_ecomv2_connector_set_page_size (CP_ECOMV2_CONNECTOR (f->connector), 10);

  sink_init (&sink);
  full = pull (f, NULL, &sink);
  sink_clear (&sink);

  /* Stopped after the first page: no watermark is given (the older
   * orders were not read), but the page cursor says where to go on. */
  sink_init (&sink);
  sink.stop_after = 1;
  g_assert_true (cp_connector_pull_orders (f->connector, NULL, sink_cb, &sink, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (out);
  g_assert_cmpuint (sink.orders, ==, 10);
  g_assert_nonnull (sink.last_page_cursor);
  page_cursor = g_strdup (sink.last_page_cursor);

  /* Resumed: the other 15, and the first page's newest again (what
   * changed since the interrupted pull began is read first). */
  sink_init (&rest);
  resumed = pull (f, page_cursor, &rest);
  g_assert_cmpuint (rest.orders, >=, 15);
  g_assert_cmpuint (rest.orders, <, 25);
  union_into (sink.seen, rest.seen);
  g_assert_cmpuint (g_hash_table_size (sink.seen), ==, 25);
  /* The same watermark as a pull that was never interrupted. */
  g_assert_cmpstr (resumed, ==, full);
  sink_clear (&rest);

  /* Orders placed between the interruption and the resumed pull are in
   * it: a pull that completes has every order placed before it began. */
  cp_sandbox_ecomv2_add_orders (f->fake, 12, 3);
  sink_init (&rest);
  g_free (resumed);
  resumed = pull (f, page_cursor, &rest);
  for (guint i = 26; i <= 37; i++)
    {
      g_autofree char *id = g_strdup_printf ("ord_%04u", i);
      g_assert_true (g_hash_table_contains (rest.seen, id));
    }
  union_into (sink.seen, rest.seen);
  g_assert_cmpuint (g_hash_table_size (sink.seen), ==, 37);
  g_assert_cmpstr (resumed, !=, full);
  sink_clear (&sink);
  sink_clear (&rest);

  /* A sink's error ends the pull with that error. */
  sink_init (&sink);
  sink.fail = TRUE;
  g_assert_false (cp_connector_pull_orders (f->connector, NULL, sink_cb, &sink, &out, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  sink_clear (&sink);
  g_clear_error (&error);

  /* A damaged cursor is a CONFIG error, not a silent full pull. */
  sink_init (&sink);
  g_assert_false (cp_connector_pull_orders (f->connector, "{\"watermark\":\"x\"}", sink_cb, &sink,
                                            &out, NULL, &error));
  g_assert_error (error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_CONFIG);
  sink_clear (&sink);
}

static void
test_pull_fetches_ahead (Fixture       *f,
                         gconstpointer  data)
{
  TestAheadSink sink;

  cp_ecomv2_connector_set_page_size (CP_ECOMV2_CONNECTOR (f->connector), 10);
  test_ahead_pull (&sink, f->connector, f->server, "ecomv2 GET /orders");
  g_assert_cmpuint (sink.orders, ==, 25);
  test_ahead_sink_check (&sink, 3);
}

static gint64
record_order (Fixture    *f,
              const char *external_id,
              const char *status)
{
  g_autoptr(CpOrder) order = cp_order_new ();
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  order->source = g_strdup (f->t.integration_id);
  order->external_id = g_strdup (external_id);
  order->status = g_strdup (status);
  memcpy (order->currency, "USD", 4);
  cp_order_add_line (order, "EC-00001", "Demo", 1, 1000, 0, 0);
  cp_orders_record (f->t.ledger, order, FALSE, &id, NULL, &error);
  g_assert_no_error (error);
  return id;
}

static GError *
push_one (Fixture    *f,
          const char *kind,
          const char *payload)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);
  g_autoptr(GPtrArray) errors = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (jobs, test_job_new (1, kind, payload));
  g_assert_true (cp_connector_push (f->connector, f->t.ledger, f->context, kind, jobs, errors,
                                    NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 1);
  return g_ptr_array_index (errors, 0);
}

static void
test_push_order_status (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *payload = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GError) job_error = NULL;
  gint64 id;

  /* The ledger's "completed" is the store's "delivered". */
  id = record_order (f, "ord_0001", "completed");
  payload = g_strdup_printf ("{\"order_id\":%" G_GINT64_FORMAT ",\"status\":\"completed\"}", id);
  g_assert_null (push_one (f, CP_JOB_ORDER_STATUS_PUSH, payload));
  status = cp_sandbox_ecomv2_dup_order_status (f->fake, "ord_0001");
  g_assert_cmpstr (status, ==, "delivered");
  g_assert_cmpuint (f->ws.calls, ==, 1);

  /* A status the store has no word for is this record's problem only. */
  g_free (payload);
  id = record_order (f, "ord_0002", "refunded");
  payload = g_strdup_printf ("{\"order_id\":%" G_GINT64_FORMAT "}", id);
  job_error = push_one (f, CP_JOB_ORDER_STATUS_PUSH, payload);
  g_assert_error (job_error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_INVALID_DATA);
  g_clear_error (&job_error);

  /* An order the store no longer has. */
  g_free (payload);
  id = record_order (f, "ord_9999", "shipped");
  payload = g_strdup_printf ("{\"order_id\":%" G_GINT64_FORMAT "}", id);
  job_error = push_one (f, CP_JOB_ORDER_STATUS_PUSH, payload);
  g_assert_error (job_error, CP_CONNECTOR_ERROR, CP_CONNECTOR_ERROR_NOT_FOUND);
  g_assert_nonnull (cp_connector_error_get_exchange (job_error));
}

static void
test_push_product (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *local = NULL;
  g_autofree char *remote = NULL;
  gint64 id;
  guint n_products = cp_sandbox_ecomv2_get_n_products (f->fake);

  test_ledger_add_variant (&f->t, "EC-00002", "Renamed here", 12345, 0);
  id = test_ledger_add_variant (&f->t, "NEW-1", "Brand new", 1999, 0);
  report = fixture_refresh (f);

  /* Mapped: updated in one batch. */
  payload = g_strdup_printf ("{\"variant_id\":%" G_GINT64_FORMAT "}",
                             test_ledger_variant_id (&f->t, "EC-00002"));
  g_assert_null (push_one (f, CP_JOB_PRODUCT_PUSH, payload));
  g_assert_cmpuint (fixture_requests (f, "PATCH /batch/update"), ==, 1);

  /* Not on the store: created, and mapped. */
  g_free (payload);
  payload = g_strdup_printf ("{\"variant_id\":%" G_GINT64_FORMAT "}", id);
  g_assert_null (push_one (f, CP_JOB_PRODUCT_PUSH, payload));
  g_assert_cmpuint (cp_sandbox_ecomv2_get_n_products (f->fake), ==, n_products + 1);
  local = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  remote = cp_integrations_get_remote_id (f->t.ledger, f->t.integration_id, "variant", local, &error);
  g_assert_no_error (error);
  g_assert_nonnull (remote);

  /* The answer to the create was lost (the mapping is not there): the
   * retry finds the product by SKU instead of creating it twice. */
  cp_integrations_clear_mapping (f->t.ledger, f->t.integration_id, "variant", local, &error);
  g_assert_no_error (error);
  g_assert_null (push_one (f, CP_JOB_PRODUCT_PUSH, payload));
  g_assert_cmpuint (cp_sandbox_ecomv2_get_n_products (f->fake), ==, n_products + 1);
  g_assert_cmpuint (cp_sandbox_server_get_n_duplicate_effects (f->server), ==, 0);
  g_free (remote);
  remote = cp_integrations_get_remote_id (f->t.ledger, f->t.integration_id, "variant", local, &error);
  g_assert_nonnull (remote);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/ecomv2/orders/" path, Fixture, NULL, sandbox_fixture_setup, func, sandbox_fixture_teardown)

  ADD ("pull-pages-and-watermark", test_pull_pages_and_watermark);
  ADD ("pull-resume", test_pull_resume);
  ADD ("pull-fetches-ahead", test_pull_fetches_ahead);
  ADD ("push-order-status", test_push_order_status);
  ADD ("push-product", test_push_product);

#undef ADD

  return g_test_run ();
}
