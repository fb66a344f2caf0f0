/* test-tray.c
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tray icon against a StatusNotifierWatcher this test registers on
 * its own private session bus (GTestDBus), as a desktop's panel would:
 * registration, re-registration when the watcher restarts, the item's
 * properties, and the menu read and clicked over com.canonical.dbusmenu.
 * First the CpTray over a plain GApplication whose actions count what
 * they are asked, then the real `counterpart --background` process.
 */

#define G_LOG_DOMAIN "test-tray"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "cp-tray.h"
#include "tray-fixture.h"

#define MENU_INTERFACE "com.canonical.dbusmenu"
#define ITEM_INTERFACE "org.kde.StatusNotifierItem"

static const char *program;

/* --- Reading the menu -------------------------------------------------------- */

typedef struct
{
  int       id;
  char     *label;
  char     *type;
  gboolean  enabled;
} MenuItem;

static void
menu_item_clear (MenuItem *item)
{
  g_free (item->label);
  g_free (item->type);
}

/* GetLayout of the whole menu: its items in order, under the root. */
static GArray *
get_layout (GDBusConnection *client,
            const char      *name,
            guint           *out_revision)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) root_props = NULL;
  g_autoptr(GVariantIter) children = NULL;
  const char *no_names[] = { NULL };
  GArray *items = g_array_new (FALSE, TRUE, sizeof (MenuItem));
  GVariant *child;
  int root;

  g_array_set_clear_func (items, (GDestroyNotify) menu_item_clear);
  reply = tray_call (client, name, CP_TRAY_MENU_PATH, MENU_INTERFACE, "GetLayout",
                     g_variant_new ("(ii^as)", 0, -1, no_names),
                     G_VARIANT_TYPE ("(u(ia{sv}av))"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u(i@a{sv}av))", out_revision, &root, &root_props, &children);
  g_assert_cmpint (root, ==, 0);
  {
    const char *display = NULL;

    g_assert_true (g_variant_lookup (root_props, "children-display", "&s", &display));
    g_assert_cmpstr (display, ==, "submenu");
  }

  while (g_variant_iter_next (children, "v", &child))
    {
      MenuItem item = { 0, NULL, NULL, TRUE };
      g_autoptr(GVariant) props = NULL;
      g_autoptr(GVariant) grandchildren = NULL;

      g_variant_get (child, "(i@a{sv}@av)", &item.id, &props, &grandchildren);
      g_assert_cmpuint (g_variant_n_children (grandchildren), ==, 0);
      g_variant_lookup (props, "label", "s", &item.label);
      g_variant_lookup (props, "type", "s", &item.type);
      g_variant_lookup (props, "enabled", "b", &item.enabled);
      g_array_append_val (items, item);
      g_variant_unref (child);
    }
  return items;
}

/* The menu a person sees: labels in order, "—" for a separator, "(…)"
 * around what cannot be clicked. */
static char *
describe_menu (GArray *items)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      const MenuItem *item = &g_array_index (items, MenuItem, i);

      if (i > 0)
        g_string_append (text, " | ");
      if (g_strcmp0 (item->type, "separator") == 0)
        g_string_append (text, "—");
      else if (!item->enabled)
        g_string_append_printf (text, "(%s)", item->label);
      else
        g_string_append (text, item->label);
    }
  return g_string_free (text, FALSE);
}

static void
assert_menu (GDBusConnection *client,
             const char      *name,
             const char      *expected)
{
  g_autoptr(GArray) items = NULL;
  g_autofree char *text = NULL;
  guint revision;

  items = get_layout (client, name, &revision);
  text = describe_menu (items);
  g_assert_cmpstr (text, ==, expected);
}

static void
click (GDBusConnection *client,
       const char      *name,
       int              id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = tray_call (client, name, CP_TRAY_MENU_PATH, MENU_INTERFACE, "Event",
                     g_variant_new ("(isvu)", id, "clicked", g_variant_new_int32 (0), 0),
                     NULL, &error);
  g_assert_no_error (error);
}

