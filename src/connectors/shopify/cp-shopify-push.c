/* cp-shopify-push.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stock to Shopify, the quantities core publishes (cp-stock-publish.h):
 * inventorySetQuantities with up to 250 quantities per
 * mutation, each with the quantity Counterpart last read or set there as
 * its compareQuantity, so a sale made online in between is never
 * overwritten. Shopify applies a mutation whole or not at all: a stale
 * compare (or a deleted item) refuses the lot, so the refused quantities
 * are re-read, settled, and the mutation sent again without the bad ones.
 * Each mutation carries @idempotent(key:) where the API version honours
 * it, derived from its jobs' idempotency keys: a resend after a crash is
 * the same mutation to Shopify, never a second one.
 *
 * A quantity already so on Shopify is not sent, unless a reconciliation
 * saw Shopify show something else there (cp-shopify-stock-read.c): then
 * it goes, to be found stale and settled. An item whose quantity Shopify
 * does not track, or that is not stocked at the location, is sent
 * nothing; its job fails with what to change in Shopify admin.
 */

#define G_LOG_DOMAIN "cp-shopify"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-integrations.h"
#include "cp-sql.h"
#include "cp-stock-publish.h"

#include "cp-shopify-private.h"

/* Rounds of "refused: re-read, settle, send the rest" per request. */
#define MAX_ROUNDS 3
#define AT_KEY "@at"

/* ---- Stock --------------------------------------------------------------- */

typedef struct
{
  guint       job;
  gint64      variant_id;
  char       *sku;
  char       *item;       /* InventoryItem gid */
  GHashTable *levels;     /* location gid (and AT_KEY) → gint64*: last read or set */
  GHashTable *publish;    /* location gid → gint64*: what to publish (cp-stock-publish) */
} StockItem;

static void
stock_item_free (StockItem *item)
{
  g_free (item->sku);
  g_free (item->item);
  g_clear_pointer (&item->levels, g_hash_table_unref);
  g_clear_pointer (&item->publish, g_hash_table_unref);
  g_free (item);
}

typedef struct
{
  StockItem  *item;
  const char *location;  /* owned by the item's publish table */
  gint64      quantity;
  gint64      compare;
} Entry;

/* The jobs' variants that are mapped, with the quantities core publishes
 * (cp_stock_publish_compute: opted-out products and a store that is the
 * master of stock publish nothing) into ITEMS, in job order.
 * *OUT_DEFAULT_LOCATION is set when core published to "the store's only
 * location" (no location mapped yet). */
