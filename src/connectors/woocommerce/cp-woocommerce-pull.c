/* cp-woocommerce-pull.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the connector reads from WooCommerce: the catalog, products and
 * each variable product's variations, to match SKUs (the ledger is the
 * master), and orders by modification date, oldest first.
 *
 * Orders are read as a keyset: each request asks for modified_after the
 * last second fully seen, page 1, instead of walking page numbers, so an
 * order changed during a pull (which moves to the end) cannot shift
 * another one past a page boundary unseen. Only when a whole page shares
 * one second does the pull step to the next page number.
 *
 * A variant's mapping (kind "variant") is the remote product id of a
 * simple product ("93") or "PARENT/VARIATION" for a variation ("22/732"):
 * a push needs the parent to reach the variations endpoint.
 */

#define G_LOG_DOMAIN "cp-woocommerce"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <string.h>

#include "cp-connector-prefetch.h"
#include "cp-integrations.h"
#include "cp-sql.h"

#include "cp-woocommerce-private.h"

/* A site that always says "there is another page" must not keep a sync
 * busy forever: 100 × 20,000 is two million items. */
#define MAX_PAGES 20000
#define KIND_VARIANT "variant"

/* ---- Settings ---------------------------------------------------------- */

gboolean
woo_apply_settings (CpWoocommerceConnector  *self,
                    CpLedger                *ledger,
                    GError                 **error)
{
  g_autoptr(CpIntegration) integration = cp_integrations_get (ledger, self->integration_id, error);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj = NULL;
  JsonNode *node;
  gint64 per_minute = 0;

  if (integration == NULL)
    return FALSE;
  if (integration->settings != NULL)
    root = woo_parse_json (integration->settings, strlen (integration->settings), NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    obj = json_node_get_object (root);
  node = obj != NULL ? json_object_get_member (obj, WOO_SETTING_RATE) : NULL;
  /* Tolerant: absent or not a sane number keeps the default. */
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64 &&
      json_node_get_int (node) >= 1 && json_node_get_int (node) <= 100000)
    per_minute = json_node_get_int (node);

  if ((guint) per_minute != self->rate_per_minute)
    {
      CpRateLimiter *limiter = cp_woocommerce_connector_get_rate_limiter (self);
      gint64 now = g_get_monotonic_time ();
      double rate = per_minute > 0 ? (double) per_minute : CP_RATE_LIMITER_DEFAULT_PER_MINUTE;

      /* In place: the engine holds this limiter. */
      cp_rate_limiter_update_from_server (limiter, MIN (cp_rate_limiter_get_available (limiter, now), rate),
                                          rate, rate / 60.0, now);
      self->rate_per_minute = (guint) per_minute;
    }
  return TRUE;
}

/* ---- The catalog ------------------------------------------------------- */

typedef struct
{
  GHashTable *by_sku;      /* sku → remote id ("93" or "22/732") */
  GHashTable *duplicates;  /* sku → TRUE */
  GPtrArray  *no_sku;      /* descriptions of items without a SKU */
} RemoteCatalog;

