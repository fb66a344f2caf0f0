/* cp-shopify-pull.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the connector reads from Shopify: locations and every variant with
 * its SKU, inventory item and available quantities (to match SKUs, the
 * ledger being the master, to learn the levels a compare-and-set push
 * has never seen, and to mark as drifted those it knows that Shopify now
 * shows otherwise), and orders by updated_at, oldest first from the
 * watermark minus an overlap, page by page with Shopify's cursors.
 */

#define G_LOG_DOMAIN "cp-shopify"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-connector-prefetch.h"
#include "cp-integrations.h"
#include "cp-sql.h"

#include "cp-shopify-private.h"

#define MAX_PAGES 50000
/* productVariants: 2 + 125 × 7 points, under the 1000-point ceiling. */
#define VARIANT_PAGE 125
/* nodes(ids:): 150 × 6 points. */
#define LEVELS_CHUNK 150
#define ORDER_LINES 30

static const char variants_query[] =
  "query CounterpartVariants($first: Int!, $after: String) {"
  " productVariants(first: $first, after: $after) {"
  "  nodes { id sku price product { id title status }"
  "   inventoryItem { id tracked inventoryLevels(first: 10) { nodes { location { id }"
  "    quantities(names: [\"available\"]) { name quantity } } } } }"
  "  pageInfo { hasNextPage endCursor } } }";

static const char locations_query[] =
  "query CounterpartLocations($first: Int!) {"
  " locations(first: $first) { nodes { id name isActive } pageInfo { hasNextPage endCursor } } }";

static const char levels_query[] =
  "query CounterpartLevels($ids: [ID!]!) {"
  " nodes(ids: $ids) { ... on InventoryItem { id tracked variant { id sku }"
  "  inventoryLevels(first: 10) { nodes { location { id }"
  "   quantities(names: [\"available\"]) { name quantity } } } } } }";

static const char orders_query[] =
  "query CounterpartOrders($first: Int!, $after: String, $query: String, $lines: Int!) {"
  " orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {"
  "  nodes { id name createdAt updatedAt cancelledAt displayFinancialStatus"
  "   displayFulfillmentStatus currencyCode"
  "   totalShippingPriceSet { shopMoney { amount currencyCode } }"
  "   totalDiscountsSet { shopMoney { amount currencyCode } }"
  "   lineItems(first: $lines) { nodes { id sku name quantity currentQuantity variant { id }"
  "    originalUnitPriceSet { shopMoney { amount currencyCode } }"
  "    taxLines { priceSet { shopMoney { amount currencyCode } } } }"
  "    pageInfo { hasNextPage } }"
  "   refunds { id createdAt totalRefundedSet { shopMoney { amount currencyCode } } } }"
  "  pageInfo { hasNextPage endCursor } } }";

/* An order with more lines than a page carries, whole. */
static const char order_query[] =
  "query CounterpartOrder($id: ID!) {"
  " order(id: $id) { id name createdAt updatedAt cancelledAt displayFinancialStatus"
  "  displayFulfillmentStatus currencyCode"
  "  totalShippingPriceSet { shopMoney { amount currencyCode } }"
  "  totalDiscountsSet { shopMoney { amount currencyCode } }"
  "  lineItems(first: 250) { nodes { id sku name quantity currentQuantity variant { id }"
  "   originalUnitPriceSet { shopMoney { amount currencyCode } }"
  "   taxLines { priceSet { shopMoney { amount currencyCode } } } }"
  "   pageInfo { hasNextPage } }"
  "  refunds { id createdAt totalRefundedSet { shopMoney { amount currencyCode } } } } }";

static JsonNode *
vars_first_after (gint64      first,
                  const char *after)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "first");
  json_builder_add_int_value (b, first);
  json_builder_set_member_name (b, "after");
  if (after != NULL)
    json_builder_add_string_value (b, after);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
