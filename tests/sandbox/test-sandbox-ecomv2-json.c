/* test-sandbox-ecomv2-json.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ecomv2 fake writes its products and orders straight as JSON
 * (cp-sandbox-json.h) rather than through JsonBuilder: a pull of 100,000
 * orders made the fake, not the client, most of what the ingest
 * benchmark measured. The wire format must not move, so each shape is
 * compared here with the JsonBuilder form it replaced (kept below as the
 * reference, as the fake built it) as json-glib writes it, for the demo
 * shop and for awkward values; and whole pages served over HTTP must be
 * what json-glib writes for their own content. The list pages count a
 * filter's items once per store version: a change must show in the
 * totals.
 */

#include "config.h"

#include <string.h>

#include "cp-money.h"
#include "cp-sandbox-ecomv2-private.h"
#include "sandbox-test-util.h"

/* ---- The JsonBuilder shapes the fake served until the writer -------- */

static void
ref_money_in (JsonBuilder *b,
              const char  *member,
              gint64       minor,
              const char  *currency)
{
  g_autofree char *plain = cp_money_format_plain (minor, currency);
  /* The seed shows "$199.99"; another currency is written with its code. */
  const char *symbol = g_str_equal (currency, "USD") ? "$" : currency;
  g_autofree char *formatted = g_strconcat (minor < 0 ? "-" : "", symbol,
                                            g_str_equal (symbol, "$") ? "" : " ",
                                            plain + (minor < 0 ? 1 : 0), NULL);

  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "amount");
  json_builder_add_int_value (b, minor);
  json_builder_set_member_name (b, "currency");
  json_builder_add_string_value (b, currency);
  json_builder_set_member_name (b, "formatted");
  json_builder_add_string_value (b, formatted);
  json_builder_end_object (b);
}

static void
ref_money (JsonBuilder *b,
           const char  *member,
           gint64       minor)
{
  ref_money_in (b, member, minor, ECOMV2_CURRENCY);
}

static void
ref_time (JsonBuilder *b,
          const char  *member,
          gint64       unix_us)
{
  g_autoptr(GDateTime) base = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) dt = g_date_time_add (base, unix_us % G_USEC_PER_SEC);
  g_autofree char *text = g_date_time_format_iso8601 (dt);

  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, text);
}

static void
add_string (JsonBuilder *b,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, value);
}

static void
add_id (JsonBuilder *b,
        const char  *member,
        const char  *prefix,
        guint        id)
{
  g_autofree char *text = g_strdup_printf ("%s%04u", prefix, id);

  add_string (b, member, text);
}

static gint64
total_available (Ecomv2Product *p)
{
  gint64 sum = 0;

  for (guint w = 0; w < ECOMV2_N_WAREHOUSES; w++)
    sum += p->available[w];
  return sum;
}

static void
ref_product (JsonBuilder   *b,
             Ecomv2Product *p)
{
  gint64 total = total_available (p);
  guint n = p->variants->len;

  json_builder_begin_object (b);
  add_id (b, "id", "prod_", p->id);
  add_string (b, "sku", p->sku);
  add_string (b, "name", p->name);
  add_string (b, "description", p->description);
  add_string (b, "status", p->status);
  json_builder_set_member_name (b, "categories");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, p->category);
  json_builder_end_array (b);
  ref_money (b, "price", p->price_minor);

  /* Inventory is kept per product and warehouse (platforms.md §8); a
   * variant's "inventory" shows its share of the product's total. */
  json_builder_set_member_name (b, "variants");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      Ecomv2Variant *v = g_ptr_array_index (p->variants, i);

      json_builder_begin_object (b);
      add_id (b, "id", "var_", v->id);
      add_string (b, "sku", v->sku);
      /* null: the seed's "override product price (optional)" not used */
      if (v->price_minor >= 0)
        ref_money (b, "price", v->price_minor);
      else
        {
          json_builder_set_member_name (b, "price");
          json_builder_add_null_value (b);
        }
      json_builder_set_member_name (b, "inventory");
      json_builder_add_int_value (b, total / n + (i == 0 ? total % n : 0));
      json_builder_set_member_name (b, "attributes");
      json_builder_begin_object (b);
      if (v->size != NULL)
        add_string (b, "size", v->size);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  ref_time (b, "created_at", p->created_at);
  ref_time (b, "updated_at", p->updated_at);
  json_builder_end_object (b);
}

