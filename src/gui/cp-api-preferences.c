/* cp-api-preferences.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Local API page of Preferences. The switch is the
 * "api-server-enabled" setting; CpApplication starts and stops the server
 * when it changes, and this page only shows what came of it (the address
 * or why it could not start), following "api-server-changed". The window
 * offers loopback only: beyond this computer the API needs TLS files,
 * which the command line takes (shared/CLI.md, `serve`).
 *
 * The keys are read from and revoked in the window's ledger on the UI
 * thread: a handful of rows, one statement each.
 */

#define G_LOG_DOMAIN "cp-api-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "cp-api-keys.h"
#include "cp-api-key-dialog.h"
#include "cp-api-preferences.h"
#include "cp-api-server.h"
#include "cp-relative-time.h"

struct _CpApiPreferences
{
  AdwPreferencesPage  parent_instance;

  GtkWidget          *enabled_row;
  GtkSwitch          *enabled_switch;
  GtkLabel           *address_label;
  GtkLabel           *status_label;
  GtkLabel           *lan_label;
  GtkLabel           *lan_command_label;
  GtkWidget          *create_button;
  GtkListBox         *keys_list;

  GSettings          *settings;
  CpLedger           *ledger;
  CpApplication      *application;
};

G_DEFINE_FINAL_TYPE (CpApiPreferences, cp_api_preferences, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_LEDGER,
  PROP_APPLICATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload_keys (CpApiPreferences *self);

static gboolean
has_key (CpApiPreferences *self,
         const char       *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  if (self->settings == NULL)
    return FALSE;
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  return g_settings_schema_has_key (schema, key);
}

static void
show_status (CpApiPreferences *self,
             const char       *text,
             gboolean          is_error)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
update_status (CpApiPreferences *self)
{
  CpApiServer *server = NULL;
  const GError *error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *url = NULL;
  gboolean enabled;

  if (self->application != NULL)
    {
      server = cp_application_get_api_server (self->application);
      error = cp_application_get_api_server_error (self->application);
    }
  enabled = has_key (self, "api-server-enabled") &&
            g_settings_get_boolean (self->settings, "api-server-enabled");
  if (has_key (self, "api-listen"))
    address = g_settings_get_string (self->settings, "api-listen");
  if (address == NULL || *address == '\0')
    {
      g_free (address);
      address = g_strdup (CP_API_SERVER_DEFAULT_LISTEN);
    }

  /* The real port once listening (the setting may say 0: any free one). */
  url = server != NULL ? cp_api_server_dup_base_url (server)
                       : g_strdup_printf ("http://%s/api/v1", address);
  gtk_label_set_text (self->address_label, url);

  if (!enabled)
    show_status (self, NULL, FALSE);
  else if (error != NULL && g_error_matches (error, CP_API_SERVER_ERROR, CP_API_SERVER_ERROR_LISTEN))
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (_("Counterpart could not open %s: another program is using it, "
                                "perhaps “counterpart-cli serve”. Stop that program, then turn "
                                "the switch off and on again."), address);
      show_status (self, text, TRUE);
    }
  else if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The local API could not start: %s"), error->message);

      show_status (self, text, TRUE);
    }
  else if (server == NULL)
    show_status (self, _("The local API starts once the shop’s ledger is open."), FALSE);
  else
    show_status (self, _("On: programs with a key can connect now."), FALSE);
}

/* The keys */

static void
revoke_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    CpApiPreferences *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "key-id");
  g_autoptr(GError) error = NULL;
  GtkRoot *root;

  if (g_strcmp0 (response, "revoke") != 0 || self->ledger == NULL)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (!cp_api_keys_revoke (self->ledger, id, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The key could not be revoked: %s"), error->message);

      if (ADW_IS_PREFERENCES_WINDOW (root))
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (text));
      return;
    }
  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root),
                                      adw_toast_new (_("Key revoked. Programs using it are now refused.")));
  reload_keys (self);
}

