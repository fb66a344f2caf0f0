/* cp-integration-detail-mapping.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Match Again runs the connector's refresh_mappings in a worker thread on a
 * ledger connection of its own, as `counterpart-cli integration map
 * --show` does: for a stored integration the mappings it writes are the
 * point (the wizard, before anything is stored, uses a scratch copy).
 */

#define G_LOG_DOMAIN "cp-integration-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-catalog.h"
#include "cp-connector.h"
#include "cp-credentials.h"
#include "cp-integration-detail-mapping.h"
#include "cp-integration-wizard.h"
#include "cp-sql.h"
#include "cp-stock-publish.h"

struct _CpIntegrationDetailMapping
{
  AdwPreferencesGroup  parent_instance;

  GtkWidget           *check_button;
  GtkWidget           *spinner;
  AdwActionRow        *summary_row;
  GPtrArray           *rows;          /* what update and the report added */

  CpLedger            *ledger;
  CpIntegration       *integration;
  CpMappingReport     *report;        /* of integration->id, or NULL */
  char                *report_error;
  GCancellable        *cancellable;
  gboolean             busy;
};

G_DEFINE_FINAL_TYPE (CpIntegrationDetailMapping, cp_integration_detail_mapping, ADW_TYPE_PREFERENCES_GROUP)

static gint64
count_mappings (CpLedger   *ledger,
                const char *id,
                const char *kind)
{
  g_autoptr(CpSqlStmt) stmt = cp_ledger_prepare (ledger,
                                                 "SELECT count(*) FROM integration_mappings "
                                                 "WHERE integration_id = ? AND kind = ?", NULL);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

static void
add_row (CpIntegrationDetailMapping *self,
         GtkWidget                  *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  g_ptr_array_add (self->rows, row);
}

static void
show_locations (CpIntegrationDetailMapping *self)
{
  g_autoptr(GPtrArray) locations = cp_locations_list (self->ledger, NULL);

  for (guint i = 0; locations != NULL && i < locations->len; i++)
    {
      CpLocation *location = g_ptr_array_index (locations, i);
      g_autofree char *remote = cp_integrations_get_remote_id (self->ledger, self->integration->id,
                                                               CP_MAPPING_KIND_LOCATION, location->code, NULL);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *name = g_strdup_printf ("mapping-location-%s", location->code);
      g_autofree char *title = NULL;

      /* Translators: %s is one of the shop's locations. */
      title = g_strdup_printf (_("Stock of %s"), location->name);
      gtk_widget_set_name (row, name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      if (remote != NULL)
        {
          /* Translators: %s is the store's id of one of its locations. */
          g_autofree char *label = cp_wizard_location_label (remote);
          g_autofree char *to = g_strdup_printf (_("Sent to the store’s location %s"), label);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), to);
        }
      else if (locations->len == 1)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Sent to the store’s main location"));
      else
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                     _("Not sent: choose a location for it with Edit the Connection"));
      add_row (self, row);
    }
}

static void
refresh_rows (CpIntegrationDetailMapping *self)
{
  g_autofree char *summary = NULL;
  gint64 matched;
  gint64 excluded;

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  if (self->integration == NULL)
    return;

  matched = count_mappings (self->ledger, self->integration->id, CP_MAPPING_KIND_VARIANT);
  excluded = count_mappings (self->ledger, self->integration->id, CP_MAPPING_KIND_PRODUCT_EXCLUDED);
  {
    g_autofree char *m = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u SKU matched", "%u SKUs matched",
                                                       (gulong) matched), (guint) matched);
    g_autofree char *x = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u product left out",
                                                       "%u products left out", (gulong) excluded),
                                          (guint) excluded);

    summary = g_strdup_printf ("%s, %s", m, x);
  }
  adw_action_row_set_subtitle (self->summary_row,
                               self->busy ? _("Reading the store’s catalog…")
                               : self->report_error != NULL ? self->report_error : summary);

  if (self->report != NULL)
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new ();

      /* Say what reaches a product in both as this store's permissions
       * have it, as the wizard does, not always "stock and prices". */
      cp_wizard_report_add_rows_sending (self->report,
                                         cp_integration_has_permission (self->integration,
                                                                        CP_PERMISSION_INVENTORY_SYNC),
                                         cp_integration_has_permission (self->integration,
                                                                        CP_PERMISSION_PRODUCTS_SYNC),
                                         rows);
      for (guint i = 0; i < rows->len; i++)
        add_row (self, g_ptr_array_index (rows, i));
    }
  show_locations (self);
}

/* Match Again */

