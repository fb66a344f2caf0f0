/* cp-catalog-page.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Catalog & Stock: the variants with their stock, paged from SQLite by
 * CpCatalogModel. Search, filters and sorting go to the model's setters,
 * never to a GtkSortListModel/GtkFilterListModel: those work on the UI
 * thread over every row (5.6 s at 5 M rows on GTK 4.8).
 */

#define G_LOG_DOMAIN "cp-catalog-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-catalog-model.h"
#include "cp-catalog-page-private.h"
#include "cp-money.h"
#include "cp-page-toast.h"
#include "cp-safety-stock-dialog.h"
#include "cp-stock-undo-toast.h"
#include "cp-stock.h"

/* Other processes (counterpart-cli, the sync service) write to the same
 * file; PRAGMA data_version tells us cheaply when they did. */
#define POLL_INTERVAL_SECONDS 2

struct _CpCatalogPage
{
  AdwBin               parent_instance;

  CpLedger            *ledger;
  CpCatalogModel      *model;
  GtkSingleSelection  *selection;
  GPtrArray           *location_codes;   /* char*, NULL for "All locations" */
  gint64               data_version;
  guint                poll_id;
  guint                reload_idle_id;
  gboolean             restoring_selection;
  /* Whether the catalog has any product at all, read on each reload: a
   * search with no results must not COUNT a table of millions per key. */
  gboolean             has_variants;
  gulong               changed_id;
  CpStockAdjustDialog *adjust_dialog;    /* weak */

  GtkFlowBox          *top_bar;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *location_dropdown;
  GtkDropDown         *module_dropdown;
  GtkDropDown         *sort_dropdown;
  GtkToggleButton     *descending_button;
  CpCatalogTransfer   *transfer;
  GtkStack            *stack;
  AdwLeaflet          *leaflet;
  GtkWidget           *detail_box;
  GtkColumnView       *column_view;
  CpVariantDetail     *detail;
};

G_DEFINE_FINAL_TYPE (CpCatalogPage, cp_catalog_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LEDGER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  COLUMN_SKU,
  COLUMN_TITLE,
  COLUMN_PRICE,
  COLUMN_ON_HAND,
  COLUMN_RESERVED,
  COLUMN_SAFETY,
  COLUMN_AVAILABLE,
} Column;

/* Columns */

static char *
column_text (CpVariantItem *item,
             Column         column)
{
  const CpVariant *variant;

  switch (column)
    {
    case COLUMN_SKU:
      return g_strdup (cp_variant_item_get_sku (item));
    case COLUMN_TITLE:
      return g_strdup (cp_variant_item_get_title (item));
    case COLUMN_PRICE:
      variant = cp_variant_item_get_variant (item);
      return variant != NULL ? cp_money_format (variant->price_minor, variant->currency) : g_strdup ("");
    case COLUMN_ON_HAND:
      return g_strdup_printf ("%" G_GINT64_FORMAT, cp_variant_item_get_on_hand (item));
    case COLUMN_RESERVED:
      return g_strdup_printf ("%" G_GINT64_FORMAT, cp_variant_item_get_reserved (item));
    case COLUMN_SAFETY:
      return g_strdup_printf ("%" G_GINT64_FORMAT, cp_variant_item_get_safety_stock (item));
    case COLUMN_AVAILABLE:
      return g_strdup_printf ("%" G_GINT64_FORMAT, cp_variant_item_get_available (item));
    default:
      return g_strdup ("");
    }
}

static gboolean
column_is_numeric (Column column)
{
  return column >= COLUMN_PRICE;
}

/* The tooltip is made when asked for, from the text bind_cell_cb() left:
 * gtk_widget_set_tooltip_text() in bind asks the X server where the
 * pointer is for every cell that scrolls into view, a round trip that is
 * most of the cost of a frame on a long list. */
