/* test-shopify-reconcile.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Full reconciliation with Shopify, against the Shopify fake over real
 * HTTP on loopback. The connector's read_stock: every quantity read as
 * Shopify shows it, in as few queries as the cost allows, an item not
 * stocked at the location left out (not read as 0), an item deleted on
 * Shopify unlinked (not a crash). Then the real engine: drift made on the
 * store (a sale online the push did not see, an edit in Shopify admin)
 * and in the books (a push that was lost) is found by cp_engine_reconcile,
 * fixed through the outbox and reported; the compare quantity still keeps
 * the online sale until its order is imported. And the engine's first
 * pull from a shop selling in another currency than the books: each
 * order reported in its own, so the engine keeps it aside; the API
 * version of the settings used from that first pull on.
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "cp-activity.h"
#include "cp-engine.h"
#include "cp-integrations.h"
#include "cp-order-currency.h"
#include "cp-outbox.h"
#include "cp-sql.h"
#include "cp-stock.h"
#include "cp-stock-publish.h"

#include "shopify-test-util.h"
#include "test-engine-common.h"

#define GRAPHQL "shopify POST /admin/api/{version}/graphql.json"

typedef ShopifyFixture Fixture;

static GPtrArray *
wanted_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) cp_stock_published_free);
}

static void
want (Fixture    *f,
      GPtrArray  *wanted,
      const char *sku,
      const char *location)
{
  CpStockPublished *w = g_new0 (CpStockPublished, 1);

  w->variant_id = test_ledger_variant_id (&f->t, sku);
  w->sku = g_strdup (sku);
  w->location = g_strdup (location);
  w->quantity = 1;
  g_ptr_array_add (wanted, w);
}

static const CpStockPublished *
found_for (GPtrArray  *found,
           const char *sku,
           const char *location)
{
  for (guint i = 0; i < found->len; i++)
    {
      CpStockPublished *p = g_ptr_array_index (found, i);

      if (g_strcmp0 (p->sku, sku) == 0 && g_strcmp0 (p->location, location) == 0)
        return p;
    }
  return NULL;
}

static guint
graphql_requests (Fixture *f)
{
  return cp_sandbox_server_get_request_count (f->server, GRAPHQL);
}

/* Every quantity as Shopify shows it, at each location asked about; the
 * one not linked, the one not stocked there and the untracked one are
 * left out; nothing read becomes a compare quantity. */