typedef struct
{
  char *path;
  char *id;
  char *platform;
  char *base_url;
  char *key;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_free (data->path);
  g_free (data->id);
  g_free (data->platform);
  g_free (data->base_url);
  g_free (data->key);
  g_free (data);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(CpConnector) connector = NULL;
  g_autofree char *credentials = NULL;
  CpMappingReport *report = NULL;
  GError *error = NULL;

  ledger = cp_ledger_open (data->path, &error);
  if (ledger != NULL)
    credentials = cp_credentials_lookup_sync (data->key, cancellable, &error);
  if (credentials != NULL)
    connector = cp_connector_new_for_platform (data->platform, data->id, data->base_url, credentials, &error);
  if (connector != NULL)
    report = cp_connector_refresh_mappings (connector, ledger, cancellable, &error);
  if (credentials != NULL)
    explicit_bzero (credentials, strlen (credentials));
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) cp_mapping_report_free);
}

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CpIntegrationDetailMapping *self = CP_INTEGRATION_DETAIL_MAPPING (source);
  CheckData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  CpMappingReport *report = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), FALSE);
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_widget_set_sensitive (self->check_button, TRUE);
  if (self->integration == NULL || g_strcmp0 (self->integration->id, data->id) != 0)
    {
      g_clear_pointer (&report, cp_mapping_report_free);
      return;
    }
  g_clear_pointer (&self->report, cp_mapping_report_free);
  g_clear_pointer (&self->report_error, g_free);
  self->report = report;
  if (report == NULL)
    self->report_error = g_strdup (error->message);
  /* The connector may have mapped what it could. */
  cp_ledger_emit_changed (self->ledger, "integrations");
  refresh_rows (self);
}

static void
check_clicked_cb (CpIntegrationDetailMapping *self)
{
  g_autoptr(GTask) task = NULL;
  CheckData *data;

  if (self->busy || self->integration == NULL)
    return;
  data = g_new0 (CheckData, 1);
  data->path = g_strdup (cp_ledger_get_path (self->ledger));
  data->id = g_strdup (self->integration->id);
  data->platform = g_strdup (self->integration->platform);
  data->base_url = g_strdup (self->integration->base_url);
  data->key = cp_integrations_credential_key (self->ledger, self->integration->id, NULL);
  if (data->key == NULL)
    data->key = g_strdup ("");

  self->busy = TRUE;
  gtk_widget_set_visible (self->spinner, TRUE);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), TRUE);
  gtk_widget_set_sensitive (self->check_button, FALSE);
  adw_action_row_set_subtitle (self->summary_row, _("Reading the store’s catalog…"));
  task = g_task_new (self, self->cancellable, checked_cb, NULL);
  g_task_set_source_tag (task, check_clicked_cb);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  g_task_run_in_thread (task, check_thread);
}

/* GObject */

static void
cp_integration_detail_mapping_dispose (GObject *object)
{
  CpIntegrationDetailMapping *self = CP_INTEGRATION_DETAIL_MAPPING (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->integration, cp_integration_free);
  g_clear_pointer (&self->report, cp_mapping_report_free);
  g_clear_object (&self->ledger);
  G_OBJECT_CLASS (cp_integration_detail_mapping_parent_class)->dispose (object);
}

static void
cp_integration_detail_mapping_finalize (GObject *object)
{
  CpIntegrationDetailMapping *self = CP_INTEGRATION_DETAIL_MAPPING (object);

  g_clear_object (&self->cancellable);
  g_free (self->report_error);
  G_OBJECT_CLASS (cp_integration_detail_mapping_parent_class)->finalize (object);
}

static void
cp_integration_detail_mapping_class_init (CpIntegrationDetailMappingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cp_integration_detail_mapping_dispose;
  object_class->finalize = cp_integration_detail_mapping_finalize;
}

static void
cp_integration_detail_mapping_init (CpIntegrationDetailMapping *self)
{
  GtkWidget *suffix = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  self->rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Products and Locations"));
  self->summary_row = ADW_ACTION_ROW (adw_action_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->summary_row), "mapping-summary");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row), _("Matched by SKU"));
  adw_action_row_set_subtitle_lines (self->summary_row, 4);

  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_box_append (GTK_BOX (suffix), self->spinner);
  self->check_button = gtk_button_new_with_mnemonic (_("_Match Again"));
  gtk_widget_set_name (self->check_button, "check-mapping-button");
  gtk_widget_set_valign (self->check_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->check_button,
                               _("Read the store’s catalog again and match it with yours"));
  g_signal_connect_swapped (self->check_button, "clicked", G_CALLBACK (check_clicked_cb), self);
  gtk_box_append (GTK_BOX (suffix), self->check_button);
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (self->summary_row, suffix);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->summary_row));
}

GtkWidget *
cp_integration_detail_mapping_new (void)
{
  return g_object_new (CP_TYPE_INTEGRATION_DETAIL_MAPPING, NULL);
}

void
cp_integration_detail_mapping_update (CpIntegrationDetailMapping *self,
                                      CpLedger                   *ledger,
                                      const CpIntegration        *integration)
{
  g_return_if_fail (CP_IS_INTEGRATION_DETAIL_MAPPING (self));
  g_return_if_fail (CP_IS_LEDGER (ledger));

  if (self->integration == NULL || integration == NULL ||
      g_strcmp0 (self->integration->id, integration->id) != 0)
    {
      g_clear_pointer (&self->report, cp_mapping_report_free);
      g_clear_pointer (&self->report_error, g_free);
    }
  g_set_object (&self->ledger, ledger);
  g_clear_pointer (&self->integration, cp_integration_free);
  self->integration = integration != NULL ? cp_integration_copy (integration) : NULL;
  refresh_rows (self);
}

gboolean
cp_integration_detail_mapping_get_busy (CpIntegrationDetailMapping *self)
{
  g_return_val_if_fail (CP_IS_INTEGRATION_DETAIL_MAPPING (self), FALSE);
  return self->busy;
}
