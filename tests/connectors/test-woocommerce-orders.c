/* test-woocommerce-orders.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Orders from the WooCommerce fake into a real ledger: every page, no
 * order twice, resuming from a page cursor, lines typed in by hand
 * (product_id 0), refunds (more than the order too), a store that
 * switched currency, exact money, and order statuses sent back.
 */

#include "config.h"

#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-sql.h"
#include "cp-woocommerce-connector.h"

#include "woocommerce-test-util.h"

typedef struct
{
  CpLedger *ledger;
  guint     pages;
  guint     received;   /* new orders recorded */
  guint     existed;
  guint     stop_after; /* pages; 0: never */
  char     *last_cursor;
} Sink;

static gboolean
record_sink (GPtrArray   *orders,
             const char  *page_cursor,
             gpointer     user_data,
             GError     **error)
{
  Sink *sink = user_data;

  sink->pages++;
  for (guint i = 0; i < orders->len; i++)
    {
      gboolean existed = FALSE;

      if (!cp_orders_record (sink->ledger, g_ptr_array_index (orders, i), TRUE, NULL, &existed, error))
        return FALSE;
      if (existed)
        sink->existed++;
      else
        sink->received++;
    }
  g_free (sink->last_cursor);
  sink->last_cursor = g_strdup (page_cursor);
  return sink->stop_after == 0 || sink->pages < sink->stop_after;
}

static char *
pull (WooFixture *f,
      Sink       *sink,
      const char *cursor)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  sink->ledger = f->t.ledger;
  g_assert_true (cp_connector_pull_orders (f->connector, cursor, record_sink, sink, &out, NULL, &error));
  g_assert_no_error (error);
  return out;
}

static CpOrder *
get_order (WooFixture *f,
           guint       remote_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *external = g_strdup_printf ("%u", remote_id);
  gint64 id = 0;
  g_autoptr(CpSqlStmt) stmt = cp_ledger_prepare (f->t.ledger,
                                                 "SELECT id FROM orders WHERE source = ?1 AND external_id = ?2",
                                                 &error);
  CpOrder *order;

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, f->t.integration_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, external, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  g_assert_cmpint (id, >, 0);
  order = cp_orders_get (f->t.ledger, id, &error);
  g_assert_no_error (error);
  return order;
}

static void
test_pull_all_then_incremental (WooFixture    *f,
                                gconstpointer  data)
{
  Sink first = { 0 }, second = { 0 }, third = { 0 };
  g_autofree char *cursor = NULL, *cursor2 = NULL, *cursor3 = NULL;

  woo_fixture_add_demo_skus (f, 30, 4, 50);
  cp_woocommerce_connector_set_page_size (CP_WOOCOMMERCE_CONNECTOR (f->connector), 10);
  cursor = pull (f, &first, NULL);
  g_assert_cmpuint (first.received, ==, 25);
  g_assert_cmpuint (first.pages, >=, 3);
  g_assert_nonnull (cursor);
  g_assert_nonnull (strstr (cursor, "watermark"));

  /* Nothing new: the overlap re-reads a few, none is recorded twice. */
  cursor2 = pull (f, &second, cursor);
  g_assert_cmpuint (second.received, ==, 0);
  g_assert_cmpint (cp_orders_count (f->t.ledger), ==, 25);

  /* Customers keep buying: only the new ones come in. */
  cp_sandbox_woocommerce_add_orders (f->fake, 12, 7);
  cursor3 = pull (f, &third, cursor2 != NULL ? cursor2 : cursor);
  g_assert_cmpuint (third.received, ==, 12);
  g_assert_cmpint (cp_orders_count (f->t.ledger), ==, 37);
  /* Every request stayed within WordPress's per_page. */
  g_assert_cmpuint (woo_fixture_requests (f, "GET /orders"), >, 0);
  g_free (first.last_cursor);
  g_free (second.last_cursor);
  g_free (third.last_cursor);
}

static void
test_pull_fetches_ahead (WooFixture    *f,
                         gconstpointer  data)
{
  TestAheadSink sink;

  cp_woocommerce_connector_set_page_size (CP_WOOCOMMERCE_CONNECTOR (f->connector), 10);
  test_ahead_pull (&sink, f->connector, f->server, "woocommerce GET /orders");
  /* modified_after goes by whole seconds: a page may start with orders
   * the last one ended with. */
  g_assert_cmpuint (sink.orders, >=, 25);
  g_assert_cmpuint (sink.pages, >=, 3);
  test_ahead_sink_check (&sink, sink.pages);
}

