/* cp-catalog-model.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalog list: variants with their stock, sorted, filtered and
 * searched by SQLite and paged by key through CpPager. The SQL is put
 * together from fixed fragments chosen by enums; what a person typed only
 * ever reaches SQLite as a bound FTS5 query built by cp_fts_prefix_query().
 */

#define G_LOG_DOMAIN "cp-catalog-model"

#include "config.h"

#include "cp-catalog-model.h"
#include "cp-fts.h"
#include "cp-paged-model.h"

/* CpVariantItem */

struct _CpVariantItem
{
  GObject    parent_instance;

  CpVariant *variant;
  char      *title;
  gint64     on_hand;
  gint64     reserved;
  gint64     safety_stock;
  gint64     available;
};

G_DEFINE_FINAL_TYPE (CpVariantItem, cp_variant_item, G_TYPE_OBJECT)

static void
cp_variant_item_finalize (GObject *object)
{
  CpVariantItem *self = (CpVariantItem *) object;

  g_clear_pointer (&self->variant, cp_variant_free);
  g_free (self->title);

  G_OBJECT_CLASS (cp_variant_item_parent_class)->finalize (object);
}

static void
cp_variant_item_class_init (CpVariantItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_variant_item_finalize;
}

static void
cp_variant_item_init (CpVariantItem *self)
{
}

const CpVariant *
cp_variant_item_get_variant (CpVariantItem *self)
{
  g_return_val_if_fail (CP_IS_VARIANT_ITEM (self), NULL);
  return self->variant;
}

gint64
cp_variant_item_get_id (CpVariantItem *self)
{
  g_return_val_if_fail (CP_IS_VARIANT_ITEM (self), 0);
  return self->variant->id;
}

const char *
cp_variant_item_get_sku (CpVariantItem *self)
{
  g_return_val_if_fail (CP_IS_VARIANT_ITEM (self), NULL);
  return self->variant->sku;
}

const char *
cp_variant_item_get_title (CpVariantItem *self)
{
  g_return_val_if_fail (CP_IS_VARIANT_ITEM (self), NULL);
  return self->title;
}

gint64
cp_variant_item_get_on_hand (CpVariantItem *self)
{
  g_return_val_if_fail (CP_IS_VARIANT_ITEM (self), 0);
  return self->on_hand;
}

gint64
cp_variant_item_get_reserved (CpVariantItem *self)
{
  g_return_val_if_fail (CP_IS_VARIANT_ITEM (self), 0);
  return self->reserved;
}

gint64
cp_variant_item_get_safety_stock (CpVariantItem *self)
{
  g_return_val_if_fail (CP_IS_VARIANT_ITEM (self), 0);
  return self->safety_stock;
}

gint64
cp_variant_item_get_available (CpVariantItem *self)
{
  g_return_val_if_fail (CP_IS_VARIANT_ITEM (self), 0);
  return self->available;
}

static char *
make_title (const CpVariant *variant)
{
  const char *options[] = { variant->option1, variant->option2, variant->option3 };
  GString *title = g_string_new (variant->product_name);
  gboolean first = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      if (options[i] == NULL || *options[i] == '\0')
        continue;
      g_string_append (title, first ? " — " : " / ");
      g_string_append (title, options[i]);
      first = FALSE;
    }

  return g_string_free (title, FALSE);
}

/* CpCatalogModel */

struct _CpCatalogModel
{
  GObject        parent_instance;

  CpLedger      *ledger;
  CpPager       *pager;

  char          *search;      /* the FTS5 query, NULL for none */
  char          *location;
  int            module;
  CpCatalogSort  sort;
  gboolean       descending;
};

static void cp_catalog_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CpCatalogModel, cp_catalog_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cp_catalog_model_list_model_init))

#define ITEM_COLUMNS \
  "v.id, v.product_id, p.handle, p.name, v.sku, v.barcode, v.option1, v.option2, " \
  "v.option3, v.price_minor, v.cost_minor, v.currency, v.tax_class, p.module, v.attributes, "

