/* cp-catalog-transfer.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cp-catalog-transfer"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-catalog-transfer.h"
#include "cp-page-toast.h"

/* A dialog listing a thousand problems helps nobody: the first ones show
 * what kind of mistake the file has. */
#define MAX_PROBLEMS_SHOWN 200

struct _CpCatalogTransfer
{
  AdwBin            parent_instance;

  CpLedger         *ledger;
  GCancellable     *cancellable;
  char             *file_name;      /* for messages */
  CpExportFormat    format;

  GtkRevealer      *revealer;
  GtkLabel         *label;
  GtkProgressBar   *progress;
  GtkButton        *cancel_button;

  AdwMessageDialog *problem_dialog; /* weak */
  char             *problem_text;
  gboolean          disposed;
};

G_DEFINE_FINAL_TYPE (CpCatalogTransfer, cp_catalog_transfer, ADW_TYPE_BIN)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

gboolean
cp_export_format_from_filename (const char     *name,
                                CpExportFormat *out_format)
{
  g_autofree char *lower = NULL;

  if (name == NULL)
    return FALSE;

  lower = g_utf8_strdown (name, -1);
  if (g_str_has_suffix (lower, ".csv"))
    *out_format = CP_EXPORT_CSV;
  else if (g_str_has_suffix (lower, ".xlsx"))
    *out_format = CP_EXPORT_XLSX;
  else if (g_str_has_suffix (lower, ".json"))
    *out_format = CP_EXPORT_JSON;
  else
    return FALSE;

  return TRUE;
}

static const char *
format_extension (CpExportFormat format)
{
  switch (format)
    {
    case CP_EXPORT_XLSX:
      return "xlsx";
    case CP_EXPORT_JSON:
      return "json";
    case CP_EXPORT_CSV:
    default:
      return "csv";
    }
}

static GtkWindow *
parent_window (CpCatalogTransfer *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
begin_work (CpCatalogTransfer *self,
            const char        *text,
            GFile             *file)
{
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_free (self->file_name);
  self->file_name = g_file_get_basename (file);

  gtk_label_set_text (self->label, text);
  gtk_progress_bar_set_fraction (self->progress, 0.0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), TRUE);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
}

static void
end_work (CpCatalogTransfer *self,
          gboolean           success)
{
  g_clear_object (&self->cancellable);
  gtk_revealer_set_reveal_child (self->revealer, FALSE);
  g_signal_emit (self, signals[FINISHED], 0, success);
}

static void
progress_cb (guint64  done,
             guint64  total,
             gpointer user_data)
{
  CpCatalogTransfer *self = user_data;

  if (self->disposed)
    return;

  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress, MIN (1.0, (double) done / (double) total));
  else
    gtk_progress_bar_pulse (self->progress);
}

