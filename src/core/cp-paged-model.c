/* cp-paged-model.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-paged-model"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cp-paged-model.h"
#include "cp-sql.h"

typedef struct
{
  guint      index;
  /* GObject*, fewer than page_size on the last page; in id mode a row
   * deleted since the load leaves a NULL. */
  GPtrArray *items;
} Page;

struct _CpPager
{
  guint            page_size;
  guint            max_pages;
  guint            n_keys;
  guint            n_items;
  guint            n_pages;

  CpLedger        *ledger;
  sqlite3_stmt    *page_stmt;
  CpPagerRowFunc   row;
  gpointer         user_data;

  /* Key mode: n_pages × n_keys values, the key of the first row of each
   * page. Id mode (anchors NULL): every row's id, in order. */
  sqlite3_value  **anchors;
  GArray          *ids;

  /* Most recently used first; at most max_pages. Linear look-ups: with
   * eight pages a hash table would cost more than it saves. */
  GQueue           lru;

  guint64          pages_read;
  gint64           last_load_us;
};

/* Id mode leaves NULL where a row went missing. */
static void
unref_item (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->items);
  g_free (page);
}

CpPager *
cp_pager_new (guint page_size,
              guint max_pages)
{
  CpPager *self = g_new0 (CpPager, 1);

  self->page_size = page_size > 0 ? page_size : CP_PAGER_DEFAULT_PAGE_SIZE;
  self->max_pages = max_pages > 0 ? max_pages : CP_PAGER_DEFAULT_MAX_PAGES;
  g_queue_init (&self->lru);

  return self;
}

void
cp_pager_clear (CpPager *self)
{
  g_return_if_fail (self != NULL);

  g_queue_clear_full (&self->lru, (GDestroyNotify) page_free);

  if (self->anchors != NULL)
    {
      for (guint i = 0; i < self->n_pages * self->n_keys; i++)
        sqlite3_value_free (self->anchors[i]);
      g_clear_pointer (&self->anchors, g_free);
    }

  g_clear_pointer (&self->ids, g_array_unref);

  /* The statement goes before the ledger that owns its connection. */
  g_clear_pointer (&self->page_stmt, sqlite3_finalize);
  g_clear_object (&self->ledger);

  self->n_items = 0;
  self->n_pages = 0;
  self->n_keys = 0;
  self->row = NULL;
  self->user_data = NULL;
}

void
cp_pager_free (CpPager *self)
{
  if (self == NULL)
    return;

  cp_pager_clear (self);
  g_free (self);
}

