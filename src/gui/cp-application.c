/* cp-application.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GApplication: parses the command line, owns the settings, the
 * app-wide actions (quit, preferences, about, help) and opens the window.
 * The window itself opens the ledger, so the UI appears at once.
 */

#define G_LOG_DOMAIN "cp-application"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cp-api-server.h"
#include "cp-application.h"
#include "cp-background.h"
#include "cp-background-notifier.h"
#include "cp-connectors.h"
#include "cp-integrations.h"
#include "cp-sandbox-demo.h"
#include "cp-preferences-window.h"
#include "cp-tray.h"
#include "cp-window.h"

struct _CpApplication
{
  AdwApplication  parent_instance;

  char           *data_dir;
  gboolean        sandbox;
  gboolean        held_in_background;
  gboolean        quitting;
  gboolean        told_about_background;
  GSettings      *settings;
  /* Background and tray (see "Background and tray") */
  CpTray               *tray;
  CpBackground         *background;
  CpBackgroundNotifier *notifier;
  /* The sync engine (see "The sync engine") */
  CpEngine       *engine;
  char           *engine_path;
  CpSandboxServer *sandbox_server;
  gboolean        sync_paused;
  /* The local API (see "The local API") */
  CpApiServer    *api_server;
  GError         *api_server_error;
};

G_DEFINE_FINAL_TYPE (CpApplication, cp_application, ADW_TYPE_APPLICATION)

static void background_follow_engine (CpApplication *self,
                                      gpointer       engine);
static void api_server_follow_engine (CpApplication *self);
static void stop_api_server          (CpApplication *self);
static void class_init_api_server    (GObjectClass  *object_class);

void
cp_application_init_i18n (void)
{
  const char *localedir = g_getenv ("CP_LOCALEDIR");

  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static CpWindow *
get_window (CpApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  for (GList *l = windows; l != NULL; l = l->next)
    if (CP_IS_WINDOW (l->data))
      return CP_WINDOW (l->data);

  return NULL;
}

static void
set_held_in_background (CpApplication *self,
                        gboolean       held)
{
  if (self->held_in_background == held)
    return;
  self->held_in_background = held;
  if (held)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

static void
tell_about_background (CpApplication *self)
{
  g_autoptr(GNotification) notification = NULL;

  /* Once per run: it is news the first time only. */
  if (self->told_about_background)
    return;
  self->told_about_background = TRUE;

  notification = g_notification_new (_("Counterpart keeps syncing in the background"));
  g_notification_set_body (notification,
                           _("Your stores stay in sync while the window is closed. "
                             "Open Counterpart again to quit, or turn off Run in Background in Preferences."));
  /* A click on the notification itself leads to the switch. */
  g_notification_set_default_action (notification, "app.preferences");
  g_notification_add_button (notification, _("Preferences"), "app.preferences");
  g_application_send_notification (G_APPLICATION (self), "background", notification);
}

static void
window_removed_cb (CpApplication *self,
                   GtkWindow     *window)
{
  gboolean keep_running;

  if (!CP_IS_WINDOW (window) || get_window (self) != NULL || self->quitting)
    return;

  /* The last main window closed: stay up only when the person asked to. */
  keep_running = self->settings != NULL &&
                 g_settings_get_boolean (self->settings, "run-in-background");
  set_held_in_background (self, keep_running);
  if (keep_running)
    {
      tell_about_background (self);
      if (self->background != NULL)
        cp_background_keep_running (self->background);
    }
}

static void
apply_color_scheme (CpApplication *self)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  g_autofree char *scheme = NULL;

  if (self->settings == NULL)
    return;

  scheme = g_settings_get_string (self->settings, "color-scheme");

  /* "default" follows the system (light unless the desktop prefers dark). */
  if (g_strcmp0 (scheme, "light") == 0)
    adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  else if (g_strcmp0 (scheme, "dark") == 0)
    adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_DARK);
  else
    adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_DEFAULT);
}

static void
color_scheme_changed_cb (CpApplication *self)
{
  apply_color_scheme (self);
}