/* Stock at one location: a LEFT JOIN on the primary key. */
#define STOCK_AT_LOCATION_JOIN \
  " LEFT JOIN stock_levels s ON s.variant_id = v.id " \
  "AND s.location_id = (SELECT id FROM locations WHERE code = :location)"
#define STOCK_AT_LOCATION_COLUMNS \
  "coalesce (s.on_hand, 0), coalesce (s.reserved, 0), coalesce (s.safety_stock, 0), "
#define AVAILABLE_AT_LOCATION \
  "max (0, coalesce (s.on_hand, 0) - coalesce (s.reserved, 0) - coalesce (s.safety_stock, 0))"

/* Stock everywhere: sums over the variant's levels. What is available is
 * the sum of what each location can sell, so stock reserved at one shop
 * does not hide what another has on its shelf. */
#define STOCK_SUM_COLUMNS \
  "(SELECT coalesce (sum (on_hand), 0) FROM stock_levels WHERE variant_id = v.id), " \
  "(SELECT coalesce (sum (reserved), 0) FROM stock_levels WHERE variant_id = v.id), " \
  "(SELECT coalesce (sum (safety_stock), 0) FROM stock_levels WHERE variant_id = v.id), "
#define AVAILABLE_SUM \
  "(SELECT coalesce (sum (max (0, on_hand - reserved - safety_stock)), 0) " \
  "FROM stock_levels WHERE variant_id = v.id)"

static gpointer
item_from_row (sqlite3_stmt *stmt,
               gpointer      user_data)
{
  CpVariantItem *item = g_object_new (CP_TYPE_VARIANT_ITEM, NULL);
  CpVariant *variant = cp_variant_new ();
  const char *text;

  variant->id = sqlite3_column_int64 (stmt, 0);
  variant->product_id = sqlite3_column_int64 (stmt, 1);
  variant->product_handle = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  variant->product_name = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  variant->sku = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  variant->barcode = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  variant->option1 = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  variant->option2 = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  variant->option3 = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  variant->price_minor = sqlite3_column_int64 (stmt, 9);
  variant->cost_minor = sqlite3_column_type (stmt, 10) == SQLITE_NULL
                          ? -1 : sqlite3_column_int64 (stmt, 10);
  text = (const char *) sqlite3_column_text (stmt, 11);
  g_strlcpy (variant->currency, text != NULL ? text : "", sizeof variant->currency);
  variant->tax_class = g_strdup ((const char *) sqlite3_column_text (stmt, 12));
  if (!cp_module_from_string ((const char *) sqlite3_column_text (stmt, 13), &variant->module))
    variant->module = CP_MODULE_GENERAL;
  text = (const char *) sqlite3_column_text (stmt, 14);
  g_free (variant->attributes_json);
  variant->attributes_json = g_strdup (text != NULL ? text : "{}");

  item->on_hand = sqlite3_column_int64 (stmt, 15);
  item->reserved = sqlite3_column_int64 (stmt, 16);
  item->safety_stock = sqlite3_column_int64 (stmt, 17);
  item->available = sqlite3_column_int64 (stmt, 18);

  item->variant = variant;
  item->title = make_title (variant);

  return item;
}

static void
bind_filters (sqlite3_stmt *stmt,
              gpointer      user_data)
{
  CpCatalogModel *self = user_data;
  int index;

  index = sqlite3_bind_parameter_index (stmt, ":location");
  if (index > 0)
    sqlite3_bind_text (stmt, index, self->location, -1, SQLITE_TRANSIENT);

  index = sqlite3_bind_parameter_index (stmt, ":module");
  if (index > 0)
    sqlite3_bind_text (stmt, index, cp_module_to_string ((CpModule) self->module), -1,
                       SQLITE_STATIC);

  index = sqlite3_bind_parameter_index (stmt, ":search");
  if (index > 0)
    sqlite3_bind_text (stmt, index, self->search, -1, SQLITE_TRANSIENT);
}

