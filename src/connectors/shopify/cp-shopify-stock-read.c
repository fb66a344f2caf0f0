/* cp-shopify-stock-read.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What Shopify shows now, for a full reconciliation
 * (CpConnectorInterface.read_stock): the "available" quantity of each
 * mapped inventory item at each Shopify location asked about, read with
 * nodes(ids:) and InventoryItem.inventoryLevel(locationId:), as many
 * items per query as one query's cost and the bucket allow (250 at most,
 * the input limit): 250 items in one query, one query per location.
 *
 * An item Shopify no longer has (a null node) is unlinked, as a refresh
 * of the mappings would, so it shows as unmatched in the mapping report
 * instead of failing every push; an item not stocked at the location
 * (a null inventoryLevel) or whose quantity Shopify does not track is
 * left out, so the reconciliation reports it as missing rather than
 * reading it as 0 and "fixing" it.
 *
 * Nothing read here becomes the compare quantity of the next push: that
 * stays what Counterpart last read or set, and where Shopify shows
 * something else the level is only marked as drifted, so the push the
 * reconciliation queues is sent even when the books equal that last
 * level. It then meets a stale compare quantity, re-reads, and keeps a
 * sale made online that the books have not seen yet, or overwrites an
 * edit made in Shopify admin (cp-shopify-push.c, settle_stale). Taking
 * what was read as the compare quantity would overwrite that sale.
 */

#define G_LOG_DOMAIN "cp-shopify"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-integrations.h"
#include "cp-sql.h"
#include "cp-stock-publish.h"

#include "cp-shopify-private.h"

/* Requested cost of one item: the InventoryItem, its level at the
 * location, the level's quantities. */
#define ITEM_COST 3.0
/* Shopify refuses a single query that costs more. */
#define MAX_QUERY_COST 1000.0

static const char read_query[] =
  "query CounterpartReadStock($ids: [ID!]!, $location: ID!) {"
  " nodes(ids: $ids) { ... on InventoryItem { id tracked"
  "  inventoryLevel(locationId: $location) {"
  "   quantities(names: [\"available\"]) { name quantity } } } } }";

/* A linked variant, with the levels its pushes compare with. */
typedef struct
{
  char       *item;       /* InventoryItem gid */
  GHashTable *levels;     /* the mapping's last_hash (shopify_levels_from_json) */
  gboolean    changed;    /* levels to write back */
} Linked;

static void
linked_free (Linked *linked)
{
  g_free (linked->item);
  g_clear_pointer (&linked->levels, g_hash_table_unref);
  g_free (linked);
}

typedef struct
{
  GHashTable *items;      /* variant id (gint64*) → Linked* */
  GHashTable *quantities; /* "ITEM\x1fLOCATION" → gint64* */
  GHashTable *gone;       /* InventoryItem gids Shopify no longer has */
  GHashTable *tracked;    /* InventoryItem gid → GINT_TO_POINTER (1 + tracked) */
} StockRead;

static char *
pair_key (const char *item,
          const char *location)
{
  return g_strconcat (item, "\x1f", location, NULL);
}

/* Items per query: what one query may cost, and what the bucket holds
 * when it is smaller (a query costing more than the bucket never runs). */
static guint
items_per_query (CpShopifyConnector *self)
{
  CpRateLimiter *limiter = cp_shopify_connector_get_rate_limiter (self);
  double budget = MAX_QUERY_COST;
  guint n;

  if (limiter != NULL && cp_rate_limiter_get_capacity (limiter) > 0)
    budget = MIN (budget, cp_rate_limiter_get_capacity (limiter));
  n = (guint) (budget / ITEM_COST);
  return CLAMP (n, 1, CP_SHOPIFY_MAX_INPUT);
}

