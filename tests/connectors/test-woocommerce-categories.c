/* test-woocommerce-categories.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ledger's categories pushed to the WooCommerce fake over loopback:
 * created once, parent first, the hierarchy kept; a category the store
 * already has (on a later page, with its name HTML-escaped) reused; a
 * 400 term_exists answered with the sibling's resource_id; later pushes
 * reading the list once and creating nothing; a category the owner
 * deleted in the store matched again rather than filing nowhere.
 */

#define G_LOG_DOMAIN "test-woocommerce-categories"

#include "config.h"

#include <string.h>

#include "cp-categories.h"
#include "cp-integrations.h"
#include "cp-outbox.h"
#include "woocommerce-test-util.h"

static void
file_under (WooFixture *f,
            const char *sku,
            const char *path)
{
  g_autoptr(GError) error = NULL;
  gint64 category, product;

  g_assert_true (cp_categories_find_or_create (f->t.ledger, path, &category, &error));
  g_assert_true (cp_categories_get_for_variant (f->t.ledger, test_ledger_variant_id (&f->t, sku),
                                                &product, NULL, &error));
  g_assert_true (cp_categories_set_product (f->t.ledger, product, category, &error));
  g_assert_no_error (error);
}

static void
push_ok (WooFixture         *f,
         const char * const *skus)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; skus[i] != NULL; i++)
    {
      gint64 id = test_ledger_variant_id (&f->t, skus[i]);

      g_array_append_val (ids, id);
    }
  errors = woo_fixture_push (f, CP_JOB_PRODUCT_PUSH, ids, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < errors->len; i++)
    if (g_ptr_array_index (errors, i) != NULL)
      g_test_message ("job %u: %s", i, ((GError *) g_ptr_array_index (errors, i))->message);
  g_assert_cmpuint (woo_fixture_count_errors (errors), ==, 0);
}

/* The store's category of the product with SKU, checked to be one. */
static guint
remote_category_of (WooFixture *f,
                    const char *sku)
{
  g_autofree char *ids = cp_sandbox_woocommerce_dup_product_categories (f->fake, sku);
  guint64 id = 0;

  g_assert_nonnull (ids);
  g_assert_true (g_ascii_string_to_unsigned (ids, 10, 1, G_MAXUINT, &id, NULL));
  return (guint) id;
}

/* The path of store category ID, from its root, as the store names it. */
static char *
remote_path (WooFixture *f,
             guint       id)
{
  g_autoptr(GString) path = g_string_new (NULL);

  while (id != 0)
    {
      guint parent = 0;
      g_autofree char *name = cp_sandbox_woocommerce_dup_category (f->fake, id, &parent);

      g_assert_nonnull (name);
      g_string_prepend (path, name);
      if (parent != 0)
        g_string_prepend (path, " > ");
      id = parent;
    }
  return g_string_free (g_steal_pointer (&path), FALSE);
}

