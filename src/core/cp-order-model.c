/* cp-order-model.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The orders list, newest first, paged by (placed_at, id) through the
 * indexes orders_placed, orders_source_placed and orders_status_placed,
 * which cover the key pass so it never touches the table itself.
 */

#define G_LOG_DOMAIN "cp-order-model"

#include "config.h"

#include "cp-order-model.h"
#include "cp-orders-private.h"
#include "cp-paged-model.h"

/* CpOrderItem */

struct _CpOrderItem
{
  GObject  parent_instance;

  gint64   id;
  char    *number;
  char    *source;
  char    *status;
  char    *customer_name;
  gint64   placed_at_us;
  gint64   total_minor;
  gint64   refunded_minor;
  char     currency[4];
  guint    n_lines;
};

G_DEFINE_FINAL_TYPE (CpOrderItem, cp_order_item, G_TYPE_OBJECT)

static void
cp_order_item_finalize (GObject *object)
{
  CpOrderItem *self = (CpOrderItem *) object;

  g_free (self->number);
  g_free (self->source);
  g_free (self->status);
  g_free (self->customer_name);

  G_OBJECT_CLASS (cp_order_item_parent_class)->finalize (object);
}

static void
cp_order_item_class_init (CpOrderItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_order_item_finalize;
}

static void
cp_order_item_init (CpOrderItem *self)
{
}

gint64
cp_order_item_get_id (CpOrderItem *self)
{
  g_return_val_if_fail (CP_IS_ORDER_ITEM (self), 0);
  return self->id;
}

const char *
cp_order_item_get_number (CpOrderItem *self)
{
  g_return_val_if_fail (CP_IS_ORDER_ITEM (self), NULL);
  return self->number;
}

const char *
cp_order_item_get_source (CpOrderItem *self)
{
  g_return_val_if_fail (CP_IS_ORDER_ITEM (self), NULL);
  return self->source;
}

const char *
cp_order_item_get_status (CpOrderItem *self)
{
  g_return_val_if_fail (CP_IS_ORDER_ITEM (self), NULL);
  return self->status;
}

const char *
cp_order_item_get_customer_name (CpOrderItem *self)
{
  g_return_val_if_fail (CP_IS_ORDER_ITEM (self), NULL);
  return self->customer_name;
}

gint64
cp_order_item_get_placed_at_us (CpOrderItem *self)
{
  g_return_val_if_fail (CP_IS_ORDER_ITEM (self), 0);
  return self->placed_at_us;
}

gint64
cp_order_item_get_total_minor (CpOrderItem *self)
{
  g_return_val_if_fail (CP_IS_ORDER_ITEM (self), 0);
  return self->total_minor;
}

gint64
cp_order_item_get_refunded_minor (CpOrderItem *self)
{
  g_return_val_if_fail (CP_IS_ORDER_ITEM (self), 0);
  return self->refunded_minor;
}

const char *
cp_order_item_get_currency (CpOrderItem *self)
{
  g_return_val_if_fail (CP_IS_ORDER_ITEM (self), NULL);
  return self->currency;
}

guint
cp_order_item_get_n_lines (CpOrderItem *self)
{
  g_return_val_if_fail (CP_IS_ORDER_ITEM (self), 0);
  return self->n_lines;
}

/* CpOrderModel */

struct _CpOrderModel
{
  GObject   parent_instance;

  CpLedger *ledger;
  CpPager  *pager;

  char     *source;
  char     *status;
  gint64    since_us;
  gint64    until_us;
  char     *search;
};

static void cp_order_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CpOrderModel, cp_order_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cp_order_model_list_model_init))

#define ITEM_COLUMNS \
  "o.id, o.number, o.source, o.status, o.customer_name, o.placed_at, o.total_minor, " \
  "o.refunded_minor, o.currency, o.n_lines"

static gpointer
item_from_row (sqlite3_stmt *stmt,
               gpointer      user_data)
{
  CpOrderItem *item = g_object_new (CP_TYPE_ORDER_ITEM, NULL);
  const char *currency;

  item->id = sqlite3_column_int64 (stmt, 0);
  item->number = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  item->source = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  item->status = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  item->customer_name = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  item->placed_at_us = sqlite3_column_int64 (stmt, 5);
  item->total_minor = sqlite3_column_int64 (stmt, 6);
  item->refunded_minor = sqlite3_column_int64 (stmt, 7);
  currency = (const char *) sqlite3_column_text (stmt, 8);
  g_strlcpy (item->currency, currency != NULL ? currency : "", sizeof item->currency);
  item->n_lines = (guint) sqlite3_column_int64 (stmt, 9);

  return item;
}