get_bool (JsonObject *obj,
          const char *path)
{
  JsonNode *node = shopify_get (obj, path);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

/* inventoryLevels{nodes{location{id} quantities{name quantity}}} → location gid → available,
 * and SHOPIFY_UNTRACKED_KEY when the item's quantity is not tracked. */
static GHashTable *
parse_levels (JsonObject *item)
{
  GHashTable *levels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonArray *nodes = shopify_get_array (item, "inventoryLevels.nodes");
  JsonNode *tracked = shopify_get (item, "tracked");

  if (tracked != NULL && json_node_get_value_type (tracked) == G_TYPE_BOOLEAN &&
      !json_node_get_boolean (tracked))
    {
      gint64 one = 1;

      g_hash_table_insert (levels, g_strdup (SHOPIFY_UNTRACKED_KEY), g_memdup2 (&one, sizeof one));
    }

  for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
    {
      JsonNode *node = json_array_get_element (nodes, i);
      JsonObject *level = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *location = shopify_get_string (level, "location.id");
      JsonArray *quantities = shopify_get_array (level, "quantities");

      for (guint k = 0; location != NULL && quantities != NULL && k < json_array_get_length (quantities); k++)
        {
          JsonNode *qn = json_array_get_element (quantities, k);
          JsonObject *q = JSON_NODE_HOLDS_OBJECT (qn) ? json_node_get_object (qn) : NULL;
          gint64 quantity;

          if (g_strcmp0 (shopify_get_string (q, "name"), "available") == 0 &&
              shopify_get_int (q, "quantity", &quantity))
            g_hash_table_insert (levels, g_strdup (location), g_memdup2 (&quantity, sizeof quantity));
        }
    }
  return levels;
}

gboolean
shopify_read_levels (CpShopifyConnector  *self,
                     GPtrArray           *item_ids,
                     GHashTable          *out,
                     GCancellable        *cancellable,
                     GError             **error)
{
  for (guint first = 0; first < item_ids->len; first += LEVELS_CHUNK)
    {
      g_auto(ShopifyResponse) response = { 0 };
      g_autoptr(JsonBuilder) b = json_builder_new ();
      guint last = MIN (first + LEVELS_CHUNK, item_ids->len);
      JsonArray *nodes;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "ids");
      json_builder_begin_array (b);
      for (guint i = first; i < last; i++)
        json_builder_add_string_value (b, g_ptr_array_index (item_ids, i));
      json_builder_end_array (b);
      json_builder_end_object (b);
      if (!shopify_graphql (self, "nodes", levels_query, json_builder_get_root (b),
                            (last - first) * 6.0, &response, cancellable, error))
        return FALSE;
      nodes = shopify_get_array (response.data, "nodes");
      for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
        {
          JsonNode *node = json_array_get_element (nodes, i);
          JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *id = shopify_get_string (item, "id");

          /* A null node is an item deleted since: left out. */
          if (id != NULL)
            g_hash_table_insert (out, g_strdup (id), parse_levels (item));
        }
    }
  return TRUE;
}

/* ---- The catalog and the mappings ---------------------------------------- */

typedef struct
{
  char       *variant;
  char       *item;
  char       *product;
  GHashTable *levels;
} RemoteVariant;

static void
remote_variant_free (RemoteVariant *v)
{
  g_free (v->variant);
  g_free (v->item);
  g_free (v->product);
  g_clear_pointer (&v->levels, g_hash_table_unref);
  g_free (v);
}