static void
test_read_stock (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GPtrArray) wanted = wanted_new ();
  g_autoptr(GPtrArray) found = wanted_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *loc0 = cp_sandbox_shopify_dup_location_id (f->fake, 0);
  g_autofree char *loc1 = cp_sandbox_shopify_dup_location_id (f->fake, 1);
  g_autofree char *local = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            test_ledger_variant_id (&f->t, "EC-00002"));
  g_autofree char *hash_before = NULL, *hash_after = NULL;
  const CpStockPublished *p;
  double points;

  test_ledger_add_variant (&f->t, "EC-00005", "Helmet 5", 999, 1);
  test_ledger_add_variant (&f->t, "EC-00006", "Helmet 6", 999, 1);
  test_ledger_add_variant (&f->t, "LOCAL-ONLY", "Only here", 500, 1);
  report = shopify_fixture_refresh (f);
  g_assert_true (cp_connector_can_read_stock (f->connector));

  cp_sandbox_shopify_set_available (f->fake, "EC-00002", 0, 11);
  cp_sandbox_shopify_set_available (f->fake, "EC-00002", 1, 4);
  cp_sandbox_shopify_set_available (f->fake, "EC-00003", 0, 0);
  cp_sandbox_shopify_set_stocked (f->fake, "EC-00005", 0, FALSE);
  cp_sandbox_shopify_set_tracked (f->fake, "EC-00006", FALSE);
  hash_before = cp_integrations_get_mapping_hash (f->t.ledger, f->t.integration_id,
                                                  "inventory_item", local, &error);
  g_assert_no_error (error);

  want (f, wanted, "EC-00002", loc0);
  want (f, wanted, "EC-00002", loc1);
  want (f, wanted, "EC-00003", loc0);
  want (f, wanted, "EC-00005", loc0);
  want (f, wanted, "EC-00005", loc1);
  want (f, wanted, "EC-00006", loc0);
  want (f, wanted, "LOCAL-ONLY", loc0);
  /* "The store's only location", but the shop has two: which one is for
   * the owner to link, nothing is guessed. */
  want (f, wanted, "EC-00003", NULL);
  cp_sandbox_server_reset_counters (f->server);
  cp_sandbox_shopify_reset_counters (f->fake);
  g_assert_true (cp_connector_read_stock (f->connector, f->t.ledger, wanted, found, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (found->len, ==, 4);
  p = found_for (found, "EC-00002", loc0);
  g_assert_nonnull (p);
  g_assert_cmpint (p->quantity, ==, 11);
  g_assert_cmpint (p->variant_id, ==, test_ledger_variant_id (&f->t, "EC-00002"));
  g_assert_cmpint (found_for (found, "EC-00002", loc1)->quantity, ==, 4);
  /* A real 0 is read as 0… */
  g_assert_cmpint (found_for (found, "EC-00003", loc0)->quantity, ==, 0);
  /* …one not stocked there is not read at all. */
  g_assert_null (found_for (found, "EC-00005", loc0));
  g_assert_cmpint (found_for (found, "EC-00005", loc1)->quantity, ==,
                   cp_sandbox_shopify_get_available (f->fake, "EC-00005", 1));
  g_assert_null (found_for (found, "EC-00006", loc0));
  g_assert_null (found_for (found, "LOCAL-ONLY", loc0));
  g_assert_null (found_for (found, "EC-00003", NULL));

  /* One query per location, whatever the number of items (and one for
   * the shop's locations). */
  g_assert_cmpuint (graphql_requests (f), ==, 3);
  points = cp_sandbox_shopify_get_points_charged (f->fake);
  g_assert_cmpfloat (points, >, 0);
  g_assert_cmpfloat (points, <=, 2 * 5 * 3);

  /* What was read is not what the next push compares with; where it
   * differs, the level is marked for the push to compare. */
  hash_after = cp_integrations_get_mapping_hash (f->t.ledger, f->t.integration_id,
                                                 "inventory_item", local, &error);
  g_assert_no_error (error);
  {
    g_autoptr(JsonParser) before = json_parser_new ();
    g_autoptr(JsonParser) after = json_parser_new ();
    g_autofree char *mark0 = g_strconcat ("!", loc0, NULL);
    JsonObject *b, *a;

    g_assert_true (json_parser_load_from_data (before, hash_before, -1, NULL));
    g_assert_true (json_parser_load_from_data (after, hash_after, -1, NULL));
    b = json_node_get_object (json_parser_get_root (before));
    a = json_node_get_object (json_parser_get_root (after));
    g_assert_cmpint (json_object_get_int_member (a, loc0), ==, json_object_get_int_member (b, loc0));
    g_assert_cmpint (json_object_get_int_member (a, loc1), ==, json_object_get_int_member (b, loc1));
    g_assert_cmpint (json_object_get_int_member (b, loc0), !=, 11);
    g_assert_true (json_object_has_member (a, mark0));
  }

  /* The untracked one is marked so, for the push to say what to do. */
  {
    g_autofree char *local6 = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               test_ledger_variant_id (&f->t, "EC-00006"));
    g_autofree char *hash6 = cp_integrations_get_mapping_hash (f->t.ledger, f->t.integration_id,
                                                               "inventory_item", local6, &error);

    g_assert_no_error (error);
    g_assert_nonnull (strstr (hash6, "\"@untracked\":1"));
  }
}

/* An item deleted on Shopify is unlinked and left out: the mapping
 * report shows it, the read goes on for the others. */
