/* cp-add-integration-dialog.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test runs the connector in a worker thread (it talks to the store);
 * adding writes one row on the UI thread and stores the key through the
 * Secret Service asynchronously, removing the row again if that fails,
 * so there is never an integration without its key. The key itself goes
 * only from the password rows to the Secret Service and to the test.
 */

#define G_LOG_DOMAIN "cp-add-integration"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cp-add-integration-dialog.h"
#include "cp-application.h"
#include "cp-connector.h"
#include "cp-credentials.h"
#include "cp-integration-row.h"
#include "cp-sandbox-demo.h"

static const CpPermissionInfo permission_infos[] = {
  { CP_PERMISSION_INVENTORY_SYNC, N_("Stock Levels"),
    N_("Send stock levels to this store, so it never sells what you do not have") },
  { CP_PERMISSION_ORDERS_PULL, N_("Orders"),
    N_("Bring this store’s orders into Counterpart, and take their items from stock") },
  { CP_PERMISSION_ORDERS_PUSH, N_("Order Updates"),
    N_("Tell this store when an order is paid, sent or cancelled") },
  { CP_PERMISSION_PRODUCTS_SYNC, N_("Products and Prices"),
    N_("Create and change products and prices in this store to match Counterpart") },
};

const CpPermissionInfo *
cp_permission_infos (guint *out_n)
{
  if (out_n != NULL)
    *out_n = G_N_ELEMENTS (permission_infos);
  return permission_infos;
}

