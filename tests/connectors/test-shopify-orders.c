/* test-shopify-orders.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Orders pulled from the Shopify fake: every page by cursor, the
 * watermark with its overlap, deduplication when recorded, a custom line
 * item, a refund larger than the order, and a store switching currency
 * (each order in its own currency, for the engine to keep aside).
 */

#include "config.h"

#include <string.h>

#include "cp-orders.h"

#include "shopify-test-util.h"

typedef ShopifyFixture Fixture;

static CpOrder *
find (GPtrArray  *orders,
      const char *gid)
{
  for (guint i = 0; i < orders->len; i++)
    if (g_strcmp0 (((CpOrder *) g_ptr_array_index (orders, i))->external_id, gid) == 0)
      return g_ptr_array_index (orders, i);
  return NULL;
}

static void
test_pull_fetches_ahead (Fixture       *f,
                         gconstpointer  data)
{
  TestAheadSink sink;

  /* Pages of 7: five for the demo store's 30 orders. */
  cp_shopify_connector_set_page_size (CP_SHOPIFY_CONNECTOR (f->connector), 7);
  test_ahead_pull (&sink, f->connector, f->server, "shopify POST /admin/api/{version}/graphql.json");
  g_assert_cmpuint (sink.orders, ==, cp_sandbox_shopify_get_n_orders (f->fake));
  test_ahead_sink_check (&sink, 5);
}