static gboolean
list_variants (CpShopifyConnector  *self,
               GHashTable          *by_sku,
               GHashTable          *duplicates,
               GCancellable        *cancellable,
               GError             **error)
{
  g_autofree char *after = NULL;

  for (guint page = 0; page < MAX_PAGES; page++)
    {
      g_auto(ShopifyResponse) response = { 0 };
      JsonArray *nodes;

      if (!shopify_graphql (self, "productVariants", variants_query,
                            vars_first_after (VARIANT_PAGE, after),
                            2 + VARIANT_PAGE * 7.0, &response, cancellable, error))
        return FALSE;
      nodes = shopify_get_array (response.data, "productVariants.nodes");
      for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
        {
          JsonNode *node = json_array_get_element (nodes, i);
          JsonObject *v = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *sku = shopify_get_string (v, "sku");
          RemoteVariant *rv;

          /* A variant without a SKU cannot be matched: the SKU is the key. */
          if (sku == NULL || *sku == '\0' || shopify_get_string (v, "id") == NULL ||
              shopify_get_string (v, "inventoryItem.id") == NULL)
            continue;
          if (g_hash_table_contains (by_sku, sku))
            {
              g_hash_table_add (duplicates, g_strdup (sku));
              continue;
            }
          rv = g_new0 (RemoteVariant, 1);
          rv->variant = g_strdup (shopify_get_string (v, "id"));
          rv->item = g_strdup (shopify_get_string (v, "inventoryItem.id"));
          rv->product = g_strdup (shopify_get_string (v, "product.id"));
          rv->levels = parse_levels (shopify_get_object (v, "inventoryItem"));
          g_hash_table_insert (by_sku, g_strdup (sku), rv);
        }
      if (!get_bool (response.data, "productVariants.pageInfo.hasNextPage"))
        return TRUE;
      g_free (after);
      after = g_strdup (shopify_get_string (response.data, "productVariants.pageInfo.endCursor"));
      if (after == NULL)
        return TRUE;
    }
  return TRUE;
}

gboolean
shopify_list_locations (CpShopifyConnector  *self,
                        GPtrArray           *out,
                        GCancellable        *cancellable,
                        GError             **error)
{
  g_auto(ShopifyResponse) response = { 0 };
  JsonArray *nodes;

  if (!shopify_graphql (self, "locations", locations_query, vars_first_after (50, NULL), 52,
                        &response, cancellable, error))
    return FALSE;
  nodes = shopify_get_array (response.data, "locations.nodes");
  for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
    {
      JsonNode *node = json_array_get_element (nodes, i);
      JsonObject *l = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *active = shopify_get (l, "isActive");

      if (shopify_get_string (l, "id") != NULL &&
          (active == NULL || json_node_get_value_type (active) != G_TYPE_BOOLEAN ||
           json_node_get_boolean (active)))
        g_ptr_array_add (out, g_strdup (shopify_get_string (l, "id")));
    }
  return TRUE;
}

static gboolean
set_or_clear (CpShopifyConnector  *self,
              CpLedger            *ledger,
              const char          *kind,
              const char          *local_id,
              const char          *remote_id,
              const char          *hash,
              GError             **error)
{
  if (remote_id == NULL)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *current = cp_integrations_get_remote_id (ledger, self->integration_id, kind,
                                                                local_id, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return current == NULL ||
             cp_integrations_clear_mapping (ledger, self->integration_id, kind, local_id, error);
    }
  return cp_integrations_set_mapping (ledger, self->integration_id, kind, local_id, remote_id,
                                      hash, error);
}

/* The last_hash of variant LOCAL_ID's inventory item after a refresh
 * that read READ (location gid → available) for ITEM.
 *
 * The levels of a last_hash are the compare quantities of the next push:
 * what Counterpart last set or knowingly accepted. Taking what a refresh
 * reads instead would let the next push overwrite an online sale the
 * books have not imported yet: it would send the books' count with a
 * compare that matches Shopify now. So a level already known stays, and
 * where Shopify now shows another quantity it is only marked as drifted,
 * as a reconciliation does (cp-shopify-stock-read.c): the push then
 * sends it, meets a stale compare, re-reads and keeps that sale
 * (cp-shopify-push.c, settle_stale). Only a level never known (a new
 * link, a new location) is taken as read: there is nothing yet to
 * compare, and the push would read it first anyway. A location Shopify
 * no longer stocks the item at is forgotten, and the tracking mark
 * follows what was read. */