static void
ref_inventory (JsonBuilder   *b,
               Ecomv2Product *p)
{
  gint64 reserved = 0;

  for (guint w = 0; w < ECOMV2_N_WAREHOUSES; w++)
    reserved += p->reserved[w];

  json_builder_begin_object (b);
  add_id (b, "product_id", "prod_", p->id);
  add_string (b, "sku", p->sku);
  json_builder_set_member_name (b, "total_available");
  json_builder_add_int_value (b, total_available (p));
  json_builder_set_member_name (b, "total_reserved");
  json_builder_add_int_value (b, reserved);
  json_builder_set_member_name (b, "locations");
  json_builder_begin_array (b);
  for (guint w = 0; w < ECOMV2_N_WAREHOUSES; w++)
    {
      json_builder_begin_object (b);
      add_string (b, "warehouse_id", ecomv2_warehouses[w]);
      json_builder_set_member_name (b, "available");
      json_builder_add_int_value (b, p->available[w]);
      json_builder_set_member_name (b, "reserved");
      json_builder_add_int_value (b, p->reserved[w]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
ref_order (JsonBuilder *b,
           Ecomv2Order *o)
{
  gint64 total = 0;

  json_builder_begin_object (b);
  add_id (b, "id", "ord_", o->id);
  add_string (b, "customer_id", o->customer_id);
  add_string (b, "status", o->status);
  add_string (b, "payment_status", o->payment_status);
  add_string (b, "fulfillment_status", o->fulfillment_status);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < o->items->len; i++)
    {
      Ecomv2Item *item = g_ptr_array_index (o->items, i);

      json_builder_begin_object (b);
      add_id (b, "product_id", "prod_", item->product_id);
      add_id (b, "variant_id", "var_", item->variant_id);
      add_string (b, "sku", item->sku);
      add_string (b, "name", item->name);
      json_builder_set_member_name (b, "quantity");
      json_builder_add_int_value (b, item->quantity);
      ref_money_in (b, "price", item->price_minor, o->currency);
      json_builder_end_object (b);
      total += item->price_minor * item->quantity;
    }
  json_builder_end_array (b);
  ref_money_in (b, "total", total, o->currency);
  ref_time (b, "created_at", o->created_at);
  ref_time (b, "updated_at", o->updated_at);
  json_builder_end_object (b);
}


/* ---- Shapes ---------------------------------------------------------- */

typedef void (*RefFunc) (JsonBuilder *b, gpointer item);
typedef void (*WriteFunc) (CpSandboxJson *w, gpointer item);

static void
assert_same_shape (gpointer  item,
                   RefFunc   ref,
                   WriteFunc write)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  CpSandboxJson w;

  ref (b, item);
  root = json_builder_get_root (b);
  expected = json_to_string (root, FALSE);
  cp_sandbox_json_init (&w, out);
  write (&w, item);
  g_assert_cmpstr (out->str, ==, expected);
}

static void
assert_store_same (Ecomv2Store *store)
{
  for (guint i = 0; i < store->products->len; i++)
    {
      Ecomv2Product *p = g_ptr_array_index (store->products, i);

      assert_same_shape (p, (RefFunc) ref_product, (WriteFunc) ecomv2_write_product);
      assert_same_shape (p, (RefFunc) ref_inventory, (WriteFunc) ecomv2_write_inventory);
    }
  for (guint i = 0; i < store->orders->len; i++)
    assert_same_shape (g_ptr_array_index (store->orders, i),
                       (RefFunc) ref_order, (WriteFunc) ecomv2_write_order);
}

static void
test_shapes_demo (void)
{
  Ecomv2Store *store = ecomv2_store_new (300, 120);

  /* and orders placed now, with µs in their times */
  ecomv2_store_add_orders (store, 50, 5);
  g_strlcpy (store->currency, "EUR", sizeof store->currency);
  ecomv2_store_add_orders (store, 10, 6);
  assert_store_same (store);
  ecomv2_store_free (store);
}

static void
set (char       **field,
     const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static const char * const awkward[] = {
  "Café “quoted” 日本語 😀",
  "tab\there \"dq\" back\\slash /slash",
  "ctl\001\002\007\b\013\f\016\036\037\177 end",
  "nl\nline\rcr",
  "\342\200\250\342\200\251 \302\240nbsp",
  "",
};

static gint64
pow10_i64 (guint n)
{
  gint64 p = 1;

  while (n-- > 0)
    p *= 10;
  return p;
}

static const gint64 amounts[] = {
  0, 1, -1, 5, -199, 19999, G_GINT64_CONSTANT (123456789012345),
  G_GINT64_CONSTANT (-922337203685477), G_GINT64_CONSTANT (9223372036854775807),
};

static void
test_shapes_awkward (void)
{
  static const char * const currencies[] = { "USD", "EUR", "JPY", "KWD", "GBP" };
  Ecomv2Store *store = ecomv2_store_new (12, 12);

  for (guint i = 0; i < store->products->len; i++)
    {
      Ecomv2Product *p = g_ptr_array_index (store->products, i);
      const char *text = awkward[i % G_N_ELEMENTS (awkward)];
      Ecomv2Variant *v = g_ptr_array_index (p->variants, 0);

      set (&p->name, text);
      set (&p->sku, text);
      set (&p->status, i % 3 == 0 ? "archived" : "draft");
      /* null fields: json-glib wrote a NULL string as null */
      set (&p->description, i % 4 == 1 ? NULL : text);
      set (&p->category, i % 4 == 2 ? NULL : text);
      set (&v->sku, i % 4 == 3 ? NULL : text);
      set (&v->size, i % 2 ? text : NULL);
      v->price_minor = i % 3 == 0 ? -1 : amounts[i % G_N_ELEMENTS (amounts)];
      p->price_minor = amounts[(i + 3) % G_N_ELEMENTS (amounts)];
      p->available[0] = i % 2 ? 0 : G_GINT64_CONSTANT (4000000000);
      p->available[1] = -(gint64) i;
      p->reserved[2] = i * 1000;
      p->created_at = i % 2 ? 0 : G_GINT64_CONSTANT (1767225600000001) + i;
      p->updated_at = G_GINT64_CONSTANT (-1000001) * i;
    }
  for (guint i = 0; i < store->orders->len; i++)
    {
      Ecomv2Order *o = g_ptr_array_index (store->orders, i);
      const char *text = awkward[i % G_N_ELEMENTS (awkward)];

      set (&o->customer_id, i % 5 == 4 ? NULL : text);
      set (&o->status, text);
      set (&o->payment_status, i % 5 == 3 ? NULL : "refunded");
      set (&o->fulfillment_status, text);
      g_strlcpy (o->currency, currencies[i % G_N_ELEMENTS (currencies)], sizeof o->currency);
      if (i % 4 == 0)
        g_ptr_array_set_size (o->items, 0);     /* an empty items array */
      for (guint k = 0; k < o->items->len; k++)
        {
          Ecomv2Item *item = g_ptr_array_index (o->items, k);

          set (&item->name, awkward[(i + k) % G_N_ELEMENTS (awkward)]);
          set (&item->sku, k == 1 ? NULL : text);
          /* the total of large amounts must not overflow: one of them */
          item->quantity = k == 0 ? 1 : 3;
          item->price_minor = k == 0 ? amounts[i % G_N_ELEMENTS (amounts)] : 250 * (gint64) k - 1000;
        }
      o->created_at = G_GINT64_CONSTANT (951782400000000) + i;  /* 2000-02-29 */
      o->updated_at = G_GINT64_CONSTANT (253402300799999999) - i;
    }
  assert_store_same (store);
  ecomv2_store_free (store);
}

static void
test_money (void)
{
  static const char * const currencies[] = { "USD", "EUR", "JPY", "KWD", "GBP", "CLF", "ISK" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);

  for (guint c = 0; c < G_N_ELEMENTS (currencies); c++)
    for (guint i = 0; i < 400; i++)
      {
        /* the listed amounts, every power of ten and its neighbours, and
         * random ones of every size */
        gint64 minor = i < G_N_ELEMENTS (amounts) ? amounts[i]
                       : i < 100 ? (gint64) ((i % 2 ? -1 : 1) * (gint64) pow10_i64 ((i / 2) % 19) + (i % 3) - 1)
                       : (gint64) g_rand_int (rand) * g_rand_int_range (rand, 0, 1 << (i % 31)) *
                         (i % 2 ? -1 : 1);
        g_autoptr(JsonBuilder) b = json_builder_new ();
        g_autoptr(JsonNode) root = NULL;
        g_autofree char *expected = NULL;
        g_autoptr(GString) out = g_string_new (NULL);
        CpSandboxJson w;

        json_builder_begin_object (b);
        ref_money_in (b, "price", minor, currencies[c]);
        json_builder_end_object (b);
        root = json_builder_get_root (b);
        expected = json_to_string (root, FALSE);
        cp_sandbox_json_init (&w, out);
        cp_sandbox_json_begin_object (&w);
        ecomv2_write_money_in (&w, "price", minor, currencies[c]);
        cp_sandbox_json_end_object (&w);
        g_assert_cmpstr (out->str, ==, expected);
      }
}

/* ---- Pages over HTTP -------------------------------------------------- */

typedef SandboxFixture Fixture;

/* PATH's body, asserting it is json-glib's own serialization of what it
 * holds, and its parse. */
static JsonNode *
get_canonical (Fixture    *f,
               const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SoupMessage) msg = sandbox_request (f, "GET", path, CP_SANDBOX_ECOMV2_DEFAULT_KEY,
                                                NULL, NULL, &bytes, &error);
  g_autofree char *body = NULL;
  g_autofree char *again = NULL;
  JsonNode *root;

  g_autofree char *sum = NULL;
  g_autofree char *etag = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  /* the ETag as it always was: SHA-256's first 32 hex digits, quoted */
  sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  etag = g_strdup_printf ("\"%.32s\"", sum);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag"), ==, etag);
  root = json_from_string (body, &error);
  g_assert_no_error (error);
  again = json_to_string (root, FALSE);
  g_assert_cmpstr (body, ==, again);
  return root;
}

static JsonObject *
pagination_of (JsonNode *page)
{
  return json_object_get_object_member (json_node_get_object (page), "pagination");
}

static guint
n_data (JsonNode *page)
{
  return json_array_get_length (json_object_get_array_member (json_node_get_object (page), "data"));
}

static void
test_pages_canonical (Fixture       *f,
                      gconstpointer  data)
{
  static const char * const paths[] = {
    "/products", "/products?limit=200&page=2", "/products?status=draft&sort=-price",
    "/products?search=lamp&limit=3&page=2", "/products?cursor=&limit=7&category=audio",
    "/products/prod_0004", "/inventory/prod_0004",
    "/orders?limit=200", "/orders?sort=-updated_at&limit=13&page=3",
    "/orders?status=shipped&cursor=", "/orders/ord_0007",
  };
  g_autofree char *create = g_strdup_printf ("{\"sku\":\"AWK-1\",\"name\":\"%s\",\"price\":\"1234567890123.45\","
                                             "\"description\":\"tab\\there \\\"dq\\\" \\\\ \\u0001\\u007f \\u2028\"}",
                                             awkward[0]);

  cp_sandbox_ecomv2_add_orders (f->ecomv2, 30, 9);
  g_assert_cmpuint (sandbox_call (f, "POST", "/products", create, NULL, NULL), ==, 201);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(JsonNode) page = get_canonical (f, paths[i]);
    }
  {
    g_autoptr(JsonNode) page = get_canonical (f, "/products?sort=-created_at&limit=1");
    JsonObject *p = json_array_get_object_element (json_object_get_array_member (json_node_get_object (page), "data"), 0);

    g_assert_cmpstr (json_object_get_string_member (p, "sku"), ==, "AWK-1");
    g_assert_cmpstr (json_object_get_string_member (p, "name"), ==, awkward[0]);
  }
}

