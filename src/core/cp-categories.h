/* cp-categories.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Product categories: a tree of names, written as a path from the root
 * ("Bikes > Parts > Brakes"). A product is in at most one category.
 */

#pragma once

#include "cp-ledger.h"

G_BEGIN_DECLS

/* Between the names of a path. */
#define CP_CATEGORY_SEPARATOR " > "

#define CP_CATEGORIES_ERROR (cp_categories_error_quark ())

typedef enum
{
  CP_CATEGORIES_ERROR_INVALID_PATH,  /* an empty name, or a name too long */
} CpCategoriesError;

typedef struct
{
  gint64  id;
  gint64  parent_id;  /* 0 for a root */
  char   *name;
  char   *path;       /* from the root, joined by CP_CATEGORY_SEPARATOR */
} CpCategory;

GQuark      cp_categories_error_quark   (void);

CpCategory *cp_category_copy            (const CpCategory *category);
void        cp_category_free            (CpCategory       *category);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CpCategory, cp_category_free)

/* The names of PATH from the root, each trimmed, as a NULL-terminated
 * vector; NULL with CP_CATEGORIES_ERROR_INVALID_PATH when a name is
 * empty ("Bikes >  > Brakes") or longer than 200 characters. A path of
 * only spaces is an error too: "no category" is NULL, not "". */
char      **cp_category_path_split      (const char  *path,
                                         GError     **error);
/* PATH written the one way the ledger writes it: names trimmed, one
 * separator between them. NULL with ERROR when it is not a path. */
char       *cp_category_path_normalize  (const char  *path,
                                         GError     **error);

/* The category at PATH, created with its missing ancestors (names
 * compare without case, as the unique index does). */
gboolean    cp_categories_find_or_create (CpLedger    *ledger,
                                          const char  *path,
                                          gint64      *out_id,
                                          GError     **error);
/* The category at PATH; FALSE with CP_LEDGER_ERROR_NOT_FOUND when some
 * name on it does not exist. */
gboolean    cp_categories_lookup        (CpLedger    *ledger,
                                         const char  *path,
                                         gint64      *out_id,
                                         GError     **error);
/* "Bikes > Parts > Brakes", or NULL with CP_LEDGER_ERROR_NOT_FOUND. */
char       *cp_categories_get_path      (CpLedger    *ledger,
                                         gint64       id,
                                         GError     **error);
/* The chain from the root down to ID: CpCategory*, root first, ID last.
 * What a store needs to create parents before children. */
GPtrArray  *cp_categories_get_chain     (CpLedger    *ledger,
                                         gint64       id,
                                         GError     **error);
/* Every category, CpCategory*, ordered by path. */
GPtrArray  *cp_categories_list          (CpLedger    *ledger,
                                         GError     **error);

/* Puts PRODUCT_ID in CATEGORY_ID (0: in none). */
gboolean    cp_categories_set_product   (CpLedger    *ledger,
                                         gint64       product_id,
                                         gint64       category_id,
                                         GError     **error);
/* The product of VARIANT_ID and its category (0 when none). FALSE only
 * when the ledger failed or the variant does not exist. */
gboolean    cp_categories_get_for_variant (CpLedger  *ledger,
                                           gint64     variant_id,
                                           gint64    *out_product_id,
                                           gint64    *out_category_id,
                                           GError   **error);
/* product id (gint64*) → path (char*) of every product in a category,
 * for exports that write a path per row without a query per row. */
GHashTable *cp_categories_product_paths (CpLedger    *ledger,
                                         GError     **error);

G_END_DECLS
