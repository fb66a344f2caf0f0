/* tray-fixture.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tray and background tests stand up on their own private
 * session bus: an org.kde.StatusNotifierWatcher (what a desktop's panel
 * runs), and helpers to call a D-Bus method without blocking the main
 * context (the object called may live in this very process).
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A D-Bus service of the test's: one object, one well-known name, on a
 * connection of its own (closing it is the service going away). */
typedef struct
{
  GDBusConnection *connection;
  guint            owner_id;
  guint            object_id;
  gboolean         owned;
} TrayService;

/* Exports XML's first interface at PATH and owns NAME; waits until it does. */
void         tray_service_start        (TrayService                *service,
                                        const char                 *name,
                                        const char                 *path,
                                        const char                 *xml,
                                        const GDBusInterfaceVTable *vtable,
                                        gpointer                    user_data);
void         tray_service_stop         (TrayService                *service);

typedef struct
{
  TrayService      service;
  GPtrArray       *services;      /* the argument of each registration */
  GPtrArray       *senders;       /* who called RegisterStatusNotifierItem */
} TrayWatcher;

/* Owns org.kde.StatusNotifierWatcher on the session bus, waits until it
 * does. */
TrayWatcher *tray_watcher_start        (void);
/* Drops the name and the connection (the panel went away). */
void         tray_watcher_stop         (TrayWatcher *watcher);
void         tray_watcher_free         (TrayWatcher *watcher);
/* Iterates the main context until N registrations arrived; FALSE after
 * 20 s. */
gboolean     tray_watcher_wait_for     (TrayWatcher *watcher,
                                        guint        n);

/* A new private connection to the session bus. */
GDBusConnection *tray_connect          (void);
/* g_dbus_connection_call, iterating the main context until it answers. */
GVariant    *tray_call                 (GDBusConnection    *connection,
                                        const char         *name,
                                        const char         *path,
                                        const char         *interface,
                                        const char         *method,
                                        GVariant           *params,
                                        const GVariantType *reply_type,
                                        GError            **error);
/* A property through org.freedesktop.DBus.Properties.Get. */
GVariant    *tray_get_property         (GDBusConnection    *connection,
                                        const char         *name,
                                        const char         *path,
                                        const char         *interface,
                                        const char         *property);
/* Iterates the main context until *FLAG is set; FALSE after 20 s. */
gboolean     tray_wait_flag            (gboolean           *flag);

/* A stand-in for CpEngine with what the tray and the notifications
 * follow by name: an int property "state", the signals "progress" (done,
 * total), "attention" (integration id, message) and "job-dead"
 * (integration id, job id, message). */
GObject     *tray_test_engine_new      (void);

G_END_DECLS
