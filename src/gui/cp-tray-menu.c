/* cp-tray-menu.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tray's menu over com.canonical.dbusmenu: a state line, Open
 * Counterpart, Sync Now, Pause Syncing / Resume Syncing, Quit. The items
 * are fixed, so ids are the CpTrayItem values; labels and sensitivity
 * change and are announced with ItemsPropertiesUpdated.
 */

#define G_LOG_DOMAIN "cp-tray"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "cp-tray-private.h"

#define MENU_INTERFACE "com.canonical.dbusmenu"

static const char menu_xml[] =
  "<node>"
  " <interface name='com.canonical.dbusmenu'>"
  "  <property name='Version' type='u' access='read'/>"
  "  <property name='TextDirection' type='s' access='read'/>"
  "  <property name='Status' type='s' access='read'/>"
  "  <property name='IconThemePath' type='as' access='read'/>"
  "  <method name='GetLayout'>"
  "   <arg type='i' name='parentId' direction='in'/>"
  "   <arg type='i' name='recursionDepth' direction='in'/>"
  "   <arg type='as' name='propertyNames' direction='in'/>"
  "   <arg type='u' name='revision' direction='out'/>"
  "   <arg type='(ia{sv}av)' name='layout' direction='out'/>"
  "  </method>"
  "  <method name='GetGroupProperties'>"
  "   <arg type='ai' name='ids' direction='in'/>"
  "   <arg type='as' name='propertyNames' direction='in'/>"
  "   <arg type='a(ia{sv})' name='properties' direction='out'/>"
  "  </method>"
  "  <method name='GetProperty'>"
  "   <arg type='i' name='id' direction='in'/>"
  "   <arg type='s' name='name' direction='in'/>"
  "   <arg type='v' name='value' direction='out'/>"
  "  </method>"
  "  <method name='Event'>"
  "   <arg type='i' name='id' direction='in'/>"
  "   <arg type='s' name='eventId' direction='in'/>"
  "   <arg type='v' name='data' direction='in'/>"
  "   <arg type='u' name='timestamp' direction='in'/>"
  "  </method>"
  "  <method name='EventGroup'>"
  "   <arg type='a(isvu)' name='events' direction='in'/>"
  "   <arg type='ai' name='idErrors' direction='out'/>"
  "  </method>"
  "  <method name='AboutToShow'>"
  "   <arg type='i' name='id' direction='in'/>"
  "   <arg type='b' name='needUpdate' direction='out'/>"
  "  </method>"
  "  <method name='AboutToShowGroup'>"
  "   <arg type='ai' name='ids' direction='in'/>"
  "   <arg type='ai' name='updatesNeeded' direction='out'/>"
  "   <arg type='ai' name='idErrors' direction='out'/>"
  "  </method>"
  "  <signal name='ItemsPropertiesUpdated'>"
  "   <arg type='a(ia{sv})' name='updatedProps'/>"
  "   <arg type='a(ias)' name='removedProps'/>"
  "  </signal>"
  "  <signal name='LayoutUpdated'>"
  "   <arg type='u' name='revision'/>"
  "   <arg type='i' name='parent'/>"
  "  </signal>"
  "  <signal name='ItemActivationRequested'>"
  "   <arg type='i' name='id'/>"
  "   <arg type='u' name='timestamp'/>"
  "  </signal>"
  " </interface>"
  "</node>";

/* dbusmenu reads "_" as a mnemonic; a literal one is doubled. */
static char *
menu_label (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);

  return g_strjoinv ("__", parts);
}

static gboolean
wants (const char * const *names,
       const char         *name)
{
  return names == NULL || names[0] == NULL || g_strv_contains (names, name);
}

static void
add_label (GVariantBuilder    *builder,
           const char * const *names,
           const char         *text)
{
  if (wants (names, "label"))
    {
      g_autofree char *label = menu_label (text);

      g_variant_builder_add (builder, "{sv}", "label", g_variant_new_string (label));
    }
}

static void
add_enabled (GVariantBuilder    *builder,
             const char * const *names,
             gboolean            enabled)
{
  if (wants (names, "enabled"))
    g_variant_builder_add (builder, "{sv}", "enabled", g_variant_new_boolean (enabled));
}

