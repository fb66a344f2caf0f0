/* cp-tray-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by cp-tray.c (the item, its registration, the state) and
 * cp-tray-menu.c (the com.canonical.dbusmenu menu).
 */

#pragma once

#include "cp-tray.h"

G_BEGIN_DECLS

struct _CpTray
{
  GObject          parent_instance;

  GApplication    *app;
  GDBusConnection *connection;
  guint            item_id;
  guint            menu_id;
  guint            watch_id;
  GCancellable    *cancellable;     /* the registration call in flight */
  gboolean         registered;
  guint            layout_revision;

  CpEngineState    state;
  guint            done;
  guint            total;
  char            *state_text;

  GObject         *engine;          /* weak */
  gulong           engine_state_id;
  gulong           engine_progress_id;
};

gboolean   cp_tray_has_action            (CpTray             *self,
                                          const char         *name);
gboolean   cp_tray_is_paused             (CpTray             *self);

/* Exports the menu at CP_TRAY_MENU_PATH: the registration id, or 0. */
guint      cp_tray_menu_export           (CpTray             *self,
                                          GError            **error);
/* ItemsPropertiesUpdated for IDS, LayoutUpdated for the whole menu. */
void       cp_tray_menu_items_updated    (CpTray             *self,
                                          const int          *ids,
                                          guint               n_ids);
void       cp_tray_menu_layout_updated   (CpTray             *self);
/* A click on item ID, run from an idle; FALSE for an unknown id. */
gboolean   cp_tray_menu_handle_event     (CpTray             *self,
                                          int                 id,
                                          const char         *event_id);

G_END_DECLS
