/* test-sales-json.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Recording POS sales from JSON documents into a real ledger file,
 * including documents built to hurt the parser.
 */

#define G_LOG_DOMAIN "test-sales-json"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cp-catalog.h"
#include "cp-ledger.h"
#include "cp-orders.h"
#include "cp-stock.h"

typedef struct
{
  char     *dir;
  CpLedger *ledger;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *skus[] = { "HLM-RED-L", "GLV-BLK-M" };

  fixture->dir = g_dir_make_tmp ("test-sales-json-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "ledger.sqlite3", NULL);
  fixture->ledger = cp_ledger_open (path, &error);
  g_assert_no_error (error);

  cp_locations_add (fixture->ledger, "MAIN", "Main shop", "USD", NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (skus); i++)
    {
      g_autoptr(CpVariant) variant = cp_variant_new ();

      variant->product_handle = g_strdup (skus[i]);
      variant->product_name = g_strdup (skus[i]);
      variant->sku = g_strdup (skus[i]);
      variant->price_minor = 1000;
      g_strlcpy (variant->currency, "USD", sizeof variant->currency);
      cp_catalog_upsert_variant (fixture->ledger, variant, NULL, NULL, &error);
      g_assert_no_error (error);

      cp_stock_adjust (fixture->ledger, skus[i], "MAIN", 5, CP_STOCK_REASON_RECEIVED,
                       NULL, NULL, "test", NULL, &error);
      g_assert_no_error (error);
    }
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->ledger);

  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static gint64
on_hand (CpLedger   *ledger,
         const char *sku)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpStockLevel) level = cp_stock_get (ledger, sku, "MAIN", &error);

  g_assert_no_error (error);
  return level->on_hand;
}

static GPtrArray *
record (CpLedger   *ledger,
        const char *json)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *results = cp_sales_record_json (ledger, json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (results);
  for (guint i = 0; i < results->len; i++)
    {
      CpSaleResult *result = g_ptr_array_index (results, i);

      if (result->error != NULL)
        g_test_message ("sale %s: %s", result->sale_id, result->error);
    }
  return results;
}

static CpSaleResult *
result_at (GPtrArray *results,
           guint      i)
{
  return g_ptr_array_index (results, i);
}

static const char good_document[] =
  "{\"sales\": ["
  " {\"id\": \"R1-0001\", \"number\": \"R1-000001\", \"location\": \"MAIN\","
  "  \"placed_at\": \"2026-11-23T14:05:00+01:00\", \"currency\": \"USD\","
  "  \"customer\": {\"name\": \"Ada \\\"Countess\\\" Lovelace\", \"email\": \"ada@example.org\"},"
  "  \"lines\": ["
  "   {\"sku\": \"HLM-RED-L\", \"name\": \"Helmet [red]\", \"quantity\": 2, \"unit_price\": \"129.99\","
  "    \"discount\": \"5.00\", \"tax\": {\"amount_minor\": 1000, \"currency\": \"USD\"}},"
  "   {\"sku\": \"UNKNOWN-1\", \"name\": \"Sticker {x}\", \"quantity\": 1, \"unit_price\": \"0.5\"}"
  "  ],"
  "  \"payments\": [{\"method\": \"cash\", \"amount\": \"100\"},"
  "               {\"method\": \"card\", \"amount\": \"170.48\", \"reference\": \"A1\"}],"
  "  \"shipping\": \"0\", \"discount\": \"1.00\"},"
  " {\"id\": 42, \"lines\": [{\"sku\": \"GLV-BLK-M\", \"quantity\": 7, \"unit_price\": \"24.50\"}]}"
  "]}";

