/* woocommerce-test-util.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cp-connectors.h"
#include "cp-outbox.h"
#include "cp-woocommerce-connector.h"

#include "woocommerce-test-util.h"

void
woo_fixture_setup (WooFixture    *f,
                   gconstpointer  data)
{
  const WooFixtureSize *size = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpRateLimiter) unlimited = cp_rate_limiter_new (1e9, 1e6, g_get_monotonic_time ());

  cp_connectors_register_all ();
  f->server = cp_sandbox_server_new ();
  f->fake = size != NULL
            ? cp_sandbox_woocommerce_new_sized (size->n_products, size->variable_every, size->n_orders)
            : cp_sandbox_woocommerce_new_sized (30, 4, 25);
  cp_sandbox_server_add_platform (f->server, CP_SANDBOX_PLATFORM (f->fake));
  g_assert_true (cp_sandbox_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->base = cp_sandbox_server_dup_platform_url (f->server, "woocommerce");

  test_ledger_setup (&f->t, f->base);
  f->connector = cp_connector_new_for_platform ("woocommerce", f->t.integration_id, f->base,
                                                WOO_TEST_CREDENTIALS, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->connector);
  /* The fake has no limit unless a test sets one: no pacing here, and a
   * limit comes back as RATE_LIMITED at once, not slept on. */
  cp_woocommerce_connector_set_rate_limiter (CP_WOOCOMMERCE_CONNECTOR (f->connector), unlimited);
  cp_woocommerce_connector_set_max_inline_wait (CP_WOOCOMMERCE_CONNECTOR (f->connector), 0);
  f->context = test_push_context_new (&f->ws);
}

void
woo_fixture_teardown (WooFixture    *f,
                      gconstpointer  data)
{
  g_clear_pointer (&f->context, cp_push_context_free);
  test_will_send_clear (&f->ws);
  g_clear_object (&f->connector);
  test_ledger_teardown (&f->t);
  cp_sandbox_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_object (&f->fake);
  g_clear_pointer (&f->base, g_free);
}

guint
woo_fixture_requests (WooFixture *f,
                      const char *label)
{
  g_autofree char *full = g_strconcat ("woocommerce ", label, NULL);

  return cp_sandbox_server_get_request_count (f->server, full);
}

CpMappingReport *
woo_fixture_refresh (WooFixture *f)
{
  g_autoptr(GError) error = NULL;
  CpMappingReport *report = cp_connector_refresh_mappings (f->connector, f->t.ledger, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

void
woo_fixture_add_demo_skus (WooFixture *f,
                           guint       n,
                           guint       variable_every,
                           gint64      on_hand)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sku = g_strdup_printf ("EC-%05u", i + 1);

      test_ledger_add_variant (&f->t, sku, sku, 1999, on_hand);
      if (variable_every != 0 && i % variable_every == 0)
        {
          g_autofree char *m = g_strconcat (sku, "-M", NULL);
          g_autofree char *l = g_strconcat (sku, "-L", NULL);

          test_ledger_add_variant (&f->t, m, m, 1999, on_hand);
          test_ledger_add_variant (&f->t, l, l, 2499, on_hand);
        }
    }
}

GPtrArray *
woo_fixture_push (WooFixture  *f,
                  const char  *kind,
                  GArray      *variant_ids,
                  GError     **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);
  g_autoptr(GPtrArray) errors = test_errors_new ();

  for (guint i = 0; i < variant_ids->len; i++)
    {
      g_autofree char *payload = g_strdup_printf ("{\"variant_id\":%" G_GINT64_FORMAT "}",
                                                  g_array_index (variant_ids, gint64, i));

      g_ptr_array_add (jobs, test_job_new (i + 1, kind, payload));
    }
  if (!cp_connector_push (f->connector, f->t.ledger, f->context, kind, jobs, errors, NULL, error))
    return NULL;
  g_assert_cmpuint (errors->len, ==, jobs->len);
  return g_steal_pointer (&errors);
}

gsize
woo_fixture_count_errors (GPtrArray *errors)
{
  gsize n = 0;

  for (guint i = 0; i < errors->len; i++)
    n += g_ptr_array_index (errors, i) != NULL;
  return n;
}