static char *
get_string_property (GDBusConnection *client,
                     const char      *name,
                     const char      *property)
{
  g_autoptr(GVariant) value = tray_get_property (client, name, CP_TRAY_ITEM_PATH, ITEM_INTERFACE, property);

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ||
      g_variant_is_of_type (value, G_VARIANT_TYPE_OBJECT_PATH))
    return g_variant_dup_string (value, NULL);
  g_assert_not_reached ();
  return NULL;
}

/* --- Watching the menu's signals --------------------------------------------- */

typedef struct
{
  guint     updates;        /* ItemsPropertiesUpdated */
  char     *pause_label;    /* the Pause item's label in the last one */
  char     *status;         /* NewStatus */
  gboolean  got_status;
} Signals;

static void
signal_cb (GDBusConnection *connection,
           const char      *sender,
           const char      *path,
           const char      *interface,
           const char      *name,
           GVariant        *params,
           gpointer         user_data)
{
  Signals *signals = user_data;

  if (g_strcmp0 (name, "ItemsPropertiesUpdated") == 0)
    {
      g_autoptr(GVariant) updated_props = g_variant_get_child_value (params, 0);
      GVariantIter updated;
      GVariant *props;
      int id;

      g_variant_iter_init (&updated, updated_props);
      while (g_variant_iter_next (&updated, "(i@a{sv})", &id, &props))
        {
          if (id == CP_TRAY_ITEM_PAUSE)
            {
              g_clear_pointer (&signals->pause_label, g_free);
              g_variant_lookup (props, "label", "s", &signals->pause_label);
            }
          g_variant_unref (props);
        }
      signals->updates++;
    }
  else if (g_strcmp0 (name, "NewStatus") == 0)
    {
      g_clear_pointer (&signals->status, g_free);
      g_variant_get (params, "(s)", &signals->status);
      signals->got_status = TRUE;
    }
}

static gboolean
wait_pause_label (Signals    *signals,
                  const char *label)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_strcmp0 (signals->pause_label, label) != 0 && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  return g_strcmp0 (signals->pause_label, label) == 0;
}

/* --- The tray over a plain application ---------------------------------------- */

typedef struct
{
  guint  sync_now;
  char  *sync_target;
  guint  quit;
  guint  activated;
} Counts;

static void
sync_now_cb (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  Counts *counts = user_data;

  counts->sync_now++;
  g_free (counts->sync_target);
  counts->sync_target = g_variant_dup_string (param, NULL);
}

static void
pause_change_state_cb (GSimpleAction *action,
                       GVariant      *value,
                       gpointer       user_data)
{
  g_simple_action_set_state (action, value);
}

static void
quit_cb (GSimpleAction *action,
         GVariant      *param,
         gpointer       user_data)
{
  Counts *counts = user_data;

  counts->quit++;
}

static void
activate_cb (GApplication *app,
             Counts       *counts)
{
  counts->activated++;
}

static gboolean
counter_at_least (guint *counter,
                  guint  n)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (*counter < n && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  return *counter >= n;
}

