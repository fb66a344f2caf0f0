/* cp-integration-wizard.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Navigation and storing (the check is in cp-wizard-check.c). The answers
 * stay in this window until the last page, where one transaction writes
 * the integration, its settings and its mappings, and the keyring gets
 * the credentials, the row being taken out again if the keyring refuses:
 * Cancel anywhere leaves nothing. While the keyring is storing, the
 * window does not close: it would not know which of the two won.
 */

#define G_LOG_DOMAIN "cp-integration-wizard"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-credentials.h"
#include "cp-integration-row.h"
#include "cp-wizard-private.h"

G_DEFINE_FINAL_TYPE (CpIntegrationWizard, cp_integration_wizard, ADW_TYPE_WINDOW)

enum {
  SIGNAL_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const page_names[CP_WIZARD_N_PAGES] = {
  "platform", "mode", "credentials", "test", "permissions",
  "locations", "products", "policy", "done",
};

CpWizardPage
cp_wizard_current_page (CpIntegrationWizard *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);

  for (guint i = 0; i < CP_WIZARD_N_PAGES; i++)
    if (self->pages[i] == child)
      return i;
  return CP_WIZARD_PAGE_PLATFORM;
}

static const char *
page_subtitle (CpWizardPage page)
{
  switch (page)
    {
    case CP_WIZARD_PAGE_PLATFORM: return _("Platform");
    case CP_WIZARD_PAGE_MODE: return _("Sandbox or Your Store");
    case CP_WIZARD_PAGE_CREDENTIALS: return _("Credentials");
    case CP_WIZARD_PAGE_TEST: return _("Connection");
    case CP_WIZARD_PAGE_PERMISSIONS: return _("Permissions");
    case CP_WIZARD_PAGE_LOCATIONS: return _("Locations");
    case CP_WIZARD_PAGE_PRODUCTS: return _("Products");
    case CP_WIZARD_PAGE_POLICY: return _("Rules and Schedule");
    case CP_WIZARD_PAGE_DONE:
    case CP_WIZARD_N_PAGES:
    default: return NULL;
    }
}

