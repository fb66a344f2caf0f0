/* cp-tray.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tray icon: a StatusNotifierItem (org.kde.StatusNotifierItem) and
 * its menu (com.canonical.dbusmenu), written with GDBus alone. The
 * libraries that wrap this (libappindicator, libayatana-appindicator)
 * pull in GTK 3 and dbusmenu-gtk; the protocol is a handful of
 * properties and methods, so GDBus keeps the dependency list short.
 *
 * The menu holds no logic: each item activates an action of the
 * application by name, so the tray neither knows nor links the engine.
 * Its state line follows the engine through notify::state and the
 * "progress" signal (or cp_tray_set_state), never by polling.
 */

#define G_LOG_DOMAIN "cp-tray"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "cp-tray-private.h"

#define WATCHER_NAME      "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH      "/StatusNotifierWatcher"
#define ITEM_INTERFACE    "org.kde.StatusNotifierItem"

static const char item_xml[] =
  "<node>"
  " <interface name='org.kde.StatusNotifierItem'>"
  "  <property name='Category' type='s' access='read'/>"
  "  <property name='Id' type='s' access='read'/>"
  "  <property name='Title' type='s' access='read'/>"
  "  <property name='Status' type='s' access='read'/>"
  "  <property name='WindowId' type='i' access='read'/>"
  "  <property name='IconName' type='s' access='read'/>"
  "  <property name='IconThemePath' type='s' access='read'/>"
  "  <property name='IconPixmap' type='a(iiay)' access='read'/>"
  "  <property name='OverlayIconName' type='s' access='read'/>"
  "  <property name='AttentionIconName' type='s' access='read'/>"
  "  <property name='ToolTip' type='(sa(iiay)ss)' access='read'/>"
  "  <property name='ItemIsMenu' type='b' access='read'/>"
  "  <property name='Menu' type='o' access='read'/>"
  "  <method name='ContextMenu'><arg type='i' direction='in'/><arg type='i' direction='in'/></method>"
  "  <method name='Activate'><arg type='i' direction='in'/><arg type='i' direction='in'/></method>"
  "  <method name='SecondaryActivate'><arg type='i' direction='in'/><arg type='i' direction='in'/></method>"
  "  <method name='Scroll'><arg type='i' direction='in'/><arg type='s' direction='in'/></method>"
  "  <signal name='NewTitle'/>"
  "  <signal name='NewIcon'/>"
  "  <signal name='NewAttentionIcon'/>"
  "  <signal name='NewOverlayIcon'/>"
  "  <signal name='NewToolTip'/>"
  "  <signal name='NewStatus'><arg type='s'/></signal>"
  " </interface>"
  "</node>";


G_DEFINE_FINAL_TYPE (CpTray, cp_tray, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_APPLICATION,
  PROP_CONNECTION,
  PROP_REGISTERED,
  PROP_STATE_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GDBusNodeInfo *
get_node_info (void)
{
  static GDBusNodeInfo *info;

  if (g_once_init_enter (&info))
    g_once_init_leave (&info, g_dbus_node_info_new_for_xml (item_xml, NULL));
  return info;
}

/* --- State ---------------------------------------------------------------- */

gboolean
cp_tray_has_action (CpTray     *self,
                    const char *name)
{
  return self->app != NULL && g_action_group_has_action (G_ACTION_GROUP (self->app), name);
}

gboolean
cp_tray_is_paused (CpTray *self)
{
  g_autoptr(GVariant) state = NULL;

  if (!cp_tray_has_action (self, "pause-sync"))
    return self->state == CP_ENGINE_STATE_PAUSED;
  state = g_action_group_get_action_state (G_ACTION_GROUP (self->app), "pause-sync");
  if (state != NULL && g_variant_is_of_type (state, G_VARIANT_TYPE_BOOLEAN))
    return g_variant_get_boolean (state);
  return self->state == CP_ENGINE_STATE_PAUSED;
}

static char *
describe_state (CpTray *self)
{
  /* Attention first: a paused shop with rejected credentials still needs
   * someone to re-enter them. */
  if (self->state == CP_ENGINE_STATE_ATTENTION)
    return g_strdup (_("Needs attention"));
  if (cp_tray_is_paused (self))
    return g_strdup (_("Paused"));

  switch (self->state)
    {
    case CP_ENGINE_STATE_SYNCING:
      if (self->total > 0)
        /* Translators: the tray's state line while syncing, "Syncing 3 of 12";
         * the plural follows the second number. */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Syncing %u of %u",
                                             "Syncing %u of %u", self->total),
                                MIN (self->done, self->total), self->total);
      return g_strdup (_("Syncing…"));
    case CP_ENGINE_STATE_WAITING:
      return g_strdup (_("Waiting to sync again"));
    case CP_ENGINE_STATE_PAUSED:
      return g_strdup (_("Paused"));
    case CP_ENGINE_STATE_IDLE:
    case CP_ENGINE_STATE_ATTENTION:
    default:
      return g_strdup (_("Up to date"));
    }
}

