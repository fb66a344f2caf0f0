/* cp-paged-model.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine behind the GListModels that page from SQLite by key: one
 * pass over the sort keys (a covering index, keys only) keeps the key of
 * the first row of every page — the anchors — and counts the rows; a page
 * is then one `WHERE (keys) >= (anchor) ORDER BY keys LIMIT page_size`.
 * OFFSET is never used: it makes SQLite step over every skipped row, so
 * the bottom of a million-row list would cost a million steps per page.
 * A bounded LRU of pages keeps memory flat while scrolling end to end.
 * Internal to src/core.
 */

#pragma once

#include "cp-ledger.h"

G_BEGIN_DECLS

#define CP_PAGER_DEFAULT_PAGE_SIZE 128
#define CP_PAGER_DEFAULT_MAX_PAGES 8

/* Binds the model's own named parameters (filters) on STMT; called once
 * for the key statement and once for the page statement of each load. */
typedef void     (*CpPagerBindFunc) (sqlite3_stmt *stmt,
                                     gpointer      user_data);
/* A new reference to the item for the current row of the page statement. */
typedef gpointer (*CpPagerRowFunc)  (sqlite3_stmt *stmt,
                                     gpointer      user_data);

typedef struct _CpPager CpPager;

CpPager  *cp_pager_new                (guint            page_size,
                                       guint            max_pages);
void      cp_pager_free               (CpPager         *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpPager, cp_pager_free)

/* KEY_SQL selects exactly N_KEYS columns, the sort key (unique: end it
 * with the id), in display order. PAGE_SQL selects the rows whose key is
 * at or after the parameters :k0 … :k<N_KEYS-1> in the same order, with
 * LIMIT :limit. Both may use the named parameters BIND binds. On failure
 * the pager is left empty. ROW and USER_DATA must outlive the pager or
 * the next load.
 *
 * With ANCHOR_SQL, KEY_SQL selects only the id (the last key column) and
 * ANCHOR_SQL the N_KEYS key columns of the row with id :id: decoding one
 * column instead of two makes a million-row key pass a third cheaper
 * (measured), and the full key is only needed for one row in a page. */
gboolean  cp_pager_load               (CpPager         *self,
                                       CpLedger        *ledger,
                                       const char      *key_sql,
                                       const char      *anchor_sql,
                                       const char      *page_sql,
                                       guint            n_keys,
                                       CpPagerBindFunc  bind,
                                       CpPagerRowFunc   row,
                                       gpointer         user_data,
                                       GError         **error);
/* For a sort no index can serve (a computed stock figure, a column of a
 * joined table), key paging would make SQLite compute and sort every row
 * again for each page. Then the key pass keeps every row's id instead
 * (8 bytes a row, fixed while scrolling) and a page is read by id:
 * ID_SQL selects only the ids, in display order; PAGE_SQL selects the
 * rows (the id first) WHERE id IN (SELECT value FROM json_each (:ids)),
 * in any order. */
gboolean  cp_pager_load_ids           (CpPager         *self,
                                       CpLedger        *ledger,
                                       const char      *id_sql,
                                       const char      *page_sql,
                                       CpPagerBindFunc  bind,
                                       CpPagerRowFunc   row,
                                       gpointer         user_data,
                                       GError         **error);
/* Forgets everything: no rows. */
void      cp_pager_clear              (CpPager         *self);

guint     cp_pager_get_n_items        (CpPager         *self);
/* A new reference, or NULL past the end (or when the page cannot be
 * read: the rows changed since the load, or SQLite failed). */
gpointer  cp_pager_get_item           (CpPager         *self,
                                       guint            position);

/* For tests and measurements. */
guint     cp_pager_get_cached_pages   (CpPager         *self);
guint     cp_pager_get_max_pages      (CpPager         *self);
guint64   cp_pager_get_pages_read     (CpPager         *self);
/* How long the last key pass took, in µs. */
gint64    cp_pager_get_last_load_us   (CpPager         *self);

G_END_DECLS