static void
load_settings (CpApplication *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* The schema is keyed on the base id in both profiles. Without it (an
   * uninstalled build) the app still runs, it just forgets its settings. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, BASE_APP_ID, TRUE);

  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed; preferences will not be saved",
                 BASE_APP_ID);
      return;
    }

  self->settings = g_settings_new_full (schema, NULL, NULL);

  if (g_settings_schema_has_key (schema, "color-scheme"))
    {
      g_signal_connect_object (self->settings, "changed::color-scheme",
                               G_CALLBACK (color_scheme_changed_cb), self,
                               G_CONNECT_SWAPPED);
      apply_color_scheme (self);
    }
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  CpApplication *self = user_data;
  GList *windows;

  self->quitting = TRUE;

  /* Closing the windows first lets them save their size and state. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));

  set_held_in_background (self, FALSE);
  g_application_quit (G_APPLICATION (self));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  CpApplication *self = user_data;
  CpWindow *window = get_window (self);
  GtkWidget *prefs;

  prefs = cp_preferences_window_new (self->settings,
                                     window != NULL ? cp_window_get_ledger (window) : NULL);
  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (window));
  gtk_window_set_modal (GTK_WINDOW (prefs), window != NULL);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  CpApplication *self = user_data;
  static const char *developers[] = { "The Counterpart authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", get_window (self),
                        "modal", TRUE,
                        "application-name", _("Counterpart"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Counterpart authors"),
                        "developers", developers,
                        "copyright", "© 2026 The Counterpart authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/counterpart/counterpart",
                        "issue-url", "https://github.com/counterpart/counterpart/issues",
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
help_shown_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    {
      CpWindow *window = CP_WINDOW (source);
      AdwToast *toast;

      g_warning ("Could not open the help: %s", error->message);
      toast = adw_toast_new (_("The help could not be opened. Install the Help app (Yelp) to read it."));
      cp_window_add_toast (window, toast);
    }
}

static void
help_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  CpApplication *self = user_data;
  CpWindow *window = get_window (self);

  if (window == NULL)
    return;

  gtk_show_uri_full (GTK_WINDOW (window), "help:counterpart", GDK_CURRENT_TIME,
                     NULL, help_shown_cb, NULL);
}

/* The sync engine */

typedef struct
{
  char     *ledger_path;
  gboolean  sandbox;
} SandboxPrep;

static void
sandbox_prep_free (SandboxPrep *prep)
{
  g_free (prep->ledger_path);
  g_free (prep);
}

CpSandboxServer *
cp_application_get_sandbox_server (CpApplication  *self,
                                   GError        **error)
{
  g_return_val_if_fail (CP_IS_APPLICATION (self), NULL);

  if (self->sandbox_server == NULL)
    self->sandbox_server = cp_sandbox_demo_start_server (error);
  return self->sandbox_server;
}

CpEngine *
cp_application_get_engine (CpApplication *self)
{
  g_return_val_if_fail (CP_IS_APPLICATION (self), NULL);
  return self->engine;
}

