/* cp-page-toast.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows a page's toast in its window (cp_window_add_toast), or in the
 * nearest AdwToastOverlay when the page lives elsewhere (the GUI tests).
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Takes the caller's reference to TOAST. The last toast stays readable through
 * cp_page_get_last_toast() so tests can press its button. */
void      cp_page_add_toast      (GtkWidget *page,
                                  AdwToast  *toast);
AdwToast *cp_page_get_last_toast (GtkWidget *page);

G_END_DECLS