static const char *
sort_key (CpCatalogModel *self)
{
  switch (self->sort)
    {
    case CP_CATALOG_SORT_NAME:
      return "p.name COLLATE NOCASE";
    case CP_CATALOG_SORT_PRICE:
      return "v.price_minor";
    case CP_CATALOG_SORT_AVAILABLE:
      return self->location != NULL ? AVAILABLE_AT_LOCATION : AVAILABLE_SUM;
    case CP_CATALOG_SORT_SKU:
    default:
      return "v.sku";
    }
}

/* " WHERE …" after FROM, with the key bound when FOR_PAGE. */
static void
append_where (CpCatalogModel *self,
              GString        *sql,
              gboolean        for_page)
{
  g_string_append (sql, " WHERE 1");

  if (for_page)
    g_string_append_printf (sql, " AND (%s, v.id) %s (:k0, :k1)",
                            sort_key (self), self->descending ? "<=" : ">=");
  if (self->module >= 0)
    g_string_append (sql, " AND p.module = :module");
  if (self->search != NULL)
    g_string_append (sql, " AND v.id IN (SELECT rowid FROM variants_fts "
                          "WHERE variants_fts MATCH :search)");

  g_string_append_printf (sql, " ORDER BY %s %s, v.id %s",
                          sort_key (self),
                          self->descending ? "DESC" : "ASC",
                          self->descending ? "DESC" : "ASC");
}

static void
append_item_select (CpCatalogModel *self,
                    GString        *sql)
{
  g_string_append (sql, "SELECT " ITEM_COLUMNS);
  if (self->location != NULL)
    g_string_append (sql, STOCK_AT_LOCATION_COLUMNS AVAILABLE_AT_LOCATION);
  else
    g_string_append (sql, STOCK_SUM_COLUMNS AVAILABLE_SUM);
  g_string_append (sql, " FROM variants v JOIN products p ON p.id = v.product_id");
  if (self->location != NULL)
    g_string_append (sql, STOCK_AT_LOCATION_JOIN);
}

static void
load (CpCatalogModel *self)
{
  g_autoptr(GString) key_sql = g_string_new (NULL);
  g_autoptr(GString) page_sql = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  guint old_n = cp_pager_get_n_items (self->pager);
  gboolean ok;

  /* Only the SKU has an index to page by. Name, price and stock would make
   * SQLite compute and sort every variant again for each page (a quarter
   * of a second at 100,000, measured), so for those the pager keeps every
   * id from one sorted pass and reads pages by id. */
  if (self->sort == CP_CATALOG_SORT_SKU)
    {
      g_string_append_printf (key_sql, "SELECT %s, v.id FROM variants v", sort_key (self));
      if (self->module >= 0)
        g_string_append (key_sql, " JOIN products p ON p.id = v.product_id");
      append_where (self, key_sql, FALSE);

      append_item_select (self, page_sql);
      append_where (self, page_sql, TRUE);
      g_string_append (page_sql, " LIMIT :limit");

      ok = cp_pager_load (self->pager, self->ledger, key_sql->str, NULL, page_sql->str, 2,
                          bind_filters, item_from_row, self, &error);
    }
  else
    {
      g_string_append (key_sql, "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id");
      if (self->sort == CP_CATALOG_SORT_AVAILABLE && self->location != NULL)
        g_string_append (key_sql, STOCK_AT_LOCATION_JOIN);
      append_where (self, key_sql, FALSE);

      append_item_select (self, page_sql);
      g_string_append (page_sql, " WHERE v.id IN (SELECT value FROM json_each (:ids))");

      ok = cp_pager_load_ids (self->pager, self->ledger, key_sql->str, page_sql->str,
                              bind_filters, item_from_row, self, &error);
    }

  if (!ok)
    g_warning ("Could not list the catalog: %s", error->message);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, cp_pager_get_n_items (self->pager));
}

static GType
cp_catalog_model_get_item_type (GListModel *model)
{
  return CP_TYPE_VARIANT_ITEM;
}

static guint
cp_catalog_model_get_n_items (GListModel *model)
{
  return cp_pager_get_n_items (CP_CATALOG_MODEL (model)->pager);
}

