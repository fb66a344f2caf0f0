/* cp-variant-detail.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-variant-detail"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cp-categories.h"
#include "cp-money.h"
#include "cp-relative-time.h"
#include "cp-stock.h"
#include "cp-variant-detail.h"

#define N_MOVEMENTS 10

struct _CpVariantDetail
{
  AdwBin        parent_instance;

  CpLedger     *ledger;
  char         *sku;
  guint         n_movements;

  GtkStack     *stack;
  GtkLabel     *title_label;
  AdwActionRow *sku_row;
  AdwActionRow *barcode_row;
  AdwActionRow *price_row;
  AdwActionRow *cost_row;
  AdwActionRow *module_row;
  AdwActionRow *category_row;
  GtkListBox   *attributes_list;
  GtkFlowBox   *buttons_box;
  GtkListBox   *stock_list;
  GtkListBox   *movements_list;
};

G_DEFINE_FINAL_TYPE (CpVariantDetail, cp_variant_detail, ADW_TYPE_BIN)

const char *
cp_module_to_label (CpModule module)
{
  switch (module)
    {
    case CP_MODULE_GENERAL:
      return _("General");
    case CP_MODULE_MOTORCYCLE:
      return _("Motorcycles");
    case CP_MODULE_SPARES:
      return _("Spare parts");
    case CP_MODULE_WOOD:
      return _("Wood");
    case CP_MODULE_RENTAL:
      return _("Rental");
    case CP_MODULE_MANUFACTURING:
      return _("Manufacturing");
    case CP_N_MODULES:
    default:
      return _("Unknown");
    }
}

static const char *
field_label (const char *field)
{
  static const struct { const char *name; const char *label; } fields[] = {
    { "brand", N_("Brand") },
    { "model", N_("Model") },
    { "year", N_("Year") },
    { "part_number", N_("Part number") },
    { "compatibility", N_("Fits") },
    { "dimensions", N_("Dimensions") },
    { "type", N_("Type") },
    { "rental_duration", N_("Rental duration") },
    { "deposit", N_("Deposit") },
    { "material_type", N_("Material") },
    { "bom", N_("Bill of materials") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (fields[i].name, field) == 0)
      return _(fields[i].label);

  return field;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_attribute_row (CpVariantDetail *self,
                   const char      *title,
                   const char      *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "property");
  gtk_list_box_append (self->attributes_list, row);
}

static void
fill_attributes (CpVariantDetail *self,
                 const CpVariant *variant)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  clear_list (self->attributes_list);
  gtk_widget_set_visible (GTK_WIDGET (self->attributes_list), FALSE);

  if (variant->attributes_json == NULL
      || !json_parser_load_from_data (parser, variant->attributes_json, -1, NULL))
    return;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (object, l->data);
      g_autofree char *text = NULL;

      if (JSON_NODE_HOLDS_VALUE (node))
        {
          GValue value = G_VALUE_INIT;

          json_node_get_value (node, &value);
          if (G_VALUE_HOLDS_STRING (&value))
            text = g_value_dup_string (&value);
          else if (G_VALUE_HOLDS_INT64 (&value))
            text = g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (&value));
          else if (G_VALUE_HOLDS_BOOLEAN (&value))
            text = g_strdup (g_value_get_boolean (&value) ? _("Yes") : _("No"));
          else
            text = json_to_string (node, FALSE);
          g_value_unset (&value);
        }
      else if (!JSON_NODE_HOLDS_NULL (node))
        {
          text = json_to_string (node, FALSE);
        }

      if (text != NULL && *text != '\0')
        add_attribute_row (self, field_label (l->data), text);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->attributes_list),
                          gtk_widget_get_first_child (GTK_WIDGET (self->attributes_list)) != NULL);
}

/* One row per location: "MAIN", "24 on hand · 0 reserved · 28 safety",
 * and what can be sold at the end. Rows rather than a five-column table,
 * which would not fit the pane beside the list. */