static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  const char *text = g_object_get_data (G_OBJECT (widget), "cp-tooltip");

  if (text == NULL || *text == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column_is_numeric (column))
    {
      /* xalign 1 is the end edge: GtkLabel mirrors it in RTL. */
      gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
      gtk_widget_add_css_class (label, "numeric");
    }
  else
    {
      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
    }
  if (column == COLUMN_TITLE || column == COLUMN_SKU)
    {
      gtk_widget_set_has_tooltip (label, TRUE);
      g_signal_connect (label, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
    }
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  CpVariantItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *text = NULL;

  if (item == NULL)
    return;

  text = column_text (item, column);
  gtk_label_set_text (GTK_LABEL (label), text);

  if (column == COLUMN_AVAILABLE)
    {
      /* Nothing left to sell: say so without relying on colour alone
       * (the number is 0 as well). */
      if (cp_variant_item_get_available (item) <= 0)
        gtk_widget_add_css_class (label, "warning");
      else
        gtk_widget_remove_css_class (label, "warning");
    }
  else if (column == COLUMN_ON_HAND)
    {
      if (cp_variant_item_get_on_hand (item) < 0)
        gtk_widget_add_css_class (label, "error");
      else
        gtk_widget_remove_css_class (label, "error");
    }
  else if (column == COLUMN_TITLE || column == COLUMN_SKU)
    {
      g_object_set_data_full (G_OBJECT (label), "cp-tooltip", g_strdup (text), g_free);
    }
}

static void
add_column (CpCatalogPage *self,
            const char    *title,
            Column         column,
            int            fixed_width,
            gboolean       expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (column));

  view_column = gtk_column_view_column_new (title, g_object_ref (factory));
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_column_set_expand (view_column, expand);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (view_column, fixed_width);
  gtk_column_view_append_column (self->column_view, view_column);
}

/* State */

static void
update_state (CpCatalogPage *self)
{
  const char *name;

  if (self->model == NULL)
    return;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    name = "list";
  else if (!self->has_variants)
    name = "empty";
  else
    name = "no-results";

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.export", !g_str_equal (name, "empty"));
}

static const char *
current_location (CpCatalogPage *self)
{
  guint pos = gtk_drop_down_get_selected (self->location_dropdown);

  if (self->location_codes == NULL || pos >= self->location_codes->len)
    return NULL;

  return g_ptr_array_index (self->location_codes, pos);
}

static void
update_actions (CpCatalogPage *self)
{
  gboolean has_variant = cp_variant_detail_get_sku (self->detail) != NULL
                         && *cp_variant_detail_get_shown_sku (self->detail) != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.adjust-stock", has_variant);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.set-safety", has_variant);
}

static void
fill_locations (CpCatalogPage *self)
{
  g_autoptr(GPtrArray) locations = NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char *previous = g_strdup (current_location (self));
  guint selected = 0;

  g_clear_pointer (&self->location_codes, g_ptr_array_unref);
  self->location_codes = g_ptr_array_new_with_free_func (g_free);

  gtk_string_list_append (labels, _("All locations"));
  g_ptr_array_add (self->location_codes, NULL);

  locations = cp_locations_list (self->ledger, NULL);
  for (guint i = 0; locations != NULL && i < locations->len; i++)
    {
      CpLocation *location = g_ptr_array_index (locations, i);

      gtk_string_list_append (labels, location->name != NULL ? location->name : location->code);
      g_ptr_array_add (self->location_codes, g_strdup (location->code));
      if (g_strcmp0 (previous, location->code) == 0)
        selected = i + 1;
    }

  g_signal_handlers_block_matched (self->location_dropdown, G_SIGNAL_MATCH_DATA,
                                   0, 0, NULL, NULL, self);
  gtk_drop_down_set_model (self->location_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->location_dropdown, selected);
  g_signal_handlers_unblock_matched (self->location_dropdown, G_SIGNAL_MATCH_DATA,
                                     0, 0, NULL, NULL, self);
}

static void
reload (CpCatalogPage *self)
{
  CpVariantItem *selected;
  gint64 selected_id;
  guint position;

  if (self->model == NULL)
    return;

  position = gtk_single_selection_get_selected (self->selection);
  selected = gtk_single_selection_get_selected_item (self->selection);
  selected_id = selected != NULL ? cp_variant_item_get_id (selected) : 0;

  self->data_version = cp_ledger_data_version (self->ledger);
  self->has_variants = cp_catalog_count_variants (self->ledger) > 0;
  cp_catalog_model_reload (self->model);

  /* A reload drops the selection. Keep it when the row stayed where it
   * was (the usual case: its stock changed); finding a row that moved
   * would mean walking a list that may hold millions. */
  if (selected_id != 0 && position < g_list_model_get_n_items (G_LIST_MODEL (self->model)))
    {
      g_autoptr(CpVariantItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), position);

      if (item != NULL && cp_variant_item_get_id (item) == selected_id)
        {
          self->restoring_selection = TRUE;
          gtk_single_selection_set_selected (self->selection, position);
          self->restoring_selection = FALSE;
        }
    }

  cp_variant_detail_refresh (self->detail);
  update_state (self);
  update_actions (self);
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  CpCatalogPage *self = user_data;

  self->reload_idle_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