/* Each wanted variant that is linked: its InventoryItem and levels. */
static gboolean
load_items (CpShopifyConnector  *self,
            CpLedger            *ledger,
            GPtrArray           *wanted,
            GHashTable          *items,
            GError             **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autofree char *json = NULL;
  int rc;

  for (guint i = 0; i < wanted->len; i++)
    g_array_append_val (ids, ((CpStockPublished *) g_ptr_array_index (wanted, i))->variant_id);
  json = shopify_ids_to_json (ids);
  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT CAST (local_id AS INTEGER), remote_id, last_hash "
                                   "FROM integration_mappings "
                                   "WHERE integration_id = ?1 AND kind = '" SHOPIFY_KIND_ITEM "' "
                                   "AND local_id IN (SELECT CAST (value AS TEXT) "
                                   "FROM json_each (?2))", error);
  if (stmt == NULL)
    return FALSE;
  cp_sql_bind_text (stmt, 1, self->integration_id);
  cp_sql_bind_text (stmt, 2, json);
  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the mappings"), error)) == SQLITE_ROW)
    {
      gint64 variant_id = sqlite3_column_int64 (stmt, 0);
      const char *item = (const char *) sqlite3_column_text (stmt, 1);
      Linked *linked;

      if (item == NULL)
        continue;
      linked = g_new0 (Linked, 1);
      linked->item = g_strdup (item);
      linked->levels = shopify_levels_from_json ((const char *) sqlite3_column_text (stmt, 2));
      g_hash_table_insert (items, g_memdup2 (&variant_id, sizeof variant_id), linked);
    }
  return rc == SQLITE_DONE;
}

/* The Shopify location of a quantity core publishes to "the store's only
 * location" (none linked yet): the shop's location when it has exactly
 * one, else NULL (which one is meant is for the owner to say). */
static gboolean
only_location (CpShopifyConnector  *self,
               char               **out_location,
               GCancellable        *cancellable,
               GError             **error)
{
  g_autoptr(GPtrArray) locations = g_ptr_array_new_with_free_func (g_free);

  *out_location = NULL;
  if (!shopify_list_locations (self, locations, cancellable, error))
    return FALSE;
  if (locations->len == 1)
    *out_location = g_strdup (g_ptr_array_index (locations, 0));
  else
    g_debug ("No Shopify location linked and the shop has %u: stock not read", locations->len);
  return TRUE;
}

static JsonNode *
read_variables (GPtrArray  *items,
                guint       first,
                guint       last,
                const char *location)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ids");
  json_builder_begin_array (b);
  for (guint i = first; i < last; i++)
    json_builder_add_string_value (b, g_ptr_array_index (items, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "location");
  json_builder_add_string_value (b, location);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Reads ITEMS[FIRST, LAST) at LOCATION into READ. */
static gboolean
read_chunk (CpShopifyConnector  *self,
            StockRead           *read,
            GPtrArray           *items,
            guint                first,
            guint                last,
            const char          *location,
            GCancellable        *cancellable,
            GError             **error)
{
  g_auto(ShopifyResponse) response = { 0 };
  JsonArray *nodes;

  /* Its own key for the learnt cost: nodes(ids:) of the push's re-reads
   * asks for more per item. */
  if (!shopify_graphql (self, "nodes.inventoryLevel", read_query,
                        read_variables (items, first, last, location),
                        (last - first) * ITEM_COST, &response, cancellable, error))
    return FALSE;
  nodes = shopify_get_array (response.data, "nodes");
  if (nodes == NULL || json_array_get_length (nodes) != last - first)
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0,
                              shopify_response_get_exchange (&response),
                              _("Shopify answered a stock query with a different number of "
                                "products than asked. Counterpart will try again."));
      return FALSE;
    }
  for (guint i = first; i < last; i++)
    {
      const char *item = g_ptr_array_index (items, i);
      JsonNode *node = json_array_get_element (nodes, i - first);
      JsonObject *obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *tracked = shopify_get (obj, "tracked");
      JsonArray *quantities = shopify_get_array (obj, "inventoryLevel.quantities");

      if (obj == NULL)
        {
          g_hash_table_add (read->gone, g_strdup (item));
          continue;
        }
      if (g_strcmp0 (shopify_get_string (obj, "id"), item) != 0)
        {
          cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0,
                                  shopify_response_get_exchange (&response),
                                  _("Shopify answered a stock query with other products than "
                                    "asked. Counterpart will try again."));
          return FALSE;
        }
      /* Not tracked: Shopify sells it whatever the count says, so the
       * count means nothing to compare (and a push says what to do). */
      if (tracked != NULL && json_node_get_value_type (tracked) == G_TYPE_BOOLEAN)
        g_hash_table_insert (read->tracked, g_strdup (item),
                             GINT_TO_POINTER (1 + json_node_get_boolean (tracked)));
      if (g_hash_table_lookup (read->tracked, item) == GINT_TO_POINTER (1))
        continue;
      /* No level (not stocked there): nothing to read, not a 0. */
      for (guint k = 0; quantities != NULL && k < json_array_get_length (quantities); k++)
        {
          JsonNode *qn = json_array_get_element (quantities, k);
          JsonObject *q = JSON_NODE_HOLDS_OBJECT (qn) ? json_node_get_object (qn) : NULL;
          gint64 quantity;

          if (g_strcmp0 (shopify_get_string (q, "name"), "available") == 0 &&
              shopify_get_int (q, "quantity", &quantity))
            g_hash_table_insert (read->quantities, pair_key (item, location),
                                 g_memdup2 (&quantity, sizeof quantity));
        }
    }
  return TRUE;
}

