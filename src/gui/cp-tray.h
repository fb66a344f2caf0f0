/* cp-tray.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cp-engine.h"

G_BEGIN_DECLS

/* The object paths the item and its menu are exported at. */
#define CP_TRAY_ITEM_PATH "/StatusNotifierItem"
#define CP_TRAY_MENU_PATH "/StatusNotifierItem/Menu"

/* The ids of the menu's items (com.canonical.dbusmenu), stable so that
 * hosts and tests can address them. */
typedef enum
{
  CP_TRAY_ITEM_ROOT = 0,
  CP_TRAY_ITEM_STATE,       /* the state line, never enabled */
  CP_TRAY_ITEM_SEPARATOR_1,
  CP_TRAY_ITEM_OPEN,        /* Open Counterpart: g_application_activate() */
  CP_TRAY_ITEM_SYNC_NOW,    /* activates app.sync-now */
  CP_TRAY_ITEM_PAUSE,       /* toggles app.pause-sync (a boolean state) */
  CP_TRAY_ITEM_SEPARATOR_2,
  CP_TRAY_ITEM_QUIT,        /* activates app.quit */
  CP_TRAY_N_ITEMS
} CpTrayItem;

#define CP_TYPE_TRAY (cp_tray_get_type ())
G_DECLARE_FINAL_TYPE (CpTray, cp_tray, CP, TRAY, GObject)

/* A StatusNotifierItem for APP on CONNECTION (the app's own session bus
 * connection). It exports itself at once and registers with
 * org.kde.StatusNotifierWatcher whenever a watcher owns that name, again
 * after the watcher restarts; with no watcher there is simply no icon.
 * The menu works through APP's actions by name ("sync-now", "pause-sync",
 * "quit"), so it follows whoever implements them. */
CpTray        *cp_tray_new                (GApplication    *app,
                                           GDBusConnection *connection);

/* What the state line says, and the item's status (NeedsAttention). */
void           cp_tray_set_state          (CpTray          *self,
                                           CpEngineState    state,
                                           guint            done,
                                           guint            total);
/* Takes the state from ENGINE as it changes: its "state" property and
 * its "progress" signal, looked up by name (NULL stops following). */
void           cp_tray_follow_engine      (CpTray          *self,
                                           GObject         *engine);

/* TRUE once the watcher accepted the item (property "registered"). */
gboolean       cp_tray_get_registered     (CpTray          *self);
/* The state line as shown, "Up to date". */
const char    *cp_tray_get_state_text     (CpTray          *self);

G_END_DECLS