static gpointer
cp_catalog_model_get_item (GListModel *model,
                           guint       position)
{
  return cp_pager_get_item (CP_CATALOG_MODEL (model)->pager, position);
}

static void
cp_catalog_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cp_catalog_model_get_item_type;
  iface->get_n_items = cp_catalog_model_get_n_items;
  iface->get_item = cp_catalog_model_get_item;
}

static void
cp_catalog_model_finalize (GObject *object)
{
  CpCatalogModel *self = (CpCatalogModel *) object;

  g_clear_pointer (&self->pager, cp_pager_free);
  g_clear_object (&self->ledger);
  g_free (self->search);
  g_free (self->location);

  G_OBJECT_CLASS (cp_catalog_model_parent_class)->finalize (object);
}

static void
cp_catalog_model_class_init (CpCatalogModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_catalog_model_finalize;
}

static void
cp_catalog_model_init (CpCatalogModel *self)
{
  self->pager = cp_pager_new (CP_PAGER_DEFAULT_PAGE_SIZE, CP_PAGER_DEFAULT_MAX_PAGES);
  self->module = -1;
  self->sort = CP_CATALOG_SORT_SKU;
}

CpCatalogModel *
cp_catalog_model_new (CpLedger *ledger)
{
  CpCatalogModel *self;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  self = g_object_new (CP_TYPE_CATALOG_MODEL, NULL);
  self->ledger = g_object_ref (ledger);
  load (self);

  return self;
}

void
cp_catalog_model_set_search (CpCatalogModel *self,
                             const char     *search)
{
  g_autofree char *query = NULL;

  g_return_if_fail (CP_IS_CATALOG_MODEL (self));

  query = cp_fts_prefix_query (search);
  if (g_strcmp0 (query, self->search) == 0)
    return;

  g_free (self->search);
  self->search = g_steal_pointer (&query);
  load (self);
}

void
cp_catalog_model_set_location (CpCatalogModel *self,
                               const char     *location_code)
{
  g_return_if_fail (CP_IS_CATALOG_MODEL (self));

  if (location_code != NULL && *location_code == '\0')
    location_code = NULL;
  if (g_strcmp0 (location_code, self->location) == 0)
    return;

  g_free (self->location);
  self->location = g_strdup (location_code);
  load (self);
}

void
cp_catalog_model_set_module (CpCatalogModel *self,
                             int             module)
{
  g_return_if_fail (CP_IS_CATALOG_MODEL (self));
  g_return_if_fail (module >= -1 && module < CP_N_MODULES);

  if (module == self->module)
    return;

  self->module = module;
  load (self);
}

void
cp_catalog_model_set_sort (CpCatalogModel *self,
                           CpCatalogSort   sort,
                           gboolean        descending)
{
  g_return_if_fail (CP_IS_CATALOG_MODEL (self));
  g_return_if_fail (sort <= CP_CATALOG_SORT_AVAILABLE);

  descending = !!descending;
  if (sort == self->sort && descending == self->descending)
    return;

  self->sort = sort;
  self->descending = descending;
  load (self);
}

void
cp_catalog_model_reload (CpCatalogModel *self)
{
  g_return_if_fail (CP_IS_CATALOG_MODEL (self));

  load (self);
}

guint
cp_catalog_model_get_cached_pages (CpCatalogModel *self)
{
  g_return_val_if_fail (CP_IS_CATALOG_MODEL (self), 0);

  return cp_pager_get_cached_pages (self->pager);
}

guint64
cp_catalog_model_get_pages_read (CpCatalogModel *self)
{
  g_return_val_if_fail (CP_IS_CATALOG_MODEL (self), 0);

  return cp_pager_get_pages_read (self->pager);
}

gint64
cp_catalog_model_get_last_load_us (CpCatalogModel *self)
{
  g_return_val_if_fail (CP_IS_CATALOG_MODEL (self), 0);

  return cp_pager_get_last_load_us (self->pager);
}