static void
test_deleted_item (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = shopify_fixture_refresh (f);
  g_autoptr(GPtrArray) wanted = wanted_new ();
  g_autoptr(GPtrArray) found = wanted_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *loc0 = cp_sandbox_shopify_dup_location_id (f->fake, 0);
  g_autofree char *local = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            test_ledger_variant_id (&f->t, "EC-00002"));
  g_autofree char *item = NULL;
  g_autofree char *variant = NULL;
  g_autoptr(CpMappingReport) again = NULL;
  gboolean unmatched = FALSE;

  g_assert_true (cp_sandbox_shopify_delete_product (f->fake, "EC-00002"));
  want (f, wanted, "EC-00002", loc0);
  want (f, wanted, "EC-00003", loc0);
  g_assert_true (cp_connector_read_stock (f->connector, f->t.ledger, wanted, found, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((CpStockPublished *) g_ptr_array_index (found, 0))->sku, ==, "EC-00003");

  item = cp_integrations_get_remote_id (f->t.ledger, f->t.integration_id, "inventory_item", local,
                                        &error);
  g_assert_no_error (error);
  g_assert_null (item);
  variant = cp_integrations_get_remote_id (f->t.ledger, f->t.integration_id, "variant", local,
                                           &error);
  g_assert_no_error (error);
  g_assert_null (variant);
  again = shopify_fixture_refresh (f);
  for (guint i = 0; i < again->unmatched_local->len; i++)
    unmatched |= g_str_equal (g_ptr_array_index (again->unmatched_local, i), "EC-00002");
  g_assert_true (unmatched);
}

/* 250 items in one query when one query may cost that much; a smaller
 * bucket splits them into as few queries as it holds. */
static void
test_batched (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CpMappingReport) report = NULL;
  g_autoptr(GPtrArray) wanted = wanted_new ();
  g_autoptr(GPtrArray) found = wanted_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *loc0 = cp_sandbox_shopify_dup_location_id (f->fake, 0);

  cp_sandbox_shopify_add_products (f->fake, "BULK", CP_CONNECTOR_READ_STOCK_MAX);
  for (guint i = 0; i < CP_CONNECTOR_READ_STOCK_MAX; i++)
    {
      g_autofree char *sku = g_strdup_printf ("BULK-%06u", i + 1);

      test_ledger_add_variant (&f->t, sku, sku, 100, 1);
    }
  report = shopify_fixture_refresh (f);
  g_assert_cmpuint (report->matched->len, >=, CP_CONNECTOR_READ_STOCK_MAX);
  for (guint i = 0; i < CP_CONNECTOR_READ_STOCK_MAX; i++)
    {
      g_autofree char *sku = g_strdup_printf ("BULK-%06u", i + 1);

      want (f, wanted, sku, loc0);
    }

  cp_sandbox_server_reset_counters (f->server);
  cp_sandbox_shopify_reset_counters (f->fake);
  g_assert_true (cp_connector_read_stock (f->connector, f->t.ledger, wanted, found, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, CP_CONNECTOR_READ_STOCK_MAX);
  g_assert_cmpuint (graphql_requests (f), ==, 1);
  g_assert_cmpuint (cp_sandbox_shopify_get_n_throttled (f->fake), ==, 0);
  g_test_message ("read %u quantities in %u query, %.0f points charged",
                  found->len, graphql_requests (f), cp_sandbox_shopify_get_points_charged (f->fake));

  /* A 400-point bucket (learnt from any answer) holds 133 items a query. */
  cp_sandbox_shopify_set_bucket (f->fake, 400, 5000);
  g_ptr_array_set_size (found, 0);
  g_assert_true (cp_connector_test (f->connector, NULL, NULL, &error));
  g_assert_no_error (error);
  cp_sandbox_server_reset_counters (f->server);
  g_assert_true (cp_connector_read_stock (f->connector, f->t.ledger, wanted, found, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, CP_CONNECTOR_READ_STOCK_MAX);
  g_assert_cmpuint (graphql_requests (f), ==, 2);
  g_assert_cmpuint (cp_sandbox_shopify_get_n_throttled (f->fake), ==, 0);
}

/* ---- With the engine ----------------------------------------------------- */

static char *
lookup_credentials (const char  *integration_id,
                    gpointer     user_data,
                    GError     **error)
{
  /* The subject is the reconciliation, not the keyring. */
  return g_strdup (SHOPIFY_TEST_CREDENTIALS);
}

static const char * const stock_only[] = { CP_PERMISSION_INVENTORY_SYNC, NULL };
static const char * const orders_only[] = { CP_PERMISSION_ORDERS_PULL, NULL };
static const char * const sold_sku[] = { "EC-00002" };
static const char * const sold_price[] = { "19.99" };

static void
allow (Fixture            *f,
       const char * const *permissions)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cp_integrations_set_permissions (f->t.ledger, f->t.integration_id, permissions,
                                                  &error));
  g_assert_no_error (error);
}