static const char *
item_status (CpTray *self)
{
  return self->state == CP_ENGINE_STATE_ATTENTION ? "NeedsAttention" : "Active";
}

static void
emit_item_signal (CpTray     *self,
                  const char *name,
                  GVariant   *params)
{
  if (self->item_id == 0)
    {
      if (params != NULL)
        g_variant_unref (g_variant_ref_sink (params));
      return;
    }
  g_dbus_connection_emit_signal (self->connection, NULL, CP_TRAY_ITEM_PATH, ITEM_INTERFACE,
                                 name, params, NULL);
}

/* Recomputes what depends on the state and tells the hosts what changed. */
static void
update (CpTray   *self,
        gboolean  actions_changed)
{
  g_autofree char *text = describe_state (self);
  static const int action_items[] = { CP_TRAY_ITEM_STATE, CP_TRAY_ITEM_SYNC_NOW, CP_TRAY_ITEM_PAUSE };

  if (g_strcmp0 (text, self->state_text) != 0)
    {
      g_free (self->state_text);
      self->state_text = g_steal_pointer (&text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_TEXT]);
      if (!actions_changed)
        {
          int id = CP_TRAY_ITEM_STATE;

          cp_tray_menu_items_updated (self, &id, 1);
        }
      emit_item_signal (self, "NewToolTip", NULL);
    }
  if (actions_changed)
    cp_tray_menu_items_updated (self, action_items, G_N_ELEMENTS (action_items));
}

void
cp_tray_set_state (CpTray        *self,
                   CpEngineState  state,
                   guint          done,
                   guint          total)
{
  gboolean status_changed;

  g_return_if_fail (CP_IS_TRAY (self));

  status_changed = (state == CP_ENGINE_STATE_ATTENTION) != (self->state == CP_ENGINE_STATE_ATTENTION);
  self->state = state;
  self->done = done;
  self->total = total;
  update (self, FALSE);
  if (status_changed)
    emit_item_signal (self, "NewStatus", g_variant_new ("(s)", item_status (self)));
}

static void
action_state_changed_cb (GActionGroup *group,
                         const char   *name,
                         GVariant     *state,
                         CpTray       *self)
{
  if (g_strcmp0 (name, "pause-sync") == 0)
    update (self, TRUE);
}

/* The app's actions may come after the tray (the engine starts with the
 * ledger): hosts that cache the layout read it again. */
static void
action_added_cb (GActionGroup *group,
                 const char   *name,
                 CpTray       *self)
{
  if (g_strcmp0 (name, "pause-sync") != 0 && g_strcmp0 (name, "sync-now") != 0)
    return;
  update (self, TRUE);
  cp_tray_menu_layout_updated (self);
}

/* --- Following the engine ------------------------------------------------- */

static void
read_engine_state (CpTray *self)
{
  int state = CP_ENGINE_STATE_IDLE;

  g_object_get (self->engine, "state", &state, NULL);
  cp_tray_set_state (self, (CpEngineState) state, self->done, self->total);
}

static void
engine_state_cb (GObject    *engine,
                 GParamSpec *pspec,
                 CpTray     *self)
{
  read_engine_state (self);
}

static void
engine_progress_cb (GObject *engine,
                    guint    done,
                    guint    total,
                    CpTray  *self)
{
  cp_tray_set_state (self, self->state, done, total);
}

static void
stop_following (CpTray *self)
{
  if (self->engine == NULL)
    return;
  g_clear_signal_handler (&self->engine_state_id, self->engine);
  g_clear_signal_handler (&self->engine_progress_id, self->engine);
  g_object_remove_weak_pointer (self->engine, (gpointer *) &self->engine);
  self->engine = NULL;
}