static void
sandbox_prep_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SandboxPrep *prep = task_data;
  CpSandboxServer *server = g_object_get_data (G_OBJECT (task), "server");
  g_autoptr(CpLedger) ledger = NULL;
  g_autofree char *id = NULL;
  GError *error = NULL;

  /* A connection of its own: a CpLedger is not shared across threads. */
  ledger = cp_ledger_open (prep->ledger_path, &error);
  if (ledger == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (prep->sandbox)
    {
      id = cp_sandbox_demo_ensure (ledger, server, cancellable, &error);
      if (id == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else if (cp_sandbox_demo_rebase (ledger, server, &error) < 0)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
sandbox_prepared_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CpApplication *self = CP_APPLICATION (source);
  g_autoptr(GError) error = NULL;

  /* The engine starts either way: the shop's own integrations must not
   * wait on the sandbox's. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Could not prepare the sandbox store: %s", error->message);
  /* Unless a window on another ledger replaced the engine meanwhile. */
  if (self->engine != NULL && self->engine == g_object_get_data (G_OBJECT (result), "engine") &&
      !self->quitting)
    cp_engine_start (self->engine);
}

static gboolean
ledger_has_sandbox_integrations (CpLedger *ledger)
{
  g_autoptr(GPtrArray) integrations = cp_integrations_list (ledger, NULL);

  for (guint i = 0; integrations != NULL && i < integrations->len; i++)
    if (cp_sandbox_demo_is_sandbox_integration (g_ptr_array_index (integrations, i)))
      return TRUE;
  return FALSE;
}

void
cp_application_start_engine (CpApplication *self,
                             CpLedger      *ledger)
{
  g_autoptr(GError) error = NULL;
  CpSandboxServer *server = NULL;

  g_return_if_fail (CP_IS_APPLICATION (self));
  g_return_if_fail (CP_IS_LEDGER (ledger));

  /* One process holds one ledger, so one engine; a window opened on
   * another ledger (the tests do) gets one of its own. */
  if (self->engine != NULL && g_strcmp0 (self->engine_path, cp_ledger_get_path (ledger)) == 0)
    return;
  if (self->engine != NULL)
    cp_engine_stop (self->engine);
  g_clear_object (&self->engine);
  g_free (self->engine_path);
  self->engine_path = g_strdup (cp_ledger_get_path (ledger));

  self->engine = cp_engine_new (cp_ledger_get_path (ledger));
  background_follow_engine (self, self->engine);
  api_server_follow_engine (self);
  if (self->sync_paused)
    cp_engine_set_paused (self->engine, TRUE);

  if (self->sandbox || ledger_has_sandbox_integrations (ledger))
    server = cp_application_get_sandbox_server (self, &error);
  if (error != NULL)
    g_warning ("Could not start the sandbox platforms: %s", error->message);

  if (server != NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, NULL, sandbox_prepared_cb, NULL);
      SandboxPrep *prep = g_new0 (SandboxPrep, 1);

      prep->ledger_path = g_strdup (cp_ledger_get_path (ledger));
      prep->sandbox = self->sandbox;
      g_task_set_source_tag (task, cp_application_start_engine);
      g_task_set_task_data (task, prep, (GDestroyNotify) sandbox_prep_free);
      g_object_set_data_full (G_OBJECT (task), "server", g_object_ref (server), g_object_unref);
      g_object_set_data_full (G_OBJECT (task), "engine", g_object_ref (self->engine), g_object_unref);
      g_task_run_in_thread (task, sandbox_prep_thread);
      return;
    }

  cp_engine_start (self->engine);
}

static void
sync_now_activated (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  CpApplication *self = user_data;
  const char *id = param != NULL ? g_variant_get_string (param, NULL) : "";

  if (self->engine == NULL)
    return;
  cp_engine_sync_now (self->engine, *id != '\0' ? id : NULL);
}

static void
pause_sync_change_state (GSimpleAction *action,
                         GVariant      *value,
                         gpointer       user_data)
{
  CpApplication *self = user_data;

  self->sync_paused = g_variant_get_boolean (value);
  g_simple_action_set_state (action, value);
  if (self->engine != NULL)
    cp_engine_set_paused (self->engine, self->sync_paused);
}

static void
add_sync_actions (CpApplication *self)
{
  static const GActionEntry sync_actions[] = {
    { "sync-now", sync_now_activated, "s" },
    { "pause-sync", NULL, NULL, "false", pause_sync_change_state },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), sync_actions,
                                   G_N_ELEMENTS (sync_actions), self);
  /* The platforms the Add Integration dialog and the engine know. */
  cp_connectors_register_all ();
}

static void
stop_engine (CpApplication *self)
{
  stop_api_server (self);
  if (self->engine != NULL)
    cp_engine_stop (self->engine);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->engine_path, g_free);
  if (self->sandbox_server != NULL)
    cp_sandbox_server_stop (self->sandbox_server);
  g_clear_object (&self->sandbox_server);
}

/* The local API
 *
 * Served while the "api-server-enabled" setting is on and an engine runs
 * (a ledger is open), on "api-listen": loopback only, because the window
 * offers no way to give TLS files (shared/CLI.md: beyond loopback only
 * over TLS; `counterpart-cli serve` does that). A failure to listen is
 * kept for the preferences to show instead of ending the app. */

