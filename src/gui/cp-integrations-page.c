/* cp-integrations-page.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list is rebuilt from cp_integrations_list() (one row per
 * integration: a small table) when the engine says an integration
 * changed or the ledger changed; several changes in one main-loop turn
 * cost one rebuild.
 */

#define G_LOG_DOMAIN "cp-integrations-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-application.h"
#include "cp-integration-detail.h"
#include "cp-integration-row.h"
#include "cp-integration-wizard.h"
#include "cp-integrations-page.h"
#include "cp-integrations.h"

/* "Up to date, 2 minutes ago" must age while nobody changes anything. */
#define CLOCK_SECONDS 30

struct _CpIntegrationsPage
{
  AdwBin               parent_instance;

  GtkStack            *stack;
  GtkWidget           *list_box;
  AdwStatusPage       *empty_status;
  GtkWidget           *list_group;
  GtkListBox          *list;

  GtkWidget           *warning;
  GtkLabel            *warning_label;
  CpIntegrationDetail *detail;

  CpLedger            *ledger;
  CpEngine            *engine;
  gboolean             sandbox;
  guint                n_integrations;
  guint                refresh_id;
  guint                clock_id;
};

G_DEFINE_FINAL_TYPE (CpIntegrationsPage, cp_integrations_page, ADW_TYPE_BIN)

static void
refresh_list (CpIntegrationsPage *self)
{
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  gint64 now = g_get_real_time ();

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  integrations = cp_integrations_list (self->ledger, &error);
  if (integrations == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The integrations could not be read"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
      gtk_list_box_append (self->list, row);
      self->n_integrations = 0;
      gtk_widget_set_visible (GTK_WIDGET (self->empty_status), FALSE);
      gtk_widget_set_visible (self->list_group, TRUE);
      return;
    }

  self->n_integrations = integrations->len;
  for (guint i = 0; i < integrations->len; i++)
    gtk_list_box_append (self->list,
                         cp_integration_row_new (self->ledger, g_ptr_array_index (integrations, i), now));

  gtk_widget_set_visible (GTK_WIDGET (self->empty_status), integrations->len == 0);
  gtk_widget_set_visible (self->list_group, integrations->len > 0);
}

void
cp_integrations_page_refresh (CpIntegrationsPage *self)
{
  g_return_if_fail (CP_IS_INTEGRATIONS_PAGE (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->ledger == NULL)
    return;
  refresh_list (self);
  if (self->detail != NULL)
    cp_integration_detail_refresh (self->detail);
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  CpIntegrationsPage *self = user_data;

  self->refresh_id = 0;
  cp_integrations_page_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
queue_refresh (CpIntegrationsPage *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_idle_cb, self);
}

static gboolean
clock_cb (gpointer user_data)
{
  CpIntegrationsPage *self = user_data;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    queue_refresh (self);
  return G_SOURCE_CONTINUE;
}

/* Navigation */

static void
detail_back_cb (CpIntegrationsPage *self)
{
  cp_integrations_page_show_integration (self, NULL);
}

void
cp_integrations_page_show_integration (CpIntegrationsPage *self,
                                       const char         *id)
{
  GtkWidget *old;

  g_return_if_fail (CP_IS_INTEGRATIONS_PAGE (self));

  if (id == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
      if (self->detail != NULL)
        {
          old = GTK_WIDGET (self->detail);
          self->detail = NULL;
          gtk_stack_remove (self->stack, old);
        }
      queue_refresh (self);
      return;
    }

  if (self->detail != NULL && g_strcmp0 (cp_integration_detail_get_id (self->detail), id) == 0)
    {
      cp_integration_detail_refresh (self->detail);
      gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->detail));
      return;
    }

  old = self->detail != NULL ? GTK_WIDGET (self->detail) : NULL;
  self->detail = CP_INTEGRATION_DETAIL (cp_integration_detail_new (self->ledger, id));
  g_signal_connect_object (self->detail, "back", G_CALLBACK (detail_back_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->detail, "removed", G_CALLBACK (detail_back_cb), self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->detail), "detail");
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (self->detail));
  if (old != NULL)
    gtk_stack_remove (self->stack, old);
}

const char *
cp_integrations_page_get_shown (CpIntegrationsPage *self)
{
  g_return_val_if_fail (CP_IS_INTEGRATIONS_PAGE (self), NULL);

  if (self->detail == NULL ||
      gtk_stack_get_visible_child (self->stack) != GTK_WIDGET (self->detail))
    return NULL;
  return cp_integration_detail_get_id (self->detail);
}

guint
cp_integrations_page_get_n_integrations (CpIntegrationsPage *self)
{
  g_return_val_if_fail (CP_IS_INTEGRATIONS_PAGE (self), 0);
  return self->n_integrations;
}