static void
test_created_once (WooFixture    *f,
                   gconstpointer  data)
{
  const char * const skus[] = { "EC-00002", "EC-00003", "NEW-0001", "EC-00001-M", "EC-00001-L",
                                NULL };
  g_autofree char *brakes = NULL;
  g_autofree char *helmets = NULL;
  g_autofree char *chains = NULL;
  g_autofree char *fresh = NULL;
  guint lists, creates;

  woo_fixture_add_demo_skus (f, 3, 4, 3);
  test_ledger_add_variant (&f->t, "NEW-0001", "Brake pads", 2999, 0);
  file_under (f, "EC-00002", "Bikes > Parts > Brakes");
  file_under (f, "NEW-0001", "Bikes > Parts > Brakes");
  file_under (f, "EC-00003", "Bikes > Parts > Chains");
  /* The demo's EC-00001 is variable: its variations are filed through it. */
  file_under (f, "EC-00001-M", "Helmets");
  file_under (f, "EC-00001-L", "Helmets");

  push_ok (f, skus);
  helmets = remote_path (f, remote_category_of (f, "EC-00001-L"));
  g_assert_cmpstr (helmets, ==, "Helmets");
  g_clear_pointer (&helmets, g_free);
  helmets = remote_path (f, remote_category_of (f, "EC-00001-M"));
  g_assert_cmpstr (helmets, ==, "Helmets");

  /* Five categories, each made once, parents before children. */
  g_assert_cmpuint (cp_sandbox_woocommerce_get_n_categories (f->fake), ==, 5);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "category.create:Bikes"), ==, 1);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "category.create:Parts"), ==, 1);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "category.create:Brakes"), ==, 1);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "category.create:Chains"), ==, 1);
  brakes = remote_path (f, remote_category_of (f, "EC-00002"));
  chains = remote_path (f, remote_category_of (f, "EC-00003"));
  fresh = remote_path (f, remote_category_of (f, "NEW-0001"));
  g_assert_cmpstr (brakes, ==, "Bikes > Parts > Brakes");
  g_assert_cmpstr (chains, ==, "Bikes > Parts > Chains");
  g_assert_cmpstr (fresh, ==, "Bikes > Parts > Brakes");

  /* Mapped now: the next push reads the list once, to check the
   * mappings, and makes nothing. */
  lists = woo_fixture_requests (f, "GET /products/categories");
  creates = woo_fixture_requests (f, "POST /products/categories");
  g_assert_cmpuint (lists, ==, 1);
  g_assert_cmpuint (creates, ==, 5);
  push_ok (f, skus);
  g_assert_cmpuint (woo_fixture_requests (f, "GET /products/categories"), ==, lists + 1);
  g_assert_cmpuint (woo_fixture_requests (f, "POST /products/categories"), ==, creates);
  g_assert_cmpuint (cp_sandbox_woocommerce_get_n_categories (f->fake), ==, 5);

  /* A product moved: the new leaf is made under the mapped parents. */
  file_under (f, "EC-00003", "Bikes > Tyres");
  push_ok (f, skus);
  g_clear_pointer (&chains, g_free);
  chains = remote_path (f, remote_category_of (f, "EC-00003"));
  g_assert_cmpstr (chains, ==, "Bikes > Tyres");
  g_assert_cmpuint (cp_sandbox_woocommerce_get_n_categories (f->fake), ==, 6);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "category.create:Bikes"), ==, 1);
}

/* The owner deletes "Parts" in WP admin: WordPress moves its children
 * up under "Bikes" and drops it from products. The next push does not
 * send the dead id (WooCommerce would drop it without a word): the path
 * is matched again and the missing level made. */
static void
test_deleted_in_store (WooFixture    *f,
                       gconstpointer  data)
{
  const char * const skus[] = { "EC-00002", NULL };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint brakes, parts;

  woo_fixture_add_demo_skus (f, 2, 4, 3);
  file_under (f, "EC-00002", "Bikes > Parts > Brakes");
  push_ok (f, skus);
  brakes = remote_category_of (f, "EC-00002");
  before = remote_path (f, brakes);
  g_assert_cmpstr (before, ==, "Bikes > Parts > Brakes");
  g_free (cp_sandbox_woocommerce_dup_category (f->fake, brakes, &parts));
  g_assert_true (cp_sandbox_woocommerce_delete_category (f->fake, parts));

  push_ok (f, skus);
  after = remote_path (f, remote_category_of (f, "EC-00002"));
  g_assert_cmpstr (after, ==, "Bikes > Parts > Brakes");
  g_assert_cmpuint (remote_category_of (f, "EC-00002"), !=, brakes);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "category.create:Bikes"), ==, 1);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "category.create:Parts"), ==, 2);
}

/* What the store owner made is used: on the second page of the list,
 * a name with '&' (escaped by WordPress), the same leaf name under
 * another parent not taken for ours. */