static void
test_pull_resumes_from_page_cursor (WooFixture    *f,
                                    gconstpointer  data)
{
  Sink stopped = { 0 }, rest = { 0 };
  g_autofree char *none = NULL, *cursor = NULL;

  cp_woocommerce_connector_set_page_size (CP_WOOCOMMERCE_CONNECTOR (f->connector), 10);
  stopped.stop_after = 1;
  none = pull (f, &stopped, NULL);
  /* Stopped after one page: no watermark, but a page cursor to go on. */
  g_assert_null (none);
  g_assert_cmpuint (stopped.received, ==, 10);
  g_assert_nonnull (stopped.last_cursor);

  cursor = pull (f, &rest, stopped.last_cursor);
  g_assert_nonnull (cursor);
  g_assert_cmpint (cp_orders_count (f->t.ledger), ==, 25);
  g_free (stopped.last_cursor);
  g_free (rest.last_cursor);
}

static void
test_pull_custom_line_and_exact_money (WooFixture    *f,
                                       gconstpointer  data)
{
  Sink sink = { 0 };
  g_autofree char *cursor = NULL;
  g_autoptr(CpOrder) order = NULL;
  CpOrderLine *custom = NULL, *thirds = NULL;
  /* A line typed in by hand (product_id 0, no SKU), and 10.00 for three
   * whose unit price WooCommerce gives as 3.3333333333333335. */
  guint id = cp_sandbox_woocommerce_add_order_json (f->fake,
    "{\"status\":\"processing\",\"currency\":\"USD\","
    "\"line_items\":["
    "{\"id\":1,\"name\":\"Gift wrapping\",\"product_id\":0,\"variation_id\":0,\"quantity\":1,"
    "\"subtotal\":\"2.50\",\"subtotal_tax\":\"0.00\",\"total\":\"2.50\",\"total_tax\":\"0.00\","
    "\"sku\":\"\",\"price\":2.5},"
    "{\"id\":2,\"name\":\"Thirds\",\"product_id\":93,\"variation_id\":0,\"quantity\":3,"
    "\"subtotal\":\"10.00\",\"subtotal_tax\":\"0.00\",\"total\":\"10.00\",\"total_tax\":\"0.80\","
    "\"sku\":\"EC-00002\",\"price\":3.3333333333333335}],"
    "\"shipping_total\":\"4.99\",\"shipping_tax\":\"0.01\",\"total\":\"18.30\",\"refunds\":[]}");

  g_assert_cmpuint (id, >, 0);
  cursor = pull (f, &sink, NULL);
  order = get_order (f, id);
  for (guint i = 0; i < order->lines->len; i++)
    {
      CpOrderLine *line = g_ptr_array_index (order->lines, i);

      if (g_strcmp0 (line->name, "Gift wrapping") == 0)
        custom = line;
      if (g_strcmp0 (line->name, "Thirds") == 0)
        thirds = line;
    }
  g_assert_nonnull (custom);
  g_assert_cmpint (custom->quantity, ==, 1);
  g_assert_cmpint (custom->unit_price_minor, ==, 250);
  g_assert_nonnull (thirds);
  g_assert_cmpint (thirds->quantity * thirds->unit_price_minor - thirds->discount_minor, ==, 1000);
  /* The order totals exactly what the store says. */
  g_assert_cmpint (order->total_minor, ==, 1830);
  g_assert_cmpstr (order->currency, ==, "USD");
  g_free (sink.last_cursor);
}

static void
test_pull_refunds (WooFixture    *f,
                   gconstpointer  data)
{
  Sink sink = { 0 };
  g_autofree char *cursor = NULL;
  g_autoptr(CpOrder) partial = NULL;
  g_autoptr(CpOrder) too_much = NULL;
  guint a = cp_sandbox_woocommerce_add_order_json (f->fake,
    "{\"status\":\"completed\",\"currency\":\"USD\",\"line_items\":[{\"id\":1,\"name\":\"Mug\","
    "\"product_id\":11,\"quantity\":2,\"subtotal\":\"20.00\",\"total\":\"20.00\",\"total_tax\":\"0.00\","
    "\"sku\":\"EC-00002\",\"price\":10}],\"total\":\"20.00\","
    "\"refunds\":[{\"id\":900,\"reason\":\"Chipped\",\"total\":\"-7.50\"}]}");
  /* More refunded than the order came to: a plugin's doing. */
  guint b = cp_sandbox_woocommerce_add_order_json (f->fake,
    "{\"status\":\"refunded\",\"currency\":\"USD\",\"line_items\":[{\"id\":1,\"name\":\"Mug\","
    "\"product_id\":11,\"quantity\":1,\"subtotal\":\"10.00\",\"total\":\"10.00\",\"total_tax\":\"0.00\","
    "\"sku\":\"EC-00002\",\"price\":10}],\"total\":\"10.00\","
    "\"refunds\":[{\"id\":901,\"reason\":\"\",\"total\":\"-6.00\"},{\"id\":902,\"reason\":\"again\",\"total\":\"-99.00\"}]}");

  cursor = pull (f, &sink, NULL);
  partial = get_order (f, a);
  g_assert_cmpint (partial->refunded_minor, ==, 750);
  g_assert_cmpstr (partial->status, ==, "completed");
  too_much = get_order (f, b);
  /* Recorded, refunded at most its total. */
  g_assert_cmpint (too_much->refunded_minor, ==, 1000);
  g_assert_cmpstr (too_much->status, ==, "refunded");
  g_free (sink.last_cursor);
}