void
cp_wizard_show_toast (CpIntegrationWizard *self,
                      const char          *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

void
cp_wizard_update_buttons (CpIntegrationWizard *self)
{
  CpWizardPage page = cp_wizard_current_page (self);
  gboolean done = page == CP_WIZARD_PAGE_DONE;
  gboolean can_next = !self->busy;

  gtk_widget_set_visible (self->cancel_button, !done);
  gtk_widget_set_sensitive (self->cancel_button, !self->storing);
  gtk_widget_set_visible (self->back_button, !done && self->history->len > 0);
  gtk_widget_set_sensitive (self->back_button, !self->busy);

  if (page == CP_WIZARD_PAGE_PLATFORM)
    can_next = can_next && cp_wizard_selected_platform (self) != NULL;
  else if (page == CP_WIZARD_PAGE_MODE)
    can_next = can_next && *gtk_editable_get_text (GTK_EDITABLE (self->name_row)) != '\0';
  else if (page == CP_WIZARD_PAGE_TEST)
    can_next = can_next && self->check_passed;

  if (done)
    gtk_button_set_label (self->next_button, _("_Done"));
  else if (page == CP_WIZARD_PAGE_POLICY)
    gtk_button_set_label (self->next_button, self->editing != NULL ? _("_Save") : _("_Connect"));
  else
    gtk_button_set_label (self->next_button, _("_Next"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), can_next || done);
  adw_window_title_set_subtitle (self->window_title, page_subtitle (page));
}

static void
show_page (CpIntegrationWizard *self,
           CpWizardPage         page,
           gboolean             remember)
{
  if (remember)
    {
      CpWizardPage from = cp_wizard_current_page (self);

      g_array_append_val (self->history, from);
    }
  if (page == CP_WIZARD_PAGE_CREDENTIALS)
    cp_wizard_update_credentials (self);
  gtk_stack_set_visible_child (self->stack, self->pages[page]);
  cp_wizard_update_buttons (self);
  if (page == CP_WIZARD_PAGE_TEST && !self->check_passed && !self->busy)
    cp_wizard_run_check (self);
}

void
cp_wizard_set_busy (CpIntegrationWizard *self,
                    gboolean             busy)
{
  self->busy = busy;
  cp_wizard_update_buttons (self);
}

/* Storing */

static gboolean
store_locations (CpIntegrationWizard  *self,
                 const char           *id,
                 GError              **error)
{
  g_autoptr(GPtrArray) pairs = cp_wizard_dup_locations (self);

  for (guint i = 0; i + 1 < pairs->len; i += 2)
    {
      const char *code = g_ptr_array_index (pairs, i);
      const char *remote = g_ptr_array_index (pairs, i + 1);
      gboolean ok;

      if (*remote == '\0')
        ok = cp_integrations_clear_mapping (self->ledger, id, CP_WIZARD_KIND_LOCATION, code, error);
      else
        ok = cp_integrations_set_mapping (self->ledger, id, CP_WIZARD_KIND_LOCATION, code, remote, NULL, error);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static void
finished (CpIntegrationWizard *self,
          gboolean             new_credentials)
{
  g_autofree char *description = NULL;
  CpEngine *engine = cp_widget_get_engine (GTK_WIDGET (self));
  const char *name = self->editing != NULL ? self->editing->name
                     : gtk_editable_get_text (GTK_EDITABLE (self->name_row));

  if (self->editing != NULL && self->editing->attention_kind != NULL &&
      (new_credentials || g_strcmp0 (self->editing->attention_kind, CP_ATTENTION_CREDENTIALS) != 0))
    {
      g_autoptr(GError) error = NULL;

      /* Checked just now: whatever needed a person may be fixed; the
       * engine says so again if not. */
      if (!cp_integrations_set_attention (self->ledger, self->editing->id, NULL, NULL, &error))
        g_warning ("Could not clear the attention of %s: %s", self->editing->id, error->message);
    }
  cp_ledger_emit_changed (self->ledger, "integrations");
  if (engine != NULL)
    cp_engine_sync_now (engine, self->created_id);

  cp_wizard_set_busy (self, FALSE);
  /* Translators: %s is the store's name in Counterpart. */
  description = g_strdup_printf (self->editing != NULL
                                 ? _("The changes to %s are saved. It syncs with them from now on.")
                                 : _("%s is connected and its first sync has started. Its page shows how it goes."),
                                 name);
  adw_status_page_set_title (self->done_status, self->editing != NULL ? _("Saved") : _("Connected"));
  adw_status_page_set_description (self->done_status, description);
  g_array_set_size (self->history, 0);
  show_page (self, CP_WIZARD_PAGE_DONE, FALSE);
  g_signal_emit (self, signals[SIGNAL_CREATED], 0, self->created_id);
}

static void
credentials_stored_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CpIntegrationWizard) self = user_data;
  g_autoptr(GError) error = NULL;

  self->storing = FALSE;
  if (!cp_credentials_store_finish (result, &error))
    {
      /* No integration without its credentials: take the row back out. */
      if (self->editing == NULL && self->created_id != NULL)
        {
          g_autoptr(GError) remove_error = NULL;

          if (!cp_integrations_remove (self->ledger, self->created_id, &remove_error))
            g_warning ("Could not remove the half-added integration %s: %s", self->created_id, remove_error->message);
          g_clear_pointer (&self->created_id, g_free);
        }
      if (g_cancellable_is_cancelled (self->cancellable))
        return;
      cp_wizard_set_busy (self, FALSE);
      cp_wizard_show_toast (self, error->message);
      return;
    }
  finished (self, TRUE);
}

static void
store_credentials (CpIntegrationWizard *self,
                   const char          *name)
{
  g_autofree char *credentials = cp_wizard_build_credentials (self);
  /* Translators: the label of a password in the keyring; %s is the
   * integration's name. */
  g_autofree char *label = g_strdup_printf (_("Counterpart: %s"), name);
  g_autofree char *key = cp_integrations_credential_key (self->ledger, self->created_id, NULL);

  /* No key (the ledger refused its identity): the store fails like any
   * keyring error, in credentials_stored_cb. */
  self->storing = TRUE;
  cp_credentials_store_async (key != NULL ? key : "", label, credentials, self->cancellable,
                              credentials_stored_cb, g_object_ref (self));
  explicit_bzero (credentials, strlen (credentials));
}

static void
finish (CpIntegrationWizard *self)
{
  const CpPlatformInfo *info = cp_wizard_selected_platform (self);
  g_auto(GStrv) permissions = cp_wizard_dup_permissions (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *url = NULL;
  const char *name;
  gboolean ok;

  if (info == NULL || self->busy || !self->check_passed)
    return;

  if (self->editing == NULL)
    {
      name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
      url = cp_wizard_get_base_url (self, TRUE);
      if (url == NULL)
        return;
    }
  else
    name = self->editing->name;
  settings = cp_wizard_build_settings (self, self->editing != NULL ? self->editing->settings : NULL);

  /* One transaction: the integration with all its answers, or nothing. */
  ok = cp_ledger_begin (self->ledger, &error);
  if (ok && self->editing == NULL)
    {
      g_free (self->created_id);
      self->created_id = cp_integrations_add (self->ledger, info->platform, name, url,
                                              (const char * const *) permissions, &error);
      ok = self->created_id != NULL;
    }
  else if (ok)
    ok = cp_integrations_set_permissions (self->ledger, self->created_id,
                                          (const char * const *) permissions, &error);
  ok = ok && cp_integrations_set_settings (self->ledger, self->created_id, settings, &error);
  ok = ok && store_locations (self, self->created_id, &error);
  ok = ok && cp_wizard_exclude_unmatched (self);
  ok = ok && cp_ledger_commit (self->ledger, &error);
  if (!ok)
    {
      if (cp_ledger_in_transaction (self->ledger))
        cp_ledger_rollback (self->ledger);
      if (self->editing == NULL)
        g_clear_pointer (&self->created_id, g_free);
      cp_wizard_show_toast (self, error != NULL ? error->message : _("The integration could not be saved."));
      return;
    }

  cp_wizard_set_busy (self, TRUE);
  if (self->editing == NULL || cp_wizard_typed_credentials (self))
    store_credentials (self, name);
  else
    finished (self, FALSE);
}

void
cp_wizard_sync_now (CpIntegrationWizard *self)
{
  CpEngine *engine = cp_widget_get_engine (GTK_WIDGET (self));

  if (engine == NULL || self->created_id == NULL)
    return;
  cp_engine_sync_now (engine, self->created_id);
  cp_wizard_show_toast (self, _("Syncing now"));
}

/* Navigation */

static gboolean
check_credentials_filled (CpIntegrationWizard *self)
{
  g_autofree char *url = NULL;
  gboolean typed = cp_wizard_typed_credentials (self);

  if (self->editing == NULL)
    {
      url = cp_wizard_get_base_url (self, TRUE);
      if (url == NULL)
        {
          gtk_widget_grab_focus (self->url_row);
          return FALSE;
        }
    }
  /* Editing may keep them all, or replace them all. */
  if (self->editing != NULL && !typed)
    return TRUE;
  for (guint i = 0; i < self->credential_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->credential_rows, i);
      const char *field = g_object_get_data (G_OBJECT (row), "field");
      g_autofree char *text = NULL;

      if (field == NULL || g_str_equal (field, "webhook_secret"))
        continue;
      text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
      if (*text == '\0')
        {
          g_autofree char *message = NULL;

          /* Translators: %s is a credential's name, such as "Access Token". */
          message = g_strdup_printf (_("Enter the %s: the help above says where to find it."),
                                     adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
          cp_wizard_show_toast (self, message);
          gtk_widget_grab_focus (row);
          return FALSE;
        }
    }
  return TRUE;
}

static void
next_clicked_cb (CpIntegrationWizard *self)
{
  CpWizardPage page = cp_wizard_current_page (self);

  if (self->busy)
    return;
  switch (page)
    {
    case CP_WIZARD_PAGE_PLATFORM:
      show_page (self, CP_WIZARD_PAGE_MODE, TRUE);
      break;
    case CP_WIZARD_PAGE_MODE:
      if (*gtk_editable_get_text (GTK_EDITABLE (self->name_row)) == '\0')
        return;
      show_page (self, cp_wizard_is_sandbox (self) ? CP_WIZARD_PAGE_TEST : CP_WIZARD_PAGE_CREDENTIALS, TRUE);
      break;
    case CP_WIZARD_PAGE_CREDENTIALS:
      if (check_credentials_filled (self))
        show_page (self, CP_WIZARD_PAGE_TEST, TRUE);
      break;
    case CP_WIZARD_PAGE_TEST:
      if (self->check_passed)
        show_page (self, CP_WIZARD_PAGE_PERMISSIONS, TRUE);
      break;
    case CP_WIZARD_PAGE_PERMISSIONS:
    case CP_WIZARD_PAGE_LOCATIONS:
    case CP_WIZARD_PAGE_PRODUCTS:
      if (page == CP_WIZARD_PAGE_PERMISSIONS)
        cp_wizard_show_report (self);
      show_page (self, page + 1, TRUE);
      break;
    case CP_WIZARD_PAGE_POLICY:
      finish (self);
      break;
    case CP_WIZARD_PAGE_DONE:
    case CP_WIZARD_N_PAGES:
    default:
      gtk_window_close (GTK_WINDOW (self));
      break;
    }
}

static void
back_clicked_cb (CpIntegrationWizard *self)
{
  CpWizardPage page;

  if (self->busy || self->history->len == 0)
    return;
  page = g_array_index (self->history, CpWizardPage, self->history->len - 1);
  g_array_set_size (self->history, self->history->len - 1);
  show_page (self, page, FALSE);
}

/* GObject */

static gboolean
cp_integration_wizard_close_request (GtkWindow *window)
{
  CpIntegrationWizard *self = CP_INTEGRATION_WIZARD (window);
  GtkWindowClass *parent = GTK_WINDOW_CLASS (cp_integration_wizard_parent_class);

  if (self->storing)
    return TRUE;
  return parent->close_request != NULL ? parent->close_request (window) : FALSE;
}

static void
cp_integration_wizard_dispose (GObject *object)
{
  CpIntegrationWizard *self = CP_INTEGRATION_WIZARD (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_INTEGRATION_WIZARD);
  g_clear_pointer (&self->platforms, g_ptr_array_unref);
  g_clear_pointer (&self->platform_checks, g_ptr_array_unref);
  g_clear_pointer (&self->credential_rows, g_ptr_array_unref);
  g_clear_pointer (&self->permission_rows, g_ptr_array_unref);
  g_clear_pointer (&self->location_rows, g_ptr_array_unref);
  g_clear_pointer (&self->report_rows, g_ptr_array_unref);
  g_clear_pointer (&self->editing, cp_integration_free);
  g_clear_pointer (&self->report, cp_mapping_report_free);
  g_clear_object (&self->ledger);
  G_OBJECT_CLASS (cp_integration_wizard_parent_class)->dispose (object);
}

static void
cp_integration_wizard_finalize (GObject *object)
{
  CpIntegrationWizard *self = CP_INTEGRATION_WIZARD (object);

  g_clear_object (&self->cancellable);
  g_array_unref (self->history);
  g_free (self->check_result);
  g_free (self->account_name);
  g_free (self->created_id);
  G_OBJECT_CLASS (cp_integration_wizard_parent_class)->finalize (object);
}

static void
cp_integration_wizard_class_init (CpIntegrationWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_integration_wizard_dispose;
  object_class->finalize = cp_integration_wizard_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = cp_integration_wizard_close_request;

  signals[SIGNAL_CREATED] =
    g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cp-integration-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationWizard, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationWizard, window_title);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationWizard, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationWizard, back_button);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationWizard, next_button);
  gtk_widget_class_bind_template_child (widget_class, CpIntegrationWizard, stack);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
}