static void
test_item (void)
{
  /* The same shape as CpApplication's actions (cp-application.h). */
  Counts counts = { 0 };
  const GActionEntry entries[] = {
    { "sync-now", sync_now_cb, "s", NULL, NULL, { 0 } },
    { "pause-sync", NULL, NULL, "false", pause_change_state_cb, { 0 } },
    { "quit", quit_cb, NULL, NULL, NULL, { 0 } },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GApplication) app = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GDBusConnection) client = NULL;
  g_autoptr(CpTray) tray = NULL;
  g_autoptr(GObject) engine = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) state = NULL;
  g_autofree char *value = NULL;
  Signals signals = { 0 };
  const char *name;
  TrayWatcher *watcher;
  guint subscription;

  app = g_application_new ("io.github.counterpart.TrayTest", G_APPLICATION_NON_UNIQUE);
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), &counts);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), &counts);
  g_assert_true (g_application_register (app, NULL, &error));
  g_assert_no_error (error);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  name = g_dbus_connection_get_unique_name (bus);
  client = tray_connect ();
  subscription = g_dbus_connection_signal_subscribe (client, name, NULL, NULL, NULL, NULL,
                                                     G_DBUS_SIGNAL_FLAGS_NONE, signal_cb, &signals, NULL);

  /* No watcher: the item is there to read, but nobody shows it. */
  tray = cp_tray_new (app, bus);
  g_assert_false (cp_tray_get_registered (tray));

  /* A panel appears: the item registers, by its unique name. */
  watcher = tray_watcher_start ();
  g_assert_true (tray_watcher_wait_for (watcher, 1));
  g_assert_cmpstr (g_ptr_array_index (watcher->services, 0), ==, name);
  g_assert_cmpstr (g_ptr_array_index (watcher->senders, 0), ==, name);
  while (!cp_tray_get_registered (tray))
    g_main_context_iteration (NULL, TRUE);

  /* What a host reads to draw it. */
  value = get_string_property (client, name, "Status");
  g_assert_cmpstr (value, ==, "Active");
  g_clear_pointer (&value, g_free);
  value = get_string_property (client, name, "Title");
  g_assert_cmpstr (value, ==, "Counterpart");
  g_clear_pointer (&value, g_free);
  value = get_string_property (client, name, "IconName");
  g_assert_cmpstr (value, ==, APP_ID "-symbolic");
  g_clear_pointer (&value, g_free);
  value = get_string_property (client, name, "Menu");
  g_assert_cmpstr (value, ==, CP_TRAY_MENU_PATH);
  g_clear_pointer (&value, g_free);
  value = get_string_property (client, name, "Category");
  g_assert_cmpstr (value, ==, "ApplicationStatus");
  g_clear_pointer (&value, g_free);
  {
    g_autoptr(GVariant) version = tray_get_property (client, name, CP_TRAY_MENU_PATH, MENU_INTERFACE, "Version");

    g_assert_cmpuint (g_variant_get_uint32 (version), ==, 3);
  }

  assert_menu (client, name, "(Up to date) | — | Open Counterpart | Sync Now | Pause Syncing | — | Quit");

  /* Sync Now asks for every integration. */
  click (client, name, CP_TRAY_ITEM_SYNC_NOW);
  g_assert_true (counter_at_least (&counts.sync_now, 1));
  g_assert_cmpstr (counts.sync_target, ==, "");

  /* Pause turns the action's state on; the menu says so, by signal. */
  click (client, name, CP_TRAY_ITEM_PAUSE);
  g_assert_true (wait_pause_label (&signals, "Resume Syncing"));
  state = g_action_group_get_action_state (G_ACTION_GROUP (app), "pause-sync");
  g_assert_true (g_variant_get_boolean (state));
  g_clear_pointer (&state, g_variant_unref);
  assert_menu (client, name, "(Paused) | — | Open Counterpart | (Sync Now) | Resume Syncing | — | Quit");
  click (client, name, CP_TRAY_ITEM_PAUSE);
  g_assert_true (wait_pause_label (&signals, "Pause Syncing"));
  state = g_action_group_get_action_state (G_ACTION_GROUP (app), "pause-sync");
  g_assert_false (g_variant_get_boolean (state));

  /* Open, from the menu and from a click on the icon. */
  click (client, name, CP_TRAY_ITEM_OPEN);
  g_assert_true (counter_at_least (&counts.activated, 1));
  reply = tray_call (client, name, CP_TRAY_ITEM_PATH, ITEM_INTERFACE, "Activate",
                     g_variant_new ("(ii)", 0, 0), NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  g_assert_true (counter_at_least (&counts.activated, 2));

  /* The state line follows the engine, without polling it. */
  engine = tray_test_engine_new ();
  cp_tray_follow_engine (tray, engine);
  g_object_set (engine, "state", CP_ENGINE_STATE_SYNCING, NULL);
  g_signal_emit_by_name (engine, "progress", 3, 12);
  g_assert_cmpstr (cp_tray_get_state_text (tray), ==, "Syncing 3 of 12");
  assert_menu (client, name, "(Syncing 3 of 12) | — | Open Counterpart | Sync Now | Pause Syncing | — | Quit");
  g_object_set (engine, "state", CP_ENGINE_STATE_ATTENTION, NULL);
  g_assert_true (tray_wait_flag (&signals.got_status));
  g_assert_cmpstr (signals.status, ==, "NeedsAttention");
  value = get_string_property (client, name, "Status");
  g_assert_cmpstr (value, ==, "NeedsAttention");
  g_clear_pointer (&value, g_free);
  g_object_set (engine, "state", CP_ENGINE_STATE_IDLE, NULL);
  g_assert_cmpstr (cp_tray_get_state_text (tray), ==, "Up to date");

  /* The rest of dbusmenu: properties by group, show notices, groups of
   * events with an unknown id among them. */
  {
    const int ids[] = { CP_TRAY_ITEM_STATE };
    const char *names[] = { "label", NULL };
    g_autoptr(GVariant) props = NULL;
    g_autofree char *label = NULL;
    int id;

    reply = tray_call (client, name, CP_TRAY_MENU_PATH, MENU_INTERFACE, "GetGroupProperties",
                       g_variant_new ("(@ai^as)",
                                      g_variant_new_fixed_array (G_VARIANT_TYPE_INT32, ids, 1, sizeof (int)),
                                      names),
                       G_VARIANT_TYPE ("(a(ia{sv}))"), &error);
    g_assert_no_error (error);
    g_variant_get_child (reply, 0, "@a(ia{sv})", &props);
    g_assert_cmpuint (g_variant_n_children (props), ==, 1);
    g_variant_get_child (props, 0, "(i@a{sv})", &id, NULL);
    g_assert_cmpint (id, ==, CP_TRAY_ITEM_STATE);
    {
      g_autoptr(GVariant) first = g_variant_get_child_value (props, 0);
      g_autoptr(GVariant) dict = g_variant_get_child_value (first, 1);

      g_assert_true (g_variant_lookup (dict, "label", "s", &label));
      g_assert_cmpuint (g_variant_n_children (dict), ==, 1);
    }
    g_assert_cmpstr (label, ==, "Up to date");
    g_clear_pointer (&reply, g_variant_unref);
  }
  reply = tray_call (client, name, CP_TRAY_MENU_PATH, MENU_INTERFACE, "AboutToShow",
                     g_variant_new ("(i)", 0), G_VARIANT_TYPE ("(b)"), &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  {
    const int ids[] = { 0, 99 };
    g_autoptr(GVariant) errors = NULL;

    reply = tray_call (client, name, CP_TRAY_MENU_PATH, MENU_INTERFACE, "AboutToShowGroup",
                       g_variant_new ("(@ai)", g_variant_new_fixed_array (G_VARIANT_TYPE_INT32, ids, 2, sizeof (int))),
                       G_VARIANT_TYPE ("(aiai)"), &error);
    g_assert_no_error (error);
    g_variant_get_child (reply, 1, "@ai", &errors);
    g_assert_cmpuint (g_variant_n_children (errors), ==, 1);
    g_clear_pointer (&reply, g_variant_unref);
  }
  {
    GVariantBuilder events;
    g_autoptr(GVariant) errors = NULL;

    g_variant_builder_init (&events, G_VARIANT_TYPE ("a(isvu)"));
    g_variant_builder_add (&events, "(isvu)", 99, "clicked", g_variant_new_int32 (0), 0);
    g_variant_builder_add (&events, "(isvu)", CP_TRAY_ITEM_SYNC_NOW, "clicked", g_variant_new_int32 (0), 0);
    reply = tray_call (client, name, CP_TRAY_MENU_PATH, MENU_INTERFACE, "EventGroup",
                       g_variant_new ("(a(isvu))", &events), G_VARIANT_TYPE ("(ai)"), &error);
    g_assert_no_error (error);
    g_variant_get_child (reply, 0, "@ai", &errors);
    g_assert_cmpuint (g_variant_n_children (errors), ==, 1);
    g_assert_true (counter_at_least (&counts.sync_now, 2));
    g_clear_pointer (&reply, g_variant_unref);
  }
  /* An unknown item is an error, not a crash. */
  reply = tray_call (client, name, CP_TRAY_MENU_PATH, MENU_INTERFACE, "Event",
                     g_variant_new ("(isvu)", 42, "clicked", g_variant_new_int32 (0), 0), NULL, &error);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  g_clear_error (&error);

  /* The panel restarts: the item registers again with the new one. */
  tray_watcher_stop (watcher);
  while (cp_tray_get_registered (tray))
    g_main_context_iteration (NULL, TRUE);
  g_ptr_array_set_size (watcher->services, 0);
  tray_watcher_free (watcher);
  watcher = tray_watcher_start ();
  g_assert_true (tray_watcher_wait_for (watcher, 1));
  g_assert_cmpstr (g_ptr_array_index (watcher->services, 0), ==, name);

  /* Quit asks the application to quit. */
  click (client, name, CP_TRAY_ITEM_QUIT);
  g_assert_true (counter_at_least (&counts.quit, 1));

  tray_watcher_free (watcher);
  g_dbus_connection_signal_unsubscribe (client, subscription);
  cp_tray_follow_engine (tray, NULL);
  g_free (signals.pause_label);
  g_free (signals.status);
  g_free (counts.sync_target);
}

/* --- The real program --------------------------------------------------------- */

static gboolean
child_exited (GPid  pid,
              int  *status)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      if (waitpid (pid, status, WNOHANG) == pid)
        return TRUE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10 * 1000);
    }
  return FALSE;
}