const char *
cp_credential_field_title (const char *field)
{
  static const struct { const char *field; const char *title; } titles[] = {
    { "api_key", N_("API Key") },
    { "access_token", N_("Access Token") },
    { "consumer_key", N_("Consumer Key") },
    { "consumer_secret", N_("Consumer Secret") },
    { "secret_key", N_("Secret Key") },
    { "client_id", N_("Client ID") },
    { "client_secret", N_("Client Secret") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_strcmp0 (field, titles[i].field) == 0)
      return _(titles[i].title);
  return field;
}

gboolean
cp_credential_field_is_secret (const char *field)
{
  /* An id or a domain may show; anything that opens the store may not. */
  return field != NULL &&
         (strstr (field, "key") != NULL || strstr (field, "secret") != NULL ||
          strstr (field, "token") != NULL || strstr (field, "password") != NULL);
}

/* Where to find the key, in two or three steps (seed 003's setup). */
static const char *
credentials_help (const char *platform)
{
  if (g_strcmp0 (platform, "ecomv2") == 0)
    return _("In your store’s admin, open Settings → API Keys, create a key for Counterpart and copy it here. "
             "Keys that start with “test_” belong to the store’s test mode.");
  return _("Your store’s admin lists these under its API or apps settings. Create a key for Counterpart and copy it here.");
}

struct _CpAddIntegrationDialog
{
  AdwWindow            parent_instance;

  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkButton           *save_button;
  AdwPreferencesGroup *platform_group;
  AdwComboRow         *platform_row;
  GtkWidget           *sandbox_row;
  GtkCheckButton      *sandbox_check;
  GtkCheckButton      *live_check;
  AdwPreferencesGroup *name_group;
  GtkWidget           *name_row;
  GtkWidget           *url_row;
  AdwPreferencesGroup *credentials_group;
  AdwActionRow        *test_row;
  GtkWidget           *test_spinner;
  GtkImage            *test_icon;
  GtkWidget           *test_button;
  AdwPreferencesGroup *permissions_group;

  GPtrArray           *platforms;         /* const CpPlatformInfo*, as in the combo */
  GPtrArray           *credential_rows;
  GPtrArray           *permission_rows;

  CpLedger            *ledger;
  CpIntegration       *editing;           /* Enter Again: the integration */
  GCancellable        *cancellable;
  gboolean             testing;
  gboolean             save_after_test;
  gboolean             test_passed;
  char                *test_result;
  char                *account_name;
};

G_DEFINE_FINAL_TYPE (CpAddIntegrationDialog, cp_add_integration_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const CpPlatformInfo *
selected_platform (CpAddIntegrationDialog *self)
{
  guint selected;

  if (self->editing != NULL)
    return cp_connector_lookup_platform (self->editing->platform);
  selected = adw_combo_row_get_selected (self->platform_row);
  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->platforms->len)
    return NULL;
  return g_ptr_array_index (self->platforms, selected);
}

static gboolean
is_sandbox (CpAddIntegrationDialog *self)
{
  return self->editing == NULL && gtk_check_button_get_active (self->sandbox_check);
}

static void
show_toast (CpAddIntegrationDialog *self,
            const char             *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
reset_test (CpAddIntegrationDialog *self)
{
  if (self->testing)
    return;
  self->test_passed = FALSE;
  g_clear_pointer (&self->test_result, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->test_icon), FALSE);
  adw_action_row_set_subtitle (self->test_row,
                               _("Checks the address and the key without changing anything in the store"));
}

static void
update_rows (CpAddIntegrationDialog *self)
{
  const CpPlatformInfo *info = selected_platform (self);
  g_autofree char *sandbox_credentials = info != NULL ? cp_sandbox_demo_dup_credentials (info->platform) : NULL;
  gboolean sandbox;

  /* The sandbox has a test version of some platforms only. */
  gtk_widget_set_sensitive (self->sandbox_row, sandbox_credentials != NULL);
  if (sandbox_credentials == NULL && gtk_check_button_get_active (self->sandbox_check))
    gtk_check_button_set_active (self->live_check, TRUE);
  sandbox = is_sandbox (self);

  /* The sandbox needs nothing more: its address and key are known. */
  gtk_widget_set_visible (self->url_row, !sandbox && self->editing == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->credentials_group), !sandbox);

  for (guint i = 0; i < self->credential_rows->len; i++)
    adw_preferences_group_remove (self->credentials_group, g_ptr_array_index (self->credential_rows, i));
  g_ptr_array_set_size (self->credential_rows, 0);

  if (info == NULL)
    return;

  adw_preferences_group_set_description (self->credentials_group, credentials_help (info->platform));
  for (guint i = 0; info->credential_fields != NULL && info->credential_fields[i] != NULL; i++)
    {
      const char *field = info->credential_fields[i];
      GtkWidget *row = cp_credential_field_is_secret (field) ? adw_password_entry_row_new ()
                                                              : adw_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cp_credential_field_title (field));
      gtk_widget_set_name (row, field);
      g_object_set_data_full (G_OBJECT (row), "field", g_strdup (field), g_free);
      g_signal_connect_swapped (row, "changed", G_CALLBACK (reset_test), self);
      adw_preferences_group_add (self->credentials_group, row);
      g_ptr_array_add (self->credential_rows, row);
    }
}

static void
platform_changed_cb (CpAddIntegrationDialog *self)
{
  reset_test (self);
  update_rows (self);
}

static void
mode_toggled_cb (CpAddIntegrationDialog *self)
{
  reset_test (self);
  update_rows (self);
}

static void
inputs_changed_cb (CpAddIntegrationDialog *self)
{
  reset_test (self);
}

/* The credentials as the JSON object the connector reads. */
static char *
build_credentials (CpAddIntegrationDialog *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (is_sandbox (self))
    return cp_sandbox_demo_dup_credentials (selected_platform (self)->platform);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  for (guint i = 0; i < self->credential_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->credential_rows, i);
      g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

      json_builder_set_member_name (builder, g_object_get_data (G_OBJECT (row), "field"));
      json_builder_add_string_value (builder, value);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* The address to connect to, or NULL with a toast saying what is wrong. */
static char *
get_base_url (CpAddIntegrationDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (self->editing != NULL)
    return g_strdup (self->editing->base_url);

  if (is_sandbox (self))
    {
      GApplication *app = g_application_get_default ();
      CpSandboxServer *server = NULL;

      if (app != NULL && CP_IS_APPLICATION (app))
        server = cp_application_get_sandbox_server (CP_APPLICATION (app), &error);
      if (server == NULL)
        {
          show_toast (self, error != NULL ? error->message : _("The sandbox is not running."));
          return NULL;
        }
      return cp_sandbox_server_dup_platform_url (server, selected_platform (self)->platform);
    }

  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));
  if (*url == '\0')
    {
      show_toast (self, _("Enter the store’s address, as you would type it in a browser."));
      gtk_widget_grab_focus (self->url_row);
      return NULL;
    }
  if (!cp_integrations_validate_base_url (url, &error))
    {
      show_toast (self, error->message);
      gtk_widget_grab_focus (self->url_row);
      return NULL;
    }
  return g_steal_pointer (&url);
}