/* A fresh engine on the fixture's ledger, the integration allowed
 * PERMISSIONS; with STOCK, the catalog linked first (a push needs it). */
static CpEngine *
engine_new (Fixture            *f,
            const char * const *permissions,
            gboolean            stock)
{
  g_autofree char *path = g_build_filename (f->t.dir, "ledger.db", NULL);
  CpEngine *engine;

  allow (f, permissions);
  if (stock)
    cp_mapping_report_free (shopify_fixture_refresh (f));
  engine = cp_engine_new (path);
  cp_engine_set_credentials_lookup (engine, lookup_credentials, NULL, NULL);
  return engine;
}

static CpEngineOutcome
run_once_outcome (CpEngine   *engine,
                  const char *id,
                  gboolean    full)
{
  g_autoptr(GError) error = NULL;
  CpEngineOutcome outcome = CP_ENGINE_OUTCOME_DONE;

  g_assert_true (engine_test_run_once (engine, id, full, 60 * G_USEC_PER_SEC, NULL, &outcome,
                                       &error));
  g_assert_no_error (error);
  return outcome;
}

static void
run_once (CpEngine   *engine,
          const char *id,
          gboolean    full)
{
  g_assert_cmpint (run_once_outcome (engine, id, full), ==, CP_ENGINE_OUTCOME_DONE);
}

static gint64
ledger_available (Fixture    *f,
                  const char *sku)
{
  g_autoptr(CpStockLevel) level = cp_stock_get (f->t.ledger, sku, "MAIN", NULL);

  g_assert_nonnull (level);
  return level->available;
}

static CpActivityEvent *
last_reconciled (Fixture *f,
                 guint   *out_count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  CpActivityQuery query = { 0 };

  query.integration_id = f->t.integration_id;
  query.type = CP_ACTIVITY_INVENTORY_RECONCILED;
  events = cp_activity_query (f->t.ledger, &query, &error);
  g_assert_no_error (error);
  *out_count = events->len;
  if (events->len == 0)
    return NULL;
  return cp_activity_event_copy (g_ptr_array_index (events, 0));
}

static gboolean
json_array_has (JsonArray  *array,
                const char *text)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), text) == 0)
      return TRUE;
  return FALSE;
}

