/* cp-categories.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Product categories as a tree in the ledger, addressed by path. A path
 * is split on '>' with each name trimmed, so "Bikes>Parts" typed in a
 * spreadsheet is the same as "Bikes > Parts"; the ledger always writes
 * it back with " > ". A name therefore never holds a '>'.
 */

#define G_LOG_DOMAIN "cp-categories"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "cp-categories.h"
#include "cp-sql.h"

#define MAX_NAME_CHARS 200
/* A guard against a parent loop someone wrote by hand into the file:
 * no shop nests categories this deep. */
#define MAX_DEPTH 64

G_DEFINE_QUARK (cp-categories-error-quark, cp_categories_error)

CpCategory *
cp_category_copy (const CpCategory *category)
{
  CpCategory *copy;

  g_return_val_if_fail (category != NULL, NULL);

  copy = g_new0 (CpCategory, 1);
  copy->id = category->id;
  copy->parent_id = category->parent_id;
  copy->name = g_strdup (category->name);
  copy->path = g_strdup (category->path);
  return copy;
}

void
cp_category_free (CpCategory *category)
{
  if (category == NULL)
    return;

  g_free (category->name);
  g_free (category->path);
  g_free (category);
}

char **
cp_category_path_split (const char  *path,
                        GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  g_return_val_if_fail (path != NULL, NULL);

  parts = g_strsplit (path, ">", -1);
  for (guint i = 0; parts[i] != NULL || i == 0; i++)
    {
      /* g_strsplit() gives no field at all for "". */
      char *name = parts[i] != NULL ? g_strstrip (parts[i]) : (char *) "";

      if (*name == '\0')
        {
          if (parts[0] == NULL || parts[1] == NULL)
            g_set_error (error, CP_CATEGORIES_ERROR, CP_CATEGORIES_ERROR_INVALID_PATH,
                         _("The category is empty. Write its path from the top, like "
                           "“Bikes > Parts > Brakes”, or leave the cell empty for none."));
          else
            g_set_error (error, CP_CATEGORIES_ERROR, CP_CATEGORIES_ERROR_INVALID_PATH,
                         _("“%s” has an empty name at position %u. Write the path from the "
                           "top with a name between each “>”, like “Bikes > Parts > "
                           "Brakes”."),
                         path, i + 1);
          return NULL;
        }
      if (g_utf8_strlen (name, -1) > MAX_NAME_CHARS)
        {
          g_set_error (error, CP_CATEGORIES_ERROR, CP_CATEGORIES_ERROR_INVALID_PATH,
                       _("The category name “%.40s…” is longer than %d characters. Shorten "
                         "it."),
                       name, MAX_NAME_CHARS);
          return NULL;
        }
      for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
        if (g_unichar_iscntrl (g_utf8_get_char (p)))
          {
            g_set_error (error, CP_CATEGORIES_ERROR, CP_CATEGORIES_ERROR_INVALID_PATH,
                         _("The category name “%s” has a line break or tab in it. Write it "
                           "on one line."),
                         name);
            return NULL;
          }
      g_strv_builder_add (names, name);
    }

  if (g_strv_length (parts) > MAX_DEPTH)
    {
      g_set_error (error, CP_CATEGORIES_ERROR, CP_CATEGORIES_ERROR_INVALID_PATH,
                   _("“%.40s…” nests more than %d categories. Use fewer levels."),
                   path, MAX_DEPTH);
      return NULL;
    }

  return g_strv_builder_end (names);
}

char *
cp_category_path_normalize (const char  *path,
                            GError     **error)
{
  g_auto(GStrv) names = cp_category_path_split (path, error);

  return names != NULL ? g_strjoinv (CP_CATEGORY_SEPARATOR, names) : NULL;
}

