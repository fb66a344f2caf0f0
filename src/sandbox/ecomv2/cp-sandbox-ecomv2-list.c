/* cp-sandbox-ecomv2-list.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ecomv2 list endpoints and their two pagination modes, as the seed's
 * "Pagination" section documents them: page/limit with a pagination object
 * of totals, or an opaque cursor with next_cursor/has_more. A request with
 * a `cursor` parameter (empty for the first page) gets cursor pagination.
 * Cursors name the last item's sort key and id, so a page boundary stays
 * put when items before it change.
 */

#define G_LOG_DOMAIN "cp-sandbox-ecomv2"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cp-sandbox-ecomv2-private.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 200

typedef struct
{
  char     *key;    /* the sort field, as a string that sorts the same way */
  guint     id;
  gpointer  item;
} Entry;

/* Filtered views of one sorted index kept at most: each holds 4 bytes an
 * item, and a client asks for a handful of filters, not hundreds. */
#define MAX_VIEWS 16

/* The whole collection sorted one way, kept until the store changes: a
 * pull of 100,000 orders 200 at a time must not sort them 500 times, nor
 * test each of them against the filters on every page to count the
 * totals, so the items a filter keeps are kept with it. */
typedef struct
{
  gint64      version;
  GArray     *entries;  /* Entry */
  GHashTable *views;    /* filter key → GArray of guint, positions in entries */
} SortedIndex;

void
ecomv2_sorted_index_free (gpointer data)
{
  SortedIndex *index = data;

  g_array_unref (index->entries);
  g_hash_table_unref (index->views);
  g_free (index);
}

static void
entry_clear (Entry *e)
{
  g_free (e->key);
}

static int
compare_keys (const char *key_a,
              guint       id_a,
              const char *key_b,
              guint       id_b,
              gboolean    descending)
{
  int c = strcmp (key_a, key_b);

  if (c == 0)
    c = id_a < id_b ? -1 : id_a > id_b ? 1 : 0;
  return descending ? -c : c;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b,
                 gpointer      data)
{
  const Entry *ea = a, *eb = b;

  return compare_keys (ea->key, ea->id, eb->key, eb->id, GPOINTER_TO_INT (data));
}

static char *
time_key (gint64 us)
{
  return g_strdup_printf ("%020" G_GINT64_FORMAT, us);
}

/* "sort=price&order=desc" (the Products API) or "sort=-updated_at" (the
 * seed's Sorting section). Returns the field, or NULL after answering 400. */
static const char *
parse_sort (Ecomv2Request       *r,
            const char * const  *allowed,
            gboolean            *out_descending)
{
  const char *sort = g_hash_table_lookup (r->query, "sort");
  const char *order = g_hash_table_lookup (r->query, "order");

  *out_descending = FALSE;
  if (sort == NULL || *sort == '\0')
    sort = "created_at";
  if (sort[0] == '-')
    {
      *out_descending = TRUE;
      sort++;
    }
  if (order != NULL)
    {
      if (g_str_equal (order, "desc"))
        *out_descending = TRUE;
      else if (!g_str_equal (order, "asc"))
        {
          ecomv2_error (r, SOUP_STATUS_BAD_REQUEST, "validation_error",
                        "Invalid sort order", "order", "Must be asc or desc");
          return NULL;
        }
    }
  if (!g_strv_contains (allowed, sort))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) allowed);
      g_autofree char *message = g_strdup_printf ("Must be one of %s", list);

      ecomv2_error (r, SOUP_STATUS_BAD_REQUEST, "validation_error",
                    "Invalid sort field", "sort", message);
      return NULL;
    }
  return sort;
}

static gboolean
parse_positive (Ecomv2Request *r,
                const char    *name,
                guint          fallback,
                guint          max,
                guint         *out)
{
  const char *text = g_hash_table_lookup (r->query, name);
  guint64 n = fallback;

  if (text != NULL && !g_ascii_string_to_unsigned (text, 10, 1, max, &n, NULL))
    {
      g_autofree char *message = g_strdup_printf ("Must be a whole number from 1 to %u", max);

      ecomv2_error (r, SOUP_STATUS_BAD_REQUEST, "validation_error",
                    "Invalid pagination parameter", name, message);
      return FALSE;
    }
  *out = (guint) n;
  return TRUE;
}

static char *
encode_cursor (const Entry *e)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, e->id);
  json_builder_set_member_name (b, "k");
  json_builder_add_string_value (b, e->key);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);
  return g_base64_encode ((const guchar *) json, strlen (json));
}

