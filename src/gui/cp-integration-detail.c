/* cp-integration-detail.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads one integration, its outbox counts and its last few events from
 * the window's ledger (a handful of indexed rows) whenever it changes.
 * Removing runs in a worker thread on a connection of its own: an
 * integration may take thousands of jobs with it.
 */

#define G_LOG_DOMAIN "cp-integration-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-activity.h"
#include "cp-credentials.h"
#include "cp-integration-detail-mapping.h"
#include "cp-integration-detail-reconcile.h"
#include "cp-integration-detail.h"
#include "cp-integration-row.h"
#include "cp-integration-wizard.h"
#include "cp-integrations.h"
#include "cp-outbox.h"
#include "cp-page-toast.h"
#include "cp-relative-time.h"

#define N_RECENT_EVENTS 5

struct _CpIntegrationDetail
{
  AdwBin               parent_instance;

  AdwAvatar           *avatar;
  GtkLabel            *name_label;
  GtkLabel            *platform_label;
  GtkButton           *pause_button;
  AdwActionRow        *state_row;
  GtkButton           *fix_button;
  AdwActionRow        *last_sync_row;
  AdwActionRow        *next_sync_row;
  AdwActionRow        *stock_check_row;
  GtkSpinner          *stock_check_spinner;
  GtkButton           *stock_check_button;
  AdwActionRow        *queue_row;
  AdwActionRow        *dead_row;
  GtkWidget           *retry_button;
  AdwActionRow        *address_row;
  AdwPreferencesGroup *permissions_group;
  AdwPreferencesGroup *activity_group;
  CpIntegrationDetailMapping *mapping_group;

  GPtrArray           *permission_rows;
  GPtrArray           *activity_rows;

  CpLedger            *ledger;
  char                *id;
  CpIntegration       *integration;
  CpIntegrationFix     fix;
  gboolean             updating;
  GCancellable        *cancellable;
  GCancellable        *stock_check;   /* while a stock check runs */
  AdwToast            *stock_toast;   /* weak: the last check's answer */
};

G_DEFINE_FINAL_TYPE (CpIntegrationDetail, cp_integration_detail, ADW_TYPE_BIN)

enum {
  SIGNAL_BACK,
  SIGNAL_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
set_count_row (AdwActionRow *row,
               guint         n,
               const char   *none)
{
  g_autofree char *text = NULL;

  if (n == 0)
    {
      adw_action_row_set_subtitle (row, none);
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change", "%u changes", n), n);
  adw_action_row_set_subtitle (row, text);
}

static void
permission_toggled_cb (GtkSwitch           *toggle,
                       GParamSpec          *pspec,
                       CpIntegrationDetail *self)
{
  g_autoptr(GPtrArray) permissions = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  if (self->updating || self->integration == NULL)
    return;

  for (guint i = 0; i < self->permission_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->permission_rows, i);
      GtkSwitch *row_switch = g_object_get_data (G_OBJECT (row), "switch");

      if (gtk_switch_get_active (row_switch))
        g_ptr_array_add (permissions, g_object_get_data (G_OBJECT (row), "permission"));
    }
  g_ptr_array_add (permissions, NULL);

  /* A few rows in one table: tiny, done here. */
  if (!cp_integrations_set_permissions (self->ledger, self->id,
                                        (const char * const *) permissions->pdata, &error))
    {
      cp_page_add_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      cp_integration_detail_refresh (self);
      return;
    }
  cp_ledger_emit_changed (self->ledger, "integrations");
}

static void
build_permissions (CpIntegrationDetail *self)
{
  guint n;
  const CpPermissionInfo *infos = cp_permission_infos (&n);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(infos[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(infos[i].consequence));
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_widget_set_name (row, infos[i].permission);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      g_object_set_data (G_OBJECT (row), "switch", toggle);
      g_object_set_data (G_OBJECT (row), "permission", (gpointer) infos[i].permission);
      g_signal_connect (toggle, "notify::active", G_CALLBACK (permission_toggled_cb), self);
      adw_preferences_group_add (self->permissions_group, row);
      g_ptr_array_add (self->permission_rows, row);
    }
}

static void
refresh_activity (CpIntegrationDetail *self,
                  gint64               now_us)
{
  CpActivityQuery query = { 0 };
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  clear_rows (self->activity_group, self->activity_rows);

  query.integration_id = self->id;
  query.limit = N_RECENT_EVENTS;
  events = cp_activity_query (self->ledger, &query, &error);
  if (events == NULL || events->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     events == NULL ? _("The activity could not be read")
                                                    : _("Nothing has happened yet"));
      if (error != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
      adw_preferences_group_add (self->activity_group, row);
      g_ptr_array_add (self->activity_rows, row);
      return;
    }

  for (guint i = 0; i < events->len; i++)
    {
      const CpActivityEvent *event = g_ptr_array_index (events, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *when = cp_relative_time_format (event->at, now_us);
      g_autofree char *exact = cp_exact_time_format (event->at);
      GtkWidget *icon;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), event->message);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), when);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
      gtk_widget_set_tooltip_text (row, exact);
      icon = gtk_image_new_from_icon_name (event->severity == CP_ACTIVITY_ERROR ? "dialog-error-symbolic"
                                           : event->severity == CP_ACTIVITY_WARNING ? "dialog-warning-symbolic"
                                           : "emblem-ok-symbolic");
      if (event->severity == CP_ACTIVITY_ERROR)
        gtk_widget_add_css_class (icon, "error");
      else if (event->severity == CP_ACTIVITY_WARNING)
        gtk_widget_add_css_class (icon, "warning");
      else
        gtk_widget_add_css_class (icon, "dim-label");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_preferences_group_add (self->activity_group, row);
      g_ptr_array_add (self->activity_rows, row);
    }
}

