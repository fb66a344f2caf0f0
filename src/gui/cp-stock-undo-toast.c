/* cp-stock-undo-toast.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-stock-undo-toast"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-page-toast.h"
#include "cp-stock-undo-toast.h"
#include "cp-stock.h"

typedef struct
{
  GtkWidget *page;          /* weak */
  CpLedger  *ledger;        /* NULL once undone */
  char      *sku;
  char      *location_code;
  gint64     movement_id;
  gint64     delta;
} UndoData;

static void
undo_data_free (gpointer data)
{
  UndoData *undo = data;

  g_clear_weak_pointer (&undo->page);
  g_clear_object (&undo->ledger);
  g_free (undo->sku);
  g_free (undo->location_code);
  g_free (undo);
}

static void
undo_clicked_cb (AdwToast *toast,
                 UndoData *undo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;

  if (undo->ledger == NULL)
    return;

  /* Kept in the journal, which is data, not words for the screen: the
   * same in every language so it can be searched. */
  note = g_strdup_printf ("Undo of movement %" G_GINT64_FORMAT, undo->movement_id);
  if (!cp_stock_adjust (undo->ledger, undo->sku, undo->location_code, -undo->delta,
                        CP_STOCK_REASON_CORRECTION, note, NULL, g_get_user_name (),
                        NULL, &error))
    {
      if (undo->page != NULL)
        cp_page_add_toast (undo->page, adw_toast_new (error->message));
      return;
    }

  /* Pressed once: a second press would undo twice. */
  g_clear_object (&undo->ledger);
}

AdwToast *
cp_stock_undo_toast_new (GtkWidget  *page,
                         CpLedger   *ledger,
                         const char *sku,
                         const char *location_code,
                         gint64      movement_id,
                         gint64      before,
                         gint64      after)
{
  AdwToast *toast;
  UndoData *undo;
  g_autofree char *title = NULL;
  g_autofree char *before_text = NULL;
  g_autofree char *after_text = NULL;

  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);
  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  before_text = g_strdup_printf ("%" G_GINT64_FORMAT, before);
  after_text = g_strdup_printf ("%" G_GINT64_FORMAT, after);
  /* TRANSLATORS: "Stock of HELM-RED-L at MAIN: 12 → 9" */
  title = g_strdup_printf (_("Stock of %s at %s: %s → %s"),
                           sku, location_code, before_text, after_text);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);

  undo = g_new0 (UndoData, 1);
  g_set_weak_pointer (&undo->page, page);
  undo->ledger = g_object_ref (ledger);
  undo->sku = g_strdup (sku);
  undo->location_code = g_strdup (location_code);
  undo->movement_id = movement_id;
  undo->delta = after - before;
  g_object_set_data_full (G_OBJECT (toast), "cp-undo", undo, undo_data_free);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (undo_clicked_cb), undo);

  return toast;
}
