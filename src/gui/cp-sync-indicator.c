/* cp-sync-indicator.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The button follows the engine's signals (state, progress) and the
 * integrations' health in the ledger; the popover's list is built when
 * it opens, from the same words as everywhere else (cp-integration-row).
 */

#define G_LOG_DOMAIN "cp-sync-indicator"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-integration-row.h"
#include "cp-integrations.h"
#include "cp-sync-indicator.h"

struct _CpSyncIndicator
{
  AdwBin                parent_instance;

  GtkWidget            *button;
  GtkStack             *icon_stack;
  GtkImage             *icon;
  GtkSpinner           *spinner;
  GtkLabel             *progress_label;
  GtkPopover           *popover;
  GtkLabel             *state_label;
  GtkLabel             *empty_label;
  GtkBox               *list_box;
  GtkWidget            *footer;
  GtkWidget            *pause_button;

  CpLedger             *ledger;
  CpEngine             *engine;
  CpSyncIndicatorState  state;
  guint                 refresh_id;
};

G_DEFINE_FINAL_TYPE (CpSyncIndicator, cp_sync_indicator, ADW_TYPE_BIN)

static GPtrArray *
list_integrations (CpSyncIndicator *self)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *integrations;

  if (self->ledger == NULL)
    return g_ptr_array_new ();
  integrations = cp_integrations_list (self->ledger, &error);
  if (integrations == NULL)
    {
      g_warning ("Could not list the integrations: %s", error->message);
      return g_ptr_array_new ();
    }
  return integrations;
}

static void
sync_one_clicked_cb (GtkButton       *button,
                     CpSyncIndicator *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "integration-id");

  if (self->engine != NULL)
    cp_engine_sync_now (self->engine, id);
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
}

static void
open_integrations_clicked_cb (CpSyncIndicator *self)
{
  gtk_popover_popdown (self->popover);
}

static void
fill_popover (CpSyncIndicator *self,
              GPtrArray       *integrations)
{
  GtkWidget *child;
  gint64 now = g_get_real_time ();

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_box_remove (self->list_box, child);

  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), integrations->len == 0);
  gtk_widget_set_visible (self->pause_button, integrations->len > 0);

  for (guint i = 0; i < integrations->len; i++)
    {
      const CpIntegration *integration = g_ptr_array_index (integrations, i);
      CpIntegrationStatus status;
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *name = gtk_label_new (integration->name);
      GtkWidget *summary;
      GtkWidget *icon;
      GtkWidget *sync = gtk_button_new_from_icon_name ("emblem-synchronizing-symbolic");
      const char *css;

      cp_integration_status_describe (integration, now, &status);
      summary = gtk_label_new (status.summary);
      icon = gtk_image_new_from_icon_name (status.icon_name);
      css = cp_integration_health_css_class (status.health);
      if (css != NULL)
        gtk_widget_add_css_class (icon, css);
      gtk_widget_set_valign (icon, GTK_ALIGN_START);
      gtk_widget_set_margin_top (icon, 2);

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (name, "heading");
      gtk_label_set_xalign (GTK_LABEL (summary), 0);
      gtk_label_set_wrap (GTK_LABEL (summary), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (summary), 34);
      gtk_widget_add_css_class (summary, "dim-label");
      gtk_widget_add_css_class (summary, "caption");
      gtk_widget_set_hexpand (texts, TRUE);

      /* Translators: a tooltip; %s is the integration's name. */
      {
        g_autofree char *tooltip = g_strdup_printf (_("Sync %s now"), integration->name);

        gtk_widget_set_tooltip_text (sync, tooltip);
      }
      gtk_widget_set_valign (sync, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (sync, "flat");
      gtk_widget_set_sensitive (sync, self->engine != NULL && !cp_integration_is_paused (integration));
      g_object_set_data_full (G_OBJECT (sync), "integration-id", g_strdup (integration->id), g_free);
      g_signal_connect (sync, "clicked", G_CALLBACK (sync_one_clicked_cb), self);

      gtk_box_append (GTK_BOX (texts), name);
      gtk_box_append (GTK_BOX (texts), summary);
      gtk_box_append (GTK_BOX (row), icon);
      gtk_box_append (GTK_BOX (row), texts);
      gtk_box_append (GTK_BOX (row), sync);
      gtk_box_append (self->list_box, row);
      cp_integration_status_clear (&status);
    }
}