static void
refresh_stock_check (CpIntegrationDetail *self,
                     gint64               now_us)
{
  g_autoptr(CpStockCheck) last = NULL;
  g_autoptr(GError) error = NULL;
  gboolean running = self->stock_check != NULL;
  gboolean paused = cp_integration_is_paused (self->integration);

  gtk_widget_set_visible (GTK_WIDGET (self->stock_check_spinner), running);
  gtk_spinner_set_spinning (self->stock_check_spinner, running);
  gtk_button_set_label (self->stock_check_button, running ? _("_Cancel") : _("Check _Stock"));
  /* A paused store is not compared; the state row says it is paused. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->stock_check_button), running || !paused);

  if (running)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is the store's name. */
      text = g_strdup_printf (_("Comparing every product’s stock with “%s”…"), self->integration->name);
      adw_action_row_set_subtitle (self->stock_check_row, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->stock_check_row), NULL);
      return;
    }

  last = cp_stock_check_get_last (self->ledger, self->id, &error);
  if (last != NULL)
    {
      g_autofree char *summary = cp_stock_check_summary (last, now_us);
      g_autofree char *exact = cp_exact_time_format (last->at);

      adw_action_row_set_subtitle (self->stock_check_row, summary);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->stock_check_row), exact);
    }
  else
    {
      adw_action_row_set_subtitle (self->stock_check_row,
                                   error != NULL ? error->message
                                   : _("Not yet; Counterpart compares every product once a day"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->stock_check_row), NULL);
    }
}