/* The child NAME of PARENT_ID (0: a root), or 0 when there is none. */
static gboolean
find_child (CpLedger    *ledger,
            gint64       parent_id,
            const char  *name,
            gint64      *out_id,
            GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  /* Two statements, not "parent_id IS ?1": each is answered by one of
   * the two unique indexes. */
  stmt = cp_ledger_prepare_cached (ledger,
                                   parent_id != 0
                                     ? "SELECT id FROM categories WHERE parent_id = ?1 AND name = ?2"
                                     : "SELECT id FROM categories WHERE parent_id IS NULL AND name = ?2",
                                   error);
  if (stmt == NULL)
    return FALSE;

  if (parent_id != 0)
    sqlite3_bind_int64 (stmt, 1, parent_id);
  cp_sql_bind_text (stmt, 2, name);
  rc = cp_sql_step (ledger, stmt, _("Could not read the categories"), error);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return FALSE;

  *out_id = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

static gboolean
insert_child (CpLedger    *ledger,
              gint64       parent_id,
              const char  *name,
              gint64      *out_id,
              GError     **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  stmt = cp_ledger_prepare_cached (ledger,
                                   "INSERT INTO categories (parent_id, name, created_at)"
                                   " VALUES (?1, ?2, ?3)",
                                   error);
  if (stmt == NULL)
    return FALSE;

  if (parent_id != 0)
    sqlite3_bind_int64 (stmt, 1, parent_id);
  cp_sql_bind_text (stmt, 2, name);
  sqlite3_bind_int64 (stmt, 3, cp_ledger_now_us ());
  if (!cp_sql_run (ledger, stmt, _("Could not add the category"), error))
    return FALSE;

  *out_id = sqlite3_last_insert_rowid (cp_ledger_get_db (ledger));
  return TRUE;
}

static gboolean
walk_path (CpLedger    *ledger,
           const char  *path,
           gboolean     create,
           gint64      *out_id,
           GError     **error)
{
  g_auto(GStrv) names = NULL;
  gint64 id = 0;

  names = cp_category_path_split (path, error);
  if (names == NULL)
    return FALSE;

  if (create && !cp_ledger_begin (ledger, error))
    return FALSE;

  for (guint i = 0; names[i] != NULL; i++)
    {
      gint64 child;

      if (!find_child (ledger, id, names[i], &child, error))
        goto failed;

      if (child == 0 && !create)
        {
          g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND,
                       _("There is no category “%s”."), path);
          return FALSE;
        }
      if (child == 0 && !insert_child (ledger, id, names[i], &child, error))
        goto failed;
      id = child;
    }

  if (create && !cp_ledger_commit (ledger, error))
    return FALSE;

  if (out_id != NULL)
    *out_id = id;
  return TRUE;

failed:
  if (create)
    cp_ledger_rollback (ledger);
  return FALSE;
}

gboolean
cp_categories_find_or_create (CpLedger    *ledger,
                              const char  *path,
                              gint64      *out_id,
                              GError     **error)
{
  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return walk_path (ledger, path, TRUE, out_id, error);
}

gboolean
cp_categories_lookup (CpLedger    *ledger,
                      const char  *path,
                      gint64      *out_id,
                      GError     **error)
{
  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return walk_path (ledger, path, FALSE, out_id, error);
}

GPtrArray *
cp_categories_get_chain (CpLedger  *ledger,
                         gint64     id,
                         GError   **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_category_free);
  g_autoptr(GString) path = g_string_new (NULL);
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "WITH RECURSIVE up (id, parent_id, name, depth) AS ("
                                   "  SELECT id, parent_id, name, 0 FROM categories WHERE id = ?1"
                                   "  UNION ALL"
                                   "  SELECT c.id, c.parent_id, c.name, up.depth + 1"
                                   "    FROM categories c JOIN up ON c.id = up.parent_id"
                                   "   WHERE up.depth < ?2)"
                                   " SELECT id, parent_id, name FROM up ORDER BY depth DESC",
                                   error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, MAX_DEPTH);
  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the categories"), error)) == SQLITE_ROW)
    {
      CpCategory *category = g_new0 (CpCategory, 1);

      category->id = sqlite3_column_int64 (stmt, 0);
      category->parent_id = sqlite3_column_int64 (stmt, 1);
      category->name = cp_sql_dup_text (stmt, 2);
      if (path->len > 0)
        g_string_append (path, CP_CATEGORY_SEPARATOR);
      g_string_append (path, category->name);
      category->path = g_strdup (path->str);
      g_ptr_array_add (chain, category);
    }
  if (rc != SQLITE_DONE)
    return NULL;

  if (chain->len == 0)
    {
      g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND,
                   _("The category %" PRId64 " does not exist."), (int64_t) id);
      return NULL;
    }

  return g_steal_pointer (&chain);
}