ledger_changed_cb (CpLedger      *ledger,
                   const char    *table,
                   CpCatalogPage *self)
{
  /* Orders, settings, integrations… change nothing shown here; a sale
   * announces "stock" as well. */
  if (g_strcmp0 (table, "locations") == 0)
    fill_locations (self);
  else if (g_strcmp0 (table, "variants") != 0 && g_strcmp0 (table, "stock") != 0
           && g_strcmp0 (table, "products") != 0)
    return;

  /* One commit announces several tables: reload once. */
  if (self->reload_idle_id == 0)
    self->reload_idle_id = g_idle_add (reload_idle_cb, self);
}

static gboolean
poll_cb (gpointer user_data)
{
  CpCatalogPage *self = user_data;

  if (cp_ledger_data_version (self->ledger) != self->data_version)
    {
      fill_locations (self);
      reload (self);
    }

  return G_SOURCE_CONTINUE;
}

/* Template callbacks */

static void
search_changed_cb (CpCatalogPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  cp_catalog_model_set_search (self->model, text);
  update_state (self);
}

static void
stop_search_cb (CpCatalogPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
location_changed_cb (CpCatalogPage *self)
{
  if (self->model == NULL)
    return;

  cp_catalog_model_set_location (self->model, current_location (self));
  update_state (self);
}

static void
module_changed_cb (CpCatalogPage *self)
{
  guint pos = gtk_drop_down_get_selected (self->module_dropdown);

  if (self->model == NULL)
    return;

  /* Position 0 is "All kinds"; then the modules in enum order. */
  cp_catalog_model_set_module (self->model,
                               pos == 0 || pos == GTK_INVALID_LIST_POSITION ? -1 : (int) pos - 1);
  update_state (self);
}

static void
sort_changed_cb (CpCatalogPage *self)
{
  guint pos = gtk_drop_down_get_selected (self->sort_dropdown);
  CpCatalogSort sort = CP_CATALOG_SORT_SKU;

  if (self->model == NULL)
    return;

  switch (pos)
    {
    case 1:
      sort = CP_CATALOG_SORT_NAME;
      break;
    case 2:
      sort = CP_CATALOG_SORT_PRICE;
      break;
    case 3:
      sort = CP_CATALOG_SORT_AVAILABLE;
      break;
    default:
      sort = CP_CATALOG_SORT_SKU;
      break;
    }

  cp_catalog_model_set_sort (self->model, sort,
                             gtk_toggle_button_get_active (self->descending_button));
}

static void
transfer_finished_cb (CpCatalogPage *self,
                      gboolean       success)
{
  /* The import ran on its own connection: our data_version changed, so
   * reload now rather than at the next poll. */
  if (success)
    {
      fill_locations (self);
      reload (self);
    }
}

static void
back_clicked_cb (CpCatalogPage *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
selection_changed_cb (CpCatalogPage *self)
{
  CpVariantItem *item = gtk_single_selection_get_selected_item (self->selection);

  /* A reload drops the selection; the pane keeps the variant it shows. */
  if (item != NULL)
    {
      cp_variant_detail_show_sku (self->detail, cp_variant_item_get_sku (item));
      /* Folded (a narrow window): the detail slides over the list. */
      if (adw_leaflet_get_folded (self->leaflet) && !self->restoring_selection)
        adw_leaflet_set_visible_child (self->leaflet, self->detail_box);
    }

  update_actions (self);
}

static void
items_changed_cb (CpCatalogPage *self)
{
  update_state (self);
}

/* Stock adjustments */

static void
adjusted_cb (CpStockAdjustDialog *dialog,
             gint64               movement_id,
             const char          *location_code,
             gint64               before,
             gint64               after,
             CpCatalogPage       *self)
{
  cp_page_add_toast (GTK_WIDGET (self),
                     cp_stock_undo_toast_new (GTK_WIDGET (self), self->ledger,
                                              cp_stock_adjust_dialog_get_sku (dialog),
                                              location_code, movement_id, before, after));
}

static void
adjust_stock_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CpCatalogPage *self = CP_CATALOG_PAGE (widget);
  const char *sku = cp_variant_detail_get_sku (self->detail);
  GtkRoot *root = gtk_widget_get_root (widget);
  CpStockAdjustDialog *dialog;

  if (sku == NULL)
    return;

  dialog = cp_stock_adjust_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       self->ledger, sku, current_location (self));
  g_signal_connect_object (dialog, "adjusted", G_CALLBACK (adjusted_cb), self, 0);
  g_set_weak_pointer (&self->adjust_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
set_safety_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  CpCatalogPage *self = CP_CATALOG_PAGE (widget);
  const char *sku = cp_variant_detail_get_sku (self->detail);

  if (sku != NULL)
    cp_safety_stock_dialog_present (widget, self->ledger, sku, current_location (self));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CpCatalogPage *self = CP_CATALOG_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  cp_catalog_transfer_choose_import (CP_CATALOG_PAGE (widget)->transfer);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  cp_catalog_transfer_choose_export (CP_CATALOG_PAGE (widget)->transfer);
}

/* Lifecycle */

static void
cp_catalog_page_map (GtkWidget *widget)
{
  CpCatalogPage *self = CP_CATALOG_PAGE (widget);

  GTK_WIDGET_CLASS (cp_catalog_page_parent_class)->map (widget);

  /* Only poll while someone can see the page. */
  if (self->poll_id == 0 && self->ledger != NULL)
    {
      poll_cb (self);
      self->poll_id = g_timeout_add_seconds (POLL_INTERVAL_SECONDS, poll_cb, self);
    }
}

static void
cp_catalog_page_unmap (GtkWidget *widget)
{
  CpCatalogPage *self = CP_CATALOG_PAGE (widget);

  g_clear_handle_id (&self->poll_id, g_source_remove);

  GTK_WIDGET_CLASS (cp_catalog_page_parent_class)->unmap (widget);
}

static void
cp_catalog_page_constructed (GObject *object)
{
  CpCatalogPage *self = CP_CATALOG_PAGE (object);
  g_autoptr(GtkStringList) modules = gtk_string_list_new (NULL);

  G_OBJECT_CLASS (cp_catalog_page_parent_class)->constructed (object);

  g_return_if_fail (CP_IS_LEDGER (self->ledger));

  gtk_string_list_append (modules, _("All kinds"));
  for (int m = 0; m < CP_N_MODULES; m++)
    gtk_string_list_append (modules, cp_module_to_label ((CpModule) m));
  gtk_drop_down_set_model (self->module_dropdown, G_LIST_MODEL (modules));

  fill_locations (self);

  self->model = cp_catalog_model_new (self->ledger);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  /* Made with autoselect on, it picked the first row already; left so,
   * each reload of the model would have GTK look for that row among all
   * the new ones. */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "items-changed",
                           G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);

  cp_variant_detail_set_ledger (self->detail, self->ledger);
  cp_catalog_transfer_set_ledger (self->transfer, self->ledger);

  self->changed_id = g_signal_connect (self->ledger, "changed",
                                       G_CALLBACK (ledger_changed_cb), self);
  self->data_version = cp_ledger_data_version (self->ledger);
  self->has_variants = cp_catalog_count_variants (self->ledger) > 0;

  update_state (self);
  update_actions (self);
}

