/* cp-background.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Running on without a window and starting at login. Outside Flatpak an
 * XDG autostart entry is all it takes. Inside, the sandbox cannot write
 * one and may stop apps that run without a window, so the Background
 * portal is asked instead. It is called with GDBus directly rather than
 * through libportal: the portal is one method and one signal, and
 * libportal would add a dependency (with its own GTK 4 flavour to pick)
 * to every build for what Flatpak builds alone use.
 */

#define G_LOG_DOMAIN "cp-background"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cp-background.h"

#define PORTAL_NAME        "org.freedesktop.portal.Desktop"
#define PORTAL_PATH        "/org/freedesktop/portal/desktop"
#define PORTAL_BACKGROUND  "org.freedesktop.portal.Background"
#define PORTAL_REQUEST     "org.freedesktop.portal.Request"

G_DEFINE_QUARK (cp-background-error-quark, cp_background_error)

gboolean
cp_background_in_flatpak (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

/* --- Autostart outside Flatpak ------------------------------------------------ */

char *
cp_background_autostart_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);
}

/* The installed template carries the translated Name and Comment; an
 * uninstalled build (tests, a developer's checkout) writes this one. */
static char *
autostart_contents (gsize *out_length)
{
  g_autofree char *template_path = g_build_filename (PACKAGE_DATADIR, APP_ID "-autostart.desktop", NULL);
  char *contents = NULL;

  if (g_file_get_contents (template_path, &contents, out_length, NULL))
    return contents;

  contents = g_strdup ("[Desktop Entry]\n"
                       "Name=Counterpart\n"
                       "Comment=Keep syncing your shop in the background\n"
                       "Exec=counterpart --background\n"
                       "Icon=" APP_ID "\n"
                       "Terminal=false\n"
                       "Type=Application\n"
                       "NoDisplay=true\n"
                       "X-GNOME-Autostart-enabled=true\n");
  *out_length = strlen (contents);
  return contents;
}

gboolean
cp_background_set_autostart_file (gboolean   enabled,
                                  GError   **error)
{
  g_autofree char *path = cp_background_autostart_path ();

  if (enabled)
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *contents = NULL;
      gsize length = 0;

      contents = autostart_contents (&length);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Could not create %s: %s", dir, g_strerror (saved_errno));
          return FALSE;
        }
      return g_file_set_contents (path, contents, length, error);
    }

  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not remove %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* --- The Background portal ------------------------------------------------------ */

/* The task keeps one reference of its own from the call until it returns
 * (Response, a failed call, or cancellation), released by finish(). */
typedef struct
{
  GDBusConnection *connection;
  guint            response_id;
  gulong           cancelled_id;
  gboolean         finished;
  gboolean         background;
  gboolean         autostart;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->connection);
  g_free (request);
}

/* Returns TRUE if TASK was still waiting; then the caller returns it. */
static gboolean
finish (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  if (request->finished)
    return FALSE;
  request->finished = TRUE;
  if (request->response_id != 0)
    g_dbus_connection_signal_unsubscribe (request->connection, request->response_id);
  request->response_id = 0;
  if (request->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), request->cancelled_id);
  request->cancelled_id = 0;
  return TRUE;
}

static void
response_cb (GDBusConnection *connection,
             const char      *sender,
             const char      *object_path,
             const char      *interface_name,
             const char      *signal_name,
             GVariant        *params,
             gpointer         user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GVariant) results = NULL;
  guint32 response = 2;

  if (!g_variant_is_of_type (params, G_VARIANT_TYPE ("(ua{sv})")) || !finish (task))
    return;

  g_variant_get (params, "(u@a{sv})", &response, &results);
  g_variant_lookup (results, "background", "b", &request->background);
  g_variant_lookup (results, "autostart", "b", &request->autostart);

  /* 0 success, 1 the person cancelled, 2 anything else. */
  if (response == 0)
    g_task_return_boolean (task, TRUE);
  else if (response == 1)
    g_task_return_new_error (task, CP_BACKGROUND_ERROR, CP_BACKGROUND_ERROR_CANCELLED,
                             "Running in the background was not confirmed");
  else
    g_task_return_new_error (task, CP_BACKGROUND_ERROR, CP_BACKGROUND_ERROR_DENIED,
                             "Running in the background was not allowed");
  g_object_unref (task);
}

static gboolean
cancelled_idle_cb (gpointer user_data)
{
  GTask *task = user_data;

  /* Here, not in the "cancelled" handler: that may not disconnect itself. */
  if (finish (task))
    {
      g_task_return_error_if_cancelled (task);
      g_object_unref (task);
    }
  return G_SOURCE_REMOVE;
}

static void
request_cancelled_cb (GCancellable *cancellable,
                      GTask        *task)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, cancelled_idle_cb, g_object_ref (task), g_object_unref);
}

static void
request_called_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  /* On success the Response signal finishes the task: the portal names
   * the request after our token, the path already subscribed to. */
  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply != NULL || !finish (task))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_new_error (task, CP_BACKGROUND_ERROR, CP_BACKGROUND_ERROR_FAILED,
                             "The Background portal is not available: %s", error->message);
  g_object_unref (task);
}

