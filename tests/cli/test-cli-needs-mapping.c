/* test-cli-needs-mapping.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `counterpart-cli orders list --needs-mapping`: the lines of store orders
 * whose SKU names no product, as JSON and as a table.
 */

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "cli-fixture.h"

/* A store order with a line whose SKU no product has, and a register
 * sale with one too (the register's are not listed), written straight
 * into the ledger as an import would leave them. */
static void
add_orders (Fixture *f)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (f->ledger, &db), ==, SQLITE_OK);
  sqlite3_exec (db,
                "INSERT INTO orders (id, number, source, external_id, status, placed_at, currency,"
                " subtotal_minor, total_minor, n_lines, created_at, updated_at)"
                " VALUES (1, '#1001', 'shopify-1', '1001', 'processing', 1763900000000000, 'USD',"
                "         2000, 2000, 1, 1, 1),"
                "        (2, 'R1-1', 'pos', 'sale-1', 'completed', 1763900000000000, 'USD',"
                "         2000, 2000, 1, 1, 1);"
                "INSERT INTO order_lines (order_id, position, sku, name, quantity,"
                " unit_price_minor, total_minor)"
                " VALUES (1, 0, 'NEW-SKU-1', 'Visor', 2, 1000, 2000),"
                "        (2, 0, 'NEW-SKU-2', 'Strap', 2, 1000, 2000);",
                NULL, NULL, &message);
  g_assert_null (message);
  sqlite3_close (db);
}

static void
test_needs_mapping (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *row;

  init_ledger (f);
  g_assert_cmpint (RUN (f, "--json", "orders", "list", "--needs-mapping"), ==, 0);
  node = parse_out (f);
  g_assert_cmpuint (json_array_get_length (data_array (node)), ==, 0);
  g_clear_pointer (&node, json_node_unref);

  add_orders (f);
  g_assert_cmpint (RUN (f, "--json", "orders", "list", "--needs-mapping"), ==, 0);
  node = parse_out (f);
  g_assert_cmpuint (json_array_get_length (data_array (node)), ==, 1);
  row = first_row (node);
  g_assert_cmpstr (json_object_get_string_member (row, "sku"), ==, "NEW-SKU-1");
  g_assert_cmpstr (json_object_get_string_member (row, "number"), ==, "#1001");
  g_assert_cmpstr (json_object_get_string_member (row, "source"), ==, "shopify-1");
  g_assert_cmpint (json_object_get_int_member (row, "quantity"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (row, "order_id"), ==, "1");

  g_assert_cmpint (RUN (f, "orders", "list", "--needs-mapping", "--source", "shopify-1"), ==, 0);
  g_assert_nonnull (strstr (f->out, "NEW-SKU-1"));
  g_assert_null (strstr (f->out, "NEW-SKU-2"));
  g_assert_cmpint (RUN (f, "orders", "list", "--needs-mapping", "--source", "woocommerce-2"), ==, 0);
  g_assert_null (strstr (f->out, "NEW-SKU-1"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  cli_fixture_init (argc, argv);
  g_test_add ("/cli/orders/needs-mapping", Fixture, NULL, fixture_set_up, test_needs_mapping,
              fixture_tear_down);
  return g_test_run ();
}