static void
remote_catalog_clear (RemoteCatalog *catalog)
{
  g_clear_pointer (&catalog->by_sku, g_hash_table_unref);
  g_clear_pointer (&catalog->duplicates, g_hash_table_unref);
  g_clear_pointer (&catalog->no_sku, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RemoteCatalog, remote_catalog_clear)

static void
catalog_add (RemoteCatalog *catalog,
             const char    *sku,
             char          *remote_id)   /* taken */
{
  if (g_hash_table_contains (catalog->by_sku, sku))
    {
      g_hash_table_add (catalog->duplicates, g_strdup (sku));
      g_free (remote_id);
    }
  else
    g_hash_table_insert (catalog->by_sku, g_strdup (sku), remote_id);
}

/* Every page of PATH_BASE (a list endpoint with its query) into OUT. */
static gboolean
list_all (CpWoocommerceConnector  *self,
          const char              *path_base,
          GPtrArray               *out,
          GCancellable            *cancellable,
          GError                 **error)
{
  for (guint page = 1; page <= MAX_PAGES; page++)
    {
      g_auto(WooResponse) response = { 0 };
      g_autofree char *path = g_strdup_printf ("%s%cper_page=%u&page=%u", path_base,
                                               strchr (path_base, '?') ? '&' : '?',
                                               self->page_size, page);
      guint before = out->len;
      guint pages;

      if (!woo_http_call (self, "GET", path, NULL, &response, cancellable, error))
        return FALSE;
      if (!woo_parse_products (response.root, out, error))
        {
          woo_attach_exchange (error, &response);
          return FALSE;
        }
      pages = woo_response_total_pages (&response);
      /* X-WP-TotalPages says when to stop; without it, a short page. */
      if (out->len - before < self->page_size || (pages > 0 && page >= pages))
        return TRUE;
    }
  return TRUE;
}

static gboolean
list_remote_catalog (CpWoocommerceConnector  *self,
                     RemoteCatalog           *catalog,
                     GCancellable            *cancellable,
                     GError                 **error)
{
  g_autoptr(GPtrArray) products = g_ptr_array_new_with_free_func ((GDestroyNotify) woo_product_free);

  catalog->by_sku = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  catalog->duplicates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  catalog->no_sku = g_ptr_array_new_with_free_func (g_free);

  if (!list_all (self, "/products?orderby=id&order=asc", products, cancellable, error))
    return FALSE;

  for (guint i = 0; i < products->len; i++)
    {
      WooProduct *p = g_ptr_array_index (products, i);

      if (g_strcmp0 (p->type, "variable") == 0)
        {
          g_autoptr(GPtrArray) variations = g_ptr_array_new_with_free_func ((GDestroyNotify) woo_product_free);
          g_autofree char *base = NULL;

          /* Only the variations sell: the parent is their folder. */
          if (p->variations != NULL && p->variations->len == 0)
            continue;
          base = g_strdup_printf ("/products/%" G_GINT64_FORMAT "/variations?orderby=id&order=asc", p->id);
          if (!list_all (self, base, variations, cancellable, error))
            return FALSE;
          for (guint k = 0; k < variations->len; k++)
            {
              WooProduct *v = g_ptr_array_index (variations, k);

              if (v->sku == NULL)
                g_ptr_array_add (catalog->no_sku,
                                 g_strdup_printf (_("variation %" PRId64 " of product %"
                                                    PRId64 " (no SKU)"), (int64_t) v->id, (int64_t) p->id));
              else
                catalog_add (catalog, v->sku,
                             g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, p->id, v->id));
            }
          continue;
        }
      if (p->sku == NULL)
        g_ptr_array_add (catalog->no_sku,
                         g_strdup_printf (_("product %" PRId64 " (no SKU)"), (int64_t) p->id));
      else
        catalog_add (catalog, p->sku, g_strdup_printf ("%" G_GINT64_FORMAT, p->id));
    }
  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Writes the variant mappings in the caller's transaction; one already
 * right is left alone so its last_hash survives. */
static gboolean
store_mappings (CpWoocommerceConnector  *self,
                CpLedger                *ledger,
                RemoteCatalog           *catalog,
                CpMappingReport         *report,
                GError                 **error)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autoptr(GHashTable) local_skus = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;
  int rc;

  stmt = cp_ledger_prepare (ledger,
                            "SELECT v.id, v.sku, m.remote_id FROM variants v "
                            "LEFT JOIN integration_mappings m ON m.integration_id = ?1 "
                            "AND m.kind = '" KIND_VARIANT "' AND m.local_id = CAST (v.id AS TEXT) "
                            "ORDER BY v.sku",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->integration_id, -1, SQLITE_TRANSIENT);

  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the catalog"), error)) == SQLITE_ROW)
    {
      g_autofree char *local_id = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0));
      const char *sku = (const char *) sqlite3_column_text (stmt, 1);
      const char *current = (const char *) sqlite3_column_text (stmt, 2);
      const char *remote_id;

      if (sku == NULL)
        continue;
      g_hash_table_add (local_skus, g_strdup (sku));
      remote_id = g_hash_table_contains (catalog->duplicates, sku)
                  ? NULL : g_hash_table_lookup (catalog->by_sku, sku);
      if (remote_id == NULL)
        {
          /* Twice on the store: which one is ours is a person's call;
           * until then neither gets anything. */
          g_ptr_array_add (g_hash_table_contains (catalog->duplicates, sku)
                           ? report->duplicates : report->unmatched_local, g_strdup (sku));
          if (current != NULL &&
              !cp_integrations_clear_mapping (ledger, self->integration_id, KIND_VARIANT,
                                              local_id, error))
            return FALSE;
          continue;
        }
      g_ptr_array_add (report->matched, g_strdup (sku));
      if (g_strcmp0 (current, remote_id) != 0 &&
          !cp_integrations_set_mapping (ledger, self->integration_id, KIND_VARIANT,
                                        local_id, remote_id, NULL, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return FALSE;

  g_hash_table_iter_init (&iter, catalog->by_sku);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (local_skus, key) && !g_hash_table_contains (catalog->duplicates, key))
      g_ptr_array_add (report->unmatched_remote, g_strdup (key));
  g_hash_table_iter_init (&iter, catalog->duplicates);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (local_skus, key))
      g_ptr_array_add (report->duplicates, g_strdup (key));
  for (guint i = 0; i < catalog->no_sku->len; i++)
    g_ptr_array_add (report->unmatched_remote, g_strdup (g_ptr_array_index (catalog->no_sku, i)));
  return TRUE;
}