static void
test_existing_reused (WooFixture    *f,
                      gconstpointer  data)
{
  const char * const skus[] = { "EC-00002", "EC-00003", NULL };
  guint bikes, parts, care;
  g_autofree char *brakes = NULL;

  /* 120 others first, so ours sort onto page 2 of 100. */
  for (guint i = 0; i < 120; i++)
    {
      g_autofree char *name = g_strdup_printf ("Aisle %03u", i);

      g_assert_cmpuint (cp_sandbox_woocommerce_add_category (f->fake, name, 0), >, 0);
    }
  bikes = cp_sandbox_woocommerce_add_category (f->fake, "Bikes", 0);
  parts = cp_sandbox_woocommerce_add_category (f->fake, "Parts", bikes);
  care = cp_sandbox_woocommerce_add_category (f->fake, "Tools & Care", 0);
  g_assert_cmpuint (cp_sandbox_woocommerce_add_category (f->fake, "Brakes",
                                                          cp_sandbox_woocommerce_add_category (f->fake, "Cars", 0)),
                    >, 0);

  woo_fixture_add_demo_skus (f, 3, 4, 3);
  file_under (f, "EC-00002", "bikes > PARTS > Brakes");
  file_under (f, "EC-00003", "Tools & Care");
  push_ok (f, skus);

  g_assert_cmpuint (woo_fixture_requests (f, "GET /products/categories"), ==, 2);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "category.create:Bikes"), ==, 0);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "category.create:Parts"), ==, 0);
  g_assert_cmpuint (cp_sandbox_server_get_effect_count (f->server, "category.create:Brakes"), ==, 1);
  g_assert_cmpuint (woo_fixture_requests (f, "POST /products/categories"), ==, 1);
  g_assert_cmpuint (remote_category_of (f, "EC-00003"), ==, care);
  brakes = remote_path (f, remote_category_of (f, "EC-00002"));
  g_assert_cmpstr (brakes, ==, "Bikes > Parts > Brakes");
  {
    guint parent = 0;
    g_autofree char *name = cp_sandbox_woocommerce_dup_category (f->fake,
                                                                 remote_category_of (f, "EC-00002"),
                                                                 &parent);
    g_assert_cmpuint (parent, ==, parts);
  }
}

/* WordPress compares names as MySQL's collation does, beyond ASCII
 * case: "ÉTAGÈRES" is its "Étagères". The connector's own match misses
 * it, the create is refused with term_exists, and its resource_id is
 * the category used and mapped. */
static void
test_term_exists (WooFixture    *f,
                  gconstpointer  data)
{
  const char * const skus[] = { "EC-00002", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *local = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *expected = NULL;
  gint64 category;
  guint shelves;

  shelves = cp_sandbox_woocommerce_add_category (f->fake, "Étagères", 0);
  woo_fixture_add_demo_skus (f, 2, 4, 3);
  file_under (f, "EC-00002", "ÉTAGÈRES");
  push_ok (f, skus);

  g_assert_cmpuint (woo_fixture_requests (f, "POST /products/categories"), ==, 1);
  g_assert_cmpuint (cp_sandbox_woocommerce_get_n_categories (f->fake), ==, 1);
  g_assert_cmpuint (remote_category_of (f, "EC-00002"), ==, shelves);
  g_assert_true (cp_categories_lookup (f->t.ledger, "ÉTAGÈRES", &category, &error));
  local = g_strdup_printf ("%" G_GINT64_FORMAT, category);
  remote = cp_integrations_get_remote_id (f->t.ledger, f->t.integration_id, "category", local, &error);
  g_assert_no_error (error);
  expected = g_strdup_printf ("%u", shelves);
  g_assert_cmpstr (remote, ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/woocommerce/categories/" path, WooFixture, NULL, woo_fixture_setup, func, \
              woo_fixture_teardown)

  ADD ("created-once", test_created_once);
  ADD ("existing-reused", test_existing_reused);
  ADD ("term-exists", test_term_exists);
  ADD ("deleted-in-store", test_deleted_in_store);

#undef ADD

  return g_test_run ();
}
