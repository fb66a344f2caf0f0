/* cp-background.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CP_BACKGROUND_ERROR (cp_background_error_quark ())

typedef enum
{
  CP_BACKGROUND_ERROR_DENIED,     /* the person (or the desktop) said no */
  CP_BACKGROUND_ERROR_CANCELLED,  /* the portal's dialog was dismissed */
  CP_BACKGROUND_ERROR_FAILED,     /* no portal, or it failed */
} CpBackgroundError;

GQuark       cp_background_error_quark          (void);

/* TRUE inside a Flatpak sandbox (/.flatpak-info exists), where only the
 * Background portal may let the app run on or start at login. */
gboolean     cp_background_in_flatpak           (void);

/* ~/.config/autostart/<app id>.desktop (XDG_CONFIG_HOME honoured). */
char        *cp_background_autostart_path       (void);
/* Outside Flatpak: writes the autostart entry (Exec with --background)
 * or removes it. Removing an absent entry is not an error. */
gboolean     cp_background_set_autostart_file   (gboolean              enabled,
                                                 GError              **error);

/* org.freedesktop.portal.Background.RequestBackground. On success,
 * OUT_BACKGROUND and OUT_AUTOSTART say what was granted. */
void         cp_background_request_async        (GDBusConnection      *connection,
                                                 gboolean              autostart,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean     cp_background_request_finish       (GAsyncResult         *result,
                                                 gboolean             *out_background,
                                                 gboolean             *out_autostart,
                                                 GError              **error);

#define CP_TYPE_BACKGROUND (cp_background_get_type ())
G_DECLARE_FINAL_TYPE (CpBackground, cp_background, CP, BACKGROUND, GObject)

/* Keeps the "autostart" key of SETTINGS true to the system: an autostart
 * entry outside Flatpak, the portal inside. CONNECTION may be NULL (no
 * portal then). */
CpBackground *cp_background_new                 (GSettings            *settings,
                                                 GDBusConnection      *connection);
/* The app goes on without a window: under Flatpak, asks the portal once
 * per run so the sandbox does not stop it. */
void          cp_background_keep_running        (CpBackground         *self);

G_END_DECLS