static guint api_server_changed_signal;

static void
class_init_api_server (GObjectClass *object_class)
{
  api_server_changed_signal =
    g_signal_new ("api-server-changed", G_TYPE_FROM_CLASS (object_class),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
stop_api_server (CpApplication *self)
{
  gboolean changed = self->api_server != NULL || self->api_server_error != NULL;

  if (self->api_server != NULL)
    cp_api_server_stop (self->api_server);
  g_clear_object (&self->api_server);
  g_clear_error (&self->api_server_error);
  if (changed)
    g_signal_emit (self, api_server_changed_signal, 0);
}

static gboolean
api_server_wanted (CpApplication *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  if (self->settings == NULL || self->quitting)
    return FALSE;
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  return g_settings_schema_has_key (schema, "api-server-enabled") &&
         g_settings_get_boolean (self->settings, "api-server-enabled");
}

/* (Re)starts the server on the current engine, or stops it. */
static void
api_server_follow_engine (CpApplication *self)
{
  g_autoptr(CpApiServer) server = NULL;
  g_autofree char *address = NULL;

  if (self->api_server != NULL || self->api_server_error != NULL)
    {
      if (self->api_server != NULL)
        cp_api_server_stop (self->api_server);
      g_clear_object (&self->api_server);
      g_clear_error (&self->api_server_error);
    }

  if (api_server_wanted (self) && self->engine != NULL)
    {
      address = g_settings_get_string (self->settings, "api-listen");
      server = cp_api_server_new (self->engine_path, self->engine);
      if (cp_api_server_listen (server, *address != '\0' ? address : NULL, &self->api_server_error))
        self->api_server = g_steal_pointer (&server);
      else
        g_message ("Could not start the local API: %s", self->api_server_error->message);
    }

  g_signal_emit (self, api_server_changed_signal, 0);
}

static void
api_server_setting_changed_cb (CpApplication *self)
{
  api_server_follow_engine (self);
}

static void
setup_api_server (CpApplication *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  if (self->settings == NULL)
    return;
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, "api-server-enabled"))
    return;
  g_signal_connect_object (self->settings, "changed::api-server-enabled",
                           G_CALLBACK (api_server_setting_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::api-listen",
                           G_CALLBACK (api_server_setting_changed_cb), self, G_CONNECT_SWAPPED);
}

CpApiServer *
cp_application_get_api_server (CpApplication *self)
{
  g_return_val_if_fail (CP_IS_APPLICATION (self), NULL);
  return self->api_server;
}

const GError *
cp_application_get_api_server_error (CpApplication *self)
{
  g_return_val_if_fail (CP_IS_APPLICATION (self), NULL);
  return self->api_server_error;
}

/* Background and tray */

static void
show_page_activated (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  CpApplication *self = user_data;
  CpWindow *window;

  /* From a notification: open (or raise) the window on the page to act on. */
  g_application_activate (G_APPLICATION (self));
  window = get_window (self);
  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s",
                                g_variant_get_string (param, NULL));
}

static void
setup_background (CpApplication *self)
{
  static const GActionEntry background_actions[] = {
    { "show-page", show_page_activated, "s" },
  };
  GDBusConnection *connection = g_application_get_dbus_connection (G_APPLICATION (self));

  g_action_map_add_action_entries (G_ACTION_MAP (self), background_actions,
                                   G_N_ELEMENTS (background_actions), self);
  self->notifier = cp_background_notifier_new (G_APPLICATION (self));
  if (self->settings != NULL)
    self->background = cp_background_new (self->settings, connection);
  /* The tray icon shows wherever the desktop runs a StatusNotifierWatcher;
   * elsewhere launching Counterpart again is the way back to the window. */
  if (connection != NULL)
    self->tray = cp_tray_new (G_APPLICATION (self), connection);
}

/* The engine reports to the tray and the notifications directly. */
static void
background_follow_engine (CpApplication *self,
                          gpointer       engine)
{
  if (self->tray != NULL)
    cp_tray_follow_engine (self->tray, engine);
  if (self->notifier != NULL)
    cp_background_notifier_follow_engine (self->notifier, engine);
}