/* Marks LOCATION of LINKED as drifted when Shopify shows QUANTITY there
 * and the last level known is another; unmarks it when they agree. */
static void
note_level (Linked     *linked,
            const char *location,
            gint64      quantity)
{
  g_autofree char *drift = g_strconcat (SHOPIFY_DRIFT_PREFIX, location, NULL);
  const gint64 *last = g_hash_table_lookup (linked->levels, location);
  gint64 one = 1;

  /* Never read there: the push reads it before it compares anything. */
  if (last == NULL)
    return;
  if (*last != quantity && !g_hash_table_contains (linked->levels, drift))
    {
      g_hash_table_insert (linked->levels, g_steal_pointer (&drift), g_memdup2 (&one, sizeof one));
      linked->changed = TRUE;
    }
  else if (*last == quantity && g_hash_table_remove (linked->levels, drift))
    linked->changed = TRUE;
}

/* Writes the drift and tracking marks back, and unlinks the variants whose inventory
 * item Shopify no longer has, as a refresh of the mappings would: the
 * mapping report then shows them as unmatched, and no push is sent to
 * them in vain. One transaction. */
static gboolean
store_findings (CpShopifyConnector  *self,
                CpLedger            *ledger,
                StockRead           *read,
                GError             **error)
{
  GHashTableIter iter;
  gpointer key, value;
  gboolean any = g_hash_table_size (read->gone) > 0;

  g_hash_table_iter_init (&iter, read->items);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Linked *linked = value;
      gpointer state = g_hash_table_lookup (read->tracked, linked->item);
      gint64 one = 1;

      /* What the push tells the owner about an untracked item. */
      if (state == GINT_TO_POINTER (1) &&
          !g_hash_table_contains (linked->levels, SHOPIFY_UNTRACKED_KEY))
        {
          g_hash_table_insert (linked->levels, g_strdup (SHOPIFY_UNTRACKED_KEY),
                               g_memdup2 (&one, sizeof one));
          linked->changed = TRUE;
        }
      else if (state == GINT_TO_POINTER (2) &&
               g_hash_table_remove (linked->levels, SHOPIFY_UNTRACKED_KEY))
        linked->changed = TRUE;
      any |= linked->changed;
    }
  if (!any)
    return TRUE;
  if (!cp_ledger_begin (ledger, error))
    return FALSE;
  g_hash_table_iter_init (&iter, read->items);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Linked *linked = value;
      g_autofree char *local_id = g_strdup_printf ("%" G_GINT64_FORMAT, *(gint64 *) key);
      gboolean ok = TRUE;

      if (g_hash_table_contains (read->gone, linked->item))
        {
          g_debug ("Variant %s: inventory item %s is gone from Shopify; unlinked",
                   local_id, linked->item);
          ok = cp_integrations_clear_mapping (ledger, self->integration_id, SHOPIFY_KIND_ITEM,
                                              local_id, error) &&
               cp_integrations_clear_mapping (ledger, self->integration_id, SHOPIFY_KIND_VARIANT,
                                              local_id, error);
        }
      else if (linked->changed)
        {
          g_autofree char *json = shopify_levels_to_json (linked->levels);

          ok = cp_integrations_set_mapping (ledger, self->integration_id, SHOPIFY_KIND_ITEM,
                                            local_id, linked->item, json, error);
        }
      if (!ok)
        {
          cp_ledger_rollback (ledger);
          return FALSE;
        }
    }
  return cp_ledger_commit (ledger, error);
}