static void
fill_stock (CpVariantDetail *self)
{
  g_autoptr(GPtrArray) levels = NULL;
  g_autoptr(GError) error = NULL;

  clear_list (self->stock_list);

  levels = cp_stock_list (self->ledger, self->sku, NULL, &error);
  if (levels == NULL)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), error->message);
      gtk_list_box_append (self->stock_list, row);
      return;
    }

  for (guint i = 0; i < levels->len; i++)
    {
      CpStockLevel *level = g_ptr_array_index (levels, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *available;
      g_autofree char *on_hand = g_strdup_printf ("%" G_GINT64_FORMAT, level->on_hand);
      g_autofree char *reserved = g_strdup_printf ("%" G_GINT64_FORMAT, level->reserved);
      g_autofree char *safety = g_strdup_printf ("%" G_GINT64_FORMAT, level->safety_stock);
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, level->available);
      g_autofree char *subtitle = NULL;
      g_autofree char *available_text = NULL;

      /* TRANSLATORS: stock at one location, e.g. "24 on hand · 0 reserved · 28 safety" */
      subtitle = g_strdup_printf (_("%s on hand · %s reserved · %s safety"), on_hand, reserved, safety);
      /* TRANSLATORS: what can be sold at a location, e.g. "26 available" */
      available_text = g_strdup_printf (_("%s available"), count);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), level->location_code);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_add_css_class (row, "numeric");

      available = gtk_label_new (available_text);
      gtk_widget_add_css_class (available, "numeric");
      /* Nothing left to sell, or less than the safety stock: say so in
       * the number too, not by colour alone. */
      if (level->available <= 0)
        gtk_widget_add_css_class (available, "warning");
      if (level->on_hand < 0)
        gtk_widget_add_css_class (available, "error");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), available);

      gtk_list_box_append (self->stock_list, row);
    }

  if (levels->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No locations yet"));
      gtk_list_box_append (self->stock_list, row);
    }
}

static void
fill_movements (CpVariantDetail *self)
{
  g_autoptr(GPtrArray) movements = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();

  clear_list (self->movements_list);
  self->n_movements = 0;

  movements = cp_stock_movements (self->ledger, self->sku, NULL, N_MOVEMENTS, &error);
  if (movements == NULL)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), error->message);
      gtk_list_box_append (self->movements_list, row);
      return;
    }

  for (guint i = 0; i < movements->len; i++)
    {
      CpStockMovement *movement = g_ptr_array_index (movements, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *after;
      g_autofree char *title = NULL;
      g_autofree char *when = cp_relative_time_format (movement->at_us, now);
      g_autofree char *exact = cp_exact_time_format (movement->at_us);
      g_autofree char *subtitle = NULL;
      g_autofree char *after_text = NULL;

      /* "+5 Received", "−3 Damaged": the sign is the first thing a person
       * reads, so it is always written. */
      title = g_strdup_printf ("%+" G_GINT64_FORMAT " %s", movement->delta,
                               cp_stock_reason_to_label (movement->reason));
      if (movement->note != NULL && *movement->note != '\0')
        subtitle = g_strdup_printf ("%s · %s · %s", movement->location_code, when, movement->note);
      else
        subtitle = g_strdup_printf ("%s · %s", movement->location_code, when);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_tooltip_text (row, exact);

      {
        g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, movement->on_hand_after);
        /* TRANSLATORS: after a stock movement, e.g. "24 on hand" */
        after_text = g_strdup_printf (_("%s on hand"), count);
      }
      after = gtk_label_new (after_text);
      gtk_widget_add_css_class (after, "numeric");
      gtk_widget_add_css_class (after, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), after);

      gtk_list_box_append (self->movements_list, row);
      self->n_movements++;
    }

  if (movements->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No movements yet"));
      gtk_list_box_append (self->movements_list, row);
    }
}

static void
set_row (AdwActionRow *row,
         const char   *text)
{
  adw_action_row_set_subtitle (row, text != NULL && *text != '\0' ? text : "—");
}

