/* cp-application.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cp-api-server.h"
#include "cp-engine.h"
#include "cp-ledger.h"
#include "cp-sandbox-server.h"

G_BEGIN_DECLS

#define CP_TYPE_APPLICATION (cp_application_get_type ())
G_DECLARE_FINAL_TYPE (CpApplication, cp_application, CP, APPLICATION, AdwApplication)

/* Binds the gettext domain: LOCALEDIR, or $CP_LOCALEDIR when set (the
 * tests point it at the build's po/ directory). */
void            cp_application_init_i18n      (void);

CpApplication  *cp_application_new            (void);

/* The data directory in use (--data-dir, --sandbox or the default). */
const char     *cp_application_get_data_dir   (CpApplication *self);
void            cp_application_set_data_dir   (CpApplication *self,
                                               const char    *data_dir);
gboolean        cp_application_get_sandbox    (CpApplication *self);
void            cp_application_set_sandbox    (CpApplication *self,
                                               gboolean       sandbox);
/* Whether the app stays up with no window: started with --background, or
 * its window closed while "run-in-background" is on. */
gboolean        cp_application_get_running_in_background (CpApplication *self);
/* The GSettings of the app, or NULL when the schema is not installed. */
GSettings      *cp_application_get_settings   (CpApplication *self);

/* The sync engine and the in-process sandbox platforms (cp-application.c,
 * "The sync engine"). The engine is made when a ledger opens
 * (cp_application_start_engine, called by the window) and lives as long
 * as the app, so syncing goes on with the window closed. NULL before. */
CpEngine       *cp_application_get_engine     (CpApplication *self);
/* Makes and starts the engine for LEDGER's file, once. In sandbox mode
 * (or when the ledger has sandbox integrations) it first starts the
 * sandbox platforms and, in a worker thread, points the sandbox
 * integrations at them (cp_sandbox_demo_ensure / _rebase); the engine
 * starts when that is done. */
void            cp_application_start_engine   (CpApplication *self,
                                               CpLedger      *ledger);
/* The in-process sandbox platforms, started on first use; NULL with
 * ERROR set when the loopback port could not be bound. */
CpSandboxServer *cp_application_get_sandbox_server (CpApplication  *self,
                                                    GError        **error);
/* The local API, served while the "api-server-enabled" setting is on and
 * an engine runs, on the "api-listen" address. NULL when off, before a
 * ledger opens, or when it could not listen: then
 * cp_application_get_api_server_error () says why. Both change with the
 * "api-server-changed" signal. */
CpApiServer    *cp_application_get_api_server       (CpApplication *self);
const GError   *cp_application_get_api_server_error (CpApplication *self);
/* Actions: app.sync-now (parameter "s": an integration id, "" for
 * every integration) and app.pause-sync (stateful boolean). */

G_END_DECLS
