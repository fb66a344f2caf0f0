/* cp-safety-stock-dialog.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-safety-stock-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-catalog.h"
#include "cp-page-toast.h"
#include "cp-safety-stock-dialog.h"
#include "cp-stock.h"

typedef struct
{
  GtkWidget     *page;      /* weak */
  CpLedger      *ledger;
  char          *sku;
  GPtrArray     *codes;
  GtkDropDown   *location;
  GtkSpinButton *quantity;
} SafetyData;

static void
safety_data_free (gpointer data)
{
  SafetyData *sd = data;

  g_clear_weak_pointer (&sd->page);
  g_clear_object (&sd->ledger);
  g_free (sd->sku);
  g_ptr_array_unref (sd->codes);
  g_free (sd);
}

static void
location_changed_cb (GtkDropDown *dropdown,
                     GParamSpec  *pspec,
                     SafetyData  *sd)
{
  guint pos = gtk_drop_down_get_selected (dropdown);
  g_autoptr(CpStockLevel) level = NULL;

  if (pos >= sd->codes->len)
    return;

  /* Start from what is set there now. */
  level = cp_stock_get (sd->ledger, sd->sku, g_ptr_array_index (sd->codes, pos), NULL);
  if (level != NULL)
    gtk_spin_button_set_value (sd->quantity, (double) level->safety_stock);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             SafetyData       *sd)
{
  g_autoptr(GError) error = NULL;
  const char *code;
  guint pos;
  gint64 quantity;

  if (g_strcmp0 (response, "set") != 0)
    return;

  pos = gtk_drop_down_get_selected (sd->location);
  if (pos >= sd->codes->len)
    return;

  gtk_spin_button_update (sd->quantity);
  code = g_ptr_array_index (sd->codes, pos);
  quantity = (gint64) gtk_spin_button_get_value (sd->quantity);

  if (!cp_stock_set_safety (sd->ledger, sd->sku, code, quantity, &error))
    {
      if (sd->page != NULL)
        cp_page_add_toast (sd->page, adw_toast_new (error->message));
      return;
    }

  if (sd->page != NULL)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, quantity);
      g_autofree char *title = g_strdup_printf (_("Safety stock of %s at %s: %s"),
                                                sd->sku, code, count);
      cp_page_add_toast (sd->page, adw_toast_new (title));
    }
}

void
cp_safety_stock_dialog_set_quantity (AdwMessageDialog *dialog,
                                     gint64            quantity)
{
  SafetyData *sd = g_object_get_data (G_OBJECT (dialog), "cp-safety-data");

  g_return_if_fail (sd != NULL);

  gtk_spin_button_set_value (sd->quantity, (double) quantity);
}

AdwMessageDialog *
cp_safety_stock_dialog_present (GtkWidget  *page,
                                CpLedger   *ledger,
                                const char *sku,
                                const char *location_code)
{
  g_autoptr(GPtrArray) locations = NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *label;
  GtkRoot *root;
  SafetyData *sd;
  guint selected = 0;

  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);
  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (sku != NULL, NULL);

  root = gtk_widget_get_root (page);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Set Safety Stock"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Units of %s kept back at a location: the stores are told "
                                    "that much less is available, so a last unit sold in the "
                                    "shop is not sold online too."),
                                  sku);

  sd = g_new0 (SafetyData, 1);
  g_set_weak_pointer (&sd->page, page);
  sd->ledger = g_object_ref (ledger);
  sd->sku = g_strdup (sku);
  sd->codes = g_ptr_array_new_with_free_func (g_free);

  locations = cp_locations_list (ledger, NULL);
  for (guint i = 0; locations != NULL && i < locations->len; i++)
    {
      CpLocation *location = g_ptr_array_index (locations, i);

      gtk_string_list_append (labels, location->code);
      g_ptr_array_add (sd->codes, g_strdup (location->code));
      if (g_strcmp0 (location->code, location_code) == 0)
        selected = i;
    }

  box = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (box), 12);
  gtk_grid_set_row_spacing (GTK_GRID (box), 6);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);

  label = gtk_label_new_with_mnemonic (_("_Location"));
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_grid_attach (GTK_GRID (box), label, 0, 0, 1, 1);
  sd->location = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (labels)), NULL));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (sd->location));
  gtk_grid_attach (GTK_GRID (box), GTK_WIDGET (sd->location), 1, 0, 1, 1);

  label = gtk_label_new_with_mnemonic (_("_Units kept back"));
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_grid_attach (GTK_GRID (box), label, 0, 1, 1, 1);
  sd->quantity = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 1000000000, 1));
  gtk_widget_add_css_class (GTK_WIDGET (sd->quantity), "numeric");
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (sd->quantity));
  gtk_grid_attach (GTK_GRID (box), GTK_WIDGET (sd->quantity), 1, 1, 1, 1);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "set", _("_Set"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "set",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "set");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "set", sd->codes->len > 0);

  g_object_set_data_full (G_OBJECT (dialog), "cp-safety-data", sd, safety_data_free);
  g_signal_connect (sd->location, "notify::selected", G_CALLBACK (location_changed_cb), sd);
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), sd);

  gtk_drop_down_set_selected (sd->location, selected);
  location_changed_cb (sd->location, NULL, sd);

  gtk_window_present (GTK_WINDOW (dialog));
  return ADW_MESSAGE_DIALOG (dialog);
}
