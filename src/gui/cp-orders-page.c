/* cp-orders-page.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Orders from every channel, newest first, paged from SQLite by
 * CpOrderModel. Filters and search go to cp_order_model_set_filter(), never
 * to a GtkFilterListModel (GTK 4.8 would walk every row on the UI thread).
 */

#define G_LOG_DOMAIN "cp-orders-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-money.h"
#include "cp-order-model.h"
#include "cp-order-sources.h"
#include "cp-order-status.h"
#include "cp-orders-page-private.h"
#include "cp-relative-time.h"

#define POLL_INTERVAL_SECONDS 2

struct _CpOrdersPage
{
  AdwBin              parent_instance;

  CpLedger           *ledger;
  CpOrderModel       *model;
  GtkSingleSelection *selection;
  GPtrArray          *channels;   /* char*, NULL first ("All channels") */
  GPtrArray          *statuses;   /* char*, NULL first ("All statuses") */
  gint64              data_version;
  guint               poll_id;
  guint               reload_idle_id;
  gboolean            restoring_selection;
  /* Whether the ledger has any order, read on each reload rather than
   * counted again for every search that finds nothing. */
  gboolean            has_orders;
  GHashTable         *time_labels;  /* GtkLabel* bound in the Time column */
  guint               poll_count;
  gulong              changed_id;
  gboolean            filling;
  /* The filter the model last loaded with, so a signal that changes
   * nothing (a search entry emptied again) does not load it again. */
  gboolean            filter_applied;
  char               *applied_source;
  char               *applied_status;
  char               *applied_search;
  gint64              applied_since_us;

  GtkFlowBox         *top_bar;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *channel_dropdown;
  GtkDropDown        *status_dropdown;
  GtkDropDown        *period_dropdown;
  GtkStack           *stack;
  AdwLeaflet         *leaflet;
  GtkWidget          *detail_box;
  GtkColumnView      *column_view;
  CpOrderDetail      *detail;
};

G_DEFINE_FINAL_TYPE (CpOrdersPage, cp_orders_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LEDGER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  COLUMN_NUMBER,
  COLUMN_TIME,
  COLUMN_CHANNEL,
  COLUMN_CUSTOMER,
  COLUMN_ITEMS,
  COLUMN_TOTAL,
  COLUMN_STATUS,
} Column;

/* Columns */

/* The tooltip is made when asked for, from the text bind_cell_cb() left.
 * gtk_widget_set_tooltip_text() in bind asks the X server where the
 * pointer is, twice, for every cell that scrolls into view: on a long
 * list that round trip is most of the cost of a frame. */
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
  if (column == COLUMN_ITEMS || column == COLUMN_TOTAL)
    {
      gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
      gtk_widget_add_css_class (label, "numeric");
    }
  else
    {
      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
    }
  if (column == COLUMN_TIME || column == COLUMN_CUSTOMER)
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
  CpOrderItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;

  if (item == NULL)
    return;

  switch (column)
    {
    case COLUMN_NUMBER:
      text = g_strdup (cp_order_item_get_number (item));
      break;
    case COLUMN_TIME:
      text = cp_relative_time_format (cp_order_item_get_placed_at_us (item), g_get_real_time ());
      tooltip = cp_exact_time_format (cp_order_item_get_placed_at_us (item));
      break;
    case COLUMN_CHANNEL:
      text = cp_order_channel_label (cp_order_item_get_source (item));
      break;
    case COLUMN_CUSTOMER:
      text = g_strdup (cp_order_item_get_customer_name (item));
      tooltip = g_strdup (text);
      break;
    case COLUMN_ITEMS:
      text = g_strdup_printf ("%u", cp_order_item_get_n_lines (item));
      break;
    case COLUMN_TOTAL:
      text = cp_money_format (cp_order_item_get_total_minor (item), cp_order_item_get_currency (item));
      break;
    case COLUMN_STATUS:
      text = cp_order_status_label (cp_order_item_get_status (item));
      break;
    default:
      break;
    }

  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  g_object_set_data_full (G_OBJECT (label), "cp-tooltip", g_steal_pointer (&tooltip), g_free);
}