void
cp_integration_detail_refresh (CpIntegrationDetail *self)
{
  g_autoptr(GError) error = NULL;
  CpIntegrationStatus status;
  gint64 now = g_get_real_time ();
  g_autofree char *isolated = NULL;

  g_return_if_fail (CP_IS_INTEGRATION_DETAIL (self));

  g_clear_pointer (&self->integration, cp_integration_free);
  self->integration = cp_integrations_get (self->ledger, self->id, &error);
  if (self->integration == NULL)
    {
      if (!g_error_matches (error, CP_INTEGRATIONS_ERROR, CP_INTEGRATIONS_ERROR_NOT_FOUND))
        g_warning ("Could not read the integration %s: %s", self->id, error->message);
      g_signal_emit (self, signals[SIGNAL_BACK], 0);
      return;
    }

  self->updating = TRUE;

  adw_avatar_set_text (self->avatar, self->integration->name);
  gtk_label_set_label (self->name_label, self->integration->name);
  gtk_label_set_label (self->platform_label, cp_integration_platform_name (self->integration->platform));

  cp_integration_status_describe (self->integration, now, &status);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->state_row), status.summary);
  self->fix = status.fix;
  gtk_widget_set_visible (GTK_WIDGET (self->fix_button),
                          status.fix_label != NULL && status.fix != CP_INTEGRATION_FIX_DETAILS);
  if (status.fix_label != NULL)
    gtk_button_set_label (self->fix_button, status.fix_label);
  cp_integration_status_clear (&status);

  if (cp_integration_is_paused (self->integration))
    gtk_button_set_label (self->pause_button, _("_Resume"));
  else
    gtk_button_set_label (self->pause_button, _("_Pause"));

  if (self->integration->last_success_at > 0)
    {
      g_autofree char *when = cp_relative_time_format (self->integration->last_success_at, now);
      g_autofree char *exact = cp_exact_time_format (self->integration->last_success_at);

      adw_action_row_set_subtitle (self->last_sync_row, when);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->last_sync_row), exact);
    }
  else
    {
      adw_action_row_set_subtitle (self->last_sync_row, _("Never"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->last_sync_row), NULL);
    }

  if (cp_integration_is_paused (self->integration))
    adw_action_row_set_subtitle (self->next_sync_row, _("Not while paused"));
  else if (self->integration->next_run_at > now)
    {
      g_autofree char *wait = cp_integration_format_wait (self->integration->next_run_at - now);
      g_autofree char *text = NULL;
      g_autofree char *exact = cp_exact_time_format (self->integration->next_run_at);

      /* Translators: %s is a duration such as "3 minutes". */
      text = g_strdup_printf (_("In %s"), wait);
      adw_action_row_set_subtitle (self->next_sync_row, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->next_sync_row), exact);
    }
  else
    adw_action_row_set_subtitle (self->next_sync_row, _("As soon as something changes"));

  refresh_stock_check (self, now);

  set_count_row (self->queue_row, self->integration->queue_depth, _("Nothing, all sent"));
  set_count_row (self->dead_row, self->integration->dead_jobs, _("None"));
  gtk_widget_set_visible (self->retry_button, self->integration->dead_jobs > 0);

  /* An address reads left to right even in Arabic. */
  isolated = g_strdup_printf ("\u2066%s\u2069", self->integration->base_url);
  adw_action_row_set_subtitle (self->address_row, isolated);

  for (guint i = 0; i < self->permission_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->permission_rows, i);

      gtk_switch_set_active (g_object_get_data (G_OBJECT (row), "switch"),
                             cp_integration_has_permission (self->integration,
                                                            g_object_get_data (G_OBJECT (row), "permission")));
    }

  cp_integration_detail_mapping_update (self->mapping_group, self->ledger, self->integration);
  refresh_activity (self, now);
  self->updating = FALSE;
}

/* Buttons */

static void
back_clicked_cb (CpIntegrationDetail *self)
{
  g_signal_emit (self, signals[SIGNAL_BACK], 0);
}

static void
sync_clicked_cb (CpIntegrationDetail *self)
{
  CpEngine *engine = cp_widget_get_engine (GTK_WIDGET (self));
  g_autofree char *title = NULL;

  if (engine == NULL || self->integration == NULL)
    return;
  cp_engine_sync_now (engine, self->id);
  /* Translators: %s is the integration's name. */
  title = g_strdup_printf (_("Syncing %s now"), self->integration->name);
  cp_page_add_toast (GTK_WIDGET (self), adw_toast_new (title));
}

static void
full_sync_clicked_cb (CpIntegrationDetail *self)
{
  CpEngine *engine = cp_widget_get_engine (GTK_WIDGET (self));
  g_autofree char *title = NULL;

  if (engine == NULL || self->integration == NULL)
    return;
  cp_engine_full_sync (engine, self->id);
  title = g_strdup_printf (_("Sending every product’s stock to %s again"), self->integration->name);
  cp_page_add_toast (GTK_WIDGET (self), adw_toast_new (title));
}

static void
dismiss_stock_toast (CpIntegrationDetail *self)
{
  if (self->stock_toast == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (self->stock_toast), (gpointer *) &self->stock_toast);
  adw_toast_dismiss (self->stock_toast);
  self->stock_toast = NULL;
}

