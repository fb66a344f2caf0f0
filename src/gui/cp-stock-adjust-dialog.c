/* cp-stock-adjust-dialog.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-stock-adjust-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-catalog.h"
#include "cp-stock-adjust-dialog.h"

struct _CpStockAdjustDialog
{
  AdwWindow       parent_instance;

  CpLedger       *ledger;
  char           *sku;
  GPtrArray      *location_codes;   /* char*, parallel to location_row's model */

  AdwWindowTitle *window_title;
  GtkButton      *adjust_button;
  AdwComboRow    *location_row;
  GtkSpinButton  *delta_spin;
  GtkDropDown    *reason_dropdown;
  AdwEntryRow    *note_row;
  GtkLabel       *result_label;
  GtkLabel       *error_label;
};

G_DEFINE_FINAL_TYPE (CpStockAdjustDialog, cp_stock_adjust_dialog, ADW_TYPE_WINDOW)

enum {
  ADJUSTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
selected_location (CpStockAdjustDialog *self)
{
  guint pos = adw_combo_row_get_selected (self->location_row);

  if (self->location_codes == NULL || pos >= self->location_codes->len)
    return NULL;

  return g_ptr_array_index (self->location_codes, pos);
}

static int
selected_reason (CpStockAdjustDialog *self)
{
  guint pos = gtk_drop_down_get_selected (self->reason_dropdown);

  /* The dropdown lists every reason in enum order. */
  if (pos == GTK_INVALID_LIST_POSITION || pos >= CP_N_STOCK_REASONS)
    return -1;

  return (int) pos;
}

static gint64
current_delta (CpStockAdjustDialog *self)
{
  return (gint64) gtk_spin_button_get_value (self->delta_spin);
}

static void
show_error (CpStockAdjustDialog *self,
            const char          *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_state (CpStockAdjustDialog *self)
{
  const char *code = selected_location (self);
  gint64 delta = current_delta (self);
  g_autoptr(CpStockLevel) level = NULL;

  show_error (self, NULL);

  if (code != NULL)
    level = cp_stock_get (self->ledger, self->sku, code, NULL);

  if (level != NULL && delta != 0)
    {
      g_autofree char *before = g_strdup_printf ("%" G_GINT64_FORMAT, level->on_hand);
      g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT, level->on_hand + delta);
      /* TRANSLATORS: "On hand at MAIN: 12 → 9" */
      g_autofree char *text = g_strdup_printf (_("On hand at %s: %s → %s"), code, before, after);
      gtk_label_set_text (self->result_label, text);
    }
  else if (level != NULL)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, level->on_hand);
      g_autofree char *text = g_strdup_printf (_("On hand at %s: %s"), code, count);
      gtk_label_set_text (self->result_label, text);
    }
  else
    {
      gtk_label_set_text (self->result_label, "");
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->adjust_button),
                            cp_stock_adjust_dialog_can_submit (self));
}

static void
input_changed_cb (CpStockAdjustDialog *self)
{
  update_state (self);
}

static void
location_changed_cb (CpStockAdjustDialog *self)
{
  update_state (self);
}

/* Enter in the note presses Adjust when it can be pressed. */
static void
activate_cb (CpStockAdjustDialog *self)
{
  if (cp_stock_adjust_dialog_can_submit (self))
    cp_stock_adjust_dialog_submit (self);
}

static void
adjust_clicked_cb (CpStockAdjustDialog *self)
{
  cp_stock_adjust_dialog_submit (self);
}

gboolean
cp_stock_adjust_dialog_can_submit (CpStockAdjustDialog *self)
{
  g_return_val_if_fail (CP_IS_STOCK_ADJUST_DIALOG (self), FALSE);

  return selected_location (self) != NULL
         && selected_reason (self) >= 0
         && current_delta (self) != 0;
}

