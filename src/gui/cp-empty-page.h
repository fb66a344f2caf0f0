/* cp-empty-page.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The honest empty state of a page whose feature has not landed yet
 * (Integrations, Accounting, Devices, Activity): what will appear there
 * and how to get it.
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CP_TYPE_EMPTY_PAGE (cp_empty_page_get_type ())
G_DECLARE_FINAL_TYPE (CpEmptyPage, cp_empty_page, CP, EMPTY_PAGE, AdwBin)

/* PAGE_NAME is the window's page name: "integrations", "accounting",
 * "devices" or "activity". SANDBOX words it for the sandbox. */
GtkWidget  *cp_empty_page_new       (const char  *page_name,
                                     gboolean     sandbox);
const char *cp_empty_page_get_title (CpEmptyPage *self);
/* Shows MESSAGE (already translated) in a warning card on the page, or
 * hides the card when MESSAGE is NULL. */
void        cp_empty_page_set_warning (CpEmptyPage *self,
                                       const char  *message);

G_END_DECLS