/* Test connection */

typedef struct
{
  char *platform;
  char *base_url;
  char *credentials;
} TestData;

static void
test_data_free (TestData *data)
{
  g_free (data->platform);
  g_free (data->base_url);
  /* The key is wiped, not just freed. */
  if (data->credentials != NULL)
    explicit_bzero (data->credentials, strlen (data->credentials));
  g_free (data->credentials);
  g_free (data);
}

static void
test_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TestData *data = task_data;
  g_autoptr(CpConnector) connector = NULL;
  char *account = NULL;
  GError *error = NULL;

  connector = cp_connector_new_for_platform (data->platform, "test", data->base_url,
                                             data->credentials, &error);
  if (connector == NULL || !cp_connector_test (connector, &account, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, account != NULL ? account : g_strdup (""), g_free);
}

/* What went wrong, in the words of someone running a shop. */
static char *
describe_test_error (const GError *error)
{
  if (error->domain != CP_CONNECTOR_ERROR)
    return g_strdup (error->message);

  switch ((CpConnectorError) error->code)
    {
    case CP_CONNECTOR_ERROR_AUTH:
      return g_strdup (_("The store rejected the key. Check that you copied all of it, or create a new one in the store’s admin."));
    case CP_CONNECTOR_ERROR_PERMISSION:
      return g_strdup (_("The key works, but the store does not let it do everything Counterpart needs. Give it more permissions in the store’s admin."));
    case CP_CONNECTOR_ERROR_RATE_LIMITED:
      return g_strdup (_("The store asked us to slow down. Wait a minute and test again."));
    case CP_CONNECTOR_ERROR_TRANSIENT:
      return g_strdup (_("The store could not be reached. Check the address and the internet connection, then test again."));
    case CP_CONNECTOR_ERROR_NOT_FOUND:
      return g_strdup (_("Nothing answered as a store at this address. Check the address."));
    case CP_CONNECTOR_ERROR_INVALID_DATA:
    case CP_CONNECTOR_ERROR_REMOTE_BUG:
      return g_strdup (_("The store answered with something Counterpart did not understand. Check the address."));
    case CP_CONNECTOR_ERROR_CONFIG:
    default:
      return g_strdup (error->message);
    }
}

static void save (CpAddIntegrationDialog *self);

static void
set_busy (CpAddIntegrationDialog *self,
          gboolean                busy)
{
  self->testing = busy;
  gtk_widget_set_visible (self->test_spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->test_spinner), busy);
  gtk_widget_set_sensitive (self->test_button, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), !busy);
}

static void
tested_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CpAddIntegrationDialog *self = CP_ADD_INTEGRATION_DIALOG (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *account = g_task_propagate_pointer (G_TASK (result), &error);
  gboolean save_after = self->save_after_test;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  self->save_after_test = FALSE;
  g_clear_pointer (&self->test_result, g_free);
  g_clear_pointer (&self->account_name, g_free);
  self->test_passed = account != NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->test_icon), TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_icon), "error");

  if (account != NULL)
    {
      if (*account != '\0')
        /* Translators: %s is the store's own name for the account. */
        self->test_result = g_strdup_printf (_("Connected: the store says it is “%s”."), account);
      else
        self->test_result = g_strdup (_("Connected: the store accepted the key."));
      self->account_name = g_steal_pointer (&account);
      gtk_image_set_from_icon_name (self->test_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->test_icon), "success");
    }
  else
    {
      g_message ("Testing the connection failed: %s", error->message);
      self->test_result = describe_test_error (error);
      gtk_image_set_from_icon_name (self->test_icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->test_icon), "error");
    }
  adw_action_row_set_subtitle (self->test_row, self->test_result);

  if (self->test_passed && save_after)
    save (self);
}