static char *
merged_levels (CpShopifyConnector *self,
               CpLedger           *ledger,
               const char         *local_id,
               const char         *item,
               GHashTable         *read,
               GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *current = NULL, *hash = NULL;
  g_autoptr(GHashTable) levels = NULL;
  g_autoptr(GList) keys = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gint64 one = 1;

  current = cp_integrations_get_remote_id (ledger, self->integration_id, SHOPIFY_KIND_ITEM,
                                           local_id, &local_error);
  if (local_error == NULL && g_strcmp0 (current, item) == 0)
    hash = cp_integrations_get_mapping_hash (ledger, self->integration_id, SHOPIFY_KIND_ITEM,
                                             local_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  /* Another item (or none) before: its levels say nothing about this one. */
  if (hash == NULL)
    return shopify_levels_to_json (read);

  levels = shopify_levels_from_json (hash);
  keys = g_hash_table_get_keys (levels);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *name = l->data;

      /* Levels are the keys without a mark ("!", "@"). */
      if (name[0] != SHOPIFY_DRIFT_PREFIX[0] && name[0] != '@' &&
          !g_hash_table_contains (read, name))
        {
          g_autofree char *drift = g_strconcat (SHOPIFY_DRIFT_PREFIX, name, NULL);

          g_hash_table_remove (levels, drift);
          g_hash_table_remove (levels, name);
        }
    }
  if (g_hash_table_contains (read, SHOPIFY_UNTRACKED_KEY))
    g_hash_table_insert (levels, g_strdup (SHOPIFY_UNTRACKED_KEY), g_memdup2 (&one, sizeof one));
  else
    g_hash_table_remove (levels, SHOPIFY_UNTRACKED_KEY);

  g_hash_table_iter_init (&iter, read);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const gint64 *last = g_hash_table_lookup (levels, key);
      g_autofree char *drift = NULL;

      if (g_strcmp0 (key, SHOPIFY_UNTRACKED_KEY) == 0)
        continue;
      if (last == NULL)
        {
          g_hash_table_insert (levels, g_strdup (key), g_memdup2 (value, sizeof (gint64)));
          continue;
        }
      drift = g_strconcat (SHOPIFY_DRIFT_PREFIX, key, NULL);
      if (*last != *(gint64 *) value)
        g_hash_table_insert (levels, g_steal_pointer (&drift), g_memdup2 (&one, sizeof one));
      else
        g_hash_table_remove (levels, drift);
    }
  return shopify_levels_to_json (levels);
}

static gboolean
store_mappings (CpShopifyConnector  *self,
                CpLedger            *ledger,
                GHashTable          *by_sku,
                GHashTable          *duplicates,
                CpMappingReport     *report,
                GError             **error)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autoptr(GHashTable) local_skus = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;
  int rc;

  stmt = cp_ledger_prepare (ledger, "SELECT id, sku, product_id FROM variants ORDER BY sku", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the catalog"), error)) == SQLITE_ROW)
    {
      g_autofree char *local_id = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0));
      g_autofree char *product_id = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 2));
      const char *sku = (const char *) sqlite3_column_text (stmt, 1);
      RemoteVariant *rv = NULL;
      g_autofree char *levels = NULL;

      if (sku == NULL)
        continue;
      g_hash_table_add (local_skus, g_strdup (sku));
      if (g_hash_table_contains (duplicates, sku))
        /* Which of the two is ours? A person decides; until then nothing
         * goes to either. */
        g_ptr_array_add (report->duplicates, g_strdup (sku));
      else if ((rv = g_hash_table_lookup (by_sku, sku)) == NULL)
        g_ptr_array_add (report->unmatched_local, g_strdup (sku));
      else
        g_ptr_array_add (report->matched, g_strdup (sku));
      if (rv != NULL &&
          (levels = merged_levels (self, ledger, local_id, rv->item, rv->levels, error)) == NULL)
        return FALSE;
      if (!set_or_clear (self, ledger, SHOPIFY_KIND_VARIANT, local_id, rv ? rv->variant : NULL, NULL, error) ||
          !set_or_clear (self, ledger, SHOPIFY_KIND_ITEM, local_id, rv ? rv->item : NULL, levels, error) ||
          (rv != NULL && rv->product != NULL &&
           !cp_integrations_set_mapping (ledger, self->integration_id, SHOPIFY_KIND_PRODUCT,
                                         product_id, rv->product, NULL, error)))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return FALSE;

  g_hash_table_iter_init (&iter, by_sku);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (local_skus, key) && !g_hash_table_contains (duplicates, key))
      g_ptr_array_add (report->unmatched_remote, g_strdup (key));
  g_hash_table_iter_init (&iter, duplicates);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (local_skus, key))
      g_ptr_array_add (report->duplicates, g_strdup (key));
  return TRUE;
}