gboolean
cp_pager_load (CpPager          *self,
               CpLedger         *ledger,
               const char       *key_sql,
               const char       *anchor_sql,
               const char       *page_sql,
               guint             n_keys,
               CpPagerBindFunc   bind,
               CpPagerRowFunc    row,
               gpointer          user_data,
               GError          **error)
{
  g_autoptr(CpSqlStmt) key_stmt = NULL;
  g_autoptr(CpSqlStmt) anchor_stmt = NULL;
  g_autoptr(GArray) anchors = NULL;
  sqlite3 *db;
  gint64 start = g_get_monotonic_time ();
  guint n = 0;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (key_sql != NULL && page_sql != NULL, FALSE);
  g_return_val_if_fail (n_keys > 0, FALSE);
  g_return_val_if_fail (row != NULL, FALSE);

  cp_pager_clear (self);
  db = cp_ledger_get_db (ledger);

  key_stmt = cp_ledger_prepare (ledger, key_sql, error);
  if (key_stmt == NULL)
    return FALSE;

  if (anchor_sql != NULL)
    {
      anchor_stmt = cp_ledger_prepare (ledger, anchor_sql, error);
      if (anchor_stmt == NULL)
        return FALSE;
    }

  if (sqlite3_prepare_v3 (db, page_sql, -1, SQLITE_PREPARE_PERSISTENT,
                          &self->page_stmt, NULL) != SQLITE_OK)
    {
      cp_ledger_set_error_from_sqlite (ledger, error, _("Could not read the ledger"));
      return FALSE;
    }

  if (bind != NULL)
    {
      bind (key_stmt, user_data);
      bind (self->page_stmt, user_data);
    }

  /* The hot loop of a reload: at a million rows every step counts, so
   * columns are read only for the first row of each page. */
  anchors = g_array_new (FALSE, FALSE, sizeof (sqlite3_value *));
  while ((rc = sqlite3_step (key_stmt)) == SQLITE_ROW)
    {
      if (n % self->page_size == 0)
        {
          sqlite3_stmt *source = key_stmt;

          /* Read while the key statement is still open, so both see
           * the same snapshot of the ledger. */
          if (anchor_stmt != NULL)
            {
              sqlite3_reset (anchor_stmt);
              sqlite3_bind_int64 (anchor_stmt, sqlite3_bind_parameter_index (anchor_stmt, ":id"),
                                  sqlite3_column_int64 (key_stmt, 0));
              if ((rc = sqlite3_step (anchor_stmt)) != SQLITE_ROW)
                break;
              source = anchor_stmt;
            }

          for (guint k = 0; k < n_keys; k++)
            {
              sqlite3_value *value = sqlite3_value_dup (sqlite3_column_value (source, k));

              g_array_append_val (anchors, value);
            }
        }

      if (n == G_MAXUINT)
        break;
      n++;
    }

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      cp_ledger_set_error_from_sqlite (ledger, error, _("Could not read the ledger"));
      for (guint i = 0; i < anchors->len; i++)
        sqlite3_value_free (g_array_index (anchors, sqlite3_value *, i));
      g_clear_pointer (&self->page_stmt, sqlite3_finalize);
      return FALSE;
    }

  self->ledger = g_object_ref (ledger);
  self->row = row;
  self->user_data = user_data;
  self->n_keys = n_keys;
  self->n_items = n;
  self->n_pages = anchors->len / n_keys;
  self->anchors = (sqlite3_value **) (gpointer) g_array_free (g_steal_pointer (&anchors), FALSE);
  self->last_load_us = g_get_monotonic_time () - start;

  g_debug ("Key pass: %u rows, %u pages in %" G_GINT64_FORMAT " µs",
           self->n_items, self->n_pages, self->last_load_us);

  return TRUE;
}

gboolean
cp_pager_load_ids (CpPager          *self,
                   CpLedger         *ledger,
                   const char       *id_sql,
                   const char       *page_sql,
                   CpPagerBindFunc   bind,
                   CpPagerRowFunc    row,
                   gpointer          user_data,
                   GError          **error)
{
  g_autoptr(CpSqlStmt) id_stmt = NULL;
  g_autoptr(GArray) ids = NULL;
  gint64 start = g_get_monotonic_time ();
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (id_sql != NULL && page_sql != NULL, FALSE);
  g_return_val_if_fail (row != NULL, FALSE);

  cp_pager_clear (self);

  id_stmt = cp_ledger_prepare (ledger, id_sql, error);
  if (id_stmt == NULL)
    return FALSE;

  if (sqlite3_prepare_v3 (cp_ledger_get_db (ledger), page_sql, -1, SQLITE_PREPARE_PERSISTENT,
                          &self->page_stmt, NULL) != SQLITE_OK)
    {
      cp_ledger_set_error_from_sqlite (ledger, error, _("Could not read the ledger"));
      return FALSE;
    }

  if (bind != NULL)
    {
      bind (id_stmt, user_data);
      bind (self->page_stmt, user_data);
    }

  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (id_stmt)) == SQLITE_ROW && ids->len < G_MAXUINT)
    {
      gint64 id = sqlite3_column_int64 (id_stmt, 0);

      g_array_append_val (ids, id);
    }

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      cp_ledger_set_error_from_sqlite (ledger, error, _("Could not read the ledger"));
      g_clear_pointer (&self->page_stmt, sqlite3_finalize);
      return FALSE;
    }

  self->ledger = g_object_ref (ledger);
  self->row = row;
  self->user_data = user_data;
  self->n_items = ids->len;
  self->n_pages = (ids->len + self->page_size - 1) / self->page_size;
  self->ids = g_steal_pointer (&ids);
  self->last_load_us = g_get_monotonic_time () - start;

  g_debug ("Id pass: %u rows in %" G_GINT64_FORMAT " µs", self->n_items, self->last_load_us);

  return TRUE;
}

