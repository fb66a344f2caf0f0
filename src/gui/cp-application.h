/* cp-application.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cp-ledger.h"

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

G_END_DECLS