static void
run_test (CpAddIntegrationDialog *self)
{
  const CpPlatformInfo *info = selected_platform (self);
  g_autoptr(GTask) task = NULL;
  TestData *data;
  char *url;

  if (info == NULL || self->testing)
    return;
  url = get_base_url (self);
  if (url == NULL)
    {
      self->save_after_test = FALSE;
      return;
    }

  data = g_new0 (TestData, 1);
  data->platform = g_strdup (info->platform);
  data->base_url = url;
  data->credentials = build_credentials (self);

  set_busy (self, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->test_icon), FALSE);
  adw_action_row_set_subtitle (self->test_row, _("Testing…"));
  task = g_task_new (self, self->cancellable, tested_cb, NULL);
  g_task_set_source_tag (task, run_test);
  g_task_set_task_data (task, data, (GDestroyNotify) test_data_free);
  g_task_run_in_thread (task, test_thread);
}

static void
test_clicked_cb (CpAddIntegrationDialog *self)
{
  self->save_after_test = FALSE;
  run_test (self);
}

/* Saving */

static void
credentials_stored_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CpAddIntegrationDialog) self = user_data;
  g_autofree char *id = g_object_steal_data (G_OBJECT (self), "new-id");
  g_autoptr(GError) error = NULL;
  CpEngine *engine;

  if (!cp_credentials_store_finish (result, &error))
    {
      /* No integration without its key: take the row back out. */
      if (self->editing == NULL && id != NULL)
        {
          g_autoptr(GError) remove_error = NULL;

          if (!cp_integrations_remove (self->ledger, id, &remove_error))
            g_warning ("Could not remove the half-added integration %s: %s", id, remove_error->message);
          cp_ledger_emit_changed (self->ledger, "integrations");
        }
      if (g_cancellable_is_cancelled (self->cancellable))
        return;
      set_busy (self, FALSE);
      show_toast (self, error->message);
      return;
    }

  engine = cp_widget_get_engine (GTK_WIDGET (self));
  if (self->editing != NULL)
    {
      g_autoptr(GError) attention_error = NULL;

      /* The new key is in: whatever was wrong with the old one is not. */
      if (g_strcmp0 (self->editing->attention_kind, CP_ATTENTION_CREDENTIALS) == 0 &&
          !cp_integrations_set_attention (self->ledger, self->editing->id, NULL, NULL, &attention_error))
        g_warning ("Could not clear the attention of %s: %s", self->editing->id, attention_error->message);
      g_free (id);
      id = g_strdup (self->editing->id);
    }
  cp_ledger_emit_changed (self->ledger, "integrations");
  if (engine != NULL)
    cp_engine_sync_now (engine, id);
  g_signal_emit (self, signals[SIGNAL_CREATED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
store_credentials (CpAddIntegrationDialog *self,
                   const char             *id,
                   const char             *name)
{
  g_autofree char *credentials = build_credentials (self);
  /* Translators: the label of a password in the keyring; %s is the
   * integration's name. */
  g_autofree char *label = g_strdup_printf (_("Counterpart: %s"), name);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = cp_integrations_credential_key (self->ledger, id, &error);

  g_object_set_data_full (G_OBJECT (self), "new-id", g_strdup (id), g_free);
  set_busy (self, TRUE);
  /* No key (the ledger refused to save its identity): the store fails
   * like any keyring error, through credentials_stored_cb. */
  cp_credentials_store_async (key != NULL ? key : "", label, credentials, self->cancellable,
                              credentials_stored_cb, g_object_ref (self));
  explicit_bzero (credentials, strlen (credentials));
}

static void
save (CpAddIntegrationDialog *self)
{
  const CpPlatformInfo *info = selected_platform (self);
  g_autoptr(GPtrArray) permissions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;
  g_autofree char *id = NULL;

  if (info == NULL || self->testing)
    return;

  if (self->editing != NULL)
    {
      if (!self->test_passed)
        {
          self->save_after_test = TRUE;
          run_test (self);
          return;
        }
      store_credentials (self, self->editing->id, self->editing->name);
      return;
    }

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  if (*name == '\0')
    {
      show_toast (self, _("Give the store a name, as you want to see it in Counterpart."));
      gtk_widget_grab_focus (self->name_row);
      return;
    }

  /* Nothing is stored until the store has said yes to the key. */
  if (!self->test_passed)
    {
      self->save_after_test = TRUE;
      run_test (self);
      return;
    }

  url = get_base_url (self);
  if (url == NULL)
    return;

  permissions = g_ptr_array_new ();
  for (guint i = 0; i < self->permission_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->permission_rows, i);

      if (gtk_switch_get_active (g_object_get_data (G_OBJECT (row), "switch")))
        g_ptr_array_add (permissions, g_object_get_data (G_OBJECT (row), "permission"));
    }
  g_ptr_array_add (permissions, NULL);

  /* One row: small enough for the UI thread. */
  id = cp_integrations_add (self->ledger, info->platform, name, url,
                            (const char * const *) permissions->pdata, &error);
  if (id != NULL && is_sandbox (self) &&
      !cp_integrations_set_settings (self->ledger, id, CP_SANDBOX_DEMO_SETTINGS, &error))
    {
      cp_integrations_remove (self->ledger, id, NULL);
      g_clear_pointer (&id, g_free);
    }
  if (id == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  store_credentials (self, id, name);
}

static void
save_clicked_cb (CpAddIntegrationDialog *self)
{
  save (self);
}

/* GObject */

static void
build_permissions (CpAddIntegrationDialog *self)
{
  const char * const *defaults = cp_integrations_default_permissions ();

  for (guint i = 0; i < G_N_ELEMENTS (permission_infos); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *toggle = gtk_switch_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(permission_infos[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(permission_infos[i].consequence));
      gtk_widget_set_name (row, permission_infos[i].permission);
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (toggle),
                             g_strv_contains (defaults, permission_infos[i].permission));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      g_object_set_data (G_OBJECT (row), "switch", toggle);
      g_object_set_data (G_OBJECT (row), "permission", (gpointer) permission_infos[i].permission);
      adw_preferences_group_add (self->permissions_group, row);
      g_ptr_array_add (self->permission_rows, row);
    }
}

static void
build_platforms (CpAddIntegrationDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n = 0;
  const CpPlatformInfo * const *platforms = cp_connector_list_platforms (&n);

  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (self->platforms, (gpointer) platforms[i]);
      gtk_string_list_append (names, _(platforms[i]->display_name));
    }
  adw_combo_row_set_model (self->platform_row, G_LIST_MODEL (names));
}

static void
cp_add_integration_dialog_dispose (GObject *object)
{
  CpAddIntegrationDialog *self = CP_ADD_INTEGRATION_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_ADD_INTEGRATION_DIALOG);
  g_clear_pointer (&self->platforms, g_ptr_array_unref);
  g_clear_pointer (&self->credential_rows, g_ptr_array_unref);
  g_clear_pointer (&self->permission_rows, g_ptr_array_unref);
  g_clear_pointer (&self->editing, cp_integration_free);
  g_clear_object (&self->ledger);
  G_OBJECT_CLASS (cp_add_integration_dialog_parent_class)->dispose (object);
}

