/* cp-page-toast.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-page-toast"

#include "config.h"

#include "cp-page-toast.h"
#include "cp-window.h"

#define LAST_TOAST_KEY "cp-page-last-toast"

void
cp_page_add_toast (GtkWidget *page,
                   AdwToast  *toast)
{
  GtkWidget *ancestor;

  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (ADW_IS_TOAST (toast));

  /* The caller's reference goes to the window (or is dropped); this one
   * keeps TOAST alive until the end of the function. */
  g_object_ref (toast);
  g_object_set_data_full (G_OBJECT (page), LAST_TOAST_KEY,
                          g_object_ref (toast), g_object_unref);

  ancestor = gtk_widget_get_ancestor (page, CP_TYPE_WINDOW);
  if (ancestor != NULL)
    {
      cp_window_add_toast (CP_WINDOW (ancestor), toast);
    }
  else
    {
      ancestor = gtk_widget_get_ancestor (page, ADW_TYPE_TOAST_OVERLAY);
      if (ancestor != NULL)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (ancestor), toast);
      else
        {
          g_debug ("No window to show the toast “%s” in", adw_toast_get_title (toast));
          g_object_unref (toast);
        }
    }

  g_object_unref (toast);
}

AdwToast *
cp_page_get_last_toast (GtkWidget *page)
{
  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);

  return g_object_get_data (G_OBJECT (page), LAST_TOAST_KEY);
}
