/* tray-fixture.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tray-fixture.h"

#define WAIT_US (20 * G_USEC_PER_SEC)

static const char watcher_xml[] =
  "<node>"
  " <interface name='org.kde.StatusNotifierWatcher'>"
  "  <method name='RegisterStatusNotifierItem'><arg type='s' direction='in'/></method>"
  "  <method name='RegisterStatusNotifierHost'><arg type='s' direction='in'/></method>"
  "  <property name='RegisteredStatusNotifierItems' type='as' access='read'/>"
  "  <property name='IsStatusNotifierHostRegistered' type='b' access='read'/>"
  "  <property name='ProtocolVersion' type='i' access='read'/>"
  "  <signal name='StatusNotifierItemRegistered'><arg type='s'/></signal>"
  "  <signal name='StatusNotifierItemUnregistered'><arg type='s'/></signal>"
  "  <signal name='StatusNotifierHostRegistered'/>"
  " </interface>"
  "</node>";

static void
watcher_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *params,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  TrayWatcher *watcher = user_data;

  if (g_strcmp0 (method_name, "RegisterStatusNotifierItem") == 0)
    {
      const char *service;

      g_variant_get (params, "(&s)", &service);
      g_ptr_array_add (watcher->services, g_strdup (service));
      g_ptr_array_add (watcher->senders, g_strdup (sender));
      g_dbus_connection_emit_signal (connection, NULL, object_path, interface_name,
                                     "StatusNotifierItemRegistered",
                                     g_variant_new ("(s)", service), NULL);
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static GVariant *
watcher_get_property (GDBusConnection  *connection,
                      const char       *sender,
                      const char       *object_path,
                      const char       *interface_name,
                      const char       *property_name,
                      GError          **error,
                      gpointer          user_data)
{
  TrayWatcher *watcher = user_data;

  if (g_strcmp0 (property_name, "RegisteredStatusNotifierItems") == 0)
    return g_variant_new_strv ((const char * const *) watcher->services->pdata,
                               watcher->services->len);
  if (g_strcmp0 (property_name, "IsStatusNotifierHostRegistered") == 0)
    return g_variant_new_boolean (TRUE);
  return g_variant_new_int32 (0);
}

static const GDBusInterfaceVTable watcher_vtable = { watcher_method_call, watcher_get_property, NULL, { 0 } };

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  TrayService *service = user_data;

  service->owned = TRUE;
}

GDBusConnection *
tray_connect (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  GDBusConnection *connection;

  g_assert_no_error (error);
  connection = g_dbus_connection_new_for_address_sync (address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_set_exit_on_close (connection, FALSE);
  return connection;
}

void
tray_service_start (TrayService                *service,
                    const char                 *name,
                    const char                 *path,
                    const char                 *xml,
                    const GDBusInterfaceVTable *vtable,
                    gpointer                    user_data)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (xml, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (info);
  service->owned = FALSE;
  service->connection = tray_connect ();
  service->object_id = g_dbus_connection_register_object (service->connection, path,
                                                          info->interfaces[0], vtable,
                                                          user_data, NULL, &error);
  g_assert_no_error (error);
  service->owner_id = g_bus_own_name_on_connection (service->connection, name,
                                                    G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                                    name_acquired_cb, NULL, service, NULL);
  g_assert_true (tray_wait_flag (&service->owned));
}

void
tray_service_stop (TrayService *service)
{
  if (service->connection == NULL)
    return;
  g_bus_unown_name (service->owner_id);
  g_dbus_connection_unregister_object (service->connection, service->object_id);
  g_dbus_connection_close_sync (service->connection, NULL, NULL);
  g_clear_object (&service->connection);
  service->owned = FALSE;
}

TrayWatcher *
tray_watcher_start (void)
{
  TrayWatcher *watcher = g_new0 (TrayWatcher, 1);

  watcher->services = g_ptr_array_new_with_free_func (g_free);
  watcher->senders = g_ptr_array_new_with_free_func (g_free);
  tray_service_start (&watcher->service, "org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher",
                      watcher_xml, &watcher_vtable, watcher);
  return watcher;
}

void
tray_watcher_stop (TrayWatcher *watcher)
{
  tray_service_stop (&watcher->service);
}

void
tray_watcher_free (TrayWatcher *watcher)
{
  tray_watcher_stop (watcher);
  g_ptr_array_unref (watcher->services);
  g_ptr_array_unref (watcher->senders);
  g_free (watcher);
}

gboolean
tray_watcher_wait_for (TrayWatcher *watcher,
                       guint        n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  while (watcher->services->len < n && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  return watcher->services->len >= n;
}

gboolean
tray_wait_flag (gboolean *flag)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_US;

  while (!*flag && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  return *flag;
}

typedef struct
{
  GVariant *reply;
  GError   *error;
  gboolean  done;
} Call;

static void
call_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Call *call = user_data;

  call->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &call->error);
  call->done = TRUE;
}

GVariant *
tray_call (GDBusConnection    *connection,
           const char         *name,
           const char         *path,
           const char         *interface,
           const char         *method,
           GVariant           *params,
           const GVariantType *reply_type,
           GError            **error)
{
  Call call = { NULL, NULL, FALSE };

  g_dbus_connection_call (connection, name, path, interface, method, params, reply_type,
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, 20000, NULL, call_cb, &call);
  while (!call.done)
    g_main_context_iteration (NULL, TRUE);
  if (call.error != NULL)
    g_propagate_error (error, call.error);
  return call.reply;
}

GVariant *
tray_get_property (GDBusConnection *connection,
                   const char      *name,
                   const char      *path,
                   const char      *interface,
                   const char      *property)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  GVariant *value = NULL;

  reply = tray_call (connection, name, path, "org.freedesktop.DBus.Properties", "Get",
                     g_variant_new ("(ss)", interface, property), G_VARIANT_TYPE ("(v)"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  return value;
}

/* --- A stand-in engine ---------------------------------------------------- */

#define TEST_TYPE_ENGINE (test_engine_get_type ())
G_DECLARE_FINAL_TYPE (TestEngine, test_engine, TEST, ENGINE, GObject)

struct _TestEngine
{
  GObject parent_instance;
  int     state;
};

G_DEFINE_FINAL_TYPE (TestEngine, test_engine, G_TYPE_OBJECT)

static void
test_engine_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  g_value_set_int (value, TEST_ENGINE (object)->state);
}

static void
test_engine_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TEST_ENGINE (object)->state = g_value_get_int (value);
}

static void
test_engine_class_init (TestEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_engine_get_property;
  object_class->set_property = test_engine_set_property;
  g_object_class_install_property (object_class, 1,
                                   g_param_spec_int ("state", NULL, NULL, 0, 10, 0,
                                                     G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_signal_new ("progress", TEST_TYPE_ENGINE, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  g_signal_new ("attention", TEST_TYPE_ENGINE, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  g_signal_new ("job-dead", TEST_TYPE_ENGINE, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_STRING);
}

static void
test_engine_init (TestEngine *self)
{
}

GObject *
tray_test_engine_new (void)
{
  return g_object_new (TEST_TYPE_ENGINE, NULL);
}
