/* test-cli-data.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * counterpart-cli's data commands through the built binary: catalog
 * import (all or nothing) and export, stock, sales and orders.
 */

#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cli-fixture.h"

/* catalog */

static gboolean
file_starts_with (const char *path,
                  const char *prefix)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return length >= strlen (prefix) && memcmp (contents, prefix, strlen (prefix)) == 0;
}

static void
test_catalog_import_export (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *csv = path_in (f, "good.csv");
  g_autofree char *out_csv = path_in (f, "out.csv");
  g_autofree char *out_json = path_in (f, "out.json");
  g_autofree char *out_xlsx = path_in (f, "out.xlsx");
  g_autofree char *out_other = path_in (f, "out.data");
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) imported = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) roundtrip = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  GError *error = NULL;
  JsonObject *root;

  init_ledger (f);
  write_file (csv, good_csv, -1);

  g_assert_cmpint (RUN (f, "--json", "catalog", "import", csv), ==, 0);
  imported = parse_out (f);
  root = root_object (imported);
  g_assert_true (json_object_get_boolean_member (root, "imported"));
  g_assert_cmpint (json_object_get_int_member (root, "created"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (root, "updated"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "unchanged"), ==, 0);
  g_assert_cmpint (status_count (f, "variants"), ==, 3);
  g_assert_cmpint (status_count (f, "products"), ==, 2);

  /* Exports in every format. */
  g_assert_cmpint (RUN (f, "catalog", "export", out_csv), ==, 0);
  g_assert_true (g_file_get_contents (out_csv, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "sku,") || strstr (contents, "sku") != NULL);
  g_assert_nonnull (strstr (contents, "TEE-M"));
  g_assert_nonnull (strstr (contents, "19.99"));
  g_assert_nonnull (strstr (contents, "on_hand:MAIN"));
  g_clear_pointer (&contents, g_free);

  g_assert_cmpint (RUN (f, "catalog", "export", out_json), ==, 0);
  json_parser_load_from_file (parser, out_json, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (out_json, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "TEE-S"));
  g_clear_pointer (&contents, g_free);

  g_assert_cmpint (RUN (f, "catalog", "export", out_xlsx), ==, 0);
  g_assert_true (file_starts_with (out_xlsx, "PK"));

  /* --format wins over the extension. */
  g_assert_cmpint (RUN (f, "--json", "catalog", "export", out_other, "--format", "xlsx"), ==, 0);
  g_assert_true (file_starts_with (out_other, "PK"));
  g_assert_cmpint (RUN (f, "catalog", "export", out_other, "--format", "pdf"), ==, 2);

  /* Importing the same file again changes nothing. */
  g_assert_cmpint (RUN (f, "--json", "catalog", "import", csv), ==, 0);
  again = parse_out (f);
  root = root_object (again);
  g_assert_cmpint (json_object_get_int_member (root, "created"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "updated"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "unchanged"), ==, 3);

  /* And what the CLI exports, it imports back unchanged. */
  g_assert_cmpint (RUN (f, "--json", "catalog", "import", out_csv), ==, 0);
  roundtrip = parse_out (f);
  g_assert_cmpint (json_object_get_int_member (root_object (roundtrip), "unchanged"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (root_object (roundtrip), "created"), ==, 0);

  /* The human summary. */
  g_assert_cmpint (RUN (f, "catalog", "import", csv), ==, 0);
  g_assert_nonnull (strstr (f->out, "3 unchanged"));

  g_assert_cmpint (RUN (f, "catalog", "import", "/nonexistent/catalog.csv"), ==, 1);
  g_assert_nonnull (strstr (f->err, "/nonexistent/catalog.csv"));
}

static gboolean
problem_listed (JsonArray *problems,
                gint64     line,
                gint64     column)
{
  for (guint i = 0; i < json_array_get_length (problems); i++)
    {
      JsonObject *p = json_array_get_object_element (problems, i);

      if (json_object_get_int_member (p, "line") == line &&
          json_object_get_int_member (p, "column") == column &&
          json_object_get_string_member (p, "message") != NULL &&
          *json_object_get_string_member (p, "message") != '\0')
        return TRUE;
    }
  return FALSE;
}

static void
test_catalog_import_bad (Fixture       *f,
                         gconstpointer  data)
{
  /* Each line has one thing wrong, and one row (NEW-1) is fine: nothing
   * at all may be imported, not even the good row. */
  static const char bad_csv[] =
    "sku,name,price,on_hand:MAIN\n"          /* 1 */
    "NEW-1,Fine row,5.00,3\n"                /* 2 */
    "NEW-2,Bad price,abc,1\n"                /* 3: price, column 3 */
    "NEW-3,Twice,1.00,1\n"                   /* 4 */
    "NEW-3,Twice again,1.00,1\n"             /* 5: duplicate SKU, column 1 */
    "NEW-4,Caf\xe9 latte,2.00,1\n"           /* 6: Latin-1, column 2 */
    "NEW-5,Ragged,1.00\n"                    /* 7: a field short */
    "NEW-6,Bad count,1.00,many\n";           /* 8: on_hand, column 4 */
  static const char unknown_location_csv[] =
    "sku,name,price,on_hand:NOWHERE\n"
    "NEW-7,Somewhere,1.00,1\n";
  g_autofree char *bad = path_in (f, "bad.csv");
  g_autofree char *unknown = path_in (f, "unknown-location.csv");
  g_autofree char *ledger_before = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  JsonArray *problems;
  const char *expect[] = { ":3:3:", ":5:1:", ":6:2:", ":7:", ":8:4:" };

  init_ledger (f);
  import_good_catalog (f);
  write_file (bad, bad_csv, sizeof bad_csv - 1);
  write_file (unknown, unknown_location_csv, -1);

  g_assert_cmpint (RUN (f, "catalog", "import", bad), ==, 1);
  g_assert_cmpstr (f->out, ==, "");
  for (gsize i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      g_autofree char *needle = g_strconcat (bad, expect[i], NULL);

      if (strstr (f->err, needle) == NULL)
        g_error ("stderr does not name %s:\n%s", needle, f->err);
    }
  g_assert_nonnull (strstr (f->err, "“price”"));
  g_assert_nonnull (strstr (f->err, "Nothing was imported"));
  g_assert_cmpint (status_count (f, "variants"), ==, 3);

  /* --json: the same problems as data, and stdout stays one document. */
  g_assert_cmpint (RUN (f, "--json", "catalog", "import", bad), ==, 1);
  node = parse_out (f);
  g_assert_false (json_object_get_boolean_member (root_object (node), "imported"));
  problems = json_object_get_array_member (root_object (node), "problems");
  g_assert_cmpint (json_array_get_length (problems), >=, 5);
  g_assert_true (problem_listed (problems, 3, 3));
  g_assert_true (problem_listed (problems, 5, 1));
  g_assert_true (problem_listed (problems, 6, 2));
  g_assert_true (problem_listed (problems, 8, 4));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (problems, 0),
                                                  "column_name") != NULL ? "set" : "unset", ==, "set");
  g_assert_nonnull (strstr (f->err, "Nothing was imported"));
  g_assert_cmpint (status_count (f, "variants"), ==, 3);

  /* A stock column for a location the shop does not have. */
  g_assert_cmpint (RUN (f, "catalog", "import", unknown), ==, 1);
  {
    g_autofree char *needle = g_strconcat (unknown, ":1:4:", NULL);

    if (strstr (f->err, needle) == NULL)
      g_error ("stderr does not name %s:\n%s", needle, f->err);
  }
  g_assert_nonnull (strstr (f->err, "NOWHERE"));
  g_assert_cmpint (RUN (f, "--json", "catalog", "import", unknown), ==, 1);
  node2 = parse_out (f);
  g_assert_true (problem_listed (json_object_get_array_member (root_object (node2), "problems"), 1, 4));

  /* The good row was not imported either, and stock did not move. */
  g_assert_cmpint (status_count (f, "variants"), ==, 3);
  g_assert_cmpint (RUN (f, "stock", "show", "NEW-1"), ==, 1);
  g_assert_nonnull (strstr (f->err, "NEW-1"));
}