/* "2 minutes ago" goes stale: the labels on screen are kept so the poll
 * can rewrite them once a minute without reloading the list. */
static void
time_bound_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               CpOrdersPage             *self)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  CpOrderItem *item = gtk_list_item_get_item (list_item);

  if (item == NULL || self->time_labels == NULL)
    return;

  g_object_set_data_full (G_OBJECT (label), "cp-placed-at",
                          g_memdup2 (&(gint64) { cp_order_item_get_placed_at_us (item) }, sizeof (gint64)),
                          g_free);
  g_hash_table_add (self->time_labels, label);
}

static void
time_unbound_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 CpOrdersPage             *self)
{
  /* Also called while the page is disposed, after the set is gone. */
  if (self->time_labels != NULL)
    g_hash_table_remove (self->time_labels, gtk_list_item_get_child (list_item));
}

static void
refresh_times (CpOrdersPage *self)
{
  GHashTableIter iter;
  gpointer label;
  gint64 now = g_get_real_time ();

  g_hash_table_iter_init (&iter, self->time_labels);
  while (g_hash_table_iter_next (&iter, &label, NULL))
    {
      gint64 *at = g_object_get_data (G_OBJECT (label), "cp-placed-at");
      g_autofree char *text = NULL;

      if (at == NULL)
        continue;
      text = cp_relative_time_format (*at, now);
      gtk_label_set_text (GTK_LABEL (label), text);
    }
}

static void
add_column (CpOrdersPage *self,
            const char   *title,
            Column        column,
            int           fixed_width,
            gboolean      expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) view_column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (column));
  if (column == COLUMN_TIME)
    {
      g_signal_connect (factory, "bind", G_CALLBACK (time_bound_cb), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (time_unbound_cb), self);
    }

  view_column = gtk_column_view_column_new (title, g_object_ref (factory));
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_column_set_expand (view_column, expand);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (view_column, fixed_width);
  gtk_column_view_append_column (self->column_view, view_column);
}

/* Filters */

static gint64
period_since (guint period)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = NULL;

  switch (period)
    {
    case 0:
      /* Today in the shop's local time, not the last 24 hours. */
      midnight = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                        g_date_time_get_day_of_month (now), 0, 0, 0);
      return g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
    case 1:
      return g_get_real_time () - 7 * G_TIME_SPAN_DAY;
    case 2:
      return g_get_real_time () - 30 * G_TIME_SPAN_DAY;
    default:
      return 0;
    }
}

static const char *
selected_string (GtkDropDown *dropdown,
                 GPtrArray   *values)
{
  guint pos = gtk_drop_down_get_selected (dropdown);

  if (values == NULL || pos >= values->len)
    return NULL;

  return g_ptr_array_index (values, pos);
}

static gboolean
filters_active (CpOrdersPage *self)
{
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  return (search != NULL && *search != '\0')
         || selected_string (self->channel_dropdown, self->channels) != NULL
         || selected_string (self->status_dropdown, self->statuses) != NULL
         || gtk_drop_down_get_selected (self->period_dropdown) < 3;
}

static void
update_state (CpOrdersPage *self)
{
  const char *name;

  if (self->model == NULL)
    return;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    name = "list";
  else if (filters_active (self) && self->has_orders)
    name = "no-results";
  else
    name = "empty";

  gtk_stack_set_visible_child_name (self->stack, name);
}

/* Loads the model with FILTER. GTK 4.8's selection and list view answer
 * a model's items-changed (0, n, m) by fetching all m new items, looking
 * for the ones they held: seconds of SQLite on a million orders, on the UI
 * thread. Detached from the selection the model reloads unseen, and
 * attaching it again is a plain "m items added" that fetches only the rows
 * on screen. */
static void
load_model (CpOrdersPage        *self,
            const CpOrderFilter *filter)
{
  gtk_single_selection_set_model (self->selection, NULL);
  cp_order_model_set_filter (self->model, filter);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->model));
}