static void
cp_add_integration_dialog_finalize (GObject *object)
{
  CpAddIntegrationDialog *self = CP_ADD_INTEGRATION_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_free (self->test_result);
  g_free (self->account_name);
  G_OBJECT_CLASS (cp_add_integration_dialog_parent_class)->finalize (object);
}

static void
cp_add_integration_dialog_class_init (CpAddIntegrationDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cp_add_integration_dialog_dispose;
  object_class->finalize = cp_add_integration_dialog_finalize;

  signals[SIGNAL_CREATED] =
    g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cp-add-integration-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CpAddIntegrationDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CpAddIntegrationDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, CpAddIntegrationDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, CpAddIntegrationDialog, platform_group);
  gtk_widget_class_bind_template_child (widget_class, CpAddIntegrationDialog, platform_row);
  gtk_widget_class_bind_template_child (widget_class, CpAddIntegrationDialog, sandbox_row);
  gtk_widget_class_bind_template_child (widget_class, CpAddIntegrationDialog, sandbox_check);
  gtk_widget_class_bind_template_child (widget_class, CpAddIntegrationDialog, live_check);
  gtk_widget_class_bind_template_child (widget_class, CpAddIntegrationDialog, name_group);
  gtk_widget_class_bind_template_child (widget_class, CpAddIntegrationDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, CpAddIntegrationDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, CpAddIntegrationDialog, credentials_group);
  gtk_widget_class_bind_template_child (widget_class, CpAddIntegrationDialog, test_row);
  gtk_widget_class_bind_template_child (widget_class, CpAddIntegrationDialog, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, CpAddIntegrationDialog, test_icon);
  gtk_widget_class_bind_template_child (widget_class, CpAddIntegrationDialog, test_button);
  gtk_widget_class_bind_template_child (widget_class, CpAddIntegrationDialog, permissions_group);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, platform_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, mode_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, inputs_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
}