/* stock */

static void
test_stock (Fixture       *f,
            gconstpointer  data)
{
  static const char * const keys[] = {
    "sku", "location", "on_hand", "reserved", "safety_stock", "available"
  };
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) one = NULL;
  g_autoptr(JsonNode) adjusted = NULL;
  g_autoptr(JsonNode) safety = NULL;
  JsonObject *row;

  init_ledger (f);
  import_good_catalog (f);
  g_assert_cmpint (RUN (f, "locations", "add", "WH2", "--name", "Warehouse 2"), ==, 0);

  g_assert_cmpint (RUN (f, "--json", "stock", "show"), ==, 0);
  all = parse_out (f);
  /* Three variants at two locations. */
  g_assert_cmpint (json_array_get_length (data_array (all)), ==, 6);

  g_assert_cmpint (RUN (f, "--json", "stock", "show", "TEE-S", "--location", "MAIN"), ==, 0);
  one = parse_out (f);
  g_assert_cmpint (json_array_get_length (data_array (one)), ==, 1);
  row = first_row (one);
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (row, keys[i]));
  g_assert_cmpstr (json_object_get_string_member (row, "sku"), ==, "TEE-S");
  g_assert_cmpstr (json_object_get_string_member (row, "location"), ==, "MAIN");
  g_assert_cmpint (json_object_get_int_member (row, "on_hand"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (row, "reserved"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (row, "safety_stock"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (row, "available"), ==, 10);

  /* In. */
  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-S", "--location", "MAIN", "--delta", "5",
                        "--reason", "received", "--note", "--json is only a note here"), ==, 0);
  g_assert_nonnull (strstr (f->out, "15"));
  g_assert_cmpint (on_hand (f, "TEE-S"), ==, 15);

  g_assert_cmpint (RUN (f, "--json", "stock", "adjust", "TEE-S", "--location", "MAIN",
                        "--delta=-2", "--reason", "returned"), ==, 0);
  adjusted = parse_out (f);
  g_assert_cmpint (json_object_get_int_member (root_object (adjusted), "on_hand"), ==, 13);
  g_assert_cmpstr (json_object_get_string_member (root_object (adjusted), "sku"), ==, "TEE-S");

  /* Safety stock lowers what is available, not what is on hand. */
  g_assert_cmpint (RUN (f, "--json", "stock", "set-safety", "TEE-S", "--location", "MAIN",
                        "--quantity", "4"), ==, 0);
  safety = parse_out (f);
  g_assert_cmpint (json_object_get_int_member (root_object (safety), "safety_stock"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (root_object (safety), "available"), ==, 9);
  g_assert_cmpint (json_object_get_int_member (root_object (safety), "on_hand"), ==, 13);
  g_assert_cmpint (RUN (f, "stock", "set-safety", "TEE-S", "--location", "MAIN",
                        "--quantity", "-1"), ==, 2);

  /* Damage cannot take stock below zero; a sale can (shops oversell). */
  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-M", "--location", "MAIN", "--delta", "-10",
                        "--reason", "damaged"), ==, 1);
  g_assert_cmpstr (f->out, ==, "");
  g_assert_nonnull (strstr (f->err, "TEE-M"));
  g_assert_cmpint (on_hand (f, "TEE-M"), ==, 4);
  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-M", "--location", "MAIN", "--delta", "-10",
                        "--reason", "sold"), ==, 0);
  g_assert_cmpint (on_hand (f, "TEE-M"), ==, -6);

  /* Unknown SKU and location are named. */
  g_assert_cmpint (RUN (f, "stock", "adjust", "NOPE-1", "--location", "MAIN", "--delta", "1",
                        "--reason", "received"), ==, 1);
  g_assert_nonnull (strstr (f->err, "NOPE-1"));
  g_assert_cmpint (RUN (f, "stock", "adjust", "TEE-S", "--location", "ATTIC", "--delta", "1",
                        "--reason", "received"), ==, 1);
  g_assert_nonnull (strstr (f->err, "ATTIC"));
  g_assert_cmpint (RUN (f, "stock", "set-safety", "NOPE-2", "--location", "MAIN",
                        "--quantity", "1"), ==, 1);
  g_assert_nonnull (strstr (f->err, "NOPE-2"));
  g_assert_cmpint (RUN (f, "--json", "stock", "show", "NOPE-3"), ==, 1);
  g_assert_nonnull (strstr (f->err, "NOPE-3"));
  g_assert_cmpstr (f->out, ==, "");
  g_assert_cmpint (RUN (f, "stock", "show", "--location", "ATTIC"), ==, 1);
  g_assert_nonnull (strstr (f->err, "ATTIC"));
  g_assert_cmpint (on_hand (f, "TEE-S"), ==, 13);

  /* The human table. */
  g_assert_cmpint (RUN (f, "stock", "show", "--location", "MAIN"), ==, 0);
  g_assert_nonnull (strstr (f->out, "ON HAND"));
  g_assert_nonnull (strstr (f->out, "AVAILABLE"));
  g_assert_nonnull (strstr (f->out, "TEE-M"));
  g_assert_null (strstr (f->out, "WH2"));
}