/* With one location on each side, they are each other's (CLI.md). */
static gboolean
store_location_mapping (CpShopifyConnector  *self,
                        CpLedger            *ledger,
                        GPtrArray           *locations,
                        GError             **error)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autofree char *code = NULL, *current = NULL;

  if (locations->len == 0 || cp_sql_query_int (ledger, "SELECT count(*) FROM locations", 0) != 1)
    return TRUE;
  stmt = cp_ledger_prepare (ledger, "SELECT code FROM locations", error);
  if (stmt == NULL)
    return FALSE;
  if (cp_sql_step (ledger, stmt, _("Could not read the locations"), error) != SQLITE_ROW)
    return error == NULL || *error == NULL;
  code = cp_sql_dup_text (stmt, 0);
  current = cp_integrations_get_remote_id (ledger, self->integration_id, SHOPIFY_KIND_LOCATION, code, error);
  if (current != NULL)
    return TRUE;
  if (error != NULL && *error != NULL)
    return FALSE;
  return cp_integrations_set_mapping (ledger, self->integration_id, SHOPIFY_KIND_LOCATION, code,
                                      g_ptr_array_index (locations, 0), NULL, error);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

CpMappingReport *
shopify_refresh_mappings (CpConnector   *connector,
                          CpLedger      *ledger,
                          GCancellable  *cancellable,
                          GError       **error)
{
  CpShopifyConnector *self = CP_SHOPIFY_CONNECTOR (connector);
  g_autoptr(CpMappingReport) report = g_new0 (CpMappingReport, 1);
  g_autoptr(GHashTable) by_sku = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) remote_variant_free);
  g_autoptr(GHashTable) duplicates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) locations = g_ptr_array_new_with_free_func (g_free);

  shopify_read_settings (self, ledger);
  report->matched = g_ptr_array_new_with_free_func (g_free);
  report->unmatched_local = g_ptr_array_new_with_free_func (g_free);
  report->unmatched_remote = g_ptr_array_new_with_free_func (g_free);
  report->duplicates = g_ptr_array_new_with_free_func (g_free);

  if (!shopify_list_locations (self, locations, cancellable, error) ||
      !list_variants (self, by_sku, duplicates, cancellable, error))
    return NULL;
  if (!cp_ledger_begin (ledger, error))
    return NULL;
  if (!store_mappings (self, ledger, by_sku, duplicates, report, error) ||
      !store_location_mapping (self, ledger, locations, error) ||
      !cp_ledger_commit (ledger, error))
    {
      if (cp_ledger_in_transaction (ledger))
        cp_ledger_rollback (ledger);
      return NULL;
    }
  self->mapped_once = TRUE;
  g_ptr_array_sort (report->matched, compare_strings);
  g_ptr_array_sort (report->unmatched_local, compare_strings);
  g_ptr_array_sort (report->unmatched_remote, compare_strings);
  g_ptr_array_sort (report->duplicates, compare_strings);
  report->locations = g_steal_pointer (&locations);
  return g_steal_pointer (&report);
}

/* ---- Orders ---------------------------------------------------------------- */

/* {"watermark": µs} between pulls; a page cursor adds where an
 * interrupted pull resumes: {"since": µs, "after": "…", "max_seen": µs}. */
typedef struct
{
  gint64  watermark;
  gint64  since;
  gint64  max_seen;
  char   *after;
} PullCursor;