static void
show_problems (CpCatalogTransfer *self,
               CpImportReport    *report,
               const char        *message)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GtkWidget *dialog;
  GtkWidget *scrolled;
  GtkWidget *label;
  guint n = report != NULL && report->problems != NULL ? report->problems->len : 0;

  dialog = adw_message_dialog_new (parent_window (self), _("Nothing Was Imported"), NULL);

  if (n > 0)
    {
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      g_dngettext (GETTEXT_PACKAGE,
                                                   "“%s” has %u problem. The catalog is unchanged: "
                                                   "fix the file and import it again.",
                                                   "“%s” has %u problems. The catalog is unchanged: "
                                                   "fix the file and import it again.",
                                                   n),
                                      self->file_name, n);
      for (guint i = 0; i < n && i < MAX_PROBLEMS_SHOWN; i++)
        {
          g_autofree char *line = cp_import_problem_to_string (g_ptr_array_index (report->problems, i));

          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, line);
        }
      if (n > MAX_PROBLEMS_SHOWN)
        {
          g_string_append_c (text, '\n');
          g_string_append_printf (text,
                                  g_dngettext (GETTEXT_PACKAGE, "…and %u more problem",
                                               "…and %u more problems", n - MAX_PROBLEMS_SHOWN),
                                  n - MAX_PROBLEMS_SHOWN);
        }
    }
  else
    {
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      _("“%s” could not be imported. The catalog is unchanged."),
                                      self->file_name);
      g_string_append (text, message);
    }

  label = gtk_label_new (text->str);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_yalign (GTK_LABEL (label), 0.0f);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);

  /* A few problems fit as they are; many scroll. A wrapped label in a
   * scrolled window that propagates its natural height is measured at
   * the wrong width and cut, so the scrolled case gets a fixed height. */
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_NEVER,
                                  n > 6 ? GTK_POLICY_AUTOMATIC : GTK_POLICY_NEVER);
  if (n > 6)
    gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 260);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  gtk_widget_add_css_class (scrolled, "card");

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");

  g_free (self->problem_text);
  self->problem_text = g_strdup (text->str);
  g_set_weak_pointer (&self->problem_dialog, ADW_MESSAGE_DIALOG (dialog));

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CpCatalogTransfer) self = user_data;
  g_autoptr(CpImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = cp_catalog_import_csv_finish (CP_LEDGER (source), result, &report, &error);
  /* The page went away while the worker ran: its widgets are gone. */
  if (self->disposed)
    return;

  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cp_page_add_toast (GTK_WIDGET (self),
                           adw_toast_new (_("Import cancelled: the catalog is unchanged")));
      else
        show_problems (self, report, error->message);

      end_work (self, FALSE);
      return;
    }

  {
    g_autofree char *title = NULL;
    g_autofree char *counts = NULL;

    /* Two translatable pieces so each gets its own plural form. */
    counts = g_strdup_printf (_("%u new, %u updated, %u unchanged"),
                              report->created, report->updated, report->unchanged);
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Imported %u product: %s",
                                          "Imported %u products: %s",
                                          report->rows),
                             report->rows, counts);
    cp_page_add_toast (GTK_WIDGET (self), adw_toast_new (title));
  }

  end_work (self, TRUE);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CpCatalogTransfer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  gboolean ok;

  ok = cp_catalog_export_finish (CP_LEDGER (source), result, &error);
  /* The page went away while the worker ran: its widgets are gone. */
  if (self->disposed)
    return;
  if (ok)
    title = g_strdup_printf (_("Exported the catalog to “%s”"), self->file_name);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    title = g_strdup (_("Export cancelled"));
  else
    title = g_strdup_printf (_("The catalog could not be exported: %s"), error->message);

  cp_page_add_toast (GTK_WIDGET (self), adw_toast_new (title));
  end_work (self, ok);
}

void
cp_catalog_transfer_import_file (CpCatalogTransfer *self,
                                 GFile             *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (CP_IS_CATALOG_TRANSFER (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->ledger != NULL);

  if (cp_catalog_transfer_is_busy (self))
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      cp_page_add_toast (GTK_WIDGET (self),
                         adw_toast_new (_("Only files on this computer can be imported")));
      return;
    }

  begin_work (self, _("Importing products…"), file);
  cp_catalog_import_csv_async (self->ledger, path, progress_cb, self, self->cancellable,
                               import_done_cb, g_object_ref (self));
}

void
cp_catalog_transfer_export_file (CpCatalogTransfer *self,
                                 GFile             *file,
                                 CpExportFormat     format)
{
  g_autofree char *path = NULL;

  g_return_if_fail (CP_IS_CATALOG_TRANSFER (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->ledger != NULL);

  if (cp_catalog_transfer_is_busy (self))
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      cp_page_add_toast (GTK_WIDGET (self),
                         adw_toast_new (_("Choose a folder on this computer to export to")));
      return;
    }

  begin_work (self, _("Exporting the catalog…"), file);
  cp_catalog_export_async (self->ledger, path, format, progress_cb, self, self->cancellable,
                           export_done_cb, g_object_ref (self));
}