static gboolean
read_items (ShopifyPush  *push,
            GPtrArray    *items,
            gboolean     *out_default_location,
            GError      **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) by_variant = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) published = NULL;
  g_autofree char *int_ids = NULL;
  int rc;

  *out_default_location = FALSE;
  for (guint j = 0; j < push->jobs->len; j++)
    {
      gint64 id = shopify_payload_int (g_ptr_array_index (push->jobs, j), "variant_id");

      if (id <= 0)
        {
          GError *e = NULL;

          cp_connector_set_error (&e, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                                  _("This stock change names no product variant."));
          shopify_job_fail (push, j, e);
        }
      g_array_append_val (ids, id);
    }
  int_ids = shopify_ids_to_json (ids);

  stmt = cp_ledger_prepare_cached (push->ledger,
                                   "SELECT v.id, v.sku, m.remote_id, m.last_hash FROM variants v "
                                   "JOIN integration_mappings m ON m.integration_id = ?1 "
                                   " AND m.kind = 'inventory_item' AND m.local_id = CAST (v.id AS TEXT) "
                                   "WHERE v.id IN (SELECT value FROM json_each (?2))", error);
  if (stmt == NULL)
    return FALSE;
  cp_sql_bind_text (stmt, 1, push->self->integration_id);
  cp_sql_bind_text (stmt, 2, int_ids);
  while ((rc = cp_sql_step (push->ledger, stmt, _("Could not read the mappings"), error)) == SQLITE_ROW)
    {
      StockItem *item = g_new0 (StockItem, 1);

      item->variant_id = sqlite3_column_int64 (stmt, 0);
      item->sku = cp_sql_dup_text (stmt, 1);
      item->item = cp_sql_dup_text (stmt, 2);
      item->levels = shopify_levels_from_json ((const char *) sqlite3_column_text (stmt, 3));
      item->publish = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (by_variant, &item->variant_id, item);
    }
  g_clear_pointer (&stmt, sqlite3_reset);
  if (rc != SQLITE_DONE)
    goto fail;

  published = cp_stock_publish_compute (push->ledger, push->self->integration_id,
                                        (const gint64 *) ids->data, ids->len, error);
  if (published == NULL)
    goto fail;
  for (guint i = 0; i < published->len; i++)
    {
      CpStockPublished *p = g_ptr_array_index (published, i);
      StockItem *item = g_hash_table_lookup (by_variant, &p->variant_id);

      if (item == NULL)
        continue;   /* not on this store */
      if (p->location == NULL)
        {
          *out_default_location = TRUE;
          continue;
        }
      g_hash_table_insert (item->publish, g_strdup (p->location), g_memdup2 (&p->quantity, sizeof (gint64)));
    }

  /* In job order; a variant named by two jobs goes once, with the first.
   * One with nothing published (opted out, store is master) is done. */
  for (guint j = 0; j < push->jobs->len; j++)
    {
      gint64 id = g_array_index (ids, gint64, j);
      StockItem *item = g_hash_table_lookup (by_variant, &id);

      if (item == NULL)
        continue;
      g_hash_table_remove (by_variant, &id);
      item->job = j;
      if (g_hash_table_size (item->publish) == 0)
        stock_item_free (item);
      else
        g_ptr_array_add (items, item);
    }
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, by_variant);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      stock_item_free (value);
  }
  return TRUE;

fail:
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, by_variant);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      stock_item_free (value);
  }
  return FALSE;
}

static gint64 *
level_of (StockItem  *item,
          const char *location)
{
  return g_hash_table_lookup (item->levels, location);
}

/* Whether a reconciliation saw Shopify show something else than the
 * level Counterpart knows at LOCATION (cp-shopify-stock-read.c). */
static gboolean
drifted (StockItem  *item,
         const char *location)
{
  g_autofree char *key = g_strconcat (SHOPIFY_DRIFT_PREFIX, location, NULL);

  return g_hash_table_contains (item->levels, key);
}

static void
set_level (StockItem  *item,
           const char *location,
           gint64      quantity)
{
  g_autofree char *drift = g_strconcat (SHOPIFY_DRIFT_PREFIX, location, NULL);

  g_hash_table_insert (item->levels, g_strdup (location), g_memdup2 (&quantity, sizeof quantity));
  /* Read or set just now: known again. */
  g_hash_table_remove (item->levels, drift);
}

/* Writes the quantities now known on Shopify back to the mappings. */
static gboolean
save_levels (ShopifyPush  *push,
             GPtrArray    *items,
             GError      **error)
{
  gint64 now = g_get_real_time ();

  if (!cp_ledger_begin (push->ledger, error))
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      StockItem *item = g_ptr_array_index (items, i);
      g_autofree char *local_id = g_strdup_printf ("%" G_GINT64_FORMAT, item->variant_id);
      g_autofree char *json = NULL;

      set_level (item, AT_KEY, now);
      json = shopify_levels_to_json (item->levels);
      if (!cp_integrations_set_mapping (push->ledger, push->self->integration_id, SHOPIFY_KIND_ITEM,
                                        local_id, item->item, json, error))
        {
          cp_ledger_rollback (push->ledger);
          return FALSE;
        }
    }
  return cp_ledger_commit (push->ledger, error);
}

/* Units of this variant in this store's orders recorded since AT_US: the
 * online sales the ledger already knows about. */