static gboolean
parse_cursor (const char  *text,
              PullCursor  *out,
              GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj = NULL;

  if (text == NULL || *text == '\0')
    return TRUE;
  root = shopify_parse_json (text, strlen (text), NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    obj = json_node_get_object (root);
  if (obj == NULL || (shopify_get (obj, "watermark") != NULL && !shopify_get_int (obj, "watermark", &out->watermark)))
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL,
                              _("The saved position of the Shopify order download is damaged. "
                                "Run a full sync to read every order again."));
      return FALSE;
    }
  shopify_get_int (obj, "since", &out->since);
  shopify_get_int (obj, "max_seen", &out->max_seen);
  out->after = g_strdup (shopify_get_string (obj, "after"));
  /* An older cursor's "currency" (the books', as the connector once
   * checked orders against it itself) is left unread. */
  return TRUE;
}

static char *
format_cursor (gint64      watermark,
               gint64      since,
               gint64      max_seen,
               const char *after)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "watermark");
  json_builder_add_int_value (b, watermark);
  if (after != NULL)
    {
      json_builder_set_member_name (b, "since");
      json_builder_add_int_value (b, since);
      json_builder_set_member_name (b, "max_seen");
      json_builder_add_int_value (b, max_seen);
      json_builder_set_member_name (b, "after");
      json_builder_add_string_value (b, after);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* One page of orders as read and parsed, on the worker or on the
 * prefetch thread (cp-connector-prefetch.h): only one request is ever in
 * flight, and the worker touches nothing of the connector while its sink
 * stores the page before. */
typedef struct
{
  GPtrArray *orders;       /* CpOrder */
  gint64     max_seen;     /* the newest updated_at on the page */
  char      *end_cursor;   /* NULL: the last page */
} ShopifyOrdersPage;

static void
shopify_orders_page_free (ShopifyOrdersPage *page)
{
  g_clear_pointer (&page->orders, g_ptr_array_unref);
  g_free (page->end_cursor);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShopifyOrdersPage, shopify_orders_page_free)

static ShopifyOrdersPage *
fetch_orders_page (CpShopifyConnector  *self,
                   const char          *after,
                   const char          *query,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_auto(ShopifyResponse) response = { 0 };
  g_autoptr(ShopifyOrdersPage) page = g_new0 (ShopifyOrdersPage, 1);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonArray *nodes;

  page->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "first");
  json_builder_add_int_value (b, self->page_size);
  json_builder_set_member_name (b, "lines");
  json_builder_add_int_value (b, ORDER_LINES);
  json_builder_set_member_name (b, "after");
  if (after != NULL)
    json_builder_add_string_value (b, after);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "query");
  if (query != NULL)
    json_builder_add_string_value (b, query);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  if (!shopify_graphql (self, "orders", orders_query, json_builder_get_root (b),
                        2 + self->page_size * (5.0 + ORDER_LINES), &response, cancellable, error))
    return NULL;
  nodes = shopify_get_array (response.data, "orders.nodes");
  for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
    {
      JsonNode *node = json_array_get_element (nodes, i);
      g_autoptr(GError) order_error = NULL;
      gint64 updated_at = 0;
      CpOrder *order;

      order = JSON_NODE_HOLDS_OBJECT (node)
              ? shopify_parse_order (json_node_get_object (node), self->integration_id,
                                     &updated_at, &order_error)
              : NULL;
      if (order == NULL)
        {
          /* One unreadable order must not hold up the others. */
          g_warning ("Skipping a Shopify order: %s",
                     order_error ? order_error->message : "not an object");
          continue;
        }
      /* Each order in its own currency, the shop's when it was
       * placed (currencyCode and every shopMoney): one in another
       * currency than the books' is the engine's to keep aside and
       * report (cp-order-currency.h), the first pull included, never
       * this connector's to convert, drop or stop at. */
      if (get_bool (json_node_get_object (node), "lineItems.pageInfo.hasNextPage"))
        {
          /* More lines than a page holds: read that order whole. */
          g_auto(ShopifyResponse) whole = { 0 };
          g_autoptr(JsonBuilder) vb = json_builder_new ();
          g_autoptr(GError) whole_error = NULL;
          CpOrder *full = NULL;

          json_builder_begin_object (vb);
          json_builder_set_member_name (vb, "id");
          json_builder_add_string_value (vb, order->external_id);
          json_builder_end_object (vb);
          if (!shopify_graphql (self, "order", order_query, json_builder_get_root (vb),
                                260, &whole, cancellable, error))
            {
              cp_order_free (order);
              return NULL;
            }
          if (shopify_get_object (whole.data, "order") != NULL)
            full = shopify_parse_order (shopify_get_object (whole.data, "order"),
                                        self->integration_id, &updated_at, &whole_error);
          if (full == NULL)
            {
              g_warning ("Skipping Shopify order %s: %s", order->number,
                         whole_error ? whole_error->message : "gone");
              cp_order_free (order);
              continue;
            }
          cp_order_free (order);
          order = full;
        }
      page->max_seen = MAX (page->max_seen, updated_at);
      g_ptr_array_add (page->orders, order);
    }
  if (get_bool (response.data, "orders.pageInfo.hasNextPage"))
    page->end_cursor = g_strdup (shopify_get_string (response.data, "orders.pageInfo.endCursor"));
  return g_steal_pointer (&page);
}