static void
import_response_cb (GtkNativeDialog   *chooser,
                    int                response,
                    CpCatalogTransfer *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        cp_catalog_transfer_import_file (self, file);
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

void
cp_catalog_transfer_choose_import (CpCatalogTransfer *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();

  g_return_if_fail (CP_IS_CATALOG_TRANSFER (self));

  chooser = gtk_file_chooser_native_new (_("Import Products"), parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  gtk_file_filter_set_name (csv, _("CSV files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);

  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_response_cb (GtkNativeDialog   *chooser,
                    int                response,
                    CpCatalogTransfer *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      const char *choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "format");
      CpExportFormat format = CP_EXPORT_CSV;
      g_autofree char *name = file != NULL ? g_file_get_basename (file) : NULL;

      if (file != NULL)
        {
          /* A name typed with an extension wins over the choice; a name
           * without one gets the chosen format's. */
          if (!cp_export_format_from_filename (name, &format))
            {
              g_autoptr(GFile) parent = g_file_get_parent (file);
              g_autofree char *with_ext = NULL;

              if (choice == NULL || !cp_export_format_from_string (choice, &format))
                format = CP_EXPORT_CSV;
              with_ext = g_strdup_printf ("%s.%s", name, format_extension (format));
              g_clear_object (&file);
              file = g_file_get_child (parent, with_ext);
            }
          cp_catalog_transfer_export_file (self, file, format);
        }
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

void
cp_catalog_transfer_choose_export (CpCatalogTransfer *self)
{
  GtkFileChooserNative *chooser;
  const char *ids[] = { "csv", "xlsx", "json", NULL };
  const char *labels[] = { N_("CSV"), N_("Excel workbook (XLSX)"), N_("JSON"), NULL };
  const char *translated[4];

  g_return_if_fail (CP_IS_CATALOG_TRANSFER (self));

  for (guint i = 0; i < 3; i++)
    translated[i] = _(labels[i]);
  translated[3] = NULL;

  chooser = gtk_file_chooser_native_new (_("Export Catalog"), parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "format", _("Format"),
                               ids, translated);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "format", "csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("catalog.csv"));

  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

gboolean
cp_catalog_transfer_is_busy (CpCatalogTransfer *self)
{
  g_return_val_if_fail (CP_IS_CATALOG_TRANSFER (self), FALSE);

  return self->cancellable != NULL;
}

void
cp_catalog_transfer_cancel (CpCatalogTransfer *self)
{
  g_return_if_fail (CP_IS_CATALOG_TRANSFER (self));

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      gtk_label_set_text (self->label, _("Cancelling…"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
    }
}

AdwMessageDialog *
cp_catalog_transfer_get_problem_dialog (CpCatalogTransfer *self)
{
  g_return_val_if_fail (CP_IS_CATALOG_TRANSFER (self), NULL);

  return self->problem_dialog;
}

const char *
cp_catalog_transfer_get_problem_text (CpCatalogTransfer *self)
{
  g_return_val_if_fail (CP_IS_CATALOG_TRANSFER (self), NULL);

  return self->problem_text;
}

void
cp_catalog_transfer_set_ledger (CpCatalogTransfer *self,
                                CpLedger          *ledger)
{
  g_return_if_fail (CP_IS_CATALOG_TRANSFER (self));

  g_set_object (&self->ledger, ledger);
}

static void
cp_catalog_transfer_dispose (GObject *object)
{
  CpCatalogTransfer *self = (CpCatalogTransfer *) object;

  self->disposed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->ledger);
  g_clear_weak_pointer (&self->problem_dialog);

  G_OBJECT_CLASS (cp_catalog_transfer_parent_class)->dispose (object);
}

static void
cp_catalog_transfer_finalize (GObject *object)
{
  CpCatalogTransfer *self = (CpCatalogTransfer *) object;

  g_free (self->file_name);
  g_free (self->problem_text);

  G_OBJECT_CLASS (cp_catalog_transfer_parent_class)->finalize (object);
}

static void
cp_catalog_transfer_class_init (CpCatalogTransferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cp_catalog_transfer_dispose;
  object_class->finalize = cp_catalog_transfer_finalize;

  /**
   * CpCatalogTransfer::finished:
   * @success: whether the import or export completed
   */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
cp_catalog_transfer_init (CpCatalogTransfer *self)
{
  GtkWidget *box;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0.0f);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));

  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->progress), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->progress), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->progress));

  self->cancel_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Cancel")));
  g_signal_connect_swapped (self->cancel_button, "clicked",
                            G_CALLBACK (cp_catalog_transfer_cancel), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->cancel_button));

  self->revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_child (self->revealer, box);
  gtk_revealer_set_reveal_child (self->revealer, FALSE);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->revealer));
}

GtkWidget *
cp_catalog_transfer_new (void)
{
  return g_object_new (CP_TYPE_CATALOG_TRANSFER, NULL);
}