void
cp_background_request_async (GDBusConnection     *connection,
                             gboolean             autostart,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  static guint counter;
  GTask *task;
  g_autofree char *token = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *request_path = NULL;
  GVariantBuilder options;
  Request *request;
  const char *commandline[] = { "counterpart", "--background", NULL };

  g_return_if_fail (G_IS_DBUS_CONNECTION (connection));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cp_background_request_async);
  request = g_new0 (Request, 1);
  request->connection = g_object_ref (connection);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  /* Subscribe before calling, or a quick answer could be missed. */
  token = g_strdup_printf ("counterpart%u_%u", (guint) getpid (), ++counter);
  sender = g_strdelimit (g_strdup (g_dbus_connection_get_unique_name (connection) + 1), ".", '_');
  request_path = g_strdup_printf (PORTAL_PATH "/request/%s/%s", sender, token);
  request->response_id = g_dbus_connection_signal_subscribe (connection, PORTAL_NAME, PORTAL_REQUEST,
                                                             "Response", request_path, NULL,
                                                             G_DBUS_SIGNAL_FLAGS_NONE,
                                                             response_cb, task, NULL);
  if (cancellable != NULL)
    request->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (request_cancelled_cb),
                                                   task, NULL);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Counterpart keeps your stores in sync while its window is closed.")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (autostart));
  g_variant_builder_add (&options, "{sv}", "commandline", g_variant_new_strv (commandline, -1));
  g_variant_builder_add (&options, "{sv}", "dbus-activatable", g_variant_new_boolean (FALSE));

  g_dbus_connection_call (connection, PORTAL_NAME, PORTAL_PATH, PORTAL_BACKGROUND, "RequestBackground",
                          g_variant_new ("(sa{sv})", "", &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1, cancellable,
                          request_called_cb, g_object_ref (task));
}

gboolean
cp_background_request_finish (GAsyncResult  *result,
                              gboolean      *out_background,
                              gboolean      *out_autostart,
                              GError       **error)
{
  Request *request;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cp_background_request_async, FALSE);

  request = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (out_background != NULL)
    *out_background = request->background;
  if (out_autostart != NULL)
    *out_autostart = request->autostart;
  return TRUE;
}

/* --- Following the settings ----------------------------------------------------- */

struct _CpBackground
{
  GObject          parent_instance;

  GSettings       *settings;
  GDBusConnection *connection;
  GCancellable    *cancellable;
  gboolean         asked_to_run;   /* the portal was asked this run */
  gboolean         correcting;     /* writing back what the portal granted */
};

G_DEFINE_FINAL_TYPE (CpBackground, cp_background, G_TYPE_OBJECT)

static void
portal_answered_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CpBackground) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean background = FALSE;
  gboolean autostart = FALSE;
  gboolean ok;

  ok = cp_background_request_finish (result, &background, &autostart, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!ok)
    g_message ("Running in the background: %s", error->message);
  else if (!background)
    g_message ("The desktop did not allow Counterpart to run in the background; "
               "it may stop syncing when the window is closed");

  /* The switch says what is true: if starting at login was not granted,
   * it turns itself off rather than promise what will not happen. */
  if (g_settings_get_boolean (self->settings, "autostart") && !(ok && autostart))
    {
      self->correcting = TRUE;
      g_settings_set_boolean (self->settings, "autostart", FALSE);
      self->correcting = FALSE;
    }
}

static void
ask_portal (CpBackground *self)
{
  if (self->connection == NULL)
    {
      g_message ("No session bus: cannot ask the Background portal");
      return;
    }
  cp_background_request_async (self->connection,
                               g_settings_get_boolean (self->settings, "autostart"),
                               self->cancellable, portal_answered_cb, g_object_ref (self));
}

static void
autostart_changed_cb (CpBackground *self)
{
  g_autoptr(GError) error = NULL;

  if (self->correcting)
    return;

  if (cp_background_in_flatpak ())
    {
      ask_portal (self);
      return;
    }
  if (!cp_background_set_autostart_file (g_settings_get_boolean (self->settings, "autostart"), &error))
    g_warning ("Could not change starting at login: %s", error->message);
}

void
cp_background_keep_running (CpBackground *self)
{
  g_return_if_fail (CP_IS_BACKGROUND (self));

  if (!cp_background_in_flatpak () || self->asked_to_run)
    return;
  self->asked_to_run = TRUE;
  ask_portal (self);
}

static void
cp_background_dispose (GObject *object)
{
  CpBackground *self = CP_BACKGROUND (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->connection);
  G_OBJECT_CLASS (cp_background_parent_class)->dispose (object);
}

static void
cp_background_class_init (CpBackgroundClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cp_background_dispose;
}

static void
cp_background_init (CpBackground *self)
{
  self->cancellable = g_cancellable_new ();
}

CpBackground *
cp_background_new (GSettings       *settings,
                   GDBusConnection *connection)
{
  CpBackground *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (connection == NULL || G_IS_DBUS_CONNECTION (connection), NULL);

  self = g_object_new (CP_TYPE_BACKGROUND, NULL);
  self->settings = g_object_ref (settings);
  self->connection = connection != NULL ? g_object_ref (connection) : NULL;
  g_signal_connect_object (settings, "changed::autostart",
                           G_CALLBACK (autostart_changed_cb), self, G_CONNECT_SWAPPED);
  return self;
}