/* The a{sv} of item ID, only NAMES when not empty; NULL for an unknown id. */
static GVariant *
item_properties (CpTray             *self,
                 int                 id,
                 const char * const *names)
{
  GVariantBuilder builder;
  gboolean paused = cp_tray_is_paused (self);

  if (id < 0 || id >= CP_TRAY_N_ITEMS)
    return NULL;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  switch ((CpTrayItem) id)
    {
    case CP_TRAY_ITEM_ROOT:
      if (wants (names, "children-display"))
        g_variant_builder_add (&builder, "{sv}", "children-display", g_variant_new_string ("submenu"));
      break;
    case CP_TRAY_ITEM_STATE:
      add_label (&builder, names, self->state_text);
      add_enabled (&builder, names, FALSE);
      break;
    case CP_TRAY_ITEM_SEPARATOR_1:
    case CP_TRAY_ITEM_SEPARATOR_2:
      if (wants (names, "type"))
        g_variant_builder_add (&builder, "{sv}", "type", g_variant_new_string ("separator"));
      break;
    case CP_TRAY_ITEM_OPEN:
      add_label (&builder, names, _("Open Counterpart"));
      break;
    case CP_TRAY_ITEM_SYNC_NOW:
      add_label (&builder, names, _("Sync Now"));
      /* Syncing waits while paused; say so by not offering it. */
      add_enabled (&builder, names, cp_tray_has_action (self, "sync-now") && !paused);
      break;
    case CP_TRAY_ITEM_PAUSE:
      add_label (&builder, names, paused ? _("Resume Syncing") : _("Pause Syncing"));
      add_enabled (&builder, names, cp_tray_has_action (self, "pause-sync"));
      break;
    case CP_TRAY_ITEM_QUIT:
      add_label (&builder, names, _("Quit"));
      break;
    case CP_TRAY_N_ITEMS:
    default:
      g_assert_not_reached ();
    }
  return g_variant_builder_end (&builder);
}

void
cp_tray_menu_items_updated (CpTray    *self,
                    const int *ids,
                    guint      n_ids)
{
  GVariantBuilder updated;

  if (self->menu_id == 0)
    return;

  g_variant_builder_init (&updated, G_VARIANT_TYPE ("a(ia{sv})"));
  for (guint i = 0; i < n_ids; i++)
    g_variant_builder_add (&updated, "(i@a{sv})", ids[i], item_properties (self, ids[i], NULL));
  g_dbus_connection_emit_signal (self->connection, NULL, CP_TRAY_MENU_PATH, MENU_INTERFACE,
                                 "ItemsPropertiesUpdated",
                                 g_variant_new ("(a(ia{sv})a(ias))", &updated, NULL),
                                 NULL);
}

/* --- Menu actions ----------------------------------------------------------- */

typedef struct
{
  CpTray *tray;
  int     id;
} Click;

static gboolean
click_idle_cb (gpointer data)
{
  Click *click = data;
  CpTray *self = click->tray;
  GActionGroup *group = G_ACTION_GROUP (self->app);

  if (self->app == NULL)
    click->id = -1;  /* the application is going away */

  switch (click->id)
    {
    case CP_TRAY_ITEM_OPEN:
      g_application_activate (self->app);
      break;
    case CP_TRAY_ITEM_SYNC_NOW:
      if (cp_tray_has_action (self, "sync-now") && g_action_group_get_action_enabled (group, "sync-now"))
        {
          const GVariantType *type = g_action_group_get_action_parameter_type (group, "sync-now");

          /* app.sync-now takes an integration id; "" means all of them. */
          if (type != NULL && g_variant_type_equal (type, G_VARIANT_TYPE_STRING))
            g_action_group_activate_action (group, "sync-now", g_variant_new_string (""));
          else if (type == NULL)
            g_action_group_activate_action (group, "sync-now", NULL);
        }
      break;
    case CP_TRAY_ITEM_PAUSE:
      if (cp_tray_has_action (self, "pause-sync") && g_action_group_get_action_enabled (group, "pause-sync"))
        {
          const GVariantType *type = g_action_group_get_action_parameter_type (group, "pause-sync");

          /* Activating a boolean action without a parameter toggles it
           * (GSimpleAction's default), and runs the owner's handler if
           * it has one; change-state alone could bypass that handler. */
          if (type != NULL && g_variant_type_equal (type, G_VARIANT_TYPE_BOOLEAN))
            g_action_group_activate_action (group, "pause-sync", g_variant_new_boolean (!cp_tray_is_paused (self)));
          else if (type == NULL)
            g_action_group_activate_action (group, "pause-sync", NULL);
          else
            g_action_group_change_action_state (group, "pause-sync",
                                                g_variant_new_boolean (!cp_tray_is_paused (self)));
        }
      break;
    case CP_TRAY_ITEM_QUIT:
      if (cp_tray_has_action (self, "quit"))
        g_action_group_activate_action (group, "quit", NULL);
      else
        g_application_quit (self->app);
      break;
    default:
      break;
    }

  g_object_unref (click->tray);
  g_free (click);
  return G_SOURCE_REMOVE;
}