static void
test_engine (Fixture       *f,
             gconstpointer  data)
{
  static const char * const with_orders[] = { CP_PERMISSION_INVENTORY_SYNC,
                                              CP_PERMISSION_ORDERS_PULL, NULL };
  static const gint64 sold_n[] = { 2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(CpEngine) engine = NULL;
  g_autoptr(CpActivityEvent) event = NULL;
  g_autoptr(CpActivityEvent) again = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *order = NULL;
  JsonObject *details;
  guint count = 0;

  test_ledger_add_variant (&f->t, "EC-00005", "Helmet 5", 999, 9);
  test_ledger_add_variant (&f->t, "EC-00009", "Helmet 9", 999, 3);
  engine = engine_new (f, stock_only, TRUE);

  /* Linked and pushed in full: the store shows the books. */
  run_once (engine, f->t.integration_id, TRUE);
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00002", 0), ==, 7);
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00005", 0), ==, 9);
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00009", 0), ==, 3);

  /* Drift: a sale online whose order is not imported yet, an edit in
   * Shopify admin, a change in the books whose push was lost. */
  order = cp_sandbox_shopify_add_order (f->fake, sold_sku, sold_n, sold_price, 1);
  cp_sandbox_shopify_set_available (f->fake, "EC-00005", 0, 20);
  g_assert_true (cp_stock_adjust (f->t.ledger, "EC-00009", "MAIN", 4, CP_STOCK_REASON_RECEIVED,
                                  NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cp_sql_exec (f->t.ledger, "DELETE FROM outbox_jobs WHERE state = 'pending'",
                              NULL, &error));
  g_assert_no_error (error);

  /* A plain run does not compare. */
  run_once (engine, f->t.integration_id, FALSE);
  g_assert_null (last_reconciled (f, &count));
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00005", 0), ==, 20);

  cp_engine_reconcile (engine, f->t.integration_id);
  run_once (engine, f->t.integration_id, FALSE);

  /* The edit and the lost push are corrected to the books… */
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00005", 0), ==, 9);
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00009", 0), ==, 7);
  /* …and the sale online is kept: its compare quantity was stale. */
  g_assert_cmpint (ledger_available (f, "EC-00002"), ==, 7);
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00002", 0), ==, 5);

  event = last_reconciled (f, &count);
  g_assert_nonnull (event);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpint (event->severity, ==, CP_ACTIVITY_WARNING);
  g_assert_nonnull (strstr (event->message, "EC-00009"));
  g_assert_true (json_parser_load_from_data (parser, event->details, -1, &error));
  g_assert_no_error (error);
  details = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (details, "checked"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (details, "fixed"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (details, "missing"), ==, 0);
  g_assert_true (json_array_has (json_object_get_array_member (details, "skus_fixed"), "EC-00002"));
  g_assert_true (json_array_has (json_object_get_array_member (details, "skus_fixed"), "EC-00005"));
  g_assert_true (json_array_has (json_object_get_array_member (details, "skus_fixed"), "EC-00009"));

  /* The order comes in: the books agree with the store, and a second
   * reconciliation finds nothing to fix. */
  allow (f, with_orders);
  run_once (engine, f->t.integration_id, FALSE);
  g_assert_cmpint (ledger_available (f, "EC-00002"), ==, 5);
  g_assert_cmpint (cp_sandbox_shopify_get_available (f->fake, "EC-00002", 0), ==, 5);

  cp_engine_reconcile (engine, f->t.integration_id);
  run_once (engine, f->t.integration_id, FALSE);
  again = last_reconciled (f, &count);
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpint (again->severity, ==, CP_ACTIVITY_INFO);
  g_clear_object (&parser);
  parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, again->details, -1, &error));
  g_assert_no_error (error);
  details = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (details, "fixed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (details, "checked"), ==, 4);
}

/* An item not stocked at the linked location is reported as missing,
 * not read as 0 and "fixed". */
static void
test_engine_not_stocked (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpEngine) engine = engine_new (f, stock_only, TRUE);
  g_autoptr(CpActivityEvent) event = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *details;
  guint count = 0;

  run_once (engine, f->t.integration_id, TRUE);

  cp_sandbox_shopify_set_stocked (f->fake, "EC-00003", 0, FALSE);
  cp_engine_reconcile (engine, f->t.integration_id);
  run_once (engine, f->t.integration_id, FALSE);
  event = last_reconciled (f, &count);
  g_assert_nonnull (event);
  g_assert_true (json_parser_load_from_data (parser, event->details, -1, &error));
  g_assert_no_error (error);
  details = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (details, "checked"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (details, "missing"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (details, "fixed"), ==, 0);
  g_assert_true (json_array_has (json_object_get_array_member (details, "skus_missing"),
                                 "EC-00003"));
}

/* The very first pull, from a shop that sells in another currency than
 * the books: the connector reports each order's own currency, so the
 * engine keeps them aside and asks for attention; nothing is booked. */
static void
test_engine_first_pull_currency (Fixture       *f,
                                 gconstpointer  data)
{
  static const gint64 sold_n[] = { 1 };
  g_autoptr(GError) error = NULL;
  /* A fresh engine and connector: nothing has shown them the ledger. */
  g_autoptr(CpEngine) engine = engine_new (f, orders_only, FALSE);
  g_autoptr(CpIntegration) integration = NULL;
  g_autofree char *gid = NULL;

  cp_sandbox_shopify_set_currency (f->fake, "EUR");
  gid = cp_sandbox_shopify_add_order (f->fake, sold_sku, sold_n, sold_price, 1);
  g_assert_cmpint (run_once_outcome (engine, f->t.integration_id, FALSE), ==,
                   CP_ENGINE_OUTCOME_ATTENTION);

  g_assert_cmpint (cp_order_currency_count_held (f->t.ledger, f->t.integration_id), ==, 1);
  /* Nothing is booked, but the unit the store took for it is reserved
   * (cp-orders-reserve.h): 7 on hand, 6 to offer. */
  g_assert_cmpint (ledger_available (f, "EC-00002"), ==, 6);
  integration = cp_integrations_get (f->t.ledger, f->t.integration_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (integration->attention_kind, ==, CP_ATTENTION_CURRENCY);
  g_assert_cmpuint (engine_test_count_activity (f->t.ledger, CP_ACTIVITY_STORE_CURRENCY_MISMATCH),
                    ==, 1);
}

/* A later pull, after the store switched currency: orders in the books'
 * currency are booked, the others kept aside; the pull is not stopped. */
static void
test_engine_currency_switch (Fixture       *f,
                             gconstpointer  data)
{
  static const gint64 sold_n[] = { 1 };
  g_autoptr(CpEngine) engine = engine_new (f, orders_only, FALSE);
  g_autofree char *usd = NULL, *eur = NULL;

  usd = cp_sandbox_shopify_add_order (f->fake, sold_sku, sold_n, sold_price, 1);
  run_once (engine, f->t.integration_id, FALSE);
  g_assert_cmpint (ledger_available (f, "EC-00002"), ==, 6);

  cp_sandbox_shopify_set_currency (f->fake, "EUR");
  eur = cp_sandbox_shopify_add_order (f->fake, sold_sku, sold_n, sold_price, 1);
  g_assert_cmpint (run_once_outcome (engine, f->t.integration_id, FALSE), ==,
                   CP_ENGINE_OUTCOME_ATTENTION);
  g_assert_cmpint (cp_order_currency_count_held (f->t.ledger, f->t.integration_id), ==, 1);
  /* Not booked; its unit reserved. */
  g_assert_cmpint (ledger_available (f, "EC-00002"), ==, 5);
  g_assert_cmpuint (engine_test_count_activity (f->t.ledger, CP_ACTIVITY_STORE_CURRENCY_MISMATCH),
                    ==, 1);
}

/* The API version chosen in the settings is the one of the very first
 * request of a fresh engine, a pull (which gets no ledger), and a
 * change applies at the next run without a restart. */
static void
test_engine_api_version (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CpEngine) engine = NULL;

  g_assert_true (cp_integrations_set_settings (f->t.ledger, f->t.integration_id,
                                               "{\"api_version\":\"2026-07\"}", &error));
  g_assert_no_error (error);
  engine = engine_new (f, orders_only, FALSE);
  cp_sandbox_shopify_reset_counters (f->fake);
  run_once (engine, f->t.integration_id, FALSE);
  g_assert_cmpuint (cp_sandbox_shopify_get_n_requests_for_version (f->fake, "2026-07"), >, 0);
  g_assert_cmpuint (cp_sandbox_shopify_get_n_requests_for_version (f->fake,
                                                                   CP_SHOPIFY_DEFAULT_API_VERSION),
                    ==, 0);

  g_assert_true (cp_integrations_set_settings (f->t.ledger, f->t.integration_id,
                                               "{\"api_version\":\"2026-04\"}", &error));
  g_assert_no_error (error);
  cp_sandbox_shopify_reset_counters (f->fake);
  run_once (engine, f->t.integration_id, FALSE);
  g_assert_cmpuint (cp_sandbox_shopify_get_n_requests_for_version (f->fake, "2026-04"), >, 0);
  g_assert_cmpuint (cp_sandbox_shopify_get_n_requests_for_version (f->fake, "2026-07"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* The engine pulls orders: only those the tests place. */
  static const ShopifyFixtureStore no_orders = { 40, 0 };

  g_test_init (&argc, &argv, NULL);

#define ADD(path, store, fn) \
  g_test_add (path, Fixture, store, shopify_fixture_setup, fn, shopify_fixture_teardown)
  ADD ("/shopify/reconcile/read-stock", NULL, test_read_stock);
  ADD ("/shopify/reconcile/deleted-item", NULL, test_deleted_item);
  ADD ("/shopify/reconcile/batched", NULL, test_batched);
  ADD ("/shopify/reconcile/engine", &no_orders, test_engine);
  ADD ("/shopify/reconcile/engine-not-stocked", &no_orders, test_engine_not_stocked);
  ADD ("/shopify/engine/first-pull-currency", &no_orders, test_engine_first_pull_currency);
  ADD ("/shopify/engine/currency-switch", &no_orders, test_engine_currency_switch);
  ADD ("/shopify/engine/api-version", &no_orders, test_engine_api_version);
#undef ADD

  return g_test_run ();
}