static void
cp_add_integration_dialog_init (CpAddIntegrationDialog *self)
{
  self->platforms = g_ptr_array_new ();
  self->credential_rows = g_ptr_array_new ();
  self->permission_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

CpAddIntegrationDialog *
cp_add_integration_dialog_new (CpLedger *ledger,
                               gboolean  sandbox)
{
  CpAddIntegrationDialog *self;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);

  self = g_object_new (CP_TYPE_ADD_INTEGRATION_DIALOG, NULL);
  self->ledger = g_object_ref (ledger);
  build_platforms (self);
  build_permissions (self);
  update_rows (self);
  if (sandbox && gtk_widget_get_sensitive (self->sandbox_row))
    gtk_check_button_set_active (self->sandbox_check, TRUE);
  if (sandbox)
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), _("Sandbox store"));
  reset_test (self);
  return self;
}

static void
present_over (GtkWidget *from,
              GtkWindow *dialog)
{
  GtkRoot *root = from != NULL ? gtk_widget_get_root (from) : NULL;

  if (root != NULL && GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (dialog, GTK_WINDOW (root));
  gtk_window_present (dialog);
}

CpAddIntegrationDialog *
cp_add_integration_dialog_open (GtkWidget *from,
                                CpLedger  *ledger,
                                gboolean   sandbox)
{
  CpAddIntegrationDialog *self = cp_add_integration_dialog_new (ledger, sandbox);

  present_over (from, GTK_WINDOW (self));
  return self;
}

CpAddIntegrationDialog *
cp_add_integration_dialog_edit_credentials (GtkWidget           *from,
                                            CpLedger            *ledger,
                                            const CpIntegration *integration)
{
  CpAddIntegrationDialog *self;

  g_return_val_if_fail (CP_IS_LEDGER (ledger), NULL);
  g_return_val_if_fail (integration != NULL, NULL);

  self = g_object_new (CP_TYPE_ADD_INTEGRATION_DIALOG, NULL);
  self->ledger = g_object_ref (ledger);
  self->editing = cp_integration_copy (integration);
  adw_window_title_set_title (self->window_title, _("Enter the Key Again"));
  adw_window_title_set_subtitle (self->window_title, integration->name);
  gtk_window_set_title (GTK_WINDOW (self), _("Enter the Key Again"));
  gtk_button_set_label (self->save_button, _("_Save"));
  gtk_widget_set_visible (GTK_WIDGET (self->platform_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->name_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->permissions_group), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 480);
  update_rows (self);
  present_over (from, GTK_WINDOW (self));
  return self;
}

const char *
cp_add_integration_dialog_get_test_result (CpAddIntegrationDialog *self)
{
  g_return_val_if_fail (CP_IS_ADD_INTEGRATION_DIALOG (self), NULL);
  return self->test_result;
}

gboolean
cp_add_integration_dialog_get_test_passed (CpAddIntegrationDialog *self)
{
  g_return_val_if_fail (CP_IS_ADD_INTEGRATION_DIALOG (self), FALSE);
  return self->test_passed;
}