/* Clicks run from an idle, after the reply is on its way: Quit must not
 * leave the host waiting for an answer from a process that is gone. */
gboolean
cp_tray_menu_handle_event (CpTray     *self,
              int         id,
              const char *event_id)
{
  Click *click;

  if (id < 0 || id >= CP_TRAY_N_ITEMS)
    return FALSE;
  if (g_strcmp0 (event_id, "clicked") != 0)
    return TRUE;

  click = g_new0 (Click, 1);
  click->tray = g_object_ref (self);
  click->id = id;
  g_idle_add (click_idle_cb, click);
  return TRUE;
}

/* --- com.canonical.dbusmenu ------------------------------------------------ */

static GVariant *
layout_node (CpTray             *self,
             int                 id,
             int                 depth,
             const char * const *names)
{
  GVariantBuilder children;

  g_variant_builder_init (&children, G_VARIANT_TYPE ("av"));
  if (id == CP_TRAY_ITEM_ROOT && depth != 0)
    for (int child = CP_TRAY_ITEM_ROOT + 1; child < CP_TRAY_N_ITEMS; child++)
      g_variant_builder_add (&children, "v", layout_node (self, child, depth - 1, names));

  return g_variant_new ("(i@a{sv}av)", id, item_properties (self, id, names), &children);
}