void
cp_variant_detail_refresh (CpVariantDetail *self)
{
  g_autoptr(CpVariant) variant = NULL;
  g_autofree char *price = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *category = NULL;
  gint64 category_id = 0;

  g_return_if_fail (CP_IS_VARIANT_DETAIL (self));

  if (self->ledger == NULL || self->sku == NULL
      || (variant = cp_catalog_get_by_sku (self->ledger, self->sku, NULL)) == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      set_row (self->sku_row, NULL);
      return;
    }

  {
    const char *options[] = { variant->option1, variant->option2, variant->option3 };
    g_autoptr(GString) title = g_string_new (variant->product_name);
    gboolean first = TRUE;

    for (guint i = 0; i < G_N_ELEMENTS (options); i++)
      {
        if (options[i] == NULL || *options[i] == '\0')
          continue;
        g_string_append (title, first ? " — " : " / ");
        g_string_append (title, options[i]);
        first = FALSE;
      }
    gtk_label_set_text (self->title_label, title->str);
  }

  price = cp_money_format (variant->price_minor, variant->currency);
  cost = variant->cost_minor >= 0 ? cp_money_format (variant->cost_minor, variant->currency) : NULL;

  set_row (self->sku_row, variant->sku);
  set_row (self->barcode_row, variant->barcode);
  set_row (self->price_row, price);
  set_row (self->cost_row, cost);
  set_row (self->module_row, cp_module_to_label (variant->module));
  /* Read only here: a category is set by the catalog import. */
  if (cp_categories_get_for_variant (self->ledger, variant->id, NULL, &category_id, NULL) &&
      category_id != 0)
    category = cp_categories_get_path (self->ledger, category_id, NULL);
  set_row (self->category_row, category);

  fill_attributes (self, variant);
  fill_stock (self);
  fill_movements (self);

  gtk_stack_set_visible_child_name (self->stack, "variant");
}

void
cp_variant_detail_set_ledger (CpVariantDetail *self,
                              CpLedger        *ledger)
{
  g_return_if_fail (CP_IS_VARIANT_DETAIL (self));

  g_set_object (&self->ledger, ledger);
  cp_variant_detail_refresh (self);
}

void
cp_variant_detail_show_sku (CpVariantDetail *self,
                            const char      *sku)
{
  g_return_if_fail (CP_IS_VARIANT_DETAIL (self));

  if (g_strcmp0 (self->sku, sku) != 0)
    {
      g_free (self->sku);
      self->sku = g_strdup (sku);
    }

  cp_variant_detail_refresh (self);
}

const char *
cp_variant_detail_get_sku (CpVariantDetail *self)
{
  g_return_val_if_fail (CP_IS_VARIANT_DETAIL (self), NULL);

  return self->sku;
}

const char *
cp_variant_detail_get_shown_sku (CpVariantDetail *self)
{
  const char *text;

  g_return_val_if_fail (CP_IS_VARIANT_DETAIL (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "variant") != 0)
    return "";

  text = adw_action_row_get_subtitle (self->sku_row);
  return text != NULL ? text : "";
}

guint
cp_variant_detail_get_n_movements (CpVariantDetail *self)
{
  g_return_val_if_fail (CP_IS_VARIANT_DETAIL (self), 0);

  return self->n_movements;
}

static void
cp_variant_detail_dispose (GObject *object)
{
  CpVariantDetail *self = (CpVariantDetail *) object;

  g_clear_object (&self->ledger);
  g_clear_pointer (&self->sku, g_free);

  G_OBJECT_CLASS (cp_variant_detail_parent_class)->dispose (object);
}

static void
cp_variant_detail_class_init (CpVariantDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_variant_detail_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cp-variant-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, CpVariantDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, CpVariantDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, CpVariantDetail, sku_row);
  gtk_widget_class_bind_template_child (widget_class, CpVariantDetail, barcode_row);
  gtk_widget_class_bind_template_child (widget_class, CpVariantDetail, price_row);
  gtk_widget_class_bind_template_child (widget_class, CpVariantDetail, cost_row);
  gtk_widget_class_bind_template_child (widget_class, CpVariantDetail, module_row);
  gtk_widget_class_bind_template_child (widget_class, CpVariantDetail, category_row);
  gtk_widget_class_bind_template_child (widget_class, CpVariantDetail, attributes_list);
  gtk_widget_class_bind_template_child (widget_class, CpVariantDetail, buttons_box);
  gtk_widget_class_bind_template_child (widget_class, CpVariantDetail, stock_list);
  gtk_widget_class_bind_template_child (widget_class, CpVariantDetail, movements_list);
}

static void
cp_variant_detail_init (CpVariantDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The flow box only wraps the buttons in a narrow pane; they take the
   * focus, not its cells. */
  for (GtkWidget *cell = gtk_widget_get_first_child (GTK_WIDGET (self->buttons_box));
       cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    gtk_widget_set_focusable (cell, FALSE);
}

GtkWidget *
cp_variant_detail_new (void)
{
  return g_object_new (CP_TYPE_VARIANT_DETAIL, NULL);
}