gboolean
cp_stock_adjust_dialog_submit (CpStockAdjustDialog *self)
{
  g_autoptr(CpStockLevel) before = NULL;
  g_autoptr(GError) error = NULL;
  const char *code;
  const char *note;
  gint64 delta;
  gint64 movement_id = 0;
  int reason;

  g_return_val_if_fail (CP_IS_STOCK_ADJUST_DIALOG (self), FALSE);

  /* The spin button only commits typed text on activate or focus-out. */
  gtk_spin_button_update (self->delta_spin);

  code = selected_location (self);
  reason = selected_reason (self);
  delta = current_delta (self);

  if (reason < 0)
    {
      show_error (self, _("Choose a reason: the stock journal keeps why each change happened."));
      return FALSE;
    }
  if (delta == 0)
    {
      show_error (self, _("Enter how many units to add (or, with a minus sign, to take out)."));
      return FALSE;
    }
  if (code == NULL)
    {
      show_error (self, _("Choose a location."));
      return FALSE;
    }

  before = cp_stock_get (self->ledger, self->sku, code, &error);
  if (before == NULL)
    {
      show_error (self, error->message);
      return FALSE;
    }

  note = gtk_editable_get_text (GTK_EDITABLE (self->note_row));
  if (note != NULL && *note == '\0')
    note = NULL;

  if (!cp_stock_adjust (self->ledger, self->sku, code, delta, (CpStockReason) reason,
                        note, NULL, g_get_user_name (), &movement_id, &error))
    {
      /* Refused (e.g. below zero for damage): the person fixes the numbers
       * here instead of starting over. */
      show_error (self, error->message);
      return FALSE;
    }

  g_signal_emit (self, signals[ADJUSTED], 0,
                 movement_id, code, before->on_hand, before->on_hand + delta);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

const char *
cp_stock_adjust_dialog_get_sku (CpStockAdjustDialog *self)
{
  g_return_val_if_fail (CP_IS_STOCK_ADJUST_DIALOG (self), NULL);

  return self->sku;
}

const char *
cp_stock_adjust_dialog_get_error (CpStockAdjustDialog *self)
{
  g_return_val_if_fail (CP_IS_STOCK_ADJUST_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;

  return gtk_label_get_text (self->error_label);
}

void
cp_stock_adjust_dialog_set_values (CpStockAdjustDialog *self,
                                   const char          *location_code,
                                   gint64               delta,
                                   int                  reason,
                                   const char          *note)
{
  g_return_if_fail (CP_IS_STOCK_ADJUST_DIALOG (self));

  if (location_code != NULL && self->location_codes != NULL)
    {
      for (guint i = 0; i < self->location_codes->len; i++)
        if (g_strcmp0 (g_ptr_array_index (self->location_codes, i), location_code) == 0)
          adw_combo_row_set_selected (self->location_row, i);
    }

  gtk_spin_button_set_value (self->delta_spin, (double) delta);
  gtk_drop_down_set_selected (self->reason_dropdown,
                              reason >= 0 && reason < CP_N_STOCK_REASONS
                              ? (guint) reason : GTK_INVALID_LIST_POSITION);
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), note != NULL ? note : "");
  update_state (self);
}

static void
fill_locations (CpStockAdjustDialog *self,
                const char          *preselect)
{
  g_autoptr(GPtrArray) locations = NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  guint selected = 0;

  self->location_codes = g_ptr_array_new_with_free_func (g_free);

  locations = cp_locations_list (self->ledger, &error);
  if (locations == NULL)
    {
      show_error (self, error->message);
      return;
    }

  for (guint i = 0; i < locations->len; i++)
    {
      CpLocation *location = g_ptr_array_index (locations, i);
      g_autofree char *label = NULL;

      if (location->name != NULL && g_strcmp0 (location->name, location->code) != 0)
        label = g_strdup_printf ("%s (%s)", location->name, location->code);
      else
        label = g_strdup (location->code);

      gtk_string_list_append (labels, label);
      g_ptr_array_add (self->location_codes, g_strdup (location->code));
      if (g_strcmp0 (location->code, preselect) == 0)
        selected = i;
    }

  adw_combo_row_set_model (self->location_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->location_row, selected);
}

static void
cp_stock_adjust_dialog_dispose (GObject *object)
{
  CpStockAdjustDialog *self = (CpStockAdjustDialog *) object;

  g_clear_object (&self->ledger);
  g_clear_pointer (&self->sku, g_free);
  g_clear_pointer (&self->location_codes, g_ptr_array_unref);

  G_OBJECT_CLASS (cp_stock_adjust_dialog_parent_class)->dispose (object);
}

static void
cp_stock_adjust_dialog_class_init (CpStockAdjustDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_stock_adjust_dialog_dispose;

  /**
   * CpStockAdjustDialog::adjusted:
   * @movement_id: the journal row just written
   * @location_code: where
   * @before: on hand before
   * @after: on hand after
   */
  signals[ADJUSTED] =
    g_signal_new ("adjusted",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4,
                  G_TYPE_INT64, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cp-stock-adjust-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CpStockAdjustDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, CpStockAdjustDialog, adjust_button);
  gtk_widget_class_bind_template_child (widget_class, CpStockAdjustDialog, location_row);
  gtk_widget_class_bind_template_child (widget_class, CpStockAdjustDialog, delta_spin);
  gtk_widget_class_bind_template_child (widget_class, CpStockAdjustDialog, reason_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CpStockAdjustDialog, note_row);
  gtk_widget_class_bind_template_child (widget_class, CpStockAdjustDialog, result_label);
  gtk_widget_class_bind_template_child (widget_class, CpStockAdjustDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, adjust_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, input_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, location_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cp_stock_adjust_dialog_init (CpStockAdjustDialog *self)
{
  g_autoptr(GtkStringList) reasons = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (int r = 0; r < CP_N_STOCK_REASONS; r++)
    gtk_string_list_append (reasons, cp_stock_reason_to_label ((CpStockReason) r));

  gtk_drop_down_set_model (self->reason_dropdown, G_LIST_MODEL (reasons));
  gtk_drop_down_set_selected (self->reason_dropdown, GTK_INVALID_LIST_POSITION);
}

CpStockAdjustDialog *
cp_stock_adjust_dialog_new (GtkWindow  *parent,
                            CpLedger   *ledger,
                            const char *sku,
                            const char *location_code)
{
  CpStockAdjustDialog *self;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (sku != NULL, NULL);

  self = g_object_new (CP_TYPE_STOCK_ADJUST_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->ledger = g_object_ref (ledger);
  self->sku = g_strdup (sku);
  adw_window_title_set_subtitle (self->window_title, sku);

  fill_locations (self, location_code);
  update_state (self);

  return self;
}