static gboolean
decode_cursor (const char  *cursor,
               guint       *out_id,
               char       **out_key)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree guchar *raw = NULL;
  g_autofree char *json = NULL;
  gsize len = 0;
  JsonNode *root;
  JsonObject *obj;

  raw = g_base64_decode (cursor, &len);
  if (raw == NULL || len == 0)
    return FALSE;
  json = g_strndup ((const char *) raw, len);
  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  obj = json_node_get_object (root);
  if (!json_object_has_member (obj, "id") || !json_object_has_member (obj, "k"))
    return FALSE;
  *out_id = (guint) json_object_get_int_member (obj, "id");
  *out_key = g_strdup (json_object_get_string_member (obj, "k"));
  return *out_key != NULL;
}

typedef void (*WriteItem) (CpSandboxJson *w, gpointer item);
typedef gboolean (*KeepFunc) (gpointer item, gpointer data);

/* The items of INDEX a filter keeps, in order: everything when FILTER_KEY
 * is NULL (returns NULL then), else the positions KEEP accepts, worked
 * out once per filter until the store changes. */
static GArray *
get_view (SortedIndex *index,
          const char  *filter_key,
          KeepFunc     keep,
          gpointer     keep_data)
{
  GArray *view;

  if (filter_key == NULL)
    return NULL;
  view = g_hash_table_lookup (index->views, filter_key);
  if (view != NULL)
    return view;

  view = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < index->entries->len; i++)
    if (keep (g_array_index (index->entries, Entry, i).item, keep_data))
      g_array_append_val (view, i);
  if (g_hash_table_size (index->views) >= MAX_VIEWS)
    g_hash_table_remove_all (index->views);
  g_hash_table_insert (index->views, g_strdup (filter_key), view);
  return view;
}

static inline const Entry *
view_get (GArray *entries,
          GArray *view,
          guint   i)
{
  return &g_array_index (entries, Entry, view != NULL ? g_array_index (view, guint, i) : i);
}

/* One page of INDEX's items that the filter keeps (see get_view), as
 * either pagination mode answers. Either costs a page, not the
 * collection: a cursor page starts by binary search, a numbered page is
 * a slice of the filter's view. */
static void
respond_page (Ecomv2Request *r,
              SortedIndex   *index,
              gboolean       descending,
              const char    *filter_key,
              KeepFunc       keep,
              gpointer       keep_data,
              WriteItem      write_item)
{
  const char *cursor = g_hash_table_lookup (r->query, "cursor");
  gboolean cursor_mode = g_hash_table_contains (r->query, "cursor");
  GArray *entries = index->entries;
  GArray *view;
  GString *body;
  CpSandboxJson w;
  gboolean more;
  guint limit, page = 1, n_items;
  guint64 first = 0, n_matching;

  if (!parse_positive (r, "limit", DEFAULT_LIMIT, MAX_LIMIT, &limit))
    return;
  if (!cursor_mode && !parse_positive (r, "page", 1, G_MAXINT, &page))
    return;

  view = get_view (index, filter_key, keep, keep_data);
  n_matching = view != NULL ? view->len : entries->len;

  if (cursor_mode && cursor != NULL && *cursor != '\0')
    {
      g_autofree char *key = NULL;
      guint id = 0, lo = 0, hi = (guint) n_matching;

      if (!decode_cursor (cursor, &id, &key))
        {
          ecomv2_error (r, SOUP_STATUS_BAD_REQUEST, "validation_error",
                        "Invalid cursor", "cursor",
                        "Pass back the next_cursor of the previous page unchanged");
          return;
        }
      /* the first entry after the cursor's */
      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          const Entry *e = view_get (entries, view, mid);

          if (compare_keys (e->key, e->id, key, id, descending) > 0)
            hi = mid;
          else
            lo = mid + 1;
        }
      first = lo;
    }
  else if (!cursor_mode)
    first = (guint64) (page - 1) * limit;

  n_items = first < n_matching ? (guint) MIN (n_matching - first, limit) : 0;
  more = n_matching > first + limit;

  body = g_string_sized_new (512 + (gsize) n_items * 768);
  cp_sandbox_json_init (&w, body);
  cp_sandbox_json_begin_object (&w);
  cp_sandbox_json_member (&w, "data");
  cp_sandbox_json_begin_array (&w);
  for (guint i = 0; i < n_items; i++)
    write_item (&w, view_get (entries, view, (guint) first + i)->item);
  cp_sandbox_json_end_array (&w);

  cp_sandbox_json_member (&w, "pagination");
  cp_sandbox_json_begin_object (&w);
  if (cursor_mode)
    {
      cp_sandbox_json_member (&w, "next_cursor");
      if (more)
        {
          g_autofree char *next = encode_cursor (view_get (entries, view,
                                                           (guint) first + n_items - 1));

          cp_sandbox_json_string (&w, next);
        }
      else
        cp_sandbox_json_null (&w);
      cp_sandbox_json_member (&w, "has_more");
      cp_sandbox_json_boolean (&w, more);
    }
  else
    {
      cp_sandbox_json_member_int (&w, "page", page);
      cp_sandbox_json_member_int (&w, "limit", limit);
      cp_sandbox_json_member_int (&w, "total_pages", (n_matching + limit - 1) / limit);
      cp_sandbox_json_member_int (&w, "total_items", n_matching);
      cp_sandbox_json_member (&w, "has_next");
      cp_sandbox_json_boolean (&w, more);
      cp_sandbox_json_member (&w, "has_previous");
      cp_sandbox_json_boolean (&w, page > 1);
    }
  cp_sandbox_json_end_object (&w);
  cp_sandbox_json_end_object (&w);

  ecomv2_respond_text (r, SOUP_STATUS_OK, body);
}