static void
cp_catalog_page_dispose (GObject *object)
{
  CpCatalogPage *self = (CpCatalogPage *) object;

  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  if (self->ledger != NULL)
    g_clear_signal_handler (&self->changed_id, self->ledger);
  g_clear_weak_pointer (&self->adjust_dialog);


  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->ledger);
  g_clear_pointer (&self->location_codes, g_ptr_array_unref);

  G_OBJECT_CLASS (cp_catalog_page_parent_class)->dispose (object);
}

static void
cp_catalog_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CpCatalogPage *self = (CpCatalogPage *) object;

  switch (prop_id)
    {
    case PROP_LEDGER:
      g_value_set_object (value, self->ledger);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_catalog_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CpCatalogPage *self = (CpCatalogPage *) object;

  switch (prop_id)
    {
    case PROP_LEDGER:
      g_set_object (&self->ledger, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_catalog_page_class_init (CpCatalogPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cp_catalog_page_constructed;
  object_class->dispose = cp_catalog_page_dispose;
  object_class->get_property = cp_catalog_page_get_property;
  object_class->set_property = cp_catalog_page_set_property;

  widget_class->map = cp_catalog_page_map;
  widget_class->unmap = cp_catalog_page_unmap;

  properties[PROP_LEDGER] =
    g_param_spec_object ("ledger", NULL, NULL,
                         CP_TYPE_LEDGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CP_TYPE_CATALOG_TRANSFER);
  g_type_ensure (CP_TYPE_VARIANT_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cp-catalog-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CpCatalogPage, top_bar);
  gtk_widget_class_bind_template_child (widget_class, CpCatalogPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CpCatalogPage, location_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CpCatalogPage, module_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CpCatalogPage, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CpCatalogPage, descending_button);
  gtk_widget_class_bind_template_child (widget_class, CpCatalogPage, transfer);
  gtk_widget_class_bind_template_child (widget_class, CpCatalogPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CpCatalogPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CpCatalogPage, detail_box);
  gtk_widget_class_bind_template_child (widget_class, CpCatalogPage, column_view);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, CpCatalogPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, location_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, module_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sort_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, transfer_finished_cb);

  gtk_widget_class_install_action (widget_class, "page.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "page.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "page.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "page.adjust-stock", NULL, adjust_stock_action);
  gtk_widget_class_install_action (widget_class, "page.set-safety", NULL, set_safety_action);
}

static void
cp_catalog_page_init (CpCatalogPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The flow box only lays the bar out: its cells take no focus, the
   * controls in them do. */
  for (GtkWidget *cell = gtk_widget_get_first_child (GTK_WIDGET (self->top_bar));
       cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    gtk_widget_set_focusable (cell, FALSE);

  add_column (self, _("SKU"), COLUMN_SKU, 100, FALSE);
  add_column (self, _("Product"), COLUMN_TITLE, 110, TRUE);
  add_column (self, _("Price"), COLUMN_PRICE, 85, FALSE);
  add_column (self, _("On hand"), COLUMN_ON_HAND, 65, FALSE);
  add_column (self, _("Reserved"), COLUMN_RESERVED, 65, FALSE);
  add_column (self, _("Safety"), COLUMN_SAFETY, 55, FALSE);
  add_column (self, _("Available"), COLUMN_AVAILABLE, 65, FALSE);
}

GtkWidget *
cp_catalog_page_new (CpLedger *ledger)
{
  return g_object_new (CP_TYPE_CATALOG_PAGE, "ledger", ledger, NULL);
}

/* Testing accessors */

GtkColumnView *
_cp_catalog_page_get_column_view (CpCatalogPage *self)
{
  return self->column_view;
}

GtkSearchEntry *
_cp_catalog_page_get_search_entry (CpCatalogPage *self)
{
  return self->search_entry;
}

CpVariantDetail *
_cp_catalog_page_get_detail (CpCatalogPage *self)
{
  return self->detail;
}

CpCatalogTransfer *
_cp_catalog_page_get_transfer (CpCatalogPage *self)
{
  return self->transfer;
}

const char *
_cp_catalog_page_get_state (CpCatalogPage *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

CpStockAdjustDialog *
_cp_catalog_page_get_adjust_dialog (CpCatalogPage *self)
{
  return self->adjust_dialog;
}

void
_cp_catalog_page_get_controls (CpCatalogPage    *self,
                               GtkDropDown     **location,
                               GtkDropDown     **module,
                               GtkDropDown     **sort,
                               GtkToggleButton **descending)
{
  *location = self->location_dropdown;
  *module = self->module_dropdown;
  *sort = self->sort_dropdown;
  *descending = self->descending_button;
}

void
_cp_catalog_page_poll (CpCatalogPage *self)
{
  poll_cb (self);
}