/* A filter's items are counted once per store version: a change moves
 * the totals and the pages at once. */
static void
test_filter_counts_follow_changes (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(JsonNode) all = get_canonical (f, "/orders?limit=200&sort=created_at");
  g_autoptr(JsonNode) before = get_canonical (f, "/orders?status=shipped&limit=5");
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) last = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autoptr(JsonNode) unfiltered = NULL;
  JsonArray *orders = json_object_get_array_member (json_node_get_object (all), "data");
  const char *change = NULL;
  gint64 shipped = 0, total;
  g_autofree char *last_path = NULL;

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *o = json_array_get_object_element (orders, i);

      if (g_str_equal (json_object_get_string_member (o, "status"), "shipped"))
        shipped++;
      else if (change == NULL)
        change = json_object_get_string_member (o, "id");
    }
  g_assert_nonnull (change);
  g_assert_cmpint (shipped, >, 5);
  g_assert_cmpint (json_object_get_int_member (pagination_of (before), "total_items"), ==, shipped);
  g_assert_cmpint (json_object_get_int_member (pagination_of (before), "total_pages"), ==, (shipped + 4) / 5);

  /* the same filter again: the same answer */
  {
    g_autoptr(JsonNode) again = get_canonical (f, "/orders?status=shipped&limit=5");

    g_assert_true (json_node_equal (again, before));
  }

  {
    g_autofree char *path = g_strdup_printf ("/orders/%s/status", change);

    g_assert_cmpuint (sandbox_call (f, "PATCH", path, "{\"status\":\"shipped\"}", NULL, NULL), ==, 200);
  }
  after = get_canonical (f, "/orders?status=shipped&limit=5");
  total = json_object_get_int_member (pagination_of (after), "total_items");
  g_assert_cmpint (total, ==, shipped + 1);
  g_assert_cmpint (json_object_get_int_member (pagination_of (after), "total_pages"), ==, (total + 4) / 5);

  /* the last page holds the remainder, and is the last */
  last_path = g_strdup_printf ("/orders?status=shipped&limit=5&page=%" G_GINT64_FORMAT, (total + 4) / 5);
  last = get_canonical (f, last_path);
  g_assert_cmpuint (n_data (last), ==, total % 5 == 0 ? 5 : total % 5);
  g_assert_false (json_object_get_boolean_member (pagination_of (last), "has_next"));

  /* a filter nothing matches, and none */
  none = get_canonical (f, "/orders?status=shipped&customer_id=nobody");
  g_assert_cmpint (json_object_get_int_member (pagination_of (none), "total_items"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (pagination_of (none), "total_pages"), ==, 0);
  g_assert_cmpuint (n_data (none), ==, 0);
  cp_sandbox_ecomv2_add_orders (f->ecomv2, 7, 2);
  unfiltered = get_canonical (f, "/orders?page=3&limit=50");
  g_assert_cmpint (json_object_get_int_member (pagination_of (unfiltered), "total_items"), ==, 127);
  g_assert_cmpuint (n_data (unfiltered), ==, 27);
  g_assert_false (json_object_get_boolean_member (pagination_of (unfiltered), "has_next"));
}