/* A part of a filter key: NULL and every string apart, whatever the
 * strings hold. */
static void
append_key_part (GString    *key,
                 const char *value)
{
  if (value == NULL)
    g_string_append (key, "-;");
  else
    g_string_append_printf (key, "+%zu:%s;", strlen (value), value);
}

typedef char *(*KeyFunc) (gpointer item, const char *field, guint *out_id);

/* COLLECTION sorted by FIELD, from the cache when the store has not
 * changed since (every change moves the store's clock). */
static SortedIndex *
get_sorted (Ecomv2Store *store,
            const char  *collection,
            GPtrArray   *items,
            const char  *field,
            gboolean     descending,
            KeyFunc      key_func)
{
  g_autofree char *cache_key = g_strdup_printf ("%s:%s:%d", collection, field, descending);
  SortedIndex *index = g_hash_table_lookup (store->sorted, cache_key);

  if (index != NULL && index->version == store->clock && index->entries->len == items->len)
    return index;

  index = g_new0 (SortedIndex, 1);
  index->version = store->clock;
  index->views = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_array_unref);
  index->entries = g_array_sized_new (FALSE, FALSE, sizeof (Entry), items->len);
  g_array_set_clear_func (index->entries, (GDestroyNotify) entry_clear);
  for (guint i = 0; i < items->len; i++)
    {
      Entry e = { NULL, 0, g_ptr_array_index (items, i) };

      e.key = key_func (e.item, field, &e.id);
      g_array_append_val (index->entries, e);
    }
  g_array_sort_with_data (index->entries, compare_entries, GINT_TO_POINTER (descending));
  g_hash_table_replace (store->sorted, g_steal_pointer (&cache_key), index);
  return index;
}

static char *
product_key (gpointer    item,
             const char *field,
             guint      *out_id)
{
  Ecomv2Product *p = item;

  *out_id = p->id;
  if (g_str_equal (field, "updated_at"))
    return time_key (p->updated_at);
  if (g_str_equal (field, "name"))
    return g_strdup (p->name);
  if (g_str_equal (field, "price"))
    return time_key (p->price_minor);
  return time_key (p->created_at);
}

static char *
order_key (gpointer    item,
           const char *field,
           guint      *out_id)
{
  Ecomv2Order *o = item;

  *out_id = o->id;
  return time_key (g_str_equal (field, "updated_at") ? o->updated_at : o->created_at);
}

static void
write_product_item (CpSandboxJson *w,
                    gpointer       item)
{
  ecomv2_write_product (w, item);
}

static void
write_order_item (CpSandboxJson *w,
                  gpointer       item)
{
  ecomv2_write_order (w, item);
}

typedef struct
{
  const char *status;
  const char *category;
  char       *search;   /* casefolded */
} ProductFilter;

static gboolean
keep_product (gpointer item,
              gpointer data)
{
  Ecomv2Product *p = item;
  ProductFilter *f = data;

  if (f->status != NULL && !g_str_equal (p->status, f->status))
    return FALSE;
  if (f->category != NULL && !g_str_equal (p->category, f->category))
    return FALSE;
  if (f->search != NULL)
    {
      g_autofree char *name = g_utf8_casefold (p->name, -1);
      g_autofree char *sku = g_utf8_casefold (p->sku, -1);

      return strstr (name, f->search) != NULL || strstr (sku, f->search) != NULL;
    }
  return TRUE;
}

