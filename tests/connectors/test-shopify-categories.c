/* test-shopify-categories.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ledger's category pushed to the Shopify fake over loopback as the
 * product's productType in productSet: the leaf's name, exactly; a
 * product moved takes the new one; a product without a category leaves
 * the store's product type as the merchant set it.
 */

#define G_LOG_DOMAIN "test-shopify-categories"

#include "config.h"

#include <string.h>

#include "cp-catalog.h"
#include "cp-categories.h"
#include "cp-outbox.h"
#include "shopify-test-util.h"

static gint64
add_product (ShopifyFixture *f,
             const char     *sku,
             const char     *name)
{
  g_autoptr(CpVariant) variant = cp_variant_new ();
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  variant->product_handle = g_strdup (sku);
  variant->product_name = g_strdup (name);
  variant->sku = g_strdup (sku);
  variant->price_minor = 4999;
  memcpy (variant->currency, "USD", 4);
  g_assert_true (cp_catalog_upsert_variant (f->t.ledger, variant, &id, NULL, &error));
  g_assert_no_error (error);
  return id;
}

static void
file_under (ShopifyFixture *f,
            gint64          variant_id,
            const char     *path)
{
  g_autoptr(GError) error = NULL;
  gint64 category = 0, product;

  if (path != NULL)
    g_assert_true (cp_categories_find_or_create (f->t.ledger, path, &category, &error));
  g_assert_true (cp_categories_get_for_variant (f->t.ledger, variant_id, &product, NULL, &error));
  g_assert_true (cp_categories_set_product (f->t.ledger, product, category, &error));
  g_assert_no_error (error);
}

static void
push (ShopifyFixture *f,
      gint64          variant_id,
      const char     *key)
{
  g_autofree char *payload = g_strdup_printf ("{\"variant_id\":%" G_GINT64_FORMAT "}", variant_id);
  g_autoptr(GError) job_error = shopify_fixture_push_one (f, CP_JOB_PRODUCT_PUSH, payload, key);

  g_assert_no_error (job_error);
}

static void
test_product_type (ShopifyFixture *f,
                   gconstpointer   data)
{
  g_autofree char *type = NULL;
  gint64 pads = add_product (f, "PAD-1", "Brake pads");
  gint64 tee = add_product (f, "TEE-1", "Workshop T-shirt");

  file_under (f, pads, "Bikes > Parts > Brakes");
  push (f, pads, "k1");
  type = cp_sandbox_shopify_dup_product_type (f->fake, "PAD-1");
  g_assert_cmpstr (type, ==, "Brakes");

  /* Moved: the new leaf. */
  file_under (f, pads, "Bikes > Parts > Brake discs & pads");
  push (f, pads, "k2");
  g_clear_pointer (&type, g_free);
  type = cp_sandbox_shopify_dup_product_type (f->fake, "PAD-1");
  g_assert_cmpstr (type, ==, "Brake discs & pads");

  /* No category in the ledger: nothing is said about it, so what the
   * store has stays. */
  push (f, tee, "k3");
  g_clear_pointer (&type, g_free);
  type = cp_sandbox_shopify_dup_product_type (f->fake, "TEE-1");
  g_assert_cmpstr (type, ==, "");
  file_under (f, pads, NULL);
  push (f, pads, "k4");
  g_clear_pointer (&type, g_free);
  type = cp_sandbox_shopify_dup_product_type (f->fake, "PAD-1");
  g_assert_cmpstr (type, ==, "Brake discs & pads");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/shopify/categories/product-type", ShopifyFixture, NULL, shopify_fixture_setup,
              test_product_type, shopify_fixture_teardown);

  return g_test_run ();
}