/* Many filters at once: the views kept are bounded, the answers right. */
static void
test_many_filters (Fixture       *f,
                   gconstpointer  data)
{
  for (guint round = 0; round < 2; round++)
    for (guint c = 1; c <= 40; c++)
      {
        g_autofree char *path = g_strdup_printf ("/orders?customer_id=cust_%03u&limit=200", c);
        g_autoptr(JsonNode) page = get_canonical (f, path);
        JsonArray *orders = json_object_get_array_member (json_node_get_object (page), "data");
        g_autofree char *want = g_strdup_printf ("cust_%03u", c);

        g_assert_cmpint (json_object_get_int_member (pagination_of (page), "total_items"), ==,
                         json_array_get_length (orders));
        for (guint i = 0; i < json_array_get_length (orders); i++)
          g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (orders, i),
                                                          "customer_id"), ==, want);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sandbox/ecomv2-json/shapes/demo", test_shapes_demo);
  g_test_add_func ("/sandbox/ecomv2-json/shapes/awkward", test_shapes_awkward);
  g_test_add_func ("/sandbox/ecomv2-json/shapes/money", test_money);
#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, sandbox_fixture_setup, fn, sandbox_fixture_teardown)
  ADD ("/sandbox/ecomv2-json/pages/canonical", test_pages_canonical);
  ADD ("/sandbox/ecomv2-json/pages/filter-counts", test_filter_counts_follow_changes);
  ADD ("/sandbox/ecomv2-json/pages/many-filters", test_many_filters);

  return g_test_run ();
}