static void
get_filter (CpOrderModel  *self,
            CpOrderFilter *filter)
{
  *filter = (CpOrderFilter) {
    .source = self->source,
    .status = self->status,
    .since_us = self->since_us,
    .until_us = self->until_us,
    .search = self->search,
  };
}

static void
bind_filter (sqlite3_stmt *stmt,
             gpointer      user_data)
{
  CpOrderModel *self = user_data;
  CpOrderFilter filter;

  get_filter (self, &filter);
  cp_orders_filter_bind (&filter, stmt);
}

static void
load (CpOrderModel *self)
{
  g_autoptr(GString) key_sql = g_string_new ("SELECT o.id FROM orders o WHERE 1");
  g_autoptr(GString) page_sql = g_string_new ("SELECT " ITEM_COLUMNS " FROM orders o "
                                              "WHERE (o.placed_at, o.id) <= (:k0, :k1)");
  g_autoptr(GError) error = NULL;
  CpOrderFilter filter;
  guint old_n = cp_pager_get_n_items (self->pager);

  get_filter (self, &filter);
  cp_orders_filter_append_sql (&filter, key_sql);
  cp_orders_filter_append_sql (&filter, page_sql);
  g_string_append (key_sql, " ORDER BY o.placed_at DESC, o.id DESC");
  g_string_append (page_sql, " ORDER BY o.placed_at DESC, o.id DESC LIMIT :limit");

  if (!cp_pager_load (self->pager, self->ledger, key_sql->str,
                      "SELECT placed_at, id FROM orders WHERE id = :id", page_sql->str, 2,
                      bind_filter, item_from_row, self, &error))
    g_warning ("Could not list the orders: %s", error->message);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, cp_pager_get_n_items (self->pager));
}

static GType
cp_order_model_get_item_type (GListModel *model)
{
  return CP_TYPE_ORDER_ITEM;
}

static guint
cp_order_model_get_n_items (GListModel *model)
{
  return cp_pager_get_n_items (CP_ORDER_MODEL (model)->pager);
}

static gpointer
cp_order_model_get_item (GListModel *model,
                         guint       position)
{
  return cp_pager_get_item (CP_ORDER_MODEL (model)->pager, position);
}

static void
cp_order_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cp_order_model_get_item_type;
  iface->get_n_items = cp_order_model_get_n_items;
  iface->get_item = cp_order_model_get_item;
}

static void
cp_order_model_finalize (GObject *object)
{
  CpOrderModel *self = (CpOrderModel *) object;

  g_clear_pointer (&self->pager, cp_pager_free);
  g_clear_object (&self->ledger);
  g_free (self->source);
  g_free (self->status);
  g_free (self->search);

  G_OBJECT_CLASS (cp_order_model_parent_class)->finalize (object);
}

static void
cp_order_model_class_init (CpOrderModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cp_order_model_finalize;
}

static void
cp_order_model_init (CpOrderModel *self)
{
  self->pager = cp_pager_new (CP_PAGER_DEFAULT_PAGE_SIZE, CP_PAGER_DEFAULT_MAX_PAGES);
}

CpOrderModel *
cp_order_model_new (CpLedger *ledger)
{
  CpOrderModel *self;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  self = g_object_new (CP_TYPE_ORDER_MODEL, NULL);
  self->ledger = g_object_ref (ledger);
  load (self);

  return self;
}

void
cp_order_model_set_filter (CpOrderModel        *self,
                           const CpOrderFilter *filter)
{
  g_return_if_fail (CP_IS_ORDER_MODEL (self));

  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->search, g_free);
  self->since_us = 0;
  self->until_us = 0;

  if (filter != NULL)
    {
      self->source = g_strdup (filter->source);
      self->status = g_strdup (filter->status);
      self->search = g_strdup (filter->search);
      self->since_us = filter->since_us;
      self->until_us = filter->until_us;
    }

  load (self);
}

void
cp_order_model_reload (CpOrderModel *self)
{
  g_return_if_fail (CP_IS_ORDER_MODEL (self));

  load (self);
}

guint
cp_order_model_get_cached_pages (CpOrderModel *self)
{
  g_return_val_if_fail (CP_IS_ORDER_MODEL (self), 0);

  return cp_pager_get_cached_pages (self->pager);
}

guint64
cp_order_model_get_pages_read (CpOrderModel *self)
{
  g_return_val_if_fail (CP_IS_ORDER_MODEL (self), 0);

  return cp_pager_get_pages_read (self->pager);
}

gint64
cp_order_model_get_last_load_us (CpOrderModel *self)
{
  g_return_val_if_fail (CP_IS_ORDER_MODEL (self), 0);

  return cp_pager_get_last_load_us (self->pager);
}