static void
stock_check_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(CpIntegrationDetail) self = g_weak_ref_get (weak);
  g_autoptr(CpStockCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_weak_ref_clear (weak);
  g_free (weak);
  check = cp_stock_check_finish (result, &error);
  /* The page went away: nobody to tell. */
  if (self == NULL || self->ledger == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  cancellable = g_steal_pointer (&self->stock_check);

  if (check != NULL)
    title = cp_stock_check_describe (check, self->integration != NULL ? self->integration->name : "");
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    title = g_strdup (_("Counterpart finishes the stock check by itself; its result will be in "
                        "Recent Activity."));
  else
    title = g_strdup (error->message);

  /* A stale answer must not stand in front of this one in the queue. */
  dismiss_stock_toast (self);
  toast = adw_toast_new (title);
  {
    /* A toast's title is one ellipsized line, and these are sentences:
     * a wrapping label of its own shows all of it. */
    GtkWidget *label = gtk_label_new (title);

    gtk_label_set_wrap (GTK_LABEL (label), TRUE);
    gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
    gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_WORD);
    gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
    gtk_label_set_xalign (GTK_LABEL (label), 0);
    gtk_widget_add_css_class (label, "heading");
    adw_toast_set_custom_title (toast, label);
  }
  self->stock_toast = toast;
  g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &self->stock_toast);
  /* Sentences, not a word: time to read them. */
  adw_toast_set_timeout (toast, 10);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  cp_page_add_toast (GTK_WIDGET (self), toast);
  if (self->integration != NULL)
    cp_integration_detail_refresh (self);
}

static void
stock_check_clicked_cb (CpIntegrationDetail *self)
{
  GWeakRef *weak;

  if (self->integration == NULL)
    return;
  if (self->stock_check != NULL)
    {
      g_cancellable_cancel (self->stock_check);
      return;
    }

  /* Weak: the page may close while the engine is still comparing. */
  dismiss_stock_toast (self);
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  self->stock_check = g_cancellable_new ();
  cp_stock_check_async (cp_widget_get_engine (GTK_WIDGET (self)), self->ledger, self->id,
                        self->stock_check, stock_check_done_cb, weak);
  refresh_stock_check (self, g_get_real_time ());
}

static void
pause_clicked_cb (CpIntegrationDetail *self)
{
  if (self->integration == NULL)
    return;
  cp_integration_set_paused_with_undo (GTK_WIDGET (self), self->ledger, self->id,
                                       !cp_integration_is_paused (self->integration));
  cp_integration_detail_refresh (self);
}

static void
fix_clicked_cb (CpIntegrationDetail *self)
{
  cp_integration_apply_fix (GTK_WIDGET (self), self->ledger, self->id, self->fix);
  cp_integration_detail_refresh (self);
}

static void
retry_clicked_cb (CpIntegrationDetail *self)
{
  cp_integration_apply_fix (GTK_WIDGET (self), self->ledger, self->id, CP_INTEGRATION_FIX_RETRY);
  cp_integration_detail_refresh (self);
}

static void
edit_clicked_cb (CpIntegrationDetail *self)
{
  if (self->integration != NULL)
    cp_integration_wizard_edit (GTK_WIDGET (self), self->ledger, self->integration);
}

/* Remove */

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  const char *path = g_object_get_data (G_OBJECT (task), "path");
  const char *id = task_data;
  g_autoptr(CpLedger) ledger = NULL;
  g_autofree char *key = NULL;
  GError *error = NULL;

  ledger = cp_ledger_open (path, &error);
  if (ledger == NULL || !cp_integrations_remove (ledger, id, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The key goes too: nothing is left that could reach the store. */
  key = cp_integrations_credential_key (ledger, id, &error);
  if (key == NULL || !cp_credentials_clear_sync (key, cancellable, &error))
    {
      if (!g_error_matches (error, CP_CREDENTIALS_ERROR, CP_CREDENTIALS_ERROR_NOT_FOUND))
        g_warning ("The integration %s was removed but its key could not be: %s", id, error->message);
      g_clear_error (&error);
    }
  g_task_return_boolean (task, TRUE);
}

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CpIntegrationDetail *self = CP_INTEGRATION_DETAIL (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = g_strdup (user_data);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cp_page_add_toast (GTK_WIDGET (self), adw_toast_new (error->message));
      return;
    }
  cp_page_add_toast (GTK_WIDGET (self), adw_toast_new (title));
  cp_ledger_emit_changed (self->ledger, "integrations");
  g_signal_emit (self, signals[SIGNAL_REMOVED], 0, self->id);
}

