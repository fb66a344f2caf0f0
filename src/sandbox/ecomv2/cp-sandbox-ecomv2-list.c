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

typedef struct
{
  GArray   *entries;   /* Entry */
  gboolean  descending;
} List;

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

typedef void (*AddItem) (JsonBuilder *b, gpointer item);

static void
respond_page (Ecomv2Request *r,
              List          *list,
              AddItem        add_item)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GArray *entries = list->entries;
  const char *cursor = g_hash_table_lookup (r->query, "cursor");
  gboolean cursor_mode = g_hash_table_contains (r->query, "cursor");
  guint limit, page = 1, start = 0, end;

  if (!parse_positive (r, "limit", DEFAULT_LIMIT, MAX_LIMIT, &limit))
    return;
  if (!cursor_mode && !parse_positive (r, "page", 1, G_MAXINT, &page))
    return;

  g_array_sort_with_data (entries, compare_entries, GINT_TO_POINTER (list->descending));

  if (cursor_mode && cursor != NULL && *cursor != '\0')
    {
      g_autofree char *key = NULL;
      guint id = 0;

      if (!decode_cursor (cursor, &id, &key))
        {
          ecomv2_error (r, SOUP_STATUS_BAD_REQUEST, "validation_error",
                        "Invalid cursor", "cursor",
                        "Pass back the next_cursor of the previous page unchanged");
          return;
        }
      while (start < entries->len)
        {
          const Entry *e = &g_array_index (entries, Entry, start);

          if (compare_keys (e->key, e->id, key, id, list->descending) > 0)
            break;
          start++;
        }
    }
  else if (!cursor_mode)
    start = (guint) MIN ((guint64) (page - 1) * limit, entries->len);

  end = MIN (start + limit, entries->len);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "data");
  json_builder_begin_array (b);
  for (guint i = start; i < end; i++)
    add_item (b, g_array_index (entries, Entry, i).item);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "pagination");
  json_builder_begin_object (b);
  if (cursor_mode)
    {
      json_builder_set_member_name (b, "next_cursor");
      if (end < entries->len && end > start)
        {
          g_autofree char *next = encode_cursor (&g_array_index (entries, Entry, end - 1));

          json_builder_add_string_value (b, next);
        }
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "has_more");
      json_builder_add_boolean_value (b, end < entries->len);
    }
  else
    {
      json_builder_set_member_name (b, "page");
      json_builder_add_int_value (b, page);
      json_builder_set_member_name (b, "limit");
      json_builder_add_int_value (b, limit);
      json_builder_set_member_name (b, "total_pages");
      json_builder_add_int_value (b, (entries->len + limit - 1) / limit);
      json_builder_set_member_name (b, "total_items");
      json_builder_add_int_value (b, entries->len);
      json_builder_set_member_name (b, "has_next");
      json_builder_add_boolean_value (b, end < entries->len);
      json_builder_set_member_name (b, "has_previous");
      json_builder_add_boolean_value (b, page > 1);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);

  ecomv2_respond (r, SOUP_STATUS_OK, b);
}

static void
list_add (List     *list,
          char     *key,
          guint     id,
          gpointer  item)
{
  Entry e = { key, id, item };

  g_array_append_val (list->entries, e);
}

static void
add_product_item (JsonBuilder *b,
                  gpointer     item)
{
  ecomv2_add_product (b, item);
}

static void
add_order_item (JsonBuilder *b,
                gpointer     item)
{
  ecomv2_add_order (b, item);
}

static gboolean
matches_search (Ecomv2Product *p,
                const char    *search)
{
  g_autofree char *needle = g_utf8_casefold (search, -1);
  g_autofree char *name = g_utf8_casefold (p->name, -1);
  g_autofree char *sku = g_utf8_casefold (p->sku, -1);

  return strstr (name, needle) != NULL || strstr (sku, needle) != NULL;
}

void
ecomv2_products_list (Ecomv2Request *r)
{
  static const char * const fields[] = { "created_at", "updated_at", "name", "price", NULL };
  const char *status = g_hash_table_lookup (r->query, "status");
  const char *category = g_hash_table_lookup (r->query, "category");
  const char *search = g_hash_table_lookup (r->query, "search");
  List list = { NULL, FALSE };
  const char *sort;

  if (status != NULL && !g_strv_contains ((const char * const[]) { "active", "draft", "archived", NULL }, status))
    {
      ecomv2_error (r, SOUP_STATUS_BAD_REQUEST, "validation_error", "Invalid status filter",
                    "status", "Must be active, draft or archived");
      return;
    }
  sort = parse_sort (r, fields, &list.descending);
  if (sort == NULL)
    return;

  list.entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_array_set_clear_func (list.entries, (GDestroyNotify) entry_clear);

  for (guint i = 0; i < r->store->products->len; i++)
    {
      Ecomv2Product *p = g_ptr_array_index (r->store->products, i);
      char *key;

      if (status != NULL && !g_str_equal (p->status, status))
        continue;
      if (category != NULL && !g_str_equal (p->category, category))
        continue;
      if (search != NULL && !matches_search (p, search))
        continue;

      if (g_str_equal (sort, "updated_at"))
        key = time_key (p->updated_at);
      else if (g_str_equal (sort, "name"))
        key = g_strdup (p->name);
      else if (g_str_equal (sort, "price"))
        key = time_key (p->price_minor);
      else
        key = time_key (p->created_at);
      list_add (&list, key, p->id, p);
    }

  respond_page (r, &list, add_product_item);
  g_array_unref (list.entries);
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

void
ecomv2_orders_list (Ecomv2Request *r)
{
  static const char * const fields[] = { "created_at", "updated_at", NULL };
  static const char * const filters[] = { "status", "customer_id", "payment_status", "fulfillment_status" };
  const char *date_from = g_hash_table_lookup (r->query, "date_from");
  const char *date_to = g_hash_table_lookup (r->query, "date_to");
  gint64 from = G_MININT64, to = G_MAXINT64;
  List list = { NULL, FALSE };
  const char *sort;

  if (date_from != NULL && !parse_date (date_from, FALSE, &from))
    {
      ecomv2_error (r, SOUP_STATUS_BAD_REQUEST, "validation_error", "Invalid date filter",
                    "date_from", "Must be a date (2026-06-01) or an ISO 8601 time");
      return;
    }
  if (date_to != NULL && !parse_date (date_to, TRUE, &to))
    {
      ecomv2_error (r, SOUP_STATUS_BAD_REQUEST, "validation_error", "Invalid date filter",
                    "date_to", "Must be a date (2026-06-01) or an ISO 8601 time");
      return;
    }
  sort = parse_sort (r, fields, &list.descending);
  if (sort == NULL)
    return;

  list.entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_array_set_clear_func (list.entries, (GDestroyNotify) entry_clear);

  for (guint i = 0; i < r->store->orders->len; i++)
    {
      Ecomv2Order *o = g_ptr_array_index (r->store->orders, i);
      const char *values[] = { o->status, o->customer_id, o->payment_status, o->fulfillment_status };
      gboolean keep = o->created_at >= from && o->created_at <= to;

      for (guint f = 0; keep && f < G_N_ELEMENTS (filters); f++)
        {
          const char *want = g_hash_table_lookup (r->query, filters[f]);

          keep = want == NULL || g_str_equal (want, values[f]);
        }
      if (!keep)
        continue;
      list_add (&list, time_key (g_str_equal (sort, "updated_at") ? o->updated_at : o->created_at),
                o->id, o);
    }

  respond_page (r, &list, add_order_item);
  g_array_unref (list.entries);
}