static char *
resolve_data_dir (CpApplication *self)
{
  if (self->data_dir != NULL)
    return g_strdup (self->data_dir);
  if (self->sandbox)
    return g_build_filename (g_get_user_data_dir (), "counterpart-sandbox", NULL);
  return cp_ledger_default_data_dir ();
}

/* Started at login: sync the shop that is there, with no window. A
 * ledger that does not exist yet is the window's to create (with the
 * first-run choices), not a login script's. */
static void
start_background_sync (CpApplication *self)
{
  g_autofree char *data_dir = resolve_data_dir (self);
  g_autofree char *path = cp_ledger_path_for_data_dir (data_dir);
  g_autoptr(CpLedger) ledger = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  ledger = cp_ledger_open (path, &error);
  if (ledger == NULL)
    {
      /* The window says what is wrong when it is opened. */
      g_warning ("Could not open the ledger to sync in the background: %s", error->message);
      return;
    }
  cp_application_start_engine (self, ledger);
}

static void
teardown_background (CpApplication *self)
{
  background_follow_engine (self, NULL);
  g_clear_object (&self->tray);
  g_clear_object (&self->notifier);
  g_clear_object (&self->background);
}

static void
cp_application_shutdown (GApplication *app)
{
  teardown_background (CP_APPLICATION (app));
  stop_api_server (CP_APPLICATION (app));
  G_APPLICATION_CLASS (cp_application_parent_class)->shutdown (app);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "preferences", preferences_activated },
  { "about", about_activated },
  { "help", help_activated },
};