static gint64
known_sales_since (ShopifyPush *push,
                   gint64       variant_id,
                   gint64       at_us)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  gint64 n = 0;

  stmt = cp_ledger_prepare_cached (push->ledger,
                                   "SELECT coalesce (sum (l.quantity), 0) FROM orders o "
                                   "JOIN order_lines l ON l.order_id = o.id "
                                   "WHERE o.source = ?1 AND o.created_at > ?2 AND l.variant_id = ?3",
                                   NULL);
  if (stmt == NULL)
    return 0;
  cp_sql_bind_text (stmt, 1, push->self->integration_id);
  sqlite3_bind_int64 (stmt, 2, at_us);
  sqlite3_bind_int64 (stmt, 3, variant_id);
  if (cp_sql_step (push->ledger, stmt, NULL, NULL) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  return n;
}

/* A stale compare: Shopify's quantity moved since Counterpart last looked.
 * A drop the ledger has not seen as an order is a sale online not yet
 * imported: it comes off what is published, so that sale is never
 * overwritten (the order, once pulled, brings the books level). A rise,
 * or a drop the ledger already has, is overwritten: the POS is master. */
static void
settle_stale (ShopifyPush *push,
              Entry       *entry,
              gint64       current)
{
  gint64 *last = level_of (entry->item, entry->location);
  gint64 *at = level_of (entry->item, AT_KEY);
  gint64 dropped = last != NULL ? *last - current : 0;

  if (dropped > 0)
    {
      gint64 known = known_sales_since (push, entry->item->variant_id, at != NULL ? *at : 0);
      gint64 unknown = MAX (0, dropped - known);

      entry->quantity = MAX (0, entry->quantity - unknown);
    }
  entry->compare = current;
  set_level (entry->item, entry->location, current);
}

static const char set_query_idempotent[] =
  "mutation CounterpartSetStock($input: InventorySetQuantitiesInput!, $key: String!) {"
  " inventorySetQuantities(input: $input) @idempotent(key: $key) {"
  "  inventoryAdjustmentGroup { createdAt reason changes { name delta quantityAfterChange } }"
  "  userErrors { field message code } } }";
static const char set_query[] =
  "mutation CounterpartSetStock($input: InventorySetQuantitiesInput!) {"
  " inventorySetQuantities(input: $input) {"
  "  inventoryAdjustmentGroup { createdAt reason changes { name delta quantityAfterChange } }"
  "  userErrors { field message code } } }";

static JsonNode *
set_variables (ShopifyPush *push,
               GArray      *entries,
               const char  *key)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *reference = g_strdup_printf ("counterpart://integration/%s",
                                                push->self->integration_id);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "input");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "available");
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, "correction");
  json_builder_set_member_name (b, "referenceDocumentUri");
  json_builder_add_string_value (b, reference);
  json_builder_set_member_name (b, "quantities");
  json_builder_begin_array (b);
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *e = &g_array_index (entries, Entry, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "inventoryItemId");
      json_builder_add_string_value (b, e->item->item);
      json_builder_set_member_name (b, "locationId");
      json_builder_add_string_value (b, e->location);
      json_builder_set_member_name (b, "quantity");
      json_builder_add_int_value (b, e->quantity);
      json_builder_set_member_name (b, "compareQuantity");
      json_builder_add_int_value (b, e->compare);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  if (key != NULL)
    {
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, key);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* The shop's own name for the location it links to the Shopify
 * LOCATION, or LOCATION itself when none does. */
static char *
location_label (ShopifyPush *push,
                const char  *location)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  char *name = NULL;

  stmt = cp_ledger_prepare_cached (push->ledger,
                                   "SELECT l.name FROM integration_mappings m "
                                   "JOIN locations l ON l.code = m.local_id "
                                   "WHERE m.integration_id = ?1 AND m.kind = '" SHOPIFY_KIND_LOCATION "' "
                                   "AND m.remote_id = ?2 ORDER BY l.code LIMIT 1", NULL);
  if (stmt != NULL)
    {
      cp_sql_bind_text (stmt, 1, push->self->integration_id);
      cp_sql_bind_text (stmt, 2, location);
      if (cp_sql_step (push->ledger, stmt, NULL, NULL) == SQLITE_ROW)
        name = cp_sql_dup_text (stmt, 0);
    }
  return name != NULL ? name : g_strdup (location);
}