gboolean
shopify_read_stock (CpConnector   *connector,
                    CpLedger      *ledger,
                    GPtrArray     *wanted,
                    GPtrArray     *out_found,
                    GCancellable  *cancellable,
                    GError       **error)
{
  CpShopifyConnector *self = CP_SHOPIFY_CONNECTOR (connector);
  StockRead read = { 0 };
  g_autoptr(GHashTable) items = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                      (GDestroyNotify) linked_free);
  g_autoptr(GHashTable) quantities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) gone = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) tracked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* location gid → GPtrArray of item gids, each once; in order of first use. */
  g_autoptr(GHashTable) by_location = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) locations = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *default_location = NULL;
  gboolean default_looked_up = FALSE;
  guint per_query;

  read.items = items;
  read.quantities = quantities;
  read.gone = gone;
  read.tracked = tracked;
  shopify_read_settings (self, ledger);
  if (!load_items (self, ledger, wanted, items, error))
    return FALSE;

  for (guint i = 0; i < wanted->len; i++)
    {
      CpStockPublished *w = g_ptr_array_index (wanted, i);
      Linked *linked = g_hash_table_lookup (items, &w->variant_id);
      const char *location = w->location;
      g_autofree char *key = NULL;
      GPtrArray *list;

      if (linked == NULL)
        continue;   /* not linked to this shop: left out */
      if (location == NULL)
        {
          if (!default_looked_up &&
              !only_location (self, &default_location, cancellable, error))
            return FALSE;
          default_looked_up = TRUE;
          location = default_location;
          if (location == NULL)
            continue;
        }
      key = pair_key (linked->item, location);
      if (!g_hash_table_add (asked, g_steal_pointer (&key)))
        continue;
      list = g_hash_table_lookup (by_location, location);
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (by_location, g_strdup (location), list);
          g_ptr_array_add (locations, g_strdup (location));
        }
      g_ptr_array_add (list, g_strdup (linked->item));
    }

  per_query = items_per_query (self);
  for (guint l = 0; l < locations->len; l++)
    {
      const char *location = g_ptr_array_index (locations, l);
      GPtrArray *list = g_hash_table_lookup (by_location, location);

      for (guint first = 0; first < list->len; first += per_query)
        if (!read_chunk (self, &read, list, first, MIN (first + per_query, list->len), location,
                         cancellable, error))
          return FALSE;
    }

  for (guint i = 0; i < wanted->len; i++)
    {
      CpStockPublished *w = g_ptr_array_index (wanted, i);
      Linked *linked = g_hash_table_lookup (items, &w->variant_id);
      const char *location = w->location != NULL ? w->location : default_location;
      g_autofree char *key = NULL;
      const gint64 *quantity;
      CpStockPublished *f;

      if (linked == NULL || location == NULL)
        continue;
      key = pair_key (linked->item, location);
      quantity = g_hash_table_lookup (quantities, key);
      if (quantity == NULL)
        continue;
      note_level (linked, location, *quantity);
      f = g_new0 (CpStockPublished, 1);
      f->variant_id = w->variant_id;
      f->sku = g_strdup (w->sku);
      f->location = g_strdup (w->location);
      f->quantity = *quantity;
      g_ptr_array_add (out_found, f);
    }
  return store_findings (self, ledger, &read, error);
}
