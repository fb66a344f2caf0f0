/* cp-window-private.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by cp-window.c and cp-window-ledger.c only.
 */

#pragma once

#include "cp-sync-indicator.h"
#include "cp-window.h"

G_BEGIN_DECLS

#define CP_WINDOW_N_PAGES 7

struct _CpWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar_list;
  GtkWidget            *content_box;
  AdwWindowTitle       *page_title;
  CpSyncIndicator      *sync_indicator;
  GtkWidget            *fault_button;
  GtkRevealer          *sandbox_revealer;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *loading_page;
  AdwStatusPage        *error_page;
  GtkLabel             *error_path_label;
  GtkWidget            *retry_button;
  GtkStack             *pages_stack;

  GtkLabel             *badges[CP_WINDOW_N_PAGES];

  char                 *data_dir;
  gboolean              sandbox;
  CpLedger             *ledger;
  CpWindowStatus        status;
  GCancellable         *cancellable;
  GSettings            *settings;
  gboolean              save_page;
  gint64                data_version;
  guint                 poll_id;

  /* The keyring check after the ledger opened (cp-window.c): its error
   * message, NULL when the keyring answered or before it did. */
  gboolean              credentials_check_started;
  gboolean              credentials_checked;
  char                 *credentials_warning;
};

void _cp_window_set_status    (CpWindow       *self,
                               CpWindowStatus  status);
/* Starts opening the ledger of self->data_dir (status LOADING). */
void _cp_window_start_loading (CpWindow       *self);
/* Called by the loader with the open LEDGER: builds the pages. */
void _cp_window_ledger_opened (CpWindow       *self,
                               CpLedger       *ledger);

G_END_DECLS
