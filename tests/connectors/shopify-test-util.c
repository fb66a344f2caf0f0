/* shopify-test-util.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cp-connectors.h"
#include "cp-integrations.h"
#include "cp-outbox.h"

#include "shopify-test-util.h"

void
shopify_fixture_setup (ShopifyFixture *f,
                       gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *permissions[] = { CP_PERMISSION_INVENTORY_SYNC, CP_PERMISSION_ORDERS_PULL,
                                CP_PERMISSION_ORDERS_PUSH, CP_PERMISSION_PRODUCTS_SYNC, NULL };

  cp_connectors_register_all ();
  f->server = cp_sandbox_server_new ();
  if (data != NULL)
    f->fake = cp_sandbox_shopify_new_sized (((const ShopifyFixtureStore *) data)->n_products,
                                            ((const ShopifyFixtureStore *) data)->n_orders);
  else
    f->fake = cp_sandbox_shopify_new ();
  /* The budget restores fast here: tests of throttling set their own. */
  cp_sandbox_shopify_set_bucket (f->fake, 1000, 5000);
  cp_sandbox_server_add_platform (f->server, CP_SANDBOX_PLATFORM (f->fake));
  g_assert_true (cp_sandbox_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->base = cp_sandbox_server_dup_platform_url (f->server, "shopify");

  /* The ecomv2 helper makes the ledger; the integration is a shopify one. */
  test_ledger_setup (&f->t, f->base);
  cp_integrations_remove (f->t.ledger, f->t.integration_id, &error);
  g_assert_no_error (error);
  g_free (f->t.integration_id);
  f->t.integration_id = cp_integrations_add (f->t.ledger, "shopify", "Test Shopify", f->base,
                                             permissions, &error);
  g_assert_no_error (error);

  test_ledger_add_variant (&f->t, "EC-00002", "Light Helmet 2", 1999, 7);
  test_ledger_add_variant (&f->t, "EC-00003", "Urban Helmet 3", 2999, 0);

  f->connector = shopify_fixture_connector (f, CP_SANDBOX_SHOPIFY_DEFAULT_TOKEN);
  f->context = test_push_context_new (&f->ws);
}

CpConnector *
shopify_fixture_connector (ShopifyFixture *f,
                           const char     *token)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *credentials = g_strdup_printf ("{\"access_token\":\"%s\"}", token);
  CpConnector *connector = cp_connector_new_for_platform ("shopify", f->t.integration_id, f->base,
                                                          credentials, &error);

  g_assert_no_error (error);
  g_assert_nonnull (connector);
  return connector;
}

void
shopify_fixture_teardown (ShopifyFixture *f,
                          gconstpointer   data)
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

CpMappingReport *
shopify_fixture_refresh (ShopifyFixture *f)
{
  g_autoptr(GError) error = NULL;
  CpMappingReport *report = cp_connector_refresh_mappings (f->connector, f->t.ledger, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

GError *
shopify_fixture_push_one (ShopifyFixture *f,
                          const char     *kind,
                          const char     *payload,
                          const char     *key)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_outbox_job_free);
  g_autoptr(GPtrArray) errors = test_errors_new ();
  g_autoptr(GError) error = NULL;
  CpOutboxJob *job = test_job_new (1, kind, payload);

  job->idempotency_key = g_strdup (key);
  g_ptr_array_add (jobs, job);
  g_assert_true (cp_connector_push (f->connector, f->t.ledger, f->context, kind, jobs, errors,
                                    NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 1);
  return g_steal_pointer (&errors->pdata[0]);
}

static gboolean
sink_cb (GPtrArray   *orders,
         const char  *page_cursor,
         gpointer     user_data,
         GError     **error)
{
  GPtrArray *out = user_data;

  for (guint i = 0; i < orders->len; i++)
    g_ptr_array_add (out, g_steal_pointer (&orders->pdata[i]));
  return TRUE;
}

gboolean
shopify_fixture_pull (ShopifyFixture *f,
                      const char     *cursor,
                      GPtrArray      *orders,
                      char          **out_cursor,
                      GError        **error)
{
  return cp_connector_pull_orders (f->connector, cursor, sink_cb, orders, out_cursor, NULL, error);
}