/* FORCE loads again even when the filter did not change (the ledger did). */
static void
apply_filter_full (CpOrdersPage *self,
                   gboolean      force)
{
  CpOrderFilter filter = { 0 };
  const char *search;

  if (self->model == NULL || self->filling)
    return;

  search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  filter.source = selected_string (self->channel_dropdown, self->channels);
  filter.status = selected_string (self->status_dropdown, self->statuses);
  filter.since_us = period_since (gtk_drop_down_get_selected (self->period_dropdown));
  filter.search = search != NULL && *search != '\0' ? search : NULL;

  if (!force && self->filter_applied &&
      g_strcmp0 (filter.source, self->applied_source) == 0 &&
      g_strcmp0 (filter.status, self->applied_status) == 0 &&
      g_strcmp0 (filter.search, self->applied_search) == 0 &&
      filter.since_us == self->applied_since_us)
    return;

  self->filter_applied = TRUE;
  g_free (self->applied_source);
  self->applied_source = g_strdup (filter.source);
  g_free (self->applied_status);
  self->applied_status = g_strdup (filter.status);
  g_free (self->applied_search);
  self->applied_search = g_strdup (filter.search);
  self->applied_since_us = filter.since_us;

  load_model (self, &filter);
  update_state (self);
}

static void
apply_filter (CpOrdersPage *self)
{
  apply_filter_full (self, FALSE);
}

/* Refills a filter dropdown with the values the ledger has, keeping the
 * current choice when it still exists. */
static void
fill_dropdown (CpOrdersPage  *self,
               GtkDropDown   *dropdown,
               GPtrArray    **values,
               GStrv          found,
               const char    *all_label,
               char        *(*label_func) (const char *))
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char *previous = g_strdup (selected_string (dropdown, *values));
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);
  guint selected = 0;

  gtk_string_list_append (labels, all_label);
  g_ptr_array_add (array, NULL);

  for (guint i = 0; found != NULL && found[i] != NULL; i++)
    {
      g_autofree char *label = label_func (found[i]);

      gtk_string_list_append (labels, label);
      g_ptr_array_add (array, g_strdup (found[i]));
      if (g_strcmp0 (previous, found[i]) == 0)
        selected = i + 1;
    }

  g_clear_pointer (values, g_ptr_array_unref);
  *values = array;

  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (dropdown, selected);
}

static void
fill_filters (CpOrdersPage *self)
{
  g_auto(GStrv) sources = cp_order_sources_list (self->ledger, NULL);
  g_auto(GStrv) statuses = cp_order_statuses_list (self->ledger, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) channels = NULL;

  /* The register is always offered, even before its first sale. */
  g_strv_builder_add (builder, "pos");
  for (guint i = 0; sources != NULL && sources[i] != NULL; i++)
    if (!g_str_equal (sources[i], "pos"))
      g_strv_builder_add (builder, sources[i]);
  channels = g_strv_builder_end (builder);

  self->filling = TRUE;
  fill_dropdown (self, self->channel_dropdown, &self->channels, channels,
                 _("All channels"), cp_order_channel_label);
  fill_dropdown (self, self->status_dropdown, &self->statuses, statuses,
                 _("All statuses"), cp_order_status_label);
  self->filling = FALSE;
}