static void
test_good_document (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) results = record (fixture->ledger, good_document);
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(CpOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  const CpOrderLine *line;

  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpstr (result_at (results, 0)->sale_id, ==, "R1-0001");
  g_assert_null (result_at (results, 0)->error);
  g_assert_false (result_at (results, 0)->existed);
  g_assert_cmpint (result_at (results, 0)->order_id, >, 0);
  g_assert_cmpstr (result_at (results, 1)->sale_id, ==, "42");
  g_assert_null (result_at (results, 1)->error);

  order = cp_orders_get (fixture->ledger, result_at (results, 0)->order_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (order->source, ==, "pos");
  g_assert_cmpstr (order->external_id, ==, "R1-0001");
  g_assert_cmpstr (order->number, ==, "R1-000001");
  g_assert_cmpstr (order->status, ==, "completed");
  g_assert_cmpstr (order->location_code, ==, "MAIN");
  /* 14:05 at +01:00 is 13:05 UTC. */
  g_assert_cmpint (order->placed_at_us, ==, G_GINT64_CONSTANT (1795439100) * G_USEC_PER_SEC);
  g_assert_cmpstr (order->customer_name, ==, "Ada \"Countess\" Lovelace");
  g_assert_cmpstr (order->customer_email, ==, "ada@example.org");
  g_assert_cmpuint (order->lines->len, ==, 2);
  line = g_ptr_array_index (order->lines, 0);
  g_assert_cmpint (line->quantity, ==, 2);
  g_assert_cmpint (line->unit_price_minor, ==, 12999);
  g_assert_cmpint (line->discount_minor, ==, 500);
  g_assert_cmpint (line->tax_minor, ==, 1000);
  line = g_ptr_array_index (order->lines, 1);
  g_assert_cmpstr (line->sku, ==, "UNKNOWN-1");
  g_assert_cmpint (line->unit_price_minor, ==, 50);
  g_assert_cmpuint (order->payments->len, ==, 2);
  g_assert_cmpint (((CpPayment *) g_ptr_array_index (order->payments, 1))->amount_minor, ==, 17048);
  /* 25998 − 500 + 50 + 1000 tax − 100 discount. */
  g_assert_cmpint (order->total_minor, ==, 26448);
  g_assert_cmpint (order->order_discount_minor, ==, 100);

  /* POS sales take stock, below zero when the shop oversold. */
  g_assert_cmpint (on_hand (fixture->ledger, "HLM-RED-L"), ==, 3);
  g_assert_cmpint (on_hand (fixture->ledger, "GLV-BLK-M"), ==, -2);

  /* Recording the same document again changes nothing. */
  again = record (fixture->ledger, good_document);
  g_assert_cmpuint (again->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_null (result_at (again, i)->error);
      g_assert_true (result_at (again, i)->existed);
      g_assert_cmpint (result_at (again, i)->order_id, ==, result_at (results, i)->order_id);
    }
  g_assert_cmpint (cp_orders_count (fixture->ledger), ==, 2);
  g_assert_cmpint (on_hand (fixture->ledger, "HLM-RED-L"), ==, 3);
  g_assert_cmpint (on_hand (fixture->ledger, "GLV-BLK-M"), ==, -2);
}

static void
test_single_sale (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(CpOrder) order = NULL;
  gint64 before = cp_ledger_now_us ();

  /* One sale object, no location (MAIN), no time (now), no currency
   * (the shop's). */
  results = record (fixture->ledger,
                    "{\"id\": \"S-1\", \"lines\": [{\"sku\": \"GLV-BLK-M\", \"quantity\": 1, "
                    "\"unit_price\": \"24.50\"}]}");
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_null (result_at (results, 0)->error);

  order = cp_orders_get (fixture->ledger, result_at (results, 0)->order_id, NULL);
  g_assert_nonnull (order);
  g_assert_cmpstr (order->number, ==, "S-1");
  g_assert_cmpstr (order->currency, ==, cp_ledger_get_currency (fixture->ledger));
  g_assert_cmpint (order->placed_at_us, >=, before);
  g_assert_cmpint (on_hand (fixture->ledger, "GLV-BLK-M"), ==, 4);
}

static void
test_bad_sale_among_good (Fixture       *fixture,
                          gconstpointer  data)
{
  static const struct {
    const char *sale;
    const char *expected;   /* in the error, NULL when it records */
  } cases[] = {
    { "{\"id\": \"R1-0001\", \"lines\": [{\"sku\": \"HLM-RED-L\", \"quantity\": 1, \"unit_price\": \"10\"}]}", NULL },
    { "{\"id\": \"R1-0003\", \"lines\": [{\"sku\": \"HLM-RED-L\", \"quantity\": 1, \"unit_price\": \"10\"},"
      " {\"sku\": \"GLV-BLK-M\", \"quantity\": 1, \"unit_price\": \"abc\"}]}",
      "sale R1-0003: line 2: unit_price “abc” is not an amount" },
    { "{\"id\": \"R1-0004\", \"lines\": [{\"sku\": \"HLM-RED-L\", \"quantity\": 1, \"unit_price\": 19.99}]}",
      "sale R1-0004: line 1: unit_price must be a decimal string" },
    { "{\"id\": \"R1-0005\", \"currency\": \"EUR\", \"lines\": [{\"sku\": \"HLM-RED-L\", \"quantity\": 1,"
      " \"unit_price\": {\"amount_minor\": 1999, \"currency\": \"USD\"}}]}",
      "sale R1-0005: line 1: unit_price is in USD but the sale is in EUR" },
    { "{\"id\": \"R1-0006\", \"lines\": [{\"sku\": \"HLM-RED-L\", \"quantity\": -1, \"unit_price\": \"1\"}]}",
      "sale R1-0006: line 1: quantity -1 is negative" },
    { "{\"id\": \"R1-0007\", \"lines\": [{\"sku\": \"HLM-RED-L\", \"quantity\": 1.5, \"unit_price\": \"1\"}]}",
      "sale R1-0007: line 1: quantity must be a whole number" },
    { "{\"id\": \"R1-0008\", \"placed_at\": \"yesterday\", \"lines\": [{\"sku\": \"HLM-RED-L\", "
      "\"quantity\": 1, \"unit_price\": \"1\"}]}",
      "sale R1-0008: placed_at “yesterday” is not an ISO 8601" },
    { "{\"id\": \"R1-0009\", \"location\": \"MOON\", \"lines\": [{\"sku\": \"HLM-RED-L\", "
      "\"quantity\": 1, \"unit_price\": \"1\"}]}",
      "there is no location “MOON”" },
    { "{\"id\": \"R1-0010\", \"lines\": [{\"sku\": \"HLM-RED-L\", \"quantity\": 1, \"unit_price\": \"1.001\"}]}",
      "sale R1-0010: line 1: unit_price “1.001” is not an amount" },
    { "{\"number\": \"no id\", \"lines\": []}", "sale 10 has no id" },
    { "[1, 2]", "sale 11 is not an object" },
    { "{\"id\": \"R1-0012\", \"currency\": \"EUR\", \"lines\": [{\"sku\": \"GLV-BLK-M\", \"quantity\": 2,"
      " \"unit_price\": {\"amount_minor\": 1999, \"currency\": \"EUR\"}}],"
      " \"payments\": [{\"method\": \"card\", \"amount\": \"39.98\"}]}", NULL },
  };
  g_autoptr(GString) json = g_string_new ("{\"sales\": [");
  g_autoptr(GPtrArray) results = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_string_append_printf (json, "%s%s", i > 0 ? ", " : "", cases[i].sale);
  g_string_append (json, "]}");

  results = record (fixture->ledger, json->str);
  g_assert_cmpuint (results->len, ==, G_N_ELEMENTS (cases));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CpSaleResult *result = result_at (results, i);

      if (cases[i].expected == NULL)
        {
          g_assert_null (result->error);
          g_assert_cmpint (result->order_id, >, 0);
        }
      else
        {
          g_assert_nonnull (result->error);
          g_assert_cmpint (result->order_id, ==, 0);
          g_assert_true (g_str_has_prefix (result->error, "sale "));
          if (strstr (result->error, cases[i].expected) == NULL)
            g_error ("sale %u: expected “%s” in “%s”", i + 1, cases[i].expected, result->error);
        }
    }

  /* Only the two good sales were recorded, with their stock. */
  g_assert_cmpint (cp_orders_count (fixture->ledger), ==, 2);
  g_assert_cmpint (on_hand (fixture->ledger, "HLM-RED-L"), ==, 4);
  g_assert_cmpint (on_hand (fixture->ledger, "GLV-BLK-M"), ==, 3);
}