static void
remove_response_cb (AdwMessageDialog    *dialog,
                    const char          *response,
                    CpIntegrationDetail *self)
{
  g_autoptr(GTask) task = NULL;
  char *title;

  if (g_strcmp0 (response, "remove") != 0 || self->integration == NULL)
    return;

  /* Translators: %s is the integration's name. */
  title = g_strdup_printf (_("%s was removed"), self->integration->name);
  task = g_task_new (self, self->cancellable, removed_cb, title);
  g_task_set_source_tag (task, remove_response_cb);
  g_task_set_task_data (task, g_strdup (self->id), g_free);
  g_object_set_data_full (G_OBJECT (task), "path", g_strdup (cp_ledger_get_path (self->ledger)), g_free);
  g_object_weak_ref (G_OBJECT (task), (GWeakNotify) g_free, title);
  g_task_run_in_thread (task, remove_thread);
}

static void
remove_clicked_cb (CpIntegrationDetail *self)
{
  GtkWidget *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = NULL;

  if (self->integration == NULL)
    return;

  /* Translators: %s is the integration's name. */
  heading = g_strdup_printf (_("Remove %s?"), self->integration->name);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("Counterpart stops syncing with this store and forgets its key. "
                                     "Orders already received stay in the ledger, and you can connect "
                                     "the store again at any time."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static void
cp_integration_detail_dispose (GObject *object)
{
  CpIntegrationDetail *self = CP_INTEGRATION_DETAIL (object);

  g_cancellable_cancel (self->cancellable);
  if (self->stock_check != NULL)
    g_cancellable_cancel (self->stock_check);
  g_clear_object (&self->stock_check);
  if (self->stock_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->stock_toast), (gpointer *) &self->stock_toast);
  self->stock_toast = NULL;
  /* The bin lets go of its child first: the template may hold it too. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_INTEGRATION_DETAIL);
  g_clear_pointer (&self->permission_rows, g_ptr_array_unref);
  g_clear_pointer (&self->activity_rows, g_ptr_array_unref);
  g_clear_pointer (&self->integration, cp_integration_free);
  g_clear_object (&self->ledger);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (cp_integration_detail_parent_class)->dispose (object);
}

static void
cp_integration_detail_finalize (GObject *object)
{
  CpIntegrationDetail *self = CP_INTEGRATION_DETAIL (object);

  g_free (self->id);
  G_OBJECT_CLASS (cp_integration_detail_parent_class)->finalize (object);
}

static void
cp_integration_detail_class_init (CpIntegrationDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_integration_detail_dispose;
  object_class->finalize = cp_integration_detail_finalize;

  signals[SIGNAL_BACK] =
    g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_REMOVED] =
    g_signal_new ("removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (CP_TYPE_INTEGRATION_DETAIL_MAPPING);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cp-integration-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, avatar);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, name_label);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, platform_label);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, pause_button);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, state_row);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, fix_button);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, last_sync_row);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, next_sync_row);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, stock_check_row);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, stock_check_spinner);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, stock_check_button);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, queue_row);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, dead_row);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, address_row);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, permissions_group);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, activity_group);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationDetail, mapping_group);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sync_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, full_sync_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, stock_check_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, pause_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, fix_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, edit_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
}

static void
cp_integration_detail_init (CpIntegrationDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->permission_rows = g_ptr_array_new ();
  self->activity_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  build_permissions (self);
}

GtkWidget *
cp_integration_detail_new (CpLedger   *ledger,
                           const char *id)
{
  CpIntegrationDetail *self;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (CP_TYPE_INTEGRATION_DETAIL, NULL);
  self->ledger = g_object_ref (ledger);
  self->id = g_strdup (id);
  cp_integration_detail_refresh (self);
  return GTK_WIDGET (self);
}

const char *
cp_integration_detail_get_id (CpIntegrationDetail *self)
{
  g_return_val_if_fail (CP_IS_INTEGRATION_DETAIL (self), NULL);
  return self->id;
}