static void
menu_method_call (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *object_path,
                  const char            *interface_name,
                  const char            *method_name,
                  GVariant              *params,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  CpTray *self = user_data;

  if (g_strcmp0 (method_name, "GetLayout") == 0)
    {
      g_autofree const char **names = NULL;
      int parent, depth;

      g_variant_get (params, "(ii^a&s)", &parent, &depth, &names);
      if (parent < 0 || parent >= CP_TRAY_N_ITEMS)
        goto invalid_id;
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(u@(ia{sv}av))", self->layout_revision,
                                                            layout_node (self, parent, depth, names)));
    }
  else if (g_strcmp0 (method_name, "GetGroupProperties") == 0)
    {
      g_autoptr(GVariant) ids = NULL;
      g_autofree const char **names = NULL;
      GVariantBuilder result;
      gsize n_ids = 0;
      const gint32 *id_list;

      g_variant_get (params, "(@ai^a&s)", &ids, &names);
      id_list = g_variant_get_fixed_array (ids, &n_ids, sizeof (gint32));
      g_variant_builder_init (&result, G_VARIANT_TYPE ("a(ia{sv})"));
      /* No ids: every item, as libdbusmenu does. */
      for (int i = 0; i < (n_ids > 0 ? (int) n_ids : CP_TRAY_N_ITEMS); i++)
        {
          int id = n_ids > 0 ? id_list[i] : i;
          GVariant *props = item_properties (self, id, names);

          if (props != NULL)
            g_variant_builder_add (&result, "(i@a{sv})", id, props);
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a(ia{sv}))", &result));
    }
  else if (g_strcmp0 (method_name, "GetProperty") == 0)
    {
      const char *name;
      const char *names[2] = { NULL, NULL };
      g_autoptr(GVariant) props = NULL;
      g_autoptr(GVariant) value = NULL;
      int id;

      g_variant_get (params, "(i&s)", &id, &name);
      names[0] = name;
      props = item_properties (self, id, names);
      if (props == NULL)
        goto invalid_id;
      g_variant_ref_sink (props);
      value = g_variant_lookup_value (props, name, NULL);
      if (value == NULL)
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                                 "Item %d has no property %s", id, name);
          return;
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(v)", value));
    }
  else if (g_strcmp0 (method_name, "Event") == 0)
    {
      const char *event_id;
      int id;

      g_variant_get (params, "(i&svu)", &id, &event_id, NULL, NULL);
      if (!cp_tray_menu_handle_event (self, id, event_id))
        goto invalid_id;
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_strcmp0 (method_name, "EventGroup") == 0)
    {
      g_autoptr(GVariantIter) iter = NULL;
      GVariantBuilder errors;
      const char *event_id;
      guint n_events = 0, n_errors = 0;
      int id;

      g_variant_get (params, "(a(isvu))", &iter);
      g_variant_builder_init (&errors, G_VARIANT_TYPE ("ai"));
      while (g_variant_iter_loop (iter, "(i&svu)", &id, &event_id, NULL, NULL))
        {
          n_events++;
          if (!cp_tray_menu_handle_event (self, id, event_id))
            {
              g_variant_builder_add (&errors, "i", id);
              n_errors++;
            }
        }
      if (n_events > 0 && n_errors == n_events)
        {
          g_variant_builder_clear (&errors);
          goto invalid_id;
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ai)", &errors));
    }
  else if (g_strcmp0 (method_name, "AboutToShow") == 0)
    {
      int id;

      g_variant_get (params, "(i)", &id);
      if (id < 0 || id >= CP_TRAY_N_ITEMS)
        goto invalid_id;
      /* The menu is kept current by signals: nothing to refresh. */
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", FALSE));
    }
  else if (g_strcmp0 (method_name, "AboutToShowGroup") == 0)
    {
      g_autoptr(GVariant) ids = NULL;
      GVariantBuilder errors;
      gsize n_ids = 0;
      const gint32 *id_list;

      g_variant_get (params, "(@ai)", &ids);
      id_list = g_variant_get_fixed_array (ids, &n_ids, sizeof (gint32));
      g_variant_builder_init (&errors, G_VARIANT_TYPE ("ai"));
      for (gsize i = 0; i < n_ids; i++)
        if (id_list[i] < 0 || id_list[i] >= CP_TRAY_N_ITEMS)
          g_variant_builder_add (&errors, "i", id_list[i]);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@aiai)",
                                                                        g_variant_new_array (G_VARIANT_TYPE_INT32, NULL, 0),
                                                                        &errors));
    }
  else
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                             "No method %s", method_name);
    }
  return;

invalid_id:
  g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                         "No menu item with that id");
}

static GVariant *
menu_get_property (GDBusConnection  *connection,
                   const char       *sender,
                   const char       *object_path,
                   const char       *interface_name,
                   const char       *property_name,
                   GError          **error,
                   gpointer          user_data)
{
  CpTray *self = user_data;

  if (g_strcmp0 (property_name, "Version") == 0)
    return g_variant_new_uint32 (3);
  if (g_strcmp0 (property_name, "TextDirection") == 0)
    return g_variant_new_string (gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL ? "rtl" : "ltr");
  if (g_strcmp0 (property_name, "Status") == 0)
    return g_variant_new_string (self->state == CP_ENGINE_STATE_ATTENTION ? "notice" : "normal");
  if (g_strcmp0 (property_name, "IconThemePath") == 0)
    return g_variant_new_strv (NULL, 0);

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "No property %s", property_name);
  return NULL;
}

void
cp_tray_menu_layout_updated (CpTray *self)
{
  self->layout_revision++;
  if (self->menu_id != 0)
    g_dbus_connection_emit_signal (self->connection, NULL, CP_TRAY_MENU_PATH, MENU_INTERFACE,
                                   "LayoutUpdated",
                                   g_variant_new ("(ui)", self->layout_revision, CP_TRAY_ITEM_ROOT),
                                   NULL);
}

static const GDBusInterfaceVTable menu_vtable = { menu_method_call, menu_get_property, NULL, { 0 } };

guint
cp_tray_menu_export (CpTray  *self,
                     GError **error)
{
  static GDBusNodeInfo *info;

  if (g_once_init_enter (&info))
    g_once_init_leave (&info, g_dbus_node_info_new_for_xml (menu_xml, NULL));
  return g_dbus_connection_register_object (self->connection, CP_TRAY_MENU_PATH,
                                            g_dbus_node_info_lookup_interface (info, MENU_INTERFACE),
                                            &menu_vtable, self, NULL, error);
}