/* ARGS: the cursor to read after, and the search query (none: NULL). */
static gpointer
fetch_ahead (GObject             *connector,
             const char * const  *args,
             GCancellable        *cancellable,
             GError             **error)
{
  return fetch_orders_page (CP_SHOPIFY_CONNECTOR (connector), args[0], args[1], cancellable,
                            error);
}

/* Orders updated since the watermark (less the overlap), page after
 * page; while the sink stores a page the next one is already being read. */
gboolean
shopify_pull_orders (CpConnector   *connector,
                     const char    *cursor_text,
                     CpOrderSink    sink,
                     gpointer       sink_data,
                     char         **out_cursor,
                     GCancellable  *cancellable,
                     GError       **error)
{
  CpShopifyConnector *self = CP_SHOPIFY_CONNECTOR (connector);
  g_autoptr(ShopifyOrdersPage) fetched = NULL;
  PullCursor cursor = { 0 };
  g_autofree char *after = NULL;
  g_autofree char *query = NULL;
  gint64 since, max_seen;

  shopify_read_settings (self, NULL);
  if (!parse_cursor (cursor_text, &cursor, error))
    return FALSE;
  after = g_steal_pointer (&cursor.after);
  since = after != NULL ? cursor.since
          : cursor.watermark > 0 ? cursor.watermark - CP_SHOPIFY_PULL_OVERLAP_US : 0;
  max_seen = MAX (cursor.max_seen, cursor.watermark);
  if (since > 0)
    {
      g_autofree char *at = shopify_format_time (since);

      query = g_strdup_printf ("updated_at:>='%s'", at);
    }

  fetched = fetch_orders_page (self, after, query, cancellable, error);
  if (fetched == NULL)
    return FALSE;

  for (guint page = 0; page < MAX_PAGES; page++)
    {
      g_autoptr(ShopifyOrdersPage) current = g_steal_pointer (&fetched);
      CpConnectorPrefetch *ahead = NULL;
      g_autofree char *page_cursor = NULL;

      max_seen = MAX (max_seen, current->max_seen);
      if (current->end_cursor != NULL)
        {
          const char *args[] = { current->end_cursor, query, NULL };

          g_free (after);
          after = g_strdup (current->end_cursor);
          page_cursor = format_cursor (cursor.watermark, since, max_seen, after);
          ahead = cp_connector_prefetch_start (G_OBJECT (self), fetch_ahead,
                                               g_strdupv ((GStrv) args), cancellable);
        }
      if ((current->orders->len > 0 || page_cursor != NULL) &&
          !sink (current->orders, page_cursor, sink_data, error))
        {
          /* Stopped: the watermark stays where it was. */
          cp_connector_prefetch_discard (ahead, (GDestroyNotify) shopify_orders_page_free);
          return error == NULL || *error == NULL;
        }
      if (ahead == NULL)
        break;
      fetched = cp_connector_prefetch_finish (ahead, error);
      if (fetched == NULL)
        return FALSE;
    }
  if (max_seen > 0)
    *out_cursor = format_cursor (max_seen, 0, 0, NULL);
  return TRUE;
}