char *
cp_categories_get_path (CpLedger  *ledger,
                        gint64     id,
                        GError   **error)
{
  g_autoptr(GPtrArray) chain = cp_categories_get_chain (ledger, id, error);
  CpCategory *leaf;

  if (chain == NULL)
    return NULL;

  leaf = g_ptr_array_index (chain, chain->len - 1);
  return g_steal_pointer (&leaf->path);
}

GPtrArray *
cp_categories_list (CpLedger  *ledger,
                    GError   **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cp_category_free);
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  /* Paths are built with a separator that sorts before any letter, so
   * children follow their parent. */
  stmt = cp_ledger_prepare_cached (ledger,
                                   "WITH RECURSIVE t (id, parent_id, name, path, depth) AS ("
                                   "  SELECT id, parent_id, name, name, 0 FROM categories"
                                   "   WHERE parent_id IS NULL"
                                   "  UNION ALL"
                                   "  SELECT c.id, c.parent_id, c.name, t.path || ' > ' || c.name,"
                                   "         t.depth + 1"
                                   "    FROM categories c JOIN t ON c.parent_id = t.id"
                                   "   WHERE t.depth < ?1)"
                                   " SELECT id, parent_id, name, path FROM t"
                                   " ORDER BY path COLLATE NOCASE, id",
                                   error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int (stmt, 1, MAX_DEPTH);
  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the categories"), error)) == SQLITE_ROW)
    {
      CpCategory *category = g_new0 (CpCategory, 1);

      category->id = sqlite3_column_int64 (stmt, 0);
      category->parent_id = sqlite3_column_int64 (stmt, 1);
      category->name = cp_sql_dup_text (stmt, 2);
      category->path = cp_sql_dup_text (stmt, 3);
      g_ptr_array_add (list, category);
    }
  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&list);
}

gboolean
cp_categories_set_product (CpLedger  *ledger,
                           gint64     product_id,
                           gint64     category_id,
                           GError   **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  /* Only a real move touches the row: an import of an unchanged file
   * must not queue a push of every product. */
  stmt = cp_ledger_prepare_cached (ledger,
                                   "UPDATE products SET category_id = ?2, updated_at = ?3"
                                   " WHERE id = ?1 AND category_id IS NOT ?2",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, product_id);
  if (category_id != 0)
    sqlite3_bind_int64 (stmt, 2, category_id);
  sqlite3_bind_int64 (stmt, 3, cp_ledger_now_us ());

  return cp_sql_run (ledger, stmt, _("Could not change the product’s category"), error);
}

gboolean
cp_categories_get_for_variant (CpLedger  *ledger,
                               gint64     variant_id,
                               gint64    *out_product_id,
                               gint64    *out_category_id,
                               GError   **error)
{
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), FALSE);

  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT p.id, p.category_id FROM variants v"
                                   " JOIN products p ON p.id = v.product_id WHERE v.id = ?1",
                                   error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, variant_id);
  rc = cp_sql_step (ledger, stmt, _("Could not read the product’s category"), error);
  if (rc == SQLITE_DONE)
    g_set_error (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_NOT_FOUND,
                 _("The variant %" PRId64 " does not exist."), (int64_t) variant_id);
  if (rc != SQLITE_ROW)
    return FALSE;

  if (out_product_id != NULL)
    *out_product_id = sqlite3_column_int64 (stmt, 0);
  if (out_category_id != NULL)
    *out_category_id = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

GHashTable *
cp_categories_product_paths (CpLedger  *ledger,
                             GError   **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) by_id = NULL;
  g_autoptr(GHashTable) paths = NULL;
  g_autoptr(CpSqlCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  list = cp_categories_list (ledger, error);
  if (list == NULL)
    return NULL;

  by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < list->len; i++)
    {
      CpCategory *category = g_ptr_array_index (list, i);

      g_hash_table_insert (by_id, &category->id, category->path);
    }

  paths = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  stmt = cp_ledger_prepare_cached (ledger,
                                   "SELECT id, category_id FROM products"
                                   " WHERE category_id IS NOT NULL",
                                   error);
  if (stmt == NULL)
    return NULL;

  while ((rc = cp_sql_step (ledger, stmt, _("Could not read the categories"), error)) == SQLITE_ROW)
    {
      gint64 category_id = sqlite3_column_int64 (stmt, 1);
      const char *path = g_hash_table_lookup (by_id, &category_id);

      if (path != NULL)
        g_hash_table_insert (paths, g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 0) },
                                               sizeof (gint64)),
                             g_strdup (path));
    }
  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&paths);
}
