/* fuzz-sales-json.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for `sales record`: a sales document from a register
 * is outside input. Whatever the bytes, the ledger must stay consistent:
 * each sale is recorded whole or not at all, and nothing crashes.
 */

#include "config.h"

#include <stdint.h>

#include "cp-catalog.h"
#include "cp-ledger.h"
#include "cp-orders.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static CpLedger *
fuzz_ledger (void)
{
  static CpLedger *ledger;

  if (ledger == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("cp-fuzz-XXXXXX", &error);
      g_autofree char *path = NULL;
      g_autoptr(CpVariant) variant = cp_variant_new ();

      g_assert_no_error (error);
      path = g_build_filename (dir, "ledger.db", NULL);
      ledger = cp_ledger_open (path, &error);
      g_assert_no_error (error);
      cp_locations_add (ledger, "MAIN", "Main", "USD", NULL, &error);
      g_assert_no_error (error);

      variant->product_handle = g_strdup ("helmet");
      variant->product_name = g_strdup ("Helmet");
      variant->sku = g_strdup ("HELMET-1");
      variant->price_minor = 1999;
      memcpy (variant->currency, "USD", 4);
      cp_catalog_upsert_variant (ledger, variant, NULL, NULL, &error);
      g_assert_no_error (error);
    }

  return ledger;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  CpLedger *ledger = fuzz_ledger ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = cp_sales_record_json (ledger, (const char *) data, size, &error);
  g_assert_true ((results == NULL) == (error != NULL));
  if (results != NULL)
    {
      for (guint i = 0; i < results->len; i++)
        {
          const CpSaleResult *result = g_ptr_array_index (results, i);

          /* Either recorded (an order id) or refused with a reason. */
          g_assert_true ((result->order_id != 0) == (result->error == NULL));
        }
    }

  return 0;
}