void
cp_tray_follow_engine (CpTray  *self,
                       GObject *engine)
{
  g_return_if_fail (CP_IS_TRAY (self));
  g_return_if_fail (engine == NULL || G_IS_OBJECT (engine));

  stop_following (self);
  if (engine == NULL)
    return;

  self->engine = engine;
  g_object_add_weak_pointer (engine, (gpointer *) &self->engine);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (engine), "state") != NULL)
    {
      self->engine_state_id = g_signal_connect (engine, "notify::state",
                                                G_CALLBACK (engine_state_cb), self);
      read_engine_state (self);
    }
  if (g_signal_lookup ("progress", G_OBJECT_TYPE (engine)) != 0)
    self->engine_progress_id = g_signal_connect (engine, "progress",
                                                 G_CALLBACK (engine_progress_cb), self);
}

/* --- org.kde.StatusNotifierItem --------------------------------------------- */

static void
item_method_call (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *object_path,
                  const char            *interface_name,
                  const char            *method_name,
                  GVariant              *params,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  CpTray *self = user_data;

  /* A click on the icon itself opens the window; the menu does the rest. */
  if (g_strcmp0 (method_name, "Activate") == 0)
    cp_tray_menu_handle_event (self, CP_TRAY_ITEM_OPEN, "clicked");
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static GVariant *
item_get_property (GDBusConnection  *connection,
                   const char       *sender,
                   const char       *object_path,
                   const char       *interface_name,
                   const char       *property_name,
                   GError          **error,
                   gpointer          user_data)
{
  CpTray *self = user_data;

  if (g_strcmp0 (property_name, "Category") == 0)
    return g_variant_new_string ("ApplicationStatus");
  if (g_strcmp0 (property_name, "Id") == 0)
    return g_variant_new_string (APP_ID);
  if (g_strcmp0 (property_name, "Title") == 0)
    return g_variant_new_string (_("Counterpart"));
  if (g_strcmp0 (property_name, "Status") == 0)
    return g_variant_new_string (item_status (self));
  if (g_strcmp0 (property_name, "WindowId") == 0)
    return g_variant_new_int32 (0);
  /* The symbolic icon suits a panel; both profiles install one. */
  if (g_strcmp0 (property_name, "IconName") == 0 ||
      g_strcmp0 (property_name, "AttentionIconName") == 0)
    return g_variant_new_string (APP_ID "-symbolic");
  if (g_strcmp0 (property_name, "IconThemePath") == 0 ||
      g_strcmp0 (property_name, "OverlayIconName") == 0)
    return g_variant_new_string ("");
  if (g_strcmp0 (property_name, "IconPixmap") == 0)
    return g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0);
  if (g_strcmp0 (property_name, "ToolTip") == 0)
    return g_variant_new ("(s@a(iiay)ss)", APP_ID "-symbolic",
                          g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0),
                          _("Counterpart"), self->state_text);
  if (g_strcmp0 (property_name, "ItemIsMenu") == 0)
    return g_variant_new_boolean (FALSE);
  if (g_strcmp0 (property_name, "Menu") == 0)
    return g_variant_new_object_path (CP_TRAY_MENU_PATH);

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "No property %s", property_name);
  return NULL;
}

static const GDBusInterfaceVTable item_vtable = { item_method_call, item_get_property, NULL, { 0 } };

/* --- Registration ------------------------------------------------------------ */

static void
set_registered (CpTray   *self,
                gboolean  registered)
{
  if (self->registered == registered)
    return;
  self->registered = registered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

static void
registered_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CpTray) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL)
    {
      /* Not fatal: the app keeps syncing, only without an icon. */
      g_message ("The tray did not accept Counterpart's icon: %s", error->message);
      return;
    }
  set_registered (self, TRUE);
}

static void
watcher_appeared_cb (GDBusConnection *connection,
                     const char      *name,
                     const char      *owner,
                     gpointer         user_data)
{
  CpTray *self = user_data;

  /* A new watcher (or the same one restarted) knows nothing of us. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_registered (self, FALSE);

  /* The unique name: the watcher then reads the item at the standard
   * path, which every host supports. */
  g_dbus_connection_call (connection, owner, WATCHER_PATH, WATCHER_NAME,
                          "RegisterStatusNotifierItem",
                          g_variant_new ("(s)", g_dbus_connection_get_unique_name (connection)),
                          NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, self->cancellable,
                          registered_cb, g_object_ref (self));
}

