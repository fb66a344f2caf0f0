/* test-integrations-fixture.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What test-integrations and test-activity share: the real application
 * (its engine paused, so nothing moves under the test), a window over a
 * ledger in a temporary directory, and the ecomv2 fake on loopback.
 */

#pragma once

#include "cp-application.h"
#include "cp-sandbox-server.h"
#include "cp-window.h"

G_BEGIN_DECLS

/* Sets up the locale, GTest, the display, the keyring, the fake and the
 * application; FALSE when a prerequisite is missing (then a test saying
 * so was added: run g_test_run() and return). */
gboolean   fixture_init             (int         *argc,
                                     char      ***argv,
                                     const char  *suite);
/* Runs the tests, then stops the application and the fake. */
int        fixture_run              (void);

char      *make_dir                 (void);
CpWindow  *open_window              (const char *dir);
void       close_window             (CpWindow   *window);
GtkWidget *show_page                (CpWindow   *window,
                                     const char *name);
/* The sandbox server the fakes run in. */
CpSandboxServer *fixture_server     (void);
/* Lets the application's engine sync (the fixture pauses it), or
 * pauses it again. */
void       fixture_set_syncing      (gboolean     syncing);
/* The fake's ecomv2 base URL. */
char      *fixture_ecomv2_url       (void);
/* A new ecomv2 integration at the fake; returns its id. */
char      *add_integration          (CpLedger   *ledger,
                                     const char *name);
/* Waits until the widget called NAME under ROOT is on screen. */
void       wait_for_named           (GtkWidget  *root,
                                     const char *name);

G_END_DECLS