static void
assert_document_refused (CpLedger   *ledger,
                         const char *json,
                         gssize      length,
                         const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = cp_sales_record_json (ledger, json, length, &error);

  g_assert_null (results);
  g_assert_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_INVALID);
  g_test_message ("refused: %s", error->message);
  if (strstr (error->message, expected) == NULL)
    g_error ("expected “%s” in “%s”", expected, error->message);
}

static void
test_hostile_documents (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *deep = g_malloc (200000 * 2 + 1);
  g_autofree char *deep_objects = NULL;
  g_autoptr(GString) strings = g_string_new ("{\"sales\": [], \"x\": \"");
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  /* 200,000 '[' then as many ']': json-glib 1.6 would crash. */
  memset (deep, '[', 200000);
  memset (deep + 200000, ']', 200000);
  deep[400000] = '\0';
  assert_document_refused (fixture->ledger, deep, -1, "more than 64 levels");

  /* Unbalanced and with objects too. */
  deep_objects = g_strnfill (100000, '{');
  assert_document_refused (fixture->ledger, deep_objects, -1, "more than 64 levels");

  /* Brackets inside strings, with escaped quotes, are not nesting. */
  for (int i = 0; i < 1000; i++)
    g_string_append (strings, "[[{{\\\"[[");
  g_string_append (strings, "\"}");
  results = cp_sales_record_json (fixture->ledger, strings->str, strings->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (results);
  g_assert_cmpuint (results->len, ==, 0);

  /* 64 levels are fine (then it is just not a sale). */
  {
    g_autofree char *open = g_strnfill (64, '[');
    g_autofree char *close = g_strnfill (64, ']');
    g_autofree char *ok = g_strconcat (open, close, NULL);
    g_autofree char *open65 = g_strnfill (65, '[');
    g_autofree char *close65 = g_strnfill (65, ']');
    g_autofree char *too_deep = g_strconcat (open65, close65, NULL);
    g_autoptr(GPtrArray) nested = cp_sales_record_json (fixture->ledger, ok, -1, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (nested->len, ==, 1);
    g_assert_nonnull (result_at (nested, 0)->error);
    assert_document_refused (fixture->ledger, too_deep, -1, "more than 64 levels");
  }

  assert_document_refused (fixture->ledger, "{\"sales\": [", -1, "not valid JSON");
  assert_document_refused (fixture->ledger, "\"just a string\"", -1, "one sale object");
  assert_document_refused (fixture->ledger, "{\"sales\": 3}", -1, "must be a list");
  assert_document_refused (fixture->ledger, "{}", 70 * 1024 * 1024, "larger than 64 MiB");

  g_assert_cmpint (cp_orders_count (fixture->ledger), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sales-json/good-document", Fixture, NULL, fixture_setup, test_good_document,
              fixture_teardown);
  g_test_add ("/sales-json/single-sale", Fixture, NULL, fixture_setup, test_single_sale,
              fixture_teardown);
  g_test_add ("/sales-json/bad-sale-among-good", Fixture, NULL, fixture_setup,
              test_bad_sale_among_good, fixture_teardown);
  g_test_add ("/sales-json/hostile-documents", Fixture, NULL, fixture_setup,
              test_hostile_documents, fixture_teardown);

  return g_test_run ();
}