/* Id mode: binds the page's ids as a JSON array, then puts the rows,
 * which come in SQLite's order, in the page's. */
static gboolean
read_page_by_ids (CpPager    *self,
                  guint       index,
                  GPtrArray  *items,
                  GError    **error)
{
  sqlite3_stmt *stmt = self->page_stmt;
  const gint64 *ids = &g_array_index (self->ids, gint64, index * self->page_size);
  guint n = MIN (self->page_size, self->n_items - index * self->page_size);
  int rc;

  cp_sql_bind_ids (stmt, sqlite3_bind_parameter_index (stmt, ":ids"), ids, n, FALSE);

  g_ptr_array_set_size (items, n);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      for (guint i = 0; i < n; i++)
        {
          if (ids[i] == id && g_ptr_array_index (items, i) == NULL)
            {
              g_ptr_array_index (items, i) = self->row (stmt, self->user_data);
              break;
            }
        }
    }

  if (rc != SQLITE_DONE)
    {
      cp_ledger_set_error_from_sqlite (self->ledger, error, NULL);
      return FALSE;
    }

  return TRUE;
}

static Page *
read_page (CpPager *self,
           guint    index)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  sqlite3_stmt *stmt = self->page_stmt;
  Page *page;
  int rc;

  items = g_ptr_array_new_full (self->page_size, unref_item);

  if (self->ids != NULL)
    read_page_by_ids (self, index, items, &error);
  else
    {
      for (guint k = 0; k < self->n_keys; k++)
        {
          g_autofree char *name = g_strdup_printf (":k%u", k);
          int param = sqlite3_bind_parameter_index (stmt, name);

          if (param > 0)
            sqlite3_bind_value (stmt, param, self->anchors[index * self->n_keys + k]);
        }
      sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"), self->page_size);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (items, self->row (stmt, self->user_data));

      if (rc != SQLITE_DONE)
        cp_ledger_set_error_from_sqlite (self->ledger, &error, NULL);
    }

  /* Reset at once: a statement left mid-way would hold a read
   * transaction open and stop the WAL from being checkpointed. */
  sqlite3_reset (stmt);

  if (error != NULL)
    {
      g_warning ("Could not read rows %u–%u of a list: %s",
                 index * self->page_size, (index + 1) * self->page_size - 1, error->message);
      return NULL;
    }

  self->pages_read++;

  page = g_new0 (Page, 1);
  page->index = index;
  page->items = g_steal_pointer (&items);
  return page;
}

gpointer
cp_pager_get_item (CpPager *self,
                   guint    position)
{
  Page *page = NULL;
  guint index;
  guint offset;

  g_return_val_if_fail (self != NULL, NULL);

  if (position >= self->n_items || self->page_stmt == NULL)
    return NULL;

  index = position / self->page_size;
  offset = position % self->page_size;

  for (GList *l = self->lru.head; l != NULL; l = l->next)
    {
      Page *cached = l->data;

      if (cached->index == index)
        {
          if (l != self->lru.head)
            {
              g_queue_unlink (&self->lru, l);
              g_queue_push_head_link (&self->lru, l);
            }
          page = cached;
          break;
        }
    }

  if (page == NULL)
    {
      page = read_page (self, index);
      if (page == NULL)
        return NULL;

      g_queue_push_head (&self->lru, page);
      while (self->lru.length > self->max_pages)
        page_free (g_queue_pop_tail (&self->lru));
    }

  /* Rows deleted since the load make a page short (or leave holes in id
   * mode): those positions are empty until the owner reloads. */
  if (offset >= page->items->len || g_ptr_array_index (page->items, offset) == NULL)
    return NULL;

  return g_object_ref (g_ptr_array_index (page->items, offset));
}

guint
cp_pager_get_n_items (CpPager *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_items;
}

guint
cp_pager_get_cached_pages (CpPager *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->lru.length;
}

guint
cp_pager_get_max_pages (CpPager *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->max_pages;
}

guint64
cp_pager_get_pages_read (CpPager *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->pages_read;
}

gint64
cp_pager_get_last_load_us (CpPager *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->last_load_us;
}