static void
revoke_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  CpApiPreferences *self = user_data;
  const char *id = g_object_get_data (G_OBJECT (button), "key-id");
  const char *name = g_object_get_data (G_OBJECT (button), "key-name");
  GtkWidget *dialog;
  g_autofree char *heading = NULL;

  /* Translators: %s is the name someone gave an API key. */
  heading = g_strdup_printf (_("Revoke “%s”?"), name);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                                   _("The program using this key will be refused from now on. "
                                     "This cannot be undone: to let it in again, create a new key."));
  gtk_widget_set_name (dialog, "revoke-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "revoke", _("_Revoke"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "revoke",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_object_set_data_full (G_OBJECT (dialog), "key-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (revoke_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
describe_key (const CpApiKey *key,
              gint64          now_us)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *created = cp_exact_time_format (key->created_at);
  g_autofree char *used = NULL;

  for (guint i = 0; key->scopes[i] != NULL; i++)
    {
      if (i > 0)
        /* Translators: between the things an API key may do, "See integrations, Start syncs". */
        g_string_append (text, _(", "));
      g_string_append (text, cp_api_scope_get_title (key->scopes[i]));
    }
  g_string_append_c (text, '\n');
  /* Translators: when an API key was made, "23 Nov 2026, 14:05". */
  g_string_append_printf (text, _("Created %s"), created);
  g_string_append (text, " · ");
  if (cp_api_key_is_revoked (key))
    {
      g_autofree char *revoked = cp_exact_time_format (key->revoked_at);

      /* Translators: when an API key was revoked, "23 Nov 2026, 14:05". */
      g_string_append_printf (text, _("Revoked %s"), revoked);
    }
  else if (key->last_used_at == 0)
    g_string_append (text, _("Never used"));
  else
    {
      used = cp_relative_time_format (key->last_used_at, now_us);
      /* Translators: %s is a time such as "2 minutes ago". */
      g_string_append_printf (text, _("Last used %s"), used);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
make_key_row (CpApiPreferences *self,
              const CpApiKey   *key,
              gint64            now_us)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = describe_key (key, now_us);
  g_autofree char *name = g_strconcat ("key-", key->id, NULL);

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), key->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);

  if (cp_api_key_is_revoked (key))
    {
      GtkWidget *label = gtk_label_new (_("Revoked"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (row), "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  else
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Re_voke…"));

      gtk_widget_set_name (button, "revoke-button");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (button), "key-id", g_strdup (key->id), g_free);
      g_object_set_data_full (G_OBJECT (button), "key-name", g_strdup (key->name), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (revoke_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

static void
reload_keys (CpApiPreferences *self)
{
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  gint64 now_us = g_get_real_time ();
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->keys_list))) != NULL)
    gtk_list_box_remove (self->keys_list, child);

  if (self->ledger != NULL)
    {
      keys = cp_api_keys_list (self->ledger, &error);
      if (keys == NULL)
        g_warning ("Could not list the API keys: %s", error->message);
    }

  /* Newest first: the key just made is the one looked for. */
  for (guint i = keys != NULL ? keys->len : 0; i > 0; i--)
    {
      gtk_list_box_append (self->keys_list, make_key_row (self, g_ptr_array_index (keys, i - 1), now_us));
      shown++;
    }

  if (shown == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No keys yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Create one for each program that should use Counterpart."));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->keys_list, row);
    }
}

static void
create_clicked_cb (CpApiPreferences *self)
{
  GtkWidget *dialog = cp_api_key_dialog_new (self->ledger);

  g_signal_connect_object (dialog, "key-created", G_CALLBACK (reload_keys), self, G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cp_api_preferences_constructed (GObject *object)
{
  CpApiPreferences *self = CP_API_PREFERENCES (object);

  G_OBJECT_CLASS (cp_api_preferences_parent_class)->constructed (object);

  if (has_key (self, "api-server-enabled"))
    {
      g_settings_bind (self->settings, "api-server-enabled", self->enabled_switch, "active",
                       G_SETTINGS_BIND_DEFAULT);
      g_signal_connect_object (self->settings, "changed::api-listen",
                               G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
    }
  else
    gtk_widget_set_sensitive (self->enabled_row, FALSE);

  /* Whatever the server did about the switch, once it did it. */
  if (self->application != NULL)
    g_signal_connect_object (self->application, "api-server-changed",
                             G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);

  gtk_label_set_text (self->lan_label,
                      _("Other computers on your network cannot reach it from here: that needs a "
                        "certificate, so that keys cannot be read on the way. For now, start it "
                        "from the command line instead:"));
  /* A command reads left to right in any language. Broken by hand, with
   * the shell's line continuation, since GTK would break it at a "-"
   * and what is copied must still run. */
  gtk_widget_set_direction (GTK_WIDGET (self->lan_command_label), GTK_TEXT_DIR_LTR);
  gtk_label_set_text (self->lan_command_label,
                      "counterpart-cli serve --listen 0.0.0.0:8787 \\\n"
                      "    --tls-certificate cert.pem --tls-key key.pem");

  gtk_widget_set_sensitive (self->create_button, self->ledger != NULL);
  update_status (self);
  reload_keys (self);
}

static void
cp_api_preferences_dispose (GObject *object)
{
  CpApiPreferences *self = CP_API_PREFERENCES (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CP_TYPE_API_PREFERENCES);
  g_clear_object (&self->settings);
  g_clear_object (&self->ledger);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (cp_api_preferences_parent_class)->dispose (object);
}

static void
cp_api_preferences_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CpApiPreferences *self = CP_API_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_LEDGER:
      g_value_set_object (value, self->ledger);
      break;
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_api_preferences_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CpApiPreferences *self = CP_API_PREFERENCES (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      break;
    case PROP_LEDGER:
      g_set_object (&self->ledger, g_value_get_object (value));
      break;
    case PROP_APPLICATION:
      g_set_object (&self->application, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_api_preferences_class_init (CpApiPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cp_api_preferences_constructed;
  object_class->dispose = cp_api_preferences_dispose;
  object_class->get_property = cp_api_preferences_get_property;
  object_class->set_property = cp_api_preferences_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEDGER] =
    g_param_spec_object ("ledger", NULL, NULL, CP_TYPE_LEDGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, CP_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cp-api-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, CpApiPreferences, enabled_row);
  gtk_widget_class_bind_template_child (widget_class, CpApiPreferences, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, CpApiPreferences, address_label);
  gtk_widget_class_bind_template_child (widget_class, CpApiPreferences, status_label);
  gtk_widget_class_bind_template_child (widget_class, CpApiPreferences, lan_label);
  gtk_widget_class_bind_template_child (widget_class, CpApiPreferences, lan_command_label);
  gtk_widget_class_bind_template_child (widget_class, CpApiPreferences, create_button);
  gtk_widget_class_bind_template_child (widget_class, CpApiPreferences, keys_list);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);
}

static void
cp_api_preferences_init (CpApiPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cp_api_preferences_new (GSettings     *settings,
                        CpLedger      *ledger,
                        CpApplication *application)
{
  return g_object_new (CP_TYPE_API_PREFERENCES,
                       "settings", settings,
                       "ledger", ledger,
                       "application", application,
                       NULL);
}