/* ITEM has no inventory level at LOCATION: Shopify refuses a quantity
 * there. What the owner does about it, and the level forgotten, so the
 * next push looks again instead of sending what would be refused. */
static GError *
not_stocked_error (ShopifyPush *push,
                   StockItem   *item,
                   const char  *location,
                   const char  *exchange)
{
  g_autofree char *label = location_label (push, location);
  GError *error = NULL;

  g_hash_table_remove (item->levels, location);
  cp_connector_set_error (&error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, exchange,
                          _("%s is not stocked at the Shopify location that “%s” sends its "
                            "stock to. In Shopify admin open Products → %s and, under "
                            "Inventory, add that location to the ones that stock it; "
                            "Counterpart sends its stock at the next sync."),
                          item->sku, label, item->sku);
  return error;
}

static GError *
entry_error (ShopifyPush            *push,
             const ShopifyUserError *ue,
             const Entry            *e,
             const char             *exchange)
{
  GError *error = NULL;

  if (g_strcmp0 (ue->code, "ITEM_NOT_STOCKED_AT_LOCATION") == 0)
    return not_stocked_error (push, e->item, e->location, exchange);
  if (g_strcmp0 (ue->code, "INVALID_INVENTORY_ITEM") == 0)
    cp_connector_set_error (&error, CP_CONNECTOR_ERROR_NOT_FOUND, 0, exchange,
                            _("%s is no longer on Shopify (its product was deleted there). "
                              "Refresh the mapping to link it again, or create it on Shopify."),
                            e->item->sku);
  else if (g_strcmp0 (ue->code, "INVALID_LOCATION") == 0)
    cp_connector_set_error (&error, CP_CONNECTOR_ERROR_CONFIG, 0, exchange,
                            _("Shopify has no location %s any more. Link the shop’s locations "
                              "again in the store’s settings."), e->location);
  else
    cp_connector_set_error (&error, CP_CONNECTOR_ERROR_INVALID_DATA, 0, exchange,
                            _("Shopify refused the stock of %s (%s: %s)."), e->item->sku,
                            ue->code ? ue->code : "error", ue->message ? ue->message : "");
  return error;
}

