/* cp-sandbox-demo.h
 *
 * Copyright 2026 The Counterpart authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sandbox's demo integrations: a "Sandbox store" ecomv2 integration
 * pointing at the in-process fake, so that a newcomer running
 * `counterpart --sandbox` (or `counterpart-cli --sandbox sync`) sees
 * integrations flowing without an account anywhere. Shared by the window
 * and the CLI.
 *
 * A sandbox integration is an ordinary integration whose settings carry
 * {"sandbox": true}. The fake listens on an ephemeral port, different on
 * every run, so each run points those integrations at the current port
 * (cp_sandbox_demo_rebase) before the engine makes connectors for them.
 */

#pragma once

#include <gio/gio.h>

#include "cp-integrations.h"
#include "cp-ledger.h"
#include "cp-sandbox-server.h"

G_BEGIN_DECLS

/* The settings of a sandbox integration. */
#define CP_SANDBOX_DEMO_SETTINGS "{\"sandbox\":true}"

/* A server with every sandbox platform (ecomv2), started on 127.0.0.1
 * with an ephemeral port. */
CpSandboxServer *cp_sandbox_demo_start_server (GError **error);

/* Whether INTEGRATION was made for the sandbox (its settings say so). */
gboolean  cp_sandbox_demo_is_sandbox_integration (const CpIntegration *integration);

/* The credentials the fake of PLATFORM accepts (its published demo key,
 * not a secret), as the JSON object the connector expects; NULL for a
 * platform without a fake. */
char     *cp_sandbox_demo_dup_credentials (const char *platform);

/* Points every sandbox integration of LEDGER at SERVER's current URL.
 * Returns the number changed, or -1 with ERROR set. */
int       cp_sandbox_demo_rebase          (CpLedger         *ledger,
                                           CpSandboxServer  *server,
                                           GError          **error);

/* Creates a sandbox integration of PLATFORM called NAME at SERVER, with
 * PERMISSIONS (NULL: the defaults), and stores the fake's demo key in the
 * Secret Service under its id. Blocks on the Secret Service: call it from
 * a worker thread. Returns the new id. */
char     *cp_sandbox_demo_add_integration (CpLedger            *ledger,
                                           CpSandboxServer     *server,
                                           const char          *platform,
                                           const char          *name,
                                           const char * const  *permissions,
                                           GCancellable        *cancellable,
                                           GError             **error);

/* Makes sure LEDGER has the demo "Sandbox store" (ecomv2, all four
 * permissions) at SERVER with its key in the Secret Service: rebases the
 * sandbox integrations, creates the demo one when there is none, and
 * stores the key again (a new keyring may have lost it). Blocks: call it
 * from a worker thread. Returns the id of the demo integration. */
char     *cp_sandbox_demo_ensure          (CpLedger         *ledger,
                                           CpSandboxServer  *server,
                                           GCancellable     *cancellable,
                                           GError          **error);

G_END_DECLS