/* sales, orders */

static void
test_sales_record (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *file = path_in (f, "sales.json");
  g_autofree char *partial = path_in (f, "partial.json");
  g_autofree char *all_bad = path_in (f, "all-bad.json");
  g_autofree char *garbage = path_in (f, "garbage.json");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) partial_node = NULL;
  JsonObject *root;

  init_ledger (f);
  import_good_catalog (f);
  write_file (file, sales_json, -1);
  write_file (partial, partial_json, -1);
  write_file (all_bad, all_bad_json, -1);
  write_file (garbage, "{\"sales\": [ this is not JSON", -1);

  g_assert_cmpint (RUN (f, "sales", "record", file), ==, 0);
  g_assert_nonnull (strstr (f->out, "S-1"));
  g_assert_nonnull (strstr (f->out, "S-2"));
  g_assert_cmpint (status_count (f, "orders"), ==, 2);
  /* The sale took the stock. */
  g_assert_cmpint (on_hand (f, "TEE-S"), ==, 8);

  /* Again: nothing changes, and it says so. */
  g_assert_cmpint (RUN (f, "sales", "record", file), ==, 0);
  g_assert_nonnull (strstr (f->out, "already recorded"));
  g_assert_cmpint (status_count (f, "orders"), ==, 2);
  g_assert_cmpint (on_hand (f, "TEE-S"), ==, 8);

  g_assert_cmpint (RUN (f, "--json", "sales", "record", file), ==, 0);
  node = parse_out (f);
  root = root_object (node);
  g_assert_cmpint (json_array_get_length (data_array (node)), ==, 2);
  g_assert_cmpint (json_object_get_int_member (root, "recorded"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (root, "already_recorded"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (root, "failed"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (data_array (node), 0),
                                                  "result"), ==, "already_recorded");

  /* One good sale and one bad: the good one counts, exit 3, the bad one
   * is named. */
  g_assert_cmpint (RUN (f, "sales", "record", partial), ==, 3);
  g_assert_nonnull (strstr (f->err, "S-BAD"));
  g_assert_nonnull (strstr (f->out, "S-3"));
  g_assert_cmpint (status_count (f, "orders"), ==, 3);

  g_assert_cmpint (RUN (f, "--json", "sales", "record", partial), ==, 3);
  partial_node = parse_out (f);
  g_assert_cmpint (json_object_get_int_member (root_object (partial_node), "already_recorded"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (root_object (partial_node), "failed"), ==, 1);
  g_assert_nonnull (strstr (f->err, "S-BAD"));
  g_assert_cmpint (status_count (f, "orders"), ==, 3);

  /* All failed, or not a document at all: exit 1, nothing recorded. */
  g_assert_cmpint (RUN (f, "sales", "record", all_bad), ==, 1);
  g_assert_nonnull (strstr (f->err, "S-BAD-2"));
  g_assert_cmpint (RUN (f, "sales", "record", garbage), ==, 1);
  g_assert_nonnull (strstr (f->err, garbage));
  g_assert_cmpint (RUN (f, "sales", "record", "/nonexistent/sales.json"), ==, 1);
  g_assert_cmpint (status_count (f, "orders"), ==, 3);

  /* "-" reads standard input. */
  g_assert_cmpint (RUN_STDIN (f, "{\"id\": \"S-4\", \"currency\": \"USD\", \"lines\": "
                                 "[{\"sku\": \"MUG\", \"quantity\": 1, \"unit_price\": \"8.00\"}]}",
                              "sales", "record", "-"), ==, 0);
  g_assert_nonnull (strstr (f->out, "S-4"));
  g_assert_cmpint (status_count (f, "orders"), ==, 4);
}

static JsonObject *
find_order (JsonArray  *rows,
            const char *number)
{
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (g_strcmp0 (json_object_get_string_member (row, "number"), number) == 0)
        return row;
    }
  g_error ("no order %s in the list", number);
  return NULL;
}

static guint
n_orders (Fixture     *f,
          const char * const *args)
{
  g_autoptr(JsonNode) node = NULL;
  const char *argv[16] = { "--json", "orders", "list" };
  guint n = 3;

  for (guint i = 0; args[i] != NULL; i++)
    argv[n++] = args[i];
  g_assert_cmpint (run_argv (f, TRUE, NULL, argv), ==, 0);
  node = parse_out (f);
  return json_array_get_length (data_array (node));
}

static void
test_orders_list (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *rows;
  JsonObject *order, *total, *refunded;

  init_ledger (f);
  g_assert_cmpint (RUN (f, "orders", "list"), ==, 0);
  g_assert_nonnull (strstr (f->out, "No orders"));

  import_good_catalog (f);
  record_sales (f);

  g_assert_cmpint (RUN (f, "--json", "orders", "list"), ==, 0);
  node = parse_out (f);
  rows = data_array (node);
  g_assert_cmpint (json_array_get_length (rows), ==, 2);
  /* Newest first. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "number"),
                   ==, "R1-000002");

  order = find_order (rows, "R1-000001");
  g_assert_true (json_node_get_value_type (json_object_get_member (order, "id")) == G_TYPE_STRING);
  g_assert_cmpstr (json_object_get_string_member (order, "source"), ==, "pos");
  g_assert_true (json_object_has_member (order, "external_id"));
  g_assert_true (json_object_get_null_member (order, "external_id"));
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (order, "placed_at"), ==, "2026-01-05T10:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (order, "currency"), ==, "USD");
  g_assert_cmpint (json_object_get_int_member (order, "lines"), ==, 1);
  total = json_object_get_object_member (order, "total");
  g_assert_nonnull (total);
  /* 2 × 19.99 + 1.00 tax, in cents, as an integer. */
  g_assert_true (json_node_get_value_type (json_object_get_member (total, "amount_minor")) == G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (total, "amount_minor"), ==, 4098);
  g_assert_cmpstr (json_object_get_string_member (total, "currency"), ==, "USD");
  refunded = json_object_get_object_member (order, "refunded_total");
  g_assert_nonnull (refunded);
  g_assert_cmpint (json_object_get_int_member (refunded, "amount_minor"), ==, 0);

  /* Filters. */
  g_assert_cmpint (n_orders (f, (const char *[]) { "--source", "pos", NULL }), ==, 2);
  g_assert_cmpint (n_orders (f, (const char *[]) { "--source", "shopify-1", NULL }), ==, 0);
  g_assert_cmpint (n_orders (f, (const char *[]) { "--status", "completed", NULL }), ==, 2);
  g_assert_cmpint (n_orders (f, (const char *[]) { "--status", "cancelled", NULL }), ==, 0);
  g_assert_cmpint (n_orders (f, (const char *[]) { "--since", "2026-02-01", NULL }), ==, 1);
  g_assert_cmpint (n_orders (f, (const char *[]) { "--since", "2026-03-01T16:30:00Z", NULL }), ==, 1);
  g_assert_cmpint (n_orders (f, (const char *[]) { "--since", "2026-03-01T16:30:01Z", NULL }), ==, 0);
  g_assert_cmpint (n_orders (f, (const char *[]) { "--since", "2020-01-01", NULL }), ==, 2);
  g_assert_cmpint (n_orders (f, (const char *[]) { "--limit", "1", NULL }), ==, 1);

  /* The human table. */
  g_assert_cmpint (RUN (f, "orders", "list"), ==, 0);
  g_assert_nonnull (strstr (f->out, "R1-000001"));
  g_assert_nonnull (strstr (f->out, "R1-000002"));
  g_assert_nonnull (strstr (f->out, "40.98"));
  g_assert_cmpint (RUN (f, "orders", "list", "--limit", "1"), ==, 0);
  g_assert_nonnull (strstr (f->out, "R1-000002"));
  g_assert_null (strstr (f->out, "R1-000001"));
  g_assert_nonnull (strstr (f->out, "--limit"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  cli_fixture_init (argc, argv);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli/catalog/import-export", test_catalog_import_export);
  ADD ("/cli/catalog/import-bad", test_catalog_import_bad);
  ADD ("/cli/stock", test_stock);
  ADD ("/cli/sales/record", test_sales_record);
  ADD ("/cli/orders/list", test_orders_list);

#undef ADD

  return g_test_run ();
}