void
cp_sync_indicator_refresh (CpSyncIndicator *self)
{
  g_autoptr(GPtrArray) integrations = NULL;
  CpSyncIndicatorState state = CP_SYNC_INDICATOR_IDLE;
  gboolean attention = FALSE;
  const char *icon_name = "emblem-synchronizing-symbolic";
  const char *text = NULL;
  g_autofree char *progress = NULL;
  gint64 now = g_get_real_time ();

  g_return_if_fail (CP_IS_SYNC_INDICATOR (self));
  g_clear_handle_id (&self->refresh_id, g_source_remove);

  integrations = list_integrations (self);
  for (guint i = 0; i < integrations->len; i++)
    {
      CpIntegrationStatus status;

      cp_integration_status_describe (g_ptr_array_index (integrations, i), now, &status);
      if (status.health == CP_INTEGRATION_HEALTH_ATTENTION)
        attention = TRUE;
      cp_integration_status_clear (&status);
    }

  if (integrations->len == 0)
    {
      state = CP_SYNC_INDICATOR_NONE;
      text = _("No integrations connected");
    }
  else if (self->engine != NULL && cp_engine_get_paused (self->engine))
    {
      state = CP_SYNC_INDICATOR_PAUSED;
      icon_name = "media-playback-pause-symbolic";
      text = _("Syncing is paused");
    }
  else if (self->engine != NULL && cp_engine_get_state (self->engine) == CP_ENGINE_STATE_SYNCING)
    {
      guint done = 0, total = 0;

      state = CP_SYNC_INDICATOR_SYNCING;
      cp_engine_get_progress (self->engine, &done, &total);
      if (total > 0)
        /* Translators: progress of a sync, "3 of 12". */
        progress = g_strdup_printf (_("%u of %u"), MIN (done, total), total);
      text = _("Syncing…");
    }
  else if (attention || (self->engine != NULL && cp_engine_get_state (self->engine) == CP_ENGINE_STATE_ATTENTION))
    {
      state = CP_SYNC_INDICATOR_ATTENTION;
      icon_name = "dialog-warning-symbolic";
      text = _("Something needs your attention");
    }
  else
    {
      state = CP_SYNC_INDICATOR_IDLE;
      icon_name = "emblem-ok-symbolic";
      text = self->engine != NULL && cp_engine_get_state (self->engine) == CP_ENGINE_STATE_WAITING
             ? _("Waiting for the stores") : _("Everything is in step");
    }

  self->state = state;
  gtk_image_set_from_icon_name (self->icon, icon_name);
  if (state == CP_SYNC_INDICATOR_ATTENTION)
    gtk_widget_add_css_class (GTK_WIDGET (self->icon), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "warning");
  gtk_stack_set_visible_child (self->icon_stack, state == CP_SYNC_INDICATOR_SYNCING
                                                 ? GTK_WIDGET (self->spinner) : GTK_WIDGET (self->icon));
  gtk_spinner_set_spinning (self->spinner, state == CP_SYNC_INDICATOR_SYNCING);
  gtk_label_set_label (self->progress_label, progress != NULL ? progress : "");
  gtk_widget_set_visible (GTK_WIDGET (self->progress_label), progress != NULL);
  gtk_widget_set_tooltip_text (self->button, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  gtk_label_set_label (self->state_label, text);
  gtk_button_set_label (GTK_BUTTON (self->pause_button),
                        state == CP_SYNC_INDICATOR_PAUSED ? _("_Resume Syncing") : _("_Pause Syncing"));

  if (gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    fill_popover (self, integrations);
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  CpSyncIndicator *self = user_data;

  self->refresh_id = 0;
  cp_sync_indicator_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
queue_refresh (CpSyncIndicator *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_idle_cb, self);
}

static void
popover_show_cb (CpSyncIndicator *self)
{
  g_autoptr(GPtrArray) integrations = list_integrations (self);

  fill_popover (self, integrations);
}

static void
pause_clicked_cb (CpSyncIndicator *self)
{
  GtkApplication *app = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (root != NULL && GTK_IS_WINDOW (root))
    app = gtk_window_get_application (GTK_WINDOW (root));
  if (app != NULL && g_action_group_has_action (G_ACTION_GROUP (app), "pause-sync"))
    g_action_group_change_action_state (G_ACTION_GROUP (app), "pause-sync",
                                        g_variant_new_boolean (self->state != CP_SYNC_INDICATOR_PAUSED));
  else if (self->engine != NULL)
    cp_engine_set_paused (self->engine, self->state != CP_SYNC_INDICATOR_PAUSED);
  queue_refresh (self);
}

void
cp_sync_indicator_set_ledger (CpSyncIndicator *self,
                              CpLedger        *ledger)
{
  g_return_if_fail (CP_IS_SYNC_INDICATOR (self));

  if (self->ledger == ledger)
    return;
  if (self->ledger != NULL)
    g_signal_handlers_disconnect_by_data (self->ledger, self);
  g_set_object (&self->ledger, ledger);
  if (ledger != NULL)
    {
      g_signal_connect_swapped (ledger, "changed::integrations", G_CALLBACK (queue_refresh), self);
      g_signal_connect_swapped (ledger, "changed::outbox", G_CALLBACK (queue_refresh), self);
    }
  queue_refresh (self);
}

void
cp_sync_indicator_set_engine (CpSyncIndicator *self,
                              CpEngine        *engine)
{
  g_return_if_fail (CP_IS_SYNC_INDICATOR (self));

  if (self->engine == engine)
    return;
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  if (engine != NULL)
    {
      g_signal_connect_swapped (engine, "notify::state", G_CALLBACK (queue_refresh), self);
      g_signal_connect_swapped (engine, "notify::paused", G_CALLBACK (queue_refresh), self);
      g_signal_connect_swapped (engine, "progress", G_CALLBACK (queue_refresh), self);
      g_signal_connect_swapped (engine, "integration-changed", G_CALLBACK (queue_refresh), self);
    }
  queue_refresh (self);
}

CpSyncIndicatorState
cp_sync_indicator_get_state (CpSyncIndicator *self)
{
  g_return_val_if_fail (CP_IS_SYNC_INDICATOR (self), CP_SYNC_INDICATOR_NONE);
  return self->state;
}

const char *
cp_sync_indicator_get_label (CpSyncIndicator *self)
{
  g_return_val_if_fail (CP_IS_SYNC_INDICATOR (self), NULL);
  return gtk_label_get_label (self->progress_label);
}

static void
cp_sync_indicator_dispose (GObject *object)
{
  CpSyncIndicator *self = CP_SYNC_INDICATOR (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  cp_sync_indicator_set_engine (self, NULL);
  cp_sync_indicator_set_ledger (self, NULL);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  G_OBJECT_CLASS (cp_sync_indicator_parent_class)->dispose (object);
}

static void
cp_sync_indicator_class_init (CpSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cp_sync_indicator_dispose;
}

static void
cp_sync_indicator_init (CpSyncIndicator *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *open = gtk_button_new_with_mnemonic (_("Open Integrations"));
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->button = gtk_menu_button_new ();
  gtk_widget_set_name (self->button, "sync-button");
  self->icon_stack = GTK_STACK (gtk_stack_new ());
  self->icon = GTK_IMAGE (gtk_image_new_from_icon_name ("emblem-synchronizing-symbolic"));
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_stack_add_child (self->icon_stack, GTK_WIDGET (self->icon));
  gtk_stack_add_child (self->icon_stack, GTK_WIDGET (self->spinner));
  self->progress_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->progress_label), "numeric");
  gtk_widget_set_visible (GTK_WIDGET (self->progress_label), FALSE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->icon_stack));
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->progress_label));
  gtk_menu_button_set_child (GTK_MENU_BUTTON (self->button), content);

  /* The popover: the state, each integration with Sync Now, and the
   * way to the Integrations page. */
  self->state_label = GTK_LABEL (gtk_label_new (_("No integrations connected")));
  gtk_label_set_xalign (self->state_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "heading");
  self->empty_label = GTK_LABEL (gtk_label_new (_("Nothing is syncing. Once a store or service is connected, "
                                                  "its state and a Sync Now button appear here.")));
  gtk_label_set_xalign (self->empty_label, 0);
  gtk_label_set_wrap (self->empty_label, TRUE);
  gtk_label_set_max_width_chars (self->empty_label, 32);
  gtk_widget_add_css_class (GTK_WIDGET (self->empty_label), "dim-label");
  self->list_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  gtk_widget_set_margin_top (GTK_WIDGET (self->list_box), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->list_box), 6);

  gtk_actionable_set_action_target (GTK_ACTIONABLE (open), "s", "integrations");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "win.show-page");
  g_signal_connect_swapped (open, "clicked", G_CALLBACK (open_integrations_clicked_cb), self);
  self->pause_button = gtk_button_new_with_mnemonic (_("_Pause Syncing"));
  gtk_widget_set_name (self->pause_button, "pause-sync-button");
  g_signal_connect_swapped (self->pause_button, "clicked", G_CALLBACK (pause_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), open);
  gtk_box_append (GTK_BOX (buttons), self->pause_button);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_size_request (box, 280, -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->state_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->empty_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->list_box));
  gtk_box_append (GTK_BOX (box), buttons);

  self->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_child (self->popover, box);
  g_signal_connect_swapped (self->popover, "show", G_CALLBACK (popover_show_cb), self);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), GTK_WIDGET (self->popover));

  adw_bin_set_child (ADW_BIN (self), self->button);
  self->state = CP_SYNC_INDICATOR_NONE;
  gtk_widget_set_tooltip_text (self->button, _("No integrations connected"));
}