static void
test_pull_currency_switch (WooFixture    *f,
                           gconstpointer  data)
{
  Sink first = { 0 }, second = { 0 };
  g_autofree char *cursor = NULL, *cursor2 = NULL;
  g_autoptr(CpOrder) order = NULL;
  guint id;

  cursor = pull (f, &first, NULL);
  g_assert_cmpuint (first.received, ==, 25);

  /* The store now sells in yen (no decimals): recorded as yen, exactly,
   * never converted. */
  cp_sandbox_woocommerce_set_currency (f->fake, "JPY");
  id = cp_sandbox_woocommerce_add_order_json (f->fake,
    "{\"status\":\"processing\",\"currency\":\"JPY\",\"line_items\":[{\"id\":1,\"name\":\"Mug\","
    "\"product_id\":11,\"quantity\":2,\"subtotal\":\"3000\",\"total\":\"3000\",\"total_tax\":\"0\","
    "\"sku\":\"EC-00002\",\"price\":1500}],\"total\":\"3000\",\"refunds\":[]}");
  cursor2 = pull (f, &second, cursor);
  g_assert_cmpuint (second.received, ==, 1);
  order = get_order (f, id);
  g_assert_cmpstr (order->currency, ==, "JPY");
  g_assert_cmpint (order->total_minor, ==, 3000);
  g_free (first.last_cursor);
  g_free (second.last_cursor);
}

static void
test_status_push (WooFixture    *f,
                  gconstpointer  data)
{
  Sink sink = { 0 };
  g_autofree char *cursor = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);
  g_autoptr(GPtrArray) errors = test_errors_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CpOrder) order = NULL;
  g_autoptr(CpSqlStmt) stmt = NULL;
  guint id = cp_sandbox_woocommerce_add_order_json (f->fake,
    "{\"status\":\"processing\",\"currency\":\"USD\",\"line_items\":[{\"id\":1,\"name\":\"Mug\","
    "\"product_id\":11,\"quantity\":1,\"subtotal\":\"10.00\",\"total\":\"10.00\",\"total_tax\":\"0.00\","
    "\"sku\":\"EC-00002\",\"price\":10}],\"total\":\"10.00\",\"refunds\":[]}");

  cursor = pull (f, &sink, NULL);
  order = get_order (f, id);
  stmt = cp_ledger_prepare (f->t.ledger, "UPDATE orders SET status = 'completed' WHERE id = ?1", &error);
  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, order->id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);

  payload = g_strdup_printf ("{\"order_id\":%" G_GINT64_FORMAT "}", order->id);
  g_ptr_array_add (jobs, test_job_new (1, CP_JOB_ORDER_STATUS_PUSH, payload));
  g_assert_true (cp_connector_push (f->connector, f->t.ledger, f->context, CP_JOB_ORDER_STATUS_PUSH,
                                    jobs, errors, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (g_ptr_array_index (errors, 0));
  status = cp_sandbox_woocommerce_dup_order_status (f->fake, id);
  g_assert_cmpstr (status, ==, "completed");
  g_assert_cmpuint (woo_fixture_requests (f, "PUT /orders/{id}"), ==, 1);
  g_free (sink.last_cursor);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/woocommerce/" path, WooFixture, NULL, woo_fixture_setup, func, woo_fixture_teardown)

  ADD ("orders/all-pages-then-incremental", test_pull_all_then_incremental);
  ADD ("orders/resume-from-page-cursor", test_pull_resumes_from_page_cursor);
  ADD ("orders/fetches-ahead", test_pull_fetches_ahead);
  ADD ("orders/custom-line-and-exact-money", test_pull_custom_line_and_exact_money);
  ADD ("orders/refunds-incl-more-than-the-order", test_pull_refunds);
  ADD ("orders/currency-switch", test_pull_currency_switch);
  ADD ("orders/status-push", test_status_push);

  return g_test_run ();
}