/* Sends ENTRIES (one request's worth) until they are in or refused. */
static gboolean
send_entries (ShopifyPush  *push,
              GArray       *entries,
              GError      **error)
{
  for (guint round = 0; entries->len > 0; round++)
    {
      g_auto(ShopifyResponse) response = { 0 };
      g_autoptr(GPtrArray) user_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) shopify_user_error_free);
      g_autoptr(GArray) jobs = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GPtrArray) stale_items = g_ptr_array_new ();
      g_autoptr(GHashTable) current = NULL;
      g_autofree char *key = NULL;
      gboolean idempotent = shopify_supports_idempotency (push->self);
      g_autofree gboolean *drop = NULL;
      JsonObject *payload;
      guint kept = 0;

      for (guint i = 0; i < entries->len; i++)
        {
          guint job = g_array_index (entries, Entry, i).item->job;

          if (jobs->len == 0 || g_array_index (jobs, guint, jobs->len - 1) != job)
            g_array_append_val (jobs, job);
        }
      if (idempotent)
        {
          g_autofree char *base = shopify_idempotency_key (push, jobs);

          /* A settled resend is another mutation: another key. */
          key = round == 0 ? g_steal_pointer (&base) : g_strdup_printf ("%s-%u", base, round);
        }
      if (!shopify_send_for_jobs (push, jobs, "inventorySetQuantities",
                                  idempotent ? set_query_idempotent : set_query,
                                  set_variables (push, entries, key),
                                  10.0 + entries->len, &response, error))
        return FALSE;
      payload = shopify_get_object (response.data, "inventorySetQuantities");
      shopify_parse_user_errors (payload, user_errors);
      if (user_errors->len == 0)
        {
          for (guint i = 0; i < entries->len; i++)
            {
              Entry *e = &g_array_index (entries, Entry, i);

              set_level (e->item, e->location, e->quantity);
            }
          return TRUE;
        }
      if (round + 1 >= MAX_ROUNDS)
        {
          for (guint j = 0; j < jobs->len; j++)
            {
              GError *e = NULL;

              cp_connector_set_error (&e, CP_CONNECTOR_ERROR_TRANSIENT, 0,
                                      shopify_response_get_exchange (&response),
                                      _("Shopify’s stock kept changing while Counterpart sent "
                                        "it. Counterpart will try again."));
              shopify_job_fail (push, g_array_index (jobs, guint, j), e);
            }
          return TRUE;
        }

      /* Nothing was applied. Drop the refused, settle the stale, resend. */
      drop = g_new0 (gboolean, entries->len);
      for (guint u = 0; u < user_errors->len; u++)
        {
          ShopifyUserError *ue = g_ptr_array_index (user_errors, u);

          if (ue->index < 0 || (guint) ue->index >= entries->len)
            {
              /* Names no quantity: the request as a whole was refused. */
              for (guint i = 0; i < entries->len; i++)
                {
                  Entry *e = &g_array_index (entries, Entry, i);

                  shopify_job_fail (push, e->item->job,
                                    entry_error (push, ue, e, shopify_response_get_exchange (&response)));
                }
              return TRUE;
            }
          if (g_strcmp0 (ue->code, "COMPARE_QUANTITY_STALE") == 0)
            g_ptr_array_add (stale_items, g_array_index (entries, Entry, ue->index).item->item);
          else
            {
              Entry *e = &g_array_index (entries, Entry, ue->index);

              shopify_job_fail (push, e->item->job,
                                entry_error (push, ue, e, shopify_response_get_exchange (&response)));
              drop[ue->index] = TRUE;
            }
        }
      current = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);
      if (stale_items->len > 0 &&
          !shopify_read_levels (push->self, stale_items, current, push->cancellable, error))
        return FALSE;
      for (guint i = 0; i < entries->len; i++)
        {
          Entry *e = &g_array_index (entries, Entry, i);
          GHashTable *levels = g_hash_table_lookup (current, e->item->item);
          gint64 *now = levels != NULL ? g_hash_table_lookup (levels, e->location) : NULL;

          /* Every entry of a failed job goes: a job is sent whole. */
          if (drop[i] || push->results->pdata[e->item->job] != NULL)
            continue;
          if (now != NULL)
            settle_stale (push, e, *now);
          g_array_index (entries, Entry, kept++) = *e;
        }
      g_array_set_size (entries, kept);
    }
  return TRUE;
}

