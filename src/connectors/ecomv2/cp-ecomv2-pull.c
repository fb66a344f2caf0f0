/* cp-ecomv2-pull.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the connector reads from the platform: the catalog, to match SKUs
 * (the ledger is the master), and orders, newest first by updated_at
 * down to the watermark (platforms.md §8: the seed's date filters go by
 * creation date, which misses an order changed later).
 */

#define G_LOG_DOMAIN "cp-ecomv2"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cp-connector-prefetch.h"
#include "cp-integrations.h"
#include "cp-sql.h"

#include "cp-connector-http.h"
#include "cp-ecomv2-private.h"

/* A platform that always says "there is another page" must not keep a
 * sync busy forever: 200 × 50,000 is ten million items. */
#define MAX_PAGES 50000

static gboolean
next_page_path (GString           *path,
                const char        *base,
                guint              page_number,
                const char        *cursor)
{
  g_string_assign (path, base);
  if (cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, TRUE);

      g_string_append_printf (path, "&cursor=%s", escaped);
    }
  else
    g_string_append_printf (path, "&page=%u", page_number);
  return TRUE;
}

/* ---- The catalog and the mappings ------------------------------------ */

typedef struct
{
  GHashTable *by_sku;      /* sku → product id (first seen) */
  GHashTable *duplicates;  /* sku → TRUE */
  GHashTable *sku_by_product;
  char       *first_id;    /* a product to read the warehouses from */
} RemoteCatalog;

static void
remote_catalog_clear (RemoteCatalog *catalog)
{
  g_clear_pointer (&catalog->by_sku, g_hash_table_unref);
  g_clear_pointer (&catalog->duplicates, g_hash_table_unref);
  g_clear_pointer (&catalog->sku_by_product, g_hash_table_unref);
  g_clear_pointer (&catalog->first_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RemoteCatalog, remote_catalog_clear)

static gboolean
list_remote_products (CpEcomv2Connector  *self,
                      RemoteCatalog      *catalog,
                      GCancellable       *cancellable,
                      GError            **error)
{
  g_autofree char *base = g_strdup_printf ("/products?limit=%u&sort=created_at&order=asc",
                                           self->page_size);
  g_autoptr(GString) path = g_string_new (NULL);
  g_autofree char *cursor = NULL;

  catalog->by_sku = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  catalog->duplicates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  catalog->sku_by_product = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint page_number = 1; page_number <= MAX_PAGES; page_number++)
    {
      g_auto(Ecomv2Response) response = { 0 };
      g_auto(Ecomv2Page) page = { 0 };
      g_autoptr(GPtrArray) products = g_ptr_array_new_with_free_func ((GDestroyNotify) ecomv2_product_free);

      next_page_path (path, base, page_number, cursor);
      if (!ecomv2_http_call (self, "GET", path->str, NULL, &response, cancellable, error))
        return FALSE;
      if (!ecomv2_parse_products_page (response.root, products, &page, error))
        {
          ecomv2_attach_exchange (error, &response);
          return FALSE;
        }

      for (guint i = 0; i < products->len; i++)
        {
          Ecomv2Product *p = g_ptr_array_index (products, i);

          if (p->sku != NULL)
            g_hash_table_insert (catalog->sku_by_product, g_strdup (p->id), g_strdup (p->sku));

          /* Archived is the seed's deleted: nothing to sync with. */
          if (p->sku == NULL || g_strcmp0 (p->status, "archived") == 0)
            continue;
          if (catalog->first_id == NULL)
            catalog->first_id = g_strdup (p->id);
          if (g_hash_table_contains (catalog->by_sku, p->sku))
            g_hash_table_add (catalog->duplicates, g_strdup (p->sku));
          else
            g_hash_table_insert (catalog->by_sku, g_strdup (p->sku), g_strdup (p->id));
        }

      if (!page.has_next || products->len == 0)
        return TRUE;
      g_free (cursor);
      cursor = g_steal_pointer (&page.next_cursor);
    }
  return TRUE;
}

gboolean
ecomv2_load_catalog (CpEcomv2Connector  *self,
                     GCancellable       *cancellable,
                     GError            **error)
{
  g_auto(RemoteCatalog) catalog = { 0 };

  if (!list_remote_products (self, &catalog, cancellable, error))
    return FALSE;
  g_clear_pointer (&self->sku_by_product, g_hash_table_unref);
  self->sku_by_product = g_steal_pointer (&catalog.sku_by_product);
  return TRUE;
}