void
ecomv2_products_list (Ecomv2Request *r)
{
  static const char * const fields[] = { "created_at", "updated_at", "name", "price", NULL };
  const char *search = g_hash_table_lookup (r->query, "search");
  ProductFilter filter = { 0 };
  g_autofree char *folded = NULL;
  g_autoptr(GString) filter_key = NULL;
  gboolean descending = FALSE;
  const char *sort;
  SortedIndex *sorted;

  filter.status = g_hash_table_lookup (r->query, "status");
  filter.category = g_hash_table_lookup (r->query, "category");
  if (search != NULL)
    filter.search = folded = g_utf8_casefold (search, -1);

  if (filter.status != NULL &&
      !g_strv_contains ((const char * const[]) { "active", "draft", "archived", NULL }, filter.status))
    {
      ecomv2_error (r, SOUP_STATUS_BAD_REQUEST, "validation_error", "Invalid status filter",
                    "status", "Must be active, draft or archived");
      return;
    }
  sort = parse_sort (r, fields, &descending);
  if (sort == NULL)
    return;

  if (filter.status != NULL || filter.category != NULL || filter.search != NULL)
    {
      filter_key = g_string_new (NULL);
      append_key_part (filter_key, filter.status);
      append_key_part (filter_key, filter.category);
      append_key_part (filter_key, filter.search);
    }

  sorted = get_sorted (r->store, "products", r->store->products, sort, descending, product_key);
  respond_page (r, sorted, descending, filter_key ? filter_key->str : NULL,
                keep_product, &filter, write_product_item);
}

/* "2026-06-01" or a full ISO 8601 time; a bare date as date_to includes
 * that whole day. */
static gboolean
parse_date (const char *text,
            gboolean    end_of_day,
            gint64     *out_us)
{
  g_autoptr(GDateTime) dt = NULL;

  if (strlen (text) == 10)
    {
      g_autofree char *full = g_strconcat (text, "T00:00:00Z", NULL);

      dt = g_date_time_new_from_iso8601 (full, NULL);
      if (dt != NULL && end_of_day)
        {
          *out_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC + (gint64) 86400 * G_USEC_PER_SEC - 1;
          return TRUE;
        }
    }
  else
    dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    return FALSE;
  *out_us = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

typedef struct
{
  gint64      from;
  gint64      to;
  const char *want[4];   /* status, customer_id, payment_status, fulfillment_status */
} OrderFilter;

static gboolean
keep_order (gpointer item,
            gpointer data)
{
  Ecomv2Order *o = item;
  OrderFilter *f = data;
  const char *values[4] = { o->status, o->customer_id, o->payment_status, o->fulfillment_status };

  if (o->created_at < f->from || o->created_at > f->to)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    if (f->want[i] != NULL && !g_str_equal (f->want[i], values[i]))
      return FALSE;
  return TRUE;
}

void
ecomv2_orders_list (Ecomv2Request *r)
{
  static const char * const fields[] = { "created_at", "updated_at", NULL };
  static const char * const filters[] = { "status", "customer_id", "payment_status", "fulfillment_status" };
  const char *date_from = g_hash_table_lookup (r->query, "date_from");
  const char *date_to = g_hash_table_lookup (r->query, "date_to");
  OrderFilter filter = { G_MININT64, G_MAXINT64, { NULL } };
  g_autoptr(GString) filter_key = NULL;
  gboolean descending = FALSE;
  const char *sort;
  SortedIndex *sorted;

  if (date_from != NULL && !parse_date (date_from, FALSE, &filter.from))
    {
      ecomv2_error (r, SOUP_STATUS_BAD_REQUEST, "validation_error", "Invalid date filter",
                    "date_from", "Must be a date (2026-06-01) or an ISO 8601 time");
      return;
    }
  if (date_to != NULL && !parse_date (date_to, TRUE, &filter.to))
    {
      ecomv2_error (r, SOUP_STATUS_BAD_REQUEST, "validation_error", "Invalid date filter",
                    "date_to", "Must be a date (2026-06-01) or an ISO 8601 time");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    filter.want[i] = g_hash_table_lookup (r->query, filters[i]);
  sort = parse_sort (r, fields, &descending);
  if (sort == NULL)
    return;

  if (date_from != NULL || date_to != NULL ||
      filter.want[0] != NULL || filter.want[1] != NULL ||
      filter.want[2] != NULL || filter.want[3] != NULL)
    {
      filter_key = g_string_new (NULL);
      g_string_append_printf (filter_key, "%" G_GINT64_FORMAT ";%" G_GINT64_FORMAT ";",
                              filter.from, filter.to);
      for (guint i = 0; i < G_N_ELEMENTS (filter.want); i++)
        append_key_part (filter_key, filter.want[i]);
    }

  sorted = get_sorted (r->store, "orders", r->store->orders, sort, descending, order_key);
  respond_page (r, sorted, descending, filter_key ? filter_key->str : NULL,
                keep_order, &filter, write_order_item);
}