gboolean
shopify_push_stock (ShopifyPush  *push,
                    GError      **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) stock_item_free);
  g_autoptr(GPtrArray) unknown = g_ptr_array_new ();
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  gboolean ok = TRUE, default_location = FALSE;

  if (!shopify_ensure_mapped (push, error) ||
      !read_items (push, items, &default_location, error))
    return FALSE;
  if (default_location)
    {
      /* No location linked yet: matching links the only one, then again. */
      g_autoptr(CpMappingReport) report =
        shopify_refresh_mappings (CP_CONNECTOR (push->self), push->ledger, push->cancellable, error);

      g_ptr_array_set_size (items, 0);
      if (report == NULL || !read_items (push, items, &default_location, error))
        return FALSE;
      if (default_location)
        {
          cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL,
                                  _("The shop’s location is not linked to a Shopify location. "
                                    "Link it with counterpart-cli integration map %s "
                                    "--location CODE=gid://shopify/Location/…"),
                                  push->self->integration_id);
          return FALSE;
        }
    }

  /* A quantity never read has nothing to compare with: read it first. */
  for (guint i = 0; i < items->len; i++)
    {
      StockItem *item = g_ptr_array_index (items, i);
      GHashTableIter iter;
      gpointer location;

      /* Untracked when last seen: read again, it may be tracked now. */
      if (g_hash_table_contains (item->levels, SHOPIFY_UNTRACKED_KEY))
        {
          g_ptr_array_add (unknown, item->item);
          continue;
        }
      g_hash_table_iter_init (&iter, item->publish);
      while (g_hash_table_iter_next (&iter, &location, NULL))
        if (level_of (item, location) == NULL)
          {
            g_ptr_array_add (unknown, item->item);
            break;
          }
    }
  if (unknown->len > 0)
    {
      g_autoptr(GHashTable) read = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_hash_table_unref);

      if (!shopify_read_levels (push->self, unknown, read, push->cancellable, error))
        return FALSE;
      for (guint i = 0; i < items->len; i++)
        {
          StockItem *item = g_ptr_array_index (items, i);
          GHashTable *levels = g_hash_table_lookup (read, item->item);
          GHashTableIter iter;
          gpointer k, v;

          if (levels == NULL)
            continue;
          g_hash_table_iter_init (&iter, levels);
          while (g_hash_table_iter_next (&iter, &k, &v))
            if (level_of (item, k) == NULL)
              set_level (item, k, *(gint64 *) v);
          if (!g_hash_table_contains (levels, SHOPIFY_UNTRACKED_KEY))
            g_hash_table_remove (item->levels, SHOPIFY_UNTRACKED_KEY);
        }
    }

  for (guint i = 0; ok && i <= items->len; i++)
    {
      StockItem *item = i < items->len ? g_ptr_array_index (items, i) : NULL;
      g_autoptr(GList) locations = NULL;

      /* Up to 250 quantities per mutation, a job's never split. */
      if (entries->len > 0 &&
          (item == NULL || entries->len + g_hash_table_size (item->publish) > CP_SHOPIFY_MAX_INPUT))
        {
          ok = send_entries (push, entries, error);
          g_array_set_size (entries, 0);
        }
      if (item == NULL || !ok)
        break;
      if (g_hash_table_contains (item->levels, SHOPIFY_UNTRACKED_KEY))
        {
          GError *err = NULL;

          /* Shopify would take the number and sell past it anyway. */
          cp_connector_set_error (&err, CP_CONNECTOR_ERROR_INVALID_DATA, 0, NULL,
                                  _("Shopify does not count the stock of %s, so it would sell "
                                    "it whatever Counterpart sends. In Shopify admin open "
                                    "Products → %s, turn on “Track quantity” under Inventory "
                                    "and save; Counterpart sends its stock at the next sync."),
                                  item->sku, item->sku);
          shopify_job_fail (push, item->job, err);
          continue;
        }
      locations = g_list_sort (g_hash_table_get_keys (item->publish), (GCompareFunc) g_strcmp0);
      for (GList *l = locations; l != NULL; l = l->next)
        {
          const char *location = l->data;
          gint64 *last = level_of (item, location);
          Entry e = { item, location, *(gint64 *) g_hash_table_lookup (item->publish, location), 0 };

          if (last == NULL)
            {
              shopify_job_fail (push, item->job, not_stocked_error (push, item, location, NULL));
              continue;
            }
          /* Already so on Shopify: nothing to send. Unless Shopify was
           * seen to differ since: then it goes with the old level as its
           * compare quantity, is refused as stale, and is settled like
           * any stale one (a sale online kept, an edit overwritten). */
          if (*last == e.quantity && !drifted (item, location))
            continue;
          e.compare = *last;
          g_array_append_val (entries, e);
        }
    }
  /* What was set is the next push's compare quantity, even after a
   * failure further on. */
  if (!save_levels (push, items, ok ? error : NULL))
    return FALSE;
  return ok;
}