/* The warehouses, from any product's inventory: the seed lists them
 * nowhere else. */
static gboolean
list_warehouses (CpEcomv2Connector  *self,
                 const char         *product_id,
                 GPtrArray          *out,
                 GCancellable       *cancellable,
                 GError            **error)
{
  g_auto(Ecomv2Response) response = { 0 };
  g_autofree char *escaped = g_uri_escape_string (product_id, NULL, TRUE);
  g_autofree char *path = g_strconcat ("/inventory/", escaped, NULL);

  if (!ecomv2_http_call (self, "GET", path, NULL, &response, cancellable, error))
    return FALSE;
  if (!ecomv2_parse_inventory_warehouses (response.root, out, error))
    {
      ecomv2_attach_exchange (error, &response);
      return FALSE;
    }
  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
new_list (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

/* Writes the variant mappings in one transaction; a mapping already right
 * is left alone so its last_hash (what was last sent) survives. */
static gboolean
store_variant_mappings (CpEcomv2Connector  *self,
                        CpLedger           *ledger,
                        RemoteCatalog      *catalog,
                        CpMappingReport    *report,
                        GError            **error)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autoptr(GHashTable) local_skus = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;
  int rc;

  stmt = cp_ledger_prepare (ledger, "SELECT id, sku FROM variants ORDER BY sku", error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the catalog"), error)) == SQLITE_ROW)
    {
      g_autofree char *local_id = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0));
      const char *sku = (const char *) sqlite3_column_text (stmt, 1);
      const char *remote_id;
      g_autofree char *current = NULL;

      g_hash_table_add (local_skus, g_strdup (sku));
      current = cp_integrations_get_remote_id (ledger, self->integration_id, ECOMV2_KIND_VARIANT,
                                               local_id, error);
      if (current == NULL && error != NULL && *error != NULL)
        return FALSE;

      if (g_hash_table_contains (catalog->duplicates, sku))
        {
          /* Which of two products is ours? A person decides; until then
           * nothing is sent to either. */
          g_ptr_array_add (report->duplicates, g_strdup (sku));
          if (current != NULL &&
              !cp_integrations_clear_mapping (ledger, self->integration_id, ECOMV2_KIND_VARIANT,
                                              local_id, error))
            return FALSE;
          continue;
        }
      remote_id = g_hash_table_lookup (catalog->by_sku, sku);
      if (remote_id == NULL)
        {
          g_ptr_array_add (report->unmatched_local, g_strdup (sku));
          if (current != NULL &&
              !cp_integrations_clear_mapping (ledger, self->integration_id, ECOMV2_KIND_VARIANT,
                                              local_id, error))
            return FALSE;
          continue;
        }
      g_ptr_array_add (report->matched, g_strdup (sku));
      if (g_strcmp0 (current, remote_id) != 0 &&
          !cp_integrations_set_mapping (ledger, self->integration_id, ECOMV2_KIND_VARIANT,
                                        local_id, remote_id, NULL, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return FALSE;

  g_hash_table_iter_init (&iter, catalog->by_sku);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (local_skus, key))
      g_ptr_array_add (report->unmatched_remote, g_strdup (key));
  g_hash_table_iter_init (&iter, catalog->duplicates);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (local_skus, key))
      g_ptr_array_add (report->duplicates, g_strdup (key));
  return TRUE;
}

/* With one location here, it stands for the store's first warehouse
 * unless someone mapped it already (CLI.md: "with one location on each
 * side the mapping is made automatically"; the seed's batch update
 * defaults to the first warehouse likewise). */
static gboolean
store_location_mapping (CpEcomv2Connector  *self,
                        CpLedger           *ledger,
                        GPtrArray          *warehouses,
                        GError            **error)
{
  g_autoptr(CpSqlStmt) stmt = NULL;
  g_autofree char *code = NULL;
  g_autofree char *current = NULL;

  if (warehouses->len == 0 || cp_sql_query_int (ledger, "SELECT count(*) FROM locations", 0) != 1)
    return TRUE;

  stmt = cp_ledger_prepare (ledger, "SELECT code FROM locations", error);
  if (stmt == NULL)
    return FALSE;
  if (cp_sql_step (ledger, stmt, _("Could not read the locations"), error) != SQLITE_ROW)
    return error == NULL || *error == NULL;
  code = cp_sql_dup_text (stmt, 0);

  current = cp_integrations_get_remote_id (ledger, self->integration_id, ECOMV2_KIND_LOCATION, code, error);
  if (current != NULL)
    return TRUE;
  if (error != NULL && *error != NULL)
    return FALSE;
  return cp_integrations_set_mapping (ledger, self->integration_id, ECOMV2_KIND_LOCATION, code,
                                      g_ptr_array_index (warehouses, 0), NULL, error);
}

CpMappingReport *
ecomv2_refresh_mappings (CpConnector   *connector,
                         CpLedger      *ledger,
                         GCancellable  *cancellable,
                         GError       **error)
{
  CpEcomv2Connector *self = CP_ECOMV2_CONNECTOR (connector);
  g_autoptr(CpMappingReport) report = g_new0 (CpMappingReport, 1);
  g_auto(RemoteCatalog) catalog = { 0 };
  g_autoptr(GPtrArray) warehouses = new_list ();

  report->matched = new_list ();
  report->unmatched_local = new_list ();
  report->unmatched_remote = new_list ();
  report->duplicates = new_list ();

  if (!list_remote_products (self, &catalog, cancellable, error))
    return NULL;
  if (catalog.first_id != NULL &&
      !list_warehouses (self, catalog.first_id, warehouses, cancellable, error))
    return NULL;

  if (!cp_ledger_begin (ledger, error))
    return NULL;
  if (!store_variant_mappings (self, ledger, &catalog, report, error) ||
      !store_location_mapping (self, ledger, warehouses, error) ||
      !cp_ledger_commit (ledger, error))
    {
      if (cp_ledger_in_transaction (ledger))
        cp_ledger_rollback (ledger);
      return NULL;
    }

  self->mapped_once = TRUE;
  g_clear_pointer (&self->sku_by_product, g_hash_table_unref);
  self->sku_by_product = g_steal_pointer (&catalog.sku_by_product);
  g_ptr_array_sort (report->matched, compare_strings);
  g_ptr_array_sort (report->unmatched_local, compare_strings);
  g_ptr_array_sort (report->unmatched_remote, compare_strings);
  g_ptr_array_sort (report->duplicates, compare_strings);
  report->locations = g_steal_pointer (&warehouses);
  return g_steal_pointer (&report);
}

/* ---- Orders ------------------------------------------------------------ */

/* The pull cursor: {"watermark": µs} between pulls; a page cursor adds
 * where an interrupted pull goes on ({"page": n} or {"cursor": "…"}) and
 * the newest update it had seen, so the resumed pull ends with the same
 * watermark as an uninterrupted one. */
typedef struct
{
  gint64  watermark;   /* 0: none, a full pull */
  gint64  max_seen;
  guint   page;        /* the next page to read, from 1 */
  char   *cursor;      /* or the platform's cursor for it */
} PullState;

static void
pull_state_clear (PullState *state)
{
  g_clear_pointer (&state->cursor, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PullState, pull_state_clear)

static gboolean
get_cursor_int (JsonObject *obj,
                const char *member,
                gint64     *out)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
parse_pull_cursor (const char  *text,
                   PullState   *state,
                   GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj;
  JsonNode *cursor;
  gint64 page = 1;

  state->page = 1;
  if (text == NULL || *text == '\0')
    return TRUE;

  root = ecomv2_parse_json (text, strlen (text), NULL);
  obj = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  cursor = obj != NULL ? json_object_get_member (obj, "cursor") : NULL;
  if (obj == NULL ||
      !get_cursor_int (obj, "watermark", &state->watermark) ||
      !get_cursor_int (obj, "max_seen", &state->max_seen) ||
      !get_cursor_int (obj, "page", &page) || page < 1 || page > MAX_PAGES ||
      (cursor != NULL && json_node_get_value_type (cursor) != G_TYPE_STRING))
    {
      cp_connector_set_error (error, CP_CONNECTOR_ERROR_CONFIG, 0, NULL,
                              _("The saved position of the order download is damaged. "
                                "Run a full sync to read every order again."));
      return FALSE;
    }
  state->page = (guint) page;
  state->cursor = cursor != NULL ? g_strdup (json_node_get_string (cursor)) : NULL;
  return TRUE;
}

static char *
format_pull_cursor (gint64      watermark,
                    gint64      max_seen,
                    guint       page,
                    const char *cursor)
{
  GString *out = g_string_new ("{\"watermark\":");

  g_string_append_printf (out, "%" G_GINT64_FORMAT, watermark);
  if (page > 0 || cursor != NULL)
    {
      g_string_append_printf (out, ",\"max_seen\":%" G_GINT64_FORMAT, max_seen);
      if (cursor != NULL)
        {
          g_string_append (out, ",\"cursor\":");
          cp_connector_json_append_string (out, cursor);
        }
      else
        g_string_append_printf (out, ",\"page\":%u", page);
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

typedef struct
{
  CpEcomv2Connector *self;
  CpOrderSink        sink;
  gpointer           sink_data;
  GCancellable      *cancellable;
  gint64             watermark;   /* the pull's starting watermark, for page cursors */
  gint64             max_seen;
  gboolean           catalog_loaded;
  gboolean           stopped;     /* the sink asked to stop */
} Pull;

/* One page of orders as read and parsed, before the pull looks at it. */
typedef struct
{
  Ecomv2Response  response;
  Ecomv2Page      page;
  GPtrArray      *orders;       /* CpOrder */
  GArray         *updated_at;   /* gint64, one per order */
  gboolean        missing_sku;
} OrdersPage;

static void
orders_page_free (OrdersPage *page)
{
  ecomv2_response_clear (&page->response);
  ecomv2_page_clear (&page->page);
  g_clear_pointer (&page->orders, g_ptr_array_unref);
  g_clear_pointer (&page->updated_at, g_array_unref);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdersPage, orders_page_free)

/* Reads and parses the page at PATH. Runs on the engine's worker or, for
 * the page after the one being stored, on the prefetch thread: it reads
 * the connector (its session, key, limiter and SKU map) and writes
 * nothing of it, and the worker changes none of it meanwhile (the
 * catalog is only ever loaded between pages). */
static OrdersPage *
fetch_orders_page (CpEcomv2Connector  *self,
                   const char         *path,
                   GCancellable       *cancellable,
                   GError            **error)
{
  g_autoptr(OrdersPage) page = g_new0 (OrdersPage, 1);

  page->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_order_free);
  page->updated_at = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (!ecomv2_http_call (self, "GET", path, NULL, &page->response, cancellable, error))
    return NULL;
  if (!ecomv2_parse_orders_page (page->response.root, self->integration_id, self->sku_by_product,
                                 &page->missing_sku, page->orders, page->updated_at,
                                 &page->page, error))
    {
      ecomv2_attach_exchange (error, &page->response);
      return NULL;
    }
  /* The parsed tree is read again only to learn SKUs from the catalog;
   * otherwise it goes here, on the prefetch thread: freeing a page's
   * thousands of JSON nodes took an eighth of the worker's time. */
  if (!page->missing_sku)
    ecomv2_response_clear (&page->response);
  return g_steal_pointer (&page);
}

static gpointer
fetch_ahead (GObject             *connector,
             const char * const  *args,
             GCancellable        *cancellable,
             GError             **error)
{
  return fetch_orders_page (CP_ECOMV2_CONNECTOR (connector), args[0], cancellable, error);
}

/* Reads pages from PAGE (or the platform's CURSOR) on, newest first,
 * down to STOP_AT, into the sink. With EMIT_CURSORS each page carries
 * the page cursor that resumes after it. While the sink stores a page,
 * the next one is already being read (cp-connector-prefetch.h). */
static gboolean
pull_pass (Pull        *pull,
           guint        page_number,
           const char  *cursor,
           gint64       stop_at,
           gboolean     emit_cursors,
           GError     **error)
{
  CpEcomv2Connector *self = pull->self;
  g_autofree char *base = g_strdup_printf ("/orders?sort=-updated_at&limit=%u", self->page_size);
  g_autofree char *next_cursor = g_strdup (cursor);
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(OrdersPage) fetched = NULL;

  next_page_path (path, base, page_number, next_cursor);
  fetched = fetch_orders_page (self, path->str, pull->cancellable, error);
  if (fetched == NULL)
    return FALSE;

  for (guint n_pages = 0; n_pages < MAX_PAGES; n_pages++)
    {
      g_autoptr(OrdersPage) current = g_steal_pointer (&fetched);
      CpConnectorPrefetch *ahead = NULL;
      GPtrArray *orders = current->orders;
      g_autofree char *page_cursor = NULL;
      gboolean reached_watermark = FALSE;
      gboolean stored;
      guint kept = 0;

      if (current->missing_sku && !pull->catalog_loaded)
        {
          /* Lines that name a product but no SKU: learn the catalog once
           * and read the page again. */
          pull->catalog_loaded = TRUE;
          if (!ecomv2_load_catalog (self, pull->cancellable, error))
            return FALSE;
          g_ptr_array_set_size (orders, 0);
          g_array_set_size (current->updated_at, 0);
          ecomv2_page_clear (&current->page);
          if (!ecomv2_parse_orders_page (current->response.root, self->integration_id,
                                         self->sku_by_product, NULL, orders,
                                         current->updated_at, &current->page, error))
            {
              ecomv2_attach_exchange (error, &current->response);
              return FALSE;
            }
        }

      /* Newest first: everything from the first order older than the
       * watermark (less the overlap) on was read by an earlier pull. */
      for (guint i = 0; i < orders->len; i++)
        {
          gint64 at = g_array_index (current->updated_at, gint64, i);
          CpOrder *order = orders->pdata[i];

          orders->pdata[i] = NULL;
          if (at < stop_at)
            {
              reached_watermark = TRUE;
              cp_order_free (order);
              continue;
            }
          pull->max_seen = MAX (pull->max_seen, at);
          orders->pdata[kept++] = order;
        }
      g_ptr_array_set_size (orders, kept);

      if (current->page.has_next && !reached_watermark && orders->len > 0)
        {
          page_number++;
          g_free (next_cursor);
          next_cursor = g_steal_pointer (&current->page.next_cursor);
          if (emit_cursors)
            page_cursor = format_pull_cursor (pull->watermark, pull->max_seen,
                                              page_number, next_cursor);
          next_page_path (path, base, page_number, next_cursor);
          {
            const char *args[] = { path->str, NULL };

            ahead = cp_connector_prefetch_start (G_OBJECT (self), fetch_ahead,
                                                 g_strdupv ((GStrv) args), pull->cancellable);
          }
        }

      stored = (orders->len == 0 && page_cursor == NULL) ||
               pull->sink (orders, page_cursor, pull->sink_data, error);
      if (!stored)
        {
          cp_connector_prefetch_discard (ahead, (GDestroyNotify) orders_page_free);
          if (error != NULL && *error != NULL)
            return FALSE;
          pull->stopped = TRUE;
          return TRUE;
        }
      if (ahead == NULL)
        return TRUE;
      fetched = cp_connector_prefetch_finish (ahead, error);
      if (fetched == NULL)
        return FALSE;
    }
  return TRUE;
}

gboolean
ecomv2_pull_orders (CpConnector   *connector,
                    const char    *cursor_text,
                    CpOrderSink    sink,
                    gpointer       sink_data,
                    char         **out_cursor,
                    GCancellable  *cancellable,
                    GError       **error)
{
  CpEcomv2Connector *self = CP_ECOMV2_CONNECTOR (connector);
  g_auto(PullState) state = { 0 };
  Pull pull = { self, sink, sink_data, cancellable, 0, 0, self->sku_by_product != NULL, FALSE };
  gboolean resumed = cursor_text != NULL && (strstr (cursor_text, "\"page\"") != NULL ||
                                             strstr (cursor_text, "\"cursor\"") != NULL);
  gint64 stop_at = G_MININT64;

  if (!parse_pull_cursor (cursor_text, &state, error))
    return FALSE;
  if (state.watermark > 0)
    stop_at = state.watermark - CP_ECOMV2_PULL_OVERLAP_US;
  pull.watermark = state.watermark;
  pull.max_seen = MAX (state.max_seen, state.watermark);

  if (resumed)
    {
      /* An interrupted pull goes on where it stopped, but first reads
       * what changed since it read its first page: those orders moved to
       * the front, before the pages it already has, and a pull that
       * completes must have every order placed before it began. No page
       * cursor from this pass: interrupted, it starts over. */
      gint64 catch_up = state.max_seen > 0 ? state.max_seen - CP_ECOMV2_PULL_OVERLAP_US : G_MININT64;

      if (!pull_pass (&pull, 1, NULL, MAX (catch_up, stop_at), FALSE, error))
        return FALSE;
      if (!pull.stopped &&
          !pull_pass (&pull, state.page, state.cursor, stop_at, TRUE, error))
        return FALSE;
    }
  else if (!pull_pass (&pull, 1, NULL, stop_at, TRUE, error))
    return FALSE;

  /* Stopped without an error: nothing more this time, and the watermark
   * stays where it was (older orders were not read). */
  if (!pull.stopped && pull.max_seen > 0)
    *out_cursor = format_pull_cursor (pull.max_seen, 0, 0, NULL);
  return TRUE;
}