static void
test_pull_pages (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL, *cursor2 = NULL, *gid = NULL;
  const char *skus[] = { "EC-00002" };
  const gint64 quantities[] = { 2 };
  const char *prices[] = { "19.99" };
  gint64 before;

  cp_shopify_connector_set_page_size (CP_SHOPIFY_CONNECTOR (f->connector), 7);
  g_assert_true (shopify_fixture_pull (f, NULL, orders, &cursor, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (orders->len, ==, cp_sandbox_shopify_get_n_orders (f->fake));
  g_assert_nonnull (cursor);
  /* Pages of 7: five requests for 30 orders. */
  g_assert_cmpuint (cp_sandbox_server_get_request_count (f->server, "shopify POST /admin/api/{version}/graphql.json"), ==, 5);

  for (guint i = 0; i < orders->len; i++)
    {
      CpOrder *o = g_ptr_array_index (orders, i);

      g_assert_true (g_str_has_prefix (o->external_id, "gid://shopify/Order/"));
      g_assert_cmpstr (o->source, ==, f->t.integration_id);
      g_assert_cmpstr (o->currency, ==, "USD");
      g_assert_true (cp_orders_record (f->t.ledger, o, FALSE, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  before = cp_orders_count (f->t.ledger);

  /* A new order: the next pull from the watermark has it, and what the
   * overlap reads again is not recorded twice. */
  gid = cp_sandbox_shopify_add_order (f->fake, skus, quantities, prices, 1);
  g_assert_true (shopify_fixture_pull (f, cursor, again, &cursor2, &error));
  g_assert_no_error (error);
  g_assert_nonnull (find (again, gid));
  g_assert_cmpuint (again->len, <, orders->len);
  for (guint i = 0; i < again->len; i++)
    {
      g_assert_true (cp_orders_record (f->t.ledger, g_ptr_array_index (again, i), FALSE, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (cp_orders_count (f->t.ledger), ==, before + 1);
  {
    CpOrder *o = find (again, gid);
    CpOrderLine *line = g_ptr_array_index (o->lines, 0);

    g_assert_cmpstr (line->sku, ==, "EC-00002");
    g_assert_cmpint (line->quantity, ==, 2);
    g_assert_cmpint (line->unit_price_minor, ==, 1999);
  }
}

typedef struct
{
  GPtrArray *orders;
  char      *page_cursor;
  guint      pages_left;
} StopSink;

static gboolean
stop_sink_cb (GPtrArray   *orders,
              const char  *page_cursor,
              gpointer     user_data,
              GError     **error)
{
  StopSink *s = user_data;

  for (guint i = 0; i < orders->len; i++)
    g_ptr_array_add (s->orders, g_steal_pointer (&orders->pdata[i]));
  g_free (s->page_cursor);
  s->page_cursor = g_strdup (page_cursor);
  return --s->pages_left > 0;
}

static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  StopSink s = { orders, NULL, 2 };

  /* Interrupted after two pages of 7: no watermark yet, a page cursor. */
  cp_shopify_connector_set_page_size (CP_SHOPIFY_CONNECTOR (f->connector), 7);
  g_assert_true (cp_connector_pull_orders (f->connector, NULL, stop_sink_cb, &s, &cursor, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (cursor);
  g_assert_cmpuint (orders->len, ==, 14);
  g_assert_nonnull (s.page_cursor);

  /* Resumed from it: the rest, and then the watermark. */
  s.pages_left = 100;
  g_assert_true (cp_connector_pull_orders (f->connector, s.page_cursor, stop_sink_cb, &s, &cursor,
                                           NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (cursor);
  for (guint i = 0; i < orders->len; i++)
    g_hash_table_add (seen, ((CpOrder *) g_ptr_array_index (orders, i))->external_id);
  g_assert_cmpuint (g_hash_table_size (seen), ==, cp_sandbox_shopify_get_n_orders (f->fake));
  g_assert_cmpuint (orders->len, ==, cp_sandbox_shopify_get_n_orders (f->fake));
  g_free (s.page_cursor);
}

static void
test_custom_line_and_big_refund (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL, *gid = NULL;
  const char *skus[] = { "EC-00002", NULL };
  const gint64 quantities[] = { 1, 1 };
  const char *prices[] = { "10.00", "2.50" };
  CpOrder *o;
  CpOrderLine *custom;

  gid = cp_sandbox_shopify_add_order (f->fake, skus, quantities, prices, 2);
  cp_sandbox_shopify_refund_order (f->fake, gid, "50.00");
  shopify_fixture_pull (f, NULL, orders, &cursor, &error);
  g_assert_no_error (error);
  o = find (orders, gid);
  g_assert_nonnull (o);
  g_assert_cmpuint (o->lines->len, ==, 2);
  custom = g_ptr_array_index (o->lines, 1);
  g_assert_null (custom->sku);
  g_assert_cmpstr (custom->name, ==, "Gift wrapping");
  g_assert_cmpint (custom->unit_price_minor, ==, 250);
  /* 50.00 refunded on a 12.50 order: capped at what was paid. */
  g_assert_cmpuint (o->refunds->len, ==, 1);
  g_assert_cmpint (((CpRefund *) g_ptr_array_index (o->refunds, 0))->amount_minor, ==, 1250);
  g_assert_true (cp_orders_record (f->t.ledger, o, TRUE, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL, *gid = NULL;
  const char *skus[] = { "EC-00003" };
  const gint64 quantities[] = { 1 };
  const char *prices[] = { "29.99" };

  gid = cp_sandbox_shopify_add_order (f->fake, skus, quantities, prices, 1);
  cp_sandbox_shopify_cancel_order (f->fake, gid);
  g_assert_true (shopify_fixture_pull (f, NULL, orders, &cursor, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (find (orders, gid)->status, ==, "cancelled");
}

static void
test_many_lines (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL, *gid = NULL;
  const char *skus[40];
  gint64 quantities[40];
  const char *prices[40];
  CpOrder *o;

  /* More lines than a page of orders carries per order (30). */
  for (guint i = 0; i < G_N_ELEMENTS (skus); i++)
    {
      skus[i] = i % 2 ? "EC-00002" : "EC-00003";
      quantities[i] = 1;
      prices[i] = "1.00";
    }
  gid = cp_sandbox_shopify_add_order (f->fake, skus, quantities, prices, G_N_ELEMENTS (skus));
  g_assert_true (shopify_fixture_pull (f, NULL, orders, &cursor, &error));
  g_assert_no_error (error);
  o = find (orders, gid);
  g_assert_nonnull (o);
  g_assert_cmpuint (o->lines->len, ==, 40);
  g_assert_cmpint (cp_order_compute_total (o), ==, 4000);
}

static gboolean
collect_cb (GPtrArray   *orders,
            const char  *page_cursor,
            gpointer     user_data,
            GError     **error)
{
  for (guint i = 0; i < orders->len; i++)
    g_ptr_array_add (user_data, g_steal_pointer (&orders->pdata[i]));
  return TRUE;
}

/* The store switched currency: each order comes with its own, the
 * shop's when it was placed, never converted nor stopped at. Keeping
 * the foreign ones out of the books is the engine's rule
 * (cp-order-currency.h), which needs to see them as they are. */
static void
test_currency_switch (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = shopify_fixture_refresh (f);
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL, *gid = NULL;
  const char *skus[] = { "EC-00002" };
  const gint64 quantities[] = { 1 };
  const char *prices[] = { "19.99" };
  CpOrder *o;
  guint n_usd = 0;

  /* The store now sells in euros; the books are in dollars. */
  cp_sandbox_shopify_set_currency (f->fake, "EUR");
  gid = cp_sandbox_shopify_add_order (f->fake, skus, quantities, prices, 1);
  g_assert_true (shopify_fixture_pull (f, NULL, orders, &cursor, &error));
  g_assert_no_error (error);
  g_assert_nonnull (cursor);
  g_assert_null (strstr (cursor, "currency"));
  o = find (orders, gid);
  g_assert_nonnull (o);
  g_assert_cmpstr (o->currency, ==, "EUR");
  g_assert_cmpint (cp_order_compute_total (o), ==, 1999);
  for (guint i = 0; i < orders->len; i++)
    n_usd += g_str_equal (((CpOrder *) g_ptr_array_index (orders, i))->currency, "USD");
  g_assert_cmpuint (n_usd, ==, orders->len - 1);

  /* A cursor saved when the connector still checked the currency itself
   * is read as any other. */
  {
    g_autoptr(CpConnector) fresh = shopify_fixture_connector (f, CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN);
    g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);
    g_autofree char *fresh_cursor = NULL;

    g_assert_true (cp_connector_pull_orders (fresh, "{\"watermark\":1,\"currency\":\"USD\"}",
                                             collect_cb, again, &fresh_cursor, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (find (again, gid)->currency, ==, "EUR");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, shopify_fixture_setup, fn, shopify_fixture_teardown)
  ADD ("/shopify/orders/pages", test_pull_pages);
  ADD ("/shopify/orders/resume", test_resume);
  ADD ("/shopify/orders/fetches-ahead", test_pull_fetches_ahead);
  ADD ("/shopify/orders/custom-line-big-refund", test_custom_line_and_big_refund);
  ADD ("/shopify/orders/cancelled", test_cancelled);
  ADD ("/shopify/orders/many-lines", test_many_lines);
  ADD ("/shopify/orders/currency-switch", test_currency_switch);
#undef ADD
  return g_test_run ();
}