static void
cp_integration_wizard_init (CpIntegrationWizard *self)
{
  self->platforms = g_ptr_array_new ();
  self->platform_checks = g_ptr_array_new ();
  self->credential_rows = g_ptr_array_new ();
  self->permission_rows = g_ptr_array_new ();
  self->location_rows = g_ptr_array_new ();
  self->report_rows = g_ptr_array_new ();
  self->history = g_array_new (FALSE, FALSE, sizeof (CpWizardPage));
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Enter in a field answers the page, as Next does. */
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->next_button));
  cp_wizard_build_pages (self);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

CpIntegrationWizard *
cp_integration_wizard_new (CpLedger *ledger,
                           gboolean  sandbox)
{
  CpIntegrationWizard *self;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  self = g_object_new (CP_TYPE_INTEGRATION_WIZARD, NULL);
  self->ledger = g_object_ref (ledger);
  cp_wizard_update_mode (self);
  if (sandbox && gtk_widget_get_sensitive (self->sandbox_row))
    {
      gtk_check_button_set_active (self->sandbox_check, TRUE);
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), _("Sandbox store"));
    }
  show_page (self, CP_WIZARD_PAGE_PLATFORM, FALSE);
  return self;
}

static void
present_over (GtkWidget *from,
              GtkWindow *window)
{
  GtkRoot *root = from != NULL ? gtk_widget_get_root (from) : NULL;

  if (root != NULL && GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (window, GTK_WINDOW (root));
  gtk_window_present (window);
}

CpIntegrationWizard *
cp_integration_wizard_open (GtkWidget *from,
                            CpLedger  *ledger,
                            gboolean   sandbox)
{
  CpIntegrationWizard *self = cp_integration_wizard_new (ledger, sandbox);

  present_over (from, GTK_WINDOW (self));
  return self;
}

CpIntegrationWizard *
cp_integration_wizard_edit (GtkWidget           *from,
                            CpLedger            *ledger,
                            const CpIntegration *integration)
{
  CpIntegrationWizard *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (integration != NULL, NULL);

  self = g_object_new (CP_TYPE_INTEGRATION_WIZARD, NULL);
  self->ledger = g_object_ref (ledger);
  self->editing = cp_integration_copy (integration);
  self->created_id = g_strdup (integration->id);
  /* Translators: %s is the integration's name. */
  title = g_strdup_printf (_("Edit %s"), integration->name);
  adw_window_title_set_title (self->window_title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  cp_wizard_load_integration (self);
  /* The sandbox's credentials are known: straight to the test. */
  show_page (self, cp_wizard_is_sandbox (self) ? CP_WIZARD_PAGE_TEST : CP_WIZARD_PAGE_CREDENTIALS, FALSE);
  present_over (from, GTK_WINDOW (self));
  return self;
}

const char *
cp_integration_wizard_get_page (CpIntegrationWizard *self)
{
  g_return_val_if_fail (CP_IS_INTEGRATION_WIZARD (self), NULL);
  return page_names[cp_wizard_current_page (self)];
}

gboolean
cp_integration_wizard_get_busy (CpIntegrationWizard *self)
{
  g_return_val_if_fail (CP_IS_INTEGRATION_WIZARD (self), FALSE);
  return self->busy;
}

const char *
cp_integration_wizard_get_check_result (CpIntegrationWizard *self)
{
  g_return_val_if_fail (CP_IS_INTEGRATION_WIZARD (self), NULL);
  return self->check_result;
}

gboolean
cp_integration_wizard_get_check_passed (CpIntegrationWizard *self)
{
  g_return_val_if_fail (CP_IS_INTEGRATION_WIZARD (self), FALSE);
  return self->check_passed;
}