CpMappingReport *
woo_refresh_mappings (CpConnector   *connector,
                      CpLedger      *ledger,
                      GCancellable  *cancellable,
                      GError       **error)
{
  CpWoocommerceConnector *self = CP_WOOCOMMERCE_CONNECTOR (connector);
  g_autoptr(CpMappingReport) report = g_new0 (CpMappingReport, 1);
  g_auto(RemoteCatalog) catalog = { 0 };

  report->matched = g_ptr_array_new_with_free_func (g_free);
  report->unmatched_local = g_ptr_array_new_with_free_func (g_free);
  report->unmatched_remote = g_ptr_array_new_with_free_func (g_free);
  report->duplicates = g_ptr_array_new_with_free_func (g_free);
  /* WooCommerce keeps one stock per product: no locations to list. */
  report->locations = g_ptr_array_new_with_free_func (g_free);

  if (!woo_apply_settings (self, ledger, error) ||
      !list_remote_catalog (self, &catalog, cancellable, error))
    return NULL;
  if (!cp_ledger_begin (ledger, error))
    return NULL;
  if (!store_mappings (self, ledger, &catalog, report, error) || !cp_ledger_commit (ledger, error))
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
  return g_steal_pointer (&report);
}

/* ---- Orders ------------------------------------------------------------ */

/* The cursor: {"watermark": µs} between pulls; while a pull is under way
 * its page cursors add where it goes on ("after" µs, "page") and the
 * newest change seen ("max_seen"), so a resumed pull ends with the same
 * watermark as an uninterrupted one. */
typedef struct
{
  gint64 watermark;
  gint64 after;      /* G_MININT64: from the beginning */
  gint64 max_seen;
  gint64 page;
} PullState;

static gboolean
get_cursor_int (JsonObject *obj,
                const char *member,
                gint64     *out)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
parse_cursor (const char  *text,
              PullState   *state,
              GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj;

  *state = (PullState) { 0, G_MININT64, 0, 1 };
  if (text == NULL || *text == '\0')
    return TRUE;
  root = woo_parse_json (text, strlen (text), NULL);
  obj = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (obj == NULL || !get_cursor_int (obj, "watermark", &state->watermark) ||
      !get_cursor_int (obj, "after", &state->after) ||
      !get_cursor_int (obj, "max_seen", &state->max_seen) ||
      !get_cursor_int (obj, "page", &state->page) ||
      state->watermark < 0 || state->page < 1 || state->page > MAX_PAGES)
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL,
                              _("The saved position of the WooCommerce order download is "
                                "damaged. Run a full sync to read every order again."));
      return FALSE;
    }
  if (!json_object_has_member (obj, "after"))
    state->after = state->watermark > 0 ? state->watermark - CP_WOOCOMMERCE_PULL_OVERLAP_US
                                        : G_MININT64;
  state->max_seen = MAX (state->max_seen, state->watermark);
  return TRUE;
}

static char *
format_page_cursor (const PullState *state)
{
  return g_strdup_printf ("{\"watermark\":%" G_GINT64_FORMAT ",\"after\":%" G_GINT64_FORMAT
                          ",\"max_seen\":%" G_GINT64_FORMAT ",\"page\":%" G_GINT64_FORMAT "}",
                          state->watermark, state->after, state->max_seen, state->page);
}

static gboolean
parse_orders_page (CpWoocommerceConnector  *self,
                   WooResponse             *response,
                   GPtrArray               *orders,
                   gint64                  *out_last_modified,
                   GError                 **error)
{
  JsonArray *array = response->root != NULL && JSON_NODE_HOLDS_ARRAY (response->root)
                     ? json_node_get_array (response->root) : NULL;

  if (array == NULL)
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_REMOTE_BUG, 0,
                              woo_response_get_exchange (response),
                              _("The WooCommerce site sent an order list Counterpart does not "
                                "understand."));
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gint64 modified = 0;
      CpOrder *order = cp_woocommerce_parse_order (json_array_get_element (array, i),
                                                   self->integration_id, &modified, error);

      if (order == NULL)
        {
          woo_attach_exchange (error, response);
          return FALSE;
        }
      g_ptr_array_add (orders, order);
      *out_last_modified = MAX (*out_last_modified, modified);
    }
  return TRUE;
}

/* One page of orders as read and parsed, on the worker or on the
 * prefetch thread (cp-connector-prefetch.h): reading and parsing touch
 * nothing of the connector but its session, keys and limiter. */