static void
reload (CpOrdersPage *self)
{
  CpOrderItem *selected;
  gint64 selected_id;
  guint position;

  if (self->model == NULL)
    return;

  position = gtk_single_selection_get_selected (self->selection);
  selected = gtk_single_selection_get_selected_item (self->selection);
  selected_id = selected != NULL ? cp_order_item_get_id (selected) : 0;

  self->data_version = cp_ledger_data_version (self->ledger);
  self->has_orders = cp_orders_count (self->ledger) > 0;
  fill_filters (self);
  /* Loads the model again, with "Today" and friends recomputed; the list
   * stays where it was scrolled to rather than jumping to the top. */
  {
    GtkScrollable *scrollable = GTK_SCROLLABLE (self->column_view);
    GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (scrollable);
    double value = vadjustment != NULL ? gtk_adjustment_get_value (vadjustment) : 0.0;

    apply_filter_full (self, TRUE);
    if (vadjustment != NULL && value > 0.0)
      gtk_adjustment_set_value (vadjustment, value);
  }

  /* Keep the selection when the row stayed where it was; a new order on
   * top moves it down by one, so look there too. */
  for (guint p = position; selected_id != 0 && p <= position + 1; p++)
    {
      g_autoptr(CpOrderItem) item = NULL;

      if (p >= g_list_model_get_n_items (G_LIST_MODEL (self->model)))
        break;
      item = g_list_model_get_item (G_LIST_MODEL (self->model), p);
      if (item != NULL && cp_order_item_get_id (item) == selected_id)
        {
          self->restoring_selection = TRUE;
          gtk_single_selection_set_selected (self->selection, p);
          self->restoring_selection = FALSE;
          break;
        }
    }
  cp_order_detail_refresh (self->detail);
  update_state (self);
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  CpOrdersPage *self = user_data;

  self->reload_idle_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
ledger_changed_cb (CpLedger     *ledger,
                   const char   *table,
                   CpOrdersPage *self)
{
  if (self->reload_idle_id == 0)
    self->reload_idle_id = g_idle_add (reload_idle_cb, self);
}

static gboolean
poll_cb (gpointer user_data)
{
  CpOrdersPage *self = user_data;

  if (cp_ledger_data_version (self->ledger) != self->data_version)
    reload (self);
  else if (++self->poll_count % (60 / POLL_INTERVAL_SECONDS) == 0)
    refresh_times (self);

  return G_SOURCE_CONTINUE;
}

/* Callbacks */

static void
filter_changed_cb (CpOrdersPage *self)
{
  apply_filter (self);
}

static void
stop_search_cb (CpOrdersPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
back_clicked_cb (CpOrdersPage *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
selection_changed_cb (CpOrdersPage *self)
{
  CpOrderItem *item = gtk_single_selection_get_selected_item (self->selection);
  if (item != NULL)
    {
      cp_order_detail_show_order (self->detail, cp_order_item_get_id (item));
      /* Folded (a narrow window): the detail slides over the list. */
      if (adw_leaflet_get_folded (self->leaflet) && !self->restoring_selection)
        adw_leaflet_set_visible_child (self->leaflet, self->detail_box);
    }
}

static void
items_changed_cb (CpOrdersPage *self)
{
  update_state (self);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  gtk_widget_grab_focus (GTK_WIDGET (CP_ORDERS_PAGE (widget)->search_entry));
}

/* Lifecycle */

static void
cp_orders_page_map (GtkWidget *widget)
{
  CpOrdersPage *self = CP_ORDERS_PAGE (widget);

  GTK_WIDGET_CLASS (cp_orders_page_parent_class)->map (widget);

  if (self->poll_id == 0 && self->ledger != NULL)
    {
      poll_cb (self);
      self->poll_id = g_timeout_add_seconds (POLL_INTERVAL_SECONDS, poll_cb, self);
    }
}

static void
cp_orders_page_unmap (GtkWidget *widget)
{
  CpOrdersPage *self = CP_ORDERS_PAGE (widget);

  g_clear_handle_id (&self->poll_id, g_source_remove);

  GTK_WIDGET_CLASS (cp_orders_page_parent_class)->unmap (widget);
}

static void
cp_orders_page_constructed (GObject *object)
{
  CpOrdersPage *self = CP_ORDERS_PAGE (object);

  G_OBJECT_CLASS (cp_orders_page_parent_class)->constructed (object);

  g_return_if_fail (CP_IS_LEDGER (self->ledger));

  fill_filters (self);

  self->model = cp_order_model_new (self->ledger);
  /* It loaded every order already: apply_filter() below loads again only
   * when a filter is set. */
  self->filter_applied = TRUE;
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  /* Made with autoselect on, it picked the first row already: nothing is
   * picked until someone picks it. */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "items-changed",
                           G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);

  cp_order_detail_set_ledger (self->detail, self->ledger);

  self->changed_id = g_signal_connect (self->ledger, "changed::orders",
                                       G_CALLBACK (ledger_changed_cb), self);
  self->data_version = cp_ledger_data_version (self->ledger);
  self->has_orders = cp_orders_count (self->ledger) > 0;

  apply_filter (self);
  update_state (self);
}

static void
cp_orders_page_dispose (GObject *object)
{
  CpOrdersPage *self = (CpOrdersPage *) object;

  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_handle_id (&self->reload_idle_id, g_source_remove);
  if (self->ledger != NULL)
    g_clear_signal_handler (&self->changed_id, self->ledger);


  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->ledger);
  g_clear_pointer (&self->channels, g_ptr_array_unref);
  g_clear_pointer (&self->statuses, g_ptr_array_unref);
  g_clear_pointer (&self->applied_source, g_free);
  g_clear_pointer (&self->applied_status, g_free);
  g_clear_pointer (&self->applied_search, g_free);
  g_clear_pointer (&self->time_labels, g_hash_table_unref);

  G_OBJECT_CLASS (cp_orders_page_parent_class)->dispose (object);
}

static void
cp_orders_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CpOrdersPage *self = (CpOrdersPage *) object;

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
cp_orders_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CpOrdersPage *self = (CpOrdersPage *) object;

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
cp_orders_page_class_init (CpOrdersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cp_orders_page_constructed;
  object_class->dispose = cp_orders_page_dispose;
  object_class->get_property = cp_orders_page_get_property;
  object_class->set_property = cp_orders_page_set_property;

  widget_class->map = cp_orders_page_map;
  widget_class->unmap = cp_orders_page_unmap;

  properties[PROP_LEDGER] =
    g_param_spec_object ("ledger", NULL, NULL,
                         CP_TYPE_LEDGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CP_TYPE_ORDER_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cp-orders-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CpOrdersPage, top_bar);
  gtk_widget_class_bind_template_child (widget_class, CpOrdersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CpOrdersPage, channel_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CpOrdersPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CpOrdersPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CpOrdersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CpOrdersPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CpOrdersPage, detail_box);
  gtk_widget_class_bind_template_child (widget_class, CpOrdersPage, column_view);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, CpOrdersPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  gtk_widget_class_install_action (widget_class, "page.search", NULL, search_action);
}

static void
cp_orders_page_init (CpOrdersPage *self)
{
  self->time_labels = g_hash_table_new (NULL, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The flow box only lays the bar out: its cells take no focus, the
   * controls in them do. */
  for (GtkWidget *cell = gtk_widget_get_first_child (GTK_WIDGET (self->top_bar));
       cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    gtk_widget_set_focusable (cell, FALSE);

  add_column (self, _("Number"), COLUMN_NUMBER, 85, FALSE);
  add_column (self, _("Time"), COLUMN_TIME, 105, FALSE);
  add_column (self, _("Channel"), COLUMN_CHANNEL, 75, FALSE);
  add_column (self, _("Customer"), COLUMN_CUSTOMER, 70, TRUE);
  add_column (self, _("Items"), COLUMN_ITEMS, 45, FALSE);
  add_column (self, _("Total"), COLUMN_TOTAL, 85, FALSE);
  add_column (self, _("Status"), COLUMN_STATUS, 80, FALSE);
}

GtkWidget *
cp_orders_page_new (CpLedger *ledger)
{
  return g_object_new (CP_TYPE_ORDERS_PAGE, "ledger", ledger, NULL);
}

/* Testing accessors */

GtkColumnView *
_cp_orders_page_get_column_view (CpOrdersPage *self)
{
  return self->column_view;
}

GtkSearchEntry *
_cp_orders_page_get_search_entry (CpOrdersPage *self)
{
  return self->search_entry;
}

GtkDropDown *
_cp_orders_page_get_channel_dropdown (CpOrdersPage *self)
{
  return self->channel_dropdown;
}

GtkDropDown *
_cp_orders_page_get_period_dropdown (CpOrdersPage *self)
{
  return self->period_dropdown;
}

CpOrderDetail *
_cp_orders_page_get_detail (CpOrdersPage *self)
{
  return self->detail;
}

const char *
_cp_orders_page_get_state (CpOrdersPage *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

GPtrArray *
_cp_orders_page_get_channels (CpOrdersPage *self)
{
  return self->channels;
}

void
_cp_orders_page_poll (CpOrdersPage *self)
{
  poll_cb (self);
}