static void
test_app (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) client = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *ledger = NULL;
  g_autofree char *app_path = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *value = NULL;
  g_autofree char *xml = NULL;
  const char *argv[] = { program, "--background", NULL, NULL };
  Signals signals = { 0 };
  TrayWatcher *watcher;
  GPid pid = 0;
  int status = 0;
  guint subscription;

  if (g_getenv ("DISPLAY") == NULL)
    {
      if (g_strcmp0 (g_getenv ("CP_TEST_HARNESS"), "1") == 0)
        g_error ("CP_TEST_HARNESS=1 but there is no display");
      g_test_skip ("Needs a display (build-aux/test-session.sh)");
      return;
    }

  dir = g_dir_make_tmp ("cp-tray-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_strdup_printf ("--data-dir=%s", dir);
  ledger = g_build_filename (dir, "ledger.sqlite3", NULL);
  argv[2] = data_dir;
  app_path = g_strdelimit (g_strdup_printf ("/%s", APP_ID), ".", '/');

  watcher = tray_watcher_start ();
  client = tray_connect ();

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);

  /* Started at login: the icon registers... */
  g_assert_true (tray_watcher_wait_for (watcher, 1));
  sender = g_strdup (g_ptr_array_index (watcher->senders, 0));
  g_assert_cmpstr (g_ptr_array_index (watcher->services, 0), ==, sender);
  subscription = g_dbus_connection_signal_subscribe (client, sender, NULL, NULL, NULL, NULL,
                                                     G_DBUS_SIGNAL_FLAGS_NONE, signal_cb, &signals, NULL);

  /* ...and no window opened (GtkApplication exports each window under
   * the app's path), nor the ledger. */
  reply = tray_call (client, sender, app_path, "org.freedesktop.DBus.Introspectable", "Introspect",
                     NULL, G_VARIANT_TYPE ("(s)"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(s)", &xml);
  g_assert_null (strstr (xml, "<node name=\"window\""));
  g_clear_pointer (&reply, g_variant_unref);
  g_assert_false (g_file_test (ledger, G_FILE_TEST_EXISTS));

  value = get_string_property (client, sender, "Status");
  g_assert_cmpstr (value, ==, "Active");
  g_clear_pointer (&value, g_free);
  value = get_string_property (client, sender, "Title");
  g_assert_cmpstr (value, ==, "Counterpart");
  g_clear_pointer (&value, g_free);
  value = get_string_property (client, sender, "IconName");
  g_assert_cmpstr (value, ==, APP_ID "-symbolic");
  g_clear_pointer (&value, g_free);
  value = get_string_property (client, sender, "Menu");
  g_assert_cmpstr (value, ==, CP_TRAY_MENU_PATH);
  g_clear_pointer (&value, g_free);

  assert_menu (client, sender, "(Up to date) | — | Open Counterpart | Sync Now | Pause Syncing | — | Quit");

  /* Sync Now reaches app.sync-now without harm with no ledger open. */
  click (client, sender, CP_TRAY_ITEM_SYNC_NOW);

  /* Pause: the app's own pause-sync action turns on (read through the
   * actions GApplication exports), and the menu follows. */
  click (client, sender, CP_TRAY_ITEM_PAUSE);
  g_assert_true (wait_pause_label (&signals, "Resume Syncing"));
  reply = tray_call (client, sender, app_path, "org.gtk.Actions", "Describe",
                     g_variant_new ("(s)", "pause-sync"), G_VARIANT_TYPE ("((bgav))"), &error);
  g_assert_no_error (error);
  {
    g_autoptr(GVariant) states = NULL;
    g_autoptr(GVariant) boxed = NULL;
    g_autoptr(GVariant) paused = NULL;

    g_variant_get (reply, "((bg@av))", NULL, NULL, &states);
    g_assert_cmpuint (g_variant_n_children (states), ==, 1);
    boxed = g_variant_get_child_value (states, 0);
    paused = g_variant_get_variant (boxed);
    g_assert_true (g_variant_get_boolean (paused));
  }
  g_clear_pointer (&reply, g_variant_unref);
  assert_menu (client, sender, "(Paused) | — | Open Counterpart | (Sync Now) | Resume Syncing | — | Quit");

  /* The panel restarts: the app registers again. */
  tray_watcher_stop (watcher);
  tray_watcher_free (watcher);
  watcher = tray_watcher_start ();
  g_assert_true (tray_watcher_wait_for (watcher, 1));
  g_assert_cmpstr (g_ptr_array_index (watcher->senders, 0), ==, sender);
  g_assert_cmpint (waitpid (pid, &status, WNOHANG), ==, 0);

  /* Quit really quits. */
  click (client, sender, CP_TRAY_ITEM_QUIT);
  if (!child_exited (pid, &status))
    {
      kill (pid, SIGKILL);
      waitpid (pid, NULL, 0);
      g_error ("Quit from the tray did not end the process");
    }
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_spawn_close_pid (pid);

  g_dbus_connection_signal_unsubscribe (client, subscription);
  tray_watcher_free (watcher);
  g_free (signals.pause_label);
  g_free (signals.status);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;
  g_autofree char *display = NULL;
  int ret;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    g_error ("usage: %s PATH-TO-COUNTERPART", argv[0]);
  program = argv[1];

  /* A bus of the test's own: the watcher it runs is the only one, and no
   * other test's Counterpart answers for ours. */
  display = g_strdup (g_getenv ("DISPLAY"));
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  /* GTestDBus unsets DISPLAY (against X11 autolaunch); the app needs it. */
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);

  g_test_add_func ("/tray/item", test_item);
  g_test_add_func ("/tray/app", test_app);

  ret = g_test_run ();
  /* Stopped, not taken down: _down() waits for every connection to the
   * bus to be finalized, which in-process applications outlive. */
  g_test_dbus_stop (bus);
  return ret;
}