typedef struct
{
  GPtrArray *orders;         /* CpOrder */
  gint64     last_modified;
  guint      total_pages;    /* 0: not said */
} WooOrdersPage;

static void
woo_orders_page_free (WooOrdersPage *page)
{
  g_clear_pointer (&page->orders, g_ptr_array_unref);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WooOrdersPage, woo_orders_page_free)

static char *
orders_page_path (CpWoocommerceConnector *self,
                  const PullState        *state)
{
  GString *path = g_string_new (NULL);

  g_string_printf (path, "/orders?orderby=modified&order=asc&dates_are_gmt=true"
                         "&per_page=%u&page=%" G_GINT64_FORMAT, self->page_size, state->page);
  if (state->after != G_MININT64)
    {
      g_autofree char *date = woo_format_gmt_date (MAX (state->after, 0));

      g_string_append_printf (path, "&modified_after=%s", date);
    }
  return g_string_free (path, FALSE);
}

static WooOrdersPage *
fetch_orders_page (CpWoocommerceConnector  *self,
                   const char              *path,
                   GCancellable            *cancellable,
                   GError                 **error)
{
  g_auto(WooResponse) response = { 0 };
  g_autoptr(WooOrdersPage) page = g_new0 (WooOrdersPage, 1);

  page->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);
  page->last_modified = G_MININT64;
  if (!woo_http_call (self, "GET", path, NULL, &response, cancellable, error))
    return NULL;
  if (!parse_orders_page (self, &response, page->orders, &page->last_modified, error))
    return NULL;
  page->total_pages = woo_response_total_pages (&response);
  return g_steal_pointer (&page);
}

static gpointer
fetch_ahead (GObject             *connector,
             const char * const  *args,
             GCancellable        *cancellable,
             GError             **error)
{
  return fetch_orders_page (CP_WOOCOMMERCE_CONNECTOR (connector), args[0], cancellable, error);
}

/* Oldest first by modification, page after page; while the sink stores a
 * page the next one is already being read. */
gboolean
woo_pull_orders (CpConnector   *connector,
                 const char    *cursor_text,
                 CpOrderSink    sink,
                 gpointer       sink_data,
                 char         **out_cursor,
                 GCancellable  *cancellable,
                 GError       **error)
{
  CpWoocommerceConnector *self = CP_WOOCOMMERCE_CONNECTOR (connector);
  g_autoptr(WooOrdersPage) fetched = NULL;
  g_autofree char *first_path = NULL;
  PullState state;

  if (!parse_cursor (cursor_text, &state, error))
    return FALSE;

  first_path = orders_page_path (self, &state);
  fetched = fetch_orders_page (self, first_path, cancellable, error);
  if (fetched == NULL)
    return FALSE;

  for (guint n = 0; n < MAX_PAGES; n++)
    {
      g_autoptr(WooOrdersPage) current = g_steal_pointer (&fetched);
      CpConnectorPrefetch *ahead = NULL;
      GPtrArray *orders = current->orders;
      g_autofree char *page_cursor = NULL;
      gint64 last = current->last_modified;
      gboolean more;

      more = orders->len >= self->page_size &&
             (current->total_pages == 0 || current->total_pages > state.page);
      if (orders->len > 0)
        state.max_seen = MAX (state.max_seen, last);
      if (more)
        {
          /* modified_after is strict and in whole seconds: ask again from
           * just before the second of the page's newest order. */
          gint64 next_after = (last / G_USEC_PER_SEC - 1) * G_USEC_PER_SEC;
          g_autofree char *next_path = NULL;

          if (next_after > state.after)
            {
              state.after = next_after;
              state.page = 1;
            }
          else
            state.page++;
          page_cursor = format_page_cursor (&state);
          next_path = orders_page_path (self, &state);
          {
            const char *args[] = { next_path, NULL };

            ahead = cp_connector_prefetch_start (G_OBJECT (self), fetch_ahead,
                                                 g_strdupv ((GStrv) args), cancellable);
          }
        }

      if ((orders->len > 0 || page_cursor != NULL) &&
          !sink (orders, page_cursor, sink_data, error))
        {
          cp_connector_prefetch_discard (ahead, (GDestroyNotify) woo_orders_page_free);
          return error == NULL || *error == NULL;
        }
      if (ahead == NULL)
        break;
      fetched = cp_connector_prefetch_finish (ahead, error);
      if (fetched == NULL)
        return FALSE;
    }

  if (state.max_seen > 0)
    *out_cursor = g_strdup_printf ("{\"watermark\":%" G_GINT64_FORMAT "}", state.max_seen);
  return TRUE;
}