static void
row_activated_cb (CpIntegrationsPage *self,
                  GtkListBoxRow      *row)
{
  if (CP_IS_INTEGRATION_ROW (row))
    cp_integrations_page_show_integration (self, cp_integration_row_get_id (CP_INTEGRATION_ROW (row)));
}

static void
created_cb (CpIntegrationsPage *self,
            const char         *id)
{
  cp_integrations_page_refresh (self);
  cp_integrations_page_show_integration (self, id);
}

static void
add_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CpIntegrationsPage *self = CP_INTEGRATIONS_PAGE (widget);
  CpIntegrationWizard *dialog;

  dialog = cp_integration_wizard_open (widget, self->ledger, self->sandbox);
  g_signal_connect_object (dialog, "created", G_CALLBACK (created_cb), self, G_CONNECT_SWAPPED);
}

/* The keyring warning */

static void
build_warning (CpIntegrationsPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("Passwords Cannot Be Stored"));
  GtkWidget *label = gtk_label_new (NULL);

  /* The same plain card the window showed before there was a list. */
  gtk_widget_set_name (box, "credentials-warning");
  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_margin_start (texts, 6);
  gtk_widget_set_margin_end (texts, 18);
  gtk_widget_set_margin_top (texts, 12);
  gtk_widget_set_margin_bottom (texts, 12);
  gtk_widget_set_hexpand (texts, TRUE);

  gtk_widget_add_css_class (icon, "warning");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_margin_start (icon, 18);
  gtk_widget_set_margin_top (icon, 14);
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 24);

  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_add_css_class (heading, "warning");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);

  gtk_box_append (GTK_BOX (texts), heading);
  gtk_box_append (GTK_BOX (texts), label);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_widget_set_visible (box, FALSE);

  self->warning = box;
  self->warning_label = GTK_LABEL (label);
  gtk_box_prepend (GTK_BOX (self->list_box), box);
}

void
cp_integrations_page_set_warning (CpIntegrationsPage *self,
                                  const char         *message)
{
  g_return_if_fail (CP_IS_INTEGRATIONS_PAGE (self));

  gtk_label_set_label (self->warning_label, message != NULL ? message : "");
  gtk_widget_set_visible (self->warning, message != NULL);
}

/* GObject */

static void
cp_integrations_page_dispose (GObject *object)
{
  CpIntegrationsPage *self = CP_INTEGRATIONS_PAGE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  /* The bin lets go of its child first: the template may hold it too. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_INTEGRATIONS_PAGE);
  g_clear_object (&self->engine);
  g_clear_object (&self->ledger);
  G_OBJECT_CLASS (cp_integrations_page_parent_class)->dispose (object);
}

static void
cp_integrations_page_class_init (CpIntegrationsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_integrations_page_dispose;

  gtk_widget_class_install_action (widget_class, "integrations.add", NULL, add_activated);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cp-integrations-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationsPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationsPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationsPage, list_group);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationsPage, list);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
cp_integrations_page_init (CpIntegrationsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_warning (self);
}

static void
engine_integration_changed_cb (CpIntegrationsPage *self)
{
  queue_refresh (self);
}

static void
ledger_changed_cb (CpIntegrationsPage *self)
{
  queue_refresh (self);
}

GtkWidget *
cp_integrations_page_new (CpLedger *ledger,
                          gboolean  sandbox)
{
  CpIntegrationsPage *self;
  GApplication *app = g_application_get_default ();

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  self = g_object_new (CP_TYPE_INTEGRATIONS_PAGE, NULL);
  self->ledger = g_object_ref (ledger);
  self->sandbox = sandbox;

  /* The engine says when health, queues or cursors move; the ledger,
   * when this window (or counterpart-cli) changed something. */
  if (app != NULL && CP_IS_APPLICATION (app) && cp_application_get_engine (CP_APPLICATION (app)) != NULL)
    {
      self->engine = g_object_ref (cp_application_get_engine (CP_APPLICATION (app)));
      g_signal_connect_object (self->engine, "integration-changed",
                               G_CALLBACK (engine_integration_changed_cb), self, G_CONNECT_SWAPPED);
    }
  g_signal_connect_object (ledger, "changed::integrations", G_CALLBACK (ledger_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (ledger, "changed::outbox", G_CALLBACK (ledger_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (ledger, "changed::activity", G_CALLBACK (ledger_changed_cb),
                           self, G_CONNECT_SWAPPED);
  self->clock_id = g_timeout_add_seconds (CLOCK_SECONDS, clock_cb, self);

  refresh_list (self);
  return GTK_WIDGET (self);
}