static void
cp_application_startup (GApplication *app)
{
  CpApplication *self = CP_APPLICATION (app);
  static const struct {
    const char *action;
    const char *accels[2];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.help", { "F1", NULL } },
    { "win.search", { "<Control>f", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
    { "win.show-page::overview", { "<Alt>1", NULL } },
    { "win.show-page::orders", { "<Alt>2", NULL } },
    { "win.show-page::catalog", { "<Alt>3", NULL } },
    { "win.show-page::integrations", { "<Alt>4", NULL } },
    { "win.show-page::accounting", { "<Alt>5", NULL } },
    { "win.show-page::devices", { "<Alt>6", NULL } },
    { "win.show-page::activity", { "<Alt>7", NULL } },
  };

  G_APPLICATION_CLASS (cp_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  add_sync_actions (self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action, accels[i].accels);

  load_settings (self);
  setup_background (self);
  setup_api_server (self);

  g_signal_connect (self, "window-removed", G_CALLBACK (window_removed_cb), NULL);
}

static void
cp_application_activate (GApplication *app)
{
  CpApplication *self = CP_APPLICATION (app);
  CpWindow *window = get_window (self);

  if (window == NULL)
    {
      g_autofree char *data_dir = resolve_data_dir (self);

      window = cp_window_new (self, data_dir, self->sandbox);
    }

  gtk_window_present (GTK_WINDOW (window));
}

static int
cp_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("counterpart %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* GTK would only print "cannot open display" and abort; say what to do. */
  if (!gtk_init_check ())
    {
      g_printerr ("%s\n", _("Counterpart needs a graphical session; for headless use, run counterpart-cli."));
      return 1;
    }

  return -1;
}

static gboolean
asks_for_another_ledger (CpApplication           *self,
                         CpWindow                *window,
                         GApplicationCommandLine *cmdline,
                         GVariantDict            *options)
{
  const char *data_dir = NULL;
  g_autofree char *open_dir = NULL;

  if (g_variant_dict_contains (options, "sandbox") && !cp_window_get_sandbox (window))
    return TRUE;

  if (g_variant_dict_lookup (options, "data-dir", "^&ay", &data_dir) && data_dir != NULL)
    {
      g_autoptr(GFile) asked = g_application_command_line_create_file_for_arg (cmdline, data_dir);
      g_autoptr(GFile) open = NULL;

      g_object_get (window, "data-dir", &open_dir, NULL);
      open = g_file_new_for_path (open_dir);
      return !g_file_equal (asked, open);
    }

  return FALSE;
}

static int
cp_application_command_line (GApplication            *app,
                             GApplicationCommandLine *cmdline)
{
  CpApplication *self = CP_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  const char *data_dir = NULL;
  CpWindow *window = get_window (self);

  /* The options only matter for the first window: one process holds one
   * ledger. A second `counterpart --sandbox` while the real shop is open
   * raises that window and says why it is not the sandbox. */
  if (window != NULL && asks_for_another_ledger (self, window, cmdline, options))
    {
      g_application_command_line_printerr (cmdline, "%s\n",
                                           _("Counterpart is already running with its ledger open. "
                                             "Quit it first to open another ledger or the sandbox."));
      gtk_window_present (GTK_WINDOW (window));
      return 1;
    }

  if (window == NULL)
    {
      if (g_variant_dict_lookup (options, "data-dir", "^&ay", &data_dir) && data_dir != NULL)
        {
          g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, data_dir);
          g_free (self->data_dir);
          self->data_dir = g_file_get_path (file);
        }
      if (g_variant_dict_contains (options, "sandbox"))
        self->sandbox = TRUE;
    }

  /* Started at login: stay running without a window until someone opens
   * it (or quits from the window's menu). */
  if (g_variant_dict_contains (options, "background"))
    {
      set_held_in_background (self, TRUE);
      if (self->background != NULL)
        cp_background_keep_running (self->background);
      start_background_sync (self);
      return 0;
    }

  g_application_activate (app);
  return 0;
}

static void
cp_application_dispose (GObject *object)
{
  CpApplication *self = CP_APPLICATION (object);

  stop_engine (self);
  teardown_background (self);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (cp_application_parent_class)->dispose (object);
}

static void
cp_application_finalize (GObject *object)
{
  CpApplication *self = CP_APPLICATION (object);

  g_free (self->data_dir);
  g_clear_error (&self->api_server_error);
  G_OBJECT_CLASS (cp_application_parent_class)->finalize (object);
}

static void
cp_application_class_init (CpApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cp_application_dispose;
  object_class->finalize = cp_application_finalize;

  app_class->startup = cp_application_startup;
  app_class->shutdown = cp_application_shutdown;
  app_class->activate = cp_application_activate;
  app_class->handle_local_options = cp_application_handle_local_options;
  app_class->command_line = cp_application_command_line;
  class_init_api_server (object_class);
}

static void
cp_application_init (CpApplication *self)
{
  static const GOptionEntry entries[] = {
    { "sandbox", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Open the sandbox: a demo shop and test platforms, apart from your real data"), NULL },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Keep the ledger in DIR instead of the default data folder"), N_("DIR") },
    { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start without a window and keep running (used when starting at login)"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

CpApplication *
cp_application_new (void)
{
  return g_object_new (CP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

const char *
cp_application_get_data_dir (CpApplication *self)
{
  g_return_val_if_fail (CP_IS_APPLICATION (self), NULL);
  return self->data_dir;
}

void
cp_application_set_data_dir (CpApplication *self,
                             const char    *data_dir)
{
  g_return_if_fail (CP_IS_APPLICATION (self));

  if (g_strcmp0 (self->data_dir, data_dir) == 0)
    return;
  g_free (self->data_dir);
  self->data_dir = g_strdup (data_dir);
}

gboolean
cp_application_get_sandbox (CpApplication *self)
{
  g_return_val_if_fail (CP_IS_APPLICATION (self), FALSE);
  return self->sandbox;
}

void
cp_application_set_sandbox (CpApplication *self,
                            gboolean       sandbox)
{
  g_return_if_fail (CP_IS_APPLICATION (self));
  self->sandbox = !!sandbox;
}

gboolean
cp_application_get_running_in_background (CpApplication *self)
{
  g_return_val_if_fail (CP_IS_APPLICATION (self), FALSE);
  return self->held_in_background;
}

GSettings *
cp_application_get_settings (CpApplication *self)
{
  g_return_val_if_fail (CP_IS_APPLICATION (self), NULL);
  return self->settings;
}
