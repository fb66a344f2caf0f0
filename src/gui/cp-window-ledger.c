/* cp-window-ledger.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening the window's ledger off the UI thread (preparing the demo shop
 * first in sandbox mode), and explaining on the error page why it could
 * not be opened.
 */

#define G_LOG_DOMAIN "cp-window"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cp-demo.h"
#include "cp-window-private.h"

static void
show_error (CpWindow     *self,
            const GError *error)
{
  g_autofree char *escaped = g_markup_escape_text (error->message, -1);
  g_autofree char *description = NULL;
  g_autofree char *path = cp_ledger_path_for_data_dir (self->data_dir);
  g_autofree char *path_text = NULL;
  gboolean can_retry = TRUE;

  /* The ledger's own messages already say what to do; anything else
   * (the data folder could not be made) gets the general advice. */
  if (error->domain == CP_LEDGER_ERROR)
    {
      description = g_steal_pointer (&escaped);
      /* Trying again cannot help a file that needs a newer Counterpart
       * or a backup; it can help a lock, a full disk or permissions. */
      can_retry = !g_error_matches (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_TOO_NEW) &&
                  !g_error_matches (error, CP_LEDGER_ERROR, CP_LEDGER_ERROR_CORRUPT);
    }
  else
    {
      description = g_strdup_printf ("%s\n\n%s", escaped,
                                     _("Check that the folder exists and that you may write to it, then try again."));
    }

  adw_status_page_set_description (self->error_page, description);
  {
    /* A path reads left to right even in Arabic: isolate it (LRI…PDI). */
    g_autofree char *isolated = g_strdup_printf ("\u2066%s\u2069", path);

    /* Translators: %s is the path of the ledger file. */
    path_text = g_strdup_printf (_("Ledger file: %s"), isolated);
  }
  gtk_label_set_label (self->error_path_label, path_text);
  gtk_widget_set_visible (self->retry_button, can_retry);

  gtk_stack_set_visible_child_name (self->main_stack, "error");
  _cp_window_set_status (self, CP_WINDOW_STATUS_FAILED);
}

static void
ledger_opened_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CpLedger) ledger = NULL;

  ledger = cp_ledger_open_finish (result, &error);
  /* The window may have closed while the ledger was opening. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (ledger == NULL)
    {
      show_error (self, error);
      return;
    }

  _cp_window_ledger_opened (self, ledger);
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *data_dir = task_data;
  gboolean sandbox = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "sandbox"));
  g_autofree char *path = cp_ledger_path_for_data_dir (data_dir);
  g_autoptr(CpLedger) ledger = NULL;
  g_autofree char *demo = NULL;
  GError *error = NULL;

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not create the folder %s: %s"),
                               data_dir, g_strerror (saved_errno));
      return;
    }

  if (!sandbox)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* The sandbox fills its own ledger with the demo shop once. This
   * connection is only for that; the window opens its own afterwards. */
  ledger = cp_ledger_open (path, &error);
  if (ledger == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  demo = cp_ledger_get_setting (ledger, "demo");
  if (g_strcmp0 (demo, "1") != 0)
    {
      CpDemoOptions options;

      cp_demo_options_init (&options);
      if (!cp_demo_populate (ledger, &options, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }

  g_task_return_boolean (task, TRUE);
}

static void
prepared_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CpWindow *self = CP_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_error (self, error);
      return;
    }

  path = cp_ledger_path_for_data_dir (self->data_dir);
  cp_ledger_open_async (path, self->cancellable, ledger_opened_cb, g_object_ref (self));
}

void
_cp_window_start_loading (CpWindow *self)
{
  g_autoptr(GTask) task = NULL;

  _cp_window_set_status (self, CP_WINDOW_STATUS_LOADING);
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
  if (self->sandbox)
    adw_status_page_set_title (self->loading_page, _("Preparing the Demo Shop…"));
  else
    adw_status_page_set_title (self->loading_page, _("Opening the Ledger…"));

  task = g_task_new (self, self->cancellable, prepared_cb, NULL);
  g_task_set_source_tag (task, _cp_window_start_loading);
  g_task_set_task_data (task, g_strdup (self->data_dir), g_free);
  g_object_set_data (G_OBJECT (task), "sandbox", GINT_TO_POINTER (self->sandbox));
  g_task_run_in_thread (task, prepare_thread);
}