static void
watcher_vanished_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  CpTray *self = user_data;

  g_cancellable_cancel (self->cancellable);
  set_registered (self, FALSE);
}

/* --- GObject ----------------------------------------------------------------- */

static void
cp_tray_constructed (GObject *object)
{
  CpTray *self = CP_TRAY (object);
  GDBusNodeInfo *info = get_node_info ();
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (cp_tray_parent_class)->constructed (object);

  self->state_text = describe_state (self);
  g_signal_connect_object (self->app, "action-state-changed",
                           G_CALLBACK (action_state_changed_cb), self, 0);
  g_signal_connect_object (self->app, "action-added",
                           G_CALLBACK (action_added_cb), self, 0);
  g_signal_connect_object (self->app, "action-removed",
                           G_CALLBACK (action_added_cb), self, 0);

  if (self->connection == NULL)
    return;

  self->item_id = g_dbus_connection_register_object (self->connection, CP_TRAY_ITEM_PATH,
                                                     g_dbus_node_info_lookup_interface (info, ITEM_INTERFACE),
                                                     &item_vtable, self, NULL, &error);
  if (self->item_id == 0)
    {
      g_warning ("Could not export the tray icon: %s", error->message);
      return;
    }
  self->menu_id = cp_tray_menu_export (self, &error);
  if (self->menu_id == 0)
    {
      g_warning ("Could not export the tray menu: %s", error->message);
      return;
    }

  self->watch_id = g_bus_watch_name_on_connection (self->connection, WATCHER_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   watcher_appeared_cb, watcher_vanished_cb,
                                                   self, NULL);
}

static void
cp_tray_dispose (GObject *object)
{
  CpTray *self = CP_TRAY (object);

  stop_following (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->watch_id != 0)
    g_bus_unwatch_name (self->watch_id);
  self->watch_id = 0;
  if (self->menu_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->menu_id);
  self->menu_id = 0;
  if (self->item_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->item_id);
  self->item_id = 0;
  g_clear_object (&self->connection);
  if (self->app != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->app), (gpointer *) &self->app);
  self->app = NULL;

  G_OBJECT_CLASS (cp_tray_parent_class)->dispose (object);
}

static void
cp_tray_finalize (GObject *object)
{
  CpTray *self = CP_TRAY (object);

  g_free (self->state_text);
  G_OBJECT_CLASS (cp_tray_parent_class)->finalize (object);
}

static void
cp_tray_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CpTray *self = CP_TRAY (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->app);
      break;
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_REGISTERED:
      g_value_set_boolean (value, self->registered);
      break;
    case PROP_STATE_TEXT:
      g_value_set_string (value, self->state_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_tray_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  CpTray *self = CP_TRAY (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      /* Weakly: the application owns the tray. */
      self->app = g_value_get_object (value);
      g_object_add_weak_pointer (G_OBJECT (self->app), (gpointer *) &self->app);
      break;
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cp_tray_class_init (CpTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cp_tray_constructed;
  object_class->dispose = cp_tray_dispose;
  object_class->finalize = cp_tray_finalize;
  object_class->get_property = cp_tray_get_property;
  object_class->set_property = cp_tray_set_property;

  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, G_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, G_TYPE_DBUS_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE_TEXT] =
    g_param_spec_string ("state-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cp_tray_init (CpTray *self)
{
  self->state = CP_ENGINE_STATE_IDLE;
  self->layout_revision = 1;
}

CpTray *
cp_tray_new (GApplication    *app,
             GDBusConnection *connection)
{
  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (connection == NULL || G_IS_DBUS_CONNECTION (connection), NULL);

  return g_object_new (CP_TYPE_TRAY, "application", app, "connection", connection, NULL);
}

gboolean
cp_tray_get_registered (CpTray *self)
{
  g_return_val_if_fail (CP_IS_TRAY (self), FALSE);
  return self->registered;
}

const char *
cp_tray_get_state_text (CpTray *self)
{
  g_return_val_if_fail (CP_IS_TRAY (self), NULL);
  return self->state_text;
}
