/* cp-window.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: a sidebar of pages and the content, in an AdwLeaflet.
 *
 * Conventions for pages:
 *  - A page finds its window with
 *    gtk_widget_get_ancestor (GTK_WIDGET (page), CP_TYPE_WINDOW) and shows
 *    results with cp_window_add_toast().
 *  - Ctrl+F activates "win.search", which activates the action
 *    "page.search" on the visible page. A page that can search installs it
 *    with gtk_widget_class_install_action (klass, "page.search", NULL, …)
 *    and focuses its search entry; pages without it are left alone.
 *  - Navigation is the stateful string action "win.show-page" with the
 *    page names below ("overview", "orders", "catalog", "integrations",
 *    "accounting", "devices", "activity").
 */

#pragma once

#include <adwaita.h>

#include "cp-application.h"
#include "cp-ledger.h"

G_BEGIN_DECLS

typedef enum
{
  CP_WINDOW_STATUS_LOADING,   /* opening the ledger (or preparing the demo shop) */
  CP_WINDOW_STATUS_READY,     /* the ledger is open and the pages are built */
  CP_WINDOW_STATUS_FAILED,    /* the ledger could not be opened; the error page shows why */
} CpWindowStatus;

#define CP_TYPE_WINDOW (cp_window_get_type ())
G_DECLARE_FINAL_TYPE (CpWindow, cp_window, CP, WINDOW, AdwApplicationWindow)

CpWindow       *cp_window_new              (CpApplication *application,
                                            const char    *data_dir,
                                            gboolean       sandbox);

/* NULL until the status is READY. */
CpLedger       *cp_window_get_ledger       (CpWindow   *self);
CpWindowStatus  cp_window_get_status       (CpWindow   *self);
gboolean        cp_window_get_sandbox      (CpWindow   *self);
const char     *cp_window_get_visible_page (CpWindow   *self);
/* TRUE once the keyring check made after the ledger opened has answered
 * (available or not). */
gboolean        cp_window_get_credentials_checked (CpWindow *self);
/* The page widget for NAME (built now if it was never shown), or NULL
 * before the ledger is open. */
GtkWidget      *cp_window_get_page         (CpWindow   *self,
                                            const char *name);

void            cp_window_add_toast        (CpWindow   *self,
                                            AdwToast   *toast);

G_END_DECLS
